"""Analysis over the store, computed in DuckDB SQL: dyad timelines, actor networks, top lists.

Every function takes the store, its own options, and the event filters of
:class:`~newsevents.analysis.query.EventQuery` (``modality``, ``since``, ``until``, ``code``,
``include_background`` ...) either as a ``query`` or as keywords, so the same events feed the
tables, the charts and the exports; by default only asserted events count. Results are frozen
records; charts are matplotlib figures drawn without pyplot (no global state, no display
needed). Definitions of every column: ``docs/analysis.md``.

    >>> with Store("events.duckdb") as store:                          # doctest: +SKIP
    ...     timeline = dyad_timeline(store, "RUS", "JPN", by="month", since="2016-01-01")
    ...     timeline.rows[0].goldstein_sum
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from newsevents.analysis.query import (
    COARSE_MODES,
    PERIOD_PRECISION,
    Database,
    EventQuery,
    actor_condition,
    make_query,
    selection,
)
from newsevents.errors import QueryError

if TYPE_CHECKING:
    import networkx
    import pandas
    from matplotlib.figure import Figure

R = TypeVar("R")
Period = Literal["day", "week", "month", "year"]
Level = Literal["country", "code"]
Weight = Literal["count", "goldstein"]

PERIOD_FORMATS: dict[str, str] = {
    "day": "%Y-%m-%d",
    "week": "%G-W%V",
    "month": "%Y-%m",
    "year": "%Y",
}
LEVELS = ("country", "code")
WEIGHTS = ("count", "goldstein")
ROOTS = tuple(f"{root:02d}" for root in range(1, 21))
"""The twenty CAMEO root codes, 01 (make public statement) to 20 (unconventional mass violence)."""
QUAD_COLUMNS = ("verbal_coop", "material_coop", "verbal_conflict", "material_conflict")


# --- filters ------------------------------------------------------------------------------


def _check(value: str, allowed: tuple[str, ...] | dict[str, str], what: str) -> None:
    if value not in allowed:
        raise QueryError(f"unknown {what} {value!r}; use one of {', '.join(allowed)}")


def _limit(n: int) -> int:
    if n < 1:
        raise QueryError(f"a top list needs at least 1 row, not {n}")
    return n


def _rows(store: Database, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    cursor = store.con.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _records(store: Database, sql: str, params: list[Any], kind: type[R]) -> tuple[R, ...]:
    """Rows as records; the SELECT lists the record's fields in order."""
    cursor = store.con.execute(sql, params)
    names = tuple(d[0] for d in cursor.description)
    fields = tuple(f.name for f in dataclasses.fields(kind))  # type: ignore[arg-type]
    if names != fields:
        raise AssertionError(f"columns {names} do not match {kind.__name__}{fields}")
    return tuple(kind(*row) for row in cursor.fetchall())


def actor_key(side: str, level: str) -> str:
    """SQL for the actor a side of an event counts as. ``code``: the full CAMEO code.
    ``country``: the ISO3 country, else the three-letter organisation code (``UNO``, ``EEC``);
    NULL for actors known only by a role (``GOV``, ``MIL``), which belong to no one."""
    _check(level, LEVELS, "actor level")
    if level == "code":
        return f"{side}_code"
    return (
        f"CASE WHEN {side}_country IS NOT NULL THEN {side}_country "
        f"WHEN {side}_role IS NULL OR NOT starts_with({side}_code, {side}_role) "
        f"THEN left({side}_code, 3) END"
    )


# --- periods and coarse dates ---------------------------------------------------------------

Coarse = Literal["drop", "include", "spread"]
PRECISION_SQL = "CASE date_precision WHEN 'day' THEN 0 WHEN 'month' THEN 1 WHEN 'year' THEN 2 END"
"""A dated event's precision as a rank: 0 day, 1 month, 2 year."""


def coarse_condition(by: str) -> str:
    """SQL true for a dated event less precise than a ``by`` period: a month or year date in
    a day or week series, a year date in a month series."""
    _check(by, PERIOD_FORMATS, "period")
    return f"coalesce({PRECISION_SQL}, 0) > {PERIOD_PRECISION[by]}"


