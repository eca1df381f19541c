"""The ``petrarch`` evaluator: PETRARCH's unit-test records (``PETR.UnitTest.records.xml``).

Each ``<Sentence>`` has a date, a text and its expected codings: ``<EventCoding sourcecode
targetcode eventcode>``, or ``noevents``, or an ``error`` the coder should raise. The sentence
is coded as a one-sentence article of that date with the pipeline as built (give it the
``PETR.Validate.*`` dictionaries with ``--dictionary``). A coding is reproduced when one of the
sentence's events has exactly its source code, target code (``---`` = none) and event code; a
``noevents`` record or a discard error is reproduced when no event is coded. Every miss gets a
category (docs/actors.md): ``parse error``, ``dictionary feature not supported`` (PETRARCH's
unknown-actor codes such as ``---GOV``) or ``grammar`` (the rest: what our parse and argument
rules decide differently), which the report splits by what differs. Event codes outside the
CAMEO codebook are supported: a PETRARCH dictionary's codes are kept as written.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from newsevents.errors import EvaluationError
from newsevents.evaluate.formats import EvaluationReport, Metric, Miss, ratio, spread
from newsevents.model import Article, CodedArticle, Event

if TYPE_CHECKING:
    from newsevents.coding.pipeline import Pipeline

NO_TARGET = "---"
DISCARD_ERRORS = frozenset({"storydiscard", "sentencediscard"})
EXAMPLE_MISSES = 12

GRAMMAR = "grammar"
UNSUPPORTED = "dictionary feature not supported"
PARSE = "parse error"
CATEGORIES = (GRAMMAR, UNSUPPORTED, PARSE)
GRAMMAR_KINDS = (
    "event code right, actors differ",
    "actors right, event code differs",
    "events where none are expected",
    "neither code nor actors coded",
)
"""How a grammar miss differs from the expected coding, in the report's breakdown."""


@dataclass(frozen=True)
class Coding:
    """One expected outcome of a record: a (source, target, event) coding, ``noevents``, or
    an error name."""

    source: str | None = None
    target: str | None = None
    event: str | None = None
    noevents: bool = False
    error: str | None = None

    def label(self) -> str:
        if self.error:
            return f"error={self.error}"
        if self.noevents:
            return "no events"
        return f"{self.source} {self.target} {self.event}"


@dataclass(frozen=True)
class UnitTestRecord:
    id: str
    category: str
    date: dt.date | None
    text: str
    codings: tuple[Coding, ...]
    expected_to_pass: bool
    """``sentence="true"``: PETRARCH itself codes it right (``false`` marks known failures)."""


def read_records(path: Path, limit: int | None = None) -> list[UnitTestRecord]:
    """The ``<Sentence>`` records of a PETRARCH unit-test file, in file order."""
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as exc:
        raise EvaluationError(f"{path}: cannot read PETRARCH records: {exc}") from exc
    records = []
    for sentence in root.iter("Sentence"):
        text_node = sentence.find("Text")
        if text_node is None or not (text_node.text or "").strip():
            continue
        codings = tuple(_coding(node.attrib) for node in sentence.findall("EventCoding"))
        records.append(
            UnitTestRecord(
                id=sentence.get("id", f"record-{len(records) + 1}"),
                category=sentence.get("category", ""),
                date=_date(sentence.get("date", "")),
                text=" ".join((text_node.text or "").split()),
                codings=codings,
                expected_to_pass=sentence.get("sentence", "true").lower() == "true",
            )
        )
        if limit is not None and len(records) >= limit:
            break
    if not records:
        raise EvaluationError(f"{path}: no <Sentence> records with a <Text>")
    return records


def _coding(attrib: dict[str, str]) -> Coding:
    if "error" in attrib:
        return Coding(error=attrib["error"])
    if attrib.get("noevents", "").lower() == "true":
        return Coding(noevents=True)
    return Coding(
        attrib.get("sourcecode", "").strip().upper(),
        attrib.get("targetcode", "").strip().upper(),
        attrib.get("eventcode", "").strip().upper(),
    )


def _date(text: str) -> dt.date | None:
    try:
        return dt.datetime.strptime(text.strip(), "%Y%m%d").date()
    except ValueError:
        return None


def evaluate(pipeline: Pipeline, path: Path, *, limit: int | None = None) -> EvaluationReport:
    """Code every record and count the expected codings reproduced exactly."""
    records = read_records(path, limit)
    docs = pipeline.parser.pipe([r.text for r in records], batch_size=64)
    outcomes: list[tuple[UnitTestRecord, Coding, str | None]] = []
    produced = matched = outside = 0
    misses: list[Miss] = []
    for record, doc in zip(records, docs, strict=True):
        article = Article(id=record.id, text=record.text, published=record.date)
        coded = pipeline.code(article, doc)
        found = {_triple(e) for e in coded.events}
        produced += len(found)
        outside += sum(1 for e in coded.events if e.code not in pipeline.codebook)
        wanted = {(c.source, c.target, c.event) for c in record.codings if c.event}
        matched += len(found & wanted)
        for coding in record.codings:
            category = _miss_category(coding, coded, found)
            if category == GRAMMAR:
                category = f"{GRAMMAR}: {_grammar_kind(coding, found)}"
            outcomes.append((record, coding, category))
            if category is not None:
                misses.append(_miss(record, coding, coded, category))
    return _report(path, outcomes, (produced, matched, outside), misses, pipeline)


