"""Tests of emnist_data.py: fetching only the four letters files out of the zip, against a real HTTP server on 127.0.0.1.

Each test starts its own loopback server (tests/loopback_server.py), laid
out and behaving like NIST's, and points HOME at a temporary folder, so the
real cache is never touched. ``EMNIST_LETTERS_SHA256`` is patched to the
test files' own hashes: for these tests, they are "the official files".
"""

import hashlib
import io
import socket
import struct
import urllib.error
import urllib.request
import zipfile

import numpy as np
import pytest
from emnist_layout import official_files
from loopback_server import Server, official_like_zip

import emnist_data

NAMES = [name for split in ("train", "test") for name in emnist_data.EMNIST_FILES[split]]
TAIL = 1 << 16  # what the first request fetches: the zip's last 64 KiB, holding its table of contents


def make_split(seed, n_train=300, n_test=80):
    rng = np.random.default_rng(seed)
    train = rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8), rng.integers(0, 26, n_train)
    test = rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8), np.repeat(np.arange(26), 4)[:n_test]
    return train, test


@pytest.fixture(scope="module")
def data():
    """The served zip, its letters files, the arrays they hold, and where each member's bytes lie."""
    split = make_split(0)
    files = official_files(*split)
    body = official_like_zip(files)
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        infos = {name: archive.getinfo("gzip/" + name) for name in NAMES}
    starts = {}
    for name, info in infos.items():  # the compressed bytes begin after the local header
        name_length, extra_length = struct.unpack("<2H", body[info.header_offset + 26 : info.header_offset + 30])
        starts[name] = info.header_offset + 30 + name_length + extra_length
    return {"body": body, "files": files, "split": split, "infos": infos, "starts": starts}


@pytest.fixture
def home(tmp_path, monkeypatch, data):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    for name in ("EMNIST_DATA", "EMNIST_URL", "EMNIST_SHA256"):
        monkeypatch.delenv(name, raising=False)
    official = {name: hashlib.sha256(content).hexdigest() for name, content in data["files"].items()}
    monkeypatch.setattr(emnist_data, "EMNIST_LETTERS_SHA256", official)
    return tmp_path / "home"


@pytest.fixture
def serve(monkeypatch):
    """Start a server; EMNIST_URL points at the last one started. Every server is closed after the test."""
    servers = []

    def start(body, mode="good", cut_at=None):
        servers.append(Server(body, mode, cut_at))
        monkeypatch.setenv("EMNIST_URL", servers[-1].url)
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def letters_folder(home):
    return home / ".cache" / "emnist" / "letters"


def cached(home):
    """Every file under ~/.cache/emnist, as paths relative to it."""
    root = home / ".cache" / "emnist"
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) if root.exists() else []


def assert_loaded(loaded, split):
    for (x, y), (x_want, y_want) in zip(loaded, split):
        np.testing.assert_array_equal(x, x_want)
        np.testing.assert_array_equal(y, y_want)


def letters_bytes(data, names=NAMES):
    return sum(data["infos"][name].compress_size for name in names)


def test_the_server_refuses_pythons_default_user_agent(data, serve):
    """The loopback server is as strict as NIST is reported to be, so the tests below would catch a default."""
    server = serve(data["body"])
    with pytest.raises(urllib.error.HTTPError, match="403"):
        urllib.request.urlopen(server.url, timeout=10)


def test_a_first_load_fetches_little_more_than_the_four_members(home, data, serve, capsys):
    server = serve(data["body"])
    assert_loaded(emnist_data.load_emnist_letters(), data["split"])
    assert cached(home) == sorted(f"letters/{name}" for name in NAMES)  # no .part, no zip
    assert all((letters_folder(home) / name).read_bytes() == data["files"][name] for name in NAMES)
    # the table of contents, four 30-byte local headers, and the four members
    assert letters_bytes(data) <= server.bytes_sent <= letters_bytes(data) + TAIL + 4 * 30
    assert server.bytes_sent < len(data["body"]) / 10
    assert {agent for _, agent in server.requests} == {emnist_data.USER_AGENT}
    assert (
        "EMNIST letters from ~/.cache/emnist/letters: the official files (sha256 verified)" in capsys.readouterr().out
    )


def test_a_second_load_sends_no_request(home, data, serve):
    server = serve(data["body"])
    emnist_data.load_emnist_letters(quiet=True)
    server.reset_counts()
    assert_loaded(emnist_data.load_emnist_letters(quiet=True), data["split"])
    assert server.requests == [] and server.bytes_sent == 0


