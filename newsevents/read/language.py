"""Language identification: an article that is not confidently in the wanted language is
skipped with a ReadError of stage ``language`` (``--language any`` keeps every article).

The text is cut at spaces into stretches of about 600 characters, at most 16 of them spread
evenly from its start to its end, and py3langid gives each stretch the probability of every
language. An article is kept when at least 80% of the judged text is in stretches where the
wanted language has a probability of at least 0.5. A text under 200 characters is too short to
judge and is kept, unless most of its letters are in a script the wanted language is not written
in (Cyrillic or Chinese for English). docs/scale.md gives the figures these limits rest on.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

from newsevents.model import Article, ReadError
from newsevents.read.text import ReadResult, split_origin, text_sample

LANGUAGE_MIN_CHARS = 200
"""Shorter texts are not judged by the identifier, which is unreliable on a sentence: they are
kept (but see ``FOREIGN_SCRIPT_SHARE``). Judged anyway, 27 of the 2,121 ConfliBERT sentences
under 200 characters would be skipped, though all are English; none of those over it."""
LANGUAGE_MIN_PROBABILITY = 0.5
"""A stretch reads as the wanted language when the identifier gives it at least this probability
(more than all other languages together). Real English stretches score 0.89 or more."""
LANGUAGE_MIN_SHARE = 0.8
"""The share of the judged text that must read as the wanted language."""
LANGUAGE_CHUNK_CHARS = 600
"""The length of one judged stretch."""
LANGUAGE_SAMPLE_CHUNKS = 16
"""A longer text is judged on this many stretches spread evenly over it (about 10,000 chars)."""
FOREIGN_LANGUAGE_PROBABILITY = 0.9
"""A skipped text is said to be in another language when that language has at least this
probability; below it, the identifier is unsure and the reason says so."""
FOREIGN_SCRIPT_SHARE = 0.5
"""A text, however short, whose letters are at least this share in another script than the
wanted language's (Latin for English) is skipped; it needs at least 10 letters."""
_LATIN_CODES = (
    "af an az br bs ca cs cy da de en eo es et eu fi fo fr ga gl hr ht hu id is it jv ku la lb "
    "lt lv mg ms mt nb nl nn no oc pl pt qu ro rw se sk sl sq sv sw tl tr vi vo wa xh zu"
)
LATIN_SCRIPT_LANGUAGES = frozenset(_LATIN_CODES.split())
"""Languages written in the Latin script, for which the script test applies."""
_SPACE = re.compile(r"\s")
_LETTER = re.compile(r"[^\W\d_]")
_NOT_LATIN_LETTER = re.compile(r"[^\W\d_A-Za-z\u00aa\u00ba\u00c0-\u024f\u1e00-\u1eff]")
"""A letter outside ASCII, Latin-1 and the Latin Extended blocks (most likely not Latin)."""


def filter_language(records: Iterable[ReadResult], language: str = "en") -> Iterator[ReadResult]:
    """Pass articles in ``language`` (and those too short to tell); an article that is not
    confidently in ``language`` becomes a ReadError with stage ``language``."""
    for record in records:
        yield check_language(record, language) if isinstance(record, Article) else record


def check_language(article: Article, language: str = "en") -> ReadResult:
    """The article, or a ``language`` ReadError saying why it is not read as ``language``."""
    reason = language_reason(article.text, language)
    if reason is None:
        return article
    where, position = split_origin(article.origin or article.id)
    return ReadError(where, position, "language", reason)


def language_reason(text: str, language: str = "en") -> str | None:
    """Why ``text`` is not confidently in ``language``, or None when it is (or is too short to
    tell)."""
    foreign = foreign_script(text, language)
    if foreign is not None:
        return foreign
    judged = _judge(language_chunks(text))
    if not judged:
        return None
    share = _share(judged, language)
    if share >= LANGUAGE_MIN_SHARE:
        return None
    return _skip_reason(judged, language, share)


def detect_language(text: str) -> tuple[str, float] | None:
    """(ISO 639 code, probability) of the likeliest language over the judged stretches of the
    text (weighted by their length), or None for a text too short to tell."""
    judged = _judge(language_chunks(text))
    return _likeliest(judged, exclude=None) if judged else None


