"""The headers of the files a staging table read, recorded and told to the analyst.

Written beside the quarantine each refresh (audit.source_header), so the quality report lists
every unknown header with what to do, and the dashboard's source line warns when one of them
resembles a column that links or places a row.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from assets.warehouse import append_rows
from sources.headers import HeaderAccount, unknown_header_pl
from sources.mapping import load_mapping


def header_account_rows(read_notes: dict[str, dict]) -> pd.DataFrame:
    """One row per header of each file read (files a reader noted headers for)."""
    rows = []
    for file, note in read_notes.items():
        for account in map(lambda row: HeaderAccount(**row), note.get("headers") or []):
            message = (unknown_header_pl(account, load_mapping(note["mapping"]), file,
                                         note.get("sheet"))
                       if account.status == "unknown" else None)
            rows.append({**account.as_row(), "file": file, "sheet": note.get("sheet"),
                         "message_pl": message})
    return pd.DataFrame(rows)


def record_headers(con: duckdb.DuckDBPyConnection, source: str, read_notes: dict[str, dict],
                   run_id: str) -> list[str]:
    """Replace the source's header accounts with this run's; the Polish notes of the unknown
    ones are returned for the refresh summary."""
    rows = header_account_rows(read_notes)
    con.execute("delete from audit.source_header where source = ?", [source])
    if rows.empty:
        return []
    append_rows(con, "audit.source_header", rows.assign(source=source, run_id=run_id))
    return rows["message_pl"].dropna().tolist()


def written_headers(read_notes: dict[str, dict]) -> dict[tuple[str, str], str]:
    """{(file, field): the header that file gives the field}, for naming a rejected field as
    the analyst's own file names it (`NAZWA PODMIOTU`, not the template's `Nazwa podmiotu`)."""
    return {(file, row["field"]): row["header"] for file, note in read_notes.items()
            for row in note.get("headers") or [] if row["status"] == "used"}
