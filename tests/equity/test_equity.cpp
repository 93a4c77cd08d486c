// Who is reached: hand-worked cases for the equity figures (two areas, two groups with known
// shares), the Gini coefficient against its textbook double sum, the priority index, E2SFCA on
// a matrix worked by hand, and incidents counted per area and gap. All in memory.
#define BOOST_TEST_MODULE equity
#include <boost/test/unit_test.hpp>

#include "core/error.hpp"
#include "engine/study.hpp"
#include "equity/equity.hpp"
#include "jobs/coverage_job.hpp"
#include "jobs/site_job.hpp"
#include "read/memory.hpp"
#include "site/problem.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

using namespace nightout;
namespace tt = boost::test_tools;

namespace {

constexpr double kPi = 3.14159265358979323846;
const std::string kLocal = "+proj=aeqd +lat_0=35 +lon_0=-80 +datum=WGS84 +units=m +no_defs +type=crs";

// The textbook definition: G = sum_i sum_j w_i w_j |x_i - x_j| / (2 W^2 mean).
double gini_double_sum(const std::vector<double>& x, const std::vector<double>& w) {
    double W = 0, wx = 0, s = 0;
    for (std::size_t i = 0; i < x.size(); ++i) W += w[i], wx += w[i] * x[i];
    for (std::size_t i = 0; i < x.size(); ++i)
        for (std::size_t j = 0; j < x.size(); ++j) s += w[i] * w[j] * std::abs(x[i] - x[j]);
    return s / (2 * W * W * (wx / W));
}

// Two 1 km squares: A1 around the one event at (0, 0), A2 800 m east of it (out of reach of
// 720 m). A1: 1,000 residents, 80% black, 20% white, 100 young; A2: 3,000, 10% / 90%, 500.
struct TwoAreas {
    Log log{true};
    Study study{log, 2};
    ProjContext pctx;
    CoverageJob job;
    TwoAreas() {
        job.areas.path = "memory:areas";
        job.events.path = "memory:events";
        const std::vector<FieldDef> fields{{"pop", FieldType::Real}, {"black", FieldType::Real}, {"white", FieldType::Real},
                                           {"young", FieldType::Real}, {"crime", FieldType::Real}};
        study.add(job.areas, GeomKind::Area,
                  memory_dataset(study.pool().main(), pctx, "areas", GeomKind::Area, kLocal, fields,
                                 {{"A1", "", "POLYGON((-500 -500,500 -500,500 500,-500 500,-500 -500))", {1000.0, 80.0, 20.0, 100.0, 5.0}},
                                  {"A2", "", "POLYGON((800 -500,1800 -500,1800 500,800 500,800 -500))", {3000.0, 10.0, 90.0, 500.0, 50.0}}}));
        study.add(job.events, GeomKind::Point, memory_dataset(study.pool().main(), pctx, "events", GeomKind::Point, kLocal, {}, {{"e1", "", "POINT(0 0)", {}}}));
        job.population_field = "pop";
        job.options.radii = parse_distance_list("300m,720m", "radius");
        const options::Origin cli{options::Origin::Kind::CommandLine, "--group"};
        job.equity.groups = {parse_group("black=black", cli), parse_group("white=white:share", cli), parse_group("young=young:count", cli)};
    }
};

}  // namespace

