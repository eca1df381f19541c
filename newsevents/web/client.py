"""Requests to the app in-process, with no server and no socket: for ``serve --get`` and tests.

>>> client = LocalClient(create_app("events.duckdb"))           # doctest: +SKIP
>>> client.get("/api/overview").json()["events"]                 # doctest: +SKIP
"""

from __future__ import annotations

from typing import Any

import anyio
import httpx


class LocalClient:
    """A synchronous client over httpx's ASGI transport."""

    def __init__(self, app: Any, base_url: str = "http://127.0.0.1") -> None:
        self.app = app
        self.base_url = base_url

    def get(self, path: str, params: dict[str, Any] | None = None) -> httpx.Response:
        async def fetch() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(transport=transport, base_url=self.base_url) as client:
                response = await client.get(path, params=params)
                await response.aread()
                return response

        return anyio.run(fetch)
