// Network service areas: the parts of streets within a travel-time or distance
// limit of any event, widened by a trim distance into polygons that follow the
// streets (and so do not swallow the far bank of a river).
#pragma once

#include "analyse/coverage.hpp"
#include "analyse/study.hpp"
#include "network/graph.hpp"
#include "network/search.hpp"

#include <vector>

namespace nightout {

// How the service-area polygons are reported (coverage always uses their union).
enum class ServiceAreaMode {
    Dissolve,  // one polygon per break for all events
    PerEvent,  // one polygon per event and break; they may overlap
    Split,     // one per event and break, each street piece given to the event nearest over the network
};

struct ServiceAreaOptions {
    std::vector<double> limits;  // seconds (Metric::Duration) or metres (Metric::Distance), one per break
    Metric metric = Metric::Duration;
    double trim_m = 100;  // how far from a reached street a home still counts as reached
    ServiceAreaMode mode = ServiceAreaMode::Dissolve;
};

struct ServiceAreas {
    std::vector<Reach> reach;  // per limit, dissolved, in the local projection
    // PerEvent and Split: per limit, (event index, polygon) pairs in event order.
    std::vector<std::vector<std::pair<std::size_t, GeomPtr>>> by_event;
};

// `sources` are the events snapped onto the graph (unsnapped ones are skipped);
// `shape_xy` is the graph's shape points in the local projection.
ServiceAreas service_areas(const ContextPool& pool, const Graph& g, const std::vector<XY>& shape_xy, const std::vector<Snapped>& sources,
                           const ServiceAreaOptions& options, Log& log);

// For each area: whether any routable street comes within `trim_m` of it.
std::vector<bool> areas_with_roads(const ContextPool& pool, const Graph& g, const std::vector<XY>& shape_xy, const ProjectedAreas& areas,
                                   double trim_m);

}  // namespace nightout
