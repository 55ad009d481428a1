"""Tests of emnist_data.py: downloading the whole EMNIST zip (the fallback where a server ignores Range).

Against a real HTTP server on 127.0.0.1 that each test starts (tests/loopback_server.py).
HOME is a temporary folder, so the real cache is never touched.
"""

import hashlib
import socket

import numpy as np
import pytest
from emnist_layout import official_files, write_zip
from loopback_server import Server

import emnist_data


@pytest.fixture
def emnist_zip(tmp_path):
    rng = np.random.default_rng(0)
    train = rng.integers(0, 256, (40, 28, 28), dtype=np.uint8), rng.integers(0, 26, 40)
    test = rng.integers(0, 256, (10, 28, 28), dtype=np.uint8), rng.integers(0, 26, 10)
    body = write_zip(tmp_path / "source.zip", official_files(train, test)).read_bytes()
    return body, (train, test)


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    for name in ("EMNIST_DATA", "EMNIST_URL", "EMNIST_SHA256"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path / "home"


@pytest.fixture
def serve():
    servers = []

    def start(body, mode="good", cut_at=None):
        servers.append(Server(body, mode, cut_at))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def use(server, body, monkeypatch):
    monkeypatch.setenv("EMNIST_URL", server.url)
    monkeypatch.setenv("EMNIST_SHA256", hashlib.sha256(body).hexdigest())


def cache_folder_contents(home):
    folder = home / ".cache" / "emnist"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_first_load_downloads_checks_and_caches(home, emnist_zip, serve, monkeypatch):
    body, (train, test) = emnist_zip
    server = serve(body, "no-range")  # so the letters cannot be fetched alone
    use(server, body, monkeypatch)
    (x_train, y_train), (x_test, y_test) = emnist_data.load_emnist_letters(quiet=True)
    np.testing.assert_array_equal(x_train, train[0])
    np.testing.assert_array_equal(y_test, test[1])
    assert (home / ".cache" / "emnist" / "emnist.zip").read_bytes() == body
    assert cache_folder_contents(home) == ["emnist.zip"]
    server.reset_counts()
    emnist_data.load_emnist_letters(quiet=True)  # the second load reads the cache ...
    assert server.requests == []  # ... and asks the server nothing


def test_a_transfer_cut_off_midway_resumes_with_range(home, emnist_zip, serve, monkeypatch):
    body, _ = emnist_zip
    server = serve(body, "cut-once")
    use(server, body, monkeypatch)
    path = emnist_data.download_emnist()
    assert path.read_bytes() == body
    assert server.ranges() == [None, f"bytes={len(body) // 2}-"]
    assert cache_folder_contents(home) == ["emnist.zip"]
    assert {agent for _, agent in server.requests} == {emnist_data.USER_AGENT}


def test_a_transfer_cut_off_midway_resumes_on_the_next_call(home, emnist_zip, serve, monkeypatch):
    body, _ = emnist_zip
    server = serve(body, "cut", cut_at=len(body) // 3)
    use(server, body, monkeypatch)
    with pytest.raises(ConnectionError, match="kept in .*emnist.zip.part"):
        emnist_data.download_emnist()
    part = home / ".cache" / "emnist" / "emnist.zip.part"
    assert part.read_bytes() == body[: len(body) // 3]  # a predictable name, so the next call finds it
    server.mode = "good"
    server.reset_counts()
    assert emnist_data.download_emnist().read_bytes() == body
    assert server.ranges() == [f"bytes={len(body) // 3}-"] and server.bytes_sent == len(body) - len(body) // 3
    assert cache_folder_contents(home) == ["emnist.zip"]


def test_a_finished_part_with_the_wrong_sha256_is_deleted(home, emnist_zip, serve, monkeypatch):
    body, _ = emnist_zip
    server = serve(body)
    use(server, body, monkeypatch)
    part = home / ".cache" / "emnist" / "emnist.zip.part"
    part.parent.mkdir(parents=True)
    part.write_bytes(b"PK" + bytes(len(body) // 2))  # from another file
    with pytest.raises(ValueError, match="not the official.*deleted"):
        emnist_data.download_emnist()
    assert cache_folder_contents(home) == []
    assert emnist_data.download_emnist().read_bytes() == body  # and the next call fetches it afresh


def test_a_server_without_range_support_restarts(home, emnist_zip, serve, monkeypatch):
    body, _ = emnist_zip
    server = serve(body, "no-range cut-once")
    use(server, body, monkeypatch)
    assert emnist_data.download_emnist().read_bytes() == body
    assert server.ranges() == [None, f"bytes={len(body) // 2}-"]  # asked to resume, got the whole file


# -- failures: the cache is untouched and nothing is left behind -------------


@pytest.fixture
def existing_cache(home):
    cache = home / ".cache" / "emnist" / "emnist.zip"
    cache.parent.mkdir(parents=True)
    cache.write_bytes(b"PK an earlier copy the learner already has")
    return cache


def assert_untouched(cache):
    assert cache.read_bytes() == b"PK an earlier copy the learner already has"
    assert sorted(p.name for p in cache.parent.iterdir()) == ["emnist.zip"]


def test_an_html_page_is_rejected(existing_cache, emnist_zip, serve, monkeypatch):
    body, _ = emnist_zip
    use(serve(body, "html"), body, monkeypatch)
    with pytest.raises(ValueError, match="answered with a web page"):
        emnist_data.download_emnist(overwrite=True)
    assert_untouched(existing_cache)


def test_html_sent_as_a_binary_file_is_rejected(existing_cache, serve, monkeypatch):
    page = b"<html><body>Not found</body></html>"
    use(serve(page), page, monkeypatch)
    with pytest.raises(ValueError, match="did not send a zip file.*<html>"):
        emnist_data.download_emnist(overwrite=True)
    assert_untouched(existing_cache)


def test_a_hash_mismatch_is_rejected(existing_cache, emnist_zip, serve, monkeypatch):
    body, _ = emnist_zip
    server = serve(body)
    monkeypatch.setenv("EMNIST_URL", server.url)
    monkeypatch.setenv("EMNIST_SHA256", "0" * 64)
    with pytest.raises(ValueError, match="not the official"):
        emnist_data.download_emnist(overwrite=True)
    assert_untouched(existing_cache)


def test_an_unreachable_server_explains_how_to_fetch_by_hand(existing_cache, monkeypatch):
    with socket.socket() as s:  # a port that nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("EMNIST_URL", f"http://127.0.0.1:{port}/gzip.zip")
    with pytest.raises(ConnectionError, match=r"(?s)Could not download.*by hand.*EMNIST_DATA"):
        emnist_data.download_emnist(overwrite=True)
    assert_untouched(existing_cache)


def test_an_unreachable_server_leaves_no_cache_on_first_load(home, monkeypatch):
    monkeypatch.setenv("EMNIST_URL", "http://127.0.0.1:9/gzip.zip")
    with pytest.raises(ConnectionError, match="~/.cache/emnist/emnist.zip"):
        emnist_data.load_emnist_letters(quiet=True)
    assert cache_folder_contents(home) == []


def test_an_existing_cache_is_not_downloaded_again(existing_cache, monkeypatch):
    monkeypatch.setenv("EMNIST_URL", "http://127.0.0.1:9/gzip.zip")
    assert emnist_data.download_emnist() == existing_cache
    assert_untouched(existing_cache)
