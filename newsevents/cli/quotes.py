"""CLI commands for the quotes area; registered on the main group by importing this module."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from newsevents.cli.main import (
    _require_db,
    cli,
    db_option,
    format_table,
    library_errors,
    table_format_option,
    write_rows,
)

QUOTE_TABLE_COLUMNS = ("published", "speaker", "name", "verb", "direct", "text")


@cli.command()
@db_option
@click.option("--speaker", help="Quotes of this speaker: a country (RUS) or code prefix (RUSGOV).")
@click.option("--article", "article_id", help="Quotes of one article (its id).")
@click.option("--limit", type=click.IntRange(1, None))
@table_format_option
@library_errors
def quotes(
    db: Path, speaker: str | None, article_id: str | None, limit: int | None, fmt: str
) -> None:
    """Who said what: the direct and indirect quotes stored, oldest first."""
    from newsevents.store.database import Store

    _require_db(db)
    with Store(db, read_only=True) as store:
        rows = store.quotes(speaker=speaker, article_id=article_id, limit=limit)
    if fmt != "table":
        write_rows(rows, fmt, sys.stdout)
        return
    table = [_table_row(r) for r in rows]
    click.echo(format_table(QUOTE_TABLE_COLUMNS, table, width=80) if table else "(no quotes)")


def _table_row(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "published": row["published"],
        "speaker": row["speaker_code"],
        "name": row["speaker_name"],
        "verb": row["verb"],
        "direct": "direct" if row["direct"] else "indirect",
        "text": row["text"],
    }
