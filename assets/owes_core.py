"""Core of the OWES reports: the subregions the centres cover, the reports in use, and the
headline totals that disagree with the reports' own detail sheets.

A disagreement is flagged, not blocked: the row goes to core.owes_headline_mismatch (for the
data-quality report) and the asset's metadata and log carry a warning.
"""

from pathlib import Path

import duckdb
import pandas as pd
from dagster import (
    AssetExecutionContext,
    AssetKey,
    Failure,
    MaterializeResult,
    MetadataValue,
    asset,
)
from dagster_duckdb import DuckDBResource

from assets.checks import Check, Finding, build_checks, suite_evaluation, suite_unless_empty
from assets.reference import region_units
from assets.settings import MonitorSettings
from assets.warehouse import preview, row_count, write_table
from quality.suites import owes_report_suite, owes_subregion_suite
from sources import owes_reports
from sources.mapping import load_mapping
from sources.teryt import powiat_display_names

CORE_SQL = Path(__file__).parent / "sql" / "core"
SUBREGIONS_FILE = "owes_subregions.csv"
EXAMPLES = 20


def subregions(settings: MonitorSettings) -> pd.DataFrame:
    """The powiats each centre covers, checked against the region's TERYT units.

    A powiat code the region does not have, or one powiat given to two centres at once, stops
    the refresh: per-subregion figures would silently count it twice or not at all.
    """
    path = settings.reference(SUBREGIONS_FILE)
    mapping = pd.read_csv(path, dtype=str, keep_default_na=False).replace("", None)
    mapping = mapping[mapping["powiat_code"].str.startswith(settings.region_code)]
    powiats = powiat_display_names(region_units(settings))
    unknown = sorted(set(mapping["powiat_code"]) - set(powiats["powiat_code"]))
    if unknown:
        raise Failure(f"{path.name}: powiat codes not in the region's TERYT units: {unknown}")
    dated = mapping.assign(valid_from=pd.to_datetime(mapping["valid_from"]),
                           valid_to=pd.to_datetime(mapping["valid_to"]))
    pairs = dated.merge(dated, on="powiat_code")
    open_end = pd.Timestamp.max
    overlapping = pairs[(pairs["centre_code_x"] < pairs["centre_code_y"])
                        & (pairs["valid_from_x"] <= pairs["valid_to_y"].fillna(open_end))
                        & (pairs["valid_from_y"] <= pairs["valid_to_x"].fillna(open_end))]
    if not overlapping.empty:
        raise Failure(f"{path.name}: powiats given to two centres at the same time: "
                      f"{sorted(set(overlapping['powiat_code']))}")
    return dated.merge(powiats, on="powiat_code", how="left")[
        ["centre_code", "centre_name", "subregion_pl", "powiat_code", "powiat_name",
         "valid_from", "valid_to"]]


def no_subregions_pl(settings: MonitorSettings) -> tuple[str, str]:
    """What the analyst reads, and what to do, when the subregions file has no powiat of the
    region."""
    return (f"Brak podregionów OWES województwa {settings.region_code} w pliku {SUBREGIONS_FILE}: "
            "wskaźniki OWES są publikowane według ośrodka i powiatu, bez podregionu.",
            f"Dopisz do data/reference/{SUBREGIONS_FILE} powiaty, które obejmuje każdy ośrodek "
            "(z datami), i odśwież ponownie.")


@asset(key=["core", "owes_subregion"], group_name="core", kinds={"duckdb"},
       description="The powiats each OWES covers (its subregion), with validity dates; empty "
                   "for a region the subregions file does not cover (said in the metadata).")
def owes_subregion(context: AssetExecutionContext, settings: MonitorSettings,
                   warehouse: DuckDBResource) -> MaterializeResult:
    table = subregions(settings)
    uncovered = sorted(set(powiat_display_names(region_units(settings))["powiat_name"])
                       - set(table["powiat_name"]))
    note = no_subregions_pl(settings)[0] if table.empty else ""
    if note:
        context.log.warning(note)
    with warehouse.get_connection() as con:
        count = write_table(con, "core.owes_subregion", table)
        return MaterializeResult(metadata={
            "rows": count, "centres": int(table["centre_code"].nunique()),
            "powiats_not_covered": MetadataValue.json(uncovered), "note": note,
            "preview": preview(con, "core.owes_subregion")})


@asset(key=["core", "owes_report"], group_name="core", kinds={"duckdb"},
       deps=[AssetKey(["staging", table]) for table in owes_reports.TABLES],
       description="One row per OWES report in use: the file version read and the headline "
                   "totals beside the rows of its detail sheets.",
       metadata={"sql": MetadataValue.path(str(CORE_SQL / "owes_report.sql"))})
