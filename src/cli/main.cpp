// The `nightout` command: parses arguments, calls the library, and turns every
// error into one line on stderr with a documented exit code (docs/errors.md).
#include "core/error.hpp"
#include "core/log.hpp"
#include "core/units.hpp"
#include "jobs/coverage_job.hpp"
#include "jobs/network_job.hpp"
#include "jobs/plan_job.hpp"
#include "jobs/route_job.hpp"
#include "jobs/site_job.hpp"

#include <CLI/CLI.hpp>
#include <gdal.h>

#include <new>
#include <cstdio>
#include <iostream>

using namespace nightout;

namespace {

constexpr const char* kVersion = "0.1.0";

// --ROLE FILE, --ROLE-layer, --ROLE-id, --ROLE-name for one input.
void add_input(CLI::App* cmd, InputSpec& spec, const std::string& role, const std::string& help, bool required) {
    auto* opt = cmd->add_option("--" + role, spec.path, help);
    if (required) opt->required();
    cmd->add_option("--" + role + "-layer", spec.layer, "layer of the " + role + " file (GeoPackage, multi-layer files)");
    cmd->add_option("--" + role + "-id", spec.id_field, "id field of the " + role + " (default: detected, e.g. id)");
    cmd->add_option("--" + role + "-name", spec.name_field, "name field of the " + role + " (default: detected, e.g. name)");
}

struct CsvFlags {
    std::string lat, lon, wkt, crs;
    void add(CLI::App* cmd) {
        cmd->add_option("--lat-field", lat, "CSV latitude column (default: lat, latitude, y, ...)");
        cmd->add_option("--lon-field", lon, "CSV longitude column (default: lon, lng, long, longitude, x, ...)");
        cmd->add_option("--wkt-field", wkt, "CSV column holding WKT geometry (default: wkt, geometry, ...)");
        cmd->add_option("--crs", crs, "CRS of inputs that carry none, e.g. EPSG:2264 (default: WGS84 when coordinates fit)");
    }
    void apply(InputSpec& s) const {
        s.lat_field = lat;
        s.lon_field = lon;
        s.wkt_field = wkt;
        s.crs = crs;
    }
};

void print_coverage_summary(const nlohmann::json& s) {
    const auto& t = s["totals"];
    std::printf("%zu areas, %zu events", t["areas"].get<std::size_t>(), t["events"].get<std::size_t>());
    if (t.contains("population")) std::printf(", %.0f residents", t["population"].get<double>());
    std::printf("\n");
    for (const auto& r : t["per_radius"]) {
        std::printf("  within %-8s %5.1f%% of the area", r["radius"].get<std::string>().c_str(), 100 * r["covered_share"].get<double>());
        if (r.contains("population_share"))
            std::printf(", %5.1f%% of residents (%.0f not reached)", 100 * r["population_share"].get<double>(),
                        r["population_uncovered"].get<double>());
        std::printf("; %d underserved areas\n", r["underserved_areas"].get<int>());
    }
    if (t.contains("event_to_nearest_station_mean_m"))
        std::printf("  event to nearest station: mean %.0f m, max %.0f m (straight line)\n",
                    t["event_to_nearest_station_mean_m"].get<double>(), t["event_to_nearest_station_max_m"].get<double>());
}

void print_site_summary(const nlohmann::json& s) {
    const auto& r = s["result"];
    const auto& t = s["totals"];
    std::printf("%s: %zu new site(s) for %zu demand point(s) (%.0f people), %zu candidates, %zu required\n",
                s["parameters"]["model"].get<std::string>().c_str(), r["new_sites"].get<std::size_t>(), t["demand_points"].get<std::size_t>(),
                t["demand"].get<double>(), t["candidates"].get<std::size_t>(), t["required"].get<std::size_t>());
    std::printf("  objective: %s", r["objective_text"].get<std::string>().c_str());
    if (!r["bound"].is_null())
        std::printf("; bound %.6g, gap %.4f%%%s", r["bound"].get<double>(), 100 * r["gap"].get<double>(), r["proven_optimal"].get<bool>() ? " (optimal)" : "");
    std::printf("; solved in %.2f s\n", r["solve_seconds"].get<double>());
    for (const char* when : {"before", "after"}) {
        const auto& b = t[when];
        if (b.is_null()) continue;
        if (b.contains("mean_time_s"))
            std::printf("  %-6s mean travel time %.1f min, worst %.1f min", when, b["mean_time_s"].get<double>() / 60, b["max_time_s"].get<double>() / 60);
        else
            std::printf("  %-6s mean distance %.0f m, worst %.0f m", when, b["mean_distance_m"].get<double>(), b["max_distance_m"].get<double>());
        if (b.contains("covered_share")) std::printf(", %.1f%% of people within %s", 100 * b["covered_share"].get<double>(),
                                                     s["parameters"]["reach"].get<std::string>().c_str());
        std::printf("\n");
    }
    for (const auto& site : r["sites"]) {
        if (site["rank"].get<int>() > 10) {
            std::printf("  ... (%zu sites in sites.geojson)\n", r["sites"].size());
            break;
        }
        std::printf("  %2d. %s (%s): +%.0f\n", site["rank"].get<int>(), (site["name"].get<std::string>().empty() ? site["id"] : site["name"]).get<std::string>().c_str(),
                    site["source"].get<std::string>().c_str(), site["marginal_demand"].get<double>());
    }
}

void print_route_summary(const nlohmann::json& s) {
    const auto& r = s["result"];
    std::printf("%zu events, %zu officers (%zu used): %zu visited (%.1f%%), priority %g of %g\n", r["events"].get<std::size_t>(),
                r["officers"].get<std::size_t>(), r["officers_used"].get<std::size_t>(), r["visited"].get<std::size_t>(), 100 * r["visited_share"].get<double>(),
                r["priority_visited"].get<double>(), r["priority_total"].get<double>());
    std::printf("  travel %.0f min (%.1f km); working time per officer %.0f-%.0f min; solved in %.1f s (%llu iterations)\n", r["travel_min"].get<double>(),
                r["travel_km"].get<double>(), r["work_min_min"].get<double>(), r["work_min_max"].get<double>(), r["solver"]["seconds"].get<double>(),
                static_cast<unsigned long long>(r["solver"]["iterations"].get<std::uint64_t>()));
    for (const auto& [reason, count] : r["unvisited_reasons"].items()) std::printf("  not visited: %d, %s\n", count.get<int>(), reason.c_str());
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"nightout: coverage gaps, officer travel and maps for police-community events"};
    app.require_subcommand(1);
    app.fallthrough();  // -q and --threads may also follow the command
    app.set_version_flag("--version", kVersion);
    bool quiet = false;
    unsigned threads = 0;
    app.add_flag("-q,--quiet", quiet, "no progress or warnings on stderr");
    app.add_option("--threads", threads, "worker threads (default: all cores)");

