// The `nightout` command: a small launcher that answers --version itself and loads the engine
// (libnightout-cli.so, with GDAL, GEOS, PROJ, CBC and their ~120 shared libraries) only for a
// command that needs it. Those libraries are linked with BIND_NOW: resolving their 67,000
// symbols takes the dynamic loader 40-80 ms, which `nightout --version` no longer pays.
#include <nightout/version.hpp>

#include <dlfcn.h>
#include <unistd.h>

#include <climits>
#include <cstdio>
#include <cstring>
#include <string>

namespace {

// The folder of the running executable (the engine library lies beside it in the build tree,
// in NIGHTOUT_CLI_FROM_BIN relative to it when installed).
std::string executable_dir() {
    char buf[PATH_MAX];
    const ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n <= 0) return ".";
    std::string path(buf, static_cast<std::size_t>(n));
    const auto slash = path.rfind('/');
    return slash == std::string::npos ? "." : path.substr(0, slash);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc == 2 && std::strcmp(argv[1], "--version") == 0) {
        std::puts(NIGHTOUT_VERSION);
        return 0;
    }
    const std::string dir = executable_dir();
    void* engine = nullptr;
    std::string tried;
    for (const std::string& path : {dir + "/" NIGHTOUT_CLI_LIBRARY, dir + "/" NIGHTOUT_CLI_FROM_BIN "/" NIGHTOUT_CLI_LIBRARY}) {
        engine = dlopen(path.c_str(), RTLD_LAZY | RTLD_LOCAL);
        if (engine) break;
        const char* why = dlerror();
        tried += "\n  " + path + ": " + (why ? why : "not loaded");
    }
    if (!engine) {
        std::fprintf(stderr, "nightout: internal error: cannot load the engine library%s\n", tried.c_str());
        return 1;
    }
    using Main = int (*)(int, char**);
    auto run = reinterpret_cast<Main>(dlsym(engine, "nightout_cli_main"));
    if (!run) {
        std::fprintf(stderr, "nightout: internal error: the engine library has no nightout_cli_main\n");
        return 1;
    }
    return run(argc, argv);
}
