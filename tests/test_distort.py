"""Tests of augmentation.py: shifts, random distortions, thicker or thinner strokes, and the augment functions.

transform_images is checked against moves whose result is known exactly
(whole-pixel shifts by slicing, quarter turns by np.rot90) and against a
slow reference written here pixel by pixel from the inverse map and
bilinear interpolation. How Network.train uses ``augment`` is tested in
tests/test_cures.py.
"""

import numpy as np
import pytest

import augmentation


def images(n, seed=0):
    """n images (n, 784) of random pixels in (0, 1]: every pixel differs from the zeros moved in."""
    return (np.random.default_rng(seed).random((n, 784)) * 0.9 + 0.1).astype(np.float32)


def moved(image, dy, dx):
    """The 28×28 image moved dy rows down and dx columns right, zeros moved in: by padding and slicing."""
    framed = np.pad(image, 28)
    return framed[28 - dy : 56 - dy, 28 - dx : 56 - dx]


def reference(image, rotation, scale, shear, dx, dy, fields=None):
    """transform_images for one image, one pixel at a time, straight from the inverse map and bilinear interpolation.

    ``fields`` (2, 28, 28), if given, is added to the point each pixel comes from (tests/test_elastic.py).
    """
    t = np.radians(rotation)
    forward = np.array([[np.cos(t), np.sin(t)], [-np.sin(t), np.cos(t)]]) @ np.array([[1, shear], [0, 1]]) * scale
    inverse = np.linalg.inv(forward)

    def pixel(r, c):
        return image[r, c] if 0 <= r < 28 and 0 <= c < 28 else 0.0

    out = np.zeros((28, 28))
    for r in range(28):
        for c in range(28):
            x, y = inverse @ np.array([c - 13.5 - dx, r - 13.5 - dy]) + 13.5  # where this output pixel comes from
            if fields is not None:
                x, y = x + fields[0, r, c], y + fields[1, r, c]
            c0, r0 = int(np.floor(x)), int(np.floor(y))
            fx, fy = x - c0, y - r0
            top = (1 - fx) * pixel(r0, c0) + fx * pixel(r0, c0 + 1)
            bottom = (1 - fx) * pixel(r0 + 1, c0) + fx * pixel(r0 + 1, c0 + 1)
            out[r, c] = (1 - fy) * top + fy * bottom
    return out


# -- transform_images ----------------------------------------------------------


def test_neutral_amounts_are_the_identity():
    x = images(50)
    np.testing.assert_array_equal(augmentation.transform_images(x), x)
    np.testing.assert_array_equal(augmentation.transform_images(x, rotation=0, scale=1, shear=0, dx=0, dy=0), x)
    np.testing.assert_array_equal(augmentation.transform_images(x, rotation=360), x)


@pytest.mark.parametrize("dy, dx", [(0, 1), (1, 0), (-2, 3), (5, -4), (27, 0), (0, -28)])
def test_whole_pixel_shifts_are_exact(dy, dx):
    x = images(3)
    shifted = augmentation.transform_images(x, dx=dx, dy=dy).reshape(3, 28, 28)
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
    result = augmentation.transform_images(dot.reshape(n, 784), dx=dx, dy=dy, out=out)
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
    turned = augmentation.transform_images(x, rotation=rotation).reshape(4, 28, 28)
    np.testing.assert_array_equal(turned, np.rot90(x.reshape(4, 28, 28), turns, axes=(1, 2)))


def test_a_letter_turned_a_quarter_anticlockwise_has_its_top_on_the_left():
    bar = np.zeros((1, 28, 28), np.float32)
    bar[0, 2, 10:18] = 1  # a bar along the top
    turned = augmentation.transform_images(bar.reshape(1, 784), rotation=90).reshape(28, 28)
    assert turned[10:18, 2].sum() == 8 and turned.sum() == 8  # now a bar down the left side


def test_half_pixel_shift_averages_neighbours():
    x = images(2)
    out = augmentation.transform_images(x, dx=0.5).reshape(2, 28, 28)
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
    out = augmentation.transform_images(x, **amounts).reshape(28, 28)
    np.testing.assert_allclose(out, reference(x.reshape(28, 28).astype(np.float64), **amounts), atol=2e-5)


