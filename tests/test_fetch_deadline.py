"""The fetch deadline bounds a URL's whole exchange, and the exit codes of fetch and watch.

Raw socket servers on 127.0.0.1 misbehave the ways a slow or hostile site does: headers one
line a second, a body a few bytes a second, a trickling robots.txt, an endless chain of slow
redirects, a 503 forever, and a listener whose accept queue is full (connecting hangs). The
per-operation timeout (5 s) is longer than the deadline, so only the deadline can end them.
The library is driven in-process; the command in a real ``newsevents fetch`` subprocess.

Timings are generous upper bounds (deadline + a few seconds), not benchmarks.
"""

from __future__ import annotations

import contextlib
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from newsevents.live.deadline import DeadlineBackend
from newsevents.live.fetch import Fetched, Fetcher, FetchFailure, FetchSettings, Request
from newsevents.store.database import Store

NEWSEVENTS = str(Path(sys.executable).with_name("newsevents"))
WEB = Path(__file__).parent / "fixtures" / "web"

DEADLINE = 2.0
TIMEOUT = 5.0
"""Longer than the deadline: a trickle never waits this long for a byte."""
INTERVAL = 0.5
"""Seconds between two trickled pieces."""
MARGIN = 4.0
"""Slack over the deadline for a busy machine (the old code took minutes)."""
SETTINGS = FetchSettings(
    deadline=DEADLINE,
    timeout=TIMEOUT,
    retries=10,
    backoff=0.1,
    max_retry_after=5.0,
    max_redirects=30,
    host_delay=0.0,
)

Behaviour = Callable[["RawServer", socket.socket, str], None]


# --- misbehaving servers -----------------------------------------------------------------------


class RawServer:
    """A socket server on 127.0.0.1: every request is answered by ``behaviour`` (robots.txt by
    ``robots``) on a thread of its own, and the connection closed. Records when it was first
    asked; ``close`` stops every trickle."""

    def __init__(self, behaviour: Behaviour, robots: Behaviour | None = None) -> None:
        self.behaviour = behaviour
        self.robots = robots or not_found
        self.stopping = threading.Event()
        self.first_at: float | None = None
        self.paths: list[str] = []
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.base = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        threading.Thread(target=self._accept, daemon=True).start()

    def close(self) -> None:
        self.stopping.set()
        self._listener.close()

    def _accept(self) -> None:
        while not self.stopping.is_set():
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: socket.socket) -> None:
        with conn, contextlib.suppress(OSError):
            path = _request_path(conn)
            with self._lock:
                self.first_at = self.first_at or time.monotonic()
                self.paths.append(path)
            answer = self.robots if path == "/robots.txt" else self.behaviour
            answer(self, conn, path)

    def trickle(self, conn: socket.socket, pieces: Iterator[bytes]) -> None:
        """Send one piece every INTERVAL until the pieces run out or the server stops."""
        for piece in pieces:
            if self.stopping.wait(INTERVAL):
                return
            conn.sendall(piece)


def _request_path(conn: socket.socket) -> str:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(4096)
        if not chunk:
            break
        data += chunk
    return data.split(b" ", 2)[1].decode() if data.count(b" ") >= 2 else "/"


def not_found(server: RawServer, conn: socket.socket, path: str) -> None:
    conn.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")


def headers_trickle(server: RawServer, conn: socket.socket, path: str) -> None:
    """``HTTP/1.1 200 OK``, then one header line every INTERVAL, for two minutes."""
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n")
    server.trickle(conn, (f"X-Wait-{n}: {n}\r\n".encode() for n in range(240)))


def body_trickle(server: RawServer, conn: socket.socket, path: str) -> None:
    """Complete headers, then a few bytes of the body every INTERVAL, for two minutes."""
    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n"
    conn.sendall(head + b"<html><body>")
    server.trickle(conn, (b"<p>more</p>" for _ in range(240)))


def slow_redirect(server: RawServer, conn: socket.socket, path: str) -> None:
    """After INTERVAL, a redirect to the next hop; the chain never ends."""
    if server.stopping.wait(INTERVAL):
        return
    hop = int(path.rsplit("/", 1)[-1]) if path.startswith("/hop/") else 0
    conn.sendall(
        f"HTTP/1.1 302 Found\r\nLocation: /hop/{hop + 1}\r\nContent-Length: 0\r\n"
        "Connection: close\r\n\r\n".encode()
    )


def busy(server: RawServer, conn: socket.socket, path: str) -> None:
    conn.sendall(
        b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Length: 0\r\n"
        b"Connection: close\r\n\r\n"
    )


