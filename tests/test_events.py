"""The event engine's rules, on our own sentences: reporting, intent, demands through modals,
denial, refusal, framing, light verbs, passive voice, negation, the future, means and result,
actorless principal events and the choice of the root event (docs/dictionaries.md)."""

from __future__ import annotations

from tests.conftest import code_text


def events(pipeline, body: str):
    return [
        (
            e.code,
            e.source.code if e.source else None,
            e.target.code if e.target else None,
            e.modality,
            e.is_root,
        )
        for e in code_text(pipeline, body).events
    ]


def root(pipeline, body: str):
    (event,) = [e for e in code_text(pipeline, body).events if e.is_root]
    return event


def test_a_reported_attack_is_the_event_not_the_statement(pipeline) -> None:
    assert events(pipeline, "Pakistan said India attacked the Pakistani border posts.") == [
        ("190", "IND", "PAK", "asserted", True)
    ]


def test_the_speakers_own_future_act_is_an_intent(pipeline) -> None:
    event = root(pipeline, "Russia said it would cooperate with Japan on energy.")
    assert (event.code, event.source.code, event.target.code) == ("0311", "RUS", "JPN")
    assert event.modality == "asserted"
    assert event.rule.startswith("verbs.yaml:")
    assert "framing.yaml" in event.rule and "intent: 061 -> 0311" in event.rule


def test_an_announced_future_act_of_another_is_its_intent(pipeline) -> None:
    event = root(pipeline, "Japanese officials said the Chinese president will visit Japan.")
    assert (event.code, event.source.code, event.target.code) == ("036", "CHNGOV", "JPN")


def test_someone_elses_possible_act_leaves_a_statement(pipeline) -> None:
    body = "The Japanese government said the Chinese army could attack Taiwan."
    assert events(pipeline, body) == [
        ("190", "CHNMIL", "TWN", "hypothetical", False),
        ("010", "JPNGOV", "CHNMIL", "asserted", True),
    ]


def test_a_reported_must_is_a_demand_on_the_doer(pipeline) -> None:
    event = root(pipeline, "The British foreign minister said Libya must hand over the suspects.")
    assert (event.code, event.source.code, event.target.code) == ("1053", "GBRGOV", "LBY")


def test_a_negated_intent_of_the_speaker_is_a_refusal(pipeline) -> None:
    event = root(pipeline, "Russia said it would not sign the treaty with Ukraine.")
    assert (event.code, event.source.code, event.target.code) == ("127", "RUS", "UKR")


def test_a_denial_codes_the_denial_and_not_the_denied_act(pipeline) -> None:
    assert events(pipeline, "Pakistan denied that its troops attacked Indian posts.") == [
        ("016", "PAK", "IND", "asserted", True)
    ]


def test_a_refusal_is_one_event_the_rejection(pipeline) -> None:
    assert events(pipeline, "Japan refused to sign the agreement with Russia.") == [
        ("127", "JPN", "RUS", "asserted", True),
    ]


def test_framed_acts_keep_the_refused_act_negated(pipeline_with_framed_acts) -> None:
    assert events(
        pipeline_with_framed_acts, "Japan refused to sign the agreement with Russia."
    ) == [
        ("127", "JPN", "RUS", "asserted", True),
        ("057", "JPN", "RUS", "negated", False),
    ]


def test_calling_someone_to_discuss_is_a_consultation(pipeline) -> None:
    body = "The American president called the Turkish president to discuss the war in Syria."
    assert events(pipeline, body) == [("041", "USAGOV", "TURGOV", "asserted", True)]


def test_an_appeal_takes_the_code_of_the_act(pipeline) -> None:
    assert events(pipeline, "Germany urged Turkey to release the journalist.") == [
        ("0253", "DEU", "TUR", "asserted", True),
    ]


def test_framed_acts_keep_the_appealed_act_hypothetical(pipeline_with_framed_acts) -> None:
    assert events(pipeline_with_framed_acts, "Germany urged Turkey to release the journalist.") == [
        ("0253", "DEU", "TUR", "asserted", True),
        ("0841", "TUR", "MED", "hypothetical", False),
    ]


def test_a_threat_takes_the_code_of_the_threatened_act(pipeline, pipeline_with_framed_acts) -> None:
    body = "Russia threatened to cut gas supplies to Ukraine."
    assert events(pipeline, body) == [("1312", "RUS", "UKR", "asserted", True)]
    assert events(pipeline_with_framed_acts, body)[1:] == [
        ("163", "RUS", "UKR", "hypothetical", False),
    ]


