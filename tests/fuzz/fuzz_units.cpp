// The distance and speed parsers of the command line and plan files on arbitrary text.
#include "core/error.hpp"
#include "core/units.hpp"
#include "network/profile.hpp"

#include <cmath>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        const nightout::Distance d = nightout::parse_distance(text, "--radius");
        if (!(d.meters > 0 && d.meters <= 20037508.3)) std::abort();  // the documented range
    } catch (const nightout::Error&) {
    }
    try {
        for (const auto& d : nightout::parse_distance_list(text, "--radius"))
            if (!(d.meters > 0 && std::isfinite(d.meters))) std::abort();
    } catch (const nightout::Error&) {
    }
    if (auto kmh = nightout::parse_maxspeed_kmh(text); kmh && !(*kmh > 0)) std::abort();
    return 0;
}
