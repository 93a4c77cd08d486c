#define BOOST_TEST_MODULE route
#include <boost/test/unit_test.hpp>

#include "route/benchmarks.hpp"
#include "route/clock.hpp"
#include "route/replan.hpp"
#include "route/solver.hpp"
#include "route/tsp.hpp"
#include "support.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <numeric>
#include <random>
#include <sstream>
#include <sys/wait.h>

namespace nightout::route {
std::ostream& operator<<(std::ostream& out, ChangeKind k) { return out << change_name(k); }  // for BOOST_TEST messages
}  // namespace nightout::route

using namespace nightout;
using namespace nightout::route;
using namespace nightout::test;

namespace {

// A random instance: `nj` jobs and `nv` vehicles on a 100 x 100 square, Euclidean times,
// windows of random width, optional prizes, caps and separate end depots.
Problem random_problem(std::uint32_t seed, int nj, int nv, bool prizes, bool caps) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> U(0, 100);
    Problem p;
    const int depots = 2;
    p.nodes = static_cast<std::size_t>(nj + depots);
    std::vector<double> x(p.nodes), y(p.nodes);
    for (std::size_t i = 0; i < p.nodes; ++i) x[i] = U(rng), y[i] = U(rng);
    p.time.resize(p.nodes * p.nodes);
    for (std::size_t a = 0; a < p.nodes; ++a)
        for (std::size_t b = 0; b < p.nodes; ++b) p.time[a * p.nodes + b] = std::hypot(x[a] - x[b], y[a] - y[b]);
    for (int j = 0; j < nj; ++j) {
        Job job;
        job.node = depots + j;
        job.service = 10;
        job.open = U(rng) * 2;
        job.close = job.open + 20 + U(rng);
        job.demand = 1;
        job.prize = prizes ? 1 + (rng() % 3) : 1;
        p.jobs.push_back(job);
    }
    for (int v = 0; v < nv; ++v) {
        Vehicle veh;
        veh.start = v % depots;
        veh.end = (v + 1) % depots;
        veh.shift_start = 0;
        veh.shift_end = 230 + 20 * v;
        if (caps) veh.max_visits = 2;
        p.vehicles.push_back(veh);
    }
    return p;
}

struct Key {
    double prize = -1, cost = 0;
};

// The optimum by enumeration: every assignment of jobs to vehicles or to nobody, every
// order of each vehicle's jobs.
Key enumerate(const Problem& p) {
    const int nj = static_cast<int>(p.jobs.size()), nv = static_cast<int>(p.vehicles.size());
    Key best;
    std::vector<int> who(nj, -1);
    std::function<void(int)> rec = [&](int j) {
        if (j == nj) {
            double prize = 0, cost = 0;
            for (int v = 0; v < nv; ++v) {
                std::vector<int> mine;
                for (int k = 0; k < nj; ++k)
                    if (who[k] == v) mine.push_back(k);
                double bestv = kInfinity;
                std::sort(mine.begin(), mine.end());
                do {
                    Solution s;
                    s.routes.assign(nv, {});
                    s.routes[v] = mine;
                    for (int k = 0; k < nj; ++k)
                        if (who[k] != v) s.unassigned.push_back(k);
                    if (validate(p, s).empty()) bestv = std::min(bestv, route_cost(p, v, mine));
                } while (std::next_permutation(mine.begin(), mine.end()));
                if (!std::isfinite(bestv)) return;
                cost += bestv;
                for (int k : mine) prize += p.jobs[k].prize;
            }
            if (prize > best.prize + 1e-9 || (std::fabs(prize - best.prize) <= 1e-9 && cost < best.cost)) best = {prize, cost};
            return;
        }
        for (int v = -1; v < nv; ++v) {
            who[j] = v;
            rec(j + 1);
        }
    };
    rec(0);
    return best;
}

double travel_of(const Problem& p, const Solution& s) {
    double c = 0;
    for (std::size_t v = 0; v < s.routes.size(); ++v) c += route_cost(p, static_cast<int>(v), s.routes[v]);
    return c;
}

struct CliResult {
    int code;
    std::string out, err;
};

CliResult cli(const std::string& args, const TempDir& dir) {
    const std::string cmd = std::string(NIGHTOUT_BINARY) + " " + args + " >" + (dir / "stdout.txt").string() + " 2>" + (dir / "stderr.txt").string();
    const int status = std::system(cmd.c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_text(dir / "stdout.txt"), read_text(dir / "stderr.txt")};
}

double clock_of(const std::string& t) {
    int h = 0, m = 0, s = 0;
    std::sscanf(t.c_str(), "%d:%d:%d", &h, &m, &s);
    return h * 3600 + m * 60 + s;
}

}  // namespace

// Clock times, windows and breaks as planners write them, and the texts that are refused
// (each a case the fuzzer of tests/fuzz/fuzz_clock.cpp also covers).
BOOST_AUTO_TEST_CASE(clock_times_windows_and_breaks) {
    BOOST_TEST(*parse_clock("18:00") == 64800.0);
    BOOST_TEST(*parse_clock(" 18:00:30 ") == 64830.0);
    BOOST_TEST(*parse_clock("2026-08-04T18:05") == 65100.0);
    BOOST_TEST(*parse_clock("2026-08-04 18:05:00") == 65100.0);
    BOOST_TEST(*parse_clock("25:30") == 91800.0);  // half past one, the next morning
    for (const char* bad : {"", "18", "18:60", "48:00", "-1:00", "18:00x", "18:00:61", "99999999999999999999:00", "18:00:00:00"})
        BOOST_TEST(!parse_clock(bad).has_value(), bad);
    BOOST_TEST(clock_text(64830) == "18:00:30");
    BOOST_TEST(clock_text(91800) == "25:30:00");
    BOOST_TEST(clock_text(std::nan("")) == "00:00:00");  // never llround of NaN
    BOOST_TEST(clock_text(1e300) == "277777:46:40");     // clamped to 1e9 s, not undefined
    const auto w = parse_clock_window("2026-08-04T18:00-2026-08-04T21:00");
    BOOST_REQUIRE(w.has_value());
    BOOST_TEST(w->first == 64800.0);
    BOOST_TEST(w->second == 75600.0);
    BOOST_TEST(parse_clock_window("21:00-18:00")->first == 75600.0);  // order is the caller's rule
    for (const char* bad : {"18:00", "18:00-", "-21:00", "18-21", "18:00-9:99"}) BOOST_TEST(!parse_clock_window(bad).has_value(), bad);
    const auto b = parse_break("30@19:00-20:30");
    BOOST_REQUIRE(b.has_value());
    BOOST_TEST(b->length == 1800.0);
    BOOST_TEST(b->open == 68400.0);
    BOOST_TEST(b->close == 73800.0);
    for (const char* bad : {"30", "@19:00-20:30", "0@19:00-20:30", "-5@19:00-20:30", "nan@19:00-20:30", "30@19:00", "1e9@19:00-20:30"})
        BOOST_TEST(!parse_break(bad).has_value(), bad);
}

BOOST_AUTO_TEST_CASE(tiny_instances_match_enumeration) {
    // 6 jobs, 2 vehicles, prizes, tight windows: the solver finds the enumerated optimum.
    for (std::uint32_t seed = 1; seed <= 12; ++seed) {
        const Problem p = random_problem(seed, 6, 2, seed % 2 == 0, seed % 3 == 0);
        const Key opt = enumerate(p);
        SolverOptions o;
        o.seed = seed;
        o.iterations = 10000;  // a few milliseconds per instance
        o.time_limit_s = 0;
        const Solution s = solve(p, o);
        BOOST_TEST(validate(p, s).empty(), "seed " << seed);
        BOOST_TEST(s.served_prize == opt.prize, "seed " << seed);
        BOOST_TEST(std::fabs(travel_of(p, s) - opt.cost) < 1e-9, "seed " << seed << ": " << travel_of(p, s) << " vs optimum " << opt.cost);
    }
}

