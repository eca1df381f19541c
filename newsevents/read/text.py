"""The plain-text article format and the helpers every reader shares: building an
``Article`` from its parts (title, dateline, body), cleaning and decoding text, dates, hashes.

The format (docs/output.md): a title line, an optional dateline (``Source, Month D, YYYY``), then
the body; ``MOSCOW, Dec. 3 (Xinhua) --`` at the start of the body also gives source and date.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata

from newsevents.model import Article, ReadError

MAX_TEXT_CHARS = 2_000_000
"""Longer articles are refused: no news story is this long, and the parser would stall on it."""
MAX_RECORD_BYTES = 16_000_000
"""A larger record (a ``.txt`` or ``.html`` file, a JSONL or CSV line, a WARC payload) is refused
before it is decoded, so one giant record cannot exhaust memory or stall the run."""
MIN_YEAR, MAX_YEAR = 1800, 2100
MIN_WORD_SHARE = 0.5
"""A text in which fewer than half of the non-space characters are in words (unbroken runs of
letters, between spaces or punctuation) is not language: random bytes, a table of numbers,
base64. News prose in any script scores above 0.9; the shortest English news sentences 0.8."""
MAX_BAD_CHAR_SHARE = 0.05
"""A text in which 5% or more of the characters are control characters or U+FFFD (the
replacement character a broken decoding leaves) is not language. News text has none."""
TEXT_SAMPLE_CHARS = 20_000
"""Longer texts are judged on evenly spaced windows of this many characters in all."""
ReadResult = Article | ReadError
_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
    "|Jan\\.?|Feb\\.?|Mar\\.?|Apr\\.?|Jun\\.?|Jul\\.?|Aug\\.?|Sept?\\.?|Oct\\.?|Nov\\.?|Dec\\.?"
)
# "Xinhua, December 3, 2016" optionally followed by scrape debris on the same line.
_DATELINE = re.compile(
    rf"^(?P<source>[^,\n]{{1,80}}?),\s+(?P<date>(?:{_MONTHS})\s+\d{{1,2}},\s+\d{{4}})(?P<rest>.*)$"
)
# "MOSCOW, Dec. 3 (Xinhua) -- " at the start of the body.
_INLINE_DATELINE = re.compile(
    rf"^(?P<place>[A-Z][A-Z .'\-]{{1,40}}),\s+(?P<date>(?:{_MONTHS})\s+\d{{1,2}})"
    r"(?:,\s+\d{4})?\s+\((?P<source>[^)]{1,60})\)\s*(?:--|—|-)\s*"
)
_INVALID_CHARACTER = re.compile("[\ud800-\udfff\x00]")
_BAD_CHARACTERS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffd]")
_MARKS = (
    "\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"
    "\u0900-\u0963\u0966-\u0dff\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3099\u309a"
)
"""Combining marks (accents, Indic and Thai vowel signs) count as parts of words."""
_BREAKS = (
    r"\s!\"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~\u00a0-\u00bf\u02c6\u02dc\u2010-\u205e\u20ac"
    "\u2122\u3000-\u3003\u3008-\u3011\u3014-\u301f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40"
    "\uff5b-\uff65\u060c\u061b\u061f\u06d4\u0964\u0965"
)
"""What ends a word: spaces, ASCII punctuation and symbols, Latin-1 and general punctuation
(so the mojibake of a curly quote, ``â€™``, still ends one), CJK and Arabic punctuation."""
_WORD = re.compile(rf"(?:^|(?<=[{_BREAKS}]))(?:[^\W\d_]|[{_MARKS}])+(?=[{_BREAKS}]|$)")
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s*$")
_LAST_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*(?=\s|$)")


def split_origin(origin: str) -> tuple[str, int | None]:
    """``"file.jsonl:12"`` -> ``("file.jsonl", 12)``; ``"file.txt"`` -> ``("file.txt", None)``."""
    source, _, position = origin.rpartition(":")
    if not source or not position.isdigit() or "://" in origin:
        return origin, None
    return source, int(position)


def _too_long(origin: str, position: int | None, size: int) -> ReadError:
    return ReadError(
        origin,
        position,
        "read",
        f"article text is {size:,} characters; the limit is {MAX_TEXT_CHARS:,}",
    )


def parse_plain_text(
    text: str,
    origin: str | None = None,
    debris: tuple[str, ...] = (),
    warnings: tuple[str, ...] = (),
) -> ReadResult:
    """Parse the plain-text article format: a title line, an optional dateline, then the body."""
    if len(text) > 2 * MAX_TEXT_CHARS:
        return _too_long(origin or "<text>", None, len(text))
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    if not lines:
        return ReadError(origin or "<text>", None, "read", "empty article: no text")
    title, source, published = None, None, None
    if len(lines) > 1:
        title = lines.pop(0)
    for index, line in enumerate(lines[:2]):
        match = _DATELINE.match(line)
        if match and _parse_dateline_date(match["date"]) is not None:
            source = match["source"].strip()
            published = _parse_dateline_date(match["date"])
            rest = strip_debris(match["rest"], debris).strip()
            lines[index : index + 1] = [rest] if rest else []
            break
    if not lines:
        return ReadError(origin or "<text>", None, "read", "empty article: no body text")
    body, body_warnings = clean_body("\n".join(lines), debris)
    return make_article(
        body,
        title=title,
        source=source,
        published=published,
        origin=origin,
        warnings=warnings + body_warnings,
    )


def make_article(
    body: str,
    *,
    title: str | None = None,
    source: str | None = None,
    published: dt.date | None = None,
    url: str | None = None,
    article_id: str | None = None,
    origin: str | None = None,
    warnings: tuple[str, ...] = (),
) -> ReadResult:
    """Finish an article: inline dateline, size limits, content hash and a stable id."""
    where, position = split_origin(origin or "<text>")
    if not body.strip():
        return ReadError(where, position, "read", "empty article: no body text")
    if len(body) > MAX_TEXT_CHARS:
        return _too_long(where, position, len(body))
    problem = _field_problem(
        {"id": article_id, "title": title, "source": source, "url": url, "text": body}
    ) or not_text_reason(body)
    if problem:
        return ReadError(where, position, "read", problem)
    dateline_place = None
    inline = _INLINE_DATELINE.match(body)
    if inline:
        dateline_place = inline["place"].strip().title()
        source = source or inline["source"].strip()
        body = body[inline.end() :]
    content_hash = text_hash(body)
    return Article(
        id=article_id or f"a{content_hash[:16]}",
        text=body,
        title=title,
        source=source,
        published=published,
        url=url,
        warnings=warnings,
        origin=origin,
        dateline_place=dateline_place,
        content_hash=content_hash,
    )


def _field_problem(fields: dict[str, str | None]) -> str | None:
    """Why one of an article's fields cannot be stored (see :func:`invalid_character`)."""
    for name, value in fields.items():
        problem = invalid_character(value) if value else None
        if problem:
            return f"the {name} {problem}"
    return None


