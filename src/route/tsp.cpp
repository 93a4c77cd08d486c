#include "route/tsp.hpp"

#include "core/error.hpp"

#include <algorithm>
#include <climits>
#include <chrono>
#include <exception>
#include <numeric>
#include <thread>

namespace nightout::route {

namespace {

using Clock = std::chrono::steady_clock;

class Rng {  // splitmix64: small and the same everywhere
public:
    explicit Rng(std::uint64_t seed) : s_(seed * 0x9e3779b97f4a7c15ULL + 1) {}
    std::uint64_t next() {
        std::uint64_t z = (s_ += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    int below(int n) { return static_cast<int>(next() % static_cast<std::uint64_t>(n)); }

private:
    std::uint64_t s_;
};

class Tour {
public:
    Tour(const TspInstance& inst, const std::vector<std::vector<int>>& neigh) : in_(inst), nb_(neigh), n_(inst.n), pos_(n_), active_(n_, 0) {}

    void set(const std::vector<int>& order) {
        t_ = order;
        for (int i = 0; i < n_; ++i) pos_[t_[i]] = i;
    }
    const std::vector<int>& order() const { return t_; }
    long long length() const { return tour_length(in_, t_); }
    int next(int c) const { return t_[pos_[c] + 1 == n_ ? 0 : pos_[c] + 1]; }
    int prev(int c) const { return t_[pos_[c] == 0 ? n_ - 1 : pos_[c] - 1]; }

    void push(int c) {
        if (!active_[c]) active_[c] = 1, queue_.push_back(c);
    }

    // Local search from the queued cities until no 2-opt or Or-opt move improves.
    void optimise() {
        while (head_ < queue_.size()) {
            const int a = queue_[head_++];
            active_[a] = 0;
            if (improve(a)) push(a);
            if (head_ > 4096 && head_ * 2 > queue_.size()) {
                queue_.erase(queue_.begin(), queue_.begin() + static_cast<long>(head_));
                head_ = 0;
            }
        }
        queue_.clear();
        head_ = 0;
    }

    // Swaps two consecutive segments of random lengths near a random city (a double
    // bridge confined to a window); returns the gain (negative: longer).
    long long kick(Rng& rng) {
        if (n_ < 8) return 0;
        const int L = std::min(50, n_ / 4);
        const int p = rng.below(n_);
        const int l1 = 1 + rng.below(L), l2 = 1 + rng.below(L);
        // positions: A=[.. p], B=[p+1 .. p+l1], C=[p+l1+1 .. p+l1+l2], D=[...]
        auto at = [&](int i) { return t_[(p + i) % n_]; };
        const int a = at(0), b1 = at(1), b2 = at(l1), c1 = at(l1 + 1), c2 = at(l1 + l2), d = at(l1 + l2 + 1);
        const long long before = in_.d(a, b1) + in_.d(b2, c1) + in_.d(c2, d);
        const long long after = in_.d(a, c1) + in_.d(c2, b1) + in_.d(b2, d);
        // C B by three reversals on positions (window < n/2, so no wrap-around confusion).
        reverse_pos(p + 1, l1);
        reverse_pos(p + l1 + 1, l2);
        reverse_pos(p + 1, l1 + l2);
        for (int c : {a, b1, b2, c1, c2, d}) push(c);
        return before - after;
    }

private:
    int d(int a, int b) const { return in_.d(a, b); }

    // Reverses `len` positions starting at position i (circular).
    void reverse_pos(int i, int len) {
        int lo = i % n_, hi = (i + len - 1) % n_;
        for (int k = 0; k < len / 2; ++k) {
            std::swap(t_[lo], t_[hi]);
            pos_[t_[lo]] = lo;
            pos_[t_[hi]] = hi;
            if (++lo == n_) lo = 0;
            if (--hi < 0) hi = n_ - 1;
        }
    }
    // Reverses the path from city x forward to city y, or its complement (same cycle);
    // returns the positions turned (first, count): turning them again undoes it.
    std::pair<int, int> reverse_path(int x, int y) {
        const int i = pos_[x], j = pos_[y];
        const int len = (j - i + n_) % n_ + 1;
        if (2 * len <= n_) {
            reverse_pos(i, len);
            return {i, len};
        }
        reverse_pos(j + 1, n_ - len);
        return {j + 1, n_ - len};
    }
    // Removes edges {a,b} and {c,e} (b follows a and e follows c in one direction) and adds {a,c}, {b,e}.
    void two_opt(int a, int b, int c, int e) {
        if (next(a) == b) reverse_path(b, c);
        else reverse_path(c, b);
        for (int x : {a, b, c, e}) push(x);
    }

    bool improve(int a) {
        // 2-opt, both tour neighbours of a
        for (int dir = 0; dir < 2; ++dir) {
            const int b = dir == 0 ? next(a) : prev(a);
            const int dab = d(a, b);
            for (int c : nb_[a]) {
                const int dac = d(a, c);
                if (dac >= dab) break;
                const int e = dir == 0 ? next(c) : prev(c);
                if (c == b || e == a) continue;
                const long long delta = static_cast<long long>(dab) + d(c, e) - dac - d(b, e);
                if (delta > 0) {
                    if (dir == 0) two_opt(a, b, c, e);
                    else two_opt(b, a, e, c);
                    return true;
                }
            }
        }
        // Or-opt: move a segment of 1-3 cities starting or ending at a next to a neighbour
        for (int len = 1; len <= 3 && len < n_ - 3; ++len) {
            for (int dir = 0; dir < 2; ++dir) {
                int s1 = a, s2 = a;
                for (int k = 1; k < len; ++k) s2 = dir == 0 ? next(s2) : prev(s2);
                if (dir == 1) std::swap(s1, s2);  // forward order s1 .. s2
                const int p = prev(s1), nx = next(s2);
                const long long removal = static_cast<long long>(d(p, s1)) + d(s2, nx) - d(p, nx);
                if (removal <= 0) continue;
                for (int end = 0; end < 2; ++end) {
                    const int s = end == 0 ? s1 : s2;
                    for (int c : nb_[s]) {
                        if (d(s, c) >= removal) break;
                        if (in_segment(c, s1, len)) continue;
                        // c's two tour edges: (c, next c) and (prev c, c)
                        for (int side = 0; side < 2; ++side) {
                            const int u = side == 0 ? c : prev(c), w = side == 0 ? next(c) : c;
                            if (in_segment(u, s1, len) || in_segment(w, s1, len) || (u == p && w == s1) || (u == s2 && w == nx)) continue;
                            // forward: u s1..s2 w ; reversed: u s2..s1 w
                            const long long fwd = static_cast<long long>(d(u, s1)) + d(s2, w) - d(u, w);
                            const long long rev = static_cast<long long>(d(u, s2)) + d(s1, w) - d(u, w);
                            const long long add = std::min(fwd, rev);
                            if (add < removal) {
                                or_move(s1, s2, p, nx, u, w);
                                return true;
                            }
                        }
                    }
                }
            }
        }
        return lin_kernighan(a);
    }

    // Lin-Kernighan style chain from t1 (3-opt and deeper sequential moves, Or-3opt among
    // them): remove (t1, t2), add (t2, t3) for a near t3, remove (t3, t4) and flip, so that
    // t4 becomes t1's new neighbour; repeat from t4 up to kDepth times and keep the best
    // closed prefix. Breadth kBreadth at the first level, then the best look-ahead only.
    bool lin_kernighan(int t1) {
        constexpr int kDepth = 8, kBreadth = 5;
        for (int side = 0; side < 2; ++side) {
            const int t2_first = side == 0 ? next(t1) : prev(t1);
            // First-level candidates by LK's look-ahead g1 + d(t4, t3).
            first_.clear();
            {
                const bool rev = side == 1;
                const long long g = d(t1, t2_first);
                for (int t3 : nb_[t2_first]) {
                    const long long g1 = g - d(t2_first, t3);
                    if (g1 <= 0) break;
                    if (t3 == t1) continue;
                    const int t4 = rev ? next(t3) : prev(t3);
                    if (t4 == t2_first) continue;
                    first_.push_back({g1 + d(t4, t3), t3});
                }
            }
            std::sort(first_.begin(), first_.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
            if (static_cast<int>(first_.size()) > kBreadth) first_.resize(kBreadth);
            for (const auto& [unused, first_t3] : first_) {
                int t2 = t2_first;
                bool rev = side == 1;
                long long g = d(t1, t2), best = 0;
                std::size_t best_depth = 0;
                flips_.clear();
                added_.clear();
                for (int depth = 0; depth < kDepth; ++depth) {
                    int t3 = -1, t4 = -1;
                    if (depth == 0) {
                        t3 = first_t3;
                        t4 = rev ? next(t3) : prev(t3);
                    } else {
                        long long look = LLONG_MIN;
                        for (int c : nb_[t2]) {
                            const long long g1 = g - d(t2, c);
                            if (g1 <= 0) break;
                            if (c == t1) continue;
                            const int c4 = rev ? next(c) : prev(c);
                            if (c4 == t2 || was_added(c, c4)) continue;
                            if (g1 + d(c4, c) > look) look = g1 + d(c4, c), t3 = c, t4 = c4;
                        }
                        if (t3 < 0) break;
                    }
                    g += d(t4, t3) - d(t2, t3);
                    added_.push_back({t2, t3});
                    // Reverse the oriented path t2 .. t4: t1 t2 .. t4 t3 becomes t1 t4 .. t2 t3.
                    flips_.push_back(rev ? reverse_path(t4, t2) : reverse_path(t2, t4));
                    t2 = t4;
                    rev = next(t1) != t2;  // reverse_path may have turned the complement instead
                    const long long closed = g - d(t1, t2);
                    if (closed > best) best = closed, best_depth = flips_.size();
                }
                while (flips_.size() > best_depth) {
                    reverse_pos(flips_.back().first, flips_.back().second);
                    flips_.pop_back();
                }
                if (best > 0) {
                    push(t1);
                    for (const auto& [a, b] : added_) push(a), push(b);
                    return true;
                }
            }
        }
        return false;
    }

    bool was_added(int a, int b) const {
        for (const auto& [x, y] : added_)
            if ((x == a && y == b) || (x == b && y == a)) return true;
        return false;
    }

    bool in_segment(int c, int s1, int len) const {
        const int off = (pos_[c] - pos_[s1] + n_) % n_;
        return off < len;
    }

    // Moves segment s1..s2 (p before it, nx after it, in the current direction) between the
    // adjacent cities u and w (w after u), as two or three 2-opt moves.
    void or_move(int s1, int s2, int p, int nx, int u, int w) {
        // tour: p s1 .. s2 nx ... u w ... p
        two_opt(p, s1, u, w);   // p u ... nx s2 .. s1 w
        two_opt(p, u, nx, s2);  // p nx ... u s2 .. s1 w
        if (d(u, s1) + d(s2, w) < d(u, s2) + d(s1, w)) two_opt(u, s2, s1, w);  // u s1 .. s2 w
    }

    const TspInstance& in_;
    const std::vector<std::vector<int>>& nb_;
    int n_;
    std::vector<int> t_, pos_;
    std::vector<char> active_;
    std::vector<int> queue_;
    std::size_t head_ = 0;
    std::vector<std::pair<long long, int>> first_;  // Lin-Kernighan: first-level candidates
    std::vector<std::pair<int, int>> flips_, added_;  // Lin-Kernighan: positions turned, edges added
};

std::vector<int> nearest_neighbour_tour(const TspInstance& in, int start) {
    const int n = in.n;
    std::vector<int> tour{start};
    std::vector<char> used(n, 0);
    used[start] = 1;
    int cur = start;
    for (int k = 1; k < n; ++k) {
        int best = -1;
        for (int c = 0; c < n; ++c)
            if (!used[c] && (best < 0 || in.d(cur, c) < in.d(cur, best))) best = c;
        used[best] = 1;
        tour.push_back(best);
        cur = best;
    }
    return tour;
}

TspResult search(const TspInstance& in, const std::vector<std::vector<int>>& neigh, const TspOptions& o, std::uint64_t seed, Clock::time_point started) {
    Rng rng(seed);
    Tour tour(in, neigh);
    tour.set(nearest_neighbour_tour(in, rng.below(in.n)));
    TspResult r;
    r.initial_length = tour.length();
    for (int c = 0; c < in.n; ++c) tour.push(c);
    tour.optimise();
    long long cur = tour.length();
    std::vector<int> saved = tour.order();
    auto out_of_time = [&] {
        return o.time_limit_s > 0 && std::chrono::duration<double>(Clock::now() - started).count() >= o.time_limit_s;
    };
    std::uint64_t k = 0;
    for (;; ++k) {
        if (o.kicks > 0 && k >= o.kicks) break;
        if ((k & 15) == 0 && out_of_time()) break;
        if (o.kicks == 0 && o.time_limit_s <= 0) break;
        const long long before = cur;
        tour.kick(rng);
        tour.optimise();
        const long long len = tour.length();
        if (len <= before) {
            cur = len;
            saved = tour.order();
        } else {
            tour.set(saved);
            cur = before;
        }
    }
    r.tour = saved;
    r.length = cur;
    r.kicks = k;
    return r;
}

}  // namespace

TspResult solve_tsp(const TspInstance& in, const TspOptions& o) {
    const auto started = Clock::now();
    if (o.kicks == 0 && !(o.time_limit_s > 0)) throw_usage("the TSP search needs a time limit or a number of kicks");
    const int n = in.n;
    const int k = std::min(o.neighbours, n - 1);
    std::vector<std::vector<int>> neigh(n);
    std::vector<int> idx(n);
    for (int a = 0; a < n; ++a) {
        std::iota(idx.begin(), idx.end(), 0);
        std::swap(idx[a], idx[n - 1]);
        std::partial_sort(idx.begin(), idx.begin() + k, idx.end() - 1, [&](int x, int y) { return in.d(a, x) != in.d(a, y) ? in.d(a, x) < in.d(a, y) : x < y; });
        neigh[a].assign(idx.begin(), idx.begin() + k);
    }
    if (n <= 9) {  // small enough to enumerate: the optimum, at once
        std::vector<int> perm(n), best;
        std::iota(perm.begin(), perm.end(), 0);
        long long best_len = LLONG_MAX;
        do {
            const long long len = tour_length(in, perm);
            if (len < best_len) best_len = len, best = perm;
        } while (std::next_permutation(perm.begin() + 1, perm.end()));
        TspResult r;
        r.tour = best;
        r.length = r.initial_length = best_len;
        r.seconds = std::chrono::duration<double>(Clock::now() - started).count();
        return r;
    }
    const unsigned threads = std::max(1u, o.threads);
    std::vector<TspResult> results(threads);
    std::vector<std::exception_ptr> errors(threads);
    auto work = [&](unsigned t) {
        try {
            results[t] = search(in, neigh, o, o.seed + t, started);
        } catch (...) {
            errors[t] = std::current_exception();
        }
    };
    if (threads == 1) work(0);
    else {
        std::vector<std::thread> pool;
        for (unsigned t = 0; t < threads; ++t) pool.emplace_back(work, t);
        for (auto& th : pool) th.join();
    }
    for (auto& e : errors)
        if (e) std::rethrow_exception(e);
    std::size_t pick = 0;
    std::uint64_t kicks = 0;
    for (std::size_t t = 0; t < results.size(); ++t) {
        kicks += results[t].kicks;
        if (results[t].length < results[pick].length) pick = t;
    }
    TspResult out = std::move(results[pick]);
    out.kicks = kicks;
    out.seconds = std::chrono::duration<double>(Clock::now() - started).count();
    return out;
}

}  // namespace nightout::route
