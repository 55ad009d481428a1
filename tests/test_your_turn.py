"""Tests of your_turn.py: the checks of the "your turn" cells pass right code written in many styles and name each mistake.

Every wrong implementation here is real code, written the way a learner would write it, not a mock that
returns the mistake's signature.
"""

import _thread
import copy
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import nbformat
import numpy as np
import pytest
import your_turn_attempts
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from your_turn_attempts import ATTEMPTS

import learner_code
import nn_helpers as nn
import your_turn
from your_turn import MISTAKES, check_backprop, check_forward, check_step

ROOT = Path(__file__).resolve().parent.parent

# -- the forward pass ---------------------------------------------------------------------------------------------


def forward_rows(net, x):
    a = x
    for W, b in zip(net.weights, net.biases):
        a = nn.sigmoid(a @ W.T + b)
    return a


def forward_dot(net, x):
    a = x
    for W, b in zip(net.weights, net.biases):
        a = nn.sigmoid(np.dot(a, W.T) + b)
    return a


def forward_einsum(net, x):
    a = x
    for W, b in zip(net.weights, net.biases):
        a = nn.sigmoid(np.einsum("nj,kj->nk", a, W) + b)
    return a


def forward_nielsen(net, x):
    outputs = []
    for x_i in x:
        a = x_i.reshape(-1, 1)
        for W, b in zip(net.weights, net.biases):
            a = nn.sigmoid(W @ a + b.reshape(-1, 1))
        outputs.append(a.ravel())
    return np.array(outputs)


def forward_float64_own_sigmoid(net, x):
    a = np.asarray(x, dtype=np.float64)
    for W, b in zip(net.weights, net.biases):
        z = a @ W.astype(np.float64).T + b.astype(np.float64)
        a = 1 / (1 + np.exp(-z))
    return a


def forward_columns(net, x):
    A = x.T  # one example per column, as in the maths
    for W, b in zip(net.weights, net.biases):
        A = nn.sigmoid(W @ A + b[:, None])
    return A.T


RIGHT_FORWARDS = [
    forward_rows,
    forward_dot,
    forward_einsum,
    forward_nielsen,
    forward_float64_own_sigmoid,
    forward_columns,
]


def forward_no_sigmoid_on_output(net, x):
    a = x
    for l, (W, b) in enumerate(zip(net.weights, net.biases)):
        z = a @ W.T + b
        a = z if l == len(net.weights) - 1 else nn.sigmoid(z)  # "the output is the score"
    return a


def forward_no_sigmoid_at_all(net, x):
    a = x
    for W, b in zip(net.weights, net.biases):
        a = a @ W.T + b
    return a


def forward_no_bias(net, x):
    a = x
    for W in net.weights:
        a = nn.sigmoid(a @ W.T)
    return a


def forward_columns_not_transposed_back(net, x):
    A = x.T
    for W, b in zip(net.weights, net.biases):
        A = nn.sigmoid(W @ A + b[:, None])
    return A


def forward_returns_in_the_loop(net, x):
    a = x
    for W, b in zip(net.weights, net.biases):
        a = nn.sigmoid(a @ W.T + b)
        return a


def forward_wrong_orientation(net, x):
    a = x
    for W, b in zip(net.weights, net.biases):
        a = nn.sigmoid(a @ W + b)
    return a


def forward_without_return(net, x):
    a = x
    for W, b in zip(net.weights, net.biases):
        a = nn.sigmoid(a @ W.T + b)


def forward_returns_every_layer(net, x):
    activations = [x]
    for W, b in zip(net.weights, net.biases):
        activations.append(nn.sigmoid(activations[-1] @ W.T + b))
    return activations


def forward_adds_one(net, x):
    return forward_rows(net, x) + 1


def forward_relu(net, x):
    a = x
    for W, b in zip(net.weights, net.biases):
        a = np.maximum(0, a @ W.T + b)
    return a


def forward_bias_in_place(net, x):
    a = x
    for W, b in zip(net.weights, net.biases):
        b += 0  # harmless, but the learner also "centres" the weights:
        W -= W.mean()
        a = nn.sigmoid(a @ W.T + b)
    return a


def my_forward(net, x):
    """The notebook's skeleton, left as it is."""
    raise NotImplementedError


WRONG_FORWARDS = {
    forward_no_sigmoid_on_output: "missing-sigmoid",
    forward_no_sigmoid_at_all: "missing-sigmoid",
    forward_no_bias: "missing-bias",
    forward_columns_not_transposed_back: "wrong-shape",
    forward_returns_in_the_loop: "wrong-shape",
    forward_wrong_orientation: "raised",
    forward_without_return: "returned-none",
    forward_returns_every_layer: "wrong-type",
    forward_bias_in_place: "changed-the-network",
    my_forward: "not-written",
    forward_adds_one: "unrecognised",
    forward_relu: "sigmoid-wrong",  # issue 29: another activation function is named
}


# -- backpropagation --------------------------------------------------------------------------------------------


def activations_of(net, x):
    activations = [x]
    for W, b in zip(net.weights, net.biases):
        activations.append(nn.sigmoid(activations[-1] @ W.T + b))
    return activations


def backprop_rows(net, x, y):
    activations = activations_of(net, x)
    L = len(net.weights)
    a = activations[-1]
    delta = (a - y) / len(x) * a * (1 - a)
    grad_weights, grad_biases = [None] * L, [None] * L
    for l in reversed(range(L)):
        grad_weights[l] = delta.T @ activations[l]
        grad_biases[l] = delta.sum(axis=0)
        if l > 0:
            delta = (delta @ net.weights[l]) * activations[l] * (1 - activations[l])
    return grad_weights, grad_biases


def backprop_dot(net, x, y):
    activations = activations_of(net, x)
    a = activations[-1]
    delta = np.multiply((a - y) / x.shape[0], a * (1 - a))
    grad_weights, grad_biases = [], []
    for l in range(len(net.weights) - 1, -1, -1):
        grad_weights.insert(0, np.dot(delta.T, activations[l]))
        grad_biases.insert(0, np.sum(delta, axis=0))
        delta = np.dot(delta, net.weights[l]) * activations[l] * (1 - activations[l])
    return grad_weights, grad_biases


