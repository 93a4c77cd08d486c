// `nightout coverage`: read -> prepare -> analyse -> write, as one library call
// so that the CLI stays thin and tests can run the whole job.
#pragma once

#include "analyse/coverage.hpp"
#include "analyse/service_area.hpp"
#include "network/network.hpp"
#include "core/log.hpp"
#include "engine/study.hpp"
#include "engine/travel_result.hpp"
#include "equity/equity.hpp"
#include "read/dataset.hpp"
#include "write/matrix_csv.hpp"
#include "write/vector_writer.hpp"

#include <nightout/results.hpp>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace nightout {

struct CoverageJob {
    InputSpec areas, events;
    InputSpec stations;    // optional: path empty when not given
    InputSpec population;  // optional finer population layer
    std::string population_field;
    EquityOptions equity;  // groups, priority, incidents, access (src/equity)
    CoverageOptions options;
    std::string out_dir;
    std::vector<Format> formats{Format::GeoJSON};
    OutputCrs out_crs;     // of the GeoPackage, FlatGeobuf and Shapefile outputs (GeoJSON, KML: WGS84)
    unsigned threads = 0;  // 0: all cores
    // Network reach instead of straight lines: with `network.path` set, the breaks are
    // `minutes` (travel time) when given, else options.radii as distances along streets.
    NetworkOptions network;
    std::vector<double> minutes;
    double trim_m = 100;
    double max_snap_m = 300;
    // Events and stations farther than this beyond the areas' extent are far off (analyse/far_off.hpp).
    double max_offset_m = 50'000;
    std::string service_areas = "dissolve";  // dissolve, per-event or split
    bool dropped_roads = false;  // with a network: also write the dropped (cut-off) roads as a layer
    // report.html: the map report of this run (see report/report_html.hpp).
    bool report = false;
    std::string report_title;                    // default: from the areas file
    std::string basemap_url, basemap_attribution;  // optional tile layer
    // lon/lat extent (xmin, ymin, xmax, ymax) to choose the local projection from instead of the
    // inputs': a partition of a larger study (nightout.distributed) measures in the study's.
    std::vector<double> projection_extent;
};

// Runs the job and returns summary.json's content (also written to out_dir). With `layers`,
// the layers written are also handed back (for report.html and plan GeoPackages).
// The coverage stage: its typed result and summary.json's content (also written to out_dir).
struct CoverageOutcome {
    api::CoverageResult result;
    nlohmann::json summary;
};
CoverageOutcome coverage_stage(const CoverageJob& job, Study& study, std::vector<OutLayer>* layers = nullptr);
nlohmann::json run_coverage(const CoverageJob& job, Study& study, std::vector<OutLayer>* layers = nullptr);
// The same over a study of its own (job.threads).
nlohmann::json run_coverage(const CoverageJob& job, Log& log, std::vector<OutLayer>* layers = nullptr);

struct TravelJob {
    InputSpec from, to;
    std::string matrix_out;   // from_id,to_id,distance_m
    std::string nearest_out;  // optional: to_id,from_id,distance_m per `to` point
    unsigned threads = 0;
    MatrixLayout layout = MatrixLayout::Long;  // wide: one row per origin, one column per destination
    double max_offset_m = 50'000;  // points farther beyond the others' extent are far off (analyse/far_off.hpp)
};

// The straight-line travel stage: its matrix and summary.json's content (files written too).
struct TravelOutcome {
    TravelResult result;
    nlohmann::json summary;
};
TravelOutcome travel_stage(const TravelJob& job, Study& study);
nlohmann::json run_travel(const TravelJob& job, Study& study);
nlohmann::json run_travel(const TravelJob& job, Log& log);

}  // namespace nightout
