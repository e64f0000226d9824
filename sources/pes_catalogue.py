"""The regional PES catalogue kept by the regional centre: CSV, CP-1250, `;` (docs/inputs.md)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sources.tables import read_csv_table

COLUMNS = {
    "Nazwa podmiotu": "name",
    "Typ PES": "entity_type_pl",
    "Numer KRS": "krs",
    "KRS podmiotu prowadzącego": "founder_krs",
    "NIP": "nip",
    "REGON": "regon",
    "Powiat": "powiat_written",
    "Gmina": "gmina_written",
    "Miejscowość": "town",
    "Data rozpoczęcia działalności": "started_on",
    "Data zakończenia działalności": "ended_on",
}


def read_pes_catalogue(path: Path) -> pd.DataFrame:
    """Every catalogue row as text with its line number."""
    return read_csv_table(path, COLUMNS, encoding="cp1250", sep=";")
