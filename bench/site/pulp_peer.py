#!/usr/bin/env python3
"""The peer of `nightout site`: the same MCLP or p-median solved the way spopt
does it (PuLP model, CBC solver), on the exact problem nightout solved.

Reads problem.json written by `nightout site ... --write-problem` (demand weights,
the demand x site cost matrix in meters, k, radius), builds spopt's formulation
(spopt.locate.MCLP / PMedian: binary site and assignment variables), solves it
with CBC through PuLP (Debian python3-pulp + coinor-cbc), recomputes the objective
from the chosen sites, and prints one JSON line.

Usage: pulp_peer.py problem.json mclp|pmedian [--time-limit S]
"""
import json
import sys
import time

import pulp


def main():
    path, model = sys.argv[1], sys.argv[2]
    time_limit = float(sys.argv[sys.argv.index("--time-limit") + 1]) if "--time-limit" in sys.argv else None
    with open(path) as f:
        prob = json.load(f)
    w, cost, k, radius = prob["weights"], prob["costs"], prob["k"], prob["radius"]
    if prob["required"]:
        sys.exit("pulp_peer.py: problems with required sites are not part of the peer comparison")
    n, m = len(w), len(cost[0])
    t0 = time.perf_counter()
    y = [pulp.LpVariable(f"y{j}", cat="Binary") for j in range(m)]
    if model == "mclp":
        lp = pulp.LpProblem("mclp", pulp.LpMaximize)
        z = [pulp.LpVariable(f"z{i}", cat="Binary") for i in range(n)]
        lp += pulp.lpSum(w[i] * z[i] for i in range(n))
        for i in range(n):
            lp += pulp.lpSum(y[j] for j in range(m) if cost[i][j] <= radius) >= z[i]
        lp += pulp.lpSum(y) == k
    elif model == "pmedian":
        lp = pulp.LpProblem("pmedian", pulp.LpMinimize)
        x = [[pulp.LpVariable(f"x{i}_{j}", cat="Binary") for j in range(m)] for i in range(n)]
        lp += pulp.lpSum(w[i] * cost[i][j] * x[i][j] for i in range(n) for j in range(m))
        for i in range(n):
            lp += pulp.lpSum(x[i]) == 1
            for j in range(m):
                lp += x[i][j] <= y[j]
        lp += pulp.lpSum(y) == k
    else:
        sys.exit(f"pulp_peer.py: model {model!r}: expected mclp or pmedian")
    t1 = time.perf_counter()
    solver = pulp.COIN_CMD(msg=False, timeLimit=time_limit) if pulp.COIN_CMD().available() else pulp.PULP_CBC_CMD(msg=False, timeLimit=time_limit)
    lp.solve(solver)
    t2 = time.perf_counter()
    open_sites = [j for j in range(m) if (y[j].value() or 0) > 0.5]
    # The objective recomputed from the sites, not taken from the solver.
    best = [min(cost[i][j] for j in open_sites) for i in range(n)]
    if model == "mclp":
        objective = sum(w[i] for i in range(n) if best[i] <= radius)
    else:
        objective = sum(w[i] * best[i] for i in range(n))
    print(json.dumps({"peer": "PuLP " + pulp.__version__ + " + CBC", "model": model, "status": pulp.LpStatus[lp.status],
                      "objective": objective, "solver_objective": pulp.value(lp.objective), "sites": open_sites,
                      "build_seconds": round(t1 - t0, 3), "solve_seconds": round(t2 - t1, 3), "seconds": round(t2 - t0, 3)}))


if __name__ == "__main__":
    main()
