"""The confidence stage: every event gets a probability from documented evidence."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from newsevents.coding.confidence import (
    FEATURES,
    ConfidenceModel,
    entry_key,
    features,
)
from newsevents.errors import DictionaryError
from newsevents.output import event_dict
from tests.conftest import code_text


def test_every_event_carries_a_confidence_and_its_evidence(pipeline) -> None:
    coded = code_text(pipeline, "Japan imposed new sanctions on Russia on Friday.")
    [event] = coded.events
    assert 0.0 < event.confidence < 1.0
    assert event.evidence, "the features that moved the score are kept"
    assert {name for name, _ in event.evidence} <= set(FEATURES)
    assert event_dict(event)["confidence"] == event.confidence


def test_a_coded_dyad_scores_above_the_same_event_without_actors(pipeline) -> None:
    dyad = code_text(pipeline, "Japan imposed new sanctions on Russia on Friday.").events[0]
    bare = code_text(pipeline, "New sanctions were imposed on Friday.").events
    if bare:  # the engine may well emit nothing for it: then there is nothing to compare
        assert bare[0].confidence < dyad.confidence


def test_a_sports_context_is_part_of_the_evidence(pipeline) -> None:
    model = pipeline.confidence.model
    politics = "Kenyan police detained dozens of opposition supporters in Nairobi on Monday."
    sport = (
        "Kenyan police detained dozens of football fans after the league match at the stadium "
        "in Nairobi on Monday."
    )
    [doc_a, doc_b] = [pipeline.parser(text) for text in (politics, sport)]
    [a] = code_text(pipeline, politics).events[:1]
    [b] = code_text(pipeline, sport).events[:1]
    assert features(a, doc_a, model)["sport_context"] == 0.0
    values = features(b, doc_b, model)
    assert values["sport_context"] == 1.0
    without = dict(values, sport_context=0.0)
    gap = math.log(model.score(values)[0] / (1 - model.score(values)[0]))
    gap -= math.log(model.score(without)[0] / (1 - model.score(without)[0]))
    assert gap == pytest.approx(model.weights["sport_context"], abs=1e-6)


def test_the_score_is_a_logistic_model_of_the_features() -> None:
    model = ConfidenceModel(
        intercept=0.0,
        weights={name: (2.0 if name == "source_coded" else 0.0) for name in FEATURES},
        root_records={},
        entry_records={},
        context_words={},
        threshold=0.5,
    )
    low, _ = model.score({"source_coded": 0.0})
    high, evidence = model.score({"source_coded": 1.0})
    assert low == pytest.approx(0.5)
    assert high == pytest.approx(1 / (1 + 2.718281828**-2), rel=1e-6)
    assert evidence == (("source_coded", 2.0),)


def test_an_unknown_feature_in_the_model_file_is_an_error_with_its_file(tmp_path: Path) -> None:
    path = tmp_path / "confidence.yaml"
    path.write_text("threshold: 0.3\nweights:\n  sunshine: 1.0\n", encoding="utf-8")
    with pytest.raises(DictionaryError, match="sunshine") as caught:
        ConfidenceModel.load(path)
    assert str(path) in str(caught.value)


def test_a_model_file_that_is_not_a_mapping_is_an_error_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "confidence.yaml"
    path.write_text("# comment\n- just\n- a list\n", encoding="utf-8")
    with pytest.raises(DictionaryError, match=r":2"):
        ConfidenceModel.load(path)


def test_entry_records_are_keyed_by_entry_not_by_line() -> None:
    assert entry_key("verbs.yaml:812 impose-sanctions") == "verbs.yaml impose-sanctions"
    assert entry_key("verbs.yaml:9 sanction") == entry_key("verbs.yaml:812 sanction")
    assert entry_key("petrarch") == "petrarch"


def test_the_built_in_model_is_fitted_and_has_a_threshold() -> None:
    model = ConfidenceModel.load()
    assert 0.0 < model.threshold < 1.0
    assert any(weight != 0.0 for weight in model.weights.values())
    assert model.context_words["sport"] and model.context_words["crime"]
