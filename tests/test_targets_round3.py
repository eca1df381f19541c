"""Target picking, third pass (docs/accuracy.md, "Third pass: targets"), on our own sentences:
the holder of an ``X-held`` thing, content clauses on the object noun, ``for X to`` clauses,
pronoun targets coded as named, the source's own forces passed over, the destination of an
infinitive of purpose, one-sided acts of coordinated sources, named people described by an
appositive, and role nouns for people (victims, suspects, pupils, truckers ...)."""

from __future__ import annotations

from tests.conftest import code_text


def roots(pipeline, body: str) -> list[tuple[str, str | None, str | None, str | None]]:
    """(code, source code, target code, target text) of each principal event."""
    return [
        (
            e.code,
            e.source.code if e.source else None,
            e.target.code if e.target else None,
            e.target.text if e.target else None,
        )
        for e in code_text(pipeline, body).events
        if e.is_root
    ]


def test_a_rebel_held_town_is_the_rebels(pipeline) -> None:
    assert roots(
        pipeline, "Government warplanes bombed the rebel-held town of Karsa on Monday."
    ) == [("195", "GOVMIL", "REB", "rebel")]


def test_a_un_brokered_truce_is_the_uns(pipeline) -> None:
    assert roots(
        pipeline, "The militia has violated a UN-brokered truce several times this week."
    ) == [("196", "UAF", "UNO", "UN")]


def test_hope_that_a_party_will_act_targets_that_party(pipeline) -> None:
    body = "Turkish diplomats voiced hope that the new government in Greece would reopen the talks."
    assert roots(pipeline, body) == [("013", "TURGOV", "GRCGOV", "the new government")]


def test_rejecting_a_claim_about_a_party_targets_that_party(pipeline) -> None:
    body = "The Kenyan minister rejected the claim that Uganda had closed the border."
    assert roots(pipeline, body) == [("016", "KENGOV", "UGA", "Uganda")]


def test_a_call_for_a_party_to_act_targets_that_party(pipeline) -> None:
    body = "The French president called on Monday for Italy to join the naval mission."
    assert roots(pipeline, body) == [("020", "FRAGOV", "ITA", "Italy")]


def test_a_pronoun_target_is_coded_as_named_in_the_sentence(pipeline) -> None:
    body = (
        "The Japanese prime minister phoned President Moon Jae-in of South Korea and urged him "
        "to resume the talks."
    )
    coded = code_text(pipeline, body)
    urged = [e for e in coded.events if e.code == "026"]
    assert [(e.source.code, e.target.code, e.target.text) for e in urged] == [
        ("JPNGOV", "KORGOV", "President Moon Jae-in")
    ]
    assert body[urged[0].target.span.start : urged[0].target.span.end] == "President Moon Jae-in"


def test_the_sources_own_troops_are_passed_over_for_the_party_helped(pipeline) -> None:
    assert roots(pipeline, "Canada offered to send troops to help the Malian army.") == [
        ("138", "CAN", "MLIMIL", "the Malian army")
    ]


def test_experts_sent_to_a_country_to_investigate_target_it(pipeline) -> None:
    assert roots(pipeline, "Norway sent police experts to Chad to investigate the killings.") == [
        ("091", "NOR", "TCD", "Chad")
    ]


def test_coordinated_sources_on_alert_do_not_target_each_other(pipeline) -> None:
    assert roots(pipeline, "The police and the soldiers remained on alert.") == [
        ("152", "COP", None, None),
        ("152", "MIL", None, None),
    ]


def test_coordinated_signers_still_act_on_each_other(pipeline) -> None:
    assert roots(pipeline, "Russia and Japan signed a fisheries agreement.") == [
        ("057", "RUS", "JPN", "Japan"),
        ("057", "JPN", "RUS", "Russia"),
    ]


def test_a_name_described_by_an_appositive_takes_its_actor(pipeline) -> None:
    coded = code_text(pipeline, "A Kenyan court freed Omar Haddad, a Somali journalist, on Friday.")
    (event,) = [e for e in coded.events if e.is_root]
    assert (event.code, event.source.code, event.target.code) == ("084", "KENJUD", "SOMMED")
    assert event.target.text == "Omar Haddad"
    assert event.target.rule.endswith("from the appositive")


def test_suspects_are_criminals(pipeline) -> None:
    assert roots(pipeline, "Police in Nairobi detained several suspects after the attack.") == [
        ("173", "KENCOP", "KENCRM", "several suspects")
    ]


def test_lecturers_and_victims_are_actors(pipeline) -> None:
    assert roots(pipeline, "The ministry pressured lecturers to end their strike.") == [
        ("170", "GOV", "EDU", "lecturers")
    ]
    assert roots(pipeline, "The governor promised help to the victims of the floods.") == [
        ("033", "GOV", "CVL", "the victims")
    ]


def test_a_un_operation_found_below_stands_for_the_country_it_serves(pipeline) -> None:
    body = "Vietnam is ready to contribute troops to the UN peacekeeping operation in South Sudan."
    assert roots(pipeline, body) == [("030", "VNM", "SSD", "South Sudan")]


def test_a_light_verbs_participle_or_purpose_names_the_target(pipeline) -> None:
    body = (
        "Iraqi jets carried out a raid on Tuesday, targeting militant commanders in eastern Syria."
    )
    assert roots(pipeline, body) == [("173", "IRQ", "SYRINSMIL", "militant commanders")]
    body = (
        "The jailed opposition leader started a hunger strike to protest against the Belarusian "
        "authorities."
    )
    assert roots(pipeline, body) == [("142", "OPP", "BLRGOV", "the Belarusian authorities")]


def test_examples_of_what_is_sent_are_no_target(pipeline) -> None:
    body = (
        "Malaysia is sending aid, including volunteers and tents, to help the victims of the storm."
    )
    assert roots(pipeline, body) == [("070", "MYS", "MYSCVL", "the victims")]


def test_coordinated_sources_on_alert_target_the_place(pipeline) -> None:
    assert roots(
        pipeline, "The police and the soldiers remained on alert in Nairobi on Sunday."
    ) == [
        ("152", "KENCOP", "KEN", "Nairobi"),
        ("152", "KENMIL", "KEN", "Nairobi"),
    ]


def test_an_act_decided_on_is_searched_for_its_target(pipeline) -> None:
    body = "The Indian government has decided to lift some of its restrictions on trade with Nepal."
    assert roots(pipeline, body) == [("081", "INDGOV", "NPL", "Nepal")]
    body = "The Egyptian government has decided to ease the curfew imposed in parts of North Sinai."
    assert roots(pipeline, body) == [("0813", "EGYGOV", "EGY", "North Sinai")]


def test_believers_owners_and_volunteers_are_actors(pipeline) -> None:
    assert roots(pipeline, "The gunmen released 12 Christians on Sunday.") == [
        ("0841", "UAF", "CHR", "12 Christians")
    ]
    assert roots(pipeline, "The museum returned the stolen painting to its owners.") == [
        ("0842", None, "CVL", "owners")
    ]
    assert roots(pipeline, "The rebels will release a kidnapped volunteer and a Danish nurse.") == [
        ("084", "REB", "CVL", "a kidnapped volunteer"),
        ("084", "REB", "DNKHLH", "a Danish nurse"),
    ]
