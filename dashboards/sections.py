"""What the page shows, in the order the committee reads it: five sections of indicators.

The sections follow the headings the committee knows from the project's reports. Each entry
names its mart, how the mart is read up to the data's as-of date and how it is drawn; adding
an indicator to the page is one line here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import duckdb
import pandas as pd
import plotly.graph_objects as go

from dashboards import (
    figures,
    jst_figures,
    map_figures,
    marts,
    owes_figures,
    participant_figures,
    project_figures,
    tables,
)
from dashboards.marts import IndicatorText

Reader = Callable[[duckdb.DuckDBPyConnection, date], pd.DataFrame]
Drawer = Callable[[pd.DataFrame, IndicatorText, date], "go.Figure | tables.Table"]


@dataclass(frozen=True)
class Drawn:
    """One indicator on the page: its mart, how it is read and how it is drawn."""

    indicator: str
    read: Reader
    draw: Drawer


@dataclass(frozen=True)
class Section:
    """A heading of the page and the indicators under it."""

    anchor: str
    title_pl: str
    drawn: tuple[Drawn, ...]


def _drawn(indicator: str, draw: Drawer) -> Drawn:
    """Return a mart read as it stands and drawn by ``draw``."""
    return Drawn(indicator, lambda con, day: marts.indicator_rows(con, indicator, day), draw)


SECTIONS = (
    Section(
        "stan-sektora",
        "Stan sektora",
        (
            Drawn(
                marts.ACTIVE_PES_BY_TYPE,
                marts.active_pes_by_type,
                lambda frame, text, _: figures.active_pes_by_type_figure(frame, text),
            ),
            Drawn(
                marts.ACTIVE_PES_BY_POWIAT,
                marts.active_pes_by_powiat_latest,
                lambda frame, text, _: figures.active_pes_by_powiat_figure(frame, text),
            ),
            Drawn(map_figures.INDICATOR, map_figures.map_rows,
                  map_figures.active_pes_map_figure),
            _drawn("social_enterprises_active", figures.social_enterprises_figure),
            _drawn(
                "active_pes_by_pkd_section",
                lambda frame, text, _: figures.active_pes_by_pkd_section_figure(frame, text),
            ),
        ),
    ),
    Section(
        "posiedzenia-rkres",
        "Posiedzenia RKRES",
        (
            Drawn(
                marts.RKRES_MEETINGS_PER_YEAR,
                marts.rkres_meetings_per_year,
                figures.rkres_meetings_figure,
            ),
            _drawn("rkres_attendance_by_sector", figures.rkres_attendance_figure),
        ),
    ),
    Section(
        "wsparcie-jst",
        "Wsparcie JST",
        (
            Drawn(
                marts.JST_SUPPORTED_CUMULATIVE,
                marts.jst_supported_cumulative,
                lambda frame, text, _: figures.jst_supported_figure(frame, text),
            ),
            _drawn("jst_social_clauses_cumulative", jst_figures.jst_social_clauses_figure),
            _drawn("pes_contracts_per_year", jst_figures.pes_contracts_figure),
        ),
    ),
    Section(
        "uczestnicy-i-owes",
        "Uczestnicy i OWES",
        (
            _drawn("participants_new_by_quarter", participant_figures.participants_figure),
            _drawn("participation_by_quarter", participant_figures.participation_figure),
            _drawn("institutions_supported_by_quarter", participant_figures.institutions_figure),
            _drawn("owes_indicators_by_quarter", owes_figures.owes_indicators_figure),
            _drawn("owes_outputs_by_powiat", owes_figures.owes_outputs_by_powiat_figure),
            _drawn("owes_jobs_by_group", owes_figures.owes_jobs_by_group_figure),
        ),
    ),
    Section(
        "projekt",
        "Projekt",
        (
            _drawn("project_events_per_year", project_figures.project_events_figure),
            _drawn(
                "prosocial_certificates_by_month", project_figures.prosocial_certificates_figure
            ),
            _drawn(
                "study_visits_per_year",
                tables.study_visits_table,
            ),
            _drawn("project_budget", tables.project_budget_table),
        ),
    ),
)

DRAWN_INDICATORS = tuple(drawn.indicator for section in SECTIONS for drawn in section.drawn)
