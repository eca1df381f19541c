"""Crash safety: `newsevents ingest` killed with SIGKILL in the middle of a run and started again
ends with exactly the database of a run that was never interrupted, and leaves no process
behind (docs/reliability.md). The helpers here serve tests/test_signals.py and
tests/test_store_failures.py too."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import psutil
import pytest

from newsevents.model import Article
from newsevents.read.inputs import read_inputs
from tests.conftest import CORPUS

NEWSEVENTS = [sys.executable, "-m", "newsevents"]


def table_contents(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, sorted, without the columns that record when a row was
    written (timestamps differ between any two runs)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()]
        contents = {}
        for table in sorted(tables):
            columns = [
                name
                for name, kind in con.execute(
                    "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = ?",
                    [table],
                ).fetchall()
                if not kind.startswith("TIMESTAMP")
            ]
            names = ", ".join(f'"{c}"' for c in columns)
            rows = con.execute(f'SELECT {names} FROM "{table}"').fetchall()
            contents[table] = sorted(rows, key=repr)
        return contents
    finally:
        con.close()


def write_input(folder: Path, versions: int = 4) -> int:
    """A run long enough to be killed in the middle: every example article, plus recombined
    versions of each (one more paragraph from another article), plus bad records."""
    folder.mkdir()
    articles = [r for r in read_inputs([CORPUS]) if isinstance(r, Article)]
    paragraphs = [p for a in articles for p in a.text.split("\n")]
    lines = []
    for copy in range(versions):
        for n, article in enumerate(articles):
            extra = [paragraphs[(n * 5 + copy * 11) % len(paragraphs)]] if copy else []
            record = {
                "id": f"r{copy}-{n}",
                "title": article.title,
                "text": "\n".join([*article.text.split("\n"), *extra]),
                "published": article.published.isoformat() if article.published else None,
            }
            lines.append(json.dumps(record))
        lines.append('{"id": "broken", "text": ')
    (folder / "stories.jsonl").write_text("\n".join(lines) + "\n")
    (folder / "empty.txt").write_text("")
    return len(articles) * versions


def ingest_command(inputs: Path, db: Path, *extra: str) -> list[str]:
    return [*NEWSEVENTS, "ingest", str(inputs), "--db", str(db), "--batch-size", "4", *extra]


@dataclass(frozen=True)
class Started:
    """A process the command had started, and its command line then."""

    process: psutil.Process
    command: str


def run_killed(command: list[str], db: Path, after_commits: int) -> list[Started]:
    """Start the command and SIGKILL it after ``after_commits`` writes to the store's
    write-ahead log, counted from when the store was set up (the log stays still while the
    model loads). Returns the processes it had started (its workers), as they were then."""
    process, children = run_signalled(command, db, after_commits, signal.SIGKILL)
    assert process.returncode == -signal.SIGKILL, process.stderr
    return children


def run_signalled(
    command: list[str], db: Path, after_commits: int, sig: int, group: bool = False
) -> tuple[subprocess.CompletedProcess[str], list[Started]]:
    """Start the command in a session of its own, send it ``sig`` after ``after_commits``
    writes to the store's write-ahead log (to its whole process group, as a terminal's
    Ctrl-C does, if ``group``), and wait for it to end. Returns how it ended and the
    processes it had started, as they were when the signal went."""
    wal = Path(f"{db}.wal")
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        # files, not pipes: a worker left behind would hold a pipe open
        process = subprocess.Popen(command, stdout=out, stderr=err, start_new_session=True)
        children: list[Started] = []
        try:
            children = _signal_after(process, wal, after_commits, sig, group)
            process.wait(timeout=60)
        finally:
            if process.poll() is None:
                process.kill()
            process.wait()
        ended = subprocess.CompletedProcess(command, process.returncode, _text(out), _text(err))
    return ended, children


def _signal_after(
    process: subprocess.Popen[bytes], wal: Path, after_commits: int, sig: int, group: bool
) -> list[Started]:
    base = _settled_size(wal, process)
    seen = {base}
    deadline = time.monotonic() + 240
    while process.poll() is None and time.monotonic() < deadline:
        size = wal.stat().st_size if wal.exists() else 0
        if size > base:
            seen.add(size)
        if len(seen) > after_commits:
            children = started_by(process.pid)
            os.killpg(process.pid, sig) if group else os.kill(process.pid, sig)
            return children
        time.sleep(0.02)
    return []


def _text(file: Any) -> str:
    file.seek(0)
    return file.read().decode("utf-8", "replace")


@pytest.fixture
def leftovers() -> Iterator[list[Started]]:
    """Processes a test saw started; any still running at its end is killed (a test that
    fails must not leave workers behind)."""
    seen: list[Started] = []
    yield seen
    for child in alive(seen, within=0):
        child.process.kill()


def started_by(pid: int) -> list[Started]:
    children = []
    for child in psutil.Process(pid).children(recursive=True):
        try:
            children.append(Started(child, " ".join(child.cmdline())))
        except psutil.NoSuchProcess:
            continue
    return children


def alive(processes: list[Started], within: float = 10.0) -> list[Started]:
    """Those of the processes still running (a zombie is not) once ``within`` seconds have
    passed, or as soon as none is."""
    deadline = time.monotonic() + within
    while True:
        running = [p for p in processes if _running(p.process)]
        if not running or time.monotonic() > deadline:
            return running
        time.sleep(0.05)


def assert_workers(children: list[Started], workers: int) -> None:
    """The processes of a run: none for one worker; else the workers and multiprocessing's
    resource tracker."""
    if workers == 1:
        assert children == []
        return
    kinds = sorted("resource_tracker" in c.command for c in children)
    assert kinds == [False] * workers + [True], [c.command for c in children]


def _running(process: psutil.Process) -> bool:
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _settled_size(wal: Path, process: subprocess.Popen[bytes]) -> int:
    """The log's size once it has not changed for a second."""
    last, since = -1, time.monotonic()
    while process.poll() is None:
        size = wal.stat().st_size if wal.exists() else -1
        if size != last:
            last, since = size, time.monotonic()
        elif size >= 0 and time.monotonic() - since > 1.0:
            return size
        time.sleep(0.02)
    return max(last, 0)


