"""nightout.distributed: coverage studies too large for one machine, across a Dask cluster.

    from distributed import Client, LocalCluster
    import nightout.distributed as nd
    client = Client(LocalCluster(n_workers=2, threads_per_worker=1))   # or Client("tcp://scheduler:8786")
    r = nd.coverage(blocks, events, client=client, radius=["400m", "800m"], population_field="pop", grid="20km")
    r.summary["totals"]          # equal to a single-machine run's (counts exact, sums in the same order)
    r.areas                      # every area's figures (GeoDataFrame), in the input's order

How: the areas are split into partitions, by a jurisdiction field (``by="county"``) or by a square
grid over their representative points (``grid="20km"``). Each partition is sent with the events
within a halo of its areas' bounding box: the largest break (plus trim and max_snap along
streets), so that an event across a partition's border still reaches its areas. All stations go
to every partition, and one more task measures every event's nearest station; a finer population layer
goes with the features touching the partition. Each partition runs ``nightout.coverage`` on a
Dask worker; the combiner then concatenates the per-area figures in the input's order and
recomputes the study totals from the unrounded per-area figures exactly as the engine does, the
ranks across all areas, and the layers.

What differs from one machine: ``nearest_event_id`` and ``nearest_event_m`` of an area whose
nearest event lies beyond the halo are left empty (the partition never saw that event); along
streets, each worker opens the whole network once (a ``nightout.Network`` kept per worker
process) and service-area polygons are dissolved per partition.

Failures: a lost worker's partitions are recomputed by Dask (its usual retry of lost tasks); a
partition that fails on bad input fails the whole job with that ``nightout.InputError``.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence, Union

import nightout

_WALK_SPEED_MS = {"walk": 7 / 3.6, "bike": 35 / 3.6, "drive": 140 / 3.6}  # above any profile's speed: a safe halo


def _meters(text: Union[str, float, int]) -> float:
    """A distance as the CLI writes it ("800m", "0.5mi", "2km", "1000ft") in metres."""
    if isinstance(text, (int, float)):
        return float(text)
    t = str(text).strip().lower()
    for unit, factor in (("km", 1000.0), ("mi", 1609.344), ("ft", 0.3048), ("m", 1.0)):
        if t.endswith(unit):
            return float(t[: -len(unit)]) * factor
    raise nightout.UsageError(f"'{text}' is not a distance; expected a number with a unit, e.g. 800m, 0.5mi, 2km")


def _list(x) -> list:
    if x is None:
        return []
    if isinstance(x, str):
        return [v for v in x.split(",") if v]
    return list(x) if isinstance(x, (list, tuple)) else [x]


def _frame(x, role: str):
    import geopandas

    if isinstance(x, (str, os.PathLike)):
        path = os.fspath(x)
        if path.lower().endswith(".csv"):
            import pandas

            table = pandas.read_csv(path)
            lat = next((c for c in table.columns if c.lower() in ("lat", "latitude", "y")), None)
            lon = next((c for c in table.columns if c.lower() in ("lon", "lng", "long", "longitude", "x")), None)
            if lat is None or lon is None:
                raise nightout.InputError(f"{path}: no lat/lon columns; nightout.distributed reads point CSVs with lat and lon")
            return geopandas.GeoDataFrame(table.drop(columns=[lat, lon]), geometry=geopandas.points_from_xy(table[lon], table[lat]),
                                          crs="EPSG:4326")
        try:
            return geopandas.read_file(path)
        except Exception as e:  # noqa: BLE001 - the reader's own message, named
            raise nightout.InputError(f"{path}: cannot be read as the {role} layer ({e})") from None
    return x


@dataclass
class Partition:
    key: Any
    areas: int
    events: int


@dataclass
class DistributedCoverage:
    """The combined study: ``summary`` (totals and parameters as summary.json), ``areas`` (the
    areas layer, input order), ``layers`` (areas, gaps, events, stations), and the partitions."""

    summary: Dict[str, Any]
    layers: Dict[str, Any]
    figures: Dict[str, Any]
    partitions: List[Partition] = field(default_factory=list)

    @property
    def areas(self):
        return self.layers["neighborhoods"]


_worker_networks: Dict[tuple, "nightout.Network"] = {}


def _run_partition(areas, events, stations, population, options: dict, network: Optional[tuple]):
    """One partition on a worker: nightout.coverage over its areas and the events of its halo."""
    net = None
    if network is not None:  # opened once per worker process, then shared by its partitions
        net = _worker_networks.get(network)
        if net is None:
            net = _worker_networks[network] = nightout.Network(network[0], profile=network[1], threads=options.get("threads"))
    r = nightout.coverage(areas, events, stations=stations, population=population, network=net, **options)
    return {"summary": r.summary, "figures": r.figures, "layers": r.layers}


def _round_to(v: float, step: float) -> float:
    """The engine's round_to: std::round (halves away from zero) to a multiple of step."""
    q = v / step
    return math.copysign(math.floor(abs(q) + 0.5), q) * step


