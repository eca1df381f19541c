"""Hostile article text and hostile request parameters against the web app.

The store holds the example corpus plus one article written to attack the UI: script tags,
``onerror`` attributes and ``javascript:`` links in its title, source, URL and text. Every page
must show them as text; every hostile parameter must get a 400/404 (or an honest empty
result), never a 500, and never change the store.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import duckdb
import pytest

from newsevents import Store, ingest, read_inputs
from newsevents.web import create_app
from newsevents.web.app import _json_island
from newsevents.web.client import LocalClient
from tests.conftest import CORPUS

HOSTILE = {
    "id": "hostile-1",
    "title": "<script>alert('title')</script>Japan sanctions Russia",
    "source": '<img src=x onerror="alert(1)">',
    "url": "javascript:alert('url')",
    "published": "2016-12-03",
    "text": (
        "Japan imposed new sanctions on Russia <script>alert('text')</script> on Friday, "
        "officials said.\n"
        "<img src=x onerror=\"alert('img')\"> Russia criticised Japan for the sanctions on "
        "Saturday.\n"
        "The talks ended, <a href=\"javascript:alert('link')\">the ministry</a> said "
        "<svg onload=alert(2)></svg> on Sunday. '; DROP TABLE events; -- was not said.\n"
    ),
}

INJECTIONS = [
    "'; DROP TABLE events; --",
    "RUS' OR '1'='1",
    '" OR ""="',
    "%",
    "_",
    "\\",
    "1) UNION SELECT * FROM articles --",
    "<script>alert(1)</script>",
    "\u0000",
    "ロシア",
]


class Inspector(HTMLParser):
    """Collects what a page would execute: scripts, event-handler attributes, script URLs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[dict[str, str | None]] = []
        self.handlers: list[tuple[str, str]] = []
        self.script_urls: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        values = dict(attrs)
        if tag == "script":
            self.scripts.append(values)
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append((tag, name))
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith(
                ("javascript:", "data:text/html")
            ):
                self.script_urls.append(value or "")


def inspect_page(html: str) -> Inspector:
    inspector = Inspector()
    inspector.feed(html)
    return inspector


def assert_inert(html: str, where: str) -> None:
    found = inspect_page(html)
    for script in found.scripts:
        if script.get("type") == "application/json":
            assert "src" not in script, where
            continue
        src = script.get("src") or ""
        assert src.startswith(("/vendor/", "/static/")), (where, script)
    assert found.handlers == [], where
    assert found.script_urls == [], where
    assert "img" not in found.tags and "svg" not in found.tags, where


