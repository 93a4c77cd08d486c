#include "analyse/coverage.hpp"

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "geo/dissolve.hpp"

#include <algorithm>
#include <future>
#include <unordered_map>
#include <cmath>
#include <numeric>

namespace nightout {

namespace {

// Whether a box lies entirely within distance r of a point (all corners do).
bool box_within(const Box& b, const XY& p, double r) {
    for (double x : {b.xmin, b.xmax})
        for (double y : {b.ymin, b.ymax})
            if (std::hypot(x - p.x, y - p.y) > r) return false;
    return true;
}

GeomPtr rect(const GeosContext& ctx, const Box& b) {
    return own(ctx, GEOSGeom_createRectangle_r(ctx, b.xmin, b.ymin, b.xmax, b.ymax), "rectangle");
}

std::vector<XY> unit_circle(int vertices) {
    std::vector<XY> u;
    for (int i = 0; i < vertices; ++i) {
        double a = 2 * M_PI * i / vertices;
        u.push_back({std::cos(a), std::sin(a)});
    }
    return u;
}

double cross(const XY& o, const XY& a, const XY& b) { return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x); }

GeomPtr polygon(const GeosContext& ctx, const std::vector<XY>& ring) {
    std::vector<double> xy;
    xy.reserve(2 * ring.size() + 2);
    for (const XY& p : ring) xy.push_back(p.x), xy.push_back(p.y);
    xy.push_back(ring.front().x);
    xy.push_back(ring.front().y);
    GEOSCoordSequence* seq = GEOSCoordSeq_copyFromBuffer_r(ctx, xy.data(), static_cast<unsigned>(xy.size() / 2), 0, 0);
    GEOSGeometry* r = seq ? GEOSGeom_createLinearRing_r(ctx, seq) : nullptr;
    return own(ctx, r ? GEOSGeom_createPolygon_r(ctx, r, nullptr, 0) : nullptr, "polygon");
}

// The Voronoi cell of each distinct event location: every point of a cell is at
// least as close to its site as to any other event. A point lies within R of some
// event exactly when it lies within R of its own cell's site, so the reach of all
// events is the union of the disjoint pieces (cell ∩ disc): no overlapping discs to union.
}  // namespace

struct VoronoiCells {
    std::vector<XY> site;
    std::vector<std::vector<XY>> ring;  // counter-clockwise, not closed
    // Shared edges, found once for every radius: edge k of cell i (from ring[i][k] to the next
    // vertex) is undirected edge edge_of[i][k] >> 1, run backwards when its low bit is set.
    // Each edge is measured from its owner, the lowest cell that has it, from `from` to `to`.
    struct Edge {
        std::uint32_t owner;
        XY from, to;
    };
    std::vector<Edge> edges;
    std::vector<std::vector<std::uint32_t>> edge_of;
};

