// Text and numbers, once for the whole engine: trimming, case folding, and numbers parsed
// and written independently of the C locale (std::from_chars / std::to_chars), so that
// "1234567.8" stays 1234567.8 and a German locale never turns 0.5 into "0,5".
#pragma once

#include "core/values.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace nightout {

// An attribute value as the user wrote it: integers (and whole reals below 1e15) without a
// decimal point, other reals to 15 significant digits, text as it is, null as "".
std::string value_text(const Value& v);

// Blanks (space, tab, CR, LF, FF, VT) removed at both ends.
std::string trim(std::string_view text);
// ASCII lower case (field names, units, keywords).
std::string lower(std::string_view text);
bool iequals(std::string_view a, std::string_view b);

// The whole of `text` (blanks around it allowed) as a finite number, else nullopt.
// Accepts "12", "-0.5", "1e3", "+2"; rejects "", "12m", "0,5", "nan", "inf".
std::optional<double> parse_number(std::string_view text);
// The whole of `text` as an integer, else nullopt ("12", "-3"; not "1.5" or "1e3").
std::optional<long long> parse_integer(std::string_view text);

// The shortest text that reads back as the same double ("0.1", "1234567.8", "1e+300").
std::string format_number(double value);
// Fixed decimals ("%.3f" without the C locale): format_fixed(2.5, 3) == "2.500".
std::string format_fixed(double value, int decimals);
// Appends to `out` without a temporary string (for writers of many numbers).
void append_number(std::string& out, double value);
void append_fixed(std::string& out, double value, int decimals);

}  // namespace nightout
