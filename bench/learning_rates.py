"""Check the notebook's learning-rate figure and exercise (section 7.3) on real handwriting.

Trains the notebook's default network (sigmoid + MSE, [784, 128, 26], batch
32) at several learning rates, from the same start, on the ``train`` part
(4,000 images) of the 8,000 real EMNIST test images of a–m in tests/data/, and
prints the accuracy on the ``choose`` part (2,000 images) after each epoch.
Every figure is for "real EMNIST letters a–m (8,000 images)". Run from the
repository root:

    python bench/learning_rates.py [--epochs 10] [--seeds 0 1 2] [--rates 0.1 1 3 10 30 60 90]
"""

import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests"))
from real_letters import real_inputs  # noqa: E402

import nn_helpers as nn  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--rates", type=float, nargs="+", default=[0.1, 1, 3, 10, 30, 60, 90])
    parser.add_argument("--hidden", type=int, default=128)
    args = parser.parse_args()
    (x, y), validation = real_inputs("train"), real_inputs("choose")
    print(f"real EMNIST letters a–m (8,000 images): train on {len(x):,}, accuracy on {len(validation[1]):,}")
    print(f"[784, {args.hidden}, 26], sigmoid + MSE, batch 32, {args.epochs} epochs; chance is 1/13 ≈ 0.077")
    print(f"{'rate':>6} {'seed':>4}  accuracy after each epoch")
    for rate in args.rates:
        for seed in args.seeds:
            net = nn.Network([784, args.hidden, 26], seed=seed)
            with np.errstate(over="ignore"):
                history = net.train(x, y, args.epochs, 32, rate, validation_data=validation, progress=False)
            print(f"{rate:>6g} {seed:>4}  " + " ".join(f"{a:.2f}" for a in history["val_accuracy"]))


if __name__ == "__main__":
    main()
