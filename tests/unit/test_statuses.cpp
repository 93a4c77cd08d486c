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

// A small extract of a real file, to keep the tests fast: the first n features of a GeoJSON file,
// or the header and first n rows of a CSV.
std::string first_features(const std::string& geojson, std::size_t n, const fs::path& out) {
    nlohmann::json doc = read_json(geojson);
    doc["features"] = nlohmann::json(std::vector<nlohmann::json>(doc["features"].begin(), doc["features"].begin() + static_cast<std::ptrdiff_t>(n)));
    return write_file(out, doc.dump());
}
std::string first_rows(const std::string& csv, std::size_t n, const fs::path& out) {
    std::istringstream in(read_text(csv));
    std::string line, text;
    for (std::size_t i = 0; i <= n && std::getline(in, line); ++i) text += line + "\n";
    return write_file(out, text);
}

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
    const std::string areas = first_features(charlotte("neighborhoods.geojson"), 40, dir / "areas.geojson");
    auto r = nightout_cli("coverage -q --areas " + areas + " --events " + charlotte("events.csv") + " --stations " +
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
    const std::string args = "coverage -q --areas " + liechtenstein("municipalities.geojson") + " --events " + liechtenstein("events.csv") + " --radius 800m ";
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
    const std::string areas = first_features(charlotte("neighborhoods.geojson"), 20, dir / "areas.geojson");
    const std::string plan = write_file(dir / "plan.toml", "[inputs]\nareas = \"" + areas + "\"\nevents = \"" + charlotte("events.csv") +
                                                                "\"\npopulation_field = \"residents\"\n[coverage]\nradius = [\"800m\"]\n");
    auto r = nightout_cli("plan -q " + plan + " --out " + (dir / "out").string(), dir);
    BOOST_TEST(r.code == 3, r.err);
    BOOST_TEST(r.err.find("nightout: error: " + plan + ": ") == 0u, r.err);
    BOOST_TEST(r.err.find("'residents'") != std::string::npos, r.err);
    // The same mistake on the command line stays a usage error.
    auto c = nightout_cli("coverage -q --areas " + areas + " --events " + charlotte("events.csv") +
                              " --population-field residents --out " + (dir / "cli").string(),
                          dir);
    BOOST_TEST(c.code == 2, c.err);
}

