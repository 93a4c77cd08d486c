#define BOOST_TEST_MODULE cli
#include <boost/test/unit_test.hpp>

#include "geo/geodesic.hpp"
#include "support.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdlib>
#include <set>
#include <sstream>
#include <sys/wait.h>

using namespace nightout;
using namespace nightout::test;
namespace tt = boost::test_tools;

namespace {

std::string sample(const std::string& name) { return source_dir() + "/data/charlotte/" + name; }

const std::string kSampleArgs = "--areas " + sample("neighborhoods.geojson") + " --events " + sample("events.csv") + " --stations " +
                                sample("police_stations.geojson") + " --population-field p1";

// Signed area of a ring (lon/lat): positive when counter-clockwise.
double signed_area(const nlohmann::json& ring) {
    double s = 0;
    for (std::size_t i = 0; i + 1 < ring.size(); ++i)
        s += ring[i][0].get<double>() * ring[i + 1][1].get<double>() - ring[i + 1][0].get<double>() * ring[i][1].get<double>();
    return s / 2;
}

// RFC 7946: no crs member, lon/lat ranges, outer rings counter-clockwise and holes clockwise, at most 7 decimals.
void check_rfc7946(const fs::path& path) {
    std::string text = read_text(path);
    auto doc = nlohmann::json::parse(text);
    BOOST_TEST(!doc.contains("crs"), path.filename());
    BOOST_TEST(doc["type"] == "FeatureCollection");
    std::size_t decimals = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '.' || i == 0 || !std::isdigit(static_cast<unsigned char>(text[i - 1]))) continue;
        std::size_t j = i + 1;
        while (j < text.size() && std::isdigit(static_cast<unsigned char>(text[j]))) ++j;
        if (text.compare(j, 1, "]") == 0 || text.compare(j, 2, ", ") == 0) decimals = std::max(decimals, j - i - 1);
    }
    BOOST_TEST(decimals <= 7u, path.filename() << " has " << decimals << " decimals");
    for (const auto& f : doc["features"]) {
        const auto& g = f["geometry"];
        if (g["type"] == "Point") {
            BOOST_TEST(std::fabs(g["coordinates"][0].get<double>()) <= 180);
            BOOST_TEST(std::fabs(g["coordinates"][1].get<double>()) <= 90);
            continue;
        }
        std::vector<nlohmann::json> polys;
        if (g["type"] == "Polygon") polys.push_back(g["coordinates"]);
        else
            for (const auto& p : g["coordinates"]) polys.push_back(p);
        for (const auto& p : polys)
            for (std::size_t r = 0; r < p.size(); ++r) BOOST_TEST((r == 0 ? signed_area(p[r]) > 0 : signed_area(p[r]) < 0));
    }
}

}  // namespace

