// Issue 13, items 4-7: statuses that tell the truth, headlines on the whole base and the smaller
// fixes, each on real data (the Charlotte and Liechtenstein samples in data/).
#define BOOST_TEST_MODULE statuses
#include <boost/test/unit_test.hpp>

#include "support.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdlib>
#include <limits>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <sys/wait.h>

using namespace nightout;
using namespace nightout::test;
namespace tt = boost::test_tools;

namespace {

struct Result {
    int code;
    std::string out, err;
};

Result nightout_cli(const std::string& args, const TempDir& dir) {
    std::string cmd = std::string(NIGHTOUT_BINARY) + " " + args + " >" + (dir / "stdout.txt").string() + " 2>" + (dir / "stderr.txt").string();
    int status = std::system(cmd.c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_text(dir / "stdout.txt"), read_text(dir / "stderr.txt")};
}

std::string charlotte(const std::string& name) { return source_dir() + "/data/charlotte/" + name; }
std::string liechtenstein(const std::string& name) { return source_dir() + "/data/liechtenstein/" + name; }

// A CSV read as rows of named cells.
std::vector<std::map<std::string, std::string>> read_csv(const fs::path& path) {
    std::istringstream in(read_text(path));
    std::string line;
    std::vector<std::string> header;
    std::vector<std::map<std::string, std::string>> rows;
    auto split = [](const std::string& l) {
        std::vector<std::string> cells;
        std::string cell;
        bool quoted = false;
        for (char c : l) {
            if (c == '"') quoted = !quoted;
            else if (c == ',' && !quoted) cells.push_back(cell), cell.clear();
            else if (c != '\r') cell += c;
        }
        cells.push_back(cell);
        return cells;
    };
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        auto cells = split(line);
        if (header.empty()) {
            header = cells;
            continue;
        }
        std::map<std::string, std::string> row;
        for (std::size_t i = 0; i < header.size() && i < cells.size(); ++i) row[header[i]] = cells[i];
        rows.push_back(std::move(row));
    }
    return rows;
}

nlohmann::json read_json(const fs::path& path) { return nlohmann::json::parse(read_text(path)); }

}  // namespace

// travel --nearest with --network: each event's nearest place by walking time, the argmin of the
// matrix's duration column (written before into nothing, exit 0); missing folders are created.
BOOST_AUTO_TEST_CASE(travel_nearest_along_streets) {
    TempDir dir;
    const fs::path out = dir / "new" / "travel";
    auto r = nightout_cli("travel -q --from " + liechtenstein("places.geojson") + " --to " + liechtenstein("events.csv") + " --network " +
                              liechtenstein("roads.osm.pbf") + " --profile walk --out " + (out / "matrix.csv").string() + " --nearest " +
                              (out / "nearest.csv").string(),
                          dir);
    BOOST_REQUIRE_MESSAGE(r.code == 0, r.err);
    const auto matrix = read_csv(out / "matrix.csv");
    const auto nearest = read_csv(out / "nearest.csv");
    BOOST_REQUIRE_EQUAL(nearest.size(), 25u);
    std::map<std::string, std::pair<double, std::string>> best;  // to_id -> (duration, from_id)
    for (const auto& row : matrix) {
        if (row.at("status") != "ok") continue;
        const double d = std::stod(row.at("duration_s"));
        auto it = best.find(row.at("to_id"));
        if (it == best.end() || d < it->second.first) best[row.at("to_id")] = {d, row.at("from_id")};
    }
    std::size_t differs_from_first = 0;
    for (const auto& row : nearest) {
        const auto& b = best.at(row.at("to_id"));
        BOOST_TEST(row.at("status") == "ok");
        BOOST_TEST(row.at("nearest_from_id") == b.second, row.at("to_id"));
        BOOST_TEST(std::stod(row.at("duration_s")) == b.first, tt::tolerance(1e-9));
        if (b.second != nearest.front().at("nearest_from_id")) ++differs_from_first;
    }
    BOOST_TEST(differs_from_first > 0u);  // not one origin for all: the choice is tested
}

