"""nightout from Python: coverage gaps, officer travel, site suggestions and officer visits.

The functions run nightout's C++ engine in this process (no command line, no files read back):

    import geopandas, nightout
    areas = geopandas.read_file("data/charlotte/neighborhoods.geojson")
    r = nightout.coverage(areas, "data/charlotte/events.csv", radius=["400m", "800m"], population_field="p1")
    r.summary["per_radius"][1]["population_share"]     # the CLI's summary.json, as a dict
    r.areas                                             # GeoDataFrame: each area's covered shares
    r.layers["gaps_800m"]                               # every map layer the CLI writes

Inputs are GeoDataFrames (any CRS: their geometry crosses as WKB, their columns as attributes)
or file paths. Options are the command line's (``min_coverage=0.4`` is ``--min-coverage 0.4``)
and are checked by the same rules, so a bad value raises the command line's message as
``UsageError``; a bad input raises ``InputError``; an unwritable output ``OutputError``.
A road network opened once (``Network(path, profile=...)``) serves every call given it.
The engine runs without the GIL; ``threads=`` as the CLI's ``--threads``; ``progress=`` a
callable ``progress(kind, message, done, total)`` (kind ``"info"``, ``"warning"`` or
``"progress"``), else silent.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional, Sequence, Union

from . import _nightout


class Error(Exception):
    """Any nightout error; ``exit_code`` is the command line's (docs/errors.md)."""

    exit_code = 1


class InternalError(Error):
    """A bug or an unexpected library failure (CLI exit code 1)."""

    exit_code = 1


class UsageError(Error, ValueError):
    """A bad option value or a missing required argument (CLI exit code 2)."""

    exit_code = 2


class InputError(Error):
    """An input is missing, unreadable or holds bad data (CLI exit code 3)."""

    exit_code = 3


class OutputError(Error):
    """The output folder or a file in it cannot be written (CLI exit code 4)."""

    exit_code = 4


_nightout._set_exceptions(InternalError, UsageError, InputError, OutputError)

__version__ = _nightout.version()

Progress = Callable[[str, str, int, int], None]


@dataclass
class Result:
    """A stage's outcome: ``summary`` is summary.json's content (the CLI's fields and numbers);
    ``layers`` the map layers written (GeoDataFrames in EPSG:4326, DataFrames for tables)."""

    summary: Dict[str, Any]
    layers: Dict[str, Any] = field(default_factory=dict)
    out_dir: Optional[str] = None

    @property
    def warnings(self) -> List[str]:
        return list(self.summary.get("warnings", []))


@dataclass
class CoverageResult(Result):
    figures: Dict[str, Any] = field(default_factory=dict)  # unrounded per-area figures (nightout.distributed)

    @property
    def areas(self):
        """The areas layer: each area's covered share, population reached, underserved flag per break."""
        return self.layers[_areas_layer(self.layers)]


@dataclass
class TravelResult:
    """The distance (and along streets, duration) table: rows ``from_ids``, columns ``to_ids``."""

    from_ids: List[str]
    to_ids: List[str]
    distance_m: Any  # numpy array, NaN where there is no route
    duration_s: Any  # numpy array along streets, else None
    method: str
    unreachable_pairs: int
    summary: Dict[str, Any]

    def frame(self):
        """The matrix as a long DataFrame: from_id, to_id, distance_m (and duration_s)."""
        import numpy
        import pandas

        rows = len(self.from_ids)
        cols = len(self.to_ids)
        data = {
            "from_id": numpy.repeat(numpy.asarray(self.from_ids, dtype=object), cols),
            "to_id": numpy.tile(numpy.asarray(self.to_ids, dtype=object), rows),
            "distance_m": numpy.asarray(self.distance_m).reshape(-1),
        }
        if self.duration_s is not None:
            data["duration_s"] = numpy.asarray(self.duration_s).reshape(-1)
        return pandas.DataFrame(data)


