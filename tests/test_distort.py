"""Random distortions (transform_images, distort_images), train(..., distort=...) and learning-rate schedules.

transform_images is checked against moves whose result is known exactly
(whole-pixel shifts by slicing, quarter turns by np.rot90) and against a
slow reference written here pixel by pixel from the inverse map and
bilinear interpolation.
"""

import copy

import numpy as np
import pytest

import nn_helpers as nn


def images(n, seed=0):
    """n images (n, 784) of random pixels in (0, 1]: every pixel differs from the zeros moved in."""
    return (np.random.default_rng(seed).random((n, 784)) * 0.9 + 0.1).astype(np.float32)


def moved(image, dy, dx):
    """The 28×28 image moved dy rows down and dx columns right, zeros moved in: by padding and slicing."""
    framed = np.pad(image, 28)
    return framed[28 - dy : 56 - dy, 28 - dx : 56 - dx]


def reference(image, rotation, scale, shear, dx, dy):
    """transform_images for one image, one pixel at a time, straight from the inverse map and bilinear interpolation."""
    t = np.radians(rotation)
    forward = np.array([[np.cos(t), np.sin(t)], [-np.sin(t), np.cos(t)]]) @ np.array([[1, shear], [0, 1]]) * scale
    inverse = np.linalg.inv(forward)

    def pixel(r, c):
        return image[r, c] if 0 <= r < 28 and 0 <= c < 28 else 0.0

    out = np.zeros((28, 28))
    for r in range(28):
        for c in range(28):
            x, y = inverse @ np.array([c - 13.5 - dx, r - 13.5 - dy]) + 13.5  # where this output pixel comes from
            c0, r0 = int(np.floor(x)), int(np.floor(y))
            fx, fy = x - c0, y - r0
            top = (1 - fx) * pixel(r0, c0) + fx * pixel(r0, c0 + 1)
            bottom = (1 - fx) * pixel(r0 + 1, c0) + fx * pixel(r0 + 1, c0 + 1)
            out[r, c] = (1 - fy) * top + fy * bottom
    return out


# -- transform_images ----------------------------------------------------------


def test_neutral_amounts_are_the_identity():
    x = images(50)
    np.testing.assert_array_equal(nn.transform_images(x), x)
    np.testing.assert_array_equal(nn.transform_images(x, rotation=0, scale=1, shear=0, dx=0, dy=0), x)
    np.testing.assert_array_equal(nn.transform_images(x, rotation=360), x)


@pytest.mark.parametrize("dy, dx", [(0, 1), (1, 0), (-2, 3), (5, -4), (27, 0), (0, -28)])
def test_whole_pixel_shifts_are_exact(dy, dx):
    x = images(3)
    shifted = nn.transform_images(x, dx=dx, dy=dy).reshape(3, 28, 28)
    for image, out in zip(x.reshape(3, 28, 28), shifted):
        np.testing.assert_array_equal(out, moved(image, dy, dx))


def test_each_image_moves_by_its_own_amounts_across_chunks():
    """2,500 images, several chunks, each with its own whole-pixel move; np.roll on a dot checks it."""
    n = 2500
    rng = np.random.default_rng(1)
    dy, dx = rng.integers(-3, 4, n), rng.integers(-3, 4, n)
    dot = np.zeros((n, 28, 28), np.float32)
    dot[:, 14, 12] = 1
    out = np.full((n, 784), np.nan, np.float32)
    result = nn.transform_images(dot.reshape(n, 784), dx=dx, dy=dy, out=out)
    assert result is out
    for i in (0, 1023, 1024, 2047, 2048, n - 1):
        np.testing.assert_array_equal(out[i].reshape(28, 28), np.roll(dot[i], (dy[i], dx[i]), axis=(0, 1)))
    rows, cols = np.divmod(np.argmax(out, axis=1), 28)
    np.testing.assert_array_equal(rows, 14 + dy)
    np.testing.assert_array_equal(cols, 12 + dx)
    assert np.all(out.sum(axis=1) == 1)


@pytest.mark.parametrize("rotation, turns", [(90, 1), (180, 2), (270, 3), (-90, -1), (450, 1)])
def test_quarter_turns_are_exact_and_anticlockwise_as_np_rot90(rotation, turns):
    x = images(4)
    turned = nn.transform_images(x, rotation=rotation).reshape(4, 28, 28)
    np.testing.assert_array_equal(turned, np.rot90(x.reshape(4, 28, 28), turns, axes=(1, 2)))


def test_a_letter_turned_a_quarter_anticlockwise_has_its_top_on_the_left():
    bar = np.zeros((1, 28, 28), np.float32)
    bar[0, 2, 10:18] = 1  # a bar along the top
    turned = nn.transform_images(bar.reshape(1, 784), rotation=90).reshape(28, 28)
    assert turned[10:18, 2].sum() == 8 and turned.sum() == 8  # now a bar down the left side


