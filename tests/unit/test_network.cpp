#define BOOST_TEST_MODULE network
#include <boost/test/unit_test.hpp>

#include "geo/geodesic.hpp"
#include "jobs/coverage_job.hpp"
#include "jobs/network_job.hpp"
#include "network/ch.hpp"
#include "network/network.hpp"
#include "network/osm_reader.hpp"
#include "network/search.hpp"
#include "support.hpp"
#include "network/random_graph.hpp"

#include <cmath>
#include <iomanip>
#include <queue>
#include <random>
#include <sstream>

using namespace nightout;
using namespace nightout::test;
namespace tt = boost::test_tools;

namespace {

// Small hand-drawn networks as OSM XML: nodes on a local grid in metres around 47N 9E.
struct OsmMap {
    std::ostringstream xml;
    OsmMap() { xml << "<?xml version='1.0' encoding='UTF-8'?>\n<osm version='0.6'>\n"; }
    static double lon(double x) { return 9.0 + x / (111320.0 * std::cos(47.0 * M_PI / 180)); }
    static double lat(double y) { return 47.0 + y / 111320.0; }
    void node(int id, double x, double y) {
        xml << "<node id='" << id << "' version='1' lat='" << std::setprecision(12) << lat(y) << "' lon='" << lon(x) << "'/>\n";
    }
    void way(int id, std::vector<int> nodes, std::vector<std::pair<std::string, std::string>> tags) {
        xml << "<way id='" << id << "' version='1'>";
        for (int n : nodes) xml << "<nd ref='" << n << "'/>";
        for (auto& [k, v] : tags) xml << "<tag k='" << k << "' v='" << v << "'/>";
        xml << "</way>\n";
    }
    std::string str() const { return xml.str() + "</osm>\n"; }
};

double metres(double x0, double y0, double x1, double y1) {
    return geodesic_distance(OsmMap::lon(x0), OsmMap::lat(y0), OsmMap::lon(x1), OsmMap::lat(y1));
}

// A 3x3 grid, 100 m apart: node 10*i + j + 1 at (100 i, 100 j). The middle row is one-way
// eastwards; the bottom-left block side is closed to cars but open to walkers.
std::string grid_osm() {
    OsmMap m;
    for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 3; ++j) m.node(10 * i + j + 1, 100 * i, 100 * j);
    auto id = [](int i, int j) { return 10 * i + j + 1; };
    m.way(100, {id(0, 0), id(1, 0)}, {{"highway", "residential"}, {"access", "no"}, {"foot", "yes"}});
    m.way(101, {id(1, 0), id(2, 0)}, {{"highway", "residential"}});
    m.way(102, {id(0, 1), id(1, 1), id(2, 1)}, {{"highway", "residential"}, {"oneway", "yes"}});
    m.way(103, {id(0, 2), id(1, 2), id(2, 2)}, {{"highway", "residential"}, {"maxspeed", "50"}});
    for (int i = 0; i < 3; ++i) m.way(200 + i, {id(i, 0), id(i, 1), id(i, 2)}, {{"highway", "residential"}});
    return m.str();
}

// Travel between grid nodes through the CLI job, as a from x to matrix of (distance, duration).
std::map<std::pair<std::string, std::string>, std::pair<double, double>> grid_table(const TempDir& dir, const std::string& profile,
                                                                                       const std::string& network) {
    std::ostringstream pts;
    pts << "id,lon,lat\n" << std::fixed << std::setprecision(6);
    for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 3; ++j) pts << 'n' << i << j << ',' << OsmMap::lon(100 * i) << ',' << OsmMap::lat(100 * j) << '\n';
    // 6 decimals (~0.1 m): snapping puts the points back on the nodes.
    NetworkTravelJob job;
    job.from.path = job.to.path = write_file(dir / "pts.csv", pts.str());
    job.network.path = network;
    job.network.profile = profile;
    job.matrix_out = (dir / ("m_" + profile + ".csv")).string();
    Log log(true);
    run_network_travel(job, log);
    std::map<std::pair<std::string, std::string>, std::pair<double, double>> out;
    std::istringstream in(read_text(job.matrix_out));
    std::string line;
    std::getline(in, line);
    while (std::getline(in, line)) {
        std::vector<std::string> f;
        std::stringstream ss(line);
        for (std::string x; std::getline(ss, x, ',');) f.push_back(x);
        out[{f[0], f[1]}] = {f[2].empty() ? -1 : std::stod(f[2]), f[3].empty() ? -1 : std::stod(f[3])};
    }
    return out;
}

