#include "analyse/study.hpp"

#include "geo/densify.hpp"

#include "core/error.hpp"
#include "core/parallel.hpp"

#include <algorithm>
#include <cmath>
#include <memory>

namespace nightout {

ContextPool::ContextPool(unsigned threads) {
    for (unsigned i = 0; i < std::max(1u, threads); ++i) contexts_.push_back(std::make_unique<GeosContext>());
}

LocalProjection projection_for(const GeosContext& ctx, const std::vector<const Dataset*>& datasets) {
    double xmin = HUGE_VAL, ymin = HUGE_VAL, xmax = -HUGE_VAL, ymax = -HUGE_VAL;
    for (const Dataset* ds : datasets) {
        if (!ds) continue;
        for (const auto& f : ds->features) {
            Box b = bounds(ctx, f.geom.get());
            xmin = std::min(xmin, b.xmin);
            ymin = std::min(ymin, b.ymin);
            xmax = std::max(xmax, b.xmax);
            ymax = std::max(ymax, b.ymax);
        }
    }
    if (!(xmin <= xmax)) throw_internal("no coordinates to choose a projection from");
    return choose_local_projection(xmin, ymin, xmax, ymax);
}

ProjectedAreas project_areas(const ContextPool& pool, const Transform& to_local, const Dataset& areas, unsigned threads) {
    const std::size_t n = areas.features.size();
    ProjectedAreas out;
    out.geoms.resize(n);
    out.boxes.resize(n);
    out.area_m2.resize(n);
    out.rep_lonlat.resize(n);
    out.rep_xy.resize(n);
    // PROJ objects are not thread-safe: each thread but the first gets its own copy.
    parallel_for(n, threads, [&](unsigned t) {
        auto copy = t > 0 ? std::make_shared<ThreadTransform>(to_local) : nullptr;
        const Transform& tr = copy ? copy->transform : to_local;
        return [&, t, copy](std::size_t i) {
            const GeosContext& ctx = pool[t];
            const Feature& f = areas.features[i];
            // Long edges follow their geodesics, so that areas are right at any latitude.
            GeomPtr dense = densify_geodesic(ctx, f.geom.get());
            GeomPtr g = tr.forward(ctx, dense ? dense.get() : f.geom.get(), areas.path + ": " + f.where);
            if (GEOSisValid_r(ctx, g.get()) != 1) {
                // Projection can fold a polygon that was valid in lon/lat (rare, near-degenerate rings).
                g = own(ctx, GEOSMakeValid_r(ctx, g.get()), "make valid");
            }
            out.boxes[i] = bounds(ctx, g.get());
            // The representative point is found in metric space, where a centroid means what it should.
            GeomPtr rep = representative_point(ctx, g.get());
            point_xy(ctx, rep.get(), out.rep_xy[i].x, out.rep_xy[i].y);
            LonLat ll{out.rep_xy[i].x, out.rep_xy[i].y};
            if (!tr.inverse(ll.lon, ll.lat)) throw_input(areas.path + ": " + f.where + ": cannot be projected");
            out.rep_lonlat[i] = ll;
            out.area_m2[i] = area(ctx, g.get());
            out.geoms[i] = std::move(g);
        };
    });
    return out;
}

ProjectedPoints project_points(const GeosContext& ctx, const Transform& to_local, const Dataset& points) {
    const std::size_t n = points.features.size();
    ProjectedPoints out;
    out.lonlat.resize(n);
    std::vector<double> x(n), y(n);
    for (std::size_t i = 0; i < n; ++i) {
        point_xy(ctx, points.features[i].geom.get(), out.lonlat[i].lon, out.lonlat[i].lat);
        x[i] = out.lonlat[i].lon;
        y[i] = out.lonlat[i].lat;
    }
    // One PROJ call for all points; should any fail, name the first that does.
    if (!to_local.forward_many(x, y))
        for (std::size_t i = 0; i < n; ++i) {
            double px = out.lonlat[i].lon, py = out.lonlat[i].lat;
            if (!to_local.forward(px, py)) throw_input(points.path + ": " + points.features[i].where + ": cannot be projected");
        }
    out.xy.resize(n);
    for (std::size_t i = 0; i < n; ++i) out.xy[i] = {x[i], y[i]};
    return out;
}

}  // namespace nightout