def test_per_image_amounts_match_one_image_at_a_time():
    x = images(5, seed=3)
    rotation, scale, shear = (
        np.array([0, 10, -12, 5, 30.0]),
        np.array([1, 0.9, 1.1, 1.05, 0.95]),
        np.linspace(-0.2, 0.2, 5),
    )
    dx, dy = np.array([0, 1.5, -2, 0.25, 0]), np.array([0.5, 0, 1, -1.75, 0])
    together = augmentation.transform_images(x, rotation, scale, shear, dx, dy)
    for i in range(5):
        alone = augmentation.transform_images(x[i : i + 1], rotation[i], scale[i], shear[i], dx[i], dy[i])
        np.testing.assert_allclose(together[i : i + 1], alone, rtol=0, atol=1e-6)


def test_output_stays_in_0_1_and_the_input_is_untouched():
    x = np.ones((300, 784), np.float32)
    x[::2] = images(150)
    before = x.copy()
    rng = np.random.default_rng(4)
    out = augmentation.transform_images(
        x, rng.uniform(-180, 180, 300), rng.uniform(0.3, 3, 300), rng.uniform(-1, 1, 300), rng.uniform(-5, 5, 300), 0.3
    )
    assert out.min() >= 0 and out.max() <= 1
    assert out.max() == 1  # the all-white images stay white inside
    np.testing.assert_array_equal(x, before)


def test_out_may_be_the_input_itself():
    x = images(1500, seed=5)
    expected = augmentation.transform_images(x, rotation=7, dx=0.5)
    result = augmentation.transform_images(x, rotation=7, dx=0.5, out=x)
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
        augmentation.transform_images(x, **kwargs)


# -- distort_images -------------------------------------------------------------


def replayed_draws(draws, n):
    """The amounts distort_images(rotation=12, scale=0.15, shear=0.25, translation=1.5) draws, in its order."""
    return dict(
        rotation=draws.uniform(-12, 12, n),
        scale=draws.uniform(0.85, 1.15, n),
        shear=draws.uniform(-0.25, 0.25, n),
        dx=draws.uniform(-1.5, 1.5, n),
        dy=draws.uniform(-1.5, 1.5, n),
    )


def test_distort_images_draws_each_images_amounts_in_the_given_ranges():
    x = images(400, seed=6)
    rng = np.random.default_rng(7)
    out = augmentation.distort_images(x, rng, rotation=12, scale=0.15, shear=0.25, translation=1.5)
    n = len(x)
    amounts = replayed_draws(np.random.default_rng(7), n)
    np.testing.assert_array_equal(out, augmentation.transform_images(x, **amounts))
    assert len({row.tobytes() for row in out}) == n  # every image its own distortion
    assert out.min() >= 0 and out.max() <= 1


def test_distort_images_with_every_amount_zero_is_the_identity():
    x = images(20)
    np.testing.assert_array_equal(augmentation.distort_images(x, np.random.default_rng(0), 0, 0, 0, 0), x)


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
        augmentation.distort_images(images(2), np.random.default_rng(0), **kwargs)


def neighbourhood(image, pick):
    """Each pixel's brightest (pick=max) or darkest (min) 3×3 neighbour, zeros beyond the edge: pixel by pixel."""
    framed = np.pad(image, 1)
    return np.array([[pick(framed[r : r + 3, c : c + 3]) for c in range(28)] for r in range(28)])


@pytest.mark.parametrize("thicker, pick", [(True, np.max), (False, np.min)])
def test_thicken_strokes_moves_each_pixel_halfway_to_its_brightest_or_darkest_neighbour(thicker, pick):
    x = images(300, seed=8)  # more than one chunk of 256
    x[0] = 0
    x[0, 5 * 28 + 7] = 1.0  # a single dot: thicker a 3×3 square at half strength, thinner a dot at half
    which = np.array([0, 3, 299, 257])
    out = augmentation.thicken_strokes(x.copy(), which, thicker=thicker)
    for i in range(300):
        expected = (x[i].reshape(28, 28) + neighbourhood(x[i].reshape(28, 28), pick)) / 2 if i in which else x[i]
        np.testing.assert_allclose(out[i].reshape(28, 28), np.reshape(expected, (28, 28)), atol=1e-7)
    dot = out[0].reshape(28, 28)
    assert (dot[4:7, 6:9] >= 0.5).all() if thicker else dot.max() == 0.5 and dot.sum() == 0.5