def _end_of(iso: str) -> str:
    """SQL for the last day an ISO date text (``2014``, ``2014-05``, ``2014-05-06``) covers."""
    return (
        f"CASE length({iso}) WHEN 4 THEN make_date(TRY_CAST({iso} AS INTEGER), 12, 31) "
        f"WHEN 7 THEN last_day(TRY_CAST({iso} || '-01' AS DATE)) "
        f"ELSE TRY_CAST({iso} AS DATE) END"
    )


DATE_LAST_SQL = (
    "coalesce(CASE WHEN date_end IS NULL OR length(date_end) > length(date) "
    f"THEN {_end_of('date')} ELSE {_end_of('date_end')} END, date_start)"
)
"""The last day an event's date covers: the end of its period (``2014``: 31 December), or of
its range (``2010 to 2014``). An open end finer than the date (``since 2014``, which runs to the
publication day) does not widen it: the event is what happened in 2014."""


def marked_rows(by: str, coarse: str = "drop") -> str:
    """SQL of the rows a ``by`` period series is made of, from the events of a CTE ``e``:
    each event with ``period_start`` (its period's first day), ``weight`` and ``left_out``
    (``undated``, ``coarse``, or NULL for a row the series counts). ``drop``: events less
    precise than the period are left out; ``include``: they count in the first period of their
    date; ``spread``: they count in every period their date covers, each with the share of its
    days there (a year-dated event adds 31/365 to January in a month series)."""
    _check(coarse, COARSE_MODES, "coarse-date mode")
    coarse_sql = f"(date_start IS NOT NULL AND {coarse_condition(by)})"
    dropped = coarse_sql if coarse == "drop" else "FALSE"
    left = f"CASE WHEN date_start IS NULL THEN 'undated' WHEN {dropped} THEN 'coarse' END"
    start = f"CAST(date_trunc('{by}', date_start) AS DATE)"
    whole = (
        f"SELECT *, CASE WHEN {left} IS NULL THEN {start} END AS period_start, "
        f"CAST(1 AS DOUBLE) AS weight, {left} AS left_out FROM e"
    )
    if coarse != "spread":
        return whole
    whole += f" WHERE NOT {coarse_sql}"
    step = f"INTERVAL 1 {by.upper()}"
    spread = f"""
        SELECT * EXCLUDE (date_last_, period_start, period_last_), period_start,
               (date_diff('day', greatest(period_start, date_start),
                          least(period_last_, date_last_)) + 1)
               / (date_diff('day', date_start, date_last_) + 1) AS weight,
               CAST(NULL AS VARCHAR) AS left_out
        FROM (
            SELECT *, CAST(p AS DATE) AS period_start, CAST(p + {step} AS DATE) - 1 AS period_last_
            FROM (
                SELECT *, unnest(generate_series(
                    CAST(date_trunc('{by}', date_start) AS TIMESTAMP),
                    CAST(date_trunc('{by}', date_last_) AS TIMESTAMP), {step})) AS p
                FROM (SELECT *, greatest({DATE_LAST_SQL}, date_start) AS date_last_
                      FROM e WHERE {coarse_sql})
            )
        )
    """
    return f"{whole} UNION ALL BY NAME SELECT * EXCLUDE (p) FROM ({spread})"


def dated_rows(by: str, coarse: str = "drop") -> str:
    """The rows of :func:`marked_rows` that a ``by`` period series counts."""
    return f"SELECT * EXCLUDE (left_out) FROM ({marked_rows(by, coarse)}) WHERE left_out IS NULL"


