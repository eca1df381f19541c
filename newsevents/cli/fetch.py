"""CLI commands for the fetch area: ``fetch`` (one pass over feeds or URLs) and ``watch`` (poll
feeds until stopped, optionally serving the web UI). Thin adapters over
:class:`newsevents.live.watch.Watcher`. Both open the store only while they read or write it
(:class:`newsevents.store.database.StoreFile`), so ``serve`` can read it meanwhile."""

from __future__ import annotations

import datetime as dt
import re
import signal
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import MISSING, fields
from pathlib import Path
from types import FrameType, MappingProxyType
from typing import Any, TypeVar

import click

from newsevents.cli.main import (
    _pipeline,
    check_records,
    cli,
    db_option,
    dictionary_option,
    library_errors,
)
from newsevents.live.fetch import FetchSettings

F = TypeVar("F", bound=Callable[..., Any])

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$")
_UNIT_SECONDS: Mapping[str, int] = MappingProxyType({"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400})

# (setting, click type, help): each becomes a --flag overriding the FetchSettings default.
_SETTING_FLAGS: tuple[tuple[str, Any, str], ...] = (
    ("timeout", click.FloatRange(min=0, min_open=True), "Seconds to connect or wait for data."),
    (
        "deadline",
        click.FloatRange(min=0, min_open=True),
        "Seconds all of one URL's requests may take, connect to last byte (robots.txt, "
        "redirects, retries and their backoff).",
    ),
    ("retries", click.IntRange(0, 10), "Retries after a 429, 5xx, timeout or network error."),
    ("backoff", click.FloatRange(min=0), "Seconds before the first retry (then doubled)."),
    ("max_retry_after", click.FloatRange(min=0), "Longest Retry-After wait honoured, seconds."),
    ("max_redirects", click.IntRange(0, 30), "Redirects followed before giving up."),
    ("max_bytes", click.IntRange(min=1), "Largest page or feed read, in bytes."),
    ("host_delay", click.FloatRange(min=0), "Seconds between requests to one host."),
    ("host_concurrency", click.IntRange(1, 16), "Requests in flight to one host."),
    ("concurrency", click.IntRange(1, 64), "Requests in flight in all."),
    ("robots_ttl", click.FloatRange(min=0), "Seconds a robots.txt is kept before re-reading."),
    ("max_crawl_delay", click.FloatRange(min=0), "Longest robots.txt Crawl-delay honoured."),
    ("batch_size", click.IntRange(1, 1000), "Articles coded and stored per transaction."),
    ("user_agent", str, "The User-Agent header (default: newsevents/VERSION ...)."),
)


class Duration(click.ParamType):
    """``90``, ``90s``, ``15m``, ``1h``, ``1d`` -> seconds."""

    name = "duration"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> float:
        if isinstance(value, int | float):
            return float(value)
        match = _DURATION.match(str(value))
        if not match or float(match[1]) == 0:
            self.fail(f"{value!r} is not a duration such as 90s, 15m or 1h", param, ctx)
        return float(match[1]) * _UNIT_SECONDS[match[2]]


def fetch_options(func: F) -> F:
    """One flag per fetch setting; unset flags keep the FetchSettings defaults."""
    defaults = {f.name: f.default for f in fields(FetchSettings)}
    for name, kind, text in reversed(_SETTING_FLAGS):
        default = defaults[name]
        shown = f"  [default: {default}]" if default is not MISSING else ""
        func = click.option(f"--{name.replace('_', '-')}", name, type=kind, help=text + shown)(func)
    return func


def _settings(options: dict[str, Any]) -> FetchSettings:
    chosen = {name: value for name, value in options.items() if value is not None}
    return FetchSettings(**chosen)


@contextmanager
def stop_on_signals() -> Iterator[threading.Event]:
    """An event set by Ctrl-C or SIGTERM: the run stops after its current batch. A second
    Ctrl-C quits at once."""
    stop = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()
        click.echo("stopping after the current batch (Ctrl-C again to quit now)", err=True)

    previous = {}
    if threading.current_thread() is threading.main_thread():  # handlers need the main thread
        for sig in (signal.SIGINT, signal.SIGTERM):
            previous[sig] = signal.signal(sig, request_stop)
    try:
        yield stop
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def summary_line(summary: Any) -> str:
    """One line per pass: feeds polled, new articles, events, errors."""
    return (
        f"{summary.feeds} feed(s) polled ({summary.unchanged} unchanged), "
        f"{summary.entries} new entr{'y' if summary.entries == 1 else 'ies'}, "
        f"{summary.fetched} page(s) fetched, {summary.articles} new article(s), "
        f"{summary.duplicates} duplicate(s), {summary.skipped} already stored, "
        f"{summary.events} event(s), {summary.errors} error(s)"
    )


def check_pass(summary: Any, db: Path) -> None:
    """Exit with the code of docs/output.md for what the run did: 0 when nothing failed; 1
    when something failed and no article URL ended well (stored, a duplicate or already
    stored), as when every page failed; 3 when some failed and others ended well."""
    hint = f"; 'newsevents errors --db {db}' lists them"
    check_records(summary.done, summary.errors, 0, summary.first_error, hint)


_list_file = click.Path(exists=True, dir_okay=False, path_type=Path)

DASHBOARD_HOST = "127.0.0.1"
DASHBOARD_PORT = 8001


@cli.command()
@click.option("--feeds", type=_list_file, help="Feeds file: one RSS/Atom/RDF URL a line.")
@click.option("--urls", type=_list_file, help="Article URLs, one a line.")
@db_option
@dictionary_option
@fetch_options
@click.option("--quiet", is_flag=True, help="Print nothing but errors.")
@library_errors
def fetch(
    feeds: Path | None,
    urls: Path | None,
    db: Path,
    dictionaries: tuple[Path, ...],
    quiet: bool,
    **options: Any,
) -> None:
    """One pass: read each feed (or the URL list), fetch the new articles politely, code and
    store them. Failures go to the errors table; Ctrl-C stops after the current batch."""
    from newsevents.live.watch import WRITE_WAIT, PassSummary, Watcher
    from newsevents.store.database import StoreFile

    if feeds is None and urls is None:
        raise click.UsageError("give --feeds FILE, --urls FILE, or both")
    settings = _settings(options)
    pipeline = _pipeline(dictionaries)
    with (
        StoreFile(db, wait=WRITE_WAIT) as store,
        Watcher(store, pipeline, settings) as watcher,
        stop_on_signals() as stop,
    ):
        summary = PassSummary()
        if feeds is not None:
            summary += watcher.poll_file(feeds, stop)
        if urls is not None and not stop.is_set():
            summary += watcher.fetch_file(urls, stop)
    if not quiet:
        click.echo(f"{summary_line(summary)} -> {db}")
    check_pass(summary, db)


@cli.command()
@click.option("--feeds", type=_list_file, required=True, help="Feeds file (re-read each cycle).")
@db_option
@click.option(
    "--every",
    type=Duration(),
    default="15m",
    show_default=True,
    help="Time between the starts of two polls (90s, 15m, 1h).",
)
@click.option(
    "--cycles", type=click.IntRange(min=1), help="Stop after N polls (default: until stopped)."
)
@click.option(
    "--serve",
    "dashboard",
    is_flag=True,
    help="Also serve the web UI over the store while watching (read-only; new events show on "
    "the next page load).",
)
@click.option(
    "--host",
    help=f"With --serve: the address to listen on; 0.0.0.0 exposes the UI.  "
    f"[default: {DASHBOARD_HOST}]",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    help=f"With --serve: the port (0: a free one).  [default: {DASHBOARD_PORT}]",
)
@dictionary_option
@fetch_options
@library_errors
def watch(
    feeds: Path,
    db: Path,
    every: float,
    cycles: int | None,
    dashboard: bool,
    host: str | None,
    port: int | None,
    dictionaries: tuple[Path, ...],
    **options: Any,
) -> None:
    """Poll the feeds until stopped, coding new articles into the store; one summary line per
    cycle. The store is opened only while a batch is read or written, so 'newsevents serve'
    can read it meanwhile, or --serve serves the web UI from this process. Ctrl-C or SIGTERM
    stops cleanly after the current batch."""
    from newsevents.live.watch import WRITE_WAIT, Watcher
    from newsevents.store.database import StoreFile

    if not dashboard and (host is not None or port is not None):
        raise click.UsageError("--host and --port go with --serve")
    settings = _settings(options)
    pipeline = _pipeline(dictionaries)

    def report(cycle: int, summary: Any) -> None:
        now = dt.datetime.now().astimezone().isoformat(timespec="seconds")
        click.echo(f"{now} cycle {cycle}: {summary_line(summary)}")

    with ExitStack() as stack:
        listener = _listener(stack, host, port) if dashboard else None
        store = stack.enter_context(StoreFile(db, wait=WRITE_WAIT, linger=_linger(dashboard)))
        if listener is not None:
            _serve_dashboard(stack, store, listener)
        watcher = stack.enter_context(Watcher(store, pipeline, settings))
        stop = stack.enter_context(stop_on_signals())
        total = watcher.watch(feeds, every, cycles, stop, report)
    click.echo(f"stopped: {total.articles} new article(s), {total.events} event(s) -> {db}")
    check_pass(total, db)


def _linger(dashboard: bool) -> float:
    """How long the store stays open after a unit of work: for the next request of a page
    when this process serves the UI, else not at all (the file is free between batches)."""
    if not dashboard:
        return 0.0
    from newsevents.web.app import LINGER

    return LINGER


def _listener(stack: ExitStack, host: str | None, port: int | None) -> Any:
    """The dashboard's socket, bound before the store is opened (a port in use fails first)."""
    from newsevents.web.server import listen

    chosen = DASHBOARD_PORT if port is None else port
    return stack.enter_context(listen(host or DASHBOARD_HOST, chosen))


def _serve_dashboard(stack: ExitStack, store: Any, listener: Any) -> None:
    """Serve the web UI over the watcher's store on a thread, until the stack closes."""
    from newsevents.cli.web import warn_missing_assets
    from newsevents.web import create_app
    from newsevents.web.server import ServerThread

    server = stack.enter_context(ServerThread(create_app(store), listener))
    warn_missing_assets()
    click.echo(f"Serving {store.path} read-only at {server.url} while watching")
