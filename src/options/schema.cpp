#include "options/schema.hpp"

#include "core/error.hpp"
#include "core/text.hpp"
#include "jobs/route_job.hpp"

#include <cmath>

namespace nightout::options {

namespace {

std::string shown(const Raw& raw) {
    if (auto* s = std::get_if<std::string>(&raw)) return *s;
    if (auto* d = std::get_if<double>(&raw)) return format_number(*d);
    if (auto* i = std::get_if<std::int64_t>(&raw)) return std::to_string(*i);
    return std::get<bool>(raw) ? "true" : "false";
}

[[noreturn]] void not_accepted(const Raw& raw, const Origin& origin, const std::string& accepted) {
    reject(origin, "'" + shown(raw) + "' is not accepted; expected " + accepted);
}

}  // namespace

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

const Schema<RouteJob>& route_schema() {
    static const Schema<RouteJob> schema{
        {"--window", "window", "window of events without start/end, e.g. 18:00-21:00", false,
         [](RouteJob& j, const Raw& r, const Origin& o) { j.window = text(r, o, "a window such as \"18:00-21:00\""); }},
        {"--duration", "duration", "visit length in minutes for events without a duration field (default 15)", false,
         [](RouteJob& j, const Raw& r, const Origin& o) {
             j.duration_min = number(r, o, {0, 24 * 60, true}, "a visit length in minutes above 0 and at most 1440, e.g. 15");
         }},
        {"--speed", "speed", "straight-line mode: travel speed in km/h (default 30)", false,
         [](RouteJob& j, const Raw& r, const Origin& o) { j.speed_kmh = number(r, o, {0, 300, true}, "a speed in km/h above 0 and at most 300, e.g. 30"); }},
        {"--start-field", "start_field", "event field with the window start (default start)", false,
         [](RouteJob& j, const Raw& r, const Origin& o) { j.start_field = text(r, o, "a field name"); }},
        {"--end-field", "end_field", "event field with the window end (default end)", false,
         [](RouteJob& j, const Raw& r, const Origin& o) { j.end_field = text(r, o, "a field name"); }},
        {"--duration-field", "duration_field", "event field with the visit length in minutes (default duration)", false,
         [](RouteJob& j, const Raw& r, const Origin& o) { j.duration_field = text(r, o, "a field name"); }},
        {"--priority-field", "priority_field", "event field with the priority weight (default priority; missing: 1)", false,
         [](RouteJob& j, const Raw& r, const Origin& o) { j.priority_field = text(r, o, "a field name"); }},
        {"--max-snap", "", "events farther than this from a road are not reachable (default 300m)", false,
         [](RouteJob& j, const Raw& r, const Origin& o) { j.max_snap_m = distance(r, o).meters; }},
        {"--balance", "balance", "also even out the officers' working time", true,
         [](RouteJob& j, const Raw& r, const Origin& o) { j.balance = boolean(r, o); }},
        {"--time-limit", "time_limit", "solver wall-clock seconds (default 10)", false,
         [](RouteJob& j, const Raw& r, const Origin& o) { j.time_limit_s = number(r, o, {0, 7 * 86400, true}, "a number of seconds above 0, e.g. 10"); }},
        {"--iterations", "iterations", "solver iterations per search instead of a time limit: deterministic", false,
         [](RouteJob& j, const Raw& r, const Origin& o) {
             j.iterations = whole(r, o, 1, 1'000'000'000'000ULL, "a whole number of solver iterations from 1, e.g. 50000");
         }},
        {"--seed", "seed", "seed of the solver's random choices (default 1)", false,
         [](RouteJob& j, const Raw& r, const Origin& o) { j.seed = whole(r, o, 0, 9'007'199'254'740'991ULL, "a whole number from 0, e.g. 1"); }},
    };
    return schema;
}

}  // namespace nightout::options
