// `nightout site`: where new events would reach the most residents.
// read (demand, candidates, required sites) -> prepare (demand points, cost
// matrix) -> analyse (site::solve) -> write (sites, allocation, before/after).
#pragma once

#include "equity/equity.hpp"
#include "core/log.hpp"
#include "engine/study.hpp"
#include "core/units.hpp"
#include "network/network.hpp"
#include "read/dataset.hpp"
#include "write/vector_writer.hpp"

#include <nightout/results.hpp>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace nightout {

struct SiteJob {
    InputSpec demand;                  // points with a weight, or areas
    std::vector<InputSpec> candidates;  // one or more point layers
    std::vector<InputSpec> required;    // existing sites: always open
    std::string population_field;      // demand weight; empty: every demand feature weighs 1
    std::optional<Distance> grid;      // areas only: split into cells of this size
    std::string model;                 // mclp, lscp, pmedian, pcenter
    int k = -1;                        // new sites; -1 when not given
    std::optional<Distance> radius;    // coverage distance (mclp, lscp; optional for reporting otherwise)
    std::optional<double> minutes;     // coverage travel time: needs a road network
    std::string target;                // lscp: "95%" or "0.95"; empty: 100%
    // Road-network costs: travel time from each demand point to each site when
    // --minutes is given or no --radius is; network distance when --radius is.
    NetworkOptions network;            // empty path: straight-line (geodesic) distance
    double max_snap_m = 300;           // points farther from any road are unreachable
    double max_offset_m = 50'000;       // points farther beyond the others' extent are far off (analyse/far_off.hpp)
    bool exact = false;
    double time_limit_s = 300;
    std::uint64_t seed = 1;
    double effort = 1;  // scales the heuristic's iteration budget
    std::string out_dir;
    std::vector<Format> formats{Format::GeoJSON};
    OutputCrs out_crs;  // of the GeoPackage, FlatGeobuf and Shapefile outputs (GeoJSON, KML: WGS84)
    bool write_problem = false;  // also write problem.json (weights, cost matrix) for external solvers
    // Fair suggestions (src/equity/site_weights.hpp): "residents" (default), "group:NAME" or "priority".
    std::string objective;
    std::vector<GroupSpec> groups;
    std::optional<PrioritySpec> priority;
    // "maxmin" as objective: the least share reached over `groups`, ties by residents reached.
    // min_group_share > 0: every group at least this share of its residents reached (mclp).
    double min_group_share = 0;
    unsigned threads = 0;
};

// Runs the job and returns summary.json's content (also written to out_dir).
// With `layers`, the layers written (sites, allocation, demand) are also handed back.
// The site stage: its typed result and summary.json's content (also written to out_dir).
struct SiteOutcome {
    api::SiteResult result;
    nlohmann::json summary;
};
SiteOutcome site_stage(const SiteJob& job, Study& study, std::vector<OutLayer>* layers = nullptr);
nlohmann::json run_site(const SiteJob& job, Study& study, std::vector<OutLayer>* layers = nullptr);
nlohmann::json run_site(const SiteJob& job, Log& log, std::vector<OutLayer>* layers = nullptr);

// An OR-Library p-median file solved as given (p from the file); returns
// {instance, n, p, objective, sites (1-based), seconds, ...} for stdout.
struct OrLibJob {
    std::string path;
    bool exact = false;
    double time_limit_s = 300;
    std::uint64_t seed = 1;
    double effort = 1;
    unsigned threads = 0;
};
nlohmann::json run_orlib(const OrLibJob& job, Log& log);

// "95%", "95 %", "0.95" -> 0.95; throws a Usage error otherwise.
double parse_share(const std::string& text, const std::string& what);

}  // namespace nightout
