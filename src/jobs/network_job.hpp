// `nightout graph build|export` and network travel tables: thin jobs over src/network.
#pragma once

#include "core/log.hpp"
#include "engine/study.hpp"
#include "jobs/coverage_job.hpp"
#include "network/network.hpp"
#include "read/dataset.hpp"
#include "write/matrix_csv.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace nightout {

// Builds the routable graph (and its contraction hierarchy) and writes it to `out`.
nlohmann::json run_graph_build(const NetworkOptions& options, const std::string& out, Log& log);

// Writes the routable graph's directed edges as CSV.
nlohmann::json run_graph_export(const NetworkOptions& options, const std::string& out, Log& log);

// A travel table is computed and written in blocks of about this many pairs (2 x 8 bytes each).
constexpr std::size_t kTableBlockPairs = std::size_t{1} << 22;
// Tables up to this many pairs are also returned as matrices (TravelResult: 16 bytes a pair).
constexpr std::size_t kMaxResultPairs = std::size_t{25'000'000};

struct NetworkTravelJob {
    InputSpec from, to;
    NetworkOptions network;
    double max_snap_m = 300;
    double max_offset_m = 50'000;       // points farther beyond the others' extent are far off (analyse/far_off.hpp)
    std::string matrix_out;  // from_id,to_id,distance_m,duration_s,status
    std::string routes_out;  // optional GeoJSON: each `to` point's route from its nearest `from` point
    std::string nearest_out;  // optional CSV: to_id,nearest_from_id,distance_m,duration_s,status (nearest by travel time)
    unsigned threads = 0;
    MatrixLayout layout = MatrixLayout::Long;  // wide: one row per origin, durations (s) per destination
    std::size_t block_rows = 0;                // rows computed and written at a time (0: about kTableBlockPairs pairs)
    std::size_t max_result_pairs = kMaxResultPairs;  // larger tables are in the file only, not in TravelResult
};

// The travel stage along the streets (TravelOutcome: coverage_job.hpp).
TravelOutcome network_travel_stage(const NetworkTravelJob& job, Study& study);
nlohmann::json run_network_travel(const NetworkTravelJob& job, Study& study);
nlohmann::json run_network_travel(const NetworkTravelJob& job, Log& log);

}  // namespace nightout