std::pair<std::string, std::string> key(const char* a, const char* b) { return {a, b}; }

}  // namespace

BOOST_AUTO_TEST_CASE(grid_one_way_closed_road_and_maxspeed) {
    TempDir dir;
    const std::string osm = write_file(dir / "grid.osm", grid_osm());
    auto drive = grid_table(dir, "drive", osm);
    auto walk = grid_table(dir, "walk", osm);
    const double tol = 0.5;  // points are written to 6 decimals and snap back onto the nodes
    // With the one-way row: east 200 m; west must go round the top or bottom: 400 m.
    BOOST_TEST(std::fabs(drive[key("n01", "n21")].first - 200) < tol);
    BOOST_TEST(std::fabs(drive[key("n21", "n01")].first - 400) < tol);
    BOOST_TEST(std::fabs(walk[key("n21", "n01")].first - 200) < tol);  // walkers ignore one-way rules
    // The closed block side: cars go round (up the middle column, across the top, down), walkers pass.
    BOOST_TEST(std::fabs(drive[key("n10", "n00")].first - 500) < tol);
    BOOST_TEST(std::fabs(walk[key("n10", "n00")].first - 100) < tol);
    // Durations: residential 25 km/h; the top row's maxspeed=50 takes precedence, driven at 0.8 x 50.
    BOOST_TEST(drive[key("n01", "n21")].second == metres(0, 100, 200, 100) / (25 / 3.6), tt::tolerance(0.01));
    BOOST_TEST(drive[key("n02", "n22")].second == metres(0, 200, 200, 200) / (0.8 * 50 / 3.6), tt::tolerance(0.01));
    BOOST_TEST(walk[key("n02", "n22")].second == metres(0, 200, 200, 200) / (5 / 3.6), tt::tolerance(0.01));
    // Exact lengths: sum of the geodesic edge lengths of the path
    BOOST_TEST(std::fabs(drive[key("n10", "n00")].first - (metres(100, 0, 100, 200) + metres(100, 200, 0, 200) + metres(0, 200, 0, 0))) < tol);
}

BOOST_AUTO_TEST_CASE(river_with_one_bridge) {
    TempDir dir;
    // Two banks 100 m apart, one bridge at x = 900; metres in a local azimuthal CRS.
    const std::string lines = river_streets_csv();
    const std::string crs = kLocalMetresCrs;
    NetworkTravelJob job;
    job.from.path = write_file(dir / "p.csv", "id,x,y\np,100,0\n");
    job.to.path = write_file(dir / "q.csv", "id,x,y\nq,100,100\nfar,100,600\n");
    job.from.crs = job.to.crs = crs;
    job.network.path = write_file(dir / "streets.csv", lines);
    job.network.crs = crs;
    job.network.profile = "walk";
    job.matrix_out = (dir / "m.csv").string();
    Log log(true);
    auto summary = run_network_travel(job, log);
    std::string m = read_text(job.matrix_out);
    auto pos = m.find("p,q,");
    BOOST_REQUIRE(pos != std::string::npos);
    double d = std::stod(m.substr(pos + 4));
    BOOST_TEST(d == 800 + 100 + 800, tt::tolerance(1e-4));  // over the bridge, not 100 m across the water
    BOOST_TEST(m.find("p,far,,,to_off_network") != std::string::npos, m);  // 500 m from any road: reported, kept
    BOOST_TEST(summary["to"]["off_network"].get<int>() == 1);
    BOOST_REQUIRE(log.warnings().size() == 1u);
    BOOST_TEST(log.warnings()[0].find("far") != std::string::npos);
}

