"""Tests of nn_helpers.py: the network's gradients, the small pieces, learning, and saving."""

import warnings

import numpy as np
import pytest

import nn_helpers as nn


def tiny_batch(sizes, n, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.random((n, sizes[0]))
    y = nn.one_hot(rng.integers(0, sizes[-1], n), sizes[-1], np.float64)
    return x, y


# -- gradient check ---------------------------------------------------------


@pytest.mark.parametrize("sizes", [[4, 5, 3], [6, 7, 5, 4], [3, 2]])
def test_backprop_matches_central_differences(sizes):
    net = nn.Network(sizes, seed=1, dtype=np.float64)
    x, y = tiny_batch(sizes, n=7)
    assert nn.gradient_check(net, x, y) < nn.GRADIENT_CHECK_TOLERANCE


def test_gradient_check_catches_a_wrong_gradient(monkeypatch):
    """The check itself must be able to fail: break backprop and watch it notice."""
    net = nn.Network([4, 5, 3], seed=1, dtype=np.float64)
    x, y = tiny_batch([4, 5, 3], n=7)
    right = net._backward

    def forgets_sigmoid_prime_at_the_output(activations, y):
        grads_w, grads_b = right(activations, y)
        return [2 * g for g in grads_w], grads_b

    monkeypatch.setattr(net, "_backward", forgets_sigmoid_prime_at_the_output)
    assert nn.gradient_check(net, x, y) > 1e-2


def test_backprop_shapes_match_parameters():
    net = nn.Network([784, 16, 26], seed=0)
    x, y = tiny_batch([784, 16, 26], n=5)
    grad_w, grad_b = net.backprop(x, y)
    assert [g.shape for g in grad_w] == [w.shape for w in net.weights] == [(16, 784), (26, 16)]
    assert [g.shape for g in grad_b] == [b.shape for b in net.biases] == [(16,), (26,)]


# -- small pieces -----------------------------------------------------------


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sigmoid_is_stable_at_extremes(dtype):
    z = np.array([-1e4, -50, 0, 50, 1e4], dtype=dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any overflow warning fails the test
        s = nn.sigmoid(z)
        d = nn.sigmoid_prime(z)
    assert s.dtype == dtype and np.all(np.isfinite(s)) and np.all(np.isfinite(d))
    np.testing.assert_allclose(s, [0, 0, 0.5, 1, 1], atol=1e-7)
    np.testing.assert_allclose(d, [0, 0, 0.25, 0, 0], atol=1e-7)


def test_sigmoid_matches_the_textbook_formula():
    z = np.linspace(-20, 20, 101)
    np.testing.assert_allclose(nn.sigmoid(z), 1 / (1 + np.exp(-z)), rtol=1e-12, atol=1e-15)
    h = 1e-6
    np.testing.assert_allclose(nn.sigmoid_prime(z), (nn.sigmoid(z + h) - nn.sigmoid(z - h)) / (2 * h), atol=1e-9)


def test_mse_cost_is_half_the_mean_squared_distance():
    a = np.array([[0.5, 0.5], [1.0, 0.0]])
    y = np.array([[1.0, 0.0], [1.0, 0.0]])
    assert nn.mse_cost(a, y) == pytest.approx(0.5 * (0.25 + 0.25 + 0.0) / 2)
    assert nn.mse_cost(y, y) == 0


def test_mse_cost_derivative_is_a_minus_y_over_n():
    rng = np.random.default_rng(0)
    a, y = rng.random((3, 4)), nn.one_hot([0, 3, 1], 4, np.float64)
    h, numeric = 1e-6, np.zeros_like(a)
    for i in np.ndindex(a.shape):
        step = np.zeros_like(a)
        step[i] = h
        numeric[i] = (nn.mse_cost(a + step, y) - nn.mse_cost(a - step, y)) / (2 * h)
    np.testing.assert_allclose(numeric, (a - y) / len(a), atol=1e-8)


def test_mse_cost_rejects_mismatched_shapes():
    with pytest.raises(ValueError, match="shape"):
        nn.mse_cost(np.zeros((2, 3)), np.zeros((2, 4)))


def test_one_hot():
    np.testing.assert_array_equal(nn.one_hot([2, 0], 3), [[0, 0, 1], [1, 0, 0]])
    assert nn.one_hot([1], 4).dtype == np.float32
    with pytest.raises(ValueError, match="0..2"):
        nn.one_hot([3], 3)
    with pytest.raises(ValueError, match="integer"):
        nn.one_hot([0.5], 3)


def test_initial_weights_have_the_documented_spread():
    net = nn.Network([784, 500, 26], seed=0)
    assert net.weights[0].std() == pytest.approx(1 / np.sqrt(784), rel=0.02)
    assert net.weights[1].std() == pytest.approx(1 / np.sqrt(500), rel=0.05)
    assert all(np.all(b == 0) for b in net.biases)
    assert net.weights[0].dtype == np.float32


def test_same_seed_same_network():
    a, b = nn.Network([5, 4, 3], seed=7), nn.Network([5, 4, 3], seed=7)
    assert all(np.array_equal(p, q) for p, q in zip(a.weights, b.weights))


def test_feedforward_shape_and_range():
    net = nn.Network([6, 4, 3], seed=0)
    out = net.feedforward(np.random.default_rng(0).random((5, 6)))
    assert out.shape == (5, 3) and np.all((out > 0) & (out < 1))


# -- bad arguments ----------------------------------------------------------

X = np.zeros((4, 3))
Y = np.array([0, 1, 1, 0])


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(x=np.zeros((4, 2))), r"shape \(n, 3\)"),
        (dict(x=np.zeros(12)), r"shape \(n, 3\)"),
        (dict(y=np.array([0, 1, 1])), "3 labels but there are 4 examples"),
        (dict(y=np.array([0, 1, 2, 0])), r"0\.\.1"),
        (dict(y=np.array([0, -1, 1, 0])), r"0\.\.1"),
        (dict(y=np.array([0.0, 1.0, 1.0, 0.0])), "integer labels"),
        (dict(epochs=0), "epochs must be a positive integer"),
        (dict(epochs=2.5), "epochs must be a positive integer"),
        (dict(epochs=True), "epochs must be a positive integer"),
        (dict(batch_size=-3), "batch_size must be a positive integer"),
        (dict(batch_size="8"), "batch_size must be a positive integer"),
        (dict(learning_rate=0), "learning_rate must be a positive number"),
        (dict(learning_rate=float("nan")), "learning_rate must be a positive number"),
        (dict(validation_data=np.zeros((4, 3))), "validation_data must be a pair"),
        (dict(validation_data=(np.zeros((2, 5)), np.array([0, 1]))), r"x_val must have shape \(n, 3\)"),
        (dict(validation_data=(np.zeros((2, 3)), np.array([0, 7]))), r"y_val must lie in 0\.\.1"),
    ],
)
def test_train_rejects_bad_arguments(kwargs, message):
    net = nn.Network([3, 4, 2], seed=0)
    args = dict(x=X, y=Y, epochs=1, batch_size=2, learning_rate=0.1) | kwargs
    with pytest.raises(ValueError, match=message):
        net.train(**args, progress=False)


