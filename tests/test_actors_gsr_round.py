"""The third accuracy pass on actor countries (docs/accuracy.md, "Third pass: GSR countries"):
our own sentences, each checking one rule exactly.

Actor rules: an international body's officer has no country, hyphenated names match office
holders, ethnic groups named by a population noun or ``of`` a place, a capital after a place
preposition is the country, city names of several words, a party named by a proper noun, and
the facts added to the data files. Event rules: the source's own reservists are no target, the
target search enters possessors and later conjuncts but not ``despite``, a person's pronoun is
never the same actor as a country, and ``must be ready to`` is a reported demand.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import codings

DAY = dt.date(2016, 12, 3)


def mentions(pipeline, text: str, day: dt.date | None = DAY) -> dict[str, tuple[str, str | None]]:
    actors = pipeline.actors(pipeline.parser(text), day)
    return {a.text: (a.code, a.country) for i in actors for a in actors.members(i)}


RESOLUTIONS = [
    # an international body's officer is the body's, with no country of its own
    ("The minister met Kofi Annan in Geneva.", None, "Kofi Annan", ("UNO", None)),
    # a hyphenated first name still matches the office holder
    (
        "President Jean-Bertrand Aristide returned to the capital.",
        None,
        "President Jean-Bertrand Aristide",
        ("HTIGOV", "HTI"),
    ),
    # a people "of" a place, and a demonym before a population noun, are ethnic groups
    (
        "The Hungarians of southern Slovakia demanded autonomy.",
        DAY,
        "The Hungarians",
        ("SVKCVL", "SVK"),
    ),
    ("The Turkish minority in Bulgaria protested.", DAY, "The Turkish minority", ("BGRCVL", "BGR")),
    (
        "Soldiers attacked the Albanian population of the province in Montenegro.",
        DAY,
        "the Albanian population",
        ("MNECVL", "MNE"),
    ),
    # not a place: a people of another people stays as it was
    ("The Europeans of Asia protested.", DAY, "The Europeans", ("EUR", None)),
    # a capital as the subject is the government, after a place preposition the country
    ("Abidjan rejected the plan.", DAY, "Abidjan", ("CIVGOV", "CIV")),
    ("Police imposed a curfew in Abidjan.", DAY, "Abidjan", ("CIV", "CIV")),
    ("A bomb exploded in a district of Nairobi.", DAY, "Nairobi", ("KEN", "KEN")),
    # a city of two words is looked up whole
    ("Gunmen opened fire in Tel Aviv.", DAY, "Tel Aviv", ("ISR", "ISR")),
    ("Gunmen opened fire in Tel Aviv.", DAY, "Gunmen", ("ISRUAF", "ISR")),
    # facts: another spelling of a capital, a historic name, provinces, an older EU name
    ("Khatmandu rejected the demand.", DAY, "Khatmandu", ("NPLGOV", "NPL")),
    ("Kampuchean troops crossed the border.", DAY, "Kampuchean troops", ("KHMMIL", "KHM")),
    (
        "The government of Sindh province banned the rally.",
        DAY,
        "The government",
        ("PAKGOV", "PAK"),
    ),
    ("Rebels in Siberia surrendered.", DAY, "Rebels", ("RUSREB", "RUS")),
    (
        "Denmark criticized the European Common Market.",
        DAY,
        "the European Common Market",
        ("EEC", None),
    ),
    # a party named by a proper noun is a political party
    ("The Umma party boycotted the vote.", DAY, "The Umma party", ("PTY", None)),
]


@pytest.mark.parametrize(("text", "day", "mention", "expected"), RESOLUTIONS)
def test_resolution(pipeline, text: str, day, mention: str, expected) -> None:
    assert mentions(pipeline, text, day)[mention] == expected


def test_a_named_party_takes_the_country_of_its_sentence(pipeline) -> None:
    assert codings(pipeline, "The Umma party said it will boycott the elections in Sudan.") == [
        ("133", "SDNPTY", "SDN", True)
    ]


def test_the_sources_own_reservists_are_no_target(pipeline) -> None:
    assert codings(pipeline, "Canada mobilized army reservists for a war against Iraq.") == [
        ("154", "CAN", "IRQ", True)
    ]


def test_the_target_search_enters_a_possessor(pipeline) -> None:
    text = "Egypt condemned as a grave mistake Israel's blockade of the port."
    assert codings(pipeline, text) == [("111", "EGY", "ISR", True)]


def test_a_light_verbs_purpose_gives_the_possessor_as_target(pipeline) -> None:
    text = (
        "About 300 ethnic Serbs began a hunger strike on Sunday to protest against Croatia's "
        "decision to close the camp."
    )
    assert codings(pipeline, text) == [("142", "CVL", "HRV", True), ("1412", "CVL", "HRV", False)]


def test_the_owner_of_a_concession_is_no_target(pipeline) -> None:
    text = (
        "The Security Council agreed to a longer mandate for the peacekeeping force in Mali "
        "despite France's wish for a shorter one."
    )
    assert codings(pipeline, text) == [("030", "USC", "MLIMIL", True)]


def test_a_persons_pronoun_is_not_the_country_of_a_place(pipeline) -> None:
    text = "President Laurent Gbagbo said he will extend the curfew in Abidjan."
    assert codings(pipeline, text, "2005-06-01") == [("1323", "CIVGOV", "CIV", True)]


def test_the_target_search_enters_later_conjuncts(pipeline) -> None:
    text = "The army launched artillery, mortar and rocket fire against Syrian rebel positions."
    assert codings(pipeline, text) == [("194", "MIL", "SYRREB", True)]


def test_must_be_ready_to_is_a_demand_of_the_speaker(pipeline) -> None:
    text = (
        "The Kenyan foreign minister said that Japan must be ready to mediate between the two "
        "Koreas."
    )
    assert codings(pipeline, text) == [("100", "KENGOV", "JPN", True)]
