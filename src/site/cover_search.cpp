#include "site/cover_search.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace nightout::site {

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();
}

CoverSets cover_sets(const AssignmentCosts& cost, const std::vector<double>& w, const std::vector<char>& fixed, const std::vector<char>& allowed,
                     double radius) {
    CoverSets s;
    s.m = cost.m;
    s.allowed = allowed;
    s.row_first.push_back(0);
    std::vector<std::uint32_t> count(cost.m, 0);
    for (std::size_t u = 0; u < cost.n; ++u) {
        const double* row = cost.a.data() + u * cost.m;
        bool by_fixed = false;
        const std::size_t before = s.row_cols.size();
        for (std::size_t f = 0; f < cost.m; ++f) {
            if (!(row[f] <= radius)) continue;
            if (fixed[f]) by_fixed = true;
            else if (allowed[f]) s.row_cols.push_back(static_cast<std::uint32_t>(f));
        }
        if (by_fixed || s.row_cols.size() == before) {  // always covered, or never: a constant
            if (by_fixed) s.fixed_covered += w[u];
            s.row_cols.resize(before);
            continue;
        }
        for (std::size_t q = before; q < s.row_cols.size(); ++q) ++count[s.row_cols[q]];
        s.w.push_back(w[u]);
        s.row_first.push_back(static_cast<std::uint32_t>(s.row_cols.size()));
    }
    transpose_cover(cost.m, count, s.row_first, s.row_cols, s.col_first, s.col_rows);
    return s;
}

void transpose_cover(std::size_t m, const std::vector<std::uint32_t>& count, const std::vector<std::uint32_t>& row_first,
                     const std::vector<std::uint32_t>& row_cols, std::vector<std::uint32_t>& col_first, std::vector<std::uint32_t>& col_rows) {
    col_first.assign(m + 1, 0);
    for (std::size_t f = 0; f < m; ++f) col_first[f + 1] = col_first[f] + count[f];
    col_rows.resize(row_cols.size());
    std::vector<std::uint32_t> next(col_first.begin(), col_first.end() - 1);
    for (std::uint32_t u = 0; u + 1 < row_first.size(); ++u)
        for (std::uint32_t q = row_first[u]; q < row_first[u + 1]; ++q) col_rows[next[row_cols[q]]++] = u;
}

double cover_greedy_swap(const CoverSets& s, int k, std::vector<int>& open, long long& swaps) {
    const std::size_t n = s.w.size(), m = s.m;
    std::vector<int> cnt(n, 0);  // open columns covering each row
    std::vector<char> in(m, 0);
    double covered = 0;
    auto add = [&](std::size_t f, int sign) {
        for (std::uint32_t q = s.col_first[f]; q < s.col_first[f + 1]; ++q) {
            const std::uint32_t u = s.col_rows[q];
            if (sign > 0 && cnt[u]++ == 0) covered += s.w[u];
            if (sign < 0 && --cnt[u] == 0) covered -= s.w[u];
        }
        in[f] = sign > 0;
    };
    // Greedy: each column's gain is the weight it would newly cover.
    std::vector<double> gain(m, 0);
    for (std::size_t f = 0; f < m; ++f)
        for (std::uint32_t q = s.col_first[f]; q < s.col_first[f + 1]; ++q) gain[f] += s.w[s.col_rows[q]];
    open.clear();
    for (int t = 0; t < k; ++t) {
        int best = -1;
        for (std::size_t f = 0; f < m; ++f)
            if (s.allowed[f] && !in[f] && (best < 0 || gain[f] > gain[best])) best = static_cast<int>(f);
        if (best < 0) break;
        for (std::uint32_t q = s.col_first[best]; q < s.col_first[best + 1]; ++q) {
            const std::uint32_t u = s.col_rows[q];
            if (cnt[u] == 0)
                for (std::uint32_t r = s.row_first[u]; r < s.row_first[u + 1]; ++r) gain[s.row_cols[r]] -= s.w[u];
        }
        add(best, +1);
        open.push_back(best);
    }
    // Swaps: moving column o out and f in changes coverage by
    //   gain(f) - loss(o) + shared(f, o),
    // gain: weight of uncovered rows f reaches; loss: rows only o covers; shared: those of
    // them f reaches too. Best improvement, ties to the earlier open slot and lower column.
    const double total = std::accumulate(s.w.begin(), s.w.end(), 0.0);
    const double tol = 1e-9 * std::max(1.0, total);
    std::vector<double> shared(m, 0);
    std::vector<std::uint32_t> touched;
    for (swaps = 0; swaps < 100000; ++swaps) {
        std::fill(gain.begin(), gain.end(), 0.0);
        for (std::size_t u = 0; u < n; ++u)
            if (cnt[u] == 0)
                for (std::uint32_t r = s.row_first[u]; r < s.row_first[u + 1]; ++r) gain[s.row_cols[r]] += s.w[u];
        double best_delta = tol;
        int best_slot = -1, best_in = -1;
        for (std::size_t slot = 0; slot < open.size(); ++slot) {
            const int o = open[slot];
            double loss = 0;
            for (std::uint32_t q = s.col_first[o]; q < s.col_first[o + 1]; ++q) {
                const std::uint32_t u = s.col_rows[q];
                if (cnt[u] != 1) continue;
                loss += s.w[u];
                for (std::uint32_t r = s.row_first[u]; r < s.row_first[u + 1]; ++r) {
                    const std::uint32_t f = s.row_cols[r];
                    if (shared[f] == 0) touched.push_back(f);
                    shared[f] += s.w[u];
                }
            }
            for (std::size_t f = 0; f < m; ++f) {
                if (!s.allowed[f] || in[f]) continue;
                const double delta = gain[f] + shared[f] - loss;
                if (delta > best_delta) best_delta = delta, best_slot = static_cast<int>(slot), best_in = static_cast<int>(f);
            }
            for (std::uint32_t f : touched) shared[f] = 0;
            touched.clear();
        }
        if (best_slot < 0) break;
        add(static_cast<std::size_t>(open[best_slot]), -1);
        add(static_cast<std::size_t>(best_in), +1);
        open[best_slot] = best_in;
    }
    return s.fixed_covered + covered;
}

