"""Stage 3, actors: resolve noun phrases to CAMEO actor codes across the whole article.

A noun phrase is resolved from the dictionary phrases inside it (countries, demonyms, capitals,
metonyms, regions, organizations, roles) and, for people, from the article itself: a full
descriptor ("Russian Foreign Minister Sergey Lavrov") fixes a person's actor for the article, so
a later "Lavrov", "the foreign minister" or "he" inherits it. No person dictionary is needed; the
built-in office holders in people.tsv are used only when the article gives no descriptor.

Codes compose: a prefix role (PETRARCH ``[NGO~]``), the base (a country, an organization or a
dictionary actor such as ``USAGOV``) and the role codes of the phrase in text order, each role
once (``Danish Islamist media`` -> ``DNKMUSMED``). A role noun with no country of its own takes
it from a possessor or an ``of``/``from``/``in`` phrase (``soldiers from Gondor``), or from the
first conjunct (``Danish media and government``). One phrase can stand for several actors: a
dictionary entry with several codes, coordinated countries inside one phrase (``Hungarian and
Romanian officials``, ``lawmakers in France and Germany``) and ``the two sides``/``both
countries`` (the dyad in focus). :class:`ResolvedActors` maps each phrase head to its first
actor and gives all of them through :meth:`ResolvedActors.members`. Rules: docs/actors.md.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Iterable, Iterator, Mapping, Sequence, Set
from dataclasses import dataclass, field
from pathlib import Path

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Token
from spacy.vocab import Vocab

from newsevents.coding.petrarch import DatedCode, PetrarchFiles, codes_on
from newsevents.coding.places import Gazetteer
from newsevents.dictionaries import (
    ACTOR_CODE,
    ROLE_CODE,
    TsvRow,
    data_path,
    parse_optional_date,
    read_tsv,
)
from newsevents.errors import DictionaryError
from newsevents.model import Actor, Span

MODIFIER_DEPS = frozenset({"compound", "amod", "flat", "nmod", "det", "nummod", "nn"})
PERSON_PRONOUNS = frozenset({"he", "she", "him", "her", "his", "hers", "himself", "herself"})
THING_PRONOUNS = frozenset({"its"})
GROUP_PRONOUNS = frozenset({"them", "their", "themselves"})
"""Plural pronouns resolved to a group; a subject "they" is left to the event coder, which
gives it the speaker ("the rebels said they would ...")."""
PLURAL_TAGS = frozenset({"NNS", "NNPS"})
ARGUMENT_POS = frozenset({"NOUN", "PROPN", "PRON", "ADJ"})
COUNTERPART = frozenset({"counterpart", "counterparts"})
LEADER_ROLE = "GOV"
OWNER_PREPOSITIONS = frozenset({"of", "from", "in"})
"""``the ambassadors of Arnor``, ``soldiers from Gondor``, ``protesters in Hong Kong``."""
DYAD_NOUNS = {
    "sides": "as-mentioned",
    "parties": "as-mentioned",
    "countries": "country",
    "nations": "country",
    "states": "country",
    "neighbours": "country",
    "neighbors": "country",
    "governments": "GOV",
    "leaders": "GOV",
    "ministers": "GOV",
    "capitals": "GOV",
}
"""``the two sides``, ``both countries``: what each member of the dyad in focus becomes."""
DYAD_WORDS = frozenset({"two", "both"})
ETHNIC_WORDS = frozenset({"ethnic"})
ETHNIC_NOUNS = frozenset(
    {"population", "populations", "minority", "minorities", "community", "communities"}
)
"""``the Albanian population of the province``, ``the Turkish minority``: an ethnic group."""
PLACE_KINDS = frozenset({"country", "region", "capital"})
ETHNIC_ROLE = "CVL"
FORMER_ROLE = "ELI"
PARTY_NOUNS = frozenset({"party"})
PARTY_ROLE = "PTY"
"""``the Umma party``: a party named by a proper noun is a political party (CAMEO ``PTY``)."""
"""The role of a former office holder (``former president``), kept over the office's role."""
TIME_ENTITIES = frozenset({"DATE", "TIME"})
"""Entity types of words that are never places ("in March" is a month, not the town)."""
"""``ethnic Albanians``: an ethnic group, civilians of the country they live in (docs/actors.md)."""
LOCATIVES = frozenset({"in", "at", "near", "inside", "across", "around", "outside"})
MAX_ROLES = 3
BASE_KINDS = frozenset({"country", "demonym", "capital", "metonym", "region", "user"})


@dataclass(frozen=True)
class ActorEntry:
    """One dictionary phrase and what it stands for."""

    kind: str
    """One of ``country demonym capital metonym region organization agent user``."""
    name: str
    country: str | None
    role: str | None
    code: str
    rule: str
    """``file:line`` of the entry."""
    prefix: bool = False
    """An agent whose role goes before the country (PETRARCH ``[NGO~]``: ``MSF Arnor``)."""
    members: tuple[str, ...] = ()
    """Further codes the phrase names at once (PETRARCH ``[FRO/BIL/SAM]``)."""
    dated: tuple[DatedCode, ...] = ()
    """Date-restricted codes (PETRARCH actor files); resolved against the article's date."""


