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

namespace {

// A street a-b-c with something at b, and a detour a-d-e-c round the block.
//   a-----b-----c
//   |           |
//   |           |
//   d-----------e
OsmScenario street_with_detour(Tags at_b) {
    OsmScenario s(R"(
a-----b-----c
|           |
|           |
d-----------e
)");
    s.way("abc", {{"highway", "residential"}});
    s.way("adec", {{"highway", "residential"}});
    if (!at_b.empty()) s.node('b', std::move(at_b));
    return s;
}

// The length of the trip a -> c: 120 m through b, 180 m round the block.
double a_to_c(const Tags& at_b, const std::string& profile, const fs::path& dir) {
    OsmScenario s = street_with_detour(at_b);
    Network net = scenario_network(s, dir, profile);
    Trip t = trip(net, s, 'a', 'c');
    BOOST_REQUIRE(t.reached());
    return t.length_m;
}

}  // namespace

BOOST_AUTO_TEST_CASE(node_barriers_by_profile) {
    TempDir dir;
    const OsmScenario s = street_with_detour({});
    const double through = s.metres("abc"), round = s.metres("adec");
    BOOST_TEST(through == 120.0, tt::tolerance(0.005));
    BOOST_TEST(round == 180.0, tt::tolerance(0.005));
    struct Case {
        Tags at_b;
        bool drive_passes, walk_passes;
    };
    const std::vector<Case> cases = {
        {{{"barrier", "bollard"}}, false, true},
        {{{"barrier", "block"}}, false, true},
        {{{"barrier", "cycle_barrier"}}, false, true},
        {{{"barrier", "jersey_barrier"}}, false, true},
        {{{"barrier", "fence"}}, false, false},                      // a barrier no profile lists
        {{{"barrier", "gate"}}, true, true},                         // open gate
        {{{"barrier", "gate"}, {"access", "no"}}, false, false},     // barrier=* with access=no
        {{{"barrier", "gate"}, {"access", "private"}}, false, false},
        {{{"barrier", "gate"}, {"locked", "yes"}}, false, false},    // locked gate
        {{{"barrier", "lift_gate"}, {"access", "yes"}}, true, true},
        {{{"barrier", "lift_gate"}, {"motor_vehicle", "no"}}, false, true},  // the car's own access tag
        {{{"barrier", "bollard"}, {"motor_vehicle", "yes"}}, true, true},    // an allowed access tag passes any barrier
        {{{"barrier", "cattle_grid"}}, true, true},
        {{{"barrier", "toll_booth"}}, true, true},
        {{{"barrier", "border_control"}}, true, true},
        {{{"highway", "crossing"}}, true, true},                     // not a barrier
    };
    for (const Case& c : cases) {
        std::string what = c.at_b.front().first + "=" + c.at_b.front().second + (c.at_b.size() > 1 ? " + " + c.at_b[1].first + "=" + c.at_b[1].second : "");
        BOOST_TEST_CONTEXT(what) {
            BOOST_TEST(a_to_c(c.at_b, "drive", dir.path()) == (c.drive_passes ? through : round), tt::tolerance(1e-6));
            BOOST_TEST(a_to_c(c.at_b, "walk", dir.path()) == (c.walk_passes ? through : round), tt::tolerance(1e-6));
        }
    }
}

// A bollard at a junction closes it to cars in every direction; the ways still reach it.
BOOST_AUTO_TEST_CASE(barrier_at_a_junction_and_profile_file_lists) {
    TempDir dir;
    OsmScenario s(R"(
      f
      |
a-----b-----c
|           |
d-----------e
)");
    s.way("abc", {{"highway", "residential"}});
    s.way("adec", {{"highway", "residential"}});
    s.way("fb", {{"highway", "residential"}});
    s.node('b', {{"barrier", "bollard"}});
    Network net = scenario_network(s, dir.path(), "drive");
    BOOST_TEST(trip(net, s, 'a', 'c').length_m == s.metres("adec"), tt::tolerance(1e-6));
    // f's street ends at the bollard: a dead end cut off from the rest, so the graph drops it
    // (largest strongly connected component) and f is not on it.
    Snapper snapper(net.graph);
    BOOST_TEST(!snapper.snap(s.where('f').lon, s.where('f').lat, 1.0).ok);
    // A profile file may pass bollards (and then stop at gates).
    const std::string profile = write_file(dir / "bollards_ok.json", R"({"base": "drive", "barrier_passable": ["bollard"]})");
    Network open = scenario_network(s, dir.path(), profile);
    BOOST_TEST(trip(open, s, 'a', 'c').length_m == s.metres("abc"), tt::tolerance(1e-6));
    BOOST_TEST(trip(open, s, 'f', 'a').length_m == s.metres("fba"), tt::tolerance(1e-6));
    BOOST_TEST(a_to_c({{"barrier", "gate"}}, profile, dir.path()) == street_with_detour({}).metres("adec"), tt::tolerance(1e-6));
}

