#include "write/output_dir.hpp"

#include "core/output_paths.hpp"

#include "core/error.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace nightout {

namespace {

std::string unique_suffix() { return ".nightout-tmp-" + std::to_string(::getpid()); }
constexpr const char* kStagingTag = ".nightout-tmp-";
constexpr const char* kAsideTag = ".nightout-old-";

bool process_is_gone(long pid) { return pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH; }

// The PID at the end of ".NAME<tag>PID", or -1 when `entry` is not such a name.
long pid_of(const std::string& entry, const std::string& prefix) {
    if (entry.size() <= prefix.size() || entry.compare(0, prefix.size(), prefix) != 0) return -1;
    const std::string digits = entry.substr(prefix.size());
    if (digits.find_first_not_of("0123456789") != std::string::npos || digits.size() > 9) return -1;
    return std::stol(digits);
}

// What killed runs left beside `destination`: a destination renamed aside but never replaced
// is renamed back (the previous result), then staging and aside folders of processes that no
// longer exist are removed. Runs under the destination's lock.
void recover(const fs::path& parent, const fs::path& destination) {
    std::error_code ec;
    const std::string name = "." + destination.filename().string();
    std::vector<fs::path> stale_aside, stale_staging;
    for (const auto& entry : fs::directory_iterator(parent, ec)) {
        const std::string e = entry.path().filename().string();
        if (long pid = pid_of(e, name + kAsideTag); pid > 0 && process_is_gone(pid)) stale_aside.push_back(entry.path());
        if (long pid = pid_of(e, name + kStagingTag); pid > 0 && process_is_gone(pid)) stale_staging.push_back(entry.path());
    }
    if (!fs::exists(destination, ec) && !stale_aside.empty()) {
        fs::rename(stale_aside.front(), destination, ec);
        if (!ec) stale_aside.erase(stale_aside.begin());
    }
    for (const auto& p : stale_aside) fs::remove_all(p, ec);
    for (const auto& p : stale_staging) fs::remove_all(p, ec);
}

// Takes the lock file beside the destination: one run at a time per output folder. The holder
// removes the file before unlocking, so a run that locked a file already removed tries again.
int lock_destination(const fs::path& lock_path, const fs::path& destination) {
    for (;;) {
        int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (fd < 0) throw_output(destination.string() + ": output folder cannot be written (lock file " + lock_path.string() + ": " + std::strerror(errno) + ")");
        if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
            const int err = errno;
            char buf[32] = {};
            ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
            ::close(fd);
            if (err == EWOULDBLOCK) {
                std::string pid = n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string("unknown");
                throw_output(destination.string() + ": another nightout run (PID " + pid +
                             ") is writing this output folder; wait for it to end or choose another --out");
            }
            throw_output(destination.string() + ": cannot lock the output folder (" + std::strerror(err) + ")");
        }
        struct stat held {}, now {};
        if (::fstat(fd, &held) == 0 && ::stat(lock_path.c_str(), &now) == 0 && held.st_ino == now.st_ino && held.st_dev == now.st_dev) {
            const std::string pid = std::to_string(::getpid());
            if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size()))
                throw_output(destination.string() + ": output folder cannot be written (lock file: " + std::strerror(errno) + ")");
            return fd;
        }
        ::close(fd);
    }
}

// Swaps two paths in one step; false (errno set) where the system or file system cannot.
bool exchange(const fs::path& a, const fs::path& b) {
    if (const char* off = std::getenv("NIGHTOUT_NO_RENAME_EXCHANGE"); off && *off) {  // tests of the fallback
        errno = EINVAL;
        return false;
    }
#ifdef RENAME_EXCHANGE
    return ::renameat2(AT_FDCWD, a.c_str(), AT_FDCWD, b.c_str(), RENAME_EXCHANGE) == 0;
#else
    errno = ENOSYS;
    return false;
#endif
}

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
    auto undo_parents = [&] {
        for (auto it = created_parents_.rbegin(); it != created_parents_.rend(); ++it) fs::remove(*it, ec);
    };
    try {
        lock_path_ = parent / ("." + destination_.filename().string() + ".nightout-lock");
        lock_fd_ = lock_destination(lock_path_, destination_);
        recover(parent, fs::absolute(destination_, ec));
        if (fs::is_directory(destination_, ec) && !fs::is_empty(destination_, ec) && !fs::exists(destination_ / "summary.json", ec))
            throw_output(destination_.string() + ": folder holds files that are not a nightout result (no summary.json); a run replaces its "
                                                 "output folder as a whole, so give a new or empty folder");
    } catch (...) {
        if (lock_fd_ >= 0) ::unlink(lock_path_.c_str()), ::close(lock_fd_);
        undo_parents();
        throw;
    }
    staging_ = parent / ("." + destination_.filename().string() + unique_suffix());
    fs::remove_all(staging_, ec);
    if (!fs::create_directory(staging_, ec)) {
        std::string why = ec.message();
        ::unlink(lock_path_.c_str()), ::close(lock_fd_);
        undo_parents();
        throw_output(destination_.string() + ": output folder cannot be written (" + why + ")");
    }
    register_staging(staging_.string(), destination_.string());
    if (fs::is_directory(destination_, ec) && ::access(destination_.c_str(), W_OK) != 0) {
        std::string why = std::strerror(errno);
        fs::remove_all(staging_, ec);
        unregister_staging(staging_.string());
        ::unlink(lock_path_.c_str()), ::close(lock_fd_);
        undo_parents();
        throw_output(destination_.string() + ": output folder cannot be written (" + why + ")");
    }
}

