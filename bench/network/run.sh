#!/usr/bin/env bash
# Road-network benchmark (issue 3, point 9): nightout against OSMnx, NetworkX, igraph and
# pgRouting, side by side in one run on the same extract and the same points, plus a generated
# street grid of about a million nodes for scale.
#   bench/network/run.sh DATA_DIR      (DATA_DIR holds liechtenstein.osm.pbf)
# Env: BUILD (build dir, default build-bench; configured with -DNIGHTOUT_BENCH=ON and built if the
# programs are missing), RUNS (3: best of), SOURCES (100), STATIONS (20), EVENTS (500), SEED (42),
# GRID (1000: grid side; 0 skips the grid), GRID_POINTS (1000), PG (1; 0 skips pgRouting),
# OUT (work dir, default a new /tmp/bench-network.XXXXXX; kept), PYTHON (/usr/bin/python3),
# WAIT_IDLE (0: seconds to wait, at most, for the CPUs to be >= 90% idle over 10 s before starting).
# Needs: osmium-tool, python3-osmnx, python3-networkx, python3-igraph (Debian packages),
# postgresql-15 + postgresql-15-pgrouting + postgresql-15-postgis-3 (pgRouting runs in a
# throwaway cluster on a unix socket only, stopped on exit). Exits 1 if results disagree.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE=$ROOT/bench/network
DATA=$(cd "${1:?usage: run.sh DATA_DIR}" && pwd)
PBF=$DATA/liechtenstein.osm.pbf
[ -f "$PBF" ] || { echo "$PBF missing" >&2; exit 2; }
PY=${PYTHON:-/usr/bin/python3}
RUNS=${RUNS:-3} SOURCES=${SOURCES:-100} STATIONS=${STATIONS:-20} EVENTS=${EVENTS:-500} SEED=${SEED:-42}
GRID=${GRID:-1000} GRID_POINTS=${GRID_POINTS:-1000} PG=${PG:-1}
BUILD=${BUILD:-$ROOT/build-bench}
OUT=${OUT:-$(mktemp -d /tmp/bench-network.XXXXXX)}
mkdir -p "$OUT" && chmod 755 "$OUT"   # the postgres user reads nothing here (psql's \copy does), but keep it listable
NO=$BUILD/nightout O2A=$BUILD/bench/one_to_all TABLE=$BUILD/bench/table
if [ ! -x "$NO" ] || [ ! -x "$O2A" ] || [ ! -x "$TABLE" ]; then
  cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DNIGHTOUT_BENCH=ON >/dev/null
  cmake --build "$BUILD" -j2 --target nightout one_to_all table >/dev/null
fi
log() { echo "[$(date +%T)] $*" >&2; }
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.4f", b - a}'; }
minf() { awk -v a="$1" -v b="$2" 'BEGIN{print (a == "" || b < a) ? b : a}'; }
idle10() {  # % idle of all CPUs over the next 10 s, from /proc/stat
  local a b; a=($(head -1 /proc/stat)); sleep 10; b=($(head -1 /proc/stat))
  local ta=0 tb=0 i; for i in 1 2 3 4 5 6 7 8; do ta=$((ta + a[i])); tb=$((tb + b[i])); done
  echo $(( 100 * ((b[4] + b[5]) - (a[4] + a[5])) / (tb - ta) ))
}
if [ "${WAIT_IDLE:-0}" -gt 0 ]; then
  deadline=$(( $(date +%s) + WAIT_IDLE ))
  while :; do
    idle=$(idle10); log "CPUs ${idle}% idle over 10 s"
    [ "$idle" -ge 90 ] && break
    [ "$(date +%s)" -ge "$deadline" ] && { log "still busy after ${WAIT_IDLE}s: running anyway (see the load in the report)"; break; }
  done
fi
J=$OUT/results.jsonl; : >"$J"
put() { echo "$1" >>"$J"; }   # one JSON object per line, merged by report.py

put "{\"step\": \"machine\", \"uptime_start\": \"$(uptime | sed 's/^ *//')\", \"nproc\": $(nproc), \"cpu\": \"$(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1)\", \"mem_gib\": $(awk '/MemTotal/{printf "%.1f", $2/1048576}' /proc/meminfo), \"kernel\": \"$(uname -r)\", \"debian\": \"$(cat /etc/debian_version)\", \"commit\": \"$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo ?)$(git -C "$ROOT" diff --quiet HEAD -- src 2>/dev/null || echo '+uncommitted src changes')\", \"osmium\": \"$(osmium --version | head -1)\"}"