BOOST_AUTO_TEST_CASE(construction_and_other_non_roads) {
    TempDir dir;
    // The street a-b-c is each of these in turn; the detour a-d-e-c is open.
    struct Case {
        Tags street;
        bool driven;
    };
    const std::vector<Case> cases = {
        {{{"highway", "construction"}, {"construction", "residential"}}, false},
        {{{"highway", "residential"}, {"construction", "yes"}}, false},  // a road being rebuilt
        {{{"highway", "residential"}, {"construction", "minor"}}, true},  // works beside traffic
        {{{"highway", "residential"}, {"construction", "no"}}, true},
        {{{"highway", "proposed"}, {"proposed", "residential"}}, false},
        {{{"highway", "abandoned"}}, false},
        {{{"highway", "disused"}}, false},
        {{{"highway", "residential"}}, true},
    };
    for (const Case& c : cases) {
        BOOST_TEST_CONTEXT(c.street.front().second + (c.street.size() > 1 ? " " + c.street[1].first + "=" + c.street[1].second : "")) {
            OsmScenario s(R"(
a-----b-----c
|           |
d-----------e
)");
            s.way("abc", c.street);
            s.way("adec", {{"highway", "residential"}});
            for (const char* profile : {"drive", "walk"}) {
                Network net = scenario_network(s, dir.path(), profile);
                BOOST_TEST(trip(net, s, 'a', 'c').length_m == s.metres(c.driven ? "abc" : "adec"), tt::tolerance(1e-6));
            }
        }
    }
    // A profile file may drive roads under construction (a works vehicle, say).
    OsmScenario s(R"(
a-----b-----c
|           |
d-----------e
)");
    s.way("abc", {{"highway", "residential"}, {"construction", "yes"}});
    s.way("adec", {{"highway", "residential"}});
    const std::string works = write_file(dir / "works.json", R"({"base": "drive", "construction_allowed": ["yes"]})");
    BOOST_TEST(trip(scenario_network(s, dir.path(), works), s, 'a', 'c').length_m == s.metres("abc"), tt::tolerance(1e-6));
}

namespace {
// A destination-only street a-b-c between two through streets, with the way round by d-e.
//   f--a-----b-----c--g
//      |           |
//      d-----------e
OsmScenario destination_street(const std::string& access) {
    OsmScenario s(R"(
f--a-----b-----c--g
   |           |
   d-----------e
)");
    s.way("fa", {{"highway", "residential"}});
    s.way("cg", {{"highway", "residential"}});
    s.way("abc", {{"highway", "residential"}, {"access", access}});
    s.way("adec", {{"highway", "residential"}});
    return s;
}
}  // namespace

