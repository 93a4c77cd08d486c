// QGIS styles for the layers nightout writes: a QML document (what QGIS reads from a
// GeoPackage's `layer_styles` table) and an equivalent SLD 1.1, both chosen by the layer's
// kind. Areas with a value field are coloured in five classes of that share, red -> green,
// with the same colours as the GeoJSON simplestyle fields and report.html.
#pragma once

#include "write/layer.hpp"

#include <string>

namespace nightout {

std::string qgis_qml(const OutLayer& layer);
// The QML's symbology elements (renderer-v2, blend modes, opacity) without the document around
// them: what a <maplayer> of a QGIS project holds (write/qgis_project.hpp).
std::string qgis_symbology(const OutLayer& layer);
// Whether the layer is labelled (the backdrop's street names): its element then needs labelsEnabled="1".
bool qgis_labels(const OutLayer& layer);
std::string qgis_sld(const OutLayer& layer);

// Text safe inside an XML attribute or element: & < > " ' escaped.
std::string xml_escape(const std::string& s);

}  // namespace nightout
