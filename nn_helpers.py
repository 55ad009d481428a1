"""A neural network from scratch in NumPy: the code the lesson reads.

Read this file beside ``neural_network.ipynb``, top to bottom, in the
lesson's order:

1. The maths: ``sigmoid``, ``mse_cost``, ``cross_entropy_cost``, ``one_hot``,
   two cures for overfitting (``l2_penalty``, ``shift_images``), the
   ``Network`` class (forward pass, backpropagation, mini-batch gradient
   descent with L2, momentum, shifts, distortions, a learning-rate schedule
   and early stopping, saving and loading), then the cures that change the
   images more (``transform_images``, ``distort_images``, ``thicken_strokes``)
   and ``cosine_schedule``.
2. Checking backpropagation against numerical gradients (for the weights,
   and for the inputs).
3. Evaluating and drawing: the confusion matrix, ``confidence`` and the
   notebook's plots.
4. Looking inside: backpropagation carried to the pixels
   (``Network.input_gradient``, checked in part 2), ``saliency``, the
   adversarial nudge ``fgsm``, robustness to distortions, saturated neurons
   and the hidden layer's ``principal_components``.
5. Your own handwriting: ``predict_image`` reads a photo of one letter, and
   ``draw_letter`` gives a canvas to draw one on.

The EMNIST file plumbing (finding, fetching, checking and reading the files)
lives beside this module in ``emnist_data.py``; ``load_emnist_letters`` is
re-exported here, so the notebook calls ``nn.load_emnist_letters()``.

Shapes follow one rule: a batch of ``n`` examples is a matrix with one example
per *row*. So the lesson's ``z = Σ wᵢxᵢ + b`` for one neuron becomes
``Z = A @ W.T + b`` for a whole layer and a whole batch at once.
"""

import contextlib
import copy
import functools
import math
import os
import tempfile
import time
import warnings
import zipfile  # only for the error np.load raises on a corrupt .npz file
from numbers import Integral, Real
from pathlib import Path

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from threadpoolctl import threadpool_limits
from tqdm.auto import tqdm

from emnist_data import load_emnist_letters  # noqa: F401  (re-exported: the notebook calls nn.load_emnist_letters)

# ---------------------------------------------------------------------------
# 1. The maths: the sigmoid, the costs and the Network
# A batch of n examples is a matrix with one example per row.
# ---------------------------------------------------------------------------

LETTERS = "abcdefghijklmnopqrstuvwxyz"
"""Class k is the letter LETTERS[k]. Upper and lower case share a class."""


