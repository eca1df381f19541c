"""Polite HTTP for the live-news front door, on httpx.

A :class:`Fetcher` sends a descriptive User-Agent, obeys robots.txt (read once per host and
cached), keeps to a per-host rate limit and concurrency cap, times out, retries 429 and 5xx
answers with backoff (honouring ``Retry-After`` up to a cap), follows a capped number of
redirects, sends conditional GETs for feeds, stops reading a page at a size cap and accepts only
HTML pages. The ``deadline`` bounds the time a URL's requests take, first byte to last:
robots.txt, name lookup, connecting, TLS, headers and body, of every redirect and retry, and the
backoff between retries (:mod:`newsevents.live.deadline`). Every failure comes back as a
:class:`FetchFailure` value naming the URL and the reason; nothing raises. All limits live in
:class:`FetchSettings`.
"""

from __future__ import annotations

import email.utils
import logging
import threading
import time
import urllib.robotparser
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, fields, replace
from types import MappingProxyType, TracebackType
from typing import TYPE_CHECKING, Literal
from urllib.parse import urljoin, urlsplit

from newsevents.errors import FetchError
from newsevents.live.deadline import Clock, bound_sockets, keeping
from newsevents.live.feeds import TRACKING_PARAMS, http_url_problem

if TYPE_CHECKING:
    import httpx

logger = logging.getLogger(__name__)

Kind = Literal["page", "feed"]
FailureOutcome = Literal["refused", "failed", "transient"]

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
ACCEPT: Mapping[Kind, str] = MappingProxyType(
    {
        "page": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1",
        "feed": "application/rss+xml,application/atom+xml,application/rdf+xml,"
        "application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.1",
    }
)
ROBOTS_MAX_BYTES = 500_000
"""robots.txt is read up to this size (the limit RFC 9309 asks crawlers to accept)."""


def default_user_agent() -> str:
    """``newsevents/<version> (+what it does)``: site owners can see who is reading and why."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        number = version("newsevents")
    except PackageNotFoundError:
        number = "dev"
    return f"newsevents/{number} (political event coding of news; obeys robots.txt)"


@dataclass(frozen=True)
class FetchSettings:
    """How politely and how far the fetcher goes. Every field has a documented default
    (docs/watch.md); the ``fetch`` and ``watch`` commands map flags onto them."""

    user_agent: str = field(default_factory=default_user_agent)
    """Sent with every request; robots.txt rules are matched on its first word."""
    timeout: float = 20.0
    """Seconds to wait to connect, or for the next bytes of an answer."""
    deadline: float = 60.0
    """Seconds one URL's requests may take in all, connecting to last byte: robots.txt, the
    page, its redirects and retries, and the backoff between retries (a server trickling bytes
    is cut off). Waiting for the host's turn (``host_delay``, caps) is not counted."""
    retries: int = 2
    """Further attempts after a 429, 5xx, timeout or network error."""
    backoff: float = 2.0
    """Seconds before the first retry; doubled for each further one."""
    max_retry_after: float = 120.0
    """The longest wait honoured from a ``Retry-After`` header; asking for longer ends the
    attempts (the URL is tried again on the next pass)."""
    max_redirects: int = 5
    """Redirects followed before the URL is given up."""
    max_bytes: int = 5_000_000
    """Largest page or feed read; a bigger one is abandoned mid-download."""
    host_delay: float = 1.0
    """Seconds between the starts of two requests to the same host."""
    host_concurrency: int = 2
    """Requests in flight at once to the same host."""
    concurrency: int = 8
    """Requests in flight at once in all."""
    robots_ttl: float = 3600.0
    """Seconds a host's robots.txt is kept before it is read again."""
    max_crawl_delay: float = 30.0
    """A robots.txt ``Crawl-delay`` raises the host delay up to this many seconds."""
    batch_size: int = 32
    """Articles fetched, coded and stored together (one store transaction per batch)."""
    tracking_params: tuple[str, ...] = TRACKING_PARAMS
    """Query parameters dropped when URLs are normalised (shell patterns such as ``utm_*``)."""

    def __post_init__(self) -> None:
        for spec in fields(self):
            value = getattr(self, spec.name)
            if isinstance(value, int | float) and not isinstance(value, bool) and value < 0:
                raise FetchError(f"fetch setting {spec.name} must not be negative: {value}")
        for name in ("timeout", "deadline", "max_bytes", "host_concurrency", "concurrency"):
            if getattr(self, name) <= 0:
                raise FetchError(f"fetch setting {name} must be positive: {getattr(self, name)}")
        if self.batch_size < 1:
            raise FetchError(f"fetch setting batch_size must be at least 1: {self.batch_size}")


