#include "network/network.hpp"
#include "core/output_paths.hpp"

#include "core/error.hpp"
#include "core/text.hpp"
#include "geo/crs.hpp"
#include "geo/geodesic.hpp"
#include "network/binary_io.hpp"
#include "network/osm_reader.hpp"
#include "read/dataset.hpp"
#include "write/output_dir.hpp"

#include <cerrno>
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <fstream>
#include <unordered_map>

namespace nightout {

namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string text_of(const Value& v) {
    if (auto* s = std::get_if<std::string>(&v)) return *s;
    if (auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
    if (auto* d = std::get_if<double>(&v)) return format_number(*d);
    return {};
}

// 1 = digitized direction only, -1 = against it, 0 = both. ESRI's FT/TF, OSM's yes/-1.
int oneway_direction(const std::string& raw) {
    std::string v = lower(raw);
    if (v == "yes" || v == "y" || v == "1" || v == "true" || v == "t" || v == "ft" || v == "f" || v == "forward") return 1;
    if (v == "-1" || v == "tf" || v == "reverse" || v == "backward" || v == "r") return -1;
    return 0;
}

// Line parts of a GEOS (Multi)LineString as lon/lat vectors.
std::vector<std::pair<std::vector<double>, std::vector<double>>> line_parts(const GeosContext& ctx, const GEOSGeometry* g) {
    std::vector<std::pair<std::vector<double>, std::vector<double>>> parts;
    const int n = GEOSGetNumGeometries_r(ctx, g);
    for (int i = 0; i < n; ++i) {
        const GEOSGeometry* line = GEOSGetGeometryN_r(ctx, g, i);
        const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(ctx, line);
        unsigned size = 0;
        if (!seq || !GEOSCoordSeq_getSize_r(ctx, seq, &size) || size < 2) continue;
        std::vector<double> lon(size), lat(size);
        for (unsigned k = 0; k < size; ++k) GEOSCoordSeq_getXY_r(ctx, seq, k, &lon[k], &lat[k]);
        parts.emplace_back(std::move(lon), std::move(lat));
    }
    return parts;
}

constexpr char kNetworkMagic[16] = "NIGHTOUT-NET";

}  // namespace

RawNetwork read_centerlines(const NetworkOptions& o, const Profile& profile, Log& log) {
    GeosContext ctx;
    ProjContext pctx;
    InputSpec spec;
    spec.path = o.path;
    spec.layer = o.layer;
    spec.crs = o.crs;
    Dataset ds = read_dataset(ctx, pctx, spec, GeomKind::Line, "network", log);
    auto field = [&](const std::string& name, const char* flag) {
        if (name.empty()) return -1;
        int f = ds.field_index(name);
        if (f < 0) {
            std::string names;
            for (const auto& fd : ds.fields) names += (names.empty() ? "" : ", ") + fd.name;
            throw_usage(o.path + ": no field '" + name + "' (given by " + flag + "); its fields are: " + names);
        }
        return f;
    };
    const int f_oneway = field(o.oneway_field, "--oneway-field"), f_speed = field(o.speed_field, "--speed-field"),
              f_class = field(o.class_field, "--class-field");
    double default_speed = 0;
    if (auto it = profile.speed_kmh.find("residential"); it != profile.speed_kmh.end()) default_speed = it->second;
    else default_speed = profile.speed_kmh.begin()->second;

    // Nodes: end points merged within the tolerance, through a hash grid in metres.
    double x0 = 1e300, y0 = 1e300, x1 = -1e300, y1 = -1e300;
    for (const auto& f : ds.features) {
        Box b = bounds(ctx, f.geom.get());
        x0 = std::min(x0, b.xmin), y0 = std::min(y0, b.ymin), x1 = std::max(x1, b.xmax), y1 = std::max(y1, b.ymax);
    }
    Transform to_local(pctx, kWgs84LonLat, choose_local_projection(x0, y0, x1, y1).proj_string());
    const double tol = std::max(o.snap_tolerance_m, 1e-6);
    std::unordered_map<std::uint64_t, std::vector<NodeId>> grid;
    std::vector<XY> node_xy;
    RawNetwork raw;
    auto cell_key = [](long cx, long cy) { return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(cx)) << 32) | static_cast<std::uint32_t>(cy); };
    auto node_at = [&](double lon, double lat) {
        XY p{lon, lat};
        to_local.forward(p.x, p.y);
        long cx = static_cast<long>(std::floor(p.x / tol)), cy = static_cast<long>(std::floor(p.y / tol));
        NodeId best = UINT32_MAX;
        double best_d = tol;
        for (long dx = -1; dx <= 1; ++dx)
            for (long dy = -1; dy <= 1; ++dy) {
                auto it = grid.find(cell_key(cx + dx, cy + dy));
                if (it == grid.end()) continue;
                for (NodeId v : it->second) {
                    double d = std::hypot(node_xy[v].x - p.x, node_xy[v].y - p.y);
                    if (d <= best_d) best_d = d, best = v;
                }
            }
        if (best != UINT32_MAX) return best;
        NodeId id = static_cast<NodeId>(raw.lon.size());
        raw.lon.push_back(lon);
        raw.lat.push_back(lat);
        raw.source_id.push_back(0);
        node_xy.push_back(p);
        grid[cell_key(cx, cy)].push_back(id);
        return id;
    };
    std::size_t unusable = 0;
    for (const auto& f : ds.features) {
        double speed = default_speed;
        if (f_class >= 0) {
            std::string cls = lower(text_of(f.attrs[f_class]));
            auto it = profile.speed_kmh.find(cls);
            if (it == profile.speed_kmh.end()) {
                ++unusable;
                continue;
            }
            speed = it->second;
        }
        if (f_speed >= 0) {
            const Value& v = f.attrs[f_speed];
            double s = std::holds_alternative<double>(v) ? std::get<double>(v)
                       : std::holds_alternative<std::int64_t>(v) ? static_cast<double>(std::get<std::int64_t>(v))
                                                                 : parse_maxspeed_kmh(text_of(v)).value_or(0.0);
            if (s > 0) speed = s;
        }
        int dir = profile.oneway && f_oneway >= 0 ? oneway_direction(text_of(f.attrs[f_oneway])) : 0;
        for (auto& [lon, lat] : line_parts(ctx, f.geom.get())) {
            RawNetwork::Segment s;
            s.a = node_at(lon.front(), lat.front());
            s.b = node_at(lon.back(), lat.back());
            for (std::size_t k = 1; k < lon.size(); ++k) s.length_m += geodesic_distance(lon[k - 1], lat[k - 1], lon[k], lat[k]);
            s.lon = std::move(lon);
            s.lat = std::move(lat);
            s.speed_ab_kmh = dir >= 0 ? speed : 0;
            s.speed_ba_kmh = dir <= 0 ? speed : 0;
            raw.segments.push_back(std::move(s));
        }
    }
    if (unusable) log.warn(o.path + ": " + std::to_string(unusable) + " lines have a road class the " + profile.name + " profile does not use");
    if (raw.segments.empty()) throw_input(o.path + ": no lines usable by the " + profile.name + " profile");
    return raw;
}

