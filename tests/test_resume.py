"""Crash safety: `newsevents ingest` killed with SIGKILL in the middle of a run and started again
ends with exactly the database of a run that was never interrupted."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import duckdb
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


def write_input(folder: Path) -> int:
    """A run long enough to be killed in the middle: every example article, plus three
    recombined versions of each (two more paragraphs from other articles), plus bad records."""
    folder.mkdir()
    articles = [r for r in read_inputs([CORPUS]) if isinstance(r, Article)]
    paragraphs = [p for a in articles for p in a.text.split("\n")]
    lines = []
    for copy in range(4):
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
    return len(articles) * 4


def ingest_command(inputs: Path, db: Path, *extra: str) -> list[str]:
    return [*NEWSEVENTS, "ingest", str(inputs), "--db", str(db), "--batch-size", "4", *extra]


def run_killed(command: list[str], db: Path, after_commits: int) -> None:
    """Start the command and SIGKILL it after ``after_commits`` writes to the store's
    write-ahead log, counted from when the store was set up (the log stays still while the
    model loads)."""
    wal = Path(f"{db}.wal")
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        base = _settled_size(wal, process)
        seen = {base}
        deadline = time.monotonic() + 240
        while process.poll() is None and time.monotonic() < deadline:
            size = wal.stat().st_size if wal.exists() else 0
            if size > base:
                seen.add(size)
            if len(seen) > after_commits:
                os.kill(process.pid, signal.SIGKILL)
                break
            time.sleep(0.02)
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
    assert process.returncode == -signal.SIGKILL, process.stderr.read().decode()[-2000:]


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


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, int]:
    """The input, and the store of a run that was never interrupted."""
    folder = tmp_path_factory.mktemp("resume")
    inputs = folder / "in"
    total = write_input(inputs)
    reference = folder / "reference.duckdb"
    done = subprocess.run(ingest_command(inputs, reference, "--workers", "1"), capture_output=True)
    assert done.returncode == 3, done.stderr.decode()  # finished, with the 5 bad records
    assert articles_in(reference) == total
    return inputs, reference, total


@pytest.mark.parametrize("workers", ["1", "2"])
def test_killed_run_resumes_to_the_same_database(
    uninterrupted: tuple[Path, Path, int], tmp_path: Path, workers: str
) -> None:
    inputs, reference, total = uninterrupted
    db = tmp_path / "killed.duckdb"
    run_killed(ingest_command(inputs, db, "--workers", workers), db, after_commits=2)
    partial = articles_in(db)
    assert 0 < partial < total  # killed in the middle: some batches stored, not all
    run_killed(ingest_command(inputs, db, "--workers", workers), db, after_commits=3)
    assert partial <= articles_in(db) < total
    resumed = subprocess.run(ingest_command(inputs, db, "--workers", workers), capture_output=True)
    assert resumed.returncode == 3, resumed.stderr.decode()  # the 5 bad records again
    assert resumed.stdout.decode().startswith(f"read {total + 5} record(s): ")
    assert table_contents(db) == table_contents(reference)
