// Progress and warnings, on stderr or to a caller's LogSink. Warnings are also collected so
// that summary.json can list them; quiet (-q) silences progress, info and warnings on stderr.
#pragma once

#include <nightout/log.hpp>

#include <chrono>
#include <mutex>
#include <string>
#include <vector>

namespace nightout {

class Log {
public:
    explicit Log(bool quiet = false) : quiet_(quiet) {}
    // Messages go to `sink` (which must outlive the log) instead of stderr.
    explicit Log(LogSink& sink) : quiet_(false), sink_(&sink) {}

    bool quiet() const { return quiet_; }
    void info(const std::string& message);
    void warn(const std::string& message);
    void progress(const std::string& label, std::size_t done, std::size_t total, bool final);
    const std::vector<std::string>& warnings() const { return warnings_; }

private:
    bool quiet_;
    LogSink* sink_ = nullptr;
    std::mutex mutex_;
    std::vector<std::string> warnings_;
};

// Reports "label: done/total" on stderr for long loops, at most a few times a second.
class Progress {
public:
    Progress(Log& log, std::string label, std::size_t total);
    ~Progress();
    void tick(std::size_t n = 1);  // thread-safe

private:
    void print(std::size_t done, bool final);
    Log& log_;
    std::string label_;
    std::size_t total_;
    std::size_t done_ = 0;
    std::mutex mutex_;
    std::chrono::steady_clock::time_point last_;
    bool tty_;
};

}  // namespace nightout
