"""Data-quality checks as Dagster asset checks, each recorded for the quality report.

Every check is declared blocking; a finding that is suspicious but possible returns WARN
severity, which Dagster does not block on, while an ERROR keeps the publish assets from
running, so the last good publication stays. Declaring them all blocking also orders them
before everything downstream, so the quality report sees every result of the run.
"""

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

import duckdb
import pandas as pd
from dagster import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetChecksDefinition,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetKey,
    MetadataValue,
    multi_asset_check,
)
from dagster_duckdb import DuckDBResource

from assets.reference import region_units
from assets.settings import MonitorSettings
from assets.warehouse import append_rows, ensure_audit_tables
from quality.suites import STAGING_SUITES, Suite, SuiteContext, validate_frame
from sources.mapping import has_mapping, load_mapping


@dataclass(frozen=True)
class Finding:
    """A check's outcome in the analyst's words: what was found and what to do about it."""

    passed: bool
    summary_pl: str
    advice_pl: str = ""
    details: dict[str, Any] = field(default_factory=dict)
    warning_only: bool = False


Evaluate = Callable[[duckdb.DuckDBPyConnection, MonitorSettings], Finding]


@dataclass(frozen=True)
class Check:
    """One check of an asset: its name, what it verifies in Polish, and how."""

    name: str
    label_pl: str
    evaluate: Evaluate


def record_finding(con: duckdb.DuckDBPyConnection, asset: AssetKey, check: Check,
                   finding: Finding, run_id: str) -> AssetCheckResult:
    """Store the finding for the quality report and turn it into Dagster's check result."""
    severity = AssetCheckSeverity.WARN if finding.warning_only else AssetCheckSeverity.ERROR
    asset_name = asset.to_user_string()
    ensure_audit_tables(con)
    con.execute("delete from audit.check_result where asset = ? and check_name = ?",
                [asset_name, check.name])
    append_rows(con, "audit.check_result", pd.DataFrame([{
        "asset": asset_name, "check_name": check.name, "check_label_pl": check.label_pl,
        "severity": "warning" if finding.warning_only else "error",
        "passed": finding.passed, "summary_pl": finding.summary_pl,
        "advice_pl": finding.advice_pl,
        "details": json.dumps(finding.details, ensure_ascii=False, default=str),
        "run_id": run_id, "checked_at": datetime.now(),
    }]))
    return AssetCheckResult(asset_key=asset, check_name=check.name, passed=finding.passed,
                            severity=severity, metadata={
        "summary": finding.summary_pl,
        "advice": finding.advice_pl,
        "details": MetadataValue.json(json.loads(json.dumps(finding.details, default=str))),
    })


def build_checks(asset: AssetKey, checks: list[Check]) -> AssetChecksDefinition:
    """The asset's checks, evaluated against the warehouse in one step, each one recorded.

    One step per asset rather than per check keeps a refresh fast; each check is still its
    own result in Dagster, blocking on ERROR. `label_pl` is what the UI and the report show.
    """

    @multi_asset_check(
        specs=[AssetCheckSpec(c.name, asset=asset, description=c.label_pl, blocking=True)
               for c in checks],
        name=f"{asset.to_python_identifier()}_checks",
    )
    def evaluate_checks(context: AssetCheckExecutionContext, settings: MonitorSettings,
                        warehouse: DuckDBResource) -> Iterator[AssetCheckResult]:
        with warehouse.get_connection() as con:
            for check in checks:
                yield record_finding(con, asset, check, check.evaluate(con, settings),
                                     context.run.run_id)

    return evaluate_checks


def source_files(con: duckdb.DuckDBPyConnection, table: str) -> pd.DataFrame:
    return con.execute(
        "select file_name, rows_read, rows_accepted, rows_quarantined, is_stale "
        "from audit.source_file where source = ?", [table]).df()


MIN_ROWS_FOR_SHARE = 10


def rows_reconcile(table: str) -> Evaluate:
    """Per file, rows read = accepted + quarantined, and the staging table holds the accepted."""

    def evaluate(con: duckdb.DuckDBPyConnection, settings: MonitorSettings) -> Finding:
        files = source_files(con, table)
        in_table = con.execute(f"select count(*) from staging.{table}").fetchall()[0][0]
        unbalanced = files[files["rows_read"] != files["rows_accepted"] + files["rows_quarantined"]]
        accepted = int(files["rows_accepted"].sum())
        stale = bool(files["is_stale"].any())
        passed = unbalanced.empty and (stale or accepted == in_table)
        return Finding(
            passed=passed,
            summary_pl=(f"Wierszy przyjętych: {accepted}, w tabeli: {in_table}." if passed else
                        "Liczby wierszy się nie zgadzają: wczytane ≠ przyjęte + w kwarantannie."),
            advice_pl="" if passed else "To błąd programu, nie danych: zgłoś go zespołowi.",
            details={"files": len(files), "rows_accepted": accepted, "rows_in_table": in_table,
                     "unbalanced_files": unbalanced["file_name"].tolist()},
        )

    return evaluate


