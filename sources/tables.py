"""Reading a table out of a CSV or an XLSX sheet, with each row's place in the file.

Offices put title rows above the header and rename columns between exports, so the header is
found by its columns, and a missing column stops the read with the file and the column named.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from sources.cells import as_text
from sources.errors import SourceFileError
from sources.mapping import TableMapping, fold_header

HEADER_SEARCH_ROWS = 20


def read_csv_table(path: Path, mapping: TableMapping, *, encoding: str, sep: str) -> pd.DataFrame:
    """Rows of a CSV as text; `_line` is the line number in the file (header = line 1)."""
    try:
        frame = pd.read_csv(path, sep=sep, encoding=encoding, dtype=str, keep_default_na=False)
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise SourceFileError(path, f"a CSV file ({encoding}, '{sep}')", str(error)) from error
    frame = frame.apply(lambda column: column.str.strip()).replace("", None)
    frame["_file"] = path.name
    frame["_sheet"] = None
    frame["_line"] = frame.index + 2
    return mapping.select(frame, path)


def read_sheet_rows(path: Path, sheet: str) -> list[tuple]:
    """All rows of one sheet as tuples of cell values."""
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (OSError, InvalidFileException, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise SourceFileError(path, "an XLSX workbook", str(error)) from error
    try:
        if sheet not in workbook.sheetnames:
            raise SourceFileError(path, f"a sheet named '{sheet}'", f"found {workbook.sheetnames}")
        return [tuple(row) for row in workbook[sheet].iter_rows(values_only=True)]
    finally:
        workbook.close()


def read_sheet_table(path: Path, mapping: TableMapping) -> pd.DataFrame:
    """Rows of the table on the mapping's sheet whose header holds the first mapped column."""
    return table_from_rows(read_sheet_rows(path, mapping.sheet), path, mapping)


def table_from_rows(rows: list[tuple], path: Path, mapping: TableMapping) -> pd.DataFrame:
    """The table below the first row (of the top 20) that holds the first mapped column.

    Cells keep their Python type (an Excel date stays a datetime) except text, which is
    trimmed; `_line` is the Excel row number.
    """
    marker = mapping.header_marker()
    header_index = next(
        (i for i, row in enumerate(rows[:HEADER_SEARCH_ROWS])
         if marker & {fold_header(as_text(cell)) for cell in row if as_text(cell)}),
        None,
    )
    if header_index is None:
        raise SourceFileError(path, f"a header row with one of {sorted(marker)} on sheet "
                              f"'{mapping.sheet}'")
    header = [as_text(cell) or f"_unnamed_{i}" for i, cell in enumerate(rows[header_index])]
    body = [
        (header_index + 2 + offset, row)
        for offset, row in enumerate(rows[header_index + 1:])
        if any(as_text(cell) is not None for cell in row)
    ]
    frame = pd.DataFrame([row for _, row in body], columns=header, dtype=object)
    frame = frame.map(lambda cell: as_text(cell) if isinstance(cell, str) else cell)
    frame["_file"] = path.name
    frame["_sheet"] = mapping.sheet
    frame["_line"] = [line for line, _ in body]
    return mapping.select(frame, path)
