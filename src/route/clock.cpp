#include "route/clock.hpp"

#include "core/text.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace nightout::route {

std::optional<double> parse_clock(std::string text) {
    text = trim(text);
    const auto t = text.find_first_of("T ");
    if (t != std::string::npos && text.find('-') < t) text = text.substr(t + 1);
    int h = 0, m = 0, s = 0;
    char tail = 0;
    // Width limits keep sscanf's %d from overflowing on long digit runs (undefined behaviour).
    const int n = std::sscanf(text.c_str(), "%3d:%3d:%3d%c", &h, &m, &s, &tail);
    if (n < 2 || n > 3 || h < 0 || h > 47 || m < 0 || m > 59 || s < 0 || s > 59) return std::nullopt;
    if (n == 2) {
        char extra = 0;
        if (std::sscanf(text.c_str(), "%3d:%3d%c", &h, &m, &extra) == 3) return std::nullopt;
    }
    return h * 3600.0 + m * 60.0 + s;
}

std::string clock_text(double seconds) {
    // Clamped before rounding: llround of a value beyond long long (or NaN) is undefined.
    const long long t = std::isfinite(seconds) ? std::llround(std::clamp(seconds, 0.0, 1e9)) : 0;
    char buf[40];
    std::snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld", t / 3600, (t / 60) % 60, t % 60);
    return buf;
}

std::optional<std::pair<double, double>> parse_clock_window(const std::string& text) {
    // The dash after the first colon: a date on the left ("2026-08-04T18:00") has dashes of its own.
    const auto colon = text.find(':');
    const auto dash = text.find('-', colon == std::string::npos ? 0 : colon);
    if (dash == std::string::npos) return std::nullopt;
    const auto a = parse_clock(text.substr(0, dash)), b = parse_clock(text.substr(dash + 1));
    if (!a || !b) return std::nullopt;
    return std::pair{*a, *b};
}

std::optional<BreakRule> parse_break(const std::string& text) {
    const std::string b = trim(text);
    const auto at_sign = b.find('@');
    if (at_sign == std::string::npos) return std::nullopt;
    const std::optional<double> minutes = parse_number(trim(b.substr(0, at_sign)));
    const auto window = parse_clock_window(b.substr(at_sign + 1));
    if (!minutes || !(*minutes > 0) || !(*minutes <= 48 * 60) || !window) return std::nullopt;
    return BreakRule{*minutes * 60, window->first, window->second};
}

}  // namespace nightout::route
