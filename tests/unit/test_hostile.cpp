// Hostile and damaged inputs, and faults while writing (issue 12): every case is built
// in the test from a good file, and must end in one clear error, never a crash.
#define BOOST_TEST_MODULE hostile
#include <boost/test/unit_test.hpp>

#include "network/binary_io.hpp"
#include "core/units.hpp"
#include "network/network.hpp"
#include "network/profile.hpp"
#include "read/dataset.hpp"
#include "route/benchmarks.hpp"
#include "site/orlib.hpp"
#include "write/output_dir.hpp"
#include "support.hpp"

#include <cmath>
#include <cstring>
#include <functional>
#include <iomanip>
#include <limits>
#include <map>
#include <set>
#include <csignal>
#include <sstream>
#include <sys/wait.h>

using namespace nightout;
using namespace nightout::test;

namespace {

// A 3x3 grid of residential streets, 100 m apart, around 47N 9E, as OSM XML.
std::string grid_osm() {
    std::ostringstream xml;
    xml << std::setprecision(12) << "<?xml version='1.0' encoding='UTF-8'?>\n<osm version='0.6'>\n";
    for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 3; ++j)
            xml << "<node id='" << 1 + i * 3 + j << "' version='1' lat='" << 47.0 + i * 100 / 111320.0 << "' lon='"
                << 9.0 + j * 100 / (111320.0 * std::cos(47.0 * M_PI / 180)) << "'/>\n";
    int way = 100;
    auto road = [&](int a, int b) {
        xml << "<way id='" << way++ << "' version='1'><nd ref='" << a << "'/><nd ref='" << b
            << "'/><tag k='highway' v='residential'/></way>\n";
    };
    for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 3; ++j) {
            if (j < 2) road(1 + i * 3 + j, 2 + i * 3 + j);
            if (i < 2) road(1 + i * 3 + j, 4 + i * 3 + j);
        }
    return xml.str() + "</osm>\n";
}

// Where each array of a network file starts (its 8-byte length), walking the layout of
// src/network/graph.cpp and ch.cpp; lets a test damage one array and re-seal the checksum.
struct Layout {
    struct Array {
        std::size_t at, element;
        std::uint64_t count;
        std::size_t data() const { return at + 8; }
    };
    std::map<std::string, Array> arrays;
    std::size_t has_ch = 0;
};

Layout layout_of(const std::string& bytes) {
    Layout l;
    std::size_t at = 16 + 16 + 4;
    auto array = [&](const std::string& name, std::size_t element) {
        std::uint64_t n;
        std::memcpy(&n, bytes.data() + at, 8);
        l.arrays[name] = {at, element, n};
        at += 8 + n * element;
    };
    array("profile", 1), array("source", 1), array("lon", 8), array("lat", 8), array("source_id", 8), array("first_out", 4);
    array("head", 4), array("length_m", 8), array("duration_s", 8), array("segment", 4), array("reversed", 1);
    array("seg_first", 4), array("shape_lon", 8), array("shape_lat", 8);
    at += 24;
    array("restricted", 1);  // per edge, or empty when no edge is restricted
    array("dropped_seg_first", 4), array("dropped_lon", 8), array("dropped_lat", 8);  // version 3: the dropped roads
    l.has_ch = at++;
    for (const char* name : {"rank", "up_first", "up_head", "up_cost", "up_length", "down_first", "down_head", "down_cost", "down_length"})
        array(name, std::string(name).find("cost") != std::string::npos || std::string(name).find("length") != std::string::npos ? 8 : 4);
    return l;
}

// The file with its last 8 bytes replaced by the checksum of the rest, as a careful attacker would.
std::string resealed(std::string bytes) {
    Checksum sum;
    sum.update(bytes.data(), bytes.size() - 8);
    std::uint64_t h = sum.value();
    std::memcpy(bytes.data() + bytes.size() - 8, &h, 8);
    return bytes;
}

template <typename T>
void put(std::string& bytes, std::size_t at, T value) {
    std::memcpy(bytes.data() + at, &value, sizeof value);
}

