"""The cures for overfitting in Network.train (l2, momentum, shift, keep_best), and what train reports.

Expected weights are computed here, independently of train, from backprop
and the update rule. train shuffles with the network's own generator, so a
copy of that generator, taken before training, tells the test each epoch's
order (and shifts) in advance.
"""

import copy
import re

import numpy as np
import pytest

import nn_helpers as nn


def small_problem(sizes, n, seed=0):
    rng = np.random.default_rng(seed)
    return rng.random((n, sizes[0])), rng.integers(0, sizes[-1], n)


def gradient(net, x, y):
    """∂C/∂W and ∂C/∂b on the batch (x, y), from backprop."""
    return net.backprop(x, nn.one_hot(y, net.sizes[-1], net.dtype))


def assert_same(params, expected, rtol=0.0):
    for p, e in zip(params, expected):
        if rtol:
            np.testing.assert_allclose(p, e, rtol=rtol, atol=0)
        else:
            np.testing.assert_array_equal(p, e)


# -- defaults unchanged -----------------------------------------------------


@pytest.mark.parametrize("cost", ["mse", "cross_entropy"])
def test_plain_training_is_unchanged_bit_for_bit(cost):
    """With every cure off, train is plain mini-batch descent: shuffle, W ← W − η ∂C/∂W, b ← b − η ∂C/∂b.

    Float32 as in the lesson, several epochs, and a last batch smaller than the rest.
    """
    sizes, eta, batch_size = [6, 5, 3], 0.7, 4
    x, y = small_problem(sizes, 10)
    x = x.astype(np.float32)
    net = nn.Network(sizes, seed=3, cost=cost)
    expected = nn.Network(sizes, seed=3, cost=cost)  # same seed: same initial weights
    rng = copy.deepcopy(net.rng)
    for _ in range(3):
        order = rng.permutation(len(x))
        for start in range(0, len(x), batch_size):
            batch = order[start : start + batch_size]
            grad_w, grad_b = gradient(expected, x[batch], y[batch])
            expected.weights = [W - eta * g for W, g in zip(expected.weights, grad_w)]
            expected.biases = [b - eta * g for b, g in zip(expected.biases, grad_b)]
    net.train(x, y, 3, batch_size, eta, progress=False)
    assert net.weights[0].dtype == np.float32
    assert_same(net.weights + net.biases, expected.weights + expected.biases)


# -- L2 regularisation ------------------------------------------------------


def test_l2_penalty_is_lambda_over_2n_times_the_sum_of_squared_weights():
    weights = [np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[-1.0, 0.5]])]  # Σ w² = 30 + 1.25
    assert nn.l2_penalty(weights, 0.5, 10) == pytest.approx(0.5 / (2 * 10) * 31.25, rel=1e-15)
    assert nn.l2_penalty(weights, 0.0, 10) == 0.0


def test_one_step_with_l2_adds_lambda_over_n_times_w_to_the_weight_gradient_only():
    sizes, eta, lam = [5, 4, 3], 0.5, 2.0
    x, y = small_problem(sizes, 8)
    net = nn.Network(sizes, seed=1, dtype=np.float64)
    net.biases = [np.random.default_rng(0).normal(size=b.shape) for b in net.biases]  # not 0, so λ·b would show
    W0, b0 = [W.copy() for W in net.weights], [b.copy() for b in net.biases]
    order = copy.deepcopy(net.rng).permutation(len(x))
    grad_w, grad_b = gradient(net, x[order], y[order])
    net.train(x, y, 1, len(x), eta, progress=False, l2=lam)  # one batch: one step
    n = len(x)
    assert_same(net.weights, [W - eta * (g + lam / n * W) for W, g in zip(W0, grad_w)], rtol=1e-14)
    assert_same(net.biases, [b - eta * g for b, g in zip(b0, grad_b)], rtol=1e-14)  # biases not regularised
    plain = [W - eta * g for W, g in zip(W0, grad_w)]
    assert not np.allclose(net.weights[0], plain[0], rtol=1e-6)  # the penalty made a difference


