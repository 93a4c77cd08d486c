#include "write/layer.hpp"

namespace nightout {

const char* layer_kind_key(LayerKind kind) {
    switch (kind) {
    case LayerKind::Areas: return "areas";
    case LayerKind::Gaps: return "gaps";
    case LayerKind::Events: return "events";
    case LayerKind::Stations: return "stations";
    case LayerKind::ServiceAreas: return "service_areas";
    case LayerKind::Sites: return "sites";
    case LayerKind::Allocation: return "allocation";
    case LayerKind::Demand: return "demand";
    case LayerKind::Routes: return "routes";
    case LayerKind::Stops: return "stops";
    case LayerKind::Backdrop: return "backdrop";
    case LayerKind::Other: break;
    }
    return "other";
}

int OutLayer::find(const std::string& name) const {
    for (std::size_t i = 0; i < fields.size(); ++i)
        if (fields[i].name == name) return static_cast<int>(i);
    return -1;
}

std::size_t OutLayer::add_field(std::string name, FieldType type, bool boolean, bool style) {
    if (find(name) >= 0) {
        std::string base = name;
        for (int k = 2; find(name = base + "_" + std::to_string(k)) >= 0; ++k) {
        }
    }
    fields.push_back({std::move(name), type, boolean, style});
    return fields.size() - 1;
}

MarkerFields add_marker_fields(OutLayer& layer) {
    MarkerFields m{};
    m.colour = layer.add_field("marker-color", FieldType::String, false, true);
    m.symbol = layer.add_field("marker-symbol", FieldType::String, false, true);
    m.size = layer.add_field("marker-size", FieldType::String, false, true);
    m.title = layer.add_field("title", FieldType::String, false, true);
    m.description = layer.add_field("description", FieldType::String, false, true);
    return m;
}

}  // namespace nightout
