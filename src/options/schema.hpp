// Options declared once: each has its command-line flag, its plan-file key, its help, and the
// one rule that parses and checks it. The command line (CLI11, src/cli) and plan files
// (toml++, src/plan) both bind to these declarations, so a value is checked by the same rule
// wherever it comes from, and its error says where it came from:
//   nightout: error: --duration: '0' is not accepted; expected a visit length in minutes above 0 ...
//   nightout: error: plan.toml:12: route.duration: '0' is not accepted; expected ...
#pragma once

#include "core/units.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <variant>
#include <vector>

namespace nightout {

struct RouteJob;

namespace options {

// A value as given: text on the command line, a TOML scalar in a plan.
using Raw = std::variant<std::string, double, std::int64_t, bool>;

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

template <class Target>
struct Option {
    std::string flag;  // "--duration"; empty when the command line does not take it
    std::string key;   // "duration" in the step's plan table; empty when plans do not take it
    std::string help;
    bool is_switch = false;  // a command-line flag without a value (--balance)
    std::function<void(Target&, const Raw&, const Origin&)> apply;
};

template <class Target>
using Schema = std::vector<Option<Target>>;

// The plan keys of a schema, for "unknown key; [route] accepts ..." messages.
template <class Target>
std::vector<std::string> keys(const Schema<Target>& schema) {
    std::vector<std::string> out;
    for (const auto& o : schema)
        if (!o.key.empty()) out.push_back(o.key);
    return out;
}

// `nightout route` and a plan's [route].
const Schema<RouteJob>& route_schema();

}  // namespace options
}  // namespace nightout