BOOST_AUTO_TEST_CASE(restricted_streets_only_at_the_ends) {
    TempDir dir;
    for (const char* access : {"destination", "delivery", "customers"}) {
        BOOST_TEST_CONTEXT(access) {
            OsmScenario s = destination_street(access);
            Network net = scenario_network(s, dir.path(), "drive");
            // As a shortcut: f -> g through a-b-c would enter and leave it: round by d-e instead.
            BOOST_TEST(trip(net, s, 'f', 'g').length_m == s.metres("fadecg"), tt::tolerance(1e-6));
            BOOST_TEST(trip(net, s, 'g', 'f').length_m == s.metres("gcedaf"), tt::tolerance(1e-6));
            // As the last leg (to b on it) and the first (from b): used.
            BOOST_TEST(trip(net, s, 'f', 'b').length_m == s.metres("fab"), tt::tolerance(1e-6));
            BOOST_TEST(trip(net, s, 'b', 'g').length_m == s.metres("bcg"), tt::tolerance(1e-6));
            // Both ends on it: a trip inside the restricted street stays on it.
            BOOST_TEST(trip(net, s, 'a', 'b').length_m == s.metres("ab"), tt::tolerance(1e-6));
            // Durations follow the same paths at the residential speed (25 km/h).
            BOOST_TEST(trip(net, s, 'f', 'g').duration_s == s.metres("fadecg") / kmh(25), tt::tolerance(1e-6));
            BOOST_TEST(trip(net, s, 'f', 'b').duration_s == s.metres("fab") / kmh(25), tt::tolerance(1e-6));
            // Walkers are not restricted by a car's access tag.
            Network walk = scenario_network(s, dir.path(), "walk");
            BOOST_TEST(trip(walk, s, 'f', 'g').length_m == s.metres("fabcg"), tt::tolerance(1e-6));
        }
    }
    // private: closed by default; a profile file may treat it as restricted instead.
    OsmScenario s = destination_street("private");
    Network closed = scenario_network(s, dir.path(), "drive");
    BOOST_TEST(trip(closed, s, 'f', 'g').length_m == s.metres("fadecg"), tt::tolerance(1e-6));
    BOOST_TEST(!Snapper(closed.graph).snap(s.where('b').lon, s.where('b').lat, 1.0).ok);
    const std::string profile = write_file(dir / "private_ok.json", R"({"base": "drive", "restricted_access": ["destination", "private"]})");
    Network open = scenario_network(s, dir.path(), profile);
    BOOST_TEST(trip(open, s, 'f', 'g').length_m == s.metres("fadecg"), tt::tolerance(1e-6));
    BOOST_TEST(trip(open, s, 'f', 'b').length_m == s.metres("fab"), tt::tolerance(1e-6));
}

// Two restricted streets in a row with an open piece between them: together one restricted run,
// which is no shortcut but may start or end a trip.
//   f--a--b--c--d--g
//      |        |
//      h--------i
BOOST_AUTO_TEST_CASE(restricted_runs_at_both_ends) {
    TempDir dir;
    OsmScenario s(R"(
f--a--b--c--d--g
   |        |
   h--------i
)");
    s.way("fa", {{"highway", "residential"}});
    s.way("dg", {{"highway", "residential"}});
    s.way("ab", {{"highway", "residential"}, {"access", "destination"}});
    s.way("bc", {{"highway", "residential"}});
    s.way("cd", {{"highway", "residential"}, {"access", "destination"}});
    s.way("ahid", {{"highway", "residential"}});
    Network net = scenario_network(s, dir.path(), "drive");
    BOOST_TEST(trip(net, s, 'f', 'g').length_m == s.metres("fahidg"), tt::tolerance(1e-6));
    // From a (where the first restricted street starts) to d (where the second ends): a
    // restricted run, the open piece, a restricted run: allowed, straight on.
    BOOST_TEST(trip(net, s, 'a', 'd').length_m == s.metres("abcd"), tt::tolerance(1e-6));
    // b-c is open but reached only through restricted streets, so it is restricted too
    // (open_pocket_inside_restricted_streets): a-b-c-d is one restricted run, the end of f -> c.
    BOOST_TEST(trip(net, s, 'f', 'c').length_m == s.metres("fabc"), tt::tolerance(1e-6));
    BOOST_TEST(trip(net, s, 'f', 'b').length_m == s.metres("fab"), tt::tolerance(1e-6));
}

// An open street b-h reached only through destination-only streets (as in Liechtenstein, where
// an untagged piece sits between two destination pieces) counts as restricted too: it can be
// the end or the start of a trip, and the restricted streets are still no shortcut.
//   f--a-----b-----c--g
//      |     |     |
//      |     h     |
//      |           |
//      d-----------e
BOOST_AUTO_TEST_CASE(open_pocket_inside_restricted_streets) {
    TempDir dir;
    OsmScenario s(R"(
f--a-----b-----c--g
   |     |     |
   |     h     |
   |           |
   d-----------e
)");
    s.way("fa", {{"highway", "residential"}});
    s.way("cg", {{"highway", "residential"}});
    s.way("ab", {{"highway", "residential"}, {"motor_vehicle", "destination"}});
    s.way("bc", {{"highway", "residential"}, {"motor_vehicle", "destination"}});
    s.way("bh", {{"highway", "residential"}});
    s.way("adec", {{"highway", "residential"}});
    Network net = scenario_network(s, dir.path(), "drive");
    BOOST_TEST(trip(net, s, 'f', 'g').length_m == s.metres("fadecg"), tt::tolerance(1e-6));
    BOOST_TEST(trip(net, s, 'f', 'h').length_m == s.metres("fabh"), tt::tolerance(1e-6));
    BOOST_TEST(trip(net, s, 'h', 'g').length_m == s.metres("hbcg"), tt::tolerance(1e-6));
}

