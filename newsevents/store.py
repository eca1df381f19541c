"""The event store: one DuckDB file (schema in docs/output.md).

Each batch is written in one transaction. An article is stored once: writing it again replaces
its events, and ingest skips articles already stored, so re-running an input changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

import duckdb
import pyarrow as pa

from .errors import StoreError
from .model import Actor, CodedArticle, Event, ReadError
from .output import CODER_VERSION

SCHEMA_VERSION = "1"

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS articles (
    id VARCHAR PRIMARY KEY,
    title VARCHAR,
    source VARCHAR,
    published DATE,
    url VARCHAR,
    origin VARCHAR,
    warnings VARCHAR[],
    content_hash VARCHAR,
    text VARCHAR,
    sentences INTEGER,
    event_count INTEGER,
    coder_version VARCHAR,
    coded_at TIMESTAMP
);
CREATE TABLE IF NOT EXISTS events (
    id VARCHAR PRIMARY KEY,
    article_id VARCHAR NOT NULL,
    code VARCHAR NOT NULL,
    name VARCHAR,
    root_code VARCHAR,
    quad_class INTEGER,
    penta_class INTEGER,
    goldstein DOUBLE,
    plover_event VARCHAR,
    plover_mode VARCHAR,
    source_text VARCHAR, source_name VARCHAR, source_code VARCHAR, source_country VARCHAR,
    source_role VARCHAR, source_start INTEGER, source_end INTEGER, source_resolved_from VARCHAR,
    target_text VARCHAR, target_name VARCHAR, target_code VARCHAR, target_country VARCHAR,
    target_role VARCHAR, target_start INTEGER, target_end INTEGER, target_resolved_from VARCHAR,
    date VARCHAR,
    date_precision VARCHAR,
    date_start DATE,
    date_end VARCHAR,
    date_text VARCHAR,
    background BOOLEAN,
    modality VARCHAR,
    is_root BOOLEAN,
    location_name VARCHAR, location_country VARCHAR, location_adm1 VARCHAR,
    location_lat DOUBLE, location_lon DOUBLE, location_method VARCHAR,
    sentence_index INTEGER,
    sentence VARCHAR,
    trigger VARCHAR,
    trigger_start INTEGER,
    trigger_end INTEGER,
    rule VARCHAR
);
CREATE TABLE IF NOT EXISTS errors (
    id VARCHAR PRIMARY KEY,
    input VARCHAR,
    position INTEGER,
    stage VARCHAR,
    reason VARCHAR,
    recorded_at TIMESTAMP
);
"""

EVENT_COLUMNS = (
    "id",
    "article_id",
    "code",
    "name",
    "root_code",
    "quad_class",
    "penta_class",
    "goldstein",
    "plover_event",
    "plover_mode",
    *(
        f"{side}_{f}"
        for side in ("source", "target")
        for f in ("text", "name", "code", "country", "role", "start", "end", "resolved_from")
    ),
    "date",
    "date_precision",
    "date_start",
    "date_end",
    "date_text",
    "background",
    "modality",
    "is_root",
    "location_name",
    "location_country",
    "location_adm1",
    "location_lat",
    "location_lon",
    "location_method",
    "sentence_index",
    "sentence",
    "trigger",
    "trigger_start",
    "trigger_end",
    "rule",
)
ARTICLE_COLUMNS = (
    "id",
    "title",
    "source",
    "published",
    "url",
    "origin",
    "warnings",
    "content_hash",
    "text",
    "sentences",
    "event_count",
    "coder_version",
    "coded_at",
)
ERROR_COLUMNS = ("id", "input", "position", "stage", "reason", "recorded_at")


@dataclass(frozen=True)
class WriteSummary:
    articles: int = 0
    events: int = 0
    errors: int = 0


@dataclass(frozen=True)
class EventQuery:
    """Filters for stored events. Actor codes match a country (``RUS``) or a code prefix."""

    actor: str | None = None
    dyad: tuple[str, str] | None = None
    directed: bool = False
    since: dt.date | None = None
    until: dt.date | None = None
    code: str | None = None
    include_background: bool = True
    limit: int | None = None


