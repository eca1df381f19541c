"""Telling the PETRARCH/TABARI formats apart, reading a set of files (:class:`PetrarchFiles`),
and discard files with the filter they make (:class:`Discards`)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from newsevents.coding.petrarch.actor_files import (
    ActorDictionaryFile,
    AgentDictionaryFile,
    read_actors,
    read_agents,
)
from newsevents.coding.petrarch.lines import CODE_GROUP, read_lines, words_of
from newsevents.coding.petrarch.verb_files import HEADER, VerbDictionaryFile, read_verbs
from newsevents.errors import DictionaryError

FORMATS = ("actors", "agents", "verbs", "discards")


# --- discards --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Discard:
    """A phrase whose presence discards the sentence, or (``story``) the whole article."""

    words: tuple[str, ...]
    story: bool
    rule: str


@dataclass(frozen=True)
class DiscardFile:
    path: Path
    discards: tuple[Discard, ...]
    problems: tuple[DictionaryError, ...] = ()
    """Entries that were skipped, each with its ``file:line`` and reason."""


def read_discards(path: Path) -> DiscardFile:
    discards = []
    problems = []
    for line in read_lines(path):
        text = line.text.strip()
        story = text.startswith("+")
        words = words_of(re.sub(r"[;].*$", "", text.lstrip("+")))
        if not words:
            problems.append(DictionaryError(path, line.number, "empty discard phrase"))
            continue
        discards.append(Discard(words, story, f"{path.name}:{line.number}"))
    return DiscardFile(path, tuple(discards), tuple(problems))


# --- telling formats apart -------------------------------------------------------------------


def dictionary_format(path: Path) -> str:
    """``actors``, ``agents``, ``verbs`` or ``discards`` for a PETRARCH/TABARI text file.

    By name first (``*.actors.txt``, ``*.agents.txt``, ``*.verbs.txt``/``*verbpatterns*``,
    ``*.discards.txt``), else by content: ``--- NAME [CODE] ---`` blocks make a verb file,
    ``[~CODE]`` codes an agent file, ``PHRASE [CODE]`` lines an actor file."""
    name = path.name.lower()
    for fmt, hints in (
        ("actors", (".actors.", "actors.txt")),
        ("agents", (".agents.", "agents.txt")),
        ("verbs", (".verbs.", "verbs.txt", "verbpatterns")),
        ("discards", (".discards.", "discards.txt")),
    ):
        if any(h in name for h in hints):
            return fmt
    lines = [line.text.strip() for _, line in zip(range(5000), read_lines(path), strict=False)]
    if any(t.startswith("<ISSUE") for t in lines):
        raise DictionaryError(path, None, "issue-coding dictionaries are not supported")
    if any(HEADER.match(t) for t in lines):
        return "verbs"
    if any(re.search(r"\[\s*~|~\s*\]", t) for t in lines):
        return "agents"
    if any(CODE_GROUP.search(t) for t in lines):
        return "actors"
    raise DictionaryError(
        path,
        None,
        "cannot tell which PETRARCH dictionary this is; name it *.actors.txt, *.agents.txt, "
        "*.verbs.txt or *.discards.txt",
    )


@dataclass(frozen=True)
class PetrarchFiles:
    """The PETRARCH/TABARI files given to a pipeline, read and validated."""

    actors: tuple[ActorDictionaryFile, ...] = ()
    agents: tuple[AgentDictionaryFile, ...] = ()
    verbs: tuple[VerbDictionaryFile, ...] = ()
    discards: tuple[DiscardFile, ...] = ()

    @property
    def problems(self) -> tuple[DictionaryError, ...]:
        """Every skipped entry of every file, each naming its ``file:line``."""
        files: list[object] = [*self.actors, *self.agents, *self.verbs, *self.discards]
        return tuple(p for f in files for p in f.problems)  # type: ignore[attr-defined]

    @classmethod
    def read(cls, paths: Iterable[Path]) -> PetrarchFiles:
        found: dict[str, list[object]] = {fmt: [] for fmt in FORMATS}
        readers = {
            "actors": read_actors,
            "agents": read_agents,
            "verbs": read_verbs,
            "discards": read_discards,
        }
        for path in paths:
            fmt = dictionary_format(path)
            found[fmt].append(readers[fmt](path))
        return cls(
            tuple(found["actors"]),  # type: ignore[arg-type]
            tuple(found["agents"]),  # type: ignore[arg-type]
            tuple(found["verbs"]),  # type: ignore[arg-type]
            tuple(found["discards"]),  # type: ignore[arg-type]
        )


class Discards:
    """Drops the events of sentences (or articles) that contain a discard phrase."""

    def __init__(self, files: Sequence[DiscardFile]) -> None:
        self.discards = tuple(d for f in files for d in f.discards)

    def __bool__(self) -> bool:
        return bool(self.discards)

    def filter(self, doc: object, events: Sequence[object]) -> tuple[object, ...]:
        sentences = list(doc.sents)  # type: ignore[attr-defined]
        words = [tuple(t.lower_ for t in s) for s in sentences]
        if any(d.story and _contains(w, d.words) for d in self.discards for w in words):
            return ()
        dropped = {
            i
            for i, w in enumerate(words)
            if any(not d.story and _contains(w, d.words) for d in self.discards)
        }
        return tuple(e for e in events if e.sentence_index not in dropped)  # type: ignore[attr-defined]


def _contains(words: Sequence[str], phrase: Sequence[str]) -> bool:
    n = len(phrase)
    return any(tuple(words[i : i + n]) == tuple(phrase) for i in range(len(words) - n + 1))
