// The program calendar model (src/program/model.*): hand-worked calendars with known
// optima, an exhaustive search as the reference, and the heuristic against CBC's proven
// optimum on generated instances.
#define BOOST_TEST_MODULE program_model
#include <boost/test/unit_test.hpp>

#include "program/model.hpp"
#include "program/staffing.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <random>

using namespace nightout::program;

namespace {

// Three areas (A 100, B 50, C 30 residents), four sites, six Tuesdays (one slot a week),
// windows of three weeks, and a site gap of six weeks (each site at most once):
//   S0 reaches {A}, S1 {B, C}, S2 {A, B}, S3 {C} (outdoor: not before week 3).
Instance six_weeks() {
    Instance in;
    in.weight = {100, 50, 30};
    in.reach = {{0}, {1, 2}, {0, 1}, {2}};
    for (int week = 0; week < 6; ++week) {
        in.slot_day.push_back(20454 + 7 * week);  // 2026-01-06, a Tuesday
        in.slot_window.push_back(week / 3);
        in.allowed.push_back({1, 1, 1, static_cast<char>(week >= 3)});
        in.fixed_site.push_back(-1);
    }
    in.windows = 2;
    in.site_gap_days = 42;
    return in;
}

// Every calendar (each slot empty or any site), for the reference optimum: the best
// objective, then the fewest events.
std::pair<double, int> exhaustive(const Instance& in) {
    Calendar c = in.fixed_site;
    double best = -1;
    int fewest = 0;
    std::function<void(std::size_t)> go = [&](std::size_t s) {
        if (s == c.size()) {
            if (!check(in, c).empty()) return;
            const double v = evaluate(in, c);
            const int n = static_cast<int>(std::count_if(c.begin(), c.end(), [](int j) { return j >= 0; }));
            if (v > best + 1e-9 || (std::abs(v - best) <= 1e-9 && n < fewest)) best = v, fewest = n;
            return;
        }
        if (in.fixed_site[s] >= 0) return go(s + 1);
        for (int j = -1; j < static_cast<int>(in.sites()); ++j) {
            c[s] = j;
            go(s + 1);
        }
        c[s] = -1;
    };
    go(0);
    return {best, fewest};
}

int events(const Calendar& c) { return static_cast<int>(std::count_if(c.begin(), c.end(), [](int j) { return j >= 0; })); }

}  // namespace

BOOST_AUTO_TEST_CASE(evaluate_counts_an_area_once_per_window) {
    const Instance in = six_weeks();
    // S2 twice in window 0 reaches A and B once there; S0 in window 1 reaches A again.
    const Calendar c{2, -1, -1, 0, -1, -1};
    BOOST_TEST(evaluate(in, c) == 150 + 100);
    BOOST_TEST(check(in, c).empty());
    BOOST_TEST(!check(in, Calendar{2, 2, -1, -1, -1, -1}).empty());  // site gap
    BOOST_TEST(!check(in, Calendar{3, -1, -1, -1, -1, -1}).empty());  // S3 not before week 3
}

BOOST_AUTO_TEST_CASE(six_weeks_optimum_needs_the_outdoor_site_late) {
    // By hand: window 0 cannot use S3, so it takes S0 + S1 (A, B, C: 180) and window 1
    // S2 + S3 (180): 360 with four events. Taking S2 early (the greedy's first pick, 150)
    // leaves window 0 without C and window 1 without S2: at most 330.
    const Instance in = six_weeks();
    BOOST_TEST(exhaustive(in).first == 360);
    BOOST_TEST(exhaustive(in).second == 4);
    Options o;
    const Solution s = solve(in, o);
    BOOST_TEST(s.objective == 360);
    BOOST_TEST(events(s.calendar) == 4);
    BOOST_TEST(check(in, s.calendar).empty());
    BOOST_TEST(s.bound == 360);  // two windows of 180 each: the bound is tight here
    BOOST_TEST(s.proven_optimal);
    BOOST_TEST(s.gap == 0);
}

