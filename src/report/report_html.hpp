// report.html: one self-contained page (Leaflet and the data inlined, no network requests)
// with switchable layers, a coverage legend, popups, headline figures and a sortable table
// of the most underserved areas. Generic over layers: each OutLayer's kind picks its symbol,
// so a new layer (officer routes, stops) is one more entry in `layers`.
#pragma once

#include "report/backdrop.hpp"
#include "write/layer.hpp"
#include "write/qgis_project.hpp"
#include "write/vector_writer.hpp"

#include <nlohmann/json.hpp>
#include <nightout/results.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace nightout {

struct ReportLayer {
    const OutLayer* layer;
    bool visible = true;
    std::string split;  // a field whose values become separate switchable layers ("radius", "break")
    std::vector<std::pair<std::string, std::string>> shares;  // areas: (field, label) the legend can colour by
};

struct ReportTableColumn {
    std::string field, label;
    std::string format;  // "text", "int", "share", "m", "bool" or empty (by value)
};

struct ReportTable {
    std::string layer;  // name of a ReportLayer
    std::string title;
    std::string sort;   // ascending
    std::size_t limit = 25;
    std::vector<ReportTableColumn> columns;
};

struct ReportHeadline {
    std::string label, value, note;
};

struct Report {
    std::string title, subtitle;
    std::vector<ReportHeadline> headline;
    std::vector<ReportLayer> layers;
    std::vector<ReportTable> tables;  // the first is shown
    std::vector<std::string> attribution;  // data credits, e.g. "© OpenStreetMap contributors (ODbL)"
    std::string basemap_url, basemap_attribution;  // optional tile layer: the only network access
    std::string backdrop;  // streets, water and parks as report/backdrop.hpp's JSON; empty: none
    nlohmann::json equity;  // summary.json's "equity" (groups reached): the equity panel; null: none
    nlohmann::json program;  // the year-round program's calendar (program_report): its panel; null: none
};

// scheme://host of a tile URL template ({s} becomes *), for the page's Content-Security-Policy;
// throws a Usage error naming --basemap when `url` is not a tile URL template.
std::string basemap_origin(const std::string& url);

// The study's backdrop: when `network_path` is an OpenStreetMap extract, its streets, water and
// parks around the areas among `layers` (else all of them); else none.
Backdrop study_backdrop(const std::string& network_path, const std::vector<const OutLayer*>& layers);
// Draws it under the report's layers, and credits OpenStreetMap.
void add_backdrop(Report& report, const Backdrop& backdrop);

// The page's text.
std::string render_report(const Report& report);
// Writes the page to `path` (a file in a staging folder; see write/output_dir.hpp).
void write_report(const Report& report, const std::filesystem::path& path);

// The program panel's data: each month's events and the areas they reach (the month slider
// over a map of those areas, drawn from `areas`, the program's areas layer, whose GeoJSON it
// holds) and the calendar table.
nlohmann::json program_report(const api::ProgramResult& program, const OutLayer& areas);

// The report of one coverage run: its layers (as handed back by run_coverage) and summary.
Report coverage_report(const std::vector<const OutLayer*>& layers, const nlohmann::json& summary, const std::string& title);

// nightout.qgs beside nightout.gpkg: every layer of the GeoPackage (`gpkg_layers`), shown or
// hidden and split as in the report (layers it does not show are hidden).
// `crs`: the GeoPackage's (the writer's output CRS).
QgisProject qgis_project_of(const Report& report, const std::vector<const OutLayer*>& gpkg_layers, const OutputCrs& crs = {});

}  // namespace nightout
