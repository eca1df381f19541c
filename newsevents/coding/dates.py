"""Stage 5, dates: when each event happened, from the time expression attached to its clause.

Time expressions are spaCy's DATE entities, never raw text. An expression belongs to the
nearest event trigger above it in the dependency tree; a trigger without one looks up its chain
of governing verbs ("Lavrov said Saturday [that ...]"), not across a clause with its own subject.
The expression, with the preposition that governs it ("since 2014", "from 6 to 8 May"), is
resolved against the article's publication date by :func:`resolve_expression`; what the small
grammar here does not cover goes to dateparser, fed the entity text alone.

Which way an incomplete expression points comes from the clause: a planned event or a clause in
the future looks forward ("will visit on Dec. 15" -> the next 15 December), a clause in the past
looks back ("met in May" -> the last May), the present takes the nearest candidate. A weekday
in the past is the one on or before publication.

An event with no expression takes the publication date, except an event noun presented as a
standing state in a present-tense clause ("in addition to Tokyo's sanctions against Moscow")
and a past event in a party's standing position ("Japan maintains that Russia occupied the
islands"): the text does not date them and they are not the news, so their date is unknown and
they are background.
An event is background when its date is well before publication (see :func:`is_background`).
The rules, with examples, are in docs/context.md.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from spacy.tokens import Doc, Span, Token

from newsevents.coding.events.dictionary import ModalityWords
from newsevents.dictionaries import data_path, read_word_lists
from newsevents.model import Event, EventDate, Precision

Direction = Literal["past", "future", "nearest"]

OFFSET_MARKS = {"after": -1, "before": 1}
UNIT_DAYS = {"day": 1, "days": 1, "week": 7, "weeks": 7, "hours": 0, "hour": 0, "minutes": 0}
"""``a day after ...``, ``two weeks before ...``: days back (after) or forward (before)."""
STORY_SENTENCES = 3
STORY_DAYS = 7
PLANNING_WORDS = frozenset({"due", "slated", "poised", "likely", "scheduled", "set", "expected"})
"""``are due to hold talks on Monday``: a planned event (with modality.yaml's
``future_governors``)."""
DAY_WORDS = frozenset({"today", "tonight", "yesterday", "tomorrow"})
"""Words that make a TIME entity a time expression of a day ("yesterday afternoon")."""
DATELINE_TOKENS = 25
DATELINE_DASHES = frozenset({"-", "--", "\u2014", "\u2013"})
BACKGROUND_AFTER_DAYS = 365
"""An event is background when the last day it can have started is more than this many days
before publication: "in 2015" in a December 2016 story is not background, "two years ago" is."""
PHRASAL_DEPS = frozenset({"prep", "amod", "compound", "acl"})
"""Verbs in these roles are phrase words ("according to", "following"), not clauses."""
UNRESOLVED_PREPOSITIONS = frozenset({"before", "after", "until", "till", "by"})
"""An expression after these is a bound, not the event's date; it is not used."""
RANGE_PREPOSITIONS = frozenset({"from", "between"})
SINCE = "since"
FUTURE_AUXILIARIES = frozenset({"will", "shall", "'ll", "wo"})
PERFECT_AUXILIARIES = frozenset({"have", "has", "had", "'ve", "'d"})

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
WEEKDAYS = {
    name: number
    for number, names in enumerate(
        (
            ("monday", "mon"),
            ("tuesday", "tue", "tues"),
            ("wednesday", "wed"),
            ("thursday", "thu", "thur", "thurs"),
            ("friday", "fri"),
            ("saturday", "sat"),
            ("sunday", "sun"),
        )
    )
    for name in names
}
NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "several": None,
    "few": None,
}
DAY_OFFSETS = {
    "today": 0,
    "tonight": 0,
    "this morning": 0,
    "this afternoon": 0,
    "this evening": 0,
    "yesterday": -1,
    "last night": -1,
    "yesterday morning": -1,
    "yesterday afternoon": -1,
    "yesterday evening": -1,
    "the day before yesterday": -2,
    "tomorrow": 1,
    "the day after tomorrow": 2,
}
_QUALIFIERS = re.compile(
    r"\b(?:early|earlier|late|later|mid|middle of|beginning of|start of|end of|the end of)\b-?\s*"
)
_ORDINAL = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)\b")
_RANGE_SPLIT = re.compile(r"\s*(?:\bto\b|\band\b|\buntil\b|\bthrough\b|\bthru\b|-)\s*")
_AGO = re.compile(r"^(?P<n>\d+|[a-z]+)\s+(?P<unit>day|week|month|year|decade)s?\s+ago$")
_RELATIVE = re.compile(
    r"^(?P<which>last|previous|next|coming|this|current)\s+(?P<unit>week|weekend|month|year)$"
)
"""``last month``, ``next week``. ``the past year`` is a duration ending now, not a date."""
_WEEKDAY = re.compile(r"^(?:(?P<which>last|next|this|past|coming)\s+)?(?P<day>[a-z]+)(?:\s+\w+)?$")
_DECADE = re.compile(r"^(?P<year>1[89]\d0|20\d0)'?s$")
_NUMERIC_DATE = re.compile(r"^\d{1,4}[/.]\d{1,2}(?:[/.]\d{2,4})?$")
_LEADING = re.compile(r"^(?:(?:on|in|of|during|at|over|the)\s+)+")
_ISO = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{2})(?:-(?P<d>\d{2}))?$")


