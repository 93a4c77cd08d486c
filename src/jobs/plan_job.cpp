#include "jobs/plan_job.hpp"

#include "core/error.hpp"
#include "jobs/network_job.hpp"
#include "jobs/report.hpp"
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
void add_route_headline(Report& report, const nlohmann::json& s) {
    const auto& r = s.at("result");
    report.headline.push_back({"events visited by officers", thousands(r.at("visited").get<double>()) + " of " + thousands(r.at("events").get<double>()),
                               std::to_string(r.at("officers_used").get<int>()) + " of " + std::to_string(r.at("officers").get<int>()) + " officers, " +
                                   thousands(r.at("travel_km").get<double>()) + " km of travel"});
}

// The site step's headline: how many more people the suggested sites would reach.
void add_site_headline(Report& report, const nlohmann::json& s) {
    const auto& res = s.at("result");
    const auto& totals = s.at("totals");
    const std::size_t k = res.at("new_sites").get<std::size_t>();
    const auto& after = totals.at("after");
    const auto& before = totals.at("before");
    if (after.contains("covered_share")) {
        std::string radius = s["parameters"]["radius"]["label"].get<std::string>();
        std::string note = "with " + std::to_string(k) + " suggested new site" + (k == 1 ? "" : "s");
        if (before.is_object() && before.contains("covered_share")) note += " (now " + percent(before["covered_share"].get<double>(), 1) + ")";
        report.headline.push_back({"of residents within " + radius + " after", percent(after["covered_share"].get<double>(), 1), note});
    } else {
        report.headline.push_back({"mean distance to the nearest site after", thousands(after["mean_distance_m"].get<double>()) + " m",
                                   "with " + std::to_string(k) + " suggested new site" + (k == 1 ? "" : "s")});
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
    if (plan.route) paths.insert(paths.end(), {plan.route->officers.path, plan.route->stations.path, plan.route->events.path});
    return paths;
}

nlohmann::json run_plan(const PlanJob& job, Log& log) {
    const auto started = std::chrono::steady_clock::now();
    const Plan& plan = job.plan;
    const std::string out_dir = job.out_dir.empty() ? "out/" + plan.name : job.out_dir;
    if (!plan.basemap_url.empty()) basemap_origin(plan.basemap_url);
    refuse_output_over_inputs(out_dir, plan_input_paths(plan));
    OutputDir out(out_dir);

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
    cj.threads = job.threads;
    std::vector<OutLayer> cov_layers;
    summary["steps"]["coverage"] = run_coverage(cj, log, &cov_layers);
    files.push_back("coverage/");

    // 2. travel: station x event tables (along the streets with a network)
    if (plan.travel) {
        log.info("plan: travel");
        fs::create_directory(out.file("travel"));
        if (!cj.network.path.empty()) {
            NetworkTravelJob tj;
            tj.from = cj.stations;
            tj.to = cj.events;
            tj.network = cj.network;
            tj.max_snap_m = cj.max_snap_m;
            tj.matrix_out = out.file("travel/matrix.csv").string();
            tj.routes_out = out.file("travel/routes.geojson").string();
            tj.threads = job.threads;
            summary["steps"]["travel"] = run_network_travel(tj, log);
        } else {
            TravelJob tj;
            tj.from = cj.stations;
            tj.to = cj.events;
            tj.matrix_out = out.file("travel/matrix.csv").string();
            tj.nearest_out = out.file("travel/nearest.csv").string();
            tj.threads = job.threads;
            summary["steps"]["travel"] = run_travel(tj, log);
        }
        files.push_back("travel/");
    }

    // 3. site suggestions
    std::vector<OutLayer> site_layers;
    if (plan.site) {
        log.info("plan: site suggestions");
        SiteJob sj = *plan.site;
        sj.out_dir = out.file("site").string();
        sj.formats = step_formats;
        sj.threads = job.threads;
        summary["steps"]["site"] = run_site(sj, log, &site_layers);
        files.push_back("site/");
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
        summary["steps"]["route"] = run_route(rj, log, &route_layers);
        files.push_back("route/");
    }

    std::vector<const OutLayer*> all;
    for (const auto& l : cov_layers) all.push_back(&l);
    for (const auto& l : site_layers) all.push_back(&l);
    for (const auto& l : route_layers) all.push_back(&l);
    if (gpkg) {
        log.info("plan: nightout.gpkg");
        for (auto& name : write_layers(all, Format::GeoPackage, out)) files.push_back(std::move(name));
    }

    // report.html over every layer
    log.info("plan: report.html");
    std::vector<const OutLayer*> cov_ptrs;
    for (const auto& l : cov_layers) cov_ptrs.push_back(&l);
    Report report = coverage_report(cov_ptrs, summary["steps"]["coverage"], plan.title);
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
    if (plan.site) add_site_headline(report, summary["steps"]["site"]);
    if (plan.route) add_route_headline(report, summary["steps"]["route"]);
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
    files.push_back("summary.json");

    summary["formats"] = nlohmann::json::array();
    for (Format f : plan.formats) summary["formats"].push_back(format_key(f));
    commit_with_summary(out, summary, files, log, std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    log.info("wrote " + out_dir + "/report.html");
    return summary;
}

}  // namespace nightout
