"""Client of the Ministry of Justice's public KRS API: extracts and the daily bulletin.

Endpoints (data/reference/krs/SOURCES.md), under a configurable base URL:
`/api/krs/OdpisAktualny/{krs}?rejestr=P|S&format=json` the current extract,
`/api/krs/OdpisPelny/{krs}?rejestr=P|S&format=json` the full history,
`/api/krs/Biuletyn/{yyyy-mm-dd}` the KRS numbers changed on that day.

The API is public and free, so the client is polite: a few requests a second at most, an
identifying User-Agent, and patience when asked to wait (429 with Retry-After). Transport faults
(timeouts, refused or dropped connections, a body shorter than its Content-Length) and
answers 429/5xx are retried with exponential backoff and jitter, a bounded number of times.
What the API means by a status is kept for the caller: 200 with a body, 204 for an entity
struck off the register, 404 for a number the asked register does not hold.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from importlib.metadata import PackageNotFoundError, version
from zoneinfo import ZoneInfo

import requests

API_PATH = "/api/krs"
REGISTERS = ("P", "S")
#: Statuses the API gives as answers; any other is a fault (retried) or a refusal (not retried).
ANSWERS = {200, 204, 404}
RETRIED_STATUSES = {429, 500, 502, 503, 504}
#: The register's days (bulletins, request times) are Warsaw days.
REGISTER_TIME = ZoneInfo("Europe/Warsaw")


def _project_version() -> str:
    try:
        return version("pes-monitor")
    except PackageNotFoundError:
        return "dev"


DEFAULT_USER_AGENT = (f"PES-Monitor/{_project_version()} "
                      "(monitoring ekonomii spolecznej; python-requests)")


@dataclass(frozen=True)
class ApiSettings:
    """Where the API is and how patiently to ask it; delays in seconds."""

    base_url: str
    connect_timeout_s: float = 5.0
    read_timeout_s: float = 30.0
    max_attempts: int = 5
    backoff_s: float = 1.0
    backoff_max_s: float = 60.0
    retry_after_max_s: float = 300.0
    requests_per_second: float = 3.0
    user_agent: str = DEFAULT_USER_AGENT


def register_now() -> datetime:
    """The time in Warsaw, without a zone (as the warehouse's timestamps are kept)."""
    return datetime.now(REGISTER_TIME).replace(tzinfo=None)


@dataclass(frozen=True)
class Answer:
    """A complete answer of the API: its status, body and when it was asked (Warsaw time)."""

    endpoint: str
    url: str
    status: int
    body: bytes
    requested_at: datetime
    attempts: int


class ApiUnavailable(Exception):
    """The API did not answer after every attempt (timeouts, dropped connections, 5xx, 429)."""


class ApiRefused(Exception):
    """The API answered with a status it does not use for this call (400, 403...): not retried."""


@dataclass
class RequestCounts:
    """What the client did: requests sent, those retried, and why they were retried."""

    requests: int = 0
    retries: int = 0
    faults: dict[str, int] = field(default_factory=dict)

    def fault(self, kind: str) -> None:
        self.faults[kind] = self.faults.get(kind, 0) + 1


class IncompleteBody(requests.RequestException):
    """The connection closed before the announced Content-Length arrived."""


def _retry_after_s(response: requests.Response) -> float | None:
    """Retry-After in seconds, written either as seconds or as an HTTP date."""
    value = response.headers.get("Retry-After")
    if not value:
        return None
    if value.strip().isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(when.tzinfo)).total_seconds())


def _check_complete(response: requests.Response) -> None:
    """A body shorter than its Content-Length is a dropped connection, never an answer."""
    announced = response.headers.get("Content-Length")
    if (announced and announced.isdigit() and "Content-Encoding" not in response.headers
            and len(response.content) < int(announced)):
        raise IncompleteBody(f"{len(response.content)} of {announced} bytes received")


