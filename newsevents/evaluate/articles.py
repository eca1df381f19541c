"""The ``articles`` evaluator: whole articles with a gold reading (docs/gold.md).

A gold folder holds pairs ``NN-slug.txt`` (title line, ``Outlet, Month D, YYYY``, body) and
``NN-slug.gold.json`` (the events a careful CAMEO coder takes from the text, the traps a naive
coder falls into, the sentences that hold no event, the countries a correct reading may name).
Each text is read with the plain-text reader, all of them are coded in one ``pipeline.pipe``
run, and the emitted events are matched to the gold:

- a *pair* (emitted event, gold event) has a code that starts with one of the gold ``root``
  entries (and one of its ``codes`` when given), and it may also agree on the source and target
  party (the actor's country; for an international body its organization code, ``UNO``,
  ``EEC``), the date prefix and the modality;
- *recall*: each gold event is assigned at most one emitted event and each emitted event at
  most one gold event (best-first: the gold's own sentence, then agreeing actors, date and
  modality, then the nearest mention; re-routed so that one emitted event never hides another
  gold event's only match). At the root level a pair counts in the gold's sentence, or anywhere in
  the article when source and target agree too;
- *precision*: an emitted event is accounted for when some gold event matches its root, source
  and target, in any sentence (an article repeats its events), unless the event sits on a gold
  no-event sentence or violates a trap: those are wrong whatever else they match.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsevents.errors import EvaluationError
from newsevents.evaluate.formats import (
    WORST_CONFUSIONS,
    Confusion,
    EvaluationReport,
    Metric,
    Miss,
    organization_kinds,
    ratio,
)
from newsevents.model import Actor, Article, CodedArticle, Event, ReadError
from newsevents.read.inputs import read_text_file

if TYPE_CHECKING:
    from newsevents.coding.pipeline import Pipeline

GOLD_SUFFIX = ".gold.json"
UNLABELLED = "unlabelled"
"""The kind of a no-event sentence given as a plain string (the peer set's form)."""
NO_PHENOMENON = "(none)"
NO_REGION = "(no region)"
Place = tuple[int, int]
"""A stretch of the article text, ``(start, end)`` character offsets."""


# --- the gold ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class GoldEvent:
    id: str
    roots: tuple[str, ...]
    codes: tuple[str, ...]
    """Finer acceptable codes (by prefix); empty: any code under ``roots``."""
    src: frozenset[str] | None
    """Acceptable source parties; None: unconstrained."""
    tgt: frozenset[str] | None
    date: str | None
    """A date prefix, ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""
    modality: tuple[str, ...]
    """Acceptable modalities; empty: any."""
    phenomena: tuple[str, ...]
    sentence_contains: str | None


@dataclass(frozen=True)
class Trap:
    """A ``forbidden`` entry: codes that would be wrong on one sentence."""

    id: str
    codes_prefix: tuple[str, ...]
    modality_not: tuple[str, ...]
    """Modalities under which such a code is acceptable."""
    sentence_contains: str
    phenomena: tuple[str, ...]


@dataclass(frozen=True)
class NoEventSentence:
    text: str
    kind: str


@dataclass(frozen=True)
class GoldArticle:
    name: str
    """The file name without ``.gold.json``."""
    text_path: Path
    source: str | None
    published: str | None
    title_contains: str | None
    region: str | None
    events: tuple[GoldEvent, ...]
    traps: tuple[Trap, ...]
    no_event: tuple[NoEventSentence, ...]
    allowed_countries: frozenset[str]


def gold_files(path: Path) -> list[Path]:
    """The ``*.gold.json`` files of a folder in name order, or the one file given."""
    if path.is_dir():
        found = sorted(path.glob(f"*{GOLD_SUFFIX}"))
        if not found:
            raise EvaluationError(f"{path}: no *{GOLD_SUFFIX} files (docs/gold.md)")
        return found
    if path.name.endswith(GOLD_SUFFIX):
        return [path]
    if path.suffix == ".txt" and path.with_name(path.stem + GOLD_SUFFIX).is_file():
        return [path.with_name(path.stem + GOLD_SUFFIX)]
    raise EvaluationError(f"{path}: expected a folder of gold articles or a {GOLD_SUFFIX} file")


def read_gold_articles(path: Path, limit: int | None = None) -> list[GoldArticle]:
    return [read_gold_article(p) for p in gold_files(path)[:limit]]


def read_gold_article(path: Path) -> GoldArticle:
    raw = _json(path)
    name = path.name[: -len(GOLD_SUFFIX)]
    text_path = path.with_name(name + ".txt")
    if not text_path.is_file():
        raise EvaluationError(f"{path}: its article {text_path.name} is missing")
    header = raw.get("article") or {}
    return GoldArticle(
        name=name,
        text_path=text_path,
        source=header.get("source"),
        published=header.get("published"),
        title_contains=header.get("title_contains"),
        region=raw.get("region"),
        events=tuple(
            _gold_event(e, f"{path}: events[{i}]") for i, e in _entries(raw, "events", path)
        ),
        traps=tuple(
            _trap(t, f"{path}: forbidden[{i}]") for i, t in _entries(raw, "forbidden", path)
        ),
        no_event=tuple(
            _no_event(n, f"{path}: no_event_sentences[{i}]")
            for i, n in _entries(raw, "no_event_sentences", path)
        ),
        allowed_countries=frozenset(_strings(raw.get("allowed_countries"), str(path))),
    )


def _json(path: Path) -> dict[str, Any]:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise EvaluationError(f"{path}: not a gold article JSON file: {exc}") from exc
    if not isinstance(raw, dict) or not isinstance(raw.get("events"), list):
        raise EvaluationError(f"{path}: expected a JSON object with an 'events' list")
    return raw


def _entries(raw: Mapping[str, Any], key: str, path: Path) -> Iterator[tuple[int, Any]]:
    value = raw.get(key) or []
    if not isinstance(value, list):
        raise EvaluationError(f"{path}: '{key}' must be a list")
    return enumerate(value)


def _gold_event(raw: Any, where: str) -> GoldEvent:
    if not isinstance(raw, dict) or not raw.get("root"):
        raise EvaluationError(f"{where}: an event needs a 'root' list")
    return GoldEvent(
        id=str(raw.get("id", where)),
        roots=_strings(raw["root"], where),
        codes=_strings(raw.get("codes"), where),
        src=_parties(raw.get("src"), where),
        tgt=_parties(raw.get("tgt"), where),
        date=_optional_string(raw.get("date"), where),
        modality=_strings(raw.get("modality"), where),
        phenomena=_strings(raw.get("phenomena"), where),
        sentence_contains=_optional_string(raw.get("sentence_contains"), where),
    )


def _trap(raw: Any, where: str) -> Trap:
    if not isinstance(raw, dict) or not raw.get("sentence_contains"):
        raise EvaluationError(f"{where}: a forbidden entry needs 'sentence_contains'")
    return Trap(
        id=str(raw.get("id", where)),
        codes_prefix=_strings(raw.get("codes_prefix"), where),
        modality_not=_strings(raw.get("modality_not"), where),
        sentence_contains=str(raw["sentence_contains"]),
        phenomena=_strings(raw.get("phenomena"), where),
    )


def _no_event(raw: Any, where: str) -> NoEventSentence:
    if isinstance(raw, str):
        return NoEventSentence(raw, UNLABELLED)
    if isinstance(raw, dict) and isinstance(raw.get("text"), str):
        return NoEventSentence(raw["text"], str(raw.get("kind") or UNLABELLED))
    raise EvaluationError(f"{where}: expected a string or an object with 'text'")


def _parties(value: Any, where: str) -> frozenset[str] | None:
    if value is None:
        return None
    return frozenset(_strings(value, where))


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise EvaluationError(f"{where}: expected a string or a list of strings, got {value!r}")
    return tuple(values)


def _optional_string(value: Any, where: str) -> str | None:
    if value is not None and not isinstance(value, str):
        raise EvaluationError(f"{where}: expected a string, got {value!r}")
    return value


# --- coding the articles ----------------------------------------------------------------------


def read_article(gold: GoldArticle, debris: tuple[str, ...]) -> Article:
    results = list(read_text_file(gold.text_path, debris))
    if len(results) != 1 or isinstance(results[0], ReadError):
        reason = results[0].reason if results and isinstance(results[0], ReadError) else "empty"
        raise EvaluationError(f"{gold.text_path}: cannot read the article: {reason}")
    return replace(results[0], id=gold.name)


def code_articles(pipeline: Pipeline, golds: Sequence[GoldArticle]) -> list[CodedArticle]:
    """All articles through ``pipeline.pipe`` (batched parsing), in gold order."""
    articles = [read_article(g, pipeline.debris) for g in golds]
    coded: list[CodedArticle] = []
    for gold, result in zip(golds, pipeline.pipe(articles), strict=True):
        if isinstance(result, ReadError):
            raise EvaluationError(f"{gold.text_path}: coding failed: {result.reason}")
        coded.append(result)
    return coded


def header_ok(gold: GoldArticle, article: Article) -> bool:
    """Whether the title, outlet and date were read from the first two lines as gold says."""
    published = article.published.isoformat() if article.published else None
    title = article.title or ""
    return (
        (gold.source is None or article.source == gold.source)
        and (gold.published is None or published == gold.published)
        and (gold.title_contains is None or gold.title_contains in title)
    )


# --- where things are in the text -------------------------------------------------------------


def locate(text: str, piece: str | None) -> Place | None:
    """Where a verbatim piece first occurs in the coded text (None: not there, e.g. a byline
    the reader removed)."""
    if not piece:
        return None
    start = text.find(piece)
    return (start, start + len(piece)) if start >= 0 else None


def sentence_place(text: str, event: Event) -> Place:
    """The stretch of the text of the event's sentence (the trigger's, if not found), cut at
    the trigger's paragraph: the parser sometimes runs a sentence on into the next paragraph."""
    trigger = event.trigger
    start = text.find(event.sentence, max(0, trigger.end - len(event.sentence)))
    if not 0 <= start <= trigger.start:
        return (trigger.start, trigger.end)
    paragraph_start = text.rfind("\n", 0, trigger.start) + 1
    paragraph_end = text.find("\n", trigger.end)
    end = start + len(event.sentence)
    return (max(start, paragraph_start), end if paragraph_end < 0 else min(end, paragraph_end))


