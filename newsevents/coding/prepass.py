"""A fast pre-pass: do not run the parser on sentences that cannot change the output.

Before parsing, an article is tokenized and split into sentences by the model's own fast
sentence segmenter (``senter``, about 3% of the cost of the full pipeline). A sentence is kept
for parsing when it holds anything a later stage could use:

* a word that may be a trigger: one whose lemma, for any part of speech, is in the verb
  dictionary (the model's own lemmatizer tables, and the de-inflections the events stage tries);
* an actor candidate: a dictionary phrase (countries, demonyms, capitals, organizations, roles
  ...), a word of an office holder's name, a capitalized place name from the gazetteer, a
  capitalized word that also appears in a sentence with an actor phrase (a person described
  there, ``Lavrov`` after ``Russian Foreign Minister Sergey Lavrov``), or a word that refers
  back (``he``, ``its``, ``counterpart``, ``both``, ``two``);
* a quotation, or a word that may be a speech verb (the quotes stage).

A sentence with none of these can hold no event and no quote, and the actors stage learns nothing
from it that another sentence could use.

The kept sentences are parsed in runs (consecutive kept sentences together) and the skipped
ones get an empty analysis; the pieces are joined back into one ``Doc`` over the original text,
so every character offset, token index and sentence number is the one the full parse gives.
docs/scale.md reports what it saves and what it costs.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Token

from newsevents.coding.actors import (
    COUNTERPART,
    DYAD_WORDS,
    PERSON_PRONOUNS,
    THING_PRONOUNS,
    ActorDictionary,
)
from newsevents.coding.events import lemmas as trigger_forms
from newsevents.coding.places import Gazetteer
from newsevents.coding.quotes import quotation_marks

REFERRING_WORDS = PERSON_PRONOUNS | THING_PRONOUNS | COUNTERPART | DYAD_WORDS
"""Words the actors stage resolves from earlier mentions."""
QUOTE_CHARACTERS = frozenset('"\u201c\u201d')
MAX_CACHED_FORMS = 500_000
MIN_SKIPPABLE = 4
"""Fewer tokens in a row with no reason to parse cannot hold a sentence worth skipping."""


@dataclass(frozen=True)
class Plan:
    """Which sentences of one article are parsed: ``sentences`` holds (start, end) token
    ranges from the segmenter, ``keep`` a flag for each."""

    sentences: tuple[tuple[int, int], ...]
    keep: tuple[bool, ...]

    @property
    def skipped(self) -> int:
        return self.keep.count(False)

    def runs(self) -> Iterator[tuple[int, int, bool]]:
        """Maximal (start, end, kept) token ranges of sentences with the same flag."""
        run_start, run_keep = 0, None
        for (start, _), keep in zip(self.sentences, self.keep, strict=True):
            if keep != run_keep and run_keep is not None:
                yield run_start, start, run_keep
                run_start = start
            run_keep = keep
        if run_keep is not None:
            yield run_start, self.sentences[-1][1], run_keep


class WordForms:
    """Decides whether a word form may have one of the given lemmas, for any part of speech:
    a superset of what the model's rule lemmatizer can give, read from its own tables."""

    def __init__(self, nlp: Language, lemmas: Iterable[str]) -> None:
        self.lemmas = frozenset(lemma.lower() for lemma in lemmas)
        lookups = nlp.get_pipe("lemmatizer").lookups  # type: ignore[attr-defined]
        exceptions = lookups.get_table("lemma_exc", {})
        rules = lookups.get_table("lemma_rules", {})
        self._exceptions = [exceptions.get(pos, {}) for pos in _POS_TABLES]
        self._rules = [rules.get(pos, []) for pos in _POS_TABLES]
        self._forced = _ruler_forms(nlp, self.lemmas)
        self._cache: dict[str, bool] = {}

    def __contains__(self, word: str) -> bool:
        lower = word.lower()
        known = self._cache.get(lower)
        if known is None:
            known = self._remember(lower, bool(self.candidates(lower) & self.lemmas))
        return known

    def fits(self, token: Token) -> bool:
        """Whether the token may be a trigger: also tries the de-inflections the events stage
        tries on the word itself (``staged`` -> ``stage``)."""
        lower = token.lower_
        known = self._cache.get(lower)
        if known is None:
            forms = self.candidates(lower) | set(trigger_forms(token))
            known = self._remember(lower, bool(forms & self.lemmas))
        return known

    def _remember(self, lower: str, known: bool) -> bool:
        if len(self._cache) > MAX_CACHED_FORMS:
            self._cache.clear()
        self._cache[lower] = known
        return known

    def candidates(self, lower: str) -> set[str]:
        found = {lower} | self._forced.get(lower, frozenset())
        for exceptions, rules in zip(self._exceptions, self._rules, strict=True):
            found.update(form.lower() for form in exceptions.get(lower, ()))
            for old, new in rules:
                if lower.endswith(old):
                    found.add(lower[: len(lower) - len(old)] + new)
        return found


