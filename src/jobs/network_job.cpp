#include "jobs/network_job.hpp"

#include "analyse/far_off.hpp"
#include "analyse/study.hpp"
#include "core/error.hpp"
#include "jobs/report.hpp"
#include "core/parallel.hpp"
#include "network/search.hpp"
#include "network/table.hpp"
#include "network/ch.hpp"
#include "write/csv.hpp"
#include "write/matrix_csv.hpp"
#include "write/output_dir.hpp"
#include "write/vector_writer.hpp"


#include <chrono>
#include <limits>
#include <cstdio>
#include <memory>

namespace nightout {

namespace {

double seconds_since(std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

nlohmann::json describe(const Graph& g) {
    return {{"profile", g.profile},
            {"source", g.source},
            {"nodes", g.nodes()},
            {"edges", g.edges()},
            {"dropped_nodes", g.dropped_nodes},
            {"dropped_edges", g.dropped_edges},
            {"components", g.components},
            {"memory_bytes", g.memory_bytes()}};
}

// Snaps a point layer, warning once with the first few that lie too far from any road.
// Far-off points (already reported) are not snapped: they stay off the network.
std::vector<Snapped> snap_all(const Snapper& snapper, const Dataset& ds, const ProjectedPoints& points, const FarOff& far, double max_m, Log& log) {
    PointSet set;
    set.what = ds.role + " (" + ds.path + ")";
    for (std::size_t i : far.kept) {
        set.points.push_back(points.lonlat[i]);
        set.ids.push_back(ds.features[i].id);
    }
    const std::vector<Snapped> kept = snap_points(snapper, set, max_m, log);
    std::vector<Snapped> out(ds.features.size());
    for (std::size_t k = 0; k < far.kept.size(); ++k) out[far.kept[k]] = kept[k];
    return out;
}

}  // namespace

nlohmann::json run_graph_build(const NetworkOptions& options, const std::string& out, Log& log) {
    auto t0 = std::chrono::steady_clock::now();
    refuse_output_over_inputs(out, {options.path});
    OutputFile probe(out);  // fail before the work when the file cannot be written
    Network net = open_network(options, log);
    double build_s = seconds_since(t0);
    save_network(net, out);
    nlohmann::json j = describe(net.graph);
    j["shortcuts"] = net.ch.shortcuts;
    j["build_s"] = build_s;
    j["seconds"] = seconds_since(t0);
    j["output"] = out;
    return j;
}

nlohmann::json run_graph_export(const NetworkOptions& options, const std::string& out, Log& log) {
    NetworkOptions o = options;
    o.build_hierarchy = false;
    refuse_output_over_inputs(out, {options.path});
    Network net = open_network(o, log);
    export_edges_csv(net.graph, out);
    return describe(net.graph);
}

nlohmann::json run_network_travel(const NetworkTravelJob& job, Log& log) {
    Study study(log, job.threads);
    return network_travel_stage(job, study).summary;
}

nlohmann::json run_network_travel(const NetworkTravelJob& job, Study& study) { return network_travel_stage(job, study).summary; }

TravelOutcome network_travel_stage(const NetworkTravelJob& job, Study& study) {
    Log& log = study.log();
    auto t0 = std::chrono::steady_clock::now();
    for (const auto& out : {job.matrix_out, job.routes_out, job.nearest_out})
        refuse_output_over_inputs(out, {job.from.path, job.to.path, job.network.path});
    OutputFile matrix_file(job.matrix_out);
    std::unique_ptr<OutputFile> routes_file, nearest_file;
    if (!job.routes_out.empty()) routes_file = std::make_unique<OutputFile>(job.routes_out);
    if (!job.nearest_out.empty()) nearest_file = std::make_unique<OutputFile>(job.nearest_out);
    const unsigned threads = study.threads();
    const GeosContext& ctx = study.pool().main();
    study.read_all({{&job.from, GeomKind::Point, "from"}, {&job.to, GeomKind::Point, "to"}});
    const Dataset& from = study.dataset(job.from, GeomKind::Point, "from");
    const Dataset& to = study.dataset(job.to, GeomKind::Point, "to");
    // A hierarchy pays off for tables with many sources; small ones use Dijkstra directly
    // (unless an earlier stage of the study built one already).
    const Network& net = study.network(job.network, from.features.size() >= 64 && to.features.size() >= 64);
    const Graph& g = net.graph;
    const std::vector<double>& w = g.duration_s;
    // Points far beyond the others' extent are reported and reach no one (status from_far_off, to_far_off).
    ProjContext pctx;
    const FarOffAmong among = far_off_among(pctx, {point_lonlats(ctx, from), point_lonlats(ctx, to)}, job.max_offset_m);
    report_far_off(log, among, {&from, &to}, job.max_offset_m, {"--from-crs", "--to-crs"});
    const FarOff &far_from = among.far[0], &far_to = among.far[1];
    Snapper snapper(g);
    std::vector<Snapped> src = snap_all(snapper, from, among.points[0], far_from, job.max_snap_m, log),
                         dst = snap_all(snapper, to, among.points[1], far_to, job.max_snap_m, log);

    const std::size_t ns = src.size(), nt = dst.size();
    const TableMethod method = table_method(g.nodes(), nt, !net.ch.empty());
    const TableRows table(g, w, net.ch.empty() ? nullptr : &net.ch, src, dst, method);
    // Rows are computed and written a block at a time: memory holds the graph and one block,
    // whatever the table's size. The typed result keeps the whole matrices only up to
    // job.max_result_pairs (a larger table lives in the file alone).
    const std::size_t block = job.block_rows ? job.block_rows : std::max<std::size_t>(1, std::min<std::size_t>(ns, kTableBlockPairs / std::max<std::size_t>(nt, 1)));
    const bool keep = ns * nt <= job.max_result_pairs;
    TravelResult result;
    for (const auto& f : from.features) result.from_ids.push_back(f.id);
    for (const auto& t : to.features) result.to_ids.push_back(t.id);
    if (keep) {
        result.distance_m.resize(static_cast<Eigen::Index>(ns), static_cast<Eigen::Index>(nt));
        result.duration_s.resize(static_cast<Eigen::Index>(ns), static_cast<Eigen::Index>(nt));
    }
    result.method = table_method_name(method);
    std::size_t unreachable = 0;
    // Each destination's nearest origin by time, for the routes layer.
    std::vector<std::size_t> nearest(nt, SIZE_MAX);
    std::vector<double> nearest_cost(nt, kUnreached), nearest_length(nt, kUnreached);
    const auto compute_started = std::chrono::steady_clock::now();
    double search_s = 0;
    {
        MatrixCsv csv(matrix_file.temp(), study.shown(job.matrix_out), job.layout, result.from_ids, result.to_ids, {"distance_m", "duration_s"}, 1, true);
        std::vector<double> cost(block * nt), length(block * nt);
        std::vector<const char*> status(nt);
        Progress progress(log, "table rows", ns);
        for (std::size_t first = 0; first < ns; first += block) {
            const std::size_t count = std::min(block, ns - first);
            const auto t_search = std::chrono::steady_clock::now();
            table.compute(first, count, threads, cost.data(), length.data());
            search_s += seconds_since(t_search);
            for (std::size_t r = 0; r < count; ++r) {
                const std::size_t i = first + r;
                double* c = &cost[r * nt];
                double* l = &length[r * nt];
                for (std::size_t j = 0; j < nt; ++j) {
                    status[j] = far_from.far[i] ? "from_far_off" : far_to.far[j] ? "to_far_off" : !src[i].ok ? "from_off_network" : !dst[j].ok ? "to_off_network"
                                : c[j] == kUnreached                               ? "no_route"
                                                                                   : "ok";
                    if (c[j] == kUnreached) {
                        ++unreachable;
                        c[j] = l[j] = std::numeric_limits<double>::quiet_NaN();
                    } else if (c[j] < nearest_cost[j]) {
                        nearest_cost[j] = c[j], nearest_length[j] = l[j], nearest[j] = i;
                    }
                }
                if (keep) {
                    std::copy(l, l + nt, result.distance_m.row(static_cast<Eigen::Index>(i)).data());
                    std::copy(c, c + nt, result.duration_s.row(static_cast<Eigen::Index>(i)).data());
                }
                csv.row(i, {l, c}, status.data());
            }
            progress.tick(count);
        }
        csv.close();
    }
    const double table_s = seconds_since(compute_started);

    nlohmann::json summary;
    summary["network"] = describe(g);
    summary["method"] = table_method_name(method);
    summary["layout"] = job.layout == MatrixLayout::Wide ? "wide" : "long";
    summary["from"] = {{"path", from.path}, {"features", ns}, {"off_network", std::count_if(src.begin(), src.end(), [](const Snapped& s) { return !s.ok; }) - static_cast<std::ptrdiff_t>(far_from.count)}};
    summary["to"] = {{"path", to.path}, {"features", nt}, {"off_network", std::count_if(dst.begin(), dst.end(), [](const Snapped& s) { return !s.ok; }) - static_cast<std::ptrdiff_t>(far_to.count)}};
    // Off-network points whose nearest roads are a dropped (cut-off) part of the network.
    summary["from"]["cut_off"] = std::count_if(src.begin(), src.end(), [](const Snapped& s) { return !s.ok && s.cut_off; });
    summary["to"]["cut_off"] = std::count_if(dst.begin(), dst.end(), [](const Snapped& s) { return !s.ok && s.cut_off; });
    summary["far_off"] = {{"max_offset_m", job.max_offset_m}, {"from", far_off_json(from, far_from, among.points[0])},
                          {"to", far_off_json(to, far_to, among.points[1])}};
    summary["pairs"] = ns * nt;
    summary["unreachable_pairs"] = unreachable;
    summary["block_rows"] = block;
    summary["in_result"] = keep;
    summary["table_s"] = table_s;
    summary["search_s"] = search_s;
    summary["pairs_per_s"] = table_s > 0 ? static_cast<double>(ns * nt) / table_s : 0.0;
    result.unreachable_pairs = unreachable;

    if (nearest_file) {  // each destination's nearest origin by travel time, found while streaming (ties: the first origin)
        CsvWriter csv(nearest_file->temp(), study.shown(job.nearest_out));
        csv.text("to_id").text("nearest_from_id").text("distance_m").text("duration_s").text("status").end_row();
        const bool any_origin_on_network = std::any_of(src.begin(), src.end(), [](const Snapped& s) { return s.ok; });
        for (std::size_t j = 0; j < nt; ++j) {
            csv.text(to.features[j].id);
            if (nearest[j] != SIZE_MAX) {
                const std::size_t i = nearest[j];
                csv.text(from.features[i].id).fixed(nearest_length[j], 3).fixed(nearest_cost[j], 3).text("ok");
            } else {
                csv.empty().empty().empty().text(far_to.far[j] ? "to_far_off" : !dst[j].ok ? "to_off_network" : !any_origin_on_network ? "from_off_network" : "no_route");
            }
            csv.end_row();
        }
        csv.close();
        summary["nearest"] = study.shown(job.nearest_out);
    }

    if (routes_file) {
        // Each destination's route from its nearest origin by travel time.
        OutLayer routes("routes", OutGeom::Line);
        const std::size_t c_to = routes.add_field("to_id", FieldType::String), c_from = routes.add_field("from_id", FieldType::String);
        const std::size_t c_d = routes.add_field("distance_m", FieldType::Real), c_t = routes.add_field("duration_s", FieldType::Real);
        const std::size_t c_status = routes.add_field("status", FieldType::String);
        const std::size_t c_stroke = routes.add_field("stroke", FieldType::String, false, true);
        const std::size_t c_width = routes.add_field("stroke-width", FieldType::Real, false, true);
        const std::size_t c_title = routes.add_field("title", FieldType::String, false, true);
        Dijkstra dijkstra(g, w);
        std::vector<std::vector<std::size_t>> by_source(ns);
        for (std::size_t j = 0; j < nt; ++j)
            if (nearest[j] != SIZE_MAX) by_source[nearest[j]].push_back(j);
        std::vector<std::vector<double>> lon(nt), lat(nt);
        for (std::size_t i = 0; i < ns; ++i) {
            if (by_source[i].empty()) continue;
            dijkstra.run(source_seeds(g, w, src[i]));
            for (std::size_t j : by_source[i]) route_points(g, w, dijkstra, src[i], dst[j], lon[j], lat[j]);
        }
        for (std::size_t j = 0; j < nt; ++j) {
            std::vector<Value> row(routes.fields.size());
            row[c_to] = to.features[j].id;
            row[c_stroke] = std::string("#d95f02");
            row[c_width] = 3.0;
            row[c_title] = "Route to " + (to.features[j].name.empty() ? to.features[j].id : to.features[j].name);
            std::vector<unsigned char> wkb;
            if (nearest[j] != SIZE_MAX && lon[j].size() >= 2) {
                const std::size_t i = nearest[j];
                row[c_from] = from.features[i].id;
                row[c_d] = nearest_length[j];
                row[c_t] = nearest_cost[j];
                row[c_status] = std::string("ok");
                GEOSCoordSequence* seq = GEOSCoordSeq_create_r(ctx, static_cast<unsigned>(lon[j].size()), 2);
                for (std::size_t k = 0; k < lon[j].size(); ++k) GEOSCoordSeq_setXY_r(ctx, seq, static_cast<unsigned>(k), lon[j][k], lat[j][k]);
                GeomPtr line = own(ctx, GEOSGeom_createLineString_r(ctx, seq), "route line");
                wkb = to_wkb(ctx, line.get());
            } else {
                row[c_status] = std::string(!dst[j].ok ? "to_off_network" : "no_route");
            }
            routes.rows.push_back(std::move(row));
            routes.wkb.push_back(std::move(wkb));
        }
        std::filesystem::remove(routes_file->temp());  // GDAL creates the file itself
        write_layer_file(routes, Format::GeoJSON, routes_file->temp());
        summary["routes"] = study.shown(job.routes_out);
    }
    matrix_file.commit();
    if (routes_file) routes_file->commit();
    if (nearest_file) nearest_file->commit();
    summary["seconds"] = seconds_since(t0);
    summary["warnings"] = log.warnings();
    summary["matrix"] = study.shown(job.matrix_out);
    log.info("wrote " + std::to_string(ns * nt) + " travel times to " + study.shown(job.matrix_out) + " (" + table_method_name(method) + ", " +
             std::to_string(static_cast<long long>(summary["pairs_per_s"].get<double>())) + " pairs/s, " +
             std::to_string(static_cast<long long>(static_cast<double>(ns) / std::max(table_s, 1e-9))) + " rows/s)");
    return {std::move(result), std::move(summary)};
}

}  // namespace nightout
