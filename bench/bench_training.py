"""Benchmark: training speed on data of EMNIST letters' size, against np.matmul.

Not a test: it prints figures. Run from the repository root:

    python bench/bench_training.py

It first compares ``Network.train`` at batch 32 and at batch 128 with
``tight_reference``, a minimal loop of the same algorithm (shuffle, forward,
backprop, plain step; same sizes, same float32) written as tightly as NumPy
allows, with 1 and 2 BLAS threads (targets: train at most 1.15× the reference
at batch 32, at most 1.25× at batch 128), in calls of a few epochs. ``train``
does more than the reference: per epoch, the figures on the training sample
(whose cost the NaN guard checks) and a copy of the weights for the guard;
once per call, its checks of the inputs (``plumbing.check_training``), whose
time it prints.

Random pixels stand in for the images: the speed of the arithmetic does not
depend on what the pixels show. At the end it times data augmentation
(``train(..., augment=augmentation.random_shifts(2))``) at batch 32: shifting
every image once per epoch, as a fraction of the epoch, and random affine
distortions (``augment=augmentation.random_distortions()``) at the best
network's size (bench/choose_best.py's BEST: cross-entropy, [784, 256, 26],
batch 32, momentum 0.9; a fixed rate of 0.05, since the rate does not change
the time) on 112,320 images, the size of the
notebook's training set: an epoch with distortions against a plain one
(target: at most 1.5×), and the same with elastic distortions on top
(``augment=augmentation.random_elastic(**ELASTIC)``; target: at most 1.5×
too; ``--sigma`` times another width). ``--distortions-only`` times only these.
"""

import argparse
import os
import platform
import statistics
import sys
import time

import numpy as np
from threadpoolctl import threadpool_limits

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import augmentation  # noqa: E402
import nn_helpers as nn  # noqa: E402
import plumbing  # noqa: E402
from nn_helpers import Network  # noqa: E402

N_TRAIN, N_INPUTS, N_HIDDEN, N_CLASSES = 124_800, 784, 128, 26
EPOCHS = 3  # epochs per timed measurement (per batch size: after one warm-up epoch)
REFERENCE_TARGETS = {32: 1.15, 128: 1.25}  # batch size: the most train may take, in times the tight reference
N_DISTORT = 112_320  # the notebook's training set: 124,800 less the 12,480 kept for validation
# Elastic distortions as timed by default: the widest σ bench/choose_best.py tries, the costliest fields to smooth
# (α costs nothing); --sigma times another width.
ELASTIC = dict(sigma=6.0, alpha=34.0)


def training_flops(n, sizes):
    """Multiply-adds (2 flops each) in one epoch of forward + backward passes.

    Forward: one matmul per layer. Backward: the weight gradient of every
    layer, and the carried-back delta of every layer but the first.
    """
    forward = sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))
    backward = forward + sum(a * b for a, b in zip(sizes[1:-1], sizes[2:]))
    return 2 * n * (forward + backward)


def matmul_gflops(size=1024, repeats=20):
    """The best float32 np.matmul rate on size x size matrices, in GFLOP/s."""
    rng = np.random.default_rng(0)
    a = rng.random((size, size), dtype=np.float32)
    b = rng.random((size, size), dtype=np.float32)
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        a @ b
        best = min(best, time.perf_counter() - start)
    return 2 * size**3 / best / 1e9


