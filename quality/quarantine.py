"""Row-level rules and the split of a source's rows into accepted and quarantined.

A row that breaks a rule is never fixed or dropped in silence: it goes to the shared
quarantine with its file, sheet, line, the field and a reason code. Messages never repeat a
field's value, so a personal value cannot leak into the quarantine.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

QUARANTINE_COLUMNS = ["file", "sheet", "line", "field", "reason_code", "message"]


@dataclass(frozen=True)
class RowRule:
    """One rule: the rows it fails, and how the analyst is told (in Polish).

    `detail`, when given, adds a text per failing row to the message (e.g. the TERYT units a
    place name could mean); like the message, it never holds the value of a personal field.
    """

    field: str
    reason_code: str
    message: str
    fails: Callable[[pd.DataFrame], pd.Series]
    detail: Callable[[pd.DataFrame], pd.Series] | None = None


@dataclass(frozen=True)
class Screened:
    """A source's rows after its rules: accepted ones and one quarantine row per failure."""

    accepted: pd.DataFrame
    rejected: pd.DataFrame

    def reconciliation(self, read: pd.DataFrame) -> pd.DataFrame:
        """Per file: rows read, accepted, quarantined (a row counted once however many faults)."""
        counts = pd.DataFrame({
            "rows_read": read.groupby("_file").size(),
            "rows_accepted": self.accepted.groupby("_file").size(),
            "rows_quarantined": self.rejected.drop_duplicates(["file", "sheet", "line"])
            .groupby("file").size(),
        }).fillna(0).astype("int64")
        return counts.rename_axis("file_name").reset_index()


def screen(frame: pd.DataFrame, rules: list[RowRule]) -> Screened:
    """Accepted rows pass every rule; each failure of each rule becomes a quarantine row."""
    failed_any = pd.Series(False, index=frame.index)
    rejected = []
    for rule in rules:
        fails = rule.fails(frame).fillna(False).astype(bool)
        failed_any |= fails
        bad = frame.loc[fails, ["_file", "_sheet", "_line"]]
        message = rule.message
        if rule.detail is not None:
            extra = rule.detail(frame)[fails].fillna("").astype(str)
            message = (rule.message + " " + extra).str.strip()
        rejected.append(pd.DataFrame({
            "file": bad["_file"], "sheet": bad["_sheet"], "line": bad["_line"],
            "field": rule.field, "reason_code": rule.reason_code, "message": message,
        }))
    rejected_rows = pd.concat(rejected, ignore_index=True) if rejected else pd.DataFrame(
        columns=QUARANTINE_COLUMNS
    )
    return Screened(accepted=frame[~failed_any].copy(), rejected=rejected_rows)
