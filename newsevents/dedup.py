"""One event, many reports: grouping the mentions of an event across articles.

Every coded event is a *mention*: one sentence of one article. Mentions with the same source
actor code, target actor code, CAMEO root code (the family: ``040`` and ``043`` alike) and
polarity (:func:`polarity`: an event that happened or is planned, one that did not, one only
called for) are one event when their dates agree within :data:`TOLERANCE_DAYS`:

* mentions dated to a day or a short range (:data:`FINE_SPAN_DAYS` at most) are taken in date
  order: the earliest not yet grouped opens an event, and every later mention that starts at
  most :data:`TOLERANCE_DAYS` after the opener's last day joins it — an event covers two days at
  most, however many stories follow each other day after day;
* a coarser mention ("in May", "in 2016") joins the one event its period overlaps; when it
  overlaps none or several (it cannot say which it means) it is an event with the other coarse
  mentions of the same period;
* undated background mentions of the same key (a standing state, "Tokyo's sanctions") are one
  event; other undated mentions (articles with no publication date) stay apart.

The grouping is a function of the stored mentions alone, so neither the order articles arrive in
nor re-ingesting changes it. A write regroups only around what it changed: the runs of finely
dated mentions of the keys it touched (a run ends where the next mention starts more than the
tolerance after the run's last day, and no event crosses such a gap) and the coarse mentions
overlapping them; the result is the same as regrouping everything.

Exact copies of a stored article (the same normalised text, another id or URL) are not coded
again: they are recorded as :class:`ArticleCopy` rows and counted in each event's
``num_articles``, ``num_sources`` and ``num_mentions``. The SQL below keeps the groups
(``event_groups``, ``event_group_mentions``, ``mention_keys``), the copies
(``article_copies``) and the views the queries read (``deduplicated_events``,
``event_mentions``); docs/output.md documents them, docs/context.md the rules.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import duckdb
import pyarrow as pa

from .model import Event

TOLERANCE_DAYS = 1
"""Dates of the same event may differ by this many days (a story filed after midnight, a
"yesterday" read against the next day's paper)."""
FINE_SPAN_DAYS = 7
"""A mention whose date covers at most this many days is dated finely enough to open events."""
PRECISION_RANK = {"day": 0, "month": 1, "year": 2}
SEPARATE_MODALITIES = ("negated", "hypothetical")
"""Modalities kept apart from the rest: "did not sign" is not "signed"; "will visit" and
"visited" report the same visit."""
KEY_SQL = (
    "coalesce(source_code, '') || '|' || coalesce(target_code, '') || '|' || "
    "coalesce(root_code, '') || '|' || "
    "CASE WHEN modality IN ('negated', 'hypothetical') THEN modality ELSE '' END"
)
"""The grouping key of a row of the events table, as SQL (to fill ``group_key`` in old stores)."""

DEDUP_SCHEMA = """
ALTER TABLE events ADD COLUMN IF NOT EXISTS group_key VARCHAR;
ALTER TABLE events ADD COLUMN IF NOT EXISTS location_feature VARCHAR;
CREATE TABLE IF NOT EXISTS event_groups (
    id VARCHAR PRIMARY KEY,
    key VARCHAR NOT NULL,
    representative VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS event_group_mentions (
    mention_id VARCHAR PRIMARY KEY,
    group_id VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS mention_keys (
    mention_id VARCHAR PRIMARY KEY,
    key VARCHAR NOT NULL,
    date_start DATE,
    date_last DATE,
    precision VARCHAR,
    background BOOLEAN
);
CREATE TABLE IF NOT EXISTS article_copies (
    id VARCHAR PRIMARY KEY,
    copy_of VARCHAR NOT NULL,
    content_hash VARCHAR,
    title VARCHAR,
    source VARCHAR,
    published DATE,
    url VARCHAR,
    origin VARCHAR,
    recorded_at TIMESTAMP
);
CREATE OR REPLACE VIEW event_reports AS
    SELECT m.group_id, m.mention_id, e.article_id AS report_id, a.source AS report_source
    FROM event_group_mentions m
    JOIN events e ON e.id = m.mention_id
    JOIN articles a ON a.id = e.article_id
    UNION ALL
    SELECT m.group_id, m.mention_id, c.id AS report_id, c.source AS report_source
    FROM event_group_mentions m
    JOIN events e ON e.id = m.mention_id
    JOIN article_copies c ON c.copy_of = e.article_id;
CREATE OR REPLACE VIEW deduplicated_events AS
    SELECT e.*, g.id AS event_group, r.num_mentions, r.num_sources, r.num_articles,
           r.mention_ids
    FROM event_groups g
    JOIN events e ON e.id = g.representative,
    LATERAL (
        SELECT count(*) AS num_mentions,
               count(DISTINCT coalesce(lower(report_source), report_id)) AS num_sources,
               count(DISTINCT report_id) AS num_articles,
               list(DISTINCT mention_id ORDER BY mention_id) AS mention_ids
        FROM event_reports x WHERE x.group_id = g.id
    ) r;
CREATE OR REPLACE VIEW event_mentions AS
    SELECT e.*, m.group_id AS event_group
    FROM events e LEFT JOIN event_group_mentions m ON m.mention_id = e.id;
"""

COPY_COLUMNS = (
    "id",
    "copy_of",
    "content_hash",
    "title",
    "source",
    "published",
    "url",
    "origin",
    "recorded_at",
)


@dataclass(frozen=True)
class ArticleCopy:
    """An article whose text is exactly that of one already coded (``copy_of``)."""

    id: str
    copy_of: str
    content_hash: str
    title: str | None = None
    source: str | None = None
    published: dt.date | None = None
    url: str | None = None
    origin: str | None = None


@dataclass(frozen=True)
class Mention:
    """What grouping needs of one stored event: its key and the days its date covers."""

    id: str
    key: str
    start: dt.date | None
    last: dt.date | None
    precision: str | None
    background: bool = False

    @property
    def span_days(self) -> int:
        if self.start is None or self.last is None:
            return 0
        return (self.last - self.start).days

    @property
    def is_fine(self) -> bool:
        return self.start is not None and self.span_days <= FINE_SPAN_DAYS


@dataclass(frozen=True)
class Group:
    """The mentions of one event, and the one whose date and wording represent it."""

    id: str
    key: str
    representative: str
    mentions: tuple[str, ...]


def event_key(event: Event) -> str:
    """The grouping key of an event record (the same as :data:`KEY_SQL` on its row)."""
    return "|".join(
        [
            event.source.code if event.source else "",
            event.target.code if event.target else "",
            event.root_code or "",
            polarity(event.modality),
        ]
    )


def polarity(modality: str | None) -> str:
    """``negated`` and ``hypothetical`` stay themselves; asserted and future events are one."""
    return modality if modality in SEPARATE_MODALITIES else ""


def mention_of(event: Event) -> Mention:
    """The grouping view of a coded event."""
    date = event.date
    if date is None:
        return Mention(event.id, event_key(event), None, None, None, event.background)
    start = day_bounds(date.value)[0]
    last = max(day_bounds(date.end or date.value)[1], start)
    return Mention(event.id, event_key(event), start, last, date.precision, event.background)


def day_bounds(value: str) -> tuple[dt.date, dt.date]:
    """The first and last day an ISO date at its precision covers (``2016-05``: 1-31 May)."""
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 3:
        day = dt.date(*parts)
        return day, day
    if len(parts) == 2:
        days = calendar.monthrange(parts[0], parts[1])[1]
        return dt.date(parts[0], parts[1], 1), dt.date(parts[0], parts[1], days)
    return dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31)


