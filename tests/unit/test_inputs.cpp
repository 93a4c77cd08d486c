#define BOOST_TEST_MODULE inputs
#include <boost/test/unit_test.hpp>

#include "jobs/coverage_job.hpp"
#include "support.hpp"

using namespace nightout;
using namespace nightout::test;

namespace {

const std::string kSquare = R"({"type":"Polygon","coordinates":[[[-80.80,35.20],[-80.79,35.20],[-80.79,35.21],[-80.80,35.21],[-80.80,35.20]]]})";
const std::string kPoint = R"({"type":"Point","coordinates":[-80.795,35.205]})";

struct Case {
    std::string areas = feature_collection({{R"({"id":"a1","name":"One"})", kSquare}});
    std::string areas_name = "areas.geojson";
    std::string events = "id,lat,lon\ne1,35.205,-80.795\n";
    std::string events_name = "events.csv";
    std::string radius = "300m";
    std::string crs;
};

// Runs a job that must fail: returns the error, and checks that no output was left and inputs are untouched.
Error expect_failure(const Case& c, ErrorKind kind) {
    TempDir dir;
    std::string areas = write_file(dir / c.areas_name, c.areas);
    std::string events = write_file(dir / c.events_name, c.events);
    CoverageJob job;
    job.areas.path = areas;
    job.events.path = events;
    job.areas.crs = job.events.crs = c.crs;
    job.out_dir = (dir / "out").string();
    Log log(true);
    try {
        job.options.radii = parse_distance_list(c.radius, "--radius");
        run_coverage(job, log);
    } catch (const Error& e) {
        BOOST_TEST(static_cast<int>(e.kind()) == static_cast<int>(kind), e.what());
        BOOST_TEST(!fs::exists(dir / "out"), "partial output left behind");
        for (const auto& entry : fs::directory_iterator(dir.path()))
            BOOST_TEST(entry.path().filename().string().find("nightout-tmp") == std::string::npos, "staging folder left behind");
        BOOST_TEST(read_text(areas) == c.areas, "areas input modified");
        BOOST_TEST(read_text(events) == c.events, "events input modified");
        BOOST_TEST_MESSAGE("error: " << e.what());
        return e;
    }
    BOOST_FAIL("job did not fail");
    return Error(ErrorKind::Internal, "");
}

void expect_in(const Error& e, std::initializer_list<std::string> parts) {
    for (const auto& p : parts) BOOST_TEST(std::string(e.what()).find(p) != std::string::npos, "'" << p << "' not in: " << e.what());
}

nlohmann::json run_ok(const Case& c, Log& log, TempDir& dir) {
    CoverageJob job;
    job.areas.path = write_file(dir / c.areas_name, c.areas);
    job.events.path = write_file(dir / c.events_name, c.events);
    job.options.radii = parse_distance_list(c.radius, "--radius");
    job.out_dir = (dir / "out").string();
    return run_coverage(job, log);
}

}  // namespace

BOOST_AUTO_TEST_CASE(missing_file) {
    TempDir dir;
    CoverageJob job;
    job.areas.path = (dir / "nope.geojson").string();
    job.events.path = (dir / "events.csv").string();
    job.options.radii = parse_distance_list("300m", "--radius");
    job.out_dir = (dir / "out").string();
    Log log(true);
    try {
        run_coverage(job, log);
        BOOST_FAIL("no error");
    } catch (const Error& e) {
        BOOST_TEST(static_cast<int>(e.kind()) == 3);
        expect_in(e, {"nope.geojson", "not found"});
        BOOST_TEST(!fs::exists(dir / "out"));
    }
}

BOOST_AUTO_TEST_CASE(unreadable_file) {
    Case c;
    c.areas = "this is not a map {";
    expect_in(expect_failure(c, ErrorKind::Input), {"areas.geojson", "cannot read areas", "GeoJSON, GeoPackage"});
}

BOOST_AUTO_TEST_CASE(empty_layer) {
    Case c;
    c.areas = feature_collection({});
    expect_in(expect_failure(c, ErrorKind::Input), {"areas.geojson", "no features"});
}

BOOST_AUTO_TEST_CASE(points_given_as_areas) {
    Case c;
    c.areas = feature_collection({{"{}", kPoint}});
    expect_in(expect_failure(c, ErrorKind::Input), {"areas.geojson", "feature 1", "Point", "must be polygons"});
}

BOOST_AUTO_TEST_CASE(polygons_given_as_events) {
    Case c;
    c.events = feature_collection({{R"({"id":"x"})", kSquare}});
    c.events_name = "events.geojson";
    expect_in(expect_failure(c, ErrorKind::Input), {"events.geojson", "feature 1", "Polygon", "must be points"});
}