def test_distort_images_thickness_changes_that_share_of_the_images_half_thicker_half_thinner():
    x = images(2000, seed=9)
    out = augmentation.distort_images(x, np.random.default_rng(3), 0, 0, 0, 0, thickness=0.5)
    thicker = augmentation.thicken_strokes(x.copy(), np.arange(2000), thicker=True)
    thinner = augmentation.thicken_strokes(x.copy(), np.arange(2000), thicker=False)
    kinds = np.array([0 if (o == a).all() else 1 if (o == b).all() else 2 if (o == c).all() else 3
                      for o, a, b, c in zip(out, x, thicker, thinner)])  # fmt: skip
    counts = np.bincount(kinds, minlength=4)
    assert counts[3] == 0 and abs(counts[0] - 1000) < 100 and abs(counts[1] - 500) < 80 and abs(counts[2] - 500) < 80
    assert out.min() >= 0 and out.max() <= 1


def test_distort_images_thickness_zero_draws_the_same_distortions_as_before():
    x = images(50)
    np.testing.assert_array_equal(
        augmentation.distort_images(x, np.random.default_rng(4), thickness=0.0),
        augmentation.distort_images(x, np.random.default_rng(4)),
    )
    with pytest.raises(ValueError, match="thickness must be a share"):
        augmentation.distort_images(x, np.random.default_rng(4), thickness=1.5)


def test_dilate_works_on_one_image_as_on_a_batch():
    rng = np.random.default_rng(0)
    batch = rng.random((3, 5, 7))
    np.testing.assert_array_equal(augmentation.dilate(batch), np.stack([augmentation.dilate(image) for image in batch]))


# -- shift_images -----------------------------------------------------------------


class KnownDraws:
    """Stands in for a generator: integers() hands out the given draws, and records what was asked."""

    def __init__(self, *draws):
        self.draws, self.asked = list(draws), []

    def integers(self, low, high, size):
        self.asked.append((low, high, size))
        return np.array(self.draws.pop(0))


def test_shift_images_moves_each_image_and_lets_zeros_in():
    images = np.arange(1, 3 * 784 + 1, dtype=np.float32).reshape(3, 28, 28)  # every pixel different, none 0
    draws = KnownDraws([1, -2, 0], [0, 1, -2])  # dy for each image, then dx
    shifted = augmentation.shift_images(images.reshape(3, 784), 2, draws).reshape(3, 28, 28)
    assert draws.asked == [(-2, 3, 3), (-2, 3, 3)]  # whole pixels in [−2, 2], drawn per image
    # Image 0 moves down 1 row: a row of zeros comes in at the top.
    np.testing.assert_array_equal(shifted[0, 0], np.zeros(28))
    np.testing.assert_array_equal(shifted[0, 1:], images[0, :-1])
    # Image 1 moves up 2 rows and right 1 column.
    np.testing.assert_array_equal(shifted[1, :26, 1:], images[1, 2:, :27])
    np.testing.assert_array_equal(shifted[1, 26:], np.zeros((2, 28)))
    np.testing.assert_array_equal(shifted[1, :, 0], np.zeros(28))
    assert shifted[1, 0, 1] == images[1, 2, 0]
    # Image 2 moves left 2 columns.
    np.testing.assert_array_equal(shifted[2, :, :26], images[2, :, 2:])
    np.testing.assert_array_equal(shifted[2, :, 26:], np.zeros((28, 2)))
    # Nothing else is zero, and the input is untouched.
    assert [int(np.sum(s == 0)) for s in shifted] == [28, 2 * 28 + 28 - 2, 2 * 28]
    assert images.min() == 1


