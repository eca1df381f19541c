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
  mentions of the same period. A date that runs on to the publication day ("since 2014") covers
  the period it starts in (:func:`covered_days`): "sanctions since 2014" in two stories of
  different days are one event, and the same as "the sanctions imposed in 2014";
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
(``article_copies``), each mention's group and each event's counts on its representative row
of ``events`` (:func:`recount`, rewriting only the rows a write changes) and the views the
queries read (``deduplicated_events``, ``event_mentions``: plain filters of ``events``);
docs/output.md documents them, docs/context.md the rules.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import hashlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pyarrow as pa

from newsevents.model import Event

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
ALTER TABLE events ADD COLUMN IF NOT EXISTS confidence DOUBLE;
ALTER TABLE events ADD COLUMN IF NOT EXISTS evidence VARCHAR;
ALTER TABLE events ADD COLUMN IF NOT EXISTS dedup_group VARCHAR;
ALTER TABLE events ADD COLUMN IF NOT EXISTS dedup_mentions BIGINT;
ALTER TABLE events ADD COLUMN IF NOT EXISTS dedup_sources BIGINT;
ALTER TABLE events ADD COLUMN IF NOT EXISTS dedup_articles BIGINT;
ALTER TABLE events ADD COLUMN IF NOT EXISTS dedup_mention_ids VARCHAR;
ALTER TABLE events ADD COLUMN IF NOT EXISTS dedup_asserted BOOLEAN;
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
    SELECT * EXCLUDE (dedup_group, dedup_mentions, dedup_sources, dedup_articles,
                      dedup_mention_ids, dedup_asserted)
             REPLACE (CASE WHEN modality = 'future' AND dedup_asserted THEN 'asserted'
                      ELSE modality END AS modality),
           dedup_group AS event_group, dedup_mentions AS num_mentions,
           dedup_sources AS num_sources, dedup_articles AS num_articles,
           string_split(dedup_mention_ids, ' ') AS mention_ids
    FROM events WHERE dedup_mentions IS NOT NULL;
CREATE OR REPLACE VIEW event_mentions AS
    SELECT * EXCLUDE (dedup_group, dedup_mentions, dedup_sources, dedup_articles,
                      dedup_mention_ids, dedup_asserted),
           dedup_group AS event_group
    FROM events;
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

    span_days: int = field(init=False, repr=False, compare=False)
    is_fine: bool = field(init=False, repr=False, compare=False)
    """Dated to at most :data:`FINE_SPAN_DAYS` (both worked out once: the grouping asks often)."""

    def __post_init__(self) -> None:
        span = 0 if self.start is None or self.last is None else (self.last - self.start).days
        object.__setattr__(self, "span_days", span)
        object.__setattr__(self, "is_fine", self.start is not None and span <= FINE_SPAN_DAYS)


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
    start, last = covered_days(date.value, date.end)
    return Mention(event.id, event_key(event), start, last, date.precision, event.background)


def covered_days(value: str, end: str | None) -> tuple[dt.date, dt.date]:
    """The first and last day an event's date covers for grouping: its period, or its range
    to ``end`` (``2010 to 2014``). An end finer than the date itself is an open end that runs
    on to the publication day (``since 2014``: 2014, ending on the story's day): it leaves the
    date's period as it is, so the same past event reported on different days is one."""
    start, last = day_bounds(value)
    if end is not None and len(end) <= len(value):
        last = day_bounds(end)[1]
    return start, max(last, start)


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
    members: list[Mention] = []
    for mention in sorted(fine, key=_date_order):
        assert mention.start is not None and mention.last is not None
        if opener is None or _gap(opener, mention) > TOLERANCE_DAYS:
            opener, members = mention, []
            groups[group_id(key, mention.id)] = members
        members.append(mention)
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

_REACH_SQL = """
WITH hits AS MATERIALIZED (
    SELECT k.mention_id, k.key, k.date_start, k.date_last, k.precision, k.background
    FROM mention_keys k
    JOIN dedup_reach r ON r.key = k.key AND k.date_start <= r.hi AND k.date_last >= r.lo
)
SELECT h.*, m.group_id FROM hits h
LEFT JOIN event_group_mentions m ON m.mention_id = h.mention_id
"""
"""The stored dated mentions within reach (``dedup_reach``: stretches of days per key) with
their groups: one pass over ``mention_keys``, then a lookup of only the mentions found."""

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