// Searches agree with a plain reference Dijkstra, and the contraction hierarchy with both,
// on random graphs with one-way edges and points in the middle of edges.
BOOST_AUTO_TEST_CASE(random_graphs_match_reference_dijkstra) {
    std::mt19937 rng(7);
    for (int round = 0; round < 6; ++round) {
        const int n = 60 + 40 * round;
        Log log(true);
        Graph g = random_graph(rng, n, round % 2 == 1, log);  // odd rounds: destination-only streets
        const auto& w = g.duration_s;
        std::uniform_real_distribution<double> unit(0, 1);
        // Reference: textbook Dijkstra on an adjacency list, from a point at fraction t of a segment.
        Snapper snapper(g);
        std::vector<Snapped> pts;
        for (int k = 0; k < 25; ++k) {
            Snapped s;
            s.ok = true;
            s.segment = std::uniform_int_distribution<std::uint32_t>(0, static_cast<std::uint32_t>(g.segments() - 1))(rng);
            s.t = k % 5 == 0 ? 0.0 : unit(rng);
            std::tie(s.forward, s.backward) = snapper.edges_of(s.segment);
            pts.push_back(s);
        }
        // With restricted edges, on states (node, phase): 0 only restricted edges so far, 1 after an
        // unrestricted one, 2 restricted again after that (no unrestricted edge may follow).
        auto reference = [&](const Snapped& s, const Snapped& t) {
            std::vector<double> dist(3 * g.nodes(), kUnreached);
            using Item = std::pair<double, std::size_t>;
            std::priority_queue<Item, std::vector<Item>, std::greater<>> pq;
            for (const Seed& seed : source_seeds(g, w, s)) {
                std::size_t st = 3 * seed.node + (seed.restricted_or_empty ? 0 : 1);
                if (seed.cost < dist[st]) dist[st] = seed.cost, pq.push({seed.cost, st});
            }
            while (!pq.empty()) {
                auto [c, st] = pq.top();
                pq.pop();
                if (c > dist[st]) continue;
                const NodeId u = static_cast<NodeId>(st / 3);
                const int phase = static_cast<int>(st % 3);
                for (EdgeId e = g.first_out[u]; e < g.first_out[u + 1]; ++e) {
                    const bool r = g.is_restricted(e);
                    const int next = phase == 0 ? (r ? 0 : 1) : phase == 1 ? (r ? 2 : 1) : (r ? 2 : -1);
                    if (next < 0) continue;
                    const std::size_t to = 3 * g.head[e] + next;
                    if (c + w[e] < dist[to]) dist[to] = c + w[e], pq.push({c + w[e], to});
                }
            }
            double best = kUnreached, len;
            same_segment_cost(g, w, s, t, best, len);
            for (const Seed& seed : target_seeds(g, w, t))
                for (int phase = 0; phase < 3; ++phase)
                    if (seed.restricted_or_empty || phase < 2) best = std::min(best, dist[3 * seed.node + phase] + seed.cost);
            return best;
        };
        std::vector<double> dc, dl, cc, cl;
        dijkstra_table(g, w, pts, pts, 2, dc, dl, log);
        ContractionHierarchy ch = build_ch(g, w, log);
        ch_table(g, w, ch, pts, pts, 2, cc, cl, log);
        for (std::size_t i = 0; i < pts.size(); ++i)
            for (std::size_t j = 0; j < pts.size(); ++j) {
                double ref = reference(pts[i], pts[j]);
                double d = dc[i * pts.size() + j], c = cc[i * pts.size() + j];
                if (ref == kUnreached) {
                    BOOST_TEST(d == kUnreached);
                    BOOST_TEST(c == kUnreached);
                } else {
                    BOOST_TEST(d == ref, tt::tolerance(1e-9));
                    BOOST_TEST(c == ref, tt::tolerance(1e-9));
                    BOOST_TEST(cl[i * pts.size() + j] == dl[i * pts.size() + j], tt::tolerance(1e-6));  // same path length
                }
            }
    }
}

