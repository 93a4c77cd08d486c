#include "network/profile.hpp"

#include "core/error.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>

namespace nightout {

namespace {

// Defaults follow common routing-engine profiles (OSRM's car and foot profiles,
// OSMnx's network filters); see docs/user-guide.md#profiles.
Profile drive() {
    Profile p;
    p.name = "drive";
    // Class speeds as in OSRM's car profile (free-flow averages, not limits); a posted maxspeed
    // replaces them at 0.8 of the limit (docs/methodology.md#drive-times).
    p.speed_kmh = {{"motorway", 90},       {"motorway_link", 45}, {"trunk", 85},         {"trunk_link", 40},
                   {"primary", 65},        {"primary_link", 30},  {"secondary", 55},     {"secondary_link", 25},
                   {"tertiary", 40},       {"tertiary_link", 20}, {"unclassified", 25},  {"residential", 25},
                   {"living_street", 10},  {"service", 15},       {"road", 25}};
    p.use_maxspeed = true;
    p.max_speed_kmh = 130;
    p.maxspeed_factor = 0.8;
    p.maxspeed_implicit = {{"urban", 50},    {"rural", 90},     {"trunk", 110},   {"motorway", 130}, {"living_street", 10},
                           {"walk", 7},      {"ch:rural", 80},  {"ch:trunk", 100}, {"ch:motorway", 120}, {"at:rural", 100},
                           {"at:trunk", 100}, {"de:rural", 100}, {"de:living_street", 7}, {"fr:rural", 80}, {"it:rural", 90},
                           {"us:urban", 40}, {"gb:nsl_single", 96.54}, {"gb:nsl_dual", 112.63}, {"uk:nsl_single", 96.54},
                           {"uk:nsl_dual", 112.63}};
    p.service_speed_kmh = {{"alley", 5},    {"parking", 5},       {"parking_aisle", 5},
                           {"driveway", 5}, {"drive-through", 5}, {"drive_through", 5}};
    p.traffic_signal_penalty_s = 2;
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

std::optional<double> Profile::speed_for(const std::string& highway, const std::string& maxspeed, const std::string& service) const {
    auto it = speed_kmh.find(highway);
    if (it == speed_kmh.end()) return std::nullopt;
    double speed = it->second;
    if (!service.empty())
        if (auto s = service_speed_kmh.find(service); s != service_speed_kmh.end()) speed = s->second;
    if (use_maxspeed && !maxspeed.empty()) {
        std::optional<double> m = parse_maxspeed_kmh(maxspeed);
        if (!m) {  // an implicit limit: "CH:urban" by country, else by kind ("urban")
            std::string key = maxspeed;
            std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) { return std::tolower(c); });
            auto hit = maxspeed_implicit.find(key);
            if (hit == maxspeed_implicit.end() && key.find(':') != std::string::npos) hit = maxspeed_implicit.find(key.substr(key.find(':') + 1));
            if (hit != maxspeed_implicit.end()) m = hit->second;
        }
        if (m) speed = (max_speed_kmh > 0 ? std::min(*m, max_speed_kmh) : *m) * maxspeed_factor;
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

namespace {

std::optional<Profile> built_in(const std::string& name) {
    if (name == "drive" || name == "car") return drive();
    if (name == "walk" || name == "foot") return walk();
    if (name == "bike" || name == "bicycle") return bike();
    return std::nullopt;
}

// A profile file, on top of its `base` (a built-in name, or a file resolved against this
// file's folder). `chain` holds the files being read, to name a loop instead of recursing.
Profile load_profile_file(const std::filesystem::path& file, std::vector<std::filesystem::path>& chain) {
    namespace fs = std::filesystem;
    const std::string name = file.string();
    std::error_code ec;
    const fs::path canonical = fs::weakly_canonical(file, ec);
    if (std::find(chain.begin(), chain.end(), canonical) != chain.end()) {
        std::string loop;
        for (const auto& f : chain) loop += f.filename().string() + " -> ";
        throw_input(chain.front().string() + ": the profile base chain loops (" + loop + canonical.filename().string() + ")");
    }
    if (chain.size() >= 16) throw_input(chain.front().string() + ": the profile base chain is longer than 16 files");
    std::ifstream in(file);
    if (!in) throw_input(name + ": profile file cannot be read");
    nlohmann::json j;
    try {
        in >> j;
    } catch (const std::exception& e) {
        throw_input(name + ": not valid JSON (" + e.what() + ")");
    }
    if (!j.is_object()) throw_input(name + ": the profile is a JSON " + std::string(j.type_name()) + "; expected an object such as {\"base\": \"drive\"}");
    auto wrong_type = [&](const std::string& key, const char* expected) {
        throw_input(name + ": field '" + key + "' is a " + j[key].type_name() + "; expected " + expected);
    };
    Profile p;
    if (j.contains("base")) {
        if (!j["base"].is_string()) wrong_type("base", "the name of a built-in profile (walk, bike, drive) or of a profile file");
        const std::string base = j["base"].get<std::string>();
        if (auto b = built_in(base)) p = *b;
        else {
            const fs::path base_file = fs::path(base).is_absolute() ? fs::path(base) : file.parent_path() / base;
            if (!fs::exists(base_file, ec))
                throw_input(name + ": base '" + base + "' is neither walk, bike, drive nor a profile file (looked for " + base_file.string() + ")");
            chain.push_back(canonical);
            p = load_profile_file(base_file, chain);
            chain.pop_back();
        }
    }
    auto boolean = [&](const char* key, bool& out) {
        if (!j.contains(key)) return;
        if (!j[key].is_boolean()) wrong_type(key, "true or false");
        out = j[key].get<bool>();
    };
    auto text = [&](const char* key, std::string& out) {
        if (!j.contains(key)) return;
        if (!j[key].is_string()) wrong_type(key, "a string");
        out = j[key].get<std::string>();
    };
    auto texts = [&](const char* key, std::vector<std::string>& out) {
        if (!j.contains(key)) return;
        if (!j[key].is_array()) wrong_type(key, "an array of strings");
        out.clear();
        for (const auto& v : j[key]) {
            if (!v.is_string()) throw_input(name + ": field '" + key + "' holds a " + v.type_name() + "; expected an array of strings");
            out.push_back(v.get<std::string>());
        }
    };
    if (p.name.empty()) p.name = file.stem().string();
    text("name", p.name);
    if (j.contains("speed_kmh")) {
        if (!j["speed_kmh"].is_object()) wrong_type("speed_kmh", "an object of road class: km/h, e.g. {\"residential\": 30}");
        for (auto& [k, v] : j["speed_kmh"].items()) {
            if (v.is_null()) p.speed_kmh.erase(k);
            else if (!v.is_number() || !(v.get<double>() > 0) || !std::isfinite(v.get<double>()))
                throw_input(name + ": speed_kmh." + k + " must be a positive number (or null to exclude the class)");
            else p.speed_kmh[k] = v.get<double>();
        }
    }
    boolean("use_maxspeed", p.use_maxspeed);
    if (j.contains("max_speed_kmh")) {
        if (!j["max_speed_kmh"].is_number() || !(j["max_speed_kmh"].get<double>() >= 0) || !std::isfinite(j["max_speed_kmh"].get<double>()))
            throw_input(name + ": field 'max_speed_kmh' must be a number >= 0 (0: no cap)");
        p.max_speed_kmh = j["max_speed_kmh"].get<double>();
    }
    auto number = [&](const char* key, double& out, double min, double max, const char* expected) {
        if (!j.contains(key)) return;
        if (!j[key].is_number() || !(j[key].get<double>() >= min && j[key].get<double>() <= max)) wrong_type(key, expected);
        out = j[key].get<double>();
    };
    number("maxspeed_factor", p.maxspeed_factor, 1e-9, 2, "a factor above 0 and at most 2, e.g. 0.8");
    auto speeds = [&](const char* key, std::map<std::string, double>& into) {
        if (!j.contains(key)) return;
        if (!j[key].is_object()) wrong_type(key, "an object of tag value: km/h");
        for (auto& [k, v] : j[key].items()) {
            if (v.is_null()) into.erase(k);
            else if (!v.is_number() || !(v.get<double>() > 0) || !std::isfinite(v.get<double>()))
                throw_input(name + ": " + key + "." + k + " must be a positive number in km/h (or null to drop it)");
            else into[k] = v.get<double>();
        }
    };
    speeds("maxspeed_implicit", p.maxspeed_implicit);
    speeds("service_speed_kmh", p.service_speed_kmh);
    number("traffic_signal_penalty_s", p.traffic_signal_penalty_s, 0, 3600, "a number of seconds from 0, e.g. 2");
    boolean("oneway", p.oneway);
    texts("access_tags", p.access_tags);
    texts("restricted_access", p.restricted_access);
    texts("access_denied", p.access_denied);
    text("oneway_tag", p.oneway_tag);
    texts("excluded_highways", p.excluded_highways);
    texts("construction_allowed", p.construction_allowed);
    texts("barrier_passable", p.barrier_passable);
    if (chain.empty() && p.speed_kmh.empty()) throw_input(name + ": profile has no usable road classes (speed_kmh is empty)");
    return p;
}

}  // namespace

Profile load_profile(const std::string& name) {
    if (auto p = built_in(name)) return *p;
    std::error_code ec;
    if (!std::filesystem::exists(name, ec))
        throw_usage("--profile: '" + name + "' is neither walk, bike, drive nor a profile file");
    std::vector<std::filesystem::path> chain;
    return load_profile_file(name, chain);
}

}  // namespace nightout
