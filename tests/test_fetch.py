"""Watching live news: feeds, URL lists, polite fetching, incremental passes and the watch loop.

Everything runs against a local HTTP server on 127.0.0.1 that the tests start; it serves the
fixture feeds and article pages in tests/fixtures/web (stories written for these tests) and a
few misbehaving endpoints: a slow page, a 429-then-200 page, redirect chains, a huge page, a PDF.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, fields
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import click
import pytest
from click.testing import CliRunner

from newsevents.cli.fetch import Duration
from newsevents.cli.main import cli
from newsevents.errors import FetchError, InputError
from newsevents.live.feeds import (
    FeedEntry,
    FeedSpec,
    normalise_url,
    parse_feed,
    read_feed_list,
    read_url_list,
    url_article_id,
)
from newsevents.live.fetch import (
    Fetched,
    Fetcher,
    FetchFailure,
    FetchSettings,
    Request,
    page_markup,
    retry_delay,
)
from newsevents.live.watch import PassSummary, Watcher
from newsevents.model import ReadError
from newsevents.store.database import Store
from newsevents.store.feeds import FeedState, FetchRecord
from tests.conftest import ROOT

WEB = Path(__file__).parent / "fixtures" / "web"
ATOM_MODIFIED = "Fri, 09 Dec 2016 10:00:00 GMT"
RSS_ETAG = '"rss-1"'
RDF_ETAG = '"rdf-1"'

FAST = FetchSettings(
    timeout=0.3,
    deadline=5.0,
    retries=1,
    backoff=0.01,
    max_retry_after=2.0,
    max_redirects=3,
    max_bytes=100_000,
    host_delay=0.0,
    host_concurrency=4,
    concurrency=8,
    batch_size=4,
)
"""Tiny limits so the misbehaving endpoints fail fast."""

FAST_FLAGS = [
    "--timeout", "0.3", "--retries", "1", "--backoff", "0.01", "--max-redirects", "3",
    "--max-bytes", "100000", "--host-delay", "0", "--batch-size", "4",
]  # fmt: skip


# --- the local server -------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    path: str
    host: str
    user_agent: str
    at: float


class FixtureServer(ThreadingHTTPServer):
    """Serves tests/fixtures/web and counts what it is asked, per path and host."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), FixtureHandler)
        self.lock = threading.Lock()
        self.hits: list[Hit] = []
        self.answered_304: list[str] = []
        self.flaky_served = False
        self.in_flight: Counter[str] = Counter()
        self.max_in_flight: Counter[str] = Counter()
        self.max_total_in_flight = 0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def paths(self) -> Counter[str]:
        with self.lock:
            return Counter(h.path for h in self.hits)

    def not_modified(self) -> list[str]:
        with self.lock:
            return sorted(self.answered_304)

    def reset(self) -> None:
        with self.lock:
            self.hits.clear()
            self.answered_304.clear()

    def record(self, hit: Hit) -> None:
        with self.lock:
            self.hits.append(hit)

    def record_304(self, path: str) -> None:
        with self.lock:
            self.answered_304.append(path)

    def pause(self, host: str, seconds: float) -> None:
        """Sleep, counting how many requests per host (and in all) sleep at the same time."""
        with self.lock:
            self.in_flight[host] += 1
            self.max_in_flight[host] = max(self.max_in_flight[host], self.in_flight[host])
            total = sum(self.in_flight.values())
            self.max_total_in_flight = max(self.max_total_in_flight, total)
        time.sleep(seconds)
        with self.lock:
            self.in_flight[host] -= 1


