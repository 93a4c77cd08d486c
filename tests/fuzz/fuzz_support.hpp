// Shared by the libFuzzer harnesses: the input as a file for readers that take a path.
// Only nightout::Error may leave a reader; anything else (another exception, a crash, a
// leak, a hang) is a finding.
#pragma once

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <string>
#include <unistd.h>

namespace nightout::fuzz {

// Writes the input to a file of this process (the name ends in `suffix`) and returns its path.
inline std::string as_file(const std::uint8_t* data, std::size_t size, const std::string& suffix) {
    static const std::string path = "/tmp/nightout-fuzz-" + std::to_string(::getpid()) + suffix;
    std::ofstream(path, std::ios::binary | std::ios::trunc).write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    return path;
}

}  // namespace nightout::fuzz
