"""Live news into the store: poll feeds (or take a URL list), fetch the new articles politely,
code them and store them, pass after pass.

A :class:`Watcher` ties a :class:`~newsevents.store.Store`, a
:class:`~newsevents.pipeline.Pipeline` and a :class:`~newsevents.fetch.Fetcher` together.
Nothing stored is fetched twice: article URLs are normalised, URLs with a final outcome are
remembered in the store, and a page whose text is already stored (same content hash, reached
through another URL) is recorded as a duplicate. Every failure becomes a row of the ``errors``
table, and the pass goes on.

Given a :class:`~newsevents.store.database.StoreFile` instead of an open store, the watcher
opens the file only while it reads or writes it, never while it downloads or codes, so another
process (``newsevents serve``) can read the store between two batches (docs/watch.md).
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field, fields, replace
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
from newsevents.model import Article, CodedArticle, ReadError
from newsevents.read.html import article_from_html
from newsevents.read.inputs import ReadResult
from newsevents.run.batches import _ingest_batches
from newsevents.store.database import Store, StoreFile
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
    first_error: ReadError | None = field(default=None, compare=False)
    """The first of those failures, when known (a coding failure is only counted)."""

    @property
    def done(self) -> int:
        """Article URLs that ended well: stored, a duplicate, or already stored."""
        return self.articles + self.duplicates + self.skipped

    def __add__(self, other: PassSummary) -> PassSummary:
        counts = {
            f.name: getattr(self, f.name) + getattr(other, f.name)
            for f in fields(PassSummary)
            if f.name != "first_error"
        }
        return PassSummary(**counts, first_error=self.first_error or other.first_error)


WRITE_WAIT = 60.0
"""Seconds the watcher waits, for each batch, for readers in other processes to let go of a
:class:`~newsevents.store.database.StoreFile` (a request holds it for milliseconds)."""


class Watcher:
    """Fetches, codes and stores live news into one store.

    ``store`` is an open :class:`~newsevents.store.database.Store` (held for the watcher's
    life), or a :class:`~newsevents.store.database.StoreFile`, opened for each read or write
    and let go while pages download and articles are coded.

    >>> store, pipeline = StoreFile("events.duckdb"), Pipeline()  # doctest: +SKIP
    >>> with Watcher(store, pipeline) as watcher:                # doctest: +SKIP
    ...     summary = watcher.poll_file("feeds.txt")
    """

    def __init__(
        self,
        store: Store | StoreFile,
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

    def opened(self) -> AbstractContextManager[Store]:
        """The store for one unit of work: the open store, or the file opened for the block."""
        if isinstance(self.store, StoreFile):
            return self.store.store()
        return nullcontext(self.store)

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
        with self.opened() as store:
            states = {spec.url: store.feed_state(spec.url) for spec in feeds}
        requests = [_feed_request(spec.url, states[spec.url]) for spec in feeds]
        answers = self.fetcher.get_many(requests)
        summary = PassSummary(feeds=len(feeds))
        errors: list[ReadError] = []
        with self.opened() as store:
            for spec, answer in zip(feeds, answers, strict=True):
                step, feed_errors = self._take_feed(store, spec, states[spec.url], answer)
                summary += step
                errors += feed_errors
            summary += _record(store, errors)
            pending = unique_entries(store.pending_entries([spec.url for spec in feeds]))
        return summary + self._fetch_entries(pending, stop)

    def fetch(
        self, entries: Sequence[FeedEntry], stop: threading.Event | None = None
    ) -> PassSummary:
        """Fetch, code and store these article URLs, skipping the settled ones."""
        entries = unique_entries(entries)
        with self.opened() as store:
            settled = store.settled_urls(e.url for e in entries)
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
        with self.opened() as store:
            return _record(store, errors)

    # --- feeds --------------------------------------------------------------------------

    def _take_feed(
        self,
        store: Store,
        spec: FeedSpec,
        previous: FeedState | None,
        answer: Fetched | FetchFailure,
    ) -> tuple[PassSummary, list[ReadError]]:
        """Save what one feed poll brought; its errors are returned for storing."""
        kept = previous or FeedState(spec.url)
        if isinstance(answer, FetchFailure):
            _save_state(store, kept, None, answer.reason)
            return PassSummary(), [ReadError(spec.url, None, "feed", answer.reason)]
        if answer.status == 304:
            _save_state(store, kept, 304, None)
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
            _save_state(store, kept, answer.status, parsed.reason)
            return PassSummary(), [parsed]
        state = FeedState(spec.url, parsed.title, answer.etag, answer.last_modified)
        new = store.save_feed(replace(state, status=answer.status), parsed.entries)
        logger.info("feed %s: %d entries, %d new", spec.url, len(parsed.entries), new)
        return PassSummary(entries=new), list(parsed.errors)

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
        """Fetch one batch of pages, read them, code the new articles, then store them with
        ingest's batch step (:mod:`newsevents.run.batches`) in one transaction and record what
        became of each URL. A page whose text is already stored (or came earlier in the batch)
        is recorded as a copy, not coded again. The store is opened twice, briefly: to see
        what is stored, then to write; downloading and coding happen with it let go."""
        answers = self.fetcher.get_many([Request(entry.url) for entry in batch])
        articles, errors, records = self._read_pages(batch, answers)
        ids = [a.id for a in articles]
        with self.opened() as store:
            owners = _text_owners(store, articles)
            before = store.stored_ids(ids)
            known = before | store.copy_ids(ids)
        ready = self._code_ahead(articles, known, owners)
        with self.opened() as store:
            chunks = [[*articles, *errors]] if articles or errors else []
            done = _ingest_batches(chunks, store, self._coder(ready), False, None)
            stored, copies = store.stored_ids(ids), store.copy_ids(ids)
            records += [_outcome(a, before, stored, copies, owners) for a in articles]
            store.record_fetches(records)
        return PassSummary(
            fetched=sum(isinstance(a, Fetched) for a in answers),
            articles=done.coded,
            duplicates=done.skipped + done.copies,
            events=done.events,
            errors=done.errors,
            first_error=errors[0] if errors and done.errors else None,
        )

    def _read_pages(
        self, batch: Sequence[FeedEntry], answers: Sequence[Fetched | FetchFailure]
    ) -> tuple[list[Article], list[ReadError], list[FetchRecord]]:
        """The articles in a batch's pages, and the error and fetch record of each failure."""
        articles: list[Article] = []
        errors: list[ReadError] = []
        records: list[FetchRecord] = []
        for entry, answer in zip(batch, answers, strict=True):
            result = self._read_page(entry, answer)
            if isinstance(result, Article):
                articles.append(result)
                continue
            errors.append(result[0])
            records.append(result[1])
        return articles, errors, records

    def _code_ahead(
        self, articles: Sequence[Article], known: set[str], owners: dict[str, str]
    ) -> dict[str, CodedArticle | ReadError]:
        """Code, before the store is opened for writing, the articles the write will code:
        not stored, not a known copy, the first holder of their text. The write decides
        again against the store; what it needs and was not coded here is coded then."""
        todo: dict[str, Article] = {}
        for article in articles:
            first = not article.content_hash or owners.get(article.content_hash) == article.id
            if article.id not in known and first:
                todo.setdefault(article.id, article)
        coded = self.pipeline.pipe(todo.values())
        return dict(zip(todo, coded, strict=True))

    def _coder(
        self, ready: dict[str, CodedArticle | ReadError]
    ) -> Callable[[Iterable[ReadResult]], Iterator[CodedArticle | ReadError]]:
        """The coding step of the write: the articles coded ahead, else the pipeline."""

        def code(records: Iterable[ReadResult]) -> Iterator[CodedArticle | ReadError]:
            for record in records:
                if isinstance(record, Article) and record.id in ready:
                    yield ready[record.id]
                else:
                    yield from self.pipeline.pipe([record])

        return code

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


def _record(store: Store, errors: Sequence[ReadError]) -> PassSummary:
    if not errors:
        return PassSummary()
    count = store.write(list(errors)).errors
    return PassSummary(errors=count, first_error=errors[0] if count else None)


def _save_state(store: Store, state: FeedState, status: int | None, error: str | None) -> None:
    """Record a poll that brought no entries; the validators stay as they were."""
    store.save_feed(replace(state, status=status, error=error))


def _text_owners(store: Store, articles: Sequence[Article]) -> dict[str, str]:
    """Content hash -> the article a copy of that text is recorded against: the stored one,
    else the first in the batch."""
    owners = store.stored_hashes(a.content_hash for a in articles)
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
