"""A trigger's arguments: who acts (the source) and on whom (the target).

:func:`arguments` runs these steps in order; each step sees what the ones before it found.

1. Sources from the entry's source slots (default: subject, or a noun's possessor and
   modifier), through control and coordination (:mod:`.slots`, :mod:`.parties`).
2. Targets from the entry's target slots (default: object, dative, prepositions), else the
   usual slots when the entry's hold only bare roles, else the target of an act the entry folds
   in ("refused to sign the deal with Russia"); a mission stands for the country it serves.
3. The source's own forces are its means, not the target ("withdrew peacekeepers").
4. A source that acts with no target yet: who is asked to act ("demanded that the US ..."),
   the party of a stance phrase, the nearest actor below the trigger, the subject of an object
   clause or of a condition, where an infinitive of purpose is sent (:mod:`.targets`).
5. A bare-role target gives way to the place of the act ("killed 23 people in Tel Aviv").
6. An agentless passive act of force is the act of the state where it happened.
7. A pronoun target is coded with its named mention in the sentence.
8. Pairs: one per source; coordinated sources with no target act on each other.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from spacy.tokens import Token

from newsevents.coding.events.dictionary import VerbEntry
from newsevents.coding.events.match import Trigger
from newsevents.coding.events.parties import (
    SUBJECT_PRONOUNS,
    actors_in,
    bare_role,
    mission_place,
    named_mention,
    own_side,
    parties,
)
from newsevents.coding.events.sentence import Sentence
from newsevents.coding.events.slots import (
    default_source_slots,
    default_target_slots,
    is_participle_clause,
    is_purpose_clause,
    slot_tokens,
)
from newsevents.coding.events.syntax import word_class
from newsevents.coding.events.targets import (
    PROTEST_ROOT,
    condition_subjects,
    first_actor_below,
    object_clause_subjects,
    own_envoy,
    own_force,
    stance_parties,
    state_of_place,
    time_clauses,
)
from newsevents.model import Actor

VERBAL_ROOTS = frozenset(f"{n:02d}" for n in range(1, 15))
AGENT_OF_ROOTS = frozenset({"04"})
PATIENT_OF_ROOTS = frozenset({"08", "09", "11", "12", "16", "17", "18", "19", "20"})
"""How an event noun's ``from`` and ``of`` phrases read, by root (see ``_noun_agent_slots``)."""
COERCION_ROOTS = frozenset({"17"})
"""With the violent roots: a participle of these says what an act did ("fired tear gas,
forcing protesters to disperse"), no act of its own."""
Pair = tuple[Actor | None, Actor | None]
"""(source, target)."""
DESTINATION_SLOTS = ("to", "into")
"""Where an infinitive of purpose is sent: "sent experts to Qatar to investigate" targets
Qatar when nothing below the infinitive names a party."""
LOCATION_TARGET_SLOTS = ("in", "at")
"""Last resort for a target: where the act took place ("imposed a curfew in Colombo"); never
when coordinated sources act on each other ("Russia and Japan met in Moscow")."""


@dataclass(frozen=True)
class _Search:
    """One trigger's search for its arguments, in its sentence, with who reports it."""

    s: Sentence
    trigger: Trigger
    speaker: Actor | None

    @property
    def token(self) -> Token:
        return self.trigger.token

    @property
    def entry(self) -> VerbEntry:
        return self.trigger.entry

    @property
    def root(self) -> str:
        return self.entry.code[:2]

    @property
    def is_event(self) -> bool:
        return self.entry.kind == "event"

    def actors_in(
        self,
        slots: Iterable[str],
        exclude: Sequence[Actor] = (),
        token: Token | None = None,
        entry: VerbEntry | None = None,
    ) -> list[Actor]:
        """The actors in the first of these slots of the trigger (or of ``token``) that has
        any; see :func:`.parties.actors_in`."""
        at = self.token if token is None else token
        own = self.entry if entry is None else entry
        return actors_in(self.s, at, slots, self.speaker, own, exclude)

    def mutual(self, sources: Sequence[Actor]) -> bool:
        """Coordinated sources act on each other, unless the act is one-sided ("X and Y
        indicted")."""
        return len(sources) > 1 and self.root not in self.s.roots.one_sided


