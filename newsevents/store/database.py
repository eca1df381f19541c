"""The event store: one DuckDB file (schema in docs/output.md).

Each batch is written in one transaction. An article is stored once: writing it again replaces
its events, and ingest skips articles already stored, so re-running an input changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, TYPE_CHECKING, Any

import duckdb
import pyarrow as pa

from newsevents.analysis.query import EventQuery, actor_condition, make_query, selection
from newsevents.errors import StoreError, StoreFullError, StoreRefusedError
from newsevents.model import Actor, CodedArticle, Event, Quote, ReadError
from newsevents.output import CODER_VERSION
from newsevents.store.dedup import (
    COPY_COLUMNS,
    DEDUP_SCHEMA,
    ArticleCopy,
    Forgotten,
    event_key,
    forget,
    groups_of_articles,
    mention_of,
    recount,
    regroup,
    remember,
    upgrade,
)
from newsevents.store.feeds import FINAL_OUTCOMES, FeedEntry, FeedState, FetchRecord

if TYPE_CHECKING:
    import pandas
    import polars

    from newsevents.analysis.aggregates import Network, Timeline
    from newsevents.analysis.panel import Panel

SCHEMA_VERSION = "3"
"""2: events carry their group and, on each group's representative row, the report counts
(docs/output.md); a version 1 store is counted when first opened for writing. 3: a date that
runs on to the publication day ("since 2014") groups by the period it starts in, and each
event's representative row keeps whether any of its reports is asserted (``dedup_asserted``);
an older store is regrouped and counted again when it is first opened for writing."""

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

FETCH_SCHEMA = """
CREATE TABLE IF NOT EXISTS feeds (
    url VARCHAR PRIMARY KEY,
    title VARCHAR,
    etag VARCHAR,
    last_modified VARCHAR,
    polled_at TIMESTAMP,
    status INTEGER,
    error VARCHAR
);
CREATE TABLE IF NOT EXISTS feed_entries (
    feed_url VARCHAR NOT NULL,
    url VARCHAR NOT NULL,
    position INTEGER,
    title VARCHAR,
    published DATE,
    source VARCHAR,
    seen_at TIMESTAMP,
    PRIMARY KEY (feed_url, url)
);
CREATE TABLE IF NOT EXISTS fetched (
    url VARCHAR PRIMARY KEY,
    outcome VARCHAR NOT NULL,
    final_url VARCHAR,
    article_id VARCHAR,
    reason VARCHAR,
    tries INTEGER,
    fetched_at TIMESTAMP
);
"""
"""Feed state for ``newsevents fetch``/``watch`` (docs/watch.md): each feed's validators and last
poll, the entries seen in it, and what happened to each article URL."""

QUOTE_SCHEMA = """
CREATE TABLE IF NOT EXISTS quotes (
    id VARCHAR PRIMARY KEY,
    article_id VARCHAR NOT NULL,
    sentence_index INTEGER,
    text VARCHAR,
    direct BOOLEAN,
    verb VARCHAR,
    text_start INTEGER,
    text_end INTEGER,
    speaker_text VARCHAR, speaker_name VARCHAR, speaker_code VARCHAR, speaker_country VARCHAR,
    speaker_role VARCHAR, speaker_start INTEGER, speaker_end INTEGER,
    speaker_resolved_from VARCHAR
);
"""
"""Who said what (docs/output.md, "Database schema"): one row per direct or indirect quote."""
QUOTE_COLUMNS = (
    "id",
    "article_id",
    "sentence_index",
    "text",
    "direct",
    "verb",
    "text_start",
    "text_end",
    *(
        f"speaker_{f}"
        for f in ("text", "name", "code", "country", "role", "start", "end", "resolved_from")
    ),
)

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
    "group_key",
    "location_feature",
    "confidence",
    "evidence",
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


class Store:
    """A DuckDB event store.

    >>> with Store("events.duckdb") as store:          # doctest: +SKIP
    ...     rows = store.events(EventQuery(dyad=("RUS", "JPN")))
    """

    def __init__(
        self, path: str | Path, read_only: bool = False, wait: float | None = None
    ) -> None:
        """Open (or create) the store. While another process holds the file, wait up to
        ``wait`` seconds (default :data:`LOCK_WAIT`) for it to let go; see :func:`connect`."""
        self.path = str(path)
        self.con = connect(self.path, read_only, LOCK_WAIT if wait is None else wait)
        if not read_only:
            try:
                self._set_up()
            except BaseException:
                self.con.close()
                raise

    def _set_up(self) -> None:
        """Create or upgrade the schema (raises StoreError, StoreFullError)."""
        try:
            for schema in (SCHEMA, FETCH_SCHEMA, QUOTE_SCHEMA, DEDUP_SCHEMA):
                self.con.execute(schema)
        except duckdb.Error as exc:
            raise _write_failure(self.path, "setting up", exc) from exc
        self._group_ungrouped()

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
        """Write a batch in one transaction: articles with their events, and errors; all of
        it or nothing. A record the store cannot take (a value DuckDB or pyarrow rejects)
        raises :class:`StoreRefusedError`, a full disk :class:`StoreFullError`, any other
        failure of the file :class:`StoreError`; what was committed before stays."""
        with self._transaction("writing to"):
            return self._insert_records(records)

    def _insert_records(self, records: Sequence[CodedArticle | ReadError]) -> WriteSummary:
        """The rows of a batch, inside the caller's transaction."""
        coded = [r for r in records if isinstance(r, CodedArticle)]
        errors = [r for r in records if isinstance(r, ReadError)]
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        article_rows = [_article_row(c, now) for c in coded]
        event_rows = [_event_row(e) for c in coded for e in c.events]
        error_rows = [_error_row(e, now) for e in errors]
        quote_rows = [_quote_row(c.article.id, q) for c in coded for q in c.quotes]
        mentions = [mention_of(e) for c in coded for e in c.events]
        removed = Forgotten()
        # Only articles stored before are replaced: a look-up by key, where the deletes
        # and forget() scan whole columns of tables that grow with the store.
        replaced = sorted(self.stored_ids(c.article.id for c in coded))
        if replaced:
            removed = forget(self.con, replaced)
            for sql in (
                "DELETE FROM events WHERE article_id IN (SELECT unnest(?))",
                "DELETE FROM quotes WHERE article_id IN (SELECT unnest(?))",
                "DELETE FROM articles WHERE id IN (SELECT unnest(?))",
            ):
                self.con.execute(sql, [replaced])
        self._insert("articles", ARTICLE_COLUMNS, article_rows)
        self._insert("events", EVENT_COLUMNS, event_rows)
        self._insert("quotes", QUOTE_COLUMNS, quote_rows)
        self._insert("errors", ERROR_COLUMNS, error_rows, ignore=True)
        remember(self.con, mentions)
        regroup(self.con, mentions, removed)
        return WriteSummary(len(article_rows), len(event_rows), len(error_rows))

    @contextmanager
    def _transaction(self, what: str) -> Iterator[None]:
        """One transaction for the block: committed at its end, rolled back on any error. A
        file that cannot be written (:func:`_unwritable`) raises StoreError or StoreFullError;
        any other error StoreRefusedError, as one record may be its cause."""
        try:
            self.con.execute("BEGIN TRANSACTION")
            yield
            self.con.execute("COMMIT")
        except BaseException as exc:
            self._rollback()
            if not isinstance(exc, Exception):
                raise
            if isinstance(exc, StoreError):
                raise
            if _unwritable(exc):
                raise _write_failure(self.path, what, exc) from exc
            raise StoreRefusedError(f"{what} {self.path} failed: {exc}") from exc

    def _rollback(self) -> None:
        """Roll back what is open; a transaction that failed to commit has nothing to roll
        back, and a database DuckDB has given up on refuses to: either way it is gone."""
        with suppress(duckdb.Error):
            self.con.execute("ROLLBACK")

    def _insert(
        self, table: str, columns: Sequence[str], rows: list[dict[str, Any]], ignore: bool = False
    ) -> None:
        if not rows:
            return
        batch = pa.Table.from_pylist(rows)  # noqa: F841 - read by DuckDB's replacement scan
        names = ", ".join(columns)
        verb = "INSERT OR IGNORE" if ignore else "INSERT"
        self.con.execute(f"{verb} INTO {table} ({names}) SELECT {names} FROM batch")

    # --- copies and event groups (docs/context.md) -----------------------------------------

    def copy_ids(self, ids: Iterable[str]) -> set[str]:
        """Which of these article ids are recorded as copies of a stored article."""
        wanted = list(ids)
        if not wanted:
            return set()
        rows = self.con.execute(
            "SELECT id FROM article_copies WHERE id IN (SELECT unnest(?))", [wanted]
        )
        return {r[0] for r in rows.fetchall()}

    def write_copies(self, copies: Sequence[ArticleCopy]) -> int:
        """Record exact copies of stored articles (not coded again), in one transaction; a copy
        already recorded is left as it is. Returns how many were new. Raises as
        :meth:`write` does."""
        if not copies:
            return 0
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        count = "SELECT count(*) FROM article_copies"
        with self._transaction("recording copies in"):
            rows = [{**_copy_row(c), "recorded_at": now} for c in copies]
            before = self.con.execute(count).fetchone()[0]  # type: ignore[index]
            self._insert("article_copies", COPY_COLUMNS, rows, ignore=True)
            after = self.con.execute(count).fetchone()[0]  # type: ignore[index]
            recount(self.con, groups_of_articles(self.con, sorted({c.copy_of for c in copies})))
        return int(after) - int(before)

    def _group_ungrouped(self) -> None:
        """Group the events of a store written before events were grouped."""
        try:
            self.con.execute("BEGIN TRANSACTION")
            stored = self.con.execute(
                "SELECT value FROM meta WHERE key = 'schema_version'"
            ).fetchone()
            older = stored is None or (stored[0].isdigit() and int(stored[0]) < int(SCHEMA_VERSION))
            upgrade(self.con, recount_all=older)
            if older:
                self.con.execute(
                    "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [SCHEMA_VERSION]
                )
            self.con.execute("COMMIT")
        except duckdb.Error as exc:
            self._rollback()
            if _unwritable(exc):
                raise _write_failure(self.path, "setting up", exc) from exc
            raise StoreError(f"grouping the events of {self.path} failed: {exc}") from exc

    def quotes(
        self, speaker: str | None = None, article_id: str | None = None, limit: int | None = None
    ) -> list[dict[str, Any]]:
        """Stored quotes with their article's date, source and title, oldest first. ``speaker``
        matches a country (``RUS``) or a code prefix (``RUSGOV``)."""
        sql, params = _quote_sql(speaker, article_id, limit)
        return self._dicts(sql, params)

    # --- reading ------------------------------------------------------------------------

    def events(self, query: EventQuery | None = None, **filters: Any) -> list[dict[str, Any]]:
        """Stored events matching the query (asserted events unless ``modality`` says
        otherwise), oldest first, as dicts of the events table with the article's ``url``,
        ``outlet``, ``title`` and ``published`` after ``article_id``. ``filters`` are EventQuery
        fields as keywords: ``store.events(dyad=("RUS", "JPN"), since="2016-01-01")``."""
        sql, params = selection(self, make_query(query, **filters), articles=True)
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
        sql, params = selection(self, query or EventQuery(), articles=True)
        cursor = self.con.execute(sql, params)
        names = [d[0] for d in cursor.description]
        while rows := cursor.fetchmany(chunk):
            for row in rows:
                yield dict(zip(names, row, strict=True))

    # --- analysis and exports (newsevents.analysis, newsevents.export; docs/analysis.md) ----

    def timeline(self, actor_a: str, actor_b: str, by: str = "month", **options: Any) -> Timeline:
        """The dyad timeline of two actors per ``by`` period (``day``/``week``/``month``/
        ``year``); ``directed``, ``fill``, ``coarse`` and EventQuery filters as keywords."""
        from newsevents.analysis.aggregates import dyad_timeline

        return dyad_timeline(self, actor_a, actor_b, by, **options)  # type: ignore[arg-type]

    def network(self, level: str = "country", **options: Any) -> Network:
        """Who interacts with whom (``level`` ``country`` or ``code``); ``min_events``,
        ``self_loops`` and EventQuery filters as keywords."""
        from newsevents.analysis.aggregates import actor_network

        return actor_network(self, level, **options)  # type: ignore[arg-type]

    def panel(self, by: str = "country-month", **options: Any) -> Panel:
        """A zero-filled panel (``by`` ``country-day`` ... ``dyad-year``) of event counts per
        QuadClass and root with Goldstein totals; ``coarse``, ``side`` and EventQuery filters
        as keywords (newsevents.analysis.panel)."""
        from newsevents.analysis.panel import panel

        return panel(self, by, **options)

    def to_arrow(self, query: EventQuery | None = None, **filters: Any) -> pa.Table:
        """The matching events as a pyarrow Table."""
        from newsevents.analysis.export import to_arrow

        return to_arrow(self, query, **filters)

    def to_pandas(self, query: EventQuery | None = None, **filters: Any) -> pandas.DataFrame:
        """The matching events as a pandas DataFrame."""
        from newsevents.analysis.export import to_pandas

        return to_pandas(self, query, **filters)

    def to_polars(self, query: EventQuery | None = None, **filters: Any) -> polars.DataFrame:
        """The matching events as a polars DataFrame."""
        from newsevents.analysis.export import to_polars

        return to_polars(self, query, **filters)

    def export(
        self, out: str | Path | IO[bytes], fmt: str, query: EventQuery | None = None, **filters: Any
    ) -> int:
        """Stream the matching events to a file in ``csv``, ``parquet``, ``jsonl``, ``gdelt`` or
        ``plover`` format; returns how many were written."""
        from newsevents.analysis.export import export_events

        return export_events(self, out, fmt, query=query, **filters)

    # --- feed and fetch state (newsevents fetch / watch) -----------------------------------

    def feed_state(self, url: str) -> FeedState | None:
        """What the last poll of a feed left: validators, status, error."""
        row = self.con.execute(
            "SELECT url, title, etag, last_modified, polled_at, status, error FROM feeds"
            " WHERE url = ?",
            [url],
        ).fetchone()
        return FeedState(*row) if row else None

    def save_feed(self, state: FeedState, entries: Sequence[FeedEntry] = ()) -> int:
        """Record a poll: the feed's state and its entries, in one transaction, so validators are
        never saved without the entries they cover. Returns how many entries were new."""
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        rows = [_entry_row(state.url, position, e, now) for position, e in enumerate(entries, 1)]
        try:
            self.con.execute("BEGIN TRANSACTION")
            known = self.con.execute(
                "SELECT count(*) FROM feed_entries"
                " WHERE feed_url = ? AND url IN (SELECT unnest(?))",
                [state.url, [r["url"] for r in rows]],
            ).fetchone()[0]  # type: ignore[index]
            values = [state.url, state.title, state.etag, state.last_modified, now]
            self.con.execute(
                "INSERT OR REPLACE INTO feeds VALUES (?, ?, ?, ?, ?, ?, ?)",
                [*values, state.status, state.error],
            )
            self._insert("feed_entries", FEED_ENTRY_COLUMNS, rows, ignore=True)
            self.con.execute("COMMIT")
        except duckdb.Error as exc:
            self.con.execute("ROLLBACK")
            raise StoreError(f"saving feed state to {self.path} failed: {exc}") from exc
        return len({r["url"] for r in rows}) - int(known)

    def pending_entries(self, feed_urls: Sequence[str]) -> list[FeedEntry]:
        """Entries of these feeds still to fetch: not stored (by URL), not a known duplicate,
        not refused or failed for good. Feed by feed in the order given, each feed's entries
        in the order they were first seen."""
        cursor = self.con.execute(
            """
            SELECT url, title, published, source, feed_url FROM feed_entries
            WHERE feed_url IN (SELECT unnest(?))
              AND url NOT IN (SELECT url FROM fetched WHERE outcome IN (SELECT unnest(?)))
              AND url NOT IN (SELECT url FROM articles WHERE url IS NOT NULL)
            ORDER BY list_position(?::VARCHAR[], feed_url), seen_at, position
            """,
            [list(feed_urls), list(FINAL_OUTCOMES), list(feed_urls)],
        )
        return [FeedEntry(*row) for row in cursor.fetchall()]

    def settled_urls(self, urls: Iterable[str]) -> set[str]:
        """Which of these (normalised) URLs need no fetching: an article is stored under the
        URL, or an earlier fetch of it ended for good."""
        wanted = list(urls)
        if not wanted:
            return set()
        rows = self.con.execute(
            """
            SELECT url FROM fetched
            WHERE url IN (SELECT unnest(?)) AND outcome IN (SELECT unnest(?))
            UNION SELECT url FROM articles WHERE url IN (SELECT unnest(?))
            """,
            [wanted, list(FINAL_OUTCOMES), wanted],
        )
        return {r[0] for r in rows.fetchall()}

    def stored_hashes(self, hashes: Iterable[str]) -> dict[str, str]:
        """Content hash -> id of a stored article with that text, for these hashes."""
        wanted = [h for h in hashes if h]
        if not wanted:
            return {}
        rows = self.con.execute(
            "SELECT content_hash, min(id) FROM articles"
            " WHERE content_hash IN (SELECT unnest(?)) GROUP BY content_hash",
            [wanted],
        )
        return dict(rows.fetchall())

    def record_fetches(self, records: Sequence[FetchRecord]) -> None:
        """Remember what happened to each article URL (``tries`` counts the passes)."""
        if not records:
            return
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        batch = pa.Table.from_pylist(  # noqa: F841 - read by DuckDB's replacement scan
            [{**_fetch_row(r), "fetched_at": now} for r in records]
        )
        try:
            self.con.execute(
                """
                INSERT INTO fetched (url, outcome, final_url, article_id, reason, tries, fetched_at)
                SELECT url, outcome, final_url, article_id, reason, 1, fetched_at FROM batch
                ON CONFLICT (url) DO UPDATE SET outcome = excluded.outcome,
                    final_url = excluded.final_url, article_id = excluded.article_id,
                    reason = excluded.reason, tries = fetched.tries + 1,
                    fetched_at = excluded.fetched_at
                """
            )
        except duckdb.Error as exc:
            raise StoreError(f"recording fetches in {self.path} failed: {exc}") from exc


