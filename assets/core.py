"""Core: one row per real entity across the registers and KRS, with its checks."""

from pathlib import Path

import duckdb
from dagster import AssetKey, MaterializeResult, MetadataValue, asset
from dagster_duckdb import DuckDBResource

from assets.checks import Check, Finding, build_checks, suite_evaluation
from assets.settings import MonitorSettings
from assets.warehouse import preview, row_count
from quality.suites import pes_entity_suite, target_suite, teryt_unit_suite

SQL = Path(__file__).parent / "sql" / "core" / "pes_entity.sql"
PES_ENTITY = AssetKey(["core", "pes_entity"])


@asset(
    key=PES_ENTITY,
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


def powiat_agrees_with_krs(con: duckdb.DuckDBPyConnection, settings: MonitorSettings) -> Finding:
    """The catalogue's powiat against the KRS seat: a move, or a typo in the catalogue."""
    differ = con.execute("""
        select entity_id, krs, catalogue_powiat_code, powiat_code as krs_powiat_code
        from core.pes_entity
        where has_krs_extract and catalogue_powiat_code is distinct from powiat_code
        order by entity_id
    """).df()
    return Finding(
        passed=differ.empty,
        summary_pl=f"Podmiotów z innym powiatem w katalogu niż w KRS: {len(differ)}.",
        advice_pl="" if differ.empty else "Sprawdź siedzibę w KRS i popraw powiat w katalogu PES; "
        "do czasu poprawki liczy się powiat siedziby z KRS.",
        details={"entities": len(differ), "examples": differ.head(10).to_dict("records")},
        warning_only=True,
    )


core_assets = [pes_entity]
core_checks = [build_checks(AssetKey(["core", "teryt_unit"]), [
    Check("teryt_suite", "Jednostki TERYT województwa: każdy kod raz, znany rodzaj",
          suite_evaluation("core.teryt_unit", teryt_unit_suite)),
]), build_checks(AssetKey(["core", "target"]), [
    Check("target_suite", "Cele wskaźników: okres ważności, źródło, wartość nieujemna",
          suite_evaluation("core.target", target_suite)),
]), build_checks(PES_ENTITY, [
    Check("entity_suite",
          "Spójność podmiotów: unikalne identyfikatory, znane typy, powiaty województwa",
          suite_evaluation("core.pes_entity", pes_entity_suite)),
    Check("powiat_agrees_with_krs", "Powiat w katalogu PES zgodny z powiatem siedziby w KRS",
          powiat_agrees_with_krs),
])]
