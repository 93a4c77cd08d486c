// The travel stage's typed result: station x event (or any from x to) tables as Eigen matrices,
// row-major so that a row is one origin's costs and the Python front end can hand the buffer to
// NumPy without a copy. NaN marks a pair with no route (or an endpoint off the network).
#pragma once

#include <Eigen/Core>

#include <string>
#include <vector>

namespace nightout {

using TravelMatrix2D = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

struct TravelResult {
    std::vector<std::string> from_ids, to_ids;
    TravelMatrix2D distance_m;  // geodesic (straight lines) or the chosen path's length
    TravelMatrix2D duration_s;  // along the streets only; empty in straight lines
    std::string method;         // "geodesic (Karney)", "contraction hierarchy" or "dijkstra"
    std::size_t unreachable_pairs = 0;
};

}  // namespace nightout
