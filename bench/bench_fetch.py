"""Benchmark: the first fetch of EMNIST letters from a zip the size of NIST's, on a loopback server.

Not a test: it prints figures. Run from the repository root:

    python bench/bench_fetch.py [--keep /tmp/bench-gzip.zip]

It writes a zip laid out like the official ``gzip.zip`` (about 535.73 MiB):
the four letters members with the official sizes (30,804,864, 79,283,
5,039,157 and 144 bytes, deflate-compressed as NIST's are) among 24 members
of other splits that fill the rest. Their bytes are random, not EMNIST: what
is measured is the transfer, which does not depend on what the bytes show,
so the members are checked against their own sha256 (patched into
``EMNIST_LETTERS_SHA256``) and not unpacked as images. The filler members
are one random MiB repeated and stored uncompressed, which makes the zip
cheap to write; the fetch never reads them. Then a loopback server that
behaves like NIST's (tests/loopback_server.py) serves it, and the script times:

1. ``download_emnist_letters()``: the first run's fetch, by Range;
2. the same call again, with the four files cached;
3. the fallback where a server ignores Range: ``download_emnist()``, the whole zip.

Loopback has no network latency or bandwidth limit: the times show this
code's own cost; over the internet, the time is about the bytes divided by
your download speed.
"""

import argparse
import hashlib
import os
import sys
import tempfile
import time
import zipfile
from mmap import ACCESS_READ, mmap
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
from loopback_server import Server  # noqa: E402

import emnist_data  # noqa: E402

OFFICIAL_TOTAL = round(535.73 * 2**20)  # the whole official gzip.zip, in bytes (approximately)
LETTERS_SIZES = {
    "emnist-letters-train-images-idx3-ubyte.gz": 30_804_864,
    "emnist-letters-train-labels-idx1-ubyte.gz": 79_283,
    "emnist-letters-test-images-idx3-ubyte.gz": 5_039_157,
    "emnist-letters-test-labels-idx1-ubyte.gz": 144,
}
BEFORE = ["balanced", "byclass", "bymerge", "digits"]  # the splits before "letters" in the official zip
AFTER = ["mnist", "mnist-extra"]  # and after it ("mnist-extra" is made up, to fill the size)
PARTS = ["test-images-idx3", "test-labels-idx1", "train-images-idx3", "train-labels-idx1"]


def write_zip(path):
    """Write the benchmark zip; return {letters member: sha256}."""
    rng = np.random.default_rng(0)
    letters = {name: rng.bytes(size) for name, size in LETTERS_SIZES.items()}
    fillers = [f"gzip/emnist-{split}-{part}-ubyte.gz" for split in BEFORE + AFTER for part in PARTS]
    filler_size = (OFFICIAL_TOTAL - sum(LETTERS_SIZES.values())) // len(fillers)
    block = rng.bytes(1 << 20)
    with zipfile.ZipFile(path, "w") as archive:
        for i, name in enumerate(fillers):
            if i == len(BEFORE) * len(PARTS):
                for letter_name, data in letters.items():
                    archive.writestr("gzip/" + letter_name, data, compress_type=zipfile.ZIP_DEFLATED)
            with archive.open(zipfile.ZipInfo(name), "w", force_zip64=False) as member:
                for start in range(0, filler_size, len(block)):
                    member.write(block[: min(len(block), filler_size - start)])
    return {name: hashlib.sha256(data).hexdigest() for name, data in letters.items()}


def timed(server, call):
    server.reset_counts()
    start = time.perf_counter()
    call()
    return time.perf_counter() - start, server.bytes_sent, len(server.requests)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", help="write the zip here and keep it (default: a temporary file)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(args.keep or Path(tmp) / "gzip.zip")
        start = time.perf_counter()
        emnist_data.EMNIST_LETTERS_SHA256 = write_zip(path)
        print(f"wrote {path}: {path.stat().st_size / 2**20:.2f} MiB in {time.perf_counter() - start:.1f} s (not timed)")
        os.environ["HOME"] = str(Path(tmp) / "home")  # an empty cache; the real one is never touched
        with open(path, "rb") as f, mmap(f.fileno(), 0, access=ACCESS_READ) as body:
            server = Server(body)
            try:
                os.environ["EMNIST_URL"] = server.url
                os.environ["EMNIST_SHA256"] = emnist_data._sha256(f)
                size = len(body)
                letters = sum(LETTERS_SIZES.values())
                first = timed(server, lambda: emnist_data.download_emnist_letters(quiet=True))
                second = timed(server, lambda: emnist_data.download_emnist_letters(quiet=True))
                server.mode = "no-range"
                whole = timed(server, lambda: emnist_data.download_emnist(quiet=True))
            finally:
                server.close()
    print(f"the whole zip: {size:,} bytes ({size / 2**20:.2f} MiB); the four letters files: {letters:,} bytes")
    for label, (seconds, sent, requests) in [
        ("first fetch, letters only (Range)", first),
        ("second call, cache complete", second),
        ("fallback: the whole zip (no Range)", whole),
    ]:
        print(
            f"{label:38s} {sent:>13,} bytes sent ({sent / size:6.1%} of the zip) "
            f"in {requests:2d} requests, {seconds:6.2f} s"
        )


if __name__ == "__main__":
    main()
