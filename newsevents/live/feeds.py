"""Feeds and URL lists: the records of the live-news front door, and the formats it reads.

* feeds files and URL lists (one URL a line, ``#`` comments) -> :class:`FeedSpec` / URLs;
* RSS 0.9x/2.0, Atom and RDF feeds (through feedparser) -> :class:`FeedEntry` records;
* :func:`normalise_url`, so one article reached through ``?utm_source=...`` links is one URL.

:class:`FeedState` (validators, last poll) and :class:`FetchRecord` (what happened to one article
URL) are what the store keeps between passes, so a restarted watcher continues where it stopped.
"""

from __future__ import annotations

import calendar
import datetime as dt
import fnmatch
import hashlib
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from newsevents.errors import InputError
from newsevents.model import ReadError
from newsevents.read.inputs import MAX_YEAR, MIN_YEAR
from newsevents.store.feeds import FeedEntry

TRACKING_PARAMS: tuple[str, ...] = (
    "utm_*",
    "fbclid",
    "gclid",
    "dclid",
    "gbraid",
    "wbraid",
    "msclkid",
    "yclid",
    "igshid",
    "mc_cid",
    "mc_eid",
    "_ga",
    "_gl",
)
"""Query parameters dropped from URLs (shell patterns, matched case-insensitively)."""

_DEFAULT_PORTS: Mapping[str, int] = MappingProxyType({"http": 80, "https": 443})


@dataclass(frozen=True)
class FeedSpec:
    """One line of a feeds file: the feed URL and, optionally, the source name to give its
    articles (else the entry's or the feed's own title)."""

    url: str
    name: str | None = None
    origin: str | None = None
    """``file:line`` the feed was listed on."""


@dataclass(frozen=True)
class ParsedFeed:
    """A feed document read by feedparser: its title, usable entries and bad entries."""

    url: str
    title: str | None
    version: str
    entries: tuple[FeedEntry, ...]
    errors: tuple[ReadError, ...] = ()


# --- URLs -------------------------------------------------------------------------------


def normalise_url(url: str, tracking: Sequence[str] = TRACKING_PARAMS) -> str:
    """A canonical form of an http(s) URL: lower-case scheme and host, no default port, no
    fragment, no tracking parameters, ``/`` for an empty path. Other parameters keep their
    order (some sites need it)."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:  # an IPv6 literal
        host = f"[{host}]"
    netloc = host
    if parts.port is not None and parts.port != _DEFAULT_PORTS.get(scheme):
        netloc = f"{host}:{parts.port}"
    if parts.username:
        auth = parts.username + (f":{parts.password}" if parts.password else "")
        netloc = f"{auth}@{netloc}"
    query = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not _is_tracking(key, tracking)
    ]
    return urlunsplit((scheme, netloc, parts.path or "/", urlencode(query), ""))


def url_article_id(url: str) -> str:
    """The id of an article fetched from ``url`` (normalised): ``u`` and 16 hex digits."""
    return "u" + hashlib.sha1(url.encode("utf-8")).hexdigest()[:16]


def _is_tracking(key: str, tracking: Sequence[str]) -> bool:
    lowered = key.lower()
    return any(fnmatch.fnmatchcase(lowered, pattern) for pattern in tracking)


def http_url_problem(url: str) -> str | None:
    """Why ``url`` is not a fetchable http(s) URL, or None when it is."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as exc:
        return f"not a valid URL ({exc}): {url!r}"
    if parts.scheme.lower() not in _DEFAULT_PORTS:
        return f"not an http(s) URL: {url!r}"
    if not parts.hostname:
        return f"URL has no host: {url!r}"
    return None


# --- list files -------------------------------------------------------------------------


def read_feed_list(
    path: str | Path, tracking: Sequence[str] = TRACKING_PARAMS
) -> tuple[tuple[FeedSpec, ...], tuple[ReadError, ...]]:
    """Read a feeds file: one feed URL a line, optionally followed by whitespace and a source
    name. Blank lines and ``#`` comments are skipped; a bad line is a ReadError with its line
    number; a feed listed twice is read once."""
    lines, errors = _unique_urls(path, tracking)
    specs = tuple(FeedSpec(url, rest or None, f"{path}:{number}") for number, url, rest in lines)
    return specs, errors


def read_url_list(
    path: str | Path, tracking: Sequence[str] = TRACKING_PARAMS
) -> tuple[tuple[FeedEntry, ...], tuple[ReadError, ...]]:
    """Read a list of article URLs: the first field of each line (so a column cut from a GDELT
    export works). Blank lines and ``#`` comments are skipped; repeats (after normalising) are
    dropped; a bad line is a ReadError with its line number."""
    lines, errors = _unique_urls(path, tracking)
    return tuple(FeedEntry(url) for _number, url, _rest in lines), errors


