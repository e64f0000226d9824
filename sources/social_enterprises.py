"""The register of social enterprises (status PS): XLSX with title rows above the header."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sources.mapping import load_mapping
from sources.tables import read_table


def read_social_enterprises(path: Path) -> pd.DataFrame:
    """Every register row with its Excel row number; dates stay as the cell gave them."""
    return read_table(path, load_mapping("social_enterprise"))