def _sum(values) -> float:
    total = 0.0  # in order, as std::accumulate: the totals then equal the single run's bit for bit
    for v in values:
        total += v
    return total


def partition_keys(areas, *, by: Optional[str] = None, grid: Union[None, str, float] = None):
    """Each area's partition: its value of field `by`, or its grid cell of side `grid` (metres or "20km")."""
    if (by is None) == (grid is None):
        raise nightout.UsageError("nightout.distributed: give one of by= (a jurisdiction field) or grid= (a cell size, e.g. 20km)")
    if by is not None:
        if by not in areas.columns:
            raise nightout.InputError(f"areas: no field '{by}' to partition by; fields: {', '.join(map(str, areas.columns))}")
        return list(areas[by])
    cell = _meters(grid)
    if not cell > 0:
        raise nightout.UsageError(f"grid: '{grid}' is not accepted; expected a cell size above 0, e.g. 20km")
    metric = areas.to_crs(areas.estimate_utm_crs() if areas.crs is not None else None)
    points = metric.geometry.representative_point()
    x0, y0 = metric.total_bounds[0], metric.total_bounds[1]  # cells start at the areas' corner
    return [(math.floor((p.x - x0) / cell), math.floor((p.y - y0) / cell)) for p in points]


def coverage(areas, events, *, client, radius=None, minutes=None, population_field: Optional[str] = None, stations=None,
             population=None, network: Union[None, str, os.PathLike] = None, profile: str = "drive", by: Optional[str] = None,
             grid: Union[None, str, float] = None, halo: Union[None, str, float] = None, threads: Optional[int] = None,
             **options) -> DistributedCoverage:
    """``nightout.coverage`` across a Dask cluster (``client``), partitioned ``by`` a field or on a ``grid``.

    ``halo``: how far beyond a partition its events are taken (default: the largest break; along
    streets plus trim and max_snap; for minutes, the time at a speed above any profile's).
    Other arguments as nightout.coverage's.
    """
    areas = _frame(areas, "areas")
    events = _frame(events, "events")
    stations = _frame(stations, "stations") if stations is not None else None
    population = _frame(population, "population") if population is not None else None
    radii, breaks_min = _list(radius), [float(m) for m in _list(minutes)]
    if halo is None:
        if breaks_min:
            if network is None:
                raise nightout.UsageError("--minutes needs --network (a road network to travel on)")
            halo_m = max(breaks_min) * 60 * _WALK_SPEED_MS.get(profile, _WALK_SPEED_MS["drive"])
        else:
            halo_m = max((_meters(r) for r in radii), default=0.0)
        if network is not None:
            halo_m += _meters(options.get("trim", "100m")) + _meters(options.get("max_snap", "300m"))
    else:
        halo_m = _meters(halo)
    halo_m *= 1.01  # the engine's local projection differs from UTM by well under 1%

    areas, _ = _with_ids(areas, "areas")
    events, event_ids = _with_ids(events, "events")
    keys = partition_keys(areas, by=by, grid=grid)
    metric_crs = areas.estimate_utm_crs()
    areas_m = areas.to_crs(metric_crs)
    events_m = events.to_crs(metric_crs)
    population_m = population.to_crs(metric_crs) if population is not None else None
    groups: Dict[Any, List[int]] = {}
    for i, k in enumerate(keys):
        groups.setdefault(k, []).append(i)

    import numpy

    ex, ey = events_m.geometry.x.to_numpy(), events_m.geometry.y.to_numpy()  # events are points: boxes by coordinates
    pop_bounds = population_m.geometry.bounds.to_numpy() if population_m is not None else None
    network_key = (os.path.abspath(os.fspath(network)), profile) if network is not None else None
    # Every partition measures in the local projection a single run would choose (from the
    # extent of all the areas), so that its areas' figures are the single run's.
    bounds = [areas.to_crs("EPSG:4326").total_bounds]
    extent = [min(b[0] for b in bounds), min(b[1] for b in bounds), max(b[2] for b in bounds), max(b[3] for b in bounds)]
    request = {"projection_extent": [float(v) for v in extent], "radius": radii or None, "minutes": breaks_min or None, "population_field": population_field, "threads": threads,
               **options}
    plans = []
    for key, rows in groups.items():
        minx, miny, maxx, maxy = areas_m.geometry.iloc[rows].total_bounds
        near = numpy.flatnonzero((ex >= minx - halo_m) & (ex <= maxx + halo_m) & (ey >= miny - halo_m) & (ey <= maxy + halo_m)).tolist()
        plans.append([key, rows, (minx, miny, maxx, maxy), near])
    # Events beyond every halo reach no area, but the totals count them and their nearest
    # station: they go with the first partition.
    seen = set(i for p in plans for i in p[3])
    plans[0][3] = sorted(set(plans[0][3]) | (set(range(len(events))) - seen))
    futures, parts, order = [], [], []
    for key, rows, (minx, miny, maxx, maxy), near in plans:
        if not near:  # the engine needs events; one far away changes none of the partition's figures
            near = [0]
        pop = None
        if population_m is not None:
            b = pop_bounds
            pop = population.iloc[numpy.flatnonzero((b[:, 0] <= maxx) & (b[:, 2] >= minx) & (b[:, 1] <= maxy) & (b[:, 3] >= miny))]
        futures.append(client.submit(_run_partition, areas.iloc[rows], events.iloc[near], stations, pop, request, network_key, pure=False))
        parts.append(Partition(key, len(rows), len(near)))
        order.append(rows)
    # Each event's nearest station is a per-event figure: one more task runs every event against
    # every station (over the first area only, which the figure does not depend on).
    station_task = None
    if stations is not None:
        station_task = client.submit(_run_partition, areas.iloc[:1], events, stations, None, {"radius": ["1m"], "threads": threads}, None,
                                     pure=False)
    results = client.gather(futures)  # the first partition's InputError, UsageError, ... is raised here
    station_run = client.gather(station_task) if station_task else None
    station_totals = {k: v for k, v in station_run["summary"]["totals"].items() if k.startswith("event_to_nearest_station")} if station_run else None
    r = _combine(areas, event_ids, station_totals, results, order, parts, halo_m)
    if station_run:
        r.layers["stations"] = station_run["layers"]["stations"]
    return r


