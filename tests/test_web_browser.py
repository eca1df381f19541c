"""The web UI in a real browser: Debian's headless Chromium driven by Playwright, against the app
served by uvicorn on 127.0.0.1 (a free port). Every request the pages make must go to that
server (the UI works offline), and no page may log a JavaScript or CSP error.

Screenshots land in test-artifacts/web/; with NEWSEVENTS_SCREENSHOTS=DIR (``make screenshots``)
the README's screenshots are written to DIR as well.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from newsevents import Store, ingest, read_inputs
from newsevents.web import create_app
from tests.conftest import CHROMIUM, CORPUS, ROOT

ARTIFACTS = ROOT / "test-artifacts" / "web"
DOCS_SCREENSHOTS = os.environ.get("NEWSEVENTS_SCREENSHOTS")
VIEWPORT = {"width": 1280, "height": 900}

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="Debian chromium is not installed at /usr/bin/chromium ('make test' installs it)",
)

HOSTILE_ARTICLE = {
    "id": "hostile-1",
    "title": "<script>window.__xss = 'title'</script>Japan sanctions Russia",
    "source": "<img src=x onerror=\"window.__xss = 'source'\">",
    "url": "javascript:window.__xss = 'url'",
    "published": "2016-12-03",
    "text": (
        "Japan imposed new sanctions on Russia <script>window.__xss = 'text'</script> on "
        "Friday, officials said.\n"
        "<img src=x onerror=\"window.__xss = 'img'\"> Russia criticised Japan for the sanctions "
        "on Saturday.\n"
        "The talks ended. <a href=\"javascript:window.__xss = 'link'\">Read more</a>"
    ),
}


# --- the server and the browser ---------------------------------------------------------------


@contextmanager
def serve(app: Any) -> Iterator[str]:
    """Run the app with uvicorn in a thread on a free port of 127.0.0.1."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def build_store(path: Path, inputs: list[Path], pipeline: Any) -> Path:
    with Store(path) as store:
        ingest(read_inputs(inputs, debris=pipeline.debris), store, pipeline)
    return path


@pytest.fixture(scope="module")
def base_url(pipeline, tmp_path_factory) -> Iterator[str]:
    db = build_store(tmp_path_factory.mktemp("web-browser") / "events.duckdb", [CORPUS], pipeline)
    app = create_app(db)
    with serve(app) as url:
        yield url
    app.state.store.close()


class Session:
    """A browser page on one server, recording page errors and requests to other hosts."""

    def __init__(self, browser: Any, base_url: str) -> None:
        self.base_url = base_url
        self.context = browser.new_context(viewport=VIEWPORT, base_url=base_url)
        self.outside: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.context.route("**/*", self._guard)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("console", self._console)
        self.page.on("dialog", self._dialog)

    def _guard(self, route: Any) -> None:
        if route.request.url.startswith(self.base_url + "/"):
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.errors.append(message.text)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def api(self, path: str, **params: Any) -> Any:
        response = httpx.get(self.base_url + path, params=params or None, timeout=30)
        assert response.status_code == 200, response.text
        return response.json()

    def open(self, path: str, ready: str | None = None) -> Any:
        self.page.goto(path)
        if ready:
            self.page.wait_for_selector(f"{ready}[data-ready='1']", state="attached")
        return self.page

    def shoot(self, name: str, docs: bool = False) -> None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        if docs and DOCS_SCREENSHOTS:
            folder = Path(DOCS_SCREENSHOTS)
            folder.mkdir(parents=True, exist_ok=True)
            self.page.screenshot(path=str(folder / f"{name}.png"))

    def assert_clean(self) -> None:
        assert self.outside == [], "the UI asked for something outside its own server"
        assert self.errors == [], "the page logged errors"
        assert self.dialogs == []


@pytest.fixture
def session(browser, base_url) -> Iterator[Session]:
    session = Session(browser, base_url)
    yield session
    session.context.close()


def texts(page: Any, selector: str) -> list[str]:
    return page.locator(selector).all_inner_texts()


# --- the pages ------------------------------------------------------------------------------


def test_overview_shows_counts_and_the_monthly_chart(session):
    data = session.api("/api/overview")
    page = session.open("/", ready="#timeline")
    assert page.inner_text("#stat-events") == str(data["events"])
    assert page.inner_text("#stat-articles") == str(data["articles"])
    assert page.locator("#timeline circle.point").count() == len(data["months"])
    bars = sum(1 for m in data["months"] for n in m["counts"].values() if n)
    assert page.locator("#timeline rect.bar").count() == bars
    december = next(m for m in data["months"] if m["period"] == "2016-12")
    page.hover("#timeline rect.hit[data-period='2016-12']")
    tooltip = page.locator("#timeline .tooltip")
    assert tooltip.is_visible()
    assert f"events: {december['events']}" in tooltip.inner_text()
    assert f"Verbal cooperation: {december['counts']['verbal_coop']}" in tooltip.inner_text()
    page.mouse.move(0, 0)
    session.shoot("overview", docs=True)
    session.assert_clean()


