"""A corpus of learner-style attempts at the three "your turn" cells, right, borderline and wrong, for your_turn's checks.

Each attempt is the source of a notebook cell, run as the notebook runs it: ``np`` and ``nn`` (nn_helpers) are
there, and the cell may set variables of its own (a network, a learning rate) before it defines its function.
``kind`` is "right" (the equations, in some style), "borderline" (a lenient but correct check accepts it: its
result is right and the network still works) or "wrong"; ``key`` is the verdict a wrong attempt should get.
``run`` runs one attempt through its check: ``tests/test_your_turn.py`` runs them all, and
``bench/your_turn_attempts.py`` runs each in its own process and prints the table.
"""

import contextlib
import io
import linecache
import textwrap
from dataclasses import dataclass

import numpy as np

import nn_helpers as nn
import your_turn


@dataclass
class Attempt:
    check: str  # "forward", "backprop" or "step"
    name: str
    kind: str  # "right", "borderline" or "wrong"
    key: str | None  # the verdict a wrong attempt should get; None for the others
    source: str


FUNCTIONS = {"forward": "my_forward", "backprop": "my_backprop", "step": "my_step"}
CHECKS = {"forward": "check_forward", "backprop": "check_backprop", "step": "check_step"}

ATTEMPTS = []


def attempt(check, name, kind, key, source):
    ATTEMPTS.append(Attempt(check, name, kind, key, textwrap.dedent(source).strip() + "\n"))


def run(a):
    """Run an attempt's cell, then its check. Returns (CheckResult, what the check printed)."""
    filename = f"<cell: {a.name}>"
    linecache.cache[filename] = (len(a.source), None, a.source.splitlines(True), filename)  # as IPython does
    space = {"np": np, "nn": nn, "__name__": "__main__"}
    exec(compile(a.source, filename, "exec"), space)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        result = getattr(your_turn, CHECKS[a.check])(space[FUNCTIONS[a.check]])
    return result, printed.getvalue()


# -- the forward pass --------------------------------------------------------------------------------------------

attempt(
    "forward",
    "rows",
    "right",
    None,
    """
def my_forward(net, x):
    a = x
    for W, b in zip(net.weights, net.biases):
        a = nn.sigmoid(a @ W.T + b)
    return a
""",
)
attempt(
    "forward",
    "np.dot",
    "right",
    None,
    """
def my_forward(net, x):
    a = x
    for W, b in zip(net.weights, net.biases):
        a = nn.sigmoid(np.dot(a, W.T) + b)
    return a
""",
)
attempt(
    "forward",
    "einsum",
    "right",
    None,
    """
def my_forward(net, x):
    a = x
    for W, b in zip(net.weights, net.biases):
        a = nn.sigmoid(np.einsum("nj,kj->nk", a, W) + b)
    return a
""",
)
attempt(
    "forward",
    "own sigmoid",
    "right",
    None,
    """
def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))

def my_forward(net, x):
    a = x
    for W, b in zip(net.weights, net.biases):
        a = sigmoid(a @ W.T + b)
    return a
""",
)
attempt(
    "forward",
    "one example at a time, columns",
    "right",
    None,
    """
def my_forward(net, x):
    outputs = []
    for example in x:
        a = example.reshape(-1, 1)
        for W, b in zip(net.weights, net.biases):
            a = nn.sigmoid(W @ a + b.reshape(-1, 1))
        outputs.append(a.ravel())
    return np.array(outputs)
""",
)
attempt(
    "forward",
    "columns, transposed back",
    "right",
    None,
    """
def my_forward(net, x):
    A = x.T
    for W, b in zip(net.weights, net.biases):
        A = nn.sigmoid(W @ A + b[:, np.newaxis])
    return A.T
""",
)
attempt(
    "forward",
    "by index",
    "right",
    None,
    """
def my_forward(net, x):
    a = x
    for l in range(len(net.weights)):
        z = np.matmul(a, net.weights[l].T) + net.biases[l]
        a = nn.sigmoid(z)
    return a
""",
)
attempt(
    "forward",
    "float64 inside",
    "right",
    None,
    """
def my_forward(net, x):
    a = np.asarray(x, dtype=np.float64)
    for W, b in zip(net.weights, net.biases):
        a = nn.sigmoid(a @ W.astype(np.float64).T + b.astype(np.float64))
    return a
""",
)
attempt(
    "forward",
    "keeps every layer, returns the last",
    "right",
    None,
    """
def my_forward(net, x):
    activations = [x]
    for W, b in zip(net.weights, net.biases):
        activations.append(nn.sigmoid(activations[-1] @ W.T + b))
    return activations[-1]
""",
)
attempt(
    "forward",
    "while loop",
    "right",
    None,
    """
def my_forward(net, x):
    a, l = x, 0
    while l < len(net.weights):
        a = nn.sigmoid(a @ net.weights[l].T + net.biases[l])
        l += 1
    return a
""",
)
attempt(
    "forward",
    "tanh form of sigmoid",
    "right",
    None,
    """
def my_forward(net, x):
    a = x
    for W, b in zip(net.weights, net.biases):
        a = 0.5 * (1 + np.tanh(0.5 * (a @ W.T + b)))
    return a
""",
)
attempt(
    "forward",
    "functools.reduce",
    "right",
    None,
    """
from functools import reduce

def my_forward(net, x):
    return reduce(lambda a, Wb: nn.sigmoid(a @ Wb[0].T + Wb[1]), zip(net.weights, net.biases), x)
""",
)
attempt(
    "forward",
    "z kept apart, in place on z",
    "right",
    None,
    """
def my_forward(net, x):
    a = x
    for W, b in zip(net.weights, net.biases):
        z = a @ W.T
        z += b
        a = nn.sigmoid(z)
    return a
""",
)
attempt(
    "forward",
    "the network's own feedforward",
    "borderline",
    None,
    """
def my_forward(net, x):
    return net.feedforward(x)
""",
)
attempt(
    "forward",
    "returns a list of lists",
    "borderline",
    None,
    """
def my_forward(net, x):
    a = x
    for W, b in zip(net.weights, net.biases):
        a = nn.sigmoid(a @ W.T + b)
    return a.tolist()
""",
)
attempt(
    "forward",
    "prints 3,000 lines",
    "borderline",
    None,
    """
def my_forward(net, x):
    a = x
    for W, b in zip(net.weights, net.biases):
        for step in range(400):
            print("debug", step, a.shape)
        a = nn.sigmoid(a @ W.T + b)
    return a
""",
)
attempt(
    "forward",
    "float32 output for a float64 network",
    "borderline",
    None,
    """
def my_forward(net, x):
    a = x
    for W, b in zip(net.weights, net.biases):
        a = nn.sigmoid(a @ W.T + b)
    return a.astype(np.float32)
""",
)
attempt(
    "forward",
    "works on a copy of x in place",
    "borderline",
    None,
    """
def my_forward(net, x):
    a = x.copy()
    a *= 1.0
    for W, b in zip(net.weights, net.biases):
        a = nn.sigmoid(a @ W.T + b)
    return a
""",
)

