"""Parties: the actors a trigger's slots stand for, the actor behind a phrase that is no actor
itself ("Trump's decision"), and how two actors compare (the same actor, the same side)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from spacy.tokens import Doc, Token

from newsevents.coding.events.dictionary import VerbEntry
from newsevents.coding.events.sentence import Sentence
from newsevents.coding.events.slots import slot_tokens
from newsevents.coding.events.syntax import conjuncts
from newsevents.model import Actor, Span

SPEAKER_PRONOUNS = frozenset({"it", "we", "they", "i"})
SUBJECT_PRONOUNS = SPEAKER_PRONOUNS | {"he", "she"}
PERSON_PRONOUNS = frozenset({"he", "she", "him", "his", "her"})
POSSESSIVE_PRONOUNS = frozenset(
    {"his", "her", "its", "their", "our", "my", "he", "she", "it", "they", "we", "him", "them"}
)
OWNER_PREPOSITIONS = frozenset({"of", "from", "by", "for", "in", "with"})
"""Prepositions that name the actor behind a non-actor phrase ("the request from X")."""
IMPOSED_PREPOSITIONS = frozenset({"on", "against", "to"})
"""Prepositions on a participle that name whom a thing is imposed on ("a ban imposed on X")."""
HOLDER_PARTICIPLES = frozenset(
    {"held", "controlled", "occupied", "run", "dominated", "based"}
    | {"brokered", "mediated", "proposed", "drafted", "imposed"}
    | {"backed", "sponsored", "funded", "supported"}
)
"""``X-held``, ``X-brokered`` and the like before a thing name the actor who holds, made or
backs it: "the rebel-held enclave" is the rebels', "a UN-brokered ceasefire" the UN's (the
parser splits the hyphen, so X is the participle's own modifier). Not ``-led``: "the Saudi-led
coalition" is an actor itself (docs/actors.md, "Leaders and bases")."""
MISSION_NOUNS = frozenset({"mission", "missions", "force", "forces", "operation", "operations"})
"""Heads of an international body's deployed missions: the country they serve is the target."""
STATE_ROLES = frozenset({"GOV", "MIL", "COP", "JUD", "LEG", "SPY"})
"""Roles of a state's organs; a non-state group of the same country is another side."""


# --- the actors in a trigger's slots ------------------------------------------------------------


def actors_in(
    s: Sentence,
    token: Token,
    slots: Iterable[str],
    speaker: Actor | None,
    entry: VerbEntry,
    exclude: Sequence[Actor] = (),
) -> list[Actor]:
    """The actors in the first slot that has any (with their coordinated conjuncts). A slot
    holding only bare roles ("the police", "troops") gives way to a later slot that names a
    country or organization. ``exclude``: the sources, when looking for targets."""
    light = s.light_verbs | entry.governors
    weak: list[Actor] = []
    for slot in slots:
        found = _slot_actors(s, token, slot_tokens(token, slot, light), speaker, exclude)
        if any(not bare_role(a) for a in found):
            return found
        weak = weak or found
    return weak


def _slot_actors(
    s: Sentence,
    token: Token,
    heads: Sequence[Token],
    speaker: Actor | None,
    exclude: Sequence[Actor],
) -> list[Actor]:
    """The actors of one slot's heads and their conjuncts, other than ``exclude``."""
    found: list[Actor] = []
    for head in heads:
        if head.i == token.i and exclude:  # a noun is not its own target
            continue
        for member in (head, *conjuncts(head)):
            found.extend(
                a
                for a in _stands_for(s, member, token, speaker)
                if a not in found
                and a not in exclude
                and not any(same_actor(a, x) for x in exclude)
            )
    return found


def _stands_for(
    s: Sentence, member: Token, token: Token, speaker: Actor | None
) -> tuple[Actor, ...]:
    """The actors of a slot's word: its own, the speaker for a speaker's pronoun, else the
    owner of the thing it names."""
    resolved = s.members(member.i)
    if not resolved and speaker is not None and member.lower_ in SPEAKER_PRONOUNS:
        resolved = (speaker,)
    if not resolved and member.i != token.i:
        resolved = owner(s, member)
    return resolved


def parties(s: Sentence, tokens: Iterable[Token], sources: Sequence[Actor]) -> list[Actor]:
    """The actors of these tokens (their members, else their owner's) other than the
    sources."""
    return [a for t in tokens for a in s.members(t.i) or owner(s, t) if another_party(a, sources)]


# --- the actor behind a thing -------------------------------------------------------------------


def owner(s: Sentence, token: Token) -> tuple[Actor, ...]:
    """The actor behind a thing that is not an actor itself: "Trump's decision", "the
    depot of the Syrian army", "a request from the newspaper"."""
    for find in (_possessor, _prepositional_owner, _imposed_on, _holder):
        found = find(s, token)
        if found:
            return found
    return _described_by_appositive(s, token)


def _possessor(s: Sentence, token: Token) -> tuple[Actor, ...]:
    for child in token.children:
        if child.dep_ == "poss" and s.members(child.i):
            return s.members(child.i)
    return ()


def _prepositional_owner(s: Sentence, token: Token) -> tuple[Actor, ...]:
    """The object of an owner preposition ("the depot of the Syrian army", "a request from
    the newspaper")."""
    for prep in token.children:
        if prep.dep_ == "prep" and prep.lower_ in OWNER_PREPOSITIONS:
            found = _object_members(s, prep)
            if found:
                return found
    return ()


def _imposed_on(s: Sentence, token: Token) -> tuple[Actor, ...]:
    """Whom a thing is imposed on ("a travel ban imposed on Chadian citizens")."""
    for participle in token.children:
        if participle.dep_ != "acl" or participle.tag_ != "VBN":
            continue
        for prep in participle.children:
            if prep.dep_ == "prep" and prep.lower_ in IMPOSED_PREPOSITIONS:
                found = _object_members(s, prep)
                if found:
                    return found
    return ()


def _object_members(s: Sentence, prep: Token) -> tuple[Actor, ...]:
    """The actors of a preposition's first object that has any."""
    for pobj in prep.children:
        if pobj.dep_ == "pobj" and s.members(pobj.i):
            return s.members(pobj.i)
    return ()


def _holder(s: Sentence, token: Token) -> tuple[Actor, ...]:
    """X of ``X-held`` ("the rebel-held enclave": the rebels')."""
    for holder in holders(token):
        if s.members(holder.i):
            return s.members(holder.i)
    return ()


def _described_by_appositive(s: Sentence, token: Token) -> tuple[Actor, ...]:
    """A name's appositive ("Aya Hijazi, an American aid worker": as described)."""
    for appos in token.children:
        if token.pos_ == "PROPN" and appos.dep_ == "appos" and s.members(appos.i):
            return tuple(_described(a, token) for a in s.members(appos.i))
    return ()


def _described(actor: Actor, name: Token) -> Actor:
    """The actor of an appositive, as the phrase it describes ("Aya Hijazi, an American aid
    worker": the span is the name, the code the description's)."""
    words = name.doc[name.left_edge.i : name.i + 1]
    span = Span(words.start_char, words.end_char, words.text)
    rule = f"{actor.rule}, from the appositive" if actor.rule else "from the appositive"
    return replace(actor, text=words.text, span=span, rule=rule)


def holders(token: Token) -> list[Token]:
    """X of ``X-held`` (``-controlled``, ``-occupied`` ...) before the thing ``token``."""
    return [
        holder
        for participle in token.children
        if participle.dep_ == "amod" and participle.lower_ in HOLDER_PARTICIPLES
        for holder in participle.children
        if holder.dep_ in {"npadvmod", "compound", "nmod", "amod"} and holder.i < participle.i
    ]


# --- the mention a target is coded with ---------------------------------------------------------


def named_mention(
    s: Sentence, actor: Actor, token: Token, others: Sequence[Actor | None] = ()
) -> Actor:
    """A pronoun target resolved to a mention earlier in the trigger's sentence is coded
    with that mention ("called President Erdogan and urged him to ...": the target span
    is ``President Erdogan``), as a reported pronoun subject is with the speaker's name;
    unless one of the ``others`` (the sources and the speaker) is that mention."""
    antecedent = actor.resolved_from
    sentence = token.sent
    if (
        antecedent is None
        or actor.text.lower() not in POSSESSIVE_PRONOUNS
        or antecedent.start < sentence.start_char
        or antecedent.end > sentence.end_char
    ):
        return actor
    named = (
        a
        for head in s.actors
        for a in s.members(head)
        if a.span == antecedent and a.code == actor.code
    )
    found = next(named, actor)
    return actor if any(p is not None and p.span == found.span for p in others) else found


def mission_place(s: Sentence, actor: Actor, doc: Doc) -> Actor | None:
    """The country where an international body's mission or force is deployed ("the UN
    peacekeeping force in South Sudan"), else None; a country's own forces stay its own
    ("Ukrainian forces in the Crimea")."""
    if actor.country is not None:
        return None
    span = doc.char_span(actor.span.start, actor.span.end, alignment_mode="expand")
    if span is None or span.root.lower_ not in MISSION_NOUNS:
        return None
    places = [
        a
        for prep in span.root.children
        if prep.dep_ == "prep" and prep.lower_ == "in"
        for pobj in prep.children
        if pobj.dep_ == "pobj"
        for a in s.members(pobj.i)
        if a.country and (a.code == a.country or a.rule == "gazetteer")
    ]
    return places[0] if places else None


# --- comparing actors ---------------------------------------------------------------------------


def bare_role(actor: Actor) -> bool:
    """A role with no country or organization ("the police" -> COP)."""
    return actor.country is None and actor.role is not None and actor.code == actor.role


def another_party(actor: Actor, sources: Sequence[Actor]) -> bool:
    """Not one of the sources, nor the same actor under another mention or code."""
    return actor not in sources and not any(
        same_actor(actor, s) or actor.code == s.code for s in sources
    )


def same_actor(actor: Actor, other: Actor) -> bool:
    """The same actor mentioned twice, once by a pronoun ("Putin ... his")."""
    pronoun = actor.text.lower() in POSSESSIVE_PRONOUNS or other.text.lower() in POSSESSIVE_PRONOUNS
    # "the Government of Hungary expressed its ...": a country and its own government; not a
    # person's pronoun ("he will extend the curfew in Abidjan": Abidjan is no "he")
    people = {actor.text.lower(), other.text.lower()} & PERSON_PRONOUNS
    # not a party or rebel group and its country ("the Umma party said it will boycott
    # Algeria's elections")
    state = all(map(_a_state, (actor, other)))
    country = not people and state and (actor.code == other.country or other.code == actor.country)
    return pronoun and (actor.code == other.code or country)


def _a_state(actor: Actor) -> bool:
    """A country or one of its state organs (its code's first role is ``STATE_ROLES``)."""
    if actor.country is None or not actor.code.startswith(actor.country):
        return True  # an international body, or a role with no country yet
    role = actor.code[len(actor.country) : len(actor.country) + 3]
    return not role or role in STATE_ROLES


def own_side(actor: Actor, source: Actor) -> bool:
    """Whether a clause's subject is the source's own side ("Pakistan denied that its troops
    attacked"): same country, unless one is a state organ and the other a rebel, opposition or
    other non-state group ("the Hutu rebels insisted that Burundi's government grant ...")."""
    if not actor.country or actor.country != source.country:
        return False
    if actor.role is None or source.role is None:
        return True
    return (actor.role in STATE_ROLES) == (source.role in STATE_ROLES)
