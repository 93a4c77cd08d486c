// The write stage's input: a layer of WGS84 features with typed fields, ready
// for any output format.
#pragma once

#include "core/values.hpp"

#include <string>
#include <vector>

namespace nightout {

enum class OutGeom { None, Point, Polygon, Line };

// What a layer shows: decides its QGIS style in a GeoPackage and its place in report.html.
enum class LayerKind { Other, Areas, Gaps, Events, Stations, ServiceAreas, Sites, Allocation, Demand, Routes, Stops, Backdrop };

// "areas", "gaps", "events", "stations", "service_areas", "sites", "allocation", "demand", "routes", "stops",
// "backdrop" (streets, water, parks drawn under everything), "other".
const char* layer_kind_key(LayerKind kind);

struct OutField {
    std::string name;
    FieldType type = FieldType::String;
    bool boolean = false;  // an Integer 0/1 written as true/false where the format can
    bool style = false;    // simplestyle-spec property: GeoJSON and KML only
};

struct OutLayer {
    OutLayer(std::string layer_name, OutGeom geometry) : name(std::move(layer_name)), geom(geometry) {}

    std::string name;
    OutGeom geom = OutGeom::None;
    LayerKind kind = LayerKind::Other;
    std::string title;        // for people: "Neighborhoods", "Gaps beyond 800m"; empty: the name
    std::string value_field;  // the share (0..1) a map colours areas by, e.g. covered_share_800m; may be empty
    std::vector<OutField> fields;
    std::vector<std::vector<unsigned char>> wkb;  // WGS84 lon/lat, one per row (empty for OutGeom::None)
    std::vector<std::vector<Value>> rows;

    // Adds a field and returns its column; a name already taken gets a numbered suffix.
    std::size_t add_field(std::string name, FieldType type, bool boolean = false, bool style = false);
    int find(const std::string& name) const;
};

// The simplestyle-spec marker properties of a point layer (kept in GeoJSON and KML only):
// marker-color, marker-symbol, marker-size, title and description, in that order.
struct MarkerFields {
    std::size_t colour, symbol, size, title, description;
};
MarkerFields add_marker_fields(OutLayer& layer);

}  // namespace nightout
