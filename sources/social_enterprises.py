"""The register of social enterprises (status PS): XLSX with title rows above the header."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sources.tables import read_sheet_table

SHEET = "Rejestr PS"
COLUMNS = {
    "Nazwa jednostki": "name",
    "Numer decyzji o przyznaniu statusu przedsiębiorstwa społecznego": "decision_number",
    "Data przyznania statusu": "granted_on",
    "Data utraty statusu": "lost_on",
    "Numer KRS": "krs",
    "NIP": "nip",
    "REGON": "regon",
    "Powiat": "powiat_written",
}


def read_social_enterprises(path: Path) -> pd.DataFrame:
    """Every register row with its Excel row number; dates stay as the cell gave them."""
    return read_sheet_table(path, SHEET, COLUMNS)
