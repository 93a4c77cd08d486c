#define BOOST_TEST_MODULE site
#include <boost/test/unit_test.hpp>

#include "core/error.hpp"
#include "jobs/site_job.hpp"
#include "site/orlib.hpp"
#include "site/problem.hpp"
#include "support.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <random>

using namespace nightout;
using namespace nightout::test;
using site::Model;
namespace tt = boost::test_tools;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// A small random instance: points in a 1000 x 1000 square, Euclidean costs, integer weights.
site::Problem random_problem(Model model, unsigned seed, std::size_t n, std::size_t m, int required) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> coord(0, 1000);
    std::uniform_int_distribution<int> people(0, 100);
    std::vector<std::pair<double, double>> d(n), c(m);
    for (auto& p : d) p = {coord(rng), coord(rng)};
    for (auto& p : c) p = {coord(rng), coord(rng)};
    site::Problem p;
    p.model = model;
    p.cost.values.resize(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(m));
    for (std::size_t i = 0; i < n; ++i) {
        p.weight.push_back(people(rng));
        for (std::size_t j = 0; j < m; ++j) p.cost.values(i, j) = std::hypot(d[i].first - c[j].first, d[i].second - c[j].second);
    }
    p.weight[0] = std::max(p.weight[0], 1.0);
    p.required.assign(m, 0);
    for (int r = 0; r < required; ++r) p.required[m - 1 - r] = 1;
    return p;
}

// The test's own objective: nothing shared with the library.
double objective(const site::Problem& p, const std::vector<int>& open) {
    std::vector<int> cols = open;
    for (std::size_t j = 0; j < p.cost.cols(); ++j)
        if (p.required[j]) cols.push_back(static_cast<int>(j));
    double sum = 0, worst = 0, covered = 0;
    for (std::size_t i = 0; i < p.cost.rows(); ++i) {
        double best = kInf;
        for (int j : cols) best = std::min(best, p.cost.at(i, j));
        sum += p.weight[i] * best;
        if (p.weight[i] > 0) worst = std::max(worst, best);
        if (best <= p.radius) covered += p.weight[i];
    }
    switch (p.model) {
    case Model::PMedian: return sum;
    case Model::PCenter: return worst;
    case Model::MCLP: return covered;
    case Model::LSCP: return covered;  // coverage; the site count is checked apart
    }
    return 0;
}

// Every subset of the free candidates: the best objective with exactly k sites
// (mclp, pmedian, pcenter), or the fewest sites reaching the target (lscp).
double brute_force(const site::Problem& p) {
    std::vector<int> free;
    for (std::size_t j = 0; j < p.cost.cols(); ++j)
        if (!p.required[j]) free.push_back(static_cast<int>(j));
    double total = 0;
    for (double w : p.weight) total += w;
    double best = p.model == Model::MCLP ? -kInf : kInf;
    for (unsigned mask = 0; mask < (1u << free.size()); ++mask) {
        std::vector<int> open;
        for (std::size_t b = 0; b < free.size(); ++b)
            if (mask & (1u << b)) open.push_back(free[b]);
        if (p.model == Model::LSCP) {
            if (objective(p, open) >= p.target * total * (1 - 1e-12)) best = std::min(best, static_cast<double>(open.size()));
            continue;
        }
        if (static_cast<int>(open.size()) != p.k) continue;
        const double v = objective(p, open);
        best = p.model == Model::MCLP ? std::max(best, v) : std::min(best, v);
    }
    return best;
}

void check_solution(const site::Problem& p, const site::Solution& s, double optimum, const std::string& what) {
    // Required sites are never among the new ones, and k are opened.
    for (int j : s.open) BOOST_TEST(!p.required[j], what << ": required column " << j << " listed as new");
    std::vector<int> sorted = s.open;
    std::sort(sorted.begin(), sorted.end());
    BOOST_TEST((std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end()), what << ": a site chosen twice");
    double total = 0;
    for (double w : p.weight) total += w;
    if (p.model == Model::LSCP) {
        BOOST_TEST(static_cast<double>(s.open.size()) == optimum, what);
        BOOST_TEST(objective(p, s.open) >= p.target * total * (1 - 1e-12), what << ": target not reached");
        BOOST_TEST(s.objective == static_cast<double>(s.open.size()), what);
    } else {
        BOOST_TEST(static_cast<int>(s.open.size()) == p.k, what);
        const double v = objective(p, s.open);
        BOOST_TEST(std::abs(v - s.objective) <= 1e-9 * std::max(1.0, std::abs(v)), what << ": reported " << s.objective << ", recomputed " << v);
        BOOST_TEST(std::abs(v - optimum) <= 1e-9 * std::max(1.0, std::abs(optimum)), what << ": " << v << " vs optimum " << optimum);
    }
}