class FixtureHandler(BaseHTTPRequestHandler):
    server: FixtureServer

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - quiet server
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        # Bookkeeping happens before answering, so a test sees it once the answer is in.
        path = urlsplit(self.path).path
        host, agent = self.headers.get("Host", ""), self.headers.get("User-Agent", "")
        self.server.record(Hit(path, host, agent, time.monotonic()))
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # client hung up
            self.route(path)

    def route(self, path: str) -> int:
        if path == "/robots.txt":
            return self.send(200, (WEB / "robots.txt").read_bytes(), "text/plain")
        if path.startswith("/feeds/"):
            return self.feed(path.removeprefix("/feeds/"))
        if path == "/mirror/tokyo-talks.html":
            return self.page(WEB / "news" / "tokyo-talks.html")
        if path.startswith("/hop/") or path.startswith("/loop/"):
            return self.redirect(path)
        special = {
            "/slow.html": self.slow,
            "/flaky.html": self.flaky,
            "/busy.html": self.busy,
            "/huge.html": self.huge,
            "/files/report.pdf": self.pdf,
        }
        if path in special:
            return special[path]()
        if path.startswith("/pause/"):
            self.server.pause(self.headers.get("Host", ""), 0.3)
            return self.page(WEB / "news" / "sanctions.html")
        file = WEB / path.lstrip("/")
        if path.endswith(".html") and file.is_file():
            return self.page(file)
        return self.send(404, b"<html><body>Not found</body></html>", "text/html")

    def send(self, status: int, body: bytes, content_type: str, **headers: str) -> int:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)
        return status

    def page(self, file: Path) -> int:
        return self.send(200, file.read_bytes(), "text/html; charset=utf-8")

    def feed(self, name: str) -> int:
        file = WEB / "feeds" / name
        if not file.is_file():
            return self.send(404, b"no such feed", "text/plain")
        validators = {
            "rss.xml": {"ETag": RSS_ETAG},
            "atom.xml": {"Last_Modified": ATOM_MODIFIED},
            "rdf.xml": {"ETag": RDF_ETAG, "Last_Modified": ATOM_MODIFIED},
        }.get(name, {})
        etag, modified = validators.get("ETag"), validators.get("Last_Modified")
        if (etag and self.headers.get("If-None-Match") == etag) or (
            modified and self.headers.get("If-Modified-Since") == modified
        ):
            self.server.record_304(self.path)
            self.send_response(304)
            self.end_headers()
            return 304
        body = file.read_text(encoding="utf-8").replace("{base}", self.server.base)
        return self.send(200, body.encode(), "application/xml; charset=utf-8", **validators)

    def redirect(self, path: str) -> int:
        kind, number = path.strip("/").split("/")
        if kind == "hop":
            target = "/hop/2" if number == "1" else f"{self.server.base}/news/visit.html"
        else:
            target = f"/loop/{int(number) + 1}"
        self.send_response(302 if number == "1" else 301)
        self.send_header("Location", target)
        self.send_header("Content-Length", "0")
        self.end_headers()
        return 302 if number == "1" else 301

    def slow(self) -> int:
        time.sleep(1.0)
        return self.page(WEB / "news" / "sanctions.html")

    def flaky(self) -> int:
        with self.server.lock:
            first, self.server.flaky_served = not self.server.flaky_served, True
        if first:
            return self.send(429, b"slow down", "text/plain", Retry_After="0")
        return self.page(WEB / "news" / "flaky.html")

    def busy(self) -> int:
        return self.send(503, b"busy", "text/plain", Retry_After="3600")

    def huge(self) -> int:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()  # no Content-Length: the client must count and stop
        chunk = b"<p>" + b"filler text for a page that is far too large " * 200 + b"</p>\n"
        self.wfile.write(b"<html><body>")
        for _ in range(300):  # about 2.8 MB
            self.wfile.write(chunk)
        return 200

    def pdf(self) -> int:
        return self.send(200, b"%PDF-1.4\n%fixture\n", "application/pdf")


@pytest.fixture
def server() -> Iterator[FixtureServer]:
    httpd = FixtureServer()
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def feeds_file(tmp_path: Path, server: FixtureServer) -> Path:
    path = tmp_path / "feeds.txt"
    base = server.base
    path.write_text(
        "# test feeds\n"
        f"{base}/feeds/rss.xml\n"
        f"{base}/feeds/atom.xml\n"
        "\n"
        f"{base}/feeds/rdf.xml   Ledger Online\n"
        f"{base}/feeds/broken.xml\n"
        "gopher://example.org/feed\n"
        f"{base}/feeds/missing.xml\n"
        f"{base}/feeds/rss.xml?utm_source=newsletter\n"
    )
    return path


def outcomes(store: Store) -> dict[str, tuple[str, str | None]]:
    rows = store.con.execute("SELECT url, outcome, final_url FROM fetched").fetchall()
    return {url: (outcome, final) for url, outcome, final in rows}


def error_rows(store: Store) -> set[tuple[str, int | None, str, str]]:
    return {(e["input"], e["position"], e["stage"], e["reason"]) for e in store.errors()}


