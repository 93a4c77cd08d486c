// Symmetric TSP: nearest-neighbour tour, 2-opt, Or-opt and Lin-Kernighan style chains
// of flips (sequential 3-opt and deeper) with neighbour lists and don't-look bits, then
// iterated local search with local double-bridge kicks that re-optimise only around the kick.
#pragma once

#include "route/benchmarks.hpp"

#include <cstdint>
#include <vector>

namespace nightout::route {

struct TspOptions {
    std::uint64_t seed = 1;
    double time_limit_s = 10;  // <= 0: none (then kicks must be set)
    std::uint64_t kicks = 0;   // per search; 0: until the time limit. With kicks the result depends on input and seed only
    unsigned threads = 1;      // independent searches (seeds seed, seed+1, ...); the best is kept
    int neighbours = 10;
};

struct TspResult {
    std::vector<int> tour;  // 0-based cities
    long long length = 0;
    long long initial_length = 0;
    std::uint64_t kicks = 0;
    double seconds = 0;
};

TspResult solve_tsp(const TspInstance& inst, const TspOptions& options);

}  // namespace nightout::route
