"""OWES quarterly reports: one XLSX per support centre and quarter (docs/owes_template.md).

A report has a headline sheet (`Wskaźniki`: the centre in B1:B2, the quarter in B3, then one
row per indicator) and two detail sheets: the entities supported and the jobs created. Each
table is read through its mapping file (sources/mappings/owes_*.yml), so a template change (a
renamed column or sheet, the centre and quarter moved to other cells) is an edit there. Every
row is stamped with the report's centre and quarter (the headline mapping's `cells`); sheets
that no mapping reads (an earlier template's extra sheet) are listed in the headline frame's
`attrs`, as unused columns are, so a new sheet in a template is noticed.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from sources.errors import SourceFileError
from sources.mapping import TableMapping, fold_header, load_mapping
from sources.tables import WORKBOOK_ERRORS, read_cells, read_sheet_table

HEADLINE = "owes_indicator"
SUPPORTED = "owes_supported_entity"
JOBS = "owes_job"
TABLES = (HEADLINE, SUPPORTED, JOBS)
#: The report's name says whose and which quarter it is: `owes_OWES-1_2024Q3.xlsx`.
REPORT_NAME = re.compile(r"owes_(?P<centre>.+)_(?P<year>\d{4})Q(?P<quarter>[1-4])\.xlsx",
                         re.IGNORECASE)
#: Rows of a detail sheet that offer the drop-down lists in the blank template.
TEMPLATE_ROWS = 1000
BOLD = Font(bold=True)


def _sheet_names(mapping: TableMapping) -> list[str]:
    return list(mapping.sheet_aliases or [mapping.sheet])


def report_cells(path: Path) -> dict[str, str | None]:
    """Whose report it is and for which quarter: the cells the headline mapping names (the
    centre's name, code and quarter as RRRR-Qn in B1:B3 of the current template)."""
    return read_cells(path, load_mapping(HEADLINE))


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
    cells = report_cells(path)
    frame = read_sheet_table(path, load_mapping(table))
    stamped = frame.assign(**cells)
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
    """The mapping's cells to fill in (each captioned to its left, with its hint to its right),
    then the indicators' table with its official names, its header on the mapping's row."""
    sheet = workbook.create_sheet(mapping.sheet)
    for cell in mapping.cells.values():
        if cell.caption and cell.column > 1:
            sheet.cell(row=cell.row, column=cell.column - 1, value=cell.caption).font = BOLD
        if cell.note:
            sheet.cell(row=cell.row, column=cell.column + 1, value=cell.note)
    _header(sheet, mapping)
    for number, name in enumerate(official_forms(mapping, "indicator"), start=1):
        sheet.append([number, name, None])
    sheet.column_dimensions["B"].width = 70
    sheet.column_dimensions["C"].width = 20


def _header(sheet: Worksheet, mapping: TableMapping) -> None:
    """`Lp.` and the current header of each mapped column, in bold on the mapping's row."""
    for column, caption in enumerate(["Lp.", *(a[0] for a in mapping.columns.values())], 1):
        sheet.cell(row=mapping.header_row, column=column, value=caption).font = BOLD


def _detail_sheet(workbook: Workbook, mapping: TableMapping) -> None:
    """A header on the mapping's row; a column with a lookup offers its official values as a
    drop-down below it."""
    sheet = workbook.create_sheet(mapping.sheet)
    _header(sheet, mapping)
    for column, english in enumerate(mapping.columns, start=2):
        letter = sheet.cell(row=mapping.header_row, column=column).column_letter
        sheet.column_dimensions[letter].width = 30
        lookup = english.removesuffix("_pl")
        if english.endswith("_pl") and f"{lookup}_label" in mapping.lookups:
            allowed = ",".join(official_forms(mapping, lookup))
            validation = DataValidation(type="list", formula1=f'"{allowed}"', allow_blank=True)
            validation.add(f"{letter}{mapping.header_row + 1}:{letter}{TEMPLATE_ROWS}")
            sheet.add_data_validation(validation)


def official_forms(mapping: TableMapping, lookup: str) -> list[str]:
    """The official wording of each code of a lookup, from its `<lookup>_label` table.

    The lookup's own keys are folded (lower case) for matching; the label table keeps the
    wording as the template prints it.
    """
    return list(mapping.lookups[f"{lookup}_label"].values())