@dataclass(frozen=True)
class Request:
    """One GET to make: a page, or a feed with the validators of its last poll."""

    url: str
    kind: Kind = "page"
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class Fetched:
    """A successful answer. ``status`` is 304 (and ``content`` empty) when a feed is unchanged."""

    url: str
    final_url: str
    status: int
    content: bytes = b""
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    attempts: int = 1


@dataclass(frozen=True)
class FetchFailure:
    """Why a URL could not be fetched. ``refused``: robots.txt forbids it; ``failed``: it will
    not work by trying again; ``transient``: it may work on a later pass."""

    url: str
    reason: str
    outcome: FailureOutcome
    final_url: str | None = None


@dataclass(frozen=True)
class _Redirect:
    location: str


@dataclass(frozen=True)
class _RetryLater:
    status: int
    phrase: str
    retry_after: str | None


Answer = Fetched | FetchFailure


def retry_delay(attempt: int, retry_after: str | None, settings: FetchSettings) -> float | None:
    """Seconds to wait before retry number ``attempt + 1``: the server's ``Retry-After`` when it
    gives one (seconds or an HTTP date), else exponential backoff, capped at
    ``max_retry_after``. None when the server asks for longer than the cap."""
    if retry_after:
        asked = _parse_retry_after(retry_after)
        if asked is not None:
            return asked if asked <= settings.max_retry_after else None
    return min(settings.backoff * 2**attempt, settings.max_retry_after)


def _parse_retry_after(value: str) -> float | None:
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - time.time())


class _Host:
    """Politeness state for one host: a concurrency cap, the next allowed start, robots.txt."""

    def __init__(self, concurrency: int, delay: float) -> None:
        self._slots = threading.BoundedSemaphore(concurrency)
        self._lock = threading.Lock()
        self._next_start = 0.0
        self.delay = delay
        self.robots_lock = threading.Lock()
        self.robots: urllib.robotparser.RobotFileParser | FetchFailure | None = None
        self.robots_expiry = 0.0

    @contextmanager
    def turn(self, clock: Clock) -> Iterator[None]:
        """Wait for a free slot and for the rate limit, then hold the slot while the URL's
        clock runs (the wait is not counted against its deadline)."""
        with self._slots:
            with self._lock:
                now = time.monotonic()
                start = max(now, self._next_start)
                self._next_start = start + self.delay
            if start > now:
                time.sleep(start - now)
            with clock.running():
                yield

    def hold_off(self, seconds: float) -> None:
        """No request to this host starts in the next ``seconds``."""
        with self._lock:
            self._next_start = max(self._next_start, time.monotonic() + seconds)


