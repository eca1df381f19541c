"""The data of each page: frozen dataclasses that the HTML templates and the JSON API both render.

A view builds one of the ``*Page`` records; ``/api/...`` and ``....json`` return it as JSON (its
OpenAPI schema comes from these classes), and the HTML template reads the same record.
Dates are ISO strings; an event date keeps its precision (``2016-12``, ``1956``).
"""

from __future__ import annotations

from dataclasses import dataclass

QUAD_CLASSES: dict[int, str] = {
    1: "Verbal cooperation",
    2: "Material cooperation",
    3: "Verbal conflict",
    4: "Material conflict",
}
"""QuadClass numbers and their names (GDELT's)."""

MODALITIES: tuple[str, ...] = ("asserted", "negated", "future", "hypothetical")


@dataclass(frozen=True)
class QuadCounts:
    """Event counts per QuadClass."""

    verbal_coop: int = 0
    material_coop: int = 0
    verbal_conflict: int = 0
    material_conflict: int = 0


@dataclass(frozen=True)
class Period:
    """Events in one period (a day, ISO week, month or year) and how they lean."""

    period: str
    start: str
    end: str
    events: int
    counts: QuadCounts
    goldstein_sum: float | None
    goldstein_mean: float | None
    a_to_b: int | None = None
    """For a dyad: events from the first actor to the second (else None)."""
    b_to_a: int | None = None


@dataclass(frozen=True)
class ActorCount:
    """An actor (a country code, or an actor code for bodies with no country) and its events."""

    code: str
    name: str
    events: int
    as_source: int
    as_target: int


@dataclass(frozen=True)
class DyadCount:
    """A pair of actors, in either direction, and the events between them."""

    a: str
    b: str
    events: int
    goldstein_mean: float | None


@dataclass(frozen=True)
class CodeCount:
    root_code: str
    name: str
    events: int


@dataclass(frozen=True)
class ErrorRow:
    """A record that could not be read or coded."""

    input: str | None
    position: int | None
    stage: str | None
    reason: str | None
    recorded_at: str | None


@dataclass(frozen=True)
class MentionCounts:
    """How often an event was reported, when the store deduplicates events (else absent)."""

    num_mentions: int | None = None
    num_sources: int | None = None
    num_articles: int | None = None


@dataclass(frozen=True)
class EventSummary:
    """One row of an event list."""

    id: str
    article_id: str
    date: str | None
    date_precision: str | None
    background: bool
    source_code: str | None
    source_name: str | None
    code: str
    name: str | None
    root_code: str | None
    quad_class: int | None
    goldstein: float | None
    target_code: str | None
    target_name: str | None
    modality: str | None
    location_name: str | None
    sentence: str | None
    trigger: str | None
    mentions: MentionCounts | None = None


@dataclass(frozen=True)
class OverviewPage:
    """The corpus at a glance."""

    database: str
    articles: int
    events: int
    """Events, each counted once however many articles report it (when the store groups them)."""
    mentions: int
    """Coded sentences: every report of every event."""
    errors: int
    background_events: int
    first_date: str | None
    last_date: str | None
    first_published: str | None
    last_published: str | None
    months: list[Period]
    top_dyads: list[DyadCount]
    top_actors: list[ActorCount]
    top_codes: list[CodeCount]
    recent_errors: list[ErrorRow]


@dataclass(frozen=True)
class EventFilters:
    """The filters of an event list, as given (``None`` when not set)."""

    actor: str | None = None
    source: str | None = None
    target: str | None = None
    dyad: str | None = None
    code: str | None = None
    quad_class: int | None = None
    modality: str | None = None
    since: str | None = None
    until: str | None = None
    q: str | None = None
    place: str | None = None
    article: str | None = None
    background: bool = True
    mentions: bool = False
    """List every mention (one per reporting sentence) instead of one row per event."""


@dataclass(frozen=True)
class EventsPage:
    """A page of events matching the filters."""

    filters: EventFilters
    sort: str
    total: int
    limit: int
    offset: int
    events: list[EventSummary]
    next_offset: int | None
    prev_offset: int | None


@dataclass(frozen=True)
class ActorRef:
    """One side of an event as coded, with where it is in the article text."""

    text: str | None
    name: str | None
    code: str | None
    country: str | None
    role: str | None
    start: int | None
    end: int | None
    resolved_from: str | None


@dataclass(frozen=True)
class Highlight:
    """A stretch of the article text to mark: ``role`` is sentence, trigger, source or target."""

    role: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class RuleInfo:
    """The dictionary rule that coded the event, with its entry from the packaged data file."""

    rule: str | None
    file: str | None
    line: int | None
    entry_id: str | None
    entry: str | None


@dataclass(frozen=True)
class ArticleInfo:
    id: str
    title: str | None
    source: str | None
    published: str | None
    url: str | None
    origin: str | None
    warnings: list[str]
    text: str


