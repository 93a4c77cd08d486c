#include "route/solver.hpp"

#include "core/error.hpp"

#include <algorithm>
#include <map>
#include <chrono>
#include <cmath>
#include <numeric>
#include <thread>

namespace nightout::route {

namespace {

using Clock = std::chrono::steady_clock;

// xoshiro256** (Blackman & Vigna): fast, and the same numbers on every platform.
class Rng {
public:
    explicit Rng(std::uint64_t seed) {
        std::uint64_t z = seed + 0x9e3779b97f4a7c15ULL;
        for (auto& w : s_) {  // splitmix64
            z += 0x9e3779b97f4a7c15ULL;
            std::uint64_t x = z;
            x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
            x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
            w = x ^ (x >> 31);
        }
    }
    std::uint64_t next() {
        const std::uint64_t result = rotl(s_[1] * 5, 7) * 9, t = s_[1] << 17;
        s_[2] ^= s_[0];
        s_[3] ^= s_[1];
        s_[1] ^= s_[2];
        s_[0] ^= s_[3];
        s_[2] ^= t;
        s_[3] = rotl(s_[3], 45);
        return result;
    }
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }  // [0, 1)
    int below(int n) { return static_cast<int>(next() % static_cast<std::uint64_t>(n)); }

private:
    static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    std::uint64_t s_[4];
};

struct Route {
    std::vector<int> seq;       // jobs
    std::vector<double> e, l;   // per position 0..m+1: earliest and latest service start (0: start, m+1: end)
    double load = 0, travel = 0, service = 0, term = 0;
    double moved = 0;           // keep_cost of its promised jobs that another vehicle promised (part of term)
};

struct State {
    std::vector<Route> routes;
    std::vector<int> unassigned;
    std::vector<int> route_of;  // job -> route, -1 when unassigned
    int used = 0;
    double unserved_prize = 0, travel = 0, cost = 0;

    void copy_from(const State& o) {
        routes.resize(o.routes.size());
        for (std::size_t r = 0; r < routes.size(); ++r) {
            Route& a = routes[r];
            const Route& b = o.routes[r];
            a.seq.assign(b.seq.begin(), b.seq.end());
            a.e.assign(b.e.begin(), b.e.end());
            a.l.assign(b.l.begin(), b.l.end());
            a.load = b.load, a.travel = b.travel, a.service = b.service, a.term = b.term, a.moved = b.moved;
        }
        unassigned.assign(o.unassigned.begin(), o.unassigned.end());
        route_of.assign(o.route_of.begin(), o.route_of.end());
        used = o.used, unserved_prize = o.unserved_prize, travel = o.travel, cost = o.cost;
    }
};

class Search {
public:
    Search(const Problem& p, const SolverOptions& o, std::uint64_t seed, Clock::time_point started)
        : p_(p), o_(o), rng_(seed), started_(started), nj_(static_cast<int>(p.jobs.size())), nv_(static_cast<int>(p.vehicles.size())) {
        prepare();
    }

    Solution run();

private:
    // --- setup
    void prepare();
    // --- route bookkeeping
    int node(const Route& r, int v, int k) const {
        const int m = static_cast<int>(r.seq.size());
        return k == 0 ? p_.vehicles[v].start : k == m + 1 ? p_.vehicles[v].end : p_.jobs[r.seq[k - 1]].node;
    }
    double svc(const Route& r, int k) const { return k == 0 ? 0.0 : p_.jobs[r.seq[k - 1]].service; }
    void update(State& s, int v);
    void finish(State& s);
    double term(int v, double travel, double service) const;
    bool work_fits(int v, const std::vector<int>& seq, int k, int j);
    // --- moves
    void ruin(State& s, std::vector<int>& removed);
    void recreate(State& s, std::vector<int>& jobs, int max_routes, bool blink, int order);
    void sort_jobs(std::vector<int>& jobs, int order);
    double progress(std::uint64_t it) const;
    void remove_route(State& s, int v);
    Solution to_solution(const State& s) const;

