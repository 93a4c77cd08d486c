// The prepare stage: inputs moved into the study's local metric projection,
// with the per-thread GEOS contexts that own every geometry made from them.
#pragma once

#include "geo/crs.hpp"
#include "geo/geos.hpp"
#include "geo/spatial_index.hpp"
#include "read/dataset.hpp"

#include <memory>
#include <vector>

namespace nightout {

// One GEOS context per worker thread. Geometries made by a worker are owned
// through its context, so the pool outlives every result of a job.
class ContextPool {
public:
    explicit ContextPool(unsigned threads);
    unsigned size() const { return static_cast<unsigned>(contexts_.size()); }
    const GeosContext& operator[](unsigned i) const { return *contexts_[i]; }
    const GeosContext& main() const { return *contexts_[0]; }

private:
    std::vector<std::unique_ptr<GeosContext>> contexts_;
};

struct ProjectedAreas {
    std::vector<GeomPtr> geoms;  // polygons in the local projection
    std::vector<Box> boxes;
    std::vector<double> area_m2;
    std::vector<LonLat> rep_lonlat;  // a point inside each area
    std::vector<XY> rep_xy;
};

struct ProjectedPoints {
    std::vector<LonLat> lonlat;
    std::vector<XY> xy;
};

// The local projection for a set of datasets: centred on their joint WGS84 bounds.
LocalProjection projection_for(const GeosContext& ctx, const std::vector<const Dataset*>& datasets);

ProjectedAreas project_areas(const ContextPool& pool, const Transform& to_local, const Dataset& areas, unsigned threads);
ProjectedPoints project_points(const GeosContext& ctx, const Transform& to_local, const Dataset& points);

}  // namespace nightout
