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
    add_plain_and_hatched_bars,
    apply_common_layout,
    as_of_subtitle,
    category_axis,
    category_colours,
    no_data_figure,
    numbers,
    quarter_end,
)
from dashboards.formatting import format_count, format_number, format_quarter
from dashboards.hidden_counts import bar_heights, count_labels, hidden_marks
from dashboards.marts import IndicatorText
from quality.disclosure import marker_column, total_column

UNKNOWN_SEX_PL = "płeć nieustalona"


def participants_figure(frame: pd.DataFrame, text: IndicatorText, data_as_of: date) -> go.Figure:
    """Return new participants per quarter stacked by institution type, by sex in the hover.

    Institution type gives the bands and sex the hover (and the subtitle's totals): two
    splits in one set of bars would be unreadable from across a room. Every number is one the
    disclosure rule published: a band's height is its published total, a hidden one is a
    cross with "<3" or "ukryto" in the hover, never a bar of 0.
    """
    if frame.empty:
        return no_data_figure(text)
    frame = frame.assign(sex_pl=frame["sex_pl"].fillna(UNKNOWN_SEX_PL))
    band = total_column("new_persons", ("quarter_start", "institution_type"))
    keys = ["quarter_start", "institution_type", "institution_type_label"]
    bands = frame.groupby(keys, as_index=False, dropna=False).first()[
        [*keys, band, marker_column(band)]
    ]
    details = frame.groupby(["quarter_start", "institution_type"], dropna=False).apply(
        lambda rows: "(" + ", ".join(
            f"{row['sex_pl']}: {_count(row, 'new_persons')}"
            for _, row in rows.sort_values("sex_pl").iterrows()
        ) + ")",
        include_groups=False,
    )
    bands["detail"] = [details[(q, i)] for q, i in zip(
        bands["quarter_start"], bands["institution_type"], strict=True)]
    bands = bands.rename(columns={band: "value", marker_column(band): "marker"})
    by_sex = frame.groupby("sex_pl", as_index=False).first()
    sex_total = total_column("new_persons", ("sex",))
    summary = ", ".join(
        f"{row['sex_pl']}: {_count(row, sex_total)}" for _, row in by_sex.iterrows()
    )
    total = _count(frame.iloc[0], total_column("new_persons", ()))
    return _stacked_quarter_bars(
        bands,
        text,
        subtitle=f"Razem osób: {total} ({summary}); " + _as_of(frame, data_as_of),
    )


def institutions_figure(frame: pd.DataFrame, text: IndicatorText, data_as_of: date) -> go.Figure:
    """Return institutions supported per quarter (each once, when first seen), by type."""
    if frame.empty:
        return no_data_figure(text)
    total = int(frame["new_institutions"].sum())
    return _stacked_quarter_bars(
        frame.rename(columns={"new_institutions": "value"}).assign(detail="", marker=None),
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
    cumulative = [_count(row, "persons_cumulative") for _, row in frame.iterrows()]
    figure = go.Figure()
    add_plain_and_hatched_bars(figure, labels, frame, (
        ("identified_attendances", "Obecności osób zidentyfikowanych", BLUE, ""),
        ("unidentified_attendances", "Obecności niezidentyfikowane (brak PESEL)", VERMILLION, "/"),
    ))
    figure.add_trace(
        go.Scatter(
            x=labels,
            y=numbers(frame["new_persons"]),
            customdata=[
                [_count(row, "new_persons"), cumulative[i]]
                for i, (_, row) in enumerate(frame.iterrows())
            ],
            name="Nowe osoby w kwartale",
            mode="lines+markers",
            line={"width": 3, "color": INK},
            marker={"size": 10, "symbol": "diamond", "color": INK},
            hovertemplate="Nowe osoby: %{customdata[0]}<br>"
            "Uczestników łącznie: %{customdata[1]}<extra></extra>",
        )
    )
    hidden = frame[marker_column("new_persons")].notna()
    if hidden.any():
        figure.add_trace(hidden_marks(
            [label for label, flag in zip(labels, hidden, strict=True) if flag],
            list(frame.loc[hidden, marker_column("new_persons")]),
            [f"Nowe osoby: {_count(row, 'new_persons')}<br>Uczestników łącznie: {cumulative[i]}"
             for i, (_, row) in enumerate(frame.iterrows()) if hidden.iloc[i]],
        ))
    total = _count(frame.iloc[0], total_column("new_persons", ()))
    apply_common_layout(
        figure,
        text,
        subtitle=f"Uczestników łącznie (osoby): {total}; " + _as_of(frame, data_as_of),
        x_title="Kwartał",
        height=560,
    )
    figure.update_layout(barmode="stack", hovermode="x unified")
    category_axis(figure, labels)
    return figure


def _stacked_quarter_bars(frame: pd.DataFrame, text: IndicatorText, *, subtitle: str) -> go.Figure:
    """Return bars per quarter stacked by institution type from quarter_start,
    institution_type, institution_type_label, value, detail (more hover text, or "") and
    marker (why a hidden value is hidden, else None): a hidden band is a cross, not a bar.
    """
    quarters = sorted(set(frame["quarter_start"]))
    labels = [format_quarter(pd.Timestamp(day).date()) for day in quarters]
    colours = category_colours(frame["institution_type"])
    figure = go.Figure()
    for institution_type, rows in frame.groupby("institution_type", sort=True):
        rows = rows.set_index("quarter_start").reindex(quarters)
        name = str(rows["institution_type_label"].dropna().iloc[0])
        # a quarter without this type has no row: nobody of it, 0
        values, markers = rows["value"].astype(float).fillna(0), list(rows["marker"])
        figure.add_trace(
            go.Bar(
                x=labels,
                y=bar_heights(values, markers),
                customdata=[[label, detail] for label, detail in zip(
                    count_labels(values, markers), rows["detail"].fillna(""), strict=True)],
                name=name,
                marker={"color": colours[institution_type]},
                hovertemplate=f"{name}: %{{customdata[0]}} %{{customdata[1]}}<extra></extra>",
            )
        )
    hidden = frame[frame["marker"].notna()].sort_values(["quarter_start", "institution_type"])
    if not hidden.empty:
        by_quarter = hidden.groupby("quarter_start", sort=True)
        figure.add_trace(hidden_marks(
            [format_quarter(pd.Timestamp(day).date()) for day in by_quarter.groups],
            [" ".join(sorted(set(rows["marker"]))) for _, rows in by_quarter],
            ["<br>".join(f"{row.institution_type_label}: {row.marker} {row.detail}"
                         for row in rows.itertuples()) for _, rows in by_quarter],
        ))
    apply_common_layout(figure, text, subtitle=subtitle, x_title="Kwartał", height=560)
    figure.update_layout(barmode="stack", hovermode="x unified")
    category_axis(figure, labels)
    return figure


def _count(row: pd.Series, column: str) -> str:
    """Return a published count of a row in Polish, or the marker that hides it."""
    return format_count(row[column], row.get(marker_column(column)))


def _as_of(frame: pd.DataFrame, data_as_of: date) -> str:
    """Return "stan na <day>" for a mart by quarter, in lower case after a sentence."""
    return as_of_subtitle(quarter_end(frame["quarter_start"].max()), data_as_of).lower()
