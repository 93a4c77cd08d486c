// The program stage (jobs/program_job.hpp): inputs -> program::Instance -> solve -> staffing
// -> outputs. The model knows nothing of files; this file turns the inputs into slots, reach
// sets and availability, and the calendar back into the files planners use.
#include "jobs/program_job.hpp"

#include "analyse/study.hpp"
#include "analyse/travel.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "engine/results_json.hpp"
#include "geo/geodesic.hpp"
#include "network/table.hpp"
#include "jobs/report.hpp"
#include "program/calendar_files.hpp"
#include "program/dates.hpp"
#include "program/model.hpp"
#include "program/staffing.hpp"
#include "write/output_dir.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <numeric>
#include <set>

namespace nightout {

namespace {

constexpr double kSameSiteM = 10;  // a fixed event this close to a candidate site is held there

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

std::string attr_text(const Dataset& ds, const Feature& f, int field) {
    if (field < 0) return {};
    const Value& v = f.attrs[static_cast<std::size_t>(field)];
    if (auto* s = std::get_if<std::string>(&v)) return trim(*s);
    if (auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
    if (auto* d = std::get_if<double>(&v)) return format_number(*d);
    return {};
}

int field_ci(const Dataset& ds, const std::string& name) {
    for (std::size_t i = 0; i < ds.fields.size(); ++i)
        if (lower(ds.fields[i].name) == lower(name)) return static_cast<int>(i);
    return -1;
}

bool yes(const std::string& v) {
    const std::string l = lower(v);
    return l == "yes" || l == "true" || l == "1" || l == "y" || l == "indoor";
}

// --blackout: a file of dates (the first column of each line; a header and blank lines are
// skipped), or a list of dates and ranges.
std::set<int> blackout_days(const std::string& text) {
    if (text.empty()) return {};
    if (std::filesystem::is_regular_file(text)) {
        std::ifstream in(text);
        std::set<int> out;
        std::string line;
        int n = 0;
        while (std::getline(in, line)) {
            ++n;
            std::string first = trim(line.substr(0, line.find(',')));
            if (first.empty() || first[0] == '#' || (n == 1 && !std::isdigit(static_cast<unsigned char>(first[0])))) continue;
            const std::set<int> d = program::parse_dates(first, text + ": line " + std::to_string(n));
            out.insert(d.begin(), d.end());
        }
        return out;
    }
    return program::parse_dates(text, "--blackout");
}

}  // namespace

api::ProgramResult run_program(const ProgramJob& job, Study& study, std::vector<OutLayer>* layers) {
    Log& log = study.log();
    const auto started = Clock::now();
    // Options first, so that a bad command line fails before any file is read.
    if (job.areas.path.empty()) throw_usage("--areas is required: the neighborhoods (areas with a population field)");
    if (job.population_field.empty()) throw_usage("--population-field is required: residents per area");
    if (job.candidates.empty()) throw_usage("--candidates is required: one or more point files of possible sites (parks, libraries, ...)");
    if (job.out_dir.empty()) throw_usage("--out is required: the output folder");
    if (job.from.empty() || job.to.empty()) throw_usage("--from and --to are required: the program's first and last day, e.g. --from 2027-01-01 --to 2027-12-31");
    const int from = program::parse_date(job.from, "--from"), to = program::parse_date(job.to, "--to");
    if (to < from) throw_usage("--to (" + job.to + ") is before --from (" + job.from + ")");
    if (to - from > 3 * 366) throw_usage("--from/--to: a program spans at most three years");
    if (job.per_week && job.per_month) throw_usage("--per-week and --per-month: give one cadence, events a week or events a month");
    const int per_week = job.per_week ? job.per_week : job.per_month ? 0 : 2;
    if (per_week && (per_week < 1 || per_week > 7)) throw_usage("--per-week: expected 1 to 7 events a week");
    if (job.per_month && (job.per_month < 1 || job.per_month > 31)) throw_usage("--per-month: expected 1 to 31 events a month");
    const unsigned event_days = program::parse_weekdays(job.days, "--days");
    const int start_min = program::parse_minutes_of_day(job.start, "--start");
    if (!(job.length_h > 0 && job.length_h <= 12)) throw_usage("--length: expected an event length in hours above 0 and at most 12, e.g. 2");
    const int gap_days = program::parse_span_days(job.site_gap, "--site-gap");
    const int every_days = program::parse_span_days(job.every, "--every");
    const unsigned season = program::parse_months(job.season, "--season");
    const bool by_network = !job.network.path.empty();
    if (job.radius && job.minutes) throw_usage("--radius and --minutes: give one reach, a distance or a travel time");
    if (!job.radius && !job.minutes) throw_usage("--radius (e.g. 800m) or --minutes (with --network, e.g. 10) is required: how far an event reaches");
    if (job.minutes && !by_network) throw_usage("--minutes needs --network (travel time is measured along streets)");
    if (job.officers < 0) throw_usage("--officers: expected 0 or more teams per event");
    const std::set<int> blackout = blackout_days(job.blackout);
    program::check_timezone(job.timezone);

    std::vector<std::string> inputs{job.areas.path};
    for (const auto& c : job.candidates) inputs.push_back(c.path);
    refuse_output_over_inputs(job.out_dir, inputs);
    OutputDir out(job.out_dir);
    const ContextPool& pool = study.pool();
    const GeosContext& ctx = pool.main();
    ProjContext pctx;

    // read
    log.info("reading inputs");
    std::vector<Study::Request> requests{{&job.areas, GeomKind::Area, "areas"}};
    for (const auto& c : job.candidates) requests.push_back({&c, GeomKind::Point, "candidates"});
    if (!job.fixed.path.empty()) requests.push_back({&job.fixed, GeomKind::Point, "fixed events"});
    if (!job.stations.path.empty()) requests.push_back({&job.stations, GeomKind::Point, "stations"});
    study.read_all(requests);
    const Dataset& areas = study.dataset(job.areas, GeomKind::Area, "areas");
    std::vector<const Dataset*> all{&areas};
    for (const auto& c : job.candidates) all.push_back(&study.dataset(c, GeomKind::Point, "candidates"));
    const Dataset* fixed = job.fixed.path.empty() ? nullptr : &study.dataset(job.fixed, GeomKind::Point, "fixed events");
    const Dataset* stations = job.stations.path.empty() ? nullptr : &study.dataset(job.stations, GeomKind::Point, "stations");
    if (fixed) all.push_back(fixed);

    // prepare: areas (weight, representative point), sites (availability), slots
    program::ProgramData data;
    data.from = from;
    data.to = to;
    data.start_min = start_min;
    data.length_min = static_cast<int>(std::lround(job.length_h * 60));
    data.every_days = every_days;
    data.timezone = job.timezone;
    data.areas_dataset = &areas;
    LocalProjection projection = projection_for(ctx, all);
    Transform to_local(pctx, kWgs84LonLat, projection.proj_string());
    const ProjectedAreas pareas = project_areas(pool, to_local, areas, study.threads());
    const std::vector<double> population = areas.numeric_field(job.population_field, log);
    const std::vector<double> priority =
        job.priority_field.empty() ? std::vector<double>(areas.features.size(), 1.0) : areas.numeric_field(job.priority_field, log);
    for (std::size_t i = 0; i < areas.features.size(); ++i)
        data.areas.push_back({areas.features[i].id, areas.features[i].name, population[i], population[i] * priority[i], pareas.rep_lonlat[i], i});

    auto is_indoor_file = [&](const Dataset& ds) {
        const std::string stem = std::filesystem::path(ds.path).stem().string();
        for (const std::string& f : job.indoor)
            if (f == ds.path || f == stem || std::filesystem::path(f).filename() == std::filesystem::path(ds.path).filename()) return true;
        return false;
    };
    for (std::size_t c = 0; c < job.candidates.size(); ++c) {
        const Dataset& ds = *all[c + 1];
        const bool indoor_file = is_indoor_file(ds);
        const int f_days = field_ci(ds, "days"), f_months = field_ci(ds, "months"), f_indoor = field_ci(ds, "indoor"),
                  f_cap = field_ci(ds, "max_events");
        for (std::size_t f = 0; f < ds.features.size(); ++f) {
            const Feature& feat = ds.features[f];
            program::SiteInfo s;
            s.id = feat.id;
            s.name = feat.name;
            s.source = std::filesystem::path(ds.path).stem().string();
            point_xy(ctx, feat.geom.get(), s.lonlat.lon, s.lonlat.lat);
            s.indoor = indoor_file || yes(attr_text(ds, feat, f_indoor));
            const std::string where = ds.path + ": " + feat.where;
            const std::string d = attr_text(ds, feat, f_days), m = attr_text(ds, feat, f_months);
            s.weekdays = d.empty() ? 0x7f : program::parse_weekdays(d, where + ": field days");
            s.months = !m.empty() ? program::parse_months(m, where + ": field months") : s.indoor ? 0x1ffe : season;
            if (const std::string c = attr_text(ds, feat, f_cap); !c.empty()) {
                const std::optional<double> v = parse_number(c);
                if (!v || *v < 0 || *v != std::floor(*v) || *v > 100000)
                    throw_input(where + ": field max_events: '" + c + "' is not accepted; expected a whole number of events from 0 (empty: no limit)");
                s.max_events = static_cast<int>(*v);
            }
            s.dataset = &ds;
            s.feature = f;
            data.sites.push_back(s);
        }
    }
    const std::size_t candidate_sites = data.sites.size();
    // Fixed events: each its own site, on its own date.
    std::vector<std::pair<int, int>> fixed_events;  // (day, site)
    if (fixed) {
        const int f_date = field_ci(*fixed, "date");
        if (f_date < 0) throw_input(fixed->path + ": no 'date' field; fixed events need a date (YYYY-MM-DD) each");
        for (std::size_t f = 0; f < fixed->features.size(); ++f) {
            const Feature& feat = fixed->features[f];
            const int day = program::parse_date(attr_text(*fixed, feat, f_date), fixed->path + ": " + feat.where + ": field date");
            if (day < from || day > to) {
                log.warn(fixed->path + ": " + feat.where + ": " + program::date_text(day) + " is outside --from/--to; left out");
                continue;
            }
            LonLat at;
            point_xy(ctx, feat.geom.get(), at.lon, at.lat);
            // At a candidate site (within kSameSiteM): that site's event, so its gap and
            // capacity count it; else a site of its own.
            int tied = -1;
            double nearest = kSameSiteM;
            for (std::size_t j = 0; j < candidate_sites; ++j) {
                const double dist = geodesic_distance(at.lon, at.lat, data.sites[j].lonlat.lon, data.sites[j].lonlat.lat);
                if (dist <= nearest) nearest = dist, tied = static_cast<int>(j);
            }
            if (tied >= 0) {
                log.info(fixed->path + ": " + feat.where + " (" + program::date_text(day) + ") is at candidate site " + data.sites[tied].source + " " +
                         data.sites[tied].id + " (" + format_number(std::round(nearest * 10) / 10) + " m): the site gap and capacity count it");
                data.fixed_names.push_back({day, feat.name.empty() ? feat.id : feat.name});
                fixed_events.push_back({day, tied});
                continue;
            }
            program::SiteInfo s;
            s.id = feat.id;
            s.name = feat.name;
            s.source = std::filesystem::path(fixed->path).stem().string();
            s.lonlat = at;
            s.fixed = true;
            s.indoor = true;
            s.dataset = fixed;
            s.feature = f;
            fixed_events.push_back({day, static_cast<int>(data.sites.size())});
            data.sites.push_back(s);
        }
    }

    // Slots: per week from --from, the first --per-week event days not blacked out; or per
    // calendar month, --per-month of its event days not blacked out, spread evenly over it.
    std::vector<int> slot_days;
    if (per_week) {
        for (int week_start = from; week_start <= to; week_start += 7) {
            int taken = 0;
            for (int d = week_start; d < week_start + 7 && d <= to && taken < per_week; ++d) {
                if (!(event_days >> program::weekday(d) & 1u)) continue;
                if (blackout.count(d)) {
                    ++data.blacked_out;
                    continue;
                }
                slot_days.push_back(d);
                ++taken;
            }
        }
        data.cadence = std::to_string(per_week) + " a week";
    } else {
        for (int d = from; d <= to;) {
            const std::string month = program::date_text(d).substr(0, 7);
            std::vector<int> days;
            for (; d <= to && program::date_text(d).substr(0, 7) == month; ++d) {
                if (!(event_days >> program::weekday(d) & 1u)) continue;
                if (blackout.count(d)) {
                    ++data.blacked_out;
                    continue;
                }
                days.push_back(d);
            }
            const std::size_t n = days.size(), k = static_cast<std::size_t>(job.per_month);
            for (std::size_t i = 0; i < std::min(n, k); ++i) slot_days.push_back(n <= k ? days[i] : days[(2 * i + 1) * n / (2 * k)]);
        }
        data.cadence = std::to_string(job.per_month) + " a month";
    }
    std::vector<std::pair<int, int>> slots;  // (day, fixed site or -1)
    for (int d : slot_days) slots.push_back({d, -1});
    for (auto& fe : fixed_events) slots.push_back(fe);
    std::sort(slots.begin(), slots.end());
    program::Instance& in = data.instance;
    for (const auto& a : data.areas) in.weight.push_back(a.weight);
    data.windows = program::ProgramData::window_count(from, to, every_days);
    in.windows = data.windows;
    in.site_gap_days = gap_days;
    for (const auto& site : data.sites) in.max_events.push_back(site.max_events);
    for (auto [day, site] : slots) {
        in.slot_day.push_back(day);
        in.slot_window.push_back(data.window_of(day));
        in.fixed_site.push_back(site);
        std::vector<char> row(data.sites.size(), 0);
        for (std::size_t j = 0; j < candidate_sites; ++j) {
            const auto& s = data.sites[j];
            row[j] = (s.weekdays >> program::weekday(day) & 1u) && (s.months >> program::month_of(day) & 1u);
        }
        if (site >= 0) row[site] = 1;
        in.allowed.push_back(std::move(row));
    }

    // Reach: straight-line distance from each area's representative point, or travel time.
    log.info("reach: " + std::to_string(data.areas.size()) + " areas x " + std::to_string(data.sites.size()) + " sites");
    std::vector<LonLat> from_pts, to_pts;
    for (const auto& a : data.areas) from_pts.push_back(a.lonlat);
    for (const auto& s : data.sites) to_pts.push_back(s.lonlat);
    in.reach.assign(data.sites.size(), {});
    if (!by_network) {
        const std::vector<double> d = distance_matrix(to_pts, from_pts, study.threads(), log);
        for (std::size_t j = 0; j < data.sites.size(); ++j)
            for (std::size_t a = 0; a < data.areas.size(); ++a)
                if (d[j * data.areas.size() + a] <= job.radius->meters) in.reach[j].push_back(static_cast<int>(a));
        data.reach_label = job.radius->label + " straight-line";
    } else {
        const bool by_time = job.minutes.has_value();
        const Network& net = study.network(job.network, by_time);
        PointSet sset{to_pts, {}, "site"}, aset{from_pts, {}, "area"};
        for (const auto& s : data.sites) sset.ids.push_back(s.id);
        for (const auto& a : data.areas) aset.ids.push_back(a.id);
        const TravelTable t = travel_table(net, by_time ? Metric::Duration : Metric::Distance, sset, aset, job.max_snap_m, study.threads(), log);
        const double limit = by_time ? *job.minutes * 60 : job.radius->meters;
        for (std::size_t j = 0; j < data.sites.size(); ++j)
            if (t.from[j].ok)
                for (std::size_t a = 0; a < data.areas.size(); ++a)
                    if (t.to[a].ok && t.at(j, a) <= limit) in.reach[j].push_back(static_cast<int>(a));
        data.reach_label = by_time ? format_number(*job.minutes) + " min " + net.graph.profile : job.radius->label + " " + net.graph.profile;
    }

    // analyse
    program::Options options;
    options.seed = job.seed;
    options.restarts = job.restarts;
    options.exact = job.exact;
    options.time_limit_s = job.time_limit_s;
    log.info("solving the calendar: " + std::to_string(in.slots()) + " slots, " + std::to_string(in.windows) + " windows" + (job.exact ? " (exact, CBC)" : ""));
    const auto solve_started = Clock::now();
    data.solution = program::solve(in, options);
    data.solve_seconds = seconds_since(solve_started);

    // staffing
    if (!job.teams.path.empty()) {
        const Table teams = read_table(job.teams, "teams");
        data.staffing = program::staff(ctx, data, teams, stations, job.officers, job.team_hours);
    }

    // write
    api::ProgramResult result = program::write_outputs(ctx, data, out, job.formats, study, layers);
    result.seconds = round_to(seconds_since(started), 0.001);
    const nlohmann::json summary = to_json(result);
    result.summary_json = summary.dump();
    {
        std::ofstream f(out.file("summary.json"));
        f << summary.dump(2) << "\n";
        if (!f) throw_output(study.shown(out.file("summary.json")) + ": cannot be written");
    }
    out.commit();
    return result;
}

}  // namespace nightout
