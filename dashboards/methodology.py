"""The methodology in Polish, written from the indicator catalogue with every publication.

An auditor who starts from a number on the dashboard finds here what it counts (definition and
unit), what it is computed from (the sources and tables), the target it is judged against and
how the verdict is reached, which counts of persons are hidden, and the SQL file that computes
it with the mart's columns and their types. Written from marts.indicator_catalogue, which the
refresh builds from assets/sql/marts/indicators.yml and the targets file, so the document
always describes the code and reference data that made the figures beside it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb
import pandas as pd

from dashboards.formatting import (
    format_date_long,
    format_datetime_short,
    format_number,
    format_pln,
)
from dashboards.page import DEFAULT_REGION_NAME_PL, template

METHODOLOGY_FILE_NAME = "metodologia.html"
TEMPLATE_NAME = "methodology.html.j2"
COMPARISON_PL = {"at_least": "co najmniej", "at_most": "najwyżej"}
STATUS_COLUMN = "target_status"


@dataclass(frozen=True)
class IndicatorMethod:
    """One indicator as the methodology describes it."""

    name: str
    title: str
    unit: str
    definition: str
    sql_path: str
    sources: tuple[str, ...]
    targets: tuple[str, ...]
    judged: bool  # its mart carries target_status
    persons: tuple[str, ...]
    columns: tuple[tuple[str, str], ...]


def indicator_methods(con: duckdb.DuckDBPyConnection) -> list[IndicatorMethod]:
    """Return every indicator of the catalogue, in the catalogue's order of names."""
    rows = con.execute("SELECT indicator, title_pl, unit_pl, description_pl, sql_path, "
                       "persons_counts, persons_counts_from, sources_pl, targets, columns "
                       "FROM marts.indicator_catalogue ORDER BY indicator").df()
    methods = []
    for row in rows.itertuples(index=False):
        columns = json.loads(row.columns)
        methods.append(IndicatorMethod(
            name=row.indicator, title=row.title_pl, unit=row.unit_pl,
            definition=row.description_pl, sql_path=row.sql_path,
            sources=tuple(json.loads(row.sources_pl)),
            targets=tuple(target_pl(target) for target in json.loads(row.targets)),
            judged=STATUS_COLUMN in columns,
            persons=tuple(json.loads(row.persons_counts)) + tuple(
                json.loads(row.persons_counts_from)["columns"] if row.persons_counts_from
                else ()),
            columns=tuple(columns.items()),
        ))
    return methods


def target_pl(target: dict) -> str:
    """Return one row of the targets file as a sentence: ``Włochy: co najmniej 1 wizyty...``."""
    if target["unit"] == "gr":  # amounts are kept in grosze so that they stay exact
        value = format_pln(target["target"] / 100)
    else:
        value = f"{format_number(target['target'])} {target['unit']}"
    period = (f"od {format_date_long(pd.Timestamp(target['valid_from']).date())} "
              f"do {format_date_long(pd.Timestamp(target['valid_to']).date())}")
    category = f"{target['category']}: " if target.get("category") else ""
    return (f"{category}{COMPARISON_PL.get(target['comparison'], target['comparison'])} {value}, "
            f"{period} (źródło: {target['source']})")


def render_methodology(con: duckdb.DuckDBPyConnection, *, refreshed_at: datetime,
                       data_as_of: date, min_persons: int,
                       region_name_pl: str = DEFAULT_REGION_NAME_PL) -> str:
    """Return the whole document as HTML."""
    return template(TEMPLATE_NAME).render(
        title=f"Metodologia wskaźników – {region_name_pl}",
        data_as_of=format_date_long(data_as_of),
        refreshed_at=format_datetime_short(refreshed_at),
        min_persons=min_persons,
        indicators=indicator_methods(con),
    )


def write_methodology(con: duckdb.DuckDBPyConnection, out_path: Path, *, refreshed_at: datetime,
                      data_as_of: date, min_persons: int,
                      region_name_pl: str = DEFAULT_REGION_NAME_PL) -> Path:
    """Write the document (rendered in full first, so a failure leaves no half file)."""
    html = render_methodology(con, refreshed_at=refreshed_at, data_as_of=data_as_of,
                              min_persons=min_persons, region_name_pl=region_name_pl)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_bytes(html.encode("utf-8"))
    return out_path
