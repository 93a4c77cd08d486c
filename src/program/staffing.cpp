#include "program/staffing.hpp"

#include "analyse/travel.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "geo/geodesic.hpp"

#include <algorithm>
#include <cmath>
#include <map>

namespace nightout::program {

namespace {
constexpr double kBalanceKmPerHour = 0.5;
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
    std::map<std::pair<std::size_t, int>, double> week_hours;  // (team, week) -> hours
    auto week_of = [&](int day) { return (day + 3) / 7; };     // weeks from Monday (1970-01-01 was a Thursday)
    for (std::size_t s = 0; s < in.slots(); ++s) {
        if (cal[s] < 0 || per_event == 0) continue;
        const LonLat at = data.sites[cal[s]].lonlat;
        const int week = week_of(in.slot_day[s]);
        std::vector<std::pair<double, std::size_t>> cands;
        int out_of_hours = 0;
        for (std::size_t t = 0; t < st.teams.size(); ++t) {
            if (week_hours[{t, week}] + hours > st.teams[t].weekly_hours + 1e-9) {
                ++out_of_hours;
                continue;
            }
            cands.push_back({geodesic_distance(st.teams[t].lonlat.lon, st.teams[t].lonlat.lat, at.lon, at.lat), t});
        }
        // Travel first, balance second: each hour a team already worked counts as kBalanceKm more distance.
        auto score = [&](const std::pair<double, std::size_t>& c) { return c.first / 1000 + kBalanceKmPerHour * st.teams[c.second].hours; };
        std::sort(cands.begin(), cands.end(), [&](const auto& a, const auto& b) {
            const double sa = score(a), sb = score(b);
            if (std::abs(sa - sb) > 1e-9) return sa < sb;
            return a.second < b.second;
        });
        if (static_cast<int>(cands.size()) < per_event) {
            st.unstaffed_reason[s] = std::to_string(cands.size()) + " of " + std::to_string(per_event) + " teams available: " +
                                     std::to_string(out_of_hours) + " of " + std::to_string(st.teams.size()) + " have no " + format_number(hours) +
                                     " h left in that week";
            continue;
        }
        for (int k = 0; k < per_event; ++k) {
            const std::size_t t = cands[k].second;
            st.teams_of_slot[s].push_back(static_cast<int>(t));
            week_hours[{t, week}] += hours;
            st.teams[t].hours += hours;
            st.teams[t].events += 1;
            st.teams[t].travel_km += 2 * cands[k].first / 1000;  // there and back
        }
    }
    return st;
}

}  // namespace nightout::program
