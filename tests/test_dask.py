"""`--engine dask` on a real LocalCluster of two worker processes: the same store as a serial
run (same events, same ids), Parquet shards partitioned by event month, lossless records."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from newsevents import Store, ingest, read_inputs
from newsevents.coding.pipeline import Pipeline, Settings
from newsevents.model import Article, ReadError
from newsevents.run.distributed import balanced, record_from_json, record_json
from tests.conftest import CORPUS
from tests.test_resume import table_contents


def write_input(folder: Path) -> None:
    folder.mkdir()
    articles = [r for r in read_inputs([CORPUS]) if isinstance(r, Article)]
    lines = [
        json.dumps(
            {
                "id": f"d{n}",
                "title": a.title,
                "text": a.text,
                "published": a.published.isoformat() if a.published else None,
            }
        )
        for n, a in enumerate(articles)
    ]
    lines.insert(5, "{not json")
    lines.insert(9, json.dumps({"id": "d3", "text": "Peru protested to Chile."}))  # a repeated id
    (folder / "stories.jsonl").write_text("\n".join(lines) + "\n")
    (folder / "empty.txt").write_text("")


def test_dask_run_stores_what_a_serial_run_stores(pipeline: Pipeline, tmp_path: Path) -> None:
    from newsevents.run.distributed import ingest_dask

    inputs = tmp_path / "in"
    write_input(inputs)
    serial_db = tmp_path / "serial.duckdb"
    with Store(serial_db) as store:
        serial = ingest(read_inputs([inputs]), store, pipeline, batch_size=8)
    dask_db, shards = tmp_path / "dask.duckdb", tmp_path / "shards"
    with Store(dask_db) as store:
        summary = ingest_dask(
            read_inputs([inputs]), store, Settings(), shards, workers=2, batch_size=8
        )
    assert summary == serial
    assert (summary.coded, summary.skipped, summary.errors) == (21, 1, 2)
    assert table_contents(dask_db) == table_contents(serial_db)

    months = sorted(p.name for p in (shards / "events").iterdir())
    assert "month=2016-12" in months and all(m.startswith("month=") for m in months)
    con = duckdb.connect(str(serial_db), read_only=True)
    try:
        stored = con.execute("SELECT id, date FROM events ORDER BY id").fetchall()
        glob = str(shards / "events" / "*" / "*.parquet")
        sharded = con.execute(
            f"SELECT id, date, month FROM read_parquet('{glob}', hive_partitioning = true) "
            "ORDER BY id"
        ).fetchall()
    finally:
        con.close()
    assert [(i, d) for i, d, _ in sharded] == stored
    for _, date, month in sharded:
        assert month == (date[:7] if date and len(date) >= 7 else "unknown")


def test_records_survive_json(pipeline: Pipeline) -> None:
    articles = [r for r in read_inputs([CORPUS]) if isinstance(r, Article)][:3]
    coded = list(pipeline.pipe(articles))
    error = ReadError("in.jsonl", 4, "read", "invalid JSON")
    for record in [*coded, error]:
        assert record_from_json(record_json(record)) == record
    assert coded[0].events  # the round trip carried events, actors, spans and dates


@pytest.mark.parametrize(
    ("sizes", "parts", "expected"),
    [
        ([5, 1, 4, 2, 3], 2, [[0, 1, 3], [2, 4]]),
        ([1, 1], 4, [[0], [1]]),
        ([], 3, []),
    ],
)
def test_partitions_of_equal_text_length(sizes, parts, expected) -> None:
    assert balanced(sizes, parts) == expected