class Fetcher:
    """Fetches pages and feeds politely; one per run, so robots.txt and rate limits hold across
    passes. A context manager (it owns a connection pool and a thread pool).

    >>> with Fetcher(FetchSettings(host_delay=2.0)) as fetcher:        # doctest: +SKIP
    ...     answers = fetcher.get_many([Request("https://example.org/news/1.html")])
    """

    def __init__(
        self, settings: FetchSettings | None = None, transport: httpx.BaseTransport | None = None
    ) -> None:
        import httpx

        self.settings = settings or FetchSettings()
        self._client = httpx.Client(
            headers={"User-Agent": self.settings.user_agent},
            timeout=httpx.Timeout(self.settings.timeout),
            follow_redirects=False,
            transport=transport,
        )
        bound_sockets(self._client)
        self._hosts: dict[str, _Host] = {}
        self._hosts_lock = threading.Lock()
        self._pool = ThreadPoolExecutor(self.settings.concurrency, thread_name_prefix="fetch")

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def get_many(self, requests: Sequence[Request]) -> list[Answer]:
        """Fetch all, concurrently within the limits; answers in the order of ``requests``.
        Requests are started host by host in turn, so one slow host does not hold up others."""
        order = _interleave_by_host(requests)
        futures = {index: self._pool.submit(self.get, requests[index]) for index in order}
        return [futures[index].result() for index in range(len(requests))]

    def get(self, request: Request) -> Answer:
        """Fetch one URL, following redirects, within the deadline. Never raises."""
        clock = Clock(self.settings.deadline)
        try:
            with keeping(clock):
                return self._follow(request, clock)
        except Exception as exc:  # a fetch must never stop the pass; the reason is recorded
            logger.exception("fetching %s failed unexpectedly", request.url)
            return FetchFailure(request.url, f"unexpected error: {type(exc).__name__}", "failed")

    def _follow(self, request: Request, clock: Clock) -> Answer:
        """GET ``request.url`` and the redirects from it, each hop checked against robots.txt;
        a failure's ``final_url`` is the last URL requested."""
        url = request.url
        hops = 0
        while True:
            problem = http_url_problem(url)
            if problem:
                return FetchFailure(request.url, problem, "failed", final_url=url)
            host = self._host(url)
            refusal = self._robots_refusal(host, url, clock)
            if refusal is not None:
                return replace(refusal, url=request.url, final_url=url)
            answer = self._with_retries(url, request, host, clock)
            if not isinstance(answer, _Redirect):
                return replace(answer, url=request.url)
            if hops == self.settings.max_redirects:
                reason = f"more than {self.settings.max_redirects} redirects"
                return FetchFailure(request.url, reason, "failed", final_url=url)
            url = answer.location
            hops += 1

    def _host(self, url: str) -> _Host:
        key = _host_key(url)
        with self._hosts_lock:
            if key not in self._hosts:
                self._hosts[key] = _Host(self.settings.host_concurrency, self.settings.host_delay)
            return self._hosts[key]

    # --- robots.txt ---------------------------------------------------------------------

    def _robots_refusal(self, host: _Host, url: str, clock: Clock) -> FetchFailure | None:
        rules = self._robots(host, url, clock)
        if isinstance(rules, FetchFailure):
            return rules
        if rules.can_fetch(self.settings.user_agent, url):
            return None
        path = urlsplit(url).path or "/"
        return FetchFailure(url, f"robots.txt of {_host_key(url)} disallows {path}", "refused")

    def _robots(
        self, host: _Host, url: str, clock: Clock
    ) -> urllib.robotparser.RobotFileParser | FetchFailure:
        """The host's robots.txt rules, read when not known or expired. A read cut short by the
        deadline of a URL that had spent time before it (on an earlier redirect hop) is not
        kept: the next URL of the host reads robots.txt again."""
        with host.robots_lock:
            if host.robots is None or time.monotonic() >= host.robots_expiry:
                fresh = clock.fresh
                rules = self._read_robots(host, url, clock)
                if clock.reached and not fresh:
                    return rules
                host.robots = rules
                host.robots_expiry = time.monotonic() + self.settings.robots_ttl
                self._apply_crawl_delay(host)
            return host.robots

    def _robots_late(self, url: str, what: str) -> FetchFailure:
        deadline = f"the {self.settings.deadline:g} s deadline passed {what}"
        reason = f"robots.txt of {_host_key(url)} unreachable ({deadline})"
        return FetchFailure(url, reason, "transient")

    def _read_robots(
        self, host: _Host, url: str, clock: Clock
    ) -> urllib.robotparser.RobotFileParser | FetchFailure:
        import httpx

        robots_url = f"{_host_key(url)}/robots.txt"
        rules = urllib.robotparser.RobotFileParser(robots_url)
        try:
            with (
                host.turn(clock),
                self._client.stream("GET", robots_url, follow_redirects=True) as r,
            ):
                if r.status_code in (401, 403):
                    rules.disallow_all = True  # as urllib.robotparser does
                elif 400 <= r.status_code < 500 and r.status_code != 429:
                    rules.allow_all = True  # no robots.txt: no rules
                elif r.status_code >= 300:  # 429, 5xx: try again later (RFC 9309)
                    reason = f"robots.txt of {_host_key(url)} unreachable (HTTP {r.status_code})"
                    return FetchFailure(url, reason, "transient")
                else:
                    text = _read_capped(r, ROBOTS_MAX_BYTES).decode("utf-8", errors="replace")
                    rules.parse(text.splitlines())
        except httpx.HTTPError as exc:
            if clock.reached:
                return self._robots_late(url, _phase(exc, reading="while reading it"))
            reason = f"robots.txt of {_host_key(url)} unreachable ({_describe(exc)})"
            return FetchFailure(url, reason, "transient")
        return rules

    def _apply_crawl_delay(self, host: _Host) -> None:
        rules = host.robots
        if not isinstance(rules, urllib.robotparser.RobotFileParser):
            return
        asked = rules.crawl_delay(self.settings.user_agent)
        if asked:
            wanted = min(float(asked), self.settings.max_crawl_delay)
            host.delay = max(self.settings.host_delay, wanted)

    # --- one URL ------------------------------------------------------------------------

    def _with_retries(
        self, url: str, request: Request, host: _Host, clock: Clock
    ) -> Answer | _Redirect:
        attempt = 0
        while True:
            answer = self._attempt(url, request, host, clock)
            if isinstance(answer, Fetched):
                return replace(answer, attempts=attempt + 1)
            retryable = isinstance(answer, _RetryLater) or (
                isinstance(answer, FetchFailure) and answer.outcome == "transient"
            )
            if not retryable:
                return answer  # type: ignore[return-value]
            header = answer.retry_after if isinstance(answer, _RetryLater) else None
            wait = retry_delay(attempt, header, self.settings)
            if clock.reached or attempt >= self.settings.retries or wait is None:
                return self._gave_up(url, answer, attempt + 1, header if wait is None else None)
            if not clock.allows(wait):
                return self._no_time_to_retry(url, answer, attempt + 1, wait)
            clock.charge(wait)
            host.hold_off(wait)
            attempt += 1

    def _gave_up(
        self, url: str, answer: _RetryLater | Answer, attempts: int, too_long: str | None
    ) -> FetchFailure:
        """The final failure after retrying; ``too_long`` is a Retry-After beyond the cap."""
        if isinstance(answer, FetchFailure):
            return replace(answer, reason=f"{answer.reason} ({_attempts(attempts)})")
        assert isinstance(answer, _RetryLater)
        reason = f"HTTP {answer.status} {answer.phrase}".rstrip()
        if too_long:
            reason += (
                f"; Retry-After {too_long.strip()} is longer than the "
                f"{self.settings.max_retry_after:g} s cap"
            )
        return FetchFailure(url, f"{reason} ({_attempts(attempts)})", "transient")

    def _no_time_to_retry(
        self, url: str, answer: _RetryLater | Answer, attempts: int, wait: float
    ) -> FetchFailure:
        failure = self._gave_up(url, answer, attempts, None)
        late = f"a retry in {wait:g} s would end after the {self.settings.deadline:g} s deadline"
        return replace(failure, reason=f"{failure.reason}; {late}")

    def _late(self, url: str, what: str, final_url: str | None = None) -> FetchFailure:
        """The failure of a URL whose deadline passed ``what`` ("while connecting" ...)."""
        reason = f"the {self.settings.deadline:g} s deadline passed {what}"
        return FetchFailure(url, reason, "transient", final_url=final_url)

    def _attempt(
        self, url: str, request: Request, host: _Host, clock: Clock
    ) -> Answer | _Redirect | _RetryLater:
        import httpx

        headers = {"Accept": ACCEPT[request.kind]}
        if request.etag:
            headers["If-None-Match"] = request.etag
        if request.last_modified:
            headers["If-Modified-Since"] = request.last_modified
        try:
            with host.turn(clock), self._client.stream("GET", url, headers=headers) as response:
                return self._answer(url, request.kind, response, clock)
        except httpx.TimeoutException as exc:
            if clock.reached:
                return self._late(url, _phase(exc))
            return FetchFailure(url, f"timed out after {self.settings.timeout:g} s", "transient")
        except httpx.TransportError as exc:
            return FetchFailure(url, f"network error: {_describe(exc)}", "transient")
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            return FetchFailure(url, f"bad answer: {_describe(exc)}", "failed")

    def _answer(
        self, url: str, kind: Kind, response: httpx.Response, clock: Clock
    ) -> Answer | _Redirect | _RetryLater:
        status = response.status_code
        location = response.headers.get("location")
        if status in REDIRECT_STATUSES and location:
            return _Redirect(urljoin(str(response.url), location))
        if status in RETRY_STATUSES:
            return _RetryLater(status, response.reason_phrase, response.headers.get("retry-after"))
        if status == 304:
            return self._fetched(url, response, b"")
        if not 200 <= status < 300:
            reason = f"HTTP {status} {response.reason_phrase}".rstrip()
            return FetchFailure(url, reason, "failed", final_url=str(response.url))
        media = _media_type(response.headers.get("content-type"))
        if kind == "page" and media and media not in HTML_TYPES:
            reason = f"not an HTML page (content type {media})"
            return FetchFailure(url, reason, "failed", final_url=str(response.url))
        return self._read_body(url, response, clock)

    def _read_body(self, url: str, response: httpx.Response, clock: Clock) -> Answer:
        import httpx

        limit = self.settings.max_bytes
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            reason = f"page is {int(declared):,} bytes; the limit is {limit:,}"
            return FetchFailure(url, reason, "failed", final_url=str(response.url))
        chunks: list[bytes] = []
        try:
            failure = self._read_chunks(url, response, clock, chunks)
        except httpx.TimeoutException:
            if not clock.reached:
                raise
            failure = self._late(url, _body_phase(chunks), str(response.url))
        return failure or self._fetched(url, response, b"".join(chunks))

    def _read_chunks(
        self, url: str, response: httpx.Response, clock: Clock, chunks: list[bytes]
    ) -> FetchFailure | None:
        """Read the body into ``chunks``; the failure when it is too big or too late."""
        limit, size = self.settings.max_bytes, 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > limit:
                reason = f"page is larger than the limit of {limit:,} bytes; download stopped"
                return FetchFailure(url, reason, "failed", final_url=str(response.url))
            chunks.append(chunk)
            if clock.left() <= 0:  # a transport without the deadline backend (a mock)
                return self._late(url, _body_phase(chunks), str(response.url))
        return None

    @staticmethod
    def _fetched(url: str, response: httpx.Response, content: bytes) -> Fetched:
        return Fetched(
            url=url,
            final_url=str(response.url),
            status=response.status_code,
            content=content,
            content_type=response.headers.get("content-type"),
            etag=response.headers.get("etag"),
            last_modified=response.headers.get("last-modified"),
        )


