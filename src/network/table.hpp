// Travel-cost tables between arbitrary lon/lat points over a road network: the
// points are snapped onto the nearest routable edge, then one many-to-many query
// answers every pair (a contraction hierarchy when one is at hand for the metric,
// one Dijkstra per source otherwise). Jobs that need costs between their own points
// (siting, officer routing) start here rather than with the search primitives.
#pragma once

#include "core/log.hpp"
#include "geo/spatial_index.hpp"
#include "network/network.hpp"
#include "network/search.hpp"

#include <string>
#include <vector>

namespace nightout {

// Points to snap: positions, their ids (for warnings) and what they are ("demand", "events (events.csv)").
struct PointSet {
    std::vector<LonLat> points;
    std::vector<std::string> ids;
    std::string what;
};

struct TravelTable {
    std::vector<Snapped> from, to;  // from[i].ok == false: no road within the snapping distance
    std::vector<double> cost;       // row-major from x to, in the metric's unit (s or m); kUnreached when no route
    std::vector<double> length_m;   // length of the chosen path
    std::string method;             // "contraction hierarchy" or "dijkstra"
    double at(std::size_t i, std::size_t j) const { return cost[i * to.size() + j]; }
};

// Builds the table; the network's hierarchy is used for durations when present,
// and for larger distance tables a hierarchy on lengths is built on the fly.
TravelTable travel_table(const Network& net, Metric metric, const PointSet& from, const PointSet& to, double max_snap_m, unsigned threads,
                         Log& log);

// Snaps points, warning once (naming the first few ids) about those too far from any road
// and what follows for them (`consequence`).
std::vector<Snapped> snap_points(const Snapper& snapper, const PointSet& points, double max_snap_m, Log& log,
                                 const std::string& consequence = "are reported unreachable");

// Why a point is off the network: "far_from_roads" (no road within max_snap_m) or "cut_off"
// (only roads of a dropped part are near); "" when it is on the network.
const char* off_network_reason(const Snapped& s);
// The same in words, with the distances, for popups and reasons.
std::string describe_off_network(const Snapped& s, double max_snap_m);

}  // namespace nightout
