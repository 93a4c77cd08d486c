#include "site/swap_search.hpp"

#include "core/error.hpp"
#include "core/parallel.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace nightout::site {

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();

// Moves smaller than this are rounding noise, not improvements.
double tolerance(double total) { return 1e-9 * std::max(1.0, std::abs(total)); }
}  // namespace

std::uint64_t Random::next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

std::size_t Random::below(std::size_t n) {
    // Modulo bias is below n / 2^64: irrelevant for choosing among sites.
    return static_cast<std::size_t>(next() % n);
}

std::shared_ptr<const std::vector<int>> sorted_facilities(const double* costs, std::size_t n, std::size_t m, unsigned threads) {
    auto order = std::make_shared<std::vector<int>>(n * m);
    parallel_for(n, threads, [&](unsigned) {
        return [&](std::size_t u) {
            int* o = order->data() + u * m;
            std::iota(o, o + m, 0);
            const double* row = costs + u * m;
            std::sort(o, o + m, [row](int x, int y) { return row[x] < row[y] || (row[x] == row[y] && x < y); });
        };
    });
    return order;
}

SwapSearch::SwapSearch(const AssignmentCosts& costs, const std::vector<char>& fixed, const std::vector<char>& allowed,
                       std::shared_ptr<const std::vector<int>> order)
    : c_(costs), fixed_(fixed), allowed_(allowed), order_(std::move(order)) {
    if (fixed_.size() != c_.m || allowed_.size() != c_.m) throw_internal("swap search: facility flags do not match the cost matrix");
    for (std::size_t f = 0; f < c_.m; ++f) {
        if (fixed_[f]) fixed_list_.push_back(static_cast<int>(f));
        else if (allowed_[f]) allowed_list_.push_back(static_cast<int>(f));
        if (fixed_[f]) allowed_[f] = 0;
    }
    // Sorted facility lists let every scan stop at the first cost that cannot matter.
    if (!order_) order_ = sorted_facilities(c_.a.data(), c_.n, c_.m, 1);
    if (order_->size() != c_.n * c_.m) throw_internal("swap search: sorted lists do not match the cost matrix");
    open_.assign(c_.m, 0);
    pos_.assign(c_.m, -1);
    gain_.assign(c_.m, 0);
    phi1_.assign(c_.n, -1);
    phi2_.assign(c_.n, -1);
    d1_.assign(c_.n, kInf);
    d2_.assign(c_.n, kInf);
}

double SwapSearch::cost(const std::vector<int>& open) const {
    double total = 0;
    for (std::size_t u = 0; u < c_.n; ++u) {
        double best = kInf;
        for (int f : fixed_list_) best = std::min(best, c_.at(u, f));
        for (int f : open) best = std::min(best, c_.at(u, f));
        total += best;
    }
    return total;
}

std::vector<int> SwapSearch::greedy(int P) const {
    std::vector<int> chosen;
    std::vector<char> in(c_.m, 0);
    std::vector<double> d1(c_.n, kInf), gain(c_.m);
    for (int f : fixed_list_)
        for (std::size_t u = 0; u < c_.n; ++u) d1[u] = std::min(d1[u], c_.at(u, f));
    while (static_cast<int>(chosen.size()) < P) {
        int best = -1;
        if (fixed_list_.empty() && chosen.empty()) {
            // Nothing open yet: the first site is the 1-median.
            double best_sum = kInf;
            for (int f : allowed_list_) {
                double s = 0;
                for (std::size_t u = 0; u < c_.n; ++u) s += c_.at(u, f);
                if (s < best_sum) best_sum = s, best = f;
            }
        } else {
            std::fill(gain.begin(), gain.end(), 0.0);
            for (std::size_t u = 0; u < c_.n; ++u) {
                const int* o = order(u);
                for (std::size_t t = 0; t < c_.m; ++t) {
                    const int f = o[t];
                    const double a = c_.at(u, f);
                    if (a >= d1[u]) break;
                    gain[f] += d1[u] - a;
                }
            }
            double best_gain = -1;
            for (int f : allowed_list_)
                if (!in[f] && gain[f] > best_gain) best_gain = gain[f], best = f;
        }
        if (best < 0) throw_internal("greedy: fewer candidates than sites requested");
        in[best] = 1;
        chosen.push_back(best);
        for (std::size_t u = 0; u < c_.n; ++u) d1[u] = std::min(d1[u], c_.at(u, best));
    }
    return chosen;
}

void SwapSearch::nearest_two(std::size_t u) {
    phi1_[u] = phi2_[u] = -1;
    d1_[u] = d2_[u] = kInf;
    const int* o = order(u);
    for (std::size_t t = 0; t < c_.m; ++t) {
        const int f = o[t];
        if (!open_[f]) continue;
        if (phi1_[u] < 0) {
            phi1_[u] = f;
            d1_[u] = c_.at(u, f);
        } else {
            phi2_[u] = f;
            d2_[u] = c_.at(u, f);
            return;
        }
    }
}

