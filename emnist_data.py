"""The EMNIST letters files: find them, fetch them, check them and read them.

The plumbing beside the lesson, as Nielsen's ``mnist_loader.py`` sits beside
``network.py``: you need not read it to follow ``neural_network.ipynb``.
The notebook calls ``emnist_data.load_emnist_letters()``, names the classes
with ``LETTERS`` and scales the images with ``prepare_inputs``.

- ``load_emnist_letters`` finds the four letters files (a path, ``EMNIST_DATA``,
  the ``emnist`` package's cached zip, or ``~/.cache/emnist/letters``), says
  in one line which data it loaded and whether their sha256 are the official
  ones, and returns upright images with labels 0..25.
- ``download_emnist_letters`` fetches only those four files, 35.9 MB, out of
  NIST's 535.7 MiB zip by HTTP Range requests; ``download_emnist`` fetches the
  whole zip, the fallback for a server that ignores Range.
- ``read_idx`` reads the IDX format of MNIST and EMNIST; ``orient_letters``
  stands NIST's transposed images upright.
"""

import contextlib
import functools
import gzip
import hashlib
import http.client
import os
import struct
import tempfile
import time
import urllib.error
import urllib.request
import zipfile
import zlib
from pathlib import Path

import numpy as np
from tqdm.auto import tqdm

EMNIST_URL = "https://biometrics.nist.gov/cs_links/EMNIST/gzip.zip"
EMNIST_SHA256 = "fb9bb67e33772a9cc0b895e4ecf36d2cf35be8b709693c3564cea2a019fcda8e"  # the whole zip, 535.7 MiB
EMNIST_FILES = {
    "train": ("emnist-letters-train-images-idx3-ubyte.gz", "emnist-letters-train-labels-idx1-ubyte.gz"),
    "test": ("emnist-letters-test-images-idx3-ubyte.gz", "emnist-letters-test-labels-idx1-ubyte.gz"),
}
NAMES = [name for split in ("train", "test") for name in EMNIST_FILES[split]]
# The four files the lesson reads, 35.9 MB together, as the dataset publishes them.
EMNIST_LETTERS_SHA256 = {
    "emnist-letters-train-images-idx3-ubyte.gz": "6288f418a917e007bf5fddb823a2dc7a5c6a35031401b93292a539cb12bd881f",
    "emnist-letters-train-labels-idx1-ubyte.gz": "9759af91ea6bccdf07a6040fd085861f2ec88e37f7c3f5760f6feb57106fbe5c",
    "emnist-letters-test-images-idx3-ubyte.gz": "50f0e93d75b99b463e9760b8345866f22587fa2c2fba472730a5ba09c693412d",
    "emnist-letters-test-labels-idx1-ubyte.gz": "924955c31fe7fd809b7303b5c0141282955f4b8390c74cdfd5d80435e0f4b4cb",
}  # sizes in bytes: 30,804,864, 79,283, 5,039,157 and 144
USER_AGENT = "nn-helpers/1.0 (EMNIST letters lesson)"  # NIST refuses Python's default User-Agent
STANDIN_MARKER = "SYNTHETIC-STAND-IN.txt"  # tests/synthetic_emnist.py writes it beside its files
# A process's part file that has not grown for this long was left by a process that died (each
# request times out after 60 s): another process takes it over, so no crash blocks a later load.
STALE_SECONDS = 120


LETTERS = "abcdefghijklmnopqrstuvwxyz"
"""Class k is the letter LETTERS[k]. Upper and lower case share a class."""


def prepare_inputs(images):
    """Images (n, 28, 28) of uint8 -> float32 inputs (n, 784) scaled to [0, 1]: one image per row."""
    rows = np.asarray(images).reshape(len(images), -1 if len(images) else 784)  # (0, 784) for no images
    return np.divide(rows, np.float32(255), dtype=np.float32)  # one float32 array, with no copy before it


def emnist_cache_path():
    """Where the ``emnist`` package keeps the official zip, so an existing copy is reused.

    The package is optional: without it, the path is the one it would give.
    """
    try:
        import emnist  # for its cache location only: its download addresses are dead
    except ImportError:
        return Path(os.path.expanduser("~/.cache/emnist/emnist.zip"))  # as emnist.get_cached_data_path() says
    return Path(emnist.get_cached_data_path())


