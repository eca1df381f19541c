"""Fuzz the JSON API from its own OpenAPI schema (schemathesis, in-process over ASGI): no
generated request may get a 5xx, and every answer must match the schema (status codes,
content types, bodies). Each generated request is also sent to the page's HTML twin.

The number of examples per route is bounded so the whole module stays well under a minute.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlsplit

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from newsevents import Store, ingest, read_inputs
from newsevents.web import create_app
from newsevents.web.client import LocalClient
from newsevents.web.views import DOWNLOAD_PATH, PAGES
from tests.conftest import CORPUS

EXAMPLES_PER_ROUTE = 25
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture(scope="module")
def web_app(pipeline, tmp_path_factory):
    """The app over a store of a few corpus articles (enough for every kind of page)."""
    path = tmp_path_factory.mktemp("web-fuzz") / "events.duckdb"
    articles = sorted(CORPUS.glob("*.txt"))[:6]
    with Store(path) as store:
        ingest(read_inputs(articles, debris=pipeline.debris), store, pipeline)
    app = create_app(path)
    yield app
    app.state.store.close()


@pytest.fixture(scope="module")
def api_schema(web_app):
    return schemathesis.openapi.from_asgi("/api/openapi.json", web_app)


def html_twin(case: Any) -> str:
    """The HTML path of the page an API case asked for, with the same path parameters."""
    page = next(p for p in PAGES if p.api == case.path)
    values = {
        k: quote(str(v), safe="%!$&'()*+,;=:@-._~") for k, v in (case.path_parameters or {}).items()
    }
    return page.path.format(**values)


PARAMETERLESS = ("/api/overview",)
CASES = [
    pytest.param(p.api, mode, id=f"{p.api}-{mode.value}")
    for p in PAGES
    for mode in GenerationMode
    if not (p.api in PARAMETERLESS and mode is GenerationMode.NEGATIVE)
]


@pytest.mark.parametrize(("route", "mode"), CASES)
def test_api_never_fails_and_matches_its_schema(api_schema, web_app, route, mode):
    """Valid and invalid requests (schemathesis's positive and negative modes) to one route."""
    operation = api_schema[route]["GET"]
    client = LocalClient(web_app)
    seen: list[int] = []

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES_PER_ROUTE,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case: Any) -> None:
        response = case.call_and_validate(checks=CHECKS)
        assert response.status_code in (200, 400, 404)
        seen.append(response.status_code)
        path = html_twin(case)
        query = urlsplit(response.request.url).query  # exactly what the API was sent
        twin = client.get(path + ("?" + query if query else ""))
        assert twin.status_code == response.status_code, (path, query)
        if not path.endswith(".json"):  # a path parameter "x.json" names the JSON twin itself
            assert twin.headers["content-type"].startswith("text/html")

    check()
    assert len(seen) >= (1 if route in PARAMETERLESS else 5), "too few requests to mean anything"
    if mode is GenerationMode.NEGATIVE and route in ("/api/events", "/api/map"):
        assert 400 in seen, "invalid parameters should have been refused"


def test_the_fuzzed_schema_covers_every_page(api_schema):
    operations = {op.ok().path for op in api_schema.get_all_operations()}
    assert operations == {p.api for p in PAGES} | {DOWNLOAD_PATH}


@pytest.mark.parametrize("mode", list(GenerationMode), ids=lambda m: m.value)
def test_the_download_never_fails_and_matches_its_schema(api_schema, mode):
    operation = api_schema[DOWNLOAD_PATH]["GET"]
    seen: list[int] = []

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES_PER_ROUTE,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case: Any) -> None:
        response = case.call_and_validate(checks=CHECKS)
        assert response.status_code in (200, 400, 404)
        if response.status_code == 200:
            assert "attachment;" in str(response.headers["content-disposition"])
        seen.append(response.status_code)

    check()
    assert len(seen) >= 5, "too few requests to mean anything"
