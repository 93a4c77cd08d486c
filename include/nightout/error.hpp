// nightout's one exception type. Every failure a caller can act on is an Error whose kind is
// also the command line's exit code (docs/errors.md); its message names the file, the feature
// or line, the field and what would be accepted.
#pragma once

#include <stdexcept>
#include <string>

namespace nightout {

// Exit codes are part of the interface: only ever append.
enum class ErrorKind {
    Internal = 1,  // a bug or an unexpected library failure
    Usage = 2,     // bad command line or option value: unknown flag, bad radius, bad unit
    Input = 3,     // an input file (or plan file) is missing, unreadable or holds bad data
    Output = 4,    // the output folder or a file in it cannot be written
};

class Error : public std::runtime_error {
public:
    Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
    ErrorKind kind() const noexcept { return kind_; }
    int exit_code() const noexcept { return static_cast<int>(kind_); }

private:
    ErrorKind kind_;
};

}  // namespace nightout
