#include "write/csv.hpp"

#include "core/error.hpp"
#include "core/text.hpp"

#include <charconv>
#include <cerrno>
#include <cstring>

namespace nightout {

namespace {

constexpr std::size_t kFlushAt = 1 << 20;  // 1 MiB per write(2)

}  // namespace

CsvWriter::CsvWriter(const std::filesystem::path& path, std::string shown) : shown_(shown.empty() ? path.string() : std::move(shown)) {
    file_ = std::fopen(path.c_str(), "wb");
    if (!file_) throw_output(shown_ + ": cannot be written (" + std::strerror(errno) + ")");
    std::setvbuf(file_, nullptr, _IONBF, 0);  // our own buffer is large enough
    buffer_.reserve(kFlushAt + 4096);
}

CsvWriter::~CsvWriter() {
    if (file_) std::fclose(file_);
}

std::string CsvWriter::quoted(std::string_view v) {
    if (v.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(v);
    std::string q = "\"";
    for (char c : v) {
        if (c == '"') q += '"';
        q += c;
    }
    return q + "\"";
}

void CsvWriter::next_field() {
    if (row_started_) buffer_ += ',';
    row_started_ = true;
}

CsvWriter& CsvWriter::text(std::string_view value) {
    next_field();
    if (value.find_first_of(",\"\r\n") == std::string_view::npos) buffer_ += value;
    else buffer_ += quoted(value);
    return *this;
}

CsvWriter& CsvWriter::number(double value) {
    next_field();
    append_number(buffer_, value);
    return *this;
}

CsvWriter& CsvWriter::fixed(double value, int decimals) {
    next_field();
    append_fixed(buffer_, value, decimals);
    return *this;
}

CsvWriter& CsvWriter::integer(long long value) {
    next_field();
    char buf[24];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
    buffer_.append(buf, end);
    return *this;
}

CsvWriter& CsvWriter::quoted_text(std::string_view field) {
    next_field();
    buffer_ += field;
    return *this;
}

CsvWriter& CsvWriter::empty() {
    next_field();
    return *this;
}

void CsvWriter::end_row() {
    buffer_ += '\n';
    row_started_ = false;
    if (buffer_.size() >= kFlushAt) flush();
}

void CsvWriter::flush() {
    if (!buffer_.empty() && std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size())
        throw_output(shown_ + ": write failed (" + std::strerror(errno) + ")");
    buffer_.clear();
}

void CsvWriter::close() {
    flush();
    std::FILE* f = file_;
    file_ = nullptr;
    if (std::fclose(f) != 0) throw_output(shown_ + ": write failed (" + std::strerror(errno) + ")");
}

}  // namespace nightout
