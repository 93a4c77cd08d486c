#include "site/problem.hpp"

#include "core/error.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <numeric>
#include <sstream>

namespace nightout::site {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

std::string number(double v) {
    std::ostringstream s;
    s.precision(6);
    s << v;
    return s.str();
}

// Per demand row, the cost to the nearest column in `cols` plus the required ones.
std::vector<double> nearest_costs(const Problem& p, const std::vector<int>& cols) {
    std::vector<double> d(p.cost.rows(), kInf);
    for (std::size_t j = 0; j < p.cost.cols(); ++j)
        if (p.required[j])
            for (std::size_t i = 0; i < p.cost.rows(); ++i) d[i] = std::min(d[i], p.cost.at(i, j));
    for (int j : cols)
        for (std::size_t i = 0; i < p.cost.rows(); ++i) d[i] = std::min(d[i], p.cost.at(i, j));
    return d;
}

double objective_of(const Problem& p, const std::vector<double>& d, std::size_t new_sites) {
    double s = 0;
    switch (p.model) {
    case Model::PMedian:
        for (std::size_t i = 0; i < d.size(); ++i)
            if (p.weight[i] > 0) s += p.weight[i] * d[i];
        return s;
    case Model::MCLP:
        for (std::size_t i = 0; i < d.size(); ++i)
            if (d[i] <= p.radius) s += p.weight[i];
        return s;
    case Model::LSCP:
        return static_cast<double>(new_sites);
    case Model::PCenter:
        for (std::size_t i = 0; i < d.size(); ++i)
            if (p.weight[i] > 0) s = std::max(s, d[i]);
        return s;
    }
    return s;
}

}  // namespace

Model parse_model(const std::string& name) {
    std::string s;
    for (char c : name)
        if (c != '-' && c != '_') s += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (s == "mclp") return Model::MCLP;
    if (s == "lscp") return Model::LSCP;
    if (s == "pmedian") return Model::PMedian;
    if (s == "pcenter") return Model::PCenter;
    throw_usage("--model: '" + name + "' is not a model; expected mclp (most demand covered by k sites), lscp (fewest sites covering a target), "
                "pmedian (least total distance with k sites) or pcenter (least worst distance with k sites)");
}

std::string model_key(Model m) {
    switch (m) {
    case Model::MCLP: return "mclp";
    case Model::LSCP: return "lscp";
    case Model::PMedian: return "pmedian";
    case Model::PCenter: return "pcenter";
    }
    return "?";
}

std::string model_title(Model m) {
    switch (m) {
    case Model::MCLP: return "maximal covering location problem (MCLP)";
    case Model::LSCP: return "location set covering problem (LSCP)";
    case Model::PMedian: return "p-median problem";
    case Model::PCenter: return "p-center problem";
    }
    return "?";
}

double evaluate(const Problem& p, const std::vector<int>& open) { return objective_of(p, nearest_costs(p, open), open.size()); }

double coverage(const Problem& p, const std::vector<int>& open, double radius) {
    std::vector<double> d = nearest_costs(p, open);
    double s = 0;
    for (std::size_t i = 0; i < d.size(); ++i)
        if (d[i] <= radius) s += p.weight[i];
    return s;
}

std::vector<int> allocate(const Problem& p, const std::vector<int>& open) {
    std::vector<int> cols = open;
    for (std::size_t j = 0; j < p.cost.cols(); ++j)
        if (p.required[j]) cols.push_back(static_cast<int>(j));
    std::sort(cols.begin(), cols.end());
    std::vector<int> out(p.cost.rows(), -1);
    for (std::size_t i = 0; i < p.cost.rows(); ++i) {
        double best = kInf;
        for (int j : cols)
            if (p.cost.at(i, j) < best) best = p.cost.at(i, j), out[i] = j;
    }
    return out;
}

