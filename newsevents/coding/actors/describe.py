"""One noun phrase's actors, composed from the dictionary phrases inside it.

Codes compose: a prefix role (PETRARCH ``[NGO~]``), the base (a country, an organization or a
dictionary actor such as ``USAGOV``) and the role codes of the phrase in text order, each role
once (``Danish Islamist media`` -> ``DNKMUSMED``). A role noun with no country of its own takes
it from a possessor or an ``of``/``from``/``in`` phrase (``soldiers from Gondor``), or from the
first conjunct (``Danish media and government``); a city or region stands for its country.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field

from spacy.tokens import Token

from newsevents.coding.actors.coreference import ArticleMemory, resolve_pronoun
from newsevents.coding.actors.dictionary import ActorDictionary, ActorEntry
from newsevents.coding.actors.phrases import (
    BASE_KINDS,
    LEADERS,
    Entries,
    entries_in,
    is_locative,
    join_words,
    leader_entry,
    phrase_tokens,
    span_of,
)
from newsevents.coding.places import Gazetteer
from newsevents.model import Actor

COUNTERPART = frozenset({"counterpart", "counterparts"})
COUNTRY_NOUNS = frozenset({"country", "nation", "homeland", "motherland", "fatherland"})
"""``our country``: the country of the noun's owner."""
FIRST_PERSON_POSSESSIVES = frozenset({"our", "my"})
LEADER_ROLE = "GOV"
OWNER_PREPOSITIONS = frozenset({"of", "from", "in"})
"""``the ambassadors of Arnor``, ``soldiers from Gondor``, ``protesters in Hong Kong``."""
ETHNIC_WORDS = frozenset({"ethnic"})
ETHNIC_NOUNS = frozenset(
    {"population", "populations", "minority", "minorities", "community", "communities"}
)
"""``the Albanian population of the province``, ``the Turkish minority``: an ethnic group."""
PLACE_KINDS = frozenset({"country", "region", "capital"})
ETHNIC_ROLE = "CVL"
"""``ethnic Albanians``: an ethnic group, civilians of the country they live in (docs/actors.md)."""
FORMER_ROLE = "ELI"
"""The role of a former office holder (``former president``), kept over the office's role."""
PARTY_NOUNS = frozenset({"party"})
PARTY_ROLE = "PTY"
"""``the Umma party``: a party named by a proper noun is a political party (CAMEO ``PTY``)."""
TIME_ENTITIES = frozenset({"DATE", "TIME"})
"""Entity types of words that are never places ("in March" is a month, not the town)."""
MAX_ROLES = 3


@dataclass
class _Parts:
    """The dictionary phrases found in one noun phrase, sorted into code parts."""

    bases: list[tuple[ActorEntry, str]] = field(default_factory=list)
    """(entry, code it contributes) for each country, organization or dictionary actor."""
    roles: list[str] = field(default_factory=list)
    prefixes: list[str] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)