def emnist_letters_folder():
    """Where the four letters files are cached: ``~/.cache/emnist/letters``, beside the zip."""
    return emnist_cache_path().parent / "letters"


def load_emnist_letters(source=None, quiet=False):
    """Load EMNIST letters as ``((x_train, y_train), (x_test, y_test))``.

    Images are uint8 arrays of shape (n, 28, 28), upright, white ink on black.
    Labels are integers 0..25: label k is the letter ``LETTERS[k]``.

    The data comes from the first of these that is set:

    1. ``source``: the official ``gzip.zip``, or a folder holding its four
       ``emnist-letters-*.gz`` files (directly or under ``gzip/``); a folder
       holding none of them gets them downloaded into it;
    2. the ``EMNIST_DATA`` environment variable, read the same way;
    3. the ``emnist`` package's cached zip, ``~/.cache/emnist/emnist.zip``;
    4. the four files in ``~/.cache/emnist/letters``;
    5. a download of just those four files (36 MB, once) into that folder.

    It prints one line saying where the data came from and whether it is the
    official files (each file's sha256 matches). ``quiet=True`` hides that
    line and the download's progress bar.
    """
    if source is None and os.environ.get("EMNIST_DATA"):
        source, origin = os.environ["EMNIST_DATA"], "the EMNIST_DATA environment variable"
        where = f"EMNIST_DATA={source}"
    else:
        origin, where = "the source argument", None
    if source is not None:
        path = Path(source).expanduser()
        if not path.exists():
            raise FileNotFoundError(
                f"{path} (from {origin}) does not exist. Give the official EMNIST gzip.zip, "
                "or a folder holding its emnist-letters-*.gz files."
            )
        if path.is_dir() and not any(p.is_file() for name in NAMES for p in (path / name, path / "gzip" / name)):
            path = download_emnist_letters(path, quiet=quiet)  # an empty folder to download into
    elif emnist_cache_path().exists():
        path = emnist_cache_path()
    else:
        path = download_emnist_letters(quiet=quiet)  # the letters folder, or the whole zip as a fallback
    read = _folder_reader(path) if path.is_dir() else _zip_reader(path)
    files = {name: read(name) for split in ("train", "test") for name in EMNIST_FILES[split]}
    data = tuple(_read_split(files.__getitem__, *EMNIST_FILES[split]) for split in ("train", "test"))
    if not quiet:
        print(f"EMNIST letters from {where or _tilde(path)}: {_provenance(path, files)}")
    return data


def read_idx(source, name=None, ndim=None):
    """Read an IDX file (the format of MNIST and EMNIST) into a uint8 array.

    ``source`` is a path, gzipped or not, or the file's bytes. An IDX file is
    a 4-byte magic number (0, 0, type 0x08 for uint8, number of dimensions),
    then each dimension as a big-endian 32-bit integer, then the data.
    """
    if isinstance(source, (bytes, bytearray)):
        raw, name = bytes(source), name or "IDX data"
    else:
        name = name or str(source)
        with open(source, "rb") as f:
            raw = f.read()
    if raw[:2] == b"\x1f\x8b":  # the gzip magic number
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as err:
            raise ValueError(f"{name} is a corrupt or truncated gzip file ({err}). Download it again.") from None
    if len(raw) < 4 or raw[:3] != b"\x00\x00\x08":
        raise ValueError(f"{name} is not an IDX file of bytes: its magic number is {raw[:4].hex() or 'missing'}")
    dims = raw[3]
    if ndim is not None and dims != ndim:
        raise ValueError(f"{name} holds {dims}-D data, expected {ndim}-D (magic number {raw[:4].hex()})")
    header = 4 + 4 * dims
    shape = struct.unpack(f">{dims}I", raw[4:header]) if len(raw) >= header else None
    if shape is None or len(raw) != header + int(np.prod(shape)):
        raise ValueError(f"{name} is truncated or corrupt: {len(raw)} bytes do not fit the header's shape {shape}")
    return np.frombuffer(raw, dtype=np.uint8, offset=header).reshape(shape)


