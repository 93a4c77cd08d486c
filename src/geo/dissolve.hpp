// Dissolving a polygonal coverage: polygons that meet only along shared edges with
// identical vertices (no overlaps), as the Voronoi-cell pieces of the coverage step do.
#pragma once

#include "geo/geos.hpp"

#include <vector>

namespace nightout {

// The union of `parts` (Polygons or MultiPolygons forming an exact coverage), or null when
// edges that should match do not (the area changes): the caller then falls back to an overlay
// union. Like GEOS's coverage union, it trusts that parts do not overlap. Same result as GEOSCoverageUnion_r, faster: an edge shared
// by two parts cancels, the remaining edges are chained into lines between junctions, and
// GEOS polygonizes those few long lines instead of one line per segment.
GeomPtr dissolve_coverage(const GeosContext& ctx, const std::vector<const GEOSGeometry*>& parts);

}  // namespace nightout