def _combine(areas, event_ids, station_totals, results, order, parts, halo_m) -> DistributedCoverage:
    import geopandas
    import pandas

    n = len(areas)
    first = results[0]["summary"]
    breaks = len(first["totals"]["per_radius"])
    has_pop = first["totals"].get("population") is not None
    # Per-area unrounded figures and layer rows back in the input's order.
    fig = {"id": [None] * n, "area_m2": [0.0] * n, "population": [math.nan] * n,
           "covered_m2": [[0.0] * n for _ in range(breaks)], "population_covered": [[math.nan] * n for _ in range(breaks)]}
    area_frames, gaps, event_frames = [], [], []
    for rows, r in zip(order, results):
        f = r["figures"]
        for j, i in enumerate(rows):
            fig["id"][i] = f["id"][j]
            fig["area_m2"][i] = f["area_m2"][j]
            fig["population"][i] = f["population"][j]
            for k in range(breaks):
                fig["covered_m2"][k][i] = f["covered_m2"][k][j]
                fig["population_covered"][k][i] = f["population_covered"][k][j]
        area_frames.append(r["layers"]["neighborhoods"].assign(_order=rows))
        gaps.append(r["layers"]["gaps"].assign(_order=[rows[0]] * len(r["layers"]["gaps"])))
        event_frames.append(r["layers"]["events"])
    nb = pandas.concat(area_frames).sort_values("_order", kind="stable").drop(columns="_order").reset_index(drop=True)
    nb = geopandas.GeoDataFrame(nb, geometry="geometry", crs="EPSG:4326")
    # An event seen by several partitions: the row of the partition whose area holds it, if any.
    ev_all = pandas.concat(event_frames, ignore_index=True)
    ev_all = ev_all.assign(_outside=ev_all["area_id"].isna()).sort_values("_outside", kind="stable")
    ev_all = ev_all.drop_duplicates("id").drop(columns="_outside").set_index("id", drop=False)
    labels = [b["radius"] for b in first["totals"]["per_radius"]]
    # Ranks across all areas: by uncovered residents (or area), then uncovered area, then input order.
    for k, label in enumerate(labels):
        gap_m2 = [fig["area_m2"][i] - fig["covered_m2"][k][i] for i in range(n)]
        gap_pop = [fig["population"][i] - fig["population_covered"][k][i] for i in range(n)] if has_pop else [0.0] * n
        ranked = sorted(range(n), key=lambda i: (-gap_pop[i], -gap_m2[i], i))
        rank = [0] * n
        for r_, i in enumerate(ranked):
            rank[i] = r_ + 1
        nb[f"rank_{label}"] = rank
    # An area's nearest event beyond the halo was not seen by its partition: unknown, not wrong.
    if "nearest_event_m" in nb:
        beyond = nb["nearest_event_m"].isna() | (nb["nearest_event_m"] > halo_m)
        nb.loc[beyond, ["nearest_event_id", "nearest_event_m"]] = None

    ev_all = ev_all.reindex(event_ids)  # the input's order; an event no partition saw: all empty
    totals = dict(first["totals"])
    total_area = _sum(fig["area_m2"])
    total_pop = _sum(fig["population"]) if has_pop else 0.0
    totals["areas"] = n
    totals["events"] = len(event_ids)
    totals["events_outside_areas"] = int(ev_all["area_id"].isna().sum())
    totals["areas_without_events"] = int((nb["events_inside"] == 0).sum())
    totals["area_m2"] = _round_to(total_area, 0.01)
    if has_pop:
        totals["population"] = _round_to(total_pop, 0.01)
    per_radius = []
    for k, b in enumerate(first["totals"]["per_radius"]):
        b = dict(b)
        covered = _sum(fig["covered_m2"][k])
        b["covered_m2"] = _round_to(covered, 0.01)
        b["covered_share"] = _round_to(covered / total_area, 1e-6) if total_area > 0 else 0.0
        b["underserved_areas"] = sum(r["summary"]["totals"]["per_radius"][k]["underserved_areas"] for r in results)
        b["gap_polygons"] = sum(r["summary"]["totals"]["per_radius"][k]["gap_polygons"] for r in results)
        if has_pop:
            pc = _sum(fig["population_covered"][k])
            b["population_covered"] = _round_to(pc, 0.01)
            b["population_uncovered"] = _round_to(total_pop - pc, 0.01)
            b["population_share"] = _round_to(pc / total_pop, 1e-6) if total_pop > 0 else 0.0
        per_radius.append(b)
    totals["per_radius"] = per_radius
    if station_totals is not None:  # from the stations task: every event against every station
        totals.update(station_totals)
    summary = {k: v for k, v in first.items() if k not in ("run_time_s", "phases_s", "warnings", "totals")}
    summary["totals"] = totals
    summary["warnings"] = sorted({w for r in results for w in r["summary"].get("warnings", [])})
    gaps_layer = pandas.concat(gaps).sort_values("_order", kind="stable").drop(columns="_order").reset_index(drop=True)
    events_layer = geopandas.GeoDataFrame(ev_all[ev_all["id"].notna()].reset_index(drop=True), geometry="geometry", crs="EPSG:4326")
    layers = {"neighborhoods": nb, "gaps": geopandas.GeoDataFrame(gaps_layer, geometry="geometry", crs="EPSG:4326"),
              "events": events_layer}
    return DistributedCoverage(summary, layers, fig, parts)


