#include "analyse/service_area.hpp"

#include "core/error.hpp"
#include "core/parallel.hpp"

#include <algorithm>
#include <cmath>

namespace nightout {

namespace {

struct Interval {
    std::uint32_t segment;
    double a, b;  // fractions of the segment's length
};

// The polyline of shape points [f, l) between fractions t0 < t1 of its (projected) length.
GeomPtr sub_line(const GeosContext& ctx, const std::vector<XY>& pts, std::uint32_t f, std::uint32_t l, double t0, double t1) {
    std::vector<double> cum{0};
    for (std::uint32_t i = f; i + 1 < l; ++i) cum.push_back(cum.back() + std::hypot(pts[i + 1].x - pts[i].x, pts[i + 1].y - pts[i].y));
    const double total = cum.back();
    std::vector<double> xy;
    auto at = [&](double t) {
        const auto [k, u] = locate_fraction(cum, t);
        xy.push_back(pts[f + k].x + u * (pts[f + k + 1].x - pts[f + k].x));
        xy.push_back(pts[f + k].y + u * (pts[f + k + 1].y - pts[f + k].y));
    };
    at(t0);
    for (std::size_t k = 1; k + 1 < cum.size(); ++k)
        if (cum[k] > t0 * total && cum[k] < t1 * total) xy.push_back(pts[f + k].x), xy.push_back(pts[f + k].y);
    at(t1);
    if (xy.size() == 4 && xy[0] == xy[2] && xy[1] == xy[3]) xy[2] += 1e-6;  // a point: keep it as a tiny line
    GEOSCoordSequence* seq = GEOSCoordSeq_copyFromBuffer_r(ctx, xy.data(), static_cast<unsigned>(xy.size() / 2), 0, 0);
    return own(ctx, seq ? GEOSGeom_createLineString_r(ctx, seq) : nullptr, "line");
}

}  // namespace

namespace {

struct LabelledInterval {
    std::uint32_t label;  // event index
    Interval iv;
};

// Street pieces within `limit` of the search's sources: from every reached node along each
// outgoing edge as far as the budget allows, and from each source along its own street.
std::vector<LabelledInterval> reached_pieces(const Graph& g, const std::vector<double>& w, const Dijkstra& d,
                                             const std::vector<Snapped>& sources, const std::vector<std::size_t>& which, double limit) {
    std::vector<LabelledInterval> out;
    for (NodeId u : d.settled()) {
        if (d.cost(u) >= limit) continue;
        for (EdgeId e = g.first_out[u]; e < g.first_out[u + 1]; ++e) {
            const double c = d.cost_via(u, e);  // restricted edges: only at a trip's ends
            if (c >= limit) continue;
            double f = w[e] > 0 ? std::min(1.0, (limit - c) / w[e]) : 1.0;
            out.push_back({d.label_via(u, e), g.reversed[e] ? Interval{g.segment[e], 1 - f, 1} : Interval{g.segment[e], 0, f}});
        }
    }
    for (std::size_t i : which) {
        const Snapped& s = sources[i];
        if (!s.ok) continue;
        const auto label = static_cast<std::uint32_t>(i);
        if (s.forward != kNoEdge) out.push_back({label, {s.segment, s.t, std::min(1.0, s.t + (w[s.forward] > 0 ? limit / w[s.forward] : 1.0))}});
        if (s.backward != kNoEdge) out.push_back({label, {s.segment, std::max(0.0, s.t - (w[s.backward] > 0 ? limit / w[s.backward] : 1.0)), s.t}});
    }
    return out;
}

// The trimmed polygon around street pieces (any labels), or null when there are none.
GeomPtr trimmed_polygon(const GeosContext& ctx, const Graph& g, const std::vector<XY>& shape_xy, std::vector<Interval> iv, double trim_m) {
    std::sort(iv.begin(), iv.end(), [](const Interval& x, const Interval& y) { return x.segment != y.segment ? x.segment < y.segment : x.a < y.a; });
    std::vector<GeomPtr> lines;
    for (std::size_t i = 0; i < iv.size();) {
        Interval cur = iv[i++];
        while (i < iv.size() && iv[i].segment == cur.segment && iv[i].a <= cur.b) cur.b = std::max(cur.b, iv[i++].b);
        lines.push_back(sub_line(ctx, shape_xy, g.seg_first[cur.segment], g.seg_first[cur.segment + 1], cur.a, cur.b));
    }
    if (lines.empty()) return GeomPtr(nullptr, GeomDeleter{ctx.handle()});
    // Merge the pieces into long chains and drop vertices that change nothing at the trim's
    // scale, then buffer each chain and dissolve them (GEOS's cascaded union is much faster
    // here than buffering one huge multi-line at once).
    GeomPtr all = collect(ctx, GEOS_MULTILINESTRING, std::move(lines));
    GeomPtr merged = own(ctx, GEOSLineMerge_r(ctx, all.get()), "line merge");
    GeomPtr simple = own(ctx, GEOSSimplify_r(ctx, merged.get(), trim_m / 50), "simplify");
    std::vector<GeomPtr> buffers;
    const int parts = GEOSGetNumGeometries_r(ctx, simple.get());
    for (int p = 0; p < parts; ++p) buffers.push_back(own(ctx, GEOSBuffer_r(ctx, GEOSGetGeometryN_r(ctx, simple.get(), p), trim_m, 8), "buffer"));
    GeomPtr blobs = collect(ctx, GEOS_GEOMETRYCOLLECTION, std::move(buffers));
    return own(ctx, GEOSUnaryUnion_r(ctx, blobs.get()), "service area union");
}

std::vector<Interval> plain(const std::vector<LabelledInterval>& v) {
    std::vector<Interval> out;
    out.reserve(v.size());
    for (const auto& l : v) out.push_back(l.iv);
    return out;
}

}  // namespace

ServiceAreas service_areas(const ContextPool& pool, const Graph& g, const std::vector<XY>& shape_xy, const std::vector<Snapped>& sources,
                           const ServiceAreaOptions& options, Log& log) {
    const std::vector<double>& w = weights(g, options.metric);
    const double cutoff = *std::max_element(options.limits.begin(), options.limits.end());
    // One multi-source search from every event: each node gets its cost (and owner) from the nearest event.
    std::vector<Seed> seeds;
    std::vector<std::size_t> everyone;
    for (std::size_t i = 0; i < sources.size(); ++i) {
        everyone.push_back(i);
        for (Seed seed : source_seeds(g, w, sources[i])) {
            seed.label = static_cast<std::uint32_t>(i);
            seeds.push_back(seed);
        }
    }
    Dijkstra d(g, w);
    d.run(seeds, cutoff);

    ServiceAreas out;
    out.reach.resize(options.limits.size());
    out.by_event.resize(options.limits.size());
    Progress progress(log, "service areas", options.limits.size());
    parallel_for(options.limits.size(), pool.size(), [&](unsigned t) {
        return [&, t](std::size_t k) {
            const GeosContext& ctx = pool[t];
            const double limit = options.limits[k];
            std::vector<LabelledInterval> pieces = reached_pieces(g, w, d, sources, everyone, limit);
            GeomPtr area = trimmed_polygon(ctx, g, shape_xy, plain(pieces), options.trim_m);
            if (area) {
                Reach& r = out.reach[k];
                const int n = GEOSGetNumGeometries_r(ctx, area.get());
                for (int p = 0; p < n; ++p) {
                    GeomPtr part = clone(ctx, GEOSGetGeometryN_r(ctx, area.get(), p));
                    if (is_empty(ctx, part.get())) continue;
                    r.boxes.push_back(bounds(ctx, part.get()));
                    r.pieces.push_back(std::move(part));
                }
            }
            if (options.mode == ServiceAreaMode::Split) {
                // Each street piece goes to the event that reaches it first; where two events'
                // trimmed polygons still overlap near the seam, the event listed first keeps it.
                std::vector<std::vector<Interval>> owned(sources.size());
                for (const auto& p : pieces) owned[p.label].push_back(p.iv);
                GeomPtr taken(nullptr, GeomDeleter{ctx.handle()});
                for (std::size_t e = 0; e < sources.size(); ++e) {
                    GeomPtr poly = trimmed_polygon(ctx, g, shape_xy, owned[e], options.trim_m);
                    if (!poly) continue;
                    if (taken) {
                        GeomPtr rest = own(ctx, GEOSDifference_r(ctx, poly.get(), taken.get()), "split");
                        taken = own(ctx, GEOSUnion_r(ctx, taken.get(), poly.get()), "split union");
                        poly = std::move(rest);
                    } else {
                        taken = clone(ctx, poly.get());
                    }
                    if (!is_empty(ctx, poly.get())) out.by_event[k].emplace_back(e, std::move(poly));
                }
            }
            progress.tick();
        };
    });
    if (options.mode == ServiceAreaMode::PerEvent) {
        // One search per event: its own reach, whatever other events do.
        for (std::size_t k = 0; k < options.limits.size(); ++k) out.by_event[k].clear();
        Progress per_event(log, "service areas per event", sources.size());
        std::vector<std::vector<GeomPtr>> polys(sources.size());
        parallel_for(sources.size(), pool.size(), [&](unsigned t) {
            auto search = std::make_shared<Dijkstra>(g, w);
            return [&, t, search](std::size_t e) {
                const GeosContext& ctx = pool[t];
                polys[e].resize(options.limits.size());
                if (sources[e].ok) {
                    search->run(source_seeds(g, w, sources[e]), cutoff);
                    for (std::size_t k = 0; k < options.limits.size(); ++k)
                        polys[e][k] = trimmed_polygon(ctx, g, shape_xy, plain(reached_pieces(g, w, *search, sources, {e}, options.limits[k])), options.trim_m);
                }
                per_event.tick();
            };
        });
        for (std::size_t e = 0; e < sources.size(); ++e)
            for (std::size_t k = 0; k < options.limits.size(); ++k)
                if (polys[e][k]) out.by_event[k].emplace_back(e, std::move(polys[e][k]));
    }
    return out;
}

std::vector<bool> areas_with_roads(const ContextPool& pool, const Graph& g, const std::vector<XY>& shape_xy, const ProjectedAreas& areas,
                                   double trim_m) {
    std::vector<Box> boxes(g.segments());
    for (std::size_t s = 0; s < g.segments(); ++s) {
        Box b{1e300, 1e300, -1e300, -1e300};
        for (std::uint32_t i = g.seg_first[s]; i < g.seg_first[s + 1]; ++i)
            b = {std::min(b.xmin, shape_xy[i].x), std::min(b.ymin, shape_xy[i].y), std::max(b.xmax, shape_xy[i].x), std::max(b.ymax, shape_xy[i].y)};
        boxes[s] = b;
    }
    BoxIndex index(pool.main(), boxes);
    std::vector<char> has(areas.geoms.size(), 0);
    parallel_for(areas.geoms.size(), pool.size(), [&](unsigned t) {
        return [&, t](std::size_t i) {
            const GeosContext& ctx = pool[t];
            PreparedPtr prepared = prepare(ctx, areas.geoms[i].get());
            for (std::size_t s : index.query(ctx, areas.boxes[i].expanded(trim_m))) {
                GeomPtr line = sub_line(ctx, shape_xy, g.seg_first[s], g.seg_first[s + 1], 0, 1);
                if (GEOSPreparedDistanceWithin_r(ctx, prepared.get(), line.get(), trim_m) == 1) {
                    has[i] = 1;
                    return;
                }
            }
        };
    });
    return {has.begin(), has.end()};
}

}  // namespace nightout