int error_kind(const std::function<void()>& f, std::string* message = nullptr) {
    try {
        f();
    } catch (const Error& e) {
        if (message) *message = e.what();
        return e.exit_code();
    }
    return 0;
}

}  // namespace

BOOST_AUTO_TEST_CASE(model_names) {
    BOOST_TEST(site::model_key(site::parse_model("p-median")) == "pmedian");
    BOOST_TEST(site::model_key(site::parse_model("MCLP")) == "mclp");
    BOOST_TEST(error_kind([] { site::parse_model("kmeans"); }) == 2);
}

// Heuristic and exact mode against brute force on small random instances, every model,
// with and without required sites.
BOOST_AUTO_TEST_CASE(brute_force_every_model) {
    int full_target = 0;
    for (Model model : {Model::PMedian, Model::MCLP, Model::LSCP, Model::PCenter}) {
        for (unsigned seed = 1; seed <= 6; ++seed) {
            const int required = static_cast<int>(seed % 3);
            site::Problem p = random_problem(model, seed * 7919 + static_cast<unsigned>(model), 14, 11, required);
            p.k = model == Model::LSCP ? 0 : 1 + static_cast<int>(seed % 3);
            p.radius = 250 + 50 * seed;
            if (model == Model::LSCP) {
                // A target every candidate together can reach.
                std::vector<int> all;
                for (std::size_t j = 0; j < p.cost.cols(); ++j)
                    if (!p.required[j]) all.push_back(static_cast<int>(j));
                double total = 0;
                for (double w : p.weight) total += w;
                p.target = std::max(0.05, std::floor(100 * 0.9 * objective(p, all) / total) / 100);
                if (seed % 2 == 0) {
                    p.radius = 500;  // everyone within reach of some candidate: a 100% target (the set-cover rows)
                    p.target = objective(p, all) >= total ? 1.0 : p.target;
                    full_target += p.target == 1.0;
                }
            }
            const double optimum = brute_force(p);
            const std::string what = site::model_key(model) + " seed " + std::to_string(seed) + " required " + std::to_string(required);
            site::Options o;
            o.seed = seed;
            site::Solution h = site::solve(p, o);
            check_solution(p, h, optimum, what + " heuristic");
            o.exact = true;
            o.time_limit_s = 30;
            site::Solution e = site::solve(p, o);
            check_solution(p, e, optimum, what + " exact");
            BOOST_TEST(e.proven_optimal, what);
            BOOST_REQUIRE(e.bound.has_value());
            BOOST_TEST(std::abs(*e.bound - optimum) <= 1e-6 * std::max(1.0, std::abs(optimum)), what << ": bound " << *e.bound);
        }
    }
    BOOST_TEST(full_target > 0);  // the 100% (set cover) formulation was exercised
}

BOOST_AUTO_TEST_CASE(required_sites_count_as_covering) {
    // Two demand points; a required site already covers the heavy one, so the new site goes to the other.
    site::Problem p;
    p.model = Model::MCLP;
    p.cost.assign(2, 3, {0, 900, 900, 900, 0, 900});
    p.cost.unit = "m";
    p.weight = {100, 1};
    p.required = {1, 0, 0};
    p.k = 1;
    p.radius = 100;
    site::Solution s = site::solve(p, {});
    BOOST_REQUIRE(s.open.size() == 1u);
    BOOST_TEST(s.open[0] == 1);
    BOOST_TEST(s.objective == 101.0);
}

