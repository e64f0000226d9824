"""The dashboard's figures: one function per figure, each from one small mart DataFrame.

The readers are a regional committee looking at a laptop or a projector, so every figure has
large type, a title, axis titles with units, Polish hover text and colours from the Okabe-Ito
palette (distinguishable with the common kinds of colour blindness). Where colour carries a
meaning (a year under target) a hatch pattern and the hover text carry it too.
"""

from __future__ import annotations

import textwrap
from datetime import date
from typing import NamedTuple

import pandas as pd
import plotly.graph_objects as go

from dashboards.formatting import (
    PLOTLY_SEPARATORS,
    format_date_long,
    format_date_short,
    format_number,
)
from dashboards.marts import IndicatorText

# Okabe-Ito colours: safe for colour-blind readers and distinct on a washed-out projector.
BLUE = "#0072B2"
SKY_BLUE = "#56B4E9"
GREEN = "#009E73"
ORANGE = "#E69F00"
YELLOW = "#F0E442"
VERMILLION = "#D55E00"
PURPLE = "#CC79A7"
GREY = "#8C8C8C"
INK = "#1A1A1A"

# A fixed colour and stacking order per PES type, so a type keeps its colour from one refresh
# to the next even when another type has no entities yet.
TYPE_COLOURS = {
    "association": BLUE,
    "foundation": SKY_BLUE,
    "social_cooperative": GREEN,
    "cis": ORANGE,
    "kis": YELLOW,
    "zaz": VERMILLION,
    "wtz": PURPLE,
}

# Meeting years: legend label -> (colour, hatch pattern), in legend order.
MEETING_STATUS_STYLES = {
    "Cel osiągnięty": (BLUE, ""),
    "Poniżej celu": (VERMILLION, "/"),
    "Brak celu na ten rok": (GREY, ""),
    "Rok w toku": (GREY, "."),
}

FONT_FAMILY = '"Segoe UI", "Helvetica Neue", "DejaVu Sans", "Liberation Sans", Arial, sans-serif'
BASE_FONT_SIZE = 17
TITLE_FONT_SIZE = 23
TITLE_WRAP_CHARS = 72
TITLE_LINE_HEIGHT = 30
# A vertical axis title longer than this would run past a short plot ("liczba JST
# (narastająco od początku projektu)"), so it is broken into lines.
AXIS_TITLE_WRAP_CHARS = 30
MONTH_TICK_FORMATS = [
    # Whole years when the axis spans years; months ("paź 2026") once the reader zooms in.
    {"dtickrange": [None, "M1"], "value": "%d.%m.%Y"},
    {"dtickrange": ["M1", "M6"], "value": "%b %Y"},
    {"dtickrange": ["M6", None], "value": "%Y"},
]


def active_pes_by_type_figure(frame: pd.DataFrame, text: IndicatorText) -> go.Figure:
    """Return a stacked area of active PES at each month end, one band per PES type.

    Stacked, because the committee asks both "how many in total" (the top edge) and "which
    kinds" (the bands); the hover lists every type and the total for the month.
    """
    if frame.empty:
        return _no_data_figure(text)
    figure = go.Figure()
    for entity_type in _types_in_stacking_order(frame):
        rows = frame[frame["entity_type"] == entity_type]
        figure.add_trace(
            go.Scatter(
                x=_dates(rows["month"]),
                y=_numbers(rows["active_pes"]),
                name=str(rows["entity_type_pl"].iloc[0]),
                stackgroup="pes",
                mode="lines",
                # plotly fills stacks half-transparent by default: too pale for a projector.
                fillcolor=TYPE_COLOURS.get(entity_type, GREY),
                line={"width": 1, "color": "white"},
                hovertemplate="%{fullData.name}: %{y:,}<extra></extra>",
            )
        )
    totals = frame.groupby("month", sort=True)["active_pes"].sum()
    figure.add_trace(
        go.Scatter(
            x=_dates(totals.index),
            y=_numbers(totals),
            name="Razem",
            mode="lines",
            line={"width": 0, "color": INK},
            showlegend=False,
            hovertemplate="<b>Razem: %{y:,}</b><extra></extra>",
        )
    )
    _apply_common_layout(
        figure,
        text,
        subtitle=f"Stan na koniec każdego miesiąca, do {format_date_long(_last(frame['month']))}",
        x_title="Miesiąc",
        height=600,
    )
    figure.update_layout(hovermode="x unified", legend={"traceorder": "reversed"})
    figure.update_xaxes(tickformatstops=MONTH_TICK_FORMATS, hoverformat="%B %Y")
    return figure