def numerical_gradient(f, params, eps=1e-6):
    """∂f/∂p for every entry of every array in params, by central differences."""
    grads = []
    for p in params:
        grad = np.zeros_like(p)
        for i in np.ndindex(p.shape):
            saved = p[i]
            p[i] = saved + eps
            f_plus = f()
            p[i] = saved - eps
            f_minus = f()
            p[i] = saved
            grad[i] = (f_plus - f_minus) / (2 * eps)
        grads.append(grad)
    return grads


def relative_error(a, b):
    return np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b))


@pytest.mark.parametrize("cost", ["mse", "cross_entropy"])
def test_the_l2_step_follows_the_gradient_of_the_regularised_cost(cost):
    """Gradient check: the gradient train steps along equals the slope of C + (λ/2n) Σ‖W‖², measured by nudging."""
    sizes, eta, lam = [4, 5, 3], 1e-3, 3.0
    x, y = small_problem(sizes, 7, seed=2)
    targets = nn.one_hot(y, sizes[-1], np.float64)
    net = nn.Network(sizes, seed=2, dtype=np.float64, cost=cost)
    net.biases = [np.random.default_rng(0).normal(size=b.shape) for b in net.biases]

    def regularised_cost():
        return nn.COSTS[cost](net.feedforward(x), targets) + nn.l2_penalty(net.weights, lam, len(x))

    numeric = numerical_gradient(regularised_cost, net.weights + net.biases)
    before = [p.copy() for p in net.weights + net.biases]
    net.train(x, y, 1, len(x), eta, progress=False, l2=lam)  # one full-batch step: p ← p − η ∂C/∂p
    analytic = [(p0 - p1) / eta for p0, p1 in zip(before, net.weights + net.biases)]
    errors = [relative_error(a, n) for a, n in zip(analytic, numeric)]
    assert max(errors) < 1e-6, errors
    # The check can fail: the gradient of the unregularised cost is far off.
    twin = nn.Network(sizes, seed=2, dtype=np.float64, cost=cost)
    twin.biases = [np.random.default_rng(0).normal(size=b.shape) for b in twin.biases]
    unregularised = gradient(twin, x, y)[0]
    assert max(relative_error(g, n) for g, n in zip(unregularised, numeric)) > 1e-2


# -- momentum ---------------------------------------------------------------


def test_two_steps_with_momentum_carry_the_velocity():
    """v ← μ·v − η ∂C/∂p, then p ← p + v: the second step adds μ times the first."""
    sizes, eta, mu = [5, 4, 3], 0.5, 0.9
    x, y = small_problem(sizes, 8)
    net = nn.Network(sizes, seed=1, dtype=np.float64)
    expected = nn.Network(sizes, seed=1, dtype=np.float64)
    rng = copy.deepcopy(net.rng)
    velocity = [np.zeros_like(p) for p in expected.weights + expected.biases]
    for _ in range(2):
        order = rng.permutation(len(x))
        grad_w, grad_b = gradient(expected, x[order], y[order])
        velocity = [mu * v - eta * g for v, g in zip(velocity, grad_w + grad_b)]
        params = [p + v for p, v in zip(expected.weights + expected.biases, velocity)]
        expected.weights, expected.biases = params[:2], params[2:]
    net.train(x, y, 2, len(x), eta, progress=False, momentum=mu)  # one batch per epoch: two steps
    assert_same(net.weights + net.biases, expected.weights + expected.biases, rtol=1e-13)
    # Without momentum the second step differs: the velocity mattered.
    plain = nn.Network(sizes, seed=1, dtype=np.float64)
    plain.train(x, y, 2, len(x), eta, progress=False)
    assert not np.allclose(plain.weights[0], net.weights[0], rtol=1e-6)


