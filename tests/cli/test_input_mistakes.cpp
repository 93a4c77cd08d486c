// Plain mistakes get plain answers (issue 13), through the `nightout` command on real data:
// a CRS per input, ids said aloud and suggested, typing mistakes, every bad row in one run.
#define BOOST_TEST_MODULE input_mistakes
#include <boost/test/unit_test.hpp>

#include "support.hpp"

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <sstream>
#include <sys/wait.h>

using namespace nightout;
using namespace nightout::test;

namespace {

const std::string kSource = NIGHTOUT_SOURCE_DIR;
// Columbus (Ohio) neighborhoods as a Shapefile in Ohio South State Plane feet (EPSG:3735)
// without its .prj, and one event at a point inside each of them, in lon/lat: the
// Baltimore-style case of issue 13.
const std::string kColumbus = kSource + "/tests/data/columbus/";
const std::string kColumbusArgs = "--areas " + kColumbus + "neighborhoods.shp --events " + kColumbus + "events.csv --radius 800m";
const std::string kCharlotte = kSource + "/data/charlotte/";

nlohmann::json summary_of(const TempDir& dir, const std::string& out = "out") {
    return nlohmann::json::parse(read_text(dir / out / "summary.json"));
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

BOOST_AUTO_TEST_CASE(a_shapefile_without_prj_asks_for_its_own_crs_flag) {
    TempDir dir;
    const Result r = nightout_cli("coverage " + kColumbusArgs + " --out " + (dir / "out").string(), dir);
    BOOST_CHECK_EQUAL(r.code, 3);
    BOOST_TEST(has(r.err, "neighborhoods.shp: has no coordinate reference system"), r.err);
    BOOST_TEST(has(r.err, "give its CRS with --areas-crs (e.g. --areas-crs EPSG:2264"), r.err);
}

BOOST_AUTO_TEST_CASE(crs_for_every_input_puts_the_lonlat_events_far_off_and_says_so) {
    // Following the old advice (--crs for all inputs) reads the CSV's lon/lat as State Plane
    // feet: every event is far off, reported with a hint at its CRS, and reaches no one.
    TempDir dir;
    const Result r = nightout_cli("coverage " + kColumbusArgs + " --crs EPSG:3735 --out " + (dir / "out").string(), dir);
    BOOST_REQUIRE_EQUAL(r.code, 0);
    BOOST_TEST(has(r.err, "events.csv: 39 of 39 events lie more than 50 km beyond the areas' extent"), r.err);
    BOOST_TEST(has(r.err, "is its CRS (NAD83 / Ohio South (ftUS) (given)) right? Give its CRS with --events-crs"), r.err);
    const auto s = summary_of(dir);
    BOOST_CHECK_EQUAL(s["far_off"]["events"]["count"].get<int>(), 39);
    BOOST_CHECK_EQUAL(s["totals"]["per_radius"][0]["covered_share"].get<double>(), 0.0);
}

BOOST_AUTO_TEST_CASE(a_crs_per_input_reads_both_right) {
    TempDir dir;
    const Result r = nightout_cli("coverage " + kColumbusArgs + " --areas-crs EPSG:3735 --out " + (dir / "out").string(), dir);
    BOOST_REQUIRE_EQUAL(r.code, 0);
    const auto s = summary_of(dir);
    BOOST_CHECK_EQUAL(s["far_off"]["events"]["count"].get<int>(), 0);
    // One event inside each neighborhood: every event in an area, every area with an event.
    BOOST_CHECK_EQUAL(s["totals"]["events"].get<int>(), 39);
    BOOST_CHECK_EQUAL(s["totals"]["events_outside_areas"].get<int>(), 0);
    BOOST_CHECK_EQUAL(s["totals"]["areas_without_events"].get<int>(), 0);
    BOOST_CHECK_GT(s["totals"]["per_radius"][0]["covered_share"].get<double>(), 0.01);
    BOOST_CHECK(has(s["inputs"]["areas"]["crs"].get<std::string>(), "Ohio South"));
    BOOST_CHECK(has(s["inputs"]["events"]["crs"].get<std::string>(), "WGS 84"));
    // --ROLE-crs wins over --crs for its input.
    const Result both = nightout_cli("coverage " + kColumbusArgs + " --crs EPSG:3735 --events-crs EPSG:4326 --out " + (dir / "both").string(), dir);
    BOOST_REQUIRE_EQUAL(both.code, 0);
    BOOST_CHECK_EQUAL(summary_of(dir, "both")["totals"]["events_outside_areas"].get<int>(), 0);
}

BOOST_AUTO_TEST_CASE(ids_and_names_are_detected_and_said_aloud) {
    TempDir dir;
    const Result r = nightout_cli("coverage " + kColumbusArgs + " --areas-crs EPSG:3735 --out " + (dir / "out").string(), dir);
    BOOST_REQUIRE_EQUAL(r.code, 0);
    // The areas' only *_id field with unique values, the events' singular-role event_id.
    BOOST_TEST(has(r.err, "neighborhoods.shp: 39 areas, ids from field 'cartodb_id', names from field 'name'"), r.err);
    BOOST_TEST(has(r.err, "events.csv: 39 events, ids from field 'event_id', names from field 'name'"), r.err);
    const auto s = summary_of(dir);
    BOOST_CHECK_EQUAL(s["inputs"]["areas"]["id_field"].get<std::string>(), "cartodb_id");
    BOOST_CHECK_EQUAL(s["inputs"]["events"]["id_field"].get<std::string>(), "event_id");
    const auto events = read_back(dir / "out" / "events.geojson");
    BOOST_REQUIRE_EQUAL(events.size(), 39u);
    BOOST_CHECK_EQUAL(events[0].text.at("id").substr(0, 1), "C");
    // Quiet with -q.
    const Result quiet = nightout_cli("coverage -q " + kColumbusArgs + " --areas-crs EPSG:3735 --out " + (dir / "quiet").string(), dir);
    BOOST_CHECK_EQUAL(quiet.code, 0);
    BOOST_CHECK(!has(quiet.err, "ids from field"));
}

BOOST_AUTO_TEST_CASE(an_unknown_station_suggests_the_field_that_holds_it) {
    // Charlotte's stations with a code field the ids are not taken from (station_code), and
    // officers that name their station by that code.
    TempDir dir;
    std::ostringstream stations;
    stations << "station_code,name,lat,lon\n";
    const auto st = read_back(kCharlotte + "police_stations.geojson");
    for (std::size_t i = 0; i < st.size(); ++i) {
        const OGRPoint* p = st[i].geometry->toPoint();
        stations << "CMPD" << (i + 1) << "," << st[i].text.at("name") << "," << p->getY() << "," << p->getX() << "\n";
    }
    write_file(dir / "stations.csv", stations.str());
    write_file(dir / "officers.csv", "id,name,start,shift_start,shift_end\nT1,Team 1,CMPD2,17:30,22:00\n");
    const Result r = nightout_cli("route --events " + kCharlotte + "events.csv --officers " + (dir / "officers.csv").string() + " --stations " +
                                      (dir / "stations.csv").string() + " --out " + (dir / "out").string(),
                                  dir);
    BOOST_CHECK_EQUAL(r.code, 3);
    BOOST_TEST(has(r.err, "no station 'CMPD2'"), r.err);
    BOOST_TEST(has(r.err, "stations field 'station_code' holds 'CMPD2': give --stations-id station_code"), r.err);
}

BOOST_AUTO_TEST_CASE(typing_mistakes_get_did_you_mean) {
    TempDir dir;
    const Result command = nightout_cli("coverge --areas a.geojson", dir);
    BOOST_CHECK_EQUAL(command.code, 2);
    BOOST_TEST(has(command.err, "unknown command 'coverge'; did you mean coverage?"), command.err);
    const Result flag = nightout_cli("coverage --areas a.geojson --events e.csv --out o --raduis 800m", dir);
    BOOST_CHECK_EQUAL(flag.code, 2);
    BOOST_TEST(has(flag.err, "unknown flag --raduis for nightout coverage; did you mean --radius?"), flag.err);
    const Result nested = nightout_cli("graph biuld roads.osm.pbf -o x.graph", dir);
    BOOST_CHECK_EQUAL(nested.code, 2);
    BOOST_TEST(has(nested.err, "unknown command 'biuld'; did you mean build?"), nested.err);
    // A mistake too far from any name gets no guess, only the message.
    const Result far = nightout_cli("coverage --areas a.geojson --events e.csv --out o --zzzzzzzz 1", dir);
    BOOST_CHECK_EQUAL(far.code, 2);
    BOOST_TEST(has(far.err, "unknown flag --zzzzzzzz for nightout coverage"), far.err);
    BOOST_CHECK(!has(far.err, "did you mean"));
}

BOOST_AUTO_TEST_CASE(every_bad_row_is_named_in_one_run_and_can_be_skipped) {
    TempDir dir;
    // Charlotte's events (184 rows, lines 2-185) and three bad rows after them (lines 186-188).
    std::string csv = read_text(kCharlotte + "events.csv");
    csv += "E901,No latitude,library,x,,-80.84,18:00,21:00\n";
    csv += "E902,Bad longitude,library,x,35.2,abc,18:00,21:00\n";
    csv += "E903,Latitude out of range,library,x,95.5,-80.84,18:00,21:00\n";
    const std::string events = write_file(dir / "events.csv", csv);
    const std::string args = "coverage --areas " + kCharlotte + "neighborhoods.geojson --events " + events + " --radius 800m --out ";
    const Result r = nightout_cli(args + (dir / "out").string(), dir);
    BOOST_CHECK_EQUAL(r.code, 3);
    BOOST_TEST(has(r.err, "events.csv: 3 bad row(s) of 187 events: line 186: field 'lat' is empty"), r.err);
    BOOST_TEST(has(r.err, "line 187: field 'lon' is 'abc', not a number"), r.err);
    BOOST_TEST(has(r.err, "line 188: latitude 'lat' = 95.5 is outside -90..90"), r.err);
    BOOST_TEST(has(r.err, "--skip-bad-rows"), r.err);

    const Result skipped = nightout_cli(args + (dir / "out").string() + " --skip-bad-rows", dir);
    BOOST_REQUIRE_EQUAL(skipped.code, 0);
    BOOST_TEST(has(skipped.err, "3 bad row(s) left out (--skip-bad-rows)"), skipped.err);
    const auto s = summary_of(dir);
    BOOST_CHECK_EQUAL(s["totals"]["events"].get<int>(), 184);
    BOOST_CHECK_EQUAL(s["rejected_rows"]["count"].get<int>(), 3);
    BOOST_CHECK_EQUAL(s["rejected_rows"]["by_input"][events].get<int>(), 3);
    const auto rejected = read_back(dir / "out" / "rejected.csv");
    BOOST_REQUIRE_EQUAL(rejected.size(), 3u);
    BOOST_CHECK_EQUAL(rejected[0].text.at("line"), "186");
    BOOST_CHECK_EQUAL(rejected[1].text.at("reason").substr(0, 26), "field 'lon' is 'abc', not ");
    BOOST_CHECK_EQUAL(rejected[2].text.at("raw"), "E903,Latitude out of range,library,x,95.5,-80.84,18:00,21:00");
}

BOOST_AUTO_TEST_CASE(the_first_twenty_bad_rows_are_listed_with_the_count) {
    TempDir dir;
    std::string csv = "id,name,lat,lon\n";
    for (int i = 0; i < 25; ++i) csv += "B" + std::to_string(i) + ",bad,," + "-80.84\n";
    csv += "G1,good,35.2,-80.84\n";
    const std::string events = write_file(dir / "events.csv", csv);
    const Result r = nightout_cli("coverage --areas " + kCharlotte + "neighborhoods.geojson --events " + events + " --radius 800m --out " +
                                      (dir / "out").string(),
                                  dir);
    BOOST_CHECK_EQUAL(r.code, 3);
    BOOST_TEST(has(r.err, "25 bad row(s) of 26 events"), r.err);
    BOOST_TEST(has(r.err, "line 21: field 'lat' is empty"), r.err);
    BOOST_CHECK(!has(r.err, "line 22:"));
    BOOST_TEST(has(r.err, "... and 5 more"), r.err);
}

BOOST_AUTO_TEST_CASE(plans_take_skip_bad_rows_and_max_offset) {
    TempDir dir;
    std::string csv = read_text(kCharlotte + "events.csv");
    csv += "E901,No latitude,library,x,,-80.84,18:00,21:00\n";
    write_file(dir / "events.csv", csv);
    write_file(dir / "plan.toml", "title = \"bad rows\"\n[inputs]\nareas = \"" + kCharlotte + "neighborhoods.geojson\"\nevents = \"events.csv\"\n"
                                  "skip_bad_rows = true\n[coverage]\nradius = \"800m\"\nmax_offset = \"10km\"\n");
    const Result r = nightout_cli("plan -q " + (dir / "plan.toml").string() + " --out " + (dir / "out").string(), dir);
    BOOST_REQUIRE_EQUAL(r.code, 0);
    const auto s = summary_of(dir, "out/coverage");
    BOOST_CHECK_EQUAL(s["rejected_rows"]["count"].get<int>(), 1);
    BOOST_CHECK_EQUAL(s["far_off"]["max_offset_m"].get<double>(), 10'000);
    BOOST_CHECK_EQUAL(s["totals"]["events"].get<int>(), 184);
    BOOST_CHECK_EQUAL(read_back(dir / "out" / "coverage" / "rejected.csv").size(), 1u);
}

BOOST_AUTO_TEST_CASE(max_offset_changes_the_limit) {
    // The Columbus events read as State Plane feet land about 577 km away: within 1000km they
    // are no longer far off (and then lie outside every area).
    TempDir dir;
    const Result r = nightout_cli("coverage -q " + kColumbusArgs + " --crs EPSG:3735 --max-offset 1000km --out " + (dir / "out").string(), dir);
    BOOST_REQUIRE_EQUAL(r.code, 0);
    const auto s = summary_of(dir);
    BOOST_CHECK_EQUAL(s["far_off"]["events"]["count"].get<int>(), 0);
    BOOST_CHECK_EQUAL(s["totals"]["events_outside_areas"].get<int>(), 39);
    const Result bad = nightout_cli("coverage " + kColumbusArgs + " --max-offset 50 --out " + (dir / "bad").string(), dir);
    BOOST_CHECK_EQUAL(bad.code, 2);
    BOOST_TEST(has(bad.err, "--max-offset"), bad.err);
}
