"""PETRARCH-2 / TABARI dictionaries as input: actors, agents, verbs and discards.

The readers turn the text formats of the PETRARCH and TABARI event coders into records
(:class:`ActorDictionaryFile`, :class:`AgentDictionaryFile`, :class:`VerbDictionaryFile`,
:class:`DiscardFile`) and raise :class:`~newsevents.errors.DictionaryError` naming ``file:line``
for a bad entry. :func:`verb_entries` maps verb patterns onto newsevents' own verb-dictionary
entries as far as the dependency-based engine can express them; what it cannot express is
listed per pattern in :attr:`VerbMapping.unsupported`. Formats and the mapping rules:
docs/actors.md ("PETRARCH and TABARI dictionaries").
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from newsevents.errors import DictionaryError

logger = logging.getLogger(__name__)
FORMATS = ("actors", "agents", "verbs", "discards")
NULL_CODES = frozenset({"---", "+++", "###"})
"""Actor codes that mean "not an actor" (PETRARCH's null and discard codes)."""
ACTOR_CODE_TEXT = re.compile(r"^[A-Z0-9]{2,}$")
ROLE_CODE_TEXT = re.compile(r"^(?:[A-Z0-9]{3})+$")
EVENT_CODE_TEXT = re.compile(r"^[0-9A-Za-z+-]{3,5}$")
CODE_GROUP = re.compile(r"\[([^\]]*)\]")
DATED = re.compile(
    r"^(?P<code>\S+)(?:\s*(?P<op>[<>])\s*(?P<date>\d{6}|\d{8})"
    r"|\s+(?P<start>\d{6}|\d{8})\s*-\s*(?P<end>\d{6}|\d{8}))?$"
)
TWO_DIGIT_YEAR_PIVOT = 30
"""Six-digit dates ``YYMMDD``: years below 30 are 20YY, the others 19YY."""
NEGATORS = frozenset({"not", "n't", "no", "never", "neither", "nor", "without"})
AUXILIARIES = frozenset(
    {
        "be", "is", "are", "was", "were", "been", "being", "am", "have", "has", "had", "having",
        "do", "does", "did", "will", "would", "shall", "should", "can", "could", "may",
        "might", "must", "to", "wo", "ca", "ever", "even", "now", "also", "again", "really",
    }
)  # fmt: skip
PREPOSITIONS = frozenset(
    {
        "about", "above", "across", "after", "against", "along", "among", "around", "as", "at",
        "before", "behind", "below", "beside", "between", "by", "down", "during", "for", "from",
        "in", "inside", "into", "near", "of", "off", "on", "onto", "out", "over", "through",
        "to", "toward", "towards", "under", "up", "upon", "with", "within", "without",
    }
)  # fmt: skip
MARKERS = frozenset({"$", "+", "^", "%", "*"})
ARTICLES = frozenset({"a", "an", "the"})
MAX_OBJECT_PHRASES = 64


# --- reading lines ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One meaningful line of a dictionary file: comments removed, indentation kept."""

    number: int
    text: str

    @property
    def indented(self) -> bool:
        return self.text[:1] in {" ", "\t"}


def read_lines(path: Path) -> Iterator[Line]:
    """Lines without ``#`` comments and ``<!-- ... -->`` blocks; blank lines are dropped."""
    try:
        raw = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError as exc:
        raise DictionaryError(path, None, f"cannot read: {exc}") from exc
    in_comment = False
    for number, text in enumerate(raw, start=1):
        if in_comment:
            if "-->" in text:
                in_comment = False
            continue
        stripped = text.strip()
        if stripped.startswith("<!"):
            in_comment = "-->" not in stripped
            continue
        text = _strip_comment(text)
        if text.strip():
            yield Line(number, text)


def _strip_comment(text: str) -> str:
    """Cut a ``#`` comment; a ``#`` inside ``[...]`` is part of a code (``[###]``)."""
    depth = 0
    for index, char in enumerate(text):
        if char == "[":
            depth += 1
        elif char == "]":
            depth = max(0, depth - 1)
        elif char == "#" and depth == 0:
            return text[:index].rstrip()
    return text.rstrip()


def _words(phrase: str) -> tuple[str, ...]:
    """``UNITED_STATES_`` -> ``("united", "states")``: underscores and spaces separate words."""
    return tuple(w for w in re.split(r"[\s_]+", phrase.lower()) if w)


def parse_date(text: str, path: Path, line: int) -> dt.date:
    """``YYYYMMDD`` or ``YYMMDD`` (years below 30 are 20YY)."""
    if len(text) == 6:
        year = int(text[:2])
        text = f"{2000 + year if year < TWO_DIGIT_YEAR_PIVOT else 1900 + year}{text[2:]}"
    try:
        return dt.datetime.strptime(text, "%Y%m%d").date()
    except ValueError as exc:
        raise DictionaryError(path, line, f"{text!r} is not a valid date") from exc


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
                    phrase = _words(text[1:].split("[", 1)[0])
                    if not phrase:
                        raise DictionaryError(path, line.number, "empty synonym")
                    current[1].append(phrase)
                current[2].extend(_actor_codes(text, path, line.number))
                continue
            close()
            current = None
            phrase = _words(text.split("[", 1)[0])
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
        words = _words(variant)
        phrases.append(words)
        if plurals_match is None:
            phrases.append((*words[:-1], plural(words[-1])))
    if plurals_match is not None:
        for variant in plurals_match.group(1).split():
            phrases.extend(_words(v) for v in _substitute(variant, substitutions, path, line))
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
        words = _words(re.sub(r"[;].*$", "", text.lstrip("+")))
        if not words:
            problems.append(DictionaryError(path, line.number, "empty discard phrase"))
            continue
        discards.append(Discard(words, story, f"{path.name}:{line.number}"))
    return DiscardFile(path, tuple(discards), tuple(problems))


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
        synsets[synset].append(_words(text[1:]))
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


# --- mapping verbs onto the engine -----------------------------------------------------------

Lemmatize = Callable[[str, str], str]
"""``lemmatize(word, pos)`` with pos ``VERB`` or ``NOUN``."""
IsVerb = Callable[[str], bool]


@dataclass(frozen=True)
class MappedPattern:
    """What one verb or pattern became: its engine entries (none when it could not be
    expressed), the pattern features the engine does not check, and notes on what was kept."""

    rule: str
    code: str
    entries: tuple[object, ...]
    unsupported: tuple[str, ...]
    outside_codebook: tuple[str, ...] = ()
    """Its event codes that the CAMEO codebook does not have: kept as written."""

    @property
    def entry(self) -> object | None:
        return self.entries[0] if self.entries else None

    @property
    def notes(self) -> tuple[str, ...]:
        return tuple(
            f"code {code} is not in the CAMEO codebook: kept as written"
            for code in self.outside_codebook
        )


@dataclass(frozen=True)
class VerbMapping:
    entries: tuple[object, ...]
    """:class:`newsevents.events.VerbEntry` records, most specific first."""
    patterns: tuple[MappedPattern, ...]
    lemmas: frozenset[str]

    @property
    def unsupported(self) -> tuple[MappedPattern, ...]:
        return tuple(p for p in self.patterns if p.unsupported)

    @property
    def outside_codebook(self) -> frozenset[str]:
        """The event codes of this file that the CAMEO codebook does not have."""
        return frozenset(code for p in self.patterns for code in p.outside_codebook)


PETRARCH_TARGET_SLOTS = (
    "object", "dative", "with", "to", "against", "on", "for", "at", "in", "into", "from",
    "toward", "towards", "over", "about", "of", "between", "near", "by",
)  # fmt: skip
"""PETRARCH takes the target from anywhere in the verb phrase; entries read from its files
look in the object first, then in these prepositional phrases, in this order."""
NULL_KIND = "null"
"""The kind of an entry read from a null code (``[---]``): a verb or pattern that is no event.
Being the best fit for a word, it keeps less specific entries from coding it."""
WORD_ORDER = "word order"
"""Rule suffix of the entry that checks a pattern's words by their order in the sentence."""


def verb_entries(
    dictionary: VerbDictionaryFile,
    known_code: Callable[[str], bool],
    lemmatize: Lemmatize,
    is_verb: IsVerb,
) -> VerbMapping:
    """Map a PETRARCH verb dictionary onto :class:`~newsevents.events.VerbEntry` records.

    Each verb of a block becomes a lemma entry with the block's code (a later block's code
    wins for the same lemma). Each pattern becomes up to two entries. One has the
    dependency constraints the engine has: a particle (the first word after the verb, if a
    preposition), an object (the head of the noun phrase after it; synsets expand to lists), a
    controlling verb before the verb (``SAID *``), an infinitive after it (``* TO
    RECONSIDER``), negation. The other checks the pattern's words by their order around the
    verb (``preceding``/``following``, with ``_`` for adjacent words). Both carry the words
    before the verb, and argument slots from ``$`` (source) and ``+`` (target).

    Codes are kept as written, also outside the CAMEO codebook (``known_code`` only notes
    them); a null code (``[---]``) makes an entry of kind :data:`NULL_KIND` that codes
    nothing; ``[032:033]`` adds the reverse-direction code.
    """
    from newsevents.coding.events import VerbEntry

    entries: list[VerbEntry] = []
    mapped: list[MappedPattern] = []
    defaults: dict[str, VerbEntry] = {}
    name = dictionary.path.name
    for block in dictionary.blocks:
        for form in block.forms:
            lemma = lemmatize(form.word, "VERB")
            raw = form.code or block.code
            rule = f"{name}:{form.line} {block.name}"
            particle = form.after[0] if form.after and form.after[0] in PREPOSITIONS else None
            preceding = frozenset({"_".join(form.before) + "_"}) if form.before else frozenset()
            entry = _entry(VerbEntry, rule, raw, lemma, particle=particle, preceding=preceding)
            if particle is None and not preceding:
                defaults[lemma] = entry
            else:
                entries.append(entry)
            outside = _outside(raw, known_code)
            mapped.append(MappedPattern(rule, raw, (entry,), (), outside))
        lemmas = tuple(dict.fromkeys(lemmatize(f.word, "VERB") for f in block.forms))
        phrasal = {
            (lemmatize(f.word, "VERB"), f.after[0])
            for f in block.forms
            if f.after and f.after[0] in PREPOSITIONS
        }
        for pattern in block.patterns:
            result = _map_pattern(
                dictionary, block, pattern, lemmas, known_code, lemmatize, is_verb, VerbEntry
            )
            mapped.append(result)
            entries.extend(result.entries)  # type: ignore[arg-type]
            # the block's patterns hold for its phrasal verbs too ("broke down a treaty")
            entries.extend(
                replace(e, lemmas=frozenset({lemma}), particle=particle)  # type: ignore[type-var]
                for e in result.entries
                if e.particle is None  # type: ignore[attr-defined]
                for lemma, particle in sorted(phrasal)
            )
    ordered = sorted(entries, key=lambda e: -_specificity(e))
    all_entries = (*ordered, *defaults.values())
    lemmas = frozenset(lemma for e in all_entries for lemma in e.lemmas)
    return VerbMapping(tuple(all_entries), tuple(mapped), lemmas)


def _specificity(entry: object) -> int:
    e = entry  # a VerbEntry
    return sum(
        bool(x)
        for x in (
            e.particle,  # type: ignore[attr-defined]
            e.objects,  # type: ignore[attr-defined]
            e.xcomps,  # type: ignore[attr-defined]
            e.governors,  # type: ignore[attr-defined]
            e.negated is not None,  # type: ignore[attr-defined]
            e.preceding,  # type: ignore[attr-defined]
            e.following,  # type: ignore[attr-defined]
        )
    )


def _split_code(code: str) -> tuple[str | None, str | None]:
    """``032:033`` -> (``032``, ``033``); a null part (``---``) or a missing one is None."""
    first, _, second = (part.strip() for part in code.partition(":"))
    return (
        None if not first or first in NULL_CODES else first,
        None if not second or second in NULL_CODES else second,
    )


def _outside(code: str, known_code: Callable[[str], bool]) -> tuple[str, ...]:
    """The parts of a ``[CODE]`` or ``[CODE:CODE]`` that the codebook does not have."""
    return tuple(part for part in _split_code(code) if part and not known_code(part))


def _map_pattern(
    dictionary: VerbDictionaryFile,
    block: VerbBlock,
    pattern: VerbPattern,
    lemmas: Sequence[str],
    known_code: Callable[[str], bool],
    lemmatize: Lemmatize,
    is_verb: IsVerb,
    entry_type: type,
) -> MappedPattern:
    rule = f"{dictionary.path.name}:{pattern.line} {block.name}"
    reasons: list[str] = []
    shared: dict[str, object] = {}
    preceding = sequence_texts(pattern.pre_text, dictionary, before=True)
    if preceding:
        shared["preceding"] = preceding
    source, target = _slots(pattern)
    if source:
        shared["source"] = source
    if target:
        shared["target"] = target
    coordinated = _compound_slots(pattern)
    if coordinated:
        shared["coordinated"] = coordinated
    constraints = dict(shared)
    if _negated(pattern.pre, dictionary) or _negated(pattern.post[:1], dictionary):
        constraints["negated"] = True
    governor = _governor(pattern.pre, dictionary, is_verb)
    if governor:
        constraints["governors"] = frozenset({lemmatize(governor, "VERB")})
    post_constraints, ignored_post = _post(pattern.post, dictionary, lemmatize)
    constraints.update(post_constraints)
    made = []
    checked = {k for k in constraints if k not in {"source", "target"}}
    adjacent = re.search(r"[^\s_]_+[^\s_]", pattern.post_text) is not None
    if checked and not ignored_post and not adjacent:  # only word order checks adjacency
        made.append(_entry(entry_type, rule, pattern.code, *lemmas, **constraints))
    following = sequence_texts(pattern.post_text, dictionary, before=False)
    if following:
        word_order = f"{rule} ({WORD_ORDER})"
        particle = post_constraints.get("particle")  # "clash over": the verb's particle
        made.append(
            _entry(
                entry_type, word_order, pattern.code, *lemmas,
                following=following, particle=particle, **shared,
            )
        )  # fmt: skip
    if not made:
        reasons.append("nothing the engine can check distinguishes it from the verb")
    outside = _outside(pattern.code, known_code)
    return MappedPattern(rule, pattern.code, tuple(made), tuple(reasons), outside)


def _entry(entry_type: type, rule: str, code: str, *lemmas: str, **constraints: object) -> object:
    first, reverse = _split_code(code)
    return entry_type(
        id=rule,
        code=first or "---",
        lemmas=frozenset(lemmas),
        pos=frozenset({"VERB"}),
        kind="event" if first else NULL_KIND,
        particle=constraints.get("particle"),
        objects=constraints.get("objects", frozenset()),
        xcomps=constraints.get("xcomps", frozenset()),
        governors=constraints.get("governors", frozenset()),
        negated=constraints.get("negated"),
        source=constraints.get("source", ()),
        target=constraints.get("target", PETRARCH_TARGET_SLOTS),
        examples=(),
        rule=rule,
        preceding=constraints.get("preceding", frozenset()),
        following=constraints.get("following", frozenset()),
        reverse_code=reverse if first else None,
        coordinated=constraints.get("coordinated", ()),
    )


def sequence_texts(text: str, dictionary: VerbDictionaryFile, *, before: bool) -> frozenset[str]:
    """The word sequences (``VerbEntry.preceding``/``following``) a pattern's words before
    or after ``*`` stand for: words lower-cased, ``_`` kept between adjacent words, a space
    where other words may come between. ``$ + ^ %`` stand for a phrase, so they break
    adjacency; a synset stands for each of its members (at most :data:`MAX_OBJECT_PHRASES`
    combinations). A ``_`` next to ``*`` keeps the word next to the verb (``RECENTLY_*``)."""
    options: list[list[str]] = []
    glue: list[bool] = []  # glue[i]: word i is right after word i-1
    edge_first = pending = False
    for part in re.findall(r"[^\s_]+|[\s_]+", text.strip(" \t")):
        if not part.strip(" \t_"):
            pending = pending or "_" in part
            continue
        if part in MARKERS:
            pending = False  # a phrase comes between
            continue
        members = ["_".join(m) for m in dictionary.expand(part)] if part.startswith("&") else [part]
        if not members:
            return frozenset()  # an undefined synset
        if not options:
            edge_first = pending
        glue.append(pending)
        options.append([m.lower() for m in members])
        pending = False
    edge_last = pending
    texts: set[str] = set()
    kept = list(zip(options, glue, strict=True))
    if not kept:
        return frozenset()
    for combination in itertools.islice(
        itertools.product(*(o for o, _ in kept)), MAX_OBJECT_PHRASES
    ):
        joined = combination[0]
        for word, (_, glued) in zip(combination[1:], kept[1:], strict=True):
            joined += ("_" if glued else " ") + word
        if before and edge_last:
            joined += "_"
        if not before and edge_first:
            joined = "_" + joined
        texts.add(joined)
    return frozenset(texts)


def _is_negation(word: str, dictionary: VerbDictionaryFile) -> bool:
    if word.startswith("&"):
        return any(set(p) & NEGATORS for p in dictionary.expand(word))
    return word in NEGATORS


def _negated(words: Iterable[str], dictionary: VerbDictionaryFile) -> bool:
    return any(_is_negation(w, dictionary) for w in words)


def _governor(pre: Sequence[str], dictionary: VerbDictionaryFile, is_verb: IsVerb) -> str | None:
    """The verb nearest before ``*`` that is not an auxiliary (``SAID *``, ``PLAN TO *``)."""
    words = [w for w in pre if w not in MARKERS and not w.startswith("&")]
    for index in range(len(words) - 1, -1, -1):
        word = words[index]
        if word in AUXILIARIES or word in NEGATORS:
            continue
        followed_by_to = index + 1 < len(words) and words[index + 1] == "to"
        if followed_by_to or word.endswith("ed") or is_verb(word):
            return word
    return None


def _compound_slots(pattern: VerbPattern) -> tuple[str, ...]:
    """The slots PETRARCH's compound-actor marker ``%`` asks to be coordinated: ``% *`` the
    subject, ``* %`` the object, ``* WITH %`` the object of ``with``."""
    slots = ["subject"] if "%" in pattern.pre else []
    post = [w for w in pattern.post if w != "^"]
    for index, word in enumerate(post):
        if word == "%":
            before = post[index - 1] if index else None
            slots.append(before if before in PREPOSITIONS else "object")
    return tuple(dict.fromkeys(slots))


def _slots(pattern: VerbPattern) -> tuple[tuple[str, ...], tuple[str, ...]]:
    source: tuple[str, ...] = ()
    target: tuple[str, ...] = ()
    if "$" in pattern.pre:
        source = ("subject",)
    if "+" in pattern.pre:
        target = ("object",)
    post = [w for w in pattern.post if w != "^"]
    for index, word in enumerate(post):
        if word not in {"$", "+"}:
            continue
        before = post[index - 1] if index else None
        slot = before if before in PREPOSITIONS else "object"
        if word == "$" and not source:
            source = (slot,)
        elif word == "+" and not target:
            target = (slot,) if slot != "object" else ("object", "dative")
    return source, target


def _prepositions(word: str, dictionary: VerbDictionaryFile) -> frozenset[str]:
    """The prepositions a pattern word is: itself, or every member of a synset of single
    prepositions (``&PREPOSIT1``); empty when it is not one."""
    if not word.startswith("&"):
        return frozenset({word}) if word in PREPOSITIONS else frozenset()
    members = dictionary.expand(word)
    if members and all(len(m) == 1 and m[0] in PREPOSITIONS for m in members):
        return frozenset(m[0] for m in members)
    return frozenset()


def _post(
    post: Sequence[str], dictionary: VerbDictionaryFile, lemmatize: Lemmatize
) -> tuple[dict[str, object], list[str]]:
    """Particle, object and infinitive constraints from the words after the verb."""
    words = [w for w in post if w not in MARKERS and not _is_negation(w, dictionary)]
    constraints: dict[str, object] = {}
    if not words:
        return constraints, []
    used: set[int] = set()
    index = 0
    if words[0] == "to" and len(words) > 1 and words[1] not in PREPOSITIONS:
        constraints["xcomps"] = frozenset({lemmatize(words[1], "VERB")})
        used |= {0, 1}
        return constraints, [w for i, w in enumerate(words) if i not in used]
    particles = _prepositions(words[0], dictionary)
    if particles:
        constraints["particle"] = particles if len(particles) > 1 else next(iter(particles))
        used.add(0)
        index = 1
    run: list[int] = []
    for position in range(index, len(words)):
        if words[position] in PREPOSITIONS:
            break
        run.append(position)
    if run:
        constraints["objects"] = _object_phrases([words[i] for i in run], dictionary, lemmatize)
        used |= set(run)
    return constraints, [w for i, w in enumerate(words) if i not in used]


def _object_phrases(
    run: Sequence[str], dictionary: VerbDictionaryFile, lemmatize: Lemmatize
) -> frozenset[str]:
    """The object phrases a run of pattern words stands for: every combination of synset
    members (at most :data:`MAX_OBJECT_PHRASES`), articles left out, the last word also as
    its lemma. The engine wants all the words in the object's phrase, the last as its head."""
    options: list[list[tuple[str, ...]]] = []
    for word in run:
        if word in ARTICLES:
            continue
        options.append(list(dictionary.expand(word)) if word.startswith("&") else [(word,)])
    phrases: set[str] = set()
    for combination in itertools.islice(itertools.product(*options), MAX_OBJECT_PHRASES):
        words = [w for part in combination for w in part if w not in ARTICLES]
        if not words:
            continue
        phrases.add(" ".join(words))
        phrases.add(" ".join([*words[:-1], lemmatize(words[-1], "NOUN")]))
    return frozenset(phrases)


# --- word analysis with the spaCy model ------------------------------------------------------


class WordAnalyzer:
    """Lemmas and parts of speech of dictionary words, from the pipeline's spaCy model.

    Words are analysed in small frames ("they WORD it", "the WORD") and cached, so a large
    dictionary costs one batched pass over its distinct words."""

    def __init__(self, nlp: object) -> None:
        self.nlp = nlp
        self._lemmas: dict[tuple[str, str], str] = {}
        self._verbs: dict[str, bool] = {}

    def prime(self, words: Iterable[str]) -> None:
        todo = sorted({w.lower() for w in words if w and not w.startswith("&")} - set(self._verbs))
        if not todo:
            return
        nlp = self.nlp
        keep = [n for n in ("tok2vec", "tagger", "attribute_ruler", "lemmatizer")]
        disable = [n for n in nlp.pipe_names if n not in keep]  # type: ignore[attr-defined]
        with nlp.select_pipes(disable=disable):  # type: ignore[attr-defined]
            verb_docs = nlp.pipe((f"they {w} it" for w in todo), batch_size=512)  # type: ignore[attr-defined]
            noun_docs = nlp.pipe((f"the {w}" for w in todo), batch_size=512)  # type: ignore[attr-defined]
            for word, as_verb, as_noun in zip(todo, verb_docs, noun_docs, strict=True):
                self._lemmas[(word, "VERB")] = _last_lemma(as_verb, word, -2)
                self._lemmas[(word, "NOUN")] = _last_lemma(as_noun, word, -1)
                self._verbs[word] = as_noun[-1].pos_ in {"VERB", "AUX"}

    def lemma(self, word: str, pos: str) -> str:
        word = word.lower()
        if word.startswith("&"):
            return word  # a synset name is no word
        if (word, pos) not in self._lemmas:
            self.prime([word])
        return self._lemmas[(word, pos)]

    def is_verb(self, word: str) -> bool:
        word = word.lower()
        if word not in self._verbs:
            self.prime([word])
        return self._verbs[word]


def _last_lemma(doc: object, word: str, index: int) -> str:
    tokens = list(doc)  # type: ignore[call-overload]
    if len(tokens) < 2 or "".join(t.text for t in tokens[1 : len(tokens) + index + 1]) != word:
        return word
    return tokens[index].lemma_.lower() or word


def dictionary_words(dictionary: VerbDictionaryFile) -> set[str]:
    words = set()
    for block in dictionary.blocks:
        words |= {f.word for f in block.forms}
        for pattern in block.patterns:
            words |= {w for w in (*pattern.pre, *pattern.post) if w not in MARKERS}
    for members in dictionary.synsets.values():
        words |= {m[-1] for m in members}
    return words


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


# --- layering over the built-in verb dictionary ----------------------------------------------


def layer_verbs(
    builtin: object, files: PetrarchFiles, known_code: Callable[[str], bool], nlp: object
) -> tuple[object, tuple[VerbMapping, ...]]:
    """The built-in verb dictionary with the PETRARCH verb files layered over it.

    A lemma that a PETRARCH file defines replaces the built-in event entries for that verb
    (event nouns and adjectives stay); the built-in reporting verbs and comment words keep their
    role, so PETRARCH entries for those lemmas are left out. Among PETRARCH files, a later
    file's entries are tried first."""

    from newsevents.coding.events import VerbDictionary

    if not files.verbs:
        return builtin, ()
    analyzer = WordAnalyzer(nlp)
    analyzer.prime(w for f in files.verbs for w in dictionary_words(f))
    mappings = tuple(
        verb_entries(f, known_code, analyzer.lemma, analyzer.is_verb) for f in files.verbs
    )
    for file, mapping in zip(files.verbs, mappings, strict=True):
        if mapping.outside_codebook:
            logger.warning(
                "%s: %d event codes are not in the CAMEO codebook (%s); their events keep the "
                "code as written, with no name, Goldstein value, quad/penta class or PLOVER "
                "category",
                file.path,
                len(mapping.outside_codebook),
                " ".join(sorted(mapping.outside_codebook)),
            )
    entries = builtin.entries  # type: ignore[attr-defined]
    reserved = {lemma for e in entries if e.kind in {"report", "comment"} for lemma in e.lemmas}
    layered = [
        e
        for m in reversed(mappings)
        for e in m.entries
        if not (e.lemmas & reserved)  # type: ignore[attr-defined]
    ]
    redefined = {lemma for e in layered for lemma in e.lemmas}  # type: ignore[attr-defined]
    kept = []
    for entry in entries:
        if entry.kind == "event" and "VERB" in entry.pos and entry.lemmas & redefined:
            if entry.pos != {"VERB"}:
                kept.append(entry)  # a VERB/NOUN entry still codes the noun
                continue
            remaining = entry.lemmas - redefined
            if remaining:
                kept.append(replace(entry, lemmas=frozenset(remaining)))
            continue
        kept.append(entry)
    return VerbDictionary([*layered, *kept]), mappings
