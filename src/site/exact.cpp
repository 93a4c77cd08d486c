#include "site/exact.hpp"
#include "site/mip.hpp"

#include "core/error.hpp"

#include <Cbc_C_Interface.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>
#include <iostream>
#include <limits>
#include <memory>
#include <numeric>
#include <unistd.h>

namespace nightout::site {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
using Clock = std::chrono::steady_clock;

// CBC prints through stdout; keep stdout for our own results (the --orlib JSON).
class StdoutToStderr {
public:
    StdoutToStderr() {
        std::fflush(stdout);
        std::cout.flush();
        saved_ = dup(STDOUT_FILENO);
        if (saved_ >= 0) dup2(STDERR_FILENO, STDOUT_FILENO);
    }
    ~StdoutToStderr() {
        std::fflush(stdout);
        std::cout.flush();
        if (saved_ >= 0) {
            dup2(saved_, STDOUT_FILENO);
            close(saved_);
        }
    }
    StdoutToStderr(const StdoutToStderr&) = delete;
    StdoutToStderr& operator=(const StdoutToStderr&) = delete;

private:
    int saved_ = -1;
};

struct CbcDeleter {
    void operator()(Cbc_Model* m) const { Cbc_deleteModel(m); }
};

}  // namespace

MipResult run_cbc(const Mip& mip, const std::vector<double>& start, double seconds) {
    const int ncols = static_cast<int>(mip.obj.size()), nrows = static_cast<int>(mip.row_lb.size());
    std::vector<CoinBigIndex> col_start{0};
    std::vector<int> index;
    std::vector<double> value;
    for (const auto& col : mip.entries) {
        for (auto [r, v] : col) {
            index.push_back(r);
            value.push_back(v);
        }
        col_start.push_back(static_cast<CoinBigIndex>(index.size()));
    }
    std::unique_ptr<Cbc_Model, CbcDeleter> model(Cbc_newModel());
    Cbc_loadProblem(model.get(), ncols, nrows, col_start.data(), index.data(), value.data(), mip.lb.data(), mip.ub.data(), mip.obj.data(),
                    mip.row_lb.data(), mip.row_ub.data());
    for (int j = 0; j < ncols; ++j)
        if (mip.integer[j]) Cbc_setInteger(model.get(), j);
    Cbc_setLogLevel(model.get(), 0);
    Cbc_setMaximumSeconds(model.get(), std::max(1.0, seconds));  // --time-limit
    if (!start.empty()) {
        std::vector<int> idx(ncols);
        std::iota(idx.begin(), idx.end(), 0);
        Cbc_setMIPStartI(model.get(), ncols, idx.data(), start.data());
    }
    MipResult r;
    {
        StdoutToStderr quiet;
        Cbc_solve(model.get());
    }
    r.optimal = Cbc_isProvenOptimal(model.get()) != 0;
    r.infeasible = Cbc_isProvenInfeasible(model.get()) != 0;
    r.bound = Cbc_getBestPossibleObjValue(model.get());
    if (const double* best = Cbc_bestSolution(model.get())) {
        r.has_solution = true;
        r.x.assign(best, best + ncols);
    }
    return r;
}

