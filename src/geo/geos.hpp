// RAII over the reentrant GEOS C API: one context per thread, owning pointers
// that destroy geometries with the context that made them.
#pragma once

#include <geos_c.h>

#include <memory>
#include <string>
#include <vector>

namespace nightout {

class GeosContext {
public:
    GeosContext();
    ~GeosContext();
    GeosContext(const GeosContext&) = delete;
    GeosContext& operator=(const GeosContext&) = delete;

    GEOSContextHandle_t handle() const { return handle_; }
    operator GEOSContextHandle_t() const { return handle_; }  // NOLINT: reads naturally in _r calls
    const std::string& last_error() const { return last_error_; }

private:
    static void on_error(const char* message, void* self);
    GEOSContextHandle_t handle_;
    std::string last_error_;
};

struct GeomDeleter {
    GEOSContextHandle_t ctx = nullptr;
    void operator()(GEOSGeometry* g) const {
        if (g) GEOSGeom_destroy_r(ctx, g);
    }
};
using GeomPtr = std::unique_ptr<GEOSGeometry, GeomDeleter>;

struct PreparedDeleter {
    GEOSContextHandle_t ctx = nullptr;
    void operator()(const GEOSPreparedGeometry* g) const {
        if (g) GEOSPreparedGeom_destroy_r(ctx, g);
    }
};
using PreparedPtr = std::unique_ptr<const GEOSPreparedGeometry, PreparedDeleter>;

// Takes ownership of a GEOS result; throws an Internal error naming `what` when it is null.
GeomPtr own(const GeosContext& ctx, GEOSGeometry* g, const char* what);

PreparedPtr prepare(const GeosContext& ctx, const GEOSGeometry* g);

GeomPtr clone(const GeosContext& ctx, const GEOSGeometry* g);
GeomPtr make_point(const GeosContext& ctx, double x, double y);
GeomPtr from_wkb(const GeosContext& ctx, const unsigned char* wkb, std::size_t size);
std::vector<unsigned char> to_wkb(const GeosContext& ctx, const GEOSGeometry* g);

// Collects geometries (taking ownership) into one multi-geometry or collection.
GeomPtr collect(const GeosContext& ctx, int type, std::vector<GeomPtr> parts);

double area(const GeosContext& ctx, const GEOSGeometry* g);
bool is_empty(const GeosContext& ctx, const GEOSGeometry* g);
void point_xy(const GeosContext& ctx, const GEOSGeometry* point, double& x, double& y);

struct Box {
    double xmin, ymin, xmax, ymax;
    bool intersects(const Box& o) const { return xmin <= o.xmax && o.xmin <= xmax && ymin <= o.ymax && o.ymin <= ymax; }
    Box expanded(double d) const { return {xmin - d, ymin - d, xmax + d, ymax + d}; }
};
Box bounds(const GeosContext& ctx, const GEOSGeometry* g);

// A point inside the polygon: its centroid when that lies inside, else GEOS's
// point on surface. Used as "the" location of a neighborhood.
GeomPtr representative_point(const GeosContext& ctx, const GEOSGeometry* polygon);

}  // namespace nightout
