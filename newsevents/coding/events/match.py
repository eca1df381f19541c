"""Matching a trigger: the verb-dictionary entry that fits a token most specifically.

An entry's constraints (particle, object, infinitive, governor, negation, voice, word
sequences, coordination) are checked in turn; each that holds adds to the entry's score, and the
highest-scoring entry names the token's event.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from spacy.tokens import Token

from newsevents.coding.events.dictionary import ModalityWords, VerbDictionary, VerbEntry
from newsevents.coding.events.modality import is_negated
from newsevents.coding.events.slots import slot_tokens
from newsevents.coding.events.syntax import (
    complements,
    governing_verb,
    has_lemma,
    lemmas,
    objects_of,
    quantity,
    voice,
    word_class,
)

PARTICLE_DEPS = frozenset({"prt", "prep", "advmod"})
PARTICLE_DISTANCE = 3
"""A required particle or preposition must follow its verb within this many tokens."""
PATTERN_STOPWORDS = frozenset(
    {
        "a",
        "an",
        "the",
        "of",
        "on",
        "to",
        "for",
        "in",
        "against",
        "over",
        "with",
        "by",
        "from",
        "at",
        "into",
        "his",
        "her",
        "its",
        "their",
    }
)
"""Words an object pattern may contain for readability that need not occur in the text."""
MAX_REMEMBERED_WORDS = 200_000
"""Word forms whose verb entries a coder remembers (then it starts afresh)."""

Fit = int | bool | None
"""One constraint's answer: False fails the entry, a number adds to its score, None (no such
constraint) or True adds nothing."""


@dataclass(frozen=True)
class Trigger:
    """A token that matched a dictionary entry."""

    token: Token
    entry: VerbEntry


class TriggerMatcher:
    """Finds the entry that fits a token, remembering each word's candidate entries."""

    def __init__(self, verbs: VerbDictionary, words: ModalityWords) -> None:
        self.verbs = verbs
        self.words = words
        self._entries: dict[tuple[str, str], tuple[VerbEntry, ...]] = {}
        """(word, lemma) -> the verb entries its forms name: most words name none."""

    def __call__(self, token: Token) -> Trigger | None:
        best: tuple[int, VerbEntry] | None = None
        entries = self._entries_for(token)
        pos = word_class(token) if entries else ""
        for entry in entries:
            score = self._fit(token, entry, pos)
            if score is not None and (best is None or score > best[0]):
                best = (score, entry)
        return Trigger(token, best[1]) if best else None

    def _entries_for(self, token: Token) -> tuple[VerbEntry, ...]:
        """The entries of the token's forms (``lemmas``: a function of its word and lemma),
        remembered per pipeline."""
        key = (token.lower_, token.lemma_)
        found = self._entries.get(key)
        if found is None:
            forms = lemmas(token)
            found = tuple(dict.fromkeys(e for f in forms for e in self.verbs.candidates(f)))
            if len(self._entries) >= MAX_REMEMBERED_WORDS:
                self._entries.clear()
            self._entries[key] = found
        return found

    def _fit(self, token: Token, entry: VerbEntry, pos: str) -> int | None:
        """How specifically the entry fits the token (whose :func:`word_class` is ``pos``), or
        None when a constraint fails. The checks run in turn and stop at the first that fails."""
        if pos not in entry.pos and not (pos == "AUX" and "VERB" in entry.pos):
            return None
        score = 0
        for check in self._checks(token, entry, pos):
            fit = check()
            if fit is False:
                return None
            score += int(fit or 0)
        return score

    def _checks(self, token: Token, entry: VerbEntry, pos: str) -> tuple[Callable[[], Fit], ...]:
        words = self.words
        return (
            lambda: fits_particle(token, entry, pos),
            lambda: fits_objects(token, entry.objects),
            lambda: _fits_xcomp(token, entry.xcomps),
            lambda: _fits_governor(token, entry.governors),
            lambda: None if entry.negated is None else is_negated(token, words) == entry.negated,
            lambda: None if entry.voice is None else voice(token) == entry.voice,
            lambda: (
                None if not entry.unless_objects else not fits_objects(token, entry.unless_objects)
            ),
            lambda: _fits_sequences(token, entry.preceding, before=True),
            lambda: _fits_sequences(token, entry.following, before=False),
            lambda: _fits_coordinated(token, entry.coordinated),
        )


def trigger_tokens(token: Token, entry: VerbEntry) -> tuple[Token, ...]:
    """The words of a trigger's span: the trigger and the particles its entry names."""
    particles = entry.particles
    return (token, *(c for c in token.children if c.lower_ in particles and c.dep_ == "prt"))


def matches_any(head: Token, patterns: frozenset[str]) -> bool:
    """Whether the word is one of the content words of a pattern."""
    own = set(lemmas(head))
    return any(own.intersection(_pattern_words(p)) for p in patterns)


# --- the constraints ----------------------------------------------------------------------------


def fits_particle(token: Token, entry: VerbEntry, pos: str) -> bool | None:
    """A required particle must be there; a verb with a particle the entry does not name is
    another verb ("call off" is not "call")."""
    particles = entry.particles
    children = list(token.children)
    if particles:  # after the verb: "called on X", not "On Monday, X called Y"
        return any(
            c.lower_ in particles and c.dep_ in PARTICLE_DEPS and _particle_place(token, c)
            for c in children
        )
    if pos in {"VERB", "AUX"} and any(c.dep_ == "prt" and not quantity(c) for c in children):
        return False
    return None


