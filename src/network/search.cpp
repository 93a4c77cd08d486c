#include "network/search.hpp"

#include "core/error.hpp"
#include "geo/crs.hpp"
#include "geo/geodesic.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

namespace nightout {

// ---------------------------------------------------------------- snapping

struct Snapper::Impl {
    GeosContext ctx;
    ProjContext pctx;
    std::unique_ptr<Transform> to_local;
    std::unique_ptr<BoxIndex> index;
    std::vector<XY> shape;  // projected shape points
    const Graph* g = nullptr;
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
    std::vector<std::size_t> cands = impl_->index->query(impl_->ctx, Box{q.x, q.y, q.x, q.y}.expanded(reach));
    double best = 1e300;
    std::size_t best_seg = 0, best_at = 0;
    double best_frac = 0;
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
    if (out.snap_m > max_m) return out;
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
    if (s.forward != kNoEdge) seeds.push_back({g.head[s.forward], (1 - s.t) * w[s.forward], (1 - s.t) * g.length_m[s.forward]});
    if (s.backward != kNoEdge) seeds.push_back({g.head[s.backward], s.t * w[s.backward], s.t * g.length_m[s.backward]});
    return seeds;
}

std::vector<Seed> target_seeds(const Graph& g, const std::vector<double>& w, const Snapped& s) {
    // A target is reached through its edge from that edge's tail, at the cost of the part before it.
    std::vector<Seed> seeds;
    if (!s.ok) return seeds;
    if (NodeId v = node_at(g, s); v != UINT32_MAX) seeds.push_back({v, 0, 0});
    if (s.forward != kNoEdge) seeds.push_back({g.tail(s.forward), s.t * w[s.forward], s.t * g.length_m[s.forward]});
    if (s.backward != kNoEdge) seeds.push_back({g.tail(s.backward), (1 - s.t) * w[s.backward], (1 - s.t) * g.length_m[s.backward]});
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
    : g_(g), w_(weight), cost_(g.nodes()), length_(g.nodes()), parent_(g.nodes()), label_(g.nodes(), 0), stamp_(g.nodes(), 0),
      done_(g.nodes(), 0) {}

template <bool Full>
void Dijkstra::search(const std::vector<Seed>& seeds, double cutoff) {
    if (++round_ == 0) {  // stamps wrapped: clear them once every 4 billion searches
        std::fill(stamp_.begin(), stamp_.end(), 0);
        std::fill(done_.begin(), done_.end(), 0);
        round_ = 1;
    }
    heap_.clear();
    settled_.clear();
    for (const Seed& s : seeds) {
        if (!(s.cost <= cutoff)) continue;
        if (stamp_[s.node] == round_ && s.cost >= cost_[s.node]) continue;
        stamp_[s.node] = round_;
        cost_[s.node] = s.cost;
        if constexpr (Full) {
            length_[s.node] = s.length;
            parent_[s.node] = kNoEdge;
            label_[s.node] = s.label;
        }
        heap_.push(s.cost, s.node);
    }
    const EdgeId* first = g_.first_out.data();
    const NodeId* head = g_.head.data();
    const double* w = w_.data();
    while (!heap_.empty()) {
        const auto [cu, u] = heap_.pop();
        if (done_[u] == round_ || cu > cost_[u]) continue;  // stale entry
        done_[u] = round_;
        settled_.push_back(u);
        for (EdgeId e = first[u], end = first[u + 1]; e < end; ++e) {
            const NodeId v = head[e];
            const double c = cu + w[e];
            if (c > cutoff) continue;
            if (stamp_[v] == round_ && c >= cost_[v]) continue;  // no improvement (or settled)
            stamp_[v] = round_;
            cost_[v] = c;
            if constexpr (Full) {
                length_[v] = length_[u] + g_.length_m[e];
                parent_[v] = e;
                label_[v] = label_[u];
            }
            heap_.push(c, v);
        }
    }
}

void Dijkstra::run(const std::vector<Seed>& seeds, double cutoff) { search<true>(seeds, cutoff); }
void Dijkstra::run_costs(const std::vector<Seed>& seeds, double cutoff) { search<false>(seeds, cutoff); }

void cost_to(const Graph& g, const std::vector<double>& w, const Dijkstra& d, const Snapped& s, const Snapped& t, double& cost,
             double& length) {
    cost = kUnreached;
    length = kUnreached;
    if (!s.ok || !t.ok) return;
    same_segment_cost(g, w, s, t, cost, length);
    if (NodeId v = node_at(g, t); v != UINT32_MAX && d.cost(v) < cost) cost = d.cost(v), length = d.length(v);
    if (t.forward != kNoEdge) {
        NodeId a = g.tail(t.forward);
        double c = d.cost(a) + t.t * w[t.forward];
        if (c < cost) cost = c, length = d.length(a) + t.t * g.length_m[t.forward];
    }
    if (t.backward != kNoEdge) {
        NodeId b = g.tail(t.backward);
        double c = d.cost(b) + (1 - t.t) * w[t.backward];
        if (c < cost) cost = c, length = d.length(b) + (1 - t.t) * g.length_m[t.backward];
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
    if (t.forward != kNoEdge && d.cost(g.tail(t.forward)) + t.t * w[t.forward] < best) {
        best = d.cost(g.tail(t.forward)) + t.t * w[t.forward];
        last = t.forward;
    }
    if (t.backward != kNoEdge && d.cost(g.tail(t.backward)) + (1 - t.t) * w[t.backward] < best) {
        best = d.cost(g.tail(t.backward)) + (1 - t.t) * w[t.backward];
        last = t.backward;
    }
    if (direct <= best) {
        segment_points(g, s.segment, s.t, t.t, lon, lat);
        return;
    }
    if (last == kNoEdge) return;
    std::vector<EdgeId> edges;
    for (NodeId v = g.tail(last); d.parent_edge(v) != kNoEdge; v = g.tail(d.parent_edge(v))) edges.push_back(d.parent_edge(v));
    std::reverse(edges.begin(), edges.end());
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
