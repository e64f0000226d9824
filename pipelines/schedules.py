"""The monthly schedule: on the 1st at 06:00 Warsaw time, a refresh of the month just ended.

The period end is passed in the run's configuration rather than left to the settings' default
(the end of the month before "today"): a run that waits in the queue past midnight, or one
re-executed from the UI days later, still computes the month the schedule fired for.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from dagster import (
    DefaultScheduleStatus,
    RunRequest,
    ScheduleDefinition,
    ScheduleEvaluationContext,
)

from assets.settings import MonitorSettings

if TYPE_CHECKING:  # what define_asset_job returns
    from dagster._core.definitions.unresolved_asset_job_definition import (
        UnresolvedAssetJobDefinition,
    )

WARSAW = ZoneInfo("Europe/Warsaw")
MONTHLY_CRON = "0 6 1 * *"


def month_just_ended(moment: datetime) -> date:
    """The last day of the month before `moment`'s month, as the calendar in Warsaw has it."""
    return moment.astimezone(WARSAW).date().replace(day=1) - timedelta(days=1)


def settings_run_config(settings: MonitorSettings, period_end: date) -> dict:
    """Run configuration that keeps every setting of the deployment and sets the period end.

    Dagster replaces a resource's whole configuration when a run gives one, so every field is
    passed, not only the one that changes.
    """
    config = {**settings.model_dump(), "period_end": period_end.isoformat()}
    return {"resources": {"settings": {"config": config}}}


def monthly_schedule(job: UnresolvedAssetJobDefinition,
                     settings: MonitorSettings) -> ScheduleDefinition:
    """The schedule of `job`, each run configured for the month just ended."""

    def month_just_ended_request(context: ScheduleEvaluationContext) -> RunRequest:
        period_end = month_just_ended(context.scheduled_execution_time)
        return RunRequest(run_key=f"monthly-{period_end.isoformat()}",
                          run_config=settings_run_config(settings, period_end),
                          tags={"pes_monitor/period_end": period_end.isoformat()})

    return ScheduleDefinition(
        name="monthly_refresh_schedule",
        job=job,
        cron_schedule=MONTHLY_CRON,
        execution_timezone="Europe/Warsaw",
        execution_fn=month_just_ended_request,
        # `pes-monitor serve` runs the daemon: the schedule works without a click in the UI
        default_status=DefaultScheduleStatus.RUNNING,
        description="On the 1st of each month at 06:00 Warsaw time, for the month just ended.",
    )
