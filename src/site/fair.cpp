#include "site/fair.hpp"

#include "core/error.hpp"
#include "site/cover_search.hpp"
#include "site/heuristics.hpp"
#include "site/mip.hpp"
#include "site/swap_search.hpp"

#include <Cbc_C_Interface.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <numeric>

namespace nightout::site {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
using Clock = std::chrono::steady_clock;

// The rows that can still change: some weight (all residents or a group's), no required site in
// reach, and an allowed candidate in reach. The others are constants (base_*) or never reached.
struct Data {
    std::size_t m = 0, G = 0;
    std::vector<double> w, gw;  // per active row: p.weight; the G group weights (row-major)
    std::vector<std::uint32_t> row_first, row_cols, col_first, col_rows;
    std::vector<int> allowed;  // columns that may be chosen
    double base_w = 0;
    std::vector<double> base_g, total;
    bool maxmin = false;
    double min_share = 0;
};

Data build(const Problem& p) {
    Data d;
    const std::size_t n = p.cost.rows();
    d.m = p.cost.cols();
    d.G = p.groups.names.size();
    d.base_g.assign(d.G, 0);
    d.total = p.groups.total;
    d.maxmin = p.groups.maxmin;
    d.min_share = p.groups.min_share;
    for (std::size_t j = 0; j < d.m; ++j)
        if (!p.required[j]) d.allowed.push_back(static_cast<int>(j));
    d.row_first.push_back(0);
    std::vector<std::uint32_t> count(d.m, 0);
    for (std::size_t i = 0; i < n; ++i) {
        bool any = p.weight[i] > 0;
        for (std::size_t g = 0; g < d.G; ++g) any = any || p.groups.weight[g][i] > 0;
        if (!any) continue;
        bool by_required = false;
        const std::size_t before = d.row_cols.size();
        for (std::size_t j = 0; j < d.m; ++j) {
            if (!(p.cost.at(i, j) <= p.radius)) continue;
            if (p.required[j]) by_required = true;
            else d.row_cols.push_back(static_cast<std::uint32_t>(j));
        }
        if (by_required || d.row_cols.size() == before) {
            d.row_cols.resize(before);
            if (by_required) {
                d.base_w += p.weight[i];
                for (std::size_t g = 0; g < d.G; ++g) d.base_g[g] += p.groups.weight[g][i];
            }
            continue;
        }
        for (std::size_t q = before; q < d.row_cols.size(); ++q) ++count[d.row_cols[q]];
        d.w.push_back(p.weight[i]);
        for (std::size_t g = 0; g < d.G; ++g) d.gw.push_back(p.groups.weight[g][i]);
        d.row_first.push_back(static_cast<std::uint32_t>(d.row_cols.size()));
    }
    transpose_cover(d.m, count, d.row_first, d.row_cols, d.col_first, d.col_rows);
    return d;
}

// Compared lexicographically: with constraints (and no max-min) the summed shortfall of the
// groups below the share first; then the primary objective; then the tie-break.
struct Score {
    double shortfall = 0, primary = 0, secondary = 0;
};

bool ahead(double a, double b) { return a > b + 1e-12 * std::max(1.0, std::abs(b)); }

bool better(const Score& a, const Score& b) {
    if (ahead(b.shortfall, a.shortfall)) return true;
    if (ahead(a.shortfall, b.shortfall)) return false;
    if (ahead(a.primary, b.primary)) return true;
    if (ahead(b.primary, a.primary)) return false;
    return ahead(a.secondary, b.secondary);
}

Score score_of(const Data& d, double cov_w, const std::vector<double>& cov_g) {
    Score s;
    double least = kInf;
    for (std::size_t g = 0; g < d.G; ++g) {
        const double share = cov_g[g] / d.total[g];
        least = std::min(least, share);
        if (!d.maxmin && d.min_share > 0) s.shortfall += std::max(0.0, d.min_share - share);
    }
    if (d.G == 0) least = 0;
    if (d.maxmin) s.primary = least, s.secondary = cov_w;
    else s.primary = cov_w;
    return s;
}

// Open columns, the cover count of each active row and the reached weights.
class State {
public:
    explicit State(const Data& d) : d_(d), cnt_(d.w.size(), 0), mark_(d.w.size(), 0), in_(d.m, 0), cov_g_(d.base_g), tmp_g_(d.G) { cov_w_ = d.base_w; }