BOOST_AUTO_TEST_CASE(csv_non_numeric_coordinate_names_the_line) {
    Case c;
    c.events = "id,lat,lon\ne1,35.2,-80.79\ne2,\"35,2\",-80.79\n";
    expect_in(expect_failure(c, ErrorKind::Input), {"events.csv", "line 3", "'lat'", "'35,2'", "not a number"});
}

BOOST_AUTO_TEST_CASE(csv_line_numbers_count_multiline_records) {
    Case c;
    c.events = "id,name,lat,lon\ne1,\"two\nlines\",35.2,-80.79\ne2,x,abc,-80.79\n";
    expect_in(expect_failure(c, ErrorKind::Input), {"line 4", "'abc'"});
}

BOOST_AUTO_TEST_CASE(csv_swapped_columns_hinted) {
    Case c;
    c.events = "id,lat,lon\ne1,-100.5,35.2\n";
    expect_in(expect_failure(c, ErrorKind::Input), {"events.csv", "line 2", "latitude", "outside -90..90", "look swapped"});
}

BOOST_AUTO_TEST_CASE(csv_out_of_range_longitude) {
    Case c;
    c.events = "id,lat,lon\ne1,35.2,-280.79\n";
    expect_in(expect_failure(c, ErrorKind::Input), {"line 2", "longitude 'lon'", "outside -180..180"});
}

BOOST_AUTO_TEST_CASE(csv_without_coordinate_columns) {
    Case c;
    c.events = "id,where\ne1,here\n";
    expect_in(expect_failure(c, ErrorKind::Input), {"events.csv", "no coordinate columns", "--lat-field"});
}

BOOST_AUTO_TEST_CASE(empty_geometry) {
    Case c;
    c.areas = "id,wkt\na1,\"POLYGON((-80.8 35.2,-80.79 35.2,-80.79 35.21,-80.8 35.2))\"\na2,POLYGON EMPTY\n";
    c.areas_name = "areas.csv";
    expect_in(expect_failure(c, ErrorKind::Input), {"areas.csv", "line 3", "empty geometry"});
    // GeoJSON with empty coordinates reaches us as a missing geometry
    Case g;
    g.areas = feature_collection({{R"({"id":"a1"})", kSquare}, {R"({"id":"a2"})", R"({"type":"Polygon","coordinates":[]})"}});
    expect_in(expect_failure(g, ErrorKind::Input), {"areas.geojson", "feature 2", "geometry"});
}

BOOST_AUTO_TEST_CASE(missing_geometry) {
    Case c;
    c.areas = feature_collection({{R"({"id":"a1"})", "null"}});
    expect_in(expect_failure(c, ErrorKind::Input), {"areas.geojson", "feature 1", "no geometry"});
}

BOOST_AUTO_TEST_CASE(no_crs_and_not_lonlat) {
    Case c;
    c.areas = "id,wkt\na,\"POLYGON((1440000 500000,1441000 500000,1441000 501000,1440000 500000))\"\n";
    c.areas_name = "areas.csv";
    expect_in(expect_failure(c, ErrorKind::Input), {"areas.csv", "no coordinate reference system", "--crs"});
}

BOOST_AUTO_TEST_CASE(unknown_crs) {
    Case c;
    c.crs = "EPSG:999999";
    expect_in(expect_failure(c, ErrorKind::Usage), {"--crs", "EPSG:999999"});
}

BOOST_AUTO_TEST_CASE(unit_less_and_non_positive_radius) {
    for (const char* r : {"800", "0m", "-1km"}) {
        Case c;
        c.radius = r;
        expect_in(expect_failure(c, ErrorKind::Usage), {"--radius", r});
    }
}

BOOST_AUTO_TEST_CASE(output_path_is_a_file) {
    TempDir dir;
    write_file(dir / "taken", "x");
    CoverageJob job;
    job.areas.path = write_file(dir / "areas.geojson", Case{}.areas);
    job.events.path = write_file(dir / "events.csv", Case{}.events);
    job.options.radii = parse_distance_list("300m", "--radius");
    Log log(true);
    for (auto out : {dir / "taken", dir / "taken" / "sub"}) {
        job.out_dir = out.string();
        try {
            run_coverage(job, log);
            BOOST_FAIL("no error");
        } catch (const Error& e) {
            BOOST_TEST(static_cast<int>(e.kind()) == 4, e.what());
            expect_in(e, {out.string()});
        }
    }
    BOOST_TEST(read_text(dir / "taken") == "x");
}

