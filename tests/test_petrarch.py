"""PETRARCH/TABARI dictionaries as input: readers, file:line problems, the verb mapping, the
pipeline and CLI with ``--dictionary``, and the ``petrarch`` evaluator.

The dictionary files here are written for these tests (made-up places and codes in the
PETRARCH text formats); the peer unit-test records are only read, and skipped when absent.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsevents.coding.petrarch import (
    PETRARCH_TARGET_SLOTS,
    codes_on,
    dictionary_format,
    plural,
    read_actors,
    read_agents,
    read_discards,
    read_verbs,
    sequence_texts,
    verb_entries,
)
from newsevents.errors import DictionaryError
from tests.conftest import PEER_DATA

ACTORS = """\
<!-- made-up actors for the tests -->
# a comment line
VALORIA [VAL]
+VALORIAN
+THE_VALE_KINGDOM   # a synonym with a comment

NORTH_MARCH  [NMR]
ESTRIN_  [EST] # pas 1 Jan 2000

ODO_BRANN
\t[VALGOV 20100101-20141231]
\t[VALELI >20150101]
\t[VALCVL <20100101]

TWIN_CITIES [VAL/EST]
GHOST_TOWN [---]
BROKEN_ENTRY [VAL 2015-01]
NO_CODE_HERE
"""

AGENTS = """\
!PERSON! = MAN, MEN, WOMAN, WOMEN
DELEGATE [~GOV]
HARBOUR_GUARD {} [~MIL]
CITY_COUNCIL {CITY_COUNCILS} [~LEG]
STATE_RADIO [~GOVMED]
RELIEF_GROUP [NGO~]
COUNCIL!PERSON! [~LEG]
NO_TILDE [GOV]
"""

VERBS = """\
<!-- made-up verbs for the tests -->
&MONEY
+CROWNS
+SILVER MARKS

--- PRAISE [051] ---
PRAISE
- * COURAGE [052]
- NOT * [111]
- SAID * [023]
- * FOR &MONEY [061]
- * TO RECONSIDER [100]
- * $ WITH + [1234]

--- VISIT [042:043] ---
VISIT
+STOP_BY {+STOPPED_BY}
- * IN + [042]

--- IGNORE [---] ---
IGNORE
- * WARNINGS [120]
- QUIETLY * [130]
--- BROKEN [04X?] ---
BROKEN
- * THING [042]
"""

DISCARDS = """\
+SPORTS FINAL
FOOTBALL MATCH
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- readers ---------------------------------------------------------------------------------


def test_actor_file_reads_synonyms_codes_and_date_restrictions(tmp_path: Path) -> None:
    parsed = read_actors(write(tmp_path, "made.actors.txt", ACTORS))
    by_phrase = {p: a for a in parsed.actors for p in a.phrases}
    valoria = by_phrase[("valoria",)]
    assert valoria.phrases == (("valoria",), ("valorian",), ("the", "vale", "kingdom"))
    assert valoria.codes_on(None) == ("VAL",)
    assert valoria.rule == "made.actors.txt:3"
    assert by_phrase[("estrin",)].codes_on(None) == ("EST",)
    odo = by_phrase[("odo", "brann")]
    assert odo.codes_on(dt.date(2012, 6, 1)) == ("VALGOV",)
    assert odo.codes_on(dt.date(2016, 6, 1)) == ("VALELI",)
    assert odo.codes_on(dt.date(2009, 12, 31)) == ("VALCVL",)
    assert odo.codes_on(None) == ("VALELI",)
    assert by_phrase[("twin", "cities")].codes_on(None) == ("VAL", "EST")
    assert by_phrase[("ghost", "town")].codes_on(None) == ()
    assert [str(p) for p in parsed.problems] == [
        f"{tmp_path / 'made.actors.txt'}:17: bad code [VAL 2015-01]: expected CODE, "
        "CODE <DATE, CODE >DATE or CODE DATE-DATE",
        f"{tmp_path / 'made.actors.txt'}:17: actor has no [CODE]",
        f"{tmp_path / 'made.actors.txt'}:18: actor has no [CODE]",
    ]


def test_six_digit_dates_pivot_at_thirty(tmp_path: Path) -> None:
    path = write(tmp_path, "d.actors.txt", "OLD_KING\n\t[VALGOV 751201-051130]\n")
    [actor] = read_actors(path).actors
    assert (actor.codes[0].start, actor.codes[0].end) == (
        dt.date(1975, 12, 1),
        dt.date(2005, 11, 30),
    )
    assert codes_on(actor.codes, dt.date(1990, 1, 1)) == ("VALGOV",)


