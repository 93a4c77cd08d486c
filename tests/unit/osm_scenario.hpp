// Road scenarios drawn as ASCII maps, after OSRM's cucumber features: every letter of the map is
// an OSM node on a grid (one character = `spacing_m` metres east, one line = `spacing_m` metres
// south, around 47N 9E; other characters are decoration), ways are strings of letters with tags,
// and node tags make barriers or traffic signals. The scenario is written as OSM XML and read back
// through the real OSM reader, so a test exercises the same code as a real extract.
#pragma once

#include "support.hpp"

#include "geo/geodesic.hpp"
#include "network/ch.hpp"
#include "network/network.hpp"
#include "network/search.hpp"

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <iomanip>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace nightout::test {

using Tags = std::vector<std::pair<std::string, std::string>>;

class OsmScenario {
public:
    explicit OsmScenario(const std::string& map, double spacing_m = 10) {
        int row = 0, col = 0;
        for (char c : map) {
            if (c == '\n') {
                ++row, col = 0;
                continue;
            }
            if (std::isalpha(static_cast<unsigned char>(c))) {
                if (at_.count(c)) throw std::invalid_argument(std::string("scenario map: letter ") + c + " drawn twice");
                at_[c] = {lon(col * spacing_m), lat(-row * spacing_m)};
            }
            ++col;
        }
    }

    void way(const std::string& letters, Tags tags) {
        for (char c : letters) where(c);
        ways_.push_back({letters, std::move(tags)});
    }
    void node(char letter, Tags tags) {
        where(letter);
        node_tags_[letter] = std::move(tags);
    }

    LonLat where(char letter) const {
        auto it = at_.find(letter);
        if (it == at_.end()) throw std::invalid_argument(std::string("scenario map: no letter ") + letter);
        return it->second;
    }
    static std::int64_t id(char letter) { return static_cast<unsigned char>(letter); }

    // Geodesic length of the polyline through the letters: the hand-worked length of a route.
    double metres(const std::string& letters) const {
        double m = 0;
        for (std::size_t i = 1; i < letters.size(); ++i) {
            LonLat a = where(letters[i - 1]), b = where(letters[i]);
            m += geodesic_distance(a.lon, a.lat, b.lon, b.lat);
        }
        return m;
    }

    std::string osm() const {
        std::ostringstream xml;
        xml << "<?xml version='1.0' encoding='UTF-8'?>\n<osm version='0.6' generator='nightout tests'>\n" << std::setprecision(12);
        for (const auto& [c, p] : at_) {
            xml << "<node id='" << id(c) << "' version='1' lat='" << p.lat << "' lon='" << p.lon << "'";
            auto t = node_tags_.find(c);
            if (t == node_tags_.end()) {
                xml << "/>\n";
                continue;
            }
            xml << ">";
            for (const auto& [k, v] : t->second) xml << "<tag k='" << k << "' v='" << v << "'/>";
            xml << "</node>\n";
        }
        int way_id = 1;
        for (const auto& [letters, tags] : ways_) {
            xml << "<way id='" << way_id++ << "' version='1'>";
            for (char c : letters) xml << "<nd ref='" << id(c) << "'/>";
            for (const auto& [k, v] : tags) xml << "<tag k='" << k << "' v='" << v << "'/>";
            xml << "</way>\n";
        }
        return xml.str() + "</osm>\n";
    }

    std::string write(const fs::path& dir, const std::string& name = "scenario.osm") const { return write_file(dir / name, osm()); }

private:
    // Rounded to OSM's precision (1e-7 degrees), so that the drawn geometry is the one read back.
    static double round7(double deg) { return std::round(deg * 1e7) / 1e7; }
    static double lon(double x) { return round7(9.0 + x / (111320.0 * std::cos(47.0 * M_PI / 180))); }
    static double lat(double y) { return round7(47.0 + y / 111320.0); }
    std::map<char, LonLat> at_;
    std::map<char, Tags> node_tags_;
    std::vector<std::pair<std::string, Tags>> ways_;
};

// A trip between two letters; length and duration are kUnreached when there is no route.
struct Trip {
    double length_m = kUnreached, duration_s = kUnreached;
    bool reached() const { return duration_s != kUnreached; }
};

// Reads the scenario through the OSM reader with a profile (built-in name or profile file).
inline Network scenario_network(const OsmScenario& s, const fs::path& dir, const std::string& profile) {
    NetworkOptions o;
    o.path = s.write(dir);
    o.profile = profile;
    Log log(true);
    return open_network(o, log);
}

// The fastest trip by Dijkstra, checked against the contraction hierarchy's answer.
inline Trip trip(const Network& net, const OsmScenario& s, char from, char to) {
    const Graph& g = net.graph;
    Snapper snapper(g);
    LonLat a = s.where(from), b = s.where(to);
    std::vector<Snapped> src{snapper.snap(a.lon, a.lat, 1.0)}, dst{snapper.snap(b.lon, b.lat, 1.0)};
    BOOST_REQUIRE_MESSAGE(src[0].ok && dst[0].ok, std::string("scenario: ") + from + " or " + to + " is not on the routable graph");
    Log log(true);
    std::vector<double> cost, length, ch_cost, ch_length;
    dijkstra_table(g, g.duration_s, src, dst, 1, cost, length, log);
    ch_table(g, g.duration_s, net.ch, src, dst, 1, ch_cost, ch_length, log);
    if (cost[0] == kUnreached) BOOST_TEST(ch_cost[0] == kUnreached);
    else BOOST_TEST(ch_cost[0] == cost[0], boost::test_tools::tolerance(1e-9));
    Trip t;
    if (cost[0] != kUnreached) t.length_m = length[0], t.duration_s = cost[0];
    return t;
}

}  // namespace nightout::test
