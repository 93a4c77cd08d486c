#include "geo/geos.hpp"

#include "core/error.hpp"

#include <cstdarg>
#include <cstdio>

namespace nightout {

GeosContext::GeosContext() : handle_(GEOS_init_r()) {
    GEOSContext_setErrorMessageHandler_r(handle_, &GeosContext::on_error, this);
}

GeosContext::~GeosContext() { GEOS_finish_r(handle_); }

void GeosContext::on_error(const char* message, void* self) {
    static_cast<GeosContext*>(self)->last_error_ = message ? message : "";
}

GeomPtr own(const GeosContext& ctx, GEOSGeometry* g, const char* what) {
    if (!g) throw_internal(std::string("GEOS ") + what + " failed: " + ctx.last_error());
    return GeomPtr(g, GeomDeleter{ctx.handle()});
}

PreparedPtr prepare(const GeosContext& ctx, const GEOSGeometry* g) {
    const GEOSPreparedGeometry* p = GEOSPrepare_r(ctx, g);
    if (!p) throw_internal("GEOS prepare failed: " + ctx.last_error());
    return PreparedPtr(p, PreparedDeleter{ctx.handle()});
}

GeomPtr clone(const GeosContext& ctx, const GEOSGeometry* g) { return own(ctx, GEOSGeom_clone_r(ctx, g), "clone"); }

GeomPtr make_point(const GeosContext& ctx, double x, double y) {
    return own(ctx, GEOSGeom_createPointFromXY_r(ctx, x, y), "point");
}

GeomPtr from_wkb(const GeosContext& ctx, const unsigned char* wkb, std::size_t size) {
    GEOSWKBReader* reader = GEOSWKBReader_create_r(ctx);
    GEOSGeometry* g = GEOSWKBReader_read_r(ctx, reader, wkb, size);
    GEOSWKBReader_destroy_r(ctx, reader);
    return own(ctx, g, "WKB read");
}

std::vector<unsigned char> to_wkb(const GeosContext& ctx, const GEOSGeometry* g) {
    GEOSWKBWriter* writer = GEOSWKBWriter_create_r(ctx);
    GEOSWKBWriter_setOutputDimension_r(ctx, writer, 2);
    std::size_t size = 0;
    unsigned char* buf = GEOSWKBWriter_write_r(ctx, writer, g, &size);
    GEOSWKBWriter_destroy_r(ctx, writer);
    if (!buf) throw_internal("GEOS WKB write failed: " + ctx.last_error());
    std::vector<unsigned char> out(buf, buf + size);
    GEOSFree_r(ctx, buf);
    return out;
}

GeomPtr collect(const GeosContext& ctx, int type, std::vector<GeomPtr> parts) {
    std::vector<GEOSGeometry*> raw;
    raw.reserve(parts.size());
    for (auto& p : parts) raw.push_back(p.get());
    GEOSGeometry* g = GEOSGeom_createCollection_r(ctx, type, raw.data(), static_cast<unsigned>(raw.size()));
    if (!g) throw_internal("GEOS collection failed: " + ctx.last_error());
    for (auto& p : parts) p.release();  // now owned by the collection
    return GeomPtr(g, GeomDeleter{ctx.handle()});
}

double area(const GeosContext& ctx, const GEOSGeometry* g) {
    double a = 0;
    if (!GEOSArea_r(ctx, g, &a)) throw_internal("GEOS area failed: " + ctx.last_error());
    return a;
}

bool is_empty(const GeosContext& ctx, const GEOSGeometry* g) { return GEOSisEmpty_r(ctx, g) == 1; }

void point_xy(const GeosContext& ctx, const GEOSGeometry* point, double& x, double& y) {
    if (!GEOSGeomGetX_r(ctx, point, &x) || !GEOSGeomGetY_r(ctx, point, &y))
        throw_internal("GEOS point coordinates failed: " + ctx.last_error());
}

Box bounds(const GeosContext& ctx, const GEOSGeometry* g) {
    Box b{};
    if (!GEOSGeom_getXMin_r(ctx, g, &b.xmin) || !GEOSGeom_getYMin_r(ctx, g, &b.ymin) ||
        !GEOSGeom_getXMax_r(ctx, g, &b.xmax) || !GEOSGeom_getYMax_r(ctx, g, &b.ymax))
        throw_internal("GEOS bounds of an empty geometry");
    return b;
}

GeomPtr representative_point(const GeosContext& ctx, const GEOSGeometry* polygon) {
    GeomPtr c = own(ctx, GEOSGetCentroid_r(ctx, polygon), "centroid");
    if (GEOSIntersects_r(ctx, polygon, c.get()) == 1) return c;
    return own(ctx, GEOSPointOnSurface_r(ctx, polygon), "point on surface");
}

}  // namespace nightout