class Network:
    """A road network opened (or built) once: an OSM extract, a centerline layer or a .graph file.

    Pass it as ``network=`` to any number of calls; they run on the study that holds it (its
    ``threads``), so the graph and its contraction hierarchy are built only once.
    """

    def __init__(self, path: Union[str, os.PathLike], profile: str = "drive", *, threads: Optional[int] = None,
                 progress: Optional[Progress] = None):
        self.path = os.fspath(path)
        self.profile = profile
        self._study = _nightout.Study(threads or 0)
        self.nodes, self.edges = self._study.open_network(self.path, profile, progress)

    @property
    def builds(self) -> int:
        """How often the network was built or read: 1 however many calls used it."""
        return self._study.networks_built()

    def __repr__(self) -> str:
        return f"nightout.Network({self.path!r}, profile={self.profile!r}: {self.nodes} nodes, {self.edges} edges)"


def _is_frame(x) -> bool:
    return hasattr(x, "columns") and hasattr(x, "iloc")


def _input(x, role: str, *, id_field=None, name_field=None, layer=None, crs=None, lat_field=None, lon_field=None,
           wkt_field=None) -> dict:
    """A GeoDataFrame's rows as WKB and columns, or a file path, as the engine takes them."""
    d = {"path": "", "id_field": id_field, "name_field": name_field, "layer": layer, "crs": crs,
         "lat_field": lat_field, "lon_field": lon_field, "wkt_field": wkt_field}
    if isinstance(x, (str, os.PathLike)):
        d["path"] = os.fspath(x)
        return d
    if not _is_frame(x) or not hasattr(x, "geometry"):
        raise UsageError(f"{role}: expected a GeoDataFrame or a file path, not {type(x).__name__}")
    import pandas

    d["path"] = f"{role} (GeoDataFrame)"
    d["crs"] = x.crs.to_wkt() if x.crs is not None else ""
    d["wkb"] = [None if g is None else bytes(g) for g in x.geometry.to_wkb()]
    geometry_name = x.geometry.name
    columns = []
    for name in x.columns:
        if name == geometry_name:
            continue
        s = x[name]
        if pandas.api.types.is_bool_dtype(s) or pandas.api.types.is_numeric_dtype(s):
            columns.append({"name": str(name), "numeric": True, "values": s.astype("float64").to_numpy()})
        else:
            null = s.isna().to_numpy()
            columns.append({"name": str(name), "numeric": False, "values": ["" if n else str(v) for v, n in zip(s, null)],
                            "null": [bool(n) for n in null]})
    d["columns"] = columns
    return d


def _text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ",".join(_text(v) for v in value)
    return str(value)


def _flags(options: Dict[str, Any]) -> list:
    """Keyword options as the command line's flags: min_coverage=0.4 -> ("--min-coverage", "0.4")."""
    out = []
    for key, value in options.items():
        if value is None:
            continue
        flag = ("-" if len(key) == 1 else "--") + key.replace("_", "-")
        out.append((flag, _text(value)))
    return out


def _study(network: Optional[Network], threads: Optional[int]):
    return network._study if network is not None else _nightout.Study(threads or 0)


def _network(network: Union[None, str, os.PathLike, Network], profile: Optional[str]) -> dict:
    if network is None:
        return {"profile": profile} if profile else {}
    if isinstance(network, Network):
        if profile is not None and profile != network.profile:
            raise UsageError(f"--profile {profile}: the network was opened with profile {network.profile}")
        return {"network": network.path, "profile": network.profile}
    return {"network": os.fspath(network), "profile": profile or "drive"}


def _layers(raw: list) -> Dict[str, Any]:
    import geopandas
    import pandas
    import shapely.wkb

    out = {}
    for layer in raw:
        frame = pandas.DataFrame(layer["rows"], columns=layer["fields"]) if layer["rows"] else pandas.DataFrame(columns=layer["fields"])
        for name, boolean in zip(layer["fields"], layer["boolean"]):
            if boolean:  # 0/1 fields the files write as false/true
                column = frame[name]
                frame[name] = column.astype(bool) if column.notna().all() else column.map(lambda v: None if v is None else bool(v))
        if layer["wkb"]:
            geometry = geopandas.GeoSeries([shapely.wkb.loads(g) for g in layer["wkb"]], crs="EPSG:4326")
            out[layer["name"]] = geopandas.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")
        else:
            out[layer["name"]] = frame
    return out


