"""Watch it overfit: the setting of the notebook's section 8, on real handwriting.

Trains a network on a small subset for many epochs and prints, per epoch, the
training and validation accuracy and their gap; then the best validation
epoch and the final gap, and saves the learning curves as a PNG (the path is
printed). Run from the repository root:

    python bench/overfitting.py                       # real EMNIST letters a–m
    python bench/overfitting.py --data standin.zip    # a SYNTHETIC stand-in

Real: trains on the first ``--examples`` images of the ``train`` part of the
8,000 real EMNIST test images of a–m in tests/data/ and validates on the
``choose`` part (2,000 images); the ``test`` part is never touched. Every
figure from it is for "real EMNIST letters a–m (8,000 images)".

``--data`` instead reads a stand-in zip (tests/synthetic_emnist.py) and splits
it as the notebook does: the last tenth of the training images validate.
``--cures`` also trains with each cure of section 9 (``Network.train``'s
``l2``, ``momentum``, ``augment`` with ``augmentation.random_shifts`` or
``augmentation.random_distortions``, and ``keep_best``) and prints a table.
"""

import argparse
import os
import sys
import tempfile

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests"))
from real_letters import real_inputs  # noqa: E402

import augmentation  # noqa: E402
import emnist_data  # noqa: E402
import evaluation  # noqa: E402
import nn_helpers as nn  # noqa: E402

REAL = "real EMNIST letters a–m (8,000 images)"


def load(args):
    """(x_train, y_train), (x_val, y_val), and the label for every figure."""
    if args.data is None:
        (x, y), validation = real_inputs("train"), real_inputs("choose")
        return (x[: args.examples], y[: args.examples]), validation, REAL
    (images, labels), _ = emnist_data.load_emnist_letters(args.data)
    x = emnist_data.prepare_inputs(images)
    n_validation = len(x) // 10
    validation = x[-n_validation:][: args.validation], labels[-n_validation:][: args.validation]
    return (x[: args.examples], labels[: args.examples]), validation, f"SYNTHETIC stand-in ({len(x):,} training images)"


def summary(history, kept=False):
    """Best validation accuracy, its (1-based) epoch, and the final gap, training minus validation accuracy.

    With ``kept`` (keep_best) the network ends with the best epoch's weights, so its gap is that epoch's.
    """
    best = int(np.argmax(history["val_accuracy"]))
    end = best if kept else -1
    return history["val_accuracy"][best], best + 1, history["train_accuracy"][end] - history["val_accuracy"][end]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="a SYNTHETIC stand-in zip instead of the real letters")
    parser.add_argument("--examples", type=int, default=500, help="training images (default 500)")
    parser.add_argument("--validation", type=int, default=2000, help="stand-in validation images (default 2000)")
    parser.add_argument("--epochs", type=int, default=50)
    parser.add_argument("--hidden", type=int, default=256)
    parser.add_argument("--batch", type=int, default=10)
    parser.add_argument("--rate", type=float, default=0.5)
    parser.add_argument("--cost", default="cross_entropy")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cures", action="store_true", help="also train with each cure and print a table")
    parser.add_argument("--l2", type=float, default=2.0)
    parser.add_argument("--momentum", type=float, default=0.5)
    parser.add_argument("--shift", type=int, default=2)
    parser.add_argument("--plot", default=os.path.join(tempfile.gettempdir(), "overfitting.png"))
    args = parser.parse_args()

    (x, y), (x_val, y_val), data = load(args)
    sizes = [784, args.hidden, 26]
    print(
        f"{data}: train on {len(x):,}, validate on {len(x_val):,}; {sizes}, {args.cost}, batch {args.batch}, rate {args.rate}"
    )
    net = nn.Network(sizes, seed=args.seed, cost=args.cost)
    history = net.train(x, y, args.epochs, args.batch, args.rate, validation_data=(x_val, y_val), progress=False)
    print(f"{'epoch':>5} {'train acc':>9} {'val acc':>7} {'gap':>6} {'val cost':>8}")
    for epoch, (train, val, cost) in enumerate(
        zip(history["train_accuracy"], history["val_accuracy"], history["val_cost"]), 1
    ):
        print(f"{epoch:>5} {train:>9.3f} {val:>7.3f} {train - val:>+6.3f} {cost:>8.3f}")
    print(f"lowest validation cost at epoch {int(np.argmin(history['val_cost'])) + 1}")
    best, best_epoch, gap = summary(history)
    print(f"{data}: best validation accuracy {best:.3f} at epoch {best_epoch} of {args.epochs}; ", end="")
    print(f"final: validation {history['val_accuracy'][-1]:.3f}, gap {gap:+.3f}")
    histories, labels = [history], ["no cure"]

    if args.cures:
        cures = {
            f"l2={args.l2:g}": dict(l2=args.l2),
            f"momentum={args.momentum:g}": dict(momentum=args.momentum),
            f"shift={args.shift}": dict(augment=augmentation.random_shifts(args.shift)),
            "distort": dict(augment=augmentation.random_distortions()),  # distort_images' default amounts
            "keep_best": dict(keep_best=True),
            "all four": dict(
                l2=args.l2, momentum=args.momentum, augment=augmentation.random_shifts(args.shift), keep_best=True
            ),
        }
        for label, options in cures.items():
            cured = nn.Network(sizes, seed=args.seed, cost=args.cost)
            histories.append(
                cured.train(
                    x, y, args.epochs, args.batch, args.rate, validation_data=(x_val, y_val), progress=False, **options
                )
            )
            labels.append(label)
        print(
            f"\n{data}:\n{'setting':<14} {'best val acc':>12} {'best epoch':>10} {'final val acc':>13} {'final gap':>9}"
            f" {'train acc, last 10 epochs':>25}"
        )
        for label, h, options in zip(labels, histories, [{}, *cures.values()]):
            best, best_epoch, gap = summary(h, options.get("keep_best", False))
            final = best if options.get("keep_best") else h["val_accuracy"][-1]
            last = h["train_accuracy"][-10:]  # a range, since one epoch's figure can swing
            span = f"{min(last):.3f} to {max(last):.3f}"
            print(f"{label:<14} {best:>12.3f} {best_epoch:>10} {final:>13.3f} {gap:>+9.3f} {span:>25}")

    fig = evaluation.plot_history(histories, labels)
    fig.suptitle(f"{data}: {len(x):,} training images, {sizes}", fontsize=10)
    fig.tight_layout()
    fig.savefig(args.plot, dpi=90)
    plt.close(fig)
    print(f"plot saved to {args.plot}")


if __name__ == "__main__":
    main()
