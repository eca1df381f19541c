"""The spaCy component: ``nlp.add_pipe("newsevents")`` sets ``doc._.events``."""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import subprocess
import sys

import pytest
import spacy

from newsevents.coding.spacy_component import NewsEventsComponent
from tests.conftest import triples

TEXT = (
    "Japan imposed new sanctions on Russia on Friday. "
    "Russian President Vladimir Putin met Japanese Prime Minister Shinzo Abe in Tokyo."
)


@pytest.fixture(scope="module")
def nlp():
    """A blank English pipeline with the component, made by its factory (the coder is built
    once, here)."""
    blank = spacy.blank("en")
    component = blank.add_pipe("newsevents")
    assert isinstance(component, NewsEventsComponent)
    return blank


def test_events_equal_the_pipeline_s(pipeline, nlp) -> None:
    doc = nlp(TEXT)
    coded = pipeline(f"Title\n\n{TEXT}")
    assert (
        {(e.code, e.source.code, e.target.code) for e in doc._.events}
        == triples(coded)
        == {
            ("163", "JPN", "RUS"),
            ("040", "RUSGOV", "JPNGOV"),
        }
    )


def test_spans_point_into_the_doc(nlp) -> None:
    doc = nlp(TEXT)
    sanction = next(e for e in doc._.events if e.code == "163")
    assert doc.char_span(sanction.trigger.start, sanction.trigger.end).text == "sanctions"
    assert doc.char_span(sanction.source.span.start, sanction.source.span.end).text == "Japan"
    assert doc.text[sanction.target.span.start : sanction.target.span.end] == "Russia"


def test_published_date_resolves_weekdays(nlp) -> None:
    doc = nlp.make_doc(TEXT)
    doc._.published = dt.date(2016, 12, 3)  # a Saturday
    doc = nlp.get_pipe("newsevents")(doc)
    sanction = next(e for e in doc._.events if e.code == "163")
    assert sanction.date.value == "2016-12-02"
    assert nlp(TEXT)._.published is None


def test_pipe_codes_every_doc(nlp) -> None:
    texts = ["Putin met Abe in Tokyo.", "", "The weather was mild.", TEXT]
    docs = list(nlp.pipe(texts, batch_size=3))
    assert [len(d._.events) for d in docs] == [1, 0, 0, 2]
    assert [d.text for d in docs] == texts


def test_factory_is_an_entry_point() -> None:
    points = importlib.metadata.entry_points(group="spacy_factories")
    assert [p.value for p in points if p.name == "newsevents"] == [
        "newsevents.coding.spacy_component:make_newsevents"
    ]


def test_add_pipe_in_a_fresh_interpreter() -> None:
    """spaCy finds the factory through the entry point, without importing newsevents first."""
    code = (
        "import spacy\n"
        "nlp = spacy.blank('en')\n"
        "nlp.add_pipe('newsevents')\n"
        "doc = nlp('Japan imposed new sanctions on Russia.')\n"
        "print([(e.code, e.source.code, e.target.code) for e in doc._.events])\n"
        "print(nlp.pipe_names)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["[('163', 'JPN', 'RUS')]", "['newsevents']"]
