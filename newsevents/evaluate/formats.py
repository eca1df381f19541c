"""Evaluate the coder against gold-standard event data (docs/accuracy.md).

Each gold format has an evaluator: a function ``evaluate(pipeline, path, *, limit=None)`` that
codes the gold sentences with the pipeline and returns an :class:`EvaluationReport`. The formats
are a registry mapping a name to the dotted path of its evaluator, imported when first used, so a
format can live in its own module (``petrarch`` does).

>>> report = evaluate(Pipeline(), Path("cameo_class/train.tsv"), "conflibert")  # doctest: +SKIP
>>> report.metric("macro_f1")                                                    # doctest: +SKIP
0.71

Every evaluator predicts from the sentence's **root event** (``Event.is_root``; the first one when
the parser splits a gold sentence in two). A sentence with no event counts as a miss.
"""

from __future__ import annotations

import importlib
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from spacy.tokens import Doc

from newsevents.dictionaries import data_path, read_tsv
from newsevents.errors import EvaluationError
from newsevents.model import Actor, Article, CodedArticle, Event

if TYPE_CHECKING:
    from newsevents.coding.pipeline import Pipeline

Evaluator = Callable[..., "EvaluationReport"]
"""``evaluator(pipeline, path, *, limit=None) -> EvaluationReport``."""

FORMATS: Mapping[str, str] = MappingProxyType(
    {
        "conflibert": "newsevents.evaluate.formats:evaluate_conflibert",
        "plover": "newsevents.evaluate.formats:evaluate_plover",
        "petrarch": "newsevents.evaluate.petrarch:evaluate",
        "articles": "newsevents.evaluate.articles:evaluate",
    }
)
"""Gold format name -> ``module:function`` of its evaluator."""
FOLDER_FORMATS = frozenset({"articles"})
"""Formats whose gold is a folder (a file of it is accepted too)."""

