// The one CSV writer of every CSV output: RFC 4180 quoting where a field needs it, numbers
// formatted by std::to_chars (independent of the C locale; shortest round-trip or fixed
// decimals), rows gathered in a large buffer written with few system calls, and every
// failure an Output error naming the file as the user will find it.
#pragma once

#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>

namespace nightout {

class CsvWriter {
public:
    // Creates (or truncates) `path`; `shown` names it in errors (default: the path itself).
    explicit CsvWriter(const std::filesystem::path& path, std::string shown = {});
    ~CsvWriter();
    CsvWriter(const CsvWriter&) = delete;
    CsvWriter& operator=(const CsvWriter&) = delete;

    CsvWriter& text(std::string_view value);      // quoted when it holds , " CR or LF
    CsvWriter& number(double value);              // shortest text that reads back the same
    CsvWriter& fixed(double value, int decimals);
    CsvWriter& integer(long long value);
    CsvWriter& empty();                           // an empty field (a null)
    CsvWriter& quoted_text(std::string_view field);  // a field already quoted by quoted() (ids written many times)
    void end_row();
    // Writes what is left and closes the file; a failure throws. Called by nobody else: an
    // unclosed writer (an error unwinding) leaves a file the output folder discards.
    void close();

    // RFC 4180 quoting of one field, for writers that build rows themselves.
    static std::string quoted(std::string_view value);

private:
    void next_field();
    void flush();

    std::FILE* file_ = nullptr;
    std::string shown_;
    std::string buffer_;
    bool row_started_ = false;
};

}  // namespace nightout
