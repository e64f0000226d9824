"""Core: one row per real entity across the registers and KRS."""


from pathlib import Path

from dagster import (
    AssetCheckResult,
    AssetKey,
    MaterializeResult,
    MetadataValue,
    asset,
    asset_check,
)
from dagster_duckdb import DuckDBResource

from assets.settings import MonitorSettings
from assets.warehouse import preview, row_count
from quality.suites import pes_entity_suite, validate_frame

SQL = Path(__file__).parent / "sql" / "core" / "pes_entity.sql"


@asset(
    key=["core", "pes_entity"],
    deps=[AssetKey(["staging", "pes_catalogue"]), AssetKey(["staging", "krs_entity"])],
    group_name="core",
    kinds={"duckdb"},
    description="One row per real PES: catalogue rows matched on KRS/NIP/REGON/name, KRS dates.",
    metadata={"sql": MetadataValue.path(str(SQL))},
)
def pes_entity(warehouse: DuckDBResource) -> MaterializeResult:
    with warehouse.get_connection() as con:
        con.execute("create schema if not exists core")
        con.execute(f"create or replace table core.pes_entity as {SQL.read_text(encoding='utf-8')}")
        by_type = dict(con.execute(
            "select entity_type, count(*) from core.pes_entity group by 1 order by 1").fetchall())
        catalogue_rows = row_count(con, "staging.pes_catalogue")
        return MaterializeResult(metadata={
            "rows": row_count(con, "core.pes_entity"),
            "catalogue_rows": catalogue_rows,
            "entities_by_type": MetadataValue.json(by_type),
            "preview": preview(con, "core.pes_entity"),
        })


@asset_check(asset=pes_entity, name="entity_suite", blocking=True,
             description="Great Expectations suite: unique ids, known types, region's powiats.")
def pes_entity_check(settings: MonitorSettings, warehouse: DuckDBResource) -> AssetCheckResult:
    with warehouse.get_connection() as con:
        frame = con.execute("select * from core.pes_entity").df()
        powiats = [code for (code,) in con.execute(
            "select powiat_code from core.teryt_unit where kind in ('powiat', 'city_powiat')"
        ).fetchall()]
        types = [code for (code,) in con.execute("select entity_type from core.entity_type")
                 .fetchall()]
    outcome = validate_frame(frame, pes_entity_suite(types, powiats))
    return AssetCheckResult(passed=outcome.success, metadata=outcome.metadata())


core_assets = [pes_entity]
core_checks = [pes_entity_check]
