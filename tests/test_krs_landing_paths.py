"""KRS landed paths are relative to the landing folder, so a var/ folder can move or be copied.

Only the steps the KRS landing needs run (the two registers that give the numbers, the KRS
landing and staging.krs_entity), on the hand-made inbox (tests/fixture_inbox.py), from its
krs/ folder or from the stand-in API on 127.0.0.1 serving that folder's extracts.

Counted by hand from tests/fixtures/inbox/krs and the registers' accepted rows (the working of
tests/test_krs_refresh.py):
- folder mode lands the folder's 4 files (30897, 100001, 100003 current; 100002 full): 4 rows
  in landing.file_registry and landing.current_input, 4 rows of staging.krs_entity;
- API mode asks the registers' numbers 100001, 100002, 100003 and 100004; three answers have a
  body (100001 and 100003 current, 100002's full extract after a 204; 100004 is a 404 in both
  registers): 3 rows with a landed path in each of landing.file_registry, landing.current_input,
  krs.response and krs.extract_state, and 3 rows of staging.krs_entity. No bulletin is read on
  the day of a first sync (nothing is known through an earlier day).
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from dagster import AssetKey, materialize

from assets.krs_landing import krs_landing
from assets.landing import landing_assets
from assets.staging import staging_assets
from assets.staging.krs import landed_extract_rows
from pipelines.resources import resources_from_env
from sources.krs_api import ApiSettings, KrsApiClient
from sources.krs_sync import SyncStore, sync_extracts
from tests.conftest import Refresh, copy_of_refresh, fixture_env
from tests.fixture_inbox import write_fixture_inbox
from tests.krs_api_server import Fault, KrsApiServer, KrsApiStandIn

KRS_INBOX = Path(__file__).parent / "fixtures" / "inbox" / "krs"
STEPS = [step for step in [*landing_assets, krs_landing, *staging_assets]
         if step.key in {AssetKey(["landing", "pes_catalogue"]),
                         AssetKey(["landing", "social_enterprises"]),
                         AssetKey(["staging", "pes_catalogue"]),
                         AssetKey(["staging", "social_enterprise"]),
                         AssetKey(["landing", "krs"]), AssetKey(["staging", "krs_entity"])}]
#: Where each table records a landed KRS body: (table, sha256 column, rows that have one).
LANDED_PATHS = [
    ("landing.file_registry", "landed_sha256", "source = 'krs'"),
    ("landing.current_input", "landed_sha256", "source = 'krs'"),
    ("krs.response", "content_sha256", "landed_path is not null"),
    ("krs.extract_state", "content_sha256", "landed_path is not null"),
]


def land_and_stage(root: Path, inbox: Path, server: KrsApiServer | None) -> Refresh:
    """The KRS steps with var/ in `root`: from the stand-in API if given, else the folder."""
    env = fixture_env(root, inbox)
    if server is not None:
        env |= {"PES_KRS_BASE_URL": server.base_url, "PES_KRS_REQUESTS_PER_SECOND": "1000"}
    result = materialize(STEPS, resources=resources_from_env(env), raise_on_error=False)
    return Refresh(root=root, inbox=inbox, env=env, result=result)


def landed_paths(run: Refresh) -> dict[str, list[tuple[str, str]]]:
    """(path, sha256) of every landed KRS body each table of the warehouse records."""
    with duckdb.connect(str(run.warehouse), read_only=True) as con:
        tables = {f"{s}.{t}" for s, t in con.execute(
            "select table_schema, table_name from information_schema.tables").fetchall()}
        return {table: con.execute(f"select landed_path, {sha} from {table} where {where} "
                                   "order by 1").fetchall()
                for table, sha, where in LANDED_PATHS if table in tables}


def assert_relative_and_in_landing(run: Refresh, counts: dict[str, int]) -> None:
    landing = run.landing.resolve()
    paths = landed_paths(run)
    assert {table: len(rows) for table, rows in paths.items()} == counts
    for table, rows in paths.items():
        for path, sha in rows:
            assert not Path(path).is_absolute(), (table, path)
            landed = (landing / path).resolve()
            assert landed.is_relative_to(landing) and landed.is_file(), (table, path)
            assert hashlib.sha256(landed.read_bytes()).hexdigest() == sha, (table, path)


def krs_entities(run: Refresh) -> pd.DataFrame:
    """staging.krs_entity, after checking this run staged it afresh (a staging that cannot
    read its files keeps the previous table, marked stale)."""
    assert run.result.success
    stale = run.query("select count(*) as n from audit.source_file "
                      "where source = 'krs_entity' and is_stale")
    assert stale["n"].item() == 0
    return run.query("select * from staging.krs_entity order by krs")


def make_paths_absolute(run: Refresh) -> None:
    """What earlier versions wrote: every KRS landed path as `<landing folder>/<path>`."""
    tables = landed_paths(run)
    with duckdb.connect(str(run.warehouse)) as con:
        for table, _, where in (t for t in LANDED_PATHS if t[0] in tables):
            con.execute(f"update {table} set landed_path = ? || '/' || landed_path "
                        f"where {where}", [str(run.landing)])


@pytest.fixture(scope="module")
def stand_in() -> Iterator[KrsApiServer]:
    api = KrsApiStandIn()
    api.add_folder(KRS_INBOX)
    with KrsApiServer(api) as server:
        yield server


@pytest.fixture(scope="module")
def from_folder(tmp_path_factory: pytest.TempPathFactory) -> Refresh:
    root = tmp_path_factory.mktemp("krs_folder")
    return land_and_stage(root, write_fixture_inbox(root / "inbox"), None)


@pytest.fixture(scope="module")
def from_api(tmp_path_factory: pytest.TempPathFactory, stand_in: KrsApiServer) -> Refresh:
    root = tmp_path_factory.mktemp("krs_api")
    return land_and_stage(root, write_fixture_inbox(root / "inbox"), stand_in)


def test_folder_mode_records_relative_paths_of_files_in_landing(from_folder: Refresh) -> None:
    assert len(krs_entities(from_folder)) == 4
    assert_relative_and_in_landing(from_folder, {"landing.file_registry": 4,
                                                 "landing.current_input": 4})


def test_api_mode_records_relative_paths_of_files_in_landing(from_api: Refresh) -> None:
    assert len(krs_entities(from_api)) == 3
    assert_relative_and_in_landing(from_api, {table: 3 for table, _, _ in LANDED_PATHS})


def test_a_moved_var_folder_refreshes_the_same_without_fetching(
        tmp_path: Path, stand_in: KrsApiServer) -> None:
    """var/ is moved (the old place is gone), PES_VAR points to the new one: the staging reads
    the same bodies from there, and nothing is asked or landed again."""
    first = land_and_stage(tmp_path / "first", write_fixture_inbox(tmp_path / "inbox"), stand_in)
    entities, asked = krs_entities(first), len(stand_in.api.served())
    files = sorted(p.relative_to(first.landing) for p in first.landing.rglob("*") if p.is_file())
    (tmp_path / "moved").mkdir()
    shutil.move(first.root / "var", tmp_path / "moved" / "var")
    # a refresh runs in a process of its own: no extract parsed by the first one is at hand
    landed_extract_rows.cache_clear()

    moved = land_and_stage(tmp_path / "moved", first.inbox, stand_in)

    pd.testing.assert_frame_equal(krs_entities(moved), entities)
    assert len(stand_in.api.served()) == asked
    assert sorted(p.relative_to(moved.landing)
                  for p in moved.landing.rglob("*") if p.is_file()) == files
    assert_relative_and_in_landing(moved, {table: 3 for table, _, _ in LANDED_PATHS})


@pytest.mark.parametrize("mode", ["folder", "api"])
def test_absolute_paths_of_earlier_versions_still_work_and_become_relative(
        mode: str, from_folder: Refresh, from_api: Refresh, stand_in: KrsApiServer,
        tmp_path: Path) -> None:
    """A copy of a run whose warehouse holds absolute paths (as earlier versions wrote them)
    refreshes to the same staging, landing nothing again and asking nothing."""
    run, server = (from_folder, None) if mode == "folder" else (from_api, stand_in)
    entities, expected = krs_entities(run), {t: len(r) for t, r in landed_paths(run).items()}
    old = copy_of_refresh(run, tmp_path / "old")
    make_paths_absolute(old)
    assert all(Path(p).is_absolute() for rows in landed_paths(old).values() for p, _ in rows)
    asked = len(stand_in.api.served())

    again = land_and_stage(old.root, old.inbox, server)

    pd.testing.assert_frame_equal(krs_entities(again), entities)
    assert len(stand_in.api.served()) == asked
    assert_relative_and_in_landing(again, expected)  # the same rows: nothing landed twice


def test_kept_bulletins_are_read_from_a_moved_landing_folder(tmp_path: Path) -> None:
    """Synced on 1 October; on 1 November the bulletin of 20 October lists 100003, whose
    request fails every attempt, so it stays known through 30 September while 100001 moves on
    to 31 October. The landing folder then moves, and the sync of 1 November runs again: it
    reads the 31 October bulletins from the moved landing (none asked) and asks 100003 only."""
    api = KrsApiStandIn(bulletins={"2026-10-20": ["100003"]})
    api.add_folder(KRS_INBOX)
    numbers = {"0000100001": "S", "0000100003": "P"}
    before, after = tmp_path / "landing", tmp_path / "moved" / "landing"

    def sync(server: KrsApiServer, con: duckdb.DuckDBPyConnection, landing: Path, day: date,
             run_id: str):
        client = KrsApiClient(ApiSettings(base_url=server.base_url, max_attempts=4,
                                          backoff_s=0.001, backoff_max_s=0.004,
                                          requests_per_second=1000.0), sleep=lambda _: None)
        store = SyncStore(con, landing / "krs" / "api", run_id, landing)
        return sync_extracts(client, store, numbers, day)

    with (KrsApiServer(api) as server,
          duckdb.connect(str(tmp_path / "warehouse.duckdb")) as con):
        sync(server, con, before, date(2026, 10, 1), "october")
        api.fault("/api/krs/OdpisAktualny/0000100003?rejestr=P&format=json",
                  *[Fault("status", 500)] * 4)
        november = sync(server, con, before, date(2026, 11, 1), "november")
        asked = len(api.served())
        after.parent.mkdir()
        shutil.move(before, after)
        again = sync(server, con, after, date(2026, 11, 1), "november-again")
        recorded = con.execute("select landed_path from krs.response "
                               "where landed_path is not null").fetchall()

    assert (november.failed, again.asked) == (["0000100003"], ["0000100003"])
    assert [(s.endpoint, s.target) for s in api.served()[asked:]] == [
        ("OdpisAktualny", "0000100003")]
    # 31 bulletins, the two extracts of October and 100003's of the sync run again (the
    # failed requests left no body)
    assert len(recorded) == 31 + 2 + 1
    assert all((after / path).is_file() for (path,) in recorded)