// The drive speed model, one street at a time: a 100 m street a-b, durations by hand.
BOOST_AUTO_TEST_CASE(drive_speed_model) {
    TempDir dir;
    struct Case {
        Tags street;
        double kmh_ab, kmh_ba;
    };
    const std::vector<Case> cases = {
        {{{"highway", "residential"}}, 25, 25},                        // class speed
        {{{"highway", "primary"}}, 65, 65},
        {{{"highway", "residential"}, {"maxspeed", "50"}}, 40, 40},    // 0.8 x the posted limit
        {{{"highway", "residential"}, {"maxspeed", "20 mph"}}, 0.8 * 20 * 1.609344, 0.8 * 20 * 1.609344},
        {{{"highway", "primary"}, {"maxspeed", "CH:urban"}}, 40, 40},  // implicit: urban 50
        {{{"highway", "primary"}, {"maxspeed", "CH:rural"}}, 64, 64},  // Swiss rural roads: 80
        {{{"highway", "secondary"}, {"maxspeed", "XX:rural"}}, 72, 72},  // unknown country: rural 90
        {{{"highway", "primary"}, {"maxspeed:forward", "60"}, {"maxspeed:backward", "40"}}, 48, 32},
        {{{"highway", "service"}}, 15, 15},
        {{{"highway", "service"}, {"service", "parking_aisle"}}, 5, 5},
        {{{"highway", "service"}, {"service", "alley"}}, 5, 5},
        {{{"highway", "service"}, {"service", "driveway"}}, 5, 5},
    };
    for (const Case& c : cases) {
        BOOST_TEST_CONTEXT(c.street.back().first + "=" + c.street.back().second) {
            OsmScenario s("a----------b");
            s.way("ab", c.street);
            Network net = scenario_network(s, dir.path(), "drive");
            BOOST_TEST(trip(net, s, 'a', 'b').duration_s == s.metres("ab") / kmh(c.kmh_ab), tt::tolerance(1e-9));
            BOOST_TEST(trip(net, s, 'b', 'a').duration_s == s.metres("ab") / kmh(c.kmh_ba), tt::tolerance(1e-9));
        }
    }
    // A profile file changes the factor and the tables.
    OsmScenario s("a----------b");
    s.way("ab", {{"highway", "service"}, {"service", "alley"}, {"maxspeed", "CH:urban"}});
    const std::string own = write_file(dir / "own.json", R"({"base": "drive", "maxspeed_factor": 1, "maxspeed_implicit": {"ch:urban": 30}})");
    BOOST_TEST(trip(scenario_network(s, dir.path(), own), s, 'a', 'b').duration_s == s.metres("ab") / kmh(30), tt::tolerance(1e-9));
    const std::string bad = write_file(dir / "bad.json", R"({"base": "drive", "service_speed_kmh": {"alley": -5}})");
    BOOST_CHECK_EXCEPTION(load_profile(bad), Error, [](const Error& e) { return std::string(e.what()).find("service_speed_kmh.alley") != std::string::npos; });
}

