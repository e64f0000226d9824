"""The dashboard's figures: one function per figure, each from one small mart DataFrame.

These are the sector's state and the targets of the project's coordination (active PES,
committee meetings, local governments supported); their shared look is in
:mod:`dashboards.figure_style`. Where colour carries a meaning (a year under target) a hatch
pattern and the hover text carry it too.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

import pandas as pd
import plotly.graph_objects as go

from dashboards.figure_style import (
    BASE_FONT_SIZE,
    BLUE,
    GREEN,
    GREY,
    INK,
    MONTH_TICK_FORMATS,
    OLIVE,
    ORANGE,
    PURPLE,
    SKY_BLUE,
    VERMILLION,
    YELLOW,
    apply_common_layout,
    as_of_subtitle,
    capitalised,
    category_axis,
    dates,
    last_date,
    monthly_axes,
    no_data_figure,
    number,
    numbers,
    step_line,
    year_end,
)
from dashboards.formatting import format_date_long, format_date_short, format_number
from dashboards.marts import IndicatorText

# A fixed colour and stacking order per PES type, so a type keeps its colour from one refresh
# to the next even when another type has no entities yet. The other types of the Act
# (data/reference/pes_legal_types.csv) are grey, stacked after these, and drawn only when
# they have active entities: a band of zeros would only lengthen the legend.
TYPE_COLOURS = {
    "association": BLUE,
    "foundation": SKY_BLUE,
    "social_cooperative": GREEN,
    "cis": ORANGE,
    "kis": YELLOW,
    "zaz": VERMILLION,
    "wtz": PURPLE,
    "rural_housewives_circle": OLIVE,
}

# Committee members' sectors, in the order the meeting sheet lists them.
SECTOR_ORDER = ("present_public", "present_pes", "present_business", "present_science")

# Meeting years: the mart's target_status -> legend label (None: no target that year).
MEETING_STATUS_LABELS = {
    "osiągnięty": "Cel osiągnięty",
    "nieosiągnięty": "Poniżej celu",
    "w trakcie": "Rok w toku",
    None: "Brak celu na ten rok",
}
# Meeting years: legend label -> (colour, hatch pattern), in legend order.
MEETING_STATUS_STYLES = {
    "Cel osiągnięty": (BLUE, ""),
    "Poniżej celu": (VERMILLION, "/"),
    "Brak celu na ten rok": (GREY, ""),
    "Rok w toku": (GREY, "."),
}


def active_pes_by_type_figure(frame: pd.DataFrame, text: IndicatorText, _: date) -> go.Figure:
    """Return a stacked area of active PES at each month end, one band per PES type.

    Stacked, because the committee asks both "how many in total" (the top edge) and "which
    kinds" (the bands); the hover lists every type and the total for the month.
    """
    if frame.empty:
        return no_data_figure(text)
    figure = go.Figure()
    for entity_type in _types_in_stacking_order(frame):
        rows = frame[frame["entity_type"] == entity_type]
        figure.add_trace(
            go.Scatter(
                x=dates(rows["month"]),
                y=numbers(rows["active_pes"]),
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
            x=dates(totals.index),
            y=numbers(totals),
            name="Razem",
            mode="lines",
            line={"width": 0, "color": INK},
            showlegend=False,
            hovertemplate="<b>Razem: %{y:,}</b><extra></extra>",
        )
    )
    apply_common_layout(
        figure,
        text,
        subtitle="Stan na koniec każdego miesiąca, do "
        f"{format_date_long(last_date(frame['month']))}",
        x_title="Miesiąc",
        height=600,
    )
    figure.update_layout(hovermode="x unified", legend={"traceorder": "reversed"})
    figure.update_xaxes(tickformatstops=MONTH_TICK_FORMATS, hoverformat="%B %Y")
    return figure


def active_pes_by_powiat_figure(frame: pd.DataFrame, text: IndicatorText, _: date) -> go.Figure:
    """Return horizontal bars of active PES per powiat at the latest month, largest on top.

    Horizontal and sorted, because powiat names are long and the committee reads the ranking.
    """
    return ranked_bars(frame, text, "powiat_name", "Powiat")


def active_pes_by_pkd_section_figure(
    frame: pd.DataFrame, text: IndicatorText, _: date
) -> go.Figure:
    """Return horizontal bars of active PES per PKD section of main activity at the latest
    month, largest on top; sections with no entity are left out (21 empty bars say nothing)."""
    shown = frame[frame["active_pes"] > 0]
    named = (shown["pkd_section"] + " – " + shown["pkd_section_pl"]).where(
        shown["pkd_section"] != "-", shown["pkd_section_pl"])
    return ranked_bars(shown.assign(section_label=named), text, "section_label", "Sekcja PKD")


def ranked_bars(frame: pd.DataFrame, text: IndicatorText, label: str, y_title: str) -> go.Figure:
    """Return horizontal bars of active PES per `label` at the frame's month, largest on top."""
    if frame.empty:
        return no_data_figure(text)
    ordered = frame.sort_values(["active_pes", label], ascending=[True, False])
    figure = go.Figure(
        go.Bar(
            x=numbers(ordered["active_pes"]),
            y=list(ordered[label]),
            orientation="h",
            marker={"color": BLUE},
            texttemplate="%{x:,}",
            textposition="outside",
            cliponaxis=False,
            hovertemplate=f"<b>%{{y}}</b><br>{capitalised(text.unit_pl)}: %{{x:,}}<extra></extra>",
        )
    )
    apply_common_layout(
        figure,
        text,
        subtitle=f"Stan na {format_date_long(last_date(frame['month']))}",
        x_title=capitalised(text.unit_pl),
        y_title=y_title,
        height=170 + 36 * len(ordered),
    )
    figure.update_layout(showlegend=False)
    figure.update_xaxes(rangemode="tozero", separatethousands=True)
    figure.update_yaxes(type="category", automargin=True, ticksuffix="  ")
    return figure


