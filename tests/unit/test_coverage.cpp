#define BOOST_TEST_MODULE coverage
#include <boost/test/unit_test.hpp>

#include "jobs/coverage_job.hpp"
#include "support.hpp"


#include <cmath>

using namespace nightout;
using namespace nightout::test;
namespace tt = boost::test_tools;

namespace {

// A metric CRS centred on (35N, 80W) for hand-worked cases: coordinates are meters from the centre.
const std::string kLocal = "+proj=aeqd +lat_0=35 +lon_0=-80 +datum=WGS84 +units=m +no_defs +type=crs";

struct Outcome {
    nlohmann::json summary;
    std::vector<ReadFeature> areas, gaps;
};

Outcome run(const TempDir& dir, const std::string& areas_csv, const std::string& events_csv, const std::string& radius,
            const std::string& crs = kLocal, const std::string& population_field = "", const std::string& population_csv = "",
            unsigned threads = 2) {
    CoverageJob job;
    job.areas.path = write_file(dir / "areas.csv", areas_csv);
    job.events.path = write_file(dir / "events.csv", events_csv);
    job.areas.crs = job.events.crs = crs;
    if (!population_csv.empty()) {
        job.population.path = write_file(dir / "population.csv", population_csv);
        job.population.crs = crs;
    }
    job.population_field = population_field;
    job.options.radii = parse_distance_list(radius, "--radius");
    job.out_dir = (dir / "out").string();
    job.threads = threads;
    Log log(true);
    Outcome o;
    o.summary = run_coverage(job, log);
    o.areas = read_back(dir / "out" / "neighborhoods.geojson");
    o.gaps = read_back(dir / "out" / "gaps.geojson");
    return o;
}

constexpr double kPi = 3.14159265358979323846;

// Area of an ellipsoidal quadrangle between two parallels and two meridians (WGS84),
// from the authalic-latitude formula: independent of PROJ and GEOS.
double quadrangle_area(double lat1, double lat2, double dlon_deg) {
    const double a = 6378137.0, f = 1 / 298.257223563, b = a * (1 - f), e = std::sqrt(f * (2 - f));
    auto q = [&](double lat) {
        double s = std::sin(lat * kPi / 180);
        return s / (1 - e * e * s * s) + std::log((1 + e * s) / (1 - e * s)) / (2 * e);
    };
    return dlon_deg * kPi / 180 * b * b / 2 * (q(lat2) - q(lat1));
}

}  // namespace

BOOST_AUTO_TEST_CASE(square_with_event_at_centre) {
    TempDir dir;
    auto o = run(dir, "id,wkt\nA,\"POLYGON((-500 -500,500 -500,500 500,-500 500,-500 -500))\"\n", "id,x,y\ne1,0,0\n", "300m");
    BOOST_REQUIRE(o.areas.size() == 1u);
    auto& a = o.areas[0];
    BOOST_TEST(a.number["covered_m2"] == kPi * 0.09e6, tt::tolerance(1e-3));  // pi * 0.09 km^2 within 0.1%
    BOOST_TEST(a.number["area_m2"] == 1e6, tt::tolerance(1e-4));
    BOOST_TEST(a.number["events_inside"] == 1);
    BOOST_TEST(a.number["nearest_event_m"] < 0.01);  // centroid and event coincide, up to transform round trips
    BOOST_TEST(a.number["rank"] == 1);
    BOOST_TEST(a.text["underserved"] == "1");  // 28% covered < 0.5
    BOOST_REQUIRE(o.gaps.size() == 1u);
    BOOST_TEST(o.gaps[0].number["gap_m2"] == 1e6 - kPi * 0.09e6, tt::tolerance(1e-3));
    BOOST_TEST(o.gaps[0].text["radius"] == "300m");
}

BOOST_AUTO_TEST_CASE(two_overlapping_buffers) {
    TempDir dir;
    auto o = run(dir, "id,wkt\nA,\"POLYGON((-1000 -1000,1000 -1000,1000 1000,-1000 1000,-1000 -1000))\"\n",
                 "id,x,y\ne1,-200,0\ne2,200,0\n", "300m");
    const double r = 300, d = 400;
    const double lens = 2 * r * r * std::acos(d / (2 * r)) - d / 2 * std::sqrt(4 * r * r - d * d);
    BOOST_TEST(o.areas[0].number["covered_m2"] == 2 * kPi * r * r - lens, tt::tolerance(1e-3));
    BOOST_TEST(o.areas[0].number["events_inside"] == 2);
}

