#!/usr/bin/python3
"""The NetworkX peer of `nightout travel --network` on N sources x all nodes, end to end as a user
runs it: read `nightout graph export`'s edge list, one Dijkstra per source (duration_s), write the
long table (from_id,to_id,duration_s) as CSV.

    networkx_table.py EDGES.csv FROM.csv ALL.csv OUT.csv

FROM.csv and ALL.csv are make_points.py's id,node,lat,lon files (ALL: every node).
"""
import csv, sys
import networkx as nx

edges_csv, from_csv, to_csv, out_csv = sys.argv[1:5]
G = nx.DiGraph()
with open(edges_csv, newline="") as f:
    for r in csv.DictReader(f):
        u, v, w = int(r["from_node"]), int(r["to_node"]), float(r["duration_s"])
        if u != v and (not G.has_edge(u, v) or w < G[u][v]["w"]):
            G.add_edge(u, v, w=w)
def points(path):
    with open(path, newline="") as f:
        return [(r["id"], int(r["node"])) for r in csv.DictReader(f)]
src, dst = points(from_csv), points(to_csv)
with open(out_csv, "w") as f:
    f.write("from_id,to_id,duration_s\n")
    for sid, s in src:
        d = nx.single_source_dijkstra_path_length(G, s, weight="w")
        f.writelines(f"{sid},{tid},{d[t]:.3f}\n" if t in d else f"{sid},{tid},\n" for tid, t in dst)
