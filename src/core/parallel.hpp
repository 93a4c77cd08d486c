// A minimal parallel-for over indices. Work items are independent and write to
// their own slots, so results do not depend on the number of threads.
#pragma once

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace nightout {

inline unsigned default_threads() {
    unsigned n = std::thread::hardware_concurrency();
    return n == 0 ? 1 : n;
}

// Calls make_worker(thread_number) once per thread to get a callable
// `void(std::size_t index)` (so each thread can use its own GEOS context),
// then hands out indices.
// The first exception thrown by any worker is rethrown after all threads stop.
template <typename MakeWorker>
void parallel_for(std::size_t count, unsigned threads, MakeWorker make_worker) {
    threads = std::max(1u, std::min<unsigned>(threads, static_cast<unsigned>(std::max<std::size_t>(count, 1))));
    std::atomic<std::size_t> next{0};
    std::atomic<bool> failed{false};
    std::exception_ptr error;
    std::mutex error_mutex;
    auto run = [&](unsigned thread_number) {
        try {
            auto worker = make_worker(thread_number);
            for (std::size_t i; !failed && (i = next++) < count;) worker(i);
        } catch (...) {
            std::lock_guard lock(error_mutex);
            if (!error) error = std::current_exception();
            failed = true;
        }
    };
    if (threads == 1) {
        run(0);
    } else {
        std::vector<std::thread> pool;
        for (unsigned t = 0; t < threads; ++t) pool.emplace_back(run, t);
        for (auto& th : pool) th.join();
    }
    if (error) std::rethrow_exception(error);
}

}  // namespace nightout
