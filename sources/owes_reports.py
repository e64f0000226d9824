"""OWES quarterly reports: one XLSX per support centre and quarter (docs/owes_template.md).

A report has a headline sheet (`Wskaźniki`: the centre in B1:B2, the quarter in B3, then one
row per indicator) and two detail sheets: the entities supported and the jobs created. Each
table is read through its mapping file (sources/mappings/owes_*.yml), so a template change (a
renamed column or sheet) is an edit there. Every row is stamped with the report's centre and
quarter; sheets that no mapping reads (an earlier template's extra sheet) are listed in the
headline frame's `attrs`, as unused columns are, so a new sheet in a template is noticed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from sources.cells import as_text
from sources.errors import SourceFileError
from sources.mapping import TableMapping, fold_header, load_mapping
from sources.tables import WORKBOOK_ERRORS, read_sheet_table, sheet_rows

HEADLINE = "owes_indicator"
SUPPORTED = "owes_supported_entity"
JOBS = "owes_job"
TABLES = (HEADLINE, SUPPORTED, JOBS)
#: The report's name says whose and which quarter it is: `owes_OWES-1_2024Q3.xlsx`.
REPORT_NAME = re.compile(r"owes_(?P<centre>.+)_(?P<year>\d{4})Q(?P<quarter>[1-4])\.xlsx",
                         re.IGNORECASE)
#: Captions of B1:B3 on the headline sheet, as the template writes them.
HEADER_CAPTIONS = ("Nazwa OWES", "Kod OWES", "Okres")
HEADER_ROW = 5
#: Rows of a detail sheet that offer the drop-down lists in the blank template.
TEMPLATE_ROWS = 1000
BOLD = Font(bold=True)


@dataclass(frozen=True)
class ReportHeader:
    """Whose report it is and for which quarter, from B1:B3 of the headline sheet."""

    centre_name: str | None
    centre_code: str
    quarter: str


def _sheet_names(mapping: TableMapping) -> list[str]:
    return list(mapping.sheet_aliases or [mapping.sheet])


def read_report_header(path: Path) -> ReportHeader:
    """B1 (centre name), B2 (centre code) and B3 (quarter as RRRR-Qn) of the headline sheet.

    Each of a report's three tables needs it: it is read once per file version (landed copies
    never change; the modification time and size tell a rewritten file apart).
    """
    try:
        status = path.stat()
    except OSError as error:
        raise SourceFileError(path, "a readable file", str(error)) from error
    return _report_header(path, status.st_mtime_ns, status.st_size)


@cache
def _report_header(path: Path, modified_ns: int, size: int) -> ReportHeader:
    mapping = load_mapping(HEADLINE)
    found, rows = sheet_rows(path, _sheet_names(mapping))
    cells = [as_text(row[1]) if len(row) > 1 else None for row in rows[:3]]
    cells += [None] * (3 - len(cells))
    centre_name, centre_code, quarter = cells
    if not (centre_code and quarter):
        raise SourceFileError(path, f"the centre's code in B2 and the quarter (RRRR-Qn) in B3 of "
                              f"sheet '{found}'")
    return ReportHeader(centre_name, centre_code, quarter)


def unread_sheets(path: Path) -> list[str]:
    """Sheets of the workbook that no OWES mapping reads (e.g. an earlier template's extra)."""
    try:
        workbook = load_workbook(path, read_only=True)
    except WORKBOOK_ERRORS as error:
        raise SourceFileError(path, "an XLSX workbook", str(error)) from error
    try:
        names = list(workbook.sheetnames)
    finally:
        workbook.close()
    known = {fold_header(n) for table in TABLES for n in _sheet_names(load_mapping(table))}
    return [name for name in names if fold_header(name) not in known]


def _report_table(path: Path, table: str) -> pd.DataFrame:
    """One table of a report, each row stamped with the report's centre and quarter."""
    header = read_report_header(path)
    frame = read_sheet_table(path, load_mapping(table))
    stamped = frame.assign(centre_name=header.centre_name, centre_code=header.centre_code,
                           quarter=header.quarter)
    stamped.attrs = dict(frame.attrs)
    return stamped


def read_owes_headline(path: Path) -> pd.DataFrame:
    """The headline indicators of one report; `attrs` names the sheets no mapping reads."""
    frame = _report_table(path, HEADLINE)
    frame.attrs["unread_sheets"] = unread_sheets(path)
    return frame


def read_owes_supported_entities(path: Path) -> pd.DataFrame:
    """The entities the centre supported in the quarter, with their KRS and NIP as written."""
    return _report_table(path, SUPPORTED)


def read_owes_jobs(path: Path) -> pd.DataFrame:
    """The jobs created in social enterprises: entity, start date, contract, at-risk group."""
    return _report_table(path, JOBS)


def report_name_parts(names: pd.Series) -> pd.DataFrame:
    """Centre code and quarter (`RRRR-Qn`) a report's file name states; missing if it does not."""
    parts = names.astype("string").str.extract(f"^{REPORT_NAME.pattern}$", flags=re.IGNORECASE)
    return pd.DataFrame({"centre_code": parts["centre"],
                         "quarter": parts["year"] + "-Q" + parts["quarter"]}, index=names.index)


def write_blank_template(path: Path) -> Path:
    """The blank report an OWES fills in: sheets and headers from the mapping files.

    Built from the mappings (the first alias of each column is the current header), so the
    template, the reader and docs/owes_template.md cannot drift apart; the lists of allowed
    values come from the mappings' lookups and are offered as drop-downs.
    """
    workbook = Workbook()
    workbook.remove(workbook.active)
    _headline_sheet(workbook, load_mapping(HEADLINE))
    for table in (SUPPORTED, JOBS):
        _detail_sheet(workbook, load_mapping(table))
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


def _headline_sheet(workbook: Workbook, mapping: TableMapping) -> None:
    """B1:B3 to fill in, then the indicators' table with its official names."""
    sheet = workbook.create_sheet(mapping.sheet)
    for row, caption in enumerate(HEADER_CAPTIONS, start=1):
        sheet.cell(row=row, column=1, value=caption).font = BOLD
    sheet.cell(row=3, column=3, value="(RRRR-Qn, np. 2024-Q3)")
    for column, caption in enumerate(["Lp.", *(a[0] for a in mapping.columns.values())], 1):
        sheet.cell(row=HEADER_ROW, column=column, value=caption).font = BOLD
    for number, name in enumerate(official_forms(mapping, "indicator"), start=1):
        sheet.append([number, name, None])
    sheet.column_dimensions["B"].width = 70
    sheet.column_dimensions["C"].width = 20


def _detail_sheet(workbook: Workbook, mapping: TableMapping) -> None:
    """A header on row 1; a column with a lookup offers its official values as a drop-down."""
    sheet = workbook.create_sheet(mapping.sheet)
    sheet.append(["Lp.", *(aliases[0] for aliases in mapping.columns.values())])
    for cell in sheet[1]:
        cell.font = BOLD
    for column, english in enumerate(mapping.columns, start=2):
        letter = sheet.cell(row=1, column=column).column_letter
        sheet.column_dimensions[letter].width = 30
        lookup = english.removesuffix("_pl")
        if english.endswith("_pl") and f"{lookup}_label" in mapping.lookups:
            allowed = ",".join(official_forms(mapping, lookup))
            validation = DataValidation(type="list", formula1=f'"{allowed}"', allow_blank=True)
            validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS}")
            sheet.add_data_validation(validation)


def official_forms(mapping: TableMapping, lookup: str) -> list[str]:
    """The official wording of each code of a lookup, from its `<lookup>_label` table.

    The lookup's own keys are folded (lower case) for matching; the label table keeps the
    wording as the template prints it.
    """
    return list(mapping.lookups[f"{lookup}_label"].values())
