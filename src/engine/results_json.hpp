// The typed results' JSON, for summary.json only: the one place their field names are spelled.
#pragma once

#include <nightout/results.hpp>

#include <nlohmann/json.hpp>

namespace nightout {

nlohmann::json to_json(const api::CoverageTotals& totals);
// `time` names the costs as seconds (mean_time_s, ...), else as metres (mean_distance_m, ...).
nlohmann::json to_json(const api::SiteCosts& costs, bool time);
nlohmann::json to_json(const api::SuggestedSite& site);
// summary.json of `nightout program` (without the calendar itself: that is calendar.csv).
nlohmann::json to_json(const api::ProgramResult& program);

}  // namespace nightout