@pytest.mark.parametrize("sizes", [[784], [784, 0, 26], [784, 2.5, 26], []])
def test_network_rejects_bad_sizes(sizes):
    with pytest.raises(ValueError, match="sizes"):
        nn.Network(sizes)


def test_backprop_rejects_labels_that_are_not_one_hot():
    net = nn.Network([3, 4, 2], seed=0)
    with pytest.raises(ValueError, match="one_hot"):
        net.backprop(X, Y)


def test_a_diverging_learning_rate_stops_with_a_clear_error():
    net = nn.Network([3, 4, 2], seed=0)
    x = np.random.default_rng(0).random((8, 3))
    # With sigmoid and MSE the gradient is bounded, so only a step that
    # overflows float32 makes the cost non-finite. 1e300 does on NumPy 1.26 too,
    # where 1e39 times a float32 array is a float64 array, finite once cast back.
    with pytest.raises(FloatingPointError, match="learning rate is most likely too high"):
        with np.errstate(all="ignore"):
            net.train(x, np.arange(8) % 2, epochs=3, batch_size=4, learning_rate=1e300, progress=False)


# -- learning ---------------------------------------------------------------


def two_rings(n, seed):
    """Points on an inner and an outer ring: no straight line separates them."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 2, n)
    radius = np.where(labels == 1, 1.0, 0.4) + rng.normal(0, 0.08, n)
    angle = rng.uniform(0, 2 * np.pi, n)
    points = np.column_stack([radius * np.cos(angle), radius * np.sin(angle)]) / 2.5 + 0.5
    return points, labels


def test_learns_a_problem_no_straight_line_solves():
    x, y = two_rings(1000, seed=0)
    x_test, y_test = two_rings(500, seed=1)
    net = nn.Network([2, 16, 2], seed=0)
    history = net.train(
        x, y, epochs=200, batch_size=10, learning_rate=3.0, validation_data=(x_test, y_test), progress=False
    )
    assert history["train_cost"][-1] < 0.5 * history["train_cost"][0]
    assert net.accuracy(x_test, y_test) >= 0.95
    assert history["val_accuracy"][-1] == net.accuracy(x_test, y_test)
    assert len(history["train_accuracy"]) == 200


def test_history_without_validation_has_empty_validation_lists():
    x, y = two_rings(50, seed=0)
    history = nn.Network([2, 4, 2], seed=0).train(x, y, 2, 10, 1.0, progress=False)
    assert history["val_cost"] == [] and history["val_accuracy"] == []
    assert len(history["train_cost"]) == 2


def test_a_batch_that_does_not_divide_the_data_still_trains():
    x, y = two_rings(53, seed=0)
    net = nn.Network([2, 4, 2], seed=0)
    before = [w.copy() for w in net.weights]
    net.train(x, y, 1, 10, 1.0, progress=False)
    assert not np.array_equal(before[0], net.weights[0])


def test_training_matches_one_plain_gradient_step():
    """One epoch with one full batch is exactly W ← W − η ∂C/∂W."""
    x, y = two_rings(20, seed=0)
    net = nn.Network([2, 3, 2], seed=0, dtype=np.float64)
    expected_w, _ = net.backprop(x, nn.one_hot(y, 2, np.float64))
    expected = [w - 0.5 * g for w, g in zip(net.weights, expected_w)]
    net.train(x, y, 1, 20, 0.5, progress=False)
    for w, e in zip(net.weights, expected):
        np.testing.assert_allclose(w, e, rtol=1e-12)


def test_predict_and_accuracy():
    net = nn.Network([2, 2], seed=0)
    net.weights[0][:] = [[10, -10], [-10, 10]]
    x = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 0.0]])
    np.testing.assert_array_equal(net.predict(x), [0, 1, 0])
    assert net.accuracy(x, np.array([0, 1, 1])) == pytest.approx(2 / 3)


# -- saving -----------------------------------------------------------------


def test_save_and_load_give_identical_predictions(tmp_path):
    x, y = two_rings(200, seed=0)
    net = nn.Network([2, 8, 5, 2], seed=0)
    net.train(x, y, 3, 10, 1.0, progress=False)
    net.save(tmp_path / "model.npz")
    loaded = nn.Network.load(tmp_path / "model.npz")
    assert loaded.sizes == net.sizes and loaded.dtype == net.dtype
    np.testing.assert_array_equal(loaded.feedforward(x), net.feedforward(x))
    assert list(tmp_path.iterdir()) == [tmp_path / "model.npz"]  # no temporary file left


def test_load_rejects_a_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="No network file"):
        nn.Network.load(tmp_path / "absent.npz")


def test_load_rejects_a_file_that_is_not_npz(tmp_path):
    path = tmp_path / "model.npz"
    path.write_bytes(b"this is not a saved network")
    with pytest.raises(ValueError, match="not a network file"):
        nn.Network.load(path)


def test_load_rejects_a_truncated_file(tmp_path):
    path = tmp_path / "model.npz"
    nn.Network([3, 4, 2], seed=0).save(path)
    path.write_bytes(path.read_bytes()[:200])
    with pytest.raises(ValueError, match="not a network file"):
        nn.Network.load(path)


def test_load_rejects_mismatched_shapes(tmp_path):
    path = tmp_path / "model.npz"
    np.savez(path, sizes=np.array([3, 4, 2]), W0=np.zeros((4, 3)), b0=np.zeros(4), W1=np.zeros((2, 5)), b1=np.zeros(2))
    with pytest.raises(ValueError, match=r"W1 is shape \(2, 5\).*need shape \(2, 4\)"):
        nn.Network.load(path)


def test_load_rejects_a_missing_layer(tmp_path):
    path = tmp_path / "model.npz"
    np.savez(path, sizes=np.array([3, 4, 2]), W0=np.zeros((4, 3)), b0=np.zeros(4))
    with pytest.raises(ValueError, match="W1 is missing"):
        nn.Network.load(path)
