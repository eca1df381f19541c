"""One event, many reports: mentions grouped into events across articles, exact copies counted
and not recoded, idempotent re-ingest. The stories are our own."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import random
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from newsevents import EventQuery, Store, ingest, read_inputs
from newsevents.cli.main import cli
from newsevents.model import Actor, Article, CodedArticle, Event, EventDate, Span
from newsevents.store.dedup import ArticleCopy, Mention, group_id, group_mentions, mention_of

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


def synthetic_article(
    number: int, rng: random.Random, version: int = 0, days: int = 40
) -> CodedArticle:
    """A story with three events over four keys, dated by day, by month, by year or not at all,
    within ``days`` days from 1 May 2016."""
    article_id = f"s{number:04d}"
    events = []
    for index in range(3):
        key_source = rng.choice(("RUSGOV", "JPNGOV"))
        code = rng.choice(("040", "043", "111"))
        kind = rng.random()
        day = dt.date(2016, 5, 1) + dt.timedelta(days=rng.randrange(days))
        if kind < 0.7:
            date = EventDate(day.isoformat(), "day", None, "Friday", "expression")
        elif kind < 0.85:
            date = EventDate(day.isoformat()[:7], "month", None, "May", "expression")
        elif kind < 0.95:
            date = EventDate(str(day.year), "year", None, str(day.year), "expression")
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
    outlet = f"Wire {number % 4}" if number % 5 else None  # some articles name no outlet
    article = Article(article_id, f"Story {number} v{version}", "T", outlet, dt.date(2016, 6, 30))
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
        assert stored_counts(store) == expected_counts(articles.values())
        for n in rng.sample(order, 25):  # rewrite some stories with other dates and keys
            articles[n] = synthetic_article(n, rng, version=1)
            store.write([articles[n]])
        assert stored_groups(store) == expected_groups(articles.values())
        assert stored_counts(store) == expected_counts(articles.values())
        copies = [copy_of(articles[n], f"c{n}", f"Copy Desk {n % 2}") for n in order[:9]]
        assert store.write_copies(copies) == 9
        assert store.write_copies(copies) == 0  # recorded once
        assert stored_counts(store) == expected_counts(articles.values(), copies)


@pytest.mark.parametrize("seed", [4, 5])
def test_regrouping_over_two_years_in_small_batches(tmp_path: Path, seed: int) -> None:
    """Sparser keys over a longer period: several stretches per key are searched at once, and
    runs longer than the first reach widen it."""
    rng = random.Random(seed)
    articles = {n: synthetic_article(n, rng, days=700 if n % 3 else 60) for n in range(240)}
    order = list(articles)
    rng.shuffle(order)
    with Store(tmp_path / "long.duckdb") as store:
        for start in range(0, len(order), 5):
            store.write([articles[n] for n in order[start : start + 5]])
        for n in rng.sample(order, 30):
            articles[n] = synthetic_article(n, rng, version=1, days=700)
            store.write([articles[n]])
        assert stored_groups(store) == expected_groups(articles.values())
        assert stored_counts(store) == expected_counts(articles.values())


def test_an_early_report_regroups_a_long_run_of_daily_reports(tmp_path: Path) -> None:
    """One report a day for 120 days chains into two-day events; a report the day before the
    first shifts every event of the run, far beyond the first stretch searched."""
    start = dt.date(2016, 3, 1)
    daily = [
        report(n, f"Outlet {n % 3}", day_event(n, day=(start + dt.timedelta(n)).isoformat()))
        for n in range(1, 121)
    ]
    early = report(0, "Outlet 9", day_event(0, day=start.isoformat()))
    with Store(tmp_path / "run.duckdb") as store:
        for first in range(0, len(daily), 10):
            store.write(daily[first : first + 10])
        assert len(counts_of(store)) == 60  # days 1+2, 3+4, ...
        store.write([early])
        assert stored_groups(store) == expected_groups([*daily, early])
        assert stored_counts(store) == expected_counts([*daily, early])
        assert len(counts_of(store)) == 61  # days 0+1, 2+3, ..., 120 alone
        store.write([report(0, "Outlet 9")])  # the early report withdrawn: back as before
        assert stored_groups(store) == expected_groups(daily)
        assert stored_counts(store) == expected_counts(daily)


# --- the counts kept on each event's representative row ---------------------------------------


def copy_of(coded: CodedArticle, copy_id: str, source: str | None) -> ArticleCopy:
    return ArticleCopy(copy_id, coded.article.id, f"hash {copy_id}", None, source)


Counts = dict[str, tuple[str, int, int, int, list[str]]]


def stored_counts(store: Store) -> Counts:
    """event group -> (representative, num_mentions, num_sources, num_articles, mention_ids)."""
    rows = store.con.execute(
        "SELECT event_group, id, num_mentions, num_sources, num_articles, mention_ids "
        "FROM deduplicated_events"
    ).fetchall()
    counts = {row[0]: (row[1], *row[2:5], list(row[5])) for row in rows}
    assert len(counts) == len(rows)  # one row per event
    return counts


def expected_counts(articles, copies: list[ArticleCopy] = ()) -> Counts:  # type: ignore[assignment]
    """The counts by their definition (docs/context.md), computed here from the records: every
    report is the mention's article or a copy of it; a report without an outlet is its own."""
    by_event = {e.id: a for a in articles for e in a.events}
    reports: dict[str, list[tuple[str, str | None]]] = {
        a.article.id: [(a.article.id, a.article.source)] for a in by_event.values()
    }
    for c in copies:
        reports[c.copy_of].append((c.id, c.source))
    expected: Counts = {}
    for group in group_mentions(mention_of(e) for a in articles for e in a.events):
        seen = [r for m in group.mentions for r in reports[by_event[m].article.id]]
        sources = {(source or "").lower() or report for report, source in seen}
        expected[group.id] = (
            group.representative,
            len(seen),
            len(sources),
            len({report for report, _ in seen}),
            sorted(group.mentions),
        )
    return expected


