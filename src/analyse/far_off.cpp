#include "analyse/far_off.hpp"

#include "core/error.hpp"
#include "core/text.hpp"
#include "geo/geodesic.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace nightout {

namespace {

constexpr double kEarthRadiusM = 6371008.8;
constexpr std::size_t kListed = 20;

std::string km(double m) {
    char buf[32];
    std::snprintf(buf, sizeof buf, m < 10'000 ? "%.1f km" : "%.0f km", m / 1000);
    return buf;
}

std::string coordinates(const LonLat& p) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "(lon %.6f, lat %.6f)", p.lon, p.lat);
    return buf;
}

// A scale error above 1e-3 is a warning: the study is larger than a city.
void warn_scale_error(const LocalProjection& projection, Log& log) {
    const double error = projection.scale_bound() - 1.0;
    if (error > 1e-3) {
        char buf[200];
        std::snprintf(buf, sizeof buf,
                      "the study spans %.0f km from its centre: the local projection's scale error is up to %.2g (above 1e-3); "
                      "distances and areas stay exact, but the study is larger than a city",
                      projection.max_arc_rad * kEarthRadiusM / 1000, error);
        log.warn(buf);
    }
}

}  // namespace

Box areas_extent(const ProjectedAreas& areas) {
    Box e{HUGE_VAL, HUGE_VAL, -HUGE_VAL, -HUGE_VAL};
    for (const Box& b : areas.boxes) {
        e.xmin = std::min(e.xmin, b.xmin);
        e.ymin = std::min(e.ymin, b.ymin);
        e.xmax = std::max(e.xmax, b.xmax);
        e.ymax = std::max(e.ymax, b.ymax);
    }
    return e;
}

std::vector<LonLat> point_lonlats(const GeosContext& ctx, const Dataset& ds) {
    std::vector<LonLat> out(ds.features.size());
    for (std::size_t i = 0; i < out.size(); ++i) point_xy(ctx, ds.features[i].geom.get(), out[i].lon, out[i].lat);
    return out;
}

Box robust_lonlat_extent(const std::vector<LonLat>& points) {
    std::vector<double> lon, lat;
    for (const LonLat& p : points) lon.push_back(p.lon), lat.push_back(p.lat);
    if (lon.empty()) throw_internal("no coordinates to choose a projection from");
    // Quartiles by rank: one more point moves them by at most one rank, and the box is that of
    // the points inside the fences, which stays the same unless a point lies right on a fence.
    auto fences = [](std::vector<double> v) {
        const std::size_t n = v.size();
        std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(n / 4), v.end());
        const double q1 = v[n / 4];
        std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>((3 * n) / 4), v.end());
        const double q3 = v[(3 * n) / 4];
        const double iqr = q3 - q1;
        return std::pair<double, double>{q1 - 3 * iqr, q3 + 3 * iqr};
    };
    const auto [lon_lo, lon_hi] = fences(lon);
    const auto [lat_lo, lat_hi] = fences(lat);
    Box e{HUGE_VAL, HUGE_VAL, -HUGE_VAL, -HUGE_VAL};
    for (std::size_t i = 0; i < lon.size(); ++i) {
        if (!(lon[i] >= lon_lo && lon[i] <= lon_hi && lat[i] >= lat_lo && lat[i] <= lat_hi)) continue;
        e.xmin = std::min(e.xmin, lon[i]);
        e.ymin = std::min(e.ymin, lat[i]);
        e.xmax = std::max(e.xmax, lon[i]);
        e.ymax = std::max(e.ymax, lat[i]);
    }
    return e;
}

Box local_extent(const std::vector<const ProjectedPoints*>& sets, const Box& lonlat_box) {
    Box e{HUGE_VAL, HUGE_VAL, -HUGE_VAL, -HUGE_VAL};
    for (const ProjectedPoints* s : sets)
        for (std::size_t i = 0; i < s->xy.size(); ++i) {
            const LonLat& p = s->lonlat[i];
            if (!(p.lon >= lonlat_box.xmin && p.lon <= lonlat_box.xmax && p.lat >= lonlat_box.ymin && p.lat <= lonlat_box.ymax)) continue;
            e.xmin = std::min(e.xmin, s->xy[i].x);
            e.ymin = std::min(e.ymin, s->xy[i].y);
            e.xmax = std::max(e.xmax, s->xy[i].x);
            e.ymax = std::max(e.ymax, s->xy[i].y);
        }
    return e;
}

