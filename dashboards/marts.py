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

ACTIVE_PES_BY_TYPE = "active_pes_by_type"
ACTIVE_PES_BY_POWIAT = "active_pes_by_powiat"
JST_SUPPORTED_CUMULATIVE = "jst_supported_cumulative"
RKRES_MEETINGS_PER_YEAR = "rkres_meetings_per_year"

# How each mart without a reader of its own is cut at the data's as-of date, by the column that
# dates its rows; None: the mart has no dated rows (the budget) and is read whole.
PERIOD_FILTERS = {
    "social_enterprises_active": "month <= last_day($data_as_of)",
    "prosocial_certificates_by_month": "month <= last_day($data_as_of)",
    "jst_social_clauses_cumulative": "month <= last_day($data_as_of)",
    "rkres_attendance_by_sector": "met_on <= $data_as_of",
    "owes_indicators_by_quarter": "quarter_start <= $data_as_of",
    "owes_outputs_by_powiat": "quarter_start <= $data_as_of",
    "owes_jobs_by_group": "quarter_start <= $data_as_of",
    "participants_new_by_quarter": "quarter_start <= $data_as_of",
    "participation_by_quarter": "quarter_start <= $data_as_of",
    "institutions_supported_by_quarter": "quarter_start <= $data_as_of",
    "project_events_per_year": "year <= year($data_as_of)",
    "pes_contracts_per_year": "year <= year($data_as_of)",
    "study_visits_per_year": "year <= year($data_as_of)",
    "project_budget": None,
    "headline_cards": None,  # computed up to the period end, one row per card
    # one month, as for the powiats: a bar chart mixing two months compares unlike things
    "active_pes_by_pkd_section": "month = (SELECT max(month) FROM marts.active_pes_by_pkd_section "
    "WHERE month <= last_day($data_as_of))",
}


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


# Used only when the catalogue lacks a row (or a field), so that a gap in the catalogue shows
# as plain wording instead of an empty heading; the catalogue's wording always wins.
FALLBACK_TEXTS = {
    ACTIVE_PES_BY_TYPE: IndicatorText(
        ACTIVE_PES_BY_TYPE,
        "Aktywne podmioty ekonomii społecznej według typu",
        "liczba podmiotów",
        "Podmioty ekonomii społecznej działające na koniec każdego miesiąca, według typu.",
        None,
    ),
    ACTIVE_PES_BY_POWIAT: IndicatorText(
        ACTIVE_PES_BY_POWIAT,
        "Aktywne podmioty ekonomii społecznej według powiatu",
        "liczba podmiotów",
        "Podmioty ekonomii społecznej działające w każdym powiecie na dzień stanu danych.",
        None,
    ),
    JST_SUPPORTED_CUMULATIVE: IndicatorText(
        JST_SUPPORTED_CUMULATIVE,
        "Samorządy objęte wsparciem eksperckim (narastająco)",
        "liczba samorządów (JST)",
        "Liczba różnych jednostek samorządu terytorialnego, które otrzymały wsparcie "
        "eksperckie od początku projektu; każdy samorząd liczony jest raz.",
        None,
    ),
    RKRES_MEETINGS_PER_YEAR: IndicatorText(
        RKRES_MEETINGS_PER_YEAR,
        "Posiedzenia Regionalnego Komitetu Rozwoju Ekonomii Społecznej w roku",
        "liczba posiedzeń",
        "Liczba posiedzeń komitetu (RKRES) w każdym roku kalendarzowym.",
        None,
    ),
}


def indicator_texts(
    con: duckdb.DuckDBPyConnection, indicators: Sequence[str]
) -> dict[str, IndicatorText]:
    """Return the wording of each of ``indicators``, from the catalogue or the fallback."""
    catalogue = con.execute(
        """
        SELECT indicator, title_pl, unit_pl, description_pl, sql_path, source_pl
        FROM marts.indicator_catalogue
        WHERE indicator IN (SELECT unnest($indicators))
        ORDER BY indicator
        """,
        {"indicators": list(indicators)},
    ).fetchall()
    rows = {row[0]: row for row in catalogue}
    return {name: _merged_text(_fallback_text(name), rows.get(name)) for name in indicators}


def _fallback_text(indicator: str) -> IndicatorText:
    """Return the wording kept here for ``indicator``, or a plain one naming the gap."""
    return FALLBACK_TEXTS.get(indicator) or IndicatorText(
        indicator,
        f"Wskaźnik {indicator}",
        "wartość wskaźnika",
        "Katalog wskaźników nie zawiera opisu tego wskaźnika.",
        None,
    )


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


def active_pes_by_type(con: duckdb.DuckDBPyConnection, data_as_of: date) -> pd.DataFrame:
    """Return month, entity_type, entity_type_pl, active_pes for months up to ``data_as_of``."""
    return con.execute(
        """
        SELECT month, entity_type, entity_type_pl, active_pes
        FROM marts.active_pes_by_type
        WHERE month <= last_day($data_as_of)
        ORDER BY month, entity_type
        """,
        {"data_as_of": data_as_of},
    ).df()


def active_pes_by_powiat_latest(con: duckdb.DuckDBPyConnection, data_as_of: date) -> pd.DataFrame:
    """Return month, powiat_code, powiat_name, active_pes for the month of ``data_as_of``.

    That is the latest month the mart holds up to ``data_as_of``: a powiat chart mixing two
    months would compare unlike things.
    """
    return con.execute(
        """
        SELECT month, powiat_code, powiat_name, active_pes
        FROM marts.active_pes_by_powiat
        WHERE month = (
            SELECT max(month) FROM marts.active_pes_by_powiat
            WHERE month <= last_day($data_as_of)
        )
        ORDER BY powiat_code
        """,
        {"data_as_of": data_as_of},
    ).df()


def jst_supported_cumulative(con: duckdb.DuckDBPyConnection, data_as_of: date) -> pd.DataFrame:
    """Return month, jst_supported, target, target_valid_from, target_valid_to and
    target_status by month."""
    return con.execute(
        """
        SELECT month, jst_supported, target, target_valid_from, target_valid_to, target_status
        FROM marts.jst_supported_cumulative
        WHERE month <= last_day($data_as_of)
        ORDER BY month
        """,
        {"data_as_of": data_as_of},
    ).df()


def rkres_meetings_per_year(con: duckdb.DuckDBPyConnection, data_as_of: date) -> pd.DataFrame:
    """Return year, meetings, target, target_status: one row per calendar year up to
    ``data_as_of``."""
    return con.execute(
        """
        SELECT year, meetings, target, target_status
        FROM marts.rkres_meetings_per_year
        WHERE year <= year($data_as_of)
        ORDER BY year
        """,
        {"data_as_of": data_as_of},
    ).df()


def indicator_rows(
    con: duckdb.DuckDBPyConnection, indicator: str, data_as_of: date
) -> pd.DataFrame:
    """Return the rows of ``marts.<indicator>`` dated up to ``data_as_of``, fully ordered.

    For the marts a figure draws as they stand (PERIOD_FILTERS); each column is ordered in
    turn, so the same warehouse always gives the same rows in the same order.
    """
    period_filter = PERIOD_FILTERS[indicator]
    if period_filter is None:
        return con.execute(f"SELECT * FROM marts.{indicator} ORDER BY ALL").df()
    return con.execute(
        f"SELECT * FROM marts.{indicator} WHERE {period_filter} ORDER BY ALL",
        {"data_as_of": data_as_of},
    ).df()


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
