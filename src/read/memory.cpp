#include "read/memory.hpp"

#include "core/error.hpp"

#include <memory>

namespace nightout {

Dataset memory_dataset(const GeosContext& ctx, const ProjContext& pctx, const std::string& role, GeomKind kind, const std::string& crs,
                       const std::vector<FieldDef>& fields, const std::vector<MemoryFeature>& features) {
    Dataset ds;
    ds.role = role;
    ds.path = "memory:" + role;
    ds.crs_name = crs.empty() ? "WGS 84 (lon/lat)" : crs;
    ds.kind = kind == GeomKind::PointOrArea ? GeomKind::Point : kind;
    ds.fields = fields;
    ds.id_field = "id";
    ds.name_field = "name";
    std::unique_ptr<Transform> to_wgs84;
    if (!crs.empty()) to_wgs84 = std::make_unique<Transform>(pctx, crs, kWgs84LonLat);
    GEOSWKTReader* reader = GEOSWKTReader_create_r(ctx);
    struct ReaderFree {
        const GeosContext& ctx;
        GEOSWKTReader* r;
        ~ReaderFree() { GEOSWKTReader_destroy_r(ctx, r); }
    } free_reader{ctx, reader};
    GEOSWKBReader* wkb_reader = GEOSWKBReader_create_r(ctx);
    struct WkbReaderFree {
        const GeosContext& ctx;
        GEOSWKBReader* r;
        ~WkbReaderFree() { GEOSWKBReader_destroy_r(ctx, r); }
    } free_wkb_reader{ctx, wkb_reader};
    for (std::size_t i = 0; i < features.size(); ++i) {
        const MemoryFeature& in = features[i];
        const std::string where = "row " + std::to_string(i + 1);
        if (in.attrs.size() != fields.size())
            throw_input(ds.path + ": " + where + ": " + std::to_string(in.attrs.size()) + " values for " + std::to_string(fields.size()) + " fields");
        if (in.wkt.empty() && in.wkb.empty()) throw_input(ds.path + ": " + where + ": no geometry; expected a point or a polygon");
        GEOSGeometry* raw = in.wkt.empty() ? GEOSWKBReader_read_r(ctx, wkb_reader, reinterpret_cast<const unsigned char*>(in.wkb.data()), in.wkb.size())
                                           : GEOSWKTReader_read_r(ctx, reader, in.wkt.c_str());
        if (!raw && in.wkt.empty()) throw_input(ds.path + ": " + where + ": the geometry is not valid WKB");
        if (!raw) throw_input(ds.path + ": " + where + ": '" + in.wkt.substr(0, 40) + "' is not WKT; expected e.g. POINT(x y) or POLYGON((...))");
        GeomPtr g = own(ctx, raw, "memory geometry");
        const int type = GEOSGeomTypeId_r(ctx, g.get());
        const bool point = type == GEOS_POINT, area = type == GEOS_POLYGON || type == GEOS_MULTIPOLYGON;
        if (i == 0 && kind == GeomKind::PointOrArea) ds.kind = area ? GeomKind::Area : GeomKind::Point;
        const bool ok = ds.kind == GeomKind::Point ? point : ds.kind == GeomKind::Area ? area : type == GEOS_LINESTRING || type == GEOS_MULTILINESTRING;
        if (!ok) {
            char* name = GEOSGeomType_r(ctx, g.get());  // GEOS allocates the name: freed before throwing
            const std::string type_name = name ? name : "geometry";
            GEOSFree_r(ctx, name);
            throw_input(ds.path + ": " + where + " is a " + type_name + "; " + role + " must be " +
                        (ds.kind == GeomKind::Point ? "points" : ds.kind == GeomKind::Area ? "polygons or multipolygons" : "lines"));
        }
        if (to_wgs84) g = to_wgs84->forward(ctx, g.get(), ds.path + ": " + where);
        if (area && GEOSisValid_r(ctx, g.get()) != 1) {
            g = own(ctx, GEOSMakeValid_r(ctx, g.get()), "repaired polygon");
            ++ds.repaired;
        }
        Feature f;
        f.id = in.id.empty() ? std::to_string(i + 1) : in.id;
        f.name = in.name;
        f.attrs = in.attrs;
        f.geom = std::move(g);
        f.where = where;
        ds.features.push_back(std::move(f));
    }
    return ds;
}

}  // namespace nightout
