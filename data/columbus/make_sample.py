#!/usr/bin/python3
"""Builds the Columbus, Ohio sample from the shared open data (run from the repo root):

    /usr/bin/python3 data/columbus/make_sample.py ../shared/data

Needs osmium (osmium-tool) and ogr2ogr (gdal-bin). Cuts the streets and the places of the
OpenStreetMap extract to a box around the city's two police stations (Clinton Township's
substation near the university and Bexley's station), keeps the neighborhoods that lie mostly
inside it, and puts ILLUSTRATIVE events at its schools, parks, libraries and places of worship
(a fixed rule, not a registered list of National Night Out parties).
"""
import csv
import json
import os
import subprocess
import sys
import tempfile

src = sys.argv[1] if len(sys.argv) > 1 else "../shared/data"
dst = os.path.dirname(os.path.abspath(__file__))
box = (-83.045, 39.955, -82.915, 40.005)  # west, south, east, north

with tempfile.TemporaryDirectory() as tmp:
    # The extract is not sorted by id, which osmium extract needs.
    subprocess.run(["osmium", "sort", "-O", f"{src}/osm/columbus_oh.osm.pbf", "-o", f"{tmp}/sorted.osm.pbf"], check=True)
    subprocess.run(["osmium", "extract", "-O", "-s", "complete_ways", "-b", ",".join(map(str, box)),
                    f"{tmp}/sorted.osm.pbf", "-o", f"{tmp}/cut.osm.pbf"], check=True)
    subprocess.run(["osmium", "tags-filter", "-O", f"{tmp}/cut.osm.pbf", "w/highway",
                    "nwr/amenity=school,library,place_of_worship,police", "nwr/leisure=park",
                    "-o", f"{dst}/streets.osm.pbf"], check=True)

    def places(layer, geometry):
        out = f"{tmp}/{layer}.geojson"
        subprocess.run(["ogr2ogr", "-f", "GeoJSON", out, f"{dst}/streets.osm.pbf", "-dialect", "sqlite", "-sql",
                        f"SELECT name, other_tags, {'amenity, leisure, osm_way_id AS osm_id' if layer == 'multipolygons' else 'osm_id'}, "
                        f"{geometry} AS geometry FROM {layer} WHERE name IS NOT NULL"], check=True,
                       env={**os.environ, "OSM_USE_CUSTOM_INDEXING": "NO"})
        return json.load(open(out))["features"]

    found = places("points", "geometry") + places("multipolygons", "ST_PointOnSurface(geometry)")


def tags(p):
    t = {}
    for part in (p.get("other_tags") or "").split('","'):
        if "=>" in part:
            k, v = part.split("=>", 1)
            t[k.strip('"')] = v.strip('"')
    for k in ("amenity", "leisure"):
        if p.get(k): t[k] = p[k]
    return t


kinds = {"school": "school", "library": "library", "place_of_worship": "place of worship"}
rows, stations, seen = [], [], set()
for f in found:
    p, t = f["properties"], tags(f["properties"])
    lon, lat = f["geometry"]["coordinates"][:2]
    if not (box[0] <= lon <= box[2] and box[1] <= lat <= box[3]) or p["name"] in seen:
        continue
    seen.add(p["name"])
    street = " ".join(x for x in (t.get("addr:housenumber"), t.get("addr:street")) if x)
    if t.get("amenity") == "police":
        stations.append({"type": "Feature", "properties": {"id": f"P{len(stations) + 1}", "name": p["name"], "address": street},
                         "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]}})
        continue
    kind = "park" if t.get("leisure") == "park" else kinds.get(t.get("amenity"))
    if kind:
        rows.append({"name": p["name"], "kind": kind, "address": street, "lat": f"{lat:.6f}", "lon": f"{lon:.6f}"})

# Every named school, library, park and place of worship in the box, in a fixed order.
rows.sort(key=lambda r: (r["kind"], r["name"]))
worship = [r for r in rows if r["kind"] == "place of worship"]
rows = [r for r in rows if r["kind"] != "place of worship"] + worship
# Windows and hosts as a department's registration form would give them: most parties
# 18:00-21:00, a few early or late; every fourth asks for a unit.
windows = ["18:00-21:00", "18:00-21:00", "18:30-20:30", "19:00-21:30"]
units = ["", "", "", "k9", "", "", "", "fire"]
with open(os.path.join(dst, "events.csv"), "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=["id", "name", "kind", "address", "lat", "lon", "start", "end", "host", "contact", "requires"])
    w.writeheader()
    for i, r in enumerate(rows, 1):
        a, b = windows[i % len(windows)].split("-")
        w.writerow({"id": f"C{i:03d}", **r, "start": a, "end": b, "host": f"Host {i:03d}" if i % 3 else "",
                    "contact": f"614-555-{i:04d}" if i % 3 else "", "requires": units[i % len(units)]})

with open(os.path.join(dst, "police_stations.geojson"), "w") as f:
    json.dump({"type": "FeatureCollection", "features": stations}, f, indent=0)
    f.write("\n")

areas = json.load(open(f"{src}/neighborhoods/columbus_oh.geojson"))["features"]


def inside_share(geom):
    pts = []
    def walk(c):
        if isinstance(c[0], (int, float)): pts.append(c)
        else:
            for x in c: walk(x)
    walk(geom["coordinates"])
    return sum(box[0] <= x <= box[2] and box[1] <= y <= box[3] for x, y in pts) / len(pts)


kept = [{"type": "Feature", "properties": {"name": a["properties"]["name"]}, "geometry": a["geometry"]}
        for a in areas if inside_share(a["geometry"]) >= 0.5]
with open(os.path.join(dst, "neighborhoods.geojson"), "w") as f:
    json.dump({"type": "FeatureCollection", "features": kept}, f, separators=(",", ":"))
    f.write("\n")
print(f"{len(kept)} neighborhoods, {len(stations)} stations, {len(rows)} illustrative events", file=sys.stderr)
