#!/usr/bin/python3
"""Census-block-like synthetic data for the scale benchmarks: block polygons tiling a square
region, events placed along their edges (where streets run), deterministic for a seed.

    /usr/bin/python3 bench/scale/generate.py --blocks 1000000 --events 100000 --out /tmp/scale-1m

Blocks come from a k-d subdivision of the region driven by a population density (a few dozen
cities with Gaussian profiles over a rural floor): a cell is split (along its longer side, at a
random 35-65% fraction) while it holds more than its share of people, so blocks are small in city
centres and large in the countryside, as census blocks are (a spread of sizes over four orders
of magnitude). Each block's population is its expected count with lognormal noise, and about a
fifth of the blocks are empty (parks, industry, water), as in the census. Events are placed on a
block edge, blocks drawn by population. Coordinates are WGS84 lon/lat around 39N 95W; the region
grows with the block count (1M blocks: about 430 km across).

Writes blocks.csv (id, pop, county, wkt) and events.csv (id, lat, lon), and prints their counts.
`county` is a 20 x 20 grid of jurisdictions, for partitioning by field.
"""
import argparse
import math
import os

import numpy

LAT0, LON0 = 39.0, -95.0
M_PER_DEG_LAT = 111_320.0


def density(x, y, cities):
    """People per square metre at (x, y) metres from the region's centre."""
    d = numpy.full(x.shape, 0.6e-6)  # rural floor: 0.6 people per km^2
    for cx, cy, peak, sigma in cities:
        d += peak * numpy.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * sigma ** 2))
    return d


def subdivide(side, cities, target_blocks, rng):
    """Cells (x0, y0, x1, y1) of the k-d subdivision, about target_blocks of them."""
    # Mass per block: the region's people over the target, corrected for the split rule's spread.
    gx, gy = numpy.meshgrid(numpy.linspace(-side / 2, side / 2, 400), numpy.linspace(-side / 2, side / 2, 400))
    total = density(gx, gy, cities).mean() * side * side
    limit = total / target_blocks * 1.45
    cells = numpy.array([[-side / 2, -side / 2, side / 2, side / 2]])
    done = []
    while len(cells):
        w, h = cells[:, 2] - cells[:, 0], cells[:, 3] - cells[:, 1]
        cx, cy = (cells[:, 0] + cells[:, 2]) / 2, (cells[:, 1] + cells[:, 3]) / 2
        mass = density(cx, cy, cities) * w * h
        split = (mass > limit) | (numpy.maximum(w, h) > side / 8)
        done.append(cells[~split])
        c = cells[split]
        if not len(c):
            break
        w, h = w[split], h[split]
        f = rng.uniform(0.35, 0.65, len(c))
        vertical = w >= h
        cut_x = c[:, 0] + f * w
        cut_y = c[:, 1] + f * h
        a, b = c.copy(), c.copy()
        a[vertical, 2] = cut_x[vertical]
        b[vertical, 0] = cut_x[vertical]
        a[~vertical, 3] = cut_y[~vertical]
        b[~vertical, 1] = cut_y[~vertical]
        cells = numpy.concatenate([a, b])
    return numpy.concatenate(done)


def to_lonlat(x, y):
    lat = LAT0 + y / M_PER_DEG_LAT
    lon = LON0 + x / (M_PER_DEG_LAT * math.cos(math.radians(LAT0)))
    return lon, lat


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--blocks", type=int, required=True)
    p.add_argument("--events", type=int, required=True)
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--out", required=True)
    a = p.parse_args()
    rng = numpy.random.default_rng(a.seed)
    side = 430_000.0 * math.sqrt(a.blocks / 1_000_000)  # ~ the density of a populous state's blocks
    n_cities = max(4, int(40 * math.sqrt(a.blocks / 1_000_000)))
    cities = [(rng.uniform(-side / 2.5, side / 2.5), rng.uniform(-side / 2.5, side / 2.5), 10 ** rng.uniform(-4.2, -2.9),
               rng.uniform(3_000, 20_000)) for _ in range(n_cities)]
    cells = subdivide(side, cities, a.blocks, rng)
    w, h = cells[:, 2] - cells[:, 0], cells[:, 3] - cells[:, 1]
    cx, cy = (cells[:, 0] + cells[:, 2]) / 2, (cells[:, 1] + cells[:, 3]) / 2
    expected = density(cx, cy, cities) * w * h
    pop = numpy.round(expected * rng.lognormal(0, 0.5, len(cells)))
    pop[rng.random(len(cells)) < 0.2] = 0
    county = (numpy.floor((cx + side / 2) / side * 20).clip(0, 19) * 20 + numpy.floor((cy + side / 2) / side * 20).clip(0, 19)).astype(int)

    os.makedirs(a.out, exist_ok=True)
    lon0, lat0 = to_lonlat(cells[:, 0], cells[:, 1])
    lon1, lat1 = to_lonlat(cells[:, 2], cells[:, 3])
    with open(os.path.join(a.out, "blocks.csv"), "w") as f:
        f.write("id,pop,county,wkt\n")
        for i in range(len(cells)):
            x0, y0, x1, y1 = lon0[i], lat0[i], lon1[i], lat1[i]
            f.write(f'B{i + 1},{int(pop[i])},C{county[i]},"POLYGON(({x0:.7f} {y0:.7f},{x1:.7f} {y0:.7f},{x1:.7f} {y1:.7f},'
                    f'{x0:.7f} {y1:.7f},{x0:.7f} {y0:.7f}))"\n')

    weights = pop + 0.05  # empty blocks still get an event now and then
    chosen = rng.choice(len(cells), size=a.events, p=weights / weights.sum())
    t = rng.random(a.events)  # position along the perimeter
    c = cells[chosen]
    cw, ch = c[:, 2] - c[:, 0], c[:, 3] - c[:, 1]
    s = t * 2 * (cw + ch)
    ex = numpy.where(s < cw, c[:, 0] + s, numpy.where(s < cw + ch, c[:, 2], numpy.where(s < 2 * cw + ch, c[:, 2] - (s - cw - ch), c[:, 0])))
    ey = numpy.where(s < cw, c[:, 1], numpy.where(s < cw + ch, c[:, 1] + (s - cw), numpy.where(s < 2 * cw + ch, c[:, 3], c[:, 3] - (s - 2 * cw - ch))))
    elon, elat = to_lonlat(ex, ey)
    with open(os.path.join(a.out, "events.csv"), "w") as f:
        f.write("id,lat,lon\n")
        for i in range(a.events):
            f.write(f"E{i + 1},{elat[i]:.7f},{elon[i]:.7f}\n")
    areas_km2 = w * h / 1e6
    print(f"{len(cells)} blocks (median {numpy.median(areas_km2):.3f} km2, 1st-99th percentile {numpy.percentile(areas_km2, 1):.4f}-"
          f"{numpy.percentile(areas_km2, 99):.1f} km2), {int(pop.sum())} people, {a.events} events, region {side / 1000:.0f} km")


if __name__ == "__main__":
    main()
