// Random road graphs for the search tests: the same generator (and so the same graphs for a
// seed) wherever searches are compared with a reference.
#pragma once

#include "core/log.hpp"
#include "geo/geodesic.hpp"
#include "network/graph.hpp"

#include <random>

namespace nightout::test {

// Random points joined by random one- and two-way segments; some restricted in odd rounds.
inline Graph random_graph(std::mt19937& rng, int n, bool restricted, Log& log) {
    RawNetwork raw;
    std::uniform_real_distribution<double> coord(0, 0.05), speed(5, 80), unit(0, 1);
    for (int i = 0; i < n; ++i) {
        raw.lon.push_back(9 + coord(rng));
        raw.lat.push_back(47 + coord(rng));
    }
    std::uniform_int_distribution<int> pick(0, n - 1);
    for (int k = 0; k < 3 * n; ++k) {
        RawNetwork::Segment s;
        s.a = pick(rng);
        s.b = pick(rng);
        s.lon = {raw.lon[s.a], raw.lon[s.b]};
        s.lat = {raw.lat[s.a], raw.lat[s.b]};
        s.length_m = geodesic_distance(s.lon[0], s.lat[0], s.lon[1], s.lat[1]);
        double v = speed(rng), r = unit(rng);
        s.speed_ab_kmh = r < 0.8 ? v : 0;
        s.speed_ba_kmh = r > 0.2 ? v : 0;
        s.restricted = restricted && unit(rng) < 0.2;
        raw.segments.push_back(s);
    }
    return build_graph(raw, "test", "random", log);
}

}  // namespace nightout::test
