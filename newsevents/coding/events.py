"""Stage 4, events: find event triggers with the verb dictionary and code them in CAMEO.

The dictionary (``data/verbs.yaml``, format in docs/dictionaries.md) maps trigger lemmas (verbs,
event nouns such as "visit" or "sanctions") with optional constraints to CAMEO codes. For each
trigger the coder takes the source and target from dependency slots (subject, object,
prepositional objects, possessors), follows control and coordination (``promised to continue``,
``Russia and Japan``), and records negation and modality.

Framing (``data/framing.yaml``) joins a framing verb and the event it governs into one event:
"refused to sign" is a rejection (127), "urged Tokyo to discuss" an appeal to meet (026),
"threatened to impose sanctions" a threat (1312). Reporting verbs code the event in their clause
when there is one ("X said Y attacked Z" is an attack); a speaker's own future act is an intent
("Russia said it would cooperate" is 032); otherwise the report is a statement, refined by the
comment words found in the reported clause ("no expectations" makes a pessimistic comment).
Each sentence's principal event (``is_root``) is the asserted event nearest the root of the
dependency tree.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from types import MappingProxyType

import yaml
from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from newsevents.codebook import Codebook
from newsevents.coding.actors import country_is_inferred
from newsevents.dictionaries import CAMEO_CODE, compose_yaml, data_path, read_yaml_entries
from newsevents.errors import DictionaryError
from newsevents.model import Actor, Event, Modality, Span

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
SUBJECT_DEPS = frozenset({"nsubj", "csubj"})
PASSIVE_SUBJECT_DEPS = frozenset({"nsubjpass", "csubjpass"})
OBJECT_DEPS = frozenset({"dobj", "obj", "nsubjpass", "attr", "oprd"})
PARTICLE_DEPS = frozenset({"prt", "prep", "advmod"})
CONTROL_DEPS = frozenset(
    {"xcomp", "pcomp", "advcl", "acl", "conj", "relcl", "ccomp", "prep", "pobj", "acomp"}
)
"""Links followed upwards to find an argument a trigger does not have itself."""
CLAUSE_DEPS = frozenset({"ccomp", "advcl", "relcl", "parataxis"})
"""Links that start a clause with its own subject: arguments are not inherited across them."""
REPORTED_DEPS = frozenset({"ccomp", "parataxis"})
COMPLEMENT_DEPS = frozenset({"xcomp", "ccomp"})
OBJECT_PREPOSITIONS = frozenset({"of", "for", "over", "about"})
OWNER_PREPOSITIONS = frozenset({"of", "from", "by", "for", "in", "with"})
"""Prepositions that name the actor behind a non-actor phrase ("the request from X")."""
HOLDER_PARTICIPLES = frozenset(
    {"held", "controlled", "occupied", "run", "dominated", "based"}
    | {"brokered", "mediated", "proposed", "drafted", "imposed"}
    | {"backed", "sponsored", "funded", "supported"}
)
"""``X-held``, ``X-brokered`` and the like before a thing name the actor who holds, made or
backs it: "the rebel-held enclave" is the rebels', "a UN-brokered ceasefire" the UN's (the
parser splits the hyphen, so X is the participle's own modifier). Not ``-led``: "the Saudi-led
coalition" is an actor itself (docs/actors.md, "Leaders and bases")."""
COMPLEMENT_PREPOSITIONS = frozenset({"for", "of", "on", "upon", "to", "against", "about", "into"})
"""Prepositions whose object a framing word governs ("called for talks", "accused of")."""
CONTROLLING_PREPOSITIONS = frozenset({"for", "of", "on", "upon", "to", "against", "from", "with"})
"""A verb controls the act in its prepositional object ("prepare for the visit", "accused of
the raid", "refrained from attacking")."""
PARTICLE_DISTANCE = 3
"""A required particle or preposition must follow its verb within this many tokens."""
PATTERN_STOPWORDS = frozenset(
    {
        "a",
        "an",
        "the",
        "of",
        "on",
        "to",
        "for",
        "in",
        "against",
        "over",
        "with",
        "by",
        "from",
        "at",
        "into",
        "his",
        "her",
        "its",
        "their",
    }
)
"""Words an object pattern may contain for readability that need not occur in the text."""
"""Prepositions whose object counts as an object of the verb when attached to its direct
object ("accused the minister of corruption")."""
SPEAKER_PRONOUNS = frozenset({"it", "we", "they", "i"})
SUBJECT_PRONOUNS = SPEAKER_PRONOUNS | {"he", "she"}
PERSON_PRONOUNS = frozenset({"he", "she", "him", "his", "her"})
COPULAS = frozenset({"be", "remain", "become"})
MISSION_NOUNS = frozenset({"mission", "missions", "force", "forces", "operation", "operations"})
"""Heads of an international body's deployed missions: the country they serve is the target."""
DESTINATION_SLOTS = ("to", "into")
"""Where an infinitive of purpose is sent: "sent experts to Qatar to investigate" targets
Qatar when nothing below the infinitive names a party."""
PLACE_PREPOSITIONS = frozenset({"in", "at", "near", "inside", "outside", "across", "throughout"})
RESPONSIBLE = frozenset({"responsible", "guilty", "culpable", "accountable", "liable"})
"""Adjectives whose subject did the act their prepositional object names ("X is responsible for
the killings"): the copula carries the event noun like a light verb."""
LOCATION_TARGET_SLOTS = ("in", "at")
"""Last resort for a target: where the act took place ("imposed a curfew in Colombo"); never
when coordinated sources act on each other ("Russia and Japan met in Moscow")."""
DESCENT_DEPS = frozenset(
    {"dobj", "obj", "dative", "prep", "pobj", "pcomp", "attr", "oprd", "npadvmod"}
    | {"xcomp", "advcl", "acl"}
    | {"agent"}  # "rejected the resolution proposed by the Council": the thing's author
    | {"appos"}  # "denounced as a crime Serbia's crackdown": another name of the same thing
)
"""Dependencies followed down from a trigger when no slot names a target ("provides aid to
the Palestinian people", "funds to support peace building in Colombia")."""
TOPIC_PREPOSITIONS = frozenset({"about", "regarding", "concerning"})
"""Prepositions of a topic that the descent does not enter ("optimism about the talks with
Canada" has no target)."""
CONCESSIVE_PREPOSITIONS = frozenset({"despite", "notwithstanding"})
"""``agreed to the extension despite Israel's wish``: whose wish is no party of the act."""
POSSESSIVE_PRONOUNS = frozenset(
    {"his", "her", "its", "their", "our", "my", "he", "she", "it", "they", "we", "him", "them"}
)
MAX_REMEMBERED_WORDS = 200_000
"""Word forms whose verb entries a coder remembers (then it starts afresh)."""
NOMINAL_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "obj", "pobj", "attr", "appos", "ROOT"})
KEEP_CODE = "inner"
"""A frame row whose code is this keeps the governed event's own code ("ordered the release")."""
SPEAKER_INTENT_FRAME = "intent"
SPEAKER_REFUSAL_FRAME = "refusal"
NEAR_TOKENS = 4
"""A framed event's trigger span runs from the framing word to the governed word when they are
at most this many tokens apart ("refused to sign")."""


# --- the dictionaries -------------------------------------------------------------------------


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


@dataclass(frozen=True)
class ModalityWords:
    """The words that mark negation, the future and hypotheticals (``data/modality.yaml``)."""

    negators: frozenset[str]
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
class Framing:
    """Light verbs, frames and root policies (``data/framing.yaml``, docs/dictionaries.md
    "Framing")."""

    light_verbs: frozenset[str]
    frames: Mapping[str, Frame]
    roots: RootPolicies
    modal_frames: Mapping[str, str] = field(default_factory=dict)
    """Modal auxiliary -> frame for a reported act of someone else ("Y must ...": demand)."""

    @classmethod
    def load(cls, path: Path | None = None, codebook: Codebook | None = None) -> Framing:
        path = path or data_path("framing.yaml")
        root = compose_yaml(path)
        if not isinstance(root, yaml.MappingNode):
            raise DictionaryError(path, _line(root), "expected a mapping")
        sections = {key.value: value for key, value in root.value}
        light = sections.get("light_verbs")
        if not isinstance(light, yaml.SequenceNode):
            raise DictionaryError(path, _line(root), "'light_verbs' must be a list of lemmas")
        frames_node = sections.get("frames")
        if not isinstance(frames_node, yaml.MappingNode):
            raise DictionaryError(path, _line(root), "'frames' must be a mapping")
        frames = {
            key.value: _parse_frame(path, key, node, codebook) for key, node in frames_node.value
        }
        modal_node = sections.get("modal_frames")
        modal: dict[str, str] = {}
        if modal_node is not None:
            if not isinstance(modal_node, yaml.MappingNode):
                raise DictionaryError(path, _line(modal_node), "'modal_frames' must be a mapping")
            for word, frame in modal_node.value:
                if frame.value not in frames:
                    raise DictionaryError(path, _line(frame), f"unknown frame {frame.value!r}")
                modal[str(word.value).lower()] = str(frame.value)
        light_verbs = frozenset(str(n.value).lower() for n in light.value)
        roots = _parse_roots(path, sections.get("roots"), _line(root))
        return cls(light_verbs, MappingProxyType(frames), roots, MappingProxyType(modal))


ROOT_CODES = frozenset(f"{n:02d}" for n in range(1, 21))


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


def _parse_roots(path: Path, node: yaml.Node | None, line: int | None) -> RootPolicies:
    names = [f.name for f in fields(RootPolicies)]
    if not isinstance(node, yaml.MappingNode):
        where = _line(node) if node is not None else line
        raise DictionaryError(path, where, "'roots' must map rule names to lists of root codes")
    found: dict[str, frozenset[str]] = {}
    for key, value in node.value:
        if key.value not in names:
            expected = ", ".join(names)
            raise DictionaryError(
                path, _line(key), f"unknown root rule {key.value!r} (expected {expected})"
            )
        codes = [n.value for n in getattr(value, "value", ()) if isinstance(n, yaml.ScalarNode)]
        if not isinstance(value, yaml.SequenceNode) or not set(codes) <= ROOT_CODES:
            raise DictionaryError(
                path, _line(value), f"'{key.value}' must list two-digit CAMEO roots (01-20)"
            )
        found[key.value] = frozenset(codes)
    missing = [name for name in names if name not in found]
    if missing:
        raise DictionaryError(path, _line(node), f"'roots' lacks {', '.join(missing)}")
    return RootPolicies(**found)


def _line(node: yaml.Node | None) -> int | None:
    return node.start_mark.line + 1 if node is not None else None


