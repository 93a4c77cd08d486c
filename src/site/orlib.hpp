// Beasley's OR-Library p-median instances (pmed1..pmed40): `n edges p`, then
// `i j cost` lines of an undirected graph whose shortest-path distances are the
// costs between every pair of vertices (every vertex is both demand and candidate).
#pragma once

#include "site/problem.hpp"

#include <string>

namespace nightout::site {

struct OrLibInstance {
    std::string name;  // file stem, e.g. "pmed1"
    int n = 0, edges = 0, p = 0;  // as in the header
    int edge_lines = 0;           // edge lines actually read
    Problem problem;   // p-median, unit weights, all-pairs shortest-path costs
};

// Reads the file; where an edge appears more than once the last line wins
// (Beasley's convention; with it pmed1's optimum is 5819). Throws an Input error
// naming the file and line for anything malformed, and for a disconnected graph.
OrLibInstance read_orlib(const std::string& path);

// All-pairs shortest paths (Dijkstra from every vertex) over an n x n matrix of
// edge costs (infinity: no edge). Row-major result.
std::vector<double> shortest_paths(int n, const std::vector<double>& edge_cost, unsigned threads);

}  // namespace nightout::site