@dataclass(frozen=True)
class _Partial:
    """One side of a date as written: any of day, month and year may be missing."""

    day: int | None = None
    month: int | None = None
    year: int | None = None
    weekday: int | None = None
    """A weekday written with the date ("Tuesday, Dec. 6") picks the year it falls on."""

    def filled_from(self, other: _Partial) -> _Partial:
        return _Partial(
            self.day,
            self.month if self.month is not None else other.month,
            self.year if self.year is not None else other.year,
            self.weekday,
        )

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return "day"
        return "month" if self.month is not None else "year"


@dataclass(frozen=True)
class _Interval:
    """A resolved date as its first and last day, with the precision of its start."""

    start: dt.date
    last: dt.date
    precision: Precision
    end: str | None = None


class DateResolver:
    """Sets ``Event.date`` (and ``background``) for the events of one article.

    ``future_governors`` are the verbs whose infinitive complement is planned ("wanted to hold
    a meeting ... on Dec. 15" looks forward); by default those of ``data/modality.yaml``.
    """

    def __init__(
        self,
        future_governors: Iterable[str] | None = None,
        position_verbs: Iterable[str] | None = None,
    ) -> None:
        if future_governors is None:
            future_governors = ModalityWords.load().future_governors
        if position_verbs is None:
            lists = read_word_lists(data_path("speech.yaml"), ["position_verbs"])
            position_verbs = lists["position_verbs"]
        self.future_governors = frozenset(w.lower() for w in future_governors) | PLANNING_WORDS
        self.position_verbs = frozenset(w.lower() for w in position_verbs)

    def __call__(
        self, doc: Doc, events: tuple[Event, ...], published: dt.date | None
    ) -> tuple[Event, ...]:
        tokens = [_trigger_token(doc, e) for e in events]
        triggers = {t.i for t in tokens if t is not None}
        attached = _attach_expressions(doc, triggers)
        dated = [
            self._date_event(e, token, attached, published)
            for e, token in zip(events, tokens, strict=True)
        ]
        if published is not None:
            dated = _offsets(dated, tokens, published)
            dated = _told_before(doc, dated, tokens, published)
        return tuple(dated)

    def _date_event(
        self,
        event: Event,
        token: Token | None,
        attached: dict[int, list[Span]],
        published: dt.date | None,
    ) -> Event:
        if published is None:
            return replace(event, date=None, background=False)
        date = None
        if token is not None:
            way = direction(token, event, self.future_governors)
            date = self._resolved(token, attached, published, way)
        if date is None and token is not None and self._undated_past(token, event):
            return replace(event, date=None, background=True)
        if date is None:
            date = EventDate(published.isoformat(), "day", None, None, "article")
        return _with_date(event, date, published)

    @staticmethod
    def _resolved(
        token: Token, attached: dict[int, list[Span]], published: dt.date, way: Direction
    ) -> EventDate | None:
        """The first of the trigger's expressions (its own, then its governing verbs') that
        resolves to a date: "began a five-day exercise on Monday" is dated by "on Monday"."""
        for expression in _expressions_for(token, attached):
            date = resolve_expression(expression.text, published, way, _preposition(expression))
            if date is not None:
                return date
        return None

    def _undated_past(self, token: Token, event: Event) -> bool:
        """Events the text puts before the story without dating them: standing states and
        past events in a party's standing position."""
        return is_standing_state(token, event) or is_claimed_past(token, event, self.position_verbs)