def quarantine_share(table: str) -> Evaluate:
    """A file with too many rejected rows is more likely a broken export than bad rows.

    A file of a few rows (a KRS extract is one) says nothing by its share: such files are
    judged together, as the whole source, and a source of several files is judged as a whole
    too.
    """

    def evaluate(con: duckdb.DuckDBPyConnection, settings: MonitorSettings) -> Finding:
        files = source_files(con, table)
        files = files[(files["rows_read"] > 0) & ~files["is_stale"]]
        judged = files[files["rows_read"] >= MIN_ROWS_FOR_SHARE]
        if len(files) > 1:
            whole = files[["rows_read", "rows_accepted", "rows_quarantined"]].sum()
            judged = pd.concat([judged, pd.DataFrame([{
                "file_name": f"(całe źródło: {len(files)} plików)", **whole.to_dict()}])],
                ignore_index=True)
        files = judged.assign(share=judged["rows_quarantined"] / judged["rows_read"])
        over = files[files["share"] > settings.max_quarantine_share]
        limit = f"{settings.max_quarantine_share:.0%}"
        if over.empty:
            return Finding(True, f"Udział wierszy w kwarantannie w każdym pliku ≤ {limit}.",
                           details={"max_share": round(float(files["share"].max()), 4)
                                    if len(files) else 0.0})
        examples = [{"file": r.file_name, "rows_read": int(r.rows_read),
                     "rows_quarantined": int(r.rows_quarantined), "share": round(r.share, 4)}
                    for r in over.itertuples()]
        return Finding(
            False,
            f"{len(over)} plik(i) z udziałem wierszy w kwarantannie powyżej {limit}.",
            "Otwórz kwarantannę (kwarantanna.csv) dla tego pliku: jeśli przyczyna jest wspólna "
            "(np. zmieniona kolumna, inne kodowanie), popraw eksport albo plik mapowania "
            "źródła i uruchom odświeżenie ponownie.",
            {"files_over_limit": examples, "limit": settings.max_quarantine_share},
        )

    return evaluate


def row_count_in_range(table: str) -> Evaluate:
    """The source's mapping file states how many rows a sound export has."""

    def evaluate(con: duckdb.DuckDBPyConnection, settings: MonitorSettings) -> Finding:
        low, high = load_mapping(table).expected_rows
        accepted = int(source_files(con, table)["rows_accepted"].sum())
        passed = low <= accepted <= high
        return Finding(
            passed,
            f"Przyjętych wierszy: {accepted} (oczekiwano od {low} do {high}).",
            "" if passed else "Sprawdź, czy plik jest kompletny (cały rejestr, nie jego część); "
            "jeśli zakres się zmienił, popraw expected_rows w pliku mapowania źródła.",
            {"rows_accepted": accepted, "expected_rows": [low, high]},
        )

    return evaluate


#: Staging tables whose rows are attributes of entities counted from other tables (a PKD code
#: of a KRS extract): a rejected row loses that one attribute, never a counted entity, so how
#: many are rejected is a warning, not a reason to hold back the publication.
ATTRIBUTE_TABLES = frozenset({"krs_pkd"})


def warning_only(evaluate: Evaluate) -> Evaluate:
    """The same check, its failure reported as a warning."""
    return lambda con, settings: replace(evaluate(con, settings), warning_only=True)


def staging_checks(table: str) -> AssetChecksDefinition:
    """The checks every staging table gets, plus its expectation suite when one is defined."""
    share = quarantine_share(table)
    checks = [
        Check("rows_reconcile", "Zgodność liczby wierszy: wczytane = przyjęte + w kwarantannie",
              rows_reconcile(table)),
        Check("quarantine_share",
              "Udział wierszy w kwarantannie w pliku nie większy niż dopuszczalny",
              warning_only(share) if table in ATTRIBUTE_TABLES else share),
    ]
    if has_mapping(table) and load_mapping(table).expected_rows:
        checks.append(Check("row_count_in_range",
                            "Liczba przyjętych wierszy w zakresie oczekiwanym dla źródła",
                            row_count_in_range(table)))
    if table in STAGING_SUITES:
        checks.append(Check("expectation_suite",
                            "Spójność przyjętej tabeli (zestaw oczekiwań Great Expectations)",
                            suite_evaluation(f"staging.{table}", STAGING_SUITES[table])))
    return build_checks(AssetKey(["staging", table]), checks)


def suite_context(settings: MonitorSettings) -> SuiteContext:
    """The region's codes and the entity types, read from the reference files."""
    units = region_units(settings)
    powiats = units.loc[units["kind"].isin(["powiat", "city_powiat"]), "powiat_code"]
    types = pd.read_csv(settings.reference("entity_types.csv"))["entity_type"]
    return SuiteContext(powiat_codes=sorted(powiats), unit_codes=sorted(units["terc"]),
                        entity_types=sorted(types))


def suite_evaluation(table: str, suite: Suite) -> Evaluate:
    """Run a GX suite on a warehouse table; failures name the expectation and examples."""

    def evaluate(con: duckdb.DuckDBPyConnection, settings: MonitorSettings) -> Finding:
        frame = con.execute(f"select * from {table}").df()
        outcome = validate_frame(frame, suite(suite_context(settings)))
        failed = ", ".join(f"{f['expectation']}({f['column']})" for f in outcome.failures)
        return Finding(
            outcome.success,
            f"Spełnione oczekiwania: {outcome.evaluated - len(outcome.failures)} z "
            f"{outcome.evaluated}." + (f" Niespełnione: {failed}." if failed else ""),
            "" if outcome.success else "Dane przeszły reguły wierszy, ale tabela jako całość "
            "jest niespójna: sprawdź przykłady i plik źródłowy, potem odśwież ponownie.",
            outcome.metadata(),
        )

    return evaluate
