"""The batch loop of ingest: read a batch, code it (here or on workers), write it in one
transaction, skipping what is already stored. Serial runs, the process pool and Dask share it."""

from __future__ import annotations

import itertools
import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from newsevents.model import Article, CodedArticle, ReadError
from newsevents.read.inputs import ReadResult
from newsevents.store.database import Store
from newsevents.store.dedup import ArticleCopy


@dataclass(frozen=True)
class IngestSummary:
    """What an ingest run did. ``skipped`` articles were already in the store; ``copies`` were
    exact copies of a stored article (same text, another id), recorded and not coded again."""

    read: int = 0
    coded: int = 0
    skipped: int = 0
    events: int = 0
    errors: int = 0
    sentences: int = 0
    copies: int = 0

    def __add__(self, other: IngestSummary) -> IngestSummary:
        return IngestSummary(*(a + b for a, b in zip(_values(self), _values(other), strict=True)))


def _values(summary: IngestSummary) -> tuple[int, ...]:
    return (
        summary.read,
        summary.coded,
        summary.skipped,
        summary.events,
        summary.errors,
        summary.sentences,
        summary.copies,
    )


Coder = Callable[[Iterable[ReadResult]], Iterator[CodedArticle | ReadError]]


@dataclass(frozen=True)
class Pending:
    """Records being coded elsewhere: ``result()`` waits for them (in input order);
    ``discard()`` drops them and anything they wrote."""

    result: Callable[[], list[CodedArticle | ReadError]]
    discard: Callable[[], None]


Submit = Callable[[list[ReadResult]], Pending]
"""Starts coding records on other processes."""


def _ingest_batches(
    chunks: Iterable[list[ReadResult]],
    store: Store,
    code: Coder,
    recode: bool,
    progress: Callable[[IngestSummary], None] | None,
    submit: Submit | None = None,
) -> IngestSummary:
    """Prepare, code and write batch after batch. With ``submit`` (coding on other processes)
    the next batch is coded while the current one is written: it was prepared against the
    store before the current batch was written, so it is prepared again afterwards, and coded
    again in the rare case that changes what it needs (an article of the current batch again,
    or an exact copy of one)."""
    total = IngestSummary()
    pending: tuple[_Batch, Pending] | None = None
    for chunk in chunks:
        batch = _prepare(chunk, store, recode)
        wait = submit(batch.to_code()) if submit is not None else None
        if pending is not None:
            total = _report(total + _finish(pending[0], pending[1].result(), store, code), progress)
            again = _prepare(chunk, store, recode)
            if wait is not None and again.plan() != batch.plan():
                wait.discard()
                batch, wait = again, submit(again.to_code())
        if wait is None:
            coded = list(code(batch.to_code()))
            total = _report(total + _finish(batch, coded, store, code), progress)
        else:
            pending = (batch, wait)
    if pending is not None:
        total = _report(total + _finish(pending[0], pending[1].result(), store, code), progress)
    return total


@dataclass(frozen=True)
class _Batch:
    """One chunk of records and what it needs, as decided from the store: ``fresh`` articles
    are not stored yet; of those, ``originals`` are coded and ``copies`` (an exact copy of a
    stored or earlier article) only recorded."""

    chunk: list[ReadResult]
    articles: list[Article]
    fresh: list[Article]
    originals: list[Article]
    copies: list[tuple[Article, str]]

    def to_code(self) -> list[ReadResult]:
        return [*self.originals, *(r for r in self.chunk if isinstance(r, ReadError))]

    def plan(self) -> tuple[list[str], list[str], list[tuple[str, str]]]:
        fresh, originals = [a.id for a in self.fresh], [a.id for a in self.originals]
        return fresh, originals, [(a.id, original) for a, original in self.copies]


def _prepare(chunk: list[ReadResult], store: Store, recode: bool) -> _Batch:
    articles = [r for r in chunk if isinstance(r, Article)]
    stored = set() if recode else store.stored_ids(a.id for a in articles)
    stored |= store.copy_ids(a.id for a in articles)
    fresh = _unique(a for a in articles if a.id not in stored)
    originals, copies = _split_copies(fresh, store)
    return _Batch(chunk, articles, fresh, originals, copies)


