// Output at memory speed (issue 19): the time to write a ROWS x COLS travel table through
// MatrixCsv (long: one line per pair, from_id,to_id,distance_m,duration_s,status; and wide),
// values like a city's (metres and seconds with 3 decimals). Prints one JSON line.
//   write_rows OUT_DIR [ROWS [COLS [RUNS]]]      (default 1000 x 1000: 1,000,000 long rows)
#include "write/matrix_csv.hpp"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s OUT_DIR [ROWS [COLS [RUNS]]]\n", argv[0]);
        return 2;
    }
    const std::filesystem::path dir = argv[1];
    const std::size_t rows = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 1000, cols = argc > 3 ? std::strtoul(argv[3], nullptr, 10) : 1000;
    const int runs = argc > 4 ? std::max(1, std::atoi(argv[4])) : 3;
    std::vector<std::string> from, to;
    for (std::size_t i = 0; i < rows; ++i) from.push_back("s" + std::to_string(i));
    for (std::size_t j = 0; j < cols; ++j) to.push_back("e" + std::to_string(j));
    std::mt19937 rng(1);
    std::uniform_real_distribution<double> metres(0, 30000);
    std::vector<double> length(cols), duration(cols);
    for (std::size_t j = 0; j < cols; ++j) length[j] = metres(rng), duration[j] = length[j] / 11.1;
    std::vector<const char*> status(cols, "ok");
    std::string out = "{\"rows\": " + std::to_string(rows) + ", \"cols\": " + std::to_string(cols) + ", \"pairs\": " + std::to_string(rows * cols);
    for (auto layout : {nightout::MatrixLayout::Long, nightout::MatrixLayout::Wide}) {
        const bool wide = layout == nightout::MatrixLayout::Wide;
        const auto path = dir / (wide ? "wide.csv" : "long.csv");
        double best = 1e300, best_cpu = 1e300;  // wall and this thread's CPU time (the machine is shared)
        for (int r = 0; r < runs; ++r) {
            const auto t = std::chrono::steady_clock::now();
            const std::clock_t c = std::clock();
            nightout::MatrixCsv csv(path, "", layout, from, to, {"distance_m", "duration_s"}, 1, true);
            for (std::size_t i = 0; i < rows; ++i) csv.row(i, {length.data(), duration.data()}, status.data());
            csv.close();
            best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count());
            best_cpu = std::min(best_cpu, static_cast<double>(std::clock() - c) / CLOCKS_PER_SEC);
        }
        char buf[200];
        std::snprintf(buf, sizeof buf, ", \"%s_s\": %.4f, \"%s_cpu_s\": %.4f, \"%s_bytes\": %ju", wide ? "wide" : "long", best, wide ? "wide" : "long", best_cpu, wide ? "wide" : "long",
                      static_cast<std::uintmax_t>(std::filesystem::file_size(path)));
        out += buf;
        std::filesystem::remove(path);
    }
    std::printf("%s}\n", out.c_str());
    return 0;
}