FEED_ENTRY_COLUMNS = ("feed_url", "url", "position", "title", "published", "source", "seen_at")


def _entry_row(feed_url: str, position: int, entry: FeedEntry, now: dt.datetime) -> dict[str, Any]:
    return {
        "feed_url": feed_url,
        "url": entry.url,
        "position": position,
        "title": entry.title,
        "published": entry.published,
        "source": entry.source,
        "seen_at": now,
    }


def _fetch_row(record: FetchRecord) -> dict[str, Any]:
    return {
        "url": record.url,
        "outcome": record.outcome,
        "final_url": record.final_url,
        "article_id": record.article_id,
        "reason": record.reason,
    }


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
        "group_key": event_key(event),
        "location_feature": location.feature if location else None,
        "confidence": event.confidence,
        "evidence": json.dumps([list(item) for item in event.evidence]) if event.evidence else None,
    }
    return row


def _quote_row(article_id: str, quote: Quote) -> dict[str, Any]:
    start, end = (quote.span.start, quote.span.end) if quote.span else (None, None)
    key = f"{article_id}|{start}|{end}|{quote.direct}|{quote.sentence_index}|{quote.text}"
    return {
        "id": "q" + hashlib.sha1(key.encode()).hexdigest()[:16],
        "article_id": article_id,
        "sentence_index": quote.sentence_index,
        "text": quote.text,
        "direct": quote.direct,
        "verb": quote.verb,
        "text_start": start,
        "text_end": end,
        **_actor_columns("speaker", quote.speaker),
    }