// A station nearest to no event has no mean or farthest distance (null), not 0 m.
BOOST_AUTO_TEST_CASE(station_nearest_to_no_event_has_null_distances) {
    TempDir dir;
    // The first three sample events (libraries in the centre and the north): most stations serve none.
    const std::string areas = first_features(charlotte("neighborhoods.geojson"), 20, dir / "areas.geojson");
    const std::string events = first_rows(charlotte("events.csv"), 3, dir / "events.csv");
    auto r = nightout_cli("coverage -q --areas " + areas + " --events " + events + " --stations " + charlotte("police_stations.geojson") +
                              " --radius 800m --out " + (dir / "out").string(),
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

// MCLP with more sites than people to reach: 300 m around a park reaches few of 80 neighborhood
// centroids, so most of -k 30 would add nobody. They are left out and a warning says so; the
// covered total is that of the sites kept, each of which adds someone.
BOOST_AUTO_TEST_CASE(mclp_stops_when_sites_add_nobody) {
    TempDir dir;
    const std::string areas = first_features(charlotte("neighborhoods.geojson"), 80, dir / "areas.geojson");
    const std::string args = "site -q --demand " + areas + " --population-field p1 --candidates " + charlotte("parks.geojson") + " --model mclp --radius 300m ";
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

namespace {

// Events beside real Liechtenstein streets (data/liechtenstein/roads.osm.pbf, © OpenStreetMap
// contributors, ODbL): CUT1 and CUT2 lie 3-4 m from roads of parts of the drive network that are
// not strongly connected with the rest (cut by the extract's border), 708 and 445 m from the nearest
// kept road; FAR1 lies in the mountains, 1,096 m from any road; E001 is a sample event on a street.
const char* kOffNetworkEvents =
    "id,name,lat,lon,people,start,end\n"
    "E001,Park,47.1636426,9.5170886,100,18:00,21:00\n"
    "CUT1,Near a cut-off road,47.1976078,9.4923435,40,18:00,21:00\n"
    "CUT2,Near a cut-off road,47.1013902,9.5466826,60,18:00,21:00\n"
    "FAR1,In the mountains,47.12,9.60,25,18:00,21:00\n";

std::map<std::string, nlohmann::json> properties_by_id(const fs::path& geojson) {
    std::map<std::string, nlohmann::json> out;
    const nlohmann::json doc = read_json(geojson);
    for (const auto& f : doc["features"]) out[f["properties"]["id"].get<std::string>()] = f["properties"];
    return out;
}

}  // namespace

// Off the network for the right reason: near a dropped (cut-off) part, or far from any road; snap_m
// is the distance to the nearest kept road (it was 0.0 and every reason "more than 300 m"). With
// --max-snap just beyond it the same event snaps, at the same distance: the widened search found
// the nearest road.
BOOST_AUTO_TEST_CASE(off_network_reasons_in_coverage) {
    TempDir dir;
    const std::string events = write_file(dir / "events.csv", kOffNetworkEvents);
    const std::string args = "coverage -q --areas " + liechtenstein("municipalities.geojson") + " --events " + events + " --network " +
                             liechtenstein("roads.osm.pbf") + " --radius 1km ";
    auto r = nightout_cli(args + "--out " + (dir / "out").string(), dir);
    BOOST_REQUIRE_MESSAGE(r.code == 0, r.err);
    auto ev = properties_by_id(dir / "out" / "events.geojson");
    BOOST_TEST(ev["E001"]["network_status"] == "ok");
    BOOST_TEST(ev["E001"]["off_network_reason"].is_null());
    for (const char* id : {"CUT1", "CUT2"}) {
        BOOST_TEST(ev[id]["network_status"] == "off_network", id);
        BOOST_TEST(ev[id]["off_network_reason"] == "cut_off", id);
        BOOST_TEST(ev[id]["description"].get<std::string>().find("cut off from the rest") != std::string::npos, ev[id].dump());
    }
    BOOST_TEST(ev["FAR1"]["off_network_reason"] == "far_from_roads");
    BOOST_TEST(ev["CUT1"]["snap_m"].get<double>() == 708.15, tt::tolerance(0.5 / 708));
    BOOST_TEST(ev["CUT2"]["snap_m"].get<double>() == 444.63, tt::tolerance(0.5 / 445));
    BOOST_TEST(ev["FAR1"]["snap_m"].get<double>() == 1095.83, tt::tolerance(0.5 / 1096));
    const auto net = read_json(dir / "out" / "summary.json")["network"];
    BOOST_TEST(net["events_off_network"].get<int>() == 3);
    BOOST_TEST(net["events_cut_off"].get<int>() == 2);
    BOOST_TEST(r.err.empty());  // -q
    const auto warnings = read_json(dir / "out" / "summary.json")["warnings"].dump();
    BOOST_TEST(warnings.find("only of roads in a part of the network that was dropped") != std::string::npos, warnings);
    BOOST_TEST(warnings.find("(CUT1, CUT2)") != std::string::npos, warnings);
    BOOST_TEST(warnings.find("(FAR1)") != std::string::npos, warnings);
    // Within reach of the kept roads, each snaps at the distance reported when it did not.
    auto wide = nightout_cli(args + "--max-snap 1100m --out " + (dir / "wide").string(), dir);
    BOOST_REQUIRE_MESSAGE(wide.code == 0, wide.err);
    auto ev_wide = properties_by_id(dir / "wide" / "events.geojson");
    for (const char* id : {"CUT1", "CUT2", "FAR1"}) {
        BOOST_TEST(ev_wide[id]["network_status"] == "ok", id);
        BOOST_TEST(ev_wide[id]["snap_m"].get<double>() == ev[id]["snap_m"].get<double>(), tt::tolerance(1e-9));
    }
}

// A prebuilt .graph stores the dropped roads (version 3): the same statuses, reasons and snap
// distances with it as with the extract it was built from, in coverage, site and route.
BOOST_AUTO_TEST_CASE(cut_off_from_a_graph_file_as_from_the_extract) {
    TempDir dir;
    const std::string events = write_file(dir / "events.csv", kOffNetworkEvents);
    const std::string graph = (dir / "drive.graph").string();
    auto b = nightout_cli("graph build " + liechtenstein("roads.osm.pbf") + " --profile drive -o " + graph, dir);
    BOOST_REQUIRE_MESSAGE(b.code == 0, b.err);
    for (const std::string& net : {liechtenstein("roads.osm.pbf"), graph}) {
        const std::string tag = net == graph ? "graph" : "pbf";
        auto c = nightout_cli("coverage -q --areas " + liechtenstein("municipalities.geojson") + " --events " + events + " --network " + net +
                                  " --radius 1km --out " + (dir / ("cov-" + tag)).string(), dir);
        BOOST_REQUIRE_MESSAGE(c.code == 0, c.err);
        auto s = nightout_cli("site -q --demand " + events + " --population-field people --candidates " + liechtenstein("places.geojson") + " --network " + net +
                                  " --model mclp --radius 2km -k 1 --out " + (dir / ("site-" + tag)).string(), dir);
        BOOST_REQUIRE_MESSAGE(s.code == 0, s.err);
        auto r = nightout_cli("route -q --events " + events + " --officers " + liechtenstein("officers.csv") + " --stations " + liechtenstein("police.geojson") +
                                  " --network " + net + " --iterations 2000 --out " + (dir / ("route-" + tag)).string(), dir);
        BOOST_REQUIRE_MESSAGE(r.code == 0, r.err);
    }
    for (const char* layer : {"cov-%/events.geojson", "site-%/demand.geojson"}) {
        auto path = [&](const std::string& tag) { std::string p = layer; return dir / p.replace(p.find('%'), 1, tag); };
        auto a = properties_by_id(path("pbf")), g = properties_by_id(path("graph"));
        BOOST_REQUIRE_EQUAL(a.size(), g.size());
        std::size_t cut_off = 0;
        for (const auto& [id, p] : a) {
            BOOST_TEST(g[id]["network_status"] == p["network_status"], layer << " " << id);
            BOOST_TEST(g[id]["off_network_reason"] == p["off_network_reason"], layer << " " << id);
            if (p["snap_m"].is_number()) BOOST_TEST(g[id]["snap_m"].get<double>() == p["snap_m"].get<double>(), tt::tolerance(1e-9));
            else BOOST_TEST(g[id]["snap_m"].is_null(), layer << " " << id);
            cut_off += p["off_network_reason"] == "cut_off";
        }
        BOOST_TEST(cut_off == 2u, layer);  // CUT1 and CUT2
    }
    BOOST_TEST(read_json(dir / "cov-graph" / "summary.json")["network"]["events_cut_off"].get<int>() == 2);
    BOOST_TEST(read_json(dir / "site-graph" / "summary.json")["network"]["off_network_demand_cut_off"].get<double>() == 100.0);
    std::map<std::string, std::string> reason_pbf, reason_graph;
    for (const auto& row : read_csv(dir / "route-pbf" / "unvisited.csv")) reason_pbf[row.at("event_id")] = row.at("reason") + " " + row.at("snap_m");
    for (const auto& row : read_csv(dir / "route-graph" / "unvisited.csv")) reason_graph[row.at("event_id")] = row.at("reason") + " " + row.at("snap_m");
    BOOST_TEST(reason_pbf.size() >= 3u);
    for (const auto& [id, reason] : reason_pbf) BOOST_TEST(reason_graph[id] == reason, id);
    BOOST_TEST(reason_graph["CUT1"].find("cut off from the rest") != std::string::npos, reason_graph["CUT1"]);
}

// The same reasons in site (the demand layer) and route (unvisited.csv).
BOOST_AUTO_TEST_CASE(off_network_reasons_in_site_and_route) {
    TempDir dir;
    const std::string events = write_file(dir / "events.csv", kOffNetworkEvents);
    auto s = nightout_cli("site -q --demand " + events + " --population-field people --candidates " + liechtenstein("places.geojson") + " --network " +
                              liechtenstein("roads.osm.pbf") + " --model mclp --radius 2km -k 1 --out " + (dir / "site").string(),
                          dir);
    BOOST_REQUIRE_MESSAGE(s.code == 0, s.err);
    auto dem = properties_by_id(dir / "site" / "demand.geojson");
    BOOST_TEST(dem["E001"]["network_status"] == "ok");
    BOOST_TEST(dem["CUT1"]["network_status"] == "off_network");
    BOOST_TEST(dem["CUT1"]["off_network_reason"] == "cut_off");
    BOOST_TEST(dem["CUT2"]["off_network_reason"] == "cut_off");
    BOOST_TEST(dem["FAR1"]["off_network_reason"] == "far_from_roads");
    BOOST_TEST(dem["CUT1"]["snap_m"].get<double>() == 708.15, tt::tolerance(0.5 / 708));
    BOOST_TEST(dem["FAR1"]["off_network_demand"].get<double>() == 25.0);
    const auto net = read_json(dir / "site" / "summary.json")["network"];
    BOOST_TEST(net["off_network_demand"].get<double>() == 125.0);
    BOOST_TEST(net["off_network_demand_cut_off"].get<double>() == 100.0);

    auto r = nightout_cli("route -q --events " + events + " --officers " + liechtenstein("officers.csv") + " --stations " + liechtenstein("police.geojson") +
                              " --network " + liechtenstein("roads.osm.pbf") + " --iterations 2000 --out " + (dir / "route").string(),
                          dir);
    BOOST_REQUIRE_MESSAGE(r.code == 0, r.err);
    std::map<std::string, std::map<std::string, std::string>> unvisited;
    for (const auto& row : read_csv(dir / "route" / "unvisited.csv")) unvisited[row.at("event_id")] = row;
    BOOST_REQUIRE(unvisited.count("CUT1") == 1u);
    BOOST_TEST(unvisited["CUT1"]["reason"].find("cut off from the rest") != std::string::npos, unvisited["CUT1"]["reason"]);
    BOOST_TEST(std::stod(unvisited["CUT1"]["snap_m"]) == 708.15, tt::tolerance(0.5 / 708));
    BOOST_TEST(unvisited["FAR1"]["reason"].find("more than 300 m from a road") != std::string::npos, unvisited["FAR1"]["reason"]);
    BOOST_TEST(std::stod(unvisited["FAR1"]["snap_m"]) == 1095.83, tt::tolerance(0.5 / 1096));
    BOOST_TEST(unvisited.count("E001") == 0u);
}

// Site figures of every resident: the 125 of 225 people off the network stay in the base. The
// covered share is the covered people over all 225 (it was over the 100 on the network: 100%).
BOOST_AUTO_TEST_CASE(site_shares_of_all_residents) {
    TempDir dir;
    const std::string events = write_file(dir / "events.csv", kOffNetworkEvents);
    auto s = nightout_cli("site -q --demand " + events + " --population-field people --candidates " + liechtenstein("places.geojson") + " --network " +
                              liechtenstein("roads.osm.pbf") + " --model mclp --radius 2km -k 1 --out " + (dir / "site").string(),
                          dir);
    BOOST_REQUIRE_MESSAGE(s.code == 0, s.err);
    const auto totals = read_json(dir / "site" / "summary.json")["totals"];
    BOOST_TEST(totals["demand"].get<double>() == 225.0);
    BOOST_TEST(totals["demand_on_network"].get<double>() == 100.0);
    BOOST_TEST(totals["off_network_demand"].get<double>() == 125.0);
    BOOST_TEST(totals["off_network_share"].get<double>() == 125.0 / 225, tt::tolerance(1e-5));
    double covered = 0;
    for (const auto& [id, p] : properties_by_id(dir / "site" / "demand.geojson")) covered += p["covered_after"].get<double>();
    BOOST_TEST(covered == 100.0);  // E001, 992 m by road from Schaan
    BOOST_TEST(totals["after"]["covered_share"].get<double>() == covered / 225, tt::tolerance(1e-5));
    BOOST_TEST(s.out.find("off the road network: 125 of 225 people") != std::string::npos, s.out);
}

// Two models, said aloud: the site model (demand at area points) and coverage's area model. The
// area model's "before" is exactly coverage's population share at the same reach (60 Charlotte neighborhoods, 800 m,
// the 184 events), and the report shows the area model's "after" beside the site model's.
BOOST_AUTO_TEST_CASE(site_area_model_matches_coverage) {
    TempDir dir;
    const std::string areas = first_features(charlotte("neighborhoods.geojson"), 60, dir / "areas.geojson");
    const std::string plan = write_file(dir / "plan.toml", "[inputs]\nareas = \"" + areas + "\"\nevents = \"" +
                                                                charlotte("events.csv") + "\"\npopulation_field = \"p1\"\n[coverage]\nradius = [\"800m\"]\n" +
                                                                "[site]\nmodel = \"mclp\"\nk = 3\nradius = \"800m\"\ncandidates = [\"" + charlotte("parks.geojson") +
                                                                "\"]\nkeep_events = true\n");
    auto r = nightout_cli("plan -q " + plan + " --out " + (dir / "out").string(), dir);
    BOOST_REQUIRE_MESSAGE(r.code == 0, r.err);
    const auto s = read_json(dir / "out" / "summary.json");
    const auto& area_model = s["steps"]["site"]["totals"]["area_model"];
    const double coverage_share = s["steps"]["coverage"]["totals"]["per_radius"][0]["population_share"].get<double>();
    BOOST_TEST(area_model["covered_share_before"].get<double>() == coverage_share, tt::tolerance(2e-6));
    BOOST_TEST(area_model["covered_share_after"].get<double>() > coverage_share);
    BOOST_TEST(s["steps"]["site"]["totals"]["model"].get<std::string>().find("site model") == 0u);
    const std::string html = read_text(dir / "out" / "report.html");
    char area_after[64];
    std::snprintf(area_after, sizeof area_after, "area model %.1f%%", 100 * area_model["covered_share_after"].get<double>());
    BOOST_TEST(html.find(area_after) != std::string::npos, area_after);
    BOOST_TEST(html.find("after (site model)") != std::string::npos);
}

// --dropped-roads: the parts of the network that were cut off, as a layer; CUT1 lies 4 m from a
// vertex of one of them (haversine, independent of the engine's geodesics).
BOOST_AUTO_TEST_CASE(dropped_roads_layer) {
    TempDir dir;
    const std::string events = write_file(dir / "events.csv", kOffNetworkEvents);
    auto r = nightout_cli("coverage -q --areas " + liechtenstein("municipalities.geojson") + " --events " + events + " --network " +
                              liechtenstein("roads.osm.pbf") + " --radius 1km --dropped-roads --out " + (dir / "out").string(),
                          dir);
    BOOST_REQUIRE_MESSAGE(r.code == 0, r.err);
    const nlohmann::json doc = read_json(dir / "out" / "dropped_roads.geojson");
    BOOST_REQUIRE(!doc["features"].empty());
    const double lat0 = 47.1976078 * M_PI / 180, lon0 = 9.4923435 * M_PI / 180;
    double nearest = 1e300;
    for (const auto& f : doc["features"]) {
        BOOST_TEST(f["geometry"]["type"] == "LineString");
        for (const auto& c : f["geometry"]["coordinates"]) {
            const double lat = c[1].get<double>() * M_PI / 180, lon = c[0].get<double>() * M_PI / 180;
            const double h = std::pow(std::sin((lat - lat0) / 2), 2) + std::cos(lat0) * std::cos(lat) * std::pow(std::sin((lon - lon0) / 2), 2);
            nearest = std::min(nearest, 2 * 6371008.8 * std::asin(std::sqrt(h)));
        }
    }
    BOOST_TEST(nearest == 4.0, tt::tolerance(0.05));
    // Without the flag there is no such layer.
    auto plain = nightout_cli("coverage -q --areas " + liechtenstein("municipalities.geojson") + " --events " + events + " --network " +
                                  liechtenstein("roads.osm.pbf") + " --radius 1km --out " + (dir / "plain").string(),
                              dir);
    BOOST_REQUIRE_MESSAGE(plain.code == 0, plain.err);
    BOOST_TEST(!fs::exists(dir / "plain" / "dropped_roads.geojson"));
}