COUNT_COLUMNS = (
    "dedup_group",
    "dedup_mentions",
    "dedup_sources",
    "dedup_articles",
    "dedup_mention_ids",
    "dedup_asserted",
)
"""Columns of ``events`` that :func:`recount` keeps: every mention's group, and on each group's
representative row the group's counts, its mention ids, sorted and joined by spaces (event
ids have none; updating a list column would rewrite whole rows in DuckDB, hence the text), and
whether any of its mentions is asserted (an event announced and then reported as done is
asserted, whichever report represents it: ``deduplicated_events`` shows its ``modality`` so).
``deduplicated_events`` is those rows, with the columns named as users know them
(``event_group``, ``num_mentions``, ...); the table's own names keep a reader of the bare
``events`` table from taking them for what they are not on other rows."""

_RECOUNT_SQL = """
WITH members AS (
    SELECT x.mention_id, x.group_id, x.representative, e.article_id, e.modality,
           e.dedup_group, e.dedup_mentions, e.dedup_sources, e.dedup_articles,
           e.dedup_mention_ids, e.dedup_asserted
    FROM ({members}) x JOIN events e ON e.id = x.mention_id
), reports AS (
    SELECT x.group_id, x.mention_id, x.article_id AS report_id, a.source AS report_source
    FROM members x JOIN articles a ON a.id = x.article_id
    UNION ALL
    SELECT x.group_id, x.mention_id, c.id AS report_id, c.source AS report_source
    FROM members x JOIN article_copies c ON c.copy_of = x.article_id
), counts AS (
    SELECT group_id, count(*) AS num_mentions,
           count(DISTINCT coalesce(lower(report_source), report_id)) AS num_sources,
           count(DISTINCT report_id) AS num_articles,
           array_to_string(list(DISTINCT mention_id ORDER BY mention_id), ' ') AS mention_list
    FROM reports GROUP BY group_id
), asserted AS (
    SELECT group_id, bool_or(modality = 'asserted') AS any_asserted FROM members GROUP BY group_id
), target AS (
    SELECT x.*, c.num_mentions AS new_mentions, c.num_sources AS new_sources,
           c.num_articles AS new_articles, c.mention_list AS new_list,
           CASE WHEN c.group_id IS NOT NULL THEN s.any_asserted END AS new_asserted
    FROM members x
    LEFT JOIN counts c ON c.group_id = x.group_id AND x.representative = x.mention_id
    LEFT JOIN asserted s ON s.group_id = x.group_id
)
SELECT mention_id AS id, group_id AS dedup_group, new_mentions AS dedup_mentions,
       new_sources AS dedup_sources, new_articles AS dedup_articles,
       new_list AS dedup_mention_ids, new_asserted AS dedup_asserted
FROM target
WHERE (dedup_group, dedup_mentions, dedup_sources, dedup_articles, dedup_mention_ids,
       dedup_asserted)
      IS DISTINCT FROM (group_id, new_mentions, new_sources, new_articles, new_list,
                        new_asserted)
{cleared}
"""
"""The count columns of the members of some groups that differ from what is stored: only those
rows are updated (DuckDB updates a stored text value at a high price). ``members`` gives each
member's group and the group's representative."""
_STORED_MEMBERS = """
SELECT m.mention_id, m.group_id, g.representative
FROM event_group_mentions m JOIN event_groups g ON g.id = m.group_id {where}
"""
_KNOWN_MEMBERS = "SELECT mention_id, group_id, representative FROM dedup_known"
_CLEARED_SQL = """
UNION ALL
SELECT id, NULL, NULL, NULL, NULL, NULL, NULL FROM events
WHERE (dedup_group IS NOT NULL OR dedup_mentions IS NOT NULL)
  AND id NOT IN (SELECT mention_id FROM event_group_mentions)
"""
"""Rows of no group that still carry counts (only checked when everything is recounted)."""


