// `nightout plan PLAN.toml`: every step a plan names (coverage, travel, site suggestions), each
// into its own subfolder of one output folder, then report.html over all of their layers and,
// with gpkg among the formats, one styled GeoPackage holding every layer. All or nothing.
#pragma once

#include "core/log.hpp"
#include "plan/plan.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace nightout {

struct PlanJob {
    Plan plan;
    std::string out_dir;  // empty: out/<plan.name>
    unsigned threads = 0;
};

// Runs the plan and returns the top summary.json's content (also written to the output folder).
nlohmann::json run_plan(const PlanJob& job, Log& log);

}  // namespace nightout