def day_event(number: int, source_code: str = "RUSGOV", day: str = "2016-12-03") -> Event:
    source = Actor(source_code, source_code, source_code, source_code[:3], "GOV", Span(0, 1, "x"))
    target = Actor("Japan", "Japan", "JPNGOV", "JPN", "GOV", Span(2, 3, "y"))
    date = EventDate(day, "day", None, "Saturday", "expression")
    return Event(
        f"e{number:04d}", f"r{number:04d}", "040", "Consult", "04", 1, 1, 1.0, None, None,
        source, target, date, "asserted", True, None, 0, "A sentence.", Span(0, 1, "x"), "test",
    )  # fmt: skip


def report(number: int, outlet: str | None, *events: Event) -> CodedArticle:
    article = Article(f"r{number:04d}", f"Report {number}", "T", outlet, dt.date(2016, 12, 3))
    return CodedArticle(article, events, (), {"sentences": 1})


def counts_of(store: Store) -> list[tuple[str, int, int, int, list[str]]]:
    return sorted(
        (r[0], r[1], r[2], r[3], list(r[4]))
        for r in store.con.execute(
            "SELECT id, num_mentions, num_sources, num_articles, mention_ids "
            "FROM deduplicated_events"
        ).fetchall()
    )


def test_counts_follow_each_write_of_a_real_store(tmp_path: Path) -> None:
    with Store(tmp_path / "counts.duckdb") as store:
        store.write([report(1, "Northern Post", day_event(1))])
        assert counts_of(store) == [("e0001", 1, 1, 1, ["e0001"])]
        # a second report of the same event, by another outlet, a day later, in another batch
        store.write([report(2, "Harbour Daily", day_event(2, day="2016-12-04"))])
        assert counts_of(store) == [("e0001", 2, 2, 2, ["e0001", "e0002"])]
        store.write([report(2, "Harbour Daily", day_event(2, day="2016-12-04"))])  # again
        assert counts_of(store) == [("e0001", 2, 2, 2, ["e0001", "e0002"])]
        # the same outlet under another spelling is one source
        store.write([report(3, "NORTHERN POST", day_event(3))])
        assert counts_of(store) == [("e0001", 3, 2, 3, ["e0001", "e0002", "e0003"])]
        assert store.write_copies([ArticleCopy("x9", "r0002", "h", None, "Syndicate")]) == 1
        assert counts_of(store) == [("e0001", 4, 3, 4, ["e0001", "e0002", "e0003"])]
        # replacing a report by one without the event takes it (and its copy) out again
        store.write([report(2, "Harbour Daily")])
        assert counts_of(store) == [("e0001", 2, 1, 2, ["e0001", "e0003"])]
        # replacing the representative's article moves the counts to the next report
        store.write([report(1, "Northern Post", day_event(1, source_code="CHNGOV"))])
        assert counts_of(store) == [("e0001", 1, 1, 1, ["e0001"]), ("e0003", 1, 1, 1, ["e0003"])]
        rows = store.con.execute(
            "SELECT count(*), count(dedup_group), count(dedup_mentions) FROM events"
        ).fetchone()
        assert rows == (2, 2, 2)
        plain = store.con.execute("SELECT * FROM events LIMIT 0").description
        assert not {"event_group", "num_mentions"} & {d[0] for d in plain}


def test_a_version_1_store_is_counted_when_opened(store_file, tmp_path: Path) -> None:
    path, _ = store_file
    old = tmp_path / "v1.duckdb"
    old.write_bytes(path.read_bytes())
    with Store(old, read_only=True) as store:
        expected = store.events()
    con = duckdb.connect(str(old))
    con.execute(
        "UPDATE events SET dedup_group = NULL, dedup_mentions = NULL, dedup_sources = NULL, "
        "dedup_articles = NULL, dedup_mention_ids = NULL"
    )
    con.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    con.close()
    with Store(old) as store:
        assert store.events() == expected
        assert store.con.execute("SELECT value FROM meta").fetchall() == [("3",)]
    assert [(r["num_mentions"], r["num_sources"]) for r in expected if r["num_mentions"] > 1] == [
        (4, 4)
    ]