BOOST_AUTO_TEST_CASE(prepared_graph_round_trip_and_export) {
    TempDir dir;
    const std::string osm = write_file(dir / "grid.osm", grid_osm());
    NetworkOptions o;
    o.path = osm;
    o.profile = "drive";
    Log log(true);
    run_graph_build(o, (dir / "g.graph").string(), log);
    run_graph_export(o, (dir / "a.csv").string(), log);
    NetworkOptions p;
    p.path = (dir / "g.graph").string();
    run_graph_export(p, (dir / "b.csv").string(), log);
    BOOST_TEST(read_text(dir / "a.csv") == read_text(dir / "b.csv"));
    std::string csv = read_text(dir / "a.csv");
    BOOST_TEST(csv.rfind("from_node,to_node,from_lon,from_lat,to_lon,to_lat,length_m,duration_s,restricted\n", 0) == 0u);
    // 12 street blocks; one-way middle row (2 edges) and the car-free side (0): 2*12 - 2 - 2 = 20 directed edges
    BOOST_TEST(std::count(csv.begin(), csv.end(), '\n') == 21);
    p.profile = "walk";
    p.profile_given = true;
    BOOST_CHECK_THROW(open_network(p, log), Error);  // built for drive
}

BOOST_AUTO_TEST_CASE(bad_network_inputs) {
    TempDir dir;
    Log log(true);
    auto expect = [&](NetworkOptions o, std::initializer_list<std::string> parts) {
        try {
            open_network(o, log);
            BOOST_FAIL("no error for " + o.path);
        } catch (const Error& e) {
            BOOST_TEST(static_cast<int>(e.kind()) == 3, e.what());
            for (const auto& p : parts) BOOST_TEST(std::string(e.what()).find(p) != std::string::npos, e.what());
        }
    };
    NetworkOptions o;
    // truncated PBF: the first half of a real extract
    std::string pbf = read_text(fs::path(source_dir()) / "tests/data/monaco-roads.osm.pbf");
    o.path = write_file(dir / "cut.osm.pbf", pbf.substr(0, pbf.size() / 2));
    expect(o, {"cut.osm.pbf", "truncated or corrupt"});
    o.path = write_file(dir / "junk.osm.pbf", std::string(5000, 'x'));
    expect(o, {"junk.osm.pbf", "cannot read OpenStreetMap data"});
    OsmMap m;
    m.node(1, 0, 0);
    m.node(2, 100, 0);
    m.node(3, 100, 100);
    m.way(10, {1, 2, 3, 1}, {{"building", "yes"}});
    m.way(11, {1, 2}, {{"highway", "footway"}});
    o.path = write_file(dir / "houses.osm", m.str());
    expect(o, {"houses.osm", "no roads usable by the drive profile"});
    o.path = write_file(dir / "points.csv", "id,lon,lat\na,9,47\n");
    expect(o, {"points.csv", "must be lines"});
    o.path = (dir / "missing.osm.pbf").string();
    expect(o, {"missing.osm.pbf", "not found"});
    o.path = write_file(dir / "bad.graph", "NIGHTOUT-NET\0\0\0\0garbage");
    expect(o, {"bad.graph"});
}

