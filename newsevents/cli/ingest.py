"""Terminal output of ``newsevents ingest``: a live progress line and the closing summary.

Only the CLI uses this module; the library reports progress through the callback of
:func:`newsevents.run.ingest.ingest` (after every batch) and the :class:`BytesRead` counter of
the readers. The line is redrawn four times a second from the start, so it moves while the
model loads and while a batch is coded::

    ⠹  42%  ETA 0:00:31  12.3 articles/s  184 sentences/s  2 errors  1,203 events
"""

from __future__ import annotations

import sys
import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from types import TracebackType
from typing import IO, Any

from newsevents.model import ReadError
from newsevents.read.inputs import BytesRead, ReadResult
from newsevents.run.ingest import IngestSummary

REFRESHES_PER_SECOND = 4


class InputTally:
    """The input records on their way to ingest, counted as they pass: how many, how many were
    skipped for their language, the first that could not be read, and where in the input each
    one ends (so that a finished batch says how much of the input is done)."""

    def __init__(
        self, records: Iterable[ReadResult], counter: BytesRead | None, total: int | None
    ) -> None:
        self._records = records
        self.counter = counter
        self.total = total
        self.read = 0
        self.language = 0
        self.first_error: ReadError | None = None
        self._ends: deque[tuple[int, int]] = deque()
        self._done = 0

    def __iter__(self) -> Iterator[ReadResult]:
        for record in self._records:
            self.read += 1
            self._note(record)
            yield record

    def _note(self, record: ReadResult) -> None:
        if isinstance(record, ReadError):
            if record.stage == "language":
                self.language += 1
            elif self.first_error is None:
                self.first_error = record
        if self.counter is not None:
            self._ends.append((self.read, self.counter.done))

    def fraction_done(self, records: int) -> float | None:
        """The share of the input's bytes up to the end of record number ``records``; None
        when the size of the input is not known (standard input)."""
        if not self.total:
            return None
        while self._ends and self._ends[0][0] <= records:
            self._done = self._ends.popleft()[1]
        return min(1.0, self._done / self.total)


@dataclass(frozen=True)
class Report:
    """The last batch report: the running totals, the share of the input done (None when its
    size is unknown), and when it came, in seconds since the start."""

    summary: IngestSummary
    fraction: float | None
    at: float


class ProgressDisplay:
    """A progress line on stderr. Silent when ``enabled`` is false (``--quiet``, or stderr is
    not a terminal). Call it with the running :class:`IngestSummary` after every batch."""

    def __init__(
        self, enabled: bool, stream: IO[str] | None = None, tally: InputTally | None = None
    ) -> None:
        self.enabled = enabled
        self.stream = stream or sys.stderr
        self.tally = tally
        self.started = time.monotonic()
        self.report: Report | None = None
        self._progress: Any = None

    def __enter__(self) -> ProgressDisplay:
        self.started = time.monotonic()
        if self.enabled:
            self._progress = _rich_progress(self)
            self._progress.start()
            self._progress.add_task("ingest", total=None)
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
        fraction = self.tally.fraction_done(summary.read) if self.tally else None
        self.report = Report(summary, fraction, self.elapsed)
        if self._progress is not None:
            self._progress.refresh()

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def status(self, width: int) -> str:
        """The line as it stands now, at most ``width`` characters."""
        known = self.tally is not None and bool(self.tally.total)
        return status_line(self.report, known, self.elapsed, width)


def _rich_progress(display: ProgressDisplay) -> Any:
    from rich.console import Console
    from rich.progress import Progress, ProgressColumn, SpinnerColumn
    from rich.text import Text

    class StatusColumn(ProgressColumn):
        def render(self, task: Any) -> Text:
            return Text(display.status(console.width - 3), no_wrap=True, overflow="crop")

    console = Console(file=display.stream)
    return Progress(
        SpinnerColumn(),
        StatusColumn(),
        console=console,
        transient=True,
        refresh_per_second=REFRESHES_PER_SECOND,
    )


def status_line(report: Report | None, known_size: bool, now: float, width: int) -> str:
    """The progress line at ``now`` seconds: before the first batch is done, what is going on;
    then the share done and the time left when the input's size is known (else the elapsed
    time and the articles so far), the rates, errors and events. Parts that do not fit in
    ``width`` are left out from the end."""
    if report is None:
        head = ["  0%", clock(now)] if known_size else [clock(now)]
        return fit([*head, "loading the model, coding the first batch ..."], width)
    summary, seconds = report.summary, max(report.at, 1e-9)
    if report.fraction is not None:
        head = [f"{100 * report.fraction:3.0f}%", f"ETA {_time_left(report, now)}"]
    else:
        head = [clock(now), f"{summary.coded + summary.skipped + summary.copies:,} articles"]
    return fit(
        [
            *head,
            f"{summary.coded / seconds:,.1f} articles/s",
            f"{summary.sentences / seconds:,.0f} sentences/s",
            f"{summary.errors:,} errors",
            f"{summary.events:,} events",
        ],
        width,
    )


def _time_left(report: Report, now: float) -> str:
    """Time left: the time so far times what is left over what is done, counted down from the
    last report."""
    fraction = report.fraction or 0.0
    if fraction <= 0:
        return "-:--:--"
    left = report.at * (1 - fraction) / fraction - (now - report.at)
    return clock(max(left, 0.0))


def clock(seconds: float) -> str:
    """``H:MM:SS``."""
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}"


def fit(parts: list[str], width: int, gap: str = "  ") -> str:
    """The parts joined by ``gap``, without the last ones that would pass ``width``."""
    while len(parts) > 1 and len(gap.join(parts)) > width:
        parts = parts[:-1]
    return gap.join(parts)[:width]


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