def dated_event(number: int, value: str, precision: str, end: str | None = None) -> Event:
    event = day_event(number)
    return dataclasses.replace(event, date=EventDate(value, precision, end, value, "expression"))


def test_reports_joining_stored_events_batch_by_batch_equal_grouping_everything(
    tmp_path: Path,
) -> None:
    """Each write adds one report: most join a stored event without reading its run again (the
    common case); some open or widen an event and regroup the run. After every write the
    groups, representatives and counts are those of grouping everything at once."""
    reports = [
        report(1, "Northern Post", dated_event(1, "2016-12-03", "day", "2016-12-05")),
        # joins, and as the more precise date becomes the representative
        report(2, "Harbour Daily", dated_event(2, "2016-12-04", "day")),
        report(3, "Hill Times", dated_event(3, "2016-12-06", "day")),  # widens the event
        report(4, "Valley News", dated_event(4, "2016-12-02", "day")),  # opens an earlier one
        report(5, "Coast Wire", dated_event(5, "2016-12", "month")),  # overlaps two: its own
        report(6, "Coast Wire", dated_event(6, "2015", "year")),  # overlaps none
        report(7, "Plain Gazette", dated_event(7, "2015", "year")),  # joins the year's event
        report(8, "Plain Gazette", dated_event(8, "2016-12-05", "day")),  # joins
        report(9, "Northern Post", dated_event(9, "2017-01", "month")),  # overlaps none
    ]
    with Store(tmp_path / "joins.duckdb") as store:
        for written in range(1, len(reports) + 1):
            store.write([reports[written - 1]])
            assert stored_groups(store) == expected_groups(reports[:written])
            assert stored_counts(store) == expected_counts(reports[:written])
        assert sorted((rep, members) for _, members, rep in stored_groups(store)) == [
            ("e0002", ("e0002", "e0008")),  # a day from 4 December: 5 December, not 6
            ("e0003", ("e0003",)),
            ("e0004", ("e0001", "e0004")),  # 3-5 December starts a day after the 2nd
            ("e0005", ("e0005",)),  # December covers three events: its own
            ("e0006", ("e0006", "e0007")),
            ("e0009", ("e0009",)),
        ]


@pytest.mark.parametrize(("seed", "batch", "days"), [(6, 1, 5), (7, 3, 20), (8, 2, 400)])
def test_small_batches_of_random_reports_equal_grouping_everything(
    tmp_path: Path, seed: int, batch: int, days: int
) -> None:
    """Small batches put most reports through the path that places them against the stored
    events (joining one, opening one, widening one) rather than regrouping the run."""
    rng = random.Random(seed)
    articles = {n: synthetic_article(n, rng, days=days) for n in range(60)}
    order = list(articles)
    rng.shuffle(order)
    with Store(tmp_path / "small.duckdb") as store:
        for start in range(0, len(order), batch):
            store.write([articles[n] for n in order[start : start + batch]])
            if start % 10 == 0:
                written = [articles[n] for n in order[: start + batch]]
                assert stored_groups(store) == expected_groups(written)
        assert stored_groups(store) == expected_groups(articles.values())
        assert stored_counts(store) == expected_counts(articles.values())


def test_a_later_report_that_sorts_first_takes_the_event_over(tmp_path: Path) -> None:
    """Of reports of the same day, the lowest id opens the event and names it: one arriving
    later with a lower id takes over the stored event, with every member and the counts."""
    reports = [
        report(5, "Northern Post", dated_event(5, "2016-12-04", "day")),
        report(6, "Harbour Daily", dated_event(6, "2016-12-05", "day")),
        report(3, "Hill Times", dated_event(3, "2016-12-04", "day")),  # sorts before 5
        report(7, "Valley News", dated_event(7, "2016-12-08", "day")),  # another event
        report(2, "Coast Wire", dated_event(2, "2016-12-03", "day", "2016-12-05")),  # first again
    ]
    with Store(tmp_path / "takeover.duckdb") as store:
        for written in range(1, len(reports) + 1):
            store.write([reports[written - 1]])
            assert stored_groups(store) == expected_groups(reports[:written])
            assert stored_counts(store) == expected_counts(reports[:written])
        key = "RUSGOV|JPNGOV|04|"
        assert [(gid, members) for gid, members, _ in stored_groups(store)] == sorted(
            [
                (group_id(key, "e0002"), ("e0002", "e0003", "e0005", "e0006")),
                (group_id(key, "e0007"), ("e0007",)),
            ]
        )
