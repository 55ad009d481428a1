"""Choose the settings of the best network the lesson builds, on real handwriting.

Trains on the ``train`` part (4,000 images) of the 8,000 real EMNIST test
images of a–m in tests/data/ and compares on the ``choose`` part (2,000
images); the ``test`` part is left for tests/test_best_network.py to grade
on. Every figure it prints is for "real EMNIST letters a–m (8,000 images)",
13 classes, not the 26-class EMNIST test set. Run from the repository root:

    OMP_NUM_THREADS=1 python bench/choose_best.py --jobs 2

(one run per core, each with one BLAS thread; about 20 minutes on a busy
2-core machine, 35 runs, before the elastic stage). The search is staged, each
stage starting from the winner of the one before and each candidate the mean
of two seeds: it starts from the settings it chose before distortions existed
(``BEFORE_DISTORTIONS``: the rate, momentum, shifts, size and L2), then tries
random distortions (``distort_images``) at half, the usual and 1.5× the usual
amounts, instead of shifts and on top of them; then a cosine schedule from
three rates; then thicker and thinner strokes (other pens); then hidden size ×
epochs; then L2 (three seeds); then Simard's elastic distortions on top of the
affine ones, at a few widths σ and strengths α; last, longer training (up to
600 epochs), with and without them, compared by cross-validation
(``longer_stage``). BEST below
is what it chose when last run; it prints both, so a change shows.

``--stage elastic`` runs only the last two stages, from the winner before them
(``BEFORE_ELASTIC``), with the reference rows; ``--stage longer`` only the last:

    OMP_NUM_THREADS=1 python bench/choose_best.py --stage elastic --jobs 1
    OMP_NUM_THREADS=1 python bench/choose_best.py --stage longer --jobs 2

bench/best_proxies.py scores a choice on images unlike the training ones (thicker, thinner, turned, other
writers, synthetic photos).
"""

import argparse
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests"))
from conftest import notebook_defaults
from real_letters import real_inputs

import augmentation
import nn_helpers as nn

LABEL = "real EMNIST letters a–m (8,000 images)"
SEED = 1

# distort_images' default amounts, as the search writes them.
DISTORT_DEFAULTS = dict(rotation=10.0, scale=0.1, shear=0.2, translation=2.0)

# What this search chose before distortions existed (rate, momentum, shifts, size, L2); where it now starts.
BEFORE_DISTORTIONS = dict(
    cost="cross_entropy", hidden=256, epochs=60, batch_size=32, learning_rate=0.05, l2=0.0, momentum=0.9, shift=1
)

# What this search chose before elastic distortions existed; where its last stage starts with --stage elastic.
BEFORE_ELASTIC = dict(
    cost="cross_entropy",
    hidden=256,
    epochs=100,
    batch_size=32,
    learning_rate=0.1,
    l2=0.0,
    momentum=0.9,
    shift=0,
    distort=dict(rotation=10.0, scale=0.1, shear=0.2, translation=2.0),
    schedule="cosine",
)

# The widths σ and strengths α (pixels) the elastic stage tries (see augmentation.elastic_fields).
ELASTIC_CANDIDATES = [dict(sigma=4.0, alpha=15.0), dict(sigma=4.0, alpha=34.0), dict(sigma=5.0, alpha=25.0),
                      dict(sigma=6.0, alpha=15.0), dict(sigma=6.0, alpha=34.0)]  # fmt: skip

# About one standard error of the difference between two candidates' means of two seeds on the choose part
# (seeds differ by about 0.005, 10 letters of 2,000): a gain must exceed it for elastic distortions to stay.
NOISE = 0.005

# The last stage trains longer, with and without elastic distortions: the best of the stage before, and Simard's
# (σ = 4, α = 34), whose narrower Gaussian costs less; cheapest first (elastic distortions add about a tenth to an
# epoch with the affine ones alone, bench/README.md).
BEST_ELASTIC = dict(sigma=6.0, alpha=15.0)  # the best of ELASTIC_CANDIDATES on choose (bench/README.md)
SIMARD_ELASTIC = dict(sigma=4.0, alpha=34.0)  # Simard's, for digits: augmentation.random_elastic's defaults
LONGER_CANDIDATES = [(200, None), (200, BEST_ELASTIC), (300, None), (300, BEST_ELASTIC), (400, SIMARD_ELASTIC),
                     (400, BEST_ELASTIC), (600, SIMARD_ELASTIC), (600, BEST_ELASTIC)]  # (epochs, elastic)  # fmt: skip
