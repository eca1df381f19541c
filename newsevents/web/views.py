"""The routes table. Each page is one builder that returns a page record (see ``models``); the
record is rendered by a template at the page's path, and returned as JSON at the same path +
``.json`` and under ``/api/`` (the OpenAPI schema documents the ``/api/`` routes).

Request parameters are declared with their bounds and whitelists here, so FastAPI checks them
and the OpenAPI schema states them; the store-dependent checks (is this actor known?) are the
Reader's.
"""

from __future__ import annotations

import inspect
import logging
import tempfile
import typing
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from typing import IO, Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from fastapi.templating import Jinja2Templates

from newsevents.codebook import Codebook
from newsevents.errors import StoreError
from newsevents.store.database import StoreFile
from newsevents.web.errors import Unavailable
from newsevents.web.models import (
    ActorPage,
    DyadPage,
    ErrorBody,
    EventFilters,
    EventPage,
    EventsPage,
    MapPage,
    NetworkPage,
    OverviewPage,
)
from newsevents.web.queries import DOWNLOAD_FORMATS, CursorStore, Features, Reader

logger = logging.getLogger(__name__)

Sort = Literal["date", "-date", "goldstein", "-goldstein", "code", "source", "target"]
By = Literal["day", "week", "month", "year"]

MAX_PAGE_SIZE = 200
MAX_OFFSET = 10_000_000
MAX_NETWORK_EDGES = 500

ActorParam = Annotated[
    str | None,
    Query(
        max_length=32,
        pattern=r"^([A-Za-z0-9]{2,32})?$",
        description="Country (RUS) or actor code prefix (RUSGOV).",
    ),
]
ActorNameParam = Annotated[
    str | None,
    Query(
        max_length=64,
        pattern=r"^[\w .'\-]*$",
        description="An actor: a country (RUS), a code prefix (RUSGOV) or a name stored for "
        "actors (Russia, Lavrov), matching whole words in any case.",
    ),
]
DateParam = Annotated[
    str | None,
    Query(max_length=10, pattern=r"^(\d{4}-\d{2}-\d{2})?$", description="YYYY-MM-DD"),
]
QuadParam = Annotated[
    Literal["", "1", "2", "3", "4"] | None,
    Query(description="QuadClass: 1 verbal coop., 2 material coop., 3 verbal conf., 4 material."),
]
Background = Annotated[
    bool, Query(description="Include background events (long before the story).")
]


@dataclass(frozen=True)
class WebState:
    """What every request needs, built once by ``create_app``."""

    reader_factory: Callable[[], tuple[Reader, Callable[[], None]]]
    database: str
    templates: Jinja2Templates


def get_reader(request: Request) -> Iterator[Reader]:
    """One Reader (over its own cursor) per request."""
    state: WebState = request.app.state.web
    reader, close = state.reader_factory()
    try:
        yield reader
    finally:
        close()


ReaderDep = Annotated[Reader, Depends(get_reader)]


