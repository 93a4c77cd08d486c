// The routing solver: cheapest-insertion construction, then Slack Induction by String
// Removals (SISR, Christiaens & Vanden Berghe 2020): adjacent string removal, greedy
// insertion with blinks and simulated-annealing acceptance; optionally preceded by
// SISR's fleet-minimisation phase (remove a route, reinsert its jobs ordered by
// absence counters) when the number of vehicles comes first.
#pragma once

#include "route/problem.hpp"

#include <cstdint>
#include <vector>

namespace nightout::route {

struct SolverOptions {
    std::uint64_t seed = 1;
    double time_limit_s = 10;      // wall-clock stop (<= 0: none; then iterations must be set)
    std::uint64_t iterations = 0;  // ruin-and-recreate iterations per search; 0: until the time limit.
                                   // With iterations the result depends on input and seed only.
    unsigned threads = 1;          // independent searches (seeds seed, seed+1, ...); the best is kept
    bool minimise_vehicles = false;  // fleet minimisation first (VRPTW benchmarks)
    bool collect_prizes = false;   // prize-collecting search (orienteering, TOPTW): the annealing may give
                                   // up prize (temperatures in prize units), jobs are reinserted in orders
                                   // that mix prize, windows and chance rather than highest prize first
    bool all_required = false;     // every job must be served (benchmarks): reported, not enforced
    double fleet_share = 0.4;      // share of the budget for fleet minimisation
    double t_start = -1, t_end = -1;  // annealing temperatures in time units; < 0: scaled from the instance
    double mean_removed = 10;      // SISR c-bar
    int max_string = 10;           // SISR L-max
    double blink = 0.01;           // SISR beta
    // Re-planning: routes to start from (one per vehicle, each feasible on its own, e.g. the
    // promises of an earlier plan); the other jobs are inserted around them. Empty: none.
    std::vector<std::vector<int>> initial;
};

Solution solve(const Problem& p, const SolverOptions& options);

// Prize-weighted objective used to compare solutions: (served prize, -vehicles when
// minimising vehicles, -cost). Exposed for tests.
double route_cost(const Problem& p, int vehicle, const std::vector<int>& route);

}  // namespace nightout::route
