// Fair site suggestions: the demand weight each site model maximises (or whose cost it
// minimises), from a population group or from need instead of all residents.
#pragma once

#include "equity/equity.hpp"

#include <optional>
#include <string>
#include <vector>

namespace nightout {

// `objective`: "residents" (the population as given), "group:NAME" (the residents of one of
// `groups`, e.g. group:black), or "priority" (residents x the priority index of `priority`).
// Returns each demand feature's weight; `population` is the feature's residents.
std::vector<double> objective_weights(const std::string& objective, const std::vector<GroupSpec>& groups, const std::optional<PrioritySpec>& priority,
                                      const Dataset& demand, const std::vector<double>& population, Log& log);

// "residents of group black (p9, share)" for summary.json and the printed objective.
std::string describe_weights(const std::string& objective, const std::vector<GroupSpec>& groups, const std::optional<PrioritySpec>& priority);

}  // namespace nightout