def test_a_file_without_entries_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(DictionaryError, match=r"empty\.actors\.txt: no actor entries"):
        read_actors(write(tmp_path, "empty.actors.txt", "# nothing\n"))


def test_agent_file_expands_substitutions_and_plurals(tmp_path: Path) -> None:
    parsed = read_agents(write(tmp_path, "made.agents.txt", AGENTS))
    by_code = {a.code: a for a in parsed.agents}
    assert by_code["GOV"].phrases == (("delegate",), ("delegates",))
    assert by_code["MIL"].phrases == (("harbour", "guard"),)
    assert by_code["GOVMED"].phrases == (("state", "radio"), ("state", "radios"))
    assert by_code["NGO"].prefix is True and by_code["GOV"].prefix is False
    council = [a for a in parsed.agents if a.rule == "made.agents.txt:7"][0]
    assert ("councilman",) in council.phrases and ("councilwomen",) in council.phrases
    assert [p.line for p in parsed.problems] == [8]
    assert "needs one '~'" in parsed.problems[0].message


@pytest.mark.parametrize(
    ("word", "expected"),
    [("delegate", "delegates"), ("authority", "authorities"), ("boss", "bosses"), ("day", "days")],
)
def test_plural(word: str, expected: str) -> None:
    assert plural(word) == expected


def test_verb_file_reads_blocks_synsets_and_patterns(tmp_path: Path) -> None:
    parsed = read_verbs(write(tmp_path, "made.verbs.txt", VERBS))
    assert [b.name for b in parsed.blocks] == ["PRAISE", "VISIT", "IGNORE"]
    assert parsed.expand("&MONEY") == (("crowns",), ("silver", "marks"))
    praise = parsed.blocks[0]
    assert praise.code == "051"
    assert [(p.pre, p.post, p.code) for p in praise.patterns][:2] == [
        ((), ("courage",), "052"),
        (("not",), (), "111"),
    ]
    visit = parsed.blocks[1]
    assert [(f.word, f.after) for f in visit.forms] == [("visit", ()), ("stop", ("by",))]
    assert [(p.line, p.message) for p in parsed.problems] == [(24, "bad event code [04X?]")]


def test_discard_file(tmp_path: Path) -> None:
    parsed = read_discards(write(tmp_path, "made.discards.txt", DISCARDS))
    assert [(d.words, d.story) for d in parsed.discards] == [
        (("sports", "final"), True),
        (("football", "match"), False),
    ]


def test_format_by_name_then_by_content(tmp_path: Path) -> None:
    assert dictionary_format(write(tmp_path, "x.actors.txt", ACTORS)) == "actors"
    assert dictionary_format(write(tmp_path, "mine.txt", VERBS)) == "verbs"
    assert dictionary_format(write(tmp_path, "roles.txt", AGENTS)) == "agents"
    assert dictionary_format(write(tmp_path, "who.txt", "VALORIA [VAL]\n")) == "actors"
    with pytest.raises(DictionaryError, match="cannot tell which PETRARCH dictionary"):
        dictionary_format(write(tmp_path, "notes.txt", "just words\n"))


# --- mapping verbs onto the engine -----------------------------------------------------------


def simple_lemma(word: str, pos: str) -> str:
    return {"said": "say", "stopped": "stop"}.get(word, word)