def overlaps(a: Place | None, b: Place | None) -> bool:
    return a is not None and b is not None and a[0] < b[1] and b[0] < a[1]


def party(actor: Actor | None, organizations: Mapping[str, str]) -> str | None:
    """The party an actor stands for: its country, or for an international body the
    organization code its actor code starts with (``UNO``, ``EEC``; ``HCRGOV`` -> ``HCR``)."""
    if actor is None:
        return None
    if actor.country:
        return actor.country
    return actor.code[:3] if actor.code[:3] in organizations else None


# --- matching ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Emitted:
    """An emitted event with what matching needs."""

    event: Event
    place: Place
    """Its sentence in the text."""
    source: str | None
    """The party of its source actor (:func:`party`)."""
    target: str | None


@dataclass(frozen=True)
class Pair:
    """What an emitted event (index ``event``) and a gold event (index ``gold``) agree on."""

    event: int
    gold: int
    code: bool
    """The code starts with a gold root (and one of the gold ``codes`` when given)."""
    root: bool
    """The code starts with a gold root; ``codes`` ignored."""
    source: bool
    target: bool
    date: bool
    modality: bool
    placed: bool
    """The gold names its sentence and the sentence is in the coded text."""
    in_sentence: bool
    """The emitted event's sentence overlaps the gold's sentence piece."""
    distance: int
    """Characters from the gold's sentence piece to the emitted trigger."""

    @property
    def actors(self) -> bool:
        return self.source and self.target

    @property
    def in_place(self) -> bool:
        """In the gold's sentence, or anywhere when the gold names no sentence."""
        return self.in_sentence or not self.placed