def assert_consistent(store: Store) -> None:
    """Nothing doubled, nothing dangling: one article per text, every event has its article,
    every stored fetch points at a stored article, event counts agree."""
    con = store.con
    hashes = con.execute("SELECT count(*), count(DISTINCT content_hash) FROM articles").fetchone()
    assert hashes[0] == hashes[1]
    orphans = "SELECT count(*) FROM events WHERE article_id NOT IN (SELECT id FROM articles)"
    assert con.execute(orphans).fetchone() == (0,)
    dangling = (
        "SELECT count(*) FROM fetched WHERE outcome IN ('stored', 'duplicate')"
        " AND article_id NOT IN (SELECT id FROM articles)"
    )
    assert con.execute(dangling).fetchone() == (0,)
    counted = con.execute(
        "SELECT sum(event_count) = (SELECT count(*) FROM events) FROM articles"
    ).fetchone()
    assert counted == (True,)
    copies = "SELECT count(*) FROM article_copies WHERE copy_of NOT IN (SELECT id FROM articles)"
    assert con.execute(copies).fetchone() == (0,)


# --- one pass over feeds ----------------------------------------------------------------


def expected_first_pass(base: str, feeds: Path) -> dict[str, object]:
    articles = {
        (f"{base}/news/tokyo-talks.html", "Japan and Russia resume talks on the island dispute",
         "Harbour Wire", dt.date(2016, 12, 6)),
        (f"{base}/news/sanctions.html", "Tokyo widens sanctions over eastern Ukraine",
         "Harbour Wire", dt.date(2016, 12, 5)),
        (f"{base}/flaky.html", "Beijing protests a joint naval drill",
         "Harbour Wire", dt.date(2016, 12, 7)),
        (f"{base}/news/visit.html", "Kremlin confirms a December visit to Japan",
         "Harbour Wire", dt.date(2016, 12, 8)),
        (f"{base}/asia/trade.html", "Seoul and Tokyo sign a customs agreement",
         "Pacific Desk", dt.date(2016, 12, 9)),
        (f"{base}/asia/missiles.html", "Tokyo protests missile deployment on the Kurils",
         "Pacific Desk", dt.date(2016, 11, 22)),
        (f"{base}/world/restraint.html", "United Nations urges calm in the East China Sea",
         "Ledger Online", dt.date(2016, 12, 10)),
    }  # fmt: skip
    fetched = {
        f"{base}/news/tokyo-talks.html": ("stored", f"{base}/news/tokyo-talks.html"),
        f"{base}/news/sanctions.html": ("stored", f"{base}/news/sanctions.html"),
        f"{base}/flaky.html": ("stored", f"{base}/flaky.html"),
        f"{base}/hop/1": ("stored", f"{base}/news/visit.html"),
        f"{base}/mirror/tokyo-talks.html": ("duplicate", f"{base}/mirror/tokyo-talks.html"),
        f"{base}/private/secret.html": ("refused", f"{base}/private/secret.html"),
        f"{base}/slow.html": ("transient", None),
        f"{base}/loop/1": ("failed", f"{base}/loop/4"),
        f"{base}/huge.html": ("failed", f"{base}/huge.html"),
        f"{base}/files/report.pdf": ("failed", f"{base}/files/report.pdf"),
        f"{base}/news/gone.html": ("failed", f"{base}/news/gone.html"),
        f"{base}/news/empty.html": ("failed", f"{base}/news/empty.html"),
        f"{base}/asia/trade.html": ("stored", f"{base}/asia/trade.html"),
        f"{base}/asia/missiles.html": ("stored", f"{base}/asia/missiles.html"),
        f"{base}/world/restraint.html": ("stored", f"{base}/world/restraint.html"),
    }
    errors = {
        (str(feeds), 7, "read", "not an http(s) URL: 'gopher://example.org/feed'"),
        (f"{base}/feeds/broken.xml", None, "feed",
         "not a well-formed feed (<unknown>:8:0: no element found), and no entry could be read"),
        (f"{base}/feeds/missing.xml", None, "feed", "HTTP 404 Not Found"),
        (f"{base}/feeds/rss.xml", 13, "feed", "feed entry has no link"),
        (f"{base}/private/secret.html", None, "fetch",
         f"robots.txt of {base} disallows /private/secret.html"),
        (f"{base}/slow.html", None, "fetch", "timed out after 0.3 s (2 attempts)"),
        (f"{base}/loop/1", None, "fetch", "more than 3 redirects"),
        (f"{base}/huge.html", None, "fetch",
         "page is larger than the limit of 100,000 bytes; download stopped"),
        (f"{base}/files/report.pdf", None, "fetch",
         "not an HTML page (content type application/pdf)"),
        (f"{base}/news/gone.html", None, "fetch", "HTTP 404 Not Found"),
        (f"{base}/news/empty.html", None, "read", "no article text found in the HTML page"),
    }  # fmt: skip
    return {"articles": articles, "fetched": fetched, "errors": errors}


