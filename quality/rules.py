"""Reusable row rules: identifiers with bad check digits, missing values, unreadable dates and
numbers, unknown values and places, rows that overflow their header.

Each returns a RowRule over normalised columns; a missing optional value passes, because
absence is not an error where a register leaves the field empty. `label` is the column as the
analyst's file names it, so the message says which column to look at.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from quality.identifiers import nip_is_valid, regon_is_valid
from quality.quarantine import RowRule

CELLS_BEYOND_HEADER = "_cells_beyond_header"


def required(field: str, label: str) -> RowRule:
    return RowRule(field, "missing_value", f"Brak wymaganej wartości: {label}.",
                   lambda f: f[field].isna())


def valid_nip(field: str = "nip", label: str = "NIP") -> RowRule:
    return RowRule(field, "invalid_nip", f"{label}: NIP ma błędną długość lub cyfrę kontrolną.",
                   lambda f: f[field].notna() & ~nip_is_valid(f[field]))


def valid_regon(field: str = "regon", label: str = "REGON") -> RowRule:
    return RowRule(field, "invalid_regon",
                   f"{label}: REGON ma błędną długość lub cyfrę kontrolną.",
                   lambda f: f[field].notna() & ~regon_is_valid(f[field]))


def valid_krs(field: str = "krs", label: str = "Numer KRS") -> RowRule:
    return RowRule(field, "invalid_krs", f"{label}: numer KRS nie składa się z najwyżej 10 cyfr.",
                   lambda f: f[field].notna() & ~f[field].astype("string")
                   .str.fullmatch(r"[0-9]{10}").fillna(False).astype(bool))


def readable_date(raw_field: str, parsed_field: str, label: str) -> RowRule:
    """A date that was written but could not be read in the source's formats."""
    return RowRule(raw_field, "invalid_date",
                   f"Nieczytelna data w polu {label} (oczekiwano dd.mm.rrrr).",
                   lambda f: f[raw_field].notna() & f[parsed_field].isna())


def required_date(column: str, label: str) -> list[RowRule]:
    """A date that must be written and readable: `<column>_text` as typed, `column` as read."""
    return [required(f"{column}_text", label), readable_date(f"{column}_text", column, label)]


def readable_number(raw_field: str, parsed_field: str, label: str, *,
                    whole: bool = False) -> RowRule:
    """A number that was written but is not a non-negative number (a whole one if `whole`)."""
    kind = "liczbą całkowitą nieujemną" if whole else "liczbą nieujemną"

    def fails(frame: pd.DataFrame) -> pd.Series:
        value = frame[parsed_field]
        good = (value >= 0) & ((value % 1 == 0) if whole else True)
        return frame[raw_field].notna() & ~good.fillna(False).astype(bool)

    return RowRule(raw_field, "invalid_number", f"Wartość w polu {label} nie jest {kind}.", fails)


def known_value(field: str, code_field: str, label: str) -> RowRule:
    """A written value that none of the source's lookups maps to a code."""
    return RowRule(field, "unknown_value", f"Nieznana wartość w polu {label}.",
                   lambda f: f[field].notna() & f[code_field].isna())


def resolved_unit(written_field: str, prefix: str, label: str, *,
                  applies: Callable[[pd.DataFrame], pd.Series] | None = None) -> list[RowRule]:
    """A written place that names no unit of the region (similar names are suggested), or
    several (the candidates are listed): units by code and name, never a personal value.

    Reads the resolver's `<prefix>_problem` and `<prefix>_candidates`, on the rows `applies`
    selects (all by default): e.g. a gmina is not faulted again where its powiat already was.
    """
    def problem(kind: str):
        def fails(frame: pd.DataFrame) -> pd.Series:
            found = frame[f"{prefix}_problem"] == kind
            return found & applies(frame) if applies else found
        return fails

    def listed(title: str):
        def detail(frame: pd.DataFrame) -> pd.Series:
            return frame[f"{prefix}_candidates"].map(
                lambda text: f"{title}: {text}." if isinstance(text, str) and text else "")
        return detail

    return [
        RowRule(written_field, "unknown_teryt_unit",
                f"Nie rozpoznano jednostki TERYT w polu {label} (w tym województwie).",
                problem("unknown"), detail=listed("Podobne nazwy")),
        RowRule(written_field, "ambiguous_teryt_unit",
                f"Nazwa w polu {label} pasuje do kilku jednostek TERYT; wpisz rodzaj "
                "gminy (miejska/wiejska), powiat lub miejscowość.",
                problem("ambiguous"), detail=listed("Kandydaci")),
    ]


def ordered_dates(start_field: str, end_field: str) -> RowRule:
    return RowRule(end_field, "end_before_start",
                   "Data zakończenia jest wcześniejsza niż data początku.",
                   lambda f: pd.to_datetime(f[end_field]) < pd.to_datetime(f[start_field]))


def fits_header() -> RowRule:
    """A row with values beyond the header's last column: a separator inside an unquoted
    value (`Fundacja A; B`) shifted the row, so none of its columns can be trusted."""
    return RowRule(CELLS_BEYOND_HEADER, "cells_beyond_header",
                   "Wiersz ma więcej wartości niż nagłówek kolumn (np. separator wewnątrz "
                   "nazwy bez cudzysłowu); kolumny są przesunięte.",
                   lambda f: f[CELLS_BEYOND_HEADER] > 0)


def typed_column_rules(types: dict[str, str], labels: dict[str, str]) -> list[RowRule]:
    """The rules a column's declared type brings: a check digit, a readable date or number."""
    by_type = {
        "nip": lambda c: valid_nip(c, labels[c]),
        "regon": lambda c: valid_regon(c, labels[c]),
        "krs": lambda c: valid_krs(c, labels[c]),
        "date": lambda c: readable_date(f"{c}_text", c, labels[c]),
        "decimal": lambda c: readable_number(f"{c}_text", c, labels[c]),
        "integer": lambda c: readable_number(f"{c}_text", c, labels[c], whole=True),
    }
    return [by_type[kind](column) for column, kind in types.items() if kind in by_type]
