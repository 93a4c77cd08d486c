// A plan file (TOML) names the inputs and parameters of a whole study; `nightout plan`
// runs every step it names into one output folder. See docs/user-guide.md#plan-files.
//
//   title = "Charlotte: National Night Out"
//   [inputs]   areas, events, stations, population, population_field (paths relative to the plan)
//   [coverage] radius = ["400m", "800m"] | minutes = [5, 10, 15] (with [network]), min_coverage
//   [network]  path, profile, trim, max_snap, service_areas
//   [travel]   station x event tables: enabled, profile (default drive: officers drive), network
//   [site]     model, k, radius, candidates, keep_events, grid, exact, time_limit, seed
//   [report]   basemap, basemap_attribution, rows
//   [route]    officers, stations, window, duration, speed, profile, network, balance, time_limit, iterations, seed
#pragma once

#include "jobs/coverage_job.hpp"
#include "jobs/program_job.hpp"
#include "jobs/route_job.hpp"
#include "jobs/site_job.hpp"
#include "write/vector_writer.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace nightout {

struct Plan {
    std::filesystem::path file;  // the plan file as given
    std::string name;            // default output folder: out/<name>
    std::string title;
    std::vector<std::string> attribution;  // data credits shown in report.html
    std::vector<Format> formats{Format::GeoJSON};
    OutputCrs out_crs;  // out_crs = "EPSG:NNNN": GeoPackage, FlatGeobuf, Shapefile and CSV coordinates
    // Coverage is always run: areas and events are required. Paths are resolved against the
    // plan file's folder; out_dir and formats are set by the plan job.
    CoverageJob coverage;
    // Station x event tables, along the streets of `network` when it has a path. A network is
    // opened once per (source, profile) in a plan run, whichever steps share it.
    struct Travel {
        NetworkOptions network;
        double max_snap_m = 300;
    };
    std::optional<Travel> travel;
    std::optional<SiteJob> site;  // demand = the areas; candidates, model, ...
    bool keep_events = true;      // site: the events are existing (required) sites
    std::optional<RouteJob> route;  // officer visits to the events
    std::optional<ProgramJob> program;  // a year-round calendar over the areas (src/program)
    std::string basemap_url, basemap_attribution;
    std::size_t table_rows = 25;
};

// Reads and validates a plan. Every problem is an Input error naming the file, the line, the
// key and what is accepted, e.g. "plan.toml:7: coverage.radius: '800' has no unit; ...".
Plan read_plan(const std::filesystem::path& file);

}  // namespace nightout
