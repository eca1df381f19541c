"""Where a trigger's target comes from when no slot names one: the trigger's object and
prepositional phrases, breadth first; a stance phrase ("in protest against X"); the subject of
an object clause or of a condition; the place of the act, or the state where it happened.
:mod:`.arguments` tries them in turn."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from spacy.tokens import Token

from newsevents.coding.actors.bare_roles import country_is_inferred
from newsevents.coding.events.parties import another_party, holders, owner
from newsevents.coding.events.sentence import Sentence
from newsevents.coding.events.slots import (
    TOPIC_PREPOSITIONS,
    is_purpose_clause,
    light_governor,
    slot_tokens,
)
from newsevents.coding.events.syntax import (
    ANY_SUBJECT_DEPS,
    COMPLEMENT_DEPS,
    SUBJECT_DEPS,
    conjuncts,
    has_mark,
    voice,
    word_class,
)
from newsevents.model import Actor

DESCENT_DEPS = frozenset(
    {"dobj", "obj", "dative", "prep", "pobj", "pcomp", "attr", "oprd", "npadvmod"}
    | {"xcomp", "advcl", "acl"}
    | {"agent"}  # "rejected the resolution proposed by the Council": the thing's author
    | {"appos"}  # "denounced as a crime Serbia's crackdown": another name of the same thing
)
"""Dependencies followed down from a trigger when no slot names a target ("provides aid to
the Palestinian people", "funds to support peace building in Colombia")."""
CONCESSIVE_PREPOSITIONS = frozenset({"despite", "notwithstanding"})
"""``agreed to the extension despite Israel's wish``: whose wish is no party of the act."""
PLACE_PREPOSITIONS = frozenset({"in", "at", "near", "inside", "outside", "across", "throughout"})
PROTEST_ROOT = "14"
REDUCE_RELATIONS_ROOT = "16"
ENVOYS = frozenset(
    {"ambassador", "ambassadors", "envoy", "envoys", "diplomat", "diplomats", "d'affaires"}
    | {"consul", "delegation", "emissary"}
)
STANCE_NOUNS = frozenset(
    {"protest", "defiance", "retaliation", "reprisal", "revenge", "response", "solidarity"}
    | {"support", "opposition"}
)
"""``in protest against X``, ``in defiance of X`` ...: a phrase that names whom an act is
aimed at, on the trigger or on an event noun's light verb."""
TIME_MARKERS = frozenset({"when", "while", "as"})
"""Words that open a clause telling when the governing act happened, and so where."""


# --- the descent below the trigger --------------------------------------------------------------


def first_actor_below(
    s: Sentence,
    token: Token,
    sources: Sequence[Actor],
    places: frozenset[str] = frozenset(),
    code: str = "",
) -> list[Actor]:
    """The nearest actor inside the trigger's object and prepositional phrases, breadth
    first ("provides aid to the Palestinian people", "funds for peace building in
    Colombia"): the party the act is done to when no slot names one. The source's own
    forces (``code``: see :func:`own_force`) are passed over, not taken ("offered to send
    troops to help the Philippine army" targets the army)."""
    queue = _descent_starts(s, token, places)
    while queue:
        node = queue.pop(0)
        found = [
            a
            for member in (node, *conjuncts(node))
            for a in s.members(member.i)
            if another_party(a, sources) and not own_force(a, sources, code, s.roots.own_force)
        ]
        if found:
            return found
        queue.extend(_below(node, places))
    return []


def _descent_starts(s: Sentence, token: Token, places: frozenset[str]) -> list[Token]:
    """Where the descent starts: the phrases after the trigger (and after the head of an event
    noun compound), then the purpose of an event noun's light verb."""
    starts = [token]
    if token.dep_ == "compound" and word_class(token) == word_class(token.head) == "NOUN":
        starts.append(token.head)  # "a mediation effort to resolve the rift between ..."
    governor = light_governor(token, s.light_verbs) if word_class(token) == "NOUN" else None
    purposes = [c for c in governor.children if _serves(c)] if governor else []
    return [
        *(
            c
            for start in starts
            for c in start.children
            if c.dep_ in DESCENT_DEPS
            and c.i > token.i
            and c.lower_ not in TOPIC_PREPOSITIONS | places
            and not _own_clause(c)
            and not _example(c)
        ),
        # then its light verb's purpose: "began a hunger strike to demand the resignation"
        *(c for c in purposes if c.i > token.i),
    ]


def _below(node: Token, places: frozenset[str] = frozenset()) -> list[Token]:
    """The nodes the descent visits after ``node``; not ``places`` prepositions ("Sudan and
    South Sudan agreed to reopen the border crossing at Joda": no party at any depth)."""
    found = holders(node)  # "strikes on the rebel-held enclave": the rebels
    # "denounced Serbia's crackdown", "to protest against Sweden's decision": its owner
    if node.head.lower_ not in CONCESSIVE_PREPOSITIONS:  # not "despite Israel's wish"
        found += [c for c in node.children if c.dep_ == "poss"]
    found += [
        c
        for c in node.children
        if c.dep_ in DESCENT_DEPS
        and c.lower_ not in TOPIC_PREPOSITIONS | places
        and not _own_clause(c)  # "as Russia calls them" is another clause's business
        and not _example(c)  # "aid, including volunteers, to help the victims"
    ]
    # "a call for its forces to be deployed in East Timor": an infinitival relative
    found += [c for c in node.children if c.dep_ == "relcl" and is_purpose_clause(c)]
    # "launched artillery and rocket fire against X": the later conjuncts' phrases
    found += [
        c
        for member in conjuncts(node)
        for c in member.children
        if c.dep_ == "prep" and c.lower_ not in TOPIC_PREPOSITIONS | places
    ]
    return found


def _own_clause(token: Token) -> bool:
    """A clause with a subject of its own (an adverbial or relative clause): its actors are
    its own events' parties, not the governing event's."""
    return token.dep_ in {"advcl", "acl", "relcl"} and any(
        c.dep_ in {"nsubj", "nsubjpass", "expl"} for c in token.children
    )


def _example(prep: Token) -> bool:
    """``including X``, ``such as X`` on the verb: examples of the thing acted with, not a party
    to the act ("sent aid, including volunteers, to help the victims"). On a noun they name
    members of its group, who are ("killed dozens of fighters, including their leader")."""
    if prep.dep_ != "prep" or word_class(prep.head) not in {"VERB", "AUX"}:
        return False
    return prep.lower_ == "including" or (
        prep.lower_ == "as" and any(c.lower_ == "such" for c in prep.children)
    )


def _serves(clause: Token) -> bool:
    """A clause without a subject that says what a light verb's act is for: an infinitive of
    purpose, also parsed as a complement ("started a hunger strike to protest against ..."),
    or a participle ("carried out a raid, targeting the commanders of ...")."""
    children = list(clause.children)
    if any(c.dep_ in ANY_SUBJECT_DEPS for c in children):
        return False
    infinitive = any(c.dep_ == "aux" and c.lower_ == "to" for c in children)
    return (
        is_purpose_clause(clause)
        or (clause.dep_ == "xcomp" and infinitive)
        or (clause.dep_ == "advcl" and clause.tag_ == "VBG")
    )


def own_force(
    actor: Actor, sources: Sequence[Actor], code: str, own_force_roots: frozenset[str]
) -> bool:
    """The source's own forces, moved or used ("withdrew peacekeepers from Rwanda",
    "mobilized troops for a war against Iraq"), in the roots ``framing.yaml`` lists as
    ``own_force``: a military role with no country written in its phrase, or the source's
    country; not for releases (084), whose object is a captive."""
    if code[:2] not in own_force_roots or code.startswith("084") or not sources:
        return False
    words = actor.text.split()  # role words and their head ("army reservists"), not a name
    if not (actor.role or "").startswith("MIL") or not words or actor.name != words[-1]:
        return False
    unwritten = actor.country is None or country_is_inferred(actor)
    return unwritten or any(actor.country == s.country for s in sources)


def own_envoy(actor: Actor, sources: Sequence[Actor], code: str) -> bool:
    """The source's own envoy, recalled or withdrawn (root 16: "Eritrea has recalled its
    ambassador to Ethiopia"): the means of the act; the country the envoy serves in is the
    target."""
    if not code.startswith(REDUCE_RELATIONS_ROOT) or not sources:
        return False
    words = actor.text.lower().split()
    if not words or words[-1] not in ENVOYS or not (actor.role or "").startswith("GOV"):
        return False
    return any(actor.country is not None and actor.country == s.country for s in sources)


# --- clauses and phrases that name a party ------------------------------------------------------


def stance_parties(token: Token, light_verbs: frozenset[str]) -> list[Token]:
    """The objects in a stance phrase (``STANCE_NOUNS``) on the trigger or its light verb:
    "staged a hunger strike in protest against abuses by the police", "blocked streets in
    defiance of the authorities", "in retaliation for the rebels' attack"."""
    heads = [token]
    if word_class(token) == "NOUN":
        governor = light_governor(token, light_verbs)
        heads += [governor] if governor is not None else []
    return [
        party
        for head in heads
        for prep in head.children
        if prep.dep_ == "prep" and prep.lower_ == "in"
        for noun in prep.children
        if noun.dep_ == "pobj" and noun.lemma_.lower() in STANCE_NOUNS
        for inner in noun.children
        if inner.dep_ == "prep" and inner.lower_ not in TOPIC_PREPOSITIONS
        for party in inner.children
        if party.dep_ == "pobj"
    ]


def object_clause_subjects(token: Token) -> list[Token]:
    """The subjects (with their conjuncts) of a content clause on the verb's object noun
    ("expressed hope that the new government will ...", "rejected the claim that Iran had
    ..."), or of a ``for X to`` clause on the verb ("called for Britain to stay")."""
    if word_class(token) == "NOUN":
        return []
    clauses = [
        clause
        for noun in token.children
        if noun.dep_ in {"dobj", "obj"} and word_class(noun) == "NOUN"
        for clause in noun.children
        if clause.dep_ in {"acl", "ccomp"} and word_class(clause) in {"VERB", "AUX"}
    ]
    clauses += [
        clause for clause in token.children if clause.dep_ == "advcl" and has_mark(clause, {"for"})
    ]
    subjects = [s for c in clauses for s in c.children if s.dep_ in ANY_SUBJECT_DEPS]
    return [m for s in subjects for m in (s, *conjuncts(s))]


def condition_subjects(s: Sentence, token: Token) -> list[Token]:
    """The subjects of the condition (``if``, ``unless``) put on the trigger or on the act
    it governs: the party whose act the threat or promise depends on."""
    nodes = [token, *(c for c in token.children if c.dep_ in COMPLEMENT_DEPS)]
    markers = s.words.conditional_markers
    return [
        subject
        for node in nodes
        for clause in node.children
        if clause.dep_ == "advcl" and has_mark(clause, markers)
        for subject in clause.children
        if subject.dep_ in SUBJECT_DEPS
    ]


def time_clauses(token: Token) -> list[Token]:
    """The time clauses of a trigger ("killed 23 people when they blew themselves up in X")."""
    return [
        clause
        for clause in token.children
        if clause.dep_ == "advcl"
        and any(m.dep_ in {"mark", "advmod"} and m.lower_ in TIME_MARKERS for m in clause.children)
    ]


# --- the state where it happened ----------------------------------------------------------------


def state_of_place(s: Sentence, token: Token) -> Actor | None:
    """The state where an agentless passive act of force took place ("was arrested in
    Rwanda", "were killed near Basra"): the party human coders hold responsible. Only a
    place (a country, or a city standing for one), only when the sentence's places after
    ``in``/``at``/``near``... are all of one country."""
    if voice(token) != "passive":
        return None
    agents = slot_tokens(token, "subject", s.light_verbs)  # "by a roadside bomb" is none
    if any(s.members(t.i) or owner(s, t) for t in agents):
        return None
    found = [
        a
        for t in token.subtree
        if t.dep_ == "pobj" and _names_a_place(t)
        for a in s.members(t.i)
        if a.country and (a.code == a.country or a.rule == "gazetteer")
    ]
    if not found or len({a.country for a in found}) != 1:
        return None
    place = found[0]
    rule = f"{place.rule}, the state where it happened"
    return replace(place, code=place.country, role=None, rule=rule)


def _names_a_place(pobj: Token) -> bool:
    """The object of a place preposition: "in Rwanda", "outside of Basra", "near the town of
    Samarra", "in a residential sector of Beirut"."""
    prep = pobj.head
    if prep.lower_ != "of":
        return prep.lower_ in PLACE_PREPOSITIONS
    above = prep.head
    if above.dep_ == "pobj":
        above = above.head
    return above.lower_ in PLACE_PREPOSITIONS
