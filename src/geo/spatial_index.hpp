// Spatial indexes over GEOS's STR-tree: boxes by index, and points with an exact
// geodesic nearest-neighbour search on top of the projected tree.
#pragma once

#include "geo/geos.hpp"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <vector>

namespace nightout {

// An STR-tree of boxes identified by their position in the input vector.
// Built once, then safe to query from several threads (each with its own context).
class BoxIndex {
public:
    BoxIndex(const GeosContext& ctx, const std::vector<Box>& boxes);
    ~BoxIndex();
    BoxIndex(const BoxIndex&) = delete;
    BoxIndex& operator=(const BoxIndex&) = delete;

    // Indices of boxes intersecting `query`, in increasing order.
    std::vector<std::size_t> query(const GeosContext& ctx, const Box& query) const;
    std::size_t size() const { return boxes_.size(); }
    const std::vector<Box>& boxes() const { return boxes_; }

protected:
    GEOSSTRtree* tree_ = nullptr;
    GEOSContextHandle_t owner_;
    std::vector<Box> boxes_;
    std::vector<std::size_t> ids_;  // stable storage for the tree's item pointers
};

struct LonLat {
    double lon = 0, lat = 0;
};
struct XY {
    double x = 0, y = 0;
    bool operator==(const XY& o) const { return x == o.x && y == o.y; }
};
// Hashes exact coordinates: for finding the very same vertex again (shared polygon edges).
struct XYHash {
    std::size_t operator()(const XY& p) const {
        std::uint64_t a, b;
        std::memcpy(&a, &p.x, sizeof a);
        std::memcpy(&b, &p.y, sizeof b);
        return std::hash<std::uint64_t>()(a * 0x9E3779B97F4A7C15ull ^ b);
    }
};

struct Nearest {
    std::size_t index = 0;
    double meters = 0;  // geodesic
    bool found = false;
};

// Points known both in lon/lat and in the local projection. The nearest point
// is found in the projection, then every point that could be nearer on the
// ellipsoid (given the projection's scale bound) is checked geodesically; ties
// go to the lower index, so results are deterministic.
class PointIndex : public BoxIndex {
public:
    PointIndex(const GeosContext& ctx, std::vector<LonLat> lonlat, std::vector<XY> xy, double scale_bound);
    Nearest nearest(const GeosContext& ctx, const LonLat& p, const XY& q) const;
    // Indices of points within `meters` (geodesic) of p.
    std::vector<std::size_t> within(const GeosContext& ctx, const LonLat& p, const XY& q, double meters) const;

private:
    std::vector<LonLat> lonlat_;
    std::vector<XY> xy_;
    double scale_bound_;
};

}  // namespace nightout