def test_only_missing_files_are_fetched(home, data, serve):
    server = serve(data["body"])
    folder = letters_folder(home)
    folder.mkdir(parents=True)
    for name in NAMES[1:]:
        (folder / name).write_bytes(data["files"][name])
    emnist_data.load_emnist_letters(quiet=True)
    assert letters_bytes(data, NAMES[:1]) <= server.bytes_sent <= letters_bytes(data, NAMES[:1]) + TAIL + 30


def test_a_server_that_ignores_range_gets_the_whole_zip_checked_by_its_sha256(home, data, serve, monkeypatch, capsys):
    serve(data["body"], "no-range")
    monkeypatch.setenv("EMNIST_SHA256", hashlib.sha256(data["body"]).hexdigest())
    assert_loaded(emnist_data.load_emnist_letters(), data["split"])
    assert cached(home) == ["emnist.zip"]
    assert (home / ".cache" / "emnist" / "emnist.zip").read_bytes() == data["body"]
    assert "EMNIST letters from ~/.cache/emnist/emnist.zip: the official files" in capsys.readouterr().out


def test_the_whole_zip_fallback_rejects_a_zip_with_the_wrong_sha256(home, data, serve, monkeypatch):
    serve(data["body"], "no-range")  # EMNIST_SHA256 is the real zip's, so this one is wrong
    with pytest.raises(ValueError, match="not the official EMNIST gzip.zip"):
        emnist_data.load_emnist_letters()
    assert cached(home) == []


