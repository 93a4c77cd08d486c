#include "program/model.hpp"

#include "core/error.hpp"
#include "site/cover_search.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>
#include <queue>
#include <random>
#include <tuple>

namespace nightout::program {

namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

double total_weight(const Instance& in) { return std::accumulate(in.weight.begin(), in.weight.end(), 0.0); }

// The calendar being improved, with per window x area reach counts and per site the
// days of its events, so that a move costs O(areas the sites reach).
class Search {
public:
    Search(const Instance& in, std::uint64_t seed) : in_(in), rng_(seed) {
        const std::size_t A = in.areas();
        cnt_.assign(static_cast<std::size_t>(in.windows) * A, 0);
        days_.assign(in.sites(), {});
        cal_.assign(in.slots(), -1);
        flex_.assign(in.slots(), 0);
        for (std::size_t s = 0; s < in.slots(); ++s)
            flex_[s] = static_cast<int>(std::count(in.allowed[s].begin(), in.allowed[s].end(), 1));
        window_slots_.assign(in.windows, {});
        free_.assign(in.windows, 0);
        for (std::size_t s = 0; s < in.slots(); ++s) {
            window_slots_[in.slot_window[s]].push_back(static_cast<int>(s));
            ++free_[in.slot_window[s]];
        }
        tol_ = 1e-9 * std::max(1.0, total_weight(in));
        covering_.assign(A, {});
        for (std::size_t j = 0; j < in.sites(); ++j)
            for (int a : in.reach[j]) covering_[a].push_back(static_cast<int>(j));
        gain_.assign(static_cast<std::size_t>(in.windows) * in.sites(), 0.0);
        for (int w = 0; w < in.windows; ++w)
            for (std::size_t j = 0; j < in.sites(); ++j)
                for (int a : in.reach[j]) gain_[static_cast<std::size_t>(w) * in.sites() + j] += in.weight[a];
        for (std::size_t s = 0; s < in.slots(); ++s)
            if (in.fixed_site[s] >= 0) place(static_cast<int>(s), in.fixed_site[s]);
        tie_.resize(static_cast<std::size_t>(in.windows) * in.sites());
        reshuffle_ties();
    }

    const Calendar& calendar() const { return cal_; }
    double value() const { return value_; }

    void load(const Calendar& c) {
        for (std::size_t s = 0; s < cal_.size(); ++s)
            if (cal_[s] >= 0 && in_.fixed_site[s] < 0) remove(static_cast<int>(s));
        for (std::size_t s = 0; s < c.size(); ++s)
            if (c[s] >= 0 && in_.fixed_site[s] < 0) place(static_cast<int>(s), c[s]);
    }

    // Weight an event of site j in window w would newly reach (kept up to date by place/remove).
    double gain(int w, int j) const { return gain_[static_cast<std::size_t>(w) * in_.sites() + j]; }
    // Weight no longer reached if the event on slot s went.
    double loss(int s) const {
        const int j = cal_[s];
        const int* c = cnt_.data() + static_cast<std::size_t>(in_.slot_window[s]) * in_.areas();
        double l = 0;
        for (int a : in_.reach[j])
            if (c[a] == 1) l += in_.weight[a];
        return l;
    }

    // The free slot of window w that site j may take (allowed, site gap kept), the one
    // fewest sites may take (ties: earliest); -1 when none.
    int slot_for(int w, int j, int except = -1) const {
        if (!capacity_ok(j)) return -1;
        int best = -1;
        for (int s : window_slots_[w]) {
            if (s == except || s == reserved_ || cal_[s] >= 0 || !in_.allowed[s][j] || !gap_ok(j, in_.slot_day[s])) continue;
            if (reserved_ >= 0 && j == reserved_site_ && std::abs(in_.slot_day[s] - reserved_day_) < in_.site_gap_days) continue;
            if (best < 0 || flex_[s] < flex_[best]) best = s;
        }
        return best;
    }

