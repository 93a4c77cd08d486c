#include "engine/results_json.hpp"

namespace nightout {

namespace {

template <class T>
nlohmann::json or_null(const std::optional<T>& v) {
    return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

}  // namespace

nlohmann::json to_json(const api::CoverageTotals& t) {
    nlohmann::json j;
    j["areas"] = t.areas;
    j["events"] = t.events;
    j["events_outside_areas"] = t.events_outside_areas;
    j["areas_without_events"] = t.areas_without_events;
    j["area_m2"] = t.area_m2;
    if (t.population) j["population"] = *t.population;
    j["per_radius"] = nlohmann::json::array();
    for (const auto& b : t.breaks) {
        nlohmann::json r{{"radius", b.label},
                         {"radius_m", or_null(b.meters)},
                         {"covered_m2", b.covered_m2},
                         {"covered_share", b.covered_share},
                         {"underserved_areas", b.underserved_areas},
                         {"gap_polygons", b.gap_polygons}};
        if (b.minutes) r["minutes"] = *b.minutes;
        if (b.population_covered) {
            r["population_covered"] = *b.population_covered;
            r["population_uncovered"] = or_null(b.population_uncovered);
            r["population_share"] = or_null(b.population_share);
        }
        j["per_radius"].push_back(std::move(r));
    }
    if (t.stations) {
        j["stations"] = *t.stations;
        j["event_to_nearest_station_mean_m"] = or_null(t.event_to_nearest_station_mean_m);
        j["event_to_nearest_station_max_m"] = or_null(t.event_to_nearest_station_max_m);
    }
    return j;
}

nlohmann::json to_json(const api::SiteCosts& c, bool time) {
    nlohmann::json j;
    j[time ? "mean_time_s" : "mean_distance_m"] = c.mean;
    j[time ? "max_time_s" : "max_distance_m"] = c.max;
    j[time ? "total_weighted_time_s" : "total_weighted_distance_m"] = c.total_weighted;
    j["unreached_demand"] = c.unreached_demand;
    if (c.covered_demand) j["covered_demand"] = *c.covered_demand;
    if (c.covered_share) j["covered_share"] = *c.covered_share;
    return j;
}

nlohmann::json to_json(const api::SuggestedSite& s) {
    return {{"rank", s.rank}, {"id", s.id}, {"name", s.name}, {"source", s.source}, {"marginal_demand", s.marginal_demand},
            {"demand_served", s.demand_served}};
}

nlohmann::json to_json(const api::ProgramResult& r) {
    nlohmann::json windows = nlohmann::json::array();
    for (const auto& w : r.window_list) windows.push_back({{"window", w.window}, {"first", w.first}, {"last", w.last}});
    nlohmann::json months = nlohmann::json::array();
    for (const auto& m : r.months) months.push_back({{"month", m.month}, {"events", m.events}, {"areas_reached", m.area_ids.size()}, {"residents_reached", m.residents}});
    nlohmann::json staffing = nullptr;
    if (r.staffing) {
        const auto& s = *r.staffing;
        nlohmann::json why = nlohmann::json::object();
        for (const auto& [reason, n] : s.unstaffed_reasons) why[reason] = n;
        staffing = {{"teams", s.teams},           {"teams_per_event", s.teams_per_event}, {"unstaffed_events", s.unstaffed_events},
                    {"hours_min", s.hours_min},   {"hours_max", s.hours_max},             {"hours_mean", s.hours_mean},
                    {"hours_sd", s.hours_sd},     {"hours_spread", s.hours_spread},       {"travel_km", s.travel_km},
                    {"method", s.method},         {"unstaffed_reasons", why}};
    }
    const auto& o = r.objective;
    const auto& t = r.target;
    return {
        {"command", "program"},
        {"from", r.from},
        {"to", r.to},
        {"timezone", r.timezone},
        {"reach", r.reach},
        {"cadence", r.cadence},
        {"areas", r.areas},
        {"candidate_sites", r.candidate_sites},
        {"slots", r.slots},
        {"blacked_out_days", r.blacked_out_days},
        {"windows", r.windows},
        {"window_days", r.window_days},
        {"window_list", windows},
        {"site_gap_days", r.site_gap_days},
        {"events", r.events},
        {"fixed_events", r.fixed_events},
        {"empty_slots", r.empty_slots},
        {"sites_at_capacity", r.sites_at_capacity},
        {"officer_hours", or_null(r.officer_hours)},
        {"objective", {{"name", o.name},
                       {"value", o.value},
                       {"bound", o.bound},
                       {"gap", o.gap},
                       {"proven_optimal", o.proven_optimal},
                       {"method", o.method},
                       {"heuristic_value", o.heuristic_value},
                       {"heuristic_seconds", o.heuristic_seconds},
                       {"bound_seconds", o.bound_seconds},
                       {"exact_seconds", or_null(o.exact_seconds)}}},
        {"target", {{"every_days", t.every_days},
                    {"areas_meeting", t.areas_meeting},
                    {"areas_missing", t.areas_missing},
                    {"missing_no_site_in_reach", t.missing_no_site_in_reach},
                    {"missing_out_of_season", t.missing_out_of_season},
                    {"missing_too_few_events", t.missing_too_few_events},
                    {"residents_meeting", t.residents_meeting}}},
        {"residents", r.residents},
        {"residents_reached_once", r.residents_reached_once},
        {"residents_reached_share", r.residents_reached_share},
        {"staffing", staffing},
        {"months", months},
        {"solve_seconds", r.solve_seconds},
        {"seconds", r.seconds},
        {"files", r.files},
    };
}

}  // namespace nightout