def recount(
    con: duckdb.DuckDBPyConnection,
    groups: Iterable[str] | None = None,
    known: Mapping[str, Sequence[Mention]] | None = None,
) -> int:
    """Write the :data:`COUNT_COLUMNS` of the mentions of these groups (all groups when
    ``None``) after their membership, representative or reports changed. Every mention that
    left a group joined another one of the groups (or was deleted), so naming the groups a
    change touched is enough. The members of ``known`` groups are given (their representative
    follows :func:`representative_order`), so they need no lookup. Runs inside the caller's
    transaction; returns how many rows changed."""
    if groups is None:
        sql = _RECOUNT_SQL.format(members=_STORED_MEMBERS.format(where=""), cleared=_CLEARED_SQL)
        return _write_counts(con, con.sql(sql).to_arrow_table())
    known = known or {}
    groups_set = set(groups)
    if not groups_set:
        return 0
    dirty = sorted(groups_set)
    unknown = [g for g in dirty if g not in known]
    parts = [_KNOWN_MEMBERS]
    if unknown:
        where = "WHERE m.group_id IN (SELECT id FROM dedup_dirty)"
        parts.append(_STORED_MEMBERS.format(where=where))
    representatives = {
        gid: min(group, key=representative_order).id
        for gid, group in known.items()
        if gid in groups_set
    }
    members = [(m.id, gid, rep) for gid, rep in representatives.items() for m in known[gid]]
    tables = {
        "dedup_known": _strings(("mention_id", "group_id", "representative"), members),
        "dedup_dirty": _strings(("id",), [(g,) for g in unknown]),
    }
    sql = _RECOUNT_SQL.format(members=" UNION ALL ".join(parts), cleared="")
    with _registered(con, **tables):
        return _write_counts(con, con.sql(sql).to_arrow_table())


def _strings(names: Sequence[str], rows: Sequence[tuple[str, ...]]) -> pa.Table:
    """An Arrow table of text columns from rows."""
    return pa.table(
        {name: pa.array([row[i] for row in rows], pa.string()) for i, name in enumerate(names)}
    )


def _write_counts(con: duckdb.DuckDBPyConnection, changed: pa.Table) -> int:
    if not changed.num_rows:
        return 0
    with _registered(con, dedup_changed=changed):
        con.execute(
            "UPDATE events SET dedup_group = c.dedup_group, dedup_mentions = c.dedup_mentions, "
            "dedup_sources = c.dedup_sources, dedup_articles = c.dedup_articles, "
            "dedup_mention_ids = c.dedup_mention_ids, dedup_asserted = c.dedup_asserted "
            "FROM dedup_changed c WHERE events.id = c.id"
        )
    return int(changed.num_rows)


def groups_of_articles(con: duckdb.DuckDBPyConnection, article_ids: Sequence[str]) -> set[str]:
    """The groups of these articles' stored mentions (whose counts change when a copy of one
    of the articles is recorded)."""
    if not article_ids:
        return set()
    rows = con.execute(
        "SELECT DISTINCT dedup_group FROM events "
        "WHERE article_id IN (SELECT unnest(?)) AND dedup_group IS NOT NULL",
        [list(article_ids)],
    ).fetchall()
    return {r[0] for r in rows}


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
    added = list(added)
    joined = _join_existing(con, added, removed)
    touched = [*(m for m in added if m.id not in joined), *removed.mentions]
    regrouped, dirty, known = _regroup_windows(con, touched, removed) if touched else (0, set(), {})
    recount(con, dirty | set(joined.values()), known)
    return len(joined) + regrouped


def _regroup_windows(
    con: duckdb.DuckDBPyConnection, touched: list[Mention], removed: Forgotten
) -> tuple[int, set[str], dict[str, list[Mention]]]:
    """Regroup the windows around touched mentions: every run of finely dated mentions they
    fall in or beside, read again and grouped by the rule. Returns how many mentions were
    (re)assigned, the groups to count again, and those of them formed here with their members."""
    windows, stored = _around(con, [m for m in touched if m.start is not None])
    stored += _undated(con, {m.key for m in touched if m.start is None})
    around = [m for m, _ in stored]
    with _registered(con, dedup_windows=_spans_table(windows)):
        outside = _fine_events_outside(con, [m for m in around if not m.is_fine])
    assigned, formed = _assign(around, outside)
    before = {m.id: group for m, group in stored}
    stale = {group for group in before.values() if group} | removed.groups
    changed = _changed_groups(before, formed) | (formed.keys() & removed.groups)
    _apply(con, assigned, before, {g: formed[g] for g in changed}, stale)
    dirty = changed | ((stale | set(assigned.values())) - formed.keys())
    return len(assigned), dirty, {g: formed[g] for g in changed}


