"""Stage 5, dates: the date of each event, from the time expression attached to its clause.

Time expressions are spaCy's DATE entities. An expression belongs to the nearest event trigger
above it in the dependency tree; a trigger without one looks up its chain of governing verbs
("Lavrov said Saturday [that ...]"). The expression is resolved with dateparser against the
article's publication date, towards the past for asserted events and towards the future for
planned ones; a weekday means the one on or before publication. An event with no expression
takes the publication date. Events dated over a year before publication are marked background.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import replace

from spacy.tokens import Doc, Span, Token

from .model import Event, EventDate, Precision

WEEKDAYS = frozenset({"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"})
BACKGROUND_AFTER_DAYS = 365
PHRASAL_DEPS = frozenset({"prep", "amod", "compound", "acl"})
"""Verbs in these roles are phrase words ("according to", "following"), not clauses."""
_LEADING_WORDS = re.compile(r"^(?:on|in|of|since|during|by|from|at|the)\s+", re.IGNORECASE)
_PERIOD_PRECISION: dict[str, Precision] = {
    "day": "day",
    "week": "day",
    "time": "day",
    "month": "month",
    "year": "year",
}


class DateResolver:
    """Sets ``Event.date`` (and ``background``) for the events of one article."""

    def __call__(
        self, doc: Doc, events: tuple[Event, ...], published: dt.date | None
    ) -> tuple[Event, ...]:
        triggers = {self._trigger_token(doc, e).i for e in events if self._trigger_token(doc, e)}
        attached = _attach_expressions(doc, triggers)
        dated = []
        for event in events:
            token = self._trigger_token(doc, event)
            expression = _expression_for(token, attached) if token is not None else None
            date = self.resolve(expression, published, future=event.modality == "future")
            modality = event.modality
            if modality == "asserted" and _after_publication(date, published):
                modality = "future"
            dated.append(
                replace(
                    event, date=date, modality=modality, background=is_background(date, published)
                )
            )
        return tuple(dated)

    @staticmethod
    def _trigger_token(doc: Doc, event: Event) -> Token | None:
        span = doc.char_span(event.trigger.start, event.trigger.end, alignment_mode="expand")
        return span.root if span is not None else None

    def resolve(
        self, expression: Span | None, published: dt.date | None, future: bool
    ) -> EventDate | None:
        """Resolve a time expression against the publication date."""
        if expression is not None and published is not None:
            resolved = resolve_expression(expression.text, published, future)
            if resolved is not None:
                return resolved
        if published is None:
            return None
        return EventDate(published.isoformat(), "day", None, None, "article")


def resolve_expression(text: str, published: dt.date, future: bool = False) -> EventDate | None:
    """``"Saturday"`` -> the Saturday on or before publication; ``"Dec. 15"`` -> that day of the
    publication year, or the next one for a future event; ``"in May"`` -> the last May."""
    from dateparser.date import DateDataParser  # loaded on first use: slow to import

    cleaned = _LEADING_WORDS.sub("", text.strip())
    base = dt.datetime.combine(published, dt.time())
    if cleaned.lower() in WEEKDAYS and not future:
        base += dt.timedelta(days=1)  # "on Saturday" in a Saturday paper is that day
    parser = DateDataParser(
        languages=["en"],
        settings={
            "RELATIVE_BASE": base,
            "PREFER_DATES_FROM": "future" if future else "past",
            "PREFER_DAY_OF_MONTH": "first",
            "RETURN_AS_TIMEZONE_AWARE": False,
        },
    )
    data = parser.get_date_data(cleaned)
    if data is None or data.date_obj is None:
        return None
    precision = _PERIOD_PRECISION.get(data.period or "day", "day")
    value = data.date_obj.date()
    iso = {"day": value.isoformat(), "month": value.isoformat()[:7], "year": str(value.year)}[
        precision
    ]
    return EventDate(iso, precision, None, text, "expression")


def _after_publication(date: EventDate | None, published: dt.date | None) -> bool:
    """Whether a date resolved from an expression lies after the publication date."""
    if date is None or published is None or date.method != "expression":
        return False
    return date.value > published.isoformat()[: len(date.value)]


def is_background(date: EventDate | None, published: dt.date | None) -> bool:
    """Whether an event happened well before the article (a year or more)."""
    if date is None or published is None or date.method != "expression":
        return False
    start = _first_day(date)
    return (published - start).days > BACKGROUND_AFTER_DAYS


def _first_day(date: EventDate) -> dt.date:
    parts = [int(p) for p in date.value.split("-")] + [1, 1]
    return dt.date(parts[0], parts[1], parts[2])


def _attach_expressions(doc: Doc, triggers: set[int]) -> dict[int, Span]:
    """Map each trigger (or verb) token index to the first DATE entity attached below it."""
    attached: dict[int, Span] = {}
    for ent in doc.ents:
        if ent.label_ != "DATE":
            continue
        node = ent.root
        while node.head.i != node.i:
            node = node.head
            if node.i in triggers or (
                node.pos_ in {"VERB", "AUX"} and node.dep_ not in PHRASAL_DEPS
            ):
                attached.setdefault(node.i, ent)
                break
    return attached


def _expression_for(token: Token, attached: dict[int, Span]) -> Span | None:
    """The trigger's own expression, else one of the verbs governing it (not across a clause
    that has its own subject)."""
    node = token
    for _ in range(8):
        if node.i in attached:
            return attached[node.i]
        if node.head.i == node.i or _starts_clause(node):
            return None
        node = node.head
    return None


def _starts_clause(token: Token) -> bool:
    return token.dep_ in {"relcl", "acl"} or (token.dep_ == "ccomp" and _has_subject(token))


def _has_subject(token: Token) -> bool:
    return any(c.dep_ in {"nsubj", "nsubjpass", "expl"} for c in token.children)


def expressions(doc: Doc) -> Iterable[Span]:
    """Every time expression in the document (for diagnostics)."""
    return (ent for ent in doc.ents if ent.label_ == "DATE")
