// Fair site suggestions on the maximal covering model: max-min fairness (the least share reached
// over the population groups, ties broken by the weight reached) and "every group at least T%
// reached" constraints with the usual objective. Heuristic: greedy then swap local search and
// VNS shakes on sparse coverage sets, comparing solutions lexicographically (constraint shortfall,
// then the objective, then the tie-break). Bounds: each group's own Lagrangian MCLP bound (no group
// can be reached more than it could be alone) for max-min, the plain MCLP bound otherwise. Exact
// mode: CBC on the mixed-integer programs in docs/methodology.md (max-min in two phases).
#pragma once

#include "site/problem.hpp"

namespace nightout::site {

// The heuristic (and, with options.exact, CBC); fills the fairness fields of the solution.
// `objective` is the least share (max-min) or the reached weight (constraints only).
Solution solve_fair(const Problem& p, const Options& options);

}  // namespace nightout::site