def backprop_einsum(net, x, y):
    activations = activations_of(net, x)
    a = activations[-1]
    delta = (a - y) / len(x) * a * (1 - a)
    grad_weights, grad_biases = [], []
    for l in reversed(range(len(net.weights))):
        grad_weights.append(np.einsum("nk,nj->kj", delta, activations[l]))
        grad_biases.append(np.einsum("nk->k", delta))
        delta = np.einsum("nk,kj->nj", delta, net.weights[l]) * activations[l] * (1 - activations[l])
    return grad_weights[::-1], grad_biases[::-1]


def backprop_nielsen(net, x, y):
    """Nielsen's network.py, one example at a time with column vectors, then divided by n."""
    nabla_w = [np.zeros(W.shape) for W in net.weights]
    nabla_b = [np.zeros(b.shape) for b in net.biases]
    for x_i, y_i in zip(x, y):
        activation = x_i.reshape(-1, 1)
        activations, zs = [activation], []
        for W, b in zip(net.weights, net.biases):
            z = W @ activation + b.reshape(-1, 1)
            zs.append(z)
            activation = nn.sigmoid(z)
            activations.append(activation)
        delta = (activations[-1] - y_i.reshape(-1, 1)) * nn.sigmoid_prime(zs[-1])
        nabla_w[-1] += delta @ activations[-2].T
        nabla_b[-1] += delta.ravel()
        for l in range(2, len(net.sizes)):
            delta = (net.weights[-l + 1].T @ delta) * nn.sigmoid_prime(zs[-l])
            nabla_w[-l] += delta @ activations[-l - 1].T
            nabla_b[-l] += delta.ravel()
    n = len(x)
    return [w / n for w in nabla_w], [b / n for b in nabla_b]


def backprop_float64_inside(net, x, y):
    x, y = np.asarray(x, np.float64), np.asarray(y, np.float64)
    weights = [W.astype(np.float64) for W in net.weights]
    activations = [x]
    for W, b in zip(weights, net.biases):
        activations.append(1 / (1 + np.exp(-(activations[-1] @ W.T + b.astype(np.float64)))))
    a = activations[-1]
    delta = (a - y) * a * (1 - a)
    grad_weights, grad_biases = [], []
    for l in reversed(range(len(weights))):
        grad_weights.insert(0, delta.T @ activations[l] / len(x))
        grad_biases.insert(0, delta.sum(axis=0) / len(x))
        delta = (delta @ weights[l]) * activations[l] * (1 - activations[l])
    return tuple(grad_weights), tuple(grad_biases)


def backprop_keeps_z(net, x, y):
    activations, zs = [x], []
    for W, b in zip(net.weights, net.biases):
        zs.append(activations[-1] @ W.T + b)
        activations.append(nn.sigmoid(zs[-1]))
    delta = (activations[-1] - y) / len(x) * nn.sigmoid_prime(zs[-1])
    L = len(net.weights)
    grad_weights, grad_biases = [None] * L, [None] * L
    for l in reversed(range(L)):
        grad_weights[l] = delta.T @ activations[l]
        grad_biases[l] = delta.sum(axis=0)
        if l > 0:
            delta = (delta @ net.weights[l]) * nn.sigmoid_prime(zs[l - 1])
    return grad_weights, grad_biases


def backprop_float32_inside(net, x, y):
    x, y = np.asarray(x, np.float32), np.asarray(y, np.float32)
    activations = [x]
    for W, b in zip(net.weights, net.biases):
        activations.append(nn.sigmoid(activations[-1] @ W.T.astype(np.float32) + b.astype(np.float32)))
    a = activations[-1]
    delta = (a - y) / len(x) * a * (1 - a)
    grad_weights, grad_biases = [], []
    for l in reversed(range(len(net.weights))):
        grad_weights.insert(0, delta.T @ activations[l])
        grad_biases.insert(0, delta.sum(axis=0))
        delta = (delta @ net.weights[l].astype(np.float32)) * activations[l] * (1 - activations[l])
    return grad_weights, grad_biases


RIGHT_BACKPROPS = [
    backprop_float32_inside,
    backprop_rows,
    backprop_dot,
    backprop_einsum,
    backprop_nielsen,
    backprop_float64_inside,
    backprop_keeps_z,
]


def backprop_no_sigma_prime_at_output(net, x, y):
    activations = activations_of(net, x)
    L = len(net.weights)
    delta = (activations[-1] - y) / len(x)
    grad_weights, grad_biases = [None] * L, [None] * L
    for l in reversed(range(L)):
        grad_weights[l] = delta.T @ activations[l]
        grad_biases[l] = delta.sum(axis=0)
        if l > 0:
            delta = (delta @ net.weights[l]) * activations[l] * (1 - activations[l])
    return grad_weights, grad_biases


def backprop_no_sigma_prime_hidden(net, x, y):
    activations = activations_of(net, x)
    L = len(net.weights)
    a = activations[-1]
    delta = (a - y) / len(x) * a * (1 - a)
    grad_weights, grad_biases = [None] * L, [None] * L
    for l in reversed(range(L)):
        grad_weights[l] = delta.T @ activations[l]
        grad_biases[l] = delta.sum(axis=0)
        if l > 0:
            delta = delta @ net.weights[l]
    return grad_weights, grad_biases


def backprop_no_sigma_prime_in_last_hidden_layer(net, x, y):
    """σ′ is left out only where delta first leaves the output: one hidden layer of the two of [7, 5, 4, 3]."""
    activations = activations_of(net, x)
    L = len(net.weights)
    a = activations[-1]
    delta = (a - y) / len(x) * a * (1 - a)
    grad_weights, grad_biases = [None] * L, [None] * L
    for l in reversed(range(L)):
        grad_weights[l] = delta.T @ activations[l]
        grad_biases[l] = delta.sum(axis=0)
        if l > 0:
            delta = delta @ net.weights[l]
            if l < L - 1:
                delta = delta * activations[l] * (1 - activations[l])
    return grad_weights, grad_biases


def backprop_sigma_prime_of_a(net, x, y):
    activations = activations_of(net, x)
    L = len(net.weights)
    delta = (activations[-1] - y) / len(x) * nn.sigmoid_prime(activations[-1])
    grad_weights, grad_biases = [None] * L, [None] * L
    for l in reversed(range(L)):
        grad_weights[l] = delta.T @ activations[l]
        grad_biases[l] = delta.sum(axis=0)
        if l > 0:
            delta = (delta @ net.weights[l]) * nn.sigmoid_prime(activations[l])
    return grad_weights, grad_biases


