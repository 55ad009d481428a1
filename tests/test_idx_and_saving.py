"""Tests of emnist_data.py (reading IDX files byte-exactly) and nn_helpers.py (saving and loading a network exactly)."""

import gzip
import re

import numpy as np
import pytest
from emnist_layout import idx_bytes

import emnist_data
import nn_helpers as nn

# -- read_idx ---------------------------------------------------------------


def images(n=3):
    return np.random.default_rng(0).integers(0, 256, (n, 28, 28), dtype=np.uint8)


def write(path, raw, zipped):
    path.write_bytes(gzip.compress(raw) if zipped else raw)
    return path


@pytest.mark.parametrize("zipped", [False, True])
def test_read_idx_reads_back_what_was_written(tmp_path, zipped):
    array = images()
    path = write(tmp_path / "images-idx3-ubyte", idx_bytes(array), zipped)
    got = emnist_data.read_idx(path, ndim=3)
    assert got.dtype == np.uint8
    np.testing.assert_array_equal(got, array)


@pytest.mark.parametrize("zipped", [False, True])
@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda raw: raw[:-1], id="one-byte-short"),
        pytest.param(lambda raw: raw + b"\x00", id="one-byte-long"),
        pytest.param(lambda raw: raw[:10], id="cut-inside-the-header"),
        pytest.param(lambda raw: raw[:2] + b"\x09" + raw[3:], id="type-byte-int8"),
        pytest.param(lambda raw: raw[:2] + b"\x0d" + raw[3:], id="type-byte-float32"),
    ],
)
def test_read_idx_rejects_a_damaged_file_and_names_it(tmp_path, zipped, damage):
    path = write(tmp_path / "letters-idx3-ubyte", damage(idx_bytes(images())), zipped)
    with pytest.raises(ValueError, match=re.escape(str(path))):
        emnist_data.read_idx(path)


def test_read_idx_names_bytes_by_the_name_given():
    with pytest.raises(ValueError, match="labels.gz is truncated or corrupt"):
        emnist_data.read_idx(idx_bytes(np.arange(5, dtype=np.uint8))[:-1], "labels.gz")


# -- save and load ----------------------------------------------------------


def trained_looking_network(dtype, cost):
    """A network whose every weight and bias differs from a fresh one's, biases included."""
    net = nn.Network([6, 5, 4, 3], seed=1, dtype=dtype, cost=cost)
    rng = np.random.default_rng(2)
    net.weights = [rng.normal(size=W.shape).astype(dtype) for W in net.weights]
    net.biases = [rng.normal(size=b.shape).astype(dtype) for b in net.biases]
    return net


@pytest.mark.parametrize("cost", ["mse", "cross_entropy"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_save_and_load_round_trip_exactly(tmp_path, dtype, cost):
    net = trained_looking_network(dtype, cost)
    net.save(tmp_path / "net.npz")
    loaded = nn.Network.load(tmp_path / "net.npz")
    assert (loaded.sizes, loaded.cost, loaded.dtype) == (net.sizes, cost, np.dtype(dtype))
    assert len(loaded.weights) == len(loaded.biases) == 3
    for got, want in zip(loaded.weights + loaded.biases, net.weights + net.biases):
        assert got.dtype == want.dtype
        np.testing.assert_array_equal(got, want)
    x = np.random.default_rng(3).random((4, 6))
    np.testing.assert_array_equal(loaded.feedforward(x), net.feedforward(x))
