// A mixed-integer program built column by column and solved by CBC (COIN-OR branch and
// cut, Debian's coinor-libcbc): shared by the site models (site/exact.cpp) and the
// program calendar (program/exact.cpp).
#pragma once

#include <limits>
#include <utility>
#include <vector>

namespace nightout::site {

struct Mip {
    std::vector<double> obj, lb, ub;
    std::vector<char> integer;
    std::vector<std::vector<std::pair<int, double>>> entries;  // per column: (row, coefficient)
    std::vector<double> row_lb, row_ub;

    int add_col(double cost, double lo, double hi, bool is_integer) {
        obj.push_back(cost);
        lb.push_back(lo);
        ub.push_back(hi);
        integer.push_back(is_integer ? 1 : 0);
        entries.emplace_back();
        return static_cast<int>(obj.size()) - 1;
    }
    int add_row(double lo, double hi) {
        row_lb.push_back(lo);
        row_ub.push_back(hi);
        return static_cast<int>(row_lb.size()) - 1;
    }
    void set(int row, int col, double v) { entries[col].push_back({row, v}); }
};

struct MipResult {
    bool has_solution = false, optimal = false, infeasible = false;
    std::vector<double> x;
    double bound = -std::numeric_limits<double>::infinity();  // on the minimised objective
};

// Minimises mip.obj from the MIP start `start` (empty: none) for at most `seconds`;
// CBC's log goes to stderr, never stdout.
MipResult run_cbc(const Mip& mip, const std::vector<double>& start, double seconds);

}  // namespace nightout::site