FOLDS = 3
FOLD_SEEDS = (1, 11)  # each fold's run adds the fold's number to the seed, so every run starts apart

# The winner of the search below (see the README's Benchmarks): at 100 epochs the elastic distortions did not beat
# the winner before them by more than NOISE; trained for 400 epochs with Simard's, by cross-validation, they did.
BEST = dict(BEFORE_ELASTIC, epochs=400, distort=dict(BEFORE_ELASTIC["distort"], elastic=SIMARD_ELASTIC))


def plain_settings():
    """The notebook's defaults: the plain sigmoid + MSE network, for as many epochs as it trains on the full set."""
    p = notebook_defaults()
    return dict(
        cost="mse",
        hidden=p["LAYER_SIZES"][1],
        epochs=round(p["IMAGES_SEEN"] / 112_320),  # the notebook's epochs of the full training set (20)
        batch_size=p["BATCH_SIZE"],
        learning_rate=p["LEARNING_RATE"],
        l2=0.0,
        momentum=0.0,
        shift=0,
    )


def augment_for(settings):
    """Network.train's ``augment`` for the settings ``shift`` (pixels, 0 for none) and ``distort``.

    ``distort`` is None (or absent) for none, True for distort_images' default amounts, or a dict of
    amounts (which may hold ``elastic=dict(sigma=..., alpha=...)``). With both, each epoch's images are
    shifted, then the shifted images distorted.
    """
    shift, distort = settings["shift"], settings.get("distort")
    amounts = {} if distort is True else distort
    if not shift:
        return None if amounts is None else augmentation.random_distortions(**amounts)
    shifts = augmentation.random_shifts(shift)
    if amounts is None:
        return shifts
    distortions = augmentation.random_distortions(**amounts)
    return lambda x, rng, out: distortions(shifts(x, rng, out), rng, out)  # distorts the shifted images in place


def train(settings, x, y, validation=None, seed=SEED):
    """A network [784, hidden, 26] trained with these settings; also returns its history.

    ``shift`` and the optional ``distort`` become Network.train's ``augment`` (``augment_for``);
    the optional ``schedule`` is "cosine" for ``nn.cosine_schedule`` from the rate (a fixed rate when absent).
    """
    s = settings
    net = nn.Network([784, s["hidden"], 26], seed=seed, cost=s["cost"])
    rate = s["learning_rate"]
    if s.get("schedule") == "cosine":
        rate = nn.cosine_schedule(rate, s["epochs"])
    elif s.get("schedule") is not None:
        raise ValueError(f"schedule must be None or 'cosine', got {s['schedule']!r}")
    history = net.train(
        x,
        y,
        s["epochs"],
        s["batch_size"],
        rate,
        validation,
        progress=False,
        l2=s["l2"],
        momentum=s["momentum"],
        augment=augment_for(s),
    )
    return net, history


def describe(settings):
    """The settings that the search changes, in one short line for its table."""
    d = settings.get("distort")
    if d is None:
        distort = "off"
    else:
        d = dict(DISTORT_DEFAULTS, **({} if d is True else d))
        distort = f"{d['rotation']:g}°/{d['scale']:g}/{d['shear']:g}/{d['translation']:g}px"
        distort += f" pen {d['thickness']:g}" if d.get("thickness") else ""
        distort += f" σ{d['elastic']['sigma']:g} α{d['elastic']['alpha']:g}" if d.get("elastic") else ""
    return (
        f"{settings['cost']:>13} {settings['hidden']:>6} {settings['epochs']:>6} {settings['learning_rate']:>5} "
        f"{settings.get('schedule') or 'fixed':>6} {settings['l2']:>4} {settings['momentum']:>4} "
        f"{settings['shift']:>5} {distort:>30}"
    )


def evaluate(job):
    """One run of the search: (settings, seed) -> the accuracy on the choose part after the last epoch."""
    settings, seed = job
    _, history = train(settings, *real_inputs("train"), validation=real_inputs("choose"), seed=seed)
    return history["val_accuracy"][-1]


