"""The event filter every reader shares, and the SQL it selects stored events with.

:class:`EventQuery` is what ``newsevents events``, the analyses, the exports and the web pages
filter by; :func:`event_conditions` turns it into the conditions of a WHERE clause and
:func:`event_sql` into a SELECT over the store's event views. Every reader builds its WHERE
from :func:`event_conditions`, so no two readers can disagree about which events a filter
selects (docs/analysis.md, "Which events"). The analyses take any :class:`Database`: an object
with an open DuckDB connection, as ``Store`` is.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
from dataclasses import dataclass
from typing import Any, Protocol

import duckdb

from newsevents.dictionaries import data_path, read_yaml_mapping
from newsevents.errors import QueryError

MODALITIES = ("asserted", "negated", "future", "hypothetical")
"""Every modality an event can have; ``modality="all"`` selects them all."""
DEFAULT_MODALITIES = ("asserted",)
"""What totals count unless told otherwise: events the text says happened."""
QUAD_CLASSES = (1, 2, 3, 4)
COARSE_MODES = ("drop", "include", "spread")
"""What a day, week or month series does with events dated less precisely than its period
(docs/analysis.md, "Coarse dates")."""
PRECISION_RANK = {"day": 0, "month": 1, "year": 2}
PERIOD_PRECISION = {"day": 0, "week": 0, "month": 1, "year": 2}
"""The coarsest date precision (:data:`PRECISION_RANK`) a period series counts by default."""
DEFAULT_CONFIDENCE = "default"
"""``min_confidence`` unless told otherwise: the confidence model's documented threshold
(:func:`default_min_confidence`, docs/confidence.md)."""
DEDUPLICATED = "deduplicated_events"
MENTIONS = "event_mentions"
ACTOR_CODE = re.compile(r"^[A-Z0-9]{2,32}$")
"""What an actor code or country looks like (``RUS``, ``RUSGOV``, ``UNO``); anything else given
as an actor is a name (``Russia``, ``Lavrov``), looked up in the store (:func:`resolve_actors`)."""


class Database(Protocol):
    """What the analyses need of a store: its open DuckDB connection and its file's path."""

    con: duckdb.DuckDBPyConnection
    path: str


@dataclass(frozen=True)
class EventQuery:
    """Filters for stored events (docs/analysis.md, "Which events"). Actor codes match a
    country (``RUS``) or a code prefix. ``modality``, ``quad_class`` and ``country`` take one
    value or several (a tuple, or a comma-separated string); ``modality="all"`` takes every
    modality. By default only asserted events are selected: totals count what happened."""

    actor: tuple[str, ...] | None = None
    """Actors on either side: codes or countries (``RUS``, ``RUSGOV``), or names (``Russia``,
    ``Lavrov``) that :func:`selection` looks up among the stored actors; one or several."""
    dyad: tuple[str, str] | None = None
    directed: bool = False
    since: dt.date | None = None
    until: dt.date | None = None
    code: str | None = None
    modality: tuple[str, ...] = DEFAULT_MODALITIES
    """Asserted events only unless told otherwise. A deduplicated event is asserted when any
    of its reports asserts it (a planned visit that one story reports as made)."""
    quad_class: tuple[int, ...] | None = None
    country: tuple[str, ...] | None = None
    """ISO3 countries: events whose source or target is of one of them, or located in one."""
    text: str | None = None
    """Words the event's sentence contains, in any case."""
    min_confidence: float | str | None = None
    """Events whose ``confidence`` is at least this; ``"default"`` is the model's threshold
    (:func:`default_min_confidence`). None (for now the default) selects every event. Events
    coded before confidence existed carry none and always pass."""
    include_background: bool = True
    limit: int | None = None
    mentions: bool = False
    """Every mention (one row per article sentence) instead of deduplicated events (one row
    per event, with ``num_mentions``, ``num_sources``, ``num_articles``, ``mention_ids``)."""

    def __post_init__(self) -> None:
        normal = {
            "actor": _actors(self.actor),
            "modality": _modalities(self.modality),
            "quad_class": _quad_classes(self.quad_class),
            "country": _countries(self.country),
            "since": as_date(self.since, "since"),
            "until": as_date(self.until, "until"),
            "dyad": tuple(self.dyad) if self.dyad is not None else None,
            "min_confidence": _confidence(self.min_confidence),
        }
        for name, value in normal.items():
            object.__setattr__(self, name, value)
        if self.since and self.until and self.since > self.until:
            raise QueryError(f"since ({self.since}) is after until ({self.until})")
        if self.dyad is not None and len(self.dyad) != 2:
            raise QueryError(f"a dyad is two actors, not {self.dyad!r}")


