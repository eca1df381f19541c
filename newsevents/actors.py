"""Stage 3, actors: resolve noun phrases to CAMEO actor codes across the whole article.

A noun phrase is resolved from the dictionary phrases inside it (countries, demonyms, capitals,
metonyms, regions, organizations, roles) and, for people, from the article itself: a full
descriptor ("Russian Foreign Minister Sergey Lavrov") fixes a person's actor for the article, so
a later "Lavrov", "the foreign minister" or "he" inherits it. No person dictionary is needed; the
built-in office holders in people.tsv are used only when the article gives no descriptor.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Token
from spacy.vocab import Vocab

from .dictionaries import ACTOR_CODE, ROLE_CODE, TsvRow, data_path, parse_optional_date, read_tsv
from .errors import DictionaryError
from .model import Actor, Span
from .places import Gazetteer

MODIFIER_DEPS = frozenset({"compound", "amod", "flat", "nmod", "det", "nummod", "nn"})
PERSON_PRONOUNS = frozenset({"he", "she", "him", "her", "his", "hers", "himself", "herself"})
THING_PRONOUNS = frozenset({"its"})
ARGUMENT_POS = frozenset({"NOUN", "PROPN", "PRON", "ADJ"})
COUNTERPART = frozenset({"counterpart", "counterparts"})
LEADER_ROLE = "GOV"


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

    @classmethod
    def load(cls, tokenize: TokenizeFn, extra: Sequence[Path] = ()) -> ActorDictionary:
        """Load the built-in files, then each extra file in order (later entries win)."""
        phrases: dict[tuple[str, ...], ActorEntry] = {}
        country_names: dict[str, str] = {}
        for row in read_tsv(data_path("countries.tsv"), ["code", "name"]):
            _add_country(row, tokenize, phrases, country_names)
        for name, loader in _PHRASE_FILES:
            for row in read_tsv(data_path(name), loader.required):
                for key, entry in loader.entries(row, country_names):
                    phrases[_key(tokenize, key)] = entry
        people = tuple(_people(read_tsv(data_path("people.tsv"), ["name", "code"])))
        for path in extra:
            more_phrases, more_people = load_user_actors(path, country_names)
            phrases.update({_key(tokenize, k): v for k, v in more_phrases.items()})
            people = people + more_people
        return cls(phrases, people, country_names)

    def matcher(self, vocab: Vocab) -> PhraseMatcher:
        matcher = PhraseMatcher(vocab, attr="LOWER")
        for key in self.phrases:
            matcher.add("|".join(key), [Doc(vocab, words=list(key))])
        return matcher

    def office_holder(self, name: str, day: dt.date | None) -> PersonEntry | None:
        """A built-in office holder whose name is ``name`` or ends with it, in office on ``day``."""
        wanted = name.lower().split()
        for person in self.people:
            words = person.name.lower().split()
            if (words == wanted or words[-len(wanted) :] == wanted) and person.holds_office_on(day):
                return person
        return None


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
            if not ROLE_CODE.match(role):
                raise row.error(f"role {role!r} must be a three-letter CAMEO role code")
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


def _people(rows: Iterable[TsvRow]) -> Iterator[PersonEntry]:
    for row in rows:
        code = row.cells["code"]
        _check_actor_code(row, code)
        yield PersonEntry(
            row.cells["name"],
            code,
            code[:3] if len(code) >= 3 else None,
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


class ActorResolver:
    """Resolves every argument noun phrase of a parsed article to an :class:`Actor`.

    ``resolver(doc, published)`` returns a mapping from the token index of each phrase's head
    to its actor.
    """

    def __init__(self, dictionary: ActorDictionary, vocab: Vocab, gazetteer: Gazetteer) -> None:
        self.dictionary = dictionary
        self.gazetteer = gazetteer
        self._matcher = dictionary.matcher(vocab)

    def __call__(self, doc: Doc, published: dt.date | None = None) -> dict[int, Actor]:
        entries = self._match_entries(doc)
        memory = _ArticleMemory()
        heads = [t for t in doc if _is_phrase_head(t)]
        for head in heads:  # first pass: people with descriptors anywhere in the article
            actor = self._resolve_descriptor(head, entries)
            if actor is not None:
                self._remember_person(head, actor, memory, overwrite=False)
        resolved: dict[int, Actor] = {}
        for head in heads:
            actor = self._resolve(head, entries, memory, published)
            if actor is not None:
                resolved[head.i] = actor
                memory.mentions.append((head.i, actor, self._person_tokens(head, entries) != []))
        return resolved

    # --- dictionary matching -------------------------------------------------------------

    def _match_entries(self, doc: Doc) -> dict[int, tuple[ActorEntry, int, int]]:
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
            entry = self.dictionary.phrases[key]
            if not _plausible(entry, doc[start:end]):
                continue
            for i in range(start, end):
                found[i] = (entry, start, end)
        return found

    # --- resolution of one noun phrase ----------------------------------------------------

    def _resolve_descriptor(
        self, head: Token, entries: Mapping[int, tuple[ActorEntry, int, int]]
    ) -> Actor | None:
        """An actor for a person phrase that carries its own descriptor (country or role)."""
        person = self._person_tokens(head, entries)
        if not person:
            return None
        described = self._describe(head, entries, None)
        if described is None:
            return None
        return described

    def _resolve(
        self,
        head: Token,
        entries: Mapping[int, tuple[ActorEntry, int, int]],
        memory: _ArticleMemory,
        published: dt.date | None,
    ) -> Actor | None:
        if head.pos_ == "PRON":
            return _resolve_pronoun(head, memory)
        known = memory.people.get(head.lower_) if head.pos_ == "PROPN" else None
        if known is not None and head.i not in entries and not self._person_tokens(head, entries):
            # the tagger missed a name it tagged as a person earlier ("Merkel praised Hollande")
            return _as_mention(known, head, "coreference: same name earlier in the article")
        actor = self._describe(head, entries, memory)
        person = self._person_tokens(head, entries)
        if person:
            name = _join(person)
            if actor is not None and actor.country is not None or actor and actor.role:
                return self._remember_person(head, actor, memory, overwrite=True)
            known = memory.people.get(name.lower()) or memory.people.get(person[-1].lower_)
            if known is not None:
                return _as_mention(known, head, "coreference: same name earlier in the article")
            holder = self.dictionary.office_holder(name, published)
            if holder is not None:
                return self._remember_person(head, _from_person_entry(holder, head), memory, True)
            return None
        if actor is not None and actor.country is None and actor.role and actor.code == actor.role:
            antecedent = _antecedent_with_role(actor.role, memory)
            if antecedent is not None:
                return _as_mention(
                    antecedent, head, f"coreference: the {head.lower_} named earlier"
                )
        appos = [c for c in head.children if c.dep_ == "appos"]
        for child in appos:
            child_actor = self._describe(child, entries, memory)
            if actor is None and child_actor is not None:
                actor = child_actor
        return actor

    def _describe(
        self,
        head: Token,
        entries: Mapping[int, tuple[ActorEntry, int, int]],
        memory: _ArticleMemory | None,
    ) -> Actor | None:
        """Combine the dictionary phrases inside the noun phrase into one actor."""
        tokens = _phrase_tokens(head)
        found = _entries_in(tokens, entries)
        country_entry = next(
            (e for e in found if e.kind != "agent" and e.kind != "organization"), None
        )
        org = next((e for e in found if e.kind == "organization"), None)
        roles = [e.role for e in found if e.kind == "agent" and e.role]
        head_entry = entries.get(head.i, (None, 0, 0))[0]
        role = roles[-1] if roles else None
        rule = ", ".join(e.rule for e in found)
        if head.lower_ in COUNTERPART:
            role = self._counterpart_role(head, memory) or LEADER_ROLE
            rule = (rule + ", " if rule else "") + "counterpart takes the other side's role"
        appos_person = [c for c in head.children if c.dep_ == "appos" and c.ent_type_ == "PERSON"]
        name_tokens = self._person_tokens(head, entries) or [
            t for c in appos_person for t in _phrase_tokens(c)
        ]
        if org is not None and country_entry is None:
            code, country, name = org.code + (role or ""), None, org.name
        elif country_entry is not None:
            if head_entry is not None and head_entry.kind in {"capital", "metonym"} and not roles:
                role = head_entry.role
            code = (country_entry.country or country_entry.code) + (role or "")
            if country_entry.kind in {"metonym", "region"} and not roles:
                code = country_entry.code
            country, name = country_entry.country, country_entry.name
        elif role is not None:
            code, country, name = role, None, head.text
        elif head.ent_type_ in {"GPE", "LOC"} or (
            head.pos_ == "PROPN" and self.gazetteer.is_place(head.text)
        ):
            return self._place_actor(head)
        else:
            return None
        if name_tokens:
            name = _join(name_tokens)
        span = _span_of(tokens)
        return Actor(span.text, name, code, country, role, span, None, rule)

    def _place_actor(self, head: Token) -> Actor | None:
        """A city or region stands for its country (``visit to Sochi`` targets Russia)."""
        place = self.gazetteer.lookup(head.text)
        if place is None or place.country is None:
            return None
        span = _span_of([head])
        name = self.dictionary.country_names.get(place.country, place.country)
        return Actor(span.text, name, place.country, place.country, None, span, None, "gazetteer")

    def _counterpart_role(self, head: Token, memory: _ArticleMemory | None) -> str | None:
        for child in head.children:
            if child.dep_ == "poss" and memory is not None:
                other = _resolve_pronoun(child, memory) if child.pos_ == "PRON" else None
                if other is not None:
                    return other.role
        return None

    def _person_tokens(
        self, head: Token, entries: Mapping[int, tuple[ActorEntry, int, int]]
    ) -> list[Token]:
        """Tokens of a person's name in the phrase; a known place tagged PERSON is not a name."""
        tokens = [
            t
            for t in _phrase_tokens(head)
            if t.ent_type_ == "PERSON" and t.i not in entries and t.pos_ == "PROPN"
        ]
        if tokens and all(self.gazetteer.is_place(t.text) for t in tokens):
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
    return None


def _antecedent_with_role(role: str, memory: _ArticleMemory) -> Actor | None:
    for _, actor, is_person in reversed(memory.mentions):
        if is_person and actor.role == role and actor.country:
            return actor
    return None


def _as_mention(actor: Actor, head: Token, rule: str, antecedent: Token | None = None) -> Actor:
    tokens = _phrase_tokens(head)
    span = _span_of(tokens)
    source = actor.span
    if antecedent is not None:
        source = _span_of(_phrase_tokens(antecedent))
    return Actor(span.text, actor.name, actor.code, actor.country, actor.role, span, source, rule)


def _from_person_entry(person: PersonEntry, head: Token) -> Actor:
    span = _span_of(_phrase_tokens(head))
    return Actor(
        span.text, person.name, person.code, person.country, person.role, span, None, person.rule
    )


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


def _entries_in(
    tokens: Sequence[Token], entries: Mapping[int, tuple[ActorEntry, int, int]]
) -> list[ActorEntry]:
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
    start = min(t.idx for t in tokens)
    end = max(t.idx + len(t.text) for t in tokens)
    return Span(start, end, doc.text[start:end])


def _join(tokens: Sequence[Token]) -> str:
    return " ".join(t.text for t in tokens)
