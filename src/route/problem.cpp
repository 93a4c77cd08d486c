#include "route/problem.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace nightout::route {

double earliest_start(const Job& j, double arrival) {
    if (j.windows.empty()) return arrival <= j.close ? std::max(arrival, j.open) : kInfinity;
    for (const auto& [open, close] : j.windows)
        if (arrival <= close) return std::max(arrival, open);
    return kInfinity;
}

double latest_start(const Job& j, double bound) {
    if (j.windows.empty()) return bound >= j.open ? std::min(bound, j.close) : -kInfinity;
    for (auto w = j.windows.rbegin(); w != j.windows.rend(); ++w)
        if (bound >= w->first) return std::min(bound, w->second);
    return -kInfinity;
}

namespace {

// The latest time the vehicle can leave its start and still keep every window and its
// shift end (a backward pass); -kInfinity when no departure works.
double latest_departure(const Problem& p, int vehicle, const std::vector<int>& route) {
    const Vehicle& v = p.vehicles[vehicle];
    double latest = v.shift_end;
    int next = v.end;
    for (auto it = route.rbegin(); it != route.rend(); ++it) {
        const Job& j = p.jobs[*it];
        latest = latest_start(j, latest - p.t(j.node, next) - j.service);
        next = j.node;
    }
    return latest - p.t(v.start, next);
}

}  // namespace

Schedule schedule_route(const Problem& p, int vehicle, const std::vector<int>& route) {
    const Vehicle& v = p.vehicles[vehicle];
    Schedule s;
    s.depart = v.shift_start;
    if (route.empty()) {
        s.back = v.shift_start;
        return s;
    }
    double now = v.shift_start;
    if (std::isfinite(v.max_work)) {
        now = std::max(now, latest_departure(p, vehicle, route));
        s.depart = now;
    }
    int prev = v.start;
    for (std::size_t i = 0; i < route.size(); ++i) {
        const Job& j = p.jobs[route[i]];
        const double d = p.t(prev, j.node);
        Stop st;
        st.job = route[i];
        st.arrival = now + d;
        st.start = earliest_start(j, st.arrival);
        st.waiting = st.start - st.arrival;
        st.departure = st.start + j.service;
        s.travel += d;
        s.service += j.service;
        s.stops.push_back(st);
        now = st.departure;
        prev = j.node;
    }
    const double back = p.t(prev, v.end);
    s.travel += back;
    s.back = now + back;
    // Leave the start as late as possible without delaying the first visit.
    const double shift = s.stops.front().waiting;
    if (shift > 0) {
        s.depart += shift;
        s.stops.front().arrival += shift;
        s.stops.front().waiting = 0;
    }
    for (const Stop& st : s.stops) s.waiting += st.waiting;
    return s;
}

