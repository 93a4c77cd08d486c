#include "site/exact.hpp"
#include "site/fair.hpp"
#include "site/heuristics.hpp"
#include "site/problem.hpp"

#include <chrono>

namespace nightout::site {

Solution solve(const Problem& p, const Options& options) {
    const auto started = std::chrono::steady_clock::now();
    validate(p);
    if (p.groups.any()) {
        Solution s = solve_fair(p, options);
        s.open = rank_sites(p, s.open);
        s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        return s;
    }
    Solution s = solve_heuristic(p, options);
    if (options.exact) solve_exact(p, options, s);
    s.open = rank_sites(p, s.open);
    s.objective = evaluate(p, s.open);
    s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return s;
}

}  // namespace nightout::site
