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
    LocalProjection projection = projection_for(pool.main(), {&from, &to});
    Transform to_local(pctx, kWgs84LonLat, projection.proj_string());
    ProjectedPoints pfrom = project_points(pool.main(), to_local, from), pto = project_points(pool.main(), to_local, to);

    TravelResult result;
    for (const auto& f : from.features) result.from_ids.push_back(f.id);
    for (const auto& t : to.features) result.to_ids.push_back(t.id);
    const std::vector<double> m = distance_matrix(pfrom.lonlat, pto.lonlat, threads, log);
    result.distance_m = Eigen::Map<const TravelMatrix2D>(m.data(), static_cast<Eigen::Index>(from.features.size()), static_cast<Eigen::Index>(to.features.size()));
    result.method = "geodesic (Karney)";
    {
        MatrixCsv csv(matrix_file.temp(), study.shown(job.matrix_out), job.layout, result.from_ids, result.to_ids, {"distance_m"}, 0, false);
        for (Eigen::Index i = 0; i < result.distance_m.rows(); ++i) csv.row(static_cast<std::size_t>(i), {result.distance_m.row(i).data()}, nullptr);
        csv.close();
    }

    nlohmann::json summary;
    summary["from"] = {{"path", from.path}, {"features", from.features.size()}, {"crs", from.crs_name}};
    summary["to"] = {{"path", to.path}, {"features", to.features.size()}, {"crs", to.crs_name}};
    summary["pairs"] = m.size();
    if (nearest_file) {
        NearestFacility nf = nearest_facilities(pool, pto, pfrom, projection.scale_bound());
        CsvWriter csv(nearest_file->temp(), study.shown(job.nearest_out));
        csv.text("to_id").text("nearest_from_id").text("distance_m").end_row();
        for (std::size_t j = 0; j < to.features.size(); ++j) {
            csv.text(to.features[j].id).text(from.features[nf.of_point[j].index].id).fixed(nf.of_point[j].meters, 3);
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
