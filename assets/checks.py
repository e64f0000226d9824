"""Data-quality checks as Dagster asset checks, each recorded for the quality report.

Every check is declared blocking; a finding that is suspicious but possible returns WARN
severity, which Dagster does not block on, while an ERROR keeps the publish assets from
running, so the last good publication stays. Declaring them all blocking also orders them
before everything downstream, so the quality report sees every result of the run.

Only data a published figure shows may hold the publication back: a check of a table that no
figure reads, directly or upstream (assets/figure_inputs.py, derived from the indicator
catalogue, the asset graph and the SQL), is a warning whatever it finds.
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

from assets.figure_inputs import figure_inputs, indicator_figures
from assets.reference import pes_types, region_units
from assets.settings import MonitorSettings
from assets.warehouse import append_rows, ensure_audit_tables, row_count
from dashboards.formatting import format_number
from quality.suites import STAGING_SUITES, Suite, SuiteContext, validate_frame
from sources.decisions import read_decisions
from sources.errors import SourceFileError
from sources.mapping import field_label, has_mapping, load_mapping


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


#: What a failed check of a table no figure reads adds to its summary.
NOT_READ_BY_A_FIGURE_PL = (" Żaden publikowany wykres nie czyta tej tabeli (ani pośrednio), "
                           "więc to tylko ostrzeżenie: publikacja nie jest wstrzymana.")


def as_warning_unless_read(finding: Finding, read_by_a_figure: bool) -> Finding:
    """The finding as is for a table a figure reads; a warning for any other table."""
    if read_by_a_figure or finding.warning_only:
        return finding
    return replace(finding, warning_only=True, summary_pl=finding.summary_pl + (
        "" if finding.passed else NOT_READ_BY_A_FIGURE_PL))


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
    own result in Dagster, blocking on ERROR, unless no figure reads the asset (then every
    finding is a warning). `label_pl` is what the UI and the report show.
    """

    @multi_asset_check(
        specs=[AssetCheckSpec(c.name, asset=asset, description=c.label_pl, blocking=True)
               for c in checks],
        name=f"{asset.to_python_identifier()}_checks",
    )
    def evaluate_checks(context: AssetCheckExecutionContext, settings: MonitorSettings,
                        warehouse: DuckDBResource) -> Iterator[AssetCheckResult]:
        # the graph of the run's job: the monthly refresh's holds every asset
        read = asset in figure_inputs(context.job_def.asset_layer.asset_graph,
                                      indicator_figures())
        with warehouse.get_connection() as con:
            for check in checks:
                finding = as_warning_unless_read(check.evaluate(con, settings), read)
                yield record_finding(con, asset, check, finding, context.run.run_id)

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
        files = source_files(con, table)
        accepted = int(files["rows_accepted"].sum())
        if accepted == 0 and len(files) and files["is_stale"].all():
            # a first refresh whose file could not be read: the source is stale and published
            # empty, and the source list says why; there are no rows to judge
            return Finding(True, "Źródło nieaktualne, bez wcześniej przyjętej wersji: nie ma "
                           "wierszy do oceny (powód na liście źródeł).", "",
                           {"rows_accepted": 0, "expected_rows": [low, high]})
        passed = low <= accepted <= high
        return Finding(
            passed,
            f"Przyjętych wierszy: {accepted} (oczekiwano od {low} do {high}).",
            "" if passed else "Sprawdź, czy plik jest kompletny (cały rejestr, nie jego część); "
            "jeśli zakres się zmienił, popraw expected_rows w pliku mapowania źródła.",
            {"rows_accepted": accepted, "expected_rows": [low, high]},
        )

    return evaluate


def staging_checks(table: str) -> AssetChecksDefinition:
    """The checks every staging table gets, plus its expectation suite when one is defined."""
    checks = [
        Check("rows_reconcile", "Zgodność liczby wierszy: wczytane = przyjęte + w kwarantannie",
              rows_reconcile(table)),
        Check("quarantine_share",
              "Udział wierszy w kwarantannie w pliku nie większy niż dopuszczalny",
              quarantine_share(table)),
    ]
    checks += volume_checks(table)
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
    types = pes_types(settings)["entity_type"]
    return SuiteContext(powiat_codes=sorted(powiats), unit_codes=sorted(units["terc"]),
                        entity_types=sorted(types))


