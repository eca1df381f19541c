"""CLI commands for the analysis area (timeline, network, top, export); registered on the main
group by importing this module. Thin adapters over newsevents.analysis and newsevents.export."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

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

DATE = click.DateTime(["%Y-%m-%d"])
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


def period_filters(func: F) -> F:
    """--since, --until, --code, --no-background and --mentions."""
    options = (
        click.option("--since", type=DATE, help="First event date (YYYY-MM-DD)."),
        click.option("--until", type=DATE, help="Last event date (YYYY-MM-DD)."),
        click.option("--code", help="CAMEO event code or prefix, e.g. 04 or 042."),
        click.option("--no-background", is_flag=True, help="Leave out background events."),
        click.option(
            "--mentions", is_flag=True, help="Every mention, not one row per deduplicated event."
        ),
    )
    for option in reversed(options):
        func = option(func)
    return func


def actor_filters(func: F) -> F:
    """--actor, --dyad and --directed."""
    options = (
        click.option("--actor", help="Events with this actor on either side (country or code)."),
        click.option("--dyad", nargs=2, help="Events between two actors, e.g. --dyad RUS JPN."),
        click.option("--directed", is_flag=True, help="With --dyad: only from first to second."),
    )
    for option in reversed(options):
        func = option(func)
    return func


def output_option(func: F) -> F:
    return click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Write to this file instead of standard output.",
    )(func)


def _filters(
    since: dt.datetime | None,
    until: dt.datetime | None,
    code: str | None,
    no_background: bool,
    mentions: bool,
    **actors: Any,
) -> dict[str, Any]:
    filters: dict[str, Any] = {
        "since": since.date() if since else None,
        "until": until.date() if until else None,
        "code": code,
        "include_background": not no_background,
    }
    if mentions:
        filters["mentions"] = True
    if actors.get("actor"):
        filters["actor"] = actors["actor"]
    if actors.get("dyad"):
        filters["dyad"] = tuple(actors["dyad"])
        filters["directed"] = bool(actors.get("directed"))
    return filters


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
@period_filters
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
    fill: bool,
    fmt: str,
    plot: Path | None,
    title: str | None,
    **filters: Any,
) -> None:
    """Events between ACTOR_A and ACTOR_B (a country such as RUS or a code such as RUSGOV) per
    period: counts per QuadClass and root, Goldstein sum and mean, net cooperation."""
    from newsevents.analysis.aggregates import dyad_timeline
    from newsevents.store.database import Store

    _require_db(db)
    with Store(db, read_only=True) as store:
        result = dyad_timeline(
            store, actor_a, actor_b, by, directed=directed, fill=fill, **_filters(**filters)
        )
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
@period_filters
@click.option("--actor", help="Only events with this actor on either side.")
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
    actor: str | None,
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
            **_filters(**filters, actor=actor),
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
@period_filters
@actor_filters
@rows_format_option("json")
@library_errors
def top(db: Path, what: str, limit: int, level: str, by: str, fmt: str, **filters: Any) -> None:
    """Top lists: the most active ACTORS, the most common event CODES, or the biggest SWINGS
    of a dyad's Goldstein sum from one period to the next."""
    from dataclasses import asdict

    from newsevents.analysis.aggregates import top_actors, top_codes, top_swings
    from newsevents.store.database import Store

    _require_db(db)
    query = _filters(**filters)
    with Store(db, read_only=True) as store:
        if what == "actors":
            found: tuple[Any, ...] = top_actors(store, limit, level, **query)  # type: ignore[arg-type]
        elif what == "codes":
            found = top_codes(store, limit, **query)
        else:
            found = top_swings(store, limit, by, level, **query)  # type: ignore[arg-type]
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
@period_filters
@actor_filters
@output_option
@library_errors
def export(db: Path, fmt: str, output: Path | None, **filters: Any) -> None:
    """Export stored events, streamed in bounded memory. Formats: docs/analysis.md."""
    from newsevents.analysis.export import export_events
    from newsevents.store.database import Store

    _require_db(db)
    if output is None and fmt == "parquet" and sys.stdout.isatty():
        raise click.UsageError("parquet is binary: give -o FILE or redirect standard output")
    with Store(db, read_only=True) as store:
        target = output if output is not None else sys.stdout.buffer
        count = export_events(store, target, fmt, **_filters(**filters))
    if output is not None:
        click.echo(f"wrote {count} event(s) to {output}", err=True)