namespace {

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// Per demand row, the cost to the nearest required site (infinity when none).
std::vector<double> required_cost(const Problem& p) {
    std::vector<double> d(p.cost.rows(), kInf);
    for (std::size_t j = 0; j < p.cost.cols(); ++j)
        if (p.required[j])
            for (std::size_t i = 0; i < p.cost.rows(); ++i) d[i] = std::min(d[i], p.cost.at(i, j));
    return d;
}

// Binary site variables y_j for the columns that may be chosen.
struct SiteVars {
    std::vector<int> var;  // per column: MIP column, -1 for required sites
    std::vector<int> cols;  // per y variable: problem column
};

SiteVars add_sites(const Problem& p, Mip& mip, double cost) {
    SiteVars s;
    s.var.assign(p.cost.cols(), -1);
    for (std::size_t j = 0; j < p.cost.cols(); ++j)
        if (!p.required[j]) {
            s.var[j] = mip.add_col(cost, 0, 1, true);
            s.cols.push_back(static_cast<int>(j));
        }
    return s;
}

std::vector<int> chosen(const SiteVars& s, const std::vector<double>& x) {
    std::vector<int> open;
    for (std::size_t t = 0; t < s.cols.size(); ++t)
        if (x[s.var[s.cols[t]]] > 0.5) open.push_back(s.cols[t]);
    return open;
}

// Sets the start values of the site variables (the rest is filled by the caller).
std::vector<double> start_sites(const Mip& mip, const SiteVars& s, const std::vector<int>& open) {
    std::vector<double> x(mip.obj.size(), 0.0);
    for (int j : open) x[s.var[j]] = 1;
    return x;
}

struct Outcome {
    MipResult r;
    double constant = 0;  // objective terms fixed by the required sites
};

// p-median, Elloumi's (2010) formulation: per demand row i, its distinct candidate costs
// D1 < D2 < ... < DK and z_ik = [i's cost > Dk]; cost_i = D1 + sum_k (D(k+1) - Dk) z_ik,
// z_i1 + sum_{c_ij = D1} y_j >= 1 and z_ik - z_i(k-1) + sum_{c_ij = Dk} y_j >= 0.
// Only the nearest F - k + 1 free candidates can serve a row (F free candidates, k open)
// and none beyond the nearest required site, which shortens every row.
Outcome pmedian_mip(const Problem& p, const Solution& heuristic, double seconds, SiteVars& s) {
    Mip mip;
    s = add_sites(p, mip, 0);
    const int free = static_cast<int>(s.cols.size());
    const std::vector<double> dr = required_cost(p);
    Outcome out;
    int cardinality = mip.add_row(p.k, p.k);
    for (int v : s.var)
        if (v >= 0) mip.set(cardinality, v, 1);
    struct RowLevels {
        std::size_t i;
        std::vector<double> level;
        std::vector<int> zvar;
    };
    std::vector<RowLevels> rows;
    std::vector<std::pair<double, int>> cand;
    for (std::size_t i = 0; i < p.cost.rows(); ++i) {
        const double w = p.weight[i];
        if (w <= 0) continue;
        cand.clear();
        for (int j : s.cols)
            if (p.cost.at(i, j) < dr[i]) cand.push_back({p.cost.at(i, j), j});
        std::sort(cand.begin(), cand.end());
        if (static_cast<int>(cand.size()) > free - p.k + 1) cand.resize(free - p.k + 1);
        RowLevels rl{i, {}, {}};
        for (auto& [c, j] : cand)
            if (rl.level.empty() || c > rl.level.back()) rl.level.push_back(c);
        if (dr[i] < kInf) rl.level.push_back(dr[i]);
        out.constant += w * rl.level.front();
        std::size_t t = 0;
        for (std::size_t k = 0; k + 1 < rl.level.size(); ++k) {
            const int z = mip.add_col(w * (rl.level[k + 1] - rl.level[k]), 0, 1, false);
            const int row = mip.add_row(k == 0 ? 1 : 0, kInf);
            mip.set(row, z, 1);
            if (k > 0) mip.set(row, rl.zvar.back(), -1);
            while (t < cand.size() && cand[t].first == rl.level[k]) mip.set(row, s.var[cand[t++].second], 1);
            rl.zvar.push_back(z);
        }
        rows.push_back(std::move(rl));
    }
    std::vector<double> x = start_sites(mip, s, heuristic.open);
    std::vector<char> open(p.cost.cols(), 0);
    for (std::size_t j = 0; j < p.cost.cols(); ++j) open[j] = p.required[j] || (s.var[j] >= 0 && x[s.var[j]] > 0.5);
    for (const RowLevels& rl : rows) {
        double d = kInf;
        for (std::size_t j = 0; j < p.cost.cols(); ++j)
            if (open[j]) d = std::min(d, p.cost.at(rl.i, j));
        for (std::size_t k = 0; k < rl.zvar.size(); ++k) x[rl.zvar[k]] = d > rl.level[k] ? 1 : 0;
    }
    out.r = run_cbc(mip, x, seconds);
    if (out.r.has_solution) out.r.x.resize(mip.obj.size());
    return out;
}

// MCLP: maximise sum_i w_i z_i with z_i <= sum_{j within radius of i} y_j, sum_j y_j = k,
// 0 <= z_i <= 1; minimised here as -sum w_i z_i. Demand already covered by a required
// site is a constant.
Outcome mclp_mip(const Problem& p, const Solution& heuristic, double seconds, SiteVars& s) {
    Mip mip;
    s = add_sites(p, mip, 0);
    Outcome out;
    const std::vector<double> dr = required_cost(p);
    int cardinality = mip.add_row(p.k, p.k);
    for (int v : s.var)
        if (v >= 0) mip.set(cardinality, v, 1);
    std::vector<std::pair<int, std::vector<int>>> zrows;
    for (std::size_t i = 0; i < p.cost.rows(); ++i) {
        const double w = p.weight[i];
        if (w <= 0) continue;
        if (dr[i] <= p.radius) {
            out.constant -= w;
            continue;
        }
        std::vector<int> near;
        for (int j : s.cols)
            if (p.cost.at(i, j) <= p.radius) near.push_back(j);
        if (near.empty()) continue;
        const int z = mip.add_col(-w, 0, 1, false);
        const int row = mip.add_row(-kInf, 0);
        mip.set(row, z, 1);
        for (int j : near) mip.set(row, s.var[j], -1);
        zrows.push_back({z, std::move(near)});
    }
    std::vector<double> x = start_sites(mip, s, heuristic.open);
    for (auto& [z, near] : zrows)
        for (int j : near)
            if (x[s.var[j]] > 0.5) x[z] = 1;
    out.r = run_cbc(mip, x, seconds);
    return out;
}

// LSCP: minimise sum_j y_j with every row covered (target 100%), or with binary z_i,
// z_i <= sum_{j in reach} y_j and sum_i w_i z_i >= target x total weight.
Outcome lscp_mip(const Problem& p, const Solution& heuristic, double seconds, SiteVars& s) {
    Mip mip;
    s = add_sites(p, mip, 1);
    Outcome out;
    const std::vector<double> dr = required_cost(p);
    const double total = std::accumulate(p.weight.begin(), p.weight.end(), 0.0);
    const bool full = p.target >= 1 - 1e-12;
    double need = p.target * total * (1 - 1e-12);
    int target_row = full ? -1 : mip.add_row(0, kInf);
    std::vector<std::pair<int, std::vector<int>>> zrows;
    for (std::size_t i = 0; i < p.cost.rows(); ++i) {
        const double w = p.weight[i];
        if (w <= 0) continue;
        if (dr[i] <= p.radius) {
            need -= w;
            continue;
        }
        std::vector<int> near;
        for (int j : s.cols)
            if (p.cost.at(i, j) <= p.radius) near.push_back(j);
        if (near.empty()) continue;  // validate() made sure the target holds without it
        if (full) {
            const int row = mip.add_row(1, kInf);
            for (int j : near) mip.set(row, s.var[j], 1);
        } else {
            const int z = mip.add_col(0, 0, 1, true);
            const int row = mip.add_row(-kInf, 0);
            mip.set(row, z, 1);
            for (int j : near) mip.set(row, s.var[j], -1);
            mip.set(target_row, z, w);
            zrows.push_back({z, std::move(near)});
        }
    }
    if (!full) mip.row_lb[target_row] = std::max(0.0, need);
    std::vector<double> x = start_sites(mip, s, heuristic.open);
    for (auto& [z, near] : zrows)
        for (int j : near)
            if (x[s.var[j]] > 0.5) x[z] = 1;
    out.r = run_cbc(mip, x, seconds);
    return out;
}

// p-center: the optimum is one of the distinct costs. Binary search over them; radius R
// is feasible when a set cover (every row with weight within R of an open site) needs
// at most k new sites, which CBC proves or refutes.
void pcenter_exact(const Problem& p, const Options& o, Solution& s, Clock::time_point started) {
    std::vector<double> levels;
    for (std::size_t i = 0; i < p.cost.rows(); ++i)
        if (p.weight[i] > 0) levels.insert(levels.end(), p.cost.row(i), p.cost.row(i) + p.cost.cols());
    std::sort(levels.begin(), levels.end());
    levels.erase(std::unique(levels.begin(), levels.end()), levels.end());
    auto index_of = [&](double v) { return static_cast<std::size_t>(std::lower_bound(levels.begin(), levels.end(), v) - levels.begin()); };
    const std::vector<double> dr = required_cost(p);
    double lower = 0;
    for (std::size_t i = 0; i < p.cost.rows(); ++i) {
        if (p.weight[i] <= 0) continue;
        double b = kInf;
        for (std::size_t j = 0; j < p.cost.cols(); ++j) b = std::min(b, p.cost.at(i, j));
        lower = std::max(lower, b);
    }
    std::size_t lo = index_of(lower), hi = index_of(s.objective);
    bool unknown = false;
    while (lo < hi && p.k > 0) {
        const double left = o.time_limit_s - seconds_since(started);
        if (left <= 0) {
            unknown = true;
            break;
        }
        const std::size_t mid = lo + (hi - lo) / 2;
        const double R = levels[mid];
        Mip mip;
        SiteVars sv = add_sites(p, mip, 1);
        const int cardinality = mip.add_row(0, p.k);
        for (int v : sv.var)
            if (v >= 0) mip.set(cardinality, v, 1);
        bool impossible = false;
        for (std::size_t i = 0; i < p.cost.rows() && !impossible; ++i) {
            if (p.weight[i] <= 0 || dr[i] <= R) continue;
            const int row = mip.add_row(1, kInf);
            bool any = false;
            for (int j : sv.cols)
                if (p.cost.at(i, j) <= R) mip.set(row, sv.var[j], 1), any = true;
            impossible = !any;
        }
        if (impossible) {
            lo = mid + 1;
            continue;
        }
        MipResult r = run_cbc(mip, {}, left);
        if (r.has_solution) {
            std::vector<int> open = chosen(sv, r.x);
            // Fill up to k sites (extra sites never hurt) so the answer has exactly k.
            for (int j : s.open)
                if (static_cast<int>(open.size()) < p.k && std::find(open.begin(), open.end(), j) == open.end()) open.push_back(j);
            for (int j : sv.cols)
                if (static_cast<int>(open.size()) < p.k && std::find(open.begin(), open.end(), j) == open.end()) open.push_back(j);
            if (evaluate(p, open) <= s.objective) {
                s.open = open;
                s.objective = evaluate(p, open);
            }
            hi = std::min(mid, index_of(s.objective));
        } else if (r.infeasible) {
            lo = mid + 1;
        } else {
            unknown = true;  // the time limit stopped CBC before it could decide
            break;
        }
    }
    (void)unknown;
    s.bound = levels[lo];
    s.proven_optimal = lo >= hi;
}

}  // namespace

