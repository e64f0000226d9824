"""The look every dashboard figure shares: palette, type sizes, title, axes, the empty figure.

The readers are a regional committee looking at a laptop or a projector, so every figure has
large type, a title, axis titles with units, Polish separators and colours from the Okabe-Ito
palette (distinguishable with the common kinds of colour blindness). Kept in one module so
that the figures of every section look alike and a change of look is made once.
"""

from __future__ import annotations

import textwrap
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from dashboards.formatting import PLOTLY_SEPARATORS, format_date_long
from dashboards.marts import IndicatorText

# Okabe-Ito colours: safe for colour-blind readers and distinct on a washed-out projector.
BLUE = "#0072B2"
SKY_BLUE = "#56B4E9"
GREEN = "#009E73"
ORANGE = "#E69F00"
YELLOW = "#F0E442"
VERMILLION = "#D55E00"
PURPLE = "#CC79A7"
# Paul Tol's olive, beside the Okabe-Ito colours above: an eighth colour still told apart
OLIVE = "#999933"
GREY = "#8C8C8C"
INK = "#1A1A1A"
# Categories without a colour of their own (institution types, kinds of events, OWES centres)
# take these in turn; yellow comes last, being the faintest on white.
CATEGORY_COLOURS = (BLUE, ORANGE, GREEN, VERMILLION, SKY_BLUE, PURPLE, GREY, YELLOW)

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


def apply_common_layout(
    figure: go.Figure,
    text: IndicatorText,
    *,
    subtitle: str,
    x_title: str,
    height: int,
    y_title: str | None = None,
) -> None:
    """Give a figure the page's shared look: title, Polish separators, large readable type."""
    title = wrapped(text.title_pl)
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
            "text": wrapped(y_title or capitalised(text.unit_pl), AXIS_TITLE_WRAP_CHARS),
            "font": {"size": BASE_FONT_SIZE + 1},
        },
        automargin=True,
        separatethousands=True,
        gridcolor="#D9D9D9",
    )


def no_data_figure(text: IndicatorText) -> go.Figure:
    """Return an empty figure that says so, so a missing mart row never looks like zero."""
    figure = go.Figure()
    apply_common_layout(figure, text, subtitle="", x_title="", height=300)
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


def dates(values: pd.Series | pd.Index) -> list[date]:
    """Return plain dates: plotly then writes ``2026-10-31`` with no time part or zone."""
    return [pd.Timestamp(value).date() for value in values]


def numbers(values: pd.Series) -> list[int | None]:
    """Return plain Python numbers, with None for missing values (which plotly leaves as gaps)."""
    return [number(value) for value in values]


def number(value: object) -> int | float | None:
    """Return one mart value as a Python number, or None when it is missing."""
    if pd.isna(value):
        return None
    return int(value) if float(value).is_integer() else float(value)


def last_date(values: pd.Series) -> date:
    """Return the latest date in a date column."""
    return pd.Timestamp(values.max()).date()


def capitalised(phrase: str) -> str:
    """Return ``phrase`` with its first letter in upper case (an axis title from a unit)."""
    return phrase[:1].upper() + phrase[1:]


def wrapped(title: str, width: int = TITLE_WRAP_CHARS) -> str:
    """Return a long title broken into lines: plotly never wraps a title by itself."""
    return "<br>".join(textwrap.wrap(title, width))


def category_colours(codes: pd.Series) -> dict[str, str]:
    """Return a colour for each distinct code, in code order, so a refresh keeps the colours."""
    ordered = sorted(set(codes))
    return {code: CATEGORY_COLOURS[i % len(CATEGORY_COLOURS)] for i, code in enumerate(ordered)}


def as_of_subtitle(period_end: date, data_as_of: date) -> str:
    """Return "stan na <day>": the end of the latest period drawn, never after ``data_as_of``.

    A quarter or a year still in progress is only as complete as the data, so its end is the
    data's as-of date rather than the period's last day.
    """
    return f"Stan na {format_date_long(min(period_end, data_as_of))}"


def quarter_end(quarter_start: object) -> date:
    """Return the last day of the quarter that starts on ``quarter_start``."""
    return (pd.Timestamp(quarter_start) + pd.offsets.QuarterEnd(0)).date()


def year_end(year: object) -> date:
    """Return 31 December of ``year``."""
    return date(int(year), 12, 31)


def category_axis(figure: go.Figure, labels: list[str], **axis: object) -> None:
    """Fix the x axis to ``labels`` in their order: plotly would sort "2020" as a number."""
    figure.update_xaxes(type="category", categoryorder="array", categoryarray=labels, **axis)


def monthly_axes(figure: go.Figure, **layout: object) -> go.Figure:
    """Months along the bottom, one hover for every series of a month, counts from zero."""
    figure.update_layout(hovermode="x unified", **layout)
    figure.update_xaxes(tickformatstops=MONTH_TICK_FORMATS, hoverformat="%B %Y")
    figure.update_yaxes(rangemode="tozero")
    return figure


def step_line(months: pd.Series, values: pd.Series, name: str, colour: str,
              dash: str = "solid") -> go.Scatter:
    """A count held from one month end to the next, drawn as steps: it changes on the day of
    an event and stays until the next one, never in between."""
    return go.Scatter(
        x=dates(months),
        y=numbers(values),
        name=name,
        mode="lines",
        line={"width": 4, "color": colour, "shape": "hv", "dash": dash},
        hovertemplate=f"{name}: %{{y:,}}<extra></extra>",
    )


def add_plain_and_hatched_bars(figure: go.Figure, x: list, frame: pd.DataFrame,
                               series: tuple[tuple[str, str, str, str], ...]) -> None:
    """One bar trace per (column, name, colour, pattern) of `series`: the second of a pair
    hatched, so the two read apart without colour too."""
    for column, name, colour, pattern in series:
        figure.add_trace(
            go.Bar(
                x=x,
                y=numbers(frame[column]),
                name=name,
                marker={"color": colour, "pattern": {"shape": pattern, "fgcolor": "white"}},
                hovertemplate=f"{name}: %{{y:,}}<extra></extra>",
            )
        )