BOOST_AUTO_TEST_CASE(polygon_with_hole) {
    TempDir dir;
    auto o = run(dir,
                 "id,wkt\nA,\"POLYGON((-500 -500,500 -500,500 500,-500 500,-500 -500),(-100 -100,-100 100,100 100,100 -100,-100 -100))\"\n",
                 "id,x,y\ne1,0,0\n", "300m");
    BOOST_TEST(o.areas[0].number["area_m2"] == 0.96e6, tt::tolerance(1e-4));
    BOOST_TEST(o.areas[0].number["covered_m2"] == kPi * 0.09e6 - 0.04e6, tt::tolerance(1e-3));
    BOOST_TEST(o.areas[0].number["events_inside"] == 0);  // the event sits in the hole
}

BOOST_AUTO_TEST_CASE(multipolygon) {
    TempDir dir;
    auto o = run(dir,
                 "id,wkt\nA,\"MULTIPOLYGON(((-1500 -500,-500 -500,-500 500,-1500 500,-1500 -500)),((500 -500,1500 -500,1500 500,500 500,500 -500)))\"\n",
                 "id,x,y\ne1,-1000,0\ne2,1000,0\n", "300m");
    BOOST_TEST(o.areas[0].number["area_m2"] == 2e6, tt::tolerance(1e-4));
    BOOST_TEST(o.areas[0].number["covered_m2"] == 2 * kPi * 0.09e6, tt::tolerance(1e-3));
    BOOST_TEST(o.areas[0].number["events_inside"] == 2);
}

// A neighborhood straddling 78W, the border of UTM zones 17 and 18: its area matches the
// ellipsoidal formula and a buffer on the border keeps its size.
BOOST_AUTO_TEST_CASE(across_utm_zone_border) {
    TempDir dir;
    auto o = run(dir, "id,wkt\nA,\"POLYGON((-78.01 35.49,-77.99 35.49,-77.99 35.51,-78.01 35.51,-78.01 35.49))\"\n",
                 "id,lon,lat\ne1,-78.0,35.5\n", "500m", "");
    BOOST_TEST(o.areas[0].number["area_m2"] == quadrangle_area(35.49, 35.51, 0.02), tt::tolerance(1e-5));
    BOOST_TEST(o.areas[0].number["covered_m2"] == kPi * 0.25e6, tt::tolerance(1e-3));
}

BOOST_AUTO_TEST_CASE(equal_area_projection_is_exact) {
    TempDir dir;
    // The event 45 km away (within the 50 km beyond which it would be far off, see test_far_off).
    auto o = run(dir, "id,wkt\nA,\"POLYGON((-80.82 35.2,-80.81 35.2,-80.81 35.21,-80.82 35.21,-80.82 35.2))\"\n", "id,lon,lat\ne1,-80.32,35.2\n",
                 "100m", "");
    BOOST_TEST(o.areas[0].number["area_m2"] == quadrangle_area(35.2, 35.21, 0.01), tt::tolerance(1e-6));
    BOOST_TEST(o.areas[0].number["covered_m2"] == 0.0);
    BOOST_TEST(o.areas[0].number["nearest_event_m"] > 40000);
}

BOOST_AUTO_TEST_CASE(uniform_population_and_ranking) {
    TempDir dir;
    auto o = run(dir,
                 "id,pop,wkt\n"
                 "A,1000,\"POLYGON((-500 -500,500 -500,500 500,-500 500,-500 -500))\"\n"
                 "B,50,\"POLYGON((2000 -100,2200 -100,2200 100,2000 100,2000 -100))\"\n"
                 "C,400,\"POLYGON((5000 -500,6000 -500,6000 500,5000 500,5000 -500))\"\n",
                 "id,x,y\ne1,500,500\ne2,2100,0\n", "300m", kLocal, "pop");
    auto& a = o.areas[0];
    double quarter = kPi * 0.09e6 / 4;
    BOOST_TEST(a.number["covered_m2"] == quarter, tt::tolerance(1e-3));
    BOOST_TEST(a.number["population_covered"] == 1000 * a.number["covered_m2"] / a.number["area_m2"], tt::tolerance(1e-4));
    BOOST_TEST(o.areas[1].number["covered_share"] == 1.0);  // B lies wholly within 300 m of e2
    BOOST_TEST(o.areas[1].text["underserved"] == "0");
    // uncovered people: A ~ 929, C 400, B 0
    BOOST_TEST(a.number["rank"] == 1);
    BOOST_TEST(o.areas[2].number["rank"] == 2);
    BOOST_TEST(o.areas[1].number["rank"] == 3);
    BOOST_TEST(o.summary["totals"]["population"].get<double>() == 1450.0);
    double gap_pop = 0;
    for (auto& g : o.gaps) gap_pop += g.number["population"];
    BOOST_TEST(gap_pop + o.summary["totals"]["per_radius"][0]["population_covered"].get<double>() == 1450.0, tt::tolerance(1e-6));
}

