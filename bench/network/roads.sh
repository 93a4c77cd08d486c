#!/usr/bin/env bash
# Preparation and table timings of the drive profile on Liechtenstein (issue 17: the cost of
# barriers, restricted access and the calibrated speed model), for docs/benchmarks.md.
#   bench/network/roads.sh [BUILD_DIR [EXTRACT]]
# BUILD_DIR holds nightout and bench/table (configure with -DNIGHTOUT_BENCH=ON); EXTRACT defaults
# to data/liechtenstein/roads.osm.pbf. Points: 1000 random graph nodes (make_points.py, seed 42)
# as both sources and targets. Prints the table program's JSON line three times: load_s is one
# in-process preparation (read, graph, hierarchy), ch_table_s the best of 3 1000 x 1000 tables.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${1:-$ROOT/build}
PBF=${2:-$ROOT/data/liechtenstein/roads.osm.pbf}
OUT=$(mktemp -d /tmp/bench-roads.XXXXXX)
trap 'rm -rf "$OUT"' EXIT
"$BUILD/nightout" -q graph export "$PBF" --profile drive --out "$OUT/edges.csv"
/usr/bin/python3 "$ROOT/bench/network/make_points.py" "$OUT/edges.csv" "$OUT" --sources 1 --stations 1 --events 1000 >/dev/null
for r in 1 2 3; do
  line=$("$BUILD/bench/table" "$PBF" "$OUT/events.csv" "$OUT/events.csv" 2 3)
  echo "$line"
done
