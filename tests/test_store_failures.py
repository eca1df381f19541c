"""A bad record never costs its batch, at any stage, the store's write included; and a full
disk ends a run with a one-line message, keeping what was committed (docs/reliability.md)."""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsevents.errors import StoreFullError, StoreRefusedError
from newsevents.model import Article, CodedArticle, ReadError
from newsevents.read.inputs import read_inputs
from newsevents.read.text import split_origin
from newsevents.run.batches import per_record, write_isolated
from newsevents.run.ingest import ingest
from newsevents.store.database import Store
from tests.conftest import CORPUS
from tests.test_resume import articles_in, ingest_command, reference_run, table_contents

BAD_TITLE = "A title UTF-8 cannot hold \ud800"
"""A lone surrogate: the readers refuse one in a file, but an Article made in Python can hold
it, and pyarrow refuses to write it."""


@pytest.fixture(scope="module")
def corpus() -> list[Article]:
    return [r for r in read_inputs([CORPUS]) if isinstance(r, Article)]


def coded(pipeline, records: list[Article | ReadError]) -> list[CodedArticle | ReadError]:
    return list(pipeline.pipe(records))


def count(store: Store, table: str) -> int:
    return store.con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # type: ignore[index]


def test_a_record_the_store_refuses_costs_only_itself(
    pipeline, store_path: Path, corpus: list[Article]
) -> None:
    first, bad, last = corpus[0], dataclasses.replace(corpus[1], title=BAD_TITLE), corpus[2]
    broken = ReadError("feed.jsonl", 9, "read", "invalid JSON")
    batch = coded(pipeline, [first, bad, last, broken])
    good_events = sum(len(r.events) for r in batch if isinstance(r, CodedArticle)) - len(
        batch[1].events  # type: ignore[union-attr]
    )
    with Store(store_path) as store:
        with pytest.raises(StoreRefusedError):
            store.write(batch)  # a write is all or nothing
        assert store.counts() == {"articles": 0, "events": 0, "errors": 0}
        written, refused = write_isolated(store, batch)
        write_isolated(store, batch)  # again: nothing doubled
        counts = store.counts()
        stored = store.stored_ids(a.id for a in corpus[:3])
        errors = store.errors()
    assert refused == {bad.id}
    assert stored == {first.id, last.id}
    assert (written.articles, written.events, written.errors) == (2, good_events, 2)
    assert counts == {"articles": 2, "events": good_events, "errors": 2}
    refusal = next(e for e in errors if e["stage"] == "store")
    assert (refusal["input"], refusal["position"]) == split_origin(bad.origin or "")
    assert f"the store refused article {bad.id}: UnicodeEncodeError" in refusal["reason"]


def test_a_record_duckdb_rejects_leaves_its_stored_version_and_costs_only_itself(
    pipeline, store_path: Path, corpus: list[Article]
) -> None:
    first, second = coded(pipeline, corpus[:2])
    assert isinstance(first, CodedArticle) and first.events
    twice = dataclasses.replace(first, events=first.events + first.events)  # one id twice
    with Store(store_path) as store:
        store.write([first])
        written, refused = write_isolated(store, [twice, second])
        events = store.con.execute(
            "SELECT count(*) FROM events WHERE article_id = ?", [first.article.id]
        ).fetchone()[0]  # type: ignore[index]
        stored = store.stored_ids([first.article.id, second.article.id])  # type: ignore[union-attr]
        reasons = [e["reason"] for e in store.errors()]
    assert refused == {first.article.id} and written.articles == 1
    assert events == len(first.events)  # the version stored before is kept, whole
    assert stored == {first.article.id, second.article.id}  # type: ignore[union-attr]
    assert len(reasons) == 1 and "ConstraintException" in reasons[0]


def test_a_copy_of_a_refused_article_is_stored_as_an_article(
    pipeline, store_path: Path, corpus: list[Article]
) -> None:
    original = dataclasses.replace(corpus[0], id="refused", title=BAD_TITLE)
    copy = dataclasses.replace(corpus[0], id="its-copy")  # the same text: an exact copy
    with Store(store_path) as store:
        summary = ingest([original, copy, corpus[1]], store, pipeline, batch_size=8)
        stored = store.stored_ids(["refused", "its-copy", corpus[1].id])
        copies = count(store, "article_copies")
    assert stored == {"its-copy", corpus[1].id} and copies == 0
    assert (summary.coded, summary.errors, summary.copies) == (2, 1, 0)


