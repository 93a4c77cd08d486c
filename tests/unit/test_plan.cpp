// `nightout plan`: a whole study from one TOML file, every export read back with GDAL,
// the styled GeoPackage's layer_styles table, report.html's offline guarantees, and one clear
// error (file:line, key, what is accepted; no output) for each kind of bad plan.
#define BOOST_TEST_MODULE plan
#include <boost/test/unit_test.hpp>

#include "support.hpp"

#include <nlohmann/json.hpp>
#include <proj.h>

#include <cstdlib>
#include <set>
#include <sstream>
#include <sys/wait.h>

using namespace nightout;
using namespace nightout::test;

namespace {

struct Result {
    int code;
    std::string out, err;
};

Result run(const std::string& args, const TempDir& dir) {
    std::string cmd = std::string(NIGHTOUT_BINARY) + " " + args + " >" + (dir / "stdout.txt").string() + " 2>" + (dir / "stderr.txt").string();
    int status = std::system(cmd.c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_text(dir / "stdout.txt"), read_text(dir / "stderr.txt")};
}

std::string charlotte(const std::string& name) { return source_dir() + "/data/charlotte/" + name; }

// A plan over the Charlotte sample, with absolute paths so it can live in a temporary folder.
std::string sample_plan(const std::string& formats, const std::string& extra = "") {
    return "title = \"Test plan\"\nattribution = \"Mecklenburg County GIS (MIT)\"\nformats = " + formats + "\n\n[inputs]\nareas = \"" +
           charlotte("neighborhoods.geojson") + "\"\nevents = \"" + charlotte("events.csv") + "\"\nstations = \"" + charlotte("police_stations.geojson") +
           "\"\npopulation_field = \"p1\"\n\n[coverage]\nradius = [\"400m\", \"800m\"]\n\n[travel]\n\n[site]\nmodel = \"mclp\"\nk = 3\ncandidates = [\"" +
           charlotte("parks.geojson") + "\", \"" + charlotte("libraries.geojson") + "\"]\n" + extra;
}

std::size_t feature_count(const fs::path& path, const std::string& layer = "") {
    GDALAllRegister();
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    BOOST_REQUIRE_MESSAGE(ds, path.string() + " cannot be read back by GDAL");
    OGRLayer* l = layer.empty() ? ds->GetLayer(0) : ds->GetLayerByName(layer.c_str());
    BOOST_REQUIRE_MESSAGE(l, path.string() + ": no layer " + layer);
    return static_cast<std::size_t>(l->GetFeatureCount(TRUE));
}

}  // namespace