def backprop_sigma_prime_of_a_at_output_only(net, x, y):
    activations, zs = [x], []
    for W, b in zip(net.weights, net.biases):
        zs.append(activations[-1] @ W.T + b)
        activations.append(nn.sigmoid(zs[-1]))
    delta = (activations[-1] - y) / len(x) * nn.sigmoid_prime(activations[-1])
    L = len(net.weights)
    grad_weights, grad_biases = [None] * L, [None] * L
    for l in reversed(range(L)):
        grad_weights[l] = delta.T @ activations[l]
        grad_biases[l] = delta.sum(axis=0)
        if l > 0:
            delta = (delta @ net.weights[l]) * nn.sigmoid_prime(zs[l - 1])
    return grad_weights, grad_biases


def backprop_not_averaged(net, x, y):
    activations = activations_of(net, x)
    L = len(net.weights)
    a = activations[-1]
    delta = (a - y) * a * (1 - a)
    grad_weights, grad_biases = [None] * L, [None] * L
    for l in reversed(range(L)):
        grad_weights[l] = delta.T @ activations[l]
        grad_biases[l] = delta.sum(axis=0)
        if l > 0:
            delta = (delta @ net.weights[l]) * activations[l] * (1 - activations[l])
    return grad_weights, grad_biases


def backprop_transposed(net, x, y):
    activations = activations_of(net, x)
    L = len(net.weights)
    a = activations[-1]
    delta = (a - y) / len(x) * a * (1 - a)
    grad_weights, grad_biases = [None] * L, [None] * L
    for l in reversed(range(L)):
        grad_weights[l] = activations[l].T @ delta
        grad_biases[l] = delta.sum(axis=0)
        if l > 0:
            delta = (delta @ net.weights[l]) * activations[l] * (1 - activations[l])
    return grad_weights, grad_biases


def backprop_transposed_and_not_averaged(net, x, y):
    grad_weights, grad_biases = backprop_transposed(net, x, y)
    return [g * len(x) for g in grad_weights], [g * len(x) for g in grad_biases]


def backprop_wrong_activation(net, x, y):
    activations = activations_of(net, x)
    L = len(net.weights)
    a = activations[-1]
    delta = (a - y) / len(x) * a * (1 - a)
    grad_weights, grad_biases = [None] * L, [None] * L
    for l in reversed(range(L)):
        grad_weights[l] = delta.T @ activations[l + 1]  # "the layer's own activation"
        grad_biases[l] = delta.sum(axis=0)
        if l > 0:
            delta = (delta @ net.weights[l]) * activations[l] * (1 - activations[l])
    return grad_weights, grad_biases


def backprop_bias_not_summed(net, x, y):
    activations = activations_of(net, x)
    L = len(net.weights)
    a = activations[-1]
    delta = (a - y) / len(x) * a * (1 - a)
    grad_weights, grad_biases = [None] * L, [None] * L
    for l in reversed(range(L)):
        grad_weights[l] = delta.T @ activations[l]
        grad_biases[l] = delta
        if l > 0:
            delta = (delta @ net.weights[l]) * activations[l] * (1 - activations[l])
    return grad_weights, grad_biases


def backprop_sign_flipped(net, x, y):
    activations = activations_of(net, x)
    L = len(net.weights)
    a = activations[-1]
    delta = (y - a) / len(x) * a * (1 - a)
    grad_weights, grad_biases = [None] * L, [None] * L
    for l in reversed(range(L)):
        grad_weights[l] = delta.T @ activations[l]
        grad_biases[l] = delta.sum(axis=0)
        if l > 0:
            delta = (delta @ net.weights[l]) * activations[l] * (1 - activations[l])
    return grad_weights, grad_biases


def backprop_bias_mean(net, x, y):
    activations = activations_of(net, x)
    L = len(net.weights)
    a = activations[-1]
    delta = (a - y) / len(x) * a * (1 - a)
    grad_weights, grad_biases = [None] * L, [None] * L
    for l in reversed(range(L)):
        grad_weights[l] = delta.T @ activations[l]
        grad_biases[l] = delta.mean(axis=0)
        if l > 0:
            delta = (delta @ net.weights[l]) * activations[l] * (1 - activations[l])
    return grad_weights, grad_biases


def backprop_z_instead_of_a(net, x, y):
    activations, zs = [x], []
    for W, b in zip(net.weights, net.biases):
        zs.append(activations[-1] @ W.T + b)
        activations.append(nn.sigmoid(zs[-1]))
    L = len(net.weights)
    a = activations[-1]
    delta = (a - y) / len(x) * a * (1 - a)
    grad_weights, grad_biases = [None] * L, [None] * L
    for l in reversed(range(L)):
        grad_weights[l] = delta.T @ (zs[l - 1] if l > 0 else x)
        grad_biases[l] = delta.sum(axis=0)
        if l > 0:
            delta = (delta @ net.weights[l]) * nn.sigmoid_prime(zs[l - 1])
    return grad_weights, grad_biases


def backprop_nielsen_order(net, x, y):
    grad_weights, grad_biases = backprop_rows(net, x, y)
    return grad_biases, grad_weights  # Nielsen's backprop returns (nabla_b, nabla_w)


def backprop_appended_backwards(net, x, y):
    activations = activations_of(net, x)
    a = activations[-1]
    delta = (a - y) / len(x) * a * (1 - a)
    grad_weights, grad_biases = [], []
    for l in reversed(range(len(net.weights))):
        grad_weights.append(delta.T @ activations[l])
        grad_biases.append(delta.sum(axis=0))
        delta = (delta @ net.weights[l]) * activations[l] * (1 - activations[l])
    return grad_weights, grad_biases


