"""Errors of the web layer, each with the HTTP status it is answered with."""

from __future__ import annotations

from newsevents.errors import NewsEventsError


class WebError(NewsEventsError):
    """A request the app cannot answer; ``status`` is the HTTP status code to send."""

    status = 500


class BadRequest(WebError):
    """A parameter is malformed or out of range."""

    status = 400


class NotFound(WebError):
    """The event, actor or page asked for does not exist in the store."""

    status = 404


class Unavailable(WebError):
    """The store cannot be opened now: another process (``ingest``, say) has held it for
    longer than the app waits."""

    status = 503
