"""The command line: a thin adapter over the library. Parses flags, calls one library function,
formats the result. Library errors become ``Error: ...`` messages with exit code 1."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sys
from collections.abc import Callable, Iterable, Sequence
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from .errors import NewsEventsError

F = TypeVar("F", bound=Callable[..., Any])

TABLE_EVENT_COLUMNS = (
    "date",
    "source",
    "code",
    "name",
    "target",
    "modality",
    "location",
    "trigger",
)


def library_errors(func: F) -> F:
    """Turn library errors into click errors (message, exit code 1)."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except NewsEventsError as exc:
            raise click.ClickException(str(exc)) from exc

    return wrapper  # type: ignore[return-value]


def dictionary_option(func: F) -> F:
    return click.option(
        "--dictionary",
        "dictionaries",
        multiple=True,
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help="Extra dictionary over the built-in ones (.yaml verbs, .tsv actors). Repeatable.",
    )(func)


def db_option(func: F) -> F:
    return click.option(
        "--db",
        required=True,
        type=click.Path(dir_okay=False, path_type=Path),
        help="The DuckDB event store.",
    )(func)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="newsevents")
def cli() -> None:
    """Turn news articles into explainable political event data (CAMEO, PLOVER)."""


def _pipeline(dictionaries: Sequence[Path]) -> Any:
    from .pipeline import Pipeline, Settings

    return Pipeline(Settings(dictionaries=tuple(dictionaries)))


@cli.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option(
    "--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True
)
@dictionary_option
@library_errors
def extract(inputs: tuple[str, ...], fmt: str, dictionaries: tuple[Path, ...]) -> None:
    """Code articles and print their events. INPUTS are .txt/.jsonl files, directories, or -
    for JSONL on standard input."""
    from .model import ReadError
    from .output import coded_article_dict
    from .read import read_inputs

    pipeline = _pipeline(dictionaries)
    failures = 0
    for result in pipeline.pipe(read_inputs(inputs, sys.stdin, pipeline.debris)):
        if isinstance(result, ReadError):
            failures += 1
            where = f"{result.input}:{result.position}" if result.position else result.input
            click.echo(f"warning: {where}: {result.reason}", err=True)
            continue
        if fmt == "jsonl":
            click.echo(json.dumps(coded_article_dict(result), ensure_ascii=False))
        else:
            _echo_article_table(result)
    if failures:
        click.echo(f"{failures} record(s) could not be read or coded", err=True)


def _echo_article_table(coded: Any) -> None:
    article = coded.article
    published = article.published.isoformat() if article.published else "no date"
    click.echo(
        f"{article.title or article.id}  ({article.source or 'unknown source'}, {published})"
    )
    for warning in article.warnings:
        click.echo(f"  warning: {warning}")
    rows = [_event_table_row(e) for e in coded.events]
    click.echo(format_table(TABLE_EVENT_COLUMNS, rows) if rows else "  (no events)")
    click.echo()


def _event_table_row(event: Any) -> dict[str, Any]:
    return {
        "date": event.date.value if event.date else "",
        "source": event.source.code if event.source else "",
        "code": event.code,
        "name": event.name,
        "target": event.target.code if event.target else "",
        "modality": event.modality,
        "location": event.location.name if event.location else "",
        "trigger": event.trigger.text,
    }


@cli.command()
@click.argument("inputs", nargs=-1, required=True)
@db_option
@dictionary_option
@click.option("--batch-size", default=64, show_default=True, type=click.IntRange(1, 10_000))
@click.option("--recode", is_flag=True, help="Code again articles that are already stored.")
@click.option("--quiet", is_flag=True, help="Print nothing but errors.")
@library_errors
def ingest(
    inputs: tuple[str, ...],
    db: Path,
    dictionaries: tuple[Path, ...],
    batch_size: int,
    recode: bool,
    quiet: bool,
) -> None:
    """Code articles and store them in a DuckDB file. Re-running skips stored articles."""
    from .ingest import ingest as run_ingest
    from .read import read_inputs
    from .store import Store

    pipeline = _pipeline(dictionaries)
    with Store(db) as store:
        summary = run_ingest(
            read_inputs(inputs, sys.stdin, pipeline.debris), store, pipeline, batch_size, recode
        )
    if not quiet:
        click.echo(
            f"read {summary.read} record(s): {summary.coded} article(s) coded, "
            f"{summary.skipped} already "
            f"stored, {summary.events} event(s), {summary.errors} error(s) -> {db}"
        )


