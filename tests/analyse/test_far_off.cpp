// Far-off points (src/analyse/far_off): one swapped latitude/longitude row in a real events
// file must leave every other number unchanged, be reported by line, and reach no one.
#define BOOST_TEST_MODULE far_off
#include <boost/test/unit_test.hpp>

#include "support.hpp"

#include "jobs/coverage_job.hpp"

#include <cmath>

using namespace nightout;
using namespace nightout::test;

namespace {

const std::string kCharlotte = std::string(NIGHTOUT_SOURCE_DIR) + "/data/charlotte/";

CoverageOutcome run(const std::string& events, const fs::path& out, double max_offset_m = 50'000) {
    CoverageJob job;
    job.areas.path = kCharlotte + "neighborhoods.geojson";
    job.events.path = events;
    job.stations.path = kCharlotte + "police_stations.geojson";
    job.population_field = "p1";
    job.options.radii = parse_distance_list("400m,800m", "--radius");
    job.max_offset_m = max_offset_m;
    job.out_dir = out.string();
    Log log(true);
    Study study(log, 2);
    return coverage_stage(job, study);
}

// The Charlotte events with one more row whose latitude and longitude are swapped: both
// still within their valid ranges, so it reads as a point near Antarctica's coast.
std::string with_swapped_row(const TempDir& dir) {
    std::string csv = read_text(kCharlotte + "events.csv");
    csv += "E999,Swapped Row,library,310 N. Tryon St,-80.840725,35.228865,18:00,21:00\n";
    return write_file(dir / "events.csv", csv);
}

}  // namespace

BOOST_AUTO_TEST_CASE(one_swapped_row_changes_no_other_number) {
    TempDir dir;
    const CoverageOutcome clean = run(kCharlotte + "events.csv", dir / "clean");
    const CoverageOutcome swapped = run(with_swapped_row(dir), dir / "swapped");
    const auto& a = clean.result.areas;
    const auto& b = swapped.result.areas;
    BOOST_REQUIRE_EQUAL(a.size(), b.size());
    BOOST_REQUIRE_GT(a.size(), 100u);
    std::size_t compared = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        BOOST_TEST_CONTEXT("area " << a[i].id) {
            BOOST_CHECK_EQUAL(a[i].id, b[i].id);
            BOOST_CHECK_LE(std::abs(a[i].area_m2 - b[i].area_m2), 1e-9 * a[i].area_m2);
            for (std::size_t k = 0; k < 2; ++k) {
                BOOST_CHECK_LE(std::abs(a[i].covered_share[k] - b[i].covered_share[k]), 1e-9);
                BOOST_CHECK_LE(std::abs(a[i].covered_m2[k] - b[i].covered_m2[k]), 1e-9 * a[i].area_m2);
                BOOST_CHECK_LE(std::abs(a[i].population_covered[k] - b[i].population_covered[k]), 1e-9 * std::max(1.0, *a[i].population));
                ++compared;
            }
        }
    }
    BOOST_CHECK_EQUAL(compared, 2 * a.size());
    // The station figures and the projection's scale error do not move either.
    const auto& ta = clean.result.totals;
    const auto& tb = swapped.result.totals;
    BOOST_CHECK_EQUAL(ta.events, tb.events);
    BOOST_CHECK_LE(std::abs(*ta.event_to_nearest_station_mean_m - *tb.event_to_nearest_station_mean_m), 1e-9);
    BOOST_CHECK_LE(std::abs(*ta.event_to_nearest_station_max_m - *tb.event_to_nearest_station_max_m), 1e-9);
    const double scale_a = clean.summary["parameters"]["projection"]["max_scale_error"];
    const double scale_b = swapped.summary["parameters"]["projection"]["max_scale_error"];
    BOOST_CHECK_EQUAL(scale_a, scale_b);
    BOOST_CHECK_LT(scale_b, 1e-3);
}

BOOST_AUTO_TEST_CASE(the_swapped_row_is_reported_counted_and_kept_with_its_status) {
    TempDir dir;
    const CoverageOutcome swapped = run(with_swapped_row(dir), dir / "out");
    const auto& far = swapped.summary["far_off"];
    BOOST_CHECK_EQUAL(far["max_offset_m"].get<double>(), 50'000);
    BOOST_REQUIRE_EQUAL(far["events"]["count"].get<int>(), 1);
    const auto& p = far["events"]["points"][0];
    BOOST_CHECK_EQUAL(p["where"].get<std::string>(), "line 186");
    BOOST_CHECK_EQUAL(p["id"].get<std::string>(), "E999");
    BOOST_CHECK_CLOSE(p["lon"].get<double>(), 35.228865, 1e-9);
    // From (35.23E, 80.84S) to the nearest corner of Charlotte's extent: over 13,000 km.
    BOOST_CHECK_GT(p["distance_m"].get<double>(), 13e6);
    BOOST_CHECK_EQUAL(far["stations"]["count"].get<int>(), 0);
    bool warned = false;
    for (const std::string& w : swapped.result.warnings)
        warned = warned || (w.find("line 186 (id E999) at (lon 35.228865, lat -80.840725)") != std::string::npos &&
                            w.find("status far_off") != std::string::npos && w.find("swapped") != std::string::npos);
    BOOST_CHECK(warned);
    // Kept in the events layer with its status; every other event is "ok"; it is in no area.
    const auto events = read_back(dir / "out" / "events.geojson");
    BOOST_REQUIRE_EQUAL(events.size(), 185u);
    std::size_t far_rows = 0;
    for (const auto& e : events) {
        if (e.text.at("status") == "far_off") {
            ++far_rows;
            BOOST_CHECK_EQUAL(e.text.at("id"), "E999");
            BOOST_CHECK(e.text.count("area_id") == 0 || e.text.at("area_id").empty());
        } else {
            BOOST_CHECK_EQUAL(e.text.at("status"), "ok");
        }
    }
    BOOST_CHECK_EQUAL(far_rows, 1u);
}

BOOST_AUTO_TEST_CASE(the_limit_is_an_option) {
    // Events of the sample lie within Mecklenburg County: a 1 m limit beyond the
    // neighborhoods' extent keeps them all; none is far off at the default either.
    TempDir dir;
    const CoverageOutcome clean = run(kCharlotte + "events.csv", dir / "a", 1.0);
    BOOST_CHECK_EQUAL(clean.summary["far_off"]["events"]["count"].get<int>(), 0);
    // With a limit of 20,000 km even the swapped row is kept (and then it is in the study).
    const CoverageOutcome wide = run(with_swapped_row(dir), dir / "b", 20'000'000);
    BOOST_CHECK_EQUAL(wide.summary["far_off"]["events"]["count"].get<int>(), 0);
    BOOST_CHECK_EQUAL(wide.result.totals.events, 185u);
    bool scale_warned = false;
    for (const std::string& w : wide.result.warnings) scale_warned = scale_warned || w.find("scale error") != std::string::npos;
    BOOST_CHECK(scale_warned);
}