def orient_letters(images, labels, name="EMNIST letters"):
    """Official IDX arrays -> upright images (n, 28, 28) and labels 0..25.

    NIST stores each image transposed, so swapping the two pixel axes stands
    the letters up; its labels run 1..26, so subtracting 1 starts them at 0.
    """
    if images.ndim != 3 or images.shape[1:] != (28, 28):
        raise ValueError(f"{name}: images must have shape (n, 28, 28), found {images.shape}")
    if len(images) != len(labels):
        raise ValueError(f"{name}: {len(images)} images but {len(labels)} labels; the files do not belong together")
    if len(labels) and (labels.min() < 1 or labels.max() > 26):
        raise ValueError(f"{name}: letters labels must lie in 1..26, found {labels.min()}..{labels.max()}")
    return np.ascontiguousarray(images.swapaxes(1, 2)), labels.astype(np.int64) - 1


def _read_split(read, images_file, labels_file):
    images = read_idx(read(images_file), images_file, ndim=3)
    labels = read_idx(read(labels_file), labels_file, ndim=1)
    return orient_letters(images, labels, images_file.replace("-images-idx3-ubyte.gz", ""))


def _folder_reader(folder):
    def read(name):
        for path in (folder / name, folder / "gzip" / name):
            if path.is_file():
                return path.read_bytes()
        raise FileNotFoundError(f"{name} is in neither {folder} nor {folder / 'gzip'}")

    return read


def _zip_reader(path):
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        with open(path, "rb") as f:
            start = f.read(40)
        raise ValueError(
            f"{path} is not a zip file (it starts with {start!r}). If it is a failed download, "
            "delete it, or replace it with download_emnist(overwrite=True), and run again."
        ) from None
    with archive:
        members = set(archive.namelist())

    def read(name):
        for member in ("gzip/" + name, name):
            if member in members:
                with zipfile.ZipFile(path) as archive:
                    return archive.read(member)
        raise ValueError(f"{path} has no entry gzip/{name}: it is not the official EMNIST gzip.zip")

    return read


def _provenance(path, files):
    """Whether ``files`` ({name: bytes}) are the official four, by sha256; else what they are instead."""
    if all(hashlib.sha256(data).hexdigest() == EMNIST_LETTERS_SHA256.get(name) for name, data in files.items()):
        return "the official files (sha256 verified)"
    standin = "the project's SYNTHETIC stand-in, " if _is_standin(path) else ""
    return f"{standin}NOT the official EMNIST files: results below are not EMNIST results"


def _is_standin(path):
    """Whether ``path`` (a zip or folder) holds the marker that tests/synthetic_emnist.py writes."""
    if path.is_dir():
        return (path / STANDIN_MARKER).is_file() or (path / "gzip" / STANDIN_MARKER).is_file()
    with zipfile.ZipFile(path) as archive:
        return bool({STANDIN_MARKER, "gzip/" + STANDIN_MARKER} & set(archive.namelist()))


def _tilde(path):
    """``path`` with the home folder written as ``~``, the way a learner types it."""
    try:
        return "~/" + Path(path).relative_to(Path.home()).as_posix()
    except ValueError:
        return str(path)


