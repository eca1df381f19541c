"""The web UI: ``newsevents serve --db events.duckdb``, or :func:`create_app` for an ASGI app.

Every page is HTML at its path and JSON at the same path + ``.json`` and under ``/api/``;
``/api/docs`` documents the API. The store is opened read-only. See docs/web.md.
"""

from __future__ import annotations

from newsevents.web.app import WebSettings, create_app, missing_assets

__all__ = ["WebSettings", "create_app", "missing_assets"]
