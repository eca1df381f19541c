"""CLI commands for the web area; registered on the main group by importing this module."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from newsevents.cli.main import cli, db_option, library_errors


@cli.command()
@db_option
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on. The default is this machine only; 0.0.0.0 exposes the UI.",
)
@click.option("--port", default=8001, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--get",
    "get_path",
    metavar="PATH",
    help="Print the response to one request (e.g. /api/overview) instead of serving.",
)
@library_errors
def serve(db: Path, host: str, port: int, get_path: str | None) -> None:
    """Explore the events of a store in the browser: timelines, map, network, and every event
    traced back to its sentence. The store is opened read-only, for each request, so a
    'newsevents watch' can go on writing it; new events show on the next page load."""
    from newsevents.web import create_app

    app = create_app(db)
    if get_path is not None:
        _print_one(app, get_path)
        return
    warn_missing_assets()
    import uvicorn

    click.echo(f"Serving {db} read-only at http://{_url_host(host)}:{port}/  (Ctrl-C to stop)")
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning")
    finally:
        app.state.store.close()


def warn_missing_assets() -> None:
    """Say so on stderr when the front-end files are not installed."""
    from newsevents.web import missing_assets

    missing = missing_assets()
    if missing:
        click.echo(
            f"warning: front-end files not installed ({', '.join(missing)}): charts and the map "
            "will not draw; run 'make install'",
            err=True,
        )


def _print_one(app: Any, path: str) -> None:
    from newsevents.web.client import LocalClient

    try:
        response = LocalClient(app).get(path)
    finally:
        app.state.store.close()
    click.echo(response.text)
    if response.status_code >= 400:
        raise click.ClickException(f"{path} answered {response.status_code}")


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host
