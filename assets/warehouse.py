"""The warehouse resource, and small helpers every asset uses to write into it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd
import yaml
from dagster import InitResourceContext, MetadataValue
from dagster_duckdb import DuckDBResource
from pydantic import PrivateAttr

from assets.writer_lock import PID_TAG, mark_abandoned_runs, writer_lock
from sources.mapping import load_mapping
from sources.registry import register_sources

AUDIT_DDL = Path(__file__).parent / "sql" / "audit.sql"
PREVIEW_ROWS = 10


class Warehouse(DuckDBResource):
    """Dagster's DuckDB resource, whose connection is closed when a step fails as well.

    The library's connection is closed only after a step that succeeds; a failed step leaves
    it open until garbage collection, and a long-lived process (the UI, the tests) then cannot
    open the same file read-only.
    """

    # Seconds a run waits for another refresh to finish; 0 refuses at once (assets/writer_lock.py).
    lock_wait_seconds: float = 0.0
    # The run's own connection to the file (see yield_for_execution), None outside a run.
    _run_connection: duckdb.DuckDBPyConnection | None = PrivateAttr(default=None)

    @contextmanager
    def yield_for_execution(self, context: InitResourceContext) -> Iterator[Warehouse]:
        """Hold the warehouse's writer lock for the whole run (a run initialises it once), and
        the file open: each step's connection is a cursor of the run's, so no step pays for
        opening the file (reading its catalogue) and checkpointing it on close; the file is
        checkpointed once, at the end of the run."""
        if context.instance is not None and context.run_id:
            context.instance.add_run_tags(context.run_id, {PID_TAG: str(os.getpid())})
        with writer_lock(Path(self.database), context.run_id, self.lock_wait_seconds):
            if context.instance is not None:
                mark_abandoned_runs(context.instance, context.run_id)
            with super().yield_for_execution(context) as resource, \
                    resource.get_connection() as run_connection:
                resource._run_connection = run_connection
                try:
                    yield resource
                finally:
                    resource._run_connection = None

    @contextmanager
    def get_connection(self) -> Iterator[duckdb.DuckDBPyConnection]:
        if self._run_connection is not None:
            with self._run_connection.cursor() as con:
                yield con
            return
        with super().get_connection() as con:
            try:
                yield con
            finally:
                con.close()


def ensure_audit_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create the landing registry, quarantine and source-file tables if they are missing."""
    con.execute(AUDIT_DDL.read_text(encoding="utf-8"))


def write_table(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> int:
    """Replace `schema.table` with the frame's rows, each column of its declared type
    (:func:`typed_columns`); returns the row count."""
    con.execute(f"create schema if not exists {table.split('.')[0]}")
    con.register("frame_to_write", frame)
    try:
        con.execute(f"create or replace table {table} as select "
                    f"{typed_columns(table, list(frame.columns))} from frame_to_write")
    finally:
        con.unregister("frame_to_write")
    untyped = [name for name, kind in con.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_schema = ? and table_name = ?", table.split(".")).fetchall()
        if kind.strip('"') == "NULL"]
    if untyped:
        raise ValueError(f"Tabela {table}: kolumny {', '.join(untyped)} są w tych danych puste "
                         f"i nie mają zadeklarowanego typu ({TABLE_TYPES.name}).")
    return len(frame)


# The column types of every table of the warehouse but the indicators (whose types are in
# sql/marts/indicators.yml): a column that happens to be empty in one month's data is still of
# its type, so the SQL that reads it binds every month (tests/test_schemas.py holds them to it).
TABLE_TYPES = Path(__file__).parent / "sql" / "tables.yml"


@cache
def declared_types() -> dict[str, dict[str, str]]:
    """Return the declared column types of each table, ``schema.table`` -> column -> type: those
    of tables.yml, and for a register of the source registry not declared there, the types its
    mapping implies."""
    declared = yaml.safe_load(TABLE_TYPES.read_text(encoding="utf-8"))
    for source in register_sources():
        declared.setdefault(f"staging.{source.name}",
                            load_mapping(source.name).register_staging_types())
    return declared


def typed_columns(table: str, columns: list[str]) -> str:
    """Return a select list that casts each column to its declared type (as is, undeclared)."""
    types = declared_types().get(table, {})
    return ", ".join(f'cast("{c}" as {types[c]}) as "{c}"' if c in types else f'"{c}"'
                     for c in columns)


def append_rows(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    """Insert the frame's rows by column name into an existing table."""
    if frame.empty:
        return
    con.register("rows_to_append", frame)
    try:
        columns = ", ".join(frame.columns)
        con.execute(f"insert into {table} ({columns}) select {columns} from rows_to_append")
    finally:
        con.unregister("rows_to_append")


def table_exists(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    schema, name = table.split(".")
    found = con.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [schema, name],
    ).fetchall()
    return found[0][0] > 0


def row_count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    return con.execute(f"select count(*) from {table}").fetchall()[0][0]


def preview(con: duckdb.DuckDBPyConnection, table: str) -> MetadataValue:
    """The first rows of a table as Markdown, for the asset's page in the Dagster UI."""
    frame = con.execute(f"select * from {table} limit {PREVIEW_ROWS}").df()
    return MetadataValue.md(frame.to_markdown(index=False) if not frame.empty else "(pusta)")
