"""Parsing of the cell values real offices type: Polish dates, Excel serials, decimal commas."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal

import pandas as pd

EXCEL_EPOCH = datetime(1899, 12, 30)
POLISH_AND_ISO = ("%d.%m.%Y", "%Y-%m-%d")
GROSZ = Decimal("0.01")


def as_text(value: object) -> str | None:
    """A cell as trimmed text; empty cells and blank strings become None."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def parse_dates(values: pd.Series, formats: Sequence[str] = POLISH_AND_ISO) -> pd.Series:
    """Dates in one of `formats` (tried in order), an Excel date cell or serial number; else None.

    Each form is tried explicitly so that an ambiguous string is never guessed: which of
    `dd/mm/yyyy` and `mm/dd/yyyy` a source uses is stated in its mapping file. ISO dates (and a
    workbook's date cell, which arrives as `yyyy-mm-dd hh:mm:ss`) are always read; a serial is
    a whole number of days since 1899-12-30, Excel's day zero.
    """
    text = values.astype("string").str.strip()
    found = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    # each form reads only what the forms before it left unread, and once nothing is left the
    # others are not tried: a source writes one form, and thousands of dates arrive
    for form in formats:
        unread = text.where(found.isna())
        if unread.isna().all():
            break
        found = found.fillna(pd.to_datetime(unread, format=form, errors="coerce"))
    unread = text.where(found.isna())
    if unread.notna().any():
        iso = unread.str.fullmatch(r"\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2})?").fillna(False)
        cell = pd.to_datetime(unread.str[:10].where(iso), format="%Y-%m-%d", errors="coerce")
        whole = unread.str.fullmatch(r"\d{4,5}(\.0+)?").fillna(False)
        serial_number = pd.to_numeric(unread.where(whole), errors="coerce")
        serial = EXCEL_EPOCH + pd.to_timedelta(serial_number, unit="D")
        found = found.fillna(cell).fillna(serial)
    return found.dt.date.astype("object").where(found.notna(), None)


def parse_decimals(values: pd.Series) -> pd.Series:
    """Numbers written as `12,5`, `1 234,5`, `1.234,5`, `12.5` or a numeric cell; else NaN.

    Spaces (also non-breaking ones) are thousands separators; with a comma present the comma
    is the decimal mark and dots are thousands separators; a lone dot is a decimal point.
    """
    text = values.astype("string").str.replace(r"[\s\u00a0]", "", regex=True)
    has_comma = text.str.contains(",", regex=False).fillna(False)
    text = text.mask(has_comma, text.str.replace(".", "", regex=False).str.replace(",", "."))
    return pd.to_numeric(text.where(text.str.fullmatch(r"[-+]?\d+(\.\d+)?").fillna(False)),
                         errors="coerce").astype("float64")


def whole_numbers(values: pd.Series) -> pd.Series:
    """Counts as written (`12`, `12,0`, a numeric cell); missing unless a whole number."""
    numbers = parse_decimals(values)
    return numbers.where(numbers == numbers.round()).astype("Int64")


def amounts_pln(values: pd.Series) -> pd.Series:
    """Amounts in złoty as exact decimals with grosze; missing unless at most two decimals.

    `12,345` with a decimal comma is twelve złoty and a fraction of a grosz: a typo (a
    thousands separator written as a comma), so it is not rounded but rejected.
    """
    numbers = parse_decimals(values)
    in_grosze = (numbers * 100).round()
    exact = (numbers * 100 - in_grosze).abs() < 1e-6
    return pd.Series([Decimal(int(g)) * GROSZ if ok else None
                      for g, ok in zip(in_grosze, exact & numbers.notna(), strict=True)],
                     index=values.index, dtype="object")


def month_end(day: date) -> date:
    """The last day of the month that holds `day`."""
    first_of_next = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return first_of_next - timedelta(days=1)


def written_text(values: pd.Series) -> pd.Series:
    """A column's cells as the text written in them (see `as_text`), as one string column.

    A workbook column keeps each cell's Python type: an Excel serial is an int, a date cell a
    datetime, a typed number a float. Such a mix has no single SQL type, so the warehouse
    cannot store it (a serial and a date cell together fail the staging write); as text,
    every cell has the same type and an empty one stays missing.
    """
    return values.map(as_text).astype("string")


def with_written_text(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """Each column replaced by the text written in its cells (`written_text`).

    For the columns staging keeps as written (names, places, document numbers): no parse
    reads them, so without this they would reach the warehouse with each cell's Python type,
    and a document number typed as `12` beside one Excel turned into a date cannot be stored.
    """
    return frame.assign(**{column: written_text(frame[column]) for column in columns})


def with_parsed(frame: pd.DataFrame, columns: Sequence[str],
                parse: Callable[[pd.Series], pd.Series]) -> pd.DataFrame:
    """Each column parsed in place by `parse`; the text as written kept as `<column>_text`.

    The written text stays so that a rule can tell an empty cell from an unreadable one.
    """
    parsed = {column: parse(frame[column]) for column in columns}
    written = {f"{column}_text": written_text(frame[column]) for column in columns}
    return frame.rename(columns={c: f"{c}_text" for c in columns}).assign(**written, **parsed)


def with_parsed_dates(frame: pd.DataFrame, *columns: str,
                      formats: Sequence[str] = POLISH_AND_ISO) -> pd.DataFrame:
    """Each date column parsed in place, the written text as `<column>_text` (`with_parsed`)."""
    return with_parsed(frame, columns, lambda values: parse_dates(values, formats))


def with_parsed_numbers(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """Each number column parsed in place (decimal commas), the written text as `<column>_text`."""
    return with_parsed(frame, columns, parse_decimals)
