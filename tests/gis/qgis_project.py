#!/usr/bin/python3
"""Opens nightout.qgs with QGIS itself (Debian's python3-qgis) from a copy of its folder, so the
relative paths are what is tested, checks that every layer of the GeoPackage is there, valid and
styled, in the expected groups and order, and renders the project's default view to a PNG with
QgsMapRendererParallelJob; the pixels must show the styled layers: the coverage classes' colours
where only the areas are drawn, the point layers' colours in the whole map.

    QT_QPA_PLATFORM=offscreen /usr/bin/python3 tests/gis/qgis_project.py out/charlotte/nightout.qgs map.png

Exits 77 (skipped) when QGIS is not installed.
"""
import os
import shutil
import sys
import tempfile
import xml.etree.ElementTree as ET

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
try:
    import numpy as np
    from qgis.core import (QgsApplication, QgsCoordinateTransform, QgsMapRendererParallelJob, QgsMapSettings, QgsProject,
                           QgsProviderRegistry)
    from qgis.PyQt.QtCore import QSize
    from qgis.PyQt.QtGui import QColor, QImage
except ImportError:
    print("QGIS (python3-qgis) is not installed: skipped")
    sys.exit(77)

GROUPS = ["Routes", "Sites", "Stations", "Events", "Service areas", "Gaps", "Areas", "Backdrop", "Other layers"]  # top first
source_qgs, png_path = sys.argv[1], sys.argv[2]
failures = []
fail = failures.append

# A copy of the folder: the project must find its GeoPackage by relative path.
work = tempfile.mkdtemp(prefix="nightout-qgs-")
gpkg_name = "nightout.gpkg"
shutil.copy(source_qgs, work)
shutil.copy(os.path.join(os.path.dirname(source_qgs), gpkg_name), work)
qgs = os.path.join(work, os.path.basename(source_qgs))

app = QgsApplication([], False)
app.initQgis()
gpkg_tables = [s.name() for s in QgsProviderRegistry.instance().providerMetadata("ogr").querySublayers(os.path.join(work, gpkg_name))]
gpkg_tables = [t for t in gpkg_tables if t != "layer_styles"]

project = QgsProject.instance()
if not project.read(qgs):
    print("FAIL: QgsProject.read: " + project.error())
    os._exit(1)
layers = list(project.mapLayers().values())
print(f"{len(layers)} layers; GeoPackage tables: {', '.join(gpkg_tables)}")
for layer in layers:
    if not layer.isValid():
        fail(f"{layer.name()}: not valid ({layer.source()})")
        continue
    if layer.featureCount() <= 0:
        fail(f"{layer.name()}: no features")
    if not layer.source().startswith(work):
        fail(f"{layer.name()}: source {layer.source()} is not the copy (paths are not relative)")
for table in gpkg_tables:
    if not any(f"layername={table}" in l.source() for l in layers):
        fail(f"GeoPackage table {table} is not in the project")
for src in ET.parse(qgs).getroot().iter("datasource"):
    if not src.text.startswith("./"):
        fail(f"datasource {src.text} is not relative")

# Groups in drawing order, layers styled as layer_styles says.
root = project.layerTreeRoot()
names = [g.name() for g in root.children()]
print("groups: " + ", ".join(names))
if names != [g for g in GROUPS if g in names] or len(names) != len(set(names)):
    fail(f"groups {names} are not in the order {GROUPS}")
for g in root.children():
    for node in g.findLayers():
        l = node.layer()
        print(f"  {g.name()}: {l.name()} ({l.featureCount()}, {l.renderer().type()}, {'shown' if node.isVisible() else 'hidden'})")
areas = [n.layer() for n in root.findLayers() if n.parent().name() == "Areas" and n.isVisible()]
if not areas or areas[0].renderer().type() != "graduatedSymbol":
    fail("no visible graduated areas layer")
if not any(n.layer().renderer().type() == "singleSymbol" and n.isVisible() for n in root.findLayers() if n.parent().name() == "Events"):
    fail("no visible events layer")

# The default view holds the study's areas.
view = project.viewSettings().defaultViewExtent()
if view.isEmpty() or view.crs() != project.crs():
    fail(f"default view {view.toString()} in {view.crs().authid()}, project CRS {project.crs().authid()}")
for a in areas:
    e = QgsCoordinateTransform(a.crs(), project.crs(), project).transformBoundingBox(a.extent())
    if not view.contains(e):
        fail(f"default view {view.toString()} does not hold {a.name()} {e.toString()}")


def render(map_layers, path):
    s = QgsMapSettings()
    s.setLayers(map_layers)
    s.setDestinationCrs(project.crs())
    s.setExtent(view)
    s.setOutputSize(QSize(800, 600))
    s.setBackgroundColor(QColor(255, 255, 255))
    job = QgsMapRendererParallelJob(s)
    job.start()
    job.waitForFinished()
    img = job.renderedImage().convertToFormat(QImage.Format_RGB32)
    if path:
        img.save(path)
    bits = img.constBits()
    bits.setsize(img.sizeInBytes())
    bgra = np.frombuffer(bits, np.uint8).reshape(img.height(), img.bytesPerLine() // 4, 4)[:, : img.width()]
    return bgra[..., 2::-1].astype(int).reshape(-1, 3)  # RGB


def share_near(pixels, hex_colour, alpha=1.0, tol=12):
    c = np.array([int(hex_colour[k : k + 2], 16) for k in (1, 3, 5)])
    want = alpha * c + (1 - alpha) * 255  # over the white background
    return float(np.mean(np.abs(pixels - want).max(axis=1) <= tol))


# The areas alone: the five classes of the coverage ramp (75% opaque on white), at least two seen.
classes = [s.symbol().color().name() for s in areas[0].renderer().ranges()] if areas else []
alone = render(areas[:1], None)
seen = {c: share_near(alone, c, 0.75) for c in classes}
print("coverage classes on the map: " + ", ".join(f"{c} {100 * v:.1f}%" for c, v in seen.items()))
if sum(v > 0.005 for v in seen.values()) < 2:
    fail(f"the areas do not show the coverage colours: {seen}")

# The whole project as it opens: mostly drawn over, with the events' symbols visible.
visible = [l for l in root.layerOrder() if root.findLayer(l.id()).isVisible()]
whole = render(visible, png_path)
drawn = float(np.mean((whole < 250).any(axis=1)))
print(f"rendered {png_path}: {100 * drawn:.1f}% of the pixels drawn")
if drawn < 0.1:
    fail(f"only {100 * drawn:.1f}% of the map is drawn")
# The point layers' own colours (events, or the officers' stops drawn over them).
markers = {l.name(): share_near(whole, l.renderer().symbol().color().name(), 1.0, 20)
           for l in visible if l.geometryType() == 0 and l.renderer().type() == "singleSymbol"}
print("point symbols: " + ", ".join(f"{k} {100 * v:.2f}%" for k, v in markers.items()))
if not any(v > 0.0005 for v in markers.values()):
    fail(f"no point symbols in their colours on the map: {markers}")
for f in failures:
    print("FAIL: " + f)
sys.stdout.flush()
shutil.rmtree(work, ignore_errors=True)
# Without exitQgis: tearing QGIS down under Python's garbage collector crashes on Debian 12.
os._exit(1 if failures else 0)