def make_query(query: EventQuery | None = None, **filters: Any) -> EventQuery:
    """An :class:`EventQuery` from a base query and keyword filters (``since``/``until`` may
    be ISO date strings, ``dyad`` any pair). Unknown filters raise :class:`QueryError`."""
    names = {f.name for f in dataclasses.fields(EventQuery)}
    unknown = sorted(set(filters) - names)
    if unknown:
        raise QueryError(
            f"unknown event filter(s) {', '.join(unknown)}; use {', '.join(sorted(names))}"
        )
    return dataclasses.replace(query or EventQuery(), **filters)


def as_date(value: Any, name: str) -> dt.date | None:
    """A date from a ``datetime.date``, a ``datetime`` or an ISO ``YYYY-MM-DD`` string."""
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    if isinstance(value, dt.datetime):
        return value.date()
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise QueryError(f"{name}: {value!r} is not a date (YYYY-MM-DD)") from exc


def _values(value: Any) -> list[str]:
    """One value or several: a tuple or list, or a comma-separated string."""
    items = value.split(",") if isinstance(value, str) else list(value)
    return [str(item).strip() for item in items if str(item).strip()]


def _actors(value: Any) -> tuple[str, ...] | None:
    if value is None or value == "":
        return None
    wanted = tuple(_values(value))
    if not wanted:
        raise QueryError("actor needs a code such as RUS or a name such as Russia")
    return wanted


def _modalities(value: Any) -> tuple[str, ...]:
    if value is None:
        return MODALITIES
    wanted = [v.lower() for v in _values(value)]
    if "all" in wanted:
        return MODALITIES
    unknown = [v for v in wanted if v not in MODALITIES]
    if unknown or not wanted:
        raise QueryError(
            f"unknown modality {', '.join(unknown) or repr(value)}; "
            f"use {', '.join(MODALITIES)} or all"
        )
    return tuple(m for m in MODALITIES if m in wanted)


def _quad_classes(value: Any) -> tuple[int, ...] | None:
    if value is None:
        return None
    items = [value] if isinstance(value, int) else _values(value)
    try:
        wanted = {int(v) for v in items}
    except ValueError as exc:
        raise QueryError(f"QuadClass {value!r} is not 1, 2, 3 or 4") from exc
    if not wanted or wanted - set(QUAD_CLASSES):
        raise QueryError(f"QuadClass {value!r} is not 1, 2, 3 or 4")
    return tuple(sorted(wanted))


def _countries(value: Any) -> tuple[str, ...] | None:
    if value is None:
        return None
    wanted = tuple(v.upper() for v in _values(value))
    if not wanted:
        raise QueryError("country needs at least one ISO3 code, e.g. RUS")
    return wanted


def _confidence(value: Any) -> float | str | None:
    if value is None or value == DEFAULT_CONFIDENCE:
        return value
    try:
        number = float(value)
    except (TypeError, ValueError) as exc:
        raise QueryError(f"min_confidence {value!r} is not a number between 0 and 1") from exc
    if not 0.0 <= number <= 1.0:
        raise QueryError(f"min_confidence {value!r} is not a number between 0 and 1")
    return number


# --- SQL ----------------------------------------------------------------------------------


def actor_condition(side: str) -> str:
    """SQL that matches one side of an event against an actor code or country (``?`` twice)."""
    return f"({side}_country = ? OR starts_with({side}_code, ?))"


