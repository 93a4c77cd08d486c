#include "read/dataset.hpp"

#include "core/text.hpp"

#include "core/error.hpp"
#include "read/ids.hpp"

#include <cpl_error.h>
#include <gdal_priv.h>
#include <ogr_geometry.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <unordered_set>

namespace nightout {

namespace {

// GDAL reports problems through an error handler; this one, pushed on the calling thread's
// handler stack (GDAL keeps one per thread) for the whole of a read, keeps them off stderr and
// remembers the first failure, so that it ends up inside nightout's one error line.
class GdalErrors {
public:
    GdalErrors() {
        CPLPushErrorHandlerEx(&GdalErrors::handle, this);
        CPLErrorReset();
    }
    ~GdalErrors() { CPLPopErrorHandler(); }
    GdalErrors(const GdalErrors&) = delete;
    GdalErrors& operator=(const GdalErrors&) = delete;

    bool failed() const { return failed_; }
    // The first failure's text on one line, e.g. "fread(161) failed on DBF file.".
    const std::string& message() const { return message_; }
    void clear() {
        failed_ = false;
        message_.clear();
    }

private:
    static void CPL_STDCALL handle(CPLErr level, CPLErrorNum, const char* text) {
        auto* self = static_cast<GdalErrors*>(CPLGetErrorHandlerUserData());
        if (!self || (level != CE_Failure && level != CE_Fatal) || self->failed_) return;
        self->failed_ = true;
        self->message_ = text ? text : "";
        std::replace(self->message_.begin(), self->message_.end(), '\n', ' ');
        while (!self->message_.empty() && self->message_.back() == ' ') self->message_.pop_back();
    }
    bool failed_ = false;
    std::string message_;
};

// Sets a GDAL configuration option for this thread while in scope.
class ScopedGdalOption {
public:
    ScopedGdalOption(const char* key, const char* value) : key_(key) {
        if (const char* old = CPLGetThreadLocalConfigOption(key, nullptr)) old_ = old;
        CPLSetThreadLocalConfigOption(key, value);
    }
    ~ScopedGdalOption() { CPLSetThreadLocalConfigOption(key_, old_ ? old_->c_str() : nullptr); }

private:
    const char* key_;
    std::optional<std::string> old_;
};

// Opens a vector file with the limits that refuse valid files lifted: GeoJSON objects over
// 200 MB (OGR_GEOJSON_MAX_OBJ_SIZE) and CSV lines over 10 MB (the CSV driver's MAX_LINE_SIZE).
// Memory stays bounded by the file's size. `errors` must outlive the dataset.
GDALDatasetUniquePtr open_vector(const std::string& file, GdalErrors& errors) {
    (void)errors;
    const char* options[] = {"MAX_LINE_SIZE=-1", nullptr};
    return GDALDatasetUniquePtr(GDALDataset::Open(file.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, options));
}

// The message for a read that stopped early: GDAL's reason, or the count that came up short.
[[noreturn]] void throw_read_failure(const std::string& file, const std::string& layer, const std::string& where, const GdalErrors& errors) {
    throw_input(file + ": layer '" + layer + "': cannot read " + where + (errors.failed() ? " (GDAL: " + errors.message() + ")" : std::string()) +
                "; the file is truncated or damaged: export it again from its source");
}

std::optional<double> parse_number(const std::string& raw) {
    auto b = raw.find_first_not_of(" \t");
    if (b == std::string::npos) return std::nullopt;
    auto e = raw.find_last_not_of(" \t");
    std::string s = raw.substr(b, e - b + 1);
    if (!s.empty() && s[0] == '+') s.erase(0, 1);
    double v = 0;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
    return v;
}

std::optional<std::int64_t> parse_integer(const std::string& raw) {
    std::int64_t v = 0;
    auto [ptr, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), v);
    if (raw.empty() || ec != std::errc() || ptr != raw.data() + raw.size()) return std::nullopt;
    return v;
}

// The first physical line of each CSV record, so that messages can name the line
// even when quoted fields span lines. Index 0 is the header.
std::vector<std::size_t> csv_record_lines(const std::string& path) {
    std::vector<std::size_t> starts;
    std::ifstream in(path, std::ios::binary);
    if (!in) return starts;
    std::size_t line = 1;
    bool in_quotes = false, at_record_start = true;
    char c;
    while (in.get(c)) {
        if (at_record_start) {
            starts.push_back(line);
            at_record_start = false;
        }
        if (c == '"') in_quotes = !in_quotes;
        else if (c == '\n') {
            ++line;
            if (!in_quotes) at_record_start = true;
        }
    }
    return starts;
}

// The flag that gives one input's CRS: --areas-crs, --events-crs, ... (a network's is --crs).
std::string crs_flag(const std::string& role) { return role == "network" ? "--crs" : "--" + role + "-crs"; }

const char* kind_name(GeomKind kind) {
    switch (kind) {
    case GeomKind::Point: return "points";
    case GeomKind::Area: return "polygons";
    case GeomKind::Line: return "lines";
    default: return "points or polygons";
    }
}

// Finds a field by case-insensitive name among candidates, in candidate order.
int find_field(const std::vector<FieldDef>& fields, const std::vector<std::string>& candidates) {
    for (const auto& cand : candidates)
        for (std::size_t i = 0; i < fields.size(); ++i)
            if (lower(fields[i].name) == cand) return static_cast<int>(i);
    return -1;
}

std::string field_list(const std::vector<FieldDef>& fields) {
    std::string s;
    for (const auto& f : fields) s += (s.empty() ? "" : ", ") + f.name;
    return s.empty() ? "(none)" : s;
}

int require_field(const std::vector<FieldDef>& fields, const std::string& name, const std::string& file, const std::string& flag) {
    for (std::size_t i = 0; i < fields.size(); ++i)
        if (fields[i].name == name) return static_cast<int>(i);
    for (std::size_t i = 0; i < fields.size(); ++i)
        if (lower(fields[i].name) == lower(name)) return static_cast<int>(i);
    throw_usage(file + ": no field '" + name + "' (given by " + flag + "); its fields are: " + field_list(fields));
}

// Keeps only the polygonal parts of a (repaired) geometry, as one (Multi)Polygon.
GeomPtr polygonal_part(const GeosContext& ctx, GeomPtr g) {
    int type = GEOSGeomTypeId_r(ctx, g.get());
    if (type == GEOS_POLYGON || type == GEOS_MULTIPOLYGON) return g;
    std::vector<GeomPtr> polys;
    int n = GEOSGetNumGeometries_r(ctx, g.get());
    for (int i = 0; i < n; ++i) {
        const GEOSGeometry* part = GEOSGetGeometryN_r(ctx, g.get(), i);
        int t = GEOSGeomTypeId_r(ctx, part);
        if (t == GEOS_POLYGON) polys.push_back(clone(ctx, part));
        else if (t == GEOS_MULTIPOLYGON) {
            for (int j = 0; j < GEOSGetNumGeometries_r(ctx, part); ++j) polys.push_back(clone(ctx, GEOSGetGeometryN_r(ctx, part, j)));
        }
    }
    if (polys.size() == 1) return std::move(polys.front());
    return collect(ctx, GEOS_MULTIPOLYGON, std::move(polys));
}

struct Coordinates {
    double xmin = HUGE_VAL, ymin = HUGE_VAL, xmax = -HUGE_VAL, ymax = -HUGE_VAL;
    void add(const Box& b) {
        xmin = std::min(xmin, b.xmin);
        ymin = std::min(ymin, b.ymin);
        xmax = std::max(xmax, b.xmax);
        ymax = std::max(ymax, b.ymax);
    }
    bool fits_lonlat() const { return xmin >= -180 && xmax <= 180 && ymin >= -90 && ymax <= 90; }
};

// Whether every coordinate of a (linear) geometry is a finite number.
bool all_finite(const OGRGeometry& g) {
    auto curve = [](const OGRSimpleCurve& c) {
        for (int i = 0; i < c.getNumPoints(); ++i)
            if (!std::isfinite(c.getX(i)) || !std::isfinite(c.getY(i))) return false;
        return true;
    };
    switch (wkbFlatten(g.getGeometryType())) {
    case wkbPoint: return g.IsEmpty() || (std::isfinite(g.toPoint()->getX()) && std::isfinite(g.toPoint()->getY()));
    case wkbLineString: return curve(*g.toLineString());
    case wkbPolygon:
        for (const OGRLinearRing* ring : *g.toPolygon())
            if (!curve(*ring)) return false;
        return true;
    default:
        if (const auto* parts = dynamic_cast<const OGRGeometryCollection*>(&g)) {
            for (const OGRGeometry* part : *parts)
                if (!all_finite(*part)) return false;
        }
        return true;
    }
}

// Closes the polygon rings whose last point is not their first; true when one was open.
bool close_open_rings(OGRGeometry& g) {
    bool open = false;
    auto check = [&](const OGRPolygon* poly) {
        for (const OGRLinearRing* ring : *poly)
            if (ring->getNumPoints() > 0 && !ring->get_IsClosed()) open = true;
    };
    const auto flat = wkbFlatten(g.getGeometryType());
    if (flat == wkbPolygon) check(g.toPolygon());
    else if (flat == wkbMultiPolygon)
        for (const OGRPolygon* poly : *g.toMultiPolygon()) check(poly);
    if (open) g.closeRings();
    return open;
}

struct RawFeature {
    bool rings_closed = false;  // an open ring was closed: reported as repaired
    GIntBig fid = 0;
    GeomPtr geom;  // in the source CRS
    std::vector<Value> attrs;
    std::string where;
};

}  // namespace

