"""The data-quality report: what each refresh read, rejected and checked, in the analyst's Polish.

Published beside the dashboard with every publication. Reads the marts only: source_status
(files and counts), quality_finding (every check), quarantine_summary (rejected rows
grouped by reason, with what to do about them), entity_review (conflicts between
identifiers and the analyst's decisions) and quarantine_effect (what each kind of problem
cost the entity counts).
"""

import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb
import pandas as pd

from dashboards.formatting import format_date_long, format_datetime_short, format_number
from dashboards.freshness import source_freshness, value_or
from dashboards.marts import source_status
from dashboards.page import (
    DEFAULT_REGION_NAME_PL,
    ENTITIES_FILE_NAME,
    ID_CHANGES_FILE_NAME,
    QUARANTINE_FILE_NAME,
    template,
)

TEMPLATE_NAME = "quality_report.html.j2"
STATUS_PL = {
    (True, "error"): "spełniona",
    (True, "warning"): "spełniona",
    (False, "error"): "BŁĄD – publikacja wstrzymana",
    (False, "warning"): "ostrzeżenie – do sprawdzenia",
}


@dataclass(frozen=True)
class CheckRow:
    """One check as the report lists it."""

    subject: str
    name: str
    status: str
    passed: bool
    severity: str
    summary: str
    advice: str
    details: str


@dataclass(frozen=True)
class QuarantineGroup:
    """Rejected rows of one file sharing one reason."""

    source: str
    file: str
    sheet: str
    field: str
    message: str
    rows: str
    lines: str
    advice: str


def check_rows(findings: pd.DataFrame) -> list[CheckRow]:
    """Failed checks first (errors, then warnings), each with its details as readable JSON."""
    ordered = findings.sort_values(["passed", "severity", "subject_pl", "check_name"])
    return [
        CheckRow(
            subject=row.subject_pl, name=row.check_label_pl,
            status=STATUS_PL[(bool(row.passed), row.severity)], passed=bool(row.passed),
            severity=row.severity, summary=row.summary_pl, advice=value_or(row.advice_pl, ""),
            details=details_pl(json.loads(row.details))
            if not row.passed and row.details else "",
        )
        for row in ordered.itertuples()
    ]


#: The words of a check's details as the analyst reads them (the checks store them as data).
DETAIL_LABELS_PL = {
    "limit": "granica", "months": "miesiące", "month": "miesiąc", "previous": "poprzednio",
    "active": "aktywnych", "change": "zmiana", "reports": "sprawozdań", "examples": "przykłady",
    "conflicts": "konflikty", "decisions": "decyzji", "idle": "decyzje niezastosowane",
    "entities": "podmiotów", "files": "plików", "file": "plik", "file_name": "plik",
    "rows_read": "wierszy wczytanych", "rows_accepted": "wierszy przyjętych",
    "rows_quarantined": "wierszy w kwarantannie", "rows_in_table": "wierszy w tabeli",
    "unbalanced_files": "pliki z niezgodnymi liczbami", "max_share": "największy udział",
    "share": "udział", "files_over_limit": "pliki ponad granicę",
    "expectations": "oczekiwań", "failed": "niespełnionych", "failures": "niespełnione",
    "expectation_pl": "oczekiwanie", "column": "kolumna", "column_pl": "kolumna",
    "unexpected_count": "niezgodnych wartości",
    "unexpected_examples": "przykłady niezgodnych", "conflict": "konflikt", "key": "klucz",
    "record_id": "wiersz", "other_record_id": "drugi wiersz", "entity_id": "podmiot",
    "other_entity_id": "drugi podmiot", "quarter": "kwartał", "centre_code": "kod OWES",
    "indicator": "wskaźnik", "declared": "w arkuszu wskaźników", "listed": "w arkuszu szczegółów",
}


#: Details kept for the Dagster UI and tests, said in Polish by another key: the report skips them.
UNREAD_DETAILS = frozenset({"expectation", "column"})


def detail_value_pl(value: object) -> str:
    """A value of a check's details in Polish writing: numbers with a decimal comma, lists and
    records spelled out, never as JSON."""
    if isinstance(value, bool):
        return "tak" if value else "nie"
    if isinstance(value, int | float):
        return format_number(value)
    if isinstance(value, dict):
        return ", ".join(f"{DETAIL_LABELS_PL.get(k, k.replace('_', ' '))}: {detail_value_pl(v)}"
                         for k, v in value.items() if k not in UNREAD_DETAILS)
    if isinstance(value, list):
        return "; ".join(detail_value_pl(v) for v in value) or "brak"
    return "brak" if value is None else str(value)


def details_pl(details: dict) -> str:
    """A check's details, one Polish line per item (a list of records: one line per record)."""
    lines = []
    for key, value in details.items():
        label = DETAIL_LABELS_PL.get(key, key.replace("_", " "))
        if isinstance(value, list) and value and isinstance(value[0], dict):
            lines += [f"{label}:"] + [f"  – {detail_value_pl(v)}" for v in value]
        else:
            lines.append(f"{label}: {detail_value_pl(value)}")
    return "\n".join(lines)


def quarantine_groups(summary: pd.DataFrame) -> list[QuarantineGroup]:
    return [
        QuarantineGroup(
            source=value_or(row.source_pl, row.source), file=row.file,
            sheet=value_or(row.sheet, ""), field=row.field, message=row.message,
            rows=format_number(int(row.rows)), lines=value_or(row.lines, ""),
            advice=row.advice_pl,
        )
        for row in summary.itertuples()
    ]