@dataclass(frozen=True)
class PersonEntry:
    name: str
    code: str
    country: str | None
    role: str | None
    start: dt.date | None
    end: dt.date | None
    rule: str

    def holds_office_on(self, day: dt.date | None) -> bool:
        if day is None:
            return self.end is None
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class ActorDictionary:
    """Every actor phrase newsevents knows, keyed by the lower-cased tokens of the phrase."""

    phrases: Mapping[tuple[str, ...], ActorEntry]
    people: tuple[PersonEntry, ...]
    country_names: Mapping[str, str]
    collectives: frozenset[str] = frozenset()
    """Nouns for groups of people that take a role from a modifier (collectives.tsv)."""

    @classmethod
    def load(
        cls,
        tokenize: TokenizeFn,
        extra: Sequence[Path] = (),
        petrarch: PetrarchFiles | None = None,
    ) -> ActorDictionary:
        """Load the built-in files, then each extra TSV file in order, then the PETRARCH/TABARI
        actor and agent files (later entries win on identical phrases)."""
        phrases: dict[tuple[str, ...], ActorEntry] = {}
        country_names: dict[str, str] = {}
        for row in read_tsv(data_path("countries.tsv"), ["code", "name"]):
            _add_country(row, tokenize, phrases, country_names)
        for name, loader in _PHRASE_FILES:
            for row in read_tsv(data_path(name), loader.required):
                for key, entry in loader.entries(row, country_names):
                    phrases[_key(tokenize, key)] = entry
        people_rows = read_tsv(data_path("people.tsv"), ["name", "code"])
        people = tuple(_people(people_rows, country_names))
        for path in extra:
            more_phrases, more_people = load_user_actors(path, country_names)
            phrases.update({_key(tokenize, k): v for k, v in more_phrases.items()})
            people = people + more_people
        if petrarch is not None:
            phrases.update(_petrarch_phrases(petrarch, tokenize, country_names))
        collectives = frozenset(
            row.cells["noun"].lower() for row in read_tsv(data_path("collectives.tsv"), ["noun"])
        )
        return cls(phrases, people, country_names, collectives)

    def on(self, entry: ActorEntry, day: dt.date | None) -> ActorEntry | None:
        """The entry as it stands on ``day``: a date-restricted entry gets the code in force
        then, or None when the phrase is no actor on that day."""
        if not entry.dated:
            return entry
        codes = codes_on(entry.dated, day)
        if not codes:
            return None
        return user_entry(entry.name, codes, entry.rule, self.country_names)

    def matcher(self, vocab: Vocab) -> PhraseMatcher:
        matcher = PhraseMatcher(vocab, attr="LOWER")
        for key in self.phrases:
            matcher.add("|".join(key), [Doc(vocab, words=list(key))])
        return matcher

    def office_holder(self, name: str, day: dt.date | None) -> PersonEntry | None:
        """A built-in office holder whose name is ``name`` or ends with it, in office on
        ``day``; with no date, the holder of the latest matching term (a current one first)."""
        matching = self._terms_of(name)
        if day is not None:
            return next((p for p in matching if p.holds_office_on(day)), None)
        return _latest_term(matching)

    def former_office_holder(self, name: str, day: dt.date | None) -> PersonEntry | None:
        """The latest term of a built-in office holder named ``name`` that began by ``day``
        (``former president X``: the office may have ended long before)."""
        matching = self._terms_of(name)
        return _latest_term(
            [p for p in matching if day is None or p.start is None or p.start <= day]
        )

    def _terms_of(self, name: str) -> list[PersonEntry]:
        """The terms of office, in file order, of the people whose name is ``name`` or ends
        with it; a hyphen separates words when the name as written matches nobody
        (``Jean Bertrand Aristide`` is ``Jean-Bertrand Aristide``)."""
        wanted = tuple(name.lower().split())
        named = self._people_by_last_word.get(wanted[-1], ()) if wanted else ()
        found = [person for person, words in named if words[-len(wanted) :] == wanted]
        if found or not wanted:
            return found
        wanted = _name_words(name)
        named = self._people_by_last_word.get(wanted[-1], ()) if wanted else ()
        return [p for p, _ in named if _name_words(p.name)[-len(wanted) :] == wanted]

    @functools.cached_property
    def _people_by_last_word(self) -> Mapping[str, tuple[tuple[PersonEntry, tuple[str, ...]], ...]]:
        """Office holders by the last word of their name (lower case), in file order, each with
        the words of its name: built on first use (a look-up per name, not a scan)."""
        index: dict[str, list[tuple[PersonEntry, tuple[str, ...]]]] = {}
        for person in self.people:
            words = tuple(person.name.lower().split())
            if words:
                index.setdefault(words[-1], []).append((person, words))
        return {word: tuple(found) for word, found in index.items()}


def _name_words(name: str) -> tuple[str, ...]:
    """A name's words for matching, lower case; a hyphen separates words (``Jean-Bertrand``
    is tokenized ``Jean - Bertrand`` and its name tokens are ``Jean``, ``Bertrand``)."""
    return tuple(name.lower().replace("-", " ").split())


def _latest_term(terms: Sequence[PersonEntry]) -> PersonEntry | None:
    """The term that ended last; a current one (no end) first."""
    return max(terms, key=lambda p: p.end or dt.date.max, default=None)


def user_entry(
    name: str, codes: Sequence[str], rule: str, countries: Mapping[str, str]
) -> ActorEntry:
    """An entry from a user's dictionary: ``USAGOV`` is the USA with role GOV; a code whose
    first three letters are no country (``IGOEEU``, ``ARN``) keeps no country and no role."""
    code = codes[0]
    country = code[:3] if code[:3] in countries else None
    role = (code[3:] or None) if country else None
    display = countries.get(country, name) if country else name
    return ActorEntry("user", display, country, role, code, rule, members=tuple(codes[1:]))


