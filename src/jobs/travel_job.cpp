#include "analyse/travel.hpp"
#include "core/error.hpp"
#include "jobs/report.hpp"
#include "core/parallel.hpp"
#include "jobs/coverage_job.hpp"
#include "write/output_dir.hpp"

#include <chrono>
#include <cstdio>
#include <memory>

namespace nightout {

namespace {

struct FileCloser {
    void operator()(std::FILE* f) const {
        if (f) std::fclose(f);
    }
};

}  // namespace

nlohmann::json run_travel(const TravelJob& job, Log& log) {
    const auto started = std::chrono::steady_clock::now();
    for (const auto& out : {job.matrix_out, job.nearest_out}) refuse_output_over_inputs(out, {job.from.path, job.to.path});
    OutputFile matrix_file(job.matrix_out);
    std::unique_ptr<OutputFile> nearest_file;
    if (!job.nearest_out.empty()) nearest_file = std::make_unique<OutputFile>(job.nearest_out);

    const unsigned threads = job.threads ? job.threads : default_threads();
    ContextPool pool(threads);
    ProjContext pctx;
    Dataset from = read_dataset(pool.main(), pctx, job.from, GeomKind::Point, "from", log);
    Dataset to = read_dataset(pool.main(), pctx, job.to, GeomKind::Point, "to", log);
    LocalProjection projection = projection_for(pool.main(), {&from, &to});
    Transform to_local(pctx, kWgs84LonLat, projection.proj_string());
    ProjectedPoints pfrom = project_points(pool.main(), to_local, from), pto = project_points(pool.main(), to_local, to);

    std::vector<double> m = distance_matrix(pfrom.lonlat, pto.lonlat, threads, log);
    {
        std::unique_ptr<std::FILE, FileCloser> f(std::fopen(matrix_file.temp().c_str(), "w"));
        if (!f) throw_output(job.matrix_out + ": cannot be written");
        std::fputs("from_id,to_id,distance_m\n", f.get());
        std::vector<std::string> to_ids;
        for (const auto& t : to.features) to_ids.push_back(csv_field(t.id));
        for (std::size_t i = 0; i < from.features.size(); ++i) {
            std::string fid = csv_field(from.features[i].id);
            for (std::size_t j = 0; j < to.features.size(); ++j)
                std::fprintf(f.get(), "%s,%s,%.3f\n", fid.c_str(), to_ids[j].c_str(), m[i * to.features.size() + j]);
        }
        if (std::fflush(f.get()) != 0 || std::ferror(f.get())) throw_output(job.matrix_out + ": write failed");
    }

    nlohmann::json summary;
    summary["from"] = {{"path", from.path}, {"features", from.features.size()}, {"crs", from.crs_name}};
    summary["to"] = {{"path", to.path}, {"features", to.features.size()}, {"crs", to.crs_name}};
    summary["pairs"] = m.size();
    if (nearest_file) {
        NearestFacility nf = nearest_facilities(pool, pto, pfrom, projection.scale_bound());
        std::unique_ptr<std::FILE, FileCloser> f(std::fopen(nearest_file->temp().c_str(), "w"));
        if (!f) throw_output(job.nearest_out + ": cannot be written");
        std::fputs("to_id,nearest_from_id,distance_m\n", f.get());
        for (std::size_t j = 0; j < to.features.size(); ++j)
            std::fprintf(f.get(), "%s,%s,%.3f\n", csv_field(to.features[j].id).c_str(),
                         csv_field(from.features[nf.of_point[j].index].id).c_str(), nf.of_point[j].meters);
        if (std::fflush(f.get()) != 0 || std::ferror(f.get())) throw_output(job.nearest_out + ": write failed");
    }
    matrix_file.commit();
    if (nearest_file) nearest_file->commit();
    summary["run_time_s"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    summary["warnings"] = log.warnings();
    log.info("wrote " + std::to_string(m.size()) + " distances to " + job.matrix_out);
    return summary;
}

}  // namespace nightout
