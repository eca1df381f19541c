"""A live dashboard beside ``watch``: real processes, a real feed server on 127.0.0.1.

``watch --serve`` serves the web UI from the watching process; a separate ``serve`` reads a
store that a ``watch`` process writes (the writer holds the file only while it reads or writes
a batch; readers open it per request and wait while it is held). Each test adds an entry to
the feed while the dashboard runs and waits until that article's events are on the dashboard.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import duckdb
import pytest

from newsevents.errors import StoreError
from newsevents.live.feeds import url_article_id
from newsevents.live.fetch import FetchSettings
from newsevents.live.watch import Watcher
from newsevents.model import Article
from newsevents.store.database import Store, StoreFile, connect
from newsevents.web import create_app
from newsevents.web.client import LocalClient
from tests.conftest import ROOT

NEWS = Path(__file__).parent / "fixtures" / "web" / "news"
DEADLINE = 60.0
"""Longest wait for anything a test waits for (the suite never hangs)."""

FLAGS = ["--every", "1s", "--host-delay", "0", "--timeout", "5", "--retries", "0"]


# --- a feed that grows -------------------------------------------------------------------


class FeedServer(ThreadingHTTPServer):
    """An RSS feed of the stories added so far, and the story pages (tests/fixtures/web)."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), FeedHandler)
        self.stories: list[str] = []
        self.lock = threading.Lock()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def add(self, story: str) -> str:
        """Put a story (a page of tests/fixtures/web/news) in the feed; returns its URL."""
        with self.lock:
            self.stories.append(story)
        return f"{self.base}/news/{story}.html"

    def rss(self) -> bytes:
        with self.lock:
            items = "".join(
                f"<item><title>{name}</title><link>{self.base}/news/{name}.html</link></item>"
                for name in self.stories
            )
        channel = f"<channel><title>Live Wire</title>{items}</channel>"
        return f'<rss version="2.0">{channel}</rss>'.encode()


class FeedHandler(BaseHTTPRequestHandler):
    server: FeedServer

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - quiet server
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        page = NEWS / self.path.removeprefix("/news/")
        if self.path == "/feed.xml":
            self.answer(200, self.server.rss(), "application/rss+xml")
        elif self.path.startswith("/news/") and page.is_file():
            self.answer(200, page.read_bytes(), "text/html; charset=utf-8")
        else:
            self.answer(404, b"not found", "text/plain")

    def answer(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)


@pytest.fixture
def feed() -> Iterator[FeedServer]:
    server = FeedServer()
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def feeds_file(tmp_path: Path, feed: FeedServer) -> Path:
    path = tmp_path / "feeds.txt"
    path.write_text(f"{feed.base}/feed.xml\n")
    return path


# --- processes -----------------------------------------------------------------------------