_OPENERS_SQL = f"""
SELECT k.key, m.group_id, min((k.date_start, k.date_last, k.mention_id)) AS opener,
       max(k.date_last) AS last
FROM mention_keys k
JOIN dedup_reach r ON r.key = k.key AND k.date_start <= r.hi AND k.date_last >= r.lo
JOIN event_group_mentions m ON m.mention_id = k.mention_id
WHERE date_diff('day', k.date_start, k.date_last) <= {FINE_SPAN_DAYS}
GROUP BY k.key, m.group_id
"""
"""The finely dated events stored within reach, each with its opener (its earliest mention in
date order) and last day: the fine part of a group, as :func:`fine_groups` formed it."""
JOIN_REACH_DAYS = 40
"""How far around new mentions :func:`_join_existing` looks for events. An event covers at most
``FINE_SPAN_DAYS + TOLERANCE_DAYS + FINE_SPAN_DAYS`` days, so every event a new mention can join
lies wholly inside, and an event cut by the edge cannot pass for the one it joins."""


def _join_existing(
    con: duckdb.DuckDBPyConnection, added: Sequence[Mention], removed: Forgotten
) -> dict[str, str]:
    """Group the new mentions whose grouping changes no stored mention's, and return them with
    their groups; the rest are regrouped by :func:`_regroup_windows`.

    The new finely dated mentions of a key are taken in date order against the key's stored
    events (each with its opener, the earliest mention in date order, and its last day). One
    that starts within the tolerance of the last day of the opener before it joins that event:
    it opens none, so every later mention keeps its opener. Any other opens an event, which
    changes no other when the next opener starts more than the tolerance after its last day.
    Only coarse mentions can still change: those whose period overlaps days that an event
    gained or that a new event covers, so a key with such a stored coarse mention is
    regrouped in full, as is a key with a removed mention. New coarse and undated mentions
    join the event their period overlaps, or that of their period, as the rule says. This is
    the common case (a story reported again, news of a new day), and it needs no run read
    back."""
    blocked = {m.key for m in removed.mentions}
    candidates: dict[str, list[Mention]] = {}
    for mention in added:
        if mention.key not in blocked:
            candidates.setdefault(mention.key, []).append(mention)
    if not candidates:
        return {}
    events = _stored_fine_events(con, candidates)
    placed: dict[str, _Placing] = {}
    for key, mentions in candidates.items():
        found = _joins(key, mentions, events.get(key, []))
        if found is not None:
            placed[key] = found
    changed_days = [(key, lo, hi) for key, found in placed.items() for lo, hi in found.gained]
    for key in _keys_with_coarse_mentions(con, changed_days):
        del placed[key]
    joined = {m: group for found in placed.values() for m, group in found.joined.items()}
    renamed = {new: old for found in placed.values() for new, old in found.renamed.items()}
    if joined:
        _record_joins(con, joined, {m.id: m for m in added}, renamed)
    return joined


StoredEvent = tuple[tuple[dt.date, dt.date, str], dt.date, str]
"""A stored fine event: its opener's date order (first day, last day, id), last day, group."""


def _stored_fine_events(
    con: duckdb.DuckDBPyConnection, candidates: Mapping[str, Sequence[Mention]]
) -> dict[str, list[StoredEvent]]:
    spans = [
        (key, _shift(m.start, -JOIN_REACH_DAYS), _shift(m.last, JOIN_REACH_DAYS))
        for key, mentions in candidates.items()
        for m in mentions
        if m.start is not None and m.last is not None
    ]
    if not spans:
        return {}
    with _registered(con, dedup_reach=_spans_table(_merged(sorted(spans)))):
        rows = con.execute(_OPENERS_SQL).fetchall()
    events: dict[str, list[StoredEvent]] = {}
    for key, group, opener, last in rows:
        events.setdefault(key, []).append((tuple(opener), last, group))  # type: ignore[arg-type]
    for found in events.values():
        found.sort()
    return events


Days = list[tuple[dt.date, dt.date]]


@dataclass(frozen=True)
class _Placing:
    """Where the new mentions of one key go: each mention's group, the days that fine events
    gained, and the events that a new mention now opens (new group id -> stored group id)."""

    joined: dict[str, str]
    gained: Days
    renamed: dict[str, str]


