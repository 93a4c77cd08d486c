#include "jobs/plan_job.hpp"

#include "core/error.hpp"
#include "jobs/network_job.hpp"
#include "jobs/report.hpp"
#include "equity/after_sites.hpp"
#include "report/report_html.hpp"
#include "write/output_dir.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iomanip>

namespace fs = std::filesystem;

namespace nightout {

namespace {

// The route step's headline: how many events the officers visit.
void add_route_headline(Report& report, const api::RouteResult& r) {
    report.headline.push_back({"events visited by officers", thousands(static_cast<double>(r.visited)) + " of " + thousands(static_cast<double>(r.events)),
                               std::to_string(r.officers_used) + " of " + std::to_string(r.officers) + " officers, " + thousands(r.travel_km) +
                                   " km of travel"});
}

// The site step's headline: how many more people the suggested sites would reach.
void add_site_headline(Report& report, const api::SiteResult& r) {
    const std::size_t k = r.sites.size();
    const std::string with = "with " + std::to_string(k) + " suggested new site" + (k == 1 ? "" : "s");
    if (r.after.covered_share) {
        // The reach is a distance ("800m") or a travel time ("10 min"), whichever the step used.
        std::string note = with;
        if (r.before && r.before->covered_share) note += " (now " + percent(*r.before->covered_share, 1) + ")";
        // Of every resident, with who is off the network; the site model (demand at points) named,
        // and beside it coverage's area model (the share of each area within reach).
        if (r.off_network_demand > 0 && r.demand > 0) note += "; " + percent(r.off_network_demand / r.demand, 1) + " off the road network";
        if (r.area_model_after)
            note += "; area model " + percent(*r.area_model_after, 1) + (r.area_model_before ? " (now " + percent(*r.area_model_before, 1) + ")" : std::string());
        report.headline.push_back({"of residents within " + r.reach.value_or("") + " after (site model)", percent(*r.after.covered_share, 1), note});
        if (!r.groups.empty()) {
            // Whose reach the suggestions counted, and each group before -> after.
            std::string groups = "objective " + r.objective_key + (r.min_group_share ? ", every group at least " + percent(*r.min_group_share, 0) : std::string()) + ":";
            double least = 1;
            for (const auto& g : r.groups) {
                groups += " " + g.name + " " + percent(g.share_before, 1) + " \u2192 " + percent(g.share_after, 1) + ";";
                least = std::min(least, g.share_after);
            }
            groups.pop_back();
            report.headline.push_back({"least share of a group within " + r.reach.value_or("") + " after (site model)", percent(least, 1), groups});
        }
    } else if (r.cost_unit == "s") {
        report.headline.push_back({"mean travel time to the nearest site after", thousands(r.after.mean / 60) + " min", with});
    } else {
        report.headline.push_back({"mean distance to the nearest site after", thousands(r.after.mean) + " m", with});
    }
}

}  // namespace

// The files a plan reads (the plan file and every step's inputs), which its output must not replace.
static std::vector<std::string> plan_input_paths(const Plan& plan) {
    const CoverageJob& c = plan.coverage;
    std::vector<std::string> paths{plan.file.string(), c.areas.path, c.events.path, c.stations.path, c.population.path, c.network.path};
    if (plan.site)
        for (const auto& group : {plan.site->candidates, plan.site->required})
            for (const InputSpec& spec : group) paths.push_back(spec.path);
    if (plan.travel) paths.push_back(plan.travel->network.path);
    if (plan.route) paths.insert(paths.end(), {plan.route->officers.path, plan.route->stations.path, plan.route->events.path, plan.route->network.path});
    return paths;
}

nlohmann::json run_plan(const PlanJob& job, Log& log) { return plan_stage(job, log).summary; }

namespace {
PlanOutcome run_plan_steps(const PlanJob& job, const std::string& out_dir, Log& log);
}

PlanOutcome plan_stage(const PlanJob& job, Log& log) {
    const std::string out_dir = job.out_dir.empty() ? "out/" + job.plan.name : job.out_dir;
    if (!job.plan.basemap_url.empty()) basemap_origin(job.plan.basemap_url);
    refuse_output_over_inputs(out_dir, plan_input_paths(job.plan));
    try {
        return run_plan_steps(job, out_dir, log);
    } catch (const Error& e) {
        // What a flag names wrongly is a usage error (2); the same thing named by a plan file is
        // a mistake in an input, the plan (3), as for the plan's option values (docs/errors.md).
        if (e.kind() != ErrorKind::Usage) throw;
        throw_input(job.plan.file.string() + ": " + e.what());
    }
}

namespace {

PlanOutcome run_plan_steps(const PlanJob& job, const std::string& out_dir, Log& log) {
    const auto started = std::chrono::steady_clock::now();
    const Plan& plan = job.plan;
    OutputDir out(out_dir);
    // One study for every step: each input read once, each network built once per profile.
    Study study(log, job.threads);
    study.map_output(out.file("."), out_dir);

    // The styled GeoPackage is written once, over every step's layers; the steps write the other formats.
    const bool gpkg = std::count(plan.formats.begin(), plan.formats.end(), Format::GeoPackage) > 0;
    std::vector<Format> step_formats;
    for (Format f : plan.formats)
        if (f != Format::GeoPackage) step_formats.push_back(f);

    nlohmann::json summary;
    summary["tool"] = "nightout";
    summary["command"] = "plan";
    summary["plan"] = plan.file.string();
    summary["title"] = plan.title;
    std::vector<std::string> files;

    // 1. coverage
    log.info("plan: coverage");
    CoverageJob cj = plan.coverage;
    cj.out_dir = out.file("coverage").string();
    cj.formats = step_formats;
    cj.out_crs = plan.out_crs;
    cj.threads = job.threads;
    std::vector<OutLayer> cov_layers;
    CoverageOutcome coverage = coverage_stage(cj, study, &cov_layers);
    summary["steps"]["coverage"] = std::move(coverage.summary);
    files.push_back("coverage/");

    // 2. travel: station x event tables (along the streets with a network)
    if (plan.travel) {
        log.info("plan: travel");
        fs::create_directory(out.file("travel"));
        if (!plan.travel->network.path.empty()) {
            NetworkTravelJob tj;
            tj.from = cj.stations;
            tj.to = cj.events;
            tj.network = plan.travel->network;
            tj.max_snap_m = plan.travel->max_snap_m;
            tj.matrix_out = out.file("travel/matrix.csv").string();
            tj.routes_out = out.file("travel/routes.geojson").string();
            summary["steps"]["travel"] = run_network_travel(tj, study);
        } else {
            TravelJob tj;
            tj.from = cj.stations;
            tj.to = cj.events;
            tj.matrix_out = out.file("travel/matrix.csv").string();
            tj.nearest_out = out.file("travel/nearest.csv").string();
            summary["steps"]["travel"] = run_travel(tj, study);
        }
        files.push_back("travel/");
    }

    // 3. site suggestions
    std::vector<OutLayer> site_layers;
    std::optional<api::SiteResult> site_result;
    std::optional<api::RouteResult> route_result;
    std::optional<api::ProgramResult> program_result;
    std::vector<OutLayer> program_layers;  // program_sites, program_areas: the report's calendar panel
    if (plan.site) {
        log.info("plan: site suggestions");
        SiteJob sj = *plan.site;
        sj.out_dir = out.file("site").string();
        sj.formats = step_formats;
        sj.out_crs = plan.out_crs;
        sj.threads = job.threads;
        SiteOutcome site = site_stage(sj, study, &site_layers);
        summary["steps"]["site"] = std::move(site.summary);
        site_result = std::move(site.result);
        files.push_back("site/");
        add_group_reach_after_sites(cj, site_layers, study, summary["steps"]["coverage"]);
        // One GeoPackage holds every layer: the site step's demand layer gets its own name.
        for (OutLayer& l : site_layers)
            for (const OutLayer& c : cov_layers)
                if (l.name == c.name) l.name = "site_" + l.name;
    }

    // 4. officer visits
    std::vector<OutLayer> route_layers;
    if (plan.route) {
        log.info("plan: officer visits");
        RouteJob rj = *plan.route;
        rj.out_dir = out.file("route").string();
        rj.threads = job.threads;
        rj.out_crs = plan.out_crs;
        RouteOutcome route = route_stage(rj, study, &route_layers);
        summary["steps"]["route"] = std::move(route.summary);
        route_result = std::move(route.result);
        files.push_back("route/");
    }

    // 5. a year-round program: its own folder (calendar.csv, calendar.ics, ...)
    if (plan.program) {
        log.info("plan: year-round program");
        ProgramJob pj = *plan.program;
        pj.out_dir = out.file("program").string();
        pj.formats = plan.formats;
        program_result = run_program(pj, study, &program_layers);
        summary["steps"]["program"] = nlohmann::json::parse(program_result->summary_json);
        files.push_back("program/");
    }

    std::vector<const OutLayer*> all;
    for (const auto& l : cov_layers) all.push_back(&l);
    for (const auto& l : site_layers) all.push_back(&l);
    for (const auto& l : route_layers) all.push_back(&l);
    // The study's streets from an OpenStreetMap extract: under report.html's layers, and the
    // backdrop of the GeoPackage and its QGIS project.
    const Backdrop backdrop = study_backdrop(cj.network.path, all);
    const std::vector<OutLayer> backdrop_out = gpkg ? backdrop_layers(backdrop) : std::vector<OutLayer>{};
    for (const OutLayer& l : backdrop_out) all.insert(all.begin(), &l);
    if (gpkg) {
        log.info("plan: nightout.gpkg");
        for (auto& name : write_layers(all, Format::GeoPackage, out, "nightout.gpkg", plan.out_crs)) files.push_back(std::move(name));
    }

    // report.html over every layer
    log.info("plan: report.html");
    std::vector<const OutLayer*> cov_ptrs;
    for (const auto& l : cov_layers) cov_ptrs.push_back(&l);
    Report report = coverage_report(cov_ptrs, summary["steps"]["coverage"], plan.title);
    add_backdrop(report, backdrop);
    // The map shows the suggested sites only: the existing ones are the events layer.
    std::vector<OutLayer> new_sites;
    new_sites.reserve(site_layers.size());
    for (const auto& l : site_layers) {
        ReportLayer rl;
        rl.layer = &l;
        if (const int status = l.find("status"); l.kind == LayerKind::Sites && status >= 0) {
            OutLayer& only_new = new_sites.emplace_back(l.name, l.geom);
            only_new.kind = l.kind;
            only_new.title = l.title;
            only_new.fields = l.fields;
            for (std::size_t i = 0; i < l.rows.size(); ++i) {
                const auto* v = std::get_if<std::string>(&l.rows[i][static_cast<std::size_t>(status)]);
                if (v && *v == "existing") continue;
                only_new.rows.push_back(l.rows[i]);
                only_new.wkb.push_back(l.wkb[i]);
            }
            rl.layer = &only_new;
        }
        rl.visible = l.kind == LayerKind::Sites;
        if (!l.value_field.empty()) rl.shares.push_back({l.value_field, "after the new sites"});
        report.layers.push_back(rl);
    }
    for (const auto& l : route_layers) report.layers.push_back({&l, true, "", {}});
    if (site_result) add_site_headline(report, *site_result);
    if (route_result) add_route_headline(report, *route_result);
    if (program_result) {
        // The calendar panel draws the program's areas month by month on a map of its own.
        report.program = program_report(*program_result, program_layers.back());
    }
    if (!report.tables.empty()) report.tables.front().limit = plan.table_rows;
    // The plan's own credits first; the automatic OpenStreetMap credit only when they lack one.
    const bool plan_credits_osm = std::any_of(plan.attribution.begin(), plan.attribution.end(),
                                              [](const std::string& a) { return a.find("OpenStreetMap") != std::string::npos; });
    if (plan_credits_osm)
        std::erase_if(report.attribution, [](const std::string& a) { return a.find("OpenStreetMap") != std::string::npos; });
    report.attribution.insert(report.attribution.begin(), plan.attribution.begin(), plan.attribution.end());
    report.basemap_url = plan.basemap_url;
    report.basemap_attribution = plan.basemap_attribution;
    write_report(report, out.file("report.html"));
    files.push_back("report.html");
    if (gpkg) {
        write_qgis_project(qgis_project_of(report, all, plan.out_crs), out.file("nightout.qgs"));
        files.push_back("nightout.qgs");
    }
    files.push_back("summary.json");

    summary["inputs_read"] = study.datasets_read();
    summary["networks_built"] = study.networks_built();
    summary["formats"] = nlohmann::json::array();
    for (Format f : plan.formats) summary["formats"].push_back(format_key(f));
    commit_with_summary(out, summary, files, log, std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    log.info("wrote " + out_dir + "/report.html");
    api::PlanResult result;
    result.out_dir = out_dir;
    result.coverage = std::move(coverage.result);
    result.site = std::move(site_result);
    result.route = std::move(route_result);
    result.program = std::move(program_result);
    result.inputs_read = study.datasets_read();
    result.networks_built = study.networks_built();
    result.warnings = log.warnings();
    result.summary_json = summary.dump();
    return {std::move(result), std::move(summary)};
}

}  // namespace

}  // namespace nightout
