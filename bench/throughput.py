"""Throughput and memory of `newsevents ingest` against a bare spaCy `nlp.pipe` (a script, not a
test). Run from the project root:

    .venv/bin/python bench/throughput.py                      # 50x and 500x, 2 workers
    .venv/bin/python bench/throughput.py --scales 50 --mixed  # with non-political paragraphs

The corpus is built from our own example articles (examples/corpus/*.txt): copy k of an article
is the article with two more paragraphs from the corpus appended, so every copy is a distinct
story (no copy is skipped as a duplicate) with the same kind of text. ``--mixed`` also puts two
paragraphs of bench/filler.txt (weather, markets, sport: our own words) into every article, the
mix a general news feed has. For each scale it prints sentences/s and words/s end to end
(reading, coding and storing in a fresh DuckDB file, worker start-up included), the same for a
bare ``nlp.pipe`` over the same texts with as many processes, and their ratio in wall time and
in CPU time (the CPU ratio does not depend on what else the machine is doing); then the peak
memory (all processes together, and the largest one) of `newsevents ingest` at 1x and 10x, and
with ``--dask-scale N`` the time of ``--engine dask`` on 1 and on 2 worker processes.

``--stages`` prints where the CPU time of one process goes instead (robust when the machine is
shared): building a pipeline, and per article the parse and each coding stage after it, on the
example articles (after one warm-up round, each coded five times over, from one parse).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "examples" / "corpus"
FILLER = ROOT / "bench" / "filler.txt"
BATCH_SIZE = 256
"""As `newsevents ingest` by default."""


@dataclass(frozen=True)
class Story:
    title: str | None
    source: str | None
    published: str | None
    paragraphs: tuple[str, ...]


def load_stories() -> list[Story]:
    from newsevents.coding.pipeline import load_debris
    from newsevents.model import Article
    from newsevents.read.inputs import read_inputs

    articles = [r for r in read_inputs([CORPUS], debris=load_debris()) if isinstance(r, Article)]
    return [
        Story(
            a.title,
            a.source,
            a.published.isoformat() if a.published else None,
            tuple(a.text.split("\n")),
        )
        for a in articles
    ]


def filler() -> list[str]:
    lines = FILLER.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


def build_corpus(path: Path, scale: int, mixed: bool) -> list[str]:
    """Write ``scale`` distinct copies of every example article as JSONL; return the texts."""
    stories = load_stories()
    pool = [p for s in stories for p in s.paragraphs]
    extra = filler() if mixed else []
    texts = []
    with path.open("w", encoding="utf-8") as out:
        for k in range(scale):
            for j, story in enumerate(stories):
                paragraphs = list(story.paragraphs)
                if k:
                    paragraphs += [
                        pool[(j + k) % len(pool)],
                        pool[(j * 7 + k // len(pool)) % len(pool)],
                    ]
                if extra:
                    paragraphs[1:1] = [
                        extra[(j + k) % len(extra)],
                        extra[(j + 2 * k + 5) % len(extra)],
                    ]
                text = "\n".join(paragraphs)
                texts.append(text)
                record = {
                    "id": f"s{k}-{j}",
                    "title": story.title,
                    "text": text,
                    "published": story.published,
                    "source": story.source,
                }
                out.write(json.dumps(record) + "\n")
    return texts


@dataclass(frozen=True)
class Timing:
    seconds: float
    cpu: float
    sentences: int
    words: int

    def rates(self) -> str:
        return (
            f"{self.sentences / self.seconds:6.0f} sentences/s "
            f"{self.words / self.seconds:7.0f} words/s"
            f"  ({self.seconds:.1f} s, {self.cpu:.1f} CPU s)"
        )


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the worker processes)."""
    return own_cpu_seconds() + children_cpu_seconds()


def own_cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    return own.ru_utime + own.ru_stime


def children_cpu_seconds() -> float:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return children.ru_utime + children.ru_stime


def bare_parse(texts: list[str], workers: int) -> Timing:
    """A bare nlp.pipe over the same texts, with as many processes (model load not timed)."""
    from newsevents.coding.parse import load_model

    nlp = load_model()
    started, cpu = time.perf_counter(), cpu_seconds()
    sentences = words = 0
    for doc in nlp.pipe(texts, batch_size=64, n_process=workers):
        sentences += sum(1 for _ in doc.sents)
        words += sum(1 for t in doc if not (t.is_punct or t.is_space))
    return Timing(time.perf_counter() - started, cpu_seconds() - cpu, sentences, words)


