"""Reading the indicator marts the dashboard draws.

The dashboard reads only ``marts.*`` tables: every number on the page is one an auditor can
find in the warehouse, computed by the SQL named in ``marts.indicator_catalogue``. Each query
stops at the data's as-of date and orders its rows fully, so the same warehouse always gives
the same page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import duckdb
import pandas as pd

from dashboards.catalogue import PERIOD_BOUNDS, catalogue


@dataclass(frozen=True)
class IndicatorText:
    """The Polish wording of one indicator, as the catalogue defines it."""

    indicator: str
    title_pl: str
    unit_pl: str
    description_pl: str
    sql_path: str | None
    # the registers and reports it is computed from, in Polish ("katalog PES ROPS, KRS")
    source_pl: str = ""


def indicator_texts(
    con: duckdb.DuckDBPyConnection, indicators: Sequence[str]
) -> dict[str, IndicatorText]:
    """Return the wording of each of ``indicators``, from the warehouse's catalogue, or where
    it lacks a row or a field, from the catalogue bundled with this code."""
    found = con.execute(
        """
        SELECT indicator, title_pl, unit_pl, description_pl, sql_path, source_pl
        FROM marts.indicator_catalogue
        WHERE indicator IN (SELECT unnest($indicators))
        ORDER BY indicator
        """,
        {"indicators": list(indicators)},
    ).fetchall()
    rows = {row[0]: row for row in found}
    return {name: _merged_text(bundled_text(name), rows.get(name)) for name in indicators}


def bundled_text(indicator: str) -> IndicatorText:
    """Return the wording of the catalogue bundled with this code, or a plain one naming the gap
    for an indicator it does not know."""
    entry = catalogue().indicators.get(indicator)
    if entry is None:
        return IndicatorText(indicator, f"Wskaźnik {indicator}", "wartość wskaźnika",
                             "Katalog wskaźników nie zawiera opisu tego wskaźnika.", None)
    return IndicatorText(indicator, entry.title_pl, entry.unit_pl, entry.description_pl, None,
                         entry.source_pl)


def _merged_text(fallback: IndicatorText, row: tuple | None) -> IndicatorText:
    """Return the catalogue row's wording, field by field, falling back where it is empty."""
    if row is None:
        return fallback
    _, title, unit, description, sql_path, source = row
    return IndicatorText(
        indicator=fallback.indicator,
        title_pl=title or fallback.title_pl,
        unit_pl=unit or fallback.unit_pl,
        description_pl=description or fallback.description_pl,
        sql_path=sql_path or fallback.sql_path,
        source_pl=source or fallback.source_pl,
    )


def indicator_rows(
    con: duckdb.DuckDBPyConnection, indicator: str, data_as_of: date
) -> pd.DataFrame:
    """Return the rows of ``marts.<indicator>`` the page draws at ``data_as_of``, fully ordered.

    The rows dated up to ``data_as_of`` by the catalogue's period column (only the latest
    period where its entry says so), every row of a mart without one; each column is ordered
    in turn, so the same warehouse always gives the same rows in the same order.
    """
    condition = rows_drawn(indicator)
    return con.execute(
        f"SELECT * FROM marts.{indicator} WHERE {condition} ORDER BY ALL",
        {"data_as_of": data_as_of} if "$data_as_of" in condition else None,
    ).df()


def rows_drawn(indicator: str) -> str:
    """Return the SQL condition on ``marts.<indicator>``'s rows that the page draws at the
    date ``$data_as_of``, from the indicator's catalogue entry."""
    entry = catalogue().indicators[indicator]
    if entry.period is None:
        return "true"
    period, bound = entry.period, PERIOD_BOUNDS[entry.period]
    if entry.page is not None and entry.page.latest_only:
        return (f"{period} = (SELECT max({period}) FROM marts.{indicator} "
                f"WHERE {period} <= {bound})")
    return f"{period} <= {bound}"


def source_status(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Return one row per source file read in this refresh, stale ones first."""
    return con.execute(
        """
        SELECT source, source_pl, file_name, data_as_of, loaded_at, rows_read, rows_accepted,
               rows_quarantined, is_stale, stale_reason_pl, header_warning_pl
        FROM marts.source_status
        ORDER BY is_stale DESC, source_pl, file_name
        """
    ).df()
