#!/usr/bin/env bash
# pgRouting side of bench/network/run.sh: a throwaway PostgreSQL 15 cluster (unix socket in a
# temporary directory, no TCP: listen_addresses=''), stopped and deleted on exit.
#   pgrouting.sh WORK_DIR RUNS
# Reads WORK_DIR/edges.csv (`nightout graph export`), stations.csv and events.csv (make_points.py).
# Node ids are shifted by +1 for pgRouting (ids >= 1) and shifted back in the outputs.
# Times, best of RUNS, with psql's \timing (server round trip of one statement):
#   pgr_dijkstraCostMatrix over the union of station and event nodes (it computes the whole
#   square matrix among them), keeping the stations x events block  -> pgr_costmatrix.csv
#   pgr_dijkstraCost(stations, events), the many-to-many on the same pairs   -> pgr_cost.csv
# Prints one JSON line: costmatrix_s, cost_s, versions.
set -euo pipefail
WORK=$(cd "$1" && pwd) RUNS=${2:-3}
BIN=/usr/lib/postgresql/15/bin
[ -x "$BIN/initdb" ] || { echo "PostgreSQL 15 missing: apt-get install postgresql-15 postgresql-15-postgis-3 postgresql-15-pgrouting" >&2; exit 2; }
[ -f /usr/share/postgresql/15/extension/pgrouting.control ] || { echo "pgRouting missing: apt-get install postgresql-15-pgrouting postgresql-15-postgis-3" >&2; exit 2; }
PGD=$(mktemp -d /tmp/nightout-pg.XXXXXX)
PORT=$((50000 + RANDOM % 10000))  # only names the socket file; nothing listens on TCP
AS_PG=()
if [ "$(id -u)" = 0 ]; then chown postgres: "$PGD"; AS_PG=(runuser -u postgres --); fi
stop() {
  "${AS_PG[@]}" "$BIN/pg_ctl" -D "$PGD/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PGD"
}
trap stop EXIT
"${AS_PG[@]}" "$BIN/initdb" -D "$PGD/data" -A trust -U postgres --no-sync -E UTF8 >"$PGD/initdb.log" 2>&1 || { cat "$PGD/initdb.log" >&2; exit 1; }
"${AS_PG[@]}" "$BIN/pg_ctl" -D "$PGD/data" -l "$PGD/server.log" -w -t 60 \
  -o "-c listen_addresses='' -c unix_socket_directories='$PGD' -c port=$PORT -c fsync=off -c synchronous_commit=off -c shared_buffers=256MB -c work_mem=256MB -c max_parallel_workers_per_gather=0 -c jit=off" \
  start >/dev/null || { cat "$PGD/server.log" >&2; exit 1; }
PSQL=(psql -X -q -v ON_ERROR_STOP=1 -h "$PGD" -p "$PORT" -U postgres -d postgres)

"${PSQL[@]}" <<SQL
CREATE EXTENSION postgis;
CREATE EXTENSION pgrouting;
CREATE TABLE raw (from_node bigint, to_node bigint, from_lon float8, from_lat float8, to_lon float8, to_lat float8, length_m float8, duration_s float8);
\copy raw FROM '$WORK/edges.csv' WITH (FORMAT csv, HEADER true)
CREATE TABLE edges AS SELECT row_number() OVER () AS id, from_node + 1 AS source, to_node + 1 AS target, duration_s AS cost, length_m FROM raw;
CREATE TABLE stations (id text, node bigint, lat float8, lon float8);
CREATE TABLE events (id text, node bigint, lat float8, lon float8);
\copy stations FROM '$WORK/stations.csv' WITH (FORMAT csv, HEADER true)
\copy events FROM '$WORK/events.csv' WITH (FORMAT csv, HEADER true)
VACUUM ANALYZE;
SQL

# The two timed statements (results to CSV on the client), each run RUNS times.
Q_MATRIX="\\copy (SELECT m.start_vid - 1 AS from_node, m.end_vid - 1 AS to_node, m.agg_cost FROM pgr_dijkstraCostMatrix('SELECT id, source, target, cost FROM edges', (SELECT array_agg(DISTINCT v) FROM (SELECT node + 1 AS v FROM stations UNION SELECT node + 1 FROM events) u), directed => true) m WHERE m.start_vid - 1 IN (SELECT node FROM stations) AND m.end_vid - 1 IN (SELECT node FROM events)) TO '$WORK/pgr_costmatrix.csv' WITH (FORMAT csv, HEADER true)"
Q_COST="\\copy (SELECT start_vid - 1 AS from_node, end_vid - 1 AS to_node, agg_cost FROM pgr_dijkstraCost('SELECT id, source, target, cost FROM edges', (SELECT array_agg(DISTINCT node + 1) FROM stations), (SELECT array_agg(DISTINCT node + 1) FROM events), directed => true)) TO '$WORK/pgr_cost.csv' WITH (FORMAT csv, HEADER true)"
best() {  # best of RUNS runs of one statement, by psql's \timing ("Time: 123.456 ms")
  local q=$1 i out
  out=$(for i in $(seq "$RUNS"); do printf '\\timing on\n%s\n' "$q"; done | "${PSQL[@]}")
  echo "$out" | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' | sort -g | head -1
}
T_MATRIX=$(best "$Q_MATRIX")
T_COST=$(best "$Q_COST")
V_PG=$("${PSQL[@]}" -tAc "SHOW server_version")
V_PGR=$("${PSQL[@]}" -tAc "SELECT pgr_version()")
V_POSTGIS=$("${PSQL[@]}" -tAc "SELECT postgis_lib_version()")
printf '{"costmatrix_s": %s, "cost_s": %s, "postgresql": "%s", "pgrouting": "%s", "postgis": "%s"}\n' \
  "$(awk -v t="$T_MATRIX" 'BEGIN{print t/1000}')" "$(awk -v t="$T_COST" 'BEGIN{print t/1000}')" "$V_PG" "$V_PGR" "$V_POSTGIS"
