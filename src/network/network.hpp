// Opening a road network from whatever the planner has: a prepared graph file,
// an OpenStreetMap extract, or a street-centerline layer in any vector format.
#pragma once

#include "core/log.hpp"
#include "network/ch.hpp"
#include "network/graph.hpp"
#include "network/profile.hpp"

#include <iosfwd>
#include <string>

namespace nightout {

struct NetworkOptions {
    std::string path;             // .graph, .osm.pbf/.osm/.osm.gz/.osm.bz2, or a line layer
    std::string profile = "drive";  // walk, bike, drive or a profile file
    bool profile_given = false;   // a prepared graph must then match it
    // Centerline layers only:
    std::string layer;
    std::string crs;              // for layers without one
    double snap_tolerance_m = 1.0;  // end points closer than this are one node
    std::string oneway_field;     // yes/1/true/FT: digitized direction; -1/TF: against; else both
    std::string speed_field;      // km/h
    std::string class_field;      // road class, looked up in the profile's speeds
    bool build_hierarchy = true;
    unsigned threads = 0;         // for building the hierarchy; 0: all cores
};

struct Network {
    Graph graph;
    ContractionHierarchy ch;  // on duration; empty when not built
};

Network open_network(const NetworkOptions& options, Log& log);

// Street centerlines: topology from shared end points within the snapping tolerance.
RawNetwork read_centerlines(const NetworkOptions& options, const Profile& profile, Log& log);

void save_network(const Network& n, const std::string& path);
// A network file's contents (`path` names it in errors); any damage is an input error.
Network read_network(std::istream& in, const std::string& path);

}  // namespace nightout
