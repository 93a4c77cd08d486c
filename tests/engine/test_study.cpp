// The study a command or plan runs over: each input read once, each road network opened
// or built once per (source, profile), and staging paths never shown to the user.
#define BOOST_TEST_MODULE study
#include <boost/test/unit_test.hpp>

#include "support.hpp"

#include "engine/study.hpp"
#include "jobs/network_job.hpp"
#include "jobs/plan_job.hpp"
#include "plan/plan.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>

using namespace nightout;
using namespace nightout::test;

namespace {

std::string liechtenstein(const std::string& name) { return source_dir() + "/data/liechtenstein/" + name; }

}  // namespace

BOOST_AUTO_TEST_CASE(a_dataset_is_read_once_and_a_point_or_area_request_reuses_it) {
    Log log(true);
    Study study(log, 2);
    InputSpec areas;
    areas.path = liechtenstein("municipalities.geojson");
    const Dataset& a = study.dataset(areas, GeomKind::Area, "areas");
    const Dataset& b = study.dataset(areas, GeomKind::Area, "areas");
    const Dataset& c = study.dataset(areas, GeomKind::PointOrArea, "demand");
    BOOST_TEST(&a == &b);
    BOOST_TEST(&a == &c);
    BOOST_TEST(study.datasets_read() == 1u);
    BOOST_TEST(a.features.size() == 11u);
    // The same file through another path spelling is the same input.
    InputSpec again = areas;
    again.path = source_dir() + "/data/liechtenstein/../liechtenstein/municipalities.geojson";
    BOOST_TEST(&study.dataset(again, GeomKind::Area, "areas") == &a);
    InputSpec events, stations;
    events.path = liechtenstein("events.csv");
    stations.path = liechtenstein("police.geojson");
    study.read_all({{&events, GeomKind::Point, "events"}, {&stations, GeomKind::Point, "stations"}, {&areas, GeomKind::Area, "areas"}});
    BOOST_TEST(study.datasets_read() == 3u);
}

BOOST_AUTO_TEST_CASE(a_network_is_built_once_per_profile_and_its_hierarchy_once) {
    Log log(true);
    Study study(log, 2);
    NetworkOptions walk;
    walk.path = liechtenstein("roads.osm.pbf");
    walk.profile = "walk";
    NetworkOptions drive = walk;
    drive.profile = "drive";
    const Network& w1 = study.network(walk, false);
    const Network& w2 = study.network(walk, false);
    BOOST_TEST(&w1 == &w2);
    BOOST_TEST(w1.ch.empty());
    BOOST_TEST(study.networks_built() == 1u);
    const Network& w3 = study.network(walk, true);  // a later stage needs the hierarchy: added in place
    BOOST_TEST(&w3 == &w1);
    BOOST_TEST(!w1.ch.empty());
    BOOST_TEST(study.hierarchies_built() == 1u);
    study.network(walk, true);
    BOOST_TEST(study.hierarchies_built() == 1u);
    const Network& d = study.network(drive, false);
    BOOST_TEST(&d != &w1);
    BOOST_TEST(d.graph.profile == "drive");
    BOOST_TEST(study.networks_built() == 2u);
}

BOOST_AUTO_TEST_CASE(staging_paths_are_shown_as_their_final_place) {
    Log log(true);
    Study study(log, 1);
    study.map_output("out/.city.nightout-tmp-12/", "out/city");
    BOOST_TEST(study.shown("out/.city.nightout-tmp-12/travel/routes.geojson") == "out/city/travel/routes.geojson");
    BOOST_TEST(study.shown("out/.city.nightout-tmp-12") == "out/city");
    BOOST_TEST(study.shown("out/.city.nightout-tmp-123/x") == "out/.city.nightout-tmp-123/x");  // another folder
    BOOST_TEST(study.shown("elsewhere/file.csv") == "elsewhere/file.csv");
}

