"""Panels and exports analysts load directly: the zero-filled country and dyad panels against
counts worked out here in plain Python from the rows ``Store.events`` returns, and event
exports read back with pandas, pyarrow and json as an analyst would."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import pandas
import pyarrow.parquet
import pytest
from click.testing import CliRunner

import newsevents as ne
from newsevents import QueryError, Store, ingest, read_inputs
from newsevents.analysis.export import CSV_DTYPES, GDELT_COLUMNS, export_events
from newsevents.analysis.panel import ROOT_COLUMNS, panel
from newsevents.cli.main import cli

Row = dict[str, Any]
MEASURES = ("events", "q1", "q2", "q3", "q4", *ROOT_COLUMNS, "goldstein_sum", "goldstein_mean")
FINEST = {"day": ("day",), "month": ("day", "month"), "year": ("day", "month", "year")}


@pytest.fixture(scope="module")
def store(corpus_db: Path):
    with Store(corpus_db, read_only=True) as opened:
        yield opened


# --- the panel, by hand --------------------------------------------------------------------


def period_of(day: dt.date, period: str) -> dt.date:
    return {"day": day, "month": day.replace(day=1), "year": day.replace(month=1, day=1)}[period]


def periods_between(first: dt.date, last: dt.date, period: str) -> list[dt.date]:
    out, day = [], first
    while day <= last:
        out.append(day)
        if period == "day":
            day += dt.timedelta(days=1)
        elif period == "month":
            day = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
        else:
            day = dt.date(day.year + 1, 1, 1)
    return out


def units_of(row: Row, unit: str, side: str) -> set[tuple[str, ...]]:
    if unit == "dyad":
        pair = (row["source_country"], row["target_country"])
        return {pair} if None not in pair else set()
    sides = {"either": ("source", "target"), "source": ("source",), "target": ("target",)}
    columns = [f"{s}_country" for s in sides.get(side, ())] or ["location_country"]
    return {(row[c],) for c in columns if row[c]}


def expected_panel(
    rows: list[Row],
    unit: str,
    period: str,
    side: str = "either",
    first: dt.date | None = None,
    last: dt.date | None = None,
) -> dict[tuple[Any, ...], dict[str, Any]]:
    cells: dict[tuple[Any, ...], list[Row]] = defaultdict(list)
    for row in rows:
        if row["date_start"] is None or row["date_precision"] not in FINEST[period]:
            continue
        for key in units_of(row, unit, side):
            cells[(*key, period_of(row["date_start"], period))].append(row)
    units = {key[:-1] for key in cells}
    starts = [key[-1] for key in cells]
    first = period_of(first, period) if first else min(starts)
    last = period_of(last, period) if last else max(starts)
    table = {}
    for key in units:
        for start in periods_between(first, last, period):
            members = cells.get((*key, start), [])
            total = sum(r["goldstein"] for r in members)
            table[(*key, start)] = {
                "events": len(members),
                **{f"q{q}": sum(r["quad_class"] == q for r in members) for q in (1, 2, 3, 4)},
                **{c: sum(f"root{r['root_code']}" == c for r in members) for c in ROOT_COLUMNS},
                "goldstein_sum": round(total, 2),
                "goldstein_mean": total / len(members) if members else None,  # 3 decimals there
            }
    return table


def same(got: dict[tuple[Any, ...], dict[str, Any]], expected: dict) -> bool:
    """The panel equals the counts by hand (its means rounded to 3 decimals)."""
    assert got.keys() == expected.keys()
    for key, cells in expected.items():
        mean = cells["goldstein_mean"]
        assert got[key] == {**cells, "goldstein_mean": got[key]["goldstein_mean"]}, key
        assert got[key]["goldstein_mean"] == (
            None if mean is None else pytest.approx(mean, abs=5e-4 + 1e-9)  # half a unit, rounded
        )
    return True


def observed(result, unit: str) -> dict[tuple[Any, ...], dict[str, Any]]:
    keys = ("source", "target") if unit == "dyad" else ("country",)
    return {
        (*(r[k] for k in keys), r["start"]): {m: r[m] for m in MEASURES}
        for r in result.table.to_pylist()
    }


@pytest.mark.parametrize(
    ("by", "side", "since", "until"),
    [
        ("country-month", "either", None, None),
        ("country-day", "either", "2016-12-01", "2016-12-31"),
        ("country-year", "source", None, None),
        ("country-month", "location", None, None),
        ("dyad-month", "either", None, None),
        ("dyad-day", "either", "2016-09-01", "2016-09-30"),
        ("dyad-year", "either", None, None),
    ],
)
def test_panel_equals_counts_by_hand(store: Store, by: str, side: str, since, until) -> None:
    unit, period = by.split("-")
    filters = {k: v for k, v in (("since", since), ("until", until)) if v}
    rows = store.events(**filters)
    bounds = {k: dt.date.fromisoformat(v) for k, v in (("first", since), ("last", until)) if v}
    expected = expected_panel(rows, unit, period, side, **bounds)
    result = panel(store, by, side=side, **filters)  # type: ignore[arg-type]
    got = observed(result, unit)
    assert same(got, expected)
    assert len(result) == len(expected) > 20
    assert sum(v["events"] for v in got.values()) > 10
    assert any(v["events"] == 0 and v["goldstein_mean"] is None for v in got.values())
    keys = ["source", "target"] if unit == "dyad" else ["country"]
    assert result.columns == [*keys, "period", "start", *MEASURES]


def test_panel_rows_are_ordered_and_labelled(store: Store) -> None:
    result = panel(store, "country-month", country="JPN")
    rows = result.table.to_pylist()
    assert {r["country"] for r in rows} == {"JPN"}  # a country filter keeps only its rows
    assert [r["start"] for r in rows] == sorted(r["start"] for r in rows)
    assert all(r["period"] == f"{r['start']:%Y-%m}" for r in rows)
    assert (result.first, result.last) == (rows[0]["start"], rows[-1]["start"])
    assert result.columns[:4] == ["country", "period", "start", "events"]
    assert result.columns[-2:] == ["goldstein_sum", "goldstein_mean"]
    assert result.left_out_coarse > 0  # the corpus has year-dated events, not in any month


def test_panel_counts_asserted_events_unless_asked(store: Store) -> None:
    default = panel(store, "country-year")
    every = panel(store, "country-year", modality="all")
    assert sum(default.table.column("events").to_pylist()) < sum(
        every.table.column("events").to_pylist()
    )
    assert same(
        observed(every, "country"), expected_panel(store.events(modality="all"), "country", "year")
    )


def test_panel_api_and_errors(store: Store) -> None:
    assert ne.panel(store, "dyad-month").table == store.panel("dyad-month").table
    frame = store.panel("country-month").to_pandas()
    assert list(frame.columns[:3]) == ["country", "period", "start"]
    assert store.panel("country-month").to_polars().height == len(frame)
    empty = store.panel("country-day", actor="XXX")
    assert len(empty) == 0 and empty.first is None
    with pytest.raises(QueryError, match="unknown panel 'region-week'"):
        store.panel("region-week")
    with pytest.raises(QueryError, match="side applies to country panels"):
        store.panel("dyad-day", side="source")


def test_panel_command_writes_csv_and_parquet(corpus_db: Path, store: Store, tmp_path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["panel", "--db", str(corpus_db), "--by", "dyad-month"])
    assert result.exit_code == 0, result.output
    assert "left out" in result.stderr  # the year-dated events
    frame = pandas.read_csv(io.StringIO(result.stdout), parse_dates=["start"])
    expected = expected_panel(store.events(), "dyad", "month")
    assert len(frame) == len(expected)
    assert frame["events"].sum() == sum(v["events"] for v in expected.values())
    assert frame["goldstein_mean"].isna().sum() == sum(
        v["goldstein_mean"] is None for v in expected.values()
    )
    out = tmp_path / "panel.parquet"
    result = runner.invoke(
        cli, ["panel", "--db", str(corpus_db), "--by", "country-day", "--since", "2016-12-01",
              "--until", "2016-12-31", "-o", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    table = pyarrow.parquet.read_table(out)
    assert table.num_rows == 31 * len(set(table.column("country").to_pylist()))
    assert f"wrote {table.num_rows} row(s) to {out}" in result.stderr
    assert table.schema.field("events").type == pyarrow.int64()
    assert table.schema.field("start").type == pyarrow.date32()


# --- exports analysts load directly ---------------------------------------------------------


@pytest.fixture(scope="module")
def articles(store: Store) -> dict[str, Row]:
    cursor = store.con.execute("SELECT id, url, source, title, published FROM articles")
    return {r[0]: dict(zip(("url", "outlet", "title", "published"), r[1:], strict=True))
            for r in cursor.fetchall()}  # fmt: skip


def test_csv_reads_back_with_the_documented_dtypes(store: Store, articles, tmp_path) -> None:
    path = tmp_path / "events.csv"
    export_events(store, path, "csv")
    frame = pandas.read_csv(path, dtype=CSV_DTYPES, keep_default_na=False, na_values=[""])
    expected = {r["id"]: r for r in store.events()}
    assert len(frame) == len(expected)
    assert "036" in set(frame["code"])  # a CAMEO code stays text, leading zero and all
    assert set(frame["code"]) == {r["code"] for r in expected.values()}
    assert set(frame["root_code"]) == {r["root_code"] for r in expected.values()}
    assert "2014" in set(frame["date"])
    assert list(frame.columns[:6]) == ["id", "article_id", "url", "outlet", "title", "published"]
    for line in frame.to_dict("records"):
        event, article = expected[line["id"]], articles[line["article_id"]]
        assert json.loads(line["mention_ids"]) == event["mention_ids"]  # JSON, not a repr
        assert line["outlet"] == article["outlet"] and line["title"] == article["title"]
        assert line["published"] == article["published"].isoformat()
    naive = pandas.read_csv(path)
    assert 36 in set(naive["code"])  # why the dtype is documented


def test_every_event_export_carries_its_article(store: Store, articles, tmp_path) -> None:
    parquet = tmp_path / "events.parquet"
    export_events(store, parquet, "parquet")
    lines = io.BytesIO()
    export_events(store, lines, "jsonl")
    records = {
        "parquet": pyarrow.parquet.read_table(parquet).to_pylist(),
        "jsonl": [json.loads(line) for line in lines.getvalue().splitlines()],
        "pandas": store.to_pandas().to_dict("records"),
        "arrow": store.to_arrow().to_pylist(),
        "polars": store.to_polars().to_dicts(),
        "events": store.events(),
    }
    for name, rows in records.items():
        assert len(rows) == len(store.events()) > 100, name
        for row in rows:
            article = articles[row["article_id"]]
            assert (row["outlet"], row["title"], row["url"]) == (
                article["outlet"],
                article["title"],
                article["url"],
            ), name
            published = row["published"]
            published = published.date() if hasattr(published, "date") else published
            assert str(published) == str(article["published"]), name


def test_gdelt_sourceurl_is_the_url_or_empty(pipeline, tmp_path: Path) -> None:
    stories = tmp_path / "two.jsonl"
    stories.write_text(
        json.dumps({"id": "with-url", "source": "Test Wire", "published": "2016-11-25",
                    "url": "https://wire.example/protest",
                    "text": "Japan protested to Russia on Friday."}) + "\n"
        + json.dumps({"id": "no-url", "source": "Test Wire", "published": "2016-11-25",
                      "text": "Russia protested to Japan on Friday."}) + "\n",
        encoding="utf-8",
    )  # fmt: skip
    with Store(tmp_path / "two.duckdb") as store:
        ingest(read_inputs([stories]), store, pipeline)
        out = io.BytesIO()
        export_events(store, out, "gdelt")
        rows = [dict(zip(GDELT_COLUMNS, line.split("\t"), strict=True))
                for line in out.getvalue().decode().splitlines()]  # fmt: skip
    assert sorted((r["Actor1Code"], r["SOURCEURL"]) for r in rows) == [
        ("JPN", "https://wire.example/protest"),
        ("RUS", ""),  # no URL: empty, never the outlet's name
    ]