def backprop_nielsen_column_biases(net, x, y):
    nabla_w = [np.zeros(W.shape) for W in net.weights]
    nabla_b = [np.zeros((b.size, 1)) for b in net.biases]  # columns, as in Nielsen's book
    for x_i, y_i in zip(x, y):
        activations = [x_i.reshape(-1, 1)]
        for W, b in zip(net.weights, net.biases):
            activations.append(nn.sigmoid(W @ activations[-1] + b.reshape(-1, 1)))
        a = activations[-1]
        delta = (a - y_i.reshape(-1, 1)) * a * (1 - a)
        for l in range(len(net.weights) - 1, -1, -1):
            nabla_w[l] += delta @ activations[l].T
            nabla_b[l] += delta
            delta = (net.weights[l].T @ delta) * activations[l] * (1 - activations[l])
    return [w / len(x) for w in nabla_w], [b / len(x) for b in nabla_b]


def backprop_one_list(net, x, y):
    grad_weights, grad_biases = backprop_rows(net, x, y)
    return grad_weights + grad_biases


def backprop_without_return(net, x, y):
    grad_weights, grad_biases = backprop_rows(net, x, y)


def backprop_carries_with_transpose(net, x, y):
    activations = activations_of(net, x)
    L = len(net.weights)
    a = activations[-1]
    delta = (a - y) / len(x) * a * (1 - a)
    grad_weights, grad_biases = [None] * L, [None] * L
    for l in reversed(range(L)):
        grad_weights[l] = delta.T @ activations[l]
        grad_biases[l] = delta.sum(axis=0)
        if l > 0:
            delta = (delta @ net.weights[l].T) * activations[l] * (1 - activations[l])
    return grad_weights, grad_biases


def backprop_and_step(net, x, y):
    grad_weights, grad_biases = backprop_rows(net, x, y)
    for W, g in zip(net.weights, grad_weights):
        W -= 0.5 * g  # "train while we are at it"
    return grad_weights, grad_biases


def backprop_halved(net, x, y):
    grad_weights, grad_biases = backprop_rows(net, x, y)
    return [0.5 * g for g in grad_weights], [0.5 * g for g in grad_biases]


def backprop_zero_bias_gradients(net, x, y):
    grad_weights, grad_biases = backprop_rows(net, x, y)
    return grad_weights, [np.zeros_like(b) for b in net.biases]


def backprop_relu_prime_hidden(net, x, y):
    activations = activations_of(net, x)
    L = len(net.weights)
    a = activations[-1]
    delta = (a - y) / len(x) * a * (1 - a)
    grad_weights, grad_biases = [None] * L, [None] * L
    for l in reversed(range(L)):
        grad_weights[l] = delta.T @ activations[l]
        grad_biases[l] = delta.sum(axis=0)
        if l > 0:
            delta = (delta @ net.weights[l]) * (activations[l] > 0.5)
    return grad_weights, grad_biases


def backprop_two_mistakes(net, x, y):
    """Not averaged and without σ′ at the output: no single mistake explains it."""
    activations = activations_of(net, x)
    L = len(net.weights)
    delta = activations[-1] - y
    grad_weights, grad_biases = [None] * L, [None] * L
    for l in reversed(range(L)):
        grad_weights[l] = delta.T @ activations[l]
        grad_biases[l] = delta.sum(axis=0)
        if l > 0:
            delta = (delta @ net.weights[l]) * activations[l] * (1 - activations[l])
    return grad_weights, grad_biases


def backprop_not_averaged_in_float32_only(net, x, y):
    """n times too large on the float32 networks only: not-averaged must show wherever it can, so no key fits."""
    grad_weights, grad_biases = backprop_rows(net, x, y)
    n = len(x) if net.dtype == np.float32 else 1
    return [g * n for g in grad_weights], [g * n for g in grad_biases]


def my_backprop(net, x, y):
    """The notebook's skeleton, left as it is."""
    raise NotImplementedError


WRONG_BACKPROPS = {
    backprop_no_sigma_prime_at_output: "missing-sigma-prime-output",
    backprop_no_sigma_prime_hidden: "missing-sigma-prime-hidden",
    backprop_no_sigma_prime_in_last_hidden_layer: "missing-sigma-prime-hidden",
    backprop_sigma_prime_of_a: "sigma-prime-of-activation",
    backprop_sigma_prime_of_a_at_output_only: "sigma-prime-of-activation",
    backprop_not_averaged: "not-averaged",
    backprop_transposed: "weight-gradient-transposed",
    backprop_transposed_and_not_averaged: "weight-gradient-transposed",
    backprop_wrong_activation: "wrong-activation",
    backprop_bias_not_summed: "bias-gradient-not-summed",
    backprop_sign_flipped: "sign-flipped",
    backprop_bias_mean: "bias-gradient-averaged-twice",
    backprop_z_instead_of_a: "z-instead-of-activation",
    backprop_nielsen_order: "swapped-pair",
    backprop_appended_backwards: "reversed-order",
    backprop_nielsen_column_biases: "gradient-wrong-shape",
    backprop_one_list: "wrong-type",
    backprop_without_return: "returned-none",
    backprop_carries_with_transpose: "raised",
    backprop_and_step: "changed-the-network",
    my_backprop: "not-written",
    backprop_halved: "constant-factor",  # issue 29: a constant factor is named
    backprop_zero_bias_gradients: "gradients-not-filled",  # issue 29: all-zero gradients are named
    backprop_relu_prime_hidden: "unrecognised",
    backprop_two_mistakes: "unrecognised",
    backprop_not_averaged_in_float32_only: "constant-factor",  # issue 29: n times too large, on one network only
}


# -- the gradient-descent step ----------------------------------------------------------------------------------


def step_in_place(net, grad_weights, grad_biases, learning_rate):
    for W, g in zip(net.weights, grad_weights):
        W -= learning_rate * g
    for b, g in zip(net.biases, grad_biases):
        b -= learning_rate * g


def step_replacing_lists(net, grad_weights, grad_biases, learning_rate):
    net.weights = [W - learning_rate * g for W, g in zip(net.weights, grad_weights)]
    net.biases = [b - learning_rate * g for b, g in zip(net.biases, grad_biases)]


def step_by_index(net, grad_weights, grad_biases, learning_rate):
    for l in range(len(net.weights)):
        net.weights[l] = net.weights[l] - learning_rate * grad_weights[l]
        net.biases[l] = net.biases[l] - learning_rate * grad_biases[l]


def step_np_subtract(net, grad_weights, grad_biases, learning_rate):
    for p, g in zip(net.weights + net.biases, grad_weights + grad_biases):
        np.subtract(p, learning_rate * g, out=p)