def _triple(event: Event) -> tuple[str, str, str]:
    source = event.source.code if event.source else NO_TARGET
    target = event.target.code if event.target else NO_TARGET
    return source, target, event.code


def _miss_category(
    coding: Coding, coded: CodedArticle, found: set[tuple[str, str, str]]
) -> str | None:
    """None when the coding is reproduced, else the category of the miss."""
    if coding.error:
        if coding.error in DISCARD_ERRORS:
            return None if not coded.events else GRAMMAR
        return PARSE  # PETRARCH's own parse-tree and dateline errors: we parse the text
    if coding.noevents:
        return None if not coded.events else GRAMMAR
    triple = (coding.source, coding.target, coding.event)
    if triple in found:
        return None
    if any(_unknown_actor(code) for code in (coding.source, coding.target)):
        return UNSUPPORTED
    return GRAMMAR


def _grammar_kind(coding: Coding, found: set[tuple[str, str, str]]) -> str:
    """Which of :data:`GRAMMAR_KINDS` a grammar miss is."""
    if coding.event is None:
        return GRAMMAR_KINDS[2]
    if any(code == coding.event for _, _, code in found):
        return GRAMMAR_KINDS[0]
    if (coding.source, coding.target) in {(s, t) for s, t, _ in found}:
        return GRAMMAR_KINDS[1]
    return GRAMMAR_KINDS[3]


def _unknown_actor(code: str | None) -> bool:
    """PETRARCH's codes for actors not in the dictionary: ``---GOV``, ``"INJURY TOLL"``."""
    return code is not None and (code.startswith(("---", "###", '"')) and code != NO_TARGET)


def _miss(record: UnitTestRecord, coding: Coding, coded: CodedArticle, category: str) -> Miss:
    predicted = "; ".join(" ".join(_triple(e)) for e in coded.events) or "no events"
    rules = "; ".join(dict.fromkeys(e.rule for e in coded.events))
    return Miss(
        f"[{record.id}] {record.text}",
        coding.label(),
        predicted,
        f"{category}" + (f" | rules: {rules}" if rules else ""),
        None,
    )


def _report(
    path: Path,
    outcomes: Sequence[tuple[UnitTestRecord, Coding, str | None]],
    counts: tuple[int, int, int],
    misses: Sequence[Miss],
    pipeline: Pipeline,
) -> EvaluationReport:
    produced, matched, outside = counts
    total = len(outcomes)
    hits = sum(1 for _, _, category in outcomes if category is None)
    passing = [o for o in outcomes if o[0].expected_to_pass]
    passing_hits = sum(1 for _, _, category in passing if category is None)
    metrics = [
        Metric("reproduced", ratio(hits, total), hits, total),
        Metric(
            "reproduced_where_petrarch_passes",
            ratio(passing_hits, len(passing)),
            passing_hits,
            len(passing),
        ),  # fmt: skip
        Metric("event_precision", ratio(matched, produced), matched, produced),
    ]
    by_kind = Counter(category for _, _, category in outcomes if category is not None)
    by_category = Counter(kind.split(":")[0] for kind in by_kind.elements())
    for category in CATEGORIES:
        count = by_category.get(category, 0)
        metrics.append(Metric(f"missed: {category}", ratio(count, total), count, total))
    for kind in GRAMMAR_KINDS:
        count = by_kind.get(f"{GRAMMAR}: {kind}", 0)
        metrics.append(Metric(f"missed: {GRAMMAR}: {kind}", ratio(count, total), count, total))
    groups = Counter(record.category for record, _, _ in outcomes)
    for group in sorted(groups):
        inside = [c for r, _, c in outcomes if r.category == group]
        ok = sum(1 for c in inside if c is None)
        metrics.append(Metric(f"reproduced in {group}", ratio(ok, len(inside)), ok, len(inside)))
    skipped = len(getattr(pipeline, "dictionary_problems", ()))
    metrics.append(Metric("skipped dictionary entries", float(skipped), skipped, None))
    metrics.append(
        Metric("events with codes outside the CAMEO codebook", float(outside), outside, None)
    )
    return EvaluationReport(
        format="petrarch",
        task="codings (source, target, event) reproduced exactly",
        gold=str(path),
        items=total,
        metrics=tuple(metrics),
        misses=spread(misses, EXAMPLE_MISSES),
    )
