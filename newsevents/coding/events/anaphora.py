"""Event anaphora: a reaction to an act the article told earlier targets whoever did it.

"Russia launched a drone attack on Odesa. ... Foreign Minister Sybiha condemned the attack":
the condemnation's target is Russia, the source of the attack. A reaction (approval, inquiry,
disapproval, rejection, protest, denial) whose object is a definite event noun with no agent of
its own ("the attack", "the incident", "the remarks", "these measures", "the accusation"), a
pronoun ("condemned it") or a relative pronoun on such a noun ("allegations, which it rejected")
takes as its target the source of the latest earlier event of the noun's family (an attack noun
refers back to an act of force, "the remarks" to a statement or appeal, "the arrests" to a
coercive act). The target is coded on the anaphor's words ("the attack"), with the earlier
source's code; ``resolved_from`` is the earlier source's span. Rules: docs/actors.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from spacy.tokens import Doc, Token

from newsevents.coding.events.coder import event_id
from newsevents.model import Actor, Event, Span

REACTION_ROOTS = frozenset({"05", "09", "11", "12", "14"})
"""Roots whose events react to an act: approve, investigate, disapprove, reject, protest."""
DENIAL_CODE = "016"
FORCE = frozenset({"15", "17", "18", "19", "20"})
WORDS = frozenset({"01", "02", "10", "11", "12", "13"})
ANAPHORS: Mapping[str, frozenset[str]] = {
    **dict.fromkeys(
        ["attack", "strike", "airstrike", "shelling", "bombing", "bombardment", "raid"]
        + ["assault", "offensive", "incursion", "barrage", "ambush", "killing", "massacre"]
        + ["firing", "launch", "test", "incident", "violence", "clash", "provocation"]
        + ["aggression", "operation", "blast", "explosion", "shooting", "fighting", "unrest"]
        + ["riot", "hostility"],
        FORCE,
    ),
    **dict.fromkeys(["arrest", "detention", "seizure", "crackdown", "expulsion"], FORCE | {"16"}),
    **dict.fromkeys(
        ["measure", "sanction", "restriction", "control", "curb", "ban", "tariff", "penalty"],
        frozenset({"16", "17"}),
    ),
    **dict.fromkeys(
        ["accusation", "allegation", "claim", "charge", "criticism", "protest"],
        frozenset({"11", "01"}),
    ),
    **dict.fromkeys(["remark", "comment", "statement", "word"], WORDS),
    **dict.fromkeys(["demand", "call", "request", "appeal", "ultimatum"], frozenset({"10", "02"})),
    **dict.fromkeys(["threat", "warning"], frozenset({"13"})),
    **dict.fromkeys(
        ["drill", "exercise", "deployment", "manoeuvre", "maneuver"], frozenset({"15"})
    ),
    **dict.fromkeys(["release", "handover", "withdrawal"], frozenset({"08"})),
    **dict.fromkeys(["visit", "trip"], frozenset({"04"})),
    **dict.fromkeys(["move", "decision", "step", "action", "act"], FORCE | {"16", "08", "05"}),
}
"""Event nouns that refer back to an earlier event, and the roots that event may have."""
PRONOUNS = frozenset({"it", "this", "that"})
"""``condemned it``: the latest act of force or sanction of the sentence before."""
PRONOUN_ROOTS = FORCE | {"16"}
PLURAL_PRONOUNS = frozenset({"them"})
RELATIVES = frozenset({"which", "that"})
DEFINITE = frozenset({"the", "this", "these", "that", "those", "such"})
OBJECT_DEPS = frozenset({"dobj", "obj", "nsubjpass"})
NOUN_PREPOSITIONS = frozenset({"into", "over", "of", "about", "against", "at", "on", "for"})
"""``an investigation into the attack``, ``a protest over the incident``."""
VERB_PREPOSITIONS = frozenset({"over", "about", "at", "against"})
"""``protested over the incident``, ``complained about the remarks``."""
AGENT_DEPS = frozenset({"poss", "amod", "compound", "nmod"})
CAUSE_WORDS = frozenset({"after", "following"})
"""``after X did Y``: the act a reaction follows."""
PRONOUN_REACH = 2
"""A pronoun refers back at most this many sentences."""


def resolve_event_anaphora(
    doc: Doc, events: Sequence[Event], actors: Mapping[int, Actor]
) -> tuple[Event, ...]:
    """The events, a reaction to an act told earlier targeting whoever did it; ``actors``: the
    article's resolved actors by phrase head."""
    done: list[Event] = []
    for event in events:
        done.append(_resolved(doc, event, done, actors) if _reacts(event) else event)
    return tuple(done)


