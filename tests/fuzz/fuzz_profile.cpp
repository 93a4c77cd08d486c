// Profile files (JSON, with `base` chains) on arbitrary bytes.
#include "core/error.hpp"
#include "fuzz_support.hpp"
#include "network/profile.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string path = nightout::fuzz::as_file(data, size, ".json");
    try {
        nightout::load_profile(path);
    } catch (const nightout::Error&) {
    }
    return 0;
}
