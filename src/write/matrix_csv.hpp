// Travel tables as CSV, row block by row block (a large table is written as it is computed):
// long (one line per pair: from_id,to_id,<values>,status) or wide (one line per origin, one
// column per destination: what spreadsheets want, a third of the size).
#pragma once

#include "write/csv.hpp"

#include <string>
#include <vector>

namespace nightout {

enum class MatrixLayout { Long, Wide };
// "long" or "wide"; anything else is a usage error naming `option`.
MatrixLayout parse_matrix_layout(const std::string& text, const std::string& option = "--layout");

class MatrixCsv {
public:
    // `values`: the long layout's value columns (e.g. distance_m, duration_s); `wide_value`: which
    // of them the wide layout's cells hold; `with_status`: the long layout ends with a status column.
    MatrixCsv(const std::filesystem::path& path, std::string shown, MatrixLayout layout, const std::vector<std::string>& from_ids,
              const std::vector<std::string>& to_ids, std::vector<std::string> values, std::size_t wide_value, bool with_status);
    // One origin's row: values[v][j] for destination j (NaN: no value, an empty field), and the
    // status per destination (long layout only; may be null without a status column).
    void row(std::size_t from, const std::vector<const double*>& values, const char* const* status);
    void close() { csv_.close(); }

private:
    CsvWriter csv_;
    MatrixLayout layout_;
    std::vector<std::string> from_, to_;  // quoted once
    std::size_t columns_, wide_value_;
    bool with_status_;
};

}  // namespace nightout
