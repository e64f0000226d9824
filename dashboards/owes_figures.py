"""Figures of what the support centres (OWES) delivered, from their quarterly reports.

The values are the centres' own, from the version of each report in use; a total that does not
agree with the report's detail sheet is hatched and named in the hover, so the committee sees
it is disputed without the figure hiding it.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboards.figure_style import (
    BLUE,
    ORANGE,
    apply_common_layout,
    as_of_subtitle,
    category_axis,
    category_colours,
    no_data_figure,
    quarter_end,
    wrapped,
)
from dashboards.formatting import format_quarter
from dashboards.hidden_counts import bar_heights, count_labels, hidden_marks, is_hidden
from dashboards.marts import IndicatorText
from quality.disclosure import marker_column, total_column

DISPUTED_PATTERN = "x"
DISPUTED_NOTE_PL = "Kratka: suma niezgodna z wierszami arkusza szczegółowego sprawozdania"
PANEL_TITLE_WRAP_CHARS = 90


def owes_indicators_figure(frame: pd.DataFrame, text: IndicatorText, data_as_of: date) -> go.Figure:
    """Return one panel per OWES indicator, one under another: bars per quarter by centre.

    One panel each, because the indicators count different things (entities, enterprises,
    jobs, persons) and would share no scale; the centres keep one colour across panels.
    """
    if frame.empty:
        return no_data_figure(text)
    indicators = frame[["indicator", "indicator_label"]].drop_duplicates().sort_values("indicator")
    quarters = sorted(set(frame["quarter_start"]))
    labels = [format_quarter(pd.Timestamp(day).date()) for day in quarters]
    colours = category_colours(frame["centre_code"])
    rows = len(indicators)
    figure = make_subplots(
        rows=rows,
        cols=1,
        subplot_titles=[
            wrapped(label, PANEL_TITLE_WRAP_CHARS) for label in indicators["indicator_label"]
        ],
        vertical_spacing=0.45 / rows,
    )
    for position, indicator in enumerate(indicators["indicator"]):
        panel = {"row": position + 1, "col": 1}
        for centre, reported in frame[frame["indicator"] == indicator].groupby("centre_code"):
            reported = reported.set_index("quarter_start").reindex(quarters)
            disputed = reported["agrees_with_detail"].eq(False)
            markers = list(reported.get(marker_column("value"),
                                        pd.Series(None, index=reported.index, dtype=object)))
            name = _centre_name(reported, centre)
            figure.add_trace(
                go.Bar(
                    x=labels,
                    y=bar_heights(reported["value"], markers),
                    customdata=[
                        label + (" – niezgodna z arkuszem szczegółowym" if flag else "")
                        for label, flag in zip(count_labels(reported["value"], markers),
                                               disputed, strict=True)
                    ],
                    name=name,
                    legendgroup=centre,
                    showlegend=position == 0,
                    marker={
                        "color": colours[centre],
                        "pattern": {
                            "shape": [DISPUTED_PATTERN if flag else "" for flag in disputed],
                            "fgcolor": "white",
                        },
                    },
                    hovertemplate="%{fullData.name}: %{customdata}<extra></extra>",
                ),
                **panel,
            )
            hidden = [position for position, marker in enumerate(markers) if is_hidden(marker)]
            if hidden:
                figure.add_trace(hidden_marks(
                    [labels[i] for i in hidden], [markers[i] for i in hidden],
                    [f"{name}: {markers[i]}" for i in hidden],
                ), **panel)
    apply_common_layout(
        figure,
        text,
        subtitle=f"{DISPUTED_NOTE_PL}; "
        + as_of_subtitle(quarter_end(quarters[-1]), data_as_of).lower(),
        x_title="",
        height=340 * rows + 240,
    )
    # Room above the first panel for its title, below the figure's own subtitle.
    figure.update_layout(
        barmode="stack", hovermode="x unified", margin={"t": figure.layout.margin.t + 40}
    )
    figure.update_annotations(font={"size": 18, "weight": 600})
    category_axis(figure, labels, tickangle=-45, tickfont={"size": 14})
    return figure


def owes_outputs_by_powiat_figure(
    frame: pd.DataFrame, text: IndicatorText, data_as_of: date
) -> go.Figure:
    """Return entities supported and jobs created per powiat in the latest quarter reported.

    One quarter, because an entity supported in two quarters counts in both: adding quarters
    up would count it twice. Powiats run top to bottom by entities supported.
    """
    if frame.empty:
        return no_data_figure(text)
    latest = frame["quarter_start"].max()
    quarter = frame[frame["quarter_start"] == latest].copy()
    quarter["place"] = [
        name if pd.isna(subregion) else f"{name} ({subregion.removeprefix('subregion ')})"
        for name, subregion in zip(quarter["powiat_name"], quarter["subregion_pl"], strict=True)
    ]
    ordered = quarter.sort_values(["entities_supported", "place"], ascending=[True, False])
    no_markers = [None] * len(ordered)
    jobs_markers = list(ordered[marker_column("jobs_created")])
    figure = go.Figure()
    for column, name, colour, markers in (
        ("jobs_created", "Miejsca pracy utworzone", ORANGE, jobs_markers),
        ("entities_supported", "Podmioty objęte wsparciem", BLUE, no_markers),
    ):
        figure.add_trace(
            go.Bar(
                x=bar_heights(ordered[column], markers),
                y=list(ordered["place"]),
                text=count_labels(ordered[column], markers),
                name=name,
                orientation="h",
                marker={"color": colour},
                texttemplate="%{text}",
                textposition="outside",
                cliponaxis=False,
                hovertemplate=f"<b>%{{y}}</b><br>{name}: %{{text}}<extra></extra>",
            )
        )
    hidden = [i for i, marker in enumerate(jobs_markers) if is_hidden(marker)]
    if hidden:
        places = list(ordered["place"])
        figure.add_trace(hidden_marks(
            [places[i] for i in hidden], [jobs_markers[i] for i in hidden],
            [f"Miejsca pracy utworzone: {jobs_markers[i]}" for i in hidden],
            horizontal=True,
        ))
    quarter_label = format_quarter(pd.Timestamp(latest).date())
    apply_common_layout(
        figure,
        text,
        subtitle=f"{quarter_label} (ostatni kwartał ze sprawozdań); "
        + as_of_subtitle(quarter_end(latest), data_as_of).lower(),
        x_title="Liczba podmiotów / miejsc pracy w kwartale",
        y_title="Powiat (subregion OWES)" if quarter["subregion_pl"].notna().any()
        else "Powiat (podregiony OWES nieznane)",
        height=200 + 52 * len(ordered),
    )
    figure.update_layout(barmode="group", legend={"traceorder": "reversed"})
    figure.update_xaxes(rangemode="tozero")
    figure.update_yaxes(type="category", ticksuffix="  ")
    return figure


def owes_jobs_by_group_figure(
    frame: pd.DataFrame, text: IndicatorText, data_as_of: date
) -> go.Figure:
    """Return the jobs created since the first report, per at-risk group, stacked by contract.

    Jobs add up across quarters (each is one person hired), so the whole period is one bar
    per group, the largest group on top.
    """
    if frame.empty:
        return no_data_figure(text)
    keys = ["at_risk_group", "at_risk_group_label", "contract_type", "contract_type_label"]
    cell = total_column("jobs", ("at_risk_group", "contract_type"))
    by_group = frame.groupby(keys, as_index=False).first()[[*keys, cell, marker_column(cell)]]
    by_group = by_group.rename(columns={cell: "jobs", marker_column(cell): "marker"})
    # Order by what is shown, a hidden number as 0: the order must not tell what it hides.
    shown_jobs = by_group["jobs"].astype(float).fillna(0)
    group_totals = shown_jobs.groupby(by_group["at_risk_group_label"]).sum()
    order = sorted(group_totals.index, key=lambda label: (group_totals[label], label))
    colours = category_colours(by_group["contract_type"])
    figure = go.Figure()
    for contract_type, rows in by_group.groupby("contract_type", sort=True):
        rows = rows.set_index("at_risk_group_label").reindex(order)
        name = str(rows["contract_type_label"].dropna().iloc[0])
        # a group without this contract type has no row: no job of it, 0
        jobs = rows["jobs"].astype(float).fillna(0)
        markers = list(rows["marker"])
        figure.add_trace(
            go.Bar(
                x=bar_heights(jobs, markers),
                y=order,
                customdata=count_labels(jobs, markers),
                name=name,
                orientation="h",
                marker={"color": colours[contract_type]},
                hovertemplate=f"<b>%{{y}}</b><br>{name}: %{{customdata}}<extra></extra>",
            )
        )
    hidden = by_group[by_group["marker"].notna()]
    if not hidden.empty:
        by_label = hidden.groupby("at_risk_group_label", sort=True)
        figure.add_trace(hidden_marks(
            list(by_label.groups),
            [" ".join(sorted(set(rows["marker"]))) for _, rows in by_label],
            ["<br>".join(f"{row.contract_type_label}: {row.marker}" for row in rows.itertuples())
             for _, rows in by_label],
            horizontal=True,
        ))
    first = format_quarter(pd.Timestamp(frame["quarter_start"].min()).date())
    last = frame["quarter_start"].max()
    apply_common_layout(
        figure,
        text,
        subtitle=f"Razem od {first} do {format_quarter(pd.Timestamp(last).date())}; "
        + as_of_subtitle(quarter_end(last), data_as_of).lower(),
        x_title="Liczba miejsc pracy",
        y_title="Grupa zagrożona wykluczeniem",
        height=220 + 48 * len(order),
    )
    figure.update_layout(barmode="stack")
    figure.update_xaxes(rangemode="tozero")
    figure.update_yaxes(type="category", ticksuffix="  ")
    return figure


def _centre_name(reported: pd.DataFrame, centre: str) -> str:
    """Return a centre as the legend names it: its name, else its code."""
    names = reported["centre_name"].dropna()
    return str(names.iloc[0]) if not names.empty else centre
