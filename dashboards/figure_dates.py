"""The line under every figure: the day its data is as of, and where the data comes from.

The day comes from the figure's own rows (the last meeting drawn, the end of the last month,
quarter or year drawn), never later than the data's as-of date: a chart whose latest rows are
from September says September, whatever the month the refresh monitors. The source is the
catalogue's, in the words of a register or report ("katalog PES ROPS, KRS"), not a file path.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from dashboards.formatting import format_date_long
from dashboards.marts import IndicatorText

# Per column that dates a mart's rows: the last day a row of it is about.
ROW_END_DAYS = {
    "met_on": lambda values: values,
    "month": lambda values: values,
    "as_of": lambda values: values,
    "quarter_start": lambda values: values + pd.offsets.QuarterEnd(0),
    "year": lambda values: pd.to_datetime(values.astype(int).astype(str) + "-12-31"),
}


def figure_as_of(frame: pd.DataFrame, data_as_of: date) -> date | None:
    """Return the latest day the rows of ``frame`` are about, at most ``data_as_of``; None
    when they are not dated (the budget, from the project's description)."""
    for column, end_day in ROW_END_DAYS.items():
        if column in frame and frame[column].notna().any():
            values = frame[column].dropna()
            if column != "year":
                values = pd.to_datetime(values)
            return min(pd.Timestamp(end_day(values).max()).date(), data_as_of)
    return None


def provenance_line(frame: pd.DataFrame, text: IndicatorText, data_as_of: date) -> str:
    """Return "Stan na <day>. Źródło: <source>." for the line under a figure."""
    day = figure_as_of(frame, data_as_of)
    parts = [f"Stan na {format_date_long(day)}." if day else ""]
    if text.source_pl:
        parts.append(f"Źródło: {text.source_pl}.")
    return " ".join(part for part in parts if part)
