"""Real EMNIST images from ../shared/data/emnist (see its PROVENANCE.md).

Every figure here is measured on real EMNIST letters a–m (8,000 images),
13 classes, never the 26-class EMNIST test set.
"""

import numpy as np
from conftest import notebook_parameters

import nn_helpers as nn


def read_real(folder, stem):
    images = nn.read_idx(folder / f"{stem}-images-idx3-ubyte.gz", ndim=3)
    labels = nn.read_idx(folder / f"{stem}-labels-idx1-ubyte.gz", ndim=1)
    return nn.orient_letters(images, labels, stem)


def ink_box(image, threshold=64):
    rows, cols = np.nonzero(image > threshold)
    return rows.max() - rows.min() + 1, cols.max() - cols.min() + 1  # height, width


def test_one_real_image_per_letter_is_upright_and_labelled(shared_emnist):
    images, labels = read_real(shared_emnist / "subset", "emnist-letters-test-subset26")
    assert images.shape == (26, 28, 28)
    assert "".join(nn.LETTERS[k] for k in labels) == nn.LETTERS  # official indices 0, 800, … hold a, b, …
    for letter in "il":
        height, width = ink_box(images[nn.LETTERS.index(letter)])
        assert height > width, f"'{letter}' is {height} tall and {width} wide: is the image transposed?"
    # Stored (transposed), the same letters lie on their side:
    stored = images.swapaxes(1, 2)
    assert all(np.subtract(*ink_box(stored[nn.LETTERS.index(c)])) < 0 for c in "il")


def test_the_network_learns_real_handwriting(shared_emnist):
    images, labels = read_real(shared_emnist / "real", "emnist-letters-test-dev8000")
    assert len(labels) == 8000 and set(labels) == set(range(13))
    order = np.random.default_rng(0).permutation(len(labels))  # the file is sorted by letter
    x, y = nn.prepare_inputs(images[order]), labels[order]
    defaults = notebook_parameters()  # the settings the notebook trains with, chosen with bench/choose_defaults.py
    net = nn.Network(defaults["LAYER_SIZES"], seed=1)
    net.train(x[:6400], y[:6400], defaults["EPOCHS"], defaults["BATCH_SIZE"], defaults["LEARNING_RATE"], progress=False)
    accuracy = net.accuracy(x[6400:], y[6400:])
    print(f"\nreal EMNIST letters a–m (8,000 images): trained on 6,400, accuracy {accuracy:.3f} on the other 1,600")
    assert accuracy >= 0.80  # seeds 1-3 gave 0.841-0.846; chance is 1/13
