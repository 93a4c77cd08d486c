#!/usr/bin/env bash
# Side-by-side benchmark: `nightout coverage` vs GeoPandas on the same data, same run.
#   bench/coverage/run.sh [DATA_DIR]      (default: ../shared/data/charlotte from the repo root)
# Builds nothing: times build/nightout (or $NIGHTOUT). Each tool runs end to end (load, compute,
# write); best wall clock of $RUNS runs (hyperfine if installed). nightout's -q still prints a
# 3-line summary on stdout, which is dropped. Env: NIGHTOUT, PYTHON, RUNS, TOL, OUT, RADII, and for
# other data AREAS, EVENTS (files; default DATA_DIR's Charlotte names), AREAS_ID (default id),
# POP_GROUPS (NAME=FIELD,... percent fields of the areas; default Charlotte's five: p8 p9 p10 p11 p13),
# EVENTS_ID (default parcel_id for Charlotte, else the events' own ids) and POP (the areas'
# population field; default p1 for Charlotte, else none).
# Exits non-zero if per-area covered_share differs by more than $TOL at any radius, or the
# two tools chose different projections.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DATA=$(cd "${1:-$ROOT/../shared/data/charlotte}" && pwd)
PY=${PYTHON:-/usr/bin/python3}   # Debian's python: geopandas, shapely, pyproj from apt
RUNS=${RUNS:-3} TOL=${TOL:-0.002} RADII=${RADII:-400m,800m}
OUT=${OUT:-$(mktemp -d /tmp/bench-coverage.XXXXXX)}
if [ -z "${AREAS:-}" ] && [ -z "${EVENTS:-}" ]; then
  EVENTS_ID=${EVENTS_ID-parcel_id} POP=${POP-p1}   # the Charlotte files' fields
  POP_GROUPS=${POP_GROUPS-white=p8,black=p9,asian=p10,other=p11,hispanic=p13}  # five groups (POP_GROUPS= for none)
fi
POP_GROUPS=${POP_GROUPS:-}
AREAS=${AREAS:-$DATA/neighborhood_profile_areas.geojson} EVENTS=${EVENTS:-$DATA/tax_exempt_properties.geojson}
AREAS_ID=${AREAS_ID:-id} EVENTS_ID=${EVENTS_ID:-} POP=${POP:-}
NIGHTOUT=${NIGHTOUT:-$ROOT/build/nightout}   # override to time another build of nightout
[ -x "$NIGHTOUT" ] || { echo "$NIGHTOUT missing: build it first" >&2; exit 2; }

NO=("$NIGHTOUT" coverage -q --areas "$AREAS" --areas-id "$AREAS_ID" --events "$EVENTS" --radius "$RADII" --out "$OUT/nightout")
GP=("$PY" "$ROOT/bench/coverage/geopandas_coverage.py" "$AREAS" "$EVENTS" "$OUT/geopandas" "$RADII" --areas-id "$AREAS_ID")
[ -n "$EVENTS_ID" ] && NO+=(--events-id "$EVENTS_ID")
[ -n "$POP" ] && NO+=(--population-field "$POP") && GP+=(--population-field "$POP")
for g in ${POP_GROUPS//,/ }; do NO+=(--group "$g"); GP+=(--group "$g"); done

if command -v hyperfine >/dev/null; then
  hyperfine -w 1 -r "$RUNS" --export-json "$OUT/hyperfine.json" -n nightout "${NO[*]@Q} >/dev/null" -n geopandas "${GP[*]@Q}" >&2
  read -r T_NO T_GP < <("$PY" -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"]; print(*(x["min"] for x in r))' "$OUT/hyperfine.json")
else
  # Interleave the tools so a slow spell on the machine hits both alike; keep the best run.
  T_NO=inf T_GP=inf
  best() { "$PY" -c 'import sys; b, s, e = map(float, sys.argv[1:]); print(min(b, e - s))' "$@"; }  # best so far, start, end
  for i in $(seq "$RUNS"); do
    s=$(date +%s.%N); "${NO[@]}" >/dev/null; e=$(date +%s.%N); T_NO=$(best "$T_NO" "$s" "$e")
    s=$(date +%s.%N); "${GP[@]}"; e=$(date +%s.%N); T_GP=$(best "$T_GP" "$s" "$e")
    echo "run $i/$RUNS: nightout best ${T_NO}s, geopandas best ${T_GP}s" >&2
  done
fi

# Compare per-area covered_share at every radius (joined on the area id) and print the table.
"$PY" - "$OUT" "$RADII" "$TOL" "$T_NO" "$T_GP" "$AREAS_ID" <<'EOF'
import json, sys
out, radii, tol, t_no, t_gp, id_field = sys.argv[1], sys.argv[2].split(","), float(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]), sys.argv[6]
# nightout writes the area id as "id"; the peer keeps the input's own id field.
load = lambda tool, key: {str(f["properties"][key]): f["properties"] for f in json.load(open(f"{out}/{tool}/neighborhoods.geojson"))["features"]}
no, gp = load("nightout", "id"), load("geopandas", id_field)
ok = no.keys() == gp.keys()
proj_no = json.load(open(f"{out}/nightout/summary.json"))["parameters"]["projection"]["proj"]
proj_gp = json.load(open(f"{out}/geopandas/summary.json"))["projection"]
ok &= proj_no == proj_gp
print(f"areas: {len(no)} nightout, {len(gp)} geopandas; projections {'agree' if proj_no == proj_gp else 'DIFFER'}: {proj_no}")
worst = 0.0
for r in radii:
    d = [abs(no[k][f"covered_share_{r}"] - gp[k][f"covered_share_{r}"]) for k in no.keys() & gp.keys()]
    bad = sum(x > tol for x in d)
    worst = max(worst, max(d))
    ok &= bad == 0
    m2 = max(abs(no[k][f"covered_m2_{r}"] - gp[k][f"covered_m2_{r}"]) for k in no.keys() & gp.keys())
    print(f"covered_share_{r}: max |Δ| {max(d):.2e}, {bad} areas differ by > {tol}; max |Δ covered_m2| {m2:.2f} m²")
# Groups: each group's share reached and the Gini, per radius, from the two summaries.
eq_no = json.load(open(f"{out}/nightout/summary.json")).get("equity", {}).get("breaks", [])
eq_gp = json.load(open(f"{out}/geopandas/summary.json")).get("equity", [])
for a, b in zip(eq_no, eq_gp):
    d = max([abs(x["share"] - y["share"]) for x, y in zip(a["groups"], b["groups"])] + [abs(a["gini"] - b["gini"])])
    ok &= d <= tol
    print(f"groups at {a['label']}: " + ", ".join(f"{x['name']} {100 * x['share']:.2f}%" for x in a["groups"]) +
          f"; Gini {a['gini']:.4f}; max |Δ| vs GeoPandas {d:.1e}")
print(f"\n| tool | seconds (best of runs) | speed-up vs GeoPandas | max \\|Δ share\\| |")
print(f"|---|---:|---:|---:|")
print(f"| nightout | {t_no:.2f} | {t_gp / t_no:.2f}x | {worst:.1e} |")
print(f"| GeoPandas | {t_gp:.2f} | 1.00x | - |")
print(f"\noutputs in {out}; agreement {'OK' if ok else 'FAILED'}")
sys.exit(0 if ok else 1)
EOF
