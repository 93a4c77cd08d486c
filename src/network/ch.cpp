#include "network/ch.hpp"

#include "network/binary_io.hpp"

#include "core/error.hpp"
#include "core/parallel.hpp"

#include <algorithm>
#include <cmath>
#include <istream>
#include <memory>
#include <numeric>
#include <ostream>
#include <queue>

namespace nightout {

namespace {

struct Arc {
    NodeId to;
    double cost, length;
};

// The graph being contracted: in- and out-arcs per node among uncontracted nodes.
struct Dynamic {
    std::vector<std::vector<Arc>> out, in;
    std::vector<char> contracted;
};

void add_or_improve(std::vector<Arc>& arcs, NodeId to, double cost, double length) {
    for (Arc& a : arcs)
        if (a.to == to) {
            if (cost < a.cost) a.cost = cost, a.length = length;
            return;
        }
    arcs.push_back({to, cost, length});
}

// Local Dijkstra used to look for witnesses: paths u -> x not through v that are no
// longer than the path through v. Bounded by cost and by settled nodes, as usual.
class WitnessSearch {
public:
    explicit WitnessSearch(std::size_t n) : dist_(n, kUnreached), seen_(n, 0) {}

    // Distances from `source` avoiding `skip`, up to `limit` cost and `max_settled` nodes.
    void run(const Dynamic& d, NodeId source, NodeId skip, double limit, int max_settled) {
        for (NodeId v : touched_) dist_[v] = kUnreached, seen_[v] = 0;
        touched_.clear();
        heap_.clear();  // a binary heap kept across searches: no allocation per search
        auto later = [](const Item& a, const Item& b) { return a.first > b.first; };
        dist_[source] = 0;
        touched_.push_back(source);
        heap_.push_back({0, source});
        int settled = 0;
        while (!heap_.empty()) {
            std::pop_heap(heap_.begin(), heap_.end(), later);
            auto [c, u] = heap_.back();
            heap_.pop_back();
            if (c > dist_[u] || seen_[u]) continue;
            seen_[u] = 1;
            if (c > limit || ++settled > max_settled) break;
            for (const Arc& a : d.out[u]) {
                if (a.to == skip || d.contracted[a.to]) continue;
                double nc = c + a.cost;
                if (nc < dist_[a.to]) {
                    if (dist_[a.to] == kUnreached) touched_.push_back(a.to);
                    dist_[a.to] = nc;
                    heap_.push_back({nc, a.to});
                    std::push_heap(heap_.begin(), heap_.end(), later);
                }
            }
        }
    }
    double dist(NodeId v) const { return dist_[v]; }

private:
    using Item = std::pair<double, NodeId>;
    std::vector<double> dist_;
    std::vector<char> seen_;
    std::vector<NodeId> touched_;
    std::vector<Item> heap_;
};

struct Shortcut {
    NodeId from, to;
    double cost, length;
};

// The shortcuts contracting v would need.
void shortcuts_for(const Dynamic& d, NodeId v, WitnessSearch& ws, int max_settled, std::vector<Shortcut>& out) {
    out.clear();
    double max_out = 0;
    for (const Arc& b : d.out[v])
        if (!d.contracted[b.to]) max_out = std::max(max_out, b.cost);
    for (const Arc& a : d.in[v]) {
        NodeId u = a.to;
        if (d.contracted[u]) continue;
        ws.run(d, u, v, a.cost + max_out, max_settled);
        for (const Arc& b : d.out[v]) {
            NodeId x = b.to;
            if (d.contracted[x] || x == u) continue;
            double via = a.cost + b.cost;
            if (ws.dist(x) <= via) continue;  // a witness exists
            out.push_back({u, x, via, a.length + b.length});
        }
    }
}

}  // namespace

ContractionHierarchy build_ch(const Graph& g, const std::vector<double>& w, Log& log, unsigned threads) {
    const std::size_t n = g.nodes();
    Dynamic d;
    d.out.resize(n);
    d.in.resize(n);
    d.contracted.assign(n, 0);
    for (NodeId u = 0; u < n; ++u)
        for (EdgeId e = g.first_out[u]; e < g.first_out[u + 1]; ++e) {
            NodeId v = g.head[e];
            // Restricted edges stay out of the hierarchy: queries add them only at their ends.
            if (v == u || g.is_restricted(e)) continue;
            add_or_improve(d.out[u], v, w[e], g.length_m[e]);
            add_or_improve(d.in[v], u, w[e], g.length_m[e]);
        }
    // Final arcs of the hierarchy, collected as nodes are contracted.
    std::vector<std::vector<Arc>> up(n), down(n);

    WitnessSearch ws(n);
    std::vector<Shortcut> sc;
    std::vector<int> deleted_neighbours(n, 0), level(n, 0);
    auto priority = [&](NodeId v) {
        shortcuts_for(d, v, ws, 50, sc);
        int removed = 0;
        for (const Arc& a : d.in[v]) removed += !d.contracted[a.to];
        for (const Arc& a : d.out[v]) removed += !d.contracted[a.to];
        return 2.0 * (static_cast<double>(sc.size()) - removed) + deleted_neighbours[v] + level[v];
    };
    using Item = std::pair<double, NodeId>;
    // Initial priorities in parallel: each thread simulates contractions on the untouched graph.
    std::vector<Item> initial(n);
    parallel_for(n, threads ? threads : default_threads(), [&](unsigned) {
        auto local_ws = std::make_shared<WitnessSearch>(n);
        auto local_sc = std::make_shared<std::vector<Shortcut>>();
        return [&, local_ws, local_sc](std::size_t v) {
            shortcuts_for(d, static_cast<NodeId>(v), *local_ws, 50, *local_sc);
            int removed = static_cast<int>(d.in[v].size() + d.out[v].size());
            initial[v] = {2.0 * (static_cast<double>(local_sc->size()) - removed), static_cast<NodeId>(v)};
        };
    });
    std::priority_queue<Item, std::vector<Item>, std::greater<>> pq(std::greater<>{}, std::move(initial));

    ContractionHierarchy ch;
    ch.rank.assign(n, 0);
    std::uint32_t next_rank = 0;
    Progress progress(log, "contracting", n);
    while (!pq.empty()) {
        const auto v = pq.top().second;  // not a structured binding: lambdas below capture it (clang 14)
        pq.pop();
        if (d.contracted[v]) continue;
        // Lazy update: re-evaluate; if it got worse than the next best, put it back.
        double now = priority(v);
        if (!pq.empty() && now > pq.top().first) {
            pq.push({now, v});
            continue;
        }
        shortcuts_for(d, v, ws, 500, sc);
        for (const Shortcut& s : sc) {
            add_or_improve(d.out[s.from], s.to, s.cost, s.length);
            add_or_improve(d.in[s.to], s.from, s.cost, s.length);
            ++ch.shortcuts;
        }
        d.contracted[v] = 1;
        ch.rank[v] = next_rank++;
        // v's remaining arcs all lead to nodes ranked higher.
        for (const Arc& a : d.out[v])
            if (!d.contracted[a.to] || a.to == v) up[v].push_back(a);
        for (const Arc& a : d.in[v])
            if (!d.contracted[a.to]) down[v].push_back(a);
        for (const Arc& a : d.out[v])
            if (!d.contracted[a.to]) ++deleted_neighbours[a.to], level[a.to] = std::max(level[a.to], level[v] + 1);
        for (const Arc& a : d.in[v])
            if (!d.contracted[a.to]) ++deleted_neighbours[a.to], level[a.to] = std::max(level[a.to], level[v] + 1);
        // Drop arcs to contracted nodes from the neighbours' lists to keep them short.
        for (const Arc& a : d.out[v]) {
            auto& lst = d.in[a.to];
            lst.erase(std::remove_if(lst.begin(), lst.end(), [&](const Arc& x) { return x.to == v; }), lst.end());
        }
        for (const Arc& a : d.in[v]) {
            auto& lst = d.out[a.to];
            lst.erase(std::remove_if(lst.begin(), lst.end(), [&](const Arc& x) { return x.to == v; }), lst.end());
        }
        std::vector<Arc>().swap(d.out[v]);
        std::vector<Arc>().swap(d.in[v]);
        progress.tick();
    }

    auto to_csr = [n](const std::vector<std::vector<Arc>>& lists, std::vector<EdgeId>& first, std::vector<NodeId>& head,
                      std::vector<double>& cost, std::vector<double>& length) {
        first.assign(n + 1, 0);
        for (std::size_t v = 0; v < n; ++v) first[v + 1] = first[v] + static_cast<EdgeId>(lists[v].size());
        for (std::size_t v = 0; v < n; ++v)
            for (const Arc& a : lists[v]) {
                head.push_back(a.to);
                cost.push_back(a.cost);
                length.push_back(a.length);
            }
    };
    to_csr(up, ch.up_first, ch.up_head, ch.up_cost, ch.up_length);
    to_csr(down, ch.down_first, ch.down_head, ch.down_cost, ch.down_length);
    return ch;
}

namespace {

// Upward search in one of the hierarchy's graphs from several seeds; reports every settled node.
class UpwardSearch {
public:
    UpwardSearch(std::size_t n, const std::vector<EdgeId>& first, const std::vector<NodeId>& head, const std::vector<double>& cost,
                 const std::vector<double>& length)
        : first_(first), head_(head), cost_(cost), length_(length), dist_(n, kUnreached), len_(n, 0) {}

