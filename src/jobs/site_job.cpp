#include "jobs/site_job.hpp"

#include "analyse/far_off.hpp"
#include "core/output_paths.hpp"

#include "engine/results_json.hpp"
#include "equity/site_weights.hpp"

#include "jobs/report.hpp"

#include "analyse/coverage.hpp"
#include "analyse/study.hpp"
#include "analyse/travel.hpp"
#include "core/error.hpp"
#include "core/parallel.hpp"
#include "core/text.hpp"
#include "network/network.hpp"
#include "network/table.hpp"
#include "site/orlib.hpp"
#include "site/problem.hpp"
#include "write/output_dir.hpp"
#include "write/style.hpp"

#include <cerrno>
#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <limits>
#include <numeric>

namespace nightout {

namespace {

using Clock = std::chrono::steady_clock;
constexpr double kInf = std::numeric_limits<double>::infinity();
// Above this many demand x candidate pairs the matrix (and the solver's sorted copy) outgrows memory.
constexpr std::size_t kMaxPairs = 25'000'000;

constexpr const char* kNewSiteColour = "#1a9850";

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }



// One demand point: an input point, an area's representative point, or a grid cell's.
struct DemandPoint {
    std::size_t feature;  // index in the demand dataset
    std::string id;
    LonLat lonlat;
    double weight;
    double share = 1;  // of its feature's people (grid cells: the cell's part of the area)
};

// A demand point that left the problem because it lies off the road network: its people stay
// in the base of every share (they are not reached), its snap says why.
struct OffNetworkDemand {
    std::size_t feature;
    double weight;
    Snapped snap;
    double share = 1;  // of its feature's people
};

// A candidate or required site.
struct SitePoint {
    const Dataset* ds;
    std::size_t feature;
    std::string source;  // file stem: "parks", "events"
    bool required;
    LonLat lonlat;
};

// Cells of a grid anchored at the projection's origin (so neighbours share edges),
// clipped to each area; each piece gets the area's population in proportion to its area.
std::vector<DemandPoint> grid_demand(const ContextPool& pool, const Transform& to_local, const Dataset& areas, const ProjectedAreas& pareas,
                                     const std::vector<double>& population, double cell, unsigned threads, Log& log) {
    const std::size_t n = areas.features.size();
    struct Piece {
        XY xy;
        double share;
    };
    std::vector<std::vector<Piece>> pieces(n);
    Progress progress(log, "demand grid", n);
    parallel_for(n, threads, [&](unsigned t) {
        return [&, t](std::size_t i) {
            const GeosContext& ctx = pool[t];
            const GEOSGeometry* g = pareas.geoms[i].get();
            const Box& b = pareas.boxes[i];
            const double a = pareas.area_m2[i];
            PreparedPtr prepared = prepare(ctx, g);
            for (double x = std::floor(b.xmin / cell) * cell; x < b.xmax; x += cell) {
                for (double y = std::floor(b.ymin / cell) * cell; y < b.ymax; y += cell) {
                    GeomPtr rect = own(ctx, GEOSGeom_createRectangle_r(ctx, x, y, x + cell, y + cell), "grid cell");
                    if (GEOSPreparedIntersects_r(ctx, prepared.get(), rect.get()) != 1) continue;
                    GeomPtr part = GEOSPreparedContains_r(ctx, prepared.get(), rect.get()) == 1
                                       ? std::move(rect)
                                       : own(ctx, GEOSIntersection_r(ctx, g, rect.get()), "grid cell intersection");
                    const double pa = area(ctx, part.get());
                    if (!(pa > 0)) continue;
                    GeomPtr rep = own(ctx, GEOSPointOnSurface_r(ctx, part.get()), "point on surface");
                    if (GEOSGeomTypeId_r(ctx, part.get()) == GEOS_POLYGON) rep = representative_point(ctx, part.get());
                    Piece piece{};
                    point_xy(ctx, rep.get(), piece.xy.x, piece.xy.y);
                    piece.share = a > 0 ? pa / a : 0;
                    pieces[i].push_back(piece);
                }
            }
            progress.tick();
        };
    });
    std::vector<DemandPoint> out;
    for (std::size_t i = 0; i < n; ++i) {
        if (pieces[i].empty()) {  // a sliver thinner than floating-point noise: keep its representative point
            out.push_back({i, areas.features[i].id, pareas.rep_lonlat[i], population[i]});
            continue;
        }
        // Shares are renormalised so that each area's cells add up to its population exactly.
        double total = 0;
        for (const Piece& p : pieces[i]) total += p.share;
        for (std::size_t c = 0; c < pieces[i].size(); ++c) {
            LonLat ll{pieces[i][c].xy.x, pieces[i][c].xy.y};
            if (!to_local.inverse(ll.lon, ll.lat)) throw_input(areas.path + ": " + areas.features[i].where + ": a grid cell cannot be projected back");
            out.push_back({i, areas.features[i].id + "/" + std::to_string(c + 1), ll, total > 0 ? population[i] * pieces[i][c].share / total : 0,
                           total > 0 ? pieces[i][c].share / total : 0});
        }
    }
    return out;
}

// Nearest open site cost per demand row, over `cols` (column indices).
std::vector<double> nearest(const site::Problem& p, const std::vector<int>& cols) {
    std::vector<double> d(p.cost.rows(), kInf);
    for (int j : cols)
        for (std::size_t i = 0; i < p.cost.rows(); ++i) d[i] = std::min(d[i], p.cost.at(i, j));
    return d;
}

std::string describe_objective(site::Model m, double v, double total_weight, const std::string& unit) {
    char buf[160];
    switch (m) {
    case site::Model::MCLP:
        std::snprintf(buf, sizeof buf, "%s people covered (%.1f%%)", thousands(v).c_str(), total_weight > 0 ? 100 * v / total_weight : 0);
        break;
    case site::Model::LSCP: std::snprintf(buf, sizeof buf, "%.0f new site(s)", v); break;
    case site::Model::PMedian:
        std::snprintf(buf, sizeof buf, "%s person-%s in total (mean %.0f %s per person)", thousands(v).c_str(), unit.c_str(),
                      total_weight > 0 ? v / total_weight : 0, unit.c_str());
        break;
    case site::Model::PCenter: std::snprintf(buf, sizeof buf, "worst %s %.0f %s", unit == "s" ? "travel time" : "distance", v, unit.c_str()); break;
    }
    return buf;
}

std::string objective_name(site::Model m) {
    switch (m) {
    case site::Model::MCLP: return "covered_demand";
    case site::Model::LSCP: return "new_sites";
    case site::Model::PMedian: return "total_weighted_cost";
    case site::Model::PCenter: return "max_cost";
    }
    return "?";
}

// Weight of demand rows within the reach.
double evaluate_covered(const site::Problem& p, const std::vector<double>& d, double R) {
    double c = 0;
    for (std::size_t i = 0; i < d.size(); ++i)
        if (d[i] <= R) c += p.weight[i];
    return c;
}

// "60%" for messages.
std::string share_text(double v, int decimals = 1) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*f%%", decimals, 100 * v);
    return buf;
}

nlohmann::json optional_number(const std::optional<double>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); }

}  // namespace

double parse_share(const std::string& text, const std::string& what) {
    std::string s;
    for (char c : text)
        if (c != ' ') s += c;
    const bool percent = !s.empty() && s.back() == '%';
    if (percent) s.pop_back();
    double v = 0;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc() || ptr != s.data() + s.size() || !std::isfinite(v))
        throw_usage(what + ": '" + text + "' is not a share; expected e.g. 95% or 0.95");
    if (percent) v /= 100;
    if (!(v > 0 && v <= 1)) throw_usage(what + ": '" + text + "' is outside (0, 100%]; expected e.g. 95% or 0.95");
    return v;
}