def prepare_inputs(images):
    """Images (n, 28, 28) of uint8 -> float32 inputs (n, 784) scaled to [0, 1]."""
    images = np.asarray(images)
    return images.reshape(len(images), -1).astype(np.float32) / 255


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
    (λ/n)·W, which is what ``Network.train(..., l2=λ)`` adds to ∂C/∂W. Large
    weights cost more, so the network prefers many small weights to a few
    large ones that fit the noise of the training set.
    """
    return 0.5 * l2 / n * sum(float(np.sum(np.square(W, dtype=np.float64))) for W in weights)


def one_hot(labels, num_classes, dtype=np.float32):
    """Turn integer labels into rows with a single 1: label 2 of 4 -> [0, 0, 1, 0]."""
    labels = _check_labels(labels, num_classes, "labels")
    out = np.zeros((len(labels), num_classes), dtype=dtype)
    out[np.arange(len(labels)), labels] = 1
    return out


def shift_images(x, shift, rng, out=None):
    """Data augmentation: move each 28×28 image by a random whole number of pixels, in x and in y.

    ``x`` holds images as rows (n, 784). Each image moves by dy rows and dx
    columns, each drawn independently from [−shift, shift]: the new pixel
    (r, c) is the old (r − dy, c − dx). The pixels that move in are 0.
    Returns rows (n, 784), written into ``out`` if given.

    Put an image in a frame of ``shift`` zeros on every side: the image moved
    by (dy, dx) is then the 28×28 window of the framed image that starts at
    row shift − dy and column shift − dx. One indexing step cuts the windows
    of many images at once, with no loop over the images.
    """
    n, side = len(x), 28 + 2 * shift
    dy = rng.integers(-shift, shift + 1, n)
    dx = rng.integers(-shift, shift + 1, n)
    rows, columns = shift - dy, shift - dx
    out = np.empty((n, 784), x.dtype) if out is None else out
    # 1,024 images at a time, in small arrays that are reused: arrays for all n images
    # would need fresh memory every epoch, and getting it is slower than the work.
    framed = np.zeros((1024, side, side), x.dtype)  # only the middle is written: the frame stays 0
    for start in range(0, n, 1024):
        part = slice(start, start + 1024)
        count = len(rows[part])
        framed[:count, shift : shift + 28, shift : shift + 28] = x[part].reshape(-1, 28, 28)
        windows = sliding_window_view(framed[:count], (28, 28), axis=(1, 2))  # [i, r, c] = framed[i, r:r+28, c:c+28]
        out[part] = windows[np.arange(count), rows[part], columns[part]].reshape(-1, 784)
    return out


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
    """

    def __init__(self, sizes, seed=None, dtype=np.float32, cost="mse"):
        if isinstance(sizes, Integral):
            raise ValueError(
                f"Network takes the layer sizes as one list, like Network([784, 128, 26]), "
                f"not Network(784, 128, 26); its first argument was the single number {sizes!r}"
            )
        sizes = list(sizes)
        if len(sizes) < 2 or not all(_is_positive_int(s) for s in sizes):
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
        y = _check_labels(y, self.sizes[-1], "y")
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

    def _backward(self, activations, y, delta=None, to_input=False):
        # Given delta, start from that δᴸ (saliency's); with to_input, return ∂C/∂x instead (input_gradient).
        a = activations[-1]
        if delta is None and self.cost == "mse":
            delta = (a - y) / len(y) * (a * (1 - a))  # δᴸ = ∇ₐC ⊙ σ'(zᴸ)
        elif delta is None:
            delta = (a - y) / len(y)  # cross-entropy: σ'(zᴸ) cancels out of δᴸ
        grad_weights = [None] * len(self.weights)
        grad_biases = [None] * len(self.biases)
        for l in reversed(range(len(self.weights))):  # delta is δˡ⁺¹, the error of the layer weights[l] feeds
            grad_weights[l] = delta.T @ activations[l]  # ∂C/∂Wˡ⁺¹ = δˡ⁺¹ (aˡ)ᵀ
            grad_biases[l] = delta.sum(axis=0)  # ∂C/∂bˡ⁺¹ = δˡ⁺¹
            if l > 0:
                a = activations[l]  # aˡ, so σ'(zˡ) = aˡ(1 − aˡ)
                delta = (delta @ self.weights[l]) * (a * (1 - a))  # δˡ = ((Wˡ⁺¹)ᵀδˡ⁺¹) ⊙ σ'(zˡ)
        if to_input:
            return delta @ self.weights[0]  # δ⁰ = (W¹)ᵀδ¹, with no σ': the inputs are not neurons
        return grad_weights, grad_biases

    def input_gradient(self, x, y):
        """∂C/∂x, how the cost changes with each input pixel: an array shaped like ``x``.

        Backpropagation carried one layer further, to the pixels. The input x
        is the first layer's a⁰ in z¹ = W¹a⁰ + b¹, so the step that carries δ
        back one layer carries it to the input too:

            δˡ = ((Wˡ⁺¹)ᵀ δˡ⁺¹) ⊙ σ'(zˡ)     between layers of neurons
            ∂C/∂x = δ⁰ = (W¹)ᵀ δ¹           to the input: no σ', nothing squashes a pixel

        For a batch, with one example per row, that is ``delta @ W``. ``y`` is one-hot, as
        for ``backprop``, and C is the batch's mean cost: each row is 1/n of
        that example's own gradient (for one example, exactly its own).
        """
        x = self._check_inputs(x, "x")
        y = self._check_targets(y, len(x))
        return self._backward(self._forward(x), y, to_input=True)

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
        shift=0,
        distort=None,
        keep_best=False,
        threads=1,
    ):
        """Mini-batch gradient descent: each epoch, shuffle, then for each mini-batch W ← W − η ∂C/∂W.

        ``y`` holds integer labels, ``validation_data`` is ``(x_val, y_val)``. ``learning_rate`` is η, or a function
        of the epoch (1, 2, …) such as ``cosine_schedule(0.05, epochs)``. Cures for overfitting, all off by default:
        ``l2=λ`` (``l2_penalty``), ``momentum=μ`` (``_step``), ``shift=s`` (``shift_images``), ``distort=True`` or a
        dict of its amounts (``distort_images``, after any shift), and ``keep_best=True``: end with the weights of
        the epoch with the best validation accuracy. ``threads``: BLAS threads (None leaves them; see README).

        Returns a history. After each epoch, ``train_cost`` and ``train_accuracy`` gain the figures on a fixed
        sample of the training images as they are, never shifted or distorted (``training_sample``), and
        ``val_cost`` and ``val_accuracy`` those on the validation data (empty without it); costs leave out the L2
        penalty, so runs with and without it compare. ``best_epoch`` is the 1-based epoch of the best validation
        accuracy (None without validation data), and ``seconds`` the time the epochs took.
        """
        x, y, validation_data = self._check_training(
            x, y, epochs, batch_size, learning_rate, validation_data, l2, momentum, shift, keep_best
        )
        distort, targets = _distortion_amounts(distort, x), one_hot(y, self.sizes[-1], self.dtype)
        augmented = np.empty_like(x) if shift or distort is not None else None  # refilled every epoch
        sample = training_sample(x, y)  # the training figures are measured on these images
        self._start_training()
        history = {"train_cost": [], "train_accuracy": [], "val_cost": [], "val_accuracy": [], "best_epoch": None}
        start_time = time.perf_counter()
        with _blas_threads(threads), _progress_bar(epochs, progress) as bar:
            for epoch in bar:
                rate = _rate_for(learning_rate, epoch)
                images = _augment(x, shift, distort, self.rng, out=augmented)  # new shifts and distortions
                order = self.rng.permutation(len(x))  # shuffle
                self._keep_epoch_start()  # for _guard
                for x_batch, target in _mini_batches(images, targets, order, batch_size):
                    activations = self._forward(x_batch)  # forward
                    grad_weights, grad_biases = self._backward(activations, target)  # backprop: ∂C/∂W, ∂C/∂b
                    self._step(grad_weights, grad_biases, rate, l2 / len(x), momentum)  # W ← W − η ∂C/∂W
                self._record(history, epoch, sample, validation_data, keep_best)  # the cost, after the epoch
                self._guard(history["train_cost"][-1], rate)  # stop if a step blew the weights up
                _show_progress(bar, history)
        if keep_best:
            self.weights, self.biases = self._best
        history["seconds"] = time.perf_counter() - start_time
        if progress:
            print(_summary(history, epochs, keep_best))
        return history

    def _step(self, grad_weights, grad_biases, learning_rate, weight_decay=0.0, momentum=0.0):
        """One step of gradient descent with momentum, for every weight and bias p:

            v ← μ·v − η ∂C/∂p      the velocity; without momentum (μ = 0) it is just −η ∂C/∂p
            p ← p + v

        With L2 (weight_decay = λ/n), ∂C/∂W gains (λ/n)·W, the gradient of
        l2_penalty; biases are not regularised. v starts at 0 in each call of
        train. With momentum the velocity remembers past steps, so the descent
        speeds up where they agree and calms down where they zigzag.
        """
        if weight_decay:
            for W, gW in zip(self.weights, grad_weights):
                gW += weight_decay * W  # ∂C/∂W + (λ/n)·W
        for p, v, g in zip(self.weights + self.biases, self._velocities, grad_weights + grad_biases):
            v = _velocity(v, momentum, learning_rate, g)  # v ← μ·v − η ∂C/∂p
            p += v  # p ← p + v

    # -- training: the plumbing around the algorithm ------------------------

    def _start_training(self):
        """Momentum's velocities v start at 0; _keep_epoch_start copies the weights into the spare arrays."""
        self._velocities = [np.zeros_like(p) for p in self.weights + self.biases]
        self._epoch_start = [p.copy() for p in self.weights + self.biases]

    def _keep_epoch_start(self):
        """Copy every weight and bias as an epoch starts, so that _guard can go back to them.

        Once an epoch rather than before every step: a copy of all the weights at each step
        cost 5 to 10% of an epoch at batch 32 (bench/bench_training.py).
        """
        for spare, p in zip(self._epoch_start, self.weights + self.biases):
            np.copyto(spare, p)

    def _check_training(self, x, y, epochs, batch_size, learning_rate, validation_data, l2, momentum, shift, keep_best):
        """Check train's arguments: return x, y and validation_data as arrays, or raise a ValueError saying what to do."""
        x = self._check_inputs(x, "x")
        y = _check_labels(y, self.sizes[-1], "y", length=len(x))
        if len(x) == 0:
            raise ValueError(
                "x has no examples, so there is nothing to train on. Did a limit such as TRAIN_LIMIT = 0 empty it?"
            )
        _warn_if_unscaled(x, "x")
        for name, value in (("epochs", epochs), ("batch_size", batch_size)):
            if not _is_positive_int(value):
                raise ValueError(f"{name} must be a positive integer, got {value!r}")
        if not (callable(learning_rate) or _is_positive_number(learning_rate)):
            raise ValueError(
                f"learning_rate must be a positive number, or a function of the epoch such as "
                f"cosine_schedule(0.05, epochs); got {learning_rate!r}"
            )
        if not (isinstance(l2, Real) and np.isfinite(l2) and l2 >= 0):
            raise ValueError(f"l2 (the regularisation strength λ) must be a number ≥ 0, got {l2!r}; 0 turns it off")
        if not (isinstance(momentum, Real) and 0 <= momentum < 1):
            raise ValueError(f"momentum must be a number in [0, 1), got {momentum!r}; 0 turns it off, 0.9 is usual")
        if not (isinstance(shift, Integral) and not isinstance(shift, bool) and 0 <= shift < 28):
            raise ValueError(f"shift must be a whole number of pixels from 0 to 27, got {shift!r}; 0 turns it off")
        if shift and x.shape[1] != 784:
            raise ValueError(f"shift moves 28×28 images, so x must have 784 columns; it has {x.shape[1]}")
        if keep_best and validation_data is None:
            raise ValueError("keep_best keeps the epoch with the best validation accuracy, so it needs validation_data")
        if validation_data is not None:
            try:
                x_val, y_val = validation_data
            except (TypeError, ValueError):
                raise ValueError("validation_data must be a pair (x_val, y_val)") from None
            x_val = self._check_inputs(x_val, "x_val")
            y_val = _check_labels(y_val, self.sizes[-1], "y_val", length=len(x_val))
            if len(x_val) == 0:
                raise ValueError("validation_data has no examples; pass None to train without validation")
            _warn_if_unscaled(x_val, "x_val")
            validation_data = x_val, y_val
        return x, y, validation_data

    def _guard(self, cost, learning_rate):
        """The NaN guard: if the cost after an epoch is inf or NaN, go back to the weights the epoch started from, and stop.

        A step that blows the weights up to inf or NaN leaves NaN in the
        outputs, gradients and steps that follow (0 × inf is NaN, and NaN
        spreads through every sum it enters), so the cost measured after the
        epoch shows it. Going back to the weights before the epoch lets the
        learner lower the rate and train on.
        """
        if math.isfinite(cost):
            return
        for p, before in zip(self.weights + self.biases, self._epoch_start):
            np.copyto(p, before)
        raise FloatingPointError(
            f"The cost became {cost} at learning rate {learning_rate}. The learning rate is most "
            "likely too high: each step overshoots and the weights blow up. Try a rate about 10 "
            "times smaller; the network is back to its weights at the start of the epoch that failed. "
            "(Check too that the inputs are finite and scaled to [0, 1].)"
        )

    def _record(self, history, epoch, sample, validation_data, keep_best):
        """After an epoch: the cost and accuracy on the training sample and on the validation data, and the best epoch so far (with keep_best, its weights)."""
        for name, data in (("train", sample), ("val", validation_data)):
            if data is not None:
                cost, accuracy = self._evaluate(*data)
                history[f"{name}_cost"].append(cost)
                history[f"{name}_accuracy"].append(accuracy)
        if validation_data is not None and (
            history["best_epoch"] is None
            or history["val_accuracy"][-1] > history["val_accuracy"][history["best_epoch"] - 1]
        ):
            history["best_epoch"] = epoch
            if keep_best:
                self._best = [W.copy() for W in self.weights], [b.copy() for b in self.biases]

    def _evaluate(self, x, y):
        """The cost (without any L2 penalty) and the accuracy on the examples ``x`` with integer labels ``y``."""
        output = self._forward(x)[-1]
        return COSTS[self.cost](output, one_hot(y, self.sizes[-1], self.dtype)), float(
            np.mean(np.argmax(output, axis=1) == y)
        )

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

    # -- checks -------------------------------------------------------------

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
                "Flatten images with prepare_inputs(images)."
            )
        return x.astype(self.dtype, copy=False)