def _parse_frame(path: Path, key: yaml.Node, node: yaml.Node, codebook: Codebook | None) -> Frame:
    if not isinstance(node, yaml.MappingNode):
        raise DictionaryError(path, _line(key), f"frame {key.value!r} must be a mapping")
    fields = {k.value: v for k, v in node.value}
    unknown = set(fields) - {"note", "target", "codes"}
    if unknown:
        raise DictionaryError(path, _line(key), f"unknown field(s): {', '.join(sorted(unknown))}")
    target_node = fields.get("target")
    target = tuple(
        str(n.value) for n in getattr(target_node, "value", []) if isinstance(n, yaml.ScalarNode)
    )
    if not target or not set(target) <= FRAME_TARGETS:
        raise DictionaryError(
            path,
            _line(target_node or key),
            f"'target' must list {', '.join(sorted(FRAME_TARGETS))}",
        )
    codes_node = fields.get("codes")
    if not isinstance(codes_node, yaml.MappingNode):
        raise DictionaryError(path, _line(key), "'codes' must map code prefixes to codes")
    rows: list[tuple[str, str]] = []
    for prefix_node, code_node in codes_node.value:
        prefix, code = str(prefix_node.value), str(code_node.value)
        if prefix and not prefix.isdigit() or not (CAMEO_CODE.match(code) or code == KEEP_CODE):
            raise DictionaryError(
                path, _line(prefix_node), f'expected "PREFIX": "CODE", not {prefix!r}: {code!r}'
            )
        if codebook is not None and code != KEEP_CODE and code not in codebook:
            raise DictionaryError(path, _line(code_node), f"code {code!r} is not in the codebook")
        rows.append((prefix, code))
    if "" not in dict(rows):
        raise DictionaryError(path, _line(key), 'a frame needs a default "" row')
    rows.sort(key=lambda row: -len(row[0]))
    known = frozenset(c.code for c in codebook) if codebook is not None else None
    return Frame(
        str(key.value), tuple(rows), target, f"{path.name}:{_line(key)} {key.value}", known
    )


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
                if codebook is not None and entry.code not in codebook:
                    raise DictionaryError(path, line, f"code {entry.code!r} is not in the codebook")
                if entry.frame is not None and entry.frame not in known_frames:
                    raise DictionaryError(path, line, f"unknown frame {entry.frame!r}")
                if entry.id in by_id and path == data_path("verbs.yaml"):
                    raise DictionaryError(path, line, f"duplicate id {entry.id!r}")
                by_id[entry.id] = entry
        return cls(list(by_id.values()))

    def candidates(self, lemma: str) -> tuple[VerbEntry, ...]:
        return self._by_lemma.get(lemma, ())

    @property
    def lemmas(self) -> frozenset[str]:
        return frozenset(self._by_lemma)


def parse_verb_entry(raw: Mapping[str, object], path: Path, line: int) -> VerbEntry:
    """Validate one YAML mapping into a :class:`VerbEntry`."""

    def fail(message: str) -> DictionaryError:
        return DictionaryError(path, line, message)

    unknown = set(raw) - ENTRY_FIELDS
    if unknown:
        raise fail(f"unknown field(s): {', '.join(sorted(unknown))}")
    entry_id, code = raw.get("id"), raw.get("code")
    if not isinstance(entry_id, str) or not entry_id:
        raise fail("'id' must be a non-empty string")
    if not isinstance(code, str) or not CAMEO_CODE.match(code):
        raise fail(f"'code' must be a quoted CAMEO code such as \"042\", not {code!r}")
    lemmas = _words(raw.get("lemma"), "lemma", fail)
    if not lemmas:
        raise fail("'lemma' is required")
    if any(not lemma or " " in lemma for lemma in lemmas):
        raise fail("each 'lemma' must be a single word (put other words in 'object' or 'particle')")
    pos = frozenset(w.upper() for w in _words(raw.get("pos", "VERB"), "pos", fail))
    if not pos <= POS_TAGS:
        raise fail(f"'pos' must be among {', '.join(sorted(POS_TAGS))}")
    kind = raw.get("kind", "event")
    if kind not in KINDS:
        raise fail(f"'kind' must be one of {', '.join(sorted(KINDS))}")
    particles = _words(raw.get("particle"), "particle", fail)
    negated = raw.get("negated")
    if negated is not None and not isinstance(negated, bool):
        raise fail("'negated' must be true or false")
    frame = raw.get("frame")
    if frame is not None and not isinstance(frame, str):
        raise fail("'frame' must be the name of a framing.yaml frame")
    voice = raw.get("voice")
    if voice not in (None, "active", "passive"):
        raise fail("'voice' must be active or passive")
    examples = raw.get("examples", [])
    if not isinstance(examples, list) or not all(isinstance(e, str) for e in examples):
        raise fail("'examples' must be a list of sentences")
    return VerbEntry(
        id=entry_id,
        code=code,
        lemmas=frozenset(lemmas),
        pos=pos,
        kind=str(kind),
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
        voice=voice if isinstance(voice, str) else None,
        unless_objects=frozenset(_words(raw.get("unless_object"), "unless_object", fail)),
    )


def _words(value: object, name: str, fail: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value.lower()]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [v.lower() for v in value]
    raise fail(f"{name!r} must be a word or a list of words")  # type: ignore[operator]


# --- coding -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Trigger:
    """A token that matched a dictionary entry."""

    token: Token
    entry: VerbEntry


@dataclass(frozen=True)
class _Candidate:
    """An event before it becomes an :class:`Event`: where it sits, what it codes, who."""

    anchor: Token
    """The token whose place in the tree ranks the event (the framing word of a framed event)."""
    tokens: tuple[Token, ...]
    """The words of the trigger span."""
    code: str
    source: Actor | None
    target: Actor | None
    rule: str
    modality: Modality


class EventCoder:
    """Codes the events of a parsed article, given its resolved actors."""

    def __init__(
        self,
        verbs: VerbDictionary,
        codebook: Codebook,
        words: ModalityWords,
        framing: Framing | None = None,
    ) -> None:
        self.verbs = verbs
        self.codebook = codebook
        self.words = words
        self.framing = framing or Framing.load(codebook=codebook)
        self._entries: dict[tuple[str, str], tuple[VerbEntry, ...]] = {}
        """(word, lemma) -> the verb entries its forms name: most words name none."""

    def __call__(self, doc: Doc, actors: Mapping[int, Actor], article_id: str) -> tuple[Event, ...]:
        events: list[Event] = []
        for index, sentence in enumerate(doc.sents):
            triggers = {t.token.i: t for t in map(self._match, sentence) if t is not None}
            candidates = _Sentence(self, triggers, actors).candidates()
            events.extend(self._events(article_id, index, sentence, candidates))
        return tuple(events)

    # --- finding triggers ---------------------------------------------------------------

    def _match(self, token: Token) -> Trigger | None:
        best: tuple[int, VerbEntry] | None = None
        entries = self._entries_for(token)
        pos = word_class(token) if entries else ""
        for entry in entries:
            score = self._fit(token, entry, pos)
            if score is not None and (best is None or score > best[0]):
                best = (score, entry)
        return Trigger(token, best[1]) if best else None

    def _entries_for(self, token: Token) -> tuple[VerbEntry, ...]:
        """The entries of the token's forms (``lemmas``: a function of its word and lemma),
        remembered per pipeline."""
        key = (token.lower_, token.lemma_)
        found = self._entries.get(key)
        if found is None:
            forms = lemmas(token)
            found = tuple(dict.fromkeys(e for f in forms for e in self.verbs.candidates(f)))
            if len(self._entries) >= MAX_REMEMBERED_WORDS:
                self._entries.clear()
            self._entries[key] = found
        return found

    def _fit(self, token: Token, entry: VerbEntry, pos: str) -> int | None:
        """How specifically the entry fits the token (whose :func:`word_class` is ``pos``), or
        None when a constraint fails. The checks run in turn and stop at the first that fails."""
        if pos not in entry.pos and not (pos == "AUX" and "VERB" in entry.pos):
            return None
        checks: tuple[Callable[[], int | bool | None], ...] = (
            lambda: self._fits_particle(token, entry, pos),
            lambda: _fits_objects(token, entry.objects),
            lambda: _fits_xcomp(token, entry.xcomps),
            lambda: _fits_governor(token, entry.governors),
            lambda: None if entry.negated is None else self._is_negated(token) == entry.negated,
            lambda: None if entry.voice is None else _voice(token) == entry.voice,
            lambda: (
                None if not entry.unless_objects else not _fits_objects(token, entry.unless_objects)
            ),
            lambda: _fits_sequences(token, entry.preceding, before=True),
            lambda: _fits_sequences(token, entry.following, before=False),
            lambda: _fits_coordinated(token, entry.coordinated),
        )
        score = 0
        for check in checks:
            fit = check()
            if fit is False:
                return None
            score += int(fit or 0)
        return score

    def _fits_particle(self, token: Token, entry: VerbEntry, pos: str) -> bool | None:
        """A required particle must be there; a verb with a particle the entry does not name is
        another verb ("call off" is not "call")."""
        particles = entry.particles
        children = list(token.children)
        if particles:  # after the verb: "called on X", not "On Monday, X called Y"
            return any(
                c.lower_ in particles and c.dep_ in PARTICLE_DEPS and _particle_place(token, c)
                for c in children
            )
        if pos in {"VERB", "AUX"} and any(c.dep_ == "prt" and not _quantity(c) for c in children):
            return False
        return None

    # --- turning candidates into events --------------------------------------------------

    def _events(
        self,
        article_id: str,
        index: int,
        sentence: SpacySpan,
        candidates: Sequence[_Candidate],
    ) -> Iterator[Event]:
        kept: list[_Candidate] = []
        seen: set[tuple[int, str, str | None, str | None]] = set()
        principal = _root_candidate(candidates)
        for candidate in candidates:
            source, target = candidate.source, candidate.target
            actorless = target is None or word_class(candidate.anchor) == "NOUN"
            if source is None and candidate.anchor != principal and actorless:
                continue  # an actorless event is kept only as the sentence's principal one
            if source is not None and target is not None and target == source:
                continue
            key = (
                candidate.anchor.i,
                candidate.code,
                source.code if source else None,
                target.code if target else None,
            )
            if key not in seen:
                seen.add(key)
                kept.append(candidate)
        root = _root_candidate(kept)
        for candidate in kept:
            yield self._event(article_id, index, sentence, candidate, candidate.anchor == root)

    def _event(
        self,
        article_id: str,
        index: int,
        sentence: SpacySpan,
        candidate: _Candidate,
        is_root: bool,
    ) -> Event:
        cameo = self.codebook.get(candidate.code)
        # None for a code outside CAMEO: only a user's PETRARCH dictionary gives one
        doc = candidate.anchor.doc
        first = doc[min(t.i for t in candidate.tokens)]
        last = doc[max(t.i for t in candidate.tokens)]
        start, end = first.idx, last.idx + len(last.text)
        text = doc[first.i : last.i + 1].text  # doc.text[start:end], without joining every token
        source, target = candidate.source, candidate.target
        return Event(
            id=event_id(article_id, index, start, candidate.code, source, target),
            article_id=article_id,
            code=candidate.code,
            name=cameo.name if cameo else None,
            root_code=cameo.root if cameo else None,
            quad_class=cameo.quad_class if cameo else None,
            penta_class=cameo.penta_class if cameo else None,
            goldstein=cameo.goldstein if cameo else None,
            plover_event=cameo.plover_event if cameo else None,
            plover_mode=cameo.plover_mode if cameo else None,
            source=source,
            target=target,
            date=None,
            modality=candidate.modality,
            is_root=is_root,
            location=None,
            sentence_index=index,
            sentence=sentence.text.strip(),
            trigger=Span(start, end, text),
            rule=candidate.rule,
        )

    # --- modality -----------------------------------------------------------------------

    def modality(self, token: Token) -> Modality:
        """Negated, future, hypothetical or asserted, from the trigger and the words that
        control it (``refused to sign``, ``will visit``, ``prepare for ... visit``)."""
        negated, future, hypothetical = self.modal_flags(token)
        if negated:
            return "negated"
        if hypothetical:
            return "hypothetical"
        if future:
            return "future"
        return "asserted"

    def modal_flags(self, token: Token) -> tuple[bool, bool, bool]:
        """(negated, future, hypothetical) for a trigger: "would not sign" is negated and
        hypothetical, "will not visit" negated and future."""
        chain = _controllers(token)
        words = self.words
        negated = any(self._is_negated(t) for t in chain) or any(
            _has_lemma(t, words.negating_governors) for t in chain[1:]
        )
        hypothetical = any(_has_lemma(t, words.hypothetical_governors) for t in chain[1:])
        future = False
        for node in chain:
            auxes = {c.lower_ for c in node.children if c.dep_ in {"aux", "auxpass"}}
            conditional = any(
                c.dep_ == "mark" and c.lower_ in words.conditional_markers for c in node.children
            )
            if auxes & words.hypothetical_auxiliaries or conditional:
                hypothetical = True
                break
            if auxes & words.future_auxiliaries or (
                node.i != token.i and _has_lemma(node, words.future_governors)
            ):
                future = True
                break
        if any(c.lower_ in words.future_modifiers for c in token.children if c.dep_ == "amod"):
            future = True
        return negated, future, hypothetical

    def _is_negated(self, token: Token) -> bool:
        return any(
            (c.dep_ == "neg") or (c.dep_ in {"det", "advmod"} and c.lower_ in self.words.negators)
            for c in token.children
        )


