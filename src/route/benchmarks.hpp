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

// Vansteenwegen's TOPTW text format (Righini-Salani, Montemanni-Gambardella, Cordeau
// based sets): line 1 `k v N t`, line 2 `D Q`, then N + 1 vertex lines
// `i x y d S f a list(a values) O C` (vertex 0 the depot, whose C ends the day).
// Customers are jobs with prize S, service d and window [O, C] on the service start;
// vertices of profit 0 are left out (visiting them never pays). Anything after the
// vertex lines is ignored (the c1/r1 files end with an unrelated line of numbers).
struct ToptwInstance {
    std::string name;
    int paths_to_visit_all = 0;     // the file's v (paths enough to visit every vertex)
    std::vector<int> vertex_ids;    // per job: the vertex number in the file
    std::vector<double> x, y;       // per node (0: depot)
    double total_profit = 0;        // of all customers
    Problem problem;                // Euclidean distances as `distances` says, travel time = distance
};

// How travel times are derived from the Euclidean distance: unrounded, or truncated to
// one decimal (the convention of exact VRPTW/OPTW codes such as Righini and Salani's).
enum class DistancePrecision { Exact, TruncatedTenth };

ToptwInstance read_toptw(const std::string& path, int routes, DistancePrecision distances = DistancePrecision::Exact);
long long tour_length(const TspInstance& inst, const std::vector<int>& tour);

}  // namespace nightout::route
