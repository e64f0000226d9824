"""The monthly KRS sync against a stand-in API on 127.0.0.1: faults, interruptions, bulletins.

The stand-in holds seven numbers (the hand-made inbox's extracts, the two real responses of
data/reference/krs and the full extract of tests/fixtures/krs_api), and the sync is asked for
them with the register the catalogue would imply (None: unknown, P is asked first):

  0000030897 S  current     (WOŚP, real)          0000100004 S  in neither register (404, 404)
  0000100001 -  current, S  (404 in P first)      0000200001 P  struck off (204, full extract)
  0000100002 S  struck off  (204, full extract)   0001268296 -  current, P (real)
  0000100003 P  current

"Asked exactly once" is checked on the server's log: for every URL, the answers the API means
(200, 204, 404, or a complete but cut 200) come once, and only after faults, never twice.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from datetime import date
from pathlib import Path

import duckdb
import pytest

from sources.krs_api import ApiSettings, KrsApiClient
from sources.krs_sync import SyncStore, sync_extracts
from tests.krs_api_server import Fault, KrsApiServer, KrsApiStandIn, Served

FIXTURES = Path(__file__).parent / "fixtures"
REFERENCE = Path(__file__).resolve().parents[1] / "data" / "reference" / "krs"
NUMBERS = {"0000030897": "S", "0000100001": None, "0000100002": "S", "0000100003": "P",
           "0000100004": "S", "0000200001": "P", "0001268296": None}
DAY = date(2026, 10, 1)


def current_url(krs: str, register: str) -> str:
    return f"/api/krs/OdpisAktualny/{krs}?rejestr={register}&format=json"


class Waits(list):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def api() -> KrsApiStandIn:
    stand_in = KrsApiStandIn()
    stand_in.add_folder(FIXTURES / "inbox" / "krs")
    stand_in.add_folder(FIXTURES / "krs_api")
    stand_in.add_extract_file(REFERENCE / "current-P-0001268296.json")
    return stand_in


@pytest.fixture
def con(tmp_path: Path):
    with duckdb.connect(str(tmp_path / "warehouse.duckdb")) as connection:
        yield connection


def sync(server: KrsApiServer, con: duckdb.DuckDBPyConnection, landing: Path, today: date,
         run_id: str, waits: Waits | None = None, **options):
    client = KrsApiClient(ApiSettings(
        base_url=server.base_url, connect_timeout_s=0.5, read_timeout_s=0.2, max_attempts=4,
        backoff_s=0.001, backoff_max_s=0.004, requests_per_second=1000.0),
        sleep=waits if waits is not None else Waits())
    return sync_extracts(client, SyncStore(con, landing, run_id), NUMBERS, today, **options)


def assert_each_url_answered_once(served: list[Served]) -> None:
    by_url = defaultdict(list)
    for request in served:
        by_url[(request.endpoint, request.target, request.register)].append(request.answered)
    for url, answered in by_url.items():
        assert answered == [False] * (len(answered) - 1) + [True], url


def extract_requests(served: list[Served]) -> set[str]:
    return {s.target for s in served if s.endpoint != "Biuletyn"}


def test_first_sync_survives_every_fault_and_asks_each_number_once(
        api: KrsApiStandIn, con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    api.fault(current_url("0000100001", "S"), Fault("slow", seconds=0.6))
    api.fault(current_url("0000100003", "P"), Fault("status", 429, headers=(("Retry-After", "1"),)),
              Fault("status", 500))
    api.fault(current_url("0001268296", "P"), Fault("drop"))
    api.fault("/api/krs/OdpisPelny/0000100002?rejestr=S&format=json", Fault("status", 502))
    api.fault(current_url("0000030897", "S"), Fault("truncated"))
    waits = Waits()
    with KrsApiServer(api) as server:
        report = sync(server, con, tmp_path / "landing", DAY, "run-1", waits)

    assert report.counts() == {
        "numbers_ours": 7, "numbers_never_fetched": 7, "numbers_changed": 0, "numbers_asked": 7,
        "numbers_fetched": 5, "numbers_removed": 2, "numbers_not_found": 1,
        "numbers_unreadable": 1, "numbers_failed": 0, "numbers_left": 0,
        # 11 answers (two registers for 100001 and 100004, current + full for the two struck
        # off, one for the other three) and 5 faults
        "requests": 16, "retries": 5,
    }
    assert_each_url_answered_once(api.served())
    assert max(waits) >= 1.0  # Retry-After honoured

    states = {row[0]: row[1:] for row in con.execute(
        "select krs, register, status, original_name, known_through from krs.extract_state"
    ).fetchall()}
    assert states == {
        "0000030897": ("S", "unreadable", "odpis_aktualny_0000030897.json", date(2026, 9, 30)),
        "0000100001": ("S", "current", "odpis_aktualny_0000100001.json", date(2026, 9, 30)),
        "0000100002": ("S", "struck_off", "odpis_pelny_0000100002.json", date(2026, 9, 30)),
        "0000100003": ("P", "current", "odpis_aktualny_0000100003.json", date(2026, 9, 30)),
        "0000100004": (None, "not_found", None, date(2026, 9, 30)),
        "0000200001": ("P", "struck_off", "odpis_pelny_0000200001.json", date(2026, 9, 30)),
        "0001268296": ("P", "current", "odpis_aktualny_0001268296.json", date(2026, 9, 30)),
    }
    landed = con.execute("select original_name, content_sha256, landed_path "
                         "from krs.extract_state where landed_path is not null").fetchall()
    assert len(landed) == 6
    for name, sha, path in landed:
        body = Path(path).read_bytes()
        assert Path(path).name == f"{name.removesuffix('.json')}_{sha}.json"
        assert hashlib.sha256(body).hexdigest() == sha
    # the cut answer is kept as it came, for the auditor and the quarantine
    wosp = (FIXTURES / "inbox" / "krs" / "odpis_aktualny_0000030897.json").read_bytes()
    kept_wosp = next(Path(p).read_bytes() for n, _, p in landed if "0000030897" in n)
    assert kept_wosp == wosp[: len(wosp) // 2]
    answers = con.execute("select count(*), count(requested_at) from krs.response").fetchall()
    assert answers == [(11, 11)]


def test_interrupted_sync_resumes_without_asking_again(
        api: KrsApiStandIn, con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    """The process dies after the third number (in KRS order: 30897, 100001, 100002)."""

    class Killed(Exception):
        pass

    def die_after_three(done: int, total: int, report) -> None:
        if done == 3:
            raise Killed

    with KrsApiServer(api) as server:
        with pytest.raises(Killed):
            sync(server, con, tmp_path / "landing", DAY, "run-1", progress=die_after_three)
        first = api.served()
        resumed = sync(server, con, tmp_path / "landing", DAY, "run-2")
    second = api.served()[len(first):]

    assert extract_requests(first) == {"0000030897", "0000100001", "0000100002"}
    assert resumed.asked == ["0000100003", "0000100004", "0000200001", "0001268296"]
    assert extract_requests(second) == set(resumed.asked)
    assert_each_url_answered_once(first + second)
    assert con.execute("select count(*) from krs.extract_state").fetchall() == [(7,)]


def test_when_the_api_goes_down_the_sync_stops_and_the_next_one_finishes(
        api: KrsApiStandIn, con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    """The API answers 30897 and 100001, then only 500: after two numbers failing in a row
    (every attempt of each) the sync stops and leaves the last three for the next one."""
    api.fault(current_url("0000100002", "S"), *[Fault("status", 500)] * 4)
    api.fault(current_url("0000100003", "P"), *[Fault("status", 500)] * 4)
    with KrsApiServer(api) as server:
        down = sync(server, con, tmp_path / "landing", DAY, "run-1", failures_to_stop=2)
        first = api.served()
        back = sync(server, con, tmp_path / "landing", DAY, "run-2", failures_to_stop=2)
    second = api.served()[len(first):]

    assert (down.fetched, down.failed) == (["0000030897", "0000100001"],
                                           ["0000100002", "0000100003"])
    assert down.left == ["0000100004", "0000200001", "0001268296"]
    assert back.asked == ["0000100002", "0000100003", "0000100004", "0000200001", "0001268296"]
    assert extract_requests(second) == set(back.asked)
    assert back.failed == [] and back.left == []
    assert_each_url_answered_once(first + second)
    failures = con.execute("select run_id, target from krs.failure order by target").fetchall()
    assert failures == [("run-1", "0000100002"), ("run-1", "0000100003")]


def test_a_month_later_only_our_changed_numbers_are_asked(
        api: KrsApiStandIn, con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    """Synced on 1 October; on 1 November the bulletins of 1-31 October (31 days) list
    100001 twice on the 3rd (without leading zeros) with a number not ours, and 1268296 and
    200001 on the 20th: those three are asked again, nothing else."""
    api.bulletins = {"2026-10-03": ["100001", "100001", "999999"],
                     "2026-10-20": ["1268296", "0000200001"]}
    landing = tmp_path / "landing"
    with KrsApiServer(api) as server:
        sync(server, con, landing, DAY, "october")
        before = len(api.served())
        november = sync(server, con, landing, date(2026, 11, 1), "november")
        monthly = api.served()[before:]
        again = sync(server, con, landing, date(2026, 11, 1), "november-again")
        next_day = sync(server, con, landing, date(2026, 11, 2), "november-2nd")
    after_monthly = api.served()[before + len(monthly):]

    assert november.changed == ["0000100001", "0000200001", "0001268296"]
    assert november.asked == november.changed
    assert extract_requests(monthly) == set(november.changed)
    bulletin_days = [s.target for s in monthly if s.endpoint == "Biuletyn"]
    assert len(bulletin_days) == len(set(bulletin_days)) == 31
    assert (november.bulletins_from, november.bulletins_through) == (date(2026, 10, 1),
                                                                     date(2026, 10, 31))
    assert again.asked == [] and again.requests == 0  # nothing new the same day
    assert next_day.asked == []
    assert [s.target for s in after_monthly] == ["2026-11-01"]  # one new bulletin day
    known = dict(con.execute("select krs, known_through from krs.extract_state").fetchall())
    assert set(known.values()) == {date(2026, 11, 1)}
    landed = sorted(p.name.rsplit("_", 1)[0] for p in landing.glob("biuletyn_*.json"))
    assert landed == [f"biuletyn_2026-10-{d:02d}" for d in range(1, 32)] + ["biuletyn_2026-11-01"]


def test_a_bulletin_day_that_cannot_be_read_is_read_again_next_time(
        api: KrsApiStandIn, con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    """The bulletin of 5 October fails every attempt: the changes of the 3rd are taken, the
    others are known only through the 4th, and the next sync reads from the 5th on."""
    api.bulletins = {"2026-10-03": ["100001"], "2026-10-20": ["100003"]}
    api.fault("/api/krs/Biuletyn/2026-10-05", *[Fault("status", 500)] * 4)
    landing = tmp_path / "landing"
    with KrsApiServer(api) as server:
        sync(server, con, landing, DAY, "october")
        gap = sync(server, con, landing, date(2026, 11, 1), "november")
        before = len(api.served())
        later = sync(server, con, landing, date(2026, 11, 1), "november-again")
    read_later = [s.target for s in api.served()[before:] if s.endpoint == "Biuletyn"]

    assert (gap.bulletins_through, gap.asked) == (date(2026, 10, 4), ["0000100001"])
    assert gap.bulletin_failure.startswith("2026-10-05")
    assert read_later == [f"2026-10-{d:02d}" for d in range(5, 32)]
    assert later.asked == ["0000100003"]