class _Sentence:
    """The coding of one sentence: frames, reports, arguments, then candidates."""

    def __init__(
        self, coder: EventCoder, triggers: Mapping[int, Trigger], actors: Mapping[int, Actor]
    ) -> None:
        self.coder = coder
        self.triggers = triggers
        self.actors = actors
        self.light_verbs = coder.framing.light_verbs
        self.roots = coder.framing.roots
        self.inner_of: dict[int, int] = {}
        """framing token index -> governed trigger index."""
        for trigger in triggers.values():
            entry = trigger.entry
            if entry.frame and entry.kind == "event" and not (entry.objects or entry.xcomps):
                inner = self._complement(trigger.token)
                if inner is not None and inner.i not in self.inner_of.values():
                    self.inner_of[trigger.token.i] = inner.i
        self.means_of: dict[int, int] = {}
        """violent verb index -> the attack noun that is its subject ("the car bomb killed")."""
        for trigger in triggers.values():
            means = self._means(trigger)
            if means is not None:
                self.means_of[trigger.token.i] = means.i
        self.framed = (
            set(self.inner_of.values())
            | set(self.means_of.values())
            | {t.i for trigger in triggers.values() for t in self._absorbed(trigger)}
        )
        self.reported: dict[int, int] = {}
        """token index -> index of the report that reports it."""
        for trigger in triggers.values():
            if trigger.entry.kind == "report":
                for token in _reported_tokens(trigger.token):
                    self.reported.setdefault(token.i, trigger.token.i)

    def candidates(self) -> list[_Candidate]:
        found: list[_Candidate] = []
        replaced_reports: set[int] = set()
        for trigger in self.triggers.values():
            if trigger.entry.kind != "event" or trigger.token.i in self.framed:
                continue
            for candidate in self._event_candidates(trigger):
                report = self.reported.get(candidate.anchor.i)
                if report is not None:
                    candidate, replaces = self._in_report(candidate, trigger, report)
                    if replaces:
                        replaced_reports.add(report)
                found.append(candidate)
        for trigger in self.triggers.values():
            if trigger.entry.kind == "report" and trigger.token.i not in replaced_reports:
                found.extend(self._statement(trigger))
        found.extend(self._governed_acts())
        return self._statement_contents(found)

    def _statement_contents(self, found: list[_Candidate]) -> list[_Candidate]:
        """The act a statement noun's participle names ("issued a declaration demanding that X
        ...") is what the statement says, so it takes the statement's place (and its word as
        anchor, so that it is as near the root as the statement was)."""
        contents = {
            id(c): c.anchor.head
            for c in found
            if c.source is not None
            and _content_participle(c.anchor, c.anchor.head)
            and any(
                s.anchor.i == c.anchor.head.i and s.code[:2] in self.roots.statement for s in found
            )
        }
        said = {noun.i for noun in contents.values()}
        kept = []
        for c in found:
            noun = contents.get(id(c))
            if noun is not None:
                kept.append(replace(c, anchor=noun, tokens=(noun, *c.tokens)))
            elif not (c.anchor.i in said and c.code[:2] in self.roots.statement):
                kept.append(c)
        return kept

    def _governed_acts(self) -> list[_Candidate]:
        """The acts that frames and constraints folded into another event, kept as events of
        their own when they did not happen as told: "refused to sign" (negated), "urged Tokyo
        to discuss" (hypothetical), "accused Mordor of a raid" (alleged, hypothetical)."""
        found = []
        for index in sorted(self.framed - set(self.means_of.values())):
            trigger = self.triggers[index]
            if trigger.entry.kind != "event" or self.coder.modality(trigger.token) == "asserted":
                continue
            doer = self._doer(trigger.token)
            for candidate in self._event_candidates(trigger):
                if doer is not None and (candidate.source is None or candidate.source == doer[1]):
                    candidate = replace(candidate, source=doer[0])
                found.append(candidate)
        return found

    def _doer(self, token: Token) -> tuple[Actor | None, Actor | None] | None:
        """(who would do a folded act, the folding event's source): the addressee of an
        appeal, demand or accusation ("accused Mordor of a raid": the raid is Mordor's), else
        the folding event's own source ("threatened Ukraine with sanctions")."""
        for trigger in self.triggers.values():
            folded = self.inner_of.get(trigger.token.i) == token.i or any(
                t.i == token.i for t in self._absorbed(trigger)
            )
            if not folded:
                continue
            pairs = self._arguments(trigger, self._speaker_for(trigger.token))
            source = pairs[0][0] if pairs else None
            frame = self.coder.framing.frames.get(str(trigger.entry.frame))
            if frame is not None and "inner-source" in frame.target:
                targets = [t for _, t in pairs if t is not None]
                return (targets[0] if targets else None), source
            return source, None
        return None

    # --- frames -----------------------------------------------------------------------------

    def _complement(self, token: Token) -> Token | None:
        """The event a framing word governs: its infinitive or clausal complement, its object,
        or the object of its preposition; through a light verb ("agreed to hold talks")."""
        for child in _complements(token):
            found = self._event_at(child)
            if found is not None:
                return found
        for child in token.children:
            if child.dep_ in OBJECT_DEPS - {"nsubjpass"}:
                found = self._event_at(child)
                if found is not None:
                    return found
            if (
                child.dep_ in {"prep", "agent"}
                and child.i > token.i
                and child.lower_ in COMPLEMENT_PREPOSITIONS
            ):
                for grandchild in child.children:
                    if grandchild.dep_ in {"pobj", "pcomp"}:
                        found = self._event_at(grandchild)
                        if found is not None:
                            return found
        return None

    def _absorbed(self, trigger: Trigger) -> list[Token]:
        """Event words an entry names in its own constraints ("lift" + object "sanction",
        "refuse" + xcomp "sign"): part of that entry's event, not events of their own."""
        entry = trigger.entry
        if entry.kind != "event" or not (entry.objects or entry.xcomps):
            return []
        named = [o for o in _objects_of(trigger.token) if _matches_any(o, entry.objects)]
        named += [c for c in _complements(trigger.token) if _has_lemma(c, entry.xcomps)]
        return [t for t in named if t.i in self.triggers and t.i != trigger.token.i]

    def _means(self, trigger: Trigger) -> Token | None:
        """An attack noun that is the subject of a violent verb: the noun says how, the verb
        whom ("the suicide attack by the group killed fifty people")."""
        if trigger.entry.kind != "event" or trigger.entry.code[:2] not in self.roots.violent:
            return None
        for child in trigger.token.children:
            noun = self.triggers.get(child.i)
            if (
                child.dep_ in SUBJECT_DEPS
                and noun is not None
                and noun.entry.kind == "event"
                and noun.entry.code[:2] in self.roots.violent
            ):
                return child
        return None

    def _event_at(self, token: Token) -> Token | None:
        trigger = self.triggers.get(token.i)
        if trigger is not None and trigger.entry.kind == "event":
            return token
        if _has_lemma(token, self.light_verbs):
            for child in token.children:
                if child.dep_ in {"dobj", "obj"}:
                    inner = self.triggers.get(child.i)
                    if inner is not None and inner.entry.kind == "event":
                        return child
        return None

    def _event_candidates(self, trigger: Trigger) -> list[_Candidate]:
        inner_index = self.inner_of.get(trigger.token.i)
        if inner_index is not None:
            return self._framed(trigger, self.triggers[inner_index])
        means_index = self.means_of.get(trigger.token.i)
        if means_index is not None:
            return self._with_means(trigger, self.triggers[means_index])
        return self._plain(trigger)

    def _with_means(self, verb: Trigger, means: Trigger) -> list[_Candidate]:
        """The attack noun's code and source, the verb's target."""
        speaker = self._speaker_for(verb.token)
        targets = [t for _, t in self._arguments(verb, speaker) if t is not None]
        rule = f"{means.entry.rule} + {verb.entry.rule} (means and result)"
        tokens = (means.token, verb.token)
        modality = self.coder.modality(verb.token)
        return [
            _Candidate(verb.token, tokens, means.entry.code, source, target, rule, modality)
            for source, own in self._arguments(means, speaker)
            for target in [own or (targets[0] if targets else None)]
        ]

    def _plain(self, trigger: Trigger, speaker: Actor | None = None) -> list[_Candidate]:
        modality = self.coder.modality(trigger.token)
        tokens = _trigger_tokens(trigger.token, trigger.entry)
        pairs = self._arguments(trigger, self._speaker_for(trigger.token))
        entry = trigger.entry
        plain = [
            _Candidate(trigger.token, tokens, entry.code, s, t, entry.rule, modality)
            for s, t in pairs
        ]
        if entry.reverse_code:  # the target's side of the same act ("arrived in": 032, 033)
            rule = f"{entry.rule} (reverse)"
            plain += [
                _Candidate(trigger.token, tokens, entry.reverse_code, t, s, rule, modality)
                for s, t in pairs
                if s is not None and t is not None
            ]
        return plain

    def _framed(self, outer: Trigger, inner: Trigger) -> list[_Candidate]:
        frame = self.coder.framing.frames[str(outer.entry.frame)]
        inner_code = self._governed_code(inner)
        code, prefix = frame.code_for(inner_code)
        if code == KEEP_CODE:
            code = inner_code
        rule = (
            f"{outer.entry.rule} + {inner.entry.rule} "
            f"({frame.rule}: {prefix or 'default'} -> {code})"
        )
        speaker = self._speaker_for(outer.token)
        inner_pairs = self._arguments(inner, speaker)
        tokens = _trigger_tokens(outer.token, outer.entry)
        if 0 < inner.token.i - outer.token.i <= NEAR_TOKENS:
            tokens = (*tokens, inner.token)
        modality = self.coder.modality(outer.token)
        found = []
        for source, own_target in self._arguments(outer, speaker):
            target = _pick_target(frame.target, own_target, inner_pairs, source)
            found.append(_Candidate(outer.token, tokens, code, source, target, rule, modality))
        return found

    def _governed_code(self, inner: Trigger) -> str:
        """The code of a governed event; a governed frame codes as its own frame would."""
        nested = self.inner_of.get(inner.token.i)
        if nested is None or inner.entry.frame is None:
            return inner.entry.code
        frame = self.coder.framing.frames[inner.entry.frame]
        nested_code = self.triggers[nested].entry.code
        code = frame.code_for(nested_code)[0]
        return nested_code if code == KEEP_CODE else code

    # --- reports ----------------------------------------------------------------------------

    def _in_report(
        self, candidate: _Candidate, trigger: Trigger, report: int
    ) -> tuple[_Candidate, bool]:
        """An event in a reported clause, and whether it replaces the report as the event:

        - "X said Y must/should do Z": X demands (appeals) that Y does Z (framing.yaml
          ``modal_frames``);
        - a future or hypothetical act of the speaker ("Russia said it would cooperate"), or a
          definite future act of anyone ("Y will visit Z, X said"): an intent (negated: a
          refusal);
        - an asserted act: the act itself ("X said Y attacked Z");
        - anything else leaves the report a statement.
        """
        if _in_relative_clause(candidate.anchor, report):  # "... to Macedonia, which is
            return candidate, False  # preparing an offensive, the paper said": not the report
        speaker = self._speaker(report)
        if _speaker_pronoun(candidate.source, speaker):  # "X announced that he ...": X as named
            candidate = replace(candidate, source=speaker)
        negated, future, hypothetical = self.coder.modal_flags(candidate.anchor)
        if (future or hypothetical) and self._governed_by_event(candidate.anchor):
            return candidate, False  # "a judge ordered X to appear for questioning, Y said"
        by_speaker = self._by_speaker(candidate, trigger, speaker)
        modal = self._modal_frame(candidate.anchor)
        if modal is not None and not by_speaker and candidate.source is not None:
            demanded = replace(candidate, source=speaker, target=candidate.source)
            return self._reframe(demanded, report, modal), True
        if future or hypothetical:
            if by_speaker or (future and not hypothetical):
                name = SPEAKER_REFUSAL_FRAME if negated else SPEAKER_INTENT_FRAME
                source = candidate.source or speaker
                return self._reframe(replace(candidate, source=source), report, name), True
            return candidate, False
        if candidate.modality != "asserted":
            return candidate, False
        if candidate.source is not None:
            return candidate, True
        replaces = (  # "a bomb killed eight people, officials said"
            (candidate.target is not None or speaker is None)
            and word_class(candidate.anchor) != "NOUN"
            and candidate.code[:2] not in self.roots.statement
        )
        return candidate, replaces

    def _governed_by_event(self, token: Token) -> bool:
        """Whether an event word of the clause controls the act ("ordered X to appear for
        questioning"): the act is that event's content, not the speaker's intent."""
        return any(
            node.i in self.triggers and self.triggers[node.i].entry.kind == "event"
            for node in _controllers(token)[1:]
        )

    def _by_speaker(self, candidate: _Candidate, trigger: Trigger, speaker: Actor | None) -> bool:
        """Whether the reported act is the speaker's own: same side, or a pronoun subject
        ("the party said it would boycott the vote")."""
        if candidate.source is not None:
            return speaker is None or _same_side(candidate.source, speaker)
        subjects = _slot_tokens(trigger.token, "subject", self.light_verbs)
        subjects = subjects or _inherited(trigger.token, "subject", self.light_verbs)
        return any(t.lower_ in SPEAKER_PRONOUNS for t in subjects)

    def _modal_frame(self, token: Token) -> str | None:
        """The frame a modal of the reported act calls for ("must" -> demand)."""
        for node in _controllers(token):
            for child in node.children:
                if child.dep_ == "aux":
                    frame = self.coder.framing.modal_frames.get(child.lower_)
                    if frame is not None:
                        return frame
        return None

    def _reframe(self, candidate: _Candidate, report: int, name: str) -> _Candidate:
        """Recode a reported act through a frame; the report's word anchors it."""
        frame = self.coder.framing.frames[name]
        code, prefix = frame.code_for(candidate.code)
        if code == KEEP_CODE:
            code = candidate.code
        report_trigger = self.triggers[report]
        rule = (
            f"{report_trigger.entry.rule} + {candidate.rule} "
            f"({frame.rule}: {prefix or 'default'} -> {code})"
        )
        return replace(
            candidate,
            anchor=report_trigger.token,
            code=code,
            rule=rule,
            modality=self.coder.modality(report_trigger.token),
        )

    def _statement(self, trigger: Trigger) -> list[_Candidate]:
        """A report coded as a statement by its subject, refined by a comment in its clause."""
        code, rule = trigger.entry.code, trigger.entry.rule
        comment = self._comment_in(trigger.token)
        if comment is not None:
            code, rule = comment.entry.code, comment.entry.rule
        clause = _reported_tokens(trigger.token) or [  # "claims to be making arms to use
            t for c in trigger.token.children if c.dep_ == "xcomp" for t in c.subtree
        ]  # against the US": what the speaker says of itself
        modal = self._modal_clause(trigger.token)
        found = []
        for source, target in self._arguments(trigger, None):
            if modal is not None and modal[1] != source:  # "X said Y must act"
                frame = self.coder.framing.frames[modal[0]]
                code, prefix = frame.code_for("")
                rule = f"{trigger.entry.rule} ({frame.rule}: {prefix or 'default'} -> {code})"
                target = modal[1]
            elif target is None or target.country is None:  # "told reporters": prefer a party
                target = _other_actor_in(clause, self.actors, source) or target
            found.append(
                _Candidate(
                    trigger.token,
                    _trigger_tokens(trigger.token, trigger.entry),
                    code,
                    source,
                    target,
                    rule,
                    self.coder.modality(trigger.token),
                )
            )
        return found

    def _modal_clause(self, report: Token) -> tuple[str, Actor] | None:
        """(frame, subject) when the reported clause puts a modal on someone's act ("said
        Libya must hand over the suspects")."""
        for clause in report.children:
            if clause.dep_ not in REPORTED_DEPS:
                continue
            frame = self._modal_frame(clause)
            subjects = [
                a
                for t in _slot_tokens(clause, "subject", self.light_verbs)
                for a in self._members(t.i)
            ]
            if frame is not None and subjects:
                return frame, subjects[0]
        return None

    def _comment_in(self, report: Token) -> Trigger | None:
        for index, trigger in self.triggers.items():
            if trigger.entry.kind == "comment" and self.reported.get(index) == report.i:
                return trigger
        return None

    def _speaker(self, report_index: int) -> Actor | None:
        sources = _slot_tokens(self.triggers[report_index].token, "subject", self.light_verbs)
        found = next((self.actors[t.i] for t in sources if t.i in self.actors), None)
        if found is None:  # "a group of Yoruba leaders said": the actor behind the phrase
            found = next((a for t in sources for a in self._owner(t)), None)
        return found

    def _speaker_for(self, token: Token) -> Actor | None:
        report = self.reported.get(token.i)
        return self._speaker(report) if report is not None else None

    # --- arguments --------------------------------------------------------------------------

    def _arguments(
        self, trigger: Trigger, speaker: Actor | None
    ) -> list[tuple[Actor | None, Actor | None]]:
        """(source, target) pairs: one per source actor; coordinated sources with no target
        act on each other (``Russia and Japan signed`` is reciprocal)."""
        token, entry = trigger.token, trigger.entry
        defaults = _default_source_slots(token), _default_target_slots(token)
        sources = self._actors_in(token, entry.source or defaults[0], speaker, entry)
        targets = self._actors_in(token, entry.target or defaults[1], speaker, entry, sources)
        if all(map(_bare_role, targets)) and entry.target and entry.kind == "event":
            usual = self._actors_in(token, defaults[1], speaker, entry, sources)  # then the usual
            targets = usual if usual and not all(map(_bare_role, usual)) else targets or usual
        if not targets:  # "refused to sign the deal with Russia": the folded act's target
            for inner in self._absorbed(trigger):
                inner_trigger = self.triggers[inner.i]
                targets = self._actors_in(
                    inner,
                    inner_trigger.entry.target or _default_target_slots(inner),
                    speaker,
                    inner_trigger.entry,
                    sources,
                )
                if targets:
                    break
        # "troops to the UN peacekeeping mission in Mali": the country the mission serves
        targets = [self._mission_place(t, token.doc) or t for t in targets]
        forces: list[Actor] = []
        if targets and all(
            _own_force(t, sources, entry.code, self.roots.own_force) for t in targets
        ):
            # "withdrew peacekeepers from Rwanda": the source's own forces are its means
            forces, targets = targets, []
        # a missing source may still come from a frame, so no target is guessed for it
        alone = len(sources) >= 1 and entry.kind == "event"
        # coordinated sources act on each other, unless the act is one-sided ("X and Y indicted")
        mutual = len(sources) > 1 and entry.code[:2] not in self.roots.one_sided
        if not targets and alone:  # "demanded that the US cancel ...": who is to act
            targets = [
                a
                for a in self._actors_in(token, ("clause-subject",), speaker, entry, sources)
                if not any(_own_side(a, s) for s in sources)
            ]
        # "began a hunger strike in protest against X": whom the act is aimed at; for a protest
        # also over a place ("blocked streets in Hong Kong in defiance of Chinese authorities")
        if alone and (not targets or entry.code[:2] == PROTEST_ROOT):
            stance = self._parties(_stance_parties(token, self.light_verbs), sources)
            targets = stance or targets
        # "aid to people in Yemen"; not under a controlling verb, whose frame may still change
        # the source ("appealed to Syria to allow convoys into Aleppo"); coordinated sources
        # that met "in Moscow" act on each other, not on the place
        controlled = token.dep_ == "xcomp" and token.head.i in self.triggers  # not "decided to"
        if not targets and alone and not controlled:
            places = frozenset(LOCATION_TARGET_SLOTS) if mutual else frozenset()
            targets = self._first_actor_below(token, [*sources, *forces], places, entry.code)
        if not targets and alone:  # "voiced hope that Greece will help": who the hope is about
            targets = self._parties(_object_clause_subjects(token), sources)
        if not targets and alone:  # "threatened to strike unless Israel rescinded ...": Israel
            targets = [
                a
                for t in self._condition_subjects(token)
                for a in self._members(t.i)
                if not any(a.country and a.country == s.country for s in sources)
            ]
        if not targets and alone and _is_purpose_clause(token):  # "sent experts to Qatar to
            targets = [  # investigate ...": where the act is sent to
                a
                for slot in DESTINATION_SLOTS
                for t in _slot_tokens(token.head, slot, self.light_verbs)
                for a in self._members(t.i)
                if a not in sources and not any(a.code == s.code for s in sources)
            ]
        if all(map(_bare_role, targets)) and not mutual and entry.kind == "event":
            place = self._actors_in(token, LOCATION_TARGET_SLOTS, speaker, entry, sources) or [
                a  # "killed 23 people when they blew themselves up in Tel Aviv"
                for clause in _time_clauses(token)
                for a in self._actors_in(clause, LOCATION_TARGET_SLOTS, speaker, entry, sources)
            ]
            if place and not all(map(_bare_role, place)):
                targets = place
        if not sources and entry.kind == "event" and entry.code[:2] in self.roots.state_source:
            state = self._state_of_place(token)  # "was arrested in Rwanda": by Rwanda
            if state is not None:
                sources = [state]
                targets = [t for t in targets if t.country != state.country or t.role]
        # "urged him": coded as named; not "their arms", whose owner speaks or acts
        targets = [self._named_mention(t, token, [*sources, speaker]) for t in targets]
        targets = [self._mission_place(t, token.doc) or t for t in targets]  # also when found below
        if not sources:
            return [(None, t) for t in (targets or [None])]
        if not targets and mutual:  # "Russia and Japan signed": each on the other
            pairs = [(s, next((o for o in sources if o.code != s.code), None)) for s in sources]
            if all(t is not None for _, t in pairs):
                return pairs
        return [(s, t) for s in sources for t in (targets or [None])]

    def _parties(self, tokens: Iterable[Token], sources: Sequence[Actor]) -> list[Actor]:
        """The actors of these tokens (their members, else their owner's) other than the
        sources."""
        return [
            a
            for t in tokens
            for a in self._members(t.i) or self._owner(t)
            if _another_party(a, sources)
        ]

    def _actors_in(
        self,
        token: Token,
        slots: Iterable[str],
        speaker: Actor | None,
        entry: VerbEntry,
        exclude: Sequence[Actor] = (),
    ) -> list[Actor]:
        """The actors in the first slot that has any (with their coordinated conjuncts). A slot
        holding only bare roles ("the police", "troops") gives way to a later slot that names a
        country or organization. ``exclude``: the sources, when looking for targets."""
        light = self.light_verbs | entry.governors
        weak: list[Actor] = []
        for slot in slots:
            found: list[Actor] = []
            for head in _slot_tokens(token, slot, light):
                if head.i == token.i and exclude:  # a noun is not its own target
                    continue
                for member in (head, *_conjuncts(head)):
                    resolved = self._members(member.i)
                    if not resolved and speaker is not None and member.lower_ in SPEAKER_PRONOUNS:
                        resolved = (speaker,)
                    if not resolved and member.i != token.i:
                        resolved = self._owner(member)
                    found.extend(
                        a
                        for a in resolved
                        if a not in found
                        and a not in exclude
                        and not any(_same_actor(a, x) for x in exclude)
                    )
            if any(not _bare_role(a) for a in found):
                return found
            weak = weak or found
        return weak

    def _named_mention(
        self, actor: Actor, token: Token, parties: Sequence[Actor | None] = ()
    ) -> Actor:
        """A pronoun target resolved to a mention earlier in the trigger's sentence is coded
        with that mention ("called President Erdogan and urged him to ...": the target span
        is ``President Erdogan``), as a reported pronoun subject is with the speaker's name."""
        antecedent = actor.resolved_from
        sentence = token.sent
        if (
            antecedent is None
            or actor.text.lower() not in POSSESSIVE_PRONOUNS
            or antecedent.start < sentence.start_char
            or antecedent.end > sentence.end_char
        ):
            return actor
        named = (
            a
            for head in self.actors
            for a in self._members(head)
            if a.span == antecedent and a.code == actor.code
        )
        found = next(named, actor)
        return actor if any(p is not None and p.span == found.span for p in parties) else found

    def _mission_place(self, actor: Actor, doc: Doc) -> Actor | None:
        """The country where an international body's mission or force is deployed ("the UN
        peacekeeping force in South Sudan"), else None; a country's own forces stay its own
        ("Ukrainian forces in the Crimea")."""
        if actor.country is not None:
            return None
        span = doc.char_span(actor.span.start, actor.span.end, alignment_mode="expand")
        if span is None or span.root.lower_ not in MISSION_NOUNS:
            return None
        places = [
            a
            for prep in span.root.children
            if prep.dep_ == "prep" and prep.lower_ == "in"
            for pobj in prep.children
            if pobj.dep_ == "pobj"
            for a in self._members(pobj.i)
            if a.country and (a.code == a.country or a.rule == "gazetteer")
        ]
        return places[0] if places else None

    def _condition_subjects(self, token: Token) -> list[Token]:
        """The subjects of the condition (``if``, ``unless``) put on the trigger or on the act
        it governs: the party whose act the threat or promise depends on."""
        nodes = [token, *(c for c in token.children if c.dep_ in COMPLEMENT_DEPS)]
        markers = self.coder.words.conditional_markers
        return [
            s
            for node in nodes
            for clause in node.children
            if clause.dep_ == "advcl"
            and any(m.dep_ == "mark" and m.lower_ in markers for m in clause.children)
            for s in clause.children
            if s.dep_ in SUBJECT_DEPS
        ]

    def _state_of_place(self, token: Token) -> Actor | None:
        """The state where an agentless passive act of force took place ("was arrested in
        Rwanda", "were killed near Basra"): the party human coders hold responsible. Only a
        place (a country, or a city standing for one), only when the sentence's places after
        ``in``/``at``/``near``... are all of one country."""
        if _voice(token) != "passive":
            return None
        agents = _slot_tokens(token, "subject", self.light_verbs)  # "by a roadside bomb" is none
        if any(self._members(t.i) or self._owner(t) for t in agents):
            return None
        found = [
            a
            for t in token.subtree
            if t.dep_ == "pobj" and _names_a_place(t)
            for a in self._members(t.i)
            if a.country and (a.code == a.country or a.rule == "gazetteer")
        ]
        if not found or len({a.country for a in found}) != 1:
            return None
        place = found[0]
        rule = f"{place.rule}, the state where it happened"
        return replace(place, code=place.country, role=None, rule=rule)

    def _first_actor_below(
        self,
        token: Token,
        sources: Sequence[Actor],
        places: frozenset[str] = frozenset(),
        code: str = "",
    ) -> list[Actor]:
        """The nearest actor inside the trigger's object and prepositional phrases, breadth
        first ("provides aid to the Palestinian people", "funds for peace building in
        Colombia"): the party the act is done to when no slot names one. The source's own
        forces (``code``: see :func:`_own_force`) are passed over, not taken ("offered to send
        troops to help the Philippine army" targets the army)."""
        starts = [token]
        if token.dep_ == "compound" and word_class(token) == word_class(token.head) == "NOUN":
            starts.append(token.head)  # "a mediation effort to resolve the rift between ..."
        governor = _light_governor(token, self.light_verbs) if word_class(token) == "NOUN" else None
        purposes = [c for c in governor.children if _serves(c)] if governor else []
        queue = [
            *(
                c
                for start in starts
                for c in start.children
                if c.dep_ in DESCENT_DEPS
                and c.i > token.i
                and c.lower_ not in TOPIC_PREPOSITIONS | places
                and not _own_clause(c)
                and not _example(c)
            ),
            # then its light verb's purpose: "began a hunger strike to demand the resignation"
            *(c for c in purposes if c.i > token.i),
        ]
        while queue:
            node = queue.pop(0)
            found = [
                a
                for member in (node, *_conjuncts(node))
                for a in self._members(member.i)
                if _another_party(a, sources)
                and not _own_force(a, sources, code, self.roots.own_force)
            ]
            if found:
                return found
            queue.extend(_holders(node))  # "strikes on the rebel-held enclave": the rebels
            # "denounced Serbia's crackdown", "to protest against Sweden's decision": its owner
            if node.head.lower_ not in CONCESSIVE_PREPOSITIONS:  # not "despite Israel's wish"
                queue.extend(c for c in node.children if c.dep_ == "poss")
            queue.extend(
                c
                for c in node.children
                if c.dep_ in DESCENT_DEPS
                and c.lower_ not in TOPIC_PREPOSITIONS
                and not _own_clause(c)  # "as Russia calls them" is another clause's business
                and not _example(c)  # "aid, including volunteers, to help the victims"
            )
            # "a call for its forces to be deployed in East Timor": an infinitival relative
            queue.extend(c for c in node.children if c.dep_ == "relcl" and _is_purpose_clause(c))
            # "launched artillery and rocket fire against X": the later conjuncts' phrases
            queue.extend(
                c
                for member in _conjuncts(node)
                for c in member.children
                if c.dep_ == "prep" and c.lower_ not in TOPIC_PREPOSITIONS
            )
        return []

    def _owner(self, token: Token) -> tuple[Actor, ...]:
        """The actor behind a thing that is not an actor itself: "Trump's decision", "the
        depot of the Syrian army", "a request from the newspaper"."""
        for child in token.children:
            if child.dep_ == "poss" and self._members(child.i):
                return self._members(child.i)
        for prep in token.children:
            if prep.dep_ == "prep" and prep.lower_ in OWNER_PREPOSITIONS:
                for pobj in prep.children:
                    if pobj.dep_ == "pobj" and self._members(pobj.i):
                        return self._members(pobj.i)
        for participle in token.children:  # "a travel ban imposed on Chadian citizens"
            if participle.dep_ != "acl" or participle.tag_ != "VBN":
                continue
            for prep in participle.children:
                if prep.dep_ == "prep" and prep.lower_ in {"on", "against", "to"}:
                    for pobj in prep.children:
                        if pobj.dep_ == "pobj" and self._members(pobj.i):
                            return self._members(pobj.i)
        for holder in _holders(token):  # "the rebel-held enclave": the rebels'
            if self._members(holder.i):
                return self._members(holder.i)
        for appos in token.children:  # "Aya Hijazi, an American aid worker": as described
            if token.pos_ == "PROPN" and appos.dep_ == "appos" and self._members(appos.i):
                return tuple(_described(a, token) for a in self._members(appos.i))
        return ()

    def _members(self, index: int) -> tuple[Actor, ...]:
        """Every actor a phrase stands for ("Hungarian and Romanian officials" is two)."""
        members = getattr(self.actors, "members", None)
        if members is not None:
            return tuple(members(index))
        actor = self.actors.get(index)
        return (actor,) if actor is not None else ()