def _reacts(event: Event) -> bool:
    return event.code[:2] in REACTION_ROOTS or event.code.startswith(DENIAL_CODE)


def _resolved(
    doc: Doc, event: Event, earlier: Sequence[Event], actors: Mapping[int, Actor]
) -> Event:
    trigger = _trigger(doc, event)
    if trigger is None:
        return event
    anaphor = anaphor_of(trigger)
    if anaphor is None:
        cause = _cause_agent(trigger, actors) if event.target is None else None
        if cause is None or _same(event.source, cause):
            return event
        return _with_target(event, cause)  # "opened an investigation after Israeli shells hit"
    if anaphor.pos_ != "PRON" and _has_agent(anaphor):  # "its allegations, which it rejected"
        agent = _agent_actor(anaphor, actors)
        if event.target is not None or agent is None or _same(event.source, agent):
            return event
        return _with_target(event, agent)
    before = [e for e in earlier if e.trigger.start < event.trigger.start]
    antecedent = antecedent_of(anaphor, before, event.sentence_index)
    if antecedent is None or antecedent.source is None:
        return event
    if _same(event.source, antecedent.source):
        return event  # "Hezbollah denied carrying out the strike": not its own target
    return _with_target(event, _on_anaphor(anaphor, antecedent))


def _cause_agent(trigger: Token, actors: Mapping[int, Actor]) -> Actor | None:
    """Who did the act a reaction follows: the subject of its ``after`` clause ("opened an
    investigation after Israeli shells hit a UN position"), or the agent of its ``after``
    phrase's event noun ("condemnation following the attack by the rebels"); on the trigger
    or on an event noun's verb."""
    heads = [trigger, trigger.head] if trigger.pos_ == "NOUN" else [trigger]
    for head in heads:
        for child in head.children:
            marks = {c.lower_ for c in child.children if c.dep_ == "mark"}
            if child.dep_ == "advcl" and marks & CAUSE_WORDS:
                subjects = [c for c in child.children if c.dep_ in {"nsubj", "nsubjpass"}]
                found = next((actors[t.i] for t in subjects if t.i in actors), None)
                if found is not None:
                    return found
            if child.dep_ == "prep" and child.lower_ in CAUSE_WORDS:
                nouns = [g for g in child.children if g.dep_ == "pobj" and _event_noun(g)]
                found = next((a for g in nouns if (a := _agent_actor(g, actors))), None)
                if found is not None:
                    return found
    return None


def _same(source: Actor | None, other: Actor) -> bool:
    return source is not None and _same_party(source, other)


def _agent_actor(noun: Token, actors: Mapping[int, Actor]) -> Actor | None:
    """The actor a noun names as its agent: its possessor, modifier or ``by`` phrase."""
    agents = [c for c in noun.children if c.dep_ in AGENT_DEPS]
    agents += [g for c in noun.children if c.lower_ == "by" for g in c.children if g.dep_ == "pobj"]
    agents.append(noun)  # "the Russian attack": the modifier's actor sits on the noun
    return next((actors[t.i] for t in agents if t.i in actors), None)


def _with_target(event: Event, target: Actor) -> Event:
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


def _trigger(doc: Doc, event: Event) -> Token | None:
    span = doc.char_span(event.trigger.start, event.trigger.end, alignment_mode="expand")
    return span.root if span is not None else None