def test_a_copy_the_store_refuses_costs_only_itself(
    pipeline, store_path: Path, corpus: list[Article]
) -> None:
    copies = [
        dataclasses.replace(corpus[0], id="copy-1"),
        dataclasses.replace(corpus[0], id="copy-2", title=BAD_TITLE),
        dataclasses.replace(corpus[0], id="copy-3"),
    ]
    with Store(store_path) as store:
        summary = ingest([corpus[0], *copies], store, pipeline, batch_size=8)
        recorded = store.copy_ids(c.id for c in copies)
        reasons = [e["reason"] for e in store.errors()]
    assert recorded == {"copy-1", "copy-3"}
    assert (summary.coded, summary.copies, summary.errors) == (1, 2, 1)
    assert reasons[0].startswith(f"the store refused copy of {corpus[0].id} copy-2: ")


def test_a_batch_the_coder_fails_on_is_coded_again_record_by_record(
    pipeline, corpus: list[Article]
) -> None:
    records = corpus[:3]

    def code(batch):  # as a parse that crashes on one text would
        batch = list(batch)
        if records[1] in batch:
            raise RuntimeError("the parser failed")
        return pipeline.pipe(batch)

    results = list(per_record(code)(records))
    assert [type(r) for r in results] == [CodedArticle, ReadError, CodedArticle]
    assert results[1].stage == "code"  # type: ignore[union-attr]
    assert results[1].reason == "RuntimeError: the parser failed"  # type: ignore[union-attr]


SCRIPT = """
import dataclasses, json, sys
import newsevents as ne
from newsevents.model import Article
from newsevents.read.inputs import read_inputs

articles = [r for r in read_inputs([sys.argv[1]]) if isinstance(r, Article)]
bad = dataclasses.replace(articles[0], id="refused", title="UTF-8 cannot hold \\ud800")
copy = dataclasses.replace(articles[0], id="copy-of-refused")
with ne.Store(sys.argv[2]) as store:
    summary = ne.ingest([bad, copy, *articles[1:]], store, ne.Settings(), batch_size=8, workers=2)
print(json.dumps(dataclasses.asdict(summary)))
"""


def test_a_run_on_workers_stores_everything_but_the_record_the_store_refuses(
    tmp_path: Path, corpus: list[Article]
) -> None:
    db = tmp_path / "events.duckdb"
    command = [sys.executable, "-c", SCRIPT, str(CORPUS), str(db)]
    done = subprocess.run(command, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert (summary["coded"], summary["errors"], summary["copies"]) == (len(corpus), 1, 0)
    with Store(db, read_only=True) as store:
        stored = store.stored_ids(["refused", "copy-of-refused", *(a.id for a in corpus)])
        errors = store.errors()
    assert stored == {"copy-of-refused", *(a.id for a in corpus[1:])}
    assert [e["stage"] for e in errors] == ["store"]
    assert errors[0]["reason"].startswith("the store refused article refused: ")


# --- a full disk, for real: a small tmpfs ------------------------------------------------------

FULL = re.compile(
    r"Error: the disk is full writing to (.+?): .*No space left on device.*; the (\d+) "
    r"article\(s\) committed before are kept \(run the same command again to go on\)"
)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 512 KiB tmpfs, mounted for the test (skipped where mounting is not permitted)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_disk_ends_the_run_with_a_message_and_keeps_what_was_committed(
    tmp_path_factory: pytest.TempPathFactory, small_disk: Path
) -> None:
    inputs, reference, total = reference_run(tmp_path_factory)
    db = small_disk / "events.duckdb"
    command = ingest_command(inputs, db, "--workers", "1")
    full = subprocess.run(command, capture_output=True, text=True)
    assert full.returncode == 1, full.stderr
    assert "Traceback" not in full.stderr and "Exception" not in full.stderr.split(":")[0]
    assert len(full.stderr.strip().splitlines()) == 1, full.stderr
    said = FULL.fullmatch(full.stderr.strip())
    assert said is not None, full.stderr
    assert said.group(1) == str(db)
    assert 0 < int(said.group(2)) == articles_in(db) < total  # kept, and readable
    again = subprocess.run(command, capture_output=True, text=True)  # still full
    assert again.returncode == 1 and again.stderr.startswith("Error: the disk is full "), again
    assert articles_in(db) == int(said.group(2))
    subprocess.run(["mount", "-o", "remount,size=16m", str(small_disk)], check=True)
    resumed = subprocess.run(command, capture_output=True, text=True)
    assert resumed.returncode == 3, resumed.stderr  # the 5 bad records, as ever
    assert table_contents(db) == table_contents(reference)


def test_a_store_on_a_full_disk_says_so(small_disk: Path) -> None:
    with (small_disk / "filler").open("wb", buffering=0) as filler, pytest.raises(OSError):
        while filler.write(b"\0" * 4096):
            continue
    with pytest.raises(StoreFullError, match="^the disk is full opening ") as failure:
        Store(small_disk / "events.duckdb").close()
    assert "No space left on device" in str(failure.value)