def step_slice_assignment(net, grad_weights, grad_biases, learning_rate):
    for W, b, gW, gb in zip(net.weights, net.biases, grad_weights, grad_biases):
        W[...] = W - learning_rate * gW
        b[:] = b - learning_rate * gb


def step_float64_arrays(net, grad_weights, grad_biases, learning_rate):
    for l, (gW, gb) in enumerate(zip(grad_weights, grad_biases)):
        net.weights[l] = np.asarray(net.weights[l], np.float64) - learning_rate * np.asarray(gW, np.float64)
        net.biases[l] = np.asarray(net.biases[l], np.float64) - learning_rate * np.asarray(gb, np.float64)


def step_tuples(net, grad_weights, grad_biases, learning_rate):
    net.weights = tuple(np.subtract(W, learning_rate * g) for W, g in zip(net.weights, grad_weights))
    net.biases = tuple(np.subtract(b, learning_rate * g) for b, g in zip(net.biases, grad_biases))


RIGHT_STEPS = [
    step_tuples,
    step_in_place,
    step_replacing_lists,
    step_by_index,
    step_np_subtract,
    step_slice_assignment,
    step_float64_arrays,
]


def step_ascends(net, grad_weights, grad_biases, learning_rate):
    for W, g in zip(net.weights, grad_weights):
        W += learning_rate * g
    for b, g in zip(net.biases, grad_biases):
        b += learning_rate * g


def step_without_rate(net, grad_weights, grad_biases, learning_rate):
    for W, g in zip(net.weights, grad_weights):
        W -= g
    for b, g in zip(net.biases, grad_biases):
        b -= g


def step_weights_only(net, grad_weights, grad_biases, learning_rate):
    for W, g in zip(net.weights, grad_weights):
        W -= learning_rate * g


def step_biases_only(net, grad_weights, grad_biases, learning_rate):
    for b, g in zip(net.biases, grad_biases):
        b -= learning_rate * g


def step_rebinds_a_local_name(net, grad_weights, grad_biases, learning_rate):
    for W, b, gW, gb in zip(net.weights, net.biases, grad_weights, grad_biases):
        W = W - learning_rate * gW
        b = b - learning_rate * gb


def step_returns_new_lists(net, grad_weights, grad_biases, learning_rate):
    weights = [W - learning_rate * g for W, g in zip(net.weights, grad_weights)]
    biases = [b - learning_rate * g for b, g in zip(net.biases, grad_biases)]
    return weights, biases


def step_returns_in_the_loop(net, grad_weights, grad_biases, learning_rate):
    for l in range(len(net.weights)):
        net.weights[l] -= learning_rate * grad_weights[l]
        net.biases[l] -= learning_rate * grad_biases[l]
        return


def step_rate_per_layer(net, grad_weights, grad_biases, learning_rate):
    rate = learning_rate / len(net.weights)  # "shared among the layers"
    for W, b, gW, gb in zip(net.weights, net.biases, grad_weights, grad_biases):
        W -= rate * gW
        b -= rate * gb


def step_column_bias(net, grad_weights, grad_biases, learning_rate):
    for l in range(len(net.weights)):
        net.weights[l] = net.weights[l] - learning_rate * grad_weights[l]
        net.biases[l] = net.biases[l] - learning_rate * grad_biases[l].reshape(-1, 1)


def step_generator(net, grad_weights, grad_biases, learning_rate):
    net.weights = (W - learning_rate * g for W, g in zip(net.weights, grad_weights))
    net.biases = (b - learning_rate * g for b, g in zip(net.biases, grad_biases))


def step_sign_of_gradient(net, grad_weights, grad_biases, learning_rate):
    for W, b, gW, gb in zip(net.weights, net.biases, grad_weights, grad_biases):
        W -= learning_rate * np.sign(gW)
        b -= learning_rate * np.sign(gb)


def step_biases_twice_as_far(net, grad_weights, grad_biases, learning_rate):
    for W, b, gW, gb in zip(net.weights, net.biases, grad_weights, grad_biases):
        W -= learning_rate * gW
        b -= 2 * learning_rate * gb


def my_step(net, grad_weights, grad_biases, learning_rate):
    """The notebook's skeleton, left as it is."""
    raise NotImplementedError


WRONG_STEPS = {
    step_ascends: "ascends",
    step_without_rate: "rate-ignored",
    step_weights_only: "biases-not-updated",
    step_biases_only: "weights-not-updated",
    step_rebinds_a_local_name: "not-in-place",
    step_returns_new_lists: "not-in-place",
    step_returns_in_the_loop: "some-layers-not-updated",
    step_rate_per_layer: "wrong-learning-rate",
    step_column_bias: "step-wrong-shape",
    step_generator: "wrong-type",
    my_step: "not-written",
    step_sign_of_gradient: "unrecognised",
    step_biases_twice_as_far: "moved-twice",  # issue 29: a step of 2η is named
}


# -- the tests ---------------------------------------------------------------------------------------------------

CHECKS = {check_forward: RIGHT_FORWARDS, check_backprop: RIGHT_BACKPROPS, check_step: RIGHT_STEPS}
WRONG = [(check_forward, fn, key) for fn, key in WRONG_FORWARDS.items()]
WRONG += [(check_backprop, fn, key) for fn, key in WRONG_BACKPROPS.items()]
WRONG += [(check_step, fn, key) for fn, key in WRONG_STEPS.items()]


@pytest.mark.parametrize(("check", "fn"), [(check, fn) for check, fns in CHECKS.items() for fn in fns])
def test_right_code_in_any_style_passes(check, fn, capsys):
    result = check(fn)
    assert (result.passed, result.mistake) == (True, None), capsys.readouterr().out
    assert capsys.readouterr().out.startswith(f"{check.__name__}: ✓ ")


@pytest.mark.parametrize(("check", "fn", "key"), WRONG, ids=[fn.__name__ for _, fn, _ in WRONG])
def test_each_wrong_implementation_gets_its_mistake(check, fn, key, capsys):
    result = check(fn)
    out = capsys.readouterr().out
    assert (result.passed, result.mistake) == (False, key), out
    assert out.startswith(f"{check.__name__}: ")
    if key not in ("not-written", "unrecognised"):
        assert f"✗ mistake: {key}" in out
        assert MISTAKES[key].partition("\n")[0] in out


