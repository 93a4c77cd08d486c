#!/usr/bin/env bash
# Travel tables by shape (issue 19): N sources x every node, and 1000 x 1000, end to end as a
# user runs them (`nightout travel --network prepared.graph`), side by side with NetworkX's
# Dijkstras on the exported edge list (end to end too: Python's start, reading, searching and
# writing the table), plus each table method of src/network/ch.hpp timed in process
# (bench/table_methods) and graph preparation's time and peak memory.
#   bench/network/shapes.sh DATA_DIR [EXTRACT...]   (default: liechtenstein porto_portugal)
# Env: BUILD (build dir with -DNIGHTOUT_BENCH=ON; default build), RUNS (3, interleaved, best of),
# OUT (work dir; kept), PYTHON, SOURCES_LI (100), SOURCES_PORTO (20), POINTS (1000), NX (1; 0 skips
# NetworkX). Prints one JSON line per step.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE=$ROOT/bench/network
DATA=$(cd "${1:?usage: shapes.sh DATA_DIR [EXTRACT...]}" && pwd); shift
EXTRACTS=("$@"); [ ${#EXTRACTS[@]} -gt 0 ] || EXTRACTS=(liechtenstein porto_portugal)
PY=${PYTHON:-/usr/bin/python3}
RUNS=${RUNS:-3} POINTS=${POINTS:-1000} NX=${NX:-1}
BUILD=${BUILD:-$ROOT/build}
OUT=${OUT:-$(mktemp -d /tmp/bench-shapes.XXXXXX)}
NO=$BUILD/nightout TM=$BUILD/bench/table_methods
[ -x "$NO" ] && [ -x "$TM" ] || { echo "build $BUILD with -DNIGHTOUT_BENCH=ON first" >&2; exit 2; }
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.4f", b - a}'; }
minf() { awk -v a="$1" -v b="$2" 'BEGIN{print (a == "" || b < a) ? b : a}'; }
rss_mib() { awk '/Maximum resident set size/{printf "%.0f", $6 / 1024}' "$1"; }
echo "{\"step\": \"machine\", \"date\": \"$(date -u +%FT%TZ)\", \"uptime\": \"$(uptime | sed 's/^ *//')\", \"nproc\": $(nproc), \"commit\": \"$(git -C "$ROOT" rev-parse --short HEAD)\"}"
for x in "${EXTRACTS[@]}"; do
  pbf=$DATA/$x.osm.pbf
  s=$(now); /usr/bin/time -v -o "$OUT/$x.build.time" "$NO" graph build -q "$pbf" --profile drive -o "$OUT/$x.graph" >"$OUT/$x.build.txt"; e=$(now)
  read -r nodes edges < <(sed -n 's/.*: \([0-9]*\) nodes, \([0-9]*\) edges.*/\1 \2/p' "$OUT/$x.build.txt")
  bytes=$(stat -c %s "$OUT/$x.graph")
  echo "{\"step\": \"build\", \"extract\": \"$x\", \"nodes\": $nodes, \"edges\": $edges, \"wall_s\": $(secs "$s" "$e"), \"peak_rss_mib\": $(rss_mib "$OUT/$x.build.time"), \"graph_bytes\": $bytes, \"bytes_per_edge\": $((bytes / edges))}"
  "$NO" graph export -q "$OUT/$x.graph" --out "$OUT/$x.edges.csv" >/dev/null
  "$PY" "$HERE/all_nodes.py" "$OUT/$x.edges.csv" "$OUT/$x.all.csv"
  n_src=$([ "$x" = liechtenstein ] && echo "${SOURCES_LI:-100}" || echo "${SOURCES_PORTO:-20}")
  "$PY" "$HERE/make_points.py" "$OUT/$x.edges.csv" "$OUT" --sources 1 --stations "$n_src" --events "$POINTS" --seed 42 >/dev/null
  mv "$OUT/stations.csv" "$OUT/$x.src.csv"; mv "$OUT/events.csv" "$OUT/$x.pts.csv"
  "$PY" "$HERE/make_points.py" "$OUT/$x.edges.csv" "$OUT" --sources 1 --stations "$POINTS" --events 1 --seed 43 >/dev/null
  mv "$OUT/stations.csv" "$OUT/$x.pts_from.csv"
  # N x all nodes: nightout vs NetworkX, interleaved.
  T_NO= T_NX=
  for i in $(seq "$RUNS"); do
    s=$(now); "$NO" travel -q --from "$OUT/$x.src.csv" --to "$OUT/$x.all.csv" --network "$OUT/$x.graph" --out "$OUT/$x.all_matrix.csv" >/dev/null; e=$(now)
    T_NO=$(minf "$T_NO" "$(secs "$s" "$e")")
    if [ "$NX" = 1 ]; then
      s=$(now); "$PY" "$HERE/networkx_table.py" "$OUT/$x.edges.csv" "$OUT/$x.src.csv" "$OUT/$x.all.csv" "$OUT/$x.nx_matrix.csv"; e=$(now)
      T_NX=$(minf "$T_NX" "$(secs "$s" "$e")")
    fi
  done
  AGREE=$("$PY" - "$OUT/$x.all_matrix.csv" "$OUT/$x.nx_matrix.csv" <<'PY' 2>/dev/null || echo null
import csv, sys
a = {(r["from_id"], r["to_id"]): r["duration_s"] for r in csv.DictReader(open(sys.argv[1]))}
worst = 0.0; n = 0
for r in csv.DictReader(open(sys.argv[2])):
    x, y = a[(r["from_id"], r["to_id"])], r["duration_s"]
    if (x == "") != (y == ""): worst = float("inf")
    elif x: worst = max(worst, abs(float(x) - float(y))); n += 1
print('{"pairs": %d, "max_abs_diff_s": %s}' % (n, "null" if worst == float("inf") else "%.4f" % worst))
PY
)
  echo "{\"step\": \"n_x_all\", \"extract\": \"$x\", \"sources\": $n_src, \"targets\": $nodes, \"nightout_wall_s\": $T_NO, \"networkx_wall_s\": ${T_NX:-null}, \"agree\": $AGREE, \"methods\": $("$TM" "$OUT/$x.graph" "$OUT/$x.src.csv" "$OUT/$x.all.csv" 2 "$RUNS")}"
  # POINTS x POINTS, whole command.
  T_K=
  for i in $(seq "$RUNS"); do
    s=$(now); "$NO" travel -q --from "$OUT/$x.pts_from.csv" --to "$OUT/$x.pts.csv" --network "$OUT/$x.graph" --out "$OUT/$x.k_matrix.csv" >/dev/null; e=$(now)
    T_K=$(minf "$T_K" "$(secs "$s" "$e")")
  done
  T_W=
  for i in $(seq "$RUNS"); do
    s=$(now); "$NO" travel -q --from "$OUT/$x.pts_from.csv" --to "$OUT/$x.pts.csv" --network "$OUT/$x.graph" --out "$OUT/$x.k_wide.csv" --layout wide >/dev/null; e=$(now)
    T_W=$(minf "$T_W" "$(secs "$s" "$e")")
  done
  echo "{\"step\": \"k_x_k\", \"extract\": \"$x\", \"points\": $POINTS, \"nightout_wall_s\": $T_K, \"nightout_wide_wall_s\": $T_W, \"long_bytes\": $(stat -c %s "$OUT/$x.k_matrix.csv"), \"wide_bytes\": $(stat -c %s "$OUT/$x.k_wide.csv"), \"osrm_warm_server_s_stored\": 0.43, \"methods\": $("$TM" "$OUT/$x.graph" "$OUT/$x.pts_from.csv" "$OUT/$x.pts.csv" 2 "$RUNS")}"
  rm -f "$OUT"/$x.*matrix.csv "$OUT/$x.k_wide.csv"
done
echo "{\"step\": \"end\", \"uptime\": \"$(uptime | sed 's/^ *//')\"}"
