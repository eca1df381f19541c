"""How a sentence's triggers fold into each other before any actor is looked at: the event a
framing word governs ("refused to sign"), the attack noun that says how a violent verb's act was
done ("the car bomb killed"), the event words an entry names in its own constraints ("lift" +
"sanctions"), and the clause a reporting verb reports."""

from __future__ import annotations

from collections.abc import Mapping

from spacy.tokens import Token

from newsevents.coding.events.match import Trigger, matches_any
from newsevents.coding.events.syntax import (
    OBJECT_DEPS,
    SUBJECT_DEPS,
    complements,
    has_lemma,
    objects_of,
)

Triggers = Mapping[int, Trigger]
"""A sentence's triggers by token index."""
REPORTED_DEPS = frozenset({"ccomp", "parataxis"})
COMPLEMENT_PREPOSITIONS = frozenset({"for", "of", "on", "upon", "to", "against", "about", "into"})
"""Prepositions whose object a framing word governs ("called for talks", "accused of")."""
CONTENT_PREPOSITIONS = frozenset({"for", "in", "into", "to"})
"""Prepositions whose object a trigger takes as what its event is about ("called for a
meeting", "engage in dialogue", "invited to talks")."""


def governed_events(triggers: Triggers, light_verbs: frozenset[str]) -> dict[int, int]:
    """Framing word index -> the index of the event it governs (each event governed once)."""
    inner_of: dict[int, int] = {}
    for trigger in triggers.values():
        entry = trigger.entry
        if entry.frame and entry.kind == "event" and not (entry.objects or entry.xcomps):
            inner = complement(trigger.token, triggers, light_verbs)
            if inner is not None and inner.i not in inner_of.values():
                inner_of[trigger.token.i] = inner.i
    return inner_of


def means_of(triggers: Triggers, violent: frozenset[str]) -> dict[int, int]:
    """Violent verb index -> the attack noun that is its subject ("the car bomb killed")."""
    found: dict[int, int] = {}
    for trigger in triggers.values():
        noun = means(trigger, triggers, violent)
        if noun is not None:
            found[trigger.token.i] = noun.i
    return found


def results_of(
    triggers: Triggers, violent: frozenset[str], light_verbs: frozenset[str]
) -> dict[int, int]:
    """Violent participle index -> the violent act whose result it tells ("struck a house,
    killing six people", "launched a drone attack on Odesa, killing four"). Coordinated
    participles go with the first."""
    found: dict[int, int] = {}
    for trigger in triggers.values():
        token = trigger.token
        while token.dep_ == "conj" and token.head.tag_ == "VBG":
            token = token.head
        if _is_violent(trigger, violent) and trigger.token.tag_ == "VBG" and token.dep_ == "advcl":
            act = event_at(token.head, triggers, light_verbs)
            if act is not None and _is_violent(triggers[act.i], violent):
                found[trigger.token.i] = act.i
    return found


def _is_violent(trigger: Trigger, violent: frozenset[str]) -> bool:
    return trigger.entry.kind == "event" and trigger.entry.code[:2] in violent


def contents_of(triggers: Triggers, content: frozenset[str]) -> set[int]:
    """The nouns of the ``content`` roots that another trigger takes as its object or as the
    object of its preposition ("offered to host talks", "sought a meeting"): what that event
    is about, not events of their own."""
    return {
        trigger.token.i
        for trigger in triggers.values()
        if trigger.entry.kind == "event"
        and trigger.entry.code[:2] in content
        and trigger.token.pos_ in {"NOUN", "PROPN"}
        and governor(trigger.token, triggers) is not None
    }


def governor(noun: Token, triggers: Triggers) -> Token | None:
    """The trigger whose object the noun is, directly or through a complement preposition."""
    head = noun.head
    if noun.dep_ == "pobj" and head.dep_ == "prep" and head.lower_ in CONTENT_PREPOSITIONS:
        head = head.head
    elif noun.dep_ not in {"dobj", "obj", "dative"}:
        return None
    if head.i == noun.i or head.i not in triggers:
        return None
    return head