class Describer:
    """Composes the actors of a noun phrase from the dictionary entries matched inside it."""

    def __init__(self, dictionary: ActorDictionary, gazetteer: Gazetteer) -> None:
        self.dictionary = dictionary
        self.gazetteer = gazetteer

    @staticmethod
    def _carries_role(head: Token, entries: Entries) -> bool:
        """The head is a role noun (``police``), or a name after a title (``Vice-President
        Moody Awori``); not a thing with a role word before it (``a military aid program``)."""
        if head.i in entries:
            return entries[head.i][0].kind == "agent"
        return head.pos_ == "PROPN" and any(
            entries[t.i][0].kind == "agent" for t in phrase_tokens(head) if t.i in entries
        )

    @staticmethod
    def titled_name(head: Token, entries: Entries) -> bool:
        """A proper name after a title (``President Gustavo Petro``), whatever the tagger took
        it for."""
        return (
            head.pos_ == "PROPN"
            and head.i not in entries
            and head.ent_type_ not in {"GPE", "LOC", "DATE", "TIME"}
            and any(entries[t.i][0].kind == "agent" for t in phrase_tokens(head) if t.i in entries)
        )

    def names_people(self, head: Token, entries: Entries) -> bool:
        """A role phrase names people when its head carries the role, is a collective noun
        (``a rebel group``) or has a named appositive (``the Mafia boss Albert Anastasia``)."""
        return (
            self._carries_role(head, entries)
            or head.lower_ in self.dictionary.collectives
            or _is_ethnic(head, phrase_tokens(head), entries)
            or any(c.dep_ == "appos" and c.pos_ == "PROPN" for c in head.children)
        )

    def describe(
        self, head: Token, entries: Entries, memory: ArticleMemory | None
    ) -> tuple[Actor, ...]:
        """Combine the dictionary phrases inside the noun phrase into its actor(s)."""
        tokens = phrase_tokens(head)
        parts = self._parts(head, tokens, entries)
        if head.lower_ in COUNTERPART:
            parts.roles = [self._counterpart_role(head, memory) or LEADER_ROLE]
            parts.rules.append("counterpart takes the other side's role")
        if not parts.roles and head.lower_ in PARTY_NOUNS and _has_name(head, entries):
            parts.roles = [PARTY_ROLE]  # "the Umma party": a political party by its name
            parts.rules.append("a named party")
        demonyms = [(e, code) for e, code in parts.bases if e.kind == "demonym"]
        if demonyms and _is_ethnic(head, tokens, entries):  # "ethnic Albanians in Serbia"
            parts.bases = [b for b in parts.bases if b not in demonyms]
            parts.roles = parts.roles or ([ETHNIC_ROLE] if not parts.bases else [])
            parts.rules.append("ethnic group: no country of its own")
        if not parts.bases and head.dep_ == "conj":
            self._inherit_from_first_conjunct(head, entries, parts)
        if not parts.bases and not parts.roles and _speakers_country(head):
            owners = [_country_entry(e) for e in self._owners(head, entries, memory)]
            if owners:  # "our country" in a minister's quote, "the group's homeland"
                parts.bases = [(entry, entry.code) for entry in owners if entry.country]
                parts.rules.append("the country of the phrase's owner")
        people = bool(self.person_tokens(head, entries))
        if not parts.bases and ((parts.roles and self.names_people(head, entries)) or people):
            # not "its police cooperation": a thing, whoever's it is
            owners = self._owners(head, entries, memory)
            if owners:
                parts.bases = [(entry, entry.code) for entry in owners]
                parts.rules.append("owner of the phrase")
        leader = None if parts.bases else leader_entry(head, entries)
        if leader is not None:  # "the Saudi-led coalition", "Vietnamese-led forces"
            parts.bases = [(leader, _base_code(leader, False, bool(parts.roles)))]
            parts.rules += [leader.rule, "the actor that leads it"]
            led = [t for c in head.children if c.lower_ in LEADERS for t in c.subtree]
            tokens = sorted({*tokens, *led}, key=lambda t: t.i)
        if not parts.bases and not parts.roles:
            if head.ent_type_ in TIME_ENTITIES:
                return ()  # "a visit in March": a month, not the town of March
            if head.ent_type_ in {"GPE", "LOC"} or (
                head.pos_ == "PROPN" and self.gazetteer.is_place(head.text)
            ):
                place = self._place_actor(head)
                return (place,) if place else ()
            return ()
        span = span_of(tokens)
        name_tokens = self.person_tokens(head, entries) or [
            t
            for c in head.children
            if c.dep_ == "appos" and c.ent_type_ == "PERSON"
            for t in phrase_tokens(c)
        ]
        rule = ", ".join(dict.fromkeys(parts.rules))
        role = "".join(parts.roles[:MAX_ROLES]) or None
        if not parts.bases:
            name = join_words(name_tokens) if name_tokens else head.text
            return (Actor(span.text, name, role or "", None, role, span, None, rule),)
        actors = []
        for entry, base in parts.bases:
            code = _compose(parts.prefixes, base, parts.roles)
            country = entry.country if entry.kind != "user" else _country_of(code, self.dictionary)
            name = join_words(name_tokens) if name_tokens else entry.name
            actors.append(Actor(span.text, name, code, country, role, span, None, rule))
        return tuple(dict.fromkeys(actors))

    def _parts(self, head: Token, tokens: Sequence[Token], entries: Entries) -> _Parts:
        parts = _Parts()
        found = entries_in(tokens, entries)
        head_entry = entries.get(head.i, (None, 0, 0))[0]
        has_roles = any(e.kind == "agent" for e in found)
        base_entries = [e for e in found if e.kind in BASE_KINDS] or [
            e for e in found if e.kind == "organization"
        ]
        if base_entries:
            base = base_entries[0]
            is_head = base is head_entry and not _is_place_phrase(head)  # "in Abidjan": a place
            parts.bases.append((base, _base_code(base, is_head, has_roles)))
            parts.bases += [(base, code) for code in base.members]
            for token in tokens:  # "Hungarian and Romanian officials"
                hit = entries.get(token.i)
                if token.i == head.i or hit is None or hit[0] is not base:
                    continue
                for conjunct in token.conjuncts:
                    other = entries.get(conjunct.i, (None, 0, 0))[0]
                    if other is not None and other.kind in BASE_KINDS:
                        parts.bases.append((other, _base_code(other, False, has_roles)))
                        parts.rules.append(other.rule)
            parts.rules.append(base.rule)
        for entry in found:
            if entry.kind != "agent" or not entry.role:
                continue
            (parts.prefixes if entry.prefix else parts.roles).extend(_chunks(entry.role))
            parts.rules.append(entry.rule)
        parts.roles = list(dict.fromkeys(parts.roles))
        return parts

    def _inherit_from_first_conjunct(self, head: Token, entries: Entries, parts: _Parts) -> None:
        """``Danish media and government``: the second conjunct shares the first's modifiers."""
        first = head
        while first.dep_ == "conj" and first.head.i != first.i:
            first = first.head
        modifiers = [t for t in phrase_tokens(first) if t.i != first.i]
        inherited = self._parts(first, modifiers, entries)
        if inherited.bases:
            parts.bases = inherited.bases
            parts.prefixes = inherited.prefixes + parts.prefixes
            parts.roles = list(dict.fromkeys(inherited.roles + parts.roles))
            parts.rules = inherited.rules + parts.rules

    def _owners(
        self, head: Token, entries: Entries, memory: ArticleMemory | None
    ) -> list[ActorEntry]:
        """The actors a role noun belongs to: its possessor (``Gondor's government``) or the
        object of ``of``/``from``/``in`` (``soldiers from Gondor``), with their conjuncts; for
        a coordinated role noun, also those of its conjuncts (``lawmakers and officials in
        Fornost``)."""
        candidates: list[Token] = []
        for node in (head, *head.conjuncts):
            for child in node.children:
                if child.dep_ == "poss":
                    candidates.append(child)
                elif child.dep_ == "prep" and child.lower_ in OWNER_PREPOSITIONS:
                    candidates += [g for g in child.children if g.dep_ == "pobj"]
            if candidates:
                break
        if not candidates:  # "China's coast guard spokesman Liu Dejun": a modifier's possessor
            modifiers = [t for t in phrase_tokens(head) if t.i != head.i]
            candidates = [c for t in modifiers for c in t.children if c.dep_ == "poss"]
        owners: list[ActorEntry] = []
        for token in candidates:
            for member in (token, *[c for c in token.conjuncts if c.i > token.i]):
                found = self._owner_entries(member, entries, memory)
                if is_locative(member) and _is_capital(member, entries):
                    found = [_country_entry(e) for e in found]  # "protesters in Nairobi": KEN
                owners += found
        return owners

    def _owner_entries(
        self, token: Token, entries: Entries, memory: ArticleMemory | None
    ) -> list[ActorEntry]:
        earlier = [a for i, a, _ in memory.mentions if i == token.i] if memory else []
        if earlier:  # a possessor is resolved before its head ("Putin's spokesman")
            actors: tuple[Actor, ...] = tuple(earlier)
        elif token.pos_ == "PRON":
            actor = resolve_pronoun(token, memory) if memory is not None else None
            actors = (actor,) if actor else ()
        else:
            actors = self.describe(token, entries, None)
        return [
            ActorEntry("user", a.name, a.country, None, a.code, a.rule)
            for a in actors
            if a.country or (a.code and a.code != a.role)
        ]

    def _place_actor(self, head: Token) -> Actor | None:
        """A city or region stands for its country (``visit to Sochi`` targets Russia); a name
        of several words is looked up whole first (``Tel Aviv``, not ``Aviv``)."""
        words = [head]
        while words[0].i > 0 and (before := head.doc[words[0].i - 1]).pos_ == "PROPN":
            if before.dep_ != "compound" or before.head.i != head.i:
                break
            words.insert(0, before)
        names = (words[k:] for k in range(len(words)))
        found = ((ws, self.gazetteer.lookup(join_words(ws))) for ws in names)
        words, place = next(((ws, p) for ws, p in found if p is not None), ([head], None))
        if place is None or place.country is None or not _stands_for_its_place(words):
            return None
        span = span_of(words)
        name = self.dictionary.country_names.get(place.country, place.country)
        return Actor(span.text, name, place.country, place.country, None, span, None, "gazetteer")

    def _counterpart_role(self, head: Token, memory: ArticleMemory | None) -> str | None:
        for child in head.children:
            if child.dep_ == "poss" and memory is not None:
                other = resolve_pronoun(child, memory) if child.pos_ == "PRON" else None
                if other is not None:
                    return other.role
        return None

    def person_tokens(self, head: Token, entries: Entries) -> list[Token]:
        """Tokens of a person's name in the phrase; a known place tagged PERSON is not a name
        unless a title stands before it ("President Obama")."""
        phrase = phrase_tokens(head)
        tokens = [
            t
            for t in phrase
            if t.ent_type_ == "PERSON" and t.i not in entries and t.pos_ == "PROPN"
        ]
        titled = any(entries[t.i][0].kind == "agent" for t in phrase if t.i in entries)
        if tokens and not titled and all(self.gazetteer.is_place(t.text) for t in tokens):
            return []
        return tokens


