// simplestyle-spec colours, so that GeoJSON renders in colour on geojson.io and GitHub.
#pragma once

#include <string>

namespace nightout::style {

// The coverage ramp's colours at shares 0, 0.5 and 1 (ColorBrewer RdYlGn ends and middle),
// as "#rrggbb". The report's map interpolates between the same stops.
inline constexpr const char* kCoverageRamp[3] = {"#d73027", "#fee08b", "#1a9850"};

// Red (0) through yellow (0.5) to green (1), as "#rrggbb": linear between kCoverageRamp's stops.
std::string coverage_colour(double share);

// Distinct colours for categories (officers' routes): ColorBrewer Dark2 and Set1, then
// evenly spread hues; "#rrggbb".
std::string category_colour(std::size_t index);

inline constexpr const char* kGapFill = "#b2182b";
inline constexpr const char* kEventColour = "#2166ac";
inline constexpr const char* kStationColour = "#111111";
inline constexpr const char* kOutline = "#555555";
// Points far beyond the study area (a swapped latitude/longitude, a wrong CRS): reach no one.
inline constexpr const char* kFarOffColour = "#999999";

}  // namespace nightout::style
