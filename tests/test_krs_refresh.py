"""A whole refresh of the hand-made inbox with the KRS source read from the folder, and again
from a stand-in KRS API on 127.0.0.1 serving the same extracts: the results are the same.

The stand-in answers as the real API would for the inbox's four extracts: 100001 (register S)
and 100003 (P) with their current extracts, 100002 with 204 (struck off) and its full extract
from OdpisPelny, WOŚP 30897 too (but nobody asks: it is in no register of ours). In API mode
the numbers asked are those of the accepted register rows (tests/fixture_inbox.py): 100001,
100002, 100003, 100004 (catalogue line 12) and 100005 (catalogue line 9, kept with its NIP set
aside); the last two have no extract: 404 in both registers.
So the API-mode staging holds the folder's KRS rows less WOŚP's; core.pes_entity, every
indicator and the quarantine are identical, and the per-file status differs by WOŚP's file.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
import yaml
from dagster import AssetKey, DagsterInstance, Definitions, materialize

from assets.krs_landing import KrsApiResource, krs_landing
from pipelines.definitions import build_definitions
from pipelines.resources import resources_from_env
from sources.krs_api import register_now
from tests.conftest import Refresh, fixture_env
from tests.fixture_inbox import write_fixture_inbox
from tests.krs_api_server import KrsApiServer, KrsApiStandIn

KRS_KEY = AssetKey(["landing", "krs"])
INDICATORS = yaml.safe_load((Path(__file__).resolve().parents[1] / "assets" / "sql" / "marts"
                             / "indicators.yml").read_text(encoding="utf-8"))
WOSP = "0000030897"


def definitions_with_krs_landing(env: dict[str, str], krs_api: KrsApiResource) -> Definitions:
    """The project's definitions with assets/krs_landing.py as the KRS landing."""
    defs = build_definitions(env)
    assets = [a for a in defs.assets if KRS_KEY not in getattr(a, "keys", ())]
    return Definitions(assets=[*assets, krs_landing], asset_checks=defs.asset_checks,
                       jobs=defs.jobs, schedules=defs.schedules, executor=defs.executor,
                       resources={**defs.resources, "krs_api": krs_api})


def refresh(root: Path, krs_api: KrsApiResource, instance: DagsterInstance) -> Refresh:
    inbox = write_fixture_inbox(root / "inbox")
    env = fixture_env(root, inbox)
    job = definitions_with_krs_landing(env, krs_api).resolve_job_def("monthly_refresh")
    result = job.execute_in_process(instance=instance, raise_on_error=False)
    return Refresh(root=root, inbox=inbox, env=env, result=result)


def landing_metadata(result) -> dict:
    [event] = [e for e in result.get_asset_materialization_events() if e.asset_key == KRS_KEY]
    return {k: v.value for k, v in event.materialization.metadata.items()}


@pytest.fixture(scope="module")
def from_folder(refreshed: Refresh) -> Refresh:
    """The suite's refresh of the inbox (tests/conftest.py): KRS extracts from the folder."""
    return refreshed


@pytest.fixture(scope="module")
def stand_in() -> Iterator[KrsApiServer]:
    api = KrsApiStandIn()
    api.add_folder(Path(__file__).parent / "fixtures" / "inbox" / "krs")
    with KrsApiServer(api) as server:
        yield server


@pytest.fixture(scope="module")
def instance() -> DagsterInstance:
    return DagsterInstance.ephemeral()


@pytest.fixture(scope="module")
def from_api(tmp_path_factory: pytest.TempPathFactory, stand_in: KrsApiServer,
             instance: DagsterInstance) -> Refresh:
    return refresh(tmp_path_factory.mktemp("krs_api"),
                   KrsApiResource(base_url=stand_in.base_url, requests_per_second=1000.0),
                   instance)


def table(run: Refresh, name: str, order: str) -> pd.DataFrame:
    return run.query(f"select * exclude (run_id) from {name} order by {order}"
                     if "run_id" in run.query(f"select * from {name} limit 0").columns
                     else f"select * from {name} order by {order}")


def test_both_refreshes_succeed(from_folder: Refresh, from_api: Refresh) -> None:
    assert from_folder.result.success and from_api.result.success
    assert landing_metadata(from_api.result)["mode"] == "api"


def test_folder_mode_lands_the_inbox_as_every_inbox_source(from_folder: Refresh,
                                                          tmp_path: Path) -> None:
    """The asset without a base URL lands the krs/ folder exactly as the suite's refresh did:
    the same files under the same sha256 names, read by the staging under the same names."""
    env = fixture_env(tmp_path, from_folder.inbox)
    result = materialize([krs_landing], resources={**resources_from_env(env),
                                                   "krs_api": KrsApiResource()})
    assert result.success and landing_metadata(result)["mode"] == "folder"
    columns = "original_name, original_sha256, landed_sha256, data_as_of"
    query = f"select {columns} from landing.current_input where source = 'krs' order by 1"
    landed = Refresh(root=tmp_path, inbox=from_folder.inbox, env=env, result=result)
    pd.testing.assert_frame_equal(landed.query(query), from_folder.query(query))
    assert len(landed.query(query)) == 4