    const Problem& p_;
    const SolverOptions& o_;
    Rng rng_;
    Clock::time_point started_;
    int nj_, nv_;
    std::vector<std::vector<int>> neigh_;  // per job: the nearest other jobs, nearest first
    std::vector<double> depot_dist_;       // per job: travel from the nearest vehicle start
    std::vector<int> vclass_;              // vehicles with identical attributes share a class
    std::vector<std::uint64_t> class_seen_;
    std::uint64_t stamp_ = 0;
    std::vector<double> absence_;
    std::vector<char> ruined_;
    std::vector<char> keep_;
    double unit_ = 1;        // penalty per unit of unserved prize
    double vehicle_unit_ = 0;  // penalty per vehicle used (fleet minimisation only)
    double t0_ = 100, tf_ = 1;
    double lower_bound_vehicles_ = 1;
    std::uint64_t iterations_ = 0;
    int last_seed_ = 0;
    int blink_countdown_ = 0;
    // Places looked at before the next blink: geometric with success probability beta.
    int next_blink(double beta) {
        const double u = rng_.uniform();
        return static_cast<int>(std::min(1e9, std::floor(std::log(1 - u) / std::log(1 - beta))));
    }
    std::vector<char> pick_;
    std::vector<double> key_;
    std::vector<double> value_;  // per job: its prize, plus more than all others' when it must be visited
    std::vector<int> trial_;
    std::vector<int> node_;          // per job: its node, and
    std::vector<double> service_;    // its service time, packed for the insertion scan
    std::vector<char> lazy_check_;
    struct Place {
        double delta;
        int v, k;
    };
    std::vector<Place> lazy_;   // per vehicle: a break or a working-time limit to check on the whole route
    double soft(const State& s) const { return s.unserved_prize + s.travel / travel_scale_; }
    double travel_scale_ = 1;  // travel / travel_scale_ < 1: travel breaks ties of prize in the prize-collecting annealing

public:
    // Moves unassigned jobs to `removed` for reinsertion: all of them when few; else those
    // near the ruined area plus a few at random (so that an over-full evening with hundreds
    // of unvisited events keeps iterations cheap).
    void take_unassigned(State& s, std::vector<int>& removed, bool all) {
        if (all || s.unassigned.size() <= 32) {
            removed.insert(removed.end(), s.unassigned.begin(), s.unassigned.end());
            s.unassigned.clear();
            return;
        }
        pick_.assign(nj_, 0);
        int near = 0;
        for (int c : neigh_[last_seed_]) {
            if (s.route_of[c] < 0 && near < 20) pick_[c] = 1, ++near;
        }
        if (s.route_of[last_seed_] < 0) pick_[last_seed_] = 1;
        for (int k = 0; k < 8; ++k) pick_[s.unassigned[rng_.below(static_cast<int>(s.unassigned.size()))]] = 1;
        std::size_t w = 0;
        for (int j : s.unassigned) {
            if (pick_[j]) removed.push_back(j), pick_[j] = 0;  // reset so duplicates are taken once
            else s.unassigned[w++] = j;
        }
        s.unassigned.resize(w);
    }
};

double Search::term(int v, double travel, double service) const {
    if (!p_.balance) return travel;
    const Vehicle& veh = p_.vehicles[v];
    double L = veh.shift_end - veh.shift_start;
    if (!(L > 0) || !std::isfinite(L)) L = 3600;
    const double w = travel + service;
    return travel + w * w / L;
}

// Whether `seq` with job j inserted before position k keeps vehicle v's break and
// working-time limit (plan_route(): every placement of the break, leaving as late as allowed).
bool Search::work_fits(int v, const std::vector<int>& seq, int k, int j) {
    trial_.assign(seq.begin(), seq.end());
    trial_.insert(trial_.begin() + k, j);
    return plan_route(p_, v, trial_);
}

void Search::prepare() {
    // Neighbour lists by the shorter direction of travel.
    const int k = std::min(nj_ - 1, 100);
    neigh_.assign(nj_, {});
    std::vector<std::pair<double, int>> cand;
    for (int a = 0; a < nj_; ++a) {
        cand.clear();
        for (int b = 0; b < nj_; ++b) {
            if (b == a) continue;
            const double d = std::min(p_.t(p_.jobs[a].node, p_.jobs[b].node), p_.t(p_.jobs[b].node, p_.jobs[a].node));
            cand.push_back({d, b});
        }
        if (k > 0) {
            std::partial_sort(cand.begin(), cand.begin() + k, cand.end());
            for (int i = 0; i < k; ++i) neigh_[a].push_back(cand[i].second);
        }
    }
    depot_dist_.assign(nj_, kInfinity);
    for (int j = 0; j < nj_; ++j)
        for (const Vehicle& v : p_.vehicles) depot_dist_[j] = std::min(depot_dist_[j], p_.t(v.start, p_.jobs[j].node));
    vclass_.assign(nv_, 0);
    bool kept_by_vehicle = false;  // then vehicles differ by the jobs they promised: no shared classes
    for (const Job& j : p_.jobs) kept_by_vehicle = kept_by_vehicle || j.keep >= 0;
    for (int v = 0; v < nv_; ++v) {
        vclass_[v] = v;
        for (int u = 0; u < v && !kept_by_vehicle; ++u) {
            const Vehicle &a = p_.vehicles[u], &b = p_.vehicles[v];
            if (a.start == b.start && a.end == b.end && a.shift_start == b.shift_start && a.shift_end == b.shift_end && a.capacity == b.capacity &&
                a.max_visits == b.max_visits && a.skills == b.skills && a.max_work == b.max_work &&
                a.break_length == b.break_length && a.break_open == b.break_open && a.break_close == b.break_close) {
                vclass_[v] = vclass_[u];
                break;
            }
        }
    }
    class_seen_.assign(nv_, 0);
    node_.resize(nj_), service_.resize(nj_);
    for (int j = 0; j < nj_; ++j) node_[j] = p_.jobs[j].node, service_[j] = p_.jobs[j].service;
    lazy_check_.resize(nv_);
    for (int v = 0; v < nv_; ++v) lazy_check_[v] = std::isfinite(p_.vehicles[v].max_work) || p_.vehicles[v].break_length > 0;
    absence_.assign(nj_, 0);
    ruined_.assign(nv_, 0);
    // Penalties: a bound on any solution's travel (plus the balance term, which is at most
    // the work time) makes one unit of prize, or one vehicle, outweigh all travel.
    double bound = 0, min_prize = kInfinity, nn = 0, must_bonus = 1;
    int nn_count = 0;
    for (std::size_t a = 0; a < p_.nodes; ++a) {
        double worst = 0;
        for (std::size_t b = 0; b < p_.nodes; ++b) {
            const double d = p_.time[a * p_.nodes + b];
            if (std::isfinite(d)) worst = std::max(worst, d);
        }
        bound += 2 * worst;
    }
    double promise_bonus = 1;
    for (const Job& j : p_.jobs) {
        bound += 2 * j.service + (j.keep >= 0 ? p_.keep_cost : 0);
        if (j.prize > 0) min_prize = std::min(min_prize, j.prize);
        promise_bonus += j.prize;
    }
    must_bonus = promise_bonus;
    for (const Job& j : p_.jobs) must_bonus += j.promised ? promise_bonus : 0;
    // Must-visit jobs weigh more than all the others together, promised ones more than all
    // those not promised.
    value_.resize(nj_);
    for (int j = 0; j < nj_; ++j)
        value_[j] = p_.jobs[j].prize + (p_.jobs[j].promised ? promise_bonus : 0) + (p_.jobs[j].must ? must_bonus : 0);
    for (int a = 0; a < nj_; ++a)
        if (!neigh_[a].empty()) {
            const double d = p_.t(p_.jobs[a].node, p_.jobs[neigh_[a][0]].node);
            if (std::isfinite(d)) nn += d, ++nn_count;
        }
    bound += 1;
    travel_scale_ = bound / (std::isfinite(min_prize) ? min_prize : 1);
    vehicle_unit_ = o_.minimise_vehicles ? bound : 0;
    unit_ = (vehicle_unit_ * (nv_ + 1) + bound) / (std::isfinite(min_prize) ? min_prize : 1);
    double scale = nn_count ? std::max(nn / nn_count, 1e-6) : 1.0;
    if (o_.collect_prizes) {  // temperatures in prize units: the mean prize
        double sum = 0;
        for (const Job& j : p_.jobs) sum += j.prize;
        scale = nj_ ? std::max(sum / nj_, 1e-9) : 1.0;
    }
    t0_ = o_.t_start >= 0 ? o_.t_start : (o_.collect_prizes ? 1 : 10) * scale;
    tf_ = o_.t_end >= 0 ? o_.t_end : (o_.collect_prizes ? 0.01 : 0.1) * scale;
    if (!(tf_ > 0)) tf_ = 1e-9;
    if (!(t0_ >= tf_)) t0_ = tf_;
    double demand = 0, cap = 0;
    bool same_cap = true;
    for (const Job& j : p_.jobs) demand += j.demand;
    for (const Vehicle& v : p_.vehicles) {
        if (v.capacity != p_.vehicles.front().capacity) same_cap = false;
        cap = v.capacity;
    }
    lower_bound_vehicles_ = 1;
    if (same_cap && std::isfinite(cap) && cap > 0) lower_bound_vehicles_ = std::max(1.0, std::ceil(demand / cap - 1e-9));
}

void Search::update(State& s, int v) {
    Route& r = s.routes[v];
    const Vehicle& veh = p_.vehicles[v];
    const int m = static_cast<int>(r.seq.size());
    r.e.resize(m + 2);
    r.l.resize(m + 2);
    r.e[0] = veh.shift_start;
    r.load = 0, r.travel = 0, r.service = 0;
    if (m == 0) {
        r.e[1] = veh.shift_start;
        r.l[0] = r.l[1] = veh.shift_end;
        r.term = 0, r.moved = 0;
        return;
    }
    int prev = veh.start;
    double prev_svc = 0;
    for (int k = 1; k <= m; ++k) {
        const Job& j = p_.jobs[r.seq[k - 1]];
        const double d = p_.t(prev, j.node);
        r.travel += d;
        const double arrival = r.e[k - 1] + prev_svc + d;
        r.e[k] = earliest_start(j, arrival);
        if (!std::isfinite(r.e[k])) r.e[k] = std::max(arrival, j.open);  // a rounding hair past the close (insertion checks use latest starts)
        r.load += j.demand;
        r.service += j.service;
        prev = j.node;
        prev_svc = j.service;
    }
    const double back = p_.t(prev, veh.end);
    r.travel += back;
    r.e[m + 1] = r.e[m] + prev_svc + back;
    r.l[m + 1] = veh.shift_end;
    int next = veh.end;
    for (int k = m; k >= 1; --k) {
        const Job& j = p_.jobs[r.seq[k - 1]];
        r.l[k] = latest_start(j, r.l[k + 1] - p_.t(j.node, next) - j.service);
        next = j.node;
    }
    r.l[0] = r.l[1] - p_.t(veh.start, next);
    r.moved = 0;
    if (p_.keep_cost > 0)
        for (int j : r.seq)
            if (p_.jobs[j].keep >= 0 && p_.jobs[j].keep != v) r.moved += p_.keep_cost;
    r.term = term(v, r.travel, r.service) + r.moved;
}

void Search::finish(State& s) {
    s.used = 0;
    s.travel = 0;
    double terms = 0;
    for (const Route& r : s.routes) {
        if (!r.seq.empty()) ++s.used;
        s.travel += r.travel;
        terms += r.term;
    }
    s.unserved_prize = 0;
    for (int j : s.unassigned) s.unserved_prize += value_[j];
    s.cost = unit_ * s.unserved_prize + vehicle_unit_ * s.used + terms;
}

void Search::sort_jobs(std::vector<int>& jobs, int order) {
    switch (order) {
    case 0:  // random
        for (std::size_t i = jobs.size(); i > 1; --i) std::swap(jobs[i - 1], jobs[rng_.below(static_cast<int>(i))]);
        break;
    case 1:  // demand, largest first
        std::sort(jobs.begin(), jobs.end(), [&](int a, int b) { return p_.jobs[a].demand != p_.jobs[b].demand ? p_.jobs[a].demand > p_.jobs[b].demand : a < b; });
        break;
    case 2:  // far from the depots first
        std::sort(jobs.begin(), jobs.end(), [&](int a, int b) { return depot_dist_[a] != depot_dist_[b] ? depot_dist_[a] > depot_dist_[b] : a < b; });
        break;
    case 3:  // close to the depots first
        std::sort(jobs.begin(), jobs.end(), [&](int a, int b) { return depot_dist_[a] != depot_dist_[b] ? depot_dist_[a] < depot_dist_[b] : a < b; });
        break;
    case 4:  // tightest window first
        std::sort(jobs.begin(), jobs.end(), [&](int a, int b) {
            const double wa = p_.jobs[a].close - p_.jobs[a].open, wb = p_.jobs[b].close - p_.jobs[b].open;
            return wa != wb ? wa < wb : a < b;
        });
        break;
    case 5:  // earliest deadline first
        std::sort(jobs.begin(), jobs.end(), [&](int a, int b) { return p_.jobs[a].close != p_.jobs[b].close ? p_.jobs[a].close < p_.jobs[b].close : a < b; });
        break;
    case 7:  // prize per unit of time to reach and serve it, with noise (prize-collecting)
        key_.assign(nj_, 0);
        for (int j : jobs) key_[j] = value_[j] / (depot_dist_[j] + p_.jobs[j].service + 1e-9) * (0.75 + 0.5 * rng_.uniform());
        std::sort(jobs.begin(), jobs.end(), [&](int a, int b) { return key_[a] != key_[b] ? key_[a] > key_[b] : a < b; });
        break;
    case 8:  // highest prize first, ties at random
        for (std::size_t i = jobs.size(); i > 1; --i) std::swap(jobs[i - 1], jobs[rng_.below(static_cast<int>(i))]);
        std::stable_sort(jobs.begin(), jobs.end(), [&](int a, int b) { return value_[a] > value_[b]; });
        break;
    case 6:  // most often left out first (fleet minimisation)
        for (std::size_t i = jobs.size(); i > 1; --i) std::swap(jobs[i - 1], jobs[rng_.below(static_cast<int>(i))]);
        std::stable_sort(jobs.begin(), jobs.end(), [&](int a, int b) { return absence_[a] > absence_[b]; });
        break;
    }
    // Higher priority always goes first; the order above breaks ties. A prize-collecting
    // search weighs prize against time itself (order 7) and otherwise keeps the order.
    if (o_.collect_prizes) return;
    std::stable_sort(jobs.begin(), jobs.end(), [&](int a, int b) { return value_[a] > value_[b]; });
}

void Search::recreate(State& s, std::vector<int>& jobs, int max_routes, bool blink, int order) {
    sort_jobs(jobs, order);
    const double beta = blink ? o_.blink : 0.0;
    for (int j : jobs) {
        const Job& job = p_.jobs[j];
        const int nj = job.node;
        const bool one_window = job.windows.empty();
        double best = kInfinity;
        int best_v = -1, best_k = -1;
        ++stamp_;
        for (int v = 0; v < nv_; ++v) {
            Route& r = s.routes[v];
            const Vehicle& veh = p_.vehicles[v];
            const int m = static_cast<int>(r.seq.size());
            if (m == 0) {
                if (s.used >= max_routes || class_seen_[vclass_[v]] == stamp_) continue;
                class_seen_[vclass_[v]] = stamp_;
            }
            if (m + 1 > veh.max_visits || r.load + job.demand > veh.capacity || (job.needs & ~veh.skills) != 0) continue;
            const bool work_limit = lazy_check_[v];
            // Walk the route's edges (a, b) once, carrying a's node and service time.
            int a = veh.start;
            double a_svc = 0;
            for (int k = 0; k <= m; ++k) {
                const int bj = k < m ? r.seq[k] : -1;
                const int b = bj >= 0 ? node_[bj] : veh.end;
                if (r.e[k] > job.close) break;  // later positions start even later
                const bool skip = beta > 0 && --blink_countdown_ < 0;
                if (skip) blink_countdown_ = next_blink(beta);  // a blink: this place is not looked at
                if (!skip) {
                    const double ta = p_.t(a, nj), tb = p_.t(nj, b);
                    const double arrive = r.e[k] + a_svc + ta;
                    if (arrive <= job.close) {
                        const double next_arrive = (one_window ? std::max(arrive, job.open) : earliest_start(job, arrive)) + job.service + tb;
                        if (next_arrive <= r.l[k + 1]) {
                            const double dt = ta + tb - (m == 0 ? 0.0 : p_.t(a, b));
                            double delta = dt;
                            if (p_.balance) delta = term(v, r.travel + dt, r.service + job.service) + r.moved - r.term;
                            if (m == 0) delta += vehicle_unit_;
                            if (job.keep >= 0 && job.keep != v) delta += p_.keep_cost;
                            // The break and the working-time limit need the whole route: checked after the scan.
                            if (delta < best) {
                                if (work_limit) lazy_.push_back({delta, v, k});
                                else best = delta, best_v = v, best_k = k;
                            }
                        }
                    }
                }
                a = b;
                a_svc = bj >= 0 ? service_[bj] : 0.0;
            }
        }
        if (!lazy_.empty()) {  // the cheapest place whose whole route keeps its break and working time
            std::sort(lazy_.begin(), lazy_.end(), [](const Place& x, const Place& y) { return x.delta != y.delta ? x.delta < y.delta : x.v != y.v ? x.v < y.v : x.k < y.k; });
            for (const Place& c : lazy_) {
                if (!(c.delta < best)) break;
                if (work_fits(c.v, s.routes[c.v].seq, c.k, j)) {
                    best = c.delta, best_v = c.v, best_k = c.k;
                    break;
                }
            }
            lazy_.clear();
        }
        if (best_v < 0) {
            s.unassigned.push_back(j);
            s.route_of[j] = -1;
            continue;
        }
        Route& r = s.routes[best_v];
        if (r.seq.empty()) ++s.used;
        r.seq.insert(r.seq.begin() + best_k, j);
        s.route_of[j] = best_v;
        update(s, best_v);
    }
    finish(s);
}

void Search::ruin(State& s, std::vector<int>& removed) {
    removed.clear();
    int assigned = 0;
    for (int v = 0; v < nv_; ++v) assigned += static_cast<int>(s.routes[v].seq.size());
    if (assigned == 0 || s.used == 0) return;
    const double avg = static_cast<double>(assigned) / s.used;
    const double ls_max = std::min<double>(o_.max_string, avg);
    const double ks_max = 4 * o_.mean_removed / (1 + ls_max) - 1;
    const int ks = static_cast<int>(std::floor(1 + rng_.uniform() * ks_max));
    int seed = rng_.below(nj_);
    for (int tries = 0; s.route_of[seed] < 0 && tries < 4 * nj_; ++tries) seed = rng_.below(nj_);
    last_seed_ = seed;
    if (s.route_of[seed] < 0) return;
    std::fill(ruined_.begin(), ruined_.end(), 0);
    int done = 0;
    for (int i = -1; i < static_cast<int>(neigh_[seed].size()) && done < ks; ++i) {
        const int c = i < 0 ? seed : neigh_[seed][i];
        const int v = s.route_of[c];
        if (v < 0 || ruined_[v]) continue;
        Route& r = s.routes[v];
        const int m = static_cast<int>(r.seq.size());
        const int lmax = static_cast<int>(std::min<double>(m, ls_max));
        const int len = std::min(m, 1 + static_cast<int>(rng_.uniform() * lmax));
        const int pc = static_cast<int>(std::find(r.seq.begin(), r.seq.end(), c) - r.seq.begin());
        keep_.assign(m, 1);
        if (len == m || rng_.uniform() < 0.5) {
            // a string of `len` jobs containing c
            const int lo = std::max(0, pc - len + 1), hi = std::min(pc, m - len);
            const int st = lo + rng_.below(hi - lo + 1);
            for (int q = st; q < st + len; ++q) keep_[q] = 0;
        } else {
            // split string: a string of len + kept jobs containing c, of which `kept` consecutive ones stay
            int kept = 1;
            while (len + kept < m && rng_.uniform() < 0.5) ++kept;
            const int total = len + kept;
            const int lo = std::max(0, pc - total + 1), hi = std::min(pc, m - total);
            const int st = lo + rng_.below(hi - lo + 1);
            const int ko = 1 + rng_.below(std::max(1, len - 1));  // kept block strictly inside when possible
            for (int q = st; q < st + total; ++q) keep_[q] = (q - st >= ko && q - st < ko + kept) ? 1 : 0;
        }
        int w = 0;
        for (int q = 0; q < m; ++q) {
            if (keep_[q]) r.seq[w++] = r.seq[q];
            else {
                removed.push_back(r.seq[q]);
                s.route_of[r.seq[q]] = -1;
            }
        }
        r.seq.resize(w);
        ruined_[v] = 1;
        ++done;
        update(s, v);
    }
    finish(s);
}

void Search::remove_route(State& s, int v) {
    for (int j : s.routes[v].seq) {
        s.unassigned.push_back(j);
        s.route_of[j] = -1;
    }
    s.routes[v].seq.clear();
    update(s, v);
    finish(s);
}

double Search::progress(std::uint64_t it) const {
    double f = 0;
    if (o_.iterations > 0) f = static_cast<double>(it) / static_cast<double>(o_.iterations);
    if (o_.time_limit_s > 0) f = std::max(f, std::chrono::duration<double>(Clock::now() - started_).count() / o_.time_limit_s);
    return f;
}

Solution Search::to_solution(const State& s) const {
    Solution out;
    out.routes.resize(nv_);
    for (int v = 0; v < nv_; ++v) out.routes[v] = s.routes[v].seq;
    out.unassigned = s.unassigned;
    std::sort(out.unassigned.begin(), out.unassigned.end());
    out.travel = s.travel;
    for (int j = 0; j < nj_; ++j)
        if (s.route_of[j] >= 0)
            out.served_prize += p_.jobs[j].prize, out.served_must += p_.jobs[j].must ? 1 : 0, out.served_promised += p_.jobs[j].promised ? 1 : 0;
    out.vehicles_used = s.used;
    return out;
}

Solution Search::run() {
    State cur, work, best;
    cur.routes.resize(nv_);
    cur.route_of.assign(nj_, -1);
    for (int v = 0; v < nv_; ++v) update(cur, v);
    std::vector<int> jobs(nj_), removed;
    std::iota(jobs.begin(), jobs.end(), 0);
    if (!o_.initial.empty()) {  // start from the given routes; insert the other jobs around them
        for (int v = 0; v < nv_ && v < static_cast<int>(o_.initial.size()); ++v) {
            cur.routes[v].seq = o_.initial[v];
            for (int j : o_.initial[v]) cur.route_of[j] = v;
            if (!o_.initial[v].empty()) ++cur.used;
            update(cur, v);
        }
        jobs.erase(std::remove_if(jobs.begin(), jobs.end(), [&](int j) { return cur.route_of[j] >= 0; }), jobs.end());
    }
    recreate(cur, jobs, nv_, false, 5);
    std::vector<std::string> phases;
    phases.push_back("construction: " + std::to_string(cur.used) + " routes, " + std::to_string(cur.unassigned.size()) + " unassigned");
    std::uint64_t it = 0;
    auto order = [&] {
        if (o_.collect_prizes) {
            const int r = rng_.below(10);  // random 3, prize per time 3, prize 2, windows 1, deadline 1
            return r < 3 ? 0 : r < 6 ? 7 : r < 8 ? 8 : r < 9 ? 4 : 5;
        }
        const int r = rng_.below(13);  // SISR weights: random 4, demand 4, far 2, close 1; plus windows 2
        return r < 4 ? 0 : r < 8 ? 1 : r < 10 ? 2 : r < 11 ? 3 : r < 12 ? 4 : 5;
    };
    int max_routes = nv_;

    if (o_.minimise_vehicles && nj_ > 0) {
        State feasible;
        std::uint64_t last_drop = 0;
        bool have_feasible = cur.unassigned.empty();
        if (have_feasible) feasible.copy_from(cur);
        auto drop_route = [&] {
            int pick = -1;
            for (int v = 0; v < nv_; ++v)
                if (!cur.routes[v].seq.empty() && (pick < 0 || cur.routes[v].seq.size() < cur.routes[pick].seq.size())) pick = v;
            if (pick >= 0) remove_route(cur, pick);
            max_routes = cur.used;
        };
        if (have_feasible && cur.used > lower_bound_vehicles_) drop_route();
        else max_routes = nv_;
        // Until the capacity bound, the budget share, or a long stall after the last route saved
        // (100,000 iterations and 4 times as many as that route took).
        auto stalled = [&] { return have_feasible && it - last_drop > std::max<std::uint64_t>(100000, 4 * last_drop); };
        while (!(have_feasible && feasible.used <= lower_bound_vehicles_) && progress(it) < o_.fleet_share && !stalled()) {
            ++it;
            work.copy_from(cur);
            ruin(work, removed);
            take_unassigned(work, removed, true);  // fleet minimisation: every left-out customer, every time
            recreate(work, removed, max_routes, true, rng_.uniform() < 0.5 ? 6 : order());
            // Both sums with today's counters (they grow every iteration a customer stays out).
            double wabs = 0, cabs = 0;
            for (int j : work.unassigned) wabs += absence_[j];
            for (int j : cur.unassigned) cabs += absence_[j];
            if (work.unassigned.size() < cur.unassigned.size() || wabs < cabs) std::swap(cur, work);
            if (cur.unassigned.empty()) {
                feasible.copy_from(cur);
                have_feasible = true;
                last_drop = it;
                if (cur.used <= lower_bound_vehicles_) break;
                drop_route();
            }
            for (int j : cur.unassigned) absence_[j] += 1;
        }
        if (have_feasible) {
            cur.copy_from(feasible);
            max_routes = feasible.used;
        } else {
            max_routes = nv_;
            cur.unassigned.clear();
            std::iota(jobs.begin(), jobs.end(), 0);
            for (int v = 0; v < nv_; ++v) cur.routes[v].seq.clear(), update(cur, v);
            std::fill(cur.route_of.begin(), cur.route_of.end(), -1);
            recreate(cur, jobs, nv_, false, 5);
        }
        phases.push_back("fleet minimisation: " + std::to_string(cur.used) + " routes after " + std::to_string(it) + " iterations (the last route saved at iteration " +
                         std::to_string(last_drop) + ")");
    }

    best.copy_from(cur);
    const std::uint64_t fleet_iterations = it;
    const double start_fraction = progress(it);
    for (;;) {
        const double f = progress(it);
        if (f >= 1 || (o_.iterations == 0 && o_.time_limit_s <= 0)) break;
        ++it;
        const double span = std::max(1e-9, 1 - start_fraction);
        const double x = std::clamp((f - start_fraction) / span, 0.0, 1.0);
        const double temperature = t0_ * std::pow(tf_ / t0_, x);
        work.copy_from(cur);
        ruin(work, removed);
        take_unassigned(work, removed, o_.all_required);
        recreate(work, removed, max_routes, true, order());
        const double threshold = -temperature * std::log(rng_.uniform() + 1e-300);
        if (o_.collect_prizes ? soft(work) < soft(cur) + threshold : work.cost < cur.cost + threshold) std::swap(cur, work);
        if (cur.cost < best.cost) best.copy_from(cur);
    }
    phases.push_back("string removals: " + std::to_string(it - fleet_iterations) + " iterations");
    Solution out = to_solution(best);
    out.iterations = it;
    out.phases = std::move(phases);
    return out;
}

}  // namespace

