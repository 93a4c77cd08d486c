// report.html's offline backdrop: the streets of the study's own OpenStreetMap extract by class
// (motorways to footpaths), water and parks where the extract has them, and the streets' names,
// simplified for three bands of zoom levels so that the page stays small. report.js draws it on
// a canvas under the layers (the names above them), so the map reads without a tile server.
#pragma once

#include "write/layer.hpp"

#include <array>
#include <cstddef>
#include <string>
#include <vector>

namespace nightout {

struct LonLatBox {
    double west = 180, south = 90, east = -180, north = -90;
    bool empty() const { return west > east || south > north; }
};

// The drawing classes, from the largest street to the smallest, then water and parks.
enum class BackdropClass { Motorway, Trunk, Primary, Secondary, Tertiary, Minor, Service, Path, WaterLine, Water, Park };
inline constexpr std::size_t kBackdropClasses = 11;
// "motorway", "trunk", ..., "path", "water_line", "water", "park".
const char* backdrop_class_key(BackdropClass c);

// Whether `path` names an OpenStreetMap extract (.osm, .osm.pbf, .pbf, .osm.bz2, .osm.gz).
bool is_osm_extract(const std::string& path);

// The ways of an extract that the backdrop draws, as read (full detail, WGS84 lon/lat).
struct BackdropWay {
    BackdropClass cls;
    int name = -1;  // index into Backdrop::names; streets only
    std::vector<std::array<double, 2>> lonlat;
};
struct Backdrop {
    std::vector<BackdropWay> ways;
    std::vector<std::string> names;
    bool empty() const { return ways.empty(); }
};

// The ways of `osm_path` that meet `box` (grown by a tenth on each side): streets by class,
// water and parks (closed ways; multipolygon relations are not read). Throws an Input error
// naming the file when it cannot be read.
Backdrop read_backdrop(const std::string& osm_path, const LonLatBox& box);

// For the GeoPackage (and so the QGIS project's backdrop group), in full detail: "streets"
// (lines: class, name) and "water_and_parks" (polygons: class), of LayerKind::Backdrop; a
// layer with no way is left out.
std::vector<OutLayer> backdrop_layers(const Backdrop& backdrop);

struct BackdropStats {
    std::size_t ways = 0, named = 0;
    std::size_t points[3] = {0, 0, 0};  // coordinates kept per zoom band
};

// The backdrop as the JSON object report.js reads: {"scale", "names", "bands": [{"min_zoom", "max_zoom", "classes":
// {class: [[name index or -1, x0, y0, dx1, dy1, ...], ...]}}]}, coordinates in 1e-5 degrees, each
// way delta-encoded. Empty when there is nothing to draw.
std::string backdrop_json(const Backdrop& backdrop, BackdropStats* stats = nullptr);
// read_backdrop, then backdrop_json.
std::string backdrop_json(const std::string& osm_path, const LonLatBox& box, BackdropStats* stats = nullptr);

}  // namespace nightout