namespace {

using Cells = VoronoiCells;

// Vertex ids by exact coordinates, so shared edges are recognised: neighbouring cells get
// the very same vertices from GEOS.
void find_shared_edges(Cells& c) {
    std::unordered_map<XY, std::uint32_t, XYHash> vertex_id;
    std::unordered_map<std::uint64_t, std::uint32_t> edge_id;
    const std::size_t n = c.site.size();
    c.edge_of.assign(n, {});
    std::vector<std::uint32_t> ids;
    for (std::size_t i = 0; i < n; ++i) {
        const auto& ring = c.ring[i];
        ids.clear();
        for (const XY& p : ring) ids.push_back(vertex_id.try_emplace(p, static_cast<std::uint32_t>(vertex_id.size())).first->second);
        for (std::size_t k = 0; k < ring.size(); ++k) {
            const std::size_t k1 = (k + 1) % ring.size();
            const std::uint32_t a = ids[k], b = ids[k1];
            const std::uint64_t key = (static_cast<std::uint64_t>(std::min(a, b)) << 32) | std::max(a, b);
            auto [it, added] = edge_id.try_emplace(key, static_cast<std::uint32_t>(c.edges.size()));
            // Cells are visited in order, so the first to add an edge is its owner.
            if (added) c.edges.push_back({static_cast<std::uint32_t>(i), a < b ? ring[k] : ring[k1], a < b ? ring[k1] : ring[k]});
            c.edge_of[i].push_back((it->second << 1) | (a < b ? 0u : 1u));
        }
    }
}

Cells voronoi_cells(const GeosContext& ctx, const ProjectedPoints& events, const Box& envelope) {
    Cells c;
    {
        std::vector<XY> pts = events.xy;
        std::sort(pts.begin(), pts.end(), [](const XY& a, const XY& b) { return a.x != b.x ? a.x < b.x : a.y < b.y; });
        for (const XY& p : pts)
            if (c.site.empty() || c.site.back().x != p.x || c.site.back().y != p.y) c.site.push_back(p);
    }
    const std::vector<XY> frame{{envelope.xmin, envelope.ymin}, {envelope.xmax, envelope.ymin}, {envelope.xmax, envelope.ymax},
                                {envelope.xmin, envelope.ymax}};
    c.ring.assign(c.site.size(), frame);
    if (c.site.size() < 2) {
        find_shared_edges(c);
        return c;
    }
    std::vector<GeomPtr> pts;
    for (const XY& p : c.site) pts.push_back(make_point(ctx, p.x, p.y));
    GeomPtr mp = collect(ctx, GEOS_MULTIPOINT, std::move(pts));
    GeomPtr env = rect(ctx, envelope);
    GeomPtr diagram = own(ctx, GEOSVoronoiDiagram_r(ctx, mp.get(), env.get(), 0.0, 0), "Voronoi diagram");
    // Cells come back in no particular order: match each to the site inside it.
    std::vector<Box> site_boxes;
    for (const XY& p : c.site) site_boxes.push_back({p.x, p.y, p.x, p.y});
    BoxIndex sites(ctx, site_boxes);
    const int n = GEOSGetNumGeometries_r(ctx, diagram.get());
    for (int k = 0; k < n; ++k) {
        const GEOSGeometry* cell = GEOSGetGeometryN_r(ctx, diagram.get(), k);
        const GEOSGeometry* shell = GEOSGetExteriorRing_r(ctx, cell);
        const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(ctx, shell);
        unsigned size = 0;
        GEOSCoordSeq_getSize_r(ctx, seq, &size);
        std::vector<XY> ring(size > 0 ? size - 1 : 0);
        for (unsigned i = 0; i + 1 < size; ++i) GEOSCoordSeq_getXY_r(ctx, seq, i, &ring[i].x, &ring[i].y);
        if (ring.size() < 3) continue;
        double area2 = 0;
        for (std::size_t i = 0; i < ring.size(); ++i) area2 += cross({0, 0}, ring[i], ring[(i + 1) % ring.size()]);
        if (area2 < 0) std::reverse(ring.begin(), ring.end());
        Box b{1e300, 1e300, -1e300, -1e300};
        for (const XY& p : ring) b = {std::min(b.xmin, p.x), std::min(b.ymin, p.y), std::max(b.xmax, p.x), std::max(b.ymax, p.y)};
        for (std::size_t s : sites.query(ctx, b)) {
            bool inside = true;
            for (std::size_t i = 0; i < ring.size() && inside; ++i) inside = cross(ring[i], ring[(i + 1) % ring.size()], c.site[s]) >= 0;
            if (inside) {
                c.ring[s] = std::move(ring);
                break;
            }
        }
    }
    find_shared_edges(c);
    return c;
}

// What no event reaches within radius r, as pieces (cell minus disc) that form an exact
// polygonal coverage: where two pieces meet along a Voronoi edge they share the very
// same vertices, because each edge's part inside the circle is computed once, from one
// canonical side. GEOS can then dissolve them with its fast, robust coverage union
// instead of overlaying thousands of overlapping discs; cells wholly within reach (most
// of them where events are dense) have no piece at all. Arcs take the vertices of the
// regular `vertices`-gon inscribed in the circle, as a GEOS buffer would.
std::vector<GeomPtr> uncovered_pieces(const ContextPool& pool, const Cells& cells, double r, int vertices, std::vector<Box>& boxes) {
    const std::size_t n = cells.site.size();
    // The part of each shared edge inside the circle, computed once from its owner's site.
    struct Inside {
        bool inside = false;
        double t0 = 0, t1 = 0;
        XY p0, p1;  // in the edge's direction, from -> to
    };
    std::vector<Inside> edge_inside(cells.edges.size());
    parallel_for(cells.edges.size(), pool.size(), [&](unsigned) {
        return [&](std::size_t j) {
            const auto& [owner, P, Q] = cells.edges[j];
            const XY& c = cells.site[owner];
            double dx = Q.x - P.x, dy = Q.y - P.y, fx = P.x - c.x, fy = P.y - c.y;
            double qa = dx * dx + dy * dy, qb = 2 * (dx * fx + dy * fy), qc = fx * fx + fy * fy - r * r;
            double disc = qb * qb - 4 * qa * qc;
            if (qa <= 0 || disc <= 0) return;
            double sq = std::sqrt(disc);
            double t0 = std::max(0.0, (-qb - sq) / (2 * qa)), t1 = std::min(1.0, (-qb + sq) / (2 * qa));
            if (!(t0 < t1)) return;
            edge_inside[j] = {true, t0, t1, t0 == 0 ? P : XY{P.x + t0 * dx, P.y + t0 * dy}, t1 == 1 ? Q : XY{P.x + t1 * dx, P.y + t1 * dy}};
        };
    });

    const std::vector<XY> unit = unit_circle(vertices);
    std::vector<GeomPtr> pieces(n);
    boxes.resize(n);
    parallel_for(n, pool.size(), [&](unsigned t) {
        return [&, t](std::size_t i) {
            const auto& ring = cells.ring[i];
            const std::size_t m = ring.size();
            const XY& c = cells.site[i];
            // Inside part of each edge in this cell's (counter-clockwise) direction.
            struct Part {
                bool inside;
                double a, b;
                XY s, e;
            };
            std::vector<Part> parts(m);
            for (std::size_t k = 0; k < m; ++k) {
                const std::uint32_t code = cells.edge_of[i][k];
                const Inside& e = edge_inside[code >> 1];
                if (!e.inside) parts[k] = {false, 0, 0, {}, {}};
                else if ((code & 1) == 0) parts[k] = {true, e.t0, e.t1, e.p0, e.p1};
                else parts[k] = {true, 1 - e.t1, 1 - e.t0, e.p1, e.p0};
            }
            auto arc = [&](const XY& from, const XY& to, std::vector<XY>& out) {
                double a0 = std::atan2(from.y - c.y, from.x - c.x), a1 = std::atan2(to.y - c.y, to.x - c.x);
                if (a0 < 0) a0 += 2 * M_PI;
                if (a1 < 0) a1 += 2 * M_PI;
                if (a1 <= a0) a1 += 2 * M_PI;
                const double step = 2 * M_PI / vertices;
                for (long k = static_cast<long>(std::floor(a0 / step)) + 1; k * step < a1; ++k) {
                    const XY& u = unit[static_cast<std::size_t>(k % vertices)];
                    out.push_back({c.x + r * u.x, c.y + r * u.y});
                }
            };
            // Where the boundary comes into the circle, and whether it ever does.
            std::size_t k0 = SIZE_MAX;
            for (std::size_t k = 0; k < m && k0 == SIZE_MAX; ++k) {
                const Part& prev = parts[(k + m - 1) % m];
                if (parts[k].inside && (parts[k].a > 0 || !prev.inside || prev.b < 1)) k0 = k;
            }
            bool any_inside = false;
            for (const Part& p : parts) any_inside = any_inside || p.inside;
            boxes[i] = {c.x, c.y, c.x, c.y};
            if (any_inside && k0 == SIZE_MAX) return;  // the whole cell is within reach

            // The uncovered part: one ring per stretch of boundary outside the circle, closed by
            // the arc back (clockwise) from where the boundary re-enters to where it left.
            std::vector<std::vector<XY>> rings;
            std::vector<XY> hole;
            bool general = false;
            if (!any_inside) {
                rings.push_back(ring);  // the disc lies inside its cell: the cell with a hole
                for (auto it = unit.rbegin(); it != unit.rend(); ++it) hole.push_back({c.x + r * it->x, c.y + r * it->y});
            } else {
                std::size_t ke = SIZE_MAX;  // an edge on which the boundary leaves the circle
                for (std::size_t k = 0; k < m && ke == SIZE_MAX; ++k)
                    if (parts[k].inside && parts[k].b < 1) ke = k;
                if (ke == SIZE_MAX) {
                    general = true;  // leaves only through vertices on the circle: rare, see below
                } else {
                    std::vector<XY> cur{parts[ke].e, ring[(ke + 1) % m]};
                    auto close_at = [&](const XY& entry) {
                        cur.push_back(entry);
                        std::vector<XY> back;
                        arc(cur.front(), entry, back);
                        cur.insert(cur.end(), back.rbegin(), back.rend());
                        rings.push_back(std::move(cur));
                        cur.clear();
                    };
                    for (std::size_t j = 1; j <= m; ++j) {
                        const std::size_t k = (ke + j) % m;
                        const Part& p = parts[k];
                        const XY& vk = ring[k];
                        const XY& vk1 = ring[(k + 1) % m];
                        if (!p.inside) {
                            if (cur.empty()) cur.push_back(vk);
                            cur.push_back(vk1);
                            continue;
                        }
                        if (p.a > 0) {
                            if (cur.empty()) cur.push_back(vk);
                            close_at(p.s);
                        } else if (!cur.empty()) {
                            close_at(vk);
                        }
                        if (j == m) break;  // back at the first edge: its exit started the first ring
                        if (p.b < 1) cur = {p.e, vk1};
                    }
                }
            }
            auto cleaned = [](const std::vector<XY>& pts) {
                std::vector<XY> out;
                for (const XY& p : pts)
                    if (out.empty() || !(out.back() == p)) out.push_back(p);
                while (out.size() > 1 && out.front() == out.back()) out.pop_back();
                return out;
            };
            const GeosContext& ctx = pool[t];
            GeomPtr piece(nullptr, GeomDeleter{ctx.handle()});
            if (general) {
                // Build the disc's part and subtract it: exact, though not sharing vertices.
                std::vector<XY> disc;
                for (const XY& u : unit) disc.push_back({c.x + r * u.x, c.y + r * u.y});
                GeomPtr cell_poly = polygon(ctx, ring), disc_poly = polygon(ctx, disc);
                piece = own(ctx, GEOSDifference_r(ctx, cell_poly.get(), disc_poly.get()), "uncovered part");
            } else if (!hole.empty()) {
                GeomPtr shell = polygon(ctx, ring), inner = polygon(ctx, hole);
                piece = own(ctx, GEOSDifference_r(ctx, shell.get(), inner.get()), "cell minus disc");
            } else {
                std::vector<GeomPtr> polys;
                for (const auto& rg : rings) {
                    std::vector<XY> clean = cleaned(rg);
                    if (clean.size() >= 3) polys.push_back(polygon(ctx, clean));
                }
                if (polys.size() == 1) piece = std::move(polys.front());
                else if (!polys.empty()) piece = collect(ctx, GEOS_MULTIPOLYGON, std::move(polys));
            }
            if (!piece || is_empty(ctx, piece.get())) return;
            boxes[i] = bounds(ctx, piece.get());
            pieces[i] = std::move(piece);
        };
    });
    return pieces;
}

// Areal interpolation of a population layer onto a polygon (uniform density within
// each population polygon), or the sum of population points inside it: the population and
// each group's residents into out[0], out[1 + g], from the same intersections.
void population_in(const GeosContext& ctx, const PopulationSource& pop, const GEOSGeometry* poly, const Box& box,
                   const BoxIndex& index, const std::vector<long>* point_owner, long owner, double* out) {
    const std::size_t groups = pop.group_per_layer.size();
    std::fill(out, out + 1 + groups, 0.0);
    auto add = [&](std::size_t j, double fraction) {
        out[0] += pop.layer_values[j] * fraction;
        for (std::size_t g = 0; g < groups; ++g) out[1 + g] += pop.group_per_layer[g][j] * fraction;
    };
    PreparedPtr prepared = prepare(ctx, poly);
    for (std::size_t j : index.query(ctx, box)) {
        const GEOSGeometry* g = pop.layer_geoms[j].get();
        if (pop.layer_is_points) {
            // Points on a shared border count once: for the area that owns them.
            if (point_owner && (*point_owner)[j] != owner) continue;
            if (GEOSPreparedIntersects_r(ctx, prepared.get(), g) == 1) add(j, 1.0);
        } else if (pop.layer_area_m2[j] > 0) {
            if (GEOSPreparedContains_r(ctx, prepared.get(), g) == 1) {
                add(j, 1.0);
                continue;
            }
            if (GEOSPreparedIntersects_r(ctx, prepared.get(), g) != 1) continue;
            GeomPtr part = own(ctx, GEOSIntersection_r(ctx, poly, g), "intersection");
            add(j, area(ctx, part.get()) / pop.layer_area_m2[j]);
        }
    }
}

}  // namespace

