#!/usr/bin/python3
"""Agreement of a `nightout travel` matrix with a pgRouting result on the same node pairs.

    compare_matrix.py MATRIX.csv STATIONS.csv EVENTS.csv PGR.csv

MATRIX.csv: from_id,to_id,distance_m,duration_s,status (nightout); STATIONS/EVENTS: id,node,...
(make_points.py); PGR.csv: from_node,to_node,agg_cost. pgRouting leaves out pairs with the same
start and end node (cost 0). Prints one JSON line.
"""
import csv, json, sys

mat, st, ev, pgr = sys.argv[1:5]
node = {}
for p in (st, ev):
    with open(p, newline="") as f:
        node.update({r["id"]: int(r["node"]) for r in csv.DictReader(f)})
with open(pgr, newline="") as f:
    pc = {(int(r["from_node"]), int(r["to_node"])): float(r["agg_cost"]) for r in csv.DictReader(f)}
worst = rel = 0.0
pairs = same = missing = unreached = 0
with open(mat, newline="") as f:
    for r in csv.DictReader(f):
        pairs += 1
        a, b = node[r["from_id"]], node[r["to_id"]]
        if r["status"] != "ok":
            unreached += 1
            continue
        d = float(r["duration_s"])
        if a == b:
            same += 1
            worst = max(worst, d)
            continue
        if (a, b) not in pc:
            missing += 1
            continue
        worst = max(worst, abs(d - pc[(a, b)]))
        rel = max(rel, abs(d - pc[(a, b)]) / max(pc[(a, b)], 1e-9))
print(json.dumps({"pairs": pairs, "pgr_rows": len(pc), "same_node_pairs": same, "missing_in_pgr": missing,
                  "not_ok_in_nightout": unreached, "max_abs_diff_s": worst, "max_rel_diff": rel}))
