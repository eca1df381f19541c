"""The fourth accuracy pass on actor countries (docs/accuracy.md, "Fourth pass: GSR
countries"): our own sentences, each checking one rule exactly.

Verb entries: letting someone act (``allow-act``), riots that continue or spread, opening a
hearing, sending inspectors, a complaint's target, withdrawing from a place. Event rules: a
that-clause on a prepositional object or moved after the light verb's adjuncts, a state organ
and a rebel group of one country are two sides, a ``where`` clause is no content clause, stance
phrases (``in protest against X``, ``in defiance of X``), appositives in the target search, a
relative clause is background to a report, ``up to 12`` is a quantity, not a particle. Facts: a
church leader in ``people.tsv``.
"""

from __future__ import annotations

import datetime as dt

import pytest
from spacy.tokens import Doc

from newsevents.coding.events import _clause_subjects
from tests.conftest import codings

CODINGS = [
    # letting someone act gives way to them (080); the subject of the let act is the target
    (
        "The Kenyan court allowed the opposition leader to hold a rally in Nairobi.",
        [("080", "KENJUD", "KENOPP", True), ("141", "KENOPP", "KEN", False)],
    ),
    (
        "Greece will allow the Syrian refugees to return home.",
        [("080", "GRC", "SYRREF", True), ("084", "SYRREF", None, False)],
    ),
    # refusing to let someone act: the refusal's target is whom it would let act
    (
        "The rebels refused to allow United Nations helicopters to land in the valley.",
        [("124", "REB", "UNO", True)],
    ),
    # what is let in still decides when an entry names it
    ("Ethiopia allowed UN peacekeepers into the border zone.", [("0861", "ETH", "UNOMIL", True)]),
    # riots that spread or continue are riots, with their modifier as source
    (
        "Palestinian riots against Israeli troops spread on Sunday.",
        [("145", "PSE", "ISRMIL", True)],
    ),
    # opening a hearing into a matter is an inquiry; holding a hearing on a case is none
    (
        "Israel's high court opened a landmark hearing on Monday into the treatment of "
        "Palestinian prisoners.",
        [("090", "ISRJUD", "PSECVL", True)],
    ),
    ("The court held a hearing on the appeal of the Kenyan opposition leader.", []),
    # sending inspectors is the sender's inquiry, aimed where they are sent
    (
        "The IAEA has dispatched inspectors to the Bushehr plant in southern Iran to check the "
        "reactor.",
        [("090", "IAE", "IRN", True)],
    ),
    # a complaint targets the party complained about, else the addressee
    (
        "Chad complained to the African Union over Sudanese air raids on its villages.",
        [("114", "TCD", "SDN", True), ("195", "SDN", None, False)],
    ),
    ("Japan protested to Russia over the missile deployment.", [("114", "JPN", "RUS", True)]),
    # withdrawing from a place targets the place, not the people withdrawn
    (
        "The UN chief said he will withdraw relief workers from Yemen.",
        [("0356", "UNO", "YEM", True)],
    ),
    # a that-clause on a prepositional object, and a rebel group's demand on its own government
    (
        "The Tamil rebels insisted on their demand that Sri Lanka's army leave the north.",
        [("100", "LKAREB", "LKAMIL", True)],
    ),
    # a state's own troops are still its own side
    (
        "The Pakistani government denied that its troops attacked the village.",
        [("016", "PAKGOV", None, True)],
    ),
    # an event noun's that-clause moved after its light verb's adjuncts
    (
        "The African Union repeated its demand on Monday that Egypt lift the ban on the newspaper.",
        [("100", "AFU", "EGY", True), ("0811", "EGY", "MED", False)],
    ),
    # stance phrases name whom the act is aimed at
    (
        "The Kenyan activist began a hunger strike in prison in protest against abuses by "
        "Kenyan police.",
        [("142", "KENOPP", "KENCOP", True), ("141", "KENOPP", "KENCOP", False)],
    ),
    (
        "Thousands of people blocked streets in Taipei in defiance of Chinese authorities.",
        [("144", "TWNCVL", "CHNGOV", True)],
    ),
    (
        "The Chadian students marched in the capital in support of the Sudanese refugees.",
        [("141", "TCDEDU", "SDNREF", True)],
    ),
    # an appositive names the same thing: the search goes on inside it
    (
        "Russia rejected the plan, a proposal of the Ukrainian government.",
        [("127", "RUS", "UKRGOV", True)],
    ),
    (
        "Mali condemned the attack, the work of Algerian militants.",
        [("111", "MLI", "DZAINS", True)],
    ),
    # a relative clause in a reported clause is background, not the reported act
    (
        "Germany is sending weapons to Ukraine, which is preparing an offensive against Russian "
        "troops, the newspaper reported.",
        [("072", "DEU", "UKR", True)],
    ),
    # "up to 12" is a quantity: the verb keeps its entry and its object
    (
        "Somali gunmen have kidnapped up to 12 Kenyan teachers from a school.",
        [("181", "SOMUAF", "KENEDU", True)],
    ),
    ("The rebels blew up a bridge near the border.", [("183", "REB", None, True)]),
]


@pytest.mark.parametrize(("text", "expected"), CODINGS)
def test_coding(pipeline, text: str, expected) -> None:
    assert codings(pipeline, text) == expected


def _parsed(pipeline, words, heads, deps, pos) -> Doc:
    return Doc(pipeline.parser.nlp.vocab, words=words, heads=heads, deps=deps, pos=pos)


def test_a_where_clause_is_no_content_clause(pipeline) -> None:
    # the parse of "threatened to shell the towns where 30 people were killed" with the
    # relative clause hung on the verb as a clausal complement
    words = ["Iran", "threatened", "to", "shell", "towns", "where", "people", "were", "killed"]
    heads = [1, 1, 3, 1, 3, 8, 8, 8, 1]
    deps = ["nsubj", "ROOT", "aux", "xcomp", "dobj", "advmod", "nsubjpass", "auxpass", "ccomp"]
    pos = ["PROPN", "VERB", "PART", "VERB", "NOUN", "SCONJ", "NOUN", "AUX", "VERB"]
    doc = _parsed(pipeline, words, heads, deps, pos)
    assert _clause_subjects(doc[1]) == []


def test_a_that_clause_subject_is_still_found(pipeline) -> None:
    words = ["Iran", "demanded", "that", "Iraq", "withdraw"]
    heads = [1, 1, 4, 4, 1]
    deps = ["nsubj", "ROOT", "mark", "nsubj", "ccomp"]
    pos = ["PROPN", "VERB", "SCONJ", "PROPN", "VERB"]
    doc = _parsed(pipeline, words, heads, deps, pos)
    assert [t.text for t in _clause_subjects(doc[1])] == ["Iraq"]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (None, ("ZAFREL", "ZAF")),
        (dt.date(1990, 5, 1), ("ZAFREL", "ZAF")),
        (dt.date(2016, 12, 3), ("REL", None)),
    ],
)
def test_a_church_leader_known_for_a_national_role(pipeline, day, expected) -> None:
    text = "Archbishop Desmond Tutu called for sanctions against Zimbabwe."
    actors = pipeline.actors(pipeline.parser(text), day)
    found = {a.text: (a.code, a.country) for i in actors for a in actors.members(i)}
    assert found["Archbishop Desmond Tutu"] == expected