def jst_supported_figure(frame: pd.DataFrame, text: IndicatorText, _: date) -> go.Figure:
    """Return the cumulative count of supported local governments, with each target as a line.

    The target is drawn only over the period it was set for, so the reader sees whether the
    line reached it in time rather than a target that seems to apply for ever.
    """
    if frame.empty:
        return no_data_figure(text)
    unit = capitalised(text.unit_pl)
    figure = go.Figure(step_line(frame["month"], frame["jst_supported"], unit, BLUE))
    for target, valid_from, valid_to in _target_periods(frame):
        period = f"{format_date_short(valid_from)}–{format_date_short(valid_to)}"
        # A point at every month end of the period, so the hover names the target all along.
        month_ends = [d for d in dates(frame["month"]) if valid_from < d < valid_to]
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
    apply_common_layout(
        figure,
        text,
        subtitle="Narastająco, stan na koniec miesiąca, do "
        f"{format_date_long(last_date(frame['month']))}",
        x_title="Miesiąc",
        height=520,
    )
    return monthly_axes(figure)


def rkres_meetings_figure(
    frame: pd.DataFrame, text: IndicatorText, data_as_of: date
) -> go.Figure:
    """Return bars of committee meetings per year against the yearly target.

    Years under target are vermillion and hatched; the year still in progress is grey and
    dotted, because a half-finished year is not yet a missed target. The verdict is the
    mart's ``target_status``: only its colour and words are chosen here.
    """
    if frame.empty:
        return no_data_figure(text)
    unit = capitalised(text.unit_pl)
    years = [
        _meeting_year(int(row.year), number(row.meetings), number(row.target),
                      None if pd.isna(row.target_status) else row.target_status)
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
    apply_common_layout(
        figure,
        text,
        subtitle="Lata kalendarzowe; "
        + as_of_subtitle(year_end(frame["year"].max()), data_as_of).lower(),
        x_title="Rok",
        height=520,
    )
    figure.update_layout(barmode="overlay", bargap=0.35)
    figure.update_xaxes(
        type="category", categoryorder="array", categoryarray=[year.label for year in years]
    )
    figure.update_yaxes(range=[0, highest * 1.25 + 0.5], dtick=1 if highest <= 10 else None)
    return figure


def social_enterprises_figure(
    frame: pd.DataFrame, text: IndicatorText, data_as_of: date
) -> go.Figure:
    """Return the social enterprises holding the status at each month end, as a step line.

    A step, because the count changes on the day of a decision and stays until the next one.
    """
    if frame.empty:
        return no_data_figure(text)
    unit = capitalised(text.unit_pl)
    figure = go.Figure(step_line(frame["month"], frame["social_enterprises"], unit, GREEN))
    apply_common_layout(
        figure,
        text,
        subtitle=as_of_subtitle(last_date(frame["month"]), data_as_of),
        x_title="Miesiąc",
        height=480,
    )
    return monthly_axes(figure, showlegend=False)


def rkres_attendance_figure(
    frame: pd.DataFrame, text: IndicatorText, data_as_of: date
) -> go.Figure:
    """Return the members present at each committee meeting, stacked by sector.

    Stacked, because the committee asks whether a meeting was well attended (the bar's height)
    and whether every sector had its voice (the bands); the hover gives the total too.
    """
    if frame.empty:
        return no_data_figure(text)
    meetings = (
        frame[["met_on", "meeting_number"]]
        .drop_duplicates()
        .sort_values(["met_on", "meeting_number"])
    )
    labels = {
        (row.met_on, row.meeting_number): (
            f"nr {row.meeting_number}<br>{format_date_short(pd.Timestamp(row.met_on).date())}"
        )
        for row in meetings.itertuples()
    }
    totals = frame.groupby(["met_on", "meeting_number"])["present"].sum()
    colours = dict(zip(SECTOR_ORDER, (BLUE, GREEN, ORANGE, PURPLE), strict=True))
    figure = go.Figure()
    for sector in [*SECTOR_ORDER, *sorted(set(frame["sector"]) - set(SECTOR_ORDER))]:
        rows = frame[frame["sector"] == sector]
        if rows.empty:
            continue
        keys = list(zip(rows["met_on"], rows["meeting_number"], strict=True))
        figure.add_trace(
            go.Bar(
                x=[labels[key] for key in keys],
                y=numbers(rows["present"]),
                customdata=[format_number(int(totals[key])) for key in keys],
                name=str(rows["sector_pl"].iloc[0]),
                marker={"color": colours.get(sector, GREY)},
                hovertemplate="<b>Posiedzenie %{x}</b><br>%{fullData.name}: %{y:,}"
                "<br>Obecnych razem: %{customdata}<extra></extra>",
            )
        )
    apply_common_layout(
        figure,
        text,
        # as of the last meeting drawn: the sheet says nothing of the days after it
        subtitle=as_of_subtitle(last_date(frame["met_on"]), data_as_of),
        x_title="Posiedzenie (numer i data)",
        y_title="Liczba obecnych członków",
        height=560,
    )
    figure.update_layout(barmode="stack", legend={"traceorder": "normal"})
    category_axis(figure, list(labels.values()))
    return figure


class _MeetingYear(NamedTuple):
    """One year of committee meetings, judged against that year's target."""

    label: str
    meetings: int | None
    target: int | None
    status: str  # the legend label: a key of MEETING_STATUS_STYLES
    verdict: str  # the hover sentence


def _meeting_year(
    year: int, meetings: int | None, target: int | None, target_status: str | None
) -> _MeetingYear:
    """Return one year's meetings with the mart's verdict, in the legend's and hover's words."""
    status = MEETING_STATUS_LABELS[target_status]
    verdict = {
        "Rok w toku": "Rok jeszcze trwa: liczba może wzrosnąć",
        "Brak celu na ten rok": "W tym roku nie obowiązywał cel",
    }.get(status, f"{status} (cel: {format_number(target)})")
    return _MeetingYear(str(year), meetings, target, status, verdict)


def _types_in_stacking_order(frame: pd.DataFrame) -> list[str]:
    """Return the PES type codes to draw: the coloured types in a fixed order, then the
    others with active entities in some month, by code."""
    present = set(frame["entity_type"])
    known = [code for code in TYPE_COLOURS if code in present]
    counted = set(frame.loc[frame["active_pes"] > 0, "entity_type"])
    return known + sorted(counted - set(TYPE_COLOURS))


def _target_periods(frame: pd.DataFrame) -> list[tuple[int, date, date]]:
    """Return each distinct (target, valid from, valid to) the mart states, earliest first."""
    stated = frame.dropna(subset=["target", "target_valid_from", "target_valid_to"])
    periods = stated[["target", "target_valid_from", "target_valid_to"]].drop_duplicates()
    return sorted(
        (int(target), pd.Timestamp(start).date(), pd.Timestamp(end).date())
        for target, start, end in periods.itertuples(index=False)
    )
