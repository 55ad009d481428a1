"""Network.train's loop: it shuffles, uses every batch, and reports what it saw.

A spy on ``Network._backward`` records every gradient step: which examples
were in the batch (the first input of example i is i / N, so a row names
itself), the outputs the batch produced, and the weights before the step.
"""

import copy

import numpy as np
import pytest

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


@pytest.mark.parametrize("cost", ["mse", "cross_entropy"])
def test_training_figures_are_example_weighted_means_of_what_the_batches_saw(monkeypatch, cost):
    _, history, steps, y, _ = train_with_spy(monkeypatch, cost)
    unweighted_costs = []
    for e, epoch in enumerate(by_epoch(steps)):
        costs = [COST[cost](step.output, nn.one_hot(y[step.ids], SIZES[-1])) for step in epoch]
        correct = [np.sum(step.output.argmax(axis=1) == y[step.ids]) for step in epoch]
        sizes = [len(step.ids) for step in epoch]
        assert history["train_cost"][e] == pytest.approx(np.dot(costs, sizes) / N, rel=1e-12)
        assert history["train_accuracy"][e] == pytest.approx(sum(correct) / N, rel=1e-12)
        unweighted_costs.append(np.mean(costs))
    # The test can tell the two apart: a plain mean over the batches gives other figures.
    assert unweighted_costs != pytest.approx(history["train_cost"], rel=1e-6)


@pytest.mark.parametrize("cost", ["mse", "cross_entropy"])
def test_validation_figures_are_a_fresh_evaluation_after_each_epoch(monkeypatch, cost):
    net, history, steps, _, (x_val, y_val) = train_with_spy(monkeypatch, cost, validation=True)
    # The weights after epoch e are those the first step of epoch e + 1 starts from; after the last, the final ones.
    after = [(epoch[0].weights, epoch[0].biases) for epoch in by_epoch(steps)[1:]] + [(net.weights, net.biases)]
    for e, (weights, biases) in enumerate(after):
        fresh = copy.deepcopy(net)
        fresh.weights, fresh.biases = weights, biases
        want_cost = COST[cost](fresh.feedforward(x_val), nn.one_hot(y_val, SIZES[-1]))
        assert history["val_cost"][e] == pytest.approx(want_cost, rel=1e-12)
        assert history["val_accuracy"][e] == fresh.accuracy(x_val, y_val)
    # The test can tell epochs apart: the weights moved, so an evaluation at the wrong time gives other figures.
    assert history["val_cost"][0] != pytest.approx(history["val_cost"][-1], rel=1e-6)
