#!/usr/bin/python3
"""Opens every layer of a nightout GeoPackage with QGIS itself (Debian's python3-qgis, the library
qgis_process and QGIS Desktop load layers with) and checks that each comes up with the style
stored in its layer_styles table: neighborhoods graduated red -> green on the widest reach's
covered share, the backdrop's streets by class, the other layers with their own single symbols.

    QT_QPA_PLATFORM=offscreen /usr/bin/python3 tests/gis/qgis_styles.py out/charlotte/nightout.gpkg

Exits 77 (skipped) when QGIS is not installed. (Debian 12's qgis_process 3.22 cannot run a check
script of its own, and its /usr/bin/qgis_process wrapper passes a flag 3.22 rejects, so the check
goes through the same QGIS library from Python.)
"""
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
try:
    from qgis.core import QgsApplication, QgsProviderRegistry, QgsVectorLayer
except ImportError:
    print("QGIS (python3-qgis) is not installed: skipped")
    sys.exit(77)

path = sys.argv[1]
expected = {  # layer -> (renderer, colour of its single symbol or of the lowest class)
    "neighborhoods": ("graduatedSymbol", "#df533b"),
    "gaps": ("singleSymbol", "#b2182b"),
    "events": ("singleSymbol", "#2166ac"),
    "stations": ("singleSymbol", "#111111"),
    "sites": ("singleSymbol", "#1a9850"),
    "allocation": ("singleSymbol", "#4d4d4d"),
    "site_neighborhoods": ("graduatedSymbol", "#df533b"),
    "service_areas": ("singleSymbol", "#3182bd"),
    "streets": ("categorizedSymbol", "#6e6e6e"),  # the backdrop, from an OSM extract: motorways first
    "water_and_parks": ("categorizedSymbol", "#c6e2ee"),
}
app = QgsApplication([], False)
app.initQgis()
failures = []
seen = 0
names = [s.name() for s in QgsProviderRegistry.instance().providerMetadata("ogr").querySublayers(path)]
for name in names:
    if name == "layer_styles":
        continue
    layer = QgsVectorLayer(path + "|layername=" + name, name, "ogr")
    if not layer.isValid():
        failures.append(f"{name}: QGIS cannot open it")
        continue
    renderer = layer.renderer()
    kind = renderer.type()
    if kind == "graduatedSymbol":
        ranges = renderer.ranges()  # kept: the symbols belong to these copies
        colour = ranges[0].symbol().color().name()
        detail = f"{renderer.classAttribute()}, {len(ranges)} classes"
        if len(ranges) != 5 or not renderer.classAttribute().startswith("covered_share"):
            failures.append(f"{name}: graduated on {detail}; expected 5 classes of a covered share")
    elif kind == "categorizedSymbol":
        categories = renderer.categories()
        colour = categories[0].symbol().color().name()
        detail = f"{renderer.classAttribute()}: {', '.join(c.value() for c in categories)}"
        if name in ("routes", "stops"):
            # One colour per officer, the one the report and routes.geojson draw the officer's route in.
            officers = {f["officer_id"] for f in layer.getFeatures()}
            if renderer.classAttribute() != "officer_id" or {c.value() for c in categories} != officers:
                failures.append(f"{name}: categorized on {detail}; expected one category per officer ({len(officers)})")
            geojson = os.path.join(os.path.dirname(path), "route", "routes.geojson")
            if os.path.exists(geojson):
                import json
                stroke = {f["properties"]["officer_id"]: f["properties"]["stroke"] for f in json.load(open(geojson))["features"]}
                for c in categories:
                    if c.value() in stroke and c.symbol().color().name() != stroke[c.value()].lower():
                        failures.append(f"{name}: officer {c.value()} is {c.symbol().color().name()}, its route {stroke[c.value()]}")
        elif renderer.classAttribute() != "class" or len(categories) < 2:
            failures.append(f"{name}: categorized on {detail}; expected the backdrop's classes")
        if name == "streets":
            labels = layer.labeling().settings() if layer.labelsEnabled() and layer.labeling() else None
            detail += f"; labels: {labels.fieldName if labels else None}"
            if not labels or labels.fieldName != "name" or not labels.scaleVisibility or labels.minimumScale != 10000:
                failures.append(f"streets: no street-name labels at large scales ({detail})")
    else:
        colour = renderer.symbol().color().name()
        detail = ""
    print(f"{name}: {layer.featureCount()} features, {kind} {colour} {detail}")
    if name in expected:
        seen += 1
        want_kind, want_colour = expected[name]
        if (kind, colour) != (want_kind, want_colour):
            failures.append(f"{name}: {kind} {colour}; expected {want_kind} {want_colour} (the style in layer_styles was not applied)")
if seen < 4:
    failures.append(f"only {seen} nightout layers found in {path}: {names}")
for f in failures:
    print("FAIL: " + f)
sys.stdout.flush()
# Without exitQgis: tearing QGIS down under Python's garbage collector crashes on Debian 12.
os._exit(1 if failures else 0)
