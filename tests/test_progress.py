"""The progress line of ``newsevents ingest`` on a terminal: share done, time left, rates, at
most 80 columns; and the byte counter of the readers it is computed from."""

from __future__ import annotations

import bz2
import gzip
import json
import os
import pty
import re
import shutil
import subprocess
import sys
from pathlib import Path

from newsevents.cli.ingest import InputTally, Report, clock, fit, status_line
from newsevents.read.inputs import BytesRead, ReadOptions, input_bytes, read_inputs
from newsevents.run.ingest import IngestSummary
from tests.conftest import CORPUS

NEWSEVENTS = str(Path(sys.executable).with_name("newsevents"))
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
PROGRESS = re.compile(
    r"^\S {1,3}\d{1,3}%  ETA \d:\d\d:\d\d  [\d,.]+ articles/s  [\d,]+ sentences/s  "
    r"\d+ errors  [\d,]+ events$"
)


def run_on_a_terminal(args: list[str], cwd: Path) -> tuple[int, str, str]:
    """Run with stderr on a pseudo-terminal of 80 columns: (exit code, what the terminal
    showed, standard output)."""
    env = dict(os.environ, COLUMNS="80", LINES="24", TERM="xterm")
    master, slave = pty.openpty()
    with open(cwd / "stdout.txt", "wb") as stdout:
        process = subprocess.Popen(
            args, cwd=cwd, stdin=subprocess.DEVNULL, stdout=stdout, stderr=slave, env=env
        )
        os.close(slave)
        shown = b"".join(iter(lambda: _read(master), b""))
        code = process.wait(timeout=300)
    os.close(master)
    return code, shown.decode("utf-8", "replace"), (cwd / "stdout.txt").read_text()


def _read(fd: int) -> bytes:
    try:
        return os.read(fd, 65536)
    except OSError:  # EIO: the child closed the terminal
        return b""


def frames(shown: str) -> list[str]:
    """Each state of the line, control sequences removed."""
    lines = re.split(r"[\r\n]", ANSI.sub("", shown))
    return [line.rstrip() for line in lines if line.strip()]


def test_ingest_shows_share_done_time_left_and_rates_in_80_columns(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for path in sorted(CORPUS.glob("*.txt"))[:6]:
        shutil.copy(path, corpus)
    args = [NEWSEVENTS, "ingest", "corpus", "--db", "p.duckdb", "--batch-size", "2"]
    code, shown, stdout = run_on_a_terminal([*args, "--workers", "1"], tmp_path)
    assert code == 0, shown
    assert stdout.startswith("read 6 record(s): 6 article(s) coded")
    states = frames(shown)
    assert all(len(state) <= 80 for state in states), max(states, key=len)
    assert "loading the model, coding the first batch ..." in states[0]
    progress = [state for state in states if PROGRESS.match(state)]
    assert progress, states
    shares = [int(re.search(r"(\d+)%", state)[1]) for state in progress]
    assert shares == sorted(shares) and shares[-1] == 100 and len(set(shares)) >= 3
    assert not any(PROGRESS.match(state) for state in states[: states.index(progress[0])])


def _mixed_inputs(folder: Path) -> Path:
    """43 records in 4 files, 40 of them in the first (uncompressed, so counted line by line;
    a compressed file is counted by the blocks its decompressor reads)."""
    folder.mkdir()
    lines = [json.dumps({"id": f"j{n}", "text": f"Japan met Russia {n}."}) for n in range(40)]
    (folder / "a.jsonl").write_text("\n".join(lines) + "\n")
    (folder / "b.csv.bz2").write_bytes(bz2.compress(b"id,text\nc1,Russia met Japan.\n"))
    shutil.copy(CORPUS / "01_treaty-consultations-tokyo.txt", folder / "c.txt")
    (folder / "d.jsonl.gz").write_bytes(gzip.compress(b'{"text": "Japan protested."}\n'))
    (folder / "skipped.md").write_text("not an input format")
    return folder


def test_the_readers_count_the_bytes_of_the_input_they_have_read(tmp_path: Path) -> None:
    folder = _mixed_inputs(tmp_path / "in")
    total = input_bytes([folder])
    assert total == sum(p.stat().st_size for p in folder.iterdir() if p.suffix != ".md")
    counter = BytesRead()
    seen = []
    for _ in read_inputs([folder], options=ReadOptions(language=None, bytes_read=counter)):
        seen.append(counter.done)
    assert len(seen) == 43
    assert seen == sorted(seen) and seen[0] > 0 and seen[-1] <= total
    assert counter.done == total  # every file read to its end
    assert input_bytes([folder, "-"]) is None  # standard input: size unknown


def test_a_batch_report_gives_the_share_of_the_input_done(tmp_path: Path) -> None:
    folder = _mixed_inputs(tmp_path / "in")
    counter = BytesRead()
    records = read_inputs([folder], options=ReadOptions(language=None, bytes_read=counter))
    tally = InputTally(records, counter, input_bytes([folder]))
    consumed = iter(tally)
    for _ in range(30):
        next(consumed)
    assert 0 < tally.fraction_done(10) < tally.fraction_done(20) < tally.fraction_done(30) < 1
    assert tally.fraction_done(40) == tally.fraction_done(30)  # not read yet: the last known
    assert len(list(consumed)) == 13 and tally.read == 43
    assert tally.fraction_done(43) == 1.0 and InputTally([], None, None).fraction_done(5) is None


def test_the_line_fits_its_width_and_counts_down() -> None:
    summary = IngestSummary(
        read=123_456, coded=120_000, events=4_567_890, errors=3_456, sentences=1_234_567
    )
    report = Report(summary, 0.25, 100.0)
    line = status_line(report, True, 110.0, 77)
    assert line == (
        " 25%  ETA 0:04:50  1,200.0 articles/s  12,346 sentences/s  3,456 errors"
    )  # no room left for the events
    assert status_line(report, True, 500.0, 77).startswith(" 25%  ETA 0:00:00  ")
    assert status_line(None, True, 3.0, 77) == (
        "  0%  0:00:03  loading the model, coding the first batch ..."
    )
    assert status_line(Report(summary, 0.0, 5.0), True, 6.0, 77).startswith("  0%  ETA -:--:--")
    assert len(status_line(report, True, 110.0, 30)) <= 30
    assert fit(["abc", "defgh"], 4) == "abc" and fit(["abcdefgh"], 4) == "abcd"
    assert clock(3_725.9) == "1:02:05"
