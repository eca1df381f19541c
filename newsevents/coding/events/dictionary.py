"""The event coder's dictionaries: verbs (``data/verbs.yaml``), modality words
(``data/modality.yaml``) and framing (``data/framing.yaml``), read into frozen records.

Formats: docs/dictionaries.md. Nothing here looks at a parse; the PETRARCH verb reader
(:mod:`newsevents.coding.petrarch`) builds :class:`VerbEntry` records from this module too.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from types import MappingProxyType

import yaml

from newsevents.codebook import Codebook
from newsevents.coding.background import Background, parse_background
from newsevents.coding.senses import Senses, parse_senses
from newsevents.dictionaries import (
    CAMEO_CODE,
    compose_yaml,
    data_path,
    node_line,
    read_yaml_entries,
)
from newsevents.errors import DictionaryError

KINDS = frozenset({"event", "report", "comment"})
POS_TAGS = frozenset({"VERB", "NOUN", "ADJ"})
ENTRY_FIELDS = frozenset(
    {
        "id",
        "code",
        "lemma",
        "pos",
        "kind",
        "particle",
        "object",
        "unless_object",
        "xcomp",
        "governor",
        "negated",
        "frame",
        "voice",
        "source",
        "target",
        "examples",
        "note",
    }
)
FRAME_TARGETS = frozenset({"frame", "inner-target", "inner-source"})
FRAME_FIELDS = frozenset({"note", "target", "codes"})
KEEP_CODE = "inner"
"""A frame row whose code is this keeps the governed event's own code ("ordered the release")."""
ROOT_CODES = frozenset(f"{n:02d}" for n in range(1, 21))

Fail = Callable[[str], DictionaryError]
"""Makes the error for one entry of a dictionary file, naming its file and line."""


# --- verbs.yaml ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class VerbEntry:
    """One verb-dictionary pattern."""

    id: str
    code: str
    lemmas: frozenset[str]
    pos: frozenset[str]
    kind: str
    particle: str | frozenset[str] | None
    objects: frozenset[str]
    """Object patterns: a lemma, or a phrase whose words must all occur in the object phrase and
    one of which is its head ("economic aid", "state of emergency")."""
    xcomps: frozenset[str]
    governors: frozenset[str]
    negated: bool | None
    source: tuple[str, ...]
    target: tuple[str, ...]
    examples: tuple[str, ...]
    rule: str
    frame: str | None = None
    """The framing.yaml frame this word applies to the event it governs, if any."""
    voice: str | None = None
    """``active`` or ``passive``: the voice the verb must be in ("is considered to be" is not a
    policy option)."""
    unless_objects: frozenset[str] = frozenset()
    """Object patterns that rule the entry out ("meet" + "target" is no meeting)."""
    preceding: frozenset[str] = frozenset()
    following: frozenset[str] = frozenset()
    """Word sequences, one of which must occur before (after) the trigger in its sentence
    (after: within the trigger's phrase), in order: words joined by ``_`` are adjacent, by a
    space other words may come between; a ``_`` at the trigger's side means next to it
    (``"recently_"``, ``"_out"``). Read from PETRARCH patterns (docs/actors.md)."""
    reverse_code: str | None = None
    """A second event with source and target swapped, coded this (PETRARCH ``[032:033]``)."""
    coordinated: tuple[str, ...] = ()
    """Argument slots that must hold coordinated phrases ("Russia and Japan agreed"; PETRARCH's
    compound-actor marker ``%``)."""

    @property
    def particles(self) -> frozenset[str]:
        if self.particle is None:
            return frozenset()
        if isinstance(self.particle, str):
            return frozenset({self.particle})
        return self.particle


class VerbDictionary:
    """Verb-dictionary entries indexed by trigger lemma."""

    def __init__(self, entries: Sequence[VerbEntry]) -> None:
        self.entries = tuple(entries)
        index: dict[str, list[VerbEntry]] = {}
        for entry in entries:
            for lemma in entry.lemmas:
                index.setdefault(lemma, []).append(entry)
        self._by_lemma = {k: tuple(v) for k, v in index.items()}

    @classmethod
    def load(
        cls,
        paths: Sequence[Path] = (),
        codebook: Codebook | None = None,
        frames: Collection[str] | None = None,
    ) -> VerbDictionary:
        """Load the built-in dictionary and then each file in ``paths``; a later entry with the
        same id replaces an earlier one. ``frames`` are the frame names an entry may use
        (default: those of the built-in framing.yaml)."""
        known_frames = frames if frames is not None else Framing.load().frames.keys()
        by_id: dict[str, VerbEntry] = {}
        for path in (data_path("verbs.yaml"), *paths):
            for line, raw in read_yaml_entries(path):
                entry = parse_verb_entry(raw, path, line)
                _check_entry(entry, path, line, codebook, known_frames)
                if entry.id in by_id and path == data_path("verbs.yaml"):
                    raise DictionaryError(path, line, f"duplicate id {entry.id!r}")
                by_id[entry.id] = entry
        return cls(list(by_id.values()))

    def candidates(self, lemma: str) -> tuple[VerbEntry, ...]:
        return self._by_lemma.get(lemma, ())

    @property
    def lemmas(self) -> frozenset[str]:
        return frozenset(self._by_lemma)