def test_verb_patterns_map_to_engine_constraints(tmp_path: Path) -> None:
    parsed = read_verbs(write(tmp_path, "made.verbs.txt", VERBS))
    known = {"051", "052", "111", "023", "061", "100", "042", "043", "120"}.__contains__
    mapping = verb_entries(parsed, known, simple_lemma, lambda w: w in {"said"})
    by_rule = {e.rule: e for e in mapping.entries}
    courage = by_rule["made.verbs.txt:8 PRAISE"]
    assert (courage.code, courage.objects, courage.lemmas) == (
        "052",
        frozenset({"courage"}),
        frozenset({"praise"}),
    )
    assert courage.target == PETRARCH_TARGET_SLOTS
    assert by_rule["made.verbs.txt:9 PRAISE"].negated is True
    assert by_rule["made.verbs.txt:10 PRAISE"].governors == frozenset({"say"})
    money = by_rule["made.verbs.txt:11 PRAISE"]
    assert money.particle == "for"
    assert money.objects == frozenset({"crowns", "silver marks"})
    assert by_rule["made.verbs.txt:12 PRAISE"].xcomps == frozenset({"reconsider"})
    visit_in = by_rule["made.verbs.txt:18 VISIT"]
    assert (visit_in.particle, visit_in.target) == ("in", ("in",))
    stop_by = by_rule["made.verbs.txt:17 VISIT"]
    assert (stop_by.lemmas, stop_by.particle, stop_by.code) == (frozenset({"stop"}), "by", "042")
    assert by_rule["made.verbs.txt:7 PRAISE"].objects == frozenset()
    assert "made.verbs.txt:22 IGNORE" in by_rule  # null block code, but its pattern has a code
    # a code outside the codebook is kept as written, and noted
    outside = by_rule["made.verbs.txt:13 PRAISE"]
    assert (outside.code, outside.kind, outside.particle) == ("1234", "event", "with")
    notes = {p.rule: p.notes for p in mapping.patterns}
    assert notes["made.verbs.txt:13 PRAISE"] == (
        "code 1234 is not in the CAMEO codebook: kept as written",
    )
    assert mapping.outside_codebook == frozenset({"1234", "130"})
    # [042:043]: the second code is the target's side of the act
    visit = by_rule["made.verbs.txt:16 VISIT"]
    assert (visit.code, visit.reverse_code) == ("042", "043")
    # [---]: an entry that codes nothing, so the verb alone is no event
    ignore = by_rule["made.verbs.txt:21 IGNORE"]
    assert (ignore.kind, ignore.code, ignore.reverse_code) == ("null", "---", None)
    quietly = by_rule["made.verbs.txt:23 IGNORE"]
    assert (quietly.code, quietly.preceding) == ("130", frozenset({"quietly"}))
    # the words after the verb also become a word-order entry
    word_order = by_rule["made.verbs.txt:8 PRAISE (word order)"]
    assert (word_order.code, word_order.following, word_order.objects) == (
        "052",
        frozenset({"courage"}),
        frozenset(),
    )
    assert by_rule["made.verbs.txt:11 PRAISE (word order)"].following == frozenset(
        {"for crowns", "for silver_marks"}
    )
    # the block's patterns also hold for its phrasal verb STOP_BY
    assert [e.particle for e in mapping.entries if e.rule == "made.verbs.txt:18 VISIT"] == [
        "in",
    ]
    assert {e.rule for e in mapping.entries if e.lemmas == {"stop"} and e.particle == "by"} >= {
        "made.verbs.txt:17 VISIT",
    }
    assert all(not p.unsupported for p in mapping.patterns)
    # plain verbs come last, in file order
    assert [e.rule for e in mapping.entries[-3:]] == [
        "made.verbs.txt:7 PRAISE",
        "made.verbs.txt:16 VISIT",
        "made.verbs.txt:21 IGNORE",
    ]


def test_sequence_texts_keep_adjacency_and_expand_synsets(tmp_path: Path) -> None:
    parsed = read_verbs(write(tmp_path, "made.verbs.txt", VERBS))
    assert sequence_texts("MOST_CERTAINLY_&MONEY_EVER", parsed, before=True) == frozenset(
        {"most_certainly_crowns_ever", "most_certainly_silver_marks_ever"}
    )
    assert sequence_texts("+ KNOWN_", parsed, before=True) == frozenset({"known_"})
    assert sequence_texts("SO IN_AND_", parsed, before=True) == frozenset({"so in_and_"})
    assert sequence_texts("_OUT_AGAIN NOW", parsed, before=False) == frozenset({"_out_again now"})
    # $ + ^ % stand for a phrase: the words on either side are not adjacent
    assert sequence_texts("FEAST AT_^ WITH +", parsed, before=False) == frozenset({"feast at with"})
    assert sequence_texts("$ WITH +", parsed, before=False) == frozenset({"with"})
    assert sequence_texts("%", parsed, before=True) == frozenset()
    assert sequence_texts("FOR &NOSUCHSET", parsed, before=False) == frozenset()


# --- the pipeline and the CLI ----------------------------------------------------------------

VALORIA_ACTORS = """\
VALORIA [VAL]
+VALORIAN
ESTRIN [EST]
TWIN_CITIES [VAL/EST]
ODO_BRANN
\t[VALGOV 20100101-20141231]
\t[VALELI >20150101]
"""