# ---- 1. graph build: nightout vs OSMnx graph_from_xml, same drive-road XML --------------------
# graph_from_xml keeps every way of the file, so both read the extract filtered to the roads the
# drive profile uses (untimed preparation).
log "prepare: osmium tags-filter -> drive roads as .osm XML"
osmium tags-filter "$PBF" w/highway=motorway,motorway_link,trunk,trunk_link,primary,primary_link,secondary,secondary_link,tertiary,tertiary_link,unclassified,residential,living_street,service,road \
  -f osm -o "$OUT/li-drive.osm" --overwrite
log "graph build: nightout x$RUNS"
B_IN= B_WALL= B_PBF=
for i in $(seq "$RUNS"); do
  s=$(now); line=$("$NO" graph build -q "$OUT/li-drive.osm" --profile drive -o "$OUT/li.graph"); e=$(now)
  B_WALL=$(minf "$B_WALL" "$(secs "$s" "$e")")
  B_IN=$(minf "$B_IN" "$(echo "$line" | sed -n 's/.*built in \([0-9.]*\) s.*/\1/p')")
  s=$(now); "$NO" graph build -q "$PBF" --profile drive -o "$OUT/li-pbf.graph" >/dev/null; e=$(now)
  B_PBF=$(minf "$B_PBF" "$(secs "$s" "$e")")
done
read -r B_NODES B_EDGES B_SC < <(echo "$line" | sed -n 's/.*: \([0-9]*\) nodes, \([0-9]*\) edges.*, \([0-9]*\) shortcuts.*/\1 \2 \3/p')
log "graph build: OSMnx x$RUNS (+1 whole process)"
OX=$("$PY" "$HERE/osmnx_build.py" "$OUT/li-drive.osm" "$RUNS")
s=$(now); "$PY" "$HERE/osmnx_build.py" "$OUT/li-drive.osm" 1 >/dev/null; e=$(now)
put "{\"step\": \"build\", \"nightout_s\": $B_IN, \"nightout_wall_s\": $B_WALL, \"nightout_pbf_wall_s\": $B_PBF, \"nodes\": $B_NODES, \"edges\": $B_EDGES, \"shortcuts\": $B_SC, \"osmnx\": $OX, \"osmnx_wall_s\": $(secs "$s" "$e")}"

# ---- 2. one-to-all: nightout::Dijkstra vs NetworkX vs igraph, same edge list and sources -------
"$NO" graph export -q "$OUT/li.graph" --out "$OUT/edges.csv" >/dev/null
"$PY" "$HERE/make_points.py" "$OUT/edges.csv" "$OUT" --sources "$SOURCES" --stations "$STATIONS" --events "$EVENTS" --seed "$SEED" >&2
log "one-to-all: nightout, NetworkX, igraph ($SOURCES sources, best of $RUNS)"
O2A_J=$("$O2A" "$OUT/li.graph" "$OUT/sources.txt" "$OUT/o2a_nightout.f64" "$RUNS")
PEERS_J=$("$PY" "$HERE/one_to_all_peers.py" "$OUT/edges.csv" "$OUT/sources.txt" "$OUT/o2a_nightout.f64" "$RUNS")
put "{\"step\": \"one_to_all\", \"nightout\": $O2A_J, \"peers\": $PEERS_J}"

# ---- 3. stations x events: nightout travel vs pgRouting ----------------------------------------
log "matrix: nightout travel ${STATIONS}x${EVENTS} (best of $RUNS, whole process)"
T_TR=
for i in $(seq "$RUNS"); do
  s=$(now); "$NO" travel -q --from "$OUT/stations.csv" --to "$OUT/events.csv" --network "$OUT/li.graph" --out "$OUT/matrix.csv"; e=$(now)
  T_TR=$(minf "$T_TR" "$(secs "$s" "$e")")