def test_half_pixel_shift_averages_neighbours():
    x = images(2)
    out = nn.transform_images(x, dx=0.5).reshape(2, 28, 28)
    image = x.reshape(2, 28, 28)
    np.testing.assert_allclose(out[:, :, 1:], (image[:, :, :-1] + image[:, :, 1:]) / 2, rtol=1e-6)
    np.testing.assert_allclose(out[:, :, 0], image[:, :, 0] / 2, rtol=1e-6)  # half of it comes from the zeros


@pytest.mark.parametrize(
    "amounts",
    [
        dict(rotation=17.0, scale=1.0, shear=0.0, dx=0.0, dy=0.0),
        dict(rotation=0.0, scale=1.3, shear=0.0, dx=0.0, dy=0.0),
        dict(rotation=0.0, scale=1.0, shear=0.3, dx=0.0, dy=0.0),
        dict(rotation=-8.0, scale=0.9, shear=-0.2, dx=1.7, dy=-0.6),
    ],
)
def test_matches_the_pixel_by_pixel_inverse_map(amounts):
    x = images(1, seed=2)
    out = nn.transform_images(x, **amounts).reshape(28, 28)
    np.testing.assert_allclose(out, reference(x.reshape(28, 28).astype(np.float64), **amounts), atol=2e-5)


def test_per_image_amounts_match_one_image_at_a_time():
    x = images(5, seed=3)
    rotation, scale, shear = (
        np.array([0, 10, -12, 5, 30.0]),
        np.array([1, 0.9, 1.1, 1.05, 0.95]),
        np.linspace(-0.2, 0.2, 5),
    )
    dx, dy = np.array([0, 1.5, -2, 0.25, 0]), np.array([0.5, 0, 1, -1.75, 0])
    together = nn.transform_images(x, rotation, scale, shear, dx, dy)
    for i in range(5):
        alone = nn.transform_images(x[i : i + 1], rotation[i], scale[i], shear[i], dx[i], dy[i])
        np.testing.assert_allclose(together[i : i + 1], alone, rtol=0, atol=1e-6)


def test_output_stays_in_0_1_and_the_input_is_untouched():
    x = np.ones((300, 784), np.float32)
    x[::2] = images(150)
    before = x.copy()
    rng = np.random.default_rng(4)
    out = nn.transform_images(
        x, rng.uniform(-180, 180, 300), rng.uniform(0.3, 3, 300), rng.uniform(-1, 1, 300), rng.uniform(-5, 5, 300), 0.3
    )
    assert out.min() >= 0 and out.max() <= 1
    assert out.max() == 1  # the all-white images stay white inside
    np.testing.assert_array_equal(x, before)


def test_out_may_be_the_input_itself():
    x = images(1500, seed=5)
    expected = nn.transform_images(x, rotation=7, dx=0.5)
    result = nn.transform_images(x, rotation=7, dx=0.5, out=x)
    assert result is x
    np.testing.assert_array_equal(x, expected)


@pytest.mark.parametrize(
    "x, kwargs, message",
    [
        (np.zeros((2, 783)), {}, r"shape \(n, 784\)"),
        (np.zeros(784), {}, r"shape \(n, 784\)"),
        (np.zeros((2, 784)), dict(rotation=[1, 2, 3]), "rotation must be a number or an array of 2 numbers"),
        (np.zeros((2, 784)), dict(dx="left"), "dx must be a number or an array of 2 numbers"),
        (np.zeros((2, 784)), dict(scale=0), "scale must be a positive factor"),
        (np.zeros((2, 784)), dict(shear=np.nan), "shear must be finite"),
        (np.zeros((2, 784)), dict(out=np.zeros((3, 784))), r"out must have shape \(2, 784\)"),
    ],
)
def test_transform_images_rejects_bad_arguments(x, kwargs, message):
    with pytest.raises(ValueError, match=message):
        nn.transform_images(x, **kwargs)


# -- distort_images -------------------------------------------------------------


def test_distort_images_draws_each_images_amounts_in_the_given_ranges():
    x = images(400, seed=6)
    rng = np.random.default_rng(7)
    out = nn.distort_images(x, rng, rotation=12, scale=0.15, shear=0.25, translation=1.5)
    draws = np.random.default_rng(7)
    n = len(x)
    amounts = dict(
        rotation=draws.uniform(-12, 12, n),
        scale=draws.uniform(0.85, 1.15, n),
        shear=draws.uniform(-0.25, 0.25, n),
        dx=draws.uniform(-1.5, 1.5, n),
        dy=draws.uniform(-1.5, 1.5, n),
    )
    np.testing.assert_array_equal(out, nn.transform_images(x, **amounts))
    assert len({row.tobytes() for row in out}) == n  # every image its own distortion
    assert out.min() >= 0 and out.max() <= 1