# --- the grouping rule ----------------------------------------------------------------------


def group_mentions(mentions: Iterable[Mention]) -> list[Group]:
    """Group mentions (of any keys) into events: the rule, on a complete set of mentions."""
    by_key: dict[str, list[Mention]] = {}
    for mention in mentions:
        by_key.setdefault(mention.key, []).append(mention)
    assigned: dict[str, str] = {}
    for key, members in by_key.items():
        fine = fine_groups(key, [m for m in members if m.is_fine])
        assigned.update({m.id: gid for gid, group in fine.items() for m in group})
        spans = [(gid, _first(g), _last(g)) for gid, g in fine.items()]
        assigned.update(
            coarse_groups(key, [m for m in members if m.start and not m.is_fine], spans)
        )
        assigned.update(undated_groups([m for m in members if m.start is None]))
    everything = {m.id: m for members in by_key.values() for m in members}
    groups: dict[str, list[Mention]] = {}
    for mention_id, group_id in assigned.items():
        groups.setdefault(group_id, []).append(everything[mention_id])
    return sorted(
        (
            Group(gid, ms[0].key, min(ms, key=representative_order).id, _ids(ms))
            for gid, ms in groups.items()
        ),
        key=lambda g: g.id,
    )


def fine_groups(key: str, fine: Sequence[Mention]) -> dict[str, list[Mention]]:
    """Finely dated mentions of one key, each event opened by its earliest mention."""
    groups: dict[str, list[Mention]] = {}
    opener: Mention | None = None
    for mention in sorted(fine, key=_date_order):
        assert mention.start is not None and mention.last is not None
        if opener is None or _gap(opener, mention) > TOLERANCE_DAYS:
            opener = mention
            groups[group_id(key, mention.id)] = []
        groups[group_id(key, opener.id)].append(mention)
    return groups


