// Far-off points (src/analyse/far_off): one swapped latitude/longitude row in a real events
// file must leave every other number unchanged, be reported by line, and reach no one.
#define BOOST_TEST_MODULE far_off
#include <boost/test/unit_test.hpp>

#include "support.hpp"

#include "jobs/coverage_job.hpp"
#include "jobs/network_job.hpp"
#include "jobs/route_job.hpp"
#include "jobs/site_job.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <sstream>

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

// ---- the same in site, travel and route, and for a population layer --------------------------

namespace {

// A copy of a real GeoJSON point file with one more feature: the first one's properties
// (name changed) at its coordinates swapped, (lat, lon) read as (lon, lat).
std::string geojson_with_swapped_feature(const std::string& src, const fs::path& dst, const std::string& name) {
    nlohmann::json fc = nlohmann::json::parse(read_text(src));
    nlohmann::json f = fc["features"][0];
    auto& c = f["geometry"]["coordinates"];
    const double lon = c[0], lat = c[1];
    c = {lat, lon};
    f["properties"]["name"] = name;
    fc["features"].push_back(f);
    return write_file(dst, fc.dump());
}

bool close_enough(double a, double b) { return std::abs(a - b) <= 1e-9 * std::max(1.0, std::abs(a)); }

// Every feature of `clean` has its twin, in order, in `with_far` once its far_off rows are left
// out: the same text fields and numbers within 1e-9 (status apart, which only `with_far` has).
// Returns the number of far_off rows.
std::size_t same_but_far_off(const fs::path& clean, const fs::path& with_far) {
    const auto a = read_back(clean);
    const auto b_all = read_back(with_far);
    std::vector<const ReadFeature*> b;
    std::size_t far = 0;
    for (const auto& f : b_all) {
        if (f.text.count("status") && f.text.at("status") == "far_off") ++far;
        else b.push_back(&f);
    }
    BOOST_REQUIRE_EQUAL(a.size(), b.size());
    BOOST_REQUIRE_GT(a.size(), 0u);
    for (std::size_t i = 0; i < a.size(); ++i) {
        BOOST_TEST_CONTEXT(with_far.filename().string() << " row " << i) {
            for (const auto& [k, v] : a[i].text) {
                BOOST_REQUIRE(b[i]->text.count(k));
                if (a[i].number.count(k)) BOOST_CHECK_MESSAGE(close_enough(a[i].number.at(k), b[i]->number.at(k)), k << ": " << v << " vs " << b[i]->text.at(k));
                else BOOST_CHECK_EQUAL(v, b[i]->text.at(k));
            }
            for (const auto& [k, v] : b[i]->text)
                if (k != "status") BOOST_CHECK_MESSAGE(a[i].text.count(k), "field " << k << " only with the far-off row");
            BOOST_CHECK(a[i].geometry && b[i]->geometry && a[i].geometry->Equals(b[i]->geometry.get()));
        }
    }
    return far;
}

// A summary's part without its timings (which vary from run to run) and the keys named.
nlohmann::json untimed(nlohmann::json j, const std::vector<std::string>& drop = {}) {
    if (j.is_object()) {
        nlohmann::json out = nlohmann::json::object();
        for (auto& [k, v] : j.items())
            if (k.find("seconds") == std::string::npos && std::find(drop.begin(), drop.end(), k) == drop.end()) out[k] = untimed(v, drop);
        return out;
    }
    if (j.is_array())
        for (auto& v : j) v = untimed(v, drop);
    return j;
}

std::vector<std::string> lines_of(const fs::path& path) {
    std::istringstream in(read_text(path));
    std::vector<std::string> out;
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

bool warned_about(const std::vector<std::string>& warnings, const std::string& what) {
    for (const std::string& w : warnings)
        if (w.find(what) != std::string::npos && w.find("beyond") != std::string::npos) return true;
    return false;
}

SiteOutcome run_site_job(const std::string& demand, const std::string& population_field, const std::string& model, const std::vector<std::string>& candidates,
                         const std::string& required, const fs::path& out) {
    SiteJob job;
    job.demand.path = demand;
    job.population_field = population_field;
    for (const auto& c : candidates) {
        InputSpec spec;
        spec.path = c;
        job.candidates.push_back(spec);
    }
    if (!required.empty()) {
        InputSpec spec;
        spec.path = required;
        job.required.push_back(spec);
    }
    job.model = model;
    job.k = 5;
    job.radius = parse_distance("800m", "--radius");
    job.out_dir = out.string();
    Log log(true);
    Study study(log, 2);
    return site_stage(job, study);
}

}  // namespace

BOOST_AUTO_TEST_CASE(site_swapped_candidate_and_required_rows_change_no_other_number) {
    // Charlotte's neighborhoods as demand, the parks as candidates and the events as required
    // sites; then a park and an event with swapped coordinates.
    TempDir dir;
    const SiteOutcome clean = run_site_job(kCharlotte + "neighborhoods.geojson", "p1", "mclp", {kCharlotte + "parks.geojson"}, kCharlotte + "events.csv", dir / "clean");
    const std::string parks = geojson_with_swapped_feature(kCharlotte + "parks.geojson", dir / "parks.geojson", "SWAPPED PARK");
    const SiteOutcome far = run_site_job(kCharlotte + "neighborhoods.geojson", "p1", "mclp", {parks}, with_swapped_row(dir), dir / "far");
    BOOST_CHECK_EQUAL(same_but_far_off(dir / "clean" / "neighborhoods.geojson", dir / "far" / "neighborhoods.geojson"), 0u);
    BOOST_CHECK_EQUAL(same_but_far_off(dir / "clean" / "sites.geojson", dir / "far" / "sites.geojson"), 2u);
    BOOST_CHECK_EQUAL(same_but_far_off(dir / "clean" / "allocation.geojson", dir / "far" / "allocation.geojson"), 0u);
    BOOST_CHECK_EQUAL(untimed(clean.summary["result"]).dump(), untimed(far.summary["result"]).dump());
    BOOST_CHECK_EQUAL(untimed(clean.summary["totals"]).dump(), untimed(far.summary["totals"]).dump());
    const auto& f = far.summary["far_off"];
    BOOST_CHECK_EQUAL(f["demand"]["count"].get<int>(), 0);
    BOOST_REQUIRE_EQUAL(f["candidates"][0]["count"].get<int>(), 1);
    BOOST_CHECK_EQUAL(f["candidates"][0]["points"][0]["where"].get<std::string>(), "feature 191");
    BOOST_REQUIRE_EQUAL(f["required"][0]["count"].get<int>(), 1);
    BOOST_CHECK_EQUAL(f["required"][0]["points"][0]["id"].get<std::string>(), "E999");
    BOOST_CHECK_GT(f["required"][0]["points"][0]["distance_m"].get<double>(), 13e6);
    BOOST_CHECK(warned_about(far.result.warnings, "line 186 (id E999)"));
    BOOST_CHECK(warned_about(far.result.warnings, "feature 191"));
}

BOOST_AUTO_TEST_CASE(site_swapped_demand_point_moves_neither_projection_nor_shares) {
    // Demand at points (the events, each weighing 1): the projection is centred on the points
    // that are not outliers, and the swapped one is left out of the problem and of every share.
    TempDir dir;
    const SiteOutcome clean = run_site_job(kCharlotte + "events.csv", "", "pmedian", {kCharlotte + "libraries.geojson"}, "", dir / "clean");
    const SiteOutcome far = run_site_job(with_swapped_row(dir), "", "pmedian", {kCharlotte + "libraries.geojson"}, "", dir / "far");
    BOOST_CHECK_EQUAL(same_but_far_off(dir / "clean" / "demand.geojson", dir / "far" / "demand.geojson"), 1u);
    BOOST_CHECK_EQUAL(same_but_far_off(dir / "clean" / "sites.geojson", dir / "far" / "sites.geojson"), 0u);
    BOOST_CHECK_EQUAL(untimed(clean.summary["result"]).dump(), untimed(far.summary["result"]).dump());
    // Every figure of the totals, but the count of input features, which has the far-off one.
    BOOST_CHECK_EQUAL(untimed(clean.summary["totals"], {"demand_features"}).dump(), untimed(far.summary["totals"], {"demand_features"}).dump());
    BOOST_CHECK_EQUAL(far.summary["totals"]["demand_features"].get<int>(), 185);
    BOOST_CHECK_EQUAL(untimed(clean.summary["parameters"]).dump(), untimed(far.summary["parameters"]).dump());
    BOOST_CHECK_EQUAL(far.summary["far_off"]["demand"]["count"].get<int>(), 1);
    BOOST_CHECK(warned_about(far.result.warnings, "line 186 (id E999)"));
}

BOOST_AUTO_TEST_CASE(travel_swapped_destination_gets_empty_distances_and_status) {
    TempDir dir;
    auto run = [&](const std::string& to, const std::string& name) {
        TravelJob job;
        job.from.path = kCharlotte + "police_stations.geojson";
        job.to.path = to;
        job.matrix_out = (dir / (name + "-matrix.csv")).string();
        job.nearest_out = (dir / (name + "-nearest.csv")).string();
        Log log(true);
        Study study(log, 2);
        return travel_stage(job, study);
    };
    const TravelOutcome clean = run(kCharlotte + "events.csv", "clean");
    const TravelOutcome far = run(with_swapped_row(dir), "far");
    const auto a = lines_of(dir / "clean-matrix.csv"), b = lines_of(dir / "far-matrix.csv");
    BOOST_REQUIRE_EQUAL(a.size(), 1 + 15 * 184u);
    BOOST_REQUIRE_EQUAL(b.size(), 1 + 15 * 185u);
    BOOST_CHECK_EQUAL(b[0], a[0] + ",status");
    // In input order: each origin's 184 pairs as before, then its pair with the swapped row.
    std::size_t far_pairs = 0;
    for (std::size_t i = 0, k = 1; i < 15; ++i) {
        for (std::size_t j = 0; j < 184; ++j) BOOST_CHECK_EQUAL(b[1 + i * 185 + j], a[k++] + ",ok");
        const std::string& last = b[1 + i * 185 + 184];
        BOOST_CHECK(last.find(",E999,,far_off") != std::string::npos);
        far_pairs += last.find("far_off") != std::string::npos;
    }
    BOOST_CHECK_EQUAL(far_pairs, 15u);
    const auto na = lines_of(dir / "clean-nearest.csv"), nb = lines_of(dir / "far-nearest.csv");
    BOOST_REQUIRE_EQUAL(nb.size(), na.size() + 1);
    for (std::size_t j = 1; j < na.size(); ++j) BOOST_CHECK_EQUAL(nb[j], na[j] + ",ok");
    BOOST_CHECK_EQUAL(nb.back(), "E999,,,far_off");
    BOOST_CHECK_EQUAL(far.summary["far_off"]["to"]["count"].get<int>(), 1);
    BOOST_CHECK_EQUAL(far.summary["far_off"]["from"]["count"].get<int>(), 0);
    BOOST_CHECK_EQUAL(clean.summary["far_off"]["to"]["count"].get<int>(), 0);
    // The typed result: the same distances, NaN for the far-off column.
    for (Eigen::Index i = 0; i < 15; ++i) {
        for (Eigen::Index j = 0; j < 184; ++j) BOOST_CHECK_EQUAL(clean.result.distance_m(i, j), far.result.distance_m(i, j));
        BOOST_CHECK(std::isnan(far.result.distance_m(i, 184)));
    }
}

BOOST_AUTO_TEST_CASE(route_swapped_event_station_and_officer_change_no_visit) {
    // The Charlotte evening with one swapped event, one swapped station and an officer who
    // starts there: the event is unvisited (far_off), the officer left out, every visit the same.
    TempDir dir;
    auto run = [&](const std::string& events, const std::string& stations, const std::string& officers, const std::string& name) {
        RouteJob job;
        job.events.path = events;
        job.stations.path = stations;
        job.officers.path = officers;
        job.iterations = 3000;
        job.out_dir = (dir / name).string();
        Log log(true);
        Study study(log, 1);
        return route_stage(job, study);
    };
    const RouteOutcome clean = run(kCharlotte + "events.csv", kCharlotte + "police_stations.geojson", kCharlotte + "officers.csv", "clean");
    const std::string stations = geojson_with_swapped_feature(kCharlotte + "police_stations.geojson", dir / "stations.geojson", "SWAPPED DIVISION");
    const std::string officers = write_file(dir / "officers.csv", read_text(kCharlotte + "officers.csv") + "SW-1,Swapped team,SWAPPED DIVISION,17:30,22:00,\n");
    const RouteOutcome far = run(with_swapped_row(dir), stations, officers, "far");
    BOOST_CHECK_EQUAL(same_but_far_off(dir / "clean" / "stops.geojson", dir / "far" / "stops.geojson"), 0u);
    BOOST_CHECK_EQUAL(same_but_far_off(dir / "clean" / "routes.geojson", dir / "far" / "routes.geojson"), 0u);
    BOOST_CHECK_EQUAL(clean.result.visited, far.result.visited);
    BOOST_CHECK_EQUAL(clean.result.officers, far.result.officers);
    BOOST_CHECK(close_enough(clean.result.travel_min, far.result.travel_min));
    BOOST_CHECK(close_enough(clean.result.travel_km, far.result.travel_km));
    BOOST_CHECK_EQUAL(far.result.unvisited, clean.result.unvisited + 1);
    const auto unvisited = lines_of(dir / "far" / "unvisited.csv");
    bool listed = false;
    for (const auto& l : unvisited) listed = listed || (l.rfind("E999,", 0) == 0 && l.find("far_off") != std::string::npos);
    BOOST_CHECK(listed);
    const auto& f = far.summary["far_off"];
    BOOST_CHECK_EQUAL(f["events"]["count"].get<int>(), 1);
    BOOST_CHECK_EQUAL(f["stations"]["count"].get<int>(), 1);
    BOOST_REQUIRE_EQUAL(f["officers"]["count"].get<int>(), 1);
    BOOST_CHECK_EQUAL(f["officers"]["points"][0]["id"].get<std::string>(), "SW-1");
    BOOST_CHECK(warned_about(far.result.warnings, "(id SW-1)"));
    BOOST_CHECK(warned_about(far.result.warnings, "(id E999)"));
}

BOOST_AUTO_TEST_CASE(coverage_population_layer_point_far_off_is_reported_and_changes_nothing) {
    // The polling places as a population layer (its `precinct` numbers as counts), once with a
    // swapped copy of the first: the same residents per area, and the swapped one reported.
    TempDir dir;
    auto run = [&](const std::string& population, const std::string& name) {
        CoverageJob job;
        job.areas.path = kCharlotte + "neighborhoods.geojson";
        job.events.path = kCharlotte + "events.csv";
        job.population.path = population;
        job.population_field = "precinct";
        job.options.radii = parse_distance_list("800m", "--radius");
        job.out_dir = (dir / name).string();
        Log log(true);
        Study study(log, 2);
        return coverage_stage(job, study);
    };
    const CoverageOutcome clean = run(kCharlotte + "polling_locations.geojson", "clean");
    const CoverageOutcome far = run(geojson_with_swapped_feature(kCharlotte + "polling_locations.geojson", dir / "polling.geojson", "SWAPPED"), "far");
    BOOST_CHECK_EQUAL(same_but_far_off(dir / "clean" / "neighborhoods.geojson", dir / "far" / "neighborhoods.geojson"), 0u);
    BOOST_CHECK_EQUAL(clean.result.warnings.size() + 1, far.result.warnings.size());
    BOOST_CHECK(warned_about(far.result.warnings, "feature 196"));
    const auto& p = far.summary["far_off"]["population"];
    BOOST_REQUIRE_EQUAL(p["count"].get<int>(), 1);
    BOOST_CHECK_EQUAL(p["points"][0]["where"].get<std::string>(), "feature 196");
    BOOST_CHECK_EQUAL(clean.summary["far_off"]["population"]["count"].get<int>(), 0);
}
