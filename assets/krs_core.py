"""What KRS says beyond one extract: the PKD sections, and the KRS findings for the report.

The PKD sections are reference data (data/reference/pkd_sections.csv) kept in the warehouse so
that an indicator's SQL can name every section, also those with no entity. The findings
(core.krs_review, built with the entity tables) go to a mart, since the quality report reads
marts only, and to a warning check of the entities, so that they are seen, never hidden.
"""

import duckdb
from dagster import AssetKey, MaterializeResult, asset
from dagster_duckdb import DuckDBResource

from assets.checks import Finding
from assets.settings import MonitorSettings
from assets.staging.krs import pkd_sections
from assets.warehouse import preview, write_table

#: What each topic of core.krs_review is called in the report.
KRS_TOPIC_PL = {
    "outside_region": "siedziba w KRS poza województwem (podmiot niepoliczony)",
    "unknown_number": "numer KRS nieznany w KRS",
    "type_contradiction": "typ w katalogu sprzeczny z formą prawną w KRS (ostrzeżenie)",
    "struck_off": "podmiot wykreślony z KRS",
}
#: Topics that call for the analyst's action (a struck-off date is information).
KRS_TOPICS_TO_CHECK = ("outside_region", "unknown_number", "type_contradiction")


@asset(key=["core", "pkd_section"], group_name="core", kinds={"duckdb"},
       description="The sections (A-U) of PKD 2007 with their Polish names and the range of "
                   "their divisions.")
def pkd_section(settings: MonitorSettings, warehouse: DuckDBResource) -> MaterializeResult:
    with warehouse.get_connection() as con:
        return MaterializeResult(metadata={"rows": write_table(con, "core.pkd_section",
                                                                pkd_sections(settings))})


@asset(key=["marts", "krs_review"], group_name="marts", kinds={"duckdb"},
       deps=[AssetKey(["core", "krs_review"])],
       description="The KRS findings of core.krs_review with their Polish names, for the "
                   "quality report.")
def krs_review(warehouse: DuckDBResource) -> MaterializeResult:
    with warehouse.get_connection() as con:
        review = con.execute("select * from core.krs_review").df()
        review.insert(1, "topic_pl", review["topic"].map(KRS_TOPIC_PL))
        return MaterializeResult(metadata={"rows": write_table(con, "marts.krs_review", review),
                                           "preview": preview(con, "marts.krs_review")})


def krs_findings(con: duckdb.DuckDBPyConnection, settings: MonitorSettings) -> Finding:
    """KRS numbers that neither register knows, seats outside the region, catalogue types the
    KRS legal form contradicts: each a reason to look, none a reason to hold back."""
    found = con.execute("select topic, count(*) from core.krs_review where topic in "
                        f"{KRS_TOPICS_TO_CHECK} group by topic").fetchall()
    counts = dict(found)
    return Finding(
        passed=not counts,
        summary_pl="Ustalenia z KRS do sprawdzenia: " + (", ".join(
            f"{KRS_TOPIC_PL[t]}: {counts[t]}" for t in KRS_TOPICS_TO_CHECK if t in counts)
            or "brak") + ". Lista w części „Odpisy KRS”.",
        advice_pl="" if not counts else "Numer nieznany w KRS: popraw numer w rejestrze "
        "(literówka?). Siedziba poza województwem: sprawdź, czy numer KRS w rejestrze jest "
        "właściwy i czy podmiot się nie przeniósł. Sprzeczny typ: popraw typ w katalogu PES.",
        details={"findings": counts},
        warning_only=True,
    )


krs_core_assets = [pkd_section, krs_review]