Level = Callable[[Pair], bool]
HEADLINE = "event_recall"
ROOT_LEVEL = "event_recall_root"
DATED = "event_recall_dated"
LEVELS: Mapping[str, Level] = {
    HEADLINE: lambda p: p.code and p.actors,
    ROOT_LEVEL: lambda p: p.code and (p.in_place or p.actors),
    DATED: lambda p: p.code and p.actors and p.date,
    "event_recall_in_sentence": lambda p: p.code and p.actors and p.in_place,
    "event_recall_ignoring_codes": lambda p: p.root and p.actors,
}
"""Recall levels: which pairs find a gold event. At the root level a pair must be in the gold's
sentence unless its source and target agree as well."""


def starts_with_any(code: str, prefixes: Iterable[str]) -> bool:
    return any(code.startswith(p) for p in prefixes)


def side_ok(got: str | None, wanted: frozenset[str] | None) -> bool:
    return wanted is None or got in wanted


def make_pair(i: int, emitted: Emitted, j: int, gold: GoldEvent, place: Place | None) -> Pair:
    event = emitted.event
    root = starts_with_any(event.code, gold.roots)
    date = event.date.value if event.date else ""
    return Pair(
        event=i,
        gold=j,
        code=root and (not gold.codes or starts_with_any(event.code, gold.codes)),
        root=root,
        source=side_ok(emitted.source, gold.src),
        target=side_ok(emitted.target, gold.tgt),
        date=gold.date is None or date.startswith(gold.date),
        modality=not gold.modality or event.modality in gold.modality,
        placed=place is not None,
        in_sentence=overlaps(emitted.place, place),
        distance=abs(event.trigger.start - place[0]) if place else 0,
    )


def preference(pair: Pair) -> tuple[bool, bool, bool, bool, int, int]:
    """Sort key, best pair first: in the gold's sentence, right actors, right date, right
    modality, nearest."""
    return (
        not pair.in_place,
        not pair.actors,
        not pair.date,
        not pair.modality,
        pair.distance,
        pair.event,
    )


def best(pairs: Iterable[Pair]) -> Pair | None:
    return min(pairs, key=preference, default=None)


def assign(pairs: Iterable[Pair], level: Level) -> dict[int, Pair]:
    """Gold index -> the pair that finds it, at most one emitted event per gold event and one
    gold event per emitted event: the preferred pair first, re-routed along augmenting paths
    so that one emitted event never hides another gold event's only match."""
    options: dict[int, list[Pair]] = {}
    for pair in sorted((p for p in pairs if level(p)), key=preference):
        options.setdefault(pair.gold, []).append(pair)
    owner: dict[int, Pair] = {}
    for gold in sorted(options):
        _augment(gold, options, owner, set())
    return {pair.gold: pair for pair in owner.values()}


def _augment(
    gold: int, options: Mapping[int, list[Pair]], owner: dict[int, Pair], seen: set[int]
) -> bool:
    for pair in options[gold]:
        if pair.event in seen:
            continue
        seen.add(pair.event)
        held = owner.get(pair.event)
        if held is None or _augment(held.gold, options, owner, seen):
            owner[pair.event] = pair
            return True
    return False


def violates(emitted: Emitted, trap: Trap, place: Place | None) -> bool:
    """A trap's code on its sentence, in a modality the trap does not allow."""
    event = emitted.event
    return (
        overlaps(emitted.place, place)
        and starts_with_any(event.code, trap.codes_prefix)
        and event.modality not in trap.modality_not
    )