def _areas_layer(layers: Dict[str, Any]) -> str:
    for name, frame in layers.items():
        if any(str(c).startswith("covered_share_") for c in frame.columns):
            return name
    raise KeyError("no areas layer")


class _OutDir:
    """The given output folder, or a temporary one removed afterwards."""

    def __init__(self, out):
        self.out = os.fspath(out) if out is not None else None
        self._tmp = None

    def __enter__(self) -> str:
        if self.out is not None:
            return self.out
        self._tmp = tempfile.TemporaryDirectory(prefix="nightout-")
        return os.path.join(self._tmp.name, "out")

    def __exit__(self, *exc):
        if self._tmp is not None:
            self._tmp.cleanup()


def coverage(areas, events, *, radius: Union[str, Sequence[str], None] = None, minutes: Union[float, Sequence[float], None] = None,
             population_field: Optional[str] = None, stations=None, population=None,
             network: Union[None, str, os.PathLike, Network] = None, profile: Optional[str] = None,
             out: Union[None, str, os.PathLike] = None, formats: Sequence[str] = ("geojson",), report: bool = False,
             areas_id: Optional[str] = None, areas_name: Optional[str] = None, events_id: Optional[str] = None,
             projection_extent: Optional[Sequence[float]] = None, threads: Optional[int] = None,
             progress: Optional[Progress] = None, **options) -> CoverageResult:
    """Which part of each area (and of its residents) is within reach of an event: ``nightout coverage``.

    areas: polygons (GeoDataFrame or path); events: points (GeoDataFrame or path, e.g. a CSV with
    lat/lon); radius: "400m", ["400m", "800m"] (along streets with ``network``); minutes: travel-time
    breaks (needs ``network``); out: also keep the files the CLI writes there (default: none kept).
    Other options as the CLI's: min_coverage, trim, max_snap, service_areas.
    projection_extent: (lon_min, lat_min, lon_max, lat_max) to choose the local equal-area
    projection from instead of the inputs' extent (nightout.distributed gives the whole study's).
    """
    flags = _flags({"radius": radius, "minutes": minutes, **options})
    request = {"areas": _input(areas, "areas", id_field=areas_id, name_field=areas_name),
               "events": _input(events, "events", id_field=events_id), "population_field": population_field,
               "formats": list(formats), "report": report, "flags": flags, **_network(network, profile)}
    if stations is not None:
        request["stations"] = _input(stations, "stations")
    if projection_extent is not None:
        request["projection_extent"] = [float(v) for v in projection_extent]
    if population is not None:
        request["population"] = _input(population, "population")
    with _OutDir(out) as out_dir:
        request["out_dir"] = out_dir
        raw = _study(network, threads).coverage(request, progress)
    return CoverageResult(json.loads(raw["summary"]), _layers(raw["layers"]), os.fspath(out) if out is not None else None,
                          raw["figures"])


def travel(origins, destinations, *, network: Union[None, str, os.PathLike, Network] = None, profile: Optional[str] = None,
           max_snap: str = "300m", out: Union[None, str, os.PathLike] = None, nearest: Union[None, str, os.PathLike] = None,
           routes: Union[None, str, os.PathLike] = None, threads: Optional[int] = None,
           progress: Optional[Progress] = None) -> TravelResult:
    """Distances (geodesic, or along streets with ``network``, then also durations) from every
    origin to every destination: ``nightout travel``. ``out``: also keep the matrix CSV there."""
    request = {"from": _input(origins, "from"), "to": _input(destinations, "to"), "max_snap": max_snap,
               "nearest_out": os.fspath(nearest) if nearest else "", "routes_out": os.fspath(routes) if routes else "",
               **_network(network, profile)}
    with _OutDir(None) as tmp:
        request["matrix_out"] = os.fspath(out) if out is not None else tmp + ".csv"
        raw = _study(network, threads).travel(request, progress)
    return TravelResult(raw["from_ids"], raw["to_ids"], raw["distance_m"], raw.get("duration_s"), raw["method"],
                        raw["unreachable_pairs"], json.loads(raw["summary"]))