def _check_entry(
    entry: VerbEntry,
    path: Path,
    line: int,
    codebook: Codebook | None,
    known_frames: Collection[str],
) -> None:
    """An entry's code must be in the codebook, its frame one of framing.yaml's."""
    if codebook is not None and entry.code not in codebook:
        raise DictionaryError(path, line, f"code {entry.code!r} is not in the codebook")
    if entry.frame is not None and entry.frame not in known_frames:
        raise DictionaryError(path, line, f"unknown frame {entry.frame!r}")


def parse_verb_entry(raw: Mapping[str, object], path: Path, line: int) -> VerbEntry:
    """Validate one YAML mapping into a :class:`VerbEntry`."""
    fail: Fail = functools.partial(DictionaryError, path, line)
    unknown = set(raw) - ENTRY_FIELDS
    if unknown:
        raise fail(f"unknown field(s): {', '.join(sorted(unknown))}")
    entry_id, code = _identity(raw, fail)
    lemmas = _lemmas(raw, fail)
    pos, kind = _word_kind(raw, fail)
    particles = _words(raw.get("particle"), "particle", fail)
    negated, frame, voice = _switches(raw, fail)
    examples = raw.get("examples", [])
    if not isinstance(examples, list) or not all(isinstance(e, str) for e in examples):
        raise fail("'examples' must be a list of sentences")
    return VerbEntry(
        id=entry_id,
        code=code,
        lemmas=frozenset(lemmas),
        pos=pos,
        kind=kind,
        particle=(particles[0] if len(particles) == 1 else frozenset(particles)) or None,
        objects=frozenset(_words(raw.get("object"), "object", fail)),
        xcomps=frozenset(_words(raw.get("xcomp"), "xcomp", fail)),
        governors=frozenset(_words(raw.get("governor"), "governor", fail)),
        negated=negated,
        source=tuple(_words(raw.get("source"), "source", fail)),
        target=tuple(_words(raw.get("target"), "target", fail)),
        examples=tuple(examples),
        rule=f"{path.name}:{line} {entry_id}",
        frame=frame,
        voice=voice,
        unless_objects=frozenset(_words(raw.get("unless_object"), "unless_object", fail)),
    )


def _identity(raw: Mapping[str, object], fail: Fail) -> tuple[str, str]:
    """The entry's id and CAMEO code."""
    entry_id, code = raw.get("id"), raw.get("code")
    if not isinstance(entry_id, str) or not entry_id:
        raise fail("'id' must be a non-empty string")
    if not isinstance(code, str) or not CAMEO_CODE.match(code):
        raise fail(f"'code' must be a quoted CAMEO code such as \"042\", not {code!r}")
    return entry_id, code


def _lemmas(raw: Mapping[str, object], fail: Fail) -> list[str]:
    lemmas = _words(raw.get("lemma"), "lemma", fail)
    if not lemmas:
        raise fail("'lemma' is required")
    if any(not lemma or " " in lemma for lemma in lemmas):
        raise fail("each 'lemma' must be a single word (put other words in 'object' or 'particle')")
    return lemmas


def _word_kind(raw: Mapping[str, object], fail: Fail) -> tuple[frozenset[str], str]:
    """The entry's parts of speech and its kind (event, report or comment)."""
    pos = frozenset(w.upper() for w in _words(raw.get("pos", "VERB"), "pos", fail))
    if not pos <= POS_TAGS:
        raise fail(f"'pos' must be among {', '.join(sorted(POS_TAGS))}")
    kind = raw.get("kind", "event")
    if kind not in KINDS:
        raise fail(f"'kind' must be one of {', '.join(sorted(KINDS))}")
    return pos, str(kind)


def _switches(raw: Mapping[str, object], fail: Fail) -> tuple[bool | None, str | None, str | None]:
    """The entry's ``negated``, ``frame`` and ``voice``."""
    negated = raw.get("negated")
    if negated is not None and not isinstance(negated, bool):
        raise fail("'negated' must be true or false")
    frame = raw.get("frame")
    if frame is not None and not isinstance(frame, str):
        raise fail("'frame' must be the name of a framing.yaml frame")
    voice = raw.get("voice")
    if voice not in (None, "active", "passive"):
        raise fail("'voice' must be active or passive")
    return negated, frame, voice if isinstance(voice, str) else None


