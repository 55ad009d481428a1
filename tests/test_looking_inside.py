"""Tests of looking_inside.py: the input gradient, saliency, the adversarial nudge, distortions, saturation and PCA."""

import numpy as np
import pytest

import looking_inside
import nn_helpers as nn


def tiny_case(cost, dtype, seed=0, n=3):
    rng = np.random.default_rng(seed)
    net = nn.Network([784, 6, 5], seed=seed, dtype=dtype, cost=cost)
    x = rng.random((n, 784)).astype(dtype)
    return net, x, nn.one_hot(rng.integers(0, 5, n), 5, dtype)


# -- the input gradient -----------------------------------------------------


@pytest.mark.parametrize("cost", ["mse", "cross_entropy"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_input_gradient_matches_central_differences(cost, dtype):
    net, x, y = tiny_case(cost, dtype)
    assert looking_inside.input_gradient_check(net, x, y) < nn.GRADIENT_CHECK_TOLERANCE
    # the network's own gradient, in its own precision, has the shape and dtype of x and the same values
    g = looking_inside.input_gradient(net, x, y)
    assert g.shape == x.shape and g.dtype == dtype
    numeric = looking_inside.numerical_input_gradient(net, x, y)
    np.testing.assert_allclose(g, numeric, rtol=1e-3 if dtype == np.float32 else 1e-6, atol=1e-9)


def test_central_differences_catch_a_sigma_prime_at_the_input():
    # the classic slip: treating the pixels as neurons, δ⁰ = (δ¹W¹) ⊙ σ'(x)
    net, x, y = tiny_case("mse", np.float64)
    wrong = looking_inside.input_gradient(net, x, y) * (x * (1 - x))
    numeric = looking_inside.numerical_input_gradient(net, x, y)
    assert np.linalg.norm(wrong - numeric) / (np.linalg.norm(wrong) + np.linalg.norm(numeric)) > 0.1


def test_input_gradient_rejects_labels_that_are_not_one_hot():
    net, x, _ = tiny_case("mse", np.float32)
    with pytest.raises(ValueError, match="one-hot with shape"):
        looking_inside.input_gradient(net, x, np.array([0, 1, 2]))


def test_saliency_is_the_slope_of_the_predicted_output():
    net, x, _ = tiny_case("mse", np.float64, n=2)
    k = net.predict(x)
    numeric = np.zeros_like(x)
    for i, j in np.ndindex(x.shape):
        plus, minus = x.copy(), x.copy()
        plus[i, j] += 1e-5
        minus[i, j] -= 1e-5
        numeric[i, j] = (net.feedforward(plus)[i, k[i]] - net.feedforward(minus)[i, k[i]]) / 2e-5
    np.testing.assert_allclose(looking_inside.saliency(net, x), np.abs(numeric), rtol=1e-5, atol=1e-12)


# -- the adversarial nudge --------------------------------------------------


def test_fgsm_with_epsilon_zero_changes_nothing():
    net, x, y = tiny_case("cross_entropy", np.float32)
    np.testing.assert_array_equal(looking_inside.fgsm(net, x, y.argmax(axis=1), 0.0), x)


@pytest.mark.parametrize("cost", ["mse", "cross_entropy"])
def test_the_nudge_follows_the_sign_of_the_gradient(cost):
    net, x, y = tiny_case(cost, np.float64)
    x = 0.2 + 0.6 * x  # away from 0 and 1, so no pixel is clipped
    nudged = looking_inside.fgsm(net, x, y.argmax(axis=1), 0.1)
    gradient = looking_inside.input_gradient(net, x, y)
    np.testing.assert_allclose(nudged - x, 0.1 * np.sign(gradient), atol=1e-12)
    assert np.count_nonzero(gradient) > 0.9 * gradient.size
    assert nn.COSTS[cost](net.feedforward(nudged), y) > nn.COSTS[cost](net.feedforward(x), y)


def test_fgsm_stays_in_the_pixel_range():
    net, x, y = tiny_case("mse", np.float32)
    nudged = looking_inside.fgsm(net, x, y.argmax(axis=1), 0.5)
    assert nudged.min() >= 0 and nudged.max() <= 1 and nudged.dtype == np.float32


def test_fgsm_rejects_a_negative_epsilon():
    net, x, y = tiny_case("mse", np.float32)
    with pytest.raises(ValueError, match="a number ≥ 0"):
        looking_inside.fgsm(net, x, y.argmax(axis=1), -0.1)


# -- distortions and robustness curves --------------------------------------


def test_thicker_and_thinner_strokes():
    image = np.zeros((28, 28), np.float32)
    image[10:18, 13:15] = 1.0  # a vertical bar, 2 pixels wide
    batch = np.stack([image, image.T]).reshape(2, 784)
    thicker = looking_inside.change_thickness(batch, 1).reshape(2, 28, 28)
    assert thicker[0, 9:19, 12:16].min() == 1 and thicker[0].sum() == 10 * 4  # one pixel more on every side
    np.testing.assert_array_equal(thicker[1], thicker[0].T)  # each image of the batch on its own
    thinner = looking_inside.change_thickness(looking_inside.change_thickness(batch, 2), -2)
    np.testing.assert_array_equal(thinner, batch)  # a bar grown by 2 and shrunk by 2 is the bar again
    assert looking_inside.change_thickness(batch, -1).sum() == 0  # a 2-pixel bar is gone after one erosion
    np.testing.assert_array_equal(looking_inside.change_thickness(batch, 0), batch)


def test_noise_is_clipped_and_the_same_for_every_strength():
    x = np.full((4, 784), 0.5, np.float32)
    small, large = looking_inside.add_noise(x, 0.01), looking_inside.add_noise(x, 0.02)
    assert small.dtype == np.float32 and np.array_equal(looking_inside.add_noise(x, 0.0), x)
    np.testing.assert_allclose(large - 0.5, 2 * (small - 0.5), atol=1e-6)
    assert looking_inside.add_noise(x, 10.0).min() == 0 and looking_inside.add_noise(x, 10.0).max() == 1


def test_robustness_curves_measure_each_network_at_each_amount():
    net, x, _ = tiny_case("mse", np.float32, n=20)
    other = nn.Network([784, 6, 5], seed=1)
    labels = net.predict(x)  # net is right on every undistorted image
    calls = []

    def blank(x, amount):  # amount 1 blanks every image
        calls.append(amount)
        return x * (1 - amount)

    curves = looking_inside.robustness_curves([net, other], x, labels, blank, [0, 1])
    assert calls == [0, 1]  # each distorted copy is made once, for both networks
    np.testing.assert_array_equal(curves[0], [1, np.mean(net.predict(0 * x) == labels)])
    np.testing.assert_array_equal(curves[1], [other.accuracy(x, labels), other.accuracy(0 * x, labels)])


def test_halving_point_reads_between_the_points():
    # 0.4, half of 0.8, is halfway from 0.6 to 0.2:
    assert looking_inside.halving_point([0, 0.1, 0.2], [0.8, 0.6, 0.2]) == pytest.approx(0.15)
    assert looking_inside.halving_point([0, 10, 20], [0.9, 0.45, 0.1]) == 10
    assert np.isnan(looking_inside.halving_point([0, 1], [0.9, 0.8]))


# -- saturation and the hidden map ------------------------------------------


def test_saturation_shares_on_hand_made_activations():
    a = np.array([[0.001, 0.5, 0.999, 0.995], [0.009, 0.02, 0.98, 0.5]])
    assert looking_inside.saturation_shares(a) == (2 / 8, 2 / 8)
    assert looking_inside.saturation_shares(a, low=0.5, high=0.5) == (3 / 8, 3 / 8)  # 0.5 itself is neither


def test_hidden_activations_are_the_first_layer():
    net, x, _ = tiny_case("mse", np.float32)
    np.testing.assert_allclose(
        looking_inside.hidden_activations(net, x), nn.sigmoid(x @ net.weights[0].T + net.biases[0])
    )


def test_the_first_principal_component_has_the_largest_variance():
    rng = np.random.default_rng(0)
    data = rng.standard_normal((500, 6)) @ rng.standard_normal((6, 6)) + 3
    points, shares = looking_inside.principal_components(data, k=2)
    assert points.shape == (500, 2) and shares[0] >= shares[1] > 0
    first = np.var(points[:, 0])
    assert first > np.var(points[:, 1])
    directions = rng.standard_normal((200, 6))
    directions /= np.linalg.norm(directions, axis=1, keepdims=True)
    assert np.all(np.var(data @ directions.T, axis=0) <= first * (1 + 1e-9))  # no direction has more
    np.testing.assert_allclose(np.var(points, axis=0) / np.var(data - data.mean(0), axis=0).sum(), shares)
    assert abs(np.corrcoef(points.T)[0, 1]) < 1e-9  # the components are uncorrelated


def test_show_rows_draws_one_image_per_title():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = [np.zeros((3, 784)), np.ones((3, 28, 28))]
    fig = looking_inside.show_rows(rows, [["a", "b", "c"], ["d", "e", "f"]], cmaps=["gray", "hot"])
    assert [ax.get_title() for ax in fig.axes] == list("abcdef")
    assert fig.axes[4].images[0].get_cmap().name == "hot"
    plt.close(fig)
