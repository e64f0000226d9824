"""Landing of KRS extracts, from one of two places: a folder, or the public KRS API.

By default the extracts are the JSON files of the inbox's `krs/` folder (the bundled sample, or
files an analyst downloaded), landed as every inbox file is. When the `krs_api` resource has a
base URL, the asset instead syncs with the API the KRS numbers the registers know (the staging
tables of the PES catalogue and of the social-enterprise register), asking only for what changed
since the last sync (sources/krs_sync.py). Both ways end the same: `landing.current_input`
lists one landed extract per entity under the name an inbox file would have
(`odpis_aktualny_<KRS>.json` / `odpis_pelny_<KRS>.json`), so the staging reads either alike.

Landed paths are recorded relative to the landing folder, as for every inbox source, so a
var/ folder copied to another machine keeps its KRS bodies. Warehouses of earlier versions
hold absolute paths: each run rewrites those under the current landing folder to relative
ones, before anything compares paths (a copy is then reused, not landed again).

The asset depends on the registers' staging tables in both modes, because Dagster's graph is
fixed when the definitions load; in folder mode the dependency only orders the steps.
"""

import os
import shutil
import time
from collections.abc import Callable
from dataclasses import fields
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd
from dagster import (
    AssetExecutionContext,
    AssetKey,
    ConfigurableResource,
    MaterializeResult,
    MetadataValue,
    asset,
)
from dagster_duckdb import DuckDBResource

from assets.landing import InboxSource, data_date, files_to_land, land_file, sha256_of
from assets.settings import MonitorSettings
from assets.warehouse import append_rows, ensure_audit_tables, table_exists
from sources.krs_api import ApiSettings, KrsApiClient, register_now
from sources.krs_sync import FAILURES_IN_A_ROW_TO_STOP, SyncReport, SyncStore, sync_extracts

SOURCE = "krs"
#: The tables that record where a KRS body was landed.
LANDED_PATH_TABLES = ("landing.file_registry", "krs.response", "krs.extract_state")
FOLDER = InboxSource(SOURCE, "*.json", False, "KRS extracts, current and full (JSON).")
#: The register an entity type is kept in: asked first, so most numbers take one request.
REGISTER_OF_TYPE = {"association": "S", "foundation": "S", "social_cooperative": "P"}
PROGRESS_EVERY_NUMBERS = 250
PROGRESS_EVERY_S = 30.0
LISTED_IN_METADATA = 50


class KrsApiResource(ConfigurableResource):
    """The KRS API client's settings as Dagster configuration (delays in seconds); defaults
    and meaning are those of sources.krs_api.ApiSettings, which stays free of Dagster. An empty
    `base_url` means: read the extracts from the inbox's `krs/` folder instead of the API."""

    base_url: str = ""
    requests_per_second: float = ApiSettings.requests_per_second
    connect_timeout_s: float = ApiSettings.connect_timeout_s
    read_timeout_s: float = ApiSettings.read_timeout_s
    max_attempts: int = ApiSettings.max_attempts
    backoff_s: float = ApiSettings.backoff_s
    backoff_max_s: float = ApiSettings.backoff_max_s
    retry_after_max_s: float = ApiSettings.retry_after_max_s
    user_agent: str = ApiSettings.user_agent

    def client(self) -> KrsApiClient:
        return KrsApiClient(ApiSettings(**{f.name: getattr(self, f.name)
                                           for f in fields(ApiSettings)}))


def replace_current_inputs(con: duckdb.DuckDBPyConnection, current: pd.DataFrame) -> None:
    con.execute("delete from landing.current_input where source = ?", [SOURCE])
    append_rows(con, "landing.current_input", current)


def landed_paths_made_relative(con: duckdb.DuckDBPyConnection, landing_dir: Path) -> int:
    """Rewrite the absolute landed paths under `landing_dir` as relative ones; returns how many.

    Earlier versions recorded KRS bodies by absolute path (as written: `<landing_dir>/krs/...`),
    which point nowhere once the var/ folder moves. A path outside the landing folder is left
    as it is: reading still accepts it.
    """
    prefix = f"{landing_dir}{os.sep}"
    rewritten = 0
    for table in LANDED_PATH_TABLES:
        if table_exists(con, table):
            rewritten += con.execute(
                f"update {table} set landed_path = replace(substr(landed_path, ?), ?, '/') "
                "where starts_with(landed_path, ?)",
                [len(prefix) + 1, os.sep, prefix]).fetchall()[0][0]
    return rewritten