@dataclass(frozen=True)
class Measures:
    """SQL aggregates over :func:`dated_rows`: counts and Goldstein totals, weighted when
    coarse events are spread (counts are then fractions), plain counts otherwise."""

    spread: bool

    def count(self, condition: str | None = None) -> str:
        where = f" FILTER (WHERE {condition})" if condition else ""
        if self.spread:
            return f"round(coalesce(sum(weight){where}, 0), 4)"
        return f"count(*){where}"

    def goldstein_total(self) -> str:
        """The unrounded sum of the Goldstein scores."""
        return "sum(weight * goldstein)" if self.spread else "sum(goldstein)"

    def goldstein_sum(self) -> str:
        return f"coalesce(round({self.goldstein_total()}, 2), 0)"

    def goldstein_mean(self) -> str:
        if self.spread:
            return (
                "round(sum(weight * goldstein) / "
                "nullif(sum(weight) FILTER (WHERE goldstein IS NOT NULL), 0), 3)"
            )
        return "round(avg(goldstein), 3)"


def left_out(
    store: Database, base: str, params: list[Any], by: str, coarse: str
) -> tuple[int, int]:
    """How many events of the selection a ``by`` series leaves out: those dated less precisely
    than the period (only when ``coarse`` is ``drop``), and those without a date."""
    row = store.con.execute(
        f"WITH e AS ({base}) SELECT count(*) FILTER (WHERE left_out = 'coarse'), "
        f"count(*) FILTER (WHERE left_out = 'undated') FROM ({marked_rows(by, coarse)})",
        params,
    ).fetchone()
    return (int(row[0]), int(row[1])) if row else (0, 0)


# --- dyad timelines -----------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineRow:
    """The events between two actors in one period."""

    period: str
    """The period's label: ``2016-12-03``, ``2016-W48``, ``2016-12`` or ``2016``."""
    start: dt.date
    events: int
    verbal_coop: int
    material_coop: int
    verbal_conflict: int
    material_conflict: int
    goldstein_sum: float
    goldstein_mean: float | None
    """None for a period without events (only when gaps are filled)."""
    net_cooperation: int
    """Cooperative events (QuadClass 1, 2) minus conflictual ones (QuadClass 3, 4)."""
    a_to_b: int
    """Events with the first actor as source and the second as target."""
    b_to_a: int
    roots: tuple[int, ...]
    """Event counts per CAMEO root, in the order of :data:`ROOTS` (01 ... 20)."""

    def as_dict(self) -> dict[str, Any]:
        """A flat row: the counts per root become columns ``root_01`` ... ``root_20``."""
        row = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        row["start"] = self.start.isoformat()
        roots = row.pop("roots")
        row.update({f"root_{root}": n for root, n in zip(ROOTS, roots, strict=True)})
        return row


@dataclass(frozen=True)
class Timeline:
    """A dyad timeline: one row per period, oldest first, and what it left out."""

    actor_a: str
    actor_b: str
    by: Period
    directed: bool
    rows: tuple[TimelineRow, ...]
    coarse: Coarse = "drop"
    """What was done with events dated less precisely than the period (:func:`dated_rows`)."""
    left_out_coarse: int = 0
    """Events left out because their date is less precise than the period (``coarse`` drop):
    a year-dated event in a month series."""
    left_out_undated: int = 0
    """Events left out because they have no date."""

    def __iter__(self) -> Iterator[TimelineRow]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def as_dicts(self) -> list[dict[str, Any]]:
        return [row.as_dict() for row in self.rows]

    def to_pandas(self) -> pandas.DataFrame:
        """The rows as a pandas DataFrame indexed by the period's first day."""
        import pandas

        frame = pandas.DataFrame(self.as_dicts())
        if frame.empty:
            return frame
        frame["start"] = pandas.to_datetime(frame["start"])
        return frame.set_index("start")

    def plot(self, title: str | None = None) -> Figure:
        """A chart of the timeline (see :func:`plot_timeline`)."""
        return plot_timeline(self, title)