def coarse_groups(
    key: str, coarse: Sequence[Mention], spans: Sequence[tuple[str, dt.date, dt.date]]
) -> dict[str, str]:
    """Coarse mentions of one key: into the one event they overlap (``spans`` are the fine
    events' ids and days), else into the event of their period."""
    tolerance = dt.timedelta(days=TOLERANCE_DAYS)
    assigned = {}
    for mention in coarse:
        assert mention.start is not None and mention.last is not None
        overlapping = {
            gid
            for gid, first, last in spans
            if first <= mention.last + tolerance and mention.start <= last + tolerance
        }
        if len(overlapping) == 1:
            assigned[mention.id] = overlapping.pop()
        else:
            assigned[mention.id] = group_id(key, f"period {mention.start} {mention.last}")
    return assigned


def undated_groups(undated: Sequence[Mention]) -> dict[str, str]:
    """Undated standing states of a key are one event; other undated mentions their own."""
    return {m.id: group_id(m.key, "standing state" if m.background else m.id) for m in undated}


def group_id(key: str, anchor: str) -> str:
    return "g" + hashlib.sha1(f"{key}|{anchor}".encode()).hexdigest()[:16]


def representative_order(mention: Mention) -> tuple[Any, ...]:
    """The most precise date first, then the shortest span, the earliest, the lowest id."""
    rank = PRECISION_RANK.get(mention.precision or "", 3)
    return (rank, mention.span_days, mention.start or dt.date.max, mention.id)


def _gap(opener: Mention, mention: Mention) -> int:
    """Days from the opener's last day to the mention's first."""
    assert opener.last is not None and mention.start is not None
    return (mention.start - opener.last).days


def _date_order(mention: Mention) -> tuple[Any, ...]:
    return (mention.start, mention.last, mention.id)


def _first(group: Sequence[Mention]) -> dt.date:
    return min(m.start for m in group if m.start is not None)


def _last(group: Sequence[Mention]) -> dt.date:
    return max(m.last for m in group if m.last is not None)


def _ids(mentions: Sequence[Mention]) -> tuple[str, ...]:
    return tuple(m.id for m in sorted(mentions, key=lambda m: (m.start or dt.date.max, m.id)))


# --- keeping the groups in the store --------------------------------------------------------

_RUNS_SQL = f"""
WITH fine AS (
    SELECT k.key, k.date_start AS s, k.date_last AS l FROM mention_keys k
    JOIN dedup_reach r ON r.key = k.key AND k.date_start <= r.hi AND k.date_last >= r.lo
    WHERE date_diff('day', k.date_start, k.date_last) <= {FINE_SPAN_DAYS}
), ordered AS (
    SELECT key, s, l, max(l) OVER (
        PARTITION BY key ORDER BY s, l ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
    ) AS before FROM fine
), numbered AS (
    SELECT key, s, l, sum(CASE WHEN before IS NULL OR s > before + {TOLERANCE_DAYS}
                          THEN 1 ELSE 0 END)
        OVER (PARTITION BY key ORDER BY s, l ROWS UNBOUNDED PRECEDING) AS run
    FROM ordered
), runs AS (SELECT key, run, min(s) AS lo, max(l) AS hi FROM numbered GROUP BY key, run)
SELECT DISTINCT r.key, r.lo, r.hi FROM runs r JOIN dedup_touched t ON t.key = r.key
    AND r.lo <= t.hi + {TOLERANCE_DAYS} AND t.lo <= r.hi + {TOLERANCE_DAYS}
"""
"""The runs of finely dated mentions (no gap over the tolerance inside a run) that the touched
mentions fall in or beside, among the mentions within reach (``dedup_reach``)."""

