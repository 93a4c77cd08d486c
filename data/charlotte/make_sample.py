#!/usr/bin/python3
"""Builds the Charlotte sample from the shared open data (run from the repo root):

    /usr/bin/python3 data/charlotte/make_sample.py ../shared/data/charlotte

Neighborhoods keep their id, population (p1), area in acres (p3), group shares (p8, p9, p10,
p11, p13), median household income (m1) and violent crime rate (s1); the events
are ILLUSTRATIVE: real libraries, parks and polling places chosen by a fixed rule,
not a registered list of National Night Out parties.
"""
import csv
import json
import os
import sys

src = sys.argv[1] if len(sys.argv) > 1 else "../shared/data/charlotte"
dst = os.path.dirname(os.path.abspath(__file__))


def load(name):
    with open(os.path.join(src, name)) as f:
        return json.load(f)["features"]


def write_geojson(name, features):
    with open(os.path.join(dst, name), "w") as f:
        json.dump({"type": "FeatureCollection", "features": features}, f, separators=(",", ":"))
        f.write("\n")


# id, population (p1), acres (p3); for the equity panel the shares (percent) of White (p8), Black
# (p9), Asian (p10), other-race (p11) and Hispanic (p13) residents, median household income (m1)
# and the violent crime rate (s1): see neighborhood_profile_areas_fields.md.
KEEP = ["id", "p1", "p3", "p8", "p9", "p10", "p11", "p13", "m1", "s1"]
areas = load("neighborhood_profile_areas.geojson")
write_geojson("neighborhoods.geojson", [
    {"type": "Feature",
     "properties": {k: a["properties"][k] for k in KEEP},
     "geometry": a["geometry"]}
    for a in areas])

write_geojson("police_stations.geojson", load("police_stations.geojson"))

# Every library, every second park and every third polling place, in file order.
rows = []
for kind, name, step in (("library", "libraries.geojson", 1), ("park", "parks.geojson", 2),
                         ("polling place", "polling_locations.geojson", 3)):
    for i, f in enumerate(load(name)):
        if i % step:
            continue
        lon, lat = f["geometry"]["coordinates"][:2]
        p = f["properties"]
        rows.append({"name": (p.get("name") or "").strip().title(), "kind": kind,
                     "address": " ".join((p.get("address") or "").split()).title(),
                     "lat": f"{lat:.6f}", "lon": f"{lon:.6f}", "start": "18:00", "end": "21:00"})

with open(os.path.join(dst, "events.csv"), "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=["id", "name", "kind", "address", "lat", "lon", "start", "end"])
    w.writeheader()
    for i, r in enumerate(rows, 1):
        w.writerow({"id": f"E{i:03d}", **r})
print(f"{len(areas)} neighborhoods, {len(rows)} illustrative events", file=sys.stderr)
