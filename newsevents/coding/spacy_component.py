"""The newsevents coder as a spaCy pipeline component: ``nlp.add_pipe("newsevents")``.

    >>> import spacy                                                    # doctest: +SKIP
    >>> nlp = spacy.blank("en")
    >>> nlp.add_pipe("newsevents")
    >>> doc = nlp("Japan imposed new sanctions on Russia on Friday.")
    >>> [(e.code, e.source.code, e.target.code) for e in doc._.events]
    [('163', 'JPN', 'RUS')]

spaCy finds the factory through the ``spacy_factories`` entry point of the package (importing
this module registers it too). The factory builds the coder once: dictionaries, gazetteer and
the parsing model the coder's rules are written for. Each Doc's text is coded with that model,
so the component works after any pipeline (even a blank one), leaves the host pipeline's own
annotations alone, and finds the same events as ``newsevents.extract``. Spans in the events
are character offsets into ``doc.text``: ``doc.char_span(e.trigger.start, e.trigger.end)``.

Extensions: ``doc._.events`` (a tuple of :class:`~newsevents.model.Event`) and
``doc._.published`` (a :class:`datetime.date` you may set before the component runs, so that
"on Friday" resolves to a day; without it dates stay as precise as the text makes them).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from newsevents.coding.parse import DEFAULT_MODEL
from newsevents.coding.pipeline import Pipeline, Settings
from newsevents.model import Article
from newsevents.read.inputs import text_hash

EXTENSIONS = (("events", ()), ("published", None))


@Language.factory(
    "newsevents",
    default_config={"model": DEFAULT_MODEL, "dictionaries": [], "batch_size": 32},
)
def make_newsevents(
    nlp: Language, name: str, model: str, dictionaries: list[str], batch_size: int
) -> NewsEventsComponent:
    """Build the component (spaCy calls this once per ``add_pipe``). ``dictionaries`` are
    extra dictionary files layered over the built-in ones, as ``--dictionary`` does."""
    settings = Settings(
        model=model, dictionaries=tuple(Path(p) for p in dictionaries), batch_size=batch_size
    )
    return NewsEventsComponent(Pipeline(settings), name)


class NewsEventsComponent:
    """Codes a Doc's text into events and stores them in ``doc._.events``."""

    def __init__(self, pipeline: Pipeline, name: str = "newsevents") -> None:
        self.pipeline = pipeline
        self.name = name
        for extension, default in EXTENSIONS:
            if not Doc.has_extension(extension):
                Doc.set_extension(extension, default=default)

    def __call__(self, doc: Doc) -> Doc:
        return self._code(doc, self.pipeline.parser(doc.text))

    def pipe(self, docs: Iterable[Doc], batch_size: int | None = None) -> Iterator[Doc]:
        """Code a stream of Docs, parsing their texts in batches."""
        size = batch_size or self.pipeline.settings.batch_size
        batch: list[Doc] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= size:
                yield from self._code_batch(batch)
                batch = []
        yield from self._code_batch(batch)

    def _code_batch(self, docs: list[Doc]) -> Iterator[Doc]:
        if not docs:
            return
        parsed = self.pipeline.parser.pipe((d.text for d in docs), batch_size=len(docs))
        for doc, ours in zip(docs, parsed, strict=True):
            yield self._code(doc, ours)

    def _code(self, doc: Doc, parsed: Doc) -> Doc:
        digest = text_hash(doc.text)
        article = Article(
            id=f"a{digest[:16]}",
            text=doc.text,
            published=doc._.published,
            content_hash=digest,
        )
        doc._.events = self.pipeline.code(article, parsed).events if doc.text.strip() else ()
        return doc