def test_overview_month_click_lists_that_months_events(session):
    page = session.open("/", ready="#timeline")
    page.click("#timeline rect.hit[data-period='2016-09']")
    page.wait_for_url("**/events?since=2016-09-01&until=2016-09-30*")
    listed = session.api("/api/events", since="2016-09-01", until="2016-09-30", background="false")
    assert page.inner_text("#result-count").startswith(f"{listed['total']} events")
    session.assert_clean()


def test_filter_events_then_open_one(session):
    page = session.open("/events")
    page.fill("#filters input[name=actor]", "JPN")
    page.fill("#filters input[name=code]", "04")
    page.click("#filters button[type=submit]")
    page.wait_for_url("**/events?actor=JPN*")
    expected = session.api("/api/events", actor="JPN", code="04", limit=50)
    assert 0 < expected["total"] <= 50
    assert page.locator("tr.event-row").count() == expected["total"]
    codes = texts(page, "tr.event-row .code-num")
    assert codes == [e["code"] for e in expected["events"]]
    assert all(code.startswith("04") for code in codes)
    assert page.inner_text("#result-count").startswith(f"{expected['total']} event")
    page.click("tr.event-row >> nth=0 >> a.code")
    page.wait_for_url(f"**/events/{expected['events'][0]['id']}")
    assert page.inner_text("h1.event-title").startswith(expected["events"][0]["code"])
    session.assert_clean()


def sochi_meeting(session: Session) -> dict[str, Any]:
    listed = session.api("/api/events", place="Sochi", code="040", source="JPNGOV")
    (event,) = [e for e in listed["events"] if e["trigger"] == "met"]
    return event


def test_event_page_marks_sentence_trigger_source_and_target(session):
    event = sochi_meeting(session)
    data = session.api(f"/api/events/{event['id']}")
    page = session.open(f"/events/{event['id']}")
    spans = {h["role"]: h["text"] for h in data["highlights"]}
    assert "".join(texts(page, "#article-text mark.hl-trigger")) == spans["trigger"] == "met"
    assert "".join(texts(page, "#article-text mark.hl-source")) == spans["source"]
    assert "".join(texts(page, "#article-text mark.hl-target")) == spans["target"]
    assert "".join(texts(page, "#article-text mark.hl-sentence")) == spans["sentence"]
    assert page.inner_text("#article-text") == data["article"]["text"]
    colours = {
        role: page.eval_on_selector(
            f"#article-text mark.hl-{role}", "node => getComputedStyle(node).backgroundColor"
        )
        for role in ("trigger", "source", "target")
    }
    assert len(set(colours.values())) == 3, colours
    assert page.inner_text("#event-rule") == data["rule"]["rule"]
    assert "Sochi" in page.inner_text("#event-place")
    session.shoot("event", docs=True)
    session.assert_clean()


def test_dyad_chart_has_a_point_per_period_and_clicks_through(session):
    data = session.api("/api/dyad/RUS/JPN")
    page = session.open("/dyad/RUS/JPN", ready="#timeline")
    assert page.locator("#timeline circle.point").count() == len(data["timeline"]) > 3
    periods = page.locator("#timeline circle.point").evaluate_all(
        "points => points.map(p => p.dataset.period)"
    )
    assert periods == [p["period"] for p in data["timeline"]]
    december = next(p for p in data["timeline"] if p["period"] == "2016-12")
    page.hover("#timeline rect.hit[data-period='2016-12']")
    tip = page.inner_text("#timeline .tooltip")
    assert f"events: {december['events']}" in tip
    assert f"RUS → JPN: {december['a_to_b']}" in tip
    page.mouse.move(0, 0)
    session.shoot("dyad", docs=True)
    page.click("#timeline rect.hit[data-period='2016-12']")
    page.wait_for_url("**/dyad/RUS/JPN?*period=2016-12*")
    page.wait_for_selector("#timeline[data-ready='1']", state="attached")
    assert page.locator("#events tr.event-row").count() == december["events"]
    assert page.get_attribute("#timeline rect.hit.selected", "data-period") == "2016-12"
    assert all(d.startswith("2016-12") for d in texts(page, "#events tr.event-row td.date"))
    session.assert_clean()


def test_actor_page_draws_its_network(session):
    data = session.api("/api/actor/RUS")
    page = session.open("/actor/RUS", ready="#network")
    assert page.locator("#network circle.node").count() == len(data["nodes"])
    assert page.locator("#network line.edge").count() == len(data["edges"])
    assert page.inner_text("#as-source") == str(data["as_source"])
    page.click("#network circle.node[data-code='JPN']")
    page.wait_for_url("**/actor/JPN")
    session.assert_clean()


def test_map_draws_countries_and_markers(session):
    data = session.api("/api/map")
    page = session.open("/map", ready="#map")
    markers = sum(1 for p in data["places"] for n in p["counts"].values() if n)
    assert markers > 5
    assert page.locator("#map circle.marker").count() == markers
    assert page.locator("#map path.country").count() > 150
    session.shoot("map", docs=True)
    page.uncheck("#map-legend input[data-quad='1']")
    assert (
        page.locator("#map circle.marker.q1.off").count()
        == page.locator("#map circle.marker.q1").count()
        > 0
    )
    session.assert_clean()


