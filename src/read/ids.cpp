#include "read/ids.hpp"

#include "core/text.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>

namespace nightout {

std::string singular_role(const std::string& role) {
    if (role.size() > 3 && role.compare(role.size() - 3, 3, "ies") == 0) return role.substr(0, role.size() - 3) + "y";
    if (role.size() > 1 && role.back() == 's') return role.substr(0, role.size() - 1);
    return role;
}

std::vector<std::string> id_field_names(const std::string& role) {
    const std::string one = singular_role(role);
    std::vector<std::string> names{"id", role + "_id", one + "_id", one + "id"};
    if (role == "areas" || role == "demand") names.insert(names.end(), {"nbhd_id", "neighborhood_id", "area_id", "zone_id", "geoid"});
    if (role == "candidates" || role == "required") names.insert(names.end(), {"cand_id", "candidate_id", "site_id"});
    if (role == "from" || role == "to") names.insert(names.end(), {"station_id", "event_id"});
    names.insert(names.end(), {"fid", "objectid", "gid", "uid", "osm_id", "code"});
    std::vector<std::string> unique;
    for (const auto& n : names)
        if (std::find(unique.begin(), unique.end(), n) == unique.end()) unique.push_back(n);
    return unique;
}

std::vector<std::string> name_field_names(const std::string& role) {
    const std::string one = singular_role(role);
    std::vector<std::string> names{"name", role + "_name", one + "_name", "title", "label", "nbhd_name", "neighborhood", "site_name", "station"};
    std::vector<std::string> unique;
    for (const auto& n : names)
        if (std::find(unique.begin(), unique.end(), n) == unique.end()) unique.push_back(n);
    return unique;
}

std::vector<std::string> fields_holding(const Dataset& ds, const std::string& value) {
    const std::string wanted = lower(value);
    std::vector<std::string> out;
    bool in_ids = false;
    for (const Feature& f : ds.features) in_ids = in_ids || lower(f.id) == wanted;
    if (in_ids && !ds.id_field.empty()) out.push_back(ds.id_field);
    for (std::size_t k = 0; k < ds.fields.size(); ++k) {
        const std::string& name = ds.fields[k].name;
        if (name.empty() || name == ds.id_field) continue;
        for (const Feature& f : ds.features)
            if (k < f.attrs.size() && lower(value_text(f.attrs[k])) == wanted) {
                out.push_back(name);
                break;
            }
    }
    return out;
}

std::string id_field_hint(const Dataset& ds, const std::string& value) {
    std::vector<std::string> others;
    for (const std::string& f : fields_holding(ds, value))
        if (f != ds.id_field && f != ds.name_field) others.push_back(f);
    if (others.empty()) return {};
    std::string list;
    for (std::size_t i = 0; i < others.size(); ++i) list += (i ? ", " : "") + std::string("'") + others[i] + "'";
    return "; " + ds.role + " field" + (others.size() > 1 ? "s " : " ") + list + (others.size() > 1 ? " hold '" : " holds '") + value +
           "': give --" + ds.role + "-id " + others.front() + " (its ids now come from " +
           (ds.id_field.empty() ? std::string("the feature numbers 1..n") : "field '" + ds.id_field + "'") + ")";
}

std::string describe_ids(const Dataset& ds) {
    std::string s = ds.id_field.empty() ? "ids numbered 1.." + std::to_string(ds.features.size()) + " (no id field found)"
                                         : "ids from field '" + ds.id_field + "'";
    s += ds.name_field.empty() ? ", no names" : ", names from field '" + ds.name_field + "'";
    return s;
}

}  // namespace nightout