def event_conditions(query: EventQuery) -> tuple[list[str], list[Any]]:
    """The conditions (to be joined with AND) and their ``?`` parameters that select the
    events matching ``query``, over a row source with the columns of the events table: the
    one definition of every filter, which the analyses, the exports and the web pages share."""
    where: list[str] = []
    params: list[Any] = []
    if query.actor:
        either = f"({actor_condition('source')} OR {actor_condition('target')})"
        where.append("(" + " OR ".join([either] * len(query.actor)) + ")")
        params += [code for code in query.actor for _ in range(4)]
    if query.dyad:
        a, b = query.dyad
        one_way = f"({actor_condition('source')} AND {actor_condition('target')})"
        if query.directed:
            where.append(one_way)
            params += [a, a, b, b]
        else:
            where.append(f"({one_way} OR {one_way})")
            params += [a, a, b, b, b, b, a, a]
    simple: list[tuple[str, Any]] = [
        ("date_start >= ?", query.since),
        ("date_start <= ?", query.until),
        ("starts_with(code, ?)", query.code),
        ("contains(lower(sentence), lower(?))", query.text),
        ("coalesce(confidence, 1.0) >= ?", threshold(query.min_confidence)),
    ]
    for condition, value in simple:
        if value is not None:
            where.append(condition)
            params.append(value)
    if query.modality != MODALITIES:
        where.append(f"modality IN ({_marks(query.modality)})")
        params += query.modality
    if query.quad_class is not None:
        where.append(f"quad_class IN ({_marks(query.quad_class)})")
        params += query.quad_class
    if query.country is not None:
        sides = ("source_country", "target_country", "location_country")
        where.append("(" + " OR ".join(f"{s} IN ({_marks(query.country)})" for s in sides) + ")")
        params += list(query.country) * 3
    if not query.include_background:
        where.append("background IS NOT TRUE")
    return where, params


def threshold(min_confidence: float | str | None) -> float | None:
    """The number a ``min_confidence`` stands for (``"default"``: the model's threshold)."""
    if min_confidence == DEFAULT_CONFIDENCE:
        return default_min_confidence()
    return min_confidence or None  # type: ignore[return-value]


@functools.cache
def default_min_confidence() -> float:
    """The threshold readers apply by default: ``threshold`` of ``data/confidence.yaml``,
    chosen on our gold for the best balance of recall and precision (docs/confidence.md)."""
    return float(read_yaml_mapping(data_path("confidence.yaml"))["threshold"])  # type: ignore[arg-type]


def _marks(values: tuple[Any, ...]) -> str:
    """``?, ?, ?``: one parameter per value (DuckDB plans a list of constants faster than a
    list parameter)."""
    return ", ".join("?" * len(values))


def event_where(query: EventQuery) -> tuple[str, list[Any]]:
    """:func:`event_conditions` as one condition (``TRUE`` when nothing is filtered)."""
    where, params = event_conditions(query)
    return " AND ".join(where) or "TRUE", params


def event_source(mentions: bool = False) -> str:
    """The rows events are selected from: every mention (``event_mentions``), or one row per
    event (``deduplicated_events``, whose ``modality`` is the event's: ``asserted`` when any
    of its reports asserts it, else its representative's)."""
    return MENTIONS if mentions else DEDUPLICATED


ARTICLE_COLUMNS = (
    ("url", "url"),
    ("outlet", "source"),
    ("title", "title"),
    ("published", "published"),
)
"""Columns of the event's article that event rows carry beside ``article_id``: (name in the
row, column of ``articles``)."""
ORDER = "date_start, article_id, sentence_index, trigger_start, id"


