#include "write/output_dir.hpp"

#include "core/error.hpp"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <unistd.h>

namespace fs = std::filesystem;

namespace nightout {

namespace {

std::string unique_suffix() { return ".nightout-tmp-" + std::to_string(::getpid()); }

}  // namespace

OutputDir::OutputDir(const fs::path& destination) : destination_(destination) {
    std::error_code ec;
    if (destination_.empty()) throw_usage("--out: an output folder is required");
    if (fs::exists(destination_, ec) && !fs::is_directory(destination_, ec))
        throw_output(destination_.string() + ": output path exists and is not a folder");
    fs::path parent = fs::absolute(destination_, ec).parent_path();
    // Create missing parents now (removed again on failure) so the staging folder sits beside the destination.
    std::vector<fs::path> missing;
    for (fs::path p = parent; !p.empty() && !fs::exists(p, ec); p = p.parent_path()) {
        missing.push_back(p);
        if (p == p.parent_path()) break;
    }
    for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
        if (!fs::create_directory(*it, ec))
            throw_output(destination_.string() + ": cannot create output folder " + it->string() + " (" + ec.message() + ")");
        created_parents_.push_back(*it);
    }
    staging_ = parent / ("." + destination_.filename().string() + unique_suffix());
    fs::remove_all(staging_, ec);
    if (!fs::create_directory(staging_, ec)) {
        std::string why = ec.message();
        for (auto it = created_parents_.rbegin(); it != created_parents_.rend(); ++it) fs::remove(*it, ec);
        throw_output(destination_.string() + ": output folder cannot be written (" + why + ")");
    }
    if (fs::is_directory(destination_, ec) && ::access(destination_.c_str(), W_OK) != 0) {
        std::string why = std::strerror(errno);
        fs::remove_all(staging_, ec);
        throw_output(destination_.string() + ": output folder cannot be written (" + why + ")");
    }
}

OutputDir::~OutputDir() {
    std::error_code ec;
    fs::remove_all(staging_, ec);
    if (!committed_)
        for (auto it = created_parents_.rbegin(); it != created_parents_.rend(); ++it) fs::remove(*it, ec);
}

std::vector<std::string> OutputDir::commit() {
    std::error_code ec;
    if (!fs::exists(destination_, ec) && !fs::create_directory(destination_, ec))
        throw_output(destination_.string() + ": cannot create output folder (" + ec.message() + ")");
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(staging_)) names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    for (const auto& name : names) {
        // A subfolder (a plan's step) replaces the one of the same name: the old one is moved
        // aside first, and removed once the new one is in place.
        fs::path aside;
        if (fs::is_directory(staging_ / name, ec) && fs::is_directory(destination_ / name, ec)) {
            aside = destination_ / ("." + name + unique_suffix() + "-old");
            fs::remove_all(aside, ec);
            fs::rename(destination_ / name, aside, ec);
            if (ec) throw_output((destination_ / name).string() + ": cannot replace (" + ec.message() + ")");
        }
        fs::rename(staging_ / name, destination_ / name, ec);
        if (ec) throw_output((destination_ / name).string() + ": cannot write (" + ec.message() + ")");
        if (!aside.empty()) fs::remove_all(aside, ec);
    }
    committed_ = true;
    return names;
}

OutputFile::OutputFile(const fs::path& destination) : destination_(destination) {
    std::error_code ec;
    if (destination_.empty()) throw_usage("--out: an output file is required");
    if (fs::is_directory(destination_, ec)) throw_output(destination_.string() + ": is a folder; expected a file name");
    fs::path parent = fs::absolute(destination_, ec).parent_path();
    if (!fs::is_directory(parent, ec)) throw_output(destination_.string() + ": folder " + parent.string() + " does not exist");
    temp_ = parent / ("." + destination_.filename().string() + unique_suffix());
    std::ofstream probe(temp_);
    if (!probe) throw_output(destination_.string() + ": cannot be written (" + std::strerror(errno) + ")");
}

OutputFile::~OutputFile() {
    std::error_code ec;
    if (!committed_) fs::remove(temp_, ec);
}

void OutputFile::commit() {
    std::error_code ec;
    fs::rename(temp_, destination_, ec);
    if (ec) throw_output(destination_.string() + ": cannot write (" + ec.message() + ")");
    committed_ = true;
}

}  // namespace nightout
