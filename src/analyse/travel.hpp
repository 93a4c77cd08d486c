// Straight-line travel: geodesic distance matrices and nearest facilities.
#pragma once

#include "analyse/study.hpp"
#include "core/log.hpp"

#include <vector>

namespace nightout {

// Row-major |from| x |to| geodesic distances in meters, computed in parallel over rows.
std::vector<double> distance_matrix(const std::vector<LonLat>& from, const std::vector<LonLat>& to, unsigned threads, Log& log);

struct NearestFacility {
    std::vector<Nearest> of_point;   // per point: its nearest facility
    std::vector<int> points_served;  // per facility: how many points have it as nearest
    std::vector<double> max_m, mean_m;  // per facility, over the points it serves (0 when none)
};

// Each point's nearest facility by geodesic distance (ties to the lower facility index).
NearestFacility nearest_facilities(const ContextPool& pool, const ProjectedPoints& points, const ProjectedPoints& facilities,
                                   double scale_bound);

}  // namespace nightout
