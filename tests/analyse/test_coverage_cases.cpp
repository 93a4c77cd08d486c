// Coverage as a table of hand-worked cases, run against the library in memory: WKT areas and
// events in a local metric CRS, a radius, and the covered area each case must give. No file is
// read or written (the inputs are memory datasets, the stage has no output folder).
#define BOOST_TEST_MODULE coverage_cases
#include <boost/test/unit_test.hpp>

#include "core/error.hpp"
#include "engine/study.hpp"
#include "jobs/coverage_job.hpp"
#include "read/memory.hpp"

#include <geodesic.h>

#include <algorithm>

#include <cmath>
#include <string>
#include <vector>

using namespace nightout;
namespace tt = boost::test_tools;

namespace {

constexpr double kPi = 3.14159265358979323846;
// Metres from (35N, 80W): hand-worked shapes keep their sizes to ~1e-6.
const std::string kLocal = "+proj=aeqd +lat_0=35 +lon_0=-80 +datum=WGS84 +units=m +no_defs +type=crs";

double lens(double r, double d) { return 2 * r * r * std::acos(d / (2 * r)) - d / 2 * std::sqrt(4 * r * r - d * d); }
double segment(double r, double d) { return r * r * std::acos(d / r) - d * std::sqrt(r * r - d * d); }  // disc part beyond a chord at d

struct Case {
    std::string name;
    std::vector<std::string> areas, events;  // WKT in kLocal
    std::string radius;
    std::vector<double> covered_m2;  // expected, per area
    double rel_tol;
};

const std::string kSquare = "POLYGON((-500 -500,500 -500,500 500,-500 500,-500 -500))";

const std::vector<Case> kCases = {
    {"disc inside a square", {kSquare}, {"POINT(0 0)"}, "300m", {kPi * 300 * 300}, 1e-3},
    {"two overlapping discs", {"POLYGON((-1000 -1000,1000 -1000,1000 1000,-1000 1000,-1000 -1000))"}, {"POINT(-200 0)", "POINT(200 0)"}, "300m",
     {2 * kPi * 300 * 300 - lens(300, 400)}, 1e-3},
    {"event in the hole of its area", {"POLYGON((-500 -500,500 -500,500 500,-500 500,-500 -500),(-100 -100,-100 100,100 100,100 -100,-100 -100))"},
     {"POINT(0 0)"}, "300m", {kPi * 300 * 300 - 200 * 200}, 1e-3},
    {"quarter disc at a corner", {kSquare}, {"POINT(500 500)"}, "300m", {kPi * 300 * 300 / 4}, 1e-3},
    {"event outside, 200 m from the edge", {kSquare}, {"POINT(0 700)"}, "300m", {segment(300, 200)}, 2e-3},
    {"out of reach", {kSquare}, {"POINT(0 900)"}, "300m", {0.0}, 0},
    {"small area wholly reached", {"POLYGON((-50 -50,50 -50,50 50,-50 50,-50 -50))"}, {"POINT(10 0)"}, "300m", {1e4}, 1e-6},
    {"two areas share one event", {kSquare, "POLYGON((500 -500,1500 -500,1500 500,500 500,500 -500))"}, {"POINT(500 0)"}, "300m",
     {kPi * 300 * 300 / 2, kPi * 300 * 300 / 2}, 1e-3},
    {"multipolygon, one event in each part", {"MULTIPOLYGON(((-500 -500,500 -500,500 500,-500 500,-500 -500)),((2000 -500,3000 -500,3000 500,2000 500,2000 -500)))"},
     {"POINT(0 0)", "POINT(2500 0)"}, "300m", {2 * kPi * 300 * 300}, 1e-3},
    {"radius in miles", {"POLYGON((-5000 -5000,5000 -5000,5000 5000,-5000 5000,-5000 -5000))"}, {"POINT(0 0)"}, "0.5mi",
     {kPi * 804.672 * 804.672}, 1e-3},
};

std::vector<MemoryFeature> features(const std::vector<std::string>& wkts, const std::string& prefix) {
    std::vector<MemoryFeature> out;
    for (std::size_t i = 0; i < wkts.size(); ++i) out.push_back({prefix + std::to_string(i + 1), "", wkts[i], {}});
    return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_case_of_the_table) {
    for (const Case& c : kCases) {
        BOOST_TEST_CONTEXT(c.name) {
            Log log(true);
            Study study(log, 2);
            ProjContext pctx;
            CoverageJob job;
            job.areas.path = "memory:areas";
            job.events.path = "memory:events";
            study.add(job.areas, GeomKind::Area, memory_dataset(study.pool().main(), pctx, "areas", GeomKind::Area, kLocal, {}, features(c.areas, "A")));
            study.add(job.events, GeomKind::Point, memory_dataset(study.pool().main(), pctx, "events", GeomKind::Point, kLocal, {}, features(c.events, "e")));
            job.options.radii = parse_distance_list(c.radius, "radius");
            const api::CoverageResult r = coverage_stage(job, study).result;
            BOOST_TEST(study.datasets_read() == 0u);  // nothing read from a file
            BOOST_REQUIRE(r.areas.size() == c.covered_m2.size());
            for (std::size_t a = 0; a < r.areas.size(); ++a) {
                if (c.covered_m2[a] == 0) BOOST_TEST(std::abs(r.areas[a].covered_m2[0]) < 1e-6);  // overlay noise only
                else BOOST_TEST(r.areas[a].covered_m2[0] == c.covered_m2[a], tt::tolerance(c.rel_tol));
                BOOST_TEST(r.areas[a].covered_share[0] <= 1.0);
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(bad_memory_rows_name_the_row) {
    Log log(true);
    Study study(log, 1);
    ProjContext pctx;
    auto fails = [&](const std::vector<std::string>& wkts, GeomKind kind, const std::string& expected) {
        try {
            memory_dataset(study.pool().main(), pctx, "areas", kind, kLocal, {}, features(wkts, "A"));
            BOOST_FAIL("no error for " << expected);
        } catch (const Error& e) {
            BOOST_TEST(e.exit_code() == 3);
            BOOST_TEST(std::string(e.what()).find(expected) != std::string::npos, e.what());
        }
    };
    fails({kSquare, "POLYGON((0 0, 1 1"}, GeomKind::Area, "memory:areas: row 2: 'POLYGON((0 0, 1 1' is not WKT");
    fails({"POINT(0 0)"}, GeomKind::Area, "memory:areas: row 1 is a Point; areas must be polygons or multipolygons");
    // A bow-tie is repaired and counted, not dropped.
    const Dataset ds = memory_dataset(study.pool().main(), pctx, "areas", GeomKind::Area, kLocal, {},
                                      features({"POLYGON((0 0,100 100,100 0,0 100,0 0))"}, "A"));
    BOOST_TEST(ds.repaired == 1u);
    BOOST_TEST(ds.features.size() == 1u);
}

namespace {

// The ellipsoidal area of a lon/lat ring with geodesic edges, straight from PROJ's geod
// (the reference; nightout densifies and projects instead).
double geod_area(const std::vector<std::pair<double, double>>& ring) {
    geod_geodesic g{};
    geod_init(&g, 6378137.0, 1.0 / 298.257223563);
    std::vector<double> lons, lats;
    for (auto [lon, lat] : ring) lons.push_back(lon), lats.push_back(lat);
    double area = 0, perimeter = 0;
    geod_polygonarea(&g, lats.data(), lons.data(), static_cast<int>(lats.size()), &area, &perimeter);
    return std::fabs(area);
}

std::string wkt_polygon(const std::vector<std::pair<double, double>>& ring) {
    std::string s = "POLYGON((";
    for (std::size_t i = 0; i <= ring.size(); ++i) {
        auto [lon, lat] = ring[i % ring.size()];
        s += (i ? "," : "") + std::to_string(lon) + " " + std::to_string(lat);
    }
    return s + "))";
}

// A polar cap from `lat` to the pole, its rim in 1-degree steps, closed along the antimeridian.
std::vector<std::pair<double, double>> cap(double lat) {
    std::vector<std::pair<double, double>> ring;
    const double pole = lat > 0 ? 90 : -90;
    for (int lon = -180; lon <= 180; ++lon) ring.emplace_back(lon, lat);
    ring.emplace_back(180, pole);
    ring.emplace_back(-180, pole);
    if (lat < 0) std::reverse(ring.begin(), ring.end());
    return ring;
}

}  // namespace

BOOST_AUTO_TEST_CASE(areas_are_geodesic_at_any_latitude) {
    const std::vector<std::vector<std::pair<double, double>>> rings = {
        cap(89),                                                  // the 89-90N cap (3.92e10 m2)
        cap(-85),                                                 // an Antarctic cap
        {{10, 89.5}, {40, 89.5}, {40, 89.8}, {10, 89.8}},         // 30-km edges next to the pole
        {{10, 60}, {30, 60}, {30, 80}, {10, 80}},                 // 1,000-km edges: they bow poleward
        {{-80.9, 35.2}, {-80.8, 35.2}, {-80.8, 35.3}, {-80.9, 35.3}},  // a Charlotte-sized square
    };
    std::vector<std::string> areas;
    for (const auto& r : rings) areas.push_back(wkt_polygon(r));
    Log log(true);
    ProjContext pctx;
    for (const char* radius : {"1m", "200km"}) {
        BOOST_TEST_CONTEXT("radius " << radius) {
            Study study(log, 2);
            CoverageJob job;
            job.areas.path = "memory:areas";
            job.events.path = "memory:events";
            study.add(job.areas, GeomKind::Area, memory_dataset(study.pool().main(), pctx, "areas", GeomKind::Area, kWgs84LonLat, {}, features(areas, "A")));
            // One event inside the 30-km square, which 200 km reach whole.
            study.add(job.events, GeomKind::Point, memory_dataset(study.pool().main(), pctx, "events", GeomKind::Point, kWgs84LonLat, {}, features({"POINT(25 89.65)"}, "e")));
            job.options.radii = parse_distance_list(radius, "radius");
            const api::CoverageResult r = coverage_stage(job, study).result;
            BOOST_REQUIRE(r.areas.size() == rings.size());
            for (std::size_t a = 0; a < rings.size(); ++a) {
                BOOST_TEST_CONTEXT("area " << a + 1) {
                    BOOST_TEST(r.areas[a].area_m2 == geod_area(rings[a]), tt::tolerance(1e-6));
                    BOOST_TEST(r.areas[a].covered_m2[0] <= r.areas[a].area_m2 * (1 + 1e-9));
                    if (r.areas[a].area_m2 == 0) BOOST_TEST(r.areas[a].covered_share[0] == 0.0);
                }
            }
            if (std::string(radius) == "200km") {
                BOOST_TEST(r.areas[2].covered_m2[0] == geod_area(rings[2]), tt::tolerance(1e-6));
                BOOST_TEST(r.areas[2].covered_share[0] == 1.0, tt::tolerance(1e-6));
            }
        }
    }
}