// Traffic signals: 2 s for each one passed, inside a street or at a junction, once per passage.
//   a-----b-----c
//               |
//               d
BOOST_AUTO_TEST_CASE(traffic_signal_delay) {
    TempDir dir;
    OsmScenario s(R"(
a-----b-----c
            |
            d
)");
    s.way("abc", {{"highway", "residential"}});
    s.way("cd", {{"highway", "residential"}});
    s.node('b', {{"highway", "traffic_signals"}});
    s.node('c', {{"highway", "traffic_signals"}});
    Network net = scenario_network(s, dir.path(), "drive");
    BOOST_TEST(trip(net, s, 'a', 'd').duration_s == s.metres("abcd") / kmh(25) + 2 + 2, tt::tolerance(1e-9));
    BOOST_TEST(trip(net, s, 'd', 'a').duration_s == s.metres("dcba") / kmh(25) + 2 + 2, tt::tolerance(1e-9));
    BOOST_TEST(trip(net, s, 'd', 'a').length_m == s.metres("dcba"), tt::tolerance(1e-9));  // lengths unchanged
    // Walkers wait at no signal in the model; a profile file may switch the delay off for cars.
    BOOST_TEST(trip(scenario_network(s, dir.path(), "walk"), s, 'a', 'd').duration_s == s.metres("abcd") / kmh(5), tt::tolerance(1e-9));
    const std::string none = write_file(dir / "none.json", R"({"base": "drive", "traffic_signal_penalty_s": 0})");
    BOOST_TEST(trip(scenario_network(s, dir.path(), none), s, 'a', 'd').duration_s == s.metres("abcd") / kmh(25), tt::tolerance(1e-9));
}

// Route lines follow the same rule: f -> g goes round by d and e, f -> b ends on the
// destination-only street through a.
BOOST_AUTO_TEST_CASE(route_lines_avoid_restricted_shortcuts) {
    TempDir dir;
    OsmScenario s = destination_street("destination");
    Network net = scenario_network(s, dir.path(), "drive");
    const Graph& g = net.graph;
    Snapper snapper(g);
    auto at = [&](char c) { return snapper.snap(s.where(c).lon, s.where(c).lat, 1.0); };
    auto passes = [&](const std::vector<double>& lon, const std::vector<double>& lat, char c) {
        for (std::size_t i = 0; i < lon.size(); ++i)
            if (geodesic_distance(lon[i], lat[i], s.where(c).lon, s.where(c).lat) < 0.01) return true;
        return false;
    };
    Dijkstra d(g, g.duration_s);
    std::vector<double> lon, lat;
    d.run(source_seeds(g, g.duration_s, at('f')));
    route_points(g, g.duration_s, d, at('f'), at('g'), lon, lat);
    BOOST_TEST((passes(lon, lat, 'a') && passes(lon, lat, 'd') && passes(lon, lat, 'e') && passes(lon, lat, 'c') && passes(lon, lat, 'g')));
    BOOST_TEST(!passes(lon, lat, 'b'));
    route_points(g, g.duration_s, d, at('f'), at('b'), lon, lat);
    BOOST_TEST((passes(lon, lat, 'a') && passes(lon, lat, 'b')));
    BOOST_TEST(!passes(lon, lat, 'd'));
    // The route's length is the trip's.
    double m = 0;
    for (std::size_t i = 1; i < lon.size(); ++i) m += geodesic_distance(lon[i - 1], lat[i - 1], lon[i], lat[i]);
    BOOST_TEST(m == s.metres("fab"), tt::tolerance(1e-6));
}

// The restricted flags survive a .graph file; a version 1 file (before them) is refused.
BOOST_AUTO_TEST_CASE(graph_file_keeps_restricted_edges) {
    TempDir dir;
    OsmScenario s = destination_street("destination");
    Network net = scenario_network(s, dir.path(), "drive");
    const std::string path = (dir / "d.graph").string();
    save_network(net, path);
    NetworkOptions o;
    o.path = path;
    Log log(true);
    Network back = open_network(o, log);
    BOOST_TEST(back.graph.restricted == net.graph.restricted);
    BOOST_TEST(std::count(back.graph.restricted.begin(), back.graph.restricted.end(), 1) == 2);  // a-b-c: one edge each way (b joins no other way)
    BOOST_TEST(trip(back, s, 'f', 'g').length_m == s.metres("fadecg"), tt::tolerance(1e-6));
    BOOST_TEST(trip(back, s, 'f', 'b').length_m == s.metres("fab"), tt::tolerance(1e-6));
    std::string bytes = read_text(path);
    const std::uint32_t old_version = 1;
    bytes.replace(32, 4, reinterpret_cast<const char*>(&old_version), 4);  // after the two 16-byte magics
    o.path = write_file(dir / "old.graph", bytes);
    BOOST_CHECK_EXCEPTION(open_network(o, log), Error, [](const Error& e) {
        const std::string m = e.what();
        return m.find("old.graph") != std::string::npos && m.find("version 1") != std::string::npos && m.find("rebuild") != std::string::npos;
    });
}
