#include "core/units.hpp"

#include "core/text.hpp"

#include "core/error.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <utility>

namespace nightout {

namespace {

struct Unit {
    const char* name;
    double meters;
};

// International foot, yard and statute mile.
constexpr Unit kUnits[] = {
    {"m", 1.0}, {"km", 1000.0}, {"mi", 1609.344}, {"ft", 0.3048}, {"yd", 0.9144},
};

}  // namespace

std::vector<std::string> split_trimmed(const std::string& text, char delimiter) {
    std::vector<std::string> parts;
    std::string::size_type start = 0;
    while (true) {
        auto pos = text.find(delimiter, start);
        parts.push_back(trim(text.substr(start, pos == std::string::npos ? std::string::npos : pos - start)));
        if (pos == std::string::npos) break;
        start = pos + 1;
    }
    return parts;
}

Distance parse_distance(const std::string& raw, const std::string& what) {
    const std::string accepted = "a positive number with a unit: m, km, mi, ft or yd (e.g. 800m, 0.5mi)";
    std::string text;
    std::copy_if(raw.begin(), raw.end(), std::back_inserter(text), [](char c) { return !std::isspace(static_cast<unsigned char>(c)); });
    if (text.empty()) throw_usage(what + ": empty distance; expected " + accepted);

    double value = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || ptr == text.data())
        throw_usage(what + ": '" + raw + "' does not start with a number; expected " + accepted);
    std::string unit(ptr, static_cast<const char*>(text.data() + text.size()));
    unit = lower(unit);
    if (unit.empty()) throw_usage(what + ": '" + raw + "' has no unit; expected " + accepted);

    const Unit* found = nullptr;
    for (const auto& u : kUnits)
        if (unit == u.name) found = &u;
    if (!found) throw_usage(what + ": unknown unit '" + unit + "' in '" + raw + "'; expected " + accepted);
    if (!std::isfinite(value) || value <= 0)
        throw_usage(what + ": '" + raw + "' is not positive; expected " + accepted);
    // No two points on the Earth are farther apart than half its circumference at the equator.
    constexpr double kHalfEquator_m = 20037508.3;
    if (!(value * found->meters <= kHalfEquator_m))
        throw_usage(what + ": '" + raw + "' is beyond the size of the Earth; expected at most 20,037 km (half the circumference at the equator)");
    return Distance{value * found->meters, text};
}

std::vector<Distance> parse_distance_list(const std::string& text, const std::string& what) {
    std::vector<Distance> out;
    for (const auto& part : split_trimmed(text, ',')) {
        Distance d = parse_distance(part, what);
        for (const auto& prev : out)
            if (prev.label == d.label || std::abs(prev.meters - d.meters) < 1e-9)
                throw_usage(what + ": '" + d.label + "' is given twice");
        out.push_back(std::move(d));
    }
    return out;
}

}  // namespace nightout