attempt(
    "forward",
    "no sigmoid on the output",
    "wrong",
    "missing-sigmoid",
    """
def my_forward(net, x):
    a = x
    L = len(net.weights)
    for l in range(L):
        z = a @ net.weights[l].T + net.biases[l]
        a = z if l == L - 1 else nn.sigmoid(z)
    return a
""",
)
attempt(
    "forward",
    "no sigmoid at all",
    "wrong",
    "missing-sigmoid",
    """
def my_forward(net, x):
    a = x
    for W, b in zip(net.weights, net.biases):
        a = a @ W.T + b
    return a
""",
)
attempt(
    "forward",
    "no bias",
    "wrong",
    "missing-bias",
    """
def my_forward(net, x):
    a = x
    for W in net.weights:
        a = nn.sigmoid(a @ W.T)
    return a
""",
)
attempt(
    "forward",
    "bias subtracted",
    "wrong",
    "bias-subtracted",
    """
def my_forward(net, x):
    a = x
    for W, b in zip(net.weights, net.biases):
        a = nn.sigmoid(a @ W.T - b)
    return a
""",
)
attempt(
    "forward",
    "sigmoid before the product",
    "wrong",
    "sigmoid-before-product",
    """
def my_forward(net, x):
    a = x
    for W, b in zip(net.weights, net.biases):
        a = nn.sigmoid(a) @ W.T + b
    return a
""",
)
attempt(
    "forward",
    "sigmoid before the product, and at the end",
    "wrong",
    "sigmoid-before-product",
    """
def my_forward(net, x):
    a = x
    for W, b in zip(net.weights, net.biases):
        a = nn.sigmoid(a)
        a = a @ W.T + b
    return nn.sigmoid(a)
""",
)
attempt(
    "forward",
    "bias after the sigmoid",
    "wrong",
    "bias-after-sigmoid",
    """
def my_forward(net, x):
    a = x
    for W, b in zip(net.weights, net.biases):
        a = nn.sigmoid(a @ W.T) + b
    return a
""",
)
attempt(
    "forward",
    "own sigmoid, sign of z flipped",
    "wrong",
    "sigmoid-wrong",
    """
def sigmoid(z):
    return 1 / (1 + np.exp(z))

def my_forward(net, x):
    a = x
    for W, b in zip(net.weights, net.biases):
        a = sigmoid(a @ W.T + b)
    return a
""",
)
attempt(
    "forward",
    "own sigmoid without brackets",
    "wrong",
    "sigmoid-wrong",
    """
def my_forward(net, x):
    a = x
    for W, b in zip(net.weights, net.biases):
        a = 1 / 1 + np.exp(-(a @ W.T + b))
    return a
""",
)
attempt(
    "forward",
    "tanh",
    "wrong",
    "sigmoid-wrong",
    """
def my_forward(net, x):
    a = x
    for W, b in zip(net.weights, net.biases):
        a = np.tanh(a @ W.T + b)
    return a
""",
)
attempt(
    "forward",
    "relu",
    "wrong",
    "sigmoid-wrong",
    """
def my_forward(net, x):
    a = x
    for W, b in zip(net.weights, net.biases):
        a = np.maximum(0, a @ W.T + b)
    return a
""",
)
attempt(
    "forward",
    "softmax output",
    "wrong",
    "sigmoid-wrong",
    """
def my_forward(net, x):
    a = x
    for l, (W, b) in enumerate(zip(net.weights, net.biases)):
        z = a @ W.T + b
        if l == len(net.weights) - 1:
            e = np.exp(z - z.max(axis=1, keepdims=True))
            a = e / e.sum(axis=1, keepdims=True)
        else:
            a = nn.sigmoid(z)
    return a
""",
)
attempt(
    "forward",
    "W not transposed",
    "wrong",
    "raised",
    """
def my_forward(net, x):
    a = x
    for W, b in zip(net.weights, net.biases):
        a = nn.sigmoid(a @ W + b)
    return a
""",
)
attempt(
    "forward",
    "returns inside the loop",
    "wrong",
    "wrong-shape",
    """
def my_forward(net, x):
    a = x
    for W, b in zip(net.weights, net.biases):
        a = nn.sigmoid(a @ W.T + b)
        return a
""",
)
attempt(
    "forward",
    "skips the last layer",
    "wrong",
    "wrong-shape",
    """
def my_forward(net, x):
    a = x
    for W, b in zip(net.weights[:-1], net.biases[:-1]):
        a = nn.sigmoid(a @ W.T + b)
    return a
""",
)
attempt(
    "forward",
    "argmax",
    "wrong",
    "wrong-shape",
    """
def my_forward(net, x):
    a = x
    for W, b in zip(net.weights, net.biases):
        a = nn.sigmoid(a @ W.T + b)
    return np.argmax(a, axis=1)
""",
)
attempt(
    "forward",
    "mean over the batch",
    "wrong",
    "wrong-shape",
    """
def my_forward(net, x):
    a = x
    for W, b in zip(net.weights, net.biases):
        a = nn.sigmoid(a @ W.T + b)
    return a.mean(axis=0)
""",
)
attempt(
    "forward",
    "columns, not transposed back",
    "wrong",
    "wrong-shape",
    """
def my_forward(net, x):
    A = x.T
    for W, b in zip(net.weights, net.biases):
        A = nn.sigmoid(W @ A + b[:, None])
    return A
""",
)
attempt(
    "forward",
    "column vectors stacked",
    "wrong",
    "wrong-shape",
    """
def my_forward(net, x):
    outputs = []
    for example in x:
        a = example.reshape(-1, 1)
        for W, b in zip(net.weights, net.biases):
            a = nn.sigmoid(W @ a + b.reshape(-1, 1))
        outputs.append(a)
    return np.array(outputs)
""",
)
attempt(
    "forward",
    "returns every layer",
    "wrong",
    "wrong-type",
    """
def my_forward(net, x):
    activations = [x]
    for W, b in zip(net.weights, net.biases):
        activations.append(nn.sigmoid(activations[-1] @ W.T + b))
    return activations
""",
)
attempt(
    "forward",
    "no return",
    "wrong",
    "returned-none",
    """
def my_forward(net, x):
    a = x
    for W, b in zip(net.weights, net.biases):
        a = nn.sigmoid(a @ W.T + b)
""",
)
attempt(
    "forward",
    "centres x in place",
    "wrong",
    "changed-the-input",
    """
def my_forward(net, x):
    x -= x.mean(axis=0)
    a = x
    for W, b in zip(net.weights, net.biases):
        a = nn.sigmoid(a @ W.T + b)
    return a
""",
)
attempt(
    "forward",
    "zeroes x when done",
    "wrong",
    "changed-the-input",
    """
def my_forward(net, x):
    a = x
    for W, b in zip(net.weights, net.biases):
        z = a @ W.T + b
        a = nn.sigmoid(z)
    x[:] = 0  # "done with the input"
    return a
""",
)
attempt(
    "forward",
    "centres the weights in place",
    "wrong",
    "changed-the-network",
    """
def my_forward(net, x):
    a = x
    for W, b in zip(net.weights, net.biases):
        W -= W.mean()
        a = nn.sigmoid(a @ W.T + b)
    return a
""",
)
attempt(
    "forward",
    "replaces nn.sigmoid with a wrong one",
    "wrong",
    "replaced-nn-helpers",
    """
def my_forward(net, x):
    nn.sigmoid = lambda z: 1 / (1 + np.exp(z))
    a = x
    for W, b in zip(net.weights, net.biases):
        a = nn.sigmoid(a @ W.T + b)
    return a
""",
)
attempt(
    "forward",
    "plugs its own sigmoid into nn",
    "wrong",
    "replaced-nn-helpers",
    """
def my_sigmoid(z):
    return 1 / (1 + np.exp(-z))

def my_forward(net, x):
    nn.sigmoid = my_sigmoid
    a = x
    for W, b in zip(net.weights, net.biases):
        a = nn.sigmoid(a @ W.T + b)
    return a
""",
)
attempt(
    "forward",
    "the notebook's net, not the argument",
    "wrong",
    "raised",
    """
net = nn.Network([784, 30, 26], seed=1)

def my_forward(network, x):
    a = x
    for W, b in zip(net.weights, net.biases):
        a = nn.sigmoid(a @ W.T + b)
    return a
""",
)
attempt(
    "forward",
    "the notebook's x_train, not the argument",
    "wrong",
    "raised",
    """
x_train = np.random.default_rng(0).random((50, 784))

def my_forward(net, x):
    a = x_train
    for W, b in zip(net.weights, net.biases):
        a = nn.sigmoid(a @ W.T + b)
    return a
""",
)
attempt(
    "forward",
    "the notebook's batch, the same size",
    "wrong",
    "used-a-global",
    """
batch = np.random.default_rng(0).random((6, 5))

def my_forward(net, x):
    a = batch
    for W, b in zip(net.weights, net.biases):
        a = nn.sigmoid(a @ W.T + b)
    return a
""",
)
attempt(
    "forward",
    "raises its own error",
    "wrong",
    "raised",
    """
def my_forward(net, x):
    if x.shape[1] != 784:
        raise ValueError("x must have 784 columns, one per pixel")
    a = x
    for W, b in zip(net.weights, net.biases):
        a = nn.sigmoid(a @ W.T + b)
    return a
""",
)
attempt(
    "forward",
    "asserts the notebook's sizes",
    "wrong",
    "raised",
    """
def my_forward(net, x):
    assert net.sizes[-1] == 26, "26 letters"
    a = x
    for W, b in zip(net.weights, net.biases):
        a = nn.sigmoid(a @ W.T + b)
    return a
""",
)
attempt(
    "forward",
    "sigmoid without nn.",
    "wrong",
    "raised",
    """
def my_forward(net, x):
    a = x
    for W, b in zip(net.weights, net.biases):
        a = sigmoid(a @ W.T + b)
    return a
""",
)
attempt(
    "forward",
    "arguments in another order",
    "wrong",
    "raised",
    """
def my_forward(x, net):
    a = x
    for W, b in zip(net.weights, net.biases):
        a = nn.sigmoid(a @ W.T + b)
    return a
""",
)
attempt(
    "forward",
    "math.exp on an array",
    "wrong",
    "raised",
    """
import math

def my_forward(net, x):
    a = x
    for W, b in zip(net.weights, net.biases):
        a = 1 / (1 + math.exp(-(a @ W.T + b)))
    return a
""",
)
attempt(
    "forward",
    "for W, b in net.weights",
    "wrong",
    "raised",
    """
def my_forward(net, x):
    a = x
    for W, b in net.weights:
        a = nn.sigmoid(a @ W.T + b)
    return a
""",
)
attempt(
    "forward",
    "bias as a column",
    "wrong",
    "raised",
    """
def my_forward(net, x):
    a = x
    for W, b in zip(net.weights, net.biases):
        a = nn.sigmoid(a @ W.T + b.reshape(-1, 1))
    return a
""",
)
attempt(
    "forward",
    "a used before it is set",
    "wrong",
    "raised",
    """
def my_forward(net, x):
    for W, b in zip(net.weights, net.biases):
        a = nn.sigmoid(a @ W.T + b)
    return a
""",
)
attempt(
    "forward",
    "net.weight",
    "wrong",
    "raised",
    """
def my_forward(net, x):
    a = x
    for W, b in zip(net.weight, net.bias):
        a = nn.sigmoid(a @ W.T + b)
    return a
""",
)
attempt(
    "forward",
    "one layer too many",
    "wrong",
    "raised",
    """
def my_forward(net, x):
    a = x
    for l in range(len(net.sizes)):
        a = nn.sigmoid(a @ net.weights[l].T + net.biases[l])
    return a
""",
)
attempt(
    "forward",
    "np.array of the weights",
    "wrong",
    "raised",
    """
def my_forward(net, x):
    weights = np.array(net.weights)
    a = x
    for l in range(len(weights)):
        a = nn.sigmoid(a @ weights[l].T + net.biases[l])
    return a
""",
)
attempt(
    "forward",
    "divides by n - 1",
    "wrong",
    "raised",
    """
def my_forward(net, x):
    scale = 1 / (len(x) - 1) * len(x)  # "unbiased"
    a = x
    for W, b in zip(net.weights, net.biases):
        a = nn.sigmoid(scale * (a @ W.T) + b)
    return a
""",
)

