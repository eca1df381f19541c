"""Resolving every argument noun phrase of an article to its actors, in text order: people
with a descriptor first ("Russian Foreign Minister Sergey Lavrov" fixes Lavrov for the
article), then each phrase, as described by its dictionary phrases (:mod:`.describe`), a dyad
("the two sides"), a pronoun or a person named earlier (:mod:`.coreference`); finally bare roles
take a country (:mod:`.bare_roles`)."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from spacy.tokens import Doc, Token
from spacy.vocab import Vocab

from newsevents.coding.actors.bare_roles import BESIDE_NAME, is_bare_role, place_bare_roles
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
from newsevents.coding.actors.describe import FORMER_ROLE, Describer, where_based
from newsevents.coding.actors.dictionary import CONTEXTUAL, ActorDictionary, ActorEntry
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
from newsevents.coding.quotes import QuoteFinder
from newsevents.model import Actor

SAME_NAME = "coreference: same name earlier in the article"
PERSON_COREFERENCE = (SAME_NAME, "coreference: the ")
"""Rules of mentions that name a person met earlier (a surname, "the minister")."""
REPORTED_SUBJECTS = frozenset({"it", "he", "she"})
PLACE_KINDS = frozenset({"country", "capital", "region"})
NAMING_KINDS = frozenset({"country", "demonym", "capital", "metonym"})
"""Entries whose mentions count as the article naming a country (for contextual phrases)."""
FIRST_PERSON = frozenset({"we", "us", "our", "ours", "ourselves", "i", "me", "my", "myself"})
"""Words that stand for a quote's speaker ("we" for the body or country the speaker speaks for)."""

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
    "armies": "MIL",
    "militaries": "MIL",
    "men": "person",
    "women": "person",
}
"""``the two sides``, ``both countries``: what each member of the dyad in focus becomes."""
DYAD_WORDS = frozenset({"two", "both"})


DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z .'\-]{1,40})(?:,\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*)?,\s+"
    r"[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s+\d{4})?\s+\([^)]{1,60}\)\s*(?:--|—|-)"
)
"""A dateline the reader left at the start of the text ("CUCUTA, Colombia, Feb 13 (Andes
Report) - ")."""


