"""Shared fixtures. The real spaCy model and dictionaries load once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
PEER_DATA = SHARED / "peer-data"
SEED = SHARED / "seed" / "000_6710d531d508fff3.txt"
CORPUS = ROOT / "examples" / "corpus"


CHROMIUM = Path("/usr/bin/chromium")
"""Debian's chromium (``make chromium``); the browser tests never download one."""
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium for the browser tests, one per test module."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def pipeline():
    from newsevents import Pipeline

    return Pipeline()


@pytest.fixture(scope="session")
def pipeline_with_framed_acts():
    """A pipeline that also keeps the acts a frame folds as events of their own."""
    from newsevents import Pipeline, Settings

    return Pipeline(Settings(framed_acts=True))


@pytest.fixture(scope="session")
def corpus_db(pipeline, tmp_path_factory) -> Path:
    """The example corpus ingested once into a store, for tests that only read it."""
    from newsevents import Store, ingest, read_inputs

    path = tmp_path_factory.mktemp("corpus") / "corpus.duckdb"
    with Store(path) as store:
        summary = ingest(read_inputs([CORPUS], debris=pipeline.debris), store, pipeline)
    assert summary.coded == 21
    return path


@pytest.fixture(scope="session")
def seed_text() -> str:
    if not SEED.exists():
        pytest.skip("the seed article (../shared/seed) is not present")
    return SEED.read_text(encoding="utf-8")


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "events.duckdb"


def code_text(pipeline, body: str, published: str = "2016-12-03"):
    """Code a body of text as an article published on ``published`` (our test articles)."""
    text = f"Test article\nTest Wire, {_long_date(published)}\n{body}"
    return pipeline(text)


def _long_date(iso: str) -> str:
    import datetime as dt

    day = dt.date.fromisoformat(iso)
    return f"{day:%B} {day.day}, {day.year}"


def codings(pipeline, body: str, published: str = "2016-12-03"):
    """(code, source code, target code, is it the sentence's principal event) for each event of
    a body of text, in order."""
    return [
        (
            e.code,
            e.source.code if e.source else None,
            e.target.code if e.target else None,
            e.is_root,
        )
        for e in code_text(pipeline, body, published).events
    ]


def triples(coded) -> set[tuple[str, str | None, str | None]]:
    """(code, source code, target code) for each event."""
    return {
        (e.code, e.source.code if e.source else None, e.target.code if e.target else None)
        for e in coded.events
    }
