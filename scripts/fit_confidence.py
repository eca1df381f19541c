"""Fit the confidence model on our own article gold and measure its calibration.

    .venv/bin/python scripts/fit_confidence.py                 # fit, report, write nothing
    .venv/bin/python scripts/fit_confidence.py --write         # also write data/confidence.yaml
                                                               # and docs/confidence-reliability.png

Every emitted event of gold/articles is labelled right when a gold event accounts for its root,
source and target (the article evaluator's matching, docs/gold.md). The features are those of
``newsevents.coding.confidence``. The model is fitted on the development articles only; the
held-out articles (those whose number is divisible by 4: 04, 08, ..., docs/gold.md) are never
seen by it and are scored last. Calibration is measured twice: 5-fold cross-validation by
article over the development articles (the track records, per root and entry, computed on the
training folds only), and the final model on the held-out articles. The default threshold is
the one that gives the best F1 of recall and precision (root + source + target) on the
cross-validated development scores.
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import sys
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

import numpy
import yaml
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from newsevents.coding.confidence import (
    FEATURES,
    ConfidenceModel,
    entry_key,
    features,
    log_odds,
)
from newsevents.coding.pipeline import Pipeline
from newsevents.dictionaries import data_path
from newsevents.evaluate.articles import (
    HEADLINE,
    GoldArticle,
    code_articles,
    organization_kinds,
    read_gold_articles,
    score_all,
)
from newsevents.model import CodedArticle, Event

ROOT = Path(__file__).resolve().parent.parent
PRIOR_WEIGHT = 30.0
"""Pseudo-events a track record is shrunk with (towards the root's, the root's towards all).
Chosen with REGULARISATION on the development articles' cross-validated calibration (a grid
of 4, 12, 30 by C 0.03, 0.1, 0.3): 30 and 0.1 gave ECE 0.050. The grid's errors range from
0.05 to 0.22 on a few hundred events: the choice is noisy, the held-out figure is the one to
quote."""
BINS = 10
REGULARISATION = 0.1
"""scikit-learn's C (smaller is smoother); see PRIOR_WEIGHT."""


@dataclasses.dataclass(frozen=True)
class Sample:
    article: int
    event: Event
    values: dict[str, float]
    right: bool


def samples(pipeline: Pipeline, model: ConfidenceModel, gold: Path) -> tuple[list, list, list]:
    golds = read_gold_articles(gold)
    coded = code_articles(pipeline, golds)
    outcomes = score_all(golds, coded, organization_kinds())
    docs = [pipeline.parser(c.article.text) for c in coded]
    found: list[Sample] = []
    for index, (doc, outcome, article) in enumerate(zip(docs, outcomes, coded, strict=True)):
        quoted = [q.span for q in article.quotes if q.direct and q.span is not None]
        counts: dict[int, int] = defaultdict(int)
        for event in article.events:
            counts[event.sentence_index] += 1
        for event_outcome in outcome.events:
            event = event_outcome.emitted.event
            values = features(event, doc, model, quoted, counts)
            right = event_outcome.accounted_by is not None
            found.append(Sample(index, event, values, right))
    return found, golds, coded


def held_out(gold: GoldArticle) -> bool:
    """Whether an article is one of the held-out ones (its number is divisible by 4)."""
    number = gold.name.split("-", 1)[0]
    return number.isdigit() and int(number) % 4 == 0


def records(train: Sequence[Sample]) -> tuple[dict[str, float], dict[str, float]]:
    """Per root and per entry: the share right, smoothed, as log-odds."""
    overall = sum(s.right for s in train) / max(len(train), 1)
    by_root: dict[str, list[bool]] = defaultdict(list)
    by_entry: dict[str, list[bool]] = defaultdict(list)
    for sample in train:
        by_root[sample.event.root_code or ""].append(sample.right)
        by_entry[entry_key(sample.event.rule)].append(sample.right)
    roots = {r: _shrunk(v, overall) for r, v in by_root.items()}
    entries = {}
    for rule, values in by_entry.items():
        root = next(s.event.root_code or "" for s in train if entry_key(s.event.rule) == rule)
        entries[rule] = _shrunk(values, _share(roots.get(root, log_odds(overall))))
    return {r: log_odds(v) for r, v in roots.items()}, {e: log_odds(v) for e, v in entries.items()}


