#!/usr/bin/env python3
"""OR-Library p-median benchmark for `nightout site --orlib`.

For every pmed*.txt in DIR (default ../shared/data/pmedian) runs
`nightout site --orlib FILE [--exact]`, recomputes the objective of the returned
sites independently (its own parser, Floyd-Warshall in numpy, the last line of a
repeated edge wins), and prints objective, optimum (DIR/optimal_values.txt), gap
and seconds as a Markdown table. Exits non-zero if any recomputed objective
differs from nightout's, or (heuristic) a gap exceeds 0.5% or a run takes 2 s or more.

Usage: orlib.py [--bin build/nightout] [--dir DIR] [--exact] [--time-limit S] [--only pmed1,pmed3]
"""
import argparse
import json
import os
import re
import subprocess
import sys

import numpy as np


def shortest_paths(path):
    with open(path) as f:
        tokens = f.read().split()
    n, e, p = int(tokens[0]), int(tokens[1]), int(tokens[2])
    d = np.full((n, n), np.inf)
    vals = list(map(int, tokens[3:3 + 3 * e]))
    for k in range(e):
        i, j, c = vals[3 * k] - 1, vals[3 * k + 1] - 1, vals[3 * k + 2]
        d[i, j] = d[j, i] = c  # the last line for an edge wins
    np.fill_diagonal(d, 0)
    for k in range(n):
        d = np.minimum(d, d[:, k:k + 1] + d[k:k + 1, :])
    return d, p


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="build/nightout")
    ap.add_argument("--dir", default="../shared/data/pmedian")
    ap.add_argument("--exact", action="store_true")
    ap.add_argument("--time-limit", default="600")
    ap.add_argument("--only", default="")
    args = ap.parse_args()
    optimum = {}
    opt_file = os.path.join(args.dir, "optimal_values.txt")
    if os.path.exists(opt_file):
        for line in open(opt_file).read().splitlines()[1:]:
            name, value = line.split()
            optimum[name] = float(value)
    files = sorted((f for f in os.listdir(args.dir) if re.fullmatch(r"pmed\d+\.txt", f)), key=lambda f: int(re.findall(r"\d+", f)[0]))
    if args.only:
        keep = set(args.only.split(","))
        files = [f for f in files if f[:-4] in keep]
    failed = False
    print("| instance | n | p | objective | optimum | gap | seconds |" + (" bound | proven |" if args.exact else ""))
    print("|---|---:|---:|---:|---:|---:|---:|" + ("---:|---|" if args.exact else ""))
    for f in files:
        cmd = [args.bin, "-q", "site", "--orlib", os.path.join(args.dir, f)]
        if args.exact:
            cmd += ["--exact", "--time-limit", args.time_limit]
        r = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
        d, p = shortest_paths(os.path.join(args.dir, f))
        sites = [s - 1 for s in r["sites"]]
        recomputed = float(d[:, sites].min(axis=1).sum())
        ok = len(sites) == p == len(set(sites)) and recomputed == r["objective"]
        opt = optimum.get(f[:-4])
        gap = (recomputed - opt) / opt if opt else None
        if not ok:
            failed = True
        if not args.exact and ((gap is not None and gap > 0.005) or r["seconds"] >= 2):
            failed = True
        row = f"| {f[:-4]} | {r['n']} | {p} | {recomputed:.0f}{'' if ok else ' (MISMATCH ' + str(r['objective']) + ')'} | " \
              f"{opt:.0f} | {100 * gap:.3f}% | {r['seconds']:.2f} |" if opt else \
              f"| {f[:-4]} | {r['n']} | {p} | {recomputed:.0f} | | | {r['seconds']:.2f} |"
        if args.exact:
            row += f" {r['bound']:.0f} | {'yes' if r['proven_optimal'] else 'no'} |"
        print(row, flush=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
