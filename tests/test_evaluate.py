"""The evaluate library and command on tiny gold files of our own sentences (exact metrics), and
smoke runs on the peer data sets, which skip when ../shared/peer-data is absent."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsevents.cli.main import cli
from newsevents.errors import EvaluationError
from newsevents.evaluate.formats import (
    CONFLIBERT_PENTA,
    FORMATS,
    EvaluationReport,
    GoldSpan,
    conflibert_task,
    evaluate,
    evaluator,
    gold_spans,
    read_class_tsv,
    read_conll,
    read_plover_gsr,
    score_spans,
)
from tests.conftest import PEER_DATA

CLASS_TSV = (
    "Japan imposed sanctions on Russia.\t3\n"
    "Russia said it would cooperate with Japan on energy.\t1\n"
    "The United States sent aid to Haiti after the storm.\t2\n"
    "India accused Pakistan of violating the ceasefire.\t3\n"
    "The weather was pleasant in Tokyo.\t0\n"
    "Militants killed three villagers in Mali.\t4\n"
    "The French president said relations with Germany were excellent.\t4\n"
)
NER_TXT = (
    "Japan B-S\nimposed O\nsanctions O\non O\nRussia B-T\n. O\n\n"
    "Russia B-R\nand O\nJapan B-R\nmet O\nin O\nMoscow O\n. O\n\n"
    "The B-S\nrebels I-S\nattacked O\nthe B-T\narmy I-T\n. O\n\n"
    "Iran B-S\ncriticised O\nthe B-T\nplan I-T\n. O\n"
)
GSR = [
    {"id": "DOC-1", "event": "DOCUMENT", "comment": "our own test records"},
    {
        "id": "T-1",
        "event": "DEMAND",
        "text": "Israel demanded the release of the soldiers from Hamas.",
        "source": [{"actorText": "Israel", "code": "ISR"}],
        "target": [{"actorText": "Hamas", "code": "PSE"}],
    },
    {
        "id": "T-2",
        "event": "AGREE",
        "text": "Russia said it would cooperate with Japan on energy.",
        "source": [{"actorText": "Russia", "code": "RUS"}],
        "target": [{"actorText": "Japan", "code": "JPN"}],
    },
    {
        "id": "T-3",
        "event": "CONSULT",
        "text": "The Indian prime minister visited Bangladesh on Saturday.",
        "source": [{"actorText": "Indian", "code": "IND"}],
        "target": [{"actorText": "Bangladesh", "code": "BGD"}],
    },
    {
        "id": "T-4",
        "event": "PROTEST",
        "text": "The weather was pleasant in Tokyo.",
        "source": [{"actorText": "Tokyo", "code": "JPN"}],
        "target": "",
    },
    {
        "id": "T-5",
        "event": "SUPPORT",
        "text": "The United Nations praised Colombia for the peace deal.",
        "source": [{"actorText": "United Nations", "code": "IGO"}],
        "target": [{"actorText": "Colombia", "code": "COL"}],
    },
    {"id": "T-6", "event": "FIGHT", "text": "Militants killed three villagers in Mali."},
]


@pytest.fixture
def gold(tmp_path: Path) -> dict[str, Path]:
    files = {
        "class": tmp_path / "class.tsv",
        "ner": tmp_path / "ner.txt",
        "plover": tmp_path / "gsr.json",
    }
    files["class"].write_text(CLASS_TSV, encoding="utf-8")
    files["ner"].write_text(NER_TXT, encoding="utf-8")
    files["plover"].write_text(json.dumps(GSR), encoding="utf-8")
    return files


def metrics(report: EvaluationReport) -> dict[str, tuple[float, int | None, int | None]]:
    return {m.name: (round(m.value, 3), m.numerator, m.denominator) for m in report.metrics}


# --- penta classes --------------------------------------------------------------------------


def test_penta_class_report(pipeline, gold) -> None:
    report = evaluate(pipeline, gold["class"], "conflibert")
    assert (report.format, report.task, report.items) == ("conflibert", "penta class", 7)
    assert metrics(report) == {
        "accuracy": (0.714, 5, 7),
        "macro_f1": (0.733, None, None),
        "coverage": (0.857, 6, 7),
        "codebook_accuracy": (0.571, 4, 7),  # 163 is class 4 in the codebook, 3 in the data
    }
    by_label = {s.label: (s.precision, s.recall, round(s.f1, 3), s.support) for s in report.labels}
    assert by_label == {
        "0": (0.0, 0.0, 0.0, 1),
        "1": (1.0, 1.0, 1.0, 1),
        "2": (1.0, 1.0, 1.0, 1),
        "3": (1.0, 1.0, 1.0, 2),
        "4": (1.0, 0.5, 0.667, 2),
    }
    assert [(c.gold, c.predicted, c.count) for c in report.confusions] == [
        ("0", "none", 1),
        ("4", "0", 1),
    ]
    assert [(m.gold, m.predicted) for m in report.misses] == [
        ("0", "none"),
        ("4", "0 (010 Make statement, not specified below)"),
    ]
    assert report.misses[1].rule.endswith(" say")


def test_conflibert_penta_convention_covers_every_root() -> None:
    assert sorted(CONFLIBERT_PENTA) == [f"{n:02d}" for n in range(1, 21)]
    assert (CONFLIBERT_PENTA["09"], CONFLIBERT_PENTA["16"]) == ("3", "3")
    assert (CONFLIBERT_PENTA["14"], CONFLIBERT_PENTA["15"]) == ("4", "4")


def test_limit_scores_only_the_first_items(pipeline, gold) -> None:
    report = evaluate(pipeline, gold["class"], "conflibert", limit=2)
    assert report.items == 2
    assert metrics(report)["accuracy"] == (1.0, 2, 2)


# --- spans ----------------------------------------------------------------------------------


def test_span_report(pipeline, gold) -> None:
    report = evaluate(pipeline, gold["ner"], "conflibert")
    assert (report.task, report.items) == ("source and target spans", 4)
    assert metrics(report) == {
        "source_precision": (1.0, 5, 5),
        "source_recall": (1.0, 5, 5),
        "source_f1": (1.0, None, None),
        "target_precision": (1.0, 4, 4),
        "target_recall": (0.667, 2, 3),
        "target_f1": (0.8, None, None),
    }
    assert [m.text for m in report.misses] == ["Iran criticised the plan."]
    assert report.misses[0].gold == "S: Iran; T: the plan"


def test_gold_spans_and_reciprocal_matching() -> None:
    spans = gold_spans(["B-R", "I-R", "O", "B-R", "O", "I-T", "B-S"])
    assert spans == [
        GoldSpan("R", frozenset({0, 1})),
        GoldSpan("R", frozenset({3})),
        GoldSpan("T", frozenset({5})),
        GoldSpan("S", frozenset({6})),
    ]
    source, target = score_spans(spans[:2], [frozenset({1})], [frozenset({3})])
    assert (source.predicted_matched, source.gold, source.gold_matched) == (1, 1, 1)
    assert (target.predicted_matched, target.gold, target.gold_matched) == (1, 1, 1)
    source, target = score_spans(spans[:2], [], [])  # unmatched: first R source, second target
    assert (source.gold, target.gold) == (1, 1)


# --- PLOVER ---------------------------------------------------------------------------------


def test_plover_report(pipeline, gold) -> None:
    report = evaluate(pipeline, gold["plover"], "plover")
    assert report.items == 6  # the DOCUMENT record is skipped
    assert metrics(report) == {
        "category_accuracy": (0.833, 5, 6),
        "macro_f1": (0.833, None, None),
        "coverage": (0.833, 5, 6),
        "source_country_accuracy": (0.8, 4, 5),  # the UN counts as IGO
        "target_country_accuracy": (1.0, 4, 4),
    }
    # PLOVER 0.5 names (DEMAND, FIGHT) are compared under their 2021 names
    assert {s.label for s in report.labels} == {
        "AGREE",
        "ASSAULT",
        "CONSULT",
        "PROTEST",
        "REQUEST",
        "SUPPORT",
    }
    assert [(c.gold, c.predicted, c.count) for c in report.confusions] == [("PROTEST", "none", 1)]


# --- readers, registry, errors -----------------------------------------------------------------


def test_format_is_told_by_shape(gold, tmp_path: Path) -> None:
    assert conflibert_task(gold["class"]) == "class"
    assert conflibert_task(gold["ner"]) == "ner"
    junk = tmp_path / "junk.txt"
    junk.write_text("just one line of prose\n", encoding="utf-8")
    with pytest.raises(EvaluationError, match="neither a ConfliBERT cameo_class file"):
        conflibert_task(junk)


def test_readers_name_the_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.tsv"
    path.write_text("Japan imposed sanctions.\t3\nRussia visited Japan.\t7\n", encoding="utf-8")
    with pytest.raises(EvaluationError, match=r"bad\.tsv:2: expected 'sentence<TAB>label'"):
        read_class_tsv(path)
    path.write_text("Japan B-S\nimposed X-Y\n", encoding="utf-8")
    with pytest.raises(EvaluationError, match=r"bad\.tsv:2: expected 'token tag'"):
        read_conll(path)
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(EvaluationError, match="not a PLOVER gold-standard JSON array"):
        read_plover_gsr(path)


def test_registry_imports_lazily_and_explains_a_missing_module() -> None:
    assert FORMATS["petrarch"] == "newsevents.evaluate.petrarch:evaluate"
    assert callable(evaluator("conflibert"))
    with pytest.raises(EvaluationError, match="unknown gold format 'acled'"):
        evaluator("acled")
    fake = {"future": "newsevents.no_such_evaluator:evaluate"}
    with pytest.raises(EvaluationError, match="'future' evaluator .* is not installed"):
        evaluator("future", fake)


# --- the command ------------------------------------------------------------------------------


def test_cli_prints_text_and_json(gold) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["evaluate", str(gold["class"]), "--format", "conflibert"])
    assert result.exit_code == 0, result.output
    assert "accuracy           0.714  5/7" in result.output
    assert "worst confusions (gold -> predicted):" in result.output
    assert "- The weather was pleasant in Tokyo." in result.output
    result = runner.invoke(
        cli, ["evaluate", str(gold["plover"]), "--format", "plover", "--json", "--limit", "3"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["format"], data["items"]) == ("plover", 3)
    assert data["metrics"][0] == {
        "name": "category_accuracy",
        "value": 1.0,
        "numerator": 3,
        "denominator": 3,
    }


def test_cli_rejects_an_unknown_format(gold) -> None:
    result = CliRunner().invoke(cli, ["evaluate", str(gold["class"]), "--format", "acled"])
    assert result.exit_code == 2
    assert "Invalid value for '--format'" in result.output


# --- the peer data sets (skip when absent) ------------------------------------------------------

CONFLIBERT = PEER_DATA / "ConfliBERT" / "data"
PLOVER_GSR = PEER_DATA / "PLOVER" / "gold_standard_records" / "PLOVER_GSR_CAMEO.txt"


def _peer(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is not present")
    return path


def test_conflibert_classes_smoke(pipeline) -> None:
    report = evaluate(
        pipeline, _peer(CONFLIBERT / "cameo_class" / "train.tsv"), "conflibert", limit=60
    )
    assert report.items == 60
    assert [m.name for m in report.metrics] == [
        "accuracy",
        "macro_f1",
        "coverage",
        "codebook_accuracy",
    ]
    assert report.metric("coverage") > 0.8
    assert len(report.misses) <= 10


def test_conflibert_spans_smoke(pipeline) -> None:
    report = evaluate(
        pipeline, _peer(CONFLIBERT / "cameo_ner" / "train.txt"), "conflibert", limit=40
    )
    assert report.items == 40
    assert report.metric("source_precision") > 0.7


def test_plover_smoke(pipeline) -> None:
    report = evaluate(pipeline, _peer(PLOVER_GSR), "plover", limit=40)
    assert report.items == 40
    assert report.metric("coverage") > 0.8


@pytest.fixture(scope="module")
def pipeline_without_actor_requirement():
    """A pipeline that keeps a sentence's principal event with no coded actor (require="none")."""
    from newsevents.coding.pipeline import Pipeline, Settings

    return Pipeline(Settings(require="none"))


