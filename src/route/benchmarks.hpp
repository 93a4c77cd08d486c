// Readers of the public benchmark formats: Solomon / Gehring-Homberger VRPTW files and
// TSPLIB95 symmetric TSP files (distances exactly as TSPLIB95 defines them).
#pragma once

#include "route/problem.hpp"

#include <string>
#include <vector>

namespace nightout::route {

struct SolomonInstance {
    std::string name;
    int vehicles = 0;       // as stated in the file
    double capacity = 0;
    std::vector<int> customer_ids;  // per job: the customer number in the file
    std::vector<double> x, y;       // per node (0: depot)
    Problem problem;                // unrounded Euclidean distances, travel time = distance
};

// Throws an Input error naming the file and line on anything unexpected.
SolomonInstance read_solomon(const std::string& path);
// Sets the fleet to `k` vehicles (identical, at the depot).
void set_fleet(SolomonInstance& inst, int k);

struct TspInstance {
    std::string name;
    std::string weight_type;    // EUC_2D, CEIL_2D, ATT, GEO, MAN_2D, MAX_2D or EXPLICIT
    std::string weight_format;  // EXPLICIT only
    int n = 0;
    std::vector<int> dist;      // n x n, row-major, symmetric
    int d(int a, int b) const { return dist[static_cast<std::size_t>(a) * n + b]; }
};

TspInstance read_tsplib(const std::string& path);
long long tour_length(const TspInstance& inst, const std::vector<int>& tour);

}  // namespace nightout::route
