// Before and after the suggested sites: each group's reach with the sites a plan's [site] step
// suggests added to the events (the equity panel's lighter bars, summary.json's *_after_sites).
#pragma once

#include "jobs/coverage_job.hpp"
#include "write/layer.hpp"

#include <nlohmann/json.hpp>

#include <vector>

namespace nightout {

// Adds the figures to `coverage_summary["equity"]["breaks"]` (nothing without groups or sites).
void add_group_reach_after_sites(const CoverageJob& coverage, const std::vector<OutLayer>& site_layers, Study& study, nlohmann::json& coverage_summary);

}  // namespace nightout
