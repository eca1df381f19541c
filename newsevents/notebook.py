"""Jupyter display of the records: ``Event`` and ``CodedArticle`` render as HTML.

The records (``newsevents.model``) know nothing of rendering; :func:`attach` gives them their
``_repr_html_`` from here, and the package's ``__init__`` calls it.
"""

from __future__ import annotations

import html
from typing import Any

from newsevents.model import CodedArticle, Event, Span


def attach() -> None:
    """Give ``Event`` and ``CodedArticle`` their Jupyter ``_repr_html_``."""
    Event._repr_html_ = event_html  # type: ignore[attr-defined]
    CodedArticle._repr_html_ = article_html  # type: ignore[attr-defined]


MARK_STYLES = {
    "trigger": "background:#fde68a;padding:0 2px;border-radius:3px",
    "source": "background:#bfdbfe;padding:0 2px;border-radius:3px",
    "target": "background:#fecaca;padding:0 2px;border-radius:3px",
}


def event_html(event: Event) -> str:
    """One event as HTML: code, actors, date, and its sentence with the trigger, source and
    target highlighted. Every piece of text is escaped (article text is untrusted)."""
    return (
        f'<div class="newsevents-event">{_event_summary(event)}'
        f'<div style="margin:2px 0 6px 0">{highlighted_sentence(event)}</div></div>'
    )


def article_html(coded: CodedArticle) -> str:
    """An article's events as an HTML table, each sentence highlighted like :func:`event_html`."""
    article = coded.article
    published = article.published.isoformat() if article.published else "no date"
    head = (
        f"<div><b>{html.escape(article.title or article.id)}</b> "
        f"({html.escape(article.source or 'unknown source')}, {published}): "
        f"{len(coded.events)} event(s)</div>"
    )
    rows = "".join(
        "<tr>"
        f"<td>{html.escape(e.date.value if e.date else '')}</td>"
        f"<td>{_code(e.source)}</td>"
        f"<td title='{html.escape(e.name or '', quote=True)}'>{html.escape(e.code)}</td>"
        f"<td>{_code(e.target)}</td>"
        f"<td>{html.escape(e.modality)}</td>"
        f"<td style='text-align:left'>{highlighted_sentence(e)}</td>"
        "</tr>"
        for e in coded.events
    )
    header = "".join(
        f"<th>{h}</th>" for h in ("date", "source", "code", "target", "modality", "sentence")
    )
    return (
        f'<div class="newsevents-article">{head}<table><thead><tr>{header}</tr></thead>'
        f"<tbody>{rows}</tbody></table></div>"
    )


def _event_summary(event: Event) -> str:
    date = event.date.value if event.date else "no date"
    return (
        f"<div><b>{html.escape(event.code)}</b> {html.escape(event.name or '')}: "
        f"{_code(event.source)} → {_code(event.target)} "
        f"<small>({html.escape(date)}, {html.escape(event.modality)})</small></div>"
    )


def _code(actor: Any) -> str:
    return html.escape(actor.code) if actor is not None else "—"


def highlighted_sentence(event: Event) -> str:
    """The event's sentence, escaped, with ``<mark>`` around the trigger, source and target."""
    sentence = event.sentence
    offset = _sentence_offset(event)
    marks: list[tuple[int, int, str]] = []
    if offset is not None:
        for kind, span in _spans(event):
            start, end = span.start - offset, span.end - offset
            if all(end <= s or start >= e for s, e, _ in marks):
                marks.append((start, end, kind))
    out, at = [], 0
    for start, end, kind in sorted(marks):
        out.append(html.escape(sentence[at:start]))
        out.append(
            f'<mark class="ne-{kind}" style="{MARK_STYLES[kind]}" title="{kind}">'
            f"{html.escape(sentence[start:end])}</mark>"
        )
        at = end
    out.append(html.escape(sentence[at:]))
    return "".join(out)


def _spans(event: Event) -> list[tuple[str, Span]]:
    spans = [("trigger", event.trigger)]
    if event.source is not None:
        spans.append(("source", event.source.span))
    if event.target is not None:
        spans.append(("target", event.target.span))
    return spans


def _sentence_offset(event: Event) -> int | None:
    """Where the sentence starts in the article: the offset at which the trigger and both
    actors' spans all fall on their own words inside the sentence (None if none does)."""
    sentence, trigger = event.sentence, event.trigger
    spans = [span for _, span in _spans(event)]
    found = sentence.find(trigger.text)
    while found >= 0 and trigger.text:
        offset = trigger.start - found
        if all(
            0 <= s.start - offset <= s.end - offset <= len(sentence)
            and sentence[s.start - offset : s.end - offset] == s.text
            for s in spans
        ):
            return offset
        found = sentence.find(trigger.text, found + 1)
    return None
