#!/usr/bin/python3
"""Re-planning at 19:40 on the Charlotte sample: how long it takes and what changes.

Plans the evening once (the plan's budget), then builds the situation at --now from that
plan: each team at its last party begun by then (free when that visit ends) or still at its
station, the parties begun by then done, two teams called away and one delayed 20 minutes;
re-plans with the default re-planning budget and prints the wall time of the re-plan run
and summary.json's replan counts. Run from the repository root:
    bench/route/replan.py [build/nightout] [--now 19:40]
"""
import csv, json, subprocess, sys, tempfile, time, os

nightout = sys.argv[1] if len(sys.argv) > 1 and not sys.argv[1].startswith("--") else "build/nightout"
now = sys.argv[sys.argv.index("--now") + 1] if "--now" in sys.argv else "19:40"
data = "data/charlotte"
base = [nightout, "-q", "route", "--events", f"{data}/events.csv", "--officers", f"{data}/officers.csv",
        "--stations", f"{data}/police_stations.geojson"]
clock = lambda t: sum(int(x) * m for x, m in zip(t.split(":"), (3600, 60, 1)))
with tempfile.TemporaryDirectory() as tmp:
    subprocess.run(base + ["--iterations", "50000", "--out", f"{tmp}/first"], check=True)
    stops = list(csv.DictReader(open(f"{tmp}/first/stops.csv")))
    officers = [r["id"] for r in csv.DictReader(open(f"{data}/officers.csv"))]
    t = clock(now)
    last, done = {}, []
    for s in sorted(stops, key=lambda s: clock(s["start"])):
        if clock(s["start"]) <= t:
            last[s["officer_id"]] = s
            done.append(s)
    away = officers[:2]
    delayed = officers[2]
    with open(f"{tmp}/now.csv", "w") as f:
        f.write("id,at,available,status\n")
        for o in officers:
            if o in away:
                f.write(f"{o},,,away\n")
                continue
            s = last.get(o)
            free = max(t, clock(s["departure"])) if s else t
            if o == delayed: free += 20 * 60
            hhmm = f"{free // 3600:02d}:{free // 60 % 60:02d}"
            f.write(f"{o},{s['event_id'] if s else ''},{hhmm},\n" if s else f"{o},,{hhmm},\n")
    # Teams still at their station: give the station by name.
    rows = list(csv.reader(open(f"{tmp}/now.csv")))
    station = {r["id"]: r["start"] for r in csv.DictReader(open(f"{data}/officers.csv"))}
    with open(f"{tmp}/now.csv", "w", newline="") as f:
        w = csv.writer(f)
        for r in rows:
            if r[0] != "id" and r[3] != "away" and not r[1]: r[1] = station[r[0]]
            w.writerow(r)
    with open(f"{tmp}/visited.csv", "w") as f:
        f.write("event_id,officer_id\n" + "".join(f"{s['event_id']},{s['officer_id']}\n" for s in done))
    start = time.perf_counter()
    subprocess.run(base + ["--now", now, "--positions", f"{tmp}/now.csv", "--done", f"{tmp}/visited.csv",
                           "--previous", f"{tmp}/first/stops.csv", "--out", f"{tmp}/again"], check=True)
    wall = time.perf_counter() - start
    r = json.load(open(f"{tmp}/again/summary.json"))["result"]
    rp = r["replan"]
    print(json.dumps({"now": now, "wall_s": round(wall, 3), "solve_s": r["solver"]["seconds"], "prepare_s": r["prepare_seconds"],
                      "first_plan_visits": len(stops), "done": rp["done"], "promised": rp["promised"], "kept": rp["kept"],
                      "moved": rp["moved"], "dropped": rp["dropped"], "added": rp["added"], "visited_after": r["visited"],
                      "load": os.getloadavg()[0]}))
