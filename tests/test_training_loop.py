"""Tests of nn_helpers.py: Network.train's loop shuffles, uses every batch, sets each epoch's rate, reports its figures.

The figures are measured after each epoch. A spy on ``Network._backward``
records every gradient step: which examples were in the batch (the first input
of example i is i / N, so a row names itself), the outputs the batch produced,
and the weights before the step.
"""

import copy

import numpy as np
import pytest
from test_distort import images

import augmentation
import nn_helpers as nn

N, BATCH_SIZE, EPOCHS = 10, 4, 3  # batches of 4, 4 and 2
SIZES = [5, 6, 3]
COST = {"mse": nn.mse_cost, "cross_entropy": nn.cross_entropy_cost}


def data(n, seed):
    rng = np.random.default_rng(seed)
    x = rng.random((n, SIZES[0]))
    x[:, 0] = np.arange(n) / n
    return x, rng.integers(0, SIZES[-1], n)


class Step:
    def __init__(self, net, activations):
        self.ids = np.rint(activations[0][:, 0] * N).astype(int)
        self.output = activations[-1].copy()  # copies: train may reuse its buffers
        self.weights = [W.copy() for W in net.weights]
        self.biases = [b.copy() for b in net.biases]


def train_with_spy(monkeypatch, cost="mse", validation=False):
    steps = []
    right = nn.Network._backward

    def spy(net, activations, *args, **kwargs):
        steps.append(Step(net, activations))
        return right(net, activations, *args, **kwargs)

    monkeypatch.setattr(nn.Network, "_backward", spy)
    x, y = data(N, seed=0)
    net = nn.Network(SIZES, seed=1, dtype=np.float64, cost=cost)
    validation_data = data(7, seed=2) if validation else None
    history = net.train(x, y, EPOCHS, BATCH_SIZE, 0.5, validation_data=validation_data, progress=False)
    return net, history, steps, y, validation_data


def by_epoch(steps):
    """The steps of each epoch, once the batch sizes are known to be 4, 4, 2 per epoch."""
    assert [len(step.ids) for step in steps] == [4, 4, 2] * EPOCHS
    return [steps[3 * e : 3 * e + 3] for e in range(EPOCHS)]


def test_every_epoch_uses_every_example_once_including_the_last_smaller_batch(monkeypatch):
    _, _, steps, _, _ = train_with_spy(monkeypatch)
    for epoch in by_epoch(steps):
        assert sorted(np.concatenate([step.ids for step in epoch])) == list(range(N))


def test_the_examples_are_shuffled_into_new_batches_every_epoch(monkeypatch):
    _, _, steps, _, _ = train_with_spy(monkeypatch)
    epochs = by_epoch(steps)
    orders = [np.concatenate([step.ids for step in epoch]).tolist() for epoch in epochs]
    assert list(range(N)) not in orders, "an epoch took the examples in the data's own order"
    batches = [{frozenset(step.ids.tolist()) for step in epoch} for epoch in epochs]
    for e in range(EPOCHS - 1):  # new batches, not just the same batches in a new order
        assert batches[e] != batches[e + 1], f"epochs {e + 1} and {e + 2} used the same batches: {batches[e]}"


def weights_after_each_epoch(net, steps):
    """The weights after epoch e are those the first step of epoch e + 1 starts from; after the last, the final ones."""
    return [(epoch[0].weights, epoch[0].biases) for epoch in by_epoch(steps)[1:]] + [(net.weights, net.biases)]


def evaluate(net, weights, biases, x, y, cost):
    fresh = copy.deepcopy(net)
    fresh.weights, fresh.biases = weights, biases
    return COST[cost](fresh.feedforward(x), nn.one_hot(y, SIZES[-1])), fresh.accuracy(x, y)