class KrsApiClient:
    """GET requests to the KRS API with a rate limit and bounded retries.

    `sleep`, `monotonic` and `jitter` are the clock and the dice, passed in so that a test can
    run the backoff in milliseconds; the defaults are the real ones.
    """

    def __init__(self, settings: ApiSettings, session: requests.Session | None = None,
                 sleep: Callable[[float], None] = time.sleep,
                 monotonic: Callable[[], float] = time.monotonic,
                 jitter: Callable[[], float] = random.random) -> None:
        self.settings = settings
        self.session = session or requests.Session()
        self.session.headers.update({"User-Agent": settings.user_agent,
                                     "Accept": "application/json"})
        self.counts = RequestCounts()
        self._sleep, self._monotonic, self._jitter = sleep, monotonic, jitter
        self._next_slot = 0.0

    def current_extract(self, krs: str, register: str) -> Answer:
        return self.get(f"OdpisAktualny/{krs}", {"rejestr": register, "format": "json"})

    def full_extract(self, krs: str, register: str) -> Answer:
        return self.get(f"OdpisPelny/{krs}", {"rejestr": register, "format": "json"})

    def bulletin(self, day: date) -> Answer:
        return self.get(f"Biuletyn/{day.isoformat()}", {})

    def close(self) -> None:
        self.session.close()

    def _wait_for_turn(self) -> None:
        """At most `requests_per_second` requests start in any second, retries included."""
        now = self._monotonic()
        if self._next_slot > now:
            self._sleep(self._next_slot - now)
        self._next_slot = max(now, self._next_slot) + 1.0 / self.settings.requests_per_second

    def _backoff_s(self, failures: int, retry_after_s: float | None) -> float:
        """Exponential backoff with jitter (50-100 % of the step); Retry-After when longer."""
        s = self.settings
        step = min(s.backoff_max_s, s.backoff_s * 2 ** (failures - 1))
        delay = step * (0.5 + self._jitter() / 2)
        if retry_after_s is not None:
            delay = max(delay, min(retry_after_s, s.retry_after_max_s))
        return delay

    def get(self, endpoint: str, params: dict[str, str]) -> Answer:
        """The API's answer to one GET, retried on faults; ApiUnavailable when none came."""
        s = self.settings
        url = f"{s.base_url.rstrip('/')}{API_PATH}/{endpoint}"
        last_fault = ""
        for attempt in range(1, s.max_attempts + 1):
            self._wait_for_turn()
            requested_at = register_now()
            self.counts.requests += 1
            retry_after = None
            try:
                response = self.session.get(
                    url, params=params, timeout=(s.connect_timeout_s, s.read_timeout_s))
                _check_complete(response)
            except requests.Timeout as error:
                kind, last_fault = "timeout", f"timeout: {error}"
            except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError,
                    requests.exceptions.ContentDecodingError, IncompleteBody) as error:
                kind, last_fault = "connection", f"{type(error).__name__}: {error}"
            else:
                if response.status_code in ANSWERS:
                    return Answer(endpoint=endpoint.split("/")[0], url=response.url,
                                  status=response.status_code,
                                  body=response.content, requested_at=requested_at,
                                  attempts=attempt)
                if response.status_code not in RETRIED_STATUSES:
                    raise ApiRefused(f"{response.url}: HTTP {response.status_code}")
                kind, last_fault = f"http_{response.status_code}", f"HTTP {response.status_code}"
                retry_after = _retry_after_s(response)
            self.counts.fault(kind)
            if attempt < s.max_attempts:
                self.counts.retries += 1
                self._sleep(self._backoff_s(attempt, retry_after))
        raise ApiUnavailable(f"{url} {params}: no answer after {s.max_attempts} attempts "
                             f"(last: {last_fault})")


@dataclass(frozen=True)
class EntityAnswer:
    """What the API says about one KRS number, with every answer it took to learn it.

    `outcome`: `current` (200 to the current extract), `struck_off` (204 to it; the full
    extract, which holds the date, is then `kept` when the API gave one) or `not_found` (404
    in both registers). `kept` is the answer whose body is the entity's extract.
    """

    krs: str
    outcome: str
    register: str | None
    answers: tuple[Answer, ...]
    kept: Answer | None = None


def fetch_entity(client: KrsApiClient, krs: str, first_register: str = "P") -> EntityAnswer:
    """The current extract of a number, from its register; 404 in one register asks the other.

    An entity struck off answers 204: its full extract is then asked for, because only that
    one holds the date of the striking off.
    """
    answers: list[Answer] = []
    for register in (first_register, *(r for r in REGISTERS if r != first_register)):
        answers.append(client.current_extract(krs, register))
        if answers[-1].status == 200:
            return EntityAnswer(krs, "current", register, tuple(answers), answers[-1])
        if answers[-1].status == 204:
            answers.append(client.full_extract(krs, register))
            full = answers[-1] if answers[-1].status == 200 else None
            return EntityAnswer(krs, "struck_off", register, tuple(answers), full)
    return EntityAnswer(krs, "not_found", None, tuple(answers))