def download_emnist_letters(folder=None, url=None, quiet=False):
    """Fetch only the four letters files (35.9 MB) out of the official zip (535.7 MiB) into ``folder``.

    The standard ``zipfile`` module reads the zip's table of contents (its
    central directory, at the end) through ``_RangeFile``, which asks the
    server for byte ranges. Each letters member's compressed bytes then come
    by Range into a part file in ``folder`` (see ``_fetch_shared``: several
    processes may fetch into one folder at once). A transfer that breaks off
    keeps its ``<name>.part``, and the next call continues it where it stopped.
    Each file is unpacked and checked against its size and
    ``EMNIST_LETTERS_SHA256`` before it is renamed into place; one that fails
    is deleted, never used. Files already in ``folder`` are not touched.

    Returns ``folder``; or, where the server ignores Range, falls back to
    ``download_emnist`` (the whole zip, beside the letters folder or into the
    ``folder`` given) and returns that zip's path.
    """
    zip_dest = Path(folder) / "emnist.zip" if folder is not None else None  # None: the emnist package's path
    folder = Path(folder) if folder is not None else emnist_letters_folder()
    url = url or os.environ.get("EMNIST_URL") or EMNIST_URL
    missing = [name for name in NAMES if not (folder / name).is_file()]
    if not missing:
        return folder  # a complete cache: no request at all
    try:
        remote = _RangeFile(url)
        with zipfile.ZipFile(remote) as archive:
            members = {name: _letters_member(archive, name, url) for name in missing}
        starts = {name: _data_start(remote, info) for name, info in members.items()}
    except _RangeIgnored:
        return download_emnist(zip_dest, url=url, quiet=quiet)
    except zipfile.BadZipFile:
        raise ValueError(
            f"{url} did not send a zip file (its last bytes hold no zip directory). "
            "Set EMNIST_URL to a working copy of the EMNIST gzip.zip, or fetch it by hand."
        ) from None
    except (urllib.error.URLError, OSError, http.client.HTTPException) as err:
        raise _offline_error(url, err) from None
    total = sum(info.compress_size for info in members.values())
    try:
        with _writing():
            folder.mkdir(parents=True, exist_ok=True)
        with tqdm(desc="EMNIST letters", total=total, unit="B", unit_scale=True, disable=quiet) as bar:
            for name, info in members.items():
                dest = folder / name
                fetch = functools.partial(_fetch_member, url, info, starts[name], dest=dest, bar=bar)  # fetch(part)
                if not _fetch_shared(dest, folder / f"{name}.part", fetch, bar):
                    bar.update(info.compress_size)  # another process fetched it
    except _Unwritable as err:
        raise _unwritable_error(folder, err.__cause__) from None
    return folder


class _Unwritable(Exception):
    """Writing into the cache folder failed (read-only, or a full disk); ``__cause__`` says why.

    Not an OSError, so the handlers for a broken network let it through."""


@contextlib.contextmanager
def _writing():
    """Turn a failure to write a file into ``_Unwritable``."""
    try:
        yield
    except OSError as err:
        raise _Unwritable() from err


def _unwritable_error(folder, err):
    return OSError(
        f"Cannot save the EMNIST download in {folder} ({err}). Nothing half-written was kept there.\n"
        "To download elsewhere, make an empty folder where you can write (on another disk, or in a temporary "
        "folder), set the environment variable EMNIST_DATA to it and run again: the letters files are fetched "
        "into it. In a notebook: import os; os.environ['EMNIST_DATA'] = '/path/to/that/folder'.\n"
        "Or free some space there, or point EMNIST_DATA at the EMNIST gzip.zip fetched by hand."
    )


def _fetch_shared(dest, part, fetch, bar, done=None):
    """Make ``dest`` with ``fetch(own)``, though other processes may be making it too; False if one of them did.

    Several kernels may share one cache. Each process fetches into a part file
    of its own, ``<part>.<pid>-<time>``, so no two ever write into one file,
    and ``dest`` appears only by an atomic rename of a checked file. While
    another process's file grows, this one waits for its ``dest``; if that
    process stops without one (a break, a bad file), this one carries on. A
    transfer that broke off is left as ``part``, which the next caller takes
    over (``_own_part``) and continues: resuming works across processes too.
    """
    done = done or dest.is_file
    told = False
    while not done():
        with _writing():
            own = _own_part(part)
        if own is None:  # another process is fetching it right now
            if not told and not bar.disable:
                bar.write(f"Another process is downloading {dest.name} into {dest.parent}: waiting for it.")
            told = True
            time.sleep(0.2)
            continue
        try:
            fetch(own)
        except _Unwritable:
            own.unlink(missing_ok=True)  # a full disk: keep nothing half-written
            raise
        except BaseException:
            _release_part(own, part)  # what arrived stays, for the next call to continue
            raise
        return True
    return False