def suite_unless_empty(table: str, suite: Suite,
                       empty_pl: Callable[[MonitorSettings], tuple[str, str]]) -> Evaluate:
    """The suite on a table a region's reference may leave empty (no OWES subregions or
    targets known for it): empty, it is a warning with what `empty_pl` says and advises, and
    the publication goes out without what the table would give."""
    evaluate = suite_evaluation(table, suite)

    def evaluate_or_warn(con: duckdb.DuckDBPyConnection, settings: MonitorSettings) -> Finding:
        if row_count(con, table):
            return evaluate(con, settings)
        summary_pl, advice_pl = empty_pl(settings)
        return Finding(False, summary_pl, advice_pl, warning_only=True)

    return evaluate_or_warn


def suite_evaluation(table: str, suite: Suite) -> Evaluate:
    """Run a GX suite on a warehouse table; failures name the expectation and examples."""

    def evaluate(con: duckdb.DuckDBPyConnection, settings: MonitorSettings) -> Finding:
        frame = con.execute(f"select * from {table}").df()
        outcome = validate_frame(frame, suite(suite_context(settings)))
        source = table.split(".")[-1]
        for failure in outcome.failures:  # the column as the source's files head it
            failure["column_pl"] = field_label(source, failure["column"]) \
                if failure["column"] else None
        failed = ", ".join(f"{f['expectation_pl']} (kolumna {f['column_pl']})"
                           if f["column_pl"] else f["expectation_pl"] for f in outcome.failures)
        return Finding(
            outcome.success,
            f"Spełnione oczekiwania: {outcome.evaluated - len(outcome.failures)} z "
            f"{outcome.evaluated}." + (f" Niespełnione: {failed}." if failed else ""),
            "" if outcome.success else "Dane przeszły reguły wierszy, ale tabela jako całość "
            "jest niespójna: sprawdź przykłady i plik źródłowy, potem odśwież ponownie.",
            outcome.metadata(),
        )

    return evaluate


# --- volume guard ---------------------------------------------------------------------------
# A catalogue that shrinks from 3 313 rows to 40 is a broken or partial export far more often
# than a real change, and the whole history of active PES would be recomputed from it. The
# baseline is the source as last published (audit.accepted_volume), so a held-back run does not
# become the next run's baseline; the analyst confirms a real shrink with a decision.

def volume_checks(table: str) -> list[Check]:
    return [
        Check("rows_not_fewer_than_published",
              "Liczba wierszy źródła nie spadła wyraźnie względem ostatniej publikacji",
              rows_not_fewer_than_published(table)),
        Check("duplicated_rows_share", "Udział powtórzonych wierszy w pliku nie jest duży",
              duplicated_rows_share(table)),
    ]


def file_list(names: list[str], shown: int = 3) -> str:
    """File names as the analyst reads them; a long list ends with how many more."""
    text = ", ".join(names[:shown])
    return text + (f"… (plików: {format_number(len(names))})" if len(names) > shown else "")


def fewer_rows_confirmed(settings: MonitorSettings, table: str, files: list[str]) -> str:
    """The analyst's `mniej_wierszy` decision naming one of the source's current files."""
    try:
        decisions = read_decisions(settings.decisions_path())
    except SourceFileError:
        return ""
    wanted = {f"{table}:{name}" for name in files}
    return next((d.number for d in decisions
                 if d.kind == "fewer_rows" and not d.problem and d.reference in wanted), "")