def test_feeds_pass_stores_skips_and_records_exactly(pipeline, server, tmp_path, store_path):
    feeds = feeds_file(tmp_path, server)
    base = server.base
    expected = expected_first_pass(base, feeds)
    with Store(store_path) as store, Watcher(store, pipeline, FAST) as watcher:
        summary = watcher.poll_file(feeds)
        rows = store.con.execute("SELECT url, title, source, published FROM articles").fetchall()
        assert set(rows) == expected["articles"]
        assert outcomes(store) == expected["fetched"]
        assert error_rows(store) == expected["errors"]
        events = store.counts()["events"]
        triples = set(
            store.con.execute(
                "SELECT a.url, e.code, e.source_country, e.target_country"
                " FROM events e JOIN articles a ON a.id = e.article_id"
            ).fetchall()
        )
        duplicate_of = store.con.execute(
            "SELECT f.article_id = a.id FROM fetched f, articles a WHERE f.url = ? AND a.url = ?",
            [f"{base}/mirror/tokyo-talks.html", f"{base}/news/tokyo-talks.html"],
        ).fetchone()
        copies = store.con.execute(
            "SELECT c.id, c.url, c.title, a.url FROM article_copies c"
            " JOIN articles a ON a.id = c.copy_of"
        ).fetchall()
        ids = dict(store.con.execute("SELECT url, id FROM articles").fetchall())
        assert_consistent(store)
    assert summary == PassSummary(
        feeds=5, unchanged=0, entries=16, fetched=9, articles=7, duplicates=1,
        skipped=0, events=events, errors=11,
    )  # fmt: skip
    assert duplicate_of == (True,)
    assert copies == [
        (
            url_article_id(f"{base}/mirror/tokyo-talks.html"),
            f"{base}/mirror/tokyo-talks.html",
            "Mirror of the island talks story",
            f"{base}/news/tokyo-talks.html",
        ),
    ]  # fmt: skip  (the copy is recorded, counted in the event's sources, not coded again)
    assert all(id_ == url_article_id(url) for url, id_ in ids.items())
    assert {
        (f"{base}/news/sanctions.html", "163", "JPN", "RUS"),
        (f"{base}/news/visit.html", "036", "RUS", "JPN"),  # "will visit", said in December
        (f"{base}/asia/trade.html", "057", "JPN", "KOR"),
        (f"{base}/asia/missiles.html", "114", "JPN", "RUS"),
        (f"{base}/flaky.html", "111", "CHN", "JPN"),
        (f"{base}/world/restraint.html", "020", None, "CHN"),
    } <= triples
    hits = server.paths()
    assert hits["/robots.txt"] == 1  # read once per host, then cached
    assert hits["/private/secret.html"] == 0  # robots.txt disallows /private/
    assert hits["/news/tokyo-talks.html"] == 1  # listed by two feeds, fetched once
    assert hits["/flaky.html"] == 2  # 429, then 200
    assert hits["/slow.html"] == 2  # timed out twice (one retry)
    assert (hits["/hop/1"], hits["/hop/2"], hits["/news/visit.html"]) == (1, 1, 1)
    assert (hits["/loop/1"], hits["/loop/2"], hits["/loop/3"], hits["/loop/4"]) == (1, 1, 1, 1)
    assert hits["/loop/5"] == 0  # the redirect cap stopped it
    agents = {h.user_agent for h in server.hits}
    assert agents == {FetchSettings().user_agent}
    assert FetchSettings().user_agent.startswith("newsevents/0.1.0 (")


def test_second_pass_fetches_nothing_new(pipeline, server, tmp_path, store_path):
    feeds = feeds_file(tmp_path, server)
    with Store(store_path) as store, Watcher(store, pipeline, FAST) as watcher:
        watcher.poll_file(feeds)
        counts, errors = store.counts(), error_rows(store)
        server.reset()
        second = watcher.poll_file(feeds)
        assert store.counts() == counts
        assert error_rows(store) == errors
        tries = dict(store.con.execute("SELECT url, tries FROM fetched").fetchall())
        assert_consistent(store)
    assert server.not_modified() == ["/feeds/atom.xml", "/feeds/rdf.xml", "/feeds/rss.xml"]
    pages = {p for p in server.paths() if not p.startswith("/feeds/")}
    assert pages == {"/slow.html"}  # only the page that timed out is tried again
    # errors: the gopher line, the broken and the missing feed, the slow page again (the entry
    # without a link is not met again: its feed answered 304)
    assert second == PassSummary(feeds=5, unchanged=3, errors=4)
    assert tries[f"{server.base}/slow.html"] == 2
    assert tries[f"{server.base}/news/sanctions.html"] == 1


