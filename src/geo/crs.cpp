#include "geo/crs.hpp"

#include "core/error.hpp"
#include "geo/geodesic.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace nightout {

ProjContext::ProjContext() : ctx_(proj_context_create()) {
    // Keep PROJ's own diagnostics off stderr: failures surface as our errors.
    proj_log_level(ctx_, PJ_LOG_NONE);
}

ProjContext::~ProjContext() { proj_context_destroy(ctx_); }

Transform::Transform(const ProjContext& ctx, const std::string& from, const std::string& to) {
    PJ* raw = proj_create_crs_to_crs(ctx.get(), from.c_str(), to.c_str(), nullptr);
    if (!raw) throw_input("cannot transform from CRS '" + from.substr(0, 80) + "' to '" + to.substr(0, 80) +
                          "': " + proj_context_errno_string(ctx.get(), proj_context_errno(ctx.get())));
    pj_ = proj_normalize_for_visualization(ctx.get(), raw);
    proj_destroy(raw);
    if (!pj_) throw_input("cannot normalize axis order of CRS '" + from.substr(0, 80) + "'");
}

Transform::Transform(const ProjContext& ctx, const Transform& other) : pj_(proj_clone(ctx.get(), other.pj_)) {
    if (!pj_) throw_internal("cannot copy a coordinate transformation for another thread");
}

Transform::~Transform() { proj_destroy(pj_); }

namespace {

bool trans(PJ* pj, PJ_DIRECTION dir, double& x, double& y) {
    PJ_COORD c = proj_coord(x, y, 0, 0);
    PJ_COORD r = proj_trans(pj, dir, c);
    if (!std::isfinite(r.xy.x) || !std::isfinite(r.xy.y) || r.xy.x == HUGE_VAL) return false;
    x = r.xy.x;
    y = r.xy.y;
    return true;
}

struct CallbackData {
    PJ* pj;
    PJ_DIRECTION dir;
    bool failed = false;
};

int transform_xy(double* x, double* y, void* userdata) {
    auto* d = static_cast<CallbackData*>(userdata);
    if (!trans(d->pj, d->dir, *x, *y)) {
        d->failed = true;
        return 0;
    }
    return 1;
}

}  // namespace

bool Transform::forward(double& x, double& y) const { return trans(pj_, PJ_FWD, x, y); }

bool Transform::forward_many(std::vector<double>& x, std::vector<double>& y) const {
    const std::size_t n = std::min(x.size(), y.size());
    if (n == 0) return true;
    proj_trans_generic(pj_, PJ_FWD, x.data(), sizeof(double), n, y.data(), sizeof(double), n, nullptr, 0, 0, nullptr, 0, 0);
    for (std::size_t i = 0; i < n; ++i)
        if (!std::isfinite(x[i]) || !std::isfinite(y[i]) || x[i] == HUGE_VAL) return false;
    return true;
}
bool Transform::inverse(double& x, double& y) const { return trans(pj_, PJ_INV, x, y); }

GeomPtr Transform::apply(const GeosContext& gctx, const GEOSGeometry* g, PJ_DIRECTION dir, const std::string& what) const {
    CallbackData data{pj_, dir};
    GEOSGeometry* out = GEOSGeom_transformXY_r(gctx, g, &transform_xy, &data);
    if (!out || data.failed) {
        if (out) GEOSGeom_destroy_r(gctx, out);
        throw_input(what + ": coordinates cannot be transformed (outside the area of use of its CRS?)");
    }
    return GeomPtr(out, GeomDeleter{gctx.handle()});
}

GeomPtr Transform::forward(const GeosContext& gctx, const GEOSGeometry* g, const std::string& what) const {
    return apply(gctx, g, PJ_FWD, what);
}

GeomPtr Transform::inverse(const GeosContext& gctx, const GEOSGeometry* g, const std::string& what) const {
    return apply(gctx, g, PJ_INV, what);
}

std::string describe_crs(const ProjContext& ctx, const std::string& definition, const std::string& what) {
    PJ* crs = proj_create(ctx.get(), definition.c_str());
    if (!crs) throw_usage(what + ": unknown CRS '" + definition + "'; expected e.g. EPSG:4326, EPSG:2264, a PROJ string or WKT");
    bool is_crs = proj_is_crs(crs);
    std::string name = proj_get_name(crs) ? proj_get_name(crs) : definition;
    proj_destroy(crs);
    if (!is_crs) throw_usage(what + ": '" + definition + "' is not a coordinate reference system");
    return name;
}

std::string LocalProjection::proj_string() const {
    char buf[160];
    std::snprintf(buf, sizeof buf, "+proj=laea +lat_0=%.9f +lon_0=%.9f +x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs +type=crs",
                  lat0, lon0);
    return buf;
}

double LocalProjection::scale_bound() const {
    // LAEA: radial scale cos(c/2), tangential 1/cos(c/2).
    double half = std::min(max_arc_rad, 3.0) / 2.0;
    return 1.0 / std::cos(half);
}

LocalProjection choose_local_projection(double lon_min, double lat_min, double lon_max, double lat_max) {
    LocalProjection p;
    p.lon0 = (lon_min + lon_max) / 2.0;
    p.lat0 = (lat_min + lat_max) / 2.0;
    double far = 0;
    for (double lon : {lon_min, lon_max})
        for (double lat : {lat_min, lat_max}) far = std::max(far, geodesic_distance(p.lon0, p.lat0, lon, lat));
    p.max_arc_rad = far / 6371008.8;
    return p;
}

}  // namespace nightout
