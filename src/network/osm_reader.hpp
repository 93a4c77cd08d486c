// Road networks from OpenStreetMap extracts (.osm.pbf, .osm, .osm.gz, .osm.bz2)
// through libosmium, filtered and weighted by a travel profile.
#pragma once

#include "core/log.hpp"
#include "network/graph.hpp"
#include "network/profile.hpp"

#include <string>

namespace nightout {

bool is_osm_file(const std::string& path);

// Reads every way the profile may use, splits ways at intersections and returns
// the raw network; throws an Input error naming the file when it is corrupt or
// has no usable roads.
RawNetwork read_osm_network(const std::string& path, const Profile& profile, Log& log);

}  // namespace nightout
