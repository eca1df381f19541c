"""Precision in the engine (issue 15), on our own sentences: when a report is a statement, which
actors an event needs (``Settings.require``), word senses outside politics, background
sentences, credit lines, and deciding verbs that govern an action noun (docs/dictionaries.md)."""

from __future__ import annotations

import pytest

from newsevents.codebook import Codebook
from newsevents.coding.credits import credit_lines
from newsevents.coding.events import EventCoder, ModalityWords
from newsevents.errors import OptionError
from tests.conftest import code_text


def events(pipeline, body: str):
    return [
        (
            e.code,
            e.source.code if e.source else None,
            e.target.code if e.target else None,
            e.modality,
        )
        for e in code_text(pipeline, body).events
    ]


def codes(pipeline, body: str) -> list[str]:
    return [e.code for e in code_text(pipeline, body).events]


@pytest.fixture(scope="module")
def coders(pipeline):
    """Event coders over the pipeline's dictionaries, one per ``require`` setting."""
    verbs, words = pipeline.events.verbs, ModalityWords.load()
    return {
        require: EventCoder(verbs, Codebook.load(), words, require=require)
        for require in ("dyad", "actor", "none")
    }


def coded_with(pipeline, coder: EventCoder, sentence: str):
    doc = pipeline.parser(sentence)
    return [
        (e.code, e.source.code if e.source else None, e.target.code if e.target else None)
        for e in coder(doc, pipeline.actors(doc, None), "test")
    ]


# --- statements ------------------------------------------------------------------------------


def test_a_statement_about_another_party_is_an_event(pipeline) -> None:
    assert events(
        pipeline, "The Japanese foreign minister said Moscow's decision came as a surprise."
    ) == [("010", "JPNGOV", "RUSGOV", "asserted")]


def test_a_speaker_no_dictionary_knows_makes_no_statement(pipeline) -> None:
    assert (
        events(pipeline, '"Prices doubled this winter," said Maria Novak, a baker in Gdansk.') == []
    )


def test_a_bare_statement_about_no_other_party_is_no_event(pipeline) -> None:
    body = "The Peruvian coast guard said there were no reports of damage to fishing boats."
    assert events(pipeline, body) == []


def test_a_report_told_as_not_done_replaces_the_statement(pipeline) -> None:
    found = events(pipeline, "Greek officials said Turkey had not asked Athens for talks.")
    assert ("026", "TUR", "GRCGOV", "negated") in found
    assert all(code[:2] != "01" for code, *_ in found)


def test_a_comment_word_keeps_the_speakers_stance(pipeline) -> None:
    assert events(pipeline, "The Kenyan foreign minister said talks would be difficult.") == [
        ("012", "KENGOV", None, "asserted")
    ]


def test_a_word_of_blame_makes_the_statement_a_criticism(pipeline) -> None:
    body = "The Austrian chancellor said the Hungarian decision was unacceptable."
    assert events(pipeline, body) == [("111", "AUTGOV", "HUN", "asserted")]


def test_a_modal_in_the_reported_clause_stays_the_speakers_demand(pipeline) -> None:
    body = "The Dutch government said Syrian authorities must ensure that refugees can return home."
    assert ("100", "NLDGOV", "SYRGOV", "asserted") in events(pipeline, body)


@pytest.mark.parametrize(
    "body",
    [
        "The Egyptian army was maintaining full readiness on the border.",  # no clause
        "Beijing claims most of the sea.",
        "The Indonesian military said its forces responded with warning shots.",  # nested
        "The minister's remarks angered Hanoi.",  # a noun
    ],
)
def test_a_speech_verb_without_something_said_is_no_statement(pipeline, body: str) -> None:
    assert all(code[:2] != "01" for code in codes(pipeline, body))


# --- which actors an event needs -------------------------------------------------------------


def test_require_decides_which_actors_an_event_needs(pipeline, coders) -> None:
    actorless = "The crew was released on Friday."
    assert coded_with(pipeline, coders["none"], actorless) == [("0841", None, None)]
    assert coded_with(pipeline, coders["actor"], actorless) == []
    one_sided = "Russian troops shelled the town on Monday."
    assert [c for c, *_ in coded_with(pipeline, coders["actor"], one_sided)] == ["194"]
    assert coded_with(pipeline, coders["dyad"], one_sided) == []
    dyad = "Russia attacked Ukraine on Monday."
    assert coded_with(pipeline, coders["dyad"], dyad) == [("190", "RUS", "UKR")]