def anaphor_of(trigger: Token) -> Token | None:
    """The word a reaction's object refers back with: a definite event noun with no agent of
    its own, a pronoun, or a relative pronoun on such a noun (its noun is returned)."""
    for token in _objects(trigger):
        relative = token.lower_ in RELATIVES and token.head.dep_ == "relcl"
        if relative:
            token = token.head.head  # "its allegations, which it rejected"
        elif token.pos_ == "PRON" and token.lower_ in PRONOUNS | PLURAL_PRONOUNS:
            # "the Party's provocations damage peace, and we condemn them"
            return _noun_before(token) or (token if token.lower_ in PRONOUNS else None)
        if _event_noun(token) and (relative or (_definite(token) and not _has_agent(token))):
            return token
    return None


def _noun_before(pronoun: Token) -> Token | None:
    """The event noun of the pronoun's own sentence it stands for: the nearest before it of
    its number."""
    plural = pronoun.lower_ in PLURAL_PRONOUNS
    for token in reversed(pronoun.doc[pronoun.sent.start : pronoun.i]):
        if _event_noun(token) and (token.tag_ in {"NNS", "NNPS"}) == plural:
            return token
    return None


def _objects(trigger: Token) -> list[Token]:
    """Where a reaction names what it reacts to: a verb's object (a passive verb's subject)
    or its ``over``/``about`` phrase; a noun's ``into``/``over``/``of`` phrase."""
    found = [c for c in trigger.children if c.dep_ in OBJECT_DEPS]
    noun = trigger.pos_ == "NOUN"
    prepositions = NOUN_PREPOSITIONS if noun else VERB_PREPOSITIONS
    holders = [trigger]
    if noun and trigger.dep_ in OBJECT_DEPS:  # "opened an investigation into the attack"
        holders.append(trigger.head)
    found += [
        g
        for holder in holders
        for c in holder.children
        if c.dep_ == "prep" and c.lower_ in prepositions and c.i > trigger.i
        for g in c.children
        if g.dep_ == "pobj"
    ]
    return found


def _event_noun(token: Token) -> bool:
    return token.pos_ == "NOUN" and token.lemma_.lower() in ANAPHORS


def _definite(token: Token) -> bool:
    return any(c.dep_ == "det" and c.lower_ in DEFINITE for c in token.children)


def _has_agent(token: Token) -> bool:
    """The noun names who did it ("Russia's attack", "the Russian strike", "the attack by
    the rebels"): no anaphor."""
    if any(c.dep_ in AGENT_DEPS and c.pos_ in {"PROPN", "PRON"} for c in token.children):
        return True
    if any(c.dep_ == "amod" and c.ent_type_ in {"NORP", "GPE"} for c in token.children):
        return True
    return any(c.dep_ in {"prep", "agent"} and c.lower_ == "by" for c in token.children)


def antecedent_of(anaphor: Token, before: Sequence[Event], sentence: int) -> Event | None:
    """The latest earlier asserted event the anaphor can refer back to."""
    if anaphor.pos_ == "PRON":
        roots: Iterable[str] = PRONOUN_ROOTS
        before = [e for e in before if sentence - e.sentence_index <= PRONOUN_REACH]
    else:
        roots = ANAPHORS[anaphor.lemma_.lower()]
    for event in reversed(before):  # "killing four people": the attack's result, no agent
        if event.modality == "asserted" and event.code[:2] in roots and event.source:
            return event
    return None


def _same_party(actor: Actor, other: Actor) -> bool:
    if actor.code == other.code:
        return True
    return actor.country is not None and actor.country == other.country and actor.role == other.role


def _on_anaphor(anaphor: Token, antecedent: Event) -> Actor:
    """The earlier event's source, coded on the anaphor's words."""
    source = antecedent.source
    assert source is not None
    words = anaphor.doc[anaphor.left_edge.i : anaphor.i + 1]
    if anaphor.pos_ == "PRON":
        words = anaphor.doc[anaphor.i : anaphor.i + 1]
    span = Span(words.start_char, words.end_char, words.text)
    rule = f"event anaphora: the {antecedent.code} event by {source.text!r} told earlier"
    return Actor(
        words.text, source.name, source.code, source.country, source.role, span, source.span, rule
    )
