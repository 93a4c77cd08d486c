// Exact mode: the models as mixed-integer programs solved by CBC (COIN-OR
// branch and cut, Debian's coinor-libcbc), started from the heuristic's
// solution and stopped at a time limit. Formulations in docs/methodology.md.
#pragma once

#include "site/problem.hpp"

namespace nightout::site {

// Improves `s` (the heuristic solution, used as the MIP start) and fills its
// bound, gap and proven_optimal.
void solve_exact(const Problem& p, const Options& options, Solution& s);

}  // namespace nightout::site
