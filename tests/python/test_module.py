"""The Python module against the command line: the same summaries and layers on the Charlotte and
Liechtenstein samples, from paths and from GeoDataFrames (also in EPSG:2264), the CLI's messages
as exceptions, one Network serving several calls, progress callbacks and the GIL released.

Run by ctest: python3 test_module.py (PYTHONPATH=build/python, NIGHTOUT=build/nightout, NIGHTOUT_SOURCE=.)
"""

import json
import os
import subprocess
import tempfile
import threading
import unittest

import geopandas
import pandas

import nightout

SOURCE = os.environ.get("NIGHTOUT_SOURCE", os.path.join(os.path.dirname(__file__), "..", ".."))
CLI = os.environ.get("NIGHTOUT", os.path.join(SOURCE, "build", "nightout"))
CHARLOTTE = os.path.join(SOURCE, "data", "charlotte")
LIECHTENSTEIN = os.path.join(SOURCE, "data", "liechtenstein")

# What differs between two runs of the same study: clocks and where the inputs came from.
VOLATILE = {"run_time_s", "phases_s", "path", "solve_s", "solve_seconds", "files", "out_dir", "build_s", "crs", "layer", "heuristic_s", "heuristic_seconds", "seconds"}


def stable(value):
    if isinstance(value, dict):
        return {k: stable(v) for k, v in value.items() if k not in VOLATILE and not k.endswith(("_s", "_seconds"))}
    if isinstance(value, list):
        return [stable(v) for v in value]
    return value


def close(a, b, rel, path="summary"):
    """Asserts two JSON values equal, numbers within `rel` (relative) and `rel` absolute near 0."""
    if isinstance(a, dict):
        assert isinstance(b, dict) and a.keys() == b.keys(), f"{path}: keys {sorted(a)} != {sorted(b)}"
        for k in a:
            close(a[k], b[k], rel, f"{path}.{k}")
    elif isinstance(a, list):
        assert isinstance(b, list) and len(a) == len(b), f"{path}: lengths {len(a)} != {len(b)}"
        for i, (x, y) in enumerate(zip(a, b)):
            close(x, y, rel, f"{path}[{i}]")
    elif isinstance(a, (int, float)) and not isinstance(a, bool):
        assert isinstance(b, (int, float)), f"{path}: {a!r} != {b!r}"
        assert abs(a - b) <= rel * max(1.0, abs(a), abs(b)), f"{path}: {a!r} != {b!r}"
    else:
        assert a == b, f"{path}: {a!r} != {b!r}"


def cli(*args):
    """Runs the command line; returns (exit code, stderr)."""
    p = subprocess.run([CLI, "-q", "--threads", "2", *args], capture_output=True, text=True)
    return p.returncode, p.stderr