def test_map_filters_by_period(session):
    page = session.open("/map")
    page.fill("input[name=since]", "2016-12-01")
    page.fill("input[name=until]", "2016-12-31")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**/map?since=2016-12-01&until=2016-12-31*")
    page.wait_for_selector("#map[data-ready='1']", state="attached")
    data = session.api("/api/map", since="2016-12-01", until="2016-12-31")
    markers = sum(1 for p in data["places"] for n in p["counts"].values() if n)
    assert (
        0
        < markers
        < sum(1 for p in session.api("/api/map")["places"] for n in p["counts"].values() if n)
    )
    assert page.locator("#map circle.marker").count() == markers
    session.assert_clean()


def test_api_docs_render_offline(session):
    page = session.open("/api/docs")
    page.wait_for_selector(".opblock")
    assert page.locator(".opblock").count() == len(session.api("/api/openapi.json")["paths"])
    session.assert_clean()


# --- hostile text -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_url(pipeline, tmp_path_factory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("web-hostile")
    source = folder / "hostile.jsonl"
    source.write_text(json.dumps(HOSTILE_ARTICLE) + "\n", encoding="utf-8")
    app = create_app(build_store(folder / "hostile.duckdb", [source], pipeline))
    with serve(app) as url:
        yield url
    app.state.store.close()


def test_hostile_article_renders_as_inert_text(browser, hostile_url):
    session = Session(browser, hostile_url)
    try:
        events = session.api("/api/events")["events"]
        assert any("<script>" in (e["sentence"] or "") for e in events)
        for path in ["/", "/events", *(f"/events/{e['id']}" for e in events), "/actor/JPN"]:
            page = session.open(path)
            page.wait_for_load_state("load")
            assert page.evaluate("window.__xss") is None, path
            assert page.locator("#article-text script, #article-text img").count() == 0
        page = session.open(f"/events/{events[0]['id']}")
        assert "<script>window.__xss = 'text'</script>" in page.inner_text("#article-text")
        assert "javascript:window.__xss = 'url'" in page.inner_text(".article .meta")
        assert session.page.locator("a[href^='javascript:']").count() == 0
        session.assert_clean()
    finally:
        session.context.close()


# --- downloads, actor search, the network, the time slider ------------------------------------


def test_the_events_page_downloads_what_it_lists(session):
    import io

    import pyarrow.csv

    page = session.open("/events?actor=JPN&code=04")
    listed = session.api("/api/events", actor="JPN", code="04", limit=200)
    with page.expect_download() as info:
        page.click("#download-csv")
    download = info.value
    assert download.suggested_filename == "events.csv"
    table = pyarrow.csv.read_csv(io.BytesIO(Path(download.path()).read_bytes()))
    assert table.column("id").to_pylist() == [e["id"] for e in listed["events"]]
    session.assert_clean()


def test_the_actor_search_goes_to_the_actor_named(session):
    page = session.open("/events")
    page.fill("#actor-search input[name=code]", "Lavrov")
    page.press("#actor-search input[name=code]", "Enter")
    page.wait_for_url("**/actor/RUSGOV")
    assert page.inner_text("h1").startswith("RUSGOV")
    session.assert_clean()


def test_the_network_page_draws_the_corpus_network(session):
    data = session.api("/api/network", limit=20)
    page = session.open("/network?limit=20", ready="#network")
    assert page.locator("#network circle.node").count() == len(data["nodes"]) > 3
    assert page.locator("#network line.edge").count() == len(data["links"])
    assert page.locator("#edges tbody tr").count() == len(data["edges"])
    session.shoot("network", docs=True)
    code = data["nodes"][0]["code"]
    page.click(f"#network circle.node[data-code='{code}']")
    page.wait_for_url(f"**/actor/{code}")
    session.assert_clean()


@pytest.mark.parametrize("path", ["/map", "/network"])
def test_the_time_slider_sets_since_and_until(session, path):
    page = session.open(path, ready="#time-range")
    low = page.locator("#time-range input[data-bound=since]")
    first = int(low.get_attribute("min"))
    last = int(low.get_attribute("max"))
    day = first + (last - first) // 2
    low.evaluate(
        "(input, day) => { input.value = String(day);"
        " input.dispatchEvent(new Event('input')); input.dispatchEvent(new Event('change')); }",
        day,
    )
    since = (dt.date(1970, 1, 1) + dt.timedelta(days=day)).isoformat()
    page.wait_for_url(f"**{path}?*since={since}*")
    assert page.input_value("input[name=since]") == since
    assert page.input_value("input[name=until]") == ""
    page.wait_for_selector("#time-range[data-ready='1']", state="attached")
    assert int(page.locator("#time-range input[data-bound=since]").input_value()) == day
    session.assert_clean()
