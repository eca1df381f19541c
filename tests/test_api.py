"""The Python API as the documentation shows it: the README's and docs/analysis.md's sessions
run as doctests, the Store's keyword filters, and the HTML records render in Jupyter."""

from __future__ import annotations

import dataclasses
import datetime as dt
import doctest
import io
import re
from pathlib import Path

import pytest

import newsevents as ne
from newsevents.model import Actor, CodedArticle, Event, EventDate, Span
from newsevents.notebook import article_html, event_html, highlighted_sentence
from tests.conftest import CORPUS, ROOT


def section(text: str, name: str) -> str:
    start = text.index(f"<!-- section: {name} -->")
    return text[start : text.index(f"<!-- end: {name} -->", start)]


def sessions(text: str) -> str:
    """The ```pycon blocks of a Markdown text, one after the other."""
    return "\n".join(re.findall(r"```pycon\n(.*?)```", text, re.S))


def run_session(text: str, name: str, workdir: Path, monkeypatch) -> int:
    monkeypatch.chdir(workdir)
    (workdir / "examples").symlink_to(ROOT / "examples")
    test = doctest.DocTestParser().get_doctest(text, {}, name, name, 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    report = io.StringIO()
    runner.run(test, out=report.write)
    assert runner.failures == 0, report.getvalue()
    return runner.tries


def test_readme_python_session(tmp_path: Path, monkeypatch) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    tries = run_session(sessions(section(readme, "python-api")), "README", tmp_path, monkeypatch)
    assert tries >= 15
    assert (tmp_path / "rus-jpn.png").read_bytes()[:4] == b"\x89PNG"
    assert (tmp_path / "events.parquet").stat().st_size > 1000


def test_analysis_doc_python_session(tmp_path: Path, monkeypatch) -> None:
    text = (ROOT / "docs" / "analysis.md").read_text(encoding="utf-8")
    assert run_session(sessions(text), "docs/analysis.md", tmp_path, monkeypatch) >= 10
    assert len((tmp_path / "events.tsv").read_text().splitlines()) > 5


# --- the Store's keyword API --------------------------------------------------------------


@pytest.fixture(scope="module")
def store(pipeline, tmp_path_factory):
    path = tmp_path_factory.mktemp("api") / "events.duckdb"
    with ne.Store(path) as writable:
        ne.ingest(ne.read_inputs([CORPUS], debris=pipeline.debris), writable, pipeline)
    with ne.Store(path, read_only=True) as opened:
        yield opened


def test_keyword_filters_equal_an_event_query(store: ne.Store) -> None:
    query = ne.EventQuery(dyad=("RUS", "JPN"), since=dt.date(2016, 9, 1))
    assert store.events(dyad=("RUS", "JPN"), since="2016-09-01") == store.events(query)
    assert store.events(query, include_background=False) == [
        r for r in store.events(query) if not r["background"]
    ]
    with pytest.raises(ne.QueryError, match="unknown event filter"):
        store.events(colour="RUS")


def test_store_methods_delegate(store: ne.Store) -> None:
    timeline = store.timeline("RUS", "JPN", "year", directed=True)
    assert timeline == ne.dyad_timeline(store, "RUS", "JPN", "year", directed=True)
    assert timeline.directed and timeline.by == "year"
    network = store.network("code", min_events=2)
    assert network == ne.actor_network(store, "code", min_events=2)
    assert all(e.events >= 2 for e in network.edges)
    assert store.to_arrow(actor="PAK").num_rows == len(store.events(actor="PAK")) > 0


# --- HTML in Jupyter ----------------------------------------------------------------------

HOSTILE = 'Japan <script>alert("x")</script> imposed sanctions on Russia & co.'


def hostile_event(offset: int = 100) -> Event:
    """An event over a sentence full of markup, its spans at ``offset`` in the article."""

    def span(text: str) -> Span:
        start = HOSTILE.index(text)
        return Span(offset + start, offset + start + len(text), text)

    def actor(text: str, code: str) -> Actor:
        return Actor(text, text, code, code, None, span(text))

    return Event(
        id="e0",
        article_id="a0",
        code="163",
        name="Impose embargo, boycott, or sanctions",
        root_code="16",
        quad_class=4,
        penta_class=4,
        goldstein=-8.0,
        plover_event="COERCE",
        plover_mode=None,
        source=actor("Japan", "JPN"),
        target=actor("Russia", "RUS"),
        date=EventDate("2016-12-02", "day"),
        modality="asserted",
        is_root=True,
        location=None,
        sentence_index=0,
        sentence=HOSTILE,
        trigger=span("sanctions"),
        rule="verbs.yaml:1 test",
    )


def test_event_html_highlights_and_escapes() -> None:
    html = event_html(hostile_event())
    assert "<script>" not in html and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "Russia</mark> &amp; co." in html
    marks = re.findall(r'<mark class="ne-(\w+)"[^>]*>([^<]*)</mark>', html)
    assert marks == [("source", "Japan"), ("trigger", "sanctions"), ("target", "Russia")]
    assert hostile_event()._repr_html_() == html


def test_a_sentence_that_does_not_fit_its_spans_is_shown_plain() -> None:
    event = dataclasses.replace(hostile_event(), sentence="Something else entirely.")
    assert highlighted_sentence(event) == "Something else entirely."


def test_article_html_from_the_pipeline(pipeline) -> None:
    coded = pipeline(
        "Talks <b>and</b> sanctions\nTest Wire, December 3, 2016\n"
        "Japan imposed new sanctions on Russia on Friday. Putin met Abe in Tokyo."
    )
    html = coded._repr_html_()
    assert html == article_html(coded)
    assert "Talks &lt;b&gt;and&lt;/b&gt; sanctions" in html
    assert html.count("<tr>") == 1 + len(coded.events) == 3
    triggers = re.findall(r'<mark class="ne-trigger"[^>]*>([^<]*)</mark>', html)
    assert triggers == [e.trigger.text for e in coded.events] == ["sanctions", "met"]


def test_empty_article_html() -> None:
    article = ne.Article(id="a1", text="Nothing happened.")
    html = CodedArticle(article)._repr_html_()
    assert "0 event(s)" in html and "<tbody></tbody>" in html


def test_extract_takes_a_text_too_long_to_be_a_file_name(pipeline) -> None:
    """A multi-line text under 4,096 characters is coded as a text, not looked up as a path
    (a name over 255 bytes made ``Path.exists`` raise)."""
    body = "Japan imposed sanctions on Russia on Friday. " * 8
    text = f"Sanctions\nTest Wire, March 3, 2022\n\n{body}\n\n{body}"
    (article,) = ne.extract(text, pipeline)
    assert article.events and article.events[0].code == "163"


def test_extract_still_reads_a_file(pipeline, tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_text("Sanctions\nTest Wire, March 3, 2022\n\nJapan imposed sanctions on Russia.\n")
    (article,) = ne.extract(str(path), pipeline)
    assert [e.code for e in article.events] == ["163"]
