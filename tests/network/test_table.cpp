// Table methods (src/network/ch.hpp): buckets, the downward sweep (PHAST) and plain Dijkstra give
// the same tables on random graphs, in one piece or block by block; the travel stage streams its
// table in blocks to the same bytes, and its wide layout holds the long layout's numbers.
#define BOOST_TEST_MODULE table
#include <boost/test/unit_test.hpp>

#include "support.hpp"
#include "network/random_graph.hpp"

#include "engine/study.hpp"
#include "geo/geodesic.hpp"
#include "jobs/network_job.hpp"
#include "network/ch.hpp"
#include "network/network.hpp"
#include "network/search.hpp"

#include <random>
#include <sstream>

using namespace nightout;
using namespace nightout::test;
namespace tt = boost::test_tools;

namespace {

std::vector<std::string> split(const std::string& line) {
    std::vector<std::string> out;
    std::stringstream ss(line);
    for (std::string f; std::getline(ss, f, ',');) out.push_back(f);
    if (!line.empty() && line.back() == ',') out.emplace_back();
    return out;
}

std::vector<std::vector<std::string>> csv_rows(const fs::path& path) {
    std::istringstream in(read_text(path));
    std::vector<std::vector<std::string>> rows;
    for (std::string line; std::getline(in, line);) rows.push_back(split(line));
    return rows;
}

}  // namespace

namespace nightout {
std::ostream& operator<<(std::ostream& os, TableMethod m) { return os << table_method_name(m); }
}  // namespace nightout

namespace {

std::string liechtenstein(const std::string& name) { return source_dir() + "/data/liechtenstein/" + name; }

}  // namespace

BOOST_AUTO_TEST_CASE(sweep_buckets_and_dijkstra_agree_on_random_graphs) {
    std::mt19937 rng(11);
    for (int round = 0; round < 6; ++round) {
        Log log(true);
        Graph g = random_graph(rng, 80 + 50 * round, round % 2 == 1, log);
        const auto& w = g.duration_s;
        Snapper snapper(g);
        std::vector<Snapped> sources, targets;
        std::uniform_real_distribution<double> unit(0, 1);
        for (int k = 0; k < 40; ++k) {
            Snapped s;
            s.ok = k != 7;  // one point off the network
            s.segment = std::uniform_int_distribution<std::uint32_t>(0, static_cast<std::uint32_t>(g.segments() - 1))(rng);
            s.t = k % 5 == 0 ? 0.0 : unit(rng);
            std::tie(s.forward, s.backward) = snapper.edges_of(s.segment);
            (k < 15 ? sources : targets).push_back(s);
        }
        targets.push_back(sources[3]);  // a target on a source's segment
        const std::size_t ns = sources.size(), nt = targets.size();
        const ContractionHierarchy ch = build_ch(g, w, log, 2);
        std::vector<double> dc(ns * nt), dl(ns * nt);
        TableRows(g, w, nullptr, sources, targets, TableMethod::Dijkstra).compute(0, ns, 2, dc.data(), dl.data());
        std::size_t reached = 0;
        for (TableMethod m : {TableMethod::Buckets, TableMethod::Sweep}) {
            const TableRows rows(g, w, &ch, sources, targets, m);
            std::vector<double> cost(ns * nt), length(ns * nt);
            // In blocks of 4 rows (the last one shorter), as the travel stage streams them.
            for (std::size_t first = 0; first < ns; first += 4)
                rows.compute(first, std::min<std::size_t>(4, ns - first), 2, &cost[first * nt], &length[first * nt]);
            for (std::size_t k = 0; k < ns * nt; ++k) {
                if (dc[k] == kUnreached) {
                    BOOST_TEST(cost[k] == kUnreached);
                    continue;
                }
                ++reached;
                BOOST_TEST(cost[k] == dc[k], tt::tolerance(1e-9));
                BOOST_TEST(length[k] == dl[k], tt::tolerance(1e-6));
            }
        }
        BOOST_TEST(reached > ns * nt);  // most pairs have a route (counted once per method)
    }
}