BOOST_AUTO_TEST_CASE(deterministic_for_a_seed_and_any_thread_count) {
    site::Problem p = random_problem(Model::PMedian, 42, 60, 40, 2);
    p.k = 6;
    site::Options a, b;
    a.threads = 1;
    b.threads = 2;
    site::Solution s1 = site::solve(p, a), s2 = site::solve(p, b), s3 = site::solve(p, a);
    BOOST_TEST(s1.open == s2.open);
    BOOST_TEST(s1.open == s3.open);
    BOOST_TEST(s1.objective == s2.objective);
}

BOOST_AUTO_TEST_CASE(infeasible_requests_are_clear_errors) {
    site::Problem p = random_problem(Model::PMedian, 3, 8, 5, 1);
    std::string message;
    p.k = 5;  // 4 free candidates
    BOOST_TEST(error_kind([&] { site::solve(p, {}); }, &message) == 2);
    BOOST_TEST(message.find("only 4 candidate site(s)") != std::string::npos, message);
    p.required.assign(5, 0);
    p.k = 0;
    BOOST_TEST(error_kind([&] { site::solve(p, {}); }, &message) == 2);
    BOOST_TEST(message.find("nothing would be open") != std::string::npos, message);

    // LSCP: one demand point out of everyone's reach makes 100% impossible.
    site::Problem q;
    q.model = Model::LSCP;
    q.cost.assign(2, 2, {10, 20, 5000, 6000});
    q.cost.unit = "m";
    q.weight = {3, 1};
    q.required = {0, 0};
    q.radius = 100;
    BOOST_TEST(error_kind([&] { site::solve(q, {}); }, &message) == 2);
    BOOST_TEST(message.find("cannot be reached") != std::string::npos, message);
    BOOST_TEST(message.find("75%") != std::string::npos, message);
    q.target = 0.75;  // exactly what is reachable
    site::Solution s = site::solve(q, {});
    BOOST_TEST(s.objective == 1.0);

    // Nobody to reach.
    q.weight = {0, 0};
    BOOST_TEST(error_kind([&] { site::solve(q, {}); }) == 2);
}

BOOST_AUTO_TEST_CASE(orlib_reader_last_edge_wins) {
    TempDir dir;
    // 1-2 appears twice: the last cost (5) wins, so 1 -> 3 costs 5 + 1 through 2, not 2 + 1... nor 4 directly.
    write_file(dir / "tiny.txt", " 3 4 1\n 1 2 2\n 1 3 9\n 2 3 1\n 1 2 5\n");
    site::OrLibInstance inst = site::read_orlib((dir / "tiny.txt").string());
    BOOST_TEST(inst.n == 3);
    BOOST_TEST(inst.p == 1);
    BOOST_TEST(inst.problem.cost.at(0, 1) == 5.0);
    BOOST_TEST(inst.problem.cost.at(0, 2) == 6.0);
    BOOST_TEST(inst.problem.cost.at(2, 0) == 6.0);
    site::Solution s = site::solve(inst.problem, {});
    BOOST_TEST(s.open == std::vector<int>{1});  // vertex 2: 5 + 0 + 1
    BOOST_TEST(s.objective == 6.0);

    std::string message;
    write_file(dir / "bad.txt", " 3 2 1\n 1 2 2\n 1 x 3\n");
    BOOST_TEST(error_kind([&] { site::read_orlib((dir / "bad.txt").string()); }, &message) == 3);
    BOOST_TEST(message.find("line 3") != std::string::npos, message);
    write_file(dir / "apart.txt", " 3 1 1\n 1 2 2\n");
    BOOST_TEST(error_kind([&] { site::read_orlib((dir / "apart.txt").string()); }, &message) == 3);
    BOOST_TEST(message.find("disconnected") != std::string::npos, message);
}

BOOST_AUTO_TEST_CASE(orlib_pmed1_heuristic_and_exact) {
    const std::string path = source_dir() + "/../shared/data/pmedian/pmed1.txt";
    if (!std::filesystem::exists(path)) {
        BOOST_TEST_MESSAGE("skipped: " << path << " not present");
        return;
    }
    site::OrLibInstance inst = site::read_orlib(path);
    site::Solution h = site::solve(inst.problem, {});
    BOOST_TEST(h.objective == 5819.0);
    site::Options o;
    o.exact = true;
    site::Solution e = site::solve(inst.problem, o);
    BOOST_TEST(e.objective == 5819.0);
    BOOST_TEST(e.proven_optimal);
}

