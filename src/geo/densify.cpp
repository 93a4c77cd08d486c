#include "geo/densify.hpp"

#include "geo/geodesic.hpp"

#include <cmath>
#include <vector>

namespace nightout {

namespace {

constexpr double kMetersPerDegree = 6378137.0 * M_PI / 180.0;

// Cheap upper bound of an edge's length (equirectangular at the edge's larger |cos lat|),
// so that short edges, nearly all of them, never pay for a geodesic.
double rough_length_m(double lon1, double lat1, double lon2, double lat2) {
    double c = std::max(std::cos(lat1 * M_PI / 180.0), std::cos(lat2 * M_PI / 180.0));
    double dx = (lon2 - lon1) * c, dy = lat2 - lat1;
    return std::sqrt(dx * dx + dy * dy) * kMetersPerDegree * 1.01;
}

struct Ring {
    std::vector<double> x, y;
};

Ring read_ring(const GeosContext& ctx, const GEOSGeometry* ring) {
    const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(ctx, ring);
    unsigned n = 0;
    GEOSCoordSeq_getSize_r(ctx, seq, &n);
    Ring r;
    r.x.resize(n);
    r.y.resize(n);
    for (unsigned i = 0; i < n; ++i) GEOSCoordSeq_getXY_r(ctx, seq, i, &r.x[i], &r.y[i]);
    return r;
}

bool needs_densify(const Ring& r, double max_edge_m) {
    for (std::size_t i = 1; i < r.x.size(); ++i)
        if (rough_length_m(r.x[i - 1], r.y[i - 1], r.x[i], r.y[i]) > max_edge_m) return true;
    return false;
}

Ring densified(const Ring& r, double max_edge_m) {
    Ring out;
    for (std::size_t i = 0; i < r.x.size(); ++i) {
        if (i > 0) {
            double lon1 = r.x[i - 1], lat1 = r.y[i - 1], lon2 = r.x[i], lat2 = r.y[i];
            if (rough_length_m(lon1, lat1, lon2, lat2) > max_edge_m) {
                if (std::fabs(lon2 - lon1) > 180.0) {
                    // The long way round in longitude: straight in lon/lat, as written.
                    int pieces = static_cast<int>(std::ceil(rough_length_m(lon1, lat1, lon2, lat2) / max_edge_m));
                    for (int k = 1; k < pieces; ++k) {
                        out.x.push_back(lon1 + (lon2 - lon1) * k / pieces);
                        out.y.push_back(lat1 + (lat2 - lat1) * k / pieces);
                    }
                } else {
                    double s = geodesic_distance(lon1, lat1, lon2, lat2);
                    int pieces = static_cast<int>(std::ceil(s / max_edge_m));
                    geodesic_interior_points(lon1, lat1, lon2, lat2, pieces, out.x, out.y);
                }
            }
        }
        out.x.push_back(r.x[i]);
        out.y.push_back(r.y[i]);
    }
    return out;
}

GEOSGeometry* make_ring(const GeosContext& ctx, const Ring& r) {
    GEOSCoordSequence* seq = GEOSCoordSeq_copyFromArrays_r(ctx, r.x.data(), r.y.data(), nullptr, nullptr,
                                                           static_cast<unsigned>(r.x.size()));
    return seq ? GEOSGeom_createLinearRing_r(ctx, seq) : nullptr;
}

// One polygon rebuilt, or null (with `changed` left alone) when none of its rings needs it.
GEOSGeometry* densify_polygon(const GeosContext& ctx, const GEOSGeometry* poly, double max_edge_m, bool& changed) {
    std::vector<Ring> rings;
    rings.push_back(read_ring(ctx, GEOSGetExteriorRing_r(ctx, poly)));
    const int holes = GEOSGetNumInteriorRings_r(ctx, poly);
    for (int h = 0; h < holes; ++h) rings.push_back(read_ring(ctx, GEOSGetInteriorRingN_r(ctx, poly, h)));
    bool any = false;
    for (const Ring& r : rings) any = any || needs_densify(r, max_edge_m);
    if (!any) return GEOSGeom_clone_r(ctx, poly);
    changed = true;
    GEOSGeometry* shell = make_ring(ctx, densified(rings[0], max_edge_m));
    std::vector<GEOSGeometry*> inner;
    for (std::size_t i = 1; i < rings.size(); ++i) inner.push_back(make_ring(ctx, densified(rings[i], max_edge_m)));
    return GEOSGeom_createPolygon_r(ctx, shell, inner.data(), static_cast<unsigned>(inner.size()));
}

}  // namespace

GeomPtr densify_geodesic(const GeosContext& ctx, const GEOSGeometry* lonlat, double max_edge_m) {
    const int type = GEOSGeomTypeId_r(ctx, lonlat);
    bool changed = false;
    if (type == GEOS_POLYGON) {
        GeomPtr out = own(ctx, densify_polygon(ctx, lonlat, max_edge_m, changed), "densify polygon");
        return changed ? std::move(out) : nullptr;
    }
    if (type != GEOS_MULTIPOLYGON) return nullptr;
    const int n = GEOSGetNumGeometries_r(ctx, lonlat);
    std::vector<GEOSGeometry*> parts;
    for (int i = 0; i < n; ++i) parts.push_back(densify_polygon(ctx, GEOSGetGeometryN_r(ctx, lonlat, i), max_edge_m, changed));
    GeomPtr out = own(ctx, GEOSGeom_createCollection_r(ctx, GEOS_MULTIPOLYGON, parts.data(), static_cast<unsigned>(parts.size())),
                      "densify multipolygon");
    return changed ? std::move(out) : nullptr;
}

}  // namespace nightout
