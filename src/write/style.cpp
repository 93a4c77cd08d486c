#include "write/style.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

namespace nightout::style {

std::string coverage_colour(double share) {
    auto channel = [](const char* hex, int k) { return static_cast<double>(std::stoi(std::string(hex + 1 + 2 * k, 2), nullptr, 16)); };
    const double t = std::clamp(std::isfinite(share) ? share : 0.0, 0.0, 1.0);
    const char* a = kCoverageRamp[t < 0.5 ? 0 : 1];
    const char* b = kCoverageRamp[t < 0.5 ? 1 : 2];
    const double u = t < 0.5 ? t / 0.5 : (t - 0.5) / 0.5;
    int rgb[3];
    for (int k = 0; k < 3; ++k) rgb[k] = static_cast<int>(std::lround(channel(a, k) + (channel(b, k) - channel(a, k)) * u));
    char buf[8];
    std::snprintf(buf, sizeof buf, "#%02x%02x%02x", rgb[0], rgb[1], rgb[2]);
    return buf;
}

std::string category_colour(std::size_t index) {
    static const char* const kPalette[] = {"#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#e41a1c",
                                           "#377eb8", "#4daf4a", "#984ea3", "#ff7f00", "#a65628", "#f781bf", "#666666", "#1f78b4"};
    constexpr std::size_t n = sizeof kPalette / sizeof kPalette[0];
    if (index < n) return kPalette[index];
    // Golden-angle hues at fixed saturation and value.
    const double h = std::fmod(static_cast<double>(index - n) * 137.508, 360.0) / 60.0, s = 0.75, v = 0.8;
    const double c = v * s, x = c * (1 - std::fabs(std::fmod(h, 2.0) - 1)), m = v - c;
    double r = 0, g = 0, b = 0;
    switch (static_cast<int>(h)) {
    case 0: r = c, g = x; break;
    case 1: r = x, g = c; break;
    case 2: g = c, b = x; break;
    case 3: g = x, b = c; break;
    case 4: r = x, b = c; break;
    default: r = c, b = x; break;
    }
    char buf[8];
    std::snprintf(buf, sizeof buf, "#%02x%02x%02x", static_cast<int>(std::lround((r + m) * 255)), static_cast<int>(std::lround((g + m) * 255)),
                  static_cast<int>(std::lround((b + m) * 255)));
    return buf;
}

}  // namespace nightout::style