namespace {

std::string square(double lon, double lat, double d) {
    char buf[256];
    std::snprintf(buf, sizeof buf, R"({"type":"Polygon","coordinates":[[[%f,%f],[%f,%f],[%f,%f],[%f,%f],[%f,%f]]]})", lon, lat, lon + d, lat, lon + d,
                  lat + d, lon, lat + d, lon, lat);
    return buf;
}

std::string point(double lon, double lat) {
    char buf[128];
    std::snprintf(buf, sizeof buf, R"({"type":"Point","coordinates":[%f,%f]})", lon, lat);
    return buf;
}

}  // namespace

BOOST_AUTO_TEST_CASE(job_writes_every_output) {
    TempDir dir;
    // Three 1 km-ish neighborhoods in a row; candidates at their centres; an existing event in the first.
    std::vector<std::pair<std::string, std::string>> areas, cands;
    for (int i = 0; i < 3; ++i) {
        areas.push_back({R"({"id":"A)" + std::to_string(i) + R"(","name":"Area )" + std::to_string(i) + R"(","pop":)" + std::to_string(100 * (i + 1)) + "}",
                         square(-80.9 + 0.01 * i, 35.2, 0.01)});
        cands.push_back({R"({"id":"C)" + std::to_string(i) + R"(","name":"Park )" + std::to_string(i) + "\"}", point(-80.895 + 0.01 * i, 35.205)});
    }
    const std::string areas_path = write_file(dir / "areas.geojson", feature_collection(areas));
    const std::string cand_path = write_file(dir / "parks.geojson", feature_collection(cands));
    const std::string events_path = write_file(dir / "events.csv", "id,name,lat,lon\nE1,Night out,35.205,-80.895\n");
    SiteJob job;
    job.demand.path = areas_path;
    job.candidates.push_back({cand_path, "", "", "", "", "", "", ""});
    job.required.push_back({events_path, "", "", "", "", "", "", ""});
    job.population_field = "pop";
    job.model = "mclp";
    job.k = 1;
    job.radius = parse_distance("600m", "--radius");
    job.out_dir = (dir / "out").string();
    Log log(true);
    nlohmann::json s = run_site(job, log);
    // The heaviest uncovered area is A2 (300 people): its park is the one new site.
    BOOST_TEST(s["result"]["objective"].get<double>() == 400.0);
    BOOST_TEST(s["result"]["sites"][0]["id"].get<std::string>() == "C2");
    BOOST_TEST(s["totals"]["before"]["covered_demand"].get<double>() == 100.0);
    for (const char* f : {"sites.geojson", "allocation.geojson", "neighborhoods.geojson", "summary.json"})
        BOOST_TEST(std::filesystem::exists(dir / "out" / f), f);
    auto sites = read_back(dir / "out" / "sites.geojson");
    BOOST_REQUIRE(sites.size() == 2u);  // the new park and the existing event
    BOOST_TEST(sites[0].text["status"] == "new");
    BOOST_TEST(sites[0].number["rank"] == 1.0);
    BOOST_TEST(sites[0].number["marginal_demand"] == 300.0);
    BOOST_TEST(sites[1].text["status"] == "existing");
    auto nb = read_back(dir / "out" / "neighborhoods.geojson");
    BOOST_REQUIRE(nb.size() == 3u);
    BOOST_TEST(nb[2].number["covered_share_after"] == 1.0);
    BOOST_TEST(nb[1].number["covered_share_after"] == 0.0);
    BOOST_TEST(read_back(dir / "out" / "allocation.geojson").size() == 3u);

    // Grid demand splits each area into cells whose populations add up.
    job.grid = parse_distance("300m", "--grid");
    job.out_dir = (dir / "grid").string();
    nlohmann::json g = run_site(job, log);
    BOOST_TEST(g["totals"]["demand_points"].get<std::size_t>() > 3u);
    BOOST_TEST(std::abs(g["totals"]["demand"].get<double>() - 600.0) < 1e-6);

    // More sites than candidates: a usage error naming the limit, and nothing written.
    job.grid.reset();
    job.out_dir = (dir / "net").string();
    std::string message;
    job.k = 4;
    BOOST_TEST(error_kind([&] { run_site(job, log); }, &message) == 2);
    BOOST_TEST(message.find("only 3 candidate") != std::string::npos, message);
    BOOST_TEST(!std::filesystem::exists(dir / "net"));
}