def test_an_unknown_requirement_is_an_option_error(pipeline) -> None:
    with pytest.raises(OptionError, match="require must be one of dyad, actor, none"):
        EventCoder(pipeline.events.verbs, Codebook.load(), ModalityWords.load(), require="both")


# --- word senses -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "Brazil beat Argentina 2-1 in the World Cup final.",
        "Ghana and Nigeria meet in Accra on Sunday in the football qualifier.",
        "Shares of Korean carmakers were hit hard by the new tariffs.",
        "Three people were killed when a bus collided with a truck near Kisumu.",
        "Peruvian police arrested two men over the robbery of a jewellery shop in Lima.",
        "Forecasters expect heavy rain to continue in Manila, the Philippine weather bureau said.",
    ],
)
def test_sport_business_accidents_crime_and_weather_are_no_political_events(
    pipeline, body: str
) -> None:
    assert events(pipeline, body) == []


def test_a_political_actor_keeps_its_event_in_such_a_context(pipeline) -> None:
    assert codes(
        pipeline, "Egyptian police fired tear gas at football fans outside the stadium."
    ) == ["175"]
    body = "Peruvian police arrested an opposition leader over the theft of ballots."
    assert events(pipeline, body) == [("173", "PERCOP", "OPP", "asserted")]


def test_an_attack_word_takes_the_accident_context_away(pipeline) -> None:
    body = "A roadside bomb hit an army truck near Kandahar, killing two Afghan soldiers."
    assert [target for _, _, target, _ in events(pipeline, body)] == ["AFGMIL"]


# --- background ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "Turkey fired more than 300 shells into Syria last year.",  # a total over a period
        "Greece already hosts about 50,000 Syrian refugees.",  # habitual present
        "Attacks on Iraqi police have risen sharply over the past two years.",  # a trend
        "Gaza was the scene of heavy fighting between Israeli troops and Hamas in 2014.",
    ],
)
def test_statistics_states_and_history_are_no_events(pipeline, body: str) -> None:
    assert events(pipeline, body) == []


def test_a_state_since_a_year_is_left_to_the_dates_stage(pipeline) -> None:
    (event,) = code_text(pipeline, "The Venezuelan border has been closed since 2009.").events
    assert (event.code[:2], event.background) == ("19", True)


def test_a_count_of_one_act_is_still_an_event(pipeline) -> None:
    assert events(pipeline, "Russia launched more than 100 drones at Ukraine overnight.") == [
        ("1952", "RUS", "UKR", "asserted")
    ]


# --- credit lines ----------------------------------------------------------------------------


def test_captions_and_bylines_are_not_coded(pipeline) -> None:
    body = (
        "Chile recalled its ambassador to Peru on Monday.\n"
        "Caption: A Chinese warship sails past a Japanese coast guard vessel.\n"
        "Photo: Protesters attack the Peruvian embassy in Santiago.\n"
        "Reporting by Ana Ruiz; Editing by Tom Hale."
    )
    assert events(pipeline, body) == [("161", "CHL", "PER", "asserted")]


def test_credit_lines_are_found_by_their_opening() -> None:
    text = "Body text.\nPhoto: a man.\n- With reporting by A. Bo\nBy Jane Roe\nBy Monday it rained."
    lines = credit_lines(text)
    starts = [text.index(piece) for piece in ("Photo", "- With", "By Jane", "By Monday", "Body")]
    assert [start in lines for start in starts] == [True, True, True, False, False]


# --- deciding verbs and action nouns ---------------------------------------------------------


def test_an_ordered_expulsion_is_the_expulsion_told_once(pipeline) -> None:
    assert events(pipeline, "Norway ordered the expulsion of two Iranian diplomats on Friday.") == [
        ("161", "NOR", "IRNGOV", "asserted")
    ]


@pytest.mark.parametrize(
    ("body", "wanted"),
    [
        ("Washington unveiled export controls against Chinese chip makers.", "163"),
        ("The European Union announced sanctions on Belarusian officials.", "163"),
        ("The government placed the opposition leader under house arrest.", "173"),
    ],
)
def test_an_announced_action_is_the_action_not_a_statement(pipeline, body, wanted) -> None:
    assert codes(pipeline, body) == [wanted]


