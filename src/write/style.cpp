#include "write/style.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace nightout::style {

std::string coverage_colour(double share) {
    struct Rgb {
        double r, g, b;
    };
    // ColorBrewer RdYlGn end and middle colours.
    constexpr Rgb low{215, 48, 39}, mid{254, 224, 139}, high{26, 152, 80};
    double t = std::clamp(std::isfinite(share) ? share : 0.0, 0.0, 1.0);
    Rgb a = t < 0.5 ? low : mid, b = t < 0.5 ? mid : high;
    double u = t < 0.5 ? t / 0.5 : (t - 0.5) / 0.5;
    char buf[8];
    std::snprintf(buf, sizeof buf, "#%02x%02x%02x", static_cast<int>(std::lround(a.r + (b.r - a.r) * u)),
                  static_cast<int>(std::lround(a.g + (b.g - a.g) * u)), static_cast<int>(std::lround(a.b + (b.b - a.b) * u)));
    return buf;
}

}  // namespace nightout::style