def _words(value: object, name: str, fail: Fail) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value.lower()]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [v.lower() for v in value]
    raise fail(f"{name!r} must be a word or a list of words")


# --- modality.yaml ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ModalityWords:
    """The words that mark negation, the future and hypotheticals (``data/modality.yaml``)."""

    negators: frozenset[str]
    negative_subjects: frozenset[str]
    future_auxiliaries: frozenset[str]
    future_governors: frozenset[str]
    future_modifiers: frozenset[str]
    hypothetical_auxiliaries: frozenset[str]
    conditional_markers: frozenset[str]
    negating_governors: frozenset[str]
    hypothetical_governors: frozenset[str]

    @classmethod
    def load(cls, path: Path | None = None) -> ModalityWords:
        path = path or data_path("modality.yaml")
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise DictionaryError(path, None, f"cannot read: {exc}") from exc
        if not isinstance(raw, dict):
            raise DictionaryError(path, None, "expected a mapping of word lists")
        words: dict[str, frozenset[str]] = {}
        for name in cls.__dataclass_fields__:
            value = raw.get(name)
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise DictionaryError(path, None, f"{name!r} must be a list of words")
            words[name] = frozenset(v.lower() for v in value)
        return cls(**words)


# --- framing.yaml -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Frame:
    """A framing.yaml frame: governed event code (longest prefix) -> framed event code."""

    name: str
    codes: tuple[tuple[str, str], ...]
    """(prefix, code) rows, longest prefix first."""
    target: tuple[str, ...]
    rule: str
    known: frozenset[str] | None = None
    """The codebook's codes. A governed code outside them (a user's PETRARCH code) is kept:
    the frame's table says nothing about it."""

    def code_for(self, code: str) -> tuple[str, str]:
        """The framed code for a governed event's code, and the prefix row that gave it."""
        if code and self.known is not None and code not in self.known:
            return code, "kept: outside the codebook"
        for prefix, framed in self.codes:
            if code.startswith(prefix):
                return framed, prefix
        raise KeyError(code)  # pragma: no cover - the loader requires a "" row


@dataclass(frozen=True)
class RootPolicies:
    """Which CAMEO roots some rules of the coder apply to (``framing.yaml``, ``roots``)."""

    statement: frozenset[str]
    """Statements and appeals: what a statement noun's participle says takes its place."""
    violent: frozenset[str]
    """Violence: an attack noun that is a violent verb's subject says how, the verb whom."""
    state_source: frozenset[str]
    """Acts of force whose agentless passive is the act of the state where it happened."""
    one_sided: frozenset[str]
    """Acts whose coordinated sources do not act on each other when nothing names a target."""
    own_force: frozenset[str]
    """Acts whose object may be the source's own forces, passed over as the target."""
    content: frozenset[str]
    """Nouns that are what another event is about when they are its object ("offered to host
    talks", "sought a meeting"), not events of their own."""


@dataclass(frozen=True)
class Framing:
    """Light verbs, frames and root policies (``data/framing.yaml``, docs/dictionaries.md
    "Framing")."""

    light_verbs: frozenset[str]
    frames: Mapping[str, Frame]
    roots: RootPolicies
    modal_frames: Mapping[str, str] = field(default_factory=dict)
    """Modal auxiliary -> frame for a reported act of someone else ("Y must ...": demand)."""
    senses: Senses = field(default_factory=Senses)
    """Contexts in which common triggers have no political sense (sport, business ...)."""
    background: Background = field(default_factory=Background)
    """Words of the rules that tell statistics, states and history from news."""

    @classmethod
    def load(cls, path: Path | None = None, codebook: Codebook | None = None) -> Framing:
        path = path or data_path("framing.yaml")
        root = compose_yaml(path)
        if not isinstance(root, yaml.MappingNode):
            raise DictionaryError(path, node_line(root), "expected a mapping")
        sections = {key.value: value for key, value in root.value}
        light_verbs = _parse_light_verbs(path, sections.get("light_verbs"), node_line(root))
        frames = _parse_frames(path, sections.get("frames"), node_line(root), codebook)
        modal = _parse_modal_frames(path, sections.get("modal_frames"), frames)
        roots = _parse_roots(path, sections.get("roots"), node_line(root))
        senses = parse_senses(path, sections.get("senses"))
        background = parse_background(path, sections.get("background"))
        return cls(
            light_verbs,
            MappingProxyType(frames),
            roots,
            MappingProxyType(modal),
            senses,
            background,
        )


def _parse_light_verbs(path: Path, node: yaml.Node | None, line: int | None) -> frozenset[str]:
    if not isinstance(node, yaml.SequenceNode):
        raise DictionaryError(path, line, "'light_verbs' must be a list of lemmas")
    return frozenset(str(n.value).lower() for n in node.value)


