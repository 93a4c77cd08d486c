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

}  // namespace nightout
