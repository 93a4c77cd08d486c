// The program's outputs: calendar.csv, calendar.ics (RFC 5545, written with libical),
// areas_timeline.csv, teams.csv, the layers program_sites and program_areas in every
// format, and the typed result summary.json is written from (engine/results_json.hpp).
#pragma once

#include "engine/study.hpp"
#include "program/data.hpp"
#include "write/output_dir.hpp"
#include "write/vector_writer.hpp"

#include <nightout/results.hpp>

#include <string>
#include <vector>

namespace nightout::program {

// Throws a Usage error unless `tz` is an IANA zone libical knows (e.g. America/New_York).
void check_timezone(const std::string& tz);

// Writes the files and returns what they say (the result's seconds and summary_json are left
// to the stage). `layers`, when given, gets the two layers (program_sites, program_areas).
api::ProgramResult write_outputs(const GeosContext& ctx, const ProgramData& data, const OutputDir& out, const std::vector<Format>& formats, Study& study,
                                 std::vector<OutLayer>* layers = nullptr);

// Per area: the days an event reached it, in order.
std::vector<std::vector<int>> reach_days(const ProgramData& data);
// The longest run of days without an event reaching the area, from the program's first day
// to its last (both ends count as visits' boundaries).
int longest_gap_days(const std::vector<int>& days, int from, int to);

}  // namespace nightout::program
