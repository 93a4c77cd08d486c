#include "report/backdrop.hpp"

#include "core/error.hpp"

#include <osmium/handler.hpp>
#include <osmium/handler/node_locations_for_ways.hpp>
#include <osmium/index/map/flex_mem.hpp>
#include <osmium/io/any_input.hpp>
#include <osmium/visitor.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <optional>
#include <unordered_map>
#include <vector>

namespace nightout {

namespace {

constexpr double kScale = 1e5;  // coordinates as integers of 1e-5 degrees (about a metre)

struct Band {
    double min_zoom, max_zoom;
    double tolerance_m;     // Douglas-Peucker tolerance: about a third of a pixel at the band's first zoom
    double min_polygon_m;   // water and parks smaller than this (bounding box diagonal) are left out
    BackdropClass smallest; // the smallest street class drawn
};
// Zoom 0-12: the city (main streets); 13-14: the neighbourhood (every street); 15+: the block (paths too).
constexpr Band kBands[3] = {{0, 12.99, 20, 200, BackdropClass::Tertiary},
                            {13, 14.99, 4, 40, BackdropClass::Minor},
                            {15, 30, 1, 0, BackdropClass::Path}};

constexpr const char* kKeys[kBackdropClasses] = {"motorway", "trunk", "primary", "secondary", "tertiary", "minor",
                                                 "service", "path", "water_line", "water", "park"};

bool is_street(BackdropClass c) { return c <= BackdropClass::Path; }
bool is_polygon(BackdropClass c) { return c == BackdropClass::Water || c == BackdropClass::Park; }

std::optional<BackdropClass> class_of(const osmium::TagList& tags, bool closed) {
    auto is = [](const char* v, std::initializer_list<const char*> any) {
        return v && std::any_of(any.begin(), any.end(), [&](const char* a) { return std::strcmp(v, a) == 0; });
    };
    const char* highway = tags["highway"];
    if (highway && !is(tags["area"], {"yes"})) {
        if (is(highway, {"motorway", "motorway_link"})) return BackdropClass::Motorway;
        if (is(highway, {"trunk", "trunk_link"})) return BackdropClass::Trunk;
        if (is(highway, {"primary", "primary_link"})) return BackdropClass::Primary;
        if (is(highway, {"secondary", "secondary_link"})) return BackdropClass::Secondary;
        if (is(highway, {"tertiary", "tertiary_link"})) return BackdropClass::Tertiary;
        if (is(highway, {"residential", "unclassified", "living_street", "road"})) return BackdropClass::Minor;
        if (is(highway, {"service"})) return BackdropClass::Service;
        if (is(highway, {"pedestrian", "footway", "path", "cycleway", "steps", "track", "bridleway"})) return BackdropClass::Path;
        return std::nullopt;  // construction, proposed, platforms, ...
    }
    if (is(tags["waterway"], {"river", "canal", "stream"})) return BackdropClass::WaterLine;
    if (!closed) return std::nullopt;  // areas are closed ways here (multipolygon relations are not read)
    if (is(tags["natural"], {"water"}) || is(tags["waterway"], {"riverbank"}) || is(tags["landuse"], {"reservoir", "basin"}))
        return BackdropClass::Water;
    if (is(tags["leisure"], {"park", "garden"}) || is(tags["landuse"], {"recreation_ground", "village_green"})) return BackdropClass::Park;
    return std::nullopt;
}

class Collector : public osmium::handler::Handler {
public:
    explicit Collector(const LonLatBox& box) : box_(box) {}
    void way(const osmium::Way& w) {
        const auto& nodes = w.nodes();
        if (nodes.size() < 2) return;
        const auto cls = class_of(w.tags(), nodes.front().ref() == nodes.back().ref() && nodes.size() >= 4);
        if (!cls) return;
        BackdropWay out{*cls, -1, {}};
        out.lonlat.reserve(nodes.size());
        LonLatBox way_box;  // kept when it meets the box (a long road may have no node inside)
        for (const auto& n : nodes) {
            if (!n.location().valid()) return;  // a node outside the extract
            const double lon = n.location().lon(), lat = n.location().lat();
            out.lonlat.push_back({lon, lat});
            way_box = {std::min(way_box.west, lon), std::min(way_box.south, lat), std::max(way_box.east, lon), std::max(way_box.north, lat)};
        }
        if (way_box.east < box_.west || way_box.west > box_.east || way_box.north < box_.south || way_box.south > box_.north) return;
        if (const char* name = w.tags()["name"]; name && is_street(*cls)) {
            auto [it, added] = name_index_.try_emplace(name, static_cast<int>(result.names.size()));
            if (added) result.names.emplace_back(name);
            out.name = it->second;
        }
        result.ways.push_back(std::move(out));
    }
    Backdrop result;

private:
    LonLatBox box_;
    std::unordered_map<std::string, int> name_index_;
};

// Douglas-Peucker on local metres: the indices of the points kept (first and last always).
std::vector<std::size_t> simplify(const std::vector<std::array<double, 2>>& pts, double tolerance_m) {
    const std::size_t n = pts.size();
    std::vector<char> keep(n, 0);
    keep[0] = keep[n - 1] = 1;
    const double kx = 111320.0 * std::cos(pts[0][1] * M_PI / 180), ky = 110540.0;
    std::vector<std::pair<std::size_t, std::size_t>> stack{{0, n - 1}};
    while (!stack.empty()) {
        auto [a, b] = stack.back();
        stack.pop_back();
        if (b <= a + 1) continue;
        const double ax = pts[a][0] * kx, ay = pts[a][1] * ky, bx = pts[b][0] * kx, by = pts[b][1] * ky;
        const double dx = bx - ax, dy = by - ay, len2 = dx * dx + dy * dy;
        double worst = -1;
        std::size_t at = a;
        for (std::size_t i = a + 1; i < b; ++i) {
            const double px = pts[i][0] * kx - ax, py = pts[i][1] * ky - ay;
            double d2;
            if (len2 == 0) {
                d2 = px * px + py * py;
            } else {
                const double t = std::clamp((px * dx + py * dy) / len2, 0.0, 1.0);
                const double ex = px - t * dx, ey = py - t * dy;
                d2 = ex * ex + ey * ey;
            }
            if (d2 > worst) worst = d2, at = i;
        }
        if (worst > tolerance_m * tolerance_m) {
            keep[at] = 1;
            stack.push_back({a, at});
            stack.push_back({at, b});
        }
    }
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < n; ++i)
        if (keep[i]) out.push_back(i);
    return out;
}

double diagonal_m(const std::vector<std::array<double, 2>>& pts) {
    double w = 180, e = -180, s = 90, n = -90;
    for (const auto& p : pts) w = std::min(w, p[0]), e = std::max(e, p[0]), s = std::min(s, p[1]), n = std::max(n, p[1]);
    const double dx = (e - w) * 111320.0 * std::cos((s + n) / 2 * M_PI / 180), dy = (n - s) * 110540.0;
    return std::hypot(dx, dy);
}

}  // namespace

