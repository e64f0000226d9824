"""The regional PES catalogue kept by the regional centre: CSV, CP-1250, `;` (docs/inputs.md)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sources.mapping import load_mapping
from sources.tables import read_csv_table


def read_pes_catalogue(path: Path) -> pd.DataFrame:
    """Every catalogue row as text with its line number (columns: mappings/pes_catalogue.yml)."""
    return read_csv_table(path, load_mapping("pes_catalogue"), encoding="cp1250", sep=";")
