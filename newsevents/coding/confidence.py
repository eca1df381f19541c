"""The confidence stage: how likely each coded event is right, from documented evidence.

Every event gets ``confidence``, a probability in 0–1, and ``evidence``, the features that
moved it most. The score is a logistic model over features a reader can check: whether both
actors were coded, the modality, a sports, business, accident or crime context around the
trigger, the dictionary entry's and the root's track record on our gold, whether the event was
reported or quoted, how far the actors are from the trigger, and so on. The weights, the track
records and the word lists live in ``data/confidence.yaml``; ``scripts/fit_confidence.py``
fits them on our own article gold and ``docs/confidence.md`` shows how well they are
calibrated. Nothing here changes which events are coded: readers filter on the score.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spacy.tokens import Doc, Token

from newsevents.dictionaries import data_path, read_yaml_mapping
from newsevents.errors import DictionaryError
from newsevents.model import CodedArticle, Event, Quote

CONFIDENCE_FILE = "confidence.yaml"
FEATURES = (
    "source_coded",
    "target_coded",
    "both_coded",
    "negated",
    "future",
    "hypothetical",
    "principal",
    "background",
    "same_country",
    "pronoun_actor",
    "sport_context",
    "business_context",
    "accident_context",
    "crime_context",
    "quoted",
    "reported",
    "actor_distance",
    "crowded_sentence",
    "lead_sentence",
    "verbal_conflict",
    "material_conflict",
    "root_record",
    "entry_record",
)
"""The evidence, in the order of the model's weights (docs/confidence.md defines each)."""
CONTEXTS = ("sport", "business", "accident", "crime")
SPEECH_LEMMAS = frozenset({"say", "tell", "add", "state", "report", "claim", "announce"})


@dataclass(frozen=True)
class ConfidenceModel:
    """The fitted model: weights per feature, the track records, the context words."""

    intercept: float
    weights: Mapping[str, float]
    root_records: Mapping[str, float]
    """Per CAMEO root: the share of its events right on the gold (smoothed), as log-odds."""
    entry_records: Mapping[str, float]
    """Per dictionary entry (``verbs.yaml id``, :func:`entry_key`): its share right, as log-odds."""
    context_words: Mapping[str, frozenset[str]]
    threshold: float
    """The default threshold readers apply (``--min-confidence``)."""

    @classmethod
    def load(cls, path: Path | None = None) -> ConfidenceModel:
        path = path or data_path(CONFIDENCE_FILE)
        data = read_yaml_mapping(path)
        return cls.from_mapping(data, path)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], path: Path) -> ConfidenceModel:
        weights = dict(data.get("weights") or {})
        unknown = sorted(set(weights) - set(FEATURES))
        if unknown:
            raise DictionaryError(path, None, f"unknown confidence feature(s): {unknown}")
        contexts = data.get("context_words") or {}
        return cls(
            intercept=float(data.get("intercept", 0.0)),
            weights={name: float(weights.get(name, 0.0)) for name in FEATURES},
            root_records={str(k): float(v) for k, v in (data.get("root_records") or {}).items()},
            entry_records={str(k): float(v) for k, v in (data.get("entry_records") or {}).items()},
            context_words={c: frozenset(map(str, contexts.get(c) or ())) for c in CONTEXTS},
            threshold=float(data.get("threshold", 0.5)),
        )

    def score(self, features: Mapping[str, float]) -> tuple[float, tuple[tuple[str, float], ...]]:
        """The probability and the contributions (weight × value) that moved it, largest first."""
        parts = {name: self.weights[name] * features.get(name, 0.0) for name in FEATURES}
        logit = self.intercept + sum(parts.values())
        evidence = sorted(
            ((name, round(value, 3)) for name, value in parts.items() if abs(value) >= 0.05),
            key=lambda item: -abs(item[1]),
        )
        return _sigmoid(logit), tuple(evidence[:6])


class ConfidenceScorer:
    """Pipeline stage: sets ``confidence`` and ``evidence`` on every event of an article."""

    def __init__(self, model: ConfidenceModel | None = None) -> None:
        self.model = model or ConfidenceModel.load()

    def __call__(
        self, doc: Doc, events: tuple[Event, ...], quotes: Iterable[Quote] = ()
    ) -> tuple[Event, ...]:
        quoted = [q.span for q in quotes if q.direct and q.span is not None]
        per_sentence: dict[int, int] = {}
        for event in events:
            per_sentence[event.sentence_index] = per_sentence.get(event.sentence_index, 0) + 1
        return tuple(
            self._scored(event, features(event, doc, self.model, quoted, per_sentence))
            for event in events
        )

    def _scored(self, event: Event, values: Mapping[str, float]) -> Event:
        probability, evidence = self.model.score(values)
        return dataclasses.replace(event, confidence=round(probability, 4), evidence=evidence)


