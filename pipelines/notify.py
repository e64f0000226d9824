"""Notifications: after a refresh, a command (`PES_NOTIFY_COMMAND`) and/or a webhook
(`PES_NOTIFY_URL`) are told what happened, as one JSON object: what (published, held_back,
failed), when (Warsaw time), why (one Polish line per reason) and the path of the report.

The CLI's refresh notifies itself and tags its run; every other run (the schedule's, the UI's,
a sensor's) is told by the run status sensors below, which the Dagster daemon evaluates. A
notification that fails is logged and never fails the refresh.
"""

from __future__ import annotations

import json
import logging
import subprocess
from pathlib import Path

import requests
from dagster import (
    DagsterRunStatus,
    DefaultSensorStatus,
    RunStatusSensorContext,
    SensorDefinition,
    run_status_sensor,
)

from assets.release import HELD_BACK_DIR
from dashboards.page import QUALITY_REPORT_FILE_NAME
from pipelines.run_outcome import OUTCOME_PL, RunOutcome, run_outcome
from pipelines.settings import Settings

log = logging.getLogger("pes_monitor.notify")
#: A run whose process sends its own notification (the CLI's refresh) carries this tag.
NOTIFIED_TAG = "pes_monitor/notified_by"
COMMAND_TIMEOUT_SECONDS = 60
WEBHOOK_TIMEOUT_SECONDS = 10


def report_path(outcome: RunOutcome, publish_dir: Path) -> Path | None:
    """The quality report that says why: the release's, else the held-back one."""
    if outcome.dashboard is not None:
        return outcome.dashboard.parent / QUALITY_REPORT_FILE_NAME
    held_back = publish_dir / HELD_BACK_DIR / QUALITY_REPORT_FILE_NAME
    return held_back if held_back.exists() else None


def notification(outcome: RunOutcome, publish_dir: Path) -> dict:
    """The JSON object a command or webhook receives."""
    report = report_path(outcome, publish_dir)
    moment = outcome.finished or outcome.started
    return {
        "what": outcome.what,
        "what_pl": OUTCOME_PL[outcome.what],
        "when": moment.isoformat(timespec="seconds") if moment else None,
        "why": outcome.reasons,
        "warnings": outcome.warnings,
        "stale_sources": outcome.stale_sources,
        "run_id": outcome.run_id,
        "release": outcome.dashboard.parent.name if outcome.dashboard else None,
        "dashboard": str(outcome.dashboard) if outcome.dashboard else None,
        "report": str(report) if report else None,
    }


def send(payload: dict, settings: Settings) -> list[str]:
    """Run the command and post to the webhook that are configured; the problems, in Polish
    (logged too), never raised."""
    body = json.dumps(payload, ensure_ascii=False)
    problems = []
    if settings.notify_command:
        try:
            done = subprocess.run(settings.notify_command, shell=True, input=body, text=True,
                                  capture_output=True, timeout=COMMAND_TIMEOUT_SECONDS)
            if done.returncode != 0:
                problems.append(f"polecenie powiadomienia (PES_NOTIFY_COMMAND) zakończyło się "
                                f"kodem {done.returncode}: {done.stderr.strip()[:200]}")
        except (OSError, subprocess.TimeoutExpired) as error:
            problems.append(f"polecenie powiadomienia (PES_NOTIFY_COMMAND) nie zadziałało: "
                            f"{error}")
    if settings.notify_url:
        try:
            response = requests.post(settings.notify_url, data=body.encode("utf-8"),
                                     headers={"Content-Type": "application/json"},
                                     timeout=WEBHOOK_TIMEOUT_SECONDS)
            response.raise_for_status()
        except requests.RequestException as error:
            problems.append(f"powiadomienie na adres PES_NOTIFY_URL nie doszło: {error}")
    for problem in problems:
        log.warning("Powiadomienie nieudane (odświeżenie nie jest przez to nieudane): %s",
                    problem)
    return problems


def notify_run(instance, run_id: str, settings: Settings) -> list[str]:
    """Notify about a finished run; the problems of the notification, if any."""
    if not (settings.notify_command or settings.notify_url):
        return []
    return send(notification(run_outcome(instance, run_id), settings.publish), settings)


def notification_sensors(settings: Settings) -> list[SensorDefinition]:
    """Sensors that notify about every finished refresh run the CLI did not tell itself."""

    def notify(context: RunStatusSensorContext) -> None:
        if NOTIFIED_TAG in context.dagster_run.tags:
            return
        problems = notify_run(context.instance, context.dagster_run.run_id, settings)
        for problem in problems:
            context.log.warning(problem)

    return [
        run_status_sensor(run_status=status, name=f"notify_on_{status.value.lower()}",
                          default_status=DefaultSensorStatus.RUNNING,
                          description="Tells PES_NOTIFY_COMMAND / PES_NOTIFY_URL how a refresh "
                                      "ended (published, held back or failed).")(notify)
        for status in (DagsterRunStatus.SUCCESS, DagsterRunStatus.FAILURE)
    ]

