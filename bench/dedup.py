"""Benchmark what grouping mentions into events costs on the write path and at query time.

    .venv/bin/python bench/dedup.py                       # 200,000 mentions, batches of 64 articles
    .venv/bin/python bench/dedup.py --articles 50000 --events-per-article 8
    .venv/bin/python bench/dedup.py --preload 1000000 --articles 3200   # into a 1 M store
    .venv/bin/python bench/dedup.py --in-date-order                 # as from a daily feed

Synthetic articles (no spaCy) go through the real ``Store.write`` — events, quotes and the
regrouping of every key the batch touches, in one transaction — so the figures are the store's
share of an ingest. One story in four is reported again by another outlet a day later, so about
a fifth of the mentions join an existing event. Printed: write time per batch at the start and
the end (does regrouping grow with the store?), the total, the share of the time spent
regrouping (which includes keeping each event's counts), the time to open the store for writing,
and the deduplicated and mention queries. ``--preload N`` first fills the store with N mentions
of bench/analysis.py's generator (60 countries over 2000-2019, one event in four reported twice),
so that the batches are timed against a store of that size. With ``--in-date-order`` the
stories arrive day by day through the year, as from a news feed, instead of on random days.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from newsevents.model import Actor, Article, CodedArticle, Event, EventDate, Span
from newsevents.store import dedup
from newsevents.store.database import EventQuery, Store

COUNTRIES = ("USA", "RUS", "CHN", "JPN", "GBR", "FRA", "DEU", "IND", "PAK", "IRN", "SYR", "UKR")
CODES = ("040", "042", "043", "010", "012", "020", "036", "057", "111", "112", "163", "190")


def actor(code: str) -> Actor:
    return Actor(code, code, code, code[:3], code[3:] or None, Span(0, 3, code))


def article(
    number: int, rng: random.Random, events_per_article: int, in_order_of: int = 0
) -> CodedArticle:
    """Story ``number``, on a random day of 2016, or with ``in_order_of`` (the number of
    articles) on its day of a feed that runs through the year in date order."""
    base = number - 1 if number % 4 == 1 else number  # one story in four is reported twice
    story = random.Random(base)
    day_of_year = base * 365 // in_order_of if in_order_of else story.randrange(365)
    published = dt.date(2016, 1, 1) + dt.timedelta(days=day_of_year + (base != number))
    article_id = f"a{number:08d}"
    events = []
    for index in range(events_per_article):
        source = story.choice(COUNTRIES) + story.choice(("GOV", ""))
        target = story.choice(COUNTRIES)
        code = story.choice(CODES)
        day = published - dt.timedelta(days=(base != number))
        date = EventDate(day.isoformat(), "day", None, None, "article")
        events.append(
            Event(
                f"e{number:08d}{index:02d}", article_id, code, code, code[:2], 1, 1, 1.0,
                None, None, actor(source), actor(target), date, "asserted", index == 0, None,
                index, f"Sentence {index} of story {base}.", Span(0, 3, "met"), "bench",
            )
        )  # fmt: skip
    text = f"Story {base} as told by outlet {number}."
    record = Article(article_id, text, "Bench", f"Outlet {rng.randrange(50)}", published)
    return CodedArticle(record, tuple(events), (), {"sentences": events_per_article})


def preload(path: Path, mentions: int) -> None:
    """Fill a new store with bench/analysis.py's synthetic, grouped and counted mentions."""
    sys.path.insert(0, str(Path(__file__).parent))
    from analysis import generate

    start = time.perf_counter()
    generate(path, mentions)
    print(f"preloaded {mentions:,} mentions in {time.perf_counter() - start:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=25_000)
    parser.add_argument("--events-per-article", type=int, default=8)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--preload", type=int, default=0, help="Mentions stored before timing.")
    parser.add_argument(
        "--in-date-order", action="store_true", help="Articles arrive day by day, as from a feed."
    )
    args = parser.parse_args()
    rng = random.Random(7)
    regroup_times: list[float] = []
    original = dedup.regroup

    def timed_regroup(*args):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        result = original(*args)
        regroup_times.append(time.perf_counter() - start)
        return result

    import newsevents.store.database as store_module

    store_module.regroup = timed_regroup  # type: ignore[assignment]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.duckdb"
        if args.preload:
            preload(path, args.preload)
        batch_times: list[float] = []
        total_start = time.perf_counter()
        with Store(path) as store:
            for first in range(0, args.articles, args.batch):
                batch = [
                    article(
                        n, rng, args.events_per_article, args.articles if args.in_date_order else 0
                    )
                    for n in range(first, min(first + args.batch, args.articles))
                ]
                start = time.perf_counter()
                store.write(batch)
                batch_times.append(time.perf_counter() - start)
        total = time.perf_counter() - total_start
        mentions = args.articles * args.events_per_article
        tenth = max(1, len(batch_times) // 10)
        print(f"{args.articles:,} articles, {mentions:,} mentions, batches of {args.batch}")
        print(
            f"write per batch, first tenth: {statistics.median(batch_times[:tenth]) * 1000:.1f} ms"
        )
        print(
            f"write per batch, last tenth:  {statistics.median(batch_times[-tenth:]) * 1000:.1f} ms"
        )
        print(f"all writes: {sum(batch_times):.1f} s ({total:.1f} s with generating the records)")
        print(f"of which regrouping: {sum(regroup_times):.1f} s")
        print(
            f"regroup per batch, first tenth: {statistics.median(regroup_times[:tenth]) * 1000:.1f}"
            f" ms, last tenth: {statistics.median(regroup_times[-tenth:]) * 1000:.1f} ms"
        )
        start = time.perf_counter()
        with Store(path) as store:
            opened = time.perf_counter() - start
            groups = store.con.execute("SELECT count(*) FROM event_groups").fetchone()[0]  # type: ignore[index]
            query = EventQuery(dyad=("RUS", "JPN"))
            start = time.perf_counter()
            events = store.events(query)
            dedup_ms = (time.perf_counter() - start) * 1000
            start = time.perf_counter()
            rows = store.events(EventQuery(dyad=("RUS", "JPN"), mentions=True))
            mention_ms = (time.perf_counter() - start) * 1000
            start = time.perf_counter()
            everything = sum(1 for _ in store.iter_events())
            all_ms = (time.perf_counter() - start) * 1000
        print(f"open for writing (checks for ungrouped events): {opened * 1000:.0f} ms")
        print(f"{groups:,} events from {mentions + args.preload:,} mentions")
        print(f"dyad RUS-JPN: {len(events):,} events in {dedup_ms:.0f} ms, "
              f"{len(rows):,} mentions in {mention_ms:.0f} ms")  # fmt: skip
        print(f"all {everything:,} events streamed in {all_ms:.0f} ms")


if __name__ == "__main__":
    main()
