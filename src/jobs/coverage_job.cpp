#include "jobs/coverage_job.hpp"

#include "engine/results_json.hpp"

#include "jobs/rejected.hpp"
#include "jobs/report.hpp"

#include "analyse/far_off.hpp"
#include "analyse/service_area.hpp"
#include "analyse/travel.hpp"
#include "geo/densify.hpp"
#include "network/search.hpp"
#include "network/table.hpp"
#include "core/error.hpp"
#include "core/parallel.hpp"
#include "report/report_html.hpp"
#include "write/output_dir.hpp"
#include "write/style.hpp"

#include <chrono>
#include <future>
#include <cmath>
#include <fstream>
#include <iomanip>
#include <numeric>

namespace nightout {

namespace {

// Appends the input attributes after the computed ones; names already used
// (id, name, computed fields) get an "input_" prefix.
std::vector<std::size_t> add_input_fields(OutLayer& layer, const Dataset& ds) {
    std::vector<std::size_t> cols;
    for (const auto& f : ds.fields) {
        if (f.name.empty() || ((f.name == "id" || f.name == "name") && (f.name == ds.id_field || f.name == ds.name_field))) {
            cols.push_back(SIZE_MAX);
            continue;
        }
        std::string name = layer.find(f.name) >= 0 ? "input_" + f.name : f.name;
        cols.push_back(layer.add_field(name, f.type));
    }
    return cols;
}

void fill_input_fields(std::vector<Value>& row, const std::vector<std::size_t>& cols, const Feature& f) {
    for (std::size_t i = 0; i < cols.size(); ++i)
        if (cols[i] != SIZE_MAX) row[cols[i]] = f.attrs[i];
}

std::string suffix(const std::vector<Distance>& radii, const Distance& r) { return radii.size() == 1 ? "" : "_" + r.label; }

PopulationSource load_population(const CoverageJob& job, const Dataset& areas, Study& study, const Transform& to_local,
                                 const Dataset*& layer_ds) {
    const ContextPool& pool = study.pool();
    Log& log = study.log();
    PopulationSource pop;
    if (job.population_field.empty()) {
        if (!job.population.path.empty()) throw_usage("--population needs --population-field naming its count field");
        return pop;
    }
    if (job.population.path.empty()) {
        pop.kind = PopulationSource::Kind::AreaField;
        pop.per_area = areas.numeric_field(job.population_field, log);
        return pop;
    }
    pop.kind = PopulationSource::Kind::Layer;
    layer_ds = &study.dataset(job.population, GeomKind::PointOrArea, "population");
    pop.layer_values = layer_ds->numeric_field(job.population_field, log);
    pop.layer_is_points = layer_ds->kind == GeomKind::Point;
    for (const auto& f : layer_ds->features) {
        GeomPtr dense = densify_geodesic(pool.main(), f.geom.get());
        GeomPtr g = to_local.forward(pool.main(), dense ? dense.get() : f.geom.get(), layer_ds->path + ": " + f.where);
        pop.layer_boxes.push_back(bounds(pool.main(), g.get()));
        pop.layer_area_m2.push_back(pop.layer_is_points ? 0.0 : area(pool.main(), g.get()));
        pop.layer_geoms.push_back(std::move(g));
    }
    return pop;
}

// Keeps the population layer's features `kept` (in order), with their group counts.
void keep_population_points(PopulationSource& pop, const std::vector<std::size_t>& kept) {
    auto keep = [&](auto& v) {
        std::remove_reference_t<decltype(v)> out;
        out.reserve(kept.size());
        for (std::size_t i : kept) out.push_back(std::move(v[i]));
        v = std::move(out);
    };
    keep(pop.layer_geoms);
    keep(pop.layer_boxes);
    keep(pop.layer_values);
    keep(pop.layer_area_m2);
    for (auto& g : pop.group_per_layer) keep(g);
}

// Each event with the area holding it, its nearest station and (network mode) its road position.
OutLayer events_layer(const GeosContext& ctx, const Dataset& events, const Dataset& areas, const EventsInAreas& located,
                      const Dataset* stations, const NearestFacility* nearest_station, const std::vector<Snapped>* snap, double max_snap_m = 0) {
    OutLayer ev{"events", OutGeom::Point};
    ev.kind = LayerKind::Events;
    ev.title = "Events";
    const std::size_t e_id = ev.add_field("id", FieldType::String), e_name = ev.add_field("name", FieldType::String);
    const std::size_t e_area = ev.add_field("area_id", FieldType::String), e_area_name = ev.add_field("area_name", FieldType::String);
    std::size_t e_st = 0, e_st_name = 0, e_st_m = 0;
    if (stations) {
        e_st = ev.add_field("nearest_station_id", FieldType::String);
        e_st_name = ev.add_field("nearest_station_name", FieldType::String);
        e_st_m = ev.add_field("nearest_station_m", FieldType::Real);
    }
    const MarkerFields em = add_marker_fields(ev);
    std::size_t e_net = 0, e_snap = 0, e_reason = 0;
    if (snap) {
        e_net = ev.add_field("network_status", FieldType::String);
        e_snap = ev.add_field("snap_m", FieldType::Real);
        e_reason = ev.add_field("off_network_reason", FieldType::String);  // far_from_roads or cut_off
    }
    auto ev_inputs = add_input_fields(ev, events);
    for (std::size_t i = 0; i < events.features.size(); ++i) {
        const Feature& f = events.features[i];
        std::vector<Value> row(ev.fields.size());
        row[e_id] = f.id;
        if (snap) {
            row[e_net] = std::string((*snap)[i].ok ? "ok" : "off_network");
            row[e_snap] = round_to((*snap)[i].snap_m, 0.01);
            if (!(*snap)[i].ok) row[e_reason] = std::string(off_network_reason((*snap)[i]));
        }
        row[e_name] = text_or_null(f.name);
        const long a = located.area_of_event[i];
        std::string desc = "Outside every area";
        if (a >= 0) {
            const Feature& area = areas.features[static_cast<std::size_t>(a)];
            row[e_area] = area.id;
            row[e_area_name] = text_or_null(area.name);
            desc = "In " + (area.name.empty() ? "area " + area.id : area.name);
        }
        if (stations && nearest_station->of_point[i].found) {
            const auto& n = nearest_station->of_point[i];
            const Feature& st = stations->features[n.index];
            row[e_st] = st.id;
            row[e_st_name] = text_or_null(st.name);
            row[e_st_m] = round_to(n.meters, 0.001);
            desc += "; nearest station " + (st.name.empty() ? st.id : st.name) + " at " + thousands(n.meters) + " m (straight line)";
        }
        row[em.colour] = std::string(style::kEventColour);
        row[em.symbol] = std::string("circle");
        row[em.size] = std::string("small");
        row[em.title] = f.name.empty() ? "Event " + f.id : f.name;
        if (snap && !(*snap)[i].ok) desc += "; " + describe_off_network((*snap)[i], max_snap_m);
        row[em.description] = desc;
        fill_input_fields(row, ev_inputs, f);
        ev.rows.push_back(std::move(row));
        ev.wkb.push_back(to_wkb(ctx, f.geom.get()));
    }
    return ev;
}

// The roads building left out of the network (not strongly connected with the rest): why points
// near them are off the network.
OutLayer dropped_roads_layer(const GeosContext& ctx, const Graph& g) {
    OutLayer dl{"dropped_roads", OutGeom::Line};
    dl.title = "Roads cut off from the network";
    const std::size_t d_seg = dl.add_field("segment", FieldType::Integer);
    const std::size_t d_stroke = dl.add_field("stroke", FieldType::String, false, true);
    for (std::size_t s = 0; s < g.dropped_segments(); ++s) {
        const std::uint32_t f = g.dropped_seg_first[s], n = g.dropped_seg_first[s + 1] - f;
        if (n < 2) continue;
        GEOSCoordSequence* seq = GEOSCoordSeq_create_r(ctx, n, 2);
        for (std::uint32_t k = 0; k < n; ++k) GEOSCoordSeq_setXY_r(ctx, seq, k, g.dropped_lon[f + k], g.dropped_lat[f + k]);
        GeomPtr line = own(ctx, GEOSGeom_createLineString_r(ctx, seq), "dropped road");
        std::vector<Value> row(dl.fields.size());
        row[d_seg] = static_cast<std::int64_t>(s + 1);
        row[d_stroke] = std::string("#b15928");
        dl.rows.push_back(std::move(row));
        dl.wkb.push_back(to_wkb(ctx, line.get()));
    }
    return dl;
}

// Each station with the events it is nearest to.
OutLayer stations_layer(const GeosContext& ctx, const Dataset& stations, const NearestFacility& nearest) {
    OutLayer st{"stations", OutGeom::Point};
    st.kind = LayerKind::Stations;
    st.title = "Police stations";
    const std::size_t s_id = st.add_field("id", FieldType::String), s_name = st.add_field("name", FieldType::String);
    const std::size_t s_n = st.add_field("events_nearest", FieldType::Integer);
    const std::size_t s_mean = st.add_field("events_nearest_mean_m", FieldType::Real);
    const std::size_t s_max = st.add_field("events_nearest_max_m", FieldType::Real);
    const MarkerFields sm = add_marker_fields(st);
    auto st_inputs = add_input_fields(st, stations);
    for (std::size_t j = 0; j < stations.features.size(); ++j) {
        const Feature& f = stations.features[j];
        std::vector<Value> row(st.fields.size());
        row[s_id] = f.id;
        row[s_name] = text_or_null(f.name);
        row[s_n] = static_cast<std::int64_t>(nearest.points_served[j]);
        if (nearest.points_served[j] > 0) {  // a station nearest to no event has no distances (null, not 0)
            row[s_mean] = round_to(nearest.mean_m[j], 0.001);
            row[s_max] = round_to(nearest.max_m[j], 0.001);
        }
        row[sm.colour] = std::string(style::kStationColour);
        row[sm.symbol] = std::string("police");
        row[sm.size] = std::string("medium");
        row[sm.title] = f.name.empty() ? "Station " + f.id : f.name;
        row[sm.description] = nearest.points_served[j] == 0 ? std::string("Nearest station for no event")
                                                             : "Nearest station for " + std::to_string(nearest.points_served[j]) +
                                                                   " event(s); farthest " + thousands(nearest.max_m[j]) + " m";
        fill_input_fields(row, st_inputs, f);
        st.rows.push_back(std::move(row));
        st.wkb.push_back(to_wkb(ctx, f.geom.get()));
    }
    return st;
}

// Each area with its coverage at every radius (or break), rank and colour.
OutLayer neighborhoods_layer(const GeosContext& ctx, const Dataset& areas, const Dataset& events, const ProjectedAreas& pareas,
                             const CoverageResult& cov, const EventsInAreas& located, const std::vector<Distance>& radii,
                             const std::vector<bool>* road_access) {
    const bool has_pop = !cov.population.empty();
    const Distance& main_radius = radii.back();  // colours follow the widest break as given last
    OutLayer nb{"neighborhoods", OutGeom::Polygon};
    nb.kind = LayerKind::Areas;
    nb.title = "Neighborhoods";
    nb.value_field = "covered_share" + suffix(radii, main_radius);
    const std::size_t c_id = nb.add_field("id", FieldType::String), c_name = nb.add_field("name", FieldType::String);
    const std::size_t c_area = nb.add_field("area_m2", FieldType::Real);
    std::size_t c_pop = 0;
    if (has_pop) c_pop = nb.add_field("population", FieldType::Real);
    const std::size_t c_inside = nb.add_field("events_inside", FieldType::Integer);
    std::size_t c_road = 0;
    if (road_access) c_road = nb.add_field("road_access", FieldType::Integer, true);
    const std::size_t c_near_id = nb.add_field("nearest_event_id", FieldType::String);
    const std::size_t c_near_m = nb.add_field("nearest_event_m", FieldType::Real);
    struct RadiusCols {
        std::size_t covered, share, pop_cov = 0, pop_unc = 0, rank, under;
    };
    std::vector<RadiusCols> rc;
    for (const auto& r : radii) {
        RadiusCols c{};
        std::string s = suffix(radii, r);
        c.covered = nb.add_field("covered_m2" + s, FieldType::Real);
        c.share = nb.add_field("covered_share" + s, FieldType::Real);
        if (has_pop) {
            c.pop_cov = nb.add_field("population_covered" + s, FieldType::Real);
            c.pop_unc = nb.add_field("population_uncovered" + s, FieldType::Real);
        }
        c.rank = nb.add_field("rank" + s, FieldType::Integer);
        c.under = nb.add_field("underserved" + s, FieldType::Integer, true);
        rc.push_back(c);
    }
    const std::size_t s_fill = nb.add_field("fill", FieldType::String, false, true);
    const std::size_t s_fill_op = nb.add_field("fill-opacity", FieldType::Real, false, true);
    const std::size_t s_stroke = nb.add_field("stroke", FieldType::String, false, true);
    const std::size_t s_stroke_w = nb.add_field("stroke-width", FieldType::Real, false, true);
    const std::size_t s_title = nb.add_field("title", FieldType::String, false, true);
    const std::size_t s_desc = nb.add_field("description", FieldType::String, false, true);
    auto nb_inputs = add_input_fields(nb, areas);

    for (std::size_t i = 0; i < areas.features.size(); ++i) {
        const Feature& f = areas.features[i];
        std::vector<Value> row(nb.fields.size());
        row[c_id] = f.id;
        row[c_name] = text_or_null(f.name);
        row[c_area] = round_to(pareas.area_m2[i], 0.01);
        if (has_pop) row[c_pop] = round_to(cov.population[i], 0.01);
        row[c_inside] = static_cast<std::int64_t>(located.per_area[i]);
        if (road_access) row[c_road] = static_cast<std::int64_t>((*road_access)[i] ? 1 : 0);
        if (cov.nearest_event[i].found) {
            row[c_near_id] = events.features[cov.nearest_event[i].index].id;
            row[c_near_m] = round_to(cov.nearest_event[i].meters, 0.001);
        }
        std::string desc;
        for (std::size_t k = 0; k < radii.size(); ++k) {
            const RadiusResult& rr = cov.per_radius[k];
            double share = pareas.area_m2[i] > 0 ? rr.covered_m2[i] / pareas.area_m2[i] : 0;
            row[rc[k].covered] = round_to(rr.covered_m2[i], 0.01);
            row[rc[k].share] = round_to(std::clamp(share, 0.0, 1.0), 1e-6);
            if (has_pop) {
                row[rc[k].pop_cov] = round_to(rr.population_covered[i], 0.01);
                row[rc[k].pop_unc] = round_to(cov.population[i] - rr.population_covered[i], 0.01);
            }
            row[rc[k].rank] = static_cast<std::int64_t>(rr.rank[i]);
            row[rc[k].under] = static_cast<std::int64_t>(rr.underserved[i] ? 1 : 0);
            desc += (desc.empty() ? "" : "; ") + percent(share, 0) + " within " + radii[k].label;
            if (has_pop) desc += " (" + thousands(rr.population_covered[i]) + " of " + thousands(cov.population[i]) + " residents)";
        }
        const std::size_t km = radii.size() - 1;
        double main_share = pareas.area_m2[i] > 0 ? cov.per_radius[km].covered_m2[i] / pareas.area_m2[i] : 0;
        row[s_fill] = style::coverage_colour(main_share);
        row[s_fill_op] = 0.6;
        row[s_stroke] = std::string(style::kOutline);
        row[s_stroke_w] = 1.0;
        row[s_title] = f.name.empty() ? "Area " + f.id : f.name;
        row[s_desc] = desc + "; " + std::to_string(located.per_area[i]) + " event(s) inside; rank " +
                      std::to_string(cov.per_radius[km].rank[i]) + " of " + std::to_string(areas.features.size()) + " by uncovered " +
                      (has_pop ? "residents" : "area") + " at " + main_radius.label;
        fill_input_fields(row, nb_inputs, f);
        nb.rows.push_back(std::move(row));
        nb.wkb.push_back(to_wkb(ctx, f.geom.get()));
    }
    return nb;
}

// The unreached part of each area, one feature per area and radius (or break).
OutLayer gaps_layer(const ContextPool& pool, const Transform& to_local, const Dataset& areas, const ProjectedAreas& pareas,
                    const CoverageResult& cov, const std::vector<Distance>& radii) {
    const bool has_pop = !cov.population.empty();
    OutLayer gaps{"gaps", OutGeom::Polygon};
    gaps.kind = LayerKind::Gaps;
    gaps.title = "Gaps";
    const std::size_t g_area = gaps.add_field("area_id", FieldType::String), g_name = gaps.add_field("area_name", FieldType::String);
    const std::size_t g_radius = gaps.add_field("radius", FieldType::String), g_radius_m = gaps.add_field("radius_m", FieldType::Real);
    const std::size_t g_m2 = gaps.add_field("gap_m2", FieldType::Real), g_share = gaps.add_field("share_of_area", FieldType::Real);
    std::size_t g_pop = 0;
    if (has_pop) g_pop = gaps.add_field("population", FieldType::Real);
    const std::size_t gs_fill = gaps.add_field("fill", FieldType::String, false, true);
    const std::size_t gs_op = gaps.add_field("fill-opacity", FieldType::Real, false, true);
    const std::size_t gs_stroke = gaps.add_field("stroke", FieldType::String, false, true);
    const std::size_t gs_title = gaps.add_field("title", FieldType::String, false, true);
    const std::size_t gs_desc = gaps.add_field("description", FieldType::String, false, true);
    struct Item {
        std::size_t radius, area;
    };
    std::vector<Item> items;
    for (std::size_t k = 0; k < radii.size(); ++k)
        for (std::size_t i = 0; i < areas.features.size(); ++i)
            if (cov.per_radius[k].gaps[i]) items.push_back({k, i});
    // Back to lon/lat in parallel: PROJ objects are not thread-safe, so threads but the first use a copy.
    gaps.wkb.resize(items.size());
    parallel_for(items.size(), pool.size(), [&](unsigned t) {
        auto copy = t > 0 ? std::make_shared<ThreadTransform>(to_local) : nullptr;
        const Transform& tr = copy ? copy->transform : to_local;
        return [&, t, copy](std::size_t n) {
            const auto [k, i] = items[n];
            GeomPtr g = tr.inverse(pool[t], cov.per_radius[k].gaps[i].get(), "gap of area " + areas.features[i].id);
            gaps.wkb[n] = to_wkb(pool[t], g.get());
        };
    });
    for (const auto& [k, i] : items) {
        const RadiusResult& rr = cov.per_radius[k];
        const Feature& f = areas.features[i];
        std::vector<Value> row(gaps.fields.size());
        row[g_area] = f.id;
        row[g_name] = text_or_null(f.name);
        row[g_radius] = radii[k].label;
        if (radii[k].meters > 0) row[g_radius_m] = radii[k].meters;  // unset for travel-time breaks
        row[g_m2] = round_to(rr.gap_m2[i], 0.01);
        row[g_share] = round_to(pareas.area_m2[i] > 0 ? rr.gap_m2[i] / pareas.area_m2[i] : 0, 1e-6);
        if (has_pop) row[g_pop] = round_to(rr.gap_population[i], 0.01);
        row[gs_fill] = std::string(style::kGapFill);
        row[gs_op] = 0.45;
        row[gs_stroke] = std::string(style::kGapFill);
        row[gs_title] = "Gap beyond " + radii[k].label + ": " + (f.name.empty() ? "area " + f.id : f.name);
        row[gs_desc] = thousands(rr.gap_m2[i]) + " m2 not within " + radii[k].label + " of an event" +
                       (has_pop ? "; about " + thousands(rr.gap_population[i]) + " residents" : "");
        gaps.rows.push_back(std::move(row));
    }
    return gaps;
}

// Network mode: the area reached within each break, dissolved or one per event.
OutLayer service_areas_layer(const GeosContext& ctx, const Transform& to_local, const CoverageJob& job, const std::vector<Distance>& radii,
                             const Dataset& events, const std::string& profile, const ServiceAreas& by_event,
                             const std::vector<Reach>& reach) {
    OutLayer sa{"service_areas", OutGeom::Polygon};
    sa.kind = LayerKind::ServiceAreas;
    sa.title = "Service areas";
    const bool per_event = job.service_areas != "dissolve";
    const std::size_t a_break = sa.add_field("break", FieldType::String), a_limit = sa.add_field("limit", FieldType::Real);
    const std::size_t a_unit = sa.add_field("unit", FieldType::String);
    std::size_t a_event = 0, a_event_name = 0;
    if (per_event) {
        a_event = sa.add_field("event_id", FieldType::String);
        a_event_name = sa.add_field("event_name", FieldType::String);
    }
    const std::size_t a_m2 = sa.add_field("area_m2", FieldType::Real);
    const std::size_t a_fill = sa.add_field("fill", FieldType::String, false, true), a_op = sa.add_field("fill-opacity", FieldType::Real, false, true);
    const std::size_t a_title = sa.add_field("title", FieldType::String, false, true);
    auto add = [&](std::size_t k, const GEOSGeometry* local, long event) {
        std::vector<Value> row(sa.fields.size());
        row[a_break] = radii[k].label;
        row[a_limit] = job.minutes.empty() ? radii[k].meters : job.minutes[k];
        row[a_unit] = std::string(job.minutes.empty() ? "m" : "min");
        row[a_m2] = round_to(area(ctx, local), 0.01);
        row[a_fill] = std::string("#3182bd");
        row[a_op] = 0.25;
        std::string who = "an event";
        if (event >= 0) {
            const Feature& f = events.features[static_cast<std::size_t>(event)];
            row[a_event] = f.id;
            row[a_event_name] = text_or_null(f.name);
            who = f.name.empty() ? "event " + f.id : f.name;
        }
        row[a_title] = "Within " + radii[k].label + " of " + who + " (" + profile + ")";
        sa.rows.push_back(std::move(row));
        sa.wkb.push_back(to_wkb(ctx, to_local.inverse(ctx, local, "service area").get()));
    };
    for (std::size_t k = 0; k < radii.size(); ++k) {
        if (per_event) {
            for (const auto& [e, poly] : by_event.by_event[k]) add(k, poly.get(), static_cast<long>(e));
            continue;
        }
        std::vector<GeomPtr> parts;
        for (const auto& p : reach[k].pieces)
            if (p) parts.push_back(clone(ctx, p.get()));
        if (parts.empty()) continue;
        GeomPtr all = collect(ctx, GEOS_MULTIPOLYGON, std::move(parts));
        add(k, all.get(), -1);
    }
    return sa;
}

}  // namespace

nlohmann::json run_coverage(const CoverageJob& job, Log& log, std::vector<OutLayer>* layers) {
    Study study(log, job.threads);
    return coverage_stage(job, study, layers).summary;
}

nlohmann::json run_coverage(const CoverageJob& job, Study& study, std::vector<OutLayer>* layers) {
    return coverage_stage(job, study, layers).summary;
}

CoverageOutcome coverage_stage(const CoverageJob& job, Study& study, std::vector<OutLayer>* layers_out) {
    Log& log = study.log();
    const auto started = std::chrono::steady_clock::now();
    // Wall-clock seconds per phase, reported in summary.json.
    nlohmann::json phases = nlohmann::json::object();
    auto lap = started;
    auto phase_done = [&](const char* name) {
        auto now = std::chrono::steady_clock::now();
        phases[name] = round_to(std::chrono::duration<double>(now - lap).count(), 0.001);
        lap = now;
    };
    const bool by_network = !job.network.path.empty();
    if (job.service_areas != "dissolve" && !by_network) throw_usage("--service-areas needs --network");
    if (!by_network && job.network.profile_given) throw_usage("--profile needs --network (a road network to travel on)");
    if (!job.minutes.empty() && !by_network) throw_usage("--minutes needs --network (travel time is measured along streets)");
    CoverageOptions options = job.options;
    if (by_network && !job.minutes.empty()) {
        // Breaks named by their minutes ("10min"); the radius value is unused with a network.
        options.radii.clear();
        for (double m : job.minutes) {
            if (!(m > 0)) throw_usage("--minutes: expected positive numbers, e.g. 5,10,15");
            char label[32];
            std::snprintf(label, sizeof label, "%gmin", m);
            options.radii.push_back({0.0, label});
        }
    }
    if (options.radii.empty()) throw_usage("--radius: at least one radius is required, e.g. --radius 800m (or --minutes with --network)");
    if (!(job.options.min_coverage >= 0 && job.options.min_coverage <= 1))
        throw_usage("--min-coverage: expected a share between 0 and 1, e.g. 0.5");

    if (!job.report_title.empty() && !job.report) throw_usage("--title needs --report (it is the title of report.html)");
    if (!job.basemap_url.empty()) {
        if (!job.report) throw_usage("--basemap needs --report (it is the background of report.html)");
        basemap_origin(job.basemap_url);
    }
    // Without an output folder the stage computes only (library callers, in-memory studies).
    const bool writing = !job.out_dir.empty();
    if (writing) refuse_output_over_inputs(job.out_dir, {job.areas.path, job.events.path, job.stations.path, job.population.path, job.network.path, job.equity.incidents.path});
    std::optional<OutputDir> out;
    if (writing) out.emplace(job.out_dir);  // fails early when the folder cannot be written
    const unsigned threads = study.threads();
    const ContextPool& pool = study.pool();
    const GeosContext& ctx = pool.main();
    ProjContext pctx;

    log.info("reading inputs");
    // Inputs not read by an earlier stage are read side by side.
    std::vector<Study::Request> inputs{{&job.areas, GeomKind::Area, "areas"}, {&job.events, GeomKind::Point, "events"}};
    if (!job.stations.path.empty()) inputs.push_back({&job.stations, GeomKind::Point, "stations"});
    study.read_all(inputs);
    const Dataset& areas = study.dataset(job.areas, GeomKind::Area, "areas");
    const Dataset& events_in = study.dataset(job.events, GeomKind::Point, "events");
    const Dataset* stations_in = job.stations.path.empty() ? nullptr : &study.dataset(job.stations, GeomKind::Point, "stations");

    // Centred on the areas, so that a far-off event or station cannot move the projection; a
    // partition of a distributed study is given the whole study's areas' extent instead.
    const std::vector<double>& given = job.projection_extent;
    LocalProjection projection = given.size() == 4 ? choose_local_projection(given[0], given[1], given[2], given[3])
                                                   : projection_for_areas(ctx, areas);
    Transform to_local(pctx, kWgs84LonLat, projection.proj_string());
    const Dataset* pop_ds = nullptr;
    PopulationSource population = load_population(job, areas, study, to_local, pop_ds);
    load_groups(job.equity.groups, areas, pop_ds, population, log);

    phase_done("read");
    log.info("projecting " + std::to_string(areas.features.size()) + " areas and " + std::to_string(events_in.features.size()) + " events");
    ProjectedAreas pareas = project_areas(pool, to_local, areas, threads);
    // Events and stations far beyond the areas are set aside: reported, kept with status far_off, reaching no one.
    const Box extent = areas_extent(pareas);
    const ProjectedPoints pevents_in = project_points(ctx, to_local, events_in);
    // Population points far beyond the areas lie in none of them: reported, counted, and left
    // out of the population layer (so that they do not count as people outside every area).
    ProjectedPoints ppop;
    FarOff far_pop;
    if (pop_ds && population.layer_is_points) {
        ppop = project_points(ctx, to_local, *pop_ds);
        far_pop = find_far_off(ppop, extent, job.max_offset_m, to_local);
        report_far_off(log, *pop_ds, far_pop, ppop, job.max_offset_m, "--population-crs",
                       "They lie in no area and are left out of the population (counted in summary.json)");
        if (far_pop.count) keep_population_points(population, far_pop.kept);
    }
    const FarOff far_events = find_far_off(pevents_in, extent, job.max_offset_m, to_local);
    report_far_off(log, events_in, far_events, pevents_in, job.max_offset_m, "--events-crs");
    const Dataset kept_events = far_events.count ? kept_dataset(ctx, events_in, far_events) : Dataset{};
    const Dataset& events = far_events.count ? kept_events : events_in;
    ProjectedPoints pevents = far_events.count ? kept_points(pevents_in, far_events) : pevents_in;
    std::optional<ProjectedPoints> pstations_in;
    FarOff far_stations;
    Dataset kept_stations;
    const Dataset* stations = stations_in;
    if (stations_in) {
        pstations_in = project_points(ctx, to_local, *stations_in);
        far_stations = find_far_off(*pstations_in, extent, job.max_offset_m, to_local);
        report_far_off(log, *stations_in, far_stations, *pstations_in, job.max_offset_m, "--stations-crs");
        if (far_stations.count) {
            kept_stations = kept_dataset(ctx, *stations_in, far_stations);
            stations = &kept_stations;
        }
    }
    const ProjectedPoints pstations = !stations_in ? ProjectedPoints{} : far_stations.count ? kept_points(*pstations_in, far_stations) : *pstations_in;
    widen_for(projection, pevents, log);
    widen_for(projection, pstations, log);
    phase_done("project");
    // Network reach: service areas from the events' positions on the street graph.
    const Network* net = nullptr;
    std::vector<Snapped> event_snap;
    std::vector<Reach> network_reach;
    ServiceAreas areas_by_event;
    std::vector<bool> road_access;
    if (by_network) {
        net = &study.network(job.network, false);
        const Graph& g = net->graph;
        std::vector<XY> shape_xy(g.shape_lon.size());
        {
            std::vector<double> x = g.shape_lon, y = g.shape_lat;
            if (!to_local.forward_many(x, y)) throw_input(job.network.path + ": road coordinates cannot be projected");
            for (std::size_t i = 0; i < x.size(); ++i) shape_xy[i] = {x[i], y[i]};
        }
        PointSet event_points{pevents.lonlat, {}, "event"};
        for (const Feature& f : events.features) event_points.ids.push_back(f.id);
        event_snap = snap_points(Snapper(g), event_points, job.max_snap_m, log, "reach no one by the network");
        ServiceAreaOptions so;
        so.metric = job.minutes.empty() ? Metric::Distance : Metric::Duration;
        for (std::size_t k = 0; k < options.radii.size(); ++k)
            so.limits.push_back(job.minutes.empty() ? options.radii[k].meters : job.minutes[k] * 60.0);
        so.trim_m = job.trim_m;
        if (job.service_areas == "per-event") so.mode = ServiceAreaMode::PerEvent;
        else if (job.service_areas == "split") so.mode = ServiceAreaMode::Split;
        else if (job.service_areas != "dissolve") throw_usage("--service-areas: '" + job.service_areas + "'; expected dissolve, per-event or split");
        areas_by_event = service_areas(pool, g, shape_xy, event_snap, so, log);
        network_reach = std::move(areas_by_event.reach);
        road_access = areas_with_roads(pool, g, shape_xy, pareas, job.trim_m);
        std::size_t without = std::count(road_access.begin(), road_access.end(), false);
        if (without) log.warn(std::to_string(without) + " area(s) have no routable " + g.profile + " road within " + std::to_string(std::lround(job.trim_m)) +
                              " m: no event can reach them over the network (field road_access = false)");
        phase_done("network");
    }
    // Straight lines: the events' Voronoi cells take one thread a while; they are built in the background.
    std::unique_ptr<EventCells> cells;
    if (!by_network) {
        double r_max = 0;
        for (const Distance& r : options.radii) r_max = std::max(r_max, r.meters);
        cells = std::make_unique<EventCells>(pareas, pevents, r_max, projection.scale_bound());
    }
    // Where each event lies and its nearest station do not depend on the coverage: their
    // layers are written in the background while the coverage is computed.
    const EventsInAreas located = locate_events(pool, pareas, pevents);
    std::unique_ptr<NearestFacility> nearest_station;
    if (stations) {
        nearest_station = std::make_unique<NearestFacility>(nearest_facilities(pool, pevents, pstations, projection.scale_bound()));
    }
    OutLayer ev = events_layer(ctx, events, areas, located, stations, nearest_station.get(), by_network ? &event_snap : nullptr, job.max_snap_m);
    if (far_events.count) append_far_off(ev, ctx, events_in, far_events);
    OutLayer st{"stations", OutGeom::Point};
    if (stations) st = stations_layer(ctx, *stations, *nearest_station);
    if (far_stations.count) append_far_off(st, ctx, *stations_in, far_stations);
    // Declared before the writer, which may still be writing them should an error unwind the stack.
    OutLayer nb{"neighborhoods", OutGeom::Polygon}, gaps{"gaps", OutGeom::Polygon}, sa{"service_areas", OutGeom::Polygon};
    OutLayer dropped{"dropped_roads", OutGeom::Line};
    std::vector<OutLayer> backdrop_layers_out;  // the extract's streets, water and parks (GeoPackage only)
    std::optional<LayerWriter> writer;
    if (writing) writer.emplace(*out, job.formats, "nightout.gpkg", job.out_crs);
    if (writer) writer->add(ev);
    if (writer && stations) writer->add(st);
    phase_done("events_and_stations");

    CoverageResult cov = compute_coverage(pool, pareas, pevents, projection, population, options, log, cells.get(), by_network ? &network_reach : nullptr);
    phase_done("coverage");

    const auto& radii = options.radii;
    const bool has_pop = !cov.population.empty();
    // Each layer starts writing as soon as it is built.
    nb = neighborhoods_layer(ctx, areas, events, pareas, cov, located, radii, by_network ? &road_access : nullptr);
    std::optional<api::EquityResult> equity;
    if (job.equity.any()) {
        equity = equity_stage(job.equity, {&pool, &pareas, &pevents, &areas, &to_local, &cov, radii, by_network, pop_ds != nullptr, projection.scale_bound()}, study);
        add_equity_fields(nb, *equity, job.equity.groups, radii);
        phase_done("equity");
    }
    if (writer) writer->add(nb);
    gaps = gaps_layer(pool, to_local, areas, pareas, cov, radii);
    if (writer) writer->add(gaps);
    if (by_network) {
        sa = service_areas_layer(ctx, to_local, job, radii, events, net->graph.profile, areas_by_event, network_reach);
        if (writer) writer->add(sa);
        if (job.dropped_roads) {
            dropped = dropped_roads_layer(ctx, net->graph);
            if (writer) writer->add(dropped);
        }
    }
    phase_done("layers");
    // The study's streets from an OpenStreetMap extract: under report.html's layers, and the
    // backdrop of the GeoPackage and its QGIS project.
    const bool has_gpkg = writing && std::count(job.formats.begin(), job.formats.end(), Format::GeoPackage) > 0;
    const Backdrop backdrop = (writing && job.report) || has_gpkg ? study_backdrop(job.network.path, {&nb}) : Backdrop{};
    if (has_gpkg) backdrop_layers_out = backdrop_layers(backdrop);
    for (const OutLayer& l : backdrop_layers_out) writer->add_to_geopackage(l);
    phase_done("backdrop");
    std::vector<std::string> files;
    if (writing) {
        log.info("writing outputs");
        write_csv(nb, out->file("neighborhoods.csv"));
        files = writer->finish();
        files.push_back("neighborhoods.csv");
        if (rejected_count({&areas, &events_in, stations_in, pop_ds})) {
            write_rejected({&areas, &events_in, stations_in, pop_ds}, out->file("rejected.csv"), study.shown(out->file("rejected.csv")));
            files.push_back("rejected.csv");
        }
        files.push_back("summary.json");
    }
    phase_done("write_layers");

    // summary.json
    nlohmann::json summary;
    summary["tool"] = "nightout";
    summary["command"] = "coverage";
    summary["distance"] = by_network ? (job.minutes.empty() ? "network distance" : "network travel time") : "straight-line";
    if (by_network) {
        const Graph& g = net->graph;
        summary["network"] = {{"source", g.source}, {"profile", g.profile}, {"nodes", g.nodes()}, {"edges", g.edges()},
                              {"trim_m", job.trim_m}, {"max_snap_m", job.max_snap_m},
                              {"events_off_network", std::count_if(event_snap.begin(), event_snap.end(), [](const Snapped& s) { return !s.ok; })},
                              {"events_cut_off", std::count_if(event_snap.begin(), event_snap.end(), [](const Snapped& s) { return !s.ok && s.cut_off; })},
                              {"dropped_edges", g.dropped_edges},
                              {"areas_without_roads", std::count(road_access.begin(), road_access.end(), false)}};
    }
    summary["inputs"]["areas"] = describe_input(areas);
    summary["inputs"]["events"] = describe_input(events_in);
    if (stations_in) summary["inputs"]["stations"] = describe_input(*stations_in);
    summary["far_off"] = {{"max_offset_m", job.max_offset_m}, {"events", far_off_json(events_in, far_events, pevents_in)}};
    if (stations_in) summary["far_off"]["stations"] = far_off_json(*stations_in, far_stations, *pstations_in);
    if (pop_ds && population.layer_is_points) summary["far_off"]["population"] = far_off_json(*pop_ds, far_pop, ppop);
    summary["rejected_rows"] = rejected_json({&areas, &events_in, stations_in, pop_ds});
    if (pop_ds) summary["inputs"]["population"] = describe_input(*pop_ds);
    auto& params = summary["parameters"];
    for (std::size_t k = 0; k < radii.size(); ++k) {
        if (by_network && !job.minutes.empty()) params["breaks"].push_back({{"label", radii[k].label}, {"minutes", job.minutes[k]}});
        else params["radii"].push_back({{"label", radii[k].label}, {"meters", radii[k].meters}});
    }
    params["min_coverage"] = options.min_coverage;
    params["population_field"] = job.population_field.empty() ? nlohmann::json(nullptr) : nlohmann::json(job.population_field);
    params["population_model"] = !has_pop ? "none" : pop_ds ? "areal interpolation from a population layer" : "uniform density within each area";
    params["buffer_vertices"] = 4 * job.options.quadrant_segments;
    params["projection"] = {{"method", "Lambert azimuthal equal-area on WGS84"},
                            {"proj", projection.proj_string()},
                            {"max_scale_error", projection.scale_bound() - 1.0}};
    params["formats"] = nlohmann::json::array();
    for (Format f : job.formats) params["formats"].push_back(format_key(f));
    params["threads"] = threads;

    api::CoverageResult result;
    api::CoverageTotals& totals = result.totals;
    const double total_area = std::accumulate(pareas.area_m2.begin(), pareas.area_m2.end(), 0.0);
    const double total_pop = has_pop ? std::accumulate(cov.population.begin(), cov.population.end(), 0.0) : 0.0;
    totals.areas = areas.features.size();
    totals.events = events.features.size();
    totals.events_outside_areas = static_cast<std::size_t>(std::count(located.area_of_event.begin(), located.area_of_event.end(), -1L));
    totals.areas_without_events = static_cast<std::size_t>(std::count(located.per_area.begin(), located.per_area.end(), 0));
    totals.area_m2 = round_to(total_area, 0.01);
    if (has_pop) totals.population = round_to(total_pop, 0.01);
    for (std::size_t k = 0; k < radii.size(); ++k) {
        const RadiusResult& rr = cov.per_radius[k];
        const double covered = std::accumulate(rr.covered_m2.begin(), rr.covered_m2.end(), 0.0);
        api::CoverageBreak b;
        b.label = radii[k].label;
        if (radii[k].meters > 0) b.meters = radii[k].meters;
        if (by_network && !job.minutes.empty()) b.minutes = job.minutes[k];
        b.covered_m2 = round_to(covered, 0.01);
        b.covered_share = total_area > 0 ? round_to(covered / total_area, 1e-6) : 0.0;
        b.underserved_areas = static_cast<std::size_t>(std::count(rr.underserved.begin(), rr.underserved.end(), true));
        b.gap_polygons = static_cast<std::size_t>(std::count_if(rr.gaps.begin(), rr.gaps.end(), [](const GeomPtr& g) { return g != nullptr; }));
        if (has_pop) {
            const double pc = std::accumulate(rr.population_covered.begin(), rr.population_covered.end(), 0.0);
            b.population_covered = round_to(pc, 0.01);
            b.population_uncovered = round_to(total_pop - pc, 0.01);
            b.population_share = total_pop > 0 ? round_to(pc / total_pop, 1e-6) : 0.0;
        }
        totals.breaks.push_back(std::move(b));
    }
    if (stations) {
        totals.stations = stations->features.size();
        double sum = 0, mx = 0;
        for (const auto& n : nearest_station->of_point) {
            sum += n.meters;
            mx = std::max(mx, n.meters);
        }
        totals.event_to_nearest_station_mean_m = round_to(events.features.empty() ? 0 : sum / events.features.size(), 0.001);
        totals.event_to_nearest_station_max_m = round_to(mx, 0.001);
    }
    summary["totals"] = to_json(totals);
    if (equity) {
        summary["equity"] = to_json(*equity, job.equity.groups);
        if (writing && !equity->breaks.empty()) {
            write_equity_csv(*equity, totals.breaks, out->file("equity.csv").string(), study.shown(job.out_dir) + "/equity.csv");
            files.insert(files.end() - 1, "equity.csv");
        }
        result.equity = std::move(*equity);
    }
    // Each area's figures, per break.
    result.areas.resize(areas.features.size());
    for (std::size_t i = 0; i < areas.features.size(); ++i) {
        api::AreaCoverage& a = result.areas[i];
        a.id = areas.features[i].id;
        a.name = areas.features[i].name;
        a.area_m2 = pareas.area_m2[i];
        if (has_pop) a.population = cov.population[i];
        for (std::size_t k = 0; k < radii.size(); ++k) {
            const RadiusResult& rr = cov.per_radius[k];
            a.covered_m2.push_back(rr.covered_m2[i]);
            a.covered_share.push_back(a.area_m2 > 0 ? rr.covered_m2[i] / a.area_m2 : 0.0);
            if (has_pop) a.population_covered.push_back(rr.population_covered[i]);
            a.underserved.push_back(rr.underserved[i]);
        }
    }
    phase_done("summary");
    std::vector<const OutLayer*> shown{&nb, &gaps, &ev};
    if (by_network) shown.push_back(&sa);
    if (stations) shown.push_back(&st);
    const std::string title = job.report_title.empty() ? "Event coverage: " + std::filesystem::path(job.areas.path).filename().string() : job.report_title;
    if (has_gpkg) {
        std::vector<const OutLayer*> in_gpkg = shown;
        for (const OutLayer& l : backdrop_layers_out) in_gpkg.push_back(&l);
        write_qgis_project(qgis_project_of(coverage_report(shown, summary, title), in_gpkg, job.out_crs), out->file("nightout.qgs"));
        files.insert(files.end() - 1, "nightout.qgs");
    }
    if (writing && job.report) {
        Report report = coverage_report(shown, summary, title);
        add_backdrop(report, backdrop);
        report.basemap_url = job.basemap_url;
        report.basemap_attribution = job.basemap_attribution;
        write_report(report, out->file("report.html"));
        files.insert(files.end() - 1, "report.html");
        phase_done("report");
    }
    summary["phases_s"] = phases;
    if (writing) {
        commit_with_summary(*out, summary, files, log, std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
        log.info("wrote " + std::to_string(files.size()) + " files to " + study.shown(job.out_dir));
    }
    if (layers_out)
        for (OutLayer* l : {&nb, &gaps, &ev, &sa, &st})
            if ((l != &sa || by_network) && (l != &st || stations)) layers_out->push_back(std::move(*l));
    result.warnings = log.warnings();
    result.summary_json = summary.dump();
    return {std::move(result), std::move(summary)};
}

}  // namespace nightout
