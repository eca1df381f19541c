"""Counts mean "this happened": every total counts asserted events only unless told otherwise,
a month series does not count a year-dated event in January (and says it left it out), and
two reports of one past event are one event. The stories are our own, written for these
checks; every expected number is worked out by hand from them (see STORIES)."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from newsevents import EventQuery, QueryError, Store, ingest, read_inputs
from newsevents.analysis.aggregates import (
    actor_network,
    dyad_timeline,
    top_codes,
    top_swings,
)
from newsevents.cli.main import cli
from newsevents.store import dedup
from newsevents.web import create_app
from newsevents.web.client import LocalClient

STORIES = [
    # Two negated 057 "sign formal agreement" events, RUS->JPN and JPN->RUS, +8.0 each.
    ("treaty", "2016-12-03", "Russia and Japan are still at odds over the islands. "
     "The two countries have never signed a peace treaty."),
    # Negated: 085 "ease sanctions" JPN->RUS (+7.0) and 163 sanctions JPN->RUS (-8.0).
    ("not-lifted", "2016-12-05", "Japan has not lifted the sanctions on Russia. "
     "Japan has not imposed new sanctions on Russia."),
    # Future: 042 JPNGOV->RUSGOV, dated 2017-01 (month), +1.9.
    ("abe-plans", "2016-12-05", "Japanese Prime Minister Shinzo Abe will visit Moscow next month."),
    # Asserted: 040 RUSGOV->JPNGOV on 2016-12-03, +1.0.
    ("lavrov-kishida", "2016-12-03", "Russian Foreign Minister Sergey Lavrov met Japanese "
     "Foreign Minister Fumio Kishida in Moscow on Saturday."),
    # Asserted: 114 JPN->RUS on 2016-12-07, -2.0.
    ("protest", "2016-12-07", "Japan protested to Russia on Wednesday over the deployment of "
     "missiles on the islands."),
    # One visit, announced (future, 2016-12-15: the representative, being dated to the day) and
    # then reported (asserted, "in December"): one event, asserted, 042 RUSGOV->JPN, +1.9.
    ("putin-plans", "2016-12-03", "Russian President Vladimir Putin will visit Japan on Dec. 15."),
    ("putin-visited", "2016-12-20", "Russian President Vladimir Putin visited Japan in December."),
    # One past event reported twice (asserted, 2014, year, background): 163 JPN->RUS, -8.0.
    ("sanctions-since", "2016-12-08",
     "Japan has kept its sanctions on Russia in place since 2014."),
    ("sanctions-imposed", "2016-12-09", "Japan imposed its sanctions on Russia in 2014."),
]  # fmt: skip


def write_stories(path: Path) -> Path:
    lines = [
        {"id": sid, "title": sid, "source": "Test Wire", "published": day, "text": text}
        for sid, day, text in STORIES
    ]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def db(pipeline, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("counts")
    path = folder / "counts.duckdb"
    with Store(path) as store:
        summary = ingest(read_inputs([write_stories(folder / "stories.jsonl")]), store, pipeline)
    assert summary.coded == len(STORIES)
    return path


@pytest.fixture(scope="module")
def store(db: Path):
    with Store(db, read_only=True) as opened:
        yield opened


def codes_of(rows) -> list[tuple[str, str, str, str]]:
    return sorted((r["code"], r["source_code"], r["target_code"], r["modality"]) for r in rows)


def test_the_store_holds_what_the_stories_say(store: Store) -> None:
    # guards every total below: the coder read the stories as the comments in STORIES say
    assert codes_of(store.events(modality="all")) == [
        ("040", "RUSGOV", "JPNGOV", "asserted"),
        ("042", "JPNGOV", "RUSGOV", "future"),
        ("042", "RUSGOV", "JPN", "asserted"),
        ("057", "JPN", "RUS", "negated"),
        ("057", "RUS", "JPN", "negated"),
        ("085", "JPN", "RUS", "negated"),
        ("114", "JPN", "RUS", "asserted"),
        ("163", "JPN", "RUS", "asserted"),
        ("163", "JPN", "RUS", "negated"),
    ]
    visit = store.events(code="042", actor="RUSGOV", directed=False)
    assert [(r["date"], r["num_mentions"]) for r in visit] == [("2016-12-15", 2)]


def test_events_are_asserted_unless_asked(store: Store) -> None:
    assert store.events() == store.events(modality="asserted")
    assert len(store.events()) == 4
    assert len(store.events(modality="all")) == 9
    assert len(store.events(modality="negated")) == 4
    assert codes_of(store.events(modality=("future", "hypothetical"))) == [
        ("042", "JPNGOV", "RUSGOV", "future")
    ]
    assert len(store.events(modality="asserted,negated")) == 8
    with pytest.raises(QueryError, match="unknown modality"):
        store.events(modality="maybe")


def test_an_announced_event_that_happened_counts_as_asserted(store: Store) -> None:
    visits = EventQuery(code="042", dyad=("RUSGOV", "JPN"), directed=True)
    (visit,) = store.events(visits, modality="all")
    assert visit["modality"] == "asserted"  # its representative is the announcement
    (announcement,) = [
        m for m in store.events(code="042", mentions=True, modality="future") if m["date"]
        == "2016-12-15"
    ]  # fmt: skip
    assert announcement["sentence"] == visit["sentence"]
    assert store.events(visits, modality="future") == []


def test_monthly_timeline_counts_asserted_events_and_leaves_the_year_out(store: Store) -> None:
    timeline = dyad_timeline(store, "RUS", "JPN", "month")
    assert [(r.period, r.events, r.goldstein_sum, r.goldstein_mean) for r in timeline] == [
        ("2016-12", 3, 0.9, 0.3)  # 040 +1.0, 114 -2.0, 042 +1.9
    ]
    (december,) = timeline.rows
    assert (december.verbal_coop, december.verbal_conflict, december.net_cooperation) == (2, 1, 1)
    assert (december.a_to_b, december.b_to_a) == (2, 1)
    assert (timeline.left_out_coarse, timeline.left_out_undated) == (1, 0)  # the 2014 sanctions


def test_monthly_timeline_with_every_modality(store: Store) -> None:
    timeline = dyad_timeline(store, "RUS", "JPN", "month", modality="all")
    assert [(r.period, r.events, r.goldstein_sum) for r in timeline] == [
        ("2016-12", 7, 15.9),  # + two 057 (+8.0 each), 085 (+7.0), the negated 163 (-8.0)
        ("2017-01", 1, 1.9),  # Abe's planned visit
    ]
    assert timeline.left_out_coarse == 1


def test_coarse_events_are_included_or_spread_on_request(store: Store) -> None:
    included = dyad_timeline(store, "RUS", "JPN", "month", coarse="include")
    assert [(r.period, r.events, r.goldstein_sum) for r in included] == [
        ("2014-01", 1, -8.0),
        ("2016-12", 3, 0.9),
    ]
    assert included.left_out_coarse == 0
    spread = dyad_timeline(store, "RUS", "JPN", "month", coarse="spread")
    months = {r.period: r for r in spread}
    assert [p for p in months if p.startswith("2014")] == [f"2014-{m:02d}" for m in range(1, 13)]
    assert months["2014-01"].events == round(31 / 365, 4)
    assert months["2014-02"].events == round(28 / 365, 4)
    shares = [r.events for r in spread if r.period.startswith("2014")]
    assert sum(shares) == pytest.approx(1.0, abs=1e-3)  # twelve shares of 4 decimals
    assert months["2014-01"].goldstein_mean == -8.0
    assert months["2016-12"].events == 3
    yearly = dyad_timeline(store, "RUS", "JPN", "year")  # a year is precise enough for a year
    assert [(r.period, r.events) for r in yearly] == [("2014", 1), ("2016", 3)]
    assert yearly.left_out_coarse == 0
    without = dyad_timeline(store, "RUS", "JPN", "month", include_background=False)
    assert without.left_out_coarse == 0 and [r.events for r in without] == [3]


def test_networks_top_lists_and_swings_count_asserted_events(store: Store) -> None:
    edges = {(e.source, e.target): (e.events, e.goldstein_sum) for e in actor_network(store).edges}
    assert edges == {("RUS", "JPN"): (2, 2.9), ("JPN", "RUS"): (2, -10.0)}
    every = actor_network(store, modality="all")
    assert {(e.source, e.target): e.events for e in every.edges} == {
        ("RUS", "JPN"): 3,
        ("JPN", "RUS"): 6,
    }
    assert sorted((c.code, c.events) for c in top_codes(store, 10)) == [
        ("040", 1),
        ("042", 1),
        ("114", 1),
        ("163", 1),
    ]
    assert top_swings(store) == ()  # one month of asserted events: nothing to compare
    (swing,) = top_swings(store, modality="all")
    assert (swing.period, swing.previous_period, swing.change) == ("2017-01", "2016-12", -14.0)


def test_the_other_filters(store: Store) -> None:
    assert codes_of(store.events(quad_class="3,4")) == [
        ("114", "JPN", "RUS", "asserted"),
        ("163", "JPN", "RUS", "asserted"),
    ]
    assert codes_of(store.events(quad_class=1)) == codes_of(
        [r for r in store.events() if r["quad_class"] == 1]
    )
    assert [r["code"] for r in store.events(text="MISSILES")] == ["114"]
    assert len(store.events(country="JPN")) == 4
    assert codes_of(store.events(country="RUS", modality="negated", code="08")) == [
        ("085", "JPN", "RUS", "negated")
    ]
    assert store.events(country="XXX") == []
    with pytest.raises(QueryError, match="QuadClass"):
        store.events(quad_class=7)


def test_actors_can_be_named(store: Store, db: Path) -> None:
    assert store.events(actor="Russia") == store.events(actor="RUS")
    assert codes_of(store.events(actor="Lavrov")) == [  # Sergey Lavrov: RUSGOV, as Putin is
        ("040", "RUSGOV", "JPNGOV", "asserted"),
        ("042", "RUSGOV", "JPN", "asserted"),
    ]
    assert store.events(actor="lavrov, Kishida") == store.events(actor=("RUSGOV", "JPNGOV"))
    assert store.events(actor="rusgov") == store.events(actor="RUSGOV")
    with pytest.raises(QueryError, match="no stored actor is named 'Lavrof'"):
        store.events(actor="Lavrof")
    listed = invoke("events", "--db", str(db), "--actor", "Lavrov", "--format", "jsonl")
    assert sorted(json.loads(line)["code"] for line in listed.stdout.splitlines()) == ["040", "042"]
    assert [r.events for r in store.timeline("RUS", "JPN", actor="Putin")] == [2]


def test_min_confidence_filters_on_the_confidence_column(db: Path, tmp_path: Path) -> None:
    scored, unscored = tmp_path / "scored.duckdb", tmp_path / "unscored.duckdb"
    for copy in (scored, unscored):
        copy.write_bytes(db.read_bytes())
    con = duckdb.connect(str(scored))
    con.execute("ALTER TABLE events ADD COLUMN IF NOT EXISTS confidence DOUBLE")
    con.execute("UPDATE events SET confidence = CASE WHEN code = '114' THEN 0.2 ELSE 0.9 END")
    con.close()
    with Store(scored, read_only=True) as store:
        assert len(store.events(min_confidence=0.5)) == 3
        assert [r["code"] for r in store.events(min_confidence=0.1, code="11")] == ["114"]
        assert [r.events for r in store.timeline("RUS", "JPN", min_confidence=0.5)] == [2]
    con = duckdb.connect(str(unscored))  # a store coded before events had a confidence
    con.execute("ALTER TABLE events DROP COLUMN IF EXISTS confidence")
    con.close()
    with Store(unscored, read_only=True) as store:
        with pytest.raises(QueryError, match="carry no confidence"):
            store.events(min_confidence=0.5)
        assert len(store.events()) == 4


def test_two_reports_of_a_past_event_are_one_event(store: Store) -> None:
    (sanctions,) = store.events(code="163")
    assert (sanctions["date"], sanctions["num_mentions"], sanctions["background"]) == (
        "2014",
        2,
        True,
    )
    assert len(store.events(code="163", mentions=True)) == 2


def test_an_older_store_is_regrouped_when_opened(pipeline, tmp_path: Path, monkeypatch) -> None:
    """A store written while an open end ("since 2014", to the publication day) still widened
    a mention's days held the two reports apart, and did not keep whether an event has an
    asserted report; opening it for writing regroups and counts it again."""
    path = tmp_path / "old.duckdb"

    def widened(value: str, end: str | None):
        start, last = dedup.day_bounds(value)
        return start, max(dedup.day_bounds(end or value)[1], start)

    with monkeypatch.context() as patch:
        patch.setattr(dedup, "covered_days", widened)
        with Store(path) as store:
            stories = write_stories(tmp_path / "stories.jsonl")
            ingest(read_inputs([stories]), store, pipeline)
            assert len(store.events(code="163")) == 2  # the old grouping
            store.con.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
            store.con.execute("UPDATE events SET dedup_asserted = NULL")  # not kept before 3
            assert store.events(code="042", dyad=("RUSGOV", "JPN"), directed=True) == []
    with Store(path) as store:
        assert [r["num_mentions"] for r in store.events(code="163")] == [2]
        (visit,) = store.events(code="042", dyad=("RUSGOV", "JPN"), directed=True)
        assert visit["modality"] == "asserted"
        assert store.con.execute("SELECT value FROM meta").fetchall() == [("3",)]
        with Store(tmp_path / "fresh.duckdb") as fresh:
            ingest(read_inputs([stories]), fresh, pipeline)
            groups = (
                "SELECT list_sort(list(mention_id)) FROM event_group_mentions GROUP BY group_id"
            )
            assert sorted(store.con.execute(groups).fetchall()) == sorted(
                fresh.con.execute(groups).fetchall()
            )


# --- the command line and the web pages share the filter ----------------------------------


def invoke(*args: str):
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def test_timeline_command_counts_asserted_events_and_notes_what_it_left_out(db: Path) -> None:
    result = invoke("timeline", "--db", str(db), "RUS", "JPN", "--format", "json")
    assert [(r["period"], r["events"]) for r in json.loads(result.stdout)] == [("2016-12", 3)]
    assert "left out 1 event(s) dated less precisely than a month" in result.stderr
    every = invoke(
        "timeline", "--db", str(db), "RUS", "JPN", "--format", "json", "--modality", "all",
        "--coarse", "include",
    )  # fmt: skip
    assert [(r["period"], r["events"]) for r in json.loads(every.stdout)] == [
        ("2014-01", 1),
        ("2016-12", 7),
        ("2017-01", 1),
    ]
    assert every.stderr == ""
    negated = invoke(
        "timeline", "--db", str(db), "RUS", "JPN", "--format", "json",
        "--modality", "negated", "--modality", "future",
    )  # fmt: skip
    assert [(r["period"], r["events"]) for r in json.loads(negated.stdout)] == [
        ("2016-12", 4),
        ("2017-01", 1),
    ]


def test_every_command_takes_the_same_filter(db: Path, store: Store) -> None:
    common = ["--modality", "asserted,negated", "--quad-class", "1", "--country", "JPN"]
    expected = sorted(r["id"] for r in store.events(
        modality="asserted,negated", quad_class=1, country="JPN"
    ))  # fmt: skip
    assert len(expected) == 4
    listed = invoke("events", "--db", str(db), *common, "--format", "jsonl")
    assert sorted(json.loads(line)["id"] for line in listed.stdout.splitlines()) == expected
    exported = invoke("export", "--db", str(db), "--format", "jsonl", *common)
    assert sorted(json.loads(line)["id"] for line in exported.stdout.splitlines()) == expected
    top = invoke("top", "--db", str(db), "codes", "--format", "json", *common)
    assert sum(c["events"] for c in json.loads(top.stdout)) == 4
    network = invoke("network", "--db", str(db), "--format", "json", *common)
    assert sum(e["events"] for e in json.loads(network.stdout)["edges"]) == 4
    bad = CliRunner().invoke(cli, ["events", "--db", str(db), "--modality", "maybe"])
    assert bad.exit_code == 2 and "unknown modality maybe" in bad.output


def test_the_web_pages_count_what_the_library_counts(db: Path, store: Store) -> None:
    app = create_app(db)
    try:
        client = LocalClient(app)
        overview = client.get("/api/overview").json()
        listed = client.get("/api/events", params={"limit": 200}).json()
        every = client.get("/api/events", params={"limit": 200, "modality": "all"}).json()
        negated = client.get("/api/events", params={"modality": "negated"}).json()
        dyad = client.get("/api/dyad/RUS/JPN").json()
    finally:
        app.state.store.close()
    assert overview["events"] == listed["total"] == len(store.events()) == 4
    assert every["total"] == 9 and negated["total"] == 4
    assert sorted(e["id"] for e in listed["events"]) == sorted(r["id"] for r in store.events())
    timeline = dyad_timeline(store, "RUS", "JPN", include_background=False)
    assert (
        [(p["period"], p["events"], p["goldstein_sum"]) for p in dyad["timeline"]]
        == [(r.period, r.events, r.goldstein_sum) for r in timeline]
        == [("2016-12", 3, 0.9)]
    )
    (month,) = overview["months"]
    assert (month["period"], month["events"]) == ("2016-12", 3)
    assert {(d["a"], d["b"]): d["events"] for d in overview["top_dyads"]} == {("JPN", "RUS"): 4}


def test_an_event_query_normalises_its_values() -> None:
    query = EventQuery(modality="negated, asserted", quad_class=["4", 3], country="rus,jpn")
    assert query.modality == ("asserted", "negated")
    assert query.quad_class == (3, 4)
    assert query.country == ("RUS", "JPN")
    assert EventQuery(modality="all").modality == ("asserted", "negated", "future", "hypothetical")
    assert EventQuery().modality == ("asserted",)
    with pytest.raises(QueryError, match="between 0 and 1"):
        EventQuery(min_confidence=2)