@dataclass(frozen=True)
class _Context:
    """What the actors of one article are resolved with besides the text."""

    published: dt.date | None
    dateline: str | None
    """The dateline's country."""
    speakers: Mapping[int, Actor]
    """First-person words inside direct quotes -> the quote's speaker."""


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
        self.quotes = QuoteFinder()

    def __call__(
        self, doc: Doc, published: dt.date | None = None, dateline: str | None = None
    ) -> ResolvedActors:
        """The article's actors; ``dateline``: the place the story was filed from (``Seoul``),
        when the reader took it off the text."""
        entries = self._match_entries(doc, published)
        context = _Context(published, self._dateline_country(doc, dateline), {})
        resolved = self._resolve_article(doc, entries, context)
        speakers = self._first_person_speakers(doc, resolved)
        if speakers:  # "We reject these claims," the ministry said: again, with the speakers
            context = _Context(context.published, context.dateline, speakers)
            resolved = self._resolve_article(doc, entries, context)
        return resolved

    def _dateline_country(self, doc: Doc, dateline: str | None) -> str | None:
        """The country of the dateline place (given, or still at the start of the text:
        "CUCUTA, Colombia, Feb 13 (Andes Report) - ...")."""
        if dateline is None:
            match = DATELINE.match(doc[: min(len(doc), 40)].text)
            dateline = match["place"] if match else None
        if not dateline:
            return None
        place = self.gazetteer.lookup(dateline.title())
        return place.country if place is not None else None

    def _reporters(self, doc: Doc) -> dict[int, int]:
        """Each subject ``it``, ``he`` or ``she`` inside a reported clause -> the subject of
        the nearest speech verb above it, when that subject comes first ("Iwaya told Wang he
        wanted ...": Iwaya)."""
        found: dict[int, int] = {}
        for token in doc:
            if token.lower_ not in REPORTED_SUBJECTS or token.dep_ != "nsubj":
                continue
            verb = next((a for a in token.ancestors if self.quotes.verbs.matches(a)), None)
            subject = (
                next((c for c in verb.children if c.dep_ == "nsubj"), None)
                if verb is not None
                else None
            )
            if subject is not None and subject.i < token.i:
                found[token.i] = subject.i
        return found

    def _first_person_speakers(self, doc: Doc, resolved: ResolvedActors) -> dict[int, Actor]:
        """First-person words inside a direct quote (``we``, ``our``, ``I``) -> the quote's
        speaker."""
        words = [t for t in doc if t.lower_ in FIRST_PERSON and t.pos_ == "PRON"]
        if not words:
            return {}
        speakers: dict[int, Actor] = {}
        for quote in self.quotes(doc, resolved):
            if quote.speaker is None or quote.span is None or not quote.direct:
                continue
            for word in words:
                if quote.span.start <= word.idx < quote.span.end:
                    speakers[word.i] = quote.speaker
        return speakers

    def _resolve_article(self, doc: Doc, entries: Entries, context: _Context) -> ResolvedActors:
        published = context.published
        memory = ArticleMemory(speakers=dict(context.speakers), reporters=self._reporters(doc))
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
                named = self.describer.person_tokens(head, entries) != [] or (
                    self.describer.titled_name(head, entries)
                )
                is_person = (
                    named
                    or (head.pos_ == "PRON" and head.lower_ in PERSON_PRONOUNS)
                    or actors[0].rule.startswith(PERSON_COREFERENCE)  # "Iwaya", "the minister"
                )
                for actor in actors:
                    memory.mentions.append((head.i, actor, is_person))
                if named or self.describer.names_people(head, entries):
                    role_heads.add(head.i)
        placed = place_bare_roles(doc, resolved, role_heads, context.dateline)
        return ResolvedActors(self._dyads_placed(doc, placed, memory))

    def _dyads_placed(
        self, doc: Doc, placed: dict[int, tuple[Actor, ...]], memory: ArticleMemory
    ) -> dict[int, tuple[Actor, ...]]:
        """``the two sides`` once every bare role has its country ("Prime Minister James
        Marape ... the two men")."""
        dyads = [t.i for t in doc if _is_dyad(t)]
        if not dyads:
            return placed
        people = {i for i, _, is_person in memory.mentions if is_person}
        final = ArticleMemory(
            mentions=[(i, a, i in people) for i in sorted(placed) for a in placed[i]]
        )
        for i in dyads:
            members = self._dyad(doc[i], final)
            if members:
                placed[i] = members
            else:
                placed.pop(i, None)
        return placed

    def _match_entries(self, doc: Doc, published: dt.date | None = None) -> Entries:
        """Token index -> (entry, start, end) for the longest dictionary phrase covering it."""
        found: dict[int, tuple[ActorEntry, int, int]] = {}
        spans = sorted(
            ((start, end, match_id) for match_id, start, end in self._matcher(doc)),
            key=lambda m: (-(m[1] - m[0]), m[0]),
        )
        vocab = doc.vocab
        matched = [
            (start, end, self.dictionary.phrases[tuple(vocab.strings[match_id].split("|"))])
            for start, end, match_id in spans
        ]
        counts = _named_countries(matched)
        for start, end, entry in matched:
            if any(i in found for i in range(start, end)):
                continue
            if entry.alternatives:  # "the North", "the kingdom": as the article decides
                entry = _alternative(doc, entry, start, end, counts, published)
            dated = self.dictionary.on(entry, published) if entry is not None else None
            if dated is None or not plausible(dated, doc[start:end]) or is_stance(doc, start, end):
                continue
            if dated.kind in PLACE_KINDS and _in_a_name(doc, start, end):
                continue  # "Defence Minister Wellington Koo": a name, not New Zealand's capital
            for i in range(start, end):
                found[i] = (dated, start, end)
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
        if where_based(head):
            return ()  # "a Berlin-based think tank": where it is, not who acts
        if _is_dyad(head):
            return self._dyad(head, memory)
        named = head.pos_ == "PROPN" or head.ent_type_ == "PERSON"  # "Doval" tagged a noun
        known = memory.people.get(head.lower_) if named else None
        if (
            known is not None
            and head.i not in entries
            and not self.describer.person_tokens(head, entries)
        ):
            # the tagger missed a name it tagged as a person earlier ("Merkel praised Hollande")
            if known.span == span_of(phrase_tokens(head)):
                return (known,)
            return (as_mention(known, head, SAME_NAME),)
        actors = self.describer.describe(head, entries, memory)
        person = self.describer.person_tokens(head, entries)
        if person:
            return self._resolve_person(head, person, actors, memory, published, entries)
        if actors and self.describer.titled_name(head, entries):
            # "President Gustavo Petro" tagged as an organization: a person all the same
            return (memory.remember_person(head, actors[0], overwrite=False), *actors[1:])
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
        if not actors and head.pos_ == "PROPN":  # "her Indian counterpart, Ajit Doval"
            beside = _beside_role(head, memory, people_only=True)
            if beside:
                return (memory.remember_person(head, beside[0], overwrite=False), *beside[1:])
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
            actors = self.describer.describe(child, entries, memory) or self._owner_of(
                child, entries
            )
            if actors and all(a.rule != "gazetteer" for a in actors):
                return tuple(as_mention(a, head, f"{a.rule}, from the appositive") for a in actors)
        return ()

    def _owner_of(self, head: Token, entries: Entries) -> tuple[Actor, ...]:
        """The body a phrase that is no actor itself belongs to through ``of`` ("the acting
        head of the UN Support Mission"): a name beside it is that body's person."""
        for prep in head.children:
            if prep.dep_ != "prep" or prep.lower_ != "of":
                continue
            for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                owners = self.describer.describe(pobj, entries, None)
                if owners and not any(map(is_bare_role, owners)):
                    return owners
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
        described = self._appositive_role(head, entries, memory) or _beside_role(head, memory)
        if described:  # "Stephanie Koury, the acting head of the UN mission ... Koury said"
            return (memory.remember_person(head, described[0], overwrite=True), *described[1:])
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
        shape = DYAD_NOUNS[head.lower_]
        for index, actor, is_person in reversed(memory.mentions):
            key = actor.country or actor.code[:3]
            if index >= head.i or key in seen or actor.rule.startswith("group:"):
                continue
            if actor.country is None and actor.code == actor.role:
                continue  # a bare role's country is not known yet: no party in focus
            if shape == "person" and not is_person:  # "the two men": two people
                continue
            if is_locative(head.doc[index]):  # "met in Moscow": a place, not a party
                continue
            seen.add(key)
            picked.append((index, actor))
            if len(picked) == 2:
                break
        if len(picked) < 2:
            return ()
        members = []
        for index, actor in reversed(picked):
            if shape not in {"as-mentioned", "person"} and actor.country:
                role = None if shape == "country" else shape
                code = actor.country + (role or "")
                name = self.dictionary.country_names.get(actor.country, actor.name)
                actor = Actor(actor.text, name, code, actor.country, role, actor.span)
            rule = f"group: {head.lower_} = the dyad in focus"
            members.append(as_mention(actor, head, rule, antecedent=head.doc[index]))
        return tuple(members)


