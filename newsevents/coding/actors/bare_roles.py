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
EVENT_PLACE = "the event place"
ONLY_COUNTRY = "the only country the sentence names"
DATELINE = "the dateline"
IN_FOCUS = "the country in focus in the article"
EVIDENCE = (EVENT_PLACE, ONLY_COUNTRY, DATELINE, IN_FOCUS)
STATE_ROLES = frozenset({"GOV", "MIL", "COP", "JUD", "LEG", "SPY"})
BESIDE_NAME = "from the phrase beside the name"
RELATIVE = "through the relative pronoun"
"""How a bare role's country was found, strongest first: one person's mentions all take the
strongest any of them has ("Foreign Minister Hasan Mahmud told reporters in Dhaka ... Mahmud
said ... refugees from Myanmar" is Bangladesh's minister throughout)."""
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
    doc: Doc,
    resolved: Mapping[int, tuple[Actor, ...]],
    role_heads: Set[int],
    dateline: str | None = None,
) -> dict[int, tuple[Actor, ...]]:
    """Give a bare role ("police", "rebels", "President Dos Santos" with no country) whose
    head names people (a role noun, a collective noun or a named person, not "a military aid
    program") the country human coders give it, in this order:

    1. the sentence's event place: a country, capital or city after ``in``/``at``/``near``/
       ``throughout`` ..., when all such places are of one country;
    2. the one country the rest of the sentence names;
    3. of several countries the sentence names, the dateline's (``dateline``: "ASMARA - ...,
       the information ministry said" is Eritrea's ministry);
    4. the article's country in focus: the one it names most often, when no other is named as
       often (of those named most often, the dateline's); never the country of a
       state the bare role acts on or stands beside ("A Defence Ministry spokesman warned
       Pyongyang" is not North Korea's spokesman).

    Mentions of the party acted against (``sanctions against Nigeria``), the other direct
    arguments of the bare role's own verb (``Gunmen kidnapped a Mexican journalist``: the
    journalist's country says nothing about the gunmen), its conjuncts ("Prime Minister James
    Marape and Australian Deputy Prime Minister Richard Marles": another party beside it) and
    the dyad in focus (``the two countries``) do not count in 2 to 4. All mentions of one
    person take the strongest evidence any of them has. Rules: docs/actors.md."""
    counted = {
        i: a.country
        for i, actors in resolved.items()
        for a in actors
        if a.country and not _name_as_place(doc, a) and not _restated(a)
    }
    counted = {i: c for i, c in counted.items() if not _opposed(doc[i])}
    placed = dict(resolved)
    found = _placements(doc, resolved, counted, role_heads, dateline)
    best: dict[Span, tuple[int, int, tuple[str, str]]] = {}
    for i, where in found.items():  # one person's mentions: the best evidence any of them has
        ranked = (EVIDENCE.index(where[1]), i, where)
        key = _chain(resolved[i])
        if key not in best or ranked < best[key]:
            best[key] = ranked
    for i in found:
        where = best[_chain(resolved[i])][2]
        placed[i] = tuple(_placed(a, where) if is_bare_role(a) else a for a in resolved[i])
    by_span = {a.span: a for i in role_heads if i in placed for a in placed[i]}
    for i in sorted(placed):  # "Militants ... said they": as the antecedent was placed
        placed[i] = tuple(_as_antecedent(a, by_span) for a in placed[i])
        by_span.update((a.span, a) for a in placed[i] if a.span not in by_span)
    return placed


def _restated(actor: Actor) -> bool:
    """A mention that names again what the text has named: the dyad in focus (``the two
    countries``), a name beside its description ("the Federal Minister, X") or a relative
    pronoun ("Marape and Australian Deputy Prime Minister Richard Marles, who ...")."""
    return actor.rule.startswith("group:") or any(
        words in actor.rule for words in (BESIDE_NAME, RELATIVE)
    )


def _chain(actors: Sequence[Actor]) -> Span:
    """The mention a phrase's bare role was introduced by: its own, or for a later mention
    ("Mahmud said", "the minister") the one it was resolved to."""
    actor = next(a for a in actors if is_bare_role(a))
    if actor.rule.startswith("coreference") and actor.resolved_from is not None:
        return actor.resolved_from
    return actor.span


def _placements(
    doc: Doc,
    resolved: Mapping[int, tuple[Actor, ...]],
    counted: Mapping[int, str],
    role_heads: Set[int],
    dateline: str | None,
) -> dict[int, tuple[str, str]]:
    """Where each bare role head's own sentence places it: (country, how)."""
    found: dict[int, tuple[str, str]] = {}
    for sentence in doc.sents:
        heads = [i for i in resolved if sentence.start <= i < sentence.end]
        event_place = _event_place(doc, heads, resolved)
        for i in heads:
            if i not in role_heads or not any(map(is_bare_role, resolved[i])):
                continue
            others = {j: c for j, c in counted.items() if j != i and not _coargument(doc, i, j)}
            where = event_place or _only_country(others, sentence.start, sentence.end, dateline)
            # "A Defence Ministry spokesman warned Pyongyang": not North Korea's spokesman
            facing = _states_facing(doc, i, counted, resolved)
            focus = (c for c in others.values() if c not in facing)
            where = where or _country_in_focus(focus, dateline)
            if where is not None:
                found[i] = where
    return found


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
        if a.country and a.code == a.country  # a place, not "outside the Indian consulate"
    }
    return (places.pop(), EVENT_PLACE) if len(places) == 1 else None


def _only_country(
    countries: Mapping[int, str], start: int, end: int, dateline: str | None = None
) -> tuple[str, str] | None:
    """The one country the sentence names; of several, the dateline's ("ASMARA - Eritrea has
    recalled its ambassador to Ethiopia, the information ministry said")."""
    named = {c for i, c in countries.items() if start <= i < end}
    if len(named) == 1:
        return named.pop(), ONLY_COUNTRY
    return (dateline, DATELINE) if dateline in named else None


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
    if doc[j] in doc[i].conjuncts:  # "Marape and Australian Deputy Prime Minister Marles"
        return True
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


def _country_in_focus(
    countries: Iterable[str], dateline: str | None = None
) -> tuple[str, str] | None:
    """The country the article names most often, when no other is named as often; of those
    named most often, the dateline's."""
    counts: dict[str, int] = {}
    for country in countries:
        counts[country] = counts.get(country, 0) + 1
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    if not ranked:
        return None
    if len(ranked) > 1 and ranked[1][1] == ranked[0][1]:
        tied = {c for c, n in ranked if n == ranked[0][1]}
        return (dateline, DATELINE) if dateline in tied else None
    return ranked[0][0], IN_FOCUS


def _states_facing(
    doc: Doc, i: int, counted: Mapping[int, str], resolved: Mapping[int, tuple[Actor, ...]]
) -> set[str]:
    """The countries of the states a bare role acts on or beside: its verb's other direct
    arguments and its conjuncts that are a country, a government or a state's forces ("warned
    Pyongyang", "Marape and Australian Deputy Prime Minister Marles")."""
    return {
        c
        for j, c in counted.items()
        if j != i
        and _coargument(doc, i, j)
        and any(a.country == c and (a.role is None or a.role in STATE_ROLES) for a in resolved[j])
    }
