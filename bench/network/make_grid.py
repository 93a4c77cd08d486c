#!/usr/bin/python3
"""Writes a synthetic street grid as OSM XML, for the scale benchmark.

    make_grid.py N OUT.osm [--spacing 100] [--arterial-every 10] [--jitter 0.15] [--seed 7]
                 [--points K --points-dir DIR]

N x N intersections about SPACING metres apart (south-west corner at 47.0 N, 9.0 E), each
jittered by up to JITTER x SPACING in x and y (fixed seed) so that travel times are not all tied;
one way per grid row and per column through all its intersections (nightout splits them at
every shared node). Every ARTERIAL_EVERY-th row and column is highway=primary (60 km/h in the
drive profile), the rest highway=residential (30 km/h); all two-way. N x N nodes, and
4 N (N - 1) directed edges. With --points, also writes DIR/grid_from.csv and DIR/grid_to.csv:
K distinct random intersections each (id,node,lat,lon; node = OSM node id), for `nightout travel`.
"""
import argparse, math, random

ap = argparse.ArgumentParser()
ap.add_argument("n", type=int); ap.add_argument("out")
ap.add_argument("--spacing", type=float, default=100.0); ap.add_argument("--arterial-every", type=int, default=10)
ap.add_argument("--jitter", type=float, default=0.15); ap.add_argument("--seed", type=int, default=7)
ap.add_argument("--points", type=int, default=0); ap.add_argument("--points-dir", default=".")
a = ap.parse_args()
n, rng = a.n, random.Random(a.seed)
lat0, lon0 = 47.0, 9.0
dlat = a.spacing / 111_320.0
dlon = a.spacing / (111_320.0 * math.cos(math.radians(lat0 + n * dlat / 2)))
node = lambda i, j: i * n + j + 1  # row i (south to north), column j (west to east)
coord = []  # (lat, lon) by node id - 1
with open(a.out, "w") as f:
    w = f.write
    w('<?xml version="1.0" encoding="UTF-8"?>\n<osm version="0.6" generator="nightout make_grid.py">\n')
    for i in range(n):
        lines = []
        for j in range(n):
            la = lat0 + (i + rng.uniform(-a.jitter, a.jitter)) * dlat
            lo = lon0 + (j + rng.uniform(-a.jitter, a.jitter)) * dlon
            coord.append((la, lo))
            lines.append(f' <node id="{node(i, j)}" version="1" lat="{la:.7f}" lon="{lo:.7f}"/>\n')
        w("".join(lines))
    wid = 1
    for k in range(n):
        hw = "primary" if k % a.arterial_every == 0 else "residential"
        for refs in ([node(k, j) for j in range(n)], [node(i, k) for i in range(n)]):  # row k, column k
            w(f' <way id="{wid}" version="1">\n')
            w("".join(f'  <nd ref="{r}"/>\n' for r in refs))
            w(f'  <tag k="highway" v="{hw}"/>\n </way>\n')
            wid += 1
    w("</osm>\n")
if a.points:
    prng = random.Random(a.seed + 1)
    for name in ("from", "to"):
        with open(f"{a.points_dir}/grid_{name}.csv", "w") as f:
            f.write("id,node,lat,lon\n")
            for k, v in enumerate(prng.sample(range(1, n * n + 1), a.points)):
                f.write(f"{name[0]}{k},{v},{coord[v - 1][0]:.7f},{coord[v - 1][1]:.7f}\n")
print(f"{a.out}: {n * n} nodes, {2 * n} ways, {4 * n * (n - 1)} directed edges expected")
