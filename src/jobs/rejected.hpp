// rejected.csv: the rows of a run's inputs left out by --skip-bad-rows (plan: skip_bad_rows),
// each with its file, line (or feature), reason and text as read.
#pragma once

#include "read/dataset.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <vector>

namespace nightout {

std::size_t rejected_count(const std::vector<const Dataset*>& inputs);

// summary.json's account: {"count": 3, "by_input": {"events.csv": 3}}.
nlohmann::json rejected_json(const std::vector<const Dataset*>& inputs);

// Writes file,line,reason,raw (line: the CSV line number, or "feature N").
void write_rejected(const std::vector<const Dataset*>& inputs, const std::filesystem::path& path, const std::string& shown);

}  // namespace nightout
