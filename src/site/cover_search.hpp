// Coverage models (mclp, lscp) on sparse sets: which demand rows each candidate reaches
// within the radius. Greedy, swap local search and the Lagrangian bound then cost
// O(pairs in reach) per step instead of O(rows x candidates); on typical city data a
// candidate reaches a few dozen of hundreds of rows.
#pragma once

#include "site/swap_search.hpp"

#include <cstdint>
#include <vector>

namespace nightout::site {

struct CoverSets {
    std::size_t m = 0;             // columns (candidates), as in the cost matrix
    std::vector<double> w;         // per active row: reachable by an allowed column, not covered by a fixed one
    std::vector<std::uint32_t> row_first, row_cols;  // allowed columns covering each active row (CSR)
    std::vector<std::uint32_t> col_first, col_rows;  // active rows each column covers (CSR; empty for others)
    std::vector<char> allowed;
    double fixed_covered = 0;      // weight the fixed (required) columns cover
};

// The column view of a row-wise cover (CSR): for each of m columns, the rows it covers, in row order.
// `count[j]` is how many rows column j covers.
void transpose_cover(std::size_t m, const std::vector<std::uint32_t>& count, const std::vector<std::uint32_t>& row_first,
                     const std::vector<std::uint32_t>& row_cols, std::vector<std::uint32_t>& col_first, std::vector<std::uint32_t>& col_rows);

CoverSets cover_sets(const AssignmentCosts& cost, const std::vector<double>& w, const std::vector<char>& fixed, const std::vector<char>& allowed,
                     double radius);

// Greedy (largest gain, ties to the lower column) then best-improvement swaps until none
// gains; `open` gets k allowed columns. Returns the weight covered, fixed sites included.
double cover_greedy_swap(const CoverSets& s, int k, std::vector<int>& open, long long& swaps);

// An upper bound on the weight k new columns can cover (fixed ones included): the
// Lagrangian relaxation of z_i <= sum_{j in N_i} y_j, which equals the LP bound at the
// best multipliers, minimised by projected subgradient steps. Stops once it meets
// `covered` (rounded down first when every weight is an integer).
double cover_bound(const CoverSets& s, int k, double covered, bool integral, int iterations);

}  // namespace nightout::site
