// Typed results of nightout's stages. The command line prints them, plan runs build their
// headlines from them and summary.json is written from them, so a renamed field fails to
// compile instead of failing at run time.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace nightout::api {

// One reach: a distance ("800m", straight or along streets) or a travel time ("10min").
struct CoverageBreak {
    std::string label;
    std::optional<double> meters;   // none for a travel time
    std::optional<double> minutes;  // none for a distance
    double covered_m2 = 0;
    double covered_share = 0;       // of the areas' total area
    std::size_t underserved_areas = 0;
    std::size_t gap_polygons = 0;
    // With a population field:
    std::optional<double> population_covered, population_uncovered, population_share;
};

struct CoverageTotals {
    std::size_t areas = 0, events = 0;
    std::size_t events_outside_areas = 0, areas_without_events = 0;
    double area_m2 = 0;
    std::optional<double> population;
    std::vector<CoverageBreak> breaks;
    // With stations: each event's straight-line distance to its nearest station.
    std::optional<std::size_t> stations;
    std::optional<double> event_to_nearest_station_mean_m, event_to_nearest_station_max_m;
};

// One area's figures, one entry per break (aligned with CoverageTotals::breaks).
struct AreaCoverage {
    std::string id, name;
    double area_m2 = 0;
    std::optional<double> population;
    std::vector<double> covered_m2, covered_share;
    std::vector<double> population_covered;  // empty without a population field
    std::vector<bool> underserved;
};

// Who is reached (src/equity): population groups, need and priority, accessibility.
// One group's residents at one break. Groups may overlap (Hispanic of any race) and need not
// sum to the population.
struct GroupReach {
    std::string name, field, kind;  // kind: "share" (percent of residents) or "count"
    double population = 0, reached = 0;
    double share = 0;  // reached / population
    double ratio = 0;  // share / the overall share: 1.0 = reached as often as everyone
};

struct EquityBreak {
    std::string label;
    double overall_share = 0;  // of all residents
    std::vector<GroupReach> groups;
    std::optional<double> gap_points;  // best minus worst group share, in percentage points
    std::string best, worst;
    double gini = 0;  // population-weighted Gini of the areas' covered shares (0 = equal)
};

// One area's need and access figures.
struct AreaEquity {
    std::vector<double> group_residents;            // one per group
    std::vector<std::vector<double>> group_reached;  // [break][group]
    std::optional<double> priority_value;  // the --priority field, or incidents per 1,000 residents
    std::optional<double> priority_index;  // 0..1: the share of areas no needier than this one
    bool priority_area = false;            // index above EquityResult::priority_threshold
    std::optional<int> priority_rank;      // 1 = most priority-weighted unreached residents (widest break)
    std::optional<double> incidents, incident_rate;    // (weighted) count and per 1,000 residents
    std::vector<double> incidents_unreached;            // per break
    std::optional<double> access;  // E2SFCA: events per 1,000 residents, distance-decayed
};

struct EquityResult {
    std::vector<EquityBreak> breaks;  // aligned with CoverageTotals::breaks
    std::vector<AreaEquity> areas;    // aligned with CoverageResult::areas
    std::string population_model;     // "uniform within each area" or "from the population layer"
    std::optional<std::string> priority_source;  // "field s1 (high is needier)", "incidents per 1,000 residents"
    double priority_threshold = 0.75;
    std::size_t priority_areas = 0;
    std::optional<double> incidents_total;
    std::vector<double> incidents_unreached;  // per break
    std::vector<double> access_weights;       // per break, when access was computed
    std::optional<double> access_mean;         // population-weighted mean access
};

struct CoverageResult {
    CoverageTotals totals;
    std::optional<EquityResult> equity;  // with groups, --priority, --incidents or --access
    std::vector<AreaCoverage> areas;
    std::vector<std::string> warnings;
    std::string summary_json;  // summary.json's content
};

// Demand served by a set of open sites: costs in the problem's unit (metres or seconds).
struct SiteCosts {
    double mean = 0, max = 0, total_weighted = 0;  // over the demand that reaches a site
    double unreached_demand = 0;                    // no site reachable along the streets (one-way, islands)
    std::optional<double> covered_demand, covered_share;  // within the reach, when there is one
};

struct SuggestedSite {
    int rank = 0;  // 1: the site that adds the most, given the existing sites
    std::string id, name, source;
    double marginal_demand = 0;
    double demand_served = 0;
};

// A population group's residents reached by the site model before (the existing sites alone) and
// after the suggested sites; shares are of the group's every resident (off the network included).
struct SiteGroupReach {
    std::string name;
    double residents = 0, reached_before = 0, reached_after = 0;
    double share_before = 0, share_after = 0;
};