def _pick_target(
    order: Sequence[str],
    own: Actor | None,
    inner_pairs: Sequence[tuple[Actor | None, Actor | None]],
    source: Actor | None,
) -> Actor | None:
    """The framed event's target, from the frame's ``target`` order of preference."""
    for place in order:
        if place == "frame":
            candidates = [own]
        elif place == "inner-target":
            candidates = [t for _, t in inner_pairs]
        else:
            candidates = [s for s, _ in inner_pairs]
        for actor in candidates:
            if actor is not None and actor != source:
                return actor
    return None


def _bare_role(actor: Actor) -> bool:
    """A role with no country or organization ("the police" -> COP)."""
    return actor.country is None and actor.role is not None and actor.code == actor.role


def _names_a_place(pobj: Token) -> bool:
    """The object of a place preposition: "in Rwanda", "outside of Basra", "near the town of
    Samarra", "in a residential sector of Beirut"."""
    prep = pobj.head
    if prep.lower_ != "of":
        return prep.lower_ in PLACE_PREPOSITIONS
    above = prep.head
    if above.dep_ == "pobj":
        above = above.head
    return above.lower_ in PLACE_PREPOSITIONS


def _own_force(
    actor: Actor, sources: Sequence[Actor], code: str, own_force_roots: frozenset[str]
) -> bool:
    """The source's own forces, moved or used ("withdrew peacekeepers from Rwanda",
    "mobilized troops for a war against Iraq"), in the roots ``framing.yaml`` lists as
    ``own_force``: a military role with no country written in its phrase, or the source's
    country; not for releases (084), whose object is a captive."""
    if code[:2] not in own_force_roots or code.startswith("084") or not sources:
        return False
    words = actor.text.split()  # role words and their head ("army reservists"), not a name
    if not (actor.role or "").startswith("MIL") or not words or actor.name != words[-1]:
        return False
    unwritten = actor.country is None or country_is_inferred(actor)
    return unwritten or any(actor.country == s.country for s in sources)