def _petrarch_phrases(
    files: PetrarchFiles, tokenize: TokenizeFn, countries: Mapping[str, str]
) -> dict[tuple[str, ...], ActorEntry]:
    phrases: dict[tuple[str, ...], ActorEntry] = {}
    for actor_file in files.actors:
        for actor in actor_file.actors:
            name = " ".join(actor.phrases[0]).title()
            restricted = any(c.restricted for c in actor.codes)
            if restricted:
                entry = ActorEntry("user", name, None, None, "", actor.rule, dated=actor.codes)
            else:
                codes = codes_on(actor.codes, None)
                if not codes:
                    continue
                entry = user_entry(name, codes, actor.rule, countries)
            for phrase in actor.phrases:
                phrases[_key(tokenize, " ".join(phrase))] = entry
    for agent_file in files.agents:
        for agent in agent_file.agents:
            name = " ".join(agent.phrases[0])
            entry = ActorEntry(
                "agent", name, None, agent.code, agent.code, agent.rule, agent.prefix
            )
            for phrase in agent.phrases:
                phrases[_key(tokenize, " ".join(phrase))] = entry
    return phrases


class TokenizeFn:  # pragma: no cover - a typing protocol
    def __call__(self, text: str) -> Iterable[str]: ...


def _key(tokenize: TokenizeFn, phrase: str) -> tuple[str, ...]:
    words = [w.lower() for w in tokenize(phrase)]
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return tuple(words)


def _add_country(
    row: TsvRow,
    tokenize: TokenizeFn,
    phrases: dict[tuple[str, ...], ActorEntry],
    names: dict[str, str],
) -> None:
    code, name = row.cells["code"], row.cells["name"]
    if not ROLE_CODE.match(code):
        raise row.error(f"country code {code!r} must be three upper-case letters")
    names[code] = name
    rule = f"countries.tsv:{row.line}"
    for phrase in (name, *row.values("aliases")):
        phrases[_key(tokenize, phrase)] = ActorEntry("country", name, code, None, code, rule)
    for phrase in row.values("demonyms"):
        phrases[_key(tokenize, phrase)] = ActorEntry("demonym", name, code, None, code, rule)
    for phrase in row.values("capitals"):
        phrases[_key(tokenize, phrase)] = ActorEntry(
            "capital", name, code, "GOV", code + "GOV", rule
        )


@dataclass(frozen=True)
class _PhraseLoader:
    kind: str
    required: tuple[str, ...]

    def entries(
        self, row: TsvRow, countries: Mapping[str, str]
    ) -> Iterator[tuple[str, ActorEntry]]:
        rule = f"{Path(row.path).name}:{row.line}"
        cells = row.cells
        if self.kind == "organization":
            code = cells["code"]
            _check_actor_code(row, code)
            entry = ActorEntry("organization", cells["name"], None, None, code, rule)
            for phrase in (cells["name"], *row.values("aliases")):
                yield phrase, entry
        elif self.kind == "agent":
            role = cells["role"]
            if not ACTOR_CODE.match(role):
                raise row.error(
                    f"role {role!r} must be one or more three-letter CAMEO role codes (GOV, GOVMIL)"
                )
            yield cells["phrase"], ActorEntry("agent", cells["phrase"], None, role, role, rule)
        else:
            code = cells["code"]
            _check_actor_code(row, code)
            country = code[:3] if code[:3] in countries else None
            role = code[3:6] or None
            name = countries.get(code[:3], cells["phrase"])
            yield cells["phrase"], ActorEntry(self.kind, name, country, role, code, rule)


def _check_actor_code(row: TsvRow, code: str) -> None:
    if not ACTOR_CODE.match(code):
        raise row.error(f"actor code {code!r} must be one or more three-letter CAMEO codes")


_PHRASE_FILES: tuple[tuple[str, _PhraseLoader], ...] = (
    ("organizations.tsv", _PhraseLoader("organization", ("code", "name"))),
    ("regions.tsv", _PhraseLoader("region", ("phrase", "code"))),
    ("metonyms.tsv", _PhraseLoader("metonym", ("phrase", "code"))),
    ("agents.tsv", _PhraseLoader("agent", ("phrase", "role"))),
)


def _people(rows: Iterable[TsvRow], countries: Mapping[str, str]) -> Iterator[PersonEntry]:
    """Office holders; an international body's officer (``UNO``) has no country."""
    for row in rows:
        code = row.cells["code"]
        _check_actor_code(row, code)
        yield PersonEntry(
            row.cells["name"],
            code,
            code[:3] if code[:3] in countries else None,
            code[3:6] or None,
            parse_optional_date(row, "start"),
            parse_optional_date(row, "end"),
            f"people.tsv:{row.line}",
        )


def load_user_actors(
    path: Path, countries: Mapping[str, str]
) -> tuple[dict[str, ActorEntry], tuple[PersonEntry, ...]]:
    """A user's own actor file in our TSV format: ``phrase  code  [start  end]``."""
    phrases: dict[str, ActorEntry] = {}
    people: list[PersonEntry] = []
    for row in read_tsv(path, ["phrase", "code"]):
        code = row.cells["code"]
        _check_actor_code(row, code)
        start, end = parse_optional_date(row, "start"), parse_optional_date(row, "end")
        country = code[:3] if code[:3] in countries else None
        rule = f"{path.name}:{row.line}"
        if start or end:
            people.append(
                PersonEntry(row.cells["phrase"], code, country, code[3:6] or None, start, end, rule)
            )
        else:
            name = countries.get(code[:3], row.cells["phrase"])
            phrases[row.cells["phrase"]] = ActorEntry(
                "user", name, country, code[3:6] or None, code, rule
            )
    if not phrases and not people:
        raise DictionaryError(path, None, "no entries")
    return phrases, tuple(people)