@pytest.mark.parametrize("cost", ["mse", "cross_entropy"])
def test_training_figures_are_a_fresh_evaluation_on_the_training_images_after_each_epoch(monkeypatch, cost):
    net, history, steps, y, _ = train_with_spy(monkeypatch, cost)
    x, _ = data(N, seed=0)
    for e, (weights, biases) in enumerate(weights_after_each_epoch(net, steps)):
        want_cost, want_accuracy = evaluate(net, weights, biases, x, y, cost)
        assert history["train_cost"][e] == pytest.approx(want_cost, rel=1e-12)
        assert history["train_accuracy"][e] == want_accuracy
    # The test can tell this from the old running figure: the mean over the batches as the epoch ran differs.
    for e, epoch in enumerate(by_epoch(steps)):
        running = sum(COST[cost](s.output, nn.one_hot(y[s.ids], SIZES[-1])) * len(s.ids) for s in epoch) / N
        assert history["train_cost"][e] != pytest.approx(running, rel=1e-6)


def test_a_large_training_set_is_measured_on_a_fixed_evenly_spaced_sample(monkeypatch):
    monkeypatch.setattr(nn, "TRAINING_SAMPLE", 4)  # at most 4 of the 10 examples, evenly spaced: rows 0, 3, 6 and 9
    net, history, steps, y, _ = train_with_spy(monkeypatch)
    x, _ = data(N, seed=0)
    rows = [0, 3, 6, 9]
    assert [r.tolist() for r in nn.training_sample(x, y)] == [x[rows].tolist(), y[rows].tolist()]
    for e, (weights, biases) in enumerate(weights_after_each_epoch(net, steps)):
        want_cost, _ = evaluate(net, weights, biases, x[rows], y[rows], "mse")
        whole_set_cost, _ = evaluate(net, weights, biases, x, y, "mse")
        assert history["train_cost"][e] == pytest.approx(want_cost, rel=1e-12)
        assert history["train_cost"][e] != pytest.approx(whole_set_cost, rel=1e-6)


def shift_then_distort(x, rng, out):
    """Shifts of up to 1 pixel, then distort_images with turns of up to 20° (its other amounts the defaults), in one buffer."""
    return augmentation.distort_images(augmentation.shift_images(x, 1, rng, out=out), rng, rotation=20, out=out)


@pytest.mark.parametrize(
    "augment",
    [augmentation.random_shifts(2), augmentation.random_distortions(), shift_then_distort],
    ids=["shifts", "distortions", "shifts then distortions"],
)
def test_with_shifts_or_distortions_the_training_figures_are_measured_on_the_images_as_they_are(monkeypatch, augment):
    """The recorded training figures equal a fresh evaluation on the unaugmented training images after each epoch."""
    steps, right = [], nn.Network._backward

    def spy(net, activations, *args):
        steps.append((activations[0].copy(), [W.copy() for W in net.weights], [b.copy() for b in net.biases]))
        return right(net, activations, *args)

    monkeypatch.setattr(nn.Network, "_backward", spy)
    rng = np.random.default_rng(3)
    x = np.zeros((N, 784))
    x.reshape(N, 28, 28)[:, 6:22, 6:22] = rng.random((N, 16, 16))  # ink away from the border, so shifts keep it
    y = rng.integers(0, 3, N)
    net = nn.Network([784, 6, 3], seed=1, dtype=np.float64)
    history = net.train(x, y, EPOCHS, BATCH_SIZE, 0.5, progress=False, augment=augment)
    assert len(steps) == 3 * EPOCHS
    after = [(W, b) for _, W, b in steps[3::3]] + [(net.weights, net.biases)]
    for e, (weights, biases) in enumerate(after):
        fresh = copy.deepcopy(net)
        fresh.weights, fresh.biases = weights, biases
        assert history["train_cost"][e] == pytest.approx(nn.mse_cost(fresh.feedforward(x), nn.one_hot(y, 3)), rel=1e-12)
        assert history["train_accuracy"][e] == fresh.accuracy(x, y)
        # The test can fail: most images the epoch trained on were moved or distorted, so figures on them differ.
        trained_on = np.concatenate([images for images, _, _ in steps[3 * e : 3 * e + 3]])
        unchanged = sum(any(np.array_equal(row, original) for original in x) for row in trained_on)
        assert unchanged <= N // 2, f"{unchanged} of {N} images were trained on as they are"


