"""The verb dictionary and framing table: coverage, validation with file:line, and every entry's
own example sentences (written by us) firing that entry."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsevents.codebook import Codebook
from newsevents.coding.events import KEEP_CODE, Framing, VerbDictionary
from newsevents.dictionaries import data_path
from newsevents.errors import DictionaryError
from tests.conftest import code_text

CODEBOOK = Codebook.load()
VERBS = VerbDictionary.load((), CODEBOOK)
FRAMING = Framing.load(codebook=CODEBOOK)


def test_dictionary_covers_every_root_and_200_codes() -> None:
    codes = {entry.code for entry in VERBS.entries}
    assert {code[:2] for code in codes} == {f"{n:02d}" for n in range(1, 21)}
    assert len(codes) >= 200
    assert all(code in CODEBOOK for code in codes)


def test_every_entry_has_an_example_and_a_unique_id() -> None:
    ids = [entry.id for entry in VERBS.entries]
    assert len(ids) == len(set(ids))
    assert [entry.id for entry in VERBS.entries if not entry.examples] == []


def test_framing_codes_are_in_the_codebook() -> None:
    for frame in FRAMING.frames.values():
        assert dict(frame.codes)[""]  # every frame has a default row
        assert all(code in CODEBOOK or code == KEEP_CODE for _, code in frame.codes)
    assert FRAMING.modal_frames == {"must": "demand", "should": "appeal", "ought": "appeal"}
    assert {"hold", "launch", "impose", "carry"} <= FRAMING.light_verbs


def test_frames_pick_the_longest_prefix() -> None:
    intent, refusal = FRAMING.frames["intent"], FRAMING.frames["refusal"]
    assert intent.code_for("0841") == ("0353", "084")
    assert intent.code_for("190") == ("1384", "190")
    assert intent.code_for("042") == ("036", "04")
    assert refusal.code_for("057") == ("127", "057")
    assert refusal.code_for("20") == ("120", "")
    # a code outside the codebook (a user's PETRARCH code) is kept: the table says nothing on it
    assert refusal.code_for("999") == ("999", "kept: outside the codebook")


def _fired(coded, rule: str) -> bool:
    """Whether an event cites the entry: alone, or as a part of a framed or merged event."""
    return any(
        e.rule == rule or e.rule.startswith(rule + " ") or f" + {rule} " in e.rule
        for e in coded.events
    )


@pytest.mark.parametrize("entry", VERBS.entries, ids=[e.id for e in VERBS.entries])
def test_entry_examples_fire_the_entry(pipeline, entry) -> None:
    for example in entry.examples:
        coded = code_text(pipeline, example)
        rules = [(e.code, e.rule) for e in coded.events]
        assert _fired(coded, entry.rule), f"{example!r} -> {rules}"


# --- validation with file:line ------------------------------------------------------------


def _load(tmp_path: Path, text: str, name: str = "mine.yaml") -> VerbDictionary:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return VerbDictionary.load([path], CODEBOOK)


def test_bad_yaml_names_file_and_line(tmp_path: Path) -> None:
    text = '- id: fine\n  code: "042"\n  lemma: visit\n- id: broken\n  code: [042\n'
    with pytest.raises(DictionaryError, match=r"mine\.yaml:6: invalid YAML"):
        _load(tmp_path, text)


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ('  code: "042"\n  lemma: visit\n  frame: nonsense\n', "unknown frame 'nonsense'"),
        ('  code: "042"\n  lemma: [pay visit]\n', "each 'lemma' must be a single word"),
        ('  code: "042"\n  lemma: visit\n  voice: middle\n', "'voice' must be active or passive"),
        ('  code: "042"\n  lemma: visit\n  governer: pay\n', r"unknown field\(s\): governer"),
        ('  code: "0423"\n  lemma: visit\n', "code '0423' is not in the codebook"),
        ("  code: 42\n  lemma: visit\n", "'code' must be a quoted CAMEO code"),
    ],
)
def test_bad_entries_name_file_and_line(tmp_path: Path, entry: str, message: str) -> None:
    text = '# our additions\n- id: good\n  code: "043"\n  lemma: host\n\n- id: bad\n' + entry
    with pytest.raises(DictionaryError, match=rf"mine\.yaml:6: {message}"):
        _load(tmp_path, text)


def test_a_user_file_overrides_an_entry_by_id(tmp_path: Path) -> None:
    verbs = _load(tmp_path, '- id: visit\n  code: "043"\n  lemma: [visit, tour]\n')
    (entry,) = [e for e in verbs.entries if e.id == "visit"]
    assert (entry.code, entry.rule) == ("043", "mine.yaml:1 visit")


def test_bad_framing_names_file_and_line(tmp_path: Path) -> None:
    good = data_path("framing.yaml").read_text(encoding="utf-8")
    path = tmp_path / "framing.yaml"
    path.write_text(good.replace('      "04": "036"', '      "04": "0399"'), encoding="utf-8")
    line = next(n for n, t in enumerate(path.read_text().splitlines(), 1) if '"0399"' in t)
    with pytest.raises(DictionaryError, match=rf"framing\.yaml:{line}: code '0399'"):
        Framing.load(path, CODEBOOK)
    path.write_text("light_verbs: [hold]\nframes:\n  intent:\n    target: [nowhere]\n")
    with pytest.raises(DictionaryError, match=r"framing\.yaml:4: 'target' must list"):
        Framing.load(path, CODEBOOK)
    path.write_text(
        'light_verbs: [hold]\nframes:\n  x:\n    target: [frame]\n    codes:\n      "04": "036"\n'
    )
    with pytest.raises(DictionaryError, match=r'framing\.yaml:3: a frame needs a default "" row'):
        Framing.load(path, CODEBOOK)


def test_root_policies_are_read_from_framing() -> None:
    roots = FRAMING.roots
    assert (roots.statement, roots.violent) == ({"01", "02"}, {"18", "19", "20"})
    assert roots.state_source == {"17", "18", "19", "20"}
    assert roots.one_sided == {"01", "02", "14", "15", "17", "18", "20"}
    assert roots.own_force == {"03", "07", "08", "13", "15", "16"}


def test_bad_root_policies_name_file_and_line(tmp_path: Path) -> None:
    good = data_path("framing.yaml").read_text(encoding="utf-8")
    path = tmp_path / "framing.yaml"
    cases = [
        ("  violent: 18", "'violent' must list two-digit CAMEO roots"),
        ('  violent: ["18", "19", "21"]', "'violent' must list two-digit CAMEO roots"),
        ('  violence: ["18", "19", "20"]', "unknown root rule 'violence'"),
    ]
    for bad, message in cases:
        text = good.replace('  violent: ["18", "19", "20"]', bad)
        path.write_text(text, encoding="utf-8")
        line = next(n for n, t in enumerate(text.splitlines(), 1) if t == bad)
        with pytest.raises(DictionaryError, match=rf"framing\.yaml:{line}: {message}"):
            Framing.load(path, CODEBOOK)
    path.write_text(good.replace('  own_force: ["03", "07", "08", "13", "15", "16"]\n', ""))
    with pytest.raises(DictionaryError, match=r"framing\.yaml:\d+: 'roots' lacks own_force"):
        Framing.load(path, CODEBOOK)


def test_a_root_policy_changes_the_coding(pipeline, tmp_path: Path) -> None:
    """The policies are data: without root 17 in ``state_source`` an agentless arrest is no
    longer the act of the state where it happened."""
    from newsevents.coding.events import EventCoder, ModalityWords

    good = data_path("framing.yaml").read_text(encoding="utf-8")
    path = tmp_path / "framing.yaml"
    path.write_text(good.replace('state_source: ["17", ', "state_source: ["), encoding="utf-8")
    text = "Two journalists were arrested in Kenya on Friday."
    doc = pipeline.parser(text)
    actors = pipeline.actors(doc, None)
    framings = [pipeline.events.framing, Framing.load(path, CODEBOOK)]
    coders = [
        EventCoder(pipeline.events.verbs, CODEBOOK, ModalityWords.load(), f) for f in framings
    ]
    coded = [[(e.code, e.source and e.source.code) for e in c(doc, actors, "a")] for c in coders]
    assert coded == [[("173", "KEN")], [("173", None)]]
