// The solomon benchmark reader on arbitrary bytes.
#include "core/error.hpp"
#include "fuzz_support.hpp"
#include "route/benchmarks.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string path = nightout::fuzz::as_file(data, size, ".txt");
    try {
        nightout::route::read_solomon(path);
    } catch (const nightout::Error&) {
    }
    return 0;
}
