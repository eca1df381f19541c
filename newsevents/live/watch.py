"""Live news into the store: poll feeds (or take a URL list), fetch the new articles politely,
code them and store them, pass after pass.

A :class:`Watcher` ties a :class:`~newsevents.store.Store`, a
:class:`~newsevents.pipeline.Pipeline` and a :class:`~newsevents.fetch.Fetcher` together.
Nothing stored is fetched twice: article URLs are normalised, URLs with a final outcome are
remembered in the store, and a page whose text is already stored (same content hash, reached
through another URL) is recorded as a duplicate. Every failure becomes a row of the ``errors``
table, and the pass goes on.
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, fields, replace
from pathlib import Path
from types import TracebackType

from newsevents.coding.pipeline import Pipeline
from newsevents.live.feeds import (
    FeedEntry,
    FeedSpec,
    normalise_url,
    parse_feed,
    read_feed_list,
    read_url_list,
    unique_entries,
    url_article_id,
)
from newsevents.live.fetch import (
    Fetched,
    Fetcher,
    FetchFailure,
    FetchSettings,
    Request,
    page_markup,
)
from newsevents.model import Article, ReadError
from newsevents.read.html import article_from_html
from newsevents.run.ingest import ingest
from newsevents.store.database import Store
from newsevents.store.feeds import FeedState, FetchRecord

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PassSummary:
    """What one pass (or several, added up) did."""

    feeds: int = 0
    """Feeds polled."""
    unchanged: int = 0
    """Feeds that answered 304 Not Modified."""
    entries: int = 0
    """Feed entries seen for the first time."""
    fetched: int = 0
    """Article pages downloaded."""
    articles: int = 0
    """New articles coded and stored."""
    duplicates: int = 0
    """Pages whose text was already stored under another URL (same content hash)."""
    skipped: int = 0
    """Listed URLs not fetched because they are already stored or settled."""
    events: int = 0
    errors: int = 0
    """Failures recorded in the errors table (feeds, pages, list lines, coding)."""

    def __add__(self, other: PassSummary) -> PassSummary:
        return PassSummary(
            *(getattr(self, f.name) + getattr(other, f.name) for f in fields(PassSummary))
        )


class Watcher:
    """Fetches, codes and stores live news into one store.

    >>> store, pipeline = Store("events.duckdb"), Pipeline()      # doctest: +SKIP
    >>> with Watcher(store, pipeline) as watcher:                # doctest: +SKIP
    ...     summary = watcher.poll_file("feeds.txt")
    """

    def __init__(
        self,
        store: Store,
        pipeline: Pipeline,
        settings: FetchSettings | None = None,
        fetcher: Fetcher | None = None,
    ) -> None:
        self.store = store
        self.pipeline = pipeline
        self.settings = fetcher.settings if fetcher else settings or FetchSettings()
        self._owns_fetcher = fetcher is None
        self.fetcher = fetcher or Fetcher(self.settings)

    def close(self) -> None:
        if self._owns_fetcher:
            self.fetcher.close()

    def __enter__(self) -> Watcher:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # --- passes -------------------------------------------------------------------------

    def poll_file(self, path: str | Path, stop: threading.Event | None = None) -> PassSummary:
        """One pass over the feeds listed in a feeds file; its bad lines are recorded errors."""
        specs, bad_lines = read_feed_list(path, self.settings.tracking_params)
        return self.record(bad_lines) + self.poll(specs, stop)

    def fetch_file(self, path: str | Path, stop: threading.Event | None = None) -> PassSummary:
        """One pass over a file of article URLs; its bad lines are recorded errors."""
        entries, bad_lines = read_url_list(path, self.settings.tracking_params)
        return self.record(bad_lines) + self.fetch(entries, stop)

    def poll(self, feeds: Sequence[FeedSpec], stop: threading.Event | None = None) -> PassSummary:
        """Poll each feed (a conditional GET), remember its new entries, then fetch, code and
        store every entry of these feeds not yet settled, including ones left over by an
        interrupted or failed earlier pass. ``stop`` ends the pass after the current batch."""
        states = {spec.url: self.store.feed_state(spec.url) for spec in feeds}
        requests = [_feed_request(spec.url, states[spec.url]) for spec in feeds]
        answers = self.fetcher.get_many(requests)
        summary = PassSummary(feeds=len(feeds))
        errors: list[ReadError] = []
        for spec, answer in zip(feeds, answers, strict=True):
            step, feed_errors = self._take_feed(spec, states[spec.url], answer)
            summary += step
            errors += feed_errors
        summary += self.record(errors)
        pending = unique_entries(self.store.pending_entries([spec.url for spec in feeds]))
        return summary + self._fetch_entries(pending, stop)

    def fetch(
        self, entries: Sequence[FeedEntry], stop: threading.Event | None = None
    ) -> PassSummary:
        """Fetch, code and store these article URLs, skipping the settled ones."""
        entries = unique_entries(entries)
        settled = self.store.settled_urls(e.url for e in entries)
        todo = [e for e in entries if e.url not in settled]
        skipped = PassSummary(skipped=len(entries) - len(todo))
        return skipped + self._fetch_entries(todo, stop)

    def watch(
        self,
        feeds_file: str | Path,
        every: float,
        cycles: int | None = None,
        stop: threading.Event | None = None,
        on_cycle: Callable[[int, PassSummary], None] | None = None,
    ) -> PassSummary:
        """Poll the feeds file every ``every`` seconds, start to start, re-reading it so edits
        take effect, until ``stop`` is set or ``cycles`` passes are done. A stop request ends
        the current pass after its current batch. Returns the passes added up."""
        stop = stop or threading.Event()
        total = PassSummary()
        for cycle in itertools.count(1):
            started = time.monotonic()
            summary = self.poll_file(feeds_file, stop)
            total += summary
            if on_cycle is not None:
                on_cycle(cycle, summary)
            if cycles is not None and cycle >= cycles:
                break
            if stop.wait(max(0.0, every - (time.monotonic() - started))):
                break
        return total

    def record(self, errors: Sequence[ReadError]) -> PassSummary:
        """Store errors met outside the fetching of articles (feeds, bad list lines)."""
        if not errors:
            return PassSummary()
        return PassSummary(errors=self.store.write(list(errors)).errors)

    # --- feeds --------------------------------------------------------------------------

    def _take_feed(
        self,
        spec: FeedSpec,
        previous: FeedState | None,
        answer: Fetched | FetchFailure,
    ) -> tuple[PassSummary, list[ReadError]]:
        """Save what one feed poll brought; its errors are returned for storing."""
        kept = previous or FeedState(spec.url)
        if isinstance(answer, FetchFailure):
            self._save_state(kept, None, answer.reason)
            return PassSummary(), [ReadError(spec.url, None, "feed", answer.reason)]
        if answer.status == 304:
            self._save_state(kept, 304, None)
            return PassSummary(unchanged=1), []
        parsed = parse_feed(
            answer.content,
            spec.url,
            answer.content_type,
            spec.name,
            base=answer.final_url,
            tracking=self.settings.tracking_params,
        )
        if isinstance(parsed, ReadError):
            self._save_state(kept, answer.status, parsed.reason)
            return PassSummary(), [parsed]
        state = FeedState(spec.url, parsed.title, answer.etag, answer.last_modified)
        new = self.store.save_feed(replace(state, status=answer.status), parsed.entries)
        logger.info("feed %s: %d entries, %d new", spec.url, len(parsed.entries), new)
        return PassSummary(entries=new), list(parsed.errors)

    def _save_state(self, state: FeedState, status: int | None, error: str | None) -> None:
        """Record a poll that brought no entries; the validators stay as they were."""
        self.store.save_feed(replace(state, status=status, error=error))

    # --- articles -----------------------------------------------------------------------

    def _fetch_entries(
        self, entries: Sequence[FeedEntry], stop: threading.Event | None
    ) -> PassSummary:
        total = PassSummary()
        for batch in _batches(entries, self.settings.batch_size):
            if stop is not None and stop.is_set():
                logger.info("stop requested: %d article URL(s) left for the next pass", len(batch))
                break
            total += self._fetch_batch(batch)
        return total

    def _fetch_batch(self, batch: Sequence[FeedEntry]) -> PassSummary:
        """Fetch one batch of pages, read them, then code and store them with
        :func:`~newsevents.ingest.ingest` in one transaction. A page whose text is already
        stored (or came earlier in the batch) is recorded as a copy, not coded again."""
        answers = self.fetcher.get_many([Request(entry.url) for entry in batch])
        records: list[FetchRecord] = []
        errors: list[ReadError] = []
        articles: list[Article] = []
        for entry, answer in zip(batch, answers, strict=True):
            result = self._read_page(entry, answer)
            if isinstance(result, Article):
                articles.append(result)
                continue
            errors.append(result[0])
            records.append(result[1])
        ids = [a.id for a in articles]
        owners = self._text_owners(articles)
        before = self.store.stored_ids(ids)
        done = ingest([*articles, *errors], self.store, self.pipeline, len(articles) + len(errors))
        stored, copies = self.store.stored_ids(ids), self.store.copy_ids(ids)
        records += [_outcome(a, before, stored, copies, owners) for a in articles]
        self.store.record_fetches(records)
        return PassSummary(
            fetched=sum(isinstance(a, Fetched) for a in answers),
            articles=done.coded,
            duplicates=done.skipped + done.copies,
            events=done.events,
            errors=done.errors,
        )

    def _read_page(
        self, entry: FeedEntry, answer: Fetched | FetchFailure
    ) -> Article | tuple[ReadError, FetchRecord]:
        """The article in a fetched page (the feed's title, date and source win over the
        page's), or the error and the fetch record of a failure."""
        if isinstance(answer, FetchFailure):
            error = ReadError(entry.url, None, "fetch", answer.reason)
            return error, FetchRecord(
                entry.url, answer.outcome, answer.final_url, None, answer.reason
            )
        final_url = normalise_url(answer.final_url, self.settings.tracking_params)
        try:
            result = article_from_html(
                page_markup(answer),
                url=final_url,
                origin=entry.url,
                published=entry.published,
                source=entry.source,
                debris=self.pipeline.debris,
            )
        except Exception as exc:  # one unreadable page must not stop the pass
            logger.exception("reading %s failed", entry.url)
            result = ReadError(entry.url, None, "read", f"page could not be read: {exc!r}")
        if isinstance(result, ReadError):
            return result, FetchRecord(entry.url, "failed", final_url, None, result.reason)
        # The feed's title goes in afterwards: given to article_from_html it would decide
        # whether the page's headline line is cut from the text, so two feeds titling one
        # story differently would give it two texts and two content hashes. The id comes from
        # the URL, so a copy of a stored text under another URL is recorded as such.
        return replace(result, id=url_article_id(final_url), title=entry.title or result.title)

    def _text_owners(self, articles: Sequence[Article]) -> dict[str, str]:
        """Content hash -> the article a copy of that text is recorded against: the stored
        one, else the first in the batch."""
        owners = self.store.stored_hashes(a.content_hash for a in articles)
        for article in articles:
            owners.setdefault(article.content_hash, article.id)
        return owners


def _outcome(
    article: Article,
    before: set[str],
    stored: set[str],
    copies: set[str],
    owners: dict[str, str],
) -> FetchRecord:
    """What became of a read page: stored, a duplicate, or (coding failed) failed."""
    url = article.origin or article.id
    if article.id in before:
        reason = f"already stored as article {article.id} (same final URL)"
        return FetchRecord(url, "duplicate", article.url, article.id, reason)
    if article.id in copies:
        owner = owners[article.content_hash]
        reason = f"same text as stored article {owner}"
        return FetchRecord(url, "duplicate", article.url, owner, reason)
    if article.id in stored:
        return FetchRecord(url, "stored", article.url, article.id)
    return FetchRecord(url, "failed", article.url, None, "not coded (see the errors table)")


def _feed_request(url: str, state: FeedState | None) -> Request:
    if state is None:
        return Request(url, "feed")
    return Request(url, "feed", state.etag, state.last_modified)


def _batches(items: Iterable[FeedEntry], size: int) -> Iterator[list[FeedEntry]]:
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch
