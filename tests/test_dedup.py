"""One event, many reports: mentions grouped into events across articles, exact copies counted
and not recoded, idempotent re-ingest. The stories are our own."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from newsevents import EventQuery, Store, ingest, read_inputs
from newsevents.cli import cli
from newsevents.dedup import Mention, group_mentions, mention_of
from newsevents.model import Actor, Article, CodedArticle, Event, EventDate, Span

STORIES = [
    {
        "id": "north-1",
        "source": "Northern Post",
        "url": "https://north.example/lavrov-kishida",
        "published": "2016-12-03",
        "title": "Lavrov meets Kishida",
        "text": "Russian Foreign Minister Sergey Lavrov met Japanese Foreign Minister Fumio "
        "Kishida in Moscow on Saturday to prepare for a summit between their leaders.",
    },
    {
        "id": "harbour-7",
        "source": "Harbour Daily",
        "url": "https://harbour.example/7",
        "published": "2016-12-03",
        "title": "Kishida in Moscow",
        "text": "Sergey Lavrov, Russia's foreign minister, held talks with his Japanese "
        "counterpart Fumio Kishida in Moscow on Saturday, the ministry said.",
    },
    {
        "id": "eastern-22",
        "source": "Eastern Wire",
        "url": "https://eastern.example/22",
        "published": "2016-12-04",
        "title": "Kishida received in Moscow",
        "text": "Japan's foreign minister Fumio Kishida was received by Russian Foreign Minister "
        "Sergey Lavrov in Moscow yesterday, officials said.",
    },
    {
        "id": "north-0",
        "source": "Northern Post",
        "url": "https://north.example/april",
        "published": "2016-12-03",
        "title": "An earlier meeting",
        "text": "Russian Foreign Minister Sergey Lavrov first met Japanese Foreign Minister Fumio "
        "Kishida in Tokyo in April.",
    },
]
COPY = {
    **STORIES[0],
    "id": "syndicate-99",
    "source": "Syndicate Times",
    "url": "https://syndicate.example/99",
}
DYAD = EventQuery(dyad=("RUSGOV", "JPNGOV"), directed=True, code="04")


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def stories(tmp_path_factory) -> Path:
    return write_jsonl(tmp_path_factory.mktemp("dedup") / "stories.jsonl", [*STORIES, COPY])


@pytest.fixture(scope="module")
def store_file(pipeline, stories: Path, tmp_path_factory):
    path = tmp_path_factory.mktemp("dedup-db") / "events.duckdb"
    with Store(path) as store:
        summary = ingest(read_inputs([stories], debris=pipeline.debris), store, pipeline)
    return path, summary


def tables(path: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        names = (
            "articles",
            "events",
            "quotes",
            "event_groups",
            "event_group_mentions",
            "mention_keys",
        )
        result = {t: sorted(con.execute(f"SELECT * FROM {t}").fetchall(), key=str) for t in names}
        result["article_copies"] = sorted(
            con.execute("SELECT * EXCLUDE (recorded_at) FROM article_copies").fetchall(), key=str
        )
        return result
    finally:
        con.close()


def test_three_reports_are_one_event_and_another_date_is_another(store_file) -> None:
    path, _ = store_file
    with Store(path, read_only=True) as store:
        rows = store.events(DYAD)
    assert [(r["date"], r["num_mentions"], r["num_articles"], r["num_sources"]) for r in rows] == [
        ("2016-04", 1, 1, 1),
        ("2016-12-03", 4, 4, 4),  # three wordings and one exact copy, four outlets
    ]
    saturday = rows[1]
    assert len(saturday["mention_ids"]) == 3  # the copy adds a report, not a mention row
    assert (saturday["source_code"], saturday["target_code"]) == ("RUSGOV", "JPNGOV")


def test_mentions_keep_their_sentences(store_file) -> None:
    path, _ = store_file
    with Store(path, read_only=True) as store:
        mentions = store.events(EventQuery(**{**DYAD.__dict__, "mentions": True}))
        (saturday,) = [r for r in store.events(DYAD) if r["date"] == "2016-12-03"]
    by_article = {m["article_id"]: m for m in mentions}
    assert set(by_article) == {"north-1", "harbour-7", "eastern-22", "north-0"}
    assert {m["code"] for m in mentions} == {"040", "043"}  # one family: consult
    assert by_article["eastern-22"]["date_text"] == "yesterday"
    assert by_article["eastern-22"]["sentence"].startswith("Japan's foreign minister")
    same = {m["event_group"] for a, m in by_article.items() if a != "north-0"}
    assert same == {saturday["event_group"]}
    assert by_article["north-0"]["event_group"] != saturday["event_group"]
    assert sorted(saturday["mention_ids"]) == sorted(
        m["id"] for a, m in by_article.items() if a != "north-0"
    )


def test_the_exact_copy_is_counted_not_coded(store_file) -> None:
    path, summary = store_file
    assert (summary.read, summary.coded, summary.copies, summary.skipped) == (5, 4, 1, 0)
    with Store(path, read_only=True) as store:
        copies = store.con.execute(
            "SELECT id, copy_of, source, url, published FROM article_copies"
        ).fetchall()
        assert store.stored_ids(["syndicate-99"]) == set()
    assert copies == [
        (
            "syndicate-99",
            "north-1",
            "Syndicate Times",
            "https://syndicate.example/99",
            dt.date(2016, 12, 3),
        )
    ]


def test_reingest_changes_nothing(pipeline, store_file, stories: Path, tmp_path: Path) -> None:
    path, _ = store_file
    copy = tmp_path / "again.duckdb"
    copy.write_bytes(path.read_bytes())
    before = tables(copy)
    with Store(copy) as store:
        summary = ingest(read_inputs([stories], debris=pipeline.debris), store, pipeline)
    assert (summary.coded, summary.copies, summary.skipped, summary.events) == (0, 0, 5, 0)
    assert tables(copy) == before


def test_recoding_gives_the_same_groups(
    pipeline, store_file, stories: Path, tmp_path: Path
) -> None:
    path, _ = store_file
    copy = tmp_path / "recode.duckdb"
    copy.write_bytes(path.read_bytes())
    before = tables(copy)
    with Store(copy) as store:
        ingest(read_inputs([stories], debris=pipeline.debris), store, pipeline, recode=True)
    after = tables(copy)
    for table in ("events", "event_groups", "event_group_mentions", "article_copies"):
        assert after[table] == before[table], table


def test_arrival_order_does_not_change_the_events(pipeline, store_file, tmp_path: Path) -> None:
    path, _ = store_file
    reversed_input = write_jsonl(tmp_path / "reversed.jsonl", [COPY, *reversed(STORIES)])
    other = tmp_path / "reversed.duckdb"
    with Store(other) as store:
        summary = ingest(
            read_inputs([reversed_input], debris=pipeline.debris), store, pipeline, batch_size=2
        )
        got = store.events(DYAD)
    with Store(path, read_only=True) as store:
        expected = store.events(DYAD)
    assert summary.copies == 1  # now north-1 is the copy of syndicate-99, across batches
    shape = [(r["date"], r["num_mentions"], r["num_articles"], r["num_sources"]) for r in got]
    assert shape == [
        (r["date"], r["num_mentions"], r["num_articles"], r["num_sources"]) for r in expected
    ]


def test_a_store_written_before_grouping_is_grouped_when_opened(store_file, tmp_path: Path) -> None:
    path, _ = store_file
    old = tmp_path / "old.duckdb"
    old.write_bytes(path.read_bytes())
    expected = tables(old)
    con = duckdb.connect(str(old))
    con.execute("DELETE FROM event_group_mentions")
    con.execute("DELETE FROM event_groups")
    con.execute("DELETE FROM mention_keys")
    con.execute("UPDATE events SET group_key = NULL")
    con.close()
    with Store(old):
        pass
    assert tables(old) == expected


def test_events_command_mentions_flag(store_file) -> None:
    path, _ = store_file
    runner = CliRunner()
    args = ["events", "--db", str(path), "--dyad", "RUSGOV", "JPNGOV", "--directed", "--code", "04"]
    events = runner.invoke(cli, [*args, "--format", "jsonl"])
    mentions = runner.invoke(cli, [*args, "--mentions", "--format", "jsonl"])
    assert events.exit_code == 0 and mentions.exit_code == 0, events.output + mentions.output
    assert len(events.output.splitlines()) == 2
    assert len(mentions.output.splitlines()) == 4
    assert json.loads(events.output.splitlines()[1])["num_mentions"] == 4


# --- the grouping rule itself -------------------------------------------------------------------


def mention(
    id_: str,
    start: str | None,
    last: str | None = None,
    precision: str = "day",
    key: str = "k",
    background: bool = False,
) -> Mention:
    begin = dt.date.fromisoformat(start) if start else None
    end = dt.date.fromisoformat(last) if last else begin
    return Mention(id_, key, begin, end, precision, background)


def members(groups) -> list[tuple[str, ...]]:
    return sorted(tuple(sorted(g.mentions)) for g in groups)


def test_dates_within_a_day_chain_and_further_ones_do_not() -> None:
    groups = group_mentions(
        [mention("a", "2016-12-03"), mention("b", "2016-12-04"), mention("c", "2016-12-07")]
    )
    assert members(groups) == [("a", "b"), ("c",)]


def test_a_month_joins_the_one_event_it_covers() -> None:
    groups = group_mentions(
        [mention("a", "2016-05-06"), mention("m", "2016-05-01", "2016-05-31", "month")]
    )
    assert members(groups) == [("a", "m")]
    assert groups[0].representative == "a"  # the day is more precise than the month


def test_a_month_covering_two_events_stays_apart() -> None:
    groups = group_mentions(
        [
            mention("a", "2016-05-06"),
            mention("b", "2016-05-20"),
            mention("m", "2016-05-01", "2016-05-31", "month"),
        ]
    )
    assert members(groups) == [("a",), ("b",), ("m",)]


def test_different_keys_never_merge() -> None:
    groups = group_mentions(
        [
            mention("a", "2016-12-03", key="RUS|JPN|04|"),
            mention("b", "2016-12-03", key="JPN|RUS|04|"),
        ]
    )
    assert members(groups) == [("a",), ("b",)]


def test_undated_standing_states_are_one_event_other_undated_mentions_are_not() -> None:
    groups = group_mentions(
        [
            mention("s1", None, background=True),
            mention("s2", None, background=True),
            mention("n1", None),
            mention("n2", None),
        ]
    )
    assert members(groups) == [("n1",), ("n2",), ("s1", "s2")]


def test_group_ids_do_not_depend_on_input_order() -> None:
    items = [mention("a", "2016-12-03"), mention("b", "2016-12-04"), mention("c", "2016-09-01")]
    assert group_mentions(items) == group_mentions(list(reversed(items)))


# --- regrouping around each write gives what grouping everything gives -------------------------


def synthetic_article(number: int, rng: random.Random, version: int = 0) -> CodedArticle:
    """A story with three events over two keys, dated by day, by month, by year or not at all."""
    article_id = f"s{number:04d}"
    events = []
    for index in range(3):
        key_source = rng.choice(("RUSGOV", "JPNGOV"))
        code = rng.choice(("040", "043", "111"))
        kind = rng.random()
        day = dt.date(2016, 5, 1) + dt.timedelta(days=rng.randrange(40))
        if kind < 0.7:
            date = EventDate(day.isoformat(), "day", None, "Friday", "expression")
        elif kind < 0.85:
            date = EventDate(day.isoformat()[:7], "month", None, "May", "expression")
        elif kind < 0.95:
            date = EventDate("2016", "year", None, "2016", "expression")
        else:
            date = None
        source = Actor(key_source, key_source, key_source, key_source[:3], "GOV", Span(0, 1, "x"))
        target = Actor("Japan", "Japan", "JPN", "JPN", None, Span(2, 3, "y"))
        events.append(
            Event(
                f"e{number:04d}{index}v{version}", article_id, code, code, code[:2], 1, 1, 1.0,
                None, None, source, target, date, "asserted", index == 0, None, index,
                "A sentence.", Span(0, 1, "x"), "test", background=date is None and index == 2,
            )
        )  # fmt: skip
    article = Article(article_id, f"Story {number} v{version}", "T", "Wire", dt.date(2016, 6, 30))
    return CodedArticle(article, tuple(events), (), {"sentences": 3})


def stored_groups(store: Store) -> list[tuple[str, tuple[str, ...], str]]:
    rows = store.con.execute(
        "SELECT g.id, list(m.mention_id ORDER BY m.mention_id), g.representative "
        "FROM event_groups g JOIN event_group_mentions m ON m.group_id = g.id GROUP BY g.id, "
        "g.representative"
    ).fetchall()
    return sorted((gid, tuple(members), rep) for gid, members, rep in rows)


def expected_groups(articles) -> list[tuple[str, tuple[str, ...], str]]:
    mentions = [mention_of(e) for a in articles for e in a.events]
    return sorted(
        (g.id, tuple(sorted(g.mentions)), g.representative) for g in group_mentions(mentions)
    )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_regrouping_in_batches_equals_grouping_everything(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    articles = {n: synthetic_article(n, rng) for n in range(120)}
    order = list(articles)
    rng.shuffle(order)
    with Store(tmp_path / "groups.duckdb") as store:
        for start in range(0, len(order), 7):
            store.write([articles[n] for n in order[start : start + 7]])
        assert stored_groups(store) == expected_groups(articles.values())
        for n in rng.sample(order, 25):  # rewrite some stories with other dates and keys
            articles[n] = synthetic_article(n, rng, version=1)
            store.write([articles[n]])
        assert stored_groups(store) == expected_groups(articles.values())
