"""Benchmark: the whole notebook, default parameters, on a full-size SYNTHETIC stand-in.

Writes a synthetic stand-in for EMNIST letters (124,800 train and 20,800 test
images, tests/synthetic_emnist.py; not timed), then runs every cell of
neural_network.ipynb on a fresh kernel and prints the wall time. Run from the
repository root:

    python bench/bench_notebook.py [--data existing-standin.zip] [--save executed.ipynb] [--set "QUICK = True"]

``--set`` injects settings after the cell tagged ``parameters``, as papermill does (``--set "QUICK = True"``
times the quick run). ``--slowest N`` lists the N slowest cells.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from synthetic_emnist import write_standin  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="a stand-in zip written before (skips writing one)")
    parser.add_argument("--save", help="where to write the executed notebook, to look at it")
    parser.add_argument("--set", default="", help='settings injected after the parameters cell, e.g. "QUICK = True"')
    parser.add_argument("--slowest", type=int, default=5, help="how many of the slowest cells to list")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        data = args.data
        if data is None:
            start = time.perf_counter()
            data = write_standin(Path(folder) / "synthetic-emnist.zip", 124_800, 20_800)
            print(f"wrote the full-size SYNTHETIC stand-in in {time.perf_counter() - start:.0f} s (not counted)")
        nb = nbformat.read(ROOT / "neural_network.ipynb", as_version=4)
        if args.set:
            (index,) = [i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", [])]
            nb.cells.insert(index + 1, nbformat.v4.new_code_cell(args.set, metadata={"tags": ["injected-parameters"]}))
        (Path(folder) / "home").mkdir()  # an empty HOME: the stand-in, never a real cache
        env = dict(os.environ, EMNIST_DATA=str(data), HOME=str(Path(folder) / "home"))
        client = NotebookClient(nb, timeout=1800, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}})
        start = time.perf_counter()
        timings = []
        with client.setup_kernel(env=env):
            for index, cell in enumerate(nb.cells):
                cell_start = time.perf_counter()
                client.execute_cell(cell, index)
                timings.append((time.perf_counter() - cell_start, cell.source.splitlines()[0] if cell.source else ""))
        wall = time.perf_counter() - start
    said = [o["text"].strip() for c in nb.cells for o in c.get("outputs", []) if o.get("name") == "stdout"]
    settings = f"with {args.set!r}" if args.set else "default parameters"
    where = f"the data in {args.data}" if args.data else "the full-size SYNTHETIC stand-in"
    print(f"notebook, {settings}, on {where}: {wall:.1f} s wall time, kernel start included")
    for line in (line for text in said for line in text.splitlines()):
        if line.startswith(
            ("EMNIST letters from", "Test accuracy", "best network:", "Trained ", "test accuracy without", "Verdict")
        ):
            print(f"notebook says: {line}")
    print("slowest cells:")
    for seconds, first_line in sorted(timings, reverse=True)[: args.slowest]:
        print(f"  {seconds:6.1f} s  {first_line[:70]}")
    if args.save:
        nbformat.write(nb, args.save)


if __name__ == "__main__":
    main()
