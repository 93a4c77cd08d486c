#!/usr/bin/python3
"""Prints bench/network/run.sh's results (results.jsonl) as Markdown tables; exits 1 if any
comparison disagrees beyond its tolerance."""
import json, sys

R = {}
for line in open(sys.argv[1]):
    d = json.loads(line)
    R[d["step"]] = d
ok = True
rows = []  # step, nightout s, peer, peer s, speed-up, target, met, agreement

def row(step, no, peer, ps, target, agree, factor=None):
    sp = ps / no
    met = "-" if factor is None else ("yes" if sp >= factor else "**no**")
    rows.append((step, f"{no:.4f}", peer, f"{ps:.4f}", f"{sp:.1f}x", target, met, agree))

m = R["machine"]
print(f"machine: {m['nproc']} cores, {m['cpu']}, {m['mem_gib']} GiB, Linux {m['kernel']}, Debian {m['debian']}; nightout {m['commit']}")
print(f"load at start: {m['uptime_start']}")
b = R.get("build")
if b:
    ox = b["osmnx"]
    row("graph build, Liechtenstein drive roads (.osm XML), in-process", b["nightout_s"], f"OSMnx {ox['osmnx']} graph_from_xml", ox["best_s"], ">= 10x", 
        f"nightout {b['nodes']} nodes / {b['edges']} directed edges ({b['shortcuts']} CH shortcuts); OSMnx {ox['nodes']} nodes / {ox['edges']} edges", 10)
    row("graph build, whole process (start-up, import, write)", b["nightout_wall_s"], "OSMnx (python3 process)", b["osmnx_wall_s"], "-", f"nightout from the .osm.pbf: {b['nightout_pbf_wall_s']:.3f} s")
o = R.get("one_to_all")
if o:
    n, p = o["nightout"], o["peers"]
    good = p["reachability_mismatch_networkx"] == 0 and p["reachability_mismatch_igraph"] == 0 and max(p["max_abs_diff_networkx_s"], p["max_abs_diff_igraph_s"]) <= 1e-6
    ok &= good
    tag = f"{p['sources']} sources x {p['nodes']} nodes"
    row(f"one-to-all, {tag}", n["run_s"], "NetworkX single_source_dijkstra_path_length", p["networkx_s"], ">= 30x",
        f"max abs diff {p['max_abs_diff_networkx_s']:.2g} s, {p['reachability_mismatch_networkx']} reachability mismatches", 30)
    row(f"one-to-all, {tag}", n["run_s"], "igraph Graph.distances", p["igraph_s"], ">= 2x",
        f"max abs diff {p['max_abs_diff_igraph_s']:.2g} s, {p['reachability_mismatch_igraph']} reachability mismatches", 2)
x = R.get("matrix")
if x and "pgrouting" in x:
    pg, ph = x["pgrouting"], x["phases"]
    for key, name, agree_key, target, f in (("costmatrix_s", "pgr_dijkstraCostMatrix (square over stations+events)", "agree_costmatrix", ">= 5x", 5),
                                            ("cost_s", "pgr_dijkstraCost (stations x events)", "agree_cost", "-", None)):
        a = x[agree_key]
        good = a["max_abs_diff_s"] <= 0.01 and a["missing_in_pgr"] == 0 and a["not_ok_in_nightout"] == 0
        ok &= good
        row(f"matrix {ph['from']}x{ph['to']}, nightout travel (whole process)", x["nightout_wall_s"], f"pgRouting {pg['pgrouting']} {name}", pg[key], target,
            f"max abs diff {a['max_abs_diff_s']:.2g} s over {a['pairs'] - a['same_node_pairs']} pairs", f)
g = R.get("grid")
if g:
    met = "yes" if g["travel_wall_s"] < 5 else "**no**"
    per_edge_b = g["build_rss_kb"] * 1024 / g["edges"]
    per_edge_t = g["travel_rss_kb"] * 1024 / g["edges"]
    c = g["check"]
    ok &= c["max_abs_diff_ch_vs_dijkstra_s"] <= 1e-6 and g["ok_pairs"] == g["points"] ** 2
    rows.append((f"grid {g['side']}x{g['side']}: graph build (OSM PBF, CH)", f"{g['build_wall_s']:.2f}", "-", "-", "-", "-", "-",
                 f"{g['nodes']} nodes, {g['edges']} edges, {g['shortcuts']} shortcuts; peak RSS {g['build_rss_kb'] / 1024:.0f} MiB = {per_edge_b:.0f} B/edge"))
    rows.append((f"grid: travel {g['points']}x{g['points']} (whole process)", f"{g['travel_wall_s']:.2f}", "-", "-", "-", "< 5 s", met,
                 f"{g['ok_pairs']} ok pairs; peak RSS {g['travel_rss_kb'] / 1024:.0f} MiB = {per_edge_t:.0f} B/edge; CH vs Dijkstra (20 x {g['points']}): max abs diff {c['max_abs_diff_ch_vs_dijkstra_s']:.2g} s"))

print("\n| step | nightout s | peer | peer s | speed-up | target | met | agreement |")
print("|---|---:|---|---:|---:|---|---|---|")
for r in rows:
    print("| " + " | ".join(r) + " |")
if x:
    ph = x["phases"]
    print(f"\nmatrix phases in-process ({ph['threads']} threads): load {ph['load_s']:.4f} s, snap {ph['snap_s']:.4f} s, CH table {ph['ch_table_s']:.4f} s, "
          f"Dijkstra table {ph['dijkstra_table_s']:.4f} s (CH vs Dijkstra max abs diff {ph['max_abs_diff_ch_vs_dijkstra_s']:.2g} s)")
    ok &= ph["max_abs_diff_ch_vs_dijkstra_s"] <= 1e-6
if g:
    ph = g["phases"]
    print(f"grid travel phases in-process ({ph['threads']} threads): load {ph['load_s']:.3f} s, snap {ph['snap_s']:.3f} s (index + {2 * g['points']} points), "
          f"CH table {ph['ch_table_s']:.3f} s; graph file {g['graph_file_bytes'] / 2**20:.0f} MiB; build in-process {g['build_s']:.2f} s")
if "build" in R:
    print(f"OSMnx import {R['build']['osmnx']['import_s']:.2f} s (not in the in-process figure); runs {R['build']['osmnx']['times_s']}")
if x and "pgrouting" in x:
    print(f"PostgreSQL {x['pgrouting']['postgresql']}, PostGIS {x['pgrouting']['postgis']}")
print(f"load at end: {R['end']['uptime_end']}")
print(f"\nagreement {'OK' if ok else 'FAILED'}")
sys.exit(0 if ok else 1)
