"""Fifth pass on GSR targets (docs/accuracy.md, "Fifth pass: GSR targets"): the principal event
and the target search. Every sentence is our own; each one was coded differently before its rule."""

import pytest

from tests.conftest import codings


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a statement noun's participle says what the statement is: its act, by the issuer
        (
            "The Chadian opposition issued a declaration demanding that the government of Niger"
            " release the prisoners.",
            [("1053", "TCDOPP", "NERGOV", True)],
        ),
        (
            "The Syrian government issued a statement condemning Israel.",
            [("111", "SYRGOV", "ISR", True)],
        ),
        # any light verb's noun: the sender of a letter is who urges
        (
            "The Kenyan opposition sent a letter urging the Ugandan government to free the"
            " journalists.",
            [("0253", "KENOPP", "UGAGOV", True)],
        ),
    ],
)
def test_statement_participle_is_the_act(pipeline, text, expected):
    assert codings(pipeline, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # a reminder is a statement to its addressee
            "The Italian prime minister issued a firm reminder to Libya that it must stop the"
            " boats.",
            [("010", "ITAGOV", "LBY", True)],
        ),
        (  # a welcome given to someone is a visit received
            "The Chilean president gave a warm welcome to the Bolivian foreign minister.",
            [("043", "CHLGOV", "BOLGOV", True)],
        ),
        (  # who withdraws its own people acts on the place they leave
            "The United Nations withdrew its monitors and relief workers from Yemen.",
            [("1662", "UNO", "YEM", True)],
        ),
        (
            "The Swedish foreign minister announced that Sweden will withdraw its observers and"
            " humanitarian workers from Mali.",
            [("136", "SWE", "MLI", True)],
        ),
        (  # expelling others' people still targets them
            "The Sudanese government expelled aid agencies from Darfur.",
            [("1663", "SDNGOV", "NGO", True), ("070", "SDN", None, False)],
        ),
    ],
)
def test_verb_entries(pipeline, text, expected):
    assert codings(pipeline, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # a preposition whose object the coordination took: the conjunct's last object
            "Norway restored ties with and sent an envoy to Cuba.",
            [("054", "NOR", "CUB", True)],
        ),
        (  # the object parsed as the subject of the next clause
            "Chile has granted political asylum to four Bolivian army officers holed up in an"
            " embassy since last week's coup, the Chilean ministry said.",
            [("075", "CHL", "BOLMIL", True)],
        ),
    ],
)
def test_preposition_left_without_its_object(pipeline, text, expected):
    assert codings(pipeline, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The United Nations on Friday rejected a call for its peacekeeping forces to be"
            " stationed in Haiti.",
            [("1224", "UNO", "HTI", True)],
        ),
        (
            "The Arab League rejected a proposal for its monitors to be based in Yemen.",
            [("1245", "ARL", "YEM", True)],
        ),
    ],
)
def test_target_search_enters_infinitival_relatives(pipeline, text, expected):
    assert codings(pipeline, text) == expected


def test_claim_about_oneself_targets_the_party_in_it(pipeline):
    text = (
        "A militant group based in Yemen claims to be building drones to use against Saudi Arabia."
    )
    assert codings(pipeline, text) == [("010", "YEMINS", "SAU", True)]


def test_act_controlled_by_a_reported_event_is_that_events_content(pipeline):
    text = (
        "A Peruvian judge has ordered former president Alberto Fujimori to appear next week for"
        " questioning about arms sales to Ecuador, court officials said."
    )
    assert codings(pipeline, text) == [
        ("100", "PERJUD", "PERELI", True),
        ("110", "PERELI", None, False),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The Kenyan government said it is ready to impose a curfew as riots spread in Mombasa.",
            [("1323", "KENGOV", "KEN", True)],
        ),
        (
            "The Ghanaian government imposed a curfew on Tuesday while clashes raged in Tamale.",
            [("1723", "GHAGOV", "GHA", True)],
        ),
    ],
)
def test_place_of_a_time_clause(pipeline, text, expected):
    assert codings(pipeline, text) == expected