BOOST_AUTO_TEST_CASE(two_areas_two_groups_by_hand) {
    TwoAreas t;
    const api::CoverageResult r = coverage_stage(t.job, t.study).result;
    BOOST_REQUIRE(r.equity);
    const auto& eq = *r.equity;
    BOOST_REQUIRE(eq.breaks.size() == 2u);
    // 300 m: A1 reached on pi 300^2 / 1e6 of its area (uniform density), A2 not at all.
    const double f = kPi * 300 * 300 / 1e6;
    const auto& b300 = eq.breaks[0];
    BOOST_TEST(b300.overall_share == 1000 * f / 4000, tt::tolerance(1e-3));
    BOOST_TEST(b300.groups[0].population == 1100.0, tt::tolerance(1e-9));
    BOOST_TEST(b300.groups[0].reached == 800 * f, tt::tolerance(1e-3));
    BOOST_TEST(b300.groups[1].reached == 200 * f, tt::tolerance(1e-3));
    BOOST_TEST(b300.groups[0].ratio == (800 * f / 1100) / (1000 * f / 4000), tt::tolerance(1e-3));
    BOOST_TEST(b300.gini == 0.75, tt::tolerance(1e-9));  // x = (f, 0), w = (1000, 3000)
    // 720 m: A1 wholly reached, A2 not.
    const auto& b720 = eq.breaks[1];
    BOOST_TEST(b720.overall_share == 0.25, tt::tolerance(1e-9));
    BOOST_TEST(b720.groups[0].share == 800.0 / 1100, tt::tolerance(1e-9));
    BOOST_TEST(b720.groups[1].share == 200.0 / 2900, tt::tolerance(1e-9));
    BOOST_TEST(b720.groups[0].ratio == (800.0 / 1100) / 0.25, tt::tolerance(1e-9));
    BOOST_TEST(b720.groups[2].population == 600.0, tt::tolerance(1e-9));  // a count, not a share
    BOOST_TEST(b720.groups[2].share == 100.0 / 600, tt::tolerance(1e-9));
    BOOST_TEST(*b720.gap_points == 100 * (800.0 / 1100 - 200.0 / 2900), tt::tolerance(1e-9));
    BOOST_TEST(b720.best == "black");
    BOOST_TEST(b720.worst == "white");
    BOOST_TEST(b720.gini == 0.75, tt::tolerance(1e-9));
    // Per area: reached and not reached per group.
    BOOST_TEST(eq.areas[0].group_reached[1][0] == 800.0, tt::tolerance(1e-9));
    BOOST_TEST(eq.areas[1].group_reached[1][1] == 0.0);
    BOOST_TEST(eq.areas[1].group_residents[1] == 2700.0, tt::tolerance(1e-9));
}

BOOST_AUTO_TEST_CASE(groups_from_a_finer_population_layer) {
    // Block points: P1 at the event (100 residents, 90 black, 10% white), P2 in A1 beyond 300 m
    // (100, 10 black, 90% white), P3 in A2 (50, none black, 100% white). Reach follows the blocks.
    TwoAreas t;
    t.job.population.path = "memory:blocks";
    const std::vector<FieldDef> fields{{"pop", FieldType::Real}, {"b", FieldType::Real}, {"w", FieldType::Real}};
    t.study.add(t.job.population, GeomKind::PointOrArea,
                memory_dataset(t.study.pool().main(), t.pctx, "population", GeomKind::Point, kLocal, fields,
                               {{"P1", "", "POINT(10 0)", {100.0, 90.0, 10.0}}, {"P2", "", "POINT(400 400)", {100.0, 10.0, 90.0}},
                                {"P3", "", "POINT(1300 0)", {50.0, 0.0, 100.0}}}));
    t.job.equity.groups = {parse_group("black=b:count", {}), parse_group("white=w:share", {})};
    const auto eq = *coverage_stage(t.job, t.study).result.equity;
    const auto& b300 = eq.breaks[0];
    BOOST_TEST(b300.overall_share == 100.0 / 250, tt::tolerance(1e-9));
    BOOST_TEST(b300.groups[0].population == 100.0, tt::tolerance(1e-9));
    BOOST_TEST(b300.groups[0].share == 0.9, tt::tolerance(1e-9));
    BOOST_TEST(b300.groups[1].population == 150.0, tt::tolerance(1e-9));
    BOOST_TEST(b300.groups[1].share == 10.0 / 150, tt::tolerance(1e-9));
    BOOST_TEST(b300.gini == 0.2, tt::tolerance(1e-9));  // areas' shares 0.5 and 0, weights 200 and 50
    const auto& b720 = eq.breaks[1];
    BOOST_TEST(b720.groups[0].share == 1.0, tt::tolerance(1e-9));
    BOOST_TEST(b720.groups[1].share == 100.0 / 150, tt::tolerance(1e-9));
    BOOST_TEST(eq.areas[1].group_residents[1] == 50.0, tt::tolerance(1e-9));
}

