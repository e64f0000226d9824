"""The project office's activity log: one XLSX, one sheet per kind of activity.

Sheets (docs/inputs.md): committee (RKRES) meetings, expert support to local governments
(JST), JST that adopted social clauses, contracts and tasks given to PES, "Zakup Prospołeczny"
certificates, study visits, events and their participants. Each is read through its mapping
file in sources/mappings/.

The participants sheet holds personal data (PESEL, names). `pseudonymise_workbook` runs before
the file is landed and rewrites that sheet by an allow-list: the PESEL becomes a keyed
pseudonym with its check status, the columns the readers use are kept, every other column is
dropped (and named). Everything after landing reads only the rewritten copy.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from sources.cells import as_text, written_text
from sources.errors import SourceFileError
from sources.mapping import TableMapping, load_mapping
from sources.pseudonyms import pseudonym
from sources.tables import matching_sheet, read_sheet_rows, read_sheet_table, table_from_rows
from sources.workbooks import save_deterministically

# The landed sheet is read through mappings/participation.yml: write what it expects.
PARTICIPANTS = load_mapping("participation")
PARTICIPANTS_SHEET = PARTICIPANTS.sheet
#: Columns only the landed sheet has: landing writes them in place of the PESEL.
LANDED_ONLY = ("person_key", "pesel_status")
#: The first cell of a landed participants sheet that landing withheld, before the reason.
WITHHELD = "Arkusz wstrzymany przy zapisie:"
PSEUDONYM_COLUMN = PARTICIPANTS.columns["person_key"][0]
PESEL_STATUS_COLUMN = PARTICIPANTS.columns["pesel_status"][0]
PESEL_STATUS = {"valid": "poprawny", "invalid": "niepoprawny", "missing": "brak"}


def read_rkres_meetings(path: Path) -> pd.DataFrame:
    """Meetings of the regional committee (RKRES) with members present by sector."""
    return read_sheet_table(path, load_mapping("rkres_meeting"))


def read_jst_support(path: Path) -> pd.DataFrame:
    """Expert support given to local governments (JST), one row per support given."""
    return read_sheet_table(path, load_mapping("jst_support"))


def read_events(path: Path) -> pd.DataFrame:
    """Events the project held: committee meetings, days of social economy, study visits."""
    return read_sheet_table(path, load_mapping("project_event"))


def read_jst_social_clauses(path: Path) -> pd.DataFrame:
    """Local governments (JST) that adopted social clauses, one row per act adopted."""
    return read_sheet_table(path, load_mapping("jst_social_clause"))


def read_pes_contracts(path: Path) -> pd.DataFrame:
    """Contracts with social clauses and public tasks given to PES: count and value per JST."""
    return read_sheet_table(path, load_mapping("pes_contract"))


def read_prosocial_certificates(path: Path) -> pd.DataFrame:
    """Certificates "Zakup Prospołeczny": entity, date granted, valid until."""
    return read_sheet_table(path, load_mapping("prosocial_certificate"))


def read_study_visits(path: Path) -> pd.DataFrame:
    """Study visits: dates, country, number of participants."""
    return read_sheet_table(path, load_mapping("study_visit"))


def read_participants(path: Path) -> pd.DataFrame:
    """Attendances from a pseudonymised workbook: person pseudonym, never a PESEL."""
    reason = withheld_reason(path)
    if reason:
        raise SourceFileError(path, f"a readable sheet '{PARTICIPANTS_SHEET}'",
                              problem_pl=f"arkusz „{PARTICIPANTS_SHEET}” pominięty: {reason}")
    return read_sheet_table(path, load_mapping("participation"))


def read_unidentified_attendances(path: Path) -> pd.DataFrame:
    """The attendances whose PESEL was missing or invalid: no pseudonym, counted apart.

    They are quarantined from the attendances (by line and reason) and never merged with
    anyone, but the committee still sees how many there were, at which events.
    """
    rows = read_participants(path)
    unidentified = rows[rows["pesel_status"] != PESEL_STATUS["valid"]].reset_index(drop=True)
    unidentified.attrs = dict(rows.attrs)
    return unidentified


@dataclass(frozen=True)
class PseudonymisedSheet:
    """What landing did to the participants sheet: PESEL statuses counted, columns dropped,
    or the sheet withheld whole (and why, in Polish) when it could not be read safely."""

    statuses: dict[str, int]
    sheet: str
    dropped: list[str]
    withheld: str | None = None


def participants_as_sent() -> TableMapping:
    """The participants sheet as the office sends it: the PESEL in place of the pseudonym and
    its status, every other column the landed sheet's. This is the allow-list of landing."""
    kept = {column: aliases for column, aliases in PARTICIPANTS.columns.items()
            if column not in LANDED_ONLY}
    return replace(PARTICIPANTS, columns={**kept, **PARTICIPANTS.personal})


def withheld_reason(path: Path) -> str | None:
    """The reason landing withheld a landed workbook's participants sheet, if it did."""
    rows = read_sheet_rows(path, PARTICIPANTS.sheet_aliases)
    first = as_text(rows[0][0]) if rows and rows[0] else None
    return first.removeprefix(WITHHELD).strip() if first and first.startswith(WITHHELD) else None


