// Prints the Charlotte sample's coverage headline through nightout's public API.
//   consumer DATA_DIR OUT_DIR      (DATA_DIR: the repository's data/charlotte)
#include <nightout/nightout.hpp>

#include <cstdio>
#include <string>

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: consumer DATA_DIR OUT_DIR\n");
        return 2;
    }
    const std::string data = argv[1];
    try {
        nightout::api::Study study;
        nightout::api::CoverageRequest request;
        request.areas.path = data + "/neighborhoods.geojson";
        request.events.path = data + "/events.csv";
        request.stations.path = data + "/police_stations.geojson";
        request.population_field = "p1";
        request.radius = {"400m", "800m"};
        request.out_dir = argv[2];
        const nightout::api::CoverageResult result = study.coverage(request);
        const auto& t = result.totals;
        std::printf("nightout %s: %zu areas, %zu events, %.0f residents\n", nightout::api::version().c_str(), t.areas, t.events,
                    t.population.value_or(0));
        for (const auto& b : t.breaks)
            std::printf("  within %s: %.1f%% of the area, %.1f%% of residents\n", b.label.c_str(), 100 * b.covered_share,
                        100 * b.population_share.value_or(0));
    } catch (const nightout::Error& e) {
        std::fprintf(stderr, "consumer: %s (exit code %d)\n", e.what(), e.exit_code());
        return e.exit_code();
    }
    return 0;
}
