"""The National Register of Rural Housewives' Circles (Krajowy Rejestr Kół Gospodyń Wiejskich,
KRKGW), kept by ARiMR under the Act of 9 November 2018 on rural housewives' circles.

No published export of the register was found: the format (docs/inputs.md, `kgw_register/`) takes
the field names of ARiMR's application form for an entry where they are known and defines the
rest from what the Act says an entry holds; sources/mappings/kgw_register.yml describes it, so a
real extract's headers are an edit there. A circle has NIP and REGON and no KRS number.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sources.mapping import load_mapping
from sources.tables import read_table


def read_kgw_register(path: Path) -> pd.DataFrame:
    """The register's extract as an office saves it: an XLSX with a title, `Stan na` and an
    empty row above the header (or a CSV of the same columns); read as it comes, typing and
    checks are staging's."""
    return read_table(path, load_mapping("kgw_register"))