NO_EVENT = "none"
OUTSIDE_CODEBOOK = "outside the codebook"
BIO_TAG = re.compile(r"^(?:O|[BI]-\w+)$")
"""The predicted label of a sentence in which no event was coded."""
PENTA_LABELS = ("0", "1", "2", "3", "4")
CONFLIBERT_PENTA: Mapping[str, str] = MappingProxyType(
    {
        **dict.fromkeys(("01", "02"), "0"),
        **dict.fromkeys(("03", "04", "05"), "1"),
        **dict.fromkeys(("06", "07", "08"), "2"),
        **dict.fromkeys(("09", "10", "11", "12", "13", "16"), "3"),
        **dict.fromkeys(("14", "15", "17", "18", "19", "20"), "4"),
    }
)
"""CAMEO root -> penta class as the ConfliBERT CAMEO data labels it (the Phoenix/UTD
convention): investigations (09) and reduced relations (16) are verbal conflict, protests (14)
and force postures (15) material conflict. The codebook's ``penta_class`` follows the
issue's root ranges instead (06-09, 10-14, 15-20); docs/accuracy.md shows both."""
PLOVER_05_TO_08: Mapping[str, str] = MappingProxyType(
    {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT"}
)
"""PLOVER 0.5b1 category names (the GSR's) renamed in the 2021 draft 0.8 that the codebook uses."""
EXAMPLE_MISSES = 10
WORST_CONFUSIONS = 10
BATCH_SIZE = 256


# --- the report -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Metric:
    """One figure: ``value == numerator / denominator`` for rates (F1 has no such pair)."""

    name: str
    value: float
    numerator: int | None = None
    denominator: int | None = None


@dataclass(frozen=True)
class LabelScore:
    """Precision, recall and F1 of one gold label."""

    label: str
    precision: float
    recall: float
    f1: float
    support: int
    """Gold items with this label."""
    predicted: int
    """Items predicted with this label."""


@dataclass(frozen=True)
class Confusion:
    gold: str
    predicted: str
    count: int


@dataclass(frozen=True)
class Miss:
    """A gold item the coder got wrong, with what it predicted and the rule that fired."""

    text: str
    gold: str
    predicted: str
    rule: str | None = None
    trigger: str | None = None


@dataclass(frozen=True)
class EvaluationReport:
    """What an evaluator measured on one gold file."""

    format: str
    task: str
    gold: str
    items: int
    metrics: tuple[Metric, ...]
    labels: tuple[LabelScore, ...] = ()
    confusions: tuple[Confusion, ...] = ()
    """The worst-confused (gold, predicted) pairs, most frequent first."""
    misses: tuple[Miss, ...] = ()
    """Example misses, spread over the gold file."""

    def metric(self, name: str) -> float:
        for metric in self.metrics:
            if metric.name == name:
                return metric.value
        raise KeyError(name)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


# --- the registry -----------------------------------------------------------------------------


def evaluator(name: str, formats: Mapping[str, str] = FORMATS) -> Evaluator:
    """The evaluator registered for a gold format, imported on first use."""
    target = formats.get(name)
    if target is None:
        known = ", ".join(sorted(formats))
        raise EvaluationError(f"unknown gold format {name!r}; known formats: {known}")
    module_name, _, function_name = target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name != module_name:
            raise
        raise EvaluationError(
            f"the {name!r} evaluator ({target}) is not installed in this version of newsevents"
        ) from exc
    function = getattr(module, function_name, None)
    if not callable(function):
        raise EvaluationError(f"{target} is not an evaluator function")
    return function  # type: ignore[no-any-return]


def evaluate(
    pipeline: Pipeline, path: Path, fmt: str, *, limit: int | None = None, **options: Any
) -> EvaluationReport:
    """Code the gold file ``path`` (format ``fmt``; a folder for ``FOLDER_FORMATS``) and score
    the result. ``options`` go to the evaluator (``min_confidence`` for ``articles``)."""
    if not (path.is_file() or (fmt in FOLDER_FORMATS and path.is_dir())):
        raise EvaluationError(f"{path}: no such gold file")
    return evaluator(fmt)(pipeline, path, limit=limit, **options)


# --- gold readers -----------------------------------------------------------------------------


@dataclass(frozen=True)
class LabelledSentence:
    text: str
    label: str
    line: int


@dataclass(frozen=True)
class TaggedSentence:
    """A CoNLL sentence: tokens with BIO tags (``B-S``, ``I-T``, ``O`` ...)."""

    tokens: tuple[str, ...]
    tags: tuple[str, ...]
    line: int


@dataclass(frozen=True)
class PloverRecord:
    id: str
    text: str
    event: str
    sources: tuple[str, ...]
    """Gold source codes (countries, or ``IGO``/``NGO``)."""
    targets: tuple[str, ...]


def _lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise EvaluationError(f"{path}: cannot read: {exc}") from exc


def conflibert_task(path: Path) -> str:
    """``class`` for ``sentence<TAB>label`` files, ``ner`` for CoNLL token/tag files."""
    for line in _lines(path):
        if not line.strip():
            continue
        if "\t" in line and line.rsplit("\t", 1)[1].strip().isdigit():
            return "class"
        cells = line.split()
        if len(cells) >= 2 and BIO_TAG.match(cells[-1]):
            return "ner"
        break
    raise EvaluationError(
        f"{path}: neither a ConfliBERT cameo_class file (sentence<TAB>label) "
        "nor a cameo_ner file (token and BIO tag per line)"
    )


def read_class_tsv(path: Path, limit: int | None = None) -> list[LabelledSentence]:
    """``sentence<TAB>label`` lines, label a penta class 0-4."""
    found: list[LabelledSentence] = []
    for number, line in enumerate(_lines(path), start=1):
        if not line.strip():
            continue
        text, _, label = line.rpartition("\t")
        label = label.strip()
        if not text.strip() or label not in PENTA_LABELS:
            raise EvaluationError(
                f"{path}:{number}: expected 'sentence<TAB>label' with a label 0-4"
            )
        found.append(LabelledSentence(text.strip(), label, number))
        if limit is not None and len(found) >= limit:
            break
    return found


def read_conll(path: Path, limit: int | None = None) -> list[TaggedSentence]:
    """Token-per-line files with the BIO tag last; blank lines separate sentences."""
    found: list[TaggedSentence] = []
    tokens: list[str] = []
    tags: list[str] = []
    start = 1
    for number, line in enumerate([*_lines(path), ""], start=1):
        if not line.strip():
            if tokens:
                found.append(TaggedSentence(tuple(tokens), tuple(tags), start))
                tokens, tags = [], []
                if limit is not None and len(found) >= limit:
                    break
            continue
        cells = line.split()
        tag = cells[-1]
        if len(cells) < 2 or not (tag == "O" or tag[:2] in {"B-", "I-"}):
            raise EvaluationError(f"{path}:{number}: expected 'token tag' with a BIO tag")
        if not tokens:
            start = number
        tokens.append(cells[0])
        tags.append(tag)
    return found


def read_plover_gsr(path: Path, limit: int | None = None) -> list[PloverRecord]:
    """The PLOVER gold-standard records (a JSON array); ``DOCUMENT`` records are skipped."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise EvaluationError(f"{path}: not a PLOVER gold-standard JSON array: {exc}") from exc
    if not isinstance(raw, list):
        raise EvaluationError(f"{path}: expected a JSON array of records")
    found: list[PloverRecord] = []
    for position, record in enumerate(raw):
        if not isinstance(record, dict) or record.get("event") == "DOCUMENT":
            continue
        text, event = record.get("text"), record.get("event")
        if not isinstance(text, str) or not isinstance(event, str):
            raise EvaluationError(f"{path}: record {position} lacks 'text' or 'event'")
        found.append(
            PloverRecord(
                str(record.get("id", position)),
                text.strip(),
                event,
                _gsr_codes(record.get("source")),
                _gsr_codes(record.get("target")),
            )
        )
        if limit is not None and len(found) >= limit:
            break
    return found


def _gsr_codes(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    codes = (a.get("code") for a in value if isinstance(a, dict))
    return tuple(c for c in codes if isinstance(c, str) and c)


# --- coding the gold sentences ----------------------------------------------------------------


def code_texts(pipeline: Pipeline, texts: Sequence[str]) -> Iterator[CodedArticle]:
    """Code each text as a one-sentence article, batched through the parser."""
    docs = pipeline.parser.pipe(texts, batch_size=BATCH_SIZE)
    for number, (text, doc) in enumerate(zip(texts, docs, strict=True)):
        yield pipeline.code(Article(id=f"gold-{number}", text=text), doc)


def code_tokens(
    pipeline: Pipeline, sentences: Sequence[Sequence[str]]
) -> Iterator[tuple[Doc, CodedArticle]]:
    """Code pre-tokenized sentences, keeping the gold tokenization (so tags align)."""
    vocab = pipeline.parser.nlp.vocab
    docs = (Doc(vocab, words=list(words), spaces=_spaces(words)) for words in sentences)
    parsed = pipeline.parser.nlp.pipe(docs, batch_size=BATCH_SIZE)
    for number, doc in enumerate(parsed):
        yield doc, pipeline.code(Article(id=f"gold-{number}", text=doc.text), doc)


NO_SPACE_BEFORE = frozenset({".", ",", ":", ";", "!", "?", "%", ")", "]", "'s", "'", "n't"})
NO_SPACE_AFTER = frozenset({"(", "[", "$"})


def _spaces(words: Sequence[str]) -> list[bool]:
    """Whitespace after each token, as news text would have it."""
    following = [*words[1:], ""]
    return [
        bool(nxt) and nxt not in NO_SPACE_BEFORE and word not in NO_SPACE_AFTER
        for word, nxt in zip(words, following, strict=True)
    ]


def root_events(coded: CodedArticle) -> list[Event]:
    """The events of the article's first root trigger (coordinated actors give several)."""
    roots = [e for e in coded.events if e.is_root]
    if not roots:
        return list(coded.events[:1])
    first = roots[0]
    return [
        e for e in roots if e.sentence_index == first.sentence_index and e.trigger == first.trigger
    ]


# --- metrics ----------------------------------------------------------------------------------


def ratio(numerator: int, denominator: int) -> float:
    return numerator / denominator if denominator else 0.0


def f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def label_scores(pairs: Sequence[tuple[str, str]], labels: Iterable[str]) -> tuple[LabelScore, ...]:
    """Per-label precision, recall and F1 from (gold, predicted) pairs."""
    scores = []
    for label in labels:
        support = sum(1 for gold, _ in pairs if gold == label)
        predicted = sum(1 for _, pred in pairs if pred == label)
        correct = sum(1 for gold, pred in pairs if gold == pred == label)
        precision, recall = ratio(correct, predicted), ratio(correct, support)
        scores.append(
            LabelScore(label, precision, recall, f1(precision, recall), support, predicted)
        )
    return tuple(scores)


def worst_confusions(pairs: Iterable[tuple[str, str]]) -> tuple[Confusion, ...]:
    counts = Counter((gold, pred) for gold, pred in pairs if gold != pred)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return tuple(Confusion(g, p, n) for (g, p), n in ranked[:WORST_CONFUSIONS])


def spread(misses: Sequence[Miss], count: int = EXAMPLE_MISSES) -> tuple[Miss, ...]:
    """``count`` misses evenly spaced over the file, so examples are not all from its start."""
    if len(misses) <= count:
        return tuple(misses)
    step = len(misses) / count
    return tuple(misses[int(i * step)] for i in range(count))


def _miss(text: str, gold: str, predicted: str, event: Event | None) -> Miss:
    if event is None:
        return Miss(text, gold, predicted)
    return Miss(text, gold, predicted, event.rule, event.trigger.text)


def _classification_metrics(
    pairs: Sequence[tuple[str, str]],
    labels: tuple[LabelScore, ...],
    accuracy_name: str = "accuracy",
) -> list[Metric]:
    correct = sum(1 for gold, pred in pairs if gold == pred)
    covered = sum(1 for _, pred in pairs if pred != NO_EVENT)
    return [
        Metric(accuracy_name, ratio(correct, len(pairs)), correct, len(pairs)),
        Metric("macro_f1", sum(s.f1 for s in labels) / len(labels) if labels else 0.0),
        Metric("coverage", ratio(covered, len(pairs)), covered, len(pairs)),
    ]


# --- ConfliBERT -------------------------------------------------------------------------------


def evaluate_conflibert(
    pipeline: Pipeline, path: Path, *, limit: int | None = None
) -> EvaluationReport:
    """ConfliBERT CAMEO data: ``cameo_class`` (penta class per sentence) or ``cameo_ner``
    (source/target spans), told apart by the file's shape."""
    if conflibert_task(path) == "class":
        return evaluate_penta_classes(pipeline, path, limit=limit)
    return evaluate_spans(pipeline, path, limit=limit)


def evaluate_penta_classes(
    pipeline: Pipeline, path: Path, *, limit: int | None = None
) -> EvaluationReport:
    """Penta-class accuracy, macro-F1 over the five classes, per-class scores and coverage."""
    gold = read_class_tsv(path, limit)
    pairs: list[tuple[str, str]] = []
    codebook_correct = 0
    misses: list[Miss] = []
    for item, coded in zip(gold, code_texts(pipeline, [g.text for g in gold]), strict=True):
        roots = root_events(coded)
        event = roots[0] if roots else None
        predicted = _conflibert_penta(event)
        pairs.append((item.label, predicted))
        codebook_correct += int(event is not None and str(event.penta_class) == item.label)
        if predicted != item.label:
            misses.append(_miss(item.text, item.label, _event_label(event), event))
    labels = label_scores(pairs, PENTA_LABELS)
    metrics = _classification_metrics(pairs, labels)
    metrics.append(
        Metric("codebook_accuracy", ratio(codebook_correct, len(gold)), codebook_correct, len(gold))
    )
    return EvaluationReport(
        format="conflibert",
        task="penta class",
        gold=str(path),
        items=len(gold),
        metrics=tuple(metrics),
        labels=labels,
        confusions=worst_confusions(pairs),
        misses=spread(misses),
    )


def _event_label(event: Event | None) -> str:
    if event is None:
        return NO_EVENT
    return f"{_conflibert_penta(event)} ({event.code} {event.name})"


def _conflibert_penta(event: Event | None) -> str:
    """The data's penta class of an event; a code outside the codebook (from a user's
    PETRARCH verb file) has none and counts as a miss."""
    if event is None:
        return NO_EVENT
    return CONFLIBERT_PENTA.get(event.root_code or "", OUTSIDE_CODEBOOK)


@dataclass(frozen=True)
class GoldSpan:
    side: str
    """``S`` source, ``T`` target, ``R`` reciprocal (either side)."""
    tokens: frozenset[int]


def gold_spans(tags: Sequence[str]) -> list[GoldSpan]:
    """Spans from BIO tags; an ``I-`` without a matching ``B-`` starts a span."""
    spans: list[GoldSpan] = []
    current: list[int] = []
    side = ""
    for i, tag in enumerate([*tags, "O"]):
        inside = tag.startswith("I-") and tag[2:] == side and current
        if not inside and current:
            spans.append(GoldSpan(side, frozenset(current)))
            current = []
        if tag.startswith(("B-", "I-")) and not inside:
            side, current = tag[2:], [i]
        elif inside:
            current.append(i)
    return spans


@dataclass(frozen=True)
class SpanCounts:
    """Matched and total predicted and gold spans of one side."""

    predicted: int = 0
    predicted_matched: int = 0
    gold: int = 0
    gold_matched: int = 0

    def __add__(self, other: SpanCounts) -> SpanCounts:
        return SpanCounts(
            self.predicted + other.predicted,
            self.predicted_matched + other.predicted_matched,
            self.gold + other.gold,
            self.gold_matched + other.gold_matched,
        )

    def metrics(self, side: str) -> list[Metric]:
        precision = ratio(self.predicted_matched, self.predicted)
        recall = ratio(self.gold_matched, self.gold)
        return [
            Metric(f"{side}_precision", precision, self.predicted_matched, self.predicted),
            Metric(f"{side}_recall", recall, self.gold_matched, self.gold),
            Metric(f"{side}_f1", f1(precision, recall)),
        ]


def score_spans(
    gold: Sequence[GoldSpan], sources: Sequence[frozenset[int]], targets: Sequence[frozenset[int]]
) -> tuple[SpanCounts, SpanCounts]:
    """Source and target counts for one sentence, matching spans by token overlap.

    A predicted source matches an ``S`` or ``R`` gold span it overlaps, a predicted target a
    ``T`` or ``R`` span. An ``R`` span is gold for the side that matched it (the source side
    first); one that no prediction overlaps counts as a missed source when it is the sentence's
    first ``R`` span and as a missed target otherwise.
    """
    allowed = {"source": {"S", "R"}, "target": {"T", "R"}}
    predicted = {"source": sources, "target": targets}
    counts: dict[str, SpanCounts] = {}
    for side in ("source", "target"):
        spans = [g for g in gold if g.side in allowed[side]]
        matched = sum(1 for p in predicted[side] if any(p & g.tokens for g in spans))
        counts[side] = SpanCounts(len(predicted[side]), matched)
    first_r = next((g for g in gold if g.side == "R"), None)
    for span in gold:
        hit_source = any(p & span.tokens for p in sources)
        hit_target = any(p & span.tokens for p in targets)
        if span.side == "S" or (
            span.side == "R" and (hit_source or not hit_target and span is first_r)
        ):
            side, hit = "source", hit_source
        else:
            side, hit = "target", hit_target
        counts[side] += SpanCounts(0, 0, 1, int(hit))
    return counts["source"], counts["target"]


def _token_set(doc: Doc, actor: Actor | None) -> frozenset[int] | None:
    if actor is None:
        return None
    span = doc.char_span(actor.span.start, actor.span.end, alignment_mode="expand")
    return frozenset(t.i for t in span) if span is not None else None


def evaluate_spans(pipeline: Pipeline, path: Path, *, limit: int | None = None) -> EvaluationReport:
    """Source and target span precision, recall and F1 by token overlap."""
    gold = read_conll(path, limit)
    source_total, target_total = SpanCounts(), SpanCounts()
    misses: list[Miss] = []
    for item, (doc, coded) in zip(
        gold, code_tokens(pipeline, [g.tokens for g in gold]), strict=True
    ):
        roots = root_events(coded)
        sources = _distinct(_token_set(doc, e.source) for e in roots)
        targets = _distinct(_token_set(doc, e.target) for e in roots)
        spans = gold_spans(item.tags)
        source, target = score_spans(spans, sources, targets)
        source_total += source
        target_total += target
        if (
            source.gold_matched < source.gold
            or target.gold_matched < target.gold
            or (
                source.predicted_matched < source.predicted
                or target.predicted_matched < target.predicted
            )
        ):
            misses.append(
                _miss(
                    doc.text,
                    _describe_gold(doc, spans),
                    _describe_predicted(doc, sources, targets),
                    roots[0] if roots else None,
                )
            )
    return EvaluationReport(
        format="conflibert",
        task="source and target spans",
        gold=str(path),
        items=len(gold),
        metrics=tuple(source_total.metrics("source") + target_total.metrics("target")),
        misses=spread(misses),
    )


def _distinct(sets: Iterable[frozenset[int] | None]) -> list[frozenset[int]]:
    found: list[frozenset[int]] = []
    for tokens in sets:
        if tokens and tokens not in found:
            found.append(tokens)
    return found


def _span_text(doc: Doc, tokens: frozenset[int]) -> str:
    return doc[min(tokens) : max(tokens) + 1].text


def _describe_gold(doc: Doc, spans: Sequence[GoldSpan]) -> str:
    return "; ".join(f"{g.side}: {_span_text(doc, g.tokens)}" for g in spans) or "(no spans)"


def _describe_predicted(
    doc: Doc, sources: Sequence[frozenset[int]], targets: Sequence[frozenset[int]]
) -> str:
    parts = [f"S: {_span_text(doc, s)}" for s in sources]
    parts += [f"T: {_span_text(doc, t)}" for t in targets]
    return "; ".join(parts) or "(no actors)"


# --- PLOVER -----------------------------------------------------------------------------------


def organization_kinds() -> Mapping[str, str]:
    """Organization code -> ``IGO`` or ``NGO``, from the built-in organizations table."""
    rows = read_tsv(data_path("organizations.tsv"), ["code", "kind"])
    return MappingProxyType({row.cells["code"]: row.cells["kind"] for row in rows})


def actor_country(actor: Actor | None, kinds: Mapping[str, str]) -> str | None:
    """An actor's country, or ``IGO``/``NGO`` for an international body (the GSR's coding)."""
    if actor is None:
        return None
    if actor.country:
        return actor.country
    return kinds.get(actor.code[:3])


def evaluate_plover(
    pipeline: Pipeline, path: Path, *, limit: int | None = None
) -> EvaluationReport:
    """PLOVER category accuracy and source/target country accuracy on the PLOVER GSR.

    The GSR is coded in PLOVER 0.5b1; its category names that the 2021 draft renamed are mapped
    (``PLOVER_05_TO_08``) before comparing. Country accuracy counts the records whose gold side
    has a code: correct when the root event's actor country (``IGO``/``NGO`` for international
    bodies) is one of the gold codes.
    """
    gold = read_plover_gsr(path, limit)
    kinds = organization_kinds()
    pairs: list[tuple[str, str]] = []
    misses: list[Miss] = []
    country_hits = {"source": [0, 0], "target": [0, 0]}
    for item, coded in zip(gold, code_texts(pipeline, [g.text for g in gold]), strict=True):
        roots = root_events(coded)
        event = roots[0] if roots else None
        wanted = PLOVER_05_TO_08.get(item.event, item.event)
        predicted = (event.plover_event or f"({event.code})") if event else NO_EVENT
        pairs.append((wanted, predicted))
        for side, codes in (("source", item.sources), ("target", item.targets)):
            if not codes:
                continue
            got = {actor_country(getattr(e, side), kinds) for e in roots}
            country_hits[side][1] += 1
            country_hits[side][0] += int(bool(got & set(codes)))
        if predicted != wanted:
            misses.append(_miss(item.text, wanted, _plover_label(event), event))
    categories = sorted({g for g, _ in pairs})
    labels = label_scores(pairs, categories)
    metrics = _classification_metrics(pairs, labels, accuracy_name="category_accuracy")
    for side in ("source", "target"):
        hits, total = country_hits[side]
        metrics.append(Metric(f"{side}_country_accuracy", ratio(hits, total), hits, total))
    return EvaluationReport(
        format="plover",
        task="PLOVER category and actor countries",
        gold=str(path),
        items=len(gold),
        metrics=tuple(metrics),
        labels=labels,
        confusions=worst_confusions(pairs),
        misses=spread(misses),
    )


def _plover_label(event: Event | None) -> str:
    if event is None:
        return NO_EVENT
    source = event.source.code if event.source else "-"
    target = event.target.code if event.target else "-"
    return f"{event.plover_event or '-'} ({event.code} {source}->{target})"