FarOff none_far_off(std::size_t n) {
    FarOff out;
    out.far.assign(n, false);
    out.distance_m.assign(n, 0.0);
    for (std::size_t i = 0; i < n; ++i) out.kept.push_back(i);
    return out;
}

LocalProjection projection_for_areas(const GeosContext& ctx, const Dataset& areas) { return projection_for(ctx, {&areas}); }

FarOff find_far_off(const ProjectedPoints& points, const Box& extent, double max_offset_m, const Transform& to_local) {
    const std::size_t n = points.xy.size();
    FarOff out;
    out.far.assign(n, false);
    out.distance_m.assign(n, 0.0);
    for (std::size_t i = 0; i < n; ++i) {
        const XY& p = points.xy[i];
        const double dx = std::max({extent.xmin - p.x, 0.0, p.x - extent.xmax});
        const double dy = std::max({extent.ymin - p.y, 0.0, p.y - extent.ymax});
        // Projected distances within a few hundred km are within 1e-3 of the geodesic ones;
        // farther points are far off however distorted their distance is.
        if (!(std::hypot(dx, dy) > max_offset_m)) {
            out.kept.push_back(i);
            continue;
        }
        out.far[i] = true;
        ++out.count;
        // Said as the geodesic distance to the extent's nearest point.
        double cx = std::clamp(p.x, extent.xmin, extent.xmax), cy = std::clamp(p.y, extent.ymin, extent.ymax);
        out.distance_m[i] = to_local.inverse(cx, cy) ? geodesic_distance(points.lonlat[i].lon, points.lonlat[i].lat, cx, cy) : std::hypot(dx, dy);
    }
    return out;
}

void report_far_off(Log& log, const Dataset& ds, const FarOff& far, const ProjectedPoints& points, double max_offset_m,
                    const std::string& crs_flag, const std::string& consequence) {
    if (far.count == 0) return;
    // The first ones each with where, coordinates and distance, so each can be found and fixed.
    std::string listed;
    std::size_t shown = 0;
    for (std::size_t i = 0; i < far.far.size() && shown < kListed; ++i) {
        if (!far.far[i]) continue;
        listed += std::string(shown ? "; " : "") + ds.features[i].where + " (id " + ds.features[i].id + ") at " + coordinates(points.lonlat[i]) + ", " +
                  km(far.distance_m[i]) + " away";
        ++shown;
    }
    if (far.count > shown) listed += "; ... (" + std::to_string(far.count - shown) + " more in summary.json)";
    std::string message = ds.path + ": " + std::to_string(far.count) + " of " + std::to_string(ds.features.size()) + " " + ds.role +
                          " lie more than " + km(max_offset_m) + " beyond " + far.extent + ": " + listed +
                          ". " + consequence;
    if (2 * far.count > ds.features.size())
        message += "; most of this input is far off: is its CRS (" + ds.crs_name + ") right? Give its CRS with " + crs_flag;
    else message += "; check for swapped latitude/longitude";
    message += " (--max-offset changes the limit)";
    log.warn(message);
}

FarOffAmong far_off_among(const ProjContext& pctx, const std::vector<std::vector<LonLat>>& sets, double max_offset_m) {
    FarOffAmong out;
    std::vector<LonLat> all;
    for (const auto& s : sets) all.insert(all.end(), s.begin(), s.end());
    const Box core = robust_lonlat_extent(all);
    out.projection = choose_local_projection(core.xmin, core.ymin, core.xmax, core.ymax);
    Transform to_local(pctx, kWgs84LonLat, out.projection.proj_string());
    for (const auto& s : sets) {
        ProjectedPoints p;
        p.lonlat = s;
        std::vector<double> x, y;
        for (const LonLat& ll : s) x.push_back(ll.lon), y.push_back(ll.lat);
        if (!to_local.forward_many(x, y)) throw_internal("points cannot be projected to the study's local projection");
        for (std::size_t i = 0; i < x.size(); ++i) p.xy.push_back({x[i], y[i]});
        out.points.push_back(std::move(p));
    }
    std::vector<const ProjectedPoints*> ptrs;
    for (const ProjectedPoints& p : out.points) ptrs.push_back(&p);
    const Box extent = local_extent(ptrs, core);
    for (const ProjectedPoints& p : out.points) {
        out.far.push_back(find_far_off(p, extent, max_offset_m, to_local));
        out.far.back().extent = "the extent of the other points";
        out.count += out.far.back().count;
        for (std::size_t i : out.far.back().kept)
            out.projection.max_arc_rad = std::max(out.projection.max_arc_rad,
                                                  geodesic_distance(out.projection.lon0, out.projection.lat0, p.lonlat[i].lon, p.lonlat[i].lat) / kEarthRadiusM);
    }
    return out;
}

