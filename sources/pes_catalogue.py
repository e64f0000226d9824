"""The regional PES catalogue kept by the regional centre: a CSV (docs/inputs.md).

Exported as CP-1250 with `;` by the centre's spreadsheet, but the encoding and separator are
read from the content, so a re-save in UTF-8 or with `,` reads the same; a workbook saved
from Excel (XLSX) is read from its sheet.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sources.mapping import load_mapping
from sources.tables import read_table


def read_pes_catalogue(path: Path) -> pd.DataFrame:
    """Every catalogue row as text with its line number (columns: mappings/pes_catalogue.yml)."""
    return read_table(path, load_mapping("pes_catalogue"))