def _joins(key: str, mentions: Sequence[Mention], events: Sequence[StoredEvent]) -> _Placing | None:
    """Place the new mentions of one key against its stored fine events, in date order; None
    when a new mention would change how stored mentions chain (then the key is regrouped in
    full).

    A new mention within the tolerance of the last day of the opener before it joins that
    event. Otherwise it opens an event; if the next opener starts within the tolerance of its
    last day, it takes that event over as its new opener (a report of the same day that sorts
    first), which changes nobody else's event when it ends no earlier than that opener and the
    opener after starts more than the tolerance after its last day."""
    events = list(events)
    openers = [opener for opener, _, _ in events]
    joined: dict[str, str] = {}
    gained: Days = []
    renamed: dict[str, str] = {}
    for mention in sorted((m for m in mentions if m.is_fine), key=_date_order):
        assert mention.start is not None and mention.last is not None
        order = _date_order(mention)
        at = bisect.bisect_left(openers, order) - 1
        if at >= 0 and (mention.start - events[at][0][1]).days <= TOLERANCE_DAYS:
            opener, last, group = events[at]
            if mention.last > last:
                gained.append((_shift(last, 1), mention.last))
                events[at] = (opener, mention.last, group)
            joined[mention.id] = group
            continue
        after = at + 1
        group = group_id(key, mention.id)
        if _chains(events, after, mention.last):  # it would take the next opener in
            (first, opener_last, _), last, old = events[after]
            if mention.last < opener_last or _chains(events, after + 1, mention.last):
                return None
            renamed[group] = old  # a stored event: no mention placed so far sorts after its opener
            gained += [(mention.start, _shift(first, -1)), (_shift(last, 1), mention.last)]
            events[after] = (order, max(last, mention.last), group)  # type: ignore[assignment]
            openers[after] = order  # type: ignore[call-overload]
        else:
            events.insert(after, (order, mention.last, group))  # type: ignore[arg-type]
            openers.insert(after, order)  # type: ignore[arg-type]
            gained.append((mention.start, mention.last))
        joined[mention.id] = group
    spans = [(group, opener[0], last) for opener, last, group in events]
    for mention in mentions:
        if mention.start is None or mention.last is None:
            joined.update(undated_groups([mention]))
        elif not mention.is_fine:
            joined.update(coarse_groups(key, [mention], spans))
    return _Placing(joined, [(lo, hi) for lo, hi in gained if lo <= hi], renamed)


def _chains(events: Sequence[StoredEvent], at: int, last: dt.date) -> bool:
    """Whether the event at ``at`` (if any) starts within the tolerance of ``last``."""
    return at < len(events) and (events[at][0][0] - last).days <= TOLERANCE_DAYS


_COARSE_SQL = f"""
SELECT DISTINCT k.key
FROM mention_keys k
JOIN dedup_reach r ON r.key = k.key AND k.date_start <= r.hi AND k.date_last >= r.lo
JOIN event_group_mentions m ON m.mention_id = k.mention_id
WHERE date_diff('day', k.date_start, k.date_last) > {FINE_SPAN_DAYS}
"""


def _keys_with_coarse_mentions(
    con: duckdb.DuckDBPyConnection, days: Sequence[tuple[str, dt.date, dt.date]]
) -> set[str]:
    """The keys with a stored coarse mention whose period overlaps these days, give or take the
    tolerance (its event may change)."""
    if not days:
        return set()
    reach = _merged(
        sorted(
            (key, _shift(lo, -TOLERANCE_DAYS), _shift(hi, TOLERANCE_DAYS)) for key, lo, hi in days
        )
    )
    with _registered(con, dedup_reach=_spans_table(reach)):
        return {row[0] for row in con.execute(_COARSE_SQL).fetchall()}