    void load(const std::vector<int>& open) {
        std::fill(cnt_.begin(), cnt_.end(), 0);
        std::fill(in_.begin(), in_.end(), 0);
        cov_w_ = d_.base_w;
        cov_g_ = d_.base_g;
        open_.clear();
        for (int j : open) add(j);
    }
    void add(int j) {
        for (std::uint32_t q = d_.col_first[j]; q < d_.col_first[j + 1]; ++q) {
            const std::uint32_t u = d_.col_rows[q];
            if (cnt_[u]++ == 0) reach(u, 1);
        }
        in_[j] = 1;
        open_.push_back(j);
    }
    void remove(int j) {
        for (std::uint32_t q = d_.col_first[j]; q < d_.col_first[j + 1]; ++q) {
            const std::uint32_t u = d_.col_rows[q];
            if (--cnt_[u] == 0) reach(u, -1);
        }
        in_[j] = 0;
        open_.erase(std::find(open_.begin(), open_.end(), j));
    }
    // The score after opening `a` and closing `b` (-1: none), without moving.
    Score try_swap(int a, int b) {
        ++stamp_;
        double w = cov_w_;
        tmp_g_ = cov_g_;
        for (std::uint32_t q = d_.col_first[a]; q < d_.col_first[a + 1]; ++q) {
            const std::uint32_t u = d_.col_rows[q];
            mark_[u] = stamp_;
            if (cnt_[u] == 0) shift(u, 1, w);
        }
        if (b >= 0)
            for (std::uint32_t q = d_.col_first[b]; q < d_.col_first[b + 1]; ++q) {
                const std::uint32_t u = d_.col_rows[q];
                if (cnt_[u] == 1 && mark_[u] != stamp_) shift(u, -1, w);
            }
        return score_of(d_, w, tmp_g_);
    }
    Score score() const { return score_of(d_, cov_w_, cov_g_); }
    bool is_open(int j) const { return in_[j] != 0; }
    const std::vector<int>& open() const { return open_; }
    double covered_weight() const { return cov_w_; }
    const std::vector<double>& covered_groups() const { return cov_g_; }
    bool covered(std::size_t u) const { return cnt_[u] > 0; }

private:
    void reach(std::uint32_t u, int sign) {
        cov_w_ += sign * d_.w[u];
        for (std::size_t g = 0; g < d_.G; ++g) cov_g_[g] += sign * d_.gw[u * d_.G + g];
    }
    void shift(std::uint32_t u, int sign, double& w) {
        w += sign * d_.w[u];
        for (std::size_t g = 0; g < d_.G; ++g) tmp_g_[g] += sign * d_.gw[u * d_.G + g];
    }

