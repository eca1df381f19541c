"""Actor resolution: our own sentences and short articles -> (mention as written, code).

Each case resolves a text with the real spaCy model and the built-in dictionaries and checks the
codes resolved for one mention exactly. A mention that stands for several actors (``Hungarian
and Romanian officials``, ``the two sides``) lists them joined by ``|`` in order.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from newsevents.coding.actors import ActorDictionary, ResolvedActors
from newsevents.errors import DictionaryError

DAY = dt.date(2016, 12, 3)
ABE = (
    "Japanese Prime Minister Shinzo Abe visited Moscow. Abe met business leaders. "
    "The prime minister later left. He flew home."
)
MERKEL = (
    "German Chancellor Angela Merkel met French President Francois Hollande. "
    "Merkel praised Hollande. The German leader said she was hopeful."
)
LI_SCHOLZ = (
    "Chinese Premier Li Qiang met German Chancellor Olaf Scholz. The two leaders discussed trade."
)

RESOLUTIONS = [
    ("Village elders in Mali rejected the plan.", "Village elders", "MLICVL"),
    ("A terror group based in Trinidad claimed the attack.", "A terror group", "TTOINS"),
    ("The Saudi-led coalition bombed the port.", "The Saudi-led coalition", "SAU"),
    ("Nigerian-led troops entered the town.", "Nigerian-led troops", "NGAMIL"),
    ("Pakistan-based groups launched the attacks.", "Pakistan-based groups", "PAK"),
    ("Kuwait's rulers rejected the plan.", "rulers", "KWTGOV"),
    ("Japan protested to Russia.", "Japan", "JPN"),
    ("Japan protested to Russia.", "Russia", "RUS"),
    ("The United States criticized North Korea.", "The United States", "USA"),
    ("The United States criticized North Korea.", "North Korea", "PRK"),
    ("South Korea hosted the talks.", "South Korea", "KOR"),
    ("The US warned Iran.", "The US", "USA"),
    ("The US warned Iran.", "Iran", "IRN"),
    ("Britain and France signed the accord.", "Britain", "GBR"),
    ("Britain and France signed the accord.", "France", "FRA"),
    ("The United Kingdom expelled two diplomats.", "The United Kingdom", "GBR"),
    ("Ivory Coast reopened its border with Ghana.", "Ivory Coast", "CIV"),
    ("Ivory Coast reopened its border with Ghana.", "Ghana", "GHA"),
    ("Myanmar released the prisoners.", "Myanmar", "MMR"),
    ("The Netherlands summoned the ambassador of Turkey.", "The Netherlands", "NLD"),
    ("The Czech Republic recalled its envoy.", "The Czech Republic", "CZE"),
    ("Saudi Arabia and the United Arab Emirates cut ties with Qatar.", "Saudi Arabia", "SAU"),
    (
        "Saudi Arabia and the United Arab Emirates cut ties with Qatar.",
        "the United Arab Emirates",
        "ARE",
    ),
    ("Saudi Arabia and the United Arab Emirates cut ties with Qatar.", "Qatar", "QAT"),
    ("Kosovo asked Serbia for talks.", "Kosovo", "XKX"),
    ("Kosovo asked Serbia for talks.", "Serbia", "SRB"),
    ("Russian officials met Chinese diplomats.", "Russian officials", "RUSGOV"),
    ("Russian officials met Chinese diplomats.", "Chinese diplomats", "CHNGOV"),
    ("Emirati investors bought the port.", "Emirati investors", "AREBUS"),
    ("French troops left Mali.", "French troops", "FRAMIL"),
    ("French troops left Mali.", "Mali", "MLI"),
    ("British police arrested the suspect.", "British police", "GBRCOP"),
    ("Iranian hardliners condemned the deal.", "Iranian hardliners", "IRNRAD"),
    ("Ukrainian soldiers shelled the village.", "Ukrainian soldiers", "UKRMIL"),
    ("Pakistani militants attacked the post.", "Pakistani militants", "PAKINS"),
    ("Egyptian protesters marched on the embassy.", "Egyptian protesters", "EGYCVL"),
    ("Turkish judges rejected the appeal.", "Turkish judges", "TURJUD"),
    ("Indian lawmakers approved the bill.", "Indian lawmakers", "INDLEG"),
    ("Syrian rebels seized the town.", "Syrian rebels", "SYRREB"),
    ("Afghan refugees crossed into Iran.", "Afghan refugees", "AFGREF"),
    ("Afghan refugees crossed into Iran.", "Iran", "IRN"),
    ("Moscow rejected the proposal.", "Moscow", "RUSGOV"),
    ("Beijing warned Washington.", "Beijing", "CHNGOV"),
    ("Beijing warned Washington.", "Washington", "USAGOV"),
    ("Tokyo protested to Seoul.", "Tokyo", "JPNGOV"),
    ("Tokyo protested to Seoul.", "Seoul", "KORGOV"),
    ("Kyiv accused Moscow of shelling.", "Kyiv", "UKRGOV"),
    ("Kyiv accused Moscow of shelling.", "Moscow", "RUSGOV"),
    ("Tehran summoned the envoy.", "Tehran", "IRNGOV"),
    ("New Delhi and Islamabad exchanged lists.", "New Delhi", "INDGOV"),
    ("New Delhi and Islamabad exchanged lists.", "Islamabad", "PAKGOV"),
    ("The Kremlin denied the report.", "The Kremlin", "RUSGOV"),
    ("The White House welcomed the vote.", "The White House", "USAGOV"),
    ("The Pentagon sent more troops.", "The Pentagon", "USAMIL"),
    ("Downing Street rejected the claim.", "Downing Street", "GBRGOV"),
    ("The Elysee praised the agreement.", "The Elysee", "FRAGOV"),
    ("The State Department criticized the arrests.", "The State Department", "USAGOV"),
    ("Whitehall confirmed the talks.", "Whitehall", "GBRGOV"),
    ("Kremlin officials met the delegation.", "Kremlin officials", "RUSGOV"),
    ("White House officials briefed reporters.", "White House officials", "USAGOV"),
    ("The United Nations urged restraint.", "The United Nations", "UNO"),
    ("NATO expanded its patrols.", "NATO", "NAT"),
    ("The European Union imposed sanctions on Belarus.", "The European Union", "EEC"),
    ("The European Union imposed sanctions on Belarus.", "Belarus", "BLR"),
    ("The IMF approved a loan to Egypt.", "The IMF", "IMF"),
    ("The IMF approved a loan to Egypt.", "Egypt", "EGY"),
    ("The World Bank praised Kenya.", "The World Bank", "WBK"),
    ("The World Bank praised Kenya.", "Kenya", "KEN"),
    ("The African Union suspended Niger.", "The African Union", "AFU"),
    ("The African Union suspended Niger.", "Niger", "NER"),
    ("ASEAN called for calm.", "ASEAN", "ASN"),
    ("OPEC cut output.", "OPEC", "OPC"),
    ("The Red Cross visited the prisoners.", "The Red Cross", "IRC"),
    ("Amnesty International condemned the executions.", "Amnesty International", "AMN"),
    ("Human Rights Watch accused the army of abuses.", "Human Rights Watch", "HRW"),
    (
        "The World Health Organization warned of an outbreak.",
        "The World Health Organization",
        "WHO",
    ),
    (
        "NATO Secretary General Jens Stoltenberg visited Kyiv.",
        "NATO Secretary General Jens Stoltenberg",
        "NAT",
    ),
    ("NATO Secretary General Jens Stoltenberg visited Kyiv.", "Kyiv", "UKRGOV"),
    ("The UN chief urged a ceasefire.", "The UN chief", "UNO"),
    ("The UN Security Council condemned the attack.", "The UN Security Council", "USC"),
    ("Protesters clashed with police.", "Protesters", "CVL"),
    ("Protesters clashed with police.", "police", "COP"),
    ("Militants attacked a checkpoint.", "Militants", "INS"),
    ("Lawmakers passed the budget.", "Lawmakers", "LEG"),
    ("Russia's foreign minister met reporters.", "foreign minister", "RUSGOV"),
    ("Japan's defence minister inspected the base.", "defence minister", "JPNMIL"),
    ("The foreign minister of Japan arrived.", "The foreign minister", "JPNGOV"),
    ("Soldiers from Chad joined the mission.", "Soldiers", "TCDMIL"),
    ("Protesters in Hong Kong blocked the road.", "Protesters", "HKGCVL"),
    ("The government of Sudan rejected the plan.", "The government", "SDNGOV"),
    ("Putin's spokesman denied the story.", "spokesman", "RUSGOV"),
    ("Danish media and government criticized the ban.", "Danish media", "DNKMED"),
    ("Danish media and government criticized the ban.", "government", "DNKGOV"),
    ("Russian opposition lawmakers walked out.", "Russian opposition lawmakers", "RUSOPP"),
    ("US government and military officials met.", "US government", "USAGOV"),
    ("US government and military officials met.", "military officials", "USAMIL"),
    ("Iraqi riot police dispersed the crowd.", "Iraqi riot police", "IRQCOP"),
    ("Russia and Japan resumed talks.", "Russia", "RUS"),
    ("Russia and Japan resumed talks.", "Japan", "JPN"),
    (
        "Hungarian and Romanian officials agreed.",
        "Hungarian and Romanian officials",
        "HUNGOV|ROUGOV",
    ),
    ("Lawmakers in France and Germany welcomed the deal.", "Lawmakers", "FRALEG|DEULEG"),
    (
        "The ambassadors of Italy, Spain and Portugal protested.",
        "The ambassadors",
        "ITAGOV|ESPGOV|PRTGOV",
    ),
    (
        "Russia met Japan in Moscow on Monday. The two sides discussed a treaty.",
        "The two sides",
        "RUS|JPN",
    ),
    ("India and China held talks. Both countries want calm.", "Both countries", "IND|CHN"),
    (
        LI_SCHOLZ,
        "The two leaders",
        "CHNGOV|DEUGOV",
    ),
    ("Crimea held a vote.", "Crimea", "UKR"),
    ("Taiwan protested to Beijing.", "Taiwan", "TWN"),
    ("Taiwan protested to Beijing.", "Beijing", "CHNGOV"),
    ("The West Bank saw protests.", "The West Bank", "PSE"),
    ("Kashmir remained tense.", "Kashmir", "IND"),
    ("The Golan Heights were quiet.", "The Golan Heights", "SYR"),
    ("The Soviet Union invaded Afghanistan.", "The Soviet Union", "RUS"),
    ("The Soviet Union invaded Afghanistan.", "Afghanistan", "AFG"),
    ("Yugoslavia broke apart.", "Yugoslavia", "SRB"),
    ("Burma freed the journalist.", "Burma", "MMR"),
    ("Gaza fired rockets.", "Gaza", "PSE"),
    (
        ABE,
        "Japanese Prime Minister Shinzo Abe",
        "JPNGOV",
    ),
    (
        ABE,
        "Abe",
        "JPNGOV",
    ),
    (
        ABE,
        "The prime minister",
        "JPNGOV",
    ),
    (
        ABE,
        "He",
        "JPNGOV",
    ),
    (
        "Russian Foreign Minister Sergey Lavrov met his Japanese counterpart, Fumio Kishida.",
        "Russian Foreign Minister Sergey Lavrov",
        "RUSGOV",
    ),
    (
        "Russian Foreign Minister Sergey Lavrov met his Japanese counterpart, Fumio Kishida.",
        "Japanese counterpart",
        "JPNGOV",
    ),
    (
        MERKEL,
        "German Chancellor Angela Merkel",
        "DEUGOV",
    ),
    (
        MERKEL,
        "French President Francois Hollande",
        "FRAGOV",
    ),
    (
        MERKEL,
        "Merkel",
        "DEUGOV",
    ),
    (
        MERKEL,
        "Hollande",
        "FRAGOV",
    ),
    (
        MERKEL,
        "The German leader",
        "DEUGOV",
    ),
    (
        MERKEL,
        "she",
        "DEUGOV",
    ),
    (
        "Kenyan opposition leader Raila Odinga called a rally. Odinga said the vote was stolen.",
        "Kenyan opposition leader Raila Odinga",
        "KENOPP",
    ),
    (
        "Kenyan opposition leader Raila Odinga called a rally. Odinga said the vote was stolen.",
        "Odinga",
        "KENOPP",
    ),
    # A bare role takes its country from the event place, the one country the rest of the
    # sentence names, or the article's country in focus (docs/actors.md, "Bare roles").
    ("Police fired tear gas at demonstrators in Lagos.", "Police", "NGACOP"),
    ("Police fired tear gas at demonstrators in Lagos.", "demonstrators", "NGACVL"),
    ("The rebels rejected the plan of the Malian government.", "The rebels", "MLIREB"),
    ("The judge froze the assets of the Peruvian mining company.", "The judge", "PERJUD"),
    (
        "Kenya held elections on Sunday. Kenyan officials counted the votes. Protesters blocked "
        "roads.",
        "Protesters",
        "KENCVL",
    ),
    ("Protesters in Nairobi said police beat them.", "Protesters", "KENCVL"),
    ("Protesters in Nairobi said police beat them.", "them", "KENCVL"),
    # ... but not from the other party of its own act, nor from the party acted against
    ("Gunmen kidnapped a Kenyan teacher.", "Gunmen", "UAF"),
    ("The archbishop called for sanctions against Zimbabwe.", "The archbishop", "REL"),
    # collective nouns take a role from their modifier; captives and plain people are CVL
    ("A rebel group attacked the town.", "A rebel group", "REB"),
    ("The militants freed two hostages and three prisoners.", "three prisoners", "CVL"),
    ("The court freed four political prisoners.", "four political prisoners", "OPP"),
    # an ethnic group belongs to the country it lives in, not to its namesake
    ("Ethnic Hungarians in Romania marched on Sunday.", "Ethnic Hungarians", "ROUCVL"),
    # their/them: the nearest plural phrase, never the subject of the pronoun's own verb
    ("The rebels said the army had shelled their camps.", "their", "REB"),
    # "pro-"/"anti-" with a country name a stance, not the actor's country
    (
        "The pro-Iranian Hizbollah group declared a ceasefire.",
        "The pro-Iranian Hizbollah group",
        "LBNREB",
    ),
    (
        "An anti-American cleric addressed the crowd in Karachi.",
        "An anti-American cleric",
        "PAKREL",
    ),
    ("Islamic fundamentalists staged a strike in Cairo.", "Islamic fundamentalists", "EGYRAD"),
    # a name the tagger marks as a person and the office holders know is not the town
    ("Obama met Putin.", "Obama", "USAGOV"),
]


def resolve(pipeline, text: str, day: dt.date | None = DAY) -> ResolvedActors:
    return pipeline.actors(pipeline.parser(text), day)


def codes_by_mention(actors: ResolvedActors) -> dict[str, str]:
    found: dict[str, str] = {}
    for index in actors:
        for actor in actors.members(index):
            key = actor.text
            found[key] = f"{found[key]}|{actor.code}" if key in found else actor.code
    return found


@pytest.mark.parametrize(("text", "mention", "code"), RESOLUTIONS)
def test_resolution(pipeline, text: str, mention: str, code: str) -> None:
    assert codes_by_mention(resolve(pipeline, text)).get(mention) == code


def test_there_are_at_least_a_hundred_resolutions() -> None:
    assert len(RESOLUTIONS) >= 100


def test_coreference_keeps_text_and_the_span_it_was_resolved_from(pipeline) -> None:
    text = "Japanese Prime Minister Shinzo Abe visited Moscow. Later he met Putin."
    doc = pipeline.parser(text)
    actors = pipeline.actors(doc, DAY)
    he = next(a for i, a in actors.items() if doc[i].lower_ == "he")
    assert he.text == "he"
    assert he.code == "JPNGOV"
    assert he.resolved_from is not None
    assert he.resolved_from.text == "Japanese Prime Minister Shinzo Abe"
    assert he.rule == "coreference: pronoun"
    first = next(a for i, a in actors.items() if doc[i].text == "Abe")
    assert first.resolved_from is None
    assert text[first.span.start : first.span.end] == first.text


def test_a_later_descriptor_names_the_person_for_earlier_mentions(pipeline) -> None:
    text = "Dlamini thanked the donors. Eswatini Prime Minister Sibusiso Dlamini spoke later."
    actors = resolve(pipeline, text)
    assert codes_by_mention(actors)["Dlamini"] == "SWZGOV"


def test_a_group_maps_to_its_first_member_and_lists_all(pipeline) -> None:
    doc = pipeline.parser("Lawmakers in Peru and Chile welcomed the ruling.")
    actors = pipeline.actors(doc, DAY)
    head = next(t.i for t in doc if t.text == "Lawmakers")
    assert actors[head].code == "PERLEG"
    assert [a.code for a in actors.members(head)] == ["PERLEG", "CHLLEG"]
    assert actors.members(len(doc) + 5) == ()
    assert head in actors and len(actors) == len(list(actors))


def test_dyad_members_are_resolved_from_their_mentions(pipeline) -> None:
    text = "Vietnam and Laos signed a border pact. The two countries will patrol together."
    doc = pipeline.parser(text)
    actors = pipeline.actors(doc, DAY)
    head = next(t.i for t in doc if t.text == "countries")
    members = actors.members(head)
    assert [(a.code, a.resolved_from.text) for a in members] == [
        ("VNM", "Vietnam"),
        ("LAO", "Laos"),
    ]
    assert {a.rule for a in members} == {"group: countries = the dyad in focus"}


def test_no_dyad_without_two_countries_in_focus(pipeline) -> None:
    actors = resolve(pipeline, "Both sides said the talks were useful.")
    assert "Both sides" not in codes_by_mention(actors)


def test_office_holders_follow_the_article_date(pipeline) -> None:
    text = "Fumio Kishida met the envoy."
    before = codes_by_mention(resolve(pipeline, text, dt.date(2005, 1, 1)))
    during = codes_by_mention(resolve(pipeline, text, dt.date(2016, 5, 1)))
    assert "Fumio Kishida" not in before
    assert during["Fumio Kishida"] == "JPNGOV"


def test_a_title_with_a_known_name_takes_the_office_holder(pipeline) -> None:
    found = codes_by_mention(resolve(pipeline, "President Obama called Merkel.", None))
    assert found["President Obama"] == "USAGOV"


def test_user_tsv_layers_over_the_builtin_dictionary(tmp_path: Path, pipeline) -> None:
    from newsevents.coding.actors import ActorResolver

    path = tmp_path / "mine.tsv"
    path.write_text(
        "phrase\tcode\tstart\tend\n"
        "Kremlin\tRUSGOVSPY\t\t\n"
        "Northwind Alliance\tNWAREB\t\t\n"
        "Ada Brandt\tDEUGOVMIL\t2020-01-01\t2021-12-31\n"
    )
    dictionary = ActorDictionary.load(pipeline.parser.tokenize, [path])
    resolver = ActorResolver(dictionary, pipeline.parser.nlp.vocab, pipeline.gazetteer)
    text = "The Kremlin and the Northwind Alliance talked. Ada Brandt listened."
    found = codes_by_mention(resolver(pipeline.parser(text), dt.date(2021, 3, 1)))
    assert found["The Kremlin"] == "RUSGOVSPY"
    assert found["the Northwind Alliance"] == "NWAREB"
    assert found["Ada Brandt"] == "DEUGOVMIL"


def test_agent_roles_may_be_composite(tmp_path: Path) -> None:
    from newsevents.coding.actors import _PhraseLoader
    from newsevents.dictionaries import read_tsv

    path = tmp_path / "agents.tsv"
    path.write_text("phrase\trole\ndefence ministry\tGOVMIL\nbad one\tGOVM\n")
    rows = list(read_tsv(path, ["phrase", "role"]))
    loader = _PhraseLoader("agent", ("phrase", "role"))
    [(_, entry)] = list(loader.entries(rows[0], {}))
    assert entry.role == "GOVMIL"
    with pytest.raises(DictionaryError, match=r"agents\.tsv:3: role 'GOVM'"):
        list(loader.entries(rows[1], {}))


def test_a_role_word_before_a_thing_makes_no_actor(pipeline) -> None:
    found = codes_by_mention(resolve(pipeline, "The two navies began joint military exercises."))
    assert found == {"The two navies": "MIL"}


def test_an_inferred_country_is_explained_in_the_rule(pipeline) -> None:
    actors = resolve(pipeline, "Police fired tear gas at demonstrators in Lagos.")
    police = actors[0]
    assert (police.code, police.country, police.role) == ("NGACOP", "NGA", "COP")
    assert police.rule.split(", ")[1:] == ["country from the event place"]


def test_the_backer_of_a_group_is_not_its_country(pipeline) -> None:
    found = codes_by_mention(resolve(pipeline, "US-backed rebels attacked the town."))
    assert found == {"backed rebels": "REB"}


def test_a_month_is_not_a_place(pipeline) -> None:
    found = codes_by_mention(resolve(pipeline, "The envoy postponed a visit to Kenya in March."))
    assert "March" not in found
    assert found["Kenya"] == "KEN"


def test_a_named_person_is_not_the_town_of_that_name(pipeline) -> None:
    described = "Maria Lopez, the Chilean foreign minister, criticized Peru."
    assert codes_by_mention(resolve(pipeline, described))["Maria Lopez"] == "CHLGOV"
    assert "Maria Lopez" not in codes_by_mention(resolve(pipeline, "Maria Lopez criticized Peru."))


def test_an_appositive_describes_a_name_that_looks_like_a_town(pipeline) -> None:
    text = "Kenji Oshima, the United Nations relief coordinator, visited Chad."
    actor = resolve(pipeline, text)[1]
    assert (actor.text, actor.code) == ("Kenji Oshima", "UNO")
    assert actor.rule.endswith("from the appositive")


def test_a_name_in_apposition_is_not_a_town(pipeline) -> None:
    found = codes_by_mention(resolve(pipeline, "Senator Tom Harlow praised his wife, Ann Dole."))
    assert "his wife" not in found
    assert found["Senator Tom Harlow"] == "LEG"
