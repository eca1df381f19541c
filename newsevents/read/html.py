"""Articles from HTML pages: main text, title, date and source through trafilatura + htmldate.

trafilatura drops navigation, footers and other boilerplate; htmldate (which trafilatura uses)
finds the publication date in the page's metadata. A date the caller already knows (from a feed
entry, a WARC record or an input field) beats the one guessed from the page.
"""

from __future__ import annotations

import datetime as dt
import logging

from newsevents.model import ReadError
from newsevents.read.text import (
    ReadResult,
    clean_body,
    decode_bytes,
    make_article,
    parse_published,
)

logger = logging.getLogger(__name__)


def article_from_html(
    html: str | bytes,
    url: str | None = None,
    origin: str | None = None,
    published: dt.date | None = None,
    source: str | None = None,
    title: str | None = None,
    debris: tuple[str, ...] = (),
) -> ReadResult:
    """Extract one article from an HTML page; a page with no article text is a ReadError."""
    import trafilatura  # heavy: imported on first use

    where = origin or url or "<html>"
    warnings: tuple[str, ...] = ()
    if isinstance(html, bytes):
        decoded = decode_bytes(html, where)
        if isinstance(decoded, ReadError):
            return decoded
        html, warnings = decoded
    if not html.strip():
        return ReadError(where, None, "read", "empty HTML page")
    try:
        document = trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            # Dates from the page's metadata only: htmldate's extensive search turns a footer's
            # "Copyright 2016" into 2016-01-01, which would beat a WARC record's real date.
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as exc:  # trafilatura raises many kinds on broken markup
        return ReadError(
            where, None, "read", f"HTML could not be parsed: {type(exc).__name__}: {exc}"
        )
    text = getattr(document, "text", None) if document is not None else None
    if not text or not text.strip():
        return ReadError(where, None, "read", "no article text found in the HTML page")
    extracted_title = getattr(document, "title", None)
    page_title = title or extracted_title
    lines = text.splitlines()
    headlines = {t.strip() for t in (title, extracted_title) if t}
    if lines and lines[0].strip() in headlines:
        # trafilatura repeats the headline as the first line; drop it whatever title the caller
        # gives, so the same page always has the same text (and content hash)
        text = "\n".join(lines[1:])
    page_date, date_warnings = parse_published(getattr(document, "date", None))
    body, body_warnings = clean_body(text, debris)
    return make_article(
        body,
        title=page_title,
        source=source or getattr(document, "sitename", None),
        published=published or page_date,
        url=url or getattr(document, "url", None),
        origin=where,
        warnings=warnings + date_warnings + body_warnings,
    )
