"""Loading data files: the built-in ones are valid; bad entries fail with file:line."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsevents.coding.actors import ActorDictionary, load_user_actors
from newsevents.coding.events import ModalityWords, VerbDictionary, parse_verb_entry
from newsevents.dictionaries import read_tsv, read_yaml_entries
from newsevents.errors import DictionaryError


def words(text: str) -> list[str]:
    return text.split()


def test_builtin_actor_dictionary_loads_and_knows_the_basics() -> None:
    dictionary = ActorDictionary.load(words)
    phrases = dictionary.phrases
    assert phrases[("russia",)].code == "RUS"
    assert phrases[("japanese",)].kind == "demonym" and phrases[("japanese",)].country == "JPN"
    assert phrases[("moscow",)].code == "RUSGOV"
    assert phrases[("kremlin",)].code == "RUSGOV"
    assert phrases[("foreign", "minister")].role == "GOV"
    assert len({e.country for e in phrases.values() if e.kind == "country"}) >= 240


def test_office_holders_are_date_restricted() -> None:
    import datetime as dt

    dictionary = ActorDictionary.load(words)
    kishida_2016 = dictionary.office_holder("Kishida", dt.date(2016, 12, 3))
    assert kishida_2016 is not None and kishida_2016.code.startswith("JPN")
    assert dictionary.office_holder("Kishida", dt.date(2005, 1, 1)) is None


def test_tsv_errors_name_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.tsv"
    path.write_text("# comment\nphrase\tcode\nok\tRUS\n\ttoo\tmany\tcells\n")
    with pytest.raises(DictionaryError, match=r"bad\.tsv:4: 4 cells but the header has 2"):
        list(read_tsv(path, ["phrase", "code"]))
    path.write_text("phrase\tcode\n\tRUS\n")
    with pytest.raises(DictionaryError, match=r"bad\.tsv:2: column 'phrase' is empty"):
        list(read_tsv(path, ["phrase", "code"]))
    path.write_text("word\tcode\n")
    with pytest.raises(DictionaryError, match=r"bad\.tsv:1: header lacks column\(s\) phrase"):
        list(read_tsv(path, ["phrase", "code"]))


def test_user_actor_file_checks_codes(tmp_path: Path) -> None:
    path = tmp_path / "mine.tsv"
    path.write_text("phrase\tcode\tstart\tend\nGondor army\tGONMIL\t\t\nDenethor\tGONgov\t\t\n")
    with pytest.raises(DictionaryError, match=r"mine\.tsv:3: actor code 'GONgov'"):
        load_user_actors(path, {})
    path.write_text("phrase\tcode\tstart\tend\nDenethor\tGONGOV\t2016-13-01\t\n")
    with pytest.raises(
        DictionaryError, match=r"mine\.tsv:2: start '2016-13-01' is not a YYYY-MM-DD"
    ):
        load_user_actors(path, {})


def test_user_actor_file_layers_over_builtin(pipeline, tmp_path: Path) -> None:
    from newsevents import Pipeline, Settings

    path = tmp_path / "fiction.tsv"
    path.write_text("phrase\tcode\nGondor\tGON\nMordor\tMOR\n")
    layered = Pipeline(Settings(dictionaries=(path,), framed_acts=True))
    coded = layered("T\nTest Wire, May 6, 2016\nGondor accused Mordor of a raid.")
    assert [(e.code, e.source.code, e.target and e.target.code) for e in coded.events] == [
        ("1123", "GON", "MOR"),
        ("190", "MOR", None),  # the alleged raid is the accused's
    ]


def test_verb_entry_validation(tmp_path: Path) -> None:
    path = tmp_path / "verbs.yaml"

    def entry(**fields):
        return parse_verb_entry(fields, path, 7)

    assert entry(id="x", code="042", lemma="visit").lemmas == frozenset({"visit"})
    with pytest.raises(DictionaryError, match=r"verbs\.yaml:7: 'code' must be a quoted CAMEO code"):
        entry(id="x", code=42, lemma="visit")
    with pytest.raises(DictionaryError, match=r"verbs\.yaml:7: unknown field\(s\): lemmas"):
        entry(id="x", code="042", lemmas="visit")
    with pytest.raises(DictionaryError, match=r"verbs\.yaml:7: 'pos' must be among"):
        entry(id="x", code="042", lemma="visit", pos="ADV")


def test_yaml_entries_carry_their_line(tmp_path: Path) -> None:
    path = tmp_path / "v.yaml"
    path.write_text(
        '# c\n- id: a\n  code: "042"\n  lemma: visit\n\n- id: b\n  code: "043"\n  lemma: host\n'
    )
    assert [line for line, _ in read_yaml_entries(path)] == [2, 6]
    path.write_text("- id: a\n  code: [\n")
    with pytest.raises(DictionaryError, match=r"v\.yaml:\d+: invalid YAML"):
        read_yaml_entries(path)


def test_user_verb_file_must_use_codebook_codes(tmp_path: Path) -> None:
    from newsevents.codebook import Codebook

    path = tmp_path / "mine.yaml"
    path.write_text('- id: mine\n  code: "0999"\n  lemma: frobnicate\n')
    with pytest.raises(DictionaryError, match=r"mine\.yaml:1: code '0999' is not in the codebook"):
        VerbDictionary.load([path], Codebook.load())


def test_modality_words_load() -> None:
    words_ = ModalityWords.load()
    assert "no" in words_.negators and "will" in words_.future_auxiliaries
    assert "refuse" in words_.negating_governors