def articles_in(db: Path) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT count(*) FROM articles").fetchone()[0]  # type: ignore[index]
    finally:
        con.close()


_REFERENCE: list[tuple[Path, Path, int]] = []


def reference_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, int]:
    """The input, the store of a run that was never interrupted, and the number of articles:
    made once per test session, for every module that compares a store with it."""
    if not _REFERENCE:
        folder = tmp_path_factory.mktemp("resume")
        inputs = folder / "in"
        total = write_input(inputs)
        reference = folder / "reference.duckdb"
        command = ingest_command(inputs, reference, "--workers", "1")
        done = subprocess.run(command, capture_output=True)
        assert done.returncode == 3, done.stderr.decode()  # finished, with the 5 bad records
        assert articles_in(reference) == total
        _REFERENCE.append((inputs, reference, total))
    return _REFERENCE[0]


@pytest.fixture
def uninterrupted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, int]:
    """The input, and the store of a run that was never interrupted."""
    return reference_run(tmp_path_factory)


@pytest.mark.parametrize("workers", ["1", "2"])
def test_killed_run_resumes_to_the_same_database(
    uninterrupted: tuple[Path, Path, int], tmp_path: Path, workers: str, leftovers: list[Started]
) -> None:
    inputs, reference, total = uninterrupted
    db = tmp_path / "killed.duckdb"
    workers_then = run_killed(ingest_command(inputs, db, "--workers", workers), db, 2)
    leftovers += workers_then
    assert_workers(workers_then, int(workers))
    assert alive(workers_then) == []  # they noticed their parent was gone, and ended
    partial = articles_in(db)
    assert 0 < partial < total  # killed in the middle: some batches stored, not all
    leftovers += run_killed(ingest_command(inputs, db, "--workers", workers), db, 3)
    assert partial <= articles_in(db) < total
    resumed = subprocess.run(ingest_command(inputs, db, "--workers", workers), capture_output=True)
    assert resumed.returncode == 3, resumed.stderr.decode()  # the 5 bad records again
    assert resumed.stdout.decode().startswith(f"read {total + 5} record(s): ")
    assert table_contents(db) == table_contents(reference)
