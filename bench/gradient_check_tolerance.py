"""Measure: the relative errors gradient_check gives on correct and on broken backprop.

The figures behind ``nn_helpers.GRADIENT_CHECK_TOLERANCE``. Correct backprop
is checked on 5 shapes x 3 seeds x both costs, in float32 and float64, on
random batches of 7 examples, and in the notebook's setting ([784, 8, 26] on
5 images, here real EMNIST letters a–m from tests/data). Then each of a few
plausible bugs is planted in ``Network._backward`` and measured the same way.
Run from the repository root:

    python bench/gradient_check_tolerance.py
"""

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
from real_letters import real_inputs  # noqa: E402

import nn_helpers as nn  # noqa: E402

SHAPES = [[3, 2], [4, 5, 3], [6, 7, 5, 4], [10, 20, 26], [30, 8, 8, 8, 5]]
COST_NAMES = ["mse", "cross_entropy"]
right = nn.Network._backward


def errors(dtype=np.float64, costs=COST_NAMES, min_layers=2):
    out = []
    for cost in costs:
        for sizes in [s for s in SHAPES if len(s) >= min_layers]:
            for seed in range(3):
                rng = np.random.default_rng(seed)
                x, y = rng.random((7, sizes[0])), nn.one_hot(rng.integers(0, sizes[-1], 7), sizes[-1], np.float64)
                net = nn.Network(sizes, seed=seed, dtype=dtype, cost=cost)
                out.append(nn.gradient_check(net, x.astype(dtype), y))
    return out


def no_output_sigma_prime(self, activations, y):
    """MSE's δᴸ without σ'(zᴸ), that is the cross-entropy's δᴸ."""
    cost, self.cost = self.cost, "cross_entropy"
    try:
        return right(self, activations, y)
    finally:
        self.cost = cost


def no_hidden_sigma_prime(self, activations, y):
    """δˡ = (Wˡ⁺¹)ᵀ δˡ⁺¹, forgetting ⊙ σ'(zˡ)."""
    a = activations[-1]
    delta = (a - y) / len(y) * (a * (1 - a) if self.cost == "mse" else 1)
    grad_weights, grad_biases = [None] * len(self.weights), [None] * len(self.biases)
    for l in reversed(range(len(self.weights))):
        grad_weights[l], grad_biases[l] = delta.T @ activations[l], delta.sum(axis=0)
        if l > 0:
            delta = delta @ self.weights[l]
    return grad_weights, grad_biases


def not_divided_by_n(self, activations, y):
    grad_weights, grad_biases = right(self, activations, y)
    return [g * len(y) for g in grad_weights], [g * len(y) for g in grad_biases]


def doubled_weight_gradients(self, activations, y):
    grad_weights, grad_biases = right(self, activations, y)
    return [2 * g for g in grad_weights], grad_biases


def span(values):
    return f"{min(values):.1e} .. {max(values):.1e} (median {np.median(values):.1e}, {len(values)} checks)"


def main():
    print(f"GRADIENT_CHECK_TOLERANCE = {nn.GRADIENT_CHECK_TOLERANCE:.0e}")
    for dtype in (np.float64, np.float32):
        print(f"correct backprop, {np.dtype(dtype).name} networks, random batches: {span(errors(dtype))}")
    x, labels = real_inputs("train")
    for cost in COST_NAMES:
        for dtype in (np.float64, np.float32):
            net = nn.Network([784, 8, 26], seed=0, dtype=dtype, cost=cost)
            error = nn.gradient_check(net, x[:5], nn.one_hot(labels[:5], 26))
            where = f"the notebook's check ({cost}, {np.dtype(dtype).name})"
            print(f"correct backprop, {where}, 5 real EMNIST letters a–m: {error:.1e}")
    bugs = [
        ("no σ'(zᴸ) at the output (mse)", no_output_sigma_prime, ["mse"], 2),
        ("no σ'(zˡ) in the hidden layers", no_hidden_sigma_prime, COST_NAMES, 3),
        ("gradients not divided by n", not_divided_by_n, COST_NAMES, 2),
        ("weight gradients doubled", doubled_weight_gradients, COST_NAMES, 2),
    ]
    for name, bug, costs, min_layers in bugs:
        nn.Network._backward = bug
        try:
            print(f"bug, {name}: {span(errors(costs=costs, min_layers=min_layers))}")
        finally:
            nn.Network._backward = right


if __name__ == "__main__":
    main()
