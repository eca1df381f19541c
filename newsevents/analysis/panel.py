"""Panels: the zero-filled unit × period table political scientists regress on.

:func:`panel` counts the events matching a query per country (or per directed dyad of
countries) and per day, month or year, with a row for every unit seen in the range and every
period of the range, events or not: counts per QuadClass (``q1`` … ``q4``) and per CAMEO root
(``root01`` … ``root20``), the event count, and the Goldstein sum and mean (the mean empty
when there are no events). DuckDB computes it (``generate_series`` and a cross join); the
result is an Arrow table, written to CSV or Parquet. Columns: ``docs/analysis.md``, "Panels".

    >>> with Store("events.duckdb") as store:                          # doctest: +SKIP
    ...     panel(store, "country-month", since="2016-01-01").write("panel.csv")
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal

import duckdb

from newsevents.analysis.aggregates import (
    PERIOD_FORMATS,
    ROOTS,
    Coarse,
    Measures,
    dated_rows,
    left_out,
)
from newsevents.analysis.query import COARSE_MODES, Database, EventQuery, make_query, selection
from newsevents.errors import QueryError, StoreError

if TYPE_CHECKING:
    import pandas
    import polars
    import pyarrow

UNITS = ("country", "dyad")
PANEL_PERIODS = ("day", "month", "year")
PANEL_BYS = tuple(f"{unit}-{period}" for unit in UNITS for period in PANEL_PERIODS)
"""``country-day`` … ``dyad-year``."""
SIDES = ("either", "source", "target", "location")
Side = Literal["either", "source", "target", "location"]
PANEL_FORMATS = ("csv", "parquet")
QUADS = ("q1", "q2", "q3", "q4")
ROOT_COLUMNS = tuple(f"root{root}" for root in ROOTS)
"""``root01`` … ``root20``: events per CAMEO root."""


@dataclass(frozen=True)
class Panel:
    """A zero-filled panel: one row per unit and period (``table``), and what it left out."""

    by: str
    """``country-month``, ``dyad-day`` …"""
    side: Side
    """Which country an event counts for in a country panel (see :func:`panel`)."""
    coarse: Coarse
    first: dt.date | None
    """The first day of the first period (None when no event matched)."""
    last: dt.date | None
    """The first day of the last period."""
    table: pyarrow.Table
    left_out_coarse: int = 0
    """Events left out because their date is less precise than the period (``coarse`` drop)."""
    left_out_undated: int = 0
    """Events left out because they have no date."""

    def __len__(self) -> int:
        return int(self.table.num_rows)

    @property
    def columns(self) -> list[str]:
        return list(self.table.column_names)

    def to_arrow(self) -> pyarrow.Table:
        return self.table

    def to_pandas(self) -> pandas.DataFrame:
        return self.table.to_pandas()

    def to_polars(self) -> polars.DataFrame:
        import polars

        return polars.from_arrow(self.table)  # type: ignore[return-value]

    def write(self, out: str | Path | IO[bytes], fmt: str | None = None) -> int:
        """Write the panel to a path or binary stream as ``csv`` or ``parquet`` (default: from
        the path's suffix, else CSV). Returns the number of rows."""
        fmt = fmt or panel_format(out)
        if fmt not in PANEL_FORMATS:
            raise QueryError(f"unknown panel format {fmt!r}; use csv or parquet")
        import pyarrow.csv
        import pyarrow.parquet

        try:
            if fmt == "parquet":
                pyarrow.parquet.write_table(self.table, out)
            else:
                pyarrow.csv.write_csv(self.table, out)
        except OSError as exc:
            raise QueryError(f"cannot write the panel to {out}: {exc}") from exc
        return len(self)


def panel_format(out: str | Path | IO[bytes]) -> str:
    """``parquet`` for a path ending in ``.parquet``, else ``csv``."""
    return "parquet" if isinstance(out, str | Path) and str(out).endswith(".parquet") else "csv"


def panel(
    store: Database,
    by: str = "country-month",
    *,
    side: Side = "either",
    coarse: Coarse = "drop",
    query: EventQuery | None = None,
    **filters: Any,
) -> Panel:
    """The events matching the query per unit and period, zero-filled (module docstring).

    ``by`` is ``country-`` or ``dyad-`` and ``day``, ``month`` or ``year``. A dyad is directed:
    the source's country and the target's (``RUS`` → ``JPN``; a country's events within itself,
    ``RUS`` → ``RUS``, are a dyad too); events without both countries are in no dyad. In a
    country panel an event counts for the country of its source and of its target (once when
    both are the same: ``side="either"``), or only one of them (``source``, ``target``), or for
    the country it is located in (``location``); actors without a country (``UNO``, ``GOV``)
    belong to none. Units are those of the matching events (in a country panel filtered by
    ``country``, those countries); periods run from ``since`` (else
    the first event's period) to ``until`` (else the last's). Events dated less precisely than
    the period are left out unless ``coarse`` says otherwise, and counted in
    :attr:`Panel.left_out_coarse`. ``filters`` are :class:`EventQuery` fields: by default
    asserted events only."""
    unit, period = _split(by)
    if side not in SIDES:
        raise QueryError(f"unknown side {side!r}; use one of {', '.join(SIDES)}")
    if unit == "dyad" and side != "either":
        raise QueryError("side applies to country panels; a dyad is its source and target")
    if coarse not in COARSE_MODES:
        raise QueryError(f"unknown coarse-date mode {coarse!r}; use {', '.join(COARSE_MODES)}")
    query = make_query(query, **filters)
    base, params = selection(store, query, ordered=False)
    sql = _panel_sql(base, unit, period, side, coarse)
    only = list(query.country) if unit == "country" and query.country else None
    table = _arrow(store, sql, [*params, query.since, query.until, only, only])
    starts = table.column("start").to_pylist() if table.num_rows else []
    coarse_out, undated = left_out(store, base, params, period, coarse)
    return Panel(
        by=by,
        side=side,
        coarse=coarse,
        first=min(starts) if starts else None,
        last=max(starts) if starts else None,
        table=table,
        left_out_coarse=coarse_out,
        left_out_undated=undated,
    )


def _split(by: str) -> tuple[str, str]:
    if by not in PANEL_BYS:
        raise QueryError(f"unknown panel {by!r}; use one of {', '.join(PANEL_BYS)}")
    unit, period = by.split("-")
    return unit, period


def _unit_rows(unit: str, side: str) -> tuple[str, tuple[str, ...]]:
    """SQL of each dated event's unit rows (from ``d``), and the unit's columns."""
    fields = "period_start, weight, goldstein, quad_class, root_code"
    if unit == "dyad":
        return (
            f"SELECT source_country AS source, target_country AS target, {fields} FROM d "
            "WHERE source_country IS NOT NULL AND target_country IS NOT NULL",
            ("source", "target"),
        )
    one = "SELECT {column} AS country, " + fields + " FROM d WHERE {column} IS NOT NULL"
    if side == "either":
        sql = (
            one.format(column="source_country")
            + " UNION ALL "
            + one.format(column="target_country")
            + " AND target_country IS DISTINCT FROM source_country"
        )
    else:
        sql = one.format(column=f"{side}_country")
    return sql, ("country",)


def _panel_sql(base: str, unit: str, period: str, side: str, coarse: str) -> str:
    rows, keys = _unit_rows(unit, side)
    m = Measures(coarse == "spread")
    measures = {
        "events": m.count(),
        **{q: m.count(f"quad_class = {i}") for i, q in enumerate(QUADS, 1)},
        **{c: m.count(f"root_code = '{r}'") for c, r in zip(ROOT_COLUMNS, ROOTS, strict=True)},
        "goldstein_sum": m.goldstein_sum(),
    }
    counted = ", ".join(f"{sql} AS {name}" for name, sql in measures.items())
    filled = ", ".join(f"coalesce(c.{name}, 0) AS {name}" for name in measures)
    unit_list = ", ".join(keys)
    step = f"INTERVAL 1 {period.upper()}"
    return f"""
        WITH e AS ({base}), d AS ({dated_rows(period, coarse)}), u AS ({rows}),
        bounds AS (
            SELECT CAST(date_trunc('{period}', coalesce(CAST(? AS DATE), min(period_start)))
                        AS DATE) AS lo,
                   CAST(date_trunc('{period}', coalesce(CAST(? AS DATE), max(period_start)))
                        AS DATE) AS hi
            FROM u
        ),
        periods AS (
            SELECT CAST(unnest(generate_series(CAST(lo AS TIMESTAMP), CAST(hi AS TIMESTAMP),
                                               {step})) AS DATE) AS start
            FROM bounds WHERE lo IS NOT NULL AND hi IS NOT NULL AND lo <= hi
        ),
        units AS (
            SELECT DISTINCT {unit_list} FROM u
            WHERE CAST(? AS VARCHAR[]) IS NULL OR {keys[0]} IN (SELECT unnest(?))
        ),
        c AS (
            SELECT {unit_list}, period_start AS start, {counted}, {m.goldstein_mean()}
                   AS goldstein_mean
            FROM u GROUP BY ALL
        )
        SELECT {", ".join(f"units.{k}" for k in keys)},
               strftime(p.start, '{PERIOD_FORMATS[period]}') AS period, p.start,
               {filled}, c.goldstein_mean
        FROM units CROSS JOIN periods AS p
        LEFT JOIN c ON {" AND ".join(f"c.{k} = units.{k}" for k in keys)} AND c.start = p.start
        ORDER BY {", ".join(f"units.{k}" for k in keys)}, p.start
    """


def _arrow(store: Database, sql: str, params: list[Any]) -> pyarrow.Table:
    cursor = store.con.cursor()
    try:
        return cursor.sql(sql, params=params).to_arrow_table()
    except duckdb.Error as exc:
        raise StoreError(f"computing a panel from {store.path} failed: {exc}") from exc
    finally:
        cursor.close()
