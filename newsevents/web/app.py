"""The web app: :func:`create_app` serves the events of a store as pages and as JSON, reading
it read-only, one request at a time (so a ``watch`` can write it in between), with no network
needed (the front-end libraries are served from the npm packages that
``make install`` puts under ``newsevents/web/assets/node_modules``).

    >>> app = create_app("events.duckdb")                            # doctest: +SKIP
    >>> uvicorn.run(app, host="127.0.0.1", port=8001)                # doctest: +SKIP
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2
import markupsafe
from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from newsevents.codebook import Codebook
from newsevents.errors import StoreError
from newsevents.store.database import LOCK_WAIT, StoreFile
from newsevents.web.errors import NotFound, WebError
from newsevents.web.highlight import ROLES, segments
from newsevents.web.models import MODALITIES, QUAD_CLASSES, ErrorBody
from newsevents.web.queries import SORTS, Features
from newsevents.web.views import WebState, build_router, make_reader_factory

logger = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
DEFAULT_ASSETS = HERE / "assets" / "node_modules"

VENDOR_FILES: dict[str, str] = {
    "d3.min.js": "d3/dist/d3.min.js",
    "topojson-client.min.js": "topojson-client/dist/topojson-client.min.js",
    "countries-110m.json": "world-atlas/countries-110m.json",
    "swagger-ui-bundle.js": "swagger-ui-dist/swagger-ui-bundle.js",
    "swagger-ui.css": "swagger-ui-dist/swagger-ui.css",
}
"""The front-end files the pages load: URL name -> path inside node_modules."""

MEDIA_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
}

SECURITY_HEADERS: tuple[tuple[str, str], ...] = (
    (
        "content-security-policy",
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; "
        "frame-ancestors 'none'",
    ),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "no-referrer"),
    ("x-frame-options", "DENY"),
    ("cross-origin-opener-policy", "same-origin"),
)
"""Sent with every response: scripts and styles only from this server, no inline code."""


LINGER = 0.2
"""Seconds the app keeps the store open after its last request, for the next one (a page's
requests share one opening; a writer in another process waits at most this long)."""


@dataclass(frozen=True)
class WebSettings:
    """Settings of the web app."""

    assets: Path = DEFAULT_ASSETS
    """The node_modules folder holding the front-end libraries (filled by ``make install``)."""


def create_app(db: str | Path | StoreFile, settings: WebSettings | None = None) -> FastAPI:
    """A FastAPI app over the store at ``db``, read-only.

    Each request opens the file read-only for its length (a
    :class:`~newsevents.store.database.StoreFile`, ``app.state.store``), waiting while a
    ``watch`` in another process writes a batch, and lets it go after; close it when done
    with an app, as tests do. ``db`` may also be a StoreFile this process writes through
    (``watch --serve``): requests then read through read-only transactions of its
    connection. Raises :class:`~newsevents.errors.StoreError` if there is no store there or
    it cannot be opened.
    """
    settings = settings or WebSettings()
    file = db if isinstance(db, StoreFile) else _reading(Path(db))
    path = Path(file.path)
    try:
        with file.reading() as con:
            features = Features.detect(con, str(path))
    except StoreError:
        if file is not db:  # ours to close
            file.close()
        raise
    codebook = Codebook.load()
    app = FastAPI(
        title="newsevents",
        description=(
            "Explore coded political events. Every page is also JSON: the same path + `.json`, "
            "or the `/api/` routes below."
        ),
        version=_version(),
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.web = WebState(make_reader_factory(file, codebook, features), path.name, _templates())
    app.state.store = file
    app.state.settings = settings
    app.include_router(build_router())
    app.add_api_route("/api/docs", api_docs, include_in_schema=False)
    app.add_api_route("/vendor/{name}", vendor_file, include_in_schema=False)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_exception_handler(WebError, _web_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, _http_error)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, _server_error)
    app.add_middleware(SecurityHeaders)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


def _reading(path: Path) -> StoreFile:
    if not path.is_file():
        raise StoreError(f"no store at {path}; create one with 'newsevents ingest ... --db {path}'")
    return StoreFile(path, read_only=True, wait=LOCK_WAIT, linger=LINGER)


def missing_assets(settings: WebSettings | None = None) -> list[str]:
    """The front-end files that are not installed (empty when ``make install`` has run)."""
    assets = (settings or WebSettings()).assets
    return [name for name, rel in VENDOR_FILES.items() if not (assets / rel).is_file()]


def _version() -> str:
    from newsevents import __version__

    return __version__


# --- templates ----------------------------------------------------------------------------


def _templates() -> Jinja2Templates:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        QUAD_CLASSES=QUAD_CLASSES,
        MODALITIES=MODALITIES,
        SORTS=tuple(SORTS),
        ROLES=ROLES,
        segments=segments,
        with_params=with_params,
    )
    env.filters["json"] = _json_island
    env.filters["signed"] = _signed
    env.filters["bdi"] = bdi
    env.filters["isolate"] = isolate
    return Jinja2Templates(env=env)


FIRST_STRONG_ISOLATE = "\u2068"
POP_DIRECTIONAL_ISOLATE = "\u2069"


def bdi(value: Any) -> markupsafe.Markup:
    """A piece of stored text (a title, sentence, name, URL ...) in a ``<bdi>`` element, escaped,
    so that bidirectional controls in it (U+202E and friends) cannot reorder what surrounds it
    and its own direction is taken from its first strong letter; nothing for no text."""
    if value is None or value == "":
        return markupsafe.Markup("")
    return markupsafe.Markup("<bdi>{}</bdi>").format(value)


def isolate(value: Any) -> str:
    """Stored text for where no element can go (an attribute such as ``title``, the page
    title, SVG): between U+2068 FIRST STRONG ISOLATE and U+2069 POP DIRECTIONAL ISOLATE, the
    plain-text form of ``<bdi>``."""
    if value is None or value == "":
        return ""
    return f"{FIRST_STRONG_ISOLATE}{value}{POP_DIRECTIONAL_ISOLATE}"


def _json_island(value: Any) -> str:
    """Data for a ``<script type="application/json">`` block, safe inside HTML (``<``, ``>``,
    ``&`` and ``'`` escaped as JSON unicode escapes; marked safe so Jinja leaves it alone)."""
    return jinja2.utils.htmlsafe_json_dumps(jsonable_encoder(value))


def _signed(value: float | None) -> str:
    return "" if value is None else f"{value:+.1f}"


def with_params(request: Request, **changes: Any) -> str:
    """This page's path and query with some parameters changed (``None`` removes one)."""
    params = dict(request.query_params)
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = str(value)
    query = urlencode(params)
    return request.url.path + ("?" + query if query else "")


# --- extra routes ---------------------------------------------------------------------------


def api_docs(request: Request) -> Response:
    """The OpenAPI docs (Swagger UI from the installed npm package)."""
    state: WebState = request.app.state.web
    return state.templates.TemplateResponse(request, "apidocs.html", {})


def vendor_file(request: Request, name: str) -> Response:
    """A front-end library file from the installed npm packages (a fixed list)."""
    relative = VENDOR_FILES.get(name)
    if relative is None:
        raise NotFound(f"no front-end file {name[:64]!r}")
    file = request.app.state.settings.assets / relative
    if not file.is_file():
        raise NotFound(
            f"the front-end file {name} is not installed: run 'make install' "
            "(npm ci in newsevents/web/assets)"
        )
    return FileResponse(
        file,
        media_type=MEDIA_TYPES.get(file.suffix, "application/octet-stream"),
        headers={"cache-control": "public, max-age=86400"},
    )


# --- errors ---------------------------------------------------------------------------------


def _wants_json(request: Request) -> bool:
    path = request.url.path
    return path.startswith("/api/") or path.endswith(".json")


def _error(request: Request, status: int, message: str) -> Response:
    if _wants_json(request):
        return JSONResponse(asdict(ErrorBody(False, message, status)), status_code=status)
    state: WebState = request.app.state.web
    return state.templates.TemplateResponse(
        request,
        "error.html",
        {"status": status, "message": message},
        status_code=status,
    )


async def _web_error(request: Request, exc: WebError) -> Response:
    return _error(request, exc.status, str(exc))


async def _validation_error(request: Request, exc: RequestValidationError) -> Response:
    return _error(request, 400, validation_message(exc))


def validation_message(exc: RequestValidationError) -> str:
    """One line per bad parameter: its name, what is wrong, and (cut short) what was given."""
    parts = []
    for error in exc.errors():
        name = str(error.get("loc", ("?",))[-1])
        given = error.get("input")
        shown = f" (got {str(given)[:40]!r})" if isinstance(given, str | int | float) else ""
        parts.append(f"{name}: {error.get('msg', 'invalid')}{shown}")
    return "bad parameter: " + "; ".join(parts)


async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
    if exc.status_code == 404:
        return _error(request, 404, f"no page at {request.url.path[:200]}")
    return _error(request, exc.status_code, str(exc.detail))


async def _server_error(request: Request, exc: Exception) -> Response:
    logger.error("error answering %s", request.url.path, exc_info=exc)
    return _error(request, 500, "internal error: the store could not answer this request")


class SecurityHeaders:
    """ASGI middleware adding :data:`SECURITY_HEADERS` to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS:
                    headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _openapi(app: FastAPI) -> dict[str, Any]:
    """The OpenAPI schema; bad parameters answer 400 (documented per route), never 422."""
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(
        title=app.title, version=app.version, description=app.description, routes=app.routes
    )
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            operation.get("responses", {}).pop("422", None)
    components = schema.get("components", {}).get("schemas", {})
    for unused in ("HTTPValidationError", "ValidationError"):
        components.pop(unused, None)
    app.openapi_schema = schema
    return schema