void validate(const Problem& p) {
    const std::size_t n = p.cost.rows(), m = p.cost.cols();
    if (p.weight.size() != n || p.required.size() != m || static_cast<std::size_t>(p.cost.values.size()) != n * m)
        throw_internal("site problem: sizes of weights, required flags and cost matrix disagree");
    if (n == 0) throw_usage("no demand: the demand layer has no features");
    if (m == 0) throw_usage("no candidate sites: give --candidates (and/or --required)");
    for (std::size_t i = 0; i < n; ++i)
        if (!(p.weight[i] >= 0) || !std::isfinite(p.weight[i]))
            throw_internal("site problem: demand row " + std::to_string(i + 1) + " has weight " + number(p.weight[i]));
    for (std::size_t i = 0; i < n * m; ++i)
        if (!(p.cost.values.data()[i] >= 0) || !std::isfinite(p.cost.values.data()[i]))
            throw_internal("site problem: cost of demand row " + std::to_string(i / m + 1) + ", candidate " + std::to_string(i % m + 1) + " is " +
                           number(p.cost.values.data()[i]));
    const std::size_t required = static_cast<std::size_t>(std::count(p.required.begin(), p.required.end(), 1));
    const std::size_t free = m - required;
    const double total = std::accumulate(p.weight.begin(), p.weight.end(), 0.0);
    if (!(total > 0)) throw_usage("every demand weight is 0: there is nobody to reach (check the population field)");

    if (p.groups.any()) {
        if (p.model != Model::MCLP) throw_usage("--objective maxmin and --min-group-share apply to --model mclp (a reach: --radius or --minutes)");
        if (p.groups.names.empty()) throw_usage("--objective maxmin and --min-group-share need population groups: --group NAME=FIELD (plan: [inputs.groups])");
        if (p.groups.weight.size() != p.groups.names.size() || p.groups.total.size() != p.groups.names.size())
            throw_internal("site problem: sizes of the groups' names, weights and totals disagree");
        for (std::size_t g = 0; g < p.groups.names.size(); ++g) {
            if (p.groups.weight[g].size() != n) throw_internal("site problem: group " + p.groups.names[g] + " has the wrong number of demand rows");
            for (double v : p.groups.weight[g])
                if (!(v >= 0) || !std::isfinite(v)) throw_internal("site problem: group " + p.groups.names[g] + " has a weight " + number(v));
            if (!(p.groups.total[g] > 0))
                throw_usage("group " + p.groups.names[g] + " has no residents in the demand: its share reached is undefined; leave it out of --group");
        }
        if (!(p.groups.min_share >= 0 && p.groups.min_share <= 1)) throw_usage("--min-group-share " + number(p.groups.min_share) + ": expected a share from 0 to 100%");
    }
    if (p.model == Model::MCLP || p.model == Model::LSCP) {
        if (!(p.radius > 0)) throw_usage("--model " + model_key(p.model) + " needs a coverage distance: --radius (e.g. --radius 800m)");
    }
    if (p.model != Model::LSCP) {
        if (p.k < 0) throw_usage("-k " + std::to_string(p.k) + ": the number of new sites cannot be negative");
        if (static_cast<std::size_t>(p.k) > free)
            throw_usage("-k " + std::to_string(p.k) + ": only " + std::to_string(free) + " candidate site(s) can be chosen" +
                        (required ? " (" + std::to_string(required) + " required site(s) are open anyway)" : std::string()) +
                        "; ask for at most " + std::to_string(free));
        if (p.k == 0 && required == 0) throw_usage("-k 0 with no --required sites: nothing would be open; ask for at least one site");
    } else {
        if (!(p.target > 0 && p.target <= 1)) throw_usage("--target " + number(p.target) + ": expected a share of demand above 0 and at most 1 (or 100%)");
        std::vector<int> all;
        for (std::size_t j = 0; j < m; ++j)
            if (!p.required[j]) all.push_back(static_cast<int>(j));
        const double best = coverage(p, all, p.radius);
        if (best < p.target * total * (1 - 1e-12)) {
            std::size_t out_of_reach = 0;
            std::vector<double> d = nearest_costs(p, all);
            for (std::size_t i = 0; i < n; ++i)
                if (p.weight[i] > 0 && d[i] > p.radius) ++out_of_reach;
            throw_usage("--target " + number(100 * p.target) + "%: cannot be reached; with every candidate open " + number(100 * best / total) +
                        "% of demand (" + number(best) + " of " + number(total) + ") is within " + number(p.radius) + " " + p.cost.unit + " and " +
                        std::to_string(out_of_reach) + " demand point(s) have no site in reach; lower --target to at most " +
                        number(std::floor(1e4 * best / total) / 100) + "% or raise " + (p.cost.unit == "s" ? "--minutes" : "--radius"));
        }
    }
}

std::vector<int> rank_sites(const Problem& p, const std::vector<int>& open) {
    std::vector<int> ranked, left = open;
    std::sort(left.begin(), left.end());
    std::vector<double> d = nearest_costs(p, {});
    const double r = p.model == Model::PMedian || p.model == Model::PCenter ? kInf : p.radius;
    while (!left.empty()) {
        // Primary: the model's own gain (coverage, total or worst cost); then total cost; then lower column.
        std::size_t best = 0;
        double best_primary = kInf, best_total = kInf;
        for (std::size_t t = 0; t < left.size(); ++t) {
            const int j = left[t];
            double covered = 0, total = 0, worst = 0;
            for (std::size_t i = 0; i < d.size(); ++i) {
                const double c = std::min(d[i], p.cost.at(i, j));
                if (p.weight[i] <= 0) continue;
                if (c <= r) covered += p.weight[i];
                total += p.weight[i] * c;
                worst = std::max(worst, c);
            }
            double primary = p.model == Model::PCenter ? worst : p.model == Model::PMedian ? total : -covered;
            if (primary < best_primary || (primary == best_primary && total < best_total)) best_primary = primary, best_total = total, best = t;
        }
        const int j = left[best];
        for (std::size_t i = 0; i < d.size(); ++i) d[i] = std::min(d[i], p.cost.at(i, j));
        ranked.push_back(j);
        left.erase(left.begin() + static_cast<std::ptrdiff_t>(best));
    }
    return ranked;
}

}  // namespace nightout::site
