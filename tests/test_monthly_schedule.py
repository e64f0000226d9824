"""The monthly schedule's run request for a given date: the month just ended, Warsaw's calendar."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from dagster import build_schedule_context, validate_run_config

from pipelines.definitions import build_definitions

WARSAW = ZoneInfo("Europe/Warsaw")


@pytest.mark.parametrize(("fired_at", "period_end"), [
    (datetime(2026, 12, 1, 6, 0, tzinfo=WARSAW), "2026-11-30"),
    (datetime(2027, 1, 1, 6, 0, tzinfo=WARSAW), "2026-12-31"),   # across the year
    (datetime(2027, 3, 1, 6, 0, tzinfo=WARSAW), "2027-02-28"),
    (datetime(2028, 3, 1, 6, 0, tzinfo=WARSAW), "2028-02-29"),   # a leap year
    # 23:30 UTC on 30 November is already 1 December in Warsaw
    (datetime(2026, 11, 30, 23, 30, tzinfo=UTC), "2026-11-30"),
])
def test_the_schedule_refreshes_the_month_just_ended(tmp_path: Path, fired_at: datetime,
                                                     period_end: str) -> None:
    env = {"PES_VAR": str(tmp_path / "var"), "PES_INBOX": str(tmp_path / "inbox"),
           "PES_PERIOD_END": "2020-12-31", "PES_MIN_PERSONS": "5"}
    defs = build_definitions(env)
    schedule = defs.resolve_schedule_def("monthly_refresh_schedule")
    data = schedule.evaluate_tick(build_schedule_context(scheduled_execution_time=fired_at))
    assert len(data.run_requests) == 1
    request = data.run_requests[0]
    config = request.run_config["resources"]["settings"]["config"]
    # the period end set by the schedule wins over the deployment's PES_PERIOD_END ...
    assert config["period_end"] == period_end
    assert request.tags["pes_monitor/period_end"] == period_end
    # ... and every other setting of the deployment is kept
    assert config["inbox_dir"] == str(tmp_path / "inbox")
    assert config["min_persons"] == 5
    validate_run_config(defs.resolve_job_def("monthly_refresh"), request.run_config)


def test_the_schedule_runs_without_a_click_in_the_ui(tmp_path: Path) -> None:
    schedule = build_definitions({"PES_VAR": str(tmp_path)}).resolve_schedule_def(
        "monthly_refresh_schedule")
    assert schedule.default_status.value == "RUNNING"
    assert schedule.job_name == "monthly_refresh"