BOOST_AUTO_TEST_CASE(the_method_follows_the_tables_shape) {
    BOOST_TEST(table_method(62'559, 1000, true) == TableMethod::Buckets);
    BOOST_TEST(table_method(62'559, 62'559, true) == TableMethod::Sweep);
    BOOST_TEST(table_method(62'559, 6'255, true) == TableMethod::Buckets);  // fewer than a tenth of the nodes
    BOOST_TEST(table_method(62'559, 6'256, true) == TableMethod::Sweep);
    BOOST_TEST(table_method(62'559, 62'559, false) == TableMethod::Dijkstra);
}

BOOST_AUTO_TEST_CASE(a_streamed_table_is_the_in_memory_table_byte_for_byte) {
    TempDir dir;
    Log log(true);
    Study study(log, 2);
    NetworkTravelJob job;
    job.from.path = liechtenstein("events.csv");
    job.to.path = liechtenstein("events.csv");
    job.network.path = liechtenstein("roads.osm.pbf");
    job.matrix_out = (dir / "whole.csv").string();
    const TravelOutcome whole = network_travel_stage(job, study);
    BOOST_TEST(whole.summary["in_result"].get<bool>());
    NetworkTravelJob streamed = job;
    streamed.matrix_out = (dir / "streamed.csv").string();
    streamed.block_rows = 3;          // 25 rows: 8 blocks of 3 and one of 1
    streamed.max_result_pairs = 0;    // nothing kept in memory
    const TravelOutcome s = network_travel_stage(streamed, study);
    BOOST_TEST(!s.summary["in_result"].get<bool>());
    BOOST_TEST(s.result.duration_s.size() == 0);
    BOOST_TEST(s.summary["block_rows"].get<std::size_t>() == 3u);
    const std::string a = read_text(dir / "whole.csv"), b = read_text(dir / "streamed.csv");
    BOOST_TEST(std::count(a.begin(), a.end(), '\n') == 1 + 25 * 25);
    BOOST_TEST((a == b));
}

BOOST_AUTO_TEST_CASE(the_wide_layout_holds_the_long_layouts_numbers) {
    TempDir dir;
    Log log(true);
    Study study(log, 2);
    NetworkTravelJob job;
    job.from.path = liechtenstein("police.geojson");
    job.to.path = liechtenstein("events.csv");
    job.network.path = liechtenstein("roads.osm.pbf");
    job.matrix_out = (dir / "long.csv").string();
    network_travel_stage(job, study);
    job.matrix_out = (dir / "wide.csv").string();
    job.layout = MatrixLayout::Wide;
    network_travel_stage(job, study);
    const auto lng = csv_rows(dir / "long.csv"), wide = csv_rows(dir / "wide.csv");
    BOOST_REQUIRE(lng.size() >= 2u);
    BOOST_TEST(lng[0] == (std::vector<std::string>{"from_id", "to_id", "distance_m", "duration_s", "status"}));
    const std::size_t nt = wide[0].size() - 1;
    BOOST_REQUIRE(wide.size() * nt == lng.size() - 1 + nt);  // header + one row per origin
    BOOST_TEST(wide[0][0] == "from_id");
    std::size_t compared = 0;
    for (std::size_t k = 1; k < lng.size(); ++k) {
        const std::size_t i = (k - 1) / nt + 1, j = (k - 1) % nt + 1;
        BOOST_TEST(wide[i][0] == lng[k][0]);
        BOOST_TEST(wide[0][j] == lng[k][1]);
        BOOST_TEST(wide[i][j] == lng[k][3]);  // the duration, to the same digits (empty: no route)
        ++compared;
    }
    BOOST_TEST(compared == 25u * (wide.size() - 1));
    BOOST_CHECK_THROW(parse_matrix_layout("tall"), Error);
}