BOOST_AUTO_TEST_CASE(priority_incidents_and_access_by_hand) {
    TwoAreas t;
    t.job.equity.priority = parse_priority("crime:high", {});
    t.job.equity.access = true;
    t.job.equity.incidents.path = "memory:incidents";
    // Two in A1 beyond 300 m of the event, one within; one in A2; one outside every area.
    t.study.add(t.job.equity.incidents, GeomKind::Point,
                memory_dataset(t.study.pool().main(), t.pctx, "incidents", GeomKind::Point, kLocal, {},
                               {{"i1", "", "POINT(100 0)", {}}, {"i2", "", "POINT(400 400)", {}}, {"i3", "", "POINT(-400 -400)", {}},
                                {"i4", "", "POINT(1300 0)", {}}, {"i5", "", "POINT(5000 5000)", {}}}));
    const api::CoverageResult r = coverage_stage(t.job, t.study).result;
    const auto& eq = *r.equity;
    BOOST_TEST(*eq.areas[0].incidents == 3.0);
    BOOST_TEST(*eq.areas[1].incidents == 1.0);
    BOOST_TEST(*eq.areas[0].incident_rate == 3.0, tt::tolerance(1e-9));
    BOOST_TEST(*eq.areas[1].incident_rate == 1000.0 / 3000, tt::tolerance(1e-9));
    BOOST_TEST(eq.areas[0].incidents_unreached[0] == 2.0);
    BOOST_TEST(eq.areas[0].incidents_unreached[1] == 0.0);
    BOOST_TEST(eq.areas[1].incidents_unreached[1] == 1.0);
    BOOST_TEST(*eq.incidents_total == 4.0);
    // Priority: A2's crime is the higher: index 1 (a priority area), A1's 0.5.
    BOOST_TEST(*eq.areas[0].priority_index == 0.5);
    BOOST_TEST(*eq.areas[1].priority_index == 1.0);
    BOOST_TEST(eq.areas[1].priority_area);
    BOOST_TEST(!eq.areas[0].priority_area);
    BOOST_TEST(*eq.areas[1].priority_rank == 1);
    // Access: only A1's representative point lies within 300 m of the event (weight 1.0):
    // the event's 1 over A1's 1,000 residents, per 1,000 residents = 1.
    BOOST_TEST(*eq.areas[0].access == 1.0, tt::tolerance(1e-9));
    BOOST_TEST(*eq.areas[1].access == 0.0);
    BOOST_TEST(*eq.access_mean == 1000.0 * 1.0 / 4000, tt::tolerance(1e-9));
}

