"""The event filter's command-line options, shared by every command that reads events
(``events``, ``timeline``, ``network``, ``top``, ``export``, ``panel``): one decorator adds
them, one function turns them into the :class:`~newsevents.analysis.query.EventQuery` the
library filters by (docs/analysis.md, "Which events")."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

import click

from newsevents.analysis.query import COARSE_MODES, MODALITIES, EventQuery
from newsevents.errors import QueryError

F = TypeVar("F", bound=Callable[..., Any])

DATE = click.DateTime(["%Y-%m-%d"])
FILTER_NAMES = (
    "since",
    "until",
    "code",
    "modality",
    "quad_class",
    "country",
    "text",
    "min_confidence",
    "no_background",
    "mentions",
    "actor",
    "dyad",
    "directed",
)
"""The parameters :func:`event_options` adds (those a command has are read by
:func:`event_query`)."""


def _checked(field: str) -> Callable[[click.Context, click.Parameter, Any], Any]:
    """A callback that checks a repeatable option's values as the filter would (a usage
    error, exit code 2, names the option)."""

    def check(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
        if value:
            try:
                EventQuery(**{field: _joined(value)})
            except QueryError as exc:
                raise click.BadParameter(str(exc), ctx, param) from exc
        return value

    return check


def _apply(func: F, options: list[Callable[[F], F]]) -> F:
    for option in reversed(options):
        func = option(func)
    return func


def event_options(actors: bool = True) -> Callable[[F], F]:
    """The event filter's options; ``actors`` adds ``--actor``, ``--dyad`` and ``--directed``
    (a command that takes its actors as arguments, such as ``timeline``, leaves them out)."""

    def decorate(func: F) -> F:
        options = [
            click.option("--since", type=DATE, help="First event date (YYYY-MM-DD)."),
            click.option("--until", type=DATE, help="Last event date (YYYY-MM-DD)."),
            click.option("--code", help="CAMEO event code or prefix, e.g. 04 or 042."),
            click.option(
                "--modality",
                multiple=True,
                metavar="NAME[,NAME]",
                callback=_checked("modality"),
                help=f"Modalities to count ({', '.join(MODALITIES)}, or all); repeatable or "
                "comma-separated. [default: asserted]",
            ),
            click.option(
                "--quad-class",
                multiple=True,
                metavar="N[,N]",
                callback=_checked("quad_class"),
                help="QuadClass 1-4 (1 verbal coop., 2 material coop., 3 verbal conflict, "
                "4 material conflict); repeatable or comma-separated.",
            ),
            click.option(
                "--country",
                multiple=True,
                metavar="ISO3[,ISO3]",
                callback=_checked("country"),
                help="Events whose source or target is of this country, or located in it.",
            ),
            click.option("--text", help="Words the event's sentence contains (any case)."),
            click.option(
                "--min-confidence",
                type=click.FloatRange(0.0, 1.0),
                help="Events whose confidence is at least this (0-1; docs/confidence.md "
                "gives the model's suggested threshold).",
            ),
            click.option("--no-background", is_flag=True, help="Leave out background events."),
            click.option(
                "--mentions",
                is_flag=True,
                help="Every mention (one row per article sentence), not one row per event.",
            ),
        ]
        if actors:
            options += [
                click.option(
                    "--actor",
                    help="Events with this actor on either side: a country or code (RUS, "
                    "RUSGOV) or a name (Russia, Lavrov: the codes stored for it).",
                ),
                click.option(
                    "--dyad", nargs=2, help="Events between two actors, e.g. --dyad RUS JPN."
                ),
                click.option(
                    "--directed", is_flag=True, help="With --dyad: only from first to second."
                ),
            ]
        return _apply(func, options)

    return decorate


def coarse_option(func: F) -> F:
    """``--coarse drop|include|spread``: events dated less precisely than a period series."""
    return click.option(
        "--coarse",
        type=click.Choice(COARSE_MODES),
        default="drop",
        show_default=True,
        help="Events dated less precisely than the period (a year in a month series): leave "
        "them out and say how many, count them in their first period, or spread them over "
        "the periods their date covers.",
    )(func)


def event_query(options: dict[str, Any], limit: int | None = None) -> EventQuery:
    """The :class:`EventQuery` of a command's filter options; removes them from ``options``
    (the rest are the command's own)."""
    given = {name: options.pop(name) for name in FILTER_NAMES if name in options}
    return EventQuery(
        actor=given.get("actor") or None,
        dyad=tuple(given["dyad"]) if given.get("dyad") else None,
        directed=bool(given.get("directed")),
        since=_day(given.get("since")),
        until=_day(given.get("until")),
        code=given.get("code") or None,
        modality=_joined(given.get("modality")) or "asserted",
        quad_class=_joined(given.get("quad_class")),
        country=_joined(given.get("country")),
        text=given.get("text") or None,
        min_confidence=given.get("min_confidence"),
        include_background=not given.get("no_background"),
        limit=limit,
        mentions=bool(given.get("mentions")),
    )


def _day(value: dt.datetime | None) -> dt.date | None:
    return value.date() if value else None


def _joined(values: tuple[str, ...] | None) -> str | None:
    """Repeated options as one comma-separated value (None when not given)."""
    return ",".join(values) if values else None
