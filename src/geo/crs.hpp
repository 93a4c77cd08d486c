// Coordinate reference systems through PROJ: transforms from any CRS to WGS84
// lon/lat, and the local metric projection in which areas and buffers are computed.
#pragma once

#include "geo/geos.hpp"

#include <proj.h>

#include <memory>
#include <string>
#include <vector>

namespace nightout {

// One PROJ context per thread, as PROJ intends.
class ProjContext {
public:
    ProjContext();
    ~ProjContext();
    ProjContext(const ProjContext&) = delete;
    ProjContext& operator=(const ProjContext&) = delete;
    PJ_CONTEXT* get() const { return ctx_; }

private:
    PJ_CONTEXT* ctx_;
};

// A transformation between two CRSs, with axes normalized to the traditional GIS
// order (longitude/easting first) on both sides.
class Transform {
public:
    // `from` and `to` are anything proj_create accepts: "EPSG:2264", WKT, a PROJ string.
    Transform(const ProjContext& ctx, const std::string& from, const std::string& to);
    // The same transformation for use with another context (another thread).
    Transform(const ProjContext& ctx, const Transform& other);
    ~Transform();
    Transform(const Transform&) = delete;
    Transform& operator=(const Transform&) = delete;

    // Returns false when the point cannot be transformed (outside the CRS's domain).
    bool forward(double& x, double& y) const;
    bool inverse(double& x, double& y) const;

    // Transforms many points in place in one PROJ call; returns false if any failed.
    bool forward_many(std::vector<double>& x, std::vector<double>& y) const;

    // Transforms every coordinate of a geometry; throws Input error naming `what` on failure.
    GeomPtr forward(const GeosContext& gctx, const GEOSGeometry* g, const std::string& what) const;
    GeomPtr inverse(const GeosContext& gctx, const GEOSGeometry* g, const std::string& what) const;

private:
    GeomPtr apply(const GeosContext& gctx, const GEOSGeometry* g, PJ_DIRECTION dir, const std::string& what) const;
    PJ* pj_ = nullptr;
};

// A transformation for one more thread: its own PROJ context and a copy of `original`
// (PROJ objects are not thread-safe). Parallel loops give one to every thread but the first.
struct ThreadTransform {
    explicit ThreadTransform(const Transform& original) : transform(context, original) {}
    ProjContext context;
    Transform transform;
};

// Checks a user-given CRS definition and returns a short human name for it
// ("NAD83 / North Carolina (ftUS)"); throws a Usage error for an unknown CRS.
std::string describe_crs(const ProjContext& ctx, const std::string& definition, const std::string& what);

constexpr const char* kWgs84 = "EPSG:4326";
// WGS84 longitude/latitude as a PROJ string: the source of transformations to a local
// projection, which lies on the same ellipsoid. The same result as kWgs84 without the
// database search for a datum transformation (0.2 ms instead of 10 ms).
constexpr const char* kWgs84LonLat = "+proj=longlat +ellps=WGS84 +no_defs +type=crs";

// The metric projection chosen for a study: Lambert azimuthal equal-area on the
// WGS84 ellipsoid, centred on the data. Areas are exact (equal-area); distances
// within c of the centre are off by at most about c^2/8 (c in radians of arc),
// e.g. 2e-6 at 25 km and 2e-4 at 250 km (see docs/methodology.md).
struct LocalProjection {
    double lon0 = 0, lat0 = 0;
    double max_arc_rad = 0;  // largest angular distance of the data from the centre

    std::string proj_string() const;
    // Upper bound of the scale distortion anywhere in the data (>= 1): projected
    // and geodesic distances differ by at most this factor.
    double scale_bound() const;
};

// Chooses the projection centre as the centre of the WGS84 bounding box.
LocalProjection choose_local_projection(double lon_min, double lat_min, double lon_max, double lat_max);

}  // namespace nightout
