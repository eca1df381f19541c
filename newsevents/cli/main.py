"""The command line: a thin adapter over the library. Parses flags, calls one library function,
formats the result. Library errors become one-line ``Error: ...`` messages on stderr; the exit
codes are :data:`EXIT_OK` and the others below (docs/output.md, "Exit codes")."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from newsevents.cli.filters import event_options, event_query
from newsevents.errors import NewsEventsError

if TYPE_CHECKING:
    from newsevents.model import ReadError

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK = 0
"""Done: every record was read and coded (or was already stored)."""
EXIT_FAILURE = 1
"""Failed: an error message says why (an input that does not exist, no record read or coded,
a store that cannot be opened ...)."""
EXIT_USAGE = 2
"""A bad flag or argument (click's usage error)."""
EXIT_PARTIAL = 3
"""Finished, but some records could not be read or coded; a warning on stderr says how many."""


class PartialFailure(click.ClickException):
    """The command finished, but some records could not be read or coded: exit code 3 and a
    one-line warning on stderr."""

    exit_code = EXIT_PARTIAL

    def show(self, file: Any = None) -> None:
        click.echo(f"warning: {self.format_message()}", err=True)


def check_records(
    done: int, bad: int, language: int, first: ReadError | None, hint: str = ""
) -> None:
    """The outcome of a command that read records: ``done`` were coded or already stored,
    ``bad`` could not be read or coded, ``language`` were skipped for their language (not a
    failure). Nothing done is a failure (exit 1), some bad records a partial one (exit 3)."""
    if done == 0 and (bad or language):
        if not bad:
            raise click.ClickException(
                f"no article was coded: all {language} record(s) are in another language "
                "(ingest --language any codes every language)"
            )
        where = f"{first.input}:{first.position}" if first and first.position else None
        example = f"; the first: {where or first.input}: {first.reason}" if first else ""
        raise click.ClickException(
            f"no record could be read or coded ({bad} error(s){example}){hint}"
        )
    if bad:
        raise PartialFailure(f"{bad} record(s) could not be read or coded{hint}")


def require_records(records: Iterable[Any], inputs: Sequence[str]) -> Iterator[Any]:
    """The records, after checking that there is at least one (reading the first)."""
    iterator = iter(records)
    first = next(iterator, None)
    if first is None:
        named = ", ".join("standard input" if name == "-" else name for name in inputs)
        raise click.ClickException(
            f"no input records in {named} (read: .txt, .jsonl, .ndjson, .csv, .tsv, .html, "
            ".htm and .warc files, also compressed .gz, .bz2, .xz or .zst)"
        )
    return itertools.chain([first], iterator)


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
    """Turn library errors into click errors (message, exit code 1). A reader that closes the
    pipe early (``| head``) ends the command quietly, as Python's documentation advises."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (BrokenPipeError, NewsEventsError) as exc:
            if isinstance(exc, BrokenPipeError) or isinstance(exc.__cause__, BrokenPipeError):
                _stop_writing_to_stdout()
                raise SystemExit(1) from exc
            raise click.ClickException(str(exc)) from exc

    return wrapper  # type: ignore[return-value]


def _stop_writing_to_stdout() -> None:
    """Point standard output at /dev/null, so that flushing it at exit raises nothing."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def dictionary_option(func: F) -> F:
    return click.option(
        "--dictionary",
        "dictionaries",
        multiple=True,
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help="Extra dictionary over the built-in ones (.yaml verbs, .tsv actors). Repeatable.",
    )(func)


def require_option(func: F) -> F:
    return click.option(
        "--require",
        type=click.Choice(["actor", "dyad", "none"]),
        default="actor",
        show_default=True,
        help="Coded actors an event needs: actor (a source or a target), dyad (both), none.",
    )(func)


def rows_format_option(*extra: str) -> Callable[[F], F]:
    """``--format table|csv|jsonl`` and any ``extra`` formats, for commands that list rows."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(["table", "csv", *extra, "jsonl"]),
        default="table",
        show_default=True,
    )


table_format_option = rows_format_option()
"""``--format table|csv|jsonl``, shared by every command that lists rows."""


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


def _pipeline(dictionaries: Sequence[Path], require: str = "actor") -> Any:
    from newsevents.coding.pipeline import Pipeline, Settings

    return Pipeline(Settings(dictionaries=tuple(dictionaries), require=require))


@cli.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option(
    "--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True
)
@click.option(
    "--min-confidence",
    type=click.FloatRange(0.0, 1.0),
    help="Print only events whose confidence is at least this (docs/confidence.md).",
)
@dictionary_option
@require_option
@library_errors
def extract(
    inputs: tuple[str, ...],
    fmt: str,
    min_confidence: float | None,
    dictionaries: tuple[Path, ...],
    require: str,
) -> None:
    """Code articles and print their events. INPUTS are .txt/.jsonl files, directories, or -
    for JSONL on standard input."""
    from newsevents.coding.confidence import confident
    from newsevents.coding.pipeline import load_debris
    from newsevents.model import ReadError
    from newsevents.output import coded_article_dict
    from newsevents.read.inputs import read_inputs

    records = require_records(read_inputs(inputs, sys.stdin, load_debris()), inputs)
    pipeline = _pipeline(dictionaries, require)
    coded = 0
    failures: list[ReadError] = []
    for result in pipeline.pipe(records):
        if isinstance(result, ReadError):
            where = f"{result.input}:{result.position}" if result.position else result.input
            click.echo(f"warning: {where}: {result.reason}", err=True)
            failures.append(result)
            continue
        coded += 1
        if min_confidence is not None:
            result = confident(result, min_confidence)
        if fmt == "jsonl":
            click.echo(json.dumps(coded_article_dict(result), ensure_ascii=False))
        else:
            _echo_article_table(result)
    bad = [f for f in failures if f.stage != "language"]
    language = len(failures) - len(bad)
    check_records(coded, len(bad), language, bad[0] if bad else None)


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
@click.option(
    "--batch-size",
    default=256,
    show_default=True,
    type=click.IntRange(1, 100_000),
    help="Records per batch: one transaction each, and what a killed run codes again.",
)
@click.option("--recode", is_flag=True, help="Code again articles that are already stored.")
@click.option(
    "--workers",
    type=click.IntRange(1, 512),
    help="Processes coding in parallel (default: the number of cores).",
)
@click.option(
    "--engine",
    type=click.Choice(["local", "dask"]),
    default="local",
    show_default=True,
    help="local: worker processes on this machine; dask: a Dask cluster.",
)
@click.option("--scheduler", help="With --engine dask: a scheduler address (tcp://host:8786).")
@click.option(
    "--shards",
    type=click.Path(file_okay=False, path_type=Path),
    help="With --engine dask: where workers write Parquet shards. [default: DB.shards]",
)
@click.option(
    "--column",
    "columns",
    multiple=True,
    metavar="FIELD=NAME",
    help="The JSONL key or CSV column of a field (id, title, text, published, source, url), "
    "e.g. --column text=body. Repeatable.",
)
@click.option("--delimiter", help="CSV delimiter (default: a tab for .tsv, else a comma).")
@click.option(
    "--language",
    default="en",
    show_default=True,
    help="Skip articles not confidently in this language (an ISO 639-1 code, or 'any').",
)
@click.option(
    "--prepass/--no-prepass",
    default=False,
    show_default=True,
    help="Parse only sentences that can hold an event or a quote (same output; pays off on "
    "text with much non-news matter, docs/scale.md).",
)
@require_option
@click.option("--quiet", is_flag=True, help="No progress and no summary; errors only.")
@library_errors
def ingest(
    inputs: tuple[str, ...],
    db: Path,
    dictionaries: tuple[Path, ...],
    batch_size: int,
    recode: bool,
    workers: int | None,
    engine: str,
    scheduler: str | None,
    shards: Path | None,
    columns: tuple[str, ...],
    delimiter: str | None,
    language: str,
    prepass: bool,
    require: str,
    quiet: bool,
) -> None:
    """Code articles and store them in a DuckDB file. INPUTS are files (.txt, .jsonl, .csv,
    .tsv, .html, .warc, also .gz/.bz2/.xz/.zst), directories, or - for JSONL on standard input.
    Re-running skips stored articles; an interrupted run resumes where it stopped."""
    import os

    from newsevents.cli.ingest import (
        IngestJob,
        InputTally,
        StopRequests,
        closed_after,
        run_job,
        stopped_message,
        summary_text,
    )
    from newsevents.coding.pipeline import Settings, load_debris
    from newsevents.read.inputs import BytesRead, Columns, ReadOptions, input_bytes, read_inputs

    if engine != "dask" and (scheduler or shards):
        raise click.UsageError("--scheduler and --shards need --engine dask")
    settings = Settings(dictionaries=tuple(dictionaries), prepass=prepass, require=require)
    counter = BytesRead()
    options = ReadOptions(
        columns=Columns.from_pairs(columns),
        debris=load_debris(),
        language=None if language.lower() == "any" else language.lower(),
        delimiter=delimiter,
        bytes_read=counter,
    )
    workers = workers or len(os.sched_getaffinity(0))
    job = IngestJob(db, settings, batch_size, recode, workers, engine, scheduler, shards)
    with (
        StopRequests(quiet) as requests,
        closed_after(read_inputs(inputs, sys.stdin, options=options)) as source,
    ):
        records = InputTally(require_records(source, inputs), counter, input_bytes(inputs))
        summary, seconds = run_job(job, records, requests, not quiet and sys.stderr.isatty())
    if not quiet:
        click.echo(summary_text(summary, seconds, db))
    if summary.stopped:
        raise click.ClickException(stopped_message(summary, requests.signal_name, db))
    done = summary.coded + summary.skipped + summary.copies
    hint = f"; 'newsevents errors --db {db}' lists them"
    bad = summary.errors - records.language
    check_records(done, bad, records.language, records.first_error, hint)


@cli.command()
@db_option
@event_options()
@click.option("--limit", type=click.IntRange(1, None))
@table_format_option
@library_errors
def events(db: Path, limit: int | None, fmt: str, **filters: Any) -> None:
    """Query stored events (deduplicated: one row per event, however many articles report it;
    --mentions for every mention). Asserted events only unless --modality says otherwise."""
    from newsevents.store.database import Store

    _require_db(db)
    query = event_query(filters, limit=limit)
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
@click.option(
    "--stage", help="Only errors of one stage: read, language, code, store, feed or fetch."
)
@table_format_option
@library_errors
def errors(db: Path, stage: str | None, fmt: str) -> None:
    """List the records that could not be read or coded: input, position (line, row or WARC
    record), stage and reason, with a count per stage."""
    from collections import Counter

    from newsevents.store.database import Store

    _require_db(db)
    with Store(db, read_only=True) as store:
        rows = [r for r in store.errors() if stage is None or r["stage"] == stage]
    columns = ("input", "position", "stage", "reason")
    if fmt != "table":
        write_rows([{c: r[c] for c in columns} for r in rows], fmt, sys.stdout)
        return
    if not rows:
        click.echo("(no errors)")
        return
    click.echo(format_table(columns, rows, width=100))
    counts = Counter(r["stage"] for r in rows)
    click.echo(", ".join(f"{n} {name}" for name, n in sorted(counts.items())) + " error(s)")


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

    from newsevents.codebook import Codebook

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
    writer.writerows({k: _csv_value(v) for k, v in row.items()} for row in rows)


def _csv_value(value: Any) -> Any:
    """Lists and mappings as JSON in a CSV cell (not Python's repr)."""
    if isinstance(value, list | tuple | dict):
        return json.dumps(value, default=_json_default, ensure_ascii=False)
    return value


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