def _offsets(
    events: Sequence[Event], tokens: Sequence[Token | None], published: dt.date
) -> list[Event]:
    """Events in a clause "N days after ..." (or "before"): the date of the act the clause is
    on, N days back (forward). "Bangladesh ordered the expulsion ... on Monday, a day after a
    mortar shell killed three people": the killing is of Sunday."""
    dated = list(events)
    for n, token in enumerate(tokens):
        found = _offset_clause(token) if token is not None else None
        if found is None:
            continue
        clause, days, words = found
        anchor = _anchor_date(clause, events, tokens)
        day = (first_day(anchor) if anchor is not None else published) + dt.timedelta(days=days)
        date = EventDate(day.isoformat(), "day", None, words, "expression")
        dated[n] = _with_date(events[n], date, published)
    return dated


def _offset_clause(token: Token) -> tuple[Token, int, str] | None:
    """(the clause, days, its words) when the token sits in a clause opened by ``after`` or
    ``before`` with a count of days before it ("a day after", "three days before")."""
    node = token
    while node.head.i != node.i:
        marks = [c for c in node.children if c.dep_ == "mark" and c.lower_ in OFFSET_MARKS]
        if node.dep_ == "advcl" and marks:
            count = _days_before(node, marks[0])
            if count is None:
                return None
            days, words = count
            return node, days * OFFSET_MARKS[marks[0].lower_], words
        node = node.head
    return None


def _days_before(clause: Token, mark: Token) -> tuple[int, str] | None:
    """The days written just before the clause's ``after``/``before``: "a day", "three days",
    "two weeks", "hours" (the same day)."""
    units = [
        c
        for c in (*mark.children, *clause.children, *clause.head.children)
        if c.dep_ == "npadvmod" and c.lower_ in UNIT_DAYS and 0 < mark.i - c.i <= 2
    ]
    if not units:
        return None
    unit = units[0]
    counts = [c for c in unit.children if c.dep_ in {"nummod", "det"}]
    word = counts[0].lower_ if counts else "a"
    number = int(word) if word.isdigit() else {"the": 1, **NUMBER_WORDS}.get(word)
    if number is None:
        return None
    words = unit.doc[min([unit.i, *(c.i for c in counts)]) : mark.i + 1].text
    return number * UNIT_DAYS[unit.lower_], words


def _anchor_date(
    clause: Token, events: Sequence[Event], tokens: Sequence[Token | None]
) -> EventDate | None:
    """The date of the act an offset clause is on: the event of the clause's governing verb
    (or of its phrases), nearest it first."""
    governor = clause.head
    inside = {t.i for t in clause.subtree}
    candidates = [
        (abs(t.i - governor.i), e.date)
        for e, t in zip(events, tokens, strict=True)
        if t is not None
        and e.date is not None
        and t.i not in inside
        and governor.left_edge.i <= t.i <= governor.right_edge.i
    ]
    return min(candidates, key=lambda c: c[0])[1] if candidates else None


def _told_before(
    doc: Doc, events: Sequence[Event], tokens: Sequence[Token | None], published: dt.date
) -> list[Event]:
    """An asserted past act with no time expression in its sentence takes the day of the
    story told just before it: the last day of the week before publication (``STORY_DAYS``)
    an expression of the previous ``STORY_SENTENCES`` sentences names. "Iwaya met Wang on
    Thursday ... The minister also demanded the release of ..." is Thursday's demand, not the
    publication day's."""
    days = _story_days(doc, events, published)
    dated = list(events)
    for n, (event, token) in enumerate(zip(events, tokens, strict=True)):
        date = event.date
        if (
            date is None
            or date.method != "article"
            or token is None
            or event.modality != "asserted"
            or event.sentence_index in days
            or _clause_tense(token) != "past"
        ):
            continue
        earlier = [
            (k, d)
            for k, d in days.items()
            if d is not None and 0 < event.sentence_index - k <= STORY_SENTENCES
        ]
        if earlier:
            dated[n] = _with_date(event, max(earlier, key=lambda kd: kd[0])[1], published)
    return dated