def actor_difference(pair: Pair, emitted: Emitted) -> str:
    """How a pair whose code agrees differs on the actors."""
    for side, ok, actor, got in (
        ("source", pair.source, emitted.event.source, emitted.source),
        ("target", pair.target, emitted.event.target, emitted.target),
    ):
        if ok:
            continue
        if actor is None:
            return f"{side} missing"
        return f"{side} without a country" if got is None else f"wrong {side}"
    return "actors agree"


# --- scoring one article ----------------------------------------------------------------------


@dataclass(frozen=True)
class GoldOutcome:
    """How one gold event fared."""

    article: str
    region: str | None
    gold: GoldEvent
    found: Mapping[str, bool]
    """Recall level name -> found at that level."""
    modality_ok: bool | None
    """None unless the gold gives a modality and the event was found."""
    event: Event | None
    """The emitted event that found it (headline level)."""
    closest: Event | None
    """When missed: the emitted event of its sentence that agrees most with it."""
    cause: str
    """Why it was missed; empty when found."""


@dataclass(frozen=True)
class EventOutcome:
    """How one emitted event fared."""

    article: str
    region: str | None
    emitted: Emitted
    accounted_by: GoldEvent | None
    """The gold event that matches its code, source and target."""
    associated: GoldEvent | None
    """The gold event it matches at the root level (for the missing-actor shares)."""
    no_event_kind: str | None
    """It sits on a gold no-event sentence of this kind."""
    trap: Trap | None
    """It violates this trap."""
    judged_actors: int
    """Its actors checked against ``allowed_countries``..."""
    wrong_actors: int
    """...and how many of them were outside."""
    cause: str
    """Why no gold event accounts for it; empty when one does."""
    sentence_gold: GoldEvent | None = None
    """A gold event of its sentence (the closest), when it is not accounted for."""


@dataclass(frozen=True)
class NoEventOutcome:
    article: str
    region: str | None
    sentence: NoEventSentence
    located: bool
    """The piece is in the coded text (the reader drops credit lines, for one)."""
    events: int
    asserted: int


@dataclass(frozen=True)
class TrapOutcome:
    article: str
    region: str | None
    trap: Trap
    violations: int


@dataclass(frozen=True)
class ArticleOutcome:
    gold: GoldArticle
    header_ok: bool
    golds: tuple[GoldOutcome, ...]
    events: tuple[EventOutcome, ...]
    no_events: tuple[NoEventOutcome, ...]
    traps: tuple[TrapOutcome, ...]


def emitted_events(
    coded: CodedArticle, organizations: Mapping[str, str], min_confidence: float | None = None
) -> list[Emitted]:
    """The article's events ready for matching; with ``min_confidence`` those below it are
    left out (an event without a ``confidence`` is kept)."""
    text = coded.article.text
    return [
        Emitted(
            e,
            sentence_place(text, e),
            party(e.source, organizations),
            party(e.target, organizations),
        )
        for e in coded.events
        if min_confidence is None or confidence(e, min_confidence) >= min_confidence
    ]


def confidence(event: Event, default: float) -> float:
    """The event's ``confidence`` (``default`` while events carry none)."""
    value = getattr(event, "confidence", None)
    return default if value is None else float(value)


@dataclass(frozen=True)
class ArticleContext:
    """One article's gold pieces located in its coded text, and all (event, gold) pairs."""

    gold: GoldArticle
    emitted: tuple[Emitted, ...]
    places: tuple[Place | None, ...]
    no_events: tuple[tuple[NoEventSentence, Place | None], ...]
    traps: tuple[tuple[Trap, Place | None], ...]
    pairs: tuple[Pair, ...]
    organizations: frozenset[str]

    def pairs_of_event(self, i: int) -> list[Pair]:
        return [p for p in self.pairs if p.event == i]

    def pairs_of_gold(self, j: int) -> list[Pair]:
        return [p for p in self.pairs if p.gold == j]


def article_context(
    gold: GoldArticle,
    text: str,
    emitted: Sequence[Emitted],
    organizations: Iterable[str],
) -> ArticleContext:
    places = tuple(locate(text, g.sentence_contains) for g in gold.events)
    pairs = tuple(
        make_pair(i, e, j, g, places[j])
        for i, e in enumerate(emitted)
        for j, g in enumerate(gold.events)
    )
    return ArticleContext(
        gold=gold,
        emitted=tuple(emitted),
        places=places,
        no_events=tuple((n, locate(text, n.text)) for n in gold.no_event),
        traps=tuple((t, locate(text, t.sentence_contains)) for t in gold.traps),
        pairs=pairs,
        organizations=frozenset(organizations),
    )


