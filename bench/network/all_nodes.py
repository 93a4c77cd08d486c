#!/usr/bin/python3
"""Every node of an exported edge list as a point file (id,node,lat,lon), for N x all-nodes tables.

    all_nodes.py EDGES.csv OUT.csv
"""
import csv, sys

coord = {}
with open(sys.argv[1], newline="") as f:
    for r in csv.DictReader(f):
        coord.setdefault(int(r["from_node"]), (r["from_lat"], r["from_lon"]))
        coord.setdefault(int(r["to_node"]), (r["to_lat"], r["to_lon"]))
with open(sys.argv[2], "w") as f:
    f.write("id,node,lat,lon\n")
    f.writelines(f"n{v},{v},{coord[v][0]},{coord[v][1]}\n" for v in sorted(coord))
