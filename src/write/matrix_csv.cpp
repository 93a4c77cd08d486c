#include "write/matrix_csv.hpp"

#include "core/error.hpp"

#include <cmath>

namespace nightout {

MatrixLayout parse_matrix_layout(const std::string& text, const std::string& option) {
    if (text == "long") return MatrixLayout::Long;
    if (text == "wide") return MatrixLayout::Wide;
    throw_usage(option + " '" + text + "': expected long (one line per pair) or wide (one line per origin, one column per destination)");
}

MatrixCsv::MatrixCsv(const std::filesystem::path& path, std::string shown, MatrixLayout layout, const std::vector<std::string>& from_ids,
                     const std::vector<std::string>& to_ids, std::vector<std::string> values, std::size_t wide_value, bool with_status)
    : csv_(path, std::move(shown)), layout_(layout), columns_(values.size()), wide_value_(wide_value), with_status_(with_status) {
    from_.reserve(from_ids.size());
    to_.reserve(to_ids.size());
    for (const auto& id : from_ids) from_.push_back(CsvWriter::quoted(id));
    for (const auto& id : to_ids) to_.push_back(CsvWriter::quoted(id));
    csv_.text("from_id");
    if (layout_ == MatrixLayout::Long) {
        csv_.text("to_id");
        for (const auto& v : values) csv_.text(v);
        if (with_status_) csv_.text("status");
    } else {
        for (const auto& id : to_) csv_.quoted_text(id);
    }
    csv_.end_row();
}

void MatrixCsv::row(std::size_t from, const std::vector<const double*>& values, const char* const* status) {
    const std::size_t nt = to_.size();
    if (layout_ == MatrixLayout::Wide) {
        csv_.quoted_text(from_[from]);
        const double* v = values[wide_value_];
        for (std::size_t j = 0; j < nt; ++j) {
            if (std::isnan(v[j])) csv_.empty();
            else csv_.fixed(v[j], 3);
        }
        csv_.end_row();
        return;
    }
    for (std::size_t j = 0; j < nt; ++j) {
        csv_.quoted_text(from_[from]).quoted_text(to_[j]);
        for (std::size_t c = 0; c < columns_; ++c) {
            const double x = values[c][j];
            if (std::isnan(x)) csv_.empty();
            else csv_.fixed(x, 3);
        }
        if (with_status_) csv_.quoted_text(status[j]);
        csv_.end_row();
    }
}

}  // namespace nightout
