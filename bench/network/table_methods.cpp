// Each table method of src/network/ch.hpp (buckets, downward sweep, plain Dijkstra) timed on the
// same snapped points, in process, with their largest disagreement: the measurements behind
// table_method()'s rule (docs/benchmarks.md, "Table search by shape"). Points are make_points.py
// or all_nodes.py CSVs (id,node,lat,lon). Prints one JSON line.
//   table_methods NETWORK FROM.csv TO.csv [THREADS [RUNS]]
#include "network/ch.hpp"
#include "network/network.hpp"
#include "network/search.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

std::vector<std::pair<double, double>> read_points(const std::string& path) {  // (lon, lat)
    std::ifstream in(path);
    if (!in) throw std::runtime_error(path + ": cannot read");
    std::string line;
    std::getline(in, line);
    std::vector<std::pair<double, double>> pts;
    while (std::getline(in, line)) {
        std::stringstream ss(line);
        std::string id, node, lat, lon;
        std::getline(ss, id, ',');
        std::getline(ss, node, ',');
        std::getline(ss, lat, ',');
        std::getline(ss, lon, ',');
        pts.emplace_back(std::stod(lon), std::stod(lat));
    }
    return pts;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 4) {
        std::fprintf(stderr, "usage: %s NETWORK FROM.csv TO.csv [THREADS [RUNS]]\n", argv[0]);
        return 2;
    }
    using clock = std::chrono::steady_clock;
    try {
        const unsigned threads = argc > 4 ? static_cast<unsigned>(std::atoi(argv[4])) : 2;
        const int runs = argc > 5 ? std::max(1, std::atoi(argv[5])) : 1;
        nightout::Log log(true);
        nightout::NetworkOptions o;
        o.path = argv[1];
        nightout::Network net = nightout::open_network(o, log);
        const nightout::Graph& g = net.graph;
        nightout::Snapper snapper(g);
        std::vector<nightout::Snapped> src, dst;
        for (auto [lon, lat] : read_points(argv[2])) src.push_back(snapper.snap(lon, lat, 500));
        for (auto [lon, lat] : read_points(argv[3])) dst.push_back(snapper.snap(lon, lat, 500));
        const std::size_t cells = src.size() * dst.size();
        std::vector<double> ref(cells), cost(cells), length(cells);
        std::string out = "{\"nodes\": " + std::to_string(g.nodes()) + ", \"from\": " + std::to_string(src.size()) + ", \"to\": " +
                          std::to_string(dst.size()) + ", \"threads\": " + std::to_string(threads) + ", \"rule\": \"" +
                          nightout::table_method_name(nightout::table_method(g.nodes(), dst.size(), !net.ch.empty())) + "\"";
        for (auto m : {nightout::TableMethod::Dijkstra, nightout::TableMethod::Buckets, nightout::TableMethod::Sweep}) {
            if (m != nightout::TableMethod::Dijkstra && net.ch.empty()) continue;
            double best = -1;
            for (int r = 0; r < runs; ++r) {
                auto a = clock::now();  // the targets' preparation (buckets, sweep order) included
                const nightout::TableRows rows(g, g.duration_s, &net.ch, src, dst, m);
                rows.compute(0, src.size(), threads, cost.data(), length.data());
                const double s = std::chrono::duration<double>(clock::now() - a).count();
                best = best < 0 ? s : std::min(best, s);
            }
            double diff = 0;
            if (m == nightout::TableMethod::Dijkstra) ref = cost;
            else
                for (std::size_t k = 0; k < cells; ++k)
                    if (ref[k] != cost[k]) diff = std::max(diff, std::isinf(ref[k]) || std::isinf(cost[k]) ? INFINITY : std::abs(ref[k] - cost[k]));
            const std::string name = m == nightout::TableMethod::Dijkstra ? "dijkstra" : m == nightout::TableMethod::Buckets ? "buckets" : "sweep";
            char buf[160];
            std::snprintf(buf, sizeof buf, ", \"%s_s\": %.6f, \"%s_max_diff_s\": %.3g", name.c_str(), best, name.c_str(), diff);
            out += buf;
        }
        std::printf("%s}\n", out.c_str());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "table_methods: %s\n", e.what());
        return 1;
    }
    return 0;
}
