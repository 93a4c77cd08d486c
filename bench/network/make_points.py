#!/usr/bin/python3
"""Picks the benchmark's points among the graph nodes of an exported edge list, with a fixed seed.

    make_points.py EDGES.csv OUTDIR [--sources 100] [--stations 20] [--events 500] [--seed 42] [--prefix ""]

Writes OUTDIR/sources.txt (node ids, one per line, for one-to-all), OUTDIR/stations.csv and
OUTDIR/events.csv (id,node,lat,lon at the node's exported coordinates, for `nightout travel`
and pgRouting). Distinct nodes within each set; stations and events may share nodes.
"""
import argparse, csv, random

ap = argparse.ArgumentParser()
ap.add_argument("edges"); ap.add_argument("outdir")
ap.add_argument("--sources", type=int, default=100); ap.add_argument("--stations", type=int, default=20)
ap.add_argument("--events", type=int, default=500); ap.add_argument("--seed", type=int, default=42)
a = ap.parse_args()

coord = {}
with open(a.edges, newline="") as f:
    for r in csv.DictReader(f):
        coord.setdefault(int(r["from_node"]), (r["from_lat"], r["from_lon"]))
        coord.setdefault(int(r["to_node"]), (r["to_lat"], r["to_lon"]))
nodes = sorted(coord)
rng = random.Random(a.seed)
with open(f"{a.outdir}/sources.txt", "w") as f:
    f.writelines(f"{v}\n" for v in rng.sample(nodes, a.sources))
for name, k in (("stations", a.stations), ("events", a.events)):
    with open(f"{a.outdir}/{name}.csv", "w") as f:
        f.write("id,node,lat,lon\n")
        for i, v in enumerate(rng.sample(nodes, k)):
            f.write(f"{name[0]}{i},{v},{coord[v][0]},{coord[v][1]}\n")
print(f"{len(nodes)} nodes; {a.sources} sources, {a.stations} stations, {a.events} events (seed {a.seed})")