BOOST_AUTO_TEST_CASE(plan_runs_every_step_and_every_export_reads_back) {
    TempDir dir;
    write_file(dir / "plan.toml", sample_plan("[\"geojson\", \"gpkg\", \"fgb\", \"shp\", \"kml\"]"));
    auto r = run("plan -q " + (dir / "plan.toml").string() + " --out " + (dir / "out").string(), dir);
    BOOST_REQUIRE_MESSAGE(r.code == 0, r.err);
    const fs::path out = dir / "out";
    for (const char* f : {"report.html", "summary.json", "nightout.gpkg", "coverage/summary.json", "coverage/neighborhoods.csv",
                          "coverage/shapefile_fields.csv", "travel/matrix.csv", "travel/nearest.csv", "site/summary.json"})
        BOOST_TEST(fs::exists(out / f), f);
    BOOST_TEST(!fs::exists(out / "coverage/nightout.gpkg"));  // the plan writes one GeoPackage, at the top

    auto summary = nlohmann::json::parse(read_text(out / "summary.json"));
    BOOST_TEST(summary["command"] == "plan");
    BOOST_TEST(summary["steps"]["coverage"]["totals"]["areas"] == 464);
    BOOST_TEST(summary["steps"]["site"]["result"]["new_sites"] == 3);
    BOOST_TEST(summary["steps"]["travel"].is_object());

    // Every layer of every step in the GeoPackage, as many features as its GeoJSON.
    const std::map<std::string, fs::path> layers{{"neighborhoods", out / "coverage/neighborhoods.geojson"},
                                                 {"gaps", out / "coverage/gaps.geojson"},
                                                 {"events", out / "coverage/events.geojson"},
                                                 {"stations", out / "coverage/stations.geojson"},
                                                 {"sites", out / "site/sites.geojson"},
                                                 {"allocation", out / "site/allocation.geojson"},
                                                 {"site_neighborhoods", out / "site/neighborhoods.geojson"}};
    for (const auto& [name, geojson] : layers) {
        const std::size_t n = feature_count(geojson);
        BOOST_TEST(n > 0u, name);
        BOOST_TEST(feature_count(out / "nightout.gpkg", name) == n, name);
        const fs::path folder = geojson.parent_path();
        const std::string stem = geojson.stem().string();
        for (const char* ext : {".fgb", ".shp", ".kml"}) BOOST_TEST(feature_count(folder / (stem + ext)) == n, name << ext);
    }
    BOOST_TEST(feature_count(out / "coverage/neighborhoods.geojson") == 464u);

    // layer_styles: one default QGIS style per layer; neighborhoods graduated on the widest reach.
    GDALDatasetUniquePtr gpkg(GDALDataset::Open((out / "nightout.gpkg").c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    OGRLayer* styles = gpkg->GetLayerByName("layer_styles");
    BOOST_REQUIRE(styles);
    std::set<std::string> styled;
    for (auto& f : *styles) {
        std::string table = f->GetFieldAsString("f_table_name");
        styled.insert(table);
        BOOST_TEST(f->GetFieldAsInteger("useAsDefault") == 1);
        BOOST_TEST(std::string(f->GetFieldAsString("f_geometry_column")) == gpkg->GetLayerByName(table.c_str())->GetGeometryColumn());
        std::string qml = f->GetFieldAsString("styleQML"), sld = f->GetFieldAsString("styleSLD");
        BOOST_TEST(qml.find("<renderer-v2") != std::string::npos, table);
        BOOST_TEST(sld.find("<StyledLayerDescriptor") != std::string::npos, table);
        if (table == "neighborhoods") {
            BOOST_TEST(qml.find("type=\"graduatedSymbol\" attr=\"covered_share_800m\"") != std::string::npos);
            BOOST_TEST(qml.find("<range ") != std::string::npos);
        }
    }
    for (const auto& [name, path] : layers) BOOST_TEST(styled.count(name) == 1u, name << " has no style");

    // Shapefile names: every mapped field exists in its .dbf.
    std::istringstream map_csv(read_text(out / "coverage/shapefile_fields.csv"));
    std::string line;
    std::getline(map_csv, line);
    BOOST_TEST(line == "layer,field,shapefile_field");
    std::size_t checked = 0;
    while (std::getline(map_csv, line)) {
        auto c1 = line.find(','), c2 = line.rfind(',');
        std::string layer = line.substr(0, c1), shp_field = line.substr(c2 + 1);
        BOOST_TEST(shp_field.size() <= 10u, shp_field);
        GDALDatasetUniquePtr shp(GDALDataset::Open((out / "coverage" / (layer + ".shp")).c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
        BOOST_REQUIRE(shp);
        BOOST_TEST(shp->GetLayer(0)->GetLayerDefn()->GetFieldIndex(shp_field.c_str()) >= 0, layer << "." << shp_field);
        ++checked;
    }
    BOOST_TEST(checked > 20u);

    // report.html: self-contained and offline.
    std::string html = read_text(out / "report.html");
    BOOST_TEST(html.find("default-src 'none'") != std::string::npos);
    BOOST_TEST(html.find("BSD 2-Clause License") != std::string::npos);  // Leaflet's notice kept
    BOOST_TEST(html.find("<script src") == std::string::npos);
    BOOST_TEST(html.find("<link") == std::string::npos);
    BOOST_TEST(html.find("url(images/") == std::string::npos);
    BOOST_TEST(html.find("\"kind\":\"sites\"") != std::string::npos);
    BOOST_TEST(html.find("Mecklenburg County GIS (MIT)") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(plan_output_is_deterministic_and_a_rerun_replaces_it) {
    TempDir dir;
    write_file(dir / "plan.toml", sample_plan("[\"geojson\", \"gpkg\"]"));
    const std::string cmd = "plan -q " + (dir / "plan.toml").string() + " --out " + (dir / "out").string();
    auto first = run(cmd, dir);
    BOOST_REQUIRE_MESSAGE(first.code == 0, first.err);
    std::string html = read_text(dir / "out/report.html"), nb = read_text(dir / "out/coverage/neighborhoods.geojson");
    write_file(dir / "out/coverage/stale.txt", "from an older run");
    auto second = run(cmd, dir);
    BOOST_REQUIRE_MESSAGE(second.code == 0, second.err);
    BOOST_TEST((read_text(dir / "out/report.html") == html));
    BOOST_TEST((read_text(dir / "out/coverage/neighborhoods.geojson") == nb));
    BOOST_TEST(!fs::exists(dir / "out/coverage/stale.txt"));  // the step's folder was replaced as a whole
    for (const auto& e : fs::directory_iterator(dir.path())) BOOST_TEST(e.path().filename().string().find("nightout-tmp") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(bad_plans_give_one_error_with_file_line_and_key) {
    struct Case {
        std::string plan, expect;
        int code;
    };
    const std::string inputs = "[inputs]\nareas = \"" + charlotte("neighborhoods.geojson") + "\"\nevents = \"" + charlotte("events.csv") + "\"\n";
    const std::vector<Case> cases{
        {inputs + "[coverage]\nradus = [\"800m\"]\n", "plan.toml:5: coverage.radus: unknown key; [coverage] accepts radius, minutes, min_coverage", 3},
        {inputs + "[coverage]\nradius = [\"800\"]\n", "plan.toml:5: coverage.radius: '800' has no unit", 3},
        {inputs + "[coverage]\nradius = 800\n", "plan.toml:5: coverage.radius: '800' is not accepted; expected distances with a unit", 3},
        {inputs + "[coverage]\nminutes = [5, 10]\n", "plan.toml:5: coverage.minutes: travel time needs a [network] table", 3},
        {inputs + "[coverage]\nradius = [\"800m\"]\n[route]\nofficers = 4\n", "plan.toml:7: route.officers: expected a file name", 3},
        {inputs + "[coverage]\nradius = [\"800m\"]\n[route]\nwindow = \"18:00-21:00\"\n", "plan.toml:6: route: needs officers", 3},
        {inputs + "[coverage]\nradius = [\"800m\"\n", "plan.toml:5:", 3},
        {inputs + "[coverage]\nradius = [\"800m\"]\n[site]\nmodel = \"best\"\ncandidates = \"x.geojson\"\n", "plan.toml:7: site.model: 'best' is not accepted; expected mclp, lscp, pmedian or pcenter", 3},
        {"[inputs]\nareas = \"" + charlotte("neighborhoods.geojson") + "\"\n[coverage]\nradius = \"800m\"\n", "inputs: needs events", 3},
        {"[inputs]\nareas = \"nowhere.geojson\"\nevents = \"" + charlotte("events.csv") + "\"\n[coverage]\nradius = \"800m\"\n", "nowhere.geojson: areas file not found", 3},
        {inputs + "formats = [\"pdf\"]\n[coverage]\nradius = \"800m\"\n", "plan.toml:4: inputs.formats: unknown key", 3},
        {"formats = [\"pdf\"]\n" + inputs + "[coverage]\nradius = \"800m\"\n", "plan.toml:1: formats: unknown format 'pdf'; expected geojson, gpkg, fgb, shp or kml", 3},
        {"out_crs = \"EPSG:abc\"\n" + inputs + "[coverage]\nradius = \"800m\"\n", "plan.toml:1: out_crs: 'EPSG:abc' is not an EPSG code; expected EPSG:NNNN", 3},
        {"out_crs = \"EPSG:999999\"\n" + inputs + "[coverage]\nradius = \"800m\"\n", "plan.toml:1: out_crs: 'EPSG:999999' is not a CRS known to PROJ", 3},
    };
    for (const auto& c : cases) {
        TempDir dir;
        write_file(dir / "plan.toml", c.plan);
        auto r = run("plan " + (dir / "plan.toml").string() + " --out " + (dir / "out").string(), dir);
        BOOST_TEST(r.code == c.code, c.expect << " -> " << r.err);
        BOOST_TEST(r.err.find(c.expect) != std::string::npos, "expected '" << c.expect << "' in: " << r.err);
        BOOST_TEST(r.err.find("nightout: error:") == r.err.rfind("nightout: error:"), r.err);  // one line
        BOOST_TEST(!fs::exists(dir / "out"), c.expect);
    }
    TempDir dir;
    auto missing = run("plan " + (dir / "none.toml").string(), dir);
    BOOST_TEST(missing.code == 3);
    BOOST_TEST(missing.err.find("none.toml: plan file not found") != std::string::npos, missing.err);
    auto no_arg = run("plan", dir);
    BOOST_TEST(no_arg.code == 2);
}

// out_crs: the GeoPackage and the Shapefiles in NC State Plane (US feet), their CRS metadata
// saying so, the GeoJSON in WGS84; the same event read from both agrees through PROJ.
BOOST_AUTO_TEST_CASE(out_crs_reprojects_gpkg_and_shapefiles_but_not_geojson) {
    TempDir dir;
    write_file(dir / "plan.toml", "out_crs = \"EPSG:2264\"\n" + sample_plan("[\"geojson\", \"gpkg\", \"shp\"]"));
    auto r = run("plan -q " + (dir / "plan.toml").string() + " --out " + (dir / "out").string(), dir);
    BOOST_REQUIRE_MESSAGE(r.code == 0, r.err);
    const fs::path out = dir / "out";
    GDALAllRegister();
    OGRSpatialReference state_plane;
    state_plane.importFromEPSG(2264);
    const char* ignore_axes[] = {"IGNORE_DATA_AXIS_TO_SRS_AXIS_MAPPING=YES", nullptr};
    for (const fs::path& file : {out / "nightout.gpkg", out / "coverage" / "neighborhoods.shp", out / "coverage" / "events.shp"}) {
        GDALDatasetUniquePtr ds(GDALDataset::Open(file.c_str(), GDAL_OF_VECTOR));
        BOOST_REQUIRE_MESSAGE(ds, file.string() + " cannot be opened");
        const OGRSpatialReference* srs = ds->GetLayer(0)->GetSpatialRef();
        BOOST_TEST((srs && srs->IsSame(&state_plane, ignore_axes)), file.string() << " is not in EPSG:2264");
    }
    BOOST_TEST(read_text(out / "nightout.qgs").find("<authid>EPSG:2264</authid>") != std::string::npos);
    // The events, by id: GeoJSON lon/lat through PROJ equals the GeoPackage's feet.
    std::map<std::string, std::pair<double, double>> lonlat;
    for (const auto& f : read_back(out / "coverage" / "events.geojson")) lonlat[f.text.at("id")] = {f.geometry->toPoint()->getX(), f.geometry->toPoint()->getY()};
    PJ_CONTEXT* ctx = proj_context_create();
    PJ* raw = proj_create_crs_to_crs(ctx, "EPSG:4326", "EPSG:2264", nullptr);
    PJ* pj = proj_normalize_for_visualization(ctx, raw);
    std::size_t compared = 0;
    for (const auto& f : read_back(out / "nightout.gpkg", "events")) {
        const auto& [lon, lat] = lonlat.at(f.text.at("id"));
        BOOST_TEST(lon > -81.5);
        BOOST_TEST(lon < -80.0);
        const PJ_COORD c = proj_trans(pj, PJ_FWD, proj_coord(lon, lat, 0, 0));
        // GeoJSON keeps 9 significant figures (~1 cm); 0.1 ft covers it.
        BOOST_TEST(std::abs(f.geometry->toPoint()->getX() - c.xy.x) < 0.1);
        BOOST_TEST(std::abs(f.geometry->toPoint()->getY() - c.xy.y) < 0.1);
        ++compared;
    }
    proj_destroy(pj);
    proj_destroy(raw);
    proj_context_destroy(ctx);
    BOOST_TEST(compared == lonlat.size());
    BOOST_TEST(compared > 100u);
}