def score_article(
    gold: GoldArticle,
    coded: CodedArticle,
    emitted: Sequence[Emitted],
    organizations: Iterable[str] = (),
) -> ArticleOutcome:
    """Match one article's emitted events to its gold reading."""
    context = article_context(gold, coded.article.text, emitted, organizations)
    found = {name: assign(context.pairs, level) for name, level in LEVELS.items()}
    events = tuple(event_outcome(context, i) for i in range(len(emitted)))
    return ArticleOutcome(
        gold=gold,
        header_ok=header_ok(gold, coded.article),
        golds=tuple(gold_outcome(context, j, found) for j in range(len(gold.events))),
        events=events,
        no_events=tuple(no_event_outcome(context, n, p) for n, p in context.no_events),
        traps=tuple(
            TrapOutcome(gold.name, gold.region, t, sum(violates(e, t, place) for e in emitted))
            for t, place in context.traps
        ),
    )


def gold_outcome(
    context: ArticleContext, j: int, found: Mapping[str, Mapping[int, Pair]]
) -> GoldOutcome:
    gold = context.gold.events[j]
    hit = found[HEADLINE].get(j)
    closest = None if hit else closest_pair(context, j)
    closest_event = context.emitted[closest.event] if closest else None
    return GoldOutcome(
        article=context.gold.name,
        region=context.gold.region,
        gold=gold,
        found={name: j in by_gold for name, by_gold in found.items()},
        modality_ok=hit.modality if hit and gold.modality else None,
        event=context.emitted[hit.event].event if hit else None,
        closest=closest_event.event if closest_event else None,
        cause="" if hit else gold_miss_cause(context, j, closest),
    )


def closest_pair(context: ArticleContext, j: int) -> Pair | None:
    """The emitted event of the gold's sentence that agrees most with it; when the gold names
    no sentence, the nearest one sharing its root."""
    mine = [p for p in context.pairs_of_gold(j) if p.in_sentence or (not p.placed and p.root)]
    return max(mine, key=lambda p: (p.code, p.root, p.source, p.target, -p.distance), default=None)


def gold_miss_cause(context: ArticleContext, j: int, closest: Pair | None) -> str:
    gold = context.gold.events[j]
    if gold.sentence_contains and context.places[j] is None:
        return "its sentence is not in the coded text"
    if closest is None:
        return "no event in its sentence" if gold.sentence_contains else "no event of its root"
    if closest.code:
        difference = actor_difference(closest, context.emitted[closest.event])
        return "its match went to another gold event" if closest.actors else difference
    if closest.root:
        return "root right, code outside the gold's codes"
    return "another code in its sentence"


def event_outcome(context: ArticleContext, i: int) -> EventOutcome:
    emitted = context.emitted[i]
    mine = context.pairs_of_event(i)
    no_event = next(
        (n.kind for n, place in context.no_events if overlaps(emitted.place, place)), None
    )
    trap = next((t for t, place in context.traps if violates(emitted, t, place)), None)
    wrong = no_event is not None or trap is not None
    accounted = None if wrong else best(p for p in mine if LEVELS[HEADLINE](p))
    associated = None if wrong else best(p for p in mine if LEVELS[ROOT_LEVEL](p))
    judged, outside = country_check(emitted, context.gold.allowed_countries, context.organizations)
    sentence_pair = best(p for p in mine if p.in_sentence) if not accounted else None
    return EventOutcome(
        article=context.gold.name,
        region=context.gold.region,
        emitted=emitted,
        accounted_by=_gold_of(context, accounted),
        associated=_gold_of(context, associated),
        no_event_kind=no_event,
        trap=trap,
        judged_actors=judged,
        wrong_actors=outside,
        cause="" if accounted else event_cause(context, i, no_event, trap),
        sentence_gold=_gold_of(context, sentence_pair),
    )


def _gold_of(context: ArticleContext, pair: Pair | None) -> GoldEvent | None:
    return context.gold.events[pair.gold] if pair else None


def event_cause(context: ArticleContext, i: int, no_event: str | None, trap: Trap | None) -> str:
    """Why no gold event accounts for an emitted event: compared with the gold events of its
    sentence, or of the whole article when the gold names no sentences (the peer set)."""
    if no_event is not None:
        return f"on a no-event sentence ({no_event})"
    if trap is not None:
        return f"violates a trap ({', '.join(trap.phenomena) or trap.id})"
    placed = any(p.placed for p in context.pairs)
    mine = context.pairs_of_event(i)
    candidates = [p for p in mine if p.in_sentence] if placed else mine
    agreeing = [p for p in candidates if p.code]
    if agreeing:
        pair = max(agreeing, key=lambda p: (p.source, p.target))
        where = "its sentence" if placed else "its code"
        return f"gold event of {where}, {actor_difference(pair, context.emitted[i])}"
    if candidates and placed:
        return "another code than the gold event of its sentence"
    if any(overlaps(context.emitted[i].place, place) for _, place in context.traps):
        return "on a trap sentence, in a code or modality the trap allows"
    return "no gold event in its sentence" if placed else "no gold event of its code"


def country_check(
    emitted: Emitted, allowed: frozenset[str], organizations: frozenset[str]
) -> tuple[int, int]:
    """(actors judged, actors outside ``allowed_countries``). An actor with a country is
    judged by it; an international body only when the list names bodies too (ours does, the
    peer set lists countries only)."""
    if not allowed:
        return 0, 0
    names_bodies = bool(allowed & organizations)
    judged = outside = 0
    for actor, got in (
        (emitted.event.source, emitted.source),
        (emitted.event.target, emitted.target),
    ):
        if actor is None or got is None or (actor.country is None and not names_bodies):
            continue
        judged += 1
        outside += got not in allowed
    return judged, outside


