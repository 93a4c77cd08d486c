#include "equity/after_sites.hpp"

#include "core/text.hpp"
#include "engine/study.hpp"
#include "jobs/report.hpp"
#include "read/memory.hpp"

#include <cstdio>

namespace nightout {

void add_group_reach_after_sites(const CoverageJob& coverage, const std::vector<OutLayer>& site_layers, Study& study, nlohmann::json& coverage_summary) {
    if (coverage.equity.groups.empty() || !coverage_summary.contains("equity") || !coverage_summary["equity"].contains("breaks")) return;
    const GeosContext& ctx = study.pool().main();
    // The events, then every suggested (not existing) site, as points in lon/lat.
    std::vector<MemoryFeature> points;
    auto add_point = [&](const std::string& id, const GEOSGeometry* g) {
        double x = 0, y = 0;
        point_xy(ctx, g, x, y);
        char wkt[96];
        std::snprintf(wkt, sizeof wkt, "POINT(%.12g %.12g)", x, y);
        points.push_back({id, "", wkt, {}});
    };
    const Dataset& events = study.dataset(coverage.events, GeomKind::Point, "events");
    for (const Feature& f : events.features) add_point(f.id, f.geom.get());
    std::size_t added = 0;
    for (const OutLayer& l : site_layers) {
        const int status = l.find("status");
        if (l.kind != LayerKind::Sites || status < 0) continue;
        for (std::size_t i = 0; i < l.rows.size(); ++i) {
            const auto* v = std::get_if<std::string>(&l.rows[i][static_cast<std::size_t>(status)]);
            if (v && *v == "existing") continue;
            GeomPtr g = from_wkb(ctx, l.wkb[i].data(), l.wkb[i].size());
            add_point("site " + std::to_string(++added), g.get());
        }
    }
    if (added == 0) return;
    ProjContext pctx;
    CoverageJob after = coverage;
    after.out_dir.clear();  // computes only
    after.report = false;
    after.equity = EquityOptions{};
    after.equity.groups = coverage.equity.groups;
    after.events = InputSpec{};
    after.events.path = "memory:events and suggested sites";
    study.add(after.events, GeomKind::Point, memory_dataset(ctx, pctx, "events", GeomKind::Point, "", {}, points));
    const api::CoverageResult r = coverage_stage(after, study).result;
    auto& breaks = coverage_summary["equity"]["breaks"];
    for (std::size_t k = 0; k < breaks.size() && k < r.equity->breaks.size(); ++k) {
        const api::EquityBreak& b = r.equity->breaks[k];
        breaks[k]["overall_share_after_sites"] = round_to(b.overall_share, 1e-6);
        breaks[k]["gini_after_sites"] = round_to(b.gini, 1e-6);
        if (b.gap_points) breaks[k]["gap_points_after_sites"] = round_to(*b.gap_points, 1e-4);
        for (std::size_t g = 0; g < b.groups.size(); ++g) {
            breaks[k]["groups"][g]["reached_after_sites"] = round_to(b.groups[g].reached, 0.01);
            breaks[k]["groups"][g]["share_after_sites"] = round_to(b.groups[g].share, 1e-6);
            breaks[k]["groups"][g]["ratio_after_sites"] = round_to(b.groups[g].ratio, 1e-6);
        }
    }
    coverage_summary["equity"]["after_sites"] = {{"sites", added}, {"note", "the same coverage with the suggested sites added to the events"}};
}

}  // namespace nightout
