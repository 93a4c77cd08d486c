#include "route/problem.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace nightout::route {

Schedule schedule_route(const Problem& p, int vehicle, const std::vector<int>& route) {
    const Vehicle& v = p.vehicles[vehicle];
    Schedule s;
    s.depart = v.shift_start;
    if (route.empty()) {
        s.back = v.shift_start;
        return s;
    }
    double now = v.shift_start;
    int prev = v.start;
    for (std::size_t i = 0; i < route.size(); ++i) {
        const Job& j = p.jobs[route[i]];
        const double d = p.t(prev, j.node);
        Stop st;
        st.job = route[i];
        st.arrival = now + d;
        st.start = std::max(st.arrival, j.open);
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
            now = std::max(now + d, job.open);
            if (now > job.close + eps) {
                std::snprintf(buf, sizeof buf, "vehicle %zu: job %d starts at %.6f, after its window closes at %.6f", v, j, now, job.close);
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
