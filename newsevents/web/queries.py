"""Read-only queries behind the web pages, in DuckDB SQL.

Every value from a request reaches SQL as a ``?`` parameter. The only SQL built from strings is
taken from the whitelists here (:data:`SORTS`, :data:`PERIOD_FORMATS`) or from column names the
store itself reports. A :class:`Reader` works on one cursor of the app's read-only connection,
so concurrent requests never share a cursor.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import IO, Any

import duckdb

from newsevents.analysis.aggregates import Edge, actor_key, actor_network, coarse_condition
from newsevents.analysis.query import (
    DEFAULT_MODALITIES,
    EventQuery,
    event_conditions,
    resolve_actors,
    selection,
)
from newsevents.codebook import Codebook
from newsevents.errors import QueryError, StoreError
from newsevents.store.database import Store, actor_condition
from newsevents.web.errors import BadRequest, NotFound
from newsevents.web.highlight import Mark, locate, rule_entry
from newsevents.web.models import (
    QUAD_CLASSES,
    ActorCount,
    ActorPage,
    ActorRef,
    ArticleInfo,
    CodeCount,
    CopyRow,
    DirectedEdge,
    DyadCount,
    DyadPage,
    ErrorRow,
    EventDetail,
    EventFilters,
    EventPage,
    EventsPage,
    EventSummary,
    MapPage,
    MentionCounts,
    NetworkEdge,
    NetworkNode,
    NetworkPage,
    OverviewPage,
    Partner,
    Period,
    Place,
    QuadCounts,
    QuoteRow,
    RuleInfo,
)

PERIOD_FORMATS: dict[str, str] = {
    "day": "%Y-%m-%d",
    "week": "%G-W%V",
    "month": "%Y-%m",
    "year": "%Y",
}
"""Timeline periods: DuckDB ``date_trunc`` part -> label format."""

SORTS: dict[str, str] = {
    "date": "date_start ASC NULLS LAST, article_id, sentence_index, trigger_start, id",
    "-date": "date_start DESC NULLS LAST, article_id, sentence_index, trigger_start, id",
    "goldstein": "goldstein ASC NULLS LAST, date_start, id",
    "-goldstein": "goldstein DESC NULLS LAST, date_start, id",
    "code": "code, date_start, id",
    "source": "source_code ASC NULLS LAST, date_start, id",
    "target": "target_code ASC NULLS LAST, date_start, id",
}
"""Sort keys a request may name -> ORDER BY clauses (nothing else reaches ORDER BY)."""

SUMMARY_COLUMNS: tuple[str, ...] = (
    "id",
    "article_id",
    "date",
    "date_precision",
    "background",
    "source_code",
    "source_name",
    "code",
    "name",
    "root_code",
    "quad_class",
    "goldstein",
    "target_code",
    "target_name",
    "modality",
    "location_name",
    "sentence",
    "trigger",
)
MENTION_COLUMNS: tuple[str, ...] = ("num_mentions", "num_sources", "num_articles")
REQUIRED_TABLES: tuple[str, ...] = ("articles", "events", "errors")
DEDUPLICATED = "deduplicated_events"
MENTIONS = "event_mentions"
GROUP_MEMBERS = "event_group_mentions"

ACTOR_CODE = re.compile(r"^[A-Z0-9]{2,32}$")
"""What an actor code or country code looks like (``RUS``, ``RUSGOV``, ``UNO``)."""
ACTOR_NAME = re.compile(r"^[^\W_](?:[\w .'\-]{0,62}[^\W_])?$")
"""What an actor name from a request may look like: words, spaces, dots, apostrophes and
hyphens (``Sergey Lavrov``, ``O'Brien``), up to 64 characters."""

LIST_LIMIT = 500
"""Events listed on a dyad or actor page; the events page pages through the rest."""

DOWNLOAD_FORMATS: dict[str, str] = {
    "csv": "text/csv; charset=utf-8",
    "parquet": "application/vnd.apache.parquet",
}
"""Formats the events page downloads in -> their media types."""
DOWNLOAD_BATCH = 10_000
"""Rows per batch while a download streams."""

PLACE_METHODS: dict[str, str] = {
    "attached": "a place attached to the event's clause in the sentence",
    "dateline": "the dateline city: the event is implied to happen where the story was filed",
}

_DERIVED = frozenset(
    (
        "source",
        "target",
        "background",
        "root_name",
        "quad_name",
        "date_how",
        "place_how",
        "mentions",
    )
)
"""EventDetail fields computed here rather than copied from the events row."""

GROUPED_HOW = (
    "the other reports grouped with this one as the same event: the same source, target, "
    "code family and polarity, with dates that agree (docs/context.md)"
)
UNGROUPED_HOW = "other events with the same source, target, root code and date"


@dataclass(frozen=True)
class Features:
    """What the store offers beyond the base schema: deduplicated events (one row per event,
    with report counts, over the ``events`` table of mentions), quotes, copies of articles.
    A store without them is served from its ``events`` table alone."""

    tables: frozenset[str]
    event_columns: frozenset[str]
    """Columns of :attr:`events_source`."""
    quote_columns: frozenset[str]

    @classmethod
    def detect(cls, con: duckdb.DuckDBPyConnection, path: str) -> Features:
        tables = frozenset(
            r[0]
            for r in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
            ).fetchall()
        )
        missing = [t for t in REQUIRED_TABLES if t not in tables]
        if missing:
            raise StoreError(
                f"{path} is not a newsevents store (no {', '.join(missing)} table); "
                "create one with 'newsevents ingest ... --db FILE'"
            )
        source = DEDUPLICATED if DEDUPLICATED in tables else "events"
        return cls(tables, _columns(con, source), _columns(con, "quotes"))

    @property
    def events_source(self) -> str:
        """Where events are read from: one row per event."""
        return DEDUPLICATED if DEDUPLICATED in self.tables else "events"

    @property
    def mentions_source(self) -> str:
        """Where mentions are read from: one row per sentence that reports an event."""
        return MENTIONS if MENTIONS in self.tables else "events"

    @property
    def grouped(self) -> bool:
        return GROUP_MEMBERS in self.tables and MENTIONS in self.tables

    @property
    def mention_columns(self) -> tuple[str, ...]:
        return tuple(c for c in MENTION_COLUMNS if c in self.event_columns)

    @property
    def has_quotes(self) -> bool:
        return "article_id" in self.quote_columns

    @property
    def has_copies(self) -> bool:
        return "article_copies" in self.tables


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> frozenset[str]:
    rows = con.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_schema = 'main' AND table_name = ?",
        [table],
    ).fetchall()
    return frozenset(r[0] for r in rows)


