"""Background: sentences that describe, count or look back, and report no event of the news.

"North Korea fired more than 70 missiles last year", "Militant attacks have risen sharply over
the past three years", "Bangladesh already hosts about one million refugees", "Honiara was the
scene of fierce fighting in World War Two": the trigger words are there, but the sentence gives
a statistic or a place's history, not an act the story reports. ``data/framing.yaml`` (section
``background``, docs/dictionaries.md, "Background") holds the words; :meth:`Background.reason`
says which rule, if any, makes a trigger background. The event coder codes no event for such a
trigger. A state that has held since a date ("the border has been closed since 1994") is the
dates stage's: it keeps the event and flags it ``background`` (docs/context.md).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml
from spacy.tokens import Token

from newsevents.dictionaries import node_line, word_set
from newsevents.errors import DictionaryError

BACKGROUND_FIELDS = (
    "trend_verbs",
    "measure_nouns",
    "period_words",
    "approximators",
    "scene_nouns",
)
LARGE_COUNT = 1000
"""A count at least this large is an aggregate ("2,000 arrests"), not one act's tally."""
YEAR_RANGE = (1900, 2100)
"""Four-digit numbers read as years ("in 2023")."""
PARTITIVE_WORDS = frozenset({"some", "one", "many", "much", "part", "most", "all"})
"""Words between a scene noun and its event ("the scene of some of the fiercest fighting")."""


@dataclass(frozen=True)
class Background:
    """The words of the background rules (each rule's docstring says what it finds)."""

    trend_verbs: frozenset[str] = frozenset()
    measure_nouns: frozenset[str] = frozenset()
    period_words: frozenset[str] = frozenset()
    approximators: frozenset[str] = frozenset()
    scene_nouns: frozenset[str] = frozenset()

    def reason(self, trigger: Token) -> str | None:
        """Why the trigger is background ("trend", "aggregate", "scene"), or None when it may
        report an event. A state that has held since a date ("the border has been closed since
        1994") is left to the dates stage, which keeps it as a ``background`` event."""
        if self.trend(trigger):
            return "trend"
        if self.aggregate(trigger):
            return "aggregate"
        if self.scene(trigger):
            return "scene"
        return None

    def trend(self, trigger: Token) -> bool:
        """An event noun, or a measure of it ("the number of attacks"), as the subject of a
        verb of change over a period or by an amount: "attacks have risen sharply over the past
        three years", "the number of arrests doubled in 2023"."""
        node = trigger
        measured = False
        if (
            node.dep_ == "pobj"
            and node.head.lower_ == "of"
            and _lemma(node.head.head) in (self.measure_nouns)
        ):
            node, measured = node.head.head, True
        verb = node.head
        if node.dep_ not in {"nsubj", "nsubjpass"} or _lemma(verb) not in self.trend_verbs:
            return False
        return measured or self._period_in(verb) or _has_amount(verb)

    def aggregate(self, trigger: Token) -> bool:
        """A counted total of acts over a period, or in the habitual present: "fired more than
        70 missiles last year", "already hosts about one million refugees"."""
        verb = trigger if trigger.pos_ in {"VERB", "AUX"} else _governing_verb(trigger)
        if verb is None:
            return False
        counted = [trigger] if verb is not trigger else []
        counted += [c for c in verb.children if c.dep_ in {"dobj", "obj", "nsubjpass"}]
        if not any(self._approximate_count(n) for n in counted):
            return False
        return self._period_in(verb) or verb.tag_ in {"VBZ", "VBP"}

    def scene(self, trigger: Token) -> bool:
        """An event named as what a place was the scene of: "Honiara was the scene of some of
        the fiercest fighting in World War Two"."""
        node = trigger
        while node.dep_ == "pobj" and node.head.lower_ == "of":
            node = node.head.head
            if _lemma(node) in self.scene_nouns:
                return node.dep_ == "attr"
            if _lemma(node) not in PARTITIVE_WORDS:
                return False
        return False

    def _period_in(self, verb: Token) -> bool:
        """Whether the verb's own phrases name a period ("last year", "over the past three
        years", "in 2023"), not a day."""
        for token in _own_phrases(verb):
            if token.ent_type_ == "DATE" and _lemma(token) in self.period_words:
                return True
            if _is_year(token) and token.dep_ == "pobj":
                return True
        return False

    def _approximate_count(self, noun: Token) -> bool:
        """Whether a noun is counted approximately or in thousands ("more than 70 missiles",
        "about one million refugees", "2,000 arrests")."""
        for child in noun.children:
            if child.dep_ != "nummod":
                continue
            words = {_lemma(t) for t in child.subtree} | {_lemma(t) for t in noun.children}
            if words & self.approximators or _large(child):
                return True
        return False


def _lemma(token: Token) -> str:
    return token.lemma_.lower()


def _governing_verb(token: Token) -> Token | None:
    """The verb whose object the noun is ("fired ... missiles")."""
    if token.dep_ in {"dobj", "obj", "nsubjpass"} and token.head.pos_ in {"VERB", "AUX"}:
        return token.head
    return None


def _own_phrases(verb: Token) -> Iterator[Token]:
    """The verb's words outside any clause below it."""
    for child in verb.children:
        if child.dep_ in {"ccomp", "xcomp", "advcl", "relcl", "conj", "parataxis"}:
            continue
        yield from child.subtree


def _is_year(token: Token) -> bool:
    return (
        token.text.isdigit()
        and len(token.text) == 4
        and YEAR_RANGE[0] <= int(token.text) <= YEAR_RANGE[1]
    )


def _large(number: Token) -> bool:
    words = {t.lower_ for t in number.subtree}
    if words & {"thousand", "thousands", "million", "millions", "billion"}:
        return True
    digits = number.text.replace(",", "")
    return digits.isdigit() and int(digits) >= LARGE_COUNT and not _is_year(number)


def _has_amount(verb: Token) -> bool:
    """Whether a verb of change says by how much ("rose by 30 percent", "rose sharply")."""
    return any(
        (c.dep_ == "prep" and c.lower_ in {"by", "to"}) or c.dep_ == "advmod" for c in verb.children
    )


# --- framing.yaml, section "background" -------------------------------------------------------


def parse_background(path: Path, node: yaml.Node | None) -> Background:
    """The ``background`` section of framing.yaml (absent: no background rules)."""
    if node is None:
        return Background()
    if not isinstance(node, yaml.MappingNode):
        raise DictionaryError(path, node_line(node), "'background' must map word lists")
    parts: Mapping[str, yaml.Node] = {k.value: v for k, v in node.value}
    unknown = set(parts) - set(BACKGROUND_FIELDS)
    if unknown:
        raise DictionaryError(
            path, node_line(node), f"unknown field(s): {', '.join(sorted(unknown))}"
        )
    return Background(**{name: word_set(path, parts.get(name)) for name in BACKGROUND_FIELDS})
