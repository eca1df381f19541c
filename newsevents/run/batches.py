"""The batch loop of ingest: read a batch, code it (here or on workers), write it in one
transaction, skipping what is already stored. Serial runs, the process pool and Dask share it."""

from __future__ import annotations

import dataclasses
import itertools
import logging
import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from newsevents.errors import Stopped, StoreRefusedError
from newsevents.model import Article, CodedArticle, ReadError
from newsevents.read.inputs import ReadResult
from newsevents.read.text import split_origin
from newsevents.store.database import Store, WriteSummary
from newsevents.store.dedup import ArticleCopy

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class IngestSummary:
    """What an ingest run did. ``skipped`` articles were already in the store; ``copies`` were
    exact copies of a stored article (same text, another id), recorded and not coded again.
    ``stopped``: the run was asked to stop and ended after a batch, before its input did."""

    read: int = 0
    coded: int = 0
    skipped: int = 0
    events: int = 0
    errors: int = 0
    sentences: int = 0
    copies: int = 0
    stopped: bool = False

    def __add__(self, other: IngestSummary) -> IngestSummary:
        sums = (a + b for a, b in zip(_values(self), _values(other), strict=True))
        return IngestSummary(*sums, stopped=self.stopped or other.stopped)


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


def per_record(code: Coder) -> Coder:
    """``code``, but one bad record never costs its batch: a batch that raises is coded again
    record by record, and a record that raises alone becomes a ReadError of stage ``code``."""

    def isolated(records: Iterable[ReadResult]) -> Iterator[CodedArticle | ReadError]:
        batch = list(records)
        try:
            return iter(list(code(batch)))
        except Exception:
            logger.exception("coding a batch of %d record(s) failed: one by one", len(batch))
        return iter([_code_alone(code, record) for record in batch])

    return isolated


def _code_alone(code: Coder, record: ReadResult) -> CodedArticle | ReadError:
    if isinstance(record, ReadError):
        return record
    try:
        return next(iter(code([record])))
    except Exception as exc:
        where, position = split_origin(record.origin or record.id)
        return ReadError(where, position, "code", f"{type(exc).__name__}: {exc}")


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
    stop: threading.Event | None = None,
) -> IngestSummary:
    """Prepare, code and write batch after batch. With ``submit`` (coding on other processes)
    the next batch is coded while the current one is written: it was prepared against the
    store before the current batch was written, so it is prepared again afterwards, and coded
    again in the rare case that changes what it needs (an article of the current batch again,
    or an exact copy of one). Once ``stop`` is set, the run ends after the batch being written
    (a batch coded ahead is dropped) with ``stopped`` set."""
    loop = _Loop(store, code, recode, progress, submit)
    try:
        for chunk in chunks:
            if stop is not None and stop.is_set():
                return loop.stop()
            loop.step(chunk)
        loop.drain()
    except Stopped:  # the workers were stopped with the run: the batch they coded is lost
        return loop.stop()
    finally:
        _close(chunks)
    return loop.total


class _Loop:
    """One run of the batch loop: the running totals, and the batch being coded ahead."""

    def __init__(
        self,
        store: Store,
        code: Coder,
        recode: bool,
        progress: Callable[[IngestSummary], None] | None,
        submit: Submit | None,
    ) -> None:
        self.store, self.code, self.recode = store, code, recode
        self.progress, self.submit = progress, submit
        self.total = IngestSummary()
        self.pending: tuple[_Batch, Pending] | None = None

    def step(self, chunk: list[ReadResult]) -> None:
        """Prepare a chunk; code it here and write it, or start coding it elsewhere and write
        the batch coded before."""
        batch = _prepare(chunk, self.store, self.recode)
        wait = self.submit(batch.to_code()) if self.submit is not None else None
        if self.pending is not None:
            self.drain()
            batch, wait = self._again(chunk, batch, wait)
        if wait is None:
            self._write(batch, list(self.code(batch.to_code())))
        else:
            self.pending = (batch, wait)

    def drain(self) -> None:
        """Write the batch being coded elsewhere, once it is coded."""
        if self.pending is not None:
            batch, wait = self.pending
            self.pending = None
            self._write(batch, wait.result())

    def stop(self) -> IngestSummary:
        """End the run here: a batch coded ahead is dropped, unwritten."""
        if self.pending is not None:
            self.pending[1].discard()
            self.pending = None
        logger.info("stop requested: ended after %d record(s)", self.total.read)
        return dataclasses.replace(self.total, stopped=True)

    def _again(
        self, chunk: list[ReadResult], batch: _Batch, wait: Pending | None
    ) -> tuple[_Batch, Pending | None]:
        """The batch prepared again after the one before was written; coded again if that
        changed what it needs."""
        again = _prepare(chunk, self.store, self.recode)
        if wait is None or self.submit is None or again.plan() == batch.plan():
            return batch, wait
        wait.discard()
        return again, self.submit(again.to_code())

    def _write(self, batch: _Batch, coded: list[CodedArticle | ReadError]) -> None:
        self.total = _report(
            self.total + _finish(batch, coded, self.store, self.code), self.progress
        )


