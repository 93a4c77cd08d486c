#include "geo/spatial_index.hpp"

#include "core/error.hpp"
#include "geo/geodesic.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace nightout {

namespace {

GeomPtr rectangle(const GeosContext& ctx, const Box& b) {
    return own(ctx, GEOSGeom_createRectangle_r(ctx, b.xmin, b.ymin, b.xmax, b.ymax), "rectangle");
}

void collect_item(void* item, void* userdata) {
    static_cast<std::vector<std::size_t>*>(userdata)->push_back(*static_cast<const std::size_t*>(item));
}

}  // namespace

BoxIndex::BoxIndex(const GeosContext& ctx, const std::vector<Box>& boxes) : owner_(ctx.handle()), boxes_(boxes) {
    tree_ = GEOSSTRtree_create_r(ctx, 10);
    if (!tree_) throw_internal("GEOS STRtree create failed");
    ids_.resize(boxes_.size());
    for (std::size_t i = 0; i < boxes_.size(); ++i) {
        ids_[i] = i;
        // GEOS keeps only the envelope of the inserted geometry.
        GeomPtr r = rectangle(ctx, boxes_[i]);
        GEOSSTRtree_insert_r(ctx, tree_, r.get(), &ids_[i]);
    }
    // The tree builds itself on the first query; do it now, before threads share it.
    if (!boxes_.empty()) (void)query(ctx, boxes_.front());
}

BoxIndex::~BoxIndex() {
    if (tree_) GEOSSTRtree_destroy_r(owner_, tree_);
}

std::vector<std::size_t> BoxIndex::query(const GeosContext& ctx, const Box& q) const {
    std::vector<std::size_t> out;
    if (boxes_.empty()) return out;
    GeomPtr r = rectangle(ctx, q);
    GEOSSTRtree_query_r(ctx, tree_, r.get(), &collect_item, &out);
    std::sort(out.begin(), out.end());
    return out;
}

PointIndex::PointIndex(const GeosContext& ctx, std::vector<LonLat> lonlat, std::vector<XY> xy, double scale_bound)
    : BoxIndex(ctx,
               [&] {
                   std::vector<Box> b;
                   b.reserve(xy.size());
                   for (const auto& p : xy) b.push_back({p.x, p.y, p.x, p.y});
                   return b;
               }()),
      lonlat_(std::move(lonlat)), xy_(std::move(xy)), scale_bound_(scale_bound) {}

namespace {

struct NearestQuery {
    const std::vector<XY>* xy;
    XY q;
};

// GEOS calls this with two items, one of which may be our query marker (nullptr id slot).
int item_distance(const void* a, const void* b, double* distance, void* userdata) {
    auto* nq = static_cast<NearestQuery*>(userdata);
    auto pos = [&](const void* item) -> XY {
        if (item == nq) return nq->q;
        return (*nq->xy)[*static_cast<const std::size_t*>(item)];
    };
    XY p = pos(a), q = pos(b);
    *distance = std::hypot(p.x - q.x, p.y - q.y);
    return 1;
}

}  // namespace

Nearest PointIndex::nearest(const GeosContext& ctx, const LonLat& p, const XY& q) const {
    Nearest best;
    if (xy_.empty()) return best;
    NearestQuery nq{&xy_, q};
    GeomPtr qpt = make_point(ctx, q.x, q.y);
    const void* hit = GEOSSTRtree_nearest_generic_r(ctx, tree_, &nq, qpt.get(), &item_distance, &nq);
    if (!hit) throw_internal("GEOS nearest search failed: " + ctx.last_error());
    const XY& h = xy_[*static_cast<const std::size_t*>(hit)];
    double planar = std::hypot(h.x - q.x, h.y - q.y);
    // Any point geodesically nearer lies within planar * k^2 in the projection.
    double reach = planar * scale_bound_ * scale_bound_ + 1e-3;
    best.meters = std::numeric_limits<double>::infinity();
    for (std::size_t i : query(ctx, Box{q.x, q.y, q.x, q.y}.expanded(reach))) {
        double d = geodesic_distance(p.lon, p.lat, lonlat_[i].lon, lonlat_[i].lat);
        if (d < best.meters) {  // indices ascend, so ties keep the lower one
            best = {i, d, true};
        }
    }
    return best;
}

std::vector<std::size_t> PointIndex::within(const GeosContext& ctx, const LonLat& p, const XY& q, double meters) const {
    std::vector<std::size_t> out;
    for (std::size_t i : query(ctx, Box{q.x, q.y, q.x, q.y}.expanded(meters * scale_bound_ + 1e-3)))
        if (geodesic_distance(p.lon, p.lat, lonlat_[i].lon, lonlat_[i].lat) <= meters) out.push_back(i);
    return out;
}

}  // namespace nightout
