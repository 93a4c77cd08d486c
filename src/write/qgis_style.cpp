#include "write/qgis_style.hpp"

#include "write/style.hpp"

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <set>
#include <sstream>
#include <vector>

namespace nightout {

namespace {

enum class SymbolType { Fill, Marker, Line };

struct Symbol {
    SymbolType type = SymbolType::Fill;
    std::string colour;        // "#rrggbb"
    double opacity = 1;        // of the fill (or marker, line)
    std::string outline = style::kOutline;
    double width_mm = 0.26;    // outline or line width
    std::string marker = "circle";  // QGIS marker shape: circle, square, star, diamond, triangle
    double size_mm = 2.4;
};

struct StyleClass {
    std::string label;
    std::optional<double> lower, upper;  // a range of the layer's value field; none: every feature
    Symbol symbol;
    std::string category;  // a value of category_field; empty: not by category
    std::string category_field = "class";  // the backdrop's "class", or the officers' "officer_id"
};

// "#rrggbb" and an opacity -> "r,g,b,a" as QGIS writes colours.
std::string qgis_colour(const std::string& hex, double opacity = 1) {
    unsigned long v = std::strtoul(hex.c_str() + (hex.empty() ? 0 : 1), nullptr, 16);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%lu,%lu,%lu,%d", (v >> 16) & 255, (v >> 8) & 255, v & 255, static_cast<int>(opacity * 255 + 0.5));
    return buf;
}

std::string number(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

// The classes of a layer, by kind.
std::vector<StyleClass> classes_of(const OutLayer& layer) {
    Symbol s;
    switch (layer.geom) {
    case OutGeom::Point: s.type = SymbolType::Marker; break;
    case OutGeom::Line: s.type = SymbolType::Line; break;
    default: s.type = SymbolType::Fill;
    }
    const std::string title = layer.title.empty() ? layer.name : layer.title;
    if (layer.kind == LayerKind::Backdrop) {
        // The backdrop's classes (report/backdrop.hpp): streets thinner and paler as they get
        // smaller, rivers blue; water and parks filled without outline.
        struct Category {
            const char* key;
            const char* label;
            const char* colour;
            double width_mm;
        };
        static const Category kLines[] = {{"motorway", "motorways", "#6e6e6e", 0.9}, {"trunk", "trunks", "#767676", 0.8},
                                          {"primary", "primary roads", "#7e7e7e", 0.7}, {"secondary", "secondary roads", "#878787", 0.6},
                                          {"tertiary", "tertiary roads", "#909090", 0.5}, {"minor", "residential streets", "#9c9c9c", 0.35},
                                          {"service", "service roads", "#aaaaaa", 0.25}, {"path", "paths", "#b4b4b4", 0.18},
                                          {"water_line", "rivers and streams", "#7fb2d0", 0.35}};
        static const Category kAreas[] = {{"water", "water", "#c6e2ee", 0.1}, {"park", "parks", "#dcedd3", 0.1}};
        std::vector<StyleClass> out;
        for (const Category& c : layer.geom == OutGeom::Line ? std::vector<Category>(std::begin(kLines), std::end(kLines))
                                                              : std::vector<Category>(std::begin(kAreas), std::end(kAreas))) {
            Symbol k = s;
            k.colour = k.outline = c.colour;
            k.width_mm = c.width_mm;
            out.push_back({c.label, std::nullopt, std::nullopt, k, c.key});
        }
        return out;
    }
    if ((layer.kind == LayerKind::Areas || layer.kind == LayerKind::Demand) && !layer.value_field.empty() && layer.geom == OutGeom::Polygon) {
        std::vector<StyleClass> out;
        for (int k = 0; k < 5; ++k) {
            Symbol c = s;
            c.colour = style::coverage_colour((k + 0.5) / 5);
            c.opacity = 0.75;
            c.width_mm = 0.2;
            out.push_back({std::to_string(20 * k) + "–" + std::to_string(20 * (k + 1)) + "% covered", k * 0.2, k == 4 ? 1.000001 : (k + 1) * 0.2, c, ""});
        }
        return out;
    }
    switch (layer.kind) {
    case LayerKind::Areas:
    case LayerKind::Demand: s.colour = "#dddddd"; s.opacity = 0.5; s.width_mm = 0.2; break;
    case LayerKind::Gaps: s.colour = style::kGapFill; s.opacity = 0.45; s.outline = style::kGapFill; s.width_mm = 0.1; break;
    case LayerKind::ServiceAreas: s.colour = "#3182bd"; s.opacity = 0.25; s.outline = "#3182bd"; s.width_mm = 0.2; break;
    case LayerKind::Events: s.colour = style::kEventColour; s.outline = "#ffffff"; s.width_mm = 0.2; s.size_mm = 2.2; break;
    case LayerKind::Stations: s.colour = style::kStationColour; s.outline = "#ffffff"; s.width_mm = 0.3; s.marker = "square"; s.size_mm = 3.4; break;
    case LayerKind::Sites: s.colour = "#1a9850"; s.outline = "#ffffff"; s.width_mm = 0.3; s.marker = "star"; s.size_mm = 4.6; break;
    case LayerKind::Stops: s.colour = "#6a3d9a"; s.outline = "#ffffff"; s.width_mm = 0.2; s.size_mm = 2.4; break;
    case LayerKind::Allocation: s.colour = "#4d4d4d"; s.opacity = 0.6; s.width_mm = 0.2; break;
    case LayerKind::Routes: s.colour = "#e7298a"; s.width_mm = 0.7; break;
    case LayerKind::Backdrop: break;  // by category, above
    case LayerKind::Other: s.colour = "#7f7f7f"; s.opacity = 0.6; break;
    }
    // Officers' routes and stops: one category per officer, in the colour the report draws it with.
    if (layer.kind == LayerKind::Routes || layer.kind == LayerKind::Stops) {
        const int f_officer = layer.find("officer_id");
        const int f_colour = layer.find(layer.kind == LayerKind::Routes ? "stroke" : "marker-color");
        std::vector<StyleClass> out;
        std::set<std::string> seen;
        for (std::size_t i = 0; f_officer >= 0 && f_colour >= 0 && i < layer.rows.size(); ++i) {
            const auto* officer = std::get_if<std::string>(&layer.rows[i][static_cast<std::size_t>(f_officer)]);
            const auto* colour = std::get_if<std::string>(&layer.rows[i][static_cast<std::size_t>(f_colour)]);
            if (!officer || !colour || !seen.insert(*officer).second) continue;
            Symbol k = s;
            k.colour = *colour;
            out.push_back({*officer, std::nullopt, std::nullopt, k, *officer, "officer_id"});
        }
        if (!out.empty()) return out;
    }
    return {{title, std::nullopt, std::nullopt, s, ""}};
}

void qml_symbol(std::ostringstream& x, const Symbol& s, int index) {
    const char* type = s.type == SymbolType::Fill ? "fill" : s.type == SymbolType::Marker ? "marker" : "line";
    x << "      <symbol type=\"" << type << "\" name=\"" << index << "\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">\n";
    auto prop = [&](const char* k, const std::string& v) { x << "          <prop k=\"" << k << "\" v=\"" << xml_escape(v) << "\"/>\n"; };
    if (s.type == SymbolType::Fill) {
        x << "        <layer class=\"SimpleFill\" enabled=\"1\" locked=\"0\" pass=\"0\">\n";
        prop("color", qgis_colour(s.colour, s.opacity));
        prop("style", "solid");
        prop("outline_color", qgis_colour(s.outline));
        prop("outline_style", "solid");
        prop("outline_width", number(s.width_mm));
        prop("outline_width_unit", "MM");
        prop("joinstyle", "bevel");
    } else if (s.type == SymbolType::Marker) {
        x << "        <layer class=\"SimpleMarker\" enabled=\"1\" locked=\"0\" pass=\"0\">\n";
        prop("name", s.marker);
        prop("color", qgis_colour(s.colour, s.opacity));
        prop("outline_color", qgis_colour(s.outline));
        prop("outline_style", "solid");
        prop("outline_width", number(s.width_mm));
        prop("outline_width_unit", "MM");
        prop("size", number(s.size_mm));
        prop("size_unit", "MM");
        prop("scale_method", "diameter");
    } else {
        x << "        <layer class=\"SimpleLine\" enabled=\"1\" locked=\"0\" pass=\"0\">\n";
        prop("line_color", qgis_colour(s.colour, s.opacity));
        prop("line_style", "solid");
        prop("line_width", number(s.width_mm));
        prop("line_width_unit", "MM");
        prop("capstyle", "round");
        prop("joinstyle", "round");
    }
    x << "        </layer>\n      </symbol>\n";
}

std::string hex_opacity(double v) { return number(v); }

void sld_symbolizer(std::ostringstream& x, const Symbol& s) {
    auto param = [&](const char* name, const std::string& v) { x << "              <se:SvgParameter name=\"" << name << "\">" << xml_escape(v) << "</se:SvgParameter>\n"; };
    if (s.type == SymbolType::Fill) {
        x << "          <se:PolygonSymbolizer>\n            <se:Fill>\n";
        param("fill", s.colour);
        param("fill-opacity", hex_opacity(s.opacity));
        x << "            </se:Fill>\n            <se:Stroke>\n";
        param("stroke", s.outline);
        param("stroke-width", number(s.width_mm * 3.78));  // mm -> px at 96 dpi
        x << "            </se:Stroke>\n          </se:PolygonSymbolizer>\n";
    } else if (s.type == SymbolType::Marker) {
        x << "          <se:PointSymbolizer>\n            <se:Graphic>\n              <se:Mark>\n                <se:WellKnownName>"
          << (s.marker == "circle" ? "circle" : s.marker == "star" ? "star" : "square") << "</se:WellKnownName>\n                <se:Fill>\n";
        param("fill", s.colour);
        x << "                </se:Fill>\n                <se:Stroke>\n";
        param("stroke", s.outline);
        param("stroke-width", number(s.width_mm * 3.78));
        x << "                </se:Stroke>\n              </se:Mark>\n              <se:Size>" << number(s.size_mm * 3.78)
          << "</se:Size>\n            </se:Graphic>\n          </se:PointSymbolizer>\n";
    } else {
        x << "          <se:LineSymbolizer>\n            <se:Stroke>\n";
        param("stroke", s.colour);
        param("stroke-opacity", hex_opacity(s.opacity));
        param("stroke-width", number(s.width_mm * 3.78));
        x << "            </se:Stroke>\n          </se:LineSymbolizer>\n";
    }
}

}  // namespace

std::string xml_escape(const std::string& s) {
    std::string out;
    for (char c : s) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&apos;"; break;
        default: out += c;
        }
    }
    return out;
}