def confident(coded: CodedArticle, min_confidence: float) -> CodedArticle:
    """The article with only the events whose confidence is at least ``min_confidence``
    (an event without a confidence is kept)."""
    kept = tuple(e for e in coded.events if e.confidence is None or e.confidence >= min_confidence)
    return dataclasses.replace(coded, events=kept) if len(kept) != len(coded.events) else coded


def features(
    event: Event,
    doc: Doc,
    model: ConfidenceModel,
    quoted: list[Any] = (),  # type: ignore[assignment]
    per_sentence: Mapping[int, int] | None = None,
) -> dict[str, float]:
    """The evidence for one event, each a number (0/1 flags, or a scaled quantity)."""
    trigger = _trigger_token(doc, event)
    lemmas = _sentence_lemmas(trigger) if trigger is not None else frozenset()
    values = _actor_features(event) | _modality_features(event)
    values |= {f"{c}_context": float(bool(lemmas & model.context_words[c])) for c in CONTEXTS}
    values |= _provenance_features(event, trigger, quoted, per_sentence or {})
    values |= _record_features(event, model)
    return values


def _actor_features(event: Event) -> dict[str, float]:
    source, target = event.source, event.target
    same = (
        source is not None
        and target is not None
        and source.country is not None
        and source.country == target.country
    )
    pronoun = any(a is not None and a.resolved_from is not None for a in (source, target))
    return {
        "source_coded": float(source is not None),
        "target_coded": float(target is not None),
        "both_coded": float(source is not None and target is not None),
        "same_country": float(same),
        "pronoun_actor": float(pronoun),
        "actor_distance": _actor_distance(event),
    }


def _modality_features(event: Event) -> dict[str, float]:
    return {
        "negated": float(event.modality == "negated"),
        "future": float(event.modality == "future"),
        "hypothetical": float(event.modality == "hypothetical"),
        "principal": float(event.is_root),
        "background": float(event.background),
        "verbal_conflict": float(event.quad_class == 3),
        "material_conflict": float(event.quad_class == 4),
    }


def _provenance_features(
    event: Event, trigger: Token | None, quoted: list[Any], per_sentence: Mapping[int, int]
) -> dict[str, float]:
    inside = any(span.start <= event.trigger.start < span.end for span in quoted)
    reported = trigger is not None and any(
        t.lemma_ in SPEECH_LEMMAS and t.pos_ == "VERB" for t in trigger.ancestors
    )
    return {
        "quoted": float(inside),
        "reported": float(reported),
        "crowded_sentence": float(min(per_sentence.get(event.sentence_index, 1) - 1, 3)),
        "lead_sentence": float(event.sentence_index <= 1),
    }


def _record_features(event: Event, model: ConfidenceModel) -> dict[str, float]:
    root = model.root_records.get(event.root_code or "", 0.0)
    entry = model.entry_records.get(entry_key(event.rule), root)
    return {"root_record": root, "entry_record": entry}


def entry_key(rule: str) -> str:
    """A dictionary entry's stable name: the id of ``verbs.yaml:LINE id`` (lines move)."""
    file, _, entry = rule.partition(" ")
    return f"{file.partition(':')[0]} {entry}" if entry else rule


def _actor_distance(event: Event) -> float:
    """How far (in hundreds of characters, capped at 3) the actors are from the trigger."""
    spans = [a.span for a in (event.source, event.target) if a is not None]
    if not spans:
        return 3.0
    trigger = event.trigger
    gap = max(min(abs(s.start - trigger.start), abs(s.end - trigger.end)) for s in spans)
    return min(gap / 100.0, 3.0)


def _trigger_token(doc: Doc, event: Event) -> Token | None:
    span = doc.char_span(event.trigger.start, event.trigger.end, alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def _sentence_lemmas(token: Token) -> frozenset[str]:
    return frozenset(t.lemma_.lower() for t in token.sent)


def _sigmoid(value: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(min(value, 30.0), -30.0)))


def log_odds(share: float) -> float:
    """A share as log-odds, kept off 0 and 1."""
    share = min(max(share, 0.02), 0.98)
    return math.log(share / (1.0 - share))