def test_the_api_was_asked_for_the_registers_numbers(from_api: Refresh) -> None:
    metadata = landing_metadata(from_api.result)
    assert {k: metadata[k] for k in ("numbers_ours", "numbers_asked", "numbers_fetched",
                                     "numbers_removed", "numbers_not_found", "numbers_failed",
                                     "extracts_current")} == {
        "numbers_ours": 5, "numbers_asked": 5, "numbers_fetched": 2 + 1, "numbers_removed": 1,
        "numbers_not_found": 2, "numbers_failed": 0, "extracts_current": 3}
    assert sorted(metadata["not_found_numbers"]) == ["0000100004", "0000100005"]
    assert metadata["removed_numbers"] == ["0000100002"]
    landed = sorted(p.name.rsplit("_", 1)[0] for p in (from_api.landing / "krs" / "api").iterdir())
    assert landed == ["odpis_aktualny_0000100001", "odpis_aktualny_0000100003",
                      "odpis_pelny_0000100002"]


@pytest.mark.parametrize(("name", "order"), [
    ("core.pes_entity", "entity_id"),
    ("audit.quarantine", "source, file, line, field"),
])
def test_core_and_quarantine_are_the_same(from_folder: Refresh, from_api: Refresh, name: str,
                                          order: str) -> None:
    pd.testing.assert_frame_equal(table(from_api, name, order), table(from_folder, name, order))


@pytest.mark.parametrize("indicator", sorted(INDICATORS))
def test_every_indicator_is_the_same(from_folder: Refresh, from_api: Refresh,
                                     indicator: str) -> None:
    folder, api = (run.query(f"select * from marts.{indicator}") for run in (from_folder, from_api))
    assert not folder.empty  # there is something to compare
    columns = list(folder.columns)
    pd.testing.assert_frame_equal(api.sort_values(columns).reset_index(drop=True),
                                  folder.sort_values(columns).reset_index(drop=True))


def test_source_status_differs_by_the_number_not_ours_only(from_folder: Refresh,
                                                           from_api: Refresh) -> None:
    """From the API a KRS file's date is the day it was asked; an inbox file named without a
    date has none. When each file was received differs between the two runs by design."""
    folder, api = (run.query("select * exclude (loaded_at) from marts.source_status "
                             "order by source, file_name")
                   for run in (from_folder, from_api))
    folder = folder[~folder["file_name"].str.contains(WOSP, na=False)].reset_index(drop=True)
    from_krs = api["file_name"].str.startswith("odpis_", na=False)
    assert from_krs.sum() == 5  # 3 entity files, 2 with PKD codes
    assert (pd.to_datetime(api.loc[from_krs, "data_as_of"]).dt.date
            == register_now().date()).all()
    api.loc[from_krs, "data_as_of"] = pd.NaT
    pd.testing.assert_frame_equal(api, folder)


@pytest.mark.parametrize(("name", "order"), [("staging.krs_entity", "krs"),
                                             ("staging.krs_pkd", "krs, source_line")])
def test_krs_staging_is_the_folders_less_numbers_not_ours(
        from_folder: Refresh, from_api: Refresh, name: str, order: str) -> None:
    folder = table(from_folder, name, order)
    folder = folder[folder["krs"] != WOSP].reset_index(drop=True)
    pd.testing.assert_frame_equal(table(from_api, name, order), folder)
    assert len(folder) == (3 if name == "staging.krs_entity" else 3)  # 100001: 1 PKD, 100003: 2


def test_the_sync_logs_its_progress(from_api: Refresh, instance: DagsterInstance) -> None:
    messages = [entry.user_message for entry in instance.all_logs(from_api.result.run_id)]
    progress = [m for m in messages if m.startswith("KRS sync: ")]
    assert progress[-1].startswith("KRS sync: 5 of 5 numbers (100%); fetched 3, removed 1, "
                                   "not found 2, unreadable 0, failed 0")


def test_a_second_sync_the_same_day_asks_nothing(from_api: Refresh,
                                                 stand_in: KrsApiServer) -> None:
    """Only the landing is materialised again: every number is known through yesterday."""
    before = len(stand_in.api.served())
    inputs = from_api.query("select * from landing.current_input where source = 'krs' "
                            "order by original_name")
    result = materialize(
        [krs_landing], resources={**resources_from_env(from_api.env), "krs_api": KrsApiResource(
            base_url=stand_in.base_url, requests_per_second=1000.0)})
    assert result.success
    assert len(stand_in.api.served()) == before
    assert landing_metadata(result)["numbers_asked"] == 0
    after = from_api.query("select * from landing.current_input where source = 'krs' "
                           "order by original_name")
    pd.testing.assert_frame_equal(after, inputs)
