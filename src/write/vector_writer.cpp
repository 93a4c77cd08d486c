#include "write/vector_writer.hpp"

#include "core/output_paths.hpp"

#include "write/csv.hpp"

#include "core/error.hpp"
#include "write/qgis_style.hpp"

#include <cerrno>
#include <cpl_error.h>
#include <cpl_vsi.h>
#include <gdal_priv.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <atomic>
#include <exception>
#include <fstream>
#include <map>
#include <memory>
#include <cctype>
#include <set>

namespace nightout {

namespace {

struct GdalErrorScope {
    GdalErrorScope() {
        CPLPushErrorHandler(CPLQuietErrorHandler);
        CPLErrorReset();
    }
    ~GdalErrorScope() { CPLPopErrorHandler(); }
};

// Why a write failed, for the user: the operating system's reason when GDAL's failure came
// from one (a full disk, a read-only folder), else GDAL's own words.
// Drivers word a full disk their own way ("database or disk is full", "Unexpected I/O failure"),
// so the file's filesystem is asked directly.
std::string gdal_error(const std::string& file = {}) {
    const int err = errno;
    if (err == ENOSPC || err == EDQUOT || err == EROFS || err == EFBIG) return os_reason(err);
    if (!file.empty() && filesystem_full(file)) return os_reason(ENOSPC);
    const char* m = CPLGetLastErrorMsg();
    return m && *m ? std::string(" (") + m + ")" : std::string();
}

GDALDriver* driver(const char* name) {
    static const bool registered = [] {
        GDALAllRegister();
        return true;
    }();
    (void)registered;
    GDALDriver* d = GetGDALDriverManager()->GetDriverByName(name);
    if (!d) throw_internal(std::string("GDAL driver ") + name + " is not available");
    return d;
}

OGRwkbGeometryType ogr_type(OutGeom g, bool force_multi) {
    switch (g) {
    case OutGeom::Point: return wkbPoint;
    case OutGeom::Polygon: return force_multi ? wkbMultiPolygon : wkbUnknown;
    case OutGeom::Line: return force_multi ? wkbMultiLineString : wkbUnknown;
    default: return wkbNone;
    }
}

// GDAL's API takes non-const references; the object is only read.
OGRSpatialReference& wgs84() {
    static OGRSpatialReference srs = [] {
        OGRSpatialReference s;
        s.importFromEPSG(4326);
        s.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        return s;
    }();
    return srs;
}

// The output CRS with x = easting (longitude), y = northing (latitude), whatever the EPSG axis order.
std::unique_ptr<OGRSpatialReference> srs_of(const OutputCrs& crs) {
    auto srs = std::make_unique<OGRSpatialReference>();
    if (srs->SetFromUserInput(crs.code.c_str()) != OGRERR_NONE) throw_internal("unknown output CRS " + crs.code);
    srs->SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    return srs;
}

// WGS84 lon/lat -> the output CRS; one per writing thread (a transformation is not shared).
std::unique_ptr<OGRCoordinateTransformation> transform_to(const OGRSpatialReference& srs, const std::string& where) {
    OGRSpatialReference lonlat;  // this thread's own
    lonlat.importFromEPSG(4326);
    lonlat.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    std::unique_ptr<OGRCoordinateTransformation> ct(OGRCreateCoordinateTransformation(&lonlat, &srs));
    if (!ct) throw_output(where + ": no transformation from WGS84 to the output CRS" + gdal_error());
    return ct;
}

// Words shortened, in order, until a name fits dBASE's 10 characters.
const std::pair<const char*, const char*> kAbbreviations[] = {
    {"population", "pop"}, {"covered", "cov"}, {"share", "shr"},   {"nearest", "nr"},  {"station", "stn"},
    {"events", "ev"},      {"event", "ev"},    {"underserved", "undsrv"}, {"inside", "in"}, {"served", "srv"},
    {"distance", "dist"},  {"description", "desc"}, {"radius", "rad"}, {"name", "nm"}, {"mean", "avg"},
    {"unreached", "unr"},  {"reached", "rch"},  {"grp_", "g"},  // population groups (src/equity)
    {"_", ""},
};

// dBASE names hold letters, digits and '_' and start with a letter (ArcGIS refuses others):
// a decimal point becomes 'p' ("0.5mi" -> "0p5mi"), anything else '_'.
std::string dbase_characters(const std::string& name) {
    std::string out;
    for (char c : name) {
        const auto u = static_cast<unsigned char>(c);
        out += std::isalnum(u) && u < 128 ? c : c == '.' ? 'p' : '_';
    }
    if (out.empty() || !std::isalpha(static_cast<unsigned char>(out[0]))) out = "f" + out;
    return out;
}

std::string shorten(std::string name) {
    name = dbase_characters(name);
    for (const auto& [word, abbr] : kAbbreviations) {
        if (name.size() <= 10) break;
        for (std::size_t pos; (pos = name.find(word)) != std::string::npos;) name.replace(pos, std::string(word).size(), abbr);
    }
    return name.substr(0, 10);
}

// RFC 7946's right-hand rule: exterior rings counter-clockwise, holes clockwise.
void orient_rings(OGRGeometry* g) {
    const OGRwkbGeometryType t = wkbFlatten(g->getGeometryType());
    if (t == wkbPolygon) {
        OGRPolygon* p = g->toPolygon();
        for (int i = 0; i <= p->getNumInteriorRings(); ++i) {
            OGRLinearRing* ring = i == 0 ? p->getExteriorRing() : p->getInteriorRing(i - 1);
            if (ring && ring->getNumPoints() >= 4 && (i == 0) == (ring->isClockwise() != 0)) ring->reverseWindingOrder();
        }
    } else if (t == wkbMultiPolygon || t == wkbGeometryCollection) {
        OGRGeometryCollection* c = g->toGeometryCollection();
        for (int i = 0; i < c->getNumGeometries(); ++i) orient_rings(c->getGeometryRef(i));
    }
}

// GeoJSON: GDAL 3.6's RFC 7946 mode formats every coordinate through a std::ostringstream,
// which made writing a third of a coverage run; its other duties are done here instead:
// coordinates are WGS84 lon/lat already, rings are oriented by the right-hand rule, no
// "crs" member is written (the layer has no SRS), and 9 significant figures keep 6 or more
// decimals (10 cm, as RFC 7946 section 11.2 suggests). Layers with a geometry spanning more
// than 180 degrees of longitude (it may cross the antimeridian) still go through RFC 7946
// mode, which splits them.
bool spans_antimeridian(const std::vector<std::unique_ptr<OGRGeometry>>& geoms) {
    for (const auto& g : geoms) {
        if (!g) continue;
        OGREnvelope e;
        g->getEnvelope(&e);
        if (e.MaxX - e.MinX > 180) return true;
    }
    return false;
}

void write_layer(GDALDataset* ds, const OutLayer& layer, Format format, const std::string& where,
                 const std::vector<std::string>* field_names, const OutputCrs& crs, int precision = 7, double simplify_deg = 0) {
    std::vector<const char*> options;
    bool force_multi = format != Format::GeoJSON && format != Format::KML;
    // GeoJSON and KML stay WGS84 (RFC 7946, OGC KML 2.2); the other formats take the output CRS.
    const bool reproject = !crs.wgs84() && format != Format::GeoJSON && format != Format::KML;
    std::unique_ptr<OGRSpatialReference> out_srs = reproject ? srs_of(crs) : nullptr;
    std::unique_ptr<OGRCoordinateTransformation> to_out = reproject ? transform_to(*out_srs, where) : nullptr;
    OGRSpatialReference* srs = reproject ? out_srs.get() : &wgs84();
    // Geometries first: GeoJSON picks its writing mode from them.
    std::vector<std::unique_ptr<OGRGeometry>> geoms(layer.rows.size());
    if (layer.geom != OutGeom::None) {
        for (std::size_t r = 0; r < layer.rows.size(); ++r) {
            if (layer.wkb[r].empty()) continue;
            OGRGeometry* g = nullptr;
            if (OGRGeometryFactory::createFromWkb(layer.wkb[r].data(), nullptr, &g, layer.wkb[r].size()) != OGRERR_NONE || !g)
                throw_internal("invalid geometry for " + layer.name + " row " + std::to_string(r + 1));
            if (simplify_deg > 0 && layer.geom != OutGeom::Point) {
                // Report maps only: drop vertices closer than the tolerance, keeping rings valid.
                if (OGRGeometry* s = g->SimplifyPreserveTopology(simplify_deg); s && !s->IsEmpty()) {
                    delete g;
                    g = s;
                } else {
                    delete s;
                }
            }
            if (to_out && g->transform(to_out.get()) != OGRERR_NONE) {
                delete g;
                throw_output(where + ": row " + std::to_string(r + 1) + " of " + layer.name + " cannot be transformed to " + crs.code +
                             " (outside the area that CRS covers?)");
            }
            if (force_multi && layer.geom == OutGeom::Polygon) g = OGRGeometryFactory::forceToMultiPolygon(g);
            if (force_multi && layer.geom == OutGeom::Line) g = OGRGeometryFactory::forceToMultiLineString(g);
            geoms[r].reset(g);
        }
    }
    // Files (7 decimals asked) take the fast path; the report's coarser GeoJSON keeps GDAL's
    // RFC 7946 mode, where a number of decimals can be asked for.
    const bool plain_geojson = format == Format::GeoJSON && precision == 7 && !spans_antimeridian(geoms);
    const std::string precision_option = "COORDINATE_PRECISION=" + std::to_string(precision);
    if (plain_geojson) {
        options = {"WRITE_NAME=NO", "SIGNIFICANT_FIGURES=9"};
        for (auto& g : geoms)
            if (g) orient_rings(g.get());
    } else if (format == Format::GeoJSON) {
        options = {"RFC7946=YES", "WRITE_NAME=NO", precision_option.c_str()};
    } else if (format == Format::GeoPackage) {
        options = {"SPATIAL_INDEX=YES"};
    } else if (format == Format::Shapefile) {
        options = {"ENCODING=UTF-8"};
    } else if (format == Format::FlatGeobuf) {
        options = {"SPATIAL_INDEX=YES"};
    }
    options.push_back(nullptr);
    OGRwkbGeometryType type = ogr_type(layer.geom, force_multi);
    OGRLayer* ol = ds->CreateLayer(layer.name.c_str(), type == wkbNone || plain_geojson ? nullptr : srs, type, const_cast<char**>(options.data()));
    if (!ol) throw_output(where + ": cannot create layer " + layer.name + gdal_error(where));

    const bool keep_style = format == Format::GeoJSON || format == Format::KML;
    std::vector<int> column(layer.fields.size(), -1);
    int next = 0;
    for (std::size_t i = 0; i < layer.fields.size(); ++i) {
        const OutField& f = layer.fields[i];
        if (f.style && !keep_style) continue;
        std::string name = field_names ? (*field_names)[i] : f.name;
        OGRFieldDefn defn(name.c_str(), f.type == FieldType::Integer ? OFTInteger64 : f.type == FieldType::Real ? OFTReal : OFTString);
        if (f.boolean) {
            defn.SetType(OFTInteger);
            defn.SetSubType(OFSTBoolean);
        }
        if (ol->CreateField(&defn) != OGRERR_NONE) throw_output(where + ": cannot create field " + name + gdal_error(where));
        column[i] = next++;
    }

    if (ds->StartTransaction() != OGRERR_NONE) CPLErrorReset();  // formats without transactions write directly
    for (std::size_t r = 0; r < layer.rows.size(); ++r) {
        OGRFeatureUniquePtr feat(OGRFeature::CreateFeature(ol->GetLayerDefn()));
        const auto& row = layer.rows[r];
        for (std::size_t i = 0; i < layer.fields.size(); ++i) {
            if (column[i] < 0) continue;
            const Value& v = row[i];
            if (auto* iv = std::get_if<std::int64_t>(&v)) feat->SetField(column[i], static_cast<GIntBig>(*iv));
            else if (auto* dv = std::get_if<double>(&v)) feat->SetField(column[i], *dv);
            else if (auto* sv = std::get_if<std::string>(&v)) feat->SetField(column[i], sv->c_str());
            else feat->SetFieldNull(column[i]);
        }
        if (geoms[r]) {
            if (!plain_geojson) geoms[r]->assignSpatialReference(srs);
            feat->SetGeometryDirectly(geoms[r].release());
        }
        if (ol->CreateFeature(feat.get()) != OGRERR_NONE)
            throw_output(where + ": cannot write feature " + std::to_string(r + 1) + " of " + layer.name + gdal_error(where));
    }
    if (ds->CommitTransaction() != OGRERR_NONE) CPLErrorReset();
}

// QGIS reads a layer's default style from this table (the columns QGIS itself creates), so
// the GeoPackage opens styled. One row per layer with geometry.
void write_layer_styles(GDALDataset* ds, const std::vector<const OutLayer*>& layers, const std::string& where) {
    const char* options[] = {"FID=id", nullptr};
    OGRLayer* ol = ds->CreateLayer("layer_styles", nullptr, wkbNone, const_cast<char**>(options));
    if (!ol) throw_output(where + ": cannot create table layer_styles" + gdal_error(where));
    struct Column {
        const char* name;
        OGRFieldType type;
        OGRFieldSubType sub;
        int width;
    };
    const Column columns[] = {{"f_table_catalog", OFTString, OFSTNone, 256}, {"f_table_schema", OFTString, OFSTNone, 256},
                              {"f_table_name", OFTString, OFSTNone, 256},    {"f_geometry_column", OFTString, OFSTNone, 256},
                              {"styleName", OFTString, OFSTNone, 30},        {"styleQML", OFTString, OFSTNone, 0},
                              {"styleSLD", OFTString, OFSTNone, 0},          {"useAsDefault", OFTInteger, OFSTBoolean, 0},
                              {"description", OFTString, OFSTNone, 0},       {"owner", OFTString, OFSTNone, 30},
                              {"ui", OFTString, OFSTNone, 0},                {"update_time", OFTDateTime, OFSTNone, 0}};
    for (const auto& c : columns) {
        OGRFieldDefn defn(c.name, c.type);
        defn.SetSubType(c.sub);
        defn.SetWidth(c.width);
        if (ol->CreateField(&defn) != OGRERR_NONE) throw_output(where + ": cannot create field layer_styles." + c.name + gdal_error(where));
    }
    if (ds->StartTransaction() != OGRERR_NONE) CPLErrorReset();
    for (const OutLayer* l : layers) {
        if (l->geom == OutGeom::None) continue;
        OGRLayer* data = ds->GetLayerByName(l->name.c_str());
        if (!data) throw_internal(where + ": layer " + l->name + " was not written");
        OGRFeatureUniquePtr f(OGRFeature::CreateFeature(ol->GetLayerDefn()));
        f->SetField("f_table_catalog", "");
        f->SetField("f_table_schema", "");
        f->SetField("f_table_name", l->name.c_str());
        f->SetField("f_geometry_column", data->GetGeometryColumn());
        f->SetField("styleName", l->name.c_str());
        f->SetField("styleQML", qgis_qml(*l).c_str());
        f->SetField("styleSLD", qgis_sld(*l).c_str());
        f->SetField("useAsDefault", 1);
        f->SetField("description", (l->title.empty() ? l->name : l->title).c_str());
        f->SetField("owner", "nightout");
        f->SetField("update_time", 2000, 1, 1, 0, 0, 0, 100);  // fixed: the file depends only on its inputs
        if (ol->CreateFeature(f.get()) != OGRERR_NONE) throw_output(where + ": cannot write the style of " + l->name + gdal_error(where));
    }
    if (ds->CommitTransaction() != OGRERR_NONE) CPLErrorReset();
}

// A dataset being written, and where GDAL writes it. The GeoJSON and KML drivers do not check
// their writes (a full disk gives a truncated file and no error), so those files are built in
// memory and written out here with every write checked.
struct GdalOutput {
    GDALDatasetUniquePtr ds;
    std::string target;  // the path GDAL writes: the file itself, or a /vsimem/ copy of it
    GDALDataset* get() const { return ds.get(); }
};

GdalOutput create(const char* driver_name, const std::filesystem::path& path) {
    static std::atomic<unsigned> counter{0};
    const std::string name(driver_name);
    const bool in_memory = (name == "GeoJSON" || name == "KML") && path.string().rfind("/vsimem/", 0) != 0;
    GdalOutput out;
    out.target = in_memory ? "/vsimem/nightout-out-" + std::to_string(counter++) + "-" + path.filename().string() : path.string();
    out.ds.reset(driver(driver_name)->Create(out.target.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    if (!out.ds) throw_output(path.string() + ": cannot create" + gdal_error(path.string()));
    return out;
}

void close(GdalOutput& out, const std::filesystem::path& path) {
    CPLErrorReset();
    out.ds.reset();
    if (CPLGetLastErrorType() >= CE_Failure) throw_output(path.string() + ": write failed" + gdal_error(path.string()));
    if (out.target == path.string()) return;
    vsi_l_offset size = 0;
    GByte* bytes = VSIGetMemFileBuffer(out.target.c_str(), &size, TRUE);  // TRUE: the buffer is ours, the file gone
    if (!bytes) throw_internal(path.string() + ": the driver wrote nothing");
    std::unique_ptr<GByte, decltype(&CPLFree)> owned(bytes, &CPLFree);
    write_checked(path, reinterpret_cast<const char*>(bytes), static_cast<std::size_t>(size));
}

}  // namespace

OutputCrs parse_out_crs(const std::string& text, const std::string& what) {
    std::string code = text;
    std::transform(code.begin(), code.end(), code.begin(), [](unsigned char c) { return std::toupper(c); });
    const std::string digits = code.rfind("EPSG:", 0) == 0 ? code.substr(5) : "";
    const std::string expected = "; expected EPSG:NNNN, e.g. EPSG:2264 (North Carolina State Plane, US feet) or EPSG:32632 (UTM zone 32N)";
    if (digits.empty() || digits.size() > 6 || !std::all_of(digits.begin(), digits.end(), [](unsigned char c) { return std::isdigit(c); }))
        throw_usage(what + ": '" + text + "' is not an EPSG code" + expected);
    GdalErrorScope quiet;
    OGRSpatialReference srs;
    if (srs.importFromEPSG(std::stoi(digits)) != OGRERR_NONE) throw_usage(what + ": '" + text + "' is not a CRS known to PROJ" + expected);
    if (!(srs.IsProjected() || srs.IsGeographic()) || srs.IsCompound() || srs.GetAxesCount() != 2)
        throw_usage(what + ": '" + text + "' is not a 2D projected or geographic CRS" + expected);
    if (digits == "4326") return {};  // the default: WGS84 lon/lat
    return {"EPSG:" + digits};
}

Format parse_format(const std::string& name) {
    std::string n = name;
    std::transform(n.begin(), n.end(), n.begin(), [](unsigned char c) { return std::tolower(c); });
    if (n == "geojson" || n == "json") return Format::GeoJSON;
    if (n == "gpkg" || n == "geopackage") return Format::GeoPackage;
    if (n == "fgb" || n == "flatgeobuf") return Format::FlatGeobuf;
    if (n == "shp" || n == "shapefile") return Format::Shapefile;
    if (n == "kml") return Format::KML;
    throw_usage("--format: unknown format '" + name + "'; expected geojson, gpkg, fgb, shp or kml");
}

std::string format_key(Format f) {
    switch (f) {
    case Format::GeoJSON: return "geojson";
    case Format::GeoPackage: return "gpkg";
    case Format::FlatGeobuf: return "fgb";
    case Format::Shapefile: return "shp";
    case Format::KML: return "kml";
    }
    return "geojson";
}

std::vector<std::string> shapefile_field_names(const OutLayer& layer) {
    std::vector<std::string> names;
    std::set<std::string> used;
    for (const auto& f : layer.fields) {
        // dBASE names are compared without regard to case.
        auto lower = [](std::string t) {
            for (char& c : t) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            return t;
        };
        std::string n = shorten(f.name);
        if (!used.insert(lower(n)).second) {
            for (int k = 2;; ++k) {
                std::string suffix = std::to_string(k);
                std::string cand = n.substr(0, 10 - suffix.size()) + suffix;
                if (used.insert(lower(cand)).second) {
                    n = cand;
                    break;
                }
            }
        }
        names.push_back(n);
    }
    return names;
}

namespace {

const char* file_extension(Format format) {
    switch (format) {
    case Format::GeoJSON: return ".geojson";
    case Format::FlatGeobuf: return ".fgb";
    case Format::Shapefile: return ".shp";
    case Format::KML: return ".kml";
    case Format::GeoPackage: return ".gpkg";
    }
    return ".geojson";
}

const char* driver_name(Format format) {
    switch (format) {
    case Format::GeoJSON: return "GeoJSON";
    case Format::FlatGeobuf: return "FlatGeobuf";
    case Format::Shapefile: return "ESRI Shapefile";
    case Format::KML: return "KML";
    case Format::GeoPackage: return "GPKG";
    }
    return "GeoJSON";
}

}  // namespace

LayerWriter::LayerWriter(const OutputDir& dir, std::vector<Format> formats, std::string gpkg_name, OutputCrs crs)
    : dir_(dir), formats_(std::move(formats)), gpkg_name_(std::move(gpkg_name)), crs_(std::move(crs)) {}

LayerWriter::~LayerWriter() {
    for (auto& task : tasks_)
        if (task.valid()) task.wait();  // the layers they read must outlive them; errors went unasked
}

void LayerWriter::add(const OutLayer& layer) {
    layers_.push_back(&layer);
    if (layer.geom == OutGeom::None) return;
    for (Format format : formats_) {
        if (format == Format::GeoPackage) continue;  // one file for all layers: written by finish()
        // One file per layer: independent GDAL datasets, each written by its own thread.
        tasks_.push_back(std::async(std::launch::async, [this, &layer, format] {
            GdalErrorScope quiet;  // GDAL's error state is per thread
            const std::vector<std::string> names = format == Format::Shapefile ? shapefile_field_names(layer) : std::vector<std::string>{};
            auto path = dir_.file(layer.name + file_extension(format));
            auto ds = create(driver_name(format), path);
            write_layer(ds.get(), layer, format, path.string(), format == Format::Shapefile ? &names : nullptr, crs_);
            close(ds, path);
        }));
    }
}

void LayerWriter::add_to_geopackage(const OutLayer& layer) { gpkg_only_.push_back(&layer); }

std::vector<std::string> LayerWriter::finish() {
    std::vector<std::string> written;
    for (Format format : formats_) {
        if (format != Format::GeoPackage) continue;
        GdalErrorScope quiet;
        auto path = dir_.file(gpkg_name_);
        auto ds = create("GPKG", path);
        std::vector<const OutLayer*> all = gpkg_only_;  // the backdrop first, as it is drawn
        all.insert(all.end(), layers_.begin(), layers_.end());
        for (const OutLayer* l : all) write_layer(ds.get(), *l, format, path.string(), nullptr, crs_);
        write_layer_styles(ds.get(), all, path.string());
        close(ds, path);
    }
    // Every task is waited for before the first error is passed on.
    std::exception_ptr error;
    for (auto& task : tasks_) {
        try {
            task.get();
        } catch (...) {
            if (!error) error = std::current_exception();
        }
    }
    tasks_.clear();
    if (error) std::rethrow_exception(error);

    for (Format format : formats_) {
        if (format == Format::GeoPackage) {
            written.push_back(gpkg_name_);
            continue;
        }
        if (format == Format::Shapefile) {
            // dBASE names are at most 10 characters: the map gives each field's full name.
            CsvWriter map_csv(dir_.file("shapefile_fields.csv"));
            map_csv.text("layer").text("field").text("shapefile_field").end_row();
            for (const OutLayer* l : layers_) {
                if (l->geom == OutGeom::None) continue;
                const auto names = shapefile_field_names(*l);
                for (std::size_t i = 0; i < names.size(); ++i)
                    if (!l->fields[i].style) map_csv.text(l->name).text(l->fields[i].name).text(names[i]).end_row();
            }
            map_csv.close();
            written.push_back("shapefile_fields.csv");
        }
        for (const OutLayer* l : layers_) {
            if (l->geom == OutGeom::None) continue;
            if (format != Format::Shapefile) {
                written.push_back(l->name + file_extension(format));
                continue;
            }
            for (const char* side : {".shp", ".shx", ".dbf", ".prj", ".cpg"})
                if (std::filesystem::exists(dir_.file(l->name + side))) written.push_back(l->name + side);
        }
    }
    return written;
}

std::vector<std::string> write_layers(const std::vector<const OutLayer*>& layers, Format format, const OutputDir& dir,
                                      const std::string& gpkg_name, const OutputCrs& crs) {
    LayerWriter writer(dir, {format}, gpkg_name, crs);
    for (const OutLayer* l : layers) writer.add(*l);
    return writer.finish();
}

void write_layer_file(const OutLayer& layer, Format format, const std::filesystem::path& path, const OutputCrs& crs) {
    GdalErrorScope quiet;
    if (format == Format::Shapefile) throw_internal("write_layer_file: Shapefiles are written by write_layers");
    auto ds = create(driver_name(format), path);
    write_layer(ds.get(), layer, format, path.string(), nullptr, crs);
    close(ds, path);
}

std::string layer_geojson(const OutLayer& layer, int precision, double simplify_deg) {
    GdalErrorScope quiet;
    static std::atomic<unsigned> counter{0};
    const std::string path = "/vsimem/nightout-" + std::to_string(counter++) + ".geojson";
    {
        auto ds = create("GeoJSON", path);
        write_layer(ds.get(), layer, Format::GeoJSON, layer.name + " (GeoJSON)", nullptr, OutputCrs{}, precision, simplify_deg);
        close(ds, path);
    }
    vsi_l_offset size = 0;
    GByte* bytes = VSIGetMemFileBuffer(path.c_str(), &size, TRUE);  // TRUE: the buffer is ours, the file gone
    if (!bytes) throw_internal("GeoJSON of " + layer.name + " was not written");
    std::string text(reinterpret_cast<const char*>(bytes), static_cast<std::size_t>(size));
    CPLFree(bytes);
    return text;
}

void write_csv(const OutLayer& layer, const std::filesystem::path& path, const OutputCrs& crs) {
    // Written by nightout: GDAL's CSV driver quotes integers, which spreadsheets then read as text.
    CsvWriter out(path);
    std::vector<std::size_t> cols;
    for (std::size_t i = 0; i < layer.fields.size(); ++i)
        if (!layer.fields[i].style) cols.push_back(i);
    for (std::size_t c : cols) out.text(layer.fields[c].name);
    // Point coordinates in the output CRS: easting and northing, in its unit.
    const bool xy = !crs.wgs84() && layer.geom == OutGeom::Point;
    std::unique_ptr<OGRSpatialReference> out_srs = xy ? srs_of(crs) : nullptr;
    std::unique_ptr<OGRCoordinateTransformation> to_out = xy ? transform_to(*out_srs, path.string()) : nullptr;
    if (xy) out.text("x").text("y");
    out.end_row();
    for (std::size_t r = 0; r < layer.rows.size(); ++r) {
        const auto& row = layer.rows[r];
        for (std::size_t c : cols) {
            const Value& v = row[c];
            if (auto* iv = std::get_if<std::int64_t>(&v)) {
                if (layer.fields[c].boolean) out.text(*iv ? "true" : "false");
                else out.integer(*iv);
            } else if (auto* dv = std::get_if<double>(&v)) {
                out.number(*dv);
            } else if (auto* sv = std::get_if<std::string>(&v)) {
                out.text(*sv);
            } else {
                out.empty();
            }
        }
        if (xy) {
            OGRGeometry* g = nullptr;
            if (!layer.wkb[r].empty() && OGRGeometryFactory::createFromWkb(layer.wkb[r].data(), nullptr, &g, layer.wkb[r].size()) == OGRERR_NONE && g) {
                std::unique_ptr<OGRGeometry> owned(g);
                if (g->transform(to_out.get()) != OGRERR_NONE)
                    throw_output(path.string() + ": row " + std::to_string(r + 1) + " cannot be transformed to " + crs.code);
                const OGRPoint* p = g->toPoint();
                out.number(p->getX()).number(p->getY());
            } else {
                out.empty().empty();
            }
        }
        out.end_row();
    }
    out.close();
}

}  // namespace nightout
