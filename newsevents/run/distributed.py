"""Coding on more processes: a local process pool (``--workers N``) and a Dask cluster
(``--engine dask``).

Both plug into the batch loop of :func:`newsevents.run.ingest.ingest`: the main process reads,
decides what needs coding (articles already stored, copies of stored ones) and writes each batch
to the store in one transaction; only the coding moves to the workers, and the next batch is
coded while the current one is written. That is why a run on any number of processes stores
exactly what a serial run stores, and why an interrupted run resumes the same way.

Each worker process builds its pipeline once (:func:`worker_pipeline`) and codes many articles
with it. On Dask, each batch is split into partitions of about equal text length; a worker codes
its partition and writes it as Parquet shards on storage the client can read too::

    SHARDS/events/month=2016-12/part-<run>-<batch>-<partition>.parquet   event rows (store columns)
    SHARDS/records/part-<run>-<batch>-<partition>.parquet                 every coded record

The client loads the ``records`` shards of a batch into the DuckDB store, in input order. The
``events`` shards, partitioned by event month, are the cluster's own copy of the events: read them
with ``read_parquet('SHARDS/events/*/*.parquet', hive_partitioning = true)``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
import logging
import multiprocessing
import multiprocessing.connection
import os
import signal
import threading
import types
import typing
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from types import TracebackType
from typing import Any

from newsevents.coding.pipeline import Pipeline, Settings
from newsevents.errors import NewsEventsError, OptionError, Stopped, WorkerError
from newsevents.model import Article, CodedArticle, ReadError
from newsevents.read.inputs import ReadResult, split_origin
from newsevents.run.batches import (
    IngestSummary,
    Pending,
    _chunks,
    _ingest_batches,
    per_record,
    read_ahead,
)
from newsevents.store.database import EVENT_COLUMNS, Store, _event_row

logger = logging.getLogger(__name__)

Result = CodedArticle | ReadError
PARTS_PER_WORKER = 2
"""A Dask batch is cut into this many partitions per worker, so a slow one is not alone."""
ARTICLES_PER_TASK = 8
"""Articles a local worker codes at a time: spaCy parses a batch of documents a third faster
than the same documents one by one."""


@functools.lru_cache(maxsize=2)
def worker_pipeline(settings: Settings) -> Pipeline:
    """This process's pipeline for ``settings``: built on first use, then reused."""
    return Pipeline(settings)


def code_articles(settings: Settings, articles: Sequence[Article]) -> list[Result]:
    """Code articles with this process's pipeline (run on a worker); one that makes the
    pipeline raise becomes an error of stage ``code``, the others are coded."""
    return list(per_record(worker_pipeline(settings).pipe)(articles))


def balanced(sizes: Sequence[int], parts: int) -> list[list[int]]:
    """Indices of ``sizes`` in ``parts`` groups of about equal total size (longest first, each
    to the lightest group); empty groups are dropped."""
    groups: list[list[int]] = [[] for _ in range(max(1, parts))]
    loads = [0] * len(groups)
    for index in sorted(range(len(sizes)), key=lambda i: -sizes[i]):
        lightest = loads.index(min(loads))
        groups[lightest].append(index)
        loads[lightest] += sizes[index]
    return [sorted(g) for g in groups if g]


def _in_order(records: Sequence[ReadResult], coded: Iterator[Result]) -> Iterator[Result]:
    """Read errors where they were, each article replaced by its result."""
    for record in records:
        yield record if isinstance(record, ReadError) else next(coded)


def _crashed(article: Article, what: str) -> ReadError:
    where, position = split_origin(article.origin or article.id)
    return ReadError(where, position, "code", f"{what} crashed while coding this article")


def _failed(article: Article, exc: Exception) -> ReadError:
    where, position = split_origin(article.origin or article.id)
    return ReadError(where, position, "code", f"{type(exc).__name__}: {exc}")


# --- a local process pool -------------------------------------------------------------------


