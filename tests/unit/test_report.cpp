// report.html's offline backdrop (report/backdrop.hpp) on a hand-made OpenStreetMap extract:
// which ways each zoom band keeps, the street names, the delta-encoded coordinates and the
// Douglas-Peucker simplification, worked out by hand; and the error for an unreadable file.
#define BOOST_TEST_MODULE report
#include <boost/test/unit_test.hpp>

#include "core/error.hpp"
#include "report/backdrop.hpp"
#include "support.hpp"

#include <nlohmann/json.hpp>
#include <ogr_geometry.h>

#include <memory>
#include <set>

using namespace nightout;

namespace {

// Near 47 N: 1e-5 degrees of latitude are 1.1 m. Hauptstrasse bends 3 m north (2.714e-5 degrees,
// 3 units of 1e-5 once rounded) halfway along its 150 m.
const char* kExtract = R"(<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6" generator="hand">
  <node id="1" lat="47.0000000" lon="9.5000000"/>
  <node id="2" lat="47.0000271" lon="9.5010000"/>
  <node id="3" lat="47.0000000" lon="9.5020000"/>
  <node id="4" lat="47.0100000" lon="9.4900000"/>
  <node id="5" lat="47.0100000" lon="9.5100000"/>
  <node id="6" lat="47.0050000" lon="9.5000000"/>
  <node id="7" lat="47.0050000" lon="9.5005000"/>
  <node id="10" lat="47.0020000" lon="9.5000000"/>
  <node id="11" lat="47.0020000" lon="9.5020000"/>
  <node id="12" lat="47.0040000" lon="9.5020000"/>
  <node id="13" lat="47.0040000" lon="9.5000000"/>
  <node id="20" lat="47.0020000" lon="9.5030000"/>
  <node id="21" lat="47.0020000" lon="9.5032000"/>
  <node id="22" lat="47.0022000" lon="9.5032000"/>
  <node id="23" lat="47.0022000" lon="9.5030000"/>
  <node id="30" lat="47.5000000" lon="10.0000000"/>
  <node id="31" lat="47.5000000" lon="10.0010000"/>
  <way id="100"><nd ref="1"/><nd ref="2"/><nd ref="3"/><tag k="highway" v="residential"/><tag k="name" v="Hauptstrasse"/></way>
  <way id="101"><nd ref="4"/><nd ref="5"/><tag k="highway" v="motorway"/><tag k="name" v="A13"/></way>
  <way id="102"><nd ref="6"/><nd ref="7"/><tag k="highway" v="footway"/></way>
  <way id="103"><nd ref="6"/><nd ref="7"/><tag k="highway" v="construction"/></way>
  <way id="104"><nd ref="10"/><nd ref="11"/><nd ref="12"/><nd ref="13"/><nd ref="10"/><tag k="natural" v="water"/></way>
  <way id="105"><nd ref="20"/><nd ref="21"/><nd ref="22"/><nd ref="23"/><nd ref="20"/><tag k="leisure" v="park"/></way>
  <way id="106"><nd ref="30"/><nd ref="31"/><tag k="highway" v="residential"/><tag k="name" v="Far away"/></way>
</osm>
)";

