"""The project office's activity log: one XLSX, one sheet per kind of activity.

Sheets (docs/inputs.md): committee (RKRES) meetings, expert support to local governments
(JST), JST that adopted social clauses, contracts and tasks given to PES, "Zakup Prospołeczny"
certificates, study visits, events and their participants. Each is read through its mapping
file in sources/mappings/.

The participants sheet holds personal data (PESEL, names). `pseudonymise_workbook` runs before
the file is landed and rewrites that sheet: the PESEL becomes a keyed pseudonym with its check
status, the names are dropped. Everything after landing reads only the rewritten copy.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook

from sources.cells import as_text
from sources.errors import SourceFileError
from sources.mapping import load_mapping
from sources.pseudonyms import pseudonym
from sources.tables import read_sheet_table
from sources.workbooks import save_deterministically

# The landed sheet is read through mappings/participation.yml: write what it expects.
PARTICIPANTS = load_mapping("participation")
PARTICIPANTS_SHEET = PARTICIPANTS.sheet
PESEL_COLUMN = "PESEL"
NAME_COLUMNS = ("Imię", "Nazwisko")
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


def pseudonymise_workbook(
    source: Path, target: Path, key: bytes, pesel_is_valid: Callable[[pd.Series], pd.Series]
) -> dict[str, int]:
    """Write `target`: `source` with the participants' PESEL replaced and their names dropped.

    A PESEL that fails its check gets no pseudonym (it could be a typo of someone else's), only
    the status `niepoprawny`; counts of each status are returned for the run's metadata.
    """
    try:
        workbook = load_workbook(source)
    except Exception as error:  # openpyxl raises many types for a broken file
        raise SourceFileError(source, "an XLSX workbook", str(error)) from error
    if PARTICIPANTS_SHEET not in workbook.sheetnames:
        raise SourceFileError(source, f"a sheet named '{PARTICIPANTS_SHEET}'")
    sheet = workbook[PARTICIPANTS_SHEET]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    header = [as_text(cell) for cell in rows[0]] if rows else []
    if is_pseudonymised(header):
        # a landed copy given back as input (an auditor's re-run): already what we land
        shutil.copyfile(source, target)
        return {}
    if PESEL_COLUMN not in header:
        raise SourceFileError(source, f"a '{PESEL_COLUMN}' column on sheet '{PARTICIPANTS_SHEET}'")
    pesel_at = header.index(PESEL_COLUMN)
    pesels = pd.Series([as_text(row[pesel_at]) for row in rows[1:]], dtype="string")
    valid = pesel_is_valid(pesels)
    statuses = [
        "missing" if pd.isna(value) else "valid" if ok else "invalid"
        for value, ok in zip(pesels, valid, strict=True)
    ]
    keep = [i for i, name in enumerate(header) if name not in (PESEL_COLUMN, *NAME_COLUMNS)]
    rewritten = [[PSEUDONYM_COLUMN, PESEL_STATUS_COLUMN, *(header[i] for i in keep)]]
    for row, pesel, status in zip(rows[1:], pesels, statuses, strict=True):
        person = pseudonym(key, pesel) if status == "valid" else None
        rewritten.append([person, PESEL_STATUS[status], *(row[i] for i in keep)])
    position = workbook.sheetnames.index(PARTICIPANTS_SHEET)
    workbook.remove(sheet)
    clean = workbook.create_sheet(PARTICIPANTS_SHEET, position)
    for row in rewritten:
        clean.append(row)
    target.parent.mkdir(parents=True, exist_ok=True)
    save_deterministically(workbook, target)
    return {status: statuses.count(status) for status in PESEL_STATUS}


def is_pseudonymised(header: list[str | None]) -> bool:
    """Whether a participants sheet is as landing writes it: pseudonyms, no PESEL, no names."""
    return PSEUDONYM_COLUMN in header and not {PESEL_COLUMN, *NAME_COLUMNS} & set(header)
