"""Hidden counts of persons drawn the same way in every figure: marked, never drawn as 0.

The disclosure rule (quality/disclosure.py) publishes a hidden count as None with its marker
("<3", or "ukryto" where a bigger number is hidden with it). Every figure then draws it alike:
its own trace keeps the cell, with no height and the marker in the hover and the text, so a
unified hover lists it under its own name; and a grey cross on the axis, with the marker
written beside it, shows on the chart that something is there.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from dashboards.figure_style import GREY, number
from dashboards.formatting import format_count

# The legend entry of the crosses that mark hidden counts of persons.
HIDDEN_MARK_NAME_PL = "Liczba osób ukryta"


def is_hidden(marker: object) -> bool:
    """Return whether a published cell is hidden: it has a marker."""
    return isinstance(marker, str)


def bar_heights(values: pd.Series, markers: Sequence[object]) -> list[int | float | None]:
    """Return the bars' heights: the published number, 0 for a hidden cell (no bar, but a
    point the hover lists with its marker), None where there is no value at all."""
    return [0 if is_hidden(marker) else number(value)
            for value, marker in zip(values, markers, strict=True)]


def count_labels(values: pd.Series, markers: Sequence[object]) -> list[str]:
    """Return each cell as the hover and the text write it: a Polish number or its marker."""
    return [format_count(number(value), marker if is_hidden(marker) else None)
            for value, marker in zip(values, markers, strict=True)]


def hidden_marks(places: list, markers: list[str], hovers: list[str], *,
                 horizontal: bool = False) -> go.Scatter:
    """Return grey crosses on the axis where counts are hidden, each with its marker beside
    it ("<3") and ``hovers`` in the hover: a gap is never read as "nobody"."""
    at_zero = [0] * len(places)
    return go.Scatter(
        x=at_zero if horizontal else places,
        y=places if horizontal else at_zero,
        text=markers,
        customdata=hovers,
        name=HIDDEN_MARK_NAME_PL,
        mode="markers+text",
        textposition="middle right" if horizontal else "top center",
        textfont={"color": "#4D4D4D"},
        marker={"symbol": "x-thin-open", "size": 16, "color": GREY, "line": {"width": 3}},
        hovertemplate="%{customdata}<extra>ukryto</extra>",
        cliponaxis=False,
    )
