"""Tests of nn_helpers.py: the cross-entropy cost, the lesson's first "go further".

Reading your own handwriting, the other, is tested in tests/test_photos.py.
"""

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
