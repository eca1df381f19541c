"""newsevents: turn news articles into explainable political event data (CAMEO, PLOVER).

>>> import newsevents as ne                                        # doctest: +SKIP
>>> coded = ne.extract("Japan imposed sanctions on Russia.")       # doctest: +SKIP
"""

from __future__ import annotations

import logging
from pathlib import Path

from newsevents.analysis.aggregates import (
    ActorActivity,
    CodeCount,
    Edge,
    Network,
    Node,
    Swing,
    Timeline,
    TimelineRow,
    actor_network,
    dyad_timeline,
    top_actors,
    top_codes,
    top_swings,
)
from newsevents.analysis.export import export_events, export_network
from newsevents.analysis.panel import Panel, panel
from newsevents.codebook import CameoCode, Codebook
from newsevents.coding.pipeline import Pipeline, Settings
from newsevents.errors import (
    DictionaryError,
    InputError,
    ModelError,
    NewsEventsError,
    QueryError,
    StoreError,
)
from newsevents.model import (
    Actor,
    Article,
    CodedArticle,
    Event,
    EventDate,
    Location,
    Quote,
    ReadError,
    Span,
)
from newsevents.notebook import attach as _attach_notebook_display
from newsevents.read.inputs import read_inputs
from newsevents.run.ingest import IngestSummary, ingest
from newsevents.store.database import EventQuery, Store

__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())
_attach_notebook_display()  # Event and CodedArticle render in Jupyter (newsevents.notebook)


def extract(text_or_path: str | Path, pipeline: Pipeline | None = None) -> list[CodedArticle]:
    """Code a text (in the plain article format) or every article in a file or directory."""
    pipeline = pipeline or Pipeline()
    if isinstance(text_or_path, Path) or _names_a_file(text_or_path):
        results = pipeline.pipe(read_inputs([Path(text_or_path)], debris=pipeline.debris))
        return [r for r in results if isinstance(r, CodedArticle)]
    return [pipeline(str(text_or_path))]


def _names_a_file(text: str) -> bool:
    """Whether a string is the path of an existing file or directory rather than a text (a
    text may be too long, or hold characters, no file name can)."""
    if "\n" in text or len(text) >= 4096:
        return False
    try:
        return Path(text).exists()
    except (OSError, ValueError):
        return False


__all__ = [
    "Actor",
    "Article",
    "CameoCode",
    "Codebook",
    "CodedArticle",
    "DictionaryError",
    "Event",
    "EventDate",
    "EventQuery",
    "IngestSummary",
    "InputError",
    "Location",
    "ModelError",
    "NewsEventsError",
    "Pipeline",
    "Quote",
    "ReadError",
    "Settings",
    "Span",
    "Store",
    "StoreError",
    "extract",
    "ingest",
    "read_inputs",
    "ActorActivity",
    "CodeCount",
    "Edge",
    "Network",
    "Node",
    "QueryError",
    "Swing",
    "Timeline",
    "TimelineRow",
    "actor_network",
    "dyad_timeline",
    "export_events",
    "export_network",
    "Panel",
    "panel",
    "top_actors",
    "top_codes",
    "top_swings",
]
