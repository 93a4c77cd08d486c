#!/usr/bin/python3
"""nightout.distributed on a 2-worker LocalCluster over bench/scale data (generate.py), against the
single run's summary.json that run.sh wrote in DIR/out: wall time of the distributed call (the
partitioning, the workers' runs and the combination; reading the CSVs into GeoDataFrames is
timed apart), and the totals' equality.

    PYTHONPATH=build/python /usr/bin/python3 bench/scale/run_distributed.py /tmp/nightout-scale/1000000 [GRID]
"""
import json
import os
import sys
import time

import geopandas
import pandas
from distributed import Client, LocalCluster

import nightout.distributed as nd

def main():
    folder = sys.argv[1]
    grid = sys.argv[2] if len(sys.argv) > 2 else None
    started = time.time()
    blocks = pandas.read_csv(os.path.join(folder, "blocks.csv"))
    blocks = geopandas.GeoDataFrame(blocks.drop(columns="wkt"), geometry=geopandas.GeoSeries.from_wkt(blocks.wkt), crs="EPSG:4326")
    table = pandas.read_csv(os.path.join(folder, "events.csv"), float_precision="round_trip")
    events = geopandas.GeoDataFrame(table[["id"]], geometry=geopandas.points_from_xy(table.lon, table.lat), crs="EPSG:4326")
    read_s = time.time() - started
    with open(os.path.join(folder, "out", "summary.json")) as f:
        single = json.load(f)
    with open(os.path.join(folder, "time.txt")) as f:
        single_s = float(f.read().split()[0])
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, memory_limit=0) as cluster, Client(cluster) as client:
        # Two partitions per worker by default: one grid row of cells per partition would be too fine.
        side_km = (blocks.to_crs(blocks.estimate_utm_crs()).total_bounds[2] - blocks.to_crs(blocks.estimate_utm_crs()).total_bounds[0]) / 1000
        grid = grid or f"{side_km / 2 + 1:.0f}km"
        load = os.getloadavg()[0]
        started = time.time()
        r = nd.coverage(blocks, events, client=client, radius=["400m", "800m"], population_field="pop", grid=grid, threads=1)
        dist_s = time.time() - started
    equal = r.summary["totals"] == single["totals"]
    print(f"distributed {len(blocks)} blocks, {len(events)} events, {len(r.partitions)} partitions ({grid} grid): {dist_s:.1f} s "
          f"vs single {single_s:.1f} s = {dist_s / single_s:.2f}x; reading the CSVs into GeoDataFrames {read_s:.1f} s; "
          f"totals equal: {equal}; load at start {load:.1f}")
    for p in r.partitions:
        print(f"  partition {p.key}: {p.areas} areas, {p.events} events")
    if not equal:
        for k in single["totals"]:
            if single["totals"][k] != r.summary["totals"].get(k):
                print("  differs:", k, single["totals"][k], r.summary["totals"].get(k))
        sys.exit(1)


if __name__ == "__main__":  # the workers are spawned processes that import this file
    main()