_AROUND_SQL = f"""
SELECT DISTINCT k.mention_id, k.key, k.date_start, k.date_last, k.precision, k.background,
       m.group_id
FROM mention_keys k
JOIN dedup_windows w ON w.key = k.key AND CASE
    WHEN date_diff('day', k.date_start, k.date_last) <= {FINE_SPAN_DAYS}
    THEN k.date_start <= w.hi AND k.date_last >= w.lo
    ELSE k.date_start <= w.hi + {TOLERANCE_DAYS} AND k.date_last >= w.lo - {TOLERANCE_DAYS}
END
LEFT JOIN event_group_mentions m ON m.mention_id = k.mention_id
"""

_OUTSIDE_SQL = f"""
SELECT DISTINCT k.key, m.group_id, k.date_start, k.date_last
FROM mention_keys k
JOIN dedup_periods p ON p.key = k.key AND k.date_start <= p.hi AND k.date_last >= p.lo
JOIN event_group_mentions m ON m.mention_id = k.mention_id
WHERE date_diff('day', k.date_start, k.date_last) <= {FINE_SPAN_DAYS}
  AND NOT EXISTS (SELECT 1 FROM dedup_windows w WHERE w.key = k.key
                  AND k.date_start <= w.hi AND k.date_last >= w.lo)
"""
FIRST_REACH_DAYS = 32
"""How far around the touched dates the first search for runs looks; widened while a run
reaches its edge."""


@dataclass(frozen=True)
class Forgotten:
    """The grouping rows of removed mentions: what :func:`regroup` must regroup around."""

    mentions: tuple[Mention, ...] = ()
    groups: frozenset[str] = frozenset()


def forget(con: duckdb.DuckDBPyConnection, article_ids: Sequence[str]) -> Forgotten:
    """Remove the grouping rows of these articles' stored events (before they are deleted)."""
    if not article_ids:
        return Forgotten()
    rows = con.execute(
        "SELECT k.mention_id, k.key, k.date_start, k.date_last, k.precision, k.background, "
        "m.group_id FROM mention_keys k "
        "LEFT JOIN event_group_mentions m ON m.mention_id = k.mention_id "
        "WHERE k.mention_id IN "
        "(SELECT id FROM events WHERE article_id IN (SELECT unnest(?)))",
        [list(article_ids)],
    ).fetchall()
    ids = [r[0] for r in rows]
    if ids:
        con.execute("DELETE FROM mention_keys WHERE mention_id IN (SELECT unnest(?))", [ids])
        con.execute(
            "DELETE FROM event_group_mentions WHERE mention_id IN (SELECT unnest(?))", [ids]
        )
    mentions = tuple(Mention(*row[:5], bool(row[5])) for row in rows)
    return Forgotten(mentions, frozenset(r[6] for r in rows if r[6]))


def remember(
    con: duckdb.DuckDBPyConnection, mentions: Sequence[Mention], replace: bool = False
) -> None:
    """Store the grouping view of new mentions (their groups follow with :func:`regroup`)."""
    if not mentions:
        return
    table = pa.table(
        {
            "mention_id": [m.id for m in mentions],
            "key": [m.key for m in mentions],
            "date_start": pa.array([m.start for m in mentions], pa.date32()),
            "date_last": pa.array([m.last for m in mentions], pa.date32()),
            "precision": pa.array([m.precision for m in mentions], pa.string()),
            "background": [m.background for m in mentions],
        }
    )
    with _registered(con, dedup_new=table):
        if replace:
            con.execute(
                "DELETE FROM mention_keys WHERE mention_id IN (SELECT mention_id FROM dedup_new)"
            )
        con.execute("INSERT INTO mention_keys SELECT * FROM dedup_new")


def regroup(
    con: duckdb.DuckDBPyConnection, added: Iterable[Mention], removed: Forgotten | None = None
) -> int:
    """Regroup around the mentions a write added (stored with :func:`remember`) or removed
    (:func:`forget`), inside the caller's transaction. Returns how many were (re)assigned."""
    removed = removed or Forgotten()
    touched = [*added, *removed.mentions]
    if not touched:
        return 0
    windows = _windows(con, [m for m in touched if m.start is not None])
    with _registered(con, dedup_windows=_spans_table(windows)):
        rows = con.execute(_AROUND_SQL).fetchall() if windows else []
        around = [Mention(*r[:5], bool(r[5])) for r in rows]
        outside = _fine_events_outside(con, [m for m in around if not m.is_fine])
    around += _undated(con, {m.key for m in touched if m.start is None})
    assigned, formed = _assign(around, outside)
    stale = {r[6] for r in rows if r[6]} | removed.groups
    _apply(con, assigned, formed, stale - formed.keys())
    return len(assigned)