# Distorted images, thicker and thinner strokes, and a learning-rate schedule: more of the cures
# that Network.train can use (distort=..., a function as learning_rate), after the Network itself.

# The pixel grid of a 28×28 image as columns (x, y, 1), x the column and y the row, both
# measured from the image centre (13.5, 13.5): one matrix product maps every pixel at once.
_CENTRE = 13.5
_ys, _xs = np.mgrid[0:28, 0:28].astype(np.float32) - _CENTRE
_GRID = np.stack([_xs.ravel(), _ys.ravel(), np.ones(784, np.float32)])  # (3, 784)
del _ys, _xs
_BORDER = 2  # zeros around each image, so samples that fall outside it read 0 with no masks
_CHUNK = 256  # images per step: small reused arrays that stay in the cache (faster here than 1,024)


def transform_images(x, rotation=0.0, scale=1.0, shear=0.0, dx=0.0, dy=0.0, out=None):
    """Move, turn, stretch and slant 28×28 images: the same affine map for all, or one per image.

    ``x`` holds images as rows (n, 784), pixels in [0, 1]. Each amount is a
    number, or an array of n numbers, one per image:

    - ``rotation``: degrees about the image centre, anticlockwise as the image
      is shown (rows going down), so 90 gives ``np.rot90(image)``;
    - ``scale``: a factor, 1.1 makes the letter 10% bigger;
    - ``shear``: a factor, the slant of a row ``y`` pixels below the centre
      moving ``shear · y`` pixels to the right (italics lean with ``shear < 0``);
    - ``dx``, ``dy``: pixels to the right and down, fractions allowed, as in
      ``shift_images``: the new pixel (r, c) is the old (r − dy, c − dx).

    The letter is first scaled, then sheared, then turned, then moved.
    Returns rows (n, 784) in [0, 1], written into ``out`` if given (``out``
    may be ``x`` itself).

    How: the *inverse* map. Rather than sending each input pixel somewhere
    (which leaves holes where no pixel lands), each output pixel asks where
    in the input it comes from: undo the move, the turn, the slant and the
    scale on its coordinates. That point usually falls between four pixels,
    so its value is their blend by *bilinear interpolation*: mix the two
    upper pixels by how far the point is from each along the row, the same
    for the two lower ones, then mix those two results by how far it is from
    each down the column. A point outside the image reads 0 (black).

    With whole-pixel moves and quarter turns every point lands exactly on a
    pixel, so the output is the input's pixels, moved, with no blur.
    """
    x = np.asarray(x)
    if x.ndim != 2 or x.shape[1] != 784:
        raise ValueError(f"x must hold 28×28 images as rows, shape (n, 784); got {x.shape}")
    n = len(x)
    amounts = {}
    for name, value in (("rotation", rotation), ("scale", scale), ("shear", shear), ("dx", dx), ("dy", dy)):
        try:
            value = np.broadcast_to(np.asarray(value, dtype=np.float64), (n,))
        except (TypeError, ValueError):
            raise ValueError(
                f"{name} must be a number or an array of {n} numbers, one per image; got {value!r}"
            ) from None
        if not np.all(np.isfinite(value)):
            raise ValueError(f"{name} must be finite")
        amounts[name] = value
    if np.any(amounts["scale"] <= 0):
        raise ValueError("scale must be a positive factor (1 keeps the size)")
    out = np.empty((n, 784), x.dtype) if out is None else out
    if out.shape != (n, 784):
        raise ValueError(f"out must have shape {(n, 784)}, got {out.shape}")

    # The inverse map for each image, as a 2×3 matrix on (x, y, 1) from the centre:
    # source = S⁻¹ H⁻¹ R⁻¹ (target − (dx, dy)), for the forward map target = R H S source + (dx, dy).
    angle = np.radians(amounts["rotation"])
    cos, sin = np.cos(angle), np.sin(angle)
    cos[np.abs(cos) < 1e-12], sin[np.abs(sin) < 1e-12] = 0.0, 0.0  # quarter turns exact: cos 90° is 0, not 6e-17
    # R turns anticlockwise on screen (y down): R = [[cos, sin], [−sin, cos]], so R⁻¹ = [[cos, −sin], [sin, cos]].
    # H = [[1, shear], [0, 1]], H⁻¹ = [[1, −shear], [0, 1]]; S⁻¹ = 1/scale.
    shear_, inv_scale = amounts["shear"], 1.0 / amounts["scale"]
    inverse = np.empty((n, 2, 3))
    inverse[:, 0, 0] = (cos - shear_ * sin) * inv_scale
    inverse[:, 0, 1] = (-sin - shear_ * cos) * inv_scale
    inverse[:, 1, 0] = sin * inv_scale
    inverse[:, 1, 1] = cos * inv_scale
    inverse[:, :, 2] = -(inverse[:, :, :2] @ np.stack([amounts["dx"], amounts["dy"]], axis=1)[:, :, None])[:, :, 0]
    inverse[:, :, 2] += _CENTRE + _BORDER  # back to pixel indices, in the framed image
    inverse = inverse.astype(np.float32)

    # Reused arrays for one chunk of images; the frame of zeros is never written.
    side = 28 + 2 * _BORDER
    framed = np.zeros((_CHUNK, side, side), np.float32)
    flat = framed.reshape(-1)
    points = np.empty((_CHUNK, 2, 784), np.float32)  # where each output pixel comes from: x and y
    corner = np.empty((_CHUNK, 2, 784), np.float32)  # the pixel up and left of that point
    index = np.empty((_CHUNK, 784), np.intp)
    starts = (np.arange(_CHUNK, dtype=np.float32) * side * side)[:, None]  # where each framed image starts in flat
    upper_left, upper_right, lower_left, lower_right = (np.empty((_CHUNK, 784), np.float32) for _ in range(4))
    for start in range(0, n, _CHUNK):
        part = slice(start, start + _CHUNK)
        k = len(x[part])
        framed[:k, _BORDER : _BORDER + 28, _BORDER : _BORDER + 28] = x[part].reshape(-1, 28, 28)
        p, c = points[:k], corner[:k]
        np.matmul(inverse[part], _GRID, out=p)  # every source point of every image in one product
        np.clip(p, _BORDER - 1, _BORDER + 28, out=p)  # far outside lands in the frame, which reads 0
        np.floor(p, out=c)  # the pixel up and left of each point (np.modf is 3× slower here)
        p -= c  # now the fractions: how far right of and below that pixel
        fx, fy = p[:, 0], p[:, 1]
        c[:, 1] *= side
        c[:, 0] += c[:, 1]
        c[:, 0] += starts[:k]
        np.copyto(index[:k], c[:, 0], casting="unsafe")  # the flat index of the upper-left pixel
        i = index[:k]
        a, b = upper_left[:k], upper_right[:k]
        np.take(flat, i, out=a, mode="clip")
        np.take(flat[1:], i, out=b, mode="clip")  # one pixel right: index + 1
        b -= a
        b *= fx
        a += b  # the upper pair, mixed along the row
        lo, lr = lower_left[:k], lower_right[:k]
        np.take(flat[side:], i, out=lo, mode="clip")  # one row down: index + side
        np.take(flat[side + 1 :], i, out=lr, mode="clip")
        lr -= lo
        lr *= fx
        lo += lr  # the lower pair, mixed along the row
        lo -= a
        lo *= fy
        a += lo  # the two mixed down the column
        np.clip(a, 0.0, 1.0, out=out[part])  # rounding must not step outside [0, 1]
    return out