double route_cost(const Problem& p, int vehicle, const std::vector<int>& route) {
    if (route.empty()) return 0;
    const Vehicle& v = p.vehicles[vehicle];
    double travel = 0;
    int prev = v.start;
    for (int j : route) {
        travel += p.t(prev, p.jobs[j].node);
        prev = p.jobs[j].node;
    }
    return travel + p.t(prev, v.end);
}

Solution solve_units(const Problem& p, const SolverOptions& options);

// Caravans: each group is solved as its first member carrying the group's skills (the
// others may not visit), then every member gets that route.
Solution solve(const Problem& p, const SolverOptions& options) {
    std::map<int, int> first;
    for (std::size_t v = 0; v < p.vehicles.size(); ++v)
        if (p.vehicles[v].group >= 0 && !first.count(p.vehicles[v].group)) first[p.vehicles[v].group] = static_cast<int>(v);
    if (first.empty()) return solve_units(p, options);
    Problem units = p;
    for (std::size_t v = 0; v < p.vehicles.size(); ++v) {
        const int g = p.vehicles[v].group;
        if (g < 0) continue;
        units.vehicles[first[g]].skills |= p.vehicles[v].skills;
        if (first[g] != static_cast<int>(v)) units.vehicles[v].max_visits = 0;
        units.vehicles[v].group = -1;
    }
    SolverOptions o = options;
    for (std::size_t v = 0; v < o.initial.size() && v < p.vehicles.size(); ++v)
        if (p.vehicles[v].group >= 0 && first[p.vehicles[v].group] != static_cast<int>(v)) o.initial[v].clear();
    Solution s = solve_units(units, o);
    for (std::size_t v = 0; v < p.vehicles.size(); ++v)
        if (p.vehicles[v].group >= 0) s.routes[v] = s.routes[first[p.vehicles[v].group]];
    return s;
}

