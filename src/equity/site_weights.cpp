#include "equity/site_weights.hpp"

#include "core/error.hpp"
#include "core/text.hpp"

namespace nightout {

namespace {

const GroupSpec& group_of(const std::string& objective, const std::vector<GroupSpec>& groups) {
    const std::string name = objective.substr(6);
    for (const GroupSpec& g : groups)
        if (g.name == name) return g;
    std::string known;
    for (const GroupSpec& g : groups) known += (known.empty() ? "" : ", ") + g.name;
    throw_usage("--objective " + objective + ": no group '" + name + "'; " +
                (groups.empty() ? "declare it with --group " + name + "=FIELD (plan: [inputs.groups])" : "groups are " + known));
}

}  // namespace

std::vector<double> objective_weights(const std::string& objective, const std::vector<GroupSpec>& groups, const std::optional<PrioritySpec>& priority,
                                      const Dataset& demand, const std::vector<double>& population, Log& log) {
    if (objective.empty() || objective == "residents" || objective == "maxmin") return population;  // maxmin: residents break ties
    if (objective.rfind("group:", 0) == 0) {
        const GroupSpec& g = group_of(objective, groups);
        std::vector<double> v = demand.numeric_field(g.field, log);
        for (std::size_t i = 0; i < v.size(); ++i) {
            if (g.is_share && v[i] > 100)
                throw_input(demand.path + ": " + demand.features[i].where + " (id " + demand.features[i].id + "): field '" + g.field + "' is " +
                            format_number(v[i]) + "; group " + g.name + " is a share, a percent from 0 to 100");
            v[i] = g.is_share ? population[i] * v[i] / 100.0 : v[i];
        }
        return v;
    }
    if (objective == "priority") {
        if (!priority) throw_usage("--objective priority needs --priority FIELD[:high|:low] (plan: coverage.priority)");
        const std::vector<double> index = priority_index(demand.numeric_field(priority->field, log), priority->high_is_needier);
        std::vector<double> v(population.size());
        for (std::size_t i = 0; i < v.size(); ++i) v[i] = population[i] * index[i];
        return v;
    }
    throw_usage("--objective: '" + objective + "' is not accepted; expected residents, group:NAME (e.g. group:black), priority or maxmin");
}

std::string describe_weights(const std::string& objective, const std::vector<GroupSpec>& groups, const std::optional<PrioritySpec>& priority) {
    if (objective.empty() || objective == "residents") return "residents";
    if (objective == "maxmin") {
        std::string names;
        for (const GroupSpec& g : groups) names += (names.empty() ? "" : ", ") + g.name;
        return "the least share reached over the groups (" + names + "), ties by residents reached";
    }
    if (objective.rfind("group:", 0) == 0) {
        const GroupSpec& g = group_of(objective, groups);
        return "residents of group " + g.name + " (" + g.field + ", " + (g.is_share ? "share" : "count") + ")";
    }
    return "residents x priority index of " + (priority ? priority->field : std::string("?"));
}

}  // namespace nightout