def test_momentum_combines_with_l2_and_starts_from_rest_in_each_call():
    sizes, eta, mu, lam = [5, 4, 3], 0.5, 0.8, 1.5
    x, y = small_problem(sizes, 6)
    n = len(x)
    net = nn.Network(sizes, seed=4, dtype=np.float64)
    expected = nn.Network(sizes, seed=4, dtype=np.float64)
    rng = copy.deepcopy(net.rng)
    for _ in range(2):  # two calls of one step each: v starts at 0 both times
        order = rng.permutation(n)
        grad_w, grad_b = gradient(expected, x[order], y[order])
        v_w = [-eta * (g + lam / n * W) for W, g in zip(expected.weights, grad_w)]  # v = μ·0 − η ∂C/∂W
        expected.weights = [W + v for W, v in zip(expected.weights, v_w)]
        expected.biases = [b - eta * g for b, g in zip(expected.biases, grad_b)]
        net.train(x, y, 1, n, eta, progress=False, momentum=mu, l2=lam)
    assert_same(net.weights + net.biases, expected.weights + expected.biases, rtol=1e-13)


# -- shifting images ------------------------------------------------------------


class KnownDraws:
    """Stands in for a generator: integers() hands out the given draws, and records what was asked."""

    def __init__(self, *draws):
        self.draws, self.asked = list(draws), []

    def integers(self, low, high, size):
        self.asked.append((low, high, size))
        return np.array(self.draws.pop(0))


def test_shift_images_moves_each_image_and_lets_zeros_in():
    images = np.arange(1, 3 * 784 + 1, dtype=np.float32).reshape(3, 28, 28)  # every pixel different, none 0
    draws = KnownDraws([1, -2, 0], [0, 1, -2])  # dy for each image, then dx
    shifted = nn.shift_images(images.reshape(3, 784), 2, draws).reshape(3, 28, 28)
    assert draws.asked == [(-2, 3, 3), (-2, 3, 3)]  # whole pixels in [−2, 2], drawn per image
    # Image 0 moves down 1 row: a row of zeros comes in at the top.
    np.testing.assert_array_equal(shifted[0, 0], np.zeros(28))
    np.testing.assert_array_equal(shifted[0, 1:], images[0, :-1])
    # Image 1 moves up 2 rows and right 1 column.
    np.testing.assert_array_equal(shifted[1, :26, 1:], images[1, 2:, :27])
    np.testing.assert_array_equal(shifted[1, 26:], np.zeros((2, 28)))
    np.testing.assert_array_equal(shifted[1, :, 0], np.zeros(28))
    assert shifted[1, 0, 1] == images[1, 2, 0]
    # Image 2 moves left 2 columns.
    np.testing.assert_array_equal(shifted[2, :, :26], images[2, :, 2:])
    np.testing.assert_array_equal(shifted[2, :, 26:], np.zeros((28, 2)))
    # Nothing else is zero, and the input is untouched.
    assert [int(np.sum(s == 0)) for s in shifted] == [28, 2 * 28 + 28 - 2, 2 * 28]
    assert images.min() == 1


def test_shift_images_moves_every_image_by_its_own_draw():
    """2,500 images, more than one chunk of 1,024: each lit pixel lands where its image's draw says."""
    dot = np.zeros((2500, 28, 28), np.float32)
    dot[:, 14, 14] = 1  # one lit pixel: where it lands tells the shift
    out = np.full((2500, 784), np.nan, np.float32)
    shifted = nn.shift_images(dot.reshape(2500, 784), 2, np.random.default_rng(0), out=out)
    assert shifted is out
    draws = np.random.default_rng(0)
    dy, dx = draws.integers(-2, 3, 2500), draws.integers(-2, 3, 2500)
    rows, cols = np.divmod(np.argmax(shifted, axis=1), 28)
    assert np.all(shifted.sum(axis=1) == 1)  # every image written, and the pixel never falls off with shift 2
    np.testing.assert_array_equal(rows - 14, dy)
    np.testing.assert_array_equal(cols - 14, dx)
    assert set(zip(dy, dx)) == {(a, b) for a in range(-2, 3) for b in range(-2, 3)}