# -- backpropagation ---------------------------------------------------------------------------------------------

_FORWARD = """
def forward_pass(net, x):
    activations = [x]
    for W, b in zip(net.weights, net.biases):
        activations.append(nn.sigmoid(activations[-1] @ W.T + b))
    return activations
"""


def backprop(name, kind, key, body, before=""):
    """A backprop attempt: the cell defines forward_pass (activations = [x, a¹, …, aᴸ]), then the function."""
    attempt("backprop", name, kind, key, textwrap.dedent(before) + _FORWARD + "\n" + textwrap.dedent(body))


backprop(
    "rows",
    "right",
    None,
    """
def my_backprop(net, x, y):
    activations = forward_pass(net, x)
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
""",
)
backprop(
    "insert at the front, np.dot",
    "right",
    None,
    """
def my_backprop(net, x, y):
    activations = forward_pass(net, x)
    a = activations[-1]
    delta = np.multiply((a - y) / x.shape[0], a * (1 - a))
    grad_weights, grad_biases = [], []
    for l in range(len(net.weights) - 1, -1, -1):
        grad_weights.insert(0, np.dot(delta.T, activations[l]))
        grad_biases.insert(0, np.sum(delta, axis=0))
        delta = np.dot(delta, net.weights[l]) * activations[l] * (1 - activations[l])
    return grad_weights, grad_biases
""",
)
backprop(
    "appended, then reversed",
    "right",
    None,
    """
def my_backprop(net, x, y):
    activations = forward_pass(net, x)
    a = activations[-1]
    delta = (a - y) / len(x) * a * (1 - a)
    gw, gb = [], []
    for l in reversed(range(len(net.weights))):
        gw.append(delta.T @ activations[l])
        gb.append(delta.sum(axis=0))
        delta = (delta @ net.weights[l]) * activations[l] * (1 - activations[l])
    gw.reverse()
    gb.reverse()
    return gw, gb
""",
)
backprop(
    "zs and sigmoid_prime",
    "right",
    None,
    """
def my_backprop(net, x, y):
    activations, zs = [x], []
    for W, b in zip(net.weights, net.biases):
        zs.append(activations[-1] @ W.T + b)
        activations.append(nn.sigmoid(zs[-1]))
    delta = (activations[-1] - y) / len(x) * nn.sigmoid_prime(zs[-1])
    L = len(net.weights)
    grad_weights = [np.zeros_like(W) for W in net.weights]
    grad_biases = [np.zeros_like(b) for b in net.biases]
    for l in range(L - 1, -1, -1):
        grad_weights[l] = delta.T @ activations[l]
        grad_biases[l] = delta.sum(axis=0)
        if l > 0:
            delta = (delta @ net.weights[l]) * nn.sigmoid_prime(zs[l - 1])
    return grad_weights, grad_biases
""",
)
backprop(
    "Nielsen, one example at a time",
    "right",
    None,
    """
def my_backprop(net, x, y):
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
    return [w / len(x) for w in nabla_w], [b / len(x) for b in nabla_b]
""",
)
backprop(
    "einsum",
    "right",
    None,
    """
def my_backprop(net, x, y):
    activations = forward_pass(net, x)
    a = activations[-1]
    delta = (a - y) / len(x) * a * (1 - a)
    grad_weights, grad_biases = [], []
    for l in reversed(range(len(net.weights))):
        grad_weights.append(np.einsum("nk,nj->kj", delta, activations[l]))
        grad_biases.append(np.einsum("nk->k", delta))
        delta = np.einsum("nk,kj->nj", delta, net.weights[l]) * activations[l] * (1 - activations[l])
    return grad_weights[::-1], grad_biases[::-1]
""",
)
backprop(
    "divides by n at the end",
    "right",
    None,
    """
def my_backprop(net, x, y):
    activations = forward_pass(net, x)
    a = activations[-1]
    delta = (a - y) * a * (1 - a)
    n, L = len(x), len(net.weights)
    grad_weights, grad_biases = [None] * L, [None] * L
    for l in reversed(range(L)):
        grad_weights[l] = delta.T @ activations[l] / n
        grad_biases[l] = delta.mean(axis=0)
        if l > 0:
            delta = (delta @ net.weights[l]) * activations[l] * (1 - activations[l])
    return grad_weights, grad_biases
""",
)
backprop(
    "float32 for every network",
    "right",
    None,
    """
def my_backprop(net, x, y):
    x, y = x.astype(np.float32), y.astype(np.float32)
    weights = [W.astype(np.float32) for W in net.weights]
    activations = [x]
    for W, b in zip(weights, net.biases):
        activations.append(nn.sigmoid(activations[-1] @ W.T + b.astype(np.float32)))
    a = activations[-1]
    delta = (a - y) / len(x) * a * (1 - a)
    grads_w, grads_b = [], []
    for l in reversed(range(len(weights))):
        grads_w.insert(0, delta.T @ activations[l])
        grads_b.insert(0, delta.sum(axis=0))
        delta = (delta @ weights[l]) * activations[l] * (1 - activations[l])
    return grads_w, grads_b
""",
)
backprop(
    "the book's notation: nabla, tuples",
    "right",
    None,
    """
def my_backprop(net, x, y):
    acts = forward_pass(net, x)
    n = len(x)
    delta = (acts[-1] - y) * acts[-1] * (1 - acts[-1]) / n
    nabla_w, nabla_b = [], []
    for W, a_in, a_out in reversed(list(zip(net.weights, acts[:-1], acts[1:]))):
        nabla_w.append(delta.T @ a_in)
        nabla_b.append(delta.sum(0))
        delta = (delta @ W) * a_in * (1 - a_in)
    return tuple(nabla_w[::-1]), tuple(nabla_b[::-1])
""",
)
backprop(
    "the network's own backprop",
    "borderline",
    None,
    """
def my_backprop(net, x, y):
    return net.backprop(x, y)
""",
)
backprop(
    "gradients as nested lists",
    "borderline",
    None,
    """
def my_backprop(net, x, y):
    grad_weights, grad_biases = net.backprop(x, y)
    return [g.tolist() for g in grad_weights], [g.tolist() for g in grad_biases]
""",
)
backprop(
    "gradients through map",
    "borderline",
    None,
    """
def my_backprop(net, x, y):
    activations = forward_pass(net, x)
    a = activations[-1]
    delta = (a - y) / len(x) * a * (1 - a)
    deltas = []
    for l in reversed(range(len(net.weights))):
        deltas.insert(0, delta)
        delta = (delta @ net.weights[l]) * activations[l] * (1 - activations[l])
    return map(lambda d, a: d.T @ a, deltas, activations), map(lambda d: d.sum(0), deltas)
""",
)
backprop(
    "numerical gradients of its own, on a float64 copy",
    "borderline",
    None,
    """
import copy

def my_backprop(net, x, y):
    twin = copy.deepcopy(net)
    twin.weights = [W.astype(np.float64) for W in net.weights]
    twin.biases = [b.astype(np.float64) for b in net.biases]
    x, y = x.astype(np.float64), y.astype(np.float64)
    grads = []
    for p in twin.weights + twin.biases:
        g = np.zeros_like(p)
        for i in np.ndindex(p.shape):
            keep = p[i]
            p[i] = keep + 1e-5
            up = nn.mse_cost(forward_pass(twin, x)[-1], y)
            p[i] = keep - 1e-5
            down = nn.mse_cost(forward_pass(twin, x)[-1], y)
            p[i] = keep
            g[i] = (up - down) / 2e-5
        grads.append(g)
    return grads[: len(net.weights)], grads[len(net.weights):]
""",
)

