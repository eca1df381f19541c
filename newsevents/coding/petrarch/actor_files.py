"""PETRARCH/TABARI actor files (``PHRASE [CODE]`` with synonyms and dated codes) and agent
files (role nouns, ``[~GOV]``), read into records for the actor dictionary."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from newsevents.coding.petrarch.lines import (
    CODE_GROUP,
    NULL_CODES,
    parse_date,
    read_lines,
    words_of,
)
from newsevents.errors import DictionaryError

ACTOR_CODE_TEXT = re.compile(r"^[A-Z0-9]{2,}$")
ROLE_CODE_TEXT = re.compile(r"^(?:[A-Z0-9]{3})+$")
DATED = re.compile(
    r"^(?P<code>\S+)(?:\s*(?P<op>[<>])\s*(?P<date>\d{6}|\d{8})"
    r"|\s+(?P<start>\d{6}|\d{8})\s*-\s*(?P<end>\d{6}|\d{8}))?$"
)


# --- actors ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DatedCode:
    """An actor code valid from ``start`` to ``end`` (both inclusive, None = open)."""

    codes: tuple[str, ...]
    """One or more codes (``FRO/BIL/SAM`` names three actors); empty for a null code."""
    start: dt.date | None = None
    end: dt.date | None = None

    @property
    def restricted(self) -> bool:
        return self.start is not None or self.end is not None

    def covers(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class PetrarchActor:
    """One actor entry: its phrases and its (possibly date-restricted) codes."""

    phrases: tuple[tuple[str, ...], ...]
    codes: tuple[DatedCode, ...]
    rule: str

    def codes_on(self, day: dt.date | None) -> tuple[str, ...]:
        return codes_on(self.codes, day)


def codes_on(codes: Sequence[DatedCode], day: dt.date | None) -> tuple[str, ...]:
    """The codes in force on ``day``: the first restriction that covers it, else the
    unrestricted code; with no date, the unrestricted code or the open-ended last one.
    An empty tuple means the phrase is not an actor then."""
    default = next((c for c in codes if not c.restricted), None)
    if day is not None:
        for code in codes:
            if code.restricted and code.covers(day):
                return code.codes
    elif default is None:
        open_ended = [c for c in codes if c.end is None]
        return open_ended[-1].codes if open_ended else ()
    return default.codes if default else ()


@dataclass(frozen=True)
class ActorDictionaryFile:
    path: Path
    actors: tuple[PetrarchActor, ...]
    problems: tuple[DictionaryError, ...] = ()
    """Entries that were skipped, each with its ``file:line`` and reason."""


def read_actors(path: Path) -> ActorDictionaryFile:
    """A PETRARCH/TABARI ``.actors`` file.

    ``PHRASE [CODE]`` starts an actor; ``+PHRASE`` lines add synonyms; indented ``[CODE ...]``
    lines add codes, optionally date-restricted: ``[CODE <DATE]``, ``[CODE >DATE]``,
    ``[CODE DATE-DATE]``. ``CODE/CODE`` names several actors at once. A bad entry is skipped
    and listed in ``problems``.
    """
    actors: list[PetrarchActor] = []
    problems: list[DictionaryError] = []
    current: tuple[int, list[tuple[str, ...]], list[DatedCode]] | None = None

    def close() -> None:
        if current is None:
            return
        line, phrases, codes = current
        if not codes:
            problems.append(DictionaryError(path, line, "actor has no [CODE]"))
            return
        actors.append(PetrarchActor(tuple(phrases), tuple(codes), f"{path.name}:{line}"))

    for line in read_lines(path):
        text = line.text.strip()
        try:
            if text.startswith("+") or text.startswith("["):
                if current is None:
                    raise DictionaryError(
                        path, line.number, "synonym or code line before any actor"
                    )
                if text.startswith("+"):
                    phrase = words_of(text[1:].split("[", 1)[0])
                    if not phrase:
                        raise DictionaryError(path, line.number, "empty synonym")
                    current[1].append(phrase)
                current[2].extend(_actor_codes(text, path, line.number))
                continue
            close()
            current = None
            phrase = words_of(text.split("[", 1)[0])
            if not phrase:
                raise DictionaryError(path, line.number, "actor line without a phrase")
            current = (line.number, [phrase], [])
            current[2].extend(_actor_codes(text, path, line.number))
        except DictionaryError as exc:
            problems.append(exc)
    close()
    if not actors:
        raise DictionaryError(path, None, "no actor entries")
    return ActorDictionaryFile(path, tuple(actors), tuple(problems))


def _actor_codes(text: str, path: Path, line: int) -> Iterator[DatedCode]:
    rest = CODE_GROUP.sub("", text)
    if "[" in rest or "]" in rest:
        raise DictionaryError(path, line, "unbalanced '[' or ']'")
    for group in CODE_GROUP.findall(text):
        match = DATED.match(group.strip())
        if match is None:
            raise DictionaryError(
                path, line, f"bad code [{group}]: expected CODE, CODE <DATE, CODE >DATE or "
                "CODE DATE-DATE"
            )  # fmt: skip
        codes = _code_list(match["code"], path, line)
        start = end = None
        if match["op"] == "<":
            end = parse_date(match["date"], path, line) - dt.timedelta(days=1)
        elif match["op"] == ">":
            start = parse_date(match["date"], path, line)
        elif match["start"]:
            start = parse_date(match["start"], path, line)
            end = parse_date(match["end"], path, line)
            if end < start:
                raise DictionaryError(path, line, f"date range [{group}] ends before it starts")
        yield DatedCode(codes, start, end)


def _code_list(text: str, path: Path, line: int) -> tuple[str, ...]:
    codes: list[str] = []
    for code in text.upper().split("/"):
        if code in NULL_CODES:
            continue
        if not ACTOR_CODE_TEXT.match(code):
            raise DictionaryError(path, line, f"actor code {code!r} is not letters/digits")
        codes.append(code)
    return tuple(codes)


# --- agents ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PetrarchAgent:
    """A role noun: ``[~GOV]`` appends the role to the actor's code, ``[NGO~]`` puts it first."""

    phrases: tuple[tuple[str, ...], ...]
    code: str
    prefix: bool
    rule: str