BOOST_AUTO_TEST_CASE(population_layer_polygons_areal_interpolation) {
    TempDir dir;
    auto o = run(dir, "id,wkt\nA,\"POLYGON((-500 -500,500 -500,500 500,-500 500,-500 -500))\"\n", "id,x,y\ne1,500,0\n", "300m", kLocal,
                 "people",
                 "id,people,wkt\n"
                 "L,100,\"POLYGON((-500 -500,0 -500,0 500,-500 500,-500 -500))\"\n"
                 "R,300,\"POLYGON((0 -500,500 -500,500 500,0 500,0 -500))\"\n"
                 "X,999,\"POLYGON((9000 9000,9100 9000,9100 9100,9000 9100,9000 9000))\"\n");
    auto& a = o.areas[0];
    BOOST_TEST(a.number["population"] == 400.0, tt::tolerance(1e-9));
    // the half disc inside A lies in R: 300 people * (half disc / half square)
    BOOST_TEST(a.number["population_covered"] == 300 * (kPi * 0.09e6 / 2) / 0.5e6, tt::tolerance(1e-3));
}

BOOST_AUTO_TEST_CASE(population_layer_points) {
    TempDir dir;
    auto o = run(dir,
                 "id,wkt\nA,\"POLYGON((-500 -500,500 -500,500 500,-500 500,-500 -500))\"\n"
                 "B,\"POLYGON((500 -500,1500 -500,1500 500,500 500,500 -500))\"\n",
                 "id,x,y\ne1,0,0\n", "300m", kLocal, "n",
                 "id,n,x,y\np1,10,0,100\np2,20,-400,-400\np3,5,500,0\np4,7,1000,0\n");
    BOOST_TEST(o.areas[0].number["population"] == 35.0);  // p3 on the shared border counts for A (first area) only
    BOOST_TEST(o.areas[1].number["population"] == 7.0);
    BOOST_TEST(o.areas[0].number["population_covered"] == 10.0);
}

BOOST_AUTO_TEST_CASE(larger_radius_never_covers_less) {
    TempDir dir;
    const std::string root = source_dir() + "/data/charlotte/";
    CoverageJob job;
    job.areas.path = root + "neighborhoods.geojson";
    job.events.path = root + "events.csv";
    job.options.radii = parse_distance_list("400m,800m", "--radius");
    job.out_dir = (dir / "out").string();
    Log log(true);
    run_coverage(job, log);
    for (auto& a : read_back(dir / "out" / "neighborhoods.geojson")) {
        BOOST_TEST(a.number["covered_m2_800m"] >= a.number["covered_m2_400m"]);
        BOOST_TEST(a.number["covered_share_800m"] <= 1.0);
        BOOST_TEST(a.number["covered_share_400m"] >= 0.0);
    }
}

// The same neighborhoods in NC State Plane (US feet) give the same answers as their WGS84 twin.
BOOST_AUTO_TEST_CASE(projected_input_matches_wgs84_twin) {
    TempDir dir;
    const std::string root = source_dir() + "/data/charlotte/";
    translate(root + "neighborhoods.geojson", dir / "npa_2264.gpkg", {"-t_srs", "EPSG:2264", "-f", "GPKG"});
    auto run_with = [&](const std::string& areas, const std::string& out) {
        CoverageJob job;
        job.areas.path = areas;
        job.events.path = root + "events.csv";
        job.stations.path = root + "police_stations.geojson";
        job.population_field = "p1";
        job.options.radii = parse_distance_list("800m", "--radius");
        job.out_dir = (dir / out).string();
        Log log(true);
        run_coverage(job, log);
        return read_back(dir / out / "neighborhoods.geojson");
    };
    auto wgs = run_with(root + "neighborhoods.geojson", "a");
    auto ft = run_with((dir / "npa_2264.gpkg").string(), "b");
    BOOST_REQUIRE(wgs.size() == 464u);
    BOOST_REQUIRE(ft.size() == wgs.size());
    for (std::size_t i = 0; i < wgs.size(); ++i) {
        BOOST_TEST(wgs[i].text["id"] == ft[i].text["id"]);
        BOOST_TEST(wgs[i].number["area_m2"] == ft[i].number["area_m2"], tt::tolerance(1e-6));
        BOOST_TEST(std::fabs(wgs[i].number["covered_share"] - ft[i].number["covered_share"]) < 1e-5);
        BOOST_TEST(std::fabs(wgs[i].number["nearest_event_m"] - ft[i].number["nearest_event_m"]) < 0.01);
    }
}

