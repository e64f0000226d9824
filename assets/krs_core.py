"""Core tables of what KRS says beyond one extract: the PKD sections.

The PKD sections are reference data (data/reference/pkd_sections.csv) kept in the warehouse so
that an indicator's SQL can name every section, also those with no entity.
"""

from dagster import MaterializeResult, asset
from dagster_duckdb import DuckDBResource

from assets.settings import MonitorSettings
from assets.staging.krs import pkd_sections
from assets.warehouse import write_table


@asset(key=["core", "pkd_section"], group_name="core", kinds={"duckdb"},
       description="The sections (A-U) of PKD 2007 with their Polish names and the range of "
                   "their divisions.")
def pkd_section(settings: MonitorSettings, warehouse: DuckDBResource) -> MaterializeResult:
    with warehouse.get_connection() as con:
        return MaterializeResult(metadata={"rows": write_table(con, "core.pkd_section",
                                                                pkd_sections(settings))})


krs_core_assets = [pkd_section]