def event_filters(
    actor: ActorNameParam = None,
    source: ActorParam = None,
    target: ActorParam = None,
    dyad: Annotated[
        str | None,
        Query(
            max_length=65,
            pattern=r"^([A-Za-z0-9]{2,32}[-,][A-Za-z0-9]{2,32})?$",
            description="Two actors, either direction: RUS-JPN.",
        ),
    ] = None,
    code: Annotated[
        str | None,
        Query(max_length=4, pattern=r"^(\d{2,4})?$", description="CAMEO code or prefix: 04, 042."),
    ] = None,
    quad_class: QuadParam = None,
    modality: Annotated[
        str | None,
        Query(
            max_length=60,
            pattern=r"^((all|asserted|negated|future|hypothetical)(,(asserted|negated|future|hypothetical))*)?$",
            description="Modalities (asserted, negated, future, hypothetical; comma-separated) "
            "or all. Default: asserted, as in every total (docs/analysis.md).",
        ),
    ] = None,
    since: DateParam = None,
    until: DateParam = None,
    q: Annotated[
        str | None, Query(max_length=200, description="Words in the event's sentence.")
    ] = None,
    place: Annotated[str | None, Query(max_length=200, description="A location name.")] = None,
    article: Annotated[str | None, Query(max_length=64, description="An article id.")] = None,
    background: Background = True,
    mentions: Annotated[
        bool, Query(description="Every mention (one per reporting sentence), not one per event.")
    ] = False,
) -> EventFilters:
    """The event filters of a request; empty form fields count as not given."""
    return EventFilters(
        actor=actor or None,
        source=source or None,
        target=target or None,
        dyad=dyad or None,
        code=code or None,
        quad_class=int(quad_class) if quad_class else None,
        modality=modality or None,
        since=since or None,
        until=until or None,
        q=q or None,
        place=place or None,
        article=article or None,
        background=background,
        mentions=mentions,
    )


# --- page builders ----------------------------------------------------------------------------


def overview(request: Request, reader: ReaderDep) -> OverviewPage:
    """Corpus size, date range, events per month by QuadClass, top dyads, actors and codes."""
    return reader.overview(request.app.state.web.database)


def events(
    reader: ReaderDep,
    filters: Annotated[EventFilters, Depends(event_filters)],
    sort: Annotated[Sort, Query(description="Sort key; - for descending.")] = "date",
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="Page size.")] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> EventsPage:
    """Events matching the filters, one page at a time."""
    return reader.events_page(filters, sort, limit, offset)


def event(
    reader: ReaderDep, event_id: Annotated[str, Path(min_length=1, max_length=64)]
) -> EventPage:
    """One event with its article, the highlighted spans, its rule and other mentions."""
    return reader.event_page(event_id)


def dyad(
    reader: ReaderDep,
    a: Annotated[str, Path(min_length=1, max_length=32)],
    b: Annotated[str, Path(min_length=1, max_length=32)],
    by: Annotated[By, Query(description="Timeline period.")] = "month",
    background: Annotated[bool, Query(description="Include background events.")] = False,
    period: Annotated[
        str | None,
        Query(max_length=10, description="List only this period's events: 2016-12, 2016-W50."),
    ] = None,
) -> DyadPage:
    """The timeline of two actors (both directions) and the events between them."""
    return reader.dyad_page(a, b, by, background, period or None)


def actor(reader: ReaderDep, code: Annotated[str, Path(min_length=1, max_length=32)]) -> ActorPage:
    """An actor as source and target, its main partners and their network."""
    return reader.actor_page(code)


def world_map(
    reader: ReaderDep,
    since: DateParam = None,
    until: DateParam = None,
    quad_class: QuadParam = None,
    background: Background = True,
) -> MapPage:
    """Located events per place and QuadClass, for a period."""
    return reader.map_page(
        since or None, until or None, int(quad_class) if quad_class else None, background
    )


def network(
    reader: ReaderDep,
    filters: Annotated[EventFilters, Depends(event_filters)],
    level: Annotated[
        Literal["country", "code"],
        Query(description="Actors as countries (RUS) or as full codes (RUSGOV)."),
    ] = "country",
    min_events: Annotated[
        int, Query(ge=1, le=100_000, description="Fewest events an edge has.")
    ] = 1,
    limit: Annotated[int, Query(ge=1, le=MAX_NETWORK_EDGES, description="Edges shown.")] = 60,
) -> NetworkPage:
    """The actor network of the events matching the filters: who acts on whom, heaviest
    edges first (source, target, place and article filters do not apply)."""
    return reader.network_page(filters, level, min_events, limit)


DownloadFormat = Literal["csv", "parquet"]
DOWNLOAD_PATH = "/api/events.{fmt}"
SPOOL_BYTES = 8 * 1024 * 1024
"""A download is written whole inside the request (the store's cursor lives no longer),
in memory up to this size, then in a temporary file, and sent from there."""
CHUNK_BYTES = 256 * 1024


