"""Real EMNIST letters a–m (8,000 images) from tests/data, in three parts.

See tests/data/PROVENANCE.md. The parts are fixed by official test index:
``train`` (index % 5 is 1 or 2, 4,000 images) to train on, ``choose``
(index % 5 is 3, 2,000 images) to choose settings with in ``bench/``, and
``test`` (index % 5 is 4, 2,000 images) to grade on in the tests, and only there.

To run the notebook on real handwriting (13 letters, 4,000 training and 2,000 test images):

    python tests/real_letters.py /tmp/real-letters-a-m.zip
    EMNIST_DATA=/tmp/real-letters-a-m.zip jupyter lab neural_network.ipynb
"""

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script, too
import emnist_data  # noqa: E402

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


def write_real_sample(path, train_part="train", test_part="choose"):
    """Write two parts of the real sample as a zip in the official layout, for running the notebook on them.

    The training part is shuffled (as EMNIST's training split is) and the test part sorted by letter (as its
    test split is). 13 letters, a–m, and the loader's data line says "NOT the official EMNIST files".
    By default the notebook trains on ``train`` and tests on ``choose``: ``test`` stays for the tests' grading.
    """
    from emnist_layout import official_files, write_zip

    train = real_letters(train_part)
    order = np.random.default_rng(0).permutation(len(train[1]))
    return write_zip(path, official_files((train[0][order], train[1][order]), real_letters(test_part)))


if __name__ == "__main__":
    print("wrote", write_real_sample(sys.argv[1] if len(sys.argv) > 1 else "real-letters-a-m.zip"))
