// Options declared once: each has its command-line flag, its plan-file key, its help, and the
// one rule that parses and checks it. The command line (CLI11, src/cli) and plan files
// (toml++, src/plan) both bind to these declarations, so a value is checked by the same rule
// wherever it comes from, and its error says where it came from:
//   nightout: error: --duration: '0' is not accepted; expected a visit length in minutes above 0 ...
//   nightout: error: plan.toml:12: route.duration: '0' is not accepted; expected ...
#pragma once

#include "core/units.hpp"
#include "write/vector_writer.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <variant>
#include <vector>

namespace nightout {

struct RouteJob;
struct CoverageJob;
struct SiteJob;
struct TravelJob;

namespace options {

// A value as given: text on the command line, a TOML scalar in a plan. A plan's list of
// scalars (radius = ["400m", "800m"]) arrives as their comma-joined text, as the command line
// writes it (--radius 400m,800m).
using Raw = std::variant<std::string, double, std::int64_t, bool>;

// A value as the user wrote it: "800m", "15", "0.5", "true".
std::string text_of(const Raw& raw);

// Where a value came from, for its error message.
struct Origin {
    enum class Kind { CommandLine, Plan, Library } kind = Kind::Library;
    std::string where;  // "--duration", or "plan.toml:12: route.duration"
};

// A Usage error (exit 2) for the command line and library callers, an Input error (exit 3)
// for a plan file (the plan is an input), each starting with where the value came from.
[[noreturn]] void reject(const Origin& origin, const std::string& message);

// The rules options share. Each takes the whole value and names what it accepts.
struct Range {
    double min, max;
    bool min_exclusive = false;
};
double number(const Raw& raw, const Origin& origin, Range range, const std::string& accepted);
std::uint64_t whole(const Raw& raw, const Origin& origin, std::uint64_t min, std::uint64_t max, const std::string& accepted);
bool boolean(const Raw& raw, const Origin& origin);
std::string text(const Raw& raw, const Origin& origin, const std::string& accepted);
Distance distance(const Raw& raw, const Origin& origin);
std::vector<Distance> distances(const Raw& raw, const Origin& origin);  // "400m,800m", no repeats
// A share as a fraction or a percent: "0.5", "50%", 0.5; within [min, max].
double share(const Raw& raw, const Origin& origin, double min, double max);
std::string choice(const Raw& raw, const Origin& origin, const std::vector<std::string>& accepted);
// Output formats: "geojson,gpkg" (a plan's list arrives joined the same way).
std::vector<Format> formats(const Raw& raw, const Origin& origin);

template <class Target>
struct Option {
    std::string flag;  // "--duration"; empty when the command line does not take it
    std::string key;   // "route.duration": table and key in a plan file; empty when plans do not take it
    std::string help;
    bool is_switch = false;  // a command-line flag without a value (--balance)
    std::function<void(Target&, const Raw&, const Origin&)> apply;
};

template <class Target>
using Schema = std::vector<Option<Target>>;

// The keys a schema declares in one plan table ("route" -> duration, speed, ...).
template <class Target>
std::vector<std::string> keys(const Schema<Target>& schema, const std::string& table) {
    std::vector<std::string> out;
    for (const auto& o : schema)
        if (o.key.size() > table.size() + 1 && o.key.compare(0, table.size() + 1, table + ".") == 0) out.push_back(o.key.substr(table.size() + 1));
    return out;
}

// `nightout route` and a plan's [route].
const Schema<RouteJob>& route_schema();
// `nightout coverage` and a plan's [coverage] and [network] (trim, max_snap, service_areas).
const Schema<CoverageJob>& coverage_schema();
// `nightout travel` (straight lines or along streets).
const Schema<TravelJob>& travel_schema();
// `nightout site` and a plan's [site].
const Schema<SiteJob>& site_schema();

}  // namespace options
}  // namespace nightout