BOOST_AUTO_TEST_CASE(sample_end_to_end_geojson) {
    TempDir dir;
    auto r = nightout_cli("coverage " + kSampleArgs + " --radius 400m,800m --out " + (dir / "out").string(), dir);
    BOOST_REQUIRE_MESSAGE(r.code == 0, r.err);
    BOOST_TEST(r.out.find("464 areas") != std::string::npos);
    for (const char* f : {"neighborhoods.geojson", "gaps.geojson", "events.geojson", "stations.geojson", "neighborhoods.csv", "summary.json"})
        BOOST_TEST(fs::exists(dir / "out" / f), f);
    for (const char* f : {"neighborhoods.geojson", "gaps.geojson", "events.geojson", "stations.geojson"}) check_rfc7946(dir / "out" / f);

    auto areas = read_back(dir / "out" / "neighborhoods.geojson");
    auto summary = nlohmann::json::parse(read_text(dir / "out" / "summary.json"));
    BOOST_REQUIRE(areas.size() == 464u);
    double pop = 0, pop_cov = 0, area = 0, covered = 0;
    std::set<double> ranks;
    int underserved = 0, acres_agree = 0;
    for (auto& a : areas) {
        for (const char* f : {"area_m2", "population", "covered_share_400m", "covered_share_800m", "population_covered_800m", "rank_800m",
                              "events_inside", "nearest_event_m", "p3"})
            BOOST_TEST(a.number.count(f) == 1u, f);
        BOOST_TEST(a.text.count("fill") == 1u);
        // p3 is the county's own area in acres, rounded: ours agrees within 1% for all but one area
        // (NPA 316's p3 is less than half its polygon's area)
        acres_agree += std::fabs(a.number["area_m2"] / 4046.8564224 / a.number["p3"] - 1) < 0.01;
        BOOST_TEST(a.number["population"] == a.number["p1"]);
        pop += a.number["population"];
        pop_cov += a.number["population_covered_800m"];
        area += a.number["area_m2"];
        covered += a.number["covered_m2_800m"];
        ranks.insert(a.number["rank_800m"]);
        underserved += a.number["covered_share_800m"] < 0.5;
        BOOST_TEST((a.text["underserved_800m"] == "1") == (a.number["covered_share_800m"] < 0.5));
        if (a.number["events_inside"] > 0) BOOST_TEST(a.number["covered_share_400m"] > 0);
    }
    BOOST_TEST(ranks.size() == 464u);
    BOOST_TEST(acres_agree >= 463);
    const auto& t = summary["totals"];
    BOOST_TEST(t["population"].get<double>() == pop, tt::tolerance(1e-9));
    BOOST_TEST(t["per_radius"][1]["population_covered"].get<double>() == pop_cov, tt::tolerance(1e-6));
    BOOST_TEST(t["per_radius"][1]["covered_share"].get<double>() == covered / area, tt::tolerance(1e-5));
    BOOST_TEST(t["per_radius"][1]["underserved_areas"].get<int>() == underserved);
    BOOST_TEST(t["events"].get<int>() == 184);

    // Each event's nearest station, checked by brute force over the 15 stations.
    auto events = read_back(dir / "out" / "events.geojson");
    auto stations = read_back(dir / "out" / "stations.geojson");
    BOOST_REQUIRE(events.size() == 184u);
    BOOST_REQUIRE(stations.size() == 15u);
    std::map<std::string, int> served;
    for (auto& e : events) {
        auto* p = e.geometry->toPoint();
        double best = 1e300;
        std::string best_id;
        for (auto& s : stations) {
            auto* q = s.geometry->toPoint();
            double d = geodesic_distance(p->getX(), p->getY(), q->getX(), q->getY());
            if (d < best) best = d, best_id = s.text["id"];
        }
        BOOST_TEST(e.text["nearest_station_id"] == best_id);
        BOOST_TEST(std::fabs(e.number["nearest_station_m"] - best) < 0.02);  // coordinates are rounded to 7 decimals (~1 cm)
        served[best_id]++;
    }
    for (auto& s : stations) BOOST_TEST(s.number["events_nearest"] == served[s.text["id"]]);

    // Gaps carry their radius, and their areas add up to the uncovered area.
    double gap400 = 0;
    for (auto& g : read_back(dir / "out" / "gaps.geojson"))
        if (g.text["radius"] == "400m") gap400 += g.number["gap_m2"];
    BOOST_TEST(gap400 == area - t["per_radius"][0]["covered_m2"].get<double>(), tt::tolerance(1e-6));
}

BOOST_AUTO_TEST_CASE(single_radius_unsuffixed_and_all_formats) {
    TempDir dir;
    auto r = nightout_cli("coverage -q " + kSampleArgs + " --radius 0.5mi --format gpkg,fgb,shp,kml --out " + (dir / "out").string(), dir);
    BOOST_REQUIRE_MESSAGE(r.code == 0, r.err);
    BOOST_TEST(r.err.empty(), r.err);  // -q: nothing on stderr
    for (const std::string layer : {"neighborhoods", "gaps", "events", "stations"}) {
        auto gpkg = read_back(dir / "out" / "nightout.gpkg", layer);
        auto fgb = read_back(dir / "out" / (layer + ".fgb"));
        auto shp = read_back(dir / "out" / (layer + ".shp"));
        auto kml = read_back(dir / "out" / (layer + ".kml"));
        BOOST_TEST(gpkg.size() > 0u);
        BOOST_TEST(fgb.size() == gpkg.size());
        BOOST_TEST(shp.size() == gpkg.size());
        BOOST_TEST(kml.size() == gpkg.size());
    }
    auto gpkg = read_back(dir / "out" / "nightout.gpkg", "neighborhoods");
    BOOST_TEST(gpkg[0].number.count("covered_share") == 1u);
    BOOST_TEST(gpkg[0].text.count("fill") == 0u);  // simplestyle only in GeoJSON and KML
    auto shp = read_back(dir / "out" / "neighborhoods.shp");
    BOOST_TEST(shp[0].number["cov_share"] == gpkg[0].number["covered_share"], tt::tolerance(1e-9));
    BOOST_TEST(read_text(dir / "out" / "shapefile_fields.csv").find("neighborhoods,covered_share,cov_share") != std::string::npos);
}

// --title names report.html (its <title> and heading, escaped); without --report it is a usage error.
BOOST_AUTO_TEST_CASE(report_title) {
    TempDir dir;
    auto r = nightout_cli("coverage -q " + kSampleArgs + " --radius 800m --report --title 'Night Out <2026> & after' --out " + (dir / "out").string(), dir);
    BOOST_REQUIRE_MESSAGE(r.code == 0, r.err);
    const std::string html = read_text(dir / "out" / "report.html");
    BOOST_TEST(html.find("<title>Night Out &lt;2026&gt; &amp; after</title>") != std::string::npos);
    BOOST_TEST(html.find("<h1 id=\"title\">Night Out &lt;2026&gt; &amp; after</h1>") != std::string::npos);
    BOOST_TEST(html.find("Event coverage:") == std::string::npos);
    auto no_report = nightout_cli("coverage -q " + kSampleArgs + " --radius 800m --title X --out " + (dir / "out2").string(), dir);
    BOOST_TEST(no_report.code == 2);
    BOOST_TEST(no_report.err.find("--title needs --report") != std::string::npos, no_report.err);
}

