#!/usr/bin/env python3
"""Independent checks of `nightout route --solomon/--tsplib` answers, and the table with
gaps to the best-known solutions.

  check.py solomon FILE.txt ANSWER.json [BKS.csv]   -> one JSON line
  check.py tsplib FILE.tsp ANSWER.json [optimal_values.txt]
  check.py toptw FILE.txt ANSWER.json [optimal_m1.txt]  (the optima hold for one route)
  check.py table RESULTS.jsonl                       -> markdown table

Feasibility and distances are recomputed here from the instance file (Solomon: unrounded
Euclidean distances, service times, windows on the service start, capacity, return to the
depot by its due date; TSPLIB: the TSPLIB95 distance functions; TOPTW: Euclidean distances
(exact, or truncated to one decimal when the answer says "distances": "tenth"), windows on the
service start, back at the depot by its C, each customer at most once, profit summed here),
never taken from the answer.
"""
import csv
import json
import math
import os
import sys


def solomon(path, answer, bks_path=None):
    lines = [l.split() for l in open(path) if l.strip()]
    name = lines[0][0]
    fleet = None
    rows = []
    for i, t in enumerate(lines):
        if t[0].upper() == 'NUMBER':
            fleet = (int(lines[i + 1][0]), float(lines[i + 1][1]))
        try:
            v = [float(x) for x in t]
        except ValueError:
            continue
        if len(v) == 7:
            rows.append(v)
    cap = fleet[1]
    depot = rows[0]
    by_id = {int(r[0]): r for r in rows[1:]}
    d = lambda a, b: math.hypot(a[1] - b[1], a[2] - b[2])
    errors = []
    seen = {}
    total = 0.0
    for k, route in enumerate(answer['routes']):
        now, load, prev = depot[4], 0.0, depot
        for c in route:
            r = by_id.get(c)
            if r is None:
                errors.append(f'route {k}: unknown customer {c}')
                continue
            seen[c] = seen.get(c, 0) + 1
            total += d(prev, r)
            now = max(now + d(prev, r), r[4])
            if now > r[5] + 1e-6:
                errors.append(f'route {k}: customer {c} served at {now:.3f} > due {r[5]}')
            now += r[6]
            load += r[3]
            prev = r
        total += d(prev, depot)
        now += d(prev, depot)
        if now > depot[5] + 1e-6:
            errors.append(f'route {k}: back at depot at {now:.3f} > {depot[5]}')
        if load > cap + 1e-9:
            errors.append(f'route {k}: load {load} > capacity {cap}')
    missing = [c for c in by_id if c not in seen]
    dup = [c for c, n in seen.items() if n > 1]
    if missing:
        errors.append(f'{len(missing)} customers not served')
    if dup:
        errors.append(f'customers served twice: {dup[:5]}')
    routes = sum(1 for r in answer['routes'] if r)
    if answer.get('max_vehicles') and routes > answer['max_vehicles']:
        errors.append(f'{routes} routes > {answer["max_vehicles"]}')
    out = {'kind': 'solomon', 'instance': name, 'vehicles': routes, 'distance': round(total, 4),
           'reported_distance': answer['distance'], 'seconds': answer['seconds'], 'feasible': not errors, 'errors': errors[:5]}
    if bks_path:
        for r in csv.DictReader(open(bks_path)):
            if r['instance'].lower() == name.lower():
                bv = int(r.get('bks_vehicles') or r['routes'])
                bd = float(r.get('bks_distance') or r['distance'])
                out.update(bks_vehicles=bv, bks_distance=bd, gap=round(100 * (total - bd) / bd, 3))
    return out


