"""The output contract: records to JSON-ready dicts and flat rows (docs/output.md).

Other people's scripts depend on these shapes. Change them only on purpose, with the docs and
tests in the same commit.
"""

from __future__ import annotations

from typing import Any

from newsevents.model import Actor, Article, CodedArticle, Event, Location, Quote, ReadError, Span

CODER_VERSION = "newsevents-0.1"


def span_list(span: Span | None) -> list[int] | None:
    return [span.start, span.end] if span is not None else None


def actor_dict(actor: Actor | None) -> dict[str, Any] | None:
    if actor is None:
        return None
    return {
        "text": actor.text,
        "name": actor.name,
        "code": actor.code,
        "country": actor.country,
        "role": actor.role,
        "span": span_list(actor.span),
        "resolved_from": actor.resolved_from.text if actor.resolved_from else None,
        "resolved_from_span": span_list(actor.resolved_from),
        "rule": actor.rule,
    }


def location_dict(location: Location | None) -> dict[str, Any] | None:
    if location is None:
        return None
    return {
        "name": location.name,
        "country": location.country,
        "adm1": location.adm1,
        "lat": location.lat,
        "lon": location.lon,
        "method": location.method,
        "feature": location.feature,
    }


def event_dict(event: Event) -> dict[str, Any]:
    date = event.date
    return {
        "id": event.id,
        "code": event.code,
        "name": event.name,
        "root_code": event.root_code,
        "quad_class": event.quad_class,
        "penta_class": event.penta_class,
        "goldstein": event.goldstein,
        "plover": {"event": event.plover_event, "mode": event.plover_mode},
        "source": actor_dict(event.source),
        "target": actor_dict(event.target),
        "date": date.value if date else None,
        "date_precision": date.precision if date else None,
        "date_end": date.end if date else None,
        "date_text": date.text if date else None,
        "background": event.background,
        "modality": event.modality,
        "is_root": event.is_root,
        "location": location_dict(event.location),
        "sentence_index": event.sentence_index,
        "sentence": event.sentence,
        "trigger": event.trigger.text,
        "trigger_span": span_list(event.trigger),
        "rule": event.rule,
        "confidence": event.confidence,
        "evidence": [[name, value] for name, value in event.evidence],
    }


def quote_dict(quote: Quote) -> dict[str, Any]:
    return {
        "text": quote.text,
        "speaker": actor_dict(quote.speaker),
        "verb": quote.verb,
        "sentence_index": quote.sentence_index,
        "direct": quote.direct,
    }


def article_dict(article: Article) -> dict[str, Any]:
    return {
        "id": article.id,
        "title": article.title,
        "source": article.source,
        "published": article.published.isoformat() if article.published else None,
        "url": article.url,
        "warnings": list(article.warnings),
    }


def coded_article_dict(coded: CodedArticle) -> dict[str, Any]:
    """One line of ``--format jsonl``: the article, its events and its quotes."""
    return {
        "article": article_dict(coded.article),
        "events": [event_dict(e) for e in coded.events],
        "quotes": [quote_dict(q) for q in coded.quotes],
    }


def error_dict(error: ReadError) -> dict[str, Any]:
    return {
        "input": error.input,
        "position": error.position,
        "stage": error.stage,
        "reason": error.reason,
    }