def event_sql(
    query: EventQuery, ordered: bool = True, articles: bool = False
) -> tuple[str, list[Any]]:
    """The SELECT (with its parameters) of the stored events matching ``query``. Analysis and
    exports build on it, so every filter of :class:`EventQuery` applies to them as well.
    ``ordered=False`` drops the ORDER BY (when there is no LIMIT): aggregates need no order,
    and sorting would cost more than the aggregation. ``articles`` adds the article's
    ``url``, ``outlet``, ``title`` and ``published`` after ``article_id``."""
    where, params = event_where(query)
    sql = f"SELECT * FROM {event_source(query.mentions)} AS e WHERE {where}"
    if articles:
        picked = ", ".join(f"a.{column} AS {name}" for name, column in ARTICLE_COLUMNS)
        sql = (
            f"SELECT e.id, e.article_id, {picked}, e.* EXCLUDE (id, article_id) "
            f"FROM ({sql}) AS e LEFT JOIN articles AS a ON a.id = e.article_id"
        )
    if ordered or query.limit is not None:
        sql += f" ORDER BY {ORDER}"
    if query.limit is not None:
        sql += " LIMIT ?"
        params.append(query.limit)
    return sql, params


def selection(
    store: Database, query: EventQuery, ordered: bool = True, articles: bool = False
) -> tuple[str, list[Any]]:
    """:func:`event_sql` for a store, checked against it: actor names become the codes of the
    stored actors of that name (:func:`resolve_actors`), and a confidence filter needs events
    that carry a ``confidence`` (raises :class:`QueryError` otherwise)."""
    if query.min_confidence == DEFAULT_CONFIDENCE and not has_column(store, "events", "confidence"):
        query = dataclasses.replace(query, min_confidence=None)  # an older store: all events
    if threshold(query.min_confidence) and not has_column(store, "events", "confidence"):
        raise QueryError(
            f"the events of {store.path} carry no confidence (coded before confidence was "
            "computed); code them again (ingest --recode) or leave out min_confidence"
        )
    return event_sql(resolve_actors(store, query), ordered, articles)


def resolve_actors(store: Database, query: EventQuery) -> EventQuery:
    """The query with each actor name (anything that is not a code: ``Russia``, ``Lavrov``)
    replaced by the codes stored for actors of that name, the name matching whole words of
    theirs in any case (``Lavrov`` is ``Sergey Lavrov``: ``RUSGOV``; ``Russia``: ``RUS`` and
    its sub-codes, so ``RUS``). A name no stored actor has raises :class:`QueryError`."""
    if not query.actor or all(ACTOR_CODE.match(a) for a in query.actor):
        return query
    codes: list[str] = []
    for actor in query.actor:
        codes += [actor] if ACTOR_CODE.match(actor) else _codes_named(store, actor)
    return dataclasses.replace(query, actor=_widest(codes))


def _codes_named(store: Database, name: str) -> list[str]:
    rows = store.con.execute(
        "SELECT DISTINCT name, code FROM ("
        "SELECT source_name AS name, source_code AS code FROM events UNION ALL "
        "SELECT target_name, target_code FROM events) "
        "WHERE code IS NOT NULL AND contains(lower(name), lower(?))",
        [name],
    ).fetchall()
    word = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)", re.IGNORECASE)
    codes = sorted({code for found, code in rows if word.search(found)})
    if codes:
        return codes
    if ACTOR_CODE.match(name.upper()) and _stored_code(store, name.upper()):
        return [name.upper()]  # a code in lower case: rusgov
    raise QueryError(f"no stored actor is named {name!r}; give a name or a code such as RUS")


def _stored_code(store: Database, code: str) -> bool:
    condition = f"{actor_condition('source')} OR {actor_condition('target')}"
    found = store.con.execute(f"SELECT 1 FROM events WHERE {condition} LIMIT 1", [code] * 4)
    return found.fetchone() is not None


def _widest(codes: list[str]) -> tuple[str, ...]:
    """The codes without those another one covers as a prefix (``RUS`` covers ``RUSGOV``)."""
    unique = sorted(set(codes))
    return tuple(c for c in unique if not any(c != o and c.startswith(o) for o in unique))


def has_column(store: Database, table: str, column: str) -> bool:
    """Whether a table (or view) of the store has a column."""
    row = store.con.execute(
        "SELECT count(*) FROM information_schema.columns "
        "WHERE table_schema = 'main' AND table_name = ? AND column_name = ?",
        [table, column],
    ).fetchone()
    return bool(row and row[0])
