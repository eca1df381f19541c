"""The ``articles`` evaluator (docs/gold.md): matching rules on two small articles of our own
whose coding we know (exact counts), the gold reader, the CLI on gold/articles, and the peer
``real-articles`` set, which skips when ../shared/peer-data is absent."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

from newsevents.cli.main import cli
from newsevents.errors import EvaluationError
from newsevents.evaluate.articles import (
    UNLABELLED,
    ArticlesReport,
    Pair,
    assign,
    code_articles,
    confidence,
    party,
    read_gold_article,
    score_all,
)
from newsevents.evaluate.formats import FORMATS, evaluate, organization_kinds
from newsevents.model import Actor, Span
from tests.conftest import PEER_DATA, ROOT

HEADER = "Japan and Russia trade words\nTest Wire, May 3, 2023\n\n"
# What the coder emits (event number: code source->target, date, modality; the weather none):
# 0: 163 JPN->RUS 2023-05-02   1: 111 RUS->JPN   2: 130 CHN->JPN negated   3: 051 UNO->JPN
# 4: 163 JPN->RUS (the sanctions again)   5: 173 JPNCOP->JPNCVL (police, a crime story the
#    coder cannot tell from an arrest of political prisoners: no crime word says so)
# 6: 042 IND->JPN 2023-05-08 future   7: 190 RUS->JPN hypothetical
ARTICLE_A = HEADER + "\n\n".join(
    [
        "Japan imposed sanctions on Russia on Tuesday.",
        "Russia criticised Japan on Wednesday.",
        "The weather was pleasant in Tokyo.",
        "China did not threaten Japan.",
        "The United Nations praised Japan.",
        "Japan imposed sanctions on Russia again.",
        "Police arrested three men in Osaka.",
        "India will visit Japan next week.",
        "If Russia attacks Japan, prices will rise.",
    ]
)
TRAP_MODALITIES = ["negated", "future", "hypothetical"]
GOLD_A = {
    "about": "our own test article",
    "region": "east-asia",
    "article": {
        "source": "Test Wire",
        "published": "2023-05-03",
        "title_contains": "trade words",
    },
    "events": [
        {
            "id": "jpn-sanctions",
            "root": ["16"],
            "codes": ["163"],
            "src": "JPN",
            "tgt": "RUS",
            "date": "2023-05-02",
            "phenomena": ["relative-date"],
            "sentence_contains": "Japan imposed sanctions on Russia on Tuesday",
        },
        {
            "id": "rus-criticises",
            "root": ["11"],
            "src": "RUS",
            "tgt": ["KOR", "JPN"],
            "date": "2023-04",
            "phenomena": ["relative-date"],
            "sentence_contains": "Russia criticised Japan",
        },
        {
            "id": "un-praises",
            "root": ["05"],
            "src": "UNO",
            "tgt": "JPN",
            "phenomena": [],
            "sentence_contains": "The United Nations praised Japan",
        },
        {
            "id": "india-visit",
            "root": ["04"],
            "src": "IND",
            "tgt": "JPN",
            "date": "2023-05-08",
            "modality": ["future"],
            "phenomena": ["future"],
            "sentence_contains": "India will visit Japan next week",
        },
        {
            "id": "china-aid",
            "root": ["07"],
            "src": "CHN",
            "tgt": "JPN",
            "phenomena": ["negation"],
            "sentence_contains": "China did not threaten Japan",
        },
    ],
    "forbidden": [
        {
            "id": "no-threat",
            "codes_prefix": ["13"],
            "modality_not": TRAP_MODALITIES,
            "sentence_contains": "China did not threaten Japan",
            "phenomena": ["negation"],
        },
        {
            "id": "no-attack",
            "codes_prefix": ["18", "19"],
            "modality_not": TRAP_MODALITIES,
            "sentence_contains": "If Russia attacks Japan",
            "phenomena": ["conditional"],
        },
        {
            "id": "crime-not-coercion",
            "codes_prefix": ["17"],
            "modality_not": TRAP_MODALITIES,
            "sentence_contains": "Police arrested three men",
            "phenomena": ["crime"],
        },
    ],
    "no_event_sentences": [
        {"text": "The weather was pleasant in Tokyo.", "kind": "weather"},
        {"text": "Police arrested three men in Osaka", "kind": "crime"},
    ],
    # IND is left out on purpose: the visit's source then counts as a wrong country.
    "allowed_countries": ["JPN", "RUS", "CHN", "KOR", "UNO"],
}
# The peer set's form: no sentences named, no-event sentences as plain strings, no region.
# Coded: 0: 111 ISR->IRN 2023-05-01   2: 111 IRN->ISR   3: 173 IRNCOP->IRN   4: 163 -->IRN
ARTICLE_B = HEADER + "\n\n".join(
    [
        "Israel criticised Iran on Monday.",
        "The weather was cold in Tehran.",
        "Iran condemned Israel.",
        "Police arrested two men in Tehran.",
        "Sanctions were imposed on Iran on Monday.",
    ]
)
GOLD_B = {
    "about": "our own test article, peer style",
    "article": {"source": "Test Wire", "published": "2023-05-03", "title_contains": "Japan"},
    "events": [
        {"id": "criticism", "root": ["11"], "src": None, "tgt": "IRN", "date": "2023-05-01"},
        {"id": "counter", "root": ["11"], "src": "IRN", "tgt": "ISR"},
        {"id": "us-sanctions", "root": ["16"], "src": "USA", "tgt": "IRN"},
    ],
    "forbidden": [],
    "no_event_sentences": [
        "The weather was cold in Tehran",
        "Police arrested two men in Tehran",
    ],
    "allowed_countries": ["ISR", "IRN", "USA"],
}


def write_pair(folder: Path, name: str, text: str, gold: dict) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    path = folder / f"{name}.gold.json"
    path.write_text(json.dumps(gold), encoding="utf-8")
    return path


@pytest.fixture
def gold_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "gold"
    write_pair(folder, "01-japan-russia", ARTICLE_A, GOLD_A)
    write_pair(folder, "02-israel-iran", ARTICLE_B, GOLD_B)
    return folder


def figures(report: ArticlesReport) -> dict[str, tuple[int | None, int | None]]:
    return {m.name: (m.numerator, m.denominator) for m in report.metrics}


def outcomes(pipeline, path: Path):
    golds = [read_gold_article(path)]
    return score_all(golds, code_articles(pipeline, golds), organization_kinds())[0]


# --- matching on article A ------------------------------------------------------------------


def test_article_figures(pipeline, gold_folder: Path) -> None:
    report = evaluate(pipeline, gold_folder / "01-japan-russia.gold.json", "articles")
    assert (report.format, report.items) == ("articles", 1)
    got = figures(report)
    expected = {
        "event_recall": (4, 5),
        "precision": (5, 8),  # the repeated sanctions count; the police arrest does not
        "event_recall_root": (4, 5),
        "event_recall_dated": (2, 3),  # the criticism's gold date is 2023-04
        "event_recall_in_sentence": (4, 5),
        "event_recall_ignoring_codes": (4, 5),
        "modality_agreement": (1, 1),
        "known_false_share": (1, 8),
        "false_event_rate_asserted": (1, 2),
        "false_event_rate": (1, 2),
        "no_event_sentences_in_text": (2, 2),
        "trap_violation_rate": (1, 3),
        "missing_source_share": (0, 5),
        "missing_target_share": (0, 5),
        "emitted_missing_source_share": (0, 8),
        "emitted_missing_target_share": (0, 8),
        "wrong_country_share": (1, 16),
        "header_read": (1, 1),
    }
    assert {name: got[name] for name in expected} == expected
    assert report.metrics[0].name == "event_recall"
    assert round(report.metric("event_f1"), 3) == round(2 * 0.8 * 5 / 8 / (0.8 + 5 / 8), 3)


def test_each_gold_event_and_emitted_event(pipeline, gold_folder: Path) -> None:
    result = outcomes(pipeline, gold_folder / "01-japan-russia.gold.json")
    found = {
        g.gold.id: (g.found["event_recall"], g.found["event_recall_dated"]) for g in result.golds
    }
    assert found == {
        "jpn-sanctions": (True, True),
        "rus-criticises": (True, False),  # a list target; the date prefix differs
        "un-praises": (True, True),  # the UN actor's party is its organization code
        "india-visit": (True, True),
        "china-aid": (False, False),
    }
    accounted = [
        (e.emitted.event.code, e.accounted_by and e.accounted_by.id) for e in result.events
    ]
    assert accounted == [
        ("163", "jpn-sanctions"),
        ("111", "rus-criticises"),
        ("130", None),
        ("051", "un-praises"),
        ("163", "jpn-sanctions"),  # another sentence, same root, source and target
        ("173", None),
        ("042", "india-visit"),
        ("190", None),
    ]
    assert [t.violations for t in result.traps] == [0, 0, 1]  # negated and hypothetical pass
    assert [(n.sentence.kind, n.events, n.asserted) for n in result.no_events] == [
        ("weather", 0, 0),
        ("crime", 1, 1),
    ]


def test_misses_and_unaccounted_events_say_why(pipeline, gold_folder: Path) -> None:
    report = evaluate(pipeline, gold_folder / "01-japan-russia.gold.json", "articles")
    [miss] = report.misses
    file, _, entry = miss.rule.partition(" ")
    assert (miss.cause, file.partition(":")[0], entry, miss.article) == (
        "another code in its sentence",
        "verbs.yaml",  # the line moves as the dictionary grows; the entry does not
        "threaten",
        "01-japan-russia",
    )
    assert miss.gold.startswith("china-aid: 07 CHN->JPN")
    assert miss.predicted.startswith("130 ")
    assert [(m.predicted[:3], m.cause) for m in report.unaccounted] == [
        ("130", "another code than the gold event of its sentence"),
        ("173", "on a no-event sentence (crime)"),
        ("190", "on a trap sentence, in a code or modality the trap allows"),
    ]
    assert report.confusions[0].gold == "07" and report.confusions[0].predicted == "13"
    names = [b.name for b in report.breakdowns]
    assert "per phenomenon (gold events)" in names and "per no-event kind" in names
    kinds = {
        r.label: r.metrics[0].numerator
        for b in report.breakdowns
        for r in b.rows
        if b.name == "per no-event kind"
    }
    assert kinds == {"crime": 1, "weather": 0}


# --- article B: the peer set's form --------------------------------------------------------


def test_peer_form_null_source_and_plain_no_event_strings(pipeline, gold_folder: Path) -> None:
    path = gold_folder / "02-israel-iran.gold.json"
    gold = read_gold_article(path)
    assert [n.kind for n in gold.no_event] == [UNLABELLED, UNLABELLED]
    assert gold.events[0].src is None and gold.region is None
    got = figures(evaluate(pipeline, path, "articles"))
    expected = {
        "event_recall": (2, 3),  # the article's dyad gives the sanctions Israel; gold: USA
        "event_recall_root": (3, 3),  # no sentence named: root anywhere in the article
        "event_recall_dated": (1, 1),
        "precision": (2, 4),
        "false_event_rate": (1, 2),
        "missing_source_share": (0, 2),
        "missing_target_share": (0, 3),
        "emitted_missing_source_share": (0, 4),
        "emitted_missing_target_share": (0, 4),
        "trap_violation_rate": (0, 0),
    }
    assert {name: got[name] for name in expected} == expected


def test_folder_adds_up_its_articles(pipeline, gold_folder: Path) -> None:
    report = evaluate(pipeline, gold_folder, "articles")
    assert report.items == 2
    assert figures(report)["event_recall"] == (6, 8)
    assert figures(report)["precision"] == (7, 12)
    regions = next(b for b in report.breakdowns if b.name == "per region")
    assert [r.label for r in regions.rows] == ["(no region)", "east-asia"]
    assert figures(evaluate(pipeline, gold_folder, "articles", limit=1))["event_recall"] == (4, 5)


# --- the pieces -----------------------------------------------------------------------------


def _actor(code: str, country: str | None) -> Actor:
    return Actor(code, code, code, country, None, Span(0, 1, "x"))


def test_party_of_countries_and_international_bodies() -> None:
    organizations = organization_kinds()
    assert party(_actor("RUSGOV", "RUS"), organizations) == "RUS"
    assert party(_actor("UNO", None), organizations) == "UNO"
    assert party(_actor("HCRGOV", None), organizations) == "HCR"  # a UNHCR spokesman
    assert party(_actor("REB", None), organizations) is None
    assert party(None, organizations) is None


def _pair(event: int, gold: int, in_sentence: bool = True) -> Pair:
    return Pair(event, gold, True, True, True, True, True, True, True, in_sentence, event)


def test_assign_reroutes_so_no_gold_event_loses_its_only_match() -> None:
    # Gold 0 prefers emitted 0 (its sentence) but can take 1; gold 1 has only emitted 0.
    pairs = [_pair(0, 0), _pair(1, 0, in_sentence=False), _pair(0, 1, in_sentence=False)]
    found = assign(pairs, lambda p: p.code)
    assert {g: p.event for g, p in found.items()} == {0: 1, 1: 0}
    assert {g: p.event for g, p in assign(pairs[:2], lambda p: p.code).items()} == {0: 0}


def test_confidence_is_optional() -> None:
    assert confidence(SimpleNamespace(confidence=0.25), 0.5) == 0.25
    assert confidence(SimpleNamespace(confidence=None), 0.5) == 0.5
    assert confidence(SimpleNamespace(), 0.5) == 0.5


def test_min_confidence_figures(pipeline, gold_folder: Path) -> None:
    report = evaluate(
        pipeline, gold_folder / "01-japan-russia.gold.json", "articles", min_confidence=0.5
    )
    got = figures(report)
    assert report.metric("min_confidence") == 0.5
    assert got["confidence_scored"][1] == got["precision"][1]  # every emitted event
    # Events without a confidence are kept, so the figures can only drop below the headline.
    assert got["event_recall_at_confidence"][0] <= got["event_recall"][0]
    assert got["precision_at_confidence"][1] <= got["precision"][1]


def test_reader_names_what_is_wrong(tmp_path: Path) -> None:
    with pytest.raises(EvaluationError, match="its article 01-x.txt is missing"):
        read_gold_article(_json_file(tmp_path, "01-x.gold.json", GOLD_B))
    write_pair(
        tmp_path, "02-y", ARTICLE_B, {**GOLD_B, "events": [{"id": "a", "root": ["11"], "src": 3}]}
    )
    with pytest.raises(EvaluationError, match=r"events\[0\]: expected a string or a list"):
        read_gold_article(tmp_path / "02-y.gold.json")
    with pytest.raises(EvaluationError, match="not a gold article JSON"):
        read_gold_article(_json_file(tmp_path, "03-z.gold.json", None, raw="{"))
    with pytest.raises(EvaluationError, match="no \\*.gold.json files"):
        evaluate(None, _empty(tmp_path / "empty"), "articles")  # type: ignore[arg-type]


def _json_file(folder: Path, name: str, data: object, raw: str | None = None) -> Path:
    path = folder / name
    path.write_text(raw if raw is not None else json.dumps(data), encoding="utf-8")
    return path


def _empty(folder: Path) -> Path:
    folder.mkdir()
    return folder


def test_only_the_articles_format_takes_a_folder(gold_folder: Path) -> None:
    assert FORMATS["articles"] == "newsevents.evaluate.articles:evaluate"
    with pytest.raises(EvaluationError, match="no such gold file"):
        evaluate(None, gold_folder, "conflibert")  # type: ignore[arg-type]
    result = CliRunner().invoke(
        cli, ["evaluate", str(gold_folder), "--format", "plover", "--min-confidence", "0.5"]
    )
    assert (
        result.exit_code == 2 and "--min-confidence applies to --format articles" in result.output
    )


# --- the gold sets --------------------------------------------------------------------------


@pytest.fixture
def shared_pipeline(pipeline, monkeypatch):
    """The CLI with the session's pipeline (loading the model once more costs seconds)."""
    monkeypatch.setattr("newsevents.cli.evaluate._pipeline", lambda dictionaries: pipeline)


def test_cli_on_our_gold_articles(shared_pipeline) -> None:
    result = CliRunner().invoke(
        cli, ["evaluate", str(ROOT / "gold" / "articles"), "--format", "articles"]
    )
    assert result.exit_code == 0, result.output
    assert "44 gold item(s)" in result.output
    for name in (
        "event_recall ",
        "precision ",
        "false_event_rate_asserted",
        "missing_source_share",
    ):
        assert f"\n{name}" in result.output, name
    assert "per phenomenon (gold events):" in result.output
    assert "gold events missed:" in result.output


def test_peer_real_articles(shared_pipeline) -> None:
    folder = PEER_DATA / "real-articles"
    if not folder.is_dir():
        pytest.skip(f"{folder} is not present")
    result = CliRunner().invoke(cli, ["evaluate", str(folder), "--format", "articles", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    got = {m["name"]: (m["numerator"], m["denominator"]) for m in data["metrics"]}
    assert data["items"] == 10
    assert got["event_recall"][1] == 77 and got["false_event_rate"][1] == 17
    assert got["trap_violation_rate"][1] == 11
    assert got["event_recall"][0] > 0 and got["header_read"] == (10, 10)