int Dataset::field_index(const std::string& name) const {
    for (std::size_t i = 0; i < fields.size(); ++i)
        if (fields[i].name == name) return static_cast<int>(i);
    for (std::size_t i = 0; i < fields.size(); ++i)
        if (lower(fields[i].name) == lower(name)) return static_cast<int>(i);
    return -1;
}

std::vector<double> Dataset::numeric_field(const std::string& name, Log& log) const {
    int f = field_index(name);
    if (f < 0) throw_usage(path + ": " + role + " have no field '" + name + "'; fields are: " + field_list(fields));
    std::vector<double> out;
    std::size_t nulls = 0;
    for (const auto& feat : features) {
        const Value& v = feat.attrs[f];
        double x = 0;
        if (auto* i = std::get_if<std::int64_t>(&v)) x = static_cast<double>(*i);
        else if (auto* d = std::get_if<double>(&v)) x = *d;
        else if (auto* s = std::get_if<std::string>(&v)) {
            auto parsed = parse_number(*s);
            if (!parsed && s->find_first_not_of(" \t") != std::string::npos)
                throw_input(path + ": " + feat.where + " (id " + feat.id + "): field '" + fields[f].name + "' is '" + *s +
                            "', not a number; expected a non-negative count");
            if (!parsed) ++nulls;
            x = parsed.value_or(0.0);
        } else {
            ++nulls;
        }
        if (!std::isfinite(x) || x < 0)
            throw_input(path + ": " + feat.where + " (id " + feat.id + "): field '" + fields[f].name + "' is " + value_text(v) +
                        "; expected a non-negative number");
        out.push_back(x);
    }
    if (nulls) log.warn(path + ": " + std::to_string(nulls) + " " + role + " have no value in field '" + fields[f].name + "'; counted as 0");
    return out;
}