double cover_bound(const CoverSets& s, int k, double covered, bool integral, int iterations) {
    const std::size_t n = s.w.size(), m = s.m;
    std::vector<int> cols;
    for (std::size_t f = 0; f < m; ++f)
        if (s.allowed[f]) cols.push_back(static_cast<int>(f));
    const std::size_t kk = std::min<std::size_t>(static_cast<std::size_t>(std::max(k, 0)), cols.size());
    // UB(l) = fixed + sum_i (w_i - l_i) + the kk largest column sums of l, with 0 <= l_i <= w_i.
    std::vector<double> lambda(n), sum(m, 0), g(n);
    for (std::size_t u = 0; u < n; ++u) lambda[u] = 0.5 * s.w[u];
    double best = kInf, theta = 1.0;
    int since_better = 0;
    std::vector<int> top = cols;
    for (int it = 0; it < iterations; ++it) {
        for (int f : cols) {
            double v = 0;
            for (std::uint32_t q = s.col_first[f]; q < s.col_first[f + 1]; ++q) v += lambda[s.col_rows[q]];
            sum[f] = v;
        }
        std::nth_element(top.begin(), top.begin() + static_cast<std::ptrdiff_t>(kk), top.end(),
                         [&](int x, int y) { return sum[x] > sum[y] || (sum[x] == sum[y] && x < y); });
        double ub = s.fixed_covered;
        for (std::size_t u = 0; u < n; ++u) ub += s.w[u] - lambda[u];
        std::fill(g.begin(), g.end(), -1.0);
        for (std::size_t q = 0; q < kk; ++q) {
            const int f = top[q];
            ub += sum[f];
            for (std::uint32_t r = s.col_first[f]; r < s.col_first[f + 1]; ++r) g[s.col_rows[r]] += 1;
        }
        if (best == kInf || ub < best - 1e-9 * best) best = ub, since_better = 0;
        else if (++since_better >= 20) theta /= 2, since_better = 0;
        if (integral ? std::floor(best + 1e-6) <= covered : best <= covered * (1 + 1e-12)) break;
        double norm = 0;
        for (std::size_t u = 0; u < n; ++u) {
            // Projected subgradient: a multiplier at a bound that would leave it does not move.
            if ((lambda[u] <= 0 && g[u] > 0) || (lambda[u] >= s.w[u] && g[u] < 0)) g[u] = 0;
            norm += g[u] * g[u];
        }
        if (norm == 0 || theta < 1e-6) break;
        const double step = theta * std::max(ub - covered, 1e-9 * ub) / norm;
        for (std::size_t u = 0; u < n; ++u) lambda[u] = std::clamp(lambda[u] - step * g[u], 0.0, s.w[u]);
    }
    if (best == kInf) best = s.fixed_covered + std::accumulate(s.w.begin(), s.w.end(), 0.0);
    return integral ? std::floor(best + 1e-6) : best;
}

}  // namespace nightout::site