VALORIA_VERBS = """\
&ENVOYS
+TRADE ENVOY
+HARBOUR_MASTER

--- SCOLD [122] ---
SCOLD
- * FOR NEGLIGENCE [123]
- * GENTLY [---]
--- REWARD [---] ---
REWARD
- * WITH MEDALS [042]
--- SNUB [1717] ---
SNUB
- HARSHLY * [1718]
- RUDELY_* [1719]
- * THE_&ENVOYS [1716]
--- LAND [032:033] ---
LAND
--- CONFER [040] ---
CONFER
- % * [043]
--- CUT [190] ---
CUT
+CUT_OFF
- * GRAIN [054]
"""


@pytest.fixture(scope="module")
def valoria(tmp_path_factory: pytest.TempPathFactory):
    from newsevents.coding.pipeline import Pipeline, Settings

    folder = tmp_path_factory.mktemp("valoria")
    files = (
        write(folder, "valoria.actors.txt", VALORIA_ACTORS),
        write(folder, "valoria.agents.txt", AGENTS),
        write(folder, "valoria.verbs.txt", VALORIA_VERBS),
        write(folder, "valoria.discards.txt", DISCARDS),
    )
    return Pipeline(Settings(dictionaries=files)), files


def coded(pipeline, text: str, day: dt.date = dt.date(2016, 3, 1)):
    from newsevents.model import Article

    return pipeline.code(Article("t", text, published=day), pipeline.parser(text))


def triples(result) -> list[tuple[str, str | None, str | None]]:
    return [
        (e.code, e.source.code if e.source else None, e.target.code if e.target else None)
        for e in result.events
    ]


def test_petrarch_files_layer_over_the_builtin_dictionaries(valoria) -> None:
    pipeline, _ = valoria
    assert triples(coded(pipeline, "Valoria scolded Estrin.")) == [("122", "VAL", "EST")]
    assert triples(coded(pipeline, "Russia scolded Japan.")) == [("122", "RUS", "JPN")]
    assert triples(coded(pipeline, "The Valorian delegates rewarded Estrin with medals.")) == [
        ("042", "VALGOV", "EST")
    ]


def test_pattern_words_before_and_after_the_verb(valoria) -> None:
    pipeline, _ = valoria
    cases = {
        "Valoria snubbed Estrin.": [("1717", "VAL", "EST")],
        # HARSHLY *: the word anywhere before the verb
        "Valoria harshly snubbed Estrin.": [("1718", "VAL", "EST")],
        "Valoria harshly and openly snubbed Estrin.": [("1718", "VAL", "EST")],
        # RUDELY_*: right before the verb only
        "Valoria rudely snubbed Estrin.": [("1719", "VAL", "EST")],
        "Valoria rudely, openly snubbed Estrin.": [("1717", "VAL", "EST")],
        # * THE_&ENVOYS: "the" right before a member of the synset
        "Valoria snubbed the trade envoy of Estrin.": [("1716", "VAL", "ESTGOV")],
        "Valoria snubbed the new trade envoy of Estrin.": [("1717", "VAL", "ESTGOV")],
        # * GENTLY [---]: a null code keeps the verb from coding
        "Valoria scolded Estrin gently.": [],
        # +CUT_OFF: the block's patterns hold for the phrasal verb too
        "Valoria cut off grain to Estrin.": [("054", "VAL", "EST")],
    }
    assert {text: triples(coded(pipeline, text)) for text in cases} == cases


def test_reverse_codes_and_compound_actors(valoria) -> None:
    pipeline, _ = valoria
    assert triples(coded(pipeline, "The Valorian delegates landed in Estrin.")) == [
        ("032", "VALGOV", "EST"),
        ("033", "EST", "VALGOV"),
    ]
    # % *: only a coordinated subject fits the pattern
    assert triples(coded(pipeline, "Valoria and Estrin conferred on Monday.")) == [
        ("043", "VAL", "EST"),
        ("043", "EST", "VAL"),
    ]
    assert triples(coded(pipeline, "Valoria conferred with Estrin on Monday.")) == [
        ("040", "VAL", "EST")
    ]


