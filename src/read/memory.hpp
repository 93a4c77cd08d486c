// Inputs a library caller holds in memory (a GeoDataFrame's rows, a test's table): features
// given as WKT or WKB in any CRS become a Dataset as a file's would, so every stage can run on them
// without a file. Geometries are moved to WGS84 lon/lat; invalid polygons are repaired and
// counted; a geometry of the wrong kind or unreadable WKT is an Input error naming the row.
#pragma once

#include "core/values.hpp"
#include "geo/crs.hpp"
#include "read/dataset.hpp"

#include <string>
#include <vector>

namespace nightout {

struct MemoryFeature {
    std::string id, name;
    std::string wkt;
    std::vector<Value> attrs;  // aligned with the fields given
    std::string wkb;  // used when `wkt` is empty (a GeoDataFrame's geometry crosses as WKB)
};

// `crs`: anything PROJ accepts ("EPSG:2264", a PROJ string); empty: WGS84 lon/lat.
Dataset memory_dataset(const GeosContext& ctx, const ProjContext& pctx, const std::string& role, GeomKind kind, const std::string& crs,
                       const std::vector<FieldDef>& fields, const std::vector<MemoryFeature>& features);

}  // namespace nightout
