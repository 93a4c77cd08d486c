#include "options/schema.hpp"

#include "core/error.hpp"
#include "core/text.hpp"
#include "jobs/coverage_job.hpp"
#include "jobs/route_job.hpp"
#include "jobs/site_job.hpp"

#include <algorithm>
#include <cmath>

namespace nightout::options {

namespace {

[[noreturn]] void not_accepted(const Raw& raw, const Origin& origin, const std::string& accepted) {
    std::string message = "'";  // built in steps: GCC 12's -Wrestrict misfires on "'" + std::string
    message += text_of(raw);
    message += "' is not accepted; expected ";
    message += accepted;
    reject(origin, message);
}

// --max-offset, the same rule in every command that sorts out far-off points (analyse/far_off).
template <class Job>
Option<Job> max_offset_option(const std::string& key, const std::string& what, const std::string& extent) {
    return {"--max-offset", key, what + " farther than this beyond " + extent + " are reported, kept with status far_off and reach no one (default 50km)", false,
            [](Job& j, const Raw& r, const Origin& o) { j.max_offset_m = distance(r, o).meters; }};
}

}  // namespace

std::string text_of(const Raw& raw) {
    if (auto* s = std::get_if<std::string>(&raw)) return *s;
    if (auto* d = std::get_if<double>(&raw)) return format_number(*d);
    if (auto* i = std::get_if<std::int64_t>(&raw)) return std::to_string(*i);
    return std::get<bool>(raw) ? "true" : "false";
}

void reject(const Origin& origin, const std::string& message) {
    const std::string text = origin.where.empty() ? message : origin.where + ": " + message;
    if (origin.kind == Origin::Kind::Plan) throw_input(text);
    throw_usage(text);
}

double number(const Raw& raw, const Origin& origin, Range range, const std::string& accepted) {
    std::optional<double> v;
    if (auto* s = std::get_if<std::string>(&raw)) v = parse_number(*s);
    else if (auto* d = std::get_if<double>(&raw)) v = std::isfinite(*d) ? std::optional<double>(*d) : std::nullopt;
    else if (auto* i = std::get_if<std::int64_t>(&raw)) v = static_cast<double>(*i);
    if (!v || (range.min_exclusive ? !(*v > range.min) : !(*v >= range.min)) || !(*v <= range.max)) not_accepted(raw, origin, accepted);
    return *v;
}

std::uint64_t whole(const Raw& raw, const Origin& origin, std::uint64_t min, std::uint64_t max, const std::string& accepted) {
    std::optional<long long> v;
    if (auto* s = std::get_if<std::string>(&raw)) v = parse_integer(*s);
    else if (auto* i = std::get_if<std::int64_t>(&raw)) v = *i;
    else if (auto* d = std::get_if<double>(&raw); d && std::isfinite(*d) && *d == std::trunc(*d) && std::abs(*d) < 9e15) v = static_cast<long long>(*d);
    // Checked as signed first: -3 must never become 18446744073709551613.
    if (!v || *v < 0 || static_cast<std::uint64_t>(*v) < min || static_cast<std::uint64_t>(*v) > max) not_accepted(raw, origin, accepted);
    return static_cast<std::uint64_t>(*v);
}

bool boolean(const Raw& raw, const Origin& origin) {
    if (auto* b = std::get_if<bool>(&raw)) return *b;
    if (auto* s = std::get_if<std::string>(&raw)) {
        const std::string v = lower(trim(*s));
        if (v == "true" || v == "yes" || v == "1" || v == "on") return true;
        if (v == "false" || v == "no" || v == "0" || v == "off") return false;
    }
    not_accepted(raw, origin, "true or false");
}

std::string text(const Raw& raw, const Origin& origin, const std::string& accepted) {
    if (auto* s = std::get_if<std::string>(&raw)) return *s;
    not_accepted(raw, origin, accepted);
}

Distance distance(const Raw& raw, const Origin& origin) {
    const std::string t = text(raw, origin, "a distance with a unit, e.g. \"800m\", \"0.5mi\"");
    try {
        return parse_distance(t, "distance");
    } catch (const Error& e) {
        // parse_distance names its value "distance: ..."; the origin names it here.
        std::string m = e.what();
        if (m.rfind("distance: ", 0) == 0) m = m.substr(10);
        reject(origin, m);
    }
}

std::vector<Distance> distances(const Raw& raw, const Origin& origin) {
    const std::string t = text(raw, origin, "distances with a unit, e.g. \"400m,800m\"");
    std::vector<Distance> out;
    for (const std::string& part : split_trimmed(t, ',')) {
        const Distance d = distance(part, origin);
        for (const Distance& prev : out)
            if (std::abs(prev.meters - d.meters) < 1e-9) reject(origin, "'" + d.label + "' is given twice");
        out.push_back(d);
    }
    if (out.empty()) reject(origin, "no distance; expected e.g. \"400m,800m\"");
    return out;
}

double share(const Raw& raw, const Origin& origin, double min, double max) {
    const std::string accepted = "a share from " + format_number(min) + " to " + format_number(max) + " or a percent, e.g. 0.5 or 50%";
    double v = 0;
    if (auto* s = std::get_if<std::string>(&raw)) {
        std::string t = trim(*s);
        const bool percent = !t.empty() && t.back() == '%';
        if (percent) t.pop_back();
        const std::optional<double> parsed = parse_number(t);
        if (!parsed) not_accepted(raw, origin, accepted);
        v = percent ? *parsed / 100 : *parsed;
    } else {
        v = number(raw, origin, {-HUGE_VAL, HUGE_VAL}, accepted);
    }
    if (!(v >= min && v <= max)) not_accepted(raw, origin, accepted);
    return v;
}

std::string choice(const Raw& raw, const Origin& origin, const std::vector<std::string>& accepted) {
    std::string list;
    for (std::size_t i = 0; i < accepted.size(); ++i) list += (i == 0 ? "" : i + 1 == accepted.size() ? " or " : ", ") + accepted[i];
    const std::string v = text(raw, origin, list);
    for (const auto& a : accepted)
        if (v == a) return v;
    not_accepted(raw, origin, list);
}

std::vector<Format> formats(const Raw& raw, const Origin& origin) {
    const std::string accepted = "geojson, gpkg, fgb, shp or kml (several comma-separated)";
    std::vector<Format> out;
    for (const std::string& name : split_trimmed(text(raw, origin, accepted), ',')) {
        Format f;
        try {
            f = parse_format(name);
        } catch (const Error&) {
            reject(origin, "unknown format '" + name + "'; expected " + accepted);
        }
        if (std::find(out.begin(), out.end(), f) == out.end()) out.push_back(f);
    }
    if (out.empty()) reject(origin, "no format; expected " + accepted);
    return out;
}

const Schema<CoverageJob>& coverage_schema() {
    static const Schema<CoverageJob> schema{
        {"--radius", "coverage.radius", "reach, with unit; several give one result each: 400m,800m,1600m", false,
         [](CoverageJob& j, const Raw& r, const Origin& o) { j.options.radii = distances(r, o); }},
        {"--minutes", "coverage.minutes", "travel-time breaks along streets, e.g. 5,10,15 (with --network; else --radius is a street distance)", false,
         [](CoverageJob& j, const Raw& r, const Origin& o) {
             j.minutes.clear();
             const std::string accepted = "travel times in minutes above 0 and at most 1440, e.g. 5,10,15";
             for (const std::string& part : split_trimmed(text(r, o, accepted), ',')) {
                 const double m = number(part, o, {0, 24 * 60, true}, accepted);
                 for (double prev : j.minutes)
                     if (prev == m) reject(o, "a break of " + part + " minutes is given twice");
                 j.minutes.push_back(m);
             }
         }},
        {"--min-coverage", "coverage.min_coverage", "an area is underserved below this covered share, e.g. 0.5 or 50% (default 0.5)", false,
         [](CoverageJob& j, const Raw& r, const Origin& o) { j.options.min_coverage = share(r, o, 0, 1); }},
        {"--trim", "network.trim", "homes this far from a reached street count as reached (default 100m)", false,
         [](CoverageJob& j, const Raw& r, const Origin& o) { j.trim_m = distance(r, o).meters; }},
        {"--max-snap", "network.max_snap", "events farther than this from a road reach no one (default 300m)", false,
         [](CoverageJob& j, const Raw& r, const Origin& o) { j.max_snap_m = distance(r, o).meters; }},
        {"--format", "", "map format(s): geojson, gpkg, fgb, shp, kml (comma-separated; default geojson)", false,
         [](CoverageJob& j, const Raw& r, const Origin& o) { j.formats = formats(r, o); }},
        max_offset_option<CoverageJob>("coverage.max_offset", "events, stations and population points", "the areas' extent"),
        {"--priority", "coverage.priority", "need per area: FIELD[:high|:low], which end is needier, e.g. s1:high (violent crime) or m1:low (income)", false,
         [](CoverageJob& j, const Raw& r, const Origin& o) { j.equity.priority = parse_priority(text(r, o, "FIELD[:high|:low], e.g. s1:high"), o); }},
        {"--incident-weight", "coverage.incident_weight", "field of the --incidents points weighing each (default: each counts 1)", false,
         [](CoverageJob& j, const Raw& r, const Origin& o) { j.equity.incident_weight = text(r, o, "a field name"); }},
        {"--access", "coverage.access", "also each area's E2SFCA access score (events per 1,000 residents, distance-decayed by break)", true,
         [](CoverageJob& j, const Raw& r, const Origin& o) { j.equity.access = boolean(r, o); }},
        {"--access-weights", "coverage.access_weights", "E2SFCA weights, one per break from the nearest (default 1,0.68,0.22)", false,
         [](CoverageJob& j, const Raw& r, const Origin& o) {
             j.equity.access_weights.clear();
             const std::string accepted = "weights from 0 to 1, one per break, nearest first, e.g. 1,0.68,0.22";
             for (const std::string& part : split_trimmed(text(r, o, accepted), ',')) j.equity.access_weights.push_back(number(part, o, {0, 1}, accepted));
             if (j.equity.access_weights.empty()) reject(o, "no weight; expected " + accepted);
         }},
        {"--dropped-roads", "network.dropped_roads", "also write dropped_roads: the roads left out of the network (not strongly connected with the rest)", true,
         [](CoverageJob& j, const Raw& r, const Origin& o) { j.dropped_roads = boolean(r, o); }},
        {"--service-areas", "network.service_areas", "service-area polygons: dissolve (default), per-event or split (by nearest event)", false,
         [](CoverageJob& j, const Raw& r, const Origin& o) { j.service_areas = choice(r, o, {"dissolve", "per-event", "split"}); }},
    };
    return schema;
}

const Schema<SiteJob>& site_schema() {
    static const Schema<SiteJob> schema{
        {"--model", "site.model", "mclp, lscp, pmedian or pcenter", false,
         [](SiteJob& j, const Raw& r, const Origin& o) { j.model = choice(r, o, {"mclp", "lscp", "pmedian", "pcenter"}); }},
        {"-k,--sites", "site.k", "number of new sites (mclp, pmedian, pcenter)", false,
         [](SiteJob& j, const Raw& r, const Origin& o) { j.k = static_cast<int>(whole(r, o, 0, 1'000'000, "a whole number of new sites, e.g. 10")); }},
        {"--radius", "site.radius", "coverage distance with unit, e.g. 800m (mclp, lscp; reported for the others)", false,
         [](SiteJob& j, const Raw& r, const Origin& o) { j.radius = distance(r, o); }},
        {"--minutes", "site.minutes", "coverage travel time in minutes (mclp, lscp; needs --network)", false,
         [](SiteJob& j, const Raw& r, const Origin& o) { j.minutes = number(r, o, {0, 24 * 60, true}, "a travel time in minutes above 0, e.g. 10"); }},
        {"--target", "site.target", "lscp: share of demand to cover, e.g. 95% (default 100%)", false,
         [](SiteJob& j, const Raw& r, const Origin& o) {
             j.target = format_number(share(r, o, 1e-9, 1));  // kept as text: 95% -> "0.95"
         }},
        {"--grid", "site.grid", "split demand areas into cells of this size, e.g. 250m (needs --population-field)", false,
         [](SiteJob& j, const Raw& r, const Origin& o) { j.grid = distance(r, o); }},
        {"--max-snap", "", "points farther than this from any road are left out and reported (default 300m)", false,
         [](SiteJob& j, const Raw& r, const Origin& o) { j.max_snap_m = distance(r, o).meters; }},
        {"--exact", "site.exact", "also solve the MIP with CBC and report its bound and gap", true,
         [](SiteJob& j, const Raw& r, const Origin& o) { j.exact = boolean(r, o); }},
        {"--time-limit", "site.time_limit", "seconds for --exact (default 300)", false,
         [](SiteJob& j, const Raw& r, const Origin& o) { j.time_limit_s = number(r, o, {0, 7 * 86400, true}, "a number of seconds above 0, e.g. 60"); }},
        {"--seed", "site.seed", "seed of the heuristic's random moves (default 1)", false,
         [](SiteJob& j, const Raw& r, const Origin& o) { j.seed = whole(r, o, 0, 9'007'199'254'740'991ULL, "a whole number from 0, e.g. 1"); }},
        {"--effort", "site.effort", "scales the heuristic's iteration budget (default 1)", false,
         [](SiteJob& j, const Raw& r, const Origin& o) { j.effort = number(r, o, {0, 1000, true}, "a factor above 0 and at most 1000, e.g. 2"); }},
        {"--format", "", "map format(s): geojson, gpkg, fgb, shp, kml (comma-separated; default geojson)", false,
         [](SiteJob& j, const Raw& r, const Origin& o) { j.formats = formats(r, o); }},
        {"--objective", "site.objective",
         "whose reach counts: residents (default), group:NAME (e.g. group:black, with --group), priority (with --priority) or maxmin (the least share "
         "reached over the groups, mclp)",
         false,
         [](SiteJob& j, const Raw& r, const Origin& o) {
             const std::string v = text(r, o, "residents, group:NAME, priority or maxmin");
             if (v != "residents" && v != "priority" && v != "maxmin" && !(v.rfind("group:", 0) == 0 && v.size() > 6))
                 reject(o, "'" + v + "' is not accepted; expected residents, group:NAME (e.g. group:black), priority or maxmin");
             j.objective = v;
         }},
        {"--min-group-share", "site.min_group_share", "mclp: every group (--group) at least this share of its residents reached, e.g. 60% or 0.6", false,
         [](SiteJob& j, const Raw& r, const Origin& o) { j.min_group_share = share(r, o, 0, 1); }},
        {"--priority", "", "need per demand feature for --objective priority: FIELD[:high|:low], e.g. s1:high", false,
         [](SiteJob& j, const Raw& r, const Origin& o) { j.priority = parse_priority(text(r, o, "FIELD[:high|:low], e.g. s1:high"), o); }},
        max_offset_option<SiteJob>("site.max_offset", "demand points, candidates and required sites", "the demand's extent"),
        {"--write-problem", "", "also write problem.json: weights and the cost matrix, for external solvers", true,
         [](SiteJob& j, const Raw& r, const Origin& o) { j.write_problem = boolean(r, o); }},
    };
    return schema;
}

const Schema<TravelJob>& travel_schema() {
    static const Schema<TravelJob> schema{
        max_offset_option<TravelJob>("", "origins and destinations", "the extent of the others"),
    };
    return schema;
}

const Schema<RouteJob>& route_schema() {
    static const Schema<RouteJob> schema{
        {"--window", "route.window", "window of events without start/end, e.g. 18:00-21:00", false,
         [](RouteJob& j, const Raw& r, const Origin& o) { j.window = text(r, o, "a window such as \"18:00-21:00\""); }},
        {"--duration", "route.duration", "visit length in minutes for events without a duration field (default 15)", false,
         [](RouteJob& j, const Raw& r, const Origin& o) {
             j.duration_min = number(r, o, {0, 24 * 60, true}, "a visit length in minutes above 0 and at most 1440, e.g. 15");
         }},
        {"--speed", "route.speed", "straight-line mode: travel speed in km/h (default 30)", false,
         [](RouteJob& j, const Raw& r, const Origin& o) { j.speed_kmh = number(r, o, {0, 300, true}, "a speed in km/h above 0 and at most 300, e.g. 30"); }},
        {"--start-field", "route.start_field", "event field with the window start (default start)", false,
         [](RouteJob& j, const Raw& r, const Origin& o) { j.start_field = text(r, o, "a field name"); }},
        {"--end-field", "route.end_field", "event field with the window end (default end)", false,
         [](RouteJob& j, const Raw& r, const Origin& o) { j.end_field = text(r, o, "a field name"); }},
        {"--duration-field", "route.duration_field", "event field with the visit length in minutes (default duration)", false,
         [](RouteJob& j, const Raw& r, const Origin& o) { j.duration_field = text(r, o, "a field name"); }},
        {"--priority-field", "route.priority_field", "event field with the priority weight (default priority; missing: 1)", false,
         [](RouteJob& j, const Raw& r, const Origin& o) { j.priority_field = text(r, o, "a field name"); }},
        {"--priority", "route.priority", "need from the areas (--areas): FIELD[:high|:low]; each event's priority times its area's priority index, e.g. s1:high", false,
         [](RouteJob& j, const Raw& r, const Origin& o) { j.area_priority = parse_priority(text(r, o, "FIELD[:high|:low], e.g. s1:high"), o); }},
        {"--max-snap", "", "events farther than this from a road are not reachable (default 300m)", false,
         [](RouteJob& j, const Raw& r, const Origin& o) { j.max_snap_m = distance(r, o).meters; }},
        {"--balance", "route.balance", "also even out the officers' working time", true,
         [](RouteJob& j, const Raw& r, const Origin& o) { j.balance = boolean(r, o); }},
        {"--time-limit", "route.time_limit", "solver wall-clock seconds (default 10)", false,
         [](RouteJob& j, const Raw& r, const Origin& o) {
             j.time_limit_s = number(r, o, {0, 7 * 86400, true}, "a number of seconds above 0, e.g. 10");
             j.time_limit_given = true;
         }},
        {"--iterations", "route.iterations", "solver iterations per search instead of a time limit: deterministic", false,
         [](RouteJob& j, const Raw& r, const Origin& o) {
             j.iterations = whole(r, o, 1, 1'000'000'000'000ULL, "a whole number of solver iterations from 1, e.g. 50000");
         }},
        {"--seed", "route.seed", "seed of the solver's random choices (default 1)", false,
         [](RouteJob& j, const Raw& r, const Origin& o) { j.seed = whole(r, o, 0, 9'007'199'254'740'991ULL, "a whole number from 0, e.g. 1"); }},
        max_offset_option<RouteJob>("route.max_offset", "events, stations and officers' start and end points", "the extent of the others"),
        {"--now", "route.now", "re-plan the rest of the evening from this time (HH:MM), with --positions, --done, --previous", false,
         [](RouteJob& j, const Raw& r, const Origin& o) { j.now = text(r, o, "a time such as \"19:40\""); }},
    };
    return schema;
}

}  // namespace nightout::options