    const Data& d_;
    std::vector<int> cnt_;
    std::vector<unsigned> mark_;
    unsigned stamp_ = 0;
    std::vector<char> in_;
    std::vector<int> open_;
    double cov_w_ = 0;
    std::vector<double> cov_g_, tmp_g_;
};

// Add the column that scores best, k times (ties: the lower column).
void greedy(const Data& d, State& s, int k) {
    for (int step = 0; step < k; ++step) {
        int best = -1;
        Score best_score;
        for (int a : d.allowed) {
            if (s.is_open(a)) continue;
            const Score sc = s.try_swap(a, -1);
            if (best < 0 || better(sc, best_score)) best = a, best_score = sc;
        }
        if (best < 0) break;
        s.add(best);
    }
}

// Best-improvement swaps until none improves the score.
long long local_search(const Data& d, State& s) {
    long long swaps = 0;
    for (;;) {
        Score best = s.score();
        int in = -1, out = -1;
        const std::vector<int> open = s.open();
        for (int b : open)
            for (int a : d.allowed) {
                if (s.is_open(a)) continue;
                const Score sc = s.try_swap(a, b);
                if (better(sc, best)) best = sc, in = a, out = b;
            }
        if (in < 0) return swaps;
        s.remove(out);
        s.add(in);
        ++swaps;
    }
}

struct Found {
    std::vector<int> open;
    Score score;
    long long searches = 0;
};

// Greedy, local search, then VNS shakes (r random swaps, r = 1..kmax) on a fixed budget.
Found heuristic(const Data& d, int k, const Options& o) {
    State s(d);
    greedy(d, s, k);
    local_search(d, s);
    Found best{s.open(), s.score(), 1};
    const std::size_t closed = d.allowed.size() - static_cast<std::size_t>(k);
    if (k == 0 || closed == 0) return best;
    const int kmax = std::clamp(k, 1, 10);
    const long long budget = std::llround(o.effort * 400), patience = std::llround(o.effort * 150);
    for (int run = 0; run < std::max(1, o.runs); ++run) {
        Random random(run_seed(o.seed, static_cast<std::uint64_t>(run)));
        Found here = best;
        int r = 1;
        long long without = 0;
        for (long long it = 0; it < budget && without < patience; ++it) {
            s.load(here.open);
            for (int t = 0; t < r; ++t) {
                const int out = s.open()[random.below(s.open().size())];
                int in = -1;
                while (in < 0) {
                    const int a = d.allowed[random.below(d.allowed.size())];
                    if (!s.is_open(a)) in = a;
                }
                s.remove(out);
                s.add(in);
            }
            local_search(d, s);
            ++here.searches;
            if (better(s.score(), here.score)) {
                here.open = s.open();
                here.score = s.score();
                r = 1;
                without = 0;
            } else {
                r = r % kmax + 1;
                ++without;
            }
        }
        best.searches += here.searches;
        if (better(here.score, best.score)) best.open = here.open, best.score = here.score;
    }
    return best;
}

// The dense matrix of the rows for the cover bound of one weight vector.
struct Bounds {
    AssignmentCosts cost;
    std::vector<char> fixed, allowed;
};

Bounds bounds_input(const Problem& p) {
    Bounds b;
    b.cost.n = p.cost.rows();
    b.cost.m = p.cost.cols();
    b.cost.a.assign(p.cost.values.data(), p.cost.values.data() + b.cost.n * b.cost.m);
    b.fixed.assign(p.required.begin(), p.required.end());
    b.allowed.resize(b.cost.m);
    for (std::size_t j = 0; j < b.cost.m; ++j) b.allowed[j] = p.required[j] ? 0 : 1;
    return b;
}

// An upper bound on the weight k new sites can reach, stopping once it meets `stop_at`.
double weight_bound(const Problem& p, const Bounds& b, const std::vector<double>& w, double stop_at, int iterations, double* best_found) {
    const CoverSets sets = cover_sets(b.cost, w, b.fixed, b.allowed, p.radius);
    if (best_found) {
        std::vector<int> open;
        long long swaps = 0;
        *best_found = cover_greedy_swap(sets, p.k, open, swaps);
        stop_at = std::min(stop_at, *best_found);  // as tight as it gets: down to what one set reaches
    }
    return cover_bound(sets, p.k, stop_at, false, iterations);
}

// The MIP over the active rows: y_j binary, 0 <= z_u <= 1, z_u <= sum_{j in N(u)} y_j, sum y = k;
// max-min adds t with sum_u g_u z_u - total_g t >= -base_g per group (phase 1 maximises t;
// phase 2 keeps t >= floor and maximises sum w_u z_u); constraints add
// sum_u g_u z_u >= T total_g - base_g per group and maximise sum w_u z_u.
struct FairMip {
    Mip mip;
    std::vector<int> y;  // per column, -1 for required ones
    std::vector<int> z;  // per active row
    int t = -1;
};

FairMip fair_mip(const Data& d, int k, bool phase1, double t_floor) {
    FairMip f;
    f.y.assign(d.m, -1);
    for (int j : d.allowed) f.y[j] = f.mip.add_col(0, 0, 1, true);
    const int card = f.mip.add_row(k, k);
    for (int j : d.allowed) f.mip.set(card, f.y[j], 1);
    const std::size_t n = d.w.size();
    for (std::size_t u = 0; u < n; ++u) {
        f.z.push_back(f.mip.add_col(phase1 ? 0.0 : -d.w[u], 0, 1, false));
        const int row = f.mip.add_row(-kInf, 0);
        f.mip.set(row, f.z[u], 1);
        for (std::uint32_t q = d.row_first[u]; q < d.row_first[u + 1]; ++q) f.mip.set(row, f.y[d.row_cols[q]], -1);
    }
    if (d.maxmin) f.t = f.mip.add_col(phase1 ? -1.0 : 0.0, phase1 ? 0.0 : t_floor, 1, false);
    for (std::size_t g = 0; g < d.G; ++g) {
        if (!d.maxmin && !(d.min_share > 0)) break;
        const int row = d.maxmin ? f.mip.add_row(-d.base_g[g], kInf) : f.mip.add_row(d.min_share * d.total[g] * (1 - 1e-12) - d.base_g[g], kInf);
        for (std::size_t u = 0; u < n; ++u)
            if (d.gw[u * d.G + g] > 0) f.mip.set(row, f.z[u], d.gw[u * d.G + g]);
        if (d.maxmin) f.mip.set(row, f.t, -d.total[g]);
    }
    return f;
}

std::vector<double> mip_start(const Data& d, const FairMip& f, const std::vector<int>& open, double t) {
    State s(d);
    s.load(open);
    std::vector<double> x(f.mip.obj.size(), 0.0);
    for (int j : open) x[f.y[j]] = 1;
    for (std::size_t u = 0; u < d.w.size(); ++u) x[f.z[u]] = s.covered(u) ? 1 : 0;
    if (f.t >= 0) x[f.t] = std::max(t, f.mip.lb[f.t]);
    return x;
}

std::vector<int> mip_open(const Data& d, const FairMip& f, const std::vector<double>& x) {
    std::vector<int> open;
    for (int j : d.allowed)
        if (x[f.y[j]] > 0.5) open.push_back(j);
    return open;
}

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

}  // namespace