BOOST_AUTO_TEST_CASE(validator_rejects_every_violation) {
    Problem p;
    p.nodes = 3;
    p.time = {0, 10, 10, 10, 0, 10, 10, 10, 0};
    p.jobs = {Job{1, 5, 0, 20, 3, 1}, Job{2, 5, 0, 100, 3, 1}};
    Vehicle v;
    v.shift_start = 0;
    v.shift_end = 60;
    v.capacity = 10;
    v.max_visits = 2;
    p.vehicles = {v};
    Solution ok;
    ok.routes = {{0, 1}};
    BOOST_TEST(validate(p, ok).empty());
    Solution late = ok;
    late.routes = {{1, 0}};  // job 0 would start at 25 > 20
    BOOST_TEST(!validate(p, late).empty());
    Problem short_shift = p;
    short_shift.vehicles[0].shift_end = 39;  // back at 40
    BOOST_TEST(!validate(short_shift, ok).empty());
    Problem capped = p;
    capped.vehicles[0].max_visits = 1;
    BOOST_TEST(!validate(capped, ok).empty());
    Problem small = p;
    small.vehicles[0].capacity = 5;
    BOOST_TEST(!validate(small, ok).empty());
    Solution twice;
    twice.routes = {{0, 0}};
    twice.unassigned = {1};
    BOOST_TEST(!validate(p, twice).empty());
    Solution missing;
    missing.routes = {{0}};
    BOOST_TEST(!validate(p, missing).empty());
    Solution dropped = missing;
    dropped.unassigned = {1};
    BOOST_TEST(validate(p, dropped).empty());
    BOOST_TEST(!validate(p, dropped, true).empty());
}

BOOST_AUTO_TEST_CASE(solutions_of_larger_instances_are_feasible_and_deterministic) {
    for (std::uint32_t seed = 1; seed <= 3; ++seed) {
        Problem p = random_problem(seed, 60, 4, true, false);
        p.balance = seed == 2;
        SolverOptions o;
        o.seed = seed;
        o.iterations = 400;
        o.time_limit_s = 0;
        o.threads = 2;
        const Solution a = solve(p, o), b = solve(p, o);
        BOOST_TEST(validate(p, a).empty());
        BOOST_TEST(a.routes == b.routes);
        BOOST_TEST(a.unassigned == b.unassigned);
    }
}

BOOST_AUTO_TEST_CASE(solomon_reader_and_fleet_minimisation) {
    TempDir dir;
    // Four customers around the depot; capacity 20 forces two routes, each serving two
    // neighbouring customers: 4 x 10 to and from the depot plus 2 diagonals.
    const std::string path = write_file(dir / "T1.txt", R"(T1

VEHICLE
NUMBER     CAPACITY
  5         20

CUSTOMER
CUST NO.  XCOORD.   YCOORD.    DEMAND   READY TIME  DUE DATE   SERVICE   TIME

    0      0         0          0          0       1000          0
    1     10         0         10          0       1000         10
    2      0        10         10          0       1000         10
    3    -10         0         10          0       1000         10
    4      0       -10         10          0       1000         10
)");
    SolomonInstance inst = read_solomon(path);
    BOOST_TEST(inst.problem.jobs.size() == 4u);
    BOOST_TEST(inst.vehicles == 5);
    BOOST_TEST(inst.problem.t(1, 2) == std::hypot(10.0, 10.0));
    SolverOptions o;
    o.iterations = 500;
    o.time_limit_s = 0;
    o.minimise_vehicles = true;
    const Solution s = solve(inst.problem, o);
    BOOST_TEST(validate(inst.problem, s, true).empty());
    BOOST_TEST(s.vehicles_used == 2);
    BOOST_TEST(travel_of(inst.problem, s) == 40 + 2 * std::hypot(10.0, 10.0), boost::test_tools::tolerance(1e-9));
    write_file(dir / "bad.txt", "T2\nVEHICLE\nNUMBER CAPACITY\n 5 20\nCUSTOMER\n 0 0 0 0 0 100 0\n 1 1 1 1 50 40 0\n");
    try {
        read_solomon((dir / "bad.txt").string());
        BOOST_FAIL("expected an error");
    } catch (const Error& e) {
        BOOST_TEST(std::string(e.what()).find("line 7") != std::string::npos, e.what());
        BOOST_TEST(e.exit_code() == 3);
    }
}

BOOST_AUTO_TEST_CASE(tsplib_distances_follow_tsplib95) {
    TempDir dir;
    const std::string coords = "NODE_COORD_SECTION\n1 0 0\n2 3 4.2\n3 10 0.5\n4 6 6\nEOF\n";
    auto read = [&](const std::string& type) {
        return read_tsplib(write_file(dir / (type + ".tsp"), "NAME: t\nTYPE: TSP\nDIMENSION: 4\nEDGE_WEIGHT_TYPE: " + type + "\n" + coords));
    };
    const TspInstance euc = read("EUC_2D"), ceil2 = read("CEIL_2D"), att = read("ATT");
    BOOST_TEST(euc.d(0, 1) == 5);         // 5.161 -> 5
    BOOST_TEST(ceil2.d(0, 1) == 6);       // ceil(5.161)
    BOOST_TEST(euc.d(0, 2) == 10);        // 10.012
    BOOST_TEST(att.d(0, 2) == 4);         // sqrt(100.25/10) = 3.166 -> nint 3 < 3.166 -> 4
    // GEO: ulysses16's first three cities; values from TSPLIB95's formula evaluated separately
    // (bench/route/check.py), with the integer part of the degrees taken by truncation.
    const TspInstance geo = read_tsplib(write_file(dir / "geo.tsp", "NAME: g\nTYPE: TSP\nDIMENSION: 3\nEDGE_WEIGHT_TYPE: GEO\nNODE_COORD_SECTION\n1 38.24 20.42\n2 39.57 26.15\n3 40.56 25.32\nEOF\n"));
    BOOST_TEST(geo.d(0, 1) == 509);
    BOOST_TEST(geo.d(1, 2) == 126);
    // EXPLICIT formats give the same matrix.
    const std::string full = "0 1 2 3\n1 0 4 5\n2 4 0 6\n3 5 6 0\n";
    const std::map<std::string, std::string> forms = {{"FULL_MATRIX", full}, {"UPPER_ROW", "1 2 3\n4 5\n6\n"}, {"LOWER_DIAG_ROW", "0\n1 0\n2 4 0\n3 5 6 0\n"},
                                                      {"UPPER_DIAG_ROW", "0 1 2 3\n0 4 5\n0 6\n0\n"}, {"LOWER_ROW", "1\n2 4\n3 5 6\n"}};
    for (const auto& [format, body] : forms) {
        const TspInstance t = read_tsplib(write_file(dir / (format + ".tsp"), "NAME: e\nTYPE: TSP\nDIMENSION: 4\nEDGE_WEIGHT_TYPE: EXPLICIT\nEDGE_WEIGHT_FORMAT: " +
                                                                                   format + "\nEDGE_WEIGHT_SECTION\n" + body + "EOF\n"));
        BOOST_TEST(t.d(0, 3) == 3, format);
        BOOST_TEST(t.d(3, 2) == 6, format);
        BOOST_TEST(t.d(2, 1) == 4, format);
    }
}