def dyad_timeline(
    store: Database,
    actor_a: str,
    actor_b: str,
    by: Period = "month",
    *,
    directed: bool = False,
    fill: bool = False,
    coarse: Coarse = "drop",
    query: EventQuery | None = None,
    **filters: Any,
) -> Timeline:
    """Per period, the events between two actors (each a country such as ``RUS`` or a code
    prefix such as ``RUSGOV``; both directions unless ``directed``): counts per QuadClass and
    per root, Goldstein sum and mean, net cooperation. Events without a date are left out, and
    so are events dated less precisely than the period unless ``coarse`` is ``include`` or
    ``spread`` (:func:`dated_rows`); the timeline says how many it left out. ``fill`` adds
    empty periods between the first and the last, so a chart shows the gaps. ``filters`` are
    :class:`EventQuery` fields, e.g. ``include_background=False``; by default only asserted
    events count."""
    _check(by, PERIOD_FORMATS, "period")
    query = make_query(query, **filters)
    query = dataclasses.replace(query, dyad=(actor_a, actor_b), directed=directed)
    base, params = selection(store, query, ordered=False)
    one_way = f"({actor_condition('source')} AND {actor_condition('target')})"
    m = Measures(coarse == "spread")
    roots = ", ".join(m.count(f"root_code = '{root}'") for root in ROOTS)
    sql = f"""
        WITH e AS ({base}), d AS ({marked_rows(by, coarse)})
        SELECT period_start AS start,
               left_out,
               {m.count()} AS events,
               {m.count("quad_class = 1")} AS verbal_coop,
               {m.count("quad_class = 2")} AS material_coop,
               {m.count("quad_class = 3")} AS verbal_conflict,
               {m.count("quad_class = 4")} AS material_conflict,
               {m.goldstein_sum()} AS goldstein_sum,
               {m.goldstein_mean()} AS goldstein_mean,
               {m.count(one_way)} AS a_to_b,
               {m.count(one_way)} AS b_to_a,
               [{roots}] AS roots
        FROM d
        GROUP BY 1, 2 ORDER BY 1
    """
    pair = [actor_a, actor_a, actor_b, actor_b, actor_b, actor_b, actor_a, actor_a]
    found = _rows(store, sql, [*params, *pair])
    rows = [_timeline_row(r, by) for r in found if r["left_out"] is None]
    if fill:
        rows = _fill_gaps(rows, by)
    out = {r["left_out"]: int(r["events"]) for r in found if r["left_out"] is not None}
    return Timeline(
        actor_a,
        actor_b,
        by,
        directed,
        tuple(rows),
        coarse,
        left_out_coarse=out.get("coarse", 0),
        left_out_undated=out.get("undated", 0),
    )


def _timeline_row(r: dict[str, Any], by: str) -> TimelineRow:
    start: dt.date = r["start"]
    coop = r["verbal_coop"] + r["material_coop"]
    conflict = r["verbal_conflict"] + r["material_conflict"]
    return TimelineRow(
        period=start.strftime(PERIOD_FORMATS[by]),
        start=start,
        events=r["events"],
        verbal_coop=r["verbal_coop"],
        material_coop=r["material_coop"],
        verbal_conflict=r["verbal_conflict"],
        material_conflict=r["material_conflict"],
        goldstein_sum=float(r["goldstein_sum"]),
        goldstein_mean=None if r["goldstein_mean"] is None else float(r["goldstein_mean"]),
        net_cooperation=coop - conflict,
        a_to_b=r["a_to_b"],
        b_to_a=r["b_to_a"],
        roots=tuple(r["roots"]),
    )


def next_period(start: dt.date, by: str) -> dt.date:
    """The first day of the period after the one starting on ``start``."""
    if by == "day":
        return start + dt.timedelta(days=1)
    if by == "week":
        return start + dt.timedelta(days=7)
    if by == "month":
        return dt.date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return dt.date(start.year + 1, 1, 1)


def _fill_gaps(rows: list[TimelineRow], by: str) -> list[TimelineRow]:
    if not rows:
        return rows
    known = {row.start: row for row in rows}
    filled = []
    start = rows[0].start
    while start <= rows[-1].start:
        filled.append(known.get(start) or _empty_row(start, by))
        start = next_period(start, by)
    return filled


