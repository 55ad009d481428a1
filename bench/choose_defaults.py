"""Choose the notebook's default settings on real handwriting.

Trains on the ``train`` part (4,000 images) of the 8,000 real EMNIST test
images of a–m in tests/data/ and measures accuracy on the ``choose`` part
(2,000 images). The ``test`` part is left for the tests to grade on.
Every figure it prints is for "real EMNIST letters a–m (8,000 images)",
13 classes, not the 26-class EMNIST test set. Run from the repository root:

    python bench/choose_defaults.py
"""

import itertools
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests"))
from real_letters import real_inputs

import nn_helpers as nn


def main():
    (x_train, y_train), (x_test, y_test) = real_inputs("train"), real_inputs("choose")
    print("real EMNIST letters a–m (8,000 images): train on 4,000, choose on 2,000; network [784, hidden, 26]")
    print(f"{'hidden':>6} {'batch':>5} {'rate':>5} {'epochs':>6} {'choose acc':>8} {'best epoch':>10} {'seconds':>7}")
    for hidden, batch_size, rate in itertools.product((30, 128), (10, 32, 128), (0.5, 1, 3, 10)):
        net = nn.Network([784, hidden, 26], seed=1)
        start = time.perf_counter()
        history = net.train(x_train, y_train, 30, batch_size, rate, (x_test, y_test), progress=False)
        seconds = time.perf_counter() - start
        best = int(np.argmax(history["val_accuracy"])) + 1
        print(
            f"{hidden:>6} {batch_size:>5} {rate:>5} {30:>6} {history['val_accuracy'][-1]:>8.3f} {best:>10} {seconds:>7.1f}"
        )

    print("\nThe best rates for batch 32 and 128 hidden units, over three seeds:")
    print(f"{'rate':>5} {'seeds 1, 2, 3: choose acc after 30 epochs':>40}")
    for rate in (1, 2, 3):
        accuracies = []
        for seed in (1, 2, 3):
            net = nn.Network([784, 128, 26], seed=seed)
            net.train(x_train, y_train, 30, 32, rate, progress=False)
            accuracies.append(net.accuracy(x_test, y_test))
        print(f"{rate:>5} {'  '.join(f'{a:.3f}' for a in accuracies):>40}")


if __name__ == "__main__":
    main()