def _shrunk(values: Sequence[bool], prior: float) -> float:
    return (sum(values) + PRIOR_WEIGHT * prior) / (len(values) + PRIOR_WEIGHT)


def _share(logit: float) -> float:
    return 1.0 / (1.0 + math.exp(-logit))


def matrix(data: Sequence[Sample], roots: dict[str, float], entries: dict[str, float]):
    rows = []
    for sample in data:
        values = dict(sample.values)
        root = roots.get(sample.event.root_code or "", 0.0)
        values["root_record"] = root
        values["entry_record"] = entries.get(entry_key(sample.event.rule), root)
        rows.append([values.get(name, 0.0) for name in FEATURES])
    return numpy.array(rows, dtype=float), numpy.array([s.right for s in data], dtype=int)


def fit(data: Sequence[Sample]):
    roots, entries = records(data)
    x, y = matrix(data, roots, entries)
    model = LogisticRegression(C=REGULARISATION, max_iter=2000).fit(x, y)
    return model, roots, entries


def cross_validated_scores(data: Sequence[Sample]) -> numpy.ndarray:
    groups = numpy.array([s.article for s in data])
    scores = numpy.zeros(len(data))
    for train, test in GroupKFold(n_splits=5).split(numpy.zeros(len(data)), groups=groups):
        model, roots, entries = fit([data[i] for i in train])
        x, _ = matrix([data[i] for i in test], roots, entries)
        scores[test] = model.predict_proba(x)[:, 1]
    return scores


def calibration(scores: numpy.ndarray, labels: numpy.ndarray) -> tuple[float, list[tuple]]:
    """Expected calibration error over equal-width bins, and each bin's figures."""
    edges = numpy.linspace(0, 1, BINS + 1)
    rows, error = [], 0.0
    for low, high in zip(edges[:-1], edges[1:], strict=True):
        inside = (scores >= low) & ((scores < high) if high < 1 else (scores <= high))
        if inside.any():
            mean, right = scores[inside].mean(), labels[inside].mean()
            error += inside.sum() / len(scores) * abs(mean - right)
            rows.append((low, high, int(inside.sum()), float(mean), float(right)))
    return error, rows


def with_scores(coded: Sequence[CodedArticle], data: Sequence[Sample], scores) -> list:
    by_id = {id(s.event): float(p) for s, p in zip(data, scores, strict=True)}
    return [
        dataclasses.replace(
            article,
            events=tuple(
                dataclasses.replace(e, confidence=by_id.get(id(e), 0.0)) for e in article.events
            ),
        )
        for article in coded
    ]


def threshold_table(golds, coded, data, scores) -> list[tuple[float, float, float, float]]:
    rescored = with_scores(coded, data, scores)
    organizations = organization_kinds()
    table = []
    for threshold in numpy.arange(0.0, 0.95, 0.05):
        outcomes = score_all(golds, rescored, organizations, float(threshold))
        found = [g for o in outcomes for g in o.golds]
        events = [e for o in outcomes for e in o.events]
        recall = sum(g.found[HEADLINE] for g in found) / max(len(found), 1)
        precision = sum(e.accounted_by is not None for e in events) / max(len(events), 1)
        f1 = 2 * recall * precision / (recall + precision) if recall + precision else 0.0
        table.append((float(threshold), recall, precision, f1))
    return table


def report_held_out(model, roots, entries, everything, golds, coded, threshold: float) -> None:
    """The final model on the held-out articles, which it never saw."""
    held = [i for i, gold in enumerate(golds) if held_out(gold)]
    data = [s for s in everything if s.article in held]
    if not data:
        return
    x, labels = matrix(data, roots, entries)
    scores = model.predict_proba(x)[:, 1]
    error, _ = calibration(scores, labels)
    table = threshold_table([golds[i] for i in held], [coded[i] for i in held], data, scores)
    at = {round(row[0], 2): row for row in table}
    _, recall, precision, _ = at[round(threshold, 2)]
    _, all_recall, all_precision, _ = at[0.0]
    print(f"held out ({len(held)} articles, {len(data)} events): calibration error {error:.3f};")
    print(f"  every event: recall {all_recall:.3f} precision {all_precision:.3f}")
    print(f"  at {threshold:.2f}: recall {recall:.3f} precision {precision:.3f}")