def test_a_restart_continues_where_the_stopped_pass_left_off(pipeline, server, tmp_path):
    feeds = feeds_file(tmp_path, server)
    db = tmp_path / "events.duckdb"
    stop = threading.Event()
    stop.set()  # as if Ctrl-C came while the feeds were being read
    with Store(db) as store, Watcher(store, pipeline, FAST) as watcher:
        first = watcher.poll_file(feeds, stop)
        assert store.counts()["articles"] == 0
    assert (first.entries, first.fetched, first.articles) == (16, 0, 0)
    with Store(db) as store, Watcher(store, pipeline, FAST) as watcher:  # a new process
        second = watcher.poll_file(feeds)
        stored = store.counts()["articles"]
        assert_consistent(store)
    assert server.not_modified() == ["/feeds/atom.xml", "/feeds/rdf.xml", "/feeds/rss.xml"]
    assert (second.unchanged, second.entries, second.articles, second.duplicates) == (3, 0, 7, 1)
    assert stored == 7


# --- URL lists --------------------------------------------------------------------------


def test_url_list_normalises_deduplicates_and_skips_stored(pipeline, server, tmp_path):
    base = server.base
    urls = tmp_path / "urls.txt"
    urls.write_text(
        f"{base}/news/sanctions.html?utm_campaign=spring&utm_source=x#top\n"
        f"HTTP://{base.removeprefix('http://')}/news/sanctions.html\n"
        "not-a-url\n"
        f"{base}/mirror/tokyo-talks.html\tSOURCEURL column cut from a spreadsheet\n"
        f"{base}/news/tokyo-talks.html?gclid=42\n"
    )
    db = tmp_path / "events.duckdb"
    with Store(db) as store, Watcher(store, pipeline, FAST) as watcher:
        first = watcher.fetch_file(urls)
        rows = store.con.execute("SELECT url, title, published FROM articles ORDER BY url")
        articles = rows.fetchall()
        fetched = outcomes(store)
        errors = error_rows(store)
        server.reset()
        second = watcher.fetch_file(urls)
        assert_consistent(store)
    assert first == PassSummary(fetched=3, articles=2, duplicates=1, events=first.events, errors=1)
    assert articles == [
        (
            f"{base}/mirror/tokyo-talks.html",
            "Japan and Russia resume talks on the island dispute",
            dt.date(2016, 1, 1),
        ),
        (
            f"{base}/news/sanctions.html",
            "Tokyo widens sanctions over eastern Ukraine",
            dt.date(2016, 2, 1),
        ),
    ]  # fmt: skip  (no feed: the page's own title and date)
    assert fetched == {
        f"{base}/news/sanctions.html": ("stored", f"{base}/news/sanctions.html"),
        f"{base}/mirror/tokyo-talks.html": ("stored", f"{base}/mirror/tokyo-talks.html"),
        f"{base}/news/tokyo-talks.html": ("duplicate", f"{base}/news/tokyo-talks.html"),
    }
    assert errors == {(str(urls), 3, "read", "not an http(s) URL: 'not-a-url'")}
    assert second == PassSummary(skipped=3, errors=1)
    assert server.paths() == Counter()  # nothing fetched the second time


# --- politeness -------------------------------------------------------------------------


def test_per_host_rate_limit_spaces_requests(server):
    settings = FetchSettings(host_delay=0.3, timeout=2.0, concurrency=4, host_concurrency=4)
    urls = [f"{server.base}/{name}.html" for name in ("news/sanctions", "news/visit", "asia/trade")]
    with Fetcher(settings) as fetcher:
        answers = fetcher.get_many([Request(url) for url in urls])
    assert [type(a) for a in answers] == [Fetched, Fetched, Fetched]
    starts = sorted(h.at for h in server.hits)  # robots.txt and the three pages
    assert len(starts) == 4
    # Starts are 0.3 s apart at the client (0.9 s from first to last); unthrottled, the four
    # would arrive within a few milliseconds. Slack for a busy machine's scheduling.
    assert starts[-1] - starts[0] >= 0.75


