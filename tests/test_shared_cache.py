"""Tests of emnist_data.py: one cache, several kernels: loads in separate processes at once, against the loopback server.

Each load runs in a fresh Python process (``LOAD``), as a second notebook or
a classmate's kernel would, with HOME pointing at one temporary folder they
all share. The server (tests/loopback_server.py) is slowed down so that
their downloads overlap. Also here: a cache folder that cannot be written,
and the lesson's modules without the ``emnist`` package.
"""

import hashlib
import io
import json
import os
import struct
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import numpy as np
import pytest
from emnist_layout import official_files
from loopback_server import Server, official_like_zip

import emnist_data

ROOT = Path(__file__).resolve().parents[1]
NAMES = [name for split in ("train", "test") for name in emnist_data.EMNIST_FILES[split]]

# One kernel's load: the files' own sha256 stand in for the official ones; it prints a digest of the arrays.
LOAD = """
import hashlib, json, os, sys
import emnist_data
emnist_data.EMNIST_LETTERS_SHA256 = json.loads(os.environ["TEST_LETTERS_SHA256"])
if "TEST_STALE_SECONDS" in os.environ:
    emnist_data.STALE_SECONDS = float(os.environ["TEST_STALE_SECONDS"])
data = emnist_data.load_emnist_letters(quiet=True)
print(hashlib.sha256(b"".join(a.tobytes() for pair in data for a in pair)).hexdigest())
"""


def digest(split):
    return hashlib.sha256(b"".join(np.ascontiguousarray(a).tobytes() for pair in split for a in pair)).hexdigest()


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(1)  # 2,000 training images: about 1.6 MB, 25 of the server's 64 KiB sends
    train = rng.integers(0, 256, (2000, 28, 28), dtype=np.uint8), rng.integers(0, 26, 2000)
    test = rng.integers(0, 256, (52, 28, 28), dtype=np.uint8), np.repeat(np.arange(26), 2)
    files = official_files(train, test)
    body = official_like_zip(files, other_sizes=(300_000, 100_000, 200_000, 100_000))
    return {"files": files, "body": body, "digest": digest((train, test))}


@pytest.fixture
def serve():
    servers = []

    def start(body, mode="good", delay=0.0):
        servers.append(Server(body, mode, delay=delay))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def environment(home, data, url, **extra):
    env = {k: v for k, v in os.environ.items() if k not in ("EMNIST_DATA", "EMNIST_SHA256")}
    letters = {name: hashlib.sha256(content).hexdigest() for name, content in data["files"].items()}
    env |= {
        "HOME": str(home),
        "USERPROFILE": str(home),  # the home folder on Windows
        "EMNIST_URL": url,
        "TEST_LETTERS_SHA256": json.dumps(letters),
        "EMNIST_SHA256": hashlib.sha256(data["body"]).hexdigest(),  # for the whole-zip fallback
        "PYTHONPATH": str(ROOT),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    return env | extra


def start_load(env, script=LOAD):
    return subprocess.Popen(
        [sys.executable, "-c", script], env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def finish(process, timeout=120):
    out, err = process.communicate(timeout=timeout)
    assert process.returncode == 0, err
    return out.strip()


def cache_files(home):
    root = home / ".cache" / "emnist"
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()) if root.exists() else []


def wait_for_part(folder, timeout=60):
    """The first part file in ``folder`` that holds some bytes: a process is fetching."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        parts = [p for p in folder.glob("*.part.*") if p.exists() and p.stat().st_size > 0] if folder.exists() else []
        if parts:
            return parts[0]
        time.sleep(0.02)
    raise AssertionError(f"no part file appeared in {folder}")


def test_three_processes_on_an_empty_cache_all_get_the_verified_files(tmp_path, data, serve):
    server = serve(data["body"], delay=0.02)
    env = environment(tmp_path / "home", data, server.url)
    loads = [start_load(env) for _ in range(3)]
    assert [finish(p) for p in loads] == [data["digest"]] * 3
    assert cache_files(tmp_path / "home") == sorted(f"letters/{name}" for name in NAMES)  # no part, no temp file
    for name in NAMES:
        assert (tmp_path / "home/.cache/emnist/letters" / name).read_bytes() == data["files"][name]
    server.reset_counts()
    assert finish(start_load(env)) == data["digest"]  # and the next load reads the cache
    assert server.requests == []


def test_a_second_process_waits_for_the_first_instead_of_fetching_again(tmp_path, data, serve):
    server = serve(data["body"], delay=0.02)
    env = environment(tmp_path / "home", data, server.url)
    first = start_load(env)
    wait_for_part(tmp_path / "home/.cache/emnist/letters")
    second = start_load(env)
    assert finish(first) == finish(second) == data["digest"]
    letters = sum(len(content) for content in data["files"].values())  # about the members' compressed sizes
    assert server.bytes_sent < 1.5 * letters  # each member came once (plus the two tables of contents)
    assert cache_files(tmp_path / "home") == sorted(f"letters/{name}" for name in NAMES)


def test_a_process_killed_midway_blocks_no_later_load_which_continues_its_part(tmp_path, data, serve):
    server = serve(data["body"], delay=0.05)
    env = environment(tmp_path / "home", data, server.url)
    doomed = start_load(env)
    part = wait_for_part(tmp_path / "home/.cache/emnist/letters")
    doomed.kill()  # as a crashed kernel: no clean-up runs
    doomed.communicate()
    left = part.stat().st_size
    assert left > 0
    server.delay, server.requests = 0, []
    env["TEST_STALE_SECONDS"] = "1"  # instead of two minutes, for the test
    assert finish(start_load(env)) == data["digest"]
    assert cache_files(tmp_path / "home") == sorted(f"letters/{name}" for name in NAMES)
    name = part.name.split(".part.")[0]
    start, size = member_range(data["body"], name)
    assert f"bytes={start + left}-{start + size - 1}" in server.ranges()  # continued the dead process's part ...
    assert f"bytes={start}-{start + size - 1}" not in server.ranges()  # ... rather than start it again


def member_range(body, name):
    """Where a member's compressed bytes begin in the zip ``body``, after its local header, and how many."""
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        info = archive.getinfo("gzip/" + name)
    name_length, extra_length = struct.unpack("<2H", body[info.header_offset + 26 : info.header_offset + 30])
    return info.header_offset + 30 + name_length + extra_length, info.compress_size


def test_three_processes_share_the_whole_zip_fallback(tmp_path, data, serve):
    server = serve(data["body"], "no-range", delay=0.01)  # so each must fetch the whole zip
    env = environment(tmp_path / "home", data, server.url)
    loads = [start_load(env) for _ in range(3)]
    assert [finish(p) for p in loads] == [data["digest"]] * 3
    assert cache_files(tmp_path / "home") == ["emnist.zip"]
    assert (tmp_path / "home/.cache/emnist/emnist.zip").read_bytes() == data["body"]


# -- a cache folder that cannot be written -------------------------------------


def test_a_cache_folder_that_cannot_be_made_names_it_and_says_how_to_use_emnist_data(tmp_path, data, serve):
    server = serve(data["body"])
    (tmp_path / "file").write_text("a file, so nothing can be made below it (as root, chmod would not stop us)")
    home = tmp_path / "file" / "home"
    process = start_load(environment(home, data, server.url))
    _, err = process.communicate(timeout=60)
    assert process.returncode != 0
    message = err[err.rindex("OSError: ") :]  # the error, without the traceback
    assert str(home / ".cache" / "emnist" / "letters") in message and "EMNIST_DATA" in message
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]

    elsewhere = tmp_path / "elsewhere"  # so the learner does as it says: an empty folder in EMNIST_DATA
    elsewhere.mkdir()
    assert finish(start_load(environment(home, data, server.url, EMNIST_DATA=str(elsewhere)))) == data["digest"]
    assert sorted(p.name for p in elsewhere.iterdir()) == sorted(NAMES)


