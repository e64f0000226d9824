"""Personal data never leaves the reader: no PESEL or name in landing, DuckDB, outputs or logs."""

from __future__ import annotations

import zipfile
from pathlib import Path

import duckdb
import pytest

from tests.conftest import Refresh
from tests.fixture_inbox import PERSONAL_VALUES


def texts_in(path: Path) -> str:
    """A file's text as a reader would find it; XLSX files are zip archives of XML."""
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as archive:
            return "\n".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
    return path.read_bytes().decode("utf-8", "replace")


def warehouse_text(warehouse: Path) -> str:
    """Every value of every table in the warehouse, as text."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = con.execute("select table_schema, table_name from information_schema.tables")
        names = tables.fetchall()
        return "\n".join(con.execute(f'select * from "{s}"."{t}"').df().to_csv()
                         for s, t in names)


@pytest.mark.parametrize("where", ["landing", "publish", "warehouse", "dagster_events"])
def test_no_pesel_or_name_leaks(refreshed: Refresh, where: str) -> None:
    if where == "landing":
        found = "\n".join(texts_in(p) for p in refreshed.landing.rglob("*") if p.is_file())
    elif where == "publish":
        found = "\n".join(texts_in(p) for p in refreshed.publish.rglob("*") if p.is_file())
    elif where == "warehouse":
        found = warehouse_text(refreshed.warehouse) + refreshed.warehouse.read_bytes().decode(
            "latin-1")
    else:
        found = "\n".join(str(event) for event in refreshed.result.all_events)
    assert found  # the search looked at something
    leaked = [value for value in PERSONAL_VALUES if value in found]
    assert not leaked


def test_participants_are_pseudonymised_consistently(refreshed: Refresh) -> None:
    attendances = refreshed.query("select event_id, person_key, sex from staging.participation")
    assert len(attendances) == 4  # 6 rows, 1 invalid and 1 missing PESEL quarantined
    assert attendances["person_key"].nunique() == 3  # one person attended E1 and E2
    assert attendances["person_key"].str.fullmatch(r"[0-9a-f]{64}").all()
    columns = set(refreshed.query("select * from staging.participation limit 0").columns)
    assert not columns & {"PESEL", "pesel", "Imię", "Nazwisko", "first_name", "last_name"}


def test_first_run_creates_a_private_key_outside_the_warehouse(refreshed: Refresh) -> None:
    key_file = Path(refreshed.env["PES_KEY_FILE"])
    assert key_file.exists()
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    assert len(key_file.read_text().strip()) == 64
    assert not key_file.is_relative_to(refreshed.root / "var")