def _empty_row(start: dt.date, by: str) -> TimelineRow:
    zeros = dict.fromkeys((*QUAD_COLUMNS, "events", "net_cooperation", "a_to_b", "b_to_a"), 0)
    return TimelineRow(
        period=start.strftime(PERIOD_FORMATS[by]),
        start=start,
        goldstein_sum=0.0,
        goldstein_mean=None,
        roots=(0,) * len(ROOTS),
        **zeros,
    )


# --- actor networks -----------------------------------------------------------------------


@dataclass(frozen=True)
class Edge:
    """Events from one actor to another (directed)."""

    source: str
    target: str
    events: int
    goldstein_sum: float
    goldstein_mean: float
    cooperation: int
    """Events of QuadClass 1 or 2."""
    conflict: int
    """Events of QuadClass 3 or 4."""

    def weight(self, by: Weight = "count") -> float:
        return float(self.events) if by == "count" else self.goldstein_sum


@dataclass(frozen=True)
class Node:
    """An actor of the network with the events on its edges."""

    actor: str
    events: int
    as_source: int
    as_target: int


@dataclass(frozen=True)
class Network:
    """Who interacts with whom: directed edges between actors, heaviest first."""

    level: Level
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]

    def edge_dicts(self) -> list[dict[str, Any]]:
        return [dataclasses.asdict(e) for e in self.edges]

    def node_dicts(self) -> list[dict[str, Any]]:
        return [dataclasses.asdict(n) for n in self.nodes]

    def to_networkx(self, weight: Weight = "count") -> networkx.DiGraph:
        """A networkx DiGraph; every edge carries its fields and ``weight`` (the event count
        or the Goldstein sum)."""
        import networkx

        _check(weight, WEIGHTS, "weight")
        graph = networkx.DiGraph(level=self.level, weight=weight)
        for node in self.nodes:
            graph.add_node(node.actor, **dataclasses.asdict(node))
        for edge in self.edges:
            fields = dataclasses.asdict(edge)
            del fields["source"], fields["target"]
            graph.add_edge(edge.source, edge.target, weight=edge.weight(weight), **fields)
        return graph

    def plot(self, weight: Weight = "count", max_edges: int = 60) -> Figure:
        """A chart of the network (see :func:`plot_network`)."""
        return plot_network(self, weight, max_edges)


def actor_network(
    store: Database,
    level: Level = "country",
    *,
    min_events: int = 1,
    self_loops: bool = False,
    query: EventQuery | None = None,
    **filters: Any,
) -> Network:
    """Directed edges between actors (``level`` country or full code; see :func:`actor_key`)
    with their event counts and Goldstein totals, for events that have both a source and a
    target. Edges with fewer than ``min_events`` are dropped; ``self_loops`` keeps events
    within one actor (a government against its own rebels)."""
    query = make_query(query, **filters)
    base, params = selection(store, query, ordered=False)
    loops = "" if self_loops else "AND source <> target"
    sql = f"""
        WITH e AS ({base}),
        k AS (SELECT {actor_key("source", level)} AS source, {actor_key("target", level)} AS target,
                     goldstein, quad_class FROM e)
        SELECT source, target, count(*) AS events,
               round(sum(goldstein), 2) AS goldstein_sum,
               round(avg(goldstein), 3) AS goldstein_mean,
               count(*) FILTER (WHERE quad_class <= 2) AS cooperation,
               count(*) FILTER (WHERE quad_class >= 3) AS conflict
        FROM k WHERE source IS NOT NULL AND target IS NOT NULL {loops}
        GROUP BY 1, 2 HAVING count(*) >= ?
        ORDER BY events DESC, source, target
    """
    edges = _records(store, sql, [*params, min_events], Edge)
    return Network(level, _nodes(edges), edges)


def _nodes(edges: tuple[Edge, ...]) -> tuple[Node, ...]:
    out: dict[str, int] = {}
    into: dict[str, int] = {}
    loops: dict[str, int] = {}
    for edge in edges:
        out[edge.source] = out.get(edge.source, 0) + edge.events
        into[edge.target] = into.get(edge.target, 0) + edge.events
        if edge.source == edge.target:
            loops[edge.source] = edge.events
    actors = set(out) | set(into)
    nodes = [
        Node(a, out.get(a, 0) + into.get(a, 0) - loops.get(a, 0), out.get(a, 0), into.get(a, 0))
        for a in actors
    ]
    return tuple(sorted(nodes, key=lambda n: (-n.events, n.actor)))