def _beside_role(
    head: Token, memory: ArticleMemory, people_only: bool = False
) -> tuple[Actor, ...]:
    """A name in apposition to a role phrase resolved before it ("his Indian counterpart,
    Ajit Doval"): the role's actor, so later mentions of the name keep it. ``people_only``:
    only beside a phrase that names a role holder (for a name the tagger did not take for a
    person's: "the capital, Nairobi" is no such name)."""
    if head.dep_ != "appos":
        return ()
    return tuple(
        as_mention(actor, head, f"{actor.rule}, {BESIDE_NAME}")
        for index, actor, is_person in memory.mentions
        if index == head.head.i and (is_person or actor.role or not people_only)
    )


def _in_a_name(doc: Doc, start: int, end: int) -> bool:
    """The words are part of a longer person's name the tagger found ("Wellington Koo",
    "Jordan Bardella")."""
    if any(t.ent_type_ != "PERSON" for t in doc[start:end]):
        return False
    inside = doc[start].ent_iob_ == "I"
    return inside or (end < len(doc) and doc[end].ent_iob_ == "I")


def _named_countries(matched: Iterable[tuple[int, int, ActorEntry]]) -> Counter[str]:
    """How often the article names each country by a country, demonym, capital or metonym."""
    return Counter(
        entry.country
        for _, _, entry in matched
        if entry.country and entry.kind in NAMING_KINDS and not entry.alternatives
    )


def _alternative(
    doc: Doc,
    entry: ActorEntry,
    start: int,
    end: int,
    counts: Counter[str],
    published: dt.date | None,
) -> ActorEntry | None:
    """The entry a phrase with alternatives (contextual.tsv) stands for at
    ``doc[start:end]``: the alternative whose country the article names most often, at least
    once ("the North" in a story naming North and South Korea); else the phrase's own entry, if
    it has one."""
    fallback = None if entry.kind == CONTEXTUAL else entry
    written = doc[start:end].text
    head = doc[end - 1]
    fits = (
        start > 0
        and doc[start - 1].lower_ == "the"
        and head.dep_ not in {"compound", "amod", "nmod"}
        and not any(c.dep_ == "prep" and c.lower_ == "of" for c in head.children)
    )
    candidates = [
        a
        for a in entry.alternatives
        if fits and a.applies_on(published) and a.phrase[:1].isupper() == written[:1].isupper()
    ]
    ranked = sorted(candidates, key=lambda a: -counts[a.country or ""])
    if not ranked or counts[ranked[0].country or ""] == 0:
        return fallback
    best = ranked[0]
    if (
        fallback is not None
        and fallback.country
        and counts[fallback.country] >= counts[best.country or ""]
    ):
        return fallback
    return best


def _is_dyad(head: Token) -> bool:
    """``the two sides``, ``both countries``: a phrase for the dyad in focus; people only with
    ``the`` or ``both`` ("the two men", not "arrested two men")."""
    if head.lower_ not in DYAD_NOUNS or not any(c.lower_ in DYAD_WORDS for c in head.children):
        return False
    if DYAD_NOUNS[head.lower_] != "person":
        return True
    return any(c.lower_ in {"the", "both"} for c in head.children)


def _is_definite(head: Token) -> bool:
    return any(c.dep_ == "det" and c.lower_ in {"the", "this", "that"} for c in head.children)
