// The .graph reader (graph and contraction hierarchy) on arbitrary bytes.
#include "core/error.hpp"
#include "network/network.hpp"

#include <sstream>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
    try {
        nightout::Network net = nightout::read_network(in, "fuzz.graph");
    } catch (const nightout::Error&) {
    }
    return 0;
}