def test_every_key_is_met_by_a_wrong_implementation():
    keys = {key for _, _, key in WRONG} | {a.key for a in ATTEMPTS if a.kind == "wrong"}
    assert set(MISTAKES) - keys == {"not-a-function"}  # tested on its own below
    assert keys - set(MISTAKES) == {"unrecognised"}


def test_the_verdict_names_the_equation_what_was_found_and_where_to_look(capsys):
    result = check_backprop(backprop_no_sigma_prime_in_last_hidden_layer)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "check_backprop: ✗ mistake: missing-sigma-prime-hidden"
    assert lines[1] == "  δˡ = ((Wˡ⁺¹)ᵀ δˡ⁺¹) ⊙ σ′(zˡ): your hidden-layer error lacks the factor σ′(zˡ) = aˡ(1 − aˡ)."
    assert lines[2].startswith("  Found: on all 4 networks, e.g. network [5, 3, 4] (float64, batch of 1), in layer 1")
    assert lines[3] == "  Where to look: the line that carries delta back one layer."
    assert repr(result) == "CheckResult(check_backprop: mistake 'missing-sigma-prime-hidden')"
    assert result.message == "\n".join(lines)


def test_a_mistake_in_one_of_two_hidden_layers_is_found_in_that_layer(monkeypatch, capsys):
    monkeypatch.setattr(your_turn, "CASES", your_turn.CASES[2:])  # the networks with two hidden layers
    assert check_backprop(backprop_no_sigma_prime_in_last_hidden_layer).mistake == "missing-sigma-prime-hidden"
    assert "network [7, 5, 4, 3] (float64, batch of 6), in layer 2 (the input is layer 0)." in capsys.readouterr().out


def test_not_averaged_is_decided_on_the_batches_of_more_than_one(capsys):
    check_backprop(backprop_not_averaged)
    out = capsys.readouterr().out
    assert (
        "Found: on 2 of 4 networks (it cannot show on the others), e.g. network [5, 3, 4] (float32, batch of 6)." in out
    )


def test_a_function_that_raises_gets_its_error_and_line(capsys):
    result = check_forward(forward_wrong_orientation)
    out = capsys.readouterr().out
    assert result.mistake == "raised"
    assert "Found: ValueError: matmul: Input operand 1 has a mismatch" in out
    assert "in forward_wrong_orientation, line" in out and "a = nn.sigmoid(a @ W + b)" in out
    assert "(on network [5, 3, 4] (float64, batch of 1))." in out


def test_a_function_that_returns_none_is_told_so(capsys):
    assert check_backprop(backprop_without_return).mistake == "returned-none"
    assert "Your function returned None: its `return` line is missing." in capsys.readouterr().out


def test_a_skeleton_left_as_it_is_is_not_written_yet(capsys):
    for check, fn in [(check_forward, my_forward), (check_backprop, my_backprop), (check_step, my_step)]:
        result = check(fn)
        assert (result.passed, result.mistake) == (False, "not-written")
        out = capsys.readouterr().out
        assert out.startswith(f"{check.__name__}: not written yet — the lesson goes on with nn_helpers' version.")
        assert f"To try yours, fill in {fn.__name__} and run both cells again." in out


@pytest.mark.parametrize("returned", ["a string", {"w": 1}, 3.0, (None, None), ([1, 2], [3])])
def test_odd_results_get_a_verdict_and_the_check_never_raises(returned, capsys):
    for check in CHECKS:
        result = check(lambda *args: returned)
        assert not result.passed and result.mistake in MISTAKES.keys() | {"unrecognised"}
        assert "✗" in capsys.readouterr().out


def test_a_result_instead_of_a_function_is_explained(capsys):
    result = check_forward(np.zeros((6, 4)))
    assert result.mistake == "not-a-function"
    assert "it was given an array of shape (6, 4)" in capsys.readouterr().out


def test_unrecognised_says_where_it_differs(capsys):
    check_backprop(backprop_relu_prime_hidden)
    out = capsys.readouterr().out
    assert out.startswith("check_backprop: ✗ a mistake the check does not recognise")
    assert (
        "these differ from nn_helpers': grad_weights[0] (relative error 1), grad_biases[0] (relative error 1)." in out
    )


def test_a_function_that_spoils_what_it_is_given_cannot_spoil_the_next_check():
    def spoiler(net, x):
        x[:] = 0
        for W in net.weights:
            W[:] = 0
        return x

    assert not check_forward(spoiler).passed
    assert check_forward(forward_rows).passed


def test_the_signatures_without_a_mistake_are_nn_helpers_own():
    for case in your_turn._cases():
        grad_weights, grad_biases = case.net(np.float64).backprop(case.x, case.y)
        ours = your_turn._backprop_with(case, None, set())
        assert all(np.allclose(a, b, rtol=1e-12, atol=0) for a, b in zip(ours, grad_weights + grad_biases))
        assert np.allclose(case.forward()[1][-1], case.net(np.float64).feedforward(case.x), rtol=1e-12, atol=0)


def test_every_signature_is_far_from_the_right_answer_and_from_the_others():
    """No mistake can be mistaken for the right answer, or for another mistake, on a network where it shows."""
    for case in your_turn._cases():
        L = len(case.weights)
        variants = {
            (key, frozenset(s)): your_turn._backprop_with(case, key, s)
            for key, (where, _) in your_turn._BACKPROP_SIGNATURES.items()
            for s in your_turn._layer_sets(where, L)
        }
        right = your_turn._backprop_with(case, None, set())
        shown = {k: v for k, v in variants.items() if not your_turn._matches(v, right, 1e-3)}
        for (key, _), v in shown.items():
            others = [k for k, w in shown.items() if k[0] != key and your_turn._matches(v, w, 1e-3)]
            assert not others, (case, key, others)


# -- issue 29: a corpus of learner-style attempts, each right one passing and each wrong one named -------------


@pytest.fixture
def quick_time_limit(monkeypatch):
    monkeypatch.setattr(learner_code, "TIME_LIMIT", 0.5)  # the attempts that loop forever are stopped sooner


