// The OR-Library p-median reader on arbitrary bytes.
#include "core/error.hpp"
#include "fuzz_support.hpp"
#include "site/orlib.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string path = nightout::fuzz::as_file(data, size, ".txt");
    try {
        nightout::site::read_orlib(path);
    } catch (const nightout::Error&) {
    }
    return 0;
}