def end_to_end(
    corpus: Path, db: Path, workers: int, prepass: bool
) -> tuple[float, float, float, int]:
    """Time `newsevents ingest` in-process, as the command runs it (reading, coding, storing;
    worker start-up included): wall seconds, CPU seconds in all, CPU seconds of the main process
    (reading, language identification, writing the store), articles coded."""
    from newsevents import Store, ingest, read_inputs
    from newsevents.coding.pipeline import Settings, load_debris

    started, cpu, own = time.perf_counter(), cpu_seconds(), own_cpu_seconds()
    with Store(db) as store:
        summary = ingest(
            read_inputs([corpus], debris=load_debris()),
            store,
            Settings(prepass=prepass),
            batch_size=BATCH_SIZE,
            workers=workers,
        )
    seconds, main = time.perf_counter() - started, own_cpu_seconds() - own
    return seconds, cpu_seconds() - cpu, main, summary.coded


def peak_memory(corpus: Path, db: Path, workers: int) -> tuple[float, float]:
    """Peak resident memory of `newsevents ingest` (MB): all its processes together, and the
    largest single one; sampled every 0.1 s. Batches of 8, so that even 1x uses the workers."""
    import psutil

    command = [sys.executable, "-m", "newsevents", "ingest", str(corpus), "--db", str(db)]
    command += ["--workers", str(workers), "--batch-size", "8", "--quiet"]
    process = subprocess.Popen(command, cwd=ROOT)
    parent = psutil.Process(process.pid)
    total = largest = 0
    while process.poll() is None:
        try:
            tree = [parent, *parent.children(recursive=True)]
            sizes = [p.memory_info().rss for p in tree]
        except psutil.Error:
            continue
        total, largest = max(total, sum(sizes)), max(largest, max(sizes))
        time.sleep(0.1)
    if process.returncode != 0:
        raise SystemExit(f"newsevents ingest failed with exit code {process.returncode}")
    return total / 2**20, largest / 2**20


def run_scale(scale: int, workers: int, mixed: bool, work: Path, compare_prepass: bool) -> None:
    corpus = work / f"corpus-{scale}.jsonl"
    texts = build_corpus(corpus, scale, mixed)
    print(
        f"\n{scale}x: {len(texts):,} articles, {sum(len(t) for t in texts) / 1e6:.1f} M characters"
    )
    bare = bare_parse(texts, workers)
    print(f"  bare nlp.pipe, {workers} process(es):        {bare.rates()}")
    variants = [False, True] if compare_prepass else [False]
    for prepass in variants:
        db = work / f"e2e-{scale}-{prepass}.duckdb"
        seconds, cpu, main, coded = end_to_end(corpus, db, workers, prepass)
        e2e = Timing(seconds, cpu, bare.sentences, bare.words)
        label = "with pre-pass" if prepass else "no pre-pass"
        print(
            f"  newsevents ingest, {label:13}: {e2e.rates()}  "
            f"time ratio {seconds / bare.seconds:.2f}, CPU ratio {cpu / bare.cpu:.2f}"
        )
        print(
            f"    of its CPU time: main process {main:.1f} s ({main / bare.cpu:.0%} of the bare "
            f"parse's), workers {cpu - main:.1f} s ({(cpu - main) / bare.cpu:.0%})"
        )
        if coded != len(texts):
            print(f"  (!) {coded} of {len(texts)} articles coded")


def run_memory(scales: list[int], workers: int, mixed: bool, work: Path) -> None:
    print()
    for scale in scales:
        corpus = work / f"memory-{scale}.jsonl"
        texts = build_corpus(corpus, scale, mixed)
        total, largest = peak_memory(corpus, work / f"memory-{scale}.duckdb", workers)
        print(
            f"peak RSS at {scale:>3}x ({len(texts):,} articles, {workers} workers): "
            f"{total:,.0f} MB all processes, {largest:,.0f} MB largest process"
        )