_ID_NAMES = ("id", "{role}_id", "fid", "objectid", "gid", "uid", "osm_id", "code")  # the engine's detection order


def _with_ids(frame, role: str):
    """The frame with its id column as text, as the engine names features (an "id" column of
    1, 2, ... added when it has none, so that ids stay unique across partitions); and the ids."""
    import pandas

    column = None
    for name in _ID_NAMES:
        name = name.format(role=role)
        column = next((c for c in frame.columns if str(c).lower() == name), None)
        if column is not None:
            break
    if column is None:
        column = "id"
        ids = [str(i + 1) for i in range(len(frame))]
    else:
        values = frame[column]
        numeric = pandas.api.types.is_numeric_dtype(values)
        integral = numeric and all(pandas.isna(v) or float(v).is_integer() for v in values)
        ids = [("" if pandas.isna(v) else str(int(v)) if integral else f"{float(v):.6f}" if numeric else str(v)) for v in values]
        ids = [i if i else str(n + 1) for n, i in enumerate(ids)]
    return frame.assign(**{column: ids}), ids


def run_plans(plans: Sequence[Union[str, os.PathLike]], client, *, out: Union[None, str, os.PathLike] = None,
              threads: Optional[int] = None) -> List["nightout.PlanResult"]:
    """Many plan files (e.g. one per city) as one Dask job: each plan runs on a worker into
    ``out/NAME`` (NAME: the plan file's folder; default out/NAME as ``nightout plan``). A plan that
    fails on bad input fails the job with its error."""
    jobs = []
    for p in plans:
        p = os.fspath(p)
        target = os.path.join(os.fspath(out), os.path.basename(os.path.dirname(os.path.abspath(p)))) if out is not None else None
        jobs.append(client.submit(nightout.plan, p, out=target, threads=threads, pure=False))
    return client.gather(jobs)