def _object_clause_subjects(token: Token) -> list[Token]:
    """The subjects (with their conjuncts) of a content clause on the verb's object noun
    ("expressed hope that the new government will ...", "rejected the claim that Iran had
    ..."), or of a ``for X to`` clause on the verb ("called for Britain to stay")."""
    if word_class(token) == "NOUN":
        return []
    clauses = [
        clause
        for noun in token.children
        if noun.dep_ in {"dobj", "obj"} and word_class(noun) == "NOUN"
        for clause in noun.children
        if clause.dep_ in {"acl", "ccomp"} and word_class(clause) in {"VERB", "AUX"}
    ]
    clauses += [
        clause
        for clause in token.children
        if clause.dep_ == "advcl"
        and any(m.dep_ == "mark" and m.lower_ == "for" for m in clause.children)
    ]
    subjects = [
        s for c in clauses for s in c.children if s.dep_ in SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS
    ]
    return [m for s in subjects for m in (s, *_conjuncts(s))]


def _example(prep: Token) -> bool:
    """``including X``, ``such as X`` on the verb: examples of the thing acted with, not a party
    to the act ("sent aid, including volunteers, to help the victims"). On a noun they name
    members of its group, who are ("killed dozens of fighters, including their leader")."""
    if prep.dep_ != "prep" or word_class(prep.head) not in {"VERB", "AUX"}:
        return False
    return prep.lower_ == "including" or (
        prep.lower_ == "as" and any(c.lower_ == "such" for c in prep.children)
    )


