"""Benchmark: the playground's frames per second while it trains, and the learning animation's time and size.

Not a test: it prints figures. Run from the repository root:

    python bench/bench_playground.py [--seconds 5] [--load 2]

1. ``playground.learning_animation`` as the notebook's cell tagged
   ``figure-learning-animation`` calls it (the rings, [2, 8, 2], 300 epochs):
   the seconds it takes (training and drawing the frames) and its size as the
   notebook saves it (at most 2 MB, the issue's limit).
2. A ``Playground`` on the rings with 8 hidden neurons trains in its thread
   for ``--seconds``, with no front end: frames drawn per second (at most 10,
   ``FRAME_SECONDS``) and epochs per second. Without added load, then with
   ``--load`` busy-loop processes (as bench_busy.py). What a browser shows is
   measured by tests/test_playground_browser.py, which prints it.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import playground  # noqa: E402

BUSY_LOOP = "while True: pass"


def animation():
    x, y = playground.rings(400, seed=0)
    start = time.perf_counter()
    html = playground.learning_animation(x, y, 3.0, sizes=[2, 8, 2], epochs=300, batch_size=10, seed=0).data
    seconds = time.perf_counter() - start
    frames = len(re.findall(r'frames\[\d+\] = "data:image/png;base64,', html))
    size = len(json.dumps({"output_type": "display_data", "data": {"text/html": html}, "metadata": {}}).encode())
    print(f"learning_animation: {seconds:.2f} s, {frames} frames, {size:,} bytes in the notebook", flush=True)


def frame_rate(seconds, label):
    pg = playground.Playground()
    frames, start = pg.frames, time.perf_counter()
    pg.train()
    time.sleep(seconds)
    pg.stop()
    elapsed = time.perf_counter() - start
    print(
        f"{label}: {(pg.frames - frames - 1) / elapsed:.1f} frames/s, {pg.epoch / elapsed:.0f} epochs/s "
        f"({pg.epochs_per_frame} epochs a frame; accuracy at the end {pg.accuracies[-1]:.0%})",
        flush=True,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5, help="how long the playground trains (default 5)")
    parser.add_argument("--load", type=int, default=2, help="busy-loop processes to start (default 2, one per core)")
    args = parser.parse_args()
    print(f"{os.cpu_count()} cores")
    animation()
    frame_rate(args.seconds, "playground, without added load (whatever else the machine runs)")
    busy = [subprocess.Popen([sys.executable, "-c", BUSY_LOOP]) for _ in range(args.load)]
    try:
        time.sleep(1.0)  # let the busy loops get going
        frame_rate(args.seconds, f"playground, with {args.load} busy-loop Python processes")
        animation()
    finally:
        for process in busy:
            process.kill()
            process.wait()


if __name__ == "__main__":
    main()
