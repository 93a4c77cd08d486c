#define BOOST_TEST_MODULE core
#include <boost/test/unit_test.hpp>

#include "analyse/study.hpp"
#include "core/error.hpp"
#include "core/units.hpp"
#include "geo/dissolve.hpp"
#include "geo/geodesic.hpp"
#include "geo/spatial_index.hpp"
#include "support.hpp"
#include "geo/geos.hpp"
#include "write/output_dir.hpp"
#include "write/vector_writer.hpp"

#include <nlohmann/json.hpp>
#include <proj.h>

#include <cmath>
#include <fstream>
#include <random>
#include <sstream>

using namespace nightout;

BOOST_AUTO_TEST_SUITE(units)

BOOST_AUTO_TEST_CASE(accepted_units) {
    // value written, meters expected
    const std::vector<std::pair<std::string, double>> table = {
        {"800m", 800},       {"1km", 1000},          {"0.5mi", 804.672}, {"2000ft", 609.6},
        {"100yd", 91.44},    {" 1.5 KM ", 1500},     {"400M", 400},      {"1e3m", 1000},
    };
    for (const auto& [text, meters] : table) {
        Distance d = parse_distance(text, "--radius");
        BOOST_TEST(d.meters == meters, boost::test_tools::tolerance(1e-12));
    }
    BOOST_TEST(parse_distance("0.5mi", "--radius").label == "0.5mi");
}

BOOST_AUTO_TEST_CASE(rejected_distances) {
    for (const std::string bad : {"800", "0m", "-5m", "abc", "", "5 parsecs", "nanm", "infm", "m"}) {
        try {
            parse_distance(bad, "--radius");
            BOOST_FAIL("accepted '" + bad + "'");
        } catch (const Error& e) {
            BOOST_TEST(static_cast<int>(e.kind()) == static_cast<int>(ErrorKind::Usage));
            BOOST_TEST(std::string(e.what()).find("--radius") != std::string::npos);
            BOOST_TEST(std::string(e.what()).find("m, km, mi, ft or yd") != std::string::npos);
        }
    }
}

