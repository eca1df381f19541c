"""The article's dyad: an act whose target the sentence does not name is aimed at the other
party of the pair of parties the article is about.

"Iran rejected the IAEA's demand ... Tehran said it would take necessary measures": the
threat names no target, and a careful reader takes it as aimed at the IAEA. The article's
dyad is the pair of parties (countries, or international bodies) that most of its coded
events join, source and target, when at least two do; on a tie, the pair seen first. An
event (other than a plain statement, root 01) whose source is one party of that pair and which
has no target gets the other party, as mentioned last before the event (or first, when only
later), with ``resolved_from`` set to that mention. Rules: docs/actors.md, "Across the
article".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from newsevents.coding.events.coder import event_id
from newsevents.model import Actor, Event

UNAIMED_ROOTS = frozenset({"01"})
"""Roots whose events may stand without a target: a statement is about no one in particular."""
MIN_EVENTS = 2
"""How many of the article's events must join a pair before it is the article's dyad."""

Party = str
"""A country code, or an organization's actor code when it has no country."""


def party(actor: Actor | None) -> Party | None:
    if actor is None:
        return None
    return actor.country or (actor.code if actor.role is None else None)


def article_dyad(events: Sequence[Event]) -> tuple[Party, Party] | None:
    """The pair of parties most of the article's events join (either direction)."""
    pairs: Counter[tuple[Party, Party]] = Counter()
    for event in events:
        source, target = party(event.source), party(event.target)
        if source is not None and target is not None and source != target:
            pairs[(min(source, target), max(source, target))] += 1
    if not pairs:
        return None
    pair, count = pairs.most_common(1)[0]  # most_common keeps first-seen order on a tie
    return pair if count >= MIN_EVENTS else None


def fill_targets_from_dyad(events: Sequence[Event]) -> tuple[Event, ...]:
    """The events, a directed act with no target aimed at the other party of the dyad."""
    dyad = article_dyad(events)
    if dyad is None:
        return tuple(events)
    ids = {e.id for e in events}
    filled = []
    for event in events:
        other = _other_party(event, dyad)
        target = _mention(events, other, event) if other is not None else None
        if target is not None:
            aimed = _with_target(event, target)
            if aimed.id not in ids:
                ids.add(aimed.id)
                event = aimed
        filled.append(event)
    return tuple(filled)


def _other_party(event: Event, dyad: tuple[Party, Party]) -> Party | None:
    """The dyad's other party when the event is an act of one party with no target."""
    source = party(event.source)
    if event.target is not None or source not in dyad or event.code[:2] in UNAIMED_ROOTS:
        return None
    return dyad[1] if source == dyad[0] else dyad[0]


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


def _with_target(event: Event, mention: Actor) -> Event:
    speaker = event.source.text if event.source else ""
    rule = f"article dyad: the party the article's events join with {speaker!r}"
    target = replace(mention, resolved_from=mention.resolved_from or mention.span, rule=rule)
    return replace(
        event,
        target=target,
        id=event_id(
            event.article_id,
            event.sentence_index,
            event.trigger.start,
            event.code,
            event.source,
            target,
        ),
    )
