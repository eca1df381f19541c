"""CLI commands for the evaluate area; registered on the main group by importing this module."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import click

from newsevents.cli.main import _pipeline, cli, dictionary_option, format_table, library_errors
from newsevents.evaluate.formats import FORMATS


@cli.command()
@click.argument("gold", type=click.Path(exists=True, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted(FORMATS)),
    required=True,
    help="The gold file's format (docs/accuracy.md; articles: a folder, docs/gold.md).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--limit", type=click.IntRange(1, None), help="Score only the first N gold items.")
@click.option(
    "--min-confidence",
    type=click.FloatRange(0.0, 1.0),
    help="articles: also score only the events of at least this confidence.",
)
@dictionary_option
@library_errors
def evaluate(
    gold: Path,
    fmt: str,
    as_json: bool,
    limit: int | None,
    min_confidence: float | None,
    dictionaries: tuple[Path, ...],
) -> None:
    """Code the GOLD sentences (or, with --format articles, the GOLD folder of articles) with
    the current pipeline and score the result: penta class or PLOVER category accuracy and F1,
    actor span or country accuracy, event recall and precision, the worst confusions and the
    misses."""
    from newsevents.evaluate.formats import evaluate as run
    from newsevents.evaluate.formats import evaluator

    options = {} if min_confidence is None else {"min_confidence": min_confidence}
    if options and fmt != "articles":
        raise click.UsageError("--min-confidence applies to --format articles only")
    evaluator(fmt)  # fail on a missing evaluator before loading the model
    report = run(_pipeline(dictionaries), gold, fmt, limit=limit, **options)
    if as_json:
        click.echo(json.dumps(dataclasses.asdict(report), indent=1, ensure_ascii=False))
    else:
        click.echo(render_report(report))


def render_report(report: Any) -> str:
    """A plain-text report: figures, per-label scores, worst confusions, example misses."""
    fields = dataclasses.asdict(report)
    lines = [f"{fields.get('format')}: {fields.get('task')} on {fields.get('gold')}"]
    lines.append(f"{fields.get('items')} gold item(s)")
    lines.append("")
    rows = [_metric_row(m) for m in fields.get("metrics", ())]
    if rows:
        lines.append(format_table(("metric", "value", "count"), rows))
    if fields.get("labels"):
        lines += ["", "per label:"]
        columns = ("label", "precision", "recall", "f1", "support", "predicted")
        lines.append(format_table(columns, fields["labels"]))
    if fields.get("confusions"):
        lines += ["", "worst confusions (gold -> predicted):"]
        lines.append(format_table(("gold", "predicted", "count"), fields["confusions"]))
    for breakdown in fields.get("breakdowns", ()):
        lines += ["", f"{breakdown['name']}:", _breakdown_table(breakdown["rows"])]
    if fields.get("misses"):
        title = "gold events missed:" if "unaccounted" in fields else "example misses:"
        lines += ["", title, *_miss_lines(fields["misses"])]
    if fields.get("unaccounted"):
        lines += ["", "emitted events no gold event accounts for:"]
        lines += _miss_lines(fields["unaccounted"])
    return "\n".join(lines)


def _miss_lines(misses: list[dict[str, Any]]) -> list[str]:
    lines = []
    for miss in misses:
        where = f"[{miss['article']}] " if miss.get("article") else ""
        lines.append(f"- {where}{miss['text']}")
        if miss.get("cause"):
            lines.append(f"    cause: {miss['cause']}")
        lines.append(f"    gold: {miss['gold']}")
        lines.append(f"    predicted: {miss['predicted']}")
        if miss.get("rule"):
            lines.append(f"    rule: {miss['rule']} (trigger {miss.get('trigger')!r})")
    return lines


def _breakdown_table(rows: list[dict[str, Any]]) -> str:
    """One row per group, one column per figure: ``value n/d``."""
    names = list(dict.fromkeys(m["name"] for row in rows for m in row["metrics"]))
    cells = [
        {"group": row["label"], **{m["name"]: _metric_cell(m) for m in row["metrics"]}}
        for row in rows
    ]
    return format_table(("group", *names), cells)


def _metric_cell(metric: dict[str, Any]) -> str:
    row = _metric_row(metric)
    return f"{row['value']} {row['count']}".strip()


def _metric_row(metric: dict[str, Any]) -> dict[str, Any]:
    count = ""
    if metric.get("denominator") is not None:
        count = f"{metric['numerator']}/{metric['denominator']}"
    return {"metric": metric["name"], "value": f"{metric['value']:.3f}", "count": count}
