"""The real `newsevents` command against temporary files and stores."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsevents.cli.main import cli
from tests.conftest import CORPUS, SEED

NEWSEVENTS = [sys.executable, "-m", "newsevents"]


def run(*args: str, stdin: str | None = None, ok: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [*NEWSEVENTS, *args], input=stdin, capture_output=True, text=True, timeout=300
    )
    if ok:
        assert result.returncode == 0, result.stderr
    return result


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("cli") / "events.duckdb"
    first = run("ingest", str(CORPUS), "--db", str(db))
    assert first.stdout.startswith("read 21 record(s): 21 article(s) coded, 0 already stored")
    return db


def test_extract_jsonl_follows_the_contract(tmp_path: Path) -> None:
    if not SEED.exists():
        pytest.skip("seed absent")
    articles = tmp_path / "more.jsonl"
    articles.write_text(
        json.dumps(
            {"id": "x1", "text": "Japan lodged a protest with Russia.", "published": "2016-11-22"}
        )
        + "\n{broken\n"
    )
    result = run("extract", str(SEED), str(articles), "--format", "jsonl", ok=False)
    assert result.returncode == 3, result.stderr  # finished, with a bad record
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["article"]["id"] for line in lines][1] == "x1"
    seed, extra = lines
    assert seed["article"]["source"] == "Xinhua" and seed["article"]["published"] == "2016-12-03"
    assert set(seed) == {"article", "events", "quotes"}
    event = seed["events"][0]
    expected_fields = {
        "id",
        "code",
        "name",
        "root_code",
        "quad_class",
        "penta_class",
        "goldstein",
        "plover",
        "source",
        "target",
        "date",
        "date_precision",
        "date_end",
        "date_text",
        "background",
        "modality",
        "is_root",
        "location",
        "sentence_index",
        "sentence",
        "trigger",
        "trigger_span",
        "rule",
    }
    assert expected_fields <= set(event)
    assert {"text", "name", "code", "country", "role"} <= set(event["source"])
    assert [(e["code"], e["source"]["code"], e["target"]["code"]) for e in extra["events"]] == [
        ("114", "JPN", "RUS")
    ]
    assert f"{articles}:2: invalid JSON" in result.stderr
    assert "1 record(s) could not be read or coded" in result.stderr


def test_extract_reads_jsonl_from_stdin() -> None:
    line = json.dumps(
        {"text": "China rejected the ruling of the tribunal.", "published": "2016-07-12"}
    )
    result = run("extract", "-", "--format", "jsonl", stdin=line + "\n")
    (article,) = [json.loads(x) for x in result.stdout.splitlines()]
    assert [(e["code"], e["source"]["code"]) for e in article["events"]] == [("120", "CHN")]


def test_ingest_twice_changes_nothing(corpus_db: Path) -> None:
    second = run("ingest", str(CORPUS), "--db", str(corpus_db))
    assert second.stdout.startswith(
        "read 21 record(s): 0 article(s) coded, 21 already stored, 0 event(s)"
    )


def test_events_csv_and_filters(corpus_db: Path) -> None:
    result = run(
        "events",
        "--db",
        str(corpus_db),
        "--dyad",
        "RUS",
        "JPN",
        "--since",
        "2016-12-01",
        "--format",
        "csv",
    )
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows
    for row in rows:
        assert {row["source_country"], row["target_country"]} == {"RUS", "JPN"}
        assert row["date_start"] >= "2016-12-01"


def test_events_table_and_jsonl_agree(corpus_db: Path) -> None:
    jsonl = run("events", "--db", str(corpus_db), "--actor", "PAK", "--format", "jsonl")
    rows = [json.loads(x) for x in jsonl.stdout.splitlines()]
    table = run("events", "--db", str(corpus_db), "--actor", "PAK")
    assert len(table.stdout.splitlines()) == len(rows) + 2  # header and rule
    assert all("PAK" in (r["source_code"] or "") + (r["target_code"] or "") for r in rows)


def test_timeline_counts(corpus_db: Path) -> None:
    jsonl = run("events", "--db", str(corpus_db), "--dyad", "RUS", "JPN", "--format", "jsonl")
    months: dict[str, int] = {}
    for row in map(json.loads, jsonl.stdout.splitlines()):
        if row["date_start"] is None or row["date_precision"] == "year":
            continue  # undated and year-dated events have no month: left out, and said so
        months[row["date_start"][:7]] = months.get(row["date_start"][:7], 0) + 1
    result = run("timeline", "--db", str(corpus_db), "RUS", "JPN", "--format", "csv")
    got = {r["period"]: int(r["events"]) for r in csv.DictReader(io.StringIO(result.stdout))}
    assert got == months
    assert "dated less precisely than a month" in result.stderr


def test_codes_command() -> None:
    result = CliRunner().invoke(cli, ["codes", "04", "--format", "json"])
    assert result.exit_code == 0
    codes = {c["code"]: c for c in json.loads(result.output)}
    assert codes["042"]["name"] == "Make a visit" and codes["042"]["goldstein"] == 1.9
    assert all(code.startswith("04") for code in codes)


def test_missing_store_is_a_clear_error(tmp_path: Path) -> None:
    result = run("events", "--db", str(tmp_path / "none.duckdb"), ok=False)
    assert result.returncode == 1
    assert "Error: no store at" in result.stderr


def test_bad_inputs_are_recorded_and_the_run_goes_on(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "good.txt").write_text("Good\nTest Wire, May 6, 2016\nJapan protested to Russia.\n")
    (inputs / "empty.txt").write_text("")
    (inputs / "bad.jsonl").write_text('{"text": 5}\nnot json\n')
    db = tmp_path / "e.duckdb"
    result = run("ingest", str(inputs), "--db", str(db), ok=False)
    assert result.returncode == 3, result.stderr  # finished, with bad records
    assert "1 article(s) coded" in result.stdout and "3 error(s)" in result.stdout
    listing = run("errors", "--db", str(db)).stdout
    assert "empty article: no text" in listing
    assert "field 'text' is a int, not a string" in listing
    assert "invalid JSON" in listing