def _finish(
    batch: _Batch, coded_batch: list[CodedArticle | ReadError], store: Store, code: Coder
) -> IngestSummary:
    """Write a coded batch in one transaction and say what it did."""
    results = list(coded_batch)
    coded_ids = {r.article.id for r in results if isinstance(r, CodedArticle)}
    kept, orphans = _settle_copies(batch.copies, coded_ids, store)
    results += list(code(orphans))  # their original failed: code them as usual
    written = store.write(results)
    new_copies = store.write_copies(kept)
    coded = [r for r in results if isinstance(r, CodedArticle)]
    return IngestSummary(
        read=len(batch.chunk),
        coded=written.articles,
        skipped=len(batch.articles) - len(batch.fresh),
        events=written.events,
        errors=written.errors,
        sentences=sum(int(c.meta.get("sentences", 0)) for c in coded),
        copies=new_copies,
    )


def _report(
    total: IngestSummary, progress: Callable[[IngestSummary], None] | None
) -> IngestSummary:
    if progress is not None:
        progress(total)
    return total


def _unique(articles: Iterable[Article]) -> list[Article]:
    """Drop repeats of the same article id within a batch (the same story twice in an input)."""
    seen: set[str] = set()
    unique = []
    for article in articles:
        if article.id not in seen:
            seen.add(article.id)
            unique.append(article)
    return unique


def _split_copies(
    articles: list[Article], store: Store
) -> tuple[list[Article], list[tuple[Article, str]]]:
    """Articles to code, and exact copies (same content hash as a stored article or an earlier
    one in the batch, under another id) with the id of their original, to record instead."""
    stored = store.stored_hashes(a.content_hash for a in articles)
    first: dict[str, str] = {}
    originals: list[Article] = []
    copies: list[tuple[Article, str]] = []
    for article in articles:
        digest = article.content_hash
        original = stored.get(digest) or first.get(digest)
        if digest and original is not None and original != article.id:
            copies.append((article, original))
            continue
        if digest:
            first.setdefault(digest, article.id)
        originals.append(article)
    return originals, copies


def _settle_copies(
    copies: list[tuple[Article, str]], coded_ids: set[str], store: Store
) -> tuple[list[ArticleCopy], list[Article]]:
    """Copies whose original is stored or was just coded are recorded; the others (their
    original failed) go back to be coded, so nothing read is lost."""
    stored = store.stored_ids(original for _, original in copies if original not in coded_ids)
    kept = [_copy_of(a, o) for a, o in copies if o in coded_ids or o in stored]
    orphans = [a for a, o in copies if o not in coded_ids and o not in stored]
    return kept, orphans


def _copy_of(article: Article, original: str) -> ArticleCopy:
    return ArticleCopy(
        article.id,
        original,
        article.content_hash,
        article.title,
        article.source,
        article.published,
        article.url,
        article.origin,
    )


def _chunks(records: Iterable[ReadResult], size: int) -> Iterator[list[ReadResult]]:
    iterator = iter(records)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def read_ahead(chunks: Iterator[list[ReadResult]]) -> Iterator[list[ReadResult]]:
    """The same chunks, the next one read on a thread while the caller works on the current
    one (reading overlaps coding on worker processes); at most one chunk is held ahead."""
    ahead: queue.Queue[tuple[str, Any]] = queue.Queue(maxsize=1)
    stop = threading.Event()

    def offer(item: tuple[str, Any]) -> bool:
        while not stop.is_set():
            try:
                ahead.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def fill() -> None:
        try:
            for chunk in chunks:
                if not offer(("chunk", chunk)):
                    return
            offer(("end", None))
        except BaseException as exc:  # handed to the consumer, raised there
            offer(("error", exc))

    reader = threading.Thread(target=fill, name="newsevents-read-ahead", daemon=True)
    reader.start()
    try:
        while True:
            kind, value = ahead.get()
            if kind == "end":
                return
            if kind == "error":
                raise value
            yield value
    finally:
        stop.set()
