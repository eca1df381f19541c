"""The web app's routes, in-process (httpx over ASGI), checked against the store.

The store is built once from examples/corpus with the real pipeline; expected values are
computed here from the rows read straight from DuckDB, independently of the app's SQL.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter, defaultdict
from html import unescape
from pathlib import Path
from typing import Any

import duckdb
import pytest
from click.testing import CliRunner

from newsevents import EventQuery, Store, ingest, read_inputs
from newsevents.analysis.aggregates import dyad_timeline
from newsevents.cli.main import cli
from newsevents.errors import StoreError
from newsevents.web import create_app
from newsevents.web.client import LocalClient
from newsevents.web.queries import SORTS
from newsevents.web.views import DOWNLOAD_PATH, PAGES, Sort, json_path
from tests.conftest import CORPUS

QUAD_KEYS = ("verbal_coop", "material_coop", "verbal_conflict", "material_conflict")


@pytest.fixture(scope="module")
def db(pipeline, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("web-api") / "events.duckdb"
    with Store(path) as store:
        ingest(read_inputs([CORPUS], debris=pipeline.debris), store, pipeline)
    return path


@pytest.fixture(scope="module")
def app(db):
    app = create_app(db)
    yield app
    app.state.store.close()


@pytest.fixture(scope="module")
def client(app) -> LocalClient:
    return LocalClient(app)


def read_rows(db: Path, sql: str) -> list[dict[str, Any]]:
    """Rows read straight from the store file (read-only, like the app's connection)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        cursor = con.execute(sql)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]
    finally:
        con.close()


@pytest.fixture(scope="module")
def every_event(app, db) -> list[dict[str, Any]]:
    """Every stored event, once however many sentences report it, with the event's modality:
    asserted when any of its mentions is (worked out here from the mentions)."""
    events = read_rows(db, "SELECT * FROM deduplicated_events")
    asserted = {
        r["event_group"]
        for r in read_rows(db, "SELECT event_group, modality FROM event_mentions")
        if r["modality"] == "asserted"
    }
    for event in events:
        if event["modality"] == "future" and event["event_group"] in asserted:
            event["modality"] = "asserted"
    return events


@pytest.fixture(scope="module")
def rows(every_event) -> list[dict[str, Any]]:
    """The events every page counts and lists by default: the asserted ones."""
    return [r for r in every_event if r["modality"] == "asserted"]


@pytest.fixture(scope="module")
def mentions(app, db) -> list[dict[str, Any]]:
    """Every coded sentence (mention) of an event."""
    return read_rows(db, "SELECT * FROM events")


@pytest.fixture(scope="module")
def articles(app, db) -> dict[str, dict[str, Any]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        cursor = con.execute("SELECT id, title, text FROM articles")
        return {r[0]: {"title": r[1], "text": r[2]} for r in cursor.fetchall()}
    finally:
        con.close()


def get_json(client: LocalClient, path: str, **params: Any) -> Any:
    response = client.get(path, params=params or None)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    return response.json()


def side_matches(row: dict[str, Any], side: str, code: str) -> bool:
    return row[f"{side}_country"] == code or (row[f"{side}_code"] or "").startswith(code)


def key(row: dict[str, Any], side: str) -> str | None:
    """Who a side counts as in top lists: its country, else its organisation (first three
    letters of the code); an actor known only by its role (GOV) counts as no one."""
    if row[f"{side}_country"]:
        return row[f"{side}_country"]
    code, role = row[f"{side}_code"], row[f"{side}_role"]
    if code is None or (role is not None and code.startswith(role)):
        return None
    return code[:3]


def sochi_meeting(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Abe meeting Putin in Sochi (examples/corpus/03): the event the page tests trace."""
    (row,) = [
        r
        for r in rows
        if r["code"] == "040"
        and r["location_name"] == "Sochi"
        and r["trigger"] == "met"
        and r["source_code"] == "JPNGOV"
        and r["date"] == "2016-05-06"
    ]
    return row


# --- overview --------------------------------------------------------------------------------


def test_overview_counts_match_the_store(client, rows, mentions, articles):
    data = get_json(client, "/api/overview")
    assert data["articles"] == len(articles) == len(list(CORPUS.glob("*.txt")))
    assert data["events"] == len(rows)
    assert data["mentions"] == len(mentions) > len(rows)
    assert data["errors"] == 0
    assert data["background_events"] == sum(1 for r in rows if r["background"])
    dated = sorted(r["date_start"] for r in rows if not r["background"] and r["date_start"])
    assert data["first_date"] == dated[0].isoformat()
    assert data["last_date"] == dated[-1].isoformat()


def test_overview_months_are_counted_by_quad_class(client, rows):
    expected: dict[str, Counter[str]] = defaultdict(Counter)
    sums: dict[str, float] = defaultdict(float)
    for r in rows:
        if r["background"] or r["date_start"] is None:
            continue
        month = f"{r['date_start']:%Y-%m}"
        expected[month]["events"] += 1
        expected[month][QUAD_KEYS[r["quad_class"] - 1]] += 1
        sums[month] += r["goldstein"]
    months = get_json(client, "/api/overview")["months"]
    assert [m["period"] for m in months] == sorted(expected)
    for m in months:
        counts = expected[m["period"]]
        assert m["events"] == counts["events"]
        assert m["counts"] == {k: counts[k] for k in QUAD_KEYS}
        assert m["goldstein_sum"] == pytest.approx(round(sums[m["period"]], 2))
        assert m["start"] == f"{m['period']}-01"


def test_overview_top_dyads_and_actors(client, rows):
    dyads: Counter[tuple[str, str]] = Counter()
    actors: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        s, t = key(r, "source"), key(r, "target")
        if s and t and s != t:
            dyads[tuple(sorted((s, t)))] += 1  # type: ignore[index]
        for k in {s, t} - {None}:
            actors[k].add(r["id"])  # type: ignore[index]
    data = get_json(client, "/api/overview")
    top = data["top_dyads"][0]
    assert (top["a"], top["b"]) == ("JPN", "RUS")
    assert top["events"] == dyads[("JPN", "RUS")] == max(dyads.values())
    assert [(d["a"], d["b"], d["events"]) for d in data["top_dyads"]] == sorted(
        ((a, b, n) for (a, b), n in dyads.items()), key=lambda x: (-x[2], x[0], x[1])
    )[:10]
    by_count = sorted(actors.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:10]
    assert [(a["code"], a["events"]) for a in data["top_actors"]] == [
        (k, len(ids)) for k, ids in by_count
    ]
    russia = next(a for a in data["top_actors"] if a["code"] == "RUS")
    assert russia["name"] == "Russia"
    assert russia["as_source"] == sum(1 for r in rows if key(r, "source") == "RUS")
    assert russia["as_target"] == sum(1 for r in rows if key(r, "target") == "RUS")


def test_overview_html_shows_the_same_numbers(client, rows):
    html = client.get("/").text
    assert f'id="stat-events">{len(rows)}<' in html
    assert 'href="/dyad/JPN/RUS"' in html
    assert 'href="/.json"' in html


# --- event lists -----------------------------------------------------------------------------


def all_ids(client: LocalClient, **params: Any) -> list[str]:
    """Page through /api/events with small pages; every page must be consistent."""
    ids: list[str] = []
    offset: int | None = 0
    while offset is not None:
        page = get_json(client, "/api/events", limit=7, offset=offset, **params)
        ids += [e["id"] for e in page["events"]]
        offset = page["next_offset"]
    assert len(ids) == len(set(ids)) == page["total"]
    return ids


def test_events_paginate_through_every_event(client, rows, every_event, mentions):
    assert sorted(all_ids(client)) == sorted(r["id"] for r in rows)
    assert len(rows) < len(every_event)  # the corpus has negated, future, hypothetical events
    assert sorted(all_ids(client, modality="all")) == sorted(r["id"] for r in every_event)
    assert sorted(all_ids(client, mentions="true", modality="all")) == sorted(
        r["id"] for r in mentions
    )
    assert sorted(all_ids(client, mentions="true")) == sorted(
        r["id"] for r in mentions if r["modality"] == "asserted"
    )
    second = get_json(client, "/api/events", limit=7, offset=7)
    assert second["prev_offset"] == 0 and second["next_offset"] == 14


@pytest.mark.parametrize(
    ("params", "keep"),
    [
        (
            {"actor": "RUS"},
            lambda r: side_matches(r, "source", "RUS") or side_matches(r, "target", "RUS"),
        ),
        ({"source": "JPN"}, lambda r: side_matches(r, "source", "JPN")),
        ({"target": "rusgov"}, lambda r: side_matches(r, "target", "RUSGOV")),
        ({"code": "04"}, lambda r: r["code"].startswith("04")),
        ({"code": "057"}, lambda r: r["code"].startswith("057")),
        ({"quad_class": "3"}, lambda r: r["quad_class"] == 3),
        ({"modality": "negated"}, lambda r: r["modality"] == "negated"),
        ({"modality": "asserted,future"}, lambda r: r["modality"] in ("asserted", "future")),
        ({"modality": "all"}, lambda r: True),
        (
            {"since": "2016-09-01", "until": "2016-09-30"},
            lambda r: (
                r["date_start"] is not None
                and dt.date(2016, 9, 1) <= r["date_start"] <= dt.date(2016, 9, 30)
            ),
        ),
        ({"q": "SANCTIONS"}, lambda r: "sanctions" in r["sentence"].lower()),
        ({"place": "Sochi"}, lambda r: r["location_name"] == "Sochi"),
        ({"background": "false"}, lambda r: not r["background"]),
    ],
)
def test_events_filters(client, every_event, params, keep):
    wanted = params.get("modality", "asserted").replace(
        "all", "asserted,negated,future,hypothetical"
    )
    expected = sorted(r["id"] for r in every_event if keep(r) and r["modality"] in wanted)
    assert expected, "the corpus should have events for every filter tested"
    assert sorted(all_ids(client, **params)) == expected


def test_events_dyad_filter_equals_the_store_query(client, app):
    with Store(app.state.store.path, read_only=True) as store:
        expected = sorted(r["id"] for r in store.events(EventQuery(dyad=("RUS", "JPN"))))
    assert sorted(all_ids(client, dyad="RUS-JPN")) == expected
    assert sorted(all_ids(client, dyad="JPN,RUS")) == expected


def test_events_filter_by_article(client, rows):
    article_id = sochi_meeting(rows)["article_id"]
    expected = sorted(r["id"] for r in rows if r["article_id"] == article_id)
    assert sorted(all_ids(client, article=article_id)) == expected


def test_events_sort_keys_are_the_whitelist(client):
    assert set(Sort.__args__) == set(SORTS)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("sort", "field", "descending"),
    [("-goldstein", "goldstein", True), ("goldstein", "goldstein", False), ("code", "code", False)],
)
def test_events_sort(client, rows, sort, field, descending):
    page = get_json(client, "/api/events", sort=sort, limit=200)
    values = [e[field] for e in page["events"]]
    assert len(values) == len(rows)
    assert values == sorted(values, reverse=descending)


def test_events_sort_by_date_descending(client, rows):
    events = get_json(client, "/api/events", sort="-date", limit=5)["events"]
    latest = max(r["date_start"] for r in rows if r["date_start"])
    assert {e["date"][:10] for e in events[:1]} == {latest.isoformat()}


def test_events_html_lists_the_rows(client, rows):
    html = client.get("/events", params={"code": "057", "limit": "200"}).text
    expected = [r for r in rows if r["code"].startswith("057")]
    assert html.count('class="event-row') == len(expected)
    assert f'id="result-count">{len(expected)} events' in html


# --- one event -------------------------------------------------------------------------------


def test_event_page_traces_the_event_to_its_sentence(client, rows, articles):
    row = sochi_meeting(rows)
    data = get_json(client, f"/api/events/{row['id']}")
    text = articles[row["article_id"]]["text"]
    assert data["article"]["text"] == text
    spans = {h["role"]: h for h in data["highlights"]}
    assert set(spans) == {"sentence", "trigger", "source", "target"}
    assert spans["trigger"]["text"] == "met"
    assert (spans["trigger"]["start"], spans["trigger"]["end"]) == (
        row["trigger_start"],
        row["trigger_end"],
    )
    assert spans["source"]["text"] == row["source_text"] == "Japanese Prime Minister Shinzo Abe"
    assert spans["target"]["text"] == row["target_text"]
    sentence = spans["sentence"]
    assert text[sentence["start"] : sentence["end"]] == row["sentence"]
    assert sentence["start"] <= row["trigger_start"] < sentence["end"]
    event = data["event"]
    assert (event["code"], event["name"], event["goldstein"]) == (
        "040",
        "Consult, not specified below",
        1.0,
    )
    assert event["plover_event"] == "CONSULT"
    assert event["quad_name"] == "Verbal cooperation"
    assert event["location_name"] == "Sochi"
    assert event["place_how"] == "a place attached to the event's clause in the sentence"
    assert event["date_how"] == "resolved from the time expression \u201cFriday\u201d in the text"
    rule = data["rule"]
    assert rule["rule"] == row["rule"]
    assert rule["file"] == "verbs.yaml" and rule["entry_id"] == "meet"
    assert rule["entry"].splitlines()[0] == "- id: meet"
    assert 'code: "040"' in rule["entry"]


def test_every_mention_has_its_trigger_marked_in_its_article(client, mentions, articles):
    for row in mentions:
        data = get_json(client, f"/api/events/{row['id']}")
        text = articles[row["article_id"]]["text"]
        marked = {h["role"]: h for h in data["highlights"]}
        trigger = marked["trigger"]
        assert text[trigger["start"] : trigger["end"]] == row["trigger"]
        assert text[marked["sentence"]["start"] : marked["sentence"]["end"]] == row["sentence"]
        for side in ("source", "target"):
            if row[f"{side}_text"]:
                assert marked[side]["text"] == row[f"{side}_text"], (row["id"], side)


def test_event_html_marks_trigger_source_and_target(client, rows):
    row = sochi_meeting(rows)
    html = client.get(f"/events/{row['id']}").text
    assert (
        '<mark class="hl-sentence hl-trigger" data-roles="sentence trigger" dir="auto">met</mark>'
    ) in html
    assert (
        '<mark class="hl-sentence hl-source" data-roles="sentence source" dir="auto">'
        "Japanese Prime Minister Shinzo Abe</mark>"
    ) in html
    assert "verbs.yaml:" in html and "- id: meet" in html


def test_other_mentions_are_the_events_grouped_mentions(client, rows):
    repeated = [r for r in rows if r["num_mentions"] > 1]
    assert repeated, "the corpus reports some events more than once"
    for row in repeated:
        for mention in row["mention_ids"]:
            data = get_json(client, f"/api/events/{mention}")
            others = sorted(e["id"] for e in data["other_mentions"])
            assert others == sorted(set(row["mention_ids"]) - {mention})
            counts = data["event"]["mentions"]
            assert counts["num_mentions"] == row["num_mentions"] == len(row["mention_ids"])
            assert counts["num_articles"] == row["num_articles"]
    single = next(r for r in rows if r["num_mentions"] == 1)
    assert get_json(client, f"/api/events/{single['id']}")["other_mentions"] == []


def test_event_lists_show_report_counts(client, rows):
    listed = get_json(client, "/api/events", limit=200)["events"]
    assert {e["id"]: e["mentions"]["num_mentions"] for e in listed} == {
        r["id"]: r["num_mentions"] for r in rows
    }


def test_event_page_lists_the_articles_quotes(client, db, rows):
    quoted = read_rows(db, "SELECT article_id, text FROM quotes ORDER BY sentence_index")
    assert quoted, "the corpus has quotes"
    article_id = quoted[0]["article_id"]
    event = next(r for r in rows if r["article_id"] == article_id)
    data = get_json(client, f"/api/events/{event['id']}")
    assert [q["text"] for q in data["quotes"]] == [
        q["text"] for q in quoted if q["article_id"] == article_id
    ]
    assert data["copies"] == []


# --- dyad, actor, map ------------------------------------------------------------------------


def test_dyad_timeline_equals_the_analysis_function(client, app):
    with Store(app.state.store.path, read_only=True) as store:
        timeline = dyad_timeline(store, "RUS", "JPN", by="month", include_background=False)
        expected = timeline.as_dicts()
        events = store.events(EventQuery(dyad=("RUS", "JPN"), include_background=False))
    data = get_json(client, "/api/dyad/RUS/JPN")
    assert [p["period"] for p in data["timeline"]] == [e["period"] for e in expected]
    assert len(expected) > 3
    for got, want in zip(data["timeline"], expected, strict=True):
        assert got["start"] == want["start"]
        assert got["events"] == want["events"]
        assert got["counts"] == {k: want[k] for k in QUAD_KEYS}
        assert (got["a_to_b"], got["b_to_a"]) == (want["a_to_b"], want["b_to_a"])
        assert got["goldstein_sum"] == pytest.approx(want["goldstein_sum"])
        assert got["goldstein_mean"] == pytest.approx(want["goldstein_mean"])
    assert data["total"] == len(events)
    assert [e["id"] for e in data["events"]] == [e["id"] for e in events]
    assert (data["a_name"], data["b_name"]) == ("Russia", "Japan")


def test_dyad_period_lists_that_periods_events(client):
    data = get_json(client, "/api/dyad/RUS/JPN", period="2016-12")
    december = next(p for p in data["timeline"] if p["period"] == "2016-12")
    assert data["total"] == december["events"] == len(data["events"])
    assert all(e["date"].startswith("2016-12") for e in data["events"])


@pytest.mark.parametrize(("by", "label"), [("year", "2016"), ("week", "2016-W50"), ("day", None)])
def test_dyad_timeline_periods(client, by, label):
    data = get_json(client, "/api/dyad/RUS/JPN", by=by)
    precise = {"year": ("day", "month", "year"), "week": ("day",), "day": ("day",)}[by]
    assert not data["events_truncated"]
    counted = [e for e in data["events"] if e["date"] and e["date_precision"] in precise]
    assert sum(p["events"] for p in data["timeline"]) == len(counted)  # coarser dates left out
    if by != "year":
        assert len(counted) < len([e for e in data["events"] if e["date"]])
    if label:
        assert label in [p["period"] for p in data["timeline"]]
        listed = get_json(client, "/api/dyad/RUS/JPN", by=by, period=label)
        period = next(p for p in data["timeline"] if p["period"] == label)
        assert listed["total"] == period["events"]


def test_actor_page(client, rows):
    data = get_json(client, "/api/actor/RUS")
    as_source = [r for r in rows if side_matches(r, "source", "RUS")]
    as_target = [r for r in rows if side_matches(r, "target", "RUS")]
    assert data["as_source"] == len(as_source)
    assert data["as_target"] == len(as_target)
    assert data["source_counts"]["verbal_coop"] == sum(1 for r in as_source if r["quad_class"] == 1)
    partners: Counter[str] = Counter()
    for r in as_source:
        if key(r, "target") and key(r, "target") != "RUS":
            partners[key(r, "target")] += 1  # type: ignore[index]
    for r in as_target:
        if key(r, "source") and key(r, "source") != "RUS":
            partners[key(r, "source")] += 1  # type: ignore[index]
    expected = sorted(partners.items(), key=lambda kv: (-kv[1], kv[0]))[:12]
    assert [(p["code"], p["events"]) for p in data["partners"]] == expected
    assert data["partners"][0]["code"] == "JPN"
    assert [n["code"] for n in data["nodes"]] == ["RUS", *(p for p, _ in expected)]
    assert {"a": "RUS", "b": "JPN", "events": partners["JPN"]} == {
        k: v for k, v in data["edges"][0].items() if k != "goldstein_mean"
    }
    assert data["total"] == len({r["id"] for r in as_source + as_target})
    assert "GOV" not in [p["code"] for p in data["partners"]], "role-only actors are no one"


def test_map_places_are_grouped_by_location(client, rows):
    located = [r for r in rows if r["location_lat"] is not None and r["location_name"]]
    per_place = Counter(r["location_name"] for r in located)
    data = get_json(client, "/api/map")
    assert {p["name"]: p["events"] for p in data["places"]} == dict(per_place)
    assert data["located"] == len(located)
    assert data["unlocated"] == len(rows) - len(located)
    sochi = next(p for p in data["places"] if p["name"] == "Sochi")
    assert (round(sochi["lat"]), round(sochi["lon"])) == (44, 40)


def test_map_filters_by_period_and_quad_class(client, rows):
    data = get_json(client, "/api/map", since="2016-12-01", until="2016-12-31", quad_class="1")
    expected = Counter(
        r["location_name"]
        for r in rows
        if r["location_lat"] is not None
        and r["location_name"]
        and r["quad_class"] == 1
        and r["date_start"] is not None
        and dt.date(2016, 12, 1) <= r["date_start"] <= dt.date(2016, 12, 31)
    )
    assert {p["name"]: p["events"] for p in data["places"]} == dict(expected)


# --- every page: JSON twins, HTML, errors ----------------------------------------------------


def page_paths(rows: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """(HTML path, API path) of every page, with real path parameters."""
    values = {"event_id": sochi_meeting(rows)["id"], "a": "RUS", "b": "JPN", "code": "JPN"}
    return [(p.path.format(**values), p.api.format(**values)) for p in PAGES]


def test_every_page_is_html_and_json_from_the_same_data(client, rows):
    for html_path, api_path in page_paths(rows):
        api = get_json(client, api_path)
        assert get_json(client, json_path(html_path)) == api
        page = client.get(html_path)
        assert page.status_code == 200
        assert page.headers["content-type"] == "text/html; charset=utf-8"
        assert "<title>" in page.text and "This page as JSON" in page.text


def test_security_headers_on_every_response(client, rows):
    for html_path, api_path in page_paths(rows):
        for path in (html_path, api_path):
            headers = client.get(path).headers
            assert "script-src 'self'" in headers["content-security-policy"]
            assert headers["x-content-type-options"] == "nosniff"
            assert headers["x-frame-options"] == "DENY"


@pytest.mark.parametrize(
    ("path", "status", "message"),
    [
        ("/api/events/nope", 404, "no event with id 'nope'"),
        ("/api/actor/XYZ", 404, "no stored event has the actor XYZ"),
        ("/api/dyad/RUS/ZZZ", 404, "no stored event has the actor ZZZ"),
        ("/api/actor/RU%20S", 400, "is not an actor code"),
        ("/api/events?actor=QQQ", 404, "no stored event has the actor QQQ"),
        ("/api/events?since=2016-13-45", 400, "since '2016-13-45' is not a date"),
        ("/api/events?since=yesterday", 400, "since: String should match pattern"),
        ("/api/events?since=2016-12-01&until=2016-01-01", 400, "is after until"),
        ("/api/events?limit=1000000000", 400, "limit: Input should be less than or equal to 200"),
        ("/api/events?limit=0", 400, "limit: Input should be greater than or equal to 1"),
        ("/api/events?offset=-5", 400, "offset: Input should be greater than or equal to 0"),
        ("/api/events?limit=abc", 400, "limit: Input should be a valid integer"),
        ("/api/events?sort=date;DROP", 400, "sort: Input should be"),
        ("/api/events?code=99", 400, "no CAMEO event code starts with '99'"),
        ("/api/events?quad_class=5", 400, "quad_class: Input should be"),
        ("/api/events?dyad=RUS", 400, "dyad: String should match pattern"),
        ("/api/dyad/RUS/JPN?period=December", 400, "period 'December' is not a month label"),
        ("/api/dyad/RUS/JPN?by=fortnight", 400, "by: Input should be"),
        ("/api/nothing", 404, "no page at /api/nothing"),
        ("/vendor/../app.py", 404, ""),
        ("/vendor/jquery.js", 404, "no front-end file 'jquery.js'"),
    ],
)
def test_bad_requests_get_clear_errors(client, path, status, message):
    response = client.get(path)
    assert response.status_code == status
    if path.startswith("/api/"):
        body = response.json()
        assert body["ok"] is False and body["status"] == status
        assert message in body["error"]
    else:
        assert message in unescape(response.text)


def test_html_errors_are_pages(client):
    response = client.get("/actor/XYZ")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert 'id="error-message">no stored event has the actor XYZ<' in response.text
    assert client.get("/events", params={"limit": "0"}).status_code == 400


def test_jump_forms_redirect_to_pages(client):
    response = client.get("/dyad", params={"a": " rus ", "b": "jpn"})
    assert response.status_code == 303
    assert response.headers["location"] == "/dyad/RUS/JPN"
    assert client.get("/actor", params={"code": "Rus'gov"}).headers["location"] == "/actor/RUSGOV"


def test_openapi_documents_the_api_routes(client):
    schema = get_json(client, "/api/openapi.json")
    assert sorted(schema["paths"]) == sorted([*(p.api for p in PAGES), DOWNLOAD_PATH])
    for operations in schema["paths"].values():
        assert set(operations["get"]["responses"]) == {"200", "400", "404"}
    sort = next(
        p for p in schema["paths"]["/api/events"]["get"]["parameters"] if p["name"] == "sort"
    )
    assert set(sort["schema"]["enum"]) == set(SORTS)
    docs = client.get("/api/docs").text
    assert '<script src="/vendor/swagger-ui-bundle.js">' in docs


def test_front_end_files_come_from_the_installed_packages(client):
    d3 = client.get("/vendor/d3.min.js")
    assert d3.status_code == 200, "run 'make install' to install the web UI's npm packages"
    assert d3.headers["content-type"] == "text/javascript; charset=utf-8"
    assert "d3js.org" in d3.text[:200]
    world = client.get("/vendor/countries-110m.json").json()
    assert world["type"] == "Topology" and "countries" in world["objects"]
    assert client.get("/static/charts.js").status_code == 200


# --- read-only, missing stores, the CLI ------------------------------------------------------


def test_the_app_cannot_write_to_the_store(app, client, db):
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    with pytest.raises(duckdb.Error, match="read-only"), app.state.store.reading() as con:
        con.execute("CREATE TABLE intruder (x INTEGER)")
    client.get("/api/overview")
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


def test_missing_or_foreign_stores_are_refused(tmp_path):
    with pytest.raises(StoreError, match="no store at"):
        create_app(tmp_path / "missing.duckdb")
    foreign = tmp_path / "other.duckdb"
    duckdb.connect(str(foreign)).close()
    with pytest.raises(StoreError, match="is not a newsevents store"):
        create_app(foreign)


def test_a_store_without_groups_quotes_or_copies_is_served_from_its_events(db, mentions, tmp_path):
    plain = tmp_path / "plain.duckdb"
    plain.write_bytes(db.read_bytes())
    con = duckdb.connect(str(plain))
    for view in ("deduplicated_events", "event_mentions", "event_reports"):
        con.execute(f"DROP VIEW {view}")
    for table in ("event_groups", "event_group_mentions", "article_copies", "quotes"):
        con.execute(f"DROP TABLE {table}")
    con.close()
    app = create_app(plain)
    try:
        client = LocalClient(app)
        overview = get_json(client, "/api/overview")
        listed = get_json(client, "/api/events", limit=200)
        row = sochi_meeting(mentions)
        event = get_json(client, f"/api/events/{row['id']}")
        assert client.get("/").status_code == 200
        assert client.get(f"/events/{row['id']}").status_code == 200
    finally:
        app.state.store.close()
    asserted = [m for m in mentions if m["modality"] == "asserted"]
    assert overview["mentions"] == len(mentions)
    assert overview["events"] == listed["total"] == len(asserted)  # asserted, as everywhere
    assert listed["events"][0]["mentions"] is None
    assert (event["quotes"], event["copies"], event["event"]["mentions"]) == (None, None, None)
    assert event["other_mentions_how"].startswith("other events with the same source")


def test_copies_of_the_article_are_listed(db, mentions, tmp_path):
    copied = tmp_path / "copied.duckdb"
    copied.write_bytes(db.read_bytes())
    row = sochi_meeting(mentions)
    con = duckdb.connect(str(copied))
    con.execute(
        "INSERT INTO article_copies (id, copy_of, title, source, published, url) "
        "VALUES ('copy1', ?, 'Abe meets Putin', 'Other Wire', DATE '2016-05-07', NULL)",
        [row["article_id"]],
    )
    con.close()
    app = create_app(copied)
    try:
        data = get_json(LocalClient(app), f"/api/events/{row['id']}")
        html = LocalClient(app).get(f"/events/{row['id']}").text
    finally:
        app.state.store.close()
    assert data["copies"] == [
        {
            "id": "copy1",
            "title": "Abe meets Putin",
            "source": "Other Wire",
            "published": "2016-05-07",
            "url": None,
        }
    ]
    assert "Exact copies of this article" in html and "Other Wire" in html


def test_serve_get_prints_one_response(db, app):
    result = CliRunner().invoke(cli, ["serve", "--db", str(db), "--get", "/api/actor/JPN"])
    assert result.exit_code == 0, result.output
    assert '"code":"JPN"' in result.output
    bad = CliRunner().invoke(cli, ["serve", "--db", str(db), "--get", "/api/actor/XYZ"])
    assert bad.exit_code == 1
    assert "no stored event has the actor XYZ" in bad.output
    assert "/api/actor/XYZ answered 404" in bad.output


def test_serve_refuses_a_missing_store_and_binds_locally_by_default(tmp_path):
    result = CliRunner().invoke(cli, ["serve", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 1
    assert "no store at" in result.output
    serve = cli.commands["serve"]
    defaults = {p.name: p.default for p in serve.params}
    assert (defaults["host"], defaults["port"]) == ("127.0.0.1", 8001)


# --- downloads ---------------------------------------------------------------------------------


def download(client: LocalClient, fmt: str, **params: Any) -> Any:
    """The events a download holds, as a pyarrow Table, after checking it is an attachment."""
    import io

    import pyarrow.csv
    import pyarrow.parquet

    response = client.get(f"/api/events.{fmt}", params=params or None)
    assert response.status_code == 200, response.text
    assert response.headers["content-disposition"] == f'attachment; filename="events.{fmt}"'
    body = io.BytesIO(response.content)
    if fmt == "csv":
        assert response.headers["content-type"] == "text/csv; charset=utf-8"
        return pyarrow.csv.read_csv(body)
    assert response.headers["content-type"] == "application/vnd.apache.parquet"
    return pyarrow.parquet.read_table(body)


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
@pytest.mark.parametrize(
    "params",
    [
        {},
        {"actor": "RUS", "sort": "-date"},
        {"source": "JPN", "modality": "all"},
        {"place": "Sochi"},
        {"since": "2016-09-01", "until": "2016-09-30", "background": "false"},
        {"mentions": "true", "sort": "goldstein"},
    ],
)
def test_a_download_holds_every_event_the_events_page_lists(client, fmt, params):
    table = download(client, fmt, **params, limit=3, offset=2)  # paging does not narrow it
    listed = all_ids(client, **params)
    assert listed, "the corpus should have events for every filter tested"
    ids = table.column("id").to_pylist()
    assert sorted(ids) == sorted(listed)
    page = get_json(client, "/api/events", limit=200, **params)
    assert ids == [e["id"] for e in page["events"]]  # in the page's order
    assert {"article_id", "url", "code", "source_code", "goldstein"} <= set(table.column_names)


def test_a_csv_download_has_the_columns_of_the_cli_export(client, db, tmp_path):
    import pyarrow.csv

    out = tmp_path / "cli.csv"
    result = CliRunner().invoke(
        cli, ["export", "--db", str(db), "--format", "csv", "--output", str(out)]
    )
    assert result.exit_code == 0, result.output
    table = download(client, "csv")
    assert table.column_names == pyarrow.csv.read_csv(out).column_names
    assert "mention_ids" in table.column_names  # a list, as its JSON text
    first = table.column("mention_ids").to_pylist()[0]
    assert first.startswith("[") and first.endswith("]")


def test_the_events_page_links_its_downloads_with_its_filters(client):
    html = client.get("/events", params={"actor": "RUS", "sort": "-date"}).text
    assert 'href="/api/events.csv?actor=RUS&amp;sort=-date"' in html
    assert 'href="/api/events.parquet?actor=RUS&amp;sort=-date"' in html
    assert 'href="/api/events.csv"' in client.get("/events").text


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/api/events.json", 400),
        ("/api/events.xlsx", 400),
        ("/api/events.csv?actor=ZZZ", 404),
        ("/api/events.csv?since=2016-13-01", 400),
        ("/api/events.parquet?since=2016-12-01&until=2016-01-01", 400),
        ("/api/events.csv?sort=id", 400),
        ("/api/events.csv?code=99", 400),
    ],
)
def test_a_bad_download_request_gets_a_json_error(client, path, status):
    response = client.get(path)
    assert response.status_code == status, response.text
    assert response.json()["ok"] is False and "content-disposition" not in response.headers


# --- actors by name ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "code"),
    [("Russia", "RUS"), ("Lavrov", "RUSGOV"), ("sergey lavrov", "RUSGOV"), ("rusgov", "RUSGOV")],
)
def test_the_actor_search_takes_names_and_codes(client, name, code):
    response = client.get("/actor", params={"code": name})
    assert response.status_code == 303, response.text
    assert response.headers["location"] == f"/actor/{code}"


def test_the_actor_filter_resolves_names_as_the_library_does(client, app):
    with Store(app.state.store.path, read_only=True) as store:
        expected = sorted(r["id"] for r in store.events(EventQuery(actor="Lavrov")))
    assert expected
    assert sorted(all_ids(client, actor="Lavrov")) == expected
    assert sorted(download(client, "csv", actor="Lavrov").column("id").to_pylist()) == expected


@pytest.mark.parametrize(("name", "status"), [("Nobody Atall", 404), ("<b>", 400), ("a;b", 400)])
def test_an_unknown_or_malformed_actor_name_is_refused(client, name, status):
    assert client.get("/actor", params={"code": name}).status_code == status
    assert client.get("/api/events", params={"actor": name}).status_code == status


def test_every_page_has_the_actor_search(client):
    html = client.get("/map").text
    assert 'id="actor-search" action="/actor"' in html and 'name="code"' in html


# --- the corpus network ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "filters"),
    [
        ({}, {}),
        ({"level": "code", "quad_class": "1"}, {"quad_class": 1}),
        ({"actor": "Russia", "since": "2016-09-01"}, {"actor": "RUS", "since": "2016-09-01"}),
        ({"min_events": "2", "background": "false"}, {"include_background": False}),
    ],
)
def test_the_network_page_is_the_library_network(client, app, params, filters):
    from newsevents.analysis.aggregates import actor_network

    with Store(app.state.store.path, read_only=True) as store:
        expected = actor_network(
            store,
            params.get("level", "country"),
            min_events=int(params.get("min_events", 1)),
            query=EventQuery(**filters),
        )
    page = get_json(client, "/api/network", limit=500, **params)
    assert expected.edges, "the corpus should have a network for every filter tested"
    assert page["total_edges"] == len(expected.edges)
    got = [(e["source"], e["target"], e["events"], e["conflict"]) for e in page["edges"]]
    assert got == [(e.source, e.target, e.events, e.conflict) for e in expected.edges]
    links = {(link["a"], link["b"]): link["events"] for link in page["links"]}
    assert sum(links.values()) == sum(e.events for e in expected.edges)
    assert {n["code"] for n in page["nodes"]} == {
        a for e in expected.edges for a in (e.source, e.target)
    }


def test_the_network_page_shows_the_heaviest_edges_and_draws_them(client):
    every = get_json(client, "/api/network", limit=500)
    top = get_json(client, "/api/network", limit=3)
    assert top["edges"] == every["edges"][:3] and top["total_edges"] == every["total_edges"]
    html = client.get("/network", params={"limit": 3}).text
    first = every["edges"][0]
    assert f'<a href="/dyad/{first["source"]}/{first["target"]}">{first["events"]}</a>' in html
    assert 'data-network="network-data"' in html and '<a href="/network">Network</a>' in html


@pytest.mark.parametrize(
    "query",
    ["source=RUS", "place=Sochi", "level=world", "min_events=0", "limit=501", "actor=Nobody"],
)
def test_a_bad_network_request_is_refused(client, query):
    response = client.get(f"/api/network?{query}")
    assert response.status_code in (400, 404), response.text
    assert client.get(f"/network?{query}").status_code == response.status_code


@pytest.mark.parametrize(
    ("path", "listed"),
    [
        ("/actor/RUS", "/api/actor/RUS"),
        ("/dyad/RUS/JPN", "/api/dyad/RUS/JPN"),
        ("/dyad/RUS/JPN?period=2016-12", "/api/dyad/RUS/JPN?period=2016-12"),
    ],
)
def test_actor_and_dyad_pages_download_the_events_they_list(client, path, listed):
    import re

    page = get_json(client, listed)
    assert not page["events_truncated"]
    html = client.get(path).text
    (link,) = re.findall(r'id="download-csv" href="([^"]+)"', html)
    response = client.get(unescape(link))
    assert response.status_code == 200, response.text
    import io

    import pyarrow.csv

    ids = pyarrow.csv.read_csv(io.BytesIO(response.content)).column("id").to_pylist()
    assert sorted(ids) == sorted(e["id"] for e in page["events"]) and ids