def tight_reference(x, targets, batch_size, learning_rate, epochs, seed=0):
    """The same algorithm as train for [784, 128, 26] with MSE, as tightly as NumPy allows.

    Returns the seconds per epoch and the final weights and biases (W¹, W², b¹, b²), which match train's.

    Every array is allocated once, every operation writes into it with out=, and nothing is
    checked or recorded: the fastest this algorithm runs in NumPy, to hold train against.
    """
    n, (n_in, n_hidden, n_out) = len(x), (N_INPUTS, N_HIDDEN, N_CLASSES)
    rng = np.random.default_rng(seed)
    W1 = (rng.standard_normal((n_hidden, n_in)) / np.sqrt(n_in)).astype(np.float32)
    W2 = (rng.standard_normal((n_out, n_hidden)) / np.sqrt(n_hidden)).astype(np.float32)
    b1, b2 = np.zeros(n_hidden, np.float32), np.zeros(n_out, np.float32)
    full = {
        name: np.empty((batch_size, width), np.float32)
        for name, width in (("x", n_in), ("t", n_out), ("a1", n_hidden), ("a2", n_out), ("d1", n_hidden), ("d2", n_out))
    }
    s1, s2 = np.empty((batch_size, n_hidden), np.float32), np.empty((batch_size, n_out), np.float32)
    gW1, gW2, gb1, gb2 = np.empty_like(W1), np.empty_like(W2), np.empty_like(b1), np.empty_like(b2)

    def sigmoid_in_place(z):  # σ(z) = ½(1 + tanh(z/2)), as nn.sigmoid
        z *= 0.5
        np.tanh(z, out=z)
        z += 1.0
        z *= 0.5

    start = time.perf_counter()
    for _ in range(epochs):
        order = rng.permutation(n)
        for first in range(0, n, batch_size):
            batch = order[first : first + batch_size]
            m = len(batch)
            xb, t, a1, a2, d1, d2 = (full[k][:m] for k in ("x", "t", "a1", "a2", "d1", "d2"))
            np.take(x, batch, axis=0, out=xb, mode="clip")
            np.take(targets, batch, axis=0, out=t, mode="clip")
            np.matmul(xb, W1.T, out=a1)
            a1 += b1
            sigmoid_in_place(a1)
            np.matmul(a1, W2.T, out=a2)
            a2 += b2
            sigmoid_in_place(a2)
            np.subtract(a2, t, out=d2)  # δ² = (a − y)/m ⊙ a(1 − a)
            np.subtract(1.0, a2, out=s2[:m])
            s2[:m] *= a2
            d2 *= s2[:m]
            d2 *= 1.0 / m
            np.matmul(d2.T, a1, out=gW2)
            np.sum(d2, axis=0, out=gb2)
            np.matmul(d2, W2, out=d1)  # δ¹ = (δ² W²) ⊙ a¹(1 − a¹)
            np.subtract(1.0, a1, out=s1[:m])
            s1[:m] *= a1
            d1 *= s1[:m]
            np.matmul(d1.T, xb, out=gW1)
            np.sum(d1, axis=0, out=gb1)
            for p, g in ((W1, gW1), (W2, gW2), (b1, gb1), (b2, gb2)):
                g *= learning_rate
                p -= g
    return (time.perf_counter() - start) / epochs, (W1, W2, b1, b2)


def train_against_reference(x, y, threads, batch_size=32, repeats=5, epochs=EPOCHS):
    """Best seconds per epoch of train and of tight_reference at ``batch_size``, interleaved, with ``threads`` BLAS threads.

    Both run ``epochs`` epochs per call, and the time of a call is divided by them: what a learner's run costs
    per epoch, with train's once-per-call work (its checks of the inputs, the one-hot targets) spread over
    a few epochs. ``call_overhead`` times that once-per-call work on its own.
    """
    targets = nn.one_hot(y, N_CLASSES)
    train_times, reference_times = [], []
    with threadpool_limits(threads, user_api="blas"):
        for _ in range(repeats):
            net = Network([N_INPUTS, N_HIDDEN, N_CLASSES], seed=0)
            start = time.perf_counter()
            net.train(x, y, epochs, batch_size, 0.1, progress=False, threads=threads)
            train_times.append((time.perf_counter() - start) / epochs)
            reference_times.append(tight_reference(x, targets, batch_size, 0.1, epochs)[0])
    return min(train_times), min(reference_times)


def call_overhead(x, y, repeats=5):
    """Best seconds of what train does once per call before its first epoch: check the inputs, one-hot the labels."""
    net, times = Network([N_INPUTS, N_HIDDEN, N_CLASSES], seed=0), []
    for _ in range(repeats):
        start = time.perf_counter()
        x_checked, y_checked, _ = plumbing.check_training(net, x, y, 1, 32, 0.1, None, 0.0, 0.0, None, False)
        nn.one_hot(y_checked, N_CLASSES, net.dtype)
        times.append(time.perf_counter() - start)
    return min(times)


