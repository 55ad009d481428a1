"""Benchmark: training speed on a busy machine, with 1 and 2 BLAS threads.

Not a test: it prints figures. Run from the repository root:

    python bench/bench_busy.py

Learners on a shared JupyterHub train while other programs use the cores. To
make that load reproducible, this script starts ``--load`` background Python
processes (2 by default) that spin in a busy loop for the duration, and stops
them at the end, even after an error or Ctrl-C. It times one-epoch calls of
``Network.train`` at batch 32 ([784, 128, 26], float32, random pixels) with
``threads=1`` and ``threads=2``, first without the added load (as quiet as
the machine is), then with it, and prints images per second: best, median and
worst of ``--repeats`` runs, since under load the speed swings from run to run.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from nn_helpers import Network  # noqa: E402

BUSY_LOOP = "while True: pass"


def images_per_second(x, y, threads, repeats):
    rates = []
    for _ in range(repeats):
        net = Network([784, 128, 26], seed=0)
        start = time.perf_counter()
        net.train(x, y, 1, 32, 0.1, progress=False, threads=threads)
        rates.append(len(x) / (time.perf_counter() - start))
    return rates


def measure(x, y, repeats, label):
    print(f"{label}:")
    for threads in (1, 2):
        rates = images_per_second(x, y, threads, repeats)
        print(
            f"  threads={threads}: images/s best {max(rates):>9,.0f}, median {statistics.median(rates):>9,.0f}, "
            f"worst {min(rates):>9,.0f}  (s/epoch of 124,800 images at the median: {124_800 / statistics.median(rates):.2f})",
            flush=True,
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--load", type=int, default=2, help="busy-loop processes to start (default 2, one per core)")
    parser.add_argument("--images", type=int, default=30_000, help="training images per epoch (default 30,000)")
    parser.add_argument("--repeats", type=int, default=7, help="one-epoch runs per setting (default 7)")
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    x = rng.random((args.images, 784), dtype=np.float32)
    y = rng.integers(0, 26, args.images)
    print(f"{os.cpu_count()} cores; {args.images:,} random images, batch 32, [784, 128, 26] float32")
    measure(x, y, args.repeats, "without added load (whatever else the machine runs)")
    busy = [subprocess.Popen([sys.executable, "-c", BUSY_LOOP]) for _ in range(args.load)]
    try:
        time.sleep(1.0)  # let the busy loops get going
        measure(x, y, args.repeats, f"with {args.load} busy-loop Python processes")
    finally:
        for process in busy:
            process.kill()
            process.wait()


if __name__ == "__main__":
    main()