def train_and_choose():
    """The train and choose parts together (6,000 images), in a fixed shuffled order, for cross-validation."""
    (x_train, y_train), (x_choose, y_choose) = real_inputs("train"), real_inputs("choose")
    order = np.random.default_rng(123).permutation(len(y_train) + len(y_choose))
    return np.concatenate([x_train, x_choose])[order], np.concatenate([y_train, y_choose])[order]


def evaluate_fold(job):
    """One run of the cross-validation: (settings, seed, fold) -> the accuracy on that third of train + choose,
    trained on the other two thirds (4,000 images), from seed + fold."""
    settings, seed, fold = job
    x, y = train_and_choose()
    held = np.arange(len(y)) % FOLDS == fold
    net, _ = train(settings, x[~held], y[~held], seed=seed + fold)
    return net.accuracy(x[held], y[held])


def cheapest_within_noise(means, runs):
    """The index of the cheapest candidate (the first) whose mean is not beaten by the best one's by more than
    twice the standard error of their run-by-run (paired) differences; also those margins, one per candidate."""
    best = int(np.argmax(means))
    margins = [2 * np.std(np.subtract(runs[best], r), ddof=1) / np.sqrt(len(r)) for r in runs]
    return next(i for i, m in enumerate(means) if means[best] - m <= margins[i]), margins


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=1, help="runs at once (one per core; each uses one BLAS thread)")
    parser.add_argument(
        "--stage",
        choices=["all", "elastic", "longer"],
        default="all",
        help="'elastic': the last two stages, from BEFORE_ELASTIC, with the reference rows; 'longer': only the last "
        "(default: the whole search)",
    )
    args = parser.parse_args()
    pool = ProcessPoolExecutor(args.jobs) if args.jobs > 1 else None
    done = {}  # done: the accuracy of each (settings, seed) already run, so no run is repeated

    def run_all(jobs, evaluate=evaluate):
        """The accuracy of each job (evaluate's), running only those not run yet; and the seconds per run."""
        new = [job for job in jobs if repr(job) not in done]
        start = time.perf_counter()
        for job, accuracy in zip(new, pool.map(evaluate, new) if pool else map(evaluate, new)):
            done[repr(job)] = accuracy
        seconds = (time.perf_counter() - start) / max(len(new), 1) * min(args.jobs, max(len(new), 1))
        return [done[repr(job)] for job in jobs], seconds

    def stage(name, candidates, seeds=(1, 2), margin=0.0):
        """Run each candidate with each seed, print a row each, and return the best by mean choose accuracy.

        With a ``margin``, the last candidate (the winner so far) stays unless another beats its mean by more.
        """
        accuracies, seconds = run_all([(settings, seed) for settings in candidates for seed in seeds])
        rows = []
        for i, settings in enumerate(candidates):
            mine = accuracies[i * len(seeds) : (i + 1) * len(seeds)]
            rows.append((sum(mine) / len(mine), settings))
            print(
                f"{name:>8} {describe(settings)}  {rows[-1][0]:>6.3f}  " + " ".join(f"{a:.3f}" for a in mine),
                f" {seconds:4.0f} s/run",
                flush=True,
            )
        best = max(rows, key=lambda r: r[0])  # the earliest on a tie
        return best[1] if best[0] > rows[-1][0] + margin else rows[-1][1]

    def longer_stage(winner):
        """Longer training, with and without elastic distortions, by 3-fold cross-validation on train + choose.

        The gains left are about the size of the choose part's noise, so each candidate is trained on two thirds
        of the 6,000 images and scored on the third left out, each third in turn, from each of FOLD_SEEDS: six
        runs, 12,000 scored images. The cheapest candidate whose mean the best one's does not beat by more than
        twice the standard error of their paired differences wins.
        """
        candidates = [winner] + [
            dict(
                winner,
                epochs=epochs,
                distort=dict(winner["distort"], elastic=elastic) if elastic else winner["distort"],
            )
            for epochs, elastic in LONGER_CANDIDATES
        ]
        jobs = [(settings, seed, fold) for settings in candidates for seed in FOLD_SEEDS for fold in range(FOLDS)]
        accuracies, seconds = run_all(jobs, evaluate_fold)
        runs = np.reshape(accuracies, (len(candidates), -1))
        means = runs.mean(axis=1)
        chosen, margins = cheapest_within_noise(means, runs)
        for settings, mine, mean, margin in zip(candidates, runs, means, margins):
            print(
                f"{'longer':>8} {describe(settings)}  {mean:>6.4f}  " + " ".join(f"{a:.4f}" for a in mine),
                f" margin {margin:.4f}  {seconds:4.0f} s/run",
                flush=True,
            )
        return candidates[chosen]

    print(f"{LABEL}: train on the train part (4,000), accuracy on the choose part (2,000); network [784, hidden, 26]")
    print("acc: after the last epoch, the mean over the seeds whose accuracies follow; batch 32 throughout")
    print(
        "distort: rotation/scale/shear/translation (distort_images), pen: the share of images thickened or thinned, "
        "σ α: elastic distortions"
    )
    print(
        f"{'stage':>8} {'cost':>13} {'hidden':>6} {'epochs':>6} {'rate':>5} {'sched.':>6} {'l2':>4} {'mom.':>4} "
        f"{'shift':>5} {'distort':>30}  {'acc':>6}  seeds 1, 2 (, 3)"
    )
    plain = plain_settings()
    stage("plain", [plain], seeds=(1,))  # the notebook's defaults
    # The search starts from the previous winner: the rate, momentum, shifts, size and L2 chosen by
    # this script before distortions existed (see its history in git).
    before = dict(BEFORE_DISTORTIONS)
    stage("before", [before])
    if args.stage == "all":
        # Distortions instead of shifts (they include moves of up to 2 px), at half, the usual and 1.5×
        # the usual amounts, and on top of 1-pixel shifts.
        amounts = [{key: value * factor for key, value in DISTORT_DEFAULTS.items()} for factor in (0.5, 1, 1.5)]
        candidates = [dict(before, shift=0, distort=a) for a in amounts] + [dict(before, distort=amounts[1])]
        winner = stage("distort", candidates)
        # A cosine schedule: big steps first, small ones as the weights settle, from a few starting rates.
        winner = stage(
            "rate", [dict(winner, schedule="cosine", learning_rate=rate) for rate in (0.05, 0.1, 0.2)] + [winner]
        )
        # Other pens: half the images' strokes a little thicker or thinner each epoch.
        winner = stage("pen", [dict(winner, distort=dict(winner["distort"], thickness=0.5))] + [winner])
        # With distortions every epoch is new data: a bigger network and more epochs may pay now.
        candidates = [dict(winner, hidden=h, epochs=e) for h in (256, 512) for e in (60, 100)]
        winner = stage("size", [c for c in candidates if c != winner] + [winner])
        # L2, three seeds each: its gains are small.
        winner = stage("l2", [dict(winner, l2=l2) for l2 in (0.0, 0.3, 1.0)], seeds=(1, 2, 3))
        print(
            f"winner before elastic distortions = {winner}" + ("  (BEFORE_ELASTIC)" if winner == BEFORE_ELASTIC else "")
        )
    else:
        winner = dict(BEFORE_ELASTIC)
    before_elastic = winner
    if args.stage != "longer":
        # Simard's elastic distortions on top of the affine ones: the wobble of a hand. They cost time
        # in every epoch, so they are kept only if they beat the winner so far by more than the noise.
        candidates = [dict(winner, distort=dict(winner["distort"], elastic=e)) for e in ELASTIC_CANDIDATES]
        winner = stage("elastic", candidates + [winner], margin=NOISE)
    # Last, longer training: with distortions every epoch is new data, and 100 epochs was the longest tried.
    print(f"\nlonger: 3-fold cross-validation on train + choose (6,000), seeds {FOLD_SEEDS} (+ the fold): acc, runs")
    winner = longer_stage(winner)

    print(f"\nCHOSEN = {winner}")
    print(f"BEST in this script = {BEST}" + ("  (the same)" if winner == BEST else "  (differs: update BEST)"))
    print(f"\n{LABEL}, accuracy on the choose part (2,000 images), seeds 1, 2, 3:")
    for name, settings in (
        ("plain (notebook defaults)", plain),
        ("before distortions", before),
        ("before elastic", before_elastic),
        ("best (chosen)", winner),
    ):
        accuracies, _ = run_all([(settings, seed) for seed in (1, 2, 3)])
        print(f"{name:>26}: " + "  ".join(f"{a:.3f}" for a in accuracies) + f"   mean {sum(accuracies) / 3:.3f}")
    if pool:
        pool.shutdown()


if __name__ == "__main__":
    main()
