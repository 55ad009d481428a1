"""A neural network from scratch in NumPy: the network the lesson teaches, and only that.

Read it beside ``neural_network.ipynb``, top to bottom:

1. The maths: ``sigmoid`` and its slope, the costs, ``one_hot``.
2. ``Network``: initialise, forward pass, backpropagation, ``train`` (mini-batch
   gradient descent) and its step ``update_mini_batch``, saving and loading.
3. Checking backpropagation against numerical gradients.

Shapes follow one rule: a batch of ``n`` examples is a matrix with one example
per *row*. So the lesson's ``z = Σ wᵢxᵢ + b`` for one neuron becomes
``Z = A @ W.T + b`` for a whole layer and a whole batch at once.

Beside it, one concern per file: the data (``emnist_data.py``), the cures that
change the images (``augmentation.py``), evaluating and drawing
(``evaluation.py``), looking inside (``looking_inside.py``), your own
handwriting (``handwriting.py``), the checks of the "your turn" cells
(``your_turn.py``, which runs the learner's code through ``learner_code.py``),
and the plumbing around ``train``: argument checks, progress bar
(``plumbing.py``).
"""

import copy
import math
import os
import tempfile
import time
import zipfile  # only for the error np.load raises on a corrupt .npz file
from numbers import Integral
from pathlib import Path

import numpy as np

import plumbing

# ---------------------------------------------------------------------------
# 1. The maths
# ---------------------------------------------------------------------------


def sigmoid(z):
    """σ(z) = 1 / (1 + e⁻ᶻ), computed as ½(1 + tanh(z/2)).

    The two are equal, but the tanh form never overflows: ``np.exp(-z)`` for
    z = -1000 is inf (with a warning), while tanh(-500) is simply -1.
    """
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def sigmoid_prime(z):
    """σ'(z) = σ(z)(1 − σ(z)), the slope of the sigmoid."""
    s = sigmoid(z)
    return s * (1.0 - s)


def mse_cost(a, y):
    """C = (1/n) Σₓ ½‖a(x) − y(x)‖², the mean squared error over a batch.

    ``a`` and ``y`` have shape (n, classes); ``y`` is one-hot. Its gradient
    with respect to ``a`` is ∇ₐC = (a − y) / n.
    """
    a, y = np.asarray(a), np.asarray(y)
    if a.shape != y.shape:
        raise ValueError(f"a has shape {a.shape} but y has shape {y.shape}; they must match")
    return 0.5 * float(np.sum((a - y) ** 2)) / len(a)


def cross_entropy_cost(a, y):
    """C = −(1/n) Σₓ Σⱼ [yⱼ ln aⱼ + (1 − yⱼ) ln(1 − aⱼ)], the cross-entropy over a batch.

    Its gradient is ∇ₐC = (a − y) / (a(1 − a)) / n. With sigmoid outputs,
    σ'(z) = a(1 − a) cancels that denominator, so δᴸ = (a − y) / n: the error
    no longer shrinks when an output neuron is saturated and wrong. Outputs
    are clipped away from exactly 0 and 1, where the logarithm is infinite.
    """
    a, y = np.asarray(a, dtype=np.float64), np.asarray(y)
    if a.shape != y.shape:
        raise ValueError(f"a has shape {a.shape} but y has shape {y.shape}; they must match")
    a = np.clip(a, 1e-15, 1 - 1e-15)
    return -float(np.sum(y * np.log(a) + (1 - y) * np.log1p(-a))) / len(a)


COSTS = {"mse": mse_cost, "cross_entropy": cross_entropy_cost}


def l2_penalty(weights, l2, n):
    """(λ/2n) Σ‖W‖², the L2 penalty that regularisation adds to the cost (Nielsen's network2.py).

    λ is ``l2``, n the number of training examples, and the sum runs over
    every weight of every layer; biases are not regularised. Its gradient is
    (λ/n)·W, which ``update_mini_batch`` adds to ∂C/∂W. Large weights cost
    more, so the network prefers many small weights to a few large ones that
    fit the noise of the training set.
    """
    return 0.5 * l2 / n * sum(float(np.sum(np.square(W, dtype=np.float64))) for W in weights)


