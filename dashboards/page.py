"""Assembling the monitoring page: one self-contained HTML file from the indicator marts.

The committee opens the file from a laptop or a projector, often with no network, so the page
carries plotly.js itself (once, for all figures) and asks for nothing else. The output depends
only on the warehouse and the arguments: two refreshes of the same data give the same bytes.
"""

from __future__ import annotations

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
    format_date_short,
    format_datetime_short,
    format_number,
    plotly_locale,
)
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
    # Only what a committee member might want: save the chart as a picture, or undo a zoom.
    "modeBarButtonsToRemove": [
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
    ],
}


@dataclass(frozen=True)
class FigureBlock:
    """One indicator as the template places it: the plot (or table) and what it means."""

    anchor: str
    title: str
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


@dataclass(frozen=True)
class SourceRow:
    """One row of the "Źródła danych" table, already written in Polish."""

    name: str
    file_name: str
    data_as_of: str
    rows_read: str
    rows_accepted: str
    rows_quarantined: str
    is_stale: bool
    stale_reason: str
    header_warning: str = ""


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
    sources = source_rows(status)
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
        quarantined_total=format_number(int(status["rows_quarantined"].sum())),
        quarantine_file=QUARANTINE_FILE_NAME,
        quality_report_file=QUALITY_REPORT_FILE_NAME,
        downloads=DOWNLOAD_LINKS,
        plotly_js=Markup(get_plotlyjs()),
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

    A figure is written without plotly.js (the page carries it once), in a div named after
    the indicator rather than plotly's random uuid, which keeps the page byte-for-byte
    reproducible.
    """
    div_id = f"wykres-{text.indicator.replace('_', '-')}"
    block = FigureBlock(
        anchor=f"sekcja-{div_id}",
        title=text.title_pl,
        html=Markup(""),
        description=text.description_pl,
        table=drawing if isinstance(drawing, Table) else None,
        hidden_note=note,
        provenance=provenance,
    )
    if block.table is not None:
        return block
    html = drawing.to_html(
        full_html=False,
        include_plotlyjs=False,
        div_id=div_id,
        default_height=f"{drawing.layout.height}px",
        config={**PLOTLY_CONFIG, "toImageButtonOptions": {"filename": text.indicator}},
    )
    return replace(block, html=Markup(html))


def source_rows(status: pd.DataFrame) -> list[SourceRow]:
    """Return the source status rows written for the table, a stale one with its reason."""
    return [
        SourceRow(
            name=value_or(row.source_pl, row.source),
            file_name=value_or(row.file_name, ""),
            data_as_of=short_date_or_missing(row.data_as_of),
            rows_read=format_number(int_or_none(row.rows_read)),
            rows_accepted=format_number(int_or_none(row.rows_accepted)),
            rows_quarantined=format_number(int_or_none(row.rows_quarantined)),
            is_stale=bool(value_or(row.is_stale, False)),
            stale_reason=value_or(row.stale_reason_pl, "przyczyna nie została podana"),
            header_warning=value_or(row.header_warning_pl, ""),
        )
        for row in status.itertuples()
    ]


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


def short_date_or_missing(value: object) -> str:
    """Return a date as ``31.10.2026``, or "brak danych" when the source gave none."""
    return "brak danych" if pd.isna(value) else format_date_short(pd.Timestamp(value).date())


def value_or(value: object, default: object) -> object:
    """Return ``value``, or ``default`` where the mart has NULL."""
    return default if pd.isna(value) else value


def int_or_none(value: object) -> int | None:
    """Return a count as an int, or None when missing."""
    return None if pd.isna(value) else int(value)