# --- top lists ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ActorActivity:
    """How active an actor is: events it takes part in, as source and as target."""

    actor: str
    events: int
    as_source: int
    as_target: int
    goldstein_sum: float


@dataclass(frozen=True)
class CodeCount:
    """How often a CAMEO event code occurs."""

    code: str
    name: str
    events: int
    goldstein_sum: float


@dataclass(frozen=True)
class Swing:
    """The change in a dyad's Goldstein sum from one period to the next."""

    actor_a: str
    actor_b: str
    period: str
    previous_period: str
    goldstein_sum: float
    previous_goldstein_sum: float
    change: float
    events: int
    previous_events: int


def top_actors(
    store: Database,
    n: int = 10,
    level: Level = "country",
    *,
    query: EventQuery | None = None,
    **filters: Any,
) -> tuple[ActorActivity, ...]:
    """The ``n`` actors in the most events (on either side)."""
    base, params = selection(store, make_query(query, **filters), ordered=False)
    sql = f"""
        WITH e AS ({base}),
        sides AS (
            SELECT id, {actor_key("source", level)} AS actor, 1 AS src, 0 AS tgt, goldstein FROM e
            UNION ALL
            SELECT id, {actor_key("target", level)}, 0, 1, goldstein FROM e
        ),
        per_event AS (
            SELECT actor, id, max(src) AS src, max(tgt) AS tgt, any_value(goldstein) AS g
            FROM sides WHERE actor IS NOT NULL GROUP BY actor, id
        )
        SELECT actor, count(*) AS events, sum(src) AS as_source, sum(tgt) AS as_target,
               round(sum(g), 2) AS goldstein_sum
        FROM per_event
        GROUP BY actor ORDER BY events DESC, actor LIMIT ?
    """
    return _records(store, sql, [*params, _limit(n)], ActorActivity)


def top_codes(
    store: Database, n: int = 10, *, query: EventQuery | None = None, **filters: Any
) -> tuple[CodeCount, ...]:
    """The ``n`` most common CAMEO event codes."""
    base, params = selection(store, make_query(query, **filters), ordered=False)
    sql = f"""
        WITH e AS ({base})
        SELECT code, any_value(name) AS name, count(*) AS events,
               round(sum(goldstein), 2) AS goldstein_sum
        FROM e GROUP BY code ORDER BY events DESC, code LIMIT ?
    """
    return _records(store, sql, [*params, _limit(n)], CodeCount)


