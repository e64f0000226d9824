"""Reusable row rules: identifiers with bad check digits, missing values, unreadable dates.

Each returns a RowRule over normalised columns; a missing optional value passes, because
absence is not an error where a register leaves the field empty.
"""

from __future__ import annotations

import pandas as pd

from quality.identifiers import nip_is_valid, regon_is_valid
from quality.quarantine import RowRule


def required(field: str, label: str) -> RowRule:
    return RowRule(field, "missing_value", f"Brak wymaganej wartości: {label}.",
                   lambda f: f[field].isna())


def valid_nip(field: str = "nip") -> RowRule:
    return RowRule(field, "invalid_nip", "NIP ma błędną długość lub cyfrę kontrolną.",
                   lambda f: f[field].notna() & ~nip_is_valid(f[field]))


def valid_regon(field: str = "regon") -> RowRule:
    return RowRule(field, "invalid_regon", "REGON ma błędną długość lub cyfrę kontrolną.",
                   lambda f: f[field].notna() & ~regon_is_valid(f[field]))


def valid_krs(field: str = "krs") -> RowRule:
    return RowRule(field, "invalid_krs", "Numer KRS nie składa się z najwyżej 10 cyfr.",
                   lambda f: f[field].notna() & ~f[field].astype("string")
                   .str.fullmatch(r"\d{10}").fillna(False).astype(bool))


def readable_date(raw_field: str, parsed_field: str, label: str) -> RowRule:
    """A date that was written but could not be read as dd.mm.yyyy, ISO or an Excel serial."""
    return RowRule(raw_field, "invalid_date",
                   f"Nieczytelna data w polu {label} (oczekiwano dd.mm.rrrr).",
                   lambda f: f[raw_field].notna() & f[parsed_field].isna())


def known_value(field: str, code_field: str, label: str) -> RowRule:
    """A written value that none of the source's lookups maps to a code."""
    return RowRule(field, "unknown_value", f"Nieznana wartość w polu {label}.",
                   lambda f: f[field].notna() & f[code_field].isna())


def known_unit(written_field: str, code_field: str, label: str) -> RowRule:
    """A place name that no TERYT unit of the region carries."""
    return RowRule(written_field, "unknown_teryt_unit",
                   f"Nie rozpoznano jednostki TERYT w polu {label} (w tym województwie).",
                   lambda f: f[code_field].isna())


def ordered_dates(start_field: str, end_field: str) -> RowRule:
    return RowRule(end_field, "end_before_start",
                   "Data zakończenia jest wcześniejsza niż data początku.",
                   lambda f: pd.to_datetime(f[end_field]) < pd.to_datetime(f[start_field]))