def tsplib(path, answer, opt_path=None):
    head, coords, weights, section = {}, [], [], None
    for line in open(path):
        t = line.strip()
        if not t or t == 'EOF':
            continue
        if t.endswith('SECTION') or t.split()[0].endswith('_SECTION'):
            section = t.split()[0]
            continue
        if ':' in t and not t[0].isdigit() and t[0] != '-':
            k, v = t.split(':', 1)
            head[k.strip().upper()] = v.strip()
            continue
        if section == 'NODE_COORD_SECTION':
            p = t.split()
            coords.append((float(p[1]), float(p[2])))
        elif section == 'EDGE_WEIGHT_SECTION':
            weights += [float(x) for x in t.split()]
    n = int(head['DIMENSION'])
    w = head['EDGE_WEIGHT_TYPE'].upper()

    def nint(x):
        return int(x + 0.5)

    def geo(x):
        deg = math.trunc(x)
        return 3.141592 * (deg + 5.0 * (x - deg) / 3.0) / 180.0

    if w == 'EXPLICIT':
        f = head['EDGE_WEIGHT_FORMAT'].upper()
        m = [[0] * n for _ in range(n)]
        it = iter(weights)
        if f == 'FULL_MATRIX':
            for i in range(n):
                for j in range(n):
                    m[i][j] = int(round(next(it)))
        else:
            upper = f in ('UPPER_ROW', 'LOWER_COL', 'UPPER_DIAG_ROW', 'LOWER_DIAG_COL')
            diag = 'DIAG' in f
            for i in range(n):
                js = range(i if diag else i + 1, n) if upper else range(0, i + 1 if diag else i)
                for j in js:
                    m[i][j] = m[j][i] = int(round(next(it)))
        dist = lambda a, b: m[a][b]
    else:
        def dist(a, b):
            (xa, ya), (xb, yb) = coords[a], coords[b]
            dx, dy = xa - xb, ya - yb
            if w == 'EUC_2D':
                return nint(math.sqrt(dx * dx + dy * dy))
            if w == 'CEIL_2D':
                return math.ceil(math.sqrt(dx * dx + dy * dy))
            if w == 'ATT':
                r = math.sqrt((dx * dx + dy * dy) / 10.0)
                t = nint(r)
                return t + 1 if t < r else t
            if w == 'GEO':
                la, lo, lb, lob = geo(xa), geo(ya), geo(xb), geo(yb)
                q1, q2, q3 = math.cos(lo - lob), math.cos(la - lb), math.cos(la + lb)
                return int(6378.388 * math.acos(0.5 * ((1 + q1) * q2 - (1 - q1) * q3)) + 1.0)
            raise SystemExit('unsupported ' + w)
    tour = [c - 1 for c in answer['tour']]
    errors = []
    if sorted(tour) != list(range(n)):
        errors.append('the tour is not a permutation of 1..%d' % n)
    length = sum(dist(tour[i], tour[(i + 1) % n]) for i in range(n)) if not errors else None
    name = head.get('NAME', os.path.basename(path).split('.')[0])
    out = {'kind': 'tsplib', 'instance': name, 'cities': n, 'vehicles': 1, 'distance': length, 'reported_distance': answer['distance'],
           'seconds': answer['seconds'], 'feasible': not errors, 'errors': errors}
    if opt_path:
        for line in open(opt_path):
            if ':' in line:
                k, v = line.split(':')
                if k.strip() == name:
                    out.update(bks_distance=int(v), gap=round(100 * (length - int(v)) / int(v), 3))
    return out


def toptw(path, answer, opt_path=None):
    lines = [l.split() for l in open(path) if l.strip()]
    customers = int(lines[0][2])
    vertices = {}
    for t in lines[2:2 + customers + 1]:
        v = [float(x) for x in t]
        vertices[int(v[0])] = {'x': v[1], 'y': v[2], 'd': v[3], 'S': v[4], 'O': v[-2], 'C': v[-1]}
    tenth = answer.get('distances') == 'tenth'

    def dist(a, b):
        e = math.hypot(a['x'] - b['x'], a['y'] - b['y'])
        return math.floor(e * 10 + 1e-9) / 10 if tenth else e

    depot = vertices[0]
    errors, seen, profit, total = [], set(), 0.0, 0.0
    if len(answer['routes']) > answer['vehicles']:
        errors.append(f"{len(answer['routes'])} routes > {answer['vehicles']}")
    for k, route in enumerate(answer['routes']):
        now, prev = depot['O'], depot
        for stop in route['stops']:
            c = stop['vertex']
            r = vertices.get(c)
            if r is None or c == 0:
                errors.append(f'route {k}: unknown customer {c}')
                continue
            if c in seen:
                errors.append(f'route {k}: customer {c} visited twice')
            seen.add(c)
            total += dist(prev, r)
            now = max(now + dist(prev, r), r['O'])
            if now > r['C'] + 1e-6:
                errors.append(f"route {k}: customer {c} served at {now:.3f} > C {r['C']}")
            now += r['d']
            profit += r['S']
            prev = r
        total += dist(prev, depot)
        now += dist(prev, depot)
        if now > depot['C'] + 1e-6:
            errors.append(f"route {k}: back at the depot at {now:.3f} > {depot['C']}")
    if abs(profit - answer['profit']) > 1e-6:
        errors.append(f"reported profit {answer['profit']} != {profit}")
    name = os.path.basename(path).split('.')[0]
    out = {'kind': 'toptw', 'instance': name, 'vehicles': answer['vehicles'], 'profit': profit, 'visited': len(seen),
           'distance': round(total, 4), 'seconds': answer['seconds'], 'feasible': not errors, 'errors': errors[:5]}
    if opt_path and answer['vehicles'] == 1:
        for line in open(opt_path):
            t = line.split()
            if len(t) == 2 and t[0] == name:
                out.update(optimum=float(t[1]), gap=round(100 * (float(t[1]) - profit) / float(t[1]), 3))
    return out


