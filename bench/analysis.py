"""Benchmark the analysis functions and the exports on a generated store of synthetic events.

    .venv/bin/python bench/analysis.py                 # 1,000,000 events in a temporary store
    .venv/bin/python bench/analysis.py --events 200000 --db /tmp/bench.duckdb --keep

Targets (issue 7): a dyad timeline under 100 ms and the actor network under 1 s on 1 M events.
Each figure is the median of --repeat runs after one warm-up run. The exports run as real
``newsevents export`` subprocesses; their peak memory (max RSS) is reported, next to the peak of
the same export from a store of --small-events events, to see how it grows with the store. The
synthetic events have the store's schema, real CAMEO codes with their Goldstein values and
QuadClass, skewed actor frequencies (a few countries in most events), 30 % without a target, 5 %
background, dates over 2000-2019.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa

from newsevents.analysis.aggregates import (
    actor_network,
    dyad_timeline,
    top_actors,
    top_codes,
    top_swings,
)
from newsevents.codebook import Codebook
from newsevents.store.database import EventQuery, Store

COUNTRIES = (  # noqa: SIM905 - a block of codes reads better than 60 quoted strings
    "USA RUS CHN JPN GBR FRA DEU IND PAK IRN ISR SYR TUR UKR KOR PRK SAU EGY IRQ AFG "
    "BRA MEX CAN AUS ITA ESP POL NGA ZAF KEN ETH SDN LBY YEM QAT ARE JOR LBN VEN COL "
    "ARG CHL PER IDN MYS PHL VNM THA MMR BGD LKA NPL KAZ UZB GEO ARM AZE BLR SRB GRC"
).split()
ROLES = ("GOV", "", "MIL", "BUS", "CVL", "MED", "OPP", "JUD")


def generate(path: Path, events: int) -> None:
    """Fill a new store with ``events`` synthetic events (pure DuckDB SQL, a few seconds)."""
    codebook = pa.Table.from_pylist(
        [
            {
                "idx": i,
                "code": c.code,
                "name": c.name,
                "goldstein": c.goldstein,
                "quad_class": c.quad_class,
                "penta_class": c.penta_class,
                "plover_event": c.plover_event,
                "plover_mode": c.plover_mode,
            }
            for i, c in enumerate(Codebook.load())
        ]
    )
    countries = pa.Table.from_pylist([{"idx": i, "c": c} for i, c in enumerate(COUNTRIES)])
    roles = pa.Table.from_pylist([{"idx": i, "r": r} for i, r in enumerate(ROLES)])
    with Store(path) as store:
        con = store.con
        con.register("codebook", codebook)
        con.register("countries", countries)
        con.register("roles", roles)
        con.execute(
            f"""
            CREATE TEMP TABLE draws AS
            WITH m AS (
                SELECT i, CASE WHEN i % 5 = 1 THEN i - 1 ELSE i END AS base
                FROM range({events}) AS t(i)
            )
            SELECT i, base,
                   CAST(floor(pow({_uniform(1)}, 2.2) * {len(COUNTRIES)}) AS INT) AS sc,
                   CAST(floor(pow({_uniform(2)}, 2.2) * {len(COUNTRIES)}) AS INT) AS tc,
                   CAST(floor({_uniform(3)} * {len(ROLES)}) AS INT) AS sr,
                   CAST(floor({_uniform(4)} * {len(ROLES)}) AS INT) AS tr,
                   CAST(floor({_uniform(5)} * {codebook.num_rows}) AS INT) AS ci,
                   {_uniform(6)} < 0.3 AS no_target,
                   {_uniform(7)} < 0.05 AS background,
                   DATE '2000-01-01' + CAST(floor({_uniform(8)} * 7305) AS INT) AS day
            FROM m
            """
        )
        con.execute(
            """
            INSERT INTO articles (id, title, source, published, url, text, event_count, coded_at)
            SELECT 'a' || (i // 8), 'Synthetic article', 'Bench Wire ' || (i // 8 % 50), day,
                   'https://example.org/' || (i // 8), '', 8, TIMESTAMP '2024-01-01 12:00:00'
            FROM draws WHERE i % 8 = 0
            """
        )
        con.execute(
            """
            INSERT INTO events (id, article_id, code, name, root_code, quad_class, penta_class,
                goldstein, plover_event, plover_mode,
                source_text, source_name, source_code, source_country, source_role,
                target_text, target_name, target_code, target_country, target_role,
                date, date_precision, date_start, background, modality, is_root,
                sentence_index, sentence, trigger, trigger_start, trigger_end, rule)
            SELECT 'e' || lpad(printf('%x', i), 16, '0'), 'a' || (i // 8),
                   k.code, k.name, left(k.code, 2), k.quad_class, k.penta_class, k.goldstein,
                   k.plover_event, k.plover_mode,
                   s.c, s.c, s.c || sr.r, s.c, nullif(sr.r, ''),
                   CASE WHEN NOT no_target THEN t.c END, CASE WHEN NOT no_target THEN t.c END,
                   CASE WHEN NOT no_target THEN t.c || tr.r END,
                   CASE WHEN NOT no_target THEN t.c END,
                   CASE WHEN NOT no_target THEN nullif(tr.r, '') END,
                   strftime(day, '%Y-%m-%d'), 'day', day, background, 'asserted', i % 3 = 0,
                   i % 8, 'Synthetic sentence number ' || i || ' about ' || s.c || '.',
                   'met', 0, 3, 'bench'
            FROM draws
            JOIN codebook AS k ON k.idx = draws.ci
            JOIN countries AS s ON s.idx = draws.sc
            JOIN countries AS t ON t.idx = draws.tc
            JOIN roles AS sr ON sr.idx = draws.sr
            JOIN roles AS tr ON tr.idx = draws.tr
            """
        )
        _group(con)
        con.execute("CHECKPOINT")


def _uniform(stream: int) -> str:
    """A deterministic uniform [0, 1) draw per event ``base`` (a repeated mention of an event
    draws the same values as the event's first mention)."""
    return f"(hash(base * 16 + {stream}) % 1000003) / 1000003.0"


def _group(con: Any) -> None:
    """Fill the deduplication tables (newsevents.dedup) the way ingest would for this data: a
    mention ``i`` with ``i % 5 == 1`` repeats mention ``i - 1`` in another article, so one event
    in four has two mentions. Done in SQL: grouping a million mentions through Python would
    take minutes and is not what is measured here."""
    tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    if "event_groups" not in tables:
        return
    from newsevents.store.dedup import KEY_SQL, recount

    con.execute(f"UPDATE events SET group_key = {KEY_SQL}")
    con.execute(
        """
        INSERT INTO event_groups
        SELECT 'g' || base, any_value(e.group_key), 'e' || lpad(printf('%x', base), 16, '0')
        FROM draws JOIN events e ON e.id = 'e' || lpad(printf('%x', i), 16, '0')
        GROUP BY base
        """
    )
    con.execute(
        """
        INSERT INTO event_group_mentions
        SELECT 'e' || lpad(printf('%x', i), 16, '0'), 'g' || base FROM draws
        """
    )
    con.execute(
        """
        INSERT INTO mention_keys
        SELECT id, group_key, date_start, date_start, date_precision, background FROM events
        """
    )
    start = time.perf_counter()
    recount(con)
    print(f"counted the reports of every event in {time.perf_counter() - start:.1f} s")


def timed(func: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Median wall time in milliseconds over ``repeat`` runs after a warm-up."""
    result = func()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def export_run(db: Path, fmt: str, out: Path, *flags: str) -> tuple[float, float, int]:
    """One ``newsevents export`` subprocess: seconds, peak RSS in MB, bytes written. The peak
    is the child's own high-water mark (``VmHWM``, read every 10 ms until it exits): the
    ``ru_maxrss`` that ``wait4`` reports would include this process's memory at the fork."""
    command = [sys.executable, "-m", "newsevents", "export", "--db", str(db)]
    command += ["--format", fmt, "-o", str(out), *flags]
    start = time.perf_counter()
    process = subprocess.Popen(command, stderr=subprocess.DEVNULL)
    peak = 0
    while process.poll() is None:
        peak = max(peak, _high_water_kb(process.pid))
        time.sleep(0.01)
    seconds = time.perf_counter() - start
    if process.returncode != 0:
        raise SystemExit(f"export {fmt} failed with status {process.returncode}")
    return seconds, peak / 1024, out.stat().st_size


def _high_water_kb(pid: int) -> int:
    """A running process's peak resident memory in kB (0 once it has gone)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


Case = tuple[str, Callable[[], Any], Callable[[Any], str], "float | None"]


def cases(store: Store, filters: dict[str, Any]) -> list[Case]:
    """What is timed: (name, call, description of the result, target in ms or None)."""

    def events(timeline: Any) -> str:
        return f"{len(timeline)} periods, {sum(row.events for row in timeline)} events"

    def graph(network: Any) -> str:
        return f"{len(network.nodes)} nodes, {len(network.edges)} edges"

    return [
        (
            "dyad timeline RUS-JPN by month",
            lambda: dyad_timeline(store, "RUS", "JPN", "month", **filters),
            events,
            100,
        ),
        (
            "dyad timeline RUSGOV->JPNGOV by day, no background",
            lambda: dyad_timeline(
                store,
                "RUSGOV",
                "JPNGOV",
                "day",
                directed=True,
                include_background=False,
                **filters,
            ),
            events,
            100,
        ),
        (
            "dyad timeline USA-CHN by week, 2010-2014, filled",
            lambda: dyad_timeline(
                store,
                "USA",
                "CHN",
                "week",
                fill=True,
                since="2010-01-01",
                until="2014-12-31",
                **filters,
            ),
            events,
            100,
        ),
        ("actor network (countries)", lambda: actor_network(store, **filters), graph, 1000),
        (
            "actor network (full codes)",
            lambda: actor_network(store, "code", **filters),
            graph,
            1000,
        ),
        ("top actors", lambda: top_actors(store, **filters), lambda r: r[0].actor, None),
        ("top codes", lambda: top_codes(store, **filters), lambda r: r[0].code, None),
        (
            "top swings by month",
            lambda: top_swings(store, **filters),
            lambda r: f"{r[0].actor_a}-{r[0].actor_b} {r[0].period} {r[0].change:+}",
            None,
        ),
    ]


def exports(db: Path, events: int, workdir: Path, small: Path | None, small_events: int) -> None:
    """Run each export as a subprocess and print its time and peak memory; with ``small``, the
    peak memory of the same export from the smaller store as well (flat if the export streams)."""
    heading = "export (subprocess, all events)"
    other = f"RSS@{small_events // 1000}k" if small else ""
    print(f"\n{heading:<35} {'s':>7} {'rows/s':>10} {'MB':>7} {'max RSS':>8} {other:>10}")
    runs = [(fmt, ()) for fmt in ("parquet", "csv", "jsonl", "gdelt", "plover")]
    runs += [(fmt, ("--mentions",)) for fmt in ("parquet", "gdelt")]
    for fmt, flags in runs:
        out = workdir / f"events.{fmt}"
        seconds, rss, size = export_run(db, fmt, out, *flags)
        rate = events / seconds
        name = " ".join((fmt, *flags))
        compared = f"{export_run(small, fmt, out, *flags)[1]:>8.0f}MB" if small else ""
        print(
            f"{name:<35} {seconds:>7.1f} {rate:>10,.0f} {size / 1e6:>7.0f} {rss:>6.0f}MB"
            f" {compared:>10}"
        )
        out.unlink()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, help="Store to create (default: a temporary file).")
    parser.add_argument("--keep", action="store_true", help="Keep the generated store.")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--skip-exports", action="store_true")
    parser.add_argument(
        "--small-events",
        type=int,
        default=100_000,
        help="Also export from a store of this many events, to compare peak memory (0: don't).",
    )
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="newsevents-bench-"))
    db = args.db or workdir / "bench.duckdb"
    if db.exists():
        db.unlink()
    start = time.perf_counter()
    generate(db, args.events)
    print(f"generated {args.events:,} events in {time.perf_counter() - start:.1f} s -> {db}")
    print(f"store size {db.stat().st_size / 1e6:.0f} MB; cpus {os.cpu_count()}")

    views = [("deduplicated events (the default)", {})]
    if "mentions" in {f.name for f in dataclasses.fields(EventQuery)}:
        views.append(("every mention (mentions=True)", {"mentions": True}))
    with Store(db, read_only=True) as store:
        for view, filters in views:
            print(f"\n{view:<55} {'median ms':>10}  {'target':>8}  result")
            for name, func, describe, target in cases(store, filters):
                ms, result = timed(func, args.repeat)
                verdict = "" if target is None else ("ok" if ms < target else "SLOW")
                goal = f"<{target:g}" if target else ""
                print(f"{name:<55} {ms:>10.1f}  {goal:>8}  {describe(result)} {verdict}")

    if not args.skip_exports:
        small = None
        if args.small_events and args.small_events < args.events:
            small = workdir / "small.duckdb"
            generate(small, args.small_events)
        exports(db, args.events, workdir, small, args.small_events)
    if not args.keep:
        db.unlink()
        for leftover in workdir.iterdir():
            leftover.unlink()
        workdir.rmdir()


if __name__ == "__main__":
    main()