Network read_network(std::istream& file, const std::string& path) {
    Network net;
    BinaryReader in(file, path);
    char magic[sizeof kNetworkMagic] = {};
    if (in.left() < sizeof magic) throw_input(path + ": not a nightout network file; build one with `nightout graph build`");
    in.read(magic, sizeof magic, "header");
    if (std::memcmp(magic, kNetworkMagic, sizeof magic) != 0) throw_input(path + ": not a nightout network file; build one with `nightout graph build`");
    net.graph = read_graph(in);
    const auto has_ch = in.read_value<char>("hierarchy flag");
    if (has_ch != 0 && has_ch != 1) in.fail("hierarchy flag is " + std::to_string(has_ch) + ", expected 0 or 1");
    if (has_ch) load_ch(net.ch, in, net.graph.nodes());
    in.verify_checksum();
    return net;
}

Network open_network(const NetworkOptions& o, Log& log) {
    Network net;
    if (ends_with(o.path, ".graph")) {
        std::ifstream file(o.path, std::ios::binary);
        if (!file) throw_input(o.path + ": network file not found or not readable");
        net = read_network(file, o.path);
        if (o.profile_given && load_profile(o.profile).name != net.graph.profile)
            throw_usage(o.path + ": built for the " + net.graph.profile + " profile, not " + o.profile + "; rebuild it or leave out --profile");
        return net;
    }
    Profile profile = load_profile(o.profile);
    RawNetwork raw = is_osm_file(o.path) ? read_osm_network(o.path, profile, log) : read_centerlines(o, profile, log);
    net.graph = build_graph(std::move(raw), profile.name, o.path, log);
    log.info(o.path + ": routable graph of " + std::to_string(net.graph.nodes()) + " nodes and " + std::to_string(net.graph.edges()) +
             " edges (" + profile.name + ")");
    if (o.build_hierarchy) net.ch = build_ch(net.graph, net.graph.duration_s, log, o.threads);
    return net;
}

void save_network(const Network& n, const std::string& path) {
    OutputFile file(path);
    {
        std::ofstream stream(file.temp(), std::ios::binary);
        BinaryWriter out(stream);
        out.write(kNetworkMagic, sizeof kNetworkMagic);
        write_graph(n.graph, out);
        char has_ch = n.ch.empty() ? 0 : 1;
        out.write(&has_ch, 1);
        if (has_ch) save_ch(n.ch, out);
        out.write_checksum();
        if (!stream.flush()) throw_output(path + ": cannot write" + os_reason(errno));
    }
    file.commit();
}

}  // namespace nightout