Solution solve_units(const Problem& p, const SolverOptions& options) {
    const auto started = Clock::now();
    if (options.iterations == 0 && !(options.time_limit_s > 0)) throw_usage("the solver needs a time limit or an iteration count");
    if (p.vehicles.empty()) throw_input("no vehicles (officers) to plan for");
    const unsigned threads = std::max(1u, options.threads);
    std::vector<Solution> results(threads);
    std::vector<std::exception_ptr> errors(threads);
    auto work = [&](unsigned t) {
        try {
            Search search(p, options, options.seed + t, started);
            results[t] = search.run();
        } catch (...) {
            errors[t] = std::current_exception();
        }
    };
    if (threads == 1) {
        work(0);
    } else {
        std::vector<std::thread> pool;
        for (unsigned t = 0; t < threads; ++t) pool.emplace_back(work, t);
        for (auto& th : pool) th.join();
    }
    for (auto& e : errors)
        if (e) std::rethrow_exception(e);
    // The best: most prize, then (when minimising them) fewest vehicles, then least cost;
    // ties go to the lower thread number, so the choice is deterministic.
    auto cost = [&](const Solution& s) {
        double c = 0;
        for (std::size_t v = 0; v < s.routes.size(); ++v) {
            const double tr = route_cost(p, static_cast<int>(v), s.routes[v]);
            if (!p.balance || s.routes[v].empty()) {
                c += tr;
                for (int j : s.routes[v]) c += p.jobs[j].keep >= 0 && p.jobs[j].keep != static_cast<int>(v) ? p.keep_cost : 0;
                continue;
            }
            double svc = 0;
            for (int j : s.routes[v]) svc += p.jobs[j].service;
            for (int j : s.routes[v]) c += p.jobs[j].keep >= 0 && p.jobs[j].keep != static_cast<int>(v) ? p.keep_cost : 0;
            double L = p.vehicles[v].shift_end - p.vehicles[v].shift_start;
            if (!(L > 0) || !std::isfinite(L)) L = 3600;
            c += tr + (tr + svc) * (tr + svc) / L;
        }
        return c;
    };
    std::size_t pick = 0;
    std::uint64_t total_iterations = 0;
    for (std::size_t t = 0; t < results.size(); ++t) {
        total_iterations += results[t].iterations;
        const Solution &a = results[t], &b = results[pick];
        if (t == 0) continue;
        const double eps = 1e-9;
        if (a.served_must != b.served_must) {
            if (a.served_must > b.served_must) pick = t;
        } else if (a.served_promised != b.served_promised) {
            if (a.served_promised > b.served_promised) pick = t;
        } else if (a.served_prize > b.served_prize + eps) pick = t;
        else if (a.served_prize < b.served_prize - eps) continue;
        else if (options.minimise_vehicles && a.vehicles_used != b.vehicles_used) {
            if (a.vehicles_used < b.vehicles_used) pick = t;
        } else if (cost(a) < cost(b) - eps) pick = t;
    }
    Solution out = std::move(results[pick]);
    out.iterations = total_iterations;
    out.seconds = std::chrono::duration<double>(Clock::now() - started).count();
    return out;
}

}  // namespace nightout::route