@cli.command()
@db_option
@click.option("--actor", help="Events with this actor on either side (country or code prefix).")
@click.option("--dyad", nargs=2, help="Events between two actors, e.g. --dyad RUS JPN.")
@click.option("--directed", is_flag=True, help="With --dyad: only from the first to the second.")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="First event date (YYYY-MM-DD).")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="Last event date (YYYY-MM-DD).")
@click.option("--code", help="CAMEO code or prefix, e.g. 04 or 042.")
@click.option("--no-background", is_flag=True, help="Leave out background events.")
@click.option("--limit", type=click.IntRange(1, None))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "jsonl"]),
    default="table",
    show_default=True,
)
@library_errors
def events(
    db: Path,
    actor: str | None,
    dyad: tuple[str, str] | None,
    directed: bool,
    since: dt.datetime | None,
    until: dt.datetime | None,
    code: str | None,
    no_background: bool,
    limit: int | None,
    fmt: str,
) -> None:
    """Query stored events."""
    from .store import EventQuery, Store

    _require_db(db)
    query = EventQuery(
        actor=actor,
        dyad=tuple(dyad) if dyad else None,
        directed=directed,  # type: ignore[arg-type]
        since=since.date() if since else None,
        until=until.date() if until else None,
        code=code,
        include_background=not no_background,
        limit=limit,
    )
    with Store(db, read_only=True) as store:
        rows = store.events(query)
    if fmt == "table":
        table = [
            {
                "date": r["date"],
                "source": r["source_code"],
                "code": r["code"],
                "name": r["name"],
                "target": r["target_code"],
                "modality": r["modality"],
                "location": r["location_name"],
                "trigger": r["trigger"],
            }
            for r in rows
        ]
        click.echo(format_table(TABLE_EVENT_COLUMNS, table) if table else "(no events)")
    else:
        write_rows(rows, fmt, sys.stdout)


@cli.command()
@db_option
@library_errors
def errors(db: Path) -> None:
    """List the records that could not be read or coded."""
    from .store import Store

    _require_db(db)
    with Store(db, read_only=True) as store:
        rows = store.errors()
    columns = ("input", "position", "stage", "reason")
    click.echo(format_table(columns, rows) if rows else "(no errors)")


@cli.command()
@click.argument("root", required=False)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
)
@library_errors
def codes(root: str | None, fmt: str) -> None:
    """Print the CAMEO codebook, or the codes under one ROOT (e.g. 04)."""
    from dataclasses import asdict

    from .codebook import Codebook

    book = Codebook.load()
    selected = book.under(root) if root else list(book)
    if root and not selected:
        raise click.BadParameter(f"no CAMEO codes under {root!r}", param_hint="ROOT")
    rows = [asdict(c) for c in selected]
    if fmt == "json":
        click.echo(json.dumps(rows, indent=1, ensure_ascii=False))
    elif fmt == "csv":
        write_rows(rows, "csv", sys.stdout)
    else:
        click.echo(format_table(("code", "name", "goldstein", "quad_class", "plover_event"), rows))


@cli.command()
@db_option
@click.argument("actor_a")
@click.argument("actor_b")
@click.option(
    "--by", type=click.Choice(["day", "week", "month", "year"]), default="month", show_default=True
)
@click.option("--no-background", is_flag=True, help="Leave out background events.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "jsonl"]),
    default="table",
    show_default=True,
)
@library_errors
def timeline(db: Path, actor_a: str, actor_b: str, by: str, no_background: bool, fmt: str) -> None:
    """Events between two actors per period: counts by QuadClass and Goldstein totals."""
    from .analysis import dyad_timeline
    from .store import Store

    _require_db(db)
    with Store(db, read_only=True) as store:
        rows = dyad_timeline(store, actor_a, actor_b, by=by, include_background=not no_background)
    columns = (
        "period",
        "events",
        "verbal_coop",
        "material_coop",
        "verbal_conflict",
        "material_conflict",
        "goldstein_sum",
        "goldstein_mean",
    )
    if fmt == "table":
        click.echo(format_table(columns, rows) if rows else "(no events)")
    else:
        write_rows(rows, fmt, sys.stdout)


def _require_db(db: Path) -> None:
    if not db.exists():
        raise click.ClickException(
            f"no store at {db}; create one with 'newsevents ingest ... --db {db}'"
        )


def write_rows(rows: Iterable[dict[str, Any]], fmt: str, out: io.TextIOBase | Any) -> None:
    """Rows as CSV (header from the first row) or JSON lines."""
    rows = list(rows)
    if fmt == "jsonl":
        for row in rows:
            out.write(json.dumps(row, default=_json_default, ensure_ascii=False) + "\n")
        return
    if not rows:
        return
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return str(value)


def format_table(columns: Sequence[str], rows: Sequence[dict[str, Any]], width: int = 48) -> str:
    """A plain fixed-width table; long cells are cut to ``width`` characters."""

    def cell(value: Any) -> str:
        if value is None:
            return ""
        text = f"{value:.2f}" if isinstance(value, float) else str(value)
        return text if len(text) <= width else text[: width - 1] + "…"

    cells = [[cell(r.get(c)) for c in columns] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += [
        "  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip() for row in cells
    ]
    return "\n".join(lines)


# Commands of other areas live in their own modules and attach themselves to ``cli``.
from . import cli_analysis, cli_evaluate, cli_fetch, cli_quotes, cli_web  # noqa: E402, F401
