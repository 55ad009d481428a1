"""Real EMNIST letters a–m (8,000 images) from tests/data, in three parts.

See tests/data/PROVENANCE.md. The parts are fixed by official test index:
``train`` (index % 5 is 1 or 2, 4,000 images) to train on, ``choose``
(index % 5 is 3, 2,000 images) to choose settings with in ``bench/``, and
``test`` (index % 5 is 4, 2,000 images) to grade on in the tests, and only there.
"""

from pathlib import Path

import numpy as np

import emnist_data

DATA = Path(__file__).resolve().parent / "data"
PARTS = {"train": (1, 2), "choose": (3,), "test": (4,)}


def read_real(stem, folder=DATA):
    """Upright images (n, 28, 28) and labels 0..25 of the real sample named ``stem``."""
    images = emnist_data.read_idx(folder / f"{stem}-images-idx3-ubyte.gz", ndim=3)
    labels = emnist_data.read_idx(folder / f"{stem}-labels-idx1-ubyte.gz", ndim=1)
    return emnist_data.orient_letters(images, labels, stem)


def real_letters(part):
    """One part of the 8,000 real a–m images: (images (n, 28, 28), labels 0..12).

    Sorted by letter, as the official test split is: shuffle before training.
    """
    images, labels = read_real("emnist-letters-test-dev8000")
    indices = np.loadtxt(DATA / "emnist-letters-test-dev8000-indices.txt", dtype=np.int64)
    keep = np.isin(indices % 5, PARTS[part])
    return images[keep], labels[keep]


def real_inputs(part, seed=0):
    """A part as network inputs (n, 784) in [0, 1] and labels, in a shuffled order."""
    images, labels = real_letters(part)
    order = np.random.default_rng(seed).permutation(len(labels))
    return emnist_data.prepare_inputs(images[order]), labels[order]