@dataclass(frozen=True)
class AgentDictionaryFile:
    path: Path
    agents: tuple[PetrarchAgent, ...]
    problems: tuple[DictionaryError, ...] = ()
    """Entries that were skipped, each with its ``file:line`` and reason."""


def read_agents(path: Path) -> AgentDictionaryFile:
    """A PETRARCH/TABARI ``.agents`` file: ``PHRASE {PLURALS} [~CODE]`` lines and ``!NAME! =
    A, B`` substitution sets. Without braces, regular plurals are generated; ``{}`` means none."""
    substitutions: dict[str, tuple[str, ...]] = {}
    agents: list[PetrarchAgent] = []
    problems: list[DictionaryError] = []
    for line in read_lines(path):
        text = line.text.strip()
        sub = re.match(r"^(![A-Z0-9_]+!)\s*=\s*(.+)$", text)
        if sub:
            values = tuple(v.strip() for v in sub.group(2).split(",") if v.strip())
            substitutions[sub.group(1)] = values
            continue
        try:
            agents.append(_agent(text, substitutions, path, line.number))
        except DictionaryError as exc:
            problems.append(exc)
    if not agents:
        raise DictionaryError(path, None, "no agent entries")
    return AgentDictionaryFile(path, tuple(agents), tuple(problems))


def _agent(
    text: str, substitutions: Mapping[str, tuple[str, ...]], path: Path, line: int
) -> PetrarchAgent:
    codes = CODE_GROUP.findall(text)
    if len(codes) != 1 or text.count("[") != 1:
        raise DictionaryError(path, line, "an agent needs exactly one [CODE]")
    code_text = codes[0].replace(" ", "").upper()
    if code_text.count("~") != 1:
        raise DictionaryError(path, line, f"agent code [{codes[0]}] needs one '~'")
    prefix = code_text.endswith("~")
    code = code_text.strip("~")
    if not ROLE_CODE_TEXT.match(code):
        raise DictionaryError(path, line, f"agent code {code!r} must be three-letter codes")
    head = text.split("[", 1)[0]
    plurals_match = re.search(r"\{([^}]*)\}", head)
    phrase_text = re.sub(r"\{[^}]*\}", "", head).strip()
    if not phrase_text:
        raise DictionaryError(path, line, "agent line without a phrase")
    phrases: list[tuple[str, ...]] = []
    for variant in _substitute(phrase_text, substitutions, path, line):
        words = words_of(variant)
        phrases.append(words)
        if plurals_match is None:
            phrases.append((*words[:-1], plural(words[-1])))
    if plurals_match is not None:
        for variant in plurals_match.group(1).split():
            phrases.extend(words_of(v) for v in _substitute(variant, substitutions, path, line))
    unique = tuple(dict.fromkeys(p for p in phrases if p))
    return PetrarchAgent(unique, code, prefix, f"{path.name}:{line}")


def _substitute(
    text: str, substitutions: Mapping[str, tuple[str, ...]], path: Path, line: int
) -> list[str]:
    names = re.findall(r"![A-Z0-9_]+!", text)
    if not names:
        return [text]
    name = names[0]
    if name not in substitutions:
        raise DictionaryError(path, line, f"substitution {name} is not defined above")
    return [
        expanded
        for value in substitutions[name]
        for expanded in _substitute(text.replace(name, value, 1), substitutions, path, line)
    ]


def plural(word: str) -> str:
    """The regular English plural PETRARCH generates for an agent noun."""
    if word.endswith("y") and len(word) > 1 and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    return word + "s"
