"""Tests of augmentation.py's elastic distortions (Simard, Steinkraus and Platt, 2003).

The Gaussian smoothing is checked against a 2-D Gaussian written out here
and against the spread it must give random draws; the bending against
fields whose result is known (none, a uniform half-pixel move) and against
the pixel-by-pixel inverse map of tests/test_distort.py; distort_images'
bank of fields against the fields it says each image takes.
"""

import numpy as np
import pytest
from real_letters import real_inputs
from test_distort import images, reference, replayed_draws

import augmentation
from nn_helpers import Network

# -- the Gaussian and the fields ------------------------------------------------------


@pytest.mark.parametrize("sigma", [1.0, 2.5, 4.0, 6.0, 10.0])
def test_gaussian_kernel_sums_to_1_is_symmetric_and_has_width_sigma(sigma):
    weights = augmentation.gaussian_kernel(sigma)
    radius = len(weights) // 2
    offsets = np.arange(-radius, radius + 1)
    assert radius == int(np.ceil(3 * sigma)) and weights.sum() == pytest.approx(1)
    np.testing.assert_array_equal(weights, weights[::-1])
    assert np.sqrt(np.sum(weights * offsets**2)) == pytest.approx(sigma, rel=0.02)  # its standard deviation


def test_gaussian_smooth_of_a_unit_impulse_is_the_2d_gaussian_and_sums_to_1():
    sigma, radius = 3.0, 9
    impulse = np.zeros((41, 41), np.float32)
    impulse[20, 20] = 1
    smoothed = augmentation.gaussian_smooth(impulse, sigma)
    assert smoothed.shape == (41 - 2 * radius, 41 - 2 * radius)  # where the whole Gaussian fits
    i = np.arange(-11, 12)
    gaussian = np.exp(-(i[:, None] ** 2 + i[None, :] ** 2) / (2 * sigma**2))
    gaussian[np.maximum(abs(i[:, None]), abs(i[None, :])) > radius] = 0  # beyond the kernel's radius
    np.testing.assert_allclose(smoothed, gaussian / gaussian.sum(), atol=1e-7)
    assert smoothed.sum() == pytest.approx(1, abs=1e-6)


def test_gaussian_smooth_works_on_many_arrays_at_once():
    rng = np.random.default_rng(0)
    stack = rng.random((3, 2, 30, 34))
    together = augmentation.gaussian_smooth(stack, 1.0)
    assert together.shape == (3, 2, 24, 28)  # radius 3
    np.testing.assert_allclose(together[2, 1], augmentation.gaussian_smooth(stack[2, 1], 1.0), rtol=1e-6)


@pytest.mark.parametrize("sigma, alpha", [(2.0, 1.0), (4.0, 34.0), (6.0, 20.0)])
def test_the_fields_spread_is_alpha_times_the_draws_spread_shrunk_by_the_gaussian(sigma, alpha):
    """A weighted mean of independent draws of spread 1/√3 has spread (1/√3)·√(Σ w²); in 2-D, Σ w² is (Σ g²)²."""
    fields = augmentation.elastic_fields(2000, sigma, alpha, np.random.default_rng(1))
    assert fields.shape == (2000, 2, 28, 28) and fields.dtype == np.float32
    expected = alpha / np.sqrt(3) * np.sum(augmentation.gaussian_kernel(sigma) ** 2)
    assert fields.std() == pytest.approx(expected, rel=0.03)
    edge, middle = fields[:, :, [0, 27]].std(), fields[:, :, 10:18, 10:18].std()
    assert edge == pytest.approx(middle, rel=0.05)  # as strong at the edges as in the middle
    assert abs(fields.mean()) < 0.05 * expected


def test_a_wider_gaussian_gives_smoother_fields():
    """Neighbouring displacements, against the field's spread: far apart in raw draws, close for a wide σ."""

    def roughness(sigma):
        fields = augmentation.elastic_fields(500, sigma, 1.0, np.random.default_rng(2))
        steps = np.concatenate([np.diff(fields, axis=2).ravel(), np.diff(fields, axis=3).ravel()])
        return np.mean(np.abs(steps)) / fields.std()

    raw, narrow, wide = roughness(1e-3), roughness(2.0), roughness(8.0)
    assert raw == pytest.approx(2 / 3 * np.sqrt(3), rel=0.02)  # uniform draws: E|u − v| = 2/3, spread 1/√3
    assert wide < narrow < 0.3 * raw and wide < 0.1 * raw


def test_a_tiny_sigma_leaves_the_raw_draws_times_alpha():
    fields = augmentation.elastic_fields(10, 1e-3, 2.0, np.random.default_rng(3))
    draws = np.random.default_rng(3).random((10, 2, 30, 30), dtype=np.float32) * 2 - 1
    np.testing.assert_allclose(fields, 2 * draws[:, :, 1:-1, 1:-1], atol=1e-6)


