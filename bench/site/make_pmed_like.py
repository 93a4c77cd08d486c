#!/usr/bin/env python3
"""Writes a random p-median instance in OR-Library format, shaped like Beasley's
(n vertices, n*n/50 edges with integer costs 1..100 over a connected graph), for
checking the heuristic on sizes whose OR-Library files are not in shared/data.

Usage: make_pmed_like.py N P SEED OUT
"""
import random
import sys


def main():
    n, p, seed, out = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    rng = random.Random(seed)
    edges = {}
    order = list(range(1, n + 1))
    rng.shuffle(order)
    for k in range(1, n):  # a random spanning tree keeps the graph connected
        a, b = order[k], order[rng.randrange(k)]
        edges[(min(a, b), max(a, b))] = rng.randint(1, 100)
    target = max(n - 1, n * n // 50)
    while len(edges) < target:
        a, b = rng.randint(1, n), rng.randint(1, n)
        if a != b:
            edges[(min(a, b), max(a, b))] = rng.randint(1, 100)
    with open(out, "w") as f:
        f.write(f" {n} {len(edges)} {p}\n")
        for (a, b), c in edges.items():
            f.write(f" {a} {b} {c}\n")


if __name__ == "__main__":
    main()