def _quote_sql(
    speaker: str | None, article_id: str | None, limit: int | None
) -> tuple[str, list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    if speaker:
        where.append(actor_condition("speaker"))
        params += [speaker, speaker]
    if article_id:
        where.append("q.article_id = ?")
        params.append(article_id)
    sql = (
        "SELECT a.published, a.source, a.title, q.* FROM quotes q "
        "JOIN articles a ON a.id = q.article_id"
    )
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY a.published, q.article_id, q.text_start, q.id"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return sql, params


def _copy_row(copy: ArticleCopy) -> dict[str, Any]:
    return {
        "id": copy.id,
        "copy_of": copy.copy_of,
        "content_hash": copy.content_hash,
        "title": copy.title,
        "source": copy.source,
        "published": copy.published,
        "url": copy.url,
        "origin": copy.origin,
    }


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
        "input": _utf8(error.input),
        "position": error.position,
        "stage": error.stage,
        "reason": _utf8(error.reason),
        "recorded_at": now,
    }


def _utf8(text: str) -> str:
    """The text with what UTF-8 cannot hold (a lone surrogate, as in a file name that is not
    UTF-8) written as a backslash escape, so that an error row is never refused itself."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


DISK_FULL = ("no space left on device", "disk quota exceeded", "file too large")
"""How the operating system's errors ENOSPC, EDQUOT and EFBIG read in DuckDB's messages."""


def _unwritable(exc: BaseException) -> bool:
    """Is this a failure of the file rather than of a record: the disk is full, an I/O or
    commit error, memory, or a database DuckDB has invalidated after such a failure?"""
    systemic = (duckdb.OperationalError, duckdb.FatalException, duckdb.InternalError, OSError)
    return isinstance(exc, systemic) or _disk_full(exc) or "invalidated" in str(exc)


def _disk_full(exc: BaseException) -> bool:
    return any(words in str(exc).lower() for words in DISK_FULL)


def _write_failure(path: str, what: str, exc: BaseException) -> StoreError:
    """The typed error of a failed write: StoreFullError when the disk is full."""
    if _disk_full(exc):
        return StoreFullError(f"the disk is full {what} {path}: {exc}")
    return StoreError(f"{what} {path} failed: {exc}")


# --- opening the file: one writing process, or several reading ones (docs/watch.md) ----------

LOCK_WAIT = 10.0
"""Seconds a :class:`Store` or :class:`StoreFile` waits, by default, for another process to let
go of the file before giving up."""


def connect(
    path: str, read_only: bool = False, wait: float = LOCK_WAIT
) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection to the store file at ``path``. DuckDB lets one process open a file
    for writing, or several processes open it read-only, never both: while another process
    holds the file, try again with growing pauses (5 ms doubling to 200 ms) for up to ``wait``
    seconds. Raises :class:`StoreError`."""
    deadline = time.monotonic() + wait
    pause = 0.005
    while True:
        try:
            return duckdb.connect(path, read_only=read_only)
        except duckdb.Error as exc:
            left = deadline - time.monotonic()
            if _disk_full(exc):
                raise StoreFullError(f"the disk is full opening {path}: {exc}") from exc
            if not held_elsewhere(exc) or left <= 0:
                raise StoreError(_open_failure(path, exc, wait)) from exc
        time.sleep(min(pause, left))
        pause = min(pause * 2, 0.2)