def distort_images(x, rng, rotation=10.0, scale=0.1, shear=0.2, translation=2.0, thickness=0.0, out=None):
    """Data augmentation: a random affine distortion of each 28×28 image, by ``transform_images``.

    Each image draws its own amounts, uniformly: a turn of up to ±``rotation``
    degrees, a size factor in 1 ± ``scale``, a slant in ±``shear`` and a move
    of up to ±``translation`` pixels in x and in y, in fractions of a pixel.
    An amount of 0 turns that distortion off. The defaults (±10°, ±10%, ±0.2,
    ±2 px) keep a letter readable. Returns rows (n, 784) in [0, 1], written
    into ``out`` if given (``out`` may be ``x``).

    Other pens draw thicker or thinner lines: ``thickness`` is the share of
    images whose strokes change, half of them made thicker, half thinner, by
    ``thicken_strokes``, after the affine map (0, the default, changes none).
    """
    for name, value in (("rotation", rotation), ("scale", scale), ("shear", shear), ("translation", translation)):
        if not (isinstance(value, Real) and not isinstance(value, bool) and np.isfinite(value) and value >= 0):
            raise ValueError(f"{name} must be a number ≥ 0 (the largest amount drawn; 0 turns it off), got {value!r}")
    if scale >= 1:
        raise ValueError(f"scale must be below 1: sizes are drawn from 1 ± scale and must stay positive; got {scale}")
    if not (isinstance(thickness, Real) and not isinstance(thickness, bool) and 0 <= thickness <= 1):
        raise ValueError(f"thickness must be a share of the images, from 0 to 1; got {thickness!r}")
    n = len(x)
    out = transform_images(
        x,
        rotation=rng.uniform(-rotation, rotation, n),
        scale=rng.uniform(1 - scale, 1 + scale, n),
        shear=rng.uniform(-shear, shear, n),
        dx=rng.uniform(-translation, translation, n),
        dy=rng.uniform(-translation, translation, n),
        out=out,
    )
    if thickness:  # drawn only when asked for, so thickness 0 leaves the random numbers as they were
        draw = rng.random(n)
        thicken_strokes(out, np.flatnonzero(draw < thickness / 2), thicker=True)
        thicken_strokes(out, np.flatnonzero((draw >= thickness / 2) & (draw < thickness)), thicker=False)
    return out


def _grow(a, outside=None):
    """Each pixel's largest value among itself and its 8 neighbours: a grey *dilation* (for a mask, it grows).

    It works on the last two axes, so on one image or on a batch of them at
    once. Beyond the edge counts as ``outside`` (by default the smallest value
    of ``a``, which never wins). ``-_grow(-a)`` is the grey *erosion*.
    """
    fill = a.min() if outside is None else outside
    padded = np.pad(a, [(0, 0)] * (a.ndim - 2) + [(1, 1), (1, 1)], constant_values=fill)
    height, width = a.shape[-2:]
    return functools.reduce(
        np.maximum, (padded[..., i : i + height, j : j + width] for i in range(3) for j in range(3))
    )


def thicken_strokes(x, which, thicker=True):
    """Make the strokes of images ``x[which]`` about half a pixel thicker on every side, or thinner, in place.

    Thicker: each pixel moves halfway to the brightest of its 3×3
    neighbourhood (the average of the image and its grey dilation, ``_grow``);
    thinner: halfway to the darkest (its grey erosion; pixels beyond the
    edge count as 0). A whole pixel on every side would turn a thin stroke
    into a blob or wipe it out. ``x`` holds rows (n, 784); ``which`` the row
    numbers.
    """
    images = x[which].reshape(-1, 28, 28)
    neighbours = _grow(images, outside=0) if thicker else -_grow(-images, outside=0)
    x[which] = ((images + neighbours) / 2).reshape(-1, 784)
    return x


def cosine_schedule(learning_rate, epochs):
    """A learning rate that falls from ``learning_rate`` towards 0 along half a cosine over ``epochs``.

    Returns a function of the epoch (1, 2, …, epochs) for ``Network.train``:
    η(e) = η₀ · (1 + cos(π (e − 1) / epochs)) / 2, so big steps first and
    ever smaller ones as the weights settle; the last epoch still moves a little.
    """
    if not _is_positive_number(learning_rate):
        raise ValueError(f"learning_rate must be a positive number, got {learning_rate!r}")
    if not _is_positive_int(epochs):
        raise ValueError(f"epochs must be a positive integer, got {epochs!r}")

    def rate(epoch):
        return float(learning_rate * (1 + np.cos(np.pi * (epoch - 1) / epochs)) / 2)

    return rate


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


def _augment(x, shift, distort, rng, out):
    """The epoch's training images: ``x`` itself, or its freshly shifted and then distorted copy written into ``out``."""
    images = shift_images(x, shift, rng, out=out) if shift else x
    if distort is not None:
        images = distort_images(images, rng, **distort, out=out)
    return images


def _mini_batches(images, targets, order, batch_size):
    """The mini-batches (x_batch, target) of one epoch, in the shuffled ``order``; the last may be smaller."""
    for start in range(0, len(order), batch_size):
        batch = order[start : start + batch_size]
        yield images[batch], targets[batch]


def _velocity(v, momentum, learning_rate, g):
    """The step v ← μ·v − η·g, computed in place: returns v, or without momentum g itself (g is overwritten).

    Without momentum, v = −η·g needs no memory of the last step, so it is written over g, which the
    backward pass has just filled and is still in the processor's cache: about 7% of an epoch at batch 32.
    With momentum, η·g also goes into g rather than into a new array.
    """
    if not momentum:
        g *= -learning_rate
        return g
    v *= momentum
    g *= learning_rate
    v -= g
    return v


def _blas_threads(threads):
    """At most ``threads`` BLAS threads for the matrix products, or no limit when ``threads`` is None.

    One thread is train's default: at batch 32 the products are small, so a second thread gains little on a
    quiet machine, and on a busy one the threads wait for each other (README: threadpoolctl, and bench/bench_busy.py).
    """
    if threads is None:
        return contextlib.nullcontext()
    if not _is_positive_int(threads):
        raise ValueError(
            f"threads must be a positive whole number of BLAS threads, or None to leave them; got {threads!r}"
        )
    return threadpool_limits(threads, user_api="blas")


@contextlib.contextmanager
def _progress_bar(epochs, progress):
    """tqdm's bar over the epochs 1, 2, …, closed at the end, even after an error.

    In a notebook tqdm draws a widget. The text saved beside it, which a static render of the notebook
    (nbconvert, GitHub) shows, is the bar as first displayed: "0/30". So here the widget is displayed with
    a handle, and that text is replaced by the finished bar at the end.
    """
    notebook = progress and any(c.__module__ == "tqdm.notebook" for c in tqdm.__mro__)
    options = {"display": False} if notebook else {}
    bar = tqdm(range(1, epochs + 1), desc="epochs", unit="epoch", disable=not progress, **options)
    handle = None
    if notebook:
        from IPython.display import display  # present wherever tqdm draws a notebook widget

        handle = display(bar.container, display_id=True)
    try:
        yield bar
    finally:
        bar.close()
        if handle is not None:
            handle.update(bar.container)


def _show_progress(bar, history):
    figures = {"cost": history["train_cost"][-1], "acc": history["train_accuracy"][-1]}
    if history["val_accuracy"]:
        figures["val_acc"] = history["val_accuracy"][-1]
    bar.set_postfix({k: f"{v:.4f}" for k, v in figures.items()})


def _warn_if_unscaled(x, name):
    # Pixels of 0..255 saturate every sigmoid, and training then silently stays at chance.
    low, high = x.min(), x.max()
    if not (low >= 0 and high <= 1):
        warnings.warn(
            f"{name} has values from {low} to {high}, outside [0, 1]. Scale images with "
            "prepare_inputs(images), which divides the pixels by 255; unscaled inputs saturate "
            "the sigmoids and the network stays at chance.",
            UserWarning,
            stacklevel=4,
        )


def _summary(history, epochs, keep_best):
    """The line train prints at the end: a run executed headless shows it though its progress bar is lost."""
    line = (
        f"Trained {epochs} epochs in {history['seconds']:.1f} s: training accuracy {history['train_accuracy'][-1]:.1%}"
    )
    if history["val_accuracy"]:
        line += f", validation accuracy {history['val_accuracy'][-1]:.1%}"
    if keep_best:
        best = history["best_epoch"]
        line += f"; kept the weights of epoch {best}, validation accuracy {history['val_accuracy'][best - 1]:.1%}"
    return line


def _distortion_amounts(distort, x):
    """train's ``distort`` as keyword arguments for distort_images, or None when it is off."""
    if distort is None or distort is False:
        return None
    if distort is True:
        distort = {}
    if not isinstance(distort, dict):
        raise ValueError(
            "distort must be None (off), True (distort_images' defaults) or a dict of its amounts, "
            f"like dict(rotation=10, scale=0.1, shear=0.2, translation=2); got {distort!r}"
        )
    unknown = set(distort) - {"rotation", "scale", "shear", "translation", "thickness"}
    if unknown:
        raise ValueError(
            f"distort has unknown amounts {sorted(unknown)}; it takes rotation, scale, shear, translation and thickness"
        )
    if x.shape[1] != 784:
        raise ValueError(f"distort transforms 28×28 images, so x must have 784 columns; it has {x.shape[1]}")
    distort_images(x[:1], np.random.default_rng(0), **distort)  # checks the amounts now, not after an epoch
    return dict(distort)


