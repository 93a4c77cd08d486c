// Outputs are written into hidden staging folders (write/output_dir), but a message about a
// file must name the path the user asked for: every Output error is rewritten through the
// staging folders alive at the time it is thrown.
#pragma once

#include <cstddef>
#include <string>

namespace nightout {

// While registered, `staging` stands for `destination` in Output error messages.
void register_staging(const std::string& staging, const std::string& destination);
void unregister_staging(const std::string& staging);

// `text` with every registered staging folder replaced by its destination.
std::string shown_output_path(std::string text);

// " (No space left on device)" for errno `err`, or "" when `err` is 0.
std::string os_reason(int err);

// Writes `size` bytes to `file` (created or replaced), every write and the close checked:
// an Output error naming the file and the OS's reason when any fails.
void write_checked(const std::string& file, const char* data, std::size_t size);

// True when the filesystem that holds `file` (or would hold it) has no room left (< 64 KiB).
bool filesystem_full(const std::string& file);

}  // namespace nightout
