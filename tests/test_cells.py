"""Typed cells beside the text written in them, as staging writes them to the warehouse.

A workbook column keeps each cell's Python type, so one date column may hold an Excel serial
(an int), a date cell (a datetime) and empty cells at once; staging must still write it.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import duckdb
import pandas as pd
from openpyxl import Workbook

from assets.staging.flow import staged
from assets.staging.registers import register_specs
from sources.cells import with_parsed_numbers
from tests.register_staging import settings

kis_register_spec = next(s for s in register_specs if s.table == "kis_register")
KIS_HEADER = ["Nazwa pełna klubu", "Miejscowość", "Gmina", "Data rozpoczęcia działalności",
              "Data zakończenia działalności", "Nazwa pełna podmiotu prowadzącego"]
KIS_ROWS = [
    # row 2: ended on Excel serial 43132, days after 1899-12-30: 2 days to 1900-01-01, then
    # 118 years of 365 days and 29 leap days (1904..2016; 1900 is none) = 43099 days to
    # 2018-01-01, then 31 days of January: 2 + 43099 + 31 = 43132, so 2018-02-01
    ["KIS Dywity", "Dywity", "Dywity", "01.03.2017", 43132, "Gmina Dywity"],
    # row 3: ended on a date cell
    ["KIS Purda", "Purda", "Purda", "01.03.2019", datetime(2020, 6, 30), "Gmina Purda"],
    # rows 4-5: still running, the end date left empty
    ["KIS Dywity 2", "Dywity", "Dywity", "01.03.2020", None, "Gmina Dywity"],
    ["KIS Purda 2", "Purda", "Purda", "01.04.2020", None, "Gmina Purda"],
]


def kis_workbook(path: Path) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Wykaz KIS"
    for row in [KIS_HEADER, *KIS_ROWS]:
        sheet.append(row)
    workbook.save(path)
    return path


def test_a_date_column_of_serials_date_cells_and_blanks_is_staged(tmp_path: Path) -> None:
    path = kis_workbook(tmp_path / "wykaz_kis_2026-10-31.xlsx")
    with duckdb.connect(str(tmp_path / "warehouse.duckdb")) as con:
        screened = staged(kis_register_spec, con, "staging.kis_register",
                          kis_register_spec.read(path), settings())
        assert screened.rejected.empty
        rows = con.execute("select source_line, ended_on, ended_on_text "
                           "from staging.kis_register order by source_line").fetchall()
    assert rows == [(2, date(2018, 2, 1), "43132"),
                    (3, date(2020, 6, 30), "2020-06-30"),
                    (4, None, None),
                    (5, None, None)]


def test_the_written_text_of_numbers_is_text() -> None:
    written = pd.Series([7, 7.25, 12.0, "1 234,5", None], dtype=object)
    typed = with_parsed_numbers(pd.DataFrame({"jobs": written}), "jobs")
    assert typed["jobs_text"].tolist() == ["7", "7.25", "12", "1 234,5", pd.NA]
    assert typed["jobs"].tolist()[:4] == [7.0, 7.25, 12.0, 1234.5]


def test_a_column_no_rule_reads_is_written_as_the_text_in_its_cells(tmp_path: Path) -> None:
    """The founder's name is read by no rule: one typed as a number (row 2) beside one Excel
    took for a date (row 3: `1.05` typed in a cell, stored as the 1st of May) and two left
    empty (rows 4-5) has no SQL type in common; it is kept as the text of each cell."""
    rows = [row[:5] + [founder] for row, founder in zip(
        KIS_ROWS, [1944, datetime(2026, 5, 1), None, None], strict=True)]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Wykaz KIS"
    for row in [KIS_HEADER, *rows]:
        sheet.append(row)
    path = tmp_path / "wykaz_kis_2026-10-31.xlsx"
    workbook.save(path)
    with duckdb.connect(str(tmp_path / "warehouse.duckdb")) as con:
        staged(kis_register_spec, con, "staging.kis_register", kis_register_spec.read(path),
               settings())
        founders = con.execute("select founder_name from staging.kis_register "
                               "order by source_line").fetchall()
        kind = con.execute("select data_type from information_schema.columns where "
                           "table_name = 'kis_register' and column_name = 'founder_name'"
                           ).fetchall()
    assert founders == [("1944",), ("2026-05-01",), (None,), (None,)]
    assert kind == [("VARCHAR",)]