    // Site j in window w on a free slot; when none is free, on a slot made free by moving its
    // event, or an event of j too close to it, to another slot of the same window, free or
    // taken by an event that swaps dates with it (the same areas reached in each window, so
    // the objective does not change). False when none of this works; nothing then changes.
    bool place_somewhere(int w, int j) {
        if (!capacity_ok(j)) return false;  // moving j's own events keeps their number
        const int direct = slot_for(w, j);
        if (direct >= 0) {
            place(direct, j);
            return true;
        }
        for (int s : window_slots_[w]) {
            if (!in_.allowed[s][j] || in_.fixed_site[s] >= 0) continue;
            std::vector<int> blockers;  // slots whose events stand in the way
            if (cal_[s] >= 0) blockers.push_back(s);
            for (std::size_t t = 0; t < cal_.size(); ++t)
                if (cal_[t] == j && std::abs(in_.slot_day[t] - in_.slot_day[s]) < in_.site_gap_days) blockers.push_back(static_cast<int>(t));
            if (blockers.empty() || blockers.size() > 2) continue;
            bool movable = true;
            for (int b : blockers) movable = movable && in_.fixed_site[b] < 0;
            if (!movable) continue;
            changes_.clear();
            std::vector<std::pair<int, int>> moving;  // (old slot, site)
            for (int b : blockers) {
                moving.push_back({b, cal_[b]});
                set(b, -1);
            }
            reserved_ = s;
            reserved_day_ = in_.slot_day[s];
            reserved_site_ = j;
            bool ok = true;
            for (auto [b, site] : moving) ok = ok && relocate(b, site);
            reserved_ = -1;
            if (ok && fits(s, j)) {
                set(s, j);
                return true;
            }
            for (auto it = changes_.rbegin(); it != changes_.rend(); ++it) {  // undo, last change first
                if (cal_[it->first] >= 0) remove(it->first);
                if (it->second >= 0) place(it->first, it->second);
            }
        }
        return false;
    }

    // Site `site` (its event just taken off slot `from`) onto another slot of that window:
    // a free one, or one whose event takes slot `from` in exchange.
    bool relocate(int from, int site) {
        const int w = in_.slot_window[from];
        const int to = slot_for(w, site, from);
        if (to >= 0) {
            set(to, site);
            return true;
        }
        if (from == reserved_) return false;  // the slot being freed cannot take the other event
        for (int c : window_slots_[w]) {
            if (c == from || c == reserved_ || cal_[c] < 0 || in_.fixed_site[c] >= 0) continue;
            const int other = cal_[c];
            set(c, -1);
            if (fits(c, site) && fits(from, other)) {
                set(c, site);
                if (fits(from, other)) {
                    set(from, other);
                    return true;
                }
                set(c, -1);
            }
            set(c, other);
        }
        return false;
    }

    // Site j may take free slot s (allowed, site gap kept, the slot being freed respected).
    bool fits(int s, int j) const {
        if (cal_[s] >= 0 || !in_.allowed[s][j] || !capacity_ok(j) || !gap_ok(j, in_.slot_day[s])) return false;
        if (reserved_ >= 0 && (s == reserved_ || (j == reserved_site_ && std::abs(in_.slot_day[s] - reserved_day_) < in_.site_gap_days))) return false;
        return true;
    }

    // Sets a slot's event, logged for undo.
    void set(int s, int j) {
        changes_.push_back({s, cal_[s]});
        if (cal_[s] >= 0) remove(s);
        if (j >= 0) place(s, j);
    }

    // Greedy: the (window, site) pair reaching the most new weight (ties: the seeded order)
    // on its slot, again and again, while some pair adds weight and has a slot.
    void fill() {
        using Item = std::tuple<double, std::uint32_t, int, int>;  // gain, tie, window, site
        std::priority_queue<Item> heap;
        for (int w = 0; w < in_.windows; ++w)
            for (int j = 0; j < static_cast<int>(in_.sites()); ++j) {
                if (!tabu_.empty() && tabu_[static_cast<std::size_t>(w) * in_.sites() + j]) continue;
                const double g = gain(w, j);
                if (g > tol_) heap.push({g, tie(w, j), w, j});
            }
        while (!heap.empty()) {
            auto [g, t, w, j] = heap.top();
            heap.pop();
            const double now = gain(w, j);
            if (now <= tol_ || free_[w] == 0) continue;
            if (now < g - tol_) {  // stale: back in at its current gain
                heap.push({now, t, w, j});
                continue;
            }
            if (!place_somewhere(w, j)) continue;  // more events only take slots away: it never gets one
        }
    }

