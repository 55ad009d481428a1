"""Tests of nn_helpers.py and plumbing.py: bad input to Network and train, a clear error or warning, nothing changed.

Each error or warning says what to do.
"""

import warnings

import numpy as np
import pytest

import augmentation
import emnist_data
import nn_helpers as nn

X = np.random.default_rng(0).random((6, 784))
Y = np.arange(6) % 3


def net():
    return nn.Network([784, 5, 3], seed=0)


def test_sizes_given_as_separate_numbers_say_to_pass_a_list():
    with pytest.raises(ValueError, match=r"one list, like Network\(\[784, 128, 26\]\)"):
        nn.Network(784, 128, 26)


@pytest.mark.parametrize("limit", [0])
def test_an_empty_training_set_is_a_clear_error(limit):
    """As when the notebook's TRAIN_LIMIT is 0: a ValueError that says so, not a ZeroDivisionError."""
    with pytest.raises(ValueError, match="no examples, so there is nothing to train on"):
        net().train(X[:limit], Y[:limit], 1, 2, 0.1, progress=False)


def test_an_empty_validation_set_is_a_clear_error():
    with pytest.raises(ValueError, match="validation_data has no examples"):
        net().train(X, Y, 1, 2, 0.1, (X[:0], Y[:0]), progress=False)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(l2=-0.1), r"l2 .* must be a number ≥ 0"),
        (dict(l2=float("nan")), r"l2 .* must be a number ≥ 0"),
        (dict(l2="1"), r"l2 .* must be a number ≥ 0"),
        (dict(momentum=1.0), r"momentum must be a number in \[0, 1\)"),
        (dict(momentum=-0.1), r"momentum must be a number in \[0, 1\)"),
        (dict(momentum=float("nan")), r"momentum must be a number in \[0, 1\)"),
        (dict(augment=True), r"augment must be None \(off\) or a function"),
        (dict(augment=False), r"augment must be None \(off\) or a function"),
        (dict(augment=2), r"augment must be None \(off\) or a function"),
        (dict(augment="shift"), r"augment must be None \(off\) or a function"),
        (dict(augment=dict(rotation=10)), r"augment must be None \(off\) or a function"),
        (dict(keep_best=True), "keep_best .* needs validation_data"),
    ],
)
def test_bad_cures_are_rejected_and_nothing_changes(kwargs, message):
    network = net()
    before = [p.copy() for p in network.weights + network.biases]
    rng_state = network.rng.bit_generator.state
    with pytest.raises(ValueError, match=message):
        network.train(X, Y, 1, 2, 0.1, progress=False, **kwargs)
    assert all(np.array_equal(p, q) for p, q in zip(network.weights + network.biases, before))
    assert network.rng.bit_generator.state == rng_state


@pytest.mark.parametrize(
    "augment, message",
    [
        (
            augmentation.random_shifts(1),
            r"shift_images moves 28×28 images, so x must have shape \(n, 784\); got \(6, 10\)",
        ),
        (augmentation.random_distortions(), r"x must hold 28×28 images as rows, shape \(n, 784\); got \(6, 10\)"),
    ],
    ids=["shifts", "distortions"],
)
def test_shifts_and_distortions_need_28_by_28_images_and_change_no_weight(augment, message):
    """The augment functions check the images when train first calls them, at the start of epoch 1."""
    network = nn.Network([10, 4, 3], seed=0)
    before = [p.copy() for p in network.weights + network.biases]
    with pytest.raises(ValueError, match=message):
        network.train(X[:, :10], Y, 1, 2, 0.1, progress=False, augment=augment)
    assert all(np.array_equal(p, q) for p, q in zip(network.weights + network.biases, before))


@pytest.mark.parametrize("scale, name", [(255, "x"), (-1, "x")])
def test_inputs_outside_0_1_warn_and_name_prepare_inputs(scale, name):
    with pytest.warns(UserWarning, match=r"outside \[0, 1\]\. Scale images with emnist_data\.prepare_inputs") as caught:
        net().train(X * scale, Y, 1, 2, 0.1, progress=False)
    assert str(caught[0].message).startswith(f"{name} has values from")
    assert caught[0].filename == __file__  # the warning points at the caller's line, not at nn_helpers or plumbing


def test_unscaled_validation_inputs_warn_too():
    with pytest.warns(UserWarning, match=r"x_val has values from .* emnist_data\.prepare_inputs"):
        net().train(X, Y, 1, 2, 0.1, (X * 255, Y), progress=False)


def test_scaled_inputs_do_not_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        net().train(X, Y, 1, 2, 0.1, (X, Y), progress=False)
        net().train(emnist_data.prepare_inputs(np.full((2, 28, 28), 255, np.uint8)), Y[:2], 1, 2, 0.1, progress=False)
