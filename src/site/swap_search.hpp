// The heuristic engine shared by every model: minimise sum_u min_{f open} a(u,f)
// over sets of exactly P "free" open facilities, with some facilities always open.
// p-median uses a = weight x cost; coverage models use a = weight x [cost > radius]
// (uncovered demand), so one fast local search serves all of them.
//
// - greedy construction (add the facility that lowers the total most; ties to the lower index);
// - the fast swap-based local search of Resende & Werneck (2003, "A fast swap-based local search
//   procedure for location problems"): gain/loss/extra tables give the profit of every
//   (insert, remove) pair in O(m P), and are updated only for the users a move affects;
// - variable neighbourhood search (Hansen & Mladenović 1997) around it: shake with k random swaps,
//   local search, move when better, otherwise k+1; a fixed iteration budget keeps it deterministic.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace nightout::site {

// n users x m facilities, row-major, finite and >= 0.
struct AssignmentCosts {
    std::size_t n = 0, m = 0;
    std::vector<double> a;
    double at(std::size_t u, std::size_t f) const { return a[u * m + f]; }
};

// A small deterministic generator (splitmix64): the same seed gives the same
// sequence on every platform, unlike std::uniform_int_distribution.
class Random {
public:
    explicit Random(std::uint64_t seed) : state_(seed) {}
    std::uint64_t next();
    std::size_t below(std::size_t n);  // uniform in [0, n)

private:
    std::uint64_t state_;
};

struct VnsBudget {
    long long max_iterations = 1000;    // local searches after the first
    long long max_without_gain = 300;   // stop after this many in a row without improvement
    int kmax = 10;                      // largest shake (random swaps)
    double stop_at = -1;                // stop as soon as the cost is <= this (e.g. 0 uncovered)
};

// Each user's facilities by increasing cost, ties by index (n x m, row-major).
std::shared_ptr<const std::vector<int>> sorted_facilities(const double* costs, std::size_t n, std::size_t m, unsigned threads);

class SwapSearch {
public:
    // `fixed` flags facilities that are always open; `allowed` those that may be chosen
    // (neither fixed nor excluded). Both have m entries. `order` (optional) lists each
    // user's facilities by non-decreasing cost (n x m): any monotone transform of the
    // same costs shares it, so p-center and LSCP sort once for many radii.
    SwapSearch(const AssignmentCosts& costs, const std::vector<char>& fixed, const std::vector<char>& allowed,
               std::shared_ptr<const std::vector<int>> order = nullptr);
    // Copies share the cost matrix and the sorted lists; each has its own search state.
    SwapSearch(const SwapSearch&) = default;

    // P facilities added one at a time, each lowering the total the most (ties: lower index).
    std::vector<int> greedy(int P) const;
    // Best-improvement swaps until none lowers the cost; returns the cost.
    double local_search(std::vector<int>& open);
    // Local search, then VNS; `open` holds the best set found. Returns its cost.
    double vns(std::vector<int>& open, const VnsBudget& budget, Random& random);
    // The cost of a set, from scratch.
    double cost(const std::vector<int>& open) const;

    long long local_searches() const { return local_searches_; }

private:
    void load(const std::vector<int>& open);
    void nearest_two(std::size_t u);
    void contribute(std::size_t u, double sign);
    const int* order(std::size_t u) const { return order_->data() + u * c_.m; }

    const AssignmentCosts& c_;
    std::vector<char> fixed_, allowed_;
    std::vector<int> fixed_list_, allowed_list_;
    std::shared_ptr<const std::vector<int>> order_;  // per user: facilities by increasing cost

    // Local-search state, for the current set.
    std::size_t P_ = 0;
    std::vector<char> open_;
    std::vector<int> pos_;  // position in the free set, -1 when not a free open facility
    std::vector<int> set_;  // the free open facilities
    std::vector<int> phi1_, phi2_;
    std::vector<double> d1_, d2_;
    std::vector<double> gain_, loss_, extra_;  // extra_: m x P
    std::vector<std::size_t> affected_;
    long long local_searches_ = 0;
};

}  // namespace nightout::site