    // Best-improvement moves of one event to another site and/or date until none gains.
    long long improve() {
        long long moves = 0;
        for (bool again = true; again;) {
            again = false;
            for (int s = 0; s < static_cast<int>(cal_.size()); ++s) {
                if (cal_[s] < 0 || in_.fixed_site[s] >= 0) continue;
                const int j = cal_[s];
                const double l = loss(s);
                remove(s);
                std::vector<std::tuple<double, std::uint32_t, int, int>> better;
                // An event can only move into a window with a free slot (all others are full,
                // and moving their events around frees none).
                for (int w = 0; w < in_.windows; ++w) {
                    if (free_[w] == 0) continue;
                    for (int k = 0; k < static_cast<int>(in_.sites()); ++k) {
                        const double g = gain(w, k);
                        if (g > l + tol_) better.push_back({g, tie(w, k), w, k});
                    }
                }
                std::sort(better.rbegin(), better.rend());
                bool moved = false;
                for (auto& [g, t, w, k] : better) {
                    if (!place_somewhere(w, k)) continue;
                    moved = true;
                    break;
                }
                if (moved) {
                    ++moves;
                    again = true;
                    fill();
                } else {
                    place(s, j);
                }
            }
        }
        return moves;
    }

    // Refills the calendar without the pairs perturb() took out, then with them again.
    void refill() {
        fill();
        tabu_.clear();
        fill();
    }

    // Drops up to `count` of the free events, chosen by the seeded generator; the next
    // refill() may not put them straight back.
    void perturb(int count) {
        std::vector<int> events;
        for (int s = 0; s < static_cast<int>(cal_.size()); ++s)
            if (cal_[s] >= 0 && in_.fixed_site[s] < 0) events.push_back(s);
        tabu_.assign(static_cast<std::size_t>(in_.windows) * in_.sites(), 0);
        for (int r = 0; r < count && !events.empty(); ++r) {
            const std::size_t pick = rng_() % events.size();
            tabu_[static_cast<std::size_t>(in_.slot_window[events[pick]]) * in_.sites() + cal_[events[pick]]] = 1;
            remove(events[pick]);
            events.erase(events.begin() + static_cast<std::ptrdiff_t>(pick));
        }
        reshuffle_ties();
    }

    // Events whose removal loses nothing go (fewer officer hours at the same reach).
    void prune() {
        for (int s = 0; s < static_cast<int>(cal_.size()); ++s)
            if (cal_[s] >= 0 && in_.fixed_site[s] < 0 && loss(s) <= tol_) remove(s);
    }

private:
    // Site j may hold one more event (its capacity, fixed events included).
    bool capacity_ok(int j) const {
        const int cap = in_.capacity(static_cast<std::size_t>(j));
        return cap < 0 || static_cast<int>(days_[j].size()) < cap;
    }
    bool gap_ok(int j, int day) const {
        for (int d : days_[j])
            if (std::abs(d - day) < in_.site_gap_days) return false;
        return true;
    }
    std::uint32_t tie(int w, int j) const { return tie_[static_cast<std::size_t>(w) * in_.sites() + j]; }
    void reshuffle_ties() {
        for (auto& t : tie_) t = static_cast<std::uint32_t>(rng_() >> 32);
    }
    void place(int s, int j) {
        --free_[in_.slot_window[s]];
        cal_[s] = j;
        days_[j].push_back(in_.slot_day[s]);
        int* c = cnt_.data() + static_cast<std::size_t>(in_.slot_window[s]) * in_.areas();
        double* g = gain_.data() + static_cast<std::size_t>(in_.slot_window[s]) * in_.sites();
        for (int a : in_.reach[j])
            if (c[a]++ == 0) {
                value_ += in_.weight[a];
                for (int k : covering_[a]) g[k] -= in_.weight[a];
            }
    }
    void remove(int s) {
        const int j = cal_[s];
        ++free_[in_.slot_window[s]];
        cal_[s] = -1;
        auto& d = days_[j];
        d.erase(std::find(d.begin(), d.end(), in_.slot_day[s]));
        int* c = cnt_.data() + static_cast<std::size_t>(in_.slot_window[s]) * in_.areas();
        double* g = gain_.data() + static_cast<std::size_t>(in_.slot_window[s]) * in_.sites();
        for (int a : in_.reach[j])
            if (--c[a] == 0) {
                value_ -= in_.weight[a];
                for (int k : covering_[a]) g[k] += in_.weight[a];
            }
    }

    const Instance& in_;
    std::mt19937_64 rng_;
    std::vector<int> cnt_, flex_, free_;  // free_: per window, slots without an event
    std::vector<std::vector<int>> days_, window_slots_;
    std::vector<std::uint32_t> tie_;
    Calendar cal_;
    double value_ = 0, tol_ = 0;
    int reserved_ = -1, reserved_day_ = 0, reserved_site_ = -1;  // a slot being freed by place_somewhere
    std::vector<std::vector<int>> covering_;  // per area: the sites reaching it
    std::vector<double> gain_;                 // per window x site, see gain()
    std::vector<char> tabu_;  // per window x site: not to be added by fill() (empty: none)
    std::vector<std::pair<int, int>> changes_;                   // (slot, site before) of place_somewhere
};

}  // namespace

