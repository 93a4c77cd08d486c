// Files embedded in the binary at build time (cmake/embed_files.cmake): report.html's
// template, its app and stylesheet, and Leaflet's dist files and licence from web/node_modules.
#pragma once

#include <cstddef>
#include <string_view>

namespace nightout::report_assets {

struct Asset {
    const char* name;
    const unsigned char* data;
    std::size_t size;
};

extern const Asset kAssets[];
extern const std::size_t kAssetCount;

// The embedded file of this name; throws an Internal error when there is none.
std::string_view get(std::string_view name);

}  // namespace nightout::report_assets