    // coverage
    CoverageJob cj;
    CsvFlags cov_csv;
    std::string radius_text, formats_text = "geojson";
    auto* cov = app.add_subcommand("coverage", "which parts of each neighborhood are within reach of an event");
    add_input(cov, cj.areas, "areas", "neighborhood polygons", true);
    add_input(cov, cj.events, "events", "event points", true);
    add_input(cov, cj.stations, "stations", "police station points (optional)", false);
    cov->add_option("--population", cj.population.path, "a finer population layer (polygons or points) to interpolate from");
    cov->add_option("--population-layer", cj.population.layer, "layer of the population file");
    cov->add_option("--population-field", cj.population_field, "population count field (of --population, or of the areas)");
    cov->add_option("--radius", radius_text, "reach, with unit; several give one result each: 400m,800m,1600m");
    cov->add_option("--min-coverage", cj.options.min_coverage, "an area is underserved below this covered share (default 0.5)");
    cov->add_option("--out", cj.out_dir, "output folder")->required();
    cov->add_option("--format", formats_text, "map format(s): geojson, gpkg, fgb, shp, kml (comma-separated; default geojson)");
    cov_csv.add(cov);
    std::string cov_minutes, cov_trim = "100m", cov_max_snap = "300m";
    auto* cov_network = cov->add_option("--network", cj.network.path, "measure reach along streets: a .graph file, an OSM extract or a centerline layer");
    auto* cov_profile = cov->add_option("--profile", cj.network.profile, "walk, bike, drive (default) or a profile file, with --network");
    cov->add_option("--minutes", cov_minutes, "travel-time breaks along streets, e.g. 5,10,15 (with --network; else --radius is a street distance)");
    cov->add_option("--trim", cov_trim, "homes this far from a reached street count as reached (default 100m)");
    cov->add_option("--max-snap", cov_max_snap, "events farther than this from a road reach no one (default 300m)");
    cov->add_option("--service-areas", cj.service_areas, "service-area polygons: dissolve (default), per-event or split (by nearest event)");
    cov->add_flag("--report", cj.report, "also write report.html: a self-contained map report that works offline");
    cov->add_option("--basemap", cj.basemap_url, "report.html: a tile URL template, e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png (default: none, no network)");
    cov->add_option("--basemap-attribution", cj.basemap_attribution, "report.html: the credit the tile provider asks for");

