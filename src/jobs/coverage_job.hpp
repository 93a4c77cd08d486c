// `nightout coverage`: read -> prepare -> analyse -> write, as one library call
// so that the CLI stays thin and tests can run the whole job.
#pragma once

#include "analyse/coverage.hpp"
#include "analyse/service_area.hpp"
#include "network/network.hpp"
#include "core/log.hpp"
#include "read/dataset.hpp"
#include "write/vector_writer.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace nightout {

struct CoverageJob {
    InputSpec areas, events;
    InputSpec stations;    // optional: path empty when not given
    InputSpec population;  // optional finer population layer
    std::string population_field;
    CoverageOptions options;
    std::string out_dir;
    std::vector<Format> formats{Format::GeoJSON};
    unsigned threads = 0;  // 0: all cores
    // Network reach instead of straight lines: with `network.path` set, the breaks are
    // `minutes` (travel time) when given, else options.radii as distances along streets.
    NetworkOptions network;
    std::vector<double> minutes;
    double trim_m = 100;
    double max_snap_m = 300;
    std::string service_areas = "dissolve";  // dissolve, per-event or split
};

// Runs the job and returns summary.json's content (also written to out_dir).
nlohmann::json run_coverage(const CoverageJob& job, Log& log);

struct TravelJob {
    InputSpec from, to;
    std::string matrix_out;   // from_id,to_id,distance_m
    std::string nearest_out;  // optional: to_id,from_id,distance_m per `to` point
    unsigned threads = 0;
};

nlohmann::json run_travel(const TravelJob& job, Log& log);

}  // namespace nightout
