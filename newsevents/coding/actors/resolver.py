"""Resolving every argument noun phrase of an article to its actors, in text order: people
with a descriptor first ("Russian Foreign Minister Sergey Lavrov" fixes Lavrov for the
article), then each phrase, as described by its dictionary phrases (:mod:`.describe`), a dyad
("the two sides"), a pronoun or a person named earlier (:mod:`.coreference`); finally bare roles
take a country (:mod:`.bare_roles`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from spacy.tokens import Doc, Token
from spacy.vocab import Vocab

from newsevents.coding.actors.bare_roles import is_bare_role, place_bare_roles
from newsevents.coding.actors.coreference import (
    PERSON_PRONOUNS,
    ArticleMemory,
    antecedent_with_title,
    as_mention,
    from_person_entry,
    person_with_code,
    resolve_pronoun,
    title_of,
)
from newsevents.coding.actors.describe import FORMER_ROLE, Describer
from newsevents.coding.actors.dictionary import ActorDictionary, ActorEntry
from newsevents.coding.actors.phrases import (
    Entries,
    is_locative,
    is_phrase_head,
    is_stance,
    join_words,
    phrase_tokens,
    plausible,
    span_of,
)
from newsevents.coding.places import Gazetteer
from newsevents.model import Actor

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


class ActorResolver:
    """Resolves every argument noun phrase of a parsed article to an :class:`Actor`.

    ``resolver(doc, published)`` returns :class:`ResolvedActors`, a mapping from the token
    index of each phrase's head to its actor.
    """

    def __init__(self, dictionary: ActorDictionary, vocab: Vocab, gazetteer: Gazetteer) -> None:
        self.dictionary = dictionary
        self.gazetteer = gazetteer
        self.describer = Describer(dictionary, gazetteer)
        self._matcher = dictionary.matcher(vocab)

    def __call__(self, doc: Doc, published: dt.date | None = None) -> ResolvedActors:
        entries = self._match_entries(doc, published)
        memory = ArticleMemory()
        heads = [t for t in doc if is_phrase_head(t)]
        for head in heads:  # first pass: people with descriptors anywhere in the article
            actor = self._resolve_descriptor(head, entries)
            if actor is not None:
                memory.remember_person(head, actor, overwrite=False)
        resolved: dict[int, tuple[Actor, ...]] = {}
        role_heads: set[int] = set()
        for head in heads:
            actors = self._resolve(head, entries, memory, published)
            if actors:
                resolved[head.i] = actors
                named = self.describer.person_tokens(head, entries) != []
                is_person = named or (head.pos_ == "PRON" and head.lower_ in PERSON_PRONOUNS)
                for actor in actors:
                    memory.mentions.append((head.i, actor, is_person))
                if named or self.describer.names_people(head, entries):
                    role_heads.add(head.i)
        return ResolvedActors(place_bare_roles(doc, resolved, role_heads))

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
            if entry is None or not plausible(entry, doc[start:end]) or is_stance(doc, start, end):
                continue
            for i in range(start, end):
                found[i] = (entry, start, end)
        return found

    # --- resolution of one noun phrase ----------------------------------------------------

    def _resolve_descriptor(self, head: Token, entries: Entries) -> Actor | None:
        """An actor for a person phrase that carries its own descriptor (country or role)."""
        if not self.describer.person_tokens(head, entries):
            return None
        described = self.describer.describe(head, entries, None)
        if described and described[0].rule == "gazetteer":  # a name, not the town of that name
            return None
        return described[0] if described else None

    def _resolve(
        self,
        head: Token,
        entries: Entries,
        memory: ArticleMemory,
        published: dt.date | None,
    ) -> tuple[Actor, ...]:
        if head.pos_ == "PRON":
            pronoun = resolve_pronoun(head, memory)
            return (pronoun,) if pronoun else ()
        if head.lower_ in DYAD_NOUNS and any(c.lower_ in DYAD_WORDS for c in head.children):
            return self._dyad(head, memory)
        known = memory.people.get(head.lower_) if head.pos_ == "PROPN" else None
        if (
            known is not None
            and head.i not in entries
            and not self.describer.person_tokens(head, entries)
        ):
            # the tagger missed a name it tagged as a person earlier ("Merkel praised Hollande")
            if known.span == span_of(phrase_tokens(head)):
                return (known,)
            return (as_mention(known, head, "coreference: same name earlier in the article"),)
        actors = self.describer.describe(head, entries, memory)
        person = self.describer.person_tokens(head, entries)
        if person:
            return self._resolve_person(head, person, actors, memory, published, entries)
        if (
            actors
            and all(map(is_bare_role, actors))
            and not self.describer.names_people(head, entries)
        ):
            actors = ()  # "joint military exercises", "a military base": things, not actors
        actor = actors[0] if actors else None
        if actor is not None and actor.country is None and actor.role and actor.code == actor.role:
            antecedent = antecedent_with_title(actor.role, title_of(head), memory)
            if antecedent is not None:
                rule = f"coreference: the {head.lower_} named earlier"
                return (as_mention(antecedent, head, rule),)
        if actor is not None and actor.role and _is_definite(head):
            same = person_with_code(actor.code, memory)
            if same is not None:  # "the Japanese leader" after "Japanese Prime Minister Abe"
                rule = f"coreference: the {head.lower_} named earlier"
                return (as_mention(same, head, rule),)
        town = len(actors) == 1 and actors[0].rule == "gazetteer" and head.ent_type_ == "PERSON"
        if (not actors or town) and head.pos_ == "PROPN":  # "Obama" is also a town in Japan
            holder = self._untagged_office_holder(head, entries, published)
            if holder is not None:
                return (memory.remember_person(head, holder, overwrite=False),)
        if actors and head.pos_ == "PROPN" and all(a.rule == "gazetteer" for a in actors):
            # "Kenzo Oshima, the UN relief coordinator": not the town of Oshima
            actors = self._appositive_role(head, entries, memory) or actors
        if not actors:
            for child in (c for c in head.children if c.dep_ == "appos"):
                actors = self.describer.describe(child, entries, memory)
                if child.ent_type_ == "PERSON" and all(a.rule == "gazetteer" for a in actors):
                    actors = ()  # "his wife, Ann Dole": a name, not the town of Dole
                if actors:
                    break
        return actors

    def _appositive_role(
        self, head: Token, entries: Entries, memory: ArticleMemory
    ) -> tuple[Actor, ...]:
        """The actors of an appositive that describes a name from the dictionaries ("Kenzo
        Oshima, the UN relief coordinator"), else none."""
        for child in (c for c in head.children if c.dep_ == "appos"):
            actors = self.describer.describe(child, entries, memory)
            if actors and all(a.rule != "gazetteer" for a in actors):
                return tuple(as_mention(a, head, f"{a.rule}, from the appositive") for a in actors)
        return ()

    def _resolve_person(
        self,
        head: Token,
        person: list[Token],
        actors: tuple[Actor, ...],
        memory: ArticleMemory,
        published: dt.date | None,
        entries: Entries,
    ) -> tuple[Actor, ...]:
        if actors and all(a.rule == "gazetteer" for a in actors):  # "Maria Lopez": not the town
            actors = self._appositive_role(head, entries, memory)
        actor = actors[0] if actors else None
        name = join_words(person)
        if actor is not None and actor.country is None and actor.code == actor.role:
            holder = self.dictionary.office_holder(name, published)  # "President Obama"
            if actor.role == FORMER_ROLE:  # "former president X": whenever X held office
                holder = self.dictionary.former_office_holder(name, published)
            if holder is not None:
                role = actor.role if actor.role == FORMER_ROLE else None
                actor = from_person_entry(holder, head, role)
                return (memory.remember_person(head, actor, overwrite=True),)
        if actor is not None and (actor.country is not None or actor.role):
            return (memory.remember_person(head, actor, overwrite=True), *actors[1:])
        known = memory.people.get(name.lower()) or memory.people.get(person[-1].lower_)
        if known is not None:
            return (as_mention(known, head, "coreference: same name earlier in the article"),)
        holder = self.dictionary.office_holder(name, published)
        if holder is not None:
            return (memory.remember_person(head, from_person_entry(holder, head), True),)
        return actors

    def _untagged_office_holder(
        self, head: Token, entries: Entries, published: dt.date | None
    ) -> Actor | None:
        """A built-in office holder named by a proper noun the tagger did not mark as a person
        ("Erdogan said", "Theresa May"); names of three letters or fewer are too ambiguous."""
        names = [t for t in phrase_tokens(head) if t.pos_ == "PROPN" and t.i not in entries]
        name = join_words(names)
        if len(name) <= 3 or not name[:1].isupper():
            return None
        holder = self.dictionary.office_holder(name, published)
        return from_person_entry(holder, head) if holder is not None else None

    def _dyad(self, head: Token, memory: ArticleMemory) -> tuple[Actor, ...]:
        """``the two sides``, ``both countries``: the last two actors of different countries
        mentioned before, as mentioned (sides), as countries, or as governments."""
        picked: list[tuple[int, Actor]] = []
        seen: set[str] = set()
        for index, actor, _ in reversed(memory.mentions):
            key = actor.country or actor.code[:3]
            if index >= head.i or key in seen or actor.rule.startswith("group:"):
                continue
            if is_locative(head.doc[index]):  # "met in Moscow": a place, not a party
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
            members.append(as_mention(actor, head, rule, antecedent=head.doc[index]))
        return tuple(members)


def _is_definite(head: Token) -> bool:
    return any(c.dep_ == "det" and c.lower_ in {"the", "this", "that"} for c in head.children)
