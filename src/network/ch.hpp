// Contraction hierarchies (Geisberger et al. 2008) for fast many-to-many tables:
// nodes are contracted in order of importance, adding shortcuts that preserve
// shortest paths; a table is then answered with bucket-based upward searches
// (Knopp et al. 2007) instead of one full Dijkstra per source.
#pragma once

#include "core/log.hpp"
#include "network/graph.hpp"
#include "network/search.hpp"

#include <memory>
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

// How a table is searched, by its shape (docs/network.md, "Table methods"):
// - Buckets: backward searches from every target fill buckets, then one upward search per source
//   (Knopp et al. 2007). Fast while the targets are few: its cost grows with targets x buckets.
// - Sweep: per source, an upward search and then one downward sweep over all nodes in falling
//   rank (PHAST, Delling et al. 2011): distances to every node in time linear in the hierarchy,
//   whatever the number of targets.
// - Dijkstra: one plain search per source, without a hierarchy.
enum class TableMethod { Buckets, Sweep, Dijkstra };
const char* table_method_name(TableMethod method);
// Buckets while targets are fewer than one in kSweepShare of the graph's nodes, else Sweep;
// Dijkstra without a hierarchy. On Porto's drive graph (62,471 nodes) a source costs the sweep
// about 9 ms and the buckets about 1.8 ms per 1,000 targets: they cross near 5,000 targets.
constexpr std::size_t kSweepShare = 10;
TableMethod table_method(std::size_t nodes, std::size_t targets, bool has_hierarchy);

// A table computed block of rows by block of rows (so that a large one is written as it is
// computed, holding one block in memory). The targets' side (buckets, seeds) is prepared once.
class TableRows {
public:
    // `ch` may be null only for TableMethod::Dijkstra. Keeps references to its arguments.
    TableRows(const Graph& g, const std::vector<double>& weight, const ContractionHierarchy* ch, const std::vector<Snapped>& sources,
              const std::vector<Snapped>& targets, TableMethod method);
    ~TableRows();
    // Rows first .. first+count-1 into cost and length (count x targets, row-major); unreachable
    // pairs are kUnreached.
    void compute(std::size_t first, std::size_t count, unsigned threads, double* cost, double* length) const;
    TableMethod method() const { return method_; }

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    TableMethod method_;
};

// The hierarchy section of a network file; loading checks it against a graph of `nodes` nodes.
void save_ch(const ContractionHierarchy& ch, BinaryWriter& out);
void load_ch(ContractionHierarchy& ch, BinaryReader& in, std::size_t nodes);

}  // namespace nightout
