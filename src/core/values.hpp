// Attribute values carried from inputs to outputs.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace nightout {

enum class FieldType { Integer, Real, String };

struct FieldDef {
    std::string name;
    FieldType type = FieldType::String;
};

using Value = std::variant<std::monostate, std::int64_t, double, std::string>;

inline bool is_null(const Value& v) { return std::holds_alternative<std::monostate>(v); }

}  // namespace nightout
