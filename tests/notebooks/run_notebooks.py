#!/usr/bin/python3
"""Executes every notebook in a folder top to bottom with nbclient (Debian's python3-nbclient) and
fails on the first cell that fails. The notebooks find nightout through $NIGHTOUT and write their
runs under $NIGHTOUT_OUT (set here to OUT_DIR). Executed copies are saved in OUT_DIR for
inspection; the notebooks in the repository stay without outputs.

    NIGHTOUT=build/nightout /usr/bin/python3 tests/notebooks/run_notebooks.py notebooks build/artifacts/notebooks
"""
import os
import pathlib
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
folder, out_dir = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]).resolve()
out_dir.mkdir(parents=True, exist_ok=True)
os.environ["NIGHTOUT_OUT"] = str(out_dir)
if "NIGHTOUT" not in os.environ:
    sys.exit("run_notebooks: set NIGHTOUT to the nightout executable")
failed = 0
notebooks = sorted(folder.glob("*.ipynb"))
if len(notebooks) < 2:
    sys.exit(f"run_notebooks: expected at least two notebooks in {folder}")
for path in notebooks:
    nb = nbformat.read(path, as_version=4)
    if any(c.get("outputs") for c in nb.cells if c.cell_type == "code"):
        print(f"FAIL: {path.name} is committed with outputs; clear them")
        failed += 1
    started = time.time()
    client = NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(folder.resolve())}})
    try:
        client.execute()
        print(f"{path.name}: {len(nb.cells)} cells ran in {time.time() - started:.1f} s")
    except CellExecutionError as e:
        print(f"FAIL: {path.name}: {e}")
        failed += 1
    nbformat.write(nb, out_dir / path.name)
sys.exit(1 if failed else 0)
