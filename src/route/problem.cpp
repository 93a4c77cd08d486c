#include "route/problem.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

namespace nightout::route {

namespace {

// The latest time the vehicle can leave its start and still keep every window, the shift
// end and, when gap >= 0, its break after `gap` stops (taken on arriving at the next place,
// or before leaving the previous one): a backward pass; -kInfinity when no departure works.
double latest_departure(const Problem& p, const Vehicle& v, const std::vector<int>& route, int gap = -1, bool on_arrival = true) {
    const int m = static_cast<int>(route.size());
    const double L = v.break_length, bo = v.break_open, bc = v.break_close;
    double ready = v.shift_end;  // latest service start at the next place (at the end: back by the shift end)
    int next = v.end;
    for (int k = m; k >= 0; --k) {
        double arrive = ready;
        if (gap == k && on_arrival) {
            arrive = std::min(bc, ready) - L;
            if (std::min(bc, ready) - L < bo) return -kInfinity;
        }
        const int here = k == 0 ? v.start : p.jobs[route[k - 1]].node;
        double leave = arrive - p.t(here, next);
        if (gap == k && !on_arrival) {
            leave = std::min(bc - L, leave - L);
            if (leave < bo) return -kInfinity;
        }
        if (k == 0) return leave;
        const Job& j = p.jobs[route[k - 1]];
        ready = latest_start(j, leave - j.service);
        if (!std::isfinite(ready)) return -kInfinity;
        next = j.node;
    }
    return -kInfinity;
}

// Goes forward from `depart` with the break placed as in latest_departure(); returns the
// time back at the end (kInfinity: a window, the break's window or the shift end is missed).
double forward(const Problem& p, const Vehicle& v, const std::vector<int>& route, int gap, bool on_arrival, double depart, Schedule* out) {
    const int m = static_cast<int>(route.size());
    const double L = v.break_length, bo = v.break_open, bc = v.break_close, eps = 1e-9;
    double now = depart;
    int prev = v.start;
    if (out) *out = Schedule{}, out->depart = depart;
    for (int k = 0; k <= m; ++k) {
        const int to = k < m ? p.jobs[route[k]].node : v.end;
        double leave = now, brk = -1;
        if (gap == k && !on_arrival) {
            brk = std::max(now, bo);
            leave = brk + L;
        }
        const double d = p.t(prev, to);
        const double arrival = leave + d;
        double ready = arrival;
        if (gap == k && on_arrival) {
            brk = std::max(arrival, bo);
            ready = brk + L;
        }
        if (brk >= 0 && brk + L > bc + eps) return kInfinity;
        if (out) {
            out->travel += d;
            if (brk >= 0) out->break_start = brk, out->break_end = brk + L, out->break_after = k;
        }
        if (k == m) {
            if (ready > v.shift_end + eps) return kInfinity;
            if (out) out->back = ready;
            return ready;
        }
        const Job& j = p.jobs[route[k]];
        const double start = earliest_start(j, ready);
        if (!std::isfinite(start)) return kInfinity;
        if (out) {
            Stop st;
            st.job = route[k];
            st.arrival = arrival;
            st.start = start;
            st.waiting = std::max(0.0, start - arrival - (gap == k && on_arrival ? L : 0.0));
            st.departure = start + j.service;
            out->service += j.service;
            out->waiting += st.waiting;
            out->stops.push_back(st);
        }
        now = start + j.service;
        prev = j.node;
    }
    return kInfinity;
}

}  // namespace

bool plan_route(const Problem& p, int vehicle, const std::vector<int>& route, Schedule* out) {
    const Vehicle& v = p.vehicles[vehicle];
    const int m = static_cast<int>(route.size());
    const bool with_break = v.break_length > 0 && m > 0, limited = std::isfinite(v.max_work);
    double best = kInfinity, best_depart = 0;
    int best_gap = -1;
    bool best_arrival = true;
    for (int gap = with_break ? 0 : -1; gap <= (with_break ? m : -1); ++gap)
        for (int variant = 0; variant < (with_break && gap > 0 ? 2 : 1); ++variant) {
            const bool on_arrival = variant == 0;
            double depart = v.shift_start;
            if (limited) {
                const double latest = latest_departure(p, v, route, gap, on_arrival);
                if (!(latest >= v.shift_start - 1e-9)) continue;
                depart = std::max(v.shift_start, latest);
            }
            const double back = forward(p, v, route, gap, on_arrival, depart, nullptr);
            if (!std::isfinite(back) || (limited && back - depart > v.max_work + 1e-9)) continue;
            const double key = limited ? back - depart : back;  // the shortest day, or back soonest
            if (key < best - 1e-12) best = key, best_depart = depart, best_gap = gap, best_arrival = on_arrival;
        }
    if (!std::isfinite(best)) return false;
    if (out) {
        forward(p, v, route, best_gap, best_arrival, best_depart, out);
        // Leave as late as possible without delaying the first visit (or the break before it).
        if (!limited && !out->stops.empty() && best_gap != 0 && out->stops.front().waiting > 0) {
            const double shift = out->stops.front().waiting;
            out->depart += shift;
            out->stops.front().arrival += shift;
            out->waiting -= shift;
            out->stops.front().waiting = 0;
        }
    }
    return true;
}

Schedule schedule_route(const Problem& p, int vehicle, const std::vector<int>& route) {
    const Vehicle& v = p.vehicles[vehicle];
    Schedule s;
    s.depart = v.shift_start;
    if (route.empty()) {
        s.back = v.shift_start;
        return s;
    }
    double now = v.shift_start;
    if (v.break_length > 0) {
        Schedule planned;
        if (plan_route(p, vehicle, route, &planned)) return planned;
    }
    if (std::isfinite(v.max_work)) {
        now = std::max(now, latest_departure(p, v, route));
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

void join_groups(Problem& p) {
    std::map<int, std::vector<std::size_t>> members;
    for (std::size_t v = 0; v < p.vehicles.size(); ++v)
        if (p.vehicles[v].group >= 0) members[p.vehicles[v].group].push_back(v);
    for (const auto& [group, list] : members) {
        Vehicle joint = p.vehicles[list.front()];
        for (std::size_t v : list) {
            const Vehicle& m = p.vehicles[v];
            joint.shift_start = std::max(joint.shift_start, m.shift_start);
            joint.shift_end = std::min(joint.shift_end, m.shift_end);
            joint.capacity = std::min(joint.capacity, m.capacity);
            joint.max_visits = std::min(joint.max_visits, m.max_visits);
            joint.max_work = std::min(joint.max_work, m.max_work);
            if (m.break_length > 0) {
                const double open = joint.break_length > 0 ? std::max(joint.break_open, m.break_open) : m.break_open;
                const double close = joint.break_length > 0 ? std::min(joint.break_close, m.break_close) : m.break_close;
                const double length = std::max(joint.break_length, m.break_length);
                if (close - open >= length) joint.break_length = length, joint.break_open = open, joint.break_close = close;
            }
        }
        for (std::size_t v : list) {
            const std::uint64_t skills = p.vehicles[v].skills;
            p.vehicles[v] = joint;
            p.vehicles[v].skills = skills;
        }
    }
}

std::vector<std::string> validate(const Problem& p, const Solution& s, bool all_required) {
    std::vector<std::string> errors;
    char buf[256];
    const double eps = 1e-6;
    std::vector<int> seen(p.jobs.size(), 0);
    if (s.routes.size() > p.vehicles.size()) errors.push_back("more routes than vehicles");
    // Caravans: the skills the group carries, its first member (which counts its jobs), and
    // each member's arrivals, compared after the replay.
    std::map<int, std::uint64_t> group_skills;
    std::map<int, std::size_t> group_first;
    for (std::size_t v = 0; v < p.vehicles.size(); ++v)
        if (p.vehicles[v].group >= 0) {
            group_skills[p.vehicles[v].group] |= p.vehicles[v].skills;
            if (!group_first.count(p.vehicles[v].group)) group_first[p.vehicles[v].group] = v;
        }
    std::vector<std::vector<double>> arrivals(s.routes.size());
    for (std::size_t v = 0; v < s.routes.size() && v < p.vehicles.size(); ++v) {
        const auto& route = s.routes[v];
        const Vehicle& veh = p.vehicles[v];
        if (veh.group >= 0 && group_first[veh.group] != v) {
            const std::size_t first = group_first[veh.group];
            if (first < s.routes.size() && s.routes[first] != route) {
                std::snprintf(buf, sizeof buf, "vehicle %zu: not the route of vehicle %zu, with which it travels as one (group %d)", v, first, veh.group);
                errors.push_back(buf);
            }
            if (veh.start != p.vehicles[first].start || veh.end != p.vehicles[first].end) {
                std::snprintf(buf, sizeof buf, "vehicle %zu: starts or ends elsewhere than vehicle %zu of its group %d", v, first, veh.group);
                errors.push_back(buf);
            }
        }
        if (route.empty()) continue;
        const bool counts = veh.group < 0 || group_first[veh.group] == v;  // a caravan serves each job once
        const std::uint64_t skills = veh.group >= 0 ? group_skills[veh.group] : veh.skills;
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
            if (counts) ++seen[j];
            const Job& job = p.jobs[j];
            const double d = p.t(prev, job.node);
            if (!std::isfinite(d)) {
                std::snprintf(buf, sizeof buf, "vehicle %zu: no route to job %d", v, j);
                errors.push_back(buf);
                now = kInfinity;
            }
            if ((job.needs & ~skills) != 0) {
                std::snprintf(buf, sizeof buf, "vehicle %zu: job %d needs skills the vehicle does not have", v, j);
                errors.push_back(buf);
            }
            // The first window still open on arrival (its own scan, not earliest_start()).
            std::vector<std::pair<double, double>> windows = job.windows;
            if (windows.empty()) windows.push_back({job.open, job.close});
            const double arrival = now + d;
            arrivals[v].push_back(arrival);
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
        if ((std::isfinite(veh.max_work) || veh.break_length > 0) && std::isfinite(now)) {
            // Its own replay: for each place of the break (after `gap` stops, on arriving at the
            // next place or before leaving the last; none without a break), the latest departure
            // that still works, found by bisection (leaving earlier never hurts), and the
            // working time from it (leaving later never lengthens the day).
            const double L = veh.break_length, bo = veh.break_open, bc = veh.break_close;
            auto back_when_leaving = [&](double depart, int gap, bool on_arrival) {
                double t = depart;
                int at = veh.start;
                for (std::size_t k = 0; k <= route.size(); ++k) {
                    const bool here = gap == static_cast<int>(k);
                    if (here && !on_arrival) {
                        t = std::max(t, bo) + L;
                        if (t > bc + eps) return kInfinity;
                    }
                    const int to = k < route.size() ? p.jobs[route[k]].node : veh.end;
                    t += p.t(at, to);
                    if (here && on_arrival) {
                        t = std::max(t, bo) + L;
                        if (t > bc + eps) return kInfinity;
                    }
                    if (k == route.size()) break;
                    const Job& job = p.jobs[route[k]];
                    std::vector<std::pair<double, double>> windows = job.windows;
                    if (windows.empty()) windows.push_back({job.open, job.close});
                    const double arrival = t;
                    t = kInfinity;
                    for (const auto& w : windows)
                        if (arrival <= w.second + eps) {
                            t = std::max(arrival, w.first);
                            break;
                        }
                    t += job.service;
                    at = to;
                }
                return t;
            };
            double least = kInfinity;
            const int gaps = veh.break_length > 0 ? static_cast<int>(route.size()) : -1;
            for (int gap = veh.break_length > 0 ? 0 : -1; gap <= gaps; ++gap)
                for (bool on_arrival : {true, false}) {
                    if (!on_arrival && gap <= 0) continue;
                    if (!(back_when_leaving(veh.shift_start, gap, on_arrival) <= veh.shift_end + eps)) continue;
                    double lo = veh.shift_start, hi = std::isfinite(veh.shift_end) ? veh.shift_end : veh.shift_start + 1e7;
                    for (int k = 0; k < 100; ++k) {
                        const double mid = 0.5 * (lo + hi);
                        (back_when_leaving(mid, gap, on_arrival) <= veh.shift_end + eps ? lo : hi) = mid;
                    }
                    least = std::min(least, back_when_leaving(lo, gap, on_arrival) - lo);
                }
            if (!std::isfinite(least)) {
                std::snprintf(buf, sizeof buf, "vehicle %zu: no place for its %.6f break inside %.6f-%.6f", v, L, bo, bc);
                errors.push_back(buf);
            } else if (least > veh.max_work + 1e-4) {
                std::snprintf(buf, sizeof buf, "vehicle %zu: works %.6f at the least, more than its limit of %.6f", v, least, veh.max_work);
                errors.push_back(buf);
            }
        }
        if (load > veh.capacity + eps) {
            std::snprintf(buf, sizeof buf, "vehicle %zu: load %.6f exceeds its capacity %.6f", v, load, veh.capacity);
            errors.push_back(buf);
        }
    }
    for (std::size_t v = 0; v < s.routes.size() && v < p.vehicles.size(); ++v) {
        const int g = p.vehicles[v].group;
        if (g < 0 || group_first[g] == v || group_first[g] >= s.routes.size() || s.routes[v] != s.routes[group_first[g]]) continue;
        const auto &mine = arrivals[v], &theirs = arrivals[group_first[g]];
        for (std::size_t k = 0; k < mine.size() && k < theirs.size(); ++k)
            if (!(std::fabs(mine[k] - theirs[k]) <= eps)) {  // also when the replay left one of them unfinished
                std::snprintf(buf, sizeof buf, "vehicle %zu: reaches stop %zu at %.6f, vehicle %zu of its group at %.6f: they do not arrive together", v, k + 1,
                              mine[k], group_first[g], theirs[k]);
                errors.push_back(buf);
                break;
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
