"""Row-level rules and the split of a source's rows into accepted and quarantined.

A row that breaks a rule is never fixed or dropped in silence: it goes to the shared
quarantine with its file, sheet, line, the field and a reason code. Messages never repeat a
field's value, so a personal value cannot leak into the quarantine.

A rule may instead set a bad value aside (field-level quarantine): an identifier that fails its
check digit costs that identifier, not the organisation. The value is emptied, the row stays
accepted and the quarantine keeps a row of scope `field` with the same file, line and reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

QUARANTINE_COLUMNS = ["file", "sheet", "line", "field", "reason_code", "message", "scope"]
#: How many values of the row were set aside so far: rules after the set-aside ones read it.
VALUES_SET_ASIDE = "_values_set_aside"


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
    #: The column emptied on a failing row that stays (field-level quarantine): usually the
    #: field itself; None quarantines the row whole.
    sets_aside: str | None = None


@dataclass(frozen=True)
class Screened:
    """A source's rows after its rules: accepted ones and one quarantine row per failure."""

    accepted: pd.DataFrame
    rejected: pd.DataFrame

    def reconciliation(self, read: pd.DataFrame) -> pd.DataFrame:
        """Per file: rows read, accepted, quarantined (a row counted once however many faults),
        and values set aside on accepted rows (not rows: read = accepted + quarantined)."""
        scope = self.rejected.get("scope", pd.Series("row", index=self.rejected.index))
        whole = self.rejected[scope == "row"]
        counts = pd.DataFrame({
            "rows_read": read.groupby("_file").size(),
            "rows_accepted": self.accepted.groupby("_file").size(),
            "rows_quarantined": whole.drop_duplicates(["file", "sheet", "line"])
            .groupby("file").size(),
            "values_set_aside": self.rejected[scope == "field"].groupby("file").size(),
        }).reindex(columns=["rows_read", "rows_accepted", "rows_quarantined",
                            "values_set_aside"]).fillna(0).astype("int64")
        return counts.rename_axis("file_name").reset_index()


def screen(frame: pd.DataFrame, rules: list[RowRule]) -> Screened:
    """Accepted rows pass every rule; each failure of each rule becomes a quarantine row.

    A rule that sets aside empties its `sets_aside` column on the failing rows before the next
    rules run, so a later rule can ask what is left (`VALUES_SET_ASIDE` counts the values
    taken). A value set aside on a row that is quarantined whole is reported with the row's
    scope.
    """
    frame = frame.assign(**{VALUES_SET_ASIDE: 0})
    failed_any = pd.Series(False, index=frame.index)
    rejected = []
    for rule in rules:
        fails = rule.fails(frame).fillna(False).astype(bool)
        if rule.sets_aside:
            frame.loc[fails, rule.sets_aside] = None
            frame.loc[fails, VALUES_SET_ASIDE] += 1
        else:
            failed_any |= fails
        bad = frame.loc[fails, ["_file", "_sheet", "_line"]]
        message = rule.message
        if rule.detail is not None:
            extra = rule.detail(frame)[fails].fillna("").astype(str)
            message = (rule.message + " " + extra).str.strip()
        rejected.append(pd.DataFrame({
            "file": bad["_file"], "sheet": bad["_sheet"], "line": bad["_line"],
            "field": rule.field, "reason_code": rule.reason_code, "message": message,
            "scope": "field" if rule.sets_aside else "row", "row": bad.index,
        }))
    rejected_rows = pd.concat(rejected, ignore_index=True) if rejected else pd.DataFrame(
        columns=[*QUARANTINE_COLUMNS, "row"]
    )
    on_rows_out = rejected_rows.pop("row").isin(frame.index[failed_any])
    rejected_rows.loc[on_rows_out, "scope"] = "row"
    accepted = frame[~failed_any].drop(columns=VALUES_SET_ASIDE)
    return Screened(accepted=accepted, rejected=rejected_rows)
