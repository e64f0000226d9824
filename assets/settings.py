"""The refresh's settings as one typed Dagster resource: paths, region, period.

Every path and the region code are settings with defaults for the bundled sample, so the
same code runs an office's real inbox by changing environment variables (or a settings file)
only. They are declared, read and validated once in `pipelines/settings.py`; this resource is
built from the validated values (`pipelines/resources.py`), so an asset never sees a bad one.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from dagster import ConfigurableResource

from sources.cells import month_end


class MonitorSettings(ConfigurableResource):
    """Where inputs come from and outputs go, which region and which months are monitored."""

    inbox_dir: str
    reference_dir: str
    landing_dir: str
    publish_dir: str
    pseudonym_key_file: str
    region_code: str = "28"
    # empty: the name TERYT gives the region (assets/reference.py, region_name)
    region_name_pl: str = ""
    monitoring_start: str = "2016-01-01"
    project_start: str = "2018-01-01"
    period_end: str = ""
    max_quarantine_share: float = 0.05
    max_monthly_change: float = 0.10
    # Counts of persons from 1 to min_persons - 1 are hidden wherever figures are published
    # (quality/disclosure.py); the marts stay exact.
    min_persons: int = 3
    decisions_dir: str = ""
    # Volume guard: a source read with more than this share fewer rows than the version last
    # published holds the publication back until the analyst confirms it (a `mniej_wierszy`
    # decision); a larger share of duplicated rows in a file is a warning.
    max_row_drop_share: float = 0.10
    max_duplicate_share: float = 0.10

    def inbox(self, source: str) -> Path:
        return Path(self.inbox_dir) / source

    def decisions_path(self) -> Path:
        """The analyst's entity-resolution decisions: their own folder, else the inbox's."""
        return Path(self.decisions_dir) if self.decisions_dir else self.inbox("decisions")

    def reference(self, *parts: str) -> Path:
        return Path(self.reference_dir).joinpath(*parts)

    def period_end_date(self) -> date:
        """The last month end monitored: set explicitly, else the end of the previous month."""
        if self.period_end:
            return month_end(date.fromisoformat(self.period_end))
        today = datetime.now(ZoneInfo("Europe/Warsaw")).date()
        return today.replace(day=1) - timedelta(days=1)