def _record_joins(
    con: duckdb.DuckDBPyConnection,
    joined: Mapping[str, str],
    mentions: Mapping[str, Mention],
    renamed: Mapping[str, str],
) -> None:
    """Store the new members of events, each event's representative if a newcomer takes its
    place, and the events a new opener took over under their new ids (``renamed``: new id ->
    stored id); the caller counts the events again."""
    groups = sorted(set(joined.values()))
    rows = con.execute(
        "SELECT g.id, k.mention_id, k.key, k.date_start, k.date_last, k.precision, k.background "
        "FROM event_groups g JOIN mention_keys k ON k.mention_id = g.representative "
        "WHERE g.id IN (SELECT unnest(?))",
        [[renamed.get(g, g) for g in groups]],
    ).fetchall()
    now_named = {old: new for new, old in renamed.items()}
    stored = {now_named.get(row[0], row[0]): row[1] for row in rows}
    best = {now_named.get(row[0], row[0]): Mention(*row[1:6], bool(row[6])) for row in rows}
    for mention_id, group in joined.items():
        mention = mentions[mention_id]
        current = best.get(group)
        if current is None or representative_order(mention) < representative_order(current):
            best[group] = mention
    if renamed:
        names = _strings(("new", "old"), sorted(renamed.items()))
        with _registered(con, dedup_renamed=names):
            con.execute(
                "UPDATE event_group_mentions SET group_id = r.new FROM dedup_renamed r "
                "WHERE event_group_mentions.group_id = r.old"
            )
            con.execute("DELETE FROM event_groups WHERE id IN (SELECT old FROM dedup_renamed)")
    _upsert(con, "event_group_mentions", ("mention_id", "group_id"), sorted(joined.items()), [])
    changed = [
        (g, m.key, m.id)
        for g, m in sorted(best.items())
        if stored.get(g) != m.id or g in renamed  # a renamed event's row is new
    ]
    _upsert(con, "event_groups", ("id", "key", "representative"), [], changed)


def _changed_groups(before: dict[str, str | None], formed: dict[str, list[Mention]]) -> set[str]:
    """The groups formed whose mentions are not the ones stored in them. Every stored mention
    of a group formed here was regrouped here (a window holds whole runs and the coarse mentions
    that can join them) or removed by the write, so ``before`` knows each such group's stored
    mentions unless the write removed some (the caller counts those groups as changed)."""
    stored: dict[str, set[str]] = {}
    for mention_id, group in before.items():
        if group:
            stored.setdefault(group, set()).add(mention_id)
    return {g for g, members in formed.items() if {m.id for m in members} != stored.get(g)}


def upgrade(con: duckdb.DuckDBPyConnection, recount_all: bool = False) -> int:
    """Group the stored events that have no grouping row (a store written before grouping, or
    rows inserted by hand); with ``recount_all`` (a store of an older schema version) regroup
    the mentions with an open end (:func:`refresh_open_ends`) and count every group again.
    Returns how many were grouped."""
    con.execute(f"UPDATE events SET group_key = {KEY_SQL} WHERE group_key IS NULL")
    rows = con.execute(
        "SELECT id, group_key, date, date_precision, date_end, background FROM events e "
        "WHERE NOT EXISTS (SELECT 1 FROM mention_keys k WHERE k.mention_id = e.id) "
        "OR NOT EXISTS (SELECT 1 FROM event_group_mentions m WHERE m.mention_id = e.id)"
    ).fetchall()
    mentions = [_stored_mention(*row) for row in rows]
    remember(con, mentions, replace=True)
    grouped = regroup(con, mentions)
    if recount_all:
        grouped += refresh_open_ends(con)
    if recount_all or grouped:
        recount(con)
    return grouped


def _stored_mention(
    id_: str, key: str, value: str | None, precision: str | None, end: str | None, bg: Any
) -> Mention:
    if value is None:
        return Mention(id_, key, None, None, None, bool(bg))
    start, last = covered_days(value, end)
    return Mention(id_, key, start, last, precision, bool(bg))


def refresh_open_ends(con: duckdb.DuckDBPyConnection) -> int:
    """Regroup the stored mentions whose date runs on to the publication day (``since
    2014``) and whose grouping days were stored before such an open end stopped widening them
    (schema version 3, :func:`covered_days`): forgotten and remembered again, as a rewritten
    article's are. Runs inside the caller's transaction; returns how many changed."""
    rows = con.execute(
        "SELECT e.id, e.group_key, e.date, e.date_precision, e.date_end, e.background, "
        "k.key, k.date_start, k.date_last, k.precision, k.background, m.group_id "
        "FROM events e JOIN mention_keys k ON k.mention_id = e.id "
        "LEFT JOIN event_group_mentions m ON m.mention_id = e.id "
        "WHERE e.date IS NOT NULL AND e.date_end IS NOT NULL "
        "AND length(e.date_end) > length(e.date)"
    ).fetchall()
    fresh = {row[0]: _stored_mention(*row[:6]) for row in rows}
    stale = [row for row in rows if fresh[row[0]].last != row[8]]
    if not stale:
        return 0
    ids = [row[0] for row in stale]
    con.execute("DELETE FROM mention_keys WHERE mention_id IN (SELECT unnest(?))", [ids])
    con.execute("DELETE FROM event_group_mentions WHERE mention_id IN (SELECT unnest(?))", [ids])
    old = tuple(Mention(row[0], *row[6:10], bool(row[10])) for row in stale)
    removed = Forgotten(old, frozenset(row[11] for row in stale if row[11]))
    added = [fresh[i] for i in ids]
    remember(con, added)
    regroup(con, added, removed)
    return len(stale)


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


