#!/usr/bin/env bash
# Charlotte's 2027 program: 464 neighborhoods, 455 candidate sites (parks, libraries, schools,
# polling places), two events a week (104 slots) plus National Night Out, 13-week windows,
# 8-week site gap, federal holidays out, reach 1600 m. The heuristic (with its Lagrangian
# bound) against CBC on the same instance with growing time limits.
# Usage: bash bench/program/run.sh [build/nightout]   (figures in docs/benchmarks.md)
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${1:-build/nightout}
d=data/charlotte
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
run() {
  "$bin" program -q --areas $d/neighborhoods.geojson --population-field p1 \
    --candidates $d/parks.geojson,$d/libraries.geojson,$d/schools.geojson,$d/polling_locations.geojson \
    --indoor libraries,schools,polling_locations --fixed $d/program_fixed.csv \
    --from 2027-01-01 --to 2027-12-31 --per-week 2 --radius 1600m --site-gap 8w --every 13w \
    --blackout $d/holidays_2027.csv --out "$out/r" "$@" > /dev/null
  /usr/bin/python3 -c "
import json, sys
s = json.load(open('$out/r/summary.json')); o = s['objective']
print(f\"{sys.argv[1]:<28} slots {s['slots']:>4}  value {o['value']:>10.0f}  bound {o['bound']:>10.0f}  gap {100*o['gap']:6.3f}%  \"
      f\"solve {s['solve_seconds']:6.2f} s  (heuristic {o['heuristic_seconds']:.2f} s, bound {o['bound_seconds']:.2f} s, CBC {o['exact_seconds']} s)  whole run {s['seconds']:.2f} s\")
" "$*"
}
echo "# $(date -u +%F) $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB; $("$bin" --version)"
for seed in 1 2 3; do run --seed $seed; done
for t in 5 10 20 40 80; do run --exact --restarts 0 --time-limit $t; done
