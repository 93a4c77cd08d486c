// A year-round outreach program as the solvers see it: event slots (dates) grouped into
// reach windows (--every), candidate sites with the areas each reaches, which site may be
// used on which slot (season, weekdays, months, blackouts are already folded in), the
// minimum gap between two events at one site, and fixed events. Nothing here reads files.
//
// Objective (docs/methodology.md, "Program"): the weighted area-windows reached,
//   sum over windows w and areas a of weight[a] x [an event in w reaches a],
// where weight is population x priority; an area counts once per window however many
// events reach it. Among calendars reaching as much, fewer events (officer hours) win: a
// slot whose every possible event adds nothing stays empty.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace nightout::program {

struct Instance {
    std::vector<double> weight;                // per area: population x priority, >= 0
    std::vector<std::vector<int>> reach;       // per site: the areas an event there reaches (sorted)
    std::vector<int> slot_day;                 // per slot: day number (days since 1970-01-01), ascending
    std::vector<int> slot_window;              // per slot: its window, 0 .. windows-1, non-decreasing
    int windows = 0;
    std::vector<std::vector<char>> allowed;    // [slot][site]: the site may hold an event on that slot
    int site_gap_days = 0;                     // two events at one site are at least this many days apart
    std::vector<int> fixed_site;               // per slot: a fixed event's site, or -1 (free slot)
    std::vector<int> max_events;               // per site: at most this many events over the program, fixed
                                               // ones included (capacity); -1 or an empty vector: no limit

    // The site's capacity in events, or -1 for none.
    int capacity(std::size_t site) const { return site < max_events.size() ? max_events[site] : -1; }

    std::size_t areas() const { return weight.size(); }
    std::size_t sites() const { return reach.size(); }
    std::size_t slots() const { return slot_day.size(); }
};

// A calendar: per slot, the site of its event or -1 (no event).
using Calendar = std::vector<int>;

// The objective computed from scratch.
double evaluate(const Instance& in, const Calendar& c);
// The rules a calendar must keep (fixed events in place, allowed site per slot, site gap,
// capacity);
// empty when it keeps them all, else the first broken rule in words.
std::string check(const Instance& in, const Calendar& c);
// Checks sizes and the fixed events themselves; throws a Usage error naming the problem.
void validate(const Instance& in);

struct Options {
    std::uint64_t seed = 1;
    int restarts = 200;          // perturbation rounds of the iterated local search
    int bound_iterations = 400;  // Lagrangian subgradient steps per window
    bool exact = false;
    double time_limit_s = 60;    // CBC, exact mode only
};

struct Solution {
    Calendar calendar;
    double objective = 0;
    double bound = 0;            // proven upper bound on the optimum
    double gap = 0;              // (bound - objective) / objective, 0 when proven optimal
    bool proven_optimal = false;
    std::string method;
    double heuristic_objective = 0, heuristic_seconds = 0;
    double bound_seconds = 0;
    std::optional<double> exact_seconds;
};

// Greedy over (window, site) pairs placed on their most constrained feasible slot, then
// best-improvement moves of one event to any site and date, then seeded perturbations
// (remove a few events, refill greedily, improve) kept when better. Deterministic for a seed.
Calendar heuristic(const Instance& in, const Options& o);

// Upper bound: per window, the Lagrangian bound of maximal covering with as many sites as
// the window has free slots (site/cover_search.hpp), only sites allowed on some slot of the
// window, areas reached by the window's fixed events counted as reached. Relaxed: which
// slot holds which site, the site gap and the sites' capacities; so bound >= optimum.
double upper_bound(const Instance& in, const Calendar& heuristic, int iterations);

// Heuristic, bound, and CBC from the heuristic's calendar when o.exact.
Solution solve(const Instance& in, const Options& o);

// The exact MIP (program/exact.cpp): x[slot][site] binary, z[area][window] in [0,1],
// sum_site x <= 1 per slot, z <= sum of x reaching the area in the window, at most one
// event per site in any site-gap interval. Improves `s` and sets its bound and gap.
void solve_exact(const Instance& in, const Options& o, Solution& s);

}  // namespace nightout::program