def _close(chunks: Iterable[list[ReadResult]]) -> None:
    """Close the chunks' generator, if they are one (ends a read-ahead thread now)."""
    close = getattr(chunks, "close", None)
    if close is not None:
        close()


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
    """Write a coded batch in one transaction and say what it did; a record the store refuses
    costs only itself (:func:`write_isolated`)."""
    results = list(coded_batch)
    coded_ids = {r.article.id for r in results if isinstance(r, CodedArticle)}
    kept, orphans = _settle_copies(batch.copies, coded_ids, store)
    results += list(code(orphans))  # their original failed: code them as usual
    written, refused = write_isolated(store, results)
    if refused:  # copies of a refused article are no copies of a stored one: code them too
        kept, late = _resettle(kept, batch.copies, store)
        late_coded = list(code(late))
        more, late_refused = write_isolated(store, late_coded)
        written, refused = _plus(written, more), refused | late_refused
        results += late_coded
    new_copies, copy_errors = _write_copies_isolated(store, kept)
    coded = [r for r in results if isinstance(r, CodedArticle) and r.article.id not in refused]
    return IngestSummary(
        read=len(batch.chunk),
        coded=written.articles,
        skipped=len(batch.articles) - len(batch.fresh),
        events=written.events,
        errors=written.errors + copy_errors,
        sentences=sum(int(c.meta.get("sentences", 0)) for c in coded),
        copies=new_copies,
    )


def write_isolated(
    store: Store, records: list[CodedArticle | ReadError]
) -> tuple[WriteSummary, set[str]]:
    """Write records in one transaction. If the store refuses it (a value DuckDB or pyarrow
    cannot take), the batch is rolled back and each article is written alone; one refused
    alone becomes an error row of stage ``store`` naming its id and the reason. Returns what
    was written and the ids of the refused articles. A full disk or a broken file raises."""
    try:
        return store.write(records), set()
    except StoreRefusedError:
        logger.warning("the store refused a batch of %d record(s): one by one", len(records))
    errors = [r for r in records if isinstance(r, ReadError)]
    articles = events = 0
    refused: set[str] = set()
    for coded in (r for r in records if isinstance(r, CodedArticle)):
        try:
            written = store.write([coded])
        except StoreRefusedError as exc:
            refused.add(coded.article.id)
            errors.append(_refusal(coded.article.origin, coded.article.id, "article", exc))
            continue
        articles, events = articles + written.articles, events + written.events
    return WriteSummary(articles, events, _write_errors(store, errors)), refused


def _write_copies_isolated(store: Store, copies: list[ArticleCopy]) -> tuple[int, int]:
    """Record copies in one transaction, else one by one (see :func:`write_isolated`):
    how many were new, and how many the store refused (each an error row)."""
    try:
        return store.write_copies(copies), 0
    except StoreRefusedError:
        logger.warning("the store refused a batch of %d copies: one by one", len(copies))
    new, errors = 0, []
    for copy in copies:
        try:
            new += store.write_copies([copy])
        except StoreRefusedError as exc:
            errors.append(_refusal(copy.origin, copy.id, f"copy of {copy.copy_of}", exc))
    return new, _write_errors(store, errors)


def _write_errors(store: Store, errors: list[CodedArticle | ReadError]) -> int:
    """Error rows (the store keeps them as UTF-8 it can always take)."""
    return store.write(errors).errors if errors else 0


def _refusal(origin: str | None, record_id: str, what: str, exc: StoreRefusedError) -> ReadError:
    """The error row of a record the store refused: where it was read, its id, and why."""
    where, position = split_origin(origin or record_id)
    cause = exc.__cause__ or exc
    reason = f"the store refused {what} {record_id}: {type(cause).__name__}: {cause}"
    return ReadError(where, position, "store", reason)


def _resettle(
    kept: list[ArticleCopy], copies: list[tuple[Article, str]], store: Store
) -> tuple[list[ArticleCopy], list[Article]]:
    """After a write the store refused part of: the copies whose original is stored, and the
    articles of those whose original is not (to code as originals)."""
    stored = store.stored_ids(c.copy_of for c in kept)
    late = {c.id for c in kept if c.copy_of not in stored}
    return [c for c in kept if c.id not in late], [a for a, _ in copies if a.id in late]


def _plus(a: WriteSummary, b: WriteSummary) -> WriteSummary:
    return WriteSummary(a.articles + b.articles, a.events + b.events, a.errors + b.errors)


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
