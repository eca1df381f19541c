"""One parametrised test per CAMEO root: at least five sentences each, written by us.

Each case codes one sentence as an article and checks the sentence's principal (root) event:
its CAMEO code, the source's country and the target's country (None for an international body
or a bare role, or when the sentence names no target).
"""

from __future__ import annotations

import pytest

from tests.conftest import code_text

ROOT_CASES: dict[str, list[tuple[str, str, str | None, str | None]]] = {
    "01": [
        (
            "The Chinese foreign minister said relations with Japan were improving.",
            "010",
            "CHN",
            "JPN",
        ),
        (
            "The Kenyan government expressed concern to Uganda about the arrests.",
            "012",
            "KEN",
            "UGA",
        ),
        (
            "The Italian prime minister expressed optimism about the talks with Canada.",
            "013",
            "ITA",
            None,
        ),
        (
            "The Pakistani Taliban claimed responsibility for the bombing in Peshawar.",
            "015",
            "PAK",
            "PAK",
        ),
        (
            "The Brazilian president sent his condolences to Portugal after the floods.",
            "018",
            "BRA",
            "PRT",
        ),
        ("Indonesia denied that its navy had entered the waters of Malaysia.", "016", "IDN", None),
    ],
    "02": [
        ("France called for a ceasefire in Libya.", "0256", "FRA", "LBY"),
        ("Germany urged Turkey to release the jailed journalist.", "0253", "DEU", "TUR"),
        (
            "The Japanese foreign minister called on North Korea to return to talks.",
            "026",
            "JPN",
            "PRK",
        ),
        (
            "Nepal appealed to India for humanitarian aid after the earthquake.",
            "0233",
            "NPL",
            "IND",
        ),
        ("The Lebanese government asked France for economic aid.", "0231", "LBN", "FRA"),
    ],
    "03": [
        ("Russia said it would cooperate with Japan on energy.", "0311", "RUS", "JPN"),
        ("Japan pledged humanitarian aid to the Philippines.", "0333", "JPN", "PHL"),
        ("Qatar offered to mediate between Sudan and Chad.", "039", "QAT", "SDN"),
        ("Iran said it was ready to talk with the United States.", "036", "IRN", "USA"),
        ("Serbia agreed to release the Kosovar police officers.", "0353", "SRB", "XKX"),
    ],
    "04": [
        (
            "The Russian foreign minister met his Japanese counterpart in Moscow.",
            "040",
            "RUS",
            "JPN",
        ),
        ("The Indian prime minister visited Bangladesh on Saturday.", "042", "IND", "BGD"),
        ("Egypt hosted the Israeli prime minister in Sharm el-Sheikh.", "043", "EGY", "ISR"),
        (
            "The American president called the Turkish president to discuss the war in Syria.",
            "041",
            "USA",
            "TUR",
        ),
        ("Colombia negotiated with Venezuela over the border crossings.", "046", "COL", "VEN"),
    ],
    "05": [
        ("The Canadian prime minister praised Mexico for its help.", "051", "CAN", "MEX"),
        ("Sweden recognised Palestine as a state.", "054", "SWE", "PSE"),
        ("The Dutch king apologized to Indonesia for the colonial violence.", "055", "NLD", "IDN"),
        ("India and Japan signed a nuclear agreement in Tokyo.", "057", "IND", "JPN"),
        ("The United States defended Israel at the United Nations.", "052", "USA", "ISR"),
    ],
    "06": [
        ("Israeli intelligence officials shared evidence with Germany.", "064", "ISR", "DEU"),
        ("Zambia extradited the suspect to Britain.", "063", "ZMB", "GBR"),
        ("Jordan and Britain held joint military exercises near Amman.", "062", "JOR", "GBR"),
        ("China invested in the railways of Kenya.", "061", "CHN", "KEN"),
        ("French instructors trained Malian troops in Bamako.", "062", "FRA", "MLI"),
    ],
    "07": [
        ("The United States sent aid to Haiti after the hurricane.", "070", "USA", "HTI"),
        ("The World Bank granted a loan to Egypt.", "071", None, "EGY"),
        ("Germany delivered tanks to Ukraine.", "072", "DEU", "UKR"),
        ("Turkey sent tents and blankets to Syria.", "073", "TUR", "SYR"),
        ("Ecuador granted asylum to the Australian activist.", "075", "ECU", "AUS"),
    ],
    "08": [
        ("The United States lifted sanctions against Sudan.", "085", "USA", "SDN"),
        ("Iran released the British sailors on Friday.", "0841", "IRN", "GBR"),
        ("The Algerian president stepped down after the protests.", "0831", "DZA", None),
        ("Russia withdrew troops from the border with Ukraine.", "087", "RUS", "UKR"),
        ("The rebels in Yemen declared a ceasefire with Saudi Arabia.", "0871", "YEM", "SAU"),
    ],
    "09": [
        (
            "The Brazilian police opened an investigation into the former Brazilian president.",
            "090",
            "BRA",
            "BRA",
        ),
        (
            "The Kenyan government investigated the Kenyan police for corruption.",
            "091",
            "KEN",
            "KEN",
        ),
        ("The United Nations investigated human rights abuses in Myanmar.", "092", None, "MMR"),
        ("Turkey investigated the attack on its embassy in Libya.", "093", "TUR", "TUR"),
        ("The International Criminal Court investigated war crimes in Sudan.", "094", None, "SDN"),
    ],
    "10": [
        ("Israel demanded the release of the soldiers from Hamas.", "1053", "ISR", "PSE"),
        ("Ukraine demanded the withdrawal of Russian troops from Crimea.", "1056", "UKR", "RUS"),
        ("China demanded an apology from Japan.", "102", "CHN", "JPN"),
        (
            "The Lebanese protesters demanded the resignation of the Lebanese government.",
            "1041",
            "LBN",
            "LBN",
        ),
        ("Poland demanded reparations from Germany.", "1011", "POL", "DEU"),
    ],
    "11": [
        ("China criticised the Philippines over the ruling.", "111", "CHN", "PHL"),
        ("India accused Pakistan of sheltering militants.", "112", "IND", "PAK"),
        ("Armenia accused Azerbaijan of aggression on the border.", "1123", "ARM", "AZE"),
        ("Japan protested to Russia over the missile deployment.", "114", "JPN", "RUS"),
        ("The Philippines sued China at the tribunal in The Hague.", "115", "PHL", "CHN"),
    ],
    "12": [
        ("China rejected the ruling of the tribunal.", "120", "CHN", None),
        ("Japan refused to sign the agreement with Russia.", "127", "JPN", "RUS"),
        ("North Korea rejected aid from South Korea.", "122", "PRK", "KOR"),
        ("The Taliban refused talks with the Afghan government.", "125", "AFG", "AFG"),
        ("Russia vetoed the resolution on Syria.", "129", "RUS", "SYR"),
    ],
    "13": [
        ("The G7 threatened Russia with further sanctions.", "1312", None, "RUS"),
        ("Turkey threatened Syria with military action.", "138", "TUR", "SYR"),
        ("Algeria threatened to sever ties with Morocco.", "1313", "DZA", "MAR"),
        ("Israel threatened airstrikes on Lebanon.", "1384", "ISR", "LBN"),
        ("Saudi Arabia gave an ultimatum to Qatar.", "139", "SAU", "QAT"),
    ],
    "14": [
        ("Protesters demonstrated against the government in Seoul.", "141", "KOR", "KOR"),
        ("Armenian protesters staged a rally outside the parliament.", "141", "ARM", None),
        ("Nigerian workers went on strike over the fuel price.", "143", "NGA", None),
        ("The opposition party boycotted the election in Bangladesh.", "143", "BGD", "BGD"),
        ("Bolivian miners blocked the main highway to the capital.", "144", "BOL", None),
    ],
    "15": [
        ("China held military exercises near Taiwan.", "150", "CHN", "TWN"),
        ("North Korea tested a ballistic missile on Sunday.", "150", "PRK", None),
        ("Israel mobilized its army on the border with Lebanon.", "154", "ISR", "LBN"),
        ("The French government deployed riot police in Paris.", "153", "FRA", "FRA"),
        ("Russia put its nuclear forces on high alert.", "152", "RUS", None),
    ],
    "16": [
        ("Bolivia severed diplomatic ties with Israel.", "161", "BOL", "ISR"),
        ("Switzerland expelled two Russian diplomats.", "161", "CHE", "RUS"),
        ("The United States suspended aid to Mali.", "162", "USA", "MLI"),
        ("Japan imposed sanctions on Russia.", "163", "JPN", "RUS"),
        ("The United States suspended talks with Russia on Syria.", "164", "USA", "RUS"),
    ],
    "17": [
        ("Russian police arrested protesters in Moscow.", "173", "RUS", "RUS"),
        ("Iran seized a British tanker in the Gulf.", "171", "IRN", "GBR"),
        ("The Sri Lankan government imposed a curfew in Colombo.", "1723", "LKA", "LKA"),
        ("Algeria deported Malian migrants to Niger.", "174", "DZA", "MLI"),
        ("The Belarusian police dispersed the protesters in Minsk.", "175", "BLR", "BLR"),
    ],
    "18": [
        ("Gunmen kidnapped a Mexican journalist.", "181", None, "MEX"),
        ("The Zimbabwean police beat the opposition supporters.", "182", "ZWE", None),
        ("Militants killed three Malian villagers.", "1823", None, "MLI"),
        ("A suicide bomber attacked the Iraqi parliament.", "1831", None, "IRQ"),
        ("The rebels tried to kill the president of Chad.", "185", "TCD", "TCD"),
    ],
    "19": [
        ("Indian troops attacked Pakistani posts in Kashmir.", "190", "IND", "PAK"),
        ("Saudi Arabia blockaded Qatar.", "191", "SAU", "QAT"),
        ("Russia annexed Crimea in 2014.", "192", "RUS", "UKR"),
        ("Hamas fired rockets at Israel.", "194", "PSE", "ISR"),
        ("Syrian government forces violated the ceasefire in Idlib.", "196", "SYR", "SYR"),
    ],
    "20": [
        ("The Islamic State group massacred Yazidi villagers in Iraq.", "202", None, "IRQ"),
        ("The Syrian government used chemical weapons against civilians.", "2041", "SYR", None),
        ("North Korea detonated a nuclear device underground.", "2042", "PRK", None),
        (
            "Serb forces carried out ethnic cleansing against the Albanians of Kosovo.",
            "203",
            "SRB",
            "XKX",  # a people of a place is an ethnic group living there (docs/actors.md)
        ),
        ("The Burmese army committed atrocities against the Rohingya.", "200", "MMR", None),
    ],
}


def test_every_root_has_five_sentences() -> None:
    assert sorted(ROOT_CASES) == [f"{n:02d}" for n in range(1, 21)]
    for root, cases in ROOT_CASES.items():
        assert len(cases) >= 5, root
        assert all(code.startswith(root) for _, code, _, _ in cases), root


def _root_event(pipeline, sentence: str):
    coded = code_text(pipeline, sentence)
    roots = [e for e in coded.events if e.is_root]
    assert len({(e.sentence_index, e.trigger) for e in roots}) == 1, [
        (e.code, e.trigger.text) for e in coded.events
    ]
    return roots[0]


@pytest.mark.parametrize("root", sorted(ROOT_CASES))
def test_root(pipeline, root: str) -> None:
    for sentence, code, source, target in ROOT_CASES[root]:
        event = _root_event(pipeline, sentence)
        got = (
            event.code,
            event.source.country if event.source else None,
            event.target.country if event.target else None,
        )
        assert got == (code, source, target), f"{sentence}: {event.rule}"
