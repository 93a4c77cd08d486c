// Location-allocation problems as the solvers see them: demand weights, a
// demand x candidate cost matrix (meters today, seconds once road networks
// land), the sites that are always open, and the model with its parameters.
// Nothing here knows about files or geometry, so any cost source plugs in.
#pragma once

#include <Eigen/Core>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace nightout::site {

enum class Model { MCLP, LSCP, PMedian, PCenter };

// "mclp", "lscp", "pmedian", "pcenter" (also "p-median", "p-center"); throws a Usage error otherwise.
Model parse_model(const std::string& name);
std::string model_key(Model m);
std::string model_title(Model m);  // "maximal covering location problem (MCLP)", ...

// Demand x candidate costs as an Eigen matrix, row-major: a demand point's costs to every site
// are contiguous for the solvers, and NumPy takes the buffer as it is. Any non-negative finite
// cost works: geodesic meters, network meters or seconds.
using Costs = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

struct CostMatrix {
    Costs values;
    std::string unit = "m";  // "m" or "s": names the unit in outputs

    std::size_t rows() const { return static_cast<std::size_t>(values.rows()); }
    std::size_t cols() const { return static_cast<std::size_t>(values.cols()); }
    double at(std::size_t i, std::size_t j) const { return values(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)); }
    const double* row(std::size_t i) const { return values.data() + i * cols(); }
    // Takes a row-major table of rows x cols values.
    void assign(std::size_t rows, std::size_t cols, const std::vector<double>& row_major) {
        values = Eigen::Map<const Costs>(row_major.data(), static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(cols));
    }
};

// Fair suggestions (mclp only): the residents of each declared population group per demand row,
// and what is asked for them. A group's share is of its whole population (`total`, which also
// counts its residents off the road network, who are never reached).
struct Groups {
    std::vector<std::string> names;
    std::vector<std::vector<double>> weight;  // per group: residents per demand row
    std::vector<double> total;                // per group: every resident, the share's base (> 0)
    bool maxmin = false;                      // maximise the least share reached; ties by the weight reached
    double min_share = 0;                     // every group at least this share reached (0: no constraint)
    bool any() const { return maxmin || min_share > 0; }
};

struct Problem {
    Model model = Model::PMedian;
    std::vector<double> weight;  // per demand row (people); >= 0
    CostMatrix cost;             // demand rows x candidate columns
    std::vector<char> required;  // per column: always open (existing sites)
    int k = 0;                   // new sites to open (mclp, pmedian, pcenter)
    double radius = 0;           // coverage threshold in cost units (mclp, lscp)
    double target = 1.0;         // lscp: share of all demand weight to cover, 0 < target <= 1
    Groups groups;               // mclp: max-min fairness and/or a share for every group
};

struct Options {
    std::uint64_t seed = 1;
    bool exact = false;
    double time_limit_s = 300;  // exact mode only
    unsigned threads = 1;       // heuristic runs are spread over threads; results do not depend on it
    int runs = 2;               // independent heuristic runs (seeds derived from `seed`); the best wins
    double effort = 1.0;        // scales the heuristic's iteration budget
};

struct Solution {
    std::vector<int> open;  // new sites (column indices) in rank order
    double objective = 0;   // recomputed from `open` (see evaluate)
    std::optional<double> bound;  // proven bound on the optimum (exact mode)
    std::optional<double> gap;    // |objective - bound| / |objective|
    bool proven_optimal = false;
    std::string method;
    double seconds = 0;
    double heuristic_objective = 0;  // the heuristic's result (the MIP start in exact mode)
    double heuristic_seconds = 0;
    long long iterations = 0;  // heuristic local searches run
    // With Problem::groups: each group's reached weight (required sites included) and whether
    // every group reaches min_share. When it does not, group_limit holds an upper bound on each
    // group's reachable weight with k new sites (its own MCLP bound), and `impossible` says
    // whether the constraint is proven unreachable (a group's bound, or CBC's infeasibility).
    std::vector<double> group_covered, group_limit;
    bool constraints_met = true, impossible = false;
};

// The model's objective for a set of new sites (plus the required ones),
// computed from scratch: covered weight (mclp, lscp: the new-site count is the
// objective, see coverage()), weighted cost sum (pmedian), worst cost over
// demand with weight > 0 (pcenter).
double evaluate(const Problem& p, const std::vector<int>& open);
// Weight of demand within `radius` of an open site.
double coverage(const Problem& p, const std::vector<int>& open, double radius);
// Each demand row's nearest open column (ties to the lower column), -1 when nothing is open.
std::vector<int> allocate(const Problem& p, const std::vector<int>& open);

// Checks sizes and parameters; throws a Usage error saying what cannot be done
// (k larger than the candidates, an unreachable lscp target, ...).
void validate(const Problem& p);

// Each group's reached weight with the new sites `open` (plus the required ones).
std::vector<double> group_coverage(const Problem& p, const std::vector<int>& open);

// Solves with the heuristic, and then with CBC when options.exact.
Solution solve(const Problem& p, const Options& options);

// The chosen sites ordered greedily by how much each improves the objective
// given the required sites and the sites ranked before it (ties: lower column).
std::vector<int> rank_sites(const Problem& p, const std::vector<int>& open);

}  // namespace nightout::site
