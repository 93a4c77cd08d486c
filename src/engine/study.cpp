#include "engine/study.hpp"

#include "core/parallel.hpp"
#include "network/profile.hpp"

#include <exception>

namespace fs = std::filesystem;

namespace nightout {

namespace {

std::string normal_path(const std::string& p) {
    if (p.empty()) return p;
    std::error_code ec;
    fs::path abs = fs::absolute(p, ec);
    return (ec ? fs::path(p) : abs).lexically_normal().string();
}

}  // namespace

Study::Study(Log& log, unsigned threads) : log_(log), threads_(threads ? threads : default_threads()), pool_(threads_) {}

Study::DatasetKey Study::key_of(const InputSpec& s, GeomKind kind) {
    return {normal_path(s.path), s.layer, s.id_field, s.name_field, s.lat_field, s.lon_field, s.wkt_field, s.crs, static_cast<int>(kind)};
}

const Dataset* Study::find(const InputSpec& spec, GeomKind kind) const {
    auto it = datasets_.find(key_of(spec, kind));
    if (it != datasets_.end()) return it->second.get();
    if (kind == GeomKind::PointOrArea)
        for (GeomKind k : {GeomKind::Area, GeomKind::Point})
            if (auto found = datasets_.find(key_of(spec, k)); found != datasets_.end()) return found->second.get();
    return nullptr;
}

const Dataset& Study::dataset(const InputSpec& spec, GeomKind kind, const std::string& role) {
    read_all({{&spec, kind, role}});
    std::lock_guard lock(mutex_);
    return *find(spec, kind);
}

void Study::read_all(const std::vector<Request>& requests) {
    std::vector<const Request*> missing;
    {
        std::lock_guard lock(mutex_);
        for (const Request& r : requests) {
            if (find(*r.spec, r.kind)) continue;
            bool twice = false;
            for (const Request* m : missing) twice = twice || key_of(*m->spec, m->kind) == key_of(*r.spec, r.kind);
            if (!twice) missing.push_back(&r);
        }
    }
    if (missing.empty()) return;
    // Each reader thread uses its own GEOS context (owned by the pool, so the geometries
    // outlive the read) and its own PROJ context.
    std::vector<std::unique_ptr<Dataset>> read(missing.size());
    std::vector<std::exception_ptr> failed(missing.size());
    parallel_for(missing.size(), std::min<unsigned>(pool_.size(), static_cast<unsigned>(missing.size())), [&](unsigned thread) {
        return [&, thread](std::size_t i) {
            try {
                ProjContext pctx;
                const Request& r = *missing[i];
                read[i] = std::make_unique<Dataset>(read_dataset(pool_[thread], pctx, *r.spec, r.kind, r.role, log_));
            } catch (...) {
                failed[i] = std::current_exception();
            }
        };
    });
    // The first bad input in the order asked for, whichever thread failed first.
    for (const auto& e : failed)
        if (e) std::rethrow_exception(e);
    std::lock_guard lock(mutex_);
    for (std::size_t i = 0; i < missing.size(); ++i) {
        datasets_[key_of(*missing[i]->spec, missing[i]->kind)] = std::move(read[i]);
        ++datasets_read_;
    }
}

void Study::add(const InputSpec& spec, GeomKind kind, Dataset dataset) {
    std::lock_guard lock(mutex_);
    datasets_[key_of(spec, kind)] = std::make_unique<Dataset>(std::move(dataset));
}

const Network& Study::network(const NetworkOptions& options, bool hierarchy) {
    std::lock_guard lock(mutex_);
    // A profile named by its file is keyed by its absolute path, a built-in one by its name.
    const bool builtin = options.profile == "walk" || options.profile == "bike" || options.profile == "drive";
    const NetworkKey key{normal_path(options.path), builtin ? options.profile : normal_path(options.profile), options.layer, options.crs,
                         options.snap_tolerance_m, options.oneway_field, options.speed_field, options.class_field};
    auto it = networks_.find(key);
    if (it == networks_.end()) {
        NetworkOptions o = options;
        o.build_hierarchy = hierarchy;
        o.threads = threads_;
        auto net = std::make_unique<Network>(open_network(o, log_));
        ++networks_built_;
        if (!net->ch.empty()) ++hierarchies_built_;
        it = networks_.emplace(key, std::move(net)).first;
    } else if (hierarchy && it->second->ch.empty()) {
        it->second->ch = build_ch(it->second->graph, it->second->graph.duration_s, log_, threads_);
        ++hierarchies_built_;
    }
    return *it->second;
}

void Study::map_output(const fs::path& staging, const fs::path& destination) {
    auto text = [](const fs::path& p) {
        std::string t = p.lexically_normal().string();
        while (t.size() > 1 && t.back() == '/') t.pop_back();
        return t;
    };
    std::lock_guard lock(mutex_);
    outputs_.emplace_back(text(staging), text(destination));
}

std::string Study::shown(const fs::path& path) const {
    std::string p = path.lexically_normal().string();
    std::lock_guard lock(mutex_);
    for (const auto& [staging, destination] : outputs_)
        if (p.compare(0, staging.size(), staging) == 0 && (p.size() == staging.size() || p[staging.size()] == '/'))
            return destination + p.substr(staging.size());
    return p;
}

}  // namespace nightout