def test_concurrency_is_capped_per_host_and_in_all(server):
    port = server.server_address[1]
    hosts = [f"http://127.0.0.1:{port}", f"http://localhost:{port}"]  # two hosts, one server
    requests = [Request(f"{host}/pause/{n}.html") for host in hosts for n in range(4)]
    settings = FetchSettings(host_delay=0.0, timeout=2.0, concurrency=3, host_concurrency=2)
    with Fetcher(settings) as fetcher:
        answers = fetcher.get_many(requests)
    assert all(isinstance(a, Fetched) for a in answers)
    pause_hosts = {h.host for h in server.hits if h.path.startswith("/pause/")}
    assert pause_hosts == {f"127.0.0.1:{port}", f"localhost:{port}"}
    assert max(server.max_in_flight.values()) == 2
    assert server.max_total_in_flight == 3


def test_retry_after_beyond_the_cap_is_not_waited_for(server):
    with Fetcher(FAST) as fetcher:
        answer = fetcher.get(Request(f"{server.base}/busy.html"))
    assert answer == FetchFailure(
        f"{server.base}/busy.html",
        "HTTP 503 Service Unavailable; Retry-After 3600 is longer than the 2 s cap (1 attempt)",
        "transient",
    )
    assert server.paths()["/busy.html"] == 1


def test_retry_delay_backoff_and_retry_after():
    settings = FetchSettings(backoff=2.0, max_retry_after=30.0)
    assert [retry_delay(n, None, settings) for n in range(5)] == [2.0, 4.0, 8.0, 16.0, 30.0]
    assert retry_delay(0, "7", settings) == 7.0
    assert retry_delay(3, "0", settings) == 0.0
    assert retry_delay(0, "31", settings) is None  # longer than the cap: give up for now
    assert retry_delay(0, "Wed, 21 Oct 2015 07:28:00 GMT", settings) == 0.0  # in the past
    assert retry_delay(1, "soon", settings) == 4.0  # unreadable: plain backoff


def test_feed_conditional_get_answers_304(server):
    with Fetcher(FAST) as fetcher:
        first = fetcher.get(Request(f"{server.base}/feeds/rss.xml", "feed"))
        assert isinstance(first, Fetched) and first.etag == RSS_ETAG
        again = fetcher.get(Request(f"{server.base}/feeds/rss.xml", "feed", etag=first.etag))
    assert (again.status, again.content) == (304, b"")
    assert server.not_modified() == ["/feeds/rss.xml"]


# --- the commands -----------------------------------------------------------------------


def test_watch_command_stops_after_n_cycles_with_a_consistent_store(server, tmp_path):
    feeds = feeds_file(tmp_path, server)
    db = tmp_path / "watch.duckdb"
    args = ["watch", "--feeds", str(feeds), "--db", str(db), "--every", "0.1s", "--cycles", "2"]
    result = CliRunner().invoke(cli, [*args, *FAST_FLAGS], catch_exceptions=False)
    assert result.exit_code == 3, result.output  # some pages and feeds failed (docs/output.md)
    assert result.stderr == (
        f"warning: 15 record(s) could not be read or coded; 'newsevents errors --db {db}' "
        "lists them\n"
    )
    lines = result.stdout.splitlines()
    assert len(lines) == 3
    cycle_1, cycle_2 = (line.split(" ", 1)[1] for line in lines[:2])  # after the timestamp
    with Store(db, read_only=True) as store:
        events = store.counts()["events"]
        assert store.counts()["articles"] == 7
        assert_consistent(store)
    assert cycle_1 == (
        "cycle 1: 5 feed(s) polled (0 unchanged), 16 new entries, 9 page(s) fetched, "
        f"7 new article(s), 1 duplicate(s), 0 already stored, {events} event(s), 11 error(s)"
    )
    assert cycle_2 == (
        "cycle 2: 5 feed(s) polled (3 unchanged), 0 new entries, 0 page(s) fetched, "
        "0 new article(s), 0 duplicate(s), 0 already stored, 0 event(s), 4 error(s)"
    )
    assert lines[2] == f"stopped: 7 new article(s), {events} event(s) -> {db}"


def test_fetch_command_needs_a_list(tmp_path):
    result = CliRunner().invoke(cli, ["fetch", "--db", str(tmp_path / "x.duckdb")])
    assert result.exit_code == 2
    assert "give --feeds FILE, --urls FILE, or both" in result.output


