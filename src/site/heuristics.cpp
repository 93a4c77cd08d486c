#include "site/heuristics.hpp"

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "site/cover_search.hpp"
#include "site/swap_search.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <numeric>

namespace nightout::site {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// Demand rows that matter (weight > 0) with their costs, and the flags of the columns.
struct Reduced {
    std::vector<std::size_t> rows;
    std::vector<double> w;
    AssignmentCosts cost;  // c(i, j) of the kept rows
    std::vector<char> fixed, allowed;
    std::shared_ptr<const std::vector<int>> order;
    double total_weight = 0;  // of every row, kept or not
};

Reduced reduce(const Problem& p, unsigned threads) {
    Reduced r;
    const std::size_t m = p.cost.cols();
    for (std::size_t i = 0; i < p.cost.rows(); ++i) {
        r.total_weight += p.weight[i];
        if (p.weight[i] > 0) {
            r.rows.push_back(i);
            r.w.push_back(p.weight[i]);
        }
    }
    r.cost.n = r.rows.size();
    r.cost.m = m;
    r.cost.a.resize(r.cost.n * m);
    for (std::size_t t = 0; t < r.rows.size(); ++t)
        std::copy_n(p.cost.values.data() + r.rows[t] * m, m, r.cost.a.data() + t * m);
    r.fixed.assign(p.required.begin(), p.required.end());
    r.allowed.resize(m);
    for (std::size_t j = 0; j < m; ++j) r.allowed[j] = p.required[j] ? 0 : 1;
    // Coverage models order their columns only when a dense search needs them (coverage_order).
    if (p.model != Model::MCLP && p.model != Model::LSCP) {
        // Sorted by cost, which also sorts weight x cost and the excess max(0, cost - radius).
        r.order = sorted_facilities(r.cost.a.data(), r.cost.n, m, threads);
    }
    return r;
}

// Coverage costs take two values per row: sites in reach first, then the rest. A
// partition orders them in O(nm), where a full sort would dominate small problems.
std::shared_ptr<const std::vector<int>> coverage_order(const Reduced& r, double radius) {
    const std::size_t m = r.cost.m;
    auto order = std::make_shared<std::vector<int>>(r.cost.n * m);
    for (std::size_t u = 0; u < r.cost.n; ++u) {
        int* o = order->data() + u * m;
        std::size_t front = 0;
        for (std::size_t f = 0; f < m; ++f)
            if (r.cost.at(u, f) <= radius) o[front++] = static_cast<int>(f);
        for (std::size_t f = 0; f < m; ++f)
            if (!(r.cost.at(u, f) <= radius)) o[front++] = static_cast<int>(f);
    }
    return order;
}

AssignmentCosts weighted(const Reduced& r) {
    AssignmentCosts a{r.cost.n, r.cost.m, std::vector<double>(r.cost.a.size())};
    for (std::size_t u = 0; u < a.n; ++u)
        for (std::size_t f = 0; f < a.m; ++f) a.a[u * a.m + f] = r.w[u] * r.cost.at(u, f);
    return a;
}

// Uncovered demand: weight when the cost exceeds the radius, else 0.
AssignmentCosts uncovered(const Reduced& r, const std::vector<double>& w, double radius) {
    AssignmentCosts a{r.cost.n, r.cost.m, std::vector<double>(r.cost.a.size())};
    for (std::size_t u = 0; u < a.n; ++u)
        for (std::size_t f = 0; f < a.m; ++f) a.a[u * a.m + f] = r.cost.at(u, f) > radius ? w[u] : 0.0;
    return a;
}

// A fixed iteration budget (not a clock) keeps results reproducible. Few sites mean a
// small swap neighbourhood that stops improving early, so patience grows with P up to
// 600 local searches without gain; with it every OR-Library instance tried (n <= 900,
// p <= 200) lands within 0.1% of its optimum in under a second on one core.
VnsBudget budget_for(std::size_t P, double effort, double stop_at = -1) {
    VnsBudget b;
    b.kmax = static_cast<int>(std::clamp<std::size_t>(P, 1, 10));
    b.max_iterations = std::llround(effort * 3000);
    b.max_without_gain = std::llround(effort * static_cast<double>(std::clamp<std::size_t>(60 * P, 150, 600)));
    b.stop_at = stop_at;
    return b;
}

struct Best {
    std::vector<int> open;
    double cost = kInf;
    long long local_searches = 0;
};

// Independent VNS runs from the greedy start, in parallel; the best wins, ties to the lower run.
Best multi_run(const SwapSearch& base, int P, const Options& o, const VnsBudget& budget) {
    const std::vector<int> start = base.greedy(P);
    const int runs = std::max(1, o.runs);
    std::vector<Best> results(runs);
    parallel_for(static_cast<std::size_t>(runs), std::max(1u, o.threads), [&](unsigned) {
        return [&](std::size_t r) {
            SwapSearch search(base);
            Random random(run_seed(o.seed, r));
            std::vector<int> open = start;
            results[r].cost = search.vns(open, budget, random);
            results[r].open = std::move(open);
            results[r].local_searches = search.local_searches();
        };
    });
    Best best;
    for (const Best& r : results) {
        if (r.cost < best.cost) best.open = r.open, best.cost = r.cost;
        best.local_searches += r.local_searches;
    }
    return best;
}

std::string method_text(const Options& o, const std::string& what) {
    return what + "greedy + fast swap local search (Resende-Werneck) + VNS, " + std::to_string(std::max(1, o.runs)) + " run(s), seed " +
           std::to_string(o.seed);
}

Solution pmedian(const Problem& p, const Options& o, const Reduced& r) {
    AssignmentCosts a = weighted(r);
    SwapSearch base(a, r.fixed, r.allowed, r.order);
    Best b = multi_run(base, p.k, o, budget_for(p.k, o.effort));
    Solution s;
    s.open = b.open;
    s.iterations = b.local_searches;
    s.method = method_text(o, "");
    return s;
}

Solution mclp(const Problem& p, const Options& o, const Reduced& r) {
    // Sparse greedy + swap local search, then a bound: when they meet, that is optimal.
    const CoverSets sets = cover_sets(r.cost, r.w, r.fixed, r.allowed, p.radius);
    Solution s;
    long long swaps = 0;
    const double covered = cover_greedy_swap(sets, p.k, s.open, swaps);
    const bool integral = std::all_of(r.w.begin(), r.w.end(), [](double w) { return w == std::floor(w) && w < 1e15; });
    const double bound = cover_bound(sets, p.k, covered, integral, static_cast<int>(std::llround(500 * o.effort)));
    s.bound = bound;
    s.iterations = 1;
    s.method = "greedy + swap local search on sparse coverage sets; Lagrangian bound";
    if (integral ? bound <= covered : bound <= covered * (1 + 1e-12)) return s;
    // Otherwise the full search, which may stop as soon as it reaches the bound.
    AssignmentCosts a = uncovered(r, r.w, p.radius);
    SwapSearch base(a, r.fixed, r.allowed, coverage_order(r, p.radius));
    const double kept = std::accumulate(r.w.begin(), r.w.end(), 0.0);
    Best b = multi_run(base, p.k, o, budget_for(p.k, o.effort, std::max(0.0, kept - bound)));
    s.iterations += b.local_searches;
    s.method = method_text(o, "") + ", after greedy + swaps on sparse coverage sets; Lagrangian bound";
    if (kept - b.cost > covered) s.open = b.open;
    return s;
}

Solution lscp(const Problem& p, const Options& o, const Reduced& r) {
    const double need = p.target * r.total_weight;
    const double allowed_uncovered = std::accumulate(r.w.begin(), r.w.end(), 0.0) - need * (1 - 1e-12);
    AssignmentCosts a = uncovered(r, r.w, p.radius);
    SwapSearch base(a, r.fixed, r.allowed, coverage_order(r, p.radius));
    Solution s;
    s.method = "greedy cover, then fewer sites while an MCLP search (" + method_text(o, "") + ") still reaches the target";
    if (base.cost({}) <= allowed_uncovered) return s;  // the required sites already reach it
    // Greedy cover: add the site covering the most uncovered demand until the target is met.
    std::vector<double> d(a.n, 0);
    for (std::size_t u = 0; u < a.n; ++u) {
        d[u] = r.w[u];
        for (std::size_t f = 0; f < a.m; ++f)
            if (r.fixed[f]) d[u] = std::min(d[u], a.at(u, f));
    }
    std::vector<int> open;
    std::vector<char> in(a.m, 0);
    double left = std::accumulate(d.begin(), d.end(), 0.0);
    while (left > allowed_uncovered) {
        int best = -1;
        double best_gain = 0;
        for (std::size_t f = 0; f < a.m; ++f) {
            if (!r.allowed[f] || in[f]) continue;
            double g = 0;
            for (std::size_t u = 0; u < a.n; ++u) g += std::max(0.0, d[u] - a.at(u, f));
            if (g > best_gain) best_gain = g, best = static_cast<int>(f);
        }
        if (best < 0) throw_internal("lscp: the target is reachable but the greedy cover stalled");
        in[best] = 1;
        open.push_back(best);
        left = 0;
        for (std::size_t u = 0; u < a.n; ++u) left += (d[u] = std::min(d[u], a.at(u, best)));
    }
    // Then try one site fewer at a time, keeping the last size that still reaches the target.
    for (int k = static_cast<int>(open.size()) - 1; k >= 1; --k) {
        Options one = o;
        Best b = multi_run(base, k, one, budget_for(k, o.effort, allowed_uncovered));
        s.iterations += b.local_searches;
        if (b.cost > allowed_uncovered) break;
        open = b.open;
    }
    s.open = open;
    return s;
}

Solution pcenter(const Problem& p, const Options& o, const Reduced& r) {
    Solution s;
    s.method = "binary search over distances, each checked by a search on the excess distance (" + method_text(o, "") + ")";
    if (p.k == 0) return s;
    std::vector<double> levels = r.cost.a;
    std::sort(levels.begin(), levels.end());
    levels.erase(std::unique(levels.begin(), levels.end()), levels.end());
    auto index_of = [&](double v) { return static_cast<std::size_t>(std::lower_bound(levels.begin(), levels.end(), v) - levels.begin()); };
    // No radius below the farthest demand point's nearest candidate can work.
    double lower = 0;
    for (std::size_t u = 0; u < r.cost.n; ++u) {
        double best = kInf;
        for (std::size_t f = 0; f < r.cost.m; ++f) best = std::min(best, r.cost.at(u, f));
        lower = std::max(lower, best);
    }
    // Start from the unweighted p-median greedy's worst distance.
    std::vector<int> best_open;
    {
        SwapSearch plain(r.cost, r.fixed, r.allowed, r.order);
        best_open = plain.greedy(p.k);
    }
    auto worst = [&](const std::vector<int>& open) {
        double w = 0;
        for (std::size_t u = 0; u < r.cost.n; ++u) {
            double b = kInf;
            for (std::size_t f = 0; f < r.cost.m; ++f)
                if (r.fixed[f]) b = std::min(b, r.cost.at(u, f));
            for (int f : open) b = std::min(b, r.cost.at(u, f));
            w = std::max(w, b);
        }
        return w;
    };
    std::size_t lo = index_of(lower), hi = index_of(worst(best_open));
    Options runs = o;
    runs.effort = o.effort * 0.25;  // many radii are checked: a lighter search for each
    while (lo < hi) {
        const std::size_t mid = lo + (hi - lo) / 2;
        // Excess distance beyond the radius, not a 0/1 "uncovered": the search then sees
        // progress while a point moves closer, and 0 still means everyone is covered.
        AssignmentCosts a{r.cost.n, r.cost.m, std::vector<double>(r.cost.a.size())};
        for (std::size_t t = 0; t < a.a.size(); ++t) a.a[t] = std::max(0.0, r.cost.a[t] - levels[mid]);
        SwapSearch base(a, r.fixed, r.allowed, r.order);
        Best b = multi_run(base, p.k, runs, budget_for(p.k, runs.effort, 0.0));
        s.iterations += b.local_searches;
        if (b.cost <= 0) {
            best_open = b.open;
            hi = std::min(mid, index_of(worst(b.open)));
        } else {
            lo = mid + 1;
        }
    }
    s.open = best_open;
    return s;
}

}  // namespace