def test_train_with_shift_steps_on_freshly_shifted_images_each_epoch():
    sizes, eta = [784, 3, 2], 0.5
    x, y = small_problem(sizes, 6)
    net = nn.Network(sizes, seed=5, dtype=np.float64)
    expected = nn.Network(sizes, seed=5, dtype=np.float64)
    rng = copy.deepcopy(net.rng)
    for _ in range(2):
        images = nn.shift_images(x, 1, rng)  # drawn first in each epoch, then the order
        order = rng.permutation(len(x))
        grad_w, grad_b = gradient(expected, images[order], y[order])
        expected.weights = [W - eta * g for W, g in zip(expected.weights, grad_w)]
        expected.biases = [b - eta * g for b, g in zip(expected.biases, grad_b)]
    history = net.train(x, y, 2, len(x), eta, progress=False, shift=1)
    assert_same(net.weights + net.biases, expected.weights + expected.biases, rtol=1e-13)
    # The recorded training figures are those of the final weights on the images as they are, not as shifted.
    assert history["train_accuracy"][-1] == net.accuracy(x, y)
    assert history["train_cost"][-1] == pytest.approx(nn.mse_cost(net.feedforward(x), nn.one_hot(y, 2)), rel=1e-12)
    assert history["train_cost"][-1] != pytest.approx(nn.mse_cost(net.feedforward(images), nn.one_hot(y, 2)), rel=1e-6)


# -- keeping the best epoch ---------------------------------------------------


def overfitting_problem():
    """Few noisy examples and a large network: validation accuracy peaks and falls back."""
    rng = np.random.default_rng(0)
    centres = rng.random((3, 10))
    y, y_val = rng.integers(0, 3, 30), rng.integers(0, 3, 300)
    x = np.clip(centres[y] + rng.normal(0, 0.35, (30, 10)), 0, 1)
    x_val = np.clip(centres[y_val] + rng.normal(0, 0.35, (300, 10)), 0, 1)
    return x, y, (x_val, y_val)


def test_keep_best_ends_with_the_weights_of_the_best_epoch():
    x, y, validation = overfitting_problem()
    net = nn.Network([10, 40, 3], seed=0)
    history = net.train(x, y, 60, 5, 3.0, validation, progress=False, keep_best=True)
    best = history["best_epoch"]
    assert best == int(np.argmax(history["val_accuracy"])) + 1  # the first epoch with the highest accuracy
    assert 1 < best < 60 and history["val_accuracy"][-1] < history["val_accuracy"][best - 1]  # a real peak
    # The same network trained for just `best` epochs ends with exactly these weights.
    twin = nn.Network([10, 40, 3], seed=0)
    twin.train(x, y, best, 5, 3.0, validation, progress=False)
    assert_same(net.weights + net.biases, twin.weights + twin.biases)
    assert net.accuracy(*validation) == history["val_accuracy"][best - 1]


def test_without_keep_best_the_best_epoch_is_recorded_and_the_last_weights_kept():
    x, y, validation = overfitting_problem()
    net = nn.Network([10, 40, 3], seed=0)
    history = net.train(x, y, 60, 5, 3.0, validation, progress=False)
    assert history["best_epoch"] == int(np.argmax(history["val_accuracy"])) + 1
    assert net.accuracy(*validation) == history["val_accuracy"][-1]
    no_validation = nn.Network([10, 40, 3], seed=0).train(x, y, 2, 5, 3.0, progress=False)
    assert no_validation["best_epoch"] is None


# -- the NaN guard ----------------------------------------------------------------


