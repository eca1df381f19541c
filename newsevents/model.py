"""The records that flow through newsevents.

Frozen dataclasses: stages build new ones, never mutate them.

An :class:`Article` comes out of the readers; the pipeline turns it into a :class:`CodedArticle`
holding :class:`Event` and :class:`Quote` records. Every event keeps its provenance: the sentence,
the character spans of its trigger, source and target, and the dictionary rule that coded it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

Modality = Literal["asserted", "negated", "future", "hypothetical"]
Precision = Literal["day", "month", "year"]


@dataclass(frozen=True)
class Article:
    """One news story as read from the input, with the body cleaned for coding."""

    id: str
    text: str
    title: str | None = None
    source: str | None = None
    published: dt.date | None = None
    url: str | None = None
    warnings: tuple[str, ...] = ()
    origin: str | None = None
    """Where the record came from: ``file`` or ``file:line``."""
    dateline_place: str | None = None
    """The city named in a dateline such as ``MOSCOW, Dec. 3 (Xinhua) --``, when there is one."""
    content_hash: str = ""
    """A hash of the normalised text; equal for syndicated copies of the same story."""


@dataclass(frozen=True)
class ReadError:
    """A record that could not be read or coded. Recorded, counted, and the run goes on."""

    input: str
    position: int | None
    stage: str
    reason: str


@dataclass(frozen=True)
class Span:
    """A stretch of the article text: ``text == article.text[start:end]``."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Actor:
    """Who acts or is acted upon, resolved to a CAMEO actor code."""

    text: str
    """The words as written in the sentence (``"Lavrov"``, ``"he"``, ``"Tokyo"``)."""
    name: str
    """A canonical name (``"Sergey Lavrov"``, ``"Japan"``)."""
    code: str
    """CAMEO actor code, e.g. ``RUSGOV``, ``JPN``, ``UNO``."""
    country: str | None
    """ISO 3166-1 alpha-3 code of the actor's country, or None for international bodies."""
    role: str | None
    """CAMEO role code (``GOV``, ``MIL`` ...) or None."""
    span: Span
    resolved_from: Span | None = None
    """For coreference: the earlier mention this one was resolved from."""
    rule: str = ""
    """Which dictionary entry or resolution rule produced the actor."""


@dataclass(frozen=True)
class Location:
    """Where an event happened."""

    name: str
    country: str | None
    lat: float | None
    lon: float | None
    adm1: str | None = None
    method: str = "attached"
    """How the place was chosen: ``attached`` (a phrase of the event's clause) or ``dateline``."""
    span: Span | None = None
    feature: str | None = None
    """What kind of place: ``city`` (GeoNames coordinates), ``country`` (lat/lon are the
    country's representative point, not a city's) or ``region`` (a territory, no point). The
    places stage also sets ``method`` ``here``: the dateline city, for an event said to be
    "here" (docs/context.md)."""


@dataclass(frozen=True)
class EventDate:
    """When an event happened, at the precision the text gives."""

    value: str
    """ISO date at its precision: ``2016-12-15``, ``2016-05`` or ``1956``."""
    precision: Precision
    end: str | None = None
    """The end of a range (``from 6 to 8 May``), else None."""
    text: str | None = None
    """The time expression it was resolved from; None when it is the article date."""
    method: str = "article"
    """``expression`` (resolved from ``text``) or ``article`` (the publication date)."""


@dataclass(frozen=True)
class Event:
    """One coded event with everything needed to explain it."""

    id: str
    article_id: str
    code: str
    name: str | None
    root_code: str | None
    quad_class: int | None
    penta_class: int | None
    goldstein: float | None
    """``name`` to ``plover_mode`` come from the CAMEO codebook. They are None for a code
    outside it, which only a user's PETRARCH/TABARI dictionary can give (docs/actors.md)."""
    plover_event: str | None
    plover_mode: str | None
    source: Actor | None
    target: Actor | None
    date: EventDate | None
    modality: Modality
    is_root: bool
    location: Location | None
    sentence_index: int
    sentence: str
    trigger: Span
    rule: str
    background: bool = False
    confidence: float | None = None
    """How likely the event is right, 0–1, from the evidence below (docs/confidence.md);
    None before the confidence stage ran."""
    evidence: tuple[tuple[str, float], ...] = ()
    """The features that moved ``confidence`` most: (name, contribution in log-odds)."""


@dataclass(frozen=True)
class Quote:
    """Words attributed to a speaker."""

    text: str
    speaker: Actor | None
    verb: str | None
    sentence_index: int
    direct: bool
    span: Span | None = None


@dataclass(frozen=True)
class CodedArticle:
    """An article with the events and quotes found in it."""

    article: Article
    events: tuple[Event, ...] = ()
    quotes: tuple[Quote, ...] = ()
    meta: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    """Run facts (sentence count, timings); not part of the output contract."""
