"""The web app served on a thread of this process, beside other work: ``newsevents watch
--serve`` serves the dashboard while the main thread watches the feeds.

>>> listener = listen("127.0.0.1", 8001)                           # doctest: +SKIP
>>> with ServerThread(create_app(file), listener) as server:        # doctest: +SKIP
...     print(server.url)
...     watcher.watch("feeds.txt", every=900)
"""

from __future__ import annotations

import os
import socket
import threading
import time
from types import TracebackType
from typing import Any

import uvicorn

from newsevents.errors import NewsEventsError

START_TIMEOUT = 30.0
"""Seconds to wait for the server to start answering."""

STOP_TIMEOUT = 10.0
"""Seconds to wait for requests in flight when stopping."""


def listen(host: str = "127.0.0.1", port: int = 8001) -> socket.socket:
    """A socket bound to ``host``:``port`` (0: a free port), listening; raises
    :class:`~newsevents.errors.NewsEventsError` when it cannot be had (a port in use)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        return socket.create_server((host, port), family=family)
    except OSError as exc:
        reason = os.strerror(exc.errno) if exc.errno else str(exc)
        raise NewsEventsError(f"cannot listen on {host}:{port}: {reason}") from exc


class ServerThread:
    """uvicorn serving an ASGI app on a daemon thread, on a socket from :func:`listen` (bound
    beforehand, so a port in use fails before anything else starts)."""

    def __init__(self, app: Any, listener: socket.socket) -> None:
        self.socket = listener
        self.host, self.port = listener.getsockname()[:2]
        config = uvicorn.Config(app, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(
            target=self.server.run,
            kwargs={"sockets": [self.socket]},
            name="newsevents-web",
            daemon=True,
        )

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"

    def start(self) -> ServerThread:
        """Start serving; returns once the server answers (raises if it cannot start)."""
        self.thread.start()
        deadline = time.monotonic() + START_TIMEOUT
        while not self.server.started and self.thread.is_alive() and time.monotonic() < deadline:
            self.thread.join(0.02)
        if not self.server.started:
            self.stop()
            raise NewsEventsError(f"the web server on {self.url} did not start")
        return self

    def stop(self) -> None:
        """Stop serving (requests in flight are finished first) and close the socket."""
        self.server.should_exit = True
        if self.thread.is_alive():
            self.thread.join(STOP_TIMEOUT)
        self.socket.close()

    def __enter__(self) -> ServerThread:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
