// The public facade (include/nightout/nightout.hpp) over the engine's stages.
#include <nightout/nightout.hpp>

#include "core/units.hpp"
#include "core/error.hpp"
#include "engine/study.hpp"
#include "jobs/coverage_job.hpp"
#include "jobs/network_job.hpp"
#include "jobs/plan_job.hpp"
#include "jobs/route_job.hpp"
#include "jobs/site_job.hpp"
#include "options/schema.hpp"
#include "read/memory.hpp"
#include "write/vector_writer.hpp"

#include <algorithm>
#include <cctype>
#include <atomic>
#include <cmath>

namespace nightout::api {

namespace {

InputSpec spec_of(const Input& in) { return {in.path, in.layer, in.id_field, in.name_field, in.lat_field, in.lon_field, in.wkt_field, in.crs}; }

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// The column named `given`, else the first of `detected` (case-insensitive), as read_dataset
// detects a file's id and name fields; -1 when none.
int column_of(const Features& f, const std::string& given, const std::vector<std::string>& detected, const std::string& path, const std::string& role,
              const std::string& what) {
    if (!given.empty()) {
        for (std::size_t c = 0; c < f.columns.size(); ++c)
            if (f.columns[c].name == given) return static_cast<int>(c);
        throw Error(ErrorKind::Input, path + ": no column '" + given + "' (the " + role + "' " + what + " field)");
    }
    for (const auto& name : detected)
        for (std::size_t c = 0; c < f.columns.size(); ++c)
            if (lower(f.columns[c].name) == name) return static_cast<int>(c);
    return -1;
}

// A numeric column holding only whole numbers is an integer field, as GDAL reads one from a file.
bool integral(const Column& c) {
    return std::all_of(c.numbers.begin(), c.numbers.end(), [](double v) { return std::isnan(v) || (v == std::floor(v) && std::fabs(v) < 9.0e15); });
}

Value cell_value(const Column& c, bool as_integer, std::size_t row) {
    if (c.numeric) {
        const double v = c.numbers[row];
        if (std::isnan(v)) return std::monostate{};
        if (as_integer) return static_cast<std::int64_t>(v);
        return v;
    }
    if (!c.null.empty() && c.null[row]) return std::monostate{};
    return c.texts[row];
}

std::string text_of(const Value& v) {
    if (std::holds_alternative<std::int64_t>(v)) return std::to_string(std::get<std::int64_t>(v));
    if (std::holds_alternative<double>(v)) return std::to_string(std::get<double>(v));
    if (std::holds_alternative<std::string>(v)) return std::get<std::string>(v);
    return {};
}

// The spec a stage asks the study for. Features in memory are turned into a dataset served
// under a path of their own (each call's features are distinct inputs).
InputSpec prepare(nightout::Study& study, const Input& in, GeomKind kind, const std::string& role) {
    if (!in.features) return spec_of(in);
    static std::atomic<std::size_t> serial{0};
    const Features& f = *in.features;
    const std::string shown = in.path.empty() ? role + " (in memory)" : in.path;
    for (const auto& c : f.columns)
        if ((c.numeric ? c.numbers.size() : c.texts.size()) != f.wkb.size())
            throw Error(ErrorKind::Input, shown + ": column '" + c.name + "' has " + std::to_string(c.numeric ? c.numbers.size() : c.texts.size()) +
                                              " values for " + std::to_string(f.wkb.size()) + " geometries");
    const int id_col = column_of(f, in.id_field, {"id", role + "_id", "fid", "objectid", "gid", "uid", "osm_id", "code"}, shown, role, "id");
    const int name_col =
        column_of(f, in.name_field, {"name", role + "_name", "title", "label", "nbhd_name", "neighborhood", "site_name", "station"}, shown, role, "name");
    std::vector<FieldDef> fields;
    std::vector<bool> as_integer;
    for (const auto& c : f.columns) {
        as_integer.push_back(c.numeric && integral(c));
        fields.push_back({c.name, !c.numeric ? FieldType::String : as_integer.back() ? FieldType::Integer : FieldType::Real});
    }
    std::vector<MemoryFeature> features(f.wkb.size());
    for (std::size_t i = 0; i < f.wkb.size(); ++i) {
        MemoryFeature& m = features[i];
        m.wkb = f.wkb[i];
        for (std::size_t c = 0; c < f.columns.size(); ++c) m.attrs.push_back(cell_value(f.columns[c], as_integer[c], i));
        if (id_col >= 0) m.id = text_of(m.attrs[id_col]);
        if (name_col >= 0) m.name = text_of(m.attrs[name_col]);
    }
    ProjContext pctx;
    Dataset ds = memory_dataset(study.pool().main(), pctx, role, kind, f.crs, fields, features);
    ds.path = shown;
    ds.id_field = id_col >= 0 ? f.columns[id_col].name : "";
    ds.name_field = name_col >= 0 ? f.columns[name_col].name : "";
    InputSpec spec;
    spec.path = "memory:" + role + "#" + std::to_string(++serial);
    study.add(spec, ds.kind, std::move(ds));
    return spec;
}

// Applies command-line flags through a stage's option schema, with the command line's messages.
template <class Target>
void apply_flags(Target& target, const options::Schema<Target>& schema, const Flags& flags) {
    for (const auto& [flag, value] : flags) {
        const options::Option<Target>* found = nullptr;
        for (const auto& o : schema) {
            std::string names = o.flag + ",";
            if (!o.flag.empty() && names.find(flag + ",") != std::string::npos) found = &o;
        }
        if (!found) throw Error(ErrorKind::Usage, "unknown option " + flag);
        std::string name = found->flag;
        std::replace(name.begin(), name.end(), ',', '/');
        const options::Origin origin{options::Origin::Kind::CommandLine, name};
        if (found->is_switch) found->apply(target, options::Raw(value == "true" || value == "1"), origin);
        else found->apply(target, options::Raw(value), origin);
    }
}

NetworkOptions network_of(const Network& n) {
    NetworkOptions o;
    o.path = n.path;
    o.profile = n.profile;
    o.profile_given = !n.path.empty();
    return o;
}

std::vector<Format> formats_of(const std::vector<std::string>& names) {
    std::vector<Format> out;
    for (const auto& f : names) out.push_back(parse_format(f));
    return out;
}

void hand_back(const std::vector<OutLayer>& written, std::vector<Layer>* layers) {
    if (!layers) return;
    for (const OutLayer& l : written) {
        Layer out;
        out.name = l.name;
        for (const auto& f : l.fields) {
            out.fields.push_back(f.name);
            out.boolean.push_back(f.boolean);
        }
        for (const auto& g : l.wkb) out.wkb.emplace_back(g.begin(), g.end());
        for (const auto& row : l.rows) {
            std::vector<Cell> cells;
            for (const Value& v : row) std::visit([&](const auto& x) { cells.emplace_back(x); }, v);
            out.rows.push_back(std::move(cells));
        }
        layers->push_back(std::move(out));
    }
}

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

CoverageResult Study::coverage(const CoverageRequest& r, std::vector<Layer>* layers) {
    CoverageJob job;
    nightout::Study& study = impl_->study;
    job.areas = prepare(study, r.areas, GeomKind::Area, "areas");
    job.events = prepare(study, r.events, GeomKind::Point, "events");
    job.stations = prepare(study, r.stations, GeomKind::Point, "stations");
    job.population = prepare(study, r.population, GeomKind::PointOrArea, "population");
    job.population_field = r.population_field;
    for (const auto& radius : r.radius) job.options.radii.push_back(parse_distance(radius, "radius"));
    job.minutes = r.minutes;
    job.options.min_coverage = r.min_coverage;
    job.network = network_of(r.network);
    if (r.out_dir.empty()) throw Error(ErrorKind::Usage, "coverage: an output folder (out_dir) is required");
    job.out_dir = r.out_dir;
    job.formats.clear();
    for (const auto& f : r.formats) job.formats.push_back(parse_format(f));
    job.report = r.report;
    apply_flags(job, options::coverage_schema(), r.flags);
    if (!r.projection_extent.empty() && r.projection_extent.size() != 4)
        throw Error(ErrorKind::Usage, "coverage: projection_extent needs 4 numbers: lon_min, lat_min, lon_max, lat_max");
    job.projection_extent = r.projection_extent;
    job.threads = impl_->study.threads();
    std::vector<OutLayer> written;
    CoverageResult result = coverage_stage(job, impl_->study, layers ? &written : nullptr).result;
    hand_back(written, layers);
    return result;
}

Travel Study::travel(const TravelRequest& r) {
    nightout::Study& study = impl_->study;
    if (r.matrix_out.empty()) throw Error(ErrorKind::Usage, "travel: a matrix file (matrix_out) is required");
    TravelOutcome outcome;
    if (r.network.path.empty()) {
        if (!r.routes_out.empty()) throw Error(ErrorKind::Usage, "--routes needs --network");
        TravelJob job{prepare(study, r.from, GeomKind::Point, "from"), prepare(study, r.to, GeomKind::Point, "to"), r.matrix_out, r.nearest_out,
                      study.threads()};
        outcome = travel_stage(job, study);
    } else {
        NetworkTravelJob job;
        job.from = prepare(study, r.from, GeomKind::Point, "from");
        job.to = prepare(study, r.to, GeomKind::Point, "to");
        job.network = network_of(r.network);
        job.max_snap_m = parse_distance(r.max_snap, "--max-snap").meters;
        job.matrix_out = r.matrix_out;
        job.routes_out = r.routes_out;
        job.threads = study.threads();
        outcome = network_travel_stage(job, study);
    }
    Travel t;
    const TravelResult& m = outcome.result;
    t.from_ids = m.from_ids;
    t.to_ids = m.to_ids;
    t.distance_m.assign(m.distance_m.data(), m.distance_m.data() + m.distance_m.size());
    t.duration_s.assign(m.duration_s.data(), m.duration_s.data() + m.duration_s.size());
    t.method = m.method;
    t.unreachable_pairs = m.unreachable_pairs;
    t.summary_json = outcome.summary.dump(2);
    return t;
}

SiteResult Study::site(const SiteRequest& r, std::vector<Layer>* layers) {
    nightout::Study& study = impl_->study;
    SiteJob job;
    job.demand = prepare(study, r.demand, GeomKind::PointOrArea, "demand");
    for (const auto& c : r.candidates) job.candidates.push_back(prepare(study, c, GeomKind::Point, "candidates"));
    for (const auto& c : r.required) job.required.push_back(prepare(study, c, GeomKind::Point, "required"));
    job.population_field = r.population_field;
    job.network = network_of(r.network);
    if (r.out_dir.empty()) throw Error(ErrorKind::Usage, "site: an output folder (out_dir) is required");
    job.out_dir = r.out_dir;
    job.formats = formats_of(r.formats);
    apply_flags(job, options::site_schema(), r.flags);
    job.threads = study.threads();
    std::vector<OutLayer> written;
    SiteResult result = site_stage(job, study, layers ? &written : nullptr).result;
    hand_back(written, layers);
    return result;
}

RouteResult Study::route(const RouteRequest& r, std::vector<Layer>* layers) {
    nightout::Study& study = impl_->study;
    RouteJob job;
    job.events = prepare(study, r.events, GeomKind::Point, "events");
    if (r.officers.features) throw Error(ErrorKind::Usage, "route: officers are read from a table file (CSV)");
    job.officers = spec_of(r.officers);
    job.stations = prepare(study, r.stations, GeomKind::Point, "stations");
    job.network = network_of(r.network);
    if (r.out_dir.empty()) throw Error(ErrorKind::Usage, "route: an output folder (out_dir) is required");
    job.out_dir = r.out_dir;
    apply_flags(job, options::route_schema(), r.flags);
    job.threads = study.threads();
    std::vector<OutLayer> written;
    RouteResult result = route_stage(job, study, layers ? &written : nullptr).result;
    hand_back(written, layers);
    return result;
}

std::pair<std::size_t, std::size_t> Study::open_network(const Network& network) {
    if (network.path.empty()) throw Error(ErrorKind::Usage, "a road network needs a path (a .graph file, an OSM extract or a centerline layer)");
    const nightout::Network& n = impl_->study.network(network_of(network), true);
    return {n.graph.nodes(), n.graph.edges()};
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
