"""Stage 4, events: find event triggers with the verb dictionary and code them in CAMEO.

The dictionary (``data/verbs.yaml``, format in docs/dictionaries.md) maps trigger lemmas (verbs,
event nouns such as "visit" or "sanctions") with optional constraints to CAMEO codes. For each
trigger the coder takes the source and target from dependency slots (subject, object,
prepositional objects, possessors), follows control and coordination (``promised to continue``,
``Russia and Japan``), and records negation and modality. Reporting verbs code the event in their
clause when there is one ("X said Y attacked Z" is an attack), else a statement, refined by the
comment words found in the reported clause ("no expectations" makes a pessimistic comment).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from spacy.tokens import Doc, Token

from .codebook import Codebook
from .dictionaries import CAMEO_CODE, data_path, read_yaml_entries
from .errors import DictionaryError
from .model import Actor, Event, Modality, Span

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
        "xcomp",
        "governor",
        "negated",
        "source",
        "target",
        "examples",
        "note",
    }
)
SUBJECT_DEPS = frozenset({"nsubj", "csubj"})
PASSIVE_SUBJECT_DEPS = frozenset({"nsubjpass", "csubjpass"})
CONTROL_DEPS = frozenset(
    {"xcomp", "pcomp", "advcl", "acl", "conj", "relcl", "ccomp", "prep", "pobj", "acomp", "dobj"}
    | {"nsubjpass"}
)
"""Links followed upwards to find an argument a trigger does not have itself."""
CLAUSE_DEPS = frozenset({"ccomp", "advcl", "relcl", "parataxis"})
"""Links that start a clause with its own subject: arguments are not inherited across them."""
REPORTED_DEPS = frozenset({"ccomp", "parataxis"})
SPEAKER_PRONOUNS = frozenset({"it", "its", "we", "our", "they", "their", "i"})


@dataclass(frozen=True)
class VerbEntry:
    """One verb-dictionary pattern."""

    id: str
    code: str
    lemmas: frozenset[str]
    pos: frozenset[str]
    kind: str
    particle: str | None
    objects: frozenset[str]
    xcomps: frozenset[str]
    governors: frozenset[str]
    negated: bool | None
    source: tuple[str, ...]
    target: tuple[str, ...]
    examples: tuple[str, ...]
    rule: str


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
    def load(cls, paths: Sequence[Path] = (), codebook: Codebook | None = None) -> VerbDictionary:
        """Load the built-in dictionary and then each file in ``paths``; a later entry with the
        same id replaces an earlier one."""
        by_id: dict[str, VerbEntry] = {}
        for path in (data_path("verbs.yaml"), *paths):
            for line, raw in read_yaml_entries(path):
                entry = parse_verb_entry(raw, path, line)
                if codebook is not None and entry.code not in codebook:
                    raise DictionaryError(path, line, f"code {entry.code!r} is not in the codebook")
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
    pos = frozenset(w.upper() for w in _words(raw.get("pos", "VERB"), "pos", fail))
    if not pos <= POS_TAGS:
        raise fail(f"'pos' must be among {', '.join(sorted(POS_TAGS))}")
    kind = raw.get("kind", "event")
    if kind not in KINDS:
        raise fail(f"'kind' must be one of {', '.join(sorted(KINDS))}")
    particle = raw.get("particle")
    if particle is not None and not isinstance(particle, str):
        raise fail("'particle' must be a word")
    negated = raw.get("negated")
    if negated is not None and not isinstance(negated, bool):
        raise fail("'negated' must be true or false")
    examples = raw.get("examples", [])
    if not isinstance(examples, list) or not all(isinstance(e, str) for e in examples):
        raise fail("'examples' must be a list of sentences")
    return VerbEntry(
        id=entry_id,
        code=code,
        lemmas=frozenset(lemmas),
        pos=pos,
        kind=str(kind),
        particle=particle.lower() if isinstance(particle, str) else None,
        objects=frozenset(_words(raw.get("object"), "object", fail)),
        xcomps=frozenset(_words(raw.get("xcomp"), "xcomp", fail)),
        governors=frozenset(_words(raw.get("governor"), "governor", fail)),
        negated=negated,
        source=tuple(_words(raw.get("source"), "source", fail)),
        target=tuple(_words(raw.get("target"), "target", fail)),
        examples=tuple(examples),
        rule=f"{path.name}:{line} {entry_id}",
    )


def _words(value: object, name: str, fail: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value.lower()]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [v.lower() for v in value]
    raise fail(f"{name!r} must be a word or a list of words")  # type: ignore[operator]


@dataclass(frozen=True)
class Trigger:
    """A token that matched a dictionary entry."""

    token: Token
    entry: VerbEntry


@dataclass
class _Sentence:
    index: int
    span: object
    triggers: list[Trigger] = field(default_factory=list)


class EventCoder:
    """Codes the events of a parsed article, given its resolved actors."""

    def __init__(self, verbs: VerbDictionary, codebook: Codebook, words: ModalityWords) -> None:
        self.verbs = verbs
        self.codebook = codebook
        self.words = words

    def __call__(self, doc: Doc, actors: Mapping[int, Actor], article_id: str) -> tuple[Event, ...]:
        events: list[Event] = []
        for index, sentence in enumerate(doc.sents):
            triggers = [t for t in (self._match(token) for token in sentence) if t is not None]
            events.extend(self._code_sentence(index, sentence, triggers, actors, article_id))
        return tuple(events)

    # --- finding triggers ---------------------------------------------------------------

    def _match(self, token: Token) -> Trigger | None:
        best: tuple[int, VerbEntry] | None = None
        for entry in self.verbs.candidates(token.lemma_.lower()):
            score = self._fit(token, entry)
            if score is not None and (best is None or score > best[0]):
                best = (score, entry)
        return Trigger(token, best[1]) if best else None

    def _fit(self, token: Token, entry: VerbEntry) -> int | None:
        """How specifically the entry fits the token, or None when a constraint fails."""
        if token.pos_ not in entry.pos and not (token.pos_ == "AUX" and "VERB" in entry.pos):
            return None
        score = 0
        children = list(token.children)
        if entry.particle is not None:
            if not any(
                c.lower_ == entry.particle and c.dep_ in {"prt", "prep", "advmod"} for c in children
            ):
                return None
            score += 1
        if entry.objects:
            if not any(c.lemma_.lower() in entry.objects for c in _objects_of(token)):
                return None
            score += 1
        if entry.xcomps:
            if not any(
                c.dep_ in {"xcomp", "ccomp"} and c.lemma_.lower() in entry.xcomps for c in children
            ):
                return None
            score += 1
        if entry.governors:
            governor = _governing_verb(token)
            if governor is None or governor.lemma_.lower() not in entry.governors:
                return None
            score += 1
        if entry.negated is not None:
            if self._is_negated(token) != entry.negated:
                return None
            score += 1
        return score

    # --- coding a sentence --------------------------------------------------------------

    def _code_sentence(
        self,
        index: int,
        sentence: object,
        triggers: list[Trigger],
        actors: Mapping[int, Actor],
        article_id: str,
    ) -> Iterator[Event]:
        by_token = {t.token.i: t for t in triggers}
        reported: dict[int, int] = {}  # token index -> report trigger index
        for trigger in triggers:
            if trigger.entry.kind == "report":
                for token in _reported_tokens(trigger.token):
                    reported.setdefault(token.i, trigger.token.i)
        coded: list[tuple[Trigger, Actor | None, Actor | None, str]] = []
        inner_with_source: set[int] = set()
        for trigger in triggers:
            if trigger.entry.kind != "event":
                continue
            speaker = self._speaker(reported.get(trigger.token.i), by_token, actors)
            for source, target in self._arguments(trigger, actors, speaker):
                coded.append((trigger, source, target, trigger.entry.code))
                if source is not None and trigger.token.i in reported:
                    inner_with_source.add(reported[trigger.token.i])
        for trigger in triggers:
            if trigger.entry.kind != "report" or trigger.token.i in inner_with_source:
                continue
            code, rule_entry = trigger.entry.code, trigger.entry
            comment = self._comment_in(trigger.token, by_token, reported)
            if comment is not None:
                code, rule_entry = comment.entry.code, comment.entry
            for source, target in self._arguments(trigger, actors, None):
                if target is None or target.country is None:  # "told reporters": prefer a party
                    target = (
                        _other_actor_in(_reported_tokens(trigger.token), actors, source) or target
                    )
                coded.append((Trigger(trigger.token, rule_entry), source, target, code))
        root = _root_trigger([c[0].token for c in coded])
        seen: set[tuple[int, str, str | None, str | None]] = set()
        for trigger, source, target, code in coded:
            if source is None:
                continue
            key = (trigger.token.i, code, source.code, target.code if target else None)
            if key in seen or (target is not None and target.span == source.span):
                continue
            seen.add(key)
            yield self._event(
                article_id, index, sentence, trigger, code, source, target, trigger.token == root
            )

    def _comment_in(
        self, report: Token, by_token: Mapping[int, Trigger], reported: Mapping[int, int]
    ) -> Trigger | None:
        comments = [
            t
            for i, t in by_token.items()
            if t.entry.kind == "comment" and reported.get(i) == report.i
        ]
        return comments[0] if comments else None

    def _speaker(
        self, report_index: int | None, by_token: Mapping[int, Trigger], actors: Mapping[int, Actor]
    ) -> Actor | None:
        if report_index is None:
            return None
        sources = _slot_tokens(by_token[report_index].token, "subject")
        return next((actors[t.i] for t in sources if t.i in actors), None)

    def _arguments(
        self, trigger: Trigger, actors: Mapping[int, Actor], speaker: Actor | None
    ) -> list[tuple[Actor | None, Actor | None]]:
        """(source, target) pairs: one per source actor; coordinated sources with no target
        act on each other (``Russia and Japan signed`` is reciprocal)."""
        token, entry = trigger.token, trigger.entry
        source_slots = entry.source or _default_source_slots(token)
        target_slots = entry.target or _default_target_slots(token)
        sources = _actors_in_slots(token, source_slots, actors, speaker)
        targets = _actors_in_slots(token, target_slots, actors, speaker)
        targets = [t for t in targets if not any(t.span == s.span for s in sources)]
        if not sources:
            return [(None, targets[0] if targets else None)]
        if not targets and len(sources) > 1:
            return [(s, next(o for o in sources if o is not s)) for s in sources]
        return [(s, t) for s in sources for t in (targets[:1] or [None])]

    def _event(
        self,
        article_id: str,
        index: int,
        sentence: object,
        trigger: Trigger,
        code: str,
        source: Actor | None,
        target: Actor | None,
        is_root: bool,
    ) -> Event:
        token = trigger.token
        cameo = self.codebook[code]
        trigger_tokens = _trigger_tokens(token, trigger.entry)
        start = min(t.idx for t in trigger_tokens)
        end = max(t.idx + len(t.text) for t in trigger_tokens)
        text = token.doc.text[start:end]
        sentence_text = sentence.text.strip()  # type: ignore[attr-defined]
        return Event(
            id=event_id(article_id, index, start, code, source, target),
            article_id=article_id,
            code=code,
            name=cameo.name,
            root_code=cameo.root,
            quad_class=cameo.quad_class,
            penta_class=cameo.penta_class,
            goldstein=cameo.goldstein,
            plover_event=cameo.plover_event,
            plover_mode=cameo.plover_mode,
            source=source,
            target=target,
            date=None,
            modality=self.modality(token),
            is_root=is_root,
            location=None,
            sentence_index=index,
            sentence=sentence_text,
            trigger=Span(start, end, text),
            rule=trigger.entry.rule,
        )

    # --- modality -----------------------------------------------------------------------

    def modality(self, token: Token) -> Modality:
        """Negated, future, hypothetical or asserted, from the trigger and the words that
        control it (``refused to sign``, ``will visit``, ``prepare for ... visit``)."""
        chain = _controllers(token)
        words = self.words
        if any(self._is_negated(t) for t in chain) or any(
            t.lemma_.lower() in words.negating_governors for t in chain[1:]
        ):
            return "negated"
        if any(t.lemma_.lower() in words.hypothetical_governors for t in chain[1:]):
            return "hypothetical"
        for node in chain:
            auxes = {c.lower_ for c in node.children if c.dep_ in {"aux", "auxpass"}}
            if auxes & words.hypothetical_auxiliaries:
                return "hypothetical"
            if any(
                c.dep_ == "mark" and c.lower_ in words.conditional_markers for c in node.children
            ):
                return "hypothetical"
            if auxes & words.future_auxiliaries:
                return "future"
            if node.i != token.i and node.lemma_.lower() in words.future_governors:
                return "future"
        if any(c.lower_ in words.future_modifiers for c in token.children if c.dep_ == "amod"):
            return "future"
        return "asserted"

    def _is_negated(self, token: Token) -> bool:
        return any(
            (c.dep_ == "neg") or (c.dep_ in {"det", "advmod"} and c.lower_ in self.words.negators)
            for c in token.children
        )


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


def _default_source_slots(token: Token) -> tuple[str, ...]:
    if token.pos_ == "NOUN":
        return ("poss", "modifier", "by", "governor-subject")
    return ("subject", "governor-subject")


def _default_target_slots(token: Token) -> tuple[str, ...]:
    if token.pos_ == "NOUN":
        return ("against", "on", "to", "with", "governor-object")
    return ("object", "dative", "with", "to", "against", "on")


def _actors_in_slots(
    token: Token, slots: Iterable[str], actors: Mapping[int, Actor], speaker: Actor | None
) -> list[Actor]:
    """The actors in the first slot that has any (with their coordinated conjuncts)."""
    for slot in slots:
        found: list[Actor] = []
        for head in _slot_tokens(token, slot):
            for member in (head, *_conjuncts(head)):
                actor = _actor_of(member, actors, speaker)
                if actor is None and slot in {"object", "dative"}:
                    # "attacked its border posts": an object that is no actor stands for its owner
                    owners = [c for c in member.children if c.dep_ == "poss"]
                    actor = next((a for o in owners if (a := _actor_of(o, actors, speaker))), None)
                if actor is not None and actor not in found:
                    found.append(actor)
        if found:
            return found
    return []


def _actor_of(token: Token, actors: Mapping[int, Actor], speaker: Actor | None) -> Actor | None:
    """The token's actor; inside a reported clause, the speaker's pronouns are the speaker."""
    if speaker is not None and token.lower_ in SPEAKER_PRONOUNS:
        return speaker
    return actors.get(token.i)


def _slot_tokens(token: Token, slot: str) -> list[Token]:
    """The tokens that fill a dependency slot of the trigger."""
    children = list(token.children)
    passive = any(c.dep_ in PASSIVE_SUBJECT_DEPS for c in children)
    if slot == "subject":
        if passive:
            return [
                g
                for c in children
                if c.dep_ in {"agent"} or (c.dep_ == "prep" and c.lower_ == "by")
                for g in c.children
                if g.dep_ == "pobj"
            ]
        return [c for c in children if c.dep_ in SUBJECT_DEPS]
    if slot == "object":
        if passive:
            return [c for c in children if c.dep_ in PASSIVE_SUBJECT_DEPS]
        return [c for c in children if c.dep_ in {"dobj", "obj"}]
    if slot == "dative":
        return [c for c in children if c.dep_ in {"dative", "iobj"}]
    if slot == "poss":
        return [c for c in children if c.dep_ == "poss"]
    if slot == "modifier":
        return [c for c in children if c.dep_ in {"amod", "compound"} and c.i < token.i]
    if slot == "governor-subject":  # a passive's agent is its own ("was agreed" has none)
        return [] if passive else _inherited(token, "subject")
    if slot == "governor-object":
        return _inherited(token, "object")
    preps = [c for c in children if c.dep_ in {"prep", "agent"} and c.lower_ == slot]
    if token.pos_ == "NOUN" and token.dep_ in {"dobj", "nsubjpass"}:
        preps += [c for c in token.head.children if c.dep_ == "prep" and c.lower_ == slot]
    if token.pos_ == "VERB":  # "signed an agreement with Japan": the object's phrase
        for obj in (c for c in children if c.dep_ in {"dobj", "obj"}):
            preps += [c for c in obj.children if c.dep_ == "prep" and c.lower_ == slot]
    return [g for p in preps for g in p.children if g.dep_ == "pobj"]


def _inherited(token: Token, slot: str) -> list[Token]:
    """An argument taken from the verb that governs the trigger (control, coordination, light
    verbs): ``Lavrov made the remarks after meeting ...``, ``Japan imposed sanctions``."""
    node = token
    while node.dep_ in CONTROL_DEPS and node.head.i != node.i:
        if node.dep_ in CLAUSE_DEPS:
            return []
        link = "of" if node.dep_ == "prep" and node.lower_ == "of" else node.dep_
        node = node.head
        if node.pos_ in {"VERB", "AUX"}:
            # object control: "urged Tokyo to discuss", "accused Mordor of a raid"
            if slot == "subject" and link in {"xcomp", "of"}:
                controller = _slot_tokens(node, "object")
                if controller:
                    return controller
            found = _slot_tokens(node, slot)
            if found:
                return found
    return []


def _conjuncts(token: Token) -> list[Token]:
    return [t for t in token.conjuncts if t.i > token.i]


def _objects_of(token: Token) -> list[Token]:
    objects = [c for c in token.children if c.dep_ in {"dobj", "obj", "nsubjpass", "attr"}]
    for prep in (c for c in token.children if c.dep_ == "prep"):
        objects += [g for g in prep.children if g.dep_ == "pobj"]
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
    (``refused to sign``), a verb it is coordinated with when it has no subject of its own
    (``will visit Japan and hold talks``), the light verb of an event noun (``held no talks``), and the verb of
    a ``for`` phrase (``prepare for Putin's visit``)."""
    chain = [token]
    node = token
    while node.head.i != node.i:
        light_verb = (
            node.i == token.i and node.pos_ == "NOUN" and node.dep_ in {"dobj", "nsubjpass"}
        )
        shared_verb = node.dep_ == "conj" and node.pos_ == "VERB" and not _has_own_subject(node)
        if node.dep_ == "xcomp" or light_verb or shared_verb:  # "will visit and hold talks"
            node = node.head
        elif node.dep_ == "pobj" and node.head.dep_ == "prep" and node.head.lower_ == "for":
            node = node.head.head
        else:
            break
        chain.append(node)
    return chain


def _has_own_subject(token: Token) -> bool:
    return any(c.dep_ in SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS for c in token.children)


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


def _trigger_tokens(token: Token, entry: VerbEntry) -> list[Token]:
    tokens = [token]
    if entry.particle:
        tokens += [c for c in token.children if c.lower_ == entry.particle and c.dep_ == "prt"]
    return tokens


def _depth(token: Token) -> int:
    depth = 0
    while token.head.i != token.i:
        token = token.head
        depth += 1
    return depth


def _root_trigger(tokens: Sequence[Token]) -> Token | None:
    """The sentence's principal event: the trigger nearest the root of the dependency tree,
    the earlier one on a tie (the GDELT notion of a root event)."""
    if not tokens:
        return None
    return min(tokens, key=lambda t: (_depth(t), t.i))
