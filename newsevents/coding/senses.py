"""Word senses: contexts in which common trigger words have no political sense.

"Kenya beat Uganda 2-1", "shares were hit hard", "a man was killed in a crash", "police
arrested two men over a robbery": the words that code political events also tell sport,
business, accidents and ordinary crime. ``data/framing.yaml`` (section ``senses``, format in
docs/dictionaries.md, "Word senses") names, for each such context, the words that mark a
sentence as being in it, the triggers (or roots) it vetoes there, and the actor roles that keep
an event even so: a government, an army, rebels acting in a stadium or on a road are still news.

Nothing here looks at the verb dictionary; the event coder asks, per sentence, which contexts
hold (:meth:`Senses.contexts`) and, per event, whether one of them vetoes it
(:meth:`Senses.veto`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml
from spacy.tokens import Span, Token

from newsevents.dictionaries import node_line, word_set
from newsevents.errors import DictionaryError
from newsevents.model import Actor

SENSE_FIELDS = frozenset(
    {"note", "cues", "hints", "score", "unless", "triggers", "roots", "political", "countries"}
)
HINTS_NEEDED = 2
"""A context holds with one of its cues, or with this many of its hints."""
SCORE_DIGITS = 3
"""A score is two numbers of at most this many digits joined by a hyphen ("24-20")."""


@dataclass(frozen=True)
class Sense:
    """One context (``sport``, ``business`` ...) and what it does to the events in it."""

    name: str
    cues: frozenset[str]
    """Words (lemmas or forms) one of which puts a sentence in the context ("rugby")."""
    hints: frozenset[str]
    """Words two of which put a sentence in the context ("coach", "fans")."""
    score: bool
    """Whether a score written like "24-20" counts as a hint."""
    unless: frozenset[str]
    """Words that take a sentence out of the context ("bomb" in a crash story)."""
    triggers: frozenset[str] | None
    """The trigger lemmas the context vetoes; None: every trigger."""
    roots: frozenset[str] | None
    """The CAMEO roots it vetoes; None: every root."""
    political: frozenset[str]
    """Actor roles that keep an event in the context; an organization (no country, no role:
    the UN, the EU) always keeps it."""
    countries: bool
    """Whether an actor that names only a country keeps it ("Japan cut tariffs"); in sport a
    country's name is its team."""
    rule: str

    def holds(self, words: Sequence[frozenset[str]], scores: int) -> bool:
        """Whether a sentence with these word forms (and this many scores) is in the context."""
        if any(forms & self.unless for forms in words):
            return False
        if any(forms & self.cues for forms in words):
            return True
        hints = sum(1 for forms in words if forms & self.hints)
        return hints + (scores if self.score else 0) >= HINTS_NEEDED

    def vetoes(self, code: str, trigger: Token, source: Actor | None, target: Actor | None) -> bool:
        """Whether the context takes an event's political sense away: its trigger and root are
        among those the context vetoes and neither of its actors is political."""
        if self.roots is not None and code[:2] not in self.roots:
            return False
        if self.triggers is not None and not (_forms(trigger) & self.triggers):
            return False
        kept = (source is not None and self.keeps(source, acting=True)) or (
            target is not None and self.keeps(target, acting=False)
        )
        return not kept

    def keeps(self, actor: Actor, *, acting: bool) -> bool:
        """Whether the actor makes an event political in this context: a political role, an
        international body, or (``countries``) a country that acts; a country that is only a
        place or a currency ("traded at 131 to the U.S. dollar") does not."""
        if actor.role is None:
            return actor.country is None or (acting and self.countries)
        return actor.role in self.political


@dataclass(frozen=True)
class Senses:
    """All the contexts of ``framing.yaml``."""

    senses: tuple[Sense, ...] = ()

    def contexts(self, sentence: Span) -> tuple[Sense, ...]:
        """The contexts the sentence is in."""
        if not self.senses:
            return ()
        words = [_forms(t) for t in sentence]
        scores = _scores(sentence)
        return tuple(s for s in self.senses if s.holds(words, scores))

    @staticmethod
    def veto(
        contexts: Sequence[Sense],
        code: str,
        trigger: Token,
        source: Actor | None,
        target: Actor | None,
    ) -> Sense | None:
        """The first context that vetoes an event, if any."""
        return next((c for c in contexts if c.vetoes(code, trigger, source, target)), None)


def _forms(token: Token) -> frozenset[str]:
    return frozenset({token.lower_, token.lemma_.lower()})


def _scores(sentence: Span) -> int:
    """How many scores ("24-20", "2-1") the sentence holds."""
    found = 0
    for token in sentence[1:-1]:
        before, after = token.nbor(-1), token.nbor(1)
        if (
            token.text == "-"
            and not before.whitespace_
            and not token.whitespace_
            and _small_number(before)
            and _small_number(after)
        ):
            found += 1
    return found


def _small_number(token: Token) -> bool:
    return token.text.isdigit() and len(token.text) <= SCORE_DIGITS


# --- framing.yaml, section "senses" ----------------------------------------------------------


def parse_senses(path: Path, node: yaml.Node | None) -> Senses:
    """The ``senses`` section of framing.yaml (absent: no contexts)."""
    if node is None:
        return Senses()
    if not isinstance(node, yaml.MappingNode):
        raise DictionaryError(path, node_line(node), "'senses' must map context names to mappings")
    return Senses(tuple(_parse_sense(path, key, value) for key, value in node.value))


def _parse_sense(path: Path, key: yaml.Node, node: yaml.Node) -> Sense:
    if not isinstance(node, yaml.MappingNode):
        raise DictionaryError(path, node_line(key), f"sense {key.value!r} must be a mapping")
    parts: Mapping[str, yaml.Node] = {k.value: v for k, v in node.value}
    unknown = set(parts) - SENSE_FIELDS
    if unknown:
        raise DictionaryError(
            path, node_line(key), f"unknown field(s): {', '.join(sorted(unknown))}"
        )
    if "cues" not in parts and "hints" not in parts:
        raise DictionaryError(path, node_line(key), f"sense {key.value!r} needs cues or hints")
    return Sense(
        name=str(key.value),
        cues=word_set(path, parts.get("cues")),
        hints=word_set(path, parts.get("hints")),
        score=_switch(path, parts.get("score"), "score"),
        unless=word_set(path, parts.get("unless")),
        triggers=word_set(path, parts["triggers"]) if "triggers" in parts else None,
        roots=_roots(path, parts["roots"]) if "roots" in parts else None,
        political=frozenset(w.upper() for w in word_set(path, parts.get("political"))),
        countries=_switch(path, parts.get("countries"), "countries"),
        rule=f"{path.name}:{node_line(key)} {key.value}",
    )


_BOOLS = {"true": True, "false": False}


def _switch(path: Path, node: yaml.Node | None, name: str) -> bool:
    """A true/false field (absent: false)."""
    if node is None:
        return False
    if not (isinstance(node, yaml.ScalarNode) and node.value in _BOOLS):
        raise DictionaryError(path, node_line(node), f"'{name}' must be true or false")
    return _BOOLS[node.value]


def _roots(path: Path, node: yaml.Node) -> frozenset[str]:
    roots = word_set(path, node)
    if not all(len(r) == 2 and r.isdigit() and 1 <= int(r) <= 20 for r in roots):
        raise DictionaryError(
            path, node_line(node), "'roots' must list two-digit CAMEO roots (01-20)"
        )
    return roots