done
TB_J=$("$TABLE" "$OUT/li.graph" "$OUT/stations.csv" "$OUT/events.csv" 2 "$RUNS" dijkstra)
if [ "$PG" = 1 ]; then
  log "matrix: pgRouting (throwaway cluster, unix socket only)"
  PG_J=$(bash "$HERE/pgrouting.sh" "$OUT" "$RUNS")
  CM_J=$("$PY" "$HERE/compare_matrix.py" "$OUT/matrix.csv" "$OUT/stations.csv" "$OUT/events.csv" "$OUT/pgr_costmatrix.csv")
  CO_J=$("$PY" "$HERE/compare_matrix.py" "$OUT/matrix.csv" "$OUT/stations.csv" "$OUT/events.csv" "$OUT/pgr_cost.csv")
  put "{\"step\": \"matrix\", \"nightout_wall_s\": $T_TR, \"phases\": $TB_J, \"pgrouting\": $PG_J, \"agree_costmatrix\": $CM_J, \"agree_cost\": $CO_J}"
else
  put "{\"step\": \"matrix\", \"nightout_wall_s\": $T_TR, \"phases\": $TB_J}"
fi

# ---- 4. scale: a generated street grid, GRID x GRID intersections --------------------------------
if [ "$GRID" -gt 0 ]; then
  log "grid: generate ${GRID}x${GRID} as OSM XML, convert to PBF (untimed)"
  "$PY" "$HERE/make_grid.py" "$GRID" "$OUT/grid.osm" --points "$GRID_POINTS" --points-dir "$OUT" >&2
  osmium cat "$OUT/grid.osm" -o "$OUT/grid.osm.pbf" --overwrite && rm -f "$OUT/grid.osm"
  rss() { sed -n 's/.*Maximum resident set size (kbytes): //p' "$1"; }
  log "grid: nightout graph build (one run)"
  s=$(now); /usr/bin/time -v -o "$OUT/grid_build.time" "$NO" graph build -q "$OUT/grid.osm.pbf" --profile drive -o "$OUT/grid.graph" >"$OUT/grid_build.txt"; e=$(now)
  G_BUILD_WALL=$(secs "$s" "$e")
  G_BUILD_IN=$(sed -n 's/.*built in \([0-9.]*\) s.*/\1/p' "$OUT/grid_build.txt")
  read -r G_NODES G_EDGES G_SC < <(sed -n 's/.*: \([0-9]*\) nodes, \([0-9]*\) edges.*, \([0-9]*\) shortcuts.*/\1 \2 \3/p' "$OUT/grid_build.txt")
  log "grid: nightout travel ${GRID_POINTS}x${GRID_POINTS} (best of $RUNS, whole process)"
  G_TR= G_TR_RSS=0
  for i in $(seq "$RUNS"); do
    s=$(now); /usr/bin/time -v -o "$OUT/grid_travel.time" "$NO" travel -q --from "$OUT/grid_from.csv" --to "$OUT/grid_to.csv" --network "$OUT/grid.graph" --out "$OUT/grid_matrix.csv"; e=$(now)
    G_TR=$(minf "$G_TR" "$(secs "$s" "$e")"); r=$(rss "$OUT/grid_travel.time"); [ "$r" -gt "$G_TR_RSS" ] && G_TR_RSS=$r
  done
  G_OK=$(awk -F, 'NR > 1 && $5 == "ok"' "$OUT/grid_matrix.csv" | wc -l)
  G_PH=$("$TABLE" "$OUT/grid.graph" "$OUT/grid_from.csv" "$OUT/grid_to.csv" 2 1)
  log "grid: check the hierarchy against plain Dijkstra on 20 x $GRID_POINTS pairs"
  head -21 "$OUT/grid_from.csv" >"$OUT/grid_from20.csv"
  G_CHK=$("$TABLE" "$OUT/grid.graph" "$OUT/grid_from20.csv" "$OUT/grid_to.csv" 2 1 dijkstra)
  put "{\"step\": \"grid\", \"side\": $GRID, \"points\": $GRID_POINTS, \"nodes\": $G_NODES, \"edges\": $G_EDGES, \"shortcuts\": $G_SC, \"build_s\": $G_BUILD_IN, \"build_wall_s\": $G_BUILD_WALL, \"build_rss_kb\": $(rss "$OUT/grid_build.time"), \"graph_file_bytes\": $(stat -c %s "$OUT/grid.graph"), \"travel_wall_s\": $G_TR, \"travel_rss_kb\": $G_TR_RSS, \"ok_pairs\": $G_OK, \"phases\": $G_PH, \"check\": $G_CHK}"
  rm -f "$OUT/grid_matrix.csv"  # ~40 MB
fi
put "{\"step\": \"end\", \"uptime_end\": \"$(uptime | sed 's/^ *//')\"}"
"$PY" "$HERE/report.py" "$J"
