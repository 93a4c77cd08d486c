#!/usr/bin/env python3
"""Compares a plan run's summary.json with its golden figures, so that a regression in geometry
or in a heuristic fails a test. Usage: check.py SUMMARY.json GOLDEN.json

GOLDEN maps a path into the summary ("steps.coverage.totals.per_radius.1.population_share") to
{"value": v, "rel": r} (|x - v| <= r * |v|, or "abs": a), {"max": v} (x <= v: a heuristic may only
get better) or {"min": v}."""
import json
import sys


def lookup(doc, path):
    for part in path.split("."):
        doc = doc[int(part)] if isinstance(doc, list) else doc[part]
    return doc


def main():
    summary = json.load(open(sys.argv[1]))
    golden = json.load(open(sys.argv[2]))
    failures = []
    for path, rule in golden.items():
        if path.startswith("//"):
            continue
        try:
            x = lookup(summary, path)
        except (KeyError, IndexError, TypeError):
            failures.append(f"{path}: missing")
            continue
        if "value" in rule:
            v = rule["value"]
            if isinstance(v, str) or isinstance(v, bool):
                ok = x == v
            else:
                tol = rule.get("abs", abs(v) * rule.get("rel", 0))
                ok = x is not None and abs(x - v) <= tol
            want = f"{v}" + (f" +- {rule.get('abs', rule.get('rel'))}" if not isinstance(v, (str, bool)) else "")
        elif "max" in rule:
            ok, want = x is not None and x <= rule["max"], f"<= {rule['max']}"
        else:
            ok, want = x is not None and x >= rule["min"], f">= {rule['min']}"
        if not ok:
            failures.append(f"{path}: {x}, expected {want}")
    for f in failures:
        print("golden:", f)
    checked = sum(1 for p in golden if not p.startswith("//"))
    print(f"{checked - len(failures)} passed, {len(failures)} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
