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

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace nightout::api {

// Features a caller holds in memory (a GeoDataFrame's rows): one WKB geometry per row in
// `crs` (anything PROJ accepts; empty: WGS84 lon/lat) and attribute columns aligned with it.
struct Column {
    std::string name;
    bool numeric = false;
    std::vector<double> numbers;     // numeric columns; NaN: no value
    std::vector<std::string> texts;  // text columns
    std::vector<bool> null;          // text columns: no value (empty: none null)
};
struct Features {
    std::string crs;
    std::vector<std::string> wkb;
    std::vector<Column> columns;
};

// An input layer: any file GDAL reads, or a CSV with lat/lon columns or a WKT column, or
// features in memory (then `path` only names them in messages, e.g. "areas (GeoDataFrame)").
// Empty fields are detected (id, name, lat, lon, wkt) or taken from the file (crs).
struct Input {
    std::string path, layer, id_field, name_field, lat_field, lon_field, wkt_field, crs;
    std::shared_ptr<const Features> features;
};

// Options by their command-line flag and text ({"--min-coverage", "0.5"}), checked by the
// command line's own rules, so that a bad value gets the command line's message.
using Flags = std::vector<std::pair<std::string, std::string>>;

// A map layer as the stage wrote it: WKB geometries in WGS84 lon/lat (none for a table).
using Cell = std::variant<std::monostate, std::int64_t, double, std::string>;
struct Layer {
    std::string name;
    std::vector<std::string> fields;
    std::vector<bool> boolean;  // per field: integers 0/1 that the files write as false/true
    std::vector<std::string> wkb;
    std::vector<std::vector<Cell>> rows;
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
    Flags flags;                                // any other option of `nightout coverage`
    // lon/lat extent (xmin, ymin, xmax, ymax) the local projection is chosen from; empty: the
    // inputs'. A partition of a larger study gives the study's, so that it measures alike.
    std::vector<double> projection_extent;
};

// `nightout travel`: a distance (and along streets, time) table between two point sets.
struct TravelRequest {
    Input from, to;
    Network network;       // empty path: geodesic distances
    std::string max_snap = "300m";
    std::string matrix_out;  // required: the matrix CSV
    std::string nearest_out, routes_out;  // optional
};
struct Travel {
    std::vector<std::string> from_ids, to_ids;
    std::vector<double> distance_m;  // row-major, from x to; NaN: no route
    std::vector<double> duration_s;  // along streets only
    std::string method;
    std::size_t unreachable_pairs = 0;
    std::string summary_json;
};

// `nightout site`.
struct SiteRequest {
    Input demand;
    std::vector<Input> candidates, required;
    std::string population_field;
    Network network;
    std::string out_dir;  // required
    std::vector<std::string> formats{"geojson"};
    Flags flags;  // --model, -k/--sites, --radius, ... as on the command line
};

// `nightout route`: officers are a table file (CSV) or points.
struct RouteRequest {
    Input events, officers, stations;
    Network network;
    std::string out_dir;  // required
    Flags flags;  // --window, --duration, --iterations, ...
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

    // With `layers`, the map layers written are also handed back.
    CoverageResult coverage(const CoverageRequest& request, std::vector<Layer>* layers = nullptr);
    Travel travel(const TravelRequest& request);
    SiteResult site(const SiteRequest& request, std::vector<Layer>* layers = nullptr);
    RouteResult route(const RouteRequest& request, std::vector<Layer>* layers = nullptr);
    // Opens (or builds) a road network now, so that later requests naming it find it ready;
    // returns its node and edge counts.
    std::pair<std::size_t, std::size_t> open_network(const Network& network);

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