# --- modality --------------------------------------------------------------------------------


def test_a_negative_subject_negates_the_act(pipeline) -> None:
    assert events(pipeline, "No African state has signed a defence pact with Moscow.")[0][3] == (
        "negated"
    )


def test_being_expected_to_act_is_a_future_act_not_an_intent(pipeline) -> None:
    assert events(pipeline, "The Danish prime minister is expected to visit Kenya next week.") == [
        ("042", "DNKGOV", "KEN", "future")
    ]


# --- one happening, one event ----------------------------------------------------------------


def test_two_triggers_of_one_act_are_one_event(pipeline) -> None:
    body = "Russia launched a drone attack on the port city of Izmail on Tuesday."
    assert [c for c, *_ in events(pipeline, body)] == ["1952"]


def test_both_sides_of_a_reciprocal_act_stay_two_events(pipeline) -> None:
    body = "India and Pakistan accused each other of violating the ceasefire."
    pairs = {(source, target) for _, source, target, _ in events(pipeline, body)}
    assert {("IND", "PAK"), ("PAK", "IND")} <= pairs


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ("Qatar offered on Monday to host talks between the two governments.", "036"),
        ("Egypt called for an emergency meeting of the Arab League.", "026"),
        ("The French president told a meeting of Nigerian officials that Paris was ready.", "010"),
    ],
)
def test_a_meeting_noun_that_another_trigger_takes_is_part_of_its_event(
    pipeline, body: str, code: str
) -> None:
    found = codes(pipeline, body)
    assert code in found and "040" not in found


def test_a_meeting_noun_of_a_light_verb_is_still_the_event(pipeline) -> None:
    body = "Chile held talks with Peru in Lima on Monday."
    assert events(pipeline, body) == [("040", "CHL", "PER", "asserted")]


def test_a_result_participle_is_part_of_an_attack_that_names_its_target(pipeline) -> None:
    body = "Turkish jets struck a village in Iraq on Sunday, killing four people."
    assert [(c, s, t) for c, s, t, _ in events(pipeline, body)] == [("190", "TUR", "IRQ")]


def test_a_result_participle_names_whom_when_the_attack_does_not(pipeline) -> None:
    body = "A roadside bomb hit a patrol near Kandahar, killing two Afghan soldiers."
    assert [t for _, _, t, _ in events(pipeline, body)] == ["AFGMIL"]


@pytest.mark.parametrize(
    "body",
    [
        "China said it would take measures to safeguard the rights of Chinese companies.",
        "The minister vowed to protect the interests of Greek exporters.",
    ],
)
def test_protecting_rights_or_interests_is_no_military_protection(pipeline, body: str) -> None:
    assert "074" not in codes(pipeline, body)


def test_engaging_in_dialogue_is_no_attack(pipeline) -> None:
    body = "The United States urged Serbia to engage in dialogue with Kosovo."
    assert not [c for c in codes(pipeline, body) if c.startswith("19")]


@pytest.mark.parametrize(
    ("body", "target"),
    [
        ("Iran said Israel would face consequences for the strike.", "ISR"),
        ("The Russian foreign ministry said it would take countermeasures against the EU.", "EEC"),
        ("Beijing said Manila would pay a heavy price for the exercises.", "PHLGOV"),
    ],
)
def test_a_consequence_in_a_reported_clause_makes_a_threat(pipeline, body, target) -> None:
    assert [(c, t) for c, _, t, _ in events(pipeline, body)] == [("130", target)]


@pytest.mark.parametrize(
    "body",
    [
        "The World Food Programme said it had distributed hot meals to displaced people in Haiti.",
        "The UN refugee agency delivered plastic sheeting and cooking kits to families in Congo.",
    ],
)
def test_delivering_relief_items_is_humanitarian_aid(pipeline, body: str) -> None:
    assert codes(pipeline, body) == ["073"]


def test_not_accepting_what_the_other_side_wants_is_a_rejection(pipeline) -> None:
    body = "Armenia said Yerevan would not accept preconditions from Azerbaijan."
    assert [(c, s, t) for c, s, t, _ in events(pipeline, body)] == [("120", "ARMGOV", "AZE")]
    assert codes(pipeline, "Japan accepted the proposal of Russia.") == ["030"]
