// Points far from the study area: a swapped latitude/longitude or an input in the wrong CRS.
// They must neither move the local projection nor reach anyone: the projection is centred on
// the areas, and points farther than a limit beyond the areas' extent are set aside, reported
// (file, line or feature, coordinates, distance) and kept in the outputs with status far_off.
#pragma once

#include "analyse/study.hpp"
#include "core/log.hpp"
#include "read/dataset.hpp"
#include "write/layer.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace nightout {

// The default limit: 50 km beyond the areas' extent.
constexpr double kDefaultMaxOffsetM = 50'000;

// The union of the areas' boxes in the local projection.
Box areas_extent(const ProjectedAreas& areas);

// The local projection of a study centred on its areas' WGS84 bounds, so that points
// elsewhere cannot move it (their reach is bounded by widen_for() after they are sorted out).
LocalProjection projection_for_areas(const GeosContext& ctx, const Dataset& areas);

// Studies without areas (travel, route, point demand in site): the WGS84 box of the points that
// are not outliers of the lot (outside Tukey's fences at 3 interquartile ranges in longitude or
// latitude), so that a few far-off points move neither it nor the projection centred on it.
Box robust_lonlat_extent(const std::vector<LonLat>& points);

// The WGS84 positions of a point dataset's features.
std::vector<LonLat> point_lonlats(const GeosContext& ctx, const Dataset& ds);

// The box, in the local projection, of the points of `sets` within `lonlat_box`.
Box local_extent(const std::vector<const ProjectedPoints*>& sets, const Box& lonlat_box);

struct FarOff {
    std::vector<bool> far;              // per point
    std::vector<double> distance_m;     // per far-off point: geodesic distance to the nearest point of the extent (else 0)
    std::size_t count = 0;
    std::vector<std::size_t> kept;      // indices of the points that are not far off
    std::string extent = "the areas' extent";  // what the distance is measured from, for messages
};

// No point far off: every point kept.
FarOff none_far_off(std::size_t n);

// Sorts out the points more than `max_offset_m` beyond `extent` (both in the projection of `to_local`).
FarOff find_far_off(const ProjectedPoints& points, const Box& extent, double max_offset_m, const Transform& to_local);

// Warns once for an input with far-off points: the first 20 with where, coordinates and
// distance, and the count; when most of the input is far off, a hint that its CRS
// (`crs_flag`, e.g. --events-crs) may be wrong.
void report_far_off(Log& log, const Dataset& ds, const FarOff& far, const ProjectedPoints& points, double max_offset_m,
                    const std::string& crs_flag, const std::string& consequence = "They are kept in the outputs with status far_off and reach no one");

// Studies without areas: sorts out each point set's far-off points against the extent of the
// points of all the sets that are not outliers (robust_lonlat_extent), reports them (the sets
// named by `datasets`, `crs_flags`), and gives the local projection centred on that extent and
// widened to the kept points.
struct FarOffAmong {
    LocalProjection projection;
    std::vector<ProjectedPoints> points;  // per set, every point
    std::vector<FarOff> far;              // per set
    std::size_t count = 0;                // far-off points in all
};
FarOffAmong far_off_among(const ProjContext& pctx, const std::vector<std::vector<LonLat>>& sets, double max_offset_m);
// Warns for each set with far-off points (report_far_off), the sets being `datasets` (null: not reported).
void report_far_off(Log& log, const FarOffAmong& far, const std::vector<const Dataset*>& datasets, double max_offset_m,
                    const std::vector<std::string>& crs_flags);

// The points that are not far off, as a dataset and their projected positions (geometries cloned).
Dataset kept_dataset(const GeosContext& ctx, const Dataset& ds, const FarOff& far);
ProjectedPoints kept_points(const ProjectedPoints& points, const FarOff& far);

// Widens the projection's angular reach to the kept points (its scale bound stays honest)
// and warns when its scale error exceeds 1e-3.
void widen_for(LocalProjection& projection, const ProjectedPoints& kept, Log& log);

// Adds a `status` field ("ok") to a point layer built from the kept points and appends the
// far-off ones with status "far_off", their id, name and input attributes.
void append_far_off(OutLayer& layer, const GeosContext& ctx, const Dataset& ds, const FarOff& far);

// summary.json's account of one input's far-off points.
nlohmann::json far_off_json(const Dataset& ds, const FarOff& far, const ProjectedPoints& points);

}  // namespace nightout
