"""The indicator catalogue (assets/sql/marts/indicators.yml), read once, typed and checked.

One entry says everything about one indicator: its wording, its mart's columns and which of
them count persons (published with small counts hidden, quality/disclosure.py), the column that
dates its rows (``period``: the page cuts the mart there at the data's as-of date) and, for an
indicator on the page, where and how it is drawn (``page``): its section (sections.yml beside
it, in reading order), the function of this package that draws it, and whether only the latest
period is drawn. Within a section the page follows the catalogue's order. Adding an indicator to
the page is its entry, and a drawing function where no existing one fits.

The catalogue is checked against itself when it is read: a period or a person-count column
that its mart's declared ``columns`` lack, a section that does not exist or a drawing not named
``module.function`` stops the page with a message naming the entry. tests/test_catalogue.py
holds the declared columns to the marts the real SQL builds.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

CATALOGUE_DIR = Path(__file__).resolve().parents[1] / "assets" / "sql" / "marts"
INDICATORS_FILE = CATALOGUE_DIR / "indicators.yml"
SECTIONS_FILE = CATALOGUE_DIR / "sections.yml"

# Per column that dates a mart's rows, the last value the page draws at the data's as-of date
# (SQL, the date as $data_as_of): a month is dated by its last day, a quarter by its first.
PERIOD_BOUNDS = {
    "month": "last_day($data_as_of)",
    "quarter_start": "$data_as_of",
    "met_on": "$data_as_of",
    "year": "year($data_as_of)",
}


@dataclass(frozen=True)
class Placement:
    """Where and how the page draws an indicator (an entry's ``page``)."""

    section: str
    # a function of this package, as "module.function", called with (rows, wording, as-of)
    figure: str
    # a function (con, as-of) -> rows, where the mart's own rows are not enough (the map)
    reader: str | None = None
    # only the latest period up to the as-of date: bars mixing two months compare unlike things
    latest_only: bool = False


@dataclass(frozen=True)
class Indicator:
    """One entry of the catalogue."""

    name: str
    title_pl: str
    unit_pl: str
    description_pl: str
    source_pl: str
    columns: Mapping[str, str]
    period: str | None
    persons_columns: tuple[str, ...]
    page: Placement | None


@dataclass(frozen=True)
class Catalogue:
    """The indicators in the catalogue's order and the page's sections in reading order."""

    indicators: Mapping[str, Indicator]
    sections: Mapping[str, str]  # anchor -> Polish heading

    def on_page(self, section: str) -> list[Indicator]:
        """Return the indicators drawn in ``section``, in the catalogue's order."""
        return [i for i in self.indicators.values() if i.page and i.page.section == section]


@cache
def catalogue_entries(path: Path = INDICATORS_FILE) -> dict[str, dict]:
    """Return the catalogue's entries as written, by indicator name."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def read_catalogue(indicators_file: Path = INDICATORS_FILE,
                   sections_file: Path = SECTIONS_FILE) -> Catalogue:
    """Return the catalogue read from its files; ValueError naming every inconsistent entry."""
    sections = yaml.safe_load(sections_file.read_text(encoding="utf-8"))
    indicators = {name: indicator_of(name, entry)
                  for name, entry in catalogue_entries(indicators_file).items()}
    problems = [problem for indicator in indicators.values()
                for problem in indicator_problems(indicator, sections)]
    if problems:
        raise ValueError(f"{indicators_file.name}: " + "; ".join(problems))
    return Catalogue(indicators, sections)


@cache
def catalogue() -> Catalogue:
    """Return the bundled catalogue (read once)."""
    return read_catalogue()


def indicator_of(name: str, entry: Mapping) -> Indicator:
    """Return one entry as a typed indicator."""
    try:
        page = Placement(**entry["page"]) if entry.get("page") else None
    except TypeError as error:  # a key Placement does not know
        raise ValueError(f"{INDICATORS_FILE.name}: {name}: page: {error}") from error
    return Indicator(
        name=name,
        title_pl=entry.get("title_pl", ""),
        unit_pl=entry.get("unit_pl", ""),
        description_pl=entry.get("description_pl", ""),
        source_pl=entry.get("source_pl", ""),
        columns=dict(entry.get("columns") or {}),
        period=entry.get("period"),
        persons_columns=persons_columns(entry),
        page=page,
    )


def persons_columns(entry: Mapping) -> tuple[str, ...]:
    """Return the columns of the entry's own mart that its person counts name: each count,
    its groups' keys, the column a running total follows, the column that picks its rows, and
    the keys matching another indicator's counts (``persons_counts_from``)."""
    named: list[str] = []
    for column, spec in (entry.get("persons_counts") or {}).items():
        spec = spec or {}
        named += [column, *(key for keys in spec.get("totals_by", ()) for key in keys),
                  *([spec["order_by"]] if "order_by" in spec else []),
                  *(spec.get("rows") or {})]
    named += (entry.get("persons_counts_from") or {}).get("by", [])
    return tuple(dict.fromkeys(named))


def indicator_problems(indicator: Indicator, sections: Mapping[str, str]) -> list[str]:
    """Return what is wrong with one entry against its declared columns and the sections."""
    problems = []
    if indicator.period is not None and indicator.period not in indicator.columns:
        problems.append(f"{indicator.name}: period {indicator.period!r} is not a column")
    if indicator.period is not None and indicator.period not in PERIOD_BOUNDS:
        problems.append(f"{indicator.name}: period {indicator.period!r} is none of "
                        f"{sorted(PERIOD_BOUNDS)}")
    problems += [f"{indicator.name}: persons column {column!r} is not a column"
                 for column in indicator.persons_columns if column not in indicator.columns]
    page = indicator.page
    if page is None:
        return problems
    if page.section not in sections:
        problems.append(f"{indicator.name}: section {page.section!r} is not in "
                        f"{SECTIONS_FILE.name}")
    problems += [f"{indicator.name}: {name!r} is not module.function"
                 for name in (page.figure, page.reader) if name and name.count(".") != 1]
    if page.latest_only and indicator.period is None:
        problems.append(f"{indicator.name}: latest_only without a period")
    return problems