def _speakers_country(head: Token) -> bool:
    """``our country``, ``my nation``: the speaker's own country (in a quote). Not "his
    country", which is seldom a party apart from the person ("pledged his country's
    support")."""
    return head.lower_ in COUNTRY_NOUNS and any(
        c.dep_ == "poss" and c.lower_ in FIRST_PERSON_POSSESSIVES for c in head.children
    )


def _is_ethnic(head: Token, tokens: Sequence[Token], entries: Entries) -> bool:
    """An ethnic group, not a country's nationals: ``ethnic Albanians``, ``the Albanian
    population``, a people ``of`` a place (``the Albanians of southern Serbia``)."""
    if head.lower_ in ETHNIC_NOUNS or any(t.lower_ in ETHNIC_WORDS for t in tokens):
        return True
    if head.i not in entries or entries[head.i][0].kind != "demonym":
        return False
    places = (
        t
        for prep in head.children
        if prep.dep_ == "prep" and prep.lower_ == "of"
        for pobj in prep.children
        if pobj.dep_ == "pobj"
        for t in phrase_tokens(pobj)
    )
    return any(t.i in entries and entries[t.i][0].kind in PLACE_KINDS for t in places)


def _base_code(entry: ActorEntry, is_head: bool, has_roles: bool) -> str:
    """The code an entry contributes before roles are added."""
    if entry.kind in {"country", "demonym"}:
        return entry.country or entry.code
    if entry.kind == "capital":  # "Moscow said" is the government; "Moscow residents" Russia
        return entry.code if is_head and not has_roles else entry.country or entry.code
    if entry.kind in {"metonym", "region"} and has_roles:
        return entry.country or entry.code  # "Kremlin officials": the roles replace its own
    return entry.code


