"""Tests of nn_helpers.py: the cures in Network.train (l2, momentum, augment, keep_best), the NaN guard, what train reports.

Expected weights are computed here, independently of train, from backprop
and the update rule. train shuffles with the network's own generator, so a
copy of that generator, taken before training, tells the test each epoch's
order (and shifts or distortions) in advance. The augment functions
themselves (augmentation.py) are tested in tests/test_distort.py.
"""

import copy
import re

import numpy as np
import pytest
from test_distort import images

import augmentation
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
    assert_same(net.velocities, velocity, rtol=1e-13)  # v is kept in net.velocities
    # Without momentum the second step differs: the velocity mattered.
    plain = nn.Network(sizes, seed=1, dtype=np.float64)
    plain.train(x, y, 2, len(x), eta, progress=False)
    assert not np.allclose(plain.weights[0], net.weights[0], rtol=1e-6)


def test_momentum_combines_with_l2_and_the_velocity_carries_over_from_one_call_of_train_to_the_next():
    """v is 0 when the network is made; net.velocities keeps it between calls of train, so a second call goes on."""
    sizes, eta, mu, lam = [5, 4, 3], 0.5, 0.8, 1.5
    x, y = small_problem(sizes, 6)
    n = len(x)
    net = nn.Network(sizes, seed=4, dtype=np.float64)
    expected = nn.Network(sizes, seed=4, dtype=np.float64)
    assert [v.shape for v in net.velocities] == [p.shape for p in net.weights + net.biases]
    assert all(np.all(v == 0) for v in net.velocities)  # at rest when made
    rng = copy.deepcopy(net.rng)
    velocity = [np.zeros_like(p) for p in expected.weights + expected.biases]
    for _ in range(2):  # two calls of one step each: the second starts from the velocity the first left
        order = rng.permutation(n)
        grad_w, grad_b = gradient(expected, x[order], y[order])
        grads = [g + lam / n * W for W, g in zip(expected.weights, grad_w)] + grad_b  # L2 on the weights only
        velocity = [mu * v - eta * g for v, g in zip(velocity, grads)]
        params = [p + v for p, v in zip(expected.weights + expected.biases, velocity)]
        expected.weights, expected.biases = params[:2], params[2:]
        net.train(x, y, 1, n, eta, progress=False, momentum=mu, l2=lam)
    assert_same(net.weights + net.biases, expected.weights + expected.biases, rtol=1e-13)
    assert_same(net.velocities, velocity, rtol=1e-13)
    # The carry-over mattered: set back to rest before the second call, the network ends elsewhere.
    rested = nn.Network(sizes, seed=4, dtype=np.float64)
    rested.train(x, y, 1, n, eta, progress=False, momentum=mu, l2=lam)
    rested.velocities = [np.zeros_like(v) for v in rested.velocities]
    rested.train(x, y, 1, n, eta, progress=False, momentum=mu, l2=lam)
    assert not np.allclose(rested.weights[0], net.weights[0], rtol=1e-6)


@pytest.mark.parametrize("momentum", [0.0, 0.7])
def test_update_mini_batch_is_one_step_on_the_batch_it_is_given(momentum):
    """update_mini_batch(x, y, η, μ, λ, n): v ← μ·v − η(∂C/∂p + (λ/n)W for weights), p ← p + v, straight from backprop."""
    sizes, eta, lam, n = [5, 4, 3], 0.4, 2.0, 50
    x, labels = small_problem(sizes, 7)
    y = nn.one_hot(labels, sizes[-1], np.float64)
    net = nn.Network(sizes, seed=2, dtype=np.float64)
    net.biases = [np.random.default_rng(0).normal(size=b.shape) for b in net.biases]  # not 0, so λ·b would show
    earlier = [np.random.default_rng(1).normal(size=p.shape) for p in net.weights + net.biases]  # a step before
    net.velocities = [v.copy() for v in earlier]
    before = [p.copy() for p in net.weights + net.biases]
    grad_w, grad_b = net.backprop(x, y)
    state = net.rng.bit_generator.state
    net.update_mini_batch(x, y, eta, momentum=momentum, l2=lam, n=n)

    def step(grads):
        """The parameters and velocities after the step along ``grads``."""
        if not momentum:  # plain gradient descent: the velocities are neither used nor changed
            return [p - eta * g for p, g in zip(before, grads)], earlier
        velocity = [momentum * v - eta * g for v, g in zip(earlier, grads)]
        return [p + v for p, v in zip(before, velocity)], velocity

    params, velocity = step([g + lam / n * W for W, g in zip(before, grad_w)] + grad_b)  # L2 on the weights only
    assert_same(net.weights + net.biases, params, rtol=1e-13)
    assert_same(net.velocities, velocity, rtol=1e-13)
    assert net.rng.bit_generator.state == state  # one step draws no random numbers
    # The check can fail: without the L2 term, or with it on the biases too, the step would differ.
    without_l2, _ = step(grad_w + grad_b)
    assert not np.allclose(net.weights[0], without_l2[0], rtol=1e-6)
    biases_too, _ = step([g + lam / n * p for p, g in zip(before, grad_w + grad_b)])
    assert not np.allclose(net.biases[0], biases_too[len(grad_w)], rtol=1e-6)


# -- augment: new images each epoch ------------------------------------------------


