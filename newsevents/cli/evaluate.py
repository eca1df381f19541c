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
@click.argument("gold", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted(FORMATS)),
    required=True,
    help="The gold file's format (docs/accuracy.md).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--limit", type=click.IntRange(1, None), help="Score only the first N gold items.")
@dictionary_option
@library_errors
def evaluate(
    gold: Path, fmt: str, as_json: bool, limit: int | None, dictionaries: tuple[Path, ...]
) -> None:
    """Code the GOLD sentences with the current pipeline and score the result: penta class or
    PLOVER category accuracy and F1, actor span or country accuracy, the worst confusions and
    example misses."""
    from newsevents.evaluate.formats import evaluate as run
    from newsevents.evaluate.formats import evaluator

    evaluator(fmt)  # fail on a missing evaluator before loading the model
    report = run(_pipeline(dictionaries), gold, fmt, limit=limit)
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
    if fields.get("misses"):
        lines += ["", "example misses:"]
        for miss in fields["misses"]:
            lines.append(f"- {miss['text']}")
            lines.append(f"    gold: {miss['gold']}")
            lines.append(f"    predicted: {miss['predicted']}")
            if miss.get("rule"):
                lines.append(f"    rule: {miss['rule']} (trigger {miss.get('trigger')!r})")
    return "\n".join(lines)


def _metric_row(metric: dict[str, Any]) -> dict[str, Any]:
    count = ""
    if metric.get("denominator") is not None:
        count = f"{metric['numerator']}/{metric['denominator']}"
    return {"metric": metric["name"], "value": f"{metric['value']:.3f}", "count": count}
