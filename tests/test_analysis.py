"""Dyad timelines, actor networks and top lists, against a store of the example corpus.

Every expected number is computed here in plain Python from the rows ``Store.events`` returns,
never with the SQL under test.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import networkx
import pytest
from click.testing import CliRunner

from newsevents import QueryError, Store
from newsevents.analysis.aggregates import (
    ROOTS,
    actor_network,
    dyad_timeline,
    make_query,
    plot_network,
    plot_timeline,
    top_actors,
    top_codes,
    top_swings,
)
from newsevents.cli.main import cli

Row = dict[str, Any]


@pytest.fixture(scope="module")
def store(corpus_db: Path):
    with Store(corpus_db, read_only=True) as opened:
        yield opened


@pytest.fixture(scope="module")
def rows(store: Store) -> list[Row]:
    return store.events()


# --- independent computations -------------------------------------------------------------


def matches(row: Row, side: str, actor: str) -> bool:
    return row[f"{side}_country"] == actor or (row[f"{side}_code"] or "").startswith(actor)


def dyad(rows: list[Row], a: str, b: str, background: bool = True) -> list[Row]:
    return [
        r
        for r in rows
        if ((matches(r, "source", a) and matches(r, "target", b))
            or (matches(r, "source", b) and matches(r, "target", a)))
        and (background or not r["background"])
    ]  # fmt: skip


def month(row: Row) -> str:
    return f"{row['date_start']:%Y-%m}"


PRECISION = {"day": 0, "month": 1, "year": 2}
FINEST = {"day": 0, "week": 0, "month": 1, "year": 2}


def counted(row: Row, by: str = "month") -> bool:
    """Whether a period series counts the event by default: it has a date at least as
    precise as the period (a year-dated event is not counted in January)."""
    return row["date_start"] is not None and PRECISION[row["date_precision"]] <= FINEST[by]


def expected_timeline(
    rows: list[Row], period=month, by: str = "month"
) -> dict[str, dict[str, Any]]:
    groups: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        if counted(row, by):
            groups[period(row)].append(row)
    out = {}
    for key, members in groups.items():
        quads = Counter(r["quad_class"] for r in members)
        total = sum(r["goldstein"] for r in members)
        out[key] = {
            "events": len(members),
            "verbal_coop": quads[1],
            "material_coop": quads[2],
            "verbal_conflict": quads[3],
            "material_conflict": quads[4],
            "goldstein_sum": round(total, 2),
            "goldstein_mean": round(total / len(members), 3),
            "net_cooperation": quads[1] + quads[2] - quads[3] - quads[4],
            "roots": tuple(sum(r["root_code"] == root for r in members) for root in ROOTS),
        }
    return out


def country_key(row: Row, side: str) -> str | None:
    code, country, role = row[f"{side}_code"], row[f"{side}_country"], row[f"{side}_role"]
    if country:
        return country
    if code and not (role and code.startswith(role)):
        return code[:3]
    return None


def observed(timeline) -> dict[str, dict[str, Any]]:
    keys = (
        "events",
        "verbal_coop",
        "material_coop",
        "verbal_conflict",
        "material_conflict",
        "goldstein_sum",
        "goldstein_mean",
        "net_cooperation",
        "roots",
    )
    return {r.period: {k: getattr(r, k) for k in keys} for r in timeline}


# --- dyad timeline ------------------------------------------------------------------------


def test_the_corpus_has_a_russia_japan_story(rows: list[Row]) -> None:
    # guards the tests below against passing on an empty dyad
    pairs = dyad(rows, "RUS", "JPN")
    assert len(pairs) >= 15
    assert len({month(r) for r in pairs if r["date_start"]}) >= 4


def test_monthly_timeline_counts_and_goldstein(store: Store, rows: list[Row]) -> None:
    timeline = dyad_timeline(store, "RUS", "JPN", "month")
    assert observed(timeline) == expected_timeline(dyad(rows, "RUS", "JPN"))
    assert [r.period for r in timeline] == sorted(r.period for r in timeline)
    assert all(r.start == dt.date.fromisoformat(r.period + "-01") for r in timeline)


def test_background_events_can_be_left_out(store: Store, rows: list[Row]) -> None:
    with_bg = dyad(rows, "RUS", "JPN")
    without = dyad(rows, "RUS", "JPN", background=False)
    assert len(without) < len(with_bg)  # the corpus mentions Japan's 2014 sanctions
    timeline = dyad_timeline(store, "RUS", "JPN", include_background=False)
    assert observed(timeline) == expected_timeline(without)


def test_directed_timeline_and_direction_counts(store: Store, rows: list[Row]) -> None:
    one_way = [r for r in rows if matches(r, "source", "JPN") and matches(r, "target", "RUS")]
    directed = dyad_timeline(store, "JPN", "RUS", directed=True)
    assert observed(directed) == expected_timeline(one_way)
    both = dyad_timeline(store, "JPN", "RUS")
    assert sum(r.a_to_b for r in both) == sum(1 for r in one_way if counted(r))
    back = [r for r in rows if matches(r, "source", "RUS") and matches(r, "target", "JPN")]
    assert sum(r.b_to_a for r in both) == sum(1 for r in back if counted(r))


def test_full_codes_and_filters(store: Store, rows: list[Row]) -> None:
    pairs = [
        r
        for r in dyad(rows, "RUSGOV", "JPNGOV")
        if r["date_start"] and r["date_start"] >= dt.date(2016, 12, 1)
    ]
    timeline = dyad_timeline(store, "RUSGOV", "JPNGOV", since="2016-12-01")
    assert observed(timeline) == expected_timeline(pairs)
    assert sum(r.events for r in timeline) == len(pairs) > 0


@pytest.mark.parametrize(
    ("by", "label"),
    [
        ("day", lambda r: f"{r['date_start']:%Y-%m-%d}"),
        ("week", lambda r: f"{r['date_start']:%G-W%V}"),
        ("year", lambda r: f"{r['date_start']:%Y}"),
    ],
)
def test_other_periods(store: Store, rows: list[Row], by: str, label) -> None:
    timeline = dyad_timeline(store, "RUS", "JPN", by)
    assert observed(timeline) == expected_timeline(dyad(rows, "RUS", "JPN"), label, by)


def test_fill_adds_empty_months(store: Store) -> None:
    sparse = dyad_timeline(store, "RUS", "JPN", since="2016-01-01", until="2016-12-31")
    filled = dyad_timeline(store, "RUS", "JPN", since="2016-01-01", until="2016-12-31", fill=True)
    first, last = sparse.rows[0].start, sparse.rows[-1].start
    assert len(filled) == (last.year - first.year) * 12 + last.month - first.month + 1
    assert {r.period: r for r in filled if r.events} == {r.period: r for r in sparse}
    empty = [r for r in filled if not r.events]
    assert empty and all(r.goldstein_sum == 0 and r.goldstein_mean is None for r in empty)


def test_timeline_rows_flatten_roots(store: Store) -> None:
    row = dyad_timeline(store, "RUS", "JPN").rows[-1]
    flat = row.as_dict()
    assert [flat[f"root_{root}"] for root in ROOTS] == list(row.roots)
    assert sum(row.roots) == row.events
    assert flat["start"] == row.start.isoformat()


def test_timeline_as_pandas(store: Store) -> None:
    timeline = dyad_timeline(store, "RUS", "JPN")
    frame = timeline.to_pandas()
    assert list(frame["events"]) == [r.events for r in timeline]
    assert frame.index[0].date() == timeline.rows[0].start


def test_bad_arguments_raise_query_errors(store: Store) -> None:
    with pytest.raises(QueryError, match="unknown period 'fortnight'"):
        dyad_timeline(store, "RUS", "JPN", "fortnight")  # type: ignore[arg-type]
    with pytest.raises(QueryError, match="not a date"):
        dyad_timeline(store, "RUS", "JPN", since="16 May")
    with pytest.raises(QueryError, match="unknown event filter"):
        dyad_timeline(store, "RUS", "JPN", sinse="2016-01-01")
    with pytest.raises(QueryError, match="unknown actor level"):
        actor_network(store, "region")  # type: ignore[arg-type]


def test_make_query_reads_iso_dates() -> None:
    query = make_query(since="2016-01-01", until=dt.datetime(2016, 12, 31, 8), dyad=["A", "B"])
    assert (query.since, query.until, query.dyad) == (
        dt.date(2016, 1, 1),
        dt.date(2016, 12, 31),
        ("A", "B"),
    )


# --- network and top lists ----------------------------------------------------------------


def expected_edges(rows: list[Row]) -> dict[tuple[str, str], tuple[int, float]]:
    edges: dict[tuple[str, str], list[float]] = defaultdict(list)
    for row in rows:
        source, target = country_key(row, "source"), country_key(row, "target")
        if source and target and source != target:
            edges[source, target].append(row["goldstein"])
    return {k: (len(v), round(sum(v), 2)) for k, v in edges.items()}


def test_country_network(store: Store, rows: list[Row]) -> None:
    network = actor_network(store)
    got = {(e.source, e.target): (e.events, e.goldstein_sum) for e in network.edges}
    assert got == expected_edges(rows)
    assert ("JPN", "RUS") in got and ("RUS", "JPN") in got
    quads: dict[tuple[str, str], Counter[bool]] = defaultdict(Counter)
    for row in rows:
        pair = (country_key(row, "source"), country_key(row, "target"))
        quads[pair][row["quad_class"] <= 2] += 1  # type: ignore[index]
    for edge in network.edges:
        pair = (edge.source, edge.target)
        assert (edge.cooperation, edge.conflict) == (quads[pair][True], quads[pair][False])
        assert edge.goldstein_mean == round(edge.goldstein_sum / edge.events, 3)
    assert [e.events for e in network.edges] == sorted(
        (e.events for e in network.edges), reverse=True
    )
    nodes = {n.actor: n for n in network.nodes}
    for actor, node in nodes.items():
        assert node.as_source == sum(n for (s, _), (n, _) in got.items() if s == actor)
        assert node.as_target == sum(n for (_, t), (n, _) in got.items() if t == actor)


def test_network_filters_and_threshold(store: Store, rows: list[Row]) -> None:
    recent = [r for r in rows if r["date_start"] and r["date_start"] >= dt.date(2016, 9, 1)]
    expected = {k: v for k, v in expected_edges(recent).items() if v[0] >= 2}
    network = actor_network(store, since="2016-09-01", min_events=2)
    assert {(e.source, e.target): (e.events, e.goldstein_sum) for e in network.edges} == expected


def test_code_network_keeps_full_codes(store: Store, rows: list[Row]) -> None:
    network = actor_network(store, "code", self_loops=True)
    expected = Counter(
        (r["source_code"], r["target_code"]) for r in rows if r["source_code"] and r["target_code"]
    )
    assert {(e.source, e.target): e.events for e in network.edges} == dict(expected)


def test_networkx_graph_weights(store: Store) -> None:
    network = actor_network(store)
    by_count = network.to_networkx("count")
    by_goldstein = network.to_networkx("goldstein")
    for edge in network.edges:
        assert by_count[edge.source][edge.target]["weight"] == edge.events
        assert by_goldstein[edge.source][edge.target]["weight"] == edge.goldstein_sum
    assert by_count.number_of_edges() == len(network.edges)


def test_top_actors(store: Store, rows: list[Row]) -> None:
    events: Counter[str] = Counter()
    as_source: Counter[str] = Counter()
    for row in rows:
        source, target = country_key(row, "source"), country_key(row, "target")
        for actor in {source, target} - {None}:
            events[actor] += 1  # type: ignore[index]
        if source:
            as_source[source] += 1
    top = top_actors(store, 5)
    assert [(a.actor, a.events) for a in top] == sorted(
        events.items(), key=lambda kv: (-kv[1], kv[0])
    )[:5]
    assert all(a.as_source == as_source[a.actor] for a in top)


def test_top_codes(store: Store, rows: list[Row]) -> None:
    counts = Counter(r["code"] for r in rows)
    top = top_codes(store, 4)
    assert [(c.code, c.events) for c in top] == sorted(
        counts.items(), key=lambda kv: (-kv[1], kv[0])
    )[:4]
    first = top[0]
    assert first.goldstein_sum == round(
        sum(r["goldstein"] for r in rows if r["code"] == first.code), 2
    )


def expected_swings(rows: list[Row]) -> Counter[tuple[str, str, str, float]]:
    sums: dict[tuple[str, str], dict[dt.date, float]] = defaultdict(lambda: defaultdict(float))
    starts = {r["date_start"].replace(day=1) for r in rows if counted(r)}
    for row in rows:
        a, b = country_key(row, "source"), country_key(row, "target")
        if counted(row) and a and b and a != b:
            sums[min(a, b), max(a, b)][row["date_start"].replace(day=1)] += row["goldstein"]
    first, last = min(starts), max(starts)
    swings: Counter[tuple[str, str, str, float]] = Counter()
    for (a, b), months in sums.items():
        candidates = set(months) | {next_month(m) for m in months}
        for m in candidates:
            if first < m <= last:
                previous = months.get(previous_month(m), 0.0)
                swings[a, b, f"{m:%Y-%m}", round(months.get(m, 0.0) - previous, 2)] += 1
    return swings


def next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def previous_month(day: dt.date) -> dt.date:
    return dt.date(day.year - (day.month == 1), (day.month - 2) % 12 + 1, 1)


def test_top_swings(store: Store, rows: list[Row]) -> None:
    expected = expected_swings(rows)
    swings = top_swings(store, 10_000)
    got = Counter((s.actor_a, s.actor_b, s.period, s.change) for s in swings)
    assert got == expected
    assert abs(swings[0].change) == max(abs(k[3]) for k in expected)
    assert all(s.change == round(s.goldstein_sum - s.previous_goldstein_sum, 2) for s in swings)
    assert len(top_swings(store, 3)) == 3


# --- charts -------------------------------------------------------------------------------


def test_timeline_chart_draws_the_counts(store: Store) -> None:
    timeline = dyad_timeline(store, "RUS", "JPN")
    figure = plot_timeline(timeline, "Russia and Japan")
    counts, goldstein = figure.axes
    heights = [round(p.get_height(), 6) for p in counts.patches]
    cooperation = sum(r.verbal_coop + r.material_coop for r in timeline)
    conflict = sum(r.verbal_conflict + r.material_conflict for r in timeline)
    assert sum(h for h in heights if h > 0) == cooperation
    assert -sum(h for h in heights if h < 0) == conflict
    assert [round(p.get_height(), 2) for p in goldstein.patches] == [
        r.goldstein_sum for r in timeline
    ]
    assert figure.get_suptitle() == "Russia and Japan"
    assert counts.get_ylabel() == "events (conflict below 0)"


def test_network_chart_has_a_node_per_actor(store: Store) -> None:
    network = actor_network(store)
    figure = plot_network(network, max_edges=5)
    labels = {t.get_text() for t in figure.axes[0].texts}
    kept = sorted(network.edges, key=lambda e: -e.events)[:5]
    assert labels == {e.source for e in kept} | {e.target for e in kept}


# --- command line -------------------------------------------------------------------------


def invoke(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_timeline_command_table(corpus_db: Path, rows: list[Row]) -> None:
    out = invoke("timeline", "--db", str(corpus_db), "RUS", "JPN", "--no-background")
    lines = out.splitlines()
    assert lines[0].split() == [
        "period",
        "events",
        "verbal_coop",
        "material_coop",
        "verbal_conflict",
        "material_conflict",
        "goldstein_sum",
        "goldstein_mean",
        "net_cooperation",
    ]
    expected = expected_timeline(dyad(rows, "RUS", "JPN", background=False))
    got = {line.split()[0]: line.split() for line in lines[2:]}
    assert set(got) == set(expected)
    for period, cells in got.items():
        assert int(cells[1]) == expected[period]["events"]
        assert cells[6] == f"{expected[period]['goldstein_sum']:.2f}"


def test_timeline_command_csv_json_and_plot(corpus_db: Path, rows: list[Row], tmp_path) -> None:
    expected = expected_timeline(dyad(rows, "RUS", "JPN"))
    out = invoke("timeline", "--db", str(corpus_db), "RUS", "JPN", "--format", "csv")
    table = list(csv.DictReader(io.StringIO(out)))
    assert {r["period"]: int(r["events"]) for r in table} == {
        k: v["events"] for k, v in expected.items()
    }
    assert {r["period"]: float(r["goldstein_sum"]) for r in table} == {
        k: v["goldstein_sum"] for k, v in expected.items()
    }
    png = tmp_path / "chart.png"
    out = invoke(
        "timeline", "--db", str(corpus_db), "RUS", "JPN", "--by", "year", "--format", "json",
        "--plot", str(png),
    )  # fmt: skip
    years = json.loads(out)
    assert {r["period"]: r["events"] for r in years} == {
        k: v["events"]
        for k, v in expected_timeline(
            dyad(rows, "RUS", "JPN"), lambda r: f"{r['date_start']:%Y}", "year"
        ).items()
    }
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000


def test_network_command_formats(corpus_db: Path, rows: list[Row], tmp_path) -> None:
    expected = expected_edges(rows)
    out = invoke("network", "--db", str(corpus_db), "--format", "csv")
    edges = {(r["source"], r["target"]): int(r["events"]) for r in csv.DictReader(io.StringIO(out))}
    assert edges == {k: v[0] for k, v in expected.items()}
    data = json.loads(invoke("network", "--db", str(corpus_db), "--format", "json"))
    assert data["level"] == "country"
    assert {(e["source"], e["target"]): e["goldstein_sum"] for e in data["edges"]} == {
        k: v[1] for k, v in expected.items()
    }
    graphml = tmp_path / "net.graphml"
    png = tmp_path / "net.png"
    invoke(
        "network", "--db", str(corpus_db), "--format", "graphml", "-o", str(graphml),
        "--weight", "goldstein", "--plot", str(png),
    )  # fmt: skip
    graph = networkx.read_graphml(graphml)
    assert graph.is_directed()
    assert {(s, t): d["weight"] for s, t, d in graph.edges(data=True)} == {
        k: v[1] for k, v in expected.items()
    }
    assert png.read_bytes()[:4] == b"\x89PNG"


def test_network_command_table(corpus_db: Path, rows: list[Row]) -> None:
    recent = [r for r in rows if r["date_start"] and r["date_start"] >= dt.date(2016, 12, 1)]
    out = invoke("network", "--db", str(corpus_db), "--since", "2016-12-01")
    got = {tuple(line.split()[:2]): int(line.split()[2]) for line in out.splitlines()[2:]}
    assert got == {k: v[0] for k, v in expected_edges(recent).items()}


def test_top_command(corpus_db: Path, store: Store) -> None:
    out = invoke("top", "--db", str(corpus_db), "codes", "-n", "3", "--format", "json")
    assert json.loads(out) == [
        {"code": c.code, "name": c.name, "events": c.events, "goldstein_sum": c.goldstein_sum}
        for c in top_codes(store, 3)
    ]
    out = invoke("top", "--db", str(corpus_db), "actors", "-n", "2")
    assert [line.split()[0] for line in out.splitlines()[2:]] == [
        a.actor for a in top_actors(store, 2)
    ]
    out = invoke("top", "--db", str(corpus_db), "swings", "--format", "csv", "-n", "4")
    table = list(csv.DictReader(io.StringIO(out)))
    assert [float(r["change"]) for r in table] == [s.change for s in top_swings(store, 4)]


def test_commands_need_a_store(tmp_path: Path) -> None:
    missing = str(tmp_path / "none.duckdb")
    for args in (
        ["timeline", "--db", missing, "RUS", "JPN"],
        ["network", "--db", missing],
        ["top", "--db", missing, "actors"],
        ["export", "--db", missing, "--format", "csv"],
    ):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 1
        assert "no store at" in result.output
