#include "geo/dissolve.hpp"

#include "geo/spatial_index.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <unordered_map>

namespace nightout {


GeomPtr dissolve_coverage(const GeosContext& ctx, const std::vector<const GEOSGeometry*>& parts) {
    // Vertices by exact coordinates; segments by their two vertex ids. A segment seen an
    // even number of times lies between two parts and is not on the union's boundary.
    std::unordered_map<XY, std::uint32_t, XYHash> vertex_id;
    std::vector<XY> vertex;
    std::unordered_map<std::uint64_t, std::uint32_t> segment_count;
    double area_in = 0;
    std::vector<double> buffer;
    auto add_ring = [&](const GEOSGeometry* ring) {
        const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(ctx, ring);
        unsigned size = 0;
        if (!seq || !GEOSCoordSeq_getSize_r(ctx, seq, &size) || size < 4) return;
        buffer.resize(2 * size);
        GEOSCoordSeq_copyToBuffer_r(ctx, seq, buffer.data(), 0, 0);
        std::uint32_t prev = 0;
        for (unsigned i = 0; i < size; ++i) {
            const XY p{buffer[2 * i], buffer[2 * i + 1]};
            auto [it, added] = vertex_id.try_emplace(p, static_cast<std::uint32_t>(vertex.size()));
            if (added) vertex.push_back(p);
            const std::uint32_t id = it->second;
            if (i > 0 && id != prev) {
                const std::uint64_t key = (static_cast<std::uint64_t>(std::min(prev, id)) << 32) | std::max(prev, id);
                ++segment_count[key];
            }
            prev = id;
        }
    };
    for (const GEOSGeometry* part : parts) {
        area_in += area(ctx, part);
        const int n = GEOSGetNumGeometries_r(ctx, part);
        for (int k = 0; k < n; ++k) {
            const GEOSGeometry* poly = GEOSGetGeometryN_r(ctx, part, k);
            if (GEOSGeomTypeId_r(ctx, poly) != GEOS_POLYGON) return GeomPtr(nullptr, GeomDeleter{ctx.handle()});
            add_ring(GEOSGetExteriorRing_r(ctx, poly));
            const int holes = GEOSGetNumInteriorRings_r(ctx, poly);
            for (int h = 0; h < holes; ++h) add_ring(GEOSGetInteriorRingN_r(ctx, poly, h));
        }
    }

    // The boundary: segments seen once (an odd number of times), as an adjacency list.
    std::vector<std::uint32_t> degree(vertex.size(), 0);
    std::vector<std::pair<std::uint32_t, std::uint32_t>> boundary;
    for (const auto& [key, count] : segment_count)
        if (count % 2 == 1) {
            const auto a = static_cast<std::uint32_t>(key >> 32), b = static_cast<std::uint32_t>(key & 0xffffffffu);
            boundary.emplace_back(a, b);
            ++degree[a];
            ++degree[b];
        }
    // Sorted so the chaining (and the polygonizer's input) does not depend on hash order.
    std::sort(boundary.begin(), boundary.end());
    std::vector<std::uint32_t> first(vertex.size() + 1, 0);
    for (const auto& [a, b] : boundary) ++first[a + 1], ++first[b + 1];
    for (std::size_t v = 0; v < vertex.size(); ++v) first[v + 1] += first[v];
    std::vector<std::uint32_t> fill(first.begin(), first.end() - 1);
    std::vector<std::uint32_t> incident(2 * boundary.size());  // segment indices around each vertex
    for (std::uint32_t s = 0; s < boundary.size(); ++s) {
        incident[fill[boundary[s].first]++] = s;
        incident[fill[boundary[s].second]++] = s;
    }

    // Chain segments through vertices of degree 2 into lines that start and end at
    // junctions (degree other than 2); what is left after that are closed rings.
    std::vector<bool> used(boundary.size(), false);
    std::vector<GEOSGeometry*> lines;
    std::vector<double> xy;
    auto walk = [&](std::uint32_t start, std::uint32_t s) {
        xy.clear();
        std::uint32_t v = start;
        xy.push_back(vertex[v].x), xy.push_back(vertex[v].y);
        while (true) {
            used[s] = true;
            v = boundary[s].first == v ? boundary[s].second : boundary[s].first;
            xy.push_back(vertex[v].x), xy.push_back(vertex[v].y);
            if (degree[v] != 2 || v == start) break;
            const std::uint32_t s0 = incident[first[v]], s1 = incident[first[v] + 1];
            s = s0 == s ? s1 : s0;
            if (used[s]) break;
        }
        GEOSCoordSequence* seq = GEOSCoordSeq_copyFromBuffer_r(ctx, xy.data(), static_cast<unsigned>(xy.size() / 2), 0, 0);
        if (GEOSGeometry* line = seq ? GEOSGeom_createLineString_r(ctx, seq) : nullptr) lines.push_back(line);
    };
    for (std::uint32_t v = 0; v < vertex.size(); ++v)
        if (degree[v] != 2)
            for (std::uint32_t k = first[v]; k < first[v + 1]; ++k)
                if (!used[incident[k]]) walk(v, incident[k]);
    for (std::uint32_t s = 0; s < boundary.size(); ++s)
        if (!used[s]) walk(boundary[s].first, s);

    GeomPtr result(GEOSPolygonize_valid_r(ctx, lines.data(), static_cast<unsigned>(lines.size())), GeomDeleter{ctx.handle()});
    for (GEOSGeometry* line : lines) GEOSGeom_destroy_r(ctx, line);
    // GEOS's own coverage union checks its input the same way: unmatched edges change the area.
    if (!result || std::fabs(area(ctx, result.get()) - area_in) > 1e-6 * std::max(area_in, 1.0)) return GeomPtr(nullptr, GeomDeleter{ctx.handle()});
    return result;
}

}  // namespace nightout
