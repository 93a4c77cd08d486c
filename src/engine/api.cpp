// The public facade (include/nightout/nightout.hpp) over the engine's stages.
#include <nightout/nightout.hpp>

#include "core/units.hpp"
#include "engine/study.hpp"
#include "jobs/coverage_job.hpp"
#include "jobs/plan_job.hpp"
#include "write/vector_writer.hpp"

namespace nightout::api {

namespace {

InputSpec spec_of(const Input& in) { return {in.path, in.layer, in.id_field, in.name_field, in.lat_field, in.lon_field, in.wkt_field, in.crs}; }

// A LogSink-less study stays silent, as a library should.
Log make_log(LogSink* sink) { return sink ? Log(*sink) : Log(true); }

}  // namespace

struct Study::Impl {
    explicit Impl(const Options& o) : log(make_log(o.log)), study(log, o.threads) {}
    Log log;
    nightout::Study study;
};

Study::Study(Options options) : impl_(std::make_unique<Impl>(options)) {}
Study::~Study() = default;

CoverageResult Study::coverage(const CoverageRequest& r) {
    CoverageJob job;
    job.areas = spec_of(r.areas);
    job.events = spec_of(r.events);
    job.stations = spec_of(r.stations);
    job.population = spec_of(r.population);
    job.population_field = r.population_field;
    for (const auto& radius : r.radius) job.options.radii.push_back(parse_distance(radius, "radius"));
    job.minutes = r.minutes;
    job.options.min_coverage = r.min_coverage;
    job.network.path = r.network.path;
    job.network.profile = r.network.profile;
    job.network.profile_given = !r.network.path.empty();
    if (r.out_dir.empty()) throw Error(ErrorKind::Usage, "coverage: an output folder (out_dir) is required");
    job.out_dir = r.out_dir;
    job.formats.clear();
    for (const auto& f : r.formats) job.formats.push_back(parse_format(f));
    job.report = r.report;
    job.threads = impl_->study.threads();
    return coverage_stage(job, impl_->study).result;
}

std::size_t Study::inputs_read() const { return impl_->study.datasets_read(); }
std::size_t Study::networks_built() const { return impl_->study.networks_built(); }

PlanResult run_plan(const std::string& plan_file, const std::string& out_dir, Options options) {
    Log log = make_log(options.log);
    PlanJob job{read_plan(plan_file), out_dir, options.threads};
    return plan_stage(job, log).result;
}

std::string version() { return NIGHTOUT_VERSION; }

}  // namespace nightout::api