@dataclass
class _ArticleMemory:
    """What the resolver has learned so far in one article (people and recent mentions)."""

    people: dict[str, Actor] = field(default_factory=dict)
    mentions: list[tuple[int, Actor, bool]] = field(default_factory=list)
    """(token index, actor, is a person) in text order."""


@dataclass(frozen=True)
class ResolvedActors(Mapping[int, Actor]):
    """The actors of one article: phrase-head token index -> actor.

    A head that stands for several actors (``Hungarian and Romanian officials``, ``the two
    sides``, a dictionary entry with several codes) maps to the first of them;
    :meth:`members` gives them all."""

    heads: Mapping[int, tuple[Actor, ...]]

    def __getitem__(self, index: int) -> Actor:
        return self.heads[index][0]

    def __iter__(self) -> Iterator[int]:
        return iter(self.heads)

    def __len__(self) -> int:
        return len(self.heads)

    def members(self, index: int) -> tuple[Actor, ...]:
        """Every actor the phrase headed by ``index`` stands for (empty when none)."""
        return self.heads.get(index, ())


Entries = Mapping[int, tuple[ActorEntry, int, int]]


@dataclass
class _Parts:
    """The dictionary phrases found in one noun phrase, sorted into code parts."""

    bases: list[tuple[ActorEntry, str]] = field(default_factory=list)
    """(entry, code it contributes) for each country, organization or dictionary actor."""
    roles: list[str] = field(default_factory=list)
    prefixes: list[str] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)


