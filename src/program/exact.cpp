// Exact mode of `nightout program`: the calendar as a MIP solved by CBC (site/mip.hpp),
// its result compared with the heuristic's calendar.
//   x[s][j] binary: site j holds the event of free slot s (only where allowed);
//   y[w][j] in [0,1]: y = sum over the window's slots of x (a site twice in one window
//     adds nothing, so an optimum never needs it, and the fewer-events term forbids it);
//   z[a][w] in [0,1]: area a reached in window w; z <= sum of y over the sites reaching a;
//   sum_j x[s][j] <= 1 per slot; per site and per slot day d, the events of the site on
//     days [d, d + gap) (fixed ones included) at most 1; per site with a capacity, its free
//     events at most the capacity less its fixed events.
// Minimise -sum w_a z[a][w] + eps x (number of events): the objective, then fewer events.
#include "program/model.hpp"
#include "site/mip.hpp"

#include <Cbc_C_Interface.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

namespace nightout::program {

void solve_exact(const Instance& in, const Options& o, Solution& s) {
    const auto started = std::chrono::steady_clock::now();
    constexpr double kInf = std::numeric_limits<double>::infinity();
    const std::size_t A = in.areas(), M = in.sites(), S = in.slots();
    double min_weight = kInf;
    for (double w : in.weight)
        if (w > 0) min_weight = std::min(min_weight, w);
    if (min_weight == kInf) min_weight = 1;
    const double eps = 1e-4 * std::min(min_weight, 1.0) / static_cast<double>(std::max<std::size_t>(S, 1));

    site::Mip mip;
    std::vector<std::vector<int>> x(S, std::vector<int>(M, -1));
    std::vector<std::vector<int>> y(in.windows, std::vector<int>(M, -1));
    std::vector<char> pre(static_cast<std::size_t>(in.windows) * A, 0);
    std::vector<int> fixed_events(M, 0);
    for (std::size_t t = 0; t < S; ++t)
        if (in.fixed_site[t] >= 0)
            for (int a : in.reach[in.fixed_site[t]]) pre[static_cast<std::size_t>(in.slot_window[t]) * A + a] = 1;
    for (std::size_t t = 0; t < S; ++t) {
        if (in.fixed_site[t] >= 0) continue;
        const int row = mip.add_row(-kInf, 1);
        for (std::size_t j = 0; j < M; ++j)
            if (in.allowed[t][j]) {
                x[t][j] = mip.add_col(eps, 0, 1, true);
                mip.set(row, x[t][j], 1);
            }
    }
    for (int w = 0; w < in.windows; ++w)
        for (std::size_t j = 0; j < M; ++j) {
            std::vector<int> cols;
            for (std::size_t t = 0; t < S; ++t)
                if (in.slot_window[t] == w && x[t][j] >= 0) cols.push_back(x[t][j]);
            if (cols.empty()) continue;
            y[w][j] = mip.add_col(0, 0, 1, false);
            const int row = mip.add_row(0, 0);
            mip.set(row, y[w][j], -1);
            for (int c : cols) mip.set(row, c, 1);
        }
    std::vector<std::vector<int>> covering(A);
    for (std::size_t j = 0; j < M; ++j)
        for (int a : in.reach[j]) covering[a].push_back(static_cast<int>(j));
    struct Z {
        int col, w;
        std::size_t a;
    };
    std::vector<Z> zs;
    double constant = 0;  // weight the fixed events reach
    for (int w = 0; w < in.windows; ++w)
        for (std::size_t a = 0; a < A; ++a) {
            if (in.weight[a] <= 0) continue;
            if (pre[static_cast<std::size_t>(w) * A + a]) {
                constant += in.weight[a];
                continue;
            }
            std::vector<int> ys;
            for (int j : covering[a])
                if (y[w][j] >= 0) ys.push_back(y[w][j]);
            if (ys.empty()) continue;
            const int z = mip.add_col(-in.weight[a], 0, 1, false);
            const int row = mip.add_row(-kInf, 0);
            mip.set(row, z, 1);
            for (int c : ys) mip.set(row, c, -1);
            zs.push_back({z, w, a});
        }
    for (std::size_t j = 0; j < M; ++j)
        for (std::size_t t = 0; t < S; ++t) {
            // Events of site j on days [day(t), day(t) + gap).
            std::vector<int> cols;
            int fixed = 0;
            for (std::size_t u = t; u < S && in.slot_day[u] < in.slot_day[t] + in.site_gap_days; ++u) {
                if (in.fixed_site[u] == static_cast<int>(j)) ++fixed;
                else if (x[u][j] >= 0) cols.push_back(x[u][j]);
            }
            if (cols.size() + static_cast<std::size_t>(fixed) < 2) continue;
            const int row = mip.add_row(-kInf, 1 - fixed);
            for (int c : cols) mip.set(row, c, 1);
        }

    for (std::size_t j = 0; j < M; ++j) {
        const int cap = in.capacity(j);
        if (cap < 0) continue;
        std::vector<int> cols;
        int fixed = 0;
        for (std::size_t t = 0; t < S; ++t) {
            if (in.fixed_site[t] == static_cast<int>(j)) ++fixed;
            else if (x[t][j] >= 0) cols.push_back(x[t][j]);
        }
        if (static_cast<int>(cols.size()) + fixed <= cap) continue;  // never binding
        const int row = mip.add_row(-kInf, cap - fixed);
        for (int c : cols) mip.set(row, c, 1);
    }

    // No MIP start: CBC 2.10's C interface fails on this model's start ("Illegal index in
    // ClpModel::getColumnName"); the heuristic's calendar is kept when CBC finds nothing better.
    site::MipResult r = site::run_cbc(mip, {}, o.time_limit_s);
    if (r.has_solution) {
        Calendar c = in.fixed_site;
        for (std::size_t t = 0; t < S; ++t)
            for (std::size_t j = 0; j < M; ++j)
                if (x[t][j] >= 0 && r.x[x[t][j]] > 0.5) c[t] = static_cast<int>(j);
        const double v = evaluate(in, c);
        if (check(in, c).empty() && v > s.objective) {
            s.calendar = c;
            s.objective = v;
        }
    }
    // CBC's bound B on -reach + eps x events: reach <= -B + eps x slots (and + the fixed events' reach).
    const double cbc_bound = -r.bound + constant + eps * static_cast<double>(S);
    s.proven_optimal = r.optimal;
    s.bound = r.optimal ? s.objective : std::max(s.objective, std::min(s.bound, cbc_bound));
    s.method = "CBC " + std::string(Cbc_getVersion()) + " branch and cut, the heuristic's calendar kept unless beaten (" + s.method + ")";
    s.exact_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
}

}  // namespace nightout::program
