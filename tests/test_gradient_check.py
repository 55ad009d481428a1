"""Tests of nn_helpers.py's gradient_check: a relative error, in float64 on a copy, against one tolerance."""

import re

import numpy as np
import pytest

import nn_helpers as nn

TOLERANCE = nn.GRADIENT_CHECK_TOLERANCE


def batch(sizes, n=7, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.random((n, sizes[0]))
    return x, nn.one_hot(rng.integers(0, sizes[-1], n), sizes[-1], np.float64)


def scale_backprop(monkeypatch, factor):
    """Make every gradient backprop returns ``factor`` times the true one."""
    right = nn.Network.backprop

    def scaled(self, x, y):
        grad_weights, grad_biases = right(self, x, y)
        return [factor * g for g in grad_weights], [factor * g for g in grad_biases]

    monkeypatch.setattr(nn.Network, "backprop", scaled)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("cost", ["mse", "cross_entropy"])
@pytest.mark.parametrize("sizes", [[3, 2], [4, 5, 3], [10, 20, 26], [6, 7, 5, 4]])
def test_correct_backprop_passes_whatever_the_dtype(sizes, cost, dtype):
    net = nn.Network(sizes, seed=1, dtype=dtype, cost=cost)
    x, y = batch(sizes)
    assert nn.gradient_check(net, x.astype(dtype), y.astype(dtype)) < TOLERANCE


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_a_wrong_gradient_fails_whatever_the_dtype(monkeypatch, dtype):
    net = nn.Network([4, 5, 3], seed=1, dtype=dtype)
    x, y = batch([4, 5, 3])
    scale_backprop(monkeypatch, 1.01)  # 1% too large: far subtler than a missing σ'
    assert nn.gradient_check(net, x.astype(dtype), y) > 100 * TOLERANCE


@pytest.mark.parametrize("gradient_scale", [1e-3, 1.0, 1e3])
def test_the_error_is_relative(monkeypatch, gradient_scale):
    """‖g − g_num‖ / (‖g‖ + ‖g_num‖) with g = (1 + r) g_num is r / (2 + r), however large g is."""
    sizes = [4, 5, 3]
    net = nn.Network(sizes, seed=1, dtype=np.float64)
    x, y = batch(sizes)
    # Scaling the targets' distance from the outputs scales the gradient, not the relative error:
    # with y = a + s (y₀ − a), ∇ₐC = (a − y)/n is s times larger for the MSE cost.
    a = net.feedforward(x)
    y = a + gradient_scale * (y - a)
    r = 1e-3
    scale_backprop(monkeypatch, 1 + r)
    assert nn.gradient_check(net, x, y) == pytest.approx(r / (2 + r), rel=1e-3)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("check", [nn.gradient_check, nn.numerical_gradients])
def test_the_network_checked_is_left_untouched(dtype, check):
    net = nn.Network([4, 5, 3], seed=1, dtype=dtype)
    net.biases = [np.random.default_rng(2).normal(size=b.shape).astype(dtype) for b in net.biases]
    before = [p.copy() for p in net.weights + net.biases]
    x, y = batch([4, 5, 3])
    check(net, x.astype(dtype), y.astype(dtype))
    assert net.dtype == dtype
    for p, p_before in zip(net.weights + net.biases, before):
        assert p.dtype == dtype
        np.testing.assert_array_equal(p, p_before)


def test_numerical_gradients_of_a_float32_network_are_float64_accurate():
    net32 = nn.Network([6, 7, 4], seed=3, dtype=np.float32, cost="cross_entropy")
    net64 = nn.Network([6, 7, 4], seed=3, dtype=np.float64, cost="cross_entropy")
    net64.weights = [W.astype(np.float64) for W in net32.weights]  # the same float32 values, held in float64
    x, y = batch([6, 7, 4], seed=4)
    x = x.astype(np.float32)  # float32 inputs too, as prepare_inputs gives
    numeric_w, numeric_b = nn.numerical_gradients(net32, x, y)
    exact_w, exact_b = net64.backprop(x.astype(np.float64), y)
    for numeric, exact in zip(numeric_w + numeric_b, exact_w + exact_b):
        assert numeric.dtype == np.float64
        np.testing.assert_allclose(numeric, exact, rtol=1e-6, atol=1e-10)


def test_the_docstring_states_the_tolerance():
    stated = re.search(r"``GRADIENT_CHECK_TOLERANCE`` \(([\d.e-]+)\)", nn.gradient_check.__doc__)
    assert stated and float(stated.group(1)) == TOLERANCE
