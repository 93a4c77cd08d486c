#include "program/calendar_files.hpp"

#include "core/error.hpp"
#include "core/text.hpp"
#include "jobs/report.hpp"
#include "program/dates.hpp"
#include "write/csv.hpp"

#include <libical/ical.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <numeric>

namespace nightout::program {

namespace {

std::string clock_text(int minutes) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%02d:%02d", (minutes / 60) % 24, minutes % 60);
    return buf;
}

std::string site_label(const SiteInfo& s) { return s.name.empty() ? s.id : s.name; }

// A UID stable across runs: the date and the site's source and id.
std::string uid_of(const ProgramData& d, int slot) {
    const SiteInfo& s = d.sites[d.solution.calendar[slot]];
    std::string id;
    for (char c : s.source + "-" + s.id) id += std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' ? c : '_';
    return compact_date(d.instance.slot_day[slot]) + "-" + id + "@nightout";
}

struct CompDeleter {
    void operator()(icalcomponent* c) const { icalcomponent_free(c); }
};

icaltimetype local_time(int day, int minutes) {
    icaltimetype t = icaltime_null_time();
    const std::string date = date_text(day + minutes / (24 * 60));
    t.year = std::stoi(date.substr(0, 4));
    t.month = std::stoi(date.substr(5, 2));
    t.day = std::stoi(date.substr(8, 2));
    t.hour = (minutes / 60) % 24;
    t.minute = minutes % 60;
    t.second = 0;
    t.is_date = 0;
    return t;
}

}  // namespace

void check_timezone(const std::string& tz) {
    if (!icaltimezone_get_builtin_timezone(tz.c_str()))
        throw_usage("--timezone: '" + tz + "' is not an IANA time zone; expected e.g. America/New_York or Europe/Zurich");
}

std::vector<std::vector<int>> reach_days(const ProgramData& d) {
    std::vector<std::vector<int>> days(d.areas.size());
    for (std::size_t s = 0; s < d.instance.slots(); ++s) {
        const int j = d.solution.calendar[s];
        if (j < 0) continue;
        for (int a : d.instance.reach[j]) days[a].push_back(d.instance.slot_day[s]);
    }
    return days;
}

int longest_gap_days(const std::vector<int>& days, int from, int to) {
    if (days.empty()) return to - from + 1;
    int gap = days.front() - from;
    for (std::size_t i = 1; i < days.size(); ++i) gap = std::max(gap, days[i] - days[i - 1]);
    return std::max(gap, to - days.back());
}

