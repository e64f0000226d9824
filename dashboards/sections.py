"""What the page shows, in the order the committee reads it: the sections of indicators.

Everything here comes from the indicator catalogue (dashboards/catalogue.py): the sections and
their headings, which indicators each holds and in what order, how each mart is read up to the
data's as-of date and the function that draws it, found by the name its entry gives.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import duckdb
import pandas as pd
import plotly.graph_objects as go

from dashboards import marts, tables
from dashboards.catalogue import Catalogue, Indicator, catalogue
from dashboards.marts import IndicatorText

Reader = Callable[[duckdb.DuckDBPyConnection, date], pd.DataFrame]
Drawer = Callable[[pd.DataFrame, IndicatorText, date], "go.Figure | tables.Table"]


@dataclass(frozen=True)
class Drawn:
    """One indicator on the page: its mart, how it is read and how it is drawn."""

    indicator: str
    read: Reader
    draw: Drawer


@dataclass(frozen=True)
class Section:
    """A heading of the page and the indicators under it."""

    anchor: str
    title_pl: str
    drawn: tuple[Drawn, ...]


def page_sections(source: Catalogue) -> tuple[Section, ...]:
    """Return the page's sections in reading order, each with its indicators drawn."""
    return tuple(
        Section(anchor, title_pl, tuple(map(drawn_on_page, source.on_page(anchor))))
        for anchor, title_pl in source.sections.items()
    )


def drawn_on_page(indicator: Indicator) -> Drawn:
    """Return an indicator as its catalogue entry says to read and draw it."""
    page = indicator.page
    if page.reader is not None:
        return Drawn(indicator.name, dashboards_function(page.reader),
                     dashboards_function(page.figure))
    return Drawn(indicator.name,
                 lambda con, day: marts.indicator_rows(con, indicator.name, day),
                 dashboards_function(page.figure))


def dashboards_function(name: str) -> Callable:
    """Return the function ``module.function`` of this package that the catalogue names."""
    module, function = name.split(".")
    found = getattr(importlib.import_module(f"dashboards.{module}"), function, None)
    if not callable(found):
        raise ValueError(f"indicators.yml: dashboards/{module}.py has no function {function}")
    return found


SECTIONS = page_sections(catalogue())
DRAWN_INDICATORS = tuple(drawn.indicator for section in SECTIONS for drawn in section.drawn)
