"""What the store keeps of feeds and fetches: the records ``newsevents.live`` hands it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

Outcome = Literal["stored", "duplicate", "refused", "failed", "transient"]
FINAL_OUTCOMES: tuple[Outcome, ...] = ("stored", "duplicate", "refused", "failed")
"""Outcomes after which a URL is never fetched again; ``transient`` ones are retried next pass."""


@dataclass(frozen=True)
class FeedEntry:
    """An article URL to fetch, with what the feed says about it. URL lists give bare entries."""

    url: str
    """The normalised article URL."""
    title: str | None = None
    published: dt.date | None = None
    source: str | None = None
    feed_url: str | None = None


@dataclass(frozen=True)
class FeedState:
    """What the store remembers about a feed between polls."""

    url: str
    title: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    polled_at: dt.datetime | None = None
    status: int | None = None
    """HTTP status of the last poll (200, 304), or None when it failed before a response."""
    error: str | None = None
    """Why the last poll failed, or None."""


@dataclass(frozen=True)
class FetchRecord:
    """What happened to one article URL: stored, a duplicate of a stored article (same content
    hash), refused by robots.txt, failed for good, or failed for now (``transient``)."""

    url: str
    outcome: Outcome
    final_url: str | None = None
    article_id: str | None = None
    reason: str | None = None