def train_with_a_step_that_blows_up(monkeypatch, net, x, y, failing_step, epochs=3):
    """Train with batches of 4, step ``failing_step`` (1-based) writing NaN into W¹; return the weights each step started from."""
    right, seen = net._backward, []

    def one_step_blows_up(activations, target):
        seen.append([p.copy() for p in net.weights + net.biases])  # the weights each step starts from
        grad_w, grad_b = right(activations, target)
        if len(seen) == failing_step:
            grad_w[0][:] = np.nan  # as when an overflowing step multiplies 0 by inf
        return grad_w, grad_b

    monkeypatch.setattr(net, "_backward", one_step_blows_up)
    with pytest.raises(FloatingPointError, match="at the start of the epoch that failed"):
        with np.errstate(all="ignore"):
            net.train(x, y, epochs, 4, 1.0, progress=False)
    monkeypatch.undo()
    return seen


@pytest.mark.parametrize("failing_step, epoch", [(3, 1), (5, 1), (7, 2), (10, 2)])
def test_after_a_floating_point_error_the_weights_are_those_the_epoch_started_from(monkeypatch, failing_step, epoch):
    """20 examples in batches of 4: 5 steps an epoch. A step that blows the weights up, in the middle of an epoch or
    as its last step, is caught by the cost after that epoch; the network goes back to the weights the epoch
    started from, and no later epoch runs."""
    x, y = small_problem([3, 4, 2], 20)
    net = nn.Network([3, 4, 2], seed=0)
    seen = train_with_a_step_that_blows_up(monkeypatch, net, x, y, failing_step)
    assert len(seen) == 5 * epoch  # the failing epoch ran to its end, and stopped training there
    assert_same(net.weights + net.biases, seen[5 * (epoch - 1)])  # those its first step started from
    if epoch > 1:
        assert not np.array_equal(seen[5][0], seen[0][0])  # epoch 1 did change the weights, and they were kept
    net.train(x, y, 1, 4, 0.1, progress=False)  # the learner lowers the rate and trains on
    assert all(np.all(np.isfinite(p)) for p in net.weights + net.biases)


def test_an_overflowing_first_step_leaves_the_initial_weights():
    net = nn.Network([3, 4, 2], seed=0)
    initial = [p.copy() for p in net.weights + net.biases]
    x = np.random.default_rng(0).random((8, 3))
    with pytest.raises(FloatingPointError, match="learning rate is most likely too high"):
        with np.errstate(all="ignore"):  # 1e300 overflows float32 under NumPy 1.26's casting and NumPy 2's alike
            net.train(x, np.arange(8) % 2, 3, 4, 1e300, progress=False, momentum=0.5)
    assert_same(net.weights + net.biases, initial)


# -- what train reports -------------------------------------------------------


def test_train_prints_one_summary_line(capsys):
    x, y, validation = overfitting_problem()
    history = nn.Network([10, 40, 3], seed=0).train(x, y, 4, 5, 3.0, validation, keep_best=True)
    out = capsys.readouterr().out
    best = history["best_epoch"]
    expected = (
        f"Trained 4 epochs in {history['seconds']:.1f} s: "
        f"training accuracy {history['train_accuracy'][-1]:.1%}, validation accuracy {history['val_accuracy'][-1]:.1%}; "
        f"kept the weights of epoch {best}, validation accuracy {history['val_accuracy'][best - 1]:.1%}"
    )
    assert out == expected + "\n"
    assert re.fullmatch(r"Trained 4 epochs in \d+\.\d s: training accuracy \d+\.\d%, .*\n", out)
    assert history["seconds"] > 0


def test_summary_without_validation_and_silence_without_progress(capsys):
    x, y, _ = overfitting_problem()
    net = nn.Network([10, 4, 3], seed=0)
    history = net.train(x, y, 2, 5, 1.0)
    out = capsys.readouterr().out
    seconds, accuracy = history["seconds"], history["train_accuracy"][-1]
    assert accuracy == net.accuracy(x, y)  # measured after the last epoch, on the training images
    assert out == f"Trained 2 epochs in {seconds:.1f} s: training accuracy {accuracy:.1%}\n"
    nn.Network([10, 4, 3], seed=0).train(x, y, 2, 5, 1.0, progress=False)
    assert capsys.readouterr() == ("", "")
