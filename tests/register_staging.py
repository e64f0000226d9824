"""Stage one register file as a refresh does, without Dagster: read, prepare, screen.

The register tests use it to say, for a small real file, which rows are accepted and which go
to the quarantine with which reason; the full refresh is tested in tests/test_refresh.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from assets.settings import MonitorSettings
from assets.staging.registers import register_specs
from quality.quarantine import Screened, screen

REFERENCE = Path(__file__).resolve().parents[1] / "data" / "reference"


def settings(period_end: str = "2026-10-31") -> MonitorSettings:
    return MonitorSettings(inbox_dir="inbox", reference_dir=str(REFERENCE), landing_dir="landing",
                           publish_dir="publish", pseudonym_key_file="key",
                           period_end=period_end)


@dataclass(frozen=True)
class Staged:
    """A file's rows as read, as typed, and as screened by its register's rules."""

    raw: pd.DataFrame
    typed: pd.DataFrame
    screened: Screened

    @property
    def accepted_lines(self) -> list[int]:
        return self.screened.accepted["_line"].tolist()

    @property
    def quarantined(self) -> set[tuple[int, str, str]]:
        """(line, field, reason code) of every quarantine row that took its row out."""
        return self.rejected_as("row")

    @property
    def set_aside(self) -> set[tuple[int, str, str]]:
        """(line, field, reason code) of every value set aside on a row that stayed."""
        return self.rejected_as("field")

    def rejected_as(self, scope: str) -> set[tuple[int, str, str]]:
        rejected = self.screened.rejected[self.screened.rejected["scope"] == scope]
        return set(zip(rejected["line"], rejected["field"], rejected["reason_code"],
                       strict=True))

    def message(self, line: int, reason: str) -> str:
        rejected = self.screened.rejected
        found = rejected[(rejected["line"] == line) & (rejected["reason_code"] == reason)]
        return found["message"].iloc[0]

    def accepted(self, column: str) -> list:
        return self.screened.accepted[column].tolist()


def stage(table: str, path: Path, period_end: str = "2026-10-31") -> Staged:
    """The staging spec of `table` run on one file."""
    spec = next(s for s in register_specs if s.table == table)
    raw = spec.read(path)
    typed = spec.prepare(raw.assign(_file=path.name), settings(period_end))
    return Staged(raw=raw, typed=typed, screened=screen(typed, spec.rules))