class Store:
    """A DuckDB event store.

    >>> with Store("events.duckdb") as store:          # doctest: +SKIP
    ...     rows = store.events(EventQuery(dyad=("RUS", "JPN")))
    """

    def __init__(self, path: str | Path, read_only: bool = False) -> None:
        self.path = str(path)
        try:
            self.con = duckdb.connect(self.path, read_only=read_only)
        except duckdb.Error as exc:
            raise StoreError(f"cannot open the store {self.path}: {exc}") from exc
        if not read_only:
            self.con.execute(SCHEMA)
            self.con.execute(
                "INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", [SCHEMA_VERSION]
            )

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # --- writing ------------------------------------------------------------------------

    def stored_ids(self, ids: Iterable[str]) -> set[str]:
        """Which of these article ids are already stored."""
        wanted = list(ids)
        if not wanted:
            return set()
        rows = self.con.execute("SELECT id FROM articles WHERE id IN (SELECT unnest(?))", [wanted])
        return {r[0] for r in rows.fetchall()}

    def write(self, records: Sequence[CodedArticle | ReadError]) -> WriteSummary:
        """Write a batch in one transaction: articles with their events, and errors."""
        coded = [r for r in records if isinstance(r, CodedArticle)]
        errors = [r for r in records if isinstance(r, ReadError)]
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        article_rows = [_article_row(c, now) for c in coded]
        event_rows = [_event_row(e) for c in coded for e in c.events]
        error_rows = [_error_row(e, now) for e in errors]
        try:
            self.con.execute("BEGIN TRANSACTION")
            if coded:
                ids = [c.article.id for c in coded]
                self.con.execute("DELETE FROM events WHERE article_id IN (SELECT unnest(?))", [ids])
                self.con.execute("DELETE FROM articles WHERE id IN (SELECT unnest(?))", [ids])
            self._insert("articles", ARTICLE_COLUMNS, article_rows)
            self._insert("events", EVENT_COLUMNS, event_rows)
            self._insert("errors", ERROR_COLUMNS, error_rows, ignore=True)
            self.con.execute("COMMIT")
        except duckdb.Error as exc:
            self.con.execute("ROLLBACK")
            raise StoreError(f"writing to {self.path} failed: {exc}") from exc
        return WriteSummary(len(article_rows), len(event_rows), len(error_rows))

    def _insert(
        self, table: str, columns: Sequence[str], rows: list[dict[str, Any]], ignore: bool = False
    ) -> None:
        if not rows:
            return
        batch = pa.Table.from_pylist(rows)  # noqa: F841 - read by DuckDB's replacement scan
        names = ", ".join(columns)
        verb = "INSERT OR IGNORE" if ignore else "INSERT"
        self.con.execute(f"{verb} INTO {table} ({names}) SELECT {names} FROM batch")

    # --- reading ------------------------------------------------------------------------

    def events(self, query: EventQuery | None = None) -> list[dict[str, Any]]:
        """Stored events matching the query, oldest first, as dicts of the events table."""
        sql, params = _event_sql(query or EventQuery())
        return self._dicts(sql, params)

    def errors(self) -> list[dict[str, Any]]:
        return self._dicts(
            "SELECT * EXCLUDE (id) FROM errors ORDER BY recorded_at, input, position", []
        )

    def counts(self) -> dict[str, int]:
        return {
            table: self.con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # type: ignore[index]
            for table in ("articles", "events", "errors")
        }

    def _dicts(self, sql: str, params: list[Any]) -> list[dict[str, Any]]:
        cursor = self.con.execute(sql, params)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def iter_events(
        self, query: EventQuery | None = None, chunk: int = 10_000
    ) -> Iterator[dict[str, Any]]:
        """Like :meth:`events`, streamed in chunks (constant memory)."""
        sql, params = _event_sql(query or EventQuery())
        cursor = self.con.execute(sql, params)
        names = [d[0] for d in cursor.description]
        while rows := cursor.fetchmany(chunk):
            for row in rows:
                yield dict(zip(names, row, strict=True))


