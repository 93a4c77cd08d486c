#!/usr/bin/env bash
# Peer benchmark of `nightout site` on the Charlotte sample: the same MCLP and p-median
# (464 neighborhoods as demand, 455 parks, libraries, schools and polling places as
# candidates, straight-line costs) solved by nightout's heuristic, by nightout --exact
# (CBC) and by PuLP + CBC with spopt's formulation, on the identical cost matrix.
# Usage (from the repository root): bench/site/run.sh [path/to/nightout]
# Needs: bash .ci/setup.sh --bench (python3-pulp, coinor-cbc). Environment: TIME_LIMIT (s, caps each
# exact solve; default 1800), MODELS (default "mclp pmedian"), MCLP_K, RADIUS, PMEDIAN_K (10, 800m, 10).
set -euo pipefail
BIN=${1:-build/nightout}
OUT=${OUT:-$(mktemp -d /tmp/nightout-site-bench.XXXXXX)}
TL=${TIME_LIMIT:-1800}
MODELS=${MODELS:-mclp pmedian}
MCLP_K=${MCLP_K:-10}
RADIUS=${RADIUS:-800m}
PMEDIAN_K=${PMEDIAN_K:-10}
D=data/charlotte
C=$D/parks.geojson,$D/libraries.geojson,$D/schools.geojson,$D/polling_locations.geojson
COMMON=(--demand "$D/neighborhoods.geojson" --population-field p1 --candidates "$C")
echo "machine: $(nproc) cores, $(uptime)" >&2

run_model() {  # name, nightout args...
  local name=$1; shift
  "$BIN" -q site "${COMMON[@]}" "$@" --write-problem --out "$OUT/$name-problem" >/dev/null
  for r in 1 2 3 4 5; do
    local t0=$(date +%s.%N)
    "$BIN" -q site "${COMMON[@]}" "$@" --out "$OUT/$name-heuristic" >/dev/null
    local t1=$(date +%s.%N)
    python3 -c "import json,sys; s=json.load(open('$OUT/$name-heuristic/summary.json')); print(json.dumps({'run':$r,'objective':s['result']['objective'],'solve_seconds':s['result']['solve_seconds'],'wall_seconds':$t1-$t0}))" >>"$OUT/$name-heuristic.jsonl"
  done
  "$BIN" -q site "${COMMON[@]}" "$@" --exact --time-limit "$TL" --out "$OUT/$name-exact" >/dev/null
  /usr/bin/python3 bench/site/pulp_peer.py "$OUT/$name-problem/problem.json" "$name" --time-limit "$TL" >"$OUT/$name-pulp.json"
}

for m in $MODELS; do
  case $m in
    mclp) run_model mclp --model mclp -k "$MCLP_K" --radius "$RADIUS" ;;
    pmedian) run_model pmedian --model pmedian -k "$PMEDIAN_K" ;;
  esac
done

/usr/bin/python3 - "$OUT" $MODELS <<'PY'
import json, statistics, sys
out, models = sys.argv[1], sys.argv[2:]
print("| model | solver | objective | bound / gap | time (s) |")
print("|---|---|---:|---|---:|")
for model in models:
    h = [json.loads(l) for l in open(f"{out}/{model}-heuristic.jsonl")]
    e = json.load(open(f"{out}/{model}-exact/summary.json"))["result"]
    p = json.load(open(f"{out}/{model}-pulp.json"))
    hs = statistics.median(r["solve_seconds"] for r in h)
    hw = statistics.median(r["wall_seconds"] for r in h)
    print(f"| {model} | nightout heuristic | {h[0]['objective']:.6f} | | {hs:.3f} solve, {hw:.2f} whole command (median of 5) |")
    gap = "optimal" if e["proven_optimal"] else f"bound {e['bound']:.6f}, gap {100*e['gap']:.3f}%"
    print(f"| {model} | nightout --exact (CBC) | {e['objective']:.6f} | {gap} | {e['solve_seconds']:.2f} |")
    print(f"| {model} | {p['peer']} | {p['objective']:.6f} | {p['status']} | {p['seconds']:.2f} (build {p['build_seconds']:.2f} + solve {p['solve_seconds']:.2f}) |")
    rel = abs(h[0]["objective"] - p["objective"]) / abs(p["objective"])
    print(f"|  | heuristic vs PuLP | {100*rel:.4f}% apart | | {p['seconds']/hs:.1f}x faster (solve), {p['seconds']/hw:.1f}x (whole command) |")
PY
echo "outputs in $OUT" >&2