BOOST_AUTO_TEST_CASE(e2sfca_matrix_by_hand) {
    // W = [[1, 0.68], [0, 1]], demand (1000, 3000), one unit per site.
    // R0 = 1 / 1000, R1 = 1 / (0.68 * 1000 + 3000); A0 = R0 + 0.68 R1, A1 = R1.
    const auto a = e2sfca({{{0, 1.0}, {1, 0.68}}, {{1, 1.0}}}, {1000, 3000}, {1, 1});
    BOOST_TEST(a[0] == 1.0 / 1000 + 0.68 / 3680, tt::tolerance(1e-12));
    BOOST_TEST(a[1] == 1.0 / 3680, tt::tolerance(1e-12));
    // Total access weighted by demand returns the supply when every site has demand nearby.
    BOOST_TEST(1000 * a[0] + 3000 * a[1] == 2.0, tt::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(gini_matches_the_textbook_formula) {
    BOOST_TEST(weighted_gini({1, 2, 3, 4}, {1, 1, 1, 1}) == 0.25, tt::tolerance(1e-12));
    BOOST_TEST(weighted_gini({0.5, 0.5, 0.5}, {3, 1, 2}) == 0.0);
    // Integer weights act as repeated observations.
    BOOST_TEST(weighted_gini({1, 3}, {2, 1}) == weighted_gini({1, 1, 3}, {1, 1, 1}), tt::tolerance(1e-12));
    std::mt19937 rng(7);
    std::uniform_real_distribution<double> u(0, 1);
    for (int rep = 0; rep < 20; ++rep) {
        std::vector<double> x(50), w(50);
        for (std::size_t i = 0; i < x.size(); ++i) x[i] = u(rng), w[i] = rep % 2 ? 1.0 : 1000 * u(rng);
        BOOST_TEST(weighted_gini(x, w) == gini_double_sum(x, w), tt::tolerance(1e-10));
    }
}

BOOST_AUTO_TEST_CASE(priority_index_is_the_share_no_needier) {
    const auto high = priority_index({5, 50, 50, 10}, true);
    BOOST_TEST(high == (std::vector<double>{0.25, 1.0, 1.0, 0.5}), tt::per_element());
    const auto low = priority_index({30000, 80000, 20000}, false);  // income: the lowest is neediest
    BOOST_TEST(low == (std::vector<double>{2.0 / 3, 1.0 / 3, 1.0}), tt::per_element());
}

BOOST_AUTO_TEST_CASE(group_and_priority_texts_are_checked) {
    const options::Origin cli{options::Origin::Kind::CommandLine, "--group"};
    const GroupSpec g = parse_group("hispanic=p13", cli);
    BOOST_TEST(g.name == "hispanic");
    BOOST_TEST(g.field == "p13");
    BOOST_TEST(g.is_share);
    BOOST_TEST(!parse_group("kids = n_kids : count", cli).is_share);
    auto fails = [&](const std::string& text, const std::string& expected) {
        try {
            parse_group(text, cli);
            BOOST_FAIL("no error for " << text);
        } catch (const Error& e) {
            BOOST_TEST(e.exit_code() == 2);
            BOOST_TEST(std::string(e.what()).find(expected) != std::string::npos, e.what());
        }
    };
    fails("p9", "--group: 'p9' is not accepted; expected NAME=FIELD");
    fails("black=p9:percent", "kind 'percent' is not accepted; expected share or count");
    fails("bl ack=p9", "group name 'bl ack' is not accepted");
    BOOST_TEST(!parse_priority("m1:low", cli).high_is_needier);
    BOOST_CHECK_THROW(parse_priority("m1:lowest", cli), Error);
}

BOOST_AUTO_TEST_CASE(share_above_100_names_the_feature) {
    TwoAreas t;
    t.job.equity.groups = {parse_group("young=young:share", {})};  // 500 is not a percent
    try {
        coverage_stage(t.job, t.study);
        BOOST_FAIL("no error");
    } catch (const Error& e) {
        BOOST_TEST(e.exit_code() == 3);
        BOOST_TEST(std::string(e.what()).find("(id A2): field 'young' is 500; group young is a share, a percent from 0 to 100") != std::string::npos, e.what());
    }
}

namespace {

// Two demand points 5 km apart, a candidate on each; one new site within 800 m.
// D1: 1,000 residents, 10% black, crime 1; D2: 600 residents, 90% black, crime 9.
std::string suggest(const std::string& objective, bool exact) {
    Log log(true);
    Study study(log, 1);
    ProjContext pctx;
    SiteJob job;
    job.demand.path = "memory:demand";
    job.candidates.push_back(InputSpec{});
    job.candidates.back().path = "memory:candidates";
    const std::vector<FieldDef> fields{{"pop", FieldType::Real}, {"black", FieldType::Real}, {"crime", FieldType::Real}};
    study.add(job.demand, GeomKind::PointOrArea,
              memory_dataset(study.pool().main(), pctx, "demand", GeomKind::Point, kLocal, fields,
                             {{"D1", "", "POINT(0 0)", {1000.0, 10.0, 1.0}}, {"D2", "", "POINT(5000 0)", {600.0, 90.0, 9.0}}}));
    study.add(job.candidates.back(), GeomKind::Point,
              memory_dataset(study.pool().main(), pctx, "candidates", GeomKind::Point, kLocal, {}, {{"C1", "", "POINT(10 0)", {}}, {"C2", "", "POINT(5010 0)", {}}}));
    job.population_field = "pop";
    job.model = "mclp";
    job.k = 1;
    job.radius = parse_distance("800m", "radius");
    job.objective = objective;
    job.groups = {parse_group("black=black", {})};
    job.priority = parse_priority("crime:high", {});
    job.exact = exact;
    job.time_limit_s = 10;
    const auto dir = std::filesystem::temp_directory_path() / ("nightout-equity-site-" + std::to_string(::getpid()));
    job.out_dir = dir.string();
    const api::SiteResult r = site_stage(job, study).result;
    std::filesystem::remove_all(dir);
    BOOST_REQUIRE(r.sites.size() == 1u);
    if (exact) {
        BOOST_TEST(r.proven_optimal);
        BOOST_TEST(r.bound.value_or(-1) == r.objective, tt::tolerance(1e-9));
    }
    return r.sites.front().id;
}

}  // namespace

BOOST_AUTO_TEST_CASE(site_objective_follows_the_group_or_the_need) {
    BOOST_TEST(suggest("residents", false) == "C1");    // 1,000 > 600 residents
    BOOST_TEST(suggest("group:black", false) == "C2");  // 540 > 100 black residents
    BOOST_TEST(suggest("priority", false) == "C2");     // 600 x 1.0 > 1,000 x 0.5
    // CBC proves the same choices optimal.
    BOOST_TEST(suggest("group:black", true) == "C2");
    BOOST_TEST(suggest("priority", true) == "C2");
    BOOST_CHECK_THROW(suggest("group:asian", false), Error);  // no such group
}

// ---- Fair suggestions: max-min fairness and a share for every group ----

namespace {

// Two demand points 5 km apart, a candidate beside each; one new site within 800 m.
// D1: 1,000 residents, all of group a. D2: 600 residents, half a, half b.
// Group a: 1,300 residents, group b: 300.
// C1 reaches 1,000 residents: a 1,000/1,300 = 76.9%, b 0%     (least share 0%).
// C2 reaches 600:            a 300/1,300 = 23.1%,  b 100%   (least share 23.1%).
api::SiteResult fair_suggest(const std::string& objective, double min_share, bool exact) {
    Log log(true);
    Study study(log, 1);
    ProjContext pctx;
    SiteJob job;
    job.demand.path = "memory:demand";
    job.candidates.push_back(InputSpec{});
    job.candidates.back().path = "memory:candidates";
    const std::vector<FieldDef> fields{{"pop", FieldType::Real}, {"a", FieldType::Real}, {"b", FieldType::Real}};
    study.add(job.demand, GeomKind::PointOrArea,
              memory_dataset(study.pool().main(), pctx, "demand", GeomKind::Point, kLocal, fields,
                             {{"D1", "", "POINT(0 0)", {1000.0, 100.0, 0.0}}, {"D2", "", "POINT(5000 0)", {600.0, 50.0, 50.0}}}));
    study.add(job.candidates.back(), GeomKind::Point,
              memory_dataset(study.pool().main(), pctx, "candidates", GeomKind::Point, kLocal, {}, {{"C1", "", "POINT(10 0)", {}}, {"C2", "", "POINT(5010 0)", {}}}));
    job.population_field = "pop";
    job.model = "mclp";
    job.k = 1;
    job.radius = parse_distance("800m", "radius");
    job.objective = objective;
    job.min_group_share = min_share;
    job.groups = {parse_group("a=a", {}), parse_group("b=b", {})};
    job.exact = exact;
    job.time_limit_s = 10;
    const auto dir = std::filesystem::temp_directory_path() / ("nightout-equity-fair-" + std::to_string(::getpid()));
    job.out_dir = dir.string();
    struct Cleanup {
        std::filesystem::path d;
        ~Cleanup() { std::filesystem::remove_all(d); }
    } cleanup{dir};
    return site_stage(job, study).result;
}

std::string usage_message(const std::string& objective, double min_share, bool exact) {
    try {
        fair_suggest(objective, min_share, exact);
    } catch (const Error& e) {
        BOOST_TEST(static_cast<int>(e.kind()) == static_cast<int>(ErrorKind::Usage));
        return e.what();
    }
    return "";
}

}  // namespace

BOOST_AUTO_TEST_CASE(maxmin_picks_the_other_place_by_hand) {
    const api::SiteResult residents = fair_suggest("residents", 0, false);
    BOOST_REQUIRE(residents.sites.size() == 1u);
    BOOST_TEST(residents.sites.front().id == "C1");
    BOOST_REQUIRE(residents.groups.size() == 2u);
    BOOST_TEST(residents.groups[0].share_after == 1000.0 / 1300, tt::tolerance(1e-5));
    BOOST_TEST(residents.groups[1].share_after == 0.0);
    BOOST_TEST(residents.groups[0].share_before == 0.0);
    for (bool exact : {false, true}) {
        const api::SiteResult fair = fair_suggest("maxmin", 0, exact);
        BOOST_REQUIRE(fair.sites.size() == 1u);
        BOOST_TEST(fair.sites.front().id == "C2");
        BOOST_TEST(fair.objective == 300.0 / 1300, tt::tolerance(1e-9));  // the least share: group a's
        BOOST_TEST(fair.groups[0].share_after == 300.0 / 1300, tt::tolerance(1e-5));
        BOOST_TEST(fair.groups[1].share_after == 1.0, tt::tolerance(1e-9));
        BOOST_TEST(fair.groups[1].reached_after == 300.0, tt::tolerance(1e-9));
        BOOST_TEST(fair.objective_key == "maxmin");
        BOOST_TEST(fair.objective_text.find("least share reached over the groups 23.1% (group a)") != std::string::npos, fair.objective_text);
        if (exact) {
            BOOST_TEST(fair.proven_optimal);
            BOOST_TEST(fair.bound.value_or(-1) == fair.objective, tt::tolerance(1e-9));
        }
    }
}

BOOST_AUTO_TEST_CASE(min_group_share_forces_the_other_site_or_says_why_not) {
    // Every group at least 20%: C1 leaves group b at 0%, so the residents' model must take C2.
    for (bool exact : {false, true}) {
        const api::SiteResult r = fair_suggest("residents", 0.2, exact);
        BOOST_REQUIRE(r.sites.size() == 1u);
        BOOST_TEST(r.sites.front().id == "C2");
        BOOST_TEST(r.objective == 600.0, tt::tolerance(1e-9));
        BOOST_TEST(r.min_group_share.value_or(0) == 0.2);
        if (exact) BOOST_TEST(r.proven_optimal);
    }
    // 25%: each group alone could reach it (a 76.9%, b 100%), one site cannot serve both. The
    // heuristic says it found none and names the group; CBC proves it impossible.
    const std::string heuristic = usage_message("residents", 0.25, false);
    BOOST_TEST(heuristic.find("--min-group-share 25.0%: not met by the sites found") != std::string::npos, heuristic);
    BOOST_TEST(heuristic.find("group a reaches 23.08% (at most 76.92% with 1 new site(s), on its own)") != std::string::npos, heuristic);
    BOOST_TEST(heuristic.find("try --exact") != std::string::npos, heuristic);
    const std::string exact = usage_message("residents", 0.25, true);
    BOOST_TEST(exact.find("--min-group-share 25.0%: cannot be met with 1 new site(s) within 800m") != std::string::npos, exact);
    // 80%: group a can reach at most 76.9% with one site: impossible without CBC too.
    const std::string bound = usage_message("maxmin", 0.8, false);
    BOOST_TEST(bound.find("cannot be met") != std::string::npos, bound);
    BOOST_TEST(bound.find("group a reaches 23.08% (at most 76.92%") != std::string::npos, bound);
}

namespace {

// The lexicographic optimum by enumerating every set of k candidates: max-min (least share,
// then weight reached) or constraints (every group >= T, then weight reached).
struct Brute {
    double primary = -1, secondary = -1;
    bool feasible = false;
};

Brute brute_force(const site::Problem& p) {
    const std::size_t m = p.cost.cols();
    Brute best;
    std::vector<int> pick(m, 0);
    std::fill(pick.end() - p.k, pick.end(), 1);
    do {
        std::vector<int> open;
        for (std::size_t j = 0; j < m; ++j)
            if (pick[j]) open.push_back(static_cast<int>(j));
        double w = 0, least = 1e300;
        std::vector<double> g(p.groups.names.size(), 0);
        for (std::size_t i = 0; i < p.cost.rows(); ++i) {
            bool reached = false;
            for (int j : open) reached = reached || p.cost.at(i, j) <= p.radius;
            if (!reached) continue;
            w += p.weight[i];
            for (std::size_t q = 0; q < g.size(); ++q) g[q] += p.groups.weight[q][i];
        }
        bool ok = true;
        for (std::size_t q = 0; q < g.size(); ++q) {
            least = std::min(least, g[q] / p.groups.total[q]);
            ok = ok && g[q] >= p.groups.min_share * p.groups.total[q] * (1 - 1e-12);
        }
        const double primary = p.groups.maxmin ? least : w, secondary = p.groups.maxmin ? w : 0;
        if (!ok && !p.groups.maxmin) continue;
        const double eps = 1e-9;
        if (primary > best.primary + eps || (std::abs(primary - best.primary) <= eps && secondary > best.secondary + eps))
            best.primary = primary, best.secondary = secondary;
        best.feasible = best.feasible || ok;
    } while (std::next_permutation(pick.begin(), pick.end()));
    return best;
}

double weight_reached(const site::Problem& p, const std::vector<int>& open) {
    double w = 0;
    for (std::size_t i = 0; i < p.cost.rows(); ++i) {
        bool reached = false;
        for (int j : open) reached = reached || p.cost.at(i, j) <= p.radius;
        if (reached) w += p.weight[i];
    }
    return w;
}

}  // namespace

BOOST_AUTO_TEST_CASE(fair_heuristic_matches_cbc_and_enumeration_on_random_instances) {
    std::mt19937_64 rng(14);
    std::uniform_real_distribution<double> coord(0, 10), people(0, 100), frac(0, 1);
    int instances = 0, constrained = 0;
    for (int t = 0; t < 24; ++t) {
        const std::size_t n = 30, m = 10;
        std::vector<std::pair<double, double>> dpt(n), cpt(m);
        for (auto& q : dpt) q = {coord(rng), coord(rng)};
        for (auto& q : cpt) q = {coord(rng), coord(rng)};
        site::Problem p;
        p.model = site::Model::MCLP;
        p.k = 2 + t % 3;
        p.radius = 2.5;
        p.required.assign(m, 0);
        std::vector<double> cost(n * m);
        for (std::size_t i = 0; i < n; ++i)
            for (std::size_t j = 0; j < m; ++j) cost[i * m + j] = std::hypot(dpt[i].first - cpt[j].first, dpt[i].second - cpt[j].second);
        p.cost.assign(n, m, cost);
        p.groups.names = {"g1", "g2", "g3"};
        p.groups.weight.assign(3, std::vector<double>(n));
        p.groups.total.assign(3, 0);
        for (std::size_t i = 0; i < n; ++i) {
            p.weight.push_back(std::round(people(rng)));
            for (std::size_t g = 0; g < 3; ++g) {
                // Groups clustered by side of the map, so fairness and residents disagree.
                const double lean = g == 0 ? dpt[i].first / 10 : g == 1 ? 1 - dpt[i].first / 10 : dpt[i].second / 10;
                p.groups.weight[g][i] = p.weight[i] * lean * frac(rng);
                p.groups.total[g] += p.groups.weight[g][i];
            }
        }
        for (auto& tot : p.groups.total) tot *= 1.05;  // 5% of every group off the network: in the base, never reached
        site::Options o;
        o.seed = 1;
        o.time_limit_s = 30;
        // Max-min.
        p.groups.maxmin = true;
        const Brute bm = brute_force(p);
        const site::Solution hm = site::solve(p, o);
        o.exact = true;
        const site::Solution em = site::solve(p, o);
        o.exact = false;
        BOOST_TEST(hm.objective == bm.primary, tt::tolerance(1e-9));
        BOOST_TEST(weight_reached(p, hm.open) == bm.secondary, tt::tolerance(1e-9));
        BOOST_TEST(em.objective == bm.primary, tt::tolerance(1e-9));
        BOOST_TEST(weight_reached(p, em.open) == bm.secondary, tt::tolerance(1e-9));
        BOOST_TEST(em.proven_optimal);
        BOOST_TEST(hm.bound.value_or(-1) >= bm.primary - 1e-12);  // the heuristic's bound holds
        BOOST_TEST(em.bound.value_or(-1) == bm.primary, tt::tolerance(1e-6));
        ++instances;
        // Residents with every group at least 80% of the fair optimum.
        p.groups.maxmin = false;
        p.groups.min_share = 0.8 * bm.primary;
        if (!(p.groups.min_share > 0)) continue;
        const Brute bc = brute_force(p);
        BOOST_REQUIRE(bc.feasible);
        const site::Solution hc = site::solve(p, o);
        o.exact = true;
        const site::Solution ec = site::solve(p, o);
        o.exact = false;
        BOOST_TEST(hc.constraints_met);
        BOOST_TEST(ec.constraints_met);
        BOOST_TEST(hc.objective == bc.primary, tt::tolerance(1e-9));
        BOOST_TEST(ec.objective == bc.primary, tt::tolerance(1e-9));
        BOOST_TEST(ec.proven_optimal);
        BOOST_TEST(hc.bound.value_or(-1) >= bc.primary - 1e-9);
        ++constrained;
    }
    BOOST_TEST(instances == 24);
    BOOST_TEST(constrained >= 20);
}