void report_far_off(Log& log, const FarOffAmong& far, const std::vector<const Dataset*>& datasets, double max_offset_m,
                    const std::vector<std::string>& crs_flags) {
    for (std::size_t k = 0; k < datasets.size() && k < far.far.size(); ++k)
        if (datasets[k]) report_far_off(log, *datasets[k], far.far[k], far.points[k], max_offset_m, k < crs_flags.size() ? crs_flags[k] : "--crs");
    warn_scale_error(far.projection, log);
}

Dataset kept_dataset(const GeosContext& ctx, const Dataset& ds, const FarOff& far) {
    Dataset out;
    out.role = ds.role;
    out.path = ds.path;
    out.layer = ds.layer;
    out.crs_name = ds.crs_name;
    out.kind = ds.kind;
    out.id_field = ds.id_field;
    out.name_field = ds.name_field;
    out.fields = ds.fields;
    out.repaired = ds.repaired;
    out.duplicate_ids = ds.duplicate_ids;
    for (std::size_t i : far.kept) {
        const Feature& f = ds.features[i];
        out.features.push_back({f.id, f.name, f.attrs, clone(ctx, f.geom.get()), f.where});
    }
    return out;
}

ProjectedPoints kept_points(const ProjectedPoints& points, const FarOff& far) {
    ProjectedPoints out;
    for (std::size_t i : far.kept) {
        out.lonlat.push_back(points.lonlat[i]);
        out.xy.push_back(points.xy[i]);
    }
    return out;
}

void widen_for(LocalProjection& projection, const ProjectedPoints& kept, Log& log) {
    for (const LonLat& p : kept.lonlat)
        projection.max_arc_rad = std::max(projection.max_arc_rad, geodesic_distance(projection.lon0, projection.lat0, p.lon, p.lat) / kEarthRadiusM);
    warn_scale_error(projection, log);
}

void append_far_off(OutLayer& layer, const GeosContext& ctx, const Dataset& ds, const FarOff& far) {
    const std::size_t status = layer.add_field("status", FieldType::String);
    for (auto& row : layer.rows) {
        row.resize(layer.fields.size());
        row[status] = std::string("ok");
    }
    const int id = layer.find("id"), name = layer.find("name");
    std::vector<int> input_cols;
    for (const FieldDef& f : ds.fields) {
        int col = f.name.empty() ? -1 : layer.find("input_" + f.name);
        if (col < 0 && !f.name.empty() && f.name != "id" && f.name != "name") col = layer.find(f.name);
        input_cols.push_back(col);
    }
    for (std::size_t i = 0; i < far.far.size(); ++i) {
        if (!far.far[i]) continue;
        const Feature& f = ds.features[i];
        std::vector<Value> row(layer.fields.size());
        if (id >= 0) row[id] = f.id;
        if (name >= 0 && !f.name.empty()) row[name] = f.name;
        for (std::size_t k = 0; k < input_cols.size() && k < f.attrs.size(); ++k)
            if (input_cols[k] >= 0) row[input_cols[k]] = f.attrs[k];
        row[status] = std::string("far_off");
        layer.rows.push_back(std::move(row));
        layer.wkb.push_back(to_wkb(ctx, f.geom.get()));
    }
}

nlohmann::json far_off_json(const Dataset& ds, const FarOff& far, const ProjectedPoints& points) {
    nlohmann::json list = nlohmann::json::array();
    for (std::size_t i = 0; i < far.far.size(); ++i) {
        if (!far.far[i]) continue;
        const Feature& f = ds.features[i];
        list.push_back({{"where", f.where}, {"id", f.id}, {"lon", points.lonlat[i].lon}, {"lat", points.lonlat[i].lat},
                        {"distance_m", std::round(far.distance_m[i])}});
    }
    return {{"count", far.count}, {"points", list}};
}

}  // namespace nightout
