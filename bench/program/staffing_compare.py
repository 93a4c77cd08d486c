#!/usr/bin/python3
"""Staffing of one calendar two ways, recomputed here from the files (not the engine's code):
the earlier rule (each event in date order to the teams of least one-way km + 0.5 km per hour
already worked, within the weekly hours) against the engine's teams.csv (least km + 0.5 x sum of
squared year hours, greedy then replace/exchange moves). Prints, per method, the year hours'
min / max / mean / sd, km there and back, and J.

usage: staffing_compare.py PROGRAM_OUT STATIONS.geojson OFFICERS.csv [--length-h 2] [--officers 2] [--team-hours 6]
(figures in docs/benchmarks.md)
"""
import argparse, csv, json, math, os, sys
from collections import defaultdict
import datetime as dt

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "../../tests/program"))
from validate_program import vincenty  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("out"); ap.add_argument("stations"); ap.add_argument("officers")
ap.add_argument("--length-h", type=float, default=2); ap.add_argument("--officers-per-event", type=int, default=2)
ap.add_argument("--team-hours", type=float, default=6)
a = ap.parse_args()
st = {}
for f in json.load(open(a.stations))["features"]:
    st[f["properties"]["name"].lower()] = f["geometry"]["coordinates"][:2]
teams = list(csv.DictReader(open(a.officers, newline="")))
pos = [st[t["start"].lower()] for t in teams]
wh = [float(t.get("weekly_hours") or a.team_hours) for t in teams]
cal = list(csv.DictReader(open(f"{a.out}/calendar.csv", newline="")))
km = [[2 * vincenty(p[0], p[1], float(r["lon"]), float(r["lat"])) / 1000 for p in pos] for r in cal]
week = [dt.date.fromisoformat(r["date"]).isocalendar()[:2] for r in cal]


def figures(name, assign):
    hours = [0.0] * len(teams)
    total = 0.0
    for e, ts in enumerate(assign):
        for t in ts:
            hours[t] += a.length_h
            total += km[e][t]
    m = sum(hours) / len(hours)
    sd = math.sqrt(sum((h - m) ** 2 for h in hours) / len(hours))
    J = total + 0.5 * sum(h * h for h in hours)
    print(f"{name:<34} hours {min(hours):4.0f} to {max(hours):4.0f} (mean {m:.1f}, sd {sd:.2f})  km {total:7.0f}  J {J:8.0f}")


old, year, wk = [], [0.0] * len(teams), defaultdict(float)
for e in range(len(cal)):
    c = sorted((km[e][t] / 2 + 0.5 * year[t], t) for t in range(len(teams)) if wk[(t, week[e])] + a.length_h <= wh[t] + 1e-9)
    ts = [t for _, t in c[: a.officers_per_event]]
    for t in ts:
        year[t] += a.length_h
        wk[(t, week[e])] += a.length_h
    old.append(ts)
figures("earlier: greedy, 0.5 km per hour", old)
ids = {t["id"]: i for i, t in enumerate(teams)}
figures("engine: km + 0.5 sum h^2, local search", [[ids[x] for x in r["officers"].split(";") if x] for r in cal])