def _compose(prefixes: Sequence[str], base: str, roles: Sequence[str]) -> str:
    """Prefix roles, base code, then each role not already in the code, at most three."""
    present = set(_chunks(base)) | set(prefixes)
    added = [r for r in roles if r not in present][:MAX_ROLES]
    return "".join(dict.fromkeys(prefixes)) + base + "".join(added)


def _chunks(code: str) -> list[str]:
    if len(code) % 3:
        return [code]
    return [code[i : i + 3] for i in range(0, len(code), 3)]


def _country_of(code: str, dictionary: ActorDictionary) -> str | None:
    for start in range(0, min(len(code), 9), 3):
        if code[start : start + 3] in dictionary.country_names:
            return code[start : start + 3]
    return None


def _has_name(head: Token, entries: Entries) -> bool:
    """A proper noun outside the dictionaries names the thing (``the Umma party``)."""
    return any(
        c.pos_ == "PROPN" and c.dep_ in {"compound", "nmod"} and c.i not in entries
        for c in head.children
    )


def _is_place_phrase(token: Token) -> bool:
    """The object of a place preposition, also through ``of`` (``in Abidjan``, ``in a sector
    of Beirut``, ``near the town of Samarra``)."""
    if token.dep_ == "pobj" and token.head.lower_ == "of" and token.head.head.dep_ == "pobj":
        token = token.head.head
    return is_locative(token)


def _is_capital(token: Token, entries: Entries) -> bool:
    hit = entries.get(token.i)
    return hit is not None and hit[0].kind == "capital"


def _country_entry(entry: ActorEntry) -> ActorEntry:
    """The country of an owner entry (a capital as a place stands for the country)."""
    if entry.country is None:
        return entry
    return dataclasses.replace(entry, code=entry.country, role=None)


BASED_WORDS = frozenset({"based", "born", "headquartered", "registered"})
"""Words after a hyphen that make a place say where someone is, not who ("Toronto-based")."""


def _stands_for_its_place(words: list[Token]) -> bool:
    """Whether a gazetteer name stands for its country here: not the end of a person's name
    ("said Ali Hassan": not the town of Hassan), nor where someone is based ("a Toronto-based
    economist")."""
    first, last = words[0], words[-1]
    if first.ent_type_ == "PERSON" and first.ent_iob_ == "I":
        return False  # the name starts before the place's words
    return not where_based(last)


def where_based(token: Token) -> bool:
    """Whether a hyphen and a word such as "based" follow the token ("Toronto-based")."""
    after = token.doc[token.i + 1 : token.i + 3]
    return len(after) == 2 and after[0].text == "-" and after[1].lower_ in BASED_WORDS
