"""The indicator catalogue agrees with the marts its SQL builds, and says so when it does not.

The marts are built by their real SQL on an empty warehouse of the declared schema
(tests/declared_warehouse.py); their columns are read from information_schema, not from the
catalogue, so an entry naming a period or a person-count column its mart lacks, or a section
the page does not have, fails here.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import duckdb
import pytest
import yaml

from dashboards.catalogue import (
    INDICATORS_FILE,
    SECTIONS_FILE,
    Catalogue,
    catalogue,
    indicator_problems,
    read_catalogue,
)
from dashboards.sections import SECTIONS, dashboards_function
from tests.declared_warehouse import empty_warehouse


def mart_columns(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """Return each table of the marts schema with its columns, as the warehouse has them."""
    found: dict[str, list[str]] = {}
    for table, column in con.execute(
            "select table_name, column_name from information_schema.columns "
            "where table_schema = 'marts' order by table_name, ordinal_position").fetchall():
        found.setdefault(table, []).append(column)
    return found


def disagreements(source: Catalogue, con: duckdb.DuckDBPyConnection) -> list[str]:
    """Return every entry's problems checked against its mart's real columns."""
    found = mart_columns(con)
    return [problem for indicator in source.indicators.values()
            for problem in indicator_problems(
                replace(indicator, columns=dict.fromkeys(found.get(indicator.name, []))),
                source.sections)]


@pytest.fixture(scope="module")
def marts() -> duckdb.DuckDBPyConnection:
    con = empty_warehouse()
    yield con
    con.close()


def test_the_catalogue_agrees_with_the_marts_its_sql_builds(marts) -> None:
    assert disagreements(catalogue(), marts) == []
    # and it states something to check: 19 periods, persons in 8 marts, 20 indicators drawn
    indicators = catalogue().indicators.values()
    assert sum(i.period is not None for i in indicators) == 19
    assert sum(bool(i.persons_columns) for i in indicators) == 8
    assert sum(i.page is not None for i in indicators) == 20


def test_a_mart_without_its_period_column_or_persons_column_is_found() -> None:
    with empty_warehouse() as con:
        con.execute("alter table marts.social_enterprises_active rename column month to day")
        con.execute("alter table marts.owes_jobs_by_group rename column jobs to jobs_created")
        assert disagreements(catalogue(), con) == [
            "social_enterprises_active: period 'month' is not a column",
            "owes_jobs_by_group: persons column 'jobs' is not a column",
        ]


def written_catalogue(tmp_path: Path, change) -> Path:
    """Return a copy of the catalogue with ``change`` applied to its entries."""
    entries = yaml.safe_load(INDICATORS_FILE.read_text(encoding="utf-8"))
    change(entries)
    path = tmp_path / "indicators.yml"
    path.write_text(yaml.safe_dump(entries, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(("change", "message"), [
    (lambda e: e["rkres_meetings_per_year"].update(period="month"),
     "rkres_meetings_per_year: period 'month' is not a column"),
    (lambda e: e["headline_cards"].update(period="as_of"),
     "headline_cards: period 'as_of' is none of ['met_on', 'month', 'quarter_start', 'year']"),
    (lambda e: e["study_visits_per_year"]["persons_counts"].update(visitors={}),
     "study_visits_per_year: persons column 'visitors' is not a column"),
    (lambda e: e["owes_jobs_by_group"]["persons_counts"]["jobs"]["totals_by"].append(["sex"]),
     "owes_jobs_by_group: persons column 'sex' is not a column"),
    (lambda e: e["project_budget"]["page"].update(section="budzet"),
     "project_budget: section 'budzet' is not in sections.yml"),
    (lambda e: e["project_budget"]["page"].update(figure="project_budget_table"),
     "project_budget: 'project_budget_table' is not module.function"),
    (lambda e: e["project_budget"]["page"].update(latest_only=True),
     "project_budget: latest_only without a period"),
])
def test_an_inconsistent_entry_stops_the_catalogue_naming_it(tmp_path: Path, change,
                                                             message: str) -> None:
    with pytest.raises(ValueError, match="indicators.yml: ") as raised:
        read_catalogue(written_catalogue(tmp_path, change), SECTIONS_FILE)
    assert str(raised.value) == f"indicators.yml: {message}"


def test_an_unknown_page_key_names_its_entry(tmp_path: Path) -> None:
    path = written_catalogue(tmp_path, lambda e: e["project_budget"]["page"].update(sectoin="x"))
    with pytest.raises(ValueError, match="indicators.yml: project_budget: page: .*'sectoin'"):
        read_catalogue(path, SECTIONS_FILE)


def test_a_drawing_the_package_lacks_is_named() -> None:
    with pytest.raises(ValueError, match="dashboards/figures.py has no function no_such_figure"):
        dashboards_function("figures.no_such_figure")


def test_the_page_follows_the_sections_then_the_catalogue() -> None:
    """The sections in sections.yml's order; within one, the catalogue's order."""
    assert [section.anchor for section in SECTIONS] == list(
        yaml.safe_load(SECTIONS_FILE.read_text(encoding="utf-8")))
    order = list(catalogue().indicators)
    for section in SECTIONS:
        drawn = [d.indicator for d in section.drawn]
        assert drawn == sorted(drawn, key=order.index)
    assert [d.indicator for d in SECTIONS[0].drawn] == [
        "active_pes_by_type", "active_pes_by_powiat", "active_pes_per_10k",
        "social_enterprises_active", "active_pes_by_pkd_section"]