// Before the study, this plan died with "internal error: [json.exception.type_error.305]" (the
// site headline read a radius that minutes do not have), parsed the extract once per step and
// measured the officers' travel at walking speed.
BOOST_AUTO_TEST_CASE(a_walking_plan_with_site_travel_and_route_builds_each_network_once) {
    TempDir dir;
    // Two areas with residents over Liechtenstein's Rhine valley.
    write_file(dir / "areas.geojson",
               feature_collection({{R"({"id":"north","pop":20000})", R"({"type":"Polygon","coordinates":[[[9.47,47.14],[9.60,47.14],[9.60,47.27],[9.47,47.27],[9.47,47.14]]]})"},
                                   {R"({"id":"south","pop":18000})", R"({"type":"Polygon","coordinates":[[[9.47,47.03],[9.60,47.03],[9.60,47.14],[9.47,47.14],[9.47,47.03]]]})"}}));
    write_file(dir / "plan.toml", "title = \"walk\"\nformats = [\"geojson\"]\n[inputs]\nareas = \"areas.geojson\"\nevents = \"" + liechtenstein("events.csv") +
                                      "\"\nstations = \"" + liechtenstein("police.geojson") + "\"\npopulation_field = \"pop\"\n[network]\npath = \"" +
                                      liechtenstein("roads.osm.pbf") + "\"\nprofile = \"walk\"\n[coverage]\nminutes = [5, 10]\n[travel]\n[site]\nmodel = \"mclp\"\nk = 2\n"
                                      "candidates = \"" + liechtenstein("places.geojson") + "\"\n[route]\nofficers = \"" + liechtenstein("officers.csv") +
                                      "\"\niterations = 2000\n");
    PlanJob job{read_plan(dir / "plan.toml"), (dir / "out").string(), 2};
    BOOST_TEST(job.plan.travel->network.profile == "drive");  // officers drive, whatever the residents do
    BOOST_TEST(job.plan.route->network.profile == "drive");
    Log log(true);
    nlohmann::json s = run_plan(job, log);
    // walk (coverage, site) and drive (travel, route): two graphs, not four.
    BOOST_TEST(s["networks_built"].get<int>() == 2);
    // areas, events, stations, candidates; the site's required sites are the events already read.
    BOOST_TEST(s["inputs_read"].get<int>() == 4);
    BOOST_TEST(s["steps"]["travel"]["network"]["profile"].get<std::string>() == "drive");
    BOOST_TEST(s["steps"]["site"]["parameters"]["reach"].get<std::string>() == "10 min");
    // No path in the plan's summary names the staging folder.
    std::ifstream in(dir / "out" / "summary.json");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    BOOST_TEST(text.find("nightout-tmp") == std::string::npos);
    BOOST_TEST(s["steps"]["travel"]["routes"].get<std::string>() == (dir / "out" / "travel" / "routes.geojson").string());
    for (const char* f : {"report.html", "coverage/neighborhoods.geojson", "travel/matrix.csv", "site/sites.geojson", "route/stops.csv"})
        BOOST_TEST(fs::exists(dir / "out" / f), f);
}

// Travel tables come back as Eigen matrices (rows: from, columns: to) equal to the CSV written.
BOOST_AUTO_TEST_CASE(travel_tables_are_matrices_equal_to_the_files) {
    TempDir dir;
    Log log(true);
    Study study(log, 2);
    TravelJob straight;
    straight.from.path = liechtenstein("police.geojson");
    straight.to.path = liechtenstein("events.csv");
    straight.matrix_out = (dir / "straight.csv").string();
    const TravelResult s = travel_stage(straight, study).result;
    BOOST_TEST(s.distance_m.rows() == 1);
    BOOST_TEST(s.distance_m.cols() == 25);
    BOOST_TEST(s.duration_s.size() == 0);
    NetworkTravelJob network;
    network.from = straight.from;
    network.to = straight.to;
    network.network.path = liechtenstein("roads.osm.pbf");
    network.matrix_out = (dir / "network.csv").string();
    const TravelResult n = network_travel_stage(network, study).result;
    BOOST_TEST(study.datasets_read() == 2u);  // the second table reads nothing again
    BOOST_REQUIRE(n.duration_s.rows() == 1);
    BOOST_REQUIRE(n.duration_s.cols() == 25);
    // Each row of the files is the matrix's entry, to the millimetre and the millisecond.
    const auto rows = read_back(dir / "network.csv");
    BOOST_REQUIRE(rows.size() == 25u);
    for (std::size_t j = 0; j < rows.size(); ++j) {
        BOOST_TEST(rows[j].text.at("to_id") == n.to_ids[j]);
        BOOST_TEST(std::abs(std::stod(rows[j].text.at("duration_s")) - n.duration_s(0, static_cast<Eigen::Index>(j))) <= 0.0005);
        // Along the streets is never shorter than the geodesic.
        BOOST_TEST(n.distance_m(0, static_cast<Eigen::Index>(j)) >= s.distance_m(0, static_cast<Eigen::Index>(j)) * 0.999);
    }
}