def _rate_for(learning_rate, epoch):
    """The learning rate η for this epoch: the number itself, or the schedule's value."""
    if not callable(learning_rate):
        return learning_rate
    rate = learning_rate(epoch)
    if not _is_positive_number(rate):
        raise ValueError(
            f"the learning-rate schedule must return a positive number; for epoch {epoch} it gave {rate!r}"
        )
    return float(rate)  # a Python float keeps the float32 arithmetic in float32


def _is_positive_number(value):
    return isinstance(value, Real) and not isinstance(value, bool) and np.isfinite(value) and value > 0


def _is_positive_int(value):
    return isinstance(value, Integral) and not isinstance(value, bool) and value > 0


def _check_labels(labels, num_classes, name, length=None):
    labels = np.asarray(labels)
    if labels.ndim != 1 or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"{name} must be a 1-D array of integer labels, got {labels.dtype} of shape {labels.shape}")
    if length is not None and len(labels) != length:
        raise ValueError(f"{name} has {len(labels)} labels but there are {length} examples; they must match")
    if len(labels) and (labels.min() < 0 or labels.max() >= num_classes):
        raise ValueError(
            f"{name} must lie in 0..{num_classes - 1} (one per output neuron); found {labels.min()}..{labels.max()}"
        )
    return labels


# ---------------------------------------------------------------------------
# 2. Checking gradients
# Backpropagation checked against the slope measured by nudging each weight.
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
    net = _float64_copy(net)
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    grads = [
        _central_differences(param, lambda: COSTS[net.cost](net.feedforward(x), y), eps)
        for param in net.weights + net.biases
    ]
    n = len(net.weights)
    return grads[:n], grads[n:]


def _central_differences(values, cost, eps):
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
    twin = _float64_copy(net)
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    analytic = twin.backprop(x, y)
    numeric = numerical_gradients(twin, x, y)
    errors = [
        np.linalg.norm(g - n) / max(np.linalg.norm(g) + np.linalg.norm(n), 1e-300)
        for g_list, n_list in zip(analytic, numeric)
        for g, n in zip(g_list, n_list)
    ]
    return float(max(errors))


def numerical_input_gradient(net, x, y, eps=1e-5):
    """∂C/∂x for every input pixel by central differences, as ``numerical_gradients`` does for the weights.

    Each pixel of each row is nudged by ±ε in turn: (C(x + ε) − C(x − ε)) / 2ε.
    It works on float64 copies; ``net`` and ``x`` are left untouched.
    """
    net = _float64_copy(net)
    x, y = np.array(x, dtype=np.float64), np.asarray(y, dtype=np.float64)  # x: a copy, nudged in place
    return _central_differences(x, lambda: COSTS[net.cost](net.feedforward(x), y), eps)


def input_gradient_check(net, x, y):
    """The relative error ‖g − g_num‖ / (‖g‖ + ‖g_num‖) of ``Network.input_gradient``, like ``gradient_check``.

    ``g`` is ``input_gradient``'s ∂C/∂x and ``g_num`` the
    ``numerical_input_gradient`` one, both in float64 on a copy of ``net``.
    Below ``GRADIENT_CHECK_TOLERANCE`` the input gradient is right.
    """
    twin = _float64_copy(net)
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    g, n = twin.input_gradient(x, y), numerical_input_gradient(twin, x, y)
    return float(np.linalg.norm(g - n) / max(np.linalg.norm(g) + np.linalg.norm(n), 1e-300))


def _float64_copy(net):
    """A copy of ``net`` that computes in float64; ``net`` itself is not changed."""
    twin = copy.deepcopy(net)
    twin.dtype = np.dtype(np.float64)
    twin.weights = [W.astype(np.float64) for W in net.weights]
    twin.biases = [b.astype(np.float64) for b in net.biases]
    return twin


# ---------------------------------------------------------------------------
# 3. Evaluating and drawing
# Which letters the network reads, which it confuses, and the notebook's plots.
# ---------------------------------------------------------------------------


def confusion_matrix(y_true, y_pred, num_classes=26):
    """counts[i, j] = how many examples of class i were predicted as class j.

    Rows are the true letters, columns the predictions, so the diagonal holds
    the letters read right.
    """
    y_true = _check_labels(y_true, num_classes, "y_true")
    y_pred = _check_labels(y_pred, num_classes, "y_pred")
    if len(y_true) != len(y_pred):
        raise ValueError(
            f"y_true has {len(y_true)} labels but y_pred has {len(y_pred)}; give one prediction per example"
        )
    counts = np.zeros((num_classes, num_classes), dtype=np.int64)
    np.add.at(counts, (y_true, y_pred), 1)
    return counts


def most_confused(counts, k=8):
    """The ``k`` largest off-diagonal entries: [(true letter, predicted letter, count), …].

    Largest first; pairs never confused are left out, so the list can be shorter than ``k``.
    """
    off_diagonal = counts * (1 - np.eye(len(counts), dtype=counts.dtype))
    rows, columns = np.nonzero(off_diagonal)
    order = np.argsort(-off_diagonal[rows, columns], kind="stable")[:k]
    return [(LETTERS[i], LETTERS[j], int(off_diagonal[i, j])) for i, j in zip(rows[order], columns[order])]


def confidence(outputs):
    """The network's confidence in each letter: its output activations scaled to sum to 1.

    ``outputs`` is one output row or a batch of rows (n, 26). A sigmoid network
    does not give probabilities itself; its answer is the brightest output, and
    ``confidence(outputs).max(axis=-1)`` says how much of the total brightness
    that answer holds. The notebook, ``predict_image`` and ``draw_letter`` all
    use this one definition.
    """
    outputs = np.asarray(outputs, dtype=np.float64)
    return outputs / outputs.sum(axis=-1, keepdims=True)