backprop(
    "no sigma' at the output",
    "wrong",
    "missing-sigma-prime-output",
    """
def my_backprop(net, x, y):
    activations = forward_pass(net, x)
    L = len(net.weights)
    delta = (activations[-1] - y) / len(x)  # the cross-entropy's delta
    grad_weights, grad_biases = [None] * L, [None] * L
    for l in reversed(range(L)):
        grad_weights[l] = delta.T @ activations[l]
        grad_biases[l] = delta.sum(axis=0)
        if l > 0:
            delta = (delta @ net.weights[l]) * activations[l] * (1 - activations[l])
    return grad_weights, grad_biases
""",
)
backprop(
    "no sigma' in the hidden layers",
    "wrong",
    "missing-sigma-prime-hidden",
    """
def my_backprop(net, x, y):
    activations = forward_pass(net, x)
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
""",
)
backprop(
    "no sigma' anywhere",
    "wrong",
    "missing-sigma-prime-everywhere",
    """
def my_backprop(net, x, y):
    activations = forward_pass(net, x)
    L = len(net.weights)
    delta = (activations[-1] - y) / len(x)
    grad_weights, grad_biases = [None] * L, [None] * L
    for l in reversed(range(L)):
        grad_weights[l] = delta.T @ activations[l]
        grad_biases[l] = delta.sum(axis=0)
        if l > 0:
            delta = delta @ net.weights[l]
    return grad_weights, grad_biases
""",
)
backprop(
    "sigmoid_prime of a",
    "wrong",
    "sigma-prime-of-activation",
    """
def my_backprop(net, x, y):
    activations = forward_pass(net, x)
    L = len(net.weights)
    delta = (activations[-1] - y) / len(x) * nn.sigmoid_prime(activations[-1])
    grad_weights, grad_biases = [None] * L, [None] * L
    for l in reversed(range(L)):
        grad_weights[l] = delta.T @ activations[l]
        grad_biases[l] = delta.sum(axis=0)
        if l > 0:
            delta = (delta @ net.weights[l]) * nn.sigmoid_prime(activations[l])
    return grad_weights, grad_biases
""",
)
backprop(
    "not averaged",
    "wrong",
    "not-averaged",
    """
def my_backprop(net, x, y):
    activations = forward_pass(net, x)
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
""",
)
backprop(
    "y - a",
    "wrong",
    "sign-flipped",
    """
def my_backprop(net, x, y):
    activations = forward_pass(net, x)
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
""",
)
backprop(
    "a.T @ delta",
    "wrong",
    "weight-gradient-transposed",
    """
def my_backprop(net, x, y):
    activations = forward_pass(net, x)
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
""",
)
backprop(
    "the layer's own activation",
    "wrong",
    "wrong-activation",
    """
def my_backprop(net, x, y):
    activations = forward_pass(net, x)
    L = len(net.weights)
    a = activations[-1]
    delta = (a - y) / len(x) * a * (1 - a)
    grad_weights, grad_biases = [None] * L, [None] * L
    for l in reversed(range(L)):
        grad_weights[l] = delta.T @ activations[l + 1]
        grad_biases[l] = delta.sum(axis=0)
        if l > 0:
            delta = (delta @ net.weights[l]) * activations[l] * (1 - activations[l])
    return grad_weights, grad_biases
""",
)
backprop(
    "bias gradient not summed",
    "wrong",
    "bias-gradient-not-summed",
    """
def my_backprop(net, x, y):
    activations = forward_pass(net, x)
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
""",
)
backprop(
    "bias gradient: mean",
    "wrong",
    "bias-gradient-averaged-twice",
    """
def my_backprop(net, x, y):
    activations = forward_pass(net, x)
    L = len(net.weights)
    a = activations[-1]
    delta = (a - y) / len(x) * a * (1 - a)
    grad_weights, grad_biases = [None] * L, [None] * L
    for l in reversed(range(L)):
        grad_weights[l] = delta.T @ activations[l]
        grad_biases[l] = np.mean(delta, axis=0)
        if l > 0:
            delta = (delta @ net.weights[l]) * activations[l] * (1 - activations[l])
    return grad_weights, grad_biases
""",
)
backprop(
    "weight gradient divided by n again",
    "wrong",
    "weight-gradient-averaged-twice",
    """
def my_backprop(net, x, y):
    activations = forward_pass(net, x)
    L, n = len(net.weights), len(x)
    a = activations[-1]
    delta = (a - y) / n * a * (1 - a)
    grad_weights, grad_biases = [None] * L, [None] * L
    for l in reversed(range(L)):
        grad_weights[l] = delta.T @ activations[l] / n
        grad_biases[l] = delta.sum(axis=0)
        if l > 0:
            delta = (delta @ net.weights[l]) * activations[l] * (1 - activations[l])
    return grad_weights, grad_biases
""",
)
backprop(
    "every gradient divided by n again",
    "wrong",
    "constant-factor",
    """
def my_backprop(net, x, y):
    activations = forward_pass(net, x)
    L, n = len(net.weights), len(x)
    a = activations[-1]
    delta = (a - y) / n * a * (1 - a)
    grad_weights, grad_biases = [None] * L, [None] * L
    for l in reversed(range(L)):
        grad_weights[l] = delta.T @ activations[l] / n
        grad_biases[l] = delta.mean(axis=0)
        if l > 0:
            delta = (delta @ net.weights[l]) * activations[l] * (1 - activations[l])
    return grad_weights, grad_biases
""",
)
backprop(
    "divided by y.size",
    "wrong",
    "constant-factor",
    """
def my_backprop(net, x, y):
    activations = forward_pass(net, x)
    L = len(net.weights)
    a = activations[-1]
    delta = (a - y) / y.size * a * (1 - a)
    grad_weights, grad_biases = [None] * L, [None] * L
    for l in reversed(range(L)):
        grad_weights[l] = delta.T @ activations[l]
        grad_biases[l] = delta.sum(axis=0)
        if l > 0:
            delta = (delta @ net.weights[l]) * activations[l] * (1 - activations[l])
    return grad_weights, grad_biases
""",
)
backprop(
    "2 (a - y), the derivative of the square",
    "wrong",
    "constant-factor",
    """
def my_backprop(net, x, y):
    activations = forward_pass(net, x)
    L = len(net.weights)
    a = activations[-1]
    delta = 2 * (a - y) / len(x) * a * (1 - a)
    grad_weights, grad_biases = [None] * L, [None] * L
    for l in reversed(range(L)):
        grad_weights[l] = delta.T @ activations[l]
        grad_biases[l] = delta.sum(axis=0)
        if l > 0:
            delta = (delta @ net.weights[l]) * activations[l] * (1 - activations[l])
    return grad_weights, grad_biases
""",
)
backprop(
    "weight gradients not averaged",
    "wrong",
    "weight-gradient-not-averaged",
    """
def my_backprop(net, x, y):
    activations = forward_pass(net, x)
    L = len(net.weights)
    a = activations[-1]
    delta = (a - y) * a * (1 - a)
    grad_weights, grad_biases = [None] * L, [None] * L
    for l in reversed(range(L)):
        grad_weights[l] = delta.T @ activations[l]
        grad_biases[l] = delta.mean(axis=0)
        if l > 0:
            delta = (delta @ net.weights[l]) * activations[l] * (1 - activations[l])
    return grad_weights, grad_biases
""",
)
backprop(
    "bias gradients not averaged",
    "wrong",
    "bias-gradient-not-averaged",
    """
def my_backprop(net, x, y):
    activations = forward_pass(net, x)
    L = len(net.weights)
    a = activations[-1]
    delta = (a - y) * a * (1 - a)
    grad_weights, grad_biases = [None] * L, [None] * L
    for l in reversed(range(L)):
        grad_weights[l] = delta.T @ activations[l] / len(x)
        grad_biases[l] = delta.sum(axis=0)
        if l > 0:
            delta = (delta @ net.weights[l]) * activations[l] * (1 - activations[l])
    return grad_weights, grad_biases
""",
)
backprop(
    "z instead of a",
    "wrong",
    "z-instead-of-activation",
    """
def my_backprop(net, x, y):
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
""",
)
backprop(
    "returns (nabla_b, nabla_w)",
    "wrong",
    "swapped-pair",
    """
def my_backprop(net, x, y):
    grad_weights, grad_biases = net.backprop(x, y)
    return grad_biases, grad_weights
""",
)
backprop(
    "appended, not reversed",
    "wrong",
    "reversed-order",
    """
def my_backprop(net, x, y):
    activations = forward_pass(net, x)
    a = activations[-1]
    delta = (a - y) / len(x) * a * (1 - a)
    grad_weights, grad_biases = [], []
    for l in reversed(range(len(net.weights))):
        grad_weights.append(delta.T @ activations[l])
        grad_biases.append(delta.sum(axis=0))
        delta = (delta @ net.weights[l]) * activations[l] * (1 - activations[l])
    return grad_weights, grad_biases
""",
)
backprop(
    "bias gradient: sum of everything",
    "wrong",
    "gradient-wrong-shape",
    """
def my_backprop(net, x, y):
    activations = forward_pass(net, x)
    L = len(net.weights)
    a = activations[-1]
    delta = (a - y) / len(x) * a * (1 - a)
    grad_weights, grad_biases = [None] * L, [None] * L
    for l in reversed(range(L)):
        grad_weights[l] = delta.T @ activations[l]
        grad_biases[l] = delta.sum()
        if l > 0:
            delta = (delta @ net.weights[l]) * activations[l] * (1 - activations[l])
    return grad_weights, grad_biases
""",
)
backprop(
    "the loop stops at l = 1, None left",
    "wrong",
    "gradients-not-filled",
    """
def my_backprop(net, x, y):
    activations = forward_pass(net, x)
    L = len(net.weights)
    a = activations[-1]
    delta = (a - y) / len(x) * a * (1 - a)
    grad_weights, grad_biases = [None] * L, [None] * L
    for l in range(L - 1, 0, -1):
        grad_weights[l] = delta.T @ activations[l]
        grad_biases[l] = delta.sum(axis=0)
        delta = (delta @ net.weights[l]) * activations[l] * (1 - activations[l])
    return grad_weights, grad_biases
""",
)
backprop(
    "the loop stops at l = 1, zeros left",
    "wrong",
    "gradients-not-filled",
    """
def my_backprop(net, x, y):
    activations = forward_pass(net, x)
    L = len(net.weights)
    a = activations[-1]
    delta = (a - y) / len(x) * a * (1 - a)
    grad_weights = [np.zeros(W.shape) for W in net.weights]
    grad_biases = [np.zeros(b.shape) for b in net.biases]
    for l in range(L - 1, 0, -1):
        grad_weights[l] = delta.T @ activations[l]
        grad_biases[l] = delta.sum(axis=0)
        delta = (delta @ net.weights[l]) * activations[l] * (1 - activations[l])
    return grad_weights, grad_biases
""",
)
backprop(
    "the loop stops at l = 1, a short list",
    "wrong",
    "gradients-not-filled",
    """
def my_backprop(net, x, y):
    activations = forward_pass(net, x)
    L = len(net.weights)
    a = activations[-1]
    delta = (a - y) / len(x) * a * (1 - a)
    grad_weights, grad_biases = [], []
    for l in range(L - 1, 0, -1):
        grad_weights.insert(0, delta.T @ activations[l])
        grad_biases.insert(0, delta.sum(axis=0))
        delta = (delta @ net.weights[l]) * activations[l] * (1 - activations[l])
    return grad_weights, grad_biases
""",
)
backprop(
    "one list",
    "wrong",
    "wrong-type",
    """
def my_backprop(net, x, y):
    grad_weights, grad_biases = net.backprop(x, y)
    return grad_weights + grad_biases
""",
)
backprop(
    "no return",
    "wrong",
    "returned-none",
    """
def my_backprop(net, x, y):
    grad_weights, grad_biases = net.backprop(x, y)
""",
)
backprop(
    "delta carried back with W.T",
    "wrong",
    "raised",
    """
def my_backprop(net, x, y):
    activations = forward_pass(net, x)
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
""",
)
backprop(
    "sigma' of the layer after",
    "wrong",
    "raised",
    """
def my_backprop(net, x, y):
    activations = forward_pass(net, x)
    L = len(net.weights)
    a = activations[-1]
    delta = (a - y) / len(x) * a * (1 - a)
    grad_weights, grad_biases = [None] * L, [None] * L
    for l in reversed(range(L)):
        grad_weights[l] = delta.T @ activations[l]
        grad_biases[l] = delta.sum(axis=0)
        if l > 0:
            delta = (delta @ net.weights[l]) * activations[l + 1] * (1 - activations[l + 1])
    return grad_weights, grad_biases
""",
)
backprop(
    "trains while it is at it",
    "wrong",
    "changed-the-network",
    """
def my_backprop(net, x, y):
    grad_weights, grad_biases = net.backprop(x, y)
    for W, g in zip(net.weights, grad_weights):
        W -= 0.5 * g
    return grad_weights, grad_biases
""",
)
backprop(
    "turns y into the error, in place",
    "wrong",
    "changed-the-input",
    """
def my_backprop(net, x, y):
    activations = forward_pass(net, x)
    L = len(net.weights)
    a = activations[-1]
    y -= a  # y now holds y - a
    delta = -y / len(x) * a * (1 - a)
    grad_weights, grad_biases = [None] * L, [None] * L
    for l in reversed(range(L)):
        grad_weights[l] = delta.T @ activations[l]
        grad_biases[l] = delta.sum(axis=0)
        if l > 0:
            delta = (delta @ net.weights[l]) * activations[l] * (1 - activations[l])
    return grad_weights, grad_biases
""",
)
backprop(
    "scales x in place",
    "wrong",
    "changed-the-input",
    """
def my_backprop(net, x, y):
    x *= 1.0 / x.max()  # "normalise the pixels"
    return net.backprop(x, y)
""",
)
backprop(
    "replaces nn.sigmoid_prime",
    "wrong",
    "replaced-nn-helpers",
    """
def my_backprop(net, x, y):
    nn.sigmoid_prime = lambda a: a * (1 - a)  # "faster: from the activation"
    activations = forward_pass(net, x)
    L = len(net.weights)
    delta = (activations[-1] - y) / len(x) * nn.sigmoid_prime(activations[-1])
    grad_weights, grad_biases = [None] * L, [None] * L
    for l in reversed(range(L)):
        grad_weights[l] = delta.T @ activations[l]
        grad_biases[l] = delta.sum(axis=0)
        if l > 0:
            delta = (delta @ net.weights[l]) * nn.sigmoid_prime(activations[l])
    return grad_weights, grad_biases
""",
)
backprop(
    "the notebook's network",
    "wrong",
    "raised",
    """
def my_backprop(network, x, y):
    activations = forward_pass(net, x)
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
""",
    before="net = nn.Network([784, 30, 26], seed=1)\n",
)
backprop(
    "n - 1 in the average",
    "wrong",
    "raised",
    """
def my_backprop(net, x, y):
    activations = forward_pass(net, x)
    L = len(net.weights)
    a = activations[-1]
    delta = (a - y) * (1 / (len(x) - 1)) * a * (1 - a)
    grad_weights, grad_biases = [None] * L, [None] * L
    for l in reversed(range(L)):
        grad_weights[l] = delta.T @ activations[l]
        grad_biases[l] = delta.sum(axis=0)
        if l > 0:
            delta = (delta @ net.weights[l]) * activations[l] * (1 - activations[l])
    return grad_weights, grad_biases
""",
)
backprop(
    "arguments y, x",
    "wrong",
    "raised",
    """
def my_backprop(net, y, x):
    activations = forward_pass(net, x)
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
""",
)
backprop(
    "checks its shapes with assert",
    "wrong",
    "raised",
    """
def my_backprop(net, x, y):
    activations = forward_pass(net, x)
    L = len(net.weights)
    a = activations[-1]
    delta = (a - y) / len(x) * a * (1 - a)
    grad_weights, grad_biases = [None] * L, [None] * L
    for l in reversed(range(L)):
        grad_weights[l] = delta.T @ activations[l]
        grad_biases[l] = delta.sum(axis=0)
        assert grad_weights[l].shape == (30, 784) or l == L - 1, "hidden layer of 30"
        if l > 0:
            delta = (delta @ net.weights[l]) * activations[l] * (1 - activations[l])
    return grad_weights, grad_biases
""",
)
backprop(
    "a forgotten .T in the weight gradient, square-free",
    "wrong",
    "raised",
    """
def my_backprop(net, x, y):
    activations = forward_pass(net, x)
    L = len(net.weights)
    a = activations[-1]
    delta = (a - y) / len(x) * a * (1 - a)
    grad_weights, grad_biases = [None] * L, [None] * L
    for l in reversed(range(L)):
        grad_weights[l] = delta @ activations[l]
        grad_biases[l] = delta.sum(axis=0)
        if l > 0:
            delta = (delta @ net.weights[l]) * activations[l] * (1 - activations[l])
    return grad_weights, grad_biases
""",
)
backprop(
    "the forward pass leaves out the bias",
    "wrong",
    "forward-pass-wrong",
    """
def my_backprop(net, x, y):
    activations = [x]
    for W in net.weights:
        activations.append(nn.sigmoid(activations[-1] @ W.T))
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
""",
)
backprop(
    "relu' in the hidden layers",
    "wrong",
    "unrecognised",
    """
def my_backprop(net, x, y):
    activations = forward_pass(net, x)
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
""",
)
backprop(
    "two mistakes: not averaged, no sigma' at the output",
    "wrong",
    "unrecognised",
    """
def my_backprop(net, x, y):
    activations = forward_pass(net, x)
    L = len(net.weights)
    delta = activations[-1] - y
    grad_weights, grad_biases = [None] * L, [None] * L
    for l in reversed(range(L)):
        grad_weights[l] = delta.T @ activations[l]
        grad_biases[l] = delta.sum(axis=0)
        if l > 0:
            delta = (delta @ net.weights[l]) * activations[l] * (1 - activations[l])
    return grad_weights, grad_biases
""",
)

