"""Exports round-trip: each format is read back with an ordinary reader and compared with the
store, row by row."""

from __future__ import annotations

import csv
import datetime as dt
import fcntl
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pandas
import pyarrow.parquet
import pytest
from click.testing import CliRunner

from newsevents import QueryError, Store, StoreError, export_events
from newsevents.analysis import export as export_module
from newsevents.analysis.export import FORMATS, GDELT_COLUMNS, countries_table, gdelt_expressions
from newsevents.cli.main import cli

Row = dict[str, Any]


@pytest.fixture(scope="module")
def store(corpus_db: Path):
    with Store(corpus_db, read_only=True) as opened:
        yield opened


@pytest.fixture(scope="module")
def rows(store: Store) -> dict[str, Row]:
    events = {r["id"]: r for r in store.events()}
    assert len(events) > 100
    return events


@pytest.fixture(scope="module")
def articles(store: Store) -> dict[str, Row]:
    cursor = store.con.execute("SELECT id, url, source, coded_at, published FROM articles")
    return {
        r[0]: {"url": r[1], "source": r[2], "coded_at": r[3], "published": r[4]}
        for r in cursor.fetchall()
    }


@pytest.fixture(autouse=True)
def small_batches(monkeypatch) -> None:
    """Stream in batches of 7 rows, so every export crosses many batch boundaries."""
    monkeypatch.setattr(export_module, "BATCH", 7)


def exported(store: Store, fmt: str, **filters: Any) -> bytes:
    out = io.BytesIO()
    count = export_events(store, out, fmt, **filters)
    data = out.getvalue()
    if fmt not in ("csv", "parquet"):
        assert count == len(data.decode().splitlines())
    return data


# --- the table formats --------------------------------------------------------------------


def test_parquet_round_trip(store: Store, rows: dict[str, Row], tmp_path: Path) -> None:
    path = tmp_path / "events.parquet"
    assert export_events(store, path, "parquet") == len(rows)
    table = pyarrow.parquet.read_table(path)
    assert table.schema.names == list(next(iter(rows.values())))
    assert {r["id"]: r for r in table.to_pylist()} == rows


def csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def test_csv_round_trip(store: Store, rows: dict[str, Row]) -> None:
    data = exported(store, "csv").decode()
    table = list(csv.DictReader(io.StringIO(data)))
    assert len(table) == len(rows)
    for line in table:
        row = rows[line["id"]]
        assert list(line) == list(row)
        for column, value in row.items():
            if isinstance(value, float):
                assert float(line[column]) == value, column
            elif isinstance(value, list):
                assert json.loads(line[column]) == value, column  # JSON, not a Python repr
            else:
                assert line[column] == csv_text(value), column


def test_jsonl_round_trip(store: Store, rows: dict[str, Row]) -> None:
    lines = [json.loads(line) for line in exported(store, "jsonl").decode().splitlines()]
    assert len(lines) == len(rows)
    for line in lines:
        row = rows[line["id"]]
        expected = {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in row.items()}
        assert line == expected


# --- GDELT --------------------------------------------------------------------------------


def test_gdelt_has_the_61_columns_in_order() -> None:
    assert len(GDELT_COLUMNS) == 61
    assert GDELT_COLUMNS[:8] == (
        "GLOBALEVENTID",
        "SQLDATE",
        "MonthYear",
        "Year",
        "FractionDate",
        "Actor1Code",
        "Actor1Name",
        "Actor1CountryCode",
    )
    assert GDELT_COLUMNS[25:35] == (
        "IsRootEvent",
        "EventCode",
        "EventBaseCode",
        "EventRootCode",
        "QuadClass",
        "GoldsteinScale",
        "NumMentions",
        "NumSources",
        "NumArticles",
        "AvgTone",
    )
    assert GDELT_COLUMNS[-2:] == ("DATEADDED", "SOURCEURL")
    assert [c for c, _ in gdelt_expressions()] == list(GDELT_COLUMNS)


