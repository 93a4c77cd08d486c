// Small helpers shared by the jobs for what they report: rounding, readable numbers,
// input descriptions for summary.json and CSV quoting.
#pragma once

#include "core/values.hpp"
#include "read/dataset.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>

namespace nightout {

double round_to(double v, double step);
std::string thousands(double v);          // 12,345
Value text_or_null(const std::string& s);  // empty text is written as null
nlohmann::json describe_input(const Dataset& ds);
std::string csv_field(const std::string& s);  // RFC 4180 quoting where needed
// Writes a JSON document (indented by 2) to a file, throwing an output error when it cannot.
void write_json(const std::filesystem::path& path, const nlohmann::json& doc);

}  // namespace nightout