def _story_days(
    doc: Doc, events: Sequence[Event], published: dt.date
) -> dict[int, EventDate | None]:
    """Sentence index -> the day before publication its events or expressions name (None for
    a sentence whose expressions name no such day); sentences with no expression are left
    out."""
    days: dict[int, EventDate | None] = {}
    dateline_end = _dateline_end(doc)
    for n, sentence in enumerate(doc.sents):
        found = [e for e in sentence.ents if _is_time_expression(e) and e.end > dateline_end]
        if found:
            resolved = (resolve_expression(e.text, published, "past") for e in found)
            days[n] = next((d for d in resolved if _story_day(d, published)), None)
    for event in events:  # an event dated from an expression: its own day counts first
        if _story_day(event.date, published) and event.sentence_index in days:
            days[event.sentence_index] = event.date
    return days


def _story_day(date: EventDate | None, published: dt.date) -> bool:
    """A day of the week before publication, the days a wire story tells."""
    return (
        date is not None
        and date.method == "expression"
        and date.precision == "day"
        and date.end is None
        and 0 < (published - first_day(date)).days <= STORY_DAYS
    )


def _clause_tense(token: Token) -> str | None:
    verb = _clause_verb(token)
    return _tense(verb) if verb is not None else None


def _with_date(event: Event, date: EventDate, published: dt.date) -> Event:
    """The event with its date; an asserted event dated after publication becomes future."""
    modality = event.modality
    if modality == "asserted" and _after_publication(date, published):
        modality = "future"
    return replace(event, date=date, modality=modality, background=is_background(date, published))


# --- resolving one expression -------------------------------------------------------------


def resolve_expression(
    text: str,
    published: dt.date,
    direction: Direction = "nearest",
    preposition: str | None = None,
) -> EventDate | None:
    """Resolve a time expression (a DATE entity's text) against the publication date.

    >>> resolve_expression("Saturday", dt.date(2016, 12, 3), "past").value
    '2016-12-03'
    >>> resolve_expression("Dec. 15", dt.date(2016, 12, 3), "future").value
    '2016-12-15'
    >>> resolve_expression("6 to 8 May", dt.date(2016, 12, 3), "past", "from").end
    '2016-05-08'
    """
    prep = (preposition or "").lower()
    if prep in UNRESOLVED_PREPOSITIONS:
        return None
    cleaned = normalise_expression(text)
    leading = cleaned.split(" ", 1)[0]
    if leading in RANGE_PREPOSITIONS | UNRESOLVED_PREPOSITIONS | {SINCE}:
        prep, cleaned = leading, cleaned[len(leading) :].strip()
        if prep in UNRESOLVED_PREPOSITIONS:
            return None
    interval = _resolve(cleaned, published, direction)
    if interval is None:
        interval = _with_dateparser(cleaned, published, direction)
    if interval is None:
        return None
    end = interval.end
    if prep == SINCE:
        end = published.isoformat()
    value = _iso(interval.start, interval.precision)
    return EventDate(value, interval.precision, end, text, "expression")


def normalise_expression(text: str) -> str:
    """Lower case, no ordinals, dots, commas or leading articles and prepositions."""
    cleaned = text.lower().replace("\u2013", "-").replace("\u2014", "-").replace("’", "'")
    cleaned = _ORDINAL.sub(r"\1", cleaned)
    cleaned = re.sub(r"(?<=[a-z])\.", "", cleaned)
    cleaned = re.sub(r"[,.]", " ", cleaned)
    cleaned = re.sub(r"\s+", " ", cleaned).strip()
    cleaned = re.sub(r"^(?:on|in|of|during|at|over|the)\s+", "", cleaned)
    cleaned = re.sub(r"^(?:on|in|of|during|at|over|the)\s+", "", cleaned)
    return cleaned


def _resolve(text: str, published: dt.date, direction: Direction) -> _Interval | None:
    if text in DAY_OFFSETS:
        day = published + dt.timedelta(days=DAY_OFFSETS[text])
        return _Interval(day, day, "day")
    if (ago := _AGO.match(text)) is not None:
        return _ago(ago["n"], ago["unit"], published)
    unqualified = _LEADING.sub("", _QUALIFIERS.sub("", text).strip())
    if (relative := _RELATIVE.match(unqualified)) is not None:
        return _relative(relative["which"], relative["unit"], published, direction)
    if unqualified in {"weekend", "the weekend"}:
        return _weekend(published, direction)
    if (weekday := _WEEKDAY.match(unqualified)) is not None and weekday["day"] in WEEKDAYS:
        day = _weekday(WEEKDAYS[weekday["day"]], weekday["which"], published, direction)
        return _Interval(day, day, "day")
    if (decade := _DECADE.match(unqualified)) is not None:
        start = int(decade["year"])
        return _Interval(dt.date(start, 1, 1), dt.date(start + 9, 12, 31), "year", str(start + 9))
    return _absolute(unqualified, published, direction)