def test_fetch_command_one_pass_over_urls(server, tmp_path):
    urls = tmp_path / "urls.txt"
    urls.write_text(f"{server.base}/news/visit.html\n{server.base}/files/report.pdf\n")
    db = tmp_path / "f.duckdb"
    args = ["fetch", "--urls", str(urls), "--db", str(db), *FAST_FLAGS]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 3, result.output  # one page of two failed (docs/output.md)
    with Store(db, read_only=True) as store:
        events = store.counts()["events"]
        errors = store.errors()
    assert result.stderr == (
        f"warning: 1 record(s) could not be read or coded; 'newsevents errors --db {db}' "
        "lists them\n"
    )
    assert result.stdout == (
        "0 feed(s) polled (0 unchanged), 0 new entries, 1 page(s) fetched, 1 new article(s), "
        f"0 duplicate(s), 0 already stored, {events} event(s), 1 error(s) -> {db}\n"
    )
    assert [(e["input"], e["reason"]) for e in errors] == [
        (f"{server.base}/files/report.pdf", "not an HTML page (content type application/pdf)")
    ]


def test_sigterm_stops_watch_cleanly(server, tmp_path):
    feeds = feeds_file(tmp_path, server)
    db = tmp_path / "signal.duckdb"
    command = [sys.executable, "-m", "newsevents", "watch", "--feeds", str(feeds), "--db", str(db)]
    process = subprocess.Popen(
        [*command, "--every", "1h", *FAST_FLAGS],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    guard = threading.Timer(90, process.kill)  # never hang the suite
    guard.start()
    try:
        assert process.stdout is not None
        first_line = process.stdout.readline()  # blocks until the first cycle is done
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=30)
    finally:
        guard.cancel()
        if process.poll() is None:
            process.kill()
    assert process.returncode == 3, err  # stopped cleanly; some pages had failed
    assert " cycle 1: 5 feed(s) polled (0 unchanged), 16 new entries" in first_line
    assert err.splitlines() == [
        "stopping after the current batch (Ctrl-C again to quit now)",
        f"warning: 11 record(s) could not be read or coded; 'newsevents errors --db {db}' "
        "lists them",
    ]
    assert out.startswith("stopped: 7 new article(s), ")
    with Store(db, read_only=True) as store:
        assert store.counts()["articles"] == 7
        assert_consistent(store)


# --- formats and settings ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "normal"),
    [
        ("HTTP://Example.ORG:80/a/b.html?utm_source=x&id=3&fbclid=zz#frag",
         "http://example.org/a/b.html?id=3"),
        ("https://example.org:443", "https://example.org/"),
        ("https://example.org:8443/x?b=2&a=1&GCLID=9", "https://example.org:8443/x?b=2&a=1"),
        ("https://news.example.org/story?utm_medium=rss&utm_campaign=c",
         "https://news.example.org/story"),
        ("https://example.org/Path/Case.HTML?q=", "https://example.org/Path/Case.HTML?q="),
    ],
)  # fmt: skip
def test_normalise_url(url, normal):
    assert normalise_url(url) == normal


def test_feed_list_lines_names_and_errors(tmp_path):
    path = tmp_path / "feeds.txt"
    path.write_text(
        "# comment\n\nhttps://example.org/rss.xml  Example Wire\n"
        "example.org/no-scheme.xml\nhttps://EXAMPLE.org/rss.xml#dup\nhttp://:80/x\n"
    )
    specs, errors = read_feed_list(path)
    assert specs == (FeedSpec("https://example.org/rss.xml", "Example Wire", f"{path}:3"),)
    assert errors == (
        ReadError(str(path), 4, "read", "not an http(s) URL: 'example.org/no-scheme.xml'"),
        ReadError(str(path), 6, "read", "URL has no host: 'http://:80/x'"),
    )
    with pytest.raises(InputError, match="cannot read the list"):
        read_url_list(tmp_path / "absent.txt")


def test_example_feeds_file_is_a_valid_list():
    specs, errors = read_feed_list(ROOT / "examples" / "feeds.txt")
    assert errors == ()
    assert len(specs) == 3
    assert all(urlsplit(s.url).hostname == "example.org" for s in specs)


