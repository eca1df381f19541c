"""Code a stream of input records into a store, in batches, skipping what is already stored."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterable

from newsevents.coding.pipeline import Pipeline, Settings
from newsevents.errors import Stopped
from newsevents.read.inputs import ReadResult
from newsevents.run.batches import (
    IngestSummary,
    _chunks,
    _ingest_batches,
    per_record,
    read_ahead,
)
from newsevents.store.database import Store

__all__ = ["IngestSummary", "ingest"]


def ingest(
    records: Iterable[ReadResult],
    store: Store,
    pipeline: Pipeline | Settings,
    batch_size: int = 64,
    recode: bool = False,
    progress: Callable[[IngestSummary], None] | None = None,
    workers: int = 1,
    stop: threading.Event | None = None,
) -> IngestSummary:
    """Code and store every record. Articles already stored are skipped unless ``recode``;
    each batch is written in one transaction, so an interrupted run loses at most one batch
    and a re-run completes it. With ``workers`` > 1 each batch is coded on that many processes
    (each builds its own pipeline from the settings) while the next batch is read; what is
    stored is the same. ``pipeline`` may be just the :class:`Settings` to build it from.
    Workers start only when the input is longer than one batch: for less, they cost more
    than they save. Once ``stop`` is set (from a signal handler, another thread), the run
    ends after the batch being written, with ``stopped`` set in the summary (docs/reliability.md).
    A record that fails to code or to store costs only itself: it becomes an error row."""
    chunks = _chunks(records, batch_size)
    ahead = list(itertools.islice(chunks, 2))
    chunks = itertools.chain(ahead, chunks)
    if workers <= 1 or len(ahead) < 2:
        pipeline = pipeline if isinstance(pipeline, Pipeline) else Pipeline(pipeline)
        code = per_record(pipeline.pipe)
        return _ingest_batches(chunks, store, code, recode, progress, stop=stop)
    from newsevents.run.distributed import ProcessPool  # imported on use: it starts processes

    settings = pipeline.settings if isinstance(pipeline, Pipeline) else pipeline
    try:
        with ProcessPool(settings, workers, stop=stop) as pool:
            return _ingest_batches(
                read_ahead(chunks), store, pool.pipe, recode, progress, pool.submit, stop
            )
    except Stopped:  # stopped while the workers started: nothing was coded
        return IngestSummary(stopped=True)