def reports_of(triggers: Triggers) -> dict[int, int]:
    """Token index -> index of the report that reports it."""
    reported: dict[int, int] = {}
    for trigger in triggers.values():
        if trigger.entry.kind == "report":
            for token in reported_tokens(trigger.token):
                reported.setdefault(token.i, trigger.token.i)
    return reported


def complement(token: Token, triggers: Triggers, light_verbs: frozenset[str]) -> Token | None:
    """The event a framing word governs: its infinitive or clausal complement, its object,
    or the object of its preposition; through a light verb ("agreed to hold talks")."""
    for child in complements(token):
        found = event_at(child, triggers, light_verbs)
        if found is not None:
            return found
    for child in token.children:
        for node in _governed_nodes(token, child):
            found = event_at(node, triggers, light_verbs)
            if found is not None:
                return found
    return None


def _governed_nodes(token: Token, child: Token) -> list[Token]:
    """Where a framing word's child may hold the event it governs: the child itself when it is
    an object, the objects of a complement preposition after the word."""
    if child.dep_ in OBJECT_DEPS - {"nsubjpass"}:
        return [child]
    if (
        child.dep_ in {"prep", "agent"}
        and child.i > token.i
        and child.lower_ in COMPLEMENT_PREPOSITIONS
    ):
        return [g for g in child.children if g.dep_ in {"pobj", "pcomp"}]
    return []


def event_at(token: Token, triggers: Triggers, light_verbs: frozenset[str]) -> Token | None:
    """The event word at the token: the token itself, or a light verb's object ("hold talks")."""
    trigger = triggers.get(token.i)
    if trigger is not None and trigger.entry.kind == "event":
        return token
    if has_lemma(token, light_verbs):
        for child in token.children:
            if child.dep_ in {"dobj", "obj"}:
                inner = triggers.get(child.i)
                if inner is not None and inner.entry.kind == "event":
                    return child
    return None


def absorbed(trigger: Trigger, triggers: Triggers) -> list[Token]:
    """Event words an entry names in its own constraints ("lift" + object "sanction",
    "refuse" + xcomp "sign"): part of that entry's event, not events of their own."""
    entry = trigger.entry
    if entry.kind != "event" or not (entry.objects or entry.xcomps):
        return []
    named = [o for o in objects_of(trigger.token) if matches_any(o, entry.objects)]
    named += [c for c in complements(trigger.token) if has_lemma(c, entry.xcomps)]
    return [t for t in named if t.i in triggers and t.i != trigger.token.i]


def means(trigger: Trigger, triggers: Triggers, violent: frozenset[str]) -> Token | None:
    """An attack noun that is the subject of a violent verb: the noun says how, the verb
    whom ("the suicide attack by the group killed fifty people")."""
    if trigger.entry.kind != "event" or trigger.entry.code[:2] not in violent:
        return None
    for child in trigger.token.children:
        noun = triggers.get(child.i)
        if (
            child.dep_ in SUBJECT_DEPS
            and noun is not None
            and noun.entry.kind == "event"
            and noun.entry.code[:2] in violent
        ):
            return child
    return None


def reported_tokens(report: Token) -> list[Token]:
    """The clause a reporting verb reports: its clausal complement, or (for ``"...," X told
    reporters``) the rest of the sentence when the verb hangs off the sentence root."""
    clauses = [c for c in report.children if c.dep_ in REPORTED_DEPS]
    if clauses:
        return [t for c in clauses for t in c.subtree]
    if report.dep_ in {"conj", "parataxis", "ccomp"} and report.head.dep_ == "ROOT":
        own = {t.i for t in report.subtree}
        return [t for t in report.sent if t.i not in own]
    if report.dep_ == "ROOT":
        return [t for c in report.children if c.dep_ in {"ccomp", "advcl"} for t in c.subtree]
    return []
