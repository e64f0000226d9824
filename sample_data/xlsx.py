"""Saving workbooks byte for byte the same on every run.

openpyxl stamps the save time twice: in the document properties (`save_workbook` overwrites
`modified` with the current time) and on every member of the zip archive. Both would make the
same seed give different files, and a pipeline that hashes its inputs would see a change where
there is none. So the workbook is written through openpyxl's `ExcelWriter` (the same writer
`Workbook.save` uses) into a zip archive whose members all carry one fixed time.
"""

from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

#: The number format of date cells, as Polish offices show dates.
DATE_FORMAT = "DD.MM.YYYY"


def titled_sheet(sheet_title: str, title: str, as_of: date,
                 width: int) -> tuple[Workbook, Worksheet]:
    """A workbook of one sheet as a register's office saves it: the title on row 1 and
    `Stan na dd.mm.yyyy` on row 2, each merged across the table's `width` columns."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    last = sheet.cell(row=1, column=width).column_letter
    sheet["A1"] = title
    sheet["A2"] = f"Stan na {as_of.strftime('%d.%m.%Y')}"
    sheet.merge_cells(f"A1:{last}1")
    sheet.merge_cells(f"A2:{last}2")
    return workbook, sheet


class _FixedTimeZip(ZipFile):
    """A zip archive that dates every member it writes at one fixed time."""

    def __init__(self, path: Path, stamp: datetime) -> None:
        super().__init__(path, "w", ZIP_DEFLATED)
        self._date_time = stamp.timetuple()[:6]

    def write(self, filename: str, arcname: str | None = None, compress_type: int | None = None,
              compresslevel: int | None = None) -> None:
        with open(filename, "rb") as handle:
            self.writestr(arcname or Path(filename).name, handle.read())

    def writestr(self, zinfo_or_arcname: str | ZipInfo, data: bytes | str,
                 compress_type: int | None = None, compresslevel: int | None = None) -> None:
        if isinstance(zinfo_or_arcname, str):
            info = ZipInfo(zinfo_or_arcname, date_time=self._date_time)
            info.compress_type = ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            zinfo_or_arcname = info
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)


def save_stamped(workbook: Workbook, path: Path, stamp: datetime) -> None:
    """Saves `workbook` to `path` with `stamp` as creation, modification and archive time."""
    workbook.properties.created = stamp
    workbook.properties.modified = stamp
    workbook.properties.creator = "PES Monitor sample_data"
    path.parent.mkdir(parents=True, exist_ok=True)
    ExcelWriter(workbook, _FixedTimeZip(path, stamp)).save()


def save_stamp(as_of: date) -> datetime:
    """The fixed save time of every workbook of a sample: 08:00 on the as-of day."""
    return datetime(as_of.year, as_of.month, as_of.day, 8, 0, 0)


def set_date_format(cells: Iterable[Cell]) -> None:
    """Shows date cells as `dd.mm.yyyy` (openpyxl's default would be ISO)."""
    for cell in cells:
        cell.number_format = DATE_FORMAT
