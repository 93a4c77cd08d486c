#include "network/table.hpp"

#include "network/ch.hpp"

#include <cmath>

namespace nightout {

std::vector<Snapped> snap_points(const Snapper& snapper, const PointSet& set, double max_snap_m, Log& log, const std::string& consequence) {
    const auto& points = set.points;
    const auto& ids = set.ids;
    std::vector<Snapped> out;
    out.reserve(points.size());
    std::vector<std::string> far, cut_off;
    for (std::size_t i = 0; i < points.size(); ++i) {
        out.push_back(snapper.snap(points[i].lon, points[i].lat, max_snap_m));
        if (!out.back().ok) (out.back().cut_off ? cut_off : far).push_back(i < ids.size() ? ids[i] : std::to_string(i + 1));
    }
    auto listed = [](const std::vector<std::string>& v) {
        std::string list;
        for (std::size_t i = 0; i < v.size() && i < 5; ++i) list += (i ? ", " : "") + v[i];
        if (v.size() > 5) list += ", ...";
        return list;
    };
    const std::string within = std::to_string(static_cast<long>(max_snap_m)) + " m";
    if (!far.empty())
        log.warn(std::to_string(far.size()) + " " + set.what + " point(s) lie more than " + within + " from any routable road and " + consequence +
                 " (" + listed(far) + ")");
    if (!cut_off.empty())
        log.warn(std::to_string(cut_off.size()) + " " + set.what + " point(s) lie within " + within +
                 " only of roads in a part of the network that was dropped (not strongly connected with the rest, e.g. cut by the "
                 "extract's border) and " + consequence + " (" + listed(cut_off) + "); a larger extract may connect them");
    return out;
}

const char* off_network_reason(const Snapped& s) { return s.ok ? "" : s.cut_off ? "cut_off" : "far_from_roads"; }

std::string describe_off_network(const Snapped& s, double max_snap_m) {
    if (s.ok) return "";
    const std::string snap = std::to_string(static_cast<long>(std::lround(s.snap_m))) + " m";
    if (s.cut_off)
        return "off the road network: its nearest roads (" + std::to_string(static_cast<long>(std::lround(s.cut_off_m))) +
               " m) belong to a part of the network cut off from the rest (not strongly connected, e.g. at the extract's border); the "
               "nearest connected road is " + snap + " away";
    return "off the road network: more than " + std::to_string(static_cast<long>(max_snap_m)) + " m from any routable road (nearest " + snap + ")";
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
