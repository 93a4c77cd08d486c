#include "site/orlib.hpp"

#include "core/error.hpp"
#include "core/parallel.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <queue>
#include <sstream>

namespace nightout::site {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// Whitespace-separated integers of one line; false when a token is not an integer.
bool integers(const std::string& line, std::vector<long long>& out) {
    out.clear();
    std::size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && std::isspace(static_cast<unsigned char>(line[i]))) ++i;
        if (i == line.size()) break;
        std::size_t j = i;
        while (j < line.size() && !std::isspace(static_cast<unsigned char>(line[j]))) ++j;
        long long v = 0;
        auto [ptr, ec] = std::from_chars(line.data() + i, line.data() + j, v);
        if (ec != std::errc() || ptr != line.data() + j) return false;
        out.push_back(v);
        i = j;
    }
    return true;
}

}  // namespace

std::vector<double> shortest_paths(int n, const std::vector<double>& edge_cost, unsigned threads) {
    // Adjacency lists from the matrix, so each Dijkstra costs O(E log V).
    std::vector<std::vector<std::pair<int, double>>> adj(n);
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j)
            if (i != j && edge_cost[static_cast<std::size_t>(i) * n + j] < kInf) adj[i].push_back({j, edge_cost[static_cast<std::size_t>(i) * n + j]});
    std::vector<double> dist(static_cast<std::size_t>(n) * n, kInf);
    parallel_for(static_cast<std::size_t>(n), threads, [&](unsigned) {
        return [&](std::size_t s) {
            double* d = dist.data() + s * n;
            using Item = std::pair<double, int>;
            std::priority_queue<Item, std::vector<Item>, std::greater<Item>> heap;
            d[s] = 0;
            heap.push({0.0, static_cast<int>(s)});
            while (!heap.empty()) {
                auto [dv, v] = heap.top();
                heap.pop();
                if (dv > d[v]) continue;
                for (auto [w, c] : adj[v])
                    if (dv + c < d[w]) {
                        d[w] = dv + c;
                        heap.push({d[w], w});
                    }
            }
        };
    });
    return dist;
}

OrLibInstance read_orlib(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw_input(path + ": OR-Library file not found or not readable");
    OrLibInstance inst;
    inst.name = std::filesystem::path(path).stem().string();
    std::string line;
    std::vector<long long> v;
    std::size_t line_no = 0;
    // Header: the first non-blank line.
    while (std::getline(in, line)) {
        ++line_no;
        if (!integers(line, v)) throw_input(path + ": line " + std::to_string(line_no) + ": '" + line + "' is not `n edges p` (three integers)");
        if (!v.empty()) break;
    }
    if (v.size() != 3) throw_input(path + ": line " + std::to_string(line_no) + ": expected the header `n edges p` (three integers), found " + std::to_string(v.size()) + " values");
    if (v[0] < 1 || v[0] > 20000) throw_input(path + ": line " + std::to_string(line_no) + ": n = " + std::to_string(v[0]) + " vertices; expected 1..20000");
    if (v[1] < 0) throw_input(path + ": line " + std::to_string(line_no) + ": edges = " + std::to_string(v[1]) + " is negative");
    if (v[2] < 1 || v[2] > v[0]) throw_input(path + ": line " + std::to_string(line_no) + ": p = " + std::to_string(v[2]) + "; expected 1..n (" + std::to_string(v[0]) + ")");
    // A connected graph of n vertices needs n - 1 edge lines of at least 6 bytes ("1 2 3\n"):
    // refuse a header that the file cannot fill before allocating the n x n matrices.
    std::error_code size_error;
    const auto file_size = std::filesystem::file_size(path, size_error);
    if (!size_error && static_cast<unsigned long long>(v[0] - 1) * 6 > file_size)
        throw_input(path + ": line " + std::to_string(line_no) + ": n = " + std::to_string(v[0]) + " vertices, but the file (" + std::to_string(file_size) +
                    " bytes) is too short for the n - 1 edges that connect them");
    inst.n = static_cast<int>(v[0]);
    inst.edges = static_cast<int>(v[1]);
    inst.p = static_cast<int>(v[2]);
    const int n = inst.n;
    std::vector<double> edge(static_cast<std::size_t>(n) * n, kInf);
    long long seen = 0;
    while (std::getline(in, line)) {
        ++line_no;
        if (!integers(line, v)) throw_input(path + ": line " + std::to_string(line_no) + ": '" + line + "' is not `i j cost` (three integers)");
        if (v.empty()) continue;
        if (v.size() != 3) throw_input(path + ": line " + std::to_string(line_no) + ": expected `i j cost`, found " + std::to_string(v.size()) + " values");
        if (v[0] < 1 || v[0] > n || v[1] < 1 || v[1] > n)
            throw_input(path + ": line " + std::to_string(line_no) + ": vertex " + std::to_string(v[0] < 1 || v[0] > n ? v[0] : v[1]) + " is outside 1.." + std::to_string(n));
        if (v[2] < 0) throw_input(path + ": line " + std::to_string(line_no) + ": cost " + std::to_string(v[2]) + " is negative");
        // The last line for an edge wins, in both directions (Beasley's convention).
        const std::size_t i = v[0] - 1, j = v[1] - 1;
        edge[i * n + j] = edge[j * n + i] = static_cast<double>(v[2]);
        ++seen;
    }
    // A count that disagrees with the header is reported, not fatal: the edges read define the graph.
    inst.edge_lines = static_cast<int>(seen);

    Problem& p = inst.problem;
    p.model = Model::PMedian;
    p.k = inst.p;
    p.weight.assign(n, 1.0);
    p.required.assign(n, 0);
    p.cost.unit = "";
    p.cost.assign(n, n, shortest_paths(n, edge, default_threads()));
    for (int j = 1; j < n; ++j)
        if (!(p.cost.at(0, j) < kInf)) throw_input(path + ": the graph is disconnected: vertex " + std::to_string(j + 1) + " cannot be reached from vertex 1");
    return inst;
}

}  // namespace nightout::site