std::uint64_t run_seed(std::uint64_t seed, std::uint64_t run) {
    Random mix(seed * 0x100000001b3ULL + run);
    return mix.next();
}

Solution solve_heuristic(const Problem& p, const Options& o) {
    const auto started = std::chrono::steady_clock::now();
    Reduced r = reduce(p, std::max(1u, o.threads));
    Solution s;
    switch (p.model) {
    case Model::PMedian: s = pmedian(p, o, r); break;
    case Model::MCLP: s = mclp(p, o, r); break;
    case Model::LSCP: s = lscp(p, o, r); break;
    case Model::PCenter: s = pcenter(p, o, r); break;
    }
    // The reduced problem kept the same columns, so indices carry over.
    std::sort(s.open.begin(), s.open.end());
    s.objective = evaluate(p, s.open);
    s.heuristic_objective = s.objective;
    if (s.bound) {
        // Weight of rows with weight 0 never counts, so the bound holds for the full problem.
        s.bound = std::max(*s.bound, s.objective);
        s.gap = (*s.bound - s.objective) / std::max(std::abs(s.objective), 1e-12);
        s.proven_optimal = *s.gap <= 1e-12;
    }
    s.heuristic_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    s.seconds = s.heuristic_seconds;
    return s;
}

}  // namespace nightout::site
