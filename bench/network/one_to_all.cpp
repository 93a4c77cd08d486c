// One-to-all Dijkstra timing for bench/network/run.sh: loads a network (a .graph file or
// anything `nightout travel --network` takes), runs nightout::Dijkstra (duration_s weights)
// from each source node id (one per line in SOURCES, graph node ids as written by
// `nightout graph export`) on one thread, and writes the distances as raw little-endian
// float64, row-major sources x nodes (inf = unreached), for the peers to compare against.
// Prints one JSON line: nodes, edges, load_s, run_s (best of RUNS passes over all sources), settled.
//   one_to_all NETWORK SOURCES OUT.f64 [RUNS [PROFILE [THREADS]]]   (THREADS default 1; the tool itself uses all cores)
#include "network/network.hpp"
#include "core/parallel.hpp"
#include "network/search.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <vector>

int main(int argc, char** argv) {
    if (argc < 4) {
        std::fprintf(stderr, "usage: %s NETWORK SOURCES OUT.f64 [RUNS [PROFILE [THREADS]]]\n", argv[0]);
        return 2;
    }
    using clock = std::chrono::steady_clock;
    auto secs = [](clock::time_point a, clock::time_point b) { return std::chrono::duration<double>(b - a).count(); };
    try {
        nightout::Log log(true);
        nightout::NetworkOptions o;
        o.path = argv[1];
        if (argc > 5) o.profile = argv[5];
        const unsigned threads = argc > 6 ? static_cast<unsigned>(std::max(1, std::atoi(argv[6]))) : 1u;
        const int runs = argc > 4 ? std::max(1, std::atoi(argv[4])) : 1;
        o.build_hierarchy = false;  // not needed here (a .graph file still carries its own)
        auto t0 = clock::now();
        nightout::Network net = nightout::open_network(o, log);
        auto t1 = clock::now();
        const nightout::Graph& g = net.graph;

        std::vector<nightout::NodeId> sources;
        {
            std::ifstream in(argv[2]);
            long long v;
            while (in >> v) {
                if (v < 0 || static_cast<std::size_t>(v) >= g.nodes()) {
                    std::fprintf(stderr, "source %lld is not a node of the graph (%zu nodes)\n", v, g.nodes());
                    return 2;
                }
                sources.push_back(static_cast<nightout::NodeId>(v));
            }
        }
        const std::size_t n = g.nodes();
        std::vector<double> dist(sources.size() * n);
        std::uint64_t settled = 0;
        double best = 1e300;
        for (int r = 0; r < runs; ++r) {
            std::vector<std::uint64_t> per_source(sources.size());
            auto t2 = clock::now();
            // Sources spread over threads as the tool's tables do, one search workspace each.
            nightout::parallel_for(sources.size(), threads, [&](unsigned) {
                auto d = std::make_shared<nightout::Dijkstra>(g, g.duration_s);
                return [&, d](std::size_t i) {
                    d->run_costs({{sources[i], 0.0, 0.0}});
                    double* row = &dist[i * n];
                    for (nightout::NodeId v = 0; v < n; ++v) row[v] = d->cost(v);  // like the peers: every node's distance
                    per_source[i] = d->settled().size();
                };
            });
            best = std::min(best, secs(t2, clock::now()));
            settled = 0;
            for (auto x : per_source) settled += x;
        }
        std::FILE* f = std::fopen(argv[3], "wb");
        if (!f || std::fwrite(dist.data(), sizeof(double), dist.size(), f) != dist.size() || std::fclose(f) != 0) {
            std::fprintf(stderr, "%s: cannot write\n", argv[3]);
            return 1;
        }
        std::printf("{\"nodes\": %zu, \"edges\": %zu, \"sources\": %zu, \"threads\": %u, \"load_s\": %.6f, \"run_s\": %.6f, \"settled\": %llu}\n", n,
                    g.edges(), sources.size(), threads, secs(t0, t1), best, static_cast<unsigned long long>(settled));
    } catch (const std::exception& e) {
        std::fprintf(stderr, "one_to_all: %s\n", e.what());
        return 1;
    }
    return 0;
}