def quick_page(server: RawServer, conn: socket.socket, path: str) -> None:
    body = (WEB / "news" / "sanctions.html").read_bytes()
    head = f"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {len(body)}\r\n"
    conn.sendall(head.encode() + b"Connection: close\r\n\r\n" + body)


class FullBacklog:
    """A listener that never accepts, its queue filled by one connection: connecting to it
    hangs (the kernel drops the SYNs)."""

    def __init__(self) -> None:
        self._listener = socket.socket()
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(0)
        self._filler = socket.create_connection(self._listener.getsockname())
        self.base = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self.first_at = None

    def close(self) -> None:
        self._filler.close()
        self._listener.close()


@contextlib.contextmanager
def running(*servers: RawServer | FullBacklog) -> Iterator[None]:
    try:
        yield
    finally:
        for server in servers:
            server.close()


def timed_get(url: str, settings: FetchSettings = SETTINGS) -> tuple[object, float]:
    started = time.monotonic()
    with Fetcher(settings) as fetcher:
        answer = fetcher.get(Request(url))
    return answer, time.monotonic() - started


# --- the library ---------------------------------------------------------------------------------

D = f"the {DEADLINE:g} s deadline passed"

CASES = {
    "headers one line at a time": (
        headers_trickle,
        None,
        "/news.html",
        rf"{D} while waiting for the headers of the answer \(1 attempt\)",
    ),
    "body a few bytes at a time": (
        body_trickle,
        None,
        "/news.html",
        rf"{D} after \d+ bytes of the body \(1 attempt\)",
    ),
    "robots.txt one line at a time": (
        not_found,
        headers_trickle,
        "/news.html",
        rf"robots.txt of http://127.0.0.1:\d+ unreachable \({D} while reading it\)",
    ),
    "endless slow redirects": (
        slow_redirect,
        None,
        "/hop/0",
        rf"{D} while waiting for the headers of the answer \(1 attempt\)",
    ),
    "503 and Retry-After forever": (
        busy,
        None,
        "/news.html",
        r"HTTP 503 Service Unavailable \(2 attempts\); a retry in 1 s would end after the "
        rf"{DEADLINE:g} s deadline",
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_the_deadline_ends_a_misbehaving_exchange(case):
    behaviour, robots, path, reason = CASES[case]
    server = RawServer(behaviour, robots)
    with running(server):
        answer, took = timed_get(server.base + path)
    assert isinstance(answer, FetchFailure), answer
    assert answer.outcome == "transient"
    assert re.fullmatch(reason, answer.reason), answer.reason
    assert took < DEADLINE + MARGIN


def test_the_deadline_bounds_connecting():
    server = FullBacklog()
    with running(server):
        answer, took = timed_get(server.base + "/news.html")
    assert isinstance(answer, FetchFailure)
    expected = f"robots.txt of {server.base} unreachable ({D} while connecting)"
    assert answer.reason == expected
    assert took < DEADLINE + MARGIN


def test_the_deadline_bounds_a_name_lookup(monkeypatch):
    """getaddrinfo takes no timeout; a resolver that does not answer must not hold the fetch."""
    release = threading.Event()
    real = socket.getaddrinfo

    def resolver(host, *args, **kwargs):
        if host == "slow-dns.test":
            release.wait(30)  # a hung resolver (released at the end, so no thread lingers)
            raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    try:
        answer, took = timed_get("http://slow-dns.test/news.html")
    finally:
        release.set()
    assert isinstance(answer, FetchFailure)
    expected = f"robots.txt of http://slow-dns.test unreachable ({D} while connecting)"
    assert answer.reason == expected
    assert took < DEADLINE + MARGIN


def test_waiting_for_the_hosts_turn_is_not_counted():
    """Three pages of one host, 1 s apart by the rate limit, each within a 0.8 s deadline: the
    politeness waits are not the server's doing and do not eat into it."""
    server = RawServer(quick_page)
    settings = FetchSettings(deadline=0.8, timeout=5.0, host_delay=1.0, retries=0)
    with running(server), Fetcher(settings) as fetcher:
        started = time.monotonic()
        urls = [f"{server.base}/news/{n}.html" for n in range(3)]
        answers = fetcher.get_many([Request(url) for url in urls])
        took = time.monotonic() - started
    assert [type(a) for a in answers] == [Fetched, Fetched, Fetched], answers
    assert took >= 2.8  # robots.txt and three pages, 1 s apart


def test_every_connection_of_the_fetcher_keeps_to_the_deadline():
    """The deadline lives in the network backend under httpx's pools; a new httpx that moves
    them must fail here, not silently drop the guarantee."""
    with Fetcher(SETTINGS) as fetcher:
        pool = fetcher._client._transport._pool
        assert isinstance(pool._network_backend, DeadlineBackend)


# --- the commands ---------------------------------------------------------------------------------


class FailingSite(ThreadingHTTPServer):
    """A feed whose two entries both fail: a page that is gone, and a PDF."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), FailingHandler)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class FailingHandler(BaseHTTPRequestHandler):
    server: FailingSite

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - quiet server
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        base = self.server.base
        items = "".join(
            f"<item><title>{name}</title><link>{base}{name}</link></item>"
            for name in ("/gone.html", "/report.pdf")
        )
        answers = {
            "/feed.xml": (200, f'<rss version="2.0"><channel>{items}</channel></rss>', "text/xml"),
            "/report.pdf": (200, "%PDF-1.4", "application/pdf"),
        }
        status, body, kind = answers.get(self.path, (404, "not found", "text/plain"))
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(OSError):
            self.wfile.write(body.encode())


@pytest.fixture
def failing_site() -> Iterator[FailingSite]:
    site = FailingSite()
    threading.Thread(target=site.serve_forever, args=(0.05,), daemon=True).start()
    yield site
    site.shutdown()
    site.server_close()


def test_fetch_and_watch_where_every_page_fails(tmp_path, failing_site):
    """A real ``newsevents fetch`` over six misbehaving sites (and, beside it, a ``watch`` over
    a feed whose pages all fail): every page is recorded as failed with its reason, the fetch
    ends within the deadline of its first request, and both exit 1, not 0."""
    servers = {
        "headers": RawServer(headers_trickle),
        "body": RawServer(body_trickle),
        "robots": RawServer(not_found, headers_trickle),
        "redirects": RawServer(slow_redirect),
        "busy": RawServer(busy),
        "connect": FullBacklog(),
    }
    urls = {name: f"{s.base}/{'hop/0' if name == 'redirects' else 'news.html'}"
            for name, s in servers.items()}  # fmt: skip
    (tmp_path / "urls.txt").write_text("".join(f"{url}\n" for url in urls.values()))
    (tmp_path / "feeds.txt").write_text(f"{failing_site.base}/feed.xml\n")
    flags = ["--deadline", f"{DEADLINE:g}", "--timeout", f"{TIMEOUT:g}", "--retries", "10",
             "--backoff", "0.1", "--max-redirects", "30", "--host-delay", "0"]  # fmt: skip
    fetch = ["fetch", "--urls", "urls.txt", "--db", "fetch.duckdb", *flags]
    watch = ["watch", "--feeds", "feeds.txt", "--db", "watch.duckdb", "--cycles", "1", *flags]
    with running(*servers.values()):
        watching = subprocess.Popen([NEWSEVENTS, *watch], cwd=tmp_path, **PIPES)
        fetching = subprocess.Popen([NEWSEVENTS, *fetch], cwd=tmp_path, **PIPES)
        out, err = fetching.communicate(timeout=180)
        ended = time.monotonic()
        watch_out, watch_err = watching.communicate(timeout=180)
        first = min(s.first_at for s in servers.values() if s.first_at is not None)
    assert fetching.returncode == 1, err
    assert ended - first < DEADLINE + MARGIN, "the fetch outlived its deadline"
    assert out.startswith("0 feed(s) polled (0 unchanged), 0 new entries, 0 page(s) fetched")
    assert err == (
        f"Error: no record could be read or coded (6 error(s); the first: {urls['headers']}: "
        f"{D} while waiting for the headers of the answer (1 attempt)); "
        "'newsevents errors --db fetch.duckdb' lists them\n"
    )
    with Store(tmp_path / "fetch.duckdb", read_only=True) as store:
        rows = store.con.execute("SELECT url, outcome, reason FROM fetched").fetchall()
        errors = {(e["input"], e["stage"], e["reason"]) for e in store.errors()}
        assert store.counts()["articles"] == 0
    reasons = {url: reason for url, outcome, reason in rows if outcome == "transient"}
    assert set(reasons) == set(urls.values())
    assert {(url, "fetch", reason) for url, reason in reasons.items()} == errors
    for name, url in urls.items():
        assert D in reasons[url] or "would end after the" in reasons[url], (name, reasons[url])
    assert reasons[urls["connect"]].endswith(f"({D} while connecting)")

    assert watching.returncode == 1, watch_err
    assert watch_out.splitlines()[-1] == "stopped: 0 new article(s), 0 event(s) -> watch.duckdb"
    assert watch_err.startswith("Error: no record could be read or coded (2 error(s); the first")


PIPES = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, "text": True}
