// Reading vector inputs through GDAL/OGR into WGS84 GEOS geometries with their
// ids, names and attributes. Every problem names the file, the feature or CSV
// line and the field; repairable ones (invalid polygons, duplicate ids) are
// repaired and reported.
#pragma once

#include "core/log.hpp"
#include "core/values.hpp"
#include "geo/crs.hpp"
#include "geo/geos.hpp"

#include <string>
#include <vector>

namespace nightout {

enum class GeomKind { Point, Area, PointOrArea, Line };

struct InputSpec {
    std::string path;
    std::string layer;       // required for multi-layer files unless one layer fits
    std::string id_field;    // detected when empty
    std::string name_field;  // detected when empty
    std::string lat_field, lon_field, wkt_field;  // CSV only; detected when empty
    std::string crs;         // for files that carry none
    // Rows that cannot be read (no coordinates, bad WKT, ...) are set aside in
    // Dataset::rejected instead of failing the read (--skip-bad-rows).
    bool skip_bad_rows = false;
};

// A row set aside by --skip-bad-rows: where it is, why, and its text as read.
struct RejectedRow {
    std::string where, reason, raw;
};

struct Feature {
    std::string id;
    std::string name;
    std::vector<Value> attrs;  // aligned with Dataset::fields
    GeomPtr geom;              // WGS84 lon/lat; Point, or Polygon/MultiPolygon
    std::string where;         // "feature 12" or "line 13", for messages
};

struct Dataset {
    std::string role;  // "areas", "events", ...: names the input in messages
    std::string path;
    std::string layer;
    std::string crs_name;
    GeomKind kind = GeomKind::Point;  // what was found (PointOrArea resolves on the first feature)
    std::string id_field, name_field;  // the fields used, empty when none
    std::vector<FieldDef> fields;
    std::vector<Feature> features;
    std::size_t repaired = 0;
    std::size_t duplicate_ids = 0;
    std::vector<RejectedRow> rejected;  // with InputSpec::skip_bad_rows

    // Index of a field by exact name, or -1.
    int field_index(const std::string& name) const;
    // A numeric field's value per feature; throws an Input error naming the
    // feature when a value is not a number, negative or missing (null counts as 0 with a warning).
    std::vector<double> numeric_field(const std::string& name, Log& log) const;
};

// A table without geometry (CSV, or any layer GDAL reads), every value as text.
struct Table {
    std::string role, path;
    std::vector<std::string> fields;
    std::vector<std::vector<std::string>> rows;  // "" for null
    std::vector<std::string> where;               // "line 3" (CSV) or "feature 2", per row

    // Index of a field by name, case-insensitively, or -1.
    int field(const std::string& name) const;
};

Table read_table(const InputSpec& spec, const std::string& role);

Dataset read_dataset(const GeosContext& gctx, const ProjContext& pctx, const InputSpec& spec, GeomKind kind,
                     const std::string& role, Log& log);

}  // namespace nightout
