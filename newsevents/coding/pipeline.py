"""The pipeline: read -> parse -> actors -> events -> dates -> places, one record flowing through;
quotes are found beside the events, attributed to the same resolved actors.

Heavy resources (the spaCy model, the dictionaries, the gazetteer) load once, when a
:class:`Pipeline` is built. ``pipeline(article)`` codes one article; ``pipeline.pipe(records)``
codes a stream in batches and turns a failure on one record into a :class:`ReadError` for it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from spacy.tokens import Doc

from newsevents.codebook import Codebook
from newsevents.coding.actors import ActorDictionary, ActorResolver
from newsevents.coding.confidence import ConfidenceScorer
from newsevents.coding.dates import DateResolver
from newsevents.coding.events import EventCoder, ModalityWords, VerbDictionary
from newsevents.coding.events.anaphora import resolve_event_anaphora
from newsevents.coding.events.dyad import fill_sides_from_dyad
from newsevents.coding.parse import DEFAULT_MODEL, Parser
from newsevents.coding.petrarch import Discards, PetrarchFiles, layer_verbs
from newsevents.coding.places import Gazetteer, PlaceResolver
from newsevents.coding.prepass import PrePass
from newsevents.coding.quotes import QuoteFinder
from newsevents.dictionaries import data_path
from newsevents.errors import DictionaryError, NewsEventsError
from newsevents.model import Article, CodedArticle, ReadError
from newsevents.read.inputs import ReadResult, parse_plain_text

logger = logging.getLogger(__name__)

VERB_SUFFIXES = frozenset({".yaml", ".yml"})
ACTOR_SUFFIXES = frozenset({".tsv"})
PETRARCH_SUFFIXES = frozenset({".txt"})
"""PETRARCH/TABARI dictionaries (actors, agents, verbs, discards; docs/actors.md)."""


@dataclass(frozen=True)
class Settings:
    """How a pipeline is built. Every field has a default; the CLI maps flags onto these."""

    model: str = DEFAULT_MODEL
    dictionaries: tuple[Path, ...] = ()
    """Extra dictionary files layered over the built-in ones: ``.yaml`` verb dictionaries,
    ``.tsv`` actor files (docs/dictionaries.md), PETRARCH/TABARI ``.txt`` actor, agent, verb
    and discard files (docs/actors.md)."""
    batch_size: int = 32
    n_process: int = 1
    debris: tuple[str, ...] = field(default=(), compare=False)
    prepass: bool = False
    """Parse only the sentences that can hold an event or a quote or change how another is
    coded (newsevents/prepass.py, docs/scale.md); the output is the same, sooner."""
    require: str = "actor"
    """Which coded actors an event needs (docs/output.md, "Settings"): ``actor`` (the default)
    a source or a target, ``dyad`` both (PETRARCH's ``require_dyad``), ``none`` neither (an
    actorless event may then stand as its sentence's principal event)."""
    framed_acts: bool = False
    """Also keep, as events of their own, the acts a frame folds that did not happen as told
    ("Japan refused to sign": a negated 057 beside the 127 refusal; "urged Turkey to release":
    a hypothetical 0841 beside the appeal). Off by default: a human coder codes the refusal or
    the appeal once (docs/output.md, "Settings")."""


def load_debris(path: Path | None = None) -> tuple[str, ...]:
    path = path or data_path("debris.txt")
    lines = path.read_text(encoding="utf-8").splitlines()
    return tuple(line.strip() for line in lines if line.strip() and not line.startswith("#"))


class Pipeline:
    """Codes articles into events.

    >>> pipeline = Pipeline()                                   # doctest: +SKIP
    >>> coded = pipeline("Japan imposed sanctions on Russia.")  # doctest: +SKIP
    >>> coded.events[0].code                                    # doctest: +SKIP
    '163'
    """

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        for path in self.settings.dictionaries:
            if path.suffix.lower() not in VERB_SUFFIXES | ACTOR_SUFFIXES | PETRARCH_SUFFIXES:
                raise DictionaryError(
                    path, None, "unknown dictionary type (expected .yaml, .tsv or a PETRARCH .txt)"
                )
        self.parser = Parser.load(self.settings.model)
        self.codebook = Codebook.load()
        self.gazetteer = Gazetteer.load()
        actor_files = [p for p in self.settings.dictionaries if p.suffix.lower() in ACTOR_SUFFIXES]
        verb_files = [p for p in self.settings.dictionaries if p.suffix.lower() in VERB_SUFFIXES]
        petrarch = PetrarchFiles.read(
            p for p in self.settings.dictionaries if p.suffix.lower() in PETRARCH_SUFFIXES
        )
        self.dictionary_problems = petrarch.problems
        for problem in self.dictionary_problems:
            logger.warning("skipped dictionary entry: %s", problem)
        actor_dictionary = ActorDictionary.load(self.parser.tokenize, actor_files, petrarch)
        self.actors = ActorResolver(actor_dictionary, self.parser.nlp.vocab, self.gazetteer)
        verbs = VerbDictionary.load(verb_files, self.codebook)
        verbs, self.verb_mappings = layer_verbs(
            verbs, petrarch, self.codebook.__contains__, self.parser.nlp
        )
        self.discards = Discards(petrarch.discards)
        self.events = EventCoder(
            verbs,
            self.codebook,
            ModalityWords.load(),
            require=self.settings.require,
            framed_acts=self.settings.framed_acts,
        )
        self.dates = DateResolver()
        self.places = PlaceResolver(self.gazetteer)
        self.quotes = QuoteFinder()
        self.confidence = ConfidenceScorer()
        self.debris = self.settings.debris or load_debris()
        self.prepass = self._prepass(actor_dictionary) if self.settings.prepass else None

    def _prepass(self, actor_dictionary: ActorDictionary) -> PrePass:
        speech = self.quotes.verbs.lemmas | frozenset(self.quotes.verbs.particles)
        verbs = self.events.verbs.lemmas
        return PrePass(self.parser.nlp, verbs, actor_dictionary, self.gazetteer, speech)

    def __call__(self, article: Article | str) -> CodedArticle:
        """Code one article (or a plain-text string in the article text format)."""
        if isinstance(article, str):
            parsed = parse_plain_text(article, "<text>", self.debris)
            if isinstance(parsed, ReadError):
                raise NewsEventsError(parsed.reason)
            article = parsed
        if self.prepass is not None:
            return self.code(article, next(self.prepass.pipe([article.text])))
        return self.code(article, self.parser(article.text))

    def code(self, article: Article, doc: Doc) -> CodedArticle:
        """Run the stages after parsing on one article."""
        actors = self.actors(doc, article.published, article.dateline_place)
        events = self.events(doc, actors, article.id)
        events = resolve_event_anaphora(doc, events, actors)  # "condemned the attack": by whom
        events = fill_sides_from_dyad(events)  # "said it would take measures": against whom
        if self.discards:
            events = self.discards.filter(doc, events)  # type: ignore[assignment]
        events = self.dates(doc, events, article.published)
        events = self.places(doc, events, article.dateline_place, article.published)
        quotes = self.quotes(doc, actors)
        events = self.confidence(doc, events, quotes)
        sentences = sum(1 for _ in doc.sents)
        return CodedArticle(article, events, quotes, {"sentences": sentences, "tokens": len(doc)})

    def pipe(self, records: Iterable[ReadResult]) -> Iterator[CodedArticle | ReadError]:
        """Code a stream of articles in batches. Read errors pass through; an article whose
        coding fails becomes a ReadError with stage ``code``."""
        batch: list[Article] = []
        for record in records:
            if isinstance(record, ReadError):
                yield from self._code_batch(batch)
                batch = []
                yield record
                continue
            batch.append(record)
            if len(batch) >= self.settings.batch_size:
                yield from self._code_batch(batch)
                batch = []
        yield from self._code_batch(batch)

    def _code_batch(self, batch: list[Article]) -> Iterator[CodedArticle | ReadError]:
        if not batch:
            return
        if self.prepass is not None:
            docs = self.prepass.pipe((a.text for a in batch), self.settings.batch_size)
        else:
            docs = self.parser.pipe(
                (a.text for a in batch),
                batch_size=self.settings.batch_size,
                n_process=self.settings.n_process,
            )
        for article, doc in zip(batch, docs, strict=True):
            try:
                yield self.code(article, doc)
            except Exception as exc:  # one bad article must not stop the run
                logger.exception("coding failed for %s", article.id)
                yield ReadError(
                    article.origin or article.id, None, "code", f"{type(exc).__name__}: {exc}"
                )
