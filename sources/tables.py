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

HEADER_SEARCH_ROWS = 20


def rename_columns(frame: pd.DataFrame, columns: dict[str, str], path: Path) -> pd.DataFrame:
    """Keep the mapped columns under their English names, plus the provenance columns."""
    found = {str(c).strip(): c for c in frame.columns}
    missing = [name for name in columns if name not in found]
    if missing:
        raise SourceFileError(path, f"columns {missing}", f"found {list(found)}")
    renamed = frame.rename(columns={found[name]: english for name, english in columns.items()})
    provenance = [c for c in ("_file", "_sheet", "_line") if c in renamed.columns]
    return renamed[[*columns.values(), *provenance]]


def read_csv_table(path: Path, columns: dict[str, str], *, encoding: str, sep: str) -> pd.DataFrame:
    """Rows of a CSV as text; `_line` is the line number in the file (header = line 1)."""
    try:
        frame = pd.read_csv(path, sep=sep, encoding=encoding, dtype=str, keep_default_na=False)
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise SourceFileError(path, f"a CSV file ({encoding}, '{sep}')", str(error)) from error
    frame = frame.apply(lambda column: column.str.strip()).replace("", None)
    frame["_file"] = path.name
    frame["_sheet"] = None
    frame["_line"] = frame.index + 2
    return rename_columns(frame, columns, path)


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


def read_sheet_table(path: Path, sheet: str, columns: dict[str, str]) -> pd.DataFrame:
    """Rows of the table on `sheet` whose header holds the first mapped column."""
    return table_from_rows(read_sheet_rows(path, sheet), path, sheet, columns)


def table_from_rows(
    rows: list[tuple], path: Path, sheet: str, columns: dict[str, str]
) -> pd.DataFrame:
    """The table below the first row (of the top 20) that holds the first mapped column.

    Cells keep their Python type (an Excel date stays a datetime) except text, which is
    trimmed; `_line` is the Excel row number.
    """
    marker = next(iter(columns))
    header_index = next(
        (i for i, row in enumerate(rows[:HEADER_SEARCH_ROWS])
         if marker in {as_text(cell) for cell in row}),
        None,
    )
    if header_index is None:
        raise SourceFileError(path, f"a header row with '{marker}' on sheet '{sheet}'")
    header = [as_text(cell) or f"_unnamed_{i}" for i, cell in enumerate(rows[header_index])]
    body = [
        (header_index + 2 + offset, row)
        for offset, row in enumerate(rows[header_index + 1:])
        if any(as_text(cell) is not None for cell in row)
    ]
    frame = pd.DataFrame([row for _, row in body], columns=header, dtype=object)
    frame = frame.map(lambda cell: as_text(cell) if isinstance(cell, str) else cell)
    frame["_file"] = path.name
    frame["_sheet"] = sheet
    frame["_line"] = [line for line, _ in body]
    return rename_columns(frame, columns, path)
