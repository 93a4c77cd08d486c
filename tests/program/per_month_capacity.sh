#!/usr/bin/env bash
# `nightout program --per-month` with site capacities (max_events), re-read by the independent
# validator, and shown to bind: usage: per_month_capacity.sh NIGHTOUT DATA_DIR VALIDATOR OUT
#  1. Libraries only, January to June 2027, 4 events a month, 13-week windows, gap 8 weeks:
#     without capacities the calendar uses some library twice (once per window).
#  2. The same with max_events = 1 on every library: the validator (capacity, per-month cadence,
#     blackouts, gap, reach, objective) passes, no library holds two events, summary.json counts
#     the sites at capacity, and the objective is no higher than without the capacities.
#  3. The validator can tell: the uncapped calendar against the capped file fails on capacity, and
#     a two-a-week Charlotte-like calendar (4 to 5 events a month) against --per-month 3 fails.
set -euo pipefail
bin=$1 data=$2 validator=$3 out=$4
rm -rf "$out" && mkdir -p "$out"
/usr/bin/python3 - "$data/libraries.geojson" "$out/libraries.geojson" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for f in d["features"]:
    f["properties"]["max_events"] = 1
json.dump(d, open(sys.argv[2], "w"))
PY
common=(program -q --areas "$data/neighborhoods.geojson" --population-field p1 --from 2027-01-01 --to 2027-06-30
        --per-month 4 --days Tue,Thu,Sat --radius 1600m --site-gap 8w --every 13w --indoor libraries
        --blackout "$data/holidays_2027.csv")
check=(--from 2027-01-01 --to 2027-06-30 --per-month 4 --days Tue,Thu,Sat --site-gap-days 56 --indoor libraries
       --blackout "$data/holidays_2027.csv" --radius-m 1600)
"$bin" "${common[@]}" --candidates "$data/libraries.geojson" --out "$out/open" > /dev/null
"$bin" "${common[@]}" --candidates "$out/libraries.geojson" --out "$out/capped" > /dev/null
/usr/bin/python3 "$validator" "$out/open" "${check[@]}" --candidates "$data/libraries.geojson"
/usr/bin/python3 "$validator" "$out/capped" "${check[@]}" --candidates "$out/libraries.geojson"
/usr/bin/python3 - "$out" <<'PY'
import csv, json, sys
from collections import Counter
out = sys.argv[1]
def load(name):
    rows = list(csv.DictReader(open(f"{out}/{name}/calendar.csv", newline="")))
    return rows, json.load(open(f"{out}/{name}/summary.json"))
open_rows, open_s = load("open")
cap_rows, cap_s = load("capped")
uses = Counter(r["site"] for r in open_rows)
assert max(uses.values()) >= 2, f"without capacities no library is used twice: {uses.most_common(3)}"
capped = Counter(r["site"] for r in cap_rows)
assert max(capped.values()) == 1, f"capacity 1 broken: {capped.most_common(3)}"
assert cap_s["sites_at_capacity"] == len(capped), (cap_s["sites_at_capacity"], len(capped))
assert cap_s["cadence"] == "4 a month" and open_s["slots"] == 24 and len(open_rows) == 24, (cap_s["cadence"], open_s["slots"], len(open_rows))
assert cap_s["objective"]["value"] <= open_s["objective"]["value"] + 1e-6
months = Counter(r["date"][:7] for r in open_rows)
assert sorted(months.values()) == [4] * 6, months  # 4 slots in each month, all used without capacities
# An empty slot of the capped calendar: no library left adds anything there (it would otherwise be used).
assert len(cap_rows) + cap_s["empty_slots"] == 24
print(f"per-month + capacity: {len(open_rows)} events; open {open_s['objective']['value']:.0f} with {uses.most_common(1)[0][1]} at one library, "
      f"capped {cap_s['objective']['value']:.0f} with every library at most once ({cap_s['sites_at_capacity']} at capacity)")
PY
if /usr/bin/python3 "$validator" "$out/open" "${check[@]}" --candidates "$out/libraries.geojson" > "$out/tampered.txt"; then
  echo "the validator passed a calendar over the capacities"; exit 1
fi
grep -q "more than its max_events 1" "$out/tampered.txt"
check3=("${check[@]}")
check3[5]=3  # --per-month 3
if /usr/bin/python3 "$validator" "$out/open" "${check3[@]}" --candidates "$data/libraries.geojson" > "$out/tampered3.txt"; then
  echo "the validator passed 4 events a month against --per-month 3"; exit 1
fi
grep -q "events, more than 3" "$out/tampered3.txt"
echo "per_month_capacity: OK"