std::vector<std::string> validate(const Problem& p, const Solution& s, bool all_required) {
    std::vector<std::string> errors;
    char buf[256];
    const double eps = 1e-6;
    std::vector<int> seen(p.jobs.size(), 0);
    if (s.routes.size() > p.vehicles.size()) errors.push_back("more routes than vehicles");
    for (std::size_t v = 0; v < s.routes.size() && v < p.vehicles.size(); ++v) {
        const auto& route = s.routes[v];
        if (route.empty()) continue;
        const Vehicle& veh = p.vehicles[v];
        if (static_cast<long long>(route.size()) > veh.max_visits) {
            std::snprintf(buf, sizeof buf, "vehicle %zu: %zu visits, more than its cap of %d", v, route.size(), veh.max_visits);
            errors.push_back(buf);
        }
        // Simulate independently of the solver: leave at the shift start, serve each job as
        // soon as it is reached and its window is open.
        double now = veh.shift_start, load = 0;
        int prev = veh.start;
        for (int j : route) {
            if (j < 0 || static_cast<std::size_t>(j) >= p.jobs.size()) {
                errors.push_back("vehicle " + std::to_string(v) + ": unknown job " + std::to_string(j));
                continue;
            }
            ++seen[j];
            const Job& job = p.jobs[j];
            const double d = p.t(prev, job.node);
            if (!std::isfinite(d)) {
                std::snprintf(buf, sizeof buf, "vehicle %zu: no route to job %d", v, j);
                errors.push_back(buf);
                now = kInfinity;
            }
            if ((job.needs & ~veh.skills) != 0) {
                std::snprintf(buf, sizeof buf, "vehicle %zu: job %d needs skills the vehicle does not have", v, j);
                errors.push_back(buf);
            }
            // The first window still open on arrival (its own scan, not earliest_start()).
            std::vector<std::pair<double, double>> windows = job.windows;
            if (windows.empty()) windows.push_back({job.open, job.close});
            const double arrival = now + d;
            now = kInfinity;
            for (const auto& w : windows)
                if (arrival <= w.second + eps) {
                    now = std::max(arrival, w.first);
                    break;
                }
            if (!std::isfinite(now)) {
                std::snprintf(buf, sizeof buf, "vehicle %zu: job %d reached at %.6f, after its last window closes at %.6f", v, j, arrival, windows.back().second);
                errors.push_back(buf);
            }
            now += job.service;
            load += job.demand;
            prev = job.node;
        }
        now += p.t(prev, veh.end);
        if (!(now <= veh.shift_end + eps)) {
            std::snprintf(buf, sizeof buf, "vehicle %zu: back at %.6f, after its shift ends at %.6f", v, now, veh.shift_end);
            errors.push_back(buf);
        }
        if (std::isfinite(veh.max_work) && std::isfinite(now)) {
            // Shortest working time: leave as late as still keeps every window and the shift
            // end (found by bisection; a later departure never lengthens the day).
            auto back_when_leaving = [&](double depart) {
                double t = depart;
                int at = veh.start;
                for (int j : route) {
                    const Job& job = p.jobs[j];
                    std::vector<std::pair<double, double>> windows = job.windows;
                    if (windows.empty()) windows.push_back({job.open, job.close});
                    const double arrival = t + p.t(at, job.node);
                    t = kInfinity;
                    for (const auto& w : windows)
                        if (arrival <= w.second + eps) {
                            t = std::max(arrival, w.first);
                            break;
                        }
                    t += job.service;
                    at = job.node;
                }
                return t + p.t(at, veh.end);
            };
            double lo = veh.shift_start, hi = std::isfinite(veh.shift_end) ? veh.shift_end : veh.shift_start + 1e7;
            for (int k = 0; k < 100; ++k) {
                const double mid = 0.5 * (lo + hi);
                (back_when_leaving(mid) <= veh.shift_end + eps ? lo : hi) = mid;
            }
            const double work = back_when_leaving(lo) - lo;
            if (work > veh.max_work + 1e-4) {
                std::snprintf(buf, sizeof buf, "vehicle %zu: works %.6f at the least, more than its limit of %.6f", v, work, veh.max_work);
                errors.push_back(buf);
            }
        }
        if (load > veh.capacity + eps) {
            std::snprintf(buf, sizeof buf, "vehicle %zu: load %.6f exceeds its capacity %.6f", v, load, veh.capacity);
            errors.push_back(buf);
        }
    }
    for (int j : s.unassigned)
        if (j >= 0 && static_cast<std::size_t>(j) < p.jobs.size()) ++seen[j];
    for (std::size_t j = 0; j < p.jobs.size(); ++j) {
        if (seen[j] > 1) errors.push_back("job " + std::to_string(j) + " appears " + std::to_string(seen[j]) + " times");
        if (seen[j] == 0) errors.push_back("job " + std::to_string(j) + " is neither routed nor listed as unassigned");
    }
    if (all_required && !s.unassigned.empty()) errors.push_back(std::to_string(s.unassigned.size()) + " job(s) not served");
    return errors;
}

}  // namespace nightout::route