// travel --out into a folder that does not exist yet creates it, as coverage does.
BOOST_AUTO_TEST_CASE(travel_out_creates_its_folder) {
    TempDir dir;
    const fs::path out = dir / "a" / "b" / "matrix.csv";
    auto r = nightout_cli("travel -q --from " + charlotte("police_stations.geojson") + " --to " + charlotte("events.csv") + " --out " + out.string() +
                              " --nearest " + (dir / "a" / "c" / "nearest.csv").string(),
                          dir);
    BOOST_REQUIRE_MESSAGE(r.code == 0, r.err);
    BOOST_TEST(read_csv(out).size() == 15u * 184u);
    BOOST_TEST(read_csv(dir / "a" / "c" / "nearest.csv").size() == 184u);
}

// Shapefile field names: letters, digits and '_', starting with a letter, at most 10
// characters, unique regardless of case; the .dbf holds exactly the names the map lists.
BOOST_AUTO_TEST_CASE(shapefile_field_names_are_valid) {
    TempDir dir;
    auto r = nightout_cli("coverage -q --areas " + charlotte("neighborhoods.geojson") + " --events " + charlotte("events.csv") + " --stations " +
                              charlotte("police_stations.geojson") + " --population-field p1 --radius 0.5mi,800m --format shp --out " +
                              (dir / "out").string(),
                          dir);
    BOOST_REQUIRE_MESSAGE(r.code == 0, r.err);
    const auto map = read_csv(dir / "out" / "shapefile_fields.csv");
    BOOST_REQUIRE(!map.empty());
    const std::regex valid("[A-Za-z][A-Za-z0-9_]{0,9}");
    std::map<std::string, std::set<std::string>> used;
    std::map<std::string, std::string> of_field;
    for (const auto& row : map) {
        const std::string& name = row.at("shapefile_field");
        BOOST_TEST(std::regex_match(name, valid), row.at("layer") << "." << row.at("field") << " -> " << name);
        std::string lower = name;
        for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        BOOST_TEST(used[row.at("layer")].insert(lower).second, name << " twice in " << row.at("layer"));
        if (row.at("layer") == "neighborhoods") of_field[row.at("field")] = name;
    }
    BOOST_TEST(of_field.at("covered_m2_0.5mi") == "covm20p5mi");
    // The Shapefile itself has the mapped names, with the values of the GeoJSON's full names.
    const auto shp = read_back(dir / "out" / "neighborhoods.shp");
    BOOST_REQUIRE(!shp.empty());
    BOOST_TEST(shp[0].number.count("covm20p5mi") == 1u);
}

// Shares take percents wherever they are taken: --min-coverage 50% is 0.5.
BOOST_AUTO_TEST_CASE(min_coverage_takes_percents) {
    TempDir dir;
    const std::string args = "coverage -q --areas " + charlotte("neighborhoods.geojson") + " --events " + charlotte("events.csv") + " --radius 800m ";
    auto a = nightout_cli(args + "--min-coverage 50% --out " + (dir / "pct").string(), dir);
    BOOST_REQUIRE_MESSAGE(a.code == 0, a.err);
    auto b = nightout_cli(args + "--min-coverage 0.5 --out " + (dir / "share").string(), dir);
    BOOST_REQUIRE_MESSAGE(b.code == 0, b.err);
    BOOST_TEST(read_json(dir / "pct" / "summary.json")["parameters"]["min_coverage"].get<double>() == 0.5);
    BOOST_TEST(read_json(dir / "pct" / "summary.json")["totals"].dump() == read_json(dir / "share" / "summary.json")["totals"].dump());
}

