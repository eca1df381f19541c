"""Ctrl-C and SIGTERM: `newsevents ingest` stops after the batch it is writing, commits it, exits
with status 1 and one line that says so, leaves no process behind, and a re-run ends with the
store of a run that was never interrupted (docs/reliability.md). SIGKILL: tests/test_resume.py."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import threading
from pathlib import Path

import pytest

from newsevents.cli.ingest import STOPPING, ProgressDisplay, StopRequests
from newsevents.model import Article
from newsevents.read.inputs import ReadResult, read_inputs
from newsevents.run.ingest import IngestSummary, ingest
from newsevents.store.database import Store
from tests.conftest import CORPUS
from tests.test_resume import (
    Started,
    alive,
    articles_in,
    assert_workers,
    ingest_command,
    leftovers,  # noqa: F401 - a fixture
    reference_run,
    run_signalled,
    table_contents,
)

STOPPED = re.compile(
    r"Error: stopped by (SIG\w+): the (\d+) article\(s\) this run stored are kept in (.+); "
    r"run the same command again to go on"
)


@pytest.mark.parametrize(
    ("name", "workers", "group"),
    [
        ("SIGTERM", "1", False),
        ("SIGTERM", "2", False),  # `kill PID`: the workers used to be left behind
        ("SIGINT", "2", True),  # Ctrl-C at a terminal: every process of the group gets it
    ],
)
def test_a_signal_stops_the_run_after_a_batch_and_a_rerun_completes_it(
    tmp_path_factory: pytest.TempPathFactory,
    tmp_path: Path,
    leftovers: list[Started],  # noqa: F811 - the fixture
    name: str,
    workers: str,
    group: bool,
) -> None:
    inputs, reference, total = reference_run(tmp_path_factory)
    db = tmp_path / "stopped.duckdb"
    command = ingest_command(inputs, db, "--workers", workers)
    ended, children = run_signalled(command, db, 2, signal.Signals[name], group)
    leftovers += children
    assert_workers(children, int(workers))
    assert ended.returncode == 1, ended.stderr
    assert "Traceback" not in ended.stderr
    last = ended.stderr.strip().splitlines()[-1]
    stopped = STOPPED.fullmatch(last)
    assert stopped is not None, ended.stderr
    assert stopped.group(1) == name and stopped.group(3) == str(db)
    assert 0 < int(stopped.group(2)) == articles_in(db) < total  # what it said it kept
    assert alive(children) == []  # the workers and the resource tracker ended with it
    resumed = subprocess.run(ingest_command(inputs, db, "--workers", "1"), capture_output=True)
    assert resumed.returncode == 3, resumed.stderr.decode()  # the 5 bad records, as ever
    assert table_contents(db) == table_contents(reference)


# --- the library's part: the stop event ------------------------------------------------------


def corpus() -> list[ReadResult]:
    return [r for r in read_inputs([CORPUS]) if isinstance(r, Article)]


def test_stop_ends_the_run_after_the_batch_it_was_set_in(pipeline, store_path: Path) -> None:
    stop = threading.Event()

    def progress(summary: IngestSummary) -> None:
        stop.set()  # as a signal between two batches would

    records = corpus()
    with Store(store_path) as store:
        summary = ingest(records, store, pipeline, batch_size=4, progress=progress, stop=stop)
        stored = store.stored_ids(r.id for r in records)
    assert summary.stopped
    assert summary.read == 4 and summary.coded == len(stored) == 4
    assert stored == {r.id for r in records[:4]}


def test_a_stop_while_a_batch_is_coded_lets_that_batch_be_stored(
    pipeline, store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stop = threading.Event()
    records = corpus()
    code = pipeline.pipe

    def pipe(batch):  # the signal comes while the second batch is being coded
        batch = list(batch)
        if records[5] in batch:
            stop.set()
        return code(batch)

    monkeypatch.setattr(pipeline, "pipe", pipe)
    with Store(store_path) as store:
        summary = ingest(records, store, pipeline, batch_size=4, stop=stop)
        stored = store.stored_ids(r.id for r in records)
    assert summary.stopped and summary.read == 8
    assert stored == {r.id for r in records[:8]}


def test_a_stop_after_the_last_batch_is_a_complete_run(pipeline, store_path: Path) -> None:
    stop = threading.Event()
    records = corpus()[:6]

    def progress(summary: IngestSummary) -> None:
        if summary.read == len(records):
            stop.set()

    with Store(store_path) as store:
        summary = ingest(records, store, pipeline, batch_size=3, progress=progress, stop=stop)
    assert not summary.stopped and summary.coded == 6


# --- the command line's part: the handlers -----------------------------------------------------


def test_the_first_signal_asks_to_stop_and_a_second_one_quits() -> None:
    before = signal.getsignal(signal.SIGTERM)
    with StopRequests(quiet=True) as requests:
        requests.display = ProgressDisplay(enabled=True)  # a terminal's line (not started)
        assert not requests.event.is_set()
        os.kill(os.getpid(), signal.SIGTERM)
        assert requests.event.wait(5) and requests.signal_name == "SIGTERM"
        assert requests.display.status(80).startswith(f"{STOPPING}  ")
        with pytest.raises(KeyboardInterrupt):
            os.kill(os.getpid(), signal.SIGINT)
            threading.Event().wait(5)  # the handler raises in the main thread meanwhile
    assert signal.getsignal(signal.SIGTERM) is before
