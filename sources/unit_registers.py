"""Registers of the units that integrate people at risk of exclusion: CIS, KIS, ZAZ and WTZ.

No public export of these registers exists; each format is defined from the variables the
voivodes send to GUS about the same units (docs/inputs.md) and described by its mapping file,
so a renamed column in a real export is an edit to `sources/mappings/<table>.yml`. Each file is
read as it comes (encoding, separator, header rows detected); typing and checks are staging's.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sources.mapping import load_mapping
from sources.tables import read_table


def read_cis_register(path: Path) -> pd.DataFrame:
    """Social Integration Centres, format "UW CIS 01": a CSV (UTF-8 with BOM, `;`), whose
    address and contact fields hold line breaks inside quotes."""
    return read_table(path, load_mapping("cis_register"))


def read_kis_register(path: Path) -> pd.DataFrame:
    """Social Integration Clubs from their registration forms: an XLSX, header on row 1,
    dates as date cells or bare Excel serial numbers."""
    return read_table(path, load_mapping("kis_register"))


def read_zaz_register(path: Path) -> pd.DataFrame:
    """Vocational Activity Establishments, format "UW SIZAZ 01": an XLSX with title rows and a
    two-row header, employment with a decimal comma."""
    return read_table(path, load_mapping("zaz_register"))


def read_wtz_register(path: Path) -> pd.DataFrame:
    """Occupational Therapy Workshops: a CSV (CP-1250, `,`, names with commas in quotes)."""
    return read_table(path, load_mapping("wtz_register"))