def arguments(s: Sentence, trigger: Trigger, speaker: Actor | None) -> list[Pair]:
    """(source, target) pairs: one per source actor; coordinated sources with no target
    act on each other (``Russia and Japan signed`` is reciprocal)."""
    search = _Search(s, trigger, speaker)
    token = search.token
    sources = search.actors_in(search.entry.source or default_source_slots(token))
    if not sources and _accompanies(search):  # "recalled its envoy, accusing Addis Ababa"
        sources = search.actors_in(("subject",), token=token.head)
    if not sources and not search.entry.source:  # "a protest from Hanoi", "the visit of X"
        sources = search.actors_in(_noun_agent_slots(search))
    targets, forces = _own_forces_aside(search, sources, _slot_targets(search, sources))
    # a missing source may still come from a frame, so no target is guessed for it
    if sources and search.is_event:
        targets = _unnamed_targets(search, sources, forces, targets)
    targets = _place_for_bare_roles(search, sources, targets)
    sources, targets = _state_for_agentless(search, sources, targets)
    # "urged him": coded as named; not "their arms", whose owner speaks or acts
    targets = [named_mention(s, t, token, [*sources, speaker]) for t in targets]
    targets = [mission_place(s, t, token.doc) or t for t in targets]  # also when found below
    # "The Sri Lankan government has made it clear it will not ...": coded as named
    sources = [named_mention(s, a, token) if _subject_pronoun(a) else a for a in sources]
    return _pairs(search, sources, targets)


def _subject_pronoun(actor: Actor) -> bool:
    return actor.text.lower() in SUBJECT_PRONOUNS


def _accompanies(search: _Search) -> bool:
    """A participle clause whose act is the verb subject's own further act ("Eritrea recalled
    its ambassador, accusing Addis Ababa of ..."); not the result of an act of force
    ("fired water cannon, injuring two crew"), which is the same event."""
    return (
        search.is_event
        and is_participle_clause(search.token)
        and search.root not in search.s.roots.violent | COERCION_ROOTS
    )


def _noun_agent_slots(search: _Search) -> tuple[str, ...]:
    """Where an event noun names its actor besides its possessor, modifier and ``by`` phrase:
    ``from`` for a verbal act ("a protest from Hanoi", "calls from the opposition"), ``of``
    for a meeting or mediation ("the visit of the Chinese president", "the mediation of
    Angolan President Joao Lourenco")."""
    if not search.is_event or word_class(search.token) != "NOUN":
        return ()
    slots = ("from",) if search.root in VERBAL_ROOTS else ()
    return slots + (("of",) if search.root in AGENT_OF_ROOTS else ())


def _patient_of(search: _Search) -> bool:
    """An event noun whose ``of`` phrase names whom the act is done to ("the detention of 10
    fishermen", "the expulsion of three diplomats", "criticism of the government")."""
    return (
        search.is_event and word_class(search.token) == "NOUN" and search.root in PATIENT_OF_ROOTS
    )


# --- 2. targets from slots ----------------------------------------------------------------------


def _slot_targets(search: _Search, sources: Sequence[Actor]) -> list[Actor]:
    """The targets the entry's slots name, else the usual slots', else a folded act's."""
    entry = search.entry
    usual_slots = default_target_slots(search.token)
    targets = search.actors_in(entry.target or usual_slots, sources)
    if all(map(bare_role, targets)) and entry.target and search.is_event:
        usual = search.actors_in(usual_slots, sources)  # then the usual slots
        targets = usual if usual and not all(map(bare_role, usual)) else targets or usual
    if not targets and not entry.target and _patient_of(search):
        targets = search.actors_in(("of",), sources)  # "the detention of 10 fishermen"
    if not targets:  # "refused to sign the deal with Russia": the folded act's target
        targets = _folded_targets(search, sources)
    # "troops to the UN peacekeeping mission in Mali": the country the mission serves
    return [mission_place(search.s, t, search.token.doc) or t for t in targets]


def _folded_targets(search: _Search, sources: Sequence[Actor]) -> list[Actor]:
    for inner in search.s.absorbed(search.trigger):
        entry = search.s.triggers[inner.i].entry
        slots = entry.target or default_target_slots(inner)
        targets = search.actors_in(slots, sources, token=inner, entry=entry)
        if targets:
            return targets
    return []


# --- 3. the source's own forces -----------------------------------------------------------------


def _own_forces_aside(
    search: _Search, sources: Sequence[Actor], targets: list[Actor]
) -> tuple[list[Actor], list[Actor]]:
    """(targets, forces): "withdrew peacekeepers from Rwanda": the source's own forces are its
    means, not the target."""
    roots = search.s.roots.own_force
    code = search.entry.code
    if targets and all(
        own_force(t, sources, code, roots) or own_envoy(t, sources, code) for t in targets
    ):
        return [], targets
    return targets, []


# --- 4. when no slot names a target -------------------------------------------------------------


