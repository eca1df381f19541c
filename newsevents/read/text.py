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
    if b"\x00" in data[:8192]:
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
    return hashlib.sha1(normalise_text(text).encode("utf-8")).hexdigest()
