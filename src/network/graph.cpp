#include "network/graph.hpp"

#include "write/csv.hpp"

#include "network/binary_io.hpp"

#include "core/error.hpp"
#include "write/output_dir.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <numeric>

namespace nightout {

NodeId Graph::tail(EdgeId e) const {
    auto it = std::upper_bound(first_out.begin(), first_out.end(), e);
    return static_cast<NodeId>(std::distance(first_out.begin(), it) - 1);
}

std::size_t Graph::memory_bytes() const {
    return lon.capacity() * 8 + lat.capacity() * 8 + source_id.capacity() * 8 + first_out.capacity() * 4 + head.capacity() * 4 +
           length_m.capacity() * 8 + duration_s.capacity() * 8 + segment.capacity() * 4 + reversed.capacity() +
           seg_first.capacity() * 4 + shape_lon.capacity() * 8 + shape_lat.capacity() * 8 + restricted.capacity() +
           dropped_seg_first.capacity() * 4 + dropped_lon.capacity() * 8 + dropped_lat.capacity() * 8;
}

namespace {

struct Arc {
    NodeId from, to;
    std::uint32_t segment;
    bool reversed;
    double length, duration;
    bool restricted;
};

// Tarjan's strongly connected components, iterative; returns a component id per node.
std::vector<std::uint32_t> strong_components(std::size_t n, const std::vector<EdgeId>& first, const std::vector<NodeId>& head,
                                             std::uint32_t& count) {
    constexpr std::uint32_t kUnset = UINT32_MAX;
    std::vector<std::uint32_t> index(n, kUnset), low(n, 0), comp(n, kUnset);
    std::vector<NodeId> stack;
    std::vector<std::pair<NodeId, EdgeId>> call;  // node, next edge to look at
    std::vector<char> on_stack(n, 0);
    std::uint32_t next_index = 0;
    count = 0;
    for (NodeId root = 0; root < n; ++root) {
        if (index[root] != kUnset) continue;
        call.push_back({root, first[root]});
        index[root] = low[root] = next_index++;
        stack.push_back(root);
        on_stack[root] = 1;
        while (!call.empty()) {
            auto& [v, e] = call.back();
            if (e < first[v + 1]) {
                NodeId w = head[e++];
                if (index[w] == kUnset) {
                    index[w] = low[w] = next_index++;
                    stack.push_back(w);
                    on_stack[w] = 1;
                    call.push_back({w, first[w]});
                } else if (on_stack[w]) {
                    low[v] = std::min(low[v], index[w]);
                }
                continue;
            }
            if (low[v] == index[v]) {
                NodeId w;
                do {
                    w = stack.back();
                    stack.pop_back();
                    on_stack[w] = 0;
                    comp[w] = count;
                } while (w != v);
                ++count;
            }
            NodeId done = v;
            call.pop_back();
            if (!call.empty()) low[call.back().first] = std::min(low[call.back().first], low[done]);
        }
    }
    return comp;
}

// Position along a Hilbert curve of order 16 over the bounding box: nodes close in
// space get close ids, so searches touch fewer cache lines.
std::uint64_t hilbert(std::uint32_t x, std::uint32_t y) {
    std::uint64_t d = 0;
    for (std::uint32_t s = 1u << 15; s > 0; s >>= 1) {
        std::uint32_t rx = (x & s) ? 1 : 0, ry = (y & s) ? 1 : 0;
        d += static_cast<std::uint64_t>(s) * s * ((3 * rx) ^ ry);
        if (ry == 0) {
            if (rx == 1) {
                x = s - 1 - x;
                y = s - 1 - y;
            }
            std::swap(x, y);
        }
    }
    return d;
}

void write_string(BinaryWriter& out, const std::string& s) { write_vector(out, std::vector<char>(s.begin(), s.end())); }
std::string read_string(BinaryReader& in, const std::string& what) {
    std::vector<char> v;
    read_vector(in, v, what);
    return {v.begin(), v.end()};
}

// Open streets that can be reached only through restricted ones (an untagged piece between two
// destination-only pieces, say) would be unreachable under the restricted-runs rule: they are
// restricted too. Only the largest set of nodes joined by unrestricted edges stays open.
void restrict_pockets(Graph& g, const std::string& source, Log& log) {
    std::vector<NodeId> parent(g.nodes());
    std::iota(parent.begin(), parent.end(), 0);
    auto find = [&](NodeId v) {
        while (parent[v] != v) v = parent[v] = parent[parent[v]];
        return v;
    };
    for (NodeId u = 0; u < g.nodes(); ++u)
        for (EdgeId e = g.first_out[u]; e < g.first_out[u + 1]; ++e)
            if (!g.restricted[e]) parent[find(u)] = find(g.head[e]);
    std::vector<std::uint32_t> size(g.nodes(), 0);
    for (NodeId v = 0; v < g.nodes(); ++v) ++size[find(v)];
    const NodeId open = static_cast<NodeId>(std::max_element(size.begin(), size.end()) - size.begin());
    std::size_t pockets = 0;
    for (NodeId u = 0; u < g.nodes(); ++u)
        for (EdgeId e = g.first_out[u]; e < g.first_out[u + 1]; ++e)
            if (!g.restricted[e] && find(u) != open) g.restricted[e] = 1, ++pockets;
    if (pockets > 0)
        log.info(source + ": " + std::to_string(pockets) + " open edges reached only through restricted streets are restricted too");
}

constexpr char kMagic[16] = "NIGHTOUT-GRAPH";
// 2: restricted edges (issue 17); a checksum ends the network file, and loading validates every array.
// 3: the dropped roads' geometry (issue 13), so that a point near them is cut_off as when the
//    graph is built from its extract in the same run.
constexpr std::uint32_t kVersion = 3;

std::string num(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.10g", v);
    return buf;
}

// Offsets into an array of `size` entries: first 0, never decreasing, last `size`.
void check_offsets(BinaryReader& in, const std::vector<std::uint32_t>& first, std::size_t count, std::size_t size, const char* what) {
    if (first.size() != count + 1)
        in.fail(std::string(what) + " has " + std::to_string(first.size()) + " entries, expected " + std::to_string(count + 1));
    if (first.front() != 0) in.fail(std::string(what) + "[0] = " + std::to_string(first.front()) + ", expected 0");
    for (std::size_t i = 0; i < count; ++i)
        if (first[i] > first[i + 1])
            in.fail(std::string(what) + " decreases at " + std::to_string(i) + " (" + std::to_string(first[i]) + " > " +
                    std::to_string(first[i + 1]) + ")");
    if (first.back() != size)
        in.fail(std::string(what) + " ends at " + std::to_string(first.back()) + ", expected " + std::to_string(size));
}

template <typename T>
void check_size(BinaryReader& in, const std::vector<T>& v, std::size_t expected, const char* what) {
    if (v.size() != expected) in.fail(std::string(what) + " has " + std::to_string(v.size()) + " entries, expected " + std::to_string(expected));
}

void check_weights(BinaryReader& in, const std::vector<double>& v, const char* what) {
    for (std::size_t i = 0; i < v.size(); ++i)
        if (!std::isfinite(v[i]) || v[i] < 0) in.fail(std::string(what) + "[" + std::to_string(i) + "] = " + num(v[i]) + ", expected a finite value >= 0");
}

void check_coordinates(BinaryReader& in, const std::vector<double>& lon, const std::vector<double>& lat, const char* what) {
    for (std::size_t i = 0; i < lon.size(); ++i)
        if (!(lon[i] >= -180 && lon[i] <= 180 && lat[i] >= -90 && lat[i] <= 90))
            in.fail(std::string(what) + " " + std::to_string(i) + " at longitude " + num(lon[i]) + ", latitude " + num(lat[i]) +
                    ", outside -180..180 / -90..90");
}

}  // namespace

Graph build_graph(RawNetwork raw, const std::string& profile, const std::string& source, Log& log) {
    const std::size_t n = raw.lon.size();
    std::vector<Arc> arcs;
    for (std::uint32_t s = 0; s < raw.segments.size(); ++s) {
        const auto& seg = raw.segments[s];
        if (seg.a == seg.b) continue;  // loops never lie on a shortest path
        if (seg.speed_ab_kmh > 0)
            arcs.push_back({seg.a, seg.b, s, false, seg.length_m, seg.length_m / (seg.speed_ab_kmh / 3.6) + seg.delay_ab_s, seg.restricted});
        if (seg.speed_ba_kmh > 0)
            arcs.push_back({seg.b, seg.a, s, true, seg.length_m, seg.length_m / (seg.speed_ba_kmh / 3.6) + seg.delay_ba_s, seg.restricted});
    }
    if (arcs.empty()) throw_input(source + ": no usable roads for the " + profile + " profile");

    // Strongly connected components on a temporary CSR.
    std::sort(arcs.begin(), arcs.end(), [](const Arc& x, const Arc& y) { return x.from != y.from ? x.from < y.from : x.to < y.to; });
    std::vector<EdgeId> first(n + 1, 0);
    std::vector<NodeId> head(arcs.size());
    for (const Arc& a : arcs) ++first[a.from + 1];
    std::partial_sum(first.begin(), first.end(), first.begin());
    for (std::size_t i = 0; i < arcs.size(); ++i) head[i] = arcs[i].to;
    std::uint32_t ncomp = 0;
    auto comp = strong_components(n, first, head, ncomp);
    std::vector<std::uint64_t> size(ncomp, 0);
    std::vector<char> used(n, 0);
    for (const Arc& a : arcs) used[a.from] = used[a.to] = 1;
    for (NodeId v = 0; v < n; ++v)
        if (used[v]) ++size[comp[v]];
    const std::uint32_t keep = static_cast<std::uint32_t>(std::max_element(size.begin(), size.end()) - size.begin());

    // Hilbert order of the kept nodes.
    double x0 = 1e300, y0 = 1e300, x1 = -1e300, y1 = -1e300;
    for (NodeId v = 0; v < n; ++v)
        if (used[v] && comp[v] == keep) {
            x0 = std::min(x0, raw.lon[v]);
            x1 = std::max(x1, raw.lon[v]);
            y0 = std::min(y0, raw.lat[v]);
            y1 = std::max(y1, raw.lat[v]);
        }
    std::vector<std::pair<std::uint64_t, NodeId>> order;
    for (NodeId v = 0; v < n; ++v) {
        if (!used[v] || comp[v] != keep) continue;
        auto q = [](double t, double lo, double hi) { return static_cast<std::uint32_t>(hi > lo ? (t - lo) / (hi - lo) * 65535.0 : 0); };
        order.push_back({hilbert(q(raw.lon[v], x0, x1), q(raw.lat[v], y0, y1)), v});
    }
    std::sort(order.begin(), order.end());
    std::vector<NodeId> new_id(n, UINT32_MAX);
    Graph g;
    g.profile = profile;
    g.source = source;
    for (const auto& [h, v] : order) {
        new_id[v] = static_cast<NodeId>(g.lon.size());
        g.lon.push_back(raw.lon[v]);
        g.lat.push_back(raw.lat[v]);
        g.source_id.push_back(raw.source_id.empty() ? 0 : raw.source_id[v]);
    }

    std::vector<Arc> kept;
    for (const Arc& a : arcs)
        if (comp[a.from] == keep && comp[a.to] == keep)
            kept.push_back({new_id[a.from], new_id[a.to], a.segment, a.reversed, a.length, a.duration, a.restricted});
    g.components = ncomp;
    std::uint64_t used_nodes = std::count(used.begin(), used.end(), 1);
    g.dropped_nodes = used_nodes - g.lon.size();
    g.dropped_edges = arcs.size() - kept.size();
    std::sort(kept.begin(), kept.end(), [](const Arc& x, const Arc& y) {
        if (x.from != y.from) return x.from < y.from;
        if (x.to != y.to) return x.to < y.to;
        return x.segment < y.segment;
    });

    // Segments still used, renumbered in order of first use.
    std::vector<std::uint32_t> seg_id(raw.segments.size(), UINT32_MAX);
    g.seg_first.push_back(0);
    g.first_out.assign(g.lon.size() + 1, 0);
    for (const Arc& a : kept) {
        if (seg_id[a.segment] == UINT32_MAX) {
            seg_id[a.segment] = static_cast<std::uint32_t>(g.seg_first.size() - 1);
            const auto& s = raw.segments[a.segment];
            g.shape_lon.insert(g.shape_lon.end(), s.lon.begin(), s.lon.end());
            g.shape_lat.insert(g.shape_lat.end(), s.lat.begin(), s.lat.end());
            g.seg_first.push_back(static_cast<std::uint32_t>(g.shape_lon.size()));
        }
        ++g.first_out[a.from + 1];
        g.head.push_back(a.to);
        g.length_m.push_back(a.length);
        g.duration_s.push_back(a.duration);
        g.segment.push_back(seg_id[a.segment]);
        g.reversed.push_back(a.reversed ? 1 : 0);
        g.restricted.push_back(a.restricted ? 1 : 0);
    }

    std::partial_sum(g.first_out.begin(), g.first_out.end(), g.first_out.begin());
    // Roads of the dropped components, each segment once.
    std::vector<char> dropped_seg(raw.segments.size(), 0);
    for (const Arc& a : arcs)
        if (seg_id[a.segment] == UINT32_MAX) dropped_seg[a.segment] = 1;
    g.dropped_seg_first.push_back(0);
    for (std::uint32_t s = 0; s < raw.segments.size(); ++s) {
        if (!dropped_seg[s]) continue;
        g.dropped_lon.insert(g.dropped_lon.end(), raw.segments[s].lon.begin(), raw.segments[s].lon.end());
        g.dropped_lat.insert(g.dropped_lat.end(), raw.segments[s].lat.begin(), raw.segments[s].lat.end());
        g.dropped_seg_first.push_back(static_cast<std::uint32_t>(g.dropped_lon.size()));
    }
    if (std::find(g.restricted.begin(), g.restricted.end(), 1) == g.restricted.end()) g.restricted.clear();
    else restrict_pockets(g, source, log);
    if (g.dropped_nodes > 0)
        log.warn(source + ": " + std::to_string(g.dropped_nodes) + " road nodes (" + std::to_string(g.dropped_edges) +
                 " edges) outside the largest strongly connected component were dropped (" + std::to_string(ncomp) + " components)");
    return g;
}

void write_graph(const Graph& g, BinaryWriter& out) {
    out.write(kMagic, sizeof kMagic);
    out.write(&kVersion, sizeof kVersion);
    write_string(out, g.profile);
    write_string(out, g.source);
    write_vector(out, g.lon);
    write_vector(out, g.lat);
    write_vector(out, g.source_id);
    write_vector(out, g.first_out);
    write_vector(out, g.head);
    write_vector(out, g.length_m);
    write_vector(out, g.duration_s);
    write_vector(out, g.segment);
    write_vector(out, g.reversed);
    write_vector(out, g.seg_first);
    write_vector(out, g.shape_lon);
    write_vector(out, g.shape_lat);
    std::uint64_t info[3] = {g.dropped_nodes, g.dropped_edges, g.components};
    out.write(info, sizeof info);
    write_vector(out, g.restricted);  // empty when no edge is restricted
    write_vector(out, g.dropped_seg_first);  // empty when nothing was dropped
    write_vector(out, g.dropped_lon);
    write_vector(out, g.dropped_lat);
}

Graph read_graph(BinaryReader& in) {
    char magic[sizeof kMagic];
    in.read(magic, sizeof magic, "graph header");
    if (std::memcmp(magic, kMagic, sizeof kMagic) != 0) in.fail("no graph section header");
    const auto version = in.read_value<std::uint32_t>("graph version");
    if (version != kVersion)
        throw_input(in.path() + ": graph file version " + std::to_string(version) + " is not supported (this nightout reads version " +
                    std::to_string(kVersion) + (version < kVersion ? ", which also stores the roads dropped as cut off, so that points near them are reported cut_off" : "") +
                    "); rebuild it with `nightout graph build`");
    Graph g;
    g.profile = read_string(in, "profile name");
    g.source = read_string(in, "source name");
    read_vector(in, g.lon, "lon");
    read_vector(in, g.lat, "lat");
    read_vector(in, g.source_id, "source_id");
    read_vector(in, g.first_out, "first_out");
    read_vector(in, g.head, "head");
    read_vector(in, g.length_m, "length_m");
    read_vector(in, g.duration_s, "duration_s");
    read_vector(in, g.segment, "segment");
    read_vector(in, g.reversed, "reversed");
    read_vector(in, g.seg_first, "seg_first");
    read_vector(in, g.shape_lon, "shape_lon");
    read_vector(in, g.shape_lat, "shape_lat");
    std::uint64_t info[3] = {};
    in.read(info, sizeof info, "component counts");
    g.dropped_nodes = info[0];
    g.dropped_edges = info[1];
    g.components = info[2];
    read_vector(in, g.restricted, "restricted");
    read_vector(in, g.dropped_seg_first, "dropped_seg_first");
    read_vector(in, g.dropped_lon, "dropped_lon");
    read_vector(in, g.dropped_lat, "dropped_lat");

    // Every index the searches follow, in range; every weight and coordinate usable.
    const std::size_t n = g.lon.size(), m = g.head.size();
    if (n >= UINT32_MAX || m >= UINT32_MAX || g.shape_lon.size() >= UINT32_MAX) in.fail("more than 2^32 nodes, edges or shape points");
    check_size(in, g.lat, n, "lat");
    check_size(in, g.source_id, n, "source_id");
    check_offsets(in, g.first_out, n, m, "first_out");
    for (std::size_t e = 0; e < m; ++e)
        if (g.head[e] >= n) in.fail("head[" + std::to_string(e) + "] = " + std::to_string(g.head[e]) + " is not one of the " + std::to_string(n) + " nodes");
    check_size(in, g.length_m, m, "length_m");
    check_size(in, g.duration_s, m, "duration_s");
    check_size(in, g.segment, m, "segment");
    check_size(in, g.reversed, m, "reversed");
    if (!g.restricted.empty()) check_size(in, g.restricted, m, "restricted");
    for (std::size_t e = 0; e < g.restricted.size(); ++e)
        if (g.restricted[e] > 1) in.fail("restricted[" + std::to_string(e) + "] = " + std::to_string(g.restricted[e]) + ", expected 0 or 1");
    check_weights(in, g.length_m, "length_m");
    check_weights(in, g.duration_s, "duration_s");
    check_size(in, g.shape_lat, g.shape_lon.size(), "shape_lat");
    if (g.seg_first.empty()) in.fail("seg_first is empty");
    const std::size_t segments = g.seg_first.size() - 1;
    check_offsets(in, g.seg_first, segments, g.shape_lon.size(), "seg_first");
    for (std::size_t s = 0; s < segments; ++s)
        if (g.seg_first[s + 1] - g.seg_first[s] < 2) in.fail("segment " + std::to_string(s) + " has fewer than 2 points");
    for (std::size_t e = 0; e < m; ++e) {
        if (g.segment[e] >= segments)
            in.fail("segment[" + std::to_string(e) + "] = " + std::to_string(g.segment[e]) + " is not one of the " + std::to_string(segments) + " segments");
        if (g.reversed[e] > 1) in.fail("reversed[" + std::to_string(e) + "] = " + std::to_string(g.reversed[e]) + ", expected 0 or 1");
    }
    check_coordinates(in, g.lon, g.lat, "node");
    check_coordinates(in, g.shape_lon, g.shape_lat, "shape point");
    // The dropped roads: segments of at least 2 points each (none: all three arrays empty).
    check_size(in, g.dropped_lat, g.dropped_lon.size(), "dropped_lat");
    if (g.dropped_seg_first.empty()) {
        if (!g.dropped_lon.empty()) in.fail("dropped_lon has " + std::to_string(g.dropped_lon.size()) + " entries but there are no dropped segments");
    } else {
        if (g.dropped_lon.size() >= UINT32_MAX) in.fail("more than 2^32 dropped shape points");
        const std::size_t dropped = g.dropped_seg_first.size() - 1;
        check_offsets(in, g.dropped_seg_first, dropped, g.dropped_lon.size(), "dropped_seg_first");
        for (std::size_t s = 0; s < dropped; ++s)
            if (g.dropped_seg_first[s + 1] - g.dropped_seg_first[s] < 2) in.fail("dropped segment " + std::to_string(s) + " has fewer than 2 points");
        check_coordinates(in, g.dropped_lon, g.dropped_lat, "dropped shape point");
    }
    return g;
}

void export_edges_csv(const Graph& g, const std::string& path) {
    OutputFile file(path);
    {
        CsvWriter csv(file.temp(), path);
        for (const char* name : {"from_node", "to_node", "from_lon", "from_lat", "to_lon", "to_lat", "length_m", "duration_s", "restricted"}) csv.text(name);
        csv.end_row();
        for (NodeId u = 0; u < g.nodes(); ++u)
            for (EdgeId e = g.first_out[u]; e < g.first_out[u + 1]; ++e) {
                const NodeId v = g.head[e];
                csv.integer(u).integer(v).fixed(g.lon[u], 7).fixed(g.lat[u], 7).fixed(g.lon[v], 7).fixed(g.lat[v], 7);
                csv.number(g.length_m[e]).number(g.duration_s[e]).integer(g.is_restricted(e) ? 1 : 0).end_row();
            }
        csv.close();
    }
    file.commit();
}

}  // namespace nightout
