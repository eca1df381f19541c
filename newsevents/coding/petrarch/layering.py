"""Layering PETRARCH verb files over the built-in verb dictionary, with the lemmas and parts
of speech of their words from the pipeline's spaCy model."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import replace

from newsevents.coding.petrarch.files import PetrarchFiles
from newsevents.coding.petrarch.verb_files import VerbDictionaryFile
from newsevents.coding.petrarch.verb_mapping import MARKERS, VerbMapping, verb_entries

logger = logging.getLogger("newsevents.coding.petrarch")
"""The logger of the PETRARCH readers (named for the package, as before the split)."""


# --- word analysis with the spaCy model ------------------------------------------------------


class WordAnalyzer:
    """Lemmas and parts of speech of dictionary words, from the pipeline's spaCy model.

    Words are analysed in small frames ("they WORD it", "the WORD") and cached, so a large
    dictionary costs one batched pass over its distinct words."""

    def __init__(self, nlp: object) -> None:
        self.nlp = nlp
        self._lemmas: dict[tuple[str, str], str] = {}
        self._verbs: dict[str, bool] = {}

    def prime(self, words: Iterable[str]) -> None:
        todo = sorted({w.lower() for w in words if w and not w.startswith("&")} - set(self._verbs))
        if not todo:
            return
        nlp = self.nlp
        keep = [n for n in ("tok2vec", "tagger", "attribute_ruler", "lemmatizer")]
        disable = [n for n in nlp.pipe_names if n not in keep]  # type: ignore[attr-defined]
        with nlp.select_pipes(disable=disable):  # type: ignore[attr-defined]
            verb_docs = nlp.pipe((f"they {w} it" for w in todo), batch_size=512)  # type: ignore[attr-defined]
            noun_docs = nlp.pipe((f"the {w}" for w in todo), batch_size=512)  # type: ignore[attr-defined]
            for word, as_verb, as_noun in zip(todo, verb_docs, noun_docs, strict=True):
                self._lemmas[(word, "VERB")] = _last_lemma(as_verb, word, -2)
                self._lemmas[(word, "NOUN")] = _last_lemma(as_noun, word, -1)
                self._verbs[word] = as_noun[-1].pos_ in {"VERB", "AUX"}

    def lemma(self, word: str, pos: str) -> str:
        word = word.lower()
        if word.startswith("&"):
            return word  # a synset name is no word
        if (word, pos) not in self._lemmas:
            self.prime([word])
        return self._lemmas[(word, pos)]

    def is_verb(self, word: str) -> bool:
        word = word.lower()
        if word not in self._verbs:
            self.prime([word])
        return self._verbs[word]


def _last_lemma(doc: object, word: str, index: int) -> str:
    tokens = list(doc)  # type: ignore[call-overload]
    if len(tokens) < 2 or "".join(t.text for t in tokens[1 : len(tokens) + index + 1]) != word:
        return word
    return tokens[index].lemma_.lower() or word


def dictionary_words(dictionary: VerbDictionaryFile) -> set[str]:
    words = set()
    for block in dictionary.blocks:
        words |= {f.word for f in block.forms}
        for pattern in block.patterns:
            words |= {w for w in (*pattern.pre, *pattern.post) if w not in MARKERS}
    for members in dictionary.synsets.values():
        words |= {m[-1] for m in members}
    return words


# --- layering over the built-in verb dictionary ----------------------------------------------


def layer_verbs(
    builtin: object, files: PetrarchFiles, known_code: Callable[[str], bool], nlp: object
) -> tuple[object, tuple[VerbMapping, ...]]:
    """The built-in verb dictionary with the PETRARCH verb files layered over it.

    A lemma that a PETRARCH file defines replaces the built-in event entries for that verb
    (event nouns and adjectives stay); the built-in reporting verbs and comment words keep their
    role, so PETRARCH entries for those lemmas are left out. Among PETRARCH files, a later
    file's entries are tried first."""

    # Not at module level: importing coding.events.dictionary runs the coding.events package,
    # whose coder needs coding.actors, which imports this module. The dictionary module itself
    # imports no actors, so the import graph has no circle.
    from newsevents.coding.events.dictionary import VerbDictionary

    if not files.verbs:
        return builtin, ()
    analyzer = WordAnalyzer(nlp)
    analyzer.prime(w for f in files.verbs for w in dictionary_words(f))
    mappings = tuple(
        verb_entries(f, known_code, analyzer.lemma, analyzer.is_verb) for f in files.verbs
    )
    for file, mapping in zip(files.verbs, mappings, strict=True):
        if mapping.outside_codebook:
            logger.warning(
                "%s: %d event codes are not in the CAMEO codebook (%s); their events keep the "
                "code as written, with no name, Goldstein value, quad/penta class or PLOVER "
                "category",
                file.path,
                len(mapping.outside_codebook),
                " ".join(sorted(mapping.outside_codebook)),
            )
    entries = builtin.entries  # type: ignore[attr-defined]
    reserved = {lemma for e in entries if e.kind in {"report", "comment"} for lemma in e.lemmas}
    layered = [
        e
        for m in reversed(mappings)
        for e in m.entries
        if not (e.lemmas & reserved)  # type: ignore[attr-defined]
    ]
    redefined = {lemma for e in layered for lemma in e.lemmas}  # type: ignore[attr-defined]
    kept = []
    for entry in entries:
        if entry.kind == "event" and "VERB" in entry.pos and entry.lemmas & redefined:
            if entry.pos != {"VERB"}:
                kept.append(entry)  # a VERB/NOUN entry still codes the noun
                continue
            remaining = entry.lemmas - redefined
            if remaining:
                kept.append(replace(entry, lemmas=frozenset(remaining)))
            continue
        kept.append(entry)
    return VerbDictionary([*layered, *kept]), mappings