def pseudonymise_workbook(
    source: Path, target: Path, key: bytes, pesel_is_valid: Callable[[pd.Series], pd.Series]
) -> PseudonymisedSheet:
    """Write `target`: `source` with the participants sheet cut down to the allow-list.

    Only the columns the readers use survive (`participants_as_sent`), the PESEL replaced by
    its pseudonym and check status; every other column (names under any spelling, phone,
    address) is dropped and named in the result. Each kept row stays on its line, so a
    quarantine line points at the original. A PESEL that fails its check gets no pseudonym
    (it could be a typo of someone else's), only the status `niepoprawny`. A sheet without a
    PESEL column (or without the sheet) is withheld whole: the landed sheet holds only the
    reason, so participants go stale and the other sheets are read as usual.
    """
    try:
        workbook = load_workbook(source)
    except Exception as error:  # openpyxl raises many types for a broken file
        raise SourceFileError(source, "an XLSX workbook", str(error)) from error
    found = matching_sheet(workbook.sheetnames, PARTICIPANTS.sheet_aliases)
    rows = [list(row) for row in workbook[found].iter_rows(values_only=True)] if found else []
    landed = landed_statuses(rows)
    if landed is not None:
        # a landed copy given back as input (an auditor's re-run): already what we land
        shutil.copyfile(source, target)
        return PseudonymisedSheet(landed, found, [])
    try:
        if found is None:
            raise SourceFileError(source, f"a sheet named '{PARTICIPANTS_SHEET}'", problem_pl=(
                f"brak arkusza „{PARTICIPANTS_SHEET}” (arkusze w pliku: "
                f"{', '.join(workbook.sheetnames)}). Co zrobić: nazwij arkusz uczestników "
                f"„{PARTICIPANTS_SHEET}” albo dopisz jego nazwę w pliku mapowania "
                f"{PARTICIPANTS.name}.yml."))
        table = table_from_rows(rows, source, participants_as_sent(), sheet=found)
    except SourceFileError as error:
        return withhold(workbook, found, target, error)
    pesels = written_text(table["pesel"])
    valid = pesel_is_valid(pesels)
    statuses = ["missing" if pd.isna(value) else "valid" if ok else "invalid"
                for value, ok in zip(pesels, valid, strict=True)]
    kept = [column for column in table.columns if column in PARTICIPANTS.columns]
    header_line = int(str(table.attrs["header_row"]).split("-")[-1])
    clean = replaced_sheet(workbook, found)
    for at, title in enumerate([PSEUDONYM_COLUMN, PESEL_STATUS_COLUMN,
                                *(PARTICIPANTS.label(c) for c in kept)], start=1):
        clean.cell(row=header_line, column=at, value=title)
    for line, pesel, status, values in zip(table["_line"], pesels, statuses,
                                           table[kept].itertuples(index=False), strict=True):
        person = pseudonym(key, pesel) if status == "valid" else None
        for at, value in enumerate([person, PESEL_STATUS[status], *values], start=1):
            clean.cell(row=line, column=at, value=value)
    target.parent.mkdir(parents=True, exist_ok=True)
    save_deterministically(workbook, target)
    dropped = [h["header"] for h in table.attrs["headers"] if h["status"] != "used"]
    return PseudonymisedSheet({status: statuses.count(status) for status in PESEL_STATUS},
                              found, dropped)


def replaced_sheet(workbook: Workbook, name: str | None) -> Worksheet:
    """An empty sheet in place of the participants sheet (at its position, official name)."""
    position = len(workbook.sheetnames)
    if name is not None:
        position = workbook.sheetnames.index(name)
        workbook.remove(workbook[name])
    return workbook.create_sheet(PARTICIPANTS_SHEET, position)


def withhold(workbook: Workbook, found: str | None, target: Path,
             error: SourceFileError) -> PseudonymisedSheet:
    """Land the workbook with the participants sheet replaced by the reason it was withheld."""
    reason = error.problem_pl or error.message_pl
    replaced_sheet(workbook, found).append([f"{WITHHELD} {reason}"])
    target.parent.mkdir(parents=True, exist_ok=True)
    save_deterministically(workbook, target)
    return PseudonymisedSheet({status: 0 for status in PESEL_STATUS}, found or PARTICIPANTS_SHEET,
                              [], reason)


def landed_statuses(rows: list[list]) -> dict[str, int] | None:
    """The PESEL status counts of a participants sheet as landing writes it (its header only the
    pseudonym, the status and the allow-listed columns), or None for a sheet as an office sends
    it. An allow-list again: a sheet with any other column is pseudonymised, never passed on."""
    filled = [row for row in rows if any(cell is not None for cell in row)]
    if not filled:
        return None
    header = {as_text(cell) for cell in filled[0] if cell is not None}
    landed = {PARTICIPANTS.label(column) for column in PARTICIPANTS.columns}
    if PSEUDONYM_COLUMN not in header or not header <= landed:
        return None
    at = [as_text(cell) for cell in filled[0]].index(PESEL_STATUS_COLUMN) \
        if PESEL_STATUS_COLUMN in header else None
    written = [as_text(row[at]) for row in filled[1:]] if at is not None else []
    return {status: written.count(word) for status, word in PESEL_STATUS.items()}
