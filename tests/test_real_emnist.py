"""Tests of emnist_data.py and nn_helpers.py on the real EMNIST images kept in tests/data (see its PROVENANCE.md).

Every figure here is measured on real EMNIST letters a–m (8,000 images),
13 classes, never the 26-class EMNIST test set. Grading uses the ``test``
part only, which played no part in choosing the notebook's settings.
"""

import numpy as np
from conftest import notebook_defaults
from real_letters import read_real, real_inputs

import nn_helpers as nn
from emnist_data import LETTERS


def ink_box(image, threshold=64):
    rows, cols = np.nonzero(image > threshold)
    return rows.max() - rows.min() + 1, cols.max() - cols.min() + 1  # height, width


def test_one_real_image_per_letter_is_upright_and_labelled():
    images, labels = read_real("emnist-letters-test-subset26")
    assert images.shape == (26, 28, 28)
    assert "".join(LETTERS[k] for k in labels) == LETTERS  # official indices 0, 800, … hold a, b, …
    for letter in "il":
        height, width = ink_box(images[LETTERS.index(letter)])
        assert height > width, f"'{letter}' is {height} tall and {width} wide: is the image transposed?"
    # Stored (transposed), the same letters lie on their side:
    stored = images.swapaxes(1, 2)
    assert all(np.subtract(*ink_box(stored[LETTERS.index(c)])) < 0 for c in "il")


def test_the_parts_are_disjoint_and_cover_every_letter():
    parts = {part: real_inputs(part) for part in ("train", "choose", "test")}
    assert {part: len(y) for part, (_, y) in parts.items()} == {"train": 4000, "choose": 2000, "test": 2000}
    assert all(set(y) == set(range(13)) for _, y in parts.values())
    rows = {part: {x_row.tobytes() for x_row in x} for part, (x, _) in parts.items()}
    assert not rows["test"] & (rows["train"] | rows["choose"])


def test_the_network_learns_real_handwriting():
    x_train, y_train = real_inputs("train")
    x_test, y_test = real_inputs("test")
    defaults = notebook_defaults()  # the settings the notebook trains with, chosen with bench/choose_defaults.py
    net = nn.Network(defaults["LAYER_SIZES"], seed=1)
    epochs = round(defaults["IMAGES_SEEN"] / 112_320)  # the notebook's epochs of the full training set (20)
    net.train(x_train, y_train, epochs, defaults["BATCH_SIZE"], defaults["LEARNING_RATE"], progress=False)
    accuracy = net.accuracy(x_test, y_test)
    print(f"\nreal EMNIST letters a–m (8,000 images): trained on 4,000, accuracy {accuracy:.3f} on 2,000 held apart")
    assert accuracy >= 0.78  # chance is 1/13