bool qgis_labels(const OutLayer& layer) { return layer.kind == LayerKind::Backdrop && layer.geom == OutGeom::Line && layer.find("name") >= 0; }

std::string qgis_qml(const OutLayer& layer) {
    return "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n<qgis version=\"3.22.16-Białowieża\" styleCategories=\"Symbology|Labeling\" labelsEnabled=\"" +
           std::string(qgis_labels(layer) ? "1" : "0") + "\">\n" +
           qgis_symbology(layer) + "</qgis>\n";
}

std::string qgis_symbology(const OutLayer& layer) {
    const auto classes = classes_of(layer);
    std::ostringstream x;
    const bool graduated = classes.front().lower.has_value();
    if (graduated) {
        x << "  <renderer-v2 type=\"graduatedSymbol\" attr=\"" << xml_escape(layer.value_field)
          << "\" graduatedMethod=\"GraduatedColor\" symbollevels=\"0\" enableorderby=\"0\" forceraster=\"0\">\n    <ranges>\n";
        for (std::size_t k = 0; k < classes.size(); ++k)
            x << "      <range lower=\"" << number(*classes[k].lower) << "\" upper=\"" << number(*classes[k].upper) << "\" symbol=\"" << k
              << "\" label=\"" << xml_escape(classes[k].label) << "\" render=\"true\"/>\n";
        x << "    </ranges>\n    <symbols>\n";
        for (std::size_t k = 0; k < classes.size(); ++k) qml_symbol(x, classes[k].symbol, static_cast<int>(k));
        x << "    </symbols>\n    <classificationMethod id=\"EqualInterval\"/>\n  </renderer-v2>\n";
    } else if (!classes.front().category.empty()) {
        x << "  <renderer-v2 type=\"categorizedSymbol\" attr=\"" << xml_escape(classes.front().category_field) << "\" symbollevels=\"0\" enableorderby=\"0\" forceraster=\"0\">\n    <categories>\n";
        for (std::size_t k = 0; k < classes.size(); ++k)
            x << "      <category value=\"" << xml_escape(classes[k].category) << "\" symbol=\"" << k << "\" label=\"" << xml_escape(classes[k].label)
              << "\" render=\"true\"/>\n";
        x << "    </categories>\n    <symbols>\n";
        for (std::size_t k = 0; k < classes.size(); ++k) qml_symbol(x, classes[k].symbol, static_cast<int>(k));
        x << "    </symbols>\n  </renderer-v2>\n";
    } else {
        x << "  <renderer-v2 type=\"singleSymbol\" symbollevels=\"0\" enableorderby=\"0\" forceraster=\"0\">\n    <symbols>\n";
        qml_symbol(x, classes.front().symbol, 0);
        x << "    </symbols>\n  </renderer-v2>\n";
    }
    if (qgis_labels(layer)) {
        // Street names along the streets from about 1:10,000 (the report shows them from zoom 16);
        // scaleMax is QGIS 3.22's name for the smallest scale (its minimumScale).
        x << "  <labeling type=\"simple\">\n    <settings calloutType=\"simple\">\n"
          << "      <text-style fieldName=\"name\" isExpression=\"0\" fontFamily=\"DejaVu Sans\" fontSize=\"7.5\" fontSizeUnit=\"Point\" "
             "textColor=\"85,85,85,255\" textOpacity=\"1\">\n"
          << "        <text-buffer bufferDraw=\"1\" bufferSize=\"0.7\" bufferSizeUnits=\"MM\" bufferColor=\"255,255,255,230\" bufferOpacity=\"1\"/>\n"
          << "      </text-style>\n"
          << "      <placement placement=\"3\" placementFlags=\"10\" dist=\"0\" repeatDistance=\"0\"/>\n"
          << "      <rendering drawLabels=\"1\" scaleVisibility=\"1\" scaleMax=\"10000\" scaleMin=\"0\" obstacle=\"1\" labelPerPart=\"0\" mergeLines=\"1\"/>\n"
          << "    </settings>\n  </labeling>\n";
    }
    x << "  <blendMode>0</blendMode>\n  <featureBlendMode>0</featureBlendMode>\n  <layerOpacity>1</layerOpacity>\n";
    return x.str();
}