@pytest.mark.parametrize(
    ("gold", "fmt", "require", "floors"),
    [
        (  # issue 3's class targets are about the event classifier: every sentence of this set
            # holds an event, but in about 4% of them no dictionary or rule finds its actors
            # (unknown names, missed arguments), so they are measured with require="none"
            # (docs/accuracy.md, "Precision in the engine")
            CONFLIBERT / "cameo_class" / "train.tsv",
            "conflibert",
            "none",
            {"macro_f1": 0.75, "coverage": 0.95},
        ),
        (  # the default (require="actor") drops the sentences whose event has no coded actor
            CONFLIBERT / "cameo_class" / "train.tsv",
            "conflibert",
            "actor",
            {"macro_f1": 0.75, "coverage": 0.90},
        ),
        (
            CONFLIBERT / "cameo_ner" / "train.txt",
            "conflibert",
            "actor",
            {"source_f1": 0.80, "target_f1": 0.75},  # issue 4's (issue 3's: 0.75 and 0.70)
        ),
        (
            PLOVER_GSR,
            "plover",
            "actor",
            {  # issue 4's country targets (issue 3's: source 0.80)
                "category_accuracy": 0.70,
                "source_country_accuracy": 0.85,
                "target_country_accuracy": 0.85,
            },
        ),
    ],
    ids=["cameo_class", "cameo_class_default", "cameo_ner", "plover"],
)
def test_issue_targets_on_the_whole_gold_file(
    request, gold: Path, fmt: str, require: str, floors: dict[str, float]
) -> None:
    """The accuracy targets of issues 3 and 4 (the README's "How accurate is it" table) on the whole
    file: a change that loses one fails here, not only in the published figures."""
    fixture = "pipeline" if require == "actor" else "pipeline_without_actor_requirement"
    report = evaluate(request.getfixturevalue(fixture), _peer(gold), fmt)
    for name, floor in floors.items():
        assert report.metric(name) >= floor, name
