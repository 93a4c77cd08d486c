// The CSV reading path (coordinate columns or WKT) through GDAL's /vsimem/, as areas and as points.
#include "core/error.hpp"
#include "read/dataset.hpp"

#include <cpl_vsi.h>
#include <gdal.h>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const bool registered = (GDALAllRegister(), true);
    (void)registered;
    const char* path = "/vsimem/fuzz.csv";
    VSIFCloseL(VSIFileFromMemBuffer(path, const_cast<GByte*>(data), static_cast<vsi_l_offset>(size), FALSE));
    nightout::GeosContext gctx;
    nightout::ProjContext pctx;
    nightout::Log log(true);
    nightout::InputSpec spec;
    spec.path = path;
    for (auto kind : {nightout::GeomKind::PointOrArea, nightout::GeomKind::Line}) {
        try {
            nightout::read_dataset(gctx, pctx, spec, kind, "fuzz", log);
        } catch (const nightout::Error&) {
        }
    }
    VSIUnlink(path);
    return 0;
}
