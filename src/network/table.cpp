#include "network/table.hpp"

#include "network/ch.hpp"

namespace nightout {

std::vector<Snapped> snap_points(const Snapper& snapper, const PointSet& set, double max_snap_m, Log& log, const std::string& consequence) {
    const auto& points = set.points;
    const auto& ids = set.ids;
    std::vector<Snapped> out;
    out.reserve(points.size());
    std::vector<std::string> far;
    for (std::size_t i = 0; i < points.size(); ++i) {
        out.push_back(snapper.snap(points[i].lon, points[i].lat, max_snap_m));
        if (!out.back().ok) far.push_back(i < ids.size() ? ids[i] : std::to_string(i + 1));
    }
    if (!far.empty()) {
        std::string list;
        for (std::size_t i = 0; i < far.size() && i < 5; ++i) list += (i ? ", " : "") + far[i];
        if (far.size() > 5) list += ", ...";
        log.warn(std::to_string(far.size()) + " " + set.what + " point(s) lie more than " + std::to_string(static_cast<long>(max_snap_m)) +
                 " m from any routable road and " + consequence + " (" + list + ")");
    }
    return out;
}

TravelTable travel_table(const Network& net, Metric metric, const PointSet& from, const PointSet& to, double max_snap_m, unsigned threads,
                         Log& log) {
    const Graph& g = net.graph;
    const std::vector<double>& w = weights(g, metric);
    Snapper snapper(g);
    TravelTable t;
    t.from = snap_points(snapper, from, max_snap_m, log);
    t.to = snap_points(snapper, to, max_snap_m, log);
    // A hierarchy pays for its construction only when there are many sources.
    const std::size_t rows = from.points.size(), cols = to.points.size();
    const bool big = rows >= 64 && cols >= 64 && rows * cols >= 100'000;
    if (metric == Metric::Duration && !net.ch.empty()) {
        ch_table(g, w, net.ch, t.from, t.to, threads, t.cost, t.length_m, log);
        t.method = "contraction hierarchy";
    } else if (big) {
        const ContractionHierarchy ch = build_ch(g, w, log, threads);
        ch_table(g, w, ch, t.from, t.to, threads, t.cost, t.length_m, log);
        t.method = "contraction hierarchy";
    } else {
        dijkstra_table(g, w, t.from, t.to, threads, t.cost, t.length_m, log);
        t.method = "dijkstra";
    }
    return t;
}

}  // namespace nightout