Dataset read_dataset(const GeosContext& gctx, const ProjContext& pctx, const InputSpec& spec, GeomKind kind,
                     const std::string& role, Log& log) {
    static const bool registered = [] {
        GDALAllRegister();
        return true;
    }();
    (void)registered;

    Dataset ds;
    ds.role = role;
    ds.kind = kind;
    ds.path = spec.path;
    const std::string& file = spec.path;
    const std::string expected = std::string("expected a file of ") + kind_name(kind) +
                                 " that GDAL reads (GeoJSON, GeoPackage, Shapefile, FlatGeobuf, KML, CSV)";

    bool virtual_path = file.rfind("/vsi", 0) == 0;
    std::error_code ec;
    if (!virtual_path && !std::filesystem::exists(file, ec))
        throw_input(file + ": " + role + " file not found");

    GdalErrors errors;  // declared before the dataset, so that it also hears the dataset's closing
    ScopedGdalOption geojson_limit("OGR_GEOJSON_MAX_OBJ_SIZE", "0");
    GDALDatasetUniquePtr gdal = open_vector(file, errors);
    if (!gdal) throw_input(file + ": cannot read " + role + (errors.failed() ? " (" + errors.message() + ")" : "") + "; " + expected);
    const bool is_csv = std::string(gdal->GetDriverName()) == "CSV";

    // Choose the layer.
    OGRLayer* layer = nullptr;
    if (!spec.layer.empty()) {
        layer = gdal->GetLayerByName(spec.layer.c_str());
        if (!layer) {
            std::string names;
            for (auto* l : gdal->GetLayers()) names += (names.empty() ? "" : ", ") + std::string(l->GetName());
            throw_usage(file + ": no layer '" + spec.layer + "'; its layers are: " + names);
        }
    } else if (gdal->GetLayerCount() == 1) {
        layer = gdal->GetLayer(0);
    } else if (gdal->GetLayerCount() == 0) {
        throw_input(file + ": has no layers; " + expected);
    } else {
        std::vector<OGRLayer*> fitting;
        std::string names;
        for (auto* l : gdal->GetLayers()) {
            names += (names.empty() ? "" : ", ") + std::string(l->GetName());
            auto flat = wkbFlatten(l->GetGeomType());
            bool fits = kind == GeomKind::PointOrArea ? flat != wkbNone
                        : kind == GeomKind::Line  ? (flat == wkbLineString || flat == wkbMultiLineString || flat == wkbCompoundCurve)
                        : kind == GeomKind::Point ? (flat == wkbPoint || flat == wkbMultiPoint)
                                                : (flat == wkbPolygon || flat == wkbMultiPolygon || flat == wkbCurvePolygon ||
                                                   flat == wkbMultiSurface);
            if (fits) fitting.push_back(l);
        }
        if (fitting.size() != 1)
            throw_usage(file + ": has " + std::to_string(gdal->GetLayerCount()) + " layers (" + names + "); name the " + role +
                        " layer with --" + role + "-layer");
        layer = fitting.front();
    }
    ds.layer = layer->GetName();

    // Field definitions. CSV columns are read as text and typed here, over all rows.
    OGRFeatureDefn* defn = layer->GetLayerDefn();
    for (int i = 0; i < defn->GetFieldCount(); ++i) {
        OGRFieldDefn* fd = defn->GetFieldDefn(i);
        FieldType t = FieldType::String;
        if (!is_csv) {
            if (fd->GetType() == OFTInteger || fd->GetType() == OFTInteger64) t = FieldType::Integer;
            else if (fd->GetType() == OFTReal) t = FieldType::Real;
        }
        ds.fields.push_back({fd->GetNameRef(), t});
    }

    // CSV coordinate columns.
    int lat_col = -1, lon_col = -1, wkt_col = -1;
    if (is_csv) {
        if (!spec.wkt_field.empty()) wkt_col = require_field(ds.fields, spec.wkt_field, file, "--wkt-field");
        if (!spec.lat_field.empty()) lat_col = require_field(ds.fields, spec.lat_field, file, "--lat-field");
        if (!spec.lon_field.empty()) lon_col = require_field(ds.fields, spec.lon_field, file, "--lon-field");
        if (wkt_col < 0 && lat_col < 0 && lon_col < 0) {
            lat_col = find_field(ds.fields, {"lat", "latitude", "y", "lat_dd", "ycoord", "point_y"});
            lon_col = find_field(ds.fields, {"lon", "lng", "long", "longitude", "x", "lon_dd", "xcoord", "point_x"});
            if (lat_col < 0 || lon_col < 0) {
                lat_col = lon_col = -1;
                wkt_col = find_field(ds.fields, {"wkt", "geometry", "geom", "the_geom", "shape"});
            }
        }
        if (wkt_col < 0 && (lat_col < 0 || lon_col < 0))
            throw_input(file + ": no coordinate columns among " + field_list(ds.fields) +
                        "; expected latitude (lat, latitude, y) and longitude (lon, lng, long, longitude, x) columns or a WKT "
                        "column, or name them with --lat-field/--lon-field/--wkt-field");
        if ((kind == GeomKind::Area || kind == GeomKind::Line) && wkt_col < 0)
            throw_input(file + ": " + role + " must be " + kind_name(kind) + ", but this CSV has only point columns (" + ds.fields[lat_col].name +
                        ", " + ds.fields[lon_col].name + "); give " + kind_name(kind) + " as a WKT column or another format");
    }

    const std::size_t count = static_cast<std::size_t>(std::max<GIntBig>(0, layer->GetFeatureCount(TRUE)));
    std::vector<std::size_t> csv_lines = is_csv ? csv_record_lines(file) : std::vector<std::size_t>{};

    std::vector<RawFeature> raw;
    raw.reserve(count);
    std::size_t index = 0;
    layer->ResetReading();
    errors.clear();
    const auto where_of = [&](std::size_t i) {
        return is_csv ? "line " + std::to_string(i < csv_lines.size() ? csv_lines[i] : i + 1) : "feature " + std::to_string(i);
    };
    // Every bad row is found in one read: the first ones are named in one error, or set aside with --skip-bad-rows.
    std::vector<RejectedRow> bad_rows;
    std::vector<std::string> file_lines;  // the CSV's lines, read when a row is bad
    for (auto& f : *layer) {
        ++index;
        if (errors.failed()) throw_read_failure(file, ds.layer, where_of(index), errors);
        std::string row_where;
        try {
        RawFeature r;
        r.fid = f->GetFID();
        if (is_csv) {
            std::size_t line = index < csv_lines.size() ? csv_lines[index] : index + 1;
            r.where = "line " + std::to_string(line);
        } else {
            r.where = "feature " + std::to_string(index);
        }
        row_where = r.where;
        r.attrs.resize(ds.fields.size());
        for (int i = 0; i < static_cast<int>(ds.fields.size()); ++i) {
            if (!f->IsFieldSetAndNotNull(i)) continue;
            switch (ds.fields[i].type) {
            case FieldType::Integer: r.attrs[i] = static_cast<std::int64_t>(f->GetFieldAsInteger64(i)); break;
            case FieldType::Real: r.attrs[i] = f->GetFieldAsDouble(i); break;
            case FieldType::String: {
                std::string s = f->GetFieldAsString(i);
                if (!(is_csv && s.empty())) r.attrs[i] = std::move(s);
            } break;
            }
        }

        std::unique_ptr<OGRGeometry> geom;
        if (is_csv && wkt_col < 0) {
            auto coord = [&](int col, const char* axis, double lim) {
                const Value& v = r.attrs[col];
                const std::string text = is_null(v) ? std::string() : std::get<std::string>(v);
                if (text.empty()) throw_input(file + ": " + r.where + ": field '" + ds.fields[col].name + "' is empty; expected the " + axis);
                auto x = parse_number(text);
                if (!x || !std::isfinite(*x))
                    throw_input(file + ": " + r.where + ": field '" + ds.fields[col].name + "' is '" + text + "', not a number; expected the " +
                                axis + " in decimal degrees");
                (void)lim;
                return *x;
            };
            double lat = coord(lat_col, "latitude", 90), lon = coord(lon_col, "longitude", 180);
            if (spec.crs.empty() && (std::fabs(lat) > 90 || std::fabs(lon) > 180)) {
                bool swapped = std::fabs(lat) <= 180 && std::fabs(lon) <= 90;
                throw_input(file + ": " + r.where + ": " + (std::fabs(lat) > 90 ? "latitude " + std::string("'") + ds.fields[lat_col].name + "' = " + value_text(r.attrs[lat_col]) + " is outside -90..90"
                                                                                 : "longitude '" + ds.fields[lon_col].name + "' = " + value_text(r.attrs[lon_col]) + " is outside -180..180") +
                            (swapped ? "; the latitude and longitude columns look swapped" : "") +
                            " (coordinates in another CRS need " + crs_flag(role) + ")");
            }
            geom = std::make_unique<OGRPoint>(lon, lat);
        } else if (is_csv) {
            const Value& v = r.attrs[wkt_col];
            std::string text = is_null(v) ? std::string() : std::get<std::string>(v);
            if (text.empty()) throw_input(file + ": " + r.where + ": WKT field '" + ds.fields[wkt_col].name + "' is empty; expected a geometry");
            OGRGeometry* g = nullptr;
            const char* p = text.c_str();
            if (OGRGeometryFactory::createFromWkt(&p, nullptr, &g) != OGRERR_NONE || !g)
                throw_input(file + ": " + r.where + ": field '" + ds.fields[wkt_col].name + "' is not valid WKT: '" + text.substr(0, 60) + "'");
            geom.reset(g);
            r.attrs[wkt_col] = std::monostate{};
        } else {
            OGRGeometry* g = f->GetGeometryRef();
            if (!g) throw_input(file + ": " + r.where + " has no geometry; expected " + kind_name(kind));
            geom.reset(g->clone());
        }

        if (geom->IsEmpty()) throw_input(file + ": " + r.where + " has an empty geometry; expected " + kind_name(kind));
        if (geom->hasCurveGeometry()) geom.reset(geom->getLinearGeometry());
        geom->flattenTo2D();
        auto flat = wkbFlatten(geom->getGeometryType());
        if (kind == GeomKind::PointOrArea) {
            // The first feature decides; the rest must agree.
            bool is_point = flat == wkbPoint || flat == wkbMultiPoint;
            kind = is_point ? GeomKind::Point : GeomKind::Area;
            ds.kind = kind;
        }
        if (kind == GeomKind::Point) {
            if (flat == wkbMultiPoint && geom->toMultiPoint()->getNumGeometries() == 1) geom.reset(geom->toMultiPoint()->getGeometryRef(0)->clone());
            else if (flat != wkbPoint)
                throw_input(file + ": " + r.where + " is a " + OGRGeometryTypeToName(geom->getGeometryType()) + "; " + role +
                            " must be points");
        } else if (kind == GeomKind::Line) {
            if (flat != wkbLineString && flat != wkbMultiLineString)
                throw_input(file + ": " + r.where + " is a " + OGRGeometryTypeToName(geom->getGeometryType()) + "; " + role +
                            " must be lines (street centerlines)");
        } else if (flat != wkbPolygon && flat != wkbMultiPolygon) {
            throw_input(file + ": " + r.where + " is a " + OGRGeometryTypeToName(geom->getGeometryType()) + "; " + role +
                        " must be polygons or multipolygons");
        }
        if (!all_finite(*geom))
            throw_input(file + ": " + r.where + " has a coordinate that is not a finite number (NaN or infinite); expected " + kind_name(kind) +
                        " with numeric coordinates");
        if (kind == GeomKind::Area) r.rings_closed = close_open_rings(*geom);
        std::vector<unsigned char> wkb(geom->WkbSize());
        geom->exportToWkb(wkbNDR, wkb.data(), wkbVariantIso);
        r.geom = from_wkb(gctx, wkb.data(), wkb.size());
        raw.push_back(std::move(r));
        } catch (const Error& e) {
            if (e.kind() != ErrorKind::Input) throw;
            RejectedRow bad{row_where, e.what(), {}};
            // "file: line 7: field 'lat' is empty" -> "field 'lat' is empty"
            for (const std::string& prefix : {file + ": ", row_where + ": "})
                if (bad.reason.rfind(prefix, 0) == 0) bad.reason = bad.reason.substr(prefix.size());
            if (is_csv) {
                if (file_lines.empty()) {
                    std::ifstream in(file, std::ios::binary);
                    for (std::string line; std::getline(in, line);) {
                        if (!line.empty() && line.back() == '\r') line.pop_back();
                        file_lines.push_back(std::move(line));
                    }
                }
                const std::size_t line = index < csv_lines.size() ? csv_lines[index] : index + 1;
                if (line >= 1 && line <= file_lines.size()) bad.raw = file_lines[line - 1];
            } else {
                for (int i = 0; i < static_cast<int>(ds.fields.size()); ++i)
                    if (f->IsFieldSetAndNotNull(i)) bad.raw += (bad.raw.empty() ? "" : "; ") + ds.fields[i].name + "=" + f->GetFieldAsString(i);
            }
            bad_rows.push_back(std::move(bad));
        }
        errors.clear();  // what our own geometry calls reported is checked above
    }
    if (!bad_rows.empty() && !spec.skip_bad_rows) {
        constexpr std::size_t kListed = 20;
        std::string message = file + ": " + std::to_string(bad_rows.size()) + " bad row(s) of " + std::to_string(index) + " " + role + ": ";
        for (std::size_t i = 0; i < bad_rows.size() && i < kListed; ++i) {
            const RejectedRow& b = bad_rows[i];
            // "line 3: field 'lat' is empty", "feature 2 has an empty geometry"
            message += (i ? "; " : "") + (b.reason.rfind(b.where + " ", 0) == 0 ? b.reason : b.where + ": " + b.reason);
        }
        if (bad_rows.size() > kListed) message += "; ... and " + std::to_string(bad_rows.size() - kListed) + " more";
        message += ". Fix them, or give --skip-bad-rows (plan: skip_bad_rows = true) to read the rest; the rows left out go to rejected.csv";
        throw_input(message);
    }
    // A read that stopped at a failure, or short of the count in the file's header (a truncated
    // file), is an error, never "fewer features". Shapefiles count deleted records, so their
    // count is not compared; their truncation shows as a failure.
    if (errors.failed()) throw_read_failure(file, ds.layer, where_of(index + 1), errors);
    if (index < count && std::string(gdal->GetDriverName()) != "ESRI Shapefile")
        throw_read_failure(file, ds.layer, where_of(index + 1) + " of the " + std::to_string(count) + " it announces", errors);
    if (raw.empty()) throw_input(file + ": layer '" + ds.layer + "' has no features; expected " + kind_name(kind));

    // Type CSV columns from their values: integer if all are, else real if all are numbers.
    if (is_csv) {
        for (std::size_t i = 0; i < ds.fields.size(); ++i) {
            bool all_int = true, all_num = true, any = false;
            for (const auto& r : raw) {
                if (is_null(r.attrs[i])) continue;
                any = true;
                const auto& s = std::get<std::string>(r.attrs[i]);
                if (!parse_integer(s)) all_int = false;
                if (!parse_number(s)) all_num = false;
            }
            if (!any || i == static_cast<std::size_t>(wkt_col)) continue;
            FieldType t = all_int ? FieldType::Integer : all_num ? FieldType::Real : FieldType::String;
            ds.fields[i].type = t;
            if (t == FieldType::String) continue;
            for (auto& r : raw) {
                if (is_null(r.attrs[i])) continue;
                const auto s = std::get<std::string>(r.attrs[i]);
                if (t == FieldType::Integer) r.attrs[i] = *parse_integer(s);
                else r.attrs[i] = *parse_number(s);
            }
        }
        if (wkt_col >= 0) ds.fields[wkt_col].name.clear();  // dropped from outputs
    }

    // Coordinate reference system.
    std::string from_crs;
    const OGRSpatialReference* srs = is_csv ? nullptr : layer->GetSpatialRef();
    if (srs) {
        char* wkt = nullptr;
        const char* opts[] = {"FORMAT=WKT2_2019", nullptr};
        srs->exportToWkt(&wkt, opts);
        from_crs = wkt ? wkt : "";
        CPLFree(wkt);
        ds.crs_name = srs->GetName() ? srs->GetName() : "unnamed";
        if (const char* auth = srs->GetAuthorityName(nullptr))
            if (const char* code = srs->GetAuthorityCode(nullptr)) ds.crs_name += std::string(" (") + auth + ":" + code + ")";
    } else if (!spec.crs.empty()) {
        from_crs = spec.crs;
        ds.crs_name = describe_crs(pctx, spec.crs, crs_flag(role) + "/--crs") + " (given)";
    } else {
        Coordinates c;
        for (const auto& r : raw) c.add(bounds(gctx, r.geom.get()));
        if (!c.fits_lonlat())
            throw_input(file + ": has no coordinate reference system and its coordinates (x " + std::to_string(c.xmin) + ".." +
                        std::to_string(c.xmax) + ", y " + std::to_string(c.ymin) + ".." + std::to_string(c.ymax) +
                        ") are not longitude/latitude; give its CRS with " + crs_flag(role) + " (e.g. " + crs_flag(role) +
                        " EPSG:2264; --crs gives every input without one the same CRS; in a plan: crs in its input table)");
        from_crs = kWgs84;
        ds.crs_name = "WGS 84 (EPSG:4326, assumed)";
        if (!is_csv) log.warn(file + ": no coordinate reference system; coordinates fit longitude/latitude, so WGS84 is assumed");
    }

    // Data already in WGS84 longitude/latitude (as GDAL hands it over) is kept as it is, which
    // also spares setting up a PROJ transformation (about 10 ms).
    bool lonlat_wgs84 = from_crs == kWgs84;
    if (srs) {
        const char* auth = srs->GetAuthorityName(nullptr);
        const char* code = srs->GetAuthorityCode(nullptr);
        const std::vector<int> order = srs->GetDataAxisToSRSAxisMapping();
        const bool epsg_4326 = auth && code && EQUAL(auth, "EPSG") && std::string(code) == "4326";  // axes lat, lon
        const bool crs84 = auth && code && EQUAL(auth, "OGC") && std::string(code) == "CRS84";      // axes lon, lat
        lonlat_wgs84 = (epsg_4326 && order == std::vector<int>{2, 1}) || (crs84 && order == std::vector<int>{1, 2});
    }
    std::optional<Transform> to_wgs84;
    if (!lonlat_wgs84) to_wgs84.emplace(pctx, from_crs, kWgs84);

    // Ids and names.
    // A GeoPackage keeps its id as the FID column ("id" or "fid"), not as a field.
    const std::string fid_column = is_csv ? "" : layer->GetFIDColumn();
    const std::vector<std::string> id_names = id_field_names(role);
    bool id_from_fid = false;
    if (!spec.id_field.empty()) {
        if (!fid_column.empty() && lower(spec.id_field) == lower(fid_column) && ds.field_index(spec.id_field) < 0) {
            id_from_fid = true;
            ds.id_field = fid_column;
        } else {
            ds.id_field = ds.fields[require_field(ds.fields, spec.id_field, file, "--" + role + "-id")].name;
        }
    } else {
        int f = find_field(ds.fields, id_names);
        if (f < 0) {
            // Else the one *_id field whose values are all given and all different.
            std::vector<int> unique_ids;
            for (std::size_t k = 0; k < ds.fields.size(); ++k) {
                const std::string name = lower(ds.fields[k].name);
                if (name.size() < 4 || name.compare(name.size() - 3, 3, "_id") != 0) continue;
                std::unordered_set<std::string> values;
                bool unique = true;
                for (const auto& r : raw) {
                    const std::string v = value_text(r.attrs[k]);
                    if (v.empty() || !values.insert(v).second) {
                        unique = false;
                        break;
                    }
                }
                if (unique) unique_ids.push_back(static_cast<int>(k));
            }
            if (unique_ids.size() == 1) f = unique_ids.front();
        }
        if (f >= 0) ds.id_field = ds.fields[f].name;
        else if (!fid_column.empty()) {
            // A GeoPackage's (or another database's) own feature id.
            id_from_fid = true;
            ds.id_field = fid_column;
        } else if (std::string(gdal->GetDriverName()) == "GeoJSON") {
            // GeoJSON's own feature "id" (an integer) reaches us as the FID; GDAL numbers
            // features 0, 1, 2, ... when they have none.
            for (std::size_t i = 0; i < raw.size() && !id_from_fid; ++i) id_from_fid = raw[i].fid != static_cast<GIntBig>(i);
            if (id_from_fid) ds.id_field = "id (feature)";
        }
    }
    if (!spec.name_field.empty()) {
        int f = require_field(ds.fields, spec.name_field, file, "--" + role + "-name");
        ds.name_field = ds.fields[f].name;
    } else {
        int f = find_field(ds.fields, name_field_names(role));
        if (f >= 0) ds.name_field = ds.fields[f].name;
    }
    const int id_col = ds.id_field.empty() || id_from_fid ? -1 : ds.field_index(ds.id_field);
    const int name_col = ds.name_field.empty() ? -1 : ds.field_index(ds.name_field);

    // Ids: the field's value, or the 1-based feature index. A repeated id keeps its first
    // holder; later ones get the first free "-2", "-3", ... suffix not used by any input id.
    std::vector<std::string> ids(raw.size());
    for (std::size_t i = 0; i < raw.size(); ++i) {
        ids[i] = id_from_fid ? std::to_string(raw[i].fid) : id_col >= 0 ? value_text(raw[i].attrs[id_col]) : std::string();
        if (ids[i].empty()) ids[i] = std::to_string(i + 1);
    }
    const std::unordered_set<std::string> original(ids.begin(), ids.end());
    std::unordered_set<std::string> seen;
    std::vector<std::string> duplicates;
    std::vector<std::string> repaired;
    ds.features.reserve(raw.size());
    for (std::size_t i = 0; i < raw.size(); ++i) {
        RawFeature& r = raw[i];
        Feature feat;
        feat.where = r.where;
        feat.id = ids[i];
        if (!seen.insert(feat.id).second) {
            const std::string base = feat.id;
            for (int k = 2;; ++k) {
                feat.id = base + "-" + std::to_string(k);
                if (!original.count(feat.id) && seen.insert(feat.id).second) break;
            }
            duplicates.push_back(r.where + " '" + base + "' -> '" + feat.id + "'");
        }
        feat.name = name_col >= 0 ? value_text(r.attrs[name_col]) : std::string();
        feat.geom = to_wgs84 ? to_wgs84->forward(gctx, r.geom.get(), file + ": " + r.where) : std::move(r.geom);
        Box b = bounds(gctx, feat.geom.get());
        if (b.xmin < -180.000001 || b.xmax > 180.000001 || b.ymin < -90.000001 || b.ymax > 90.000001)
            throw_input(file + ": " + r.where + ": coordinates fall outside longitude/latitude ranges after transformation; is its CRS right?");
        if (kind == GeomKind::Area && GEOSisValid_r(gctx, feat.geom.get()) != 1) {
            GeomPtr fixed = polygonal_part(gctx, own(gctx, GEOSMakeValid_r(gctx, feat.geom.get()), "make valid"));
            if (is_empty(gctx, fixed.get()))
                throw_input(file + ": " + r.where + " (id " + feat.id + ") is an invalid polygon with no area left after repair");
            feat.geom = std::move(fixed);
            repaired.push_back(r.where);
        } else if (r.rings_closed) {
            repaired.push_back(r.where + " (ring closed)");
        }
        feat.attrs = std::move(r.attrs);
        ds.features.push_back(std::move(feat));
    }
    auto listed = [](const std::vector<std::string>& v) {
        std::string s;
        for (std::size_t i = 0; i < v.size() && i < 5; ++i) s += (i ? ", " : "") + v[i];
        if (v.size() > 5) s += ", ...";
        return s;
    };
    ds.repaired = repaired.size();
    ds.duplicate_ids = duplicates.size();
    ds.rejected = std::move(bad_rows);
    if (!ds.rejected.empty())
        log.warn(file + ": " + std::to_string(ds.rejected.size()) + " bad row(s) left out (--skip-bad-rows), the first at " + ds.rejected.front().where +
                 " (" + ds.rejected.front().reason + "); all are listed in rejected.csv");
    log.info(file + ": " + std::to_string(ds.features.size()) + " " + role + ", " + describe_ids(ds));
    if (!repaired.empty())
        log.warn(file + ": repaired " + std::to_string(repaired.size()) + " invalid " + role + " polygon(s) with GEOS MakeValid (" + listed(repaired) + ")");
    if (!duplicates.empty())
        log.warn(file + ": " + std::to_string(duplicates.size()) + " duplicate " + role + " id(s) made unique (" + listed(duplicates) + ")");
    return ds;
}

