"""PETRARCH-1/-2 and TABARI verb files: ``&SYNSET`` lists, ``--- NAME [CODE] ---`` blocks, their
verbs and ``- PATTERN [CODE]`` lines, read into records (:class:`VerbDictionaryFile`)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from newsevents.coding.petrarch.lines import NULL_CODES, Line, read_lines, words_of
from newsevents.errors import DictionaryError

EVENT_CODE_TEXT = re.compile(r"^[0-9A-Za-z+-]{3,5}$")


# --- verbs -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class VerbForm:
    """A verb of a block: its word (``LEFT``, ``BREAK``), the particle or preceding words of a
    multi-word verb (``+BREAK_DOWN``, ``WIRE_+TAP``), and its own code if it has one."""

    word: str
    before: tuple[str, ...]
    after: tuple[str, ...]
    code: str | None
    line: int


@dataclass(frozen=True)
class VerbPattern:
    pre: tuple[str, ...]
    post: tuple[str, ...]
    code: str
    line: int
    pre_text: str = ""
    post_text: str = ""
    """The pattern before and after ``*`` as written, with its ``_`` (adjacent) and space
    (other words may come between) separators."""


@dataclass(frozen=True)
class VerbBlock:
    name: str
    code: str
    forms: tuple[VerbForm, ...]
    patterns: tuple[VerbPattern, ...]
    line: int


@dataclass(frozen=True)
class VerbDictionaryFile:
    path: Path
    blocks: tuple[VerbBlock, ...]
    synsets: Mapping[str, tuple[tuple[str, ...], ...]]
    problems: tuple[DictionaryError, ...] = ()
    """Entries that were skipped, each with its ``file:line`` and reason."""

    def expand(self, token: str, seen: frozenset[str] = frozenset()) -> tuple[tuple[str, ...], ...]:
        """The phrases a synset token (``&CURRENCY``) stands for, nested synsets expanded."""
        name = _synset_name(token)
        if name in seen:
            return ()
        out: list[tuple[str, ...]] = []
        for member in self.synsets.get(name, ()):
            if len(member) == 1 and member[0].startswith("&"):
                out.extend(self.expand(member[0], seen | {name}))
            else:
                out.append(member)
        return tuple(out)


def _synset_name(token: str) -> str:
    """``&PREPOSIT1_`` and ``&preposit1`` name the same synset."""
    return token.upper().rstrip("_")


_SKIPPED = "&skipped block"
"""Reader state: inside a block whose header was bad, so its lines are skipped too."""
HEADER = re.compile(r"^-{3}\s*(?P<name>[^\[]+?)\s*\[(?P<code>[^\]]*)\](?:.*-{3})?\s*$")
PATTERN_CODE = re.compile(r"\[(?P<code>[^\]]*)\]\s*$")


@dataclass
class _BlockBuilder:
    name: str
    code: str
    line: int
    forms: list[VerbForm] = field(default_factory=list)
    patterns: list[VerbPattern] = field(default_factory=list)

    def build(self) -> VerbBlock:
        return VerbBlock(self.name, self.code, tuple(self.forms), tuple(self.patterns), self.line)


def read_verbs(path: Path) -> VerbDictionaryFile:
    """A PETRARCH-1/-2 or TABARI verb dictionary: ``&SYNSET`` lists, ``--- NAME [CODE] ---``
    blocks with their verbs (``WORD {FORMS}``, ``+MULTI_WORD``) and ``- PATTERN [CODE]`` lines."""
    synsets: dict[str, list[tuple[str, ...]]] = {}
    blocks: list[VerbBlock] = []
    problems: list[DictionaryError] = []
    block: _BlockBuilder | None = None
    synset: str | None = None
    for line in read_lines(path):
        text = line.text.strip()
        header = HEADER.match(text)
        if header and not _valid_event_code(header["code"].strip()):
            problems.append(
                DictionaryError(path, line.number, f"bad event code [{header['code']}]")
            )
            if block is not None:
                blocks.append(block.build())
            block, synset = None, _SKIPPED
            synsets[synset] = []
            continue
        try:
            block, synset = _verb_line(
                text, header, path, line.number, block, synset, blocks, synsets
            )
        except DictionaryError as exc:
            problems.append(exc)
    if block is not None:
        blocks.append(block.build())
    synsets.pop(_SKIPPED, None)
    if not blocks:
        raise DictionaryError(path, None, "no verb blocks ('--- NAME [CODE] ---')")
    return VerbDictionaryFile(
        path, tuple(blocks), {k: tuple(v) for k, v in synsets.items()}, tuple(problems)
    )


def _valid_event_code(code: str) -> bool:
    """``042``, ``032:033`` (a reverse-direction code after ``:``), ``:173``, ``---``."""
    parts = [part.strip() for part in code.split(":")]
    return (
        len(parts) <= 2
        and any(parts)
        and all(not part or part in NULL_CODES or EVENT_CODE_TEXT.match(part) for part in parts)
    )


def _verb_line(
    text: str,
    header: re.Match[str] | None,
    path: Path,
    number: int,
    block: _BlockBuilder | None,
    synset: str | None,
    blocks: list[VerbBlock],
    synsets: dict[str, list[tuple[str, ...]]],
) -> tuple[_BlockBuilder | None, str | None]:
    """Read one line of a verb file; returns the block and synset being read after it."""
    line = Line(number, text)
    if text.startswith("---") and header is None:
        raise DictionaryError(path, line.number, "block header must be '--- NAME [CODE] ---'")
    if header:
        if block is not None:
            blocks.append(block.build())
        return _BlockBuilder(header["name"].strip(), header["code"].strip(), number), None
    if text.startswith("&"):
        if block is not None:
            blocks.append(block.build())
        name = _synset_name(text.split()[0])
        synsets[name] = []
        return None, name
    if text.startswith("-"):
        if block is None:
            if synset == _SKIPPED:
                return None, synset
            raise DictionaryError(path, line.number, "pattern line outside a verb block")
        block.patterns.append(_pattern(text, path, line.number))
    elif synset is not None and text.startswith("+"):
        synsets[synset].append(words_of(text[1:]))
    elif block is not None:
        block.forms.append(_verb_form(text, path, line.number))
    elif synset != _SKIPPED:
        raise DictionaryError(path, line.number, f"unexpected line {text[:40]!r}")
    return block, synset


def _check_event_code(code: str, path: Path, line: int) -> None:
    if not _valid_event_code(code):
        raise DictionaryError(path, line, f"bad event code [{code}]")


def _pattern(text: str, path: Path, line: int) -> VerbPattern:
    match = PATTERN_CODE.search(text)
    if match is None:
        raise DictionaryError(path, line, "pattern without a [CODE] at the end")
    code = match["code"].strip()
    _check_event_code(code, path, line)
    body = text[1 : match.start()]
    body = re.sub(r"[(){}]", " ", body)
    tokens = [t for t in re.split(r"[\s_]+", body) if t]
    if tokens.count("*") != 1:
        raise DictionaryError(path, line, "a pattern needs exactly one '*' for the verb")
    star = tokens.index("*")
    pre = tuple(t.lower() if not t.startswith("&") else t.upper() for t in tokens[:star])
    post = tuple(t.lower() if not t.startswith("&") else t.upper() for t in tokens[star + 1 :])
    pre_text, post_text = body.split("*")
    return VerbPattern(pre, post, code, line, pre_text.strip(" \t"), post_text.strip(" \t"))


def _verb_form(text: str, path: Path, line: int) -> VerbForm:
    code_match = PATTERN_CODE.search(text)
    code = None
    if code_match:
        code = code_match["code"].strip()
        _check_event_code(code, path, line)
        text = text[: code_match.start()]
    text = re.sub(r"\{[^}]*\}", "", text).strip()
    if not text:
        raise DictionaryError(path, line, "empty verb line")
    parts = [p for p in re.split(r"[\s_]+", text) if p]
    marked = [i for i, p in enumerate(parts) if p.startswith("+")]
    verb_index = marked[0] if marked else 0
    words = [p.lstrip("+").lower() for p in parts]
    if not words[verb_index]:
        raise DictionaryError(path, line, "verb line without a verb")
    return VerbForm(
        words[verb_index],
        tuple(words[:verb_index]),
        tuple(words[verb_index + 1 :]),
        code,
        line,
    )