def _ago(count: str, unit: str, published: dt.date) -> _Interval | None:
    n = int(count) if count.isdigit() else NUMBER_WORDS.get(count)
    if n is None:
        return None
    if unit == "day":
        day = published - dt.timedelta(days=n)
        return _Interval(day, day, "day")
    if unit == "week":
        return _week(published - dt.timedelta(weeks=n))
    if unit == "month":
        year, month = _add_months(published.year, published.month, -n)
        return _month(year, month)
    years = n * (10 if unit == "decade" else 1)
    return _year(published.year - years)


def _relative(which: str, unit: str, published: dt.date, direction: Direction) -> _Interval:
    step = {"last": -1, "previous": -1, "next": 1, "coming": 1}.get(which, 0)
    if unit == "weekend":
        return _weekend(published, "future" if step > 0 else direction if step == 0 else "past")
    if unit == "week":
        return _week(published + dt.timedelta(weeks=step))
    if unit == "month":
        return _month(*_add_months(published.year, published.month, step))
    return _year(published.year + step)


def _weekday(weekday: int, which: str | None, published: dt.date, direction: Direction) -> dt.date:
    back = (published.weekday() - weekday) % 7  # days back to the one on or before publication
    ahead = (weekday - published.weekday()) % 7
    if which in {"last", "past"}:
        return published - dt.timedelta(days=back or 7)
    if which in {"next", "coming"}:
        return published + dt.timedelta(days=ahead or 7)
    if direction == "future":
        return published + dt.timedelta(days=ahead)
    if direction == "nearest" and ahead < back:
        return published + dt.timedelta(days=ahead)
    return published - dt.timedelta(days=back)


def _weekend(published: dt.date, direction: Direction) -> _Interval:
    saturday = _weekday(5, None, published, "future" if direction == "future" else "past")
    sunday = saturday + dt.timedelta(days=1)
    return _Interval(saturday, sunday, "day", sunday.isoformat())


def _absolute(text: str, published: dt.date, direction: Direction) -> _Interval | None:
    if (iso := _ISO.match(text)) is not None:
        parts = _Partial(int(iso["d"]) if iso["d"] else None, int(iso["m"]), int(iso["y"]))
        return _interval(parts, None, published, direction)
    sides = [s for s in _RANGE_SPLIT.split(text) if s]
    if not 1 <= len(sides) <= 2:
        return None
    parsed = [_partial(side) for side in sides]
    if any(p is None for p in parsed):
        return None
    if len(parsed) == 1:
        return _interval(parsed[0], None, published, direction)  # type: ignore[arg-type]
    first, second = parsed
    assert first is not None and second is not None
    return _interval(first.filled_from(second), second.filled_from(first), published, direction)


def _partial(text: str) -> _Partial | None:
    """``15 december 2015``, ``dec 15``, ``may``, ``1956``, ``15`` -> the parts written."""
    day = month = year = weekday = None
    for word in text.split():
        if word in MONTHS and month is None:
            month = MONTHS[word]
        elif word in WEEKDAYS and weekday is None:
            weekday = WEEKDAYS[word]
        elif word.isdigit() and len(word) == 4 and year is None:
            year = int(word)
        elif word.isdigit() and len(word) <= 2 and day is None and 1 <= int(word) <= 31:
            day = int(word)
        elif word != "of":
            return None
    if day is not None and month is None and year is not None:
        return None
    if day is None and month is None and year is None:
        return None
    return _Partial(day, month, year, weekday)


