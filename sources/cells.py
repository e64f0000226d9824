"""Parsing of the cell values real offices type: Polish dates, Excel serials, decimal commas."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pandas as pd

EXCEL_EPOCH = datetime(1899, 12, 30)


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


def parse_dates(values: pd.Series) -> pd.Series:
    """Dates written as dd.mm.yyyy, ISO yyyy-mm-dd or an Excel serial number; else NaT.

    Each form is tried explicitly so that an ambiguous string is never guessed.
    """
    text = values.astype("string").str.strip()
    polish = pd.to_datetime(text, format="%d.%m.%Y", errors="coerce")
    iso = pd.to_datetime(text.str[:10], format="%Y-%m-%d", errors="coerce")
    serial_number = pd.to_numeric(text.where(text.str.fullmatch(r"\d{4,5}(\.0+)?").fillna(False)),
                                  errors="coerce")
    serial = EXCEL_EPOCH + pd.to_timedelta(serial_number, unit="D")
    return polish.fillna(iso).fillna(serial).dt.date.astype("object").where(
        polish.notna() | iso.notna() | serial.notna(), None
    )


def month_end(day: date) -> date:
    """The last day of the month that holds `day`."""
    first_of_next = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return first_of_next - timedelta(days=1)


def with_parsed_dates(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """Each date column parsed in place; the text as written kept beside it as `<column>_text`.

    The written text stays so that a rule can tell an empty cell from an unreadable one.
    """
    parsed = {column: parse_dates(frame[column]) for column in columns}
    return frame.rename(columns={c: f"{c}_text" for c in columns}).assign(**parsed)