def invalid_character(value: str) -> str | None:
    """``contains a lone surrogate (invalid Unicode) at character N`` (UTF-8 cannot hold one:
    a JSON escape such as ``"\\ud800"`` gives it) or ``contains a NUL character ...``; None
    for a value without either."""
    found = _INVALID_CHARACTER.search(value)
    if found is None:
        return None
    nul = found.group() == "\x00"
    what = "a NUL character (U+0000)" if nul else "a lone surrogate (invalid Unicode)"
    return f"contains {what} at character {found.start()}"


def not_text_reason(text: str) -> str | None:
    """Why a text is not language at all, or None: 5% or more control or replacement
    characters (``MAX_BAD_CHAR_SHARE``), or fewer than half of the non-space characters in
    words (``MIN_WORD_SHARE``). Judged on :func:`text_sample`; language-neutral."""
    sample = text_sample(text, TEXT_SAMPLE_CHARS)
    bad = len(_BAD_CHARACTERS.findall(sample)) / max(len(sample), 1)
    if bad >= MAX_BAD_CHAR_SHARE:
        return f"not text: {bad:.0%} of the characters are control or replacement characters"
    letters = sum(map(len, _WORD.findall(sample)))
    if not letters:
        return "not text: no words (runs of letters) at all"
    share = letters / max(len("".join(sample.split())), 1)
    if share < MIN_WORD_SHARE:
        return f"not text: only {share:.0%} of the non-space characters are in words"
    return None