BOOST_AUTO_TEST_CASE(six_weeks_with_a_fixed_event) {
    // S2 fixed in week 0: window 0 has A and B; C needs S1 (S3 is outdoor). Window 1 cannot
    // use S2 again: S0 + S1 (180) beats S1 in window 0 + S0 + S3 later (30 + 130). 150 + 180 = 330.
    Instance in = six_weeks();
    in.fixed_site[0] = 2;
    BOOST_TEST(exhaustive(in).first == 330);
    BOOST_TEST(exhaustive(in).second == 3);
    const Solution s = solve(in, Options{});
    BOOST_TEST(s.objective == 330);
    BOOST_TEST(events(s.calendar) == 3);
    BOOST_TEST(s.calendar[0] == 2);
    BOOST_TEST(s.bound >= 330);
    Options exact;
    exact.exact = true;
    exact.time_limit_s = 10;
    const Solution e = solve(in, exact);
    BOOST_TEST(e.objective == 330);
    BOOST_TEST(e.proven_optimal);
}

BOOST_AUTO_TEST_CASE(blocked_site_gap_and_unreachable_area) {
    // One slot a week for 6 weeks, one window, gap 1 day: a fourth area nobody reaches.
    Instance in = six_weeks();
    in.weight.push_back(1000);
    for (int& w : in.slot_window) w = 0;
    in.windows = 1;
    in.site_gap_days = 1;
    const Solution s = solve(in, Options{});
    BOOST_TEST(s.objective == 180);
    BOOST_TEST(events(s.calendar) == 2);  // S2 + S1 or S2 + S3 or S0 + S1: two events suffice
    BOOST_TEST(s.bound == 180);          // the unreachable area is not in the bound
}

BOOST_AUTO_TEST_CASE(fixed_events_closer_than_the_gap_are_refused) {
    Instance in = six_weeks();
    in.fixed_site[0] = 1;
    in.fixed_site[2] = 1;
    BOOST_CHECK_THROW(validate(in), std::exception);
}

BOOST_AUTO_TEST_CASE(same_seed_same_calendar) {
    std::mt19937_64 rng(7);
    Instance in;
    for (int a = 0; a < 40; ++a) in.weight.push_back(static_cast<double>(10 + rng() % 90));
    for (int j = 0; j < 25; ++j) {
        std::vector<int> r;
        for (int a = 0; a < 40; ++a)
            if (rng() % 8 == 0) r.push_back(a);
        in.reach.push_back(r);
    }
    for (int s = 0; s < 24; ++s) {
        in.slot_day.push_back(3 * s);
        in.slot_window.push_back(s / 8);
        std::vector<char> row(25);
        for (auto& v : row) v = rng() % 5 != 0;
        in.allowed.push_back(row);
        in.fixed_site.push_back(-1);
    }
    in.windows = 3;
    in.site_gap_days = 20;
    Options o;
    o.seed = 11;
    BOOST_TEST(heuristic(in, o) == heuristic(in, o));
}

