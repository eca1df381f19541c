"""Floor 2, analysis: what is read out of a store, as DuckDB queries over its connection.

- ``query``: :class:`EventQuery`, the one filter every reader shares, and its SQL;
- ``aggregates``: dyad timelines, actor networks, top lists and swings;
- ``export``: CSV, Parquet, JSONL, GDELT and PLOVER files, and data frames.

Nothing here imports the store: every function takes an object with an open DuckDB connection
(:class:`~newsevents.analysis.query.Database`), which ``Store`` is. A new export format is a
SQL builder in ``export`` registered in its ``LINE_SQL`` table (docs/architecture.md).
"""

from newsevents.analysis.query import EventQuery

__all__ = ["EventQuery"]
