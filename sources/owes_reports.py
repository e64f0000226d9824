"""OWES quarterly reports: one XLSX per support centre and quarter (docs/inputs.md)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sources.cells import as_text
from sources.errors import SourceFileError
from sources.tables import read_sheet_rows, table_from_rows

HEADLINE_SHEET = "Wskaźniki"
HEADLINE_COLUMNS = {"Nazwa wskaźnika": "indicator_pl", "Wartość w okresie": "value"}


def read_owes_headline(path: Path) -> pd.DataFrame:
    """The headline indicators of one report, each row stamped with the centre and quarter."""
    rows = read_sheet_rows(path, HEADLINE_SHEET)
    if len(rows) < 3 or len(rows[0]) < 2:
        raise SourceFileError(path, f"centre name, code and quarter in B1:B3 of '{HEADLINE_SHEET}'")
    centre_name, centre_code, quarter = (as_text(rows[i][1]) for i in range(3))
    if not (centre_code and quarter):
        raise SourceFileError(path, f"centre code in B2 and quarter in B3 of '{HEADLINE_SHEET}'")
    table = table_from_rows(rows, path, HEADLINE_SHEET, HEADLINE_COLUMNS)
    return table.assign(centre_name=centre_name, centre_code=centre_code, quarter=quarter)
