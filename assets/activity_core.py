"""Core of the activity log: the persons who took part in the project, each counted once.

Only pseudonyms are here (HMAC of the PESEL); the SQL beside it says how a person is counted.
"""

from pathlib import Path

from dagster import AssetKey, MaterializeResult, MetadataValue, asset
from dagster_duckdb import DuckDBResource

from assets.checks import Check, build_checks, suite_evaluation
from assets.warehouse import row_count
from quality.suites import participant_suite

PARTICIPANT_SQL = Path(__file__).parent / "sql" / "core" / "participant.sql"


@asset(key=["core", "participant"], group_name="core", kinds={"duckdb"},
       deps=[AssetKey(["staging", "participation"]), AssetKey(["staging", "project_event"]),
             AssetKey(["core", "month"])],
       description="One row per identified participant (pseudonym), from the first event "
                   "attended since the project start.",
       metadata={"sql": MetadataValue.path(str(PARTICIPANT_SQL))})
def participant(warehouse: DuckDBResource) -> MaterializeResult:
    with warehouse.get_connection() as con:
        con.execute("create schema if not exists core")
        con.execute("create or replace table core.participant as "
                    + PARTICIPANT_SQL.read_text(encoding="utf-8"))
        by_sex = dict(con.execute("select sex, count(*) from core.participant group by 1 "
                                  "order by 1").fetchall())
        # No preview: even pseudonyms are not shown where they need not be.
        return MaterializeResult(metadata={"persons": row_count(con, "core.participant"),
                                           "persons_by_sex": MetadataValue.json(by_sex)})


activity_core_assets = [participant]
activity_core_checks = [build_checks(AssetKey(["core", "participant"]), [
    Check("participant_suite",
          "Spójność uczestników: każda osoba raz, z datą pierwszego udziału",
          suite_evaluation("core.participant", participant_suite)),
])]
