// Who is reached: residents of each population group reached per break, need and priority
// per area (a field or incidents), and E2SFCA accessibility. The coverage stage counts the
// groups' residents with the same model as the population (uniform within an area, or areal
// interpolation from a finer layer); this stage turns those counts into the equity figures.
#pragma once

#include "analyse/coverage.hpp"
#include "core/log.hpp"
#include "core/units.hpp"
#include "options/schema.hpp"
#include "read/dataset.hpp"

#include <nightout/results.hpp>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace nightout {

class Study;
struct OutLayer;

// --group NAME=FIELD[:share|:count]: a share is a percent of the area's (or feature's) residents.
struct GroupSpec {
    std::string name, field;
    bool is_share = true;
};
GroupSpec parse_group(const std::string& text, const options::Origin& origin);

// --priority FIELD[:high|:low]: which end of the field is needier (default high).
struct PrioritySpec {
    std::string field;
    bool high_is_needier = true;
};
PrioritySpec parse_priority(const std::string& text, const options::Origin& origin);

struct EquityOptions {
    std::vector<GroupSpec> groups;
    std::optional<PrioritySpec> priority;
    InputSpec incidents;           // optional points (calls for service, robberies)
    std::string incident_weight;   // optional field of the incidents
    bool access = false;           // E2SFCA access scores
    std::vector<double> access_weights;  // one per break; default 1.0, 0.68, 0.22
    bool any() const { return !groups.empty() || priority || !incidents.path.empty() || access; }
};

// The groups' residents into `population` (its group_per_area or group_per_layer): a field is
// read from the population layer when it has it, else from the areas.
void load_groups(const std::vector<GroupSpec>& groups, const Dataset& areas, const Dataset* layer, PopulationSource& population, Log& log);

// The population-weighted Gini coefficient of x: sum_ij w_i w_j |x_i - x_j| / (2 W^2 mean),
// computed in O(n log n) by sorting. 0 when every x is equal (or all weights are 0).
double weighted_gini(const std::vector<double>& x, const std::vector<double>& w);

// Each value's priority index: the share of values no needier than it (ties share the
// highest), in (0, 1]; the neediest value has 1.
std::vector<double> priority_index(const std::vector<double>& values, bool high_is_needier);

// E2SFCA (Luo and Qi 2009): supply R_j = s_j / sum_i p_i W_ij at each site, access
// A_i = sum_j W_ij R_j, with W the sparse areas x sites matrix of distance-decay weights.
// `weight_of[i]` lists (site, weight) pairs with weight > 0.
std::vector<double> e2sfca(const std::vector<std::vector<std::pair<std::size_t, double>>>& weight_of, const std::vector<double>& demand,
                           const std::vector<double>& supply);

// The per-study group figures at one break from per-area counts.
api::EquityBreak group_break(const std::string& label, const std::vector<GroupSpec>& groups, const std::vector<double>& population,
                             const std::vector<double>& population_covered, const std::vector<std::vector<double>>& group_residents,
                             const std::vector<std::vector<double>>& group_covered);

// The whole equity stage over a finished coverage: groups, priority, incidents, access.
struct EquityInputs {
    const ContextPool* pool;
    const ProjectedAreas* areas;
    const ProjectedPoints* events;
    const Dataset* area_data;
    const Transform* to_local;
    const CoverageResult* coverage;
    std::vector<Distance> radii;
    bool by_network = false;
    bool population_from_layer = false;
    double scale_bound = 1;  // of the local projection
};
api::EquityResult equity_stage(const EquityOptions& options, const EquityInputs& in, Study& study);

nlohmann::json to_json(const api::EquityResult& eq, const std::vector<GroupSpec>& groups);
// Adds the group, priority, incident and access fields to the neighborhoods layer.
void add_equity_fields(OutLayer& neighborhoods, const api::EquityResult& eq, const std::vector<GroupSpec>& groups, const std::vector<Distance>& radii);
// equity.csv: one row per group and break (all residents first).
void write_equity_csv(const api::EquityResult& eq, const std::vector<api::CoverageBreak>& totals, const std::string& path, const std::string& shown);

}  // namespace nightout
