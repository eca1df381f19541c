"""Who said what: direct quotes (straight, curly, spanning sentences, partial) and indirect
speech, attributed through the speech verb. The sentences are our own."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsevents import Store, ingest, read_inputs
from newsevents.cli.main import cli
from newsevents.coding.quotes import SpeechVerbs, quotation_marks
from newsevents.errors import DictionaryError
from tests.conftest import code_text

LAVROV = "Russian Foreign Minister Sergey Lavrov met Japanese Foreign Minister Fumio Kishida. "


def quotes_of(pipeline, body: str) -> list[tuple]:
    coded = code_text(pipeline, body)
    return [
        (q.text, q.speaker.code if q.speaker else None, q.verb, q.sentence_index, q.direct)
        for q in coded.quotes
    ]


def direct(rows: list[tuple]) -> list[tuple]:
    return [r for r in rows if r[4]]


def test_quote_before_the_speech_verb(pipeline) -> None:
    rows = quotes_of(
        pipeline, LAVROV + '"We will not give up our position," Lavrov told reporters.'
    )
    assert direct(rows) == [("We will not give up our position", "RUSGOV", "told", 1, True)]


def test_curly_quotes_around_the_speaker(pipeline) -> None:
    body = LAVROV + "“The talks were frank,” Kishida said, “and both sides listened.”"
    rows = direct(quotes_of(pipeline, body))
    assert rows == [
        ("The talks were frank", "JPNGOV", "said", 1, True),
        ("and both sides listened.", "JPNGOV", "said", 1, True),
    ]


def test_quote_after_the_speech_verb_spanning_sentences(pipeline) -> None:
    body = LAVROV + 'Lavrov said: "The meeting was useful. We will meet again soon."'
    rows = direct(quotes_of(pipeline, body))
    assert rows == [("The meeting was useful. We will meet again soon.", "RUSGOV", "said", 1, True)]


def test_a_quote_continuing_in_the_next_sentence_keeps_its_speaker(pipeline) -> None:
    body = LAVROV + '"We are ready to talk," he added. "But Tokyo must make the next move."'
    rows = direct(quotes_of(pipeline, body))
    assert rows == [
        ("We are ready to talk", "RUSGOV", "added", 1, True),
        ("But Tokyo must make the next move.", "RUSGOV", "added", 2, True),
    ]


def test_partial_quote_inside_a_sentence(pipeline) -> None:
    body = LAVROV + 'Kishida called the meeting "useful and frank" but gave no details.'
    assert direct(quotes_of(pipeline, body)) == [("useful and frank", "JPNGOV", "called", 1, True)]


def test_scare_quotes_are_not_speech(pipeline) -> None:
    body = LAVROV + 'Lavrov said the so-called "Northern Territories" were Russian land.'
    rows = quotes_of(pipeline, body)
    assert direct(rows) == []
    assert rows == [
        ('the so-called "Northern Territories" were Russian land', "RUSGOV", "said", 1, False)
    ]


def test_indirect_speech_with_that(pipeline) -> None:
    rows = quotes_of(
        pipeline, LAVROV + "Lavrov said that Moscow was ready to continue the dialogue."
    )
    assert rows == [("Moscow was ready to continue the dialogue", "RUSGOV", "said", 1, False)]


def test_indirect_speech_before_the_verb(pipeline) -> None:
    rows = quotes_of(pipeline, LAVROV + "Moscow is interested in a settlement, Lavrov said.")
    assert rows == [("Moscow is interested in a settlement", "RUSGOV", "said", 1, False)]


def test_indirect_speech_takes_the_subject_of_the_governing_verb(pipeline) -> None:
    body = LAVROV + "He promised to continue the work, saying Moscow wanted a treaty."
    assert quotes_of(pipeline, body) == [("Moscow wanted a treaty", "RUSGOV", "saying", 1, False)]


def test_an_unresolved_speaker_is_kept_as_none(pipeline) -> None:
    rows = quotes_of(pipeline, 'An old fisherman said: "The boats stay in port today."')
    assert rows == [("The boats stay in port today.", None, "said", 0, True)]


def test_quotation_marks_pair_within_a_paragraph() -> None:
    text = 'He said "yes" and "no".\nAn unclosed "quote here\nand "another one".'
    found = [text[m.start : m.end] for m in quotation_marks(text)]
    assert found == ["yes", "no", "another one"]


def test_quote_spans_point_into_the_text(pipeline) -> None:
    coded = code_text(
        pipeline, LAVROV + '"We will not give up our position," Lavrov told reporters.'
    )
    for quote in coded.quotes:
        assert coded.article.text[quote.span.start : quote.span.end] == quote.text


def test_speech_verbs_with_particles(tmp_path: Path) -> None:
    path = tmp_path / "speech.yaml"
    path.write_text("speech_verbs: [say, point out]\n", encoding="utf-8")
    verbs = SpeechVerbs.load(path)
    assert verbs.lemmas == frozenset({"say"})
    assert verbs.particles == {"point": frozenset({"out"})}


def test_a_bad_speech_verb_file_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "speech.yaml"
    path.write_text("speech_verbs:\n  - say\n  - [tell]\n", encoding="utf-8")
    with pytest.raises(DictionaryError, match=r"speech.yaml:3: bad word in 'speech_verbs'"):
        SpeechVerbs.load(path)


# --- the seed, the store and the command ----------------------------------------------------

SEED_QUOTE = (
    "We have touched upon in detail the peace treaty issue...It is not easy to bring together "
    "our stances, and the issue is difficult"
)


@pytest.fixture(scope="module")
def seed(pipeline, seed_text):
    return pipeline(seed_text)


def test_seed_lavrov_quote_is_attributed(seed) -> None:
    (quote,) = [q for q in seed.quotes if q.direct]
    assert quote.text == SEED_QUOTE
    assert (quote.speaker.code, quote.speaker.name) == ("RUSGOV", "Sergey Lavrov")
    assert (quote.verb, quote.sentence_index) == ("told", 2)


def test_seed_indirect_speech(seed) -> None:
    indirect = {(q.sentence_index, q.speaker.code, q.verb) for q in seed.quotes if not q.direct}
    assert {(0, "RUSGOV", "said"), (3, "RUSGOV", "saying"), (5, "JPNGOV", "said")} <= indirect
    (moscow,) = [q for q in seed.quotes if q.verb == "saying"]
    assert moscow.text == "Moscow is interested in solving the issue"


@pytest.fixture(scope="module")
def seed_db(pipeline, seed_text, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("quotes") / "seed.duckdb"
    seed_file = path.parent / "seed.txt"
    seed_file.write_text(seed_text, encoding="utf-8")
    with Store(path) as store:
        ingest(read_inputs([seed_file], debris=pipeline.debris), store, pipeline)
    return path


def test_quotes_are_stored_once(pipeline, seed, seed_db: Path) -> None:
    with Store(seed_db) as store:
        rows = store.quotes()
        store.write([seed])  # writing the article again replaces its quotes
        again = store.quotes()
    assert len(rows) == len(seed.quotes) == len(again)
    assert [r["id"] for r in rows] == [r["id"] for r in again]


def test_quotes_command_by_speaker(seed_db: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(
        cli, ["quotes", "--db", str(seed_db), "--speaker", "RUSGOV", "--format", "jsonl"]
    )
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert rows and {r["speaker_code"] for r in rows} == {"RUSGOV"}
    (told,) = [r for r in rows if r["direct"]]
    assert (told["text"], told["verb"], told["speaker_name"]) == (
        SEED_QUOTE,
        "told",
        "Sergey Lavrov",
    )
    assert told["published"] == "2016-12-03"
    table = runner.invoke(cli, ["quotes", "--db", str(seed_db), "--speaker", "JPN"])
    assert table.exit_code == 0
    assert table.output.splitlines()[0].split() == [
        "published",
        "speaker",
        "name",
        "verb",
        "direct",
        "text",
    ]
    assert "JPNGOV" in table.output and "RUSGOV" not in table.output