def _serves(clause: Token) -> bool:
    """A clause without a subject that says what a light verb's act is for: an infinitive of
    purpose, also parsed as a complement ("started a hunger strike to protest against ..."),
    or a participle ("carried out a raid, targeting the commanders of ...")."""
    children = list(clause.children)
    if any(c.dep_ in SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS for c in children):
        return False
    infinitive = any(c.dep_ == "aux" and c.lower_ == "to" for c in children)
    return (
        _is_purpose_clause(clause)
        or (clause.dep_ == "xcomp" and infinitive)
        or (clause.dep_ == "advcl" and clause.tag_ == "VBG")
    )


def _described(actor: Actor, name: Token) -> Actor:
    """The actor of an appositive, as the phrase it describes ("Aya Hijazi, an American aid
    worker": the span is the name, the code the description's)."""
    words = name.doc[name.left_edge.i : name.i + 1]
    span = Span(words.start_char, words.end_char, words.text)
    rule = f"{actor.rule}, from the appositive" if actor.rule else "from the appositive"
    return replace(actor, text=words.text, span=span, rule=rule)


def _holders(token: Token) -> list[Token]:
    """X of ``X-held`` (``-controlled``, ``-occupied`` ...) before the thing ``token``."""
    return [
        holder
        for participle in token.children
        if participle.dep_ == "amod" and participle.lower_ in HOLDER_PARTICIPLES
        for holder in participle.children
        if holder.dep_ in {"npadvmod", "compound", "nmod", "amod"} and holder.i < participle.i
    ]


def _own_clause(token: Token) -> bool:
    """A clause with a subject of its own (an adverbial or relative clause): its actors are
    its own events' parties, not the governing event's."""
    return token.dep_ in {"advcl", "acl", "relcl"} and any(
        c.dep_ in {"nsubj", "nsubjpass", "expl"} for c in token.children
    )


def _another_party(actor: Actor, sources: Sequence[Actor]) -> bool:
    """Not one of the sources, nor the same actor under another mention or code."""
    return actor not in sources and not any(
        _same_actor(actor, s) or actor.code == s.code for s in sources
    )


def _same_actor(actor: Actor, other: Actor) -> bool:
    """The same actor mentioned twice, once by a pronoun ("Putin ... his")."""
    pronoun = actor.text.lower() in POSSESSIVE_PRONOUNS or other.text.lower() in POSSESSIVE_PRONOUNS
    # "the Government of Hungary expressed its ...": a country and its own government; not a
    # person's pronoun ("he will extend the curfew in Abidjan": Abidjan is no "he")
    people = {actor.text.lower(), other.text.lower()} & PERSON_PRONOUNS
    country = not people and (actor.code == other.country or other.code == actor.country)
    return pronoun and (actor.code == other.code or country)


def _speaker_pronoun(actor: Actor | None, speaker: Actor | None) -> bool:
    """A pronoun subject of a reported clause that stands for the speaker ("Gorbachev said he
    would resign"): the speaker's named mention is the better source."""
    if actor is None or speaker is None or actor.text.lower() not in SUBJECT_PRONOUNS:
        return False
    return actor.code == speaker.code and actor.span != speaker.span


def _in_relative_clause(token: Token, report: int) -> bool:
    """Whether the token sits in a relative clause below the report: background to what is
    reported, not the reported act."""
    node = token
    while node.i != report and node.head.i != node.i:
        if node.dep_ == "relcl":
            return True
        node = node.head
    return False


def _own_side(actor: Actor, source: Actor) -> bool:
    """Whether a clause's subject is the source's own side ("Pakistan denied that its troops
    attacked"): same country, unless one is a state organ and the other a rebel, opposition or
    other non-state group ("the Hutu rebels insisted that Burundi's government grant ...")."""
    if not actor.country or actor.country != source.country:
        return False
    if actor.role is None or source.role is None:
        return True
    return (actor.role in STATE_ROLES) == (source.role in STATE_ROLES)


STATE_ROLES = frozenset({"GOV", "MIL", "COP", "JUD", "LEG", "SPY"})
"""Roles of a state's organs; a non-state group of the same country is another side."""


def _same_side(actor: Actor, speaker: Actor) -> bool:
    """Whether an act's source is the speaker (or speaks for the same country)."""
    if actor.code == speaker.code or actor.span == speaker.span:
        return True
    return actor.country is not None and actor.country == speaker.country


def event_id(
    article_id: str,
    sentence: int,
    start: int,
    code: str,
    source: Actor | None,
    target: Actor | None,
) -> str:
    """Stable per (article, sentence, trigger, code, source, target)."""
    key = "|".join(
        [
            article_id,
            str(sentence),
            str(start),
            code,
            source.code if source else "",
            target.code if target else "",
        ]
    )
    return "e" + hashlib.sha1(key.encode()).hexdigest()[:16]


# --- matching constraints -----------------------------------------------------------------------


def word_class(token: Token) -> str:
    """The token's part of speech, corrected by its syntax: a word tagged as a verb that fills a
    noun's slot and has a determiner, possessor or modifier is a noun ("condemned Pakistan's
    ceasefire violations")."""
    pos, dep = token.pos_, token.dep_
    if not (
        (pos == "VERB" and dep in NOMINAL_DEPS)
        or (pos == "NOUN" and dep in {"ROOT", "conj", "ccomp", "xcomp"})
    ):
        return pos  # the common case, decided without listing the children
    children = [c.dep_ for c in token.children]
    nominal = {"det", "poss", "amod", "compound", "nummod"}
    if pos == "VERB" and dep in NOMINAL_DEPS and nominal.intersection(children):
        return "NOUN"
    if (
        pos == "NOUN"
        and dep in {"ROOT", "conj", "ccomp", "xcomp"}
        and "nsubj" in children
        and ("dobj" in children or "aux" in children)
    ):
        return "VERB"  # "The government rejects and condemns the decision"
    return pos


def lemmas(token: Token) -> tuple[str, ...]:
    """The token's lemma, its lower-case form, and regular de-inflections of it: the tagger's
    lemma is sometimes wrong ("staged" -> "stag", "raped" -> "rap")."""
    word, lemma = token.lower_, token.lemma_.lower()
    found = [lemma, word]
    if word.endswith("ied") or word.endswith("ies"):
        found.append(word[:-3] + "y")
    for suffix in ("ed", "es", "ing", "s", "d"):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            stem = word[: -len(suffix)]
            found.append(stem)
            if suffix == "ing":
                found.append(stem + "e")
            if len(stem) > 2 and stem[-1] == stem[-2]:
                found.append(stem[:-1])  # "stopped" -> "stop"
    return tuple(dict.fromkeys(found))


def _has_lemma(token: Token, words: Collection[str]) -> bool:
    return any(lemma in words for lemma in lemmas(token))


def _voice(token: Token) -> str:
    passive = any(c.dep_ in PASSIVE_SUBJECT_DEPS or c.dep_ == "auxpass" for c in token.children)
    return "passive" if passive else "active"


