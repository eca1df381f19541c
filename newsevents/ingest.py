"""Code a stream of input records into a store, in batches, skipping what is already stored."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from .model import Article, CodedArticle, ReadError
from .pipeline import Pipeline
from .read import ReadResult
from .store import Store


@dataclass(frozen=True)
class IngestSummary:
    """What an ingest run did. ``skipped`` articles were already in the store."""

    read: int = 0
    coded: int = 0
    skipped: int = 0
    events: int = 0
    errors: int = 0
    sentences: int = 0

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
    )


def ingest(
    records: Iterable[ReadResult],
    store: Store,
    pipeline: Pipeline,
    batch_size: int = 64,
    recode: bool = False,
    progress: Callable[[IngestSummary], None] | None = None,
) -> IngestSummary:
    """Code and store every record. Articles already stored are skipped unless ``recode``;
    each batch is written in one transaction, so an interrupted run loses at most one batch
    and a re-run completes it."""
    total = IngestSummary()
    for chunk in _chunks(records, batch_size):
        articles = [r for r in chunk if isinstance(r, Article)]
        stored = set() if recode else store.stored_ids(a.id for a in articles)
        fresh = _unique(a for a in articles if a.id not in stored)
        results = list(pipeline.pipe([*fresh, *(r for r in chunk if isinstance(r, ReadError))]))
        written = store.write(results)
        coded = [r for r in results if isinstance(r, CodedArticle)]
        step = IngestSummary(
            read=len(chunk),
            coded=written.articles,
            skipped=len(articles) - len(fresh),
            events=written.events,
            errors=written.errors,
            sentences=sum(int(c.meta.get("sentences", 0)) for c in coded),
        )
        total = total + step
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


def _chunks(records: Iterable[ReadResult], size: int) -> Iterator[list[ReadResult]]:
    iterator = iter(records)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk
