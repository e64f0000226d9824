"""`pes-monitor check FILE --source NAME`: a file read and screened as a refresh would, before
the analyst drops it in the inbox, with the pipeline's own readers, rules and messages.

Nothing is written to the warehouse, landing or the key file: the rows go to an in-memory
DuckDB database, and a participants' workbook is pseudonymised into a temporary folder under a
throwaway key (its PESEL checks and dropped columns are those of a real landing).
"""

from __future__ import annotations

import secrets
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from assets.header_audit import record_headers
from assets.landing import INBOX_SOURCES, matches_source
from assets.settings import MonitorSettings
from assets.staging import STAGING_SPECS
from assets.staging.flow import StagingSpec, staged
from assets.warehouse import ensure_audit_tables
from quality.identifiers import pesel_is_valid
from sources.activity_log import pseudonymise_workbook
from sources.errors import SourceFileError

#: The inbox folders `check` knows: those with a staging table (KRS extracts included).
SOURCE_NAMES = list(dict.fromkeys(spec.landing_source for spec in STAGING_SPECS))
CHECK_RUN_ID = "check"


@dataclass
class TableCheck:
    """One staging table's share of the file: rows read, accepted and rejected, and why."""

    label_pl: str
    rows_read: int = 0
    rows_accepted: int = 0
    rows_quarantined: int = 0
    values_set_aside: int = 0
    rejected: pd.DataFrame = field(default_factory=pd.DataFrame)
    unknown_headers: list[str] = field(default_factory=list)
    unreadable: str = ""


@dataclass
class FileCheck:
    """What a refresh would make of the file."""

    file: Path
    source: str
    tables: list[TableCheck]
    notes: list[str] = field(default_factory=list)

    @property
    def refused(self) -> bool:
        """Whether the file, as it is, would leave its source stale or lose rows."""
        return any(t.unreadable or t.rows_quarantined for t in self.tables)


def read_rows(spec: StagingSpec, copy: Path, name: str) -> tuple[pd.DataFrame, dict]:
    """The rows a reader gives for the file, `_file` as the analyst named it, and its notes."""
    if spec.read_many is not None:
        rows = spec.read_many([copy])
        notes = rows.attrs.get(copy.name, {})
    else:
        rows = spec.read(copy)
        notes = dict(rows.attrs)
    rows = rows.assign(_file=name)
    return rows, notes


def check_table(spec: StagingSpec, con: duckdb.DuckDBPyConnection, copy: Path, name: str,
                settings: MonitorSettings) -> TableCheck:
    result = TableCheck(spec.label_pl)
    try:
        raw, notes = read_rows(spec, copy, name)
    except SourceFileError as error:
        result.unreadable = error.renamed(name).message_pl
        return result
    result.unknown_headers = record_headers(con, spec.table, {name: notes}, CHECK_RUN_ID)
    screened = staged(spec, con, f"staging.{spec.table}", raw, settings)
    counts = screened.reconciliation(raw).sum(numeric_only=True)
    result.rows_read = int(counts.get("rows_read", 0))
    result.rows_accepted = int(counts.get("rows_accepted", 0))
    result.rows_quarantined = int(counts.get("rows_quarantined", 0))
    result.values_set_aside = int(counts.get("values_set_aside", 0))
    result.rejected = screened.rejected.sort_values("line", kind="stable")
    return result


def check_file(file: Path, source: str, settings: MonitorSettings) -> FileCheck:
    """Read and screen `file` as the inbox folder `source` is read, writing nothing kept."""
    inbox_source = next((s for s in INBOX_SOURCES if s.name == source), None)
    notes = []
    if inbox_source is not None and not matches_source(file, inbox_source):
        notes.append(f"uwaga: w folderze „{source}” odświeżenie czyta tylko pliki "
                     f"{', '.join(inbox_source.patterns)}; ten plik zostałby pominięty.")
    with tempfile.TemporaryDirectory(prefix="pes-check-") as work:
        copy = Path(work) / file.name
        if inbox_source is not None and inbox_source.personal_data:
            try:
                pseudonymise_workbook(file, copy, secrets.token_bytes(32), pesel_is_valid)
            except SourceFileError as error:
                return FileCheck(file, source, [TableCheck(
                    inbox_source.description, unreadable=error.renamed(file.name).message_pl)],
                    notes)
        else:
            copy.write_bytes(file.read_bytes())
        with duckdb.connect() as con:
            ensure_audit_tables(con)
            tables = [check_table(spec, con, copy, file.name, settings)
                      for spec in STAGING_SPECS if spec.landing_source == source]
    return FileCheck(file, source, tables, notes)
