#!/usr/bin/python3
"""Checks `nightout coverage` with population groups, a priority, incidents and E2SFCA access
on the Charlotte sample against an independent computation (GeoPandas, NumPy, SciPy):

    geopandas_check.py NIGHTOUT OUT_DIR

- group residents reached per area and break: GeoPandas buffers (128-gon, as nightout's), their
  union, each area's covered share, times the area's residents and the group's percent;
- per study: each group's share reached, its ratio to the overall share, the best-worst gap,
  and the population-weighted Gini from the textbook double sum;
- incidents per area against a spatial join (the polling places stand in for incident points);
- the priority index against SciPy's rankdata ('max' ties);
- E2SFCA against scipy.sparse products from pyproj geodesic distances.
Exits non-zero on any difference beyond the tolerances printed."""
import csv
import json
import os
import shutil
import subprocess
import sys

import geopandas as gpd
import numpy as np
import pandas as pd
import scipy.sparse as sp
from pyproj import Geod
from scipy.stats import rankdata
from shapely.ops import clip_by_rect

nightout, out = sys.argv[1], sys.argv[2]
root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
data = os.path.join(root, "data", "charlotte")
groups = {"white": "p8", "black": "p9", "asian": "p10", "other": "p11", "hispanic": "p13"}
radii = [("400m", 400.0), ("800m", 800.0)]
weights = {"400m": 1.0, "800m": 0.68}

cmd = [nightout, "coverage", "-q", "--areas", f"{data}/neighborhoods.geojson", "--events", f"{data}/events.csv",
       "--radius", "400m,800m", "--population-field", "p1", "--priority", "s1:high", "--access",
       "--incidents", f"{data}/polling_locations.geojson", "--out", out]
for name, field in groups.items():
    cmd += ["--group", f"{name}={field}:share"]
shutil.rmtree(out, ignore_errors=True)  # a folder of this test's own, in the build tree
subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)

failures = []


def check(what, got, want, tol):
    got, want = np.asarray(got, dtype=float), np.asarray(want, dtype=float)
    worst = float(np.max(np.abs(got - want))) if got.size else 0.0
    print(f"{what}: max |diff| {worst:.3g} (tolerance {tol:.3g})")
    if not worst <= tol:
        failures.append(what)


summary = json.load(open(f"{out}/summary.json"))
no = gpd.read_file(f"{out}/neighborhoods.geojson").set_index("id")
areas = gpd.read_file(f"{data}/neighborhoods.geojson")
areas["id"] = areas["id"].astype(str)
areas = areas.set_index("id")
no = no.loc[areas.index]
events = pd.read_csv(f"{data}/events.csv")
events = gpd.GeoDataFrame(events, geometry=gpd.points_from_xy(events.lon, events.lat), crs=4326)

proj = summary["parameters"]["projection"]["proj"]
pareas, pevents = areas.geometry.to_crs(proj), events.geometry.to_crs(proj)
area_m2 = pareas.area.to_numpy()
pop = areas["p1"].astype(float).to_numpy()