BOOST_AUTO_TEST_CASE(deterministic_across_thread_counts) {
    TempDir dir;
    const std::string areas = "id,pop,wkt\nA,10,\"POLYGON((-500 -500,500 -500,500 500,-500 500,-500 -500))\"\n"
                              "B,20,\"POLYGON((500 -500,1500 -500,1500 500,500 500,500 -500))\"\n";
    const std::string events = "id,x,y\ne1,0,0\ne2,900,100\ne3,400,-450\n";
    TempDir d1, d2;
    run(d1, areas, events, "250m,500m", kLocal, "pop", "", 1);
    run(d2, areas, events, "250m,500m", kLocal, "pop", "", 2);
    for (const char* f : {"neighborhoods.geojson", "gaps.geojson", "events.geojson", "neighborhoods.csv"})
        BOOST_TEST(read_text(d1 / "out" / f) == read_text(d2 / "out" / f), f);
}

// Every vector format planners bring gives the same answer as GeoJSON.
BOOST_AUTO_TEST_CASE(input_formats_agree) {
    TempDir dir;
    const std::string root = source_dir() + "/data/charlotte/";
    auto run_with = [&](const std::string& areas, const std::string& events, const std::string& stations, const std::string& out) {
        CoverageJob job;
        job.areas.path = areas;
        job.events.path = events;
        job.stations.path = stations;
        job.options.radii = parse_distance_list("800m", "--radius");
        job.out_dir = (dir / out).string();
        Log log(true);
        run_coverage(job, log);
        return std::make_pair(read_back(dir / out / "neighborhoods.geojson"), read_back(dir / out / "events.geojson"));
    };
    auto [base_areas, base_events] = run_with(root + "neighborhoods.geojson", root + "events.csv", root + "police_stations.geojson", "base");
    const std::vector<std::pair<std::string, std::string>> formats = {
        {"ESRI Shapefile", ".shp"}, {"FlatGeobuf", ".fgb"}, {"KML", ".kml"}, {"GPKG", ".gpkg"}, {"GeoJSON", ".geojson"}};
    for (const auto& [driver, ext] : formats) {
        translate(root + "neighborhoods.geojson", dir / ("areas" + ext), {"-f", driver});
        translate(root + "events.csv", dir / ("events" + ext), {"-f", driver, "-oo", "X_POSSIBLE_NAMES=lon", "-oo", "Y_POSSIBLE_NAMES=lat", "-a_srs", "EPSG:4326"});
        translate(root + "police_stations.geojson", dir / ("stations" + ext), {"-f", driver});
        auto [areas, events] = run_with((dir / ("areas" + ext)).string(), (dir / ("events" + ext)).string(), (dir / ("stations" + ext)).string(), "out" + ext);
        BOOST_REQUIRE_MESSAGE(areas.size() == base_areas.size(), driver);
        BOOST_REQUIRE_MESSAGE(events.size() == base_events.size(), driver);
        // FlatGeobuf's spatial index reorders features: match them by id.
        std::map<std::string, ReadFeature*> by_id;
        for (auto& a : areas) by_id[a.text["id"]] = &a;
        for (auto& b : base_areas) {
            BOOST_REQUIRE_MESSAGE(by_id.count(b.text["id"]), driver << " lost area " << b.text["id"]);
            ReadFeature& a = *by_id[b.text["id"]];
            BOOST_TEST(std::fabs(a.number["covered_share"] - b.number["covered_share"]) < 1e-6, driver << " area " << b.text["id"]);
            BOOST_TEST(a.number["area_m2"] == b.number["area_m2"], tt::tolerance(1e-7));
        }
        std::map<std::string, std::string> station_of;
        for (auto& e : events) station_of[e.text["id"]] = e.text["nearest_station_name"];
        for (std::size_t i = 0; i < base_events.size(); ++i)
            BOOST_TEST(station_of[base_events[i].text["id"]] == base_events[i].text["nearest_station_name"], driver);
    }
}
