#!/usr/bin/python3
"""Times OSMnx's graph_from_xml (defaults: simplify=True, largest weakly connected component) on
an OSM XML file: best of RUNS calls in one process, the import excluded. Prints one JSON line."""
import json, sys, time
t = time.perf_counter()
import osmnx as ox
imp = time.perf_counter() - t
path, runs = sys.argv[1], int(sys.argv[2])
times = []
for _ in range(runs):
    t = time.perf_counter()
    G = ox.graph_from_xml(path)
    times.append(time.perf_counter() - t)
print(json.dumps({"best_s": min(times), "times_s": times, "import_s": imp, "nodes": len(G), "edges": G.number_of_edges(),
                  "osmnx": ox.__version__}))
