// report.html's offline backdrop: the streets of the study's own OpenStreetMap extract by class
// (motorways to footpaths), water and parks where the extract has them, and the streets' names,
// simplified for three bands of zoom levels so that the page stays small. report.js draws it on
// a canvas under the layers (the names above them), so the map reads without a tile server.
#pragma once

#include <cstddef>
#include <string>

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

struct BackdropStats {
    std::size_t ways = 0, named = 0;
    std::size_t points[3] = {0, 0, 0};  // coordinates kept per zoom band
};

// The backdrop of the ways of `osm_path` that meet `box` (grown by a tenth on each side), as the
// JSON object report.js reads: {"scale", "names", "bands": [{"min_zoom", "max_zoom", "classes":
// {class: [[name index or -1, x0, y0, dx1, dy1, ...], ...]}}]}, coordinates in 1e-5 degrees, each
// way delta-encoded. Empty when the extract has nothing to draw there. Throws an Input error
// naming the file when it cannot be read.
std::string backdrop_json(const std::string& osm_path, const LonLatBox& box, BackdropStats* stats = nullptr);

}  // namespace nightout
