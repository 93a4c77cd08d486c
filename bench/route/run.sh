#!/usr/bin/env bash
# VRPTW and TSP benchmarks of `nightout route` against published best-known solutions.
# Usage (from the repository root): bench/route/run.sh DATA [path/to/nightout]
#   DATA holds vrptw/solomon/*.txt, vrptw/homberger_200/*.txt (with vrptw/*_bks.csv) and
#   tsplib/*.tsp (with tsplib/optimal_values.txt), e.g. ../shared/data.
# Environment: TIME_LIMIT (s per instance, default 10), SEED (default 1), OUT (answers folder),
# ONLY (solomon, homberger, tsplib or all; default all).
# Every answer is re-checked by bench/route/check.py from the instance file itself.
set -euo pipefail
DATA=${1:?usage: bench/route/run.sh DATA [nightout]}
BIN=${2:-build/nightout}
TL=${TIME_LIMIT:-10}
SEED=${SEED:-1}
ONLY=${ONLY:-all}
OUT=${OUT:-$(mktemp -d /tmp/nightout-route-bench.XXXXXX)}
CHECK="/usr/bin/python3 $(dirname "$0")/check.py"
mkdir -p "$OUT"
RES="$OUT/results.jsonl"
: >"$RES"
echo "machine: $(nproc) cores; time limit ${TL}s per instance; answers in $OUT" >&2

vrptw() {  # folder, bks csv
  for f in "$DATA"/vrptw/$1/*.txt; do
    [ -e "$f" ] || continue
    local name fleet
    name=$(basename "$f" .txt)
    fleet=$(awk 'toupper($1)=="NUMBER"{getline; print $1; exit}' "$f")
    "$BIN" -q route --solomon "$f" --vehicles "$fleet" --time-limit "$TL" --seed "$SEED" >"$OUT/$name.json"
    $CHECK solomon "$f" "$OUT/$name.json" "$DATA/vrptw/$2" | tee -a "$RES" >&2
  done
}
case $ONLY in all|solomon) vrptw solomon solomon_bks.csv ;; esac
case $ONLY in all|homberger) vrptw homberger_200 homberger_200_bks.csv ;; esac
case $ONLY in all|tsplib)
  for f in "$DATA"/tsplib/*.tsp; do
    name=$(basename "$f" .tsp)
    "$BIN" -q route --tsplib "$f" --time-limit "$TL" --seed "$SEED" >"$OUT/$name.json"
    $CHECK tsplib "$f" "$OUT/$name.json" "$DATA/tsplib/optimal_values.txt" | tee -a "$RES" >&2
  done ;;
esac
$CHECK table "$RES"