def rows_not_fewer_than_published(table: str) -> Evaluate:
    """The source's rows read now against the rows of the version last published."""

    def evaluate(con: duckdb.DuckDBPyConnection, settings: MonitorSettings) -> Finding:
        files = source_files(con, table)
        previous = con.execute("select files, rows_read from audit.accepted_volume "
                               "where source = ?", [table]).fetchall()
        if files.empty or files["is_stale"].any() or not previous:
            return Finding(True, "Brak wcześniejszej publikacji tego źródła do porównania albo "
                                 "źródło jest nieaktualne (zostaje poprzednia wersja).")
        before_files, before = previous[0][0], int(previous[0][1])
        now = int(files["rows_read"].sum())
        names = sorted(files["file_name"].dropna())
        drop = (before - now) / before if before else 0.0
        limit = settings.max_row_drop_share
        details = {"files": names, "rows_read": now, "published_files": before_files,
                   "published_rows_read": before, "drop": round(drop, 4), "limit": limit}
        compared = (f"{file_list(names)} – wierszy: {format_number(now)}; w ostatniej "
                    f"publikacji ({before_files}) – wierszy: {format_number(before)}")
        if drop <= limit:
            return Finding(True, f"{compared}.", details=details)
        confirmed = fewer_rows_confirmed(settings, table, names)
        if confirmed:
            return Finding(True, f"{compared}; mniej o {drop:.0%}, potwierdzone decyzją "
                                 f"{confirmed}.", details={**details, "decision": confirmed})
        return Finding(
            False,
            f"{compared}: mniej o {drop:.0%} (dopuszczalne {limit:.0%}). Publikacja "
            "wstrzymana: wykresy nie zostaną przeliczone z niepełnego pliku. Jeśli plik jest "
            f"kompletny, potwierdź to w pliku decyzji: mniej_wierszy;{table}:{names[0]}.",
            "Sprawdź, czy plik jest kompletny (cały rejestr, nie jego wycinek). Jeśli tak, "
            "potwierdź zmniejszenie wierszem w pliku decyzji (folder decisions/): "
            f"mniej_wierszy;{table}:{names[0]};;;;<uzasadnienie> i uruchom odświeżenie ponownie.",
            details,
        )

    return evaluate


def duplicated_rows_share(table: str) -> Evaluate:
    """Rows repeating another row of the same file in every column but the line (a register
    exported twice, rows pasted again): a warning, since real registers hold a few."""

    def evaluate(con: duckdb.DuckDBPyConnection, settings: MonitorSettings) -> Finding:
        columns = {r[0] for r in con.execute(f"describe staging.{table}").fetchall()}
        if not {"source_file", "source_line"} <= columns:
            return Finding(True, "Źródło bez numerów wierszy: nie sprawdzano powtórzeń.")
        counts = con.execute(f"""
            select source_file, count(*) as rows,
                   count(*) - (select count(*) from (select distinct * exclude (source_line)
                                                     from staging.{table} d
                                                     where d.source_file = t.source_file))
                       as duplicated
            from staging.{table} t group by source_file order by source_file
        """).df()
        counts = counts[counts["rows"] >= MIN_ROWS_FOR_SHARE]
        counts = counts.assign(share=counts["duplicated"] / counts["rows"])
        over = counts[counts["share"] > settings.max_duplicate_share]
        limit = f"{settings.max_duplicate_share:.0%}"
        examples = [{"file": r.source_file, "rows": int(r.rows), "duplicated": int(r.duplicated),
                     "share": round(float(r.share), 4)} for r in over.itertuples()]
        return Finding(
            over.empty,
            f"Plików z udziałem powtórzonych wierszy powyżej {limit}: {len(over)}." + "".join(
                f" {e['file']}: {format_number(e['duplicated'])} z {format_number(e['rows'])}."
                for e in examples),
            "" if over.empty else "Sprawdź, czy plik nie został wyeksportowany lub wklejony "
            "dwa razy; powtórzone wiersze nie zawyżają liczby podmiotów, ale świadczą o błędzie "
            "eksportu.",
            {"files_over_limit": examples, "limit": settings.max_duplicate_share},
            warning_only=True,
        )

    return evaluate


def record_accepted_volumes(con: duckdb.DuckDBPyConnection, run_id: str) -> None:
    """At publication: each fresh source's rows become the volume guard's baseline; a stale
    source keeps the baseline of the version it falls back on."""
    ensure_audit_tables(con)
    fresh = con.execute("""
        select source, list(file_name order by file_name) as files, sum(rows_read) as rows_read
        from audit.source_file group by source having not bool_or(is_stale)
    """).df()
    if fresh.empty:
        return
    # as the analyst reads them: a source of thousands of files (KRS) named by three of them
    fresh["files"] = fresh["files"].map(lambda names: file_list(list(names)))
    con.register("fresh_volume", fresh)
    try:
        con.execute("delete from audit.accepted_volume "
                    "where source in (select source from fresh_volume)")
        con.execute("insert into audit.accepted_volume select source, files, rows_read, ?, "
                    "now()::timestamp from fresh_volume", [run_id])
    finally:
        con.unregister("fresh_volume")