def one_hot(labels, num_classes, dtype=np.float32):
    """Turn integer labels into rows with a single 1: label 2 of 4 -> [0, 0, 1, 0]."""
    labels = plumbing.check_labels(labels, num_classes, "labels")
    out = np.zeros((len(labels), num_classes), dtype=dtype)
    out[np.arange(len(labels)), labels] = 1
    return out


# ---------------------------------------------------------------------------
# 2. The network
# ---------------------------------------------------------------------------


class Network:
    """A fully connected network of sigmoid neurons, trained by gradient descent.

    ``Network([784, 128, 26])`` has 784 inputs, one hidden layer of 128 neurons
    and 26 outputs, one per letter. ``weights[l]`` has shape
    ``(sizes[l+1], sizes[l])``: row j holds the weights wᵢ into neuron j of the
    next layer, which computes ``σ(a @ weights[l].T + biases[l])`` from the
    activations ``a`` of the layer before (the indices are spelled out in
    ``backprop``).

    Initialisation: weights are drawn from N(0, 1/n_in), where n_in is the
    number of inputs to the neuron, and biases start at 0. With 784 inputs of
    size up to 1, weights of N(0, 1) would give z a spread of about ±20, where
    σ is flat and σ'(z) ≈ 0, so the neuron would barely learn (Nielsen ch. 3).
    Dividing the variance by n_in keeps z near ±1, on the steep part of σ.

    ``cost`` is ``"mse"`` (the lesson's quadratic cost, ``mse_cost``) or
    ``"cross_entropy"`` (``cross_entropy_cost``). Both keep sigmoid outputs;
    they differ only in δᴸ, the error at the output layer (see ``backprop``).
    ``velocities`` are momentum's v, one per weight and bias (``update_mini_batch``).
    """

    def __init__(self, sizes, seed=None, dtype=np.float32, cost="mse"):
        if isinstance(sizes, Integral):
            raise ValueError(
                f"Network takes the layer sizes as one list, like Network([784, 128, 26]), "
                f"not Network(784, 128, 26); its first argument was the single number {sizes!r}"
            )
        sizes = list(sizes)
        if len(sizes) < 2 or not all(plumbing.is_positive_int(s) for s in sizes):
            raise ValueError(f"sizes must list at least two positive layer sizes, like [784, 128, 26]; got {sizes}")
        if cost not in COSTS:
            raise ValueError(f"cost must be one of {sorted(COSTS)}, got {cost!r}")
        self.sizes = [int(s) for s in sizes]
        self.cost = cost
        self.dtype = np.dtype(dtype)
        self.rng = np.random.default_rng(seed)
        self.weights = [
            (self.rng.standard_normal((n_out, n_in)) / np.sqrt(n_in)).astype(self.dtype)
            for n_in, n_out in zip(self.sizes[:-1], self.sizes[1:])
        ]
        self.biases = [np.zeros(n_out, dtype=self.dtype) for n_out in self.sizes[1:]]
        self.velocities = [np.zeros_like(p) for p in self.weights + self.biases]

    def __repr__(self):
        return f"Network({self.sizes}, dtype={self.dtype.name}, cost={self.cost!r})"

    # -- forward ------------------------------------------------------------

    def feedforward(self, x):
        """The network's output for each row of ``x``: shape (n, sizes[-1])."""
        return self._forward(self._check_inputs(x, "x"))[-1]

    def _forward(self, a):
        """Every layer's activations, input first: [a⁰ = x, a¹, …, aᴸ].

        Each step is z = W a + b and a = σ(z) for one example, written for a
        batch of rows as Z = A @ W.T + b.
        """
        activations = [a]
        for W, b in zip(self.weights, self.biases):
            a = sigmoid(a @ W.T + b)
            activations.append(a)
        return activations

    def predict(self, x):
        """The most likely class for each row of ``x``: the brightest output neuron."""
        return np.argmax(self.feedforward(x), axis=1)

    def accuracy(self, x, y):
        """The fraction of rows of ``x`` whose predicted class equals the label in ``y``."""
        y = plumbing.check_labels(y, self.sizes[-1], "y")
        return float(np.mean(self.predict(x) == y))

    # -- backward -----------------------------------------------------------

    def backprop(self, x, y):
        """The gradient of the cost, by default ``mse_cost(self.feedforward(x), y)``, for every weight and bias.

        Returns ``(grad_weights, grad_biases)``, lists shaped like ``self.weights``
        and ``self.biases``. ``y`` is one-hot, shape (n, sizes[-1]).

        The indices: the maths counts layers from 1, with the input as layer 0,
        and Python counts list entries from 0, so ``weights[l]`` is Wˡ⁺¹ and
        ``biases[l]`` is bˡ⁺¹ (the weights and biases into layer l + 1), and
        ``activations[l]`` is aˡ, with ``activations[0]`` = x = a⁰, the input.
        With l the list index, the lesson's equations are, for one example
        (column vectors):

            δᴸ = ∇ₐC ⊙ σ'(zᴸ)                          error at the output layer L
            ∂C/∂Wˡ⁺¹ = δˡ⁺¹ (aˡ)ᵀ,   ∂C/∂bˡ⁺¹ = δˡ⁺¹     gradients of weights[l] and biases[l]
            δˡ = ((Wˡ⁺¹)ᵀ δˡ⁺¹) ⊙ σ'(zˡ)                 error carried back one layer

        In matrix form each δ is an (n, size) matrix with one example per row,
        so every equation is applied to the whole batch at once:

            delta = (a - y) / n * σ'(z)             ∇ₐC = (a − y)/n for the mean cost
            grad_W = delta.T @ activations[l]       sums δˡ⁺¹ (aˡ)ᵀ over the batch
            grad_b = delta.sum(axis=0)              sums δˡ⁺¹ over the batch
            delta = (delta @ weights[l]) * σ'(z)    (Wˡ⁺¹)ᵀ δˡ⁺¹ for every row at once

        ``delta @ weights[l]`` is the transpose of (Wˡ⁺¹)ᵀ δˡ⁺¹, since the rows
        are examples. σ'(z) is computed as a(1 − a), since a = σ(z) is already
        known. With ``cost="cross_entropy"`` the first line becomes
        delta = (a - y) / n, because ∇ₐC = (a − y)/(a(1 − a))/n and
        σ'(zᴸ) = a(1 − a) cancel.
        """
        x = self._check_inputs(x, "x")
        return self._backward(self._forward(x), self._check_targets(y, len(x)))

    def _backward(self, activations, y):
        """Backpropagation from the forward pass's ``activations``: the equations of ``backprop``'s docstring."""
        a = activations[-1]
        if self.cost == "mse":
            delta = (a - y) / len(y) * (a * (1 - a))  # δᴸ = ∇ₐC ⊙ σ'(zᴸ)
        else:
            delta = (a - y) / len(y)  # cross-entropy: σ'(zᴸ) cancels out of δᴸ
        grad_weights = [None] * len(self.weights)
        grad_biases = [None] * len(self.biases)
        for l in reversed(range(len(self.weights))):  # delta is δˡ⁺¹, the error of the layer weights[l] feeds
            grad_weights[l] = delta.T @ activations[l]  # ∂C/∂Wˡ⁺¹ = δˡ⁺¹ (aˡ)ᵀ
            grad_biases[l] = delta.sum(axis=0)  # ∂C/∂bˡ⁺¹ = δˡ⁺¹
            if l > 0:
                a = activations[l]  # aˡ, so σ'(zˡ) = aˡ(1 − aˡ)
                delta = (delta @ self.weights[l]) * (a * (1 - a))  # δˡ = ((Wˡ⁺¹)ᵀδˡ⁺¹) ⊙ σ'(zˡ)
        return grad_weights, grad_biases

    # -- training -----------------------------------------------------------

    def train(
        self,
        x,
        y,
        epochs,
        batch_size,
        learning_rate,
        validation_data=None,
        progress=True,
        *,
        l2=0.0,
        momentum=0.0,
        augment=None,
        keep_best=False,
        threads=1,
    ):
        """Mini-batch gradient descent: each epoch, shuffle the examples, cut them into mini-batches, and take
        one step of gradient descent on each (``update_mini_batch``).

        ``y`` holds integer labels, ``validation_data`` is ``(x_val, y_val)``. ``learning_rate`` is η, or a
        function of the epoch (1, 2, …) such as ``cosine_schedule(0.1, epochs)``. The cures for overfitting are
        off by default: ``l2=λ`` (``l2_penalty``), ``momentum=μ`` (``update_mini_batch``), ``augment``, a function
        ``(x, rng, out)`` that writes new training images into ``out`` at the start of each epoch (for example
        ``augmentation.random_shifts(2)``), and ``keep_best=True``: end with the weights of the epoch with the
        best validation accuracy. ``threads``: BLAS threads for the matrix products (None leaves NumPy's own).

        Returns a history. After each epoch, ``train_cost`` and ``train_accuracy`` gain the figures on a fixed
        sample of the training images as they are, never changed by ``augment`` (``training_sample``), and
        ``val_cost`` and ``val_accuracy`` those on the validation data (empty without it); costs leave out the L2
        penalty, so runs with and without it compare. ``best_epoch`` is the 1-based epoch of the best validation
        accuracy (None without validation data), and ``seconds`` the time the epochs took. If the cost becomes
        inf or NaN, the network goes back to its weights at the start of that epoch and its velocities to 0,
        and train stops with an error that says what to do.
        """
        x, y, validation_data = plumbing.check_training(
            self, x, y, epochs, batch_size, learning_rate, validation_data, l2, momentum, augment, keep_best
        )
        targets = one_hot(y, self.sizes[-1], self.dtype)
        sample = training_sample(x, y)  # the training figures are measured on these images
        changed = np.empty_like(x) if augment else None  # augment writes each epoch's images here
        history = {"train_cost": [], "train_accuracy": [], "val_cost": [], "val_accuracy": [], "best_epoch": None}
        start_time = time.perf_counter()
        with plumbing.blas_threads(threads), plumbing.progress_bar(epochs, progress) as bar:
            for epoch in bar:
                rate = plumbing.rate_for(learning_rate, epoch)
                images = augment(x, self.rng, changed) if augment else x  # new shifts or distortions
                order = self.rng.permutation(len(x))  # shuffle
                epoch_start = self._copy_parameters()  # to go back to if this epoch blows the weights up
                for first in range(0, len(x), batch_size):
                    batch = order[first : first + batch_size]
                    self.update_mini_batch(images[batch], targets[batch], rate, momentum=momentum, l2=l2, n=len(x))
                self._record(history, epoch, sample, validation_data)
                if not math.isfinite(history["train_cost"][-1]):
                    self._set_parameters(epoch_start)
                    for v in self.velocities:
                        v.fill(0)  # momentum starts again from rest
                    raise FloatingPointError(plumbing.blew_up(history["train_cost"][-1], rate))
                if keep_best and history["best_epoch"] == epoch:
                    best = self._copy_parameters()
                plumbing.show_progress(bar, history)
        if keep_best:
            self._set_parameters(best)
        history["seconds"] = time.perf_counter() - start_time
        if progress:
            print(plumbing.summary(history, epochs, keep_best))
        return history

    def update_mini_batch(self, x, y, learning_rate, momentum=0.0, l2=0.0, n=1):
        """One step of gradient descent on the mini-batch ``x`` with one-hot targets ``y``. For every weight and bias p:

            p ← p − η ∂C/∂p                             plain gradient descent, the lesson's step
            v ← μ·v − η ∂C/∂p,  then  p ← p + v          with momentum μ (``self.velocities`` holds v)

        ∂C/∂p comes from backpropagation. With L2 (λ = ``l2``, n the number of
        training examples), ∂C/∂W gains (λ/n)·W, the gradient of ``l2_penalty``;
        biases are not regularised. With momentum the velocity remembers past
        steps, so the descent speeds up where they agree and calms down where
        they zigzag.
        """
        grad_weights, grad_biases = self._backward(self._forward(x), y)
        if l2:
            for W, g in zip(self.weights, grad_weights):
                g += (l2 / n) * W  # ∂C/∂W + (λ/n)·W
        for p, v, g in zip(self.weights + self.biases, self.velocities, grad_weights + grad_biases):
            if momentum:
                v *= momentum
                v -= learning_rate * g  # v ← μ·v − η ∂C/∂p
                p += v  # p ← p + v
            else:
                p -= learning_rate * g  # p ← p − η ∂C/∂p

    def evaluate(self, x, y):
        """The cost (without any L2 penalty) and the accuracy on the examples ``x`` with integer labels ``y``."""
        output = self.feedforward(x)
        cost = COSTS[self.cost](output, one_hot(y, self.sizes[-1], self.dtype))
        return cost, float(np.mean(np.argmax(output, axis=1) == y))

    def _record(self, history, epoch, sample, validation_data):
        """After an epoch: cost and accuracy on the training sample and the validation data, and the best epoch."""
        for name, data in (("train", sample), ("val", validation_data)):
            if data is not None:
                cost, accuracy = self.evaluate(*data)
                history[f"{name}_cost"].append(cost)
                history[f"{name}_accuracy"].append(accuracy)
        best = history["best_epoch"]
        if validation_data is not None and (
            best is None or history["val_accuracy"][-1] > history["val_accuracy"][best - 1]
        ):
            history["best_epoch"] = epoch

    def _copy_parameters(self):
        return [p.copy() for p in self.weights + self.biases]

    def _set_parameters(self, saved):
        for p, value in zip(self.weights + self.biases, saved):
            np.copyto(p, value)

    # -- saving -------------------------------------------------------------

    def save(self, path):
        """Write the layer sizes, weights and biases to an ``.npz`` file at ``path``.

        The file is written beside its final place and then renamed, so a
        crash mid-save never leaves a half-written model behind.
        """
        path = Path(path)
        arrays = {"sizes": np.array(self.sizes), "cost": np.array(self.cost)}
        for l, (W, b) in enumerate(zip(self.weights, self.biases)):
            arrays[f"W{l}"], arrays[f"b{l}"] = W, b
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                np.savez(f, **arrays)
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.remove(tmp)

    @classmethod
    def load(cls, path):
        """Read a network written by ``save``. Rejects missing, corrupt or inconsistent files."""
        path = Path(path)
        if not path.is_file():
            raise FileNotFoundError(f"No network file at {path}. Save one first with net.save({str(path)!r}).")
        try:
            with np.load(path, allow_pickle=False) as data:
                arrays = {key: data[key] for key in data.files}
        except (OSError, ValueError, EOFError, zipfile.BadZipFile) as err:
            raise ValueError(f"{path} is not a network file written by Network.save: {err}") from None
        sizes = arrays.get("sizes")
        if sizes is None or sizes.ndim != 1 or len(sizes) < 2:
            raise ValueError(f"{path} has no valid 'sizes' entry; it was not written by Network.save")
        dtype = arrays["W0"].dtype if "W0" in arrays else np.dtype(np.float32)
        if not np.issubdtype(dtype, np.floating):
            raise ValueError(f"{path}: weights must be floating point, found {dtype}")
        try:
            net = cls([int(s) for s in sizes], dtype=dtype, cost=str(arrays.get("cost", "mse")))
        except ValueError as err:
            raise ValueError(f"{path}: {err}") from None
        for l in range(len(net.weights)):
            for name, want in ((f"W{l}", net.weights[l].shape), (f"b{l}", net.biases[l].shape)):
                got = arrays.get(name)
                if got is None or got.shape != want:
                    found = "missing" if got is None else f"shape {got.shape}"
                    raise ValueError(
                        f"{path}: {name} is {found}, but sizes {net.sizes} need shape {want}; "
                        "the file is corrupt or was edited"
                    )
            net.weights[l] = arrays[f"W{l}"].astype(net.dtype)
            net.biases[l] = arrays[f"b{l}"].astype(net.dtype)
        return net

    # -- checks: a clear error that says what to do ---------------------------

    def _check_targets(self, y, n):
        y = np.asarray(y, dtype=self.dtype)
        if y.shape != (n, self.sizes[-1]):
            raise ValueError(
                f"y must be one-hot with shape {(n, self.sizes[-1])}, got {y.shape}; use one_hot(labels, num_classes)"
            )
        return y

    def _check_inputs(self, x, name):
        x = np.asarray(x)
        if x.ndim != 2 or x.shape[1] != self.sizes[0]:
            raise ValueError(
                f"{name} must have shape (n, {self.sizes[0]}), one example per row; got {x.shape}. "
                "Flatten images with emnist_data.prepare_inputs(images)."
            )
        return x.astype(self.dtype, copy=False)