class ActorResolver:
    """Resolves every argument noun phrase of a parsed article to an :class:`Actor`.

    ``resolver(doc, published)`` returns :class:`ResolvedActors`, a mapping from the token
    index of each phrase's head to its actor.
    """

    def __init__(self, dictionary: ActorDictionary, vocab: Vocab, gazetteer: Gazetteer) -> None:
        self.dictionary = dictionary
        self.gazetteer = gazetteer
        self._matcher = dictionary.matcher(vocab)

    def __call__(self, doc: Doc, published: dt.date | None = None) -> ResolvedActors:
        entries = self._match_entries(doc, published)
        memory = _ArticleMemory()
        heads = [t for t in doc if _is_phrase_head(t)]
        for head in heads:  # first pass: people with descriptors anywhere in the article
            actor = self._resolve_descriptor(head, entries)
            if actor is not None:
                self._remember_person(head, actor, memory, overwrite=False)
        resolved: dict[int, tuple[Actor, ...]] = {}
        role_heads: set[int] = set()
        for head in heads:
            actors = self._resolve(head, entries, memory, published)
            if actors:
                resolved[head.i] = actors
                named = self._person_tokens(head, entries) != []
                is_person = named or (head.pos_ == "PRON" and head.lower_ in PERSON_PRONOUNS)
                for actor in actors:
                    memory.mentions.append((head.i, actor, is_person))
                if named or self._names_people(head, entries):
                    role_heads.add(head.i)
        return ResolvedActors(_place_bare_roles(doc, resolved, role_heads))

    @staticmethod
    def _carries_role(head: Token, entries: Entries) -> bool:
        """The head is a role noun (``police``), or a name after a title (``Vice-President
        Moody Awori``); not a thing with a role word before it (``a military aid program``)."""
        if head.i in entries:
            return entries[head.i][0].kind == "agent"
        return head.pos_ == "PROPN" and any(
            entries[t.i][0].kind == "agent" for t in _phrase_tokens(head) if t.i in entries
        )

    def _names_people(self, head: Token, entries: Entries) -> bool:
        """A role phrase names people when its head carries the role, is a collective noun
        (``a rebel group``) or has a named appositive (``the Mafia boss Albert Anastasia``)."""
        return (
            self._carries_role(head, entries)
            or head.lower_ in self.dictionary.collectives
            or _is_ethnic(head, _phrase_tokens(head), entries)
            or any(c.dep_ == "appos" and c.pos_ == "PROPN" for c in head.children)
        )

    # --- dictionary matching -------------------------------------------------------------

    def _match_entries(self, doc: Doc, published: dt.date | None = None) -> Entries:
        """Token index -> (entry, start, end) for the longest dictionary phrase covering it."""
        found: dict[int, tuple[ActorEntry, int, int]] = {}
        spans = sorted(
            ((start, end, match_id) for match_id, start, end in self._matcher(doc)),
            key=lambda m: (-(m[1] - m[0]), m[0]),
        )
        vocab = doc.vocab
        for start, end, match_id in spans:
            if any(i in found for i in range(start, end)):
                continue
            key = tuple(vocab.strings[match_id].split("|"))
            entry = self.dictionary.on(self.dictionary.phrases[key], published)
            if entry is None or not _plausible(entry, doc[start:end]) or _stance(doc, start, end):
                continue
            for i in range(start, end):
                found[i] = (entry, start, end)
        return found

    # --- resolution of one noun phrase ----------------------------------------------------

    def _resolve_descriptor(self, head: Token, entries: Entries) -> Actor | None:
        """An actor for a person phrase that carries its own descriptor (country or role)."""
        if not self._person_tokens(head, entries):
            return None
        described = self._describe(head, entries, None)
        if described and described[0].rule == "gazetteer":  # a name, not the town of that name
            return None
        return described[0] if described else None

    def _resolve(
        self,
        head: Token,
        entries: Entries,
        memory: _ArticleMemory,
        published: dt.date | None,
    ) -> tuple[Actor, ...]:
        if head.pos_ == "PRON":
            pronoun = _resolve_pronoun(head, memory)
            return (pronoun,) if pronoun else ()
        if head.lower_ in DYAD_NOUNS and any(c.lower_ in DYAD_WORDS for c in head.children):
            return self._dyad(head, memory)
        known = memory.people.get(head.lower_) if head.pos_ == "PROPN" else None
        if known is not None and head.i not in entries and not self._person_tokens(head, entries):
            # the tagger missed a name it tagged as a person earlier ("Merkel praised Hollande")
            if known.span == _span_of(_phrase_tokens(head)):
                return (known,)
            return (_as_mention(known, head, "coreference: same name earlier in the article"),)
        actors = self._describe(head, entries, memory)
        person = self._person_tokens(head, entries)
        if person:
            return self._resolve_person(head, person, actors, memory, published, entries)
        if actors and all(map(_is_bare_role, actors)) and not self._names_people(head, entries):
            actors = ()  # "joint military exercises", "a military base": things, not actors
        actor = actors[0] if actors else None
        if actor is not None and actor.country is None and actor.role and actor.code == actor.role:
            antecedent = _antecedent_with_title(actor.role, _title(head), memory)
            if antecedent is not None:
                rule = f"coreference: the {head.lower_} named earlier"
                return (_as_mention(antecedent, head, rule),)
        if actor is not None and actor.role and _is_definite(head):
            same = _person_with_code(actor.code, memory)
            if same is not None:  # "the Japanese leader" after "Japanese Prime Minister Abe"
                rule = f"coreference: the {head.lower_} named earlier"
                return (_as_mention(same, head, rule),)
        town = len(actors) == 1 and actors[0].rule == "gazetteer" and head.ent_type_ == "PERSON"
        if (not actors or town) and head.pos_ == "PROPN":  # "Obama" is also a town in Japan
            holder = self._untagged_office_holder(head, entries, published)
            if holder is not None:
                return (self._remember_person(head, holder, memory, overwrite=False),)
        if actors and head.pos_ == "PROPN" and all(a.rule == "gazetteer" for a in actors):
            # "Kenzo Oshima, the UN relief coordinator": not the town of Oshima
            actors = self._appositive_role(head, entries, memory) or actors
        if not actors:
            for child in (c for c in head.children if c.dep_ == "appos"):
                actors = self._describe(child, entries, memory)
                if child.ent_type_ == "PERSON" and all(a.rule == "gazetteer" for a in actors):
                    actors = ()  # "his wife, Ann Dole": a name, not the town of Dole
                if actors:
                    break
        return actors

    def _appositive_role(
        self, head: Token, entries: Entries, memory: _ArticleMemory
    ) -> tuple[Actor, ...]:
        """The actors of an appositive that describes a name from the dictionaries ("Kenzo
        Oshima, the UN relief coordinator"), else none."""
        for child in (c for c in head.children if c.dep_ == "appos"):
            actors = self._describe(child, entries, memory)
            if actors and all(a.rule != "gazetteer" for a in actors):
                return tuple(_as_mention(a, head, f"{a.rule}, from the appositive") for a in actors)
        return ()

    def _resolve_person(
        self,
        head: Token,
        person: list[Token],
        actors: tuple[Actor, ...],
        memory: _ArticleMemory,
        published: dt.date | None,
        entries: Entries,
    ) -> tuple[Actor, ...]:
        if actors and all(a.rule == "gazetteer" for a in actors):  # "Maria Lopez": not the town
            actors = self._appositive_role(head, entries, memory)
        actor = actors[0] if actors else None
        name = _join(person)
        if actor is not None and actor.country is None and actor.code == actor.role:
            holder = self.dictionary.office_holder(name, published)  # "President Obama"
            if actor.role == FORMER_ROLE:  # "former president X": whenever X held office
                holder = self.dictionary.former_office_holder(name, published)
            if holder is not None:
                role = actor.role if actor.role == FORMER_ROLE else None
                actor = _from_person_entry(holder, head, role)
                return (self._remember_person(head, actor, memory, overwrite=True),)
        if actor is not None and (actor.country is not None or actor.role):
            return (self._remember_person(head, actor, memory, overwrite=True), *actors[1:])
        known = memory.people.get(name.lower()) or memory.people.get(person[-1].lower_)
        if known is not None:
            return (_as_mention(known, head, "coreference: same name earlier in the article"),)
        holder = self.dictionary.office_holder(name, published)
        if holder is not None:
            return (self._remember_person(head, _from_person_entry(holder, head), memory, True),)
        return actors

    def _untagged_office_holder(
        self, head: Token, entries: Entries, published: dt.date | None
    ) -> Actor | None:
        """A built-in office holder named by a proper noun the tagger did not mark as a person
        ("Erdogan said", "Theresa May"); names of three letters or fewer are too ambiguous."""
        names = [t for t in _phrase_tokens(head) if t.pos_ == "PROPN" and t.i not in entries]
        name = _join(names)
        if len(name) <= 3 or not name[:1].isupper():
            return None
        holder = self.dictionary.office_holder(name, published)
        return _from_person_entry(holder, head) if holder is not None else None

    def _dyad(self, head: Token, memory: _ArticleMemory) -> tuple[Actor, ...]:
        """``the two sides``, ``both countries``: the last two actors of different countries
        mentioned before, as mentioned (sides), as countries, or as governments."""
        picked: list[tuple[int, Actor]] = []
        seen: set[str] = set()
        for index, actor, _ in reversed(memory.mentions):
            key = actor.country or actor.code[:3]
            if index >= head.i or key in seen or actor.rule.startswith("group:"):
                continue
            if _is_locative(head.doc[index]):  # "met in Moscow": a place, not a party
                continue
            seen.add(key)
            picked.append((index, actor))
            if len(picked) == 2:
                break
        if len(picked) < 2:
            return ()
        shape = DYAD_NOUNS[head.lower_]
        members = []
        for index, actor in reversed(picked):
            if shape != "as-mentioned" and actor.country:
                role = None if shape == "country" else shape
                code = actor.country + (role or "")
                name = self.dictionary.country_names.get(actor.country, actor.name)
                actor = Actor(actor.text, name, code, actor.country, role, actor.span)
            rule = f"group: {head.lower_} = the dyad in focus"
            members.append(_as_mention(actor, head, rule, antecedent=head.doc[index]))
        return tuple(members)

    def _describe(
        self, head: Token, entries: Entries, memory: _ArticleMemory | None
    ) -> tuple[Actor, ...]:
        """Combine the dictionary phrases inside the noun phrase into its actor(s)."""
        tokens = _phrase_tokens(head)
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
        if not parts.bases and (parts.roles or self._person_tokens(head, entries)):
            owners = self._owners(head, entries, memory)
            if owners:
                parts.bases = [(entry, entry.code) for entry in owners]
                parts.rules.append("owner of the phrase")
        leader = None if parts.bases else _leader(head, entries)
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
        span = _span_of(tokens)
        name_tokens = self._person_tokens(head, entries) or [
            t
            for c in head.children
            if c.dep_ == "appos" and c.ent_type_ == "PERSON"
            for t in _phrase_tokens(c)
        ]
        rule = ", ".join(dict.fromkeys(parts.rules))
        role = "".join(parts.roles[:MAX_ROLES]) or None
        if not parts.bases:
            name = _join(name_tokens) if name_tokens else head.text
            return (Actor(span.text, name, role or "", None, role, span, None, rule),)
        actors = []
        for entry, base in parts.bases:
            code = _compose(parts.prefixes, base, parts.roles)
            country = entry.country if entry.kind != "user" else _country_of(code, self.dictionary)
            name = _join(name_tokens) if name_tokens else entry.name
            actors.append(Actor(span.text, name, code, country, role, span, None, rule))
        return tuple(dict.fromkeys(actors))

    def _parts(self, head: Token, tokens: Sequence[Token], entries: Entries) -> _Parts:
        parts = _Parts()
        found = _entries_in(tokens, entries)
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
        modifiers = [t for t in _phrase_tokens(first) if t.i != first.i]
        inherited = self._parts(first, modifiers, entries)
        if inherited.bases:
            parts.bases = inherited.bases
            parts.prefixes = inherited.prefixes + parts.prefixes
            parts.roles = list(dict.fromkeys(inherited.roles + parts.roles))
            parts.rules = inherited.rules + parts.rules

    def _owners(
        self, head: Token, entries: Entries, memory: _ArticleMemory | None
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
        owners: list[ActorEntry] = []
        for token in candidates:
            for member in (token, *[c for c in token.conjuncts if c.i > token.i]):
                found = self._owner_entries(member, entries, memory)
                if _is_locative(member) and _is_capital(member, entries):
                    found = [_country_entry(e) for e in found]  # "protesters in Nairobi": KEN
                owners += found
        return owners

    def _owner_entries(
        self, token: Token, entries: Entries, memory: _ArticleMemory | None
    ) -> list[ActorEntry]:
        earlier = [a for i, a, _ in memory.mentions if i == token.i] if memory else []
        if earlier:  # a possessor is resolved before its head ("Putin's spokesman")
            actors: tuple[Actor, ...] = tuple(earlier)
        elif token.pos_ == "PRON":
            actor = _resolve_pronoun(token, memory) if memory is not None else None
            actors = (actor,) if actor else ()
        else:
            actors = self._describe(token, entries, None)
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
        found = ((ws, self.gazetteer.lookup(_join(ws))) for ws in names)
        words, place = next(((ws, p) for ws, p in found if p is not None), ([head], None))
        if place is None or place.country is None:
            return None
        span = _span_of(words)
        name = self.dictionary.country_names.get(place.country, place.country)
        return Actor(span.text, name, place.country, place.country, None, span, None, "gazetteer")

    def _counterpart_role(self, head: Token, memory: _ArticleMemory | None) -> str | None:
        for child in head.children:
            if child.dep_ == "poss" and memory is not None:
                other = _resolve_pronoun(child, memory) if child.pos_ == "PRON" else None
                if other is not None:
                    return other.role
        return None

    def _person_tokens(self, head: Token, entries: Entries) -> list[Token]:
        """Tokens of a person's name in the phrase; a known place tagged PERSON is not a name
        unless a title stands before it ("President Obama")."""
        phrase = _phrase_tokens(head)
        tokens = [
            t
            for t in phrase
            if t.ent_type_ == "PERSON" and t.i not in entries and t.pos_ == "PROPN"
        ]
        titled = any(entries[t.i][0].kind == "agent" for t in phrase if t.i in entries)
        if tokens and not titled and all(self.gazetteer.is_place(t.text) for t in tokens):
            return []
        return tokens

    def _remember_person(
        self, head: Token, actor: Actor, memory: _ArticleMemory, overwrite: bool
    ) -> Actor:
        tokens = [t for t in _phrase_tokens(head) if t.ent_type_ == "PERSON"]
        keys = {actor.name.lower()}
        if tokens:
            keys |= {_join(tokens).lower(), tokens[-1].lower_}
        for key in keys:
            if overwrite or key not in memory.people:
                memory.people[key] = actor
        return actor


ADVERSATIVES = frozenset({"against"})
EVENT_PLACE_PREPOSITIONS = LOCATIVES | {"throughout", "within"}
"""Prepositions whose object is where the sentence's event happens (``staged rallies throughout
Indonesia``), the place a bare role is taken to belong to."""


def _place_bare_roles(
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
            if i not in role_heads or not any(map(_is_bare_role, resolved[i])):
                continue
            others = {j: c for j, c in counted.items() if j != i and not _coargument(doc, i, j)}
            where = event_place or _only_country(others, sentence.start, sentence.end)
            where = where or _country_in_focus(others.values())
            placed[i] = tuple(_placed(a, where) if _is_bare_role(a) else a for a in resolved[i])
    by_span = {a.span: a for i in role_heads if i in placed for a in placed[i]}
    for i, actors in placed.items():  # "Militants ... said they": as the antecedent was placed
        placed[i] = tuple(_as_antecedent(a, by_span) for a in actors)
    return placed


def _as_antecedent(actor: Actor, by_span: Mapping[Span, Actor]) -> Actor:
    antecedent = by_span.get(actor.resolved_from) if actor.resolved_from else None
    if antecedent is None or not _is_bare_role(actor) or antecedent.country is None:
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


INFERRED_COUNTRY = "country from "
"""How the rule of an actor whose country was inferred by :func:`_place_bare_roles` reads."""


def country_is_inferred(actor: Actor) -> bool:
    """The actor's country is not written in its phrase but inferred from the sentence or the
    article (``troops`` -> ``IRQMIL`` in a sentence about Iraq)."""
    return INFERRED_COUNTRY in actor.rule


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
        for t in _phrase_tokens(pobj)
    )
    return any(t.i in entries and entries[t.i][0].kind in PLACE_KINDS for t in places)


def _is_bare_role(actor: Actor) -> bool:
    return actor.country is None and actor.role is not None and actor.code == actor.role


def _placed(actor: Actor, where: tuple[str, str] | None) -> Actor:
    if where is None:
        return actor
    country, how = where
    rule = f"{actor.rule}, {INFERRED_COUNTRY}{how}" if actor.rule else INFERRED_COUNTRY + how
    return dataclasses.replace(actor, code=country + actor.code, country=country, rule=rule)


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


def _is_locative(token: Token) -> bool:
    return token.dep_ == "pobj" and token.head.dep_ == "prep" and token.head.lower_ in LOCATIVES


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
    return _is_locative(token)


def _is_capital(token: Token, entries: Entries) -> bool:
    hit = entries.get(token.i)
    return hit is not None and hit[0].kind == "capital"


def _country_entry(entry: ActorEntry) -> ActorEntry:
    """The country of an owner entry (a capital as a place stands for the country)."""
    if entry.country is None:
        return entry
    return dataclasses.replace(entry, code=entry.country, role=None)


def _is_definite(head: Token) -> bool:
    return any(c.dep_ == "det" and c.lower_ in {"the", "this", "that"} for c in head.children)


def _person_with_code(code: str, memory: _ArticleMemory) -> Actor | None:
    for _, actor, is_person in reversed(memory.mentions):
        if is_person and actor.code == code:
            return actor
    return None


def _resolve_pronoun(token: Token, memory: _ArticleMemory) -> Actor | None:
    """He/she/his/her: the nearest person, preferring one earlier in the same sentence, else
    the last person who was a subject. Its: the nearest country or organization."""
    lower = token.lower_
    sentence_start = token.sent.start
    if lower in PERSON_PRONOUNS:
        people = [(i, a) for i, a, is_person in memory.mentions if is_person and i < token.i]
        same_sentence = [p for p in people if p[0] >= sentence_start]
        if same_sentence:
            i, actor = same_sentence[-1]
        else:
            subjects = [p for p in people if token.doc[p[0]].dep_ in {"nsubj", "nsubjpass"}]
            if not (subjects or people):
                return None
            i, actor = (subjects or people)[-1]
        return _as_mention(actor, token, "coreference: pronoun", antecedent=token.doc[i])
    if lower in THING_PRONOUNS:
        things = [(i, a) for i, a, is_person in memory.mentions if not is_person and i < token.i]
        if things:
            i, actor = things[-1]
            return _as_mention(actor, token, "coreference: pronoun", antecedent=token.doc[i])
    if lower in GROUP_PRONOUNS:
        return _resolve_group_pronoun(token, memory)
    return None


def _resolve_group_pronoun(token: Token, memory: _ArticleMemory) -> Actor | None:
    """They/them/their: the nearest plural phrase earlier in the same sentence (``the rebels
    said they would ...``), else the last plural subject of an earlier sentence."""
    doc = token.doc
    groups = [
        (i, a)
        for i, a, _ in memory.mentions
        if i < token.i and doc[i].tag_ in PLURAL_TAGS and not a.rule.startswith("group:")
    ]
    if token.dep_ in {"dobj", "dative"}:  # "police beat them": not the police
        groups = [g for g in groups if not _subject_of(doc[g[0]], token.head)]
    same_sentence = [g for g in groups if g[0] >= token.sent.start]
    subjects = [g for g in groups if doc[g[0]].dep_ in {"nsubj", "nsubjpass"}]
    found = same_sentence or subjects
    if not found:
        return None
    i, actor = found[-1]
    return _as_mention(actor, token, "coreference: pronoun", antecedent=doc[i])


def _subject_of(candidate: Token, verb: Token) -> bool:
    return candidate.dep_ in {"nsubj", "nsubjpass"} and candidate.head.i == verb.i


def _title(head: Token) -> str:
    """The words of a role phrase without determiners: ``the prime minister`` -> ``prime
    minister``."""
    return " ".join(t.lower_ for t in _phrase_tokens(head) if t.dep_ not in {"det", "poss"})


def _antecedent_with_title(role: str, title: str, memory: _ArticleMemory) -> Actor | None:
    """The last person with that role whose descriptor used the same title (``the prime
    minister`` after ``Japanese Prime Minister Shinzo Abe``, not after ``President Obama``)."""
    for _, actor, is_person in reversed(memory.mentions):
        if is_person and actor.role == role and actor.country and title in actor.text.lower():
            return actor
    return None


def _as_mention(actor: Actor, head: Token, rule: str, antecedent: Token | None = None) -> Actor:
    tokens = _phrase_tokens(head)
    span = _span_of(tokens)
    source = actor.span
    if antecedent is not None:
        source = _span_of(_phrase_tokens(antecedent))
    return Actor(span.text, actor.name, actor.code, actor.country, actor.role, span, source, rule)


def _from_person_entry(person: PersonEntry, head: Token, role: str | None = None) -> Actor:
    """The office holder as an actor; ``role`` replaces the office's role when the phrase names
    another (``former president X``: the holder's country, role ``ELI``)."""
    span = _span_of(_phrase_tokens(head))
    code, rule = person.code, person.rule
    if role and person.country:
        code, rule = person.country + role, f"{rule}, role from the phrase"
    role = role or person.role
    return Actor(span.text, person.name, code, person.country, role, span, None, rule)


STANCE_PREFIXES = frozenset({"pro", "anti"})
BACKERS = frozenset(
    {"backed", "allied", "supported", "sponsored", "funded", "financed", "armed", "trained"}
    | {"aligned", "affiliated", "linked", "inspired", "friendly", "leaning"}
)
"""``X-backed rebels`` are not X's rebels: X is a stance."""
LEADERS = frozenset({"led", "run", "controlled", "dominated", "based"})
"""``the X-led coalition`` is X's, and so are ``X-based groups``."""
"""``pro-Iranian``, ``anti-Syria``: a stance towards a country, not the country itself."""


def _stance(doc: Doc, start: int, end: int) -> bool:
    """``pro-Iranian``, ``anti-Syria``, ``US-backed``: a stance, not the actor's country."""
    if start >= 2 and doc[start - 1].text == "-" and doc[start - 2].lower_ in STANCE_PREFIXES:
        return True
    return end + 1 < len(doc) and doc[end].text == "-" and doc[end + 1].lower_ in BACKERS


def _leader(head: Token, entries: Entries) -> ActorEntry | None:
    """The country or actor X of ``the X-led coalition`` (also ``-run``, ``-controlled``,
    ``-based``)."""
    for participle in head.children:
        if participle.dep_ != "amod" or participle.lower_ not in LEADERS:
            continue
        for child in participle.children:
            hit = entries.get(child.i)
            if child.i < participle.i and hit is not None and hit[0].kind in BASE_KINDS:
                return hit[0]
    return None


def _plausible(entry: ActorEntry, span: object) -> bool:
    """Reject phrases that only look like actors: a lower-case country or capital name is a
    common word ("turkey", "chad"), while roles and demonyms are fine in lower case."""
    text = span.text  # type: ignore[attr-defined]
    if entry.kind not in {"country", "capital", "metonym", "region", "organization"}:
        return True
    letters = text.replace(".", "")
    if len(letters) <= 3 and not letters.isupper():
        return False  # "Us" or "Who" opening a sentence is not the US or the WHO
    return any(ch.isupper() for ch in text)


def _is_phrase_head(token: Token) -> bool:
    if token.pos_ not in ARGUMENT_POS or token.dep_ in MODIFIER_DEPS:
        return False
    if token.pos_ == "ADJ":
        return token.dep_ in {"nsubj", "dobj", "pobj"}
    return True


def _phrase_tokens(head: Token) -> list[Token]:
    """The head with its left modifiers (compounds, adjectives, determiners), in text order."""
    tokens = [head]
    stack = [head]
    while stack:
        node = stack.pop()
        for child in node.children:
            if child.dep_ in MODIFIER_DEPS and child.i < head.i:
                tokens.append(child)
                stack.append(child)
    return sorted(tokens, key=lambda t: t.i)


def _entries_in(tokens: Sequence[Token], entries: Entries) -> list[ActorEntry]:
    seen: list[ActorEntry] = []
    starts: set[int] = set()
    for token in tokens:
        hit = entries.get(token.i)
        if hit is not None and hit[1] not in starts:
            starts.add(hit[1])
            seen.append(hit[0])
    return seen


def _span_of(tokens: Sequence[Token]) -> Span:
    doc = tokens[0].doc
    first, last = doc[min(t.i for t in tokens)], doc[max(t.i for t in tokens)]
    start, end = first.idx, last.idx + len(last.text)
    # the text of the tokens in between, which is doc.text[start:end] without building the
    # whole article's text (Doc.text joins every token on each call)
    return Span(start, end, doc[first.i : last.i + 1].text)


def _join(tokens: Sequence[Token]) -> str:
    return " ".join(t.text for t in tokens)