@pytest.fixture(scope="module")
def db(pipeline, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("web-security")
    hostile = folder / "hostile.jsonl"
    hostile.write_text(json.dumps(HOSTILE) + "\n", encoding="utf-8")
    path = folder / "events.duckdb"
    with Store(path) as store:
        ingest(read_inputs([CORPUS, hostile], debris=pipeline.debris), store, pipeline)
    return path


@pytest.fixture(scope="module")
def app(db):
    app = create_app(db)
    yield app
    app.state.store.close()


@pytest.fixture(scope="module")
def client(app) -> LocalClient:
    return LocalClient(app)


@pytest.fixture(scope="module")
def hostile_events(client) -> list[dict[str, Any]]:
    events = client.get("/api/events", params={"article": "hostile-1"}).json()["events"]
    assert len(events) >= 2, "the hostile article should be coded like any other"
    return events


def literal_matches(db: Path, words: str) -> int:
    """Events whose sentence contains ``words`` as written (case aside), counted in Python."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        sentences = con.execute("SELECT sentence FROM deduplicated_events").fetchall()
    finally:
        con.close()
    return sum(1 for (sentence,) in sentences if words.lower() in (sentence or "").lower())


def counts(db: Path) -> tuple[int, int, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return tuple(  # type: ignore[return-value]
            con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # type: ignore[index]
            for t in ("articles", "events", "errors")
        )
    finally:
        con.close()


def test_hostile_article_text_is_shown_as_text_on_every_page(client, hostile_events):
    paths = [
        "/",
        "/events",
        "/events?article=hostile-1",
        "/events?mentions=true&limit=200",
        "/actor/JPN",
        "/actor/RUS",
        "/dyad/JPN/RUS",
        "/map",
        *(f"/events/{e['id']}" for e in hostile_events),
    ]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        assert_inert(response.text, path)
    page = client.get(f"/events/{hostile_events[0]['id']}").text
    assert "&lt;script&gt;alert(&#39;text&#39;)&lt;/script&gt;" in page
    assert "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;Japan sanctions Russia" in page
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in page
    assert "javascript:alert(&#39;url&#39;)" in page  # the URL as text, not as a link


def test_hostile_text_round_trips_unchanged_through_the_json_api(client, db, hostile_events):
    data = client.get(f"/api/events/{hostile_events[0]['id']}").json()
    con = duckdb.connect(str(db), read_only=True)
    try:
        (stored,) = con.execute("SELECT text FROM articles WHERE id = 'hostile-1'").fetchone()
    finally:
        con.close()
    assert data["article"]["title"] == HOSTILE["title"]
    assert data["article"]["url"] == HOSTILE["url"]
    assert data["article"]["text"] == stored
    for piece in ("<a href=\"javascript:alert('link')\">", "<svg onload=alert(2)>", "DROP TABLE"):
        assert piece in stored


def test_json_islands_cannot_close_their_script_element():
    hostile = "</script><script>alert(1)</script><!--"
    island = str(_json_island({"name": hostile}))
    assert "</script" not in island.lower() and "<!--" not in island
    assert json.loads(island) == {"name": hostile}


@pytest.mark.parametrize("value", INJECTIONS)
@pytest.mark.parametrize(
    "param", ["q", "actor", "source", "target", "dyad", "code", "place", "article", "since"]
)
def test_hostile_filter_values_never_break_the_query(client, db, param, value):
    before = counts(db)
    response = client.get("/api/events", params={param: value})
    assert response.status_code in (200, 400, 404), response.text
    body = response.json()
    if response.status_code == 200:
        expected = literal_matches(db, value) if param == "q" else 0
        assert body["total"] == expected, "a hostile value matched as if it were SQL"
    else:
        assert body["ok"] is False and body["error"]
    html = client.get("/events", params={param: value})
    assert html.status_code == response.status_code
    assert_inert(html.text, f"/events?{param}=")
    assert counts(db) == before


def test_free_text_search_treats_wildcards_literally(client):
    everything = client.get("/api/events", params={"limit": 1}).json()["total"]
    assert everything > 0
    for wildcard in ("%", "_", "%%", "*"):
        assert client.get("/api/events", params={"q": wildcard}).json()["total"] == 0


@pytest.mark.parametrize(
    "path",
    [
        "/events/' OR '1'='1",
        "/api/events/1%20OR%201=1",
        "/actor/RUS'--",
        "/api/actor/%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "/dyad/RUS/JPN'%20OR%201=1",
        "/api/dyad/RUS/JPN?period=2016-12' OR 1=1",
        "/api/dyad/RUS/JPN?by=month;DROP TABLE events",
        "/api/events?sort=goldstein DESC; DROP TABLE events",
        "/api/events?sort=(SELECT 1)",
        f"/api/events?limit={10**30}",
        f"/api/events?offset={10**30}",
        "/api/events?offset=-1",
        "/api/events?limit=-1",
        f"/api/events?q={'x' * 5000}",
        "/api/events?quad_class=1 OR 1=1",
        "/api/events?background=maybe",
        "/api/map?since=0000-00-00",
        "/api/map?until=9999-99-99",
        "/vendor/..%2F..%2Fstore.py",
        "/static/..%2F..%2Fstore.py",
    ],
)
def test_hostile_paths_and_parameters_get_4xx(client, db, path):
    before = counts(db)
    response = client.get(path)
    assert 400 <= response.status_code < 500, (path, response.status_code, response.text)
    assert counts(db) == before


def test_reflected_parameters_are_escaped_in_error_pages(client):
    response = client.get("/events", params={"since": "<script>alert(1)</script>"})
    assert response.status_code == 400
    assert "<script>alert(1)" not in response.text
    assert "&lt;script&gt;alert(1)" in response.text
    assert_inert(response.text, "error page")
    page = client.get("/actor/%3Cimg%20src=x%20onerror=alert(1)%3E")
    assert page.status_code == 400
    assert_inert(page.text, "actor error page")


def test_every_response_forbids_inline_scripts_and_framing(client, hostile_events):
    for path in ("/", f"/events/{hostile_events[0]['id']}", "/api/overview", "/nope"):
        headers = client.get(path).headers
        policy = headers["content-security-policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy
        assert "frame-ancestors 'none'" in policy and "default-src 'none'" in policy
        assert headers["x-content-type-options"] == "nosniff"


def test_the_database_connection_is_read_only(app, db):
    before = counts(db)
    for statement in (
        "DELETE FROM events",
        "DROP TABLE events",
        "INSERT INTO errors (id) VALUES ('x')",
    ):
        with pytest.raises(duckdb.Error, match="read-only"), app.state.store.reading() as cursor:
            cursor.execute(statement)
    assert counts(db) == before


# --- downloads ---------------------------------------------------------------------------------


@pytest.mark.parametrize("value", INJECTIONS)
@pytest.mark.parametrize(
    "param", ["q", "actor", "source", "dyad", "code", "place", "since", "sort"]
)
def test_hostile_download_parameters_answer_like_the_events_page(client, db, param, value):
    import io

    import pyarrow.csv

    before = counts(db)
    listed = client.get("/api/events", params={param: value, "limit": 1})
    response = client.get("/api/events.csv", params={param: value})
    assert response.status_code == listed.status_code, response.text
    if response.status_code == 200:
        rows = (
            pyarrow.csv.read_csv(io.BytesIO(response.content)).num_rows if response.content else 0
        )
        assert rows == listed.json()["total"], "a hostile value matched as if it were SQL"
        assert response.headers["content-disposition"] == 'attachment; filename="events.csv"'
    else:
        assert response.status_code in (400, 404)
        assert response.json()["ok"] is False
    assert counts(db) == before


@pytest.mark.parametrize(
    "path",
    [
        "/api/events.html",
        "/api/events.csv%22%3B%20filename%3Devil.html",
        "/api/events.parquet;DROP TABLE events",
        "/api/events.csv?modality=all;DROP TABLE events",
        f"/api/events.csv?q={'x' * 5000}",
        "/api/events.csv?background=maybe",
    ],
)
def test_a_download_takes_only_its_formats_and_parameters(client, db, path):
    before = counts(db)
    response = client.get(path)
    assert response.status_code == 400, (path, response.text)
    assert "content-disposition" not in response.headers
    assert counts(db) == before


def test_hostile_text_downloads_as_data_never_as_a_page(client, hostile_events):
    import io

    import pyarrow.parquet

    for fmt in ("csv", "parquet"):
        response = client.get(f"/api/events.{fmt}", params={"article": "hostile-1"})
        assert response.status_code == 200
        assert response.headers["content-disposition"].startswith("attachment;")
        assert response.headers["x-content-type-options"] == "nosniff"
        assert "script-src 'self'" in response.headers["content-security-policy"]
        assert not response.headers["content-type"].startswith("text/html")
    table = pyarrow.parquet.read_table(io.BytesIO(response.content))
    assert set(table.column("title").to_pylist()) == {HOSTILE["title"]}
    assert sorted(table.column("id").to_pylist()) == sorted(e["id"] for e in hostile_events)