namespace {

// Costs over the road network (travel time or street distance) from each demand point to each
// site, row-major. The graph is one strongly connected component, so only points off the network
// lack routes: such demand points and sites leave the problem (dpoints and sites shrink) and are
// reported. Returns what summary.json says of the network.
nlohmann::json network_costs(const SiteJob& job, bool by_time, std::vector<DemandPoint>& dpoints, std::vector<SitePoint>& sites,
                             std::vector<double>& costs, Study& study, std::vector<OffNetworkDemand>& off_demand) {
    Log& log = study.log();
    const unsigned threads = study.threads();
    std::vector<LonLat> from, to;
    for (const auto& d : dpoints) from.push_back(d.lonlat);
    for (const auto& s : sites) to.push_back(s.lonlat);
    nlohmann::json network_info;
    const Network& net = study.network(job.network, by_time && dpoints.size() >= 64 && sites.size() >= 64);
    log.info("cost matrix: " + std::to_string(dpoints.size()) + " demand points x " + std::to_string(sites.size()) + " sites (network " +
             (by_time ? "travel time" : "distance") + ", " + net.graph.profile + ")");
    PointSet dset{from, {}, "demand"}, sset{to, {}, "site"};
    for (const auto& d : dpoints) dset.ids.push_back(d.id);
    for (const auto& s : sites) sset.ids.push_back(s.ds->features[s.feature].id);
    TravelTable table = travel_table(net, by_time ? Metric::Duration : Metric::Distance, dset, sset, job.max_snap_m, threads, log);
    std::vector<std::size_t> keep_rows, keep_cols;
    std::vector<std::string> lost_required;
    double lost_weight = 0;
    for (std::size_t i = 0; i < dpoints.size(); ++i) {
        if (table.from[i].ok) keep_rows.push_back(i);
        else lost_weight += dpoints[i].weight, off_demand.push_back({dpoints[i].feature, dpoints[i].weight, table.from[i], dpoints[i].share});
    }
    for (std::size_t j = 0; j < sites.size(); ++j) {
        if (table.to[j].ok) keep_cols.push_back(j);
        else if (sites[j].required) lost_required.push_back(sset.ids[j]);
    }
    if (!lost_required.empty())
        log.warn(std::to_string(lost_required.size()) + " required site(s) lie off the road network and cannot serve anyone: " + lost_required.front() +
                 (lost_required.size() > 1 ? ", ..." : ""));
    if (keep_rows.empty()) throw_input(job.demand.path + ": no demand point lies within " + std::to_string(static_cast<long>(job.max_snap_m)) + " m of a road of " + job.network.path);
    costs.reserve(keep_rows.size() * keep_cols.size());
    for (std::size_t i : keep_rows)
        for (std::size_t j : keep_cols) costs.push_back(table.at(i, j));
    std::vector<DemandPoint> kept_d;
    for (std::size_t i : keep_rows) kept_d.push_back(dpoints[i]);
    std::vector<SitePoint> kept_s;
    for (std::size_t j : keep_cols) kept_s.push_back(sites[j]);
    network_info = {{"path", job.network.path},
                    {"profile", net.graph.profile},
                    {"nodes", net.graph.nodes()},
                    {"edges", net.graph.edges()},
                    {"method", table.method},
                    {"max_snap_m", job.max_snap_m},
                    {"off_network_demand_points", dpoints.size() - kept_d.size()},
                    {"off_network_demand", round_to(lost_weight, 0.01)},
                    {"off_network_demand_cut_off", round_to(std::accumulate(off_demand.begin(), off_demand.end(), 0.0,
                                                                            [](double a, const OffNetworkDemand& o) { return o.snap.cut_off ? a + o.weight : a; }),
                                                            0.01)},
                    {"off_network_sites", sites.size() - kept_s.size()},
                    {"off_network_sites_cut_off", std::count_if(table.to.begin(), table.to.end(), [](const Snapped& t) { return !t.ok && t.cut_off; })}};
    dpoints = std::move(kept_d);
    sites = std::move(kept_s);
    return network_info;
}

// Field names say what the costs are: "distance_m" or, for travel times, "time_s".
std::string cost_field(std::string name, bool by_time) {
    if (!by_time) return name;
    name.replace(name.find("distance"), 8, "time");
    name.back() = 's';
    return name;
}

// What the output layers are made from, once the sites are chosen.
struct SiteOutputs {
    const GeosContext& ctx;
    const SiteJob& job;
    const Dataset& demand;
    const std::vector<DemandPoint>& dpoints;
    const std::vector<SitePoint>& sites;
    const site::Problem& problem;
    const std::vector<int>& alloc;  // per demand point: its site (column), -1 when none
    bool by_time, has_radius, areas;
    double R;  // the coverage threshold in the cost's unit (0 without one)
    std::string reach_label, unit;
    const std::vector<OffNetworkDemand>* off_demand = nullptr;  // with a network: demand left out, and why
    double max_snap_m = 0;
    const FarOff* far_demand = nullptr;  // demand points far beyond the others: left out of the problem and of every base
};

// A line from each demand point to the site serving it.
OutLayer allocation_layer(const SiteOutputs& o) {
    const GeosContext& ctx = o.ctx;
    const Dataset& demand = o.demand;
    const std::vector<DemandPoint>& dpoints = o.dpoints;
    const std::vector<SitePoint>& sites = o.sites;
    const site::Problem& problem = o.problem;
    const std::vector<int>& alloc = o.alloc;
    const bool has_radius = o.has_radius;
    const double R = o.R;
    OutLayer al{"allocation", OutGeom::Line};
    al.kind = LayerKind::Allocation;
    al.title = "Allocation (demand to site)";
    const std::size_t a_demand = al.add_field("demand_id", FieldType::String), a_area = al.add_field("demand_name", FieldType::String);
    const std::size_t a_site = al.add_field("site_id", FieldType::String), a_site_name = al.add_field("site_name", FieldType::String);
    const std::size_t a_status = al.add_field("site_status", FieldType::String);
    const std::size_t a_weight = al.add_field("demand", FieldType::Real), a_dist = al.add_field(cost_field("distance_m", o.by_time), FieldType::Real);
    std::size_t a_cov = 0;
    if (has_radius) a_cov = al.add_field("covered", FieldType::Integer, true);
    const std::size_t as_stroke = al.add_field("stroke", FieldType::String, false, true);
    const std::size_t as_width = al.add_field("stroke-width", FieldType::Real, false, true);
    for (std::size_t i = 0; i < dpoints.size(); ++i) {
        const int j = alloc[i];
        if (j < 0) continue;
        const Feature& f = sites[j].ds->features[sites[j].feature];
        std::vector<Value> row(al.fields.size());
        row[a_demand] = dpoints[i].id;
        row[a_area] = text_or_null(demand.features[dpoints[i].feature].name);
        row[a_site] = f.id;
        row[a_site_name] = text_or_null(f.name);
        row[a_status] = std::string(sites[j].required ? "existing" : "new");
        row[a_weight] = round_to(problem.weight[i], 0.01);
        row[a_dist] = round_to(problem.cost.at(i, j), 0.001);
        const bool covered = problem.cost.at(i, j) <= R;
        if (has_radius) row[a_cov] = static_cast<std::int64_t>(covered ? 1 : 0);
        row[as_stroke] = std::string(!has_radius || covered ? "#4d4d4d" : style::kGapFill);
        row[as_width] = 1.0;
        GEOSCoordSequence* seq = GEOSCoordSeq_create_r(ctx, 2, 2);
        GEOSCoordSeq_setXY_r(ctx, seq, 0, dpoints[i].lonlat.lon, dpoints[i].lonlat.lat);
        GEOSCoordSeq_setXY_r(ctx, seq, 1, sites[j].lonlat.lon, sites[j].lonlat.lat);
        GeomPtr line = own(ctx, GEOSGeom_createLineString_r(ctx, seq), "allocation line");
        al.rows.push_back(std::move(row));
        al.wkb.push_back(to_wkb(ctx, line.get()));
    }

    return al;
}

// Each demand feature before and after the new sites (grid cells add up to their area).
OutLayer demand_layer(const SiteOutputs& o, const std::vector<double>& before, const std::vector<double>& after,
                      const std::vector<int>& required_cols) {
    const GeosContext& ctx = o.ctx;
    const SiteJob& job = o.job;
    const Dataset& demand = o.demand;
    const std::vector<DemandPoint>& dpoints = o.dpoints;
    const std::vector<SitePoint>& sites = o.sites;
    const site::Problem& problem = o.problem;
    const std::vector<int>& alloc = o.alloc;
    const bool has_radius = o.has_radius, areas = o.areas;
    const double R = o.R;
    const std::string& reach_label = o.reach_label;
    const std::string& unit = o.unit;
    const std::size_t nf = demand.features.size();
    std::vector<double> pop(nf, 0), cov_b(nf, 0), cov_a(nf, 0), sum_b(nf, 0), sum_a(nf, 0);
    // The weight behind each mean: demand with no site reachable along the streets has no distance.
    std::vector<double> reached_b(nf, 0), reached_a(nf, 0);
    std::vector<int> cells(nf, 0);
    // Without --grid each feature is one demand point (or none, when it left the problem).
    const bool one_per_feature = !job.grid;
    std::vector<std::vector<double>> serve_share(nf);
    // Off-network demand: in each feature's base (never reached), with the reason of its first point.
    std::vector<double> off_pop(nf, 0);
    std::vector<const Snapped*> off_snap(nf, nullptr);
    if (o.off_demand)
        for (const OffNetworkDemand& od : *o.off_demand) {
            off_pop[od.feature] += od.weight;
            if (!off_snap[od.feature]) off_snap[od.feature] = &od.snap;
        }
    for (std::size_t i = 0; i < dpoints.size(); ++i) {
        const std::size_t f = dpoints[i].feature;
        const double w = problem.weight[i];
        pop[f] += w;
        ++cells[f];
        if (before[i] <= R) cov_b[f] += w;
        if (after[i] <= R) cov_a[f] += w;
        const double share = one_per_feature ? 1.0 : w;
        if (std::isfinite(before[i])) sum_b[f] += share * before[i], reached_b[f] += share;
        if (std::isfinite(after[i])) sum_a[f] += share * after[i], reached_a[f] += share;
    }
    OutLayer dl{areas ? "neighborhoods" : "demand", areas ? OutGeom::Polygon : OutGeom::Point};
    dl.kind = LayerKind::Demand;
    dl.title = areas ? "Neighborhoods after the new sites" : "Demand";
    if (has_radius) dl.value_field = "covered_share_after";
    const std::size_t d_id = dl.add_field("id", FieldType::String), d_name = dl.add_field("name", FieldType::String);
    const std::size_t d_pop = dl.add_field("demand", FieldType::Real);
    std::size_t d_cells = 0;
    if (job.grid) d_cells = dl.add_field("demand_points", FieldType::Integer);
    const std::size_t d_before = dl.add_field(cost_field("distance_before_m", o.by_time), FieldType::Real), d_after = dl.add_field(cost_field("distance_after_m", o.by_time), FieldType::Real);
    const std::size_t d_site = dl.add_field("site_id", FieldType::String);
    const bool with_far = o.far_demand && o.far_demand->count > 0;
    const std::size_t d_status = with_far ? dl.add_field("status", FieldType::String) : 0;  // ok or far_off
    std::size_t d_net = 0, d_off = 0, d_snap = 0, d_reason = 0;
    if (o.off_demand) {
        d_net = dl.add_field("network_status", FieldType::String);  // ok, off_network, or partly_off_network (grid cells)
        d_off = dl.add_field("off_network_demand", FieldType::Real);
        d_snap = dl.add_field("snap_m", FieldType::Real);  // of an off-network point: to the nearest connected road
        d_reason = dl.add_field("off_network_reason", FieldType::String);
    }
    std::size_t d_cb = 0, d_ca = 0, d_sb = 0, d_sa = 0, d_new = 0;
    if (has_radius) {
        d_cb = dl.add_field("covered_before", FieldType::Real);
        d_ca = dl.add_field("covered_after", FieldType::Real);
        d_sb = dl.add_field("covered_share_before", FieldType::Real);
        d_sa = dl.add_field("covered_share_after", FieldType::Real);
        d_new = dl.add_field("newly_covered", FieldType::Real);
    }
    const std::size_t ds_fill = dl.add_field(areas ? "fill" : "marker-color", FieldType::String, false, true);
    std::size_t ds_op = 0, ds_stroke = 0;
    if (areas) {
        ds_op = dl.add_field("fill-opacity", FieldType::Real, false, true);
        ds_stroke = dl.add_field("stroke", FieldType::String, false, true);
    }
    const std::size_t ds_title = dl.add_field("title", FieldType::String, false, true);
    const std::size_t ds_desc = dl.add_field("description", FieldType::String, false, true);
    double max_after = 0;
    for (double v : after)
        if (std::isfinite(v)) max_after = std::max(max_after, v);
    // The site serving most of each feature's demand.
    std::vector<int> main_site(nf, -1);
    {
        std::vector<double> best(nf, -1);
        std::vector<std::vector<std::pair<int, double>>> by(nf);
        for (std::size_t i = 0; i < dpoints.size(); ++i) {
            auto& v = by[dpoints[i].feature];
            auto it = std::find_if(v.begin(), v.end(), [&](const auto& e) { return e.first == alloc[i]; });
            if (it == v.end()) v.push_back({alloc[i], problem.weight[i]});
            else it->second += problem.weight[i];
        }
        for (std::size_t f = 0; f < nf; ++f)
            for (auto& [j, w] : by[f])
                if (w > best[f] || (w == best[f] && j < main_site[f])) best[f] = w, main_site[f] = j;
    }
    for (std::size_t f = 0; f < nf; ++f) {
        const Feature& feat = demand.features[f];
        const double denom = reached_a[f];
        std::vector<Value> row(dl.fields.size());
        row[d_id] = feat.id;
        row[d_name] = text_or_null(feat.name);
        if (with_far) row[d_status] = std::string(o.far_demand->far[f] ? "far_off" : "ok");
        if (with_far && o.far_demand->far[f]) {
            row[ds_fill] = std::string(style::kFarOffColour);
            row[ds_title] = feat.name.empty() ? "Demand " + feat.id : feat.name;
            row[ds_desc] = "Far off (" + thousands(o.far_demand->distance_m[f] / 1000) + " km beyond the demand's extent): left out of the problem and of every share";
            dl.rows.push_back(std::move(row));
            dl.wkb.push_back(to_wkb(ctx, feat.geom.get()));
            continue;
        }
        const double base = pop[f] + off_pop[f];  // every resident, on the network or not
        row[d_pop] = round_to(base, 0.01);
        if (o.off_demand) {
            row[d_net] = std::string(!off_snap[f] ? "ok" : pop[f] > 0 || cells[f] > 0 ? "partly_off_network" : "off_network");
            row[d_off] = round_to(off_pop[f], 0.01);
            if (off_snap[f]) {
                row[d_snap] = round_to(off_snap[f]->snap_m, 0.01);
                row[d_reason] = std::string(off_network_reason(*off_snap[f]));
            }
        }
        if (job.grid) row[d_cells] = static_cast<std::int64_t>(cells[f]);
        // Mean over the feature's demand points, weighted by people (one point: its own distance).
        if (!required_cols.empty() && reached_b[f] > 0) row[d_before] = round_to(sum_b[f] / reached_b[f], 0.001);
        if (denom > 0) row[d_after] = round_to(sum_a[f] / denom, 0.001);
        if (main_site[f] >= 0) row[d_site] = sites[main_site[f]].ds->features[sites[main_site[f]].feature].id;
        double share_after = 0;
        if (has_radius) {
            row[d_cb] = round_to(cov_b[f], 0.01);
            row[d_ca] = round_to(cov_a[f], 0.01);
            row[d_sb] = base > 0 ? round_to(cov_b[f] / base, 1e-6) : 0.0;
            share_after = base > 0 ? cov_a[f] / base : 0.0;
            row[d_sa] = round_to(share_after, 1e-6);
            row[d_new] = round_to(cov_a[f] - cov_b[f], 0.01);
        } else {
            // Green near a site, red far (and red where no site can be reached).
            share_after = denom <= 0 ? (pop[f] > 0 ? 0.0 : 1.0) : max_after > 0 ? 1 - (sum_a[f] / denom) / max_after : 1;
        }
        row[ds_fill] = style::coverage_colour(std::clamp(share_after, 0.0, 1.0));
        if (areas) {
            row[ds_op] = 0.6;
            row[ds_stroke] = std::string(style::kOutline);
        }
        row[ds_title] = feat.name.empty() ? "Area " + feat.id : feat.name;
        std::string desc = thousands(base) + " people";
        if (off_snap[f])
            desc += " (" + (pop[f] > 0 || cells[f] > 0 ? thousands(off_pop[f]) + " of them " : std::string()) +
                    describe_off_network(*off_snap[f], o.max_snap_m) + ")";
        if (has_radius) desc += "; within " + reach_label + ": " + thousands(cov_b[f]) + " before, " + thousands(cov_a[f]) + " after";
        if (denom > 0) desc += "; nearest site " + thousands(sum_a[f] / denom) + " " + unit;
        if (pop[f] > 0 && denom < (one_per_feature ? 1.0 : pop[f]) - 1e-9)
            desc += denom > 0 ? " (some of its demand reaches no site along the streets)" : "; no site can be reached along the streets";
        row[ds_desc] = desc;
        dl.rows.push_back(std::move(row));
        dl.wkb.push_back(to_wkb(ctx, feat.geom.get()));
    }

    return dl;
}

}  // namespace

