"""Figures of the support to local governments (JST, project task 3) beyond the 16 supported.

Social clauses and public tasks commissioned to PES are what the expert support is meant to
lead to, so these figures sit beside the count of JST supported.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go

from dashboards.figure_style import (
    BLUE,
    ORANGE,
    apply_common_layout,
    as_of_subtitle,
    capitalised,
    category_axis,
    category_colours,
    last_date,
    monthly_axes,
    no_data_figure,
    numbers,
    step_line,
    year_end,
)
from dashboards.formatting import format_number
from dashboards.marts import IndicatorText


def jst_social_clauses_figure(
    frame: pd.DataFrame, text: IndicatorText, data_as_of: date
) -> go.Figure:
    """Return the JST with social clauses so far, and of them those who adopted them after
    the project's support, as two step lines: the gap between them is what came before it.
    """
    if frame.empty:
        return no_data_figure(text)
    figure = go.Figure()
    for column, name, colour, dash in (
        ("jst_with_social_clauses", "Wszystkie JST stosujące klauzule", BLUE, "solid"),
        ("after_project_support", "W tym po wsparciu eksperckim projektu", ORANGE, "dash"),
    ):
        figure.add_trace(step_line(frame["month"], frame[column], name, colour, dash))
    apply_common_layout(
        figure,
        text,
        subtitle="Narastająco, stan na koniec miesiąca; "
        + as_of_subtitle(last_date(frame["month"]), data_as_of).lower(),
        x_title="Miesiąc",
        height=520,
    )
    return monthly_axes(figure)


def pes_contracts_figure(frame: pd.DataFrame, text: IndicatorText, data_as_of: date) -> go.Figure:
    """Return the value of contracts and tasks given to PES per year, one bar per kind.

    The value in złoty is what the bars compare; how many contracts and how many JST gave
    them are in the hover and on the bar, since three scales on one axis would mislead.
    """
    if frame.empty:
        return no_data_figure(text)
    years = [str(year) for year in sorted(set(frame["year"]))]
    colours = category_colours(frame["contract_kind"])
    figure = go.Figure()
    for kind, rows in frame.groupby("contract_kind", sort=True):
        figure.add_trace(
            go.Bar(
                x=[str(year) for year in rows["year"]],
                y=numbers(rows["value_pln"]),
                customdata=[
                    [format_number(contracts), format_number(jst)]
                    for contracts, jst in zip(rows["contracts"], rows["jst"], strict=True)
                ],
                name=capitalised(str(rows["contract_kind_label"].iloc[0])),
                marker={"color": colours[kind]},
                texttemplate="%{customdata[0]}",
                textposition="outside",
                cliponaxis=False,
                hovertemplate="<b>Rok %{x}</b> – %{fullData.name}<br>Wartość: %{y:,.2f} zł"
                "<br>Liczba umów: %{customdata[0]}<br>Liczba JST: %{customdata[1]}"
                "<extra></extra>",
            )
        )
    apply_common_layout(
        figure,
        text,
        subtitle="Lata kalendarzowe; liczba nad słupkiem to liczba umów; "
        + as_of_subtitle(year_end(years[-1]), data_as_of).lower(),
        x_title="Rok",
        y_title="Wartość umów w roku (zł)",
        height=560,
    )
    figure.update_layout(barmode="group")
    figure.update_yaxes(rangemode="tozero", tickformat=",.0f", ticksuffix=" zł")
    category_axis(figure, years)
    return figure
