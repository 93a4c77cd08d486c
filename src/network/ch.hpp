// Contraction hierarchies (Geisberger et al. 2008) for fast many-to-many tables:
// nodes are contracted in order of importance, adding shortcuts that preserve
// shortest paths; a table is then answered with bucket-based upward searches
// (Knopp et al. 2007) instead of one full Dijkstra per source.
#pragma once

#include "core/log.hpp"
#include "network/graph.hpp"
#include "network/search.hpp"

#include <vector>

namespace nightout {

struct ContractionHierarchy {
    // Upward graphs in CSR form: `up` holds edges u->v with rank[v] > rank[u]; `down`
    // holds, at v, the reversed edges u->v with rank[u] > rank[v] (searched from targets).
    std::vector<std::uint32_t> rank;
    std::vector<EdgeId> up_first, down_first;
    std::vector<NodeId> up_head, down_head;
    std::vector<double> up_cost, up_length, down_cost, down_length;
    std::uint64_t shortcuts = 0;

    bool empty() const { return rank.empty(); }
};

// Over the graph's unrestricted edges; ch_table adds the restricted runs at a trip's ends.
// `threads` 0: all cores (the initial priorities are computed in parallel).
ContractionHierarchy build_ch(const Graph& g, const std::vector<double>& weight, Log& log, unsigned threads = 0);

// cost and length matrices (row-major sources x targets) between snapped points;
// unreachable pairs (or unsnapped points) are kUnreached.
void ch_table(const Graph& g, const std::vector<double>& weight, const ContractionHierarchy& ch, const std::vector<Snapped>& sources,
              const std::vector<Snapped>& targets, unsigned threads, std::vector<double>& cost, std::vector<double>& length, Log& log);

// The same table by one Dijkstra per source (the reference, and for small tables).
void dijkstra_table(const Graph& g, const std::vector<double>& weight, const std::vector<Snapped>& sources,
                    const std::vector<Snapped>& targets, unsigned threads, std::vector<double>& cost, std::vector<double>& length,
                    Log& log);

// The hierarchy section of a network file; loading checks it against a graph of `nodes` nodes.
void save_ch(const ContractionHierarchy& ch, BinaryWriter& out);
void load_ch(ContractionHierarchy& ch, BinaryReader& in, std::size_t nodes);

}  // namespace nightout