def _unique_urls(
    path: str | Path, tracking: Sequence[str]
) -> tuple[list[tuple[int, str, str]], tuple[ReadError, ...]]:
    """The lines of a URL list with their URL normalised, first occurrence only, and a
    ReadError (with its line number) for each line that is not an http(s) URL."""
    lines: list[tuple[int, str, str]] = []
    errors: list[ReadError] = []
    seen: set[str] = set()
    for number, url, rest in _list_lines(path):
        problem = http_url_problem(url)
        if problem:
            errors.append(ReadError(str(path), number, "read", problem))
            continue
        normal = normalise_url(url, tracking)
        if normal not in seen:
            seen.add(normal)
            lines.append((number, normal, rest))
    return lines, tuple(errors)


def _list_lines(path: str | Path) -> Iterator[tuple[int, str, str]]:
    """(line number, first field, rest of the line) for each non-blank, non-comment line."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(path, None, f"cannot read the list: {exc}") from exc
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        first, *rest = stripped.split(None, 1)
        yield number, first, rest[0].strip() if rest else ""


# --- feed documents ---------------------------------------------------------------------


def parse_feed(
    content: bytes,
    url: str,
    content_type: str | None = None,
    name: str | None = None,
    base: str | None = None,
    tracking: Sequence[str] = TRACKING_PARAMS,
) -> ParsedFeed | ReadError:
    """Read an RSS, Atom or RDF document fetched from ``url`` (``base``: where it was found
    after redirects, for relative links). An entry's source is ``name`` (from the feeds file),
    else the entry's own ``<source>``, else the feed's title. A document with no usable entry
    that is not a well-formed feed is a ReadError; so is each entry without a usable link
    (position: the entry's number)."""
    import feedparser  # imported on use

    headers = {"content-location": base or url}
    if content_type:
        headers["content-type"] = content_type
    try:
        document = feedparser.parse(content, response_headers=headers)
    except Exception as exc:  # feedparser is lenient, but a parser bug must not stop a pass
        return ReadError(url, None, "feed", f"feed could not be parsed: {type(exc).__name__}")
    feed_title = _clean(document.feed.get("title"))
    entries: list[FeedEntry] = []
    errors: list[ReadError] = []
    for number, raw in enumerate(document.entries, start=1):
        entry = _entry(raw, url, feed_title, name, tracking)
        if isinstance(entry, str):
            errors.append(ReadError(url, number, "feed", entry))
        else:
            entries.append(entry)
    if not entries and (document.bozo or not document.version):
        return ReadError(url, None, "feed", _unreadable_reason(document))
    version = document.version or ""
    return ParsedFeed(url, feed_title, version, tuple(unique_entries(entries)), tuple(errors))


def _unreadable_reason(document: Any) -> str:
    problem = document.get("bozo_exception")
    if not document.version:
        return "not an RSS, Atom or RDF feed"
    detail = f" ({problem})" if problem else ""
    return f"not a well-formed feed{detail}, and no entry could be read"


def _entry(
    raw: Any, feed_url: str, feed_title: str | None, name: str | None, tracking: Sequence[str]
) -> FeedEntry | str:
    link = _clean(raw.get("link"))
    if not link:
        return "feed entry has no link"
    problem = http_url_problem(link)
    if problem:
        return f"feed entry link is unusable: {problem}"
    source = raw.get("source")
    entry_source = _clean(source.get("title")) if source else None
    return FeedEntry(
        url=normalise_url(link, tracking),
        title=_clean(raw.get("title")),
        published=_entry_date(raw),
        source=name or entry_source or feed_title,
        feed_url=feed_url,
    )


def _entry_date(raw: Any) -> dt.date | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = raw.get(key)
        if not isinstance(parsed, time.struct_time):
            continue
        try:
            moment = dt.datetime.fromtimestamp(calendar.timegm(parsed), dt.UTC)
        except (OverflowError, OSError, ValueError):
            continue
        if MIN_YEAR <= moment.year <= MAX_YEAR:
            return moment.date()
    return None


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    return text or None


def unique_entries(entries: Iterable[FeedEntry]) -> list[FeedEntry]:
    """The first entry for each URL, in order (two feeds may list the same story)."""
    seen: set[str] = set()
    unique = []
    for entry in entries:
        if entry.url not in seen:
            seen.add(entry.url)
            unique.append(entry)
    return unique