// The files a site job reads, which its output must not replace.
static std::vector<std::string> site_input_paths(const SiteJob& job) {
    std::vector<std::string> paths{job.demand.path, job.network.path};
    for (const auto& group : {job.candidates, job.required})
        for (const InputSpec& spec : group) paths.push_back(spec.path);
    return paths;
}

nlohmann::json run_site(const SiteJob& job, Log& log, std::vector<OutLayer>* layers) {
    Study study(log, job.threads);
    return site_stage(job, study, layers).summary;
}

nlohmann::json run_site(const SiteJob& job, Study& study, std::vector<OutLayer>* layers) { return site_stage(job, study, layers).summary; }

SiteOutcome site_stage(const SiteJob& job, Study& study, std::vector<OutLayer>* layers_out) {
    Log& log = study.log();
    const auto started = Clock::now();
    // Options first, so that a bad command line fails before any file is read.
    const bool by_network = !job.network.path.empty();
    if (!by_network && job.network.profile_given) throw_usage("--profile needs --network (a road network to travel on)");
    if (!by_network && job.minutes) throw_usage("--minutes needs --network (travel time is measured along streets); or give --radius for straight-line distance");
    if (job.minutes && job.radius) throw_usage("--radius and --minutes: give one coverage threshold, a distance or a travel time");
    if (job.minutes && !(*job.minutes > 0)) throw_usage("--minutes: expected a positive number of minutes, e.g. 10");
    if (!(job.max_snap_m > 0)) throw_usage("--max-snap: expected a positive distance, e.g. 300m");
    if (job.model.empty()) throw_usage("--model is required: mclp, lscp, pmedian or pcenter");
    const site::Model model = site::parse_model(job.model);
    if (job.demand.path.empty()) throw_usage("--demand is required: points with a population field, or areas (e.g. neighborhoods)");
    if (job.candidates.empty()) throw_usage("--candidates is required: one or more point files of possible sites (parks, schools, ...)");
    if (job.out_dir.empty()) throw_usage("--out is required: the output folder");
    if (model != site::Model::LSCP && job.k < 0) throw_usage("--model " + site::model_key(model) + " needs -k, the number of new sites (e.g. -k 10)");
    if (model == site::Model::LSCP && job.k >= 0) throw_usage("-k does not apply to --model lscp, which finds the fewest sites; give --target instead");
    if ((model == site::Model::MCLP || model == site::Model::LSCP) && !job.radius && !job.minutes)
        throw_usage("--model " + site::model_key(model) + " needs --radius, the distance within which a site covers demand (e.g. --radius 800m)" +
                    (by_network ? ", or --minutes, the travel time (e.g. --minutes 10)" : ""));
    if (!job.target.empty() && model != site::Model::LSCP) throw_usage("--target applies to --model lscp only");
    const double target = job.target.empty() ? 1.0 : parse_share(job.target, "--target");
    if (job.grid && job.population_field.empty()) throw_usage("--grid needs --population-field: cells get their area's population in proportion to their area");
    if (!(job.time_limit_s > 0)) throw_usage("--time-limit: expected a positive number of seconds");
    if (!(job.effort > 0 && job.effort <= 1000)) throw_usage("--effort: expected a factor above 0 and at most 1000 (default 1)");
    const bool maxmin = job.objective == "maxmin";
    const bool fair = maxmin || job.min_group_share > 0;
    if (fair) {
        const std::string what = maxmin ? "--objective maxmin" : "--min-group-share";
        if (model != site::Model::MCLP) throw_usage(what + " applies to --model mclp: shares reached need a reach (--radius or --minutes)");
        if (job.groups.empty()) throw_usage(what + " needs population groups: --group NAME=FIELD[:share|:count] (plan: [inputs.groups])");
        if (job.population_field.empty()) throw_usage(what + " needs --population-field, the residents of each demand feature");
    }

    refuse_output_over_inputs(job.out_dir, site_input_paths(job));
    OutputDir out(job.out_dir);
    const unsigned threads = study.threads();
    const ContextPool& pool = study.pool();
    const GeosContext& ctx = pool.main();
    ProjContext pctx;

    // read
    log.info("reading inputs");
    std::vector<Study::Request> inputs{{&job.demand, GeomKind::PointOrArea, "demand"}};
    for (const auto& spec : job.candidates) inputs.push_back({&spec, GeomKind::Point, "candidates"});
    for (const auto& spec : job.required) inputs.push_back({&spec, GeomKind::Point, "required"});
    study.read_all(inputs);
    const Dataset& demand = study.dataset(job.demand, GeomKind::PointOrArea, "demand");
    std::vector<const Dataset*> candidates, required;
    for (const auto& spec : job.candidates) candidates.push_back(&study.dataset(spec, GeomKind::Point, "candidates"));
    for (const auto& spec : job.required) required.push_back(&study.dataset(spec, GeomKind::Point, "required"));
    const bool areas = demand.kind == GeomKind::Area;
    if (job.grid && !areas) throw_usage("--grid: the demand (" + demand.path + ") is points; --grid splits areas into cells");

    // prepare: demand points and sites in WGS84, then the cost matrix
    // Centred on the demand (areas: their extent; points: those that are not outliers), so that
    // a far-off point (a swapped row) cannot move it. Demand points, candidates and required
    // sites farther than max_offset_m beyond the demand's extent are far off: reported, left out
    // of the problem (and of every share's base), and kept in the outputs with status far_off.
    const Box core = areas ? Box{} : robust_lonlat_extent(point_lonlats(ctx, demand));
    LocalProjection projection = areas ? projection_for(ctx, {&demand}) : choose_local_projection(core.xmin, core.ymin, core.xmax, core.ymax);
    Transform to_local(pctx, kWgs84LonLat, projection.proj_string());

    std::vector<double> population = job.population_field.empty() ? std::vector<double>(demand.features.size(), 1.0)
                                                                     : demand.numeric_field(job.population_field, log);
    // Each group's residents per demand feature (before/after per group; max-min and shares).
    std::vector<std::vector<double>> group_people;
    if (!job.population_field.empty())
        for (const GroupSpec& g : job.groups) group_people.push_back(objective_weights("group:" + g.name, job.groups, job.priority, demand, population, log));
    if (!job.objective.empty() && job.objective != "residents") {
        if (job.population_field.empty()) throw_usage("--objective " + job.objective + " needs --population-field, the residents of each demand feature");
        population = objective_weights(job.objective, job.groups, job.priority, demand, population, log);
    }
    std::vector<DemandPoint> dpoints;
    ProjectedAreas pareas;
    ProjectedPoints pdemand;
    Box extent{};
    FarOff far_demand = none_far_off(demand.features.size());
    if (areas) {
        pareas = project_areas(pool, to_local, demand, threads);
        extent = areas_extent(pareas);
        if (job.grid) {
            dpoints = grid_demand(pool, to_local, demand, pareas, population, job.grid->meters, threads, log);
        } else {
            for (std::size_t i = 0; i < demand.features.size(); ++i) dpoints.push_back({i, demand.features[i].id, pareas.rep_lonlat[i], population[i]});
        }
    } else {
        pdemand = project_points(ctx, to_local, demand);
        extent = local_extent({&pdemand}, core);
        far_demand = find_far_off(pdemand, extent, job.max_offset_m, to_local);
        far_demand.extent = "the extent of the other demand points";
        report_far_off(log, demand, far_demand, pdemand, job.max_offset_m, "--demand-crs",
                       "They are kept in the demand layer with status far_off, left out of the problem and of every share");
        for (std::size_t i : far_demand.kept) dpoints.push_back({i, demand.features[i].id, pdemand.lonlat[i], population[i]});
    }
    std::vector<SitePoint> sites;
    // Per candidate and required file: its points and which are far off.
    std::vector<ProjectedPoints> site_points;
    std::vector<FarOff> site_far;
    auto add_sites = [&](const std::vector<const Dataset*>& sets, bool is_required) {
        for (const Dataset* set : sets) {
            const Dataset& ds = *set;
            const std::string source = std::filesystem::path(ds.path).stem().string();
            site_points.push_back(project_points(ctx, to_local, ds));
            site_far.push_back(find_far_off(site_points.back(), extent, job.max_offset_m, to_local));
            site_far.back().extent = "the demand's extent";
            report_far_off(log, ds, site_far.back(), site_points.back(), job.max_offset_m, is_required ? "--required-crs" : "--candidates-crs",
                           "They are kept in the sites layer with status far_off and serve no one");
            for (std::size_t f : site_far.back().kept) sites.push_back({&ds, f, source, is_required, site_points.back().lonlat[f]});
        }
    };
    add_sites(candidates, false);
    add_sites(required, true);
    if (!areas) widen_for(projection, kept_points(pdemand, far_demand), log);

    const std::size_t pairs = dpoints.size() * sites.size();
    if (pairs > kMaxPairs)
        throw_usage(std::to_string(dpoints.size()) + " demand points x " + std::to_string(sites.size()) + " sites = " + thousands(static_cast<double>(pairs)) +
                    " distances, more than the " + thousands(kMaxPairs) + " this release holds in memory; use a coarser --grid or fewer candidates");
    site::Problem problem;
    problem.model = model;
    // Time costs with --minutes, or on a network without --radius; distances otherwise.
    const bool by_time = by_network && (job.minutes || !job.radius);
    nlohmann::json network_info;
    std::vector<OffNetworkDemand> off_demand;
    if (!by_network) {
        log.info("cost matrix: " + std::to_string(dpoints.size()) + " demand points x " + std::to_string(sites.size()) + " sites (straight-line)");
        std::vector<LonLat> from, to;
        for (const auto& d : dpoints) from.push_back(d.lonlat);
        for (const auto& s : sites) to.push_back(s.lonlat);
        problem.cost.assign(dpoints.size(), sites.size(), distance_matrix(from, to, threads, log));
    } else {
        std::vector<double> costs;  // off-network points leave dpoints and sites
        network_info = network_costs(job, by_time, dpoints, sites, costs, study, off_demand);
        problem.cost.assign(dpoints.size(), sites.size(), costs);
    }
    problem.cost.unit = by_time ? "s" : "m";
    for (const auto& d : dpoints) problem.weight.push_back(d.weight);
    for (const auto& s : sites) problem.required.push_back(s.required ? 1 : 0);
    problem.k = model == site::Model::LSCP ? 0 : job.k;
    problem.radius = job.minutes ? *job.minutes * 60 : job.radius ? job.radius->meters : 0;
    problem.target = target;
    if (!group_people.empty()) {
        // Each group's residents per demand point; every one of them, also off the network, is the share's base.
        for (std::size_t g = 0; g < group_people.size(); ++g) {
            problem.groups.names.push_back(job.groups[g].name);
            std::vector<double> w;
            double total = 0;
            for (const auto& dp : dpoints) total += w.emplace_back(group_people[g][dp.feature] * dp.share);
            for (const auto& od : off_demand) total += group_people[g][od.feature] * od.share;
            problem.groups.weight.push_back(std::move(w));
            problem.groups.total.push_back(total);
        }
        problem.groups.maxmin = maxmin;
        problem.groups.min_share = job.min_group_share;
    }

    // analyse
    site::Options options;
    options.seed = job.seed;
    options.effort = job.effort;
    options.exact = job.exact;
    options.time_limit_s = job.time_limit_s;
    options.threads = threads;
    log.info("solving " + site::model_title(model) + (job.exact ? " (exact, CBC)" : " (heuristic)"));
    const auto solve_started = Clock::now();
    site::Solution sol = site::solve(problem, options);
    const double solve_seconds = seconds_since(solve_started);
    // MCLP with more sites than people to reach: drop the sites that add nobody (the covered
    // total stays the same) and say so, rather than suggest places that reach no one.
    std::size_t sites_adding_nobody = 0;
    if (model == site::Model::MCLP && !fair) {
        std::vector<int> base;
        for (std::size_t j = 0; j < sites.size(); ++j)
            if (sites[j].required) base.push_back(static_cast<int>(j));
        auto covered_by = [&](const std::vector<int>& extra) {
            std::vector<int> cols = base;
            cols.insert(cols.end(), extra.begin(), extra.end());
            const std::vector<double> d = nearest(problem, cols);
            double c = 0;
            for (std::size_t i = 0; i < d.size(); ++i)
                if (d[i] <= problem.radius) c += problem.weight[i];
            return c;
        };
        const double all = covered_by(sol.open);
        for (std::size_t r = sol.open.size(); r-- > 0;) {  // the lowest ranks first
            std::vector<int> without = sol.open;
            without.erase(without.begin() + static_cast<std::ptrdiff_t>(r));
            if (covered_by(without) >= all) sol.open = std::move(without), ++sites_adding_nobody;
        }
        if (sites_adding_nobody > 0)
            log.warn("mclp: " + std::to_string(sites_adding_nobody) + " of the " + std::to_string(job.k) +
                     " new sites would add nobody within the reach (everyone a candidate can reach is reached by " +
                     std::to_string(sol.open.size()) + "); suggesting " + std::to_string(sol.open.size()) + " site(s)");
    }

    if (fair && !sol.constraints_met) {
        // Say which group falls short, what it reaches here and the most it could.
        std::string shortfalls;
        for (std::size_t g = 0; g < problem.groups.names.size(); ++g) {
            const double total = problem.groups.total[g];
            if (sol.group_covered[g] >= job.min_group_share * total * (1 - 1e-12)) continue;
            shortfalls += std::string(shortfalls.empty() ? "" : "; ") + "group " + problem.groups.names[g] + " reaches " +
                          share_text(sol.group_covered[g] / total, 2) + (sol.group_limit.empty() ? "" : " (at most " + share_text(std::min(1.0, sol.group_limit[g] / total), 2) +
                                                                                                   " with " + std::to_string(job.k) + " new site(s), on its own)");
        }
        throw_usage("--min-group-share " + share_text(job.min_group_share) + ": " +
                    (sol.impossible ? std::string("cannot be met") : std::string("not met by the sites found")) + " with " + std::to_string(job.k) +
                    " new site(s) within " + (job.minutes ? format_number(*job.minutes) + " min" : job.radius->label) + ": " + shortfalls +
                    (sol.impossible ? "; lower --min-group-share, raise -k or widen the reach"
                                    : "; the heuristic's bound does not rule it out: try --exact (CBC decides), or lower --min-group-share"));
    }

    // Before (required sites only) and after (plus the new ones), per demand row.
    std::vector<int> required_cols, open_cols;
    for (std::size_t j = 0; j < sites.size(); ++j)
        if (sites[j].required) required_cols.push_back(static_cast<int>(j));
    open_cols = required_cols;
    open_cols.insert(open_cols.end(), sol.open.begin(), sol.open.end());
    const std::vector<double> before = nearest(problem, required_cols), after = nearest(problem, open_cols);
    const std::vector<int> alloc = site::allocate(problem, sol.open);
    const bool has_radius = job.radius.has_value() || job.minutes.has_value();
    std::string reach_label;
    if (job.radius) reach_label = job.radius->label;
    if (job.minutes) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%g min", *job.minutes);
        reach_label = buf;
    }
    auto cost_name = [by_time](std::string name) { return cost_field(std::move(name), by_time); };
    const std::string unit = problem.cost.unit;
    const double R = problem.radius;
    const double total_weight = std::accumulate(problem.weight.begin(), problem.weight.end(), 0.0);
    // Shares are of every resident: demand off the road network stays in the base, unreached.
    const double off_weight = std::accumulate(off_demand.begin(), off_demand.end(), 0.0, [](double a, const OffNetworkDemand& od) { return a + od.weight; });
    const double all_weight = total_weight + off_weight;

    // write: sites
    OutLayer sl{"sites", OutGeom::Point};
    sl.kind = LayerKind::Sites;
    sl.title = "Suggested sites";
    const std::size_t s_id = sl.add_field("id", FieldType::String), s_name = sl.add_field("name", FieldType::String);
    const std::size_t s_source = sl.add_field("source", FieldType::String), s_status = sl.add_field("status", FieldType::String);
    const std::size_t s_rank = sl.add_field("rank", FieldType::Integer);
    const std::size_t s_marginal = sl.add_field("marginal_demand", FieldType::Real);
    std::size_t s_cov_after = 0;
    if (has_radius) s_cov_after = sl.add_field("covered_after", FieldType::Real);
    const std::size_t s_mean_after = sl.add_field(cost_name("mean_distance_after_m"), FieldType::Real);
    const std::size_t s_max_after = sl.add_field(cost_name("max_distance_after_m"), FieldType::Real);
    const std::size_t s_served = sl.add_field("demand_served", FieldType::Real);
    const std::size_t s_served_mean = sl.add_field(cost_name("served_mean_distance_m"), FieldType::Real);
    const MarkerFields sm = add_marker_fields(sl);
    std::vector<double> served(sites.size(), 0), served_cost(sites.size(), 0);
    for (std::size_t i = 0; i < dpoints.size(); ++i)
        if (alloc[i] >= 0) served[alloc[i]] += problem.weight[i], served_cost[alloc[i]] += problem.weight[i] * problem.cost.at(i, alloc[i]);
    auto site_row = [&](std::size_t j) {
        const Feature& f = sites[j].ds->features[sites[j].feature];
        std::vector<Value> row(sl.fields.size());
        row[s_id] = f.id;
        row[s_name] = text_or_null(f.name);
        row[s_source] = sites[j].source;
        row[s_status] = std::string(sites[j].required ? "existing" : "new");
        row[s_served] = round_to(served[j], 0.01);
        if (served[j] > 0) row[s_served_mean] = round_to(served_cost[j] / served[j], 0.001);
        row[sm.colour] = std::string(sites[j].required ? style::kEventColour : kNewSiteColour);
        row[sm.symbol] = std::string(sites[j].required ? "circle" : "star");
        row[sm.size] = std::string(sites[j].required ? "small" : "large");
        return row;
    };
    std::vector<double> d = before;
    api::SiteResult result;
    for (std::size_t r = 0; r < sol.open.size(); ++r) {
        const std::size_t j = sol.open[r];
        std::vector<Value> row = site_row(j);
        double marginal = 0, covered = 0, sum = 0, worst = 0;
        for (std::size_t i = 0; i < dpoints.size(); ++i) {
            const double c = problem.cost.at(i, j), w = problem.weight[i];
            // Coverage models count newly covered people; distance models those for whom it becomes the nearest.
            if (has_radius ? (c <= R && !(d[i] <= R)) : c < d[i]) marginal += w;
            d[i] = std::min(d[i], c);
            if (d[i] <= R) covered += w;
            sum += w * d[i];
            if (w > 0) worst = std::max(worst, d[i]);
        }
        const Feature& f = sites[j].ds->features[sites[j].feature];
        row[s_rank] = static_cast<std::int64_t>(r + 1);
        row[s_marginal] = round_to(marginal, 0.01);
        if (has_radius) row[s_cov_after] = round_to(covered, 0.01);
        row[s_mean_after] = round_to(total_weight > 0 ? sum / total_weight : 0, 0.001);
        row[s_max_after] = round_to(worst, 0.001);
        const std::string title = f.name.empty() ? sites[j].source + " " + f.id : f.name;
        row[sm.title] = "#" + std::to_string(r + 1) + " " + title;
        row[sm.description] = "New site #" + std::to_string(r + 1) + " (" + sites[j].source + "): " +
                       (has_radius ? "reaches " + thousands(marginal) + " more people within " + reach_label
                                   : "nearest site for " + thousands(marginal) + " more people") +
                       "; serves " + thousands(served[j]) + " people in all";
        sl.rows.push_back(std::move(row));
        sl.wkb.push_back(to_wkb(ctx, f.geom.get()));
        result.sites.push_back({static_cast<int>(r + 1), f.id, f.name, sites[j].source, round_to(marginal, 0.01), round_to(served[j], 0.01)});
    }
    for (int j : required_cols) {
        const Feature& f = sites[j].ds->features[sites[j].feature];
        std::vector<Value> row = site_row(j);
        row[sm.title] = (f.name.empty() ? sites[j].source + " " + f.id : f.name) + " (existing)";
        row[sm.description] = "Existing site (" + sites[j].source + "), always open; serves " + thousands(served[j]) + " people";
        sl.rows.push_back(std::move(row));
        sl.wkb.push_back(to_wkb(ctx, f.geom.get()));
    }
    // Far-off candidates and required sites: kept with their status, serving no one.
    {
        std::size_t set = 0;
        for (const auto* group : {&candidates, &required})
            for (const Dataset* ds : *group) {
                const FarOff& far = site_far[set++];
                for (std::size_t f = 0; f < ds->features.size(); ++f) {
                    if (!far.far[f]) continue;
                    const Feature& feat = ds->features[f];
                    std::vector<Value> row(sl.fields.size());
                    row[s_id] = feat.id;
                    row[s_name] = text_or_null(feat.name);
                    row[s_source] = std::filesystem::path(ds->path).stem().string();
                    row[s_status] = std::string("far_off");
                    row[sm.colour] = std::string(style::kFarOffColour);
                    row[sm.symbol] = std::string("cross");
                    row[sm.size] = std::string("small");
                    row[sm.title] = (feat.name.empty() ? feat.id : feat.name) + " (far off)";
                    row[sm.description] = std::string(group == &required ? "Required" : "Candidate") + " site " + feat.where + ", " +
                                          thousands(far.distance_m[f] / 1000) + " km beyond the demand's extent: left out, serves no one";
                    sl.rows.push_back(std::move(row));
                    sl.wkb.push_back(to_wkb(ctx, feat.geom.get()));
                }
            }
    }

    const SiteOutputs o{ctx, job, demand, dpoints, sites, problem, alloc, by_time, has_radius, areas, R, reach_label, unit,
                        by_network ? &off_demand : nullptr, job.max_snap_m, &far_demand};
    OutLayer al = allocation_layer(o);
    OutLayer dl = demand_layer(o, before, after, required_cols);
    const std::size_t nf = demand.features.size();

    log.info("writing outputs");
    std::vector<std::string> files;
    for (Format fmt : job.formats)
        for (auto& name : write_layers({&sl, &al, &dl}, fmt, out, "site.gpkg", job.out_crs)) files.push_back(std::move(name));

    // summary.json
    nlohmann::json summary;
    summary["tool"] = "nightout";
    summary["command"] = "site";
    summary["distance"] = !by_network ? "straight-line (geodesic on WGS84)"
                          : by_time  ? "network travel time from demand to site"
                                     : "network distance from demand to site (shortest path)";
    if (by_network) summary["network"] = network_info;
    summary["cost_unit"] = problem.cost.unit;
    summary["inputs"]["demand"] = describe_input(demand);
    for (const Dataset* c : candidates) summary["inputs"]["candidates"].push_back(describe_input(*c));
    for (const Dataset* r : required) summary["inputs"]["required"].push_back(describe_input(*r));
    {
        auto& far = summary["far_off"];
        far["max_offset_m"] = job.max_offset_m;
        far["demand"] = far_off_json(demand, far_demand, pdemand);
        std::size_t set = 0;
        for (const Dataset* c : candidates) far["candidates"].push_back(far_off_json(*c, site_far[set], site_points[set])), ++set;
        for (const Dataset* r : required) far["required"].push_back(far_off_json(*r, site_far[set], site_points[set])), ++set;
    }
    auto& params = summary["parameters"];
    params["model"] = site::model_key(model);
    params["model_name"] = site::model_title(model);
    params["k"] = model == site::Model::LSCP ? nlohmann::json(nullptr) : nlohmann::json(job.k);
    if (model == site::Model::MCLP) summary["sites_adding_nobody"] = sites_adding_nobody;
    params["radius"] = job.radius ? nlohmann::json({{"label", job.radius->label}, {"meters", job.radius->meters}}) : nlohmann::json(nullptr);
    params["minutes"] = job.minutes ? nlohmann::json(*job.minutes) : nlohmann::json(nullptr);
    params["reach"] = has_radius ? nlohmann::json(reach_label) : nlohmann::json(nullptr);
    params["target"] = model == site::Model::LSCP ? nlohmann::json(target) : nlohmann::json(nullptr);
    params["population_field"] = job.population_field.empty() ? nlohmann::json(nullptr) : nlohmann::json(job.population_field);
    params["demand_weight"] = describe_weights(job.objective, job.groups, job.priority);
    params["objective"] = job.objective.empty() ? "residents" : job.objective;
    params["min_group_share"] = job.min_group_share > 0 ? nlohmann::json(job.min_group_share) : nlohmann::json(nullptr);
    params["demand_representation"] = !areas ? "points" : job.grid ? "grid cells of " + job.grid->label + " clipped to each area, population by area share"
                                                                   : "one representative point per area (centroid, or point on surface)";
    params["exact"] = job.exact;
    params["time_limit_s"] = job.exact ? nlohmann::json(job.time_limit_s) : nlohmann::json(nullptr);
    params["seed"] = job.seed;
    params["effort"] = job.effort;
    params["threads"] = threads;
    params["formats"] = nlohmann::json::array();
    for (Format f : job.formats) params["formats"].push_back(format_key(f));

    result.model = site::model_key(model);
    result.cost_unit = problem.cost.unit;
    if (has_radius) result.reach = reach_label;
    result.objective = sol.objective;
    // Covered shares of every resident; a mean cost over those on the network (the others have none).
    result.objective_text = describe_objective(model, sol.objective, model == site::Model::MCLP ? all_weight : total_weight, problem.cost.unit);
    // Each group's reach before and after, by the site model (a demand point within the reach counts all its people).
    for (std::size_t g = 0; g < problem.groups.names.size(); ++g) {
        api::SiteGroupReach gr;
        gr.name = problem.groups.names[g];
        gr.residents = round_to(problem.groups.total[g], 0.01);
        double b = 0, a = 0;
        for (std::size_t i = 0; i < dpoints.size(); ++i) {
            if (before[i] <= R) b += problem.groups.weight[g][i];
            if (after[i] <= R) a += problem.groups.weight[g][i];
        }
        gr.reached_before = round_to(b, 0.01);
        gr.reached_after = round_to(a, 0.01);
        gr.share_before = problem.groups.total[g] > 0 ? round_to(b / problem.groups.total[g], 1e-6) : 0.0;
        gr.share_after = problem.groups.total[g] > 0 ? round_to(a / problem.groups.total[g], 1e-6) : 0.0;
        result.groups.push_back(gr);
    }
    result.objective_key = job.objective.empty() ? "residents" : job.objective;
    if (job.min_group_share > 0) result.min_group_share = job.min_group_share;
    if (maxmin) {
        std::size_t least = 0;
        for (std::size_t g = 1; g < result.groups.size(); ++g)
            if (result.groups[g].share_after < result.groups[least].share_after) least = g;
        result.objective_text = "least share reached over the groups " + share_text(sol.objective) + " (group " + result.groups[least].name + "); " +
                                describe_objective(model, evaluate_covered(problem, after, R), all_weight, problem.cost.unit);
    }
    if (job.min_group_share > 0) result.objective_text += "; every group at least " + share_text(job.min_group_share) + " reached";
    if (!job.objective.empty() && job.objective != "residents" && !maxmin) result.objective_text += "; demand: " + describe_weights(job.objective, job.groups, job.priority);
    if (off_weight > 0)
        result.objective_text += "; " + thousands(off_weight) + " of " + thousands(all_weight) + " people (" + percent(off_weight / all_weight, 1) +
                                 ") are off the road network and not reached";
    result.bound = sol.bound;
    result.gap = sol.gap;
    result.proven_optimal = sol.proven_optimal;
    result.solve_seconds = round_to(solve_seconds, 1e-4);
    result.demand_points = dpoints.size();
    result.demand = round_to(all_weight, 0.01);
    result.off_network_demand = round_to(off_weight, 0.01);
    result.candidates = sites.size() - required_cols.size();
    result.required = required_cols.size();

    auto& res = summary["result"];
    res["objective"] = result.objective;
    res["objective_name"] = maxmin ? "min_group_share" : objective_name(model);
    res["objective_key"] = result.objective_key;
    res["min_group_share"] = result.min_group_share ? nlohmann::json(*result.min_group_share) : nlohmann::json(nullptr);
    if (!result.groups.empty()) {
        // Shares of each group's every resident (the site model); groups may overlap and need not sum to the total.
        res["groups"] = nlohmann::json::array();
        for (const auto& g : result.groups)
            res["groups"].push_back({{"name", g.name},
                                     {"residents", g.residents},
                                     {"reached_before", g.reached_before},
                                     {"share_before", g.share_before},
                                     {"reached_after", g.reached_after},
                                     {"share_after", g.share_after}});
        res["groups_note"] = "site model: a demand point within the reach counts all its people; shares are of each group's every resident "
                             "(off the road network included); groups may overlap and need not sum to the total";
    }
    res["objective_text"] = result.objective_text;
    res["bound"] = optional_number(result.bound);
    res["gap"] = optional_number(result.gap);
    res["proven_optimal"] = result.proven_optimal;
    res["method"] = sol.method;
    res["heuristic_objective"] = sol.heuristic_objective;
    res["heuristic_seconds"] = round_to(sol.heuristic_seconds, 1e-4);
    res["solve_seconds"] = result.solve_seconds;
    res["local_searches"] = sol.iterations;
    res["new_sites"] = sol.open.size();
    res["sites"] = nlohmann::json::array();
    for (const auto& site : result.sites) res["sites"].push_back(to_json(site));

    auto& totals = summary["totals"];
    totals["demand_features"] = nf;
    totals["demand_points"] = result.demand_points;
    totals["demand"] = result.demand;  // every resident
    totals["demand_on_network"] = round_to(total_weight, 0.01);
    totals["off_network_demand"] = result.off_network_demand;
    totals["off_network_share"] = all_weight > 0 ? round_to(off_weight / all_weight, 1e-6) : 0.0;
    // Which model the figures come from: the site model counts demand at points (coverage counts area shares).
    totals["model"] = "site model: " + params["demand_representation"].get<std::string>() + "; a point within the reach counts all its people";
    totals["candidates"] = result.candidates;
    totals["required"] = result.required;
    auto stats = [&](const std::vector<double>& dist) {
        api::SiteCosts t;
        double sum = 0, worst = 0, cov = 0, reached = 0, unreached = 0;
        for (std::size_t i = 0; i < dist.size(); ++i) {
            if (!std::isfinite(dist[i])) {  // no open site reachable along the streets
                unreached += problem.weight[i];
                continue;
            }
            sum += problem.weight[i] * dist[i];
            reached += problem.weight[i];
            if (problem.weight[i] > 0) worst = std::max(worst, dist[i]);
            if (dist[i] <= R) cov += problem.weight[i];
        }
        t.mean = round_to(reached > 0 ? sum / reached : 0, 0.001);
        t.unreached_demand = round_to(unreached, 0.01);
        t.max = round_to(worst, 0.001);
        t.total_weighted = round_to(sum, 0.001);
        if (has_radius) {
            t.covered_demand = round_to(cov, 0.01);
            t.covered_share = all_weight > 0 ? round_to(cov / all_weight, 1e-6) : 0.0;
        }
        return t;
    };
    if (!required_cols.empty()) result.before = stats(before);
    result.after = stats(after);
    // Areas with a straight-line reach: coverage's area model too (the share of each area's surface
    // within the reach, its residents spread evenly), so the two models' figures stand side by side.
    if (areas && job.radius && !by_network) {
        PopulationSource area_population;
        area_population.kind = PopulationSource::Kind::AreaField;
        area_population.per_area = population;
        CoverageOptions area_options;
        area_options.radii = {*job.radius};
        const double residents = std::accumulate(population.begin(), population.end(), 0.0);
        auto area_share = [&](const std::vector<int>& cols) {
            ProjectedPoints open;
            for (int j : cols) {
                XY p{sites[j].lonlat.lon, sites[j].lonlat.lat};
                if (!to_local.forward(p.x, p.y)) throw_input(sites[j].ds->path + ": a site cannot be projected");
                open.lonlat.push_back(sites[j].lonlat);
                open.xy.push_back(p);
            }
            if (open.xy.empty() || !(residents > 0)) return 0.0;
            const CoverageResult cr = compute_coverage(pool, pareas, open, projection, area_population, area_options, log);
            const auto& covered = cr.per_radius.front().population_covered;
            return round_to(std::accumulate(covered.begin(), covered.end(), 0.0) / residents, 1e-6);
        };
        result.area_model_after = area_share(open_cols);
        if (!required_cols.empty()) result.area_model_before = area_share(required_cols);
        totals["area_model"] = {{"model", "coverage's area model: the share of each area's surface within the reach, its residents spread evenly"},
                                {"covered_share_before", result.area_model_before ? nlohmann::json(*result.area_model_before) : nlohmann::json(nullptr)},
                                {"covered_share_after", *result.area_model_after}};
    }
    totals["before"] = result.before ? to_json(*result.before, by_time) : nlohmann::json(nullptr);
    totals["after"] = to_json(result.after, by_time);
    files.push_back("summary.json");

    if (job.write_problem) {
        // The exact matrix the solver saw, for external solvers (bench/site/pulp_peer.py).
        nlohmann::json pj;
        pj["model"] = site::model_key(model);
        pj["k"] = problem.k;
        pj["radius"] = problem.radius;
        pj["target"] = problem.target;
        pj["cost_unit"] = problem.cost.unit;
        pj["weights"] = problem.weight;
        for (const auto& dp : dpoints) pj["demand_ids"].push_back(dp.id);
        for (const auto& s : sites) pj["site_ids"].push_back(s.ds->features[s.feature].id);
        pj["required"] = nlohmann::json::array();
        for (int j : required_cols) pj["required"].push_back(j);
        nlohmann::json rows = nlohmann::json::array();
        for (std::size_t i = 0; i < problem.cost.rows(); ++i)
            rows.push_back(std::vector<double>(problem.cost.row(i), problem.cost.row(i) + problem.cost.cols()));
        pj["costs"] = std::move(rows);
        std::ofstream f(out.file("problem.json"));
        f << pj << '\n';
        if (!f.flush()) throw_output(out.file("problem.json").string() + ": cannot write" + os_reason(errno));
        files.push_back("problem.json");
    }
    commit_with_summary(out, summary, files, log, seconds_since(started));
    log.info("wrote " + std::to_string(files.size()) + " files to " + study.shown(job.out_dir));
    if (layers_out)
        for (OutLayer* l : {&sl, &al, &dl}) layers_out->push_back(std::move(*l));
    result.warnings = log.warnings();
    result.summary_json = summary.dump();
    return {std::move(result), std::move(summary)};
}