def _quantity(particle: Token) -> bool:
    """``up`` of ``up to 16 advisers``: a quantity, no particle ("kidnapped up to 16 ...")."""
    doc = particle.doc
    after = doc[particle.i + 1 : particle.i + 3]
    return (
        particle.lower_ == "up"
        and len(after) == 2
        and after[0].lower_ == "to"
        and after[1].like_num
    )


def _particle_place(verb: Token, particle: Token) -> bool:
    """A particle may stand anywhere after its verb; a preposition or adverb must follow it
    closely or come right after its object ("forced the agency out of the country")."""
    if particle.i <= verb.i:
        return False
    if particle.dep_ == "prt" or particle.i - verb.i <= PARTICLE_DISTANCE:
        return True
    objects = [c for c in verb.children if c.dep_ in {"dobj", "obj"}]
    return any(particle.i == o.right_edge.i + 1 for o in objects)


def _fits_objects(token: Token, patterns: frozenset[str]) -> int | bool | None:
    """False when no object fits; else the word count of the longest pattern that fits, so
    "humanitarian aid" is more specific than "aid". A pattern fits when one of its words is the
    head of an object (or, for a noun trigger, the noun itself) and all its words occur in the
    object phrases ("lifted the ban on the party" fits "ban on party" whichever way the
    preposition attaches)."""
    if not patterns:
        return None
    heads = _objects_of(token)
    if word_class(token) == "NOUN":  # its own phrase: "hunger strike", "fraud investigation"
        heads += [token] + [c for c in token.children if c.dep_ in {"compound", "amod"}]
    head_words = {w for h in heads for w in lemmas(h)}
    headed = [words for words in map(_pattern_words, patterns) if head_words.intersection(words)]
    if not headed:  # the common case: no need to look at the words of the phrases
        return False
    phrase = sorted({t for h in heads for t in h.subtree}, key=lambda t: t.i)
    forms = [set(lemmas(t)) for t in phrase]
    sizes = [len(words) for words in headed if _in_order(words, forms)]
    return max(sizes) if sizes else False


def _fits_sequences(token: Token, patterns: frozenset[str], *, before: bool) -> int | bool | None:
    """The word count of the longest of ``patterns`` (``VerbEntry.preceding``/``following``)
    found before the trigger in its sentence, or after it within its phrase; False if none."""
    if not patterns:
        return None
    if before:  # read away from the trigger: nearest word first
        window = [token.doc[i] for i in range(token.i - 1, token.sent.start - 1, -1)]
    else:
        window = list(token.doc[token.i + 1 : token.right_edge.i + 1])
    sizes = [
        len(words)
        for words, glued in (_sequence(p, reverse=before) for p in patterns)
        if words and _sequence_at(window, words, glued, 0, 0)
    ]
    return max(sizes) if sizes else False


def _fits_coordinated(token: Token, slots: tuple[str, ...]) -> bool | None:
    """Whether every one of these slots holds a coordination ("France and Japan")."""
    if not slots:
        return None
    heads = [_slot_tokens(token, slot, frozenset()) for slot in slots]
    return all(any(c.dep_ == "conj" for h in found for c in h.children) for found in heads)


def _sequence(pattern: str, *, reverse: bool) -> tuple[list[str], list[bool]]:
    """A sequence pattern's words read away from the trigger, and for each whether it must
    come right after the previous one (the first: right next to the trigger)."""
    words, seps = [""], []
    for char in pattern.lower():
        if char in " _":
            seps.append(char)
            words.append("")
        else:
            words[-1] += char
    if reverse:
        words, seps = words[::-1], seps[::-1]
    glue = bool(seps) and words[0] == "" and seps[0] == "_"
    out: list[str] = []
    glued: list[bool] = []
    for index, word in enumerate(words):
        if word:
            out.append(word)
            glued.append(glue)
            glue = False
        if index < len(seps) and seps[index] == "_" and (word or glue):
            glue = True
    return out, glued


def _sequence_at(
    window: Sequence[Token], words: Sequence[str], glued: Sequence[bool], i: int, start: int
) -> bool:
    if i == len(words):
        return True
    positions = (start,) if glued[i] else range(start, len(window))
    return any(
        p < len(window)
        and (window[p].lower_ == words[i] or words[i] in lemmas(window[p]))
        and _sequence_at(window, words, glued, i + 1, p + 1)
        for p in positions
    )


def _in_order(words: Sequence[str], forms: Sequence[set[str]]) -> bool:
    """Whether the words occur in this order among the phrase's tokens ("militant attack" does
    not fit "attack on the militants")."""
    position = 0
    for word in words:
        while position < len(forms) and word not in forms[position]:
            position += 1
        if position == len(forms):
            return False
        position += 1
    return True


def _pattern_words(pattern: str) -> list[str]:
    """The content words of an object pattern ("ban on the party" -> ban, party)."""
    words = pattern.split()
    return [w for w in words if w not in PATTERN_STOPWORDS] or words


def _matches_any(head: Token, patterns: frozenset[str]) -> bool:
    """Whether the word is one of the content words of a pattern."""
    own = set(lemmas(head))
    return any(own.intersection(_pattern_words(p)) for p in patterns)


def _fits_xcomp(token: Token, lemmas: frozenset[str]) -> bool | None:
    if not lemmas:
        return None
    return any(_has_lemma(c, lemmas) for c in _complements(token))


def _complements(token: Token) -> list[Token]:
    """A verb's infinitive or clausal complements, and gerunds after its preposition
    ("refused to sign", "accused India of violating")."""
    found = [c for c in token.children if c.dep_ in COMPLEMENT_DEPS]
    found += [  # purpose infinitives ("called the president to discuss"), predicates ("set free")
        c
        for c in token.children
        if c.dep_ == "advcl"
        and (c.pos_ == "ADJ" or any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children))
    ]
    found += [
        g for c in token.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pcomp"
    ]
    return found


def _fits_governor(token: Token, lemmas: frozenset[str]) -> bool | None:
    if not lemmas:
        return None
    governor = _governing_verb(token)
    return governor is not None and _has_lemma(governor, lemmas)


# --- dependency slots ---------------------------------------------------------------------------


def _default_source_slots(token: Token) -> tuple[str, ...]:
    if word_class(token) == "NOUN":
        return ("poss", "modifier", "by", "governor-subject")
    return ("subject", "governor-subject")


def _default_target_slots(token: Token) -> tuple[str, ...]:
    if word_class(token) == "NOUN":
        return ("against", "on", "to", "with", "dative", "governor-object", "between")
    return ("object", "dative", "with", "to", "against", "on", "for", "between")


def _slot_tokens(token: Token, slot: str, light_verbs: frozenset[str]) -> list[Token]:
    """The tokens that fill a dependency slot of the trigger."""
    children = list(token.children)
    passive = any(c.dep_ in PASSIVE_SUBJECT_DEPS for c in children)
    if slot == "subject":
        if passive:
            return [
                g
                for c in children
                if c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ == "by")
                for g in c.children
                if g.dep_ == "pobj"
            ]
        subjects = [c for c in children if c.dep_ in SUBJECT_DEPS]
        if not subjects and token.dep_ == "acl" and token.head.dep_ == "ROOT":
            return [token.head]  # a misparse: "The minister called on ..." with a noun root
        return subjects
    if slot == "object":
        if passive:
            return [c for c in children if c.dep_ in PASSIVE_SUBJECT_DEPS]
        objects = [c for c in children if c.dep_ in {"dobj", "obj"}]
        return objects or [  # "kidnapped up to 16 advisers", parsed as a particle "up to"
            g
            for c in children
            if c.dep_ == "prt" and _quantity(c)
            for p in c.children
            if p.lower_ == "to"
            for g in p.children
            if g.dep_ == "pobj"
        ]
    if slot == "dative":  # "gave Iraq aid", and "gave aid to Iraq" parsed with a dative "to"
        datives = [c for c in children if c.dep_ in {"dative", "iobj"}]
        if word_class(token) == "NOUN" and token.dep_ == "dobj":  # "gave Putin a warning"
            datives += [c for c in token.head.children if c.dep_ in {"dative", "iobj"}]
        return [g for d in datives for g in ([d] if d.pos_ != "ADP" else d.children)]
    if slot == "poss":
        return [c for c in children if c.dep_ == "poss"]
    if slot == "modifier":  # the noun itself: the resolver puts "Saudi airstrikes" on its head
        return [token] + [c for c in children if c.dep_ in {"amod", "compound"} and c.i < token.i]
    if slot in {"governor-subject", "governor-object"}:
        return _inherited(token, slot.split("-")[1], light_verbs)
    if slot == "clause-subject":  # "demanded that Israel ease ...": who is to act
        return _clause_subjects(token)
    prep_deps = {"prep", "agent", "dative"}
    preps = [c for c in children if c.dep_ in prep_deps and c.lower_ == slot]
    if word_class(token) == "NOUN" and token.dep_ == "compound":  # "a mediation effort between"
        preps += [c for c in token.head.children if c.dep_ in prep_deps and c.lower_ == slot]
        token = token.head
    if word_class(token) == "NOUN" and token.dep_ in {"dobj", "nsubjpass"}:
        preps += [c for c in token.head.children if c.dep_ in prep_deps and c.lower_ == slot]
    elif word_class(token) != "NOUN":  # "lifted sanctions against Iran"
        objects = [c for c in children if c.dep_ in {"dobj", "obj"}]
        preps += [c for o in objects for c in o.children if c.dep_ == "prep" and c.lower_ == slot]
    return [g for p in preps for g in p.children if g.dep_ == "pobj"] or [
        g for p in preps for g in _dangling_object(p)
    ]


NOUN_PHRASE_DEPS = frozenset({"det", "nummod", "quantmod", "amod", "compound", "poss", "case"})
"""Links inside a noun phrase, followed up from its first word to its head."""


def _dangling_object(prep: Token) -> list[Token]:
    """The object of a preposition the parser left without one: the last object of the verb
    phrase coordinated with it ("established ties with and opened an embassy in Tehran"), or
    the noun phrase right after it when the parser hung that phrase on another clause ("granted
    asylum to five officers holed up in ...", parsed with "officers" as a subject)."""
    doc = prep.doc
    if any(c.dep_ in {"pobj", "pcomp"} for c in prep.children) or prep.i + 1 >= len(doc):
        return []
    after = doc[prep.i + 1]
    if after.dep_ == "cc":
        return [
            objects[-1]
            for conjunct in after.head.conjuncts
            if conjunct.i > prep.i
            for objects in [[t for t in conjunct.subtree if t.dep_ == "pobj"]]
            if objects
        ][:1]
    node = after
    while node.dep_ in NOUN_PHRASE_DEPS and node.head.i > node.i:
        node = node.head
    if node.pos_ in {"NOUN", "PROPN"} and node.dep_ in SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS:
        return [node]
    return []


