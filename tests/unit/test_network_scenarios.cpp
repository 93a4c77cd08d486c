// Routing rules on small OSM scenarios drawn as ASCII maps (osm_scenario.hpp), each with its
// answer worked out by hand: lengths are the geodesic lengths of the drawn paths, durations
// those lengths at the profile's speed for the road class.
#define BOOST_TEST_MODULE network_scenarios
#include <boost/test/unit_test.hpp>

#include "osm_scenario.hpp"

using namespace nightout;
using namespace nightout::test;
namespace tt = boost::test_tools;

namespace {
constexpr double kmh(double v) { return v / 3.6; }
}  // namespace

// The helper itself: letters become nodes 10 m apart, ways follow the letters, and a trip
// follows the only road, through the real OSM reader and both searches.
BOOST_AUTO_TEST_CASE(ascii_map_becomes_a_road_graph) {
    TempDir dir;
    OsmScenario s(R"(
a---b---c
        |
        d
)");
    s.way("abc", {{"highway", "residential"}});
    s.way("cd", {{"highway", "residential"}});
    BOOST_TEST(s.metres("ab") == 40.0, tt::tolerance(0.005));  // 4 characters of 10 m
    BOOST_TEST(s.metres("cd") == 20.0, tt::tolerance(0.005));  // 2 lines of 10 m
    Network net = scenario_network(s, dir.path(), "walk");
    BOOST_TEST(net.graph.nodes() == 3u);  // a, c (way ends) and d; b lies inside way abc
    Trip t = trip(net, s, 'a', 'd');
    BOOST_TEST(t.length_m == s.metres("abcd"), tt::tolerance(1e-6));
    BOOST_TEST(t.duration_s == s.metres("abcd") / kmh(5), tt::tolerance(1e-6));
    Trip back = trip(net, s, 'd', 'b');  // b: a point in the middle of an edge
    BOOST_TEST(back.length_m == s.metres("dcb"), tt::tolerance(1e-6));
}
