"""Terminal output of ``newsevents ingest``: a live progress line and the closing summary.

Only the CLI uses this module; the library reports progress through the callback of
:func:`newsevents.ingest.ingest`.
"""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import IO, Any

from newsevents.run.ingest import IngestSummary


class ProgressDisplay:
    """A progress line on stderr, updated after every batch: articles/s, sentences/s, events
    and errors. Silent when ``enabled`` is false (``--quiet``, or stderr is not a terminal)."""

    def __init__(self, enabled: bool, stream: IO[str] | None = None) -> None:
        self.enabled = enabled
        self.stream = stream or sys.stderr
        self.started = time.monotonic()
        self._progress: Any = None
        self._task: Any = None

    def __enter__(self) -> ProgressDisplay:
        self.started = time.monotonic()
        if self.enabled:
            from rich.console import Console
            from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            self._progress = Progress(
                SpinnerColumn(),
                TimeElapsedColumn(),
                TextColumn("{task.description}"),
                console=Console(file=self.stream),
                transient=True,
            )
            self._progress.start()
            self._task = self._progress.add_task("starting ...", total=None)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._progress is not None:
            self._progress.stop()

    def __call__(self, summary: IngestSummary) -> None:
        if self._progress is not None:
            self._progress.update(self._task, description=progress_text(summary, self.elapsed))

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started


def progress_text(summary: IngestSummary, seconds: float) -> str:
    seconds = max(seconds, 1e-9)
    articles = summary.coded + summary.skipped + summary.copies
    return (
        f"{articles:,} articles ({summary.coded / seconds:,.1f}/s coded)  "
        f"{summary.sentences:,} sentences ({summary.sentences / seconds:,.0f}/s)  "
        f"{summary.events:,} events  {summary.errors:,} errors"
    )


def summary_text(summary: IngestSummary, seconds: float, db: object) -> str:
    """The closing line: what was read, coded, skipped and stored, and how fast."""
    rate = max(seconds, 1e-9)
    copies = f"{summary.copies} copies, " if summary.copies else ""
    return (
        f"read {summary.read} record(s): {summary.coded} article(s) coded, "
        f"{summary.skipped} already stored, {copies}{summary.events} event(s), "
        f"{summary.errors} error(s) -> {db}\n"
        f"{summary.sentences:,} sentence(s) in {seconds:,.1f} s: "
        f"{summary.coded / rate:,.1f} articles/s, {summary.sentences / rate:,.0f} sentences/s"
    )