Stored = tuple[Mention, str | None]
"""A stored mention and its group (None while it has none)."""


def _around(
    con: duckdb.DuckDBPyConnection, dated: Sequence[Mention]
) -> tuple[list[tuple[str, dt.date, dt.date]], list[Stored]]:
    """The windows to regroup (key, first day, last day: the touched mentions' dates, widened
    to the whole runs of finely dated mentions they fall in or beside) and the stored mentions
    in them (finely dated ones inside a window, coarse ones overlapping it give or take the
    tolerance), with their groups. Each key is searched within :data:`FIRST_REACH_DAYS` of its
    touched dates, wider only while a run reaches the edge of what was searched."""
    spans = sorted({(m.key, m.start, m.last) for m in dated})  # type: ignore[misc]
    windows: list[tuple[str, dt.date, dt.date]] = []
    around: list[Stored] = []
    days = FIRST_REACH_DAYS
    while spans:
        reach = _reach(spans, days)
        with _registered(con, dedup_reach=_spans_table(reach)):
            rows = con.execute(_REACH_SQL).fetchall()
        found: dict[str, list[Stored]] = {}
        for row in rows:
            found.setdefault(row[1], []).append((Mention(*row[:5], bool(row[5])), row[6]))
        clipped = set()
        stretches = _by_key(reach)
        for key, touched in _by_key(spans).items():
            runs = _touching_runs(touched, [m for m, _ in found.get(key, [])])
            if _clipped(runs, stretches[key]):
                clipped.add(key)
                continue
            key_windows = _merged(sorted(set(touched) | set(runs)))
            windows += key_windows
            around += [s for s in found.get(key, []) if _inside(s[0], key_windows)]
        spans = [s for s in spans if s[0] in clipped]
        days *= 8
    return sorted(windows), around


def _by_key(
    spans: Sequence[tuple[str, dt.date, dt.date]],
) -> dict[str, list[tuple[str, dt.date, dt.date]]]:
    grouped: dict[str, list[tuple[str, dt.date, dt.date]]] = {}
    for span in spans:
        grouped.setdefault(span[0], []).append(span)
    return grouped


def _reach(
    spans: Sequence[tuple[str, dt.date, dt.date]], days: int
) -> list[tuple[str, dt.date, dt.date]]:
    """Per key, the touched days widened by ``days`` on both sides (stretches that would
    overlap are one), within the calendar."""
    return _merged([(key, _shift(lo, -days), _shift(hi, days)) for key, lo, hi in sorted(spans)])


def _shift(day: dt.date, days: int) -> dt.date:
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return dt.date.min if days < 0 else dt.date.max


def _touching_runs(
    touched: Sequence[tuple[str, dt.date, dt.date]], stored: Sequence[Mention]
) -> list[tuple[str, dt.date, dt.date]]:
    """The runs of finely dated stored mentions of one key (a run ends where the next mention
    starts more than the tolerance after the run's last day) that the touched dates fall in or
    beside."""
    runs: list[list[Any]] = []
    for mention in sorted((m for m in stored if m.is_fine), key=_date_order):
        assert mention.start is not None and mention.last is not None
        if runs and (mention.start - runs[-1][2]).days <= TOLERANCE_DAYS:
            runs[-1][2] = max(runs[-1][2], mention.last)
        else:
            runs.append([mention.key, mention.start, mention.last])
    tolerance = dt.timedelta(days=TOLERANCE_DAYS)
    return [
        (key, lo, hi)
        for key, lo, hi in runs
        if any(lo <= t_hi + tolerance and t_lo <= hi + tolerance for _, t_lo, t_hi in touched)
    ]