    template <typename OnSettle>
    void run(const std::vector<Seed>& seeds, OnSettle on_settle) {
        for (NodeId v : touched_) dist_[v] = kUnreached;
        touched_.clear();
        using Item = std::pair<double, NodeId>;
        std::priority_queue<Item, std::vector<Item>, std::greater<>> pq;
        for (const Seed& s : seeds)
            if (s.cost < dist_[s.node]) {
                if (dist_[s.node] == kUnreached) touched_.push_back(s.node);
                dist_[s.node] = s.cost;
                len_[s.node] = s.length;
                pq.push({s.cost, s.node});
            }
        while (!pq.empty()) {
            auto [c, u] = pq.top();
            pq.pop();
            if (c > dist_[u]) continue;
            on_settle(u, c, len_[u]);
            for (EdgeId e = first_[u]; e < first_[u + 1]; ++e) {
                NodeId v = head_[e];
                double nc = c + cost_[e];
                if (nc < dist_[v]) {
                    if (dist_[v] == kUnreached) touched_.push_back(v);
                    dist_[v] = nc;
                    len_[v] = len_[u] + length_[e];
                    pq.push({nc, v});
                }
            }
        }
    }

private:
    const std::vector<EdgeId>& first_;
    const std::vector<NodeId>& head_;
    const std::vector<double>& cost_;
    const std::vector<double>& length_;
    std::vector<double> dist_, len_;
    std::vector<NodeId> touched_;
};

struct BucketEntry {
    std::uint32_t target;
    double cost, length;
};

}  // namespace

const char* table_method_name(TableMethod method) {
    switch (method) {
        case TableMethod::Buckets: return "contraction hierarchy";
        case TableMethod::Sweep: return "contraction hierarchy (downward sweep)";
        case TableMethod::Dijkstra: return "dijkstra";
    }
    return "?";
}

TableMethod table_method(std::size_t nodes, std::size_t targets, bool has_hierarchy) {
    if (!has_hierarchy) return TableMethod::Dijkstra;
    return targets * kSweepShare >= nodes ? TableMethod::Sweep : TableMethod::Buckets;
}

struct TableRows::Impl {
    const Graph& g;
    const std::vector<double>& w;
    const ContractionHierarchy* ch;
    const std::vector<Snapped>& sources;
    const std::vector<Snapped>& targets;
    // Buckets: node -> (target, cost and length to it) from the targets' backward searches.
    std::vector<std::vector<BucketEntry>> buckets;
    // Sweep: nodes in falling rank (position k holds order[k]), the downward arcs into each
    // position as (position of the higher tail, cost, length), and each target's seeds by position.
    std::vector<NodeId> order, position;
    std::vector<EdgeId> sweep_first;
    std::vector<NodeId> sweep_tail;
    std::vector<double> sweep_cost, sweep_length;
    std::vector<std::vector<Seed>> target_ends;