def test_codes_outside_the_codebook_are_kept_stored_and_served(valoria, tmp_path: Path) -> None:
    """A user's PETRARCH code outside CAMEO comes out as written, with no codebook fields, and
    the store, the exports, the analysis functions and the web app take it."""
    import io

    from newsevents.analysis.aggregates import (
        actor_network,
        dyad_timeline,
        top_actors,
        top_codes,
        top_swings,
    )
    from newsevents.analysis.export import FORMATS, export_events
    from newsevents.model import Article
    from newsevents.store.database import Store
    from newsevents.web import create_app
    from newsevents.web.client import LocalClient

    pipeline, _ = valoria
    texts = {
        "a1": ("Valoria snubbed Estrin.", dt.date(2016, 3, 1)),
        "a2": ("Valoria scolded Estrin.", dt.date(2016, 4, 1)),
    }
    results = [
        pipeline.code(Article(key, text, published=day), pipeline.parser(text))
        for key, (text, day) in texts.items()
    ]
    snub = results[0].events[0]
    assert (snub.code, snub.name, snub.root_code, snub.quad_class, snub.penta_class) == (
        "1717", None, None, None, None,
    )  # fmt: skip
    assert (snub.goldstein, snub.plover_event, snub.plover_mode) == (None, None, None)
    assert "<td title=''>1717</td>" in results[0]._repr_html_()  # Jupyter: no name to show
    assert "<b>1717</b> : " in snub._repr_html_()
    path = tmp_path / "events.duckdb"
    with Store(path) as store:
        store.write(results)
        stored = {r["code"]: r for r in store.events()}
        assert sorted(stored) == ["122", "1717"]
        assert (stored["1717"]["name"], stored["1717"]["goldstein"]) == (None, None)
        for fmt in FORMATS:
            assert export_events(store, io.BytesIO(), fmt) == 2, fmt
        timeline = dyad_timeline(store, "VAL", "EST")
        assert sum(row.events for row in timeline.rows) == 2
        assert [(e.source, e.target, e.events) for e in actor_network(store, "code").edges] == [
            ("VAL", "EST", 2)
        ]
        assert [(a.actor, a.events) for a in top_actors(store, level="code")] == [
            ("EST", 2),
            ("VAL", 2),
        ]
        assert [(c.code, c.name, c.events) for c in top_codes(store)] == [
            ("122", "Reject request or demand for material aid, not specified below", 1),
            ("1717", None, 1),
        ]
        top_swings(store, level="code")
    app = create_app(path)
    try:
        client = LocalClient(app)
        for page in ("/", "/events", f"/events/{snub.id}", "/dyad/VAL/EST", "/actor/VAL"):
            assert client.get(page).status_code == 200, page
        detail = client.get(f"/api/events/{snub.id}").json()["event"]
        assert (detail["code"], detail["name"], detail["goldstein"]) == ("1717", None, None)
    finally:
        app.state.store.close()


def test_date_restricted_actor_follows_the_article_date(valoria) -> None:
    pipeline, _ = valoria
    text = "Odo Brann scolded Estrin."
    assert triples(coded(pipeline, text, dt.date(2012, 1, 1))) == [("122", "VALGOV", "EST")]
    assert triples(coded(pipeline, text, dt.date(2016, 1, 1))) == [("122", "VALELI", "EST")]


def test_prefix_agents_and_multi_code_actors(valoria) -> None:
    pipeline, _ = valoria
    doc = pipeline.parser("A Valorian relief group scolded the Twin Cities.")
    actors = pipeline.actors(doc, dt.date(2016, 1, 1))
    codes = {doc[i].text: [a.code for a in actors.members(i)] for i in actors}
    assert codes["group"] == ["NGOVAL"]
    assert codes["Cities"] == ["VAL", "EST"]


def test_discards_drop_sentences_and_stories(valoria) -> None:
    pipeline, _ = valoria
    sentence = "Valoria scolded Estrin after the football match. Estrin scolded Valoria."
    assert triples(coded(pipeline, sentence)) == [("122", "EST", "VAL")]
    story = "Valoria scolded Estrin. The sports final was late."
    assert triples(coded(pipeline, story)) == []


def test_skipped_entries_are_kept_on_the_pipeline(valoria) -> None:
    pipeline, _ = valoria
    assert [(Path(p.path).name, p.line) for p in pipeline.dictionary_problems] == [
        ("valoria.agents.txt", 8)
    ]