def _clause_subjects(token: Token) -> list[Token]:
    """The subjects of the that-clause a trigger governs ("demanded that the US cancel",
    "its demand that Israel ease"): the party asked, threatened or committed to act."""
    clauses = [
        c
        for c in token.children
        if c.dep_ == "ccomp" or (c.dep_ == "acl" and any(m.dep_ == "mark" for m in c.children))
    ]
    clauses += _distant_content_clauses(token)
    return [
        s
        for c in clauses
        if not any(w.dep_ == "advmod" and w.lower_ in RELATIVE_ADVERBS for w in c.children)
        for s in c.children
        if s.dep_ in SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS
    ]


PROTEST_ROOT = "14"
STANCE_NOUNS = frozenset(
    {"protest", "defiance", "retaliation", "reprisal", "revenge", "response", "solidarity"}
    | {"support", "opposition"}
)
"""``in protest against X``, ``in defiance of X`` ...: a phrase that names whom an act is
aimed at, on the trigger or on an event noun's light verb."""


def _stance_parties(token: Token, light_verbs: frozenset[str]) -> list[Token]:
    """The objects in a stance phrase (``STANCE_NOUNS``) on the trigger or its light verb:
    "staged a hunger strike in protest against abuses by the police", "blocked streets in
    defiance of the authorities", "in retaliation for the rebels' attack"."""
    heads = [token]
    if word_class(token) == "NOUN":
        governor = _light_governor(token, light_verbs)
        heads += [governor] if governor is not None else []
    return [
        party
        for head in heads
        for prep in head.children
        if prep.dep_ == "prep" and prep.lower_ == "in"
        for noun in prep.children
        if noun.dep_ == "pobj" and noun.lemma_.lower() in STANCE_NOUNS
        for inner in noun.children
        if inner.dep_ == "prep" and inner.lower_ not in TOPIC_PREPOSITIONS
        for party in inner.children
        if party.dep_ == "pobj"
    ]


RELATIVE_ADVERBS = frozenset({"where", "when", "whereby"})
"""A clause opened by one of these is no content clause, also when the parser hangs it on the
verb ("threatened to shell the towns ... where, it said, 100 people were killed")."""


def _distant_content_clauses(token: Token) -> list[Token]:
    """A that-clause that belongs to the trigger but hangs elsewhere: an event noun's clause
    moved after its light verb's adjuncts ("reiterated its demand today that Israel ease ..."),
    and the clause on a verb's prepositional object ("insisted on its demand that X grant")."""
    if word_class(token) == "NOUN" and token.dep_ in {"dobj", "obj"}:
        return [
            c
            for c in token.head.children
            if c.dep_ == "ccomp"
            and c.i > token.i
            and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)
        ]
    if word_class(token) == "NOUN":
        return []
    return [
        clause
        for prep in token.children
        if prep.dep_ == "prep" and prep.lower_ not in TOPIC_PREPOSITIONS
        for noun in prep.children
        if noun.dep_ == "pobj" and word_class(noun) == "NOUN"
        for clause in noun.children
        if clause.dep_ == "acl"
        and any(m.dep_ == "mark" and m.lower_ == "that" for m in clause.children)
    ]


def _inherited(token: Token, slot: str, light_verbs: frozenset[str]) -> list[Token]:
    """An argument taken from the verb that governs the trigger (control, coordination, light
    verbs): ``Lavrov made the remarks after meeting ...``, ``Japan imposed sanctions``. An event
    noun takes it only from a light verb ("condemned the attack" says nothing of who attacked)."""
    if word_class(token) == "NOUN":
        governor = _light_governor(token, light_verbs)
        if governor is None:
            return []
        return _slot_tokens(governor, slot, light_verbs) or _inherited(governor, slot, light_verbs)
    if slot == "subject" and any(c.dep_ in PASSIVE_SUBJECT_DEPS for c in token.children):
        return []  # a passive verb's subject is its agent, never its governor's subject
    node = token
    while node.dep_ in CONTROL_DEPS and node.head.i != node.i:
        if node.dep_ in CLAUSE_DEPS and not _is_purpose_clause(node):
            return []
        link = node.dep_
        node = node.head
        if slot == "subject" and link == "acl" and _content_participle(token, node):
            # "issued a declaration demanding that ...": who issued it demands
            governor = _light_governor(node, light_verbs)
            found = _slot_tokens(governor, slot, light_verbs) if governor is not None else []
            if found:
                return found
        if word_class(node) in {"VERB", "AUX"}:
            if slot == "subject" and link == "xcomp":  # object control: urged Tokyo to discuss
                controller = _slot_tokens(node, "object", light_verbs)
                if controller:
                    return controller
            found = _slot_tokens(node, slot, light_verbs)
            if found:
                return found
    return []


TIME_MARKERS = frozenset({"when", "while", "as"})
"""Words that open a clause telling when the governing act happened, and so where."""


def _time_clauses(token: Token) -> list[Token]:
    """The time clauses of a trigger ("killed 23 people when they blew themselves up in X")."""
    return [
        clause
        for clause in token.children
        if clause.dep_ == "advcl"
        and any(m.dep_ in {"mark", "advmod"} and m.lower_ in TIME_MARKERS for m in clause.children)
    ]


def _content_participle(token: Token, noun: Token) -> bool:
    """A present participle without a subject that says what a light verb's noun does
    ("issued a statement condemning X", "sent a letter urging Y to ...")."""
    return (
        token.dep_ == "acl"
        and token.head.i == noun.i
        and token.tag_ == "VBG"
        and word_class(noun) == "NOUN"
        and not any(c.dep_ in SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS for c in token.children)
    )


def _is_purpose_clause(token: Token) -> bool:
    """An infinitive of purpose without a subject ("sent a team to investigate"), also as an
    infinitival relative ("converged for a rally to protest the law")."""
    children = list(token.children)
    return (
        token.dep_ in {"advcl", "relcl"}
        and any(c.dep_ == "aux" and c.lower_ == "to" for c in children)
        and not any(c.dep_ in SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS for c in children)
    )


def _light_governor(token: Token, light_verbs: frozenset[str]) -> Token | None:
    """The light verb whose object (or prepositional object) an event noun is."""
    head = token.head
    if token.dep_ == "compound" and word_class(head) == "NOUN":  # "a mediation effort"
        token, head = head, head.head
    if token.dep_ in {"dobj", "obj", "nsubjpass"} and _has_lemma(head, light_verbs):
        return head
    if token.dep_ == "attr" and head.lemma_ in COPULAS:  # "Germany is the largest donor"
        return head
    if token.dep_ == "pobj" and head.dep_ == "prep" and _has_lemma(head.head, light_verbs):
        return head.head
    blamed = head.head  # "X is responsible for the killings": the copula carries the noun
    if (
        token.dep_ == "pobj"
        and head.dep_ == "prep"
        and blamed.lower_ in RESPONSIBLE
        and blamed.dep_ == "acomp"
        and blamed.head.lemma_ in COPULAS
    ):
        return blamed.head
    return None


def _conjuncts(token: Token) -> list[Token]:
    return [t for t in token.conjuncts if t.i > token.i]


def _objects_of(token: Token) -> list[Token]:
    objects = [c for c in token.children if c.dep_ in OBJECT_DEPS]
    for prep in (c for c in token.children if c.dep_ in {"prep", "agent"}):
        objects += [g for g in prep.children if g.dep_ in {"pobj", "pcomp"}]
        for grandchild in prep.children:  # "pulled out of the town": out -> of -> town
            if grandchild.dep_ == "prep":
                objects += [g for g in grandchild.children if g.dep_ == "pobj"]
    objects += [g for c in objects for g in c.conjuncts]
    for direct in [c for c in objects if c.dep_ in {"dobj", "obj"}]:  # "accused X of spying"
        for prep in direct.children:
            if prep.dep_ == "prep" and prep.lower_ in OBJECT_PREPOSITIONS:
                objects += [g for g in prep.children if g.dep_ in {"pobj", "pcomp"}]
    return objects


def _governing_verb(token: Token) -> Token | None:
    node = token
    while node.head.i != node.i:
        node = node.head
        if node.pos_ in {"VERB", "AUX"}:
            return node
    return None


def _controllers(token: Token) -> list[Token]:
    """The trigger and the words that control it: verbs above it through ``xcomp``
    (``refused to sign``), the light verb of an event noun (``held no talks``), and the verb of
    a ``for`` phrase (``prepare for Putin's visit``)."""
    chain = [token]
    node = token
    while node.head.i != node.i:
        light_verb = (
            node.i == token.i and word_class(node) == "NOUN" and node.dep_ in {"dobj", "nsubjpass"}
        )
        copula = node.dep_ == "acomp" and node.head.lemma_ in COPULAS  # "must be ready to"
        if node.dep_ == "xcomp" or light_verb or copula:
            node = node.head
        elif (
            node.dep_ in {"pobj", "pcomp"}
            and node.head.dep_ == "prep"
            and node.head.lower_ in CONTROLLING_PREPOSITIONS
            and node.head.head.pos_ in {"VERB", "AUX", "ADJ", "NOUN"}
        ):
            node = node.head.head
        else:
            break
        chain.append(node)
    return chain


def _reported_tokens(report: Token) -> list[Token]:
    """The clause a reporting verb reports: its clausal complement, or (for ``"...," X told
    reporters``) the rest of the sentence when the verb hangs off the sentence root."""
    clauses = [c for c in report.children if c.dep_ in REPORTED_DEPS]
    if clauses:
        return [t for c in clauses for t in c.subtree]
    if report.dep_ in {"conj", "parataxis", "ccomp"} and report.head.dep_ == "ROOT":
        own = {t.i for t in report.subtree}
        return [t for t in report.sent if t.i not in own]
    if report.dep_ == "ROOT":
        return [t for c in report.children if c.dep_ in {"ccomp", "advcl"} for t in c.subtree]
    return []


def _other_actor_in(
    tokens: Iterable[Token], actors: Mapping[int, Actor], source: Actor | None
) -> Actor | None:
    """The first actor in the reported clause from another country than the speaker's."""
    for token in tokens:
        actor = actors.get(token.i)
        if actor is None or source is None:
            continue
        if actor.country != source.country and actor.code != source.code:
            return actor
    return None


def _trigger_tokens(token: Token, entry: VerbEntry) -> tuple[Token, ...]:
    particles = entry.particles
    return (token, *(c for c in token.children if c.lower_ in particles and c.dep_ == "prt"))


def _depth(token: Token) -> int:
    depth = 0
    while token.head.i != token.i:
        token = token.head
        depth += 1
    return depth


def _root_candidate(candidates: Sequence[_Candidate]) -> Token | None:
    """The sentence's principal event: an event that is not negated before one that is, then
    the one nearest the root of the dependency tree, then the earlier one (the GDELT notion of
    a root event)."""
    if not candidates:
        return None
    best = min(
        candidates,
        key=lambda c: (c.modality == "negated", _depth(c.anchor), c.anchor.i),
    )
    return best.anchor