_POS_TABLES = ("noun", "verb", "adj", "adv", "aux")


def _ruler_forms(nlp: Language, lemmas: frozenset[str]) -> dict[str, frozenset[str]]:
    """Words the attribute ruler gives one of ``lemmas`` directly (``'d`` -> ``would``)."""
    if "attribute_ruler" not in nlp.pipe_names:
        return {}
    forms: dict[str, set[str]] = {}
    for pattern in nlp.get_pipe("attribute_ruler").patterns:  # type: ignore[attr-defined]
        lemma = str(pattern.get("attrs", {}).get("LEMMA", "")).lower()
        if lemma in lemmas:
            index = int(pattern.get("index", 0))
            for tokens in pattern.get("patterns", []):
                if -len(tokens) <= index < len(tokens):  # the rule sets the lemma of that token
                    for word in _pattern_words([tokens[index]]):
                        forms.setdefault(word, set()).add(lemma)
    return {word: frozenset(found) for word, found in forms.items()}


def _pattern_words(tokens: Sequence[dict[str, object]]) -> set[str]:
    words: set[str] = set()
    for token in tokens:
        for key in ("LOWER", "ORTH", "TEXT"):
            value = token.get(key)
            if isinstance(value, str):
                words.add(value.lower())
            elif isinstance(value, dict):
                words.update(str(v).lower() for v in value.get("IN", ()))
    return words


