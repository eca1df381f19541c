"""Floor 3, store: the DuckDB file that keeps coded articles, events, quotes and errors.

- ``database``: :class:`Store`, the handle users hold: schema, writes (one transaction a batch),
  reads (rows, and through ``newsevents.analysis`` timelines, networks, frames and files);
- ``dedup``: grouping the reports of one event from several articles;
- ``feeds``: the feed and fetch records ``newsevents.live`` keeps here.
"""

from newsevents.store.database import Store

__all__ = ["Store"]
