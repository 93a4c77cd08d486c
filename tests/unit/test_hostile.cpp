// Hostile and damaged inputs, and faults while writing (issue 12): every case is built
// in the test from a good file, and must end in one clear error, never a crash.
#define BOOST_TEST_MODULE hostile
#include <boost/test/unit_test.hpp>

#include "network/binary_io.hpp"
#include "network/network.hpp"
#include "support.hpp"

#include <cmath>
#include <cstring>
#include <iomanip>
#include <limits>
#include <map>
#include <sstream>

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
    net.expect_input_error(v1, {"graph file version 1 is not supported", "version 2", "rebuild"});
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
