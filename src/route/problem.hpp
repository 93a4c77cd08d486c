// The routing model shared by the evening planner and the VRPTW benchmarks: jobs
// (visits) at nodes of a travel-time matrix, each with one or several time windows for the
// start of its service, a service duration, a demand, a prize (priority weight), the skills
// it needs and whether it must be visited; vehicles (officers) with their own start and end
// nodes, shift, capacity, visit cap, skills and working-time limit.
//
// Objective, lexicographic: (0) serve as many must-visit jobs as possible, (1) maximise
// the prize of the served jobs, (2) when asked,
// use as few vehicles as possible (VRPTW benchmarks), (3) minimise total travel time
// (plus, with `balance`, a convex term that evens out the vehicles' working time).
#pragma once

#include <climits>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace nightout::route {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

struct Job {
    int node = 0;             // row/column of the matrix
    double service = 0;       // seconds (or the benchmark's time unit)
    double open = 0;          // earliest start of service
    double close = kInfinity; // latest start of service
    double demand = 0;
    double prize = 1;         // > 0
    // Several windows for the start of service, sorted and disjoint; empty: the one window
    // [open, close]. When given, open and close are the first opening and the last closing.
    std::vector<std::pair<double, double>> windows;
    std::uint64_t needs = 0;     // skills (bits) the vehicle must all have
    bool must = false;           // must-visit: served before any optional job, whatever the prizes
    // Re-planning: a visit an earlier plan promised is kept before any new one (after the
    // must-visit ones), preferably by the vehicle that promised it (`keep`, -1: any).
    bool promised = false;
    int keep = -1;
};

// The earliest start of service at or after `arrival` inside one of the job's windows
// (kInfinity: every window has closed), and the latest start no later than `bound`
// (-kInfinity: none opens by then).
// (Inline: the solver calls them for every place it tries.)
inline double earliest_start(const Job& j, double arrival) {
    if (j.windows.empty()) return arrival <= j.close ? (arrival > j.open ? arrival : j.open) : kInfinity;
    for (const auto& [open, close] : j.windows)
        if (arrival <= close) return arrival > open ? arrival : open;
    return kInfinity;
}
inline double latest_start(const Job& j, double bound) {
    if (j.windows.empty()) return bound >= j.open ? (bound < j.close ? bound : j.close) : -kInfinity;
    for (auto w = j.windows.rbegin(); w != j.windows.rend(); ++w)
        if (bound >= w->first) return bound < w->second ? bound : w->second;
    return -kInfinity;
}

struct Vehicle {
    int start = 0, end = 0;   // nodes
    double shift_start = 0;   // leaves start no earlier than this
    double shift_end = kInfinity;  // back at end no later than this
    double capacity = kInfinity;
    int max_visits = INT_MAX;
    std::uint64_t skills = 0;      // bits, for Job::needs
    double max_work = kInfinity;   // longest time from leaving the start to being back at the end
    // A break of this length (0: none) inside [break_open, break_close], taken wherever the
    // vehicle is between two places (on arriving at one, or before leaving one); only when
    // the route has visits.
    double break_length = 0, break_open = 0, break_close = kInfinity;
    // A caravan: vehicles with the same group (>= 0) travel as one, serve the same jobs with
    // the union of their skills and arrive together (the same route from the same place at
    // the same time). join_groups() gives them one shift, cap, working time and break.
    int group = -1;
};

struct Problem {
    std::size_t nodes = 0;
    std::vector<double> time;  // nodes x nodes, row-major travel time (the cost minimised); kInfinity: no route
    std::vector<Job> jobs;
    std::vector<Vehicle> vehicles;
    bool balance = false;      // add sum over vehicles of work^2 / shift length to the travel cost
    double keep_cost = 0;      // added to the travel cost for each promised job served by another vehicle than its `keep`

    double t(int a, int b) const { return time[static_cast<std::size_t>(a) * nodes + static_cast<std::size_t>(b)]; }
};

// One vehicle's visit at a job, as scheduled (earliest service start; waiting before it).
struct Stop {
    int job = 0;
    double arrival = 0, start = 0, departure = 0, waiting = 0;
};

struct Schedule {
    double depart = 0;      // leaves the start node (as late as possible without delaying the first visit)
    double back = 0;        // arrival at the end node
    double travel = 0;      // total travel time
    double service = 0;
    double waiting = 0;
    std::vector<Stop> stops;
    double break_start = -1, break_end = -1;  // the break, when the vehicle has one and visits
    int break_after = -1;                      // stops before the break (0: before the first)
};

// The schedule of a route that starts at the vehicle's shift start and serves each job
// as early as its window allows (no feasibility check: see validate()). With a working-time
// limit, the vehicle leaves as late as the route allows, which makes the working time shortest.
Schedule schedule_route(const Problem& p, int vehicle, const std::vector<int>& route);

// Whether the route keeps the vehicle's break and working-time limit as well as every window
// and the shift end; with `out`, its schedule (the shortest working day among the break's
// placements; leaving as late as the route allows when the working time is limited).
bool plan_route(const Problem& p, int vehicle, const std::vector<int>& route, Schedule* out = nullptr);

struct Solution {
    std::vector<std::vector<int>> routes;  // one per vehicle: job indices in visiting order
    std::vector<int> unassigned;           // job indices
    double travel = 0;                     // total travel time of the routes
    double served_prize = 0;
    int served_must = 0;                   // must-visit jobs served
    int served_promised = 0;               // promised jobs served (re-planning)
    int vehicles_used = 0;
    std::uint64_t iterations = 0;
    double seconds = 0;
    std::vector<std::string> phases;       // what the solver did, for summaries
};

// Gives the vehicles of each group the attributes they share when travelling as one: the
// first member's start and end, the latest shift start and earliest shift end, the smallest
// caps and working time, the longest break inside the common part of the break windows
// (their skills stay their own: the group carries the union).
void join_groups(Problem& p);

// An independent check of a solution against every hard constraint: each job at most
// once (exactly once when `all_required`; once per group for a caravan), time windows (several
// per job), skills (a caravan's union), shifts, breaks, working-time limits, capacities, visit
// caps, finite travel, and that a caravan's vehicles arrive together at every stop. Returns one message per violation; empty when feasible.
std::vector<std::string> validate(const Problem& p, const Solution& s, bool all_required = false);

}  // namespace nightout::route