    Impl(const Graph& graph, const std::vector<double>& weight, const ContractionHierarchy* hierarchy, const std::vector<Snapped>& from,
         const std::vector<Snapped>& to)
        : g(graph), w(weight), ch(hierarchy), sources(from), targets(to) {}

    void prepare_buckets() {
        const std::size_t n = g.nodes();
        buckets.resize(n);
        UpwardSearch back(n, ch->down_first, ch->down_head, ch->down_cost, ch->down_length);
        const RestrictedInto into(g);
        for (std::uint32_t j = 0; j < targets.size(); ++j)
            back.run(restricted_run(g, w, target_seeds(g, w, targets[j]), &into),
                     [&](NodeId u, double c, double l) { buckets[u].push_back({j, c, l}); });
    }

    void prepare_sweep() {
        const std::size_t n = g.nodes();
        order.resize(n);
        position.resize(n);
        for (NodeId v = 0; v < n; ++v) order[n - 1 - ch->rank[v]] = v;
        for (NodeId k = 0; k < n; ++k) position[order[k]] = k;
        sweep_first.assign(n + 1, 0);
        for (NodeId k = 0; k < n; ++k) sweep_first[k + 1] = sweep_first[k] + (ch->down_first[order[k] + 1] - ch->down_first[order[k]]);
        sweep_tail.reserve(ch->down_head.size());
        sweep_cost.reserve(ch->down_head.size());
        sweep_length.reserve(ch->down_head.size());
        for (NodeId k = 0; k < n; ++k)
            for (EdgeId e = ch->down_first[order[k]]; e < ch->down_first[order[k] + 1]; ++e) {
                sweep_tail.push_back(position[ch->down_head[e]]);
                sweep_cost.push_back(ch->down_cost[e]);
                sweep_length.push_back(ch->down_length[e]);
            }
        const RestrictedInto into(g);
        target_ends.resize(targets.size());
        for (std::size_t j = 0; j < targets.size(); ++j) {
            target_ends[j] = restricted_run(g, w, target_seeds(g, w, targets[j]), &into);
            for (Seed& s : target_ends[j]) s.node = position[s.node];
        }
    }

