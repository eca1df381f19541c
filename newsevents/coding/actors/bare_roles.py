"""The country of a bare role: "police", "rebels" or "President Dos Santos" with no country
of their own take the one human coders give them, from the sentence's event place, the one
country the sentence names, or the article's country in focus (docs/actors.md)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence, Set

from spacy.tokens import Doc, Token

from newsevents.coding.actors.phrases import LOCATIVES, MODIFIER_DEPS
from newsevents.model import Actor, Span

ADVERSATIVES = frozenset({"against"})
EVENT_PLACE_PREPOSITIONS = LOCATIVES | {"throughout", "within"}
"""Prepositions whose object is where the sentence's event happens (``staged rallies throughout
Indonesia``), the place a bare role is taken to belong to."""
INFERRED_COUNTRY = "country from "
"""How the rule of an actor whose country was inferred by :func:`place_bare_roles` reads."""


def country_is_inferred(actor: Actor) -> bool:
    """The actor's country is not written in its phrase but inferred from the sentence or the
    article (``troops`` -> ``IRQMIL`` in a sentence about Iraq)."""
    return INFERRED_COUNTRY in actor.rule


def is_bare_role(actor: Actor) -> bool:
    return actor.country is None and actor.role is not None and actor.code == actor.role


def _placed(actor: Actor, where: tuple[str, str] | None) -> Actor:
    if where is None:
        return actor
    country, how = where
    rule = f"{actor.rule}, {INFERRED_COUNTRY}{how}" if actor.rule else INFERRED_COUNTRY + how
    return dataclasses.replace(actor, code=country + actor.code, country=country, rule=rule)


def place_bare_roles(
    doc: Doc, resolved: Mapping[int, tuple[Actor, ...]], role_heads: Set[int]
) -> dict[int, tuple[Actor, ...]]:
    """Give a bare role ("police", "rebels", "President Dos Santos" with no country) whose
    head names people (a role noun, a collective noun or a named person, not "a military aid
    program") the country human coders give it, in this order:

    1. the sentence's event place: a country, capital or city after ``in``/``at``/``near``/
       ``throughout`` ..., when all such places are of one country;
    2. the one country the rest of the sentence names;
    3. the article's country in focus: the one it names most often, when no other is named as
       often.

    Mentions of the party acted against (``sanctions against Nigeria``) and the other direct
    arguments of the bare role's own verb (``Gunmen kidnapped a Mexican journalist``: the
    journalist's country says nothing about the gunmen) do not count in 2 and 3.
    Rules: docs/actors.md."""
    counted = {
        i: a.country
        for i, actors in resolved.items()
        for a in actors
        if a.country and not _name_as_place(doc, a)
    }
    counted = {i: c for i, c in counted.items() if not _opposed(doc[i])}
    placed = dict(resolved)
    for sentence in doc.sents:
        heads = [i for i in resolved if sentence.start <= i < sentence.end]
        event_place = _event_place(doc, heads, resolved)
        for i in heads:
            if i not in role_heads or not any(map(is_bare_role, resolved[i])):
                continue
            others = {j: c for j, c in counted.items() if j != i and not _coargument(doc, i, j)}
            where = event_place or _only_country(others, sentence.start, sentence.end)
            where = where or _country_in_focus(others.values())
            placed[i] = tuple(_placed(a, where) if is_bare_role(a) else a for a in resolved[i])
    by_span = {a.span: a for i in role_heads if i in placed for a in placed[i]}
    for i, actors in placed.items():  # "Militants ... said they": as the antecedent was placed
        placed[i] = tuple(_as_antecedent(a, by_span) for a in actors)
    return placed


def _as_antecedent(actor: Actor, by_span: Mapping[Span, Actor]) -> Actor:
    antecedent = by_span.get(actor.resolved_from) if actor.resolved_from else None
    if antecedent is None or not is_bare_role(actor) or antecedent.country is None:
        return actor
    return dataclasses.replace(actor, code=antecedent.code, country=antecedent.country)


def _name_as_place(doc: Doc, actor: Actor) -> bool:
    """A gazetteer place whose words the tagger marks as a person's name (``Dole``, also a
    town in France): too doubtful to give other actors a country."""
    if actor.rule != "gazetteer":
        return False
    span = doc.char_span(actor.span.start, actor.span.end, alignment_mode="expand")
    return span is not None and any(t.ent_type_ == "PERSON" for t in span)


def _event_place(
    doc: Doc, heads: Sequence[int], resolved: Mapping[int, tuple[Actor, ...]]
) -> tuple[str, str] | None:
    places = {
        a.country
        for i in heads
        if doc[i].dep_ == "pobj" and doc[i].head.lower_ in EVENT_PLACE_PREPOSITIONS
        for a in resolved[i]
        if a.country
    }
    return (places.pop(), "the event place") if len(places) == 1 else None


def _only_country(countries: Mapping[int, str], start: int, end: int) -> tuple[str, str] | None:
    named = {c for i, c in countries.items() if start <= i < end}
    return (named.pop(), "the only country the sentence names") if len(named) == 1 else None


def _argument_of(token: Token) -> Token | None:
    """The verb a phrase is a direct argument of: subject, object, or the object of a
    preposition on the verb (``kidnapped a journalist``, ``used weapons against civilians``)."""
    while token.dep_ == "conj" and token.head.i != token.i:
        token = token.head
    if token.dep_ == "pobj" and token.head.dep_ in {"prep", "agent"}:
        token = token.head
    if token.head.pos_ in {"VERB", "AUX"} and token.dep_ not in MODIFIER_DEPS:
        return token.head
    return None


def _coargument(doc: Doc, i: int, j: int) -> bool:
    """``doc[j]`` is a direct argument (subject, object, object of a preposition on the verb)
    of the verb of ``doc[i]``'s clause: the other party of its act."""
    verb = doc[i]
    while verb.pos_ not in {"VERB", "AUX"} and verb.head.i != verb.i:
        verb = verb.head
    other = _argument_of(doc[j])
    return other is not None and other.i == verb.i and not _inside(doc[i], doc[j])


def _inside(token: Token, phrase: Token) -> bool:
    """``token`` is within the phrase headed by ``phrase`` (``Militants loyal to Iraq's ...``
    are inside nothing; ``Iraq`` is inside the militants' phrase)."""
    return phrase.left_edge.i <= token.i <= phrase.right_edge.i


def _opposed(token: Token) -> bool:
    """The phrase names the party acted against (``sanctions against Nigeria``), which says
    nothing about where the other actors of the sentence belong."""
    while token.dep_ == "conj" and token.head.i != token.i:
        token = token.head
    while token.dep_ in MODIFIER_DEPS | {"poss"} and token.head.i != token.i:
        token = token.head
    return token.dep_ == "pobj" and token.head.lower_ in ADVERSATIVES


def _country_in_focus(countries: Iterable[str]) -> tuple[str, str] | None:
    """The country the article names most often, when no other is named as often."""
    counts: dict[str, int] = {}
    for country in countries:
        counts[country] = counts.get(country, 0) + 1
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    if not ranked or (len(ranked) > 1 and ranked[1][1] == ranked[0][1]):
        return None
    return ranked[0][0], "the country in focus in the article"
