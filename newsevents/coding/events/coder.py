"""The event coder: finds each sentence's triggers, runs the stages over the sentence, and turns
the candidates it keeps into :class:`~newsevents.model.Event` records with stable ids."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping, Sequence

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from newsevents.codebook import Codebook
from newsevents.coding.credits import credit_lines
from newsevents.coding.events.dictionary import Framing, ModalityWords, VerbDictionary
from newsevents.coding.events.framing import event_candidates, governed_acts, statement_contents
from newsevents.coding.events.match import TriggerMatcher
from newsevents.coding.events.modality import modal_flags, modality
from newsevents.coding.events.reports import in_report, statement
from newsevents.coding.events.sentence import Candidate, Sentence
from newsevents.coding.events.syntax import depth, word_class
from newsevents.coding.senses import Sense, Senses
from newsevents.errors import OptionError
from newsevents.model import Actor, Event, Modality, Span

REQUIREMENTS = ("dyad", "actor", "none")
"""What an event needs to be kept (``Settings.require``): a coded source and target
(``dyad``, PETRARCH's ``require_dyad``), at least one of them (``actor``, the default), or
nothing (``none``: an actorless event may stand as its sentence's principal one)."""


class EventCoder:
    """Codes the events of a parsed article, given its resolved actors."""

    def __init__(
        self,
        verbs: VerbDictionary,
        codebook: Codebook,
        words: ModalityWords,
        framing: Framing | None = None,
        require: str = "actor",
        framed_acts: bool = False,
    ) -> None:
        if require not in REQUIREMENTS:
            raise OptionError(f"require must be one of {', '.join(REQUIREMENTS)}, not {require!r}")
        self.require = require
        self.framed_acts = framed_acts
        self.verbs = verbs
        self.codebook = codebook
        self.words = words
        self.framing = framing or Framing.load(codebook=codebook)
        self._match = TriggerMatcher(verbs, words)

    def __call__(self, doc: Doc, actors: Mapping[int, Actor], article_id: str) -> tuple[Event, ...]:
        events: list[Event] = []
        credits = credit_lines(doc.text)
        for index, sentence in enumerate(doc.sents):
            words = [t for t in sentence if t.idx not in credits] if credits else sentence
            triggers = {t.token.i: t for t in map(self._match, words) if t is not None}
            read = Sentence.read(triggers, actors, self.framing, self.words)
            found = candidates(read, self.framed_acts)
            found = political(found, self.framing.senses.contexts(sentence))
            found = [c for c in found if self.framing.background.reason(c.tokens[0]) is None]
            events.extend(self._events(article_id, index, sentence, found))
        return tuple(events)

    def modality(self, token: Token) -> Modality:
        """Negated, future, hypothetical or asserted, from the trigger and the words that
        control it (``refused to sign``, ``will visit``, ``prepare for ... visit``)."""
        return modality(token, self.words)

    def modal_flags(self, token: Token) -> tuple[bool, bool, bool]:
        """(negated, future, hypothetical) for a trigger: "would not sign" is negated and
        hypothetical, "will not visit" negated and future."""
        return modal_flags(token, self.words)

    def _events(
        self,
        article_id: str,
        index: int,
        sentence: SpacySpan,
        found: Sequence[Candidate],
    ) -> Iterator[Event]:
        kept = kept_candidates(found, self.require)
        root = root_candidate(kept)
        for candidate in kept:
            yield self._event(article_id, index, sentence, candidate, candidate.anchor == root)

    def _event(
        self,
        article_id: str,
        index: int,
        sentence: SpacySpan,
        candidate: Candidate,
        is_root: bool,
    ) -> Event:
        cameo = self.codebook.get(candidate.code)
        # None for a code outside CAMEO: only a user's PETRARCH dictionary gives one
        trigger = _trigger_span(candidate)
        source, target = candidate.source, candidate.target
        return Event(
            id=event_id(article_id, index, trigger.start, candidate.code, source, target),
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
            trigger=trigger,
            rule=candidate.rule,
        )


def candidates(s: Sentence, framed_acts: bool = False) -> list[Candidate]:
    """The sentence's candidate events: its events (an act in a reported clause may replace
    the report), the statements of the reports not replaced, and, with ``framed_acts``, the
    folded acts that did not happen as told ("refused to sign": a negated signing beside the
    refusal)."""
    found: list[Candidate] = []
    replaced_reports: set[int] = set()
    for trigger in s.triggers.values():
        if trigger.entry.kind != "event" or trigger.token.i in s.framed:
            continue
        for candidate in event_candidates(s, trigger):
            report = s.reported.get(candidate.anchor.i)
            if report is not None:
                candidate, replaces = in_report(s, candidate, trigger, report)
                if replaces:
                    replaced_reports.add(report)
            found.append(candidate)
    for trigger in s.triggers.values():
        if trigger.entry.kind == "report" and trigger.token.i not in replaced_reports:
            found.extend(statement(s, trigger))
    if framed_acts:
        found.extend(governed_acts(s))
    return statement_contents(s, without_told_results(s, found))


def without_told_results(s: Sentence, found: Sequence[Candidate]) -> list[Candidate]:
    """The candidates less the results of a violent act that names whom it struck ("struck a
    house in Gaza, killing six people" is one attack on Gaza); when the act names no one ("a
    bomb hit a truck, killing two soldiers"), the result says whom."""
    struck = {t.i for c in found if c.target is not None for t in (c.anchor, *c.tokens)}
    return [c for c in found if s.results.get(c.anchor.i, -1) not in struck]


def political(found: Sequence[Candidate], contexts: Sequence[Sense]) -> list[Candidate]:
    """The candidates whose sense is political: a sport, business, accident, crime or weather
    context (framing.yaml ``senses``) vetoes its triggers unless a political actor takes part."""
    if not contexts:
        return list(found)
    return [
        c for c in found if Senses.veto(contexts, c.code, c.tokens[0], c.source, c.target) is None
    ]


def kept_candidates(found: Sequence[Candidate], require: str = "none") -> list[Candidate]:
    """The candidates that become events: those with the actors ``require`` asks for (see
    :data:`REQUIREMENTS`), no actorless event but the sentence's principal one, no event of an
    actor on itself, no second event of the same code between the same two mentions."""
    found = [c for c in found if has_required_actors(c, require)]
    kept: list[Candidate] = []
    seen: set[tuple[object, ...]] = set()
    principal = root_candidate(found)
    for candidate in found:
        source, target = candidate.source, candidate.target
        actorless = target is None or word_class(candidate.anchor) == "NOUN"
        if source is None and candidate.anchor != principal and actorless:
            continue  # an actorless event is kept only as the sentence's principal one
        if source is not None and target is not None and target == source:
            continue
        keys = same_event_keys(candidate)
        if seen.isdisjoint(keys):
            seen.update(keys)
            kept.append(candidate)
    return kept


def same_event_keys(candidate: Candidate) -> tuple[tuple[object, ...], ...]:
    """What makes two candidates one event: the same code between the same two mentions (and
    the same members of a phrase such as "both countries") in the same modality, however many
    of its words trigger it ("a drone attack": drone, attack); or the same trigger, code and
    actor codes (what the event id is made of)."""
    source, target = candidate.source, candidate.target
    mentions = (
        candidate.code,
        (source.span.start, source.code) if source else None,
        (target.span.start, target.code) if target else None,
        candidate.modality,
    )
    codes = (
        candidate.anchor.i,
        candidate.code,
        source.code if source else None,
        target.code if target else None,
    )
    return (("mentions", *mentions), ("codes", *codes))


def has_required_actors(candidate: Candidate, require: str) -> bool:
    """Whether the candidate has the coded actors ``require`` asks for."""
    if require == "dyad":
        return candidate.source is not None and candidate.target is not None
    if require == "actor":
        return candidate.source is not None or candidate.target is not None
    return True


def root_candidate(found: Sequence[Candidate]) -> Token | None:
    """The sentence's principal event: an event that is not negated before one that is, then
    the one nearest the root of the dependency tree, then the earlier one (the GDELT notion of
    a root event)."""
    if not found:
        return None
    best = min(
        found,
        key=lambda c: (c.modality == "negated", depth(c.anchor), c.anchor.i),
    )
    return best.anchor


def _trigger_span(candidate: Candidate) -> Span:
    """The characters of the candidate's trigger words, first to last."""
    doc = candidate.anchor.doc
    first = doc[min(t.i for t in candidate.tokens)]
    last = doc[max(t.i for t in candidate.tokens)]
    start, end = first.idx, last.idx + len(last.text)
    text = doc[first.i : last.i + 1].text  # doc.text[start:end], without joining every token
    return Span(start, end, text)


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