def owes_report(context: AssetExecutionContext,
                warehouse: DuckDBResource) -> MaterializeResult:
    sql = (CORE_SQL / "owes_report.sql").read_text(encoding="utf-8")
    with warehouse.get_connection() as con:
        con.execute(f"create or replace table core.owes_report as {sql}")
        replaced = con.execute(
            "select centre_code, quarter, source_file, version, versions_received, "
            "left(landed_sha256, 12) as sha256 from core.owes_report where versions_received > 1 "
            "order by quarter_start, centre_code").df()
        for row in replaced.head(EXAMPLES).itertuples():
            context.log.info(f"OWES {row.centre_code} {row.quarter}: reading version {row.version} "
                             f"of {row.versions_received} ({row.source_file}, {row.sha256}…)")
        return MaterializeResult(metadata={
            "reports": row_count(con, "core.owes_report"),
            "reports_with_earlier_versions": len(replaced),
            "versions_used": MetadataValue.json(replaced.head(EXAMPLES).to_dict("records")),
            "preview": preview(con, "core.owes_report")})


OWES_HEADLINE_MISMATCH = AssetKey(["core", "owes_headline_mismatch"])


@asset(key=OWES_HEADLINE_MISMATCH, group_name="core", kinds={"duckdb"},
       deps=[owes_report],
       description="OWES headline totals that disagree with the rows the report's detail "
                   "sheets list (flagged for the data-quality report, not blocked).",
       metadata={"sql": MetadataValue.path(str(CORE_SQL / "owes_headline_mismatch.sql"))})
def owes_headline_mismatch(context: AssetExecutionContext,
                           warehouse: DuckDBResource) -> MaterializeResult:
    sql = (CORE_SQL / "owes_headline_mismatch.sql").read_text(encoding="utf-8")
    sheets = {"headline_sheet": load_mapping(owes_reports.HEADLINE).sheet,
              "supported_sheet": load_mapping(owes_reports.SUPPORTED).sheet,
              "jobs_sheet": load_mapping(owes_reports.JOBS).sheet}
    with warehouse.get_connection() as con:
        con.execute(f"create or replace table core.owes_headline_mismatch as {sql}", sheets)
        found = con.execute("select centre_code, quarter, source_file, indicator, message_pl "
                            "from core.owes_headline_mismatch").df()
    if not found.empty:
        context.log.warning(f"{len(found)} OWES headline total(s) disagree with the detail "
                            f"sheets, e.g. {found.head(3).to_dict('records')}")
    return MaterializeResult(metadata={
        "mismatches": len(found),
        "warning": (f"Sprawozdania OWES: {len(found)} wskaźnik(ów) w arkuszu "
                    f"{sheets['headline_sheet']} nie zgadza się z wierszami arkuszy szczegółowych."
                    if len(found) else "Brak rozbieżności."),
        "examples": MetadataValue.json(found.head(EXAMPLES).to_dict("records")),
    })


owes_core_assets = [owes_subregion, owes_report, owes_headline_mismatch]


def owes_headlines_agree(con: duckdb.DuckDBPyConnection, settings: MonitorSettings) -> Finding:
    """A centre's declared total against the rows it lists: reported, never corrected."""
    mismatches = con.execute("""
        select centre_code, quarter, indicator, headline_value, detail_rows, message_pl
        from core.owes_headline_mismatch order by quarter, centre_code, indicator
    """).df()
    return Finding(
        passed=mismatches.empty,
        summary_pl=f"Sprawozdań OWES z sumą w arkuszu wskaźników inną niż liczba wierszy "
                   f"w arkuszu szczegółowym: {len(mismatches)}.",
        advice_pl="" if mismatches.empty else "Poproś OWES o wyjaśnienie lub korektę "
        "sprawozdania; panel pokazuje wartości zadeklarowane w arkuszu wskaźników.",
        details={"reports": len(mismatches),
                 "examples": mismatches.head(10).to_dict("records")},
        warning_only=True,
    )


owes_core_checks = [build_checks(AssetKey(["core", "owes_subregion"]), [
    Check("owes_subregion_suite", "Każdy powiat województwa przypisany do OWES",
          suite_unless_empty("core.owes_subregion", owes_subregion_suite, no_subregions_pl)),
]), build_checks(AssetKey(["core", "owes_report"]), [
    Check("owes_report_suite", "Jedno sprawozdanie na OWES i kwartał, liczby nieujemne",
          suite_evaluation("core.owes_report", owes_report_suite)),
]), build_checks(OWES_HEADLINE_MISMATCH, [
    Check("headlines_agree_with_details",
          "Sumy w sprawozdaniach OWES zgodne z arkuszami szczegółowymi", owes_headlines_agree),
])]
