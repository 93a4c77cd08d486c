// nightout as a library: the stages of a study (coverage now; travel, site suggestions and
// officer visits next) over inputs read once, with typed results. The `nightout` command and
// plan files run through the same engine.
//
//   nightout::api::Study study;                          // all cores, quiet
//   nightout::api::CoverageRequest request;
//   request.areas.path = "neighborhoods.geojson";
//   request.events.path = "events.csv";
//   request.population_field = "p1";
//   request.radius = {"400m", "800m"};
//   request.out_dir = "out/coverage";
//   nightout::api::CoverageResult r = study.coverage(request);
//   r.totals.breaks[1].population_share;                  // 0.268...
//
// Every failure is a nightout::Error (error.hpp) whose kind is the command line's exit code.
#pragma once

#include <nightout/error.hpp>
#include <nightout/log.hpp>
#include <nightout/results.hpp>
#include <nightout/version.hpp>

#include <memory>
#include <string>
#include <vector>

namespace nightout::api {

// An input layer: any file GDAL reads, or a CSV with lat/lon columns or a WKT column.
// Empty fields are detected (id, name, lat, lon, wkt) or taken from the file (crs).
struct Input {
    std::string path, layer, id_field, name_field, lat_field, lon_field, wkt_field, crs;
};

// A road network: an OpenStreetMap extract, a street-centerline layer or a .graph file.
struct Network {
    std::string path;               // empty: straight lines
    std::string profile = "drive";  // walk, bike, drive or a profile file
};

struct CoverageRequest {
    Input areas, events, stations, population;  // stations and population optional
    std::string population_field;               // of the population layer, or of the areas
    std::vector<std::string> radius;            // "400m", "0.5mi", ...: straight or along streets
    std::vector<double> minutes;                // travel-time breaks instead (needs a network)
    Network network;
    double min_coverage = 0.5;                  // an area is underserved below this covered share
    std::string out_dir;                        // required: written all or nothing
    std::vector<std::string> formats{"geojson"};  // geojson, gpkg, fgb, shp, kml
    bool report = false;                        // also report.html
};

struct Options {
    unsigned threads = 0;     // 0: all cores
    LogSink* log = nullptr;   // progress and warnings; none: silent
};

// A study: every request made of it shares the inputs it has read and the road networks it
// has built (once per source and profile).
class Study {
public:
    explicit Study(Options options = {});
    ~Study();
    Study(const Study&) = delete;
    Study& operator=(const Study&) = delete;

    CoverageResult coverage(const CoverageRequest& request);

    std::size_t inputs_read() const;
    std::size_t networks_built() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Runs a plan file (TOML) into `out_dir` (empty: out/NAME as the command line does).
PlanResult run_plan(const std::string& plan_file, const std::string& out_dir = "", Options options = {});

// The library's version, from project() (equal to NIGHTOUT_VERSION of the headers it was built with).
std::string version();

}  // namespace nightout::api