def no_event_outcome(
    context: ArticleContext, sentence: NoEventSentence, place: Place | None
) -> NoEventOutcome:
    on_it = [e.event for e in context.emitted if overlaps(e.place, place)]
    return NoEventOutcome(
        article=context.gold.name,
        region=context.gold.region,
        sentence=sentence,
        located=place is not None,
        events=len(on_it),
        asserted=sum(1 for e in on_it if e.modality == "asserted"),
    )


# --- figures ----------------------------------------------------------------------------------


def rate(name: str, hits: int, total: int) -> Metric:
    return Metric(name, ratio(hits, total), hits, total)


def recall_metrics(golds: Sequence[GoldOutcome]) -> list[Metric]:
    """Recall at each level (the dated level over gold events with a date), and modality
    agreement over found gold events that give a modality."""
    metrics = []
    for name in LEVELS:
        pool = [g for g in golds if g.gold.date] if name == DATED else golds
        metrics.append(rate(name, sum(g.found[name] for g in pool), len(pool)))
    judged = [g.modality_ok for g in golds if g.modality_ok is not None]
    metrics.append(rate("modality_agreement", sum(judged), len(judged)))
    return metrics


def precision_metrics(events: Sequence[EventOutcome]) -> list[Metric]:
    accounted = sum(1 for e in events if e.accounted_by is not None)
    known_false = sum(1 for e in events if e.no_event_kind is not None or e.trap is not None)
    return [
        rate("precision", accounted, len(events)),
        rate("known_false_share", known_false, len(events)),
    ]


def f1_metric(recall: Metric, precision: Metric) -> Metric:
    total = recall.value + precision.value
    return Metric("event_f1", 2 * recall.value * precision.value / total if total else 0.0)


def false_event_metrics(no_events: Sequence[NoEventOutcome]) -> list[Metric]:
    return [
        rate("false_event_rate_asserted", sum(1 for n in no_events if n.asserted), len(no_events)),
        rate("false_event_rate", sum(1 for n in no_events if n.events), len(no_events)),
    ]


def trap_metrics(traps: Sequence[TrapOutcome]) -> list[Metric]:
    return [rate("trap_violation_rate", sum(1 for t in traps if t.violations), len(traps))]


def actor_metrics(events: Sequence[EventOutcome]) -> list[Metric]:
    """Missing actors among events matched to a gold event that names that side, missing
    actors among all emitted events, and actors outside ``allowed_countries``."""
    metrics = []
    for side, wanted in (("source", "src"), ("target", "tgt")):
        pool = [e for e in events if e.associated and getattr(e.associated, wanted) is not None]
        missing = sum(1 for e in pool if getattr(e.emitted.event, side) is None)
        metrics.append(rate(f"missing_{side}_share", missing, len(pool)))
    for side in ("source", "target"):
        missing = sum(1 for e in events if getattr(e.emitted.event, side) is None)
        metrics.append(rate(f"emitted_missing_{side}_share", missing, len(events)))
    judged = sum(e.judged_actors for e in events)
    metrics.append(rate("wrong_country_share", sum(e.wrong_actors for e in events), judged))
    return metrics


def all_golds(outcomes: Iterable[ArticleOutcome]) -> list[GoldOutcome]:
    return [g for o in outcomes for g in o.golds]


def all_events(outcomes: Iterable[ArticleOutcome]) -> list[EventOutcome]:
    return [e for o in outcomes for e in o.events]


def all_no_events(outcomes: Iterable[ArticleOutcome]) -> list[NoEventOutcome]:
    return [n for o in outcomes for n in o.no_events]


def all_traps(outcomes: Iterable[ArticleOutcome]) -> list[TrapOutcome]:
    return [t for o in outcomes for t in o.traps]


def headline_metrics(outcomes: Sequence[ArticleOutcome]) -> list[Metric]:
    recall = recall_metrics(all_golds(outcomes))
    precision = precision_metrics(all_events(outcomes))
    no_events = all_no_events(outcomes)
    located = sum(1 for n in no_events if n.located)
    return [
        recall[0],
        precision[0],
        f1_metric(recall[0], precision[0]),
        *recall[1:],
        *precision[1:],
        *false_event_metrics(no_events),
        rate("no_event_sentences_in_text", located, len(no_events)),
        *trap_metrics(all_traps(outcomes)),
        *actor_metrics(all_events(outcomes)),
        rate("header_read", sum(o.header_ok for o in outcomes), len(outcomes)),
    ]


def confidence_metrics(
    outcomes: Sequence[ArticleOutcome], at_threshold: Sequence[ArticleOutcome], threshold: float
) -> list[Metric]:
    """Headline recall and precision with the events below ``threshold`` left out, and the
    share of events that carry a confidence at all."""
    events = [e.emitted.event for e in all_events(outcomes)]
    scored = sum(1 for e in events if getattr(e, "confidence", None) is not None)
    recall = recall_metrics(all_golds(at_threshold))[0]
    precision = precision_metrics(all_events(at_threshold))[0]
    return [
        Metric("min_confidence", threshold),
        rate("confidence_scored", scored, len(events)),
        replace(recall, name="event_recall_at_confidence"),
        replace(precision, name="precision_at_confidence"),
    ]


