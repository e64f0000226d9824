"""What a refresh run came to, read back from the Dagster instance: published, held back or
failed, and why, one Polish line per reason.

The CLI's summary, `pes-monitor status` and the notifications all say the same thing because
they all read it here, from the run's events (so a run the schedule started is told the same
way as one the CLI ran).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from dagster import DagsterEventType, DagsterInstance, DagsterRunStatus

from assets.writer_lock import BUSY_PL

WARSAW = ZoneInfo("Europe/Warsaw")
PUBLISHED, HELD_BACK, FAILED, RUNNING = "published", "held_back", "failed", "running"
OUTCOME_PL = {PUBLISHED: "opublikowano", HELD_BACK: "publikacja wstrzymana",
              FAILED: "NIEUDANE", RUNNING: "w toku"}
DASHBOARD_KEY = ["publish", "dashboard"]
#: DuckDB's message when another process holds the warehouse file.
DUCKDB_LOCKED = "Could not set lock on file"


@dataclass
class RunOutcome:
    """One refresh run as the analyst needs it told."""

    run_id: str
    what: str
    started: datetime | None = None
    finished: datetime | None = None
    # one line each: the step and why it failed
    failures: list[str] = field(default_factory=list)
    # failed blocking checks (errors) and warnings, one line each
    failed_checks: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    stale_sources: list[str] = field(default_factory=list)
    dashboard: Path | None = None
    warehouse_locked: bool = False

    @property
    def reasons(self) -> list[str]:
        return self.failures + self.failed_checks


def local_time(timestamp: float | None) -> datetime | None:
    """A Dagster timestamp (seconds, UTC) as Warsaw's wall clock."""
    return datetime.fromtimestamp(timestamp, WARSAW) if timestamp else None


def shown_time(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S") if moment else "—"


def failure_reason(error) -> str:
    """The innermost error of a step failure as one line, without the exception's class."""
    while error.cause is not None:
        error = error.cause
    first = next((line for line in error.message.splitlines() if line.strip()), error.cls_name)
    return re.sub(r"^[\w.]+(Error|Exception|Failure|Busy): ", "", first.strip())


def step_failure_line(step_key: str, data) -> tuple[str, bool]:
    """(`step: reason`, whether the warehouse was locked) of a STEP_FAILURE's data."""
    if data.user_failure_data is not None and data.user_failure_data.description:
        reason = data.user_failure_data.description.splitlines()[0]
    else:
        reason = failure_reason(data.error)
    locked = DUCKDB_LOCKED in reason
    if locked:
        reason = f"hurtownia zablokowana przez inny proces ({reason})"
    return f"{step_key}: {reason}", locked


def is_check_failure(data) -> bool:
    """A step that failed because a blocking check failed: told by the check, not the step."""
    return data.error is not None and data.error.cls_name == "DagsterAssetCheckFailedError"


def run_outcome(instance: DagsterInstance, run_id: str) -> RunOutcome:
    """The outcome of a run, from its status and events in the instance."""
    record = instance.get_run_record_by_id(run_id)
    outcome = RunOutcome(run_id=run_id, what=RUNNING)
    if record is not None:
        outcome.started = local_time(record.start_time or record.create_timestamp.timestamp())
        outcome.finished = local_time(record.end_time)
    for entry in instance.all_logs(run_id):
        event = entry.dagster_event
        if event is None:
            continue
        if event.event_type == DagsterEventType.STEP_FAILURE:
            data = event.step_failure_data
            if not is_check_failure(data):
                line, locked = step_failure_line(event.step_key, data)
                outcome.failures.append(line)
                outcome.warehouse_locked |= locked
        elif event.event_type == DagsterEventType.RESOURCE_INIT_FAILURE:
            reason = failure_reason(event.event_specific_data.error)
            outcome.failures.append(f"zasoby przebiegu: {reason}")
            outcome.warehouse_locked |= BUSY_PL in reason
        elif event.event_type == DagsterEventType.ASSET_CHECK_EVALUATION:
            evaluation = event.event_specific_data
            if not evaluation.passed:
                summary = evaluation.metadata.get("summary")
                line = (f"{evaluation.asset_key.to_user_string()} {evaluation.check_name}: "
                        f"{summary.value if summary else ''}").rstrip(": ")
                is_error = evaluation.severity.value == "ERROR"
                (outcome.failed_checks if is_error else outcome.warnings).append(line)
        elif event.event_type == DagsterEventType.ASSET_MATERIALIZATION:
            materialization = event.event_specific_data.materialization
            meta = {key: value.value for key, value in materialization.metadata.items()}
            if materialization.asset_key.path == DASHBOARD_KEY:
                outcome.dashboard = Path(meta["dashboard"])
            elif materialization.asset_key.path[0] == "staging" and meta.get("stale"):
                outcome.stale_sources.append(
                    f"{materialization.asset_key.path[-1]}: {meta.get('stale_reason')}")
    status = record.dagster_run.status if record is not None else None
    if status in (DagsterRunStatus.SUCCESS, DagsterRunStatus.FAILURE, DagsterRunStatus.CANCELED):
        outcome.what = (PUBLISHED if outcome.dashboard and status == DagsterRunStatus.SUCCESS
                        else FAILED if outcome.failures or status == DagsterRunStatus.CANCELED
                        else HELD_BACK)
    return outcome