def held_elsewhere(exc: BaseException) -> bool:
    """Is this DuckDB error the file lock of another process?"""
    return isinstance(exc, duckdb.IOException) and "lock" in str(exc).lower()


def _open_failure(path: str, exc: duckdb.Error, wait: float) -> str:
    if not held_elsewhere(exc):
        return f"cannot open the store {path}: {exc}"
    return (
        f"cannot open the store {path}: another process holds it (DuckDB lets one process "
        f"write a file, or several read it); waited {wait:g} s: {exc}"
    )


class StoreFile:
    """A store file opened only for the units of work done on it, and let go in between, so
    that other processes can open it between two units: ``watch`` writes each batch in a
    unit, and ``serve`` in another process reads each request in one (docs/watch.md).

    Within this process the units share one DuckDB connection: units running at the same time
    (on several threads) each get a cursor of it, they see each other's committed writes, and
    the file is let go (and its write-ahead log checkpointed) ``linger`` seconds after the last
    one ends, unless another has begun by then (a page and the requests it makes at once share
    one opening). Opening waits up to ``wait`` seconds while another process holds the file. A
    store opened for writing gets its schema created or upgraded once, here.

    >>> file = StoreFile("events.duckdb")                      # doctest: +SKIP
    >>> with file.store() as store:                             # doctest: +SKIP
    ...     summary = store.write(batch)
    """

    def __init__(
        self,
        path: str | Path,
        read_only: bool = False,
        wait: float = LOCK_WAIT,
        linger: float = 0.0,
    ) -> None:
        self.path = str(path)
        self.read_only = read_only
        self.wait = wait
        self.linger = linger
        self._guard = threading.Lock()
        self._root: duckdb.DuckDBPyConnection | None = None
        self._users = 0
        self._idle = 0  # times the units fell to none: a linger timer acts on its own only
        self._closed = False
        if not read_only:
            Store(self.path, wait=wait).close()

    @contextmanager
    def connection(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor of this process's connection to the file, open for the block."""
        cursor = self._acquire()
        try:
            yield cursor
        finally:
            self._release(cursor)

    @contextmanager
    def store(self) -> Iterator[Store]:
        """A :class:`Store` for one unit of work (do not close it: the block does)."""
        with self.connection() as con:
            yield _store_over(con, self.path)

    @contextmanager
    def reading(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor in a read-only transaction for the block: from its first query on it sees
        one snapshot of what was committed (nothing of a batch still being written, nothing
        committed later), and it cannot write, even when this process opened the file for
        writing."""
        with self.connection() as con:
            con.execute("BEGIN TRANSACTION READ ONLY")
            try:
                yield con
            finally:
                with suppress(duckdb.Error):  # the transaction may have ended with an error
                    con.execute("ROLLBACK")

    def close(self) -> None:
        """Let go of the file now; cursors still in use stop working."""
        with self._guard:
            self._closed = True
            self._let_go()

    def __enter__(self) -> StoreFile:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _acquire(self) -> duckdb.DuckDBPyConnection:
        with self._guard:
            if self._closed:
                raise StoreError(f"the store {self.path} was closed")
            if self._root is None:
                self._root = connect(self.path, self.read_only, self.wait)
            cursor = self._root.cursor()
            self._users += 1
            return cursor

    def _release(self, cursor: duckdb.DuckDBPyConnection) -> None:
        with suppress(duckdb.Error):
            cursor.close()
        with self._guard:
            self._users -= 1
            if self._users > 0:
                return
            self._idle += 1
            if self.linger <= 0:
                self._let_go()
                return
            timer = threading.Timer(self.linger, self._let_go_if_idle, (self._idle,))
            timer.daemon = True
            timer.start()

    def _let_go_if_idle(self, idle: int) -> None:
        with self._guard:
            if self._users == 0 and self._idle == idle:
                self._let_go()

    def _let_go(self) -> None:
        if self._root is not None:
            self._root.close()
            self._root = None


def _store_over(con: duckdb.DuckDBPyConnection, path: str) -> Store:
    """A :class:`Store` over an open connection (no schema work: the file has it)."""
    store = Store.__new__(Store)
    store.path = path
    store.con = con
    return store