BOOST_AUTO_TEST_CASE(exit_codes) {
    TempDir dir;
    auto missing = nightout_cli("coverage --areas " + (dir / "none.geojson").string() + " --events " + sample("events.csv") +
                                    " --radius 800m --out " + (dir / "o").string(),
                                dir);
    BOOST_TEST(missing.code == 3);
    BOOST_TEST(missing.err.find("none.geojson: areas file not found") != std::string::npos, missing.err);
    BOOST_TEST(missing.err.find("nightout: error:") == missing.err.rfind("nightout: error:"));  // one clear line
    BOOST_TEST(missing.err.find("nightout: error:") != std::string::npos);
    BOOST_TEST(!fs::exists(dir / "o"));

    auto unitless = nightout_cli("coverage " + kSampleArgs + " --radius 800 --out " + (dir / "o").string(), dir);
    BOOST_TEST(unitless.code == 2);
    BOOST_TEST(unitless.err.find("has no unit") != std::string::npos, unitless.err);

    auto unknown_flag = nightout_cli("coverage --bogus", dir);
    BOOST_TEST(unknown_flag.code == 2);

    write_file(dir / "file", "x");
    auto bad_out = nightout_cli("coverage " + kSampleArgs + " --radius 800m --out " + (dir / "file" / "o").string(), dir);
    BOOST_TEST(bad_out.code == 4, bad_out.err);
}

BOOST_AUTO_TEST_CASE(travel_matrix) {
    TempDir dir;
    auto r = nightout_cli("travel -q --from " + sample("police_stations.geojson") + " --to " + sample("events.csv") + " --out " +
                              (dir / "m.csv").string() + " --nearest " + (dir / "n.csv").string(),
                          dir);
    BOOST_REQUIRE_MESSAGE(r.code == 0, r.err);
    std::istringstream m(read_text(dir / "m.csv"));
    std::string line;
    std::getline(m, line);
    BOOST_TEST(line == "from_id,to_id,distance_m");
    std::size_t rows = 0;
    while (std::getline(m, line)) ++rows;
    BOOST_TEST(rows == 15u * 184u);
    // spot check one pair against a direct geodesic: station 1 (South Division) to event E001 (Main Library)
    std::istringstream m2(read_text(dir / "m.csv"));
    std::getline(m2, line);
    std::getline(m2, line);
    BOOST_TEST(line.rfind("1,E001,", 0) == 0u);
    double d = std::stod(line.substr(7));
    BOOST_TEST(std::fabs(d - geodesic_distance(-80.856569, 35.085929, -80.840725, 35.228865)) <= 0.0005);  // printed to the mm
    BOOST_TEST(read_text(dir / "n.csv").rfind("to_id,nearest_from_id,distance_m\nE001,", 0) == 0u);
}

// A write that the system refuses (here a file-size limit: EFBIG, as a full disk gives ENOSPC)
// names the file the user asked for, never the hidden staging folder, with the OS's reason,
// and leaves nothing behind.
BOOST_AUTO_TEST_CASE(refused_writes_name_the_final_path_and_the_reason) {
    for (const char* format : {"geojson", "gpkg", "fgb", "shp", "kml"}) {
        BOOST_TEST_CONTEXT(format) {
            TempDir dir;
            const std::string out = (dir / "out").string();
            const std::string cmd = std::string("sh -c \"trap '' XFSZ; ulimit -f 200; exec ") + NIGHTOUT_BINARY + " coverage -q " + kSampleArgs +
                                    " --radius 400m --format " + format + " --out " + out + "\" >" + (dir / "stdout.txt").string() + " 2>" +
                                    (dir / "stderr.txt").string();
            const int status = std::system(cmd.c_str());
            const std::string err = read_text(dir / "stderr.txt");
            BOOST_TEST(WIFEXITED(status));
            BOOST_TEST(WEXITSTATUS(status) == 4, err);
            BOOST_TEST(err.find("nightout: error: " + out + "/") == 0u, err);
            // FlatGeobuf fails later, re-reading its temporary file, and GDAL no longer knows why.
            if (std::string(format) != "fgb") BOOST_TEST(err.find("(File too large)") != std::string::npos, err);
            BOOST_TEST(err.find("nightout-tmp") == std::string::npos, err);
            BOOST_TEST(std::count(err.begin(), err.end(), '\n') == 1, err);
            std::set<std::string> left;
            for (const auto& e : std::filesystem::directory_iterator(dir.path())) left.insert(e.path().filename().string());
            BOOST_TEST((left == std::set<std::string>{"stderr.txt", "stdout.txt"}));
        }
    }
}