class PrePass:
    """Parses only the sentences a stage can use; see the module docstring.

    >>> prepass = PrePass(nlp, verbs.lemmas, actors, gazetteer, speech_lemmas)  # doctest: +SKIP
    >>> docs = list(prepass.pipe(texts))                                       # doctest: +SKIP
    """

    def __init__(
        self,
        nlp: Language,
        trigger_lemmas: Iterable[str],
        actors: ActorDictionary,
        gazetteer: Gazetteer,
        speech_lemmas: Iterable[str] = (),
    ) -> None:
        self.nlp = nlp
        self.senter = nlp.get_pipe("senter")
        self.triggers = WordForms(nlp, trigger_lemmas)
        self.speech = WordForms(nlp, speech_lemmas)
        self.gazetteer = gazetteer
        self._matcher: PhraseMatcher = actors.matcher(nlp.vocab)
        self._name_words = frozenset(
            word.lower() for person in actors.people for word in person.name.split()
        )
        self._words: dict[str, bool] = {}
        labels = list(self.senter.labels)  # type: ignore[attr-defined]
        self._sentence_start = labels.index("S")

    # --- planning -------------------------------------------------------------------------

    def plans(self, docs: Sequence[Doc]) -> list[Plan]:
        """Decide which sentences of tokenized docs to parse. The segmenter runs only on docs
        with a stretch of tokens long enough to hold a sentence and with no reason to parse it;
        a doc without one is parsed whole."""
        marked = [self._marks(doc) for doc in docs]
        wanted = [i for i, (marks, _) in enumerate(marked) if _longest_gap(marks) >= MIN_SKIPPABLE]
        guesses = self.senter.predict([docs[i] for i in wanted]) if wanted else []  # type: ignore[attr-defined]
        segmented = dict(zip(wanted, guesses, strict=True))
        return [
            self._plan(doc, marks, actors, segmented.get(n))
            for n, (doc, (marks, actors)) in enumerate(zip(docs, marked, strict=True))
        ]

    def _plan(
        self, doc: Doc, marks: list[bool], actors: set[int], guesses: numpy.ndarray | None
    ) -> Plan:
        if len(doc) == 0:
            return Plan((), ())
        if guesses is None:
            return Plan(((0, len(doc)),), (True,))
        starts = [i for i, label in enumerate(guesses) if i == 0 or label == self._sentence_start]
        bounds = tuple(zip(starts, [*starts[1:], len(doc)], strict=True))
        names = self._described_names(doc, bounds, actors)
        keep = tuple(
            any(marks[start:end]) or any(t.lower_ in names for t in doc[start:end])
            for start, end in bounds
        )
        return Plan(bounds, keep)

    def _marks(self, doc: Doc) -> tuple[list[bool], set[int]]:
        """For each token, whether it is a reason to parse its sentence; and the tokens of
        actor phrases."""
        actors = {i for _, start, end in self._matcher(doc) for i in range(start, end)}
        quoted = self._quoted_tokens(doc)
        marks = []
        for token in doc:
            text = token.text
            marks.append(
                token.i in actors
                or token.i in quoted
                or self._word_matters(token)
                or (text[:1].isupper() and self.gazetteer.is_place(text))
            )
        return marks, actors

    def _word_matters(self, token: Token) -> bool:
        lower = token.lower_
        known = self._words.get(lower)
        if known is None:
            known = (
                lower in REFERRING_WORDS
                or lower in self._name_words
                or lower in self.speech
                or self.triggers.fits(token)
            )
            if len(self._words) > MAX_CACHED_FORMS:
                self._words.clear()
            self._words[lower] = known
        return known

    def _quoted_tokens(self, doc: Doc) -> set[int]:
        """Tokens inside or on quotation marks, as the quotes stage pairs them."""
        if not any(ch in doc.text for ch in QUOTE_CHARACTERS):
            return set()
        found = {t.i for t in doc if any(ch in QUOTE_CHARACTERS for ch in t.text)}
        for mark in quotation_marks(doc.text):
            span = doc.char_span(mark.start, mark.end, alignment_mode="expand")
            if span is not None:
                found.update(range(span.start, span.end))
        return found

    def _described_names(
        self, doc: Doc, bounds: Sequence[tuple[int, int]], actor_tokens: set[int]
    ) -> frozenset[str]:
        """Capitalized words (not sentence-initial, not part of an actor phrase) of sentences
        with an actor phrase: names the actors stage may learn there and resolve elsewhere."""
        names: set[str] = set()
        for start, end in bounds:
            if any(i in actor_tokens for i in range(start, end)):
                names.update(
                    t.lower_
                    for t in doc[start + 1 : end]
                    if t.text[:1].isupper() and t.is_alpha and t.i not in actor_tokens
                )
        return frozenset(names)

    # --- parsing --------------------------------------------------------------------------

    def pipe(self, texts: Iterable[str], batch_size: int = 32) -> Iterator[Doc]:
        """Parsed docs for texts, in order, the same as ``nlp.pipe`` gives for every sentence
        that can matter; skipped sentences carry no analysis."""
        batch: list[str] = []
        for text in texts:
            batch.append(text)
            if len(batch) >= batch_size:
                yield from self._pipe_batch(batch, batch_size)
                batch = []
        yield from self._pipe_batch(batch, batch_size)

    def _pipe_batch(self, texts: list[str], batch_size: int) -> Iterator[Doc]:
        docs = [self.nlp.make_doc(text) for text in texts]
        plans = self.plans(docs)
        pieces: list[list[Doc | None]] = []
        to_parse: list[Doc] = []
        for doc, plan in zip(docs, plans, strict=True):
            if plan.skipped == 0:
                pieces.append([None])
                to_parse.append(doc)
                continue
            parts: list[Doc | None] = []
            for start, end, keep in plan.runs():
                if keep:
                    parts.append(None)
                    to_parse.append(_fresh(doc, start, end))
                else:
                    parts.append(_unparsed(doc, start, end, plan))
            pieces.append(parts)
        parsed = iter(self.nlp.pipe(to_parse, batch_size=batch_size))
        for doc, plan, parts in zip(docs, plans, pieces, strict=True):
            filled = [part if part is not None else next(parsed) for part in parts]
            yield filled[0] if plan.skipped == 0 else _join(filled, doc)


def _longest_gap(marks: Sequence[bool]) -> int:
    longest = run = 0
    for marked in marks:
        run = 0 if marked else run + 1
        longest = max(longest, run)
    return longest


def _fresh(doc: Doc, start: int, end: int) -> Doc:
    """An unannotated Doc with the tokens of ``doc[start:end]`` (no re-tokenizing)."""
    tokens = doc[start:end]
    return Doc(
        doc.vocab, words=[t.text for t in tokens], spaces=[bool(t.whitespace_) for t in tokens]
    )


def _unparsed(doc: Doc, start: int, end: int, plan: Plan) -> Doc:
    """Skipped sentences: their tokens, one flat tree per sentence, no tags or entities."""
    tokens = doc[start:end]
    heads: list[int] = []
    deps: list[str] = []
    for first, last in plan.sentences:
        if first >= start and last <= end:
            heads += [first - start] * (last - first)
            deps += ["ROOT"] + ["dep"] * (last - first - 1)
    return Doc(
        doc.vocab,
        words=[t.text for t in tokens],
        spaces=[bool(t.whitespace_) for t in tokens],
        heads=heads,
        deps=deps,
    )


def _join(parts: list[Doc], original: Doc) -> Doc:
    joined = Doc.from_docs(parts, ensure_whitespace=False, exclude=["tensor", "user_data"])
    if joined.text != original.text:  # pragma: no cover - a broken invariant, not input
        raise AssertionError("pre-pass pieces do not add up to the article text")
    return joined
