// The typed results' JSON, for summary.json only: the one place their field names are spelled.
#pragma once

#include <nightout/results.hpp>

#include <nlohmann/json.hpp>

namespace nightout {

nlohmann::json to_json(const api::CoverageTotals& totals);

}  // namespace nightout
