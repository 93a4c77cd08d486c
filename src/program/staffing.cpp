#include "program/staffing.hpp"

#include "analyse/travel.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "geo/geodesic.hpp"

#include <algorithm>
#include <cmath>
#include <map>

namespace nightout::program {

double staffing_cost(const StaffingProblem& p, const std::vector<std::vector<int>>& teams) {
    std::vector<double> h(p.weekly_hours.size(), 0.0);
    double km = 0;
    for (std::size_t e = 0; e < teams.size(); ++e)
        for (int t : teams[e]) km += p.km[e][t], h[t] += p.hours;
    double sq = 0;
    for (double x : h) sq += x * x;
    return km + p.beta * sq;
}

StaffingPlan assign_teams(const StaffingProblem& p) {
    const std::size_t E = p.event_week.size(), T = p.weekly_hours.size();
    StaffingPlan plan;
    plan.teams.assign(E, {});
    plan.unstaffed.assign(E, {});
    std::vector<double> year(T, 0.0);
    std::map<std::pair<std::size_t, int>, double> week;  // (team, week) -> hours
    auto fits = [&](std::size_t t, int w) { return week[{t, w}] + p.hours <= p.weekly_hours[t] + 1e-9; };
    // Marginal J of team t taking event e.
    auto marginal = [&](std::size_t e, std::size_t t) { return p.km[e][t] + p.beta * (2 * year[t] * p.hours + p.hours * p.hours); };
    for (std::size_t e = 0; e < E; ++e) {
        if (p.per_event == 0) continue;
        std::vector<std::pair<double, std::size_t>> cands;
        std::size_t out_of_hours = 0;
        for (std::size_t t = 0; t < T; ++t) {
            if (!fits(t, p.event_week[e])) {
                ++out_of_hours;
                continue;
            }
            cands.push_back({marginal(e, t), t});
        }
        std::sort(cands.begin(), cands.end());
        if (cands.size() < static_cast<std::size_t>(p.per_event)) {
            plan.unstaffed[e] = std::to_string(cands.size()) + " of " + std::to_string(p.per_event) + " teams available: " + std::to_string(out_of_hours) +
                                " of " + std::to_string(T) + " have no " + format_number(p.hours) + " h left in that week";
            continue;
        }
        for (int k = 0; k < p.per_event; ++k) {
            const std::size_t t = cands[k].second;
            plan.teams[e].push_back(static_cast<int>(t));
            week[{t, p.event_week[e]}] += p.hours;
            year[t] += p.hours;
        }
    }
    // Local search: replace one team of an event by another, or trade teams between two events.
    const double tol = 1e-9;
    auto on = [&](std::size_t e, std::size_t t) { return std::find(plan.teams[e].begin(), plan.teams[e].end(), static_cast<int>(t)) != plan.teams[e].end(); };
    for (bool again = true; again;) {
        again = false;
        for (std::size_t e = 0; e < E; ++e)
            for (std::size_t k = 0; k < plan.teams[e].size(); ++k) {
                const std::size_t a = static_cast<std::size_t>(plan.teams[e][k]);
                double best = -tol;
                std::size_t pick = T;
                for (std::size_t b = 0; b < T; ++b) {
                    if (b == a || on(e, b) || !fits(b, p.event_week[e])) continue;
                    const double d = p.km[e][b] - p.km[e][a] + p.beta * 2 * p.hours * (year[b] - year[a] + p.hours);
                    if (d < best) best = d, pick = b;
                }
                if (pick == T) continue;
                plan.teams[e][k] = static_cast<int>(pick);
                week[{a, p.event_week[e]}] -= p.hours;
                week[{pick, p.event_week[e]}] += p.hours;
                year[a] -= p.hours;
                year[pick] += p.hours;
                ++plan.moves;
                again = true;
            }
        // Exchanges keep every team's year hours: only travel and the weekly limits matter.
        for (std::size_t e = 0; e < E; ++e)
            for (std::size_t f = e + 1; f < E; ++f)
                for (std::size_t k = 0; k < plan.teams[e].size(); ++k)
                    for (std::size_t l = 0; l < plan.teams[f].size(); ++l) {
                        const std::size_t a = static_cast<std::size_t>(plan.teams[e][k]), b = static_cast<std::size_t>(plan.teams[f][l]);
                        if (a == b || on(e, b) || on(f, a)) continue;
                        const double d = p.km[e][b] + p.km[f][a] - p.km[e][a] - p.km[f][b];
                        if (d >= -tol) continue;
                        const int we = p.event_week[e], wf = p.event_week[f];
                        if (we != wf) {
                            week[{a, we}] -= p.hours, week[{b, wf}] -= p.hours;
                            const bool ok = fits(b, we) && fits(a, wf);
                            week[{a, we}] += p.hours, week[{b, wf}] += p.hours;
                            if (!ok) continue;
                            week[{a, we}] -= p.hours, week[{b, we}] += p.hours;
                            week[{b, wf}] -= p.hours, week[{a, wf}] += p.hours;
                        }
                        plan.teams[e][k] = static_cast<int>(b);
                        plan.teams[f][l] = static_cast<int>(a);
                        ++plan.moves;
                        again = true;
                    }
    }
    plan.cost = staffing_cost(p, plan.teams);
    return plan;
}

Staffing staff(const GeosContext& ctx, const ProgramData& data, const Table& T, const Dataset* stations, int per_event, double default_hours) {
    Staffing st;
    st.given = true;
    st.per_event = per_event;
    const int f_id = T.field("id"), f_name = T.field("name"), f_station = T.field("start") >= 0 ? T.field("start") : T.field("station"),
              f_hours = T.field("weekly_hours");
    if (f_station < 0) throw_input(T.path + ": no 'start' or 'station' field; each team needs its station (an id or name of --stations)");
    if (!stations) throw_usage("--teams needs --stations: the teams' stations are named in their 'start' field");
    for (std::size_t r = 0; r < T.rows.size(); ++r) {
        const auto& row = T.rows[r];
        Staffing::Team t;
        t.id = f_id >= 0 ? row[f_id] : std::to_string(r + 1);
        t.name = f_name >= 0 ? row[f_name] : t.id;
        t.station = row[f_station];
        bool found = false;
        for (const Feature& s : stations->features)
            if (lower(s.id) == lower(t.station) || (!s.name.empty() && lower(s.name) == lower(t.station))) {
                point_xy(ctx, s.geom.get(), t.lonlat.lon, t.lonlat.lat);
                found = true;
                break;
            }
        if (!found) throw_input(T.path + ": " + T.where[r] + ": field start: no station '" + t.station + "' in " + stations->path);
        t.weekly_hours = default_hours;
        if (f_hours >= 0 && !trim(row[f_hours]).empty()) {
            const std::optional<double> h = parse_number(trim(row[f_hours]));
            if (!h || *h < 0 || *h > 168) throw_input(T.path + ": " + T.where[r] + ": field weekly_hours: '" + row[f_hours] + "' is not a number of hours from 0 to 168");
            t.weekly_hours = *h;
        }
        st.teams.push_back(t);
    }
    const Instance& in = data.instance;
    const Calendar& cal = data.solution.calendar;
    const double hours = data.length_min / 60.0;
    st.teams_of_slot.assign(in.slots(), {});
    st.unstaffed_reason.assign(in.slots(), {});
    auto week_of = [&](int day) { return (day + 3) / 7; };  // weeks from Monday (1970-01-01 was a Thursday)
    StaffingProblem p;
    p.hours = hours;
    p.per_event = per_event;
    for (const auto& t : st.teams) p.weekly_hours.push_back(t.weekly_hours);
    std::vector<std::size_t> slot_of;
    for (std::size_t s = 0; s < in.slots(); ++s) {
        if (cal[s] < 0) continue;
        slot_of.push_back(s);
        p.event_week.push_back(week_of(in.slot_day[s]));
        const LonLat at = data.sites[cal[s]].lonlat;
        std::vector<double> km;
        for (const auto& t : st.teams) km.push_back(2 * geodesic_distance(t.lonlat.lon, t.lonlat.lat, at.lon, at.lat) / 1000);
        p.km.push_back(std::move(km));
    }
    const StaffingPlan plan = assign_teams(p);
    for (std::size_t e = 0; e < slot_of.size(); ++e) {
        const std::size_t s = slot_of[e];
        st.unstaffed_reason[s] = plan.unstaffed[e];
        for (int t : plan.teams[e]) {
            st.teams_of_slot[s].push_back(t);
            st.teams[t].hours += hours;
            st.teams[t].events += 1;
            st.teams[t].travel_km += p.km[e][t];
        }
    }
    st.method = "least travel km + " + format_number(p.beta) + " x (year hours)^2, greedy by date then " + std::to_string(plan.moves) +
                " replace/exchange moves";
    return st;
}

}  // namespace nightout::program
