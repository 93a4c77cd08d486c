// simplestyle-spec colours, so that GeoJSON renders in colour on geojson.io and GitHub.
#pragma once

#include <string>

namespace nightout::style {

// Red (0) through yellow (0.5) to green (1), as "#rrggbb".
std::string coverage_colour(double share);

// Distinct colours for categories (officers' routes): ColorBrewer Dark2 and Set1, then
// evenly spread hues; "#rrggbb".
std::string category_colour(std::size_t index);

inline constexpr const char* kGapFill = "#b2182b";
inline constexpr const char* kEventColour = "#2166ac";
inline constexpr const char* kStationColour = "#111111";
inline constexpr const char* kOutline = "#555555";

}  // namespace nightout::style
