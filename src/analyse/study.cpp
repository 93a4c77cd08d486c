#include "analyse/study.hpp"

#include "core/error.hpp"
#include "core/parallel.hpp"

#include <algorithm>
#include <cmath>

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
    const GeosContext& main = pool.main();
    // PROJ objects are not thread-safe: project on one thread, measure in parallel.
    for (std::size_t i = 0; i < n; ++i) {
        const Feature& f = areas.features[i];
        GeomPtr g = to_local.forward(main, f.geom.get(), areas.path + ": " + f.where);
        if (GEOSisValid_r(main, g.get()) != 1) {
            // Projection can fold a polygon that was valid in lon/lat (rare, near-degenerate rings).
            g = own(main, GEOSMakeValid_r(main, g.get()), "make valid");
        }
        out.boxes[i] = bounds(main, g.get());
        // The representative point is found in metric space, where a centroid means what it should.
        GeomPtr rep = representative_point(main, g.get());
        point_xy(main, rep.get(), out.rep_xy[i].x, out.rep_xy[i].y);
        LonLat ll{out.rep_xy[i].x, out.rep_xy[i].y};
        if (!to_local.inverse(ll.lon, ll.lat)) throw_input(areas.path + ": " + f.where + ": cannot be projected");
        out.rep_lonlat[i] = ll;
        out.geoms[i] = std::move(g);
    }
    parallel_for(n, threads, [&](unsigned t) {
        return [&, t](std::size_t i) { out.area_m2[i] = area(pool[t], out.geoms[i].get()); };
    });
    return out;
}

ProjectedPoints project_points(const GeosContext& ctx, const Transform& to_local, const Dataset& points) {
    ProjectedPoints out;
    out.lonlat.reserve(points.features.size());
    out.xy.reserve(points.features.size());
    for (const auto& f : points.features) {
        LonLat ll;
        point_xy(ctx, f.geom.get(), ll.lon, ll.lat);
        XY xy{ll.lon, ll.lat};
        if (!to_local.forward(xy.x, xy.y)) throw_input(points.path + ": " + f.where + ": cannot be projected");
        out.lonlat.push_back(ll);
        out.xy.push_back(xy);
    }
    return out;
}

}  // namespace nightout