BOOST_AUTO_TEST_CASE(tsp_matches_enumeration) {
    std::mt19937 rng(7);
    std::uniform_int_distribution<int> U(0, 1000);
    for (int trial = 0; trial < 5; ++trial) {
        TspInstance t;
        t.n = 10;  // above the size the solver enumerates itself
        std::vector<int> x(t.n), y(t.n);
        for (int i = 0; i < t.n; ++i) x[i] = U(rng), y[i] = U(rng);
        t.dist.resize(100);
        for (int a = 0; a < t.n; ++a)
            for (int b = 0; b < t.n; ++b) t.dist[a * t.n + b] = static_cast<int>(std::hypot(x[a] - x[b], y[a] - y[b]) + 0.5);
        std::vector<int> perm(t.n);
        std::iota(perm.begin(), perm.end(), 0);
        long long best = LLONG_MAX;
        do best = std::min(best, tour_length(t, perm));
        while (std::next_permutation(perm.begin() + 1, perm.end()));
        TspOptions o;
        o.kicks = 300;
        o.time_limit_s = 0;
        o.seed = static_cast<std::uint64_t>(trial);
        const TspResult r = solve_tsp(t, o);
        BOOST_TEST(r.length == best);
        BOOST_TEST(tour_length(t, r.tour) == r.length);
        std::vector<int> sorted = r.tour;
        std::sort(sorted.begin(), sorted.end());
        BOOST_TEST((sorted == std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
    }
}

namespace {

const std::string kEvents = "id,name,lat,lon,start,end,priority\n"
                            "A,Park,35.2200,-80.8400,18:00,21:00,2\n"
                            "B,School,35.2300,-80.8300,18:30,19:30,1\n"
                            "C,Library,35.2100,-80.8500,19:00,20:00,1\n"
                            "D,Late,35.2250,-80.8450,23:00,23:30,1\n";
const std::string kStations = R"({"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":"S1","name":"Central"},"geometry":{"type":"Point","coordinates":[-80.838,35.229]}}]})";

}  // namespace

BOOST_AUTO_TEST_CASE(cli_plans_an_evening) {
    TempDir dir;
    const std::string events = write_file(dir / "events.csv", kEvents), stations = write_file(dir / "stations.geojson", kStations);
    const std::string officers = write_file(dir / "officers.csv", "id,name,start,shift_start,shift_end,max_visits\nT1,Team one,S1,17:30,22:00,\nT2,Team two,central,17:30,22:00,1\n");
    const auto r = cli("-q route --events " + events + " --officers " + officers + " --stations " + stations + " --iterations 300 --out " + (dir / "out").string(), dir);
    BOOST_TEST_REQUIRE(r.code == 0, r.err);
    const auto summary = nlohmann::json::parse(read_text(dir / "out" / "summary.json"));
    BOOST_TEST(summary["result"]["visited"].get<int>() == 3);
    for (const char* f : {"routes.geojson", "stops.geojson", "stops.csv", "unvisited.csv", "schedule.txt"}) BOOST_TEST(fs::exists(dir / "out" / f), f);
    // Every stop lies inside its window and its officer's shift.
    const auto stops = read_back(dir / "out" / "stops.geojson");
    BOOST_TEST(stops.size() == 3u);
    for (const auto& s : stops) {
        BOOST_TEST(clock_of(s.text.at("start")) >= clock_of(s.text.at("window_start")));
        BOOST_TEST(clock_of(s.text.at("departure")) <= clock_of(s.text.at("window_end")));
        BOOST_TEST(clock_of(s.text.at("arrival")) >= clock_of("17:30:00"));
    }
    const std::string unvisited = read_text(dir / "out" / "unvisited.csv");
    BOOST_TEST(unvisited.find("D,Late") != std::string::npos);
    BOOST_TEST(unvisited.find("no officer shift overlaps the window") != std::string::npos, unvisited);
    const auto routes = read_back(dir / "out" / "routes.geojson");
    BOOST_TEST(routes.size() >= 1u);
    if (routes.size() == 2) BOOST_TEST(routes[0].text.at("stroke") != routes[1].text.at("stroke"));
    // Deterministic with a seed and an iteration budget.
    const auto r2 = cli("-q route --events " + events + " --officers " + officers + " --stations " + stations + " --iterations 300 --out " + (dir / "out2").string(), dir);
    BOOST_TEST_REQUIRE(r2.code == 0, r2.err);
    BOOST_TEST(read_text(dir / "out" / "stops.csv") == read_text(dir / "out2" / "stops.csv"));
}

BOOST_AUTO_TEST_CASE(cli_bad_inputs_name_the_culprit) {
    TempDir dir;
    const std::string stations = write_file(dir / "stations.geojson", kStations);
    const std::string good_events = write_file(dir / "events.csv", kEvents);
    const std::string good_officers = write_file(dir / "officers.csv", "id,start,shift_start,shift_end\nT1,S1,17:30,22:00\n");
    struct Case {
        std::string events, officers, expect[4];
    };
    const std::vector<Case> cases = {
        {good_events, write_file(dir / "o1.csv", "id,start,shift_start,shift_end\nT1,S1,17:30,22:00\nT2,S1,22:00,17:30\n"),
         {"o1.csv", "line 3", "shift_end", "T2"}},
        {write_file(dir / "e1.csv", "id,name,lat,lon,start,end\nA,x,35.22,-80.84,18:00,21:00\nB,y,35.22,-80.84,20:00,19:00\n"), good_officers,
         {"e1.csv", "line 3", "end", "empty"}},
        {good_events, write_file(dir / "o2.csv", "id,start,shift_start,shift_end\nT1,Nowhere,17:30,22:00\n"), {"o2.csv", "line 2", "start", "Nowhere"}},
        {good_events, write_file(dir / "o3.csv", "id,start,shift_start,shift_end\nT1,S1,5.30pm,22:00\n"), {"o3.csv", "line 2", "shift_start", "HH:MM"}},
    };
    for (const Case& c : cases) {
        const fs::path out = dir / "out";
        const auto r = cli("-q route --events " + c.events + " --officers " + c.officers + " --stations " + stations + " --iterations 10 --out " + out.string(), dir);
        BOOST_TEST(r.code == 3, r.err);
        for (const auto& e : c.expect) BOOST_TEST(r.err.find(e) != std::string::npos, "'" << e << "' not in: " << r.err);
        BOOST_TEST(!fs::exists(out));
    }
}

BOOST_AUTO_TEST_CASE(cli_benchmark_json) {
    TempDir dir;
    const std::string tsp = write_file(dir / "t.tsp", "NAME: sq\nTYPE: TSP\nDIMENSION: 4\nEDGE_WEIGHT_TYPE: EUC_2D\nNODE_COORD_SECTION\n1 0 0\n2 10 10\n3 10 0\n4 0 10\nEOF\n");
    const auto r = cli("-q route --tsplib " + tsp + " --iterations 50", dir);
    BOOST_TEST_REQUIRE(r.code == 0, r.err);
    const auto j = nlohmann::json::parse(r.out);
    BOOST_TEST(j["distance"].get<long long>() == 40);
    BOOST_TEST(j["tour"].size() == 4u);
    for (const char* k : {"vehicles", "distance", "seconds"}) BOOST_TEST(j.contains(k), k);
}

BOOST_AUTO_TEST_CASE(cli_plans_along_the_roads_from_coordinates) {
    TempDir dir;
    // Monaco: three events, one team starting and ending at given coordinates.
    const std::string events = write_file(dir / "events.csv", "id,name,lat,lon\nM1,Casino,43.7397,7.4275\nM2,Port,43.7350,7.4230\nM3,Fontvieille,43.7290,7.4160\n");
    const std::string officers = write_file(dir / "officers.csv", "id,start_lon,start_lat,shift_start,shift_end\nP1,7.4200,43.7330,17:30,22:00\n");
    const auto r = cli("-q route --events " + events + " --officers " + officers + " --window 18:00-21:00 --duration 10 --network " + source_dir() +
                           "/tests/data/monaco-roads.osm.pbf --profile drive --iterations 200 --out " + (dir / "out").string(),
                       dir);
    BOOST_TEST_REQUIRE(r.code == 0, r.err);
    const auto summary = nlohmann::json::parse(read_text(dir / "out" / "summary.json"));
    BOOST_TEST(summary["result"]["visited"].get<int>() == 3);
    BOOST_TEST(summary["parameters"]["travel"]["mode"].get<std::string>() == "road network");
    const auto routes = nlohmann::json::parse(read_text(dir / "out" / "routes.geojson"));
    BOOST_TEST_REQUIRE(routes["features"].size() == 1u);
    // Along the streets: many more vertices than the five places it links.
    BOOST_TEST(routes["features"][0]["geometry"]["coordinates"].size() > 10u);
    const auto stops = read_back(dir / "out" / "stops.geojson");
    for (const auto& s : stops) {
        BOOST_TEST(clock_of(s.text.at("departure")) - clock_of(s.text.at("start")) == 600);
        BOOST_TEST(clock_of(s.text.at("start")) >= clock_of("18:00:00"));
    }
}

BOOST_AUTO_TEST_CASE(toptw_reader_and_prize_collecting_optimum) {
    TempDir dir;
    // Depot at the origin, the day ends at 20. Worked by hand, one route: {1, 2} (0-1-2-0,
    // length 16) earns 11, but 0-3-1-4-0 earns 12 (4 + 5.657 + 5 = 14.66, wait for 4's window
    // at 15, serve 2, back at 20 exactly); 3 with 1 and 2 is 21.66 long, and 4 after 2 is
    // reached at 16.54 > 16. Two routes visit everything: {1, 2} and {3, 4}, profit 18.
    // Vertex 5 has no profit (left out); the last line is trailing data, as in the c1/r1 files.
    const std::string path = write_file(dir / "tiny.txt", R"(4 2 5 1
0 0
0 0 0 0 0 0 0 0 20
1 4 0 0 5 1 1 1 0 20
2 8 0 0 6 1 1 1 0 20
3 0 4 0 4 1 1 1 0 20
4 0 -3 2 3 1 1 1 15 16
5 1 1 0 0 1 2 1 2 0 20
1 2 3 4 5
)");
    for (int routes : {1, 2}) {
        const ToptwInstance inst = read_toptw(path, routes);
        BOOST_TEST_REQUIRE(inst.problem.jobs.size() == 4u);
        BOOST_TEST(inst.total_profit == 18);
        BOOST_TEST(inst.vertex_ids.back() == 4);
        BOOST_TEST(inst.problem.vehicles.size() == static_cast<std::size_t>(routes));
        BOOST_TEST(inst.problem.vehicles[0].shift_end == 20);
        const Key opt = enumerate(inst.problem);
        BOOST_TEST(opt.prize == (routes == 1 ? 12 : 18));
        SolverOptions o;
        o.iterations = 2000;
        o.time_limit_s = 0;
        o.collect_prizes = true;
        const Solution s = solve(inst.problem, o);
        BOOST_TEST(validate(inst.problem, s).empty());
        BOOST_TEST(s.served_prize == opt.prize);
        if (routes == 1) BOOST_TEST(s.routes[0] == (std::vector<int>{2, 0, 3}));  // jobs of vertices 3, 1, 4
    }
    // Truncated to one decimal: 0-3-1 is 4 + 5.6.
    const ToptwInstance tenth = read_toptw(path, 1, DistancePrecision::TruncatedTenth);
    BOOST_TEST(tenth.problem.t(3, 1) == 5.6);
}

BOOST_AUTO_TEST_CASE(toptw_reader_errors_name_file_and_line) {
    TempDir dir;
    struct Case {
        std::string text, expect[3];
    };
    const std::vector<Case> cases = {
        {"4 1 2\n0 0\n", {"line 1", "4 values", "k v N t"}},
        {"4 1 2 1\n0 0\n0 0 0 0 0 0 0 0 20\n1 4 0 0 5 1 1 1 0\n", {"line 4", "a = 1", "10 values"}},
        {"4 1 2 1\n0 0\n0 0 0 0 0 0 0 0 20\n1 4 0 0 5 1 1 1 9 3\n", {"line 4", "vertex 1", "before it opens"}},
        {"4 1 2 1\n0 0\n0 0 0 0 0 0 0 0 20\n2 4 0 0 5 1 1 1 0 9\n", {"line 4", "expected 1", "found 2"}},
        {"4 1 2 1\n0 0\n0 0 0 0 0 0 0 0 20\n1 4 x 0 5 1 1 1 0 9\n", {"line 4", "expected numbers", "'1 4 x"}},
        {"4 1 2 1\n0 0\n0 0 0 0 0 0 0 0 20\n1 4 0 0 5 1 1 1 0 9\n", {"announces 2 customers", "3 vertex lines", "found 2"}},
    };
    int k = 0;
    for (const Case& c : cases) {
        const std::string path = write_file(dir / ("bad" + std::to_string(++k) + ".txt"), c.text);
        try {
            read_toptw(path, 1);
            BOOST_FAIL("expected an error for case " << k);
        } catch (const Error& e) {
            const std::string what = e.what();
            BOOST_TEST(e.exit_code() == 3);
            BOOST_TEST(what.find(path) != std::string::npos, what);
            for (const auto& x : c.expect) BOOST_TEST(what.find(x) != std::string::npos, "'" << x << "' not in: " << what);
        }
    }
}

BOOST_AUTO_TEST_CASE(cli_toptw_json) {
    TempDir dir;
    const std::string path = write_file(dir / "tiny.txt", "4 2 4 1\n0 0\n0 0 0 0 0 0 0 0 20\n1 4 0 0 5 1 1 1 0 20\n2 8 0 0 6 1 1 1 0 20\n"
                                                          "3 0 4 0 4 1 1 1 0 20\n4 0 -3 2 3 1 1 1 15 16\n");
    const auto r = cli("-q route --toptw " + path + " --iterations 500", dir);
    BOOST_TEST_REQUIRE(r.code == 0, r.err);
    const auto j = nlohmann::json::parse(r.out);
    BOOST_TEST(j["profit"].get<double>() == 12);
    BOOST_TEST(j["feasible"].get<bool>());
    BOOST_TEST_REQUIRE(j["routes"].size() == 1u);
    const auto& stops = j["routes"][0]["stops"];
    BOOST_TEST_REQUIRE(stops.size() == 3u);
    BOOST_TEST(stops[2]["vertex"].get<int>() == 4);
    BOOST_TEST(stops[2]["start"].get<double>() == 15);  // waits for its window
    BOOST_TEST(j["routes"][0]["back"].get<double>() == 20, boost::test_tools::tolerance(1e-9));
    BOOST_TEST(j["unvisited"] == nlohmann::json::array({2}));
    const auto bad = cli("-q route --toptw " + path + " --distances rounded --iterations 5", dir);
    BOOST_TEST(bad.code == 2);
    BOOST_TEST(bad.err.find("--distances") != std::string::npos, bad.err);
}

BOOST_AUTO_TEST_CASE(validator_checks_windows_skills_and_working_time) {
    // Depot 0, job 0 at node 1 (10 away), job 1 at node 2 (10 from the depot, 10 from node 1).
    Problem p;
    p.nodes = 3;
    p.time = {0, 10, 10, 10, 0, 10, 10, 10, 0};
    Job a{1, 5, 0, 30, 0, 1};
    a.windows = {{0, 5}, {20, 30}};  // reached at 10: waits for the second window
    Job b{2, 5, 50, 60, 0, 1};
    p.jobs = {a, b};
    Vehicle v;
    v.shift_end = 100;
    p.vehicles = {v};
    Solution ok;
    ok.routes = {{0, 1}};  // 0-a: 10, wait to 20, serve to 25, b at 35, wait to 50, serve to 55, back 65
    BOOST_TEST(validate(p, ok).empty());
    BOOST_TEST(earliest_start(p.jobs[0], 10) == 20);
    BOOST_TEST(earliest_start(p.jobs[0], 3) == 3);
    BOOST_TEST(earliest_start(p.jobs[0], 31) == kInfinity);
    BOOST_TEST(latest_start(p.jobs[0], 10) == 5);
    BOOST_TEST(latest_start(p.jobs[0], 40) == 30);
    BOOST_TEST(latest_start(p.jobs[0], -1) == -kInfinity);
    Problem late = p;
    late.jobs[0].windows = {{0, 5}, {6, 9}};  // both closed when it is reached at 10
    late.jobs[0].close = 9;
    BOOST_TEST(!validate(late, ok).empty());
    // Working time: leaving at 0 the day is 65 long (back at 65). The latest departure is 20
    // (b starts by 60, so a by 45 - in its window [20, 30]: by 30 - so leave by 20): a 30-35,
    // b reached at 45, waits to 50, back at 65; the least working time is 45.
    Problem work = p;
    work.vehicles[0].max_work = 45;
    BOOST_TEST(validate(work, ok).empty());
    work.vehicles[0].max_work = 44.9;
    BOOST_TEST(!validate(work, ok).empty());
    const Schedule sch = schedule_route(work, 0, ok.routes[0]);
    BOOST_TEST(sch.depart == 20, boost::test_tools::tolerance(1e-9));
    BOOST_TEST(sch.back - sch.depart == 45, boost::test_tools::tolerance(1e-9));
    // Skills: b needs skill 2 (bit 1), the vehicle has only skill 1.
    Problem skills = p;
    skills.jobs[1].needs = 2;
    skills.vehicles[0].skills = 1;
    BOOST_TEST(!validate(skills, ok).empty());
    skills.vehicles[0].skills = 3;
    BOOST_TEST(validate(skills, ok).empty());
    // Breaks. 10 min inside 25-40: taken on reaching b at 35, absorbed by the wait for b's 50.
    Problem brk = p;
    brk.vehicles[0].break_length = 10, brk.vehicles[0].break_open = 25, brk.vehicles[0].break_close = 40;
    BOOST_TEST(validate(brk, ok).empty());
    // 20 min inside 25-50: not on reaching b (35-55 ends after 50), but before leaving a at 25:
    // 25-45, b reached at 55, served 55-60 (its window closes at 60), back at 70.
    brk.vehicles[0].break_length = 20, brk.vehicles[0].break_close = 50;
    BOOST_TEST(validate(brk, ok).empty());
    Schedule with_break;
    BOOST_TEST(plan_route(brk, 0, ok.routes[0], &with_break));
    BOOST_TEST(with_break.break_start == 25);
    BOOST_TEST(with_break.break_after == 1);
    BOOST_TEST(with_break.back == 70);
    // With a working-time limit the day starts as late as that break allows: leave at 15, a
    // 25-30, break 30-50, b 60-65, back at 75: 60 minutes (a later start misses a or the break).
    brk.vehicles[0].max_work = 60;
    BOOST_TEST(validate(brk, ok).empty());
    BOOST_TEST(plan_route(brk, 0, ok.routes[0], &with_break));
    BOOST_TEST(with_break.depart == 15);
    BOOST_TEST(with_break.break_start == 30);
    BOOST_TEST(with_break.back == 75);
    brk.vehicles[0].max_work = 59.9;
    BOOST_TEST(!validate(brk, ok).empty());
    BOOST_TEST(!plan_route(brk, 0, ok.routes[0]));
    // 30 min inside 25-55 fits nowhere: before leaving a (25-55) b is reached at 65 > 60; on
    // reaching b (35-65) or later it ends after 55; on reaching a, a's window has closed.
    brk.vehicles[0].max_work = kInfinity;
    brk.vehicles[0].break_length = 30, brk.vehicles[0].break_close = 55;
    BOOST_TEST(!validate(brk, ok).empty());
    BOOST_TEST(!plan_route(brk, 0, ok.routes[0]));
}

BOOST_AUTO_TEST_CASE(rules_tiny_instances_match_enumeration) {
    // Two windows per job, skills, working-time limits, breaks: the solver reaches the optimum that
    // enumeration (with the validator as the judge) finds.
    for (std::uint32_t seed = 1; seed <= 12; ++seed) {
        Problem p = random_problem(seed, 6, 2, seed % 2 == 0, false);
        std::mt19937 rng(seed * 7919);
        for (Job& j : p.jobs) {
            const double o1 = j.open, c1 = j.open + 10 + rng() % 20, o2 = c1 + 20 + rng() % 40, c2 = o2 + 10 + rng() % 20;
            j.windows = {{o1, c1}, {o2, c2}};
            j.open = o1, j.close = c2;
            j.needs = rng() % 3 == 0 ? 1 + rng() % 2 : 0;  // skill 1, skill 2 or none
        }
        p.vehicles[0].skills = 1;
        p.vehicles[1].skills = seed % 2 ? 2 : 3;
        if (seed % 3 == 0) p.vehicles[0].max_work = 120;
        if (seed % 4 == 0) p.vehicles[0].shift_start = p.vehicles[1].shift_start = 0, p.vehicles[1].max_work = 150;
        if (seed % 2 == 1) {  // a 20-minute break inside 60-110 for the first, 30 inside 40-130 for the second
            p.vehicles[0].break_length = 20, p.vehicles[0].break_open = 60, p.vehicles[0].break_close = 110;
            p.vehicles[1].break_length = 30, p.vehicles[1].break_open = 40, p.vehicles[1].break_close = 130;
        }
        const Key opt = enumerate(p);
        SolverOptions o;
        o.seed = seed;
        o.iterations = 10000;
        o.time_limit_s = 0;
        const Solution s = solve(p, o);
        BOOST_TEST(validate(p, s).empty(), "seed " << seed << ": " << (validate(p, s).empty() ? "" : validate(p, s).front()));
        BOOST_TEST(s.served_prize == opt.prize, "seed " << seed);
        BOOST_TEST(std::fabs(travel_of(p, s) - opt.cost) < 1e-6, "seed " << seed << ": " << travel_of(p, s) << " vs optimum " << opt.cost);
    }
}

BOOST_AUTO_TEST_CASE(cli_rules_windows_skills_must_and_working_time) {
    TempDir dir;
    // Straight lines at 30 km/h (500 m a minute) around one station; 15-minute visits.
    // M (must) and O (priority 5) both need a start by 19:05, 2.2 km apart: only T1 is on shift
    // then and can do one, so the must-visit M wins. W's first window is gone by the time T1
    // leaves M (and T2 starts at 20:00), so W starts at 20:30 in its second window. K needs a
    // k9 unit: only T2. F needs fire: nobody. U must be visited but lies after every shift.
    // T1 may work 60 minutes: M and then W (at 20:30) would be 107.
    const std::string stations = write_file(dir / "stations.geojson", kStations);
    const std::string events = write_file(dir / "events.csv",
                                          "id,name,lat,lon,start,end,windows,priority,requires,must\n"
                                          "M,North,35.239,-80.838,19:00,19:20,,1,,true\n"
                                          "O,South,35.219,-80.838,19:00,19:20,,5,,\n"
                                          "W,East,35.229,-80.828,,,19:00-19:20;20:30-21:00,1,,no\n"
                                          "K,West,35.229,-80.848,20:00,21:30,,1,K9,\n"
                                          "F,Fire,35.230,-80.839,20:00,21:30,,1,fire,\n"
                                          "U,Late,35.230,-80.837,23:00,23:30,,1,,yes\n");
    // T2 takes a 20-minute break inside 20:15-20:45 (at W, whose window lasts until 21:00).
    const std::string officers =
        write_file(dir / "officers.csv", "id,start,shift_start,shift_end,skills,max_work,break\nT1,S1,19:00,22:00,,60,\nT2,S1,20:00,22:00,k9;dog,,20@20:15-20:45\n");
    const auto r = cli("-q route --events " + events + " --officers " + officers + " --stations " + stations + " --iterations 2000 --out " + (dir / "out").string(), dir);
    BOOST_TEST_REQUIRE(r.code == 0, r.err);
    std::map<std::string, std::map<std::string, std::string>> stop;
    for (const auto& s : read_back(dir / "out" / "stops.geojson")) stop[s.text.at("event_id")] = s.text;
    BOOST_TEST(stop.size() == 3u);
    BOOST_TEST_REQUIRE(stop.count("M"));
    BOOST_TEST(stop["M"].at("officer_id") == "T1");
    BOOST_TEST_REQUIRE(stop.count("K"));
    BOOST_TEST(stop["K"].at("officer_id") == "T2");
    BOOST_TEST_REQUIRE(stop.count("W"));
    BOOST_TEST(clock_of(stop["W"].at("start")) >= clock_of("20:30:00"));
    BOOST_TEST(clock_of(stop["W"].at("departure")) <= clock_of("21:00:00"));
    for (const auto& route : read_back(dir / "out" / "routes.geojson"))
        if (route.text.at("officer_id") == "T1") BOOST_TEST(clock_of(route.text.at("back")) - clock_of(route.text.at("depart")) <= 60 * 60);
    const auto summary = nlohmann::json::parse(read_text(dir / "out" / "summary.json"));
    for (const auto& o : summary["result"]["officers_detail"])
        if (o["id"] == "T2") {
            BOOST_TEST_REQUIRE(o["break"].is_string());
            const std::string b = o["break"].get<std::string>();
            BOOST_TEST(clock_of(b.substr(0, 8)) >= clock_of("20:15:00"), b);
            BOOST_TEST(clock_of(b.substr(9)) - clock_of(b.substr(0, 8)) == 20 * 60, b);
            BOOST_TEST(clock_of(b.substr(9)) <= clock_of("20:45:00"), b);
        }
    BOOST_TEST(read_text(dir / "out" / "schedule.txt").find("break until") != std::string::npos);
    const std::string unvisited = read_text(dir / "out" / "unvisited.csv");
    BOOST_TEST(unvisited.find("O,South") != std::string::npos, unvisited);
    BOOST_TEST(unvisited.find("no officer carries the requested unit(s): fire") != std::string::npos, unvisited);
    BOOST_TEST(unvisited.find("must-visit, but no officer shift overlaps the window") != std::string::npos, unvisited);
    // Bad rule fields name the file, the line and the field.
    struct Case {
        std::string events, officers, expect[3];
    };
    const std::string good_officers = write_file(dir / "o.csv", "id,start,shift_start,shift_end\nT1,S1,19:00,22:00\n");
    const std::vector<Case> cases = {
        {write_file(dir / "e1.csv", "id,lat,lon,windows\nA,35.23,-80.84,18:00-19:00;18:30-20:00\n"), good_officers, {"e1.csv", "line 2", "field windows"}},
        {write_file(dir / "e2.csv", "id,lat,lon,windows\nA,35.23,-80.84,18:00-19:00;soon\n"), good_officers, {"e2.csv", "field windows", "'soon'"}},
        {write_file(dir / "e3.csv", "id,lat,lon,start,end,must\nA,35.23,-80.84,18:00,19:00,maybe\n"), good_officers, {"e3.csv", "field must", "true or false"}},
        {write_file(dir / "e4.csv", "id,lat,lon,start,end\nA,35.23,-80.84,18:00,19:00\n"),
         write_file(dir / "o4.csv", "id,start,shift_start,shift_end,max_work\nT1,S1,19:00,22:00,-5\n"), {"o4.csv", "line 2", "field max_work"}},
        {write_file(dir / "e5.csv", "id,lat,lon,start,end\nA,35.23,-80.84,18:00,19:00\n"),
         write_file(dir / "o5.csv", "id,start,shift_start,shift_end,break\nT1,S1,19:00,22:00,30@19:00\n"), {"o5.csv", "line 2", "field break"}},
    };
    for (const Case& c : cases) {
        const auto b = cli("-q route --events " + c.events + " --officers " + c.officers + " --stations " + stations + " --iterations 10 --out " + (dir / "bad").string(), dir);
        BOOST_TEST(b.code == 3, b.err);
        for (const auto& e : c.expect) BOOST_TEST(b.err.find(e) != std::string::npos, "'" << e << "' not in: " << b.err);
    }
}

// Re-planning at time 20 on a line (travel time = distance). The earlier plan: A promised
// J0 (x 12), J1 (x 20) and J2 (x 48); B promised J3 (x 90, start by 30). Now A is at x 10,
// B was called away, C waits at x 60; J4 (x 30) is new. Nobody reaches J3 by 30 (C at 50):
// dropped. A does J0, J1, J4 and back to x 0: 2 + 8 + 10 + 30 = 50; with J2 too: 86.
// C could do J2 for 60 -> 48 -> 60 = 24, so moving it saves 86 - (50 + 24) = 12 units of
// travel: moved when keeping it with A costs 10, kept when it costs 15.
BOOST_AUTO_TEST_CASE(replan_keeps_promises_from_positions) {
    const std::vector<double> x{0, 10, 50, 60, 12, 20, 48, 90, 30};
    Problem p;
    p.nodes = x.size();
    for (double a : x)
        for (double b : x) p.time.push_back(std::fabs(a - b));
    for (int node : {4, 5, 6, 7, 8}) {
        Job j;
        j.node = node, j.service = 5, j.open = 0, j.close = node == 7 ? 30 : 100;
        p.jobs.push_back(j);
    }
    const std::vector<Promise> promises{{0, 0, 25}, {1, 0, 35}, {2, 0, 70}, {3, 1, 28}};
    for (const Promise& pr : promises) p.jobs[pr.job].promised = true, p.jobs[pr.job].keep = pr.vehicle;
    Vehicle a, b, c;
    a.start = 1, a.end = 0, a.shift_start = 20, a.shift_end = 200;
    b.start = 2, b.end = 0, b.shift_start = 20, b.shift_end = 200, b.max_visits = 0;  // called away
    c.start = 3, c.end = 3, c.shift_start = 20, c.shift_end = 200;
    p.vehicles = {a, b, c};
    const std::vector<VehicleFact> facts{{1, 20, false}, {2, 20, true}, {3, 20, false}};
    // The promises that still fit, in their order: A's three; B may not visit.
    const auto initial = promised_routes(p, promises);
    BOOST_TEST(initial[0] == (std::vector<int>{0, 1, 2}), "A starts from its promises");
    BOOST_TEST(initial[1].empty());
    for (double keep_cost : {10.0, 15.0}) {
        p.keep_cost = keep_cost;
        SolverOptions o;
        o.iterations = 3000, o.time_limit_s = 0, o.initial = initial;
        const Solution s = solve(p, o);
        BOOST_TEST(validate(p, s).empty());
        BOOST_TEST(validate_replan(p, s, 20, facts).empty());
        const auto changes = plan_changes(p, promises, s);
        BOOST_TEST_REQUIRE(changes.size() == 5u);
        // In the earlier order (J0 25, J3 28, J1 35, J2 70), then the new J4.
        BOOST_TEST(changes[0].job == 0);
        BOOST_TEST(changes[0].kind == ChangeKind::Kept);
        BOOST_TEST(changes[0].after_start == 22);  // leaves x 10 at 20
        BOOST_TEST(changes[1].job == 3);
        BOOST_TEST(changes[1].kind == ChangeKind::Dropped);
        BOOST_TEST(changes[2].job == 1);
        BOOST_TEST(changes[2].kind == ChangeKind::Kept);
        BOOST_TEST(changes[2].after_start == 35);  // J0 until 27, then 8
        BOOST_TEST(changes[3].job == 2);
        BOOST_TEST(changes[4].job == 4);
        BOOST_TEST(changes[4].kind == ChangeKind::Added);
        BOOST_TEST(changes[4].after_vehicle == 0);
        if (keep_cost == 10) {
            BOOST_TEST(changes[3].kind == ChangeKind::Moved);
            BOOST_TEST(changes[3].after_vehicle == 2);
            BOOST_TEST(changes[3].after_start == 32);  // C: 20 + 12
            BOOST_TEST(std::fabs(s.travel - 74) < 1e-9);
        } else {
            BOOST_TEST(changes[3].kind == ChangeKind::Kept);
            BOOST_TEST(std::fabs(s.travel - 86) < 1e-9);
        }
    }
    // The re-plan validator replays from the facts, not from the problem's vehicles.
    SolverOptions o;
    o.iterations = 500, o.time_limit_s = 0, o.initial = initial;
    p.keep_cost = 15;
    const Solution s = solve(p, o);
    BOOST_TEST(validate_replan(p, s, 20, {{1, 20, true}, {2, 20, true}, {3, 20, false}}).size() == 1u);   // A was called away
    BOOST_TEST(validate_replan(p, s, 20, {{0, 20, false}, {2, 20, true}, {3, 20, false}}).size() == 1u);  // A is elsewhere
    BOOST_TEST(!validate_replan(p, s, 20, {{1, 150, false}, {2, 20, true}, {3, 20, false}}).empty());     // A free only at 150
    Solution late = s;
    late.routes[0].insert(late.routes[0].begin(), 3);  // J3 cannot start by 30 from x 10
    BOOST_TEST(!validate_replan(p, late, 20, facts).empty());
}

// The CLI re-plans an evening: the first plan's stops as promises, T1 at its first party
// (done) and free when that visit ends, T2 called away.
BOOST_AUTO_TEST_CASE(cli_replans_the_evening) {
    TempDir dir;
    const std::string stations = write_file(dir / "stations.geojson", kStations);
    const std::string events = write_file(dir / "events.csv",
                                          "id,name,lat,lon,start,end,priority\n"
                                          "A,North,35.239,-80.838,19:00,21:00,1\n"
                                          "B,South,35.219,-80.838,19:00,21:00,1\n"
                                          "C,East,35.229,-80.828,19:00,21:00,1\n"
                                          "D,West,35.229,-80.848,19:00,21:00,1\n"
                                          "E,Centre,35.230,-80.839,20:30,21:30,1\n");
    const std::string officers = write_file(dir / "officers.csv", "id,start,shift_start,shift_end,max_visits\nT1,S1,19:00,22:00,2\nT2,S1,19:00,22:00,2\n");
    const std::string base = "-q route --events " + events + " --officers " + officers + " --stations " + stations + " --iterations 2000";
    const auto first = cli(base + " --out " + (dir / "first").string(), dir);
    BOOST_TEST_REQUIRE(first.code == 0, first.err);
    std::map<std::string, std::vector<std::map<std::string, std::string>>> by_officer;
    for (const auto& s : read_back(dir / "first" / "stops.csv")) by_officer[s.text.at("officer_id")].push_back(s.text);
    BOOST_TEST_REQUIRE(by_officer["T1"].size() == 2u);
    BOOST_TEST_REQUIRE(by_officer["T2"].size() == 2u);
    auto order = [](const std::map<std::string, std::string>& s) { return std::stoi(s.at("order")); };
    std::sort(by_officer["T1"].begin(), by_officer["T1"].end(), [&](auto& a, auto& b) { return order(a) < order(b); });
    const std::string first_stop = by_officer["T1"][0].at("event_id"), free_at = by_officer["T1"][0].at("departure");
    const std::string now = by_officer["T1"][0].at("start").substr(0, 5);
    write_file(dir / "now.csv", "id,at,available,status\nT1," + first_stop + "," + free_at + ",\nT2,,,away\n");
    write_file(dir / "visited.csv", "event_id,officer_id\n" + first_stop + ",T1\n");
    const std::string replan = base + " --now " + now + " --positions " + (dir / "now.csv").string() + " --done " + (dir / "visited.csv").string() +
                               " --previous " + (dir / "first" / "stops.csv").string();
    const auto r = cli(replan + " --out " + (dir / "again").string(), dir);
    BOOST_TEST_REQUIRE(r.code == 0, r.err);
    const auto summary = nlohmann::json::parse(read_text(dir / "again" / "summary.json"));
    const auto& rp = summary["result"]["replan"];
    BOOST_TEST(rp["done"].get<int>() == 1);
    BOOST_TEST(rp["promised"].get<int>() == 3);  // the first plan's four visits, one done
    BOOST_TEST(rp["kept"].get<int>() + rp["moved"].get<int>() + rp["dropped"].get<int>() == 3);
    BOOST_TEST(rp["officers"]["T2"].get<std::string>() == "called away");
    // T1 may do one more visit (cap 2, one made), T2 none.
    std::map<std::string, std::map<std::string, std::string>> change;
    for (const auto& c : read_back(dir / "again" / "changes.csv")) change[c.text.at("event_id")] = c.text;
    BOOST_TEST(change[first_stop].at("change") == "done");
    for (const auto& s : by_officer["T2"]) {
        const auto& c = change[s.at("event_id")];
        BOOST_TEST((c.at("change") == "moved" || c.at("change") == "dropped"), s.at("event_id") << ": " << c.at("change"));
        if (c.at("change") == "moved") BOOST_TEST(c.at("officer_after") == "T1");
    }
    const auto stops = read_back(dir / "again" / "stops.csv");
    BOOST_TEST(stops.size() == 1u);
    for (const auto& s : stops) {
        BOOST_TEST(s.text.at("officer_id") == "T1");
        BOOST_TEST(s.text.at("event_id") != first_stop);
        BOOST_TEST(clock_of(s.text.at("arrival")) >= clock_of(free_at));
    }
    BOOST_TEST(read_text(dir / "again" / "schedule.txt").find("Re-planned at " + now) != std::string::npos);
    // Mistakes: an officer on shift without a row; a re-plan file without --now; an unknown party.
    write_file(dir / "partial.csv", "id,at\nT1," + first_stop + "\n");
    const auto missing = cli(base + " --now " + now + " --positions " + (dir / "partial.csv").string() + " --out " + (dir / "bad").string(), dir);
    BOOST_TEST(missing.code == 3, missing.err);
    BOOST_TEST(missing.err.find("officer T2 is on shift") != std::string::npos, missing.err);
    const auto no_now = cli(base + " --done " + (dir / "visited.csv").string() + " --out " + (dir / "bad").string(), dir);
    BOOST_TEST(no_now.code == 2, no_now.err);
    write_file(dir / "unknown.csv", "event_id,officer_id\nZZ,T1\n");
    const auto unknown = cli(base + " --now " + now + " --positions " + (dir / "now.csv").string() + " --done " + (dir / "unknown.csv").string() + " --out " + (dir / "bad").string(), dir);
    BOOST_TEST(unknown.code == 3, unknown.err);
    BOOST_TEST(unknown.err.find("unknown.csv: line 2: field event_id: no event 'ZZ'") != std::string::npos, unknown.err);
}

// A caravan on a line (travel time = distance) from x 0: P (k9, shift 0-200) and F (fire,
// shift 5-150) travel as one; Q (no skills) alone. J0 (x 10) needs k9 and fire: only the
// caravan; J1 (x 20) needs k9; J2 (x 30) starts by 35. The caravan leaves at 5 (F's start):
// J2 at 35, J1 at 50, J0 at 65, back at 80: travel 60, which beats sending Q to J2 (60 alone).
BOOST_AUTO_TEST_CASE(caravan_travels_as_one_with_the_union_of_skills) {
    Problem p;
    const std::vector<double> x{0, 10, 20, 30};
    p.nodes = x.size();
    for (double a : x)
        for (double b : x) p.time.push_back(std::fabs(a - b));
    for (int node : {1, 2, 3}) {
        Job j;
        j.node = node, j.service = 5, j.open = 0, j.close = node == 3 ? 35 : 100;
        j.needs = node == 1 ? 3 : node == 2 ? 1 : 0;
        p.jobs.push_back(j);
    }
    Vehicle police, fire, solo;
    police.skills = 1, police.shift_end = 200, police.group = 0;
    fire.skills = 2, fire.shift_start = 5, fire.shift_end = 150, fire.group = 0;
    solo.shift_end = 200;
    p.vehicles = {police, fire, solo};
    // Alone, nobody carries k9 and fire together.
    Problem apart = p;
    for (Vehicle& v : apart.vehicles) v.group = -1;
    SolverOptions o;
    o.iterations = 2000, o.time_limit_s = 0;
    const Solution alone = solve(apart, o);
    BOOST_TEST(validate(apart, alone).empty());
    BOOST_TEST(alone.unassigned == std::vector<int>{0});
    join_groups(p);
    BOOST_TEST(p.vehicles[0].shift_start == 5);
    BOOST_TEST(p.vehicles[1].shift_end == 150);
    BOOST_TEST(p.vehicles[1].skills == 2u);  // each keeps its own; the group carries the union
    const Solution s = solve(p, o);
    BOOST_TEST(validate(p, s).empty());
    BOOST_TEST(s.unassigned.empty());
    BOOST_TEST(s.routes[0] == (std::vector<int>{2, 1, 0}));
    BOOST_TEST(s.routes[1] == s.routes[0]);
    BOOST_TEST(s.routes[2].empty());
    BOOST_TEST(std::fabs(s.travel - 60) < 1e-9);
    for (int v : {0, 1}) {
        const Schedule sch = schedule_route(p, v, s.routes[v]);
        BOOST_TEST_REQUIRE(sch.stops.size() == 3u);
        BOOST_TEST(sch.stops[0].start == 35);
        BOOST_TEST(sch.stops[1].start == 50);
        BOOST_TEST(sch.stops[2].start == 65);
        BOOST_TEST(sch.back == 80);
    }
    // The validator: members apart, arriving at different times, or one member without the union.
    Solution split = s;
    split.routes[1] = {2, 1};
    BOOST_TEST(!validate(p, split).empty());
    Problem unjoined = p;
    unjoined.vehicles[0].shift_start = 0;  // P would be at J2 at 30, F at 35
    bool apart_in_time = false;
    for (const auto& e : validate(unjoined, s)) apart_in_time = apart_in_time || e.find("do not arrive together") != std::string::npos;
    BOOST_TEST(apart_in_time);
    Problem no_group = p;
    no_group.vehicles[1].group = -1;  // F alone: J0 lacks k9 on F's route, P lacks fire
    BOOST_TEST(validate(no_group, s).size() >= 2u);
}

BOOST_AUTO_TEST_CASE(cli_caravan_visits_together) {
    TempDir dir;
    const std::string stations = write_file(dir / "stations.geojson", kStations);
    const std::string events = write_file(dir / "events.csv",
                                          "id,name,lat,lon,start,end,requires\n"
                                          "A,Block party,35.239,-80.838,19:00,21:00,k9;fire\n"
                                          "B,Cookout,35.219,-80.838,19:00,21:00,\n");
    const std::string officers =
        write_file(dir / "officers.csv", "id,start,shift_start,shift_end,skills,group\nP1,S1,19:00,22:00,k9,caravan\nE7,S1,19:30,22:00,fire,caravan\n");
    const auto r = cli("-q route --events " + events + " --officers " + officers + " --stations " + stations + " --iterations 500 --out " + (dir / "out").string(), dir);
    BOOST_TEST_REQUIRE(r.code == 0, r.err);
    std::map<std::string, std::map<std::string, std::string>> p1, e7;
    for (const auto& s : read_back(dir / "out" / "stops.csv")) (s.text.at("officer_id") == "P1" ? p1 : e7)[s.text.at("event_id")] = s.text;
    BOOST_TEST(p1.size() == 2u);
    BOOST_TEST(e7.size() == 2u);
    for (const auto& [id, stop] : p1) {
        BOOST_TEST_REQUIRE(e7.count(id));
        BOOST_TEST(stop.at("arrival") == e7[id].at("arrival"), id);
        BOOST_TEST(clock_of(stop.at("arrival")) >= clock_of("19:30:00"), id);  // the caravan leaves when E7 starts
    }
    const auto summary = nlohmann::json::parse(read_text(dir / "out" / "summary.json"));
    BOOST_TEST(summary["result"]["visited"].get<int>() == 2);
    BOOST_TEST(summary["result"]["priority_visited"].get<double>() == 2);  // each party once
    // schedule.html: a sheet for each member, each listing both parties with the units asked for.
    const std::string html = read_text(dir / "out" / "schedule.html");
    std::size_t sheets = 0;
    for (std::size_t at = html.find("<section class=\"sheet\""); at != std::string::npos; at = html.find("<section class=\"sheet\"", at + 1)) ++sheets;
    BOOST_TEST(sheets == 2u);
    BOOST_TEST(html.find("Travels as one with: E7") != std::string::npos);
    BOOST_TEST(html.find("k9, fire") != std::string::npos);
    BOOST_TEST(html.find("@media print") != std::string::npos);
    // Members of a group must leave from the same place.
    write_file(dir / "stations2.geojson", R"({"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":"S1","name":"Central"},"geometry":{"type":"Point","coordinates":[-80.838,35.229]}},
{"type":"Feature","properties":{"id":"S2","name":"Fire 4"},"geometry":{"type":"Point","coordinates":[-80.848,35.229]}}]})");
    const std::string apart = write_file(dir / "apart.csv", "id,start,shift_start,shift_end,skills,group\nP1,S1,19:00,22:00,k9,caravan\nE7,S2,19:30,22:00,fire,caravan\n");
    const auto bad = cli("-q route --events " + events + " --officers " + apart + " --stations " + (dir / "stations2.geojson").string() + " --iterations 10 --out " + (dir / "bad").string(), dir);
    BOOST_TEST(bad.code == 3, bad.err);
    BOOST_TEST(bad.err.find("apart.csv: line 3 (officer E7, group caravan): starts or ends elsewhere") != std::string::npos, bad.err);
}

