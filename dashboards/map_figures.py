"""The map of the sector: active PES by powiat (and by gmina on demand), as a count or per
10 000 inhabitants.

A count favours the big cities; per 10 000 inhabitants shows where the sector is dense for
its population. The committee switches between the two (and, where the region's gmina
boundaries are bundled, to gminas) with a list of buttons in the map's corner. Boundaries come from
marts.unit_boundary (simplified, sources/boundaries.py); the population's year and source are
columns of the mart and are named under the title.
"""

from __future__ import annotations

import json
from datetime import date

import duckdb
import pandas as pd
import plotly.graph_objects as go

from dashboards.figure_style import apply_common_layout, last_date, no_data_figure, numbers
from dashboards.formatting import format_date_long, format_number
from dashboards.marts import IndicatorText, rows_drawn

INDICATOR = "active_pes_per_10k"
LEVEL_LABELS = {"powiat": "Powiaty", "gmina": "Gminy"}
MEASURES = {  # column -> button and colour bar label
    "active_pes": "liczba podmiotów",
    "active_pes_per_10k": "na 10 tys. mieszkańców",
}
# Sequential, one hue: dense reads dark on a washed-out projector and in greyscale print.
COLOUR_SCALE = "Blues"
MAP_HEIGHT = 640
#: plotly.js fetches a world map (topojson) from the internet for every map, even one whose
#: base map is hidden, and draws nothing when it cannot: the page is read offline, so it
#: carries an empty world instead (the units are drawn from their own boundaries).
OFFLINE_GEO_JS = ('window.PlotlyGeoAssets = {topojson: {world_110m: '
                  '{type: "Topology", objects: {}, arcs: []}}};')


def map_rows(con: duckdb.DuckDBPyConnection, data_as_of: date) -> pd.DataFrame:
    """Return the mart's powiats, then its gminas, as the page draws them at ``data_as_of``
    (its latest month, indicators.yml), each with its boundary (NULL where none is bundled) and
    a label for the hover."""
    return con.execute(
        f"""
        SELECT m.*, b.geometry,
               CASE WHEN m.level = 'gmina'
                    THEN m.unit_name || ' (' || m.unit_kind_pl || ', powiat ' || m.powiat_name
                         || ')'
                    ELSE m.unit_name END AS unit_label
        FROM marts.{INDICATOR} m
        LEFT JOIN marts.unit_boundary b ON b.teryt = m.unit_code AND b.level = m.level
        WHERE {rows_drawn(INDICATOR)}
        ORDER BY m.level DESC, m.unit_code
        """,
        {"data_as_of": data_as_of},
    ).df()


def active_pes_map_figure(frame: pd.DataFrame, text: IndicatorText, _: date) -> go.Figure:
    """Return a choropleth of active PES: powiats as a count first, the other views (per
    10 000 inhabitants; gminas where their boundaries exist) behind buttons.

    One trace per level, so each boundary is written into the page once; a button shows its
    level's trace and gives every trace the values of its measure. A level without boundaries
    has no trace and no button, and the subtitle says so.
    """
    drawn = frame[frame["geometry"].notna()]
    if drawn.empty:
        return no_data_figure(text)
    levels = [level for level in LEVEL_LABELS if (drawn["level"] == level).any()]
    rows = {level: drawn[drawn["level"] == level] for level in levels}
    figure = go.Figure([level_trace(rows[level], level, visible=index == 0)
                        for index, level in enumerate(levels)])
    apply_common_layout(figure, text, subtitle=map_subtitle(frame, levels),
                        x_title="", height=MAP_HEIGHT)
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False)
    figure.update_geos(fitbounds="locations", visible=False, projection_type="mercator")
    figure.update_layout(
        showlegend=False,
        # a drop-down list in the map's top-left corner: four buttons in a row would run past
        # a phone's width and over the subtitle
        updatemenus=[{
            "type": "dropdown",
            "direction": "down",
            "x": 0,
            "xanchor": "left",
            "y": 1.0,
            "yanchor": "top",
            "showactive": True,
            "bgcolor": "white",
            "font": {"size": 16},
            "buttons": [
                {"label": f"{LEVEL_LABELS[level]}: {label}", "method": "restyle",
                 "args": [{"visible": [other == level for other in levels],
                           "z": [numbers(rows[other][column]) for other in levels],
                           "colorbar.title.text": [colour_bar_title(label)] * len(levels)}]}
                for level in levels for column, label in MEASURES.items()
            ],
        }],
    )
    return figure


def level_trace(rows: pd.DataFrame, level: str, *, visible: bool) -> go.Choropleth:
    """Return one level's units coloured by their count, the hover giving every figure."""
    features = [{"type": "Feature", "id": code, "properties": {},
                 "geometry": json.loads(geometry)}
                for code, geometry in zip(rows["unit_code"], rows["geometry"], strict=True)]
    hover = [
        f"<b>{name}</b><br>Aktywne podmioty: {format_number(count)}"
        f"<br>Na 10 tys. mieszkańców: {format_number(per_10k, 2)}"
        f"<br>Ludność (31 XII {year}): {format_number(people)}"
        for name, count, per_10k, people, year in zip(
            rows["unit_label"], numbers(rows["active_pes"]), numbers(rows["active_pes_per_10k"]),
            numbers(rows["population"]), numbers(rows["population_year"]), strict=True)
    ]
    return go.Choropleth(
        geojson={"type": "FeatureCollection", "features": features},
        locations=list(rows["unit_code"]),
        z=numbers(rows["active_pes"]),
        name=LEVEL_LABELS[level],
        colorscale=COLOUR_SCALE,
        marker={"line": {"color": "white", "width": 0.8 if level == "powiat" else 0.4}},
        colorbar={"title": {"text": colour_bar_title(MEASURES["active_pes"])},
                  "thickness": 16, "len": 0.8},
        customdata=hover,
        hovertemplate="%{customdata}<extra></extra>",
        visible=visible,
    )


def colour_bar_title(label: str) -> str:
    """Return a measure's label as the colour bar's title, on two short lines."""
    head, _, last = label.capitalize().rpartition(" ")
    return f"{head}<br>{last}"


def map_subtitle(frame: pd.DataFrame, levels: list[str]) -> str:
    """Return "Stan na …; ludność: <source>, stan na 31 XII <year>", and a note when the
    region has no gmina boundaries."""
    years = sorted({int(y) for y in frame["population_year"].dropna()})
    sources = ", ".join(sorted(set(frame["population_source"].dropna())))
    if not years:
        population = "ludność: brak danych"
    else:
        span = str(years[0]) if years[0] == years[-1] else f"{years[0]}–{years[-1]}"
        population = f"ludność: {sources}, stan na 31 XII {span}"
    subtitle = f"Stan na {format_date_long(last_date(frame['month']))}; {population}"
    if "gmina" not in levels:
        subtitle += "<br>Mapa gmin niedostępna: brak granic gmin tego województwa w pakiecie"
    return subtitle