def text_sample(text: str, size: int, windows: int = 10) -> str:
    """The text itself when it has at most ``size`` characters, else ``windows`` evenly
    spaced stretches of it, ``size`` characters in all, joined by newlines."""
    if len(text) <= size:
        return text
    width, step = size // windows, len(text) // windows
    return "\n".join(text[n * step : n * step + width] for n in range(windows))


def clean_body(text: str, debris: tuple[str, ...] = ()) -> tuple[str, tuple[str, ...]]:
    """Remove scrape debris and a truncated final sentence; say what was dropped."""
    paragraphs = [strip_debris(p, debris).strip() for p in text.replace("\r\n", "\n").split("\n")]
    body = "\n".join(p for p in paragraphs if p)
    body = re.sub(r"[ \t\u00a0]+", " ", body).strip()
    if body and not _SENTENCE_END.search(body):
        ends = list(_LAST_SENTENCE_END.finditer(body))
        if ends:
            cut = ends[-1].end()
            dropped = body[cut:].strip()
            return body[:cut], (f"truncated text at the end was not coded: {dropped[:60]!r}",)
        return body, ("the text does not end a sentence; it may be truncated",)
    return body, ()


def strip_debris(text: str, debris: tuple[str, ...]) -> str:
    for phrase in debris:
        text = text.replace(phrase, " ")
    return text if not debris else re.sub(r"\s{2,}", " ", text)


def decode_bytes(
    data: bytes, origin: str, position: int | None = None
) -> tuple[str, tuple[str, ...]] | ReadError:
    """Decode input bytes as UTF-8, falling back to Windows-1252 with a warning; refuse binary."""
    if b"\x00" in data:
        return ReadError(origin, position, "read", "binary data (NUL bytes), not text")
    try:
        return data.decode("utf-8-sig"), ()
    except UnicodeDecodeError as exc:
        warning = f"not valid UTF-8 (byte {exc.start}); decoded as Windows-1252"
        return data.decode("cp1252", errors="replace"), (warning,)


def parse_published(value: object) -> tuple[dt.date | None, tuple[str, ...]]:
    """Parse a publication date from an input field. Unusable values become a warning."""
    if value is None or value == "":
        return None, ()
    if not isinstance(value, str):
        return None, (f"published date {value!r} is not a string; ignored",)
    parsed = _parse_iso_or_natural(value.strip())
    if parsed is None:
        return None, (f"published date {value!r} could not be read; ignored",)
    if not MIN_YEAR <= parsed.year <= MAX_YEAR:
        return None, (f"published date {value!r} is outside {MIN_YEAR}-{MAX_YEAR}; ignored",)
    return parsed, ()


def _parse_iso_or_natural(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        pass
    import dateparser  # imported on use: it takes a moment to load

    parsed = dateparser.parse(value, languages=["en"], settings={"STRICT_PARSING": True})
    return parsed.date() if parsed else None


def _parse_dateline_date(value: str) -> dt.date | None:
    cleaned = re.sub(r"\s+", " ", value.replace(".", "")).strip()
    cleaned = re.sub(r"^Sept\b", "Sep", cleaned)
    for fmt in ("%B %d, %Y", "%b %d, %Y"):
        try:
            date = dt.datetime.strptime(cleaned, fmt).date()
        except ValueError:
            continue
        return date if MIN_YEAR <= date.year <= MAX_YEAR else None
    return None


def normalise_text(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip().lower()


def text_hash(text: str) -> str:
    """A hash of the normalised text: syndicated copies with other whitespace hash the same."""
    return hashlib.sha1(normalise_text(text).encode("utf-8", "surrogatepass")).hexdigest()