def _clipped(
    runs: Sequence[tuple[str, dt.date, dt.date]], reach: Sequence[tuple[str, dt.date, dt.date]]
) -> bool:
    """Whether a run may go on beyond the stretches searched (it comes near an edge that is
    not the end of the calendar)."""
    edge = TOLERANCE_DAYS + FINE_SPAN_DAYS + 1
    return any(
        lo <= r_hi
        and r_lo <= hi
        and (
            (r_lo > dt.date.min and lo <= _shift(r_lo, edge))
            or (r_hi < dt.date.max and hi >= _shift(r_hi, -edge))
        )
        for _, lo, hi in runs
        for _, r_lo, r_hi in reach
    )


def _inside(mention: Mention, windows: Sequence[tuple[str, dt.date, dt.date]]) -> bool:
    """A finely dated mention within a window, a coarse one overlapping it give or take the
    tolerance."""
    assert mention.start is not None and mention.last is not None
    slack = dt.timedelta(days=0 if mention.is_fine else TOLERANCE_DAYS)
    return any(mention.start <= hi + slack and mention.last >= lo - slack for _, lo, hi in windows)


def _merged(spans: Sequence[tuple]) -> list[tuple[str, dt.date, dt.date]]:
    merged: list[list[Any]] = []
    for key, lo, hi in spans:
        if merged and merged[-1][0] == key and lo <= merged[-1][2]:
            merged[-1][2] = max(merged[-1][2], hi)
        else:
            merged.append([key, lo, hi])
    return [(w[0], w[1], w[2]) for w in merged]


def _undated(con: duckdb.DuckDBPyConnection, keys: set[str]) -> list[Stored]:
    if not keys:
        return []
    rows = con.execute(
        "SELECT k.mention_id, k.key, k.date_start, k.date_last, k.precision, k.background, "
        "m.group_id FROM mention_keys k "
        "LEFT JOIN event_group_mentions m ON m.mention_id = k.mention_id "
        "WHERE k.date_start IS NULL AND k.key IN (SELECT unnest(?))",
        [sorted(keys)],
    ).fetchall()
    return [(Mention(*r[:5], bool(r[5])), r[6]) for r in rows]


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
    before: dict[str, str | None],
    formed: dict[str, list[Mention]],
    stale: set[str],
) -> None:
    """Write the assignments that changed (``before``: the stored ones), the event rows of the
    groups formed anew or with other mentions, and drop the ``stale`` groups (those stored
    before) left without mentions. Unchanged rows are left alone."""
    emptied = stale - set(assigned.values())
    moved = [(m, g) for m, g in assigned.items() if before.get(m) not in (None, g)]
    new = [(m, g) for m, g in assigned.items() if before.get(m) is None]
    _upsert(con, "event_group_mentions", ("mention_id", "group_id"), new, moved)
    if emptied:
        con.execute(
            "DELETE FROM event_groups WHERE id IN (SELECT unnest(?)) AND id NOT IN "
            "(SELECT group_id FROM event_group_mentions WHERE group_id IN (SELECT unnest(?)))",
            [sorted(emptied), sorted(emptied)],
        )
    if formed:
        existing = stale
        rows = [
            (gid, members[0].key, min(members, key=representative_order).id)
            for gid, members in sorted(formed.items())
        ]
        columns = ("id", "key", "representative")
        new_groups = [r for r in rows if r[0] not in existing]
        _upsert(con, "event_groups", columns, new_groups, [r for r in rows if r[0] in existing])


def _upsert(
    con: duckdb.DuckDBPyConnection,
    table: str,
    columns: Sequence[str],
    new: Sequence[tuple[str, ...]],
    replaced: Sequence[tuple[str, ...]],
) -> None:
    """Insert ``new`` rows and replace ``replaced`` ones (by the first column, the key). Plain
    inserts cost DuckDB far less than conflict handling, so only replacements take that path."""
    names = ", ".join(columns)
    if new:
        with _registered(con, dedup_rows=_strings(columns, new)):
            con.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM dedup_rows")
    if replaced:
        updates = ", ".join(f"{c} = excluded.{c}" for c in columns[1:])
        with _registered(con, dedup_rows=_strings(columns, replaced)):
            con.execute(
                f"INSERT INTO {table} ({names}) SELECT {names} FROM dedup_rows "
                f"ON CONFLICT ({columns[0]}) DO UPDATE SET {updates}"
            )