def test_gdelt_round_trip(store: Store, rows: dict[str, Row], articles: dict[str, Row]) -> None:
    data = exported(store, "gdelt").decode()
    assert not data.startswith("GLOBALEVENTID")  # no header, like GDELT's files
    lines = [line.split("\t") for line in data.splitlines()]
    assert {len(line) for line in lines} == {61}
    by_id = {int(r["id"][1:16], 16): r for r in rows.values()}
    assert len(lines) == len(rows) == len(by_id)
    fips = {r["iso3"]: r["fips"] for r in countries_table().to_pylist()}
    for line in lines:
        event = dict(zip(GDELT_COLUMNS, line, strict=True))
        row = by_id[int(event["GLOBALEVENTID"])]
        article = articles[row["article_id"]]
        day = row["date_start"] or article["published"]  # an undated event: the article's day
        assert event["SQLDATE"] == (f"{day:%Y%m%d}" if day else "")
        assert event["MonthYear"] == (f"{day:%Y%m}" if day else "")
        if day:
            fraction = day.year + (day.timetuple().tm_yday - 1) / 365
            assert event["FractionDate"] == f"{fraction:.4f}"
        for actor, side in (("Actor1", "source"), ("Actor2", "target")):
            assert event[f"{actor}Code"] == (row[f"{side}_code"] or "")
            assert event[f"{actor}Name"] == (row[f"{side}_name"] or "")
            assert event[f"{actor}CountryCode"] == (row[f"{side}_country"] or "")
            if row[f"{side}_country"] and row[f"{side}_role"]:
                assert event[f"{actor}Type1Code"] == row[f"{side}_role"]
        assert event["IsRootEvent"] == ("1" if row["is_root"] else "0")
        assert event["EventCode"] == row["code"]
        assert event["EventBaseCode"] == row["code"][:3]
        assert event["EventRootCode"] == row["root_code"]
        assert int(event["QuadClass"]) == row["quad_class"]
        assert float(event["GoldsteinScale"]) == row["goldstein"]
        assert int(event["NumMentions"]) == row["num_mentions"]
        assert int(event["NumArticles"]) == row["num_articles"]
        assert event["DATEADDED"] == f"{article['coded_at']:%Y%m%d%H%M%S}"
        assert event["SOURCEURL"] == (article["url"] or "")  # a URL or nothing, never the outlet
        if row["location_name"]:
            assert event["ActionGeo_FullName"].startswith(row["location_name"])
            assert event["ActionGeo_CountryCode"] == fips[row["location_country"]]
            if row["location_lat"] is not None:
                assert float(event["ActionGeo_Lat"]) == row["location_lat"]
                assert float(event["ActionGeo_Long"]) == row["location_lon"]
        else:
            assert event["ActionGeo_Type"] == "0" and event["ActionGeo_FullName"] == ""


def test_gdelt_reads_like_gdelt_in_pandas(store: Store, rows: dict[str, Row], tmp_path) -> None:
    path = tmp_path / "20161203.export.CSV"
    export_events(store, path, "gdelt", dyad=("RUS", "JPN"))
    frame = pandas.read_csv(
        path, sep="\t", header=None, names=GDELT_COLUMNS, dtype={"EventCode": str}
    )
    expected = store.events(dyad=("RUS", "JPN"))
    assert len(frame) == len(expected) > 10
    assert frame["GoldsteinScale"].sum() == pytest.approx(sum(r["goldstein"] for r in expected))
    cities = frame[frame["ActionGeo_Type"] == 4]
    assert {"RS", "JA"} <= set(cities["ActionGeo_CountryCode"])  # FIPS codes, as GDELT has
    assert set(cities["ActionGeo_Lat"].round(5)) == {
        r["location_lat"]
        for r in expected
        if r["location_lat"] is not None
        and r["location_feature"] != "country"
        and r["location_country"] != "USA"  # type 3, a US city
    }


# --- PLOVER -------------------------------------------------------------------------------


def test_plover_round_trip(store: Store, rows: dict[str, Row], articles: dict[str, Row]) -> None:
    records = [json.loads(line) for line in exported(store, "plover").decode().splitlines()]
    assert len(records) == len(rows)
    for record in records:
        row = rows[record["id"]]
        article = articles[row["article_id"]]
        assert record.get("date") == (row["date_start"].isoformat() if row["date_start"] else None)
        assert record.get("event") == row["plover_event"]
        assert record.get("mode") == row["plover_mode"]
        assert record["eventText"] == row["trigger"]
        assert record["text"] == row["sentence"]
        assert record["cameo"] == {
            k: v
            for k, v in {
                "code": row["code"],
                "name": row["name"],
                "rootCode": row["root_code"],
                "quadClass": row["quad_class"],
                "goldstein": row["goldstein"],
            }.items()
            if v is not None
        }
        assert record["publication"] == article["source"]
        assert record["dateCoded"] == article["coded_at"].date().isoformat()
        for side in ("source", "target"):
            if row[f"{side}_code"] is None:
                assert side not in record
                continue
            (actor,) = record[side]
            assert actor["cameo"] == row[f"{side}_code"]
            assert actor["actorText"] == row[f"{side}_text"]
            assert actor.get("sector") == row[f"{side}_role"]
            if row[f"{side}_country"]:
                assert actor["code"] == row[f"{side}_country"]
        if row["location_name"]:
            assert record["eventLoc"]["name"] == row["location_name"]
            assert record["eventLoc"].get("country code") == row["location_country"]
        assert None not in record.values()