def site(demand, candidates, *, required=None, population_field: Optional[str] = None,
         network: Union[None, str, os.PathLike, Network] = None, profile: Optional[str] = None,
         out: Union[None, str, os.PathLike] = None, formats: Sequence[str] = ("geojson",), threads: Optional[int] = None,
         progress: Optional[Progress] = None, **options) -> Result:
    """Where new events would reach the most residents: ``nightout site``.

    demand: points with a population field, or areas; candidates: one or a list of point layers;
    required: existing sites, always open. Options as the CLI's: model ("mclp", "lscp",
    "pmedian", "pcenter"), sites (k), radius, minutes, target, grid, exact, time_limit, seed, effort.
    """
    def many(x):
        return [] if x is None else list(x) if isinstance(x, (list, tuple)) else [x]

    if "k" in options:
        options["sites"] = options.pop("k")
    request = {"demand": _input(demand, "demand"), "candidates": [_input(c, "candidates") for c in many(candidates)],
               "required": [_input(r, "required") for r in many(required)], "population_field": population_field,
               "formats": list(formats), "flags": _flags(options), **_network(network, profile)}
    with _OutDir(out) as out_dir:
        request["out_dir"] = out_dir
        raw = _study(network, threads).site(request, progress)
    return Result(json.loads(raw["summary"]), _layers(raw["layers"]), os.fspath(out) if out is not None else None)


def route(events, officers, *, stations=None, network: Union[None, str, os.PathLike, Network] = None,
          profile: Optional[str] = None, out: Union[None, str, os.PathLike] = None, threads: Optional[int] = None,
          progress: Optional[Progress] = None, **options) -> Result:
    """The evening's officer visits: ``nightout route``.

    events: points (start/end/duration/priority columns when known); officers: a table (CSV path or
    DataFrame: id, start, end, shift_start, shift_end, max_visits); stations: points named by the
    officers' start/end. Options as the CLI's: window, duration, speed, balance, time_limit,
    iterations, seed, start_field, end_field, duration_field, priority_field.
    """
    with _OutDir(out) as out_dir, tempfile.TemporaryDirectory(prefix="nightout-officers-") as tmp:
        if _is_frame(officers):  # a table crosses as the CSV file the engine reads officers from
            path = os.path.join(tmp, "officers.csv")
            officers.drop(columns=[c for c in officers.columns if c == "geometry"]).to_csv(path, index=False)
            officers = path
        request = {"events": _input(events, "events"), "officers": _input(officers, "officers"), "flags": _flags(options),
                   "out_dir": out_dir, **_network(network, profile)}
        if stations is not None:
            request["stations"] = _input(stations, "stations")
        raw = _study(network, threads).route(request, progress)
    return Result(json.loads(raw["summary"]), _layers(raw["layers"]), os.fspath(out) if out is not None else None)


@dataclass
class PlanResult:
    """A plan run: its folder (report.html inside) and each stage's summary.json as a dict."""

    out_dir: str
    summary: Dict[str, Any]
    coverage: Dict[str, Any]
    site: Optional[Dict[str, Any]]
    route: Optional[Dict[str, Any]]
    inputs_read: int
    networks_built: int


def plan(path: Union[str, os.PathLike], *, out: Union[None, str, os.PathLike] = None, threads: Optional[int] = None,
         progress: Optional[Progress] = None) -> PlanResult:
    """Runs a plan file (TOML) as ``nightout plan`` does, into ``out`` (default: out/NAME)."""
    raw = _nightout.plan(os.fspath(path), os.fspath(out) if out is not None else "", threads or 0, progress)

    def loads(key):
        return json.loads(raw[key]) if key in raw else None

    return PlanResult(raw["out_dir"], loads("summary"), loads("coverage_summary"), loads("site_summary"),
                      loads("route_summary"), raw["inputs_read"], raw["networks_built"])


__all__ = ["coverage", "travel", "site", "route", "plan", "Network", "Result", "CoverageResult", "TravelResult",
           "PlanResult", "Error", "InternalError", "UsageError", "InputError", "OutputError", "__version__"]