// The heuristic against CBC's proven optimum on generated instances small enough for CBC:
// 10 to 14 areas, 6 to 9 sites, 8 weeks of one or two events, two-week to four-week
// windows, availability and reach at random. Reports the mean and worst gap.
BOOST_AUTO_TEST_CASE(heuristic_against_cbc_on_generated_instances) {
    std::mt19937_64 rng(2027);
    double sum_gap = 0, worst = 0;
    int proven = 0, n = 0;
    for (int trial = 0; trial < 30; ++trial) {
        Instance in;
        const int A = 10 + static_cast<int>(rng() % 5), M = 6 + static_cast<int>(rng() % 4), per_week = 1 + static_cast<int>(rng() % 2);
        const int window_weeks = 2 + static_cast<int>(rng() % 3);
        for (int a = 0; a < A; ++a) in.weight.push_back(static_cast<double>(1 + rng() % 100));
        for (int j = 0; j < M; ++j) {
            std::vector<int> r;
            for (int a = 0; a < A; ++a)
                if (rng() % 4 == 0) r.push_back(a);
            in.reach.push_back(r);
        }
        for (int week = 0; week < 8; ++week)
            for (int e = 0; e < per_week; ++e) {
                in.slot_day.push_back(7 * week + 3 * e);
                in.slot_window.push_back(week / window_weeks);
                std::vector<char> row(M);
                for (auto& v : row) v = rng() % 4 != 0;
                in.allowed.push_back(row);
                in.fixed_site.push_back(-1);
            }
        in.windows = in.slot_window.back() + 1;
        in.site_gap_days = 7 * (2 + static_cast<int>(rng() % 3));
        Options h;
        h.seed = static_cast<std::uint64_t>(trial) + 1;
        const Solution heur = solve(in, h);
        Options x = h;
        x.exact = true;
        x.time_limit_s = 20;
        const Solution ex = solve(in, x);
        BOOST_TEST_REQUIRE(ex.proven_optimal);
        BOOST_TEST(check(in, heur.calendar).empty());
        BOOST_TEST(check(in, ex.calendar).empty());
        BOOST_TEST(heur.objective <= ex.objective + 1e-9);
        BOOST_TEST(heur.bound >= ex.objective - 1e-6);  // the Lagrangian bound is a bound
        const double gap = ex.objective > 0 ? (ex.objective - heur.objective) / ex.objective : 0;
        sum_gap += gap;
        worst = std::max(worst, gap);
        proven += heur.proven_optimal;
        ++n;
    }
    BOOST_TEST_MESSAGE("heuristic vs CBC optimum on " << n << " instances: mean gap " << 100 * sum_gap / n << "%, worst " << 100 * worst
                                                      << "%; heuristic proven optimal by its own bound on " << proven);
    BOOST_TEST(worst <= 0.05);
}

// Capacity (max_events per site). Six weeks, gap 7 days (a site may come back every week),
// S3 closed (capacity 0) and S1, the only other site reaching C, at most once: C can be
// reached in one window only. By hand: window 0 S1 + S0 (or S2) reaches A, B, C (180),
// window 1 S2 reaches A, B (150): 330 with three events; without the capacity S1 goes in both
// windows, 360.
static Instance six_weeks_with_capacity() {
    Instance in = six_weeks();
    in.site_gap_days = 7;
    in.max_events = {-1, 1, -1, 0};
    return in;
}

BOOST_AUTO_TEST_CASE(capacity_is_a_rule_of_the_calendar) {
    const Instance in = six_weeks_with_capacity();
    BOOST_TEST(check(in, Calendar{1, 0, -1, 1, -1, -1}).find("capacity") != std::string::npos);  // S1 twice
    BOOST_TEST(check(in, Calendar{-1, -1, -1, 3, -1, -1}).find("capacity") != std::string::npos);  // S3 closed
    BOOST_TEST(check(in, Calendar{1, 0, -1, 2, -1, -1}).empty());
    Instance open = in;
    open.max_events.clear();
    BOOST_TEST(exhaustive(open).first == 360);
}

BOOST_AUTO_TEST_CASE(capacity_honoured_by_the_heuristic_and_cbc) {
    const Instance in = six_weeks_with_capacity();
    BOOST_TEST(exhaustive(in).first == 330);
    BOOST_TEST(exhaustive(in).second == 3);
    const Solution h = solve(in, Options{});
    BOOST_TEST(check(in, h.calendar).empty());
    BOOST_TEST(h.objective == 330);
    BOOST_TEST(events(h.calendar) == 3);
    BOOST_TEST(std::count(h.calendar.begin(), h.calendar.end(), 1) == 1);
    BOOST_TEST(h.bound >= 330);  // the bound relaxes capacity: still a bound
    Options x;
    x.exact = true;
    x.time_limit_s = 10;
    const Solution e = solve(in, x);
    BOOST_TEST(check(in, e.calendar).empty());
    BOOST_TEST(e.objective == 330);
    BOOST_TEST(e.proven_optimal);
}

