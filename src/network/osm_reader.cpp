#include "network/osm_reader.hpp"

#include "core/error.hpp"
#include "geo/geodesic.hpp"

#include <osmium/handler.hpp>
#include <osmium/handler/node_locations_for_ways.hpp>
#include <osmium/index/map/flex_mem.hpp>
#include <osmium/io/any_input.hpp>
#include <osmium/visitor.hpp>

#include <algorithm>
#include <filesystem>
#include <unordered_map>
#include <unordered_set>

namespace nightout {

namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

struct KeptWay {
    std::vector<osmium::object_id_type> nodes;
    std::vector<double> lon, lat;
    double speed_ab = 0, speed_ba = 0;
    bool restricted = false;
};

// Collects the ways a profile may use, with their node locations.
class WayCollector : public osmium::handler::Handler {
public:
    explicit WayCollector(const Profile& p) : profile_(p) {}

    // Nodes come before ways in OSM files: remember the ones that stop this mode.
    void node(const osmium::Node& n) {
        const auto& tags = n.tags();
        if (tags.empty()) return;
        const char* access = nullptr;
        for (const auto& key : profile_.access_tags)
            if ((access = tags[key.c_str()])) break;
        if (profile_.node_blocks(tags["barrier"], access, tags["locked"])) barriers.insert(n.id());
        if (profile_.traffic_signal_penalty_s > 0 && tags.has_tag("highway", "traffic_signals")) signals.insert(n.id());
    }

    void way(const osmium::Way& w) {
        const char* highway = w.tags()["highway"];
        if (!highway) return;
        ++highways_;
        const char* area = w.tags()["area"];
        if (area && std::string(area) == "yes") return;
        // Roads under construction, planned or out of use.
        auto listed = [](const std::vector<std::string>& list, const char* v) { return std::find(list.begin(), list.end(), v) != list.end(); };
        if (listed(profile_.excluded_highways, highway)) return;
        for (const char* key : {"construction", "proposed"})
            if (const char* v = w.tags()[key]; v && !listed(profile_.construction_allowed, v)) return;
        // The most specific access tag present decides.
        bool restricted = false;
        for (const auto& key : profile_.access_tags) {
            const char* v = w.tags()[key.c_str()];
            if (!v) continue;
            restricted = listed(profile_.restricted_access, v);
            if (!restricted && listed(profile_.access_denied, v)) return;
            break;
        }
        auto tag = [&](const char* key) -> std::string {
            const char* v = w.tags()[key];
            return v ? v : "";
        };
        const std::string maxspeed = tag("maxspeed"), service = tag("service");
        auto speed = profile_.speed_for(highway, maxspeed, service);
        if (!speed) return;
        // Direction-specific limits (maxspeed:forward / :backward) where given.
        const std::string max_fw = tag("maxspeed:forward"), max_bw = tag("maxspeed:backward");
        const double speed_fw = max_fw.empty() ? *speed : profile_.speed_for(highway, max_fw, service).value_or(*speed);
        const double speed_bw = max_bw.empty() ? *speed : profile_.speed_for(highway, max_bw, service).value_or(*speed);

        int dir = 0;  // 0 both, 1 forward only, -1 backward only
        if (profile_.oneway) {
            std::string hw = highway;
            const char* junction = w.tags()["junction"];
            if (hw == "motorway" || (junction && (std::string(junction) == "roundabout" || std::string(junction) == "circular"))) dir = 1;
            const char* ow = w.tags()["oneway"];
            if (!profile_.oneway_tag.empty() && w.tags()[profile_.oneway_tag.c_str()]) ow = w.tags()[profile_.oneway_tag.c_str()];
            if (ow) {
                std::string o = ow;
                if (o == "yes" || o == "true" || o == "1") dir = 1;
                else if (o == "-1" || o == "reverse") dir = -1;
                else if (o == "no" || o == "false" || o == "0") dir = 0;
            }
        }
        KeptWay k;
        k.restricted = restricted;
        k.speed_ab = dir >= 0 ? speed_fw : 0;
        k.speed_ba = dir <= 0 ? speed_bw : 0;
        // Extracts cut ways at their border: keep the runs of nodes that have locations.
        auto flush = [&] {
            if (k.nodes.size() >= 2) ways.push_back(k);
            k.nodes.clear();
            k.lon.clear();
            k.lat.clear();
        };
        for (const auto& nr : w.nodes()) {
            if (!nr.location().valid()) {
                ++missing_;
                flush();
                continue;
            }
            k.nodes.push_back(nr.ref());
            k.lon.push_back(nr.location().lon());
            k.lat.push_back(nr.location().lat());
        }
        flush();
    }

    std::vector<KeptWay> ways;
    std::unordered_set<osmium::object_id_type> barriers;  // nodes this mode cannot pass
    std::unordered_set<osmium::object_id_type> signals;   // traffic signals, when the profile delays them
    std::size_t highways_ = 0, missing_ = 0;

private:
    const Profile& profile_;
};

}  // namespace

