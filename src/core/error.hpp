// One exception type for the whole engine, translated once at the CLI boundary
// into a single line on stderr and a stable exit code (see docs/errors.md).
#pragma once

#include <stdexcept>
#include <string>

namespace nightout {

// Exit codes are part of the interface: only ever append.
enum class ErrorKind {
    Internal = 1,  // a bug or an unexpected library failure
    Usage = 2,     // bad command line: unknown flag, bad radius, bad unit
    Input = 3,     // an input file is missing, unreadable or holds bad data
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

[[noreturn]] inline void throw_input(const std::string& message) { throw Error(ErrorKind::Input, message); }
[[noreturn]] inline void throw_usage(const std::string& message) { throw Error(ErrorKind::Usage, message); }
[[noreturn]] inline void throw_output(const std::string& message) { throw Error(ErrorKind::Output, message); }
[[noreturn]] inline void throw_internal(const std::string& message) { throw Error(ErrorKind::Internal, message); }

}  // namespace nightout
