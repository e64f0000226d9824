"""Monthly incremental sync of KRS extracts: ask the API only what changed or was never asked.

The numbers to follow are "ours" (those the registers know). Each number's state remembers the
answer kept (current extract, full extract of an entity struck off, not found, unreadable), when
it was asked and `known_through`: the last day whose changes the kept answer is known to hold.
A sync reads the daily bulletins of changed numbers for the days after the oldest
`known_through` up to yesterday (today's bulletin is not complete yet), then asks for

- the numbers never answered (new in the registers, or whose last answer was unreadable), and
- the numbers of ours listed in a bulletin of a day after their own `known_through`.

Every state row and every kept body is written as soon as its answer arrives, so a sync that
stops half-way (the API down, the process killed) resumes where it stopped: a number answered
has a newer `known_through` and is not asked again; a bulletin already read is taken from
landing. When the sync ends, the numbers found in no bulletin are known through the last
bulletin day read. A number whose request failed keeps its previous state and is asked again
by the next sync, because its bulletin day is read again.

Bodies are kept in landing named by what they are and their sha256
(`odpis_aktualny_<KRS>_<sha256>.json`, `biuletyn_<day>_<sha256>.json`); `krs.response` records
every answer with its request time, status and landed copy. Landed paths are recorded relative
to the landing folder, as every landing source records them, so a landing folder copied or
moved with its warehouse still finds its bodies; an absolute path (written by earlier
versions) is read as it is.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import orjson
import pandas as pd

from sources.krs_api import (
    Answer,
    ApiRefused,
    ApiUnavailable,
    EntityAnswer,
    KrsApiClient,
    fetch_entity,
    register_now,
)
from sources.krs_extracts import UNEXPECTED_SHAPE, ExtractProblem, parse_extract

STATE_DDL = """
create schema if not exists krs;
-- One row per KRS number ever asked: the answer kept and how far it is known to be current.
create table if not exists krs.extract_state (
    krs varchar not null,          -- one row per number (replaced, not updated in place)
    register varchar,              -- P or S: where the number was found
    status varchar not null,       -- current, struck_off, not_found, unreadable
    original_name varchar,         -- odpis_aktualny_<KRS>.json or odpis_pelny_<KRS>.json
    content_sha256 varchar,
    landed_path varchar,
    requested_at timestamp not null,
    known_through date not null,   -- every change up to this day is in the kept answer
    problem varchar                -- why a complete answer is unusable
);
-- Every complete answer of the API, with its request time and landed copy (if it had a body).
create table if not exists krs.response (
    run_id varchar not null,
    endpoint varchar not null,     -- OdpisAktualny, OdpisPelny, Biuletyn
    target varchar not null,       -- the KRS number or the bulletin's day
    original_name varchar not null, -- the name the body has in an inbox and in staging
    url varchar not null,
    http_status integer not null,
    requested_at timestamp not null,
    attempts integer not null,
    content_sha256 varchar,
    landed_path varchar,
    size_bytes bigint
);
-- One row per bulletin day answered, each time it is asked: `read` (a list of numbers, maybe
-- empty), `empty` (an answer with no body) or `not_found` (404: the API has no bulletin for
-- the day). Reading goes on after an empty or missing day; a day with no answer stops it.
create table if not exists krs.bulletin_day (
    day date not null,
    status varchar not null,
    numbers integer not null,
    run_id varchar not null,
    read_at timestamp not null
);
-- Requests that got no answer after every retry.
create table if not exists krs.failure (
    run_id varchar not null,
    target varchar not null,
    failed_at timestamp not null,
    error varchar not null
);
-- One row per sync: what it asked and what came of it.
create table if not exists krs.sync_run (
    run_id varchar not null,
    started_at timestamp not null,
    finished_at timestamp,
    sync_day date not null,
    bulletins_from date,
    bulletins_through date,
    numbers_ours integer,
    numbers_never_fetched integer,
    numbers_changed integer,
    numbers_asked integer,
    numbers_fetched integer,
    numbers_removed integer,
    numbers_not_found integer,
    numbers_unreadable integer,
    numbers_failed integer,
    numbers_left integer,
    requests integer,
    retries integer
);
"""

CURRENT, STRUCK_OFF, NOT_FOUND, UNREADABLE = "current", "struck_off", "not_found", "unreadable"
#: How a body is named, by endpoint: `<name>_<target>.json` is what the staging and the
#: quarantine show (the names an analyst's downloads carry in the inbox, docs/inputs.md);
#: the landed copy adds its sha256.
BODY_NAMES = {"OdpisAktualny": "odpis_aktualny", "OdpisPelny": "odpis_pelny",
              "Biuletyn": "biuletyn"}
#: After this many numbers failing one after another the API is taken to be down: the sync
#: stops and leaves the rest to the next run instead of retrying each of them in vain.
FAILURES_IN_A_ROW_TO_STOP = 10


def bulletin_numbers(body: bytes) -> set[str]:
    """The distinct KRS numbers of a bulletin, padded to 10 digits; ValueError if not one."""
    numbers = orjson.loads(body) if body else []
    if not isinstance(numbers, list):
        raise ValueError("a bulletin is a JSON array of KRS numbers")
    padded = {str(n).strip().zfill(10) for n in numbers}
    wrong = [n for n in padded if not (n.isascii() and n.isdigit() and len(n) == 10)]
    if wrong:
        raise ValueError(f"{len(wrong)} entries of the bulletin are not KRS numbers")
    return padded


def keep_body(folder: Path, stem: str, body: bytes) -> tuple[Path, str]:
    """Write a body as `<stem>_<sha256>.json` (once: the same bytes keep their one file)."""
    sha = hashlib.sha256(body).hexdigest()
    path = folder / f"{stem}_{sha}.json"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, suffix=".part", delete=False) as tmp:
            tmp.write(body)
        os.replace(tmp.name, path)
    return path, sha


@dataclass(frozen=True)
class NumberState:
    krs: str
    register: str | None
    status: str
    known_through: date
    problem: str | None = None

    @property
    def settled(self) -> bool:
        """Whether the kept answer needs asking again only when a bulletin lists the number:
        not when its body was unusable (a struck-off entity's full extract too: its date)."""
        return self.status != UNREADABLE and self.problem is None


@dataclass
class SyncReport:
    """What one sync did, number by number; `counts()` for the metadata."""

    run_id: str
    sync_day: date
    ours: int = 0
    never_fetched: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    asked: list[str] = field(default_factory=list)
    fetched: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    not_found: list[str] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    left: list[str] = field(default_factory=list)
    bulletins_from: date | None = None
    bulletins_through: date | None = None
    bulletin_failure: str | None = None
    #: Bulletin days answered without a list of numbers (404 or no body), and how.
    bulletin_days_without_list: dict[str, str] = field(default_factory=dict)
    requests: int = 0
    retries: int = 0

    def add(self, krs: str, status: str) -> None:
        """Count a number answered with its new status."""
        {CURRENT: self.fetched, STRUCK_OFF: self.fetched, NOT_FOUND: self.not_found,
         UNREADABLE: self.unreadable}[status].append(krs)
        if status == STRUCK_OFF:
            self.removed.append(krs)

    def counts(self) -> dict[str, int]:
        return {
            "numbers_ours": self.ours,
            "numbers_never_fetched": len(self.never_fetched),
            "numbers_changed": len(self.changed),
            "numbers_asked": len(self.asked),
            "numbers_fetched": len(self.fetched),
            "numbers_removed": len(self.removed),
            "numbers_not_found": len(self.not_found),
            "numbers_unreadable": len(self.unreadable),
            "numbers_failed": len(self.failed),
            "numbers_left": len(self.left),
            "requests": self.requests,
            "retries": self.retries,
        }


class SyncStore:
    """The sync's memory in the warehouse (schema `krs`) and its bodies in landing.

    Bodies are written in `folder`. With `landing_dir` (the landing folder `folder` lies in)
    their paths are recorded relative to it and read back against it, so the warehouse and
    its landing can move together; without it they are recorded as written, `folder / name`.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, folder: Path, run_id: str,
                 landing_dir: Path | None = None) -> None:
        self.con = con
        self.folder = folder
        self.landing_dir = landing_dir
        self.run_id = run_id
        con.execute(STATE_DDL)

    def _recorded_path(self, path: Path) -> str:
        """How the path of a body just kept is recorded in the warehouse."""
        if self.landing_dir is None:
            return str(path)
        return path.relative_to(self.landing_dir).as_posix()

    def _landed_file(self, recorded: str) -> Path:
        """The file a recorded path names: relative ones lie in the landing folder; absolute
        ones (earlier versions recorded them so) are taken as they are."""
        return (self.landing_dir or Path()) / recorded

    def states(self) -> dict[str, NumberState]:
        rows = self.con.execute(
            "select krs, register, status, known_through, problem "
            "from krs.extract_state").fetchall()
        return {r[0]: NumberState(*r) for r in rows}

    def _record_answer(self, target: str, answer: Answer,
                       landed: tuple[Path, str] | None) -> None:
        path, sha = landed if landed else (None, None)
        self.con.execute(
            "insert into krs.response (run_id, endpoint, target, original_name, url, "
            "http_status, requested_at, attempts, content_sha256, landed_path, size_bytes) "
            "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [self.run_id, answer.endpoint, target, f"{BODY_NAMES[answer.endpoint]}_{target}.json",
             answer.url, answer.status, answer.requested_at, answer.attempts, sha,
             self._recorded_path(path) if path else None, len(answer.body) if path else None])

    def kept_bulletin(self, day: date) -> bytes | None:
        """The body of a bulletin already read (an answered day does not change)."""
        rows = self.con.execute(
            "select http_status, landed_path from krs.response where endpoint = 'Biuletyn' "
            "and target = ? and http_status in (200, 204) order by requested_at desc limit 1",
            [day.isoformat()]).fetchall()
        if not rows:
            return None
        status, recorded = rows[0]
        if status == 204 or recorded is None:  # answered with no body
            return b""
        path = self._landed_file(recorded)
        return path.read_bytes() if path.exists() else None

    def keep_bulletin(self, day: date, answer: Answer) -> None:
        landed = (keep_body(self.folder, f"biuletyn_{day.isoformat()}", answer.body)
                  if answer.status == 200 and answer.body else None)
        self._record_answer(day.isoformat(), answer, landed)

    def record_bulletin_day(self, day: date, status: str, numbers: int) -> None:
        self.con.execute("insert into krs.bulletin_day values (?, ?, ?, ?, ?)",
                         [day, status, numbers, self.run_id, register_now()])

    def keep_entity(self, entity: EntityAnswer, known_through: date) -> str:
        """Record every answer about one number, land its extract and write its new state.

        Returns the new status: the API's outcome, or `unreadable` when the extract's body is
        complete but not an extract of that number (landed all the same, for the record and
        the quarantine). A 204 is evidence on its own: a struck-off entity whose full extract
        is unusable is `struck_off` all the same (with the problem), and asked again.
        """
        kept, landed, problem, name = entity.kept, None, None, None
        if kept is not None:
            landed = keep_body(self.folder, f"{BODY_NAMES[kept.endpoint]}_{entity.krs}",
                               kept.body)
            problem = extract_problem(kept.body, entity.krs)
            name = f"{BODY_NAMES[kept.endpoint]}_{entity.krs}.json"
        status = UNREADABLE if problem and entity.outcome != STRUCK_OFF else entity.outcome
        last = kept or entity.answers[-1]
        self.con.execute("begin transaction")  # the answers and the state, or neither
        try:
            for answer in entity.answers:
                self._record_answer(entity.krs, answer, landed if answer is kept else None)
            self.con.execute("delete from krs.extract_state where krs = ?", [entity.krs])
            self.con.execute(
                "insert into krs.extract_state (krs, register, status, "
                "original_name, content_sha256, landed_path, requested_at, known_through, "
                "problem) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [entity.krs, entity.register, status, name, landed[1] if landed else None,
                 self._recorded_path(landed[0]) if landed else None, last.requested_at,
                 known_through, problem])
        except BaseException:
            self.con.execute("rollback")
            raise
        self.con.execute("commit")
        return status

    def record_failure(self, target: str, error: Exception) -> None:
        self.con.execute("insert into krs.failure values (?, ?, ?, ?)",
                         [self.run_id, target, register_now(), str(error)])

    def advance(self, numbers: list[str], day: date) -> None:
        """These numbers were in no bulletin up to `day`: their answers hold through it."""
        if not numbers:
            return
        self.con.register("advanced_numbers", pd.DataFrame({"krs": numbers}))
        try:
            self.con.execute(
                "update krs.extract_state set known_through = ? where known_through < ? "
                "and krs in (select krs from advanced_numbers)", [day, day])
        finally:
            self.con.unregister("advanced_numbers")

    def record_run(self, report: SyncReport, started_at: datetime) -> None:
        row = {"run_id": report.run_id, "started_at": started_at, "finished_at": register_now(),
               "sync_day": report.sync_day, "bulletins_from": report.bulletins_from,
               "bulletins_through": report.bulletins_through, **report.counts()}
        self.con.execute(f"insert into krs.sync_run ({', '.join(row)}) "
                         f"values ({', '.join('?' * len(row))})", list(row.values()))


def extract_problem(body: bytes, krs: str) -> str | None:
    """Why a complete 200 body is not the extract of `krs` (reason code), or None."""
    try:
        extract = parse_extract(body)
    except ExtractProblem as problem:
        return problem.reason_code
    return None if extract.entity["krs"] == krs else UNEXPECTED_SHAPE


BULLETIN_READ, BULLETIN_EMPTY, BULLETIN_NOT_FOUND = "read", "empty", "not_found"


def _bulletin(client: KrsApiClient, store: SyncStore, day: date) -> tuple[set[str], str]:
    """A day's changed numbers and how the day was answered (BULLETIN_...): from the bulletin
    kept in landing, else asked (and kept). A day the API has no bulletin for (404) or answers
    with no body lists no numbers; it does not stop the reading of the days after it."""
    kept = store.kept_bulletin(day)
    if kept is not None:
        try:
            return bulletin_numbers(kept), BULLETIN_READ if kept else BULLETIN_EMPTY
        except ValueError:
            pass  # a kept body that is no bulletin: ask again
    answer = client.bulletin(day)
    store.keep_bulletin(day, answer)
    if answer.status == 404:
        return set(), BULLETIN_NOT_FOUND
    body = answer.body if answer.status == 200 else b""
    return bulletin_numbers(body), BULLETIN_READ if body.strip() else BULLETIN_EMPTY


def read_bulletins(client: KrsApiClient, store: SyncStore, states: Mapping[str, NumberState],
                   today: date, report: SyncReport) -> set[str]:
    """Our numbers listed in a bulletin after their `known_through`, reading days in order.

    A day with no answer (or an answer that is no bulletin) ends the reading: later days
    would leave a gap, so the sync only counts on the days before it. A day answered 404 or
    with no body is a day without a list: reading goes on, and krs.bulletin_day says how each
    day was answered.
    """
    if not states:
        return set()
    first = min(s.known_through for s in states.values()) + timedelta(days=1)
    changed: set[str] = set()
    day = first
    while day < today:
        try:
            numbers, how = _bulletin(client, store, day)
        except (ApiUnavailable, ApiRefused, ValueError) as error:
            store.record_failure(day.isoformat(), error)
            report.bulletin_failure = f"{day}: {error}"
            break
        store.record_bulletin_day(day, how, len(numbers))
        if how != BULLETIN_READ:
            report.bulletin_days_without_list[day.isoformat()] = how
        changed |= {n for n in numbers if n in states and states[n].known_through < day}
        report.bulletins_from = report.bulletins_from or day
        report.bulletins_through = day
        day += timedelta(days=1)
    return changed


def sync_extracts(client: KrsApiClient, store: SyncStore, numbers: Mapping[str, str | None],
                  today: date,
                  progress: Callable[[int, int, SyncReport], None] | None = None,
                  failures_to_stop: int = FAILURES_IN_A_ROW_TO_STOP) -> SyncReport:
    """Bring the kept answers of `numbers` up to date; `numbers` maps each to its register
    if known beforehand (`P`/`S`, else None: P is asked first, then S).

    `today` is the sync's day in Warsaw: an answer got today is known through yesterday (a
    change later today is in today's bulletin, read by the next sync). `progress(done, total,
    report)` is called after each number, for the log of a long sync.
    """
    started_at = register_now()
    report = SyncReport(run_id=store.run_id, sync_day=today, ours=len(numbers))
    states = {n: s for n, s in store.states().items() if n in numbers}
    answered = {n: s for n, s in states.items() if s.settled}
    changed = read_bulletins(client, store, answered, today, report)
    report.never_fetched = sorted(n for n in numbers if n not in answered)
    report.changed = sorted(changed)
    to_fetch = report.never_fetched + report.changed
    failures_in_a_row = 0
    for done, krs in enumerate(to_fetch, start=1):
        known = states.get(krs)
        first_register = (known.register if known and known.register else numbers[krs]) or "P"
        report.asked.append(krs)
        try:
            entity = fetch_entity(client, krs, first_register)
        except (ApiUnavailable, ApiRefused) as error:
            store.record_failure(krs, error)
            report.failed.append(krs)
            failures_in_a_row += 1
            if failures_in_a_row >= failures_to_stop:
                report.left = to_fetch[done:]
                break
        else:
            failures_in_a_row = 0
            report.add(krs, store.keep_entity(entity, known_through=today - timedelta(days=1)))
        if progress:
            progress(done, len(to_fetch), report)
    if report.bulletins_through:
        settled = set(report.asked) | set(report.left)
        store.advance([n for n in answered if n not in settled], report.bulletins_through)
    report.requests, report.retries = client.counts.requests, client.counts.retries
    store.record_run(report, started_at)
    return report