// Walking reach follows the streets: the far bank of a river with one distant bridge stays
// uncovered although it is 100 m away; an area with no road near it is flagged.
BOOST_AUTO_TEST_CASE(network_coverage_follows_streets) {
    TempDir dir;
    const std::string crs = kLocalMetresCrs;
    CoverageJob job;
    job.network.path = write_file(dir / "streets.csv",
                                  river_streets_csv());
    job.network.crs = crs;
    job.network.profile = "walk";
    job.areas.path = write_file(dir / "areas.csv",
                                "id,wkt\n"
                                "A,\"POLYGON((0 -100,500 -100,500 -10,0 -10,0 -100))\"\n"
                                "B,\"POLYGON((0 110,500 110,500 200,0 200,0 110))\"\n"
                                "C,\"POLYGON((5000 0,5100 0,5100 100,5000 100,5000 0))\"\n");
    job.events.path = write_file(dir / "events.csv", "id,x,y\ne1,100,0\n");
    job.areas.crs = job.events.crs = crs;
    job.minutes = {5};  // 5 min at 5 km/h: 416.7 m along the street each way
    job.trim_m = 50;
    job.out_dir = (dir / "out").string();
    Log log(true);
    auto summary = run_coverage(job, log);
    auto areas = read_back(dir / "out" / "neighborhoods.geojson");
    BOOST_REQUIRE(areas.size() == 3u);
    // A: the 40 m strip (y -50..-10) along x 0..500 is within 50 m of the reached street (x 0..516.7).
    BOOST_TEST(areas[0].number["covered_m2"] == 500.0 * 40.0, tt::tolerance(2e-3));
    BOOST_TEST(areas[1].number["covered_m2"] == 0.0);  // across the water
    BOOST_TEST(areas[0].text["road_access"] == "1");
    BOOST_TEST(areas[2].text["road_access"] == "0");
    BOOST_TEST(summary["network"]["areas_without_roads"].get<int>() == 1);
    auto sa = read_back(dir / "out" / "service_areas.geojson");
    BOOST_REQUIRE(sa.size() == 1u);
    BOOST_TEST(sa[0].text["break"] == "5min");
    // The reached street is 516.7 m long; its 50 m trim makes a stadium: 516.7*100 + pi*50^2.
    BOOST_TEST(sa[0].number["area_m2"] == (100 + 1000.0 / 2.4) * 100 + M_PI * 2500, tt::tolerance(5e-3));

    // The same study in straight lines covers part of the far bank.
    CoverageJob straight = job;
    straight.network = NetworkOptions{};
    straight.minutes.clear();
    straight.options.radii = parse_distance_list("400m", "--radius");
    straight.out_dir = (dir / "straight").string();
    run_coverage(straight, log);
    BOOST_TEST(read_back(dir / "straight" / "neighborhoods.geojson")[1].number["covered_m2"] > 10000);
}

// Split service areas partition the dissolved one; per-event ones may overlap.
BOOST_AUTO_TEST_CASE(service_area_modes) {
    TempDir dir;
    const std::string root = source_dir() + "/data/liechtenstein/";
    auto run_mode = [&](const std::string& mode) {
        CoverageJob job;
        job.areas.path = root + "municipalities.geojson";
        job.events.path = root + "events.csv";
        job.network.path = root + "roads.osm.pbf";
        job.network.profile = "walk";
        job.minutes = {5};
        job.service_areas = mode;
        job.out_dir = (dir / mode).string();
        Log log(true);
        auto summary = run_coverage(job, log);
        double total = 0;
        auto sa = read_back(dir / mode / "service_areas.geojson");
        for (auto& f : sa) total += f.number["area_m2"];
        return std::make_tuple(sa.size(), total, summary["totals"]["per_radius"][0]["covered_m2"].get<double>());
    };
    auto [n_d, area_d, cov_d] = run_mode("dissolve");
    auto [n_s, area_s, cov_s] = run_mode("split");
    auto [n_p, area_p, cov_p] = run_mode("per-event");
    BOOST_TEST(n_d == 1u);
    BOOST_TEST(n_s == 25u);
    BOOST_TEST(n_p == 25u);
    BOOST_TEST(area_s == area_d, tt::tolerance(1e-6));  // a partition of the same land
    BOOST_TEST(area_p > area_d);                        // overlaps counted once per event
    BOOST_TEST(cov_s == cov_d);                         // coverage always uses the union
    BOOST_TEST(cov_p == cov_d);
}