# -- the step ----------------------------------------------------------------------------------------------------

attempt(
    "step",
    "in place",
    "right",
    None,
    """
def my_step(net, grad_weights, grad_biases, learning_rate):
    for l in range(len(net.weights)):
        net.weights[l] -= learning_rate * grad_weights[l]
        net.biases[l] -= learning_rate * grad_biases[l]
""",
)
attempt(
    "step",
    "in place, zip",
    "right",
    None,
    """
def my_step(net, grad_weights, grad_biases, learning_rate):
    for W, g in zip(net.weights, grad_weights):
        W -= learning_rate * g
    for b, g in zip(net.biases, grad_biases):
        b -= learning_rate * g
""",
)
attempt(
    "step",
    "new lists",
    "right",
    None,
    """
def my_step(net, grad_weights, grad_biases, learning_rate):
    net.weights = [W - learning_rate * g for W, g in zip(net.weights, grad_weights)]
    net.biases = [b - learning_rate * g for b, g in zip(net.biases, grad_biases)]
""",
)
attempt(
    "step",
    "stores by index",
    "right",
    None,
    """
def my_step(net, grad_weights, grad_biases, learning_rate):
    for l, (gw, gb) in enumerate(zip(grad_weights, grad_biases)):
        net.weights[l] = net.weights[l] - learning_rate * gw
        net.biases[l] = net.biases[l] - learning_rate * gb
""",
)
attempt(
    "step",
    "np.subtract with out=",
    "right",
    None,
    """
def my_step(net, grad_weights, grad_biases, learning_rate):
    for p, g in zip(net.weights + net.biases, grad_weights + grad_biases):
        np.subtract(p, learning_rate * g, out=p)
""",
)
attempt(
    "step",
    "slice assignment",
    "right",
    None,
    """
def my_step(net, grad_weights, grad_biases, learning_rate):
    for W, b, gW, gb in zip(net.weights, net.biases, grad_weights, grad_biases):
        W[...] = W - learning_rate * gW
        b[:] = b - learning_rate * gb
""",
)
attempt(
    "step",
    "while loop",
    "right",
    None,
    """
def my_step(net, grad_weights, grad_biases, learning_rate):
    l = 0
    while l < len(net.weights):
        net.weights[l] -= learning_rate * grad_weights[l]
        net.biases[l] -= learning_rate * grad_biases[l]
        l += 1
""",
)
attempt(
    "step",
    "lists changed in place by slice",
    "right",
    None,
    """
def my_step(net, grad_weights, grad_biases, learning_rate):
    net.weights[:] = [W - learning_rate * g for W, g in zip(net.weights, grad_weights)]
    net.biases[:] = [b - learning_rate * g for b, g in zip(net.biases, grad_biases)]
""",
)
attempt(
    "step",
    "in float64, cast back",
    "right",
    None,
    """
def my_step(net, grad_weights, grad_biases, learning_rate):
    for l in range(len(net.weights)):
        W, b = net.weights[l].astype(np.float64), net.biases[l].astype(np.float64)
        net.weights[l] = (W - learning_rate * grad_weights[l]).astype(net.weights[l].dtype)
        net.biases[l] = (b - learning_rate * grad_biases[l]).astype(net.biases[l].dtype)
""",
)
attempt(
    "step",
    "W += -eta g",
    "right",
    None,
    """
def my_step(net, grad_weights, grad_biases, learning_rate):
    for W, g in zip(net.weights, grad_weights):
        W += -learning_rate * g
    for b, g in zip(net.biases, grad_biases):
        np.add(b, -learning_rate * g, out=b)
""",
)
attempt(
    "step",
    "tuples",
    "borderline",
    None,
    """
def my_step(net, grad_weights, grad_biases, learning_rate):
    net.weights = tuple(W - learning_rate * g for W, g in zip(net.weights, grad_weights))
    net.biases = tuple(b - learning_rate * g for b, g in zip(net.biases, grad_biases))
""",
)
attempt(
    "step",
    "float64 arrays",
    "borderline",
    None,
    """
def my_step(net, grad_weights, grad_biases, learning_rate):
    for l in range(len(net.weights)):
        net.weights[l] = np.asarray(net.weights[l], np.float64) - learning_rate * grad_weights[l]
        net.biases[l] = np.asarray(net.biases[l], np.float64) - learning_rate * grad_biases[l]
""",
)
attempt(
    "step",
    "scales the gradients in place",
    "borderline",
    None,
    """
def my_step(net, grad_weights, grad_biases, learning_rate):
    for p, g in zip(net.weights + net.biases, grad_weights + grad_biases):
        g *= learning_rate
        p -= g
""",
)
attempt(
    "step",
    "returns the network",
    "borderline",
    None,
    """
def my_step(net, grad_weights, grad_biases, learning_rate):
    for l in range(len(net.weights)):
        net.weights[l] -= learning_rate * grad_weights[l]
        net.biases[l] -= learning_rate * grad_biases[l]
    return net
""",
)
attempt(
    "step",
    "prints the step's size",
    "borderline",
    None,
    """
def my_step(net, grad_weights, grad_biases, learning_rate):
    for l in range(len(net.weights)):
        step = learning_rate * grad_weights[l]
        print(f"layer {l}: |step| = {np.linalg.norm(step):.4f}")
        net.weights[l] -= step
        net.biases[l] -= learning_rate * grad_biases[l]
""",
)