BOOST_AUTO_TEST_CASE(fixed_events_over_a_capacity_are_refused) {
    Instance in = six_weeks_with_capacity();
    in.fixed_site[0] = 1;
    in.fixed_site[4] = 1;  // S1 twice, capacity 1 (the gap of 7 days is kept)
    BOOST_CHECK_THROW(validate(in), std::exception);
    in.fixed_site[4] = -1;
    BOOST_CHECK_NO_THROW(validate(in));
    const Solution s = solve(in, Options{});
    BOOST_TEST(std::count(s.calendar.begin(), s.calendar.end(), 1) == 1);  // the fixed event uses S1's one
}

// The generated instances of the CBC comparison with a capacity of 1 or 2 events on every
// site: the heuristic and CBC keep it; the heuristic's gap to CBC's optimum is reported.
BOOST_AUTO_TEST_CASE(heuristic_against_cbc_with_capacities) {
    std::mt19937_64 rng(2028);
    double sum_gap = 0, worst = 0;
    int n = 0;
    for (int trial = 0; trial < 20; ++trial) {
        Instance in;
        const int A = 10 + static_cast<int>(rng() % 5), M = 6 + static_cast<int>(rng() % 4);
        for (int a = 0; a < A; ++a) in.weight.push_back(static_cast<double>(1 + rng() % 100));
        for (int j = 0; j < M; ++j) {
            std::vector<int> r;
            for (int a = 0; a < A; ++a)
                if (rng() % 4 == 0) r.push_back(a);
            in.reach.push_back(r);
            in.max_events.push_back(1 + static_cast<int>(rng() % 2));
        }
        for (int week = 0; week < 8; ++week)
            for (int e = 0; e < 2; ++e) {
                in.slot_day.push_back(7 * week + 3 * e);
                in.slot_window.push_back(week / 2);
                std::vector<char> row(M);
                for (auto& v : row) v = rng() % 4 != 0;
                in.allowed.push_back(row);
                in.fixed_site.push_back(-1);
            }
        in.windows = 4;
        in.site_gap_days = 7;
        Options h;
        h.seed = static_cast<std::uint64_t>(trial) + 1;
        const Solution heur = solve(in, h);
        Options x = h;
        x.exact = true;
        x.time_limit_s = 20;
        const Solution ex = solve(in, x);
        BOOST_TEST_REQUIRE(ex.proven_optimal);
        BOOST_TEST(check(in, heur.calendar).empty());
        BOOST_TEST(check(in, ex.calendar).empty());
        BOOST_TEST(heur.objective <= ex.objective + 1e-9);
        BOOST_TEST(heur.bound >= ex.objective - 1e-6);
        const double gap = ex.objective > 0 ? (ex.objective - heur.objective) / ex.objective : 0;
        sum_gap += gap;
        worst = std::max(worst, gap);
        ++n;
    }
    BOOST_TEST_MESSAGE("with capacities: heuristic vs CBC optimum on " << n << " instances: mean gap " << 100 * sum_gap / n << "%, worst " << 100 * worst << "%");
    BOOST_TEST(worst <= 0.05);
}

// Staffing by hand: four events at one site, one team each, 2 h; team km there and back 2, 4
// and 10; J = km + 0.5 x sum of (year hours)^2. With n0, n1, n2 events per team,
// J = 2 n0 + 4 n1 + 10 n2 + 2 (n0^2 + n1^2 + n2^2): (4,0,0) 40, (3,1,0) 30, (2,2,0) 28,
// (2,1,1) 30, (1,2,1) 32: the optimum is 28, T0 and T1 two events each.
static StaffingProblem four_events() {
    StaffingProblem p;
    p.event_week = {0, 1, 2, 3};
    p.km.assign(4, {2, 4, 10});
    p.weekly_hours = {6, 6, 6};
    p.hours = 2;
    p.per_event = 1;
    return p;
}

