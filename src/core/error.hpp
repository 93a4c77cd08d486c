// One exception type for the whole engine, translated once at the CLI boundary
// into a single line on stderr and a stable exit code (see docs/errors.md).
#pragma once

#include <nightout/error.hpp>

#include <string>

namespace nightout {

[[noreturn]] inline void throw_input(const std::string& message) { throw Error(ErrorKind::Input, message); }
[[noreturn]] inline void throw_usage(const std::string& message) { throw Error(ErrorKind::Usage, message); }
// Names the user's output paths, never a staging folder (core/output_paths).
[[noreturn]] void throw_output(const std::string& message);
[[noreturn]] inline void throw_internal(const std::string& message) { throw Error(ErrorKind::Internal, message); }

}  // namespace nightout