def test_shift_images_moves_every_image_by_its_own_draw():
    """2,500 images, more than one chunk of 1,024: each lit pixel lands where its image's draw says."""
    dot = np.zeros((2500, 28, 28), np.float32)
    dot[:, 14, 14] = 1  # one lit pixel: where it lands tells the shift
    out = np.full((2500, 784), np.nan, np.float32)
    shifted = augmentation.shift_images(dot.reshape(2500, 784), 2, np.random.default_rng(0), out=out)
    assert shifted is out
    draws = np.random.default_rng(0)
    dy, dx = draws.integers(-2, 3, 2500), draws.integers(-2, 3, 2500)
    rows, cols = np.divmod(np.argmax(shifted, axis=1), 28)
    assert np.all(shifted.sum(axis=1) == 1)  # every image written, and the pixel never falls off with shift 2
    np.testing.assert_array_equal(rows - 14, dy)
    np.testing.assert_array_equal(cols - 14, dx)
    assert set(zip(dy, dx)) == {(a, b) for a in range(-2, 3) for b in range(-2, 3)}


@pytest.mark.parametrize("x", [np.zeros((3, 783)), np.zeros(784), np.zeros((2, 28, 28))])
def test_shift_images_needs_28_by_28_images_as_rows(x):
    with pytest.raises(ValueError, match=r"shift_images moves 28×28 images, so x must have shape \(n, 784\)"):
        augmentation.shift_images(x, 1, np.random.default_rng(0))


# -- random_shifts and random_distortions: what train's augment calls each epoch ------------


def test_random_shifts_writes_shift_images_into_out():
    x, out = images(30), np.full((30, 784), np.nan, np.float32)
    result = augmentation.random_shifts(2)(x, np.random.default_rng(5), out)
    assert result is out
    np.testing.assert_array_equal(out, augmentation.shift_images(x, 2, np.random.default_rng(5)))
    assert not np.array_equal(out, x)  # the images did move


@pytest.mark.parametrize("shift", [0, -1, 28, 1.5, 2.0, True, "2", None])
def test_random_shifts_rejects_anything_but_a_whole_number_of_pixels_from_1_to_27(shift):
    with pytest.raises(ValueError, match="shift must be a whole number of pixels from 1 to 27"):
        augmentation.random_shifts(shift)


@pytest.mark.parametrize("amounts", [{}, dict(rotation=15, translation=1), dict(scale=0, shear=0.3, thickness=0.5)])
def test_random_distortions_writes_distort_images_into_out(amounts):
    x, out = images(30), np.full((30, 784), np.nan, np.float32)
    result = augmentation.random_distortions(**amounts)(x, np.random.default_rng(5), out)
    assert result is out
    np.testing.assert_array_equal(out, augmentation.distort_images(x, np.random.default_rng(5), **amounts))
    assert not np.array_equal(out, x)  # the images were distorted


def test_random_distortions_without_amounts_uses_distort_images_defaults():
    x, out = images(20), np.empty((20, 784), np.float32)
    defaults = dict(rotation=10.0, scale=0.1, shear=0.2, translation=2.0, thickness=0.0)
    augmentation.random_distortions()(x, np.random.default_rng(1), out)
    np.testing.assert_array_equal(
        out, augmentation.random_distortions(**defaults)(x, np.random.default_rng(1), x.copy())
    )
    other = augmentation.random_distortions(**dict(defaults, rotation=5.0))(x, np.random.default_rng(1), x.copy())
    assert not np.array_equal(out, other)  # the comparison can fail


@pytest.mark.parametrize(
    "amounts, error, message",
    [
        (dict(rotation=-5), ValueError, "rotation must be a number ≥ 0"),
        (dict(scale=1.2), ValueError, "scale must be below 1"),
        (dict(translation="2"), ValueError, "translation must be a number ≥ 0"),
        (dict(thickness=1.5), ValueError, "thickness must be a share"),
        (dict(rotate=5), TypeError, "rotate"),
    ],
)
def test_random_distortions_rejects_bad_amounts_at_once(amounts, error, message):
    """At once, not at the start of the first epoch: before any training."""
    with pytest.raises(error, match=message):
        augmentation.random_distortions(**amounts)
