"""Event locations: attached places, not mentioned ones; ambiguous names; the dateline city.
The sentences are our own."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsevents.coding.places import Gazetteer, PlaceWords
from newsevents.errors import DictionaryError
from tests.conftest import code_text

MOSCOW = ("Moscow", "RUS", "RU.48", 55.75204, 37.61781)


@pytest.fixture(scope="module")
def gazetteer(pipeline) -> Gazetteer:
    return pipeline.gazetteer


def with_dateline(pipeline, body: str):
    """An article whose body opens with a wire dateline: 'MOSCOW, Dec. 3 (Test Wire) --'."""
    return pipeline(
        f"Test article\nTest Wire, December 3, 2016\nMOSCOW, Dec. 3 (Test Wire) -- {body}"
    )


def located(event) -> tuple | None:
    place = event.location
    if place is None:
        return None
    return (place.name, place.country, place.adm1, place.lat, place.lon, place.method)


def the_event(coded, code_prefix: str):
    found = [e for e in coded.events if e.code.startswith(code_prefix)]
    assert len(found) == 1, [(e.code, e.trigger.text) for e in coded.events]
    return found[0]


# --- attached, not mentioned ---------------------------------------------------------------


def test_the_place_attached_to_the_verb(pipeline) -> None:
    body = "Japanese Prime Minister Shinzo Abe met Russian President Vladimir Putin in Moscow."
    event = the_event(code_text(pipeline, body), "04")
    assert located(event) == (*MOSCOW, "attached")
    assert event.location.feature == "city"
    assert event.location.span.text == "Moscow"


def test_a_place_mentioned_in_a_relative_clause_is_not_the_location(pipeline) -> None:
    body = (
        "Japanese Prime Minister Shinzo Abe, who was born in Tokyo, met Russian President "
        "Vladimir Putin on Friday."
    )
    assert located(the_event(code_text(pipeline, body), "04")) is None


def test_a_place_beside_the_target_of_a_statement_is_not_the_location(pipeline) -> None:
    body = "Russia's Sergey Lavrov criticised Japan's plans for a military base in Okinawa."
    assert located(the_event(code_text(pipeline, body), "11")) is None


def test_a_visit_is_located_at_its_destination(pipeline) -> None:
    event = the_event(code_text(pipeline, "Abe visited Russia's Sochi in May."), "042")
    assert located(event) == ("Sochi", "RUS", "RU.38", 43.59699, 39.72477, "attached")


def test_the_place_of_an_event_noun_with_its_light_verb(pipeline) -> None:
    body = (
        "Japanese Prime Minister Shinzo Abe held talks with Russian President Vladimir Putin in "
        "Lima, Peru, on Saturday."
    )
    event = the_event(code_text(pipeline, body), "04")
    assert located(event)[:3] == ("Lima", "PER", "PE.LMA")


def test_a_country_gets_its_representative_point_not_its_capital(pipeline) -> None:
    event = the_event(code_text(pipeline, "Abe will visit Russia next month."), "042")
    assert located(event) == ("Russia", "RUS", None, 60.0, 100.0, "attached")
    assert event.location.feature == "country"


def test_a_territory_is_located_without_a_point(pipeline) -> None:
    body = "Russian troops clashed with Ukrainian forces in Crimea on Friday."
    event = the_event(code_text(pipeline, body), "19")
    assert located(event) == ("Crimea", "UKR", None, None, None, "attached")
    assert event.location.feature == "region"


def test_older_names_are_found(pipeline) -> None:
    body = "Russian Foreign Minister Sergey Lavrov met his Ukrainian counterpart in Kiev."
    event = the_event(code_text(pipeline, body), "04")
    assert located(event)[:3] == ("Kyiv", "UKR", "UA.12")


# --- ambiguous names --------------------------------------------------------------------------


def test_ambiguous_city_goes_to_the_articles_country(pipeline) -> None:
    lebanese = (
        "Lebanese Prime Minister Tammam Salam met French President Francois Hollande in Tripoli."
    )
    assert located(the_event(code_text(pipeline, lebanese), "04"))[:2] == ("Tripoli", "LBN")


def test_ambiguous_city_without_a_country_in_the_article_goes_by_population(pipeline) -> None:
    italian = (
        "Italian Prime Minister Matteo Renzi met French President Francois Hollande in Tripoli."
    )
    assert located(the_event(code_text(pipeline, italian), "04"))[:2] == ("Tripoli", "LBY")


def test_a_state_written_with_the_city_decides(pipeline) -> None:
    body = (
        "Japanese Prime Minister Shinzo Abe met Russian President Vladimir Putin in Moscow, "
        "Idaho, on Friday."
    )
    assert located(the_event(code_text(pipeline, body), "04"))[:3] == ("Moscow", "USA", "US.ID")


def test_gazetteer_resolution_order(gazetteer: Gazetteer) -> None:
    assert gazetteer.resolve("Moscow").country == "RUS"  # population
    assert gazetteer.resolve("Moscow", {"USA"}).adm1 == "US.ID"  # the article's countries
    assert gazetteer.resolve("Moscow", {"USA"}, "Russia").country == "RUS"  # written qualifier
    assert gazetteer.resolve("Hyderabad", {"PAK"}).country == "PAK"
    assert gazetteer.resolve("Hyderabad").country == "IND"
    assert gazetteer.resolve("Georgia").is_country
    assert gazetteer.resolve("Qwertyville") is None


# --- the dateline city ------------------------------------------------------------------------


def test_dateline_city_for_a_meeting_of_the_day(pipeline) -> None:
    coded = with_dateline(
        pipeline,
        "Russian Foreign Minister Sergey Lavrov met Japanese Foreign Minister Fumio Kishida on "
        "Saturday.",
    )
    assert coded.article.dateline_place == "Moscow"
    assert located(the_event(coded, "04")) == (*MOSCOW, "dateline")


def test_an_event_said_to_be_here_is_in_the_dateline_city(pipeline) -> None:
    coded = with_dateline(
        pipeline,
        "Russian Foreign Minister Sergey Lavrov met Japanese Foreign Minister Fumio Kishida, who "
        "is here for talks, last week.",
    )
    assert located(the_event(coded, "04")) == (*MOSCOW, "here")


def test_dateline_is_not_the_place_of_planned_old_or_material_events(pipeline) -> None:
    coded = with_dateline(
        pipeline,
        "Putin will visit Japan on Dec. 15. Russian troops shelled positions in the east. "
        "Russian Foreign Minister Sergey Lavrov met Japanese Foreign Minister Fumio Kishida in "
        "April.",
    )
    visit = the_event(coded, "042")
    assert located(visit) == ("Japan", "JPN", None, 36.0, 138.0, "attached")
    assert located(the_event(coded, "19")) is None  # fighting happens where the text says
    (met,) = [e for e in coded.events if e.trigger.text == "met"]
    assert located(met) is None  # April was not "here"


def test_an_attached_place_wins_over_the_dateline(pipeline) -> None:
    coded = with_dateline(
        pipeline,
        "Russian Foreign Minister Sergey Lavrov met Japanese Foreign Minister Fumio Kishida in "
        "Tokyo on Saturday.",
    )
    assert located(the_event(coded, "04"))[:2] == ("Tokyo", "JPN")


# --- the seed -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed(pipeline, seed_text):
    return pipeline(seed_text)


def test_seed_abe_visit_is_in_sochi(seed) -> None:
    (visit,) = [e for e in seed.events if e.code == "042" and e.sentence_index == 4]
    assert located(visit) == ("Sochi", "RUS", "RU.38", 43.59699, 39.72477, "attached")


def test_seed_meeting_is_in_vladivostok(seed) -> None:
    (meeting,) = [e for e in seed.events if e.trigger.text == "meeting" and e.sentence_index == 4]
    assert located(meeting) == ("Vladivostok", "RUS", "RU.59", 43.10562, 131.87353, "attached")


def test_seed_places_only_where_attached(seed) -> None:
    placed = {
        (e.sentence_index, e.trigger.text, e.location.name) for e in seed.events if e.location
    }
    assert placed == {(1, "visit", "Japan"), (4, "visit", "Sochi"), (4, "meeting", "Vladivostok")}


# --- the word lists ------------------------------------------------------------------------------


def test_a_bad_word_list_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "places.yaml"
    path.write_text(
        "locative_prepositions: [in, at]\n"
        "destination_prepositions: [to]\n"
        "destination_codes:\n  - '042'\n  - {code: 15}\n"
        "through_argument_codes: ['04']\n"
        "here_words: [here]\n",
        encoding="utf-8",
    )
    with pytest.raises(DictionaryError, match=r"places.yaml:5: bad word in 'destination_codes'"):
        PlaceWords.load(path)


def test_a_missing_word_list_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "places.yaml"
    path.write_text("locative_prepositions: [in]\n", encoding="utf-8")
    with pytest.raises(DictionaryError, match="'destination_prepositions' must be a list"):
        PlaceWords.load(path)
