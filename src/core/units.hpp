// Distances as the user writes them ("800m", "0.5mi") and as the engine uses them (meters).
#pragma once

#include <string>
#include <vector>

namespace nightout {

struct Distance {
    double meters = 0;
    std::string label;  // as written by the user, without spaces: used to suffix field names
};

// Parses "800m", "1.5km", "0.5mi", "2000ft", "100yd". A unit is required and the
// value must be positive and finite; anything else throws a Usage error that says
// what is accepted. `what` names the option in the message.
Distance parse_distance(const std::string& text, const std::string& what);

// Parses a comma-separated list of distances ("400m,800m"); duplicates are an error.
std::vector<Distance> parse_distance_list(const std::string& text, const std::string& what);

// Splits on a delimiter and trims blanks around each part.
std::vector<std::string> split_trimmed(const std::string& text, char delimiter);

}  // namespace nightout