EventCells::EventCells(const ProjectedAreas& pareas, const ProjectedPoints& events, double max_radius_m, double scale_bound) {
    // The frame reaches past the areas and events by the largest radius so no piece is cut short.
    Box frame = pareas.boxes.empty() ? Box{0, 0, 0, 0} : pareas.boxes.front();
    for (const Box& b : pareas.boxes) frame = {std::min(frame.xmin, b.xmin), std::min(frame.ymin, b.ymin), std::max(frame.xmax, b.xmax), std::max(frame.ymax, b.ymax)};
    for (const XY& p : events.xy) frame = {std::min(frame.xmin, p.x), std::min(frame.ymin, p.y), std::max(frame.xmax, p.x), std::max(frame.ymax, p.y)};
    pending_ = std::async(std::launch::async, [&events, envelope = frame.expanded(2 * max_radius_m * scale_bound + 10)] {
        GeosContext own_ctx;  // GEOS handles are not shared between threads
        return std::make_unique<VoronoiCells>(voronoi_cells(own_ctx, events, envelope));
    });
}

EventCells::~EventCells() {
    if (pending_.valid()) pending_.wait();
}

const VoronoiCells& EventCells::get() {
    if (pending_.valid()) cells_ = pending_.get();
    return *cells_;
}

EventsInAreas locate_events(const ContextPool& pool, const ProjectedAreas& pareas, const ProjectedPoints& events) {
    const std::size_t n = pareas.geoms.size();
    std::vector<Box> boxes;
    boxes.reserve(events.xy.size());
    for (const XY& p : events.xy) boxes.push_back({p.x, p.y, p.x, p.y});
    const BoxIndex index(pool.main(), boxes);
    std::vector<std::vector<std::size_t>> inside(n);
    parallel_for(n, pool.size(), [&](unsigned t) {
        return [&, t](std::size_t i) {
            const GeosContext& ctx = pool[t];
            PreparedPtr prepared = prepare(ctx, pareas.geoms[i].get());
            for (std::size_t e : index.query(ctx, pareas.boxes[i])) {
                GeomPtr pt = make_point(ctx, events.xy[e].x, events.xy[e].y);
                if (GEOSPreparedIntersects_r(ctx, prepared.get(), pt.get()) == 1) inside[i].push_back(e);
            }
        };
    });
    EventsInAreas located;
    located.per_area.assign(n, 0);
    located.area_of_event.assign(events.xy.size(), -1);
    for (std::size_t i = 0; i < n; ++i) {
        located.per_area[i] = static_cast<int>(inside[i].size());
        for (std::size_t e : inside[i])
            if (located.area_of_event[e] < 0) located.area_of_event[e] = static_cast<long>(i);
    }
    return located;
}