const char* backdrop_class_key(BackdropClass c) { return kKeys[static_cast<std::size_t>(c)]; }

bool is_osm_extract(const std::string& path) {
    auto ends = [&](const char* suffix) {
        const std::size_t n = std::strlen(suffix);
        return path.size() >= n && path.compare(path.size() - n, n, suffix) == 0;
    };
    return ends(".osm") || ends(".pbf") || ends(".osm.bz2") || ends(".osm.gz");
}

Backdrop read_backdrop(const std::string& osm_path, const LonLatBox& study) {
    if (study.empty()) return {};
    LonLatBox box = study;
    const double mx = 0.1 * (box.east - box.west), my = 0.1 * (box.north - box.south);
    box.west -= mx, box.east += mx, box.south -= my, box.north += my;

    using Index = osmium::index::map::FlexMem<osmium::unsigned_object_id_type, osmium::Location>;
    Index index;
    osmium::handler::NodeLocationsForWays<Index> locations{index};
    locations.ignore_errors();
    Collector collector(box);
    try {
        osmium::io::Reader reader{osm_path, osmium::osm_entity_bits::node | osmium::osm_entity_bits::way};
        osmium::apply(reader, locations, collector);
        reader.close();
    } catch (const std::exception&) {
        throw_input(osm_path + ": cannot be read as an OpenStreetMap extract for the report's backdrop (expected .osm or .osm.pbf)");
    }
    return std::move(collector.result);
}

std::string backdrop_json(const std::string& osm_path, const LonLatBox& box, BackdropStats* stats) {
    return backdrop_json(read_backdrop(osm_path, box), stats);
}

