#include "analyse/far_off.hpp"
#include "analyse/travel.hpp"
#include "core/error.hpp"
#include "jobs/report.hpp"
#include "core/parallel.hpp"
#include "jobs/coverage_job.hpp"
#include "write/csv.hpp"
#include "write/matrix_csv.hpp"
#include "write/output_dir.hpp"

#include <chrono>
#include <cstdio>
#include <limits>
#include <optional>
#include <memory>

namespace nightout {

namespace {


}  // namespace

nlohmann::json run_travel(const TravelJob& job, Log& log) {
    Study study(log, job.threads);
    return travel_stage(job, study).summary;
}

nlohmann::json run_travel(const TravelJob& job, Study& study) { return travel_stage(job, study).summary; }

TravelOutcome travel_stage(const TravelJob& job, Study& study) {
    Log& log = study.log();
    const auto started = std::chrono::steady_clock::now();
    for (const auto& out : {job.matrix_out, job.nearest_out}) refuse_output_over_inputs(out, {job.from.path, job.to.path});
    OutputFile matrix_file(job.matrix_out);
    std::unique_ptr<OutputFile> nearest_file;
    if (!job.nearest_out.empty()) nearest_file = std::make_unique<OutputFile>(job.nearest_out);

    const unsigned threads = study.threads();
    const ContextPool& pool = study.pool();
    ProjContext pctx;
    study.read_all({{&job.from, GeomKind::Point, "from"}, {&job.to, GeomKind::Point, "to"}});
    const Dataset& from = study.dataset(job.from, GeomKind::Point, "from");
    const Dataset& to = study.dataset(job.to, GeomKind::Point, "to");
    // Centred on the points that are not outliers, so that a swapped row cannot move it; points
    // far beyond the others' extent are reported, kept with status far_off and reach no one.
    const GeosContext& ctx = pool.main();
    const FarOffAmong among = far_off_among(pctx, {point_lonlats(ctx, from), point_lonlats(ctx, to)}, job.max_offset_m);
    report_far_off(log, among, {&from, &to}, job.max_offset_m, {"--from-crs", "--to-crs"});
    const LocalProjection& projection = among.projection;
    const FarOff &far_from = among.far[0], &far_to = among.far[1];
    const ProjectedPoints &pfrom_in = among.points[0], &pto_in = among.points[1];
    const bool any_far = among.count > 0;
    const ProjectedPoints pfrom = kept_points(pfrom_in, far_from), pto = kept_points(pto_in, far_to);

    TravelResult result;
    for (const auto& f : from.features) result.from_ids.push_back(f.id);
    for (const auto& t : to.features) result.to_ids.push_back(t.id);
    // The kept points' distances, then every pair in input order: a far-off point's are empty.
    std::vector<double> m = distance_matrix(pfrom.lonlat, pto.lonlat, threads, log);
    const std::size_t nf = from.features.size(), nt = to.features.size();
    if (any_far) {
        std::vector<double> all(nf * nt, std::numeric_limits<double>::quiet_NaN());
        for (std::size_t a = 0; a < far_from.kept.size(); ++a)
            for (std::size_t b = 0; b < far_to.kept.size(); ++b) all[far_from.kept[a] * nt + far_to.kept[b]] = m[a * far_to.kept.size() + b];
        m = std::move(all);
    }
    result.distance_m = Eigen::Map<const TravelMatrix2D>(m.data(), static_cast<Eigen::Index>(nf), static_cast<Eigen::Index>(nt));
    result.method = "geodesic (Karney)";
    {
        // With far-off points the long layout ends with a status column (ok or far_off).
        MatrixCsv csv(matrix_file.temp(), study.shown(job.matrix_out), job.layout, result.from_ids, result.to_ids, {"distance_m"}, 0, any_far);
        std::vector<const char*> status(nt);
        for (std::size_t i = 0; i < nf; ++i) {
            for (std::size_t j = 0; j < nt; ++j) status[j] = far_from.far[i] || far_to.far[j] ? "far_off" : "ok";
            csv.row(i, {m.data() + i * nt}, any_far ? status.data() : nullptr);
        }
        csv.close();
    }

    nlohmann::json summary;
    summary["from"] = {{"path", from.path}, {"features", from.features.size()}, {"crs", from.crs_name}};
    summary["to"] = {{"path", to.path}, {"features", to.features.size()}, {"crs", to.crs_name}};
    summary["pairs"] = m.size();
    summary["far_off"] = {{"max_offset_m", job.max_offset_m}, {"from", far_off_json(from, far_from, pfrom_in)}, {"to", far_off_json(to, far_to, pto_in)}};
    if (nearest_file) {
        CsvWriter csv(nearest_file->temp(), study.shown(job.nearest_out));
        csv.text("to_id").text("nearest_from_id").text("distance_m");
        if (any_far) csv.text("status");
        csv.end_row();
        std::optional<NearestFacility> nf_kept;
        if (!pfrom.xy.empty() && !pto.xy.empty()) nf_kept = nearest_facilities(pool, pto, pfrom, projection.scale_bound());
        for (std::size_t b = 0, j = 0; j < nt; ++j) {
            csv.text(to.features[j].id);
            if (far_to.far[j] || !nf_kept) {
                csv.empty().empty();
                if (any_far) csv.text(far_to.far[j] ? "far_off" : "from_far_off");
            } else {
                const auto& near = nf_kept->of_point[b++];
                csv.text(from.features[far_from.kept[near.index]].id).fixed(near.meters, 3);
                if (any_far) csv.text("ok");
            }
            csv.end_row();
        }
        csv.close();
    }
    matrix_file.commit();
    if (nearest_file) nearest_file->commit();
    summary["run_time_s"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    summary["warnings"] = log.warnings();
    log.info("wrote " + std::to_string(m.size()) + " distances to " + study.shown(job.matrix_out));
    return {std::move(result), std::move(summary)};
}

}  // namespace nightout