def page_markup(page: Fetched) -> str | bytes:
    """The page decoded with the charset its Content-Type names, when that is not UTF-8 (the
    HTML reader decodes bytes as UTF-8, falling back to Windows-1252); else the bytes."""
    charset = ""
    for param in (page.content_type or "").split(";")[1:]:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip("\"'").lower()
    if not charset or charset.replace("-", "").replace("_", "") in ("utf8", "usascii", "ascii"):
        return page.content
    try:
        return page.content.decode(charset)
    except (LookupError, UnicodeDecodeError):
        return page.content


def _read_capped(response: httpx.Response, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        chunks.append(chunk)
        size += len(chunk)
        if size >= limit:
            break
    return b"".join(chunks)[:limit]


def _host_key(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def _interleave_by_host(requests: Sequence[Request]) -> list[int]:
    """Indexes of ``requests`` taking one per host in turn."""
    queues: dict[str, list[int]] = {}
    for index, request in enumerate(requests):
        queues.setdefault(_host_key(request.url), []).append(index)
    order: list[int] = []
    while queues:
        for key in list(queues):
            order.append(queues[key].pop(0))
            if not queues[key]:
                del queues[key]
    return order


def _phase(exc: BaseException, reading: str = "while waiting for the headers of the answer") -> str:
    """What a request was doing when its deadline passed, from httpx's timeout."""
    import httpx

    if isinstance(exc, httpx.ConnectTimeout):
        return "while connecting"
    if isinstance(exc, httpx.WriteTimeout):
        return "while sending the request"
    return reading


def _body_phase(chunks: list[bytes]) -> str:
    return f"after {sum(map(len, chunks)):,} bytes of the body"


def _media_type(content_type: str | None) -> str:
    return (content_type or "").split(";")[0].strip().lower()


def _describe(exc: BaseException) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _attempts(count: int) -> str:
    return f"{count} attempt{'s' if count != 1 else ''}"
