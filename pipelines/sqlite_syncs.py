"""Fewer disk syncs for the SQLite files of Dagster's instance while a refresh runs.

Dagster's SQLite storage opens a new connection for every event it records (about 1 100 for a
refresh of the bundled region, plus the asset events mirrored into the index), commits and
closes it. With SQLite's defaults each commit syncs the write-ahead log to disk, and the close
of the last connection to a file checkpoints the log into the database and syncs again: about
25 ms an event on this kind of machine, a third of a refresh's wall time.

While a refresh runs, this process therefore
- sets `synchronous=NORMAL` on every new connection to the instance's SQLite files: in WAL mode
  (Dagster's) a commit is then written to the log without a sync; the file stays consistent
  when the process is killed or the machine loses power (the last events before a power loss
  may be missing, never the database);
- keeps one idle connection open to each such file, so that Dagster's own connections are
  never the last one to close and do not checkpoint; the file is checkpointed once, when the
  keeper closes at the end of the refresh.

A PostgreSQL instance (deploy/dagster.postgres.yaml) is untouched: only SQLite connections are.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine


def database_file(connection: sqlite3.Connection) -> Path | None:
    """The file of a SQLite connection's main database (None in memory or when unnamed)."""
    rows = connection.execute("pragma database_list").fetchall()
    name = next((file for _, schema, file in rows if schema == "main"), "")
    return Path(name) if name else None


@contextmanager
def fewer_disk_syncs(home: Path) -> Iterator[None]:
    """Within the block, SQLite files under `home` (the Dagster home) are written without a
    sync per commit and are checkpointed once, at the end."""
    home = home.resolve()
    keepers: dict[Path, sqlite3.Connection] = {}

    def on_connect(dbapi_connection, _record) -> None:
        if not isinstance(dbapi_connection, sqlite3.Connection):
            return
        path = database_file(dbapi_connection)
        if path is None or not path.resolve().is_relative_to(home):
            return
        dbapi_connection.execute("pragma synchronous=NORMAL")
        # a file Dagster is creating now (empty) gets its keeper at the next connection,
        # once its tables exist and it is in WAL mode
        if path not in keepers and path.stat().st_size > 0:
            keeper = sqlite3.connect(path, check_same_thread=False)
            keeper.execute("select count(*) from sqlite_master").fetchall()  # joins the log
            keepers[path] = keeper

    event.listen(Engine, "connect", on_connect)
    try:
        yield
    finally:
        event.remove(Engine, "connect", on_connect)
        for keeper in keepers.values():
            with suppress(sqlite3.Error):
                keeper.close()