std::set<std::string> keys(const nlohmann::json& o) {
    std::set<std::string> out;
    for (const auto& [k, v] : o.items()) out.insert(k);
    return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(bands_names_and_simplification) {
    nightout::test::TempDir dir;
    const std::string path = nightout::test::write_file(dir / "extract.osm", kExtract);
    BOOST_TEST(is_osm_extract(path));
    BOOST_TEST(!is_osm_extract("streets.geojson"));
    BackdropStats stats;
    const auto bd = nlohmann::json::parse(backdrop_json(path, {9.495, 46.995, 9.505, 47.015}, &stats));
    BOOST_TEST(stats.ways == 5u);  // the construction and the far-away street are left out
    BOOST_TEST(bd["scale"].get<int>() == 100000);
    BOOST_TEST((bd["names"] == nlohmann::json{"Hauptstrasse", "A13"}));
    const auto& bands = bd["bands"];
    BOOST_REQUIRE(bands.size() == 3u);
    // City zoom: main streets and large water; the neighbourhood adds every street; the block paths and small parks.
    BOOST_TEST((keys(bands[0]["classes"]) == std::set<std::string>{"motorway", "water"}));
    BOOST_TEST((keys(bands[1]["classes"]) == std::set<std::string>{"motorway", "minor", "water"}));
    BOOST_TEST((keys(bands[2]["classes"]) == std::set<std::string>{"motorway", "minor", "path", "water", "park"}));
    // Hauptstrasse: name 0, starts at (950000, 4700000); the 3 m bend is kept within 1 m (zoom 15+)
    // and dropped within 4 m (zoom 13-14).
    BOOST_TEST((bands[2]["classes"]["minor"][0] == nlohmann::json{0, 950000, 4700000, 100, 3, 100, -3}));
    BOOST_TEST((bands[1]["classes"]["minor"][0] == nlohmann::json{0, 950000, 4700000, 200, 0}));
    BOOST_TEST((bands[0]["classes"]["motorway"][0] == nlohmann::json{1, 949000, 4701000, 2000, 0}));
    // The lake: a closed ring, unnamed (-1), its deltas summing to zero.
    const auto& lake = bands[0]["classes"]["water"][0];
    BOOST_TEST(lake[0].get<int>() == -1);
    BOOST_TEST(lake.size() == 11u);
    long sx = 0, sy = 0;
    for (std::size_t i = 3; i < lake.size(); i += 2) sx += lake[i].get<long>(), sy += lake[i + 1].get<long>();
    BOOST_TEST(sx == 0);
    BOOST_TEST(sy == 0);
    BOOST_TEST(stats.points[2] == 3u + 2u + 2u + 5u + 5u);
}

BOOST_AUTO_TEST_CASE(nothing_to_draw_and_unreadable_extracts) {
    nightout::test::TempDir dir;
    const std::string path = nightout::test::write_file(dir / "extract.osm", kExtract);
    BOOST_TEST(backdrop_json(path, {0, 0, 1, 1}).empty());  // no way there
    BOOST_TEST(backdrop_json(path, LonLatBox{}).empty());   // no study
    const std::string bad = nightout::test::write_file(dir / "broken.osm.pbf", "not a pbf");
    try {
        backdrop_json(bad, {9.495, 46.995, 9.505, 47.015});
        BOOST_ERROR("an unreadable extract was accepted");
    } catch (const Error& e) {
        BOOST_TEST(e.exit_code() == 3);
        BOOST_TEST(std::string(e.what()).find(bad + ": cannot be read as an OpenStreetMap extract") == 0, e.what());
    }
}

// The GeoPackage's backdrop layers: every way in full detail (no simplification), streets with
// their class and name, water and parks as closed polygons.
BOOST_AUTO_TEST_CASE(geopackage_layers_keep_full_detail) {
    nightout::test::TempDir dir;
    const std::string path = nightout::test::write_file(dir / "extract.osm", kExtract);
    const auto layers = backdrop_layers(read_backdrop(path, {9.495, 46.995, 9.505, 47.015}));
    BOOST_REQUIRE(layers.size() == 2u);
    const OutLayer& areas = layers[0];
    const OutLayer& streets = layers[1];
    BOOST_TEST(streets.name == "streets");
    BOOST_TEST(areas.name == "water_and_parks");
    BOOST_TEST((streets.kind == LayerKind::Backdrop && areas.kind == LayerKind::Backdrop));
    BOOST_REQUIRE(streets.rows.size() == 3u);  // Hauptstrasse, A13, the footway
    BOOST_TEST(std::get<std::string>(streets.rows[0][0]) == "minor");
    BOOST_TEST(std::get<std::string>(streets.rows[0][1]) == "Hauptstrasse");
    BOOST_TEST(std::holds_alternative<std::monostate>(streets.rows[2][1]));  // the footway has no name
    auto geometry = [](const std::vector<unsigned char>& wkb) {
        OGRGeometry* g = nullptr;
        BOOST_REQUIRE(OGRGeometryFactory::createFromWkb(wkb.data(), nullptr, &g, wkb.size()) == OGRERR_NONE);
        return std::unique_ptr<OGRGeometry>(g);
    };
    const auto street = geometry(streets.wkb[0]);
    const OGRLineString* line = street->toLineString();
    BOOST_REQUIRE(line->getNumPoints() == 3);  // the 3 m bend kept
    BOOST_TEST(line->getX(1) == 9.501);
    BOOST_TEST(line->getY(1) == 47.0000271);
    BOOST_REQUIRE(areas.rows.size() == 2u);
    BOOST_TEST(std::get<std::string>(areas.rows[1][0]) == "park");
    const auto lake = geometry(areas.wkb[0]);
    BOOST_TEST(lake->toPolygon()->getExteriorRing()->getNumPoints() == 5);
    BOOST_TEST(lake->toPolygon()->get_Area() == 0.002 * 0.002, boost::test_tools::tolerance(1e-9));
}
