#!/usr/bin/env python3
"""Scale check of `nightout route`: 1,500 events with 3-hour windows over Charlotte and 40
officers at the 15 police stations, straight-line travel at 30 km/h.

  bench/route/scale.py [nightout] [--time-limit S] [--events N] [--officers K] [--seed N]

Events are drawn uniformly over the bounding box of the sample events (seeded, so every run
plans the same evening); windows start between 16:00 and 20:00 on the half hour and last 3 h;
visits take 15 min; priorities 1-3. Shifts run 16:00-24:00. Prints the visited share, the
travel, and the wall time of the whole command (reading, matrix, solving, writing).
"""
import argparse
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import time

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(os.path.dirname(here))
ap = argparse.ArgumentParser()
ap.add_argument('nightout', nargs='?', default=os.path.join(root, 'build', 'nightout'))
ap.add_argument('--time-limit', type=float, default=30)
ap.add_argument('--events', type=int, default=1500)
ap.add_argument('--officers', type=int, default=40)
ap.add_argument('--seed', type=int, default=1)
a = ap.parse_args()

rng = random.Random(a.seed)
sample = list(csv.DictReader(open(os.path.join(root, 'data', 'charlotte', 'events.csv'))))
lats = [float(r['lat']) for r in sample]
lons = [float(r['lon']) for r in sample]
stations = json.load(open(os.path.join(root, 'data', 'charlotte', 'police_stations.geojson')))['features']
work = tempfile.mkdtemp(prefix='nightout-route-scale.')
with open(os.path.join(work, 'events.csv'), 'w', newline='') as f:
    w = csv.writer(f)
    w.writerow(['id', 'name', 'lat', 'lon', 'start', 'end', 'priority'])
    for i in range(a.events):
        start = 16 * 60 + 30 * rng.randrange(9)
        end = start + 180
        w.writerow([f'S{i + 1:04d}', f'Event {i + 1}', round(rng.uniform(min(lats), max(lats)), 6), round(rng.uniform(min(lons), max(lons)), 6),
                    f'{start // 60:02d}:{start % 60:02d}', f'{end // 60:02d}:{end % 60:02d}', rng.choice([1, 1, 2, 3])])
with open(os.path.join(work, 'officers.csv'), 'w', newline='') as f:
    w = csv.writer(f)
    w.writerow(['id', 'start', 'shift_start', 'shift_end'])
    for k in range(a.officers):
        w.writerow([f'O{k + 1:02d}', stations[k % len(stations)]['properties']['name'], '16:00', '24:00'])
out = os.path.join(work, 'out')
cmd = [a.nightout, '-q', 'route', '--events', os.path.join(work, 'events.csv'), '--officers', os.path.join(work, 'officers.csv'),
       '--stations', os.path.join(root, 'data', 'charlotte', 'police_stations.geojson'), '--time-limit', str(a.time_limit), '--out', out]
t0 = time.time()
subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
wall = time.time() - t0
s = json.load(open(os.path.join(out, 'summary.json')))['result']
print(json.dumps({'events': s['events'], 'officers': s['officers'], 'officers_used': s['officers_used'], 'visited': s['visited'],
                  'visited_share': s['visited_share'], 'priority_visited': s['priority_visited'], 'priority_total': s['priority_total'],
                  'travel_min': s['travel_min'], 'travel_km': s['travel_km'], 'work_min_max': s['work_min_max'],
                  'solver_seconds': s['solver']['seconds'], 'iterations': s['solver']['iterations'], 'prepare_seconds': s['prepare_seconds'],
                  'wall_seconds': round(wall, 2), 'unvisited_reasons': s['unvisited_reasons'], 'outputs': out}, indent=1))
