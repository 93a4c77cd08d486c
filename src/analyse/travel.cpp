#include "analyse/travel.hpp"

#include "core/parallel.hpp"
#include "geo/geodesic.hpp"

#include <algorithm>

namespace nightout {

std::vector<double> distance_matrix(const std::vector<LonLat>& from, const std::vector<LonLat>& to, unsigned threads, Log& log) {
    std::vector<double> m(from.size() * to.size());
    Progress progress(log, "distance matrix rows", from.size());
    parallel_for(from.size(), threads, [&](unsigned) {
        return [&](std::size_t i) {
            for (std::size_t j = 0; j < to.size(); ++j)
                m[i * to.size() + j] = geodesic_distance(from[i].lon, from[i].lat, to[j].lon, to[j].lat);
            progress.tick();
        };
    });
    return m;
}

NearestFacility nearest_facilities(const ContextPool& pool, const ProjectedPoints& points, const ProjectedPoints& facilities,
                                   double scale_bound) {
    NearestFacility out;
    PointIndex index(pool.main(), facilities.lonlat, facilities.xy, scale_bound);
    out.of_point.resize(points.xy.size());
    parallel_for(points.xy.size(), pool.size(), [&](unsigned t) {
        return [&, t](std::size_t i) { out.of_point[i] = index.nearest(pool[t], points.lonlat[i], points.xy[i]); };
    });
    const std::size_t m = facilities.xy.size();
    out.points_served.assign(m, 0);
    out.max_m.assign(m, 0);
    out.mean_m.assign(m, 0);
    for (const Nearest& n : out.of_point) {
        if (!n.found) continue;
        out.points_served[n.index] += 1;
        out.max_m[n.index] = std::max(out.max_m[n.index], n.meters);
        out.mean_m[n.index] += n.meters;
    }
    for (std::size_t j = 0; j < m; ++j)
        if (out.points_served[j]) out.mean_m[j] /= out.points_served[j];
    return out;
}

}  // namespace nightout