double evaluate(const Instance& in, const Calendar& c) {
    std::vector<char> reached(static_cast<std::size_t>(in.windows) * in.areas(), 0);
    double v = 0;
    for (std::size_t s = 0; s < c.size(); ++s) {
        if (c[s] < 0) continue;
        char* r = reached.data() + static_cast<std::size_t>(in.slot_window[s]) * in.areas();
        for (int a : in.reach[c[s]])
            if (!r[a]) r[a] = 1, v += in.weight[a];
    }
    return v;
}

std::string check(const Instance& in, const Calendar& c) {
    if (c.size() != in.slots()) return "the calendar has " + std::to_string(c.size()) + " slots, not " + std::to_string(in.slots());
    for (std::size_t s = 0; s < c.size(); ++s) {
        if (in.fixed_site[s] >= 0 && c[s] != in.fixed_site[s]) return "slot " + std::to_string(s) + " lost its fixed event";
        if (c[s] < -1 || c[s] >= static_cast<int>(in.sites())) return "slot " + std::to_string(s) + " names no site";
        if (c[s] >= 0 && in.fixed_site[s] < 0 && !in.allowed[s][c[s]])
            return "slot " + std::to_string(s) + ": site " + std::to_string(c[s]) + " is not available that day";
        for (std::size_t t = s + 1; t < c.size(); ++t)
            if (c[s] >= 0 && c[t] == c[s] && std::abs(in.slot_day[t] - in.slot_day[s]) < in.site_gap_days)
                return "site " + std::to_string(c[s]) + " is used on slots " + std::to_string(s) + " and " + std::to_string(t) + ", closer than the site gap";
    }
    std::vector<int> events(in.sites(), 0);
    for (int j : c)
        if (j >= 0) ++events[j];
    for (std::size_t j = 0; j < in.sites(); ++j)
        if (in.capacity(j) >= 0 && events[j] > in.capacity(j))
            return "site " + std::to_string(j) + " holds " + std::to_string(events[j]) + " events, more than its capacity of " + std::to_string(in.capacity(j));
    return {};
}

void validate(const Instance& in) {
    const std::size_t S = in.slots();
    if (in.slot_window.size() != S || in.allowed.size() != S || in.fixed_site.size() != S) throw_internal("program instance: per-slot sizes differ");
    for (std::size_t s = 0; s < S; ++s) {
        if (in.allowed[s].size() != in.sites()) throw_internal("program instance: allowed row size");
        if (in.slot_window[s] < 0 || in.slot_window[s] >= in.windows) throw_internal("program instance: slot window out of range");
        if (s > 0 && (in.slot_day[s] < in.slot_day[s - 1] || in.slot_window[s] < in.slot_window[s - 1])) throw_internal("program instance: slots not in order");
    }
    for (const auto& r : in.reach)
        for (int a : r)
            if (a < 0 || a >= static_cast<int>(in.areas())) throw_internal("program instance: reach names no area");
    if (!in.max_events.empty() && in.max_events.size() != in.sites()) throw_internal("program instance: max_events size");
    Calendar fixed = in.fixed_site;
    std::vector<int> fixed_at(in.sites(), 0);
    for (int j : fixed)
        if (j >= 0) ++fixed_at[j];
    for (std::size_t j = 0; j < in.sites(); ++j)
        if (in.capacity(j) >= 0 && fixed_at[j] > in.capacity(j))
            throw_usage("site " + std::to_string(j) + " has " + std::to_string(fixed_at[j]) + " fixed events, more than its max_events of " +
                        std::to_string(in.capacity(j)) + "; raise its max_events or move a fixed event");
    for (std::size_t s = 0; s < S; ++s)
        for (std::size_t t = s + 1; t < S; ++t)
            if (fixed[s] >= 0 && fixed[t] == fixed[s] && std::abs(in.slot_day[t] - in.slot_day[s]) < in.site_gap_days)
                throw_usage("two fixed events at one site are closer than --site-gap (" + std::to_string(in.site_gap_days) + " days); shorten --site-gap or move one");
}

