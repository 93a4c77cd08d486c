// Which field holds an input's ids and names: detected from the field names (id, <role>_id,
// the singular role's _id such as station_id, a unique *_id field), said aloud per input, and
// named in the suggestion when another file's reference matches none of the ids.
#pragma once

#include "read/dataset.hpp"

#include <string>
#include <vector>

namespace nightout {

// "stations" -> "station", "candidates" -> "candidate", "areas" -> "area".
std::string singular_role(const std::string& role);

// The field names an input's ids are looked for in, in order (lower case).
std::vector<std::string> id_field_names(const std::string& role);
// The same for its names.
std::vector<std::string> name_field_names(const std::string& role);

// The fields of `ds` (its id and name included) in which some feature has `value`
// (compared without case), the id field first.
std::vector<std::string> fields_holding(const Dataset& ds, const std::string& value);

// "; its field 'district' holds 'BPD1': give --stations-id district" when `value` is found
// in a field other than the one the ids come from; empty otherwise.
std::string id_field_hint(const Dataset& ds, const std::string& value);

// "ids from field 'station_id', names from field 'name'" (or "ids numbered 1..n", "no names").
std::string describe_ids(const Dataset& ds);

}  // namespace nightout
