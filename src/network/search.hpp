// Shortest paths on the road graph: snapping points onto edges, and Dijkstra
// searches from snapped points (one-to-all, one-to-many), tracking both the
// minimised weight and the length of the chosen path.
#pragma once

#include "geo/spatial_index.hpp"
#include "network/graph.hpp"

#include <limits>
#include <memory>
#include <vector>

namespace nightout {

constexpr double kUnreached = std::numeric_limits<double>::infinity();
constexpr EdgeId kNoEdge = UINT32_MAX;

// A point placed on the nearest routable edge.
struct Snapped {
    bool ok = false;
    std::uint32_t segment = 0;
    double t = 0;             // fraction of the segment's length from its first node
    double snap_m = 0;        // geodesic distance from the point to the (nearest kept) road, also when beyond max_m
    // ok == false only: a road of a part of the network that was dropped (not strongly connected
    // with the rest, e.g. cut by the extract's border) lies within max_m, cut_off_m away.
    bool cut_off = false;
    double cut_off_m = 0;
    double lon = 0, lat = 0;  // the point on the road
    EdgeId forward = kNoEdge, backward = kNoEdge;  // the segment's edges: first->last node, and back
};

// Nearest-edge lookup over the graph's segment geometries.
class Snapper {
public:
    explicit Snapper(const Graph& g);
    ~Snapper();
    Snapper(const Snapper&) = delete;
    Snapper& operator=(const Snapper&) = delete;
    // Returns ok=false when no road lies within max_m.
    Snapped snap(double lon, double lat, double max_m) const;
    // The directed edges (forward, backward) that use a segment.
    std::pair<EdgeId, EdgeId> edges_of(std::uint32_t segment) const { return seg_edges_[segment]; }

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    std::vector<std::pair<EdgeId, EdgeId>> seg_edges_;
};

// A start or end of a search: node with a cost offset (and length offset).
struct Seed {
    NodeId node;
    double cost, length;
    std::uint32_t label = 0;  // which source it belongs to, carried to every node it reaches first
    // The piece between the point and this node (node and point, for a target) is empty or on a
    // restricted edge, so restricted edges may continue it; false on an unrestricted edge.
    bool restricted_or_empty = true;
};

// The restricted edges by head node, for backward runs.
struct RestrictedInto {
    explicit RestrictedInto(const Graph& g);
    std::vector<std::pair<NodeId, EdgeId>> by_head;  // sorted
};

// Extends seeds over restricted edges from those whose piece is restricted or empty: forward
// from sources (into == null: the restricted run a trip may start with), or backward to
// targets (the run it may end with). The contraction hierarchy holds no restricted edges;
// these runs are added at its ends. Returns the seeds unchanged when the graph has none.
std::vector<Seed> restricted_run(const Graph& g, const std::vector<double>& w, std::vector<Seed> seeds, const RestrictedInto* into);

// Where a snapped point enters the graph (as a source) or leaves it (as a target).
std::vector<Seed> source_seeds(const Graph& g, const std::vector<double>& w, const Snapped& s);
std::vector<Seed> target_seeds(const Graph& g, const std::vector<double>& w, const Snapped& s);
// The direct cost along the shared segment when source and target lie on the same one.
bool same_segment_cost(const Graph& g, const std::vector<double>& w, const Snapped& s, const Snapped& t, double& cost, double& length);

// A monotone priority queue (radix heap, Ahuja et al. 1990) for Dijkstra: keys never
// drop below the last one popped, so items sit in buckets by the highest bit in which they
// differ from it; popping refills the low buckets from the first non-empty one. Costs are
// non-negative doubles, whose bit patterns order like the numbers.
class RadixHeap {
public:
    bool empty() const { return size_ == 0; }
    void clear();
    void push(double key, NodeId node);
    // Removes and returns an item with the smallest key.
    std::pair<double, NodeId> pop();

private:
    struct Item {
        std::uint64_t key;
        NodeId node;
    };
    static int bucket(std::uint64_t key, std::uint64_t last) { return key == last ? 0 : 64 - __builtin_clzll(key ^ last); }
    std::vector<Item> buckets_[65];
    std::uint64_t last_ = 0;
    std::uint64_t nonempty_ = 0;  // bit i-1 set: buckets_[i] (i >= 1) holds items
    std::size_t size_ = 0;
};

// One Dijkstra search, reusable across queries (one per thread). On a graph with restricted
// edges it searches three states per node, so that a path uses restricted edges only in one
// run at its start and one at its end: "prefix" (restricted edges only so far), "free" (after
// an unrestricted edge) and "suffix" (restricted again after free; no unrestricted edge may
// follow). Without restricted edges there is one state per node and nothing else changes.
class Dijkstra {
public:
    Dijkstra(const Graph& g, const std::vector<double>& weight);
    // Runs from the seeds until every node with cost <= cutoff is settled.
    void run(const std::vector<Seed>& seeds, double cutoff = kUnreached);
    // The same, tracking costs only (length, paths and labels are then stale).
    void run_costs(const std::vector<Seed>& seeds, double cutoff = kUnreached);
    // The best path to v, wherever it goes on.
    double cost(NodeId v) const { return cost_via(v, kNoEdge); }
    double length(NodeId v) const { return length_via(v, kNoEdge); }
    std::uint32_t label(NodeId v) const { return label_via(v, kNoEdge); }  // valid where cost(v) is finite
    // The best path to v that may go on along edge `next` (a restricted edge may follow any
    // path, an unrestricted one only a path without a restricted edge after an unrestricted one).
    double cost_via(NodeId v, EdgeId next) const;
    double length_via(NodeId v, EdgeId next) const;
    std::uint32_t label_via(NodeId v, EdgeId next) const;
    // The edges of that path, from its seed to v (after run()).
    std::vector<EdgeId> path_via(NodeId v, EdgeId next) const;
    // Nodes in the order settled (a node may appear once per state).
    const std::vector<NodeId>& settled() const { return settled_; }

private:
    static constexpr std::uint32_t kNoState = UINT32_MAX;
    std::uint32_t state_via(NodeId v, EdgeId next) const;
    template <bool Full, bool Phased>
    void search(const std::vector<Seed>& seeds, double cutoff);
    const Graph& g_;
    const std::vector<double>& w_;
    const std::size_t n_;
    const bool phased_;  // the graph has restricted edges: states v + n * phase
    std::vector<double> cost_, length_;
    std::vector<EdgeId> parent_;
    std::vector<std::uint8_t> parent_phase_;
    std::vector<std::uint32_t> label_;
    // stamp_[s] == round_: state s was reached in this search; done_ likewise for settled.
    std::vector<std::uint32_t> stamp_, done_;
    std::uint32_t round_ = 0;
    RadixHeap heap_;  // lazy: a state may sit in it several times; stale entries are skipped
    std::vector<NodeId> settled_;
};

// Cost and length from a snapped source to a snapped target after a search from the source.
void cost_to(const Graph& g, const std::vector<double>& w, const Dijkstra& d, const Snapped& s, const Snapped& t, double& cost,
             double& length);

}  // namespace nightout

namespace nightout {

// Where fraction t of a polyline's length falls, given the cumulative lengths at its
// vertices (cum[0] = 0): on the piece from vertex k to k+1, at fraction u of that piece.
struct PolylinePosition {
    std::size_t k;
    double u;
};
PolylinePosition locate_fraction(const std::vector<double>& cum, double t);

// Appends the part of a segment's geometry between fractions t_from and t_to of its
// length (t_from > t_to walks it backwards), end points included.
void segment_points(const Graph& g, std::uint32_t segment, double t_from, double t_to, std::vector<double>& lon, std::vector<double>& lat);

// The route from a snapped source to a snapped target after `d` ran from the source's
// seeds, as a lon/lat polyline; empty when the target was not reached.
void route_points(const Graph& g, const std::vector<double>& w, const Dijkstra& d, const Snapped& s, const Snapped& t,
                  std::vector<double>& lon, std::vector<double>& lat);

}  // namespace nightout