def upgrade(con: duckdb.DuckDBPyConnection) -> int:
    """Group the stored events that have no grouping row (a store written before grouping, or
    rows inserted by hand). Returns how many were grouped."""
    con.execute(f"UPDATE events SET group_key = {KEY_SQL} WHERE group_key IS NULL")
    rows = con.execute(
        "SELECT id, group_key, date, date_precision, date_end, background FROM events e "
        "WHERE NOT EXISTS (SELECT 1 FROM mention_keys k WHERE k.mention_id = e.id) "
        "OR NOT EXISTS (SELECT 1 FROM event_group_mentions m WHERE m.mention_id = e.id)"
    ).fetchall()
    mentions = [_stored_mention(*row) for row in rows]
    remember(con, mentions, replace=True)
    return regroup(con, mentions)


def _stored_mention(
    id_: str, key: str, value: str | None, precision: str | None, end: str | None, bg: Any
) -> Mention:
    if value is None:
        return Mention(id_, key, None, None, None, bool(bg))
    start = day_bounds(value)[0]
    return Mention(id_, key, start, max(day_bounds(end or value)[1], start), precision, bool(bg))


@contextmanager
def _registered(con: duckdb.DuckDBPyConnection, **tables: pa.Table) -> Iterator[None]:
    """Arrow tables visible to SQL by name for the duration of a block."""
    for name, table in tables.items():
        con.register(name, table)
    try:
        yield
    finally:
        for name in tables:
            con.unregister(name)


def _spans_table(spans: Sequence[tuple[str, dt.date, dt.date]]) -> pa.Table:
    return pa.table(
        {
            "key": pa.array([s[0] for s in spans], pa.string()),
            "lo": pa.array([s[1] for s in spans], pa.date32()),
            "hi": pa.array([s[2] for s in spans], pa.date32()),
        }
    )


def _windows(
    con: duckdb.DuckDBPyConnection, dated: Sequence[Mention]
) -> list[tuple[str, dt.date, dt.date]]:
    """(key, first day, last day) stretches to regroup: the touched mentions' dates, widened
    to the whole runs of finely dated mentions they fall in or beside."""
    if not dated:
        return []
    spans = sorted({(m.key, m.start, m.last) for m in dated})  # type: ignore[misc]
    reach_days = FIRST_REACH_DAYS
    while True:
        reach = _reach(spans, reach_days)
        with _registered(con, dedup_touched=_spans_table(spans), dedup_reach=_spans_table(reach)):
            runs = [tuple(r) for r in con.execute(_RUNS_SQL).fetchall()]
        if not _clipped(runs, reach):
            break
        reach_days *= 8
    return _merged(sorted(set(spans) | set(runs)))


def _reach(
    spans: Sequence[tuple[str, dt.date, dt.date]], days: int
) -> list[tuple[str, dt.date, dt.date]]:
    """Per key, the touched days widened by ``days`` on both sides."""
    wide = dt.timedelta(days=days)
    bounds: dict[str, tuple[dt.date, dt.date]] = {}
    for key, lo, hi in spans:
        low, high = bounds.get(key, (lo, hi))
        bounds[key] = (min(low, lo), max(high, hi))
    return [(k, lo - wide, hi + wide) for k, (lo, hi) in bounds.items()]


def _clipped(runs: Sequence[tuple], reach: Sequence[tuple[str, dt.date, dt.date]]) -> bool:
    """Whether a run may go on beyond the searched stretch."""
    edge = dt.timedelta(days=TOLERANCE_DAYS + FINE_SPAN_DAYS + 1)
    limits = {key: (lo, hi) for key, lo, hi in reach}
    return any(lo <= limits[key][0] + edge or hi >= limits[key][1] - edge for key, lo, hi in runs)


def _merged(spans: Sequence[tuple]) -> list[tuple[str, dt.date, dt.date]]:
    merged: list[list[Any]] = []
    for key, lo, hi in spans:
        if merged and merged[-1][0] == key and lo <= merged[-1][2]:
            merged[-1][2] = max(merged[-1][2], hi)
        else:
            merged.append([key, lo, hi])
    return [(w[0], w[1], w[2]) for w in merged]


