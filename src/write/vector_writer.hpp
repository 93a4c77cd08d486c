// Writes layers through GDAL/OGR: RFC 7946 GeoJSON, one GeoPackage with every
// layer, FlatGeobuf, Shapefile (with a field-name map) and KML, plus CSV tables.
#pragma once

#include "write/layer.hpp"
#include "write/output_dir.hpp"

#include <filesystem>
#include <future>
#include <string>
#include <vector>

namespace nightout {

enum class Format { GeoJSON, GeoPackage, FlatGeobuf, Shapefile, KML };

// The CRS of the GeoPackage, FlatGeobuf and Shapefile outputs (and of the coordinates of point
// layers in CSV), as "EPSG:NNNN"; empty: WGS84 lon/lat. GeoJSON (RFC 7946) and KML are always
// WGS84, as their standards require.
struct OutputCrs {
    std::string code;
    bool wgs84() const { return code.empty(); }
};
// Checks a --out-crs / out_crs value: "EPSG:NNNN" of a CRS PROJ knows, with a projected or
// geographic 2D coordinate system; throws a Usage error naming `what` otherwise.
OutputCrs parse_out_crs(const std::string& text, const std::string& what = "--out-crs");

// "geojson", "gpkg", "fgb", "shp", "kml"; throws a Usage error otherwise.
Format parse_format(const std::string& name);
std::string format_key(Format f);

// Writes layers into the staging folder in the background as they become ready, so that
// writing overlaps the work still to come: each file of a layer is written by its own
// thread. A GeoPackage holds every layer, so it is written by finish(), in the order added.
class LayerWriter {
public:
    LayerWriter(const OutputDir& dir, std::vector<Format> formats, std::string gpkg_name = "nightout.gpkg", OutputCrs crs = {});
    ~LayerWriter();  // waits for writes still running (finish() reports their errors)
    LayerWriter(const LayerWriter&) = delete;
    LayerWriter& operator=(const LayerWriter&) = delete;

    // Starts writing the layer; it must stay alive and unchanged until finish() returns or,
    // should an error come first, until the writer is destroyed (declare layers before it).
    void add(const OutLayer& layer);
    // A layer for the GeoPackage alone (the streets of the backdrop), when it is among the formats.
    void add_to_geopackage(const OutLayer& layer);
    // Waits for every write, rethrows the first error, and returns the file names written.
    std::vector<std::string> finish();

private:
    const OutputDir& dir_;
    std::vector<Format> formats_;
    std::string gpkg_name_;
    OutputCrs crs_;
    std::vector<const OutLayer*> layers_, gpkg_only_;
    std::vector<std::future<void>> tasks_;
};

// Writes the layers into the staging folder; returns the file names written.
std::vector<std::string> write_layers(const std::vector<const OutLayer*>& layers, Format format, const OutputDir& dir,
                                      const std::string& gpkg_name = "nightout.gpkg", const OutputCrs& crs = {});

// Writes one layer to one file (not Shapefile); the caller handles temporary names.
void write_layer_file(const OutLayer& layer, Format format, const std::filesystem::path& path, const OutputCrs& crs = {});

// The layer as RFC 7946 GeoJSON text (simplestyle fields kept), coordinates with `precision`
// decimals, lines and polygons simplified (topology preserved) by `simplify_deg` when > 0.
std::string layer_geojson(const OutLayer& layer, int precision = 6, double simplify_deg = 0);

// Writes the attributes of a layer as CSV; with an output CRS, a point layer also gets its
// coordinates in that CRS as the last two columns, x and y (easting, northing).
void write_csv(const OutLayer& layer, const std::filesystem::path& path, const OutputCrs& crs = {});

// The 10-character dBASE field names used for Shapefile output, in field order.
std::vector<std::string> shapefile_field_names(const OutLayer& layer);

}  // namespace nightout
