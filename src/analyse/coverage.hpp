// Straight-line coverage: which part of each area lies within a radius of an
// event, computed in the study's equal-area projection.
#pragma once

#include "analyse/study.hpp"
#include "core/log.hpp"
#include "core/units.hpp"

#include <algorithm>
#include <future>
#include <memory>
#include <optional>
#include <vector>

namespace nightout {

// Where population comes from.
struct PopulationSource {
    enum class Kind { None, AreaField, Layer } kind = Kind::None;
    std::vector<double> per_area;  // AreaField: the field's value per area
    // Layer: a finer layer (polygons or points) in the local projection, each with its count.
    bool layer_is_points = false;
    std::vector<GeomPtr> layer_geoms;
    std::vector<Box> layer_boxes;
    std::vector<double> layer_values;
    std::vector<double> layer_area_m2;
    // Population groups (src/equity): residents of each group, per area (AreaField) or per
    // layer feature (Layer), counted with the same model as the population itself.
    std::vector<std::vector<double>> group_per_area;   // [group][area]
    std::vector<std::vector<double>> group_per_layer;  // [group][layer feature]
    std::size_t groups() const { return std::max(group_per_area.size(), group_per_layer.size()); }
};

struct CoverageOptions {
    std::vector<Distance> radii;
    double min_coverage = 0.5;
    int quadrant_segments = 32;  // 128-gon circles: area within 0.04% of the true circle
};

struct RadiusResult {
    std::vector<double> covered_m2;
    std::vector<double> population_covered;  // empty without population
    std::vector<GeomPtr> gaps;                // local projection; null when fully covered
    std::vector<double> gap_m2;
    std::vector<double> gap_population;
    std::vector<std::vector<double>> group_covered;  // [group][area]: residents of each group reached
    std::vector<int> rank;  // 1 = most uncovered population (or area)
    std::vector<bool> underserved;
};

struct CoverageResult {
    std::vector<RadiusResult> per_radius;  // aligned with options.radii
    std::vector<double> population;        // per area; empty without population
    std::vector<std::vector<double>> group_residents;  // [group][area]; empty without groups
    std::vector<Nearest> nearest_event;  // from each area's representative point
};

// Which area holds each event: the first by input order when areas overlap.
struct EventsInAreas {
    std::vector<int> per_area;        // events inside each area
    std::vector<long> area_of_event;  // area index holding each event, -1 when none
};
EventsInAreas locate_events(const ContextPool& pool, const ProjectedAreas& pareas, const ProjectedPoints& events);

// The reach of all events for one break, in the local projection, as polygons that
// do not overlap (or form an exact coverage), each with its bounding box.
struct Reach {
    std::vector<GeomPtr> pieces;  // null entries are allowed
    std::vector<Box> boxes;
};

struct VoronoiCells;

// The Voronoi cells of the events, from which the straight-line reach at every radius is cut.
// GEOS builds them on one thread, so construction starts the work in the background: make
// this as soon as the areas and events are projected, and do other work meanwhile. The
// events must outlive it.
class EventCells {
public:
    EventCells(const ProjectedAreas& pareas, const ProjectedPoints& events, double max_radius_m, double scale_bound);
    ~EventCells();
    EventCells(const EventCells&) = delete;
    EventCells& operator=(const EventCells&) = delete;
    const VoronoiCells& get();  // waits for the background work; rethrows its error

private:
    std::future<std::unique_ptr<VoronoiCells>> pending_;
    std::unique_ptr<VoronoiCells> cells_;
};

// Straight-line coverage by default, from `cells` when given (else they are built here); with
// `reach` (one per entry of options.radii, whose labels then name the breaks) the given reach is
// used instead, e.g. network service areas.
CoverageResult compute_coverage(const ContextPool& pool, const ProjectedAreas& pareas,
                                const ProjectedPoints& events, const LocalProjection& projection,
                                const PopulationSource& population, const CoverageOptions& options, Log& log,
                                EventCells* cells = nullptr, std::vector<Reach>* reach = nullptr);

}  // namespace nightout