void solve_exact(const Problem& p, const Options& o, Solution& s) {
    const auto started = Clock::now();
    s.method = "CBC " + std::string(Cbc_getVersion()) + " branch and cut from the heuristic's solution (" + s.method + ")";
    if (p.model == Model::PCenter) {
        pcenter_exact(p, o, s, started);
    } else {
        SiteVars sv;
        Outcome out;
        if (p.model == Model::PMedian) {
            out = pmedian_mip(p, s, o.time_limit_s, sv);
        } else if (p.model == Model::MCLP) {
            out = mclp_mip(p, s, o.time_limit_s, sv);
        } else {
            out = lscp_mip(p, s, o.time_limit_s, sv);
        }
        if (out.r.has_solution) {
            std::vector<int> open = chosen(sv, out.r.x);
            const double v = evaluate(p, open);
            const bool better = p.model == Model::MCLP ? v > s.objective : v < s.objective;
            const double total = std::accumulate(p.weight.begin(), p.weight.end(), 0.0);
            const bool feasible = p.model == Model::LSCP ? coverage(p, open, p.radius) >= p.target * total * (1 - 1e-12)
                                                         : static_cast<int>(open.size()) == p.k;
            if (better && feasible) {
                s.open = open;
                s.objective = v;
            }
        }
        // CBC's bound is on the minimised objective; MCLP minimised -(covered demand).
        double bound = out.r.bound + out.constant;
        if (p.model == Model::MCLP) bound = -bound;
        if (p.model == Model::LSCP) bound = std::ceil(bound - 1e-6);  // a count of sites
        s.proven_optimal = out.r.optimal;
        s.bound = s.proven_optimal ? s.objective : bound;
    }
    const double denom = std::max(std::abs(s.objective), 1e-12);
    s.gap = s.proven_optimal ? 0.0 : std::max(0.0, p.model == Model::MCLP ? *s.bound - s.objective : s.objective - *s.bound) / denom;
}

}  // namespace nightout::site