def _interval(
    start: _Partial, end: _Partial | None, published: dt.date, direction: Direction
) -> _Interval | None:
    """Resolve written parts into dates; a missing year follows the direction."""
    if start.month is None and start.day is not None:
        return None  # "the 15th" alone: no month to anchor it
    year = start.year if start.year is not None else _infer_year(start, published, direction)
    first = _bounds(_Partial(start.day, start.month, year))
    if first is None:
        return None
    if end is None:
        return _Interval(first[0], first[1], start.precision)
    if end.month is None and end.day is not None:
        return None  # "2016-17": no month for the 17
    end_year = end.year if end.year is not None else year
    if end.year is None and (end.month or 0, end.day or 0) < (start.month or 0, start.day or 0):
        end_year += 1  # "from December 28 to January 3"
    last = _bounds(_Partial(end.day, end.month, end_year))
    if last is None or last[1] < first[0]:
        return None
    precision = start.precision
    return _Interval(first[0], last[1], precision, _iso(last[0], end.precision))


def _infer_year(parts: _Partial, published: dt.date, direction: Direction) -> int:
    candidates = []
    for year in (published.year - 1, published.year, published.year + 1):
        bounds = _bounds(_Partial(parts.day, parts.month, year))
        if bounds is not None:
            candidates.append((year, bounds))
    if parts.weekday is not None and parts.day is not None:
        matching = [c for c in candidates if c[1][0].weekday() == parts.weekday]
        if len(matching) == 1:
            return matching[0][0]
    if direction == "past":
        past = [y for y, (start, _) in candidates if start <= published]
        return max(past) if past else published.year
    if direction == "future":
        future = [y for y, (_, last) in candidates if last >= published]
        return min(future) if future else published.year
    return min(candidates, key=lambda c: (_distance(c[1], published), -c[0]))[0]


def _distance(bounds: tuple[dt.date, dt.date], day: dt.date) -> int:
    start, last = bounds
    if start <= day <= last:
        return 0
    return min(abs((start - day).days), abs((last - day).days))


def _bounds(parts: _Partial) -> tuple[dt.date, dt.date] | None:
    if parts.year is None or not 1 <= parts.year <= 9999:
        return None
    if parts.month is not None and not 1 <= parts.month <= 12:
        return None  # "2016-17" is not a month
    if parts.month is None:
        return dt.date(parts.year, 1, 1), dt.date(parts.year, 12, 31)
    if parts.day is None:
        days = calendar.monthrange(parts.year, parts.month)[1]
        return dt.date(parts.year, parts.month, 1), dt.date(parts.year, parts.month, days)
    try:
        day = dt.date(parts.year, parts.month, parts.day)
    except ValueError:
        return None
    return day, day


def _with_dateparser(text: str, published: dt.date, direction: Direction) -> _Interval | None:
    """A date the grammar above does not cover, resolved by dateparser (the entity text):
    only expressions that name a month or a weekday or write a date in figures (``6/5/2016``).
    Durations ("70 years", "a week") are not dates, and a year written must be the year found.
    """
    words = set(re.findall(r"[a-z]+", text))
    if not (words & (MONTHS.keys() | WEEKDAYS.keys()) or _NUMERIC_DATE.match(text)):
        return None
    from dateparser.date import DateDataParser  # slow to import: loaded on first use

    parser = DateDataParser(
        languages=["en"],
        settings={
            "RELATIVE_BASE": dt.datetime.combine(published, dt.time()),
            "PREFER_DATES_FROM": "future" if direction == "future" else "past",
            "PREFER_DAY_OF_MONTH": "first",
            "RETURN_AS_TIMEZONE_AWARE": False,
        },
    )
    data = parser.get_date_data(text)
    if data is None or data.date_obj is None:
        return None
    value = data.date_obj.date()
    years = {int(y) for y in re.findall(r"\b(\d{4})\b", text)}
    if years and value.year not in years:
        return None
    period = data.period or "day"
    if period == "year":
        return _year(value.year)
    if period == "month":
        return _month(value.year, value.month)
    if period == "week":
        return _week(value)
    return _Interval(value, value, "day")


def _week(day: dt.date) -> _Interval:
    monday = day - dt.timedelta(days=day.weekday())
    sunday = monday + dt.timedelta(days=6)
    return _Interval(monday, sunday, "day", sunday.isoformat())


def _month(year: int, month: int) -> _Interval:
    days = calendar.monthrange(year, month)[1]
    return _Interval(dt.date(year, month, 1), dt.date(year, month, days), "month")


def _year(year: int) -> _Interval:
    return _Interval(dt.date(year, 1, 1), dt.date(year, 12, 31), "year")