def active_pes_by_powiat_figure(frame: pd.DataFrame, text: IndicatorText) -> go.Figure:
    """Return horizontal bars of active PES per powiat at the latest month, largest on top.

    Horizontal and sorted, because powiat names are long and the committee reads the ranking.
    """
    if frame.empty:
        return _no_data_figure(text)
    ordered = frame.sort_values(["active_pes", "powiat_name"], ascending=[True, False])
    figure = go.Figure(
        go.Bar(
            x=_numbers(ordered["active_pes"]),
            y=list(ordered["powiat_name"]),
            orientation="h",
            marker={"color": BLUE},
            texttemplate="%{x:,}",
            textposition="outside",
            cliponaxis=False,
            hovertemplate=f"<b>%{{y}}</b><br>{_capitalised(text.unit_pl)}: %{{x:,}}<extra></extra>",
        )
    )
    _apply_common_layout(
        figure,
        text,
        subtitle=f"Stan na {format_date_long(_last(frame['month']))}",
        x_title=_capitalised(text.unit_pl),
        y_title="Powiat",
        height=170 + 36 * len(ordered),
    )
    figure.update_layout(showlegend=False)
    figure.update_xaxes(rangemode="tozero", separatethousands=True)
    figure.update_yaxes(type="category", automargin=True, ticksuffix="  ")
    return figure


def jst_supported_figure(frame: pd.DataFrame, text: IndicatorText) -> go.Figure:
    """Return the cumulative count of supported local governments, with each target as a line.

    The target is drawn only over the period it was set for, so the reader sees whether the
    line reached it in time rather than a target that seems to apply for ever.
    """
    if frame.empty:
        return _no_data_figure(text)
    unit = _capitalised(text.unit_pl)
    figure = go.Figure(
        go.Scatter(
            x=_dates(frame["month"]),
            y=_numbers(frame["jst_supported"]),
            name=unit,
            mode="lines",
            line={"width": 4, "color": BLUE, "shape": "hv"},
            hovertemplate=f"{unit}: %{{y:,}}<extra></extra>",
        )
    )
    for target, valid_from, valid_to in _target_periods(frame):
        period = f"{format_date_short(valid_from)}–{format_date_short(valid_to)}"
        # A point at every month end of the period, so the hover names the target all along.
        month_ends = [d for d in _dates(frame["month"]) if valid_from < d < valid_to]
        figure.add_trace(
            go.Scatter(
                x=[valid_from, *month_ends, valid_to],
                y=[target] * (len(month_ends) + 2),
                name=f"Cel: {format_number(target)} (do {format_date_short(valid_to)})",
                mode="lines",
                line={"width": 3, "color": INK, "dash": "dash"},
                hovertemplate=f"Cel: %{{y:,}} (obowiązuje {period})<extra></extra>",
            )
        )
    _apply_common_layout(
        figure,
        text,
        subtitle="Narastająco, stan na koniec miesiąca, do "
        f"{format_date_long(_last(frame['month']))}",
        x_title="Miesiąc",
        height=520,
    )
    figure.update_layout(hovermode="x unified")
    figure.update_xaxes(tickformatstops=MONTH_TICK_FORMATS, hoverformat="%B %Y")
    figure.update_yaxes(rangemode="tozero")
    return figure