struct GoodNetwork {
    TempDir dir;
    std::string bytes;
    Layout layout;
    GoodNetwork() {
        NetworkOptions o;
        o.path = write_file(dir / "grid.osm", grid_osm());
        Log log(true);
        save_network(open_network(o, log), (dir / "good.graph").string());
        bytes = read_text(dir / "good.graph");
        layout = layout_of(bytes);
    }
    // Loading `damaged` as damaged.graph fails with exit code 3 and a message with every part.
    void expect_input_error(const std::string& damaged, std::initializer_list<std::string> parts) {
        NetworkOptions o;
        o.path = write_file(dir / "damaged.graph", damaged);
        Log log(true);
        try {
            open_network(o, log);
            BOOST_ERROR("no error for a damaged graph file");
        } catch (const Error& e) {
            const std::string what = e.what();
            BOOST_TEST(e.exit_code() == 3, what);
            BOOST_TEST(what.find(o.path + ": ") == 0u, what);
            for (const auto& p : parts) BOOST_TEST(what.find(p) != std::string::npos, what << " (expected '" << p << "')");
        }
    }
    std::size_t data(const std::string& array) const { return layout.arrays.at(array).data(); }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(graph_file)

BOOST_AUTO_TEST_CASE(layout_of_a_good_file_is_understood) {
    GoodNetwork net;
    // The walk ends exactly at the shortcut count and the checksum: the test's layout is the file's.
    const auto& last = net.layout.arrays.at("down_length");
    BOOST_TEST(last.data() + last.count * 8 + 8 + 8 == net.bytes.size());
    BOOST_TEST(net.layout.arrays.at("lon").count == 9u);
    NetworkOptions o;
    o.path = (net.dir / "good.graph").string();
    Log log(true);
    Network loaded = open_network(o, log);
    BOOST_TEST(loaded.graph.nodes() == 9u);
    BOOST_TEST(loaded.graph.edges() == 24u);
    BOOST_TEST(!loaded.ch.empty());
}

BOOST_AUTO_TEST_CASE(not_a_graph_file) {
    GoodNetwork net;
    net.expect_input_error("just some text that is long enough to fill a header\n", {"not a nightout network file"});
    net.expect_input_error("NIGHTOUT-NET", {"not a nightout network file"});  // shorter than the header, no NUL
    net.expect_input_error("", {"not a nightout network file"});
    std::string v1 = net.bytes;
    put<std::uint32_t>(v1, 32, 1);
    net.expect_input_error(v1, {"graph file version 1 is not supported", "version 3", "cut_off", "rebuild"});
}

BOOST_AUTO_TEST_CASE(truncated_anywhere) {
    GoodNetwork net;
    for (std::size_t keep : {std::size_t{20}, std::size_t{40}, net.data("head") + 3, net.bytes.size() / 2, net.data("up_cost"),
                             net.bytes.size() - 8, net.bytes.size() - 1})
        net.expect_input_error(net.bytes.substr(0, keep), {"damaged graph file"});
    net.expect_input_error(net.bytes + "x", {"1 unexpected bytes after the end"});
}

BOOST_AUTO_TEST_CASE(huge_lengths_are_refused_before_allocating) {
    GoodNetwork net;
    std::string b = net.bytes;
    put<std::uint64_t>(b, net.layout.arrays.at("lon").at, std::uint64_t{1} << 31);
    net.expect_input_error(b, {"lon: length 2147483648 needs 17179869184 bytes but only"});
    put<std::uint64_t>(b, net.layout.arrays.at("lon").at, ~std::uint64_t{0});
    net.expect_input_error(b, {"lon: length 18446744073709551615 needs more bytes"});
}

BOOST_AUTO_TEST_CASE(any_changed_byte_fails_the_checksum) {
    GoodNetwork net;
    std::string b = net.bytes;
    b[net.data("source_id")] ^= 1;  // an OSM id: no structural check can see it
    net.expect_input_error(b, {"checksum mismatch"});
    BOOST_TEST(resealed(net.bytes) == net.bytes);  // the test's resealing is the writer's checksum
}

BOOST_AUTO_TEST_CASE(resealed_damage_is_found_by_validation) {
    GoodNetwork net;
    auto damaged = [&](auto change) {
        std::string b = net.bytes;
        change(b);
        return resealed(b);
    };
    const double nan = std::numeric_limits<double>::quiet_NaN();
    net.expect_input_error(damaged([&](std::string& b) { put(b, net.data("length_m") + 8, nan); }), {"length_m[1] = nan, expected a finite value >= 0"});
    net.expect_input_error(damaged([&](std::string& b) { put(b, net.data("duration_s"), -5.0); }), {"duration_s[0] = -5"});
    net.expect_input_error(damaged([&](std::string& b) { put(b, net.data("lon") + 16, 1e300); }), {"node 2 at longitude 1e+300"});
    net.expect_input_error(damaged([&](std::string& b) { put(b, net.data("shape_lat"), 91.0); }), {"shape point 0", "latitude 91"});
    net.expect_input_error(damaged([&](std::string& b) { put<std::uint32_t>(b, net.data("head") + 4, 9); }), {"head[1] = 9 is not one of the 9 nodes"});
    net.expect_input_error(damaged([&](std::string& b) { put<std::uint32_t>(b, net.data("segment"), 1000); }), {"segment[0] = 1000"});
    net.expect_input_error(damaged([&](std::string& b) { b[net.data("reversed")] = 7; }), {"reversed[0] = 7"});
    // seg_first: only its last entry was checked before; a middle one past the shapes overflowed the heap.
    net.expect_input_error(damaged([&](std::string& b) { put<std::uint32_t>(b, net.data("seg_first") + 4, 1000000); }), {"seg_first decreases at 1"});
    net.expect_input_error(damaged([&](std::string& b) { put<std::uint32_t>(b, net.data("first_out") + 8, 0); }), {"first_out decreases at 1"});
    net.expect_input_error(damaged([&](std::string& b) { b[net.layout.has_ch] = 2; }), {"hierarchy flag is 2"});
    // The dropped roads (version 3) are validated like the kept ones.
    net.expect_input_error(damaged([&](std::string& b) { put<std::uint32_t>(b, net.data("dropped_seg_first"), 5); }), {"dropped_seg_first"});
}

BOOST_AUTO_TEST_CASE(resealed_damage_in_the_hierarchy) {
    GoodNetwork net;
    auto damaged = [&](auto change) {
        std::string b = net.bytes;
        change(b);
        return resealed(b);
    };
    // up_first out of order (its ends still right): searches would have run past the edges.
    net.expect_input_error(damaged([&](std::string& b) {
                               put<std::uint32_t>(b, net.data("up_first") + 4, 1000);
                           }),
                           {"hierarchy up_first decreases at 1"});
    net.expect_input_error(damaged([&](std::string& b) { put<std::uint32_t>(b, net.data("rank"), 1); }), {"hierarchy rank 1 is out of range or repeated"});
    net.expect_input_error(damaged([&](std::string& b) { put<std::uint32_t>(b, net.data("down_head"), 77); }), {"hierarchy down_head[0] = 77 is not a node"});
    net.expect_input_error(damaged([&](std::string& b) { put(b, net.data("up_cost"), -1.0); }), {"negative or non-finite weight"});
    // up_length one entry short (the file shortened to match): the table read past its end.
    {
        const auto& a = net.layout.arrays.at("up_length");
        std::string b = net.bytes;
        put<std::uint64_t>(b, a.at, a.count - 1);
        b.erase(a.data(), 8);
        net.expect_input_error(resealed(b), {"hierarchy up_cost or up_length does not have one entry per edge"});
    }
}

BOOST_AUTO_TEST_SUITE_END()

// Crashers found by tests/fuzz, replayed in every build (under the asan preset's UBSan they
// failed; the OR-Library one allocated 6.4 GB for a 10-byte file): each is an input error now.
BOOST_AUTO_TEST_CASE(fuzz_regressions) {
    const fs::path root = fs::path(source_dir()) / "tests/fuzz/regressions";
    const std::map<std::string, std::function<void(const fs::path&)>> readers{
        {"graph",
         [](const fs::path& p) {
             std::istringstream in(read_text(p));
             read_network(in, p.string());
         }},
        {"solomon", [](const fs::path& p) { route::read_solomon(p.string()); }},
        {"orlib", [](const fs::path& p) { site::read_orlib(p.string()); }},
    };
    int replayed = 0;
    for (const auto& [name, read] : readers)
        for (const auto& entry : fs::directory_iterator(root / name)) {
            ++replayed;
            try {
                read(entry.path());
                BOOST_ERROR(entry.path() << ": no error");
            } catch (const Error& e) {
                BOOST_TEST(e.exit_code() == 3, e.what());
                BOOST_TEST(std::string(e.what()).find(entry.path().string() + ": ") == 0u, e.what());
            }
        }
    BOOST_TEST(replayed >= 3);
}

namespace {

// Three squares side by side with ids A, B, C, as GeoJSON.
std::string three_squares() {
    std::vector<std::pair<std::string, std::string>> f;
    for (int i = 0; i < 3; ++i) {
        double x = 9 + 0.02 * i;
        std::ostringstream g;
        g << std::setprecision(10) << R"({"type":"Polygon","coordinates":[[[)" << x << ",47],[" << x + 0.01 << ",47],[" << x + 0.01
          << ",47.01],[" << x << ",47.01],[" << x << ",47]]]}";
        f.push_back({std::string(R"({"id":")") + char('A' + i) + R"(","name":"square number )" + std::to_string(i + 1) + "\"}", g.str()});
    }
    return feature_collection(f);
}

std::string cut(const fs::path& path, std::size_t bytes) {
    std::string b = read_text(path);
    return write_file(path, b.substr(0, b.size() - bytes));
}

Dataset read_areas(const std::string& path) {
    GeosContext g;
    ProjContext p;
    InputSpec spec;
    spec.path = path;
    Log log(true);
    return read_dataset(g, p, spec, GeomKind::Area, "areas", log);
}

void expect_read_error(const std::string& path, std::initializer_list<std::string> parts) {
    try {
        Dataset ds = read_areas(path);
        BOOST_ERROR(path << ": no error; read " << ds.features.size() << " features");
    } catch (const Error& e) {
        const std::string what = e.what();
        BOOST_TEST(e.exit_code() == 3, what);
        BOOST_TEST(what.find(path + ": ") == 0u, what);
        BOOST_TEST(what.find("has no features") == std::string::npos, what);
        for (const auto& p : parts) BOOST_TEST(what.find(p) != std::string::npos, what << " (expected '" << p << "')");
    }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(gdal_reads)

BOOST_AUTO_TEST_CASE(truncated_shapefile_is_an_error_not_fewer_features) {
    TempDir dir;
    const std::string geojson = write_file(dir / "three.geojson", three_squares());
    translate(geojson, dir / "three.shp", {"-f", "ESRI Shapefile"});
    BOOST_TEST(read_areas((dir / "three.shp").string()).features.size() == 3u);
    const std::string dbf = read_text(dir / "three.dbf"), shp = read_text(dir / "three.shp");
    cut(dir / "three.dbf", 20);  // the last record loses its end
    expect_read_error((dir / "three.shp").string(), {"layer 'three': cannot read feature 3 (GDAL: fread(", "DBF file", "truncated or damaged"});
    write_file(dir / "three.dbf", dbf);
    cut(dir / "three.shp", 30);
    expect_read_error((dir / "three.shp").string(), {"cannot read feature 3 (GDAL: ", ".shp file"});
}

BOOST_AUTO_TEST_CASE(damaged_flatgeobuf_is_an_error_not_fewer_features) {
    TempDir dir;
    const std::string geojson = write_file(dir / "three.geojson", three_squares());
    translate(geojson, dir / "three.fgb", {"-f", "FlatGeobuf"});
    const std::string good = read_text(dir / "three.fgb");
    BOOST_TEST(read_areas((dir / "three.fgb").string()).features.size() == 3u);
    cut(dir / "three.fgb", 40);
    expect_read_error((dir / "three.fgb").string(), {"layer 'three': cannot read feature 3 (GDAL: "});
    // The last feature's coordinates overwritten (they become NaN): an input error naming it.
    std::string b = good;
    for (std::size_t i = b.size() - 60; i < b.size(); ++i) b[i] = '\xff';
    write_file(dir / "three.fgb", b);
    expect_read_error((dir / "three.fgb").string(), {"feature 3"});
}

BOOST_AUTO_TEST_CASE(csv_line_longer_than_gdal_default_limit_is_read) {
#if defined(__SANITIZE_ADDRESS__)
    BOOST_TEST_MESSAGE("skipped under AddressSanitizer, where GDAL takes minutes over an 11 MB line; run in the release build");
    return;
#endif
    TempDir dir;
    // GDAL's CSV driver stops at lines over 10 MB by default; the rows after it used to vanish.
    const std::string note(11 * 1000 * 1000, 'x');
    const std::string path = write_file(dir / "events.csv", "id,lat,lon,note\na,47,9,short\nb,47.001,9.001," + note + "\nc,47.002,9.002,end\n");
    GeosContext g;
    ProjContext p;
    InputSpec spec;
    spec.path = path;
    Log log(true);
    Dataset ds = read_dataset(g, p, spec, GeomKind::Point, "events", log);
    BOOST_REQUIRE(ds.features.size() == 3u);
    BOOST_TEST(ds.features[2].id == "c");
    BOOST_TEST(std::get<std::string>(ds.features[1].attrs[3]).size() == note.size());
}

BOOST_AUTO_TEST_CASE(geojson_object_larger_than_gdal_limit_is_read) {
    // GDAL refuses a GeoJSON object over OGR_GEOJSON_MAX_OBJ_SIZE (200 MB by default; a 46 MB
    // polygon already failed). Here the limit is set to 1 MB and the polygon takes 2 MB.
    CPLSetConfigOption("OGR_GEOJSON_MAX_OBJ_SIZE", "1");
    TempDir dir;
    std::ostringstream ring;
    ring << std::setprecision(12);
    const int n = 72000;
    for (int i = 0; i <= n; ++i)
        ring << (i ? "," : "") << "[" << 9 + 0.01 * std::cos(2 * M_PI * (i % n) / n) << "," << 47 + 0.01 * std::sin(2 * M_PI * (i % n) / n) << "]";
    const std::string path = write_file(dir / "big.geojson", feature_collection({{R"({"id":"big"})", R"({"type":"Polygon","coordinates":[[)" + ring.str() + "]]}"}}));
    BOOST_TEST(fs::file_size(path) > 2'000'000u);
    Dataset ds = read_areas(path);
    CPLSetConfigOption("OGR_GEOJSON_MAX_OBJ_SIZE", nullptr);
    BOOST_REQUIRE(ds.features.size() == 1u);
    BOOST_TEST(ds.features[0].id == "big");
}

BOOST_AUTO_TEST_CASE(unclosed_ring_is_closed_and_reported_as_repaired) {
    TempDir dir;
    // GEOS refused the ring ("Points of LinearRing do not form a closed linestring", exit 1).
    const std::string path = write_file(dir / "areas.csv", "id,wkt\nA,\"POLYGON((9 47,9.01 47,9.01 47.01,9 47.01))\"\n");
    Dataset ds = read_areas(path);
    BOOST_REQUIRE(ds.features.size() == 1u);
    BOOST_TEST(ds.repaired == 1u);
    GeosContext g;
    double area = 0;
    GEOSArea_r(g, ds.features[0].geom.get(), &area);
    BOOST_TEST(area == 0.0001, boost::test_tools::tolerance(1e-9));  // square degrees: the whole square
}

BOOST_AUTO_TEST_CASE(non_finite_vertex_is_an_input_error_naming_the_feature) {
    TempDir dir;
    std::string fc = three_squares();
    const std::string from = "[9.02,47.01]";
    BOOST_REQUIRE(fc.find(from) != std::string::npos);
    fc.replace(fc.find(from), from.size(), "[9.02,1e999]");  // parsed as infinity
    expect_read_error(write_file(dir / "inf.geojson", fc), {"feature 2 has a coordinate that is not a finite number"});
}

BOOST_AUTO_TEST_CASE(empty_layer_is_still_no_features) {
    TempDir dir;
    const std::string path = write_file(dir / "none.geojson", feature_collection({}));
    try {
        read_areas(path);
        BOOST_ERROR("no error");
    } catch (const Error& e) {
        BOOST_TEST(std::string(e.what()).find("has no features") != std::string::npos, e.what());
    }
}

BOOST_AUTO_TEST_CASE(gdal_text_only_inside_the_one_error_line) {
    TempDir dir;
    const std::string geojson = write_file(dir / "three.geojson", three_squares());
    translate(geojson, dir / "three.shp", {"-f", "ESRI Shapefile"});
    cut(dir / "three.dbf", 20);
    const std::string cmd = std::string(NIGHTOUT_BINARY) + " coverage --areas " + (dir / "three.shp").string() + " --events " +
                            write_file(dir / "e.csv", "id,lat,lon\ne,47.005,9.005\n") + " --radius 400m --out " + (dir / "out").string() +
                            " 2>" + (dir / "stderr.txt").string();
    int status = std::system(cmd.c_str());
    BOOST_TEST(WEXITSTATUS(status) == 3);
    const std::string err = read_text(dir / "stderr.txt");
    // Progress lines may come first; the error is one line, and GDAL's raw "ERROR 1: ..." never shows.
    const auto at = err.find("nightout: error: ");
    BOOST_TEST((at == 0 || (at != std::string::npos && err[at - 1] == '\n')), err);
    BOOST_TEST(err.find('\n', at) == err.size() - 1, err);
    BOOST_TEST(err.find("fread(161) failed on DBF file") > at, err);
    BOOST_TEST(err.find("ERROR") == std::string::npos, err);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(output_folders)

namespace {

// One finished run into `out`: the given files (name -> content) and a summary.json.
void run_into(const fs::path& out, const std::map<std::string, std::string>& files) {
    OutputDir dir(out);
    for (const auto& [name, content] : files) write_file(dir.file(name), content);
    write_file(dir.file("summary.json"), "{}");
    dir.commit();
}

std::set<std::string> entries(const fs::path& folder) {
    std::set<std::string> names;
    for (const auto& e : fs::directory_iterator(folder)) names.insert(e.path().filename().string());
    return names;
}

// A PID that no longer exists: a child that has exited and been reaped.
pid_t dead_pid() {
    pid_t pid = fork();
    if (pid == 0) _exit(0);
    waitpid(pid, nullptr, 0);
    return pid;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_rerun_replaces_the_folder_exactly) {
    for (const char* fallback : {"", "1"}) {  // renameat2(RENAME_EXCHANGE), then rename aside and in
        setenv("NIGHTOUT_NO_RENAME_EXCHANGE", fallback, 1);
        TempDir tmp;
        const fs::path out = tmp / "out";
        run_into(out, {{"gaps.geojson", "old"}, {"nightout.gpkg", "old"}});
        fs::create_directory(out / "coverage");
        write_file(out / "coverage" / "old.csv", "old");
        run_into(out, {{"gaps.geojson", "new"}});
        BOOST_TEST((entries(out) == std::set<std::string>{"gaps.geojson", "summary.json"}));  // no old nightout.gpkg, no coverage/
        BOOST_TEST(read_text(out / "gaps.geojson") == "new");
        BOOST_TEST((entries(tmp.path()) == std::set<std::string>{"out"}));  // no staging, aside or lock left
    }
    unsetenv("NIGHTOUT_NO_RENAME_EXCHANGE");
}

BOOST_AUTO_TEST_CASE(a_failed_run_leaves_the_previous_result) {
    TempDir tmp;
    const fs::path out = tmp / "out";
    run_into(out, {{"gaps.geojson", "old"}});
    {
        OutputDir dir(out);
        write_file(dir.file("gaps.geojson"), "half");
    }  // no commit: an error
    BOOST_TEST(read_text(out / "gaps.geojson") == "old");
    BOOST_TEST((entries(tmp.path()) == std::set<std::string>{"out"}));
}

BOOST_AUTO_TEST_CASE(what_killed_runs_left_is_recovered) {
    TempDir tmp;
    const fs::path out = tmp / "out";
    // Killed between the fallback's two renames: no destination, the previous result aside, the new one staged.
    const std::string pid = std::to_string(dead_pid());
    fs::create_directory(tmp / (".out.nightout-old-" + pid));
    write_file(tmp / (".out.nightout-old-" + pid) / "summary.json", "previous");
    fs::create_directory(tmp / (".out.nightout-tmp-" + pid));
    write_file(tmp / (".out.nightout-tmp-" + pid) / "summary.json", "killed");
    // And a staging folder of a live process (this one's parent) is left alone.
    const std::string live = ".out.nightout-tmp-" + std::to_string(getppid());
    fs::create_directory(tmp / live);
    {
        OutputDir dir(out);  // applies the recovery rule
        BOOST_TEST(read_text(out / "summary.json") == "previous");
        BOOST_TEST(!fs::exists(tmp / (".out.nightout-tmp-" + pid)));
        BOOST_TEST(!fs::exists(tmp / (".out.nightout-old-" + pid)));
        BOOST_TEST(fs::exists(tmp / live));
    }
}

BOOST_AUTO_TEST_CASE(a_second_run_into_the_same_folder_fails_at_once) {
    TempDir tmp;
    const fs::path out = tmp / "out";
    int ready[2];
    BOOST_REQUIRE(pipe(ready) == 0);
    pid_t child = fork();
    if (child == 0) {
        try {
            OutputDir dir(out);
            write_file(dir.file("summary.json"), "child");
            char c = 1;
            if (write(ready[1], &c, 1) != 1) _exit(2);
            pause();  // holds the lock until killed
        } catch (...) {
        }
        _exit(1);
    }
    char c = 0;
    BOOST_REQUIRE(read(ready[0], &c, 1) == 1);
    try {
        OutputDir second(out);
        BOOST_ERROR("no error for a second run");
    } catch (const Error& e) {
        BOOST_TEST(e.exit_code() == 4, e.what());
        BOOST_TEST(std::string(e.what()).find(out.string() + ": another nightout run (PID " + std::to_string(child) + ")") == 0u, e.what());
    }
    kill(child, SIGKILL);  // a killed run: its lock goes with it, its staging folder stays
    waitpid(child, nullptr, 0);
    BOOST_TEST(fs::exists(tmp / (".out.nightout-tmp-" + std::to_string(child))));
    run_into(out, {{"gaps.geojson", "next"}});
    BOOST_TEST((entries(tmp.path()) == std::set<std::string>{"out"}));  // the dead run's staging folder removed
    close(ready[0]);
    close(ready[1]);
}

BOOST_AUTO_TEST_CASE(a_folder_that_is_not_a_nightout_result_is_not_replaced) {
    TempDir tmp;
    write_file(tmp / "notes.txt", "mine");
    try {
        OutputDir dir(tmp.path());
        BOOST_ERROR("no error");
    } catch (const Error& e) {
        BOOST_TEST(e.exit_code() == 4);
        BOOST_TEST(std::string(e.what()).find("not a nightout result") != std::string::npos, e.what());
    }
    BOOST_TEST(read_text(tmp / "notes.txt") == "mine");
}

BOOST_AUTO_TEST_CASE(an_output_over_an_input_is_refused) {
    TempDir tmp;
    fs::create_directories(tmp / "data" / "city");
    const std::string areas = write_file(tmp / "data" / "city" / "areas.geojson", "{}");
    auto refused = [&](const fs::path& out) {
        try {
            refuse_output_over_inputs(out, {"", areas});
            return false;
        } catch (const Error& e) {
            BOOST_TEST(e.exit_code() == 2);
            BOOST_TEST(std::string(e.what()).find(areas) != std::string::npos, e.what());
            return true;
        }
    };
    BOOST_TEST(refused(tmp / "data" / "city"));          // the input's folder
    BOOST_TEST(refused(tmp / "data" / "city" / "."));    // the same, spelt otherwise
    BOOST_TEST(refused(tmp / "data"));                   // a folder that contains it
    BOOST_TEST(refused(tmp / "data" / "city" / "areas.geojson"));  // the input file itself
    BOOST_TEST(!refused(tmp / "data" / "city" / "out"));  // a new folder beside the input
    BOOST_TEST(!refused(tmp / "elsewhere"));
}

BOOST_AUTO_TEST_CASE(coverage_into_the_input_folder_is_refused_and_the_input_kept) {
    TempDir tmp;
    const std::string areas = write_file(tmp / "areas.geojson", three_squares());
    const std::string events = write_file(tmp / "events.csv", "id,lat,lon\ne,47.005,9.005\n");
    const std::string cmd = std::string(NIGHTOUT_BINARY) + " coverage --areas " + areas + " --events " + events + " --radius 400m --out " +
                            tmp.path().string() + " 2>" + (tmp / "stderr.txt").string();
    const int status = std::system(cmd.c_str());
    BOOST_TEST(WEXITSTATUS(status) == 2);
    BOOST_TEST(read_text(tmp / "stderr.txt").find("output folder holds the input") != std::string::npos, read_text(tmp / "stderr.txt"));
    BOOST_TEST(read_text(areas) == three_squares());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(abnormal_paths)

namespace {

std::string error_of(const std::function<void()>& f, int exit_code) {
    try {
        f();
    } catch (const Error& e) {
        BOOST_TEST(e.exit_code() == exit_code, e.what());
        return e.what();
    }
    BOOST_ERROR("no error");
    return {};
}

}  // namespace

BOOST_AUTO_TEST_CASE(profile_base_chains) {
    TempDir tmp;
    fs::create_directories(tmp / "profiles");
    // A profile naming itself recursed until the stack overflowed (SIGSEGV).
    const std::string self = write_file(tmp / "profiles" / "self.json", R"({"base": "self.json"})");
    BOOST_TEST(error_of([&] { load_profile(self); }, 3).find("the profile base chain loops (self.json -> self.json)") != std::string::npos);
    const std::string a = write_file(tmp / "profiles" / "a.json", R"({"base": "b.json"})");
    write_file(tmp / "profiles" / "b.json", R"({"base": "a.json"})");
    BOOST_TEST(error_of([&] { load_profile(a); }, 3).find("loops (a.json -> b.json -> a.json)") != std::string::npos);
    // Wrong types gave raw json.exception texts.
    const std::string five = write_file(tmp / "profiles" / "five.json", R"({"base": 5})");
    BOOST_TEST(error_of([&] { load_profile(five); }, 3) == five + ": field 'base' is a number; expected the name of a built-in profile (walk, bike, drive) or of a profile file");
    const std::string array = write_file(tmp / "profiles" / "array.json", "[1,2]");
    BOOST_TEST(error_of([&] { load_profile(array); }, 3).find("the profile is a JSON array; expected an object") != std::string::npos);
    const std::string oneway = write_file(tmp / "profiles" / "oneway.json", R"({"base": "drive", "oneway": "yes"})");
    BOOST_TEST(error_of([&] { load_profile(oneway); }, 3).find("field 'oneway' is a string; expected true or false") != std::string::npos);
    // base is resolved against the profile's folder, not the working directory.
    write_file(tmp / "profiles" / "slow.json", R"({"base": "walk", "speed_kmh": {"footway": 3}})");
    const std::string slower = write_file(tmp / "profiles" / "slower.json", R"({"base": "slow.json", "name": "slower", "speed_kmh": {"steps": 1}})");
    BOOST_REQUIRE(fs::current_path() != tmp.path() / "profiles");
    Profile p = load_profile(slower);
    BOOST_TEST(p.name == "slower");
    BOOST_TEST(p.speed_kmh.at("footway") == 3.0);   // from slow.json
    BOOST_TEST(p.speed_kmh.at("steps") == 1.0);     // its own
    BOOST_TEST(p.speed_kmh.at("residential") == 5.0);  // from walk
    const std::string missing = write_file(tmp / "profiles" / "missing.json", R"({"base": "nowhere.json"})");
    BOOST_TEST(error_of([&] { load_profile(missing); }, 3).find("base 'nowhere.json' is neither walk, bike, drive nor a profile file (looked for " +
                                                           (tmp / "profiles" / "nowhere.json").string() + ")") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(distances_beyond_the_earth_are_usage_errors) {
    // --radius 1e300m failed inside GEOS's Voronoi (exit 1).
    for (const char* d : {"1e300m", "20038km", "12451mi"})
        BOOST_TEST(error_of([&] { parse_distance(d, "--radius"); }, 2).find("is beyond the size of the Earth") != std::string::npos, d);
    BOOST_TEST(parse_distance("20000km", "--radius").meters == 2e7);
    BOOST_TEST(error_of([&] { parse_distance_list("400m,1e300m", "--radius"); }, 2).find("'1e300m' is beyond the size of the Earth") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_route_problem_too_large_is_refused_with_its_size) {
    // 100,000 events with one officer: std::bad_alloc after 1.9 s (exit 1).
    TempDir tmp;
    std::string events = "id,lat,lon\n";
    for (int i = 0; i < 100000; ++i) events += "e" + std::to_string(i) + "," + std::to_string(47 + (i % 300) * 1e-4) + "," + std::to_string(9 + (i / 300) * 1e-4) + "\n";
    write_file(tmp / "events.csv", events);
    write_file(tmp / "officers.csv", "id,lat,lon,shift_start,shift_end\nT1,47,9,18:00,23:00\n");
    const std::string cmd = std::string(NIGHTOUT_BINARY) + " route -q --events " + (tmp / "events.csv").string() + " --officers " +
                            (tmp / "officers.csv").string() + " --window 18:00-23:00 --out " + (tmp / "out").string() + " 2>" + (tmp / "stderr.txt").string();
    const int status = std::system(cmd.c_str());
    const std::string err = read_text(tmp / "stderr.txt");
    BOOST_TEST(WEXITSTATUS(status) == 3, err);
    BOOST_TEST(err.find("not enough memory for the route problem's travel matrix (100001 places") != std::string::npos, err);
    BOOST_TEST(err.find("it needs 160.0 GB") != std::string::npos, err);
}

BOOST_AUTO_TEST_SUITE_END()
