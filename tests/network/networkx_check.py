#!/usr/bin/python3
"""Shortest travel times from nightout equal NetworkX's on nightout's exported edge list.

usage: networkx_check.py NIGHTOUT EXTRACT PROFILE [SOURCES]

Exports the routable graph, picks SOURCES nodes spread over it, asks `nightout travel`
for the table from those nodes to every node (points placed at the node coordinates),
and compares it with NetworkX's Dijkstra on the edge list (weight duration_s, the
cheaper of parallel edges; restricted edges through a three-state copy of the graph). Exits non-zero on any difference above 1 ms.
"""
import csv
import subprocess
import sys
import tempfile
from pathlib import Path

import networkx as nx

nightout, extract, profile = sys.argv[1], sys.argv[2], sys.argv[3]
n_sources = int(sys.argv[4]) if len(sys.argv) > 4 else 12

with tempfile.TemporaryDirectory() as tmp:
    tmp = Path(tmp)
    subprocess.run([nightout, "-q", "graph", "export", extract, "--profile", profile, "--out", str(tmp / "edges.csv")], check=True)
    g = nx.DiGraph()
    coords = {}
    with open(tmp / "edges.csv") as f:
        for r in csv.DictReader(f):
            u, v, w = int(r["from_node"]), int(r["to_node"]), float(r["duration_s"])
            coords[u] = (r["from_lon"], r["from_lat"])
            coords[v] = (r["to_lon"], r["to_lat"])
            # Restricted edges (destination-only streets) only in a run at a trip's start or end:
            # states (node, 0) restricted edges only so far, (node, 1) after an unrestricted edge,
            # (node, 2) restricted again after that, when no unrestricted edge may follow.
            steps = ((0, 0), (1, 2), (2, 2)) if r["restricted"] == "1" else ((0, 1), (1, 1))
            for a, b in steps:
                if not g.has_edge((u, a), (v, b)) or g[(u, a)][(v, b)]["w"] > w:
                    g.add_edge((u, a), (v, b), w=w)
    # A barrier is one graph node per road piece touching it, all at the same place: a point
    # there snaps to any of them, so such nodes are left out of the comparison.
    at = {}
    for n, c in coords.items():
        at.setdefault(c, []).append(n)
    nodes = sorted(n for n, c in coords.items() if len(at[c]) == 1)
    sources = nodes[:: max(1, len(nodes) // n_sources)][:n_sources]
    with open(tmp / "from.csv", "w") as f:
        f.write("id,lon,lat\n" + "".join(f"{n},{coords[n][0]},{coords[n][1]}\n" for n in sources))
    with open(tmp / "to.csv", "w") as f:
        f.write("id,lon,lat\n" + "".join(f"{n},{coords[n][0]},{coords[n][1]}\n" for n in nodes))
    subprocess.run([nightout, "-q", "travel", "--from", str(tmp / "from.csv"), "--to", str(tmp / "to.csv"), "--network", extract,
                    "--profile", profile, "--max-snap", "1m", "--out", str(tmp / "m.csv")], check=True)
    ours = {}
    with open(tmp / "m.csv") as f:
        for r in csv.DictReader(f):
            ours[(int(r["from_id"]), int(r["to_id"]))] = float(r["duration_s"]) if r["duration_s"] else None

worst, compared, missing = 0.0, 0, 0
for s in sources:
    by_state = nx.single_source_dijkstra_path_length(g, (s, 0), weight="w")
    ref = {}
    for (t, _), d in by_state.items():
        ref[t] = min(d, ref.get(t, d))
    for t in nodes:
        mine = ours.get((s, t))
        if t not in ref:
            missing += mine is not None
            continue
        if mine is None:
            missing += 1
            continue
        worst = max(worst, abs(mine - ref[t]))
        compared += 1
print(f"{Path(extract).name} ({profile}): {len(nodes)} nodes, {compared} pairs compared, worst |diff| {worst:.6f} s, {missing} reachability mismatches")
# Coordinates are exported to 7 decimals (~1 cm): allow a millisecond of travel time.
sys.exit(0 if compared > 0 and missing == 0 and worst < 1e-3 else 1)