@dataclass(frozen=True)
class EffectRow:
    """What one kind of problem of one register cost, or did not cost, the entity counts."""

    source: str
    reason: str
    rows_removed: str
    values_set_aside: str
    entities_kept: str


def effect_rows(effect: pd.DataFrame) -> list[EffectRow]:
    return [EffectRow(source=value_or(r.source_pl, r.source), reason=r.reason_pl,
                      rows_removed=format_number(int(r.rows_removed)),
                      values_set_aside=format_number(int(r.values_set_aside)),
                      entities_kept=format_number(int(r.entities_kept)))
            for r in effect.itertuples()]


@dataclass(frozen=True)
class ReviewRow:
    """A conflict between identifiers, or an analyst's decision, as the report lists it."""

    label: str
    subject: str
    source_rows: str
    entity_ids: str


def review_rows(review: pd.DataFrame, topic: str) -> list[ReviewRow]:
    if review.empty:
        return []
    rows = review[review["topic"] == topic]
    return [ReviewRow(label=value_or(r.label_pl, r.code), subject=value_or(r.subject, ""),
                      source_rows=value_or(r.source_rows, ""),
                      entity_ids=value_or(r.entity_ids, ""))
            for r in rows.itertuples()]


@dataclass(frozen=True)
class KrsRow:
    """A KRS finding as the report lists it (marts.krs_review)."""

    topic: str
    krs: str
    krs_says: str
    registers_say: str
    source_rows: str


def review_mart(con: duckdb.DuckDBPyConnection, table: str, order: str = "") -> pd.DataFrame:
    """The rows of a mart the report lists, none when the refresh stopped before making it
    (the report of a held-back first refresh, or a warehouse older than the mart)."""
    schema, name = table.split(".")
    if not con.execute("select count(*) from information_schema.tables where table_schema = ? "
                       "and table_name = ?", [schema, name]).fetchall()[0][0]:
        return pd.DataFrame()
    return con.execute(f"select * from {table}" + (f" order by {order}" if order else "")).df()


def krs_rows(con: duckdb.DuckDBPyConnection) -> list[KrsRow]:
    """The KRS findings, those to act on first."""
    review = review_mart(con, "marts.krs_review", order="topic = 'struck_off', topic, krs")
    return [KrsRow(topic=r.topic_pl, krs=r.krs, krs_says=value_or(r.krs_says, ""),
                   registers_say=value_or(r.registers_say, ""),
                   source_rows=value_or(r.source_rows, ""))
            for r in review.itertuples()]


def render_quality_report(con: duckdb.DuckDBPyConnection, *, refreshed_at: datetime,
                          data_as_of: date,
                          region_name_pl: str = DEFAULT_REGION_NAME_PL,
                          revisions: dict | None = None, held_back_of: str | None = None) -> str:
    findings = con.execute("select * from marts.quality_finding").df()
    checks = check_rows(findings)
    status = source_status(con)
    freshness = source_freshness(status)
    groups = quarantine_groups(con.execute("select * from marts.quarantine_summary").df())
    review = review_mart(con, "marts.entity_review")
    return template(TEMPLATE_NAME).render(
        title=f"Raport jakości danych – {region_name_pl}",
        data_as_of=format_date_long(data_as_of),
        refreshed_at=format_datetime_short(refreshed_at),
        checks=checks,
        errors=[c for c in checks if not c.passed and c.severity == "error"],
        warnings=[c for c in checks if not c.passed and c.severity == "warning"],
        freshness=freshness,
        stale=[s for s in freshness if s.is_stale],
        files_total=format_number(len(status)),
        rows_read=format_number(int(status["rows_read"].sum())),
        rows_accepted=format_number(int(status["rows_accepted"].sum())),
        rows_quarantined=format_number(int(status["rows_quarantined"].sum())),
        groups=groups,
        quarantine_file=QUARANTINE_FILE_NAME,
        conflicts=review_rows(review, "conflict"),
        decisions=review_rows(review, "decision"),
        entities_file=ENTITIES_FILE_NAME,
        id_changes_file=ID_CHANGES_FILE_NAME,
        headers=header_notes(con),
        effects=effect_rows(review_mart(con, "marts.quarantine_effect")),
        revisions=revisions,
        held_back_of=held_back_of,
        krs_findings=krs_rows(con),
    )


@dataclass(frozen=True)
class HeaderNote:
    """A header of a file that no mapping reads, as the report lists it."""

    source: str
    file: str
    header: str
    status: str
    warning: bool
    message: str


def header_notes(con: duckdb.DuckDBPyConnection) -> list[HeaderNote]:
    """Unknown headers (warnings first) and columns dropped before landing (marts.header_review)."""
    review = review_mart(con, "marts.header_review")
    return [HeaderNote(source=value_or(r.source_pl, r.source), file=r.file, header=r.header,
                       status=r.status_pl, warning=bool(r.warning), message=r.message_pl)
            for r in review.itertuples()]


def write_quality_report(con: duckdb.DuckDBPyConnection, out_path: Path, *,
                         refreshed_at: datetime, data_as_of: date,
                         region_name_pl: str = DEFAULT_REGION_NAME_PL,
                         revisions: dict | None = None, held_back_of: str | None = None) -> Path:
    """Write the report (rendered in full first, so a failure leaves no half file).

    `revisions` is what changed since the previous release (assets/manifest.py); `held_back_of`
    marks the report of a refresh whose publication was held back, naming the release that
    stays current ("" when there is none yet).
    """
    html = render_quality_report(con, refreshed_at=refreshed_at, data_as_of=data_as_of,
                                 region_name_pl=region_name_pl, revisions=revisions,
                                 held_back_of=held_back_of)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_bytes(html.encode("utf-8"))
    return out_path