def _parse_frames(
    path: Path, node: yaml.Node | None, line: int | None, codebook: Codebook | None
) -> dict[str, Frame]:
    if not isinstance(node, yaml.MappingNode):
        raise DictionaryError(path, line, "'frames' must be a mapping")
    return {key.value: _parse_frame(path, key, value, codebook) for key, value in node.value}


def _parse_modal_frames(
    path: Path, node: yaml.Node | None, frames: Mapping[str, Frame]
) -> dict[str, str]:
    modal: dict[str, str] = {}
    if node is None:
        return modal
    if not isinstance(node, yaml.MappingNode):
        raise DictionaryError(path, node_line(node), "'modal_frames' must be a mapping")
    for word, frame in node.value:
        if frame.value not in frames:
            raise DictionaryError(path, node_line(frame), f"unknown frame {frame.value!r}")
        modal[str(word.value).lower()] = str(frame.value)
    return modal


def _parse_roots(path: Path, node: yaml.Node | None, line: int | None) -> RootPolicies:
    names = [f.name for f in fields(RootPolicies)]
    if not isinstance(node, yaml.MappingNode):
        where = node_line(node) if node is not None else line
        raise DictionaryError(path, where, "'roots' must map rule names to lists of root codes")
    found: dict[str, frozenset[str]] = {}
    for key, value in node.value:
        if key.value not in names:
            expected = ", ".join(names)
            raise DictionaryError(
                path, node_line(key), f"unknown root rule {key.value!r} (expected {expected})"
            )
        codes = [n.value for n in getattr(value, "value", ()) if isinstance(n, yaml.ScalarNode)]
        if not isinstance(value, yaml.SequenceNode) or not set(codes) <= ROOT_CODES:
            raise DictionaryError(
                path, node_line(value), f"'{key.value}' must list two-digit CAMEO roots (01-20)"
            )
        found[key.value] = frozenset(codes)
    missing = [name for name in names if name not in found]
    if missing:
        raise DictionaryError(path, node_line(node), f"'roots' lacks {', '.join(missing)}")
    return RootPolicies(**found)


def _parse_frame(path: Path, key: yaml.Node, node: yaml.Node, codebook: Codebook | None) -> Frame:
    if not isinstance(node, yaml.MappingNode):
        raise DictionaryError(path, node_line(key), f"frame {key.value!r} must be a mapping")
    parts = {k.value: v for k, v in node.value}
    unknown = set(parts) - FRAME_FIELDS
    if unknown:
        raise DictionaryError(
            path, node_line(key), f"unknown field(s): {', '.join(sorted(unknown))}"
        )
    target = _frame_target(path, key, parts.get("target"))
    rows = _frame_rows(path, key, parts.get("codes"), codebook)
    known = frozenset(c.code for c in codebook) if codebook is not None else None
    return Frame(
        str(key.value), tuple(rows), target, f"{path.name}:{node_line(key)} {key.value}", known
    )


def _frame_target(path: Path, key: yaml.Node, node: yaml.Node | None) -> tuple[str, ...]:
    """Where a frame takes its target from, in order of preference."""
    target = tuple(
        str(n.value) for n in getattr(node, "value", []) if isinstance(n, yaml.ScalarNode)
    )
    if not target or not set(target) <= FRAME_TARGETS:
        raise DictionaryError(
            path,
            node_line(node or key),
            f"'target' must list {', '.join(sorted(FRAME_TARGETS))}",
        )
    return target


def _frame_rows(
    path: Path, key: yaml.Node, node: yaml.Node | None, codebook: Codebook | None
) -> list[tuple[str, str]]:
    """A frame's (prefix, code) rows, longest prefix first."""
    if not isinstance(node, yaml.MappingNode):
        raise DictionaryError(path, node_line(key), "'codes' must map code prefixes to codes")
    rows: list[tuple[str, str]] = []
    for prefix_node, code_node in node.value:
        prefix, code = str(prefix_node.value), str(code_node.value)
        if prefix and not prefix.isdigit() or not (CAMEO_CODE.match(code) or code == KEEP_CODE):
            raise DictionaryError(
                path, node_line(prefix_node), f'expected "PREFIX": "CODE", not {prefix!r}: {code!r}'
            )
        if codebook is not None and code != KEEP_CODE and code not in codebook:
            raise DictionaryError(
                path, node_line(code_node), f"code {code!r} is not in the codebook"
            )
        rows.append((prefix, code))
    if "" not in dict(rows):
        raise DictionaryError(path, node_line(key), 'a frame needs a default "" row')
    rows.sort(key=lambda row: -len(row[0]))
    return rows