api::ProgramResult write_outputs(const GeosContext& ctx, const ProgramData& d, const OutputDir& out, const std::vector<Format>& formats, Study& study,
                                 std::vector<OutLayer>* layers) {
    api::ProgramResult res;
    const Instance& in = d.instance;
    const Calendar& cal = d.solution.calendar;
    const std::size_t A = d.areas.size();
    const Staffing& st = d.staffing;
    std::vector<std::string> files;

    // calendar.csv
    std::vector<char> reached(static_cast<std::size_t>(in.windows) * A, 0);
    int events = 0, fixed_events = 0, unstaffed = 0;
    auto fixed_name = [&](std::size_t s) -> std::string {
        if (in.fixed_site[s] < 0) return {};
        for (const auto& [day, name] : d.fixed_names)
            if (day == in.slot_day[s]) return name;
        return {};
    };
    std::vector<int> site_events(d.sites.size(), 0);
    {
        CsvWriter csv(out.file("calendar.csv"), study.shown(out.file("calendar.csv")));
        for (const char* h : {"date", "weekday", "start", "end", "window", "site_id", "site", "source", "lon", "lat", "fixed", "areas_reached",
                              "residents_reached", "residents_first_in_window", "officers", "unstaffed_reason", "event", "area_ids"})
            csv.text(h);
        csv.end_row();
        static const char* kDay[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
        for (std::size_t s = 0; s < in.slots(); ++s) {
            const int j = cal[s];
            if (j < 0) continue;
            ++events;
            fixed_events += in.fixed_site[s] >= 0;
            ++site_events[j];
            const SiteInfo& site = d.sites[j];
            double residents = 0, first = 0;
            char* r = reached.data() + static_cast<std::size_t>(in.slot_window[s]) * A;
            for (int a : in.reach[j]) {
                residents += d.areas[a].population;
                if (!r[a]) first += d.areas[a].population, r[a] = 1;
            }
            std::string officers;
            if (st.given)
                for (int t : st.teams_of_slot[s]) officers += (officers.empty() ? "" : ";") + st.teams[t].id;
            const std::string reason = st.given ? st.unstaffed_reason[s] : "";
            unstaffed += !reason.empty();
            csv.text(date_text(in.slot_day[s])).text(kDay[weekday(in.slot_day[s])]).text(clock_text(d.start_min)).text(clock_text(d.start_min + d.length_min));
            csv.integer(in.slot_window[s] + 1).text(site.id).text(site_label(site)).text(site.source).fixed(site.lonlat.lon, 6).fixed(site.lonlat.lat, 6);
            csv.text(in.fixed_site[s] >= 0 ? "yes" : "no").integer(static_cast<long long>(in.reach[j].size())).fixed(residents, 0).fixed(first, 0);
            api::ProgramEvent ev;
            ev.date = date_text(in.slot_day[s]);
            ev.weekday = kDay[weekday(in.slot_day[s])];
            ev.start = clock_text(d.start_min);
            ev.end = clock_text(d.start_min + d.length_min);
            ev.window = in.slot_window[s] + 1;
            ev.site_id = site.id;
            ev.site = site_label(site);
            ev.source = site.source;
            ev.lon = site.lonlat.lon;
            ev.lat = site.lonlat.lat;
            ev.fixed = in.fixed_site[s] >= 0;
            ev.event = fixed_name(s);
            for (int a : in.reach[j]) ev.area_ids.push_back(d.areas[a].id);
            ev.residents_reached = residents;
            ev.residents_first_in_window = first;
            if (st.given)
                for (int t : st.teams_of_slot[s]) ev.officers.push_back(st.teams[t].id);
            ev.unstaffed_reason = reason;
            std::string ids;
            for (const auto& id : ev.area_ids) ids += (ids.empty() ? "" : ";") + id;
            csv.text(officers).text(reason).text(ev.event).text(ids);
            csv.end_row();
            res.calendar.push_back(std::move(ev));
        }
        csv.close();
        files.push_back("calendar.csv");
    }

    // calendar.ics: one VEVENT per event, times in the study's zone (its VTIMEZONE included).
    {
        icaltimezone* zone = icaltimezone_get_builtin_timezone(d.timezone.c_str());
        std::unique_ptr<icalcomponent, CompDeleter> vcal(icalcomponent_new_vcalendar());
        icalcomponent_add_property(vcal.get(), icalproperty_new_version("2.0"));
        icalcomponent_add_property(vcal.get(), icalproperty_new_prodid("-//nightout//program//EN"));
        icalcomponent_add_property(vcal.get(), icalproperty_new_calscale("GREGORIAN"));
        // libical names its zones /freeassociation.sourceforge.net/<IANA name>: the VTIMEZONE
        // gets the IANA name the events' TZID parameters use.
        icalcomponent* vtz = icalcomponent_new_clone(icaltimezone_get_component(zone));
        if (icalproperty* id = icalcomponent_get_first_property(vtz, ICAL_TZID_PROPERTY)) icalproperty_set_tzid(id, d.timezone.c_str());
        icalcomponent_add_component(vcal.get(), vtz);
        // DTSTAMP: the program's first day at midnight UTC, so that a rerun writes the same file.
        icaltimetype stamp = local_time(d.from, 0);
        stamp.zone = icaltimezone_get_utc_timezone();
        for (std::size_t s = 0; s < in.slots(); ++s) {
            const int j = cal[s];
            if (j < 0) continue;
            const SiteInfo& site = d.sites[j];
            icalcomponent* ev = icalcomponent_new_vevent();
            icalcomponent_add_property(ev, icalproperty_new_uid(uid_of(d, static_cast<int>(s)).c_str()));
            icalcomponent_add_property(ev, icalproperty_new_dtstamp(stamp));
            icaltimetype start = local_time(in.slot_day[s], d.start_min), end = local_time(in.slot_day[s], d.start_min + d.length_min);
            icalproperty* ps = icalproperty_new_dtstart(start);
            icalproperty_add_parameter(ps, icalparameter_new_tzid(d.timezone.c_str()));
            icalcomponent_add_property(ev, ps);
            icalproperty* pe = icalproperty_new_dtend(end);
            icalproperty_add_parameter(pe, icalparameter_new_tzid(d.timezone.c_str()));
            icalcomponent_add_property(ev, pe);
            const std::string own = fixed_name(s);
            icalcomponent_add_property(ev, icalproperty_new_summary((own.empty() ? "Community event: " + site_label(site) : own).c_str()));
            icalcomponent_add_property(ev, icalproperty_new_location(site_label(site).c_str()));
            icalgeotype geo;
            geo.lat = std::round(site.lonlat.lat * 1e6) / 1e6;
            geo.lon = std::round(site.lonlat.lon * 1e6) / 1e6;
            icalcomponent_add_property(ev, icalproperty_new_geo(geo));
            double residents = 0;
            for (int a : in.reach[j]) residents += d.areas[a].population;
            std::string desc = "Reaches " + std::to_string(in.reach[j].size()) + " neighborhood(s), " + format_number(std::round(residents)) +
                               " residents, within " + d.reach_label + ".";
            if (st.given && !st.teams_of_slot[s].empty()) {
                desc += " Officers:";
                for (int t : st.teams_of_slot[s]) desc += " " + st.teams[t].name + ";";
                desc.pop_back();
                desc += ".";
            }
            if (st.given && !st.unstaffed_reason[s].empty()) desc += " Not staffed: " + st.unstaffed_reason[s] + ".";
            icalcomponent_add_property(ev, icalproperty_new_description(desc.c_str()));
            icalcomponent_add_component(vcal.get(), ev);
        }
        const char* text = icalcomponent_as_ical_string(vcal.get());
        std::ofstream f(out.file("calendar.ics"), std::ios::binary);
        f << text;
        if (!f) throw_output(study.shown(out.file("calendar.ics")) + ": cannot be written");
        files.push_back("calendar.ics");
    }

    // areas_timeline.csv, with why an area misses the target in a window.
    const std::vector<std::vector<int>> days = reach_days(d);
    std::vector<std::vector<int>> covering(A);
    for (std::size_t j = 0; j < d.sites.size(); ++j)
        for (int a : in.reach[j]) covering[a].push_back(static_cast<int>(j));
    std::vector<std::vector<char>> window_allows(in.windows, std::vector<char>(d.sites.size(), 0));
    std::vector<int> window_free_slots(in.windows, 0);
    for (std::size_t s = 0; s < in.slots(); ++s) {
        window_free_slots[in.slot_window[s]] += in.fixed_site[s] < 0;
        for (std::size_t j = 0; j < d.sites.size(); ++j) window_allows[in.slot_window[s]][j] |= in.allowed[s][j];
    }
    int meeting = 0, never_reachable = 0, out_of_season = 0, slots_short = 0;
    double residents_once = 0, residents_target = 0, total_pop = 0;
    std::vector<int> windows_reached(A, 0), longest(A, 0);
    std::vector<std::string> reasons(A);
    {
        CsvWriter csv(out.file("areas_timeline.csv"), study.shown(out.file("areas_timeline.csv")));
        for (const char* h : {"area_id", "name", "population", "rep_lon", "rep_lat", "times_reached", "windows_reached", "windows", "meets_target", "longest_gap_days",
                              "dates_reached", "missed_windows", "reason"})
            csv.text(h);
        csv.end_row();
        for (std::size_t a = 0; a < A; ++a) {
            std::vector<char> hit(in.windows, 0);
            for (int day : days[a]) hit[d.window_of(day)] = 1;
            windows_reached[a] = static_cast<int>(std::count(hit.begin(), hit.end(), 1));
            longest[a] = longest_gap_days(days[a], d.from, d.to);
            const bool meets = windows_reached[a] == in.windows;
            total_pop += d.areas[a].population;
            if (!days[a].empty()) residents_once += d.areas[a].population;
            std::string missed, reason;
            if (meets) {
                ++meeting;
                residents_target += d.areas[a].population;
            } else if (covering[a].empty()) {
                reason = "no site reaches it within " + d.reach_label;
                ++never_reachable;
            } else {
                bool season = false;
                for (int w = 0; w < in.windows; ++w) {
                    if (hit[w]) continue;
                    missed += (missed.empty() ? "" : ";") + std::to_string(w + 1);
                    bool any = false;
                    for (int j : covering[a]) any = any || window_allows[w][j];
                    season = season || (!any && window_free_slots[w] > 0);
                }
                if (season) {
                    reason = "the sites that reach it are not available in a missed window (season, days or months)";
                    ++out_of_season;
                } else {
                    reason = "the window's events went to areas with more residents (more events a week would reach it)";
                    ++slots_short;
                }
            }
            reasons[a] = reason;
            std::string dates;
            for (int day : days[a]) dates += (dates.empty() ? "" : ";") + date_text(day);
            csv.text(d.areas[a].id).text(d.areas[a].name).fixed(d.areas[a].population, 0).number(d.areas[a].lonlat.lon).number(d.areas[a].lonlat.lat);
            csv.integer(static_cast<long long>(days[a].size()));
            csv.integer(windows_reached[a]).integer(in.windows).text(meets ? "yes" : "no").integer(longest[a]).text(dates).text(missed).text(reason);
            csv.end_row();
        }
        csv.close();
        files.push_back("areas_timeline.csv");
    }

    // teams.csv
    if (st.given) {
        CsvWriter csv(out.file("teams.csv"), study.shown(out.file("teams.csv")));
        for (const char* h : {"team_id", "name", "station", "weekly_hours", "events", "hours", "travel_km"}) csv.text(h);
        csv.end_row();
        api::ProgramStaffing ps;
        ps.teams = st.teams.size();
        ps.teams_per_event = static_cast<std::size_t>(st.per_event);
        ps.unstaffed_events = static_cast<std::size_t>(unstaffed);
        ps.method = st.method;
        double lo = st.teams.empty() ? 0 : 1e300, hi = 0, sum = 0, sum2 = 0;
        for (const auto& t : st.teams) {
            csv.text(t.id).text(t.name).text(t.station).number(t.weekly_hours).integer(t.events).number(t.hours).fixed(t.travel_km, 1);
            csv.end_row();
            lo = std::min(lo, t.hours);
            hi = std::max(hi, t.hours);
            sum += t.hours;
            sum2 += t.hours * t.hours;
            ps.travel_km += t.travel_km;
            ps.team_list.push_back({t.id, t.name, t.station, t.weekly_hours, t.hours, t.travel_km, static_cast<std::size_t>(t.events)});
        }
        csv.close();
        files.push_back("teams.csv");
        const double n = static_cast<double>(std::max<std::size_t>(st.teams.size(), 1));
        ps.hours_min = lo;
        ps.hours_max = hi;
        ps.hours_spread = hi - lo;
        ps.hours_mean = sum / n;
        ps.hours_sd = std::sqrt(std::max(0.0, sum2 / n - ps.hours_mean * ps.hours_mean));
        std::map<std::string, std::size_t> why;
        for (const auto& r : st.unstaffed_reason)
            if (!r.empty()) ++why[r];
        ps.unstaffed_reasons.assign(why.begin(), why.end());
        res.staffing = std::move(ps);
    }

    // Layers: sites used (with counts) and areas (times reached, longest gap).
    OutLayer sites_layer("program_sites", OutGeom::Point), areas_layer("program_areas", OutGeom::Polygon);
    sites_layer.kind = LayerKind::Sites;
    sites_layer.title = "Program sites";
    for (const char* f : {"id", "name", "source"}) sites_layer.add_field(f, FieldType::String);
    sites_layer.add_field("events", FieldType::Integer);
    sites_layer.add_field("first_date", FieldType::String);
    for (std::size_t j = 0; j < d.sites.size(); ++j) {
        if (site_events[j] == 0) continue;
        std::string first;
        for (std::size_t s = 0; s < in.slots() && first.empty(); ++s)
            if (cal[s] == static_cast<int>(j)) first = date_text(in.slot_day[s]);
        const SiteInfo& s = d.sites[j];
        sites_layer.wkb.push_back(to_wkb(ctx, s.dataset->features[s.feature].geom.get()));
        sites_layer.rows.push_back({s.id, s.name, s.source, static_cast<std::int64_t>(site_events[j]), first});
    }
    areas_layer.kind = LayerKind::Areas;
    areas_layer.title = "Program: times reached";
    areas_layer.value_field = "windows_share";
    for (const char* f : {"id", "name"}) areas_layer.add_field(f, FieldType::String);
    areas_layer.add_field("population", FieldType::Real);
    areas_layer.add_field("times_reached", FieldType::Integer);
    areas_layer.add_field("windows_reached", FieldType::Integer);
    areas_layer.add_field("windows_share", FieldType::Real);
    areas_layer.add_field("longest_gap_days", FieldType::Integer);
    areas_layer.add_field("reason", FieldType::String);
    for (std::size_t a = 0; a < A; ++a) {
        areas_layer.wkb.push_back(to_wkb(ctx, d.areas_dataset->features[d.areas[a].feature].geom.get()));
        areas_layer.rows.push_back({d.areas[a].id, d.areas[a].name, d.areas[a].population, static_cast<std::int64_t>(days[a].size()),
                                    static_cast<std::int64_t>(windows_reached[a]), static_cast<double>(windows_reached[a]) / in.windows,
                                    static_cast<std::int64_t>(longest[a]), reasons[a]});
    }
    {
        LayerWriter writer(out, formats, "program.gpkg");
        writer.add(sites_layer);
        writer.add(areas_layer);
        for (const auto& f : writer.finish()) files.push_back(f);
    }
    if (layers) {
        layers->push_back(std::move(sites_layer));
        layers->push_back(std::move(areas_layer));
    }

    const Solution& sol = d.solution;
    int empty_slots = 0;
    for (std::size_t s = 0; s < in.slots(); ++s) empty_slots += cal[s] < 0;
    res.from = date_text(d.from);
    res.to = date_text(d.to);
    res.timezone = d.timezone;
    res.reach = d.reach_label;
    res.cadence = d.cadence;
    res.areas = A;
    res.candidate_sites = static_cast<std::size_t>(std::count_if(d.sites.begin(), d.sites.end(), [](const SiteInfo& s) { return !s.fixed; }));
    res.slots = in.slots();
    res.blacked_out_days = static_cast<std::size_t>(d.blacked_out);
    res.windows = static_cast<std::size_t>(in.windows);
    res.window_days = d.every_days;
    for (int w = 0; w < in.windows; ++w) res.window_list.push_back({w + 1, date_text(d.window_first(w)), date_text(d.window_last(w))});
    res.site_gap_days = in.site_gap_days;
    res.events = static_cast<std::size_t>(events);
    res.fixed_events = static_cast<std::size_t>(fixed_events);
    res.empty_slots = static_cast<std::size_t>(empty_slots);
    for (std::size_t j = 0; j < d.sites.size(); ++j) res.sites_at_capacity += in.capacity(j) >= 0 && site_events[j] >= in.capacity(j);
    if (st.given) res.officer_hours = events * st.per_event * d.length_min / 60.0;
    res.objective.value = sol.objective;
    res.objective.bound = sol.bound;
    res.objective.gap = sol.gap;
    res.objective.proven_optimal = sol.proven_optimal;
    res.objective.method = sol.method;
    res.objective.heuristic_value = sol.heuristic_objective;
    res.objective.heuristic_seconds = round_to(sol.heuristic_seconds, 0.001);
    res.objective.bound_seconds = round_to(sol.bound_seconds, 0.001);
    if (sol.exact_seconds) res.objective.exact_seconds = round_to(*sol.exact_seconds, 0.001);
    res.target.every_days = d.every_days;
    res.target.areas_meeting = static_cast<std::size_t>(meeting);
    res.target.areas_missing = A - static_cast<std::size_t>(meeting);
    res.target.missing_no_site_in_reach = static_cast<std::size_t>(never_reachable);
    res.target.missing_out_of_season = static_cast<std::size_t>(out_of_season);
    res.target.missing_too_few_events = static_cast<std::size_t>(slots_short);
    res.target.residents_meeting = residents_target;
    res.residents = total_pop;
    res.residents_reached_once = residents_once;
    res.residents_reached_share = total_pop > 0 ? residents_once / total_pop : 0;
    res.solve_seconds = round_to(d.solve_seconds, 0.001);
    // Per calendar month of the period: its events and the areas they reach.
    for (int day = d.from; day <= d.to; ++day) {
        const std::string m = date_text(day).substr(0, 7);
        if (res.months.empty() || res.months.back().month != m) res.months.push_back({m, 0, {}, 0});
    }
    {
        std::vector<char> hit(A, 0);
        std::size_t mi = 0;
        auto close_month = [&] {
            for (std::size_t a = 0; a < A; ++a)
                if (hit[a]) res.months[mi].area_ids.push_back(d.areas[a].id), res.months[mi].residents += d.areas[a].population;
            std::fill(hit.begin(), hit.end(), 0);
        };
        for (std::size_t s = 0; s < in.slots(); ++s) {
            if (cal[s] < 0) continue;
            const std::string m = date_text(in.slot_day[s]).substr(0, 7);
            while (res.months[mi].month != m) close_month(), ++mi;
            ++res.months[mi].events;
            for (int a : in.reach[cal[s]]) hit[a] = 1;
        }
        close_month();
    }
    res.files = files;
    return res;
}

}  // namespace nightout::program
