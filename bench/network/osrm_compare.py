#!/usr/bin/python3
"""nightout's drive times against a stored OSRM v6.0 car table on the same points (issue 17).

    osrm_compare.py NIGHTOUT EXTRACT POINTS.csv OSRM_TABLE.csv [PROFILE]

POINTS.csv: id,lat,lon; OSRM_TABLE.csv: from_id,to_id,duration_s,distance_m (all pairs), e.g.
/work/shared/data/osm/liechtenstein_osrm_car_*.csv. Runs `nightout travel` (profile drive unless
given) on the same pairs and prints one JSON line: the median and percentiles of
nightout/OSRM - 1 for durations and distances over pairs both reach (from != to, OSRM > 30 s).
"""
import csv, json, statistics, subprocess, sys, tempfile
from pathlib import Path

nightout, extract, points, table = sys.argv[1:5]
profile = sys.argv[5] if len(sys.argv) > 5 else "drive"
with tempfile.TemporaryDirectory() as tmp:
    out = Path(tmp) / "m.csv"
    subprocess.run([nightout, "-q", "travel", "--from", points, "--to", points, "--network", extract, "--profile", profile,
                    "--out", str(out)], check=True)
    ours = {}
    with open(out) as f:
        for r in csv.DictReader(f):
            if r["duration_s"]:
                ours[(r["from_id"], r["to_id"])] = (float(r["duration_s"]), float(r["distance_m"]))
dur, dist, only_osrm, only_ours = [], [], 0, 0
with open(table) as f:
    for r in csv.DictReader(f):
        k = (r["from_id"], r["to_id"])
        if k[0] == k[1]:
            continue
        o = ours.get(k)
        if r["duration_s"] in ("", "None") or o is None:
            only_osrm += o is None and r["duration_s"] not in ("", "None")
            only_ours += o is not None
            continue
        d, m = float(r["duration_s"]), float(r["distance_m"])
        if d <= 30:
            continue
        dur.append(o[0] / d - 1)
        dist.append(o[1] / max(m, 1) - 1)
q = lambda v, p: sorted(v)[int(p * (len(v) - 1))]
print(json.dumps({"pairs": len(dur), "duration_median": round(statistics.median(dur), 4), "duration_p05": round(q(dur, .05), 4),
                  "duration_p95": round(q(dur, .95), 4), "distance_median": round(statistics.median(dist), 4),
                  "distance_p05": round(q(dist, .05), 4), "distance_p95": round(q(dist, .95), 4),
                  "reached_by_osrm_only": only_osrm, "reached_by_nightout_only": only_ours}))