std::string qgis_sld(const OutLayer& layer) {
    const auto classes = classes_of(layer);
    std::ostringstream x;
    x << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      << "<StyledLayerDescriptor xmlns=\"http://www.opengis.net/sld\" xmlns:ogc=\"http://www.opengis.net/ogc\" "
         "xmlns:se=\"http://www.opengis.net/se\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" version=\"1.1.0\" "
         "xsi:schemaLocation=\"http://www.opengis.net/sld http://schemas.opengis.net/sld/1.1.0/StyledLayerDescriptor.xsd\">\n"
      << "  <NamedLayer>\n    <se:Name>" << xml_escape(layer.name) << "</se:Name>\n    <UserStyle>\n      <se:Name>"
      << xml_escape(layer.name) << "</se:Name>\n      <se:FeatureTypeStyle>\n";
    for (const auto& c : classes) {
        x << "        <se:Rule>\n          <se:Name>" << xml_escape(c.label) << "</se:Name>\n";
        if (c.lower) {
            x << "          <ogc:Filter>\n            <ogc:And>\n"
              << "              <ogc:PropertyIsGreaterThanOrEqualTo><ogc:PropertyName>" << xml_escape(layer.value_field)
              << "</ogc:PropertyName><ogc:Literal>" << number(*c.lower) << "</ogc:Literal></ogc:PropertyIsGreaterThanOrEqualTo>\n"
              << "              <ogc:PropertyIsLessThan><ogc:PropertyName>" << xml_escape(layer.value_field) << "</ogc:PropertyName><ogc:Literal>"
              << number(*c.upper) << "</ogc:Literal></ogc:PropertyIsLessThan>\n            </ogc:And>\n          </ogc:Filter>\n";
        }
        if (!c.category.empty())
            x << "          <ogc:Filter>\n            <ogc:PropertyIsEqualTo><ogc:PropertyName>" << xml_escape(c.category_field) << "</ogc:PropertyName><ogc:Literal>" << xml_escape(c.category)
              << "</ogc:Literal></ogc:PropertyIsEqualTo>\n          </ogc:Filter>\n";
        sld_symbolizer(x, c.symbol);
        x << "        </se:Rule>\n";
    }
    x << "      </se:FeatureTypeStyle>\n    </UserStyle>\n  </NamedLayer>\n</StyledLayerDescriptor>\n";
    return x.str();
}

}  // namespace nightout