def download_events(
    reader: ReaderDep,
    fmt: Annotated[DownloadFormat, Path(description="csv or parquet.")],
    filters: Annotated[EventFilters, Depends(event_filters)],
    sort: Annotated[Sort, Query(description="Sort key; - for descending.")] = "date",
) -> Response:
    """Every event the events page lists for these filters (all pages), as a CSV or Parquet
    file: the columns of ``newsevents export`` (docs/analysis.md)."""
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - closed by _chunks
    try:
        reader.export(filters, sort, fmt, spool)  # type: ignore[arg-type]
        size = spool.tell()
        spool.seek(0)
    except BaseException:
        spool.close()
        raise
    return StreamingResponse(
        _chunks(spool),  # type: ignore[arg-type]
        media_type=DOWNLOAD_FORMATS[fmt],
        headers={
            "content-disposition": f'attachment; filename="events.{fmt}"',
            "content-length": str(size),
            "cache-control": "no-store",
        },
    )


def _chunks(stream: IO[bytes]) -> Iterator[bytes]:
    with stream:
        while chunk := stream.read(CHUNK_BYTES):
            yield chunk


DOWNLOAD_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The events as a file (an attachment)",
        "content": {media.split(";")[0]: {} for media in DOWNLOAD_FORMATS.values()},
    },
}


@dataclass(frozen=True)
class Page:
    """A page: its HTML path, its API path, its template and its builder."""

    path: str
    api: str
    template: str
    build: Callable[..., Any]


PAGES: tuple[Page, ...] = (
    Page("/", "/api/overview", "overview.html", overview),
    Page("/events", "/api/events", "events.html", events),
    Page("/events/{event_id}", "/api/events/{event_id}", "event.html", event),
    Page("/dyad/{a}/{b}", "/api/dyad/{a}/{b}", "dyad.html", dyad),
    Page("/actor/{code}", "/api/actor/{code}", "actor.html", actor),
    Page("/map", "/api/map", "map.html", world_map),
    Page("/network", "/api/network", "network.html", network),
)

ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "A parameter is malformed or out of range"},
    404: {"model": ErrorBody, "description": "No such event, actor or page"},
}


def json_path(path: str) -> str:
    """The ``.json`` twin of an HTML path (``/`` -> ``/.json``)."""
    return path + ".json" if path != "/" else "/.json"


def build_router() -> APIRouter:
    """The routes of every page (JSON twins first, so ``/events/{id}`` never eats ``x.json``)."""
    router = APIRouter()
    for page in PAGES:
        signature = _signature(page.build)
        model = signature.return_annotation
        name = page.build.__name__
        router.add_api_route(
            page.api,
            _json_endpoint(page.build, signature),
            response_model=model,
            responses=ERROR_RESPONSES,
            name=f"api_{name}",
            summary=(page.build.__doc__ or name).strip().splitlines()[0],
            tags=["pages"],
        )
        router.add_api_route(
            json_path(page.path),
            _json_endpoint(page.build, signature),
            response_model=model,
            include_in_schema=False,
            name=f"json_{name}",
        )
    for page in PAGES:
        router.add_api_route(
            page.path,
            _html_endpoint(page, _signature(page.build)),
            response_class=HTMLResponse,
            include_in_schema=False,
            name=page.build.__name__,
        )
    router.add_api_route(
        DOWNLOAD_PATH,
        download_events,
        responses={**DOWNLOAD_RESPONSES, **ERROR_RESPONSES},
        response_class=Response,
        summary="Every event matching the filters, as a CSV or Parquet file.",
        tags=["downloads"],
    )
    router.add_api_route("/dyad", jump_dyad, include_in_schema=False)
    router.add_api_route("/actor", jump_actor, include_in_schema=False)
    return router