attempt(
    "step",
    "W + eta g",
    "wrong",
    "ascends",
    """
def my_step(net, grad_weights, grad_biases, learning_rate):
    for l in range(len(net.weights)):
        net.weights[l] += learning_rate * grad_weights[l]
        net.biases[l] += learning_rate * grad_biases[l]
""",
)
attempt(
    "step",
    "without eta",
    "wrong",
    "rate-ignored",
    """
def my_step(net, grad_weights, grad_biases, learning_rate):
    for l in range(len(net.weights)):
        net.weights[l] -= grad_weights[l]
        net.biases[l] -= grad_biases[l]
""",
)
attempt(
    "step",
    "eta squared",
    "wrong",
    "wrong-learning-rate",
    """
def my_step(net, grad_weights, grad_biases, learning_rate):
    for l in range(len(net.weights)):
        step = learning_rate * grad_weights[l]
        net.weights[l] -= learning_rate * step
        net.biases[l] -= learning_rate * learning_rate * grad_biases[l]
""",
)
attempt(
    "step",
    "a learning rate of its own",
    "wrong",
    "wrong-learning-rate",
    """
def my_step(net, grad_weights, grad_biases, learning_rate):
    learning_rate = 0.1
    for l in range(len(net.weights)):
        net.weights[l] -= learning_rate * grad_weights[l]
        net.biases[l] -= learning_rate * grad_biases[l]
""",
)
attempt(
    "step",
    "the notebook's eta",
    "wrong",
    "wrong-learning-rate",
    """
eta = 3.0

def my_step(net, grad_weights, grad_biases, lr):
    for l in range(len(net.weights)):
        net.weights[l] -= eta * grad_weights[l]
        net.biases[l] -= eta * grad_biases[l]
""",
)
attempt(
    "step",
    "only the weights",
    "wrong",
    "biases-not-updated",
    """
def my_step(net, grad_weights, grad_biases, learning_rate):
    for W, g in zip(net.weights, grad_weights):
        W -= learning_rate * g
""",
)
attempt(
    "step",
    "only the biases",
    "wrong",
    "weights-not-updated",
    """
def my_step(net, grad_weights, grad_biases, learning_rate):
    for b, g in zip(net.biases, grad_biases):
        b -= learning_rate * g
""",
)
attempt(
    "step",
    "return inside the loop",
    "wrong",
    "some-layers-not-updated",
    """
def my_step(net, grad_weights, grad_biases, learning_rate):
    for l in range(len(net.weights)):
        net.weights[l] -= learning_rate * grad_weights[l]
        net.biases[l] -= learning_rate * grad_biases[l]
        return net
""",
)
attempt(
    "step",
    "W = W - ... in a loop",
    "wrong",
    "not-in-place",
    """
def my_step(net, grad_weights, grad_biases, learning_rate):
    for W, b, gW, gb in zip(net.weights, net.biases, grad_weights, grad_biases):
        W = W - learning_rate * gW
        b = b - learning_rate * gb
""",
)
attempt(
    "step",
    "returns new lists",
    "wrong",
    "not-in-place",
    """
def my_step(net, grad_weights, grad_biases, learning_rate):
    weights = [W - learning_rate * g for W, g in zip(net.weights, grad_weights)]
    biases = [b - learning_rate * g for b, g in zip(net.biases, grad_biases)]
    return weights, biases
""",
)
attempt(
    "step",
    "bias as a column",
    "wrong",
    "step-wrong-shape",
    """
def my_step(net, grad_weights, grad_biases, learning_rate):
    for l in range(len(net.weights)):
        net.weights[l] = net.weights[l] - learning_rate * grad_weights[l]
        net.biases[l] = net.biases[l] - learning_rate * grad_biases[l].reshape(-1, 1)
""",
)
attempt(
    "step",
    "a generator",
    "wrong",
    "wrong-type",
    """
def my_step(net, grad_weights, grad_biases, learning_rate):
    net.weights = (W - learning_rate * g for W, g in zip(net.weights, grad_weights))
    net.biases = (b - learning_rate * g for b, g in zip(net.biases, grad_biases))
""",
)
attempt(
    "step",
    ".tolist()",
    "wrong",
    "step-not-arrays",
    """
def my_step(net, grad_weights, grad_biases, learning_rate):
    for l in range(len(net.weights)):
        net.weights[l] = (net.weights[l] - learning_rate * grad_weights[l]).tolist()
        net.biases[l] = (net.biases[l] - learning_rate * grad_biases[l]).tolist()
""",
)
attempt(
    "step",
    "a tuple of weights, a list of biases",
    "wrong",
    "step-not-arrays",
    """
def my_step(net, grad_weights, grad_biases, learning_rate):
    net.weights = tuple(W - learning_rate * g for W, g in zip(net.weights, grad_weights))
    for b, g in zip(net.biases, grad_biases):
        b -= learning_rate * g
""",
)
attempt(
    "step",
    "float16 to save memory",
    "wrong",
    "step-wrong-dtype",
    """
def my_step(net, grad_weights, grad_biases, learning_rate):
    for l in range(len(net.weights)):
        net.weights[l] = (net.weights[l] - learning_rate * grad_weights[l]).astype(np.float16)
        net.biases[l] = (net.biases[l] - learning_rate * grad_biases[l]).astype(np.float16)
""",
)
attempt(
    "step",
    "stores -eta g",
    "wrong",
    "old-weights-dropped",
    """
def my_step(net, grad_weights, grad_biases, learning_rate):
    for l in range(len(net.weights)):
        net.weights[l] = -learning_rate * grad_weights[l]
        net.biases[l] = -learning_rate * grad_biases[l]
""",
)
attempt(
    "step",
    "stores the gradients",
    "wrong",
    "old-weights-dropped",
    """
def my_step(net, grad_weights, grad_biases, learning_rate):
    net.weights = grad_weights
    net.biases = grad_biases
""",
)
attempt(
    "step",
    "moves the weights twice",
    "wrong",
    "moved-twice",
    """
def my_step(net, grad_weights, grad_biases, learning_rate):
    for l in range(len(net.weights)):
        W = net.weights[l]
        W -= learning_rate * grad_weights[l]
        net.weights[l] = W - learning_rate * grad_weights[l]
        net.biases[l] -= learning_rate * grad_biases[l]
""",
)
attempt(
    "step",
    "two loops, both over everything",
    "wrong",
    "moved-twice",
    """
def my_step(net, grad_weights, grad_biases, learning_rate):
    for l in range(len(net.weights)):
        net.weights[l] -= learning_rate * grad_weights[l]
        net.biases[l] -= learning_rate * grad_biases[l]
    for W, b, gW, gb in zip(net.weights, net.biases, grad_weights, grad_biases):
        W -= learning_rate * gW
        b -= learning_rate * gb
""",
)
attempt(
    "step",
    "steps the notebook's network",
    "wrong",
    "used-a-global",
    """
net = nn.Network([5, 3, 4], seed=0)

def my_step(network, grad_weights, grad_biases, learning_rate):
    for l in range(len(net.weights)):
        net.weights[l] = net.weights[l] - learning_rate * grad_weights[l][: net.weights[l].shape[0], : net.weights[l].shape[1]]
        net.biases[l] = net.biases[l] - learning_rate * grad_biases[l][: net.biases[l].shape[0]]
""",
)
attempt(
    "step",
    "steps the notebook's big network",
    "wrong",
    "raised",
    """
net = nn.Network([784, 30, 26], seed=0)

def my_step(network, grad_weights, grad_biases, learning_rate):
    for l in range(len(net.weights)):
        net.weights[l] -= learning_rate * grad_weights[l]
        net.biases[l] -= learning_rate * grad_biases[l]
""",
)
attempt(
    "step",
    "whole lists at once",
    "wrong",
    "raised",
    """
def my_step(net, grad_weights, grad_biases, learning_rate):
    net.weights -= learning_rate * grad_weights
    net.biases -= learning_rate * grad_biases
""",
)
attempt(
    "step",
    "np.array of the gradients",
    "wrong",
    "raised",
    """
def my_step(net, grad_weights, grad_biases, learning_rate):
    net.weights = list(np.array(net.weights) - learning_rate * np.array(grad_weights))
    net.biases = list(np.array(net.biases) - learning_rate * np.array(grad_biases))
""",
)
attempt(
    "step",
    "gradient transposed",
    "wrong",
    "raised",
    """
def my_step(net, grad_weights, grad_biases, learning_rate):
    for l in range(len(net.weights)):
        net.weights[l] -= learning_rate * grad_weights[l].T
        net.biases[l] -= learning_rate * grad_biases[l]
""",
)
attempt(
    "step",
    "weights with the bias gradients",
    "wrong",
    "raised",
    """
def my_step(net, grad_weights, grad_biases, learning_rate):
    for W, b, gW, gb in zip(net.weights, net.biases, grad_biases, grad_weights):
        W -= learning_rate * gW
        b -= learning_rate * gb
""",
)
attempt(
    "step",
    "arguments in the book's order",
    "wrong",
    "raised",
    """
def my_step(net, learning_rate, grad_weights, grad_biases):
    for l in range(len(net.weights)):
        net.weights[l] -= learning_rate * grad_weights[l]
        net.biases[l] -= learning_rate * grad_biases[l]
""",
)
attempt(
    "step",
    "eta shared among the layers, minus two",
    "wrong",
    "raised",
    """
def my_step(net, grad_weights, grad_biases, learning_rate):
    rate = learning_rate / (len(net.weights) - 2)
    for l in range(len(net.weights)):
        net.weights[l] -= rate * grad_weights[l]
        net.biases[l] -= rate * grad_biases[l]
""",
)
attempt(
    "step",
    "l += 1 outside the loop",
    "wrong",
    "too-slow-or-loops",
    """
def my_step(net, grad_weights, grad_biases, learning_rate):
    l = 0
    while l < len(net.weights):
        net.weights[l] -= learning_rate * grad_weights[l]
        net.biases[l] -= learning_rate * grad_biases[l]
    l += 1
""",
)
attempt(
    "step",
    "replaces nn.Network.update_mini_batch",
    "wrong",
    "replaced-nn-helpers",
    """
def my_step(net, grad_weights, grad_biases, learning_rate):
    for l in range(len(net.weights)):
        net.weights[l] -= learning_rate * grad_weights[l]
        net.biases[l] -= learning_rate * grad_biases[l]
    nn.Network.update_mini_batch = lambda self, x, y, rate, **options: my_step(self, *self.backprop(x, y), rate)
""",
)
attempt(
    "step",
    "sign of the gradient",
    "wrong",
    "unrecognised",
    """
def my_step(net, grad_weights, grad_biases, learning_rate):
    for W, b, gW, gb in zip(net.weights, net.biases, grad_weights, grad_biases):
        W -= learning_rate * np.sign(gW)
        b -= learning_rate * np.sign(gb)
""",
)
attempt(
    "step",
    "clipped gradients",
    "wrong",
    "unrecognised",
    """
def my_step(net, grad_weights, grad_biases, learning_rate):
    for W, b, gW, gb in zip(net.weights, net.biases, grad_weights, grad_biases):
        W -= learning_rate * np.clip(gW, -1, 1)
        b -= learning_rate * np.clip(gb, -1, 1)
""",
)
attempt(
    "forward",
    "sigmoid_prime for sigmoid",
    "wrong",
    "sigmoid-wrong",
    """
def my_forward(net, x):
    a = x
    for W, b in zip(net.weights, net.biases):
        a = nn.sigmoid_prime(a @ W.T + b)
    return a
""",
)
attempt(
    "forward",
    "x in the loop, not a",
    "wrong",
    "raised",
    """
def my_forward(net, x):
    for W, b in zip(net.weights, net.biases):
        a = nn.sigmoid(x @ W.T + b)
    return a
""",
)
attempt(
    "forward",
    "sigmoid of x first",
    "wrong",
    "sigmoid-before-product",
    """
def my_forward(net, x):
    a = nn.sigmoid(x)
    for W, b in zip(net.weights, net.biases):
        a = nn.sigmoid(a @ W.T + b)
    return a
""",
)
attempt(
    "forward",
    "only the first layer",
    "wrong",
    "wrong-shape",
    """
def my_forward(net, x):
    return nn.sigmoid(x @ net.weights[0].T + net.biases[0])
""",
)
attempt(
    "forward",
    "exits",
    "wrong",
    "raised",
    """
import sys

def my_forward(net, x):
    print("giving up")
    sys.exit(1)
""",
)
attempt(
    "forward",
    "raises KeyboardInterrupt itself",
    "wrong",
    "raised",
    """
def my_forward(net, x):
    raise KeyboardInterrupt
""",
)
attempt(
    "forward",
    "loosens the check's tolerance",
    "wrong",
    "replaced-nn-helpers",
    """
import your_turn

def my_forward(net, x):
    your_turn._matches = lambda *args: True
    return x
""",
)
attempt(
    "forward",
    "returns something slow to read",
    "wrong",
    "too-slow-or-loops",
    """
import time

class Slow:
    def __array__(self, dtype=None, copy=None):
        while True:
            time.sleep(0.01)

def my_forward(net, x):
    return Slow()
""",
)
attempt(
    "forward",
    "swallows every exception in a loop",
    "wrong",
    "too-slow-or-loops",
    """
def my_forward(net, x):
    while True:
        try:
            a = x
            for W, b in zip(net.weights, net.biases):
                a = nn.sigmoid(a @ W + b)
            return a
        except:
            pass
""",
)
attempt(
    "forward",
    "deletes nn.sigmoid",
    "wrong",
    "replaced-nn-helpers",
    """
def my_forward(net, x):
    f = nn.sigmoid
    del nn.sigmoid
    a = x
    for W, b in zip(net.weights, net.biases):
        a = f(a @ W.T + b)
    return a
""",
)
backprop(
    "delta not carried back",
    "wrong",
    "gradient-wrong-shape",
    """
def my_backprop(net, x, y):
    activations = forward_pass(net, x)
    L = len(net.weights)
    a = activations[-1]
    delta = (a - y) / len(x) * a * (1 - a)
    grad_weights, grad_biases = [None] * L, [None] * L
    for l in reversed(range(L)):
        grad_weights[l] = delta.T @ activations[l]
        grad_biases[l] = delta.sum(axis=0)
    return grad_weights, grad_biases
""",
)
backprop(
    "bias gradient summed over the neurons",
    "wrong",
    "gradient-wrong-shape",
    """
def my_backprop(net, x, y):
    activations = forward_pass(net, x)
    L = len(net.weights)
    a = activations[-1]
    delta = (a - y) / len(x) * a * (1 - a)
    grad_weights, grad_biases = [None] * L, [None] * L
    for l in reversed(range(L)):
        grad_weights[l] = delta.T @ activations[l]
        grad_biases[l] = delta.sum(axis=1)
        if l > 0:
            delta = (delta @ net.weights[l]) * activations[l] * (1 - activations[l])
    return grad_weights, grad_biases
""",
)
backprop(
    "sigma' with z and a mixed up: a(1 - z)",
    "wrong",
    "unrecognised",
    """
def my_backprop(net, x, y):
    activations, zs = [x], []
    for W, b in zip(net.weights, net.biases):
        zs.append(activations[-1] @ W.T + b)
        activations.append(nn.sigmoid(zs[-1]))
    L = len(net.weights)
    a = activations[-1]
    delta = (a - y) / len(x) * a * (1 - zs[-1])
    grad_weights, grad_biases = [None] * L, [None] * L
    for l in reversed(range(L)):
        grad_weights[l] = delta.T @ activations[l]
        grad_biases[l] = delta.sum(axis=0)
        if l > 0:
            delta = (delta @ net.weights[l]) * activations[l] * (1 - zs[l - 1])
    return grad_weights, grad_biases
""",
)
attempt(
    "step",
    "eta divided among the layers",
    "wrong",
    "wrong-learning-rate",
    """
def my_step(net, grad_weights, grad_biases, learning_rate):
    rate = learning_rate / len(net.weights)
    for W, b, gW, gb in zip(net.weights, net.biases, grad_weights, grad_biases):
        W -= rate * gW
        b -= rate * gb
""",
)
attempt(
    "step",
    "with a weight decay of its own",
    "wrong",
    "unrecognised",
    """
def my_step(net, grad_weights, grad_biases, learning_rate):
    for W, b, gW, gb in zip(net.weights, net.biases, grad_weights, grad_biases):
        W -= learning_rate * (gW + 0.01 * W)
        b -= learning_rate * gb
""",
)
attempt(
    "step",
    "only the last layer",
    "wrong",
    "some-layers-not-updated",
    """
def my_step(net, grad_weights, grad_biases, learning_rate):
    net.weights[-1] -= learning_rate * grad_weights[-1]
    net.biases[-1] -= learning_rate * grad_biases[-1]
""",
)
attempt(
    "step",
    "a copy of the network, returned",
    "wrong",
    "not-in-place",
    """
import copy

def my_step(net, grad_weights, grad_biases, learning_rate):
    new = copy.deepcopy(net)
    for l in range(len(new.weights)):
        new.weights[l] -= learning_rate * grad_weights[l]
        new.biases[l] -= learning_rate * grad_biases[l]
    return new
""",
)
attempt(
    "step",
    "learning rate and gradients swapped in the names",
    "wrong",
    "raised",
    """
def my_step(net, lr, gw, gb):
    for l in range(len(net.weights)):
        net.weights[l] -= lr * gw[l]
        net.biases[l] -= lr * gb[l]
""",
)
attempt(
    "forward",
    "forgets the argument x",
    "wrong",
    "raised",
    """
def my_forward(net):
    a = net.x
    for W, b in zip(net.weights, net.biases):
        a = nn.sigmoid(a @ W.T + b)
    return a
""",
)
attempt(
    "forward",
    "a list of rows, one per example",
    "borderline",
    None,
    """
def my_forward(net, x):
    rows = []
    for example in x:
        a = example
        for W, b in zip(net.weights, net.biases):
            a = nn.sigmoid(W @ a + b)
        rows.append(a)
    return rows
""",
)