def _undated(con: duckdb.DuckDBPyConnection, keys: set[str]) -> list[Mention]:
    if not keys:
        return []
    rows = con.execute(
        "SELECT mention_id, key, date_start, date_last, precision, background "
        "FROM mention_keys WHERE date_start IS NULL AND key IN (SELECT unnest(?))",
        [sorted(keys)],
    ).fetchall()
    return [Mention(*r[:5], bool(r[5])) for r in rows]


def _fine_events_outside(
    con: duckdb.DuckDBPyConnection, coarse: Sequence[Mention]
) -> dict[str, list[tuple[str, dt.date, dt.date]]]:
    """Stored fine events (id, first day, last day) overlapping these coarse mentions' periods
    and lying outside the windows being regrouped (registered as ``dedup_windows``)."""
    if not coarse:
        return {}
    tolerance = dt.timedelta(days=TOLERANCE_DAYS)
    periods = [
        (m.key, m.start - tolerance, m.last + tolerance)
        for m in coarse
        if m.start is not None and m.last is not None
    ]
    with _registered(con, dedup_periods=_spans_table(periods)):
        rows = con.execute(_OUTSIDE_SQL).fetchall()
    spans: dict[tuple[str, str], tuple[dt.date, dt.date]] = {}
    for key, gid, first, last in rows:
        low, high = spans.get((key, gid), (first, last))
        spans[(key, gid)] = (min(low, first), max(high, last))
    found: dict[str, list[tuple[str, dt.date, dt.date]]] = {}
    for (key, gid), (first, last) in spans.items():
        found.setdefault(key, []).append((gid, first, last))
    return found


def _assign(
    around: Sequence[Mention], outside: dict[str, list[tuple[str, dt.date, dt.date]]]
) -> tuple[dict[str, str], dict[str, list[Mention]]]:
    """New groups of the mentions around the windows: fine ones regrouped, coarse ones joined
    to the fine events they overlap (inside the windows, or stored outside them). Returns each
    mention's group and the groups formed wholly here (with their members)."""
    assigned: dict[str, str] = {}
    by_key: dict[str, list[Mention]] = {}
    for mention in around:
        by_key.setdefault(mention.key, []).append(mention)
    for key, members in by_key.items():
        fine = fine_groups(key, [m for m in members if m.is_fine])
        assigned.update({m.id: gid for gid, group in fine.items() for m in group})
        spans = [(gid, _first(g), _last(g)) for gid, g in fine.items()] + outside.get(key, [])
        coarse = [m for m in members if m.start is not None and not m.is_fine]
        assigned.update(coarse_groups(key, coarse, spans))
        assigned.update(undated_groups([m for m in members if m.start is None]))
    joined_outside = {gid for spans in outside.values() for gid, _, _ in spans}
    everything = {m.id: m for m in around}
    formed: dict[str, list[Mention]] = {}
    for mention_id, gid in assigned.items():
        if gid not in joined_outside:
            formed.setdefault(gid, []).append(everything[mention_id])
    return assigned, formed


def _apply(
    con: duckdb.DuckDBPyConnection,
    assigned: dict[str, str],
    formed: dict[str, list[Mention]],
    stale: set[str],
) -> None:
    """Write the new assignments, the event rows of the groups formed, and drop the groups
    left without mentions."""
    if assigned:
        table = pa.table({"mention_id": list(assigned), "group_id": list(assigned.values())})
        with _registered(con, dedup_assigned=table):
            con.execute(
                "DELETE FROM event_group_mentions "
                "WHERE mention_id IN (SELECT mention_id FROM dedup_assigned)"
            )
            con.execute("INSERT INTO event_group_mentions SELECT * FROM dedup_assigned")
    if stale:
        con.execute(
            "DELETE FROM event_groups WHERE id IN (SELECT unnest(?)) AND id NOT IN "
            "(SELECT group_id FROM event_group_mentions WHERE group_id IN (SELECT unnest(?)))",
            [sorted(stale), sorted(stale)],
        )
    if formed:
        rows = [
            (gid, members[0].key, min(members, key=representative_order).id)
            for gid, members in formed.items()
        ]
        table = pa.table(
            {
                "id": [r[0] for r in rows],
                "key": [r[1] for r in rows],
                "representative": [r[2] for r in rows],
            }
        )
        with _registered(con, dedup_groups=table):
            con.execute("DELETE FROM event_groups WHERE id IN (SELECT id FROM dedup_groups)")
            con.execute("INSERT INTO event_groups SELECT * FROM dedup_groups")
