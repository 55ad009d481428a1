"""A stand-in for NIST's web server, on 127.0.0.1, for the download tests and bench/bench_fetch.py.

``Server(body)`` serves the bytes ``body`` at ``/gzip.zip`` on a free port, in
a thread, until ``close()``. Like NIST's server, as far as it is publicly
reported, it answers Range requests with 206 and refuses the default
User-Agents of Python's HTTP libraries with 403. It counts the body bytes it
sends (``bytes_sent``) and records each request's Range and User-Agent
(``requests``). ``mode`` makes it misbehave, and may be changed between calls:

- ``"good"``: as above;
- ``"no-range"``: ignores Range and sends the whole file with 200;
- ``"cut-once"``: hangs up halfway through its first answer, then is good
  (``"no-range cut-once"`` does both);
- ``"cut"``: hangs up when a transfer reaches byte ``cut_at`` of the file,
  then goes ``"down"``;
- ``"down"``: hangs up on every request without answering;
- ``"html"``: answers every request with a web page;
- ``"forbidden"``: answers every request with 403.

``delay`` (seconds) slows it down: it waits that long before each 64 KiB it
sends, so that several processes' downloads overlap.

``official_like_zip(letters)`` builds a zip laid out like the official
``gzip.zip``: the letters members among larger members of other splits,
every member deflate-compressed.
"""

import io
import threading
import time
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np

DEFAULT_AGENTS = ("Python-urllib/", "python-requests/")


class Server:
    def __init__(self, body, mode="good", cut_at=None, delay=0):
        self.body, self.mode, self.cut_at, self.delay = body, mode, cut_at, delay
        self.requests, self.bytes_sent, self.lock = [], 0, threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                with server.lock:
                    server.requests.append((self.headers.get("Range"), self.headers.get("User-Agent", "")))
                try:
                    server.respond(self)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client hung up, as a fallback or a failing test may

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/gzip.zip"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def ranges(self):
        return [r for r, _ in self.requests]

    def reset_counts(self):
        with self.lock:
            self.requests, self.bytes_sent = [], 0

    def send(self, handler, data):
        with self.lock:  # counted before it leaves, so a client that has it sees it counted
            self.bytes_sent += len(data)
        handler.wfile.write(data)

    def respond(self, handler):
        agent = handler.headers.get("User-Agent", "")
        if self.mode == "down":
            handler.close_connection = True
            return
        if self.mode == "forbidden" or not agent or agent.startswith(DEFAULT_AGENTS):
            self.answer(handler, 403, b"Forbidden", "text/plain")
            return
        if self.mode == "html":
            self.answer(handler, 200, b"<!DOCTYPE html><html><body>This page has moved</body></html>", "text/html")
            return
        body, size = self.body, len(self.body)
        start, end = 0, size  # end is exclusive
        requested = handler.headers.get("Range")
        if requested and "no-range" not in self.mode:
            first, last = requested.removeprefix("bytes=").split("-")
            start, end = (
                (max(size - int(last), 0), size) if first == "" else (int(first), min(int(last or size - 1) + 1, size))
            )
            handler.send_response(206)
            handler.send_header("Content-Range", f"bytes {start}-{end - 1}/{size}")
        else:
            handler.send_response(200)
        handler.send_header("Content-Type", "application/zip")
        handler.send_header("Content-Length", str(end - start))
        handler.end_headers()
        stop = end
        if "cut-once" in self.mode and len(self.requests) == 1:
            stop = start + (end - start) // 2
        if self.mode == "cut" and start < self.cut_at < end:
            stop, self.mode = self.cut_at, "down"
        for offset in range(start, stop, 1 << 16):
            time.sleep(self.delay)
            self.send(handler, body[offset : min(offset + (1 << 16), stop)])
        if stop < end:
            handler.close_connection = True  # hang up mid-transfer

    def answer(self, handler, status, page, content_type):
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(page)))
        handler.end_headers()
        self.send(handler, page)

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=10)


def official_like_zip(letters, other_sizes=(1_500_000, 600_000, 1_200_000, 400_000), seed=0):
    """A zip laid out like the official gzip.zip: ``letters`` ({name: bytes}) among other splits' members.

    The official zip holds every split (balanced, byclass, bymerge, digits,
    letters, mnist) under ``gzip/``, deflate-compressed. Here two made-up
    members of random bytes come before the letters and two after, so the
    letters lie in the middle and the zip's last 64 KiB hold none of them.
    """
    rng = np.random.default_rng(seed)
    buffer = io.BytesIO()
    others = [f"gzip/emnist-{split}-idx3-ubyte.gz" for split in ("balanced-train-images", "byclass-train-images")]
    after = [f"gzip/emnist-{split}-idx3-ubyte.gz" for split in ("mnist-train-images", "mnist-test-images")]
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, size in zip(others, other_sizes[:2]):
            archive.writestr(name, rng.bytes(size))
        for name, data in letters.items():
            archive.writestr("gzip/" + name, data)
        for name, size in zip(after, other_sizes[2:]):
            archive.writestr(name, rng.bytes(size))
    return buffer.getvalue()