class Process:
    """A newsevents command in a subprocess; its output lines are collected on threads."""

    def __init__(self, *args: str) -> None:
        self.popen = subprocess.Popen(
            [sys.executable, "-m", "newsevents", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.out: list[str] = []
        self.err: list[str] = []
        for stream, kept in ((self.popen.stdout, self.out), (self.popen.stderr, self.err)):
            threading.Thread(target=self._collect, args=(stream, kept), daemon=True).start()

    def _collect(self, stream: Any, kept: list[str]) -> None:
        for line in stream:
            kept.append(line)
            if kept is self.out:
                self.lines.put(line)

    def next_line(self, starting: str = "") -> str:
        """The next line of standard output that contains ``starting`` (bounded wait)."""
        deadline = time.monotonic() + DEADLINE
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                assert self.popen.poll() is None, f"exited early: {''.join(self.err)}"
                continue
            if starting in line:
                return line
        raise AssertionError(f"no line with {starting!r}; stderr: {''.join(self.err)}")

    def stop(self) -> int:
        """SIGTERM, then the exit status (killed if it does not end in time)."""
        self.popen.send_signal(signal.SIGTERM)
        try:
            return self.popen.wait(timeout=DEADLINE)
        finally:
            self.kill()

    def kill(self) -> None:
        if self.popen.poll() is None:
            self.popen.kill()
            self.popen.wait()


@pytest.fixture
def processes() -> Iterator[list[Process]]:
    started: list[Process] = []
    yield started
    for process in started:
        process.kill()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def get_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=DEADLINE) as response:
        return json.load(response)


def wait_for(url: str, done: Any) -> Any:
    """GET ``url`` (JSON) until ``done(answer)`` is true; the last answer."""
    deadline = time.monotonic() + DEADLINE
    while time.monotonic() < deadline:
        with contextlib.suppress(urllib.error.URLError, ConnectionError):
            answer = get_json(url)
            if done(answer):
                return answer
        time.sleep(0.3)
    raise AssertionError(f"{url} never answered as expected")


def article_events(base: str, article: str) -> str:
    return f"{base}/api/events?article={article}&mentions=true&limit=200"


def assert_intact(db: Path, urls: list[str]) -> None:
    """Each story stored once, under its URL, with every event attached to it."""
    with Store(db, read_only=True) as store:
        con = store.con
        articles = con.execute("SELECT url, content_hash FROM articles ORDER BY url").fetchall()
        orphans = con.execute(
            "SELECT count(*) FROM events WHERE article_id NOT IN (SELECT id FROM articles)"
        ).fetchone()[0]
        outcomes = dict(con.execute("SELECT url, outcome FROM fetched").fetchall())
    assert [url for url, _ in articles] == sorted(urls)
    assert len({digest for _, digest in articles}) == len(urls)
    assert orphans == 0
    assert outcomes == dict.fromkeys(urls, "stored")


def stored_view(db: Path, path: str) -> Any:
    """What the web app answers at ``path`` over the finished store (in this process)."""
    app = create_app(db)
    try:
        return LocalClient(app).get(path).json()
    finally:
        app.state.store.close()


# --- the tests -----------------------------------------------------------------------------


def test_watch_serve_shows_new_events_as_they_arrive(feed, feeds_file, tmp_path, processes):
    db, port = tmp_path / "live.duckdb", free_port()
    first = feed.add("tokyo-talks")
    watch = Process("watch", "--feeds", str(feeds_file), "--db", str(db), *FLAGS, "--serve",
                    "--port", str(port))  # fmt: skip
    processes.append(watch)
    base = f"http://127.0.0.1:{port}"
    assert watch.next_line("Serving").strip() == (
        f"Serving {db} read-only at {base}/ while watching"
    )
    wait_for(f"{base}/api/overview", lambda page: page["articles"] == 1)

    second = feed.add("sanctions")
    article = url_article_id(second)
    seen = wait_for(article_events(base, article), lambda page: page["total"] > 0)

    assert watch.stop() == 0, "".join(watch.err)
    assert "".join(watch.out).splitlines()[-1].startswith("stopped: 2 new article(s), ")
    assert_intact(db, [first, second])
    # The first answer that showed the new article showed all of it: its batch at once.
    assert seen == stored_view(db, article_events("", article))
    assert {row["article_id"] for row in seen["events"]} == {article}
    assert "JPN" in {row["source_code"] for row in seen["events"]}  # "Japan imposed sanctions"


def test_serve_reads_a_store_that_watch_is_writing(feed, feeds_file, tmp_path, processes):
    db, port = tmp_path / "shared.duckdb", free_port()
    first = feed.add("tokyo-talks")
    watch = Process("watch", "--feeds", str(feeds_file), "--db", str(db), *FLAGS)
    processes.append(watch)
    assert " cycle 1: 1 feed(s) polled (0 unchanged), 1 new entry" in watch.next_line(" cycle 1:")

    serve = Process("serve", "--db", str(db), "--port", str(port))
    processes.append(serve)
    base = f"http://127.0.0.1:{port}"
    assert serve.next_line("Serving").startswith(f"Serving {db} read-only at {base}/")
    wait_for(f"{base}/api/overview", lambda page: page["articles"] == 1)

    second = feed.add("sanctions")
    article = url_article_id(second)
    seen = wait_for(article_events(base, article), lambda page: page["total"] > 0)

    # uvicorn shuts down gracefully, then raises the SIGTERM again (it ends the process)
    assert serve.stop() in (0, -signal.SIGTERM), "".join(serve.err)
    assert "Traceback" not in "".join(serve.err)
    assert watch.stop() == 0, "".join(watch.err)
    later_cycles = [line for line in watch.out if " cycle " in line][1:]
    assert any("1 new entry" in line and " 1 new article(s)" in line for line in later_cycles)
    assert_intact(db, [first, second])
    assert seen == stored_view(db, article_events("", article))


# --- the file discipline, in one process ------------------------------------------------------


def hold(db: Path, read_only: bool) -> subprocess.Popen[str]:
    """Another process holding the store file until its standard input closes."""
    code = (
        "import sys, duckdb\n"
        f"con = duckdb.connect({str(db)!r}, read_only={read_only})\n"
        "print('held', flush=True)\n"
        "sys.stdin.read()\n"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None and child.stdout.readline() == "held\n"
    return child


def let_go(child: subprocess.Popen[str]) -> None:
    assert child.stdin is not None
    child.stdin.close()
    child.wait(timeout=DEADLINE)


def test_a_store_file_is_let_go_between_units_of_work(store_path):
    file = StoreFile(store_path, wait=0)
    with file.store() as store:
        store.con.execute("INSERT INTO meta VALUES ('probe', 'written')")
    reader = hold(store_path, read_only=True)  # opens only because the writer let go
    try:
        with pytest.raises(StoreError, match="another process holds it"), file.store():
            pass
    finally:
        let_go(reader)
    with file.store() as store:
        assert store.con.execute("SELECT value FROM meta WHERE key = 'probe'").fetchone() == (
            "written",
        )
    file.close()


def test_opening_waits_while_another_process_writes(store_path):
    StoreFile(store_path).close()
    writer = hold(store_path, read_only=False)
    releaser = threading.Timer(0.5, let_go, (writer,))
    releaser.start()
    try:
        con = connect(str(store_path), read_only=True, wait=DEADLINE)
    finally:
        releaser.join()
    assert con.execute("SELECT count(*) FROM articles").fetchone() == (0,)
    con.close()


def test_a_reading_transaction_sees_one_snapshot_and_cannot_write(store_path):
    file = StoreFile(store_path)
    later = "SELECT count(*) FROM meta WHERE key = 'later'"
    with file.reading() as reader, file.store() as writer:
        assert reader.execute(later).fetchone() == (0,)
        writer.con.execute("INSERT INTO meta VALUES ('later', 'x')")
        assert writer.con.execute(later).fetchone() == (1,)
        assert reader.execute(later).fetchone() == (0,)
        with pytest.raises(duckdb.Error, match="read-only"):
            reader.execute("INSERT INTO meta VALUES ('intruder', 'x')")
    with file.reading() as reader:
        assert reader.execute(later).fetchone() == (1,)
    file.close()


def test_articles_are_coded_while_the_store_file_is_let_go(
    pipeline, feed, feeds_file, store_path, monkeypatch
):
    urls = [feed.add("tokyo-talks"), feed.add("sanctions")]
    code = pipeline.pipe
    free_while_coding: list[bool] = []

    def watched_pipe(records):
        records = list(records)
        if any(isinstance(r, Article) for r in records):
            try:  # in this process too: a connection of another kind is refused while one is open
                connect(str(store_path), read_only=True, wait=0).close()
                free_while_coding.append(True)
            except StoreError:
                free_while_coding.append(False)
        yield from code(records)

    monkeypatch.setattr(pipeline, "pipe", watched_pipe)
    with StoreFile(store_path) as file, Watcher(file, pipeline, FetchSettings(host_delay=0)) as w:
        summary = w.poll_file(feeds_file)
    assert (summary.articles, summary.errors) == (2, 0)
    assert free_while_coding == [True]  # both articles coded in one go, with the file let go
    assert_intact(store_path, urls)


def test_a_busy_store_answers_503_and_the_app_recovers(store_path):
    StoreFile(store_path).close()
    app = create_app(StoreFile(store_path, read_only=True, wait=0))
    client = LocalClient(app)
    writer = hold(store_path, read_only=False)
    try:
        busy = client.get("/api/overview")
    finally:
        let_go(writer)
    assert busy.status_code == 503
    assert busy.json()["error"].startswith("the store is held by another process")
    assert str(store_path) not in busy.text
    assert client.get("/api/overview").json()["articles"] == 0
    app.state.store.close()


def test_watch_flags_host_and_port_need_serve(tmp_path):
    from click.testing import CliRunner

    from newsevents.cli.main import cli

    feeds = tmp_path / "feeds.txt"
    feeds.write_text("http://127.0.0.1:9/feed.xml\n")
    args = ["watch", "--feeds", str(feeds), "--db", str(tmp_path / "x.duckdb"), "--port", "9"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    assert "--host and --port go with --serve" in result.output
