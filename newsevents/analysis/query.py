"""The event filter every reader shares, and the SQL it selects stored events with.

:class:`EventQuery` is what ``newsevents events``, the analyses, the exports and the web pages
filter by; :func:`event_sql` turns it into a SELECT over the store's event views. The analyses
take any :class:`Database`: an object with an open DuckDB connection, as ``Store`` is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Protocol

import duckdb


class Database(Protocol):
    """What the analyses need of a store: its open DuckDB connection and its file's path."""

    con: duckdb.DuckDBPyConnection
    path: str


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
    mentions: bool = False
    """Every mention (one row per article sentence) instead of deduplicated events (one row
    per event, with ``num_mentions``, ``num_sources``, ``num_articles``, ``mention_ids``)."""



def actor_condition(side: str) -> str:
    """SQL that matches one side of an event against an actor code or country (``?`` twice)."""
    return f"({side}_country = ? OR starts_with({side}_code, ?))"


def event_sql(query: EventQuery, ordered: bool = True) -> tuple[str, list[Any]]:
    """The SELECT (with its parameters) of the stored events matching ``query``. Analysis and
    exports build on it, so every filter of :class:`EventQuery` applies to them as well.
    ``ordered=False`` drops the final ORDER BY (when there is no LIMIT): aggregates need no
    order, and sorting would cost more than the aggregation."""
    sql, params = _event_sql(query)
    if not ordered and query.limit is None:
        sql = sql.rsplit(" ORDER BY ", 1)[0]
    return sql, params


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
    sql = "SELECT * FROM " + ("event_mentions" if query.mentions else "deduplicated_events")
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY date_start, article_id, sentence_index, trigger_start, id"
    if query.limit is not None:
        sql += " LIMIT ?"
        params.append(query.limit)
    return sql, params
