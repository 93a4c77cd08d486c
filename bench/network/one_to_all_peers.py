#!/usr/bin/python3
"""One-to-all shortest travel times with NetworkX and python-igraph on `nightout graph export`'s
edge list, from the same source nodes as bench/network/one_to_all, and their agreement with it.

    one_to_all_peers.py EDGES.csv SOURCES.txt NIGHTOUT.f64 RUNS

Weights are duration_s; parallel edges keep the smallest weight (NetworkX DiGraph; igraph keeps
them all, which gives the same distances). Times only the searches (best of RUNS passes over all
sources), each tool producing every node's distance from each source (NetworkX as dicts, their
conversion to a matrix not timed; igraph as a list of lists). Single-threaded, like
one_to_all. Prints one JSON line.
"""
import csv, json, math, sys, time
import igraph as ig
import networkx as nx
import numpy as np

edges_csv, sources_txt, no_f64, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
src = [int(x) for x in open(sources_txt).read().split()]
E = []
with open(edges_csv, newline="") as f:
    for r in csv.DictReader(f):
        E.append((int(r["from_node"]), int(r["to_node"]), float(r["duration_s"])))
n = 1 + max(max(u, v) for u, v, _ in E)

t = time.perf_counter()
G = nx.DiGraph()
G.add_nodes_from(range(n))
for u, v, w in E:
    if u != v and (not G.has_edge(u, v) or w < G[u][v]["duration_s"]):
        G.add_edge(u, v, duration_s=w)
nx_load = time.perf_counter() - t
t = time.perf_counter()
H = ig.Graph(n=n, edges=[(u, v) for u, v, _ in E], directed=True)
H.es["duration_s"] = [w for _, _, w in E]
ig_load = time.perf_counter() - t

def best(fn):
    times, out = [], None
    for _ in range(runs):
        t = time.perf_counter(); out = fn(); times.append(time.perf_counter() - t)
    return min(times), out

nx_s, d_nx = best(lambda: [nx.single_source_dijkstra_path_length(G, s, weight="duration_s") for s in src])
m_nx = np.full((len(src), n), np.inf)  # the dicts' conversion is not timed
for i, d in enumerate(d_nx):
    m_nx[i, list(d.keys())] = list(d.values())
ig_s, m_ig = best(lambda: np.array(H.distances(source=src, weights="duration_s", mode="out"), dtype=float))
m_no = np.fromfile(no_f64, dtype=np.float64).reshape(len(src), n)

def diff(a, b):
    fa, fb = np.isfinite(a), np.isfinite(b)
    both = fa & fb
    return float(np.max(np.abs(a[both] - b[both]))) if both.any() else 0.0, int(np.sum(fa != fb))

d_nx, r_nx = diff(m_no, m_nx)
d_ig, r_ig = diff(m_no, m_ig)
print(json.dumps({"nodes": n, "edges": len(E), "sources": len(src), "networkx_s": nx_s, "igraph_s": ig_s,
                  "networkx_load_s": nx_load, "igraph_load_s": ig_load,
                  "max_abs_diff_networkx_s": d_nx, "reachability_mismatch_networkx": r_nx,
                  "max_abs_diff_igraph_s": d_ig, "reachability_mismatch_igraph": r_ig,
                  "reached_pairs": int(np.isfinite(m_no).sum()),
                  "max_abs_diff_relative": max(d_nx, d_ig) / float(np.max(m_no[np.isfinite(m_no)]))}))
