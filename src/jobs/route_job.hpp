// `nightout route`: plans officer visits for one evening (a prize-collecting VRP with
// time windows, shifts, per-officer stations and visit caps), and solves the public
// VRPTW (Solomon, Gehring-Homberger) and TSPLIB benchmarks with the same engine.
#pragma once

#include "core/log.hpp"
#include "equity/equity.hpp"
#include "engine/study.hpp"
#include "network/network.hpp"
#include "read/dataset.hpp"
#include "write/layer.hpp"
#include "write/vector_writer.hpp"

#include <nightout/results.hpp>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace nightout {

struct RouteJob {
    InputSpec events;                 // points with optional start/end/duration/priority fields
    InputSpec officers;               // table (CSV) or points: id, start, end, shift_start, shift_end, max_visits
    InputSpec stations;               // optional: points named by the officers' start/end
    InputSpec areas;                  // optional: the study's areas, drawn on schedule.html's maps
    std::string title;                // schedule.html's heading (a plan's title)
    std::string attribution;          // schedule.html's credit line (a plan's attribution)
    std::string start_field = "start", end_field = "end";          // event window fields
    std::string duration_field = "duration", priority_field = "priority";
    std::string window;               // default window for events without one, "18:00-21:00"
    double duration_min = 15;         // default visit length
    NetworkOptions network;           // path empty: straight lines at `speed_kmh`
    double speed_kmh = 30;
    double max_snap_m = 300;
    double max_offset_m = 50'000;       // points farther beyond the others' extent are far off (analyse/far_off.hpp)
    bool balance = false;
    double time_limit_s = 10;
    std::uint64_t iterations = 0;     // > 0: deterministic budget
    std::uint64_t seed = 1;
    std::string out_dir;
    OutputCrs out_crs;                // stops.csv gets x, y in this CRS (the GeoJSON stays WGS84)
    unsigned threads = 0;
    // Re-planning during the evening (`now` turns it on): the rest of the evening from each
    // officer's position and time, keeping the earlier plan's visits where possible.
    std::string now;                  // "19:40"
    InputSpec positions;              // officers now: id, lon/lat or at (event or station), available, status (away), break_done, worked
    InputSpec done;                   // parties already visited: event_id
    InputSpec previous;               // the earlier plan's stops.csv: officer_id, event_id, start
    bool time_limit_given = false;    // a re-plan without a time limit or iterations gets 0.3 s
    // Need from the areas (--priority FIELD[:high|:low], as coverage): each event's priority is
    // multiplied by the priority index of the area it lies in (1 for the neediest area), so that
    // with too few officers the plan visits the neediest areas first.
    std::optional<PrioritySpec> area_priority;
};

// Runs the job and returns summary.json's content; `layers`, when given, receives the
// routes and stops layers (for a plan's report and GeoPackage).
// The route stage: its typed result and summary.json's content (also written to out_dir).
struct RouteOutcome {
    api::RouteResult result;
    nlohmann::json summary;
};
RouteOutcome route_stage(const RouteJob& job, Study& study, std::vector<OutLayer>* layers = nullptr);
nlohmann::json run_route(const RouteJob& job, Study& study, std::vector<OutLayer>* layers = nullptr);
nlohmann::json run_route(const RouteJob& job, Log& log, std::vector<OutLayer>* layers = nullptr);

struct RouteBenchmarkJob {
    std::string solomon, tsplib, toptw;  // one of them
    int vehicles = 0;                 // Solomon: at most this many routes (0: the file's fleet); TOPTW: routes (0: one)
    std::string distances = "exact";  // TOPTW: exact or tenth (Euclidean distances truncated to one decimal)
    double time_limit_s = 10;
    std::uint64_t iterations = 0;
    std::uint64_t seed = 1;
    unsigned threads = 0;
};

// Returns {instance, vehicles, distance, seconds, routes | tour, feasible, ...} for stdout.
nlohmann::json run_route_benchmark(const RouteBenchmarkJob& job, Log& log);

}  // namespace nightout