def run_dask(scale: int, mixed: bool, work: Path) -> None:
    """`--engine dask` on a LocalCluster of 1 and of 2 worker processes (start-up included)."""
    from newsevents import Store, read_inputs
    from newsevents.coding.pipeline import Settings, load_debris
    from newsevents.run.distributed import ingest_dask

    corpus = work / f"dask-{scale}.jsonl"
    texts = build_corpus(corpus, scale, mixed)
    print(f"\ndask, {scale}x ({len(texts):,} articles):")
    timings = {}
    for workers in (1, 2):
        started, cpu = time.perf_counter(), cpu_seconds()
        with Store(work / f"dask-{scale}-{workers}.duckdb") as store:
            summary = ingest_dask(
                read_inputs([corpus], debris=load_debris()),
                store,
                Settings(),
                work / f"shards-{workers}",
                workers=workers,
            )
        timings[workers] = time.perf_counter() - started
        print(
            f"  {workers} worker(s): {timings[workers]:.1f} s, {summary.coded} articles, "
            f"{summary.sentences / timings[workers]:.0f} sentences/s "
            f"({cpu_seconds() - cpu:.1f} CPU s, all processes)"
        )
    print(f"  speed-up with 2 workers: {timings[1] / timings[2]:.2f}x")


def run_stages(rounds: int = 5) -> None:
    """CPU time of building a pipeline, and per article of the parse and of each stage after
    it (in the order ``Pipeline.code`` runs them), in this process."""
    from newsevents.coding.pipeline import Pipeline
    from newsevents.model import Article
    from newsevents.read.inputs import read_inputs

    started = time.process_time()
    pipeline = Pipeline()
    build = time.process_time() - started
    articles = [r for r in read_inputs([CORPUS], debris=pipeline.debris) if isinstance(r, Article)]
    for article, doc in zip(articles, pipeline.parser.pipe(a.text for a in articles), strict=True):
        pipeline.code(article, doc)  # warm up: lazy imports, first-use tables
    started = time.process_time()
    docs = list(pipeline.parser.pipe(a.text for a in articles))
    parse = time.process_time() - started
    costs = dict.fromkeys(("actors", "events", "dates", "places", "quotes"), 0.0)

    def timed(stage: str, started: float) -> float:
        now = time.process_time()
        costs[stage] += now - started
        return now

    for _ in range(rounds):
        for article, doc in zip(articles, docs, strict=True):
            started = time.process_time()
            actors = pipeline.actors(doc, article.published)
            started = timed("actors", started)
            events = pipeline.events(doc, actors, article.id)
            if pipeline.discards:
                events = pipeline.discards.filter(doc, events)  # type: ignore[assignment]
            started = timed("events", started)
            events = pipeline.dates(doc, events, article.published)
            started = timed("dates", started)
            pipeline.places(doc, events, article.dateline_place, article.published)
            started = timed("places", started)
            pipeline.quotes(doc, actors)
            timed("quotes", started)
    count = len(articles)
    per_parse = parse / count
    print(f"building a pipeline: {build:.2f} CPU s")
    print(f"per article ({count} articles, coded {rounds} times), CPU ms and share of the parse:")
    print(f"  parse   {per_parse * 1000:6.2f}")
    for stage, cost in [*costs.items(), ("coding", sum(costs.values()))]:
        per = cost / (count * rounds)
        print(f"  {stage:7} {per * 1000:6.2f}  {per / per_parse:4.0%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[50, 500])
    parser.add_argument("--rss-scales", type=int, nargs="*", default=[1, 10])
    parser.add_argument("--workers", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--mixed", action="store_true", help="add non-political paragraphs")
    parser.add_argument("--compare-prepass", action="store_true", help="also run with it")
    parser.add_argument("--dask-scale", type=int, help="also time --engine dask, 1 vs 2 workers")
    parser.add_argument("--stages", action="store_true", help="only the CPU time per stage")
    args = parser.parse_args()
    if args.stages:
        run_stages()
        return
    print(f"newsevents throughput on {os.cpu_count()} cores, {args.workers} worker(s)")
    with tempfile.TemporaryDirectory(prefix="newsevents-bench-") as tmp:
        work = Path(tmp)
        for scale in args.scales:
            run_scale(scale, args.workers, args.mixed, work, args.compare_prepass)
        if args.rss_scales:
            run_memory(args.rss_scales, args.workers, args.mixed, work)
        if args.dask_scale:
            run_dask(args.dask_scale, args.mixed, work)


if __name__ == "__main__":
    main()
