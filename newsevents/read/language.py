"""Language identification: an article in another language is skipped with a ReadError."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from typing import Any

from newsevents.model import Article, ReadError
from newsevents.read.text import ReadResult, split_origin

LANGUAGE_MIN_CHARS = 200
"""Shorter texts are not judged: language identification is unreliable on a sentence or two."""
LANGUAGE_MIN_PROBABILITY = 0.9
"""An article is skipped as foreign only when another language is at least this likely."""
LANGUAGE_SAMPLE_CHARS = 3000
"""Language is identified from the start of the text."""


def filter_language(records: Iterable[ReadResult], language: str = "en") -> Iterator[ReadResult]:
    """Pass articles in ``language`` (and those too short to tell); an article identified as
    another language becomes a ReadError with stage ``language``."""
    for record in records:
        yield check_language(record, language) if isinstance(record, Article) else record


def check_language(article: Article, language: str = "en") -> ReadResult:
    found = detect_language(article.text)
    if found is None or found[0] == language or found[1] < LANGUAGE_MIN_PROBABILITY:
        return article
    where, position = split_origin(article.origin or article.id)
    reason = f"the text is in another language ({found[0]}, p={found[1]:.2f}), not {language!r}"
    return ReadError(where, position, "language", reason)


def detect_language(text: str) -> tuple[str, float] | None:
    """(ISO 639-1 code, probability) from py3langid, or None for a text too short to tell."""
    sample = text[:LANGUAGE_SAMPLE_CHARS]
    if len(sample.strip()) < LANGUAGE_MIN_CHARS:
        return None
    code, probability = _language_identifier().classify(sample)
    return str(code), float(probability)


@functools.lru_cache(maxsize=1)
def _language_identifier() -> Any:
    """The py3langid model, loaded once per process on first use."""
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_modelpath(MODEL_DIR / MODEL_FILE, norm_probs=True)