# --- breakdowns -------------------------------------------------------------------------------


@dataclass(frozen=True)
class BreakdownRow:
    label: str
    metrics: tuple[Metric, ...]


@dataclass(frozen=True)
class Breakdown:
    """The figures again for each value of one grouping (root, phenomenon, region ...)."""

    name: str
    rows: tuple[BreakdownRow, ...]


def _pick(metrics: Iterable[Metric], names: Sequence[str]) -> tuple[Metric, ...]:
    """The named figures that count something (a root no gold event has gets no recall)."""
    by_name = {m.name: m for m in metrics if m.denominator != 0}
    return tuple(by_name[n] for n in names if n in by_name)


def _ranked(counts: Counter[str]) -> list[str]:
    return [label for label, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]


def event_root(event: Event) -> str:
    return event.root_code or event.code[:2]


def by_root(outcomes: Sequence[ArticleOutcome], names: Mapping[str, str]) -> Breakdown:
    """Recall by the gold event's first root, precision by the emitted event's root."""
    golds, events = all_golds(outcomes), all_events(outcomes)
    roots = sorted({g.gold.roots[0] for g in golds} | {event_root(e.emitted.event) for e in events})
    rows = []
    for root in roots:
        mine = [g for g in golds if g.gold.roots[0] == root]
        emitted = [e for e in events if event_root(e.emitted.event) == root]
        metrics = _pick(recall_metrics(mine), (ROOT_LEVEL, HEADLINE, DATED))
        label = f"{root} {names.get(root, '')}".strip()
        precision = _pick(precision_metrics(emitted), ("precision",))
        rows.append(BreakdownRow(label, metrics + precision))
    return Breakdown("per root (recall by gold root, precision by emitted root)", tuple(rows))


def by_phenomenon(outcomes: Sequence[ArticleOutcome]) -> Breakdown:
    golds = all_golds(outcomes)
    counts = Counter(tag for g in golds for tag in (g.gold.phenomena or (NO_PHENOMENON,)))
    rows = []
    for tag in _ranked(counts):
        mine = [g for g in golds if tag in (g.gold.phenomena or (NO_PHENOMENON,))]
        rows.append(BreakdownRow(tag, _pick(recall_metrics(mine), (ROOT_LEVEL, HEADLINE, DATED))))
    return Breakdown("per phenomenon (gold events)", tuple(rows))


def by_trap_phenomenon(outcomes: Sequence[ArticleOutcome]) -> Breakdown:
    traps = all_traps(outcomes)
    counts = Counter(tag for t in traps for tag in (t.trap.phenomena or (NO_PHENOMENON,)))
    rows = [
        BreakdownRow(
            tag,
            tuple(
                trap_metrics([t for t in traps if tag in (t.trap.phenomena or (NO_PHENOMENON,))])
            ),
        )
        for tag in _ranked(counts)
    ]
    return Breakdown("per phenomenon (traps)", tuple(rows))


def by_kind(outcomes: Sequence[ArticleOutcome]) -> Breakdown:
    no_events = all_no_events(outcomes)
    counts = Counter(n.sentence.kind for n in no_events)
    rows = [
        BreakdownRow(
            kind, tuple(false_event_metrics([n for n in no_events if n.sentence.kind == kind]))
        )
        for kind in _ranked(counts)
    ]
    return Breakdown("per no-event kind", tuple(rows))


def _summary(outcomes: Sequence[ArticleOutcome]) -> tuple[Metric, ...]:
    return (
        recall_metrics(all_golds(outcomes))[0],
        precision_metrics(all_events(outcomes))[0],
        false_event_metrics(all_no_events(outcomes))[0],
        *trap_metrics(all_traps(outcomes)),
    )


def by_region(outcomes: Sequence[ArticleOutcome]) -> Breakdown:
    counts = Counter(o.gold.region or NO_REGION for o in outcomes)
    rows = [
        BreakdownRow(
            region, _summary([o for o in outcomes if (o.gold.region or NO_REGION) == region])
        )
        for region in sorted(counts)
    ]
    return Breakdown("per region", tuple(rows))


def by_article(outcomes: Sequence[ArticleOutcome]) -> Breakdown:
    return Breakdown(
        "per article", tuple(BreakdownRow(o.gold.name, _summary([o])) for o in outcomes)
    )


def by_cause(name: str, causes: Sequence[str]) -> Breakdown:
    counts = Counter(causes)
    rows = [BreakdownRow(c, (rate("share", counts[c], len(causes)),)) for c in _ranked(counts)]
    return Breakdown(name, tuple(rows))


def breakdowns(
    outcomes: Sequence[ArticleOutcome], names: Mapping[str, str]
) -> tuple[Breakdown, ...]:
    return (
        by_root(outcomes, names),
        by_phenomenon(outcomes),
        by_trap_phenomenon(outcomes),
        by_kind(outcomes),
        by_region(outcomes),
        by_article(outcomes),
        by_cause("gold events missed, by cause", [g.cause for g in all_golds(outcomes) if g.cause]),
        by_cause(
            "emitted events no gold event accounts for, by cause",
            [e.cause for e in all_events(outcomes) if e.cause],
        ),
    )


