"""Small tables for indicators a chart would only blur: a handful of rows, each read on its own.

The project's budget is two amounts and the study visits are one a year against a plan; a bar
chart of them would make the reader decode bars to learn four numbers. The template draws a
:class:`Table` as an HTML table, every cell already written in Polish.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from dashboards.figure_style import as_of_subtitle, capitalised, year_end
from dashboards.formatting import format_count, format_date_short, format_number, format_pln
from dashboards.marts import IndicatorText
from quality.disclosure import marker_column


@dataclass(frozen=True)
class Column:
    """One column heading; numbers are right-aligned so their digits line up."""

    label: str
    numeric: bool = False


@dataclass(frozen=True)
class Table:
    """A table as the template draws it: title, the line with unit and date, the cells."""

    title: str
    subtitle: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]


# The mart's target_status of a year's visits to one country, in words (None: off the plan).
VISIT_VERDICTS = {
    "osiągnięty": "✔ zgodnie z planem",
    "nieosiągnięty": "✖ nie zrealizowano planu",
    "w trakcie": "rok w toku",
    None: "wizyta spoza planu projektu",
}


def study_visits_table(frame: pd.DataFrame, text: IndicatorText, data_as_of: date) -> Table:
    """Return the study visits per year and country beside the project's plan.

    A planned visit is judged only once its year has ended; a visit outside the plan (a
    domestic one) is shown as such rather than as an overachieved target.
    """
    last_year = frame["year"].max() if not frame.empty else data_as_of.year
    return Table(
        title=text.title_pl,
        subtitle=_subtitle(text, as_of_subtitle(year_end(last_year), data_as_of)),
        columns=(
            Column("Rok"),
            Column("Kraj"),
            Column("Wizyty", numeric=True),
            Column("Uczestnicy", numeric=True),
            Column("Plan (wizyty)", numeric=True),
            Column("Ocena"),
        ),
        rows=tuple(
            (
                str(row["year"]),
                row["country"],
                format_number(row["visits"]),
                format_count(row["participants"], row.get(marker_column("participants"))),
                "poza planem" if pd.isna(row["target"]) else format_number(int(row["target"])),
                VISIT_VERDICTS[None if pd.isna(row["target_status"]) else row["target_status"]],
            )
            for _, row in frame.iterrows()
        ),
    )


def project_budget_table(frame: pd.DataFrame, text: IndicatorText, data_as_of: date) -> Table:
    """Return the budget lines in złoty with grosze and their share of the project's total."""
    return Table(
        title=text.title_pl,
        # the amounts are the project description's, not data of any month: no "stan na"
        subtitle=f"{capitalised(text.unit_pl)}; kwoty z opisu projektu",
        columns=(
            Column("Pozycja"),
            Column("Kwota", numeric=True),
            Column("Udział w wartości ogółem", numeric=True),
            Column("Okres realizacji"),
        ),
        rows=tuple(
            (
                _budget_line_pl(row.budget_line),
                format_pln(row.amount_pln),
                f"{format_number(round(row.share_of_total * 100, 2))}\u00a0%",
                f"{format_date_short(row.valid_from.date())}–"
                f"{format_date_short(row.valid_to.date())}",
            )
            for row in frame.itertuples()
        ),
    )


def _budget_line_pl(line: str) -> str:
    """Return a budget line as a heading reads it: "ogółem" is the project's total value."""
    return "Wartość projektu ogółem" if line == "ogółem" else capitalised(line)


def _subtitle(text: IndicatorText, as_of: str) -> str:
    """Return the line under a table's title: its unit and the date its data is as of."""
    return f"{capitalised(text.unit_pl)}; {as_of[:1].lower()}{as_of[1:]}"
