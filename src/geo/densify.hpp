// Geodesic densification of lon/lat polygons before they are projected.
#pragma once

#include "geo/geos.hpp"

namespace nightout {

// Longest edge, in metres, that is projected as it stands. The local projection is
// equal-area, so areas come out exact for the polygon whose edges are straight in the
// projection; an edge that long still follows its geodesic to within ~1e-7 of the area
// even far from the centre (tests/analyse/test_coverage_cases.cpp: polar caps within 1e-7).
constexpr double kMaxProjectedEdgeM = 1000.0;

// The polygon (or multipolygon) `lonlat` with every edge longer than `max_edge_m` cut
// into equal pieces along its geodesic, so that its projected area is the ellipsoidal
// area of the polygon with geodesic edges (as PROJ's geod and PostGIS geography read it).
// An edge spanning more than 180 degrees of longitude is cut along the meridian grid
// instead (it does not mean its short geodesic). Returns null when no edge is that long:
// the input serves as it is. Other geometry types are returned as null too.
GeomPtr densify_geodesic(const GeosContext& ctx, const GEOSGeometry* lonlat, double max_edge_m = kMaxProjectedEdgeM);

}  // namespace nightout
