// Times of one evening as planners write them: clock times, windows and breaks.
// Parsers return nullopt on anything else; callers turn that into a message naming the
// file, the row and the field.
#pragma once

#include <optional>
#include <string>
#include <utility>

namespace nightout::route {

// "18:00", "18:00:30", "2026-08-04T18:00" or "2026-08-04 18:00:00" -> seconds after midnight
// (the date, when given, is ignored: one evening). Hours up to 47 for shifts past midnight.
std::optional<double> parse_clock(std::string text);

// Seconds after midnight -> "HH:MM:SS" (hours past 23 for the next morning; 00:00:00 below 0).
std::string clock_text(double seconds);

// "18:00-21:00" -> {18:00, 21:00} in seconds; either side may carry a date. The order of the two
// times is not checked: the caller says which rule an empty window breaks.
std::optional<std::pair<double, double>> parse_clock_window(const std::string& text);

// "30@19:00-20:30": a break of 30 minutes inside 19:00-20:30, in seconds.
struct BreakRule {
    double length = 0, open = 0, close = 0;
};
std::optional<BreakRule> parse_break(const std::string& text);

}  // namespace nightout::route
