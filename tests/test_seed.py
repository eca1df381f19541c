"""The wire story this project started from, coded end to end (issue 2's acceptance)."""

from __future__ import annotations

import datetime as dt

import pytest


@pytest.fixture(scope="module")
def seed(pipeline, seed_text):
    return pipeline(seed_text)


def find(coded, code_prefix: str, trigger: str):
    found = [
        e for e in coded.events if e.code.startswith(code_prefix) and e.trigger.text == trigger
    ]
    assert found, f"no {code_prefix}x event triggered by {trigger!r}"
    return found[0]


def test_article_metadata(seed) -> None:
    article = seed.article
    assert article.source == "Xinhua"
    assert article.published == dt.date(2016, 12, 3)
    assert article.title.startswith("No high expectations for immediate progress")
    assert "Adjust font size" not in article.text
    assert article.warnings == ("truncated text at the end was not coded: 'Endi'",)


def test_lavrov_pessimistic_comment(seed) -> None:
    event = find(seed, "012", "said")
    assert event.sentence_index == 0
    assert (event.source.code, event.target.country) == ("RUSGOV", "JPN")
    assert event.source.text == "Russian Foreign Minister Sergey Lavrov"
    assert (event.date.value, event.date.precision) == ("2016-12-03", "day")
    assert event.modality == "asserted"
    assert event.is_root


def test_lavrov_kishida_meeting(seed) -> None:
    event = find(seed, "04", "meeting")
    assert event.sentence_index == 1
    assert event.source.code == "RUSGOV" and event.source.text == "Lavrov"
    assert event.target.code == "JPNGOV"
    assert event.date.value == "2016-12-03"


def test_putin_visit_to_japan_is_future(seed) -> None:
    event = [e for e in seed.events if e.code == "042" and e.sentence_index == 1][0]
    assert (event.source.country, event.target.country) == ("RUS", "JPN")
    assert event.source.name == "Vladimir Putin"
    assert (event.date.value, event.date.precision) == ("2016-12-15", "day")
    assert event.modality == "future"


def test_abe_visit_to_sochi_in_may(seed) -> None:
    event = [e for e in seed.events if e.code == "042" and e.sentence_index == 4][0]
    assert (event.source.code, event.target.country) == ("JPNGOV", "RUS")
    assert (event.date.value, event.date.precision) == ("2016-05", "month")
    assert event.location.name == "Sochi" and event.location.country == "RUS"
    assert event.modality == "asserted"


def test_abe_meets_putin_in_vladivostok_in_september(seed) -> None:
    (event,) = [
        e
        for e in seed.events
        if e.code.startswith("04") and e.code != "042" and e.sentence_index == 4
    ]
    assert event.source.code == "JPNGOV" and event.source.text == "his"
    assert event.target.code == "RUSGOV" and event.target.text == "Putin"
    assert event.target.name == "Vladimir Putin"
    assert event.target.resolved_from.text == "Russian President Vladimir Putin"
    assert (event.date.value, event.date.precision) == ("2016-09", "month")
    assert event.location.name == "Vladivostok"


def test_japan_sanctions_against_russia(seed) -> None:
    event = find(seed, "163", "sanctions")
    assert (event.source.country, event.target.country) == ("JPN", "RUS")


def test_japan_refused_to_sign(seed) -> None:
    event = find(seed, "12", "refused")
    assert event.source.code == "JPN"
    assert event.modality == "asserted"


def test_no_asserted_signing_of_a_treaty(seed) -> None:
    signings = [e for e in seed.events if e.code == "057"]
    assert signings, "the negated signings are still coded"
    assert {e.modality for e in signings} == {"negated"}
    recent = {(e.source.code, e.target.code) for e in signings if e.sentence_index == 6}
    assert recent == {("RUS", "JPN"), ("JPN", "RUS")}  # each on the other, never on itself


def test_every_event_explains_itself(seed) -> None:
    text = seed.article.text
    for event in seed.events:
        assert text[event.trigger.start : event.trigger.end] == event.trigger.text
        assert event.rule.startswith("verbs.yaml:")
        for actor in (event.source, event.target):
            if actor is not None:
                assert text[actor.span.start : actor.span.end] == actor.text
        assert event.sentence in text