def cli_summary(*args):
    """The CLI's summary.json and its GeoJSON layers by name."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out")
        code, err = cli(*args, "--out", out)
        assert code == 0, err
        with open(os.path.join(out, "summary.json")) as f:
            summary = json.load(f)
        layers = {name[:-8]: geopandas.read_file(os.path.join(out, name)) for name in os.listdir(out) if name.endswith(".geojson")}
        return summary, layers


def points(csv_path):
    table = pandas.read_csv(csv_path, float_precision="round_trip", dtype={"start": str, "end": str})
    return geopandas.GeoDataFrame(table, geometry=geopandas.points_from_xy(table.lon, table.lat), crs="EPSG:4326").drop(columns=["lat", "lon"])


CHARLOTTE_ARGS = ["coverage", "--areas", os.path.join(CHARLOTTE, "neighborhoods.geojson"), "--events", os.path.join(CHARLOTTE, "events.csv"),
                  "--stations", os.path.join(CHARLOTTE, "police_stations.geojson"), "--population-field", "p1", "--radius", "400m,800m"]


class Charlotte(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.expected, cls.expected_layers = cli_summary(*CHARLOTTE_ARGS)
        cls.expected_areas = cls.expected_layers["neighborhoods"]

    def run_module(self, areas, events, stations):
        return nightout.coverage(areas, events, stations=stations, population_field="p1", radius=["400m", "800m"], threads=2)

    def test_paths_give_the_clis_summary_and_layers(self):
        r = self.run_module(os.path.join(CHARLOTTE, "neighborhoods.geojson"), os.path.join(CHARLOTTE, "events.csv"),
                            os.path.join(CHARLOTTE, "police_stations.geojson"))
        self.assertEqual(stable(r.summary), stable(self.expected))
        self.assertEqual(r.summary["totals"]["areas"], 464)
        areas = r.areas
        self.assertEqual(len(areas), len(self.expected_areas))
        for column in ["covered_share_400m", "covered_share_800m", "population_covered_800m"]:
            got = areas.set_index("id")[column].sort_index()
            want = self.expected_areas.set_index("id")[column].sort_index()
            pandas.testing.assert_series_equal(got, want, check_dtype=False, check_names=False, rtol=1e-12)
        self.assertEqual(sorted(r.layers), sorted(self.expected_layers))
        for name, layer in self.expected_layers.items():
            self.assertEqual(len(r.layers[name]), len(layer), name)
            self.assertEqual(list(r.layers[name]["id" if "id" in layer else "area_id"]), list(layer["id" if "id" in layer else "area_id"]))

    def test_geodataframes_in_any_crs_give_the_same_numbers(self):
        areas = geopandas.read_file(os.path.join(CHARLOTTE, "neighborhoods.geojson"))
        events = points(os.path.join(CHARLOTTE, "events.csv"))
        stations = geopandas.read_file(os.path.join(CHARLOTTE, "police_stations.geojson"))
        r = self.run_module(areas, events, stations)
        close(stable(r.summary), stable(self.expected), 1e-9)
        # NC State Plane (US feet): the engine moves them back to lon/lat; only rounding differs.
        r2264 = self.run_module(areas.to_crs(2264), events.to_crs(2264), stations.to_crs(2264))
        close(stable(r2264.summary), stable(self.expected), 1e-6)
        got = r2264.areas.set_index("id")["covered_share_800m"].sort_index()
        want = self.expected_areas.set_index("id")["covered_share_800m"].sort_index()
        self.assertLess((got - want).abs().max(), 1e-6)

    def test_site_and_route_equal_the_cli(self):
        with tempfile.TemporaryDirectory() as tmp:
            demand, parks = os.path.join(CHARLOTTE, "neighborhoods.geojson"), os.path.join(CHARLOTTE, "parks.geojson")
            events = os.path.join(CHARLOTTE, "events.csv")
            code, err = cli("site", "--demand", demand, "--population-field", "p1", "--candidates", parks, "--required", events,
                            "--model", "mclp", "-k", "3", "--radius", "800m", "--out", os.path.join(tmp, "site"))
            self.assertEqual(code, 0, err)
            with open(os.path.join(tmp, "site", "summary.json")) as f:
                expected = json.load(f)
            r = nightout.site(demand, parks, required=events, population_field="p1", model="mclp", k=3, radius="800m", threads=2)
            self.assertEqual(stable(r.summary), stable(expected))
            self.assertEqual(len(r.layers["sites"]), len(geopandas.read_file(os.path.join(tmp, "site", "sites.geojson"))))

            officers = os.path.join(CHARLOTTE, "officers.csv")
            stations = os.path.join(CHARLOTTE, "police_stations.geojson")
            code, err = cli("route", "--events", events, "--officers", officers, "--stations", stations, "--iterations", "2000",
                            "--out", os.path.join(tmp, "route"))
            self.assertEqual(code, 0, err)
            with open(os.path.join(tmp, "route", "summary.json")) as f:
                expected = json.load(f)
            r = nightout.route(points(events), pandas.read_csv(officers, dtype=str), stations=stations, iterations=2000, threads=2)
            self.assertEqual(r.summary["result"]["visited"], expected["result"]["visited"])
            close(stable(r.summary), stable(expected), 1e-9)

    def test_straight_travel_equals_the_clis_matrix(self):
        with tempfile.TemporaryDirectory() as tmp:
            stations, events = os.path.join(CHARLOTTE, "police_stations.geojson"), os.path.join(CHARLOTTE, "events.csv")
            code, err = cli("travel", "--from", stations, "--to", events, "--out", os.path.join(tmp, "m.csv"))
            self.assertEqual(code, 0, err)
            expected = pandas.read_csv(os.path.join(tmp, "m.csv"), dtype={"from_id": str, "to_id": str})
            r = nightout.travel(geopandas.read_file(stations), points(events))
            got = r.frame()
            self.assertEqual(list(got.from_id), list(expected.from_id))
            self.assertEqual(list(got.to_id), list(expected.to_id))
            self.assertLess((got.distance_m - expected.distance_m).abs().max(), 0.0005 + 1e-9)  # the CSV keeps 3 decimals


class Liechtenstein(unittest.TestCase):
    """Walking times along the streets of an OSM extract: one Network for coverage and travel."""

    def test_one_network_serves_coverage_and_travel_as_the_cli(self):
        areas, events = os.path.join(LIECHTENSTEIN, "municipalities.geojson"), os.path.join(LIECHTENSTEIN, "events.csv")
        places, police = os.path.join(LIECHTENSTEIN, "places.geojson"), os.path.join(LIECHTENSTEIN, "police.geojson")
        roads = os.path.join(LIECHTENSTEIN, "roads.osm.pbf")
        expected, _ = cli_summary("coverage", "--areas", areas, "--events", events, "--stations", police, "--population",
                                               places, "--population-field", "population", "--network", roads, "--profile", "walk",
                                               "--minutes", "5,10,15")
        messages = []
        net = nightout.Network(roads, profile="walk", threads=2)
        self.assertGreater(net.nodes, 1000)
        r = nightout.coverage(geopandas.read_file(areas), points(events), stations=police, population=geopandas.read_file(places),
                              population_field="population", minutes=[5, 10, 15], network=net,
                              progress=lambda kind, message, done, total: messages.append(kind))
        close(stable(r.summary), stable(expected), 1e-9)
        self.assertIn("info", messages)
        with tempfile.TemporaryDirectory() as tmp:
            code, err = cli("travel", "--from", police, "--to", events, "--network", roads, "--profile", "walk", "--out",
                            os.path.join(tmp, "m.csv"))
            self.assertEqual(code, 0, err)
            matrix = pandas.read_csv(os.path.join(tmp, "m.csv"), dtype={"from_id": str, "to_id": str})
        t = nightout.travel(police, events, network=net).frame()
        self.assertEqual(len(t), len(matrix))
        self.assertLess((t.distance_m - matrix.distance_m).abs().max(), 0.0005 + 1e-9)
        self.assertLess((t.duration_s - matrix.duration_s).abs().max(), 0.0005 + 1e-9)
        # A third call, and still one build of the network.
        nightout.coverage(areas, events, radius="800m", network=net)
        self.assertEqual(net.builds, 1)


class Errors(unittest.TestCase):
    """Bad inputs raise the exception of the CLI's exit code, with the CLI's message."""

    def assert_same_error(self, cli_args, call, exception):
        code, err = cli(*cli_args)
        self.assertEqual(code, exception.exit_code, err)
        message = err.strip().removeprefix("nightout: error: ")
        with self.assertRaises(exception) as caught:
            call()
        self.assertEqual(str(caught.exception), message)

    def test_bad_radius_is_a_usage_error(self):
        areas, events = os.path.join(CHARLOTTE, "neighborhoods.geojson"), os.path.join(CHARLOTTE, "events.csv")
        with tempfile.TemporaryDirectory() as tmp:
            self.assert_same_error(["coverage", "--areas", areas, "--events", events, "--radius", "-5m", "--out", tmp + "/o"],
                                   lambda: nightout.coverage(areas, events, radius="-5m"), nightout.UsageError)
            self.assert_same_error(["coverage", "--areas", areas, "--events", events, "--radius", "400m", "--min-coverage", "2",
                                    "--out", tmp + "/o"],
                                   lambda: nightout.coverage(areas, events, radius="400m", min_coverage=2), nightout.UsageError)

    def test_a_missing_file_is_an_input_error_and_a_missing_field_a_usage_error(self):
        areas, events = os.path.join(CHARLOTTE, "neighborhoods.geojson"), os.path.join(CHARLOTTE, "events.csv")
        missing = os.path.join(CHARLOTTE, "no-such-file.geojson")
        with tempfile.TemporaryDirectory() as tmp:
            self.assert_same_error(["coverage", "--areas", missing, "--events", events, "--radius", "400m", "--out", tmp + "/o"],
                                   lambda: nightout.coverage(missing, events, radius="400m"), nightout.InputError)
            self.assert_same_error(["coverage", "--areas", areas, "--events", events, "--radius", "400m", "--population-field", "nope",
                                    "--out", tmp + "/o"],
                                   lambda: nightout.coverage(areas, events, radius="400m", population_field="nope"), nightout.UsageError)

    def test_points_given_as_areas_name_the_row(self):
        events = points(os.path.join(CHARLOTTE, "events.csv"))
        with self.assertRaises(nightout.InputError) as caught:
            nightout.coverage(events, events, radius="400m")
        self.assertIn("row 1 is a Point; areas must be polygons or multipolygons", str(caught.exception))

    def test_unwritable_output_is_an_output_error(self):
        areas, events = os.path.join(CHARLOTTE, "neighborhoods.geojson"), os.path.join(CHARLOTTE, "events.csv")
        self.assert_same_error(["coverage", "--areas", areas, "--events", events, "--radius", "400m", "--out", "/proc/nightout"],
                               lambda: nightout.coverage(areas, events, radius="400m", out="/proc/nightout"), nightout.OutputError)


class Threads(unittest.TestCase):
    def test_the_gil_is_released_while_the_engine_works(self):
        areas, events = os.path.join(CHARLOTTE, "neighborhoods.geojson"), os.path.join(CHARLOTTE, "events.csv")
        done = threading.Event()
        ticks = 0

        def work():
            nightout.coverage(areas, events, radius=["400m", "800m", "1600m"], threads=1)
            done.set()

        worker = threading.Thread(target=work)
        worker.start()
        while not done.is_set():
            ticks += 1
            done.wait(0.001)
        worker.join()
        self.assertGreater(ticks, 20)  # the main thread kept running Python during the call


if __name__ == "__main__":
    unittest.main(verbosity=2)