Calendar heuristic(const Instance& in, const Options& o) {
    Search search(in, o.seed);
    search.fill();
    search.improve();
    Calendar best = search.calendar();
    double best_value = search.value();
    int events = 0;
    for (std::size_t s = 0; s < best.size(); ++s) events += best[s] >= 0 && in.fixed_site[s] < 0;
    const int drop = std::max(2, events / 8);
    for (int r = 0; r < o.restarts && events > 0; ++r) {
        search.perturb(drop);
        search.refill();
        search.improve();
        // Equal calendars are kept too: the search walks the plateau instead of restarting.
        if (search.value() >= best_value - 1e-9 * std::max(1.0, best_value)) {
            best = search.calendar();
            best_value = std::max(best_value, search.value());
        } else {
            search.load(best);
        }
    }
    search.load(best);
    search.prune();
    return search.calendar();
}

double upper_bound(const Instance& in, const Calendar& heuristic, int iterations) {
    const std::size_t A = in.areas(), M = in.sites();
    bool integral = true;
    for (double w : in.weight) integral = integral && w == std::floor(w);
    // Per window: the heuristic's share, the target of the subgradient steps and their early stop.
    std::vector<char> hit(static_cast<std::size_t>(in.windows) * A, 0);
    std::vector<double> found(in.windows, 0.0);
    for (std::size_t s = 0; s < heuristic.size(); ++s)
        if (heuristic[s] >= 0)
            for (int a : in.reach[heuristic[s]])
                if (!hit[static_cast<std::size_t>(in.slot_window[s]) * A + a]++) found[in.slot_window[s]] += in.weight[a];
    double total = 0;
    std::vector<std::vector<int>> covering(A);  // per area: the sites reaching it
    for (std::size_t j = 0; j < M; ++j)
        for (int a : in.reach[j]) covering[a].push_back(static_cast<int>(j));
    for (int w = 0; w < in.windows; ++w) {
        std::vector<char> pre(A, 0), allowed(M, 0);
        int free_slots = 0;
        for (std::size_t s = 0; s < in.slots(); ++s) {
            if (in.slot_window[s] != w) continue;
            if (in.fixed_site[s] >= 0) {
                for (int a : in.reach[in.fixed_site[s]]) pre[a] = 1;
            } else {
                ++free_slots;
                for (std::size_t j = 0; j < M; ++j) allowed[j] |= in.allowed[s][j];
            }
        }
        site::CoverSets cs;
        cs.m = M;
        cs.allowed = allowed;
        cs.row_first.push_back(0);
        std::vector<std::uint32_t> count(M, 0);
        for (std::size_t a = 0; a < A; ++a) {
            if (pre[a]) {
                cs.fixed_covered += in.weight[a];
                continue;
            }
            if (in.weight[a] <= 0) continue;
            const std::size_t before = cs.row_cols.size();
            for (int j : covering[a])
                if (allowed[j]) cs.row_cols.push_back(static_cast<std::uint32_t>(j)), ++count[j];
            if (cs.row_cols.size() == before) continue;
            cs.w.push_back(in.weight[a]);
            cs.row_first.push_back(static_cast<std::uint32_t>(cs.row_cols.size()));
        }
        cs.col_first.assign(M + 1, 0);
        for (std::size_t j = 0; j < M; ++j) cs.col_first[j + 1] = cs.col_first[j] + count[j];
        cs.col_rows.resize(cs.row_cols.size());
        std::vector<std::uint32_t> next(cs.col_first.begin(), cs.col_first.end() - 1);
        for (std::uint32_t u = 0; u + 1 < cs.row_first.size(); ++u)
            for (std::uint32_t q = cs.row_first[u]; q < cs.row_first[u + 1]; ++q) cs.col_rows[next[cs.row_cols[q]]++] = u;
        total += site::cover_bound(cs, free_slots, found[w], integral, iterations);
    }
    return total;
}

Solution solve(const Instance& in, const Options& o) {
    validate(in);
    Solution s;
    auto t0 = Clock::now();
    s.calendar = heuristic(in, o);
    s.objective = evaluate(in, s.calendar);
    s.heuristic_objective = s.objective;
    s.heuristic_seconds = seconds_since(t0);
    t0 = Clock::now();
    s.bound = std::max(s.objective, upper_bound(in, s.calendar, o.bound_iterations));
    s.bound_seconds = seconds_since(t0);
    s.method = "greedy over slots + moves across dates, " + std::to_string(o.restarts) + " seeded perturbations; Lagrangian bound per window";
    s.proven_optimal = s.bound <= s.objective * (1 + 1e-9);
    if (o.exact && !s.proven_optimal) solve_exact(in, o, s);
    if (s.proven_optimal) s.gap = 0;
    else s.gap = s.objective > 0 ? (s.bound - s.objective) / s.objective : 1.0;
    return s;
}

}  // namespace nightout::program
