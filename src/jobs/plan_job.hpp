// `nightout plan PLAN.toml`: every step a plan names (coverage, travel, site suggestions), each
// into its own subfolder of one output folder, then report.html over all of their layers and,
// with gpkg among the formats, one styled GeoPackage holding every layer. All or nothing.
#pragma once

#include "core/log.hpp"
#include "plan/plan.hpp"

#include <nightout/results.hpp>
#include <nlohmann/json.hpp>

#include <string>

namespace nightout {

struct PlanJob {
    Plan plan;
    std::string out_dir;  // empty: out/<plan.name>
    unsigned threads = 0;
};

struct PlanOutcome {
    api::PlanResult result;
    nlohmann::json summary;  // the top summary.json's content (also written to the output folder)
};
PlanOutcome plan_stage(const PlanJob& job, Log& log);
// The same, returning summary.json's content.
nlohmann::json run_plan(const PlanJob& job, Log& log);

}  // namespace nightout
