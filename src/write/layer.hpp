// The write stage's input: a layer of WGS84 features with typed fields, ready
// for any output format.
#pragma once

#include "core/values.hpp"

#include <string>
#include <vector>

namespace nightout {

enum class OutGeom { None, Point, Polygon, Line };

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
    std::vector<OutField> fields;
    std::vector<std::vector<unsigned char>> wkb;  // WGS84 lon/lat, one per row (empty for OutGeom::None)
    std::vector<std::vector<Value>> rows;

    // Adds a field and returns its column; a name already taken gets a numbered suffix.
    std::size_t add_field(std::string name, FieldType type, bool boolean = false, bool style = false);
    int find(const std::string& name) const;
};

}  // namespace nightout
