// The `nightout` command: parses arguments, calls the library, and turns every
// error into one line on stderr with a documented exit code (docs/errors.md).
#include <nightout/version.hpp>

#include "cli/bind.hpp"
#include "cli/suggest.hpp"
#include "cli/program_command.hpp"
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
#include <filesystem>
#include <iostream>

using namespace nightout;

namespace {

constexpr const char* kVersion = NIGHTOUT_VERSION;  // from project() in CMakeLists.txt

// --ROLE FILE, --ROLE-layer, --ROLE-id, --ROLE-name for one input.
void add_input(CLI::App* cmd, InputSpec& spec, const std::string& role, const std::string& help, bool required) {
    auto* opt = cmd->add_option("--" + role, spec.path, help);
    if (required) opt->required();
    cmd->add_option("--" + role + "-layer", spec.layer, "layer of the " + role + " file (GeoPackage, multi-layer files)");
    cmd->add_option("--" + role + "-id", spec.id_field, "id field of the " + role + " (default: detected, e.g. id)");
    cmd->add_option("--" + role + "-name", spec.name_field, "name field of the " + role + " (default: detected, e.g. name)");
    cmd->add_option("--" + role + "-crs", spec.crs, "CRS of the " + role + " file when it carries none (default: --crs)");
}

struct CsvFlags {
    std::string lat, lon, wkt, crs;
    bool skip_bad_rows = false;
    void add(CLI::App* cmd) {
        cmd->add_option("--lat-field", lat, "CSV latitude column (default: lat, latitude, y, ...)");
        cmd->add_option("--lon-field", lon, "CSV longitude column (default: lon, lng, long, longitude, x, ...)");
        cmd->add_option("--wkt-field", wkt, "CSV column holding WKT geometry (default: wkt, geometry, ...)");
        cmd->add_option("--crs", crs, "CRS of inputs that carry none, e.g. EPSG:2264 (default: WGS84 when coordinates fit)");
        cmd->add_flag("--skip-bad-rows", skip_bad_rows, "read the rows that can be read and list the others in rejected.csv (default: stop and name them)");
    }
    void apply(InputSpec& s) const {
        s.lat_field = lat;
        s.lon_field = lon;
        s.wkt_field = wkt;
        if (s.crs.empty()) s.crs = crs;  // --ROLE-crs first, then --crs for every input that carries none
        s.skip_bad_rows = skip_bad_rows;
    }
};

void print_coverage_summary(const api::CoverageTotals& t) {
    std::printf("%zu areas, %zu events", t.areas, t.events);
    if (t.population) std::printf(", %.0f residents", *t.population);
    std::printf("\n");
    for (const auto& b : t.breaks) {
        std::printf("  within %-8s %5.1f%% of the area", b.label.c_str(), 100 * b.covered_share);
        if (b.population_share) std::printf(", %5.1f%% of residents (%.0f not reached)", 100 * *b.population_share, b.population_uncovered.value_or(0));
        std::printf("; %zu underserved areas\n", b.underserved_areas);
    }
    if (t.event_to_nearest_station_mean_m)
        std::printf("  event to nearest station: mean %.0f m, max %.0f m (straight line)\n", *t.event_to_nearest_station_mean_m,
                    t.event_to_nearest_station_max_m.value_or(0));
}

void print_site_summary(const api::SiteResult& r) {
    std::printf("%s: %zu new site(s) for %zu demand point(s) (%.0f people), %zu candidates, %zu required\n", r.model.c_str(), r.sites.size(),
                r.demand_points, r.demand, r.candidates, r.required);
    std::printf("  objective: %s", r.objective_text.c_str());
    if (r.bound) std::printf("; bound %.6g, gap %.4f%%%s", *r.bound, 100 * r.gap.value_or(0), r.proven_optimal ? " (optimal)" : "");
    std::printf("; solved in %.2f s\n", r.solve_seconds);
    const bool time = r.cost_unit == "s";
    for (const auto& [when, costs] : {std::pair{"before", r.before}, std::pair{"after", std::optional<api::SiteCosts>(r.after)}}) {
        if (!costs) continue;
        if (time) std::printf("  %-6s mean travel time %.1f min, worst %.1f min", when, costs->mean / 60, costs->max / 60);
        else std::printf("  %-6s mean distance %.0f m, worst %.0f m", when, costs->mean, costs->max);
        if (costs->covered_share) std::printf(", %.1f%% of people within %s (site model: demand at points)", 100 * *costs->covered_share, r.reach.value_or("").c_str());
        if (costs->unreached_demand > 0) std::printf("; %.0f people reach no site along the streets", costs->unreached_demand);
        std::printf("\n");
    }
    if (r.area_model_after) {
        std::printf("  area model (as coverage): ");
        if (r.area_model_before) std::printf("%.1f%% before, ", 100 * *r.area_model_before);
        std::printf("%.1f%% of people within %s after\n", 100 * *r.area_model_after, r.reach.value_or("").c_str());
    }
    if (!r.groups.empty()) {
        std::printf("  objective %s; share of each group reached within %s (site model), before -> after:\n", r.objective_key.c_str(), r.reach.value_or("").c_str());
        for (const auto& g : r.groups)
            std::printf("    %-12s %5.1f%% -> %5.1f%% (%.0f of %.0f)%s\n", g.name.c_str(), 100 * g.share_before, 100 * g.share_after, g.reached_after, g.residents,
                        r.min_group_share && g.share_after + 1e-9 < *r.min_group_share ? "  below the minimum" : "");
    }
    if (r.off_network_demand > 0)
        std::printf("  off the road network: %.0f of %.0f people (%.1f%%), in every share's base, never reached\n", r.off_network_demand, r.demand,
                    100 * r.off_network_demand / r.demand);
    for (const auto& site : r.sites) {
        if (site.rank > 10) {
            std::printf("  ... (%zu sites in sites.geojson)\n", r.sites.size());
            break;
        }
        std::printf("  %2d. %s (%s): +%.0f\n", site.rank, (site.name.empty() ? site.id : site.name).c_str(), site.source.c_str(), site.marginal_demand);
    }
}

void print_route_summary(const api::RouteResult& r) {
    std::printf("%zu events, %zu officers (%zu used): %zu visited (%.1f%%), priority %g of %g\n", r.events, r.officers, r.officers_used, r.visited,
                100 * r.visited_share, r.priority_visited, r.priority_total);
    std::printf("  travel %.0f min (%.1f km); working time per officer %.0f-%.0f min; solved in %.1f s (%llu iterations)\n", r.travel_min, r.travel_km,
                r.work_min_min, r.work_min_max, r.solve_seconds, r.iterations);
    for (const auto& [reason, count] : r.unvisited_reasons) std::printf("  not visited: %zu, %s\n", count, reason.c_str());
}

}  // namespace