    // travel
    TravelJob tj;
    CsvFlags tr_csv;
    auto* tr = app.add_subcommand("travel", "straight-line (geodesic) distance matrix between two point sets");
    add_input(tr, tj.from, "from", "origin points (e.g. stations)", true);
    add_input(tr, tj.to, "to", "destination points (e.g. events)", true);
    tr->add_option("--out", tj.matrix_out, "matrix CSV: from_id,to_id,distance_m")->required();
    tr->add_option("--nearest", tj.nearest_out, "optional CSV: each destination's nearest origin");
    tr_csv.add(tr);
    NetworkTravelJob ntj;
    std::string max_snap_text = "300m";
    tr->add_option("--network", ntj.network.path, "road network: a .graph file, an OSM extract or a street-centerline layer");
    auto* tr_profile = tr->add_option("--profile", ntj.network.profile, "walk, bike, drive (default) or a profile file");
    tr->add_option("--max-snap", max_snap_text, "points farther than this from a road are unreachable (default 300m)");
    tr->add_option("--routes", ntj.routes_out, "GeoJSON of each destination's route from its nearest origin (with --network)");

    // graph
    NetworkOptions gopt;
    std::string graph_in, graph_out;
    auto* graph = app.add_subcommand("graph", "prepare or export a routable road graph");
    graph->require_subcommand(1);
    auto add_network_flags = [&](CLI::App* cmd) {
        cmd->add_option("input", graph_in, "OSM extract (.osm.pbf, .osm, .osm.gz, .osm.bz2), centerline layer or .graph file")->required();
        cmd->add_option("--profile", gopt.profile, "walk, bike, drive (default) or a profile file");
        cmd->add_option("--layer", gopt.layer, "layer of a centerline file");
        cmd->add_option("--crs", gopt.crs, "CRS of a centerline file that has none");
        cmd->add_option("--snap-tolerance", gopt.snap_tolerance_m, "centerlines: end points closer than this (metres) are joined (default 1)");
        cmd->add_option("--oneway-field", gopt.oneway_field, "centerlines: one-way field (yes/1/FT with, -1/TF against the digitized direction)");
        cmd->add_option("--speed-field", gopt.speed_field, "centerlines: speed field in km/h");
        cmd->add_option("--class-field", gopt.class_field, "centerlines: road class field, matched to the profile's classes");
    };
    auto* gbuild = graph->add_subcommand("build", "build the routable graph once, for fast loading");
    add_network_flags(gbuild);
    gbuild->add_option("-o,--out", graph_out, "output .graph file")->required();
    auto* gexport = graph->add_subcommand("export", "write the routable graph's directed edges as CSV");
    add_network_flags(gexport);
    gexport->add_option("--out", graph_out, "output CSV")->required();