def test_the_same_seed_gives_the_same_fields():
    first = augmentation.elastic_fields(5, 4.0, 20.0, np.random.default_rng(4))
    np.testing.assert_array_equal(first, augmentation.elastic_fields(5, 4.0, 20.0, np.random.default_rng(4)))
    assert not np.array_equal(first, augmentation.elastic_fields(5, 4.0, 20.0, np.random.default_rng(5)))


# -- bending images: transform_images(fields=...) and distort_images(elastic=...) --------


def test_no_displacement_gives_the_image_back():
    x = images(30)
    fields = augmentation.elastic_fields(30, 1e-3, 0.0, np.random.default_rng(0))
    np.testing.assert_array_equal(augmentation.transform_images(x, fields=fields), x)
    nothing = augmentation.distort_images(x, np.random.default_rng(0), 0, 0, 0, 0, elastic=dict(sigma=1e-3, alpha=0))
    np.testing.assert_array_equal(nothing, x)


def test_a_uniform_field_moves_the_image_as_dx_and_dy_do():
    x = images(4)
    fields = np.zeros((4, 2, 28, 28), np.float32)
    fields[:, 0], fields[:, 1] = -0.5, 1.0  # each pixel comes from half a pixel left and one below
    np.testing.assert_allclose(
        augmentation.transform_images(x, fields=fields), augmentation.transform_images(x, dx=0.5, dy=-1), atol=1e-7
    )


def test_fields_on_top_of_an_affine_map_match_the_pixel_by_pixel_reference():
    x = images(1, seed=2)
    amounts = dict(rotation=-8.0, scale=0.9, shear=-0.2, dx=1.7, dy=-0.6)
    fields = augmentation.elastic_fields(1, 3.0, 15.0, np.random.default_rng(6))
    out = augmentation.transform_images(x, **amounts, fields=fields).reshape(28, 28)
    expected = reference(x.reshape(28, 28).astype(np.float64), **amounts, fields=fields[0].astype(np.float64))
    np.testing.assert_allclose(out, expected, atol=2e-5)
    assert np.abs(out - augmentation.transform_images(x, **amounts).reshape(28, 28)).max() > 0.1  # they bend it


def test_distorted_real_letters_keep_their_ink_roughly():
    """Real EMNIST letters a–m: the bend moves ink about, so the sum of the pixels changes little."""
    x, _ = real_inputs("train")
    x = x[:500]
    ink = x.sum(axis=1)

    def kept(sigma, alpha):
        fields = augmentation.elastic_fields(len(x), sigma, alpha, np.random.default_rng(7))
        return augmentation.transform_images(x, fields=fields).sum(axis=1) / ink

    gentle, simard, torn = kept(4.0, 15.0), kept(4.0, 34.0), kept(4.0, 300.0)
    assert np.mean(np.abs(gentle - 1) < 0.15) > 0.95 and abs(gentle.mean() - 1) < 0.03
    assert abs(simard.mean() - 1) < 0.03  # Simard's σ = 4, α = 34: letter by letter it varies more
    assert torn.mean() < 0.7  # far too strong: ink pushed out of the image and smeared


def test_distort_images_with_elastic_is_the_affine_map_and_each_images_own_field_in_one_interpolation():
    """Up to 1,024 images: the draws of distort_images, then one field per image, as transform_images."""
    x = images(300, seed=8)  # more than one chunk
    amounts = dict(rotation=12, scale=0.15, shear=0.25, translation=1.5)
    out = augmentation.distort_images(x, np.random.default_rng(9), **amounts, elastic=dict(sigma=4.0, alpha=20.0))
    draws, n = np.random.default_rng(9), len(x)
    affine = replayed_draws(draws, n)
    fields = augmentation.elastic_fields(n, 4.0, 20.0, draws)
    np.testing.assert_array_equal(out, augmentation.transform_images(x, **affine, fields=fields))


def test_more_than_1024_images_take_runs_of_neighbouring_fields_from_one_bank():
    n = 3000  # 12 chunks of 256 (the last of 184) from a bank of 1,024 fields
    x = images(n, seed=10)
    out = augmentation.distort_images(x, np.random.default_rng(11), 0, 0, 0, 0, elastic=dict(sigma=5.0, alpha=25.0))
    draws = np.random.default_rng(11)
    for _ in range(5):
        draws.uniform(0, 0, n)  # the affine amounts, all 0
    bank = augmentation.elastic_fields(1024, 5.0, 25.0, draws)
    places = draws.integers(0, 1024 - 256 + 1, 12)
    assert len(set(places)) > 6  # the runs start in different places
    fields = np.concatenate([bank[place : place + 256] for place in places])[:n]
    np.testing.assert_array_equal(out, augmentation.transform_images(x, fields=fields))