std::vector<double> group_coverage(const Problem& p, const std::vector<int>& open) {
    std::vector<double> out(p.groups.names.size(), 0);
    for (std::size_t i = 0; i < p.cost.rows(); ++i) {
        bool reached = false;
        for (std::size_t j = 0; j < p.cost.cols() && !reached; ++j) reached = p.required[j] && p.cost.at(i, j) <= p.radius;
        for (int j : open) reached = reached || p.cost.at(i, j) <= p.radius;
        if (reached)
            for (std::size_t g = 0; g < out.size(); ++g) out[g] += p.groups.weight[g][i];
    }
    return out;
}

Solution solve_fair(const Problem& p, const Options& o) {
    const auto started = Clock::now();
    const Data d = build(p);
    Found h = heuristic(d, p.k, o);
    Solution s;
    s.iterations = h.searches;
    s.method = std::string(d.maxmin ? "max-min fairness" : "every group at least " + std::to_string(std::lround(100 * d.min_share)) + "%") +
               ": greedy + best-improvement swap local search + VNS shakes on sparse coverage sets (" + std::to_string(std::max(1, o.runs)) +
               " run(s), seed " + std::to_string(o.seed) + "); bound: " + (d.maxmin ? "the least of the groups' own Lagrangian MCLP bounds" : "Lagrangian MCLP bound");
    const int iterations = static_cast<int>(std::llround(500 * o.effort));
    const Bounds bi = bounds_input(p);
    auto finish = [&](const std::vector<int>& open) {
        s.open = open;
        std::sort(s.open.begin(), s.open.end());
        State st(d);
        st.load(s.open);
        const Score sc = st.score();
        s.objective = sc.primary;
        s.group_covered = st.covered_groups();
        s.constraints_met = true;
        for (std::size_t g = 0; g < d.G; ++g)
            if (d.min_share > 0 && s.group_covered[g] < d.min_share * d.total[g] * (1 - 1e-12)) s.constraints_met = false;
    };
    finish(h.open);
    s.heuristic_objective = s.objective;
    // The bound on the primary objective.
    double bound = kInf;
    if (d.maxmin) {
        for (std::size_t g = 0; g < d.G; ++g)
            bound = std::min(bound, weight_bound(p, bi, p.groups.weight[g], s.objective * d.total[g], iterations, nullptr) / d.total[g]);
        bound = std::min(bound, 1.0);
    } else {
        bound = weight_bound(p, bi, p.weight, s.objective, iterations, nullptr);
    }
    s.heuristic_seconds = seconds_since(started);

    if (o.exact) {
        s.method = "CBC " + std::string(Cbc_getVersion()) + " branch and cut from the heuristic's solution (" + s.method + ")" +
                   (d.maxmin ? "; phase 1 the least share, phase 2 the residents reached at that share" : "");
        const Score hs = h.score;
        FairMip f1 = fair_mip(d, p.k, true, 0);
        const MipResult r1 = run_cbc(f1.mip, mip_start(d, f1, h.open, hs.primary), o.time_limit_s);
        std::vector<int> best_open = h.open;
        Score best_score = hs;
        auto consider = [&](const MipResult& r, const FairMip& f) {
            if (!r.has_solution) return;
            const std::vector<int> open = mip_open(d, f, r.x);
            if (static_cast<int>(open.size()) != p.k) return;
            State st(d);
            st.load(open);
            if (better(st.score(), best_score)) best_open = open, best_score = st.score();
        };
        consider(r1, f1);
        bool optimal = r1.optimal;
        if (d.maxmin) {
            bound = std::min(bound, -r1.bound);
            if (r1.optimal) bound = std::min(bound, best_score.primary);
            // Phase 2: the most residents among the sets reaching the least share found.
            const double left = o.time_limit_s - seconds_since(started);
            if (left > 0) {
                FairMip f2 = fair_mip(d, p.k, false, best_score.primary * (1 - 1e-9));
                const MipResult r2 = run_cbc(f2.mip, mip_start(d, f2, best_open, best_score.primary), left);
                consider(r2, f2);
                optimal = optimal && r2.optimal;
            } else {
                optimal = false;
            }
        } else {
            if (r1.infeasible) s.impossible = true;
            bound = std::min(bound, -r1.bound + d.base_w);
            if (r1.optimal) bound = best_score.primary;
        }
        finish(best_open);
        s.proven_optimal = optimal && !s.impossible;
    }
    s.bound = std::max(bound, s.objective);
    s.gap = (*s.bound - s.objective) / std::max(std::abs(s.objective), 1e-12);
    if (!o.exact) s.proven_optimal = *s.gap <= 1e-12 && s.constraints_met;
    if (!s.constraints_met) {
        s.group_limit.assign(d.G, 0);
        for (std::size_t g = 0; g < d.G; ++g) {
            double found = 0;
            const double need = d.min_share * d.total[g];
            s.group_limit[g] = weight_bound(p, bi, p.groups.weight[g], need, iterations, &found);
            if (s.group_limit[g] < need * (1 - 1e-9)) s.impossible = true;
            s.group_limit[g] = std::max(s.group_limit[g], found);
        }
        if (d.maxmin && s.bound && *s.bound < d.min_share * (1 - 1e-9)) s.impossible = true;
    }
    s.seconds = seconds_since(started);
    return s;
}

}  // namespace nightout::site