def _own_part(part):
    """A part file of this process's own to fetch into, or None while another process's part file grows.

    ``part`` itself, left by a transfer that broke off, is taken over and
    continued; so is another process's file that has not grown for
    ``STALE_SECONDS`` (that process died). Taking one over is an atomic
    rename, so of two processes only one gets it.
    """
    others = sorted(part.parent.glob(part.name + ".*"))
    mine = f"{part.name}.{os.getpid()}-"  # one this process left (a release that failed): not in progress
    if any(_age(p) < STALE_SECONDS and not p.name.startswith(mine) for p in others):
        return None
    own = part.with_name(f"{part.name}.{os.getpid()}-{time.time_ns()}")  # the name says when it was taken
    for candidate in (part, *others):
        try:
            os.rename(candidate, own)
            return own
        except (FileNotFoundError, PermissionError):  # taken by another process first (on Windows: still open)
            continue
    open(own, "xb").close()
    return own


def _age(path):
    """Seconds since the part file ``path`` last grew, or was taken over (its name ends in that time)."""
    try:
        changed = path.stat().st_mtime
    except FileNotFoundError:
        return float("inf")
    taken = path.name.rpartition("-")[2]
    return time.time() - max(changed, int(taken) / 1e9 if taken.isdigit() else 0)


def _release_part(own, part):
    """Leave what arrived in ``own`` as ``part`` for the next call to continue: the longer, if ``part`` exists."""
    try:
        if own.stat().st_size == 0 or (part.exists() and part.stat().st_size >= own.stat().st_size):
            own.unlink()
        else:
            os.replace(own, part)
    except OSError:
        pass  # it was taken over, or cannot be moved: it is only a part file, never read as data


class _RangeIgnored(Exception):
    """The server answered a Range request with the whole file."""


class _RangeFile:
    """A remote file read by HTTP Range requests: just the seek, tell and read that ``zipfile`` needs.

    A zip keeps its table of contents at its end, so the first request asks
    for the last 64 KiB and keeps them: listing the members costs that one
    request, however large the zip.
    """

    def __init__(self, url, tail=1 << 16):
        self.url, self.position = url, 0
        with _request(url, f"bytes=-{tail}") as response:
            if response.status != 206:
                raise _RangeIgnored(url)
            size = response.headers.get("Content-Range", "").rpartition("/")[2]  # "bytes a-b/size"
            if not size.isdigit():
                raise ValueError(f"{url} answered a Range request without the file's size; set EMNIST_URL to a mirror.")
            self.size, self.tail = int(size), response.read()
        self.tail_start = self.size - len(self.tail)

    def seek(self, offset, whence=os.SEEK_SET):
        self.position = offset + (0, self.position, self.size)[whence]
        return self.position

    def tell(self):
        return self.position

    def read(self, n=-1):
        end = self.size if n is None or n < 0 else min(self.position + n, self.size)
        if end <= self.position:
            data = b""
        elif self.position >= self.tail_start:
            data = self.tail[self.position - self.tail_start : end - self.tail_start]
        else:
            with _request(self.url, f"bytes={self.position}-{end - 1}") as response:
                if response.status != 206:
                    raise ValueError(f"{self.url} stopped answering Range requests; run again later.")
                data = response.read()
        self.position += len(data)
        return data


def _request(url, byte_range=None):
    """Open ``url`` with the project's User-Agent (and a Range, if given); a web page is an error."""
    headers = {"User-Agent": USER_AGENT} | ({"Range": byte_range} if byte_range else {})
    response = urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=60)
    if "html" in response.headers.get("Content-Type", ""):
        response.close()
        raise ValueError(
            f"{url} answered with a web page, not the EMNIST zip: the address has moved "
            "or needs a browser. Set EMNIST_URL to a working copy, or fetch it by hand."
        )
    return response


def _letters_member(archive, name, url):
    for member in ("gzip/" + name, name):
        if member in archive.NameToInfo:
            return archive.getinfo(member)
    raise ValueError(
        f"The zip at {url} has no entry gzip/{name}: it is not the EMNIST gzip.zip. "
        "Set EMNIST_URL to a working copy of it, or fetch it by hand."
    )


def _data_start(remote, info):
    """Where a member's compressed bytes begin: after its local header, whose two lengths say how long it is."""
    remote.seek(info.header_offset)
    header = remote.read(zipfile.sizeFileHeader)
    if header[:4] != zipfile.stringFileHeader:
        raise ValueError(f"The zip at {remote.url} is damaged: {info.filename} has no header. Try again later.")
    *_, name_length, extra_length = struct.unpack(zipfile.structFileHeader, header)
    return info.header_offset + len(header) + name_length + extra_length