BOOST_AUTO_TEST_CASE(radius_lists) {
    auto radii = parse_distance_list("400m, 800m,1mi", "--radius");
    BOOST_TEST(radii.size() == 3u);
    BOOST_TEST(radii[1].label == "800m");
    BOOST_CHECK_THROW(parse_distance_list("400m,400m", "--radius"), Error);
    BOOST_CHECK_THROW(parse_distance_list("400m,,800m", "--radius"), Error);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(geodesics)

// Karney's test geodesics: our WGS84 distances agree to well under a millimetre.
BOOST_AUTO_TEST_CASE(karney_geodtest_100) {
    std::ifstream in(test::source_dir() + "/tests/data/GeodTest-100.dat");
    BOOST_REQUIRE(in);
    std::string line;
    int n = 0;
    double worst = 0;
    while (std::getline(in, line)) {
        std::istringstream ss(line);
        double lat1, lon1, azi1, lat2, lon2, azi2, s12;
        ss >> lat1 >> lon1 >> azi1 >> lat2 >> lon2 >> azi2 >> s12;
        BOOST_REQUIRE(ss);
        GeodesicResult r = geodesic_inverse(lon1, lat1, lon2, lat2);
        worst = std::max(worst, std::fabs(r.s12 - s12));
        BOOST_TEST(std::fabs(r.s12 - s12) < 1e-3, "line " << n + 1 << ": " << r.s12 << " vs " << s12);
        ++n;
    }
    BOOST_TEST(n == 100);
    BOOST_TEST_MESSAGE("GeodTest-100: worst distance error " << worst << " m");
    BOOST_TEST(worst < 1e-6);  // Karney's algorithm is good to nanometres; keep a wide margin
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(spatial_index)

// The nearest point found through the projected tree is the geodesic nearest, as brute force finds it.
BOOST_AUTO_TEST_CASE(nearest_matches_brute_force) {
    GeosContext ctx;
    ProjContext pctx;
    std::mt19937 rng(42);
    std::uniform_real_distribution<double> lon(-81.0, -80.5), lat(35.0, 35.5);
    LocalProjection proj = choose_local_projection(-81.0, 35.0, -80.5, 35.5);
    Transform to_local(pctx, kWgs84, proj.proj_string());
    auto make = [&](int n, std::vector<LonLat>& ll, std::vector<XY>& xy) {
        for (int i = 0; i < n; ++i) {
            LonLat p{lon(rng), lat(rng)};
            XY q{p.lon, p.lat};
            BOOST_REQUIRE(to_local.forward(q.x, q.y));
            ll.push_back(p);
            xy.push_back(q);
        }
    };
    std::vector<LonLat> ll, qll;
    std::vector<XY> xy, qxy;
    make(500, ll, xy);
    make(300, qll, qxy);
    PointIndex index(ctx, ll, xy, proj.scale_bound());
    for (std::size_t q = 0; q < qll.size(); ++q) {
        Nearest n = index.nearest(ctx, qll[q], qxy[q]);
        double best = 1e300;
        std::size_t best_i = 0;
        for (std::size_t i = 0; i < ll.size(); ++i) {
            double d = geodesic_distance(qll[q].lon, qll[q].lat, ll[i].lon, ll[i].lat);
            if (d < best) best = d, best_i = i;
        }
        BOOST_TEST(n.found);
        BOOST_TEST(n.index == best_i);
        BOOST_TEST(n.meters == best, boost::test_tools::tolerance(1e-12));
        // within() agrees with brute force too
        auto w = index.within(ctx, qll[q], qxy[q], 3000);
        std::size_t expected = 0;
        for (std::size_t i = 0; i < ll.size(); ++i)
            expected += geodesic_distance(qll[q].lon, qll[q].lat, ll[i].lon, ll[i].lat) <= 3000;
        BOOST_TEST(w.size() == expected);
    }
}

BOOST_AUTO_TEST_CASE(local_projection_scale_bound) {
    // Within 25 km of the centre the LAEA scale error stays below 2e-6 (c^2/8).
    LocalProjection p = choose_local_projection(-80.2, 35.0, -79.8, 35.2);
    BOOST_TEST(p.scale_bound() - 1.0 < 2e-6);
    BOOST_TEST(p.scale_bound() >= 1.0);
}

BOOST_AUTO_TEST_SUITE_END()

// GeoJSON output: rings follow the right-hand rule whatever their input orientation, no
// crs member; a polygon spanning more than 180 degrees of longitude (across the
// antimeridian) goes through GDAL's RFC 7946 mode, which splits it in two.
BOOST_AUTO_TEST_CASE(geojson_right_hand_rule_and_antimeridian) {
    nightout::test::TempDir dir;
    GeosContext ctx;
    auto wkb_of = [&](const char* wkt) {
        GEOSWKTReader* r = GEOSWKTReader_create_r(ctx);
        GeomPtr g = own(ctx, GEOSWKTReader_read_r(ctx, r, wkt), "wkt");
        GEOSWKTReader_destroy_r(ctx, r);
        return to_wkb(ctx, g.get());
    };
    OutLayer clockwise("areas", OutGeom::Polygon);
    clockwise.add_field("id", FieldType::String);
    // Exterior clockwise and hole counter-clockwise: both the wrong way round for RFC 7946.
    clockwise.rows.push_back({std::string("a")});
    clockwise.wkb.push_back(wkb_of("POLYGON((0 0,0 1,1 1,1 0,0 0),(0.2 0.2,0.8 0.2,0.8 0.8,0.2 0.8,0.2 0.2))"));
    write_layer_file(clockwise, Format::GeoJSON, dir.path() / "cw.geojson");
    auto doc = nlohmann::json::parse(nightout::test::read_text(dir.path() / "cw.geojson"));
    BOOST_TEST(!doc.contains("crs"));
    auto signed_area = [](const nlohmann::json& ring) {
        double a = 0;
        for (std::size_t i = 0; i + 1 < ring.size(); ++i)
            a += ring[i][0].get<double>() * ring[i + 1][1].get<double>() - ring[i + 1][0].get<double>() * ring[i][1].get<double>();
        return a / 2;
    };
    const auto& rings = doc["features"][0]["geometry"]["coordinates"];
    BOOST_TEST(signed_area(rings[0]) == 1.0, boost::test_tools::tolerance(1e-9));
    BOOST_TEST(signed_area(rings[1]) == -0.36, boost::test_tools::tolerance(1e-9));

    OutLayer across("areas", OutGeom::Polygon);
    across.add_field("id", FieldType::String);
    across.rows.push_back({std::string("fiji")});
    across.wkb.push_back(wkb_of("POLYGON((179 -17,-179 -17,-179 -16,179 -16,179 -17))"));
    write_layer_file(across, Format::GeoJSON, dir.path() / "across.geojson");
    doc = nlohmann::json::parse(nightout::test::read_text(dir.path() / "across.geojson"));
    BOOST_TEST(doc["features"][0]["geometry"]["type"].get<std::string>() == "MultiPolygon");
}

BOOST_AUTO_TEST_SUITE(coverage_dissolve)

GeomPtr wkt(const GeosContext& ctx, const std::string& text) {
    GEOSWKTReader* r = GEOSWKTReader_create_r(ctx);
    GeomPtr g = own(ctx, GEOSWKTReader_read_r(ctx, r, text.c_str()), "wkt");
    GEOSWKTReader_destroy_r(ctx, r);
    return g;
}

GeomPtr square(const GeosContext& ctx, double x, double y, double s = 1) {
    std::ostringstream o;
    o << "POLYGON((" << x << ' ' << y << ',' << x + s << ' ' << y << ',' << x + s << ' ' << y + s << ',' << x << ' ' << y + s << ',' << x << ' ' << y << "))";
    return wkt(ctx, o.str());
}

// dissolve_coverage against hand-worked unions and against GEOS's coverage union.
void check(const GeosContext& ctx, const std::vector<GeomPtr>& parts, double area_expected, int polygons, int holes) {
    std::vector<const GEOSGeometry*> raw;
    for (const auto& p : parts) raw.push_back(p.get());
    GeomPtr d = dissolve_coverage(ctx, raw);
    BOOST_REQUIRE(d);
    BOOST_CHECK(GEOSisValid_r(ctx, d.get()) == 1);
    BOOST_CHECK_CLOSE(area(ctx, d.get()), area_expected, 1e-9);
    BOOST_CHECK_EQUAL(GEOSGetNumGeometries_r(ctx, d.get()), polygons);
    int h = 0;
    for (int k = 0; k < GEOSGetNumGeometries_r(ctx, d.get()); ++k) h += GEOSGetNumInteriorRings_r(ctx, GEOSGetGeometryN_r(ctx, d.get(), k));
    BOOST_CHECK_EQUAL(h, holes);
    std::vector<GeomPtr> copies;
    for (const auto& p : parts) copies.push_back(clone(ctx, p.get()));
    GeomPtr all = collect(ctx, GEOS_GEOMETRYCOLLECTION, std::move(copies));
    GeomPtr reference = own(ctx, GEOSCoverageUnion_r(ctx, all.get()), "coverage union");
    BOOST_CHECK(GEOSEquals_r(ctx, d.get(), reference.get()) == 1);
}

BOOST_AUTO_TEST_CASE(hand_worked_unions) {
    GeosContext ctx;
    {  // two squares side by side: one 2 x 1 rectangle
        std::vector<GeomPtr> p;
        p.push_back(square(ctx, 0, 0));
        p.push_back(square(ctx, 1, 0));
        check(ctx, p, 2, 1, 0);
    }
    {  // eight squares around an empty middle: one polygon with a hole
        std::vector<GeomPtr> p;
        for (int x = 0; x < 3; ++x)
            for (int y = 0; y < 3; ++y)
                if (x != 1 || y != 1) p.push_back(square(ctx, x, y));
        check(ctx, p, 8, 1, 1);
    }
    {  // the same ring with an island in its hole: two polygons
        std::vector<GeomPtr> p;
        for (int x = 0; x < 3; ++x)
            for (int y = 0; y < 3; ++y)
                if (x != 1 || y != 1) p.push_back(square(ctx, x, y));
        p.push_back(square(ctx, 1.25, 1.25, 0.5));
        check(ctx, p, 8.25, 2, 1);
    }
    {  // squares meeting at one corner stay two polygons
        std::vector<GeomPtr> p;
        p.push_back(square(ctx, 0, 0));
        p.push_back(square(ctx, 1, 1));
        check(ctx, p, 2, 2, 0);
    }
    {  // an L of three squares and a triangle whose tip touches the L's hole-like notch
        std::vector<GeomPtr> p;
        p.push_back(square(ctx, 0, 0));
        p.push_back(square(ctx, 1, 0));
        p.push_back(square(ctx, 0, 1));
        p.push_back(wkt(ctx, "MULTIPOLYGON(((1 1,2 1,2 2,1 1)),((5 5,6 5,6 6,5 5)))"));
        check(ctx, p, 4, 2, 0);
    }
}

BOOST_AUTO_TEST_CASE(not_a_coverage_is_refused) {
    GeosContext ctx;
    // A square lying on half of a rectangle, sharing one edge: the linework is not noded,
    // the area would change, so the caller must use an overlay union.
    GeomPtr a = wkt(ctx, "POLYGON((0 0,2 0,2 1,0 1,0 0))"), b = square(ctx, 0, 0);
    BOOST_CHECK(!dissolve_coverage(ctx, {a.get(), b.get()}));
    // A shared edge with a vertex only one side has (not noded alike): refused as well.
    GeomPtr c = wkt(ctx, "POLYGON((1 0,2 0,2 1,1 1,1 0.5,1 0))");
    GeomPtr d = wkt(ctx, "POLYGON((0 0,1 0,1 1,0 1,0 0))");
    GeomPtr r = dissolve_coverage(ctx, {c.get(), d.get()});
    BOOST_CHECK(!r || std::fabs(area(ctx, r.get()) - 2) < 1e-9);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(background_writing)

// Layers written in the background: a failing layer fails finish() after every other write
// has ended, and nothing reaches the destination folder.
BOOST_AUTO_TEST_CASE(a_failed_layer_fails_the_whole_output) {
    nightout::test::TempDir dir;
    GeosContext ctx;
    auto point_layer = [&](const std::string& name, std::size_t n) {
        OutLayer l(name, OutGeom::Point);
        l.add_field("id", FieldType::String);
        for (std::size_t i = 0; i < n; ++i) {
            l.rows.push_back({std::to_string(i)});
            l.wkb.push_back(to_wkb(ctx, make_point(ctx, 9.5 + 1e-4 * i, 47.1).get()));
        }
        return l;
    };
    OutLayer good = point_layer("good", 20000), bad = point_layer("bad", 3);
    bad.wkb[1] = {1, 2, 3};  // not WKB
    const auto out_path = dir.path() / "out";
    {
        OutputDir out(out_path);
        LayerWriter writer(out, {Format::GeoJSON, Format::FlatGeobuf});
        writer.add(good);
        writer.add(bad);
        BOOST_CHECK_THROW(writer.finish(), Error);
    }
    BOOST_TEST(!std::filesystem::exists(out_path / "good.geojson"));
    // The same layers without the bad one: both formats written, in the order added.
    {
        OutputDir out(out_path);
        OutLayer other = point_layer("other", 5);
        LayerWriter writer(out, {Format::GeoJSON, Format::FlatGeobuf});
        writer.add(good);
        writer.add(other);
        const std::vector<std::string> expected{"good.geojson", "other.geojson", "good.fgb", "other.fgb"};
        BOOST_TEST(writer.finish() == expected, boost::test_tools::per_element());
        out.commit();
    }
    BOOST_TEST(nightout::test::read_back(out_path / "good.geojson").size() == 20000u);
    BOOST_TEST(nightout::test::read_back(out_path / "other.fgb").size() == 5u);
}

// A writer dropped without finish() (an error elsewhere) waits for its writes to end.
BOOST_AUTO_TEST_CASE(an_unfinished_writer_waits) {
    nightout::test::TempDir dir;
    GeosContext ctx;
    OutLayer l("pts", OutGeom::Point);
    l.add_field("id", FieldType::String);
    for (int i = 0; i < 5000; ++i) {
        l.rows.push_back({std::to_string(i)});
        l.wkb.push_back(to_wkb(ctx, make_point(ctx, 1e-3 * i, 0).get()));
    }
    OutputDir out(dir.path() / "out");
    {
        LayerWriter writer(out, {Format::GeoJSON});
        writer.add(l);
    }
    BOOST_TEST(std::filesystem::exists(out.file("pts.geojson")));
}

BOOST_AUTO_TEST_SUITE_END()

// --out-crs: GeoPackage, FlatGeobuf and Shapefile outputs (and CSV point coordinates) in the
// asked CRS, their metadata saying so; GeoJSON stays WGS84. The coordinates read back equal
// PROJ's own transformation of the inputs (proj_trans, lon/lat order normalised).
BOOST_AUTO_TEST_SUITE(output_crs)

struct ProjPoint {
    double x, y;
};
ProjPoint proj_forward(const char* to, double lon, double lat) {
    PJ_CONTEXT* ctx = proj_context_create();
    PJ* raw = proj_create_crs_to_crs(ctx, "EPSG:4326", to, nullptr);
    PJ* pj = proj_normalize_for_visualization(ctx, raw);
    PJ_COORD c = proj_trans(pj, PJ_FWD, proj_coord(lon, lat, 0, 0));
    proj_destroy(pj);
    proj_destroy(raw);
    proj_context_destroy(ctx);
    return {c.xy.x, c.xy.y};
}

BOOST_AUTO_TEST_CASE(outputs_in_state_plane_feet) {
    nightout::test::TempDir dir;
    GeosContext ctx;
    // Charlotte: uptown and a corner of a square around it.
    const double lon[] = {-80.8431, -80.7}, lat[] = {35.2271, 35.3};
    OutLayer pts("events", OutGeom::Point);
    pts.add_field("id", FieldType::String);
    for (int i = 0; i < 2; ++i) {
        pts.rows.push_back({std::string(1, static_cast<char>('a' + i))});
        pts.wkb.push_back(to_wkb(ctx, make_point(ctx, lon[i], lat[i]).get()));
    }
    const OutputCrs crs = parse_out_crs("epsg:2264");
    BOOST_TEST(crs.code == "EPSG:2264");
    {
        OutputDir out(dir.path() / "out");
        LayerWriter writer(out, {Format::GeoPackage, Format::FlatGeobuf, Format::Shapefile, Format::GeoJSON}, "nightout.gpkg", crs);
        writer.add(pts);
        writer.finish();
        write_csv(pts, out.file("events.csv"), crs);
        out.commit();
    }
    const ProjPoint want[] = {proj_forward("EPSG:2264", lon[0], lat[0]), proj_forward("EPSG:2264", lon[1], lat[1])};
    // NC State Plane (US feet): uptown Charlotte is about 1.44 million ft east, 0.54 million ft north.
    BOOST_TEST(want[0].x > 1.4e6);
    BOOST_TEST(want[0].x < 1.5e6);
    BOOST_TEST(want[0].y > 5.0e5);
    BOOST_TEST(want[0].y < 5.8e5);
    OGRSpatialReference state_plane;
    state_plane.importFromEPSG(2264);
    for (const char* file : {"nightout.gpkg", "events.fgb", "events.shp"}) {
        BOOST_TEST_CONTEXT(file) {
            GDALDatasetUniquePtr ds(GDALDataset::Open((dir.path() / "out" / file).c_str(), GDAL_OF_VECTOR));
            BOOST_REQUIRE(ds);
            const OGRSpatialReference* srs = ds->GetLayer(0)->GetSpatialRef();
            BOOST_REQUIRE(srs);
            BOOST_TEST(srs->IsSame(&state_plane, std::vector<const char*>{"IGNORE_DATA_AXIS_TO_SRS_AXIS_MAPPING=YES", nullptr}.data()));
            const auto back = nightout::test::read_back(dir.path() / "out" / file);
            BOOST_REQUIRE(back.size() == 2u);
            for (const auto& f : back) {
                const int i = f.text.at("id") == "a" ? 0 : 1;  // FlatGeobuf's spatial index reorders features
                const OGRPoint* p = f.geometry->toPoint();
                BOOST_TEST(p->getX() == want[i].x, boost::test_tools::tolerance(1e-9));
                BOOST_TEST(p->getY() == want[i].y, boost::test_tools::tolerance(1e-9));
            }
        }
    }
    BOOST_TEST(nightout::test::read_text(dir.path() / "out" / "events.prj").find("North_Carolina") != std::string::npos);
    // GeoJSON: RFC 7946, WGS84 lon/lat whatever the output CRS.
    const auto geojson = nlohmann::json::parse(nightout::test::read_text(dir.path() / "out" / "events.geojson"));
    BOOST_TEST(geojson["features"][0]["geometry"]["coordinates"][0].get<double>() == lon[0], boost::test_tools::tolerance(1e-9));
    BOOST_TEST(!geojson.contains("crs"));
    // CSV: x, y last, in feet.
    std::istringstream csv(nightout::test::read_text(dir.path() / "out" / "events.csv"));
    std::string line;
    std::getline(csv, line);
    BOOST_TEST(line == "id,x,y");
    for (int i = 0; i < 2; ++i) {
        std::getline(csv, line);
        const auto c1 = line.find(','), c2 = line.find(',', c1 + 1);
        BOOST_TEST(std::stod(line.substr(c1 + 1, c2 - c1 - 1)) == want[i].x, boost::test_tools::tolerance(1e-9));
        BOOST_TEST(std::stod(line.substr(c2 + 1)) == want[i].y, boost::test_tools::tolerance(1e-9));
    }
}

BOOST_AUTO_TEST_CASE(what_out_crs_accepts) {
    BOOST_TEST(parse_out_crs("EPSG:4326").wgs84());
    BOOST_TEST(parse_out_crs("EPSG:32632").code == "EPSG:32632");
    for (const char* bad : {"2264", "EPSG:", "EPSG:abc", "EPSG:999999", "EPSG:5703" /* a vertical CRS */, "+proj=utm"}) {
        BOOST_TEST_CONTEXT(bad) {
            try {
                parse_out_crs(bad);
                BOOST_ERROR("accepted");
            } catch (const Error& e) {
                BOOST_TEST(e.exit_code() == 2);
                BOOST_TEST(std::string(e.what()).find("--out-crs: '" + std::string(bad) + "'") == 0);
            }
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