@dataclass(frozen=True)
class Criteria:
    """Event filters checked and normalised (codes upper-cased, dates parsed): the shared
    :class:`~newsevents.analysis.query.EventQuery` (:meth:`query`) and the filters only the
    web pages have (a source, a target, a place, an article)."""

    actor: tuple[str, ...] | None = None
    """The codes the request's actor (a code or a name) stands for."""
    source: str | None = None
    target: str | None = None
    dyad: tuple[str, str] | None = None
    code: str | None = None
    quad_class: int | None = None
    modality: tuple[str, ...] = DEFAULT_MODALITIES
    """Asserted events unless a request asks for others, as everywhere else."""
    since: dt.date | None = None
    until: dt.date | None = None
    q: str | None = None
    place: str | None = None
    article: str | None = None
    background: bool = True
    mentions: bool = False

    def query(self) -> EventQuery:
        """The filters every reader shares, as the CLI and the library build them."""
        return EventQuery(
            actor=self.actor,
            dyad=self.dyad,
            since=self.since,
            until=self.until,
            code=self.code,
            modality=self.modality,
            quad_class=self.quad_class,
            text=self.q,
            include_background=self.background,
            mentions=self.mentions,
        )


class CursorStore(Store):
    """A :class:`Store` over one cursor of an open connection (one per request)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: str) -> None:
        self.path = path
        self.con = con


class Reader:
    """The queries of every page, over one cursor."""

    def __init__(self, store: Store, codebook: Codebook, features: Features) -> None:
        self.store = store
        self.codebook = codebook
        self.features = features
        self.ev = features.events_source

    # --- helpers ------------------------------------------------------------------------

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        cursor = self.store.con.execute(sql, list(params))
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def _value(self, sql: str, params: Sequence[Any] = ()) -> Any:
        row = self.store.con.execute(sql, list(params)).fetchone()
        return row[0] if row else None

    def _table(self, mentions: bool) -> str:
        return self.features.mentions_source if mentions else self.ev

    def _summary_select(self, table: str) -> str:
        extra = self.features.mention_columns if table == self.ev else ()
        return ", ".join((*SUMMARY_COLUMNS, *extra))

    def _summary(self, row: dict[str, Any]) -> EventSummary:
        return EventSummary(
            **{c: row[c] for c in SUMMARY_COLUMNS if c != "background"},
            background=bool(row["background"]),
            mentions=_mention_counts(row, self.features.mention_columns),
        )

    def actor_exists(self, code: str) -> bool:
        sql = (
            f"SELECT 1 FROM events WHERE {actor_condition('source')} "
            f"OR {actor_condition('target')} LIMIT 1"
        )
        return self._value(sql, [code] * 4) is not None

    def names(self, codes: Sequence[str]) -> dict[str, str]:
        """Display names for actor keys: the commonest name stored for that exact code, else
        the country's name, else the code itself."""
        wanted = sorted(set(codes))
        if not wanted:
            return {}
        rows = self.store.con.execute(
            """
            WITH m AS (
                SELECT source_code AS code, source_name AS name FROM events
                WHERE source_code IN (SELECT unnest(?))
                UNION ALL
                SELECT target_code, target_name FROM events WHERE target_code IN (SELECT unnest(?))
            ), c AS (
                SELECT code, name, count(*) AS n FROM m WHERE name IS NOT NULL GROUP BY 1, 2
            )
            SELECT code, first(name ORDER BY n DESC, name) FROM c GROUP BY code
            """,
            [wanted, wanted],
        ).fetchall()
        found = dict(rows)
        return {code: found.get(code) or _country_name(code) or code for code in wanted}

    def check_actor(self, code: str, what: str = "actor") -> str:
        """An actor code from a request, upper-cased; 400 if malformed, 404 if never stored."""
        code = code.strip().upper()
        if not ACTOR_CODE.match(code):
            raise BadRequest(
                f"{what} {code[:40]!r} is not an actor code: use letters and digits, "
                "e.g. RUS or RUSGOV"
            )
        if not self.actor_exists(code):
            raise NotFound(f"no stored event has the {what} {code}")
        return code

    def find_actor(self, name: str) -> tuple[str, ...]:
        """The actor codes a code or a name from a request stands for: a stored code
        (``rusgov`` -> ``RUSGOV``), else the codes of the stored actors of that name, as
        ``--actor`` resolves names (``Russia`` -> ``RUS``, ``Lavrov`` -> ``RUSGOV``); 400 if
        it is neither a code nor a name, 404 if no stored actor has it."""
        name = " ".join(name.split())
        if not ACTOR_NAME.match(name):
            raise BadRequest(
                f"actor {name[:40]!r} is neither a code (RUS, RUSGOV) nor a name (Russia, Lavrov)"
            )
        code = "".join(ch for ch in name.upper() if ch.isascii() and ch.isalnum())
        looks_like_code = ACTOR_CODE.match(code) is not None
        if looks_like_code and self.actor_exists(code):
            return (code,)
        try:  # in lower case, so that the library takes it as a name, never as a code
            found = resolve_actors(self.store, EventQuery(actor=name.lower())).actor
        except QueryError:
            unknown = f"no stored event has the actor {code} and " if looks_like_code else ""
            raise NotFound(f"{unknown}no stored actor is named {name[:40]!r}") from None
        return found or ()

    # --- filters ------------------------------------------------------------------------

    def criteria(self, filters: EventFilters) -> Criteria:
        """Check the filters of a request against the store and the codebook."""
        since = _parse_date(filters.since, "since")
        until = _parse_date(filters.until, "until")
        if since and until and since > until:
            raise BadRequest(f"since ({since}) is after until ({until})")
        code = filters.code
        if code is not None and not any(c.code.startswith(code) for c in self.codebook):
            raise BadRequest(f"no CAMEO event code starts with {code!r}; see /api/docs")
        dyad = self._check_dyad(filters.dyad) if filters.dyad else None
        return Criteria(
            modality=_modalities(filters.modality),
            actor=self.find_actor(filters.actor) if filters.actor else None,
            source=self.check_actor(filters.source, "source") if filters.source else None,
            target=self.check_actor(filters.target, "target") if filters.target else None,
            dyad=dyad,
            code=code,
            quad_class=filters.quad_class,
            since=since,
            until=until,
            q=filters.q or None,
            place=filters.place or None,
            article=filters.article or None,
            background=filters.background,
            mentions=filters.mentions,
        )

    def _check_dyad(self, dyad: str) -> tuple[str, str]:
        parts = re.split(r"[-,/ ]", dyad.strip())
        if len(parts) != 2:
            raise BadRequest(f"dyad {dyad[:40]!r} should be two actor codes such as RUS-JPN")
        return self.check_actor(parts[0], "dyad actor"), self.check_actor(parts[1], "dyad actor")

    # --- overview -----------------------------------------------------------------------

    def overview(self, database: str) -> OverviewPage:
        counts = self.store.counts()
        published = self.store.con.execute(
            "SELECT min(published), max(published) FROM articles"
        ).fetchone()
        where, params = _where(Criteria())
        return OverviewPage(
            database=database,
            articles=counts["articles"],
            events=self._value(f"SELECT count(*) FROM {self.ev} WHERE {where}", params),
            mentions=counts["events"],
            errors=counts["errors"],
            background_events=self._value(
                f"SELECT count(*) FROM {self.ev} WHERE background AND {where}", params
            ),
            first_date=self._value(_date_bound(self.ev, "ASC")),
            last_date=self._value(_date_bound(self.ev, "DESC")),
            first_published=_iso(published[0]) if published else None,
            last_published=_iso(published[1]) if published else None,
            months=self.periods(Criteria(background=False), "month"),
            top_dyads=self.top_dyads(),
            top_actors=self.top_actors(),
            top_codes=self.top_codes(),
            recent_errors=self.recent_errors(),
        )

    def top_dyads(self, limit: int = 10) -> list[DyadCount]:
        where, params = _where(Criteria())
        rows = self.store.con.execute(
            f"""
            WITH d AS (SELECT {_key("source")} AS s, {_key("target")} AS t, goldstein
                       FROM {self.ev} WHERE {where})
            SELECT least(s, t), greatest(s, t), count(*) AS n, round(avg(goldstein), 2)
            FROM d WHERE s IS NOT NULL AND t IS NOT NULL AND s <> t
            GROUP BY 1, 2 ORDER BY n DESC, 1, 2 LIMIT ?
            """,
            [*params, limit],
        ).fetchall()
        return [DyadCount(a, b, n, g) for a, b, n, g in rows]

    def top_actors(self, limit: int = 10) -> list[ActorCount]:
        where, params = _where(Criteria())
        rows = self.store.con.execute(
            f"""
            WITH e AS (SELECT * FROM {self.ev} WHERE {where}), sides AS (
                SELECT id, {_key("source")} AS k, 1 AS src, 0 AS tgt FROM e
                UNION ALL
                SELECT id, {_key("target")}, 0, 1 FROM e
            ), per_event AS (
                SELECT k, id, max(src) AS src, max(tgt) AS tgt FROM sides
                WHERE k IS NOT NULL GROUP BY k, id
            )
            SELECT k, count(*) AS n, sum(src), sum(tgt)
            FROM per_event GROUP BY k ORDER BY n DESC, k LIMIT ?
            """,
            [*params, limit],
        ).fetchall()
        names = self.names([r[0] for r in rows])
        return [ActorCount(k, names[k], n, int(a), int(b)) for k, n, a, b in rows]

    def top_codes(self, limit: int = 10) -> list[CodeCount]:
        where, params = _where(Criteria())
        rows = self.store.con.execute(
            f"SELECT root_code, count(*) AS n FROM {self.ev} WHERE root_code IS NOT NULL "
            f"AND {where} GROUP BY 1 ORDER BY n DESC, 1 LIMIT ?",
            [*params, limit],
        ).fetchall()
        return [CodeCount(root, self._code_name(root) or root, n) for root, n in rows]

    def _code_name(self, code: str | None) -> str | None:
        entry = self.codebook.get(code) if code else None
        return entry.name if entry else None

    def recent_errors(self, limit: int = 5) -> list[ErrorRow]:
        rows = self._rows(
            "SELECT input, position, stage, reason, recorded_at FROM errors "
            "ORDER BY recorded_at DESC, input, position LIMIT ?",
            [limit],
        )
        return [ErrorRow(**{**r, "recorded_at": _iso(r["recorded_at"])}) for r in rows]

    # --- event lists and timelines ------------------------------------------------------

    def events_page(self, filters: EventFilters, sort: str, limit: int, offset: int) -> EventsPage:
        if sort not in SORTS:
            raise BadRequest(f"sort must be one of {', '.join(SORTS)}")
        criteria = self.criteria(filters)
        total, events = self.event_list(criteria, sort, limit, offset)
        return EventsPage(
            filters=filters,
            sort=sort,
            total=total,
            limit=limit,
            offset=offset,
            events=events,
            next_offset=offset + limit if offset + limit < total else None,
            prev_offset=max(0, offset - limit) if offset > 0 else None,
        )

    def event_list(
        self, criteria: Criteria, sort: str = "date", limit: int = 50, offset: int = 0
    ) -> tuple[int, list[EventSummary]]:
        """How many events (or mentions) match, and one page of them."""
        table = self._table(criteria.mentions)
        where, params = _where(criteria)
        total = self._value(f"SELECT count(*) FROM {table} WHERE {where}", params)
        rows = self._rows(
            f"SELECT {self._summary_select(table)} FROM {table} WHERE {where} "
            f"ORDER BY {SORTS[sort]} LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        return total, [self._summary(r) for r in rows]

    def export(self, filters: EventFilters, sort: str, fmt: str, stream: IO[bytes]) -> int:
        """Write every event the events page lists for these filters (all pages, in the page's
        order) to ``stream`` as CSV or Parquet: the rows and columns of the library's exports
        (``newsevents.analysis.export``), narrowed by the filters only the web has. Returns
        how many events were written."""
        if sort not in SORTS:
            raise BadRequest(f"sort must be one of {', '.join(SORTS)}")
        if fmt not in DOWNLOAD_FORMATS:
            raise BadRequest(f"format must be one of {', '.join(DOWNLOAD_FORMATS)}")
        criteria = self.criteria(filters)
        base, params = selection(self.store, criteria.query(), ordered=False, articles=True)
        extra, extra_params = _web_only(criteria)
        sql = f"SELECT * FROM ({base}) AS e WHERE {extra} ORDER BY {SORTS[sort]}"
        return _write_table(self.store.con, sql, [*params, *extra_params], fmt, stream)

    def periods(self, criteria: Criteria, by: str) -> list[Period]:
        """Events per period: counts by QuadClass, Goldstein sum and mean; for a dyad also the
        events in each direction. Events dated less precisely than the period are left out, as
        in every period series by default (newsevents.analysis.aggregates.dated_rows)."""
        if by not in PERIOD_FORMATS:
            raise BadRequest(f"by must be one of {', '.join(PERIOD_FORMATS)}")
        where, params = _where(criteria)
        directions = "NULL, NULL"
        if criteria.dyad:
            one_way = f"({actor_condition('source')} AND {actor_condition('target')})"
            directions = f"count(*) FILTER (WHERE {one_way}), count(*) FILTER (WHERE {one_way})"
            a, b = criteria.dyad
            params = [a, a, b, b, b, b, a, a, *params]
        rows = self.store.con.execute(
            f"""
            SELECT CAST(date_trunc('{by}', date_start) AS DATE) AS start,
                   count(*),
                   count(*) FILTER (WHERE quad_class = 1),
                   count(*) FILTER (WHERE quad_class = 2),
                   count(*) FILTER (WHERE quad_class = 3),
                   count(*) FILTER (WHERE quad_class = 4),
                   round(sum(goldstein), 2),
                   round(avg(goldstein), 3),
                   {directions}
            FROM {self._table(criteria.mentions)}
            WHERE date_start IS NOT NULL AND NOT ({coarse_condition(by)}) AND {where}
            GROUP BY 1 ORDER BY 1
            """,
            params,
        ).fetchall()
        return [
            Period(
                period=start.strftime(PERIOD_FORMATS[by]),
                start=start.isoformat(),
                end=period_end(start, by).isoformat(),
                events=n,
                counts=QuadCounts(q1, q2, q3, q4),
                goldstein_sum=gsum,
                goldstein_mean=gmean,
                a_to_b=a_to_b,
                b_to_a=b_to_a,
            )
            for start, n, q1, q2, q3, q4, gsum, gmean, a_to_b, b_to_a in rows
        ]

    # --- one event ----------------------------------------------------------------------

    def event_page(self, event_id: str) -> EventPage:
        rows = self._rows(f"SELECT * FROM {self.features.mentions_source} WHERE id = ?", [event_id])
        if not rows:
            raise NotFound(f"no event with id {event_id[:64]!r}")
        row = rows[0]
        article = self._article(row["article_id"])
        marks = [
            Mark("trigger", row["trigger_start"], row["trigger_end"], row["trigger"]),
            Mark("source", row["source_start"], row["source_end"], row["source_text"]),
            Mark("target", row["target_start"], row["target_end"], row["target_text"]),
        ]
        entry = rule_entry(row["rule"])
        others, how = self.other_mentions(row)
        return EventPage(
            event=self._detail(row),
            article=article,
            highlights=locate(article.text, row["sentence"], marks),
            rule=RuleInfo(row["rule"], entry.file, entry.line, entry.entry_id, entry.entry),
            other_mentions=others,
            other_mentions_how=how,
            copies=self.copies(row["article_id"]) if self.features.has_copies else None,
            quotes=self.quotes(row["article_id"]) if self.features.has_quotes else None,
        )

    def _article(self, article_id: str) -> ArticleInfo:
        rows = self._rows(
            "SELECT id, title, source, published, url, origin, warnings, text "
            "FROM articles WHERE id = ?",
            [article_id],
        )
        if not rows:
            return ArticleInfo(article_id, None, None, None, None, None, [], "")
        r = rows[0]
        return ArticleInfo(
            id=r["id"],
            title=r["title"],
            source=r["source"],
            published=_iso(r["published"]),
            url=r["url"],
            origin=r["origin"],
            warnings=list(r["warnings"] or []),
            text=r["text"] or "",
        )

    def _detail(self, row: dict[str, Any]) -> EventDetail:
        fields = {
            name: row.get(name)
            for name in EventDetail.__dataclass_fields__
            if name in row and name not in _DERIVED
        }
        quad = row["quad_class"]
        return EventDetail(
            **fields,
            root_name=self._code_name(row["root_code"]),
            quad_name=QUAD_CLASSES.get(quad) if quad is not None else None,
            source=_actor_ref(row, "source"),
            target=_actor_ref(row, "target"),
            background=bool(row["background"]),
            date_how=_date_how(row),
            place_how=_place_how(row),
            mentions=self._group_counts(row),
        )

    def _group_counts(self, row: dict[str, Any]) -> MentionCounts | None:
        """The report counts of the event this mention belongs to (deduplicated stores)."""
        present = self.features.mention_columns
        if not present:
            return None
        if "event_group" in row and "event_group" in self.features.event_columns:
            found = self._rows(
                f"SELECT {', '.join(present)} FROM {self.ev} WHERE event_group = ?",
                [row["event_group"]],
            )
            return _mention_counts(found[0], present) if found else None
        return _mention_counts(row, present)

    def other_mentions(self, row: dict[str, Any]) -> tuple[list[EventSummary], str]:
        """Other reports of the same event: the mentions grouped with this one when the store
        groups them, else events with the same actors, root code and date."""
        table = self.features.mentions_source
        select = self._summary_select(table)
        order = SORTS["date"]
        if self.features.grouped and row.get("event_group") is not None:
            rows = self._rows(
                f"SELECT {select} FROM {table} WHERE event_group = ? AND id <> ? "
                f"ORDER BY {order} LIMIT 200",
                [row["event_group"], row["id"]],
            )
            return [self._summary(r) for r in rows], GROUPED_HOW
        if row["source_code"] is None and row["target_code"] is None:
            return [], UNGROUPED_HOW
        rows = self._rows(
            f"SELECT {select} FROM {table} WHERE id <> ? "
            "AND source_code IS NOT DISTINCT FROM ? AND target_code IS NOT DISTINCT FROM ? "
            "AND root_code IS NOT DISTINCT FROM ? AND date_start IS NOT DISTINCT FROM ? "
            f"ORDER BY {order} LIMIT 200",
            [
                row["id"],
                row["source_code"],
                row["target_code"],
                row["root_code"],
                row["date_start"],
            ],
        )
        return [self._summary(r) for r in rows], UNGROUPED_HOW

    def copies(self, article_id: str) -> list[CopyRow]:
        """Exact copies of the article (same text, another id or URL), not coded again."""
        rows = self._rows(
            "SELECT id, title, source, published, url FROM article_copies "
            "WHERE copy_of = ? ORDER BY published, source, id",
            [article_id],
        )
        return [CopyRow(**{**r, "published": _iso(r["published"])}) for r in rows]

    def quotes(self, article_id: str) -> list[QuoteRow]:
        """The article's quotes, from whichever of the known columns the quotes table has."""
        columns = self.features.quote_columns
        wanted = ("text", "speaker_name", "speaker_code", "verb", "sentence_index", "direct")
        select = ", ".join(c if c in columns else f"NULL AS {c}" for c in wanted)
        order = "sentence_index" if "sentence_index" in columns else "1"
        rows = self._rows(
            f"SELECT {select} FROM quotes WHERE article_id = ? ORDER BY {order}", [article_id]
        )
        return [
            QuoteRow(
                text=r["text"],
                speaker=r["speaker_name"] or r["speaker_code"],
                speaker_code=r["speaker_code"],
                verb=r["verb"],
                sentence_index=r["sentence_index"],
                direct=r["direct"],
            )
            for r in rows
        ]

    # --- dyad, actor, map ---------------------------------------------------------------

    def dyad_page(self, a: str, b: str, by: str, background: bool, period: str | None) -> DyadPage:
        a, b = self.check_actor(a), self.check_actor(b)
        criteria = Criteria(dyad=(a, b), background=background)
        timeline = self.periods(criteria, by)
        listed = criteria
        if period:
            start, end = period_bounds(period, by)
            listed = replace(criteria, since=start, until=end)
        total, events = self.event_list(listed, "date", LIST_LIMIT)
        names = self.names([a, b])
        return DyadPage(
            a=a,
            b=b,
            a_name=names[a],
            b_name=names[b],
            by=by,
            background=background,
            period=period,
            timeline=timeline,
            total=total,
            events=events,
            events_truncated=total > len(events),
            listed=_listed(listed),
        )

    def actor_page(self, code: str, partners: int = 12) -> ActorPage:
        code = self.check_actor(code)
        src, tgt = actor_condition("source"), actor_condition("target")
        quad = ", ".join(f"count(*) FILTER (WHERE quad_class = {q})" for q in QUAD_CLASSES)
        where, params = _where(Criteria())
        by_source = self.store.con.execute(
            f"SELECT count(*), {quad} FROM {self.ev} WHERE {src} AND {where}",
            [code, code, *params],
        ).fetchone()
        by_target = self.store.con.execute(
            f"SELECT count(*), {quad} FROM {self.ev} WHERE {tgt} AND {where}",
            [code, code, *params],
        ).fetchone()
        found = self._partners(code, partners)
        nodes, edges = self._network(code, found)
        total, events = self.event_list(Criteria(actor=(code,)), "date", LIST_LIMIT)
        return ActorPage(
            code=code,
            name=self.names([code])[code],
            as_source=by_source[0] if by_source else 0,
            as_target=by_target[0] if by_target else 0,
            source_counts=QuadCounts(*(by_source[1:] if by_source else ())),
            target_counts=QuadCounts(*(by_target[1:] if by_target else ())),
            partners=found,
            nodes=nodes,
            edges=edges,
            total=total,
            events=events,
            events_truncated=total > len(events),
        )

    def _partners(self, code: str, limit: int) -> list[Partner]:
        """The actors on the other side of the actor's events (by country; see ``_key``)."""
        src, tgt = actor_condition("source"), actor_condition("target")
        where, params = _where(Criteria())
        rows = self.store.con.execute(
            f"""
            WITH e AS (SELECT * FROM {self.ev} WHERE {where}), p AS (
                SELECT {_key("target")} AS partner, 1 AS outgoing, 0 AS incoming, goldstein
                FROM e WHERE {src}
                UNION ALL
                SELECT {_key("source")}, 0, 1, goldstein FROM e WHERE {tgt}
            )
            SELECT partner, sum(outgoing), sum(incoming), count(*) AS n, round(avg(goldstein), 2)
            FROM p WHERE partner IS NOT NULL AND partner <> ?
            GROUP BY partner ORDER BY n DESC, partner LIMIT ?
            """,
            [*params, code, code, code, code, code, limit],
        ).fetchall()
        names = self.names([r[0] for r in rows])
        return [Partner(p, names[p], int(out), int(inc), n, g) for p, out, inc, n, g in rows]

    def _network(
        self, code: str, partners: list[Partner]
    ) -> tuple[list[NetworkNode], list[NetworkEdge]]:
        """The actor, its partners, and the events among them all."""
        name = self.names([code])[code]
        if not partners:
            return [NetworkNode(code, name, 0)], []
        keys = [p.code for p in partners]
        where, params = _where(Criteria())
        rows = self.store.con.execute(
            f"""
            WITH d AS (SELECT {_key("source")} AS s, {_key("target")} AS t, goldstein
                       FROM {self.ev} WHERE {where})
            SELECT least(s, t), greatest(s, t), count(*), round(avg(goldstein), 2)
            FROM d WHERE s IN (SELECT unnest(?)) AND t IN (SELECT unnest(?)) AND s <> t
            GROUP BY 1, 2 ORDER BY 1, 2
            """,
            [*params, keys, keys],
        ).fetchall()
        nodes = [NetworkNode(code, name, sum(p.events for p in partners))]
        nodes += [NetworkNode(p.code, p.name, p.events) for p in partners]
        edges = [NetworkEdge(code, p.code, p.events, p.goldstein_mean) for p in partners]
        edges += [NetworkEdge(a, b, n, g) for a, b, n, g in rows]
        return nodes, edges

    def network_page(
        self, filters: EventFilters, level: str, min_events: int, limit: int
    ) -> NetworkPage:
        """The actor network of the events matching the filters, its heaviest edges first."""
        if filters.source or filters.target or filters.place or filters.article:
            raise BadRequest("the network takes no source, target, place or article filter")
        criteria = self.criteria(filters)
        try:
            network = actor_network(
                self.store,
                level,
                min_events=min_events,
                query=criteria.query(),  # type: ignore[arg-type]
            )
        except QueryError as exc:
            raise BadRequest(str(exc)) from None
        shown = network.edges[:limit]
        names = self.names([code for e in shown for code in (e.source, e.target)])
        return NetworkPage(
            filters=filters,
            level=level,
            min_events=min_events,
            limit=limit,
            total_edges=len(network.edges),
            edges=[_directed(e, names) for e in shown],
            nodes=_network_nodes(shown, names),
            links=_links(shown),
            **self._date_span(),
        )

    def _date_span(self) -> dict[str, str | None]:
        """The first and last event dates of the store."""
        bounds = self.store.con.execute(
            f"SELECT min(date_start), max(date_start) FROM {self.ev}"
        ).fetchone()
        first, last = bounds if bounds else (None, None)
        return {"first_date": _iso(first), "last_date": _iso(last)}

    def map_page(
        self,
        since: str | None,
        until: str | None,
        quad_class: int | None,
        background: bool,
    ) -> MapPage:
        criteria = self.criteria(
            EventFilters(since=since, until=until, quad_class=quad_class, background=background)
        )
        where, params = _where(criteria)
        rows = self.store.con.execute(
            f"""
            SELECT location_name, location_country, location_lat, location_lon, count(*) AS n,
                   count(*) FILTER (WHERE quad_class = 1), count(*) FILTER (WHERE quad_class = 2),
                   count(*) FILTER (WHERE quad_class = 3), count(*) FILTER (WHERE quad_class = 4)
            FROM {self.ev}
            WHERE location_lat IS NOT NULL AND location_lon IS NOT NULL
              AND location_name IS NOT NULL AND {where}
            GROUP BY 1, 2, 3, 4 ORDER BY n DESC, 1
            """,
            params,
        ).fetchall()
        places = [
            Place(name, country, lat, lon, n, QuadCounts(q1, q2, q3, q4))
            for name, country, lat, lon, n, q1, q2, q3, q4 in rows
        ]
        matching = self._value(f"SELECT count(*) FROM {self.ev} WHERE {where}", params)
        located = sum(p.events for p in places)
        bounds = self.store.con.execute(
            f"SELECT min(date_start), max(date_start) FROM {self.ev}"
        ).fetchone()
        return MapPage(
            since=since,
            until=until,
            quad_class=quad_class,
            background=background,
            places=places,
            located=located,
            unlocated=matching - located,
            first_date=_iso(bounds[0]) if bounds else None,
            last_date=_iso(bounds[1]) if bounds else None,
        )


def _listed(c: Criteria) -> dict[str, str]:
    """The events-page parameters of a dyad page's list."""
    params = {"dyad": "-".join(c.dyad or ()), "background": str(c.background).lower()}
    for name, day in (("since", c.since), ("until", c.until)):
        if day is not None:
            params[name] = day.isoformat()
    return params


# --- networks -------------------------------------------------------------------------------


def _directed(edge: Edge, names: dict[str, str]) -> DirectedEdge:
    return DirectedEdge(
        source=edge.source,
        source_name=names[edge.source],
        target=edge.target,
        target_name=names[edge.target],
        events=edge.events,
        goldstein_sum=edge.goldstein_sum,
        goldstein_mean=edge.goldstein_mean,
        cooperation=edge.cooperation,
        conflict=edge.conflict,
    )


def _network_nodes(edges: Sequence[Edge], names: dict[str, str]) -> list[NetworkNode]:
    """The actors of the edges, with the events on those edges, most first."""
    events: dict[str, int] = {}
    for edge in edges:
        for code in {edge.source, edge.target}:
            events[code] = events.get(code, 0) + edge.events
    ranked = sorted(events.items(), key=lambda item: (-item[1], item[0]))
    return [NetworkNode(code, names[code], n) for code, n in ranked]


def _links(edges: Sequence[Edge]) -> list[NetworkEdge]:
    """The edges with both directions of a pair together (events, and their mean Goldstein
    weighted by events), heaviest first."""
    pairs: dict[tuple[str, str], tuple[int, float]] = {}
    for edge in edges:
        pair = (min(edge.source, edge.target), max(edge.source, edge.target))
        n, total = pairs.get(pair, (0, 0.0))
        pairs[pair] = (n + edge.events, total + (edge.goldstein_mean or 0.0) * edge.events)
    ranked = sorted(pairs.items(), key=lambda item: (-item[1][0], item[0]))
    return [NetworkEdge(a, b, n, round(total / n, 2)) for (a, b), (n, total) in ranked]


# --- SQL building ---------------------------------------------------------------------------


def _where(c: Criteria) -> tuple[str, list[Any]]:
    """A WHERE clause (with ``?`` parameters) for the criteria: the shared filter's conditions
    (newsevents.analysis.query.event_conditions, as the CLI and the library use them), then
    the filters only the web pages have."""
    where, params = event_conditions(c.query())
    extra, extra_params = _web_only(c)
    return " AND ".join(["TRUE", *where, extra]), [*params, *extra_params]


def _web_only(c: Criteria) -> tuple[str, list[Any]]:
    """The conditions of the filters only the web pages have (source, target, place,
    article): ``TRUE`` when none is set."""
    where: list[str] = ["TRUE"]
    params: list[Any] = []
    if c.source:
        where.append(actor_condition("source"))
        params += [c.source] * 2
    if c.target:
        where.append(actor_condition("target"))
        params += [c.target] * 2
    for condition, value in (("location_name = ?", c.place), ("article_id = ?", c.article)):
        if value is not None:
            where.append(condition)
            params.append(value)
    return " AND ".join(where), params


def _write_table(
    con: duckdb.DuckDBPyConnection, sql: str, params: list[Any], fmt: str, stream: IO[bytes]
) -> int:
    """Stream a query's rows to ``stream`` in batches through Arrow (CSV has no lists: a list
    column such as ``mention_ids`` becomes its JSON text, as in ``newsevents export``)."""
    import pyarrow.csv
    import pyarrow.parquet

    cursor = con.cursor()
    try:
        relation = cursor.sql(sql, params=params)
        if fmt == "csv":
            relation = cursor.sql(_lists_as_json(relation), params=params)
        reader = relation.to_arrow_reader(DOWNLOAD_BATCH)
        kind = pyarrow.csv.CSVWriter if fmt == "csv" else pyarrow.parquet.ParquetWriter
        writer = kind(stream, reader.schema)
        count = 0
        try:
            for batch in reader:
                writer.write_batch(batch)
                count += batch.num_rows
        finally:
            writer.close()
        return count
    finally:
        cursor.close()


def _lists_as_json(relation: duckdb.DuckDBPyRelation) -> str:
    """The relation's SQL with each list column replaced by its JSON text."""
    lists = [n for n, t in zip(relation.columns, relation.types, strict=True) if "[]" in str(t)]
    if not lists:
        return relation.sql_query()
    replaced = ", ".join(f'CAST(to_json("{n}") AS VARCHAR) AS "{n}"' for n in lists)
    return f"SELECT * REPLACE ({replaced}) FROM ({relation.sql_query()})"


def _modalities(value: str | None) -> tuple[str, ...]:
    """The modalities a request asks for (``all``, one, or several comma-separated); asserted
    when it asks for none."""
    if not value:
        return DEFAULT_MODALITIES
    try:
        return EventQuery(modality=value).modality
    except QueryError as exc:
        raise BadRequest(str(exc)) from None


def _key(side: str) -> str:
    """The actor a side of an event counts as in top lists, dyads and networks: its country,
    else its organisation (``UNO``); role-only actors (``GOV``) count as no one."""
    return actor_key(side, "country")


def _mention_counts(row: dict[str, Any], present: tuple[str, ...]) -> MentionCounts | None:
    if not present:
        return None
    return MentionCounts(**{c: row.get(c) for c in present})


def _date_bound(table: str, order: str) -> str:
    """The first (ASC) or last (DESC) non-background event date, at its stored precision."""
    return (
        f"SELECT date FROM {table} WHERE date_start IS NOT NULL AND background IS NOT TRUE "
        f"ORDER BY date_start {order}, length(date) DESC LIMIT 1"
    )


# --- values ---------------------------------------------------------------------------------


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _parse_date(value: str | None, name: str) -> dt.date | None:
    if value is None or value == "":
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise BadRequest(f"{name} {value[:40]!r} is not a date: use YYYY-MM-DD") from None


def period_end(start: dt.date, by: str) -> dt.date:
    """The last day of the period that begins on ``start``."""
    if by == "day":
        return start
    if by == "week":
        return start + dt.timedelta(days=6)
    if by == "month":
        return start.replace(day=calendar.monthrange(start.year, start.month)[1])
    return start.replace(month=12, day=31)


_PERIOD_RES: dict[str, re.Pattern[str]] = {
    "day": re.compile(r"^(\d{4})-(\d{2})-(\d{2})$"),
    "week": re.compile(r"^(\d{4})-W(\d{2})$"),
    "month": re.compile(r"^(\d{4})-(\d{2})$"),
    "year": re.compile(r"^(\d{4})$"),
}
_PERIOD_EXAMPLES = {"day": "2016-12-15", "week": "2016-W50", "month": "2016-12", "year": "2016"}


def period_bounds(period: str, by: str) -> tuple[dt.date, dt.date]:
    """First and last day of a period label such as ``2016-12`` (month) or ``2016-W50``."""
    match = _PERIOD_RES[by].match(period) if by in _PERIOD_RES else None
    try:
        if match is None:
            raise ValueError
        numbers = [int(g) for g in match.groups()]
        if by == "week":
            start = dt.date.fromisocalendar(numbers[0], numbers[1], 1)
        else:
            start = dt.date(numbers[0], *(numbers[1:] + [1, 1])[:2])
    except ValueError:
        example = _PERIOD_EXAMPLES.get(by, "2016-12")
        raise BadRequest(f"period {period[:40]!r} is not a {by} label such as {example}") from None
    return start, period_end(start, by)


def _actor_ref(row: dict[str, Any], side: str) -> ActorRef | None:
    if row.get(f"{side}_code") is None and row.get(f"{side}_text") is None:
        return None
    keys = ("text", "name", "code", "country", "role", "start", "end", "resolved_from")
    return ActorRef(**{k: row.get(f"{side}_{k}") for k in keys})


def _date_how(row: dict[str, Any]) -> str:
    if row.get("date") is None:
        return "no date could be given"
    if row.get("date_text"):
        return f"resolved from the time expression \u201c{row['date_text']}\u201d in the text"
    return "the article's publication date (no time expression is attached to the event)"


def _place_how(row: dict[str, Any]) -> str:
    if row.get("location_name") is None:
        return "no place is attached to the event (places merely mentioned are not used)"
    method = row.get("location_method") or "unknown"
    return PLACE_METHODS.get(method, f"chosen by the rule {method!r}")


def _country_name(code: str) -> str | None:
    if len(code) != 3:
        return None
    import pycountry

    country = pycountry.countries.get(alpha_3=code)
    if country is None:
        return None
    return getattr(country, "common_name", None) or country.name
