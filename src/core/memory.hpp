// Memory a step needs, checked before it allocates: a problem too large for the machine is
// refused with the size it needs instead of ending in std::bad_alloc or the kernel's OOM killer.
#pragma once

#include "core/error.hpp"

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>

namespace nightout {

// Bytes the system can still give (MemAvailable of /proc/meminfo); 0 when unknown.
inline std::uint64_t available_memory_bytes() {
    std::ifstream in("/proc/meminfo");
    std::string key;
    std::uint64_t kib = 0;
    std::string unit;
    while (in >> key >> kib >> unit)
        if (key == "MemAvailable:") return kib * 1024;
    return 0;
}

inline std::string gigabytes(double bytes) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f GB", bytes / 1e9);
    return buf;
}

// Throws an Input error "not enough memory for WHAT: it needs N GB, M GB are available; HINT".
inline void require_memory(double bytes, const std::string& what, const std::string& hint) {
    const std::uint64_t available = available_memory_bytes();
    if (available > 0 && bytes > static_cast<double>(available))
        throw_input("not enough memory for " + what + ": it needs " + gigabytes(bytes) + ", " + gigabytes(static_cast<double>(available)) +
                    " are available; " + hint);
}

}  // namespace nightout
