"""Analysis over the store, in DuckDB SQL: dyad timelines (more in the analysis issue)."""

from __future__ import annotations

from typing import Any

from .store import Store, actor_condition

PERIODS = {"day": "day", "week": "week", "month": "month", "year": "year"}
PERIOD_FORMATS = {"day": "%Y-%m-%d", "week": "%G-W%V", "month": "%Y-%m", "year": "%Y"}


def dyad_timeline(
    store: Store,
    actor_a: str,
    actor_b: str,
    by: str = "month",
    directed: bool = False,
    include_background: bool = True,
) -> list[dict[str, Any]]:
    """Per period: event count, counts per QuadClass, Goldstein sum and mean, for the events
    between two actors (both directions unless ``directed``)."""
    if by not in PERIODS:
        raise ValueError(f"by must be one of {', '.join(PERIODS)}")
    one_way = f"({actor_condition('source')} AND {actor_condition('target')})"
    params: list[Any] = [actor_a, actor_a, actor_b, actor_b]
    where = one_way
    if not directed:
        where = f"({one_way} OR {one_way})"
        params += [actor_b, actor_b, actor_a, actor_a]
    if not include_background:
        where += " AND NOT background"
    sql = f"""
        SELECT strftime(date_trunc('{PERIODS[by]}', date_start), '{PERIOD_FORMATS[by]}') AS period,
               count(*) AS events,
               count(*) FILTER (WHERE quad_class = 1) AS verbal_coop,
               count(*) FILTER (WHERE quad_class = 2) AS material_coop,
               count(*) FILTER (WHERE quad_class = 3) AS verbal_conflict,
               count(*) FILTER (WHERE quad_class = 4) AS material_conflict,
               round(sum(goldstein), 2) AS goldstein_sum,
               round(avg(goldstein), 2) AS goldstein_mean
        FROM events
        WHERE date_start IS NOT NULL AND {where}
        GROUP BY 1 ORDER BY 1
    """
    cursor = store.con.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
