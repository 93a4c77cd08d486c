#include "program/options.hpp"

#include "jobs/program_job.hpp"
#include "program/dates.hpp"

namespace nightout::options {

namespace {
// Checked here by the one rule of each (program/dates.hpp), kept as text for the stage.
std::string checked(const Raw& r, const Origin& o, const std::string& accepted, void (*rule)(const std::string&, const std::string&)) {
    const std::string t = text(r, o, accepted);
    try {
        rule(t, o.where);
    } catch (const std::exception& e) {
        reject(o, "'" + t + "' is not accepted; expected " + accepted);
    }
    return t;
}
}  // namespace

const Schema<ProgramJob>& program_schema() {
    using J = ProgramJob;
    static const Schema<ProgramJob> schema{
        {"--from", "program.from", "first day of the program, YYYY-MM-DD", false,
         [](J& j, const Raw& r, const Origin& o) { j.from = checked(r, o, "a date YYYY-MM-DD, e.g. 2027-01-01", [](const std::string& t, const std::string& w) { program::parse_date(t, w); }); }},
        {"--to", "program.to", "last day of the program, YYYY-MM-DD", false,
         [](J& j, const Raw& r, const Origin& o) { j.to = checked(r, o, "a date YYYY-MM-DD, e.g. 2027-12-31", [](const std::string& t, const std::string& w) { program::parse_date(t, w); }); }},
        {"--per-week", "program.per_week", "events a week (default 2)", false,
         [](J& j, const Raw& r, const Origin& o) { j.per_week = static_cast<int>(whole(r, o, 1, 7, "1 to 7 events a week")); }},
        {"--per-month", "program.per_month", "events a calendar month, instead of --per-week (spread over the month)", false,
         [](J& j, const Raw& r, const Origin& o) { j.per_month = static_cast<int>(whole(r, o, 1, 31, "1 to 31 events a month")); }},
        {"--days", "program.days", "event weekdays in order of preference, e.g. Tue,Thu,Sat (default)", false,
         [](J& j, const Raw& r, const Origin& o) { j.days = checked(r, o, "days of the week, e.g. Tue,Thu or Mon-Fri", [](const std::string& t, const std::string& w) { program::parse_weekdays(t, w); }); }},
        {"--start", "program.start", "event start time HH:MM (default 18:00)", false,
         [](J& j, const Raw& r, const Origin& o) { j.start = checked(r, o, "a time HH:MM, e.g. 18:00", [](const std::string& t, const std::string& w) { program::parse_minutes_of_day(t, w); }); }},
        {"--length", "program.length", "event length in hours (default 2)", false,
         [](J& j, const Raw& r, const Origin& o) { j.length_h = number(r, o, {0, 12, true}, "hours above 0 and at most 12, e.g. 2"); }},
        {"--officers", "program.officers", "teams per event (default 2)", false,
         [](J& j, const Raw& r, const Origin& o) { j.officers = static_cast<int>(whole(r, o, 0, 100, "0 to 100 teams per event")); }},
        {"--team-hours", "program.team_hours", "weekly hours of a team without a weekly_hours field (default 6)", false,
         [](J& j, const Raw& r, const Origin& o) { j.team_hours = number(r, o, {0, 168}, "hours from 0 to 168, e.g. 6"); }},
        {"--site-gap", "program.site_gap", "a site at most once in this span, e.g. 8w (default) or 56d", false,
         [](J& j, const Raw& r, const Origin& o) { j.site_gap = checked(r, o, "a span such as 8w or 56d", [](const std::string& t, const std::string& w) { program::parse_span_days(t, w); }); }},
        {"--every", "program.every", "target: each area reached once in every window of this span, e.g. 13w (default)", false,
         [](J& j, const Raw& r, const Origin& o) { j.every = checked(r, o, "a span such as 13w or 91d", [](const std::string& t, const std::string& w) { program::parse_span_days(t, w); }); }},
        {"--blackout", "program.blackout", "no events on these days: a file of dates, or dates and ranges a..b, comma-separated", false,
         [](J& j, const Raw& r, const Origin& o) { j.blackout = text(r, o, "a file of dates or a list such as 2027-07-05,2027-12-24..2027-12-26"); }},
        {"--season", "program.season", "months outdoor sites are used, e.g. 4-10 (default)", false,
         [](J& j, const Raw& r, const Origin& o) { j.season = checked(r, o, "months such as 4-10 or 5,6,7,8", [](const std::string& t, const std::string& w) { program::parse_months(t, w); }); }},
        {"--radius", "program.radius", "an event reaches areas within this straight-line distance, e.g. 800m", false,
         [](J& j, const Raw& r, const Origin& o) { j.radius = distance(r, o); }},
        {"--minutes", "program.minutes", "an event reaches areas within this travel time over --network", false,
         [](J& j, const Raw& r, const Origin& o) { j.minutes = number(r, o, {0, 24 * 60, true}, "a travel time in minutes above 0, e.g. 10"); }},
        {"--timezone", "program.timezone", "IANA time zone of the calendar (default America/New_York)", false,
         [](J& j, const Raw& r, const Origin& o) { j.timezone = text(r, o, "an IANA zone such as America/New_York"); }},
        {"--exact", "program.exact", "also solve the MIP with CBC (from the heuristic) and report its gap", true,
         [](J& j, const Raw& r, const Origin& o) { j.exact = boolean(r, o); }},
        {"--time-limit", "program.time_limit", "seconds for --exact (default 60)", false,
         [](J& j, const Raw& r, const Origin& o) { j.time_limit_s = number(r, o, {0, 7 * 86400, true}, "a number of seconds above 0, e.g. 60"); }},
        {"--seed", "program.seed", "seed of the heuristic's perturbations (default 1)", false,
         [](J& j, const Raw& r, const Origin& o) { j.seed = whole(r, o, 0, 9'007'199'254'740'991ULL, "a whole number from 0, e.g. 1"); }},
        {"--restarts", "program.restarts", "perturbation rounds of the heuristic (default 200)", false,
         [](J& j, const Raw& r, const Origin& o) { j.restarts = static_cast<int>(whole(r, o, 0, 1'000'000, "a whole number from 0, e.g. 200")); }},
        {"--format", "", "map format(s): geojson, gpkg, fgb, shp, kml (comma-separated; default geojson)", false,
         [](J& j, const Raw& r, const Origin& o) { j.formats = formats(r, o); }},
    };
    return schema;
}

}  // namespace nightout::options
