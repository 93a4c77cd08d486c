// Helpers shared by the test binaries: temporary folders, small input files,
// and reading outputs back with GDAL.
#pragma once

#include "core/error.hpp"
#include "core/values.hpp"

#include <gdal_priv.h>
#include <gdal_utils.h>
#include <ogrsf_frmts.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>
#include <cstdlib>
#include <sys/wait.h>
#include <unistd.h>

namespace nightout::test {

namespace fs = std::filesystem;

class TempDir {
public:
    TempDir() {
        std::string tmpl = (fs::temp_directory_path() / "nightout-test-XXXXXX").string();
        if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
        path_ = tmpl;
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    fs::path operator/(const std::string& name) const { return path_ / name; }
    const fs::path& path() const { return path_; }

private:
    fs::path path_;
};

inline std::string write_file(const fs::path& path, const std::string& content) {
    std::ofstream(path, std::ios::binary) << content;
    return path.string();
}

inline std::string read_text(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

#ifdef NIGHTOUT_BINARY
// One run of the command as a user runs it: its exit code, stdout and stderr (kept in `dir`).
struct Result {
    int code;
    std::string out, err;
};

inline Result nightout_cli(const std::string& args, const TempDir& dir) {
    const std::string cmd = std::string(NIGHTOUT_BINARY) + " " + args + " >" + (dir / "stdout.txt").string() + " 2>" + (dir / "stderr.txt").string();
    const int status = std::system(cmd.c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_text(dir / "stdout.txt"), read_text(dir / "stderr.txt")};
}
#endif

// A feature read back: its fields as text or numbers, and its geometry.
struct ReadFeature {
    std::map<std::string, std::string> text;
    std::map<std::string, double> number;
    std::unique_ptr<OGRGeometry> geometry;
};

inline std::vector<ReadFeature> read_back(const fs::path& path, const std::string& layer_name = "") {
    GDALAllRegister();
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    if (!ds) throw std::runtime_error("cannot open " + path.string());
    OGRLayer* layer = layer_name.empty() ? ds->GetLayer(0) : ds->GetLayerByName(layer_name.c_str());
    if (!layer) throw std::runtime_error("no layer " + layer_name + " in " + path.string());
    std::vector<ReadFeature> out;
    for (auto& f : *layer) {
        ReadFeature r;
        for (int i = 0; i < f->GetFieldCount(); ++i) {
            std::string name = f->GetFieldDefnRef(i)->GetNameRef();
            if (!f->IsFieldSetAndNotNull(i)) continue;
            r.text[name] = f->GetFieldAsString(i);
            auto t = f->GetFieldDefnRef(i)->GetType();
            if (t == OFTInteger || t == OFTInteger64 || t == OFTReal) r.number[name] = f->GetFieldAsDouble(i);
        }
        if (f->GetGeometryRef()) r.geometry.reset(f->GetGeometryRef()->clone());
        out.push_back(std::move(r));
    }
    return out;
}

// A GeoJSON FeatureCollection from (properties JSON, geometry JSON) pairs.
inline std::string feature_collection(const std::vector<std::pair<std::string, std::string>>& features) {
    std::string s = R"({"type":"FeatureCollection","features":[)";
    for (std::size_t i = 0; i < features.size(); ++i) {
        s += (i ? "," : "");
        s += R"({"type":"Feature","properties":)" + features[i].first + R"(,"geometry":)" + features[i].second + "}";
    }
    return s + "]}";
}

// A local azimuthal CRS in metres (centred at 47 N, 9 E) for hand-made layers.
inline constexpr const char* kLocalMetresCrs = "+proj=aeqd +lat_0=47 +lon_0=9 +datum=WGS84 +units=m +no_defs +type=crs";

// A hand-made street layer (CSV with WKT, in kLocalMetresCrs): two river banks 100 m apart
// (y = 0 and y = 100, x from 0 to 1,000 m) joined by one bridge at x = 900. Walking from
// (100, 0) to the far bank at (100, 100) takes 800 + 100 + 800 = 1,700 m.
inline std::string river_streets_csv() {
    return "id,wkt\n"
           "a1,\"LINESTRING(0 0,900 0)\"\na2,\"LINESTRING(900 0,1000 0)\"\n"
           "b1,\"LINESTRING(0 100,900 100)\"\nb2,\"LINESTRING(900 100,1000 100)\"\n"
           "bridge,\"LINESTRING(900 0,900 100)\"\n";
}

inline std::string source_dir() { return NIGHTOUT_SOURCE_DIR; }

// ogr2ogr through GDAL's library: converts `src` to `dst` with the given options
// (e.g. {"-f", "KML"} or {"-t_srs", "EPSG:2264", "-f", "GPKG"}).
inline void translate(const std::string& src, const fs::path& dst, std::vector<std::string> args) {
    GDALAllRegister();
    // "-oo NAME=VALUE" are open options of the source, as in ogr2ogr.
    std::vector<std::string> open_options, rest;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "-oo" && i + 1 < args.size()) open_options.push_back(args[++i]);
        else rest.push_back(args[i]);
    }
    std::vector<char*> oo;
    for (auto& o : open_options) oo.push_back(o.data());
    oo.push_back(nullptr);
    GDALDatasetH in = GDALOpenEx(src.c_str(), GDAL_OF_VECTOR, nullptr, oo.data(), nullptr);
    if (!in) throw std::runtime_error("cannot open " + src);
    std::vector<char*> argv;
    for (auto& a : rest) argv.push_back(a.data());
    argv.push_back(nullptr);
    GDALVectorTranslateOptions* opts = GDALVectorTranslateOptionsNew(argv.data(), nullptr);
    GDALDatasetH out = GDALVectorTranslate(dst.c_str(), nullptr, 1, &in, opts, nullptr);
    GDALVectorTranslateOptionsFree(opts);
    GDALClose(in);
    if (!out) throw std::runtime_error("cannot write " + dst.string());
    GDALClose(out);
}

}  // namespace nightout::test
