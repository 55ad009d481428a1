"""Benchmark: would writing η ∂C/∂p over the gradient (g *= η; p -= g) make train faster than p -= η * g?

Not a test: it prints figures. ``update_mini_batch`` writes p -= η * g, as the equation reads, which makes a
new array for η ∂C/∂p at every step; the in-place form was a speed trick of an earlier version, kept only
if it pays at least 5% of an epoch. Interleaved 2-epoch calls of train at batch 32 on 124,800 random images,
[784, 128, 26], one BLAS thread. Run from the repository root:

    python bench/step_in_place.py
"""

import os
import statistics
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import nn_helpers as nn  # noqa: E402


class InPlaceStep(nn.Network):
    """The plain step with η ∂C/∂p written over the gradient, which backprop made for this step alone."""

    def update_mini_batch(self, x, y, learning_rate, momentum=0.0, l2=0.0, n=1):
        grad_weights, grad_biases = self._backward(self._forward(x), y)
        for p, g in zip(self.weights + self.biases, grad_weights + grad_biases):
            g *= learning_rate
            p -= g


def main(repeats=5, epochs=2):
    rng = np.random.default_rng(0)
    x, y = rng.random((124_800, 784), dtype=np.float32), rng.integers(0, 26, 124_800)
    times = {"p -= η * g": [], "in place": []}
    for _ in range(repeats):
        for name, cls in (("p -= η * g", nn.Network), ("in place", InPlaceStep)):
            net = cls([784, 128, 26], seed=0)
            start = time.perf_counter()
            net.train(x, y, epochs, 32, 0.1, progress=False)
            times[name].append((time.perf_counter() - start) / epochs)
    for name, t in times.items():
        print(f"{name:>10}: best {min(t):.3f} s/epoch, median {statistics.median(t):.3f} s/epoch")
    best = 1 - min(times["in place"]) / min(times["p -= η * g"])
    median = 1 - statistics.median(times["in place"]) / statistics.median(times["p -= η * g"])
    print(f"the in-place step would save {best:.1%} of an epoch (best of {repeats}), {median:.1%} (median)")


if __name__ == "__main__":
    main()
