"""Stage 7, quotes: who said what, attributed to a resolved actor through the speech verb.

Direct quotes are the text between quotation marks, straight (``"``) or curly (``“ ”``), paired
within a paragraph; they may span sentences (``"...It is not easy ...,"``) or be a few words
inside a sentence (``called the talks "useful and frank"``). Each is attributed to the subject of
a speech verb (``data/speech.yaml``) outside the marks: the verb the quoted clause hangs from,
else the nearest one in the same sentences (``"...," Lavrov told reporters.``,
``Lavrov said: "..."``). A quote with no speech verb of its own that follows an attributed quote
in the next sentence continues it (``"We are ready," he added. "But ..."``). A quote of a few
words with no speech verb is a scare quote, not speech, and is left out.

Indirect speech is a speech verb with a reported clause outside any quote (``Lavrov said that
Moscow was ready``, ``Moscow is interested ..., Lavrov said``); a verb with no subject of its own
(``he promised ..., saying Moscow is interested``) takes the subject of the verb it hangs from.
The speaker is the actor the actors stage resolved for that subject (pronouns included).
Rules and examples: docs/context.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from spacy.tokens import Doc, Token

from newsevents.dictionaries import data_path, read_word_lists
from newsevents.model import Actor, Quote, Span

OPENING = {"\u201c": "\u201d", '"': '"'}
"""Opening marks and the mark that closes each."""
MIN_UNATTRIBUTED_WORDS = 4
"""A quote with no speech verb is kept (unattributed, or continuing the previous speaker) only
when it has a verb and at least this many words; shorter ones are scare quotes."""
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
INHERIT_SUBJECT_DEPS = frozenset({"advcl", "xcomp", "conj", "pcomp"})
REPORTED_DEPS = frozenset({"ccomp"})
_TRAILING = re.compile(r"[\s,;:]+$")


@dataclass(frozen=True)
class SpeechVerbs:
    """The speech verbs of ``data/speech.yaml``: lemmas, some with a particle (``point out``)."""

    lemmas: frozenset[str]
    particles: Mapping[str, frozenset[str]]

    @classmethod
    def load(cls, path: Path | None = None) -> SpeechVerbs:
        words = read_word_lists(path or data_path("speech.yaml"), ["speech_verbs"])
        lemmas: set[str] = set()
        particles: dict[str, set[str]] = {}
        for entry in words["speech_verbs"]:
            lemma, _, particle = entry.partition(" ")
            if particle:
                particles.setdefault(lemma, set()).add(particle)
            else:
                lemmas.add(lemma)
        return cls(frozenset(lemmas), {k: frozenset(v) for k, v in particles.items()})

    def matches(self, token: Token) -> bool:
        if token.pos_ not in {"VERB", "AUX"}:
            return False
        lemma = token.lemma_.lower()
        if lemma in self.lemmas:
            return True
        wanted = self.particles.get(lemma, frozenset())
        return any(c.dep_ == "prt" and c.lower_ in wanted for c in token.children)


@dataclass(frozen=True)
class _Marked:
    """A stretch of text between quotation marks: ``start``/``end`` exclude the marks."""

    start: int
    end: int


class QuoteFinder:
    """Finds the direct and indirect quotes of one parsed article."""

    def __init__(self, verbs: SpeechVerbs | None = None) -> None:
        self.verbs = verbs or SpeechVerbs.load()

    def __call__(self, doc: Doc, actors: Mapping[int, Actor]) -> tuple[Quote, ...]:
        sentence_of = {t.i: n for n, s in enumerate(doc.sents) for t in s}
        text = doc.text  # once: Doc.text joins every token on each call
        marked = list(quotation_marks(text))
        inside = {t.i for m in marked for t in _tokens_in(doc, m)}
        quotes = list(self._direct(doc, marked, inside, actors, sentence_of, text))
        kept = {
            t.i
            for q in quotes
            if q.span
            for t in _tokens_in(doc, _Marked(q.span.start, q.span.end))
        }
        quotes += self._indirect(doc, kept, actors, sentence_of, text)
        return tuple(sorted(quotes, key=lambda q: (q.span.start if q.span else 0, q.direct)))

    # --- direct quotes ------------------------------------------------------------------

    def _direct(
        self,
        doc: Doc,
        marked: Sequence[_Marked],
        inside: set[int],
        actors: Mapping[int, Actor],
        sentence_of: Mapping[int, int],
        doc_text: str,
    ) -> Iterator[Quote]:
        previous: Quote | None = None
        for mark in marked:
            tokens = _tokens_in(doc, mark)
            if not tokens:
                continue
            text = _TRAILING.sub("", doc_text[mark.start : mark.end].strip())
            if not text:
                continue
            start = doc_text.index(text, mark.start)
            span = Span(start, start + len(text), text)
            sentence = sentence_of[tokens[0].i]
            verb = self._speech_verb_for(doc, tokens, inside, _is_speech_like(tokens))
            if verb is not None:
                quote = Quote(text, _speaker(verb, actors), _verb_text(verb), sentence, True, span)
            elif not _is_speech_like(tokens):
                continue
            elif previous is not None and sentence - previous.sentence_index <= 1:
                quote = Quote(text, previous.speaker, previous.verb, sentence, True, span)
            else:
                quote = Quote(text, None, None, sentence, True, span)
            previous = quote
            yield quote

    def _speech_verb_for(
        self, doc: Doc, tokens: Sequence[Token], inside: set[int], speech_like: bool
    ) -> Token | None:
        """The speech verb the quoted words hang from; for a quote that is a clause of its own,
        else the nearest speech verb outside any quote in the sentences the quote touches."""
        for token in tokens:
            for ancestor in token.ancestors:
                if ancestor.i in inside:
                    continue
                if self.verbs.matches(ancestor):
                    return ancestor
                break
        if not speech_like:
            return None  # a few quoted words inside a sentence: only their own verb counts
        first, last = tokens[0], tokens[-1]
        sentences = {first.sent.start, last.sent.start}
        candidates = [
            t
            for s in doc.sents
            if s.start in sentences
            for t in s
            if t.i not in inside and self.verbs.matches(t)
        ]
        if not candidates:
            return None
        return min(candidates, key=lambda t: min(abs(t.i - first.i), abs(t.i - last.i)))

    # --- indirect speech ----------------------------------------------------------------

    def _indirect(
        self,
        doc: Doc,
        inside: set[int],
        actors: Mapping[int, Actor],
        sentence_of: Mapping[int, int],
        doc_text: str,
    ) -> list[Quote]:
        """Reported clauses of speech verbs; ``inside`` are the words of the direct quotes
        found: a clause overlapping one belongs to that quote, not to indirect speech."""
        quotes = []
        for verb in doc:
            if verb.i in inside or not self.verbs.matches(verb):
                continue
            for clause in verb.children:
                if clause.dep_ not in REPORTED_DEPS:
                    continue
                words = _reported_words(clause, doc_text)
                if not words or any(t.i in inside for t in words):
                    continue
                start, end = words[0].idx, words[-1].idx + len(words[-1].text)
                text = _TRAILING.sub("", doc_text[start:end])
                span = Span(start, start + len(text), text)
                speaker = _speaker(verb, actors)
                quotes.append(
                    Quote(text, speaker, _verb_text(verb), sentence_of[verb.i], False, span)
                )
        return quotes


def quotation_marks(text: str) -> Iterator[_Marked]:
    """The stretches between matching quotation marks, paragraph by paragraph. An opening mark
    left unclosed at the end of a paragraph is ignored."""
    offset = 0
    for paragraph in text.split("\n"):
        opened: tuple[int, str] | None = None
        for index, char in enumerate(paragraph):
            if opened is None and char in OPENING:
                opened = (index, OPENING[char])
            elif opened is not None and char == opened[1]:
                yield _Marked(offset + opened[0] + 1, offset + index)
                opened = None
        offset += len(paragraph) + 1


def _tokens_in(doc: Doc, mark: _Marked) -> list[Token]:
    span = doc.char_span(mark.start, mark.end, alignment_mode="expand")
    if span is None:
        return []
    return [t for t in span if not t.is_space and t.idx >= mark.start and t.idx < mark.end]


def _reported_words(clause: Token, text: str) -> list[Token]:
    """The words of a reported clause, without its ``that``, within its own paragraph
    (``text``: the article's text)."""
    start = text.rfind("\n", 0, clause.idx) + 1
    end = text.find("\n", clause.idx)
    end = len(text) if end < 0 else end
    return [
        t
        for t in clause.subtree
        if start <= t.idx < end and not t.is_space and not (t.dep_ == "mark" and t.head == clause)
    ]


def _is_speech_like(tokens: Sequence[Token]) -> bool:
    words = [t for t in tokens if not t.is_punct]
    return len(words) >= MIN_UNATTRIBUTED_WORDS and any(t.pos_ in {"VERB", "AUX"} for t in words)


def _subject(verb: Token) -> Token | None:
    """The verb's subject, or for a verb without one ("..., saying ...") its head's."""
    node = verb
    for _ in range(4):
        subject = next((c for c in node.children if c.dep_ in SUBJECT_DEPS), None)
        if subject is not None:
            return subject
        if node.dep_ not in INHERIT_SUBJECT_DEPS or node.head.i == node.i:
            return None
        node = node.head
    return None


def _speaker(verb: Token, actors: Mapping[int, Actor]) -> Actor | None:
    subject = _subject(verb)
    if subject is None:
        return None
    if subject.i in actors:
        return actors[subject.i]
    return next((actors[t.i] for t in subject.subtree if t.i in actors), None)


def _verb_text(verb: Token) -> str:
    particles = [c for c in verb.children if c.dep_ == "prt"]
    return " ".join([verb.text, *(p.text for p in particles)])