def test_a_transfer_cut_off_midway_resumes_on_the_next_call(home, data, serve):
    name = NAMES[0]  # fetched first: the large training images
    start, size = data["starts"][name], data["infos"][name].compress_size
    server = serve(data["body"], "cut", cut_at=start + size // 3)
    part = letters_folder(home) / f"{name}.part"
    with pytest.raises(ConnectionError, match=f"(?s)kept in .*{name}.part.*continues"):
        emnist_data.load_emnist_letters(quiet=True)
    assert part.stat().st_size == size // 3  # what arrived is kept ...
    assert cached(home) == [f"letters/{name}.part"]  # ... and nothing else, nothing half-written

    server.mode = "good"  # the network is back
    server.reset_counts()
    assert_loaded(emnist_data.load_emnist_letters(quiet=True), data["split"])
    assert f"bytes={start + size // 3}-{start + size - 1}" in server.ranges()  # continued where it stopped
    assert not any(r and r.startswith(f"bytes={start}-") for r in server.ranges())  # never from the start
    assert server.bytes_sent <= letters_bytes(data) - size // 3 + TAIL + 4 * 30
    assert cached(home) == sorted(f"letters/{n}" for n in NAMES)


def test_a_failure_leaves_a_good_cached_file_untouched(home, data, serve):
    folder = letters_folder(home)
    folder.mkdir(parents=True)
    kept = folder / NAMES[3]
    kept.write_bytes(data["files"][NAMES[3]])
    before = kept.stat().st_mtime_ns
    name = NAMES[0]
    serve(data["body"], "cut", cut_at=data["starts"][name] + 1000)
    with pytest.raises(ConnectionError):
        emnist_data.load_emnist_letters(quiet=True)
    assert kept.read_bytes() == data["files"][NAMES[3]] and kept.stat().st_mtime_ns == before


def tampered(data, name):
    files = dict(data["files"])
    files[name] = files[name][:-1] + bytes([files[name][-1] ^ 1])  # one bit off
    return official_like_zip(files)


def test_a_tampered_member_is_rejected_and_a_good_server_works_next(home, data, serve):
    name = NAMES[2]  # the test images: the train files come before it
    serve(tampered(data, name))
    with pytest.raises(ValueError, match=f"{name} from .* is not the official file: its sha256 is"):
        emnist_data.load_emnist_letters(quiet=True)
    assert cached(home) == sorted(f"letters/{n}" for n in NAMES[:2])  # the good ones stay; the bad one is gone

    server = serve(data["body"])
    assert_loaded(emnist_data.load_emnist_letters(quiet=True), data["split"])
    assert server.bytes_sent <= letters_bytes(data, NAMES[2:]) + TAIL + 2 * 30  # only the two still missing


def test_a_part_that_proves_wrong_when_finished_is_deleted_and_fetched_again(home, data, serve):
    name = NAMES[2]
    part = letters_folder(home) / f"{name}.part"
    part.parent.mkdir(parents=True)
    part.write_bytes(b"\0" * (data["infos"][name].compress_size - 10))  # left by an earlier call, from elsewhere
    server = serve(data["body"])
    assert_loaded(emnist_data.load_emnist_letters(quiet=True), data["split"])
    assert f"bytes={data['starts'][name]}-{data['starts'][name] + data['infos'][name].compress_size - 1}" in (
        server.ranges()
    )  # fetched again from its first byte
    assert cached(home) == sorted(f"letters/{n}" for n in NAMES)


def test_an_old_part_and_a_tampered_server_give_an_error_after_one_fresh_try(home, data, serve):
    name = NAMES[2]
    part = letters_folder(home) / f"{name}.part"
    part.parent.mkdir(parents=True)
    part.write_bytes(b"\0" * 1000)
    server = serve(tampered(data, name))
    with pytest.raises(ValueError, match=f"{name} from .* is not the official file"):
        emnist_data.load_emnist_letters(quiet=True)
    start = data["starts"][name]
    assert server.ranges().count(f"bytes={start}-{start + data['infos'][name].compress_size - 1}") == 1
    assert not part.exists() and not (letters_folder(home) / name).exists()


def test_a_part_is_never_read_as_data(home, data, monkeypatch):
    folder = letters_folder(home)
    folder.mkdir(parents=True)
    for name in NAMES[:3]:
        (folder / name).write_bytes(data["files"][name])
    part = folder / f"{NAMES[3]}.part"
    part.write_bytes(data["files"][NAMES[3]])  # even whole and right, it is not the file until checked
    monkeypatch.setenv("EMNIST_URL", "http://127.0.0.1:9/gzip.zip")  # nothing listens there
    with pytest.raises(ConnectionError, match="Could not download"):
        emnist_data.load_emnist_letters(quiet=True)
    assert part.read_bytes() == data["files"][NAMES[3]]  # kept, for the next call to continue


def test_an_html_answer_is_a_clear_error(home, data, serve):
    serve(data["body"], "html")
    with pytest.raises(ValueError, match="answered with a web page.*EMNIST_URL"):
        emnist_data.load_emnist_letters(quiet=True)
    assert cached(home) == []


def test_a_403_says_what_to_do(home, data, serve):
    serve(data["body"], "forbidden")
    with pytest.raises(ConnectionError, match=r"(?s)403.*by hand.*EMNIST_DATA"):
        emnist_data.load_emnist_letters(quiet=True)
    assert cached(home) == []


def test_a_zip_without_the_letters_members_is_a_clear_error(home, data, serve):
    files = {n.replace("letters", "digits"): content for n, content in data["files"].items()}
    serve(official_like_zip(files))
    with pytest.raises(ValueError, match="has no entry gzip/emnist-letters-.*not the EMNIST gzip.zip"):
        emnist_data.load_emnist_letters(quiet=True)
    assert cached(home) == []


def test_no_server_gives_the_offline_message(home, monkeypatch):
    with socket.socket() as s:  # a port that nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/gzip.zip"
    monkeypatch.setenv("EMNIST_URL", url)
    with pytest.raises(ConnectionError) as caught:
        emnist_data.load_emnist_letters(quiet=True)
    message = str(caught.value)
    for needed in (
        url,
        emnist_data.EMNIST_URL,
        "535.7 MiB",
        "35.9 MB",
        "~/.cache/emnist/emnist.zip",
        "~/.cache/emnist/letters",
    ):
        assert needed in message
    assert "EMNIST_DATA" in message and "browser" in message
    assert cached(home) == []


def test_a_complete_cache_works_with_no_server_at_all(home, data, monkeypatch):
    folder = letters_folder(home)
    folder.mkdir(parents=True)
    for name in NAMES:
        (folder / name).write_bytes(data["files"][name])
    monkeypatch.setenv("EMNIST_URL", "http://127.0.0.1:9/gzip.zip")
    assert_loaded(emnist_data.load_emnist_letters(quiet=True), data["split"])


def test_the_emnist_package_zip_comes_before_the_letters_folder(home, data, serve):
    server = serve(data["body"])
    zip_path = home / ".cache" / "emnist" / "emnist.zip"
    zip_path.parent.mkdir(parents=True)
    zip_path.write_bytes(data["body"])
    assert emnist_data.emnist_cache_path() == zip_path
    assert_loaded(emnist_data.load_emnist_letters(quiet=True), data["split"])
    assert server.requests == []
