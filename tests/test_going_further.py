"""The "go further" parts of nn_helpers: cross-entropy, and reading your own handwriting."""

import numpy as np
import pytest
from test_network import tiny_batch, two_rings

import nn_helpers as nn


@pytest.mark.parametrize("cost", ["mse", "cross_entropy"])
@pytest.mark.parametrize("sizes", [[4, 5, 3], [6, 7, 5, 4]])
def test_backprop_matches_central_differences_for_both_costs(sizes, cost):
    net = nn.Network(sizes, seed=1, dtype=np.float64, cost=cost)
    x, y = tiny_batch(sizes, n=7)
    assert nn.gradient_check(net, x, y) < nn.GRADIENT_CHECK_TOLERANCE


def test_cross_entropy_value_and_derivative():
    a, y = np.array([[0.8, 0.3]]), np.array([[1.0, 0.0]])
    assert nn.cross_entropy_cost(a, y) == pytest.approx(-(np.log(0.8) + np.log(0.7)))
    rng = np.random.default_rng(0)
    a, y = rng.uniform(0.1, 0.9, (3, 4)), nn.one_hot([0, 3, 1], 4, np.float64)
    h, numeric = 1e-6, np.zeros_like(a)
    for i in np.ndindex(a.shape):
        step = np.zeros_like(a)
        step[i] = h
        numeric[i] = (nn.cross_entropy_cost(a + step, y) - nn.cross_entropy_cost(a - step, y)) / (2 * h)
    np.testing.assert_allclose(numeric, (a - y) / (a * (1 - a)) / len(a), rtol=1e-6)


def test_cross_entropy_is_finite_for_saturated_outputs():
    assert np.isfinite(nn.cross_entropy_cost(np.array([[0.0, 1.0]], np.float32), np.array([[1.0, 0.0]])))


def test_the_default_cost_is_the_seed_lessons_mse():
    assert nn.Network([2, 2]).cost == "mse"
    with pytest.raises(ValueError, match="cost must be one of"):
        nn.Network([2, 2], cost="hinge")


def test_cross_entropy_network_learns_and_its_history_uses_its_cost():
    x, y = two_rings(1000, seed=0)
    net = nn.Network([2, 16, 2], seed=0, cost="cross_entropy")
    history = net.train(x, y, 100, 10, 0.5, validation_data=(x, y), progress=False)
    assert net.accuracy(*two_rings(500, seed=1)) >= 0.95
    output = net.feedforward(x)
    assert history["val_cost"][-1] == pytest.approx(nn.cross_entropy_cost(output, nn.one_hot(y, 2)), rel=1e-5)


def test_save_and_load_keep_the_cost(tmp_path):
    nn.Network([3, 2], seed=0, cost="cross_entropy").save(tmp_path / "m.npz")
    assert nn.Network.load(tmp_path / "m.npz").cost == "cross_entropy"


# -- your own handwriting ---------------------------------------------------


def draw_letter(path, letter="l", ink="black", paper="white"):
    """A letter drawn with matplotlib, off centre and small, as a photo of paper might be."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(2, 1.5), dpi=100, facecolor=paper)
    fig.text(0.3, 0.2, letter, fontsize=60, color=ink)
    fig.savefig(path, facecolor=paper)
    plt.close(fig)
    return path


@pytest.mark.parametrize("ink, paper", [("black", "white"), ("white", "black")])
def test_a_photo_of_a_letter_becomes_an_emnist_style_image(tmp_path, ink, paper):
    image = nn.preprocess_image(draw_letter(tmp_path / "l.png", "l", ink, paper))
    assert image.shape == (28, 28) and image.dtype == np.uint8
    assert image.max() == 255 and np.median(image) < 10  # white ink on black, as in EMNIST
    rows, cols = np.nonzero(image > 64)
    assert rows.max() - rows.min() > 2 * (cols.max() - cols.min())  # still upright: 'l' is tall
    assert 20 <= rows.max() - rows.min() + 1 <= 26  # the longer side fills about 24 of 28 pixels
    assert abs((rows.min() + rows.max()) / 2 - 13.5) <= 1.5 and abs((cols.min() + cols.max()) / 2 - 13.5) <= 1.5


def test_a_jpg_is_read_too(tmp_path):
    path = draw_letter(tmp_path / "x.jpg", "x")
    assert nn.preprocess_image(path).max() == 255


def test_predict_image_returns_the_top_three(tmp_path):
    net = nn.Network([784, 26], seed=0)
    net.biases[0][nn.LETTERS.index("q")] = 5  # a network that strongly favours "q"
    top = nn.predict_image(net, draw_letter(tmp_path / "a.png", "a"))
    assert [letter for letter, _ in top][0] == "q" and len(top) == 3
    probabilities = [p for _, p in top]
    assert probabilities == sorted(probabilities, reverse=True) and 0 < sum(probabilities) <= 1


def test_predict_image_rejects_a_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="No image at"):
        nn.predict_image(nn.Network([784, 26]), tmp_path / "missing.png")


def test_predict_image_rejects_a_file_that_is_not_an_image(tmp_path):
    path = tmp_path / "notes.png"
    path.write_text("not a picture")
    with pytest.raises(ValueError, match="not an image"):
        nn.predict_image(nn.Network([784, 26]), path)


@pytest.mark.parametrize("color", ["white", "black"])
def test_predict_image_rejects_a_blank_image(tmp_path, color):
    path = draw_letter(tmp_path / "blank.png", "", paper=color)
    with pytest.raises(ValueError, match="looks blank"):
        nn.predict_image(nn.Network([784, 26]), path)