// A plan's mistakes are input errors (exit 3), also those a flag would make a usage error: a
// population_field the areas lack exited 2 from a plan.
BOOST_AUTO_TEST_CASE(plan_errors_exit_as_input_errors) {
    TempDir dir;
    const std::string plan = write_file(dir / "plan.toml", "[inputs]\nareas = \"" + charlotte("neighborhoods.geojson") + "\"\nevents = \"" +
                                                                charlotte("events.csv") + "\"\npopulation_field = \"residents\"\n[coverage]\nradius = [\"800m\"]\n");
    auto r = nightout_cli("plan -q " + plan + " --out " + (dir / "out").string(), dir);
    BOOST_TEST(r.code == 3, r.err);
    BOOST_TEST(r.err.find("nightout: error: " + plan + ": ") == 0u, r.err);
    BOOST_TEST(r.err.find("'residents'") != std::string::npos, r.err);
    // The same mistake on the command line stays a usage error.
    auto c = nightout_cli("coverage -q --areas " + charlotte("neighborhoods.geojson") + " --events " + charlotte("events.csv") +
                              " --population-field residents --out " + (dir / "cli").string(),
                          dir);
    BOOST_TEST(c.code == 2, c.err);
}

// A station nearest to no event has no mean or farthest distance (null), not 0 m.
BOOST_AUTO_TEST_CASE(station_nearest_to_no_event_has_null_distances) {
    TempDir dir;
    auto r = nightout_cli("coverage -q --areas " + charlotte("neighborhoods.geojson") + " --events " + charlotte("events.csv") + " --stations " +
                              charlotte("police_stations.geojson") + " --radius 800m --out " + (dir / "out").string(),
                          dir);
    BOOST_REQUIRE_MESSAGE(r.code == 0, r.err);
    const auto doc = read_json(dir / "out" / "stations.geojson");
    std::size_t idle = 0, busy = 0;
    for (const auto& f : doc["features"]) {
        const auto& p = f["properties"];
        if (p["events_nearest"].get<int>() == 0) {
            ++idle;
            BOOST_TEST(p["events_nearest_mean_m"].is_null(), p.dump());
            BOOST_TEST(p["events_nearest_max_m"].is_null(), p.dump());
        } else {
            ++busy;
            BOOST_TEST(p["events_nearest_mean_m"].get<double>() > 0);
        }
    }
    BOOST_TEST(idle > 0u);  // the sample has stations nearest to no event
    BOOST_TEST(busy > 0u);
}

// MCLP with more sites than people to reach: 100 m around a park reaches few neighborhood
// centroids, so most of -k 30 would add nobody. They are left out and a warning says so; the
// covered total is that of the sites kept, each of which adds someone.
BOOST_AUTO_TEST_CASE(mclp_stops_when_sites_add_nobody) {
    TempDir dir;
    const std::string args = "site -q --demand " + charlotte("neighborhoods.geojson") + " --population-field p1 --candidates " + charlotte("parks.geojson") +
                             " --model mclp --radius 100m ";
    auto r = nightout_cli(args + "-k 30 --out " + (dir / "k30").string(), dir);
    BOOST_REQUIRE_MESSAGE(r.code == 0, r.err);
    const auto s = read_json(dir / "k30" / "summary.json");
    const std::size_t kept = s["result"]["sites"].size();
    BOOST_TEST(kept < 30u);
    BOOST_TEST(s["sites_adding_nobody"].get<std::size_t>() == 30u - kept);
    double sum = 0;
    for (const auto& site : s["result"]["sites"]) {
        BOOST_TEST(site["marginal_demand"].get<double>() > 0, site.dump());
        sum += site["marginal_demand"].get<double>();
    }
    BOOST_TEST(sum == s["result"]["objective"].get<double>(), tt::tolerance(1e-6));
    bool warned = false;
    for (const auto& w : s["warnings"]) warned = warned || w.get<std::string>().find("would add nobody") != std::string::npos;
    BOOST_TEST(warned);
    // With exactly that many sites the optimum is the same: the others added nobody.
    auto e = nightout_cli(args + "-k " + std::to_string(kept) + " --out " + (dir / "exact").string(), dir);
    BOOST_REQUIRE_MESSAGE(e.code == 0, e.err);
    BOOST_TEST(read_json(dir / "exact" / "summary.json")["result"]["objective"].get<double>() == s["result"]["objective"].get<double>(),
               tt::tolerance(1e-9));
}
