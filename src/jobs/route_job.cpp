// `nightout route`: read (events, officers, stations) -> prepare (windows, shifts, travel-time
// matrix over the road network or in straight lines) -> analyse (route::solve, then an
// independent validation) -> write (routes, stops, unvisited, schedule, summary).
#include "jobs/route_job.hpp"

#include "analyse/far_off.hpp"
#include "core/output_paths.hpp"
#include "read/ids.hpp"

#include "analyse/study.hpp"
#include "core/error.hpp"
#include "core/memory.hpp"
#include "core/text.hpp"
#include "core/parallel.hpp"
#include "geo/geodesic.hpp"
#include "geo/geos.hpp"
#include "jobs/report.hpp"
#include "network/search.hpp"
#include "report/schedule_html.hpp"
#include "route/clock.hpp"
#include "route/replan.hpp"
#include "network/table.hpp"
#include "route/solver.hpp"
#include "write/output_dir.hpp"
#include "write/style.hpp"
#include "write/vector_writer.hpp"

#include <cerrno>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iomanip>
#include <map>
#include <optional>
#include <sstream>

namespace nightout {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

using route::clock_text;
using route::parse_clock;

// Unlike core's value_text (15 digits, for messages and ids), reals keep every digit: the
// text is parsed again as a visit length or a priority.
std::string round_trip_text(const Value& v) {
    if (std::holds_alternative<std::string>(v)) return std::get<std::string>(v);
    if (std::holds_alternative<std::int64_t>(v)) return std::to_string(std::get<std::int64_t>(v));
    if (std::holds_alternative<double>(v)) return format_number(std::get<double>(v));  // round-trips
    return "";
}

int field_ci(const Dataset& ds, const std::string& name) {
    for (std::size_t i = 0; i < ds.fields.size(); ++i)
        if (lower(ds.fields[i].name) == lower(name)) return static_cast<int>(i);
    return -1;
}

double parse_number(const std::string& text, bool& ok) {
    const std::optional<double> v = nightout::parse_number(text);
    ok = v.has_value();
    return v.value_or(0);
}

struct Event {
    std::size_t feature;
    LonLat ll;
    double open = 0, close = 0;  // window (seconds after midnight): the first opening and last closing
    std::vector<std::pair<double, double>> windows;  // field `windows`: several, sorted; empty: [open, close]
    std::vector<std::string> needs;                  // field `requires`: units (skills) asked for
    bool must = false;                               // field `must`
    double service = 0, priority = 1;
    int node = -1, job = -1;     // job < 0: not in the problem (reason set)
    std::string reason;
};

struct Officer {
    std::string id, name, where;
    std::string start_label, end_label;  // station name or "lat, lon"
    LonLat start, end;
    double shift_start = 0, shift_end = 0;
    int max_visits = INT_MAX;
    std::vector<std::string> skills;  // field `skills`
    double max_work = route::kInfinity;  // field `max_work` (minutes), in seconds
    double break_length = 0, break_open = 0, break_close = 0;  // field `break`, "30@19:00-20:30", in seconds
    std::string group;                // field `group`: officers or teams travelling as one (a caravan)
    int start_node = -1, end_node = -1;
};

// "k9; Fire" -> {"k9", "fire"}: names split at ';' or ',', trimmed, lower case, no repeats.
std::vector<std::string> skill_list(const std::string& text) {
    std::vector<std::string> out;
    std::string cur;
    for (std::size_t i = 0; i <= text.size(); ++i) {
        if (i == text.size() || text[i] == ';' || text[i] == ',') {
            const std::string name = lower(trim(cur));
            if (!name.empty() && std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
            cur.clear();
        } else {
            cur += text[i];
        }
    }
    return out;
}

// Splits "18:00-21:00" into two clock times.
std::pair<double, double> parse_window(const std::string& text) {
    const auto window = route::parse_clock_window(text);
    std::optional<double> a, b;
    if (window) a = window->first, b = window->second;
    if (!a || !b) throw_usage("--window: '" + text + "' is not a window; expected START-END in HH:MM, e.g. 18:00-21:00");
    if (!(*b > *a)) throw_usage("--window: " + text + " is empty; the end must be after the start");
    return {*a, *b};
}

// --priority FIELD[:high|:low]: each event's priority times the priority index of the area it
// lies in (the share of areas no needier, 1 for the neediest; see equity/equity.hpp). Events in
// no area get the lowest index of any area, and are counted. Returns what summary.json says.
nlohmann::json need_priorities(const GeosContext& ctx, const PrioritySpec& spec, const Dataset& areas, const Dataset& events, std::vector<Event>& ev, Log& log) {
    const std::vector<double> index = priority_index(areas.numeric_field(spec.field, log), spec.high_is_needier);
    if (index.empty()) throw_input(areas.path + ": no areas to take the events' need from");
    const double lowest = *std::min_element(index.begin(), index.end());
    std::vector<PreparedPtr> prepared;
    for (const Feature& a : areas.features) prepared.push_back(prepare(ctx, a.geom.get()));
    std::size_t outside = 0;
    for (Event& e : ev) {
        GeomPtr pt = make_point(ctx, e.ll.lon, e.ll.lat);
        double k = -1;
        for (std::size_t a = 0; a < prepared.size() && k < 0; ++a)
            if (GEOSPreparedIntersects_r(ctx, prepared[a].get(), pt.get()) == 1) k = index[a];
        if (k < 0) k = lowest, ++outside;
        e.priority *= k;
    }
    if (outside > 0)
        log.warn(std::to_string(outside) + " of " + std::to_string(ev.size()) + " events in " + events.path + " lie in no area of " + areas.path +
                 ": they get the lowest priority index of any area (" + format_number(lowest) + ")");
    return {{"field", spec.field},
            {"needier", spec.high_is_needier ? "high" : "low"},
            {"index", "each event's priority (its field, else 1) times the priority index of its area: the share of areas no needier, 1 for the neediest"},
            {"events_outside_areas", outside}};
}

// Each event's window, visit length and priority from its fields (or the default window).
std::vector<Event> event_windows(const GeosContext& ctx, const RouteJob& job, const Dataset& events,
                                 const std::optional<std::pair<double, double>>& default_window) {
    const int f_start = field_ci(events, job.start_field), f_end = field_ci(events, job.end_field);
    const int f_dur = field_ci(events, job.duration_field), f_prio = field_ci(events, job.priority_field);
    const int f_windows = field_ci(events, "windows"), f_requires = field_ci(events, "requires"), f_must = field_ci(events, "must");
    if ((f_start < 0 || f_end < 0) && !default_window && f_windows < 0)
        throw_input(events.path + ": no '" + (f_start < 0 ? job.start_field : job.end_field) + "' field among " + [&] {
            std::string l;
            for (const auto& f : events.fields) l += (l.empty() ? "" : ", ") + f.name;
            return l;
        }() + "; give each event's window in fields start/end (HH:MM), name them with --start-field/--end-field, or give --window 18:00-21:00 for all");
    std::vector<Event> ev(events.features.size());
    for (std::size_t i = 0; i < ev.size(); ++i) {
        const Feature& f = events.features[i];
        Event& e = ev[i];
        e.feature = i;
        point_xy(ctx, f.geom.get(), e.ll.lon, e.ll.lat);
        const std::string at = events.path + ": " + f.where + " (event " + f.id + ")";
        std::string s = f_start >= 0 ? trim(round_trip_text(f.attrs[f_start])) : "", en = f_end >= 0 ? trim(round_trip_text(f.attrs[f_end])) : "";
        const std::string several = f_windows >= 0 ? trim(round_trip_text(f.attrs[f_windows])) : "";
        if (!several.empty()) {
            // "18:00-19:00;20:00-21:00": replaces start/end; sorted, not overlapping.
            std::string part;
            for (std::size_t k = 0; k <= several.size(); ++k) {
                if (k < several.size() && several[k] != ';') {
                    part += several[k];
                    continue;
                }
                const std::string w = trim(part);
                part.clear();
                const auto window = route::parse_clock_window(w);
                std::optional<double> a, b;
                if (window) a = window->first, b = window->second;
                if (!a || !b)
                    throw_input(at + ": field windows: '" + w + "' is not a window; expected START-END in HH:MM, several separated by ';', e.g. 18:00-19:00;20:00-21:00");
                if (!(*b > *a)) throw_input(at + ": field windows: " + w + " is empty; the end must be after the start (past midnight, write e.g. 25:00)");
                if (!e.windows.empty() && *a < e.windows.back().second)
                    throw_input(at + ": field windows: " + w + " starts before the previous window ends; give the windows in time order, not overlapping");
                e.windows.push_back({*a, *b});
            }
            e.open = e.windows.front().first, e.close = e.windows.back().second;
        } else if (s.empty() && en.empty()) {
            if (!default_window)
                throw_input(at + ": no window (fields " + job.start_field + " and " + job.end_field + " are empty); expected HH:MM, or give --window 18:00-21:00");
            e.open = default_window->first, e.close = default_window->second;
        } else {
            const auto a = parse_clock(s), b = parse_clock(en);
            if (!a) throw_input(at + ": field " + job.start_field + ": '" + s + "' is not a time; expected HH:MM or HH:MM:SS");
            if (!b) throw_input(at + ": field " + job.end_field + ": '" + en + "' is not a time; expected HH:MM or HH:MM:SS");
            if (!(*b > *a))
                throw_input(at + ": the window " + s + "-" + en + " is empty; field " + job.end_field + " must be after field " + job.start_field +
                            " (past midnight, write e.g. 25:00)");
            e.open = *a, e.close = *b;
        }
        e.service = job.duration_min * 60;
        if (f_dur >= 0 && !is_null(f.attrs[f_dur])) {
            bool ok = false;
            const double v = parse_number(round_trip_text(f.attrs[f_dur]), ok);
            if (!ok || !(v > 0))
                throw_input(at + ": field " + job.duration_field + ": '" + round_trip_text(f.attrs[f_dur]) + "' is not a visit length; expected minutes above 0");
            e.service = v * 60;
        }
        if (f_prio >= 0 && !is_null(f.attrs[f_prio])) {
            bool ok = false;
            const double v = parse_number(round_trip_text(f.attrs[f_prio]), ok);
            if (!ok || !(v > 0))
                throw_input(at + ": field " + job.priority_field + ": '" + round_trip_text(f.attrs[f_prio]) + "' is not a priority; expected a number above 0");
            e.priority = v;
        }
        if (!e.windows.empty()) {
            // Only the windows long enough for the whole visit count.
            std::vector<std::pair<double, double>> fit;
            for (const auto& w : e.windows)
                if (w.second - w.first >= e.service) fit.push_back(w);
            if (fit.empty()) e.reason = "every window shorter than the visit";
            else e.windows = fit, e.open = fit.front().first, e.close = fit.back().second;
        }
        if (e.close - e.open < e.service) e.reason = "window shorter than the visit";
        if (f_requires >= 0) e.needs = skill_list(round_trip_text(f.attrs[f_requires]));
        if (f_must >= 0 && !is_null(f.attrs[f_must])) {
            const std::string m = lower(trim(round_trip_text(f.attrs[f_must])));
            if (m == "true" || m == "yes" || m == "1") e.must = true;
            else if (!(m.empty() || m == "false" || m == "no" || m == "0"))
                throw_input(at + ": field must: '" + round_trip_text(f.attrs[f_must]) + "' is not a yes/no value; expected true or false (also yes/no, 1/0)");
        }
    }

    return ev;
}

// Each officer or team: start and end (a station or coordinates), shift and visit cap.
std::vector<Officer> read_officers(const GeosContext& ctx, const Table& T, const Dataset* stations) {
    auto col = [&](std::initializer_list<const char*> names) {
        for (const char* n : names)
            if (T.field(n) >= 0) return T.field(n);
        return -1;
    };
    const int o_id = col({"id", "officer", "team"}), o_name = col({"name"}), o_start = col({"start", "station"}), o_end = col({"end", "end_station"});
    const int o_slon = col({"start_lon", "lon"}), o_slat = col({"start_lat", "lat"}), o_elon = col({"end_lon"}), o_elat = col({"end_lat"});
    const int o_ss = col({"shift_start"}), o_se = col({"shift_end"}), o_cap = col({"max_visits"});
    const int o_skills = col({"skills"}), o_work = col({"max_work"}), o_break = col({"break"}), o_group = col({"group", "caravan"});
    const std::string accepted =
        "fields: id, name, start (station id or name; or start_lon/start_lat), end (default: start), shift_start, shift_end (HH:MM), max_visits, skills, max_work (minutes), break (MIN@HH:MM-HH:MM), group (travelling as one)";
    if (o_id < 0) throw_input(T.path + ": no 'id' field; " + accepted);
    if (o_ss < 0 || o_se < 0) throw_input(T.path + ": no '" + std::string(o_ss < 0 ? "shift_start" : "shift_end") + "' field; " + accepted);
    if (o_start < 0 && (o_slon < 0 || o_slat < 0)) throw_input(T.path + ": no 'start' field (station) and no start_lon/start_lat; " + accepted);
    std::vector<Officer> officers;
    auto station_list = [&] {
        std::string l;
        if (!stations) return l;
        for (std::size_t i = 0; i < stations->features.size() && i < 8; ++i)
            l += (i ? ", " : "") + stations->features[i].id + (stations->features[i].name.empty() ? "" : " (" + stations->features[i].name + ")");
        if (stations->features.size() > 8) l += ", ...";
        return l;
    };
    auto locate = [&](const std::string& at, const std::string& field, const std::string& value, const std::string& lon_text, const std::string& lat_text,
                      LonLat& ll, std::string& label) {
        if (!value.empty()) {
            if (!stations)
                throw_input(at + ": field " + field + ": '" + value + "' names a station, but no --stations file was given; give --stations or start_lon/start_lat");
            for (const Feature& s : stations->features)
                if (lower(s.id) == lower(value) || (!s.name.empty() && lower(s.name) == lower(value))) {
                    point_xy(ctx, s.geom.get(), ll.lon, ll.lat);
                    label = s.name.empty() ? s.id : s.name;
                    return;
                }
            throw_input(at + ": field " + field + ": no station '" + value + "' in " + stations->path + "; expected one of its ids or names: " + station_list() + id_field_hint(*stations, value));
        }
        bool ok1 = false, ok2 = false;
        ll.lon = parse_number(lon_text, ok1);
        ll.lat = parse_number(lat_text, ok2);
        if (!ok1 || !ok2 || std::fabs(ll.lat) > 90 || std::fabs(ll.lon) > 180)
            throw_input(at + ": field " + field + ": no station and no valid " + field + "_lon/" + field + "_lat ('" + lon_text + "', '" + lat_text +
                        "'); expected a station id or name, or longitude and latitude in degrees");
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.6f, %.6f", ll.lat, ll.lon);
        label = buf;
    };
    std::map<std::string, std::string> seen_ids;
    for (std::size_t r = 0; r < T.rows.size(); ++r) {
        const auto& row = T.rows[r];
        Officer o;
        o.where = T.where[r];
        const std::string at = T.path + ": " + o.where;
        o.id = trim(row[o_id]);
        if (o.id.empty()) throw_input(at + ": field id is empty; every officer or team needs an id");
        if (seen_ids.count(o.id)) throw_input(at + ": field id: '" + o.id + "' is used again (first at " + seen_ids[o.id] + "); ids must be unique");
        seen_ids[o.id] = o.where;
        const std::string who = at + " (officer " + o.id + ")";
        o.name = o_name >= 0 ? trim(row[o_name]) : "";
        locate(who, "start", o_start >= 0 ? trim(row[o_start]) : "", o_slon >= 0 ? row[o_slon] : "", o_slat >= 0 ? row[o_slat] : "", o.start, o.start_label);
        const std::string end_value = o_end >= 0 ? trim(row[o_end]) : "";
        const bool end_coords = o_elon >= 0 && o_elat >= 0 && !trim(row[o_elon]).empty();
        if (end_value.empty() && !end_coords) o.end = o.start, o.end_label = o.start_label;
        else locate(who, "end", end_value, end_coords ? row[o_elon] : "", end_coords ? row[o_elat] : "", o.end, o.end_label);
        const auto ss = parse_clock(row[o_ss]), se = parse_clock(row[o_se]);
        if (!ss) throw_input(who + ": field shift_start: '" + row[o_ss] + "' is not a time; expected HH:MM or HH:MM:SS");
        if (!se) throw_input(who + ": field shift_end: '" + row[o_se] + "' is not a time; expected HH:MM or HH:MM:SS");
        if (!(*se > *ss))
            throw_input(who + ": the shift ends (shift_end " + trim(row[o_se]) + ") before it starts (shift_start " + trim(row[o_ss]) +
                        "); expected shift_end after shift_start (use 24:30 for half past midnight)");
        o.shift_start = *ss, o.shift_end = *se;
        if (o_cap >= 0 && !trim(row[o_cap]).empty()) {
            bool ok = false;
            const double v = parse_number(row[o_cap], ok);
            if (!ok || v < 0 || v != std::floor(v) || v > 1e6) throw_input(who + ": field max_visits: '" + row[o_cap] + "' is not a whole number of visits (0 or more)");
            o.max_visits = static_cast<int>(v);
        }
        if (o_skills >= 0) o.skills = skill_list(row[o_skills]);
        if (o_work >= 0 && !trim(row[o_work]).empty()) {
            bool ok = false;
            const double v = parse_number(row[o_work], ok);
            if (!ok || !(v > 0)) throw_input(who + ": field max_work: '" + row[o_work] + "' is not a working time; expected minutes above 0");
            o.max_work = v * 60;
        }
        if (o_break >= 0 && !trim(row[o_break]).empty()) {
            // "30@19:00-20:30": 30 minutes, starting no earlier than 19:00 and over by 20:30.
            const std::string b = trim(row[o_break]);
            const std::optional<route::BreakRule> rule = route::parse_break(b);
            if (!rule)
                throw_input(who + ": field break: '" + b + "' is not a break; expected MINUTES@START-END, e.g. 30@19:00-20:30 (30 minutes inside 19:00-20:30)");
            if (rule->close - rule->open < rule->length)
                throw_input(who + ": field break: '" + b + "': the window is shorter than the break");
            o.break_length = rule->length, o.break_open = rule->open, o.break_close = rule->close;
        }
        if (o_group >= 0) o.group = trim(row[o_group]);
        officers.push_back(std::move(o));
    }
    // A group travels as one: from one place, back to one place, with one break.
    std::map<std::string, std::size_t> first_of_group;
    for (std::size_t i = 0; i < officers.size(); ++i) {
        const Officer& o = officers[i];
        if (o.group.empty()) continue;
        const auto [it, fresh] = first_of_group.emplace(o.group, i);
        if (fresh) continue;
        const Officer& f = officers[it->second];
        const std::string who = T.path + ": " + o.where + " (officer " + o.id + ", group " + o.group + ")";
        if (o.start.lon != f.start.lon || o.start.lat != f.start.lat || o.end.lon != f.end.lon || o.end.lat != f.end.lat)
            throw_input(who + ": starts or ends elsewhere (" + o.start_label + " to " + o.end_label + ") than " + f.id + " of its group (" + f.start_label + " to " +
                        f.end_label + "); a group travels as one: give its members the same start and end");
        if (o.break_length > 0 && f.break_length > 0 && (o.break_length != f.break_length || o.break_open != f.break_open || o.break_close != f.break_close))
            throw_input(who + ": field break differs from " + f.id + "'s; a group takes one break: give its members the same break (or only one of them)");
    }

    return officers;
}

// Points far beyond the extent of the others (a swapped latitude/longitude, a wrong CRS):
// reported; events are left out with reason far_off, officers who start or end far off are
// left out of the plan (both listed in summary.json).
constexpr const char* kFarOffReason = "far_off: far beyond the other points (swapped latitude/longitude or a wrong CRS?)";

struct FarOffRoute {
    FarOffAmong among;     // sets: events, stations, officers' starts, officers' ends
    Dataset officer_set;   // the officers as read (id, where), for the report
    FarOff officers;       // per officer as read: its start or end is far off
    ProjectedPoints officer_points;  // per officer: the far-off end of it (else its start)
};

FarOffRoute far_off_route(const GeosContext& ctx, const RouteJob& job, const Dataset& events, const Dataset* stations, const Table& T,
                          std::vector<Event>& ev, std::vector<Officer>& officers, Log& log) {
    FarOffRoute out;
    ProjContext pctx;
    std::vector<LonLat> starts, ends;
    for (const Officer& o : officers) starts.push_back(o.start), ends.push_back(o.end);
    out.among = far_off_among(pctx, {point_lonlats(ctx, events), stations ? point_lonlats(ctx, *stations) : std::vector<LonLat>{}, starts, ends},
                              job.max_offset_m);
    report_far_off(log, out.among, {&events, stations}, job.max_offset_m, {"--events-crs", "--stations-crs"});
    for (Event& e : ev)
        if (out.among.far[0].far[e.feature]) e.reason = kFarOffReason;
    out.officer_set.role = "officers";
    out.officer_set.path = T.path;
    out.officer_set.crs_name = stations ? stations->crs_name : "WGS84";
    out.officers = none_far_off(officers.size());
    out.officers.kept.clear();
    out.officers.extent = "the extent of the other points";
    const FarOff &fs = out.among.far[2], &fe = out.among.far[3];
    for (std::size_t v = 0; v < officers.size(); ++v) {
        out.officer_set.features.push_back({officers[v].id, officers[v].name, {}, nullptr, officers[v].where});
        const bool by_end = !fs.far[v] && fe.far[v];
        out.officer_points.lonlat.push_back(by_end ? ends[v] : starts[v]);
        out.officer_points.xy.push_back(by_end ? out.among.points[3].xy[v] : out.among.points[2].xy[v]);
        if (fs.far[v] || fe.far[v]) {
            out.officers.far[v] = true;
            out.officers.distance_m[v] = std::max(fs.distance_m[v], fe.distance_m[v]);
            ++out.officers.count;
        } else {
            out.officers.kept.push_back(v);
        }
    }
    report_far_off(log, out.officer_set, out.officers, out.officer_points, job.max_offset_m, "--officers-crs",
                   "They are left out of the plan (listed in summary.json's far_off.officers)");
    if (out.officers.count == officers.size())
        throw_input(T.path + ": every officer starts or ends far off (more than " + std::to_string(std::lround(job.max_offset_m / 1000)) +
                    " km beyond the other points): is the officers' or the stations' CRS right? (--max-offset changes the limit)");
    if (out.officers.count) {
        std::vector<Officer> kept;
        for (std::size_t v : out.officers.kept) kept.push_back(officers[v]);
        officers = std::move(kept);
    }
    return out;
}

// The places (officer locations first, then events) and the travel times and lengths between
// them, over the road network or in straight lines; events off the network get their reason.
struct TravelMatrix {
    std::size_t n = 0;  // places
    std::vector<LonLat> places;
    std::vector<double> time, length;  // row-major n x n: seconds, metres
    const Network* net = nullptr;  // owned by the study
    std::vector<Snapped> snaps;
    nlohmann::json description;
};

TravelMatrix travel_matrix(const RouteJob& job, const Table& T, const Dataset& events, std::vector<Officer>& officers, std::vector<Event>& ev,
                           Study& study) {
    Log& log = study.log();
    const unsigned threads = study.threads();
    TravelMatrix m;
    std::vector<LonLat>& places = m.places;
    auto place_of = [&](const LonLat& ll) {
        for (std::size_t i = 0; i < places.size(); ++i)
            if (places[i].lon == ll.lon && places[i].lat == ll.lat) return static_cast<int>(i);
        places.push_back(ll);
        return static_cast<int>(places.size()) - 1;
    };
    for (Officer& o : officers) o.start_node = place_of(o.start), o.end_node = place_of(o.end);
    for (Event& e : ev) {
        e.node = static_cast<int>(places.size());
        places.push_back(e.ll);
    }
    const std::size_t n = places.size();
    require_memory((job.network.path.empty() ? 16.0 : 32.0) * n * n, "the route problem's travel matrix (" + std::to_string(n) + " places: times and lengths, with the table that fills them)", "split the events, e.g. by area or by shift");
    std::vector<double> time(n * n, 0), length(n * n, 0);
    const bool on_network = !job.network.path.empty();
    const Network* net = nullptr;
    std::vector<Snapped> snaps;
    nlohmann::json travel_json;
    if (on_network) {
        net = &study.network(job.network, n >= 64);
        const Graph& g = net->graph;
        Snapper snapper(g);
        for (const LonLat& ll : places) snaps.push_back(snapper.snap(ll.lon, ll.lat, job.max_snap_m));
        for (const Officer& o : officers)
            for (int node : {o.start_node, o.end_node})
                if (!snaps[node].ok)
                    throw_input(T.path + ": " + o.where + " (officer " + o.id + "): " + (node == o.start_node ? o.start_label : o.end_label) + " is " +
                                describe_off_network(snaps[node], job.max_snap_m) + " of " + job.network.path +
                                (snaps[node].cut_off ? "; use a larger extract that connects it" : "; move it, or raise --max-snap"));
        log.info("travel times between " + std::to_string(n) + " places along the roads");
        if (!net->ch.empty()) ch_table(g, g.duration_s, net->ch, snaps, snaps, threads, time, length, log);
        else dijkstra_table(g, g.duration_s, snaps, snaps, threads, time, length, log);
        for (std::size_t i = 0; i < n; ++i) time[i * n + i] = 0, length[i * n + i] = 0;
        std::size_t off = 0, cut_off = 0;
        for (Event& e : ev)
            if (!snaps[e.node].ok) {
                ++(snaps[e.node].cut_off ? cut_off : off);
                if (e.reason.empty())
                    e.reason = snaps[e.node].cut_off ? "not reachable on the road network (its nearest roads are cut off from the rest)"
                                                     : "not reachable on the road network (more than " + std::to_string(static_cast<int>(job.max_snap_m)) + " m from a road)";
            }
        if (off) log.warn(events.path + ": " + std::to_string(off) + " event(s) lie more than " + std::to_string(static_cast<int>(job.max_snap_m)) + " m from any routable road");
        if (cut_off)
            log.warn(events.path + ": " + std::to_string(cut_off) + " event(s) lie near roads only of a part of the network that was dropped (not strongly "
                     "connected with the rest, e.g. cut by the extract's border) and cannot be visited; a larger extract may connect them");
        travel_json = {{"mode", "road network"}, {"network", job.network.path}, {"profile", g.profile}, {"method", net->ch.empty() ? "dijkstra" : "contraction hierarchy"}};
    } else {
        const double speed = job.speed_kmh / 3.6;
        for (std::size_t i = 0; i < n; ++i)
            for (std::size_t j = i + 1; j < n; ++j) {
                const double d = geodesic_distance(places[i].lon, places[i].lat, places[j].lon, places[j].lat);
                length[i * n + j] = length[j * n + i] = d;
                time[i * n + j] = time[j * n + i] = d / speed;
            }
        travel_json = {{"mode", "straight line (geodesic on WGS84)"}, {"speed_kmh", job.speed_kmh}};
    }

    m.n = n;
    m.time = std::move(time);
    m.length = std::move(length);
    m.net = net;
    m.snaps = std::move(snaps);
    m.description = std::move(travel_json);
    return m;
}

// The routing problem: one vehicle per officer, one job per event that can be visited at all
// (the others get their reason); event_of_job maps jobs back to events.
route::Problem routing_problem(const RouteJob& job, const std::vector<Officer>& officers, std::vector<Event>& ev, const std::vector<double>& time,
                               std::size_t n, std::vector<int>& event_of_job) {
    route::Problem p;
    p.nodes = n;
    p.time = time;
    p.balance = job.balance;
    // Skills as bits: every name an officer carries.
    std::map<std::string, int> skill_bit;
    for (const Officer& o : officers)
        for (const std::string& k : o.skills)
            if (!skill_bit.count(k)) {
                if (skill_bit.size() == 64) throw_input("officers: more than 64 different skills; at most 64 are supported");
                const int bit = static_cast<int>(skill_bit.size());
                skill_bit[k] = bit;
            }
    std::vector<std::uint64_t> officer_skills;
    std::map<std::string, int> group_number;
    for (const Officer& o : officers) {
        route::Vehicle v;
        if (!o.group.empty()) v.group = group_number.emplace(o.group, static_cast<int>(group_number.size())).first->second;
        v.start = o.start_node, v.end = o.end_node;
        v.shift_start = o.shift_start, v.shift_end = o.shift_end;
        v.max_visits = o.max_visits;
        v.max_work = o.max_work;
        v.break_length = o.break_length, v.break_open = o.break_open, v.break_close = o.break_close;
        for (const std::string& k : o.skills) v.skills |= std::uint64_t{1} << skill_bit[k];
        officer_skills.push_back(v.skills);
        p.vehicles.push_back(v);
    }
    // A caravan carries the union of its members' skills and shares one shift, cap and break.
    route::join_groups(p);
    for (std::size_t a = 0; a < officers.size(); ++a)
        for (std::size_t b = 0; b < officers.size(); ++b)
            if (p.vehicles[a].group >= 0 && p.vehicles[a].group == p.vehicles[b].group) officer_skills[a] |= p.vehicles[b].skills;
    for (std::size_t i = 0; i < ev.size(); ++i) {
        Event& e = ev[i];
        if (!e.reason.empty()) continue;
        route::Job j;
        j.node = e.node;
        j.service = e.service;
        j.open = e.open;
        j.close = e.close - e.service;  // the whole visit lies inside the window
        for (const auto& [a, b] : e.windows) j.windows.push_back({a, b - e.service});
        j.prize = e.priority;
        j.must = e.must;
        std::string missing;
        for (const std::string& k : e.needs) {
            if (skill_bit.count(k)) j.needs |= std::uint64_t{1} << skill_bit[k];
            else missing += (missing.empty() ? "" : ", ") + k;
        }
        // Reasons decided before solving: the units asked for, no shift overlaps, or no officer can make it alone.
        bool skilled = false, overlap = false, reach = false, in_time = false, connected = false;
        for (std::size_t v = 0; v < officers.size(); ++v) {
            const Officer& o = officers[v];
            if (o.max_visits == 0 || (j.needs & ~officer_skills[v]) != 0) continue;
            skilled = true;
            if (o.shift_start < e.close && o.shift_end > e.open) overlap = true;
            const double arrive = o.shift_start + time[o.start_node * n + e.node];
            if (std::isfinite(arrive)) connected = true;
            const double st = route::earliest_start(j, arrive);
            if (std::isfinite(st)) {
                in_time = true;
                if (st + e.service + time[e.node * n + o.end_node] <= o.shift_end && e.service <= o.max_work) reach = true;
            }
        }
        std::string units;
        for (const std::string& k : e.needs) units += (units.empty() ? "" : ", ") + k;
        if (!missing.empty()) e.reason = "no officer carries the requested unit(s): " + missing;
        else if (!skilled && j.needs != 0) e.reason = "no officer carries all the requested units together: " + units;
        else if (!overlap) e.reason = "no officer shift overlaps the window";
        else if (!connected) e.reason = "not reachable on the road network from any station";
        else if (!in_time) e.reason = "window closes before any officer can arrive";
        else if (!reach) e.reason = "no officer can visit it and be back before the shift ends";
        if (!e.reason.empty() && !units.empty() && missing.empty() && skilled) e.reason += " (among the officers with " + units + ")";
        if (!e.reason.empty()) continue;
        e.job = static_cast<int>(p.jobs.size());
        event_of_job.push_back(static_cast<int>(i));
        p.jobs.push_back(j);
    }
    return p;
}


// Re-planning during the evening: what --positions, --done and --previous say, applied to
// the officers and events before the travel matrix (officers leave from where they are).
struct Replan {
    double now = 0;
    std::vector<std::string> status;      // per officer: what the re-plan did with it
    std::vector<char> away;               // per officer: no more visits
    std::vector<double> ready;            // per officer: free from
    std::vector<char> done;               // per event: already visited
    struct Promised {
        int event = 0, officer = -1;
        double start = 0;
    };
    std::vector<Promised> promised;       // the earlier plan's visits not yet done, in its order
    std::size_t done_count = 0;
};

Replan replan_facts(const GeosContext& ctx, const RouteJob& job, std::vector<Officer>& officers, std::vector<Event>& ev, const Dataset& events,
                    const Dataset* stations) {
    Replan r;
    const auto now = parse_clock(job.now);
    if (!now) throw_usage("--now: '" + job.now + "' is not a time; expected HH:MM, e.g. 19:40");
    r.now = *now;
    r.status.assign(officers.size(), "");
    r.away.assign(officers.size(), 0);
    r.ready.assign(officers.size(), 0);
    r.done.assign(ev.size(), 0);
    std::map<std::string, std::size_t> event_by_id, officer_by_id;
    for (std::size_t i = 0; i < ev.size(); ++i) event_by_id[events.features[ev[i].feature].id] = i;
    for (std::size_t i = 0; i < officers.size(); ++i) officer_by_id[officers[i].id] = i;
    auto yes = [](const std::string& text, bool& ok) {
        const std::string m = lower(trim(text));
        ok = true;
        if (m == "true" || m == "yes" || m == "1") return true;
        ok = m.empty() || m == "false" || m == "no" || m == "0";
        return false;
    };

    std::vector<int> row_of(officers.size(), -1);
    std::optional<Table> pos;
    if (!job.positions.path.empty()) {
        pos = read_table(job.positions, "positions");
        const Table& P = *pos;
        const int f_id = P.field("id") >= 0 ? P.field("id") : P.field("officer_id");
        if (f_id < 0)
            throw_input(P.path + ": no 'id' field; fields: id (officer), lon and lat or at (an event id or station), available (HH:MM), status (away), break_done, worked (minutes)");
        for (std::size_t k = 0; k < P.rows.size(); ++k) {
            const std::string id = trim(P.rows[k][f_id]);
            const auto it = officer_by_id.find(id);
            if (it == officer_by_id.end()) throw_input(P.path + ": " + P.where[k] + ": field id: no officer '" + id + "' in the officers table");
            if (row_of[it->second] >= 0) throw_input(P.path + ": " + P.where[k] + ": field id: officer '" + id + "' is listed again (first at " + P.where[row_of[it->second]] + ")");
            row_of[it->second] = static_cast<int>(k);
        }
    }
    for (std::size_t i = 0; i < officers.size(); ++i) {
        Officer& o = officers[i];
        const double shift_start = o.shift_start;
        r.ready[i] = std::max(r.now, o.shift_start);
        if (row_of[i] < 0) {
            if (o.shift_end <= r.now) r.away[i] = 1, r.status[i] = "shift over";
            else if (o.shift_start < r.now)
                throw_input((pos ? pos->path + ": " : std::string("--positions: ")) + "officer " + o.id + " is on shift at " + clock_text(r.now).substr(0, 5) +
                            " but has no row; give its position (lon and lat, or at = an event id or station) or status = away");
            else r.status[i] = "not yet on shift: from " + o.start_label;
            if (r.away[i]) o.max_visits = 0;
            o.shift_start = r.ready[i];
            continue;
        }
        const Table& P = *pos;
        const auto& row = P.rows[row_of[i]];
        const std::string at = P.path + ": " + P.where[row_of[i]] + " (officer " + o.id + ")";
        auto cell = [&](const char* name) { return P.field(name) >= 0 ? trim(row[P.field(name)]) : std::string(); };
        const std::string status = lower(cell("status"));
        if (status == "away" || status == "called away" || status == "off") {
            r.away[i] = 1, r.status[i] = "called away";
            o.max_visits = 0;
            continue;
        }
        if (!(status.empty() || status == "on" || status == "available" || status == "delayed"))
            throw_input(at + ": field status: '" + cell("status") + "' is not accepted; expected away (no more visits) or on (the default)");
        if (!cell("available").empty()) {
            const auto a = parse_clock(cell("available"));
            if (!a) throw_input(at + ": field available: '" + cell("available") + "' is not a time; expected HH:MM (when the officer is free again)");
            r.ready[i] = std::max(r.ready[i], *a);
        }
        const std::string place = cell("at");
        if (!place.empty()) {
            if (const auto e = event_by_id.find(place); e != event_by_id.end()) {
                o.start = ev[e->second].ll;
                o.start_label = "event " + place;
            } else {
                bool found = false;
                if (stations)
                    for (const Feature& st : stations->features)
                        if (lower(st.id) == lower(place) || (!st.name.empty() && lower(st.name) == lower(place))) {
                            point_xy(ctx, st.geom.get(), o.start.lon, o.start.lat);
                            o.start_label = st.name.empty() ? st.id : st.name;
                            found = true;
                            break;
                        }
                if (!found) throw_input(at + ": field at: '" + place + "' is neither an event id nor a station; expected one, or lon and lat");
            }
        } else {
            bool ok1 = false, ok2 = false;
            const double lon = parse_number(cell("lon"), ok1), lat = parse_number(cell("lat"), ok2);
            if (!ok1 || !ok2 || std::fabs(lat) > 90 || std::fabs(lon) > 180)
                throw_input(at + ": no position ('" + cell("lon") + "', '" + cell("lat") +
                            "'); expected lon and lat in degrees, at = an event id or station, or status = away");
            o.start = {lon, lat};
            char buf[64];
            std::snprintf(buf, sizeof buf, "%.6f, %.6f", lat, lon);
            o.start_label = buf;
        }
        o.start_label += " at " + clock_text(r.ready[i]).substr(0, 5);
        r.status[i] = r.ready[i] > std::max(r.now, shift_start) ? "delayed: free at " + clock_text(r.ready[i]).substr(0, 5) : "on";
        if (std::isfinite(o.max_work)) {
            // Working time so far: as given, else (cautiously) since the shift began.
            double worked = std::max(0.0, r.now - shift_start);
            if (!cell("worked").empty()) {
                bool ok = false;
                worked = parse_number(cell("worked"), ok) * 60;
                if (!ok || worked < 0) throw_input(at + ": field worked: '" + cell("worked") + "' is not a working time; expected minutes, 0 or more");
            }
            o.max_work -= worked;
            if (!(o.max_work > 0)) r.away[i] = 1, r.status[i] = "working time used up", o.max_visits = 0, o.max_work = route::kInfinity;
        }
        if (o.break_length > 0) {
            bool ok = false;
            const bool taken = yes(cell("break_done"), ok);
            if (!ok) throw_input(at + ": field break_done: '" + cell("break_done") + "' is not a yes/no value; expected true or false");
            o.break_open = std::max(o.break_open, r.ready[i]);
            if (taken || o.break_close - o.break_open < o.break_length) {
                o.break_length = 0;
                r.status[i] += taken ? ", break taken" : ", break window over (assumed taken)";
            }
        }
        o.shift_start = r.ready[i];
    }

    if (!job.done.path.empty()) {
        const Table D = read_table(job.done, "done");
        const int f_id = D.field("event_id") >= 0 ? D.field("event_id") : D.field("id");
        if (f_id < 0) throw_input(D.path + ": no 'event_id' field; expected one row per party already visited, with its event_id (and officer_id)");
        const int f_officer = D.field("officer_id");
        for (std::size_t k = 0; k < D.rows.size(); ++k) {
            const std::string id = trim(D.rows[k][f_id]);
            const auto e = event_by_id.find(id);
            if (e == event_by_id.end()) throw_input(D.path + ": " + D.where[k] + ": field event_id: no event '" + id + "' in " + events.path);
            if (r.done[e->second]) continue;
            r.done[e->second] = 1;
            ++r.done_count;
            ev[e->second].reason = "already visited";
            // A visit made counts against its officer's visit cap.
            const std::string who = f_officer >= 0 ? trim(D.rows[k][f_officer]) : "";
            if (who.empty()) continue;
            const auto o = officer_by_id.find(who);
            if (o == officer_by_id.end()) throw_input(D.path + ": " + D.where[k] + ": field officer_id: no officer '" + who + "' in the officers table");
            int& cap = officers[o->second].max_visits;
            if (cap != INT_MAX) cap = std::max(0, cap - 1);
        }
    }
    if (!job.previous.path.empty()) {
        const Table S = read_table(job.previous, "previous plan");
        const int f_off = S.field("officer_id"), f_ev = S.field("event_id"), f_start = S.field("start");
        if (f_off < 0 || f_ev < 0 || f_start < 0)
            throw_input(S.path + ": no '" + std::string(f_off < 0 ? "officer_id" : f_ev < 0 ? "event_id" : "start") +
                        "' field; expected the earlier plan's stops.csv (officer_id, event_id, start)");
        for (std::size_t k = 0; k < S.rows.size(); ++k) {
            const std::string id = trim(S.rows[k][f_ev]);
            const auto e = event_by_id.find(id);
            if (e == event_by_id.end()) throw_input(S.path + ": " + S.where[k] + ": field event_id: no event '" + id + "' in " + events.path);
            const auto st = parse_clock(S.rows[k][f_start]);
            if (!st) throw_input(S.path + ": " + S.where[k] + ": field start: '" + S.rows[k][f_start] + "' is not a time; expected HH:MM:SS");
            if (r.done[e->second]) continue;
            const auto o = officer_by_id.find(trim(S.rows[k][f_off]));
            r.promised.push_back({static_cast<int>(e->second), o == officer_by_id.end() ? -1 : static_cast<int>(o->second), *st});
        }
        std::stable_sort(r.promised.begin(), r.promised.end(), [](const Replan::Promised& a, const Replan::Promised& b) { return a.start < b.start; });
    }
    return r;
}
}  // namespace

nlohmann::json run_route(const RouteJob& job, Log& log, std::vector<OutLayer>* layers) {
    Study study(log, job.threads);
    return route_stage(job, study, layers).summary;
}

nlohmann::json run_route(const RouteJob& job, Study& study, std::vector<OutLayer>* layers) { return route_stage(job, study, layers).summary; }

RouteOutcome route_stage(const RouteJob& job, Study& study, std::vector<OutLayer>* layers) {
    Log& log = study.log();
    const auto started = Clock::now();
    // Options first, so that a bad command line fails before any file is read.
    if (job.events.path.empty()) throw_usage("--events is required: event points with start/end times (HH:MM)");
    if (job.officers.path.empty()) throw_usage("--officers is required: a table of officers or teams (id, start, shift_start, shift_end)");
    if (job.out_dir.empty()) throw_usage("--out is required: the output folder");
    if (job.network.path.empty() && job.network.profile_given) throw_usage("--profile needs --network (a road network to travel on)");
    // The option schema (src/options) checked these as given; library callers get the same rule.
    if (!(job.duration_min > 0 && job.duration_min <= 24 * 60)) throw_usage("route: the visit length must be above 0 and at most 1440 minutes");
    if (!(job.speed_kmh > 0 && job.speed_kmh <= 300)) throw_usage("route: the straight-line speed must be above 0 and at most 300 km/h");
    if (job.iterations == 0 && !(job.time_limit_s > 0)) throw_usage("route: the time limit must be a positive number of seconds");
    if (job.area_priority && job.areas.path.empty())
        throw_usage("--priority " + job.area_priority->field + " needs --areas, the areas whose field gives each event's need (in a plan: the study's areas)");
    std::optional<std::pair<double, double>> default_window;
    if (!job.window.empty()) default_window = parse_window(job.window);

    refuse_output_over_inputs(job.out_dir, {job.events.path, job.officers.path, job.stations.path, job.network.path, job.positions.path, job.done.path,
                                            job.previous.path, job.areas.path});
    OutputDir out(job.out_dir);
    const GeosContext& ctx = study.pool().main();

    // read
    log.info("reading inputs");
    std::vector<Study::Request> inputs{{&job.events, GeomKind::Point, "events"}};
    if (!job.stations.path.empty()) inputs.push_back({&job.stations, GeomKind::Point, "stations"});
    if (!job.areas.path.empty()) inputs.push_back({&job.areas, GeomKind::Area, "areas"});
    study.read_all(inputs);
    const Dataset& events = study.dataset(job.events, GeomKind::Point, "events");
    Table officers_table = read_table(job.officers, "officers");
    const Dataset* stations = job.stations.path.empty() ? nullptr : &study.dataset(job.stations, GeomKind::Point, "stations");
    if (events.features.empty()) throw_input(events.path + ": no events");
    if (officers_table.rows.empty()) throw_input(officers_table.path + ": no officers");

    // prepare
    std::vector<Event> ev = event_windows(ctx, job, events, default_window);
    nlohmann::json need_json;
    if (job.area_priority) need_json = need_priorities(ctx, *job.area_priority, study.dataset(job.areas, GeomKind::Area, "areas"), events, ev, log);
    const Table& T = officers_table;
    std::vector<Officer> officers = read_officers(ctx, T, stations);
    const FarOffRoute far = far_off_route(ctx, job, events, stations, T, ev, officers, log);
    if (job.now.empty() && !(job.positions.path.empty() && job.done.path.empty() && job.previous.path.empty()))
        throw_usage("--positions, --done and --previous re-plan the evening: give --now HH:MM too");
    std::optional<Replan> replan;
    if (!job.now.empty()) replan = replan_facts(ctx, job, officers, ev, events, stations);
    TravelMatrix travel = travel_matrix(job, T, events, officers, ev, study);
    const std::size_t n = travel.n;
    const std::vector<double>& time = travel.time;
    const std::vector<double>& length = travel.length;
    const bool on_network = travel.net != nullptr;
    const Network* net = travel.net;
    const std::vector<Snapped>& snaps = travel.snaps;
    const std::vector<LonLat>& places = travel.places;
    const nlohmann::json& travel_json = travel.description;
    // analyse
    std::vector<int> event_of_job;
    route::Problem p = routing_problem(job, officers, ev, time, n, event_of_job);
    route::SolverOptions so;
    so.seed = job.seed;
    so.iterations = job.iterations;
    so.time_limit_s = job.iterations ? 0 : job.time_limit_s;
    so.threads = study.threads();
    std::vector<route::Promise> promises;
    if (replan) {
        // The earlier plan's visits come before new ones, and with the officer who promised
        // them unless another saves more than 10 minutes of driving.
        p.keep_cost = 600;
        for (const Replan::Promised& pr : replan->promised) {
            const int j = ev[pr.event].job;
            if (j < 0) continue;
            p.jobs[j].promised = true, p.jobs[j].keep = pr.officer;
            promises.push_back({j, pr.officer, pr.start});
        }
        so.initial = route::promised_routes(p, promises);
        if (!job.iterations && !job.time_limit_given) so.time_limit_s = 0.3;
    }
    log.info("planning " + std::to_string(p.jobs.size()) + " visits for " + std::to_string(officers.size()) + " officers (" +
             (job.iterations ? std::to_string(job.iterations) + " iterations" : std::to_string(static_cast<int>(std::ceil(job.time_limit_s))) + " s") + ")");
    const double prep_seconds = seconds_since(started);
    route::Solution sol;
    if (!p.jobs.empty()) sol = route::solve(p, so);
    else sol.routes.assign(officers.size(), {});
    std::vector<std::string> violations = route::validate(p, sol);
    if (replan && violations.empty()) {
        std::vector<route::VehicleFact> facts(officers.size());
        for (std::size_t v = 0; v < officers.size(); ++v) facts[v] = {officers[v].start_node, replan->ready[v], replan->away[v] != 0};
        // A caravan re-plans from its first member's position, when all of its members are free.
        for (std::size_t v = 0; v < officers.size(); ++v)
            for (std::size_t u = 0; u < v; ++u)
                if (p.vehicles[v].group >= 0 && p.vehicles[u].group == p.vehicles[v].group) {
                    facts[v].position = facts[u].position;
                    facts[v].ready = facts[u].ready = std::max(facts[u].ready, facts[v].ready);
                    break;
                }
        violations = route::validate_replan(p, sol, replan->now, facts);
    }
    if (!violations.empty()) throw_internal("the plan breaks a constraint: " + violations.front());
    bool capped = false;
    for (std::size_t v = 0; v < officers.size(); ++v)
        if (static_cast<int>(sol.routes[v].size()) >= officers[v].max_visits) capped = true;
    for (int j : sol.unassigned)
        ev[event_of_job[j]].reason = capped ? "did not fit: all officers busy or at their visit cap (lower priority or costlier visits dropped)"
                                            : "did not fit: all officers busy (lower priority or costlier visits dropped)";
    for (Event& e : ev)
        if (e.must && !e.reason.empty() && !(replan && replan->done[&e - ev.data()])) e.reason = "must-visit, but " + e.reason;  // the plan says which it could not reach, and why

    // write
    log.info("writing outputs");
    std::vector<route::Schedule> schedules(officers.size());
    for (std::size_t v = 0; v < officers.size(); ++v) schedules[v] = route::schedule_route(p, static_cast<int>(v), sol.routes[v]);
    auto leg_length = [&](int a, int b) { return length[static_cast<std::size_t>(a) * n + b]; };

    OutLayer rl("routes", OutGeom::Line);
    rl.kind = LayerKind::Routes;
    rl.title = "Officer routes";
    const std::size_t r_id = rl.add_field("officer_id", FieldType::String), r_name = rl.add_field("officer_name", FieldType::String);
    const std::size_t r_visits = rl.add_field("visits", FieldType::Integer), r_prio = rl.add_field("priority_visited", FieldType::Real);
    const std::size_t r_depart = rl.add_field("depart", FieldType::String), r_back = rl.add_field("back", FieldType::String);
    const std::size_t r_travel = rl.add_field("travel_min", FieldType::Real), r_dist = rl.add_field("distance_km", FieldType::Real);
    const std::size_t r_work = rl.add_field("work_min", FieldType::Real), r_wait = rl.add_field("waiting_min", FieldType::Real);
    const std::size_t r_stroke = rl.add_field("stroke", FieldType::String, false, true), r_width = rl.add_field("stroke-width", FieldType::Real, false, true);
    const std::size_t r_title = rl.add_field("title", FieldType::String, false, true);
    OutLayer sl("stops", OutGeom::Point);
    sl.kind = LayerKind::Stops;
    sl.title = "Officer visits";
    const std::size_t s_off = sl.add_field("officer_id", FieldType::String), s_order = sl.add_field("order", FieldType::Integer);
    const std::size_t s_event = sl.add_field("event_id", FieldType::String), s_ename = sl.add_field("event_name", FieldType::String);
    const std::size_t s_arr = sl.add_field("arrival", FieldType::String), s_start = sl.add_field("start", FieldType::String);
    const std::size_t s_dep = sl.add_field("departure", FieldType::String), s_wait = sl.add_field("waiting_min", FieldType::Real);
    const std::size_t s_travel = sl.add_field("travel_min", FieldType::Real), s_prio = sl.add_field("priority", FieldType::Real);
    const std::size_t s_wstart = sl.add_field("window_start", FieldType::String), s_wend = sl.add_field("window_end", FieldType::String);
    const MarkerFields sm = add_marker_fields(sl);
    std::unique_ptr<Dijkstra> dijkstra;
    if (on_network) dijkstra = std::make_unique<Dijkstra>(net->graph, net->graph.duration_s);
    double total_length = 0, total_prio = 0, visited_prio = 0;
    for (const Event& e : ev) total_prio += e.priority;
    nlohmann::json per_officer = nlohmann::json::array();
    // schedule.html: a sheet per officer with visits; the event fields it shows when present.
    std::vector<ScheduleSheet> sheets;
    const int f_address = field_ci(events, "address"), f_host = field_ci(events, "host"), f_contact = field_ci(events, "contact");
    auto cell_text = [&](const Feature& f, int field) { return field >= 0 ? trim(round_trip_text(f.attrs[field])) : std::string(); };
    std::ostringstream txt;
    txt << "Officer visit plan: " << ev.size() << " events, " << officers.size() << " officers\n";
    if (replan) txt << "Re-planned at " << clock_text(replan->now).substr(0, 5) << ": " << replan->done_count << " parties already visited\n";
    for (std::size_t v = 0; v < officers.size(); ++v) {
        const Officer& o = officers[v];
        const route::Schedule& sch = schedules[v];
        const auto& route = sol.routes[v];
        const std::string colour = style::category_colour(v);
        std::vector<int> nodes{o.start_node};
        for (int j : route) nodes.push_back(p.jobs[j].node);
        nodes.push_back(o.end_node);
        double dist = 0, prio = 0;
        for (std::size_t k = 0; k + 1 < nodes.size() && !route.empty(); ++k) dist += leg_length(nodes[k], nodes[k + 1]);
        for (int j : route) prio += p.jobs[j].prize;
        const bool follower = p.vehicles[v].group >= 0 && [&] {  // a caravan's visits count once, with its first member
            for (std::size_t u = 0; u < v; ++u)
                if (p.vehicles[u].group == p.vehicles[v].group) return true;
            return false;
        }();
        if (!follower) total_length += dist, visited_prio += prio;
        const double work = sch.travel + sch.service;
        txt << "\n== " << o.id << (o.name.empty() ? "" : " " + o.name) << " ==\n";
        txt << "shift " << clock_text(o.shift_start) << "-" << clock_text(o.shift_end) << ", from " << o.start_label << " back to " << o.end_label;
        if (o.max_visits != INT_MAX) txt << ", at most " << o.max_visits << " visits";
        if (!o.group.empty()) {
            txt << "; travels as one with group " << o.group << ":";
            for (const Officer& m : officers)
                if (m.group == o.group) txt << " " << m.id;
        }
        txt << "\n";
        if (route.empty()) {
            txt << "no visits\n";
        } else {
            ScheduleSheet sheet;
            sheet.officer = o.id, sheet.name = o.name;
            sheet.shift = clock_text(o.shift_start).substr(0, 5) + "–" + clock_text(o.shift_end).substr(0, 5);
            sheet.from = o.start_label, sheet.to = o.end_label;
            sheet.depart = clock_text(sch.depart).substr(0, 5), sheet.back = clock_text(sch.back).substr(0, 5);
            sheet.station = {o.start.lon, o.start.lat};
            if (!o.group.empty())
                for (const Officer& m : officers)
                    if (m.group == o.group && m.id != o.id) sheet.group += (sheet.group.empty() ? "" : ", ") + m.id;
            if (sch.break_start >= 0) sheet.breaks = clock_text(sch.break_start).substr(0, 5) + "–" + clock_text(sch.break_end).substr(0, 5);
            for (const route::Stop& st : sch.stops) {
                const Event& e = ev[event_of_job[st.job]];
                const Feature& f = events.features[e.feature];
                ScheduleStop row;
                row.order = static_cast<int>(sheet.stops.size()) + 1;
                row.arrive = clock_text(st.arrival).substr(0, 5), row.start = clock_text(st.start).substr(0, 5), row.end = clock_text(st.departure).substr(0, 5);
                row.id = f.id, row.name = f.name;
                row.address = cell_text(f, f_address), row.host = cell_text(f, f_host), row.contact = cell_text(f, f_contact);
                for (const std::string& u : e.needs) row.units += (row.units.empty() ? "" : ", ") + u;
                if (e.windows.empty()) row.window = clock_text(e.open).substr(0, 5) + "–" + clock_text(e.close).substr(0, 5);
                for (const auto& [a, b] : e.windows) row.window += (row.window.empty() ? "" : "; ") + clock_text(a).substr(0, 5) + "–" + clock_text(b).substr(0, 5);
                row.lon = e.ll.lon, row.lat = e.ll.lat;
                sheet.stops.push_back(std::move(row));
            }
            sheets.push_back(std::move(sheet));
            txt << clock_text(sch.depart) << "  leave " << o.start_label << "\n";
            int order = 0;
            int prev = o.start_node;
            auto break_line = [&] { txt << clock_text(sch.break_start) << "  break until " << clock_text(sch.break_end) << "\n"; };
            for (const route::Stop& st : sch.stops) {
                const Event& e = ev[event_of_job[st.job]];
                const Feature& f = events.features[e.feature];
                if (sch.break_start >= 0 && sch.break_after == order) break_line();
                ++order;
                const double leg = time[static_cast<std::size_t>(prev) * n + e.node];
                char line[512];
                std::snprintf(line, sizeof line, "%s  %2d. %s%s%s  arrive %s, visit %s-%s (window %s-%s)%s\n", clock_text(st.start).c_str(), order, f.id.c_str(),
                              f.name.empty() ? "" : " ", f.name.c_str(), clock_text(st.arrival).c_str(), clock_text(st.start).c_str(), clock_text(st.departure).c_str(),
                              clock_text(e.open).c_str(), clock_text(e.close).c_str(), st.waiting > 0.5 ? (", wait " + std::to_string(static_cast<int>(std::lround(st.waiting / 60))) + " min").c_str() : "");
                txt << line;
                std::vector<Value> row(sl.fields.size());
                row[s_off] = o.id;
                row[s_order] = static_cast<std::int64_t>(order);
                row[s_event] = f.id;
                row[s_ename] = text_or_null(f.name);
                row[s_arr] = clock_text(st.arrival);
                row[s_start] = clock_text(st.start);
                row[s_dep] = clock_text(st.departure);
                row[s_wait] = round_to(st.waiting / 60, 0.01);
                row[s_travel] = round_to(leg / 60, 0.01);
                row[s_prio] = e.priority;
                row[s_wstart] = clock_text(e.open);
                row[s_wend] = clock_text(e.close);
                row[sm.colour] = colour;
                row[sm.symbol] = std::string("circle");
                row[sm.size] = std::string("small");
                row[sm.title] = o.id + " #" + std::to_string(order) + ": " + (f.name.empty() ? f.id : f.name) + " at " + clock_text(st.start);
                row[sm.description] = "Arrive " + clock_text(st.arrival) + ", visit " + clock_text(st.start) + "-" + clock_text(st.departure) +
                                      " (party " + clock_text(e.open) + "-" + clock_text(e.close) + ")";
                sl.rows.push_back(std::move(row));
                sl.wkb.push_back(to_wkb(ctx, make_point(ctx, e.ll.lon, e.ll.lat).get()));
                prev = e.node;
            }
            if (sch.break_start >= 0 && sch.break_after == order) break_line();
            txt << clock_text(sch.back) << "  back at " << o.end_label << "\n";
            char line[256];
            std::snprintf(line, sizeof line, "%zu visits; travel %.0f min (%.1f km), visits %.0f min, waiting %.0f min\n", route.size(), sch.travel / 60, dist / 1000,
                          sch.service / 60, sch.waiting / 60);
            txt << line;
            // The route's line: along the roads leg by leg, or straight.
            std::vector<double> lon, lat, plon, plat;
            for (std::size_t k = 0; k + 1 < nodes.size(); ++k) {
                const int a = nodes[k], b = nodes[k + 1];
                plon.clear(), plat.clear();
                if (on_network && a != b) {
                    dijkstra->run(source_seeds(net->graph, net->graph.duration_s, snaps[a]), time[static_cast<std::size_t>(a) * n + b] * 1.001 + 1);
                    route_points(net->graph, net->graph.duration_s, *dijkstra, snaps[a], snaps[b], plon, plat);
                }
                if (plon.size() < 2) plon = {places[a].lon, places[b].lon}, plat = {places[a].lat, places[b].lat};
                for (std::size_t q = 0; q < plon.size(); ++q) {
                    if (!lon.empty() && lon.back() == plon[q] && lat.back() == plat[q]) continue;
                    lon.push_back(plon[q]), lat.push_back(plat[q]);
                }
            }
            if (lon.size() < 2) lon.push_back(lon.front()), lat.push_back(lat.front());
            for (std::size_t q = 0; q < lon.size(); ++q) sheets.back().line.push_back({lon[q], lat[q]});
            {
                char line[256];
                std::snprintf(line, sizeof line, "%zu visits; %.1f km, %.0f min driving", route.size(), dist / 1000, sch.travel / 60);
                sheets.back().totals = line;
            }
            GEOSCoordSequence* seq = GEOSCoordSeq_create_r(ctx, static_cast<unsigned>(lon.size()), 2);
            for (std::size_t q = 0; q < lon.size(); ++q) GEOSCoordSeq_setXY_r(ctx, seq, static_cast<unsigned>(q), lon[q], lat[q]);
            GeomPtr line_geom = own(ctx, GEOSGeom_createLineString_r(ctx, seq), "route line");
            std::vector<Value> row(rl.fields.size());
            row[r_id] = o.id;
            row[r_name] = text_or_null(o.name);
            row[r_visits] = static_cast<std::int64_t>(route.size());
            row[r_prio] = prio;
            row[r_depart] = clock_text(sch.depart);
            row[r_back] = clock_text(sch.back);
            row[r_travel] = round_to(sch.travel / 60, 0.01);
            row[r_dist] = round_to(dist / 1000, 0.001);
            row[r_work] = round_to(work / 60, 0.01);
            row[r_wait] = round_to(sch.waiting / 60, 0.01);
            row[r_stroke] = colour;
            row[r_width] = 3.0;
            row[r_title] = (o.name.empty() ? o.id : o.name) + ": " + std::to_string(route.size()) + " visits, " + clock_text(sch.depart) + "-" + clock_text(sch.back);
            rl.rows.push_back(std::move(row));
            rl.wkb.push_back(to_wkb(ctx, line_geom.get()));
        }
        per_officer.push_back({{"id", o.id},
                               {"visits", route.size()},
                               {"priority_visited", prio},
                               {"depart", route.empty() ? nlohmann::json(nullptr) : nlohmann::json(clock_text(sch.depart))},
                               {"back", route.empty() ? nlohmann::json(nullptr) : nlohmann::json(clock_text(sch.back))},
                               {"travel_min", round_to(sch.travel / 60, 0.01)},
                               {"distance_km", round_to(dist / 1000, 0.001)},
                               {"work_min", round_to(work / 60, 0.01)},
                               {"waiting_min", round_to(sch.waiting / 60, 0.01)},
                               {"break", sch.break_start >= 0 ? nlohmann::json(clock_text(sch.break_start) + "-" + clock_text(sch.break_end)) : nlohmann::json(nullptr)},
                               {"group", o.group.empty() ? nlohmann::json(nullptr) : nlohmann::json(o.group)},
                               {"colour", colour}});
    }
    OutLayer ul("unvisited", OutGeom::None);
    const std::size_t u_id = ul.add_field("event_id", FieldType::String), u_name = ul.add_field("event_name", FieldType::String);
    const std::size_t u_ws = ul.add_field("window_start", FieldType::String), u_we = ul.add_field("window_end", FieldType::String);
    const std::size_t u_prio = ul.add_field("priority", FieldType::Real), u_reason = ul.add_field("reason", FieldType::String);
    // With a network: the distance to the nearest connected road (for an event off the network).
    const std::size_t u_snap = on_network ? ul.add_field("snap_m", FieldType::Real) : 0;
    std::map<std::string, int> reasons;
    for (const Event& e : ev) {
        if (e.reason.empty() || (replan && replan->done[&e - ev.data()])) continue;  // done: in changes.csv
        const Feature& f = events.features[e.feature];
        std::vector<Value> row(ul.fields.size());
        row[u_id] = f.id;
        row[u_name] = text_or_null(f.name);
        row[u_ws] = clock_text(e.open);
        row[u_we] = clock_text(e.close);
        row[u_prio] = e.priority;
        row[u_reason] = e.reason;
        if (on_network && !snaps[e.node].ok) row[u_snap] = round_to(snaps[e.node].snap_m, 0.01);
        ul.rows.push_back(std::move(row));
        ++reasons[e.reason];
    }
    if (!ul.rows.empty()) {
        txt << "\n== not visited ==\n";
        for (const auto& row : ul.rows) txt << std::get<std::string>(row[u_id]) << ": " << std::get<std::string>(row[u_reason]) << "\n";
    }

    std::vector<std::string> files;
    for (auto& name : write_layers({&rl, &sl}, Format::GeoJSON, out)) files.push_back(std::move(name));
    {
        // schedule.html's maps: the streets of the extract the plan travels on, and the study's areas.
        Backdrop streets;
        if (on_network && is_osm_extract(job.network.path) && !places.empty()) {
            LonLatBox box;
            for (const LonLat& ll : places)
                box.west = std::min(box.west, ll.lon), box.east = std::max(box.east, ll.lon), box.south = std::min(box.south, ll.lat), box.north = std::max(box.north, ll.lat);
            streets = read_backdrop(job.network.path, box);
        }
        std::vector<LonLatRing> rings;
        if (!job.areas.path.empty()) {
            const Dataset& areas = study.dataset(job.areas, GeomKind::Area, "areas");
            for (const Feature& a : areas.features) {
                const int parts = GEOSGetNumGeometries_r(ctx, a.geom.get());
                for (int k = 0; k < parts; ++k) {
                    const GEOSGeometry* part = GEOSGetGeometryN_r(ctx, a.geom.get(), k);
                    const GEOSGeometry* ring = part ? GEOSGetExteriorRing_r(ctx, part) : nullptr;
                    const GEOSCoordSequence* seq = ring ? GEOSGeom_getCoordSeq_r(ctx, ring) : nullptr;
                    unsigned size = 0;
                    if (!seq || !GEOSCoordSeq_getSize_r(ctx, seq, &size)) continue;
                    LonLatRing r(size);
                    for (unsigned q = 0; q < size; ++q) GEOSCoordSeq_getXY_r(ctx, seq, q, &r[q][0], &r[q][1]);
                    rings.push_back(std::move(r));
                }
            }
        }
        std::string credit = job.attribution;
        if (!streets.empty() && credit.find("OpenStreetMap") == std::string::npos) credit += (credit.empty() ? "" : "; ") + std::string("Streets: © OpenStreetMap contributors (ODbL)");
        std::ofstream f(out.file("schedule.html"));
        f << schedule_html(job.title.empty() ? "National Night Out: officer visits" : job.title, credit, sheets, streets, rings);
        if (!f.flush()) throw_output(out.file("schedule.html").string() + ": cannot write");
        files.push_back("schedule.html");
    }
    if (layers) {
        layers->push_back(rl);
        layers->push_back(sl);
    }
    write_csv(sl, out.file("stops.csv"), job.out_crs);
    write_csv(ul, out.file("unvisited.csv"));
    files.push_back("stops.csv");
    files.push_back("unvisited.csv");
    {
        std::ofstream f(out.file("schedule.txt"));
        f << txt.str();
        if (!f.flush()) throw_output(out.file("schedule.txt").string() + ": cannot write" + os_reason(errno));
        files.push_back("schedule.txt");
    }

    nlohmann::json replan_json;
    if (replan) {
        // What changed against the earlier plan: its promises kept, moved or dropped, the new visits.
        OutLayer cl("changes", OutGeom::None);
        const std::size_t c_id = cl.add_field("event_id", FieldType::String), c_name = cl.add_field("event_name", FieldType::String);
        const std::size_t c_kind = cl.add_field("change", FieldType::String);
        const std::size_t c_ob = cl.add_field("officer_before", FieldType::String), c_sb = cl.add_field("start_before", FieldType::String);
        const std::size_t c_oa = cl.add_field("officer_after", FieldType::String), c_sa = cl.add_field("start_after", FieldType::String);
        const std::size_t c_shift = cl.add_field("shift_min", FieldType::Real), c_reason = cl.add_field("reason", FieldType::String);
        std::map<std::string, std::size_t> counts{{"kept", 0}, {"moved", 0}, {"dropped", 0}, {"added", 0}, {"done", 0}};
        nlohmann::json list = nlohmann::json::array();
        auto add = [&](const Event& e, const std::string& kind, int ob, double sb, int oa, double sa, const std::string& reason) {
            const Feature& f = events.features[e.feature];
            std::vector<Value> row(cl.fields.size());
            row[c_id] = f.id;
            row[c_name] = text_or_null(f.name);
            row[c_kind] = kind;
            if (ob >= 0) row[c_ob] = officers[ob].id;
            if (sb >= 0) row[c_sb] = clock_text(sb);
            if (oa >= 0) row[c_oa] = officers[oa].id;
            if (sa >= 0) row[c_sa] = clock_text(sa);
            if (sb >= 0 && sa >= 0) row[c_shift] = round_to((sa - sb) / 60, 0.01);
            row[c_reason] = text_or_null(reason);
            cl.rows.push_back(row);
            ++counts[kind];
            list.push_back({{"event_id", f.id}, {"change", kind}, {"officer_before", ob >= 0 ? nlohmann::json(officers[ob].id) : nlohmann::json(nullptr)},
                            {"start_before", sb >= 0 ? nlohmann::json(clock_text(sb)) : nlohmann::json(nullptr)},
                            {"officer_after", oa >= 0 ? nlohmann::json(officers[oa].id) : nlohmann::json(nullptr)},
                            {"start_after", sa >= 0 ? nlohmann::json(clock_text(sa)) : nlohmann::json(nullptr)},
                            {"reason", reason.empty() ? nlohmann::json(nullptr) : nlohmann::json(reason)}});
        };
        for (std::size_t i = 0; i < ev.size(); ++i)
            if (replan->done[i]) add(ev[i], "done", -1, -1, -1, -1, "");
        // Promises whose event left the problem (its window has closed, say) are dropped with its reason.
        std::size_t next_change = 0;
        const std::vector<route::Change> changes = route::plan_changes(p, promises, sol);
        std::vector<char> listed(ev.size(), 0);
        for (const Replan::Promised& pr : replan->promised) {
            const Event& e = ev[pr.event];
            if (listed[pr.event]) continue;
            listed[pr.event] = 1;
            if (e.job < 0) {
                add(e, "dropped", pr.officer, pr.start, -1, -1, e.reason);
                continue;
            }
            const route::Change& c = changes[next_change++];
            if (event_of_job[c.job] != static_cast<int>(pr.event)) throw_internal("re-plan changes out of order");
            add(e, route::change_name(c.kind), c.before_vehicle, c.before_start, c.after_vehicle, c.after_start, c.kind == route::ChangeKind::Dropped ? e.reason : "");
        }
        for (; next_change < changes.size(); ++next_change) {
            const route::Change& c = changes[next_change];
            add(ev[event_of_job[c.job]], route::change_name(c.kind), -1, -1, c.after_vehicle, c.after_start, "");
        }
        write_csv(cl, out.file("changes.csv"));
        files.push_back("changes.csv");
        nlohmann::json officer_status = nlohmann::json::object();
        for (std::size_t v = 0; v < officers.size(); ++v) officer_status[officers[v].id] = replan->status[v];
        replan_json = {{"now", clock_text(replan->now)},
                       {"positions", job.positions.path.empty() ? nlohmann::json(nullptr) : nlohmann::json(job.positions.path)},
                       {"done_file", job.done.path.empty() ? nlohmann::json(nullptr) : nlohmann::json(job.done.path)},
                       {"previous", job.previous.path.empty() ? nlohmann::json(nullptr) : nlohmann::json(job.previous.path)},
                       {"officers", officer_status},
                       {"promised", replan->promised.size()},
                       {"kept", counts["kept"]},
                       {"moved", counts["moved"]},
                       {"dropped", counts["dropped"]},
                       {"added", counts["added"]},
                       {"done", counts["done"]},
                       {"validation", "every route leaves from the officer's position when free; nothing before now; no party visited twice"},
                       {"changes", list}};
    }

    const std::size_t visited = ev.size() - ul.rows.size() - (replan ? replan->done_count : 0);
    nlohmann::json summary;
    summary["tool"] = "nightout";
    summary["command"] = "route";
    summary["inputs"]["events"] = describe_input(events);
    summary["inputs"]["officers"] = {{"path", T.path}, {"rows", T.rows.size()}};
    if (stations) summary["inputs"]["stations"] = describe_input(*stations);
    auto& params = summary["parameters"];
    params["travel"] = travel_json;
    params["default_window"] = job.window.empty() ? nlohmann::json(nullptr) : nlohmann::json(job.window);
    params["default_duration_min"] = job.duration_min;
    params["objective"] = std::string("maximise the priority-weighted number of visited events, then minimise total travel time") +
                          (job.balance ? "; --balance: plus sum over officers of work^2 / shift length (evens out working time)" : "");
    params["priority_from_areas"] = need_json.is_null() ? nlohmann::json(nullptr) : need_json;
    params["balance"] = job.balance;
    params["time_limit_s"] = job.iterations ? nlohmann::json(nullptr) : nlohmann::json(job.time_limit_s);
    params["iterations"] = job.iterations ? nlohmann::json(job.iterations) : nlohmann::json(nullptr);
    params["seed"] = job.seed;
    params["threads"] = study.threads();
    api::RouteResult result;
    result.events = ev.size();
    result.officers = officers.size();
    result.officers_used = static_cast<std::size_t>(std::count_if(sol.routes.begin(), sol.routes.end(), [](const auto& r) { return !r.empty(); }));
    result.visited = visited;
    result.unvisited = ul.rows.size();
    result.visited_share = round_to(static_cast<double>(visited) / static_cast<double>(ev.size()), 1e-6);
    result.priority_total = total_prio;
    result.priority_visited = visited_prio;
    result.travel_min = round_to(sol.travel / 60, 0.01);
    result.travel_km = round_to(total_length / 1000, 0.001);
    double max_work = 0, min_work = kUnreached;
    for (std::size_t v = 0; v < officers.size(); ++v)
        if (!sol.routes[v].empty()) {
            const double w = schedules[v].travel + schedules[v].service;
            max_work = std::max(max_work, w), min_work = std::min(min_work, w);
        }
    result.work_min_max = round_to(max_work / 60, 0.01);
    result.work_min_min = std::isfinite(min_work) ? round_to(min_work / 60, 0.01) : 0.0;
    for (const auto& [reason, count] : reasons) result.unvisited_reasons.emplace_back(reason, static_cast<std::size_t>(count));
    result.solve_seconds = round_to(sol.seconds, 1e-3);
    result.iterations = static_cast<unsigned long long>(sol.iterations);
    auto& res = summary["result"];
    res["events"] = result.events;
    res["officers"] = result.officers;
    res["officers_used"] = result.officers_used;
    res["visited"] = result.visited;
    res["unvisited"] = result.unvisited;
    res["visited_share"] = result.visited_share;
    res["priority_total"] = result.priority_total;
    res["priority_visited"] = result.priority_visited;
    res["travel_min"] = result.travel_min;
    res["travel_km"] = result.travel_km;
    res["work_min_max"] = result.work_min_max;
    res["work_min_min"] = result.work_min_min;
    res["unvisited_reasons"] = nlohmann::json::object();
    for (const auto& [reason, count] : result.unvisited_reasons) res["unvisited_reasons"][reason] = count;
    res["officers_detail"] = per_officer;
    res["validation"] = "every time window, shift and visit cap checked: no violation";
    res["solver"] = {{"method", "cheapest insertion, then SISR string removals with simulated annealing"},
                     {"iterations", result.iterations},
                     {"seconds", result.solve_seconds},
                     {"phases", sol.phases}};
    res["prepare_seconds"] = round_to(prep_seconds, 1e-3);
    summary["far_off"] = {{"max_offset_m", job.max_offset_m},
                          {"events", far_off_json(events, far.among.far[0], far.among.points[0])},
                          {"officers", far_off_json(far.officer_set, far.officers, far.officer_points)}};
    if (stations) summary["far_off"]["stations"] = far_off_json(*stations, far.among.far[1], far.among.points[1]);
    if (replan) res["replan"] = replan_json;
    files.push_back("summary.json");
    commit_with_summary(out, summary, files, log, seconds_since(started));
    log.info("wrote " + std::to_string(files.size()) + " files to " + study.shown(job.out_dir));
    result.warnings = log.warnings();
    result.summary_json = summary.dump();
    return {std::move(result), std::move(summary)};
}

}  // namespace nightout