def land_folder(context: AssetExecutionContext, settings: MonitorSettings,
                con: duckdb.DuckDBPyConnection) -> dict:
    """Every JSON file of the inbox's krs/ folder, landed by its sha256 (a copy already landed
    in this landing folder is reused)."""
    landing_dir = Path(settings.landing_dir)
    folder, target_dir = settings.inbox(SOURCE), landing_dir / SOURCE
    paths = files_to_land(folder, FOLDER)
    rows = con.execute("select original_sha256, landed_path from landing.file_registry "
                       "where source = ?", [SOURCE]).fetchall()
    # a path still absolute lies outside this landing folder: the file is landed here anew
    known = {sha: landed for sha, landed in rows if not Path(landed).is_absolute()}
    current, registered = [], []
    for path in paths:
        original_sha = sha256_of(path)
        seen = known.get(original_sha)
        if seen and (landing_dir / seen).exists():
            landed = landing_dir / seen
        else:
            landed = land_file(path, target_dir, shutil.copyfile)
            registered.append({
                "source": SOURCE, "original_name": path.name, "original_sha256": original_sha,
                "landed_sha256": landed.stem,
                "landed_path": landed.relative_to(landing_dir).as_posix(),
                "size_bytes": landed.stat().st_size, "pseudonymised": False,
                "landed_at": datetime.now(), "run_id": context.run.run_id,
            })
        current.append({"source": SOURCE, "original_name": path.name,
                        "original_sha256": original_sha, "landed_sha256": landed.stem,
                        "landed_path": landed.relative_to(landing_dir).as_posix(),
                        "data_as_of": data_date(path.name)})
    append_rows(con, "landing.file_registry", pd.DataFrame(registered))
    replace_current_inputs(con, pd.DataFrame(current))
    if not paths:
        context.log.warning(f"No {FOLDER.pattern} files in {folder}")
    return {"mode": "folder", "files": len(paths), "newly_landed": len(registered),
            "inbox_folder": MetadataValue.path(str(folder)),
            "landing_folder": MetadataValue.path(str(target_dir))}


def numbers_from_registers(con: duckdb.DuckDBPyConnection) -> dict[str, str | None]:
    """The KRS numbers the registers' staging tables hold, with the register their entity type
    implies (None when no row tells: a founder, or a number only the PS register has)."""
    parts = []
    if table_exists(con, "staging.pes_catalogue"):
        parts += ["select krs, entity_type from staging.pes_catalogue",
                  "select founder_krs, null from staging.pes_catalogue"]
    if table_exists(con, "staging.social_enterprise"):
        parts.append("select krs, null from staging.social_enterprise")
    if not parts:
        return {}
    rows = con.execute(" union all ".join(parts)).fetchall()
    numbers: dict[str, str | None] = {}
    for krs, entity_type in rows:
        if krs is not None:
            numbers[krs] = numbers.get(krs) or REGISTER_OF_TYPE.get(entity_type)
    return dict(sorted(numbers.items()))


def progress_logger(context: AssetExecutionContext) -> Callable[[int, int, SyncReport], None]:
    """A progress callback that logs every few hundred numbers or half a minute."""
    started = last = time.monotonic()

    def log(done: int, total: int, report: SyncReport) -> None:
        nonlocal last
        now = time.monotonic()
        if done < total and done % PROGRESS_EVERY_NUMBERS and now - last < PROGRESS_EVERY_S:
            return
        last = now
        left_s = (now - started) / done * (total - done)
        context.log.info(
            f"KRS sync: {done} of {total} numbers ({done / total:.0%}); fetched "
            f"{len(report.fetched)}, removed {len(report.removed)}, not found "
            f"{len(report.not_found)}, unreadable {len(report.unreadable)}, failed "
            f"{len(report.failed)}; about {left_s / 60:.0f} min left")

    return log


