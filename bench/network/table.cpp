// In-process phases of a travel table for bench/network/run.sh, to split `nightout travel`'s
// wall time: load the network, snap the points, compute the table with the contraction
// hierarchy (as `nightout travel` does when the network has one) and, optionally, with one
// Dijkstra per source. Points come from make_points.py CSVs (id,node,lat,lon; plain parsing,
// no GDAL). Prints one JSON line; writes nothing else.
//   table NETWORK FROM.csv TO.csv [THREADS [RUNS [dijkstra]]]
#include "network/network.hpp"
#include "network/search.hpp"

#include <algorithm>
#include <chrono>
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
    std::getline(in, line);  // header: id,node,lat,lon
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
        std::fprintf(stderr, "usage: %s NETWORK FROM.csv TO.csv [THREADS [RUNS [dijkstra]]]\n", argv[0]);
        return 2;
    }
    using clock = std::chrono::steady_clock;
    auto secs = [](clock::time_point a, clock::time_point b) { return std::chrono::duration<double>(b - a).count(); };
    try {
        const unsigned threads = argc > 4 ? static_cast<unsigned>(std::atoi(argv[4])) : 2;
        const int runs = argc > 5 ? std::max(1, std::atoi(argv[5])) : 1;
        const bool with_dijkstra = argc > 6 && std::string(argv[6]) == "dijkstra";
        nightout::Log log(true);
        nightout::NetworkOptions o;
        o.path = argv[1];
        auto t0 = clock::now();
        nightout::Network net = nightout::open_network(o, log);
        auto t1 = clock::now();
        const nightout::Graph& g = net.graph;
        auto from = read_points(argv[2]), to = read_points(argv[3]);
        auto t2 = clock::now();
        nightout::Snapper snapper(g);
        std::vector<nightout::Snapped> src, dst;
        for (auto [lon, lat] : from) src.push_back(snapper.snap(lon, lat, 500));
        for (auto [lon, lat] : to) dst.push_back(snapper.snap(lon, lat, 500));
        auto t3 = clock::now();
        std::vector<double> cost, length, cost2, length2;
        double ch_s = -1, dij_s = -1, maxdiff = 0;
        if (!net.ch.empty())
            for (int r = 0; r < runs; ++r) {
                auto a = clock::now();
                nightout::ch_table(g, g.duration_s, net.ch, src, dst, threads, cost, length, log);
                double s = secs(a, clock::now());
                ch_s = ch_s < 0 ? s : std::min(ch_s, s);
            }
        if (with_dijkstra) {
            for (int r = 0; r < runs; ++r) {
                auto a = clock::now();
                nightout::dijkstra_table(g, g.duration_s, src, dst, threads, cost2, length2, log);
                double s = secs(a, clock::now());
                dij_s = dij_s < 0 ? s : std::min(dij_s, s);
            }
            if (!cost.empty())
                for (std::size_t k = 0; k < cost.size(); ++k)
                    if (cost[k] != cost2[k]) maxdiff = std::max(maxdiff, std::abs(cost[k] - cost2[k]));
        }
        std::size_t ok = std::count_if(src.begin(), src.end(), [](auto& s) { return s.ok; }) +
                         std::count_if(dst.begin(), dst.end(), [](auto& s) { return s.ok; });
        std::printf(
            "{\"nodes\": %zu, \"edges\": %zu, \"shortcuts\": %llu, \"from\": %zu, \"to\": %zu, \"snapped\": %zu, \"threads\": %u, "
            "\"load_s\": %.6f, \"read_points_s\": %.6f, \"snap_s\": %.6f, \"ch_table_s\": %.6f, \"dijkstra_table_s\": %.6f, "
            "\"max_abs_diff_ch_vs_dijkstra_s\": %.3g}\n",
            g.nodes(), g.edges(), static_cast<unsigned long long>(net.ch.shortcuts), src.size(), dst.size(), ok, threads, secs(t0, t1),
            secs(t1, t2), secs(t2, t3), ch_s, dij_s, maxdiff);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "table: %s\n", e.what());
        return 1;
    }
    return 0;
}