def _fetch_member(url, info, start, part, dest, bar):
    """Fetch (or continue) one member into ``part``, check it, and rename it into ``dest``.

    A ``part`` left by an earlier call that proves wrong once finished may
    hold bytes from another server: it is emptied and fetched once afresh.
    """
    bar.update(part.stat().st_size)
    for _ in range(2 if part.stat().st_size else 1):  # an old part, then afresh; or afresh only
        _continue_part(url, start, info.compress_size, part, bar)
        data = _unpack(part.read_bytes(), info)
        digest = hashlib.sha256(data).hexdigest() if data is not None else None
        if data is not None and len(data) == info.file_size and digest == EMNIST_LETTERS_SHA256.get(dest.name):
            break
        bar.update(-part.stat().st_size)
        with _writing():
            part.write_bytes(b"")
    else:
        part.unlink()
        raise ValueError(
            f"{dest.name} from {url} is not the official file: its sha256 is {digest}, not "
            f"{EMNIST_LETTERS_SHA256.get(dest.name)} (or it was damaged on the way). It was deleted, "
            "not used. Run again, or set EMNIST_URL to another copy of the EMNIST gzip.zip."
        )
    if not dest.exists():  # else another process has just put the same checked file there
        with _writing():
            _write_atomically(dest, data)
    part.unlink()


def _write_atomically(dest, data):
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=dest.name + ".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, dest)  # atomic: dest is either absent or whole
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def _continue_part(url, start, size, part, bar):
    """Append bytes ``start + len(part)`` up to ``start + size`` of ``url`` to the file ``part``.

    A transfer that breaks off is tried again while it brings new bytes. If
    it still fails, ``part`` keeps what arrived, for the next call to continue.
    """
    with open(part, "r+b") as f:
        f.seek(0, os.SEEK_END)
        if f.tell() > size:  # not a piece of this member: start again
            bar.update(-f.tell())
            f.seek(0)
            f.truncate()
        for _ in range(20):
            have = f.tell()
            if have == size:
                return
            try:
                with _request(url, f"bytes={start + have}-{start + size - 1}") as response:
                    if response.status != 206:
                        raise ValueError(f"{url} stopped answering Range requests; run again later.")
                    # 64 KiB at a time: each write shows waiting processes that this one is alive
                    while chunk := response.read(min(1 << 16, size - f.tell())):
                        with _writing():
                            f.write(chunk)
                        bar.update(len(chunk))
                if f.tell() < size:  # http.client reads a cut-off body as a quiet end
                    raise http.client.IncompleteRead(b"", size - f.tell())
            except (urllib.error.URLError, OSError, http.client.HTTPException) as err:
                if isinstance(err, urllib.error.HTTPError) or f.tell() == have:
                    raise _offline_error(url, err, _released(part) if f.tell() else None) from None
        raise ConnectionError(
            f"The download from {url} kept breaking off; run again later to continue {_released(part)}."
        )


def _released(own):
    """The name a process's part file is left under when its transfer breaks off (see ``_release_part``)."""
    return own.with_name(own.name.rpartition(".")[0])


def _unpack(compressed, info):
    """A member's own bytes from its bytes in the zip (stored, or raw deflate); None if they do not unpack."""
    if info.compress_type == zipfile.ZIP_STORED:
        return compressed
    if info.compress_type != zipfile.ZIP_DEFLATED:
        raise ValueError(f"{info.filename} uses zip compression method {info.compress_type}; EMNIST uses deflate")
    try:
        return zlib.decompress(compressed, wbits=-zlib.MAX_WBITS)  # a zip member is raw deflate: no zlib header
    except zlib.error:
        return None