    // site
    SiteJob sj;
    OrLibJob oj;
    CsvFlags site_csv;
    std::vector<std::string> candidate_paths, required_paths;
    std::string cand_layer, cand_id, cand_name, req_layer, req_id, req_name, site_radius, site_grid, site_formats = "geojson", orlib_path, site_max_snap = "300m";
    double minutes = 0;
    auto* st = app.add_subcommand("site", "suggest where new events would reach the most residents (location-allocation)");
    add_input(st, sj.demand, "demand", "demand: points with a population field, or areas (e.g. neighborhoods)", false);
    st->add_option("--candidates", candidate_paths, "candidate site point file(s), comma-separated or repeated (parks, schools, ...)")->delimiter(',');
    st->add_option("--candidates-layer", cand_layer, "layer of the candidate files");
    st->add_option("--candidates-id", cand_id, "id field of the candidates (default: detected)");
    st->add_option("--candidates-name", cand_name, "name field of the candidates (default: detected)");
    st->add_option("--required", required_paths, "existing sites (e.g. events.csv), always open; comma-separated or repeated")->delimiter(',');
    st->add_option("--required-layer", req_layer, "layer of the required files");
    st->add_option("--required-id", req_id, "id field of the required sites (default: detected)");
    st->add_option("--required-name", req_name, "name field of the required sites (default: detected)");
    st->add_option("--population-field", sj.population_field, "people per demand feature (default: each weighs 1)");
    st->add_option("--grid", site_grid, "split demand areas into cells of this size, e.g. 250m (needs --population-field)");
    st->add_option("--model", sj.model, "mclp, lscp, pmedian or pcenter");
    st->add_option("-k,--sites", sj.k, "number of new sites (mclp, pmedian, pcenter)");
    st->add_option("--radius", site_radius, "coverage distance with unit, e.g. 800m (mclp, lscp; reported for the others)");
    auto* minutes_opt = st->add_option("--minutes", minutes, "coverage travel time in minutes (mclp, lscp; needs --network)");
    st->add_option("--target", sj.target, "lscp: share of demand to cover, e.g. 95% (default 100%)");
    st->add_option("--network", sj.network.path, "road network for travel costs: a .graph file, an OSM extract or a centerline layer");
    auto* st_profile = st->add_option("--profile", sj.network.profile, "walk, bike, drive (default) or a profile file, with --network");
    st->add_option("--max-snap", site_max_snap, "points farther than this from any road are left out and reported (default 300m)");
    st->add_flag("--exact", sj.exact, "also solve the MIP with CBC and report its bound and gap");
    st->add_option("--time-limit", sj.time_limit_s, "seconds for --exact (default 300)");
    st->add_option("--seed", sj.seed, "seed of the heuristic's random moves (default 1)");
    st->add_option("--effort", sj.effort, "scales the heuristic's iteration budget (default 1)");
    st->add_option("--out", sj.out_dir, "output folder");
    st->add_option("--format", site_formats, "map format(s): geojson, gpkg, fgb, shp, kml (comma-separated; default geojson)");
    st->add_flag("--write-problem", sj.write_problem, "also write problem.json: weights and the cost matrix, for external solvers");
    st->add_option("--orlib", orlib_path, "solve an OR-Library p-median file (p from the file); prints JSON on stdout");
    site_csv.add(st);

