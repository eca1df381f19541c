"""Exceptions raised by newsevents.

The library raises these; only the CLI and web layers turn them into messages and exit codes.
"""

from __future__ import annotations


class NewsEventsError(Exception):
    """Base class for every error newsevents raises on purpose."""


class DictionaryError(NewsEventsError):
    """A dictionary or data file has a bad entry."""

    def __init__(self, path: object, line: int | None, message: str) -> None:
        self.path = str(path)
        self.line = line
        self.message = message
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {message}")


class InputError(NewsEventsError):
    """An input record cannot be read. Carries where it came from."""

    def __init__(self, source: object, position: int | None, reason: str) -> None:
        self.source = str(source)
        self.position = position
        self.reason = reason
        where = f"{self.source}:{position}" if position is not None else self.source
        super().__init__(f"{where}: {reason}")


class ModelError(NewsEventsError):
    """The spaCy model is missing or unusable."""


class StoreError(NewsEventsError):
    """The event store cannot be opened or written."""


class StoreRefusedError(StoreError):
    """The store refused a record of a write (a value DuckDB or pyarrow cannot take, a
    duplicate key): the write was rolled back, nothing of it was stored. Written one by one,
    the other records of the batch can be stored (``newsevents.run`` does)."""


class StoreFullError(StoreError):
    """The disk holding the store is full (or the file passed its size limit): the write that
    failed was rolled back; what was committed before it is kept."""


class WorkerError(NewsEventsError):
    """A worker process of ``--workers`` died while it started (loading its pipeline): out of
    memory, most often."""


class Stopped(NewsEventsError):
    """A run asked to stop (Ctrl-C, SIGTERM) could not finish its current batch, because its
    worker processes were stopped too: nothing of that batch was written."""


class QueryError(NewsEventsError, ValueError):
    """An analysis or export was asked for something it cannot do (an unknown period, level,
    weight or format, a date that is not ISO ``YYYY-MM-DD``)."""


class EvaluationError(NewsEventsError):
    """A gold-standard file cannot be read, or its format is unknown or not installed."""


class FetchError(NewsEventsError):
    """The feed fetcher cannot run as asked (a bad setting, an unreadable feeds or URL list)."""


class OptionError(NewsEventsError, ValueError):
    """A setting or option has a value newsevents cannot use (a bad column mapping, an unknown
    engine)."""