def test_cli_extract_with_petrarch_dictionaries(valoria, tmp_path: Path) -> None:
    from newsevents.cli.main import cli

    _, files = valoria
    article = write(tmp_path, "a.txt", "Valoria harsh words\nTest Wire, March 1, 2016\n"
                    "Valoria scolded Estrin for negligence.\n")  # fmt: skip
    args = ["extract", str(article), "--format", "jsonl"]
    for path in files:
        args += ["--dictionary", str(path)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert '"code": "123"' in result.output
    assert '"rule": "valoria.verbs.txt:7 SCOLD (word order)"' in result.output


def test_cli_rejects_an_unknown_dictionary_type(tmp_path: Path) -> None:
    from newsevents.cli.main import cli

    article = write(tmp_path, "a.txt", "Title\nTest Wire, March 1, 2016\nRussia met Japan.\n")
    odd = write(tmp_path, "odd.json", "{}")
    result = CliRunner().invoke(cli, ["extract", str(article), "--dictionary", str(odd)])
    assert result.exit_code == 1
    assert "unknown dictionary type" in result.output


# --- the evaluator ---------------------------------------------------------------------------

RECORDS = """\
<Validation>
<Sentences>
<Sentence date="20160301" id="T-1" category="DEMO" sentence="true">
<EventCoding sourcecode="VAL" targetcode="EST" eventcode="122"></EventCoding>
<Text>Valoria scolded Estrin.</Text>
</Sentence>
<Sentence date="20160301" id="T-2" category="DEMO" sentence="true">
<EventCoding sourcecode="---GOV" targetcode="EST" eventcode="122"></EventCoding>
<Text>The delegates scolded Estrin.</Text>
</Sentence>
<Sentence date="20160301" id="T-6" category="DEMO" sentence="true">
<EventCoding sourcecode="VAL" targetcode="EST" eventcode="1717"></EventCoding>
<Text>Valoria snubbed Estrin.</Text>
</Sentence>
<Sentence date="20160301" id="T-3" category="ERROR" sentence="true">
<EventCoding noevents="True"></EventCoding>
<Text>The weather was fine.</Text>
</Sentence>
<Sentence date="20160301" id="T-4" category="ERROR" sentence="true">
<EventCoding error="sentencediscard"></EventCoding>
<Text>Valoria scolded Estrin at the football match.</Text>
</Sentence>
<Sentence date="20160301" id="T-5" category="ERROR" sentence="false">
<EventCoding error="bad_input_parse"></EventCoding>
<Text>Valoria scolded Estrin.</Text>
</Sentence>
</Sentences>
</Validation>
"""


def test_petrarch_evaluator_counts_reproduced_codings(valoria, tmp_path: Path) -> None:
    from newsevents.evaluate.formats import evaluate

    pipeline, _ = valoria
    report = evaluate(pipeline, write(tmp_path, "records.xml", RECORDS), "petrarch")
    assert report.items == 6
    assert report.metric("reproduced") == pytest.approx(4 / 6)
    assert report.metric("missed: dictionary feature not supported") == pytest.approx(1 / 6)
    assert report.metric("missed: parse error") == pytest.approx(1 / 6)
    assert report.metric("missed: grammar") == 0.0
    assert report.metric("missed: grammar: event code right, actors differ") == 0.0
    assert report.metric("reproduced_where_petrarch_passes") == pytest.approx(4 / 5)
    assert report.metric("events with codes outside the CAMEO codebook") == 1.0
    assert {m.gold for m in report.misses} == {"---GOV EST 122", "error=bad_input_parse"}


def test_petrarch_unit_test_records(tmp_path: Path) -> None:
    """The peer unit-test records with the PETR.Validate dictionaries: the evaluator runs over
    all 385 codings and every miss has a category."""
    base = PEER_DATA / "petrarch2" / "petrarch2" / "data"
    gold = base / "text" / "PETR.UnitTest.records.xml"
    if not gold.exists():
        pytest.skip("PETRARCH peer data is not present")
    from newsevents.coding.pipeline import Pipeline, Settings
    from newsevents.evaluate.formats import evaluate

    names = ("actors", "agents", "verbs", "discards")
    files = tuple(base / "dictionaries" / f"PETR.Validate.{n}.txt" for n in names)
    report = evaluate(Pipeline(Settings(dictionaries=files)), gold, "petrarch")
    assert report.items == 385
    shares = ("reproduced", "missed: grammar", "missed: dictionary feature not supported",
              "missed: parse error")  # fmt: skip
    assert sum(report.metric(name) for name in shares) == pytest.approx(1.0)
    grammar = [m.name for m in report.metrics if m.name.startswith("missed: grammar: ")]
    assert sum(report.metric(name) for name in grammar) == pytest.approx(
        report.metric("missed: grammar")
    )
    assert report.metric("reproduced") >= 0.60  # issue 4's target