    // plan
    std::string plan_path, plan_out, plan_formats, plan_basemap, plan_basemap_attr;
    auto* pl = app.add_subcommand("plan", "run a whole study named in a plan file (TOML): coverage, travel, site suggestions, report.html");
    pl->add_option("plan", plan_path, "the plan file, e.g. data/charlotte/plan.toml")->required();
    pl->add_option("--out", plan_out, "output folder (default: out/NAME, NAME from the plan or its folder)");
    pl->add_option("--format", plan_formats, "map format(s), replacing the plan's formats: geojson, gpkg, fgb, shp, kml");
    pl->add_option("--basemap", plan_basemap, "report.html: a tile URL template (default: none, no network)");
    pl->add_option("--basemap-attribution", plan_basemap_attr, "report.html: the credit the tile provider asks for");
    // route
    RouteJob rj;
    RouteBenchmarkJob rb;
    CsvFlags route_csv;
    std::string route_speed = "30", route_duration = "15", route_max_snap = "300m";
    auto* rt = app.add_subcommand("route", "plan officer visits for one evening (time windows, shifts, priorities)");
    add_input(rt, rj.events, "events", "event points, with start/end (HH:MM), duration (min) and priority fields when known", false);
    add_input(rt, rj.officers, "officers", "officers or teams: id, start (station id/name), end, shift_start, shift_end, max_visits", false);
    add_input(rt, rj.stations, "stations", "police stations named by the officers' start/end fields", false);
    rt->add_option("--window", rj.window, "window of events without start/end, e.g. 18:00-21:00");
    rt->add_option("--duration", route_duration, "visit length in minutes for events without a duration field (default 15)");
    rt->add_option("--start-field", rj.start_field, "event field with the window start (default start)");
    rt->add_option("--end-field", rj.end_field, "event field with the window end (default end)");
    rt->add_option("--duration-field", rj.duration_field, "event field with the visit length in minutes (default duration)");
    rt->add_option("--priority-field", rj.priority_field, "event field with the priority weight (default priority; missing: 1)");
    auto* rt_network = rt->add_option("--network", rj.network.path, "travel time along streets: a .graph file, an OSM extract or a centerline layer");
    auto* rt_profile = rt->add_option("--profile", rj.network.profile, "walk, bike, drive (default) or a profile file, with --network");
    rt->add_option("--speed", route_speed, "straight-line mode: travel speed in km/h (default 30)");
    rt->add_option("--max-snap", route_max_snap, "events farther than this from a road are not reachable (default 300m)");
    rt->add_flag("--balance", rj.balance, "also even out the officers' working time");
    rt->add_option("--time-limit", rb.time_limit_s, "solver wall-clock seconds (default 10)");
    rt->add_option("--iterations", rb.iterations, "solver iterations per search instead of a time limit: deterministic");
    rt->add_option("--seed", rb.seed, "seed of the solver's random choices (default 1)");
    rt->add_option("--out", rj.out_dir, "output folder");
    rt->add_option("--solomon", rb.solomon, "solve a Solomon/Gehring-Homberger VRPTW file; prints JSON on stdout");
    rt->add_option("--vehicles", rb.vehicles, "with --solomon: at most this many routes (default: the file's fleet)");
    rt->add_option("--tsplib", rb.tsplib, "solve a TSPLIB symmetric TSP file; prints JSON on stdout");
    route_csv.add(rt);

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        std::fprintf(stderr, "nightout: error: %s (see nightout --help)\n", e.what());
        return static_cast<int>(ErrorKind::Usage);
    }

    Log log(quiet);
    try {
        if (cov->parsed()) {
            if (!radius_text.empty()) cj.options.radii = parse_distance_list(radius_text, "--radius");
            if (!cov_minutes.empty()) {
                for (const auto& m : split_trimmed(cov_minutes, ',')) {
                    char* end = nullptr;
                    double v = std::strtod(m.c_str(), &end);
                    if (m.empty() || *end != '\0' || !(v > 0)) throw_usage("--minutes: '" + m + "' is not a positive number of minutes; expected e.g. 5,10,15");
                    cj.minutes.push_back(v);
                }
            }
            if (cov_network->count() == 0 && (cov_profile->count() > 0 || !cov_minutes.empty()))
                throw_usage(cov_profile->count() ? "--profile needs --network" : "--minutes needs --network (travel time is measured along streets)");
            cj.network.profile_given = cov_profile->count() > 0;
            cj.trim_m = parse_distance(cov_trim, "--trim").meters;
            cj.max_snap_m = parse_distance(cov_max_snap, "--max-snap").meters;
            if (cj.options.radii.empty() && cj.minutes.empty()) throw_usage("--radius or --minutes is required, e.g. --radius 800m");
            cj.formats.clear();
            for (const auto& f : split_trimmed(formats_text, ',')) cj.formats.push_back(parse_format(f));
            for (InputSpec* s : {&cj.areas, &cj.events, &cj.stations, &cj.population}) cov_csv.apply(*s);
            cj.threads = threads;
            print_coverage_summary(run_coverage(cj, log));
        } else if (pl->parsed()) {
            PlanJob pj{read_plan(plan_path), plan_out, threads};
            if (!plan_formats.empty()) {
                pj.plan.formats.clear();
                for (const auto& f : split_trimmed(plan_formats, ',')) pj.plan.formats.push_back(parse_format(f));
            }
            if (!plan_basemap.empty()) pj.plan.basemap_url = plan_basemap;
            if (!plan_basemap_attr.empty()) pj.plan.basemap_attribution = plan_basemap_attr;
            auto s = run_plan(pj, log);
            print_coverage_summary(s["steps"]["coverage"]);
            if (s["steps"].contains("site")) print_site_summary(s["steps"]["site"]);
            std::printf("report: %s/report.html\n", (plan_out.empty() ? "out/" + pj.plan.name : plan_out).c_str());
        } else if (tr->parsed() && !ntj.network.path.empty()) {
            ntj.from = tj.from;
            ntj.to = tj.to;
            tr_csv.apply(ntj.from);
            tr_csv.apply(ntj.to);
            ntj.matrix_out = tj.matrix_out;
            ntj.network.profile_given = tr_profile->count() > 0;
            ntj.max_snap_m = parse_distance(max_snap_text, "--max-snap").meters;
            ntj.threads = threads;
            run_network_travel(ntj, log);
        } else if (tr->parsed()) {
            if (!ntj.routes_out.empty()) throw_usage("--routes needs --network");
            tr_csv.apply(tj.from);
            tr_csv.apply(tj.to);
            tj.threads = threads;
            run_travel(tj, log);
        } else if (gbuild->parsed()) {
            gopt.path = graph_in;
            auto j = run_graph_build(gopt, graph_out, log);
            std::printf("%s: %zu nodes, %zu edges (%s), %llu shortcuts; built in %.2f s\n", graph_out.c_str(), j["nodes"].get<std::size_t>(),
                        j["edges"].get<std::size_t>(), j["profile"].get<std::string>().c_str(),
                        static_cast<unsigned long long>(j["shortcuts"].get<std::uint64_t>()), j["build_s"].get<double>());
        } else if (gexport->parsed()) {
            gopt.path = graph_in;
            auto j = run_graph_export(gopt, graph_out, log);
            std::printf("%s: %zu directed edges\n", graph_out.c_str(), j["edges"].get<std::size_t>());
        } else if (rt->parsed()) {
            rb.threads = threads;
            if (!rb.solomon.empty() || !rb.tsplib.empty()) {
                std::printf("%s\n", run_route_benchmark(rb, log).dump().c_str());
                return 0;
            }
            if (rt_network->count() == 0 && rt_profile->count() > 0) throw_usage("--profile needs --network");
            rj.network.profile_given = rt_profile->count() > 0;
            rj.time_limit_s = rb.time_limit_s;
            rj.iterations = rb.iterations;
            rj.seed = rb.seed;
            rj.threads = threads;
            rj.max_snap_m = parse_distance(route_max_snap, "--max-snap").meters;
            auto number = [](const std::string& text, const char* what) {
                char* end = nullptr;
                const double v = std::strtod(text.c_str(), &end);
                if (text.empty() || *end != '\0' || !(v > 0)) throw_usage(std::string(what) + ": '" + text + "' is not a positive number");
                return v;
            };
            rj.speed_kmh = number(route_speed, "--speed");
            rj.duration_min = number(route_duration, "--duration");
            for (InputSpec* s : {&rj.events, &rj.officers, &rj.stations}) route_csv.apply(*s);
            print_route_summary(run_route(rj, log));
        } else if (st->parsed()) {
            if (!orlib_path.empty()) {
                oj = {orlib_path, sj.exact, sj.time_limit_s, sj.seed, sj.effort, threads};
                std::printf("%s\n", run_orlib(oj, log).dump().c_str());
                return 0;
            }
            auto specs = [&](const std::vector<std::string>& paths, const std::string& layer, const std::string& id, const std::string& name) {
                std::vector<InputSpec> out;
                for (const auto& p : paths) {
                    if (p.empty()) continue;
                    InputSpec s;
                    s.path = p;
                    s.layer = layer;
                    s.id_field = id;
                    s.name_field = name;
                    site_csv.apply(s);
                    out.push_back(s);
                }
                return out;
            };
            sj.candidates = specs(candidate_paths, cand_layer, cand_id, cand_name);
            sj.required = specs(required_paths, req_layer, req_id, req_name);
            site_csv.apply(sj.demand);
            if (!site_radius.empty()) sj.radius = parse_distance(site_radius, "--radius");
            if (!site_grid.empty()) sj.grid = parse_distance(site_grid, "--grid");
            sj.max_snap_m = parse_distance(site_max_snap, "--max-snap").meters;
            sj.network.profile_given = st_profile->count() > 0;
            if (minutes_opt->count()) sj.minutes = minutes;
            sj.formats.clear();
            for (const auto& f : split_trimmed(site_formats, ',')) sj.formats.push_back(parse_format(f));
            sj.threads = threads;
            print_site_summary(run_site(sj, log));
        }
    } catch (const Error& e) {
        std::fprintf(stderr, "nightout: error: %s\n", e.what());
        return e.exit_code();
    } catch (const std::bad_alloc&) {  // not a bug: the input is too large for this machine
        std::fprintf(stderr, "nightout: error: not enough memory for this run; try smaller inputs, or a machine with more memory\n");
        return static_cast<int>(ErrorKind::Input);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "nightout: internal error: %s\n", e.what());
        return static_cast<int>(ErrorKind::Internal);
    }
    return 0;
}