CoverageResult compute_coverage(const ContextPool& pool, const ProjectedAreas& pareas,
                                const ProjectedPoints& events, const LocalProjection& projection,
                                const PopulationSource& population, const CoverageOptions& options, Log& log,
                                EventCells* event_cells, std::vector<Reach>* given_reach) {
    const std::size_t n = pareas.geoms.size();
    const unsigned threads = pool.size();
    const GeosContext& main = pool.main();
    const double k = projection.scale_bound();

    CoverageResult res;
    PointIndex event_index(main, events.lonlat, events.xy, k);
    BoxIndex area_index(main, pareas.boxes);
    std::unique_ptr<BoxIndex> pop_index;
    if (population.kind == PopulationSource::Kind::Layer) pop_index = std::make_unique<BoxIndex>(main, population.layer_boxes);

    // Straight lines: the events' Voronoi cells, built in the background if not yet started.
    std::unique_ptr<EventCells> own_cells;
    if (!given_reach && !event_cells) {
        double r_max = 0;
        for (const Distance& r : options.radii) r_max = std::max(r_max, r.meters);
        own_cells = std::make_unique<EventCells>(pareas, events, r_max, k);
        event_cells = own_cells.get();
    }

    // Nearest event from each area's representative point (geodesic).
    res.nearest_event.resize(n);
    parallel_for(n, threads, [&](unsigned t) {
        return [&, t](std::size_t i) { res.nearest_event[i] = event_index.nearest(pool[t], pareas.rep_lonlat[i], pareas.rep_xy[i]); };
    });

    // Population per area.
    std::vector<long> point_owner;
    if (population.kind == PopulationSource::Kind::AreaField) {
        res.population = population.per_area;
        res.group_residents = population.group_per_area;
    } else if (population.kind == PopulationSource::Kind::Layer) {
        if (population.layer_is_points) {
            point_owner.assign(population.layer_geoms.size(), -1);
            for (std::size_t j = 0; j < population.layer_geoms.size(); ++j) {
                Box b = population.layer_boxes[j];
                for (std::size_t i : area_index.query(main, b)) {
                    if (GEOSIntersects_r(main, pareas.geoms[i].get(), population.layer_geoms[j].get()) == 1) {
                        point_owner[j] = static_cast<long>(i);
                        break;
                    }
                }
            }
        }
        res.population.assign(n, 0);
        res.group_residents.assign(population.groups(), std::vector<double>(n, 0));
        parallel_for(n, threads, [&](unsigned t) {
            return [&, t](std::size_t i) {
                std::vector<double> counts(1 + population.groups());
                population_in(pool[t], population, pareas.geoms[i].get(), pareas.boxes[i], *pop_index,
                              population.layer_is_points ? &point_owner : nullptr, static_cast<long>(i), counts.data());
                res.population[i] = counts[0];
                for (std::size_t g = 0; g < population.groups(); ++g) res.group_residents[g][i] = counts[1 + g];
            };
        });
        double total_layer = std::accumulate(population.layer_values.begin(), population.layer_values.end(), 0.0);
        double total_areas = std::accumulate(res.population.begin(), res.population.end(), 0.0);
        if (total_layer > 0 && total_areas < 0.99 * total_layer)
            log.warn("population layer: " + std::to_string(std::lround(total_layer - total_areas)) + " of " +
                     std::to_string(std::lround(total_layer)) + " people lie outside every area");
    }
    const bool has_pop = population.kind != PopulationSource::Kind::None;

    const Cells empty_cells;
    const Cells& cells = given_reach ? empty_cells : event_cells->get();

    for (std::size_t ri = 0; ri < options.radii.size(); ++ri) {
        const Distance& radius = options.radii[ri];
        RadiusResult rr;
        rr.covered_m2.assign(n, 0);
        rr.gaps.resize(n);
        rr.gap_m2.assign(n, 0);
        if (has_pop) {
            rr.population_covered.assign(n, 0);
            rr.gap_population.assign(n, 0);
            rr.group_covered.assign(population.groups(), std::vector<double>(n, 0));
        }
        // Projected distances are within factor k of geodesic ones: search a little wider.
        const double search = radius.meters * k;
        const int vertices = 4 * options.quadrant_segments;
        // Straight lines: what no event reaches, from the Voronoi pieces; a network: the reach given by the caller.
        Reach pieces_here;
        if (!given_reach) pieces_here.pieces = uncovered_pieces(pool, cells, radius.meters, vertices, pieces_here.boxes);
        const Reach& reach_here = given_reach ? (*given_reach)[ri] : pieces_here;
        const std::vector<GeomPtr>& pieces = reach_here.pieces;
        BoxIndex piece_index(main, reach_here.boxes);
        Progress progress(log, "coverage " + radius.label, n);
        parallel_for(n, threads, [&](unsigned t) {
            return [&, t](std::size_t i) {
                const GeosContext& ctx = pool[t];
                const GEOSGeometry* poly = pareas.geoms[i].get();
                const Box& box = pareas.boxes[i];
                // The disc polygon's inscribed radius: what it surely covers.
                const double inner = radius.meters * std::cos(M_PI / vertices);
                bool full = false;
                if (!given_reach)
                    for (std::size_t e : event_index.query(ctx, box.expanded(search)))
                        if (box_within(box, events.xy[e], inner)) full = true;

                GeomPtr gap;
                if (full) {
                    rr.gap_m2[i] = 0;
                } else {
                    std::vector<GeomPtr> cut_parts;
                    std::vector<const GEOSGeometry*> parts;
                    // Straight lines: only pieces that touch the area matter (the box query also
                    // returns its neighbours'), and when they all lie inside it no overlay is needed.
                    PreparedPtr prepared = given_reach ? nullptr : prepare(ctx, poly);
                    bool all_inside = true;
                    for (std::size_t k : piece_index.query(ctx, box))
                        if (!pieces[k]) continue;
                        else if (!given_reach) {
                            if (GEOSPreparedIntersects_r(ctx, prepared.get(), pieces[k].get()) != 1) continue;
                            if (all_inside && GEOSPreparedContains_r(ctx, prepared.get(), pieces[k].get()) != 1) all_inside = false;
                            parts.push_back(pieces[k].get());
                        }
                        else {
                            // Service areas can be city-sized: cut them to the area's box first.
                            const Box c = box.expanded(1.0);
                            GeomPtr cut = own(ctx, GEOSClipByRect_r(ctx, pieces[k].get(), c.xmin, c.ymin, c.xmax, c.ymax), "clip");
                            if (is_empty(ctx, cut.get())) continue;
                            parts.push_back(cut.get());
                            cut_parts.push_back(std::move(cut));
                        }
                    if ((given_reach || events.xy.empty()) && parts.empty()) {
                        gap = clone(ctx, poly);  // no reach here at all (or no event at all, e.g. every one far off)
                        rr.gap_m2[i] = pareas.area_m2[i];
                    } else if (!parts.empty()) {
                        // The pieces form an exact coverage: dissolve them as one, falling back
                        // to a snap-rounded overlay union should they not.
                        GeomPtr merged = parts.size() == 1 ? clone(ctx, parts.front()) : dissolve_coverage(ctx, parts);
                        if (!merged) {
                            std::vector<GeomPtr> copies;
                            for (const GEOSGeometry* p : parts) copies.push_back(clone(ctx, p));
                            GeomPtr all = collect(ctx, GEOS_GEOMETRYCOLLECTION, std::move(copies));
                            merged = own(ctx, GEOSUnaryUnionPrec_r(ctx, all.get(), 1e-3), "union");
                        }
                        // A network gives the reach (subtract it); straight lines give what is not reached (keep it).
                        if (given_reach) gap = own(ctx, GEOSDifference_r(ctx, poly, merged.get()), "gap");
                        else if (all_inside) gap = std::move(merged);
                        else gap = own(ctx, GEOSIntersection_r(ctx, poly, merged.get()), "gap");
                        rr.gap_m2[i] = area(ctx, gap.get());
                        if (is_empty(ctx, gap.get())) gap.reset();
                    }  // else (straight lines): no unreached piece near the area: wholly covered
                }
                rr.covered_m2[i] = std::max(0.0, pareas.area_m2[i] - rr.gap_m2[i]);
                if (has_pop) {
                    const std::size_t groups = population.groups();
                    double pop = res.population[i];
                    std::vector<double> in_gap(1 + groups, 0.0);  // population, then each group
                    if (gap) {
                        if (population.kind == PopulationSource::Kind::AreaField) {
                            const double unreached = pareas.area_m2[i] > 0 ? rr.gap_m2[i] / pareas.area_m2[i] : 0;
                            in_gap[0] = pop * unreached;
                            for (std::size_t g = 0; g < groups; ++g) in_gap[1 + g] = res.group_residents[g][i] * unreached;
                        } else {
                            population_in(ctx, population, gap.get(), bounds(ctx, gap.get()), *pop_index,
                                          population.layer_is_points ? &point_owner : nullptr, static_cast<long>(i), in_gap.data());
                        }
                    }
                    const double gap_pop = std::min(in_gap[0], pop);
                    rr.gap_population[i] = gap_pop;
                    rr.population_covered[i] = pop - gap_pop;
                    for (std::size_t g = 0; g < groups; ++g)
                        rr.group_covered[g][i] = std::max(0.0, res.group_residents[g][i] - std::min(in_gap[1 + g], res.group_residents[g][i]));
                }
                rr.gaps[i] = std::move(gap);
                progress.tick();
            };
        });

        // Rank by uncovered population (or uncovered area), then uncovered area, then input order.
        std::vector<std::size_t> order(n);
        std::iota(order.begin(), order.end(), 0);
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
            if (has_pop && rr.gap_population[a] != rr.gap_population[b]) return rr.gap_population[a] > rr.gap_population[b];
            return rr.gap_m2[a] > rr.gap_m2[b];
        });
        rr.rank.assign(n, 0);
        for (std::size_t r = 0; r < n; ++r) rr.rank[order[r]] = static_cast<int>(r + 1);
        rr.underserved.assign(n, false);
        for (std::size_t i = 0; i < n; ++i) {
            double share = pareas.area_m2[i] > 0 ? rr.covered_m2[i] / pareas.area_m2[i] : 0;
            rr.underserved[i] = share < options.min_coverage;
        }
        res.per_radius.push_back(std::move(rr));
    }
    return res;
}

}  // namespace nightout
