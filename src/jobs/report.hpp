// Small helpers shared by the jobs for what they report: rounding, readable numbers,
// input descriptions for summary.json and CSV quoting.
#pragma once

#include "core/values.hpp"
#include "core/log.hpp"
#include "read/dataset.hpp"
#include "write/output_dir.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace nightout {

double round_to(double v, double step);
std::string thousands(double v);          // 12,345
std::string percent(double share, int decimals);  // 0.123 -> "12%" (0 decimals), "12.3%" (1)
Value text_or_null(const std::string& s);  // empty text is written as null
nlohmann::json describe_input(const Dataset& ds);
// Writes a JSON document (indented by 2) to a file, throwing an output error when it cannot.
void write_json(const std::filesystem::path& path, const nlohmann::json& doc);
// The end of every job: summary.json gets the files written, the warnings and the run time
// (`run_time_s` seconds), is written into the staging folder, and the folder is committed.
void commit_with_summary(OutputDir& out, nlohmann::json& summary, const std::vector<std::string>& files, const Log& log, double run_time_s);

}  // namespace nightout