@dataclass(frozen=True)
class QuoteRow:
    """Words attributed to a speaker in the article (when the store has quotes)."""

    text: str | None
    speaker: str | None
    speaker_code: str | None
    verb: str | None
    sentence_index: int | None
    direct: bool | None


@dataclass(frozen=True)
class CopyRow:
    """An exact copy of the article (same text, another id or URL), counted, not coded again."""

    id: str
    title: str | None
    source: str | None
    published: str | None
    url: str | None


@dataclass(frozen=True)
class EventDetail:
    """Everything stored about one event, grouped."""

    id: str
    article_id: str
    code: str
    name: str | None
    root_code: str | None
    root_name: str | None
    quad_class: int | None
    quad_name: str | None
    penta_class: int | None
    goldstein: float | None
    plover_event: str | None
    plover_mode: str | None
    source: ActorRef | None
    target: ActorRef | None
    date: str | None
    date_precision: str | None
    date_end: str | None
    date_text: str | None
    date_how: str
    background: bool
    modality: str | None
    is_root: bool | None
    location_name: str | None
    location_country: str | None
    location_adm1: str | None
    location_lat: float | None
    location_lon: float | None
    location_method: str | None
    place_how: str
    sentence_index: int | None
    sentence: str | None
    trigger: str | None
    trigger_start: int | None
    trigger_end: int | None
    mentions: MentionCounts | None


@dataclass(frozen=True)
class EventPage:
    """One event traced back to its sentence in its article."""

    event: EventDetail
    article: ArticleInfo
    highlights: list[Highlight]
    rule: RuleInfo
    other_mentions: list[EventSummary]
    other_mentions_how: str
    copies: list[CopyRow] | None
    """None when the store does not record copies."""
    quotes: list[QuoteRow] | None
    """None when the store has no quotes."""


@dataclass(frozen=True)
class DyadPage:
    """Two actors: their timeline and the events between them (both directions)."""

    a: str
    b: str
    a_name: str
    b_name: str
    by: str
    background: bool
    period: str | None
    timeline: list[Period]
    total: int
    events: list[EventSummary]
    events_truncated: bool
    listed: dict[str, str]
    """The events-page filters that list these events (for /events and the downloads)."""


@dataclass(frozen=True)
class Partner:
    """An actor's counterpart: events from the actor to it, from it to the actor."""

    code: str
    name: str
    outgoing: int
    incoming: int
    events: int
    goldstein_mean: float | None


@dataclass(frozen=True)
class NetworkNode:
    code: str
    name: str
    events: int


@dataclass(frozen=True)
class NetworkEdge:
    a: str
    b: str
    events: int
    goldstein_mean: float | None


@dataclass(frozen=True)
class DirectedEdge:
    """Events from one actor to another, as ``newsevents network`` counts them."""

    source: str
    source_name: str
    target: str
    target_name: str
    events: int
    goldstein_sum: float | None
    goldstein_mean: float | None
    cooperation: int
    """Events of QuadClass 1 or 2."""
    conflict: int
    """Events of QuadClass 3 or 4."""


@dataclass(frozen=True)
class NetworkPage:
    """Who interacts with whom across the corpus, under the page's filters: the heaviest
    directed edges (``newsevents.analysis.aggregates.actor_network``), their actors, and
    the same edges with both directions together (``links``, what the drawing shows)."""

    filters: EventFilters
    level: str
    min_events: int
    limit: int
    total_edges: int
    """Edges with at least ``min_events`` events; ``edges`` holds the first ``limit``."""
    edges: list[DirectedEdge]
    nodes: list[NetworkNode]
    links: list[NetworkEdge]
    first_date: str | None
    """The first and last event dates of the store (the time slider's ends)."""
    last_date: str | None


@dataclass(frozen=True)
class ActorPage:
    """An actor as source and as target, its main partners and their network."""

    code: str
    name: str
    as_source: int
    as_target: int
    source_counts: QuadCounts
    target_counts: QuadCounts
    partners: list[Partner]
    nodes: list[NetworkNode]
    edges: list[NetworkEdge]
    total: int
    events: list[EventSummary]
    events_truncated: bool


@dataclass(frozen=True)
class Place:
    """A located place and its events per QuadClass."""

    name: str
    country: str | None
    lat: float
    lon: float
    events: int
    counts: QuadCounts


@dataclass(frozen=True)
class MapPage:
    """Events by location for a period."""

    since: str | None
    until: str | None
    quad_class: int | None
    background: bool
    places: list[Place]
    located: int
    unlocated: int
    first_date: str | None
    last_date: str | None


@dataclass(frozen=True)
class ErrorBody:
    """What every failed request returns (JSON routes)."""

    ok: bool
    error: str
    status: int
