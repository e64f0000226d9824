"""Reference data every refresh reads: TERYT units, entity types, targets, refresh parameters.

The TERYT reference is dated: the official TERC rows of 2022-01-01 and the later names of the
boundary register (PRG, 2026), with each rename dated in `teryt/name_changes.csv`.

Targets and entity types are data files with their sources (data/reference/SOURCES.md), so a
new target is a new row, never a literal in SQL.

Population (GUS BDL, 31 December of each year) and the simplified boundaries of powiats and
gminas are reference data too: they give the per-10 000-inhabitant indicators and the map.
"""


import json
from datetime import date
from functools import cache
from pathlib import Path

import pandas as pd
from dagster import AssetExecutionContext, MaterializeResult, MetadataValue, asset
from dagster_duckdb import DuckDBResource

from assets.settings import MonitorSettings
from assets.warehouse import preview, write_table
from sources.boundaries import region_features
from sources.decisions import read_decisions
from sources.errors import SourceFileError
from sources.population import POPULATION_FILE, POPULATION_SOURCE_PL, population_by_year
from sources.teryt import (
    PlaceResolver,
    TerytReference,
    dated_reference,
    powiat_display_names,
    read_name_changes,
    read_prg_names,
    read_terc,
)

TERC_FILE = ("teryt", "terc_28_2022-01-01.csv")
NAME_CHANGES_FILE = ("teryt", "name_changes.csv")
PRG_FILES = (("geo", "dariolas_28_powiaty_wgs.geojson"), ("geo", "dariolas_28_gminy_wgs.geojson"))
#: The state of the PRG names: the date of the copied commit (data/reference/geo/SOURCES.md).
PRG_STATE = date(2026, 5, 11)
#: Simplified boundaries for the map (sources/boundaries.py): powiats of all Poland, gminas
#: only where a file of the region's gminas is bundled (`{region}` is its TERYT code).
POWIAT_BOUNDARIES = ("geo", "powiaty_PL_simplified.geojson")
GMINA_BOUNDARIES = ("geo", "gminy_{region}_simplified.geojson")


@cache
def _reference(reference_dir: str, region_code: str) -> TerytReference:
    folder = Path(reference_dir)
    changes_path = folder.joinpath(*NAME_CHANGES_FILE)
    return dated_reference(
        read_terc(folder.joinpath(*TERC_FILE), region_code),
        read_prg_names([folder.joinpath(*parts) for parts in PRG_FILES], region_code),
        PRG_STATE, read_name_changes(changes_path), changes_path)


def region_reference(settings: MonitorSettings) -> TerytReference:
    """The dated TERYT reference of the configured region (built once per process)."""
    return _reference(settings.reference_dir, settings.region_code)


def region_units(settings: MonitorSettings) -> pd.DataFrame:
    """TERYT units of the configured region, each under its latest name."""
    return region_reference(settings).units.copy()


@cache
def _resolver(reference_dir: str, region_code: str) -> PlaceResolver:
    return PlaceResolver(_reference(reference_dir, region_code))


def place_resolver(settings: MonitorSettings) -> PlaceResolver:
    """The resolver of written place names to the region's TERC codes (built once), with the
    analyst's `terc` decisions settling ambiguous names. An unreadable decision file is the
    entity step's error to report; here it only means no choices."""
    try:
        decisions = read_decisions(settings.decisions_path())
    except SourceFileError:
        decisions = []
    choices = {d.place: d.terc for d in decisions if d.kind == "terc" and not d.problem}
    return _resolver(settings.reference_dir, settings.region_code).choosing(choices)


@asset(key=["core", "teryt_unit"], group_name="core", kinds={"duckdb"},
       description="TERYT TERC units of the region under their latest names, with the state "
                   "date of that name (TERC 2022-01-01 or PRG 2026).")
def teryt_unit(settings: MonitorSettings, warehouse: DuckDBResource) -> MaterializeResult:
    units = region_units(settings).merge(powiat_display_names(region_units(settings)),
                                         on="powiat_code", how="left")
    with warehouse.get_connection() as con:
        count = write_table(con, "core.teryt_unit", units)
        return MaterializeResult(metadata={"rows": count,
                                           "preview": preview(con, "core.teryt_unit")})


@asset(key=["core", "teryt_name"], group_name="core", kinds={"duckdb"},
       description="Every name a TERYT unit of the region went by, with the dates it was in "
                   "force (former names stay as aliases) and the source of each.")
def teryt_name(settings: MonitorSettings, warehouse: DuckDBResource) -> MaterializeResult:
    names = region_reference(settings).names
    renamed = names[names["valid_from"].notna() | names["valid_to"].notna()]
    with warehouse.get_connection() as con:
        count = write_table(con, "core.teryt_name", names)
        return MaterializeResult(metadata={
            "rows": count,
            "renamed_units": MetadataValue.md(renamed.to_markdown(index=False)
                                              if not renamed.empty else "(brak)"),
        })


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
       description="The monitored month ends (core.month) and the dates of the refresh "
                   "(core.refresh_period, core.refresh_parameter).")
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
        # the same dates typed, for the SQL of the indicators to read in one line
        write_table(con, "core.refresh_period", pd.DataFrame([{
            "monitoring_start": start, "project_start": date.fromisoformat(settings.project_start),
            "period_end": end}]))
    return MaterializeResult(metadata={"months": len(months), "period_end": end.isoformat(),
                                       "parameters": MetadataValue.json(
                                           dict(zip(parameters.name, parameters.value,
                                                    strict=True)))})


@asset(key=["core", "population"], group_name="core", kinds={"duckdb"},
       description="Total population of the region, its powiats and gminas on 31 December of "
                   "each year of the bundled file (GUS, Bank Danych Lokalnych).")
def population(settings: MonitorSettings, warehouse: DuckDBResource) -> MaterializeResult:
    path = settings.reference(*POPULATION_FILE)
    rows = population_by_year(path, settings.region_code)
    rows["reference_date"] = pd.to_datetime(rows["year"].astype(str) + "-12-31").dt.date
    rows["source"] = POPULATION_SOURCE_PL
    with warehouse.get_connection() as con:
        count = write_table(con, "core.population", rows)
        return MaterializeResult(metadata={
            "rows": count, "latest_year": int(rows["year"].max()) if count else None,
            "file": MetadataValue.path(str(path)), "preview": preview(con, "core.population")})


@asset(key=["marts", "unit_boundary"], group_name="marts", kinds={"duckdb"},
       description="Simplified boundaries (GeoJSON geometry) of the region's powiats, and of "
                   "its gminas where a gmina file is bundled, for the dashboard's map.")
def unit_boundary(settings: MonitorSettings, warehouse: DuckDBResource) -> MaterializeResult:
    region = settings.region_code
    files = {"powiat": settings.reference(*POWIAT_BOUNDARIES),
             "gmina": settings.reference(GMINA_BOUNDARIES[0],
                                         GMINA_BOUNDARIES[1].format(region=region))}
    rows = pd.DataFrame([
        {"teryt": feature["properties"]["teryt"], "level": level,
         "geometry": json.dumps(feature["geometry"], separators=(",", ":"))}
        for level, path in files.items() if path.exists()
        for feature in region_features(path, region)["features"]
    ], columns=["teryt", "level", "geometry"])
    with warehouse.get_connection() as con:
        count = write_table(con, "marts.unit_boundary", rows)
        return MaterializeResult(metadata={
            "rows": count, **{level: int((rows["level"] == level).sum()) for level in files}})


reference_assets = [teryt_unit, teryt_name, entity_type, target, month, population,
                    unit_boundary]
