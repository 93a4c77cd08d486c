#include "core/output_paths.hpp"

#include "core/error.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <sys/statvfs.h>
#include <algorithm>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

namespace nightout {

namespace {

std::mutex registry_mutex;
std::vector<std::pair<std::string, std::string>>& registry() {
    static std::vector<std::pair<std::string, std::string>> folders;  // staging -> destination
    return folders;
}

}  // namespace

void register_staging(const std::string& staging, const std::string& destination) {
    std::lock_guard<std::mutex> lock(registry_mutex);
    registry().emplace_back(staging, destination);
}

void unregister_staging(const std::string& staging) {
    std::lock_guard<std::mutex> lock(registry_mutex);
    auto& folders = registry();
    for (auto it = folders.begin(); it != folders.end(); ++it)
        if (it->first == staging) {
            folders.erase(it);
            return;
        }
}

std::string shown_output_path(std::string text) {
    std::lock_guard<std::mutex> lock(registry_mutex);
    for (const auto& [staging, destination] : registry())
        for (std::size_t at = text.find(staging); at != std::string::npos; at = text.find(staging, at + destination.size()))
            text.replace(at, staging.size(), destination);
    return text;
}

std::string os_reason(int err) { return err ? " (" + std::string(std::strerror(err)) + ")" : std::string(); }

void write_checked(const std::string& file, const char* data, std::size_t size) {
    std::FILE* f = std::fopen(file.c_str(), "wb");
    if (!f) throw_output(file + ": cannot be written" + os_reason(errno));
    constexpr std::size_t kChunk = 1 << 20;
    for (std::size_t at = 0; at < size; at += kChunk) {
        const std::size_t n = std::min(kChunk, size - at);
        if (std::fwrite(data + at, 1, n, f) != n) {
            const int err = errno;
            std::fclose(f);
            throw_output(file + ": write failed" + os_reason(err));
        }
    }
    if (std::fclose(f) != 0) throw_output(file + ": write failed" + os_reason(errno));
}

bool filesystem_full(const std::string& file) {
    std::error_code ec;
    std::filesystem::path folder = std::filesystem::absolute(file, ec).parent_path();
    struct statvfs fs {};
    if (ec || ::statvfs(folder.c_str(), &fs) != 0) return false;
    return static_cast<unsigned long long>(fs.f_bavail) * fs.f_frsize < 64 * 1024;
}

void throw_output(const std::string& message) { throw Error(ErrorKind::Output, shown_output_path(message)); }

}  // namespace nightout