def actor_condition(side: str) -> str:
    """SQL that matches one side of an event against an actor code or country (``?`` twice)."""
    return f"({side}_country = ? OR starts_with({side}_code, ?))"


def _event_sql(query: EventQuery) -> tuple[str, list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    if query.actor:
        where.append(f"({actor_condition('source')} OR {actor_condition('target')})")
        params += [query.actor] * 4
    if query.dyad:
        a, b = query.dyad
        one_way = f"({actor_condition('source')} AND {actor_condition('target')})"
        if query.directed:
            where.append(one_way)
            params += [a, a, b, b]
        else:
            where.append(f"({one_way} OR {one_way})")
            params += [a, a, b, b, b, b, a, a]
    if query.since:
        where.append("date_start >= ?")
        params.append(query.since)
    if query.until:
        where.append("date_start <= ?")
        params.append(query.until)
    if query.code:
        where.append("starts_with(code, ?)")
        params.append(query.code)
    if not query.include_background:
        where.append("NOT background")
    sql = "SELECT * FROM events"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY date_start, article_id, sentence_index, trigger_start, id"
    if query.limit is not None:
        sql += " LIMIT ?"
        params.append(query.limit)
    return sql, params


def _actor_columns(side: str, actor: Actor | None) -> dict[str, Any]:
    keys = ("text", "name", "code", "country", "role", "start", "end", "resolved_from")
    if actor is None:
        return {f"{side}_{k}": None for k in keys}
    values = (
        actor.text,
        actor.name,
        actor.code,
        actor.country,
        actor.role,
        actor.span.start,
        actor.span.end,
        actor.resolved_from.text if actor.resolved_from else None,
    )
    return {f"{side}_{k}": v for k, v in zip(keys, values, strict=True)}


def _event_row(event: Event) -> dict[str, Any]:
    date, location = event.date, event.location
    row: dict[str, Any] = {
        "id": event.id,
        "article_id": event.article_id,
        "code": event.code,
        "name": event.name,
        "root_code": event.root_code,
        "quad_class": event.quad_class,
        "penta_class": event.penta_class,
        "goldstein": event.goldstein,
        "plover_event": event.plover_event,
        "plover_mode": event.plover_mode,
        **_actor_columns("source", event.source),
        **_actor_columns("target", event.target),
        "date": date.value if date else None,
        "date_precision": date.precision if date else None,
        "date_start": _date_start(date.value) if date else None,
        "date_end": date.end if date else None,
        "date_text": date.text if date else None,
        "background": event.background,
        "modality": event.modality,
        "is_root": event.is_root,
        "location_name": location.name if location else None,
        "location_country": location.country if location else None,
        "location_adm1": location.adm1 if location else None,
        "location_lat": location.lat if location else None,
        "location_lon": location.lon if location else None,
        "location_method": location.method if location else None,
        "sentence_index": event.sentence_index,
        "sentence": event.sentence,
        "trigger": event.trigger.text,
        "trigger_start": event.trigger.start,
        "trigger_end": event.trigger.end,
        "rule": event.rule,
    }
    return row


def _date_start(value: str) -> dt.date:
    parts = [int(p) for p in value.split("-")] + [1, 1]
    return dt.date(parts[0], parts[1], parts[2])


def _article_row(coded: CodedArticle, now: dt.datetime) -> dict[str, Any]:
    article = coded.article
    return {
        "id": article.id,
        "title": article.title,
        "source": article.source,
        "published": article.published,
        "url": article.url,
        "origin": article.origin,
        "warnings": list(article.warnings),
        "content_hash": article.content_hash,
        "text": article.text,
        "sentences": coded.meta.get("sentences"),
        "event_count": len(coded.events),
        "coder_version": CODER_VERSION,
        "coded_at": now,
    }


def _error_row(error: ReadError, now: dt.datetime) -> dict[str, Any]:
    key = json.dumps([error.input, error.position, error.stage, error.reason])
    return {
        "id": hashlib.sha1(key.encode()).hexdigest()[:20],
        "input": error.input,
        "position": error.position,
        "stage": error.stage,
        "reason": error.reason,
        "recorded_at": now,
    }