def _signature(build: Callable[..., Any]) -> inspect.Signature:
    """The builder's signature with its annotations resolved (FastAPI reads it)."""
    hints = typing.get_type_hints(build, include_extras=True)
    signature = inspect.signature(build)
    params = [
        p.replace(annotation=hints.get(p.name, p.annotation)) for p in signature.parameters.values()
    ]
    return signature.replace(parameters=params, return_annotation=hints.get("return"))


def _json_endpoint(build: Callable[..., Any], signature: inspect.Signature) -> Callable[..., Any]:
    def endpoint(**kwargs: Any) -> Any:
        return build(**kwargs)

    endpoint.__signature__ = signature  # type: ignore[attr-defined]
    endpoint.__name__ = build.__name__
    return endpoint


def _html_endpoint(page: Page, signature: inspect.Signature) -> Callable[..., Any]:
    takes_request = "request" in signature.parameters
    params = list(signature.parameters.values())
    if not takes_request:
        params.insert(
            0,
            inspect.Parameter(
                "request", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Request
            ),
        )
    html_signature = signature.replace(parameters=params, return_annotation=Response)

    def endpoint(**kwargs: Any) -> Response:
        request: Request = kwargs["request"] if takes_request else kwargs.pop("request")
        data = page.build(**kwargs)
        return render(request, page.template, data)

    endpoint.__signature__ = html_signature  # type: ignore[attr-defined]
    endpoint.__name__ = page.build.__name__
    return endpoint


def render(request: Request, template: str, data: Any, status: int = 200) -> Response:
    """A page record through its template, with the link to the same data as JSON."""
    state: WebState = request.app.state.web
    json_url = json_path(request.url.path)
    if request.url.query:
        json_url += "?" + request.url.query
    return state.templates.TemplateResponse(
        request, template, {"page": data, "json_url": json_url}, status_code=status
    )


def jump_dyad(
    a: Annotated[str, Query(max_length=32)] = "", b: Annotated[str, Query(max_length=32)] = ""
) -> Response:
    """``/dyad?a=RUS&b=JPN`` (the overview's form) -> ``/dyad/RUS/JPN``."""
    return RedirectResponse(f"/dyad/{_code(a)}/{_code(b)}", status_code=303)


def jump_actor(reader: ReaderDep, code: Annotated[str, Query(max_length=64)] = "") -> Response:
    """``/actor?code=RUS`` -> ``/actor/RUS``; a name goes to the actor it names
    (``Lavrov`` -> ``/actor/RUSGOV``), or to the events of all the actors of that name."""
    if not code.strip():
        return RedirectResponse("/actor/-", status_code=303)
    codes = reader.find_actor(code)
    if len(codes) == 1:
        return RedirectResponse(f"/actor/{_code(codes[0])}", status_code=303)
    return RedirectResponse("/events?" + urlencode({"actor": code.strip()}), status_code=303)


def _code(value: str) -> str:
    """A code safe to put in a path (the page itself then checks it)."""
    cleaned = "".join(ch for ch in value.strip().upper() if ch.isascii() and ch.isalnum())
    return cleaned or "-"


def make_reader_factory(
    file: StoreFile, codebook: Codebook, features: Features
) -> Callable[[], tuple[Reader, Callable[[], None]]]:
    """Readers over a read-only transaction of the store file, opened for one request and let
    go after it, so that a ``watch`` process can write between requests. A store held by a
    writer for longer than the file's wait answers 503."""

    def factory() -> tuple[Reader, Callable[[], None]]:
        stack = ExitStack()
        try:
            cursor = stack.enter_context(file.reading())
        except StoreError as exc:
            logger.warning("%s", exc)
            raise Unavailable(
                "the store is held by another process that is writing it; try again later"
            ) from exc
        return Reader(CursorStore(cursor, file.path), codebook, features), stack.close

    return factory
