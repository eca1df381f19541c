"""CLI commands for the analysis area (timeline, network, top, export); registered on the main
group by importing this module. Thin adapters over newsevents.analysis and newsevents.export."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from newsevents.cli.filters import coarse_option, event_options, event_query
from newsevents.cli.main import (
    _require_db,
    cli,
    db_option,
    format_table,
    library_errors,
    rows_format_option,
    write_rows,
)

F = TypeVar("F", bound=Callable[..., Any])

PERIOD = click.Choice(["day", "week", "month", "year"])
LEVEL = click.Choice(["country", "code"])
TIMELINE_TABLE = (
    "period",
    "events",
    "verbal_coop",
    "material_coop",
    "verbal_conflict",
    "material_conflict",
    "goldstein_sum",
    "goldstein_mean",
    "net_cooperation",
)
EDGE_TABLE = (
    "source",
    "target",
    "events",
    "goldstein_sum",
    "goldstein_mean",
    "cooperation",
    "conflict",
)


def output_option(func: F) -> F:
    return click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Write to this file instead of standard output.",
    )(func)


def _note_left_out(coarse: int, undated: int, by: str) -> None:
    """Say on standard error what a period series left out (nothing when nothing was)."""
    parts = []
    if coarse:
        parts.append(
            f"{coarse} event(s) dated less precisely than a {by} (--coarse include|spread "
            "counts them)"
        )
    if undated:
        parts.append(f"{undated} event(s) without a date")
    if parts:
        click.echo(f"note: left out {' and '.join(parts)}", err=True)


def _echo_rows(rows: list[dict[str, Any]], fmt: str, columns: tuple[str, ...]) -> None:
    if fmt == "table":
        click.echo(format_table(columns, rows) if rows else "(nothing)")
    elif fmt == "json":
        click.echo(json.dumps(rows, indent=1, ensure_ascii=False))
    else:
        write_rows(rows, fmt, sys.stdout)


def _save(figure: Any, path: Path) -> None:
    try:
        figure.savefig(path, dpi=110, metadata={"Software": None})
    except OSError as exc:
        raise click.ClickException(f"cannot write {path}: {exc.strerror}") from exc
    click.echo(f"wrote {path}", err=True)


@cli.command()
@db_option
@click.argument("actor_a")
@click.argument("actor_b")
@click.option("--by", type=PERIOD, default="month", show_default=True)
@click.option("--directed", is_flag=True, help="Only events from ACTOR_A to ACTOR_B.")
@event_options(actors=False)
@coarse_option
@click.option("--fill", is_flag=True, help="Also list the periods without events (zeros).")
@rows_format_option("json")
@click.option(
    "--plot",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also draw the timeline into this PNG file.",
)
@click.option("--title", help="Title of the chart (with --plot).")
@library_errors
def timeline(
    db: Path,
    actor_a: str,
    actor_b: str,
    by: str,
    directed: bool,
    coarse: str,
    fill: bool,
    fmt: str,
    plot: Path | None,
    title: str | None,
    **filters: Any,
) -> None:
    """Events between ACTOR_A and ACTOR_B (a country such as RUS or a code such as RUSGOV) per
    period: counts per QuadClass and root, Goldstein sum and mean, net cooperation. Asserted
    events only unless --modality says otherwise."""
    from newsevents.analysis.aggregates import dyad_timeline
    from newsevents.store.database import Store

    _require_db(db)
    query = event_query(filters)
    with Store(db, read_only=True) as store:
        result = dyad_timeline(
            store,
            actor_a,
            actor_b,
            by,  # type: ignore[arg-type]
            directed=directed,
            fill=fill,
            coarse=coarse,  # type: ignore[arg-type]
            query=query,
        )
    _note_left_out(result.left_out_coarse, result.left_out_undated, by)
    rows = result.as_dicts()
    if fmt == "table":
        click.echo(format_table(TIMELINE_TABLE, rows) if rows else "(no events)")
    else:
        _echo_rows(rows, fmt, TIMELINE_TABLE)
    if plot:
        _save(result.plot(title), plot)


@cli.command()
@db_option
@click.option(
    "--level", type=LEVEL, default="country", show_default=True, help="Nodes: countries or codes."
)
@click.option(
    "--weight",
    type=click.Choice(["count", "goldstein"]),
    default="count",
    show_default=True,
    help="Edge weight in graph formats and the chart: events or Goldstein sum.",
)
@click.option("--min-events", type=click.IntRange(1, None), default=1, show_default=True)
@click.option("--self-loops", is_flag=True, help="Keep events within one actor.")
@event_options()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json", "graphml", "gexf"]),
    default="table",
    show_default=True,
)
@output_option
@click.option(
    "--plot",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also draw the network into this PNG file.",
)
@click.option("--max-edges", type=click.IntRange(1, None), default=60, show_default=True)
@library_errors
def network(
    db: Path,
    level: str,
    weight: str,
    min_events: int,
    self_loops: bool,
    fmt: str,
    output: Path | None,
    plot: Path | None,
    max_edges: int,
    **filters: Any,
) -> None:
    """Who interacts with whom: directed edges between actors with event counts and Goldstein
    totals (graphml/gexf through networkx)."""
    from newsevents.analysis.aggregates import actor_network
    from newsevents.analysis.export import export_network
    from newsevents.store.database import Store

    _require_db(db)
    with Store(db, read_only=True) as store:
        result = actor_network(
            store,
            level,  # type: ignore[arg-type]
            min_events=min_events,
            self_loops=self_loops,
            query=event_query(filters),
        )
    if fmt == "table" and output is None:
        rows = result.edge_dicts()
        click.echo(format_table(EDGE_TABLE, rows) if rows else "(no edges)")
    else:
        fmt = "csv" if fmt == "table" else fmt
        target = output if output is not None else sys.stdout.buffer
        export_network(result, target, fmt, weight)  # type: ignore[arg-type]
        if output is not None:
            click.echo(f"wrote {len(result.edges)} edge(s) to {output}", err=True)
    if plot:
        _save(result.plot(weight, max_edges), plot)  # type: ignore[arg-type]


@cli.command()
@db_option
@click.argument("what", type=click.Choice(["actors", "codes", "swings"]))
@click.option("-n", "--limit", type=click.IntRange(1, None), default=10, show_default=True)
@click.option("--level", type=LEVEL, default="country", show_default=True)
@click.option("--by", type=PERIOD, default="month", show_default=True, help="Swings: period.")
@coarse_option
@event_options()
@rows_format_option("json")
@library_errors
def top(
    db: Path, what: str, limit: int, level: str, by: str, coarse: str, fmt: str, **filters: Any
) -> None:
    """Top lists: the most active ACTORS, the most common event CODES, or the biggest SWINGS
    of a dyad's Goldstein sum from one period to the next."""
    from dataclasses import asdict

    from newsevents.analysis.aggregates import top_actors, top_codes, top_swings
    from newsevents.store.database import Store

    _require_db(db)
    query = event_query(filters)
    with Store(db, read_only=True) as store:
        if what == "actors":
            found: tuple[Any, ...] = top_actors(store, limit, level, query=query)  # type: ignore[arg-type]
        elif what == "codes":
            found = top_codes(store, limit, query=query)
        else:
            found = top_swings(store, limit, by, level, coarse=coarse, query=query)  # type: ignore[arg-type]
    rows = [asdict(r) for r in found]
    _echo_rows(rows, fmt, tuple(rows[0]) if rows else ())