# --- filters, streams, errors -------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["jsonl", "plover"])
def test_filters_select_the_same_events_as_the_store(store: Store, fmt: str) -> None:
    filters = {"dyad": ("RUS", "JPN"), "since": "2016-12-01", "include_background": False}
    lines = exported(store, fmt, **filters).decode().splitlines()
    expected = store.events(**filters)
    assert sorted(json.loads(line)["id"] for line in lines) == sorted(r["id"] for r in expected)
    assert len(expected) > 5


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_empty_selection_is_a_valid_empty_file(store: Store, fmt: str, tmp_path) -> None:
    path = tmp_path / f"none.{fmt}"
    assert export_events(store, path, fmt, actor="XXX") == 0
    if fmt == "parquet":
        assert pyarrow.parquet.read_table(path).num_rows == 0
    elif fmt == "csv":
        assert path.read_text().splitlines()[0].startswith('"id"')
    else:
        assert path.read_bytes() == b""


def test_export_errors(store: Store, tmp_path: Path) -> None:
    with pytest.raises(QueryError, match="unknown export format 'xlsx'"):
        export_events(store, tmp_path / "x", "xlsx")
    with pytest.raises(QueryError, match="cannot write"):
        export_events(store, tmp_path / "missing" / "x.csv", "csv")


class SettingsSpy(io.BytesIO):
    """A binary stream that notes DuckDB's settings each time the export writes to it."""

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.seen: set[tuple[str, ...]] = set()

    def write(self, data: Any) -> int:
        self.seen.add(settings(self.store))
        return super().write(data)


def settings(store: Store) -> tuple[str, ...]:
    names = ("memory_limit", "threads", "preserve_insertion_order", "temp_directory")
    return tuple(
        str(store.con.execute("SELECT current_setting(?)", [name]).fetchone()[0])  # type: ignore[index]
        for name in names
    )


def test_an_export_holds_duckdb_to_its_memory_limit_and_restores_the_settings(
    store: Store, rows: dict[str, Row]
) -> None:
    before = settings(store)
    spy = SettingsSpy(store)
    assert export_events(store, spy, "jsonl") == len(rows)
    assert settings(store) == before
    ((limit, threads, ordered, spill),) = spy.seen  # the same throughout the export
    assert (limit, threads, ordered) == ("122.0 MiB", "1", "False")  # 128 MB, one thread
    assert "newsevents-export-" in spill and not Path(spill).exists()  # removed afterwards
    assert limit != before[0]


def test_running_out_of_memory_is_a_store_error(store: Store, monkeypatch) -> None:
    monkeypatch.setattr(export_module, "EXPORT_MEMORY_LIMIT", "1MB")
    before = settings(store)
    with pytest.raises(StoreError, match="exporting from .* failed: .*[Mm]emory"):
        export_events(store, io.BytesIO(), "plover")
    assert settings(store) == before


def test_export_command(corpus_db: Path, store: Store, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["export", "--db", str(corpus_db), "--format", "jsonl", "--actor", "PAK"]
    )
    assert result.exit_code == 0, result.output
    ids = [json.loads(line)["id"] for line in result.stdout.splitlines()]
    assert sorted(ids) == sorted(r["id"] for r in store.events(actor="PAK")) and ids
    out = tmp_path / "events.tsv"
    result = CliRunner().invoke(
        cli,
        ["export", "--db", str(corpus_db), "--format", "gdelt", "--code", "04", "-o", str(out)],
    )
    assert result.exit_code == 0, result.output
    expected = store.events(code="04")
    assert result.stderr.strip() == f"wrote {len(expected)} event(s) to {out}"
    assert {line.split("\t")[26] for line in out.read_text().splitlines()} == {
        r["code"] for r in expected
    }


def test_dataframes(store: Store, rows: dict[str, Row]) -> None:
    frame = store.to_pandas(dyad=("RUS", "JPN"))
    polars_frame = store.to_polars(dyad=("RUS", "JPN"))
    table = store.to_arrow(dyad=("RUS", "JPN"))
    expected = store.events(dyad=("RUS", "JPN"))
    assert list(frame["id"]) == list(polars_frame["id"]) == table["id"].to_pylist()
    assert list(frame["id"]) == [r["id"] for r in expected]
    assert frame["goldstein"].sum() == pytest.approx(sum(r["goldstein"] for r in expected))
    assert store.to_arrow().num_rows == len(rows)


def test_a_reader_that_stops_early_ends_the_export_quietly(corpus_db: Path) -> None:
    """``newsevents export ... | head -1``: the pipe closes after one line; the command stops
    without a traceback or an error message (it exits 1, as Python advises)."""
    command = [sys.executable, "-m", "newsevents", "export", "--db", str(corpus_db)]
    process = subprocess.Popen(
        [*command, "--format", "csv"], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert process.stdout is not None and process.stderr is not None
    fcntl.fcntl(process.stdout.fileno(), fcntl.F_SETPIPE_SZ, 4096)  # the export cannot fit
    header = process.stdout.readline()
    process.stdout.close()  # the reader goes away with the rest unread
    assert process.wait(timeout=120) == 1
    assert header.startswith(b'"id","article_id","url","outlet","title","published","code"')
    assert process.stderr.read() == b""