// Need from the areas: two squares, A (violent crime 1) around the station and B (crime 9) 2 km
// east; one officer with a cap of one visit. Events E_A in A (closer), E_B in B, E_X in neither.
// Priority index (share of areas no needier): A 1/2, B 1; E_X gets the lowest, 1/2. Without
// need the equal priorities go to the nearer party; with --priority crime:high the officer goes
// to B, and the priorities add up to 0.5 + 1 + 0.5.
BOOST_AUTO_TEST_CASE(cli_priority_from_the_areas_need_by_hand) {
    TempDir dir;
    const std::string areas = write_file(dir / "areas.geojson", R"({"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":"A","crime":1},"geometry":{"type":"Polygon","coordinates":[[[-80.85,35.22],[-80.83,35.22],[-80.83,35.24],[-80.85,35.24],[-80.85,35.22]]]}},
{"type":"Feature","properties":{"id":"B","crime":9},"geometry":{"type":"Polygon","coordinates":[[[-80.83,35.22],[-80.81,35.22],[-80.81,35.24],[-80.83,35.24],[-80.83,35.22]]]}}]})");
    const std::string events = write_file(dir / "events.csv",
                                          "id,name,lat,lon,start,end\nE_A,Near,35.230,-80.840,18:00,21:00\nE_B,Needy,35.230,-80.820,18:00,21:00\n"
                                          "E_X,Outside,35.300,-80.840,18:00,21:00\n");
    const std::string stations = write_file(dir / "stations.geojson", kStations);
    const std::string officers = write_file(dir / "officers.csv", "id,start,shift_start,shift_end,max_visits\nT1,S1,17:30,22:00,1\n");
    const std::string base = "-q route --events " + events + " --officers " + officers + " --stations " + stations + " --areas " + areas + " --iterations 300";
    const auto plain = cli(base + " --out " + (dir / "plain").string(), dir);
    BOOST_TEST_REQUIRE(plain.code == 0, plain.err);
    BOOST_TEST(read_text(dir / "plain" / "stops.csv").find("E_A") != std::string::npos);
    const auto need = cli(base + " --priority crime:high --out " + (dir / "need").string(), dir);
    BOOST_TEST_REQUIRE(need.code == 0, need.err);
    const std::string stops = read_text(dir / "need" / "stops.csv");
    BOOST_TEST(stops.find("E_B") != std::string::npos, stops);
    BOOST_TEST(stops.find("E_A") == std::string::npos, stops);
    const auto summary = nlohmann::json::parse(read_text(dir / "need" / "summary.json"));
    BOOST_TEST(summary["result"]["priority_total"].get<double>() == 2.0, boost::test_tools::tolerance(1e-12));
    BOOST_TEST(summary["result"]["priority_visited"].get<double>() == 1.0, boost::test_tools::tolerance(1e-12));
    BOOST_TEST(summary["parameters"]["priority_from_areas"]["events_outside_areas"].get<int>() == 1);
    BOOST_TEST(summary["parameters"]["priority_from_areas"]["field"].get<std::string>() == "crime");
    // Income-like need (low is needier) turns it around: A is the needier area.
    const auto low = cli(base + " --priority crime:low --out " + (dir / "low").string(), dir);
    BOOST_TEST_REQUIRE(low.code == 0, low.err);
    BOOST_TEST(read_text(dir / "low" / "stops.csv").find("E_A") != std::string::npos);
    // Without areas: one clear error.
    const auto bad = cli("-q route --events " + events + " --officers " + officers + " --stations " + stations + " --priority crime:high --out " +
                             (dir / "bad").string(), dir);
    BOOST_TEST(bad.code == 2);
    BOOST_TEST(bad.err.find("--priority crime needs --areas") != std::string::npos, bad.err);
}
