#include "write/qgis_project.hpp"
#include "core/output_paths.hpp"

#include "core/error.hpp"
#include "write/qgis_style.hpp"

#include <cerrno>
#include <ogr_geometry.h>
#include <ogr_spatialref.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>

namespace nightout {

namespace {

// The layer tree's groups, in drawing order (the first at the bottom of the map).
enum class Group { Backdrop, Areas, Gaps, ServiceAreas, Events, Stations, Sites, Routes, Other };
constexpr const char* kGroupNames[] = {"Backdrop", "Areas", "Gaps", "Service areas", "Events", "Stations", "Sites", "Routes", "Other layers"};

Group group_of(LayerKind kind) {
    switch (kind) {
    case LayerKind::Backdrop: return Group::Backdrop;
    case LayerKind::Areas: case LayerKind::Demand: return Group::Areas;
    case LayerKind::Gaps: return Group::Gaps;
    case LayerKind::ServiceAreas: return Group::ServiceAreas;
    case LayerKind::Events: return Group::Events;
    case LayerKind::Stations: return Group::Stations;
    case LayerKind::Sites: case LayerKind::Allocation: return Group::Sites;
    case LayerKind::Routes: case LayerKind::Stops: return Group::Routes;
    case LayerKind::Other: break;
    }
    return Group::Other;
}

OGRSpatialReference crs_of(const std::string& user_input) {
    OGRSpatialReference srs;
    if (srs.SetFromUserInput(user_input.c_str()) != OGRERR_NONE) throw_internal("QGIS project: unknown CRS " + user_input);
    srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    return srs;
}

// A CRS as QGIS writes it: QGIS 3.22 builds it from the WKT when no internal srsid is given.
std::string spatialrefsys(const std::string& user_input, const char* indent) {
    OGRSpatialReference srs = crs_of(user_input);
    char* wkt = nullptr;
    const char* options[] = {"FORMAT=WKT2_2019", nullptr};
    srs.exportToWkt(&wkt, options);
    std::string wkt_text = wkt ? wkt : "";
    CPLFree(wkt);
    const char* auth = srs.GetAuthorityName(nullptr);
    const char* code = srs.GetAuthorityCode(nullptr);
    const std::string authid = auth && code ? std::string(auth) + ":" + code : user_input;
    std::ostringstream x;
    x << indent << "<spatialrefsys nativeFormat=\"Wkt\">\n"
      << indent << "  <wkt>" << xml_escape(wkt_text) << "</wkt>\n"
      << indent << "  <authid>" << xml_escape(authid) << "</authid>\n"
      << indent << "  <description>" << xml_escape(srs.GetName() ? srs.GetName() : authid) << "</description>\n"
      << indent << "  <geographicflag>" << (srs.IsGeographic() ? "true" : "false") << "</geographicflag>\n"
      << indent << "</spatialrefsys>\n";
    return x.str();
}

// The bounding box of the layers' geometries (WGS84 lon/lat).
OGREnvelope envelope_of(const std::vector<const OutLayer*>& layers) {
    OGREnvelope all;
    for (const OutLayer* l : layers) {
        for (const auto& wkb : l->wkb) {
            if (wkb.empty()) continue;
            OGRGeometry* g = nullptr;
            if (OGRGeometryFactory::createFromWkb(wkb.data(), nullptr, &g, wkb.size()) != OGRERR_NONE || !g) continue;
            std::unique_ptr<OGRGeometry> owned(g);
            OGREnvelope e;
            g->getEnvelope(&e);
            all.Merge(e);
        }
    }
    return all;
}

std::string number(double v) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.10g", v);
    return buf;
}

std::string value_text(const Value& v) {
    if (auto* s = std::get_if<std::string>(&v)) return *s;
    if (auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
    if (auto* d = std::get_if<double>(&v)) return number(*d);
    return "";
}

// One entry of the layer tree: a GeoPackage table, or the part of it with one value of a field.
struct Entry {
    const OutLayer* layer;
    std::string id, title, source;
    bool visible;
};

std::vector<Entry> entries_of(const QgisProject& project) {
    std::vector<Entry> out;
    const std::string table_source = "./" + project.gpkg_name + "|layername=";
    for (const ProjectLayer& pl : project.layers) {
        const OutLayer& l = *pl.layer;
        if (l.geom == OutGeom::None) continue;
        const std::string title = l.title.empty() ? l.name : l.title;
        const int field = pl.split.empty() ? -1 : l.find(pl.split);
        const std::string source = table_source + l.name;
        if (field < 0) {
            out.push_back({&l, "", title, source + (pl.filter.empty() ? "" : "|subset=" + pl.filter), pl.visible});
            continue;
        }
        std::vector<std::string> values;
        for (const auto& row : l.rows) {
            std::string v = value_text(row[static_cast<std::size_t>(field)]);
            if (std::find(values.begin(), values.end(), v) == values.end()) values.push_back(v);
        }
        for (std::size_t k = 0; k < values.size(); ++k) {
            std::string quoted;  // an SQL string literal
            for (char c : values[k]) quoted += c == '\'' ? std::string("''") : std::string(1, c);
            const std::string subset = "\"" + pl.split + "\" = '" + quoted + "'" + (pl.filter.empty() ? "" : " AND (" + pl.filter + ")");
            out.push_back({&l, "", title + " " + values[k], source + "|subset=" + subset, pl.visible && k + 1 == values.size()});
        }
    }
    // Ids as QGIS makes them (name_ then a UUID's 32 hex digits, here a hash of the source, so
    // that the file depends only on its inputs): QGIS 3.22 replaces ids of other shapes.
    for (Entry& e : out) {
        std::string id = e.layer->name + "_";
        for (char& c : id)
            if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
        std::uint64_t h[2] = {1469598103934665603ull, 1099511628211ull * 7};  // FNV-1a, two seeds
        for (char c : e.source)
            for (auto& v : h) v = (v ^ static_cast<unsigned char>(c)) * 1099511628211ull;
        char hex[40];
        std::snprintf(hex, sizeof hex, "%016llx%016llx", static_cast<unsigned long long>(h[0]), static_cast<unsigned long long>(h[1]));
        const std::string x = hex;
        e.id = id + x.substr(0, 8) + "_" + x.substr(8, 4) + "_" + x.substr(12, 4) + "_" + x.substr(16, 4) + "_" + x.substr(20, 12);
    }
    return out;
}

const char* geometry_name(OutGeom g) { return g == OutGeom::Point ? "Point" : g == OutGeom::Line ? "Line" : "Polygon"; }
const char* wkb_type_name(OutGeom g) { return g == OutGeom::Point ? "Point" : g == OutGeom::Line ? "MultiLineString" : "MultiPolygon"; }

}  // namespace

std::string qgis_project_xml(const QgisProject& project) {
    const std::vector<Entry> entries = entries_of(project);
    const OGRSpatialReference data_srs = crs_of(project.data_crs);
    const std::string map_crs = !project.map_crs.empty() ? project.map_crs : data_srs.IsGeographic() ? "EPSG:3857" : project.data_crs;

    // The map's extent: the study areas (every layer when there are none), with a 5% margin.
    std::vector<const OutLayer*> areas, all;
    for (const ProjectLayer& pl : project.layers) {
        all.push_back(pl.layer);
        if (pl.layer->kind == LayerKind::Areas) areas.push_back(pl.layer);
    }
    OGREnvelope e = envelope_of(areas.empty() ? all : areas);
    double xmin = e.MinX, ymin = e.MinY, xmax = e.MaxX, ymax = e.MaxY;
    if (e.IsInit()) {
        // The layers' geometries are WGS84 (OutLayer); the writer reprojects them as it writes.
        OGRSpatialReference from = crs_of("EPSG:4326"), to = crs_of(map_crs);
        std::unique_ptr<OGRCoordinateTransformation> ct(OGRCreateCoordinateTransformation(&from, &to));
        if (!ct || !ct->TransformBounds(e.MinX, e.MinY, e.MaxX, e.MaxY, &xmin, &ymin, &xmax, &ymax, 21))
            throw_internal("QGIS project: the study's extent cannot be transformed to " + map_crs);
        const double mx = 0.05 * (xmax - xmin), my = 0.05 * (ymax - ymin);
        xmin -= mx, xmax += mx, ymin -= my, ymax += my;
    }

    std::ostringstream x;
    x << "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
      << "<qgis projectname=\"" << xml_escape(project.title) << "\" version=\"3.22.16-Białowieża\">\n"
      << "  <homePath path=\"\"/>\n"
      << "  <title>" << xml_escape(project.title) << "</title>\n"
      << "  <projectCrs>\n" << spatialrefsys(map_crs, "    ") << "  </projectCrs>\n";

    // Layer tree: the top entry is drawn last, so groups and layers go in reverse drawing order.
    x << "  <layer-tree-group>\n    <customproperties/>\n";
    for (int g = static_cast<int>(Group::Other); g >= 0; --g) {
        std::vector<const Entry*> members;
        for (auto it = entries.rbegin(); it != entries.rend(); ++it)
            if (static_cast<int>(group_of(it->layer->kind)) == g) members.push_back(&*it);
        if (members.empty()) continue;
        const bool any_visible = std::any_of(members.begin(), members.end(), [](const Entry* m) { return m->visible; });
        x << "    <layer-tree-group name=\"" << kGroupNames[g] << "\" checked=\"" << (any_visible ? "Qt::Checked" : "Qt::Unchecked")
          << "\" expanded=\"1\">\n      <customproperties/>\n";
        for (const Entry* m : members)
            x << "      <layer-tree-layer id=\"" << m->id << "\" name=\"" << xml_escape(m->title) << "\" checked=\""
              << (m->visible ? "Qt::Checked" : "Qt::Unchecked") << "\" expanded=\"1\" source=\"" << xml_escape(m->source)
              << "\" providerKey=\"ogr\">\n        <customproperties/>\n      </layer-tree-layer>\n";
        x << "    </layer-tree-group>\n";
    }
    x << "  </layer-tree-group>\n";

    const std::string extent = "<xmin>" + number(xmin) + "</xmin><ymin>" + number(ymin) + "</ymin><xmax>" + number(xmax) + "</xmax><ymax>" + number(ymax) + "</ymax>";
    x << "  <mapcanvas name=\"theMapCanvas\" annotationsVisible=\"1\">\n"
      << "    <units>" << (crs_of(map_crs).IsGeographic() ? "degrees" : "meters") << "</units>\n"
      << "    <extent>" << extent << "</extent>\n    <rotation>0</rotation>\n"
      << "    <destinationsrs>\n" << spatialrefsys(map_crs, "      ") << "    </destinationsrs>\n  </mapcanvas>\n";
    x << "  <ProjectViewSettings UseProjectScales=\"0\" rotation=\"0\">\n    <Scales/>\n"
      << "    <DefaultViewExtent xmin=\"" << number(xmin) << "\" ymin=\"" << number(ymin) << "\" xmax=\"" << number(xmax) << "\" ymax=\"" << number(ymax)
      << "\">\n" << spatialrefsys(map_crs, "      ") << "    </DefaultViewExtent>\n  </ProjectViewSettings>\n";

    x << "  <projectlayers>\n";
    const std::string data_srs_xml = spatialrefsys(project.data_crs, "        ");
    for (const Entry& m : entries) {
        x << "    <maplayer type=\"vector\" geometry=\"" << geometry_name(m.layer->geom) << "\" wkbType=\"" << wkb_type_name(m.layer->geom)
          << "\" styleCategories=\"AllStyleCategories\" labelsEnabled=\"" << (qgis_labels(*m.layer) ? 1 : 0)
          << "\" hasScaleBasedVisibilityFlag=\"0\" autoRefreshEnabled=\"0\" readOnly=\"0\">\n"
          << "      <id>" << m.id << "</id>\n"
          << "      <datasource>" << xml_escape(m.source) << "</datasource>\n"
          << "      <layername>" << xml_escape(m.title) << "</layername>\n"
          << "      <srs>\n" << data_srs_xml << "      </srs>\n"
          << "      <provider encoding=\"UTF-8\">ogr</provider>\n"
          << qgis_symbology(*m.layer)
          << "    </maplayer>\n";
    }
    x << "  </projectlayers>\n";
    // QGIS 3.22 reads <projectCrs> only with ProjectionsEnabled set.
    x << "  <properties>\n    <Paths>\n      <Absolute type=\"bool\">false</Absolute>\n    </Paths>\n"
      << "    <SpatialRefSys>\n      <ProjectionsEnabled type=\"int\">1</ProjectionsEnabled>\n    </SpatialRefSys>\n  </properties>\n</qgis>\n";
    return x.str();
}

void write_qgis_project(const QgisProject& project, const std::filesystem::path& path) {
    const std::string xml = qgis_project_xml(project);
    std::ofstream f(path, std::ios::binary);
    f << xml;
    if (!f.flush()) throw_output(path.string() + ": cannot write" + os_reason(errno));
}

}  // namespace nightout