# Groups: uniform density within each area, so a group's residents reached are the area's
# covered share times its residents times the group's percent.
eq = summary["equity"]
for k, (label, meters) in enumerate(radii):
    reach = pevents.buffer(meters, resolution=32).unary_union
    gap = np.array([a.difference(clip_by_rect(reach, *a.bounds)).area for a in pareas])
    share = np.where(area_m2 > 0, np.maximum(0.0, area_m2 - gap) / area_m2, 0.0)
    overall = (pop * share).sum() / pop.sum()
    b = eq["breaks"][k]
    assert b["label"] == label
    check(f"{label} overall share", b["overall_share"], overall, 1e-3)
    shares = {}
    for g, (name, field) in enumerate(groups.items()):
        residents = pop * areas[field].astype(float).to_numpy() / 100
        reached = residents * share
        check(f"{label} {name} reached per area", no[f"grp_{name}_reached_{label}"].to_numpy(), reached, 0.005 * residents.max() + 0.02)
        check(f"{label} {name} not reached per area", no[f"grp_{name}_unreached_{label}"].to_numpy(), residents - reached, 0.005 * residents.max() + 0.02)
        gr = b["groups"][g]
        assert gr["name"] == name
        check(f"{label} {name} population", gr["population"], residents.sum(), 0.02 * len(pop))
        check(f"{label} {name} share reached", gr["share"], reached.sum() / residents.sum(), 1e-3)
        check(f"{label} {name} ratio", gr["ratio"], reached.sum() / residents.sum() / overall, 2e-3)
        shares[name] = reached.sum() / residents.sum()
    check(f"{label} best-worst gap (points)", b["gap_points"], 100 * (max(shares.values()) - min(shares.values())), 0.1)
    if b["best"] != max(shares, key=shares.get) or b["worst"] != min(shares, key=shares.get):
        failures.append(f"{label} best/worst: {b['best']}/{b['worst']}")
    # Textbook Gini: sum_i sum_j w_i w_j |x_i - x_j| / (2 W^2 mean), over populated areas.
    w, x = pop[pop > 0], share[pop > 0]
    gini = (w[:, None] * w[None, :] * np.abs(x[:, None] - x[None, :])).sum() / (2 * w.sum() ** 2 * (w * x).sum() / w.sum())
    check(f"{label} Gini", b["gini"], gini, 1e-3)
    print(f"  {label}: overall {100 * overall:.2f}%, " + ", ".join(f"{n} {100 * s:.2f}% ({s / overall:.3f})" for n, s in shares.items()) +
          f", Gini {gini:.4f}")

# equity.csv: one row per group and break, all residents first.
rows = list(csv.DictReader(open(f"{out}/equity.csv")))
if len(rows) != len(radii) * (1 + len(groups)) or rows[0]["group"] != "all residents":
    failures.append(f"equity.csv: {len(rows)} rows")

# Incidents per area: a point-in-polygon join (Debian's GeoPandas has no rtree for sjoin; each
# point is tested against every area, vectorised); a point on a shared border goes to the first area.
inc = gpd.read_file(f"{data}/polling_locations.geojson").to_crs(4326)
counts = np.zeros(len(areas), dtype=int)
for point in inc.geometry:
    hit = np.nonzero(areas.geometry.intersects(point).to_numpy())[0]
    if hit.size:
        counts[hit[0]] += 1
check("incidents per area (spatial join)", no["incidents"].to_numpy(), counts, 0)
check("incident rate per 1,000 residents", no["incident_rate"].to_numpy(), np.where(pop > 0, 1000 * counts / np.where(pop > 0, pop, 1), 0), 1e-3)

# Priority index: the share of areas no needier (ties take the highest rank).
s1 = areas["s1"].astype(float).to_numpy()
check("priority index", no["priority_index"].to_numpy(), rankdata(s1, method="max") / len(s1), 1e-6)

# E2SFCA from each area's representative point: its centroid when inside it, else a point on
# its surface (GEOS), in the same projection.
centroid = pareas.centroid
rep = gpd.GeoSeries(np.where(pareas.intersects(centroid), centroid, pareas.representative_point()), crs=proj).to_crs(4326)
geod = Geod(ellps="WGS84")
ev_lon, ev_lat = events.geometry.x.to_numpy(), events.geometry.y.to_numpy()
rows_i, cols_j, vals = [], [], []
for i, p in enumerate(rep):
    _, _, d = geod.inv(np.full(len(ev_lon), p.x), np.full(len(ev_lon), p.y), ev_lon, ev_lat)
    for j in np.nonzero(d <= 800.0)[0]:
        rows_i.append(i)
        cols_j.append(j)
        vals.append(weights["400m"] if d[j] <= 400.0 else weights["800m"])
W = sp.csr_matrix((vals, (rows_i, cols_j)), shape=(len(pop), len(ev_lon)))
demand = W.T @ pop
ratio = np.divide(1.0, demand, out=np.zeros_like(demand), where=demand > 0)
access = 1000 * (W @ ratio)
check("E2SFCA access per area", no["access"].to_numpy(), access, 1e-6 * max(1.0, access.max()))
check("E2SFCA population-weighted mean", eq["access"]["population_weighted_mean"], (pop * access).sum() / pop.sum(), 1e-6)

print("OK" if not failures else "FAILED: " + "; ".join(failures))
sys.exit(1 if failures else 0)
