"""Assembling the monitoring page: one self-contained HTML file from the indicator marts.

The committee opens the file from a laptop or a projector, often with no network, so the page
carries plotly.js itself (once, for all figures) and asks for nothing else. The output depends
only on the warehouse and the arguments: two refreshes of the same data give the same bytes.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

import duckdb
import pandas as pd
import plotly.graph_objects as go
from jinja2 import Environment, PackageLoader, StrictUndefined, Template
from markupsafe import Markup
from plotly.offline import get_plotlyjs

from dashboards import marts, tiles
from dashboards.download_links import DOWNLOAD_LINKS, ENTITIES_CSV
from dashboards.figure_dates import provenance_line
from dashboards.formatting import (
    format_date_long,
    format_datetime_short,
    format_number,
    plotly_locale,
)
from dashboards.freshness import source_freshness
from dashboards.map_figures import OFFLINE_GEO_JS
from dashboards.sections import DRAWN_INDICATORS, SECTIONS
from dashboards.tables import Table
from quality.disclosure import (
    DEFAULT_MIN_PERSONS,
    HIDDEN_PL,
    MARKER_SUFFIX,
    published_frame,
)

# As the settings hold it (assets/settings.py): the kind of unit is part of the name.
DEFAULT_REGION_NAME_PL = "województwo warmińsko-mazurskie"
# Written beside the dashboard by the quarantine asset; linked relatively so the pair can be
# copied anywhere together.
QUARANTINE_FILE_NAME = "kwarantanna.csv"
ENTITIES_FILE_NAME = ENTITIES_CSV
ID_CHANGES_FILE_NAME = "zmiany_identyfikatorow.csv"
QUALITY_REPORT_FILE_NAME = "raport_jakosci.html"
TEMPLATE_NAME = "dashboard.html.j2"
PLOTLY_CONFIG = {
    "displaylogo": False,
    "locale": "pl",
    "responsive": True,
    # plotly.js 4 offers by default to upload the chart to a cloud service ("Share chart"):
    # the committee's figures stay on the page.
    "showSendToCloud": False,
    # The first-use hints are plotly's own English sentences; the page says how to zoom.
    "showTips": False,
    # Only what a committee member might want: save the chart as a picture, or undo a zoom.
    "modeBarButtonsToRemove": [
        "sendChartToCloud",
        "downloadJson",
        "zoom2d",
        "pan2d",
        "select2d",
        "lasso2d",
        "zoomIn2d",
        "zoomOut2d",
        "autoScale2d",
        "toggleSpikelines",
        "hoverClosestCartesian",
        "hoverCompareCartesian",
        "toggleHover",
    ],
}
# Room above the plot for the mode bar, once the title has moved out of the figure.
PLOT_TOP_MARGIN = 44
# A category label or legend entry longer than this is broken into lines: plotly never wraps
# one, and a PKD section's name would run off a phone's screen.
LABEL_WRAP_CHARS = 30
# The height of a label's extra line, at the figures' type size.
LABEL_LINE_PX = 21
# What a figure's height loses to the x axis, its title and the legend below the plot, and
# the width of one character of an axis title (at least): to fit a vertical title to its plot.
BELOW_PLOT_PX = 130
AXIS_TITLE_CHAR_PX = 11


@dataclass(frozen=True)
class FigureBlock:
    """One indicator as the template places it: the plot (or table) and what it means."""

    anchor: str
    title: str
    subtitle: str
    html: Markup
    description: str
    table: Table | None = None
    hidden_note: str = ""
    # "Stan na … Źródło: …" (dashboards/figure_dates.py)
    provenance: str = ""


@dataclass(frozen=True)
class SectionBlock:
    """One section of the page: its heading and its figures, in reading order."""

    anchor: str
    title: str
    blocks: list[FigureBlock]


def write_dashboard(
    con: duckdb.DuckDBPyConnection,
    out_path: Path,
    *,
    refreshed_at: datetime,
    data_as_of: date,
    region_name_pl: str = DEFAULT_REGION_NAME_PL,
    min_persons: int = DEFAULT_MIN_PERSONS,
    previous_release: Mapping | None = None,
) -> Path:
    """Write the monitoring page for ``data_as_of`` to ``out_path`` and return the path.

    ``region_name_pl`` is the region as the title names it, e.g. "województwo pomorskie";
    counts of persons below ``min_persons`` are hidden (quality/disclosure.py);
    ``previous_release`` is the previous release's manifest (the cards' changes), None on
    the first.
    The page is rendered completely before anything is written, so a failure leaves no file;
    the publish step moves the written file into place atomically.
    """
    html = render_dashboard(
        con,
        refreshed_at=refreshed_at,
        data_as_of=data_as_of,
        region_name_pl=region_name_pl,
        min_persons=min_persons,
        previous_release=previous_release,
    )
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_bytes(html.encode("utf-8"))
    return out_path


def render_dashboard(
    con: duckdb.DuckDBPyConnection,
    *,
    refreshed_at: datetime,
    data_as_of: date,
    region_name_pl: str = DEFAULT_REGION_NAME_PL,
    min_persons: int = DEFAULT_MIN_PERSONS,
    previous_release: Mapping | None = None,
) -> str:
    """Return the page's HTML, reading only the ``marts`` tables through ``con``.

    Every frame passes through the disclosure rule as it is read, as release.json's rows do,
    so no figure, hover or subtitle can show a count of persons the rule hides.
    """
    texts = marts.indicator_texts(con, DRAWN_INDICATORS)
    frames = {
        drawn.indicator: published_frame(con, drawn.indicator, drawn.read(con, data_as_of),
                                         min_persons)
        for section in SECTIONS
        for drawn in section.drawn
    }
    status = marts.source_status(con)
    sources = source_freshness(status)
    section_blocks = [
        SectionBlock(
            anchor=f"sekcja-{section.anchor}",
            title=section.title_pl,
            blocks=[
                indicator_block(
                    drawn.draw(frames[drawn.indicator], texts[drawn.indicator], data_as_of),
                    texts[drawn.indicator],
                    hidden_note(frames[drawn.indicator], min_persons),
                    provenance_line(frames[drawn.indicator], texts[drawn.indicator], data_as_of),
                )
                for drawn in section.drawn
            ],
        )
        for section in SECTIONS
    ]
    cards = tiles.headline_cards(
        published_frame(con, tiles.HEADLINE_CARDS,
                        marts.indicator_rows(con, tiles.HEADLINE_CARDS, data_as_of), min_persons),
        previous_release,
    )
    return template(TEMPLATE_NAME).render(
        title=f"Monitoring ekonomii społecznej – {region_name_pl}",
        data_as_of=format_date_long(data_as_of),
        refreshed_at=format_datetime_short(refreshed_at),
        card_groups=tiles.card_groups(cards),
        sections=section_blocks,
        sources=sources,
        stale_count=sum(source.is_stale for source in sources),
        files_total=format_number(len(status)),
        quarantined_total=format_number(int(status["rows_quarantined"].sum())),
        quarantine_file=QUARANTINE_FILE_NAME,
        quality_report_file=QUALITY_REPORT_FILE_NAME,
        downloads=DOWNLOAD_LINKS,
        plotly_js=Markup(get_plotlyjs() + OFFLINE_GEO_JS),
        plotly_locale=plotly_locale(),
    )


def hidden_note(frame: pd.DataFrame, min_persons: int) -> str:
    """Return the line under a figure that hides counts of persons, naming its markers."""
    markers = {
        marker
        for column in frame.columns
        if column.endswith(MARKER_SUFFIX)
        for marker in frame[column].dropna()
    }
    # "mniej niż 3 osoby", "mniej niż 5 osób": Polish counts 2-4 and 5+ differently
    persons = f"{min_persons} osoby" if 2 <= min_persons <= 4 else f"{min_persons} osób"
    notes = []
    if f"<{min_persons}" in markers:
        notes.append(f"„<{min_persons}”: mniej niż {persons} – ukryto")
    if HIDDEN_PL in markers:
        notes.append(
            f"„{HIDDEN_PL}”: mniej niż {persons} albo liczba ukryta razem z taką, "
            "by nie dało się jej odtworzyć odejmowaniem od pokazanej sumy"
        )
    return "; ".join(notes) + "." if notes else ""


def indicator_block(
    drawing: go.Figure | Table, text: marts.IndicatorText, note: str = "", provenance: str = ""
) -> FigureBlock:
    """Return a figure (or a table) as the template places it, with what it means.

    A figure's title and subtitle ("stan na …") become HTML above it: plotly never wraps a
    title, so on a phone or on paper a long one was cut, while HTML wraps to any width. A
    figure is written without plotly.js (the page carries it once), in a div named after
    the indicator rather than plotly's random uuid, which keeps the page byte-for-byte
    reproducible.
    """
    div_id = f"wykres-{text.indicator.replace('_', '-')}"
    block = FigureBlock(
        anchor=f"sekcja-{div_id}",
        title=text.title_pl,
        subtitle="",
        html=Markup(""),
        description=text.description_pl,
        table=drawing if isinstance(drawing, Table) else None,
        hidden_note=note,
        provenance=provenance,
    )
    if block.table is not None:
        return replace(block, title=block.table.title, subtitle=block.table.subtitle)
    subtitle = plain_text(drawing.layout.title.subtitle.text or "")
    fitted = fitted_for_page(drawing)
    html = fitted.to_html(
        full_html=False,
        include_plotlyjs=False,
        div_id=div_id,
        default_height=f"{fitted.layout.height}px",
        config={**PLOTLY_CONFIG, "toImageButtonOptions": {"filename": text.indicator}},
    )
    return replace(block, subtitle=subtitle, html=Markup(html))


def fitted_for_page(figure: go.Figure) -> go.Figure:
    """Return a copy of ``figure`` that fits any width: no title (the HTML heading above says
    it), shorter by the room the title took, and long category labels and legend entries
    broken into lines, with the height their extra lines need."""
    fitted = go.Figure(figure)
    top = fitted.layout.margin.t if fitted.layout.margin.t is not None else PLOT_TOP_MARGIN
    extra_lines = 0
    for axis, labels in horizontal_bar_categories(fitted).items():
        wrapped = [wrapped_label(label) for label in labels]
        fitted.layout[axis].update(tickmode="array", tickvals=labels, ticktext=wrapped)
        extra_lines = max(extra_lines, len(labels) * (max(w.count("<br>") for w in wrapped)))
    for trace in fitted.data:
        if trace.name and len(trace.name) > LABEL_WRAP_CHARS:
            trace.name = wrapped_label(trace.name)
    height = (max(fitted.layout.height - max(top - PLOT_TOP_MARGIN, 0), 200)
              + extra_lines * LABEL_LINE_PX)
    fitted.update_layout(
        title={"text": "", "subtitle": {"text": ""}}, margin={"t": PLOT_TOP_MARGIN},
        height=height,
    )
    # a vertical axis title as long as the plot is tall, at most, in lines
    chars = max((height - PLOT_TOP_MARGIN - BELOW_PLOT_PX) // AXIS_TITLE_CHAR_PX, 12)
    fitted.for_each_yaxis(lambda axis: axis.title.text and axis.title.update(
        text="<br>".join(textwrap.wrap(axis.title.text.replace("<br>", " "), chars))))
    return fitted


def horizontal_bar_categories(figure: go.Figure) -> dict[str, list[str]]:
    """Return the category labels of each y axis that horizontal bars name, in their order."""
    found: dict[str, list[str]] = {}
    for trace in figure.data:
        if trace.type == "bar" and trace.orientation == "h" and trace.y is not None:
            axis = "yaxis" + (trace.yaxis or "y")[1:]
            labels = found.setdefault(axis, [])
            labels += [str(y) for y in trace.y if str(y) not in labels]
    return found


def wrapped_label(label: str) -> str:
    """Return a label broken into lines of at most LABEL_WRAP_CHARS where it has spaces."""
    return "<br>".join(textwrap.wrap(label, LABEL_WRAP_CHARS)) or label


def plain_text(label: str) -> str:
    """Return a plotly label as plain text: its line breaks as spaces, other tags dropped."""
    return re.sub(r"<[^>]+>", "", label.replace("<br>", " ")).strip()


def template(name: str) -> Template:
    """Return a page template, with autoescaping on: register text is never trusted HTML."""
    environment = Environment(
        loader=PackageLoader("dashboards", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return environment.get_template(name)
