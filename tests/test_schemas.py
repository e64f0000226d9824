"""Every table of the warehouse has the column types declared for it, whatever the month held.

The indicators' types are under `columns` in assets/sql/marts/indicators.yml, every other
table's in assets/sql/tables.yml. A column that one month's data leaves empty used to reach
DuckDB as type NULL (a pandas column of Nones), and SQL such as `year(col)` then fails.
"""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from assets.marts import CATALOGUE
from assets.release import ACCEPTED_AUDIT
from assets.warehouse import declared_types, write_table
from tests.conftest import Refresh, SecondRefresh
from tests.fixture_inbox import OWES_CENTRE, OWES_ROWS, OWES_SUPPORTED, owes_workbook


def warehouse_types(refresh: Refresh) -> dict[str, dict[str, str]]:
    rows = refresh.query("select table_schema || '.' || table_name as t, column_name, data_type "
                         "from information_schema.columns "
                         "order by table_schema, table_name, ordinal_position")
    found: dict[str, dict[str, str]] = {}
    for table, column, kind in rows.itertuples(index=False):
        found.setdefault(table, {})[column] = kind
    return found


def declared() -> dict[str, dict[str, str]]:
    marts = {f"marts.{name}": entry.get("columns", {}) for name, entry in CATALOGUE.items()}
    # the accepted state (assets/release.py) copies the staging tables and the per-file counts
    # and quarantine of the last publication: the same tables, the same types
    accepted = {f"accepted.{name.split('.')[1]}": columns
                for name, columns in declared_types().items()
                if name.startswith("staging.") or name.split(".")[1] in ACCEPTED_AUDIT}
    return {**declared_types(), **marts, **accepted}


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_each_mart_has_the_columns_its_catalogue_entry_declares(refreshed: Refresh,
                                                                name: str) -> None:
    assert "columns" in CATALOGUE[name], f"{name}: no `columns` in indicators.yml"
    assert warehouse_types(refreshed)[f"marts.{name}"] == CATALOGUE[name]["columns"]


def test_every_table_is_declared_with_its_types(refreshed: Refresh) -> None:
    found = warehouse_types(refreshed)
    assert sorted(found) == sorted(declared())
    for table, columns in found.items():
        assert columns == declared()[table], table


def test_an_empty_column_keeps_its_declared_type(tmp_path) -> None:
    """A register whose rows all lack an end date: the column is all None in pandas."""
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        frame = pd.DataFrame({"zaz_id": ["Z1"], "lost_on": [None]})
        write_table(con, "staging.zaz_register", frame)
        types = dict(con.execute("select column_name, data_type from information_schema.columns "
                                 "where table_name = 'zaz_register'").fetchall())
        assert types["lost_on"] == declared_types()["staging.zaz_register"]["lost_on"] == "DATE"
        with pytest.raises(ValueError, match="kolumny note są w tych danych puste"):
            write_table(con, "staging.not_declared", pd.DataFrame({"note": [None]}))


def test_a_quarter_without_jobs_keeps_every_table_typed(published_copy: SecondRefresh) -> None:
    """The OWES report of IV kw. 2020 sent again with its jobs sheet empty (a quarter in which
    the centre created no jobs, the headline 0): staging.owes_job and marts.owes_jobs_by_group
    have no rows, and every table keeps its declared types."""
    inbox = published_copy.first.inbox
    headline = [(n, label, 0 if n == 3 else value) for n, label, value in OWES_ROWS]
    owes_workbook(OWES_CENTRE, headline, OWES_SUPPORTED, []).save(
        inbox / "owes" / "owes_OWES-1_2020Q4.xlsx")
    again = published_copy.again()
    assert again.result.success
    assert again.query("select count(*) as n from staging.owes_job")["n"].iloc[0] == 0
    assert again.query("select count(*) as n from marts.owes_jobs_by_group")["n"].iloc[0] == 0
    found = warehouse_types(again)
    for table, columns in found.items():
        assert columns == declared()[table], table