def download_emnist(dest=None, url=None, sha256=None, overwrite=False, quiet=False):
    """Download the whole official zip (535.7 MiB) to ``dest`` and return its path.

    The fallback for a server that ignores Range requests; ``dest`` defaults
    to the ``emnist`` package's cache. The file streams into a part file of
    this process's own (see ``_fetch_shared``). A transfer cut off midway
    continues with a Range request, in this call or the next, which finds
    it as ``<dest>.part`` (or restarts, where the server ignores Range).
    Only once its sha256 matches is it renamed into place; a finished part
    with the wrong sha256 is deleted. So ``dest`` is never a half-written or
    wrong file, and an existing ``dest`` is untouched unless a good copy
    replaces it (``overwrite=True``). ``EMNIST_URL`` and ``EMNIST_SHA256`` in
    the environment choose a mirror.
    """
    dest = Path(dest) if dest is not None else emnist_cache_path()
    url = url or os.environ.get("EMNIST_URL") or EMNIST_URL
    sha256 = (sha256 or os.environ.get("EMNIST_SHA256") or EMNIST_SHA256).lower()
    if dest.exists() and not overwrite:
        return dest

    def fetch(own):
        with open(own, "r+b") as f:
            f.seek(0, os.SEEK_END)
            bar.update(f.tell())
            for _ in range(20):  # give up when an attempt brings nothing new
                before = f.tell()
                try:
                    _fetch(url, f, bar)
                    break
                except (urllib.error.URLError, OSError, http.client.HTTPException) as err:
                    if isinstance(err, urllib.error.HTTPError) or f.tell() == before:
                        raise _offline_error(url, err, _released(own) if f.tell() else None) from None
            else:
                raise ConnectionError(f"The download from {url} kept breaking off; run again later to continue {part}.")
        with open(own, "rb") as f:
            digest = _sha256(f)
        if digest != sha256:
            own.unlink()
            raise ValueError(
                f"The file from {url} has sha256 {digest}, not {sha256}: it is not the official "
                "EMNIST gzip.zip (or it was damaged on the way). It was deleted, not used; try again."
            )
        with _writing():
            os.replace(own, dest)

    part = dest.with_name(dest.name + ".part")
    try:
        with _writing():
            dest.parent.mkdir(parents=True, exist_ok=True)
        with tqdm(desc="EMNIST zip", unit="B", unit_scale=True, disable=quiet) as bar:
            _fetch_shared(dest, part, fetch, bar, done=(lambda: False) if overwrite else None)
    except _Unwritable as err:
        raise _unwritable_error(dest.parent, err.__cause__) from None
    return dest


def _fetch(url, f, bar):
    """Append the rest of ``url`` to the open file ``f``, from ``f.tell()`` on."""
    offset = f.tell()
    with _request(url, f"bytes={offset}-" if offset else None) as response:
        if offset and not response.headers.get("Content-Range", "").startswith(f"bytes {offset}-"):
            f.seek(0)  # the server ignored Range: start again
            f.truncate()
            bar.reset()
        length = response.headers.get("Content-Length")
        end = f.tell() + int(length) if length else None
        bar.total = end
        while chunk := response.read(1 << 16):  # small, as in _continue_part
            if f.tell() == 0 and not chunk.startswith(b"PK"):
                raise ValueError(f"{url} did not send a zip file: it starts with {chunk[:40]!r}")
            with _writing():
                f.write(chunk)
            bar.update(len(chunk))
        if end is not None and f.tell() < end:  # http.client reads a cut-off body as a quiet end
            raise http.client.IncompleteRead(b"", end - f.tell())


def _sha256(f):
    digest = hashlib.sha256()
    while block := f.read(1 << 20):
        digest.update(block)
    return digest.hexdigest()


def _offline_error(url, err, part=None):
    kept = f"What arrived is kept in {part}; running again continues from there.\n" if part else ""
    return ConnectionError(
        f"Could not download EMNIST from {url} ({err}).\n{kept}"
        "To get it by hand, on any machine with a browser, do one of these, then run again:\n"
        f"- download {EMNIST_URL} (535.7 MiB) and put it at {_tilde(emnist_cache_path())};\n"
        "- or take the four emnist-letters-*.gz files (35.9 MB together) out of its gzip/ folder "
        f"and put them in {_tilde(emnist_letters_folder())};\n"
        "- or set EMNIST_DATA to that zip, or to a folder holding those four files, before starting Python or Jupyter."
    )
