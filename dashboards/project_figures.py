"""Figures of the project's own work: its events and the "Zakup Prospołeczny" mark.

Events are drawn by count, with their attendances and persons in the hover: persons are
distinct within one kind of event only, so they are never added across kinds here.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go

from dashboards.figure_style import (
    GREEN,
    INK,
    VERMILLION,
    add_plain_and_hatched_bars,
    apply_common_layout,
    as_of_subtitle,
    capitalised,
    category_axis,
    category_colours,
    dates,
    last_date,
    monthly_axes,
    no_data_figure,
    numbers,
    year_end,
)
from dashboards.formatting import format_count, format_number
from dashboards.marts import IndicatorText
from quality.disclosure import marker_column


def project_events_figure(frame: pd.DataFrame, text: IndicatorText, data_as_of: date) -> go.Figure:
    """Return the events held per year, stacked by kind, with who came in the hover."""
    if frame.empty:
        return no_data_figure(text)
    years = [str(year) for year in sorted(set(frame["year"]))]
    colours = category_colours(frame["event_kind"])
    figure = go.Figure()
    for kind, rows in frame.groupby("event_kind", sort=True):
        figure.add_trace(
            go.Bar(
                x=[str(year) for year in rows["year"]],
                y=numbers(rows["events"]),
                customdata=[
                    [
                        format_number(int(row["attendances"])),
                        format_count(row["persons"], row.get(marker_column("persons"))),
                        format_number(int(row["unidentified_attendances"])),
                    ]
                    for _, row in rows.iterrows()
                ],
                name=capitalised(str(rows["event_kind_label"].iloc[0])),
                marker={"color": colours[kind]},
                hovertemplate="%{fullData.name}: %{y:,} (obecności: %{customdata[0]}, "
                "osoby: %{customdata[1]}, w tym obecności niezidentyfikowane: "
                "%{customdata[2]})<extra></extra>",
            )
        )
    apply_common_layout(
        figure,
        text,
        subtitle="Lata kalendarzowe; " + as_of_subtitle(year_end(years[-1]), data_as_of).lower(),
        x_title="Rok",
        y_title="Liczba wydarzeń w roku",
        height=600,
    )
    figure.update_layout(barmode="stack", hovermode="x unified")
    category_axis(figure, years)
    return figure


def prosocial_certificates_figure(
    frame: pd.DataFrame, text: IndicatorText, data_as_of: date
) -> go.Figure:
    """Return PES holding a valid mark at each month end, with marks granted and expired.

    The line is the state (who holds the mark); the bars are the month's movements, so a drop
    in the line can be read against the expiries that caused it.
    """
    if frame.empty:
        return no_data_figure(text)
    months = dates(frame["month"])
    figure = go.Figure()
    add_plain_and_hatched_bars(figure, months, frame, (
        ("certificates_granted", "Znaki przyznane w miesiącu", GREEN, ""),
        ("certificates_expired", "Znaki wygasłe w miesiącu", VERMILLION, "/"),
    ))
    figure.add_trace(
        go.Scatter(
            x=months,
            y=numbers(frame["certified_pes"]),
            name="PES z ważnym znakiem na koniec miesiąca",
            mode="lines",
            line={"width": 4, "color": INK, "shape": "hv"},
            hovertemplate="PES z ważnym znakiem: %{y:,}<extra></extra>",
        )
    )
    apply_common_layout(
        figure,
        text,
        subtitle=as_of_subtitle(last_date(frame["month"]), data_as_of),
        x_title="Miesiąc",
        y_title="Liczba podmiotów / znaków",
        height=560,
    )
    monthly_axes(figure, barmode="group", bargap=0.1)
    return figure