def test_train_with_random_shifts_steps_on_freshly_shifted_images_each_epoch():
    sizes, eta = [784, 3, 2], 0.5
    x, y = small_problem(sizes, 6)
    net = nn.Network(sizes, seed=5, dtype=np.float64)
    expected = nn.Network(sizes, seed=5, dtype=np.float64)
    rng = copy.deepcopy(net.rng)
    for _ in range(2):
        images = augmentation.shift_images(x, 1, rng)  # drawn first in each epoch, then the order
        order = rng.permutation(len(x))
        grad_w, grad_b = gradient(expected, images[order], y[order])
        expected.weights = [W - eta * g for W, g in zip(expected.weights, grad_w)]
        expected.biases = [b - eta * g for b, g in zip(expected.biases, grad_b)]
    history = net.train(x, y, 2, len(x), eta, progress=False, augment=augmentation.random_shifts(1))
    assert_same(net.weights + net.biases, expected.weights + expected.biases, rtol=1e-13)
    # The recorded training figures are those of the final weights on the images as they are, not as shifted.
    assert history["train_accuracy"][-1] == net.accuracy(x, y)
    assert history["train_cost"][-1] == pytest.approx(nn.mse_cost(net.feedforward(x), nn.one_hot(y, 2)), rel=1e-12)
    assert history["train_cost"][-1] != pytest.approx(nn.mse_cost(net.feedforward(images), nn.one_hot(y, 2)), rel=1e-6)


def gradient_step(net, x, y, eta):
    grad_w, grad_b = net.backprop(x, nn.one_hot(y, net.sizes[-1], net.dtype))
    net.weights = [W - eta * g for W, g in zip(net.weights, grad_w)]
    net.biases = [b - eta * g for b, g in zip(net.biases, grad_b)]


@pytest.mark.parametrize("shift", [0, 1])
def test_train_with_random_distortions_steps_on_fresh_distortions_each_epoch(shift):
    """The images each epoch's steps see are shift_images (if shift) then distort_images, drawn anew every epoch."""
    sizes, eta = [784, 3, 2], 0.5
    x, y = images(6, seed=8).astype(np.float64), np.arange(6) % 2
    amounts = dict(rotation=15, translation=1)
    net = nn.Network(sizes, seed=5, dtype=np.float64)
    expected = nn.Network(sizes, seed=5, dtype=np.float64)
    rng = copy.deepcopy(net.rng)
    seen = []
    for _ in range(3):
        epoch_images = augmentation.shift_images(x, shift, rng) if shift else x
        # drawn first in each epoch, then the order
        epoch_images = augmentation.distort_images(epoch_images, rng, **amounts)
        seen.append(epoch_images)
        order = rng.permutation(len(x))
        gradient_step(expected, epoch_images[order], y[order], eta)
    if shift:  # shift, then distort the shifted images in the same buffer: one augment function does both

        def augment(x, rng, out):
            return augmentation.distort_images(
                augmentation.shift_images(x, shift, rng, out=out), rng, **amounts, out=out
            )

    else:
        augment = augmentation.random_distortions(**amounts)
    net.train(x, y, 3, len(x), eta, progress=False, augment=augment)
    for p, e in zip(net.weights + net.biases, expected.weights + expected.biases):
        np.testing.assert_allclose(p, e, rtol=1e-13, atol=0)
    assert not np.array_equal(seen[0], seen[1]) and not np.array_equal(seen[1], seen[2])


def copy_into_out(x, rng, out):
    np.copyto(out, x)
    return out


@pytest.mark.parametrize("augment", [None, lambda x, rng, out: x, copy_into_out], ids=["None", "x itself", "a copy"])
def test_augment_off_or_unchanging_is_plain_training_bit_for_bit(augment):
    """augment=None trains on x itself; an augment that changes nothing and draws nothing gives the same weights."""
    x, y = images(10, seed=10), np.arange(10) % 3
    a, b = nn.Network([784, 4, 3], seed=2), nn.Network([784, 4, 3], seed=2)
    a.train(x, y, 3, 4, 0.7, progress=False, momentum=0.5)
    b.train(x, y, 3, 4, 0.7, progress=False, momentum=0.5, augment=augment)
    for p, q in zip(a.weights + a.biases, b.weights + b.biases):
        np.testing.assert_array_equal(p, q)
    assert a.rng.bit_generator.state == b.rng.bit_generator.state


def test_augment_is_called_at_the_start_of_each_epoch_with_the_networks_generator_and_one_reused_buffer():
    x, y = images(10, seed=3), np.arange(10) % 3
    net = nn.Network([784, 4, 3], seed=2)
    calls = []

    def spy(given, rng, out):
        calls.append((given, rng, out, rng.bit_generator.state))
        return augmentation.shift_images(given, 1, rng, out=out)

    net.train(x, y, 3, 4, 0.5, progress=False, augment=spy)
    assert len(calls) == 3
    for images_given, rng, out, _ in calls:
        np.testing.assert_array_equal(images_given, x)  # the training images as they are, never last epoch's
        assert rng is net.rng and out.shape == x.shape and out.dtype == net.dtype
        assert out is calls[0][2]  # the same buffer every epoch
    # Each epoch draws its shifts first, then its order: the generator moved on by one epoch's draws in between.
    twin = nn.Network([784, 4, 3], seed=2).rng  # the same generator, from its start
    for _, _, _, state in calls:
        assert twin.bit_generator.state == state
        augmentation.shift_images(x, 1, twin)
        twin.permutation(len(x))


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


def test_after_a_blow_up_with_momentum_the_learner_can_lower_the_rate_and_train_on():
    net = nn.Network([3, 4, 2], seed=0)
    x, y = np.random.default_rng(0).random((8, 3)), np.arange(8) % 2
    with pytest.raises(FloatingPointError, match="learning rate is most likely too high"):
        with np.errstate(all="ignore"):
            net.train(x, y, 3, 4, 1e300, progress=False, momentum=0.5)
    with np.errstate(all="ignore"):
        net.train(x, y, 1, 4, 0.1, progress=False, momentum=0.5)  # as the error message says: a smaller rate
    assert all(np.all(np.isfinite(p)) for p in net.weights + net.biases)


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