def test_distort_images_with_every_amount_zero_is_the_identity():
    x = images(20)
    np.testing.assert_array_equal(nn.distort_images(x, np.random.default_rng(0), 0, 0, 0, 0), x)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(rotation=-1), "rotation must be a number ≥ 0"),
        (dict(translation="2"), "translation must be a number ≥ 0"),
        (dict(shear=float("inf")), "shear must be a number ≥ 0"),
        (dict(scale=1.0), "scale must be below 1"),
    ],
)
def test_distort_images_rejects_bad_amounts(kwargs, message):
    with pytest.raises(ValueError, match=message):
        nn.distort_images(images(2), np.random.default_rng(0), **kwargs)


# -- train(..., distort=...) --------------------------------------------------


def gradient_step(net, x, y, eta):
    grad_w, grad_b = net.backprop(x, nn.one_hot(y, net.sizes[-1], net.dtype))
    net.weights = [W - eta * g for W, g in zip(net.weights, grad_w)]
    net.biases = [b - eta * g for b, g in zip(net.biases, grad_b)]


@pytest.mark.parametrize("shift", [0, 1])
def test_train_with_distort_steps_on_fresh_distortions_each_epoch(shift):
    """The images each epoch's steps see are shift_images (if shift) then distort_images, drawn anew every epoch."""
    sizes, eta = [784, 3, 2], 0.5
    x, y = images(6, seed=8).astype(np.float64), np.arange(6) % 2
    amounts = dict(rotation=15, translation=1)
    net = nn.Network(sizes, seed=5, dtype=np.float64)
    expected = nn.Network(sizes, seed=5, dtype=np.float64)
    rng = copy.deepcopy(net.rng)
    seen = []
    for _ in range(3):
        epoch_images = nn.shift_images(x, shift, rng) if shift else x
        epoch_images = nn.distort_images(epoch_images, rng, **amounts)  # drawn first in each epoch, then the order
        seen.append(epoch_images)
        order = rng.permutation(len(x))
        gradient_step(expected, epoch_images[order], y[order], eta)
    net.train(x, y, 3, len(x), eta, progress=False, shift=shift, distort=amounts)
    for p, e in zip(net.weights + net.biases, expected.weights + expected.biases):
        np.testing.assert_allclose(p, e, rtol=1e-13, atol=0)
    assert not np.array_equal(seen[0], seen[1]) and not np.array_equal(seen[1], seen[2])


def test_distort_true_uses_distort_images_defaults():
    x, y = images(6, seed=9), np.arange(6) % 2
    a, b = nn.Network([784, 3, 2], seed=1), nn.Network([784, 3, 2], seed=1)
    a.train(x, y, 2, 3, 0.5, progress=False, distort=True)
    b.train(x, y, 2, 3, 0.5, progress=False, distort=dict(rotation=10.0, scale=0.1, shear=0.2, translation=2.0))
    for p, q in zip(a.weights + a.biases, b.weights + b.biases):
        np.testing.assert_array_equal(p, q)


@pytest.mark.parametrize("off", [None, False])
def test_distort_off_is_plain_training_bit_for_bit(off):
    x, y = images(10, seed=10), np.arange(10) % 3
    a, b = nn.Network([784, 4, 3], seed=2), nn.Network([784, 4, 3], seed=2)
    a.train(x, y, 3, 4, 0.7, progress=False, momentum=0.5)
    b.train(x, y, 3, 4, 0.7, progress=False, momentum=0.5, distort=off)
    for p, q in zip(a.weights + a.biases, b.weights + b.biases):
        np.testing.assert_array_equal(p, q)
    assert a.rng.bit_generator.state == b.rng.bit_generator.state


@pytest.mark.parametrize(
    "distort, message",
    [
        ("yes", "distort must be None .*, True .* or a dict"),
        (1, "distort must be None .*, True .* or a dict"),
        (dict(rotate=5), r"distort has unknown amounts \['rotate'\]"),
        (dict(rotation=-5), "rotation must be a number ≥ 0"),
        (dict(scale=1.2), "scale must be below 1"),
    ],
)
def test_bad_distort_is_rejected_before_training_and_nothing_changes(distort, message):
    x, y = images(6), np.arange(6) % 3
    network = nn.Network([784, 5, 3], seed=0)
    before = [p.copy() for p in network.weights + network.biases]
    state = network.rng.bit_generator.state
    with pytest.raises(ValueError, match=message):
        network.train(x, y, 1, 2, 0.1, progress=False, distort=distort)
    assert all(np.array_equal(p, q) for p, q in zip(network.weights + network.biases, before))
    assert network.rng.bit_generator.state == state


def test_distort_needs_28_by_28_images():
    with pytest.raises(ValueError, match="distort transforms 28×28 images, so x must have 784 columns; it has 10"):
        nn.Network([10, 4, 3], seed=0).train(
            images(6)[:, :10], np.arange(6) % 3, 1, 2, 0.1, progress=False, distort=True
        )


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
