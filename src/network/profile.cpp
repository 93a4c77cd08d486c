#include "network/profile.hpp"

#include "core/error.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
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
    boolean("oneway", p.oneway);
    texts("access_tags", p.access_tags);
    texts("access_denied", p.access_denied);
    text("oneway_tag", p.oneway_tag);
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