@pytest.mark.parametrize("cost", ["mse", "cross_entropy"])
def test_validation_figures_are_a_fresh_evaluation_after_each_epoch(monkeypatch, cost):
    net, history, steps, _, (x_val, y_val) = train_with_spy(monkeypatch, cost, validation=True)
    for e, (weights, biases) in enumerate(weights_after_each_epoch(net, steps)):
        fresh = copy.deepcopy(net)
        fresh.weights, fresh.biases = weights, biases
        want_cost = COST[cost](fresh.feedforward(x_val), nn.one_hot(y_val, SIZES[-1]))
        assert history["val_cost"][e] == pytest.approx(want_cost, rel=1e-12)
        assert history["val_accuracy"][e] == fresh.accuracy(x_val, y_val)
    # The test can tell epochs apart: the weights moved, so an evaluation at the wrong time gives other figures.
    assert history["val_cost"][0] != pytest.approx(history["val_cost"][-1], rel=1e-6)


# -- learning-rate schedules ----------------------------------------------------


def test_cosine_schedule_falls_from_the_rate_towards_zero():
    rate = nn.cosine_schedule(0.05, 10)
    values = [rate(e) for e in range(1, 11)]
    assert values[0] == 0.05
    assert rate(6) == pytest.approx(0.025)  # half-way
    assert all(a > b for a, b in zip(values, values[1:]))
    assert 0 < values[-1] < 0.002
    np.testing.assert_allclose(values, 0.025 * (1 + np.cos(np.pi * np.arange(10) / 10)))
    assert all(type(v) is float for v in values)


@pytest.mark.parametrize("args, message", [((0, 10), "learning_rate must be a positive number"), ((0.1, 0), "epochs")])
def test_cosine_schedule_rejects_bad_arguments(args, message):
    with pytest.raises(ValueError, match=message):
        nn.cosine_schedule(*args)


def test_a_schedule_sets_each_epochs_rate():
    """Two epochs at rates 0.9 then 0.2 are the same as two one-epoch calls at those rates (no momentum)."""
    x, y = images(10, seed=11), np.arange(10) % 3
    scheduled, by_hand = nn.Network([784, 4, 3], seed=3), nn.Network([784, 4, 3], seed=3)
    asked = []

    def rate(epoch):
        asked.append(epoch)
        return {1: 0.9, 2: 0.2}[epoch]

    scheduled.train(x, y, 2, 4, rate, progress=False)
    by_hand.train(x, y, 1, 4, 0.9, progress=False)
    by_hand.train(x, y, 1, 4, 0.2, progress=False)
    assert asked == [1, 2]
    for p, q in zip(scheduled.weights + scheduled.biases, by_hand.weights + by_hand.biases):
        np.testing.assert_array_equal(p, q)


def test_a_constant_schedule_is_a_plain_rate_bit_for_bit():
    x, y = images(10, seed=12), np.arange(10) % 3
    a, b = nn.Network([784, 4, 3], seed=4), nn.Network([784, 4, 3], seed=4)
    a.train(x, y, 3, 4, 0.3, progress=False, momentum=0.9)
    b.train(x, y, 3, 4, lambda epoch: 0.3, progress=False, momentum=0.9)
    for p, q in zip(a.weights + a.biases, b.weights + b.biases):
        np.testing.assert_array_equal(p, q)


@pytest.mark.parametrize("rate", ["0.1", True, -0.1, float("nan")])
def test_a_bad_learning_rate_says_a_number_or_a_schedule(rate):
    with pytest.raises(ValueError, match="learning_rate must be a positive number, or a function of the epoch"):
        nn.Network([784, 4, 3], seed=0).train(images(6), np.arange(6) % 3, 1, 2, rate, progress=False)


@pytest.mark.parametrize("value", [0.0, -0.1, float("nan"), "0.1", None])
def test_a_schedule_that_returns_a_bad_rate_names_the_epoch(value):
    network = nn.Network([784, 4, 3], seed=0)
    before = [p.copy() for p in network.weights + network.biases]
    with pytest.raises(ValueError, match=r"schedule must return a positive number; for epoch 1 it gave"):
        network.train(images(6), np.arange(6) % 3, 2, 2, lambda epoch: value, progress=False)
    assert all(np.array_equal(p, q) for p, q in zip(network.weights + network.biases, before))


