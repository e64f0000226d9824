"""Reference data every refresh reads: TERYT units, entity types, targets, refresh parameters.

The TERYT reference is dated: the region's units of the national TERC lists of 2022-01-01 and
2026-01-01, with each rename dated in `teryt/name_changes.csv`. The region is checked against
them before anything reads it (`check_region`), so an unknown `PES_REGION` stops the refresh
with a Polish message naming the accepted codes.

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
from dagster import AssetExecutionContext, Failure, MaterializeResult, MetadataValue, asset
from dagster_duckdb import DuckDBResource

from assets.settings import MonitorSettings
from assets.warehouse import preview, write_table
from sources.boundaries import region_features
from sources.decisions import read_decisions
from sources.errors import SourceFileError
from sources.population import POPULATION_FILE, POPULATION_SOURCE_PL, population_by_year
from sources.teryt import (
    EARLIER_TERC_FILE,
    LATER_TERC_FILE,
    NAME_CHANGES_FILE,
    PlaceResolver,
    RegionNotInReference,
    TerytReference,
    dated_reference,
    powiat_display_names,
    read_name_changes,
    read_terc,
    region_name_pl,
)

TARGETS_FILE = "targets.csv"


@cache
def _region_name(reference_dir: str, region_code: str) -> str:
    return region_name_pl(reference_dir, region_code)


def check_region(settings: MonitorSettings) -> str:
    """The region's name as TERYT gives it (`województwo pomorskie`), once `PES_REGION` is
    checked against the reference; else a Dagster Failure whose description (Polish) names the
    variable, the value and the accepted codes, which the refresh summary prints."""
    try:
        return _region_name(settings.reference_dir, settings.region_code)
    except RegionNotInReference as error:
        raise Failure(description=str(error)) from error


def region_name(settings: MonitorSettings) -> str:
    """The region as pages name it: `PES_REGION_NAME` when given, else TERYT's name; a region
    the reference lacks (refused by `check_region`) by its code, for a held-back report."""
    if settings.region_name_pl:
        return settings.region_name_pl
    try:
        return _region_name(settings.reference_dir, settings.region_code)
    except RegionNotInReference:
        return f"województwo o kodzie {settings.region_code}"
#: Simplified boundaries for the map (sources/boundaries.py): powiats of all Poland, gminas
#: only where a file of the region's gminas is bundled (`{region}` is its TERYT code).
POWIAT_BOUNDARIES = ("geo", "powiaty_PL_simplified.geojson")
GMINA_BOUNDARIES = ("geo", "gminy_{region}_simplified.geojson")


@cache
def _reference(reference_dir: str, region_code: str) -> TerytReference:
    folder = Path(reference_dir)
    changes_path = folder.joinpath(*NAME_CHANGES_FILE)
    return dated_reference(
        read_terc(folder.joinpath(*EARLIER_TERC_FILE), region_code),
        read_terc(folder.joinpath(*LATER_TERC_FILE), region_code),
        read_name_changes(changes_path), changes_path)


def region_reference(settings: MonitorSettings) -> TerytReference:
    """The dated TERYT reference of the configured region (built once per process), after the
    region is checked to be in it."""
    check_region(settings)
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
    check_region(settings)
    return _resolver(settings.reference_dir, settings.region_code).choosing(choices)


@asset(key=["core", "teryt_unit"], group_name="core", kinds={"duckdb"},
       description="TERYT TERC units of the region under their latest names and codes, with "
                   "the state date of that name (TERC 2022-01-01 or 2026-01-01).")
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


#: Every kind of PES the Act of 5 August 2022 names, with its legal basis and KRS legal forms
#: (data/reference/SOURCES.md): the one list of entity types.
PES_TYPES_FILE = "pes_legal_types.csv"
ENTITY_TYPE_COLUMNS = ["entity_type", "entity_type_pl", "sort_order", "kind", "act_point",
                       "legal_basis", "register_pl"]


def pes_types(settings: MonitorSettings) -> pd.DataFrame:
    """The PES types of the Act, one row each, in display order (empty cells as "")."""
    types = pd.read_csv(settings.reference(PES_TYPES_FILE), dtype=str, keep_default_na=False)
    return types.assign(sort_order=types["sort_order"].astype("int64")).sort_values("sort_order")


def krs_legal_form_types(types: pd.DataFrame) -> pd.DataFrame:
    """(legal_form, name_contains, entity_type): the type a KRS legal form gives, where the
    form alone says it (`krs_type_from` = form) or with a fragment of the folded name (= name:
    KRS writes every cooperative as SPÓŁDZIELNIA). A non-profit company's form says nothing
    (= another_source): another source must call it non-profit."""
    says = types[types["krs_type_from"].isin(["form", "name"])]
    pairs = says.assign(legal_form=says["krs_legal_forms"].str.split("|")).explode("legal_form")
    pairs = pairs.assign(name_contains=pairs["krs_name_contains"].replace("", None))
    return pairs[["legal_form", "name_contains", "entity_type", "sort_order"]].reset_index(
        drop=True)


@asset(key=["core", "entity_type"], group_name="core", kinds={"duckdb"},
       description="The PES types of the Act of 5 August 2022, with Polish labels, display "
                   "order and legal basis (data/reference/pes_legal_types.csv).")
def entity_type(settings: MonitorSettings, warehouse: DuckDBResource) -> MaterializeResult:
    types = pes_types(settings)[ENTITY_TYPE_COLUMNS]
    with warehouse.get_connection() as con:
        return MaterializeResult(metadata={"rows": write_table(con, "core.entity_type", types)})


@asset(key=["core", "krs_legal_form_type"], group_name="core", kinds={"duckdb"},
       description="The PES type each KRS legal form gives (with the name fragment a "
                   "cooperative's kind is told by), from data/reference/pes_legal_types.csv.")
def krs_legal_form_type(settings: MonitorSettings,
                        warehouse: DuckDBResource) -> MaterializeResult:
    pairs = krs_legal_form_types(pes_types(settings))
    with warehouse.get_connection() as con:
        return MaterializeResult(metadata={
            "rows": write_table(con, "core.krs_legal_form_type", pairs)})


def no_targets_pl(settings: MonitorSettings) -> tuple[str, str]:
    """What the analyst reads, and what to do, when targets.csv has no row of the region."""
    return (f"Brak celów województwa {settings.region_code} w pliku {TARGETS_FILE}: wskaźniki "
            "są publikowane bez celów (bez oceny ich osiągnięcia).",
            f"Dopisz do data/reference/{TARGETS_FILE} cele projektu województwa (kolumna "
            "region_code) i odśwież ponownie.")


@asset(key=["core", "target"], group_name="core", kinds={"duckdb"},
       description="Indicator targets of the region with validity period (valid_from..valid_to) "
                   "and source; none for a region targets.csv does not cover (said in the "
                   "metadata).")
def target(context: AssetExecutionContext, settings: MonitorSettings,
           warehouse: DuckDBResource) -> MaterializeResult:
    targets = pd.read_csv(settings.reference(TARGETS_FILE), dtype={"region_code": str},
                          parse_dates=["valid_from", "valid_to"])
    targets = targets[targets["region_code"] == settings.region_code].drop(
        columns="region_code")
    note = "" if len(targets) else no_targets_pl(settings)[0]
    if note:
        context.log.warning(note)
    with warehouse.get_connection() as con:
        count = write_table(con, "core.target", targets)
        return MaterializeResult(metadata={"rows": count, "note": note,
                                           "preview": preview(con, "core.target")})


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


reference_assets = [teryt_unit, teryt_name, entity_type, krs_legal_form_type, target, month,
                    population, unit_boundary]
