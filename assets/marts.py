"""Marts: one table per indicator, built from the catalogue in sql/marts/indicators.yml.

One indicator = one catalogue entry = one SQL file = one table `marts.<name>`, so a reader who
starts from a number on the dashboard reaches its SQL in one hop.
"""


from pathlib import Path

import pandas as pd
import yaml
from dagster import AssetKey, AssetsDefinition, MaterializeResult, MetadataValue, asset
from dagster_duckdb import DuckDBResource

from assets.staging import STAGING_SPECS
from assets.warehouse import preview, row_count, write_table

MARTS_SQL = Path(__file__).parent / "sql" / "marts"
CATALOGUE = yaml.safe_load((MARTS_SQL / "indicators.yml").read_text(encoding="utf-8"))


def build_indicator_asset(name: str, entry: dict) -> AssetsDefinition:
    sql_path = MARTS_SQL / f"{name}.sql"

    @asset(
        key=["marts", name],
        deps=[AssetKey(dep.split("/")) for dep in entry["depends_on"]],
        group_name="marts",
        kinds={"duckdb"},
        description=f"{entry['title_pl']} ({entry['unit_pl']}). {entry['description_pl']}",
        metadata={"sql": MetadataValue.path(str(sql_path)), "unit": entry["unit_pl"]},
    )
    def indicator(warehouse: DuckDBResource) -> MaterializeResult:
        with warehouse.get_connection() as con:
            con.execute("create schema if not exists marts")
            con.execute(f"create or replace table marts.{name} as "
                        f"{sql_path.read_text(encoding='utf-8')}")
            return MaterializeResult(metadata={"rows": row_count(con, f"marts.{name}"),
                                               "preview": preview(con, f"marts.{name}")})

    return indicator


@asset(key=["marts", "indicator_catalogue"], group_name="marts", kinds={"duckdb"},
       description="Titles, units and definitions of the indicators, as the dashboard shows them.")
def indicator_catalogue(warehouse: DuckDBResource) -> MaterializeResult:
    rows = pd.DataFrame([
        {"indicator": name, "title_pl": e["title_pl"], "unit_pl": e["unit_pl"],
         "description_pl": e["description_pl"], "sql_path": f"assets/sql/marts/{name}.sql"}
        for name, e in CATALOGUE.items()
    ])
    with warehouse.get_connection() as con:
        return MaterializeResult(metadata={"rows": write_table(con, "marts.indicator_catalogue",
                                                                rows)})


@asset(key=["marts", "source_status"], group_name="marts", kinds={"duckdb"},
       deps=[AssetKey(["staging", spec.table]) for spec in STAGING_SPECS],
       description="Per source file: rows read, accepted, quarantined; stale sources and why.")
def source_status(warehouse: DuckDBResource) -> MaterializeResult:
    labels = pd.DataFrame([{"source": s.table, "source_pl": s.label_pl, "sort_order": i}
                           for i, s in enumerate(STAGING_SPECS)])
    with warehouse.get_connection() as con:
        con.register("source_label", labels)
        status = con.execute("""
            select f.source, l.source_pl, f.file_name, f.data_as_of, f.rows_read,
                   f.rows_accepted, f.rows_quarantined, f.is_stale,
                   case when f.is_stale then 'Plik nieczytelny, pokazano poprzednią wersję: '
                        || f.stale_reason end as stale_reason_pl
            from audit.source_file f join source_label l using (source)
            order by l.sort_order, f.file_name
        """).df()
        con.unregister("source_label")
        count = write_table(con, "marts.source_status", status)
        return MaterializeResult(metadata={"rows": count, "stale_sources": int(
            status["is_stale"].sum()), "preview": preview(con, "marts.source_status")})


indicator_assets = [build_indicator_asset(name, entry) for name, entry in CATALOGUE.items()]
mart_assets = [*indicator_assets, indicator_catalogue, source_status]