def plot(rows: list[tuple], error: float, out: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axis = plt.subplots(figsize=(5, 5))
    axis.plot([0, 1], [0, 1], linestyle="--", color="grey", label="perfect calibration")
    means = [r[3] for r in rows]
    rights = [r[4] for r in rows]
    sizes = [max(r[2], 1) * 4 for r in rows]
    axis.plot(means, rights, marker="o", color="#1f77b4", label=f"newsevents (ECE {error:.3f})")
    axis.scatter(means, rights, s=sizes, color="#1f77b4", alpha=0.3)
    axis.set_xlabel("confidence (held-out, 5-fold by article)")
    axis.set_ylabel("share right (root, source and target)")
    axis.set_xlim(0, 1)
    axis.set_ylim(0, 1)
    axis.set_title("Reliability on our article gold")
    axis.legend(loc="upper left")
    figure.tight_layout()
    figure.savefig(out, dpi=110)


def write_model(model, roots, entries, threshold: float) -> None:
    path = data_path("confidence.yaml")
    text = path.read_text(encoding="utf-8")
    head, _, _ = text.partition("\nthreshold:")
    contexts = yaml.safe_load(text)["context_words"]
    body = {
        "threshold": round(threshold, 2),
        "intercept": round(float(model.intercept_[0]), 4),
        "weights": {n: round(float(w), 4) for n, w in zip(FEATURES, model.coef_[0], strict=True)},
        "root_records": {r: round(v, 4) for r, v in sorted(roots.items()) if r},
        "entry_records": {e: round(v, 4) for e, v in sorted(entries.items())},
    }
    dumped = yaml.safe_dump(body, sort_keys=False, allow_unicode=True, width=100)
    words = yaml.safe_dump({"context_words": contexts}, sort_keys=False, width=96)
    path.write_text(head + "\n" + dumped + words, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--gold", type=Path, default=ROOT / "gold" / "articles")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args(argv)
    pipeline = Pipeline()
    model = ConfidenceModel.load()
    everything, golds, coded = samples(pipeline, model, args.gold)
    kept = [i for i, gold in enumerate(golds) if not held_out(gold)]
    data = [s for s in everything if s.article in kept]
    labels = numpy.array([s.right for s in data], dtype=int)
    print(f"{len(data)} emitted events, {labels.mean():.3f} right, {len(kept)} dev articles")
    scores = cross_validated_scores(data)
    error, rows = calibration(scores, labels)
    print(f"expected calibration error (5-fold by article, development): {error:.3f}")
    for low, high, n, mean, right in rows:
        print(f"  {low:.1f}-{high:.1f}: {n:4d} events, confidence {mean:.2f}, right {right:.2f}")
    dev_golds, dev_coded = [golds[i] for i in kept], [coded[i] for i in kept]
    table = threshold_table(dev_golds, dev_coded, data, scores)
    for threshold, recall, precision, f1 in table:
        print(f"  at {threshold:.2f}: recall {recall:.3f} precision {precision:.3f} F1 {f1:.3f}")
    best = max(table, key=lambda row: row[3])
    print(f"best threshold {best[0]:.2f}: recall {best[1]:.3f} precision {best[2]:.3f}")
    final, roots, entries = fit(data)
    report_held_out(final, roots, entries, everything, golds, coded, best[0])
    for name, weight in sorted(
        zip(FEATURES, final.coef_[0], strict=True), key=lambda item: -abs(item[1])
    ):
        print(f"  {name:18s} {weight:+.3f}")
    if args.write:
        write_model(final, roots, entries, best[0])
        plot(rows, error, ROOT / "docs" / "confidence-reliability.png")
        print("wrote newsevents/data/confidence.yaml and docs/confidence-reliability.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