def show_letters(images, titles, colors=None, columns=10, size=1.2):
    """A grid of 28 x 28 images, each with a title (and optionally a title colour)."""
    import matplotlib.pyplot as plt

    rows = -(-len(images) // columns)
    fig, axes = plt.subplots(rows, columns, figsize=(columns * size, rows * size * 1.4), squeeze=False)
    for i, ax in enumerate(axes.flat):
        ax.axis("off")
        if i < len(images):
            ax.imshow(images[i], cmap="gray", vmin=0, vmax=255)
            ax.set_title(titles[i], fontsize=9, color=colors[i] if colors is not None else "black")
    fig.tight_layout()
    return fig


def per_letter_accuracy(counts):
    """The share of each true letter read right: the confusion matrix's diagonal over its row sums.

    A letter with no examples (a row of zeros) has no accuracy: it gets NaN,
    without the RuntimeWarning that 0/0 would give.
    """
    counts = np.asarray(counts)
    totals = counts.sum(axis=1)
    right = np.diag(counts).astype(np.float64)
    return np.divide(right, totals, out=np.full(len(counts), np.nan), where=totals > 0)


def level_epoch(values, within=0.01):
    """The first epoch (1-based) whose value is within ``within`` of the best, the largest.

    Where a curve levels off: after it, every epoch gains at most ``within``.
    On a plateau the best epoch itself can come much later, since small ups
    and downs decide it.
    """
    values = np.asarray(values, dtype=np.float64)
    return int(np.argmax(values >= values.max() - within)) + 1


def _best_epoch(history):
    """The 1-based epoch of the best validation accuracy, as ``train`` records it (None without validation)."""
    if not history["val_accuracy"]:
        return None
    return history.get("best_epoch") or int(np.argmax(history["val_accuracy"])) + 1


def _mark_best(ax, history, color):
    best = _best_epoch(history)
    if best is not None:  # a scatter, not a line: it marks a point on the dashed curve
        ax.scatter(
            [best], [history["val_accuracy"][best - 1]], s=60, marker="o", color=color, edgecolor="black", zorder=3
        )


def plot_history(histories, labels=None, costs=True):
    """Cost and accuracy per epoch: solid lines for training, dashed for validation.

    ``histories`` is one history from ``Network.train``, or a list of them
    to compare, with ``labels`` naming each (by default "run 1", "run 2", …).
    A dot marks the epoch of the best validation accuracy. Networks trained
    with different costs measure different things on the cost axis: give
    ``costs=False`` to draw the accuracies alone.
    """
    import matplotlib.pyplot as plt

    if isinstance(histories, dict):
        histories, labels = [histories], [""]
    if labels is None:
        labels = [f"run {i + 1}" for i in range(len(histories))]
    if len(labels) != len(histories):
        raise ValueError(f"{len(histories)} histories but {len(labels)} labels; give one label per history")
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    if costs:
        fig, (ax_cost, ax_accuracy) = plt.subplots(1, 2, figsize=(11, 3.8))
        panels = ((ax_cost, "cost"), (ax_accuracy, "accuracy"))
    else:
        fig, ax_accuracy = plt.subplots(figsize=(6.5, 3.8))
        panels = ((ax_accuracy, "accuracy"),)
    for i, (history, label) in enumerate(zip(histories, labels)):
        color = colors[i % len(colors)]  # reused after the last colour, so no history is dropped
        epochs = np.arange(1, len(history["train_cost"]) + 1)
        for ax, key in panels:
            ax.plot(epochs, history[f"train_{key}"], color=color, label=f"{label} training".strip())
            if history[f"val_{key}"]:
                ax.plot(epochs, history[f"val_{key}"], "--", color=color, label=f"{label} validation".strip())
        _mark_best(ax_accuracy, history, color)
    if costs:
        ax_cost.set(xlabel="epoch", ylabel="cost", title="Cost (lower is better)")
    title = "Accuracy (higher is better; dot: best validation epoch)"
    ax_accuracy.set(xlabel="epoch", ylabel="accuracy", title=title, ylim=(0, 1))
    for ax, _ in panels:
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def plot_beside(reference, histories, reference_label="no cure", columns=4):
    """Small panels of validation accuracy per epoch: each of ``histories`` beside the same ``reference``.

    ``histories`` maps a name to a history from ``Network.train``; each gets
    its own panel, titled with its name, with ``reference`` drawn in gray
    behind it. Dots mark the best validation epochs.
    """
    import matplotlib.pyplot as plt

    columns = min(columns, len(histories))
    rows = -(-len(histories) // columns)  # rounded up
    fig, axes = plt.subplots(rows, columns, figsize=(2.9 * columns, 2.6 * rows + 0.3), sharey=True, squeeze=False)
    for ax in axes.flat[len(histories) :]:
        ax.axis("off")
    for ax, (name, history) in zip(axes.flat, histories.items()):
        for h, label, color in ((reference, reference_label, "0.6"), (history, name, "C0")):
            ax.plot(np.arange(1, len(h["val_accuracy"]) + 1), h["val_accuracy"], color=color, label=label)
            _mark_best(ax, h, color)
        ax.set(title=name, xlabel="epoch", ylim=(0, 1))
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8, loc="lower right")
    for ax in axes[:, 0]:
        ax.set_ylabel("validation accuracy")
    fig.tight_layout()
    return fig


def plot_confusion(counts):
    """The confusion matrix as a picture: rare cells light, frequent ones dark, on a log scale; white where none.

    The log scale shows a confusion that happened once or twice beside the
    hundreds of right answers on the diagonal; the light-to-dark colours keep
    those rare cells faint, so the frequent confusions stand out.
    """
    import matplotlib
    import matplotlib.pyplot as plt
    from matplotlib.colors import ListedColormap, LogNorm

    counts = np.asarray(counts)
    blues = ListedColormap(matplotlib.colormaps["Blues"](np.linspace(0.15, 1, 256)))  # from light blue: 1 is not white
    blues = blues.with_extremes(bad="white")  # the cells that never happened
    fig, ax = plt.subplots(figsize=(7, 6))
    image = ax.imshow(np.ma.masked_equal(counts, 0), cmap=blues, norm=LogNorm(vmin=1, vmax=max(counts.max(), 1)))
    ax.set_xticks(range(len(counts)), LETTERS[: len(counts)])
    ax.set_yticks(range(len(counts)), LETTERS[: len(counts)])
    ax.set(xlabel="predicted letter", ylabel="true letter")
    fig.colorbar(image, label="test images (log scale; white: none)")
    return fig


# ---------------------------------------------------------------------------
# 4. Looking inside
# Backpropagation carried to the pixels: what the network looks at, what fools
# it, and what its hidden layer holds.
# ---------------------------------------------------------------------------


def saliency(net, x):
    """|∂aₖ/∂x| for each row of ``x``, where k is the letter the network reads: the pixels that sway that answer most.

    The backward sweep of ``Network.input_gradient``, started from output
    neuron k alone instead of from the cost: δᴸ = ∂aₖ/∂zᴸ is σ'(zₖᴸ) = aₖ(1 − aₖ)
    at neuron k and 0 at the others. Returns an array shaped like ``x``.
    """
    x = net._check_inputs(x, "x")
    activations = net._forward(x)
    a = activations[-1]
    delta = one_hot(np.argmax(a, axis=1), net.sizes[-1], net.dtype) * (a * (1 - a))
    return np.abs(net._backward(activations, None, delta=delta, to_input=True))


def fgsm(net, x, labels, epsilon):
    """The fast gradient sign method (Goodfellow et al. 2015): x′ = clip(x + ε·sign(∂C/∂x), 0, 1).

    Every pixel moves by ε (less where [0, 1] clips it), each the way that
    raises the cost of the true ``labels``: to first order, the largest rise
    in cost that a change of at most ε per pixel can buy.
    """
    if not (isinstance(epsilon, Real) and epsilon >= 0):
        raise ValueError(f"epsilon is the size of the nudge per pixel, a number ≥ 0; got {epsilon!r}")
    x = net._check_inputs(x, "x")
    gradient = net.input_gradient(x, one_hot(labels, net.sizes[-1], net.dtype))
    return np.clip(x + epsilon * np.sign(gradient), 0, 1).astype(x.dtype)


def add_noise(x, sigma, seed=0):
    """The images ``x`` with Gaussian noise of standard deviation ``sigma`` added to every pixel, clipped to [0, 1].

    The same ``seed`` gives the same noise, only scaled, for every ``sigma``.
    """
    noise = np.random.default_rng(seed).standard_normal(np.shape(x))
    return np.clip(x + sigma * noise, 0, 1).astype(np.asarray(x).dtype)


def change_thickness(x, steps):
    """Images as rows (n, 784) with their strokes thicker (``steps`` > 0) or thinner (< 0), by a pixel a side per step.

    Thicker is a grey dilation: each pixel takes the brightest value of its
    3×3 neighbourhood (``_grow``). Thinner is an erosion, the darkest value:
    the dilation of the negative image.
    """
    images = np.asarray(x).reshape(-1, 28, 28)
    for _ in range(abs(steps)):
        images = _grow(images) if steps > 0 else -_grow(-images)
    return images.reshape(-1, 784)


def robustness_curves(nets, x, labels, distort, amounts):
    """The accuracy of each network on ``distort(x, amount)``, for each of the ``amounts``: one row per network.

    Each distorted copy is made once and read by every network. For example
    ``robustness_curves([net], x, y, add_noise, [0, 0.1, 0.2])``, or
    ``lambda x, angle: transform_images(x, rotation=angle)`` for rotations.
    """
    curves = np.empty((len(nets), len(amounts)))
    for j, amount in enumerate(amounts):
        distorted = distort(x, amount)
        curves[:, j] = [net.accuracy(distorted, labels) for net in nets]
    return curves


def halving_point(amounts, accuracies):
    """The amount at which an accuracy curve first falls to half its first value, read between the points.

    ``amounts`` rise; the curve is taken as straight between them. NaN when it never falls that far.
    """
    amounts, accuracies = np.asarray(amounts, dtype=np.float64), np.asarray(accuracies, dtype=np.float64)
    half = accuracies[0] / 2
    below = np.flatnonzero(accuracies <= half)
    if len(below) == 0:
        return float("nan")
    i = below[0]
    if i == 0:
        return float(amounts[0])
    fall = (accuracies[i - 1] - half) / (accuracies[i - 1] - accuracies[i])
    return float(amounts[i - 1] + fall * (amounts[i] - amounts[i - 1]))


def hidden_activations(net, x):
    """The first hidden layer's activations a¹ = σ(W¹x + b¹): one row per row of ``x``, one column per neuron."""
    return net._forward(net._check_inputs(x, "x"))[1]


def saturation_shares(activations, low=0.01, high=0.99):
    """The shares of ``activations`` below ``low`` and above ``high``: (share near 0, share near 1).

    Out there σ is flat: σ'(z) = a(1 − a) is below 0.01, a 25th of its
    largest value, so every δ through such a neuron nearly vanishes and it
    barely learns.
    """
    a = np.asarray(activations)
    return float(np.mean(a < low)), float(np.mean(a > high))


def principal_components(data, k=2):
    """The rows of ``data`` projected onto their first ``k`` principal components, and each one's share of the variance.

    Principal component analysis by the singular value decomposition: with
    the data centred, X = U S Vᵀ. The rows of Vᵀ are orthogonal directions,
    in order of the variance along them, sᵢ²/n; a row's coordinates along
    them are XV. Returns ``(points (n, k), shares (k,))``.
    """
    data = np.asarray(data, dtype=np.float64)
    centred = data - data.mean(axis=0)
    _, s, vt = np.linalg.svd(centred, full_matrices=False)
    return centred @ vt[:k].T, (s**2 / np.sum(s**2))[:k]


def show_rows(rows, titles, cmaps="gray", fig=None):
    """A grid of 28 x 28 images, one row per entry of ``rows``, each image with its title; returns the figure.

    ``rows`` holds arrays of images, (columns, 784) or (columns, 28, 28), as
    many in each; ``titles`` a list of titles per row; ``cmaps`` one colour
    map, or one per row. Each image is scaled to its own range. ``fig`` may
    be a figure or a subfigure to draw in.
    """
    import matplotlib.pyplot as plt

    columns = len(rows[0])
    fig = plt.figure(figsize=(1.2 * columns, 1.45 * len(rows))) if fig is None else fig
    axes = fig.subplots(len(rows), columns, squeeze=False)
    cmaps = [cmaps] * len(rows) if isinstance(cmaps, str) else cmaps
    for ax_row, images, row_titles, cmap in zip(axes, rows, titles, cmaps):
        for ax, image, title in zip(ax_row, images, row_titles):
            ax.imshow(np.reshape(image, (28, 28)), cmap=cmap)
            ax.set_title(title, fontsize=8)
            ax.axis("off")
    return fig


# ---------------------------------------------------------------------------
# 5. Your own handwriting
# A photo or drawing of one letter, prepared the way EMNIST was made.
# ---------------------------------------------------------------------------


def predict_image(net, picture, top=3):
    """The network's ``top`` guesses for a picture of one letter: [(letter, confidence), …], best first.

    ``picture`` is anything ``preprocess_image`` reads: a path, a ``PIL.Image``
    or a NumPy array.
    """
    return _guesses(net, preprocess_image(picture), top)


def _guesses(net, image, top):
    shares = confidence(net.feedforward(prepare_inputs(image[None]))[0])
    best = np.argsort(shares)[::-1][:top]
    return [(LETTERS[k], float(shares[k])) for k in best]


def draw_letter(net, size=280):
    """A canvas to draw a letter on, with the mouse or a finger: after each stroke, what the network sees and reads.

    Shows the canvas, the 28 x 28 image that ``preprocess_image`` makes of the
    drawing (exactly as of a photo), the network's top 3 guesses with their
    ``confidence``, and a *Clear* button. It needs ipycanvas and a front end
    that shows Jupyter widgets: JupyterLab, Notebook 7, VS Code, or Colab
    (where it turns on Colab's custom widget manager itself). Elsewhere (a
    headless run, a static page) it shows a line of text instead: use
    ``predict_image`` with a photo there.
    """
    try:
        import ipywidgets as widgets
        from ipycanvas import Canvas
    except ImportError:
        print("draw_letter needs ipycanvas (pip install ipycanvas). Meanwhile, use nn.predict_image(net, 'photo.jpg').")
        return
    from IPython.display import display

    try:
        from google.colab import output  # only in Colab, which shows no third-party widgets until told to
    except ImportError:
        pass
    else:
        output.enable_custom_widget_manager()

    # sync_image_data: the browser sends the drawing back, so Python can read its pixels.
    canvas = Canvas(width=size, height=size, sync_image_data=True, layout={"border": "1px solid #888"})
    canvas.line_width, canvas.line_cap, canvas.line_join = size / 14, "round", "round"  # a thick pen, like EMNIST's
    seen = widgets.Image(value=_png(np.zeros((112, 112), np.uint8)), format="png", width=112, height=112)
    guesses = widgets.HTML("Draw a letter in the box.")
    guesses.add_class("nn-guesses")
    clear = widgets.Button(description="Clear", icon="eraser")
    pen = {"down": False, "at": None, "drawn": False, "drawing": 0}  # "drawing" counts the Clear clicks

    def pen_down(x, y):
        pen.update(down=True, at=(x, y), drawn=True)
        canvas.fill_circle(x, y, canvas.line_width / 2)  # a dot, for a click without a stroke (an "i")

    def pen_move(x, y):
        if pen["down"]:
            canvas.stroke_line(*pen["at"], x, y)
            pen["at"] = (x, y)

    def pen_up(*_):
        pen["down"] = False
        read()

    def read(*_):  # after each stroke, and again when the browser has sent the finished drawing
        drawing = pen["drawing"]
        if pen["down"] or not pen["drawn"] or canvas.image_data is None:
            return
        try:
            image = preprocess_image(canvas.get_image_data())
            top3 = _guesses(net, image, 3)
        except ValueError:  # nothing that looks like ink yet
            return
        if drawing != pen["drawing"]:  # Clear was clicked meanwhile (events can arrive while this runs)
            return
        seen.value = _png(np.kron(image, np.ones((4, 4), np.uint8)))
        guesses.value = "<b>Top 3</b><br>" + "<br>".join(f"{letter} {share:.0%}" for letter, share in top3)

    def clear_all(_):
        canvas.clear()
        pen.update(down=False, drawn=False, drawing=pen["drawing"] + 1)
        guesses.value, seen.value = "Draw a letter in the box.", _png(np.zeros((112, 112), np.uint8))

    canvas.on_mouse_down(pen_down)
    canvas.on_mouse_move(pen_move)
    canvas.on_mouse_up(pen_up)
    canvas.on_mouse_out(pen_up)
    canvas.on_touch_start(lambda touches: pen_down(*touches[0]))
    canvas.on_touch_move(lambda touches: pen_move(*touches[0]))
    canvas.on_touch_end(pen_up)
    canvas.observe(read, names="image_data")
    clear.on_click(clear_all)
    pad = widgets.HBox([canvas, widgets.VBox([widgets.Label("What the network sees"), seen, guesses, clear])])
    bundle = pad._repr_mimebundle_()
    bundle["text/plain"] = (
        "(A drawing canvas, for a front end that shows widgets. Here, use nn.predict_image(net, 'photo.jpg').)"
    )
    display(bundle, raw=True)


def _png(image):
    """The bytes of a PNG file of a uint8 image."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, format="png")
    return buffer.getvalue()


LETTER_SIZE = 48
"""The letter's longer side, in pixels, where EMNIST's blur and border are applied (see ``preprocess_image``)."""


def preprocess_image(picture):
    """A photo, scan or drawing of one letter -> a 28 x 28 uint8 image, made the way EMNIST was.

    ``picture`` is a path (PNG, JPG or anything else Pillow reads), a
    ``PIL.Image``, or a NumPy array: H x W, or H x W x 3 or 4, of uint8,
    uint16 or floats in [0, 1].

    First ``find_letter`` finds the ink, on light or dark paper, without the
    desk around the sheet or specks on it. Then EMNIST's own steps (Cohen et
    al. 2017): crop to the letter; centre it in a square, keeping its aspect
    ratio, with a 2-pixel border; blur with σ = 1; bicubic resize to 28 x 28;
    scale to 0–255. The blur and border are applied where the letter's longer
    side is ``LETTER_SIZE`` pixels: at that scale the letters come out the size
    real EMNIST letters are, their longer side about 24 of the 28 pixels.
    """
    ink = find_letter(read_picture(picture))
    rows, cols = np.nonzero(ink >= 0.5)  # the letter's box: where its strokes are at least half-strength
    middle_x, middle_y = (cols.min() + cols.max() + 1) / 2, (rows.min() + rows.max() + 1) / 2
    side = max(np.ptp(rows), np.ptp(cols)) + 1
    side = side * (LETTER_SIZE + 2 * (3 + 2)) / LETTER_SIZE  # with the blur's reach (3σ) and a 2-pixel border
    box = (middle_x - side / 2, middle_y - side / 2, middle_x + side / 2, middle_y + side / 2)
    square = _resize(np.pad(ink, round(side)), LETTER_SIZE + 10, LETTER_SIZE + 10, [x + round(side) for x in box])
    small = np.clip(_resize(_gaussian_blur(square, sigma=1), 28, 28), 0, None)
    return np.uint8(np.round(255 * small / small.max()))


def read_picture(picture):
    """A path, ``PIL.Image`` or array -> grayscale floats (H, W) in [0, 1], 0 black: upright, transparency on white."""
    from PIL import Image, ImageOps, UnidentifiedImageError  # Pillow comes with matplotlib

    if isinstance(picture, (str, os.PathLike)):
        path = Path(picture)
        if not path.is_file():
            raise FileNotFoundError(f"No image at {path}: give the path of a PNG or JPG of one letter.")
        try:
            with Image.open(path) as image:
                return read_picture(image)
        except (UnidentifiedImageError, OSError) as err:
            raise ValueError(f"{path} is not an image that can be read (PNG or JPG): {err}") from None
    if isinstance(picture, Image.Image):
        image = ImageOps.exif_transpose(picture)  # a phone stores portrait photos sideways, with a note to turn them
        if image.mode in ("P", "PA", "LA", "La", "RGBa") or "transparency" in image.info:
            image = image.convert("RGBA")  # palette and transparency become plain RGBA
        elif image.mode == "I":  # 16-bit grayscale, as older Pillows open it
            image = Image.fromarray(np.clip(np.asarray(image), 0, 65535).astype(np.uint16))
        elif image.mode not in ("1", "L", "RGB", "RGBA", "F") and not image.mode.startswith("I;16"):
            image = image.convert("RGB")  # CMYK, YCbCr, …
        picture = np.asarray(image)
    a = np.asarray(picture)
    if a.dtype == bool:
        a = a.astype(np.float64)
    elif a.dtype.kind == "u" and a.dtype.itemsize in (1, 2):
        a = a / np.iinfo(a.dtype).max  # uint8 or uint16: full scale is 255 or 65535
    elif a.dtype.kind == "f" and np.all(np.isfinite(a)) and a.size and 0 <= a.min() and a.max() <= 1:
        a = a.astype(np.float64)
    else:
        raise ValueError(
            f"Give an image of uint8, uint16 or floats in [0, 1]; got {a.dtype} values (scale them first)."
        )
    if a.ndim == 3 and a.shape[2] in (3, 4):
        gray = a[..., :3] @ [0.299, 0.587, 0.114]  # luminance, as Pillow's "L"
        if a.shape[2] == 4:
            gray = gray * a[..., 3] + (1 - a[..., 3])  # transparent parts become white paper
        a = gray
    if a.ndim != 2 or min(a.shape) < 8:
        raise ValueError(
            f"Give a picture of shape (H, W), (H, W, 3) or (H, W, 4), at least 8 x 8 pixels; got {np.shape(picture)}."
        )
    return a


def find_letter(gray, work_size=256):
    """The letter's ink strength in [0, 1] (0 for paper), bright on dark as EMNIST, at most ``work_size`` pixels wide.

    Otsu's threshold splits the picture into two classes. The paper is the
    class with the largest connected region (ink is strokes, paper is one
    piece), so light paper, gray paper, chalk on a board and a sheet on a desk
    all work. ``letter_mask`` keeps the letter and drops specks and the desk.
    The ink is then measured from the paper's level, less a noise floor (the
    paper's grain), and scaled so that the median ink pixel is 1.
    """
    gray = _shrink(gray, work_size)
    if np.ptp(gray) < 0.05:
        raise ValueError("The picture looks blank: no ink stands out from the paper. Give a picture of one letter.")
    dark = gray < otsu_threshold(gray)
    paper_is_light = _largest_region(~dark) >= _largest_region(dark)
    ink = dark if paper_is_light else ~dark
    strength = 1 - gray if paper_is_light else gray  # bright ink on dark paper, as in EMNIST
    strength = strength - np.median(strength[~ink])
    floor, ink_level = np.percentile(strength[~ink], 99), np.median(strength[ink])
    if ink_level - floor < 0.05:
        raise ValueError("The picture looks blank: no ink stands out from the paper. Give a picture of one letter.")
    strength = np.clip((strength - floor) / (ink_level - floor), 0, 1)
    return strength * _grow(_grow(letter_mask(ink)))  # grown by 2 pixels, to keep the strokes' soft edges


def otsu_threshold(gray):
    """The gray level that best splits a picture into two classes (Otsu, 1979).

    Among 256 levels, the one with the largest between-class variance
    w₀ w₁ (μ₀ − μ₁)², where w is each class's share of the pixels and μ its mean.
    """
    counts, edges = np.histogram(gray, bins=256, range=(0, 1))
    levels = (edges[:-1] + edges[1:]) / 2
    w0 = np.cumsum(counts) / counts.sum()  # the share at or below each level
    m0 = np.cumsum(counts * levels) / counts.sum()  # w₀ μ₀
    with np.errstate(invalid="ignore", divide="ignore"):
        between = (m0[-1] * w0 - m0) ** 2 / (w0 * (1 - w0))  # = w₀ w₁ (μ₀ − μ₁)²
    return levels[np.nanargmax(between)]


def connected_regions(mask):
    """Label the 8-connected regions of a boolean mask: -1 off the mask, else a label shared by its region.

    Label propagation: each pixel starts with its own index and takes, again
    and again, the largest label around it, until nothing changes. Taking the
    label of that label too (pointer jumping) carries labels far in one round.
    """
    labels = np.where(mask, np.arange(mask.size).reshape(mask.shape), -1)
    while True:
        grown = np.where(mask, _grow(labels), -1)
        grown[mask] = grown.flat[grown[mask]]  # the label of my label
        if np.array_equal(grown, labels):
            return labels
        labels = grown


def letter_mask(ink):
    """The letter in an ink mask: its largest region, with the regions near it (an "i" keeps its dot).

    Regions touching the picture's edge (a desk, a shadow) and specks away
    from the letter are dropped. A letter that touches the edge is kept when
    there is nothing else.
    """
    labels = connected_regions(ink)
    sizes = np.bincount(labels[ink], minlength=ink.size)
    inside = sizes.copy()
    inside[_border(labels)[_border(labels) >= 0]] = 0
    if inside.any():
        sizes = inside
    rows, cols = np.nonzero(labels == np.argmax(sizes))
    margin = max(np.ptp(rows), np.ptp(cols)) // 2 + 1  # "near" is within half the letter's size
    near = np.zeros_like(ink)
    near[
        max(rows.min() - margin, 0) : rows.max() + margin + 1, max(cols.min() - margin, 0) : cols.max() + margin + 1
    ] = 1
    keep = np.unique(labels[near & ink])
    keep = keep[sizes[keep] >= 0.02 * sizes.max()]  # not specks: at least 2% of the letter's main stroke
    return np.isin(labels, keep)


def _largest_region(mask):
    labels = connected_regions(mask)
    return np.bincount(labels[mask]).max() if mask.any() else 0


def _border(image):
    """The pixels along the picture's four edges."""
    return np.concatenate([image[0], image[-1], image[:, 0], image[:, -1]])


def _gaussian_blur(image, sigma):
    """Blur a float image in [0, 1] with a Gaussian of standard deviation ``sigma`` pixels.

    Pillow (which comes with matplotlib) does the blur; it works on 8-bit
    images, whose rounding (1/255) is far below what the 28 x 28 result keeps.
    """
    from PIL import Image, ImageFilter

    eight_bit = Image.fromarray(np.uint8(np.round(255 * np.clip(image, 0, 1))))
    return np.asarray(eight_bit.filter(ImageFilter.GaussianBlur(sigma)), dtype=np.float64) / 255


def _resize(image, width, height, box=None):
    """Bicubic resize of a float image, or of the part of it inside ``box`` (left, top, right, bottom)."""
    from PIL import Image

    resized = Image.fromarray(np.float32(image)).resize((width, height), Image.BICUBIC, box=box)
    return np.asarray(resized, dtype=np.float64)


def _shrink(image, size):
    """The image, shrunk so that its longer side is at most ``size`` pixels (for speed)."""
    scale = size / max(image.shape)
    if scale >= 1:
        return image
    return np.clip(_resize(image, round(image.shape[1] * scale), round(image.shape[0] * scale)), 0, 1)
