// Writes layers through GDAL/OGR: RFC 7946 GeoJSON, one GeoPackage with every
// layer, FlatGeobuf, Shapefile (with a field-name map) and KML, plus CSV tables.
#pragma once

#include "write/layer.hpp"
#include "write/output_dir.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace nightout {

enum class Format { GeoJSON, GeoPackage, FlatGeobuf, Shapefile, KML };

// "geojson", "gpkg", "fgb", "shp", "kml"; throws a Usage error otherwise.
Format parse_format(const std::string& name);
std::string format_key(Format f);

// Writes the layers into the staging folder; returns the file names written.
std::vector<std::string> write_layers(const std::vector<const OutLayer*>& layers, Format format, const OutputDir& dir,
                                      const std::string& gpkg_name = "nightout.gpkg");

// Writes one layer to one file (not Shapefile); the caller handles temporary names.
void write_layer_file(const OutLayer& layer, Format format, const std::filesystem::path& path);

// The layer as RFC 7946 GeoJSON text (simplestyle fields kept), coordinates with `precision`
// decimals, lines and polygons simplified (topology preserved) by `simplify_deg` when > 0.
std::string layer_geojson(const OutLayer& layer, int precision = 6, double simplify_deg = 0);

// Writes the attributes of a layer (no geometry) as CSV.
void write_csv(const OutLayer& layer, const std::filesystem::path& path);

// The 10-character dBASE field names used for Shapefile output, in field order.
std::vector<std::string> shapefile_field_names(const OutLayer& layer);

}  // namespace nightout
