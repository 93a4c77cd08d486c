// Length-prefixed arrays in the binary network file, read back with bounds checks.
#pragma once

#include "core/error.hpp"

#include <cstdint>
#include <istream>
#include <ostream>
#include <string>
#include <vector>

namespace nightout {

template <typename T>
void write_vector(std::ostream& out, const std::vector<T>& v) {
    std::uint64_t n = v.size();
    out.write(reinterpret_cast<const char*>(&n), sizeof n);
    out.write(reinterpret_cast<const char*>(v.data()), static_cast<std::streamsize>(n * sizeof(T)));
}

// `section` names the part of the file in the error, e.g. " (hierarchy)".
template <typename T>
void read_vector(std::istream& in, std::vector<T>& v, const std::string& path, const char* section = "") {
    std::uint64_t n = 0;
    in.read(reinterpret_cast<char*>(&n), sizeof n);
    if (!in || n > (1ull << 36)) throw_input(path + ": truncated or corrupt graph file" + section);
    v.resize(n);
    in.read(reinterpret_cast<char*>(v.data()), static_cast<std::streamsize>(n * sizeof(T)));
    if (!in) throw_input(path + ": truncated or corrupt graph file" + section);
}

}  // namespace nightout