@cli.command()
@db_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "parquet", "jsonl", "gdelt", "plover"]),
    required=True,
    help="csv/parquet/jsonl: the events table; gdelt: a GDELT 2.0 event table (tab-separated, "
    "no header); plover: PLOVER/POLECAT-style JSON lines.",
)
@event_options()
@output_option
@library_errors
def export(db: Path, fmt: str, output: Path | None, **filters: Any) -> None:
    """Export stored events (asserted events unless --modality says otherwise), streamed in
    bounded memory. Formats: docs/analysis.md."""
    from newsevents.analysis.export import export_events
    from newsevents.store.database import Store

    _require_db(db)
    if output is None and fmt == "parquet" and sys.stdout.isatty():
        raise click.UsageError("parquet is binary: give -o FILE or redirect standard output")
    with Store(db, read_only=True) as store:
        target = output if output is not None else sys.stdout.buffer
        count = export_events(store, target, fmt, query=event_query(filters))
    if output is not None:
        click.echo(f"wrote {count} event(s) to {output}", err=True)


@cli.command()
@db_option
@click.option(
    "--by",
    type=click.Choice([f"{u}-{p}" for u in ("country", "dyad") for p in ("day", "month", "year")]),
    default="country-month",
    show_default=True,
    help="Unit (a country, or a directed dyad of countries) and period.",
)
@click.option(
    "--side",
    type=click.Choice(["either", "source", "target", "location"]),
    default="either",
    show_default=True,
    help="Country panels: the country an event counts for (its source's and target's, one "
    "of them, or where it took place).",
)
@coarse_option
@event_options()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "parquet"]),
    help="csv or parquet [default: parquet for -o *.parquet, else csv].",
)
@output_option
@library_errors
def panel(
    db: Path,
    by: str,
    side: str,
    coarse: str,
    fmt: str | None,
    output: Path | None,
    **filters: Any,
) -> None:
    """A zero-filled panel: a row for every country (or directed dyad) and every day, month or
    year of the range, with event counts per QuadClass (q1-q4) and root (root01-root20) and the
    Goldstein sum and mean. Asserted events only unless --modality says otherwise."""
    from newsevents.analysis.panel import panel as build_panel
    from newsevents.analysis.panel import panel_format
    from newsevents.store.database import Store

    _require_db(db)
    fmt = fmt or (panel_format(output) if output is not None else "csv")
    if output is None and fmt == "parquet" and sys.stdout.isatty():
        raise click.UsageError("parquet is binary: give -o FILE or redirect standard output")
    with Store(db, read_only=True) as store:
        result = build_panel(
            store,
            by,
            side=side,  # type: ignore[arg-type]
            coarse=coarse,  # type: ignore[arg-type]
            query=event_query(filters),
        )
    _note_left_out(result.left_out_coarse, result.left_out_undated, by.split("-")[1])
    count = result.write(output if output is not None else sys.stdout.buffer, fmt)
    if output is not None:
        click.echo(f"wrote {count} row(s) to {output}", err=True)