bool is_osm_file(const std::string& path) {
    return ends_with(path, ".osm.pbf") || ends_with(path, ".pbf") || ends_with(path, ".osm") || ends_with(path, ".osm.gz") ||
           ends_with(path, ".osm.bz2");
}

RawNetwork read_osm_network(const std::string& path, const Profile& profile, Log& log) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) throw_input(path + ": network file not found");
    using Index = osmium::index::map::FlexMem<osmium::unsigned_object_id_type, osmium::Location>;
    Index index;
    osmium::handler::NodeLocationsForWays<Index> locations{index};
    locations.ignore_errors();
    WayCollector collector(profile);
    try {
        osmium::io::Reader reader{path, osmium::osm_entity_bits::node | osmium::osm_entity_bits::way};
        osmium::apply(reader, locations, collector);
        reader.close();
    } catch (const std::exception& e) {
        throw_input(path + ": cannot read OpenStreetMap data (" + e.what() + "); the file may be truncated or corrupt");
    }
    if (collector.ways.empty())
        throw_input(path + ": no roads usable by the " + profile.name + " profile (" + std::to_string(collector.highways_) +
                    " highway ways in the file)");

    // Graph nodes: way end points, nodes shared by several ways, and barriers.
    std::unordered_map<osmium::object_id_type, std::uint32_t> uses;
    for (const auto& w : collector.ways) {
        for (auto id : w.nodes) uses[id] += collector.barriers.count(id) ? 3 : 1;
        uses[w.nodes.front()] += 2;
        uses[w.nodes.back()] += 2;
    }
    RawNetwork raw;
    std::unordered_map<osmium::object_id_type, NodeId> node_of;
    std::unordered_set<osmium::object_id_type> barriers_on_roads;
    auto node = [&](osmium::object_id_type id, double lon, double lat) {
        // A barrier becomes one dead-end node per road piece touching it, so nothing passes it.
        const bool barrier = collector.barriers.count(id) > 0;
        if (barrier) barriers_on_roads.insert(id);
        else if (auto it = node_of.find(id); it != node_of.end()) return it->second;
        const auto v = static_cast<NodeId>(raw.lon.size());
        raw.lon.push_back(lon);
        raw.lat.push_back(lat);
        raw.source_id.push_back(id);
        if (!barrier) node_of.emplace(id, v);
        return v;
    };
    for (const auto& w : collector.ways) {
        std::vector<std::size_t> cuts{0};
        for (std::size_t i = 1; i + 1 < w.nodes.size(); ++i)
            if (uses[w.nodes[i]] >= 2) cuts.push_back(i);
        cuts.push_back(w.nodes.size() - 1);
        for (std::size_t c = 0; c + 1 < cuts.size(); ++c) {
            std::size_t from = cuts[c], to = cuts[c + 1];
            // A closed piece is cut at its middle vertex so that it is not a self-loop.
            std::vector<std::pair<std::size_t, std::size_t>> pieces;
            if (w.nodes[from] == w.nodes[to] && to - from >= 2) {
                std::size_t mid = (from + to) / 2;
                pieces = {{from, mid}, {mid, to}};
            } else {
                pieces = {{from, to}};
            }
            for (auto [a, b] : pieces) {
                RawNetwork::Segment s;
                s.a = node(w.nodes[a], w.lon[a], w.lat[a]);
                s.b = node(w.nodes[b], w.lon[b], w.lat[b]);
                for (std::size_t i = a; i <= b; ++i) {
                    s.lon.push_back(w.lon[i]);
                    s.lat.push_back(w.lat[i]);
                    if (i > a) s.length_m += geodesic_distance(w.lon[i - 1], w.lat[i - 1], w.lon[i], w.lat[i]);
                }
                s.speed_ab_kmh = w.speed_ab;
                s.speed_ba_kmh = w.speed_ba;
                s.restricted = w.restricted;
                // Traffic signals delay who passes them: inside the piece both ways, at an end
                // whoever drives towards it (once per signal passed, as OSRM counts them).
                const double delay = profile.traffic_signal_penalty_s;
                for (std::size_t i = a + 1; i < b; ++i)
                    if (collector.signals.count(w.nodes[i])) s.delay_ab_s += delay, s.delay_ba_s += delay;
                if (collector.signals.count(w.nodes[b])) s.delay_ab_s += delay;
                if (collector.signals.count(w.nodes[a])) s.delay_ba_s += delay;
                raw.segments.push_back(std::move(s));
            }
        }
    }
    log.info(path + ": " + std::to_string(collector.ways.size()) + " ways usable by the " + profile.name + " profile, " +
             std::to_string(raw.lon.size()) + " graph nodes");
    if (!barriers_on_roads.empty())
        log.info(path + ": " + std::to_string(barriers_on_roads.size()) + " barrier nodes on its roads stop the " + profile.name + " profile");
    if (collector.missing_ > 0)
        log.info(path + ": " + std::to_string(collector.missing_) + " way node references outside the extract were skipped");
    return raw;
}

}  // namespace nightout
