"""The KRS API client against a stand-in server on 127.0.0.1 that misbehaves on purpose.

Delays are milliseconds: the client is given a sleep that records the waits it asks for instead
of sleeping them, so a test can check that Retry-After was honoured without waiting for it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest

from sources.krs_api import ApiRefused, ApiSettings, ApiUnavailable, KrsApiClient, fetch_entity
from tests.krs_api_server import Fault, KrsApiServer, KrsApiStandIn

INBOX_KRS = Path(__file__).parent / "fixtures" / "inbox" / "krs"
CURRENT_S = "/api/krs/OdpisAktualny/0000100001?rejestr=S&format=json"


class Waits(list):
    """The waits the client asked for, in seconds; none is actually slept."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def fast_client(base_url: str, waits: Waits, **overrides: float) -> KrsApiClient:
    settings = {"connect_timeout_s": 0.5, "read_timeout_s": 0.2, "max_attempts": 5,
                "backoff_s": 0.001, "backoff_max_s": 0.004, "retry_after_max_s": 5.0,
                "requests_per_second": 1000.0, **overrides}
    return KrsApiClient(ApiSettings(base_url=base_url, **settings), sleep=waits)


@pytest.fixture
def api() -> KrsApiStandIn:
    stand_in = KrsApiStandIn()
    stand_in.add_folder(INBOX_KRS)
    return stand_in


def test_every_transport_fault_is_retried_until_the_answer(api: KrsApiStandIn) -> None:
    """Slow past the 0.2 s timeout, dropped mid-body, 500, 429 with Retry-After: 1, then 200."""
    api.fault(CURRENT_S, Fault("slow", seconds=0.6), Fault("drop"), Fault("status", 500),
              Fault("status", 429, headers=(("Retry-After", "1"),)))
    waits = Waits()
    with KrsApiServer(api) as server:
        answer = fast_client(server.base_url, waits).current_extract("0000100001", "S")
    assert (answer.status, answer.attempts) == (200, 5)
    assert answer.body == (INBOX_KRS / "odpis_aktualny_0000100001.json").read_bytes()
    assert [s.outcome for s in api.served()] == ["slow", "drop", "500", "429", "200"]
    assert max(waits) >= 1.0  # the wait after the 429 is the one the server asked for
    assert sorted(waits)[-2] < 0.01  # every other wait is the millisecond backoff


def test_retries_are_bounded(api: KrsApiStandIn) -> None:
    api.fault(CURRENT_S, *[Fault("status", 503)] * 10)
    with KrsApiServer(api) as server:
        client = fast_client(server.base_url, Waits(), max_attempts=3)
        with pytest.raises(ApiUnavailable, match="3 attempts"):
            client.current_extract("0000100001", "S")
    assert len(api.served()) == 3
    assert (client.counts.requests, client.counts.retries) == (3, 2)


def test_a_status_the_api_does_not_use_is_not_retried(api: KrsApiStandIn) -> None:
    api.fault(CURRENT_S, Fault("status", 403))
    with KrsApiServer(api) as server, pytest.raises(ApiRefused, match="403"):
        fast_client(server.base_url, Waits()).current_extract("0000100001", "S")
    assert len(api.served()) == 1


def test_registers_and_struck_off_entities(api: KrsApiStandIn) -> None:
    """100001 is in S (404 in P first), 100002 was struck off (204, then its full extract),
    100004 is in neither register."""
    with KrsApiServer(api) as server:
        client = fast_client(server.base_url, Waits())
        in_s = fetch_entity(client, "0000100001", "P")
        struck_off = fetch_entity(client, "0000100002", "S")
        unknown = fetch_entity(client, "0000100004", "S")
    assert (in_s.outcome, in_s.register) == ("current", "S")
    assert [a.status for a in in_s.answers] == [404, 200] and in_s.kept is in_s.answers[1]
    assert (struck_off.outcome, struck_off.register) == ("struck_off", "S")
    assert [(a.endpoint, a.status) for a in struck_off.answers] == [("OdpisAktualny", 204),
                                                                    ("OdpisPelny", 200)]
    assert struck_off.kept.body == (INBOX_KRS / "odpis_pelny_0000100002.json").read_bytes()
    assert (unknown.outcome, unknown.kept) == ("not_found", None)
    assert [(s.register, s.outcome) for s in api.served()][-2:] == [("S", "404"), ("P", "404")]


def test_requests_are_spaced_by_the_rate_limit(api: KrsApiStandIn) -> None:
    """At 4 requests a second, 8 requests need 7 gaps of 0.25 s: 1.75 s on the client's clock
    (a clock that moves only when the client waits)."""

    class Clock:
        now = 0.0

        def monotonic(self) -> float:
            return self.now

        def sleep(self, seconds: float) -> None:
            self.now += seconds

    clock = Clock()
    with KrsApiServer(api) as server:
        client = KrsApiClient(ApiSettings(base_url=server.base_url, requests_per_second=4.0),
                              sleep=clock.sleep, monotonic=clock.monotonic)
        for _ in range(8):
            client.current_extract("0000100001", "S")
    assert clock.now == pytest.approx(1.75)


def test_requests_say_who_asks(api: KrsApiStandIn) -> None:
    with KrsApiServer(api) as server:
        fast_client(server.base_url, Waits()).bulletin(date(2026, 10, 1))
    [served] = api.served()
    assert (served.endpoint, served.target) == ("Biuletyn", "2026-10-01")
    assert served.user_agent.startswith("PES-Monitor/")


def test_retry_after_may_be_an_http_date(api: KrsApiStandIn) -> None:
    """Retry-After as a date 30 s ahead: the client waits about that long (capped at 5 s)."""
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    api.fault(CURRENT_S, Fault("status", 503, headers=(("Retry-After", when),)))
    waits = Waits()
    with KrsApiServer(api) as server:
        answer = fast_client(server.base_url, waits).current_extract("0000100001", "S")
    assert answer.status == 200
    assert max(waits) == 5.0  # retry_after_max_s of the fast client
