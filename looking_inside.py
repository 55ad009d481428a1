"""Looking inside the network: backpropagation carried to the pixels, and what the hidden layer holds.

- ``input_gradient``: ∂C/∂x, backprop one layer further, to the input
  (checked by ``input_gradient_check``, as ``gradient_check`` checks backprop);
- ``saliency``: the pixels that sway the network's answer most;
- ``fgsm``: the fast gradient sign method, a nudge that fools the network;
- ``robustness_curves``: accuracy on turned, noisy, shifted, thinner or
  thicker letters (``add_noise``, ``change_thickness``), ``halving_point``;
- ``hidden_activations``, ``saturation_shares`` and ``principal_components``:
  stuck neurons, and the hidden layer as a map; ``show_rows`` draws rows of images.
"""

from numbers import Real

import numpy as np

import nn_helpers as nn
from augmentation import dilate


def input_gradient(net, x, y):
    """∂C/∂x, how the cost changes with each input pixel: an array shaped like ``x``.

    Backpropagation carried one layer further, to the pixels. The input x
    is the first layer's a⁰ in z¹ = W¹a⁰ + b¹, so the step that carries δ
    back one layer carries it to the input too (``backprop_to_input``).
    δᴸ is the cost's, as in ``Network.backprop``. ``y`` is one-hot, and C
    is the batch's mean cost: each row is 1/n of that example's own gradient
    (for one example, exactly its own).
    """
    x = net._check_inputs(x, "x")
    y = net._check_targets(y, len(x))
    activations = net._forward(x)
    a = activations[-1]
    delta = (a - y) / len(y)  # with cross-entropy σ'(zᴸ) cancels: δᴸ = (a − y)/n
    if net.cost == "mse":
        delta = delta * (a * (1 - a))  # δᴸ = ∇ₐC ⊙ σ'(zᴸ)
    return backprop_to_input(net, activations, delta)


def backprop_to_input(net, activations, delta):
    """Carry the output error ``delta`` (δᴸ, one row per example) back through every layer to the pixels.

        δˡ = ((Wˡ⁺¹)ᵀ δˡ⁺¹) ⊙ σ'(zˡ)     between layers of neurons, as in backprop
        δ⁰ = (W¹)ᵀ δ¹                    to the input: no σ', nothing squashes a pixel

    For a batch, with one example per row, (Wˡ⁺¹)ᵀ δˡ⁺¹ is ``delta @ W``.
    """
    for l in reversed(range(len(net.weights))):
        delta = delta @ net.weights[l]  # (Wˡ⁺¹)ᵀ δˡ⁺¹
        if l > 0:
            a = activations[l]
            delta = delta * (a * (1 - a))  # ⊙ σ'(zˡ) = aˡ(1 − aˡ)
    return delta


def numerical_input_gradient(net, x, y, eps=1e-5):
    """∂C/∂x for every input pixel by central differences, as ``nn.numerical_gradients`` does for the weights.

    Each pixel of each row is nudged by ±ε in turn: (C(x + ε) − C(x − ε)) / 2ε.
    It works on float64 copies; ``net`` and ``x`` are left untouched.
    """
    net = nn.float64_copy(net)
    x, y = np.array(x, dtype=np.float64), np.asarray(y, dtype=np.float64)  # x: a copy, nudged in place
    return nn.central_differences(x, lambda: nn.COSTS[net.cost](net.feedforward(x), y), eps)


def input_gradient_check(net, x, y):
    """The relative error ‖g − g_num‖ / (‖g‖ + ‖g_num‖) of ``input_gradient``, like ``nn.gradient_check``.

    ``g`` is ``input_gradient``'s ∂C/∂x and ``g_num`` the
    ``numerical_input_gradient`` one, both in float64 on a copy of ``net``.
    Below ``nn.GRADIENT_CHECK_TOLERANCE`` the input gradient is right.
    """
    twin = nn.float64_copy(net)
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    g, g_num = input_gradient(twin, x, y), numerical_input_gradient(twin, x, y)
    return nn.relative_error(g, g_num)


def saliency(net, x):
    """|∂aₖ/∂x| for each row of ``x``, where k is the letter the network reads: the pixels that sway that answer most.

    The backward sweep of ``input_gradient``, started from output neuron k
    alone instead of from the cost: δᴸ = ∂aₖ/∂zᴸ is σ'(zₖᴸ) = aₖ(1 − aₖ)
    at neuron k and 0 at the others. Returns an array shaped like ``x``.
    """
    x = net._check_inputs(x, "x")
    activations = net._forward(x)
    a = activations[-1]
    delta = nn.one_hot(np.argmax(a, axis=1), net.sizes[-1], net.dtype) * (a * (1 - a))
    return np.abs(backprop_to_input(net, activations, delta))


def fgsm(net, x, labels, epsilon):
    """The fast gradient sign method (Goodfellow et al. 2015): x′ = clip(x + ε·sign(∂C/∂x), 0, 1).

    Every pixel moves by ε (less where [0, 1] clips it), each the way that
    raises the cost of the true ``labels``: to first order, the largest rise
    in cost that a change of at most ε per pixel can buy.
    """
    if not (isinstance(epsilon, Real) and epsilon >= 0):
        raise ValueError(f"epsilon is the size of the nudge per pixel, a number ≥ 0; got {epsilon!r}")
    x = net._check_inputs(x, "x")
    gradient = input_gradient(net, x, nn.one_hot(labels, net.sizes[-1], net.dtype))
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
    3×3 neighbourhood (``dilate``). Thinner is an erosion, the darkest value:
    the dilation of the negative image.
    """
    images = np.asarray(x).reshape(-1, 28, 28)
    for _ in range(abs(steps)):
        images = dilate(images) if steps > 0 else -dilate(-images)
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
