#include "route/replan.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

namespace nightout::route {

std::vector<std::vector<int>> promised_routes(const Problem& p, const std::vector<Promise>& promises) {
    std::vector<std::vector<int>> routes(p.vehicles.size());
    std::vector<Promise> order = promises;
    std::stable_sort(order.begin(), order.end(), [](const Promise& a, const Promise& b) { return a.start < b.start; });
    std::vector<char> placed(p.jobs.size(), 0);
    for (const Promise& pr : order) {
        if (pr.vehicle < 0 || static_cast<std::size_t>(pr.vehicle) >= p.vehicles.size() || pr.job < 0 ||
            static_cast<std::size_t>(pr.job) >= p.jobs.size() || placed[pr.job])
            continue;
        const Vehicle& veh = p.vehicles[pr.vehicle];
        std::vector<int>& r = routes[pr.vehicle];
        if ((p.jobs[pr.job].needs & ~veh.skills) != 0 || static_cast<long long>(r.size()) + 1 > veh.max_visits) continue;
        r.push_back(pr.job);
        if (plan_route(p, pr.vehicle, r)) placed[pr.job] = 1;
        else r.pop_back();
    }
    return routes;
}

std::vector<std::string> validate_replan(const Problem& p, const Solution& s, double now, const std::vector<VehicleFact>& facts) {
    std::vector<std::string> errors;
    char buf[256];
    const double eps = 1e-6;
    if (facts.size() != s.routes.size()) {
        errors.push_back("the plan has " + std::to_string(s.routes.size()) + " routes for " + std::to_string(facts.size()) + " vehicles");
        return errors;
    }
    for (std::size_t v = 0; v < s.routes.size(); ++v) {
        const auto& route = s.routes[v];
        const VehicleFact& f = facts[v];
        if (route.empty()) continue;
        if (f.away) {
            std::snprintf(buf, sizeof buf, "vehicle %zu was called away but has %zu visits", v, route.size());
            errors.push_back(buf);
            continue;
        }
        if (p.vehicles[v].start != f.position) {
            std::snprintf(buf, sizeof buf, "vehicle %zu leaves from node %d, not from its position (node %d)", v, p.vehicles[v].start, f.position);
            errors.push_back(buf);
        }
        // Leave the position when free, serve each job in the first window still open.
        double t = std::max(f.ready, now);
        int at = f.position;
        for (int j : route) {
            if (j < 0 || static_cast<std::size_t>(j) >= p.jobs.size()) continue;
            const Job& job = p.jobs[j];
            const double arrival = t + p.t(at, job.node);
            std::vector<std::pair<double, double>> windows = job.windows;
            if (windows.empty()) windows.push_back({job.open, job.close});
            double start = kInfinity;
            for (const auto& w : windows)
                if (arrival <= w.second + eps) {
                    start = std::max(arrival, w.first);
                    break;
                }
            if (!std::isfinite(start)) {
                std::snprintf(buf, sizeof buf, "vehicle %zu: job %d reached at %.3f from its position, after its last window", v, j, arrival);
                errors.push_back(buf);
                break;
            }
            if (start + eps < now || start + eps < f.ready) {
                std::snprintf(buf, sizeof buf, "vehicle %zu: job %d starts at %.3f, before the vehicle is free (%.3f)", v, j, start, std::max(now, f.ready));
                errors.push_back(buf);
            }
            t = start + job.service;
            at = job.node;
        }
        const double back = t + p.t(at, p.vehicles[v].end);
        if (!(back <= p.vehicles[v].shift_end + eps)) {
            std::snprintf(buf, sizeof buf, "vehicle %zu: back at %.3f from its position, after its shift ends at %.3f", v, back, p.vehicles[v].shift_end);
            errors.push_back(buf);
        }
    }
    return errors;
}

const char* change_name(ChangeKind k) {
    switch (k) {
    case ChangeKind::Kept: return "kept";
    case ChangeKind::Moved: return "moved";
    case ChangeKind::Dropped: return "dropped";
    case ChangeKind::Added: return "added";
    }
    return "";
}

std::vector<Change> plan_changes(const Problem& p, const std::vector<Promise>& promises, const Solution& s) {
    std::vector<int> vehicle_of(p.jobs.size(), -1);
    std::vector<double> start_of(p.jobs.size(), -1);
    for (std::size_t v = 0; v < s.routes.size(); ++v) {
        const Schedule sch = schedule_route(p, static_cast<int>(v), s.routes[v]);
        for (const Stop& st : sch.stops) vehicle_of[st.job] = static_cast<int>(v), start_of[st.job] = st.start;
    }
    std::vector<Change> out;
    std::vector<char> promised(p.jobs.size(), 0);
    std::vector<Promise> order = promises;
    std::stable_sort(order.begin(), order.end(), [](const Promise& a, const Promise& b) { return a.start < b.start; });
    for (const Promise& pr : order) {
        if (pr.job < 0 || static_cast<std::size_t>(pr.job) >= p.jobs.size() || promised[pr.job]) continue;
        promised[pr.job] = 1;
        Change c;
        c.job = pr.job;
        c.before_vehicle = pr.vehicle, c.before_start = pr.start;
        c.after_vehicle = vehicle_of[pr.job], c.after_start = start_of[pr.job];
        c.kind = c.after_vehicle < 0 ? ChangeKind::Dropped : c.after_vehicle == pr.vehicle ? ChangeKind::Kept : ChangeKind::Moved;
        out.push_back(c);
    }
    for (std::size_t v = 0; v < s.routes.size(); ++v)
        for (int j : s.routes[v])
            if (!promised[j]) {
                Change c;
                c.job = j;
                c.kind = ChangeKind::Added;
                c.after_vehicle = static_cast<int>(v), c.after_start = start_of[j];
                out.push_back(c);
            }
    return out;
}

}  // namespace nightout::route
