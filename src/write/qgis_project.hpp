// nightout.qgs: a QGIS project (XML, as QGIS 3.22 writes it) beside nightout.gpkg that opens
// every layer of the GeoPackage grouped by what it shows (backdrop, areas, gaps, service areas,
// events, stations, sites, routes; drawn in that order, the last on top), each styled as in the
// GeoPackage's layer_styles, switched on or off as in report.html, the map on the study area.
// Paths are relative, so the folder can be moved or shared whole.
#pragma once

#include "write/layer.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace nightout {

struct ProjectLayer {
    const OutLayer* layer = nullptr;  // as written into the GeoPackage (same name)
    bool visible = true;
    // A field whose values each become a layer of their own (a filter on the GeoPackage table,
    // e.g. one per radius of the gaps), the last one visible, as report.html switches them.
    std::string split;
    // A filter on the table (QGIS's subset string, SQL), e.g. "status" = 'new'; empty: every row.
    std::string filter;
};

struct QgisProject {
    std::string title;
    std::string gpkg_name = "nightout.gpkg";  // beside the project file
    std::string data_crs = "EPSG:4326";       // of the GeoPackage's layers (the writer's output CRS)
    std::string map_crs;                      // of the map; empty: the data's, or Web Mercator (as report.html) for WGS84
    std::vector<ProjectLayer> layers;
};

// The project's XML text.
std::string qgis_project_xml(const QgisProject& project);
// Writes it to `path` (a file in a staging folder; see write/output_dir.hpp).
void write_qgis_project(const QgisProject& project, const std::filesystem::path& path);

}  // namespace nightout