BOOST_AUTO_TEST_CASE(invalid_polygon_is_repaired_and_reported) {
    Case c;
    // a bow-tie: self-intersecting ring
    c.areas = feature_collection({{R"({"id":"bow"})",
                                   R"({"type":"Polygon","coordinates":[[[-80.80,35.20],[-80.79,35.21],[-80.79,35.20],[-80.80,35.21],[-80.80,35.20]]]})"}});
    TempDir dir;
    Log log(true);
    auto summary = run_ok(c, log, dir);
    BOOST_TEST(summary["inputs"]["areas"]["repaired_polygons"].get<int>() == 1);
    BOOST_REQUIRE(log.warnings().size() == 1u);
    BOOST_TEST(log.warnings()[0].find("repaired 1 invalid") != std::string::npos);
    auto areas = read_back(dir / "out" / "neighborhoods.geojson");
    BOOST_REQUIRE(areas.size() == 1u);
    BOOST_TEST(areas[0].number["area_m2"] > 0);  // both triangles kept
    BOOST_TEST(areas[0].geometry->IsValid());
}

BOOST_AUTO_TEST_CASE(duplicate_ids_are_renamed_and_reported) {
    Case c;
    c.events = "id,lat,lon\ne1,35.205,-80.795\ne1,35.206,-80.795\ne1-2,35.207,-80.795\n";
    TempDir dir;
    Log log(true);
    auto summary = run_ok(c, log, dir);
    BOOST_TEST(summary["inputs"]["events"]["duplicate_ids_renamed"].get<int>() == 1);
    auto events = read_back(dir / "out" / "events.geojson");
    BOOST_REQUIRE(events.size() == 3u);
    BOOST_TEST(events[0].text["id"] == "e1");
    BOOST_TEST(events[1].text["id"] == "e1-3");  // e1-2 is taken by the third row
    BOOST_TEST(events[2].text["id"] == "e1-2");
}

BOOST_AUTO_TEST_CASE(missing_ids_get_their_index_and_fields_pass_through) {
    Case c;
    c.events = "title,kind,lat,lon\nFirst,park,35.205,-80.795\nSecond,school,35.206,-80.795\n";
    TempDir dir;
    Log log(true);
    run_ok(c, log, dir);
    auto events = read_back(dir / "out" / "events.geojson");
    BOOST_TEST(events[1].text["id"] == "2");
    BOOST_TEST(events[1].text["name"] == "Second");
    BOOST_TEST(events[1].text["kind"] == "school");
}

BOOST_AUTO_TEST_CASE(wkt_csv_and_multi_layer_geopackage) {
    TempDir dir;
    // A GeoPackage with two layers: the one named is used.
    GDALAllRegister();
    {
        GDALDatasetUniquePtr ds(GetGDALDriverManager()->GetDriverByName("GPKG")->Create((dir / "city.gpkg").c_str(), 0, 0, 0, GDT_Unknown, nullptr));
        OGRSpatialReference srs;
        srs.importFromEPSG(4326);
        for (const char* name : {"districts", "npa"}) {
            OGRLayer* l = ds->CreateLayer(name, &srs, wkbPolygon, nullptr);
            OGRFieldDefn fd("id", OFTString);
            l->CreateField(&fd);
            OGRFeatureUniquePtr f(OGRFeature::CreateFeature(l->GetLayerDefn()));
            f->SetField("id", name);
            OGRGeometry* g = nullptr;
            OGRGeometryFactory::createFromWkt("POLYGON((-80.80 35.20,-80.79 35.20,-80.79 35.21,-80.80 35.21,-80.80 35.20))", nullptr, &g);
            f->SetGeometryDirectly(g);
            BOOST_REQUIRE(l->CreateFeature(f.get()) == OGRERR_NONE);
        }
    }
    CoverageJob job;
    job.areas.path = (dir / "city.gpkg").string();
    job.events.path = write_file(dir / "events.csv", "id,wkt\ne1,POINT (-80.795 35.205)\n");
    job.options.radii = parse_distance_list("300m", "--radius");
    job.out_dir = (dir / "out").string();
    Log log(true);
    BOOST_CHECK_THROW(run_coverage(job, log), Error);  // two polygon layers: must be named
    job.areas.layer = "npa";
    run_coverage(job, log);
    auto areas = read_back(dir / "out" / "neighborhoods.geojson");
    BOOST_TEST(areas[0].text["id"] == "npa");
    BOOST_TEST(areas[0].number["events_inside"] == 1);
}

BOOST_AUTO_TEST_CASE(geojson_feature_level_ids) {
    TempDir dir;
    Case c;
    c.areas = R"({"type":"FeatureCollection","features":[{"type":"Feature","id":101,"properties":{"name":"One"},"geometry":)" + kSquare +
              R"(},{"type":"Feature","id":205,"properties":{"name":"Two"},"geometry":)" + kSquare + "}]}";
    Log log(true);
    run_ok(c, log, dir);
    auto areas = read_back(dir / "out" / "neighborhoods.geojson");
    BOOST_REQUIRE(areas.size() == 2u);
    BOOST_TEST(areas[0].text["id"] == "101");
    BOOST_TEST(areas[1].text["id"] == "205");
}