# --- the report -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ArticleMiss(Miss):
    """A gold event not found, or an emitted event no gold event accounts for."""

    article: str = ""
    cause: str = ""


@dataclass(frozen=True)
class ArticlesReport(EvaluationReport):
    """An :class:`EvaluationReport` with breakdowns, every missed gold event (``misses``)
    and every emitted event no gold event accounts for (``unaccounted``)."""

    breakdowns: tuple[Breakdown, ...] = ()
    unaccounted: tuple[ArticleMiss, ...] = ()


def describe_gold(gold: GoldEvent) -> str:
    codes = f" [{','.join(gold.codes)}]" if gold.codes else ""
    when = f" {gold.date}" if gold.date else ""
    modality = f" ({'/'.join(gold.modality)})" if gold.modality else ""
    return (
        f"{gold.id}: {'/'.join(gold.roots)}{codes} "
        f"{_side(gold.src)}->{_side(gold.tgt)}{when}{modality}"
    )


def _side(parties: frozenset[str] | None) -> str:
    return "/".join(sorted(parties)) if parties else "any"


def describe_event(emitted: Emitted | None) -> str:
    if emitted is None:
        return "none"
    event = emitted.event
    when = event.date.value if event.date else "no date"
    return (
        f"{event.code} {event.name or ''} {_actor(event.source, emitted.source)}->"
        f"{_actor(event.target, emitted.target)} {when} {event.modality}"
    )


def _actor(actor: Actor | None, got: str | None) -> str:
    return "-" if actor is None else f"{actor.text!r}({got or actor.code})"


def gold_miss(outcome: GoldOutcome, emitted: Sequence[Emitted]) -> ArticleMiss:
    closest = next((e for e in emitted if e.event is outcome.closest), None)
    event = outcome.closest
    return ArticleMiss(
        text=event.sentence if event else (outcome.gold.sentence_contains or ""),
        gold=describe_gold(outcome.gold),
        predicted=describe_event(closest),
        rule=event.rule if event else None,
        trigger=event.trigger.text if event else None,
        article=outcome.article,
        cause=outcome.cause,
    )


def unaccounted_event(outcome: EventOutcome) -> ArticleMiss:
    event = outcome.emitted.event
    return ArticleMiss(
        text=event.sentence,
        gold=describe_gold(outcome.sentence_gold) if outcome.sentence_gold else "none",
        predicted=describe_event(outcome.emitted),
        rule=event.rule,
        trigger=event.trigger.text,
        article=outcome.article,
        cause=outcome.cause,
    )


def root_confusions(outcomes: Sequence[ArticleOutcome]) -> tuple[Confusion, ...]:
    """(gold root, root of the closest emitted event of its sentence) for missed gold events
    whose sentence got another root."""
    counts = Counter(
        (g.gold.roots[0], event_root(g.closest))
        for g in all_golds(outcomes)
        if g.closest is not None and not starts_with_any(g.closest.code, g.gold.roots)
    )
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return tuple(Confusion(gold, got, n) for (gold, got), n in ranked[:WORST_CONFUSIONS])


def build_report(
    path: Path,
    outcomes: Sequence[ArticleOutcome],
    names: Mapping[str, str],
    extra: Sequence[Metric] = (),
) -> ArticlesReport:
    return ArticlesReport(
        format="articles",
        task="whole articles: events, traps and no-event sentences",
        gold=str(path),
        items=len(outcomes),
        metrics=(*headline_metrics(outcomes), *extra),
        confusions=root_confusions(outcomes),
        misses=tuple(
            gold_miss(g, [e.emitted for e in o.events])
            for o in outcomes
            for g in o.golds
            if g.cause
        ),
        breakdowns=breakdowns(outcomes, names),
        unaccounted=tuple(unaccounted_event(e) for e in all_events(outcomes) if e.cause),
    )


def score_all(
    golds: Sequence[GoldArticle],
    coded: Sequence[CodedArticle],
    organizations: Mapping[str, str],
    min_confidence: float | None = None,
) -> list[ArticleOutcome]:
    return [
        score_article(g, c, emitted_events(c, organizations, min_confidence), organizations)
        for g, c in zip(golds, coded, strict=True)
    ]


def evaluate(
    pipeline: Pipeline,
    path: Path,
    *,
    limit: int | None = None,
    min_confidence: float | None = None,
) -> ArticlesReport:
    """Code every gold article (the first ``limit``) and score the events against the gold;
    with ``min_confidence``, also the headline recall and precision at that threshold."""
    golds = read_gold_articles(path, limit)
    coded = code_articles(pipeline, golds)
    organizations = organization_kinds()
    outcomes = score_all(golds, coded, organizations)
    extra: list[Metric] = []
    if min_confidence is not None:
        at_threshold = score_all(golds, coded, organizations, min_confidence)
        extra = confidence_metrics(outcomes, at_threshold, min_confidence)
    names = {c.root: c.name for c in pipeline.codebook.roots()}
    return build_report(path, outcomes, names, extra)
