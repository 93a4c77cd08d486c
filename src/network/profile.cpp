#include "network/profile.hpp"

#include "core/error.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <filesystem>
#include <fstream>

namespace nightout {

namespace {

// Defaults follow common routing-engine profiles (OSRM's car and foot profiles,
// OSMnx's network filters); see docs/user-guide.md#profiles.
Profile drive() {
    Profile p;
    p.name = "drive";
    p.speed_kmh = {{"motorway", 100},      {"motorway_link", 60}, {"trunk", 80},         {"trunk_link", 50},
                   {"primary", 60},        {"primary_link", 45},  {"secondary", 50},     {"secondary_link", 40},
                   {"tertiary", 40},       {"tertiary_link", 30}, {"unclassified", 30},  {"residential", 30},
                   {"living_street", 10},  {"service", 15},       {"road", 25}};
    p.use_maxspeed = true;
    p.max_speed_kmh = 130;
    p.oneway = true;
    p.access_tags = {"motorcar", "motor_vehicle", "vehicle", "access"};
    // Bollards, blocks, cycle and jersey barriers (and any other value) stop cars.
    p.barrier_passable = {"cattle_grid", "border_control", "toll_booth", "sally_port", "gate", "lift_gate",
                          "no",          "entrance",       "height_restrictor", "arch"};
    return p;
}

Profile walk() {
    Profile p;
    p.name = "walk";
    for (const char* c : {"trunk", "trunk_link", "primary", "primary_link", "secondary", "secondary_link", "tertiary",
                          "tertiary_link", "unclassified", "residential", "living_street", "service", "road", "pedestrian",
                          "footway", "path", "steps", "track", "cycleway", "bridleway", "corridor"})
        p.speed_kmh[c] = 5.0;
    p.speed_kmh["steps"] = 2.5;
    p.access_tags = {"foot", "access"};
    p.restricted_access.clear();  // destination-only streets are open to walkers (as in OSRM's foot profile)
    p.barrier_passable = {"bollard", "cycle_barrier", "block", "jersey_barrier", "kerb", "cattle_grid", "border_control", "toll_booth",
                          "sally_port", "gate", "lift_gate", "swing_gate", "kissing_gate", "turnstile", "stile", "hampshire_gate",
                          "chain", "bar", "no", "entrance", "height_restrictor", "arch", "motorcycle_barrier"};
    return p;
}

Profile bike() {
    Profile p;
    p.name = "bike";
    for (const char* c : {"trunk", "trunk_link", "primary", "primary_link", "secondary", "secondary_link", "tertiary",
                          "tertiary_link", "unclassified", "residential", "living_street", "service", "road", "cycleway",
                          "path", "track"})
        p.speed_kmh[c] = 15.0;
    p.speed_kmh["living_street"] = 10;
    p.speed_kmh["track"] = 12;
    p.speed_kmh["path"] = 12;
    p.speed_kmh["pedestrian"] = 6;
    p.speed_kmh["footway"] = 6;
    p.oneway = true;
    p.oneway_tag = "oneway:bicycle";
    p.access_tags = {"bicycle", "vehicle", "access"};
    p.restricted_access.clear();
    p.barrier_passable = {"bollard", "cycle_barrier", "block", "kerb", "cattle_grid", "border_control", "toll_booth", "sally_port",
                          "gate", "lift_gate", "swing_gate", "chain", "bar", "no", "entrance", "height_restrictor", "arch",
                          "sump_buster", "bus_trap", "motorcycle_barrier"};
    return p;
}

}  // namespace

std::optional<double> parse_maxspeed_kmh(const std::string& raw) {
    std::string v = raw.substr(0, raw.find(';'));
    while (!v.empty() && std::isspace(static_cast<unsigned char>(v.front()))) v.erase(v.begin());
    double x = 0;
    auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
    if (ec != std::errc() || ptr == v.data() || !(x > 0)) return std::nullopt;
    std::string unit(ptr, static_cast<const char*>(v.data() + v.size()));
    if (unit.find("mph") != std::string::npos) x *= 1.609344;
    else if (unit.find("knots") != std::string::npos) x *= 1.852;
    return x;
}

std::optional<double> Profile::speed_for(const std::string& highway, const std::string& maxspeed) const {
    auto it = speed_kmh.find(highway);
    if (it == speed_kmh.end()) return std::nullopt;
    double speed = it->second;
    if (use_maxspeed && !maxspeed.empty()) {
        if (auto m = parse_maxspeed_kmh(maxspeed)) speed = max_speed_kmh > 0 ? std::min(*m, max_speed_kmh) : *m;
    }
    return speed;
}

bool Profile::node_blocks(const char* barrier, const char* access, const char* locked) const {
    auto listed = [](const std::vector<std::string>& list, const char* v) { return std::find(list.begin(), list.end(), v) != list.end(); };
    if (barrier && locked && std::string(locked) == "yes") return true;
    // An access tag on the node decides, as on ways: access=no stops, access=yes passes any barrier.
    if (access) return listed(access_denied, access) && !listed(restricted_access, access);
    return barrier && !listed(barrier_passable, barrier);
}

Profile load_profile(const std::string& name) {
    if (name == "drive" || name == "car") return drive();
    if (name == "walk" || name == "foot") return walk();
    if (name == "bike" || name == "bicycle") return bike();
    std::error_code ec;
    if (!std::filesystem::exists(name, ec))
        throw_usage("--profile: '" + name + "' is neither walk, bike, drive nor a profile file");
    std::ifstream in(name);
    nlohmann::json j;
    try {
        in >> j;
    } catch (const std::exception& e) {
        throw_input(name + ": not valid JSON (" + e.what() + ")");
    }
    Profile p;
    if (j.contains("base")) p = load_profile(j["base"].get<std::string>());
    try {
        p.name = j.value("name", p.name.empty() ? std::filesystem::path(name).stem().string() : p.name);
        if (j.contains("speed_kmh")) {
            for (auto& [k, v] : j["speed_kmh"].items()) {
                if (v.is_null()) p.speed_kmh.erase(k);
                else if (!v.is_number() || v.get<double>() <= 0)
                    throw_input(name + ": speed_kmh." + k + " must be a positive number (or null to exclude the class)");
                else p.speed_kmh[k] = v.get<double>();
            }
        }
        p.use_maxspeed = j.value("use_maxspeed", p.use_maxspeed);
        p.max_speed_kmh = j.value("max_speed_kmh", p.max_speed_kmh);
        p.oneway = j.value("oneway", p.oneway);
        if (j.contains("access_tags")) p.access_tags = j["access_tags"].get<std::vector<std::string>>();
        if (j.contains("restricted_access")) p.restricted_access = j["restricted_access"].get<std::vector<std::string>>();
        if (j.contains("access_denied")) p.access_denied = j["access_denied"].get<std::vector<std::string>>();
        p.oneway_tag = j.value("oneway_tag", p.oneway_tag);
        if (j.contains("excluded_highways")) p.excluded_highways = j["excluded_highways"].get<std::vector<std::string>>();
        if (j.contains("construction_allowed")) p.construction_allowed = j["construction_allowed"].get<std::vector<std::string>>();
        if (j.contains("barrier_passable")) p.barrier_passable = j["barrier_passable"].get<std::vector<std::string>>();
    } catch (const nlohmann::json::exception& e) {
        throw_input(name + ": " + e.what());
    }
    if (p.speed_kmh.empty()) throw_input(name + ": profile has no usable road classes (speed_kmh is empty)");
    return p;
}

}  // namespace nightout
