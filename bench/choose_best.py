"""Choose the settings of the best network the lesson builds, on real handwriting.

Trains on the ``train`` part (4,000 images) of the 8,000 real EMNIST test
images of a–m in tests/data/ and compares on the ``choose`` part (2,000
images); the ``test`` part is left for tests/test_best_network.py to grade
on. Every figure it prints is for "real EMNIST letters a–m (8,000 images)",
13 classes, not the 26-class EMNIST test set. Run from the repository root:

    python bench/choose_best.py

The search is small, so it runs in a few minutes on 2 cores: first the rate
with and without momentum (cross-entropy), then shifts, then a small grid of
hidden size, epochs and batch size around the winner, then L2. BEST below is
what it chose when last run; it prints both, so a change shows.
"""

import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests"))
from conftest import notebook_parameters
from real_letters import real_inputs

import nn_helpers as nn

LABEL = "real EMNIST letters a–m (8,000 images)"
SEED = 1

# The winner of the search below, on the choose part (see the README's Benchmarks).
BEST = dict(
    cost="cross_entropy", hidden=256, epochs=60, batch_size=32, learning_rate=0.05, l2=0.0, momentum=0.9, shift=1
)


def plain_settings():
    """The notebook's defaults: the plain sigmoid + MSE network."""
    p = notebook_parameters()
    return dict(
        cost="mse",
        hidden=p["LAYER_SIZES"][1],
        epochs=p["EPOCHS"],
        batch_size=p["BATCH_SIZE"],
        learning_rate=p["LEARNING_RATE"],
        l2=0.0,
        momentum=0.0,
        shift=0,
    )


def train(settings, x, y, validation=None, seed=SEED):
    """A network [784, hidden, 26] trained with these settings; also returns its history.

    Two optional settings: ``distort`` (Network.train's, None when absent) and
    ``schedule``, "cosine" for ``nn.cosine_schedule`` from the rate (a fixed rate when absent).
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
        shift=s["shift"],
        distort=s.get("distort"),
    )
    return net, history


def main():
    data = real_inputs("train")
    choose = real_inputs("choose")
    results = []

    def run(stage, seeds=(SEED,), **changes):
        """Train with the best settings so far, changed by `changes`; print the mean choose accuracy over `seeds`."""
        settings = dict(results_best(results) if results else plain_settings(), **changes)
        accuracies, best_epochs, start = [], [], time.perf_counter()
        for seed in seeds:
            _, history = train(settings, *data, validation=choose, seed=seed)
            accuracies.append(history["val_accuracy"][-1])
            best_epochs.append(history["best_epoch"])
        seconds = (time.perf_counter() - start) / len(seeds)
        accuracy = sum(accuracies) / len(accuracies)
        results.append((accuracy, stage, settings))
        print(
            f"{stage:>6} {settings['cost']:>13} {settings['hidden']:>6} {settings['epochs']:>6} "
            f"{settings['batch_size']:>5} {settings['learning_rate']:>5} {settings['l2']:>4} "
            f"{settings['momentum']:>4} {settings['shift']:>5}  {accuracy:>10.3f} {max(best_epochs):>5} "
            f"{seconds:>6.1f}"
            + (f"  seeds {seeds}: " + " ".join(f"{a:.3f}" for a in accuracies) if len(seeds) > 1 else "")
        )

    print(f"{LABEL}: train on the train part (4,000), accuracy on the choose part (2,000); network [784, hidden, 26]")
    print("choose acc: after the last epoch (mean over seeds where several); peak: the epoch of the highest")
    print(
        f"{'stage':>6} {'cost':>13} {'hidden':>6} {'epochs':>6} {'batch':>5} {'rate':>5} {'l2':>4} "
        f"{'mom.':>4} {'shift':>5}  {'choose acc':>10} {'peak':>5} {'s/run':>6}"
    )
    run("plain")  # the notebook's defaults
    plain = results[0]
    base = dict(cost="cross_entropy", l2=0.0, momentum=0.0, shift=0)
    for rate in (0.5, 1.0):
        run("rate", **base, learning_rate=rate)
    for rate in (0.05, 0.1, 0.2):
        run("rate", **dict(base, momentum=0.9), learning_rate=rate)
    for shift in (1, 2):
        run("shift", shift=shift)
    winner = results_best(results)
    for hidden in (128, 256):
        for epochs in (30, 60):
            for batch_size in (32, 64):
                if (hidden, epochs, batch_size) != (winner["hidden"], winner["epochs"], winner["batch_size"]):
                    run("size", **dict(winner, hidden=hidden, epochs=epochs, batch_size=batch_size))
    # Last, L2: how much it pays depends on the epochs, the size and the shifts. Its gains are
    # small, so each λ is the mean of three seeds, and the choice is made among these alone.
    winner = results_best(results)
    del results[:]
    for l2 in (0.0, 0.3, 1.0, 3.0):
        run("l2", seeds=(1, 2, 3), **dict(winner, l2=l2))

    chosen = results_best(results)
    print(f"\nCHOSEN = {chosen}")
    print(f"BEST in this script = {BEST}" + ("  (the same)" if chosen == BEST else "  (differs: update BEST)"))
    print(f"\n{LABEL}, accuracy on the choose part (2,000 images), three seeds each:")
    for name, settings in (("plain (notebook defaults)", plain[2]), ("best (chosen above)", chosen)):
        accuracies = [train(settings, *data, seed=seed)[0].accuracy(*choose) for seed in (1, 2, 3)]
        print(f"{name:>26}: " + "  ".join(f"{a:.3f}" for a in accuracies))


def results_best(results):
    """The settings with the highest choose accuracy so far (the earliest on a tie)."""
    return max(results, key=lambda r: r[0])[2]


if __name__ == "__main__":
    main()
