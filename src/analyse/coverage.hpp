// Straight-line coverage: which part of each area lies within a radius of an
// event, computed in the study's equal-area projection.
#pragma once

#include "analyse/study.hpp"
#include "core/log.hpp"
#include "core/units.hpp"

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
    std::vector<int> rank;  // 1 = most uncovered population (or area)
    std::vector<bool> underserved;
};

struct CoverageResult {
    std::vector<RadiusResult> per_radius;  // aligned with options.radii
    std::vector<double> population;        // per area; empty without population
    std::vector<int> events_inside;
    std::vector<Nearest> nearest_event;  // from each area's representative point
    std::vector<long> event_area;        // area index holding each event, -1 when none
};

// The reach of all events for one break, in the local projection, as polygons that
// do not overlap (or form an exact coverage), each with its bounding box.
struct Reach {
    std::vector<GeomPtr> pieces;  // null entries are allowed
    std::vector<Box> boxes;
};

// Straight-line coverage by default; with `reach` (one per entry of options.radii, whose
// labels then name the breaks) the given reach is used instead, e.g. network service areas.
CoverageResult compute_coverage(const ContextPool& pool, const ProjectedAreas& pareas,
                                const ProjectedPoints& events, const LocalProjection& projection,
                                const PopulationSource& population, const CoverageOptions& options, Log& log,
                                std::vector<Reach>* reach = nullptr);

}  // namespace nightout