// Every assignment (each event any `per_event` distinct teams) within the weekly hours: the least J.
static double staffing_optimum(const StaffingProblem& p) {
    const std::size_t E = p.event_week.size(), T = p.weekly_hours.size();
    std::vector<std::vector<int>> teams(E);
    double best = 1e300;
    std::function<void(std::size_t)> go = [&](std::size_t e) {
        if (e == E) {
            std::map<std::pair<int, int>, double> week;
            for (std::size_t f = 0; f < E; ++f)
                for (int t : teams[f])
                    if ((week[{t, p.event_week[f]}] += p.hours) > p.weekly_hours[t] + 1e-9) return;
            best = std::min(best, staffing_cost(p, teams));
            return;
        }
        for (unsigned mask = 0; mask < (1u << T); ++mask) {
            if (static_cast<int>(__builtin_popcount(mask)) != p.per_event) continue;
            teams[e].clear();
            for (std::size_t t = 0; t < T; ++t)
                if (mask >> t & 1u) teams[e].push_back(static_cast<int>(t));
            go(e + 1);
        }
    };
    go(0);
    return best;
}

BOOST_AUTO_TEST_CASE(staffing_balances_hours_against_travel) {
    const StaffingProblem p = four_events();
    BOOST_TEST(staffing_optimum(p) == 28);
    const StaffingPlan plan = assign_teams(p);
    BOOST_TEST(plan.cost == 28);
    BOOST_TEST(staffing_cost(p, plan.teams) == 28);
    std::vector<int> n(3, 0);
    for (const auto& e : plan.teams) {
        BOOST_TEST_REQUIRE(e.size() == 1u);
        ++n[e[0]];
    }
    BOOST_TEST(n == (std::vector<int>{2, 2, 0}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(staffing_keeps_weekly_hours) {
    // All four in one week; T0 may work 2 h, T1 4 h, T2 8 h: n0 <= 1, n1 <= 2, so (1,2,1):
    // 2 + 8 + 10 + 2 (1 + 4 + 1) = 32 ((0,2,2) 44, (1,1,2) 38).
    StaffingProblem p = four_events();
    p.event_week = {5, 5, 5, 5};
    p.weekly_hours = {2, 4, 8};
    BOOST_TEST(staffing_optimum(p) == 32);
    const StaffingPlan plan = assign_teams(p);
    BOOST_TEST(plan.cost == 32);
    // 2 h a week each: three of the four events, the last unstaffed with the reason.
    p.weekly_hours = {2, 2, 2};
    const StaffingPlan short_plan = assign_teams(p);
    BOOST_TEST(std::count_if(short_plan.unstaffed.begin(), short_plan.unstaffed.end(), [](const std::string& r) { return !r.empty(); }) == 1);
    BOOST_TEST(short_plan.unstaffed.back().find("no 2 h left in that week") != std::string::npos);
}

// Generated staffing problems small enough to enumerate: 5 events, 4 teams, 2 per event,
// km at random, weekly hours 2 to 6, events in two or three weeks: the local search against
// the enumerated optimum (mean and worst gap reported).
BOOST_AUTO_TEST_CASE(staffing_against_enumeration) {
    std::mt19937_64 rng(31);
    double sum = 0, worst = 0;
    int n = 0;
    for (int trial = 0; trial < 40; ++trial) {
        StaffingProblem p;
        p.per_event = 2;
        for (int t = 0; t < 4; ++t) p.weekly_hours.push_back(2.0 * (1 + static_cast<double>(rng() % 3)));
        for (int e = 0; e < 5; ++e) {
            p.event_week.push_back(static_cast<int>(rng() % 3));
            std::vector<double> km;
            for (int t = 0; t < 4; ++t) km.push_back(static_cast<double>(1 + rng() % 30));
            p.km.push_back(km);
        }
        const StaffingPlan plan = assign_teams(p);
        if (std::any_of(plan.unstaffed.begin(), plan.unstaffed.end(), [](const std::string& r) { return !r.empty(); })) continue;
        const double opt = staffing_optimum(p);
        BOOST_TEST(plan.cost >= opt - 1e-9);
        const double gap = (plan.cost - opt) / opt;
        sum += gap;
        worst = std::max(worst, gap);
        ++n;
    }
    BOOST_TEST_REQUIRE(n >= 10);
    BOOST_TEST_MESSAGE("staffing vs enumeration on " << n << " instances: mean gap " << 100 * sum / n << "%, worst " << 100 * worst << "%");
    BOOST_TEST(worst <= 0.10);
}