def _particle_place(verb: Token, particle: Token) -> bool:
    """A particle may stand anywhere after its verb; a preposition or adverb must follow it
    closely or come right after its object ("forced the agency out of the country")."""
    if particle.i <= verb.i:
        return False
    if particle.dep_ == "prt" or particle.i - verb.i <= PARTICLE_DISTANCE:
        return True
    objects = [c for c in verb.children if c.dep_ in {"dobj", "obj"}]
    return any(particle.i == o.right_edge.i + 1 for o in objects)


def fits_objects(token: Token, patterns: frozenset[str]) -> Fit:
    """False when no object fits; else the word count of the longest pattern that fits, so
    "humanitarian aid" is more specific than "aid". A pattern fits when one of its words is the
    head of an object (or, for a noun trigger, the noun itself) and all its words occur in the
    object phrases ("lifted the ban on the party" fits "ban on party" whichever way the
    preposition attaches)."""
    if not patterns:
        return None
    heads = objects_of(token)
    if word_class(token) == "NOUN":  # its own phrase: "hunger strike", "fraud investigation"
        heads += [token] + [c for c in token.children if c.dep_ in {"compound", "amod"}]
    head_words = {w for h in heads for w in lemmas(h)}
    headed = [words for words in map(_pattern_words, patterns) if head_words.intersection(words)]
    if not headed:  # the common case: no need to look at the words of the phrases
        return False
    phrase = sorted({t for h in heads for t in h.subtree}, key=lambda t: t.i)
    forms = [set(lemmas(t)) for t in phrase]
    sizes = [len(words) for words in headed if _in_order(words, forms)]
    return max(sizes) if sizes else False


def _pattern_words(pattern: str) -> list[str]:
    """The content words of an object pattern ("ban on the party" -> ban, party)."""
    words = pattern.split()
    return [w for w in words if w not in PATTERN_STOPWORDS] or words


def _in_order(words: Sequence[str], forms: Sequence[set[str]]) -> bool:
    """Whether the words occur in this order among the phrase's tokens ("militant attack" does
    not fit "attack on the militants")."""
    position = 0
    for word in words:
        while position < len(forms) and word not in forms[position]:
            position += 1
        if position == len(forms):
            return False
        position += 1
    return True


def _fits_xcomp(token: Token, xcomps: frozenset[str]) -> bool | None:
    if not xcomps:
        return None
    return any(has_lemma(c, xcomps) for c in complements(token))


def _fits_governor(token: Token, governors: frozenset[str]) -> bool | None:
    if not governors:
        return None
    governor = governing_verb(token)
    return governor is not None and has_lemma(governor, governors)


def _fits_coordinated(token: Token, slots: tuple[str, ...]) -> bool | None:
    """Whether every one of these slots holds a coordination ("France and Japan")."""
    if not slots:
        return None
    heads = [slot_tokens(token, slot, frozenset()) for slot in slots]
    return all(any(c.dep_ == "conj" for h in found for c in h.children) for found in heads)


# --- word sequences (PETRARCH patterns) ---------------------------------------------------------


def _fits_sequences(token: Token, patterns: frozenset[str], *, before: bool) -> Fit:
    """The word count of the longest of ``patterns`` (``VerbEntry.preceding``/``following``)
    found before the trigger in its sentence, or after it within its phrase; False if none."""
    if not patterns:
        return None
    if before:  # read away from the trigger: nearest word first
        window = [token.doc[i] for i in range(token.i - 1, token.sent.start - 1, -1)]
    else:
        window = list(token.doc[token.i + 1 : token.right_edge.i + 1])
    sizes = [
        len(words)
        for words, glued in (_sequence(p, reverse=before) for p in patterns)
        if words and _sequence_at(window, words, glued, 0, 0)
    ]
    return max(sizes) if sizes else False


def _sequence(pattern: str, *, reverse: bool) -> tuple[list[str], list[bool]]:
    """A sequence pattern's words read away from the trigger, and for each whether it must
    come right after the previous one (the first: right next to the trigger)."""
    words, seps = [""], []
    for char in pattern.lower():
        if char in " _":
            seps.append(char)
            words.append("")
        else:
            words[-1] += char
    if reverse:
        words, seps = words[::-1], seps[::-1]
    glue = bool(seps) and words[0] == "" and seps[0] == "_"
    out: list[str] = []
    glued: list[bool] = []
    for index, word in enumerate(words):
        if word:
            out.append(word)
            glued.append(glue)
            glue = False
        if index < len(seps) and seps[index] == "_" and (word or glue):
            glue = True
    return out, glued


def _sequence_at(
    window: Sequence[Token], words: Sequence[str], glued: Sequence[bool], i: int, start: int
) -> bool:
    if i == len(words):
        return True
    positions = (start,) if glued[i] else range(start, len(window))
    return any(
        p < len(window)
        and (window[p].lower_ == words[i] or words[i] in lemmas(window[p]))
        and _sequence_at(window, words, glued, i + 1, p + 1)
        for p in positions
    )