def test_an_accusation_makes_the_accused_the_doer_of_the_alleged_act(
    pipeline, pipeline_with_framed_acts
) -> None:
    body = "India accused Pakistan of violating the ceasefire."
    assert events(pipeline, body) == [("1123", "IND", "PAK", "asserted", True)]
    assert events(pipeline_with_framed_acts, body)[1:] == [
        ("196", "PAK", None, "hypothetical", False),
    ]


def test_an_order_is_the_act_of_the_one_who_orders(pipeline) -> None:
    body = "The Greek government ordered the army to withdraw from the border with Turkey."
    event = root(pipeline, body)
    assert (event.code, event.source.code, event.target.code) == ("0874", "GRCGOV", "TUR")


def test_passive_voice_takes_the_agent_as_source(pipeline) -> None:
    assert events(pipeline, "The Philippines was criticised by China over the ruling.") == [
        ("111", "CHN", "PHL", "asserted", True)
    ]


def test_negation_is_kept_and_coordinated_actors_act_on_each_other(pipeline) -> None:
    assert events(pipeline, "India and Japan have not signed the agreement.") == [
        ("057", "IND", "JPN", "negated", True),
        ("057", "JPN", "IND", "negated", True),
    ]


def test_future_auxiliary(pipeline) -> None:
    assert events(pipeline, "The Japanese prime minister will visit Moscow next month.") == [
        ("042", "JPNGOV", "RUSGOV", "future", True)
    ]


def test_a_light_verb_gives_its_subject_to_the_event_noun(pipeline) -> None:
    assert events(pipeline, "Japan imposed sanctions on Russia.") == [
        ("163", "JPN", "RUS", "asserted", True)
    ]
    assert events(pipeline, "Iraqi troops launched an assault on Syrian rebels.") == [
        ("190", "IRQMIL", "SYRREB", "asserted", True)
    ]


def test_lifting_sanctions_is_not_imposing_them(pipeline) -> None:
    assert events(pipeline, "The United States lifted sanctions against Sudan.") == [
        ("085", "USA", "SDN", "asserted", True)
    ]


def test_condemning_an_attack_does_not_make_the_critic_the_attacker(pipeline) -> None:
    coded = code_text(pipeline, "Turkey condemned the attack on the embassy.")
    assert [(e.code, e.source.code) for e in coded.events] == [("111", "TUR")]


def test_an_attack_noun_as_subject_gives_the_means_and_the_verb_the_victim(pipeline) -> None:
    event = root(pipeline, "A car bomb killed ten Iraqi soldiers in Baghdad.")
    assert (event.code, event.source, event.target.code) == ("1832", None, "IRQMIL")
    assert "means and result" in event.rule


def test_an_event_without_a_coded_actor_is_dropped_by_default(pipeline) -> None:
    # Settings(require="actor"), the default: an event needs a coded source or target; with
    # require="none" the actorless principal event is kept (tests/test_precision.py)
    assert events(pipeline, "The crew was released on Friday.") == []


def test_a_phrasal_verb_is_its_own_entry(pipeline) -> None:
    assert events(pipeline, "The rebels pulled out of the town on Friday.") == [
        ("0874", "REB", None, "asserted", True)
    ]
    assert [e.code for e in code_text(pipeline, "Mexico called off the talks.").events] != ["020"]


def test_an_excluded_object_rules_an_entry_out(pipeline) -> None:
    assert [e.code for e in code_text(pipeline, "India met its climate targets.").events] == []
    coded = code_text(pipeline, "India met Pakistan in Delhi.")
    assert [(e.code, e.source.code, e.target.code) for e in coded.events] == [("040", "IND", "PAK")]


def test_the_root_is_the_asserted_event_nearest_the_top_of_the_tree(pipeline) -> None:
    coded = code_text(
        pipeline, "Turkey rejected the peace plan after India accused Pakistan of aggression."
    )
    roots = [e for e in coded.events if e.is_root]
    assert [(e.code, e.source.code) for e in roots] == [("127", "TUR")]
    assert {e.code for e in coded.events} >= {"127", "1123"}


def test_one_root_per_sentence(pipeline) -> None:
    body = "Japan imposed sanctions on Russia. Russia criticised Japan for the sanctions."
    coded = code_text(pipeline, body)
    assert sorted((e.sentence_index, e.code) for e in coded.events if e.is_root) == [
        (0, "163"),
        (1, "111"),
    ]
