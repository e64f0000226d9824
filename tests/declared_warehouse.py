"""An empty warehouse of the real schema: for tests that put a few hand-made rows in the marts.

Every table the refresh writes is created empty with its declared column types
(assets/sql/tables.yml, which tests/test_schemas.py holds to a refreshed warehouse), and every
indicator mart is then built on them by its real SQL (assets/marts.py), so no test keeps a copy
of a mart's columns: a mart whose SQL changes changes here too.
"""

from __future__ import annotations

from collections.abc import Mapping

import duckdb

from assets.marts import CATALOGUE, write_indicator
from assets.warehouse import declared_types


def empty_warehouse() -> duckdb.DuckDBPyConnection:
    """Return an in-memory warehouse with every declared table and every indicator mart, empty."""
    con = duckdb.connect(":memory:")
    for table, columns in declared_types().items():
        create_table(con, table, columns)
    for name in CATALOGUE:  # in the catalogue's order: the cards read the marts before them
        write_indicator(con, name)
    return con


def declared_mart(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """Create ``marts.<name>`` empty with the columns of its catalogue entry, which its SQL
    must give (assets/marts.py refuses other columns), for a test whose inputs are made by
    hand in other tables."""
    create_table(con, f"marts.{name}", CATALOGUE[name]["columns"])


def create_table(con: duckdb.DuckDBPyConnection, table: str, columns: Mapping[str, str]) -> None:
    """Create the empty table ``schema.table`` with ``columns`` (name -> type)."""
    con.execute(f"create schema if not exists {table.split('.')[0]}")
    con.execute(f"create table {table} ("
                + ", ".join(f'"{column}" {kind}' for column, kind in columns.items()) + ")")
