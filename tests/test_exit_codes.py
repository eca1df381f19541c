"""The exit codes of the commands that read input (docs/output.md, "Exit codes"), run as a user
runs them: the installed ``newsevents`` script in a subprocess. 0 done, 1 failed (one line on
stderr), 2 a usage error, 3 finished with some records that could not be read or coded.

Every run starts a Python process that loads spaCy, so the runs start together, each in a
folder of its own, once per module; the tests then read what each run did."""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

NEWSEVENTS = str(Path(sys.executable).with_name("newsevents"))

GOOD = "Japan protests to Russia\nTest Wire, November 25, 2016\nJapan protested to Russia.\n"
FRENCH = (
    "Le Japon proteste\nTest Wire, November 25, 2016\n"
    "Le gouvernement japonais a protesté auprès de la Russie contre le déploiement de missiles "
    "sur les îles, a déclaré vendredi le porte-parole du ministère des affaires étrangères. "
    "Selon lui, cette décision va à l'encontre des efforts menés par les deux pays pour "
    "améliorer leurs relations et conclure enfin un traité de paix.\n"
)
DB = ("--db", "x.duckdb", "--workers", "1")

RUNS: dict[str, list[tuple[str, ...]]] = {
    "extract missing": [("extract", "good.txt", "nothing/")],
    "ingest missing": [("ingest", "good.txt", "nothing/", *DB)],
    "ingest no records": [("ingest", "empty", *DB)],
    "extract no records": [("extract", "-")],
    "ingest unreadable": [("ingest", "corrupt.jsonl.gz", *DB)],
    "ingest some bad, then none": [
        ("ingest", "good.txt", "binary.txt", "french.txt", *DB),
        ("ingest", "good.txt", "french.txt", *DB, "--quiet"),
    ],
    "ingest all another language": [("ingest", "french.txt", *DB)],
    "extract some bad": [("extract", "good.txt", "binary.txt", "--format", "jsonl")],
    "evaluate unreadable": [("evaluate", "binary.txt", "--format", "conflibert")],
    "ingest without inputs": [("ingest", *DB)],
    "evaluate missing": [("evaluate", "missing.tsv", "--format", "conflibert")],
}


def _inputs(folder: Path) -> Path:
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    (folder / "binary.txt").write_bytes(b"Title\n\x00\x01\x02 not text")
    (folder / "corrupt.jsonl.gz").write_bytes(b"\x1f\x8b\x08\x00" + b"not deflate data" * 4)
    (folder / "french.txt").write_text(FRENCH, encoding="utf-8")
    (folder / "empty").mkdir()
    (folder / "empty" / "notes.md").write_text("not an input format\n")
    return folder


def _run(folder: Path, steps: list[tuple[str, ...]]) -> list[subprocess.CompletedProcess]:
    return [
        subprocess.run(
            [NEWSEVENTS, *args], cwd=folder, input="", capture_output=True, text=True, timeout=300
        )
        for args in steps
    ]


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, tuple[Path, list[subprocess.CompletedProcess]]]:
    base = tmp_path_factory.mktemp("exit-codes")
    folders = {name: _inputs(base / f"run{n}") for n, name in enumerate(RUNS)}
    with ThreadPoolExecutor(max_workers=4) as pool:
        started = {name: pool.submit(_run, folders[name], steps) for name, steps in RUNS.items()}
    return {name: (folders[name], future.result()) for name, future in started.items()}


def error_line(result: subprocess.CompletedProcess) -> str:
    """The whole of stderr, which must be one line."""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.mark.parametrize("name", ["extract missing", "ingest missing"])
def test_a_missing_input_fails_at_once_and_creates_no_store(name: str, runs) -> None:
    folder, (result,) = runs[name]
    assert result.returncode == 1
    assert error_line(result) == "Error: nothing/: no such file or directory"
    assert result.stdout == ""
    assert not (folder / "x.duckdb").exists()


def test_no_records_at_all_is_a_failure_and_creates_no_store(runs) -> None:
    folder, (result,) = runs["ingest no records"]
    assert result.returncode == 1
    assert error_line(result).startswith("Error: no input records in empty (read: .txt, .jsonl")
    assert not (folder / "x.duckdb").exists()
    _, (piped,) = runs["extract no records"]
    assert piped.returncode == 1
    assert error_line(piped).startswith("Error: no input records in standard input (read: ")


def test_ingest_of_an_unreadable_file_fails_and_says_why(runs) -> None:
    _, (result,) = runs["ingest unreadable"]
    assert result.returncode == 1
    message = error_line(result)
    assert message.startswith("Error: no record could be read or coded (1 error(s); the first: ")
    assert "corrupt.jsonl.gz: the file is unreadable before the first record" in message
    assert message.endswith("'newsevents errors --db x.duckdb' lists them")
    assert result.stdout.startswith("read 1 record(s): 0 article(s) coded")


def test_some_bad_records_exit_with_code_3_and_skipped_languages_are_no_failure(runs) -> None:
    _, (mixed, again) = runs["ingest some bad, then none"]
    assert mixed.returncode == 3, mixed.stderr
    assert mixed.stdout.startswith("read 3 record(s): 1 article(s) coded, 0 already stored")
    assert "2 error(s)" in mixed.stdout  # the binary file and the French article
    assert error_line(mixed) == (
        "warning: 1 record(s) could not be read or coded; "
        "'newsevents errors --db x.duckdb' lists them"
    )
    assert (again.returncode, again.stdout, again.stderr) == (0, "", "")


def test_articles_all_in_another_language_are_a_failure(runs) -> None:
    _, (result,) = runs["ingest all another language"]
    assert result.returncode == 1
    assert error_line(result) == (
        "Error: no article was coded: all 1 record(s) are in another language "
        "(ingest --language any codes every language)"
    )


def test_extract_with_a_bad_record_exits_with_code_3(runs) -> None:
    _, (result,) = runs["extract some bad"]
    assert result.returncode == 3
    assert result.stdout.count('"article"') == 1
    assert result.stderr.splitlines() == [
        "warning: binary.txt: binary data (NUL bytes), not text",
        "warning: 1 record(s) could not be read or coded",
    ]


def test_evaluate_of_an_unreadable_gold_file_fails(runs) -> None:
    _, (result,) = runs["evaluate unreadable"]
    assert result.returncode == 1
    assert error_line(result).startswith("Error: binary.txt: ")


@pytest.mark.parametrize("name", ["ingest without inputs", "evaluate missing"])
def test_usage_errors_exit_with_code_2(name: str, runs) -> None:
    folder, (result,) = runs[name]
    assert result.returncode == 2
    assert result.stderr.startswith("Usage: newsevents ")
    assert result.stderr.splitlines()[-1].startswith("Error: ")
    assert not (folder / "x.duckdb").exists()