def top_swings(
    store: Database,
    n: int = 10,
    by: Period = "month",
    level: Level = "country",
    *,
    coarse: Coarse = "drop",
    query: EventQuery | None = None,
    **filters: Any,
) -> tuple[Swing, ...]:
    """The ``n`` biggest changes of a dyad's Goldstein sum (both directions together) from one
    period to the next. A period without events counts as 0; only periods after the first
    and up to the last period of the selected events are compared. Events dated less
    precisely than the period are left out unless ``coarse`` says otherwise (:func:`dated_rows`)."""
    _check(by, PERIOD_FORMATS, "period")
    base, params = selection(store, make_query(query, **filters), ordered=False)
    step = f"INTERVAL 1 {by.upper()}"
    m = Measures(coarse == "spread")
    sql = f"""
        WITH e AS ({base}), dated AS ({dated_rows(by, coarse)}),
        k AS (SELECT {actor_key("source", level)} AS a, {actor_key("target", level)} AS b,
                     period_start AS start, goldstein, weight
              FROM dated),
        d AS (SELECT least(a, b) AS actor_a, greatest(a, b) AS actor_b, start,
                     {m.count()} AS events, {m.goldstein_total()} AS g
              FROM k WHERE a IS NOT NULL AND b IS NOT NULL AND a <> b GROUP BY 1, 2, 3),
        bounds AS (SELECT min(start) AS first, max(start) AS last FROM k),
        pairs AS (
            SELECT coalesce(c.actor_a, p.actor_a) AS actor_a,
                   coalesce(c.actor_b, p.actor_b) AS actor_b,
                   coalesce(c.start, CAST(p.start + {step} AS DATE)) AS start,
                   coalesce(c.g, 0) AS g, coalesce(p.g, 0) AS pg,
                   coalesce(c.events, 0) AS events, coalesce(p.events, 0) AS previous_events
            FROM d AS c FULL JOIN d AS p
              ON c.actor_a = p.actor_a AND c.actor_b = p.actor_b
             AND c.start = CAST(p.start + {step} AS DATE)
        )
        SELECT actor_a, actor_b, start, CAST(start - {step} AS DATE) AS previous,
               round(g, 2) AS g, round(pg, 2) AS pg, round(g - pg, 2) AS change,
               events, previous_events
        FROM pairs, bounds WHERE start > bounds.first AND start <= bounds.last
        ORDER BY abs(g - pg) DESC, start, actor_a, actor_b LIMIT ?
    """
    fmt = PERIOD_FORMATS[by]
    return tuple(
        Swing(
            actor_a=r["actor_a"],
            actor_b=r["actor_b"],
            period=r["start"].strftime(fmt),
            previous_period=r["previous"].strftime(fmt),
            goldstein_sum=float(r["g"]),
            previous_goldstein_sum=float(r["pg"]),
            change=float(r["change"]),
            events=r["events"],
            previous_events=r["previous_events"],
        )
        for r in _rows(store, sql, [*params, _limit(n)])
    )


# --- charts -------------------------------------------------------------------------------

QUAD_STYLE = (
    ("verbal_coop", "verbal cooperation", "#74c476"),
    ("material_coop", "material cooperation", "#238b45"),
    ("verbal_conflict", "verbal conflict", "#fd8d3c"),
    ("material_conflict", "material conflict", "#cb181d"),
)


def plot_timeline(timeline: Timeline, title: str | None = None) -> Figure:
    """Two panels over time: events per QuadClass (cooperation above the axis, conflict below)
    and the Goldstein sum per period (green above zero, red below)."""
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, date2num
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    figure = Figure(figsize=(10, 6), layout="constrained")
    counts, goldstein = figure.subplots(2, 1, sharex=True, height_ratios=(3, 2))
    rows = timeline.rows
    starts = [date2num(r.start) for r in rows]
    widths = [0.8 * (date2num(next_period(r.start, timeline.by)) - date2num(r.start)) for r in rows]
    below = [0.0] * len(rows)
    above = [0.0] * len(rows)
    for column, label, color in QUAD_STYLE:
        sign = 1 if "coop" in column else -1
        heights = [sign * getattr(r, column) for r in rows]
        bottom = above if sign > 0 else below
        counts.bar(starts, heights, widths, bottom=bottom, align="edge", color=color, label=label)
        for i, h in enumerate(heights):
            bottom[i] += h
    for x, width, up, down in zip(starts, widths, above, below, strict=True):
        for total, va in ((up, "bottom"), (down, "top")):
            if total:
                counts.text(x + width / 2, total, f"{abs(total):g}", ha="center", va=va, size=8)
    counts.axhline(0, color="black", linewidth=0.8)
    counts.set_ylabel("events (conflict below 0)")
    counts.set_ylim(min(below, default=0) * 1.2 - 0.6, max(above, default=0) * 1.15 + 0.6)
    counts.yaxis.set_major_locator(MaxNLocator(integer=True))
    counts.legend(loc="upper left", fontsize="small", frameon=False, ncols=2)
    sums = [r.goldstein_sum for r in rows]
    colors = ["#238b45" if s >= 0 else "#cb181d" for s in sums]
    bars = goldstein.bar(starts, sums, widths, align="edge", color=colors)
    goldstein.bar_label(bars, labels=[f"{s:g}" if s else "" for s in sums], size=8, padding=2)
    low, high = min(0.0, *sums), max(0.0, *sums)
    goldstein.set_ylim(low - 0.15 * (high - low) - 0.5, high + 0.15 * (high - low) + 0.5)
    goldstein.axhline(0, color="black", linewidth=0.8)
    goldstein.set_ylabel("Goldstein sum")
    locator = AutoDateLocator()
    goldstein.xaxis.set_major_locator(locator)
    goldstein.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    for axes in (counts, goldstein):
        axes.grid(axis="y", alpha=0.3)
        axes.spines[["top", "right"]].set_visible(False)
    arrow = "→" if timeline.directed else "–"
    figure.suptitle(
        title or f"{timeline.actor_a} {arrow} {timeline.actor_b}: events per {timeline.by}",
        fontsize="large",
    )
    return figure


