// A study opened once: every stage (coverage, travel, site, route) of a command or of a
// plan runs over the same Study, so each input is read once, each road network is opened
// or built once per (source, profile), and every warning is said once.
#pragma once

#include "analyse/study.hpp"
#include "core/log.hpp"
#include "geo/crs.hpp"
#include "network/network.hpp"
#include "read/dataset.hpp"

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

namespace nightout {

class Study {
public:
    // `threads` 0: all cores.
    explicit Study(Log& log, unsigned threads = 0);
    Study(const Study&) = delete;
    Study& operator=(const Study&) = delete;

    Log& log() const { return log_; }
    unsigned threads() const { return threads_; }
    // The GEOS contexts owning every geometry of the study's datasets (one per worker).
    const ContextPool& pool() const { return pool_; }

    // The dataset of `spec`, read on first use. A PointOrArea request is served by a
    // dataset already read as points or areas. Thread-safe.
    const Dataset& dataset(const InputSpec& spec, GeomKind kind, const std::string& role);
    struct Request {
        const InputSpec* spec;
        GeomKind kind;
        std::string role;
    };
    // Several datasets, those not yet read read side by side.
    void read_all(const std::vector<Request>& requests);
    // Serves `dataset` (held in memory, e.g. from memory_dataset()) wherever `spec` is asked
    // for as `kind`; give it a path that names no file, such as "memory:areas".
    void add(const InputSpec& spec, GeomKind kind, Dataset dataset);

    // The road network of `options.path` and profile, opened or built on first use. With
    // `hierarchy`, its contraction hierarchy is built if an earlier stage did not need it.
    const Network& network(const NetworkOptions& options, bool hierarchy);

    // How often inputs were read and networks built: plans promise once each.
    std::size_t datasets_read() const { return datasets_read_; }
    std::size_t networks_built() const { return networks_built_; }
    std::size_t hierarchies_built() const { return hierarchies_built_; }

    // Output paths as the user will find them: a stage writing into a staging folder
    // names its files by their final place (see shown()).
    void map_output(const std::filesystem::path& staging, const std::filesystem::path& destination);
    std::string shown(const std::filesystem::path& path) const;

private:
    using DatasetKey = std::tuple<std::string, std::string, std::string, std::string, std::string, std::string, std::string, std::string, int>;
    using NetworkKey = std::tuple<std::string, std::string, std::string, std::string, double, std::string, std::string, std::string>;
    static DatasetKey key_of(const InputSpec& s, GeomKind kind);
    const Dataset* find(const InputSpec& spec, GeomKind kind) const;  // with mutex_ held

    Log& log_;
    unsigned threads_;
    ContextPool pool_;
    mutable std::mutex mutex_;
    std::map<DatasetKey, std::unique_ptr<Dataset>> datasets_;
    std::map<NetworkKey, std::unique_ptr<Network>> networks_;
    std::size_t datasets_read_ = 0, networks_built_ = 0, hierarchies_built_ = 0;
    std::vector<std::pair<std::string, std::string>> outputs_;  // staging prefix -> destination
};

}  // namespace nightout