def rkres_meetings_figure(
    frame: pd.DataFrame, text: IndicatorText, latest_full_year: int
) -> go.Figure:
    """Return bars of committee meetings per year against the yearly target.

    Years under target are vermillion and hatched; the year still in progress is grey and
    dotted, because a half-finished year is not yet a missed target.
    """
    if frame.empty:
        return _no_data_figure(text)
    unit = _capitalised(text.unit_pl)
    years = [
        _meeting_year(int(row.year), _number(row.meetings), _number(row.target), latest_full_year)
        for row in frame.itertuples()
    ]
    figure = go.Figure()
    for status, (colour, pattern) in MEETING_STATUS_STYLES.items():
        shown = [year for year in years if year.status == status]
        if not shown:
            continue
        figure.add_trace(
            go.Bar(
                x=[year.label for year in shown],
                y=[year.meetings for year in shown],
                customdata=[year.verdict for year in shown],
                name=status,
                marker={
                    "color": colour,
                    "pattern": {"shape": pattern, "fgcolor": "white", "solidity": 0.25},
                },
                # At the foot of the bar, so the count never hides behind the target marker.
                texttemplate="<b>%{y:,}</b>",
                textposition="inside",
                insidetextanchor="start",
                textfont={"color": "white", "size": BASE_FONT_SIZE + 3},
                hovertemplate=f"<b>Rok %{{x}}</b><br>{unit}: %{{y:,}}<br>%{{customdata}}"
                "<extra></extra>",
            )
        )
    for position, year in enumerate(years):
        if not year.meetings:
            # A year with no meeting has no bar to colour: its zero is written on the axis.
            # (Placed by position: plotly would read "2020" as the 2021st category.)
            figure.add_annotation(
                x=position,
                y=0,
                yanchor="bottom",
                text="<b>0</b>",
                showarrow=False,
                font={"size": BASE_FONT_SIZE + 3, "color": MEETING_STATUS_STYLES[year.status][0]},
            )
    figure.add_trace(
        go.Scatter(
            x=[year.label for year in years],
            y=[year.target for year in years],
            # The target marker also gives the count: a year with no meeting has no bar to hover.
            customdata=[[format_number(year.meetings), year.verdict] for year in years],
            name="Cel na rok",
            mode="lines+markers",
            line={"width": 3, "color": INK, "dash": "dash"},
            marker={"size": 14, "symbol": "diamond", "color": INK},
            hovertemplate=f"<b>Rok %{{x}}</b><br>Cel: %{{y:,}}<br>{unit}: %{{customdata[0]}}"
            "<br>%{customdata[1]}<extra></extra>",
        )
    )
    highest = max(max(year.meetings or 0, year.target or 0) for year in years)
    _apply_common_layout(figure, text, subtitle="Lata kalendarzowe", x_title="Rok", height=520)
    figure.update_layout(barmode="overlay", bargap=0.35)
    figure.update_xaxes(
        type="category", categoryorder="array", categoryarray=[year.label for year in years]
    )
    figure.update_yaxes(range=[0, highest * 1.25 + 0.5], dtick=1 if highest <= 10 else None)
    return figure


class _MeetingYear(NamedTuple):
    """One year of committee meetings, judged against that year's target."""

    label: str
    meetings: int | None
    target: int | None
    status: str  # the legend label: a key of MEETING_STATUS_STYLES
    verdict: str  # the hover sentence


def _meeting_year(
    year: int, meetings: int | None, target: int | None, latest_full_year: int
) -> _MeetingYear:
    """Return one year's meetings with its status against the target."""
    if year > latest_full_year:
        status, verdict = "Rok w toku", "Rok jeszcze trwa: liczba może wzrosnąć"
    elif target is None:
        status, verdict = "Brak celu na ten rok", "W tym roku nie obowiązywał cel"
    elif (meetings or 0) < target:
        status, verdict = "Poniżej celu", f"Poniżej celu (cel: {format_number(target)})"
    else:
        status, verdict = "Cel osiągnięty", f"Cel osiągnięty (cel: {format_number(target)})"
    return _MeetingYear(str(year), meetings, target, status, verdict)


