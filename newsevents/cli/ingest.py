"""Terminal side of ``newsevents ingest``: a live progress line, the closing summary, the stop
requests of Ctrl-C and SIGTERM, and the messages of a run that stopped early.

Only the CLI uses this module; the library reports progress through the callback of
:func:`newsevents.run.ingest.ingest` (after every batch) and the :class:`BytesRead` counter of
the readers. The line is redrawn four times a second from the start, so it moves while the
model loads and while a batch is coded::

    ⠹  42%  ETA 0:00:31  12.3 articles/s  184 sentences/s  2 errors  1,203 events
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from types import FrameType, TracebackType
from typing import IO, Any

from newsevents.coding.pipeline import Settings
from newsevents.errors import StoreError
from newsevents.model import ReadError
from newsevents.read.inputs import BytesRead, ReadResult
from newsevents.run.ingest import IngestSummary, ingest
from newsevents.store.database import Store

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
        self.note = ""
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
        line = status_line(self.report, known, self.elapsed, width)
        return f"{self.note}  {line}"[:width] if self.note else line

    @property
    def committed(self) -> int:
        """Articles this run has stored so far (batches are reported once committed)."""
        return self.report.summary.coded if self.report else 0


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


@contextmanager
def closed_after(records: Iterable[ReadResult]) -> Iterator[Iterable[ReadResult]]:
    """The records for the block; a generator is closed at its end, while the interpreter is
    whole (not left for its shutdown, where closing a reader fails noisily)."""
    try:
        yield records
    finally:
        close = getattr(records, "close", None)
        if close is not None:
            close()


STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
STOPPING = "stopping after the current batch (Ctrl-C again to quit now)"


class StopRequests:
    """Ctrl-C and SIGTERM, while the block runs, ask the run to stop after its current batch:
    the first sets :attr:`event` (and says so, on the progress line or in a line on stderr
    unless ``quiet``); a second one quits at once (KeyboardInterrupt: the batch being written
    is rolled back). The previous handlers are put back at the end."""

    def __init__(self, quiet: bool = False) -> None:
        self.quiet = quiet
        self.event = threading.Event()
        self.signal_name = ""
        self.display: ProgressDisplay | None = None
        self._previous: dict[int, Any] = {}

    def __enter__(self) -> StopRequests:
        if threading.current_thread() is threading.main_thread():  # handlers need it
            for sig in STOP_SIGNALS:
                self._previous[sig] = signal.signal(sig, self._request)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)

    def _request(self, signum: int, frame: FrameType | None) -> None:
        if self.event.is_set():
            raise KeyboardInterrupt
        self.event.set()
        self.signal_name = signal.Signals(signum).name
        if self.display is not None and self.display.enabled:
            self.display.note = STOPPING
        elif not self.quiet:  # os.write: safe wherever the handler interrupts the program
            with suppress(OSError, ValueError):  # no file descriptor (a captured stderr)
                os.write(sys.stderr.fileno(), f"newsevents: {STOPPING}\n".encode())


def stopped_message(summary: IngestSummary, signal_name: str, db: object) -> str:
    """The one line of a run that stopped on request, before the end of its input."""
    return (
        f"stopped by {signal_name or 'request'}: the {summary.coded} article(s) this run "
        f"stored are kept in {db}; run the same command again to go on"
    )


def failed_message(error: Exception, committed: int) -> str:
    """The one line of a run the store failed in the middle of: what went wrong, and that
    what was committed before stays."""
    return (
        f"{error}; the {committed} article(s) committed before are kept "
        "(run the same command again to go on)"
    )


@dataclass(frozen=True)
class IngestJob:
    """What ``newsevents ingest`` was asked to do with its input."""

    db: Path
    settings: Settings
    batch_size: int
    recode: bool
    workers: int
    engine: str = "local"
    scheduler: str | None = None
    shards: Path | None = None


def run_job(
    job: IngestJob, records: InputTally, requests: StopRequests, show: bool
) -> tuple[IngestSummary, float]:
    """Run the job into its store, with a progress line if ``show``: the summary and the
    seconds it took. A store that fails in the middle raises its StoreError with what was
    committed before (it is kept) added to the message."""
    display = ProgressDisplay(show, tally=records)
    requests.display = display
    with Store(job.db) as store:
        try:
            with display:
                summary = _on_engine(job, records, store, display, requests.event)
        except StoreError as exc:
            raise type(exc)(failed_message(exc, display.committed)) from exc
    return summary, display.elapsed


def _on_engine(
    job: IngestJob,
    records: InputTally,
    store: Store,
    display: ProgressDisplay,
    stop: threading.Event,
) -> IngestSummary:
    if job.engine != "dask":
        return ingest(
            records, store, job.settings, job.batch_size, job.recode, display, job.workers, stop
        )
    from newsevents.run.distributed import ingest_dask

    shards = job.shards or job.db.with_suffix(".shards")
    return ingest_dask(
        records,
        store,
        job.settings,
        shards,
        scheduler=job.scheduler,
        workers=job.workers,
        batch_size=job.batch_size,
        recode=job.recode,
        progress=display,
        stop=stop,
    )
