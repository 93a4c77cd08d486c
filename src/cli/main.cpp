// The `nightout` command: parses arguments, calls the library, and turns every
// error into one line on stderr with a documented exit code (docs/errors.md).
#include "core/error.hpp"
#include "core/log.hpp"
#include "core/units.hpp"
#include "jobs/coverage_job.hpp"

#include <CLI/CLI.hpp>
#include <gdal.h>

#include <cstdio>
#include <iostream>

using namespace nightout;

namespace {

constexpr const char* kVersion = "0.1.0";

// --ROLE FILE, --ROLE-layer, --ROLE-id, --ROLE-name for one input.
void add_input(CLI::App* cmd, InputSpec& spec, const std::string& role, const std::string& help, bool required) {
    auto* opt = cmd->add_option("--" + role, spec.path, help);
    if (required) opt->required();
    cmd->add_option("--" + role + "-layer", spec.layer, "layer of the " + role + " file (GeoPackage, multi-layer files)");
    cmd->add_option("--" + role + "-id", spec.id_field, "id field of the " + role + " (default: detected, e.g. id)");
    cmd->add_option("--" + role + "-name", spec.name_field, "name field of the " + role + " (default: detected, e.g. name)");
}

struct CsvFlags {
    std::string lat, lon, wkt, crs;
    void add(CLI::App* cmd) {
        cmd->add_option("--lat-field", lat, "CSV latitude column (default: lat, latitude, y, ...)");
        cmd->add_option("--lon-field", lon, "CSV longitude column (default: lon, lng, long, longitude, x, ...)");
        cmd->add_option("--wkt-field", wkt, "CSV column holding WKT geometry (default: wkt, geometry, ...)");
        cmd->add_option("--crs", crs, "CRS of inputs that carry none, e.g. EPSG:2264 (default: WGS84 when coordinates fit)");
    }
    void apply(InputSpec& s) const {
        s.lat_field = lat;
        s.lon_field = lon;
        s.wkt_field = wkt;
        s.crs = crs;
    }
};

void print_coverage_summary(const nlohmann::json& s) {
    const auto& t = s["totals"];
    std::printf("%zu areas, %zu events", t["areas"].get<std::size_t>(), t["events"].get<std::size_t>());
    if (t.contains("population")) std::printf(", %.0f residents", t["population"].get<double>());
    std::printf("\n");
    for (const auto& r : t["per_radius"]) {
        std::printf("  within %-8s %5.1f%% of the area", r["radius"].get<std::string>().c_str(), 100 * r["covered_share"].get<double>());
        if (r.contains("population_share"))
            std::printf(", %5.1f%% of residents (%.0f not reached)", 100 * r["population_share"].get<double>(),
                        r["population_uncovered"].get<double>());
        std::printf("; %d underserved areas\n", r["underserved_areas"].get<int>());
    }
    if (t.contains("event_to_nearest_station_mean_m"))
        std::printf("  event to nearest station: mean %.0f m, max %.0f m (straight line)\n",
                    t["event_to_nearest_station_mean_m"].get<double>(), t["event_to_nearest_station_max_m"].get<double>());
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"nightout: coverage gaps, officer travel and maps for police-community events"};
    app.require_subcommand(1);
    app.fallthrough();  // -q and --threads may also follow the command
    app.set_version_flag("--version", kVersion);
    bool quiet = false;
    unsigned threads = 0;
    app.add_flag("-q,--quiet", quiet, "no progress or warnings on stderr");
    app.add_option("--threads", threads, "worker threads (default: all cores)");

    // coverage
    CoverageJob cj;
    CsvFlags cov_csv;
    std::string radius_text, formats_text = "geojson";
    auto* cov = app.add_subcommand("coverage", "which parts of each neighborhood are within reach of an event");
    add_input(cov, cj.areas, "areas", "neighborhood polygons", true);
    add_input(cov, cj.events, "events", "event points", true);
    add_input(cov, cj.stations, "stations", "police station points (optional)", false);
    cov->add_option("--population", cj.population.path, "a finer population layer (polygons or points) to interpolate from");
    cov->add_option("--population-layer", cj.population.layer, "layer of the population file");
    cov->add_option("--population-field", cj.population_field, "population count field (of --population, or of the areas)");
    cov->add_option("--radius", radius_text, "reach, with unit; several give one result each: 400m,800m,1600m")->required();
    cov->add_option("--min-coverage", cj.options.min_coverage, "an area is underserved below this covered share (default 0.5)");
    cov->add_option("--out", cj.out_dir, "output folder")->required();
    cov->add_option("--format", formats_text, "map format(s): geojson, gpkg, fgb, shp, kml (comma-separated; default geojson)");
    cov_csv.add(cov);

    // travel
    TravelJob tj;
    CsvFlags tr_csv;
    auto* tr = app.add_subcommand("travel", "straight-line (geodesic) distance matrix between two point sets");
    add_input(tr, tj.from, "from", "origin points (e.g. stations)", true);
    add_input(tr, tj.to, "to", "destination points (e.g. events)", true);
    tr->add_option("--out", tj.matrix_out, "matrix CSV: from_id,to_id,distance_m")->required();
    tr->add_option("--nearest", tj.nearest_out, "optional CSV: each destination's nearest origin");
    tr_csv.add(tr);

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        std::fprintf(stderr, "nightout: error: %s (see nightout --help)\n", e.what());
        return static_cast<int>(ErrorKind::Usage);
    }

    Log log(quiet);
    try {
        if (cov->parsed()) {
            cj.options.radii = parse_distance_list(radius_text, "--radius");
            cj.formats.clear();
            for (const auto& f : split_trimmed(formats_text, ',')) cj.formats.push_back(parse_format(f));
            for (InputSpec* s : {&cj.areas, &cj.events, &cj.stations, &cj.population}) cov_csv.apply(*s);
            cj.threads = threads;
            print_coverage_summary(run_coverage(cj, log));
        } else if (tr->parsed()) {
            tr_csv.apply(tj.from);
            tr_csv.apply(tj.to);
            tj.threads = threads;
            run_travel(tj, log);
        }
    } catch (const Error& e) {
        std::fprintf(stderr, "nightout: error: %s\n", e.what());
        return e.exit_code();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "nightout: internal error: %s\n", e.what());
        return static_cast<int>(ErrorKind::Internal);
    }
    return 0;
}
