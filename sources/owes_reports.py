"""OWES quarterly reports: one XLSX per support centre and quarter (docs/inputs.md)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sources.cells import as_text
from sources.errors import SourceFileError
from sources.mapping import load_mapping
from sources.tables import read_sheet_rows, table_from_rows


def read_owes_headline(path: Path) -> pd.DataFrame:
    """The headline indicators of one report, each row stamped with the centre and quarter."""
    mapping = load_mapping("owes_indicator")
    rows = read_sheet_rows(path, mapping.sheet)
    if len(rows) < 3 or any(len(row) < 2 for row in rows[:3]):
        raise SourceFileError(path, f"centre name, code and quarter in B1:B3 of '{mapping.sheet}'")
    centre_name, centre_code, quarter = (as_text(rows[i][1]) for i in range(3))
    if not (centre_code and quarter):
        raise SourceFileError(path, f"centre code in B2 and quarter in B3 of '{mapping.sheet}'")
    table = table_from_rows(rows, path, mapping)
    return table.assign(centre_name=centre_name, centre_code=centre_code, quarter=quarter)
