#!/usr/bin/env bash
# Prize-collecting (TOPTW) benchmark of `nightout route --toptw` against Righini and Salani's
# proven one-route optima, and the profits with 2, 3, 4 routes.
# Usage (from the repository root): bench/route/toptw.sh DATA [path/to/nightout]
#   DATA holds toptw/*.txt and toptw/optimal_m1.txt, e.g. ../shared/data.
# Environment: TIME_LIMIT (s per run, default 10), SEED (default 1), ROUTES (default "1 2 3 4"),
# DISTANCES (exact or tenth, default exact), OUT (answers folder).
# Every answer is re-checked by bench/route/check.py from the instance file itself.
set -euo pipefail
DATA=${1:?usage: bench/route/toptw.sh DATA [nightout]}
BIN=${2:-build/nightout}
TL=${TIME_LIMIT:-10}
SEED=${SEED:-1}
ROUTES=${ROUTES:-1 2 3 4}
DIST=${DISTANCES:-exact}
OUT=${OUT:-$(mktemp -d /tmp/nightout-toptw-bench.XXXXXX)}
CHECK="/usr/bin/python3 $(dirname "$0")/check.py"
mkdir -p "$OUT"
RES="$OUT/results.jsonl"
: >"$RES"
echo "machine: $(nproc) cores; time limit ${TL}s per run; distances $DIST; answers in $OUT" >&2
for f in "$DATA"/toptw/*.txt; do
  name=$(basename "$f" .txt)
  [ "$name" = optimal_m1 ] && continue
  for m in $ROUTES; do
    "$BIN" -q route --toptw "$f" --vehicles "$m" --distances "$DIST" --time-limit "$TL" --seed "$SEED" >"$OUT/$name-m$m.json"
    $CHECK toptw "$f" "$OUT/$name-m$m.json" "$DATA/toptw/optimal_m1.txt" | tee -a "$RES" >&2
  done
done
$CHECK table "$RES"
