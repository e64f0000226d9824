"""Dagster's SQLite files under the home are written without a sync per commit during a
refresh, are not checkpointed by each closing connection, and lose nothing."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from pipelines.sqlite_syncs import fewer_disk_syncs


def write_row(database: Path, value: int) -> int:
    """Insert a row as Dagster's storage does (a new NullPool connection, commit, close);
    return the connection's `synchronous` setting (2 FULL, 1 NORMAL)."""
    engine = create_engine(f"sqlite:///{database}", poolclass=NullPool)
    with engine.connect() as con, con.begin():
        con.execute(text("insert into event (value) values (:v)"), {"v": value})
        synchronous = con.execute(text("pragma synchronous")).scalar_one()
    engine.dispose()
    return synchronous


def test_commits_skip_the_sync_and_the_log_is_checkpointed_once(tmp_path: Path) -> None:
    home, elsewhere = tmp_path / "dagster", tmp_path / "other"
    home.mkdir(), elsewhere.mkdir()
    for folder in (home, elsewhere):
        engine = create_engine(f"sqlite:///{folder / 'runs.db'}", poolclass=NullPool)
        with engine.connect() as con, con.begin():
            con.execute(text("pragma journal_mode=WAL"))  # Dagster's mode
            con.execute(text("create table event (value integer)"))
        engine.dispose()
    wal = home / "runs.db-wal"
    # SQLite's default: a full sync; the last connection's close checkpoints and removes the log
    assert write_row(home / "runs.db", 1) == 2
    assert not wal.exists()
    with fewer_disk_syncs(home):
        assert [write_row(home / "runs.db", n) for n in (2, 3, 4)] == [1, 1, 1]
        # the keeper holds the file: closes did not checkpoint, the rows wait in the log
        assert wal.exists() and wal.stat().st_size > 0
        assert write_row(elsewhere / "runs.db", 1) == 2  # outside the home: untouched
    assert not wal.exists()  # checkpointed once, when the keeper closed
    assert write_row(home / "runs.db", 5) == 2  # the listener is gone
    engine = create_engine(f"sqlite:///{home / 'runs.db'}", poolclass=NullPool)
    with engine.connect() as con:
        assert con.execute(text("select value from event order by value")).scalars().all() == [
            1, 2, 3, 4, 5]
    engine.dispose()
