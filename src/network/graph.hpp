// The routable road graph: compact CSR arrays over the largest strongly connected
// component, with each edge's geometry kept for routes and service areas.
#pragma once

#include "core/log.hpp"

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

namespace nightout {

using NodeId = std::uint32_t;
using EdgeId = std::uint32_t;

// Road pieces between graph nodes as found in the input, before the graph is built.
struct RawNetwork {
    struct Segment {
        NodeId a = 0, b = 0;             // end nodes (indexes into lon/lat)
        std::vector<double> lon, lat;     // the whole piece, from a to b
        double length_m = 0;
        double speed_ab_kmh = 0, speed_ba_kmh = 0;  // 0: that direction is not allowed
        bool restricted = false;  // usable only at a trip's ends (access=destination, ...)
        double delay_ab_s = 0, delay_ba_s = 0;  // added to the driving time (traffic signals)
    };
    std::vector<double> lon, lat;
    std::vector<std::int64_t> source_id;  // OSM node id, or 0
    std::vector<Segment> segments;
};

class BinaryReader;
class BinaryWriter;

struct Graph {
    std::string profile;
    std::string source;  // the input it was built from

    std::vector<double> lon, lat;          // per node
    std::vector<std::int64_t> source_id;   // per node: OSM id, or 0
    std::vector<EdgeId> first_out;         // per node + 1: edges of node u are [first_out[u], first_out[u+1])
    std::vector<NodeId> head;              // per edge
    std::vector<double> length_m, duration_s;
    std::vector<std::uint32_t> segment;    // per edge: its geometry
    std::vector<std::uint8_t> reversed;    // per edge: geometry runs head -> tail
    std::vector<std::uint32_t> seg_first;  // per segment + 1: offsets into shape_lon/lat
    std::vector<double> shape_lon, shape_lat;
    // Per edge, 1: restricted (destination, delivery, customers, ...): a route may use restricted
    // edges only in one run at its start and one run at its end, never between two unrestricted
    // parts, so such streets are not shortcuts. Empty when the graph has none (or was built
    // from centerlines).
    std::vector<std::uint8_t> restricted;

    // What building dropped outside the largest strongly connected component.
    std::uint64_t dropped_nodes = 0, dropped_edges = 0, components = 0;
    // The dropped roads' geometry (usable by the profile, but cut off from the kept part), so
    // that a point near them is reported as such rather than as far from any road. A .graph
    // file stores it (version 3), so statuses are the same from the file as from the extract.
    std::vector<std::uint32_t> dropped_seg_first;  // per dropped segment + 1: offsets into dropped_lon/lat
    std::vector<double> dropped_lon, dropped_lat;
    std::size_t dropped_segments() const { return dropped_seg_first.empty() ? 0 : dropped_seg_first.size() - 1; }

    std::size_t nodes() const { return lon.size(); }
    std::size_t edges() const { return head.size(); }
    std::size_t segments() const { return seg_first.empty() ? 0 : seg_first.size() - 1; }
    bool has_restricted() const { return !restricted.empty(); }
    bool is_restricted(EdgeId e) const { return !restricted.empty() && restricted[e]; }
    NodeId tail(EdgeId e) const;  // by binary search: fine outside hot loops
    std::size_t memory_bytes() const;
};

// Builds the graph: keeps the largest strongly connected component, orders nodes
// along a Hilbert curve for locality, and reports what was dropped.
Graph build_graph(RawNetwork raw, const std::string& profile, const std::string& source, Log& log);

// The edge weight a query minimises.
enum class Metric { Duration, Distance };
inline const std::vector<double>& weights(const Graph& g, Metric m) { return m == Metric::Duration ? g.duration_s : g.length_m; }

// Binary graph file sections (see network.hpp for whole files). Reading checks every
// length, offset, index, weight and coordinate, so a damaged file fails here, not in a search.
void write_graph(const Graph& g, BinaryWriter& out);
Graph read_graph(BinaryReader& in);

// from_node,to_node,from_lon,from_lat,to_lon,to_lat,length_m,duration_s,restricted (0/1) per directed edge.
void export_edges_csv(const Graph& g, const std::string& path);

}  // namespace nightout
