"""The DuckDB store: idempotent writes, one transaction per batch, queries."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from newsevents import EventQuery, Store, ingest, read_inputs
from newsevents.model import ReadError
from tests.conftest import CORPUS


def table_rows(path: Path, table: str) -> list[tuple]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return sorted(con.execute(f"SELECT * FROM {table}").fetchall(), key=str)
    finally:
        con.close()


def test_reingest_changes_nothing(pipeline, corpus_db: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.duckdb"
    copy.write_bytes(corpus_db.read_bytes())
    before = {t: table_rows(copy, t) for t in ("articles", "events", "errors")}
    with Store(copy) as store:
        summary = ingest(read_inputs([CORPUS], debris=pipeline.debris), store, pipeline)
    assert (summary.read, summary.coded, summary.skipped, summary.events) == (21, 0, 21, 0)
    assert {t: table_rows(copy, t) for t in before} == before


def test_every_corpus_article_is_stored_once(corpus_db: Path) -> None:
    with Store(corpus_db, read_only=True) as store:
        counts = store.counts()
        (per_article,) = store.con.execute(
            "SELECT count(*) = count(DISTINCT id) FROM articles"
        ).fetchone()
        (matches,) = store.con.execute(
            "SELECT count(*) FROM articles a WHERE event_count = "
            "(SELECT count(*) FROM events e WHERE e.article_id = a.id)"
        ).fetchone()
    assert counts["articles"] == 21 and counts["errors"] == 0
    assert per_article and matches == 21
    assert counts["events"] > 60


def test_dyad_query_matches_both_directions(corpus_db: Path) -> None:
    with Store(corpus_db, read_only=True) as store:
        both = store.events(EventQuery(dyad=("RUS", "JPN")))
        one_way = store.events(EventQuery(dyad=("RUS", "JPN"), directed=True))
        everything = store.events()
    expected_both = [
        e for e in everything if {e["source_country"], e["target_country"]} == {"RUS", "JPN"}
    ]
    expected_one = [e for e in expected_both if e["source_country"] == "RUS"]
    assert [e["id"] for e in both] == [e["id"] for e in expected_both]
    assert [e["id"] for e in one_way] == [e["id"] for e in expected_one]
    assert len(one_way) < len(both)


def test_date_and_code_filters(corpus_db: Path) -> None:
    since, until = dt.date(2016, 9, 1), dt.date(2016, 9, 30)
    with Store(corpus_db, read_only=True) as store:
        rows = store.events(EventQuery(since=since, until=until, code="04"))
        everything = store.events()
    expected = [
        e["id"]
        for e in everything
        if e["date_start"] and since <= e["date_start"] <= until and e["code"].startswith("04")
    ]
    assert [r["id"] for r in rows] == expected and expected


def test_errors_are_stored_once(tmp_path: Path) -> None:
    error = ReadError("bad.jsonl", 3, "read", "invalid JSON")
    with Store(tmp_path / "e.duckdb") as store:
        store.write([error])
        store.write([error])
        rows = store.errors()
    assert [(r["input"], r["position"], r["stage"], r["reason"]) for r in rows] == [
        ("bad.jsonl", 3, "read", "invalid JSON")
    ]


def test_a_failed_batch_leaves_the_store_unchanged(pipeline, tmp_path: Path) -> None:
    path = tmp_path / "t.duckdb"
    first = pipeline("T\nTest Wire, May 6, 2016\nJapan protested to Russia.")
    with Store(path) as store:
        store.write([first])
        broken = first.__class__(first.article, first.events + first.events, (), {})
        with pytest.raises(Exception, match="writing to"):
            store.write([broken])  # the same event id twice violates the primary key
        assert store.counts()["events"] == len(first.events) == 1
        assert store.counts()["articles"] == 1