def toptw_table(rows):
    ms = sorted({r['vehicles'] for r in rows})
    names = sorted({r['instance'] for r in rows}, key=lambda n: (n[0], int(''.join(ch for ch in n if ch.isdigit()) or 0)))
    by = {(r['instance'], r['vehicles']): r for r in rows}
    print('| instance | optimum (1 route) | ' + ' | '.join(f'profit, {m} route{"s" if m > 1 else ""}' for m in ms) + ' | gap % (1 route) | feasible |')
    print('|---|---|' + '---|' * len(ms) + '---|---|')
    gaps = []
    for n in names:
        one = by.get((n, 1), {})
        cells = [f"{by[(n, m)]['profit']:g}" if (n, m) in by else '' for m in ms]
        gap = one.get('gap')
        if gap is not None:
            gaps.append(gap)
        ok = all(by[(n, m)]['feasible'] for m in ms if (n, m) in by)
        errs = '; '.join(e for m in ms if (n, m) in by for e in by[(n, m)]['errors'])
        print(f"| {n} | {one.get('optimum', '')} | " + ' | '.join(cells) + f" | {'' if gap is None else f'{gap:.2f}'} | {'yes' if ok else 'NO: ' + errs} |")
    if gaps:
        print(f"\ntoptw, 1 route: mean gap {sum(gaps) / len(gaps):.2f} % over {len(gaps)} instances, worst {max(gaps):.2f} %")


def table(path):
    rows = [json.loads(l) for l in open(path) if l.strip()]
    if rows and all(r['kind'] == 'toptw' for r in rows):
        return toptw_table(rows)
    rows = [r for r in rows if r['kind'] != 'toptw']
    print('| instance | vehicles (BKS) | distance | best known | gap % | seconds | feasible |')
    print('|---|---|---|---|---|---|---|')
    gaps = {}
    for r in rows:
        bv = f" ({r['bks_vehicles']})" if 'bks_vehicles' in r else ''
        gap = r.get('gap')
        if gap is not None:
            gaps.setdefault(r['kind'], []).append(gap)
        print(f"| {r['instance']} | {r['vehicles']}{bv} | {r['distance']} | {r.get('bks_distance', '')} | "
              f"{'' if gap is None else f'{gap:.2f}'} | {r['seconds']:.1f} | {'yes' if r['feasible'] else 'NO: ' + '; '.join(r['errors'])} |")
    for kind, g in gaps.items():
        print(f"\n{kind}: mean gap {sum(g) / len(g):.2f} % over {len(g)} instances, max {max(g):.2f} %")
    vr = [r for r in rows if 'bks_vehicles' in r]
    if vr:
        same = sum(1 for r in vr if r['vehicles'] <= r['bks_vehicles'])
        print(f"VRPTW: best-known vehicle count reached on {same} of {len(vr)} instances")
        sv = [r['gap'] for r in vr if r['vehicles'] == r['bks_vehicles']]
        if sv:
            print(f"VRPTW: mean distance gap {sum(sv) / len(sv):.2f} % on the {len(sv)} instances at the best-known vehicle count")


if __name__ == '__main__':
    kind = sys.argv[1]
    if kind == 'table':
        table(sys.argv[2])
    else:
        ans = json.load(open(sys.argv[3]))
        ref = sys.argv[4] if len(sys.argv) > 4 else None
        check = {'solomon': solomon, 'tsplib': tsplib, 'toptw': toptw}[kind]
        print(json.dumps(check(sys.argv[2], ans, ref)))