OutputDir::~OutputDir() {
    std::error_code ec;
    unregister_staging(staging_.string());
    fs::remove_all(staging_, ec);  // after an exchange, the previous result
    if (!committed_)
        for (auto it = created_parents_.rbegin(); it != created_parents_.rend(); ++it) fs::remove(*it, ec);
    ::unlink(lock_path_.c_str());  // while still holding the lock: see lock_destination
    ::close(lock_fd_);
}

std::vector<std::string> OutputDir::commit() {
    std::error_code ec;
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(staging_)) names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    if (!fs::exists(destination_, ec)) {
        fs::rename(staging_, destination_, ec);
        if (ec) throw_output(destination_.string() + ": cannot create output folder (" + ec.message() + ")");
    } else if (!exchange(staging_, destination_)) {
        if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP && errno != EXDEV)
            throw_output(destination_.string() + ": cannot replace the output folder (" + std::strerror(errno) + ")");
        // No exchange here: the old folder goes aside, the new one in. A kill between the two
        // renames leaves no destination and the aside folder, which the next run renames back.
        const fs::path aside = staging_.parent_path() / ("." + destination_.filename().string() + kAsideTag + std::to_string(::getpid()));
        fs::remove_all(aside, ec);
        fs::rename(destination_, aside, ec);
        if (ec) throw_output(destination_.string() + ": cannot replace the output folder (" + ec.message() + ")");
        fs::rename(staging_, destination_, ec);
        if (ec) {
            const std::string why = ec.message();
            fs::rename(aside, destination_, ec);
            throw_output(destination_.string() + ": cannot replace the output folder (" + why + ")");
        }
        fs::remove_all(aside, ec);
    }
    committed_ = true;
    return names;
}

void refuse_output_over_inputs(const fs::path& out, const std::vector<std::string>& inputs) {
    if (out.empty()) return;
    std::error_code ec;
    const fs::path target = fs::weakly_canonical(fs::absolute(out, ec), ec);
    for (const std::string& input : inputs) {
        if (input.empty() || input.rfind("/vsi", 0) == 0) continue;
        const fs::path in = fs::weakly_canonical(fs::absolute(input, ec), ec);
        if (in == target) throw_usage(out.string() + ": is the input " + input + "; choose another output path, so the input is kept");
        const fs::path rel = in.parent_path().lexically_relative(target);
        if (!rel.empty() && *rel.begin() != "..")
            throw_usage(out.string() + ": output folder holds the input " + input + ", and a run replaces its output folder as a whole; choose another --out");
    }
}

OutputFile::OutputFile(const fs::path& destination) : destination_(destination) {
    std::error_code ec;
    if (destination_.empty()) throw_usage("--out: an output file is required");
    if (fs::is_directory(destination_, ec)) throw_output(destination_.string() + ": is a folder; expected a file name");
    fs::path parent = fs::absolute(destination_, ec).parent_path();
    // Create a missing folder as OutputDir does (removed again when the run fails).
    std::vector<fs::path> missing;
    for (fs::path p = parent; !p.empty() && !fs::exists(p, ec); p = p.parent_path()) {
        missing.push_back(p);
        if (p == p.parent_path()) break;
    }
    for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
        if (!fs::create_directory(*it, ec)) {
            remove_created_parents();
            throw_output(destination_.string() + ": cannot create folder " + it->string() + " (" + ec.message() + ")");
        }
        created_parents_.push_back(*it);
    }
    if (!fs::is_directory(parent, ec)) {
        remove_created_parents();
        throw_output(destination_.string() + ": " + parent.string() + " is not a folder");
    }
    temp_ = parent / ("." + destination_.filename().string() + unique_suffix());
    std::ofstream probe(temp_);
    if (!probe) {
        const std::string why = std::strerror(errno);
        remove_created_parents();
        throw_output(destination_.string() + ": cannot be written (" + why + ")");
    }
    register_staging(temp_.string(), destination_.string());
}

void OutputFile::remove_created_parents() {
    std::error_code ec;
    for (auto it = created_parents_.rbegin(); it != created_parents_.rend(); ++it) fs::remove(*it, ec);
    created_parents_.clear();
}

OutputFile::~OutputFile() {
    std::error_code ec;
    unregister_staging(temp_.string());
    if (!committed_) {
        fs::remove(temp_, ec);
        remove_created_parents();
    }
}

void OutputFile::commit() {
    std::error_code ec;
    fs::rename(temp_, destination_, ec);
    if (ec) throw_output(destination_.string() + ": cannot write (" + ec.message() + ")");
    committed_ = true;
}

}  // namespace nightout
