"""The article's dyad: an act that names only one side is between that side and the other
party of the pair of parties the article is about.

"Iran rejected the IAEA's demand ... Tehran said it would take necessary measures": the
threat names no target, and a careful reader takes it as aimed at the IAEA; "two Ukrainian
soldiers were killed" in a story of Russia's war names no doer. The article's dyad is the
pair of parties (countries, or international bodies) that most of its coded events join,
source and target, when at least two do; on a tie, the pair seen first. An event (other than
a plain statement, root 01) that has one party of that pair as its source and no target gets
the other party as its target; one that has one party as its target and no source gets the
other party as its source. The filled side is the party's mention nearest before the event
(or its first one after), with ``resolved_from`` set to that mention. Rules: docs/actors.md,
"The article's dyad".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from newsevents.coding.events.coder import event_id
from newsevents.model import Actor, Event

UNAIMED_ROOTS = frozenset({"01"})
"""Roots whose events may stand with one side: a statement is about no one in particular."""
MIN_EVENTS = 2
"""How many of the article's events must join a pair before it is the article's dyad."""
RULE = "article dyad: the other party of the pair the article's events join"

Party = str
"""A country code, or an organization's actor code when it has no country."""
Dyad = tuple[Party, Party]


def party(actor: Actor | None) -> Party | None:
    if actor is None:
        return None
    return actor.country or (actor.code if actor.role is None else None)


def article_dyad(events: Sequence[Event]) -> Dyad | None:
    """The pair of parties most of the article's events join (either direction)."""
    pairs: Counter[Dyad] = Counter()
    for event in events:
        source, target = party(event.source), party(event.target)
        if source is not None and target is not None and source != target:
            pairs[(min(source, target), max(source, target))] += 1
    if not pairs:
        return None
    pair, count = pairs.most_common(1)[0]  # most_common keeps first-seen order on a tie
    return pair if count >= MIN_EVENTS else None


def fill_sides_from_dyad(events: Sequence[Event]) -> tuple[Event, ...]:
    """The events, an act that names one party of the dyad completed with the other."""
    dyad = article_dyad(events)
    if dyad is None:
        return tuple(events)
    ids = {e.id for e in events}
    filled = []
    for event in events:
        completed = _completed(event, dyad, events)
        if completed is not None and completed.id not in ids:
            ids.add(completed.id)
            event = completed
        filled.append(event)
    return tuple(filled)


def _completed(event: Event, dyad: Dyad, events: Sequence[Event]) -> Event | None:
    """The event with its missing side filled, or None when nothing is to be filled."""
    if event.code[:2] in UNAIMED_ROOTS or (event.source is None) == (event.target is None):
        return None
    known = party(event.source if event.target is None else event.target)
    if known not in dyad:
        return None
    mention = _mention(events, dyad[1] if known == dyad[0] else dyad[0], event)
    if mention is None:
        return None
    side = replace(mention, resolved_from=mention.resolved_from or mention.span, rule=RULE)
    if event.target is None:
        return _with_sides(event, event.source, side)
    return _with_sides(event, side, event.target)


def _mention(events: Sequence[Event], wanted: Party, event: Event) -> Actor | None:
    """The party's mention nearest before the event (else its first one after)."""
    mentions = [
        actor
        for other in events
        for actor in (other.source, other.target)
        if actor is not None and party(actor) == wanted
    ]
    before = [a for a in mentions if a.span.start < event.trigger.start]
    if before:
        return max(before, key=lambda a: a.span.start)
    return min(mentions, key=lambda a: a.span.start) if mentions else None


def _with_sides(event: Event, source: Actor | None, target: Actor | None) -> Event:
    key = (event.article_id, event.sentence_index, event.trigger.start, event.code)
    return replace(event, source=source, target=target, id=event_id(*key, source, target))
