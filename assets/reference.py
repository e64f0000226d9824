"""Reference data every refresh reads: TERYT units, entity types, targets, refresh parameters.

Targets and entity types are data files with their sources (data/reference/SOURCES.md), so a
new target is a new row, never a literal in SQL.
"""


from datetime import date
from functools import cache
from pathlib import Path

import pandas as pd
from dagster import AssetExecutionContext, MaterializeResult, MetadataValue, asset
from dagster_duckdb import DuckDBResource

from assets.settings import MonitorSettings
from assets.warehouse import preview, write_table
from sources.teryt import powiat_display_names, read_terc

TERC_FILE = ("teryt", "terc_28_2022-01-01.csv")


@cache
def _units(path: str, region_code: str) -> pd.DataFrame:
    return read_terc(Path(path), region_code)


def region_units(settings: MonitorSettings) -> pd.DataFrame:
    """TERYT units of the configured region (read once per process)."""
    return _units(str(settings.reference(*TERC_FILE)), settings.region_code).copy()


@asset(key=["core", "teryt_unit"], group_name="core", kinds={"duckdb"},
       description="TERYT TERC units of the region, dated by the reference file's state.")
def teryt_unit(settings: MonitorSettings, warehouse: DuckDBResource) -> MaterializeResult:
    units = region_units(settings).merge(powiat_display_names(region_units(settings)),
                                         on="powiat_code", how="left")
    with warehouse.get_connection() as con:
        count = write_table(con, "core.teryt_unit", units)
        return MaterializeResult(metadata={"rows": count,
                                           "preview": preview(con, "core.teryt_unit")})


@asset(key=["core", "entity_type"], group_name="core", kinds={"duckdb"},
       description="Entity types counted as PES, with Polish labels and display order.")
def entity_type(settings: MonitorSettings, warehouse: DuckDBResource) -> MaterializeResult:
    types = pd.read_csv(settings.reference("entity_types.csv"), dtype={"sort_order": "int64"})
    with warehouse.get_connection() as con:
        return MaterializeResult(metadata={"rows": write_table(con, "core.entity_type", types)})


@asset(key=["core", "target"], group_name="core", kinds={"duckdb"},
       description="Indicator targets with validity period (valid_from..valid_to) and source.")
def target(settings: MonitorSettings, warehouse: DuckDBResource) -> MaterializeResult:
    targets = pd.read_csv(settings.reference("targets.csv"), parse_dates=["valid_from", "valid_to"])
    with warehouse.get_connection() as con:
        count = write_table(con, "core.target", targets)
        return MaterializeResult(metadata={"rows": count, "preview": preview(con, "core.target")})


@asset(key=["core", "month"], group_name="core", kinds={"duckdb"},
       description="The monitored month ends, from the monitoring start to the period end.")
def month(context: AssetExecutionContext, settings: MonitorSettings,
          warehouse: DuckDBResource) -> MaterializeResult:
    start = date.fromisoformat(settings.monitoring_start)
    end = settings.period_end_date()
    months = pd.DataFrame({"month": pd.date_range(start, end, freq="ME").date})
    parameters = pd.DataFrame([
        {"name": "region_code", "value": settings.region_code},
        {"name": "monitoring_start", "value": start.isoformat()},
        {"name": "project_start", "value": settings.project_start},
        {"name": "period_end", "value": end.isoformat()},
    ])
    context.log.info(f"Monitoring {len(months)} months, {start} .. {end}")
    with warehouse.get_connection() as con:
        write_table(con, "core.month", months)
        write_table(con, "core.refresh_parameter", parameters)
    return MaterializeResult(metadata={"months": len(months), "period_end": end.isoformat(),
                                       "parameters": MetadataValue.json(
                                           dict(zip(parameters.name, parameters.value,
                                                    strict=True)))})


reference_assets = [teryt_unit, entity_type, target, month]
