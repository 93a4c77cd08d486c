// Plan files (TOML) on arbitrary bytes.
#include "core/error.hpp"
#include "fuzz_support.hpp"
#include "plan/plan.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string path = nightout::fuzz::as_file(data, size, ".toml");
    try {
        nightout::read_plan(path);
    } catch (const nightout::Error&) {
    }
    return 0;
}