def register_landed_bodies(con: duckdb.DuckDBPyConnection, run_id: str) -> int:
    """Bodies the sync landed go to the landing registry (those of an interrupted sync too)."""
    return con.execute(
        "insert into landing.file_registry (source, original_name, original_sha256, "
        "landed_sha256, landed_path, size_bytes, pseudonymised, landed_at, run_id) "
        "select ?, any_value(original_name), any_value(content_sha256), "
        "any_value(content_sha256), landed_path, any_value(size_bytes), false, "
        "min(requested_at), ? from krs.response where landed_path is not null "
        "and landed_path not in (select landed_path from landing.file_registry "
        "where source = ?) group by landed_path", [SOURCE, run_id, SOURCE]).fetchall()[0][0]


def land_from_api(context: AssetExecutionContext, settings: MonitorSettings,
                  con: duckdb.DuckDBPyConnection, api: KrsApiResource) -> dict:
    """Sync the registers' KRS numbers with the API; the current input is the kept extract
    of each (a number whose request failed keeps the extract of an earlier sync)."""
    numbers = numbers_from_registers(con)
    if not numbers:
        context.log.warning("No KRS numbers in the registers' staging tables: nothing to ask")
    landing_dir = Path(settings.landing_dir)
    store = SyncStore(con, landing_dir / SOURCE / "api", context.run.run_id, landing_dir)
    client = api.client()
    try:
        report = sync_extracts(client, store, numbers, register_now().date(),
                               progress_logger(context))
    finally:
        client.close()
        newly_landed = register_landed_bodies(con, context.run.run_id)
    con.register("our_numbers", pd.DataFrame({"krs": list(numbers)}, dtype="string"))
    try:
        current = con.execute(
            "select ? as source, original_name, content_sha256 as original_sha256, "
            "content_sha256 as landed_sha256, landed_path, "
            "cast(requested_at as date) as data_as_of from krs.extract_state "
            "where landed_path is not null and krs in (select krs from our_numbers) "
            "order by original_name", [SOURCE]).df()
    finally:
        con.unregister("our_numbers")
    replace_current_inputs(con, current)
    if report.failed:
        context.log.warning(f"KRS sync: no answer for {len(report.failed)} numbers (asked again "
                            f"next time): {report.failed[:LISTED_IN_METADATA]}")
    if report.left:
        context.log.error(f"KRS sync stopped: the API did not answer {FAILURES_IN_A_ROW_TO_STOP} "
                          f"numbers in a row; {len(report.left)} left for the next sync")
    if report.bulletin_failure:
        context.log.warning(f"KRS sync: bulletins read only up to the day before "
                            f"{report.bulletin_failure}")
    listed = {name: MetadataValue.json(getattr(report, name)[:LISTED_IN_METADATA])
              for name in ("failed", "removed", "not_found", "unreadable")}
    return {"mode": "api", "base_url": api.base_url, **report.counts(),
            "bulletins_from": str(report.bulletins_from or ""),
            "bulletins_through": str(report.bulletins_through or ""),
            "extracts_current": len(current), "newly_landed": newly_landed,
            "bulletin_days_without_list": MetadataValue.json(report.bulletin_days_without_list),
            **{f"{name}_numbers": value for name, value in listed.items()}}


@asset(
    key=["landing", SOURCE],
    deps=[AssetKey(["staging", "pes_catalogue"]), AssetKey(["staging", "social_enterprise"])],
    group_name="landing",
    description="KRS extracts: the inbox's krs/ folder, or a monthly incremental sync with the "
                "KRS API of the numbers the registers know (when the API's base URL is set).",
    kinds={"duckdb", "file"},
)
def krs_landing(context: AssetExecutionContext, settings: MonitorSettings,
                warehouse: DuckDBResource, krs_api: KrsApiResource) -> MaterializeResult:
    with warehouse.get_connection() as con:
        ensure_audit_tables(con)
        rewritten = landed_paths_made_relative(con, Path(settings.landing_dir))
        if rewritten:
            context.log.info(f"KRS landing: {rewritten} landed paths of an earlier version "
                             "rewritten relative to the landing folder")
        if krs_api.base_url:
            metadata = land_from_api(context, settings, con, krs_api)
        else:
            metadata = land_folder(context, settings, con)
    return MaterializeResult(metadata=metadata)