nlohmann::json run_orlib(const OrLibJob& job, Log& log) {
    const auto started = Clock::now();
    if (!(job.time_limit_s > 0)) throw_usage("--time-limit: expected a positive number of seconds");
    if (!(job.effort > 0 && job.effort <= 1000)) throw_usage("--effort: expected a factor above 0 and at most 1000 (default 1)");
    site::OrLibInstance inst = site::read_orlib(job.path);
    const double read_seconds = seconds_since(started);
    if (inst.edge_lines != inst.edges)
        log.warn(job.path + ": the header announces " + std::to_string(inst.edges) + " edges but the file has " + std::to_string(inst.edge_lines) +
                 " edge lines; using the lines read");
    log.info(inst.name + ": n = " + std::to_string(inst.n) + ", p = " + std::to_string(inst.p) + ", shortest paths in " + std::to_string(read_seconds) + " s");
    site::Options options;
    options.seed = job.seed;
    options.effort = job.effort;
    options.exact = job.exact;
    options.time_limit_s = job.time_limit_s;
    options.threads = job.threads ? job.threads : default_threads();
    site::Solution sol = site::solve(inst.problem, options);
    std::vector<int> vertices;
    for (int j : sol.open) vertices.push_back(j + 1);
    std::sort(vertices.begin(), vertices.end());
    nlohmann::json out;
    out["instance"] = inst.name;
    out["n"] = inst.n;
    out["p"] = inst.p;
    out["objective"] = sol.objective;
    out["sites"] = vertices;
    out["seconds"] = round_to(seconds_since(started), 1e-4);
    out["read_seconds"] = round_to(read_seconds, 1e-4);
    out["heuristic_objective"] = sol.heuristic_objective;
    out["heuristic_seconds"] = round_to(sol.heuristic_seconds, 1e-4);
    out["method"] = sol.method;
    out["exact"] = job.exact;
    out["seed"] = job.seed;
    out["effort"] = job.effort;
    out["local_searches"] = sol.iterations;
    out["warnings"] = log.warnings();
    if (job.exact) {
        out["bound"] = optional_number(sol.bound);
        out["gap"] = optional_number(sol.gap);
        out["proven_optimal"] = sol.proven_optimal;
    }
    return out;
}

}  // namespace nightout