def cosine_schedule(learning_rate, epochs):
    """A learning rate that falls from ``learning_rate`` towards 0 along half a cosine over ``epochs``.

    Returns a function of the epoch (1, 2, …, epochs) for ``Network.train``:
    η(e) = η₀ · (1 + cos(π (e − 1) / epochs)) / 2, so big steps first and
    ever smaller ones as the weights settle; the last epoch still moves a little.
    """
    if not plumbing.is_positive_number(learning_rate):
        raise ValueError(f"learning_rate must be a positive number, got {learning_rate!r}")
    if not plumbing.is_positive_int(epochs):
        raise ValueError(f"epochs must be a positive integer, got {epochs!r}")
    return lambda epoch: float(learning_rate * (1 + np.cos(np.pi * (epoch - 1) / epochs)) / 2)


TRAINING_SAMPLE = 10_000
"""How many training images ``train`` measures its training figures on, after each epoch."""


def training_sample(x, y, size=None):
    """The training examples ``train`` records its training figures on: up to ``size`` (``TRAINING_SAMPLE``), evenly spaced.

    Measured on the images as they are, after each epoch, rather than averaged over the shifted or
    distorted batches the epoch trained on, the training figures compare with the validation figures.
    The sample is fixed, not drawn at random, so it takes no random numbers from the training.
    """
    step = -(-len(x) // (TRAINING_SAMPLE if size is None else size))  # the smallest step that keeps to size
    return x[::step], y[::step]  # every step-th example: a view, no copy of the images


# ---------------------------------------------------------------------------
# 3. Checking gradients: backprop against the slope measured by nudging each weight
# ---------------------------------------------------------------------------


GRADIENT_CHECK_TOLERANCE = 1e-6
"""The largest relative error ``gradient_check`` accepts as "backprop is right".

On correct backprop, 60 checks (5 shapes, both costs, float32 and float64
networks) scored between 1e-11 and 2e-8; each planted bug (a missing σ', a
gradient not divided by n, one doubled) scored 0.3 or more. The tolerance sits
far from both. See ``bench/gradient_check_tolerance.py``.
"""


def numerical_gradients(net, x, y, eps=1e-5):
    """∂C/∂p for every weight and bias p by central differences:
    (C(p + ε) − C(p − ε)) / 2ε. Slow (two forward passes per parameter), but
    it needs no calculus, so it is an independent check on ``backprop``.

    The nudges are made on a float64 copy of ``net``, which is left untouched:
    float32 keeps only about 7 digits of the cost, and that rounding, divided
    by 2ε = 2e-5, can be as large as the slope itself.
    """
    net = float64_copy(net)
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    grads = [
        central_differences(p, lambda: COSTS[net.cost](net.feedforward(x), y), eps) for p in net.weights + net.biases
    ]
    return grads[: len(net.weights)], grads[len(net.weights) :]


def central_differences(values, cost, eps):
    """∂C/∂v for every entry v of the array ``values``: nudge it by ±ε in place, call ``cost()`` each time, put it back.

    (C(v + ε) − C(v − ε)) / 2ε, one entry after another.
    """
    grad = np.zeros_like(values)
    for i in np.ndindex(values.shape):
        saved = values[i]
        values[i] = saved + eps
        cost_plus = cost()
        values[i] = saved - eps
        cost_minus = cost()
        values[i] = saved
        grad[i] = (cost_plus - cost_minus) / (2 * eps)
    return grad


def gradient_check(net, x, y):
    """The largest relative error ‖g − g_num‖ / (‖g‖ + ‖g_num‖) over all layers.

    ``g`` is ``backprop``'s gradient and ``g_num`` the ``numerical_gradients``
    one, both computed in float64 on a copy of ``net``, whatever its dtype, so
    the figure measures the equations and not the rounding. Below
    ``GRADIENT_CHECK_TOLERANCE`` (1e-6) backprop is right; a bug in one
    equation usually shows as 1e-2 or more.
    """
    twin = float64_copy(net)
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    analytic, numeric = twin.backprop(x, y), numerical_gradients(twin, x, y)
    return max(
        relative_error(g, g_num) for g_list, n_list in zip(analytic, numeric) for g, g_num in zip(g_list, n_list)
    )


def relative_error(g, g_num):
    """‖g − g_num‖ / (‖g‖ + ‖g_num‖): 0 when the two agree, 1 when they point opposite ways."""
    return float(np.linalg.norm(g - g_num) / max(np.linalg.norm(g) + np.linalg.norm(g_num), 1e-300))


def float64_copy(net):
    """A copy of ``net`` that computes in float64; ``net`` itself is not changed."""
    twin = copy.deepcopy(net)
    twin.dtype = np.dtype(np.float64)
    twin.weights = [W.astype(np.float64) for W in net.weights]
    twin.biases = [b.astype(np.float64) for b in net.biases]
    twin.velocities = [np.zeros_like(p) for p in twin.weights + twin.biases]
    return twin