// Over a road network the costs follow the streets: across a river with one distant
// bridge, the park 110 m away on the far bank is 1,700 m of walking, so the nearer
// park by street wins. Hand-worked: walking at 5 km/h, 500 m along the bank = 360 s.
BOOST_AUTO_TEST_CASE(network_costs_follow_streets) {
    TempDir dir;
    const std::string crs = kLocalMetresCrs;
    SiteJob job;
    job.network.path = write_file(dir / "streets.csv",
                                  river_streets_csv());
    job.network.crs = crs;
    job.network.profile = "walk";
    job.network.profile_given = true;
    // D2 lies 5 km from any street: left out of the problem and reported.
    job.demand.path = write_file(dir / "homes.csv", "id,x,y,people\nD1,100,-5,10\nD2,5000,5000,1\n");
    job.demand.crs = crs;
    job.candidates.push_back({write_file(dir / "parks.csv", "id,x,y\nN,100,105\nS,600,-5\n"), "", "", "", "", "", "", crs});
    job.population_field = "people";
    job.model = "pmedian";
    job.k = 1;
    job.out_dir = (dir / "net").string();
    Log log(true);
    nlohmann::json s = run_site(job, log);
    BOOST_TEST(s["result"]["sites"][0]["id"].get<std::string>() == "S");
    BOOST_TEST(s["cost_unit"].get<std::string>() == "s");
    BOOST_TEST(s["result"]["objective"].get<double>() == 10 * 500 / (5 / 3.6), tt::tolerance(1e-6));
    BOOST_TEST(s["network"]["off_network_demand_points"].get<int>() == 1);
    BOOST_TEST(s["network"]["off_network_demand"].get<double>() == 1.0);
    auto alloc = read_back(dir / "net" / "allocation.geojson");
    BOOST_REQUIRE(alloc.size() == 1u);
    BOOST_TEST(alloc[0].number["time_s"] == 360.0, tt::tolerance(1e-6));

    // Coverage within a street distance: N (1,700 m by the bridge) is out of a 1 km reach.
    job.model = "mclp";
    job.radius = parse_distance("1km", "--radius");
    job.out_dir = (dir / "reach").string();
    s = run_site(job, log);
    BOOST_TEST(s["cost_unit"].get<std::string>() == "m");
    BOOST_TEST(s["result"]["objective"].get<double>() == 10.0);
    BOOST_TEST(s["result"]["sites"][0]["id"].get<std::string>() == "S");
    job.radius.reset();
    job.minutes = 5;  // 416.7 m on foot: S (500 m) is out of reach too
    job.out_dir = (dir / "minutes").string();
    s = run_site(job, log);
    BOOST_TEST(s["result"]["objective"].get<double>() == 0.0);

    // In straight lines the park across the water is nearest.
    SiteJob straight = job;
    straight.network = NetworkOptions{};
    straight.minutes.reset();
    straight.model = "pmedian";
    straight.demand.path = write_file(dir / "homes_near.csv", "id,x,y,people\nD1,100,-5,10\n");
    straight.out_dir = (dir / "straight").string();
    s = run_site(straight, log);
    BOOST_TEST(s["result"]["sites"][0]["id"].get<std::string>() == "N");

    // --minutes without a network is a usage error, and nothing is written.
    straight.minutes = 5;
    straight.model = "mclp";
    straight.out_dir = (dir / "bad").string();
    std::string message;
    BOOST_TEST(error_kind([&] { run_site(straight, log); }, &message) == 2);
    BOOST_TEST(message.find("--minutes needs --network") != std::string::npos, message);
    BOOST_TEST(!std::filesystem::exists(dir / "bad"));
}
