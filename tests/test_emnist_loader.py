"""Tests of emnist_data.py: reading EMNIST letters: sources, orientation, labels, and every kind of bad file."""

import gzip
import hashlib
import zipfile

import numpy as np
import pytest
from emnist_layout import idx_bytes, official_files, write_folder, write_zip

import emnist_data


@pytest.fixture
def small_split():
    rng = np.random.default_rng(0)
    train = rng.integers(0, 256, (30, 28, 28), dtype=np.uint8), rng.integers(0, 26, 30)
    test = rng.integers(0, 256, (12, 28, 28), dtype=np.uint8), np.arange(12)
    return train, test


@pytest.fixture(autouse=True)
def no_real_cache(tmp_path, monkeypatch):
    """Never touch the real cache, never download."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("EMNIST_DATA", raising=False)
    monkeypatch.setenv("EMNIST_URL", "http://127.0.0.1:9/unused")


def assert_same(loaded, expected):
    for (x, y), (x_want, y_want) in zip(loaded, expected):
        assert x.dtype == np.uint8 and x.shape == x_want.shape and x.flags.writeable
        np.testing.assert_array_equal(x, x_want)
        np.testing.assert_array_equal(y, y_want)
        assert np.issubdtype(y.dtype, np.integer)


def test_reads_the_official_zip(tmp_path, small_split):
    path = write_zip(tmp_path / "gzip.zip", official_files(*small_split))
    assert_same(emnist_data.load_emnist_letters(path), small_split)


@pytest.mark.parametrize("under", ["", "gzip"])
def test_reads_a_folder_of_gz_files(tmp_path, small_split, under):
    write_folder(tmp_path / "emnist" / under, official_files(*small_split))
    assert_same(emnist_data.load_emnist_letters(tmp_path / "emnist"), small_split)


def test_environment_variable_is_used_when_no_source_is_given(tmp_path, small_split, monkeypatch):
    monkeypatch.setenv("EMNIST_DATA", str(write_zip(tmp_path / "gzip.zip", official_files(*small_split))))
    assert_same(emnist_data.load_emnist_letters(), small_split)


def test_source_argument_wins_over_the_environment(tmp_path, small_split, monkeypatch):
    monkeypatch.setenv("EMNIST_DATA", str(tmp_path / "nowhere"))
    path = write_zip(tmp_path / "gzip.zip", official_files(*small_split))
    assert_same(emnist_data.load_emnist_letters(path), small_split)


def test_the_emnist_package_cache_is_reused(tmp_path, small_split):
    cache = tmp_path / "home" / ".cache" / "emnist" / "emnist.zip"
    cache.parent.mkdir(parents=True)
    write_zip(cache, official_files(*small_split))
    assert emnist_data.emnist_cache_path() == cache
    assert_same(emnist_data.load_emnist_letters(), small_split)


def test_images_are_turned_upright_and_labels_start_at_zero(tmp_path):
    """Built by hand, not with the writer: NIST stores each image transposed, labels 1..26."""
    stored = np.zeros((1, 28, 28), np.uint8)
    stored[0, 3, :] = 255  # a bar along stored row 3 ...
    names = emnist_data.EMNIST_FILES
    files = {
        names["train"][0]: gzip.compress(idx_bytes(stored)),
        names["train"][1]: gzip.compress(idx_bytes(np.array([1]))),  # 1 = "a"
        names["test"][0]: gzip.compress(idx_bytes(stored)),
        names["test"][1]: gzip.compress(idx_bytes(np.array([26]))),  # 26 = "z"
    }
    (x_train, y_train), (_, y_test) = emnist_data.load_emnist_letters(write_folder(tmp_path / "d", files))
    assert np.all(x_train[0, :, 3] == 255) and x_train.sum() == 28 * 255  # ... is upright column 3
    assert emnist_data.LETTERS[y_train[0]] == "a" and emnist_data.LETTERS[y_test[0]] == "z"


def test_prepare_inputs_flattens_and_scales():
    images = np.full((2, 28, 28), 255, np.uint8)
    images[1] = 0
    x = emnist_data.prepare_inputs(images)
    assert x.shape == (2, 784) and x.dtype == np.float32
    assert x[0].min() == 1.0 and x[1].max() == 0.0
    levels = np.arange(256, dtype=np.uint8).reshape(1, 16, 16).repeat(2, axis=0)  # every level, as the loader's
    assert np.array_equal(emnist_data.prepare_inputs(levels), levels.reshape(2, -1).astype(np.float32) / 255)
    assert emnist_data.prepare_inputs(images[:0]).shape == (0, 784)  # no images (TRAIN_LIMIT = 0): no rows


# -- bad input --------------------------------------------------------------


def test_a_missing_source_says_what_to_give(tmp_path):
    with pytest.raises(FileNotFoundError, match="does not exist.*gzip.zip"):
        emnist_data.load_emnist_letters(tmp_path / "nope.zip")


def test_a_missing_environment_path_names_the_variable(tmp_path, monkeypatch):
    monkeypatch.setenv("EMNIST_DATA", str(tmp_path / "nope"))
    with pytest.raises(FileNotFoundError, match="EMNIST_DATA"):
        emnist_data.load_emnist_letters()


def test_a_file_that_is_not_a_zip(tmp_path):
    path = tmp_path / "emnist.zip"
    path.write_bytes(b"<!DOCTYPE html><html>Page moved</html>")
    with pytest.raises(ValueError, match=r"not a zip file.*DOCTYPE.*overwrite=True"):
        emnist_data.load_emnist_letters(path)


def test_a_zip_with_a_missing_entry(tmp_path, small_split):
    files = official_files(*small_split)
    del files[emnist_data.EMNIST_FILES["test"][1]]
    with pytest.raises(ValueError, match="no entry gzip/emnist-letters-test-labels-idx1-ubyte.gz"):
        emnist_data.load_emnist_letters(write_zip(tmp_path / "gzip.zip", files))


def test_a_folder_with_a_missing_file(tmp_path, small_split):
    files = official_files(*small_split)
    del files[emnist_data.EMNIST_FILES["train"][0]]
    with pytest.raises(FileNotFoundError, match="emnist-letters-train-images-idx3-ubyte.gz is in neither"):
        emnist_data.load_emnist_letters(write_folder(tmp_path / "d", files))


def test_a_truncated_gz_file_is_named(tmp_path, small_split):
    files = official_files(*small_split)
    name = emnist_data.EMNIST_FILES["train"][0]
    files[name] = files[name][: len(files[name]) // 2]
    with pytest.raises(ValueError, match=f"{name} is a corrupt or truncated gzip file"):
        emnist_data.load_emnist_letters(write_zip(tmp_path / "gzip.zip", files))


def test_a_wrong_magic_number_is_named(tmp_path, small_split):
    files = official_files(*small_split)
    name = emnist_data.EMNIST_FILES["test"][0]
    files[name] = gzip.compress(b"\x12\x34\x56\x78" + gzip.decompress(files[name])[4:])
    with pytest.raises(ValueError, match=f"{name} is not an IDX file.*12345678"):
        emnist_data.load_emnist_letters(write_zip(tmp_path / "gzip.zip", files))


def test_labels_in_an_images_file_are_rejected(tmp_path, small_split):
    files = official_files(*small_split)
    images, labels = emnist_data.EMNIST_FILES["train"]
    files[images] = files[labels]
    with pytest.raises(ValueError, match=f"{images} holds 1-D data, expected 3-D"):
        emnist_data.load_emnist_letters(write_zip(tmp_path / "gzip.zip", files))


def test_an_image_and_label_count_mismatch(tmp_path, small_split):
    (x, y), test = small_split
    files = official_files((x, y[:-1]), test)
    with pytest.raises(ValueError, match="30 images but 29 labels"):
        emnist_data.load_emnist_letters(write_zip(tmp_path / "gzip.zip", files))


def test_data_shorter_than_its_header_says(tmp_path, small_split):
    files = official_files(*small_split)
    name = emnist_data.EMNIST_FILES["train"][0]
    files[name] = gzip.compress(gzip.decompress(files[name])[:-100])
    with pytest.raises(ValueError, match=f"{name} is truncated or corrupt"):
        emnist_data.load_emnist_letters(write_zip(tmp_path / "gzip.zip", files))


def test_labels_out_of_range(tmp_path, small_split):
    train, (x, y) = small_split
    files = official_files(train, (x, np.full_like(y, 26)))  # stored as 27
    with pytest.raises(ValueError, match=r"1\.\.26, found 27\.\.27"):
        emnist_data.load_emnist_letters(write_zip(tmp_path / "gzip.zip", files))


def test_wrong_image_size(tmp_path, small_split):
    (x, y), test = small_split
    files = official_files((x[:, :27, :27], y), test)
    with pytest.raises(ValueError, match=r"shape \(n, 28, 28\)"):
        emnist_data.load_emnist_letters(write_zip(tmp_path / "gzip.zip", files))


def test_the_synthetic_stand_in_sorts_its_test_split_by_class_like_the_real_one(standin):
    (_, train_labels), (_, test_labels) = emnist_data.load_emnist_letters(standin)
    assert np.array_equal(test_labels, np.repeat(np.arange(26), 3))  # a, a, a, b, b, b, …
    assert not np.all(np.diff(train_labels) >= 0)  # the training split stays shuffled


# -- the data-source line: which data this is -------------------------------


def line(capsys):
    (printed,) = capsys.readouterr().out.splitlines()
    return printed


def test_the_line_says_official_when_every_sha256_matches(tmp_path, small_split, monkeypatch, capsys):
    files = official_files(*small_split)
    monkeypatch.setattr(
        emnist_data, "EMNIST_LETTERS_SHA256", {name: hashlib.sha256(b).hexdigest() for name, b in files.items()}
    )
    path = write_zip(tmp_path / "gzip.zip", files)
    emnist_data.load_emnist_letters(path)
    assert line(capsys) == f"EMNIST letters from {path}: the official files (sha256 verified)"


def test_the_line_says_not_official_when_one_sha256_differs(tmp_path, small_split, monkeypatch, capsys):
    files = official_files(*small_split)
    official = {name: hashlib.sha256(b).hexdigest() for name, b in files.items()}
    official[emnist_data.EMNIST_FILES["test"][1]] = "0" * 64
    monkeypatch.setattr(emnist_data, "EMNIST_LETTERS_SHA256", official)
    monkeypatch.setenv("EMNIST_DATA", str(write_folder(tmp_path / "mine", files)))
    emnist_data.load_emnist_letters()
    assert line(capsys) == (
        f"EMNIST letters from EMNIST_DATA={tmp_path / 'mine'}: "
        "NOT the official EMNIST files: results below are not EMNIST results"
    )


def test_the_line_names_the_cached_folder_with_a_tilde(tmp_path, small_split, capsys):
    write_folder(tmp_path / "home" / ".cache" / "emnist" / "letters", official_files(*small_split))
    emnist_data.load_emnist_letters()
    assert line(capsys).startswith("EMNIST letters from ~/.cache/emnist/letters: NOT the official")


@pytest.fixture(scope="module")
def standin(tmp_path_factory):
    from synthetic_emnist import write_standin

    return write_standin(tmp_path_factory.mktemp("standin") / "s.zip", 26 * 4, 26 * 3)


def test_the_line_says_when_it_is_the_synthetic_stand_in_zip(standin, monkeypatch, capsys):
    monkeypatch.setenv("EMNIST_DATA", str(standin))
    emnist_data.load_emnist_letters()
    assert line(capsys) == (
        f"EMNIST letters from EMNIST_DATA={standin}: the project's SYNTHETIC stand-in, "
        "NOT the official EMNIST files: results below are not EMNIST results"
    )


def test_the_line_says_when_it_is_the_synthetic_stand_in_unpacked(standin, tmp_path, capsys):
    with zipfile.ZipFile(standin) as archive:
        archive.extractall(tmp_path / "unpacked")
    emnist_data.load_emnist_letters(tmp_path / "unpacked")
    assert "the project's SYNTHETIC stand-in, NOT the official EMNIST files" in line(capsys)


def test_quiet_prints_nothing(tmp_path, small_split, capsys):
    emnist_data.load_emnist_letters(write_zip(tmp_path / "gzip.zip", official_files(*small_split)), quiet=True)
    assert capsys.readouterr().out == ""