def plot_network(network: Network, weight: Weight = "count", max_edges: int = 60) -> Figure:
    """The ``max_edges`` heaviest edges: width by weight, colour by mean Goldstein
    (red conflictual, green cooperative), node size by events."""
    import networkx
    from matplotlib import colormaps
    from matplotlib.colors import Normalize
    from matplotlib.figure import Figure

    _check(weight, WEIGHTS, "weight")
    edges = sorted(network.edges, key=lambda e: -abs(e.weight(weight)))[:max_edges]
    kept = Network(network.level, network.nodes, tuple(edges))
    graph = kept.to_networkx(weight)
    graph.remove_nodes_from([n for n in list(graph) if graph.degree(n) == 0])
    figure = Figure(figsize=(10, 8), layout="constrained")
    axes = figure.subplots()
    axes.set_axis_off()
    if graph.number_of_nodes() == 0:
        axes.text(0.5, 0.5, "no events with both a source and a target", ha="center")
        return figure
    layout = _circle_layout(graph)
    biggest = max(abs(e.weight(weight)) for e in edges) or 1.0
    cmap, norm = colormaps["RdYlGn"], Normalize(-6, 6)
    networkx.draw_networkx_edges(
        graph,
        layout,
        ax=axes,
        width=[0.8 + 5 * abs(d["weight"]) / biggest for *_, d in graph.edges(data=True)],
        edge_color=[cmap(norm(d["goldstein_mean"])) for *_, d in graph.edges(data=True)],
        arrowsize=12,
        connectionstyle="arc3,rad=0.1",
        node_size=[_node_size(graph, n) for n in graph],
    )
    networkx.draw_networkx_nodes(
        graph,
        layout,
        ax=axes,
        node_size=[_node_size(graph, n) for n in graph],
        node_color="#deebf7",
        edgecolors="#3182bd",
    )
    networkx.draw_networkx_labels(graph, layout, ax=axes, font_size=9)
    colorbar = figure.colorbar(
        _scalar_mappable(cmap, norm), ax=axes, shrink=0.5, label="mean Goldstein of the edge"
    )
    colorbar.outline.set_visible(False)
    measure = "events" if weight == "count" else "|Goldstein sum|"
    axes.set_title(f"Actor network ({network.level}; edge width: {measure})")
    return figure


def _circle_layout(graph: networkx.DiGraph) -> dict[str, Any]:
    """Actors on a circle, each connected group together, the busiest first: deterministic and
    readable for the few dozen edges a chart can show."""
    import networkx

    groups = sorted(
        networkx.weakly_connected_components(graph),
        key=lambda g: (-sum(graph.nodes[n]["events"] for n in g), min(g)),
    )
    order = [n for g in groups for n in sorted(g, key=lambda n: (-graph.nodes[n]["events"], n))]
    return dict(networkx.circular_layout(order))


def _node_size(graph: networkx.DiGraph, node: str) -> float:
    return 200 + 60 * graph.nodes[node]["events"] ** 0.5


def _scalar_mappable(cmap: Any, norm: Any) -> Any:
    from matplotlib.cm import ScalarMappable

    return ScalarMappable(norm=norm, cmap=cmap)
