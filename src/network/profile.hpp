// Travel profiles: which ways a mode may use, how fast, and whether one-way
// rules apply. Built-in `walk`, `bike` and `drive`, or a small JSON profile file
// (docs/user-guide.md#profiles).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace nightout {

struct Profile {
    std::string name;
    // km/h by OSM highway class (also the classes of a centerline layer's class field);
    // a class not listed is not usable.
    std::map<std::string, double> speed_kmh;
    bool use_maxspeed = false;  // maxspeed tag/field takes precedence over the class speed
    double max_speed_kmh = 0;   // cap on maxspeed values (0: none)
    // Drive speed model (docs/methodology.md#drive-times): a posted maxspeed is driven at this
    // share of the limit (OSRM's car profile: 0.8); implicit limits ("CH:urban", "rural") by
    // maxspeed_implicit (country:kind first, then kind); service=* subtypes by service_speed_kmh
    // instead of the class speed; each highway=traffic_signals node passed adds the penalty.
    double maxspeed_factor = 1.0;
    std::map<std::string, double> maxspeed_implicit;
    std::map<std::string, double> service_speed_kmh;
    double traffic_signal_penalty_s = 0;
    bool oneway = false;        // one-way rules apply (driving, cycling)
    // Access tags from most to least specific, e.g. motorcar, motor_vehicle, vehicle, access.
    std::vector<std::string> access_tags;
    // Values of the most specific present access tag that forbid the way.
    std::vector<std::string> access_denied{"no", "private", "agricultural", "forestry", "emergency", "military", "discouraged"};
    // Values that make a way restricted: usable only at the start or the end of a trip, never as
    // a shortcut (checked before access_denied; add "private" to drive private roads that way).
    std::vector<std::string> restricted_access{"destination", "delivery", "customers"};
    std::string oneway_tag;  // mode-specific one-way override, e.g. oneway:bicycle
    // Node barriers (barrier=*) the mode passes when the node has no access tag of its own; any
    // other barrier value stops it (after OSRM's barrier whitelists; docs/user-guide.md#profiles).
    std::vector<std::string> barrier_passable;
    // Ways that are not roads (yet, or any more) whatever speed_kmh says: these highway=* values,
    // and ways tagged construction=* or proposed=* with a value not in construction_allowed.
    std::vector<std::string> excluded_highways{"construction", "proposed", "planned", "abandoned", "disused", "razed"};
    std::vector<std::string> construction_allowed{"no", "minor", "widening"};

    // Whether a node stops this mode: `barrier` is the node's barrier tag (or null), `access`
    // the value of its most specific access tag (or null), `locked` its locked tag (or null).
    bool node_blocks(const char* barrier, const char* access, const char* locked) const;

    // The speed for a way, or nullopt when the profile may not use it.
    // `service` is the service=* tag (or empty), `maxspeed` the maxspeed tag for the direction.
    std::optional<double> speed_for(const std::string& highway, const std::string& maxspeed, const std::string& service = "") const;
};

// "walk", "bike", "drive", or a path to a JSON profile file. Throws a Usage error otherwise.
Profile load_profile(const std::string& name_or_path);

// Parses OSM maxspeed values: "50", "30 mph", "50;30" (first), "none" -> nullopt.
std::optional<double> parse_maxspeed_kmh(const std::string& value);

}  // namespace nightout