std::vector<OutLayer> backdrop_layers(const Backdrop& backdrop) {
    // WKB, little-endian: a LineString (2) or a Polygon (3) of one ring.
    auto wkb = [](const BackdropWay& w, bool polygon) {
        std::vector<unsigned char> out;
        auto put = [&](const void* p, std::size_t n) { out.insert(out.end(), static_cast<const unsigned char*>(p), static_cast<const unsigned char*>(p) + n); };
        const std::uint32_t type = polygon ? 3 : 2, rings = 1, n = static_cast<std::uint32_t>(w.lonlat.size());
        out.push_back(1);
        put(&type, 4);
        if (polygon) put(&rings, 4);
        put(&n, 4);
        for (const auto& p : w.lonlat) put(p.data(), 16);
        return out;
    };
    OutLayer streets("streets", OutGeom::Line), areas("water_and_parks", OutGeom::Polygon);
    for (OutLayer* l : {&streets, &areas}) {
        l->kind = LayerKind::Backdrop;
        l->add_field("class", FieldType::String);
    }
    streets.title = "Streets";
    areas.title = "Water and parks";
    streets.add_field("name", FieldType::String);
    for (const BackdropWay& w : backdrop.ways) {
        if (w.cls == BackdropClass::Water || w.cls == BackdropClass::Park) {
            areas.rows.push_back({std::string(backdrop_class_key(w.cls))});
            areas.wkb.push_back(wkb(w, true));
        } else {
            streets.rows.push_back({std::string(backdrop_class_key(w.cls)), w.name >= 0 ? Value{backdrop.names[static_cast<std::size_t>(w.name)]} : Value{}});
            streets.wkb.push_back(wkb(w, false));
        }
    }
    std::vector<OutLayer> out;
    for (OutLayer* l : {&areas, &streets})
        if (!l->rows.empty()) out.push_back(std::move(*l));
    return out;
}

std::string backdrop_json(const Backdrop& backdrop, BackdropStats* stats) {
    if (backdrop.empty()) return "";
    std::string out = "{\"scale\":" + std::to_string(static_cast<long>(kScale)) + ",\"names\":" + nlohmann::json(backdrop.names).dump() + ",\"bands\":[";
    for (std::size_t b = 0; b < 3; ++b) {
        const Band& band = kBands[b];
        out += (b ? "," : "") + std::string("{\"min_zoom\":") + std::to_string(band.min_zoom) + ",\"max_zoom\":" + std::to_string(band.max_zoom) + ",\"classes\":{";
        bool first_class = true;
        for (std::size_t c = 0; c < kBackdropClasses; ++c) {
            const auto cls = static_cast<BackdropClass>(c);
            if (is_street(cls) && cls > band.smallest) continue;
            std::string ways;
            for (const BackdropWay& w : backdrop.ways) {
                if (w.cls != cls) continue;
                if (is_polygon(cls) && diagonal_m(w.lonlat) < band.min_polygon_m) continue;
                const auto kept = simplify(w.lonlat, band.tolerance_m);
                std::string coords;
                long px = 0, py = 0;
                std::size_t count = 0;
                for (std::size_t i : kept) {
                    const long x = std::lround(w.lonlat[i][0] * kScale), y = std::lround(w.lonlat[i][1] * kScale);
                    if (count && x == px && y == py) continue;  // the same point once rounded
                    coords += ',' + std::to_string(count ? x - px : x) + ',' + std::to_string(count ? y - py : y);
                    px = x, py = y;
                    ++count;
                }
                if (count < 2 || (is_polygon(cls) && count < 4)) continue;
                ways += (ways.empty() ? "[" : ",[") + std::to_string(w.name) + coords + "]";
                if (stats) stats->points[b] += count;
            }
            if (ways.empty()) continue;
            out += (first_class ? "\"" : ",\"") + std::string(kKeys[c]) + "\":[" + ways + "]";
            first_class = false;
        }
        out += "}}";
    }
    out += "]}";
    if (stats) {
        stats->ways = backdrop.ways.size();
        stats->named = static_cast<std::size_t>(std::count_if(backdrop.ways.begin(), backdrop.ways.end(), [](const BackdropWay& w) { return w.name >= 0; }));
    }
    return out;
}

}  // namespace nightout