struct SiteResult {
    std::string model;                 // mclp, lscp, pmedian, pcenter
    std::string cost_unit;             // "m" or "s"
    std::optional<std::string> reach;  // "800m" or "10 min" for coverage figures
    std::size_t demand_points = 0, candidates = 0, required = 0;
    double demand = 0;               // every resident (shares are of this base)
    double off_network_demand = 0;   // of them, off the road network (never reached)
    double objective = 0;
    std::string objective_text;
    std::optional<double> bound, gap;
    bool proven_optimal = false;
    double solve_seconds = 0;
    std::optional<SiteCosts> before;  // the existing (required) sites alone; none without any
    SiteCosts after;
    // Demand areas with a straight-line reach: the covered share of all residents by coverage's area
    // model (surface share within the reach) next to the site model's (demand at points).
    std::optional<double> area_model_before, area_model_after;
    std::vector<SuggestedSite> sites;  // the new sites in rank order
    // Whose reach the model counted: residents, group:NAME, priority or maxmin; with groups declared,
    // each group's reach before and after (and min_group_share when every group had to reach it).
    std::string objective_key = "residents";
    std::optional<double> min_group_share;
    std::vector<SiteGroupReach> groups;
    std::vector<std::string> warnings;
    std::string summary_json;
};

// The evening's officer visits.
struct RouteResult {
    std::size_t events = 0, officers = 0, officers_used = 0, visited = 0, unvisited = 0;
    double visited_share = 0;
    double priority_total = 0, priority_visited = 0;
    double travel_min = 0, travel_km = 0;
    double work_min_min = 0, work_min_max = 0;  // working time of the officers with visits
    std::vector<std::pair<std::string, std::size_t>> unvisited_reasons;  // reason, events
    double solve_seconds = 0;
    unsigned long long iterations = 0;
    std::vector<std::string> warnings;
    std::string summary_json;
};

// A year-round outreach program (nightout program): the calendar, whom it reaches, who staffs it.
struct ProgramEvent {
    std::string date, weekday, start, end;  // YYYY-MM-DD, Mon..Sun, HH:MM in the program's zone
    int window = 0;                         // 1-based reach window (--every)
    std::string site_id, site, source;      // the site (its file's stem as source)
    double lon = 0, lat = 0;
    bool fixed = false;
    std::string event;                      // a fixed event's own name, when held at a candidate site
    std::vector<std::string> area_ids;      // the areas it reaches
    double residents_reached = 0, residents_first_in_window = 0;
    std::vector<std::string> officers;      // team ids
    std::string unstaffed_reason;           // empty when staffed (or without teams)
};

// One calendar month: its events and the areas they reach (the report's month slider).
struct ProgramMonth {
    std::string month;                      // YYYY-MM
    std::size_t events = 0;
    std::vector<std::string> area_ids;      // reached by at least one of the month's events
    double residents = 0;                   // of those areas
};

struct ProgramWindow {
    int window = 0;                         // 1-based
    std::string first, last;                // YYYY-MM-DD
};

struct ProgramTeam {
    std::string id, name, station;
    double weekly_hours = 0, hours = 0, travel_km = 0;
    std::size_t events = 0;
};

struct ProgramStaffing {
    std::size_t teams = 0, teams_per_event = 0, unstaffed_events = 0;
    double hours_min = 0, hours_max = 0, hours_mean = 0, hours_sd = 0;  // over the year, per team
    double hours_spread = 0;                                             // max - min
    double travel_km = 0;                                                // all teams, there and back
    std::string method;
    std::vector<std::pair<std::string, std::size_t>> unstaffed_reasons;  // reason, events
    std::vector<ProgramTeam> team_list;
};

struct ProgramObjective {
    std::string name = "weighted area-windows reached";
    double value = 0, bound = 0, gap = 0;
    bool proven_optimal = false;
    std::string method;
    double heuristic_value = 0, heuristic_seconds = 0, bound_seconds = 0;
    std::optional<double> exact_seconds;
};

struct ProgramTarget {
    int every_days = 0;
    std::size_t areas_meeting = 0, areas_missing = 0;
    std::size_t missing_no_site_in_reach = 0, missing_out_of_season = 0, missing_too_few_events = 0;
    double residents_meeting = 0;
};

struct ProgramResult {
    std::string from, to, timezone, reach, cadence;  // cadence: "2 a week" or "3 a month"
    std::size_t areas = 0, candidate_sites = 0, slots = 0, blacked_out_days = 0;
    std::size_t windows = 0;
    int window_days = 0, site_gap_days = 0;
    std::vector<ProgramWindow> window_list;
    std::size_t events = 0, fixed_events = 0, empty_slots = 0;
    std::size_t sites_at_capacity = 0;           // sites with max_events holding that many
    std::optional<double> officer_hours;         // with teams
    ProgramObjective objective;
    ProgramTarget target;
    double residents = 0, residents_reached_once = 0, residents_reached_share = 0;
    std::optional<ProgramStaffing> staffing;
    double solve_seconds = 0, seconds = 0;
    std::vector<ProgramEvent> calendar;          // in date order, as calendar.csv
    std::vector<ProgramMonth> months;            // every month of the period, in order
    std::vector<std::string> files;
    std::string summary_json;
};

// A plan run: its output folder, the coverage step's result, and what the study shared.
struct PlanResult {
    std::string out_dir;  // the final folder (report.html inside)
    CoverageResult coverage;
    std::optional<SiteResult> site;
    std::optional<RouteResult> route;
    std::optional<ProgramResult> program;
    std::size_t inputs_read = 0, networks_built = 0;
    std::vector<std::string> warnings;
    std::string summary_json;
};

}  // namespace nightout::api