@pytest.mark.parametrize("attempt", ATTEMPTS, ids=[f"{a.check}: {a.name}" for a in ATTEMPTS])
def test_each_attempt_of_the_corpus_gets_its_verdict(attempt, quick_time_limit):
    result, out = your_turn_attempts.run(attempt)
    if attempt.kind in ("right", "borderline"):
        assert (result.passed, result.mistake) == (True, None), out
    else:
        assert (result.passed, result.mistake) == (False, attempt.key), out
    assert out.rstrip().split("\n")[-1 - len(result.message.split("\n")) + 1] == result.message.split("\n")[0], out


def test_few_wrong_attempts_of_the_corpus_are_unrecognised():
    wrong = [a for a in ATTEMPTS if a.kind == "wrong"]
    unrecognised = [a.name for a in wrong if a.key == "unrecognised"]
    assert len(wrong) >= 100 and len(unrecognised) <= 0.07 * len(wrong), unrecognised


def test_only_a_matrix_products_shapes_bring_up_transposing(quick_time_limit):
    raised = [a for a in ATTEMPTS if a.key == "raised"]
    for attempt in raised:
        result, out = your_turn_attempts.run(attempt)
        found = next(line for line in out.split("\n") if line.startswith("  Found: "))
        about_a_product = any(m in found for m in learner_code._MATMUL)
        assert about_a_product or "transpos" not in out, out
        if attempt.name == "W not transposed":
            assert "transposing one of the matrices (.T) is the usual fix" in out
    kinds = {a.name for a in raised}
    assert {"divides by n - 1", "raises its own error", "arguments in another order", "sigmoid without nn."} <= kinds
    assert {"gradient transposed", "whole lists at once"} <= kinds  # broadcasting in -=, and a list, not an array


def test_a_step_that_stores_lists_fails_and_says_so(capsys):
    def my_step(net, grad_weights, grad_biases, learning_rate):
        for l in range(len(net.weights)):
            net.weights[l] = (net.weights[l] - learning_rate * grad_weights[l]).tolist()
            net.biases[l] = (net.biases[l] - learning_rate * grad_biases[l]).tolist()

    result = check_step(my_step)
    out = capsys.readouterr().out
    assert (result.passed, result.mistake) == (False, "step-not-arrays")
    assert "net.weights[0] is a list of 3 items, not a numpy array: .tolist() makes Python lists" in out


def test_changing_the_input_fails_in_forward_and_in_backprop(capsys):
    def my_forward(net, x):
        x /= 2  # the caller's x is halved too
        return forward_rows(net, 2 * x)

    def my_backprop(net, x, y):
        grads = backprop_rows(net, x, y)
        y[:] = 0  # the caller's targets are gone
        return grads

    assert check_forward(my_forward).mistake == "changed-the-input"
    assert "x is no longer what the check gave your function" in capsys.readouterr().out
    assert check_backprop(my_backprop).mistake == "changed-the-input"
    assert "y is no longer what the check gave your function" in capsys.readouterr().out


def test_a_replaced_nn_sigmoid_fails_is_put_back_and_the_lesson_goes_on(capsys):
    sigmoid = nn.sigmoid

    def my_forward(net, x):
        nn.sigmoid = lambda z: 1 / (1 + np.exp(z))  # wrong, and left in nn_helpers
        return forward_rows(net, x)

    result = check_forward(my_forward)
    out = capsys.readouterr().out
    assert (result.passed, result.mistake) == (False, "replaced-nn-helpers")
    assert "your function replaced nn.sigmoid; the check put the original back" in out
    assert nn.sigmoid is sigmoid
    net, rng = nn.Network([4, 3, 2], seed=0, dtype=np.float64), np.random.default_rng(0)
    x, y = rng.random((5, 4)), nn.one_hot(rng.integers(0, 2, 5), 2)
    assert nn.gradient_check(net, x, y) < nn.GRADIENT_CHECK_TOLERANCE
    assert check_forward(forward_rows).passed  # the next right attempt passes


def test_a_replaced_network_method_is_put_back_too():
    backprop = nn.Network.backprop

    def my_backprop(net, x, y):
        nn.Network.backprop = lambda self, x, y: backprop_halved(self, x, y)
        return backprop_rows(net, x, y)

    assert check_backprop(my_backprop).mistake == "replaced-nn-helpers"
    assert nn.Network.backprop is backprop


def test_the_hint_fits_the_error_that_is_not_about_shapes(capsys):
    def my_forward(net, x):
        n = len(x) - 1
        return forward_rows(net, x) * (1 / n) * n

    assert check_forward(my_forward).mistake == "raised"
    out = capsys.readouterr().out
    assert "Found: ZeroDivisionError: division by zero, in my_forward, line" in out
    assert "On that line: net is a Network [5, 3, 4], x has shape (1, 5), n = 0." in out
    assert "a division by 0" in out and "transpos" not in out


def test_a_function_that_never_returns_is_stopped(quick_time_limit, capsys):
    if not learner_code.can_stop():
        pytest.skip("SIGALRM cannot be used here: the fallback is tested below")

    def my_step(net, grad_weights, grad_biases, learning_rate):
        l = 0
        while l < len(net.weights):
            net.weights[l] -= learning_rate * grad_weights[l]
        l += 1

    result = check_step(my_step)
    out = capsys.readouterr().out
    assert result.mistake == "too-slow-or-loops", out
    assert "Found: still running after 0.5 s, in my_step, line" in out and "while l < len(net.weights):" in out
    assert signal.getsignal(signal.SIGALRM) == signal.SIG_DFL and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_where_it_cannot_be_stopped_a_slow_function_gets_a_word(quick_time_limit, monkeypatch, capsys):
    monkeypatch.setattr(learner_code, "can_stop", lambda: False)  # as on Windows, or outside the main thread

    def my_forward(net, x):
        time.sleep(0.4)  # four calls: the word comes during the second, and the check goes on
        return forward_rows(net, x)

    result = check_forward(my_forward)
    out = capsys.readouterr().out
    assert result.passed, out
    assert learner_code.slow_word("check_forward") in out
    assert "interrupt the kernel: the ■ button above the notebook, or Kernel → Interrupt" in out
    assert out.rstrip().split("\n")[-1].startswith("check_forward: ✓")