// Adds (sign +1) or removes (-1) user u's share of gain, loss and extra
// (Resende & Werneck): closing phi1 costs d2 - d1; opening f saves d1 - a when a < d1;
// doing both at once saves extra = d2 - max(a, d1) more than the two apart.
void SwapSearch::contribute(std::size_t u, double sign) {
    const int r = phi1_[u];
    const int pr = pos_[r];
    const double d1 = d1_[u], d2 = d2_[u];
    if (pr >= 0) loss_[pr] += sign * (d2 - d1);
    const int* o = order(u);
    for (std::size_t t = 0; t < c_.m; ++t) {
        const int f = o[t];
        const double a = c_.at(u, f);
        if (a >= d2) break;
        if (open_[f] || !allowed_[f]) continue;
        if (a < d1) gain_[f] += sign * (d1 - a);
        if (pr >= 0) extra_[static_cast<std::size_t>(f) * P_ + pr] += sign * (d2 - std::max(a, d1));
    }
}

void SwapSearch::load(const std::vector<int>& open) {
    P_ = open.size();
    std::fill(open_.begin(), open_.end(), 0);
    std::fill(pos_.begin(), pos_.end(), -1);
    for (int f : fixed_list_) open_[f] = 1;
    set_ = open;
    for (std::size_t p = 0; p < P_; ++p) {
        open_[set_[p]] = 1;
        pos_[set_[p]] = static_cast<int>(p);
    }
    std::fill(gain_.begin(), gain_.end(), 0.0);
    loss_.assign(P_, 0.0);
    extra_.assign(c_.m * P_, 0.0);
    for (std::size_t u = 0; u < c_.n; ++u) nearest_two(u);
    for (std::size_t u = 0; u < c_.n; ++u) contribute(u, +1);
}

double SwapSearch::local_search(std::vector<int>& open) {
    ++local_searches_;
    if (open.empty()) return cost(open);
    if (fixed_list_.empty() && open.size() == 1) {
        // A single site has no second-nearest to fall back on: try every one.
        double best = kInf;
        for (int f : allowed_list_) {
            double s = 0;
            for (std::size_t u = 0; u < c_.n; ++u) s += c_.at(u, f);
            if (s < best) best = s, open[0] = f;
        }
        return best;
    }
    load(open);
    double total = std::accumulate(d1_.begin(), d1_.end(), 0.0);
    while (true) {
        double best = tolerance(total);
        int bf = -1, bp = -1;
        for (int f : allowed_list_) {
            if (open_[f]) continue;
            const double g = gain_[f];
            const double* row = extra_.data() + static_cast<std::size_t>(f) * P_;
            for (std::size_t p = 0; p < P_; ++p) {
                const double v = g - loss_[p] + row[p];
                if (v > best) best = v, bf = f, bp = static_cast<int>(p);
            }
        }
        if (bf < 0) break;
        // Only users whose nearest or second-nearest changes need their shares redone.
        const int r = set_[bp];
        affected_.clear();
        for (std::size_t u = 0; u < c_.n; ++u)
            if (phi1_[u] == r || phi2_[u] == r || c_.at(u, bf) < d2_[u]) affected_.push_back(u);
        for (std::size_t u : affected_) contribute(u, -1);
        open_[r] = 0;
        pos_[r] = -1;
        open_[bf] = 1;
        pos_[bf] = bp;
        set_[bp] = bf;
        for (std::size_t u : affected_) {
            nearest_two(u);
            contribute(u, +1);
        }
        const double before = total;
        total = std::accumulate(d1_.begin(), d1_.end(), 0.0);
        if (!(total < before)) break;  // guards against a cycle on rounding noise
    }
    open = set_;
    return total;
}

double SwapSearch::vns(std::vector<int>& open, const VnsBudget& budget, Random& random) {
    double best = local_search(open);
    const std::size_t P = open.size();
    if (P == 0 || allowed_list_.size() <= P || best <= budget.stop_at) return best;
    std::vector<int> trial;
    std::vector<char> in(c_.m, 0);
    int k = 1;
    long long without_gain = 0;
    for (long long it = 0; it < budget.max_iterations && without_gain < budget.max_without_gain; ++it) {
        trial = open;
        for (int f : trial) in[f] = 1;
        const int shake = std::min<int>(k, static_cast<int>(std::min(P, allowed_list_.size() - P)));
        for (int s = 0; s < shake; ++s) {
            const std::size_t p = random.below(P);
            int f;
            do f = allowed_list_[random.below(allowed_list_.size())];
            while (in[f]);
            in[trial[p]] = 0;
            in[f] = 1;
            trial[p] = f;
        }
        for (int f : trial) in[f] = 0;
        const double c = local_search(trial);
        if (c < best - tolerance(best)) {
            best = c;
            open = trial;
            k = 1;
            without_gain = 0;
            if (best <= budget.stop_at) break;
        } else {
            k = k >= budget.kmax ? 1 : k + 1;
            ++without_gain;
        }
    }
    return best;
}

}  // namespace nightout::site
