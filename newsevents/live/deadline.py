"""The deadline of one URL's fetch, kept by every socket operation under httpx.

httpx bounds each socket operation (connecting, each read, each write) by its timeout, but not
an exchange: a server that sends one header line every few seconds, or trickles its body, holds
a request for as long as it likes. A :class:`Clock` is the deadline of one URL. It runs while
one of the URL's requests holds its turn at the host (robots.txt, the page, every redirect and
every retry: connecting to last byte) and is charged the backoff before each retry; waiting for
a turn (the politeness of ``host_delay`` and the concurrency caps) is not counted. While a fetch
runs its clock is the thread's current one (:func:`keeping`), and the network backend that
:func:`bound_sockets` puts under httpx's connection pools gives every socket operation at most
the time left on it: the name lookup and the TCP connect, the TLS handshake, every write and
every read. Once no time is left the next operation raises httpcore's timeout at once, and the
clock remembers that it was the deadline (:attr:`Clock.reached`), not the timeout, that ended
the exchange.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import contextmanager
from typing import Any, TypeVar

logger = logging.getLogger(__name__)

T = TypeVar("T")

_local = threading.local()


class Clock:
    """The deadline of one URL: ``seconds`` of requests (:meth:`running`) and backoff
    (:meth:`charge`). Used by the one thread that fetches the URL."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.reached = False
        """Whether the deadline, not a timeout, cut something short."""
        self._spent = 0.0
        self._since: float | None = None

    @property
    def fresh(self) -> bool:
        """Whether nothing has been spent yet."""
        return self._spent == 0 and self._since is None

    @contextmanager
    def running(self) -> Iterator[None]:
        """Count the time of the block (one request)."""
        self._since = time.monotonic()
        try:
            yield
        finally:
            self._spent += time.monotonic() - self._since
            self._since = None

    def charge(self, seconds: float) -> None:
        """Count a wait that is not a request (the backoff before a retry)."""
        self._spent += seconds

    def left(self) -> float:
        """Seconds left."""
        running = 0.0 if self._since is None else time.monotonic() - self._since
        return self.seconds - self._spent - running

    def allows(self, seconds: float) -> bool:
        """Whether a wait of ``seconds`` ends before the deadline; one that would not marks the
        deadline reached."""
        if seconds < self.left():
            return True
        self.reached = True
        return False


@contextmanager
def keeping(clock: Clock) -> Iterator[Clock]:
    """Make ``clock`` the current thread's deadline for the block."""
    previous = getattr(_local, "clock", None)
    _local.clock = clock
    try:
        yield clock
    finally:
        _local.clock = previous


def current() -> Clock | None:
    """The current thread's deadline, if a fetch is running on it."""
    return getattr(_local, "clock", None)


def bounded(operation: Callable[[float | None], T], timeout: float | None, error: type) -> T:
    """Run ``operation(t)`` with ``t`` the smaller of ``timeout`` and the time left on the
    current clock; ``error`` (an httpcore timeout) when no time is left."""
    clock = current()
    if clock is None:
        return operation(timeout)
    left = clock.left()
    if timeout is not None and timeout < left:
        return operation(timeout)
    if left <= 0:
        clock.reached = True
        raise error(f"the {clock.seconds:g} s deadline has passed")
    try:
        return operation(left)
    except error:
        clock.reached = True
        raise


class DeadlineStream:
    """An httpcore network stream whose reads, writes and TLS handshake keep to the clock."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        import httpcore

        return bounded(lambda t: self._stream.read(max_bytes, t), timeout, httpcore.ReadTimeout)

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        import httpcore

        bounded(lambda t: self._stream.write(buffer, t), timeout, httpcore.WriteTimeout)

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None
    ) -> DeadlineStream:
        import httpcore

        def handshake(seconds: float | None) -> Any:
            return self._stream.start_tls(ssl_context, server_hostname, seconds)

        return DeadlineStream(bounded(handshake, timeout, httpcore.ConnectTimeout))

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class DeadlineBackend:
    """An httpcore network backend that opens :class:`DeadlineStream` connections. Connecting
    runs on a helper thread, so that a name lookup (which takes no timeout) is bounded too."""

    def __init__(self, backend: Any) -> None:
        self._backend = backend

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> DeadlineStream:
        import httpcore

        def connect(seconds: float | None) -> Any:
            call = self._backend.connect_tcp
            opened = functools.partial(call, host, port, seconds, local_address, socket_options)
            return _on_helper_thread(opened, seconds, f"connecting to {host}:{port}")

        return DeadlineStream(bounded(connect, timeout, httpcore.ConnectTimeout))

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Any = None
    ) -> DeadlineStream:
        import httpcore

        def connect(seconds: float | None) -> Any:
            return self._backend.connect_unix_socket(path, seconds, socket_options)

        return DeadlineStream(bounded(connect, timeout, httpcore.ConnectTimeout))

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


def _on_helper_thread(connect: Callable[[], Any], seconds: float | None, what: str) -> Any:
    """``connect()`` on a daemon thread, waited for at most ``seconds``; a connection that is
    made after that is closed."""
    import httpcore

    future: Future[Any] = Future()

    def run() -> None:
        try:
            future.set_result(connect())
        except BaseException as exc:  # handed to the waiting thread
            future.set_exception(exc)

    threading.Thread(target=run, name="fetch-connect", daemon=True).start()
    try:
        return future.result(timeout=seconds)
    except FutureTimeout:
        future.add_done_callback(_close_late)
        raise httpcore.ConnectTimeout(f"{what} took longer than {seconds:g} s") from None


def _close_late(future: Future[Any]) -> None:
    if future.exception() is None:
        future.result().close()


def bound_sockets(client: Any) -> None:
    """Put a :class:`DeadlineBackend` under the connection pools of an httpx client's own
    transports (the direct one and those of proxies from the environment). httpx has no total
    timeout and no public way to choose httpcore's network backend, so this reaches into
    httpx 0.28's ``Client._transport``/``_mounts`` and ``HTTPTransport._pool``;
    tests/test_fetch_deadline.py fails if a new httpx moves them. A transport given by the
    caller (a mock, say) is left as it is."""
    import httpx

    transports = [client._transport, *client._mounts.values()]
    for transport in transports:
        if not isinstance(transport, httpx.HTTPTransport):
            continue
        pool = getattr(transport, "_pool", None)
        backend = getattr(pool, "_network_backend", None)
        if backend is None:
            logger.warning("httpx changed: fetch deadlines only bound each socket operation")
            continue
        if not isinstance(backend, DeadlineBackend):
            pool._network_backend = DeadlineBackend(backend)  # type: ignore[union-attr]