def test_parse_feed_kinds_and_dates():
    rss = (WEB / "feeds" / "rss.xml").read_text().replace("{base}", "http://h.test")
    parsed = parse_feed(rss.encode(), "http://h.test/feeds/rss.xml")
    assert not isinstance(parsed, ReadError)
    assert (parsed.title, parsed.version, len(parsed.entries)) == ("Harbour Wire", "rss20", 12)
    assert parsed.entries[0] == FeedEntry(
        "http://h.test/news/tokyo-talks.html",
        "Japan and Russia resume talks on the island dispute",
        dt.date(2016, 12, 6),
        "Harbour Wire",
        "http://h.test/feeds/rss.xml",
    )
    rdf = (WEB / "feeds" / "rdf.xml").read_text().replace("{base}", "http://h.test")
    parsed_rdf = parse_feed(rdf.encode(), "http://h.test/feeds/rdf.xml", name="Ledger Online")
    assert not isinstance(parsed_rdf, ReadError)
    assert parsed_rdf.version == "rss10"
    assert [(e.url, e.published, e.source) for e in parsed_rdf.entries] == [
        ("http://h.test/world/restraint.html", dt.date(2016, 12, 10), "Ledger Online")
    ]
    not_feed = parse_feed(b"<html><body>Hello</body></html>", "http://h.test/page")
    assert not_feed == ReadError("http://h.test/page", None, "feed", "not an RSS, Atom or RDF feed")


def test_settings_are_validated_and_documented():
    with pytest.raises(FetchError, match="timeout must be positive"):
        FetchSettings(timeout=0)
    with pytest.raises(FetchError, match="retries must not be negative"):
        FetchSettings(retries=-1)
    docs = (ROOT / "docs" / "watch.md").read_text(encoding="utf-8")
    for spec in fields(FetchSettings):
        assert f"`{spec.name}`" in docs, f"setting {spec.name} is not in docs/watch.md"
    for command in ("fetch", "watch"):
        params = cli.commands[command].params
        for option in params:
            flag = option.opts[0]
            assert flag in docs or flag in ("-h", "--help"), f"{command} {flag} not documented"


def test_duration_values():
    duration = Duration()
    assert [duration.convert(v, None, None) for v in ("90", "90s", "15m", "1.5h", "1d")] == [
        90.0,
        90.0,
        900.0,
        5400.0,
        86400.0,
    ]
    with pytest.raises(click.BadParameter, match="is not a duration"):
        duration.convert("soon", None, None)
    with pytest.raises(click.BadParameter):
        duration.convert("0m", None, None)


def test_page_markup_uses_the_declared_charset():
    latin = Fetched(
        "u", "u", 200, "<p>Caf\xe9 talks</p>".encode("latin-1"), "text/html; charset=ISO-8859-1"
    )
    assert page_markup(latin) == "<p>Caf\xe9 talks</p>"
    utf8 = Fetched("u", "u", 200, "<p>Caf\xe9</p>".encode(), 'text/html; charset="utf-8"')
    assert page_markup(utf8) == "<p>Caf\xe9</p>".encode()
    unknown = Fetched("u", "u", 200, b"<p>x</p>", "text/html; charset=no-such-charset")
    assert page_markup(unknown) == b"<p>x</p>"


def test_store_keeps_feed_state_and_new_entries(store_path):
    feed = "http://feeds.test/rss.xml"
    with Store(store_path) as store:
        assert store.feed_state(feed) is None
        first = store.save_feed(
            FeedState(feed, "Wire", '"v1"', None, status=200),
            [
                FeedEntry("http://feeds.test/1", feed_url=feed),
                FeedEntry("http://feeds.test/2", feed_url=feed),
            ],
        )
        second = store.save_feed(
            FeedState(feed, "Wire", '"v2"', None, status=200),
            [
                FeedEntry("http://feeds.test/3", feed_url=feed),
                FeedEntry("http://feeds.test/2", feed_url=feed),
            ],
        )
        store.record_fetches([FetchRecord("http://feeds.test/1", "failed", reason="HTTP 410 Gone")])
        store.record_fetches([FetchRecord("http://feeds.test/2", "transient", reason="timed out")])
        state = store.feed_state(feed)
        pending = [e.url for e in store.pending_entries([feed])]
        settled = store.settled_urls(["http://feeds.test/1", "http://feeds.test/2"])
    assert (first, second) == (2, 1)
    assert (state.title, state.etag, state.status, state.error) == ("Wire", '"v2"', 200, None)
    assert pending == ["http://feeds.test/2", "http://feeds.test/3"]
    assert settled == {"http://feeds.test/1"}