class ProcessPool:
    """``workers`` processes coding articles, each with its own pipeline (``--workers``).

    ``pool.pipe(records)`` has the contract of :meth:`Pipeline.pipe`. A batch goes to the
    workers in tasks of about :data:`ARTICLES_PER_TASK` articles and equal text length, longest
    first, so the processes finish a batch together. A worker that dies (a crash in native
    code) is replaced, the articles of its task are coded again one by one, and one that
    crashes a worker again becomes an error of stage ``code``; the run goes on. Once ``stop``
    is set, workers that die are not replaced: waiting for their batch raises
    :class:`Stopped` (a signal to the whole process group stops them with the run).

    The workers ignore SIGINT (Ctrl-C reaches every process of the terminal's group; the main
    process decides when to stop) and end themselves within a second of the main process
    ending, however it ends (``kill -9`` too): see :func:`exit_with_parent`.
    """

    def __init__(
        self, settings: Settings, workers: int, stop: threading.Event | None = None
    ) -> None:
        if workers < 1:
            raise OptionError(f"workers must be at least 1, not {workers}")
        self.settings = dataclasses.replace(settings, n_process=1)
        self.workers = workers
        self.stop = stop or threading.Event()
        self._executor: ProcessPoolExecutor | None = None
        self._generation = 0

    def __enter__(self) -> ProcessPool:
        self._start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    def _start(self) -> None:
        """Start the processes and build their pipelines; a pipeline that cannot be built (a
        missing model, a bad dictionary) raises here, with its own error."""
        context = multiprocessing.get_context("spawn")
        self._executor = ProcessPoolExecutor(
            self.workers, mp_context=context, initializer=start_worker, initargs=(os.getpid(),)
        )
        self._generation += 1
        warm = [self._executor.submit(_warm_up, self.settings) for _ in range(self.workers)]
        try:
            for future in warm:
                future.result()
        except BrokenProcessPool as exc:
            if self.stop.is_set():
                raise Stopped("the worker processes were stopped while starting") from None
            raise WorkerError(
                f"a worker process died while loading its pipeline ({exc}); "
                "with less memory, try fewer --workers"
            ) from exc

    def pipe(self, records: Iterable[ReadResult]) -> Iterator[Result]:
        return iter(self.submit(list(records)).result())

    def submit(self, records: list[ReadResult]) -> Pending:
        """Start coding ``records`` on the workers."""
        articles = [r for r in records if isinstance(r, Article)]
        count = max(self.workers, -(-len(articles) // ARTICLES_PER_TASK))
        parts = balanced([len(a.text) for a in articles], count)
        parts.sort(key=lambda part: -sum(len(articles[i].text) for i in part))  # longest first
        tasks = [[articles[i] for i in part] for part in parts]
        sent = [self._send(task) for task in tasks]

        def wait() -> list[Result]:
            results: list[Result | None] = [None] * len(articles)
            for part, task, (future, generation) in zip(parts, tasks, sent, strict=True):
                for index, result in zip(
                    part, self._results(future, task, generation), strict=True
                ):
                    results[index] = result
            return list(_in_order(records, iter(r for r in results if r is not None)))

        def discard() -> None:
            for future, _ in sent:
                future.cancel()

        return Pending(wait, discard)

    def _send(self, task: list[Article]) -> tuple[Future[list[Result]], int]:
        """Submit one task, and the generation of the pool it went to. A pool found broken
        (a worker died since the last task) is replaced first."""
        assert self._executor is not None, "use ProcessPool as a context manager"
        try:
            return self._executor.submit(code_articles, self.settings, task), self._generation
        except BrokenProcessPool:
            self._restart()
            return self._send(task)

    def _results(
        self, future: Future[list[Result]], task: list[Article], generation: int
    ) -> list[Result]:
        try:
            return future.result()
        except BrokenProcessPool:
            if generation == self._generation:  # the first failed task of this pool
                self._restart()
        except Exception:  # a result that does not come back (one that cannot be pickled)
            logger.exception("a task of %d article(s) failed: one by one", len(task))
        return [self._alone(article) for article in task]

    def _alone(self, article: Article) -> Result:
        """Code one article on its own: if it crashes a worker again, it is the cause and
        becomes an error."""
        future, _ = self._send([article])
        try:
            return future.result()[0]
        except BrokenProcessPool:
            self._restart()
            return _crashed(article, "a worker process")
        except Exception as exc:
            return _failed(article, exc)

    def _restart(self) -> None:
        if self.stop.is_set():  # the workers were stopped with the run (a signal to the group)
            raise Stopped("the worker processes were stopped with the run")
        logger.warning("a worker process died; starting a new pool")
        self.close()
        self._start()


def start_worker(parent: int) -> None:
    """Set up a worker process (the pool's initializer): Ctrl-C is the main process's to act
    on, and the worker ends with the main process."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    exit_with_parent(parent)


PARENT_POLL = 1.0
"""Seconds between two checks of the parent's pid, where the parent's pipe gives no word."""
EXIT_ORPHANED = 70
"""The exit status of a worker that ended because its parent was gone (EX_SOFTWARE)."""


def exit_with_parent(parent: int) -> threading.Thread:
    """End this process as soon as its parent (pid ``parent``) is gone, from a daemon thread:
    it waits on the pipe that multiprocessing keeps from the parent to each child it spawns
    (its end closes when the parent dies, however it dies), and checks ``os.getppid()`` every
    :data:`PARENT_POLL` seconds where there is no such pipe. An orphaned worker would
    otherwise wait for work forever, holding its memory (a spaCy pipeline each)."""
    thread = threading.Thread(
        target=_watch_parent, args=(parent,), name="newsevents-parent-watch", daemon=True
    )
    thread.start()
    return thread


def _watch_parent(parent: int) -> None:
    process = multiprocessing.parent_process()
    sentinel = process.sentinel if process is not None else None
    while os.getppid() == parent:
        if sentinel is not None and multiprocessing.connection.wait([sentinel], PARENT_POLL):
            break
        if sentinel is None:
            threading.Event().wait(PARENT_POLL)
    os._exit(EXIT_ORPHANED)


def _warm_up(settings: Settings) -> None:
    worker_pipeline(settings)


# --- Dask -----------------------------------------------------------------------------------


def ingest_dask(
    records: Iterable[ReadResult],
    store: Store,
    settings: Settings,
    shards: Path,
    scheduler: str | None = None,
    workers: int = 2,
    batch_size: int = 256,
    recode: bool = False,
    progress: Callable[[IngestSummary], None] | None = None,
    stop: threading.Event | None = None,
) -> IngestSummary:
    """Code records on a Dask cluster and store them as :func:`~newsevents.run.ingest.ingest`
    does (``stop`` too). ``scheduler`` is the address of a running scheduler
    (``tcp://host:8786``); without it a LocalCluster of ``workers`` processes is started for
    the run. ``shards`` must be reachable by the workers and by this process (shared storage
    on a real cluster)."""
    from distributed import Client, LocalCluster

    shards.mkdir(parents=True, exist_ok=True)
    cluster = None
    if scheduler is None:
        cluster = LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",
            silence_logs=logging.ERROR,
        )
    try:
        with Client(cluster if cluster is not None else scheduler) as client:
            coder = DaskCoder(client, settings, shards)
            chunks = read_ahead(_chunks(records, batch_size))
            return _ingest_batches(chunks, store, coder.pipe, recode, progress, coder.submit, stop)
    finally:
        if cluster is not None:
            cluster.close()


class DaskCoder:
    """Codes batches on a Dask cluster; ``pipe`` has the contract of :meth:`Pipeline.pipe`."""

    def __init__(self, client: Any, settings: Settings, shards: Path) -> None:
        self.client = client
        self.settings = dataclasses.replace(settings, n_process=1)
        self.shards = shards
        self.run = uuid.uuid4().hex[:8]
        self.batches = 0

    def pipe(self, records: Iterable[ReadResult]) -> Iterator[Result]:
        return iter(self.submit(list(records)).result())

    def submit(self, records: list[ReadResult]) -> Pending:
        """Start coding ``records`` on the cluster; waiting for the result loads the
        partitions' shards, in input order; discarding it removes them."""
        articles = [r for r in records if isinstance(r, Article)]
        self.batches += 1
        workers = max(1, len(self.client.scheduler_info().get("workers", {})))
        parts = balanced([len(a.text) for a in articles], workers * PARTS_PER_WORKER)
        keys = [f"{self.run}-{self.batches:06d}-{n:03d}" for n in range(len(parts))]
        futures = [
            self.client.submit(
                code_partition,
                self.settings,
                [articles[i] for i in part],
                str(self.shards),
                key,
                pure=False,
            )
            for key, part in zip(keys, parts, strict=True)
        ]

        def wait() -> list[Result]:
            results: list[Result | None] = [None] * len(articles)
            for part, future in zip(parts, futures, strict=True):
                loaded = self._load(future, [articles[i] for i in part])
                for index, result in zip(part, loaded, strict=True):
                    results[index] = result
            return list(_in_order(records, iter(r for r in results if r is not None)))

        def discard() -> None:
            from distributed import wait as finished

            finished(futures)  # a running task cannot be stopped: let it end, then clean up
            for key in keys:
                for shard in self.shards.glob(f"*/**/part-{key}.parquet"):
                    shard.unlink()

        return Pending(wait, discard)

    def _load(self, future: Any, articles: list[Article]) -> list[Result]:
        from distributed import KilledWorker

        try:
            path = future.result()
        except KilledWorker:
            return [_crashed(a, "the Dask worker") for a in articles]
        return load_records(Path(path))


def code_partition(settings: Settings, articles: list[Article], shards: str, key: str) -> str:
    """Code one partition on a Dask worker and write its shards; returns the path of its
    ``records`` shard."""
    results = code_articles(settings, articles)
    root = Path(shards)
    write_event_shards(results, root / "events", key)
    return str(write_records(results, root / "records" / f"part-{key}.parquet"))


def write_event_shards(results: Iterable[Result], root: Path, key: str) -> list[Path]:
    """Event rows (the store's columns) in one Parquet file per event month."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    by_month: dict[str, list[dict[str, Any]]] = {}
    for result in results:
        if isinstance(result, CodedArticle):
            for event in result.events:
                month = (
                    event.date.value[:7] if event.date and len(event.date.value) >= 7 else "unknown"
                )
                by_month.setdefault(month, []).append(_event_row(event))
    written = []
    for month, rows in sorted(by_month.items()):
        path = root / f"month={month}" / f"part-{key}.parquet"
        path.parent.mkdir(parents=True, exist_ok=True)
        table = pa.Table.from_pylist([{c: row.get(c) for c in EVENT_COLUMNS} for row in rows])
        _write_atomically(table, path, pq.write_table)
        written.append(path)
    return written


def write_records(results: Sequence[Result], path: Path) -> Path:
    """Every record of a partition, lossless (``article_id``, ``kind``, ``record`` JSON)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table(
        {
            "article_id": [r.article.id if isinstance(r, CodedArticle) else None for r in results],
            "kind": [type(r).__name__ for r in results],
            "record": [record_json(r) for r in results],
        }
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    _write_atomically(table, path, pq.write_table)
    return path


def load_records(path: Path) -> list[Result]:
    import pyarrow.parquet as pq

    return [
        record_from_json(text)
        for text in pq.read_table(path, columns=["record"])["record"].to_pylist()
    ]


def _write_atomically(table: Any, path: Path, write: Callable[[Any, str], None]) -> None:
    """Write to a temporary name, then rename: a crashed worker leaves no half-written shard."""
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex[:6]}.tmp")
    write(table, str(temporary))
    temporary.replace(path)


# --- records as JSON ------------------------------------------------------------------------


def record_json(record: Result) -> str:
    """A record as JSON that :func:`record_from_json` turns back into an equal record."""
    return json.dumps({"type": type(record).__name__, "value": _plain(record)}, ensure_ascii=False)


def record_from_json(text: str) -> Result:
    data = json.loads(text)
    kind = {"CodedArticle": CodedArticle, "ReadError": ReadError}.get(data.get("type"))
    if kind is None:
        raise NewsEventsError(f"not a newsevents record: {text[:80]!r}")
    return _build(kind, data["value"])  # type: ignore[no-any-return]


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def _build(kind: Any, value: Any) -> Any:
    """Rebuild a value of type ``kind`` (dataclass, tuple, union, date ...) from plain JSON."""
    if value is None:
        return None
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(kind) if a is not type(None)]
        return _build(options[0], value) if len(options) == 1 else value
    if origin is tuple:
        args = typing.get_args(kind)
        return tuple(_build(args[0], v) for v in value)
    if origin in (dict, list, typing.Literal) or kind is Any:
        return value
    if dataclasses.is_dataclass(kind):
        hints = typing.get_type_hints(kind)
        return kind(
            **{
                f.name: _build(hints[f.name], value[f.name])
                for f in dataclasses.fields(kind)
                if f.name in value
            }
        )
    if kind is dt.date:
        return dt.date.fromisoformat(value)
    if kind is dt.datetime:
        return dt.datetime.fromisoformat(value)
    return value
