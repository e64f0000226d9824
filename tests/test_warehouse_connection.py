"""A run opens the warehouse file once: each step's connection is a cursor of the run's, and
the file is closed when the run ends, whether its steps succeed or fail."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from dagster import DagsterInstance, asset, materialize

from assets.warehouse import Warehouse


@asset
def first(warehouse: Warehouse) -> None:
    with warehouse.get_connection() as con:
        con.execute("create table t as select 1 as x")


@asset(deps=[first])
def second(warehouse: Warehouse) -> None:
    with warehouse.get_connection() as con:
        con.execute("insert into t values (2)")


@asset(deps=[second])
def broken(warehouse: Warehouse) -> None:
    with warehouse.get_connection() as con:
        con.execute("insert into t values (3)")
        raise RuntimeError("a step that fails")


def test_one_open_per_run_and_closed_after_a_failed_step(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    database = tmp_path / "warehouse.duckdb"
    opened: list[str] = []
    connect = duckdb.connect

    def counted(*args, **kwargs):
        opened.append(str(kwargs.get("database", args[0] if args else "")))
        return connect(*args, **kwargs)

    monkeypatch.setattr(duckdb, "connect", counted)
    result = materialize([first, second, broken], raise_on_error=False,
                         instance=DagsterInstance.ephemeral(),
                         resources={"warehouse": Warehouse(database=str(database))})
    assert not result.success
    assert opened == [str(database)]  # three steps, one opening of the file
    monkeypatch.undo()
    # closed at the end of the failed run: this process can open it read-only (DuckDB refuses
    # a second configuration of a file this process still holds open); the failed step's
    # insert went with it (its statement ran: DuckDB commits each statement by itself)
    with duckdb.connect(str(database), read_only=True) as con:
        assert con.execute("select x from t order by x").fetchall() == [(1,), (2,), (3,)]
    # outside a run the resource opens the file itself, as before
    with Warehouse(database=str(database)).get_connection() as con:
        assert con.execute("select count(*) from t").fetchall() == [(3,)]