def language_chunks(text: str) -> list[str]:
    """The stretches a text is judged on: about ``LANGUAGE_CHUNK_CHARS`` characters each, cut
    at spaces, at most ``LANGUAGE_SAMPLE_CHUNKS`` of them spread over the whole text; none for
    a text under ``LANGUAGE_MIN_CHARS``."""
    text = text.strip()
    if len(text) < LANGUAGE_MIN_CHARS:
        return []
    count = min(LANGUAGE_SAMPLE_CHUNKS, max(1, len(text) // LANGUAGE_CHUNK_CHARS))
    step = len(text) / count
    width = step if count < LANGUAGE_SAMPLE_CHUNKS else LANGUAGE_CHUNK_CHARS
    starts = [_snap(text, round(n * step)) for n in range(count)]
    return [text[start : _snap(text, round(n * step + width))] for n, start in enumerate(starts)]


def _snap(text: str, index: int) -> int:
    """``index`` moved on to the next space (within 100 characters), so no word is cut."""
    if index <= 0 or index >= len(text):
        return max(0, min(index, len(text)))
    found = _SPACE.search(text, index, index + 100)
    return found.start() if found else index


def foreign_script(text: str, language: str = "en") -> str | None:
    """Why a text is not in ``language`` by its script alone (most letters Cyrillic, Chinese,
    Arabic... for a language written in Latin letters), or None."""
    if language not in LATIN_SCRIPT_LANGUAGES:
        return None
    sample = text_sample(text, 5000)
    letters = len(_LETTER.findall(sample))
    foreign = _NOT_LATIN_LETTER.findall(sample)
    if letters < 10 or len(foreign) < FOREIGN_SCRIPT_SHARE * letters:
        return None
    scripts = Counter(_script(c) for c in foreign if not _latin(c))
    share = scripts.total() / letters
    if share < FOREIGN_SCRIPT_SHARE:
        return None
    script = scripts.most_common(1)[0][0]
    return (
        f"the text is written in {script} script ({share:.0%} of its letters), "
        f"not in the Latin script of {language!r}"
    )


def _latin(letter: str) -> bool:
    return unicodedata.name(letter, "").startswith("LATIN")


def _script(letter: str) -> str:
    """The script of a letter by its Unicode name: ``CYRILLIC`` -> ``Cyrillic``, ``CJK``."""
    word = unicodedata.name(letter, "UNKNOWN").split()[0]
    return word if word == "CJK" else word.capitalize()


def _judge(chunks: list[str]) -> list[tuple[int, dict[str, float]]]:
    """(length, probability of each language) for each stretch."""
    identifier = _language_identifier()
    return [(len(chunk), dict(identifier.rank(chunk))) for chunk in chunks]


def _share(judged: list[tuple[int, dict[str, float]]], language: str) -> float:
    """The share of the judged characters in stretches that read as ``language``."""
    total = sum(size for size, _ in judged)
    wanted = sum(size for size, p in judged if p.get(language, 0.0) >= LANGUAGE_MIN_PROBABILITY)
    return wanted / total if total else 0.0


def _likeliest(
    judged: list[tuple[int, dict[str, float]]], exclude: str | None
) -> tuple[str, float]:
    """The likeliest language over all stretches, weighted by length (``exclude`` left out)."""
    total = sum(size for size, _ in judged)
    mean: Counter[str] = Counter()
    for size, probabilities in judged:
        for code, p in probabilities.items():
            mean[code] += p * size / total
    if exclude is not None:
        del mean[exclude]
    code, p = mean.most_common(1)[0]
    return str(code), float(p)


def _skip_reason(judged: list[tuple[int, dict[str, float]]], language: str, share: float) -> str:
    other, p = _likeliest(judged, exclude=language)
    if share > 0:
        return (
            f"mixed languages: only {share:.0%} of the text reads as {language!r} "
            f"(the rest mostly as {other})"
        )
    if p >= FOREIGN_LANGUAGE_PROBABILITY:
        return f"the text is in another language ({other}, p={p:.2f}), not {language!r}"
    wanted = _mean_of(judged, language)
    return (
        f"the language is unsure (likeliest {other}, p={p:.2f}) and not confidently "
        f"{language!r} (p={wanted:.2f})"
    )


def _mean_of(judged: list[tuple[int, dict[str, float]]], language: str) -> float:
    total = sum(size for size, _ in judged)
    return sum(p.get(language, 0.0) * size for size, p in judged) / total


@functools.lru_cache(maxsize=1)
def _language_identifier() -> Any:
    """The py3langid model, loaded once per process on first use."""
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_modelpath(MODEL_DIR / MODEL_FILE, norm_probs=True)