def _add_months(year: int, month: int, step: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + step
    return index // 12, index % 12 + 1


def _iso(day: dt.date, precision: Precision) -> str:
    return {"day": day.isoformat(), "month": day.isoformat()[:7], "year": f"{day.year:04d}"}[
        precision
    ]


# --- background -------------------------------------------------------------------------


def first_day(date: EventDate) -> dt.date:
    """The first day an ISO date at its precision covers (``2016-05`` -> 1 May 2016)."""
    parts = [int(p) for p in date.value.split("-")] + [1, 1]
    return dt.date(parts[0], parts[1], parts[2])


def last_day(date: EventDate) -> dt.date:
    """The last day the date's start covers (``2016-05`` -> 31 May 2016, ``1956`` -> 31 Dec)."""
    start = first_day(date)
    if date.precision == "year":
        return dt.date(start.year, 12, 31)
    if date.precision == "month":
        return dt.date(start.year, start.month, calendar.monthrange(start.year, start.month)[1])
    return start


def is_background(date: EventDate | None, published: dt.date | None) -> bool:
    """Whether an event happened well before the article: the last day it can have started is
    more than :data:`BACKGROUND_AFTER_DAYS` days before publication."""
    if date is None or published is None or date.method != "expression":
        return False
    return (published - last_day(date)).days > BACKGROUND_AFTER_DAYS


def _after_publication(date: EventDate | None, published: dt.date | None) -> bool:
    """Whether a date resolved from an expression starts after the publication date."""
    if date is None or published is None or date.method != "expression":
        return False
    return first_day(date) > published


def is_claimed_past(token: Token, event: Event, position_verbs: frozenset[str]) -> bool:
    """An asserted past event in what a party maintains now ("Japan maintains that Russia
    illegally occupied those islands"): a standing position about the past, not news."""
    if event.modality != "asserted" or token.pos_ not in {"VERB", "AUX"}:
        return False
    if _tense(token) != "past" or token.dep_ != "ccomp":
        return False
    position = token.head
    return position.lemma_.lower() in position_verbs and _tense(position) == "present"


def is_standing_state(token: Token, event: Event) -> bool:
    """An asserted event noun, not the object of its verb, in a present-tense clause: a state
    the story takes as given ("in addition to Tokyo's sanctions against Moscow"), not news."""
    if token.pos_ != "NOUN" or event.modality != "asserted":
        return False
    verb = _clause_verb(token)
    if verb is None or (token.dep_ == "dobj" and token.head == verb):
        return False
    return _tense(verb) == "present"


# --- which way an expression points -------------------------------------------------------


def direction(
    token: Token | None, event: Event, future_governors: frozenset[str] = frozenset()
) -> Direction:
    """Forward for planned events and future clauses, back for past clauses, else nearest."""
    if event.modality == "future":
        return "future"
    if token is not None and _planned(token, future_governors):
        return "future"
    verb = _clause_verb(token) if token is not None else None
    tense = _tense(verb) if verb is not None else None
    if tense == "future":
        return "future"
    if tense == "past":
        return "past"
    return "nearest"


def _clause_verb(token: Token) -> Token | None:
    """The first verb at or above the token that carries tense (auxiliaries included):
    infinitives and gerunds ("to prepare", "after meeting") take the tense above them."""
    node = token
    for _ in range(12):
        if (
            node.pos_ in {"VERB", "AUX"}
            and node.dep_ not in {"amod", "compound"}
            and _tense(node) is not None
        ):
            return node
        if node.head.i == node.i:
            return None
        node = node.head
    return None


def _planned(token: Token, future_governors: frozenset[str]) -> bool:
    """Whether the trigger sits under an infinitive of a planning verb ("wanted to hold ...")."""
    node = token
    for _ in range(12):
        if node.pos_ in {"VERB", "AUX"} and _tense(node) is not None:
            return False
        is_infinitive = any(c.tag_ == "TO" and c.dep_ == "aux" for c in node.children)
        if is_infinitive and node.head.lemma_.lower() in future_governors:
            return True
        if node.head.i == node.i:
            return False
        node = node.head
    return False


def _auxiliaries(verb: Token) -> list[Token]:
    return [c for c in verb.children if c.dep_ in {"aux", "auxpass"}]


def _tense(verb: Token) -> str | None:
    words = [verb, *_auxiliaries(verb)]
    if any(w.lower_ in FUTURE_AUXILIARIES for w in words):
        return "future"
    if any(w.tag_ == "VBD" for w in words) or any(
        w.lower_ in PERFECT_AUXILIARIES for w in words[1:]
    ):
        return "past"
    if any(w.tag_ in {"VBZ", "VBP"} for w in words):
        return "present"
    return None


# --- attaching expressions to triggers ----------------------------------------------------


def _trigger_token(doc: Doc, event: Event) -> Token | None:
    span = doc.char_span(event.trigger.start, event.trigger.end, alignment_mode="expand")
    return span.root if span is not None else None


def _attach_expressions(doc: Doc, triggers: set[int]) -> dict[int, list[Span]]:
    """Map each trigger (or verb) token index to the time expressions attached below it, in
    text order: DATE entities, and TIME entities that name a day ("on Monday night", "Sunday
    evening"); not the dateline's date ("CUCUTA, Colombia, Feb 13 (Andes Report) - ..."),
    nor a "since" on a noun ("the first such meeting since 2019" dates an earlier one)."""
    attached: dict[int, list[Span]] = {}
    dateline_end = _dateline_end(doc)
    for ent in doc.ents:
        if not _is_time_expression(ent) or ent.end <= dateline_end or _since_on_noun(ent):
            continue
        node = ent.root
        while node.head.i != node.i:
            node = node.head
            if node.i in triggers or (
                node.pos_ in {"VERB", "AUX"} and node.dep_ not in PHRASAL_DEPS
            ):
                attached.setdefault(node.i, []).append(ent)
                break
    return attached


def _is_time_expression(ent: Span) -> bool:
    if ent.label_ == "DATE":
        return True
    words = set(ent.text.lower().split())
    return ent.label_ == "TIME" and bool(words & (WEEKDAYS.keys() | DAY_WORDS))


def _dateline_end(doc: Doc) -> int:
    """The token after a dateline left at the start of the text ("GOMA, Aug 7 (Great Lakes
    Observer) - "), else 0."""
    for token in doc[: min(len(doc), DATELINE_TOKENS)]:
        if token.text in DATELINE_DASHES and token.i > 0 and doc[token.i - 1].text == ")":
            return token.i + 1
    return 0


def _since_on_noun(ent: Span) -> bool:
    """``since`` hanging on a noun ("the first talks since January"), not on a verb."""
    prep = ent.root.head
    return (
        ent.root.dep_ == "pobj" and prep.lower_ == SINCE and prep.head.pos_ not in {"VERB", "AUX"}
    )


def _expressions_for(token: Token, attached: dict[int, list[Span]]) -> Iterator[Span]:
    """The trigger's own expressions, then those of the verbs governing it (not across a
    clause that has its own subject, unless it is a reported clause not in the past: "said on
    Wednesday it opposes the measures")."""
    node = token
    for _ in range(8):
        yield from attached.get(node.i, ())
        if node.head.i == node.i or (_starts_clause(node) and not _reported_now(node)):
            return
        node = node.head


def _reported_now(clause: Token) -> bool:
    """A clause reported by the verb above it that is not in the past ("said on Wednesday it
    opposes", "said on Wednesday that Baku would sign"): it holds at the time of the report."""
    return (
        clause.dep_ == "ccomp"
        and clause.head.pos_ in {"VERB", "AUX"}
        and any(c.dep_ == "nsubj" for c in clause.head.children)
        and _tense(clause) != "past"
    )


def _preposition(expression: Span) -> str | None:
    """The preposition governing the expression (``since`` in "since 2014"), if any."""
    head = expression.root.head
    if expression.root.dep_ == "pobj" and head.pos_ in {"ADP", "SCONJ"}:
        return head.lower_
    if expression.start > 0:
        before = expression.doc[expression.start - 1]
        if before.pos_ in {"ADP", "SCONJ"}:
            return before.lower_
    return None


def _starts_clause(token: Token) -> bool:
    return token.dep_ in {"relcl", "acl"} or (token.dep_ == "ccomp" and _has_subject(token))


def _has_subject(token: Token) -> bool:
    return any(c.dep_ in {"nsubj", "nsubjpass", "expl"} for c in token.children)


def expressions(doc: Doc) -> Iterable[Span]:
    """Every time expression in the document (for diagnostics)."""
    return (ent for ent in doc.ents if ent.label_ == "DATE")