def _apply_common_layout(
    figure: go.Figure,
    text: IndicatorText,
    *,
    subtitle: str,
    x_title: str,
    height: int,
    y_title: str | None = None,
) -> None:
    """Give a figure the page's shared look: title, Polish separators, large readable type."""
    title = _wrapped(text.title_pl)
    title_lines = title.count("<br>") + 1
    figure.update_layout(
        template="plotly_white",
        separators=PLOTLY_SEPARATORS,
        height=height,
        font={"family": FONT_FAMILY, "size": BASE_FONT_SIZE, "color": INK},
        # Placed from the top of the figure with a margin sized for its lines: plotly's own
        # title automargin pushes a two-line title with a subtitle off the figure, and
        # plotly centres extra lines on the anchor, hence half a line of padding for each.
        title={
            "text": title,
            "subtitle": {"text": subtitle, "font": {"size": BASE_FONT_SIZE, "color": "#444"}},
            "font": {"size": TITLE_FONT_SIZE, "weight": 600},
            "x": 0,
            "xanchor": "left",
            "xref": "paper",
            "y": 1,
            "yanchor": "top",
            "yref": "container",
            "pad": {"t": 14 + (title_lines - 1) * TITLE_LINE_HEIGHT // 2},
        },
        # The legend sits at the foot of the figure, below the x axis title, whatever the height.
        margin={"l": 20, "r": 40, "t": 40 + TITLE_LINE_HEIGHT * title_lines + 36, "b": 60},
        legend={
            "orientation": "h",
            "x": 0,
            "y": 0,
            "yref": "container",
            "yanchor": "bottom",
            "font": {"size": 16},
        },
        hoverlabel={"font": {"family": FONT_FAMILY, "size": BASE_FONT_SIZE}},
    )
    figure.update_xaxes(
        title={"text": x_title, "font": {"size": BASE_FONT_SIZE + 1}},
        automargin=True,
        showline=True,
        linecolor=INK,
        ticks="outside",
    )
    figure.update_yaxes(
        title={
            "text": _wrapped(y_title or _capitalised(text.unit_pl), AXIS_TITLE_WRAP_CHARS),
            "font": {"size": BASE_FONT_SIZE + 1},
        },
        automargin=True,
        separatethousands=True,
        gridcolor="#D9D9D9",
    )


def _no_data_figure(text: IndicatorText) -> go.Figure:
    """Return an empty figure that says so, so a missing mart row never looks like zero."""
    figure = go.Figure()
    _apply_common_layout(figure, text, subtitle="", x_title="", height=300)
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False)
    figure.add_annotation(
        text="Brak danych do pokazania",
        showarrow=False,
        font={"size": 22},
        x=0.5,
        y=0.5,
        xref="paper",
        yref="paper",
    )
    return figure


def _types_in_stacking_order(frame: pd.DataFrame) -> list[str]:
    """Return the PES type codes present: known types in a fixed order, unknown ones after."""
    present = set(frame["entity_type"])
    known = [code for code in TYPE_COLOURS if code in present]
    return known + sorted(present - set(TYPE_COLOURS))


def _target_periods(frame: pd.DataFrame) -> list[tuple[int, date, date]]:
    """Return each distinct (target, valid from, valid to) the mart states, earliest first."""
    stated = frame.dropna(subset=["target", "target_valid_from", "target_valid_to"])
    periods = stated[["target", "target_valid_from", "target_valid_to"]].drop_duplicates()
    return sorted(
        (int(target), pd.Timestamp(start).date(), pd.Timestamp(end).date())
        for target, start, end in periods.itertuples(index=False)
    )


def _dates(values: pd.Series | pd.Index) -> list[date]:
    """Return plain dates: plotly then writes ``2026-10-31`` with no time part or zone."""
    return [pd.Timestamp(value).date() for value in values]


def _numbers(values: pd.Series) -> list[int | None]:
    """Return plain Python numbers, with None for missing values (which plotly leaves as gaps)."""
    return [_number(value) for value in values]


def _number(value: object) -> int | float | None:
    """Return one mart value as a Python number, or None when it is missing."""
    if pd.isna(value):
        return None
    return int(value) if float(value).is_integer() else float(value)


def _last(values: pd.Series) -> date:
    """Return the latest date in a date column."""
    return pd.Timestamp(values.max()).date()


def _capitalised(phrase: str) -> str:
    """Return ``phrase`` with its first letter in upper case (an axis title from a unit)."""
    return phrase[:1].upper() + phrase[1:]


def _wrapped(title: str, width: int = TITLE_WRAP_CHARS) -> str:
    """Return a long title broken into lines: plotly never wraps a title by itself."""
    return "<br>".join(textwrap.wrap(title, width))