FULL_DISK = """
import resource, signal
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit then fails with EFBIG, as on a full disk
resource.setrlimit(resource.RLIMIT_FSIZE, (100_000, 100_000))
"""


@pytest.mark.skipif(not hasattr(os, "fork"), reason="RLIMIT_FSIZE plays the full disk; there is none on Windows")
def test_a_full_disk_keeps_nothing_half_written_and_says_what_to_do(tmp_path, data, serve):
    server = serve(data["body"])
    home = tmp_path / "home"
    process = start_load(environment(home, data, server.url), FULL_DISK + LOAD)
    _, err = process.communicate(timeout=60)
    assert process.returncode != 0
    message = err[err.rindex("OSError: ") :]  # the error, without the traceback
    assert "Cannot save the EMNIST download in" in message and str(home / ".cache/emnist/letters") in message
    assert "EMNIST_DATA" in message
    assert cache_files(home) == []  # not even a part file: the learner must make room first


# -- without the emnist package ------------------------------------------------

NO_EMNIST = """
import sys
sys.modules["emnist"] = None  # import emnist now raises ImportError, as where it is not installed
import nn_helpers, emnist_data, augmentation, evaluation, looking_inside, handwriting, plumbing
print(emnist_data.emnist_cache_path())
(x_train, y_train), (x_test, y_test) = emnist_data.load_emnist_letters(quiet=True)
print(x_train.shape, x_test.shape)
"""


def test_the_modules_import_and_load_without_the_emnist_package(tmp_path, data):
    home = tmp_path / "home"
    cache = home / ".cache" / "emnist" / "emnist.zip"  # where the emnist package would keep the zip
    cache.parent.mkdir(parents=True)
    cache.write_bytes(data["body"])
    env = environment(home, data, "http://127.0.0.1:9/gzip.zip")  # nothing listens there: only the cache can serve
    process = start_load(env, NO_EMNIST)
    assert finish(process).splitlines() == [str(cache), "(2000, 28, 28) (52, 28, 28)"]


def test_a_part_file_this_process_left_is_continued_at_once(tmp_path, data, serve, monkeypatch):
    server = serve(data["body"])
    for name, value in environment(tmp_path / "home", data, server.url).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(emnist_data, "EMNIST_LETTERS_SHA256", json.loads(os.environ["TEST_LETTERS_SHA256"]))
    folder = tmp_path / "home/.cache/emnist/letters"
    folder.mkdir(parents=True)
    name = NAMES[0]
    start, size = member_range(data["body"], name)
    # as if an earlier call in this same process had failed to leave its part as <name>.part
    (folder / f"{name}.part.{os.getpid()}-{time.time_ns()}").write_bytes(data["body"][start : start + 1000])
    began = time.monotonic()
    emnist_data.load_emnist_letters(quiet=True)
    assert time.monotonic() - began < 30  # it did not wait STALE_SECONDS for itself
    assert f"bytes={start + 1000}-{start + size - 1}" in server.ranges()
    assert cache_files(tmp_path / "home") == sorted(f"letters/{n}" for n in NAMES)
