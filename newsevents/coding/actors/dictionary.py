"""The actor dictionaries: countries, organizations, regions, metonyms, agents (roles) and
office holders from ``data/``, a user's own TSV files, and PETRARCH/TABARI actor and agent
files, read into one :class:`ActorDictionary` keyed by the words of each phrase. Formats:
docs/dictionaries.md and docs/actors.md."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

from newsevents.coding.petrarch.actor_files import DatedCode, codes_on
from newsevents.coding.petrarch.files import PetrarchFiles
from newsevents.dictionaries import (
    ACTOR_CODE,
    ROLE_CODE,
    TsvRow,
    data_path,
    parse_optional_date,
    read_tsv,
)
from newsevents.errors import DictionaryError


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
    alternatives: tuple[ActorEntry, ...] = ()
    """The countries the phrase may stand for, one chosen by the article (contextual.tsv:
    "the North", "the kingdom"); the entry itself applies when none is."""
    phrase: str = ""
    """An alternative's phrase as written in contextual.tsv (its case counts)."""
    start: dt.date | None = None
    end: dt.date | None = None
    """An alternative applies to articles of this period only."""

    def applies_on(self, day: dt.date | None) -> bool:
        """Whether an alternative applies to an article of ``day`` (undated: the open one)."""
        if day is None:
            return self.end is None
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


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
        _add_contextual(tokenize, phrases, country_names)
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


CONTEXTUAL = "contextual"
"""The kind of a phrase that is an actor only as one of its alternatives."""


def _add_contextual(
    tokenize: TokenizeFn, phrases: dict[tuple[str, ...], ActorEntry], names: Mapping[str, str]
) -> None:
    """contextual.tsv: each row an alternative of its phrases, kept on the phrase's entry (an
    ordinary entry, or one of kind ``contextual`` that is no actor by itself)."""
    for row in read_tsv(data_path("contextual.tsv"), ["phrase", "code"]):
        code = row.cells["code"]
        _check_actor_code(row, code)
        if code[:3] not in names:
            raise row.error(f"code {code!r} does not start with a country code")
        rule = f"contextual.tsv:{row.line}"
        start, end = parse_optional_date(row, "start"), parse_optional_date(row, "end")
        for phrase in row.values("phrase"):
            alternative = ActorEntry(
                "metonym", names[code[:3]], code[:3], code[3:6] or None, code, rule,
                phrase=phrase, start=start, end=end,
            )  # fmt: skip
            key = _key(tokenize, phrase)
            base = phrases.get(key) or ActorEntry(CONTEXTUAL, phrase, None, None, "", rule)
            phrases[key] = dataclasses.replace(base, alternatives=(*base.alternatives, alternative))


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
