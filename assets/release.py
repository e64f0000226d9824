"""Releases: each publication is a folder written whole, then made current in one step.

`publish/releases/<id>/` is written under a hidden name and renamed when it is complete; the
warehouse then records it as accepted (in one transaction with the staging tables a stale
source will fall back to), and `publish/latest`, a relative link, is swapped to it by a rename.
A release folder never changes afterwards. Killed at any moment, `latest` names a complete
earlier release; the warehouse's record is the commit point, and a `latest` left behind by a
kill between the two is brought in line at the next publication.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd

from assets.warehouse import table_exists, write_table

RELEASES_DIR = "releases"
LATEST_LINK = "latest"
HELD_BACK_DIR = "held_back"
MANIFEST_FILE = "release.json"
# Per-source audit rows that go with an accepted staging table (counts per file, quarantine).
ACCEPTED_AUDIT = ("source_file", "quarantine")
# Tests of a killed refresh name a point here; the process kills itself when it reaches it.
KILL_AT_VARIABLE = "PES_KILL_AT"


def checkpoint(name: str) -> None:
    """A point where tests kill the refresh (SIGKILL, as an operator or the OOM killer would)."""
    if os.environ.get(KILL_AT_VARIABLE) == name:
        os.kill(os.getpid(), signal.SIGKILL)


def release_path(publish_dir: Path, release_id: str) -> Path:
    return publish_dir / RELEASES_DIR / release_id


def current_release(publish_dir: Path) -> str | None:
    """The id of the release `latest` points to, if any."""
    link = publish_dir / LATEST_LINK
    return Path(os.readlink(link)).name if link.is_symlink() else None


def current_manifest(publish_dir: Path) -> dict | None:
    release = current_release(publish_dir)
    if release is None:
        return None
    return json.loads((release_path(publish_dir, release) / MANIFEST_FILE).read_text(
        encoding="utf-8"))


@contextmanager
def release_folder(publish_dir: Path, release_id: str) -> Iterator[Path]:
    """A folder to write the release into; renamed to its final name only when complete."""
    releases = publish_dir / RELEASES_DIR
    for leftover in releases.glob(".*.partial"):  # of a refresh killed while writing
        shutil.rmtree(leftover, ignore_errors=True)
    partial = releases / f".{release_id}.partial"
    partial.mkdir(parents=True)
    try:
        yield partial
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    for path in partial.iterdir():
        with path.open("rb") as handle:
            os.fsync(handle.fileno())
    os.rename(partial, release_path(publish_dir, release_id))


def switch_latest(publish_dir: Path, release_id: str) -> None:
    """Point `latest` at the release in one rename, so a reader sees the old or the new."""
    staged = publish_dir / f".{LATEST_LINK}.{os.getpid()}.tmp"
    staged.unlink(missing_ok=True)
    staged.symlink_to(Path(RELEASES_DIR) / release_id)
    os.replace(staged, publish_dir / LATEST_LINK)


def staging_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [name for (name,) in con.execute(
        "select table_name from information_schema.tables where table_schema = 'staging' "
        "order by table_name").fetchall()]


def accept_release(con: duckdb.DuckDBPyConnection, release_id: str, run_id: str,
                   inputs_used: pd.DataFrame) -> None:
    """Make this run's staging tables and inputs the accepted state, in one transaction.

    Only a publication that goes out gets here, so a table held back by a failed check never
    becomes what a later stale source falls back to.
    """
    con.execute("create schema if not exists accepted")
    con.execute("begin transaction")
    try:
        for table in staging_tables(con):
            con.execute(f'create or replace table accepted."{table}" as from staging."{table}"')
        for table in ACCEPTED_AUDIT:
            con.execute(f"create or replace table accepted.{table} as from audit.{table}")
        write_table(con, "accepted.input", inputs_used)
        con.execute("create table if not exists accepted.release (release_id varchar not null, "
                    "run_id varchar not null, accepted_at timestamp not null)")
        con.execute("insert into accepted.release values (?, ?, now()::timestamp)",
                    [release_id, run_id])
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise


def restore_accepted(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    """Put the accepted version of `staging.<table>` back in place, with its per-file counts
    and quarantined rows; False when there is none."""
    if not table_exists(con, f"accepted.{table}"):
        return False
    con.execute(f'create or replace table staging."{table}" as from accepted."{table}"')
    for audit in ACCEPTED_AUDIT:
        con.execute(f"delete from audit.{audit} where source = ?", [table])
        con.execute(f"insert into audit.{audit} by name select * from accepted.{audit} "
                    "where source = ?",
                    [table])
    return True


def accepted_inputs(con: duckdb.DuckDBPyConnection) -> pd.DataFrame | None:
    """The inputs of the last accepted release, as it used them."""
    if not table_exists(con, "accepted.input"):
        return None
    return con.execute("select * from accepted.input").df()


def last_accepted_release(con: duckdb.DuckDBPyConnection) -> str | None:
    if not table_exists(con, "accepted.release"):
        return None
    found = con.execute("select release_id from accepted.release "
                        "order by accepted_at desc limit 1").fetchall()
    return found[0][0] if found else None


def repair_latest(con: duckdb.DuckDBPyConnection, publish_dir: Path) -> None:
    """Finish the switch of a refresh killed after its release was accepted."""
    accepted = last_accepted_release(con)
    if (accepted is not None and accepted != current_release(publish_dir)
            and (release_path(publish_dir, accepted) / MANIFEST_FILE).exists()):
        switch_latest(publish_dir, accepted)