def test_distort_images_with_elastic_writes_into_out_which_may_be_the_input():
    x = images(1500, seed=12)
    elastic = dict(sigma=4.0, alpha=20.0)
    expected = augmentation.distort_images(x, np.random.default_rng(13), elastic=elastic)
    out = np.full_like(x, np.nan)
    assert augmentation.distort_images(x, np.random.default_rng(13), elastic=elastic, out=out) is out
    np.testing.assert_array_equal(out, expected)
    assert augmentation.distort_images(x, np.random.default_rng(13), elastic=elastic, out=x) is x
    np.testing.assert_array_equal(x, expected)
    assert expected.min() >= 0 and expected.max() <= 1


# -- random_elastic: what train's augment calls each epoch ---------------------------


@pytest.mark.parametrize("amounts", [{}, dict(rotation=0, scale=0, shear=0, translation=0), dict(thickness=0.5)])
def test_random_elastic_is_distort_images_with_elastic_on_top_of_the_affine_amounts(amounts):
    x, out = images(40), np.full((40, 784), np.nan, np.float32)
    assert augmentation.random_elastic(5.0, 30.0, **amounts)(x, np.random.default_rng(14), out) is out
    elastic = dict(sigma=5.0, alpha=30.0)
    np.testing.assert_array_equal(
        out, augmentation.distort_images(x, np.random.default_rng(14), **amounts, elastic=elastic)
    )
    affine_only = augmentation.distort_images(x, np.random.default_rng(14), **amounts)
    assert np.abs(out - affine_only).max() > 0.1  # the elastic bend is there


def test_network_trains_with_random_elastic():
    x, y = real_inputs("train")
    x, y = x[:400], y[:400]
    net = Network([784, 20, 26], seed=0, cost="cross_entropy")
    seen = []

    def augment(x, rng, out):  # random_elastic, recording what each epoch trains on
        seen.append(augmentation.random_elastic(4.0, 20.0, rotation=5)(x, rng, out).copy())
        return out

    history = net.train(x, y, 3, 32, 0.5, progress=False, augment=augment)
    assert len(seen) == 3 and not np.array_equal(seen[0], seen[1]) and not np.array_equal(seen[0], x)
    assert history["train_accuracy"][-1] > 0.2  # it learned: 13 letters, chance is 1/13
    history = Network([784, 20, 26], seed=0).train(
        x, y, 1, 32, 0.5, progress=False, augment=augmentation.random_elastic()
    )
    assert len(history["train_cost"]) == 1


@pytest.mark.parametrize(
    "sigma, alpha, message",
    [
        (0, 20.0, "sigma must be a number above 0"),
        (-1.0, 20.0, "sigma must be a number above 0"),
        (float("nan"), 20.0, "sigma must be a number above 0"),
        (float("inf"), 20.0, "sigma must be a number above 0"),
        (11.0, 20.0, "sigma must be a number above 0 and at most 10"),
        ("4", 20.0, "sigma must be a number"),
        (True, 20.0, "sigma must be a number"),
        (None, 20.0, "sigma must be a number"),
        (4.0, -1.0, "alpha must be a finite number ≥ 0"),
        (4.0, float("nan"), "alpha must be a finite number ≥ 0"),
        (4.0, float("inf"), "alpha must be a finite number ≥ 0"),
        (4.0, "34", "alpha must be a finite number ≥ 0"),
        (4.0, False, "alpha must be a finite number ≥ 0"),
    ],
)
def test_bad_sigma_and_alpha_get_an_error_that_names_them(sigma, alpha, message):
    with pytest.raises(ValueError, match=message):
        augmentation.elastic_fields(3, sigma, alpha, np.random.default_rng(0))
    with pytest.raises(ValueError, match=message):
        augmentation.distort_images(images(2), np.random.default_rng(0), elastic=dict(sigma=sigma, alpha=alpha))
    with pytest.raises(ValueError, match=message):
        augmentation.random_elastic(sigma, alpha)  # at once, before any training


@pytest.mark.parametrize("elastic", [True, dict(sigma=4.0), dict(sigma=4.0, alpha=20.0, beta=1), (4.0, 20.0)])
def test_distort_images_wants_elastic_as_a_dict_of_sigma_and_alpha(elastic):
    with pytest.raises(ValueError, match=r"elastic must be None \(off\) or dict\(sigma=..., alpha=...\)"):
        augmentation.distort_images(images(2), np.random.default_rng(0), elastic=elastic)


@pytest.mark.parametrize("fields", [np.zeros((2, 2, 28)), np.zeros((3, 2, 28, 28)), np.full((2, 2, 28, 28), np.nan)])
def test_transform_images_wants_one_finite_pair_of_fields_per_image(fields):
    with pytest.raises(ValueError, match=r"fields must be finite displacements in pixels, shape \(2, 2, 28, 28\)"):
        augmentation.transform_images(images(2), fields=fields)


def test_elastic_fields_wants_a_whole_number_of_fields():
    with pytest.raises(ValueError, match="n must be a whole number of fields"):
        augmentation.elastic_fields(2.5, 4.0, 20.0, np.random.default_rng(0))
