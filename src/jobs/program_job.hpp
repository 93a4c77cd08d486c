// `nightout program`: a year-round outreach calendar, which site on which date, so that every
// area is reached again and again (src/program: the model, heuristic, bound, CBC, staffing and
// the writers). read (areas, candidates, fixed events, stations, teams) -> prepare (slots,
// reach sets, availability) -> analyse (program::solve, staffing) -> write (calendar.csv,
// calendar.ics, areas_timeline.csv, teams.csv, layers, summary.json).
#pragma once

#include "core/units.hpp"
#include "engine/study.hpp"
#include "network/network.hpp"
#include "read/dataset.hpp"
#include "write/vector_writer.hpp"

#include <nightout/results.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace nightout {

struct ProgramJob {
    InputSpec areas;                     // areas with population
    std::string population_field;
    std::string priority_field;          // optional weight factor per area (default 1)
    std::vector<InputSpec> candidates;   // point files; optional fields days, months, indoor, max_events
    std::vector<std::string> indoor;     // candidate files (paths or stems) whose sites are all indoor
    InputSpec fixed;                     // optional fixed events: points with a `date` field (YYYY-MM-DD)
    InputSpec stations;                  // optional: police stations named by the teams
    InputSpec teams;                     // optional: id, name, start/station, weekly_hours
    std::string from, to;                // period, YYYY-MM-DD
    int per_week = 0;                    // events a week (0: 2 unless per_month is given)
    int per_month = 0;                   // events a calendar month, instead of per_week
    std::string days = "Tue,Thu,Sat";    // event weekdays, in order of preference within a week
    std::string start = "18:00";
    double length_h = 2;
    int officers = 2;                    // teams per event
    double team_hours = 6;               // weekly hours per team without a weekly_hours field
    std::string site_gap = "8w";
    std::string every = "13w";
    std::string blackout;                // a file of dates (first column) or a list of dates and ranges
    std::string season = "4-10";         // months outdoor sites are used
    std::optional<Distance> radius;      // reach by straight-line distance
    std::optional<double> minutes;       // reach by travel time over --network
    NetworkOptions network;
    double max_snap_m = 300;
    std::string timezone = "America/New_York";
    bool exact = false;
    double time_limit_s = 60;
    std::uint64_t seed = 1;
    int restarts = 200;
    std::string out_dir;
    std::vector<Format> formats{Format::GeoJSON};
};

// Runs the job and returns its typed result; summary.json (in out_dir and result.summary_json)
// is written from it. `layers`, when given, gets its map layers (program_sites, program_areas).
api::ProgramResult run_program(const ProgramJob& job, Study& study, std::vector<OutLayer>* layers = nullptr);

}  // namespace nightout