// Centerline fields: one-way (ESRI FT/TF), speed in km/h and road class; bike profile rules from OSM tags.
BOOST_AUTO_TEST_CASE(centerline_fields_and_bike_profile) {
    TempDir dir;
    const std::string crs = kLocalMetresCrs;
    // A square block 0..1000 m: the south side one-way eastwards (FT), the east side 50 km/h,
    // the west side a footway (not usable by car), the north side against its digitization (TF).
    const std::string lines = "id,oneway,speed,class,wkt\n"
                              "s,FT,,residential,\"LINESTRING(0 0,1000 0)\"\n"
                              "e,,50,primary,\"LINESTRING(1000 0,1000 1000)\"\n"
                              "n,TF,,residential,\"LINESTRING(0 1000,1000 1000)\"\n"
                              "w,,,footway,\"LINESTRING(0 0,0 1000)\"\n";
    NetworkOptions o;
    o.path = write_file(dir / "lines.csv", lines);
    o.crs = crs;
    o.profile = "drive";
    o.oneway_field = "oneway";
    o.speed_field = "speed";
    o.class_field = "class";
    o.build_hierarchy = false;
    Log log(true);
    Network net = open_network(o, log);
    // Cars: the footway is dropped; s runs (0,0)->(1000,0) only, n (TF) (1000,1000)->(0,1000) only,
    // e both ways. The largest strongly connected component is the east side alone: 2 nodes,
    // 2 edges at its 50 km/h speed field (which takes precedence over the class).
    BOOST_TEST(net.graph.nodes() == 2u);
    BOOST_REQUIRE(net.graph.edges() == 2u);
    for (EdgeId e = 0; e < 2; ++e) BOOST_TEST(net.graph.duration_s[e] == net.graph.length_m[e] / (50 / 3.6), tt::tolerance(1e-12));
    BOOST_TEST(net.graph.length_m[0] == 1000.0, tt::tolerance(1e-6));
    BOOST_TEST(net.graph.dropped_nodes == 2u);
    BOOST_REQUIRE(log.warnings().size() >= 1u);
    BOOST_TEST(log.warnings()[0].find("road class") != std::string::npos);  // the footway

    // Same block, walking: every side in both directions, 5 km/h.
    o.profile = "walk";
    o.oneway_field.clear();
    o.speed_field.clear();
    Network walk = open_network(o, log);
    BOOST_TEST(walk.graph.nodes() == 4u);
    BOOST_TEST(walk.graph.edges() == 8u);
    for (EdgeId e = 0; e < walk.graph.edges(); ++e) BOOST_TEST(walk.graph.duration_s[e] == walk.graph.length_m[e] / (5 / 3.6), tt::tolerance(1e-12));

    // Bike: oneway applies unless oneway:bicycle=no.
    OsmMap m;
    m.node(1, 0, 0);
    m.node(2, 100, 0);
    m.node(3, 100, 100);
    m.way(10, {1, 2}, {{"highway", "residential"}, {"oneway", "yes"}});
    m.way(11, {2, 3, 1}, {{"highway", "residential"}, {"oneway", "yes"}, {"oneway:bicycle", "no"}});
    NetworkOptions b;
    b.path = write_file(dir / "bike.osm", m.str());
    b.profile = "bike";
    b.build_hierarchy = false;
    Network bike = open_network(b, log);
    // Node 3 joins no other way, so it is a shape point: graph nodes 1 and 2.
    BOOST_TEST(bike.graph.nodes() == 2u);
    BOOST_TEST(bike.graph.edges() == 3u);  // 1->2 on way 10; way 11 both ways for bikes
    b.profile = "drive";
    Network car = open_network(b, log);
    BOOST_TEST(car.graph.edges() == 2u);  // a one-way loop for cars: 1->2, then 2->3->1
}