    void same_segment(std::size_t i, double* row_cost, double* row_len) const {
        for (std::size_t j = 0; j < targets.size(); ++j) {
            double c, l;
            if (same_segment_cost(g, w, sources[i], targets[j], c, l) && c < row_cost[j]) row_cost[j] = c, row_len[j] = l;
        }
    }
};

TableRows::TableRows(const Graph& g, const std::vector<double>& w, const ContractionHierarchy* ch, const std::vector<Snapped>& sources,
                     const std::vector<Snapped>& targets, TableMethod method)
    : impl_(std::make_unique<Impl>(g, w, ch, sources, targets)), method_(method) {
    if (method != TableMethod::Dijkstra && (!ch || ch->empty())) throw_internal("a hierarchy table method without a hierarchy");
    if (method == TableMethod::Buckets) impl_->prepare_buckets();
    if (method == TableMethod::Sweep) impl_->prepare_sweep();
}

TableRows::~TableRows() = default;

void TableRows::compute(std::size_t first, std::size_t count, unsigned threads, double* cost, double* length) const {
    const Impl& m = *impl_;
    const Graph& g = m.g;
    const std::vector<double>& w = m.w;
    const std::size_t n = g.nodes(), nt = m.targets.size();
    std::fill(cost, cost + count * nt, kUnreached);
    std::fill(length, length + count * nt, kUnreached);
    if (method_ == TableMethod::Dijkstra) {
        parallel_for(count, threads, [&](unsigned) {
            auto d = std::make_shared<Dijkstra>(g, w);
            return [&, d](std::size_t r) {
                const Snapped& s = m.sources[first + r];
                if (!s.ok) return;
                d->run(source_seeds(g, w, s));
                for (std::size_t j = 0; j < nt; ++j) cost_to(g, w, *d, s, m.targets[j], cost[r * nt + j], length[r * nt + j]);
            };
        });
        return;
    }
    const ContractionHierarchy& ch = *m.ch;
    if (method_ == TableMethod::Buckets) {
        parallel_for(count, threads, [&](unsigned) {
            auto fwd = std::make_shared<UpwardSearch>(n, ch.up_first, ch.up_head, ch.up_cost, ch.up_length);
            return [&, fwd](std::size_t r) {
                const std::size_t i = first + r;
                double* row_cost = cost + r * nt;
                double* row_len = length + r * nt;
                fwd->run(restricted_run(g, w, source_seeds(g, w, m.sources[i]), nullptr), [&](NodeId u, double c, double l) {
                    for (const BucketEntry& b : m.buckets[u])
                        if (c + b.cost < row_cost[b.target]) {
                            row_cost[b.target] = c + b.cost;
                            row_len[b.target] = l + b.length;
                        }
                });
                m.same_segment(i, row_cost, row_len);
            };
        });
        return;
    }
    // Sweep: the upward search settles the source's search space, the sweep in falling rank
    // then relaxes every downward arc once; each node's tails rank higher, so they are final.
    struct Work {
        std::unique_ptr<UpwardSearch> up;
        std::vector<double> dist, len;
    };
    parallel_for(count, threads, [&](unsigned) {
        auto work = std::make_shared<Work>();
        work->up = std::make_unique<UpwardSearch>(n, ch.up_first, ch.up_head, ch.up_cost, ch.up_length);
        work->dist.resize(n);
        work->len.resize(n);
        return [&, work](std::size_t r) {
            const std::size_t i = first + r;
            double* dist = work->dist.data();
            double* len = work->len.data();
            std::fill(dist, dist + n, kUnreached);
            work->up->run(restricted_run(g, w, source_seeds(g, w, m.sources[i]), nullptr), [&](NodeId u, double c, double l) {
                dist[m.position[u]] = c;
                len[m.position[u]] = l;
            });
            for (std::size_t k = 0; k < n; ++k) {
                double best = dist[k], best_len = len[k];
                for (EdgeId e = m.sweep_first[k]; e < m.sweep_first[k + 1]; ++e) {
                    const double c = dist[m.sweep_tail[e]] + m.sweep_cost[e];
                    if (c < best) best = c, best_len = len[m.sweep_tail[e]] + m.sweep_length[e];
                }
                dist[k] = best;
                len[k] = best_len;
            }
            double* row_cost = cost + r * nt;
            double* row_len = length + r * nt;
            for (std::size_t j = 0; j < nt; ++j)
                for (const Seed& s : m.target_ends[j])
                    if (dist[s.node] + s.cost < row_cost[j]) row_cost[j] = dist[s.node] + s.cost, row_len[j] = len[s.node] + s.length;
            m.same_segment(i, row_cost, row_len);
        };
    });
}

void ch_table(const Graph& g, const std::vector<double>& w, const ContractionHierarchy& ch, const std::vector<Snapped>& sources,
              const std::vector<Snapped>& targets, unsigned threads, std::vector<double>& cost, std::vector<double>& length, Log& log) {
    const std::size_t ns = sources.size(), nt = targets.size();
    cost.resize(ns * nt);
    length.resize(ns * nt);
    TableRows rows(g, w, &ch, sources, targets, table_method(g.nodes(), nt, true));
    rows.compute(0, ns, threads, cost.data(), length.data());
}

void dijkstra_table(const Graph& g, const std::vector<double>& w, const std::vector<Snapped>& sources, const std::vector<Snapped>& targets,
                    unsigned threads, std::vector<double>& cost, std::vector<double>& length, Log& log) {
    const std::size_t ns = sources.size(), nt = targets.size();
    cost.resize(ns * nt);
    length.resize(ns * nt);
    TableRows rows(g, w, nullptr, sources, targets, TableMethod::Dijkstra);
    rows.compute(0, ns, threads, cost.data(), length.data());
}


void save_ch(const ContractionHierarchy& ch, BinaryWriter& out) {
    write_vector(out, ch.rank);
    write_vector(out, ch.up_first);
    write_vector(out, ch.up_head);
    write_vector(out, ch.up_cost);
    write_vector(out, ch.up_length);
    write_vector(out, ch.down_first);
    write_vector(out, ch.down_head);
    write_vector(out, ch.down_cost);
    write_vector(out, ch.down_length);
    out.write(&ch.shortcuts, sizeof ch.shortcuts);
}

namespace {

// One of the two upward graphs: CSR offsets over `n` nodes, heads of higher rank, usable weights.
void check_upward(BinaryReader& in, const ContractionHierarchy& ch, const std::vector<EdgeId>& first, const std::vector<NodeId>& head,
                  const std::vector<double>& cost, const std::vector<double>& length, const std::string& name) {
    const std::size_t n = ch.rank.size(), m = head.size();
    const std::string what = "hierarchy " + name;
    if (first.size() != n + 1) in.fail(what + "_first has " + std::to_string(first.size()) + " entries, expected " + std::to_string(n + 1));
    if (first.front() != 0 || first.back() != m)
        in.fail(what + "_first runs from " + std::to_string(first.front()) + " to " + std::to_string(first.back()) + ", expected 0 to " + std::to_string(m));
    if (cost.size() != m || length.size() != m) in.fail(what + "_cost or " + name + "_length does not have one entry per edge");
    for (std::size_t u = 0; u < n; ++u)
        if (first[u] > first[u + 1]) in.fail(what + "_first decreases at " + std::to_string(u));
    for (std::size_t u = 0; u < n; ++u) {
        for (EdgeId e = first[u]; e < first[u + 1]; ++e) {
            if (head[e] >= n) in.fail(what + "_head[" + std::to_string(e) + "] = " + std::to_string(head[e]) + " is not a node");
            if (ch.rank[head[e]] <= ch.rank[u]) in.fail(what + " edge " + std::to_string(e) + " does not lead to a higher rank");
            if (!std::isfinite(cost[e]) || cost[e] < 0 || !std::isfinite(length[e]) || length[e] < 0)
                in.fail(what + " edge " + std::to_string(e) + " has a negative or non-finite weight");
        }
    }
}

}  // namespace

void load_ch(ContractionHierarchy& ch, BinaryReader& in, std::size_t nodes) {
    read_vector(in, ch.rank, "hierarchy rank");
    read_vector(in, ch.up_first, "hierarchy up_first");
    read_vector(in, ch.up_head, "hierarchy up_head");
    read_vector(in, ch.up_cost, "hierarchy up_cost");
    read_vector(in, ch.up_length, "hierarchy up_length");
    read_vector(in, ch.down_first, "hierarchy down_first");
    read_vector(in, ch.down_head, "hierarchy down_head");
    read_vector(in, ch.down_cost, "hierarchy down_cost");
    read_vector(in, ch.down_length, "hierarchy down_length");
    ch.shortcuts = in.read_value<std::uint64_t>("hierarchy shortcut count");
    const std::size_t n = ch.rank.size();
    if (n != nodes) in.fail("the hierarchy has " + std::to_string(n) + " nodes, the graph " + std::to_string(nodes));
    std::vector<char> seen(n, 0);
    for (std::uint32_t r : ch.rank) {  // a permutation of 0..n-1
        if (r >= n || seen[r]) in.fail("hierarchy rank " + std::to_string(r) + " is out of range or repeated");
        seen[r] = 1;
    }
    check_upward(in, ch, ch.up_first, ch.up_head, ch.up_cost, ch.up_length, "up");
    check_upward(in, ch, ch.down_first, ch.down_head, ch.down_cost, ch.down_length, "down");
}

}  // namespace nightout