def seconds_per_epoch(x, y, batch_size):
    net = Network([N_INPUTS, N_HIDDEN, N_CLASSES], seed=0)
    net.train(x, y, 1, batch_size, 0.1, progress=False)  # warm-up: page faults, caches
    times = []
    for _ in range(EPOCHS):
        start = time.perf_counter()
        net.train(x, y, 1, batch_size, 0.1, progress=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def shift_cost(x, y, batch_size=32, shift=2, repeats=5):
    """Seconds per epoch with and without random shifts, and the time of shift_images itself (into a reused array, as train does)."""
    rng, out = np.random.default_rng(0), np.empty_like(x)
    shift_times, plain_times, shifted_times = [], [], []
    for _ in range(repeats):
        start = time.perf_counter()
        augmentation.shift_images(x, shift, rng, out=out)  # once per epoch
        shift_times.append(time.perf_counter() - start)
        for augment, times in ((None, plain_times), (augmentation.random_shifts(shift), shifted_times)):
            net = Network([N_INPUTS, N_HIDDEN, N_CLASSES], seed=0)
            start = time.perf_counter()
            net.train(x, y, EPOCHS, batch_size, 0.1, progress=False, augment=augment)
            times.append((time.perf_counter() - start) / EPOCHS)
    return shift_times, plain_times, shifted_times


def distort_cost(x, y, elastic=ELASTIC, repeats=3):
    """Seconds per epoch at the best network's settings: plain, with random distortions, and with elastic ones too.

    Also the time of distort_images alone, once per epoch, without and with ``elastic``.
    Returns a dict of lists of seconds, one per repeat. The three kinds of epoch take turns, each repeat starting
    with the next one, so no kind always runs right after another (in a first version the last of the three
    was the fastest in three runs of three).
    """
    x, y = x[:N_DISTORT], y[:N_DISTORT]
    rng, out = np.random.default_rng(0), np.empty_like(x)
    augments = {
        "s/epoch plain": None,
        "s/epoch with distortions": augmentation.random_distortions(),
        "s/epoch with elastic too": augmentation.random_elastic(**elastic),
    }
    times = {"distort_images, once per epoch": [], "distort_images, elastic too": [], **{k: [] for k in augments}}
    for repeat in range(repeats):
        for name, bend in (("distort_images, once per epoch", None), ("distort_images, elastic too", elastic)):
            start = time.perf_counter()
            augmentation.distort_images(x, rng, elastic=bend, out=out)
            times[name].append(time.perf_counter() - start)
        kinds = list(augments.items())
        for name, augment in kinds[repeat % 3 :] + kinds[: repeat % 3]:
            net = Network([N_INPUTS, 256, N_CLASSES], seed=0, cost="cross_entropy")
            start = time.perf_counter()
            net.train(x, y, EPOCHS, 32, 0.05, progress=False, momentum=0.9, augment=augment)
            times[name].append((time.perf_counter() - start) / EPOCHS)
    return times


def fields_for_every_image(sigma, alpha, n=N_DISTORT):
    """Seconds to draw and smooth an elastic field for each of n images, 1,024 at a time: what distort_images' bank saves."""
    rng = np.random.default_rng(0)
    start = time.perf_counter()
    for first in range(0, n, 1024):
        augmentation.elastic_fields(min(1024, n - first), sigma, alpha, rng)
    return time.perf_counter() - start


def print_distort_cost(x, y, elastic=ELASTIC):
    """Time and print distort_cost, and what a field for every image would cost instead of the bank."""
    times = distort_cost(x, y, elastic)
    print(
        f"\naugment=random_distortions() and random_elastic(**{elastic}) at the best network's settings "
        f"([{N_INPUTS}, 256, {N_CLASSES}], cross-entropy, batch 32, rate 0.05, momentum 0.9), {N_DISTORT:,} images, "
        f"{EPOCHS}-epoch calls of train, 3 repeats; best, median and worst seconds:"
    )
    for name, seconds in times.items():
        print(f"  {name:<32} {min(seconds):6.3f} {statistics.median(seconds):6.3f} {max(seconds):6.3f}")
    plain = min(times["s/epoch plain"])
    print(
        f"  from the best times: distort_images {min(times['distort_images, once per epoch']) / plain:.0%} of a plain "
        f"epoch, {min(times['distort_images, elastic too']) / plain:.0%} with elastic; an epoch with distortions "
        f"{min(times['s/epoch with distortions']) / plain:.2f}× a plain one, with elastic too "
        f"{min(times['s/epoch with elastic too']) / plain:.2f}× (target: at most 1.5×)"
    )
    for sigma in sorted({4.0, elastic["sigma"]}):
        print(
            f"  without the bank, a field for every one of the {N_DISTORT:,} images at σ = {sigma:g}: "
            f"{fields_for_every_image(sigma, elastic['alpha']):.2f} s per epoch more"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=N_TRAIN, help=f"training images (default {N_TRAIN:,})")
    parser.add_argument(
        "--reference-only",
        action="store_true",
        help="only compare train with the tight reference (batch 32 and 128), then stop",
    )
    parser.add_argument(
        "--distortions-only",
        action="store_true",
        help="only time epochs with random distortions, affine and elastic, against plain ones",
    )
    parser.add_argument(
        "--sigma",
        type=float,
        default=ELASTIC["sigma"],
        help=f"the elastic distortions' width (default {ELASTIC['sigma']:g})",
    )
    args = parser.parse_args()
    elastic = dict(ELASTIC, sigma=args.sigma)
    rng = np.random.default_rng(0)
    x = rng.random((args.images, N_INPUTS), dtype=np.float32)
    y = rng.integers(0, N_CLASSES, args.images)
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, numpy {np.__version__}, Python {platform.python_version()}"
    )
    if args.distortions_only:
        print_distort_cost(x, y, elastic)
        return
    flops = training_flops(len(x), [N_INPUTS, N_HIDDEN, N_CLASSES])
    print(f"data: {len(x):,} x {N_INPUTS} random float32, network [{N_INPUTS}, {N_HIDDEN}, {N_CLASSES}]")
    for batch_size, target in REFERENCE_TARGETS.items():
        print(
            f"\ntrain against a tight NumPy loop of the same algorithm at batch {batch_size} ({EPOCHS}-epoch calls, "
            "seconds per epoch, best of 5, interleaved):"
        )
        results = {threads: train_against_reference(x, y, threads, batch_size) for threads in (1, 2)}
        (train_1, _), (_, reference_2) = results[1], results[2]
        for threads, (train_seconds, reference_seconds) in results.items():
            print(
                f"  {threads} BLAS thread{'s' if threads > 1 else ' '}: train {train_seconds:.3f} s/epoch, reference "
                f"{reference_seconds:.3f} s/epoch: train {train_seconds / reference_seconds:.2f}× the reference "
                f"(target: at most {target:.2f}×)"
            )
        print(f"  train's default (threads=1) against the reference with 2 BLAS threads: {train_1 / reference_2:.2f}×")
    print(
        f"\nincluded in train's figures above, spread over the {EPOCHS} epochs of each call: its checks and one-hot "
        f"targets, {call_overhead(x, y):.3f} s once per call"
    )
    if args.reference_only:
        return
    print()
    peak = matmul_gflops()
    print(f"np.matmul float32 1024x1024: {peak:.1f} GFLOP/s (best of 20)")
    print("train's default, 1 BLAS thread:")
    print(f"{'batch':>5}  {'s/epoch':>8}  {'examples/s':>10}  {'GFLOP/s':>7}  {'of matmul':>9}")
    for batch_size in (10, 32, 128):
        seconds = seconds_per_epoch(x, y, batch_size)
        rate = flops / seconds / 1e9
        print(f"{batch_size:>5}  {seconds:>8.2f}  {len(x) / seconds:>10,.0f}  {rate:>7.1f}  {rate / peak:>9.0%}")
    peak_after = matmul_gflops()
    print(f"np.matmul float32 1024x1024 again: {peak_after:.1f} GFLOP/s (a large change means a noisy machine)")

    shifts, plain, shifted = shift_cost(x, y)
    print(
        f"\naugment=random_shifts(2) at batch 32 ({EPOCHS}-epoch calls of train, 5 repeats; best, median and worst "
        "seconds):"
    )
    for name, times in (
        ("shift_images, once per epoch", shifts),
        ("s/epoch without shifts", plain),
        ("s/epoch with shifts of 2", shifted),
    ):
        print(f"  {name:<29} {min(times):6.3f} {statistics.median(times):6.3f} {max(times):6.3f}")
    print(
        f"  shift's cost, from the best times (the least disturbed by other work): shift_images "
        f"{min(shifts) / min(plain):.0%} of a plain epoch; the whole epoch {min(shifted) / min(plain) - 1:+.0%} "
        "(target: at most 1/5 = 20%)"
    )

    print_distort_cost(x, y, elastic)


if __name__ == "__main__":
    main()
