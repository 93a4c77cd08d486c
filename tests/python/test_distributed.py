"""nightout.distributed on a 2-worker distributed.LocalCluster equals one machine's run: the
Charlotte sample split on a grid and by a field; totals exact, per-area figures within 1e-9;
a bad input fails the whole job with its InputError; run_plans runs plan files as one job.

Run by ctest: python3 test_distributed.py (PYTHONPATH=build/python, NIGHTOUT_SOURCE=.)
"""

import os
import tempfile
import unittest

import geopandas
import pandas
from distributed import Client, LocalCluster

import nightout
import nightout.distributed as nd

SOURCE = os.environ.get("NIGHTOUT_SOURCE", os.path.join(os.path.dirname(__file__), "..", ".."))
CHARLOTTE = os.path.join(SOURCE, "data", "charlotte")
LIECHTENSTEIN = os.path.join(SOURCE, "data", "liechtenstein")


def points(csv_path):
    table = pandas.read_csv(csv_path, float_precision="round_trip", dtype={"start": str, "end": str})
    return geopandas.GeoDataFrame(table, geometry=geopandas.points_from_xy(table.lon, table.lat), crs="EPSG:4326").drop(columns=["lat", "lon"])


class OnALocalCluster(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
        cls.client = Client(cls.cluster)
        cls.areas = geopandas.read_file(os.path.join(CHARLOTTE, "neighborhoods.geojson"))
        cls.events = points(os.path.join(CHARLOTTE, "events.csv"))
        cls.stations = os.path.join(CHARLOTTE, "police_stations.geojson")
        cls.single = nightout.coverage(cls.areas, cls.events, stations=cls.stations, population_field="p1", radius=["400m", "800m"],
                                       threads=2)

    @classmethod
    def tearDownClass(cls):
        cls.client.close()
        cls.cluster.close()

    def assert_equal_to_single(self, r):
        single = self.single
        self.assertEqual(r.summary["totals"], single.summary["totals"])  # exact, every field
        want = single.figures
        self.assertEqual(r.figures["id"], want["id"])
        for name in ("area_m2", "population"):
            for a, b in zip(r.figures[name], want[name]):
                self.assertLessEqual(abs(a - b), 1e-9 * max(1.0, abs(b)), name)
        for name in ("covered_m2", "population_covered"):
            for ka, kb in zip(r.figures[name], want[name]):
                for a, b in zip(ka, kb):
                    self.assertLessEqual(abs(a - b), 1e-9 * max(1.0, abs(b)), name)
        got, expected = r.areas, single.areas
        self.assertEqual(list(got["id"]), list(expected["id"]))
        for column in ("covered_share_400m", "covered_share_800m", "population_uncovered_800m", "rank_400m", "rank_800m",
                       "underserved_800m", "events_inside"):
            pandas.testing.assert_series_equal(got[column].reset_index(drop=True), expected[column].reset_index(drop=True),
                                               check_dtype=False, rtol=1e-9)
        known = got["nearest_event_m"].notna()
        self.assertTrue((got.loc[known, "nearest_event_m"] == expected.loc[known, "nearest_event_m"]).all())
        self.assertEqual(len(r.layers["gaps"]), len(single.layers["gaps"]))
        self.assertEqual(list(r.layers["events"]["id"]), list(single.layers["events"]["id"]))

    def test_a_grid_split_equals_the_single_run(self):
        r = nd.coverage(self.areas, self.events, client=self.client, stations=self.stations, population_field="p1",
                        radius=["400m", "800m"], grid="6km")
        self.assertGreater(len(r.partitions), 4)
        self.assertEqual(sum(p.areas for p in r.partitions), len(self.areas))
        self.assert_equal_to_single(r)

    def test_a_split_by_field_equals_the_single_run(self):
        areas = self.areas.assign(district=[i % 3 for i in range(len(self.areas))])  # scattered districts: large halos
        r = nd.coverage(areas, self.events, client=self.client, stations=self.stations, population_field="p1",
                        radius=["400m", "800m"], by="district")
        self.assertEqual(len(r.partitions), 3)
        self.assertEqual(r.summary["totals"], self.single.summary["totals"])

    def test_a_bad_partition_fails_the_job_with_its_input_error(self):
        areas = self.areas.copy()
        areas.loc[200, "p1"] = -5  # one negative population, in one partition
        with self.assertRaises(nightout.InputError) as caught:
            nd.coverage(areas, self.events, client=self.client, population_field="p1", radius="400m", grid="6km")
        self.assertIn("p1", str(caught.exception))

    def test_run_plans_runs_each_plan_on_a_worker(self):
        plan = os.path.join(LIECHTENSTEIN, "plan-straight.toml")
        with tempfile.TemporaryDirectory() as tmp:
            single = nightout.plan(plan, out=os.path.join(tmp, "single"))
            [r] = nd.run_plans([plan], self.client, out=os.path.join(tmp, "cluster"))
            self.assertTrue(os.path.exists(os.path.join(r.out_dir, "report.html")))
            self.assertEqual(r.coverage["totals"], single.coverage["totals"])


if __name__ == "__main__":
    unittest.main(verbosity=2)
