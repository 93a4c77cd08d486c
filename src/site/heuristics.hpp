// The fast heuristic for every model (see swap_search.hpp for the engine):
// - pmedian: greedy, then VNS with fast swap local search on weight x cost;
// - mclp: the same on uncovered demand (weight x [cost > radius]);
// - lscp: greedy cover to the target, then fewer sites while an mclp search still reaches it;
// - pcenter: binary search over the distinct costs, each radius checked by a search on the
//   excess distance max(0, cost - radius) reaching 0 with k sites.
// Several runs with seeds derived from Options::seed are spread over threads; the best
// wins (ties: the lower run), so results never depend on the number of threads.
#pragma once

#include "site/problem.hpp"

namespace nightout::site {

Solution solve_heuristic(const Problem& p, const Options& options);

// The seed of run r, mixed so that nearby seeds give unrelated runs.
std::uint64_t run_seed(std::uint64_t seed, std::uint64_t run);

}  // namespace nightout::site
