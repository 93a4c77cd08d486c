// Where nightout's progress and warnings go. The command line writes them to stderr; a
// program embedding the engine passes its own sink (a GUI, a Python callback, a log file).
#pragma once

#include <cstddef>
#include <string>

namespace nightout {

class LogSink {
public:
    virtual ~LogSink() = default;
    virtual void info(const std::string& message) = 0;
    virtual void warning(const std::string& message) = 0;
    // A long step's progress: `done` of `total` items of `label`; `final` on the last call.
    virtual void progress(const std::string& label, std::size_t done, std::size_t total, bool final) {}
};

}  // namespace nightout
