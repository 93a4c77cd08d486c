#include "network/search.hpp"

#include "core/error.hpp"
#include "geo/crs.hpp"
#include "geo/geodesic.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <queue>
#include <unordered_map>

namespace nightout {

// ---------------------------------------------------------------- snapping

struct Snapper::Impl {
    GeosContext ctx;
    ProjContext pctx;
    std::unique_ptr<Transform> to_local;
    std::unique_ptr<BoxIndex> index;
    std::vector<XY> shape;  // projected shape points
    const Graph* g = nullptr;
    // The roads building dropped (Graph::dropped_*), to say why a point is off the network.
    std::unique_ptr<BoxIndex> dropped_index;
    std::vector<XY> dropped_shape;
};

Snapper::Snapper(const Graph& g) : impl_(std::make_unique<Impl>()), seg_edges_(g.segments(), {kNoEdge, kNoEdge}) {
    impl_->g = &g;
    if (g.nodes() == 0) throw_input(g.source + ": the graph is empty");
    double x0 = 1e300, y0 = 1e300, x1 = -1e300, y1 = -1e300;
    for (std::size_t i = 0; i < g.nodes(); ++i) {
        x0 = std::min(x0, g.lon[i]);
        x1 = std::max(x1, g.lon[i]);
        y0 = std::min(y0, g.lat[i]);
        y1 = std::max(y1, g.lat[i]);
    }
    LocalProjection proj = choose_local_projection(x0, y0, x1, y1);
    impl_->to_local = std::make_unique<Transform>(impl_->pctx, kWgs84LonLat, proj.proj_string());
    impl_->shape.resize(g.shape_lon.size());
    {
        std::vector<double> x = g.shape_lon, y = g.shape_lat;
        if (!impl_->to_local->forward_many(x, y)) throw_input(g.source + ": road coordinates cannot be projected");
        for (std::size_t i = 0; i < x.size(); ++i) impl_->shape[i] = {x[i], y[i]};
    }
    std::vector<Box> boxes(g.segments());
    for (std::size_t s = 0; s < g.segments(); ++s) {
        Box b{1e300, 1e300, -1e300, -1e300};
        for (std::uint32_t i = g.seg_first[s]; i < g.seg_first[s + 1]; ++i) {
            const XY& p = impl_->shape[i];
            b = {std::min(b.xmin, p.x), std::min(b.ymin, p.y), std::max(b.xmax, p.x), std::max(b.ymax, p.y)};
        }
        boxes[s] = b;
    }
    impl_->index = std::make_unique<BoxIndex>(impl_->ctx, boxes);
    if (g.dropped_segments() > 0) {
        std::vector<double> x = g.dropped_lon, y = g.dropped_lat;
        if (!impl_->to_local->forward_many(x, y)) throw_input(g.source + ": road coordinates cannot be projected");
        impl_->dropped_shape.resize(x.size());
        for (std::size_t i = 0; i < x.size(); ++i) impl_->dropped_shape[i] = {x[i], y[i]};
        std::vector<Box> dboxes(g.dropped_segments());
        for (std::size_t s = 0; s < dboxes.size(); ++s) {
            Box b{1e300, 1e300, -1e300, -1e300};
            for (std::uint32_t i = g.dropped_seg_first[s]; i < g.dropped_seg_first[s + 1]; ++i) {
                const XY& p = impl_->dropped_shape[i];
                b = {std::min(b.xmin, p.x), std::min(b.ymin, p.y), std::max(b.xmax, p.x), std::max(b.ymax, p.y)};
            }
            dboxes[s] = b;
        }
        impl_->dropped_index = std::make_unique<BoxIndex>(impl_->ctx, dboxes);
    }
    for (EdgeId e = 0; e < g.edges(); ++e) {
        auto& se = seg_edges_[g.segment[e]];
        (g.reversed[e] ? se.second : se.first) = e;
    }
}

Snapper::~Snapper() = default;

namespace {

// Nearest point of a polyline to q: squared distance, and the position as (index of the
// segment start, fraction within it).
double nearest_on_polyline(const XY* pts, std::size_t n, const XY& q, std::size_t& at, double& frac) {
    double best = 1e300;
    for (std::size_t i = 0; i + 1 < n; ++i) {
        double dx = pts[i + 1].x - pts[i].x, dy = pts[i + 1].y - pts[i].y;
        double len2 = dx * dx + dy * dy;
        double u = len2 > 0 ? ((q.x - pts[i].x) * dx + (q.y - pts[i].y) * dy) / len2 : 0;
        u = std::clamp(u, 0.0, 1.0);
        double px = pts[i].x + u * dx - q.x, py = pts[i].y + u * dy - q.y;
        double d2 = px * px + py * py;
        if (d2 < best) {
            best = d2;
            at = i;
            frac = u;
        }
    }
    return best;
}

}  // namespace

Snapped Snapper::snap(double lon, double lat, double max_m) const {
    Snapped out;
    const Graph& g = *impl_->g;
    XY q{lon, lat};
    if (!impl_->to_local->forward(q.x, q.y)) return out;
    // Candidates within the search box (widened by the projection's tiny distortion), nearest first.
    double reach = max_m * 1.01 + 1;
    double best = 1e300;
    std::size_t best_seg = 0, best_at = 0;
    double best_frac = 0;
    auto search = [&](double r) {
    std::vector<std::size_t> cands = impl_->index->query(impl_->ctx, Box{q.x, q.y, q.x, q.y}.expanded(r));
    for (std::size_t s : cands) {
        std::size_t at = 0;
        double frac = 0;
        const std::uint32_t f = g.seg_first[s];
        const std::size_t np = g.seg_first[s + 1] - f;
        double d2 = nearest_on_polyline(&impl_->shape[f], np, q, at, frac);
        // Equally near (a point on a crossing without a shared node): prefer the segment
        // that ends there, so a point at an intersection snaps to the intersection.
        const bool at_end = (at == 0 && frac == 0) || (at + 2 == np && frac == 1);
        const bool best_at_end = (best_at == 0 && best_frac == 0) || (best_at + 2 == g.seg_first[best_seg + 1] - g.seg_first[best_seg] && best_frac == 1);
        const bool tie = std::fabs(d2 - best) <= 1e-10;
        if ((!tie && d2 < best) || (tie && at_end && !best_at_end)) {  // other ties keep the lower segment id
            best = d2;
            best_seg = s;
            best_at = at;
            best_frac = frac;
        }
    }
    };
    search(reach);
    // No road within reach: search wider, so that snap_m says how far the nearest road is
    // (the box holds every road within r; the nearest may lie beyond the box's corner).
    for (double r = reach * 4; best > reach * reach && r < 4.1e7; r *= 4) {
        search(r);
        if (best <= r * r) {
            search(std::sqrt(best) * 1.01 + 1);
            break;
        }
    }
    if (best > 1e299) return out;
    // Position along the segment by geodesic length.
    const std::uint32_t f = g.seg_first[best_seg], l = g.seg_first[best_seg + 1];
    double along = 0, total = 0;
    for (std::uint32_t i = f; i + 1 < l; ++i) {
        double len = geodesic_distance(g.shape_lon[i], g.shape_lat[i], g.shape_lon[i + 1], g.shape_lat[i + 1]);
        if (i - f < best_at) along += len;
        else if (i - f == best_at) along += len * best_frac;
        total += len;
    }
    XY p{impl_->shape[f + best_at].x + best_frac * (impl_->shape[f + best_at + 1].x - impl_->shape[f + best_at].x),
         impl_->shape[f + best_at].y + best_frac * (impl_->shape[f + best_at + 1].y - impl_->shape[f + best_at].y)};
    impl_->to_local->inverse(p.x, p.y);
    out.lon = p.x;
    out.lat = p.y;
    out.snap_m = geodesic_distance(lon, lat, out.lon, out.lat);
    if (out.snap_m > max_m) {
        // Off the network: is a dropped road (a part cut off from the rest) within reach?
        if (impl_->dropped_index) {
            double dbest = 1e300;
            XY near{};
            for (std::size_t s : impl_->dropped_index->query(impl_->ctx, Box{q.x, q.y, q.x, q.y}.expanded(reach))) {
                std::size_t at = 0;
                double frac = 0;
                const XY* pts = &impl_->dropped_shape[g.dropped_seg_first[s]];
                const double d2 = nearest_on_polyline(pts, g.dropped_seg_first[s + 1] - g.dropped_seg_first[s], q, at, frac);
                if (d2 < dbest) dbest = d2, near = {pts[at].x + frac * (pts[at + 1].x - pts[at].x), pts[at].y + frac * (pts[at + 1].y - pts[at].y)};
            }
            if (dbest < 1e299 && impl_->to_local->inverse(near.x, near.y)) {
                out.cut_off_m = geodesic_distance(lon, lat, near.x, near.y);
                out.cut_off = out.cut_off_m <= max_m;
            }
        }
        return out;
    }
    out.ok = true;
    out.segment = static_cast<std::uint32_t>(best_seg);
    // A point within a centimetre of a node is at the node: it may then leave or be
    // reached by every edge of that node, whatever their directions.
    if (along < 0.01) along = 0;
    if (total - along < 0.01) along = total;
    out.t = total > 0 ? std::clamp(along / total, 0.0, 1.0) : 0.0;
    std::tie(out.forward, out.backward) = seg_edges_[best_seg];
    return out;
}

// ---------------------------------------------------------------- seeds

namespace {
// The node a snapped point sits on (t exactly 0 or 1), or UINT32_MAX.
NodeId node_at(const Graph& g, const Snapped& s) {
    if (s.t != 0 && s.t != 1) return UINT32_MAX;
    EdgeId e = s.forward != kNoEdge ? s.forward : s.backward;
    if (e == kNoEdge) return UINT32_MAX;
    // forward runs first->last node of the segment, backward last->first.
    NodeId first = s.forward != kNoEdge ? g.tail(s.forward) : g.head[s.backward];
    NodeId last = s.forward != kNoEdge ? g.head[s.forward] : g.tail(s.backward);
    return s.t == 0 ? first : last;
}
}  // namespace

std::vector<Seed> source_seeds(const Graph& g, const std::vector<double>& w, const Snapped& s) {
    std::vector<Seed> seeds;
    if (!s.ok) return seeds;
    if (NodeId v = node_at(g, s); v != UINT32_MAX) seeds.push_back({v, 0, 0});
    if (s.forward != kNoEdge)
        seeds.push_back({g.head[s.forward], (1 - s.t) * w[s.forward], (1 - s.t) * g.length_m[s.forward], 0, g.is_restricted(s.forward)});
    if (s.backward != kNoEdge)
        seeds.push_back({g.head[s.backward], s.t * w[s.backward], s.t * g.length_m[s.backward], 0, g.is_restricted(s.backward)});
    return seeds;
}

std::vector<Seed> target_seeds(const Graph& g, const std::vector<double>& w, const Snapped& s) {
    // A target is reached through its edge from that edge's tail, at the cost of the part before it.
    std::vector<Seed> seeds;
    if (!s.ok) return seeds;
    if (NodeId v = node_at(g, s); v != UINT32_MAX) seeds.push_back({v, 0, 0});
    if (s.forward != kNoEdge)
        seeds.push_back({g.tail(s.forward), s.t * w[s.forward], s.t * g.length_m[s.forward], 0, g.is_restricted(s.forward)});
    if (s.backward != kNoEdge)
        seeds.push_back({g.tail(s.backward), (1 - s.t) * w[s.backward], (1 - s.t) * g.length_m[s.backward], 0, g.is_restricted(s.backward)});
    return seeds;
}

RestrictedInto::RestrictedInto(const Graph& g) {
    if (!g.has_restricted()) return;
    for (EdgeId e = 0; e < g.edges(); ++e)
        if (g.restricted[e]) by_head.push_back({g.head[e], e});
    std::sort(by_head.begin(), by_head.end());
}

std::vector<Seed> restricted_run(const Graph& g, const std::vector<double>& w, std::vector<Seed> seeds, const RestrictedInto* into) {
    if (!g.has_restricted()) return seeds;
    // A small Dijkstra over restricted edges only; restricted streets are short dead ends or
    // small neighbourhoods, so a hash map is cheaper than arrays over the whole graph.
    std::unordered_map<NodeId, double> best;
    using Item = std::pair<double, std::size_t>;  // cost, index into seeds
    std::priority_queue<Item, std::vector<Item>, std::greater<>> pq;
    for (std::size_t i = 0; i < seeds.size(); ++i) {
        if (!seeds[i].restricted_or_empty) continue;
        auto [it, fresh] = best.try_emplace(seeds[i].node, seeds[i].cost);
        if (!fresh) it->second = std::min(it->second, seeds[i].cost);
        pq.push({seeds[i].cost, i});
    }
    while (!pq.empty()) {
        // Not a structured binding: clang 14 cannot capture one in the lambda below.
        const double c = pq.top().first;
        const std::size_t i = pq.top().second;
        pq.pop();
        const Seed at = seeds[i];
        if (c > best[at.node]) continue;  // stale
        auto step = [&](EdgeId e, NodeId to) {
            if (!g.restricted[e]) return;
            const double nc = c + w[e];
            auto [b, fresh] = best.try_emplace(to, nc);
            if (!fresh && b->second <= nc) return;
            b->second = nc;
            seeds.push_back({to, nc, at.length + g.length_m[e], at.label, true});
            pq.push({nc, seeds.size() - 1});
        };
        if (!into) {
            for (EdgeId e = g.first_out[at.node]; e < g.first_out[at.node + 1]; ++e) step(e, g.head[e]);
        } else {
            auto it = std::lower_bound(into->by_head.begin(), into->by_head.end(), std::pair<NodeId, EdgeId>{at.node, 0});
            for (; it != into->by_head.end() && it->first == at.node; ++it) step(it->second, g.tail(it->second));
        }
    }
    return seeds;
}

bool same_segment_cost(const Graph& g, const std::vector<double>& w, const Snapped& s, const Snapped& t, double& cost, double& length) {
    if (!s.ok || !t.ok || s.segment != t.segment) return false;
    bool found = false;
    cost = kUnreached;
    if (s.forward != kNoEdge && t.t >= s.t) {
        cost = (t.t - s.t) * w[s.forward];
        length = (t.t - s.t) * g.length_m[s.forward];
        found = true;
    }
    if (s.backward != kNoEdge && t.t <= s.t && (s.t - t.t) * w[s.backward] < cost) {
        cost = (s.t - t.t) * w[s.backward];
        length = (s.t - t.t) * g.length_m[s.backward];
        found = true;
    }
    return found;
}

// ---------------------------------------------------------------- Dijkstra

void RadixHeap::clear() {
    buckets_[0].clear();
    for (std::uint64_t m = nonempty_; m; m &= m - 1) buckets_[__builtin_ctzll(m) + 1].clear();
    nonempty_ = 0;
    last_ = 0;
    size_ = 0;
}

void RadixHeap::push(double key, NodeId node) {
    const std::uint64_t k = std::bit_cast<std::uint64_t>(key);
    const int b = bucket(k, last_);
    buckets_[b].push_back({k, node});
    if (b) nonempty_ |= 1ull << (b - 1);
    ++size_;
}

std::pair<double, NodeId> RadixHeap::pop() {
    if (buckets_[0].empty()) {
        const int i = __builtin_ctzll(nonempty_) + 1;
        std::uint64_t smallest = buckets_[i].front().key;
        for (const Item& it : buckets_[i]) smallest = std::min(smallest, it.key);
        last_ = smallest;
        for (const Item& it : buckets_[i]) {
            const int b = bucket(it.key, last_);  // always below i
            buckets_[b].push_back(it);
            if (b) nonempty_ |= 1ull << (b - 1);
        }
        buckets_[i].clear();
        nonempty_ &= ~(1ull << (i - 1));
    }
    const Item it = buckets_[0].back();
    buckets_[0].pop_back();
    --size_;
    return {std::bit_cast<double>(it.key), it.node};
}

Dijkstra::Dijkstra(const Graph& g, const std::vector<double>& weight)
    : g_(g), w_(weight), n_(g.nodes()), phased_(g.has_restricted()) {
    const std::size_t states = phased_ ? 3 * n_ : n_;
    cost_.resize(states);
    length_.resize(states);
    parent_.resize(states);
    if (phased_) parent_phase_.resize(states);
    label_.assign(states, 0);
    stamp_.assign(states, 0);
    done_.assign(states, 0);
}

namespace {
// Phases of the three-state search (state = node + n * phase).
constexpr std::uint8_t kFree = 0, kSuffix = 1, kPrefix = 2;
}  // namespace

template <bool Full, bool Phased>
void Dijkstra::search(const std::vector<Seed>& seeds, double cutoff) {
    if (++round_ == 0) {  // stamps wrapped: clear them once every 4 billion searches
        std::fill(stamp_.begin(), stamp_.end(), 0);
        std::fill(done_.begin(), done_.end(), 0);
        round_ = 1;
    }
    heap_.clear();
    settled_.clear();
    const auto n = static_cast<std::uint32_t>(n_);
    for (const Seed& seed : seeds) {
        if (!(seed.cost <= cutoff)) continue;
        const std::uint32_t s = Phased ? seed.node + n * (seed.restricted_or_empty ? kPrefix : kFree) : seed.node;
        if (stamp_[s] == round_ && seed.cost >= cost_[s]) continue;
        stamp_[s] = round_;
        cost_[s] = seed.cost;
        if constexpr (Full) {
            length_[s] = seed.length;
            parent_[s] = kNoEdge;
            label_[s] = seed.label;
        }
        heap_.push(seed.cost, s);
    }
    const EdgeId* first = g_.first_out.data();
    const NodeId* head = g_.head.data();
    const double* w = w_.data();
    const std::uint8_t* restricted = Phased ? g_.restricted.data() : nullptr;
    while (!heap_.empty()) {
        const auto [cu, su] = heap_.pop();
        if (done_[su] == round_ || cu > cost_[su]) continue;  // stale entry
        done_[su] = round_;
        const std::uint32_t phase = Phased ? su / n : 0;
        const NodeId u = su - n * phase;
        settled_.push_back(u);
        for (EdgeId e = first[u], end = first[u + 1]; e < end; ++e) {
            std::uint32_t sv = head[e];
            if constexpr (Phased) {
                // prefix -R-> prefix, prefix -U-> free, free -U-> free, free -R-> suffix, suffix -R-> suffix.
                const bool r = restricted[e] != 0;
                if (phase == kSuffix && !r) continue;
                sv += n * (phase == kPrefix ? (r ? kPrefix : kFree) : (r ? kSuffix : kFree));
            }
            const double c = cu + w[e];
            if (c > cutoff) continue;
            if (stamp_[sv] == round_ && c >= cost_[sv]) continue;  // no improvement (or settled)
            stamp_[sv] = round_;
            cost_[sv] = c;
            if constexpr (Full) {
                length_[sv] = length_[su] + g_.length_m[e];
                parent_[sv] = e;
                label_[sv] = label_[su];
                if constexpr (Phased) parent_phase_[sv] = static_cast<std::uint8_t>(phase);
            }
            heap_.push(c, sv);
        }
    }
}

void Dijkstra::run(const std::vector<Seed>& seeds, double cutoff) {
    phased_ ? search<true, true>(seeds, cutoff) : search<true, false>(seeds, cutoff);
}
void Dijkstra::run_costs(const std::vector<Seed>& seeds, double cutoff) {
    phased_ ? search<false, true>(seeds, cutoff) : search<false, false>(seeds, cutoff);
}

std::uint32_t Dijkstra::state_via(NodeId v, EdgeId next) const {
    if (!phased_) return stamp_[v] == round_ ? v : kNoState;
    // An unrestricted edge may not follow the suffix state.
    const bool any = next == kNoEdge || g_.restricted[next];
    std::uint32_t best = kNoState;
    for (std::uint8_t phase : {kFree, kPrefix, kSuffix}) {
        if (phase == kSuffix && !any) continue;
        const auto s = static_cast<std::uint32_t>(v + n_ * phase);
        if (stamp_[s] == round_ && (best == kNoState || cost_[s] < cost_[best])) best = s;
    }
    return best;
}

double Dijkstra::cost_via(NodeId v, EdgeId next) const {
    const std::uint32_t s = state_via(v, next);
    return s == kNoState ? kUnreached : cost_[s];
}
double Dijkstra::length_via(NodeId v, EdgeId next) const {
    const std::uint32_t s = state_via(v, next);
    return s == kNoState ? kUnreached : length_[s];
}
std::uint32_t Dijkstra::label_via(NodeId v, EdgeId next) const {
    const std::uint32_t s = state_via(v, next);
    return s == kNoState ? 0 : label_[s];
}

std::vector<EdgeId> Dijkstra::path_via(NodeId v, EdgeId next) const {
    std::vector<EdgeId> edges;
    std::uint32_t s = state_via(v, next);
    if (s == kNoState) return edges;
    while (parent_[s] != kNoEdge) {
        const EdgeId e = parent_[s];
        edges.push_back(e);
        s = static_cast<std::uint32_t>(g_.tail(e) + (phased_ ? n_ * parent_phase_[s] : 0));
    }
    std::reverse(edges.begin(), edges.end());
    return edges;
}

void cost_to(const Graph& g, const std::vector<double>& w, const Dijkstra& d, const Snapped& s, const Snapped& t, double& cost,
             double& length) {
    cost = kUnreached;
    length = kUnreached;
    if (!s.ok || !t.ok) return;
    same_segment_cost(g, w, s, t, cost, length);
    if (NodeId v = node_at(g, t); v != UINT32_MAX && d.cost(v) < cost) cost = d.cost(v), length = d.length(v);
    if (t.forward != kNoEdge) {
        NodeId a = g.tail(t.forward);
        double c = d.cost_via(a, t.forward) + t.t * w[t.forward];
        if (c < cost) cost = c, length = d.length_via(a, t.forward) + t.t * g.length_m[t.forward];
    }
    if (t.backward != kNoEdge) {
        NodeId b = g.tail(t.backward);
        double c = d.cost_via(b, t.backward) + (1 - t.t) * w[t.backward];
        if (c < cost) cost = c, length = d.length_via(b, t.backward) + (1 - t.t) * g.length_m[t.backward];
    }
}

}  // namespace nightout