def _unnamed_targets(
    search: _Search, sources: Sequence[Actor], forces: Sequence[Actor], targets: list[Actor]
) -> list[Actor]:
    """The target of a source's act that no slot names, from the first place that has one."""
    if not targets:  # "demanded that the US cancel ...": who is to act
        targets = _asked_to_act(search, sources)
    # "began a hunger strike in protest against X": whom the act is aimed at; for a protest
    # also over a place ("blocked streets in Hong Kong in defiance of Chinese authorities")
    if not targets or search.root == PROTEST_ROOT:
        stance = parties(search.s, stance_parties(search.token, search.s.light_verbs), sources)
        targets = stance or targets
    fallbacks: tuple[Callable[[], list[Actor]], ...] = (
        lambda: _below(search, sources, forces),
        # "voiced hope that Greece will help": who the hope is about
        lambda: parties(search.s, object_clause_subjects(search.token), sources),
        lambda: _conditioners(search, sources),
        lambda: _destination(search, sources),
    )
    for fallback in fallbacks:
        if targets:
            break
        targets = fallback()
    return targets


def _asked_to_act(search: _Search, sources: Sequence[Actor]) -> list[Actor]:
    """The subject of the that-clause, unless the source's own side ("Pakistan denied that its
    troops attacked")."""
    return [
        a
        for a in search.actors_in(("clause-subject",), sources)
        if not any(own_side(a, source) for source in sources)
    ]


def _below(search: _Search, sources: Sequence[Actor], forces: Sequence[Actor]) -> list[Actor]:
    """The nearest party below the trigger ("aid to people in Yemen"); not under a controlling
    verb, whose frame may still change the source ("appealed to Syria to allow convoys into
    Aleppo"); coordinated sources that met "in Moscow" act on each other, not on the place."""
    token = search.token
    if token.dep_ == "xcomp" and token.head.i in search.s.triggers:  # not "decided to"
        return []
    places = frozenset(LOCATION_TARGET_SLOTS) if search.mutual(sources) else frozenset()
    return first_actor_below(search.s, token, [*sources, *forces], places, search.entry.code)


def _conditioners(search: _Search, sources: Sequence[Actor]) -> list[Actor]:
    """The party a condition names ("threatened to strike unless Israel rescinded ...")."""
    return [
        a
        for t in condition_subjects(search.s, search.token)
        for a in search.s.members(t.i)
        if not any(a.country and a.country == source.country for source in sources)
    ]


def _destination(search: _Search, sources: Sequence[Actor]) -> list[Actor]:
    """Where an infinitive of purpose is sent ("sent experts to Qatar to investigate ...")."""
    token = search.token
    if not is_purpose_clause(token):
        return []
    return [
        a
        for slot in DESTINATION_SLOTS
        for t in slot_tokens(token.head, slot, search.s.light_verbs)
        for a in search.s.members(t.i)
        if a not in sources and not any(a.code == source.code for source in sources)
    ]


# --- 5. and 6. the place of the act -------------------------------------------------------------


def _place_for_bare_roles(
    search: _Search, sources: Sequence[Actor], targets: list[Actor]
) -> list[Actor]:
    """Bare-role targets (or none) give way to the actors where the act took place."""
    if not (all(map(bare_role, targets)) and not search.mutual(sources) and search.is_event):
        return targets
    place = search.actors_in(LOCATION_TARGET_SLOTS, sources) or [
        a  # "killed 23 people when they blew themselves up in Tel Aviv"
        for clause in time_clauses(search.token)
        for a in search.actors_in(LOCATION_TARGET_SLOTS, sources, token=clause)
    ]
    if place and not all(map(bare_role, place)):
        return place
    return targets


def _state_for_agentless(
    search: _Search, sources: list[Actor], targets: list[Actor]
) -> tuple[list[Actor], list[Actor]]:
    """The state where an agentless act happened as its source ("was arrested in Rwanda": by
    Rwanda), for the roots framing.yaml lists as ``state_source``."""
    if sources or not search.is_event or search.root not in search.s.roots.state_source:
        return sources, targets
    state = state_of_place(search.s, search.token)
    if state is None:
        return sources, targets
    return [state], [t for t in targets if t.country != state.country or t.role]


# --- 8. pairs -----------------------------------------------------------------------------------


def _pairs(search: _Search, sources: Sequence[Actor], targets: Sequence[Actor]) -> list[Pair]:
    if not sources:
        return [(None, t) for t in (targets or [None])]
    if not targets and search.mutual(sources):  # "Russia and Japan signed": each on the other
        pairs = [(s, next((o for o in sources if o.code != s.code), None)) for s in sources]
        if all(t is not None for _, t in pairs):
            return list(pairs)
    return [(s, t) for s in sources for t in (targets or [None])]
