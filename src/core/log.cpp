#include "core/log.hpp"

#include <cstdio>
#include <unistd.h>

namespace nightout {

void Log::info(const std::string& message) {
    if (quiet_) return;
    std::lock_guard lock(mutex_);
    if (sink_) sink_->info(message);
    else std::fprintf(stderr, "%s\n", message.c_str());
}

void Log::warn(const std::string& message) {
    std::lock_guard lock(mutex_);
    warnings_.push_back(message);
    if (sink_) sink_->warning(message);
    else if (!quiet_) std::fprintf(stderr, "warning: %s\n", message.c_str());
}

void Log::progress(const std::string& label, std::size_t done, std::size_t total, bool final) {
    if (quiet_) return;
    std::lock_guard lock(mutex_);
    if (sink_) {
        sink_->progress(label, done, total, final);
        return;
    }
    static const bool tty = isatty(STDERR_FILENO) != 0;
    double pct = total ? 100.0 * static_cast<double>(done) / static_cast<double>(total) : 100.0;
    if (tty)
        std::fprintf(stderr, "\r%s: %zu/%zu (%.0f%%)%s", label.c_str(), done, total, pct, final ? "\n" : "");
    else
        std::fprintf(stderr, "%s: %zu/%zu (%.0f%%)\n", label.c_str(), done, total, pct);
}

Progress::Progress(Log& log, std::string label, std::size_t total)
    : log_(log), label_(std::move(label)), total_(total), last_(std::chrono::steady_clock::now()),
      tty_(isatty(STDERR_FILENO) != 0) {}

Progress::~Progress() {
    if (done_ > 0) print(done_, true);
}

void Progress::tick(std::size_t n) {
    std::lock_guard lock(mutex_);
    done_ += n;
    auto now = std::chrono::steady_clock::now();
    if (now - last_ > std::chrono::milliseconds(tty_ ? 200 : 2000)) {
        last_ = now;
        print(done_, false);
    }
}

void Progress::print(std::size_t done, bool final) { log_.progress(label_, done, total_, final); }

}  // namespace nightout