def test_interrupting_the_kernel_stops_the_check_cleanly(quick_time_limit, monkeypatch, capsys):
    monkeypatch.setattr(learner_code, "can_stop", lambda: False)
    sigmoid, stdout = nn.sigmoid, sys.stdout

    def my_forward(net, x):
        print("looping")
        nn.sigmoid = None
        while True:
            time.sleep(0.01)

    threading.Timer(1.0, _thread.interrupt_main).start()  # the ■ button: KeyboardInterrupt in the main thread
    with pytest.raises(KeyboardInterrupt):
        check_forward(my_forward)
    out = capsys.readouterr().out
    assert nn.sigmoid is sigmoid and sys.stdout is stdout
    assert "  │ looping" in out and learner_code.slow_word("check_forward") in out
    assert out.rstrip().split("\n")[-1] == (
        "check_forward: ✗ stopped: the kernel was interrupted while your function ran, and nothing was checked."
    )


def test_the_learners_printing_comes_first_shortened_and_the_verdict_last(capsys):
    def my_forward(net, x):
        for i in range(775):
            print(f"line {i}")
        return forward_rows(net, x)

    result = check_forward(my_forward)
    lines = capsys.readouterr().out.rstrip("\n").split("\n")
    assert lines[0] == "Your function printed 3,100 lines while the check ran it; the first 10 and the last 5:"
    assert lines[1:11] == [f"  │ line {i}" for i in range(10)]
    assert lines[11] == "  │ … 3,085 lines left out …"
    assert lines[12:17] == [f"  │ line {i}" for i in range(770, 775)]
    assert lines[17] == "" and lines[18:] == [result.message] and result.passed


def test_a_step_that_works_on_the_notebooks_network_gets_its_own_explanation():
    (attempt,) = [a for a in ATTEMPTS if a.name == "steps the notebook's network"]
    result, out = your_turn_attempts.run(attempt)
    assert result.mistake == "used-a-global"
    assert "Found: your function reads `net` (a Network [5, 3, 4]) from the notebook." in out
    assert "W = W -" not in out  # not-in-place's explanation, which is not the cause


def test_the_forward_signatures_are_far_from_the_right_answer_and_from_the_others():
    for case in your_turn._cases():
        L = len(case.weights)
        variants = {
            (key, frozenset(s)): your_turn._forward_with(case, key, s)
            for key, (where, _) in your_turn._FORWARD_SIGNATURES.items()
            for s in your_turn._layer_sets(where, L)
        }
        right = your_turn._forward_with(case, None, set())
        for (key, _), v in variants.items():
            assert not your_turn._matches(v, right, 1e-3), (case, key)
            others = [k for k, w in variants.items() if k[0] != key and your_turn._matches(v, w, 1e-3)]
            assert not others, (case, key, others)


def test_nn_helpers_no_longer_knows_your_turn():
    code = "import sys, nn_helpers as nn; print('your_turn' in sys.modules, hasattr(nn, 'check_forward'))"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert run.stdout.split() == ["False", "False"]


def test_pythons_own_bookkeeping_is_not_a_replaced_function():
    if "__slotnames__" in vars(nn.Network):
        delattr(nn.Network, "__slotnames__")  # as in a fresh kernel: copy.deepcopy stores it on its first copy

    def my_step(net, grad_weights, grad_biases, learning_rate):
        copy.deepcopy(net)
        step_in_place(net, grad_weights, grad_biases, learning_rate)

    assert check_step(my_step).passed


def test_in_a_kernel_a_loop_is_stopped_the_word_comes_and_an_interrupt_stops_the_check_cleanly():
    """In ipykernel, as in the notebook: SIGALRM stops a loop in the main thread; where it cannot (here turned off),
    the word comes from the timer's thread into the cell, and the kernel's interrupt (SIGINT) stops the check."""
    cells = [
        "import numpy as np, nn_helpers as nn, your_turn, learner_code\nlearner_code.TIME_LIMIT = 1.0",
        "def my_step(net, grad_weights, grad_biases, learning_rate):\n    l = 0\n    print('start')\n"
        "    while l < len(net.weights):\n        net.weights[l] -= learning_rate * grad_weights[l]\n    l += 1",
        "your_turn.check_step(my_step);",
        "learner_code.can_stop = lambda: False  # as on Windows\n"
        "def my_forward(net, x):\n    nn.sigmoid = None\n    while True:\n        pass",
        "your_turn.check_forward(my_forward);",
        "import sys\nprint(nn.sigmoid.__name__, type(sys.stdout).__name__)",
    ]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    client = NotebookClient(nb, timeout=60, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}})
    with client.setup_kernel():
        for i, cell in enumerate(nb.cells):
            if i == 4:  # the ■ button: SIGINT to the kernel, 3 s into the check
                pid = client.km.provisioner.process.pid
                threading.Timer(3.0, os.kill, (pid, signal.SIGINT)).start()
                with pytest.raises(CellExecutionError, match="KeyboardInterrupt"):
                    client.execute_cell(cell, i)
            else:
                client.execute_cell(cell, i)
    stopped = "".join(o.get("text", "") for o in nb.cells[2].outputs)
    assert stopped.startswith("Your function printed 1 line while the check ran it:\n  │ start\n\n")
    assert "check_step: ✗ mistake: too-slow-or-loops" in stopped and "Found: still running after 1 s" in stopped
    interrupted = "".join(o.get("text", "") for o in nb.cells[4].outputs)
    assert "check_forward: your function is still running after 1 s, on networks of a few neurons" in interrupted
    assert "To stop it, interrupt the kernel: the ■ button above the notebook, or Kernel → Interrupt" in interrupted
    assert "check_forward: ✗ stopped: the kernel was interrupted while your function ran" in interrupted
    assert nb.cells[5].outputs[0]["text"] == "sigmoid OutStream\n"  # nn_helpers and the cell's output put back


def test_putting_back_is_carried_to_its_end_even_if_the_alarm_or_an_interrupt_comes():
    for stop in (learner_code.TooSlow, KeyboardInterrupt):
        calls = []

        def action(stop=stop, calls=calls):
            calls.append(1)
            if len(calls) == 1:
                raise stop  # in the middle of the first run
            return "done"

        if stop is KeyboardInterrupt:
            with pytest.raises(KeyboardInterrupt):  # after the action's end: the interrupt goes on
                learner_code.surely(action)
        else:
            assert learner_code.surely(action) == "done"
        assert len(calls) == 2