int Table::field(const std::string& name) const {
    for (std::size_t i = 0; i < fields.size(); ++i) {
        const std::string& f = fields[i];
        if (f.size() == name.size() && std::equal(f.begin(), f.end(), name.begin(), [](char a, char b) {
                return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
            }))
            return static_cast<int>(i);
    }
    return -1;
}

Table read_table(const InputSpec& spec, const std::string& role) {
    Table t;
    t.role = role;
    t.path = spec.path;
    const std::string& file = spec.path;
    std::error_code ec;
    if (file.rfind("/vsi", 0) != 0 && !std::filesystem::exists(file, ec)) throw_input(file + ": " + role + " file not found");
    GdalErrors errors;
    ScopedGdalOption geojson_limit("OGR_GEOJSON_MAX_OBJ_SIZE", "0");
    GDALDatasetUniquePtr gdal = open_vector(file, errors);
    if (!gdal)
        throw_input(file + ": cannot read " + role + (errors.failed() ? " (" + errors.message() + ")" : "") +
                    "; expected a table GDAL reads (CSV, GeoPackage, ...)");
    const bool is_csv = std::string(gdal->GetDriverName()) == "CSV";
    OGRLayer* layer = nullptr;
    if (!spec.layer.empty()) layer = gdal->GetLayerByName(spec.layer.c_str());
    else if (gdal->GetLayerCount() >= 1) layer = gdal->GetLayer(0);
    if (!layer) throw_input(file + ": no " + (spec.layer.empty() ? std::string("layer") : "layer '" + spec.layer + "'"));
    OGRFeatureDefn* defn = layer->GetLayerDefn();
    for (int i = 0; i < defn->GetFieldCount(); ++i) t.fields.push_back(defn->GetFieldDefn(i)->GetNameRef());
    std::vector<std::size_t> lines = is_csv ? csv_record_lines(file) : std::vector<std::size_t>{};
    std::size_t index = 0;
    const auto where_of = [&](std::size_t i) { return is_csv ? "line " + std::to_string(i < lines.size() ? lines[i] : i + 1) : "feature " + std::to_string(i); };
    errors.clear();
    for (auto& f : *layer) {
        ++index;
        if (errors.failed()) throw_read_failure(file, layer->GetName(), where_of(index), errors);
        std::vector<std::string> row(t.fields.size());
        for (int i = 0; i < static_cast<int>(t.fields.size()); ++i)
            if (f->IsFieldSetAndNotNull(i)) row[i] = f->GetFieldAsString(i);
        t.rows.push_back(std::move(row));
        t.where.push_back(where_of(index));
    }
    if (errors.failed()) throw_read_failure(file, layer->GetName(), where_of(index + 1), errors);
    return t;
}

}  // namespace nightout