namespace nightout {

PolylinePosition locate_fraction(const std::vector<double>& cum, double t) {
    const double d = t * cum.back();
    std::size_t k = 0;
    while (k + 2 < cum.size() && cum[k + 1] < d) ++k;
    const double span = cum[k + 1] - cum[k];
    return {k, span > 0 ? std::clamp((d - cum[k]) / span, 0.0, 1.0) : 0.0};
}

void segment_points(const Graph& g, std::uint32_t segment, double t_from, double t_to, std::vector<double>& lon, std::vector<double>& lat) {
    const std::uint32_t f = g.seg_first[segment], l = g.seg_first[segment + 1];
    std::vector<double> cum{0};
    for (std::uint32_t i = f; i + 1 < l; ++i)
        cum.push_back(cum.back() + geodesic_distance(g.shape_lon[i], g.shape_lat[i], g.shape_lon[i + 1], g.shape_lat[i + 1]));
    const double total = cum.back();
    auto point_at = [&](double t) {
        const auto [k, u] = locate_fraction(cum, t);
        lon.push_back(g.shape_lon[f + k] + u * (g.shape_lon[f + k + 1] - g.shape_lon[f + k]));
        lat.push_back(g.shape_lat[f + k] + u * (g.shape_lat[f + k + 1] - g.shape_lat[f + k]));
    };
    point_at(t_from);
    if (t_from <= t_to) {
        for (std::size_t k = 1; k + 1 < cum.size(); ++k)
            if (cum[k] > t_from * total && cum[k] < t_to * total) lon.push_back(g.shape_lon[f + k]), lat.push_back(g.shape_lat[f + k]);
    } else {
        for (std::size_t k = cum.size() - 2; k >= 1; --k)
            if (cum[k] < t_from * total && cum[k] > t_to * total) lon.push_back(g.shape_lon[f + k]), lat.push_back(g.shape_lat[f + k]);
    }
    point_at(t_to);
}

void route_points(const Graph& g, const std::vector<double>& w, const Dijkstra& d, const Snapped& s, const Snapped& t,
                  std::vector<double>& lon, std::vector<double>& lat) {
    lon.clear();
    lat.clear();
    if (!s.ok || !t.ok) return;
    double best = kUnreached, direct = kUnreached, direct_len = 0;
    same_segment_cost(g, w, s, t, direct, direct_len);
    // Which end of the target's segment the route comes through.
    EdgeId last = kNoEdge;
    if (t.forward != kNoEdge && d.cost_via(g.tail(t.forward), t.forward) + t.t * w[t.forward] < best) {
        best = d.cost_via(g.tail(t.forward), t.forward) + t.t * w[t.forward];
        last = t.forward;
    }
    if (t.backward != kNoEdge && d.cost_via(g.tail(t.backward), t.backward) + (1 - t.t) * w[t.backward] < best) {
        best = d.cost_via(g.tail(t.backward), t.backward) + (1 - t.t) * w[t.backward];
        last = t.backward;
    }
    if (direct <= best) {
        segment_points(g, s.segment, s.t, t.t, lon, lat);
        return;
    }
    if (last == kNoEdge) return;
    const std::vector<EdgeId> edges = d.path_via(g.tail(last), last);
    NodeId first = edges.empty() ? g.tail(last) : g.tail(edges.front());
    // From the source point to the first node, along the source's segment.
    bool via_forward = s.forward != kNoEdge && g.head[s.forward] == first &&
                       (s.backward == kNoEdge || g.head[s.backward] != first || (1 - s.t) * w[s.forward] <= s.t * w[s.backward]);
    segment_points(g, s.segment, s.t, via_forward ? 1.0 : 0.0, lon, lat);
    for (EdgeId e : edges) {
        std::vector<double> elon, elat;
        segment_points(g, g.segment[e], g.reversed[e] ? 1.0 : 0.0, g.reversed[e] ? 0.0 : 1.0, elon, elat);
        lon.insert(lon.end(), elon.begin() + 1, elon.end());
        lat.insert(lat.end(), elat.begin() + 1, elat.end());
    }
    std::vector<double> tlon, tlat;
    segment_points(g, t.segment, last == t.forward ? 0.0 : 1.0, t.t, tlon, tlat);
    lon.insert(lon.end(), tlon.begin() + 1, tlon.end());
    lat.insert(lat.end(), tlat.begin() + 1, tlat.end());
}

}  // namespace nightout