// The command's entry point, called by the launcher (src/cli/launcher.cpp) once it loaded this library.
extern "C" __attribute__((visibility("default"))) int nightout_cli_main(int argc, char** argv) {
    CLI::App app{"nightout: coverage gaps, officer travel and maps for police-community events"};
    app.require_subcommand(1);
    app.fallthrough();  // -q and --threads may also follow the command
    app.set_version_flag("--version", kVersion);
    bool quiet = false;
    unsigned threads = 0;
    app.add_flag("-q,--quiet", quiet, "no progress or warnings on stderr");
    app.add_option("--threads", threads, "worker threads (default: all cores)");
    std::string out_crs_text;  // --out-crs of coverage, site, route and plan
    const char* out_crs_help = "CRS of the GeoPackage, FlatGeobuf and Shapefile outputs and of CSV point coordinates, e.g. EPSG:2264 (GeoJSON and KML stay WGS84)";

    // coverage
    CoverageJob cj;
    CsvFlags cov_csv;
    auto* cov = app.add_subcommand("coverage", "which parts of each neighborhood are within reach of an event");
    add_input(cov, cj.areas, "areas", "neighborhood polygons", true);
    add_input(cov, cj.events, "events", "event points", true);
    add_input(cov, cj.stations, "stations", "police station points (optional)", false);
    cov->add_option("--population", cj.population.path, "a finer population layer (polygons or points) to interpolate from");
    cov->add_option("--population-layer", cj.population.layer, "layer of the population file");
    cov->add_option("--population-crs", cj.population.crs, "CRS of the population file when it carries none (default: --crs)");
    cov->add_option("--population-field", cj.population_field, "population count field (of --population, or of the areas)");
    std::vector<std::string> group_texts;
    cov->add_option("--group", group_texts, "a population group, repeatable: NAME=FIELD[:share|:count], e.g. black=p9 (a percent of residents)");
    add_input(cov, cj.equity.incidents, "incidents", "incident points (calls for service, robberies): counts and rate per area", false);
    cli::BoundOptions coverage_options(cov, options::coverage_schema());
    cov->add_option("--out", cj.out_dir, "output folder")->required();
    cov->add_option("--out-crs", out_crs_text, out_crs_help);
    cov_csv.add(cov);
    cov->add_option("--network", cj.network.path, "measure reach along streets: a .graph file, an OSM extract or a centerline layer");
    auto* cov_profile = cov->add_option("--profile", cj.network.profile, "walk, bike, drive (default) or a profile file, with --network");
    cov->add_flag("--report", cj.report, "also write report.html: a self-contained map report that works offline");
    cov->add_option("--title", cj.report_title, "report.html: its title (default: \"Event coverage: \" and the areas file's name)");
    cov->add_option("--basemap", cj.basemap_url, "report.html: a tile URL template, e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png (default: none, no network)");
    cov->add_option("--basemap-attribution", cj.basemap_attribution, "report.html: the credit the tile provider asks for");

    // travel
    TravelJob tj;
    CsvFlags tr_csv;
    auto* tr = app.add_subcommand("travel", "straight-line (geodesic) distance matrix between two point sets");
    add_input(tr, tj.from, "from", "origin points (e.g. stations)", true);
    add_input(tr, tj.to, "to", "destination points (e.g. events)", true);
    tr->add_option("--out", tj.matrix_out, "matrix CSV: from_id,to_id,distance_m")->required();
    tr->add_option("--nearest", tj.nearest_out, "optional CSV: each destination's nearest origin (with --network: by travel time)");
    tr_csv.add(tr);
    cli::BoundOptions travel_options(tr, options::travel_schema());
    NetworkTravelJob ntj;
    std::string max_snap_text = "300m";
    tr->add_option("--network", ntj.network.path, "road network: a .graph file, an OSM extract or a street-centerline layer");
    auto* tr_profile = tr->add_option("--profile", ntj.network.profile, "walk, bike, drive (default) or a profile file");
    tr->add_option("--max-snap", max_snap_text, "points farther than this from a road are unreachable (default 300m)");
    tr->add_option("--routes", ntj.routes_out, "GeoJSON of each destination's route from its nearest origin (with --network)");
    std::string layout_text = "long";
    tr->add_option("--layout", layout_text, "matrix CSV layout: long (one line per pair, default) or wide (one line per origin, one column per destination: "
                                            "durations in s along streets, distances in m in straight lines)");

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
    std::string cand_layer, cand_id, cand_name, cand_crs, req_layer, req_id, req_name, req_crs, orlib_path;
    auto* st = app.add_subcommand("site", "suggest where new events would reach the most residents (location-allocation)");
    add_input(st, sj.demand, "demand", "demand: points with a population field, or areas (e.g. neighborhoods)", false);
    st->add_option("--candidates", candidate_paths, "candidate site point file(s), comma-separated or repeated (parks, schools, ...)")->delimiter(',');
    st->add_option("--candidates-layer", cand_layer, "layer of the candidate files");
    st->add_option("--candidates-id", cand_id, "id field of the candidates (default: detected)");
    st->add_option("--candidates-name", cand_name, "name field of the candidates (default: detected)");
    st->add_option("--candidates-crs", cand_crs, "CRS of the candidate files when they carry none (default: --crs)");
    st->add_option("--required", required_paths, "existing sites (e.g. events.csv), always open; comma-separated or repeated")->delimiter(',');
    st->add_option("--required-layer", req_layer, "layer of the required files");
    st->add_option("--required-id", req_id, "id field of the required sites (default: detected)");
    st->add_option("--required-name", req_name, "name field of the required sites (default: detected)");
    st->add_option("--required-crs", req_crs, "CRS of the required files when they carry none (default: --crs)");
    st->add_option("--population-field", sj.population_field, "people per demand feature (default: each weighs 1)");
    std::vector<std::string> site_group_texts;
    st->add_option("--group", site_group_texts, "a population group for --objective group:NAME, repeatable: NAME=FIELD[:share|:count]");
    cli::BoundOptions site_options(st, options::site_schema());
    st->add_option("--network", sj.network.path, "road network for travel costs: a .graph file, an OSM extract or a centerline layer");
    auto* st_profile = st->add_option("--profile", sj.network.profile, "walk, bike, drive (default) or a profile file, with --network");
    st->add_option("--out", sj.out_dir, "output folder");
    st->add_option("--out-crs", out_crs_text, out_crs_help);
    st->add_option("--orlib", orlib_path, "solve an OR-Library p-median file (p from the file); prints JSON on stdout");
    site_csv.add(st);

    cli::ProgramCommand program_command(app);

    // plan
    std::string plan_path, plan_out, plan_formats, plan_basemap, plan_basemap_attr;
    auto* pl = app.add_subcommand("plan", "run a whole study named in a plan file (TOML): coverage, travel, site suggestions, report.html");
    pl->add_option("plan", plan_path, "the plan file, e.g. data/charlotte/plan.toml")->required();
    pl->add_option("--out", plan_out, "output folder (default: out/NAME, NAME from the plan or its folder)");
    pl->add_option("--format", plan_formats, "map format(s), replacing the plan's formats: geojson, gpkg, fgb, shp, kml");
    pl->add_option("--out-crs", out_crs_text, out_crs_help);
    pl->add_option("--basemap", plan_basemap, "report.html: a tile URL template (default: none, no network)");
    pl->add_option("--basemap-attribution", plan_basemap_attr, "report.html: the credit the tile provider asks for");
    // route
    RouteJob rj;
    RouteBenchmarkJob rb;
    CsvFlags route_csv;
    auto* rt = app.add_subcommand("route", "plan officer visits for one evening (time windows, shifts, priorities)");
    add_input(rt, rj.events, "events", "event points, with start/end (HH:MM), duration (min) and priority fields when known", false);
    add_input(rt, rj.officers, "officers", "officers or teams: id, start (station id/name), end, shift_start, shift_end, max_visits", false);
    add_input(rt, rj.stations, "stations", "police stations named by the officers' start/end fields", false);
    add_input(rt, rj.areas, "areas", "areas (neighborhoods): drawn on schedule.html's maps; with --priority, each event's need", false);
    rt->add_option("--positions", rj.positions.path, "re-planning: officers now (id, lon/lat or at, available, status = away, break_done, worked)");
    rt->add_option("--done", rj.done.path, "re-planning: parties already visited (event_id)");
    rt->add_option("--previous", rj.previous.path, "re-planning: the earlier plan's stops.csv (officer_id, event_id, start), kept where possible");
    cli::BoundOptions route_options(rt, options::route_schema());
    rt->add_option("--network", rj.network.path, "travel time along streets: a .graph file, an OSM extract or a centerline layer");
    auto* rt_profile = rt->add_option("--profile", rj.network.profile, "walk, bike, drive (default) or a profile file, with --network");
    rt->add_option("--out", rj.out_dir, "output folder");
    rt->add_option("--out-crs", out_crs_text, "CRS of the x, y columns of stops.csv, e.g. EPSG:2264 (the GeoJSON stays WGS84)");
    rt->add_option("--solomon", rb.solomon, "solve a Solomon/Gehring-Homberger VRPTW file; prints JSON on stdout");
    rt->add_option("--vehicles", rb.vehicles, "with --solomon: at most this many routes (default: the file's fleet); with --toptw: routes (default 1)");
    rt->add_option("--toptw", rb.toptw, "solve a TOPTW (orienteering) file in Vansteenwegen's format: most profit; prints JSON on stdout");
    rt->add_option("--distances", rb.distances, "with --toptw: exact (default) or tenth (Euclidean distances truncated to one decimal)");
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
        const std::string typo = cli::explain_typo(app, argc, argv);  // "did you mean" for unknown commands and flags
        std::fprintf(stderr, "nightout: error: %s (see nightout --help)\n", typo.empty() ? e.what() : typo.c_str());
        return static_cast<int>(ErrorKind::Usage);
    }

    Log log(quiet);
    try {
        if (cov->parsed()) {
            coverage_options.apply(cj);
            for (const std::string& g : group_texts) cj.equity.groups.push_back(parse_group(g, {options::Origin::Kind::CommandLine, "--group"}));
            cj.network.profile_given = cov_profile->count() > 0;
            for (InputSpec* s : {&cj.areas, &cj.events, &cj.stations, &cj.population, &cj.equity.incidents}) cov_csv.apply(*s);
            cj.threads = threads;
            if (!out_crs_text.empty()) cj.out_crs = parse_out_crs(out_crs_text);
            Study study(log, threads);
            print_coverage_summary(coverage_stage(cj, study).result.totals);
        } else if (pl->parsed()) {
            PlanJob pj{read_plan(plan_path), plan_out, threads};
            if (!plan_formats.empty()) pj.plan.formats = options::formats(plan_formats, {options::Origin::Kind::CommandLine, "--format"});
            if (!out_crs_text.empty()) pj.plan.out_crs = parse_out_crs(out_crs_text);
            if (!plan_basemap.empty()) pj.plan.basemap_url = plan_basemap;
            if (!plan_basemap_attr.empty()) pj.plan.basemap_attribution = plan_basemap_attr;
            const PlanOutcome outcome = plan_stage(pj, log);
            print_coverage_summary(outcome.result.coverage.totals);
            if (outcome.result.site) print_site_summary(*outcome.result.site);
            // A relative output folder is relative to the current folder (not to the plan file): say which.
            const std::filesystem::path report = std::filesystem::path(outcome.result.out_dir) / "report.html";
            if (report.is_relative()) std::printf("report: %s (in %s)\n", report.c_str(), std::filesystem::current_path().c_str());
            else std::printf("report: %s\n", report.c_str());
        } else if (tr->parsed() && !ntj.network.path.empty()) {
            travel_options.apply(tj);
            ntj.max_offset_m = tj.max_offset_m;
            ntj.from = tj.from;
            ntj.to = tj.to;
            tr_csv.apply(ntj.from);
            tr_csv.apply(ntj.to);
            ntj.matrix_out = tj.matrix_out;
            ntj.nearest_out = tj.nearest_out;
            ntj.network.profile_given = tr_profile->count() > 0;
            ntj.max_snap_m = parse_distance(max_snap_text, "--max-snap").meters;
            ntj.threads = threads;
            ntj.layout = parse_matrix_layout(layout_text);
            run_network_travel(ntj, log);
        } else if (tr->parsed()) {
            if (!ntj.routes_out.empty()) throw_usage("--routes needs --network");
            travel_options.apply(tj);
            tr_csv.apply(tj.from);
            tr_csv.apply(tj.to);
            tj.threads = threads;
            tj.layout = parse_matrix_layout(layout_text);
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
            route_options.apply(rj);
            rb.time_limit_s = rj.time_limit_s;
            rb.iterations = rj.iterations;
            rb.seed = rj.seed;
            rb.threads = threads;
            if (!rb.solomon.empty() || !rb.tsplib.empty() || !rb.toptw.empty()) {
                std::printf("%s\n", run_route_benchmark(rb, log).dump().c_str());
                return 0;
            }
            rj.network.profile_given = rt_profile->count() > 0;
            rj.threads = threads;
            for (InputSpec* s : {&rj.events, &rj.officers, &rj.stations}) route_csv.apply(*s);
            if (!out_crs_text.empty()) rj.out_crs = parse_out_crs(out_crs_text);
            Study study(log, threads);
            print_route_summary(route_stage(rj, study).result);
        } else if (program_command.parsed()) {
            return program_command.run(log, threads);
        } else if (st->parsed()) {
            site_options.apply(sj);
            for (const std::string& g : site_group_texts) sj.groups.push_back(parse_group(g, {options::Origin::Kind::CommandLine, "--group"}));
            if (!orlib_path.empty()) {
                oj = {orlib_path, sj.exact, sj.time_limit_s, sj.seed, sj.effort, threads};
                std::printf("%s\n", run_orlib(oj, log).dump().c_str());
                return 0;
            }
            auto specs = [&](const std::vector<std::string>& paths, const std::string& layer, const std::string& id, const std::string& name,
                             const std::string& crs) {
                std::vector<InputSpec> out;
                for (const auto& p : paths) {
                    if (p.empty()) continue;
                    InputSpec s;
                    s.path = p;
                    s.layer = layer;
                    s.id_field = id;
                    s.name_field = name;
                    s.crs = crs;
                    site_csv.apply(s);
                    out.push_back(s);
                }
                return out;
            };
            sj.candidates = specs(candidate_paths, cand_layer, cand_id, cand_name, cand_crs);
            sj.required = specs(required_paths, req_layer, req_id, req_name, req_crs);
            site_csv.apply(sj.demand);
            sj.network.profile_given = st_profile->count() > 0;
            sj.threads = threads;
            if (!out_crs_text.empty()) sj.out_crs = parse_out_crs(out_crs_text);
            Study study(log, threads);
            print_site_summary(site_stage(sj, study).result);
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
