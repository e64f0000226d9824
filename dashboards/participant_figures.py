"""Figures of the project's participants and the institutions they came from, by quarter.

Counted as ESF projects count them: a person once, in the quarter of their first participation,
so the quarters add up to the project's number of participants; attendances without a valid
PESEL are shown apart, never as persons. Every count is the mart's own: nothing is recounted
or estimated here.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go

from dashboards.figure_style import (
    BLUE,
    INK,
    VERMILLION,
    apply_common_layout,
    as_of_subtitle,
    category_axis,
    category_colours,
    no_data_figure,
    numbers,
    quarter_end,
)
from dashboards.formatting import format_number, format_quarter
from dashboards.marts import IndicatorText

UNKNOWN_SEX_PL = "płeć nieustalona"


def participants_figure(frame: pd.DataFrame, text: IndicatorText, data_as_of: date) -> go.Figure:
    """Return new participants per quarter stacked by institution type, by sex in the hover.

    Institution type gives the bands and sex the hover (and the subtitle's totals): two
    splits in one set of bars would be unreadable from across a room.
    """
    if frame.empty:
        return no_data_figure(text)
    frame = frame.assign(sex_pl=frame["sex_pl"].fillna(UNKNOWN_SEX_PL))
    keys = ["quarter_start", "institution_type", "institution_type_label"]
    by_sex = frame.pivot_table(
        index=keys, columns="sex_pl", values="new_persons", aggfunc="sum", fill_value=0
    )
    totals = by_sex.sum(axis=1).rename("value").reset_index()
    totals["detail"] = [
        "(" + ", ".join(f"{sex}: {format_number(int(row[sex]))}" for sex in by_sex.columns) + ")"
        for _, row in by_sex.iterrows()
    ]
    sex_totals = frame.groupby("sex_pl")["new_persons"].sum()
    summary = ", ".join(f"{sex}: {format_number(int(n))}" for sex, n in sex_totals.items())
    return _stacked_quarter_bars(
        totals,
        text,
        subtitle=f"Razem osób: {format_number(int(sex_totals.sum()))} ({summary}); "
        + _as_of(frame, data_as_of),
    )


def institutions_figure(frame: pd.DataFrame, text: IndicatorText, data_as_of: date) -> go.Figure:
    """Return institutions supported per quarter (each once, when first seen), by type."""
    if frame.empty:
        return no_data_figure(text)
    total = int(frame["new_institutions"].sum())
    return _stacked_quarter_bars(
        frame.rename(columns={"new_institutions": "value"}).assign(detail=""),
        text,
        subtitle=f"Razem instytucji: {format_number(total)}; " + _as_of(frame, data_as_of),
    )


def participation_figure(frame: pd.DataFrame, text: IndicatorText, data_as_of: date) -> go.Figure:
    """Return attendances per quarter, identified and not, with the new persons as a line.

    Unidentified attendances are stacked on top in vermillion with a hatch: they are real
    attendances but can never become persons, which is why the line stays below the bars.
    """
    if frame.empty:
        return no_data_figure(text)
    labels = [format_quarter(pd.Timestamp(day).date()) for day in frame["quarter_start"]]
    cumulative = [format_number(int(n)) for n in frame["persons_cumulative"]]
    figure = go.Figure()
    for column, name, colour, pattern in (
        ("identified_attendances", "Obecności osób zidentyfikowanych", BLUE, ""),
        ("unidentified_attendances", "Obecności niezidentyfikowane (brak PESEL)", VERMILLION, "/"),
    ):
        figure.add_trace(
            go.Bar(
                x=labels,
                y=numbers(frame[column]),
                name=name,
                marker={"color": colour, "pattern": {"shape": pattern, "fgcolor": "white"}},
                hovertemplate=f"{name}: %{{y:,}}<extra></extra>",
            )
        )
    figure.add_trace(
        go.Scatter(
            x=labels,
            y=numbers(frame["new_persons"]),
            customdata=cumulative,
            name="Nowe osoby w kwartale",
            mode="lines+markers",
            line={"width": 3, "color": INK},
            marker={"size": 10, "symbol": "diamond", "color": INK},
            hovertemplate="Nowe osoby: %{y:,}<br>Uczestników łącznie: %{customdata}<extra></extra>",
        )
    )
    apply_common_layout(
        figure,
        text,
        subtitle=f"Uczestników łącznie (osoby): {cumulative[-1]}; " + _as_of(frame, data_as_of),
        x_title="Kwartał",
        height=560,
    )
    figure.update_layout(barmode="stack", hovermode="x unified")
    category_axis(figure, labels)
    return figure


def _stacked_quarter_bars(frame: pd.DataFrame, text: IndicatorText, *, subtitle: str) -> go.Figure:
    """Return bars per quarter stacked by institution type from quarter_start,
    institution_type, institution_type_label, value and detail (more hover text, or "").
    """
    quarters = sorted(set(frame["quarter_start"]))
    labels = [format_quarter(pd.Timestamp(day).date()) for day in quarters]
    colours = category_colours(frame["institution_type"])
    figure = go.Figure()
    for institution_type, rows in frame.groupby("institution_type", sort=True):
        rows = rows.set_index("quarter_start").reindex(quarters)
        name = str(rows["institution_type_label"].dropna().iloc[0])
        figure.add_trace(
            go.Bar(
                x=labels,
                y=numbers(rows["value"].fillna(0)),
                customdata=list(rows["detail"].fillna("")),
                name=name,
                marker={"color": colours[institution_type]},
                hovertemplate=f"{name}: %{{y:,}} %{{customdata}}<extra></extra>",
            )
        )
    apply_common_layout(figure, text, subtitle=subtitle, x_title="Kwartał", height=560)
    figure.update_layout(barmode="stack", hovermode="x unified")
    category_axis(figure, labels)
    return figure


def _as_of(frame: pd.DataFrame, data_as_of: date) -> str:
    """Return "stan na <day>" for a mart by quarter, in lower case after a sentence."""
    return as_of_subtitle(quarter_end(frame["quarter_start"].max()), data_as_of).lower()