def tight_plain_training(x, y, sizes, seed, epochs, batch_size, eta):
    """Plain mini-batch gradient descent with MSE, written out independently of nn_helpers, in float32.

    The same random draws in the same order (initial weights, then one permutation per epoch) and
    the same arithmetic, so its weights must equal train's bit for bit.
    """
    rng = np.random.default_rng(seed)
    weights = [(rng.standard_normal((m, n)) / np.sqrt(n)).astype(np.float32) for n, m in zip(sizes[:-1], sizes[1:])]
    biases = [np.zeros(m, np.float32) for m in sizes[1:]]
    targets = np.eye(sizes[-1], dtype=np.float32)[y]
    for _ in range(epochs):
        order = rng.permutation(len(x))
        for start in range(0, len(x), batch_size):
            batch = order[start : start + batch_size]
            activations = [x[batch]]
            for W, b in zip(weights, biases):
                activations.append(0.5 * (1.0 + np.tanh(0.5 * (activations[-1] @ W.T + b))))
            a = activations[-1]
            delta = (a - targets[batch]) / len(batch) * (a * (1 - a))
            for l in reversed(range(len(weights))):
                grad_W, grad_b = delta.T @ activations[l], delta.sum(axis=0)
                if l > 0:
                    delta = (delta @ weights[l]) * (activations[l] * (1 - activations[l]))
                weights[l] = weights[l] - eta * grad_W
                biases[l] = biases[l] - eta * grad_b
    return weights + biases


@pytest.mark.parametrize("threads", [1, None])
def test_plain_training_takes_no_extra_random_numbers_its_weights_match_a_tight_loop_bit_for_bit(threads):
    """Measuring the training sample draws nothing from net.rng: plain training is the textbook loop, exactly."""
    from threadpoolctl import threadpool_limits

    rng = np.random.default_rng(7)
    x, y = rng.random((70, 12), dtype=np.float32), rng.integers(0, 4, 70)
    sizes = [12, 9, 4]
    net = nn.Network(sizes, seed=5)
    history = net.train(x, y, 3, 16, 0.7, validation_data=(x[:20], y[:20]), progress=False, threads=threads)
    with threadpool_limits(threads, user_api="blas"):  # the same BLAS threads, so the same sums
        expected = tight_plain_training(x, y, sizes, 5, 3, 16, 0.7)
    for got, want in zip(net.weights + net.biases, expected):
        assert got.dtype == want.dtype == np.float32
        np.testing.assert_array_equal(got, want)
    assert history["train_accuracy"][-1] == net.accuracy(x, y)
    # The comparison can fail: one random draw more, before training, changes the weights.
    other = nn.Network(sizes, seed=5)
    other.rng.permutation(70)
    other.train(x, y, 3, 16, 0.7, progress=False, threads=threads)
    assert not np.array_equal(other.weights[0], net.weights[0])


@pytest.mark.parametrize("threads", [1, 2])
def test_train_runs_blas_on_the_threads_it_is_given_and_restores_them(monkeypatch, threads):
    from threadpoolctl import threadpool_info

    def blas_threads():
        return [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]

    before, seen, right = blas_threads(), [], nn.Network._backward
    if not before:
        pytest.skip("NumPy's BLAS is not one threadpoolctl can see")

    def spy(net, *args, **kwargs):
        seen.append(blas_threads())
        return right(net, *args, **kwargs)

    monkeypatch.setattr(nn.Network, "_backward", spy)
    x, y = data(N, seed=0)
    nn.Network(SIZES, seed=1).train(x, y, 1, BATCH_SIZE, 0.5, progress=False, threads=threads)
    assert seen and all(counts == [threads] * len(before) for counts in seen), seen
    assert blas_threads() == before


@pytest.mark.parametrize("threads", [0, 1.5, "2", True])
def test_a_bad_number_of_threads_says_what_to_pass(threads):
    x, y = data(N, seed=0)
    with pytest.raises(ValueError, match="threads must be a positive whole number of BLAS threads, or None"):
        nn.Network(SIZES, seed=1).train(x, y, 1, BATCH_SIZE, 0.5, progress=False, threads=threads)
